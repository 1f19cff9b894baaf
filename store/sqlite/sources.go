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

const sourceColumns = `id, url, etag, last_modified, last_check, last_result, last_error, last_success,
	file_date, sha256, counts, last_refusal, refusal_reason`

func scanSource(sc interface{ Scan(...any) error }) (SanctionSource, error) {
	var s SanctionSource
	var check, success, refusal int64
	var counts string
	err := sc.Scan(&s.ID, &s.URL, &s.ETag, &s.LastModified, &check, &s.LastResult, &s.LastError, &success,
		&s.FileDate, &s.SHA256, &counts, &refusal, &s.RefusalReason)
	if err != nil {
		return s, err
	}
	s.LastCheck, s.LastSuccess, s.LastRefusal = fromUnixOrZero(check), fromUnixOrZero(success), fromUnixOrZero(refusal)
	s.Counts = map[string]int{}
	if err := json.Unmarshal([]byte(counts), &s.Counts); err != nil {
		return s, fmt.Errorf("sqlite: the counts of source %s are unreadable: %w", s.ID, err)
	}
	return s, nil
}

func fromUnixOrZero(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return fromUnix(n)
}

// SanctionSources returns the state of every source checked so far,
// sorted by ID.
func (db *DB) SanctionSources(ctx context.Context) ([]SanctionSource, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+sourceColumns+` FROM sanction_sources ORDER BY id`)
	if err != nil {
		return nil, db.wrap("list sanctions sources", err)
	}
	defer rows.Close()
	var out []SanctionSource
	for rows.Next() {
		s, err := scanSource(rows)
		if err != nil {
			return nil, db.wrap("list sanctions sources", err)
		}
		out = append(out, s)
	}
	return out, db.wrap("list sanctions sources", rows.Err())
}

// SanctionSource returns the state of one source; a source never checked
// has only its ID set.
func (db *DB) SanctionSource(ctx context.Context, id string) (SanctionSource, error) {
	s, err := scanSource(db.db.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sanction_sources WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return SanctionSource{ID: id, Counts: map[string]int{}}, nil
	}
	return s, db.wrap("read sanctions source", err)
}

// RecordSanctionCheck records a check of a source that applied nothing:
// ResultUnchanged (only the check time and result change), ResultRefused
// (the refusal and its reason are kept for status), or ResultFailed (the
// reason is kept as the last error). The last applied file's state is
// left as it was.
func (db *DB) RecordSanctionCheck(ctx context.Context, id, result, reason string) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		now := db.Now().Unix()
		if _, err := tx.ExecContext(ctx, `INSERT INTO sanction_sources (id) VALUES (?) ON CONFLICT (id) DO NOTHING`, id); err != nil {
			return err
		}
		var err error
		switch result {
		case ResultUnchanged:
			_, err = tx.ExecContext(ctx, `UPDATE sanction_sources SET last_check = ?, last_result = ?, last_error = '' WHERE id = ?`, now, result, id)
		case ResultRefused:
			_, err = tx.ExecContext(ctx, `UPDATE sanction_sources SET last_check = ?, last_result = ?, last_error = '',
				last_refusal = ?, refusal_reason = ? WHERE id = ?`, now, result, now, reason, id)
		case ResultFailed:
			_, err = tx.ExecContext(ctx, `UPDATE sanction_sources SET last_check = ?, last_result = ?, last_error = ? WHERE id = ?`, now, result, reason, id)
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
func (db *DB) ApplyImport(ctx context.Context, changes []store.DesignationChange, imports []SourceImport) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
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
			_, err := tx.ExecContext(ctx, `INSERT INTO sanction_sources (id, url, etag, last_modified, last_check, last_result, last_error,
					last_success, file_date, sha256, counts)
				VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)
				ON CONFLICT (id) DO UPDATE SET url = excluded.url, etag = excluded.etag, last_modified = excluded.last_modified,
					last_check = excluded.last_check, last_result = excluded.last_result, last_error = '',
					last_success = excluded.last_success, file_date = excluded.file_date, sha256 = excluded.sha256, counts = excluded.counts`,
				imp.ID, imp.URL, imp.ETag, imp.LastModified, at, ResultApplied, at, imp.FileDate, imp.SHA256, string(counts))
			if err != nil {
				return err
			}
			for _, l := range imp.Lists {
				if err := ensureList(ctx, tx, l); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE lists SET as_of = ? WHERE id = ?`, imp.FileDate, l); err != nil {
					return err
				}
			}
			if imp.ID == SourceCSL {
				if err := recordCSLImport(ctx, tx, now, imp.FileDate, imp.SHA256, imp.Counts); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return db.wrap("apply an import", err)
}
