package main

import (
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/query"
)

// firmJSON is the stable JSON shape of a firm (see README).
type firmJSON struct {
	ID            string              `json:"id"`
	Name          string              `json:"name"`
	NameZH        string              `json:"name_zh"`
	Short         string              `json:"short"`
	Aliases       map[string][]string `json:"aliases"`
	Sector        string              `json:"sector"`
	HQ            string              `json:"hq"`
	Alliances     []string            `json:"alliances"`
	Designations  []designationJSON   `json:"designations"`
	NoneFoundAsOf string              `json:"none_found_as_of"`
	Sources       []string            `json:"sources"`
	NameAR        string              `json:"name_ar"`
	Provenance    string              `json:"provenance"`
	Hidden        bool                `json:"hidden"`
	Added         string              `json:"added"`
	// Trend is the weekly item counts of the last 12 weeks, oldest first
	// (firms --trend only).
	Trend []int `json:"trend,omitempty"`
}

type designationJSON struct {
	List       string `json:"list"`
	Added      string `json:"added"`
	Removed    string `json:"removed"`
	Citation   string `json:"citation"`
	Source     string `json:"source"`
	Status     string `json:"status"`
	Affiliate  bool   `json:"affiliate"`
	Provenance string `json:"provenance"`
	Note       string `json:"note"`
}

func toFirmJSON(f store.Firm) firmJSON {
	j := firmJSON{
		ID: f.ID, Name: f.Name, NameZH: f.NameZH, Short: f.Short, Sector: f.Sector, HQ: f.HQ,
		Aliases:   map[string][]string{"en": {}, "zh": {}, "ar": {}},
		Alliances: nonNil(f.Alliances), Designations: []designationJSON{},
		NoneFoundAsOf: f.NoneFoundAsOf, Sources: nonNil(f.Sources),
		NameAR: f.NameAR, Provenance: f.Provenance, Hidden: f.Hidden, Added: f.Added,
	}
	_, byLang := aliasesByLang(f.Aliases, false)
	for l, texts := range byLang {
		j.Aliases[l] = texts
	}
	for _, d := range f.Designations {
		j.Designations = append(j.Designations, designationJSON{
			List: d.List, Added: d.Added, Removed: d.Removed, Citation: d.Citation, Source: d.Source,
			Status: string(d.Status), Affiliate: d.Affiliate, Provenance: d.Provenance, Note: d.Note,
		})
	}
	return j
}

