package config

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/store/query"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// The keys of each section. Schema (config_test.go) checks that
// docs/config.schema.json knows exactly these.
var (
	topKeys       = []string{"keys", "views", "ignore", "feeds", "display", "sanctions", "alerts", "store", "user"}
	viewKeys      = []string{"name", "query"}
	feedKeys      = []string{"interval", "max_body", "timeout", "concurrency", "per_host", "user_agent"}
	displayKeys   = []string{"theme", "colors", "date_format", "bidi", "fps"}
	sanctionsKeys = []string{"max_age", "csl_url"}
	alertsKeys    = []string{"notify", "command", "webhook"}
	storeKeys     = []string{"dsn"}
	notifyModes   = []string{"auto", "off"}

	themes     = []string{"auto", "dark", "light"}
	bidiModes  = []string{"auto", "app", "terminal"}
	colorNames = theme.ColorNames
)

// parser walks one file's YAML nodes, gathering every error.
type parser struct {
	file string
	errs Errors
	c    Config
}

// Parse reads a file's contents; file names it in errors.
func Parse(file string, b []byte) (Config, error) {
	p := &parser{file: file, c: Default()}
	p.c.Path = file
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return Config{}, p.syntaxError(err)
	}
	if len(doc.Content) > 0 {
		p.top(doc.Content[0])
	}
	for _, c := range p.c.Keys.Conflicts() {
		p.conflict(c)
	}
	if len(p.errs) > 0 {
		slices.SortStableFunc(p.errs, func(a, b *Error) int {
			if a.Line != b.Line {
				return a.Line - b.Line
			}
			return a.Col - b.Col
		})
		return Config{}, p.errs
	}
	return p.c, nil
}

// scannerProblems are the "did not find expected" messages of the YAML
// scanner; the others are the parser's.
var scannerProblems = []string{
	"did not find expected alphabetic or numeric character",
	"did not find expected comment or line break",
	"did not find expected whitespace or line break",
	"did not find URI escaped octet",
	"did not find expected hexdecimal number",
	"did not find expected '!'",
	"did not find expected tag URI",
	"did not find expected digit or '.' character",
	"did not find expected version number",
	"did not find expected whitespace",
}

var lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError places the YAML library's message, which has a line but no
// column.
func (p *parser) syntaxError(err error) error {
	msg := err.Error()
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if strings.HasPrefix(m[2], "did not find expected") && !slices.Contains(scannerProblems, m[2]) ||
			strings.HasPrefix(m[2], "found duplicate") || strings.HasPrefix(m[2], "found undefined") || strings.HasPrefix(m[2], "found incompatible") {
			// The library counts a parser error's line from 0, and
			// places it where the unfinished construct began (a
			// scanner error's from 1).
			line++
		}
		return Errors{{Pos: Pos{File: p.file, Line: line}, Msg: "not valid YAML: " + m[2]}}
	}
	return fmt.Errorf("%s: not valid YAML: %s", p.file, strings.TrimPrefix(msg, "yaml: "))
}

func (p *parser) pos(n *yaml.Node) Pos {
	return Pos{File: p.file, Line: n.Line, Col: n.Column,
		quoted: n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0,
		block:  n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0}
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, &Error{Pos: p.pos(n), Msg: fmt.Sprintf(format, args...)})
}

// describe names a node's kind for "expected X, found Y".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.ShortTag() {
	case "!!null":
		return "nothing"
	case "!!int", "!!float":
		return "a number (" + n.Value + ")"
	case "!!bool":
		return "a boolean (" + n.Value + ")"
	}
	return fmt.Sprintf("%q", n.Value)
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// mapping calls fn for each key of n, a mapping (or nothing), that is in
// known; unknown and repeated keys are errors. where names the section.
func (p *parser) mapping(n *yaml.Node, where string, known []string, fn func(k string, key, val *yaml.Node)) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s: expected a mapping of settings, found %s", where, describe(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "%s: a key must be a name, found %s", where, describe(k))
			continue
		}
		if seen[k.Value] {
			p.errorf(k, "%s: %q is set twice", where, k.Value)
			continue
		}
		seen[k.Value] = true
		if !slices.Contains(known, k.Value) {
			p.unknown(k, where, known)
			continue
		}
		fn(k.Value, k, v)
	}
}

