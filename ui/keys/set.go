package keys

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
)

// Context names where a key acts: the whole dashboard (global), one pane,
// one of the views shown over the panes, or the filter bar.
type Context string

// Contexts, in the order the help and the README list them.
const (
	Global    Context = "global"
	Alliances Context = "alliances"
	Firms     Context = "firms"
	News      Context = "news"
	Reader    Context = "reader"
	Feeds     Context = "feeds"
	Changes   Context = "changes"
	Alerts    Context = "alerts"
	Filter    Context = "filter"
)

// Contexts returns every context, in order.
func Contexts() []Context {
	return []Context{Global, Alliances, Firms, News, Reader, Feeds, Changes, Alerts, Filter}
}

// action is one thing a key does, under the name the config file uses.
type action struct {
	name  string
	field func(*KeyMap) *key.Binding
}

func act(name string, field func(*KeyMap) *key.Binding) action { return action{name, field} }

var (
	globalActions = []action{
		act("next_pane", func(k *KeyMap) *key.Binding { return &k.NextPane }),
		act("prev_pane", func(k *KeyMap) *key.Binding { return &k.PrevPane }),
		act("focus_alliances", func(k *KeyMap) *key.Binding { return &k.Pane1 }),
		act("focus_firms", func(k *KeyMap) *key.Binding { return &k.Pane2 }),
		act("focus_news", func(k *KeyMap) *key.Binding { return &k.Pane3 }),
		act("focus_reader", func(k *KeyMap) *key.Binding { return &k.Pane4 }),
		act("open_link", func(k *KeyMap) *key.Binding { return &k.OpenLink }),
		act("copy_link", func(k *KeyMap) *key.Binding { return &k.CopyLink }),
		act("toggle_read", func(k *KeyMap) *key.Binding { return &k.ToggleRead }),
		act("mark_all_read", func(k *KeyMap) *key.Binding { return &k.MarkAllRead }),
		act("star", func(k *KeyMap) *key.Binding { return &k.Star }),
		act("unread_only", func(k *KeyMap) *key.Binding { return &k.UnreadOnly }),
		act("article", func(k *KeyMap) *key.Binding { return &k.Article }),
		act("filter", func(k *KeyMap) *key.Binding { return &k.Filter }),
		act("back", func(k *KeyMap) *key.Binding { return &k.Clear }),
		act("firm_card", func(k *KeyMap) *key.Binding { return &k.FirmCard }),
		act("changes", func(k *KeyMap) *key.Binding { return &k.Changes }),
		act("alerts", func(k *KeyMap) *key.Binding { return &k.Alerts }),
		act("feeds", func(k *KeyMap) *key.Binding { return &k.Feeds }),
		act("refresh", func(k *KeyMap) *key.Binding { return &k.Refresh }),
		act("help", func(k *KeyMap) *key.Binding { return &k.Help }),
		act("quit", func(k *KeyMap) *key.Binding { return &k.Quit }),
	}
	listActions = []action{
		act("up", func(k *KeyMap) *key.Binding { return &k.Up }),
		act("down", func(k *KeyMap) *key.Binding { return &k.Down }),
		act("top", func(k *KeyMap) *key.Binding { return &k.Top }),
		act("bottom", func(k *KeyMap) *key.Binding { return &k.Bottom }),
		act("page_up", func(k *KeyMap) *key.Binding { return &k.PageUp }),
		act("page_down", func(k *KeyMap) *key.Binding { return &k.PageDown }),
	}
	openAction    = act("open", func(k *KeyMap) *key.Binding { return &k.Open })
	filterActions = []action{
		act("apply", func(k *KeyMap) *key.Binding { return &k.Apply }),
		act("cancel", func(k *KeyMap) *key.Binding { return &k.Clear }),
		act("save_view", func(k *KeyMap) *key.Binding { return &k.SaveView }),
	}
)

// byContext holds the actions of each context.
var byContext = map[Context][]action{
	Global:    globalActions,
	Alliances: append(slices.Clip(listActions), openAction),
	Firms:     append(slices.Clip(listActions), openAction),
	News:      append(slices.Clip(listActions), openAction),
	Reader:    listActions,
	Feeds:     listActions,
	Changes:   listActions,
	Alerts:    append(slices.Clip(listActions), openAction),
	Filter:    filterActions,
}

