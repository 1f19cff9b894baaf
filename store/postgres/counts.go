package postgres

import (
	"context"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// countCache holds the per-tag counts (kind "firm", "ally", or "" for all
// items under "") that were read at one data version, in one trend week:
// every pane asks for them on every refresh, and reading them costs a
// pass over a kind's tags, while they change only with a write, which
// moves the data version. They are counted by queries all the same; this
// only keeps the last answer.
type countCache struct {
	mu      sync.Mutex
	version int64
	week    int64
	kinds   map[string]map[string]store.Counts
	gen     int                      // moves with each reset, so that counts read under old rules are not kept
	flight  map[string]chan struct{} // closed when the count of a kind under way ends
	last    map[string]countRun
}

// reset forgets the counts; SetIgnore calls it.
func (c *countCache) reset() {
	c.mu.Lock()
	c.kinds = nil
	c.gen++
	c.mu.Unlock()
}

// cachedCounts returns the counts of a kind of tag, from the cache when
// nothing has been written since they were read. The caller owns the map.
//
// Counting is a pass over the kind's tags, so on a large store that many
// dashboards watch while a fetcher writes, counts asked for after every
// write would pile up faster than the server answers them. Two rules keep
// that bounded, and leave a small store's counts exact at once: callers
// in this process that ask at the same time share one count (and a caller
// who came during it counts again only if a write came after it began);
// and, with ignore rules set (when a count is a full query rather than a
// read of the counters), a kind whose last count took long (pace) is
// counted again only once that much more time has passed, the caller
// waiting for it rather than getting stale counts.
func (db *DB) cachedCounts(ctx context.Context, kind string) (map[string]store.Counts, error) {
	c := &db.counts
	for {
		// The version is read first: a write that lands while the counts
		// are read moves it again, so they are read anew next time.
		v, err := db.DataVersion(ctx)
		if err != nil {
			return nil, err
		}
		week := store.Week(db.Now().Unix())
		c.mu.Lock()
		if c.version == v && c.week == week && c.kinds[kind] != nil {
			m := maps.Clone(c.kinds[kind])
			c.mu.Unlock()
			return m, nil
		}
		if f := c.flight[kind]; f != nil {
			c.mu.Unlock()
			select {
			case <-f:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		// Counters cost a pass over a few hundred rows whatever the
		// store's size, so only the full counts under ignore rules are
		// spaced: a counter read slowed by a busy server would
		// otherwise hold back the next one, and the keystroke waiting
		// for it, by three times as long.
		full := len(db.ignoreRules()) > 0
		if r, ok := c.last[kind]; ok && full {
			if wait := pace(r.took) - time.Since(r.start); wait > 0 {
				c.mu.Unlock()
				t := time.NewTimer(wait)
				select {
				case <-t.C:
					continue
				case <-ctx.Done():
					t.Stop()
					return nil, ctx.Err()
				}
			}
		}
		done := make(chan struct{})
		if c.flight == nil {
			c.flight, c.last = map[string]chan struct{}{}, map[string]countRun{}
		}
		c.flight[kind] = done
		gen := c.gen
		c.mu.Unlock()

		start := time.Now()
		var m map[string]store.Counts
		if !full {
			m, err = db.counterCounts(ctx, kind)
		} else if kind == "" {
			var all store.Counts
			all, err = db.countItems(ctx, store.Filter{})
			m = map[string]store.Counts{"": all}
		} else {
			m, err = db.tagCounts(ctx, kind)
		}
		c.mu.Lock()
		delete(c.flight, kind)
		close(done)
		if err != nil {
			c.mu.Unlock()
			return nil, err
		}
		c.last[kind] = countRun{start: start, took: time.Since(start)}
		if c.gen == gen {
			if c.kinds == nil || c.version != v || c.week != week {
				c.kinds, c.version, c.week = map[string]map[string]store.Counts{}, v, week
			}
			c.kinds[kind] = m
		}
		c.mu.Unlock()
		return maps.Clone(m), nil
	}
}

// countRun is when the last count of a kind began and how long it took.
type countRun struct {
	start time.Time
	took  time.Duration
}

// pace is how long after a count that took took the next one of its kind
// may begin: at once for a count under 100 ms (every store of a few
// hundred thousand items), else three times as long, at most 30 s, so that
// counting takes at most a quarter of the server's time per process.
func pace(took time.Duration) time.Duration {
	if took < 100*time.Millisecond {
		return 0
	}
	return min(3*took, 30*time.Second)
}

// FirmCounts returns, per firm ID, how many stories name the firm, how
// many of them the user has not read, and their weekly trend; items an
// ignore rule hides are not counted.
func (db *DB) FirmCounts(ctx context.Context) (map[string]store.Counts, error) {
	return db.cachedCounts(ctx, string(store.KindFirm))
}

// AllianceCounts returns the counts of FirmCounts per alliance, counting
// the stories that name the alliance or any member; the key "" counts
// all stories.
func (db *DB) AllianceCounts(ctx context.Context) (map[string]store.Counts, error) {
	out, err := db.cachedCounts(ctx, "ally")
	if err != nil {
		return nil, err
	}
	all, err := db.cachedCounts(ctx, "")
	if err != nil {
		return nil, err
	}
	out[""] = all[""]
	return out, nil
}

// tagCounts counts the stories per tag of a kind ("firm" or "ally") in
// one pass over the kind's rows of item_tags, whose copy and published
// columns say all it needs; items i is joined only for the ignore rules.
func (db *DB) tagCounts(ctx context.Context, kind string) (map[string]store.Counts, error) {
	var q argList
	user := q.arg(db.user)
	last := store.Week(db.Now().Unix())
	var weeks []string
	for w := range store.TrendWeeks {
		start := (last-store.TrendWeeks+1+int64(w))*trendWeek + trendEpoch
		weeks = append(weeks, `count(*) FILTER (WHERE t.published >= `+q.arg(start)+` AND t.published < `+q.arg(start+trendWeek)+`)`)
	}
	conds := []string{`t.kind = ` + q.arg(kind), `t.copy = 0`}
	conds = append(conds, db.ignoreConds(&q, db.ignoreRules(), false)...)
	rows, err := db.pool.Query(ctx, `SELECT t.entity, count(*), count(*) FILTER (WHERE m.item_id IS NULL), `+strings.Join(weeks, ", ")+`
		FROM item_tags t LEFT JOIN items i ON i.id = t.item_id
		LEFT JOIN marks m ON m.username = `+user+` AND m.item_id = t.item_id AND m.read
		WHERE `+strings.Join(conds, " AND ")+` GROUP BY t.entity`, q.args...)
	if err != nil {
		return nil, db.wrap("count items", err)
	}
	defer rows.Close()
	out := map[string]store.Counts{}
	for rows.Next() {
		var id string
		var c store.Counts
		dest := []any{&id, &c.Total, &c.Unread}
		for w := range c.Trend {
			dest = append(dest, &c.Trend[w])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, db.wrap("count items", err)
		}
		out[id] = c
	}
	return out, db.wrap("count items", rows.Err())
}

// counterCounts reads the counts of a kind of tag ("" for all items)
// from tag_weeks, which the triggers of migration 0002 keep: totals and
// trends are sums over the kind's entities and weeks, and the unread
// count is the total less the user's read marks on the kind's stories,
// which read_counts keeps (migration 0003). It costs a pass over the
// entities' weeks, not over the items or the user's marks; it is exact
// only without ignore rules.
func (db *DB) counterCounts(ctx context.Context, kind string) (map[string]store.Counts, error) {
	var q argList
	k := q.arg(kind)
	last := store.Week(db.Now().Unix())
	var weeks []string
	for w := range store.TrendWeeks {
		weeks = append(weeks, `sum(n) FILTER (WHERE week = `+q.arg(last-store.TrendWeeks+1+int64(w))+`)::bigint`)
	}
	out := map[string]store.Counts{}
	rows, err := db.pool.Query(ctx, `SELECT entity, sum(n)::bigint, `+strings.Join(weeks, ", ")+`
		FROM tag_weeks WHERE kind = `+k+` GROUP BY entity HAVING sum(n) <> 0`, q.args...)
	if err != nil {
		return nil, db.wrap("count items", err)
	}
	for rows.Next() {
		var id string
		var total int
		trend := make([]*int, store.TrendWeeks)
		dest := []any{&id, &total}
		for w := range trend {
			dest = append(dest, &trend[w])
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return nil, db.wrap("count items", err)
		}
		c := store.Counts{Total: total, Unread: total}
		for w, n := range trend {
			if n != nil {
				c.Trend[w] = *n
			}
		}
		out[id] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.wrap("count items", err)
	}
	rows, err = db.pool.Query(ctx, `SELECT entity, n FROM read_counts WHERE username = $1 AND kind = $2 AND n <> 0`, db.user, kind)
	if err != nil {
		return nil, db.wrap("count items", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, db.wrap("count items", err)
		}
		if c, ok := out[id]; ok {
			c.Unread -= n
			out[id] = c
		}
	}
	if err := rows.Err(); err != nil {
		return nil, db.wrap("count items", err)
	}
	if kind == "" { // all items have no trend, and a count even when none
		c := out[""]
		c.Trend = store.Trend{}
		out[""] = c
	}
	return out, nil
}

// The week rule of store.Week.
const (
	trendEpoch = 4 * 24 * 3600
	trendWeek  = 7 * 24 * 3600
)