// unknown reports an unknown key with the closest known ones.
func (p *parser) unknown(k *yaml.Node, where string, known []string) {
	msg := fmt.Sprintf("unknown key %q", k.Value)
	if where != "" {
		msg = fmt.Sprintf("%s: unknown key %q", where, k.Value)
	}
	p.errorf(k, "%s%s", msg, didYouMean(k.Value, known))
}

// otherNames are what other tools call some of our keys, so that a
// misspelling of those (keybindigs) is still led to ours.
var otherNames = map[string]string{
	"keybindings": "keys", "keybinds": "keys", "keymap": "keys", "bindings": "keys", "hotkeys": "keys",
	"saved_views": "views", "filters": "views", "searches": "views",
	"ignores": "ignore", "killfile": "ignore", "mute": "ignore", "hide": "ignore",
	"refresh_interval": "interval", "poll_interval": "interval", "reload_time": "interval",
	"useragent": "user_agent", "body_limit": "max_body", "max_size": "max_body",
}

func didYouMean(s string, known []string) string {
	// Each known key is spelt as itself and as the names other tools give
	// it (otherNames), so "keybindings" suggests "keys".
	spellings := func(yield func(string, string) bool) {
		for _, k := range known {
			if !yield(k, k) {
				return
			}
		}
		for _, other := range slices.Sorted(maps.Keys(otherNames)) {
			if ours := otherNames[other]; slices.Contains(known, ours) && !yield(other, ours) {
				return
			}
		}
	}
	var q []string
	for _, x := range store.Suggest(s, 3, spellings) {
		q = append(q, strconv.Quote(x))
	}
	if len(q) > 0 {
		return " (did you mean " + strings.Join(q, " or ") + "?)"
	}
	if len(known) > 0 && len(known) <= 8 {
		return " (known: " + strings.Join(known, ", ") + ")"
	}
	return ""
}

// str reads a scalar as text. Any scalar but null is taken as written, so
// that an unquoted 2006-01-02 stays a layout.
func (p *parser) str(n *yaml.Node, where string) (string, bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		p.errorf(n, "%s: expected text, found %s", where, describe(n))
		return "", false
	}
	return n.Value, true
}

func (p *parser) oneOf(n *yaml.Node, where string, allowed []string) (string, bool) {
	s, ok := p.str(n, where)
	if !ok {
		return "", false
	}
	if !slices.Contains(allowed, s) {
		p.errorf(n, "%s: %q is not one of %s%s", where, s, strings.Join(allowed, ", "), didYouMean(s, allowed))
		return "", false
	}
	return s, true
}

func (p *parser) duration(n *yaml.Node, where string, lo, hi time.Duration) (time.Duration, bool) {
	s, ok := p.str(n, where)
	if !ok {
		return 0, false
	}
	d, err := ParseDuration(s)
	if err != nil {
		p.errorf(n, "%s: %v", where, err)
		return 0, false
	}
	if d < lo || d > hi {
		p.errorf(n, "%s: %s is out of bounds (%s to %s)", where, s, FormatDuration(lo), FormatDuration(hi))
		return 0, false
	}
	return d, true
}

func (p *parser) integer(n *yaml.Node, where string, lo, hi int) (int, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		p.errorf(n, "%s: expected a whole number, found %s", where, describe(n))
		return 0, false
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil || v < lo || v > hi {
		p.errorf(n, "%s: %s is out of bounds (%d to %d)", where, n.Value, lo, hi)
		return 0, false
	}
	return v, true
}

func (p *parser) top(n *yaml.Node) {
	p.mapping(n, "", topKeys, func(k string, key, v *yaml.Node) {
		switch k {
		case "keys":
			p.keys(v)
		case "views":
			p.views(v)
		case "ignore":
			p.ignore(v)
		case "feeds":
			p.feeds(v)
		case "display":
			p.display(v)
		case "sanctions":
			p.sanctions(v)
		case "alerts":
			p.alerts(v)
		case "store":
			p.store(v)
		case "user":
			p.user(v)
		}
	})
}

func contextNames() []string {
	var out []string
	for _, c := range keys.Contexts() {
		out = append(out, string(c))
	}
	return out
}

