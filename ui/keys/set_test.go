package keys

import (
	"errors"
	"flag"
	"os"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

var update = flag.Bool("update", false, "rewrite the README's key table")

func press(s string) tea.KeyPressMsg {
	return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
}

func TestDefaultSetHasNoConflicts(t *testing.T) {
	if c := DefaultSet().Conflicts(); len(c) > 0 {
		t.Fatalf("default keys conflict: %v", c)
	}
}

func TestBind(t *testing.T) {
	s := DefaultSet()
	if err := s.Bind(News, "down", []string{"n"}); err != nil {
		t.Fatal(err)
	}
	news := s.Map(News)
	if !key.Matches(press("n"), news.Down) {
		t.Error("n does not move down in the news")
	}
	if key.Matches(press("j"), news.Down) {
		t.Error("j still moves down in the news: a listed action replaces its defaults")
	}
	if !key.Matches(press("j"), s.Map(Firms).Down) {
		t.Error("the firms pane lost its j")
	}
	if got := news.Down.Help().Key; got != "n" {
		t.Errorf("help shows %q, want n", got)
	}
	if err := s.Bind(News, "open", nil); err != nil {
		t.Fatal(err)
	}
	if s.Map(News).Open.Enabled() {
		t.Error("an empty list left open bound")
	}
	if len(s.Conflicts()) > 0 {
		t.Errorf("conflicts: %v", s.Conflicts())
	}
}

func TestBindErrors(t *testing.T) {
	tests := []struct {
		name    string
		ctx     Context
		action  string
		keys    []string
		wantErr string
	}{
		{"unknown context", "newz", "down", []string{"n"}, `unknown context "newz"`},
		{"unknown action", News, "dwn", []string{"n"}, `unknown action in news "dwn"`},
		{"global action in a pane", News, "quit", []string{"x"}, `unknown action in news "quit"`},
		{"unknown key", News, "down", []string{"entr"}, `unknown key "entr"`},
		{"bad modifier", News, "down", []string{"hyper+x"}, `unknown key "hyper+x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSet()
			err := s.Bind(tt.ctx, tt.action, tt.keys)
			var ne *NameError
			if !errors.As(err, &ne) || err.Error() != tt.wantErr {
				t.Fatalf("err = %v, want %s", err, tt.wantErr)
			}
			if len(ne.Known) == 0 {
				t.Error("no known names to suggest from")
			}
		})
	}
}

func TestCheckKey(t *testing.T) {
	for _, k := range []string{"n", "G", "?", "/", "enter", "ctrl+s", "shift+tab", "alt+enter", "pgdown", "f5", "ctrl+alt+x", "é"} {
		if err := CheckKey(k); err != nil {
			t.Errorf("CheckKey(%q) = %v", k, err)
		}
	}
	for _, k := range []string{"", "nn", "ctrl+", "enter ", "space bar", "\x1b"} {
		if CheckKey(k) == nil {
			t.Errorf("CheckKey(%q) accepted", k)
		}
	}
}

func TestConflicts(t *testing.T) {
	tests := []struct {
		name    string
		ctx     Context
		action  string
		keys    []string
		wantKey string
		wantA   string
		wantB   string
	}{
		{"two actions of one pane", News, "down", []string{"k"}, "k", "news.down", "news.up"},
		{"a pane key over a global key", News, "down", []string{"r"}, "r", "news.down", "global.toggle_read"},
		{"two global actions", Global, "quit", []string{"?"}, "?", "global.quit", "global.help"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSet()
			if err := s.Bind(tt.ctx, tt.action, tt.keys); err != nil {
				t.Fatal(err)
			}
			cs := s.Conflicts()
			if len(cs) != 1 {
				t.Fatalf("conflicts = %v, want one", cs)
			}
			c := cs[0]
			if c.Key != tt.wantKey || c.A.String() != tt.wantA || c.B.String() != tt.wantB {
				t.Errorf("conflict = %s %s %s, want %s %s %s", c.Key, c.A, c.B, tt.wantKey, tt.wantA, tt.wantB)
			}
		})
	}
	// The filter bar is typed into: the global keys do not act there.
	s := DefaultSet()
	if err := s.Bind(Filter, "save_view", []string{"q"}); err != nil {
		t.Fatal(err)
	}
	if cs := s.Conflicts(); len(cs) > 0 {
		t.Errorf("filter key conflicts with a global one: %v", cs)
	}
}

func TestHelpFollowsTheSet(t *testing.T) {
	s := DefaultSet()
	if err := s.Bind(News, "down", []string{"n"}); err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, g := range s.Help(News) {
		for _, b := range g.Bindings {
			if b.Help().Desc == "down" {
				found = true
				if b.Help().Key != "n" {
					t.Errorf("help for news shows down as %q", b.Help().Key)
				}
			}
		}
	}
	if !found {
		t.Error("help for news has no down")
	}
}

// TestREADMEKeyTable keeps the README's key table the default keymap's.
// Run with -update to rewrite it.
func TestREADMEKeyTable(t *testing.T) {
	const path = "../../README.md"
	const begin, end = "<!-- keys:begin (generated from ui/keys; go test ./ui/keys -update) -->\n", "<!-- keys:end -->"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README has no key table between %q and %q", begin, end)
	}
	want := DefaultSet().Markdown()
	got := readme[i+len(begin) : j]
	if got == want {
		return
	}
	if *update {
		readme = readme[:i+len(begin)] + want + readme[j:]
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README's key table is out of date; run go test ./ui/keys -update\ngot:\n%s\nwant:\n%s", got, want)
}