// aliasesByLang groups aliases by language, in first-seen order, adding
// the traditional-script forms of Chinese aliases under "zh-Hant" (the
// matcher derives and matches them; the store keeps one form). With
// notes, case-sensitive and user aliases are marked.
func aliasesByLang(aliases []store.Alias, notes bool) ([]string, map[string][]string) {
	byLang := map[string][]string{}
	var langs []string
	seen := map[string]bool{}
	add := func(lang, text string) {
		if seen[lang+"\x00"+text] {
			return
		}
		seen[lang+"\x00"+text] = true
		if _, ok := byLang[lang]; !ok {
			langs = append(langs, lang)
		}
		byLang[lang] = append(byLang[lang], text)
	}
	for _, al := range aliases {
		text := al.Text
		if notes && al.CaseSensitive {
			text += " (exact case)"
		}
		if notes && al.Source == store.SourceUser {
			text += " (yours)"
		}
		add(al.Lang, text)
	}
	for _, al := range aliases {
		if al.Lang != "zh" {
			continue
		}
		for _, v := range store.AliasVariants(al.Text)[1:] {
			add("zh-Hant", v)
		}
	}
	return langs, byLang
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func cmdFirms(a *app, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "add", "edit", "rm", "hide", "show":
			return cmdFirmsEdit(a, args[0], args[1:])
		}
	}
	fs := a.flags("firms")
	hidden := fs.Bool("hidden", false, "list only the firms hidden with aiwatch firms hide")
	list := fs.String("list", "", "only firms actively on this `list` (entity-list, meu, sdn, ns-cmic, 1260h, fcc-covered, uflpa)")
	alliance := fs.String("alliance", "", "only members of this `alliance`")
	asJSON := fs.Bool("json", false, "print JSON")
	trend := fs.Bool("trend", false, "add each firm's items per week over the last 12 weeks (a sparkline; trend in --json)")
	pos, err := a.parse(fs, "firms", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("firms takes no arguments (did you mean \"aiwatch firm %s\"?)", pos[0])}
	}
	if err := blankFlag(fs, "list", "alliance"); err != nil {
		return err
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	lists, err := db.Lists(a.ctx)
	if err != nil {
		return err
	}
	if *list != "" {
		id, err := resolveList(*list, lists)
		if err != nil {
			return err
		}
		*list = id
	}
	if *alliance != "" {
		if _, err := a.alliance(*alliance); err != nil {
			return err
		}
	}
	q := store.FirmQuery{List: *list, Alliance: *alliance}
	if *hidden {
		q.Hidden = store.HiddenOnly
	}
	firms, err := db.Firms(a.ctx, q)
	if err != nil {
		return err
	}
	var counts map[string]store.Counts
	if *trend {
		if counts, err = db.FirmCounts(a.ctx); err != nil {
			return err
		}
	}
	if *asJSON {
		out := make([]firmJSON, 0, len(firms))
		for _, f := range firms {
			j := toFirmJSON(f)
			if *trend {
				tr := counts[f.ID].Trend
				j.Trend = tr[:]
			}
			out = append(out, j)
		}
		return writeJSON(a.stdout, out)
	}
	t := table{header: []string{"ID", "FIRM", "中文", "SECTOR", "ALLIANCES", "US LISTS"}}
	if *trend {
		t.header = append(t.header, "12 WEEKS", "ITEMS")
	}
	for _, f := range firms {
		b := a.badges(f, lists)
		if b == "" {
			b = a.noBadge(f, lists)
		}
		row := []string{f.ID, f.Short, shortZH(f.NameZH), f.Sector, strings.Join(f.Alliances, ","), b}
		if *trend {
			tr := counts[f.ID].Trend
			row = append(row, "["+tr.Sparkline()+"]", strconv.Itoa(tr.Sum()))
		}
		t.add(row...)
	}
	t.write(a, a.stdout)
	if *trend {
		fmt.Fprintf(a.stdout, "\n12 WEEKS: items per calendar week (Monday to Sunday, UTC) by publication date, oldest first; the last bar is this week so far. ITEMS: their sum.\n")
	}
	fmt.Fprintf(a.stdout, "\n%d firms. Badges: %s; ? contested, * affiliate only. \"none found\" is as of each list's last check (see aiwatch firm ID), not a clean bill.\n",
		len(firms), legend(lists))
	return nil
}

// shortZH cuts a long Chinese legal name at its first parenthesis.
func shortZH(s string) string {
	if i := strings.IndexAny(s, "(（ "); i > 0 {
		return s[:i]
	}
	return s
}

func legend(lists []store.List) string {
	var parts []string
	for _, l := range lists {
		parts = append(parts, l.Badge+" "+l.Name)
	}
	return strings.Join(parts, ", ")
}

// blankFlag says which of the named flags was given, but blank: --firm ”
// is a mistake, not a wish for every firm.
func blankFlag(fs *flag.FlagSet, names ...string) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		if err == nil && slices.Contains(names, f.Name) && strings.TrimSpace(f.Value.String()) == "" {
			_, usage := flag.UnquoteUsage(f)
			err = usageError{fmt.Sprintf("--%s needs a value: %s", f.Name, usage)}
		}
	})
	return err
}

// resolveList resolves a list's ID, badge or name.
func resolveList(s string, lists []store.List) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", usageError{"a list ID is needed, e.g. entity-list, meu, sdn or 1260h (aiwatch lists shows them)"}
	}
	r := query.NewMapResolver(nil, nil, lists)
	if id, ok := r.List(s); ok {
		return id, nil
	}
	if hints := r.Suggest(query.KindList, s); len(hints) > 0 {
		return "", notFound("list", s, hints)
	}
	ids := make([]string, len(lists))
	for i, l := range lists {
		ids[i] = l.ID
	}
	return "", fmt.Errorf("no list %q (the lists are %s)", s, strings.Join(ids, ", "))
}

