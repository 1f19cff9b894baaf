package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/cmd/aiwatch/internal/config"
	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/query"
	"github.com/aiwatch/aiwatch/ui/bidi"
)

// loadConfig reads the config file in use into a.cfg. A file with any
// error is refused whole: no command runs on half a config.
func (a *app) loadConfig() error {
	path, explicit, err := config.Path(a.configFlag, a.getenv)
	if err != nil {
		return err
	}
	c, err := config.Load(path, explicit)
	if err != nil {
		return err
	}
	a.cfg = c
	// The file's sanctions settings replace the environment's where they
	// differ from the defaults: the environment holds the defaults in the
	// program, and none (updates off) in tests.
	if c.Sanctions.MaxAge != config.Default().Sanctions.MaxAge {
		a.sanctions.MaxAge = c.Sanctions.MaxAge
	}
	if c.Sanctions.CSLURL != "" {
		a.sanctions.CSLURL = c.Sanctions.CSLURL
	}
	return nil
}

// applyIgnore gives the store the config file's ignore rules, resolved
// against the store's names. A rule naming a firm the store does not
// know is an error at its place in the file.
func (a *app) applyIgnore() error {
	if a.includeIgnored || len(a.cfg.Ignore) == 0 {
		return nil
	}
	var rules []store.Filter
	for _, r := range a.cfg.Ignore {
		f, err := a.resolveConfigQuery(r.Query, r.Pos, "ignore")
		if err != nil {
			return err
		}
		rules = append(rules, f)
	}
	a.db.SetIgnore(rules)
	return nil
}

// resolveConfigQuery parses a query from the config file against the
// store's names, placing an error in the file.
func (a *app) resolveConfigQuery(q string, at config.Pos, where string) (store.Filter, error) {
	r, err := a.resolver()
	if err != nil {
		return store.Filter{}, err
	}
	f, err := query.Parse(q, r, a.now())
	if err != nil {
		var qe *query.Error
		msg := err.Error()
		if errors.As(err, &qe) {
			msg = qe.Msg
		}
		return f, config.QueryPos(at, q, err).Errorf("%s: %s", where, msg)
	}
	return f, nil
}

// view is a view from the file or the store.
type view struct {
	store.View
	pos config.Pos // in the file, for the file's views
}

// views returns every view: the file's, then the store's, by name. A
// stored view with a file view's name is reported on stderr once and
// left out, as the file's wins.
func (a *app) views() ([]view, error) {
	return a.viewsNoting(func(msg string) { fmt.Fprintf(a.stderr, "aiwatch: note: %s\n", msg) })
}

// viewsNoting is views with its note going to note.
func (a *app) viewsNoting(note func(string)) ([]view, error) {
	db, err := a.store()
	if err != nil {
		return nil, err
	}
	stored, err := db.Views(a.ctx)
	if err != nil {
		return nil, err
	}
	var out []view
	names := map[string]bool{}
	for _, v := range a.cfg.Views {
		out = append(out, view{View: store.View{Name: v.Name, Query: v.Query, Source: "file"}, pos: v.Pos})
		names[strings.ToLower(v.Name)] = true
	}
	for _, v := range stored {
		if names[strings.ToLower(v.Name)] {
			note(fmt.Sprintf("the stored view %q has the name of a view in %s, which wins; rename one (aiwatch views rm %q)",
				v.Name, a.cfg.Path, v.Name))
			continue
		}
		out = append(out, view{View: v})
	}
	return out, nil
}

// findView returns the view named name, in any case.
func (a *app) findView(name string) (view, error) {
	vs, err := a.views()
	if err != nil {
		return view{}, err
	}
	var names []string
	for _, v := range vs {
		if strings.EqualFold(v.Name, strings.TrimSpace(name)) {
			return v, nil
		}
		names = append(names, v.Name)
	}
	return view{}, notFound("view", name, names)
}

// viewFilter parses a view's query against the store's names.
func (a *app) viewFilter(v view) (store.Filter, error) {
	if v.Source == "file" {
		return a.resolveConfigQuery(v.Query, v.pos, "views: "+v.Name)
	}
	f, err := a.parseQuery(v.Query)
	if err != nil {
		return f, fmt.Errorf("view %q: %w", v.Name, err)
	}
	return f, nil
}

