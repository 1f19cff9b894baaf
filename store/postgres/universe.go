package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aiwatch/aiwatch/store"
)

// The user's own universe: firms and alliances the user adds, hides and
// removes, and the joins and leaves of alliances. Every fact written here
// has provenance store.SourceUser, and Seed never overwrites it. These are
// shared by the team: what one member adds, every member sees.

// userDay is the shape of the dates the user gives: YYYY, YYYY-MM or
// YYYY-MM-DD (the rule of sqlite.CheckDate).
var userDay = regexp.MustCompile(`^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$`)

// checkUserDate reports why s is not a date as the user may give one, or
// nil; "" is no date and allowed.
func checkUserDate(s string) error {
	if s != "" && !userDay.MatchString(s) {
		return fmt.Errorf("date %q: want YYYY-MM-DD, YYYY-MM or YYYY", store.CleanLine(s, 40))
	}
	return nil
}

// refusal is a refusal worded for the user: it reads without the "unable
// to" of a store failure.
type refusal struct{ msg string }

func (e refusal) Error() string { return e.msg }

func refuseUser(format string, args ...any) error { return refusal{fmt.Sprintf(format, args...)} }

// userErr wraps the errors a user can act on as they are, and others as a
// store failure.
func (db *DB) userErr(what string, err error) error {
	var r refusal
	if errors.As(err, &r) || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("postgres: %w", err)
	}
	if err := raced(what, err); err != nil {
		return err
	}
	return db.wrap(what, err)
}

// raced words the unique violation of a write that another user's same
// write beat by a moment (both checked, neither saw the other's row): the
// user's write is refused as a conflict, as it would have been a moment
// later. It returns nil for any other error.
func raced(what string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return fmt.Errorf("postgres: unable to %s: another user wrote the same a moment ago: %w", what, store.ErrConflict)
	}
	return nil
}

// AddFirm adds a firm of the user's: f.ID, f.Name and optionally NameZH,
// NameAR, Sector, HQ, Sources and Aliases. The names become aliases, so
// that items naming the firm are tagged. A bad ID, an empty name, an ID
// in use, or a spelling that already names another firm or alliance is
// refused, and nothing is written.
func (db *DB) AddFirm(ctx context.Context, f store.Firm) error {
	if err := store.CheckID(f.ID); err != nil {
		return fmt.Errorf("postgres: %w", refusal{err.Error()})
	}
	f.Name = store.CleanLine(f.Name, 200)
	if f.Name == "" {
		return fmt.Errorf("postgres: %w", refuseUser("firm %q needs a name (--name)", f.ID))
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var prov string
		err := tx.QueryRow(ctx, `SELECT provenance FROM firms WHERE id = $1`, f.ID).Scan(&prov)
		if err == nil {
			return fmt.Errorf("firm %q (%s) %w; choose another ID", f.ID, prov, store.ErrConflict)
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		src, _ := json.Marshal(nonNil(f.Sources))
		if _, err := tx.Exec(ctx, `INSERT INTO firms (id, name, name_zh, name_ar, short, sector, hq, sources, provenance, in_reference, added)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, false, $10)`,
			f.ID, f.Name, store.CleanLine(f.NameZH, 200), store.CleanLine(f.NameAR, 200), f.Name,
			store.CleanLine(f.Sector, 200), store.CleanLine(f.HQ, 200), string(src), store.SourceUser,
			db.Now().UTC().Format("2006-01-02")); err != nil {
			return err
		}
		return addAliases(ctx, tx, store.KindFirm, f.ID, nameAliases(f.Name, f.NameZH, f.NameAR, f.Aliases))
	})
	return db.userErr("add firm", err)
}