func (p *parser) keys(n *yaml.Node) {
	p.mapping(n, "keys", contextNames(), func(ctx string, _, v *yaml.Node) {
		c := keys.Context(ctx)
		where := "keys." + ctx
		p.mapping(v, where, keys.Actions(c), func(action string, key, list *yaml.Node) {
			where := where + "." + action
			if list.Kind != yaml.SequenceNode {
				p.errorf(list, "%s: expected a list of keys, e.g. [n], or [] to unbind; found %s", where, describe(list))
				return
			}
			var ks []string
			for _, kn := range list.Content {
				s, ok := p.str(kn, where)
				if !ok {
					return
				}
				if err := keys.CheckKey(s); err != nil {
					p.errorf(kn, "%s: unknown key %q (a character, or ctrl+, alt+, shift+ and a name such as enter, esc, tab, space, up, pgdown, f1)%s",
						where, s, didYouMean(s, keyNames()))
					return
				}
				if slices.Contains(ks, s) {
					p.errorf(kn, "%s: key %q is listed twice", where, s)
					return
				}
				ks = append(ks, s)
			}
			if err := p.c.Keys.Bind(c, action, ks); err != nil {
				p.errorf(key, "%s: %v", where, err)
				return
			}
			p.c.Bindings = append(p.c.Bindings, Binding{Context: c, Action: action, Keys: ks, Pos: p.pos(key)})
		})
	})
}

func keyNames() []string {
	return []string{"enter", "esc", "tab", "space", "backspace", "delete", "insert", "up", "down", "left", "right", "home", "end", "pgup", "pgdown"}
}

// conflict reports two actions on one key at the binding the file made.
func (p *parser) conflict(c keys.Conflict) {
	for _, b := range p.c.Bindings {
		if b.Context == c.A.Context && b.Action == c.A.Action {
			p.errs = append(p.errs, &Error{Pos: b.Pos, Msg: fmt.Sprintf("keys.%s: %v", c.A, c)})
			return
		}
	}
	p.errs = append(p.errs, &Error{Pos: Pos{File: p.file, Line: 1, Col: 1}, Msg: c.Error()})
}

func (p *parser) views(n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "views: expected a list of {name, query}, found %s", describe(n))
		return
	}
	names := map[string]bool{}
	for _, vn := range n.Content {
		var v View
		var nameNode, queryNode *yaml.Node
		p.mapping(vn, "views", viewKeys, func(k string, _, val *yaml.Node) {
			switch k {
			case "name":
				nameNode = val
				v.Name, _ = p.str(val, "views: name")
			case "query":
				queryNode = val
				v.Query, _ = p.str(val, "views: query")
				v.Pos = p.pos(val)
			}
		})
		if vn.Kind != yaml.MappingNode {
			continue
		}
		switch {
		case nameNode == nil || strings.TrimSpace(v.Name) == "":
			p.errorf(vn, "views: a view needs a name")
			continue
		case queryNode == nil:
			p.errorf(vn, "views: view %q needs a query", v.Name)
			continue
		case names[strings.ToLower(v.Name)]:
			p.errorf(nameNode, "views: a view named %q is already defined", v.Name)
			continue
		}
		v.Name = strings.TrimSpace(v.Name)
		names[strings.ToLower(v.Name)] = true
		if p.query(queryNode, "views: "+v.Name, v.Query) {
			p.c.Views = append(p.c.Views, v)
		}
	}
}

func (p *parser) ignore(n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "ignore: expected a list of queries, found %s", describe(n))
		return
	}
	for _, qn := range n.Content {
		q, ok := p.str(qn, "ignore")
		if !ok {
			continue
		}
		if strings.TrimSpace(q) == "" {
			p.errorf(qn, "ignore: an empty query would hide every item")
			continue
		}
		if p.query(qn, "ignore", q) {
			p.c.Ignore = append(p.c.Ignore, Rule{Query: q, Pos: p.pos(qn)})
		}
	}
}

// anyName is a resolver that takes every name: a file is checked for the
// query language's syntax when read, and for the store's names when the
// store is open (cmd/aiwatch resolves them there).
type anyName struct{}

func (anyName) Firm(s string) (string, bool)     { return s, true }
func (anyName) Alliance(s string) (string, bool) { return s, true }
func (anyName) List(s string) (string, bool)     { return s, true }

