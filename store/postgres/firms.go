package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// Text is ordered COLLATE "C" throughout, byte order as on SQLite,
// whatever the database's own collation.

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

// listRows runs q and reads each row into a T with scan: the loop every
// list query shares. Errors are wrapped as unable to what.
func listRows[T any](ctx context.Context, db *DB, what, q string, args []any, scan func(pgx.Rows, *T) error) ([]T, error) {
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, db.wrap(what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, db.wrap(what, err)
		}
		out = append(out, v)
	}
	return out, db.wrap(what, rows.Err())
}

// Firms returns firms with their aliases, alliances and designations,
// ordered by display name.
func (db *DB) Firms(ctx context.Context, q store.FirmQuery) ([]store.Firm, error) {
	query := `SELECT ` + firmCols + ` FROM firms f WHERE true`
	switch q.Hidden {
	case store.HiddenNo:
		query += ` AND NOT hidden`
	case store.HiddenOnly:
		query += ` AND hidden`
	}
	var args []any
	if q.Alliance != "" {
		args = append(args, q.Alliance)
		query += fmt.Sprintf(` AND id IN (SELECT firm_id FROM memberships WHERE alliance_id = $%d)`, len(args))
	}
	if q.List != "" {
		args = append(args, q.List)
		query += fmt.Sprintf(` AND id IN (SELECT firm_id FROM designations WHERE list_id = $%d AND removed = '' AND status = 'confirmed')`, len(args))
	}
	query += ` ORDER BY lower(short) COLLATE "C", id COLLATE "C"`
	firms, err := listRows(ctx, db, "list firms", query, args, func(rows pgx.Rows, f *store.Firm) error { return scanFirm(rows, f) })
	if err != nil {
		return nil, err
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
	pairs, err := listRows(ctx, db, "list memberships", `SELECT firm_id, alliance_id FROM memberships ORDER BY alliance_id COLLATE "C"`, nil,
		func(rows pgx.Rows, p *[2]string) error { return rows.Scan(&p[0], &p[1]) })
	if err != nil {
		return err
	}
	for _, p := range pairs {
		if f := idx[p[0]]; f != nil {
			f.Alliances = append(f.Alliances, p[1])
		}
	}
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
		q += ` WHERE d.firm_id = $1`
		args = append(args, firm)
	}
	q += ` ORDER BY d.firm_id COLLATE "C", l.ord, d.added COLLATE "C", d.id`
	return listRows(ctx, db, "list designations", q, args, func(rows pgx.Rows, d *store.Designation) error {
		var status string
		err := rows.Scan(&d.ID, &d.Firm, &d.List, &d.Program, &d.Added, &d.Removed, &d.Citation, &d.Source, &status, &d.Affiliate, &d.Provenance, &d.Note)
		d.Status = store.DesignationStatus(status)
		return err
	})
}