// EditFirm changes a firm the user added. A reference firm's facts come
// from the reference dataset and are refused; its spellings are added with
// AddAlias.
func (db *DB) EditFirm(ctx context.Context, id string, e store.FirmEdit) error {
	if e.Name != nil && store.CleanLine(*e.Name, 200) == "" {
		return fmt.Errorf("postgres: %w", refuseUser("firm %q needs a name: --name cannot be empty", id))
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var f store.Firm
		if err := scanFirm(tx.QueryRow(ctx, `SELECT `+firmCols+` FROM firms WHERE id = $1 FOR UPDATE`, id), &f); errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("firm %q: %w", id, store.ErrNotFound)
		} else if err != nil {
			return err
		}
		if f.Provenance != store.SourceUser {
			return refuseUser("firm %q comes from the reference dataset and cannot be edited; add a spelling with aiwatch alias add, or hide it with aiwatch firms hide", id)
		}
		set := func(col string, v *string, old string, lang string) error {
			if v == nil {
				return nil
			}
			nv := store.CleanLine(*v, 200)
			if _, err := tx.Exec(ctx, `UPDATE firms SET `+col+` = $1 WHERE id = $2`, nv, id); err != nil {
				return err
			}
			if lang == "" || nv == old {
				return nil
			}
			// The old name's alias goes with it, when it was the user's.
			if old != "" {
				if _, err := tx.Exec(ctx, `DELETE FROM aliases WHERE kind = 'firm' AND entity = $1 AND source = $2 AND fold = $3`,
					id, store.SourceUser, store.FoldAlias(old, false)); err != nil {
					return err
				}
			}
			if nv == "" {
				return nil
			}
			return addAliases(ctx, tx, store.KindFirm, id, []store.Alias{{Text: nv, Lang: lang}})
		}
		if err := set("name", e.Name, f.Name, aliasLang(f.Name, "en")); err != nil {
			return err
		}
		if e.Name != nil {
			if _, err := tx.Exec(ctx, `UPDATE firms SET short = name WHERE id = $1`, id); err != nil {
				return err
			}
		}
		if err := set("name_zh", e.NameZH, f.NameZH, "zh"); err != nil {
			return err
		}
		if err := set("name_ar", e.NameAR, f.NameAR, "ar"); err != nil {
			return err
		}
		if err := set("sector", e.Sector, f.Sector, ""); err != nil {
			return err
		}
		if err := set("hq", e.HQ, f.HQ, ""); err != nil {
			return err
		}
		if e.Sources != nil {
			src, _ := json.Marshal(e.Sources)
			if _, err := tx.Exec(ctx, `UPDATE firms SET sources = $1 WHERE id = $2`, string(src), id); err != nil {
				return err
			}
		}
		return addAliases(ctx, tx, store.KindFirm, id, e.Aliases)
	})
	return db.userErr("edit firm", err)
}

// RemoveFirm removes a firm the user added, with its aliases, memberships
// (each logged as a leave), designations and tags. A firm the reference
// dataset holds is refused: hide it instead.
func (db *DB) RemoveFirm(ctx context.Context, id string) error {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var prov string
		var inRef bool
		err := tx.QueryRow(ctx, `SELECT provenance, in_reference FROM firms WHERE id = $1 FOR UPDATE`, id).Scan(&prov, &inRef)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("firm %q: %w", id, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if prov != store.SourceUser || inRef {
			return refuseUser("firm %q is in the reference dataset and cannot be removed; hide it with aiwatch firms hide %s", id, id)
		}
		alliances, err := pgxStrings(ctx, tx, `SELECT alliance_id FROM memberships WHERE firm_id = $1 ORDER BY alliance_id COLLATE "C"`, id)
		if err != nil {
			return err
		}
		for _, a := range alliances {
			if err := logMembership(ctx, tx, db.Now().Unix(), a, id, "left", "", "firm removed"); err != nil {
				return err
			}
		}
		if err := lockMarks(ctx, tx); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM aliases WHERE kind = 'firm' AND entity = $1`,
			`DELETE FROM item_tags WHERE kind = 'firm' AND entity = $1`,
			`DELETE FROM firms WHERE id = $1`, // memberships, designations and confirmations cascade
		} {
			if _, err := tx.Exec(ctx, q, id); err != nil {
				return err
			}
		}
		for _, a := range alliances {
			if err := rebuildAllyTags(ctx, tx, a); err != nil {
				return err
			}
		}
		return nil
	})
	return db.userErr("remove firm", err)
}

// SetFirmHidden hides a firm from panes and lists, or shows it again. Its
// items, tags and facts stay.
func (db *DB) SetFirmHidden(ctx context.Context, id string, hidden bool) error {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE firms SET hidden = $1 WHERE id = $2`, hidden, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("firm %q: %w", id, store.ErrNotFound)
		}
		return nil
	})
	return db.userErr("hide firm", err)
}

