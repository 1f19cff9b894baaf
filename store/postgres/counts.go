package postgres

import (
	"context"
	"strings"

	"github.com/aiwatch/aiwatch/store"
)

// FirmCounts returns, per firm ID, how many stories name the firm, how
// many of them the user has not read, and their weekly trend; items an
// ignore rule hides are not counted.
func (db *DB) FirmCounts(ctx context.Context) (map[string]store.Counts, error) {
	return db.tagCounts(ctx, string(store.KindFirm))
}

// AllianceCounts returns the counts of FirmCounts per alliance, counting
// the stories that name the alliance or any member; the key "" counts
// all stories.
func (db *DB) AllianceCounts(ctx context.Context) (map[string]store.Counts, error) {
	out, err := db.tagCounts(ctx, "ally")
	if err != nil {
		return nil, err
	}
	all, err := db.CountItems(ctx, store.Filter{})
	out[""] = all
	return out, err
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

// The week rule of store.Week.
const (
	trendEpoch = 4 * 24 * 3600
	trendWeek  = 7 * 24 * 3600
)