// Firm returns one firm by ID.
func (db *DB) Firm(ctx context.Context, id string) (store.Firm, error) {
	var f store.Firm
	err := scanFirm(db.pool.QueryRow(ctx, `SELECT `+firmCols+` FROM firms WHERE id = $1`, id), &f)
	if errors.Is(err, pgx.ErrNoRows) {
		return f, fmt.Errorf("postgres: firm %q: %w", id, store.ErrNotFound)
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

// Alliances returns all alliances with members, aliases and the logged
// joins and leaves.
func (db *DB) Alliances(ctx context.Context) ([]store.Alliance, error) {
	out, err := listRows(ctx, db, "list alliances", `SELECT id, name, name_zh, name_status, launched, launch_note, venue, convener, members_note, sources, provenance
		FROM alliances ORDER BY launched COLLATE "C", id COLLATE "C"`, nil,
		func(rows pgx.Rows, a *store.Alliance) error {
			var sources string
			err := rows.Scan(&a.ID, &a.Name, &a.NameZH, &a.NameStatus, &a.Launched, &a.LaunchNote, &a.Venue, &a.Convener, &a.MembersNote, &sources, &a.Provenance)
			json.Unmarshal([]byte(sources), &a.Sources)
			return err
		})
	if err != nil {
		return nil, err
	}
	// A hidden firm is left out of every list, its alliances' members too.
	members, err := listRows(ctx, db, "list memberships", `SELECT m.alliance_id, m.firm_id, m.role, m.source, m.provenance, m.since
		FROM memberships m JOIN firms f ON f.id = m.firm_id
		WHERE NOT f.hidden ORDER BY m.alliance_id COLLATE "C", m.role = 'member', lower(f.short) COLLATE "C"`, nil,
		func(rows pgx.Rows, m *store.Membership) error {
			return rows.Scan(&m.Alliance, &m.Firm, &m.Role, &m.Source, &m.Provenance, &m.Since)
		})
	if err != nil {
		return nil, err
	}
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
	return store.Alliance{}, fmt.Errorf("postgres: alliance %q: %w", id, store.ErrNotFound)
}

// Lists returns the tracked lists in badge order.
func (db *DB) Lists(ctx context.Context) ([]store.List, error) {
	return listRows(ctx, db, "list lists", `SELECT id, name, badge, description, as_of FROM lists ORDER BY ord`, nil,
		func(rows pgx.Rows, l *store.List) error {
			return rows.Scan(&l.ID, &l.Name, &l.Badge, &l.Description, &l.AsOf)
		})
}

// Aliases returns every alias of every firm and alliance.
func (db *DB) Aliases(ctx context.Context) ([]store.Alias, error) {
	return listRows(ctx, db, "list aliases", `SELECT kind, entity, text, lang, case_sensitive, source FROM aliases
		ORDER BY kind COLLATE "C", entity COLLATE "C", id`, nil,
		func(rows pgx.Rows, a *store.Alias) error {
			var kind string
			err := rows.Scan(&kind, &a.Entity, &a.Text, &a.Lang, &a.CaseSensitive, &a.Source)
			a.Kind = store.EntityKind(kind)
			return err
		})
}

// AliasVersion changes whenever the alias set changes; matchers are
// rebuilt when it does.
func (db *DB) AliasVersion(ctx context.Context) (string, error) {
	var n, max, sum int64
	err := db.pool.QueryRow(ctx, `SELECT count(*), coalesce(max(id), 0), coalesce(sum(length(fold) * id), 0)::bigint FROM aliases`).Scan(&n, &max, &sum)
	return fmt.Sprintf("%d-%d-%d", n, max, sum), db.wrap("read the alias version", err)
}

// AddAlias adds a user alias to a firm or alliance. An alias whose folded
// form already names another entity is refused.
func (db *DB) AddAlias(ctx context.Context, a store.Alias) error {
	a.Text = strings.TrimSpace(a.Text)
	if a.Text == "" {
		return fmt.Errorf("postgres: an alias cannot be empty")
	}
	if a.Source == "" {
		a.Source = store.SourceUser
	}
	fold := store.FoldAlias(a.Text, a.CaseSensitive)
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := entityExists(ctx, tx, a.Kind, a.Entity); err != nil {
			return err
		}
		var kind, entity string
		err := tx.QueryRow(ctx, `SELECT kind, entity FROM aliases WHERE fold = $1 AND case_sensitive = $2`, fold, a.CaseSensitive).Scan(&kind, &entity)
		if err == nil {
			return fmt.Errorf("alias %q already names %s %q: %w", a.Text, kind, entity, store.ErrConflict)
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM removed_aliases WHERE fold = $1 AND case_sensitive = $2`, fold, a.CaseSensitive); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO aliases (kind, entity, text, fold, lang, case_sensitive, source) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			string(a.Kind), a.Entity, a.Text, fold, a.Lang, a.CaseSensitive, a.Source)
		return err
	})
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("postgres: %w", err)
	}
	if err := raced("add alias", err); err != nil {
		return err
	}
	return db.wrap("add alias", err)
}

// RemoveAlias removes an alias of a firm or alliance. A reference alias
// stays removed across reseeds.
func (db *DB) RemoveAlias(ctx context.Context, kind store.EntityKind, entity, text string) error {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		type hit struct {
			id   int64
			fold string
			cs   bool
		}
		rows, err := tx.Query(ctx, `SELECT id, fold, case_sensitive, text FROM aliases WHERE kind = $1 AND entity = $2`, string(kind), entity)
		if err != nil {
			return err
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
		if err := rows.Err(); err != nil {
			return err
		}
		if len(hits) == 0 {
			return fmt.Errorf("%s %q has no alias %q: %w", kind, entity, text, store.ErrNotFound)
		}
		for _, h := range hits {
			if _, err := tx.Exec(ctx, `DELETE FROM aliases WHERE id = $1`, h.id); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO removed_aliases (fold, case_sensitive) VALUES ($1, $2) ON CONFLICT DO NOTHING`, h.fold, h.cs); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("postgres: %w", err)
	}
	return db.wrap("remove alias", err)
}

// entityExists returns store.ErrNotFound, worded, when the firm or
// alliance id is not in the store.
func entityExists(ctx context.Context, tx pgx.Tx, kind store.EntityKind, id string) error {
	table := "firms"
	if kind == store.KindAlliance {
		table = "alliances"
	}
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM `+table+` WHERE id = $1`, id).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s %q: %w", kind, id, store.ErrNotFound)
	}
	return err
}

// FirmIDs returns every firm ID, sorted.
func (db *DB) FirmIDs(ctx context.Context) ([]string, error) {
	return listRows(ctx, db, "list firms", `SELECT id FROM firms ORDER BY id COLLATE "C"`, nil,
		func(rows pgx.Rows, id *string) error { return rows.Scan(id) })
}
