package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// lockItems takes a row lock on items, in ID order, before their tags or
// copy flag change: the read counters' trigger on marks takes FOR SHARE
// on the same rows, so that a dashboard's read mark and a fetcher's
// change of the item's tags never count from each other's state before
// commit (migration 0003). In ID order, so that two writers never
// deadlock on them.
func lockItems(ctx context.Context, tx pgx.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `SELECT 1 FROM items WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE`, ids)
	return err
}

// lockMarks stops writes of marks until the transaction ends, for a
// change of the tags of a whole firm or alliance, which may touch any
// item (migration 0003).
func lockMarks(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `LOCK TABLE marks IN SHARE MODE`)
	return err
}

// setCopies sets the copy flag of items and of their tag rows, which
// mirror it.
func setCopies(ctx context.Context, tx pgx.Tx, ids []int64, copy bool) error {
	c := 0
	if copy {
		c = 1
	}
	if err := lockItems(ctx, tx, ids); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE items SET copy = $2 WHERE id = ANY($1) AND copy <> $2`, ids, c); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE item_tags SET copy = $2 WHERE item_id = ANY($1) AND copy <> $2`, ids, c)
	return err
}

// deleteItems deletes the items that match cond (on table items, with
// args) and returns how many went. Where one was the copy a story is
// shown as, the earliest copy left takes its place, as SQLite's trigger
// items_ad_story has it.
func deleteItems(ctx context.Context, tx pgx.Tx, cond string, args ...any) (int, error) {
	var n int
	var stories []int64
	// The items are locked and listed once, so that a read mark being
	// made on one commits before and is deleted here; then the marks go,
	// while the tags and the item that the read counters' trigger counts
	// them under are still there (migration 0003); the cascade would
	// delete them after.
	rows, err := tx.Query(ctx, `SELECT id FROM items WHERE `+cond+` ORDER BY id FOR UPDATE`, args...)
	if err != nil {
		return 0, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM marks WHERE item_id = ANY($1)`, ids); err != nil {
		return 0, err
	}
	err = tx.QueryRow(ctx, `WITH gone AS (DELETE FROM items WHERE id = ANY($1) RETURNING story, copy)
		SELECT count(*), coalesce(array_agg(DISTINCT story) FILTER (WHERE story <> 0 AND copy = 0), '{}') FROM gone`, ids).Scan(&n, &stories)
	if err != nil || len(stories) == 0 {
		return n, err
	}
	rows, err = tx.Query(ctx, `SELECT DISTINCT ON (story) id FROM items i
		WHERE story = ANY($1) AND NOT EXISTS (SELECT 1 FROM items h WHERE h.story = i.story AND h.copy = 0)
		ORDER BY story, published, id`, stories)
	if err != nil {
		return n, err
	}
	heads, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(heads) == 0 {
		return n, err
	}
	return n, setCopies(ctx, tx, heads, false)
}

// Prune deletes items published before cutoff, keeping the built-in
// snapshot always and, when keepStarred is set, every item that any user
// starred: the store is shared, and one person's star keeps the item for
// all. It returns how many items it deleted.
func (db *DB) Prune(ctx context.Context, cutoff time.Time, keepStarred bool) (int, error) {
	cond := `published < $1 AND feed_id NOT IN (SELECT id FROM feeds WHERE kind = 'builtin')`
	if keepStarred {
		cond += ` AND NOT EXISTS (SELECT 1 FROM marks m WHERE m.item_id = items.id AND m.starred)`
	}
	var n int
	err := db.retryTx(ctx, func(tx pgx.Tx) error {
		if err := lockSaves(ctx, tx); err != nil {
			return err
		}
		var err error
		n, err = deleteItems(ctx, tx, cond, cutoff.Unix())
		return err
	})
	return n, db.wrap("prune items", err)
}

// Check checks what PostgreSQL does not check itself and counts what the
// store holds. Integrity lists rows that disagree with what the write
// path keeps true: tag rows whose copy flag or date differ from their
// item's, and stories shown by no copy or by more than one. FTS reports
// the trigram indexes' state. CountsOK says whether the counters
// (tag_weeks, read_counts, feed_items) hold what a recount of the rows
// gives; RepairCounts rebuilds them. Unread and starred are this
// handle's user's.
func (db *DB) Check(ctx context.Context) (store.CheckReport, error) {
	var r store.CheckReport
	q := db.pool
	var mirrors, headless, twoHeads int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM item_tags t JOIN items i ON i.id = t.item_id
		WHERE t.copy <> i.copy OR t.published <> i.published`).Scan(&mirrors); err != nil {
		return r, db.wrap("check tags", err)
	}
	if err := q.QueryRow(ctx, `SELECT count(*) FILTER (WHERE heads = 0), count(*) FILTER (WHERE heads > 1)
		FROM (SELECT count(*) FILTER (WHERE copy = 0) AS heads FROM items WHERE story <> 0 GROUP BY story) s`).Scan(&headless, &twoHeads); err != nil {
		return r, db.wrap("check stories", err)
	}
	if mirrors > 0 {
		r.Integrity = append(r.Integrity, fmt.Sprintf("%d tag rows whose copy flag or date differ from their item's", mirrors))
	}
	if headless > 0 {
		r.Integrity = append(r.Integrity, fmt.Sprintf("%d stories shown by no copy", headless))
	}
	if twoHeads > 0 {
		r.Integrity = append(r.Integrity, fmt.Sprintf("%d stories shown by more than one copy", twoHeads))
	}
	if len(r.Integrity) == 0 {
		r.Integrity = []string{"ok"}
	}
	r.FTS = "ok"
	var invalid []string
	rows, err := q.Query(ctx, `SELECT c.relname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
		WHERE c.relname IN ('items_search', 'articles_search') AND NOT (x.indisvalid AND x.indisready) ORDER BY 1`)
	if err == nil {
		invalid, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil {
		return r, db.wrap("check the search indexes", err)
	}
	if len(invalid) > 0 {
		r.FTS = fmt.Sprintf("index %v is not valid: REINDEX it", invalid)
	}
	var drift int64
	if err := q.QueryRow(ctx, `SELECT count(*) FROM (((`+recountWeeks+`) EXCEPT (`+keptWeeks+`)) UNION ALL ((`+keptWeeks+`) EXCEPT (`+recountWeeks+`))) d`).Scan(&drift); err != nil {
		return r, db.wrap("check the counters", err)
	}
	for _, pair := range [][2]string{{recountReads, keptReads}, {recountFeeds, keptFeeds}} {
		var n int64
		if err := q.QueryRow(ctx, `SELECT count(*) FROM (((`+pair[0]+`) EXCEPT (`+pair[1]+`)) UNION ALL ((`+pair[1]+`) EXCEPT (`+pair[0]+`))) d`).Scan(&n); err != nil {
			return r, db.wrap("check the counters", err)
		}
		drift += n
	}
	r.CountsOK = drift == 0
	r.Counts = map[string]int{}
	for name, sql := range map[string]string{
		"firms":        `SELECT count(*) FROM firms`,
		"alliances":    `SELECT count(*) FROM alliances`,
		"designations": `SELECT count(*) FROM designations`,
		"feeds":        `SELECT count(*) FROM feeds`,
		"items":        `SELECT count(*) FROM items`,
		"unread":       `SELECT count(*) FROM items i WHERE NOT EXISTS (SELECT 1 FROM marks m WHERE m.item_id = i.id AND m.username = $1 AND m.read)`,
		"starred":      `SELECT count(*) FROM marks WHERE username = $1 AND starred`,
		"mentions":     `SELECT coalesce(sum(json_array_length(mentions::json)), 0) FROM item_tags WHERE mentions <> ''`,
		"aliases":      `SELECT count(*) FROM aliases`,
	} {
		var args []any
		if name == "unread" || name == "starred" {
			args = append(args, db.user)
		}
		var n int64
		if err := q.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			return r, db.wrap("count "+name, err)
		}
		r.Counts[name] = int(n)
	}
	var oldest, newest *int64
	if err := q.QueryRow(ctx, `SELECT min(published), max(published) FROM items`).Scan(&oldest, &newest); err != nil {
		return r, db.wrap("check items", err)
	}
	if oldest != nil {
		r.ItemsOldest, r.ItemsNewest = timeOrZero(*oldest), timeOrZero(*newest)
	}
	if err := q.QueryRow(ctx, `SELECT count(*) FROM feeds WHERE failures > 0 AND enabled`).Scan(&r.FailingFeeds); err != nil {
		return r, db.wrap("check feeds", err)
	}
	if r.SchemaHave, r.SchemaWant, err = db.SchemaVersion(ctx); err != nil {
		return r, err
	}
	r.DatasetVer, _ = db.DatasetVersion(ctx)
	if err := q.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&r.FileBytes); err != nil {
		return r, db.wrap("measure the database", err)
	}
	return r, nil
}

