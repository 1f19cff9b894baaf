package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/query"
)

// Sharing the user's universe: aiwatch universe export [FILE] writes the
// user's firms, aliases, alliances, joins and leaves, hidden firms, watch
// list and stored views as one YAML file; universe import FILE
// [--dry-run] shows what it would add or change, then applies it all in
// one transaction. README's "Sharing your universe" documents the format.

// universeVersion is the version of the file format this aiwatch writes
// and reads.
const universeVersion = 1

// universeDoc is the file. Field order is the file's order.
type universeDoc struct {
	Aiwatch     string          `yaml:"aiwatch"`
	Version     int             `yaml:"version"`
	Firms       []firmDoc       `yaml:"firms,omitempty"`
	Alliances   []allianceDoc   `yaml:"alliances,omitempty"`
	Aliases     []aliasDoc      `yaml:"aliases,omitempty"`
	Memberships []membershipDoc `yaml:"memberships,omitempty"`
	Leaves      []leaveDoc      `yaml:"leaves,omitempty"`
	Hidden      []string        `yaml:"hidden,omitempty"`
	Watches     []watchDoc      `yaml:"watches,omitempty"`
	Views       []viewDoc       `yaml:"views,omitempty"`
}

type firmDoc struct {
	ID      string   `yaml:"id"`
	Name    string   `yaml:"name"`
	NameZH  string   `yaml:"name_zh,omitempty"`
	NameAR  string   `yaml:"name_ar,omitempty"`
	Sector  string   `yaml:"sector,omitempty"`
	HQ      string   `yaml:"hq,omitempty"`
	Sources []string `yaml:"sources,omitempty"`
}

type allianceDoc struct {
	ID       string   `yaml:"id"`
	Name     string   `yaml:"name"`
	NameZH   string   `yaml:"name_zh,omitempty"`
	Launched string   `yaml:"launched,omitempty"`
	Sources  []string `yaml:"sources,omitempty"`
}

type aliasDoc struct {
	Firm          string `yaml:"firm,omitempty"`
	Alliance      string `yaml:"alliance,omitempty"`
	Text          string `yaml:"text"`
	Lang          string `yaml:"lang,omitempty"`
	CaseSensitive bool   `yaml:"case_sensitive,omitempty"`
}

type membershipDoc struct {
	Alliance string `yaml:"alliance"`
	Firm     string `yaml:"firm"`
	Role     string `yaml:"role,omitempty"`
	Since    string `yaml:"since,omitempty"`
	Source   string `yaml:"source,omitempty"`
}

type leaveDoc struct {
	Alliance string `yaml:"alliance"`
	Firm     string `yaml:"firm"`
	Date     string `yaml:"date,omitempty"`
}

type watchDoc struct {
	Firm     string `yaml:"firm,omitempty"`
	Alliance string `yaml:"alliance,omitempty"`
	Query    string `yaml:"query,omitempty"`
}

type viewDoc struct {
	Name  string `yaml:"name"`
	Query string `yaml:"query"`
}

// maxUniverseFile bounds what import reads.
const maxUniverseFile = 64 << 20

const universeUsage = "usage: aiwatch universe export [FILE] | import FILE [--dry-run]"

func cmdUniverse(a *app, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		w := a.stdout
		if len(args) == 0 {
			w = a.stderr
		}
		fmt.Fprint(w, `Usage:
  aiwatch universe export [FILE]            write your universe as YAML (to stdout without FILE)
  aiwatch universe import FILE [--dry-run]  show what FILE adds or changes, then apply it all at once

Your universe is what you added: your firms and alliances, the spellings you
gave, the joins and leaves you recorded, the firms you hid, the watch list and
the stored views (not the config file's). Importing the same file twice
changes nothing the second time. A firm or alliance of yours with other
fields is changed; an ID of the reference dataset is refused.
`)
		if len(args) == 0 {
			return usageError{"universe needs a subcommand"}
		}
		return nil
	}
	switch args[0] {
	case "export":
		return universeExport(a, args[1:])
	case "import":
		return universeImport(a, args[1:])
	}
	return usageError{fmt.Sprintf("unknown universe subcommand %q (export, import)", args[0])}
}

