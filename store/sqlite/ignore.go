package sqlite

import (
	"context"
	"strings"
	"sync"

	"github.com/aiwatch/aiwatch/store"
)

// SetIgnore sets the ignore rules: items matching any of them are left
// out of Items, CountItems, the per-firm, per-alliance and per-feed
// counts and MarkAllRead, and are never deleted. Item still reads an
// ignored item by its ID. Call it before the store is shared between
// goroutines; nil shows everything.
func (db *DB) SetIgnore(rules []store.Filter) {
	db.ignore = nil
	db.ignoreCache.mu.Lock()
	db.ignoreCache.counts = nil
	db.ignoreCache.mu.Unlock()
	for _, r := range rules {
		r.Limit, r.Offset = 0, 0
		if cs := conditions(r, false); len(cs) > 0 { // the feed's text, not a fetched article
			db.ignore = append(db.ignore, cs)
		}
	}
}

// ignoreConds returns one condition per rule: that an item does not match
// it.
func (db *DB) ignoreConds() []cond {
	out := make([]cond, 0, len(db.ignore))
	for _, cs := range db.ignore {
		var c cond
		var sets, probes []string
		for _, x := range cs {
			sets, probes = append(sets, x.set), append(probes, x.probe)
			c.setArgs, c.probeArgs = append(c.setArgs, x.setArgs...), append(c.probeArgs, x.probeArgs...)
		}
		c.set = "NOT (" + strings.Join(sets, " AND ") + ")"
		c.probe = "NOT (" + strings.Join(probes, " AND ") + ")"
		out = append(out, c)
	}
	return out
}

// ignored returns the condition, on items i, that an item matches any
// rule, or "" when there are none.
func (db *DB) ignored() (string, []any) {
	if len(db.ignore) == 0 {
		return "", nil
	}
	var ors []string
	var args []any
	for _, cs := range db.ignore {
		var sets []string
		for _, x := range cs {
			sets, args = append(sets, x.set), append(args, x.setArgs...)
		}
		ors = append(ors, "("+strings.Join(sets, " AND ")+")")
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// ignoreCache holds the counts of the ignored items per tag, for the
// data version they were read at: the panes ask for them on every
// refresh, and reading them costs a look at every ignored item.
type ignoreCache struct {
	mu      sync.Mutex
	version int64
	counts  map[string]map[string]store.Counts // kind → entity → counts; kind "" holds all items under ""
}

// ignoredTagCounts counts the ignored items per tag of a kind ("firm",
// "ally", or "" for all items under ""), to take from the counters.
func (db *DB) ignoredTagCounts(ctx context.Context, kind string) (map[string]store.Counts, error) {
	if len(db.ignore) == 0 {
		return map[string]store.Counts{}, nil
	}
	v, err := db.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	c := &db.ignoreCache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil || c.version != v {
		c.counts, c.version = map[string]map[string]store.Counts{}, v
	}
	if m, ok := c.counts[kind]; ok {
		return m, nil
	}
	m, err := db.countIgnored(ctx, kind)
	if err != nil {
		return nil, err
	}
	c.counts[kind] = m
	return m, nil
}

// countIgnored reads what ignoredTagCounts returns, from the ignored
// items (found through their own conditions) to their tags.
func (db *DB) countIgnored(ctx context.Context, kind string) (map[string]store.Counts, error) {
	w, args := db.ignored()
	var q string
	if kind == "" {
		q = `SELECT '', count(*), coalesce(sum(i.read = 0), 0) FROM items i WHERE i.copy = 0 AND ` + w
	} else {
		q = `SELECT t.entity, count(*), coalesce(sum(t.unread), 0) FROM items i
			CROSS JOIN item_tags t INDEXED BY item_tags_item ON t.item_id = i.id AND t.kind = ?
			WHERE t.copy = 0 AND ` + w + ` GROUP BY t.entity`
		args = append([]any{kind}, args...)
	}
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]store.Counts{}
	for rows.Next() {
		var id string
		var c store.Counts
		if err := rows.Scan(&id, &c.Total, &c.Unread); err != nil {
			rows.Close()
			return nil, err
		}
		out[id] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil || kind == "" {
		return out, err
	}
	return out, db.countIgnoredWeeks(ctx, kind, out)
}

// countIgnoredWeeks adds to out the ignored items of the trend's weeks,
// per tag of a kind and week: only the items of those weeks are read.
func (db *DB) countIgnoredWeeks(ctx context.Context, kind string, out map[string]store.Counts) error {
	w, args := db.ignored()
	last := store.Week(db.Now().Unix())
	from := (last-store.TrendWeeks+1)*7*24*3600 + 4*24*3600 // the first week's Monday (store.Week)
	rows, err := db.db.QueryContext(ctx, `SELECT t.entity, `+store.WeekSQL("i.published")+` AS week, count(*) FROM items i
		CROSS JOIN item_tags t INDEXED BY item_tags_item ON t.item_id = i.id AND t.kind = ?
		WHERE i.published >= ? AND `+w+` GROUP BY t.entity, week`, append([]any{kind, from}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var week int64
		var n int
		if err := rows.Scan(&id, &week, &n); err != nil {
			return err
		}
		if i := week - last + store.TrendWeeks - 1; i >= 0 && i < store.TrendWeeks {
			c := out[id]
			c.Trend[i] += n
			out[id] = c
		}
	}
	return rows.Err()
}

// ignoredFeedCounts counts the ignored items of each feed.
func (db *DB) ignoredFeedCounts(ctx context.Context) (map[int64]store.Counts, error) {
	w, args := db.ignored()
	out := map[int64]store.Counts{}
	if w == "" {
		return out, nil
	}
	rows, err := db.db.QueryContext(ctx, `SELECT i.feed_id, count(*), coalesce(sum(i.read = 0), 0) FROM items i WHERE `+w+` GROUP BY i.feed_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c store.Counts
		if err := rows.Scan(&id, &c.Total, &c.Unread); err != nil {
			return nil, err
		}
		out[id] = c
	}
	return out, rows.Err()
}

func minus(a, b store.Counts) store.Counts {
	c := store.Counts{Total: max(a.Total-b.Total, 0), Unread: max(a.Unread-b.Unread, 0)}
	for i := range c.Trend {
		c.Trend[i] = max(a.Trend[i]-b.Trend[i], 0)
	}
	return c
}