// recountWeeks is what tag_weeks holds, counted afresh from the rows:
// the stories' tags, and under the empty kind and entity the stories,
// per week.
const recountWeeks = `SELECT kind, entity, (published - 345600) / 604800 AS week, count(*) AS n FROM item_tags WHERE copy = 0 GROUP BY 1, 2, 3
	UNION ALL SELECT '', '', (published - 345600) / 604800, count(*) FROM items WHERE copy = 0 GROUP BY 3`

// keptWeeks is tag_weeks without its emptied rows.
const keptWeeks = `SELECT kind, entity, week, n FROM tag_weeks WHERE n <> 0`

// recountReads is what read_counts holds, counted afresh from the marks:
// each user's read stories per tag, read stories, and read items per
// feed.
const recountReads = `SELECT m.username, t.kind, t.entity, count(*) AS n FROM marks m JOIN item_tags t ON t.item_id = m.item_id AND t.copy = 0 WHERE m.read GROUP BY 1, 2, 3
	UNION ALL SELECT m.username, '', '', count(*) FROM marks m JOIN items i ON i.id = m.item_id AND i.copy = 0 WHERE m.read GROUP BY 1
	UNION ALL SELECT m.username, 'feed', i.feed_id::text, count(*) FROM marks m JOIN items i ON i.id = m.item_id WHERE m.read GROUP BY 1, 3`