// AddAlliance adds an alliance of the user's: a.ID, a.Name and optionally
// NameZH, Launched, Convener (a firm ID, which becomes a member with role
// "convener") and Sources. The names become aliases.
func (db *DB) AddAlliance(ctx context.Context, a store.Alliance) error {
	if err := store.CheckID(a.ID); err != nil {
		return fmt.Errorf("postgres: %w", refusal{err.Error()})
	}
	a.Name = store.CleanLine(a.Name, 200)
	if a.Name == "" {
		return fmt.Errorf("postgres: %w", refuseUser("alliance %q needs a name (--name)", a.ID))
	}
	if err := checkUserDate(a.Launched); err != nil {
		return fmt.Errorf("postgres: %w", refusal{"--launched: " + err.Error()})
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var prov string
		err := tx.QueryRow(ctx, `SELECT provenance FROM alliances WHERE id = $1`, a.ID).Scan(&prov)
		if err == nil {
			return fmt.Errorf("alliance %q (%s) %w; choose another ID", a.ID, prov, store.ErrConflict)
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		convener := ""
		if a.Convener != "" {
			if err := tx.QueryRow(ctx, `SELECT short FROM firms WHERE id = $1`, a.Convener).Scan(&convener); errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("convener: firm %q: %w", a.Convener, store.ErrNotFound)
			} else if err != nil {
				return err
			}
		}
		src, _ := json.Marshal(nonNil(a.Sources))
		if _, err := tx.Exec(ctx, `INSERT INTO alliances (id, name, name_zh, launched, convener, sources, provenance, in_reference)
			VALUES ($1, $2, $3, $4, $5, $6, $7, false)`,
			a.ID, a.Name, store.CleanLine(a.NameZH, 200), a.Launched, convener, string(src), store.SourceUser); err != nil {
			return err
		}
		if err := addAliases(ctx, tx, store.KindAlliance, a.ID, nameAliases(a.Name, a.NameZH, "", a.Aliases)); err != nil {
			return err
		}
		if a.Convener == "" {
			return nil
		}
		if err := joinAlliance(ctx, tx, db.Now().Unix(), a.ID, a.Convener, "convener", firstOf(a.Sources), a.Launched); err != nil {
			return err
		}
		return rebuildAllyTags(ctx, tx, a.ID)
	})
	return db.userErr("add alliance", err)
}

// RemoveAlliance removes an alliance the user added, with its aliases,
// memberships and tags; its logged joins and leaves stay as history.
func (db *DB) RemoveAlliance(ctx context.Context, id string) error {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var prov string
		var inRef bool
		err := tx.QueryRow(ctx, `SELECT provenance, in_reference FROM alliances WHERE id = $1 FOR UPDATE`, id).Scan(&prov, &inRef)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("alliance %q: %w", id, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if prov != store.SourceUser || inRef {
			return refuseUser("alliance %q is in the reference dataset and cannot be removed", id)
		}
		if err := lockMarks(ctx, tx); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM aliases WHERE kind = 'alliance' AND entity = $1`,
			`DELETE FROM item_tags WHERE kind IN ('alliance', 'ally') AND entity = $1`,
			`DELETE FROM removed_memberships WHERE alliance_id = $1`,
			`DELETE FROM alliances WHERE id = $1`, // memberships cascade
		} {
			if _, err := tx.Exec(ctx, q, id); err != nil {
				return err
			}
		}
		return nil
	})
	return db.userErr("remove alliance", err)
}

// JoinAlliance records that firms joined the alliance, all or none: an
// unknown alliance or firm, or a firm that is already a member, is
// refused and nothing is written. since is the date the user gives.
func (db *DB) JoinAlliance(ctx context.Context, alliance string, firms []string, source, since string) error {
	if err := checkUserDate(since); err != nil {
		return fmt.Errorf("postgres: %w", refusal{"--since: " + err.Error()})
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := entityExists(ctx, tx, store.KindAlliance, alliance); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, f := range firms {
			if seen[f] {
				return refuseUser("firm %q is named twice", f)
			}
			seen[f] = true
			if err := entityExists(ctx, tx, store.KindFirm, f); err != nil {
				return err
			}
			var role string
			err := tx.QueryRow(ctx, `SELECT role FROM memberships WHERE alliance_id = $1 AND firm_id = $2`, alliance, f).Scan(&role)
			if err == nil {
				return fmt.Errorf("firm %q is already a member of alliance %q (%s): %w", f, alliance, role, store.ErrConflict)
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			if err := joinAlliance(ctx, tx, db.Now().Unix(), alliance, f, "member", source, since); err != nil {
				return err
			}
		}
		return rebuildAllyTags(ctx, tx, alliance)
	})
	return db.userErr("join alliance", err)
}

// LeaveAlliance records that a firm left the alliance on date (or ""). A
// reference membership the user ends stays ended across reseeds.
func (db *DB) LeaveAlliance(ctx context.Context, alliance, firm, date string) error {
	if err := checkUserDate(date); err != nil {
		return fmt.Errorf("postgres: %w", refusal{"--date: " + err.Error()})
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := entityExists(ctx, tx, store.KindAlliance, alliance); err != nil {
			return err
		}
		if err := entityExists(ctx, tx, store.KindFirm, firm); err != nil {
			return err
		}
		var prov string
		err := tx.QueryRow(ctx, `DELETE FROM memberships WHERE alliance_id = $1 AND firm_id = $2 RETURNING provenance`, alliance, firm).Scan(&prov)
		if errors.Is(err, pgx.ErrNoRows) {
			return refuseUser("firm %q is not a member of alliance %q", firm, alliance)
		}
		if err != nil {
			return err
		}
		if prov == store.SourceReference {
			if _, err := tx.Exec(ctx, `INSERT INTO removed_memberships (alliance_id, firm_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, alliance, firm); err != nil {
				return err
			}
		}
		if err := logMembership(ctx, tx, db.Now().Unix(), alliance, firm, "left", date, ""); err != nil {
			return err
		}
		return rebuildAllyTags(ctx, tx, alliance)
	})
	return db.userErr("leave alliance", err)
}

