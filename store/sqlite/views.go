package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// Views returns the stored views, by name.
func (db *DB) Views(ctx context.Context) ([]store.View, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT name, query FROM views ORDER BY name COLLATE NOCASE`)
	if err != nil {
		return nil, db.wrap("list views", err)
	}
	defer rows.Close()
	var out []store.View
	for rows.Next() {
		v := store.View{Source: "store"}
		if err := rows.Scan(&v.Name, &v.Query); err != nil {
			return nil, db.wrap("list views", err)
		}
		out = append(out, v)
	}
	return out, db.wrap("list views", rows.Err())
}

// AddView stores a view. A name already stored, in any case, is refused
// with store.ErrConflict.
func (db *DB) AddView(ctx context.Context, v store.View) error {
	v.Name = strings.TrimSpace(v.Name)
	if v.Name == "" || strings.TrimSpace(v.Query) == "" {
		return errors.New("sqlite: a view needs a name and a query")
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var existing string
		err := tx.QueryRowContext(ctx, `SELECT name FROM views WHERE name = ?`, v.Name).Scan(&existing)
		if err == nil {
			return fmt.Errorf("view %q: %w", existing, store.ErrConflict)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO views (name, query, created) VALUES (?, ?, ?)`, v.Name, v.Query, db.Now().Unix())
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("sqlite: %w", err)
	}
	return db.wrap("add view", err)
}

// RemoveView removes a stored view by name, in any case.
func (db *DB) RemoveView(ctx context.Context, name string) error {
	res, err := db.db.ExecContext(ctx, `DELETE FROM views WHERE name = ?`, strings.TrimSpace(name))
	if err != nil {
		return db.wrap("remove view", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlite: view %q: %w", name, store.ErrNotFound)
	}
	return nil
}

// SetFeedSettings changes the schedule and limits of feeds, all or
// none. A new interval moves a healthy feed's next check to its last
// success plus the interval; a feed backing off keeps its wait.
func (db *DB) SetFeedSettings(ctx context.Context, ids []int64, s store.FeedSettings) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM feeds WHERE id = ? AND kind <> 'builtin'`, id).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("feed %d: %w", id, store.ErrNotFound)
			}
			if s.Interval != nil {
				sec := int64(*s.Interval / time.Second)
				if _, err := tx.ExecContext(ctx, `UPDATE feeds SET poll_interval = ?1,
					next_try = CASE WHEN failures = 0 AND last_success > 0 AND ?1 > 0 THEN last_success + ?1 ELSE next_try END
					WHERE id = ?2`, sec, id); err != nil {
					return err
				}
			}
			if s.MaxBody != nil {
				if _, err := tx.ExecContext(ctx, `UPDATE feeds SET max_body = ? WHERE id = ?`, *s.MaxBody, id); err != nil {
					return err
				}
			}
			if s.Timeout != nil {
				if _, err := tx.ExecContext(ctx, `UPDATE feeds SET timeout = ? WHERE id = ?`, s.Timeout.Milliseconds(), id); err != nil {
					return err
				}
			}
			if s.Bodies != nil {
				var err error
				if *s.Bodies == store.BodiesOnDemand {
					_, err = tx.ExecContext(ctx, `DELETE FROM feed_bodies WHERE feed_id = ?`, id)
				} else {
					_, err = tx.ExecContext(ctx, `INSERT INTO feed_bodies (feed_id, bodies) VALUES (?, ?)
						ON CONFLICT (feed_id) DO UPDATE SET bodies = excluded.bodies`, id, string(*s.Bodies))
				}
				if err != nil {
					return err
				}
			}
			if s.UserAgent != nil {
				if _, err := tx.ExecContext(ctx, `UPDATE feeds SET user_agent = ? WHERE id = ?`, *s.UserAgent, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("sqlite: %w", err)
	}
	return db.wrap("update feed", err)
}
