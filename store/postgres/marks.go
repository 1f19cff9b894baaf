package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// SetRead marks items read or unread for the user, with every copy of
// their stories. Unknown IDs are an error naming them, and nothing is
// changed.
func (db *DB) SetRead(ctx context.Context, ids []int64, read bool) error {
	return db.setMark(ctx, "read", ids, read)
}

// SetStarred stars or unstars items for the user, with every copy of
// their stories.
func (db *DB) SetStarred(ctx context.Context, ids []int64, starred bool) error {
	return db.setMark(ctx, "starred", ids, starred)
}

// Writers of marks take their rows in the order of item IDs, so that two
// of them marking overlapping items in other orders never deadlock.

// storyCopiesSQL selects the IDs of the items in the table expression
// named from (columns id and story), and of every other copy of their
// stories: a mark applies to a whole story, as SQLite's triggers make it.
func storyCopiesSQL(from string) string {
	return `SELECT j.id FROM items j WHERE j.id IN (SELECT id FROM ` + from + `)
		UNION SELECT j.id FROM items j WHERE j.story <> 0 AND j.story IN (SELECT story FROM ` + from + ` WHERE story <> 0)`
}

// setMark sets column col ("read" or "starred") of the user's marks.
func (db *DB) setMark(ctx context.Context, col string, ids []int64, on bool) error {
	if len(ids) == 0 {
		return nil
	}
	if col != "read" && col != "starred" {
		return fmt.Errorf("postgres: unknown mark %q", col)
	}
	err := db.retryTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT DISTINCT x FROM unnest($1::bigint[]) x WHERE x NOT IN (SELECT id FROM items) ORDER BY x`, ids)
		if err != nil {
			return err
		}
		missing, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
			var id int64
			err := r.Scan(&id)
			return strconv.FormatInt(id, 10), err
		})
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			return fmt.Errorf("no item %s: %w", strings.Join(missing, ", "), store.ErrNotFound)
		}
		_, err = tx.Exec(ctx, `WITH hit AS (SELECT id, story FROM items WHERE id = ANY($2))
			INSERT INTO marks (username, item_id, `+col+`) SELECT $1, id, $3 FROM (`+storyCopiesSQL("hit")+`) c ORDER BY id
			ON CONFLICT (username, item_id) DO UPDATE SET `+col+` = excluded.`+col+` WHERE marks.`+col+` <> excluded.`+col,
			db.user, ids, on)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("postgres: %w", err)
	}
	return db.wrap("mark items", err)
}

// MarkAllRead marks read, for the user, every item that matches f and no
// ignore rule, with every copy of their stories, and returns how many of
// the items f selects (stories, unless f lists every copy) changed.
func (db *DB) MarkAllRead(ctx context.Context, f store.Filter) (int, error) {
	f.Limit, f.Offset = 0, 0
	f.Unread = store.Yes
	var q argList
	user := q.arg(db.user)
	s, err := db.selectItems(ctx, &q, f, true)
	if err != nil {
		return 0, db.wrap("mark items read", err)
	}
	var n int
	err = db.retryTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `WITH hit AS (SELECT i.id, i.story FROM `+s.from+s.where()+`),
			done AS (INSERT INTO marks (username, item_id, read) SELECT `+user+`, id, true FROM (`+storyCopiesSQL("hit")+`) c ORDER BY id
				ON CONFLICT (username, item_id) DO UPDATE SET read = true WHERE NOT marks.read)
			SELECT count(*) FROM hit`, q.args...).Scan(&n)
	})
	return n, db.wrap("mark items read", err)
}