func cmdConfig(a *app, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		w := a.stdout
		if len(args) == 0 {
			w = a.stderr
		}
		fmt.Fprint(w, `Usage:
  aiwatch config path          print the config file in use
  aiwatch config init [-]      write a commented file with every setting at its default
                               (- prints it); an existing file is never overwritten
  aiwatch config check [FILE]  check a file (default: the one in use)
  aiwatch config show          print the effective settings

The file is --config PATH, else $AIWATCH_CONFIG, else
$XDG_CONFIG_HOME/aiwatch/config.yml (~/.config/aiwatch/config.yml).
No file means the defaults. docs/config.schema.json describes it.
`)
		if len(args) == 0 {
			return usageError{"config needs a subcommand"}
		}
		return nil
	}
	sub, rest := args[0], args[1:]
	name := "config " + sub
	fs := a.flags(name)
	pos, err := a.parse(fs, name, rest)
	if err != nil {
		return err
	}
	path, explicit, err := config.Path(a.configFlag, a.getenv)
	if err != nil {
		return err
	}
	switch sub {
	case "path":
		if len(pos) > 0 {
			return usageError{"config path takes no arguments"}
		}
		fmt.Fprintln(a.stdout, path)
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			fmt.Fprintln(a.stderr, "aiwatch: note: there is no file there: the defaults apply (aiwatch config init writes one)")
		}
		return nil
	case "init":
		if len(pos) > 1 {
			return usageError{"config init takes at most one argument: - to print the file"}
		}
		if len(pos) == 1 && pos[0] == "-" {
			fmt.Fprint(a.stdout, config.Template())
			return nil
		}
		if len(pos) == 1 {
			path = pos[0]
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("config: unable to create %s: %w", filepath.Dir(path), err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("config: %s already exists; it is left as it is (aiwatch config show prints the effective settings)", path)
		}
		if err != nil {
			return fmt.Errorf("config: unable to write %s: %w", path, err)
		}
		if _, err := f.WriteString(config.Template()); err != nil {
			f.Close()
			return fmt.Errorf("config: unable to write %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("config: unable to write %s: %w", path, err)
		}
		fmt.Fprintf(a.stdout, "Wrote %s.\n", path)
		return nil
	case "check":
		if len(pos) > 1 {
			return usageError{"config check takes at most one FILE"}
		}
		if len(pos) == 1 {
			path, explicit = pos[0], true
		}
		c, err := config.Load(path, explicit)
		if err != nil {
			return err
		}
		a.cfg = c
		// The queries' names are checked against the store.
		if _, err := a.store(); err != nil {
			return err
		}
		for _, v := range c.Views {
			if _, err := a.resolveConfigQuery(v.Query, v.Pos, "views: "+v.Name); err != nil {
				return err
			}
		}
		if c.Path == "" {
			fmt.Fprintf(a.stdout, "No file at %s: the defaults apply.\n", path)
			return nil
		}
		fmt.Fprintf(a.stdout, "%s is valid: %d key bindings, %d views, %d ignore rules.\n", path, len(c.Bindings), len(c.Views), len(c.Ignore))
		return nil
	case "show":
		if len(pos) > 0 {
			return usageError{"config show takes no arguments"}
		}
		if err := a.loadConfig(); err != nil {
			return err
		}
		fmt.Fprint(a.stdout, config.Show(a.cfg))
		return nil
	}
	return usageError{fmt.Sprintf("unknown config subcommand %q (path, init, check, show)", sub)}
}

