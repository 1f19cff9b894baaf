package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

const feedColumns = `f.id, f.url, f.title, f.lang, f.category, f.kind, f.enabled, f.source, f.user_agent, f.html_rule,
	f.etag, f.last_modified, f.last_check, f.last_success, f.last_status, f.last_error, f.failures, f.next_try,
	f.poll_interval, f.max_body, f.timeout, coalesce((SELECT b.bodies FROM feed_bodies b WHERE b.feed_id = f.id), 'on-demand')`

func scanFeed(sc interface{ Scan(...any) error }, extra ...any) (store.Feed, error) {
	var f store.Feed
	var rule string
	var check, success, next, interval, timeout int64
	dest := []any{&f.ID, &f.URL, &f.Title, &f.Lang, &f.Category, &f.Kind, &f.Enabled, &f.Source, &f.UserAgent, &rule,
		&f.ETag, &f.LastModified, &check, &success, &f.LastStatus, &f.LastError, &f.Failures, &next,
		&interval, &f.MaxBody, &timeout, &f.Bodies}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return f, err
	}
	f.Interval, f.Timeout = time.Duration(interval)*time.Second, time.Duration(timeout)*time.Millisecond
	f.LastCheck, f.LastSuccess, f.NextTry = fromUnix(check), fromUnix(success), fromUnix(next)
	if rule != "" {
		f.HTML = &store.HTMLRule{}
		if err := json.Unmarshal([]byte(rule), f.HTML); err != nil {
			return f, fmt.Errorf("feed %d: bad HTML rule: %w", f.ID, err)
		}
	}
	return f, nil
}

// Feeds returns every feed with its fetch status and item counts,
// failing feeds included, in ID order.
func (db *DB) Feeds(ctx context.Context) ([]store.Feed, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+feedColumns+`, coalesce(c.n, 0), coalesce(c.unread, 0)
		FROM feeds f LEFT JOIN (SELECT feed_id, count(*) AS n, sum(read = 0) AS unread FROM items GROUP BY feed_id) c ON c.feed_id = f.id
		ORDER BY f.id`)
	if err != nil {
		return nil, db.wrap("list feeds", err)
	}
	defer rows.Close()
	var out []store.Feed
	for rows.Next() {
		var n, unread int
		f, err := scanFeed(rows, &n, &unread)
		if err != nil {
			return nil, db.wrap("list feeds", err)
		}
		f.ItemCount, f.UnreadCount = n, unread
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, db.wrap("list feeds", err)
	}
	ig, err := db.ignoredFeedCounts(ctx)
	for i, f := range out {
		c := ig[f.ID]
		out[i].IgnoredCount = c.Total
		out[i].ItemCount, out[i].UnreadCount = max(f.ItemCount-c.Total, 0), max(f.UnreadCount-c.Unread, 0)
	}
	return out, db.wrap("list feeds", err)
}

// Feed returns one feed.
func (db *DB) Feed(ctx context.Context, id int64) (store.Feed, error) {
	f, err := scanFeed(db.db.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds f WHERE f.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("sqlite: feed %d: %w", id, store.ErrNotFound)
	}
	return f, db.wrap("read feed", err)
}

// AddFeed adds a feed and returns its ID. A URL already present is
// refused with store.ErrConflict.
func (db *DB) AddFeed(ctx context.Context, f store.Feed) (int64, error) {
	var id int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = addFeed(ctx, tx, f)
		if err == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM removed_feeds WHERE url = ?`, f.URL)
		}
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	return id, db.wrap("add feed", err)
}

func addFeed(ctx context.Context, tx *sql.Tx, f store.Feed) (int64, error) {
	var existing int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM feeds WHERE url = ?`, f.URL).Scan(&existing)
	if err == nil {
		return existing, fmt.Errorf("feed %s is already feed %d: %w", f.URL, existing, store.ErrConflict)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if f.Kind == "" {
		f.Kind = store.KindFeed
	}
	if f.Source == "" {
		f.Source = store.SourceUser
	}
	rule := ""
	if f.HTML != nil {
		b, err := json.Marshal(f.HTML)
		if err != nil {
			return 0, err
		}
		rule = string(b)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO feeds (url, title, lang, category, kind, enabled, source, user_agent, html_rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.URL, f.Title, f.Lang, f.Category, f.Kind, f.Enabled, f.Source, f.UserAgent, rule)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// RemoveFeed removes a feed and its items and returns how many items
// went with it. A reference feed stays removed across reseeds.
func (db *DB) RemoveFeed(ctx context.Context, id int64) (int, error) {
	var n int
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var url string
		if err := tx.QueryRowContext(ctx, `SELECT url FROM feeds WHERE id = ?`, id).Scan(&url); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("feed %d: %w", id, store.ErrNotFound)
			}
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM items WHERE feed_id = ?`, id).Scan(&n); err != nil {
			return err
		}
		// External-content FTS rows must be removed with their old values.
		if _, err := tx.ExecContext(ctx, `INSERT INTO items_fts (items_fts, rowid, title, summary, content)
			SELECT 'delete', id, title, summary, content FROM items WHERE feed_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM items_words WHERE rowid IN (SELECT id FROM items WHERE feed_id = ?)`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO removed_feeds (url) VALUES (?)`, url)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	return n, db.wrap("remove feed", err)
}

// SetFeedEnabled enables or disables a feed.
func (db *DB) SetFeedEnabled(ctx context.Context, id int64, enabled bool) error {
	res, err := db.db.ExecContext(ctx, `UPDATE feeds SET enabled = ?, next_try = 0 WHERE id = ?`, enabled, id)
	if err != nil {
		return db.wrap("update feed", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlite: feed %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// DueFeeds returns the enabled feeds whose next try is due at now. When
// ids is not empty, it returns exactly those feeds, due or not, enabled
// or not, and fails on an unknown ID.
func (db *DB) DueFeeds(ctx context.Context, now time.Time, ids []int64) ([]store.Feed, error) {
	if len(ids) > 0 {
		var out []store.Feed
		for _, id := range ids {
			f, err := db.Feed(ctx, id)
			if err != nil {
				return nil, err
			}
			if f.Kind == store.KindBuiltin {
				return nil, fmt.Errorf("sqlite: feed %d is built in and cannot be fetched", id)
			}
			out = append(out, f)
		}
		return out, nil
	}
	return db.queryFeeds(ctx, "list due feeds",
		`SELECT `+feedColumns+` FROM feeds f WHERE f.enabled = 1 AND f.kind <> 'builtin' AND f.next_try <= ? ORDER BY f.id`, now.Unix())
}
