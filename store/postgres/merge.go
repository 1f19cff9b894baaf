package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// MergeResult is what MergeItems did.
type MergeResult struct {
	// FeedID is the feed's ID in this store; FeedAdded says it was new.
	FeedID    int64
	FeedAdded bool
	// Added counts the items that were new; the others were here already
	// and are left as they are.
	Added int
	// IDs are the items' IDs in this store, in the order given.
	IDs []int64
}

// mergeMention is one match as item_tags.mentions holds it, in the JSON
// that store/sqlite writes.
type mergeMention struct {
	Alias string `json:"alias"`
	Field string `json:"field"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// MergeItems copies items of the feed f from another store into this one
// (aiwatch migrate), in one transaction that notifies like every write.
// The feed is found by its URL, or added with f's settings. An item is
// found by its identity in the feed (its key) and is never written twice:
// one that is here already keeps its text and tags, so that merging again
// changes nothing. A new item gets its text, search text, firm and
// alliance tags with their mentions, and the alliance roll-up through
// this store's memberships. The items' read and starred marks are added
// to this handle's user's (a mark here is kept: marks only add).
func (db *DB) MergeItems(ctx context.Context, f store.Feed, items []store.Item) (MergeResult, error) {
	var res MergeResult
	err := db.retryTx(ctx, func(tx pgx.Tx) error {
		if err := lockNewRows(ctx, tx); err != nil {
			return err
		}
		res = MergeResult{}
		var err error
		res.FeedID, res.FeedAdded, err = mergeFeed(ctx, tx, f)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return nil
		}
		keys := make([]string, len(items))
		for i, it := range items {
			keys[i] = noNUL(it.Key)
		}
		ids, err := itemIDs(ctx, tx, res.FeedID, keys)
		if err != nil {
			return err
		}
		// The new ones go through the save path, as a fetch's would:
		// fingerprint, search text, tags with the roll-up, stories (a
		// copy of a story this store has joins it and takes each user's
		// marks of it).
		var fresh []store.Item
		for i, it := range items {
			if _, ok := ids[keys[i]]; !ok {
				fresh = append(fresh, it)
			}
		}
		if len(fresh) > 0 {
			ch, stop := prepare(store.OneBatch(fresh))
			defer stop()
			st, err := db.saveItems(ctx, tx, res.FeedID, &source{ch: ch})
			if err != nil {
				return err
			}
			res.Added = st.New
			if ids, err = itemIDs(ctx, tx, res.FeedID, keys); err != nil {
				return err
			}
		}
		res.IDs = make([]int64, len(items))
		var markItem []int64
		var markRead, markStarred []bool
		for i, it := range items {
			id := ids[keys[i]]
			res.IDs[i] = id
			if id != 0 && (it.Read || it.Starred) {
				markItem, markRead, markStarred = append(markItem, id), append(markRead, it.Read), append(markStarred, it.Starred)
			}
		}
		if len(markItem) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO marks (username, item_id, read, starred)
				SELECT $1, i, r, s FROM unnest($2::bigint[], $3::boolean[], $4::boolean[]) AS t (i, r, s)
				ORDER BY i
				ON CONFLICT (username, item_id) DO UPDATE
					SET read = marks.read OR excluded.read, starred = marks.starred OR excluded.starred`,
				db.user, markItem, markRead, markStarred); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return MergeResult{}, db.wrap("merge the items of "+store.CleanLine(f.URL, 200), err)
	}
	return res, nil
}

// itemIDs returns the IDs of the feed's items with the given keys, by key.
func itemIDs(ctx context.Context, tx pgx.Tx, feedID int64, keys []string) (map[string]int64, error) {
	rows, err := tx.Query(ctx, `SELECT id, key FROM items WHERE feed_id = $1 AND key = ANY($2)`, feedID, keys)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := map[string]int64{}
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return nil, err
		}
		ids[key] = id
	}
	return ids, rows.Err()
}

// mergeFeed finds the feed with f's URL, or adds it with f's settings.
func mergeFeed(ctx context.Context, tx pgx.Tx, f store.Feed) (id int64, added bool, err error) {
	if err := tx.QueryRow(ctx, `SELECT id FROM feeds WHERE url = $1`, f.URL).Scan(&id); err == nil {
		return id, false, nil
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return 0, false, err
	}
	var rule string
	if f.HTML != nil {
		b, err := json.Marshal(f.HTML)
		if err != nil {
			return 0, false, err
		}
		rule = string(b)
	}
	kind := string(f.Kind)
	if kind == "" {
		kind = string(store.KindFeed)
	}
	source := f.Source
	if source == "" {
		source = store.SourceUser
	}
	err = tx.QueryRow(ctx, `INSERT INTO feeds (url, title, lang, category, kind, enabled, source, user_agent, html_rule,
			poll_interval, max_body, timeout)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		noNUL(f.URL), noNUL(f.Title), noNUL(f.Lang), noNUL(f.Category), kind, f.Enabled, source, noNUL(f.UserAgent), rule,
		int64(f.Interval.Seconds()), f.MaxBody, f.Timeout.Milliseconds()).Scan(&id)
	if err != nil {
		return 0, false, err
	}
	if f.Bodies == "always" || f.Bodies == "never" {
		if _, err := tx.Exec(ctx, `INSERT INTO feed_bodies (feed_id, bodies) VALUES ($1, $2)`, id, f.Bodies); err != nil {
			return 0, false, err
		}
	}
	return id, true, nil
}

// noNUL is s as PostgreSQL's text takes it: valid UTF-8 without NUL.
func noNUL(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}