// keptReads is read_counts without its emptied rows.
const keptReads = `SELECT username, kind, entity, n FROM read_counts WHERE n <> 0`

// recountFeeds is what feed_items holds, counted afresh.
const recountFeeds = `SELECT feed_id, count(*) AS n FROM items GROUP BY 1`

// keptFeeds is feed_items without its emptied rows.
const keptFeeds = `SELECT feed_id, n FROM feed_items WHERE n <> 0`

// RepairCounts rebuilds the counters (tag_weeks, read_counts and
// feed_items) from the rows, as
// SQLite's rebuilds its own, under the save lock so that no save changes
// the rows meanwhile.
func (db *DB) RepairCounts(ctx context.Context) error {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := lockSaves(ctx, tx); err != nil {
			return err
		}
		for _, sql := range []string{
			`DELETE FROM tag_weeks`,
			`INSERT INTO tag_weeks (kind, entity, week, n) ` + recountWeeks,
			`DELETE FROM read_counts`,
			`INSERT INTO read_counts (username, kind, entity, n) ` + recountReads,
			`DELETE FROM feed_items`,
			`INSERT INTO feed_items (feed_id, n) ` + recountFeeds,
		} {
			if _, err := tx.Exec(ctx, sql); err != nil {
				return err
			}
		}
		return nil
	})
	return db.wrap("rebuild the counters", err)
}

// ErrBackup is Backup's answer: a server's database is backed up by the
// server's own tools.
var ErrBackup = errors.New("postgres: back up a PostgreSQL store with pg_dump (for example pg_dump -Fc -f aiwatch.dump DBNAME)")

// Backup refuses with ErrBackup: pg_dump takes a consistent copy of a
// live database, which a client's file copy cannot.
func (db *DB) Backup(ctx context.Context, path string) error { return ErrBackup }
