package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/feeds/parse"
	"github.com/aiwatch/aiwatch/store"
)

// brief is what aiwatch brief writes, in any format: the designation
// changes first, then the new items by alliance and firm, each item once
// (under the first firm it names, in this order), with counts.
type brief struct {
	Generated string        `json:"generated"`
	Since     string        `json:"since"`
	Until     string        `json:"until"`
	Scope     string        `json:"scope"`
	Counts    briefCounts   `json:"counts"`
	Changes   []briefChange `json:"designation_changes"`
	Groups    []briefGroup  `json:"groups"`
}

type briefCounts struct {
	Items   int `json:"items"`
	Firms   int `json:"firms"`
	Changes int `json:"designation_changes"`
}

type briefChange struct {
	Date     string `json:"date"`
	Firm     string `json:"firm"`
	FirmName string `json:"firm_name"`
	Action   string `json:"action"`
	List     string `json:"list"`
	ListName string `json:"list_name"`
	Detail   string `json:"detail"`
}

// briefGroup is an alliance ("" for firms in none, and for items that
// name no firm) and its firms with new items.
type briefGroup struct {
	Alliance string      `json:"alliance"`
	Name     string      `json:"name"`
	NameZH   string      `json:"name_zh"`
	Count    int         `json:"count"`
	Firms    []briefFirm `json:"firms"`
}

// briefFirm is a firm and its new items; Firm "" holds the items that
// name the alliance (or, in the last group, nothing tracked) but no firm.
type briefFirm struct {
	Firm   string      `json:"firm"`
	Name   string      `json:"name"`
	NameZH string      `json:"name_zh"`
	Items  []briefItem `json:"items"`
}

type briefItem struct {
	ID     int64    `json:"id"`
	Title  string   `json:"title"`
	Source string   `json:"source"`
	Date   string   `json:"date"`
	URL    string   `json:"url"`
	Lang   string   `json:"lang"`
	Also   []string `json:"also"` // the other firms it names
}

