package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/aiwatch/aiwatch/store"
)

// Check runs the integrity, foreign-key and full-text checks and counts
// what the store holds.
func (db *DB) Check(ctx context.Context) (CheckReport, error) {
	var r CheckReport
	rows, err := db.db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return r, db.wrap("check integrity", err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		r.Integrity = append(r.Integrity, s)
	}
	rows.Close()
	fk, err := db.db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return r, db.wrap("check foreign keys", err)
	}
	for fk.Next() {
		r.ForeignKeys++
	}
	fk.Close()
	// item_tags has no foreign key (see migration 0004): count orphans.
	var orphans int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM item_tags t WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = t.item_id)`).Scan(&orphans); err != nil {
		return r, db.wrap("check tags", err)
	}
	r.ForeignKeys += orphans
	r.FTS = "ok"
	if _, err := db.db.ExecContext(ctx, `INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		var se sqlite3.Error
		if errors.As(err, &se) && se.Code == sqlite3.ErrReadonly {
			// The check is written as an INSERT; a read-only store
			// cannot run it, which says nothing about its health.
			r.FTS = "ok (not checked: the store is read-only)"
		} else {
			r.FTS = err.Error()
		}
	}
	r.Counts = map[string]int{}
	for name, q := range map[string]string{
		"firms":        `SELECT count(*) FROM firms`,
		"alliances":    `SELECT count(*) FROM alliances`,
		"designations": `SELECT count(*) FROM designations`,
		"feeds":        `SELECT count(*) FROM feeds`,
		"items":        `SELECT count(*) FROM items`,
		"unread":       `SELECT count(*) FROM items WHERE read = 0`,
		"starred":      `SELECT count(*) FROM items WHERE starred = 1`,
		"mentions":     `SELECT coalesce(sum(json_array_length(mentions)), 0) FROM item_tags WHERE mentions <> ''`,
		"aliases":      `SELECT count(*) FROM aliases`,
	} {
		var n int
		if err := db.db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return r, db.wrap("count "+name, err)
		}
		r.Counts[name] = n
	}
	var bad int
	err = db.db.QueryRowContext(ctx, `SELECT count(*) FROM (
		SELECT kind, entity, count(*) AS total, sum(unread) AS unread FROM item_tags WHERE copy = 0 GROUP BY kind, entity) t
		LEFT JOIN tag_counts c USING (kind, entity) WHERE c.total IS NOT t.total OR c.unread IS NOT t.unread`).Scan(&bad)
	if err != nil {
		return r, db.wrap("check counters", err)
	}
	var badWeeks int
	err = db.db.QueryRowContext(ctx, `SELECT count(*) FROM (
		SELECT t.kind, t.entity, `+store.WeekSQL("i.published")+` AS week, count(*) AS total FROM `+weeksJoin+` GROUP BY 1, 2, 3) t
		FULL JOIN (SELECT * FROM tag_weeks WHERE total <> 0) w USING (kind, week, entity) WHERE w.total IS NOT t.total`).Scan(&badWeeks)
	if err != nil {
		return r, db.wrap("check counters", err)
	}
	bad += badWeeks
	// The counters count stories: the copies lists show (copy = 0).
	var total, unread, stories, storiesUnread int
	if err := db.db.QueryRowContext(ctx, `SELECT total, unread FROM tag_counts WHERE kind = '' AND entity = ''`).Scan(&total, &unread); err != nil {
		return r, db.wrap("check counters", err)
	}
	if err := db.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(read = 0), 0) FROM items WHERE copy = 0`).Scan(&stories, &storiesUnread); err != nil {
		return r, db.wrap("check counters", err)
	}
	r.CountsOK = bad == 0 && total == stories && unread == storiesUnread
	var oldest, newest sql.NullInt64
	db.db.QueryRowContext(ctx, `SELECT min(published), max(published) FROM items`).Scan(&oldest, &newest)
	r.ItemsOldest, r.ItemsNewest = fromUnix(oldest.Int64), fromUnix(newest.Int64)
	db.db.QueryRowContext(ctx, `SELECT count(*) FROM feeds WHERE failures > 0 AND enabled = 1`).Scan(&r.FailingFeeds)
	if r.SchemaHave, r.SchemaWant, err = db.SchemaVersion(ctx); err != nil {
		return r, err
	}
	r.DatasetVer, _ = db.DatasetVersion(ctx)
	if fi, err := os.Stat(db.path); err == nil {
		r.FileBytes = fi.Size()
	}
	return r, nil
}

// RepairCounts rebuilds the trigger-kept counters from the rows.
func (db *DB) RepairCounts(ctx context.Context) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`DELETE FROM tag_counts`,
			`INSERT INTO tag_counts (kind, entity, total, unread) SELECT kind, entity, count(*), sum(unread) FROM item_tags WHERE copy = 0 GROUP BY kind, entity`,
			`INSERT INTO tag_counts (kind, entity, total, unread) SELECT '', '', count(*), coalesce(sum(read = 0), 0) FROM items WHERE copy = 0`,
			`DELETE FROM tag_weeks`,
			`INSERT INTO tag_weeks (kind, entity, week, total) SELECT t.kind, t.entity, ` + store.WeekSQL("i.published") + `, count(*)
				FROM ` + weeksJoin + ` GROUP BY 1, 2, 3`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	return db.wrap("repair counters", err)
}

// Backup writes a consistent copy of the store to path with VACUUM INTO,
// which reads one snapshot even while other processes write. It refuses
// to overwrite an existing file.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("sqlite: %s already exists; choose a new file name", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sqlite: unable to back up to %s: %w", path, err)
	}
	if _, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path)
		return db.wrap("back up to "+path, err)
	}
	return nil
}

// Prune deletes items published before cutoff, keeping starred ones when
// keepStarred is set and the built-in snapshot always. It returns how many
// items it deleted.
func (db *DB) Prune(ctx context.Context, cutoff time.Time, keepStarred bool) (int, error) {
	cond := `published < ? AND feed_id NOT IN (SELECT id FROM feeds WHERE kind = 'builtin')`
	if keepStarred {
		cond += ` AND starred = 0`
	}
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO items_fts (items_fts, rowid, title, summary, content)
			SELECT 'delete', id, title, summary, content FROM items WHERE `+cond, cutoff.Unix()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM items_words WHERE rowid IN (SELECT id FROM items WHERE `+cond+`)`, cutoff.Unix()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM items WHERE `+cond, cutoff.Unix())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), db.wrap("prune items", err)
}
