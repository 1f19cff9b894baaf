package postgres

import (
	"context"

	"github.com/aiwatch/aiwatch/store"
)

// Not written yet: the read part. Each method moves out of this file as it is written.

func (db *DB) Items(ctx context.Context, f store.Filter) ([]store.Item, error) {
	return *new([]store.Item), errTODO("Items")
}

func (db *DB) CountItems(ctx context.Context, f store.Filter) (store.Counts, error) {
	return *new(store.Counts), errTODO("CountItems")
}

func (db *DB) Item(ctx context.Context, id int64) (store.Item, error) {
	return *new(store.Item), errTODO("Item")
}

func (db *DB) SetRead(ctx context.Context, ids []int64, read bool) error {
	return errTODO("SetRead")
}

func (db *DB) SetStarred(ctx context.Context, ids []int64, starred bool) error {
	return errTODO("SetStarred")
}

func (db *DB) MarkAllRead(ctx context.Context, f store.Filter) (int, error) {
	return *new(int), errTODO("MarkAllRead")
}

func (db *DB) FirmCounts(ctx context.Context) (map[string]store.Counts, error) {
	return *new(map[string]store.Counts), errTODO("FirmCounts")
}

func (db *DB) AllianceCounts(ctx context.Context) (map[string]store.Counts, error) {
	return *new(map[string]store.Counts), errTODO("AllianceCounts")
}

// SetIgnore sets the config file's ignore rules.
func (db *DB) SetIgnore(rules []store.Filter) {
	db.ignoreMu.Lock()
	db.ignore = rules
	db.ignoreMu.Unlock()
}
