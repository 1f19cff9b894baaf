package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

const sourceColumns = `id, url, etag, last_modified, last_check, last_result, last_error, last_success,
	file_date, sha256, counts, last_refusal, refusal_reason`

func scanSource(sc interface{ Scan(...any) error }) (store.SanctionSource, error) {
	var s store.SanctionSource
	var check, success, refusal int64
	var counts string
	err := sc.Scan(&s.ID, &s.URL, &s.ETag, &s.LastModified, &check, &s.LastResult, &s.LastError, &success,
		&s.FileDate, &s.SHA256, &counts, &refusal, &s.RefusalReason)
	if err != nil {
		return s, err
	}
	s.LastCheck, s.LastSuccess, s.LastRefusal = unixUTC(check), unixUTC(success), unixUTC(refusal)
	s.Counts = map[string]int{}
	if err := json.Unmarshal([]byte(counts), &s.Counts); err != nil {
		return s, fmt.Errorf("the counts of source %s are unreadable: %w", s.ID, err)
	}
	return s, nil
}

// SanctionSources returns the state of every source checked so far,
// sorted by ID.
func (db *DB) SanctionSources(ctx context.Context) ([]store.SanctionSource, error) {
	return listRows(ctx, db, "list sanctions sources", `SELECT `+sourceColumns+` FROM sanction_sources ORDER BY id COLLATE "C"`, nil,
		func(rows pgx.Rows, s *store.SanctionSource) error {
			var err error
			*s, err = scanSource(rows)
			return err
		})
}

// SanctionSource returns the state of one source; a source never checked
// has only its ID set.
func (db *DB) SanctionSource(ctx context.Context, id string) (store.SanctionSource, error) {
	s, err := scanSource(db.pool.QueryRow(ctx, `SELECT `+sourceColumns+` FROM sanction_sources WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.SanctionSource{ID: id, Counts: map[string]int{}}, nil
	}
	return s, db.wrap("read sanctions source", err)
}

// RecordSanctionCheck records a check of a source that applied nothing:
// ResultUnchanged (only the check time and result change), ResultRefused
// (the refusal and its reason are kept for status), or ResultFailed (the
// reason is kept as the last error). The last applied file's state is
// left as it was.
func (db *DB) RecordSanctionCheck(ctx context.Context, id, result, reason string) error {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		now := db.Now().Unix()
		if _, err := tx.Exec(ctx, `INSERT INTO sanction_sources (id) VALUES ($1) ON CONFLICT (id) DO NOTHING`, id); err != nil {
			return err
		}
		var err error
		switch result {
		case store.ResultUnchanged:
			_, err = tx.Exec(ctx, `UPDATE sanction_sources SET last_check = $1, last_result = $2, last_error = '' WHERE id = $3`, now, result, id)
		case store.ResultRefused:
			_, err = tx.Exec(ctx, `UPDATE sanction_sources SET last_check = $1, last_result = $2, last_error = '',
				last_refusal = $1, refusal_reason = $3 WHERE id = $4`, now, result, reason, id)
		case store.ResultFailed:
			_, err = tx.Exec(ctx, `UPDATE sanction_sources SET last_check = $1, last_result = $2, last_error = $3 WHERE id = $4`, now, result, reason, id)
		default:
			err = fmt.Errorf("unknown check result %q", result)
		}
		return err
	})
	return db.wrap("record a sanctions check", err)
}

// ApplyImport applies an imported file's changes, each with its own
// provenance, and records the file for each source it came from, in one
// transaction: the source's state (checked and succeeded now), the date
// of its lists, and for the CSL the import's counts as ApplyDesignations
// records them. Nothing is written if any part fails.
func (db *DB) ApplyImport(ctx context.Context, changes []store.DesignationChange, imports []store.SourceImport) error {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := lockNewRows(ctx, tx); err != nil {
			return err
		}
		now, err := eventTime(ctx, tx, db.Now())
		if err != nil {
			return err
		}
		if err := applyChanges(ctx, tx, now, changes, ""); err != nil {
			return err
		}
		at := db.Now().Unix()
		for _, imp := range imports {
			counts, _ := json.Marshal(imp.Counts)
			_, err := tx.Exec(ctx, `INSERT INTO sanction_sources (id, url, etag, last_modified, last_check, last_result, last_error,
					last_success, file_date, sha256, counts)
				VALUES ($1, $2, $3, $4, $5, $6, '', $5, $7, $8, $9)
				ON CONFLICT (id) DO UPDATE SET url = excluded.url, etag = excluded.etag, last_modified = excluded.last_modified,
					last_check = excluded.last_check, last_result = excluded.last_result, last_error = '',
					last_success = excluded.last_success, file_date = excluded.file_date, sha256 = excluded.sha256, counts = excluded.counts`,
				imp.ID, imp.URL, imp.ETag, imp.LastModified, at, store.ResultApplied, imp.FileDate, imp.SHA256, string(counts))
			if err != nil {
				return err
			}
			for _, l := range imp.Lists {
				if err := ensureList(ctx, tx, l); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `UPDATE lists SET as_of = $1 WHERE id = $2`, imp.FileDate, l); err != nil {
					return err
				}
			}
			if imp.ID == store.SourceCSL {
				if err := recordCSLImport(ctx, tx, now, imp.FileDate, imp.SHA256, imp.Counts); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return db.wrap("apply an import", err)
}
