package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

const feedColumns = `f.id, f.url, f.title, f.lang, f.category, f.kind, f.enabled, f.source, f.user_agent, f.html_rule,
	f.etag, f.last_modified, f.last_check, f.last_success, f.last_status, f.last_error, f.failures, f.next_try,
	f.poll_interval, f.max_body, f.timeout, coalesce((SELECT b.bodies FROM feed_bodies b WHERE b.feed_id = f.id), 'on-demand')`

func scanFeed(sc interface{ Scan(...any) error }, extra ...any) (store.Feed, error) {
	var f store.Feed
	var kind, bodies, rule string
	var check, success, next, interval, timeout int64
	dest := []any{&f.ID, &f.URL, &f.Title, &f.Lang, &f.Category, &kind, &f.Enabled, &f.Source, &f.UserAgent, &rule,
		&f.ETag, &f.LastModified, &check, &success, &f.LastStatus, &f.LastError, &f.Failures, &next,
		&interval, &f.MaxBody, &timeout, &bodies}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return f, err
	}
	f.Kind, f.Bodies = store.FeedKind(kind), store.Bodies(bodies)
	f.Interval, f.Timeout = time.Duration(interval)*time.Second, time.Duration(timeout)*time.Millisecond
	f.LastCheck, f.LastSuccess, f.NextTry = timeOrZero(check), timeOrZero(success), timeOrZero(next)
	if rule != "" {
		f.HTML = &store.HTMLRule{}
		if err := json.Unmarshal([]byte(rule), f.HTML); err != nil {
			return f, fmt.Errorf("feed %d: bad HTML rule: %w", f.ID, err)
		}
	}
	return f, nil
}

// Feeds returns every feed with its fetch status and item counts,
// failing feeds included, in ID order. Unread counts are this handle's
// user's. Items an ignore rule hides (SetIgnore) are counted apart, in
// IgnoredCount, as on SQLite.
func (db *DB) Feeds(ctx context.Context) ([]store.Feed, error) {
	q := &argList{}
	user := q.arg(db.user)
	hidden := "false"
	var rules []string
	for _, r := range db.ignoreRules() {
		if cs := db.filterConds(q, r, false, ""); len(cs) > 0 {
			rules = append(rules, "("+strings.Join(cs, " AND ")+")")
		}
	}
	// Without ignore rules the counts are counters (migration 0003), read
	// in a pass over the feeds; with them, a pass over the items.
	counts := `SELECT ` + feedColumns + `, coalesce(c.n, 0), coalesce(c.n, 0) - coalesce(r.n, 0), 0::bigint
		FROM feeds f LEFT JOIN feed_items c ON c.feed_id = f.id
		LEFT JOIN read_counts r ON r.username = ` + user + ` AND r.kind = 'feed' AND r.entity = f.id::text
		ORDER BY f.id`
	if len(rules) > 0 {
		hidden = strings.Join(rules, " OR ")
		counts = `SELECT ` + feedColumns + `, coalesce(c.n, 0), coalesce(c.unread, 0), coalesce(c.ignored, 0)
		FROM feeds f LEFT JOIN (
			SELECT i.feed_id, count(*) FILTER (WHERE NOT h.hidden) AS n,
				count(*) FILTER (WHERE NOT h.hidden AND m.read IS NOT TRUE) AS unread,
				count(*) FILTER (WHERE h.hidden) AS ignored
			FROM items i LEFT JOIN marks m ON m.item_id = i.id AND m.username = ` + user + `
			CROSS JOIN LATERAL (SELECT coalesce(` + hidden + `, false) AS hidden) h
			GROUP BY i.feed_id) c ON c.feed_id = f.id
		ORDER BY f.id`
	}
	rows, err := db.pool.Query(ctx, counts, q.args...)
	if err != nil {
		return nil, db.wrap("list feeds", err)
	}
	defer rows.Close()
	var out []store.Feed
	for rows.Next() {
		var n, unread, ignored int64
		f, err := scanFeed(rows, &n, &unread, &ignored)
		if err != nil {
			return nil, db.wrap("list feeds", err)
		}
		f.ItemCount, f.UnreadCount, f.IgnoredCount = int(n), int(unread), int(ignored)
		out = append(out, f)
	}
	return out, db.wrap("list feeds", rows.Err())
}