// actions returns the actions of a context.
func actions(c Context) []action { return byContext[c] }

// Actions returns the action names of a context, in the order the help
// lists them, or nil for an unknown context.
func Actions(c Context) []string {
	var out []string
	for _, a := range actions(c) {
		out = append(out, a.name)
	}
	return out
}

// Set is the keymap of every context. The root uses Global; each pane,
// view and the filter bar gets the KeyMap of its own context.
type Set struct {
	maps map[Context]*KeyMap
	// set records the actions bound by Bind, for conflict messages.
	set map[Context]map[string]bool
}

// DefaultSet returns the default keymap of every context.
func DefaultSet() Set {
	s := Set{maps: map[Context]*KeyMap{}, set: map[Context]map[string]bool{}}
	for _, c := range Contexts() {
		km := DefaultKeyMap()
		switch c {
		case Alliances:
			km.Open.SetHelp("enter", "its firms, or a view's news")
		case Firms:
			km.Open.SetHelp("enter", "its news")
		case Alerts:
			km.Open.SetHelp("enter", "show the item or firm")
		}
		s.maps[c] = &km
	}
	return s
}

// Map returns the keymap of context c; the zero Set gives the defaults.
func (s Set) Map(c Context) KeyMap {
	if km, ok := s.maps[c]; ok {
		return *km
	}
	return DefaultKeyMap()
}

// Bind replaces the keys of action in context c: keys replace the
// defaults, and no keys unbind the action. Unknown contexts, actions and
// key names are errors that name the closest known ones.
func (s *Set) Bind(c Context, name string, keys []string) error {
	if s.maps == nil {
		*s = DefaultSet()
	}
	km, ok := s.maps[c]
	if !ok {
		return &NameError{Kind: "context", Name: string(c), Known: contextNames()}
	}
	var a *action
	for _, x := range actions(c) {
		if x.name == name {
			a = &x
			break
		}
	}
	if a == nil {
		return &NameError{Kind: "action in " + string(c), Name: name, Known: Actions(c)}
	}
	for _, k := range keys {
		if err := CheckKey(k); err != nil {
			return err
		}
	}
	b := a.field(km)
	desc := b.Help().Desc
	if len(keys) == 0 {
		*b = key.NewBinding(key.WithDisabled(), key.WithHelp("", desc))
	} else {
		*b = key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeys(keys), desc))
	}
	if s.set[c] == nil {
		s.set[c] = map[string]bool{}
	}
	s.set[c][name] = true
	return nil
}

func contextNames() []string {
	var out []string
	for _, c := range Contexts() {
		out = append(out, string(c))
	}
	return out
}

// NameError is an unknown context, action or key name. Known lists the
// names that would have been understood, so that a caller can suggest the
// closest.
type NameError struct {
	Kind  string // "context", "action in news", "key"
	Name  string
	Known []string
}

func (e *NameError) Error() string { return fmt.Sprintf("unknown %s %q", e.Kind, e.Name) }

// Conflict is one key bound to two actions that act in the same context.
// A is the action bound in the file when one of them was.
type Conflict struct {
	Context Context
	Key     string
	A, B    Binding
}

// Binding names an action in a context.
type Binding struct {
	Context Context
	Action  string
}

func (b Binding) String() string { return string(b.Context) + "." + b.Action }

func (c Conflict) Error() string {
	return fmt.Sprintf("key %q is bound to both %s and %s", c.Key, c.A, c.B)
}

// Conflicts lists the keys bound to two actions that act at the same
// time: within a context, and, for every context but the filter bar,
// between the context and the global keys, which the dashboard tries
// first.
func (s Set) Conflicts() []Conflict {
	var out []Conflict
	for _, c := range Contexts() {
		owner := map[string]Binding{}
		var scope []Binding
		if c != Global && c != Filter {
			for _, a := range globalActions {
				scope = append(scope, Binding{Global, a.name})
			}
		}
		for _, a := range actions(c) {
			scope = append(scope, Binding{c, a.name})
		}
		for _, b := range scope {
			for _, k := range s.binding(b).Keys() {
				prev, dup := owner[k]
				if !dup {
					owner[k] = b
					continue
				}
				if prev.Context == Global && b.Context == Global && c != Global {
					continue // reported once, in the global context
				}
				a, other := b, prev
				if !s.set[a.Context][a.Action] && s.set[prev.Context][prev.Action] {
					a, other = prev, b
				}
				out = append(out, Conflict{Context: c, Key: k, A: a, B: other})
			}
		}
	}
	return out
}

