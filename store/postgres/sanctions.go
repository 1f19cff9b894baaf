package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// unixUTC is the time of unix seconds s, or the zero time for 0.
func unixUTC(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// DesignationEvents returns the sanctions history, oldest first: of one
// firm, or of all firms when firm is "", after since (zero: all).
func (db *DB) DesignationEvents(ctx context.Context, firm string, since time.Time) ([]store.DesignationEvent, error) {
	var after int64
	if !since.IsZero() {
		after = since.Unix()
	}
	q := `SELECT id, at, firm_id, list_id, action, detail, provenance FROM designation_events WHERE at > $1`
	args := []any{after}
	if firm != "" {
		q += ` AND firm_id = $2`
		args = append(args, firm)
	}
	q += ` ORDER BY at, id`
	return listRows(ctx, db, "list designation events", q, args, func(rows pgx.Rows, e *store.DesignationEvent) error {
		var at int64
		err := rows.Scan(&e.ID, &at, &e.Firm, &e.List, &e.Action, &e.Detail, &e.Provenance)
		e.At = unixUTC(at)
		return err
	})
}

// DesignationChanges returns the designation events after since that are
// changes: the history the first seed logged is left out.
func (db *DB) DesignationChanges(ctx context.Context, since time.Time) ([]store.DesignationEvent, error) {
	evs, err := db.DesignationEvents(ctx, "", since)
	if err != nil {
		return nil, err
	}
	v, err := db.metaGet(ctx, metaSeedEvents)
	if err != nil {
		return nil, err
	}
	mark, _ := strconv.ParseInt(v, 10, 64)
	return slices.DeleteFunc(evs, func(e store.DesignationEvent) bool { return e.ID <= mark }), nil
}

// LastCSLCounts returns the per-list entry counts of the last import, or
// nil if there was none.
func (db *DB) LastCSLCounts(ctx context.Context) (map[string]int, string, error) {
	var counts, date string
	err := db.pool.QueryRow(ctx, `SELECT counts, file_date FROM csl_imports ORDER BY id DESC LIMIT 1`).Scan(&counts, &date)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", db.wrap("read the last import", err)
	}
	out := map[string]int{}
	if err := json.Unmarshal([]byte(counts), &out); err != nil {
		return nil, "", fmt.Errorf("postgres: the last import's counts are unreadable: %w", err)
	}
	return out, date, nil
}

// ApplyDesignations applies changes in one transaction, logging each in
// the history with provenance prov, as on SQLite: an addition that names
// an existing row (same firm, list, affiliate flag and added date) updates
// it; it is logged as "contested" for a contested action, "removed" for a
// listing recorded as already lifted, "changed" when it rewrites a listing
// that was in force, and "added" otherwise. Removals set Removed, hand the
// row over to prov (so that a later reseed does not bring it back) and
// keep it. When imp is not nil the import is recorded too.
//
// Events are logged at the store's clock, but never at or before the
// moment a user last looked at what changed (see ChangesSeen).
func (db *DB) ApplyDesignations(ctx context.Context, changes []store.DesignationChange, imp *store.CSLImport, prov string) error {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := lockNewRows(ctx, tx); err != nil {
			return err
		}
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

func recordCSLImport(ctx context.Context, tx pgx.Tx, now time.Time, fileDate, sha string, counts map[string]int) error {
	b, _ := json.Marshal(counts)
	_, err := tx.Exec(ctx, `INSERT INTO csl_imports (at, file_date, sha256, counts) VALUES ($1, $2, $3, $4)`,
		now.Unix(), fileDate, sha, string(b))
	return err
}

// applyChanges applies changes and logs them, with provenance prov, or
// each designation's own when prov is "".
func applyChanges(ctx context.Context, tx pgx.Tx, now time.Time, changes []store.DesignationChange, prov string) error {
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
			err := tx.QueryRow(ctx, `SELECT removed, status FROM designations WHERE firm_id = $1 AND list_id = $2 AND affiliate = $3 AND added = $4`,
				d.Firm, d.List, d.Affiliate, d.Added).Scan(&oldRemoved, &oldStatus)
			existed := err == nil
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			_, err = tx.Exec(ctx, `INSERT INTO designations (firm_id, list_id, program, added, removed, citation, source, status, affiliate, provenance, note)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
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
			tag, err := tx.Exec(ctx, `UPDATE designations SET removed = $1, provenance = $2, note = trim(note || ' ' || $3) WHERE id = $4 AND removed = ''`,
				d.Removed, prov, "No longer listed as of "+d.Removed+" ("+prov+").", d.ID)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				continue
			}
		case "changed":
			if _, err := tx.Exec(ctx, `UPDATE designations SET added = $1, citation = $2, source = $3, program = $4, provenance = $5 WHERE id = $6`,
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
		if err := logDesignation(ctx, tx, now, d.Firm, d.List, action, detail, prov); err != nil {
			return err
		}
	}
	return nil
}

// eventTime is when changes made at now are logged: now, or one second
// after the latest look at what changed by any user of the store when
// that is later. Events are kept to the second and shared by the team:
// one logged in the second that someone looked would otherwise never be
// shown to them (on SQLite, with its one user, the same rule).
func eventTime(ctx context.Context, tx pgx.Tx, now time.Time) (time.Time, error) {
	var seen *int64
	err := tx.QueryRow(ctx, `SELECT max(value::bigint) FROM user_meta WHERE key = $1 AND value ~ '^[0-9]{1,18}$'`, userChangesSeen).Scan(&seen)
	if err != nil {
		return now, err
	}
	if seen == nil || now.Unix() > *seen {
		return now, nil
	}
	return unixUTC(*seen + 1), nil
}

// ensureList adds a list the CSL names that aiwatch does not track by
// default (e.g. "dpl"), so its designations can be kept.
func ensureList(ctx context.Context, tx pgx.Tx, id string) error {
	_, err := tx.Exec(ctx, `INSERT INTO lists (id, name, badge, description) VALUES ($1, $2, $3, 'from a Consolidated Screening List import')
		ON CONFLICT (id) DO NOTHING`, id, strings.ToUpper(id), strings.ToUpper(id))
	return err
}

// ConfirmCSLName records that CSL entries named name are listings of firm
// (or of its affiliates).
func (db *DB) ConfirmCSLName(ctx context.Context, name, firm string, affiliate bool) error {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := entityExists(ctx, tx, store.KindFirm, firm); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO csl_confirmations (name, firm_id, affiliate, at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (name, firm_id) DO UPDATE SET affiliate = excluded.affiliate, at = excluded.at`,
			store.FoldAlias(name, false), firm, affiliate, db.Now().Unix())
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("postgres: %w", err)
	}
	return db.wrap("confirm a screening-list name", err)
}

// CSLConfirmations returns every confirmed name.
func (db *DB) CSLConfirmations(ctx context.Context) ([]store.Confirmation, error) {
	return listRows(ctx, db, "list confirmations", `SELECT name, firm_id, affiliate FROM csl_confirmations ORDER BY name COLLATE "C", firm_id COLLATE "C"`, nil,
		func(rows pgx.Rows, c *store.Confirmation) error { return rows.Scan(&c.Name, &c.Firm, &c.Affiliate) })
}
