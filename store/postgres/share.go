package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// Sharing the user's universe: UserUniverse reads it out, ImportUniverse
// writes one in, in one transaction, and never duplicates: an entry the
// store already holds as it is counts as unchanged.

// UserUniverse returns the user's own part of the store, in a fixed
// order, so that exporting the same store twice gives the same file.
func (db *DB) UserUniverse(ctx context.Context) (store.Universe, error) {
	var u store.Universe
	var err error
	if u.Firms, err = listRows(ctx, db, "export firms", `SELECT `+firmCols+` FROM firms WHERE provenance = 'user' ORDER BY id COLLATE "C"`, nil,
		func(rows pgx.Rows, f *store.Firm) error { return scanFirm(rows, f) }); err != nil {
		return u, err
	}
	if u.Alliances, err = listRows(ctx, db, "export alliances", `SELECT id, name, name_zh, launched, sources FROM alliances WHERE provenance = 'user' ORDER BY id COLLATE "C"`, nil,
		func(rows pgx.Rows, a *store.Alliance) error {
			var src string
			err := rows.Scan(&a.ID, &a.Name, &a.NameZH, &a.Launched, &src)
			json.Unmarshal([]byte(src), &a.Sources)
			return err
		}); err != nil {
		return u, err
	}
	if u.Aliases, err = listRows(ctx, db, "export aliases", `SELECT kind, entity, text, lang, case_sensitive FROM aliases WHERE source = 'user' ORDER BY kind COLLATE "C", entity COLLATE "C", fold COLLATE "C", case_sensitive`, nil,
		func(rows pgx.Rows, a *store.Alias) error {
			return rows.Scan(&a.Kind, &a.Entity, &a.Text, &a.Lang, &a.CaseSensitive)
		}); err != nil {
		return u, err
	}
	// The names of the user's firms and alliances are spellings already:
	// they are not written twice.
	names := map[string]bool{}
	for _, f := range u.Firms {
		for _, n := range []string{f.Name, f.NameZH, f.NameAR} {
			names["firm|"+f.ID+"|"+store.FoldAlias(n, false)] = true
		}
	}
	for _, a := range u.Alliances {
		for _, n := range []string{a.Name, a.NameZH} {
			names["alliance|"+a.ID+"|"+store.FoldAlias(n, false)] = true
		}
	}
	u.Aliases = slices.DeleteFunc(u.Aliases, func(a store.Alias) bool {
		return !a.CaseSensitive && names[string(a.Kind)+"|"+a.Entity+"|"+store.FoldAlias(a.Text, false)]
	})
	if u.Memberships, err = listRows(ctx, db, "export memberships", `SELECT alliance_id, firm_id, role, source, since FROM memberships WHERE provenance = 'user' ORDER BY alliance_id COLLATE "C", firm_id COLLATE "C"`, nil,
		func(rows pgx.Rows, m *store.Membership) error {
			return rows.Scan(&m.Alliance, &m.Firm, &m.Role, &m.Source, &m.Since)
		}); err != nil {
		return u, err
	}
	if u.Leaves, err = listRows(ctx, db, "export leaves", `SELECT r.alliance_id, r.firm_id,
			coalesce((SELECT e.date FROM membership_events e WHERE e.alliance_id = r.alliance_id AND e.firm_id = r.firm_id AND e.action = 'left' ORDER BY e.at DESC, e.id DESC LIMIT 1), '')
		FROM removed_memberships r ORDER BY r.alliance_id COLLATE "C", r.firm_id COLLATE "C"`, nil,
		func(rows pgx.Rows, e *store.MembershipEvent) error {
			e.Action = "left"
			return rows.Scan(&e.Alliance, &e.Firm, &e.Date)
		}); err != nil {
		return u, err
	}
	if u.Hidden, err = listRows(ctx, db, "export hidden firms", `SELECT id FROM firms WHERE hidden ORDER BY id COLLATE "C"`, nil,
		func(rows pgx.Rows, id *string) error { return rows.Scan(id) }); err != nil {
		return u, err
	}
	// This user's watch list and views, as Watches and Views list them.
	if u.Watches, err = listRows(ctx, db, "list the watch list", `SELECT id, kind, value, created FROM watches WHERE username = $1 ORDER BY id`, []any{db.user},
		func(rows pgx.Rows, w *store.Watch) error {
			var kind string
			var created int64
			err := rows.Scan(&w.ID, &kind, &w.Value, &created)
			w.Kind, w.Created = store.WatchKind(kind), time.Unix(created, 0).UTC()
			return err
		}); err != nil {
		return u, err
	}
	if u.Views, err = listRows(ctx, db, "list views", `SELECT name, query FROM views WHERE username = $1 ORDER BY lower(name) COLLATE "C", name COLLATE "C"`, []any{db.user},
		func(rows pgx.Rows, v *store.View) error {
			v.Source = "store"
			return rows.Scan(&v.Name, &v.Query)
		}); err != nil {
		return u, err
	}
	return u, nil
}