// firm resolves an ID, name or alias to a firm through the query
// language's resolver, or says which firms are close.
func (a *app) firm(idOrAlias string) (store.Firm, error) {
	if strings.TrimSpace(idOrAlias) == "" {
		return store.Firm{}, usageError{"a firm ID is needed, e.g. huawei (aiwatch firms lists them)"}
	}
	r, err := a.resolver()
	if err != nil {
		return store.Firm{}, err
	}
	id, ok := r.Firm(idOrAlias)
	if !ok {
		return store.Firm{}, notFound("firm", idOrAlias, r.Suggest(query.KindFirm, idOrAlias))
	}
	return a.db.Firm(a.ctx, id)
}

// alliance resolves an ID, name or alias to an alliance, or says which
// alliances are close.
func (a *app) alliance(idOrAlias string) (store.Alliance, error) {
	if strings.TrimSpace(idOrAlias) == "" {
		return store.Alliance{}, usageError{"an alliance ID is needed, e.g. model-chip (aiwatch alliances lists them)"}
	}
	r, err := a.resolver()
	if err != nil {
		return store.Alliance{}, err
	}
	id, ok := r.Alliance(idOrAlias)
	if !ok {
		return store.Alliance{}, notFound("alliance", idOrAlias, r.Suggest(query.KindAlliance, idOrAlias))
	}
	all, err := a.db.Alliances(a.ctx)
	if err != nil {
		return store.Alliance{}, err
	}
	for _, al := range all {
		if al.ID == id {
			return al, nil
		}
	}
	return store.Alliance{}, fmt.Errorf("no alliance %q: %w", id, store.ErrNotFound)
}

func cmdFirm(a *app, args []string) error {
	fs := a.flags("firm")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := a.parse(fs, "firm", args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"firm takes one firm ID, e.g. aiwatch firm sensetime"}
	}
	f, err := a.firm(pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(a.stdout, toFirmJSON(f))
	}
	db := a.db
	lists, err := db.Lists(a.ctx)
	if err != nil {
		return err
	}
	alliances, err := db.Alliances(a.ctx)
	if err != nil {
		return err
	}
	events, err := db.DesignationEvents(a.ctx, f.ID, zeroTime)
	if err != nil {
		return err
	}
	w := a.stdout
	title := f.Short
	if f.NameZH != "" {
		title += "  " + f.NameZH
	}
	fmt.Fprintf(w, "%s\n", a.style(styleHeader, title))
	kv := table{}
	kv.add("id", f.ID)
	kv.add("name", f.Name)
	kv.add("sector", f.Sector)
	kv.add("hq", f.HQ)
	if f.Provenance != store.SourceReference {
		kv.add("provenance", f.Provenance)
	}
	if f.Hidden {
		kv.add("hidden", "yes: left out of panes and lists (aiwatch firms show "+f.ID+")")
	}
	for _, id := range f.Alliances {
		for _, al := range alliances {
			if al.ID == id {
				kv.add("alliance", fmt.Sprintf("%s (%s)", al.Name, al.ID))
			}
		}
	}
	if b := a.badges(f, lists); b != "" {
		kv.add("badges", b)
	}
	kv.write(a, w)

	fmt.Fprintf(w, "\n%s\n", a.style(styleHeader, "Aliases"))
	langs, byLang := aliasesByLang(f.Aliases, true)
	at := table{}
	for _, l := range langs {
		at.add("  "+l, strings.Join(byLang[l], ", "))
	}
	at.write(a, w)

	fmt.Fprintf(w, "\n%s\n", a.style(styleHeader, "US designations"))
	listName := map[string]string{}
	for _, l := range lists {
		listName[l.ID] = l.Name
	}
	for _, d := range f.Designations {
		name := listName[d.List]
		if name == "" {
			name = d.List
		}
		state := "listed"
		switch {
		case d.Status == store.StatusContested:
			state = a.style(styleContested, "contested (not a listing)")
		case d.Removed != "":
			state = "removed " + d.Removed
		}
		if d.Affiliate {
			state += ", affiliate listing"
		}
		when := "added"
		if d.Status == store.StatusContested {
			when = "action of"
		}
		line := fmt.Sprintf("  %s: %s, %s %s", name, state, when, orDash(d.Added))
		if d.Citation != "" {
			line += ", " + d.Citation
		}
		fmt.Fprintf(w, "%s  [%s, %s]\n", line, d.Status, d.Provenance)
		for _, s := range splitSources(d.Source) {
			fmt.Fprintf(w, "      source: %s\n", s)
		}
		if d.Note != "" {
			fmt.Fprintf(w, "      note: %s\n", d.Note)
		}
	}
	for _, g := range store.NoneFound(f, lists) {
		var none []string
		for _, l := range g.Lists {
			none = append(none, l.Name)
		}
		if g.AsOf == "" && f.Added != "" {
			fmt.Fprintf(w, "  not checked yet (the next sanctions update checks firms you add): %s\n", strings.Join(none, ", "))
			continue
		}
		fmt.Fprintf(w, "  none found as of %s: %s\n", orDash(g.AsOf), strings.Join(none, ", "))
	}
	if len(events) > 0 {
		fmt.Fprintf(w, "\n%s\n", a.style(styleHeader, "History"))
		for _, e := range events {
			fmt.Fprintf(w, "  %s  %-9s %-12s %s  [%s]\n", e.At.Format("2006-01-02"), e.Action, e.List, e.Detail, e.Provenance)
		}
	}
	fmt.Fprintf(w, "\n%s\n", a.style(styleHeader, "Sources"))
	for _, s := range f.Sources {
		fmt.Fprintf(w, "  %s\n", s)
	}
	if len(f.Sources) == 0 {
		fmt.Fprintf(w, "  %s\n", a.style(styleDim, "unsourced"))
	}
	if f.Notes != "" {
		fmt.Fprintf(w, "\n%s\n  %s\n", a.style(styleHeader, "Notes"), f.Notes)
	}
	return nil
}