func cmdViews(a *app, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		w := a.stdout
		if len(args) == 0 {
			w = a.stderr
		}
		fmt.Fprint(w, `Usage:
  aiwatch views list [--json]   every view: the config file's, then the stored ones, with unread counts
  aiwatch views add NAME QUERY  store a view (the query in the filter language)
  aiwatch views rm NAME         remove a stored view

aiwatch items --view NAME lists a view's items. Views in the config file
are edited there.
`)
		if len(args) == 0 {
			return usageError{"views needs a subcommand"}
		}
		return nil
	}
	sub, pos, asJSON, err := a.listSubcommand("views", args)
	if err != nil {
		return err
	}
	switch sub {
	case "list", "ls":
		if len(pos) > 0 {
			return usageError{"views list takes no arguments"}
		}
		vs, err := a.views()
		if err != nil {
			return err
		}
		type viewJSON struct {
			Name   string `json:"name"`
			Query  string `json:"query"`
			Source string `json:"source"`
			Total  int    `json:"total"`
			Unread int    `json:"unread"`
		}
		out := make([]viewJSON, 0, len(vs))
		for _, v := range vs {
			f, err := a.viewFilter(v)
			if err != nil {
				return err
			}
			c, err := a.db.CountItems(a.ctx, f)
			if err != nil {
				return err
			}
			out = append(out, viewJSON{v.Name, v.Query, v.Source, c.Total, c.Unread})
		}
		if asJSON {
			return writeJSON(a.stdout, out)
		}
		if len(out) == 0 {
			fmt.Fprintln(a.stdout, "No views. Add one with aiwatch views add NAME QUERY, ctrl+s in the dashboard's filter bar, or views: in the config file.")
			return nil
		}
		t := table{header: []string{"NAME", "UNREAD", "ITEMS", "FROM", "QUERY"}}
		for _, v := range out {
			t.add(store.CleanLine(v.Name, 80), fmt.Sprint(v.Unread), fmt.Sprint(v.Total), v.Source, store.CleanLine(v.Query, 200))
		}
		t.write(a, a.stdout)
		return nil
	case "add":
		if len(pos) != 2 {
			return usageError{`views add takes a NAME and a QUERY, e.g. views add "Huawei unread" "firm:huawei is:unread"`}
		}
		vname, q := strings.TrimSpace(pos[0]), strings.TrimSpace(pos[1])
		if vname == "" || q == "" {
			return usageError{"a view needs a name and a query"}
		}
		if store.CleanLine(vname, 200) != vname {
			return fmt.Errorf("a view's name is one line of printable text, at most 200 characters")
		}
		for _, v := range a.cfg.Views {
			if strings.EqualFold(v.Name, vname) {
				return fmt.Errorf("a view named %q is in %s already; choose another name", v.Name, a.cfg.Path)
			}
		}
		if _, err := a.store(); err != nil {
			return err
		}
		if _, err := a.parseQuery(q); err != nil {
			return fmt.Errorf("query: %w", err)
		}
		if err := a.db.AddView(a.ctx, store.View{Name: vname, Query: q}); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return fmt.Errorf("a view named %q is stored already (aiwatch views rm %q first)", vname, vname)
			}
			return err
		}
		fmt.Fprintf(a.stdout, "Added view %q.\n", vname)
		return nil
	case "rm", "remove":
		if len(pos) != 1 {
			return usageError{"views rm takes one NAME"}
		}
		for _, v := range a.cfg.Views {
			if strings.EqualFold(v.Name, pos[0]) {
				return fmt.Errorf("view %q is in %s (%d:%d); remove it there", v.Name, a.cfg.Path, v.Pos.Line, v.Pos.Col)
			}
		}
		db, err := a.store()
		if err != nil {
			return err
		}
		if err := db.RemoveView(a.ctx, pos[0]); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				vs, _ := db.Views(a.ctx)
				var names []string
				for _, v := range vs {
					names = append(names, v.Name)
				}
				sort.Strings(names)
				return notFound("stored view", pos[0], names)
			}
			return err
		}
		fmt.Fprintf(a.stdout, "Removed view %q.\n", pos[0])
		return nil
	}
	return usageError{fmt.Sprintf("unknown views subcommand %q (list, add, rm)", sub)}
}

// feedInterval, feedMaxBody and feedTimeout are a feed's settings: its
// own, else the config file's.
func (a *app) feedInterval(f store.Feed) time.Duration {
	if f.Interval > 0 {
		return f.Interval
	}
	return a.cfg.Feeds.Interval
}

func (a *app) feedMaxBody(f store.Feed) int64 {
	if f.MaxBody > 0 {
		return f.MaxBody
	}
	return a.cfg.Feeds.MaxBody
}

func (a *app) feedTimeout(f store.Feed) time.Duration {
	if f.Timeout > 0 {
		return f.Timeout
	}
	return a.cfg.Feeds.Timeout
}