// errDryRun rolls back the transaction of a dry run.
var errDryRun = errors.New("dry run")

// ImportUniverse writes u into the store in one transaction and returns
// what it added and changed; with dryRun it returns the same and writes
// nothing. An entry the store holds as it is is left alone, so importing
// the same universe twice changes nothing the second time. A firm or
// alliance of the user's with other fields is changed; one whose ID is
// the reference dataset's is refused, since the reference's facts are not
// the user's to overwrite. Any refusal (a bad ID, an unknown firm or
// alliance, a spelling that names another entity, a bad date) names the
// entry, and nothing is written. The caller checks that the queries of
// watches and views parse.
func (db *DB) ImportUniverse(ctx context.Context, u store.Universe, dryRun bool) (store.ImportResult, error) {
	var res store.ImportResult
	err := db.tx(ctx, func(tx pgx.Tx) error {
		res = store.ImportResult{}
		im := importer{ctx: ctx, tx: tx, user: db.user, now: db.Now(), res: &res, allies: map[string]bool{}}
		if err := im.run(u); err != nil {
			return err
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	var ie *store.ImportError
	if errors.As(err, &ie) {
		return store.ImportResult{}, fmt.Errorf("postgres: %w", err)
	}
	if err != nil {
		return store.ImportResult{}, db.userErr("import the universe", err)
	}
	return res, nil
}

type importer struct {
	ctx    context.Context
	tx     pgx.Tx
	user   string // whose watch list and views
	now    time.Time
	res    *store.ImportResult
	allies map[string]bool // alliances whose roll-up tags need rebuilding
}

func (im *importer) exec(q string, args ...any) error {
	_, err := im.tx.Exec(im.ctx, q, args...)
	return err
}

func (im *importer) change(section string, i int, op, what, detail string) {
	im.res.Changes = append(im.res.Changes, store.UniverseChange{Section: section, Index: i, Op: op, What: what, Detail: detail})
}

// entry names an entry of the universe in a refusal.
type entry struct {
	section string
	i       int
}

func (p entry) refuse(format string, args ...any) error {
	return &store.ImportError{Section: p.section, Index: p.i, Msg: fmt.Sprintf(format, args...)}
}

// wrap places a refusal worded for the user; other errors pass.
func (p entry) wrap(err error) error {
	var ue refusal
	if errors.As(err, &ue) || errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		return p.refuse("%s", err)
	}
	return err
}

func (im *importer) run(u store.Universe) error {
	for i, f := range u.Firms {
		if err := im.firm(i, f); err != nil {
			return err
		}
	}
	for i, a := range u.Alliances {
		if err := im.alliance(i, a); err != nil {
			return err
		}
	}
	for i, a := range u.Aliases {
		if err := im.alias(i, a); err != nil {
			return err
		}
	}
	for i, m := range u.Memberships {
		if err := im.membership(i, m); err != nil {
			return err
		}
	}
	for i, e := range u.Leaves {
		if err := im.leave(i, e); err != nil {
			return err
		}
	}
	for i, id := range u.Hidden {
		if err := im.hide(i, id); err != nil {
			return err
		}
	}
	for i, w := range u.Watches {
		if err := im.watch(i, w); err != nil {
			return err
		}
	}
	for i, v := range u.Views {
		if err := im.view(i, v); err != nil {
			return err
		}
	}
	allies := make([]string, 0, len(im.allies))
	for a := range im.allies {
		allies = append(allies, a)
	}
	slices.Sort(allies)
	for _, a := range allies {
		if err := rebuildAllyTags(im.ctx, im.tx, a); err != nil {
			return err
		}
	}
	return nil
}

// diff lists the fields that differ, as "field: old → new".
func diff(pairs ...string) string {
	var out []string
	for i := 0; i+2 < len(pairs); i += 3 {
		if pairs[i+1] != pairs[i+2] {
			out = append(out, fmt.Sprintf("%s: %q → %q", pairs[i], pairs[i+1], pairs[i+2]))
		}
	}
	return strings.Join(out, "; ")
}

func sourcesJSON(s []string) string {
	b, _ := json.Marshal(nonNil(s))
	return string(b)
}

func (im *importer) firm(i int, f store.Firm) error {
	place := entry{"firms", i}
	if err := store.CheckID(f.ID); err != nil {
		return place.refuse("%s", err)
	}
	f.Name, f.NameZH, f.NameAR = store.CleanLine(f.Name, 200), store.CleanLine(f.NameZH, 200), store.CleanLine(f.NameAR, 200)
	f.Sector, f.HQ = store.CleanLine(f.Sector, 200), store.CleanLine(f.HQ, 200)
	if f.Name == "" {
		return place.refuse("firm %q needs a name", f.ID)
	}
	src := sourcesJSON(f.Sources)
	var old store.Firm
	err := scanFirm(im.tx.QueryRow(im.ctx, `SELECT `+firmCols+` FROM firms WHERE id = $1`, f.ID), &old)
	if errors.Is(err, pgx.ErrNoRows) {
		if err := im.exec(`INSERT INTO firms (id, name, name_zh, name_ar, short, sector, hq, sources, provenance, in_reference, added)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, false, $10)`,
			f.ID, f.Name, f.NameZH, f.NameAR, f.Name, f.Sector, f.HQ, src, store.SourceUser, im.now.UTC().Format("2006-01-02")); err != nil {
			return err
		}
		if err := im.aliases(place, store.KindFirm, f.ID, nameAliases(f.Name, f.NameZH, f.NameAR, nil)); err != nil {
			return err
		}
		im.change("firms", i, "add", fmt.Sprintf("firm %s (%s)", f.ID, f.Name), "")
		return nil
	}
	if err != nil {
		return err
	}
	if old.Provenance != store.SourceUser {
		return place.refuse("firm %q is in the reference dataset, and an import cannot overwrite it; give your firm another ID, or add spellings under aliases:", f.ID)
	}
	d := diff("name", old.Name, f.Name, "name_zh", old.NameZH, f.NameZH, "name_ar", old.NameAR, f.NameAR,
		"sector", old.Sector, f.Sector, "hq", old.HQ, f.HQ, "sources", sourcesJSON(old.Sources), src)
	if d == "" {
		im.res.Unchanged++
		return nil
	}
	if err := im.exec(`UPDATE firms SET name = $1, short = $2, name_zh = $3, name_ar = $4, sector = $5, hq = $6, sources = $7 WHERE id = $8`,
		f.Name, f.Name, f.NameZH, f.NameAR, f.Sector, f.HQ, src, f.ID); err != nil {
		return err
	}
	if err := im.renamed(place, store.KindFirm, f.ID, [][2]string{{old.Name, f.Name}, {old.NameZH, f.NameZH}, {old.NameAR, f.NameAR}}); err != nil {
		return err
	}
	im.change("firms", i, "change", fmt.Sprintf("firm %s (%s)", f.ID, f.Name), d)
	return nil
}

// renamed moves the name aliases of an entity whose names changed: the
// old name's user alias goes, the new name's comes.
func (im *importer) renamed(place entry, kind store.EntityKind, id string, names [][2]string) error {
	langs := []string{aliasLang(names[0][1], "en"), "zh", "ar"}
	for j, n := range names {
		if n[0] == n[1] {
			continue
		}
		if n[0] != "" {
			if err := im.exec(`DELETE FROM aliases WHERE kind = $1 AND entity = $2 AND source = $3 AND fold = $4 AND NOT case_sensitive`,
				string(kind), id, store.SourceUser, store.FoldAlias(n[0], false)); err != nil {
				return err
			}
			im.res.Spellings = true
		}
		if n[1] != "" {
			if err := im.aliases(place, kind, id, []store.Alias{{Text: n[1], Lang: langs[j]}}); err != nil {
				return err
			}
		}
	}
	return nil
}

// aliases adds spellings as addAliases does, and notes when one is new.
func (im *importer) aliases(place entry, kind store.EntityKind, id string, as []store.Alias) error {
	_, err := im.addSpellings(place, kind, id, as)
	return err
}

// addSpellings adds the spellings the entity lacks and says how many.
func (im *importer) addSpellings(place entry, kind store.EntityKind, id string, as []store.Alias) (int, error) {
	added := 0
	for _, a := range as {
		var n int
		fold := store.FoldAlias(store.CleanLine(a.Text, 200), a.CaseSensitive)
		if err := im.tx.QueryRow(im.ctx, `SELECT count(*) FROM aliases WHERE kind = $1 AND entity = $2 AND fold = $3 AND case_sensitive = $4`,
			string(kind), id, fold, a.CaseSensitive).Scan(&n); err != nil {
			return added, err
		}
		if n > 0 {
			continue
		}
		if err := addAliases(im.ctx, im.tx, kind, id, []store.Alias{a}); err != nil {
			return added, place.wrap(err)
		}
		im.res.Spellings = true
		added++
	}
	return added, nil
}

func (im *importer) alliance(i int, a store.Alliance) error {
	place := entry{"alliances", i}
	if err := store.CheckID(a.ID); err != nil {
		return place.refuse("%s", err)
	}
	a.Name, a.NameZH = store.CleanLine(a.Name, 200), store.CleanLine(a.NameZH, 200)
	if a.Name == "" {
		return place.refuse("alliance %q needs a name", a.ID)
	}
	if err := checkUserDate(a.Launched); err != nil {
		return place.refuse("launched: %s", err)
	}
	src := sourcesJSON(a.Sources)
	var oldName, oldZH, oldLaunched, oldSrc, prov string
	err := im.tx.QueryRow(im.ctx, `SELECT name, name_zh, launched, sources, provenance FROM alliances WHERE id = $1`, a.ID).
		Scan(&oldName, &oldZH, &oldLaunched, &oldSrc, &prov)
	if errors.Is(err, pgx.ErrNoRows) {
		if err := im.exec(`INSERT INTO alliances (id, name, name_zh, launched, sources, provenance, in_reference) VALUES ($1, $2, $3, $4, $5, $6, false)`,
			a.ID, a.Name, a.NameZH, a.Launched, src, store.SourceUser); err != nil {
			return err
		}
		if err := im.aliases(place, store.KindAlliance, a.ID, nameAliases(a.Name, a.NameZH, "", nil)); err != nil {
			return err
		}
		im.change("alliances", i, "add", fmt.Sprintf("alliance %s (%s)", a.ID, a.Name), "")
		return nil
	}
	if err != nil {
		return err
	}
	if prov != store.SourceUser {
		return place.refuse("alliance %q is in the reference dataset, and an import cannot overwrite it; give your alliance another ID", a.ID)
	}
	var oldSources []string
	json.Unmarshal([]byte(oldSrc), &oldSources)
	d := diff("name", oldName, a.Name, "name_zh", oldZH, a.NameZH, "launched", oldLaunched, a.Launched, "sources", sourcesJSON(oldSources), src)
	if d == "" {
		im.res.Unchanged++
		return nil
	}
	if err := im.exec(`UPDATE alliances SET name = $1, name_zh = $2, launched = $3, sources = $4 WHERE id = $5`, a.Name, a.NameZH, a.Launched, src, a.ID); err != nil {
		return err
	}
	if err := im.renamed(place, store.KindAlliance, a.ID, [][2]string{{oldName, a.Name}, {oldZH, a.NameZH}, {"", ""}}); err != nil {
		return err
	}
	im.allies[a.ID] = true
	im.change("alliances", i, "change", fmt.Sprintf("alliance %s (%s)", a.ID, a.Name), d)
	return nil
}

func (im *importer) exists(place entry, kind store.EntityKind, id string) error {
	if err := entityExists(im.ctx, im.tx, kind, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return place.refuse("unknown %s %q: it is neither in the store nor in the file", kind, id)
		}
		return err
	}
	return nil
}

func (im *importer) alias(i int, a store.Alias) error {
	place := entry{"aliases", i}
	if a.Kind != store.KindFirm && a.Kind != store.KindAlliance {
		return place.refuse("an alias belongs to a firm or an alliance")
	}
	if err := im.exists(place, a.Kind, a.Entity); err != nil {
		return err
	}
	n, err := im.addSpellings(place, a.Kind, a.Entity, []store.Alias{a})
	if err != nil {
		return err
	}
	if n == 0 {
		im.res.Unchanged++
		return nil
	}
	im.change("aliases", i, "add", fmt.Sprintf("alias %q of %s %s", store.CleanLine(a.Text, 200), a.Kind, a.Entity), "")
	return nil
}

func (im *importer) membership(i int, m store.Membership) error {
	place := entry{"memberships", i}
	if err := im.exists(place, store.KindAlliance, m.Alliance); err != nil {
		return err
	}
	if err := im.exists(place, store.KindFirm, m.Firm); err != nil {
		return err
	}
	if m.Role == "" {
		m.Role = "member"
	}
	if m.Role != "member" && m.Role != "convener" {
		return place.refuse("role %q: want member or convener", store.CleanLine(m.Role, 40))
	}
	if err := checkUserDate(m.Since); err != nil {
		return place.refuse("since: %s", err)
	}
	m.Source = store.CleanLine(m.Source, 500)
	what := fmt.Sprintf("%s joins %s", m.Firm, m.Alliance)
	if m.Role == "convener" {
		what = fmt.Sprintf("%s convenes %s", m.Firm, m.Alliance)
	}
	var role, source, since, prov string
	err := im.tx.QueryRow(im.ctx, `SELECT role, source, since, provenance FROM memberships WHERE alliance_id = $1 AND firm_id = $2`, m.Alliance, m.Firm).
		Scan(&role, &source, &since, &prov)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if err := joinAlliance(im.ctx, im.tx, im.now.Unix(), m.Alliance, m.Firm, m.Role, m.Source, m.Since); err != nil {
			return err
		}
		im.change("memberships", i, "add", what, "")
	case err != nil:
		return err
	case prov != store.SourceUser:
		// A reference membership already says so.
		im.res.Unchanged++
		return nil
	default:
		d := diff("role", role, m.Role, "source", source, m.Source, "since", since, m.Since)
		if d == "" {
			im.res.Unchanged++
			return nil
		}
		if err := im.exec(`UPDATE memberships SET role = $1, source = $2, since = $3 WHERE alliance_id = $4 AND firm_id = $5`,
			m.Role, m.Source, m.Since, m.Alliance, m.Firm); err != nil {
			return err
		}
		im.change("memberships", i, "change", what, d)
	}
	if m.Role == "convener" {
		if err := im.exec(`UPDATE alliances SET convener = (SELECT short FROM firms WHERE id = $1) WHERE id = $2 AND provenance = 'user'`, m.Firm, m.Alliance); err != nil {
			return err
		}
	}
	im.allies[m.Alliance] = true
	return nil
}