func splitSources(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// allianceJSON is the stable JSON shape of an alliance (see README).
type allianceJSON struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	NameZH   string   `json:"name_zh"`
	Launched string   `json:"launched"`
	Convener string   `json:"convener"`
	Members  []string `json:"members"`
	Sources  []string `json:"sources"`
	Venue    string   `json:"venue"`
	Notes    string   `json:"notes"`
	// Provenance, Memberships and Events came with the user's own
	// alliances and joins (README: JSON).
	Provenance  string           `json:"provenance"`
	Memberships []membershipJSON `json:"memberships"`
	Events      []joinEventJSON  `json:"events"`
}

type membershipJSON struct {
	Firm       string `json:"firm"`
	Role       string `json:"role"`
	Source     string `json:"source"`
	Since      string `json:"since"`
	Provenance string `json:"provenance"`
}

type joinEventJSON struct {
	At     string `json:"at"`
	Firm   string `json:"firm"`
	Action string `json:"action"`
	Date   string `json:"date"`
	Source string `json:"source"`
}

func toAllianceJSON(al store.Alliance) allianceJSON {
	j := allianceJSON{ID: al.ID, Name: al.Name, NameZH: al.NameZH, Launched: al.Launched, Convener: al.Convener,
		Members: []string{}, Sources: nonNil(al.Sources), Venue: al.Venue, Notes: al.MembersNote,
		Provenance: al.Provenance, Memberships: []membershipJSON{}, Events: []joinEventJSON{}}
	for _, m := range al.Members {
		j.Members = append(j.Members, m.Firm)
		j.Memberships = append(j.Memberships, membershipJSON{Firm: m.Firm, Role: m.Role, Source: m.Source, Since: m.Since, Provenance: m.Provenance})
	}
	for _, e := range al.Events {
		j.Events = append(j.Events, joinEventJSON{At: e.At.UTC().Format(time.RFC3339), Firm: e.Firm, Action: e.Action, Date: e.Date, Source: e.Source})
	}
	return j
}

