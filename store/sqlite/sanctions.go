package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// DesignationEvents returns the sanctions history, oldest first: of one
// firm, or of all firms when firm is "", after since (zero: all).
func (db *DB) DesignationEvents(ctx context.Context, firm string, since time.Time) ([]store.DesignationEvent, error) {
	q := `SELECT id, at, firm_id, list_id, action, detail, provenance FROM designation_events WHERE at > ?`
	args := []any{unixOrZero(since)}
	if firm != "" {
		q += ` AND firm_id = ?`
		args = append(args, firm)
	}
	q += ` ORDER BY at, id`
	return scanAll(ctx, db, "list designation events", q, args, func(rows *sql.Rows, e *store.DesignationEvent) error {
		var at int64
		err := rows.Scan(&e.ID, &at, &e.Firm, &e.List, &e.Action, &e.Detail, &e.Provenance)
		e.At = fromUnix(at)
		return err
	})
}

// ChangesSeen returns when the user last looked at what changed.
func (db *DB) ChangesSeen(ctx context.Context) (time.Time, error) {
	v, err := db.meta(ctx, metaChangesSeen)
	if err != nil || v == "" {
		return time.Time{}, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, nil
	}
	return fromUnix(n), nil
}

// SetChangesSeen records when the user last looked at what changed.
func (db *DB) SetChangesSeen(ctx context.Context, t time.Time) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		return setMeta(ctx, tx, metaChangesSeen, strconv.FormatInt(t.Unix(), 10))
	})
	return db.wrap("record what was seen", err)
}

// LastCSLCounts returns the per-list entry counts of the last import, or
// nil if there was none.
func (db *DB) LastCSLCounts(ctx context.Context) (map[string]int, string, error) {
	var counts, date string
	err := db.db.QueryRowContext(ctx, `SELECT counts, file_date FROM csl_imports ORDER BY id DESC LIMIT 1`).Scan(&counts, &date)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", db.wrap("read the last import", err)
	}
	out := map[string]int{}
	if err := json.Unmarshal([]byte(counts), &out); err != nil {
		return nil, "", fmt.Errorf("sqlite: the last import's counts are unreadable: %w", err)
	}
	return out, date, nil
}

// ApplyDesignations applies changes in one transaction, logging each in
// the history with provenance prov. An addition that names an existing
// row (same firm, list, affiliate flag and added date) updates it; it is
// logged as "contested" for a contested action, "removed" for a listing
// recorded as already lifted, "changed" when it rewrites a listing that
// was in force, and "added" otherwise. Removals set Removed, hand the row
// over to prov (so that a later reseed of the reference dataset does not
// bring it back) and keep it. When imp is not nil the import is recorded
// too, so the next one can compare counts.
//
// Events are logged at the store's clock, but never at or before the
// moment the user last looked at what changed (see ChangesSeen): events
// are kept to the second, and one logged in the same second as the look
// would otherwise never be shown.
func (db *DB) ApplyDesignations(ctx context.Context, changes []store.DesignationChange, imp *CSLImport, prov string) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		now, err := eventTime(ctx, tx, db.Now())
		if err != nil {
			return err
		}
		if err := applyChanges(ctx, tx, now, changes, prov); err != nil {
			return err
		}
		if imp != nil {
			return recordCSLImport(ctx, tx, now, imp.FileDate, imp.SHA256, imp.Counts)
		}
		return nil
	})
	return db.wrap("apply designation changes", err)
}

func recordCSLImport(ctx context.Context, tx *sql.Tx, now time.Time, fileDate, sha string, counts map[string]int) error {
	b, _ := json.Marshal(counts)
	_, err := tx.ExecContext(ctx, `INSERT INTO csl_imports (at, file_date, sha256, counts) VALUES (?, ?, ?, ?)`,
		now.Unix(), fileDate, sha, string(b))
	return err
}

