// The write path's first hop in the store: RecordFetch queues a fetch for
// the one writer goroutine, which commits the fetches that queued
// meanwhile together, each in a savepoint (group commit).

package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/aiwatch/aiwatch/store"
)

// RecordFetch saves a fetch's outcome and, on success, the feed's items
// that next yields: either all of the feed's items land or none of them,
// and it returns once they are committed, in the full-text index too.
//
// Fetches are written by one writer goroutine, which commits the fetches
// queued while it wrote the one before together, each feed in a
// savepoint of its own (group commit): a feed that fails to save rolls
// back alone, and the fixed cost of a commit, above all writing the
// full-text indexes' new segments, is paid once for the group. The items
// are prepared (fingerprints, index text, tag rows) on another goroutine
// while they wait.
func (db *DB) RecordFetch(ctx context.Context, feedID int64, r store.FetchResult, next store.Batches) (store.SaveStats, error) {
	j := &writeJob{ctx: ctx, feedID: feedID, rec: r, done: make(chan writeResult, 1)}
	if r.Err == "" && !r.NotModified && next != nil {
		var stop func()
		j.chunks, stop = prepare(next)
		defer stop()
	}
	db.writerOnce.Do(db.startWriter)
	select {
	case db.jobs <- j:
	case <-ctx.Done():
		return store.SaveStats{}, ctx.Err()
	case <-db.quit:
		return store.SaveStats{}, errors.New("sqlite: the store is closed")
	}
	res := <-j.done
	return res.st, db.wrap("record fetch", res.err)
}

// writeJob is one fetch to record.
type writeJob struct {
	ctx    context.Context
	feedID int64
	rec    store.FetchResult
	chunks <-chan chunk // the prepared items; nil when none are saved
	done   chan writeResult
}

type writeResult struct {
	st  store.SaveStats
	err error
}

// maxGroup is the most fetches committed together.
const maxGroup = 16

func (db *DB) startWriter() {
	db.jobs = make(chan *writeJob)
	db.writerDone = make(chan struct{})
	go func() {
		defer close(db.writerDone)
		for {
			var group []*writeJob
			select {
			case j := <-db.jobs:
				group = append(group, j)
			case <-db.quit:
				return
			}
		more:
			for len(group) < maxGroup {
				select {
				case j := <-db.jobs:
					group = append(group, j)
				default:
					break more
				}
			}
			db.writeGroup(group)
		}
	}()
}

// writeGroup records a group of fetches in one transaction, each in a
// savepoint, and answers each job.
func (db *DB) writeGroup(group []*writeJob) {
	results := make([]writeResult, len(group))
	// Statements run without the jobs' contexts: SQLite rolls back the
	// whole transaction when a statement is interrupted, and the group's
	// other feeds must not go with it. A job's context is checked between
	// its chunks instead.
	bg := context.Background()
	err := db.tx(bg, func(tx *sql.Tx) error {
		if len(group) == 1 {
			// Alone, a feed needs no savepoint, and indexes as it goes.
			j := group[0]
			if err := j.ctx.Err(); err != nil {
				return err
			}
			var err error
			results[0].st, err = db.recordFetch(j.ctx, tx, j, nil)
			return err
		}
		var ix ftsWork // the full-text index work of the feeds saved
		for i, j := range group {
			if err := j.ctx.Err(); err != nil {
				results[i].err = err
				continue
			}
			if _, err := tx.ExecContext(bg, `SAVEPOINT feed`); err != nil {
				return err
			}
			var work ftsWork
			st, err := db.recordFetch(j.ctx, tx, j, &work)
			if err != nil {
				if _, rerr := tx.ExecContext(bg, `ROLLBACK TO feed`); rerr != nil {
					return rerr
				}
				results[i].err = err
			} else {
				results[i].st = st
				ix.add(&work)
			}
			if _, err := tx.ExecContext(bg, `RELEASE feed`); err != nil {
				return err
			}
		}
		return db.txStmts(tx).index(&ix)
	})
	for i, j := range group {
		if err != nil {
			results[i] = writeResult{err: err}
		}
		j.done <- results[i]
	}
}

// recordFetch writes one job in the caller's transaction; see saveItems
// for ix.
func (db *DB) recordFetch(ctx context.Context, tx *sql.Tx, j *writeJob, ix *ftsWork) (store.SaveStats, error) {
	var st store.SaveStats
	bg := context.WithoutCancel(ctx)
	r := j.rec
	if j.chunks != nil {
		var err error
		if st, err = db.saveItems(ctx, tx, j.feedID, j.chunks, ix); err != nil {
			return st, err
		}
	}
	at := r.At.Unix()
	if r.Err != "" {
		_, err := tx.ExecContext(bg, `UPDATE feeds SET last_check = ?, last_status = ?, last_error = ?, failures = failures + 1, next_try = ? WHERE id = ?`,
			at, r.Status, r.Err, unixOrZero(r.NextTry), j.feedID)
		return st, err
	}
	_, err := tx.ExecContext(bg, `UPDATE feeds SET last_check = ?1, last_success = ?1, last_status = ?2, last_error = '', failures = 0, next_try = ?3,
		etag = CASE WHEN ?4 THEN etag ELSE ?5 END, last_modified = CASE WHEN ?4 THEN last_modified ELSE ?6 END,
		title = CASE WHEN title = '' THEN ?7 ELSE title END, lang = CASE WHEN lang = '' THEN ?8 ELSE lang END
		WHERE id = ?9`,
		at, r.Status, unixOrZero(r.NextTry), r.NotModified, r.ETag, r.LastModified, r.Title, r.Lang, j.feedID)
	return st, err
}