func (s Set) binding(b Binding) key.Binding {
	km, ok := s.maps[b.Context]
	if !ok {
		d := DefaultKeyMap()
		km = &d
	}
	for _, a := range actions(b.Context) {
		if a.name == b.Action {
			bb := *a.field(km)
			if !bb.Enabled() {
				return key.Binding{}
			}
			return bb
		}
	}
	return key.Binding{}
}

// Bound reports whether the file bound an action, for error positions.
func (s Set) Bound(b Binding) bool { return s.set[b.Context][b.Action] }

// namedKeys are the key names besides single characters, as Bubble Tea
// spells them.
var namedKeys = []string{
	"enter", "esc", "tab", "space", "backspace", "delete", "insert",
	"up", "down", "left", "right", "home", "end", "pgup", "pgdown",
	"f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12",
}

var modifiers = []string{"ctrl", "alt", "shift"}

// CheckKey reports whether k is a key name the dashboard can match: a
// single printable character, or a named key, either optionally after
// ctrl+, alt+ or shift+ (e.g. "n", "G", "enter", "ctrl+s", "shift+tab").
func CheckKey(k string) error {
	rest := k
	for {
		mod, after, ok := strings.Cut(rest, "+")
		if !ok || after == "" || !slices.Contains(modifiers, mod) {
			break
		}
		rest = after
	}
	if utf8.RuneCountInString(rest) == 1 {
		r, _ := utf8.DecodeRuneInString(rest)
		if unicode.IsPrint(r) && !unicode.IsSpace(r) {
			return nil
		}
	}
	if slices.Contains(namedKeys, rest) {
		return nil
	}
	return &NameError{Kind: "key", Name: k, Known: namedKeys}
}

// helpKeys is how the help shows a list of keys.
func helpKeys(keys []string) string {
	pretty := map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→", "pgdown": "pgdn"}
	var out []string
	for _, k := range keys {
		if p, ok := pretty[k]; ok {
			k = p
		}
		out = append(out, k)
	}
	return strings.Join(out, "/")
}

// Group is a titled column of the help.
type Group struct {
	Title    string
	Bindings []key.Binding
}

// Help returns the help for a focused context: the global keys in the
// columns of FullHelp, then the context's own keys.
func (s Set) Help(c Context) []Group {
	g := s.Map(Global).FullHelp()
	own := Group{"Moving", g[1]}
	if c != Global {
		km := s.Map(c)
		own = Group{capitalize(string(c)), nil}
		for _, a := range actions(c) {
			own.Bindings = append(own.Bindings, *a.field(&km))
		}
	}
	// open acts in the panes, and is in their own column.
	items := slices.DeleteFunc(slices.Clone(g[2]), func(b key.Binding) bool { return b.Help().Desc == "read item" })
	return []Group{{"Panes", g[0]}, own, {"Items", items}, {"Views", g[3]}}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Markdown is the README's key table for the set: one row per context and
// action, with its keys and what it does.
func (s Set) Markdown() string {
	var b strings.Builder
	b.WriteString("| context | action | keys | does |\n| --- | --- | --- | --- |\n")
	for _, c := range Contexts() {
		km := s.Map(c)
		for _, a := range actions(c) {
			bd := *a.field(&km)
			ks := make([]string, 0, len(bd.Keys()))
			for _, k := range bd.Keys() {
				ks = append(ks, "`"+k+"`")
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", c, a.name, strings.Join(ks, " "), bd.Help().Desc)
		}
	}
	return b.String()
}

// Keys returns the keys of an action in a context, none when it is
// unbound or unknown.
func (s Set) Keys(c Context, action string) []string {
	return s.binding(Binding{c, action}).Keys()
}