// applyChanges applies changes and logs them, with provenance prov, or
// each designation's own when prov is "".
func applyChanges(ctx context.Context, tx *sql.Tx, now time.Time, changes []store.DesignationChange, prov string) error {
	for _, c := range changes {
		d := c.Designation
		prov := cmp.Or(prov, d.Provenance)
		if err := ensureList(ctx, tx, d.List); err != nil {
			return err
		}
		action := c.Kind
		switch c.Kind {
		case "added":
			if d.Status == "" {
				d.Status = store.StatusConfirmed
			}
			var oldRemoved, oldStatus string
			err := tx.QueryRowContext(ctx, `SELECT removed, status FROM designations WHERE firm_id = ? AND list_id = ? AND affiliate = ? AND added = ?`,
				d.Firm, d.List, d.Affiliate, d.Added).Scan(&oldRemoved, &oldStatus)
			existed := err == nil
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO designations (firm_id, list_id, program, added, removed, citation, source, status, affiliate, provenance, note)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (firm_id, list_id, affiliate, added) DO UPDATE SET removed = excluded.removed, citation = excluded.citation,
				source = excluded.source, status = excluded.status, provenance = excluded.provenance, note = excluded.note, program = excluded.program`,
				d.Firm, d.List, d.Program, d.Added, d.Removed, d.Citation, d.Source, string(d.Status), d.Affiliate, prov, d.Note)
			if err != nil {
				return err
			}
			action = eventAction(d)
			if existed && action == "added" && oldRemoved == "" && oldStatus == string(d.Status) {
				action = "changed"
			}
		case "removed":
			res, err := tx.ExecContext(ctx, `UPDATE designations SET removed = ?, provenance = ?, note = trim(note || ' ' || ?) WHERE id = ? AND removed = ''`,
				d.Removed, prov, "No longer listed as of "+d.Removed+" ("+prov+").", d.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
		case "changed":
			if _, err := tx.ExecContext(ctx, `UPDATE designations SET added = ?, citation = ?, source = ?, program = ?, provenance = ? WHERE id = ?`,
				d.Added, d.Citation, d.Source, d.Program, prov, d.ID); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unknown change %q", c.Kind)
		}
		detail := c.Detail
		if detail == "" {
			detail = describe(d)
		}
		if err := logEvent(ctx, tx, now, d.Firm, d.List, action, detail, prov); err != nil {
			return err
		}
	}
	return nil
}

// eventTime is when changes made at now are logged: now, or one second
// after the user last looked at what changed when that is later.
func eventTime(ctx context.Context, tx *sql.Tx, now time.Time) (time.Time, error) {
	var v string
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaChangesSeen).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return now, nil
	}
	if err != nil {
		return now, err
	}
	seen, perr := strconv.ParseInt(v, 10, 64)
	if perr != nil || now.Unix() > seen {
		return now, nil
	}
	return fromUnix(seen + 1), nil
}

// ensureList adds a list the CSL names that aiwatch does not track by
// default (e.g. "dpl"), so its designations can be kept.
func ensureList(ctx context.Context, tx *sql.Tx, id string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO lists (id, name, badge, description) VALUES (?, ?, ?, 'from a Consolidated Screening List import')
		ON CONFLICT (id) DO NOTHING`, id, strings.ToUpper(id), strings.ToUpper(id))
	return err
}

// ConfirmCSLName records that CSL entries named name are listings of firm
// (or of its affiliates).
func (db *DB) ConfirmCSLName(ctx context.Context, name, firm string, affiliate bool) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := entityExists(ctx, tx, store.KindFirm, firm); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO csl_confirmations (name, firm_id, affiliate, at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name, firm_id) DO UPDATE SET affiliate = excluded.affiliate, at = excluded.at`,
			store.FoldAlias(name, false), firm, affiliate, db.Now().Unix())
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("sqlite: %w", err)
	}
	return db.wrap("confirm a screening-list name", err)
}

// CSLConfirmations returns every confirmed name.
func (db *DB) CSLConfirmations(ctx context.Context) ([]Confirmation, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT name, firm_id, affiliate FROM csl_confirmations ORDER BY name, firm_id`)
	if err != nil {
		return nil, db.wrap("list confirmations", err)
	}
	defer rows.Close()
	var out []Confirmation
	for rows.Next() {
		var c Confirmation
		if err := rows.Scan(&c.Name, &c.Firm, &c.Affiliate); err != nil {
			return nil, db.wrap("list confirmations", err)
		}
		out = append(out, c)
	}
	return out, db.wrap("list confirmations", rows.Err())
}
