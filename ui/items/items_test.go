package items

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/internal/pane"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

func update(m Model, msg tea.Msg) (Model, tea.Cmd) { return m.Update(msg) }

func now() time.Time { return uitest.Now }

func newPane(src *uitest.Source, w, h int) Model {
	m := New(src, keys.DefaultKeyMap(), theme.New(true, false), now)
	m.SetSize(w, h)
	m.Focus()
	return m
}

func show(m Model, f store.Filter) Model {
	m, cmd := m.SetFilter(f, "test")
	m, _ = drive.Loop(m, update, cmd)
	return m
}

func press(m Model, keys ...tea.KeyPressMsg) (Model, []tea.Msg) {
	var all []tea.Msg
	for _, k := range keys {
		var msgs []tea.Msg
		m, msgs = drive.Loop(m, update, func() tea.Msg { return k })
		all = append(all, msgs...)
	}
	return m, all
}

var (
	down   = tea.KeyPressMsg{Code: 'j', Text: "j"}
	bottom = tea.KeyPressMsg{Code: 'G', Text: "G"}
	top    = tea.KeyPressMsg{Code: 'g', Text: "g"}
	enter  = tea.KeyPressMsg{Code: tea.KeyEnter}
)

func TestFilterLoadsOnlyAWindow(t *testing.T) {
	src := uitest.NewLarge(100_000)
	m := newPane(src, 80, 21)
	m = show(m, store.Filter{})
	if c := m.Counts(); c.Total != 100_000 {
		t.Fatalf("total = %d", c.Total)
	}
	_, n := m.Window()
	if n == 0 || n > 100 {
		t.Errorf("window holds %d items; want a screenful plus margins", n)
	}
	m, _ = press(m, bottom)
	cursor, _ := m.Cursor()
	if cursor != 99_999 {
		t.Errorf("cursor after G = %d", cursor)
	}
	it, ok := m.Selected()
	if !ok || it.ID != 1 {
		t.Errorf("selected after G = %d, %v; want the oldest item (ID 1)", it.ID, ok)
	}
	for _, c := range src.Calls() {
		if c.Method == "Items" && (c.Filter.Limit == 0 || c.Filter.Limit > 100) {
			t.Errorf("Items called with Limit %d", c.Filter.Limit)
		}
	}
	if !strings.Contains(ansi.Strip(m.View()), "100000") {
		t.Errorf("title lacks the total:\n%s", ansi.Strip(m.View()))
	}
}

func TestStaleAnswersDropped(t *testing.T) {
	src := uitest.New()
	m := newPane(src, 80, 10)
	m, old := m.SetFilter(store.Filter{Firms: []string{"huawei"}}, "Huawei")
	m, cur := m.SetFilter(store.Filter{Firms: []string{"biren"}}, "Biren")
	for _, msg := range append(drive.Msgs(cur), drive.Msgs(old)...) {
		m, _ = m.Update(msg)
	}
	it, _ := m.Selected()
	found := false
	for _, f := range it.Firms {
		found = found || f == "biren"
	}
	if !found {
		t.Errorf("selected item %q does not name Biren: the stale answer won", it.Title)
	}
}

func TestReloadKeepsCursorOnItem(t *testing.T) {
	tests := []struct {
		name    string
		moves   int // rows moved down before the reload
		added   int
		wantRow func(before int) int
	}{
		// Scrolled down: the item stays on its screen row.
		{"a few new items", 14, 3, func(b int) int { return b }},
		{"more new items than the window", 14, 150, func(b int) int { return b }},
		// At the top: the new items show above and the row moves down.
		{"at the top", 4, 3, func(b int) int { return b + 3 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := uitest.NewLarge(500)
			m := newPane(src, 80, 11)
			m = show(m, store.Filter{})
			for range tt.moves {
				m, _ = press(m, down)
			}
			want := m.SelectedID()
			_, rowBefore := cursorRow(m)
			for i := range tt.added {
				src.AddItem(1, "en", "Breaking: Huawei news", "", uitest.Now.Add(time.Duration(i+1)*time.Minute))
			}
			m, cmd := m.Reload()
			m, _ = drive.Loop(m, update, cmd)
			if m.SelectedID() != want {
				t.Errorf("selected %d after reload, want %d", m.SelectedID(), want)
			}
			if c := m.Counts(); c.Total != 500+tt.added {
				t.Errorf("total = %d", c.Total)
			}
			if _, row := cursorRow(m); row != tt.wantRow(rowBefore) {
				t.Errorf("selected row on screen moved from %d to %d, want %d", rowBefore, row, tt.wantRow(rowBefore))
			}
		})
	}
}

// cursorRow returns the cursor index and its row on screen.
func cursorRow(m Model) (int, int) {
	c, off := m.Cursor()
	return c, c - off
}

