package ui

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/alliances"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

// viewStore holds views as the store and the config file would.
type viewStore struct {
	mu    sync.Mutex
	views []store.View
}

func (v *viewStore) list(context.Context) ([]store.View, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return slices.Clone(v.views), nil
}

func (v *viewStore) save(_ context.Context, name, q string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, x := range v.views {
		if strings.EqualFold(x.Name, name) {
			return errors.New("a view named " + x.Name + " exists")
		}
	}
	v.views = append(v.views, store.View{Name: name, Query: q, Source: "store"})
	return nil
}

func viewConfig(src *uitest.Source, vs *viewStore) Config {
	cfg := testConfig(src)
	cfg.Views, cfg.SaveView = vs.list, vs.save
	return cfg
}

func TestViewsGroup(t *testing.T) {
	src := uitest.New()
	vs := &viewStore{views: []store.View{{Name: "Huawei unread", Query: "firm:huawei is:unread", Source: "file"}}}
	m := start(t, viewConfig(src, vs), 120, 40)
	s := screen(m)
	want, _ := src.CountItems(context.Background(), store.Filter{Firms: []string{"huawei"}, Unread: store.Yes})
	if !strings.Contains(s, "⌕ Huawei unread") || !strings.Contains(s, "config · ") {
		t.Fatalf("the view is not on the first screen:\n%s", s)
	}
	if !strings.Contains(s, "config · "+itoa(want.Unread)+" unread") {
		t.Errorf("the view's unread count (%d) is not shown:\n%s", want.Unread, s)
	}
	// Selecting the view shows its items in the news pane.
	for m.alliances.Selected() != alliances.ViewID("Huawei unread") {
		before := m.alliances.Selected()
		m = press(m, "j")
		if m.alliances.Selected() == before {
			t.Fatal("cannot reach the view's row")
		}
	}
	f := m.items.Filter()
	if !slices.Equal(f.Firms, []string{"huawei"}) || f.Unread != store.Yes {
		t.Errorf("news filter for the view: %+v", f)
	}
	if m.firms.Alliance() != alliances.AllFirms {
		t.Errorf("the firms pane follows a view as an alliance: %q", m.firms.Alliance())
	}
	// enter goes to its news; marking an item read lowers the count.
	m = press(m, "enter")
	if m.focus != paneItems {
		t.Fatalf("enter on a view focuses %d, want the news", m.focus)
	}
	m = press(m, "r")
	if c := m.alliances.Counts(alliances.ViewID("Huawei unread")); c.Unread != want.Unread-1 {
		t.Errorf("after marking one read the view counts %d unread, want %d", c.Unread, want.Unread-1)
	}
}

func TestSaveViewFromFilterBar(t *testing.T) {
	src := uitest.New()
	vs := &viewStore{views: []store.View{{Name: "Chips", Query: "firm:biren", Source: "store"}}}
	m := start(t, viewConfig(src, vs), 120, 40)
	m = press(m, "/")
	m = typeText(m, "firm:huawei")
	m = press(m, "ctrl+s")
	if !m.filter.Naming() || !strings.Contains(screen(m), "view name:") {
		t.Fatalf("ctrl+s does not ask for a name:\n%s", screen(m))
	}
	m = typeText(m, "chips")
	m = press(m, "enter")
	if !strings.Contains(screen(m), "exists") {
		t.Errorf("a name clash is not reported:\n%s", screen(m))
	}
	m = press(m, "/", "ctrl+s")
	m = typeText(m, "Huawei news")
	m = press(m, "enter")
	if len(vs.views) != 2 || vs.views[1].Name != "Huawei news" || vs.views[1].Query != "firm:huawei" {
		t.Fatalf("views stored: %+v", vs.views)
	}
	s := screen(m)
	if !strings.Contains(s, "⌕ Huawei news") || !strings.Contains(s, "saved · ") {
		t.Errorf("the saved view is not in the alliances pane:\n%s", s)
	}
	if m.filter.Query() != "firm:huawei" {
		t.Errorf("saving dropped the query in force: %q", m.filter.Query())
	}
	// esc while naming goes back to the query.
	m = press(m, "/", "ctrl+s", "esc")
	if m.filter.Naming() || m.filter.Value() != "firm:huawei" {
		t.Errorf("esc while naming: naming %v, value %q", m.filter.Naming(), m.filter.Value())
	}
}

