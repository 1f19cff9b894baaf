package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// User meta keys: what belongs to one user but is not a mark.
const (
	userKeyChangesSeen = "changes_seen" // unix seconds: the user's last look at what changed
	userKeyItemMark    = "alerts_item_mark"
	userKeyEventMark   = "alerts_event_mark"
	// seedEventsKey, in meta, is the last designation event the first
	// seed logged, as on SQLite.
	seedEventsKey = "seed_events"
)

// ChangesSeen returns when the user last looked at what changed. A user
// who never has starts where the team's store started, so that the
// reference dataset's history is not news to a newcomer: the first seed's
// look (meta changes_seen), else the time of the last event the first
// seed logged (meta seed_events); with neither, the zero time. Another
// user's looks never count.
func (db *DB) ChangesSeen(ctx context.Context) (time.Time, error) {
	var v string
	err := db.pool.QueryRow(ctx, `SELECT coalesce(
			(SELECT value FROM user_meta WHERE username = $1 AND key = $2),
			(SELECT value FROM meta WHERE key = $2),
			(SELECT e.at::text FROM meta m JOIN designation_events e ON e.id::text = m.value WHERE m.key = $3),
			'')`, db.user, userKeyChangesSeen, seedEventsKey).Scan(&v)
	if err != nil {
		return time.Time{}, db.wrap("read when changes were last seen", err)
	}
	n, perr := strconv.ParseInt(v, 10, 64)
	if perr != nil || n == 0 {
		return time.Time{}, nil
	}
	return time.Unix(n, 0).UTC(), nil
}

// SetChangesSeen records when the user last looked at what changed.
func (db *DB) SetChangesSeen(ctx context.Context, t time.Time) error {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		return setUserValue(ctx, tx, db.user, userKeyChangesSeen, strconv.FormatInt(t.Unix(), 10))
	})
	return db.wrap("record what was seen", err)
}

// setUserValue sets one of user's meta values.
func setUserValue(ctx context.Context, tx pgx.Tx, user, key, value string) error {
	_, err := tx.Exec(ctx, `INSERT INTO user_meta (username, key, value) VALUES ($1, $2, $3)
		ON CONFLICT (username, key) DO UPDATE SET value = excluded.value`, user, key, value)
	return err
}