// feedsSet is feeds set ID... [--interval DUR] [--max-body SIZE]
// [--user-agent UA] [--timeout DUR] [--bodies WHEN].
func feedsSet(a *app, args []string) error {
	fs := a.flags("feeds set")
	interval := fs.String("interval", "", "poll the feeds every `DUR` (e.g. 6h, 2d; adapted to each feed within bounds, see README); default: the config file's")
	maxBody := fs.String("max-body", "", "refuse bodies larger than `SIZE` (e.g. 32MiB); default: the config file's")
	ua := fs.String("user-agent", "", "send this User-Agent `UA`; default: the config file's")
	timeout := fs.String("timeout", "", "allow `DUR` per request; default: the config file's")
	bodies := fs.String("bodies", "", "fetch the items' articles `WHEN`: always (during fetch too, politely bounded), on-demand (b and aiwatch article; the default) or never (b and aiwatch article refuse)")
	pos, err := a.parse(fs, "feeds set", args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError{"feeds set takes one or more feed IDs (see aiwatch feeds list)"}
	}
	var ids []int64
	for _, p := range pos {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			return usageError{fmt.Sprintf("%q is not a feed ID", p)}
		}
		ids = append(ids, id)
	}
	var s store.FeedSettings
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	isDefault := func(v string) bool { return v == "default" || v == "0" }
	if set["interval"] {
		d := time.Duration(0)
		if !isDefault(*interval) {
			if d, err = config.ParseDuration(*interval); err != nil {
				return usageError{"--interval: " + err.Error()}
			}
			if d < config.MinInterval || d > config.MaxInterval {
				return usageError{fmt.Sprintf("--interval must be between %s and %s", config.FormatDuration(config.MinInterval), config.FormatDuration(config.MaxInterval))}
			}
		}
		s.Interval = &d
	}
	if set["max-body"] {
		n := int64(0)
		if !isDefault(*maxBody) {
			if n, err = config.ParseSize(*maxBody); err != nil {
				return usageError{"--max-body: " + err.Error()}
			}
			if n < config.MinMaxBody || n > config.MaxMaxBody {
				return usageError{fmt.Sprintf("--max-body must be between %s and %s", config.FormatSize(config.MinMaxBody), config.FormatSize(config.MaxMaxBody))}
			}
		}
		s.MaxBody = &n
	}
	if set["timeout"] {
		d := time.Duration(0)
		if !isDefault(*timeout) {
			if d, err = config.ParseDuration(*timeout); err != nil {
				return usageError{"--timeout: " + err.Error()}
			}
			if d < config.MinTimeout || d > config.MaxTimeout {
				return usageError{fmt.Sprintf("--timeout must be between %s and %s", config.FormatDuration(config.MinTimeout), config.FormatDuration(config.MaxTimeout))}
			}
		}
		s.Timeout = &d
	}
	if set["user-agent"] {
		v := *ua
		if isDefault(v) {
			v = ""
		}
		if store.CleanLine(v, 400) != v {
			return usageError{"--user-agent must be one line of printable text"}
		}
		s.UserAgent = &v
	}
	if set["bodies"] {
		v := *bodies
		if v == "default" {
			v = string(store.BodiesOnDemand)
		}
		b, err := store.ParseBodies(v)
		if err != nil || v == "" {
			return usageError{fmt.Sprintf("--bodies must be always, on-demand or never, not %q", *bodies)}
		}
		s.Bodies = &b
	}
	delete(set, "db")
	if len(set) == 0 {
		return usageError{"feeds set needs --interval, --max-body, --user-agent, --timeout or --bodies"}
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	if err := db.SetFeedSettings(a.ctx, ids, s); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Set %d feed(s).\n", len(ids))
	return nil
}

// dashboardViews lists the views for the dashboard's Views group; notes
// go to its log.
func (a *app) dashboardViews(ctx context.Context) ([]store.View, error) {
	vs, err := a.viewsNoting(func(msg string) { log.Print(msg) })
	out := make([]store.View, len(vs))
	for i, v := range vs {
		out[i] = v.View
	}
	return out, err
}

// saveView stores a view from the dashboard's filter bar. A name in use,
// in the config file or the store, is refused with a message that says
// where.
func (a *app) saveView(ctx context.Context, name, q string) error {
	name = strings.TrimSpace(name)
	if store.CleanLine(name, 200) != name {
		return errors.New("a view's name is one line of printable text")
	}
	for _, v := range a.cfg.Views {
		if strings.EqualFold(v.Name, name) {
			return fmt.Errorf("a view named %q is in the config file; choose another name", v.Name)
		}
	}
	if err := a.db.AddView(ctx, store.View{Name: name, Query: q}); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("a view named %q exists; choose another name", name)
		}
		return err
	}
	return nil
}

// dateFormat is the layout of dates in tables: the config file's.
func (a *app) dateFormat() string {
	if a.cfg.Display.DateFormat != "" {
		return a.cfg.Display.DateFormat
	}
	return config.DefaultDateFormat
}

// bidiMode is who makes right-to-left text readable in the dashboard:
// --bidi when given, else the config file's display.bidi, resolved
// against the terminal when auto.
func (a *app) bidiMode() bidi.Mode {
	m := a.bidi
	if !a.bidiSet {
		if pm, err := bidi.ParseMode(a.cfg.Display.Bidi); err == nil {
			m = pm
		}
	}
	return m.Resolve(a.getenv)
}
