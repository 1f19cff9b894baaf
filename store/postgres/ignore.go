package postgres

import "github.com/aiwatch/aiwatch/store"

// SetIgnore sets the config file's ignore rules: items matching any of
// them are left out of Items, CountItems, FirmCounts, AllianceCounts and
// MarkAllRead, and are never deleted. Item still reads an ignored item by
// its ID. nil shows everything.
func (db *DB) SetIgnore(rules []store.Filter) {
	db.ignoreMu.Lock()
	db.ignore = rules
	db.counts.reset()
	db.ignoreMu.Unlock()
}

// ignoreRules returns the ignore rules.
func (db *DB) ignoreRules() []store.Filter {
	db.ignoreMu.Lock()
	defer db.ignoreMu.Unlock()
	return db.ignore
}
