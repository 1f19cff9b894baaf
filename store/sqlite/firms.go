package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/aiwatch/aiwatch/store"
)

// firmCols are the columns scanFirm reads, in order.
const firmCols = `id, name, name_zh, name_ar, short, sector, hq, notes, sources, none_found_as_of, provenance, hidden, added`

func scanFirm(sc interface{ Scan(...any) error }, f *store.Firm) error {
	var sources string
	err := sc.Scan(&f.ID, &f.Name, &f.NameZH, &f.NameAR, &f.Short, &f.Sector, &f.HQ, &f.Notes, &sources, &f.NoneFoundAsOf, &f.Provenance, &f.Hidden, &f.Added)
	if err == nil {
		json.Unmarshal([]byte(sources), &f.Sources)
	}
	return err
}

// Firms returns firms with their aliases, alliances and designations,
// ordered by display name.
func (db *DB) Firms(ctx context.Context, q FirmQuery) ([]store.Firm, error) {
	query := `SELECT ` + firmCols + ` FROM firms f WHERE 1 = 1`
	switch q.Hidden {
	case HiddenNo:
		query += ` AND hidden = 0`
	case HiddenOnly:
		query += ` AND hidden = 1`
	}
	var args []any
	if q.Alliance != "" {
		query += ` AND id IN (SELECT firm_id FROM memberships WHERE alliance_id = ?)`
		args = append(args, q.Alliance)
	}
	if q.List != "" {
		query += ` AND id IN (SELECT firm_id FROM designations WHERE list_id = ? AND removed = '' AND status = 'confirmed')`
		args = append(args, q.List)
	}
	query += ` ORDER BY lower(short), id`
	rows, err := db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, db.wrap("list firms", err)
	}
	var firms []store.Firm
	for rows.Next() {
		var f store.Firm
		if err := scanFirm(rows, &f); err != nil {
			rows.Close()
			return nil, db.wrap("list firms", err)
		}
		firms = append(firms, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.wrap("list firms", err)
	}
	if err := db.fillFirms(ctx, firms); err != nil {
		return nil, err
	}
	return firms, nil
}

// fillFirms loads aliases, alliances and designations for firms.
func (db *DB) fillFirms(ctx context.Context, firms []store.Firm) error {
	idx := map[string]*store.Firm{}
	for i := range firms {
		idx[firms[i].ID] = &firms[i]
	}
	aliases, err := db.Aliases(ctx)
	if err != nil {
		return err
	}
	for _, a := range aliases {
		if f := idx[a.Entity]; f != nil && a.Kind == store.KindFirm {
			f.Aliases = append(f.Aliases, a)
		}
	}
	rows, err := db.db.QueryContext(ctx, `SELECT firm_id, alliance_id FROM memberships ORDER BY alliance_id`)
	if err != nil {
		return db.wrap("list memberships", err)
	}
	for rows.Next() {
		var fid, aid string
		if err := rows.Scan(&fid, &aid); err != nil {
			rows.Close()
			return db.wrap("list memberships", err)
		}
		if f := idx[fid]; f != nil {
			f.Alliances = append(f.Alliances, aid)
		}
	}
	rows.Close()
	ds, err := db.Designations(ctx, "")
	if err != nil {
		return err
	}
	for _, d := range ds {
		if f := idx[d.Firm]; f != nil {
			f.Designations = append(f.Designations, d)
		}
	}
	return nil
}

// Designations returns designations, of one firm or of all when firm is
// "", in list order then by date.
func (db *DB) Designations(ctx context.Context, firm string) ([]store.Designation, error) {
	q := `SELECT d.id, d.firm_id, d.list_id, d.program, d.added, d.removed, d.citation, d.source, d.status, d.affiliate, d.provenance, d.note
		FROM designations d JOIN lists l ON l.id = d.list_id`
	var args []any
	if firm != "" {
		q += ` WHERE d.firm_id = ?`
		args = append(args, firm)
	}
	q += ` ORDER BY d.firm_id, l.rowid, d.added, d.id`
	return scanAll(ctx, db, "list designations", q, args, func(rows *sql.Rows, d *store.Designation) error {
		return rows.Scan(&d.ID, &d.Firm, &d.List, &d.Program, &d.Added, &d.Removed, &d.Citation, &d.Source, &d.Status, &d.Affiliate, &d.Provenance, &d.Note)
	})
}