func cmdBrief(a *app, args []string) error {
	fs := a.flags("brief")
	since := fs.String("since", "7d", "the items published and changes made since `7d|2025-07-01`")
	watch := fs.Bool("watch", false, "only what the watch list selects")
	q := fs.String("query", "", "only the items this `query` selects (and changes of the firms it names)")
	format := fs.String("format", "md", "`md`, html or json")
	outPath := ""
	fs.StringVar(&outPath, "o", "", "write to `FILE` instead of standard output")
	fs.StringVar(&outPath, "output", "", "write to `FILE` instead of standard output")
	pos, err := a.parse(fs, "brief", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("brief takes no arguments; to narrow it, use --query %q", strings.Join(pos, " "))}
	}
	if !slices.Contains([]string{"md", "html", "json"}, *format) {
		return usageError{fmt.Sprintf("--format %q: use md, html or json", *format)}
	}
	if _, err := a.store(); err != nil {
		return err
	}
	sf, err := a.parseQuery("since:" + *since)
	if err != nil || sf.Since.IsZero() {
		return usageError{fmt.Sprintf("--since %q: expected a duration like 7d, 24h or 2w, or a date like 2025-07-01", *since)}
	}
	b, err := a.buildBrief(sf.Since, *watch, *q)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch *format {
	case "md":
		writeBriefMarkdown(&buf, b)
	case "html":
		err = writeBriefHTML(&buf, b)
	case "json":
		err = writeJSON(&buf, b)
	}
	if err != nil {
		return err
	}
	if outPath == "" || outPath == "-" {
		_, err = a.stdout.Write(buf.Bytes())
		return err
	}
	// Written whole or not at all.
	tmp, err := os.CreateTemp(filepath.Dir(outPath), ".brief-*")
	if err != nil {
		return fmt.Errorf("unable to write %s: %w", outPath, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("unable to write %s: %w", outPath, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("unable to write %s: %w", outPath, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), outPath); err != nil {
		return fmt.Errorf("unable to write %s: %w", outPath, err)
	}
	fmt.Fprintf(a.stderr, "Wrote %s: %s, %s.\n", outPath, plural(b.Counts.Items, "item", "items"), plural(b.Counts.Changes, "designation change", "designation changes"))
	return nil
}

// buildBrief gathers the brief's items and changes since since.
func (a *app) buildBrief(since time.Time, watch bool, q string) (brief, error) {
	db := a.db
	now := a.now()
	b := brief{Generated: now.UTC().Format(time.RFC3339), Since: since.Format("2006-01-02"), Until: now.Format("2006-01-02"), Scope: "all news"}
	base := store.Filter{Since: since}
	if q != "" {
		f, err := a.parseQuery(q)
		if err != nil {
			return b, fmt.Errorf("--query: %w", err)
		}
		base = f.And(base)
		b.Scope = "query: " + q
	}
	// The filters whose items the brief lists, and the firms whose
	// changes it lists (nil: every firm).
	filters := []store.Filter{base}
	var changeFirms []string
	if q != "" && (len(base.Firms) > 0 || len(base.Alliances) > 0) {
		changeFirms = slices.Clone(base.Firms)
		if ms, err := a.allianceMembers(base.Alliances); err == nil {
			changeFirms = append(changeFirms, ms...)
		}
	}
	if watch {
		ms, err := a.watchMatches(func(msg string) { fmt.Fprintf(a.stderr, "aiwatch: note: %s\n", msg) })
		if err != nil {
			return b, err
		}
		if len(ms) == 0 {
			return b, fmt.Errorf(`the watch list is empty: add to it with aiwatch watch add firm:ID, alliance:ID or "QUERY"`)
		}
		filters = filters[:0]
		var firms []string
		for _, m := range ms {
			filters = append(filters, m.Filter.And(base))
			firms = append(firms, m.Firms...)
		}
		if changeFirms == nil {
			changeFirms = firms
		} else {
			changeFirms = slices.DeleteFunc(changeFirms, func(f string) bool { return !slices.Contains(firms, f) })
		}
		if changeFirms == nil {
			changeFirms = []string{}
		}
		b.Scope = "the watch list"
		if q != "" {
			b.Scope += ", query: " + q
		}
	}
	seen := map[int64]bool{}
	var items []store.Item
	for _, f := range filters {
		its, err := db.Items(a.ctx, f)
		if err != nil {
			return b, err
		}
		for _, it := range its {
			if !seen[it.ID] {
				seen[it.ID] = true
				items = append(items, it)
			}
		}
	}
	slices.SortStableFunc(items, func(x, y store.Item) int {
		if c := y.Published.Compare(x.Published); c != 0 {
			return c
		}
		return int(y.ID - x.ID)
	})

	firms, err := db.Firms(a.ctx, store.FirmQuery{})
	if err != nil {
		return b, err
	}
	alliances, err := db.Alliances(a.ctx)
	if err != nil {
		return b, err
	}
	lists, err := db.Lists(a.ctx)
	if err != nil {
		return b, err
	}
	firmByID := map[string]store.Firm{}
	for _, f := range firms {
		firmByID[f.ID] = f
	}
	firmName := func(id string) string {
		f := firmByID[id]
		return cmpOr(f.Short, f.Name, id)
	}

	// Designation changes, newest first.
	evs, err := db.DesignationChanges(a.ctx, since)
	if err != nil {
		return b, err
	}
	listName := map[string]string{}
	for _, l := range lists {
		listName[l.ID] = l.Name
	}
	slices.SortStableFunc(evs, func(x, y store.DesignationEvent) int {
		if c := y.At.Compare(x.At); c != 0 {
			return c
		}
		return int(y.ID - x.ID)
	})
	for _, e := range evs {
		if changeFirms != nil && !slices.Contains(changeFirms, e.Firm) {
			continue
		}
		b.Changes = append(b.Changes, briefChange{Date: e.At.In(now.Location()).Format("2006-01-02"), Firm: e.Firm, FirmName: store.CleanLine(firmName(e.Firm), 80),
			Action: e.Action, List: e.List, ListName: store.CleanLine(cmpOr(listName[e.List], e.List), 120), Detail: store.CleanLine(e.Detail, 300)})
	}

	// Groups: alliances by name, then firms in no alliance, then items
	// that name no tracked firm. An item goes under the first firm it
	// names in that order.
	slices.SortFunc(alliances, func(x, y store.Alliance) int {
		return strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name))
	})
	type key struct{ alliance, firm string }
	var order []key
	for _, al := range alliances {
		var members []string
		for _, m := range al.Members {
			members = append(members, m.Firm)
		}
		slices.SortFunc(members, func(x, y string) int {
			return strings.Compare(strings.ToLower(firmName(x)), strings.ToLower(firmName(y)))
		})
		for _, m := range members {
			order = append(order, key{al.ID, m})
		}
		order = append(order, key{al.ID, ""})
	}
	var loose []string
	for _, f := range firms {
		if len(f.Alliances) == 0 {
			loose = append(loose, f.ID)
		}
	}
	slices.SortFunc(loose, func(x, y string) int {
		return strings.Compare(strings.ToLower(firmName(x)), strings.ToLower(firmName(y)))
	})
	for _, f := range loose {
		order = append(order, key{"", f})
	}
	order = append(order, key{"", ""})
	rank := map[key]int{}
	for i, k := range order {
		if _, ok := rank[k]; !ok {
			rank[k] = i
		}
	}
	placed := map[key][]briefItem{}
	firmsWithNews := map[string]bool{}
	for _, it := range items {
		best := key{"", ""}
		for _, f := range it.Firms {
			firmsWithNews[f] = true
			for _, k := range order {
				if k.firm == f && rank[k] < rank[best] {
					best = k
					break
				}
			}
		}
		if best.firm == "" {
			for _, al := range it.Alliances {
				if k := (key{al, ""}); rank[k] < rank[best] {
					if _, ok := rank[k]; ok {
						best = k
					}
				}
			}
		}
		var also []string
		for _, f := range it.Firms {
			if f != best.firm {
				also = append(also, f)
			}
		}
		date := ""
		if !it.Published.IsZero() {
			date = it.Published.In(now.Location()).Format("2006-01-02")
		}
		placed[best] = append(placed[best], briefItem{ID: it.ID, Title: cmpOr(store.CleanLine(it.Title, 300), "(untitled)"),
			Source: store.CleanLine(it.FeedTitle, 120), Date: date, URL: it.URL, Lang: itemLang(it), Also: also})
	}
	alByID := map[string]store.Alliance{}
	for _, al := range alliances {
		alByID[al.ID] = al
	}
	var cur *briefGroup
	for _, k := range order {
		its := placed[k]
		if len(its) == 0 {
			continue
		}
		other := k == key{}
		if cur == nil || cur.Alliance != k.alliance || other {
			g := briefGroup{Alliance: k.alliance, Name: "Firms in no alliance"}
			if other {
				g.Name = "Other news"
			}
			if k.alliance != "" {
				g.Name, g.NameZH = store.CleanLine(alByID[k.alliance].Name, 200), store.CleanLine(alByID[k.alliance].NameZH, 200)
			}
			b.Groups = append(b.Groups, g)
			cur = &b.Groups[len(b.Groups)-1]
		}
		bf := briefFirm{Firm: k.firm, Items: its}
		switch {
		case k.firm != "":
			bf.Name, bf.NameZH = store.CleanLine(firmName(k.firm), 120), store.CleanLine(firmByID[k.firm].NameZH, 120)
		case k.alliance != "":
			bf.Name = "The alliance itself"
		default:
			bf.Name = "Naming no tracked firm or alliance"
		}
		cur.Firms = append(cur.Firms, bf)
		cur.Count += len(its)
	}
	b.Counts = briefCounts{Items: len(items), Firms: len(firmsWithNews), Changes: len(b.Changes)}
	if b.Changes == nil {
		b.Changes = []briefChange{}
	}
	if b.Groups == nil {
		b.Groups = []briefGroup{}
	}
	for gi := range b.Groups {
		for fi := range b.Groups[gi].Firms {
			for ii := range b.Groups[gi].Firms[fi].Items {
				if b.Groups[gi].Firms[fi].Items[ii].Also == nil {
					b.Groups[gi].Firms[fi].Items[ii].Also = []string{}
				}
			}
		}
	}
	return b, nil
}