func TestToggleReadIsOptimisticAndWritten(t *testing.T) {
	src := uitest.New()
	m := newPane(src, 80, 10)
	m = show(m, store.Filter{})
	it, _ := m.Selected()
	if it.Read {
		t.Fatal("first item is already read")
	}
	unread := m.Counts().Unread
	m, cmd := m.ToggleRead()
	if got, _ := m.Selected(); !got.Read || m.Counts().Unread != unread-1 {
		t.Errorf("not marked at once: read=%v unread=%d", got.Read, m.Counts().Unread)
	}
	if read, _, _ := src.ItemState(it.ID); read {
		t.Error("written before the command ran")
	}
	msgs := drive.Msgs(cmd)
	if len(msgs) != 1 {
		t.Fatalf("got %d messages", len(msgs))
	}
	mk, ok := msgs[0].(MarkedMsg)
	if !ok || mk.Err != nil || mk.Field != "read" || !mk.Value || mk.Version == 0 {
		t.Errorf("MarkedMsg = %+v", msgs[0])
	}
	if read, _, _ := src.ItemState(it.ID); !read {
		t.Error("the store was not written")
	}
}

func TestToggleStar(t *testing.T) {
	src := uitest.New()
	m := newPane(src, 80, 10)
	m = show(m, store.Filter{})
	it, _ := m.Selected()
	m, cmd := m.ToggleStar()
	drive.Msgs(cmd)
	if _, starred, _ := src.ItemState(it.ID); starred == it.Starred {
		t.Error("star not written")
	}
	if got, _ := m.Selected(); got.Starred == it.Starred {
		t.Error("star not shown at once")
	}
}

func TestEnterOpensAndMovesSelect(t *testing.T) {
	src := uitest.New()
	m := newPane(src, 80, 10)
	m = show(m, store.Filter{})
	m, msgs := press(m, down, enter)
	var sel, open []int64
	for _, msg := range msgs {
		switch msg := msg.(type) {
		case SelectedMsg:
			sel = append(sel, msg.ID)
		case OpenMsg:
			open = append(open, msg.ID)
		}
	}
	if len(sel) != 1 || sel[0] != m.SelectedID() {
		t.Errorf("SelectedMsg = %v, want [%d]", sel, m.SelectedID())
	}
	if len(open) != 1 || open[0] != m.SelectedID() {
		t.Errorf("OpenMsg = %v", open)
	}
}

func TestRowsFitWithWideAndRTLTitles(t *testing.T) {
	for _, w := range []int{30, 45, 60, 100} {
		src := uitest.New()
		m := newPane(src, w, 22)
		m = show(m, store.Filter{})
		lines := strings.Split(m.View(), "\n")
		if len(lines) != 22 {
			t.Errorf("w=%d: %d lines", w, len(lines))
		}
		for _, l := range lines {
			if got := ansi.StringWidth(l); got != w {
				t.Errorf("w=%d: line is %d cells: %q", w, got, ansi.Strip(l))
			}
		}
		view := ansi.Strip(m.View())
		if !strings.Contains(view, "华为") || !strings.Contains(view, "ويضم") {
			t.Errorf("w=%d: Chinese or Arabic title missing:\n%s", w, view)
		}
	}
}

func TestUnreadAndSanctionsMarks(t *testing.T) {
	src := uitest.New()
	m := newPane(src, 100, 22)
	m = show(m, store.Filter{})
	m.Blur()
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
		switch {
		case strings.Contains(l, "Chinese AI firms join forces"):
			if !strings.HasPrefix(l, theme.MarkUnread) || !strings.Contains(l, theme.MarkSanctions) {
				t.Errorf("unread sanctions item lacks marks: %q", l)
			}
		case strings.Contains(l, "Iluvatar CoreX unveils"):
			if strings.HasPrefix(l, theme.MarkUnread) || strings.Contains(l, theme.MarkSanctions) {
				t.Errorf("read item has marks: %q", l)
			}
		}
	}
}

func TestEmptyUnreadOnly(t *testing.T) {
	src := uitest.New()
	m := newPane(src, 60, 5)
	m = show(m, store.Filter{Firms: []string{"nobody"}, Unread: store.Yes})
	if !strings.Contains(ansi.Strip(m.View()), "no unread items") {
		t.Errorf("view:\n%s", ansi.Strip(m.View()))
	}
	if m.SelectedID() != 0 {
		t.Error("something is selected in an empty list")
	}
}