// query checks a query's syntax, placing an error at its column.
func (p *parser) query(n *yaml.Node, where, q string) bool {
	_, err := query.Parse(q, anyName{}, time.Now())
	if err == nil {
		return true
	}
	p.errs = append(p.errs, &Error{Pos: QueryPos(p.pos(n), q, err), Msg: where + ": " + queryMessage(err)})
	return false
}

// QueryPos is where in the file the error err of the query q at at is:
// the query's own position plus the error's offset in runes.
func QueryPos(at Pos, q string, err error) Pos {
	var qe *query.Error
	if errors.As(err, &qe) && qe.Pos >= 0 && qe.Pos <= len(q) && !at.block {
		if at.quoted {
			at.Col++
		}
		at.Col += utf8.RuneCountInString(q[:qe.Pos])
	}
	at.quoted, at.block = false, false
	return at
}

// queryMessage is a query error without the parser's own "at N".
func queryMessage(err error) string {
	var qe *query.Error
	if errors.As(err, &qe) {
		return qe.Msg
	}
	return err.Error()
}

func (p *parser) feeds(n *yaml.Node) {
	f := &p.c.Feeds
	p.mapping(n, "feeds", feedKeys, func(k string, _, v *yaml.Node) {
		where := "feeds." + k
		switch k {
		case "interval":
			if d, ok := p.duration(v, where, MinInterval, MaxInterval); ok {
				f.Interval = d
			}
		case "timeout":
			if d, ok := p.duration(v, where, MinTimeout, MaxTimeout); ok {
				f.Timeout = d
			}
		case "max_body":
			s, ok := p.str(v, where)
			if !ok {
				return
			}
			size, err := ParseSize(s)
			if err != nil {
				p.errorf(v, "%s: %v", where, err)
				return
			}
			if size < MinMaxBody || size > MaxMaxBody {
				p.errorf(v, "%s: %s is out of bounds (%s to %s)", where, s, FormatSize(MinMaxBody), FormatSize(MaxMaxBody))
				return
			}
			f.MaxBody = size
		case "concurrency":
			if v, ok := p.integer(v, where, 1, MaxConcurrency); ok {
				f.Concurrency = v
			}
		case "per_host":
			if v, ok := p.integer(v, where, 1, MaxPerHost); ok {
				f.PerHost = v
			}
		case "user_agent":
			if s, ok := p.str(v, where); ok {
				if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
					p.errorf(v, "%s: a User-Agent cannot hold control characters", where)
					return
				}
				f.UserAgent = s
			}
		}
	})
}

var colorRE = regexp.MustCompile(`^(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}|[0-9]{1,3})$`)

func (p *parser) display(n *yaml.Node) {
	d := &p.c.Display
	p.mapping(n, "display", displayKeys, func(k string, _, v *yaml.Node) {
		where := "display." + k
		switch k {
		case "theme":
			if s, ok := p.oneOf(v, where, themes); ok {
				d.Theme = s
			}
		case "bidi":
			if s, ok := p.oneOf(v, where, bidiModes); ok {
				d.Bidi = s
			}
		case "fps":
			if n, ok := p.integer(v, where, 1, MaxFPS); ok {
				d.FPS = n
			}
		case "date_format":
			s, ok := p.str(v, where)
			if !ok {
				return
			}
			ref := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
			if strings.TrimSpace(s) == "" || ref.Format(s) == s {
				p.errorf(v, "%s: %q is not a Go time layout (write the reference date Mon Jan 2 15:04:05 2006 as you want dates shown, e.g. 2006-01-02)", where, s)
				return
			}
			d.DateFormat = s
		case "colors":
			p.mapping(v, where, colorNames, func(name string, _, cv *yaml.Node) {
				s, ok := p.str(cv, where+"."+name)
				if !ok {
					return
				}
				if !colorRE.MatchString(s) || (s[0] != '#' && mustAtoi(s) > 255) {
					p.errorf(cv, "%s.%s: %q is not a colour (#rrggbb, #rgb, or an ANSI number 0 to 255)", where, name, s)
					return
				}
				if d.Colors == nil {
					d.Colors = map[string]string{}
				}
				d.Colors[name] = s
			})
		}
	})
}

func mustAtoi(s string) int { n, _ := strconv.Atoi(s); return n }