// allianceMembers are the member firms of the alliances ids.
func (a *app) allianceMembers(ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	all, err := a.db.Alliances(a.ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, al := range all {
		if slices.Contains(ids, al.ID) {
			for _, m := range al.Members {
				out = append(out, m.Firm)
			}
		}
	}
	return out, nil
}

// itemLang is the language of an item's title, for the HTML's lang: the
// script's when it is not Latin (a Chinese item in an English feed),
// else the feed's.
func itemLang(it store.Item) string {
	if l := parse.DetectLang(it.Title); l != "en" {
		return l
	}
	return cmpOr(it.Lang, "und")
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// mdEscaper escapes what Markdown (GitHub's included) would read as
// markup or HTML in text from feeds.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `&lt;`, ">", `&gt;`,
	"|", `\|`, "#", `\#`, "!", `\!`, "~", `\~`, "&", `&amp;`, "(", `\(`, ")", `\)`)

func md(s string) string { return mdEscaper.Replace(s) }

// webURL reports whether u is an http(s) address, the only links a
// brief makes.
func webURL(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

// mdURL makes a link target that ends where Markdown expects it to.
func mdURL(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E").Replace(u)
}

func writeBriefMarkdown(w io.Writer, b brief) {
	fmt.Fprintf(w, "# aiwatch brief, %s to %s\n\n", b.Since, b.Until)
	fmt.Fprintf(w, "%s about %s, and %s. Scope: %s.\n\n", plural(b.Counts.Items, "new item", "new items"),
		plural(b.Counts.Firms, "firm", "firms"), plural(b.Counts.Changes, "designation change", "designation changes"), md(b.Scope))
	fmt.Fprintf(w, "## Designation changes\n\n")
	if len(b.Changes) == 0 {
		fmt.Fprintf(w, "None in this period.\n\n")
	} else {
		fmt.Fprintf(w, "| Date | Firm | Change | List | Detail |\n| --- | --- | --- | --- | --- |\n")
		for _, c := range b.Changes {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", c.Date, md(c.FirmName), md(c.Action), md(c.ListName), md(c.Detail))
		}
		fmt.Fprintln(w)
	}
	if len(b.Groups) == 0 {
		fmt.Fprintf(w, "## News\n\nNo new items in this period.\n")
		return
	}
	for _, g := range b.Groups {
		name := md(g.Name)
		if g.NameZH != "" {
			name += " (" + md(g.NameZH) + ")"
		}
		fmt.Fprintf(w, "## %s: %s\n\n", name, plural(g.Count, "item", "items"))
		for _, f := range g.Firms {
			fname := md(f.Name)
			if f.NameZH != "" {
				fname += " (" + md(f.NameZH) + ")"
			}
			fmt.Fprintf(w, "### %s: %s\n\n", fname, plural(len(f.Items), "item", "items"))
			for _, it := range f.Items {
				title := md(it.Title)
				if webURL(it.URL) {
					title = "[" + title + "](" + mdURL(it.URL) + ")"
				}
				meta := cmpOr(md(it.Source), "unknown source")
				if it.Date != "" {
					meta += ", " + it.Date
				}
				if len(it.Also) > 0 {
					meta += "; also names " + md(strings.Join(it.Also, ", "))
				}
				fmt.Fprintf(w, "- %s  \n  %s\n", title, meta)
			}
			fmt.Fprintln(w)
		}
	}
}

//go:embed brief.html.tmpl
var briefHTML string

var briefTmpl = template.Must(template.New("brief").Funcs(template.FuncMap{
	"plural": plural,
	"web":    webURL,
	"join":   strings.Join,
}).Parse(briefHTML))

func writeBriefHTML(w io.Writer, b brief) error {
	return briefTmpl.Execute(w, b)
}