func universeExport(a *app, args []string) error {
	fs := a.flags("universe export")
	pos, err := a.parse(fs, "universe export", args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageError{"universe export takes at most one FILE (stdout without one)"}
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	u, err := db.UserUniverse(a.ctx)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("# aiwatch universe: your own firms, aliases, alliances, joins and leaves, hidden firms,\n" +
		"# watch list and views. Read it back with: aiwatch universe import FILE [--dry-run]\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(toDoc(u)); err != nil {
		return fmt.Errorf("unable to write the universe: %w", err)
	}
	enc.Close()
	if len(pos) == 0 || pos[0] == "-" {
		_, err := a.stdout.Write(buf.Bytes())
		return err
	}
	if err := writeWhole(pos[0], buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "Wrote %s: %s, %s, %s, %s, %s.\n", pos[0], plural(len(u.Firms), "firm", "firms"),
		plural(len(u.Alliances), "alliance", "alliances"), plural(len(u.Aliases), "alias", "aliases"),
		plural(len(u.Watches), "watch entry", "watch entries"), plural(len(u.Views), "view", "views"))
	return nil
}

// writeWhole writes data to path whole or not at all: a temporary file
// beside it, renamed over it.
func writeWhole(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".universe-*")
	if err != nil {
		return fmt.Errorf("unable to write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("unable to write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("unable to write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("unable to write %s: %w", path, err)
	}
	return nil
}

func toDoc(u store.Universe) universeDoc {
	d := universeDoc{Aiwatch: "universe", Version: universeVersion, Hidden: u.Hidden}
	for _, f := range u.Firms {
		d.Firms = append(d.Firms, firmDoc{f.ID, f.Name, f.NameZH, f.NameAR, f.Sector, f.HQ, f.Sources})
	}
	for _, al := range u.Alliances {
		d.Alliances = append(d.Alliances, allianceDoc{al.ID, al.Name, al.NameZH, al.Launched, al.Sources})
	}
	for _, al := range u.Aliases {
		ad := aliasDoc{Text: al.Text, Lang: al.Lang, CaseSensitive: al.CaseSensitive}
		if al.Kind == store.KindAlliance {
			ad.Alliance = al.Entity
		} else {
			ad.Firm = al.Entity
		}
		d.Aliases = append(d.Aliases, ad)
	}
	for _, m := range u.Memberships {
		role := m.Role
		if role == "member" {
			role = ""
		}
		d.Memberships = append(d.Memberships, membershipDoc{m.Alliance, m.Firm, role, m.Since, m.Source})
	}
	for _, e := range u.Leaves {
		d.Leaves = append(d.Leaves, leaveDoc{e.Alliance, e.Firm, e.Date})
	}
	for _, w := range u.Watches {
		var wd watchDoc
		switch w.Kind {
		case store.WatchFirm:
			wd.Firm = w.Value
		case store.WatchAlliance:
			wd.Alliance = w.Value
		default:
			wd.Query = w.Value
		}
		d.Watches = append(d.Watches, wd)
	}
	for _, v := range u.Views {
		d.Views = append(d.Views, viewDoc{v.Name, v.Query})
	}
	return d
}

// fileError is a refusal of an import file, naming the place.
func fileError(path string, line int, format string, args ...any) error {
	where := path
	if line > 0 {
		where = fmt.Sprintf("%s, line %d", path, line)
	}
	return fmt.Errorf("%s: %s; nothing was imported", where, fmt.Sprintf(format, args...))
}

// yamlTypes words the decoder's type names for the reader of the file.
var yamlTypes = strings.NewReplacer(
	"[]main.firmDoc", "a list of firms", "[]main.allianceDoc", "a list of alliances", "[]main.aliasDoc", "a list of aliases",
	"[]main.membershipDoc", "a list of memberships", "[]main.leaveDoc", "a list of leaves", "[]main.watchDoc", "a list of watch entries",
	"[]main.viewDoc", "a list of views", "[]string", "a list of texts", "not found in type", "is unknown in",
	"main.universeDoc", "the universe", "main.firmDoc", "a firm", "main.allianceDoc", "an alliance",
	"main.aliasDoc", "an alias", "main.membershipDoc", "a membership", "main.leaveDoc", "a leave",
	"main.watchDoc", "a watch entry", "main.viewDoc", "a view", "!!map", "a mapping", "!!seq", "a list",
	"!!str", "a text", "!!int", "a number", "!!bool", "true or false")

// readUniverse reads and checks the shape of an import file, and returns
// the universe with the line of each entry, by section.
func readUniverse(path string, data []byte) (store.Universe, map[string][]int, error) {
	var u store.Universe
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return u, nil, fileError(path, 0, "not YAML: %s", store.CleanLine(strings.TrimPrefix(err.Error(), "yaml: "), 300))
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return u, nil, fileError(path, 0, "not an aiwatch universe file: want a mapping with aiwatch: universe and version: %d", universeVersion)
	}
	top := root.Content[0]
	lines := map[string][]int{}
	for i := 0; i+1 < len(top.Content); i += 2 {
		if seq := top.Content[i+1]; seq.Kind == yaml.SequenceNode {
			for _, n := range seq.Content {
				lines[top.Content[i].Value] = append(lines[top.Content[i].Value], n.Line)
			}
		}
	}
	var d universeDoc
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil && !errors.Is(err, io.EOF) {
		msg := strings.TrimPrefix(yamlTypes.Replace(err.Error()), "yaml: unmarshal errors:\n  ")
		// The decoder quotes the file, whose text may be hostile.
		return u, nil, fileError(path, 0, "the file has the wrong shape: %s", store.CleanLine(strings.ReplaceAll(msg, "\n  ", "; "), 500))
	}
	switch {
	case d.Aiwatch != "universe":
		return u, nil, fileError(path, top.Line, "not an aiwatch universe file: want aiwatch: universe at the top, not %q", store.CleanLine(d.Aiwatch, 40))
	case d.Version == 0:
		return u, nil, fileError(path, top.Line, "no version: want version: %d", universeVersion)
	case d.Version != universeVersion:
		return u, nil, fileError(path, top.Line, "version %d: this aiwatch reads version %d (a newer aiwatch wrote it?)", d.Version, universeVersion)
	}
	line := func(section string, i int) int { return lineOf(lines, section, i) }
	u.Hidden = d.Hidden
	for _, f := range d.Firms {
		u.Firms = append(u.Firms, store.Firm{ID: f.ID, Name: f.Name, NameZH: f.NameZH, NameAR: f.NameAR, Sector: f.Sector, HQ: f.HQ, Sources: f.Sources})
		if err := checkSources(f.Sources); err != nil {
			return u, nil, fileError(path, line("firms", len(u.Firms)-1), "firms[%d]: %s", len(u.Firms)-1, strings.TrimPrefix(err.Error(), "--"))
		}
	}
	for i, al := range d.Alliances {
		u.Alliances = append(u.Alliances, store.Alliance{ID: al.ID, Name: al.Name, NameZH: al.NameZH, Launched: al.Launched, Sources: al.Sources})
		if err := checkSources(al.Sources); err != nil {
			return u, nil, fileError(path, line("alliances", i), "alliances[%d]: %s", i, strings.TrimPrefix(err.Error(), "--"))
		}
	}
	for i, ad := range d.Aliases {
		al := store.Alias{Kind: store.KindFirm, Entity: ad.Firm, Text: ad.Text, Lang: ad.Lang, CaseSensitive: ad.CaseSensitive, Source: store.SourceUser}
		if (ad.Firm == "") == (ad.Alliance == "") {
			return u, nil, fileError(path, line("aliases", i), "aliases[%d]: give either firm: or alliance:", i)
		}
		if ad.Alliance != "" {
			al.Kind, al.Entity = store.KindAlliance, ad.Alliance
		}
		if al.Lang == "" {
			al.Lang = scriptLang(al.Text)
		} else if !langCode.MatchString(al.Lang) {
			return u, nil, fileError(path, line("aliases", i), "aliases[%d]: lang %q: want a language code such as en, zh, zh-Hant or ar", i, store.CleanLine(al.Lang, 40))
		}
		u.Aliases = append(u.Aliases, al)
	}
	for i, m := range d.Memberships {
		u.Memberships = append(u.Memberships, store.Membership{Alliance: m.Alliance, Firm: m.Firm, Role: m.Role, Since: m.Since, Source: m.Source})
		if err := checkSources(nonEmpty(m.Source)); err != nil {
			return u, nil, fileError(path, line("memberships", i), "memberships[%d]: %s", i, strings.TrimPrefix(err.Error(), "--"))
		}
	}
	for _, e := range d.Leaves {
		u.Leaves = append(u.Leaves, store.MembershipEvent{Alliance: e.Alliance, Firm: e.Firm, Action: "left", Date: e.Date})
	}
	for i, wd := range d.Watches {
		n := 0
		w := store.Watch{}
		for _, kv := range []struct {
			kind store.WatchKind
			v    string
		}{{store.WatchFirm, wd.Firm}, {store.WatchAlliance, wd.Alliance}, {store.WatchQuery, wd.Query}} {
			if kv.v != "" {
				n++
				w = store.Watch{Kind: kv.kind, Value: kv.v}
			}
		}
		if n != 1 {
			return u, nil, fileError(path, line("watches", i), "watches[%d]: give one of firm:, alliance: or query:", i)
		}
		u.Watches = append(u.Watches, w)
	}
	for _, v := range d.Views {
		u.Views = append(u.Views, store.View{Name: v.Name, Query: v.Query, Source: "store"})
	}
	return u, lines, nil
}

// checkQueries parses the queries of the watch list and the views against
// the store's names and the file's.
func (a *app) checkQueries(path string, u store.Universe, lines map[string][]int) error {
	db := a.db
	firms, err := db.Firms(a.ctx, store.FirmQuery{Hidden: store.HiddenToo})
	if err != nil {
		return err
	}
	alliances, err := db.Alliances(a.ctx)
	if err != nil {
		return err
	}
	lists, err := db.Lists(a.ctx)
	if err != nil {
		return err
	}
	for _, f := range u.Firms {
		f.Short = f.Name
		for _, al := range u.Aliases {
			if al.Kind == store.KindFirm && al.Entity == f.ID {
				f.Aliases = append(f.Aliases, al)
			}
		}
		firms = append(firms, f)
	}
	for _, al := range u.Alliances {
		for _, s := range u.Aliases {
			if s.Kind == store.KindAlliance && s.Entity == al.ID {
				al.Aliases = append(al.Aliases, s)
			}
		}
		alliances = append(alliances, al)
	}
	r := query.NewMapResolver(firms, alliances, lists)
	check := func(section string, i int, q string) error {
		line := lineOf(lines, section, i)
		if store.CleanLine(q, 500) != q {
			return fileError(path, line, "%s[%d]: a query is one line of printable text, at most 500 characters", section, i)
		}
		if _, err := query.Parse(q, r, a.now()); err != nil {
			msg := strings.Replace(caretError(q, err).Error(), ", so nothing was added:", "; nothing was imported:", 1)
			return fmt.Errorf("%s, line %d: %s[%d]: %s", path, line, section, i, msg)
		}
		return nil
	}
	for i, w := range u.Watches {
		if w.Kind == store.WatchQuery {
			if err := check("watches", i, w.Value); err != nil {
				return err
			}
		}
	}
	for i, v := range u.Views {
		if err := check("views", i, v.Query); err != nil {
			return err
		}
		if store.CleanLine(v.Name, 200) != v.Name {
			return fileError(path, lineOf(lines, "views", i), "views[%d]: a view's name is one line of printable text, at most 200 characters", i)
		}
		for _, cv := range a.cfg.Views {
			if strings.EqualFold(cv.Name, v.Name) {
				return fileError(path, lineOf(lines, "views", i), "views[%d]: a view named %q is in %s already", i, cv.Name, a.cfg.Path)
			}
		}
	}
	return nil
}

// lineOf is the line of an entry of the file, or 0.
func lineOf(lines map[string][]int, section string, i int) int {
	if i >= 0 && i < len(lines[section]) {
		return lines[section][i]
	}
	return 0
}

// changeMarks are the signs of the plan's lines.
var changeMarks = map[string]string{"add": "+", "change": "~", "leave": "-", "hide": "-"}

func universeImport(a *app, args []string) error {
	fs := a.flags("universe import")
	dry := fs.Bool("dry-run", false, "show what the import would add and change, and change nothing")
	pos, err := a.parse(fs, "universe import", args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"universe import takes one FILE (- for stdin), e.g. aiwatch universe import universe.yaml --dry-run"}
	}
	path := pos[0]
	var data []byte
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(a.stdin, maxUniverseFile+1))
	} else if f, oerr := os.Open(path); oerr != nil {
		err = oerr
	} else {
		data, err = io.ReadAll(io.LimitReader(f, maxUniverseFile+1))
		f.Close()
	}
	if err != nil {
		return fmt.Errorf("unable to read %s: %w", path, err)
	}
	if len(data) > maxUniverseFile {
		return fileError(path, 0, "larger than %d MiB: not a universe file", maxUniverseFile>>20)
	}
	u, lines, err := readUniverse(path, data)
	if err != nil {
		return err
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	if err := a.checkQueries(path, u, lines); err != nil {
		return err
	}
	res, err := db.ImportUniverse(a.ctx, u, *dry)
	var ie *store.ImportError
	if errors.As(err, &ie) {
		return fileError(path, lineOf(lines, ie.Section, ie.Index), "%s", ie.Error())
	}
	if err != nil {
		return err
	}
	entries := len(res.Changes) + res.Unchanged
	if entries == 0 {
		fmt.Fprintf(a.stdout, "%s holds no entries: nothing to import.\n", path)
		return nil
	}
	if len(res.Changes) == 0 {
		fmt.Fprintf(a.stdout, "Nothing to import: the store holds all %s of %s as they are.\n", plural(entries, "entry", "entries"), path)
		return nil
	}
	counts := map[string]int{}
	for _, c := range res.Changes {
		counts[c.Op]++
	}
	var parts []string
	for _, op := range []string{"add", "change", "leave", "hide"} {
		if counts[op] > 0 {
			parts = append(parts, fmt.Sprintf("%d to %s", counts[op], op))
		}
	}
	fmt.Fprintf(a.stdout, "%s: %s; %s already as they are.\n", path, strings.Join(parts, ", "), plural(res.Unchanged, "entry", "entries"))
	for _, c := range res.Changes {
		line := fmt.Sprintf("  %s %s", changeMarks[c.Op], store.CleanLine(c.What, 200))
		if c.Detail != "" {
			line += ": " + store.CleanLine(c.Detail, 400)
		}
		fmt.Fprintln(a.stdout, line)
	}
	if *dry {
		fmt.Fprintln(a.stdout, "Dry run: nothing was changed. Run again without --dry-run to import.")
		return nil
	}
	fmt.Fprintf(a.stdout, "Imported: %s.\n", plural(len(res.Changes), "change", "changes"))
	if res.Spellings {
		return a.retagSoon()
	}
	return nil
}
