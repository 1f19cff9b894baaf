package sqlite

import (
	"context"

	"github.com/aiwatch/aiwatch/store"
)

// FeedStatus returns every feed with its fetch status, failing feeds
// included, in ID order, like Feeds but without item counts: it reads the
// feeds alone, where counting reads an index of every item.
func (db *DB) FeedStatus(ctx context.Context) ([]store.Feed, error) {
	return db.queryFeeds(ctx, "list feeds", `SELECT `+feedColumns+` FROM feeds f ORDER BY f.id`)
}

// queryFeeds runs a query of feedColumns.
func (db *DB) queryFeeds(ctx context.Context, what, q string, args ...any) ([]store.Feed, error) {
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, db.wrap(what, err)
	}
	defer rows.Close()
	var out []store.Feed
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, db.wrap(what, err)
		}
		out = append(out, f)
	}
	return out, db.wrap(what, rows.Err())
}
