// The write path's first hop: RecordFetch saves a fetch's outcome and the
// feed's items in one transaction, retried when PostgreSQL picks it as a
// deadlock's victim or cannot serialise it.

package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aiwatch/aiwatch/store"
)

// The save lock: a transaction-scoped advisory lock (two-key form, a key
// space apart from the one-key locks of migrations and fetches) that
// every save takes before its first write, and Retag, Prune and
// RemoveFeed before theirs. Saves that write queue on it as they queue on
// SQLite's one writer: a new item's story is decided from the items the
// saves before it committed, which two saves at once would not see of
// each other; and writers that take no row of another's before it hold
// it cannot deadlock among themselves.
const (
	saveLockClass = 0x61697761 // "aiwa"
	saveLockID    = 0x73617665 // "save"
)

// lockSaves takes the save lock until the transaction ends.
func lockSaves(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1::int, $2::int)`, int32(saveLockClass), int32(saveLockID)); err != nil {
		return err
	}
	return lockNewRows(ctx, tx)
}

// lockNewRows takes newRowsLock shared, as every transaction that inserts
// items or designation events must (see newRowsLock).
func lockNewRows(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock_shared($1)`, int64(newRowsLock))
	return err
}

// retries is how many times a write is tried before its conflict is
// reported.
const retries = 5

// retryable reports an error that a new attempt of the same transaction
// may not meet: a serialisation failure or a deadlock.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// retryTx is db.tx, tried again after a short, growing wait when the
// transaction failed on a serialisation failure or a deadlock. fn must be
// safe to run again: it starts from what the store holds, not from what
// an earlier attempt did.
func (db *DB) retryTx(ctx context.Context, fn func(pgx.Tx) error) error {
	var err error
	for attempt := 0; attempt < retries; attempt++ {
		if err = db.tx(ctx, fn); !retryable(err) {
			return err
		}
		select {
		case <-time.After(time.Duration(attempt+1) * 20 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

// RecordFetch saves a fetch's outcome and, on success, the feed's items
// that next yields, in one transaction: either all of the feed's items
// land, with the feed's new fetch state, or nothing does. Another
// goroutine reads and prepares the batches while the ones before are
// written. Items keep every user's marks: a changed item is updated in
// place.
func (db *DB) RecordFetch(ctx context.Context, feedID int64, r store.FetchResult, next store.Batches) (store.SaveStats, error) {
	var src *source
	if r.Err == "" && !r.NotModified && next != nil {
		ch, stop := prepare(next)
		defer stop()
		src = &source{ch: ch}
	}
	var st store.SaveStats
	err := db.retryTx(ctx, func(tx pgx.Tx) error {
		var err error
		st, err = db.recordFetch(ctx, tx, feedID, r, src)
		return err
	})
	return st, db.wrap("record fetch", err)
}

// SaveItems saves one feed's items in one transaction: new items are
// inserted, changed ones have their text and tags updated, and marks are
// never touched.
func (db *DB) SaveItems(ctx context.Context, feedID int64, items []store.Item) (store.SaveStats, error) {
	ch, stop := prepare(store.OneBatch(items))
	defer stop()
	src := &source{ch: ch}
	var st store.SaveStats
	err := db.retryTx(ctx, func(tx pgx.Tx) error {
		var err error
		st, err = db.saveItems(ctx, tx, feedID, src)
		return err
	})
	return st, db.wrap("save items", err)
}

// recordFetch writes one fetch in the caller's transaction.
func (db *DB) recordFetch(ctx context.Context, tx pgx.Tx, feedID int64, r store.FetchResult, src *source) (store.SaveStats, error) {
	var st store.SaveStats
	if src != nil {
		var err error
		if st, err = db.saveItems(ctx, tx, feedID, src); err != nil {
			return st, err
		}
	}
	at := r.At.Unix()
	var tag pgconn.CommandTag
	var err error
	if r.Err != "" {
		tag, err = tx.Exec(ctx, `UPDATE feeds SET last_check = $1, last_status = $2, last_error = $3, failures = failures + 1, next_try = $4 WHERE id = $5`,
			at, r.Status, pgText(r.Err), unixOrZero(r.NextTry), feedID)
	} else {
		tag, err = tx.Exec(ctx, `UPDATE feeds SET last_check = $1, last_success = $1, last_status = $2, last_error = '', failures = 0, next_try = $3,
			etag = CASE WHEN $4 THEN etag ELSE $5 END, last_modified = CASE WHEN $4 THEN last_modified ELSE $6 END,
			title = CASE WHEN title = '' THEN $7 ELSE title END, lang = CASE WHEN lang = '' THEN $8 ELSE lang END
			WHERE id = $9`,
			at, r.Status, unixOrZero(r.NextTry), r.NotModified, pgText(r.ETag), pgText(r.LastModified), pgText(r.Title), pgText(r.Lang), feedID)
	}
	if err == nil && tag.RowsAffected() == 0 {
		err = errNoFeed(feedID)
	}
	return st, err
}