// TestRemappedKeyProgram runs the dashboard with news down mapped to n:
// 3 n enter opens the second news item.
func TestRemappedKeyProgram(t *testing.T) {
	src := uitest.New()
	cfg := testConfig(src)
	if err := cfg.Keys.Bind(keys.News, "down", []string{"n"}); err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, New(cfg), teatest.WithInitialTermSize(120, 40))
	t.Cleanup(func() { _ = tm.Quit() })
	waitForCall(t, src, "the first news load", itemsFor())
	sendKeys(tm, "3", "n", "enter")
	waitForCall(t, src, "an item marked read", func(c uitest.Call) bool { return c.Method == "SetRead" })
	sendKeys(tm, "q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	first, _ := src.Items(context.Background(), store.Filter{Limit: 2})
	if len(first) < 2 {
		t.Fatal("the fake store has fewer than two items")
	}
	if fm.focus != paneReader || fm.items.SelectedID() != first[1].ID {
		t.Errorf("3 n enter: focus %d on item %d, want the reader on the second item %d", fm.focus, fm.items.SelectedID(), first[1].ID)
	}
	if !bytes.Contains([]byte(screen(fm)), []byte(first[1].Title[:10])) {
		t.Errorf("the reader does not show %q:\n%s", first[1].Title, screen(fm))
	}
	// j no longer moves down in the news.
	m := start(t, cfg, 120, 40)
	m = press(m, "3", "j")
	if m.items.SelectedID() != first[0].ID {
		t.Errorf("j still moves down in the news")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestCountsThatStopShowAPlus: a search matching more than
// pane.CountUpTo (1,000) items says so with a "+" in the view's row, the news
// pane's title, the filter bar and the "mark all read" question; G in the
// news counts them in full and goes to the last.
func TestCountsThatStopShowAPlus(t *testing.T) {
	src := uitest.NewLarge(100_000)
	vs := &viewStore{views: []store.View{{Name: "Huawei words", Query: "huawei", Source: "file"}}}
	m := start(t, viewConfig(src, vs), 120, 40)
	if s := screen(m); !regexp.MustCompile(`config · \d+\+ unr`).MatchString(s) {
		t.Errorf("the view's row does not say its count stopped:\n%s", s)
	}
	m = press(m, "/")
	m = typeText(m, "huawei")
	s := screen(m)
	if !strings.Contains(s, "1000+ matches") {
		t.Errorf("the filter bar does not say its count stopped:\n%s", s)
	}
	if !regexp.MustCompile(`3 News .* 1000\+ · \d+\+ unread`).MatchString(s) {
		t.Errorf("the news title does not say its count stopped:\n%s", s)
	}
	m = press(m, "enter", "3", "R")
	if s := screen(m); !regexp.MustCompile(`Mark \d+\+ items in this view read\?`).MatchString(s) {
		t.Errorf("mark all read does not say the count is a lower bound:\n%s", s)
	}
	m = press(m, "esc")
	// G in the news counts the matches in full and goes to the last.
	exact, _ := src.CountItems(context.Background(), m.items.Filter())
	m = press(m, "G")
	if c := m.items.Counts(); c != exact {
		t.Errorf("after G the news counts %+v, want the full %+v", c, exact)
	}
	if !regexp.MustCompile(`3 News .* ` + itoa(exact.Total) + ` · \d+ unread`).MatchString(screen(m)) {
		t.Errorf("after G the news title does not show the full count %d:\n%s", exact.Total, screen(m))
	}
	if cursor, _ := m.items.Cursor(); cursor != exact.Total-1 {
		t.Errorf("after G the cursor is on %d, want the last match, %d", cursor, exact.Total-1)
	}

}