// MembershipEvents returns the logged joins and leaves, of one alliance or
// of all when alliance is "", oldest first.
func (db *DB) MembershipEvents(ctx context.Context, alliance string) ([]store.MembershipEvent, error) {
	q := `SELECT id, at, alliance_id, firm_id, action, date, source, provenance FROM membership_events`
	var args []any
	if alliance != "" {
		q += ` WHERE alliance_id = $1`
		args = append(args, alliance)
	}
	q += ` ORDER BY at, id`
	return listRows(ctx, db, "list membership events", q, args, func(rows pgx.Rows, e *store.MembershipEvent) error {
		var at int64
		err := rows.Scan(&e.ID, &at, &e.Alliance, &e.Firm, &e.Action, &e.Date, &e.Source, &e.Provenance)
		e.At = unixUTC(at)
		return err
	})
}

// joinAlliance writes a user's membership and logs the join.
func joinAlliance(ctx context.Context, tx pgx.Tx, at int64, alliance, firm, role, source, since string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO memberships (alliance_id, firm_id, role, source, provenance, since) VALUES ($1, $2, $3, $4, $5, $6)`,
		alliance, firm, role, source, store.SourceUser, since); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM removed_memberships WHERE alliance_id = $1 AND firm_id = $2`, alliance, firm); err != nil {
		return err
	}
	return logMembership(ctx, tx, at, alliance, firm, "joined", since, source)
}

func logMembership(ctx context.Context, tx pgx.Tx, at int64, alliance, firm, action, date, source string) error {
	_, err := tx.Exec(ctx, `INSERT INTO membership_events (at, alliance_id, firm_id, action, date, source, provenance) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		at, alliance, firm, action, date, source, store.SourceUser)
	return err
}

// nameAliases are the aliases of an entity's names and extra spellings,
// each once.
func nameAliases(name, zh, ar string, extra []store.Alias) []store.Alias {
	var out []store.Alias
	add := func(text, lang string, cs bool) {
		text = store.CleanLine(text, 200)
		if text == "" {
			return
		}
		for _, a := range out {
			if a.CaseSensitive == cs && store.FoldAlias(a.Text, cs) == store.FoldAlias(text, cs) {
				return
			}
		}
		out = append(out, store.Alias{Text: text, Lang: lang, CaseSensitive: cs})
	}
	add(name, aliasLang(name, "en"), false)
	add(zh, "zh", false)
	add(ar, "ar", false)
	for _, a := range extra {
		add(a.Text, aliasLang(a.Text, a.Lang), a.CaseSensitive)
	}
	return out
}

// aliasLang is lang, else the language of s's script.
func aliasLang(s, lang string) string {
	if lang != "" && lang != "en" {
		return lang
	}
	for _, r := range s {
		switch {
		case r >= 0x0600 && r <= 0x06FF:
			return "ar"
		case r >= 0x4E00 && r <= 0x9FFF:
			return "zh"
		}
	}
	return "en"
}

// addAliases adds user aliases to an entity. A spelling that already names
// another entity is refused; one that already names this entity is kept.
func addAliases(ctx context.Context, tx pgx.Tx, kind store.EntityKind, entity string, aliases []store.Alias) error {
	for _, a := range aliases {
		a.Text = store.CleanLine(a.Text, 200)
		if a.Text == "" {
			return refuseUser("an alias cannot be empty")
		}
		fold := store.FoldAlias(a.Text, a.CaseSensitive)
		if strings.TrimSpace(fold) == "" {
			return refuseUser("alias %q has nothing to match", a.Text)
		}
		var k, e string
		err := tx.QueryRow(ctx, `SELECT kind, entity FROM aliases WHERE fold = $1 AND case_sensitive = $2`, fold, a.CaseSensitive).Scan(&k, &e)
		if err == nil {
			if k == string(kind) && e == entity {
				continue
			}
			return fmt.Errorf("alias %q already names %s %q: %w", a.Text, k, e, store.ErrConflict)
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM removed_aliases WHERE fold = $1 AND case_sensitive = $2`, fold, a.CaseSensitive); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO aliases (kind, entity, text, fold, lang, case_sensitive, source) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			string(kind), entity, a.Text, fold, aliasLang(a.Text, a.Lang), a.CaseSensitive, store.SourceUser); err != nil {
			return err
		}
	}
	return nil
}

// pgxStrings reads a one-column query of text.
func pgxStrings(ctx context.Context, tx pgx.Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
