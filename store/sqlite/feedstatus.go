package sqlite

import (
	"context"

	"github.com/aiwatch/aiwatch/store"
)

// FeedStatus returns every feed with its fetch status, failing feeds
// included, in ID order, like Feeds but without item counts: it reads the
// feeds alone, where counting reads an index of every item.
func (db *DB) FeedStatus(ctx context.Context) ([]store.Feed, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+feedColumns+` FROM feeds f ORDER BY f.id`)
	if err != nil {
		return nil, db.wrap("list feeds", err)
	}
	defer rows.Close()
	var out []store.Feed
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, db.wrap("list feeds", err)
		}
		out = append(out, f)
	}
	return out, db.wrap("list feeds", rows.Err())
}