// Firm returns one firm by ID.
func (db *DB) Firm(ctx context.Context, id string) (store.Firm, error) {
	var f store.Firm
	err := scanFirm(db.db.QueryRowContext(ctx, `SELECT `+firmCols+` FROM firms WHERE id = ?`, id), &f)
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("sqlite: firm %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return f, db.wrap("read firm", err)
	}
	fs := []store.Firm{f}
	if err := db.fillFirms(ctx, fs); err != nil {
		return f, err
	}
	return fs[0], nil
}

// Alliances returns all alliances with members and aliases.
func (db *DB) Alliances(ctx context.Context) ([]store.Alliance, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, name, name_zh, name_status, launched, launch_note, venue, convener, members_note, sources, provenance FROM alliances ORDER BY launched, id`)
	if err != nil {
		return nil, db.wrap("list alliances", err)
	}
	var out []store.Alliance
	for rows.Next() {
		var a store.Alliance
		var sources string
		if err := rows.Scan(&a.ID, &a.Name, &a.NameZH, &a.NameStatus, &a.Launched, &a.LaunchNote, &a.Venue, &a.Convener, &a.MembersNote, &sources, &a.Provenance); err != nil {
			rows.Close()
			return nil, db.wrap("list alliances", err)
		}
		json.Unmarshal([]byte(sources), &a.Sources)
		out = append(out, a)
	}
	rows.Close()
	// A hidden firm is left out of every list, its alliances' members too.
	mrows, err := db.db.QueryContext(ctx, `SELECT m.alliance_id, m.firm_id, m.role, m.source, m.provenance, m.since FROM memberships m JOIN firms f ON f.id = m.firm_id
		WHERE f.hidden = 0 ORDER BY m.alliance_id, m.role = 'member', lower(f.short)`)
	if err != nil {
		return nil, db.wrap("list memberships", err)
	}
	var members []store.Membership
	for mrows.Next() {
		var m store.Membership
		if err := mrows.Scan(&m.Alliance, &m.Firm, &m.Role, &m.Source, &m.Provenance, &m.Since); err != nil {
			mrows.Close()
			return nil, db.wrap("list memberships", err)
		}
		members = append(members, m)
	}
	mrows.Close()
	aliases, err := db.Aliases(ctx)
	if err != nil {
		return nil, err
	}
	events, err := db.MembershipEvents(ctx, "")
	if err != nil {
		return nil, err
	}
	store.JoinAlliances(out, members, aliases, events)
	return out, nil
}

// Alliance returns one alliance by ID.
func (db *DB) Alliance(ctx context.Context, id string) (store.Alliance, error) {
	all, err := db.Alliances(ctx)
	if err != nil {
		return store.Alliance{}, err
	}
	for _, a := range all {
		if a.ID == id {
			return a, nil
		}
	}
	return store.Alliance{}, fmt.Errorf("sqlite: alliance %q: %w", id, store.ErrNotFound)
}

// Lists returns the tracked lists in badge order.
func (db *DB) Lists(ctx context.Context) ([]store.List, error) {
	return scanAll(ctx, db, "list lists", `SELECT id, name, badge, description, as_of FROM lists ORDER BY rowid`, nil,
		func(rows *sql.Rows, l *store.List) error {
			return rows.Scan(&l.ID, &l.Name, &l.Badge, &l.Description, &l.AsOf)
		})
}

// Aliases returns every alias of every firm and alliance.
func (db *DB) Aliases(ctx context.Context) ([]store.Alias, error) {
	return scanAll(ctx, db, "list aliases", `SELECT kind, entity, text, lang, case_sensitive, source FROM aliases ORDER BY kind, entity, id`, nil,
		func(rows *sql.Rows, a *store.Alias) error {
			return rows.Scan(&a.Kind, &a.Entity, &a.Text, &a.Lang, &a.CaseSensitive, &a.Source)
		})
}

// AliasVersion changes whenever the alias set changes; matchers are
// rebuilt when it does.
func (db *DB) AliasVersion(ctx context.Context) (string, error) {
	var n, max int64
	var sum sql.NullInt64
	err := db.db.QueryRowContext(ctx, `SELECT count(*), coalesce(max(id), 0), sum(length(fold) * id) FROM aliases`).Scan(&n, &max, &sum)
	return fmt.Sprintf("%d-%d-%d", n, max, sum.Int64), db.wrap("read the alias version", err)
}

// AddAlias adds a user alias to a firm or alliance. An alias whose folded
// form already names another entity is refused.
func (db *DB) AddAlias(ctx context.Context, a store.Alias) error {
	a.Text = strings.TrimSpace(a.Text)
	if a.Text == "" {
		return fmt.Errorf("sqlite: an alias cannot be empty")
	}
	if a.Source == "" {
		a.Source = store.SourceUser
	}
	fold := store.FoldAlias(a.Text, a.CaseSensitive)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := entityExists(ctx, tx, a.Kind, a.Entity); err != nil {
			return err
		}
		var kind, entity string
		err := tx.QueryRowContext(ctx, `SELECT kind, entity FROM aliases WHERE fold = ? AND case_sensitive = ?`, fold, a.CaseSensitive).Scan(&kind, &entity)
		if err == nil {
			return fmt.Errorf("alias %q already names %s %q: %w", a.Text, kind, entity, store.ErrConflict)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM removed_aliases WHERE fold = ? AND case_sensitive = ?`, fold, a.CaseSensitive); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO aliases (kind, entity, text, fold, lang, case_sensitive, source) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			string(a.Kind), a.Entity, a.Text, fold, a.Lang, a.CaseSensitive, a.Source)
		return err
	})
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("sqlite: %w", err)
	}
	return db.wrap("add alias", err)
}