// Feed returns one feed.
func (db *DB) Feed(ctx context.Context, id int64) (store.Feed, error) {
	f, err := scanFeed(db.pool.QueryRow(ctx, `SELECT `+feedColumns+` FROM feeds f WHERE f.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return f, fmt.Errorf("postgres: feed %d: %w", id, store.ErrNotFound)
	}
	return f, db.wrap("read feed", err)
}

// FeedStatus returns every feed with its fetch status, failing feeds
// included, in ID order, like Feeds but without item counts.
func (db *DB) FeedStatus(ctx context.Context) ([]store.Feed, error) {
	return db.queryFeeds(ctx, "list feeds", `SELECT `+feedColumns+` FROM feeds f ORDER BY f.id`)
}

// queryFeeds runs a query of feedColumns.
func (db *DB) queryFeeds(ctx context.Context, what, q string, args ...any) ([]store.Feed, error) {
	rows, err := db.pool.Query(ctx, q, args...)
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

// AddFeed adds a feed and returns its ID. A URL already present is
// refused with store.ErrConflict.
func (db *DB) AddFeed(ctx context.Context, f store.Feed) (int64, error) {
	var id int64
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		id, err = addFeed(ctx, tx, f)
		if err == nil {
			_, err = tx.Exec(ctx, `DELETE FROM removed_feeds WHERE url = $1`, f.URL)
		}
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return 0, fmt.Errorf("postgres: %w", err)
	}
	return id, db.wrap("add feed", err)
}

// addFeed inserts f unless its URL is there; a feed added meanwhile by
// another process is a conflict too, not a driver error.
func addFeed(ctx context.Context, tx pgx.Tx, f store.Feed) (int64, error) {
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
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO feeds (url, title, lang, category, kind, enabled, source, user_agent, html_rule)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (url) DO NOTHING RETURNING id`,
		f.URL, pgText(f.Title), pgText(f.Lang), pgText(f.Category), string(f.Kind), f.Enabled, f.Source, f.UserAgent, rule).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		var existing int64
		if err := tx.QueryRow(ctx, `SELECT id FROM feeds WHERE url = $1`, f.URL).Scan(&existing); err != nil {
			return 0, err
		}
		return existing, fmt.Errorf("feed %s is already feed %d: %w", f.URL, existing, store.ErrConflict)
	}
	return id, err
}

// RemoveFeed removes a feed and its items and returns how many items
// went with it. A reference feed stays removed across reseeds. Where one
// of its items was the copy a story is shown as, the earliest copy left
// takes its place.
func (db *DB) RemoveFeed(ctx context.Context, id int64) (int, error) {
	var n int
	err := db.retryTx(ctx, func(tx pgx.Tx) error {
		var url string
		if err := tx.QueryRow(ctx, `SELECT url FROM feeds WHERE id = $1 FOR UPDATE`, id).Scan(&url); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("feed %d: %w", id, store.ErrNotFound)
			}
			return err
		}
		if err := lockSaves(ctx, tx); err != nil {
			return err
		}
		var err error
		n, err = deleteItems(ctx, tx, `feed_id = $1`, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM feeds WHERE id = $1`, id); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO removed_feeds (url) VALUES ($1) ON CONFLICT DO NOTHING`, url)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return 0, fmt.Errorf("postgres: %w", err)
	}
	return n, db.wrap("remove feed", err)
}

// SetFeedEnabled enables or disables a feed.
func (db *DB) SetFeedEnabled(ctx context.Context, id int64, enabled bool) error {
	var n int64
	err := db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE feeds SET enabled = $1, next_try = 0 WHERE id = $2`, enabled, id)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return db.wrap("update feed", err)
	}
	if n == 0 {
		return fmt.Errorf("postgres: feed %d: %w", id, store.ErrNotFound)
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
				return nil, fmt.Errorf("postgres: feed %d is built in and cannot be fetched", id)
			}
			out = append(out, f)
		}
		return out, nil
	}
	return db.queryFeeds(ctx, "list due feeds",
		`SELECT `+feedColumns+` FROM feeds f WHERE f.enabled AND f.kind <> 'builtin' AND f.next_try <= $1 ORDER BY f.id`, now.Unix())
}

// SetFeedSettings changes the schedule and limits of feeds, all or
// none. A new interval moves a healthy feed's next check to its last
// success plus the interval; a feed backing off keeps its wait.
func (db *DB) SetFeedSettings(ctx context.Context, ids []int64, s store.FeedSettings) error {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		for _, id := range ids {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM feeds WHERE id = $1 AND kind <> 'builtin'`, id).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("feed %d: %w", id, store.ErrNotFound)
			}
			if s.Interval != nil {
				sec := int64(*s.Interval / time.Second)
				if _, err := tx.Exec(ctx, `UPDATE feeds SET poll_interval = $1::bigint,
					next_try = CASE WHEN failures = 0 AND last_success > 0 AND $1 > 0 THEN last_success + $1 ELSE next_try END
					WHERE id = $2`, sec, id); err != nil {
					return err
				}
			}
			if s.MaxBody != nil {
				if _, err := tx.Exec(ctx, `UPDATE feeds SET max_body = $1 WHERE id = $2`, *s.MaxBody, id); err != nil {
					return err
				}
			}
			if s.Timeout != nil {
				if _, err := tx.Exec(ctx, `UPDATE feeds SET timeout = $1 WHERE id = $2`, s.Timeout.Milliseconds(), id); err != nil {
					return err
				}
			}
			if s.Bodies != nil {
				var err error
				if *s.Bodies == store.BodiesOnDemand {
					_, err = tx.Exec(ctx, `DELETE FROM feed_bodies WHERE feed_id = $1`, id)
				} else {
					_, err = tx.Exec(ctx, `INSERT INTO feed_bodies (feed_id, bodies) VALUES ($1, $2)
						ON CONFLICT (feed_id) DO UPDATE SET bodies = excluded.bodies`, id, string(*s.Bodies))
				}
				if err != nil {
					return err
				}
			}
			if s.UserAgent != nil {
				if _, err := tx.Exec(ctx, `UPDATE feeds SET user_agent = $1 WHERE id = $2`, *s.UserAgent, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("postgres: %w", err)
	}
	return db.wrap("update feed", err)
}