func (im *importer) leave(i int, e store.MembershipEvent) error {
	place := entry{"leaves", i}
	if err := im.exists(place, store.KindAlliance, e.Alliance); err != nil {
		return err
	}
	if err := im.exists(place, store.KindFirm, e.Firm); err != nil {
		return err
	}
	if err := checkUserDate(e.Date); err != nil {
		return place.refuse("date: %s", err)
	}
	var prov string
	err := im.tx.QueryRow(im.ctx, `SELECT provenance FROM memberships WHERE alliance_id = $1 AND firm_id = $2`, e.Alliance, e.Firm).Scan(&prov)
	if errors.Is(err, pgx.ErrNoRows) {
		im.res.Unchanged++
		return nil
	}
	if err != nil {
		return err
	}
	if err := im.exec(`DELETE FROM memberships WHERE alliance_id = $1 AND firm_id = $2`, e.Alliance, e.Firm); err != nil {
		return err
	}
	if prov == store.SourceReference {
		if err := im.exec(`INSERT INTO removed_memberships (alliance_id, firm_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, e.Alliance, e.Firm); err != nil {
			return err
		}
	}
	if err := logMembership(im.ctx, im.tx, im.now.Unix(), e.Alliance, e.Firm, "left", e.Date, ""); err != nil {
		return err
	}
	im.allies[e.Alliance] = true
	im.change("leaves", i, "leave", fmt.Sprintf("%s leaves %s", e.Firm, e.Alliance), "")
	return nil
}

func (im *importer) hide(i int, id string) error {
	place := entry{"hidden", i}
	if err := im.exists(place, store.KindFirm, id); err != nil {
		return err
	}
	var hidden bool
	if err := im.tx.QueryRow(im.ctx, `SELECT hidden FROM firms WHERE id = $1`, id).Scan(&hidden); err != nil {
		return err
	}
	if hidden {
		im.res.Unchanged++
		return nil
	}
	if err := im.exec(`UPDATE firms SET hidden = true WHERE id = $1`, id); err != nil {
		return err
	}
	im.change("hidden", i, "hide", "hide firm "+id, "")
	return nil
}

func (im *importer) watch(i int, w store.Watch) error {
	place := entry{"watches", i}
	w.Value = strings.TrimSpace(w.Value)
	if w.Value == "" {
		return place.refuse("a watch entry needs a firm, an alliance or a query")
	}
	switch w.Kind {
	case store.WatchFirm:
		if err := im.exists(place, store.KindFirm, w.Value); err != nil {
			return err
		}
	case store.WatchAlliance:
		if err := im.exists(place, store.KindAlliance, w.Value); err != nil {
			return err
		}
	case store.WatchQuery:
	default:
		return place.refuse("a watch entry is a firm, an alliance or a query")
	}
	var n int
	if err := im.tx.QueryRow(im.ctx, `SELECT count(*) FROM watches WHERE username = $1 AND kind = $2 AND value = $3`, im.user, string(w.Kind), w.Value).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		im.res.Unchanged++
		return nil
	}
	// As with watch add, only what comes after it alerts.
	if err := im.exec(`INSERT INTO watches (username, kind, value, created, from_item, from_event)
		VALUES ($1, $2, $3, $4, (SELECT coalesce(max(id), 0) FROM items), (SELECT coalesce(max(id), 0) FROM designation_events))`,
		im.user, string(w.Kind), w.Value, im.now.Unix()); err != nil {
		return err
	}
	im.change("watches", i, "add", "watch "+store.CleanLine(w.String(), 200), "")
	return nil
}

func (im *importer) view(i int, v store.View) error {
	place := entry{"views", i}
	v.Name = strings.TrimSpace(v.Name)
	if v.Name == "" || strings.TrimSpace(v.Query) == "" {
		return place.refuse("a view needs a name and a query")
	}
	var name, q string
	err := im.tx.QueryRow(im.ctx, `SELECT name, query FROM views WHERE username = $1 AND lower(name) = lower($2)`, im.user, v.Name).Scan(&name, &q)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if err := im.exec(`INSERT INTO views (username, name, query, created) VALUES ($1, $2, $3, $4)`, im.user, v.Name, v.Query, im.now.Unix()); err != nil {
			return err
		}
		im.change("views", i, "add", "view "+store.CleanLine(v.Name, 200), "")
	case err != nil:
		return err
	case q == v.Query:
		im.res.Unchanged++
	default:
		if err := im.exec(`UPDATE views SET query = $1 WHERE username = $2 AND name = $3`, v.Query, im.user, name); err != nil {
			return err
		}
		im.change("views", i, "change", "view "+store.CleanLine(name, 200), diff("query", q, v.Query))
	}
	return nil
}