func cmdAlliances(a *app, args []string) error {
	if len(args) > 0 && (args[0] == "add" || args[0] == "rm") {
		return cmdAlliancesEdit(a, args[0], args[1:])
	}
	fs := a.flags("alliances")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := a.parse(fs, "alliances", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"alliances takes no arguments"}
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	all, err := db.Alliances(a.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]allianceJSON, 0, len(all))
		for _, al := range all {
			out = append(out, toAllianceJSON(al))
		}
		return writeJSON(a.stdout, out)
	}
	counts, err := db.AllianceCounts(a.ctx)
	if err != nil {
		return err
	}
	t := table{header: []string{"ID", "ALLIANCE", "LAUNCHED", "MEMBERS", "ITEMS", "UNREAD"}}
	for _, al := range all {
		c := counts[al.ID]
		t.add(al.ID, al.Name, al.Launched, fmt.Sprint(len(al.Members)), fmt.Sprint(c.Total), fmt.Sprint(c.Unread))
	}
	t.write(a, a.stdout)
	return nil
}

func cmdAlliance(a *app, args []string) error {
	if len(args) > 0 && (args[0] == "join" || args[0] == "leave") {
		return cmdAllianceJoinLeave(a, args[0], args[1:])
	}
	fs := a.flags("alliance")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := a.parse(fs, "alliance", args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"alliance takes one alliance ID, e.g. aiwatch alliance model-chip"}
	}
	al, err := a.alliance(pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(a.stdout, toAllianceJSON(al))
	}
	db := a.db
	lists, err := db.Lists(a.ctx)
	if err != nil {
		return err
	}
	firms, err := db.Firms(a.ctx, store.FirmQuery{Alliance: al.ID})
	if err != nil {
		return err
	}
	w := a.stdout
	title := al.Name
	if al.NameZH != "" {
		title += "  " + al.NameZH
	}
	fmt.Fprintf(w, "%s\n", a.style(styleHeader, title))
	kv := table{}
	kv.add("id", al.ID)
	kv.add("launched", al.Launched+noteSuffix(al.LaunchNote))
	kv.add("venue", al.Venue)
	kv.add("convener", al.Convener)
	if al.Provenance != store.SourceReference {
		kv.add("provenance", al.Provenance)
	}
	if al.NameStatus != "" {
		kv.add("chinese name", al.NameStatus)
	}
	kv.write(a, w)
	fmt.Fprintf(w, "\n%s\n", a.style(styleHeader, "Members"))
	role := map[string]string{}
	for _, m := range al.Members {
		role[m.Firm] = m.Role
	}
	t := table{header: []string{"  ID", "FIRM", "中文", "ROLE", "US LISTS"}}
	for _, f := range firms {
		b := a.badges(f, lists)
		if b == "" {
			b = a.noBadge(f, lists)
		}
		t.add("  "+f.ID, f.Short, shortZH(f.NameZH), role[f.ID], b)
	}
	t.write(a, w)
	if al.MembersNote != "" {
		fmt.Fprintf(w, "\n  %s\n", al.MembersNote)
	}
	if len(al.Events) > 0 {
		fmt.Fprintf(w, "\n%s\n", a.style(styleHeader, "Joins and leaves"))
		for _, e := range al.Events {
			src := e.Source
			if src == "" {
				src = "unsourced"
			}
			fmt.Fprintf(w, "  %s  %-6s %-16s %s  [%s, %s]\n", e.At.Format("2006-01-02"), e.Action, e.Firm, orDash(e.Date), src, e.Provenance)
		}
	}
	fmt.Fprintf(w, "\n%s\n", a.style(styleHeader, "Sources"))
	for _, s := range al.Sources {
		fmt.Fprintf(w, "  %s\n", s)
	}
	if len(al.Sources) == 0 {
		fmt.Fprintf(w, "  %s\n", a.style(styleDim, "unsourced"))
	}
	return nil
}

func noteSuffix(n string) string {
	if n == "" {
		return ""
	}
	return " — " + n
}

// noBadge is what the US LISTS column says of a firm with no badge: "none
// found" once some list was checked for it, else "not checked yet" (a
// firm the user added, before the next sanctions update), as its card
// says (store.NoneFound).
func (a *app) noBadge(f store.Firm, lists []store.List) string {
	for _, g := range store.NoneFound(f, lists) {
		if g.AsOf != "" {
			return a.style(styleDim, "none found")
		}
	}
	return a.style(styleDim, "not checked yet")
}