// RemoveAlias removes an alias of a firm or alliance. A reference alias
// stays removed across reseeds.
func (db *DB) RemoveAlias(ctx context.Context, kind store.EntityKind, entity, text string) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, fold, case_sensitive, text FROM aliases WHERE kind = ? AND entity = ?`, string(kind), entity)
		if err != nil {
			return err
		}
		type hit struct {
			id   int64
			fold string
			cs   bool
		}
		var hits []hit
		for rows.Next() {
			var h hit
			var t string
			if err := rows.Scan(&h.id, &h.fold, &h.cs, &t); err != nil {
				rows.Close()
				return err
			}
			if t == text || h.fold == store.FoldAlias(text, h.cs) {
				hits = append(hits, h)
			}
		}
		rows.Close()
		if len(hits) == 0 {
			return fmt.Errorf("%s %q has no alias %q: %w", kind, entity, text, store.ErrNotFound)
		}
		for _, h := range hits {
			if _, err := tx.ExecContext(ctx, `DELETE FROM aliases WHERE id = ?`, h.id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO removed_aliases (fold, case_sensitive) VALUES (?, ?)`, h.fold, h.cs); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("sqlite: %w", err)
	}
	return db.wrap("remove alias", err)
}

func entityExists(ctx context.Context, tx *sql.Tx, kind store.EntityKind, id string) error {
	table := "firms"
	if kind == store.KindAlliance {
		table = "alliances"
	}
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %q: %w", kind, id, store.ErrNotFound)
	}
	return err
}

// FirmIDs returns every firm ID, sorted.
func (db *DB) FirmIDs(ctx context.Context) ([]string, error) {
	ids, err := scanAll(ctx, db, "list firms", `SELECT id FROM firms`, nil,
		func(rows *sql.Rows, id *string) error { return rows.Scan(id) })
	sort.Strings(ids)
	return ids, err
}