func TestMovesDuringAReloadAreKept(t *testing.T) {
	src := uitest.New()
	m := newPane(src, 80, 10)
	m = show(m, store.Filter{})
	m, reload := m.Reload() // asked for with the cursor on the first item
	m, _ = press(m, down, down)
	want := m.SelectedID()
	src.AddItem(1, "en", "Arrives during the reload", "", uitest.Now.Add(time.Minute))
	m, _ = drive.Loop(m, update, reload)
	if got := m.SelectedID(); got != want {
		t.Errorf("the reload moved the cursor to %d, want %d", got, want)
	}
}

// TestCountStopsUntilTheEndIsNear: a search matching many items is
// counted up to pane.CountUpTo and shown as "1000+"; moving near the end,
// or G, counts it in full, and G then lands on the last match.
func TestCountStopsUntilTheEndIsNear(t *testing.T) {
	src := uitest.NewLarge(100_000)
	f := store.Filter{Text: []string{"huawei"}}
	exact, err := src.CountItems(t.Context(), f)
	if err != nil || exact.Total <= pane.CountUpTo || exact.More {
		t.Fatalf("the fixture matches %+v (%v); the test needs more than %d", exact, err, pane.CountUpTo)
	}
	src.ResetCalls()
	m := newPane(src, 80, 21)
	m = show(m, f)
	c := m.Counts()
	if c.Total != pane.CountUpTo || !c.More {
		t.Fatalf("counts = %+v, want %d and more", c, pane.CountUpTo)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "1000+ · ") || !strings.Contains(v, "+ unread") {
		t.Errorf("the title does not say the count stopped:\n%s", v)
	}
	full := func() int {
		n := 0
		for _, c := range src.Calls() {
			if c.Method == "CountItems" && c.Filter.CountUpTo == 0 {
				n++
			}
		}
		return n
	}
	m, _ = press(m, down, down, down)
	if n := full(); n != 0 {
		t.Errorf("moving near the top counted in full %d times", n)
	}

	m, _ = press(m, bottom)
	if n := full(); n != 1 {
		t.Errorf("G counted in full %d times, want once", n)
	}
	if c := m.Counts(); c != exact {
		t.Errorf("counts after G = %+v, want the exact %+v", c, exact)
	}
	cursor, _ := m.Cursor()
	if cursor != exact.Total-1 {
		t.Errorf("cursor after G = %d, want the last match, %d", cursor, exact.Total-1)
	}
	all := f
	all.Offset, all.Limit = exact.Total-1, 1
	last, err := src.Items(t.Context(), all)
	if it, ok := m.Selected(); err != nil || len(last) != 1 || !ok || it.ID != last[0].ID {
		t.Errorf("selected after G = %d, %v; want the oldest match %v (%v)", it.ID, ok, last, err)
	}
	if v := ansi.Strip(m.View()); strings.Contains(v, "+") {
		t.Errorf("the title still says the count stopped:\n%s", v)
	}

	// A reload counts in full from then on: the cursor is past the cap.
	m, cmd := m.Reload()
	m, _ = drive.Loop(m, update, cmd)
	if c := m.Counts(); c != exact {
		t.Errorf("counts after a reload = %+v, want %+v", c, exact)
	}
	if cursor, _ := m.Cursor(); cursor != exact.Total-1 {
		t.Errorf("a reload moved the cursor to %d", cursor)
	}
	// A new filter stops its count again.
	m = show(m, store.Filter{Text: []string{"biren"}})
	if c := m.Counts(); !c.More {
		t.Errorf("counts of a new filter = %+v, want them stopped", c)
	}
}

// TestCountScrolledNearTheCap: moving down to the last rows of a count
// that stopped counts in full, so the list goes on past the cap.
func TestCountScrolledNearTheCap(t *testing.T) {
	src := uitest.NewLarge(100_000)
	f := store.Filter{Text: []string{"huawei"}}
	exact, _ := src.CountItems(t.Context(), f)
	if exact.Total <= pane.CountUpTo+10 {
		t.Fatalf("the fixture matches %+v; the test needs more than %d", exact, pane.CountUpTo+10)
	}
	m := newPane(src, 80, 21)
	m = show(m, f)
	m.nav.SetCursor(pane.CountUpTo - 40)
	m, _ = drive.Loop(m, update, m.ensureWindow())
	if c := m.Counts(); !c.More {
		t.Fatalf("counted in full 40 rows before the cap: %+v", c)
	}
	for range 30 {
		m, _ = press(m, down)
	}
	if c := m.Counts(); c != exact {
		t.Fatalf("counts 10 rows before the cap = %+v, want %+v", c, exact)
	}
	for range 20 {
		m, _ = press(m, down)
	}
	if cursor, _ := m.Cursor(); cursor != pane.CountUpTo+10 {
		t.Errorf("cursor = %d, want %d: the list stopped at the cap", cursor, pane.CountUpTo+10)
	}
	if _, ok := m.Selected(); !ok {
		t.Error("no item under the cursor past the cap")
	}
}