func (p *parser) sanctions(n *yaml.Node) {
	s := &p.c.Sanctions
	p.mapping(n, "sanctions", sanctionsKeys, func(k string, _, v *yaml.Node) {
		where := "sanctions." + k
		switch k {
		case "max_age":
			if d, ok := p.duration(v, where, time.Second, 365*24*time.Hour); ok {
				s.MaxAge = d
			}
		case "csl_url":
			if raw, ok := p.httpURL(v, where); ok {
				s.CSLURL = raw
			}
		}
	})
}

// store reads the store section: a team store's PostgreSQL address. A
// file path is not taken here, so that a path is never read as an address
// nor an address as a path; --db and $AIWATCH_DB name files.
func (p *parser) store(n *yaml.Node) {
	p.mapping(n, "store", storeKeys, func(k string, _, v *yaml.Node) {
		if k != "dsn" || isNull(v) {
			return
		}
		s, ok := p.str(v, "store.dsn")
		if !ok || s == "" {
			return
		}
		if !postgres.IsDSN(s) {
			p.errorf(v, "store.dsn: expected a postgres:// or postgresql:// address, found %q; a store file is named by --db or $AIWATCH_DB", store.CleanLine(postgres.Redact(s), 80))
			return
		}
		p.c.Store.DSN = s
	})
}

// user reads the name the team store keeps this person's marks, watch
// list, alerts and views under.
func (p *parser) user(n *yaml.Node) {
	if isNull(n) {
		return
	}
	s, ok := p.str(n, "user")
	if !ok {
		return
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if s != store.CleanLine(s, 200) || strings.ContainsAny(s, "\n\t") {
		p.errorf(n, "user: expected a user name on one line of at most 200 characters, found %q", store.CleanLine(s, 80))
		return
	}
	p.c.User = s
}

// ParseDuration reads a duration as Go writes it (90s, 30m, 1h30m) or in
// days (2d).
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err == nil && n >= 0 && n < 100000 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration (e.g. 90s, 30m, 6h, 2d)", s)
	}
	return d, nil
}

// FormatDuration writes d briefly: 30m, 6h, 2d, 1h30m.
func FormatDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d%(24*time.Hour) == 0:
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d%time.Minute == 0 && d < time.Hour:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
	{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"kB", 1e3}, {"B", 1},
}

// ParseSize reads a size in bytes: 16MiB, 512KiB, 15MB, 1048576.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range sizeUnits {
		if v, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(v), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size (e.g. 16MiB, 512KiB, 20MB)", s)
	}
	return n * mult, nil
}

// FormatSize writes a size in the largest binary unit that divides it.
func FormatSize(n int64) string {
	for _, u := range sizeUnits[:3] {
		if n >= u.mult && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}

func (p *parser) alerts(n *yaml.Node) {
	a := &p.c.Alerts
	p.mapping(n, "alerts", alertsKeys, func(k string, _, v *yaml.Node) {
		where := "alerts." + k
		switch k {
		case "notify":
			if s, ok := p.oneOf(v, where, notifyModes); ok {
				a.Notify = s
			}
		case "command":
			if isNull(v) {
				return
			}
			if v.Kind != yaml.SequenceNode {
				p.errorf(v, "%s: expected a list: the program and its arguments, run without a shell, e.g. [/usr/local/bin/page-me, --urgent]; found %s", where, describe(v))
				return
			}
			var argv []string
			for _, an := range v.Content {
				s, ok := p.str(an, where)
				if !ok {
					return
				}
				if strings.ContainsRune(s, 0) {
					p.errorf(an, "%s: an argument cannot hold a NUL byte", where)
					return
				}
				argv = append(argv, s)
			}
			if len(argv) > 0 && strings.TrimSpace(argv[0]) == "" {
				p.errorf(v, "%s: the first item is the program to run, and it is empty", where)
				return
			}
			a.Command = argv
		case "webhook":
			if raw, ok := p.httpURL(v, where); ok {
				a.Webhook = raw
			}
		}
	})
}

// httpURL reads an http(s) URL at where; "" is not set, and anything else
// an error at v.
func (p *parser) httpURL(v *yaml.Node, where string) (string, bool) {
	raw, ok := p.str(v, where)
	if !ok || raw == "" {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.errorf(v, "%s: %q is not an http(s) URL", where, raw)
		return "", false
	}
	return raw, true
}
