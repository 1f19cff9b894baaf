package ui

import (
	"errors"
	"fmt"
	"image/color"
	"regexp"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/reader"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

func TestLinkedPanes(t *testing.T) {
	src := uitest.New()
	m := start(t, testConfig(src), 200, 50)

	// Moving in the alliances pane pushes the alliance into the firms pane,
	// the news (the alliance or any member) and the reader.
	m = press(m, "j")
	if got := m.firms.Alliance(); got != uitest.ModelChip {
		t.Fatalf("firms pane shows %q", got)
	}
	if f := m.items.Filter(); !slices.Equal(f.Alliances, []string{uitest.ModelChip}) || len(f.Firms) != 0 {
		t.Errorf("news filter = %+v, want the alliance", f)
	}
	if m.reader.Mode() != reader.ModeAlliance {
		t.Errorf("reader mode = %v, want the alliance card", m.reader.Mode())
	}

	// Entering the firms pane narrows the news to the selected firm.
	m = press(m, "tab")
	if f := m.items.Filter(); !slices.Equal(f.Firms, []string{"stepfun"}) || len(f.Alliances) != 0 {
		t.Errorf("news filter = %+v, want the firm stepfun", f)
	}
	m = press(m, "j")
	if m.firms.SelectedID() != "huawei" || !slices.Equal(m.items.Filter().Firms, []string{"huawei"}) {
		t.Errorf("after j: firm %q, news %+v", m.firms.SelectedID(), m.items.Filter())
	}
	if m.reader.FirmID() != "huawei" {
		t.Errorf("reader shows firm %q", m.reader.FirmID())
	}

	// Entering the news shows the selected item in the reader; enter
	// focuses the reader and marks the item read.
	m = press(m, "tab")
	it, ok := m.items.Selected()
	if !ok || !slices.Contains(it.Firms, "huawei") {
		t.Fatalf("selected item %+v does not name Huawei", it)
	}
	if got, _ := m.reader.Item(); got.ID != it.ID {
		t.Errorf("reader shows item %d, want %d", got.ID, it.ID)
	}
	m = press(m, "j", "enter")
	it, _ = m.items.Selected()
	if m.focus != paneReader {
		t.Errorf("focus = %v after enter", m.focus)
	}
	if read, _, _ := src.ItemState(it.ID); !read {
		t.Error("opening the item did not mark it read in the store")
	}
	if got, _ := m.reader.Item(); got.ID != it.ID {
		t.Errorf("reader shows item %d, want %d", got.ID, it.ID)
	}
	checkScreen(t, m, 200, 50)
}

func TestBackToAlliancesWidensNews(t *testing.T) {
	m := start(t, testConfig(uitest.New()), 120, 40)
	m = press(m, "j", "tab", "j", "1")
	if f := m.items.Filter(); len(f.Firms) != 0 || !slices.Equal(f.Alliances, []string{uitest.ModelChip}) {
		t.Errorf("news filter = %+v, want the alliance again", f)
	}
	// Jumping straight to the news keeps the alliance's news.
	m = press(m, "3")
	if f := m.items.Filter(); !slices.Equal(f.Alliances, []string{uitest.ModelChip}) {
		t.Errorf("news filter = %+v", f)
	}
}

func TestFilterBarCombinesWithSelection(t *testing.T) {
	tests := []struct {
		name      string
		nav       []string
		query     string
		wantFirms []string
		wantAll   []string
		wantLangs []string
	}{
		{"by firm", nil, "firm:biren", []string{"biren"}, nil, nil},
		{"by alliance", nil, "alliance:shanghai-gcc-ai", nil, []string{uitest.ShanghaiGCC}, nil},
		{"AND with the selected firm", []string{"j", "tab", "j"}, "lang:zh", []string{"huawei"}, nil, []string{"zh"}},
		{"AND with the selected alliance", []string{"j"}, "firm:华为", []string{"huawei"}, []string{uitest.ModelChip}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := uitest.New()
			m := start(t, testConfig(src), 120, 40)
			m = press(m, tt.nav...)
			m = press(m, "/")
			m = typeText(m, tt.query)
			f := m.items.Filter()
			if !slices.Equal(f.Firms, tt.wantFirms) || !slices.Equal(f.Alliances, tt.wantAll) || !slices.Equal(f.Langs, tt.wantLangs) {
				t.Errorf("news filter = firms %v alliances %v langs %v", f.Firms, f.Alliances, f.Langs)
			}
			want, _ := src.CountItems(t.Context(), f)
			if want.Total == 0 {
				t.Fatal("the filter matches nothing; the case proves little")
			}
			if got := m.items.Counts(); got != want {
				t.Errorf("news counts %+v, store says %+v", got, want)
			}
			if s := screen(m); !strings.Contains(s, fmt.Sprintf("%d match", want.Total)) {
				t.Errorf("the bar does not show the match count %d:\n%s", want.Total, s)
			}
		})
	}
}

func TestMalformedQueryIsInlineError(t *testing.T) {
	src := uitest.New()
	m := start(t, testConfig(src), 80, 24)
	m = press(m, "/")
	m = typeText(m, "firm")
	before := m.items.Filter()
	m = typeText(m, ":")
	s := screen(m)
	if !strings.Contains(s, "empty value") || !strings.Contains(s, "invalid query") {
		t.Errorf("no inline error:\n%s", s)
	}
	if fmt.Sprint(m.items.Filter()) != fmt.Sprint(before) {
		t.Errorf("a malformed query changed the news: %+v", m.items.Filter())
	}
	checkScreen(t, m, 80, 24)
	m = press(m, "esc")
	if m.filter.Visible() || strings.Contains(screen(m), "invalid query") {
		t.Errorf("esc did not clear the bar:\n%s", screen(m))
	}
}

func TestMarkReadKeepsCountsRight(t *testing.T) {
	src := uitest.New()
	m := start(t, testConfig(src), 200, 50)
	all := m.alliances.Counts("")
	m = press(m, "3")
	it, _ := m.items.Selected()
	if it.Read {
		t.Fatal("first item already read")
	}
	m = press(m, "r")
	if read, _, _ := src.ItemState(it.ID); !read {
		t.Fatal("r did not write to the store")
	}
	if got := m.alliances.Counts(""); got.Unread != all.Unread-1 {
		t.Errorf("all-items unread %d, want %d", got.Unread, all.Unread-1)
	}
	if want, _ := src.CountItems(t.Context(), m.items.Filter()); m.items.Counts() != want {
		t.Errorf("news counts %+v, store %+v", m.items.Counts(), want)
	}
	want, _ := src.FirmCounts(t.Context())
	for _, f := range it.Firms {
		if got := m.firms.Counts(f); got != want[f] {
			t.Errorf("firm %s counts %+v, store %+v", f, got, want[f])
		}
	}
	m = press(m, "r")
	if read, _, _ := src.ItemState(it.ID); read {
		t.Error("second r did not mark it unread")
	}
	m = press(m, "s")
	if _, starred, _ := src.ItemState(it.ID); starred == it.Starred {
		t.Error("s did not star")
	}
}

func TestMarkAllReadAsksFirst(t *testing.T) {
	src := uitest.New()
	m := start(t, testConfig(src), 120, 40)
	m = press(m, "j", "tab", "j") // Huawei
	unread := m.items.Counts().Unread
	if unread == 0 {
		t.Fatal("nothing unread about Huawei")
	}
	m = press(m, "R")
	if s := screen(m); !strings.Contains(s, fmt.Sprintf("Mark %d items in this view read?", unread)) {
		t.Fatalf("no confirmation with the count:\n%s", s)
	}
	m = press(m, "n")
	if c, _ := src.CountItems(t.Context(), m.items.Filter()); c.Unread != unread {
		t.Fatal("n marked items anyway")
	}
	m = press(m, "R", "y")
	if c, _ := src.CountItems(t.Context(), m.items.Filter()); c.Unread != 0 {
		t.Errorf("%d still unread", c.Unread)
	}
	if m.items.Counts().Unread != 0 {
		t.Errorf("news still counts %d unread", m.items.Counts().Unread)
	}
	if c, _ := src.CountItems(t.Context(), store.Filter{}); c.Unread == 0 {
		t.Error("items outside the view were marked too")
	}
}

func TestUnreadOnly(t *testing.T) {
	m := start(t, testConfig(uitest.New()), 120, 40)
	m = press(m, "u")
	if m.items.Filter().Unread != store.Yes {
		t.Fatalf("filter = %+v", m.items.Filter())
	}
	if c := m.items.Counts(); c.Total != c.Unread {
		t.Errorf("unread only shows %d items of which %d unread", c.Total, c.Unread)
	}
	m = press(m, "u")
	if m.items.Filter().Unread != store.Any {
		t.Error("u did not toggle back")
	}
}

func TestAnotherProcessWritesKeepsCursor(t *testing.T) {
	src := uitest.New()
	m := start(t, testConfig(src), 120, 40)
	m = press(m, "3", "j", "j")
	want := m.items.SelectedID()
	src.AddItem(1, "en", "New Huawei item from another process", "", uitest.Now.Add(1))
	m, _ = drivenCheck(m)
	if got := m.items.SelectedID(); got != want {
		t.Errorf("selected %d after the reload, want %d", got, want)
	}
	if !strings.Contains(screen(m), "New Huawei item") {
		t.Errorf("the new item is not shown:\n%s", screen(m))
	}
	if c := m.alliances.Counts(""); c.Total != 21 {
		t.Errorf("counts not reloaded: %+v", c)
	}
}

// drivenCheck runs one data version check, as the poll does.
func drivenCheck(m Model) (Model, []tea.Msg) {
	var cmd tea.Cmd = checkDataVersion(m.cfg.Source, false)
	return drivenLoop(m, cmd)
}

func TestOwnWritesDoNotReload(t *testing.T) {
	src := uitest.New()
	m := start(t, testConfig(src), 120, 40)
	m = press(m, "3", "r")
	src.ResetCalls()
	m, _ = drivenCheck(m)
	for _, c := range src.Calls() {
		if c.Method == "Items" {
			t.Errorf("our own write caused a reload: %+v", c)
		}
	}
}

func TestResizeKeepsSelection(t *testing.T) {
	m := start(t, testConfig(uitest.New()), 200, 50)
	m = press(m, "j", "tab", "j", "tab", "j", "j")
	firm, item := m.firms.SelectedID(), m.items.SelectedID()
	for _, size := range [][2]int{{80, 24}, {120, 40}, {100, 30}, {159, 45}, {200, 50}, {60, 16}} {
		m = send(m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		if m.firms.SelectedID() != firm || m.items.SelectedID() != item {
			t.Errorf("%dx%d: selection %q/%d, want %q/%d", size[0], size[1], m.firms.SelectedID(), m.items.SelectedID(), firm, item)
		}
		checkScreen(t, m, size[0], size[1])
	}
}

func TestLayoutModes(t *testing.T) {
	tests := []struct {
		w, h  int
		want  layoutMode
		shown int
	}{
		{80, 24, layoutNarrow, 1},
		{99, 30, layoutNarrow, 1},
		{100, 30, layoutMiddle, 4},
		{159, 40, layoutMiddle, 4},
		{160, 40, layoutWide, 4},
		{250, 60, layoutWide, 4},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d", tt.w, tt.h), func(t *testing.T) {
			l := computeLayout(tt.w, tt.h, 1, paneItems)
			if l.mode != tt.want {
				t.Errorf("mode = %v, want %v", l.mode, tt.want)
			}
			shown := 0
			for p := range paneCount {
				r := l.panes[p]
				if r.w == 0 {
					continue
				}
				shown++
				if r.x < 0 || r.x+r.w > tt.w || r.y < 0 || r.y+r.h > tt.h-2 {
					t.Errorf("pane %d at %+v is off the screen", p, r)
				}
				for q := p + 1; q < paneCount; q++ {
					o := l.panes[q]
					if o.w > 0 && r.x < o.x+o.w && o.x < r.x+r.w && r.y < o.y+o.h && o.y < r.y+r.h {
						t.Errorf("panes %d and %d overlap", p, q)
					}
				}
			}
			if shown != tt.shown {
				t.Errorf("%d panes shown, want %d", shown, tt.shown)
			}
		})
	}
}

func TestMouse(t *testing.T) {
	m := start(t, testConfig(uitest.New()), 200, 50)
	l := computeLayout(200, 50, 0, m.focus)
	nr := l.panes[paneItems]
	m = send(m, tea.MouseWheelMsg{X: nr.x + 5, Y: nr.y + 2, Button: tea.MouseWheelDown})
	if c, _ := m.items.Cursor(); c != wheelStep {
		t.Errorf("wheel moved the news cursor to %d", c)
	}
	if m.focus != paneAlliances {
		t.Error("the wheel moved the focus")
	}
	fr := l.panes[paneFirms]
	// Click the third firm row: the title is row 0.
	m = send(m, tea.MouseClickMsg{X: fr.x + 2, Y: fr.y + 3, Button: tea.MouseLeft})
	if m.focus != paneFirms {
		t.Errorf("focus = %v after clicking the firms pane", m.focus)
	}
	if m.firms.SelectedID() != "cambricon" {
		t.Errorf("clicked firm = %q, want the third, cambricon", m.firms.SelectedID())
	}
}

func TestNarrowTabs(t *testing.T) {
	m := start(t, testConfig(uitest.New()), 80, 24)
	if !strings.Contains(screen(m), "1 Alliances  2 Firms  3 News  4 Reader") {
		t.Errorf("no tabs:\n%s", screen(m))
	}
	m = send(m, tea.MouseClickMsg{X: 16, Y: 0, Button: tea.MouseLeft}) // "2 Firms"
	if m.focus != paneFirms {
		t.Errorf("clicking the tab focused %v", m.focus)
	}
	m = press(m, "enter", "enter")
	if m.focus != paneReader {
		t.Errorf("enter from the news focused %v", m.focus)
	}
	if !strings.Contains(screen(m), "4 Reader") {
		t.Errorf("reader not shown:\n%s", screen(m))
	}
	checkScreen(t, m, 80, 24)
}

func TestLinks(t *testing.T) {
	var opened []string
	cfg := testConfig(uitest.New())
	cfg.OpenURL = func(u string) error { opened = append(opened, u); return nil }
	m := start(t, cfg, 120, 40)
	m = press(m, "3")
	it, _ := m.items.Selected()
	m = press(m, "o")
	if len(opened) != 1 || opened[0] != it.URL {
		t.Errorf("opened %v, want [%s]", opened, it.URL)
	}
	_, cmd := m.copyLink()
	msgs := drivenMsgs(cmd)
	if len(msgs) != 1 || fmt.Sprint(msgs[0]) != it.URL {
		t.Errorf("copy produced %v", msgs)
	}
}

func TestWebURL(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"https://www.reuters.com/technology/x", true},
		{"http://example.com", true},
		{"javascript:alert(1)", false},
		{"file:///etc/passwd", false},
		{"https://", false},
		{"https://example.com/\x1b[2J", false},
		{"-oProxyCommand=evil", false},
		{"https://user:secret@example.com/x", false},
		{"https://www.bank.com@evil.example/login", false},
		{"https://@example.com/", false},
		{"https://example.com/a@b", true},
	}
	for _, tt := range tests {
		if got := webURL(tt.url); got != tt.want {
			t.Errorf("webURL(%q) = %v", tt.url, got)
		}
	}
	if err := openInBrowser("https://user:secret@example.com/x"); err == nil {
		t.Error("openInBrowser opened a link with userinfo")
	}
	if err := openInBrowser("javascript:alert(1)"); err == nil {
		t.Error("openInBrowser opened a javascript: link")
	}
}

func TestRefresh(t *testing.T) {
	src := uitest.New()
	cfg := testConfig(src)
	cfg.Refresher = fakeRefresher{src: src, feeds: 5}
	m := start(t, cfg, 120, 40)
	m = press(m, "3", "j", "j")
	want := m.items.SelectedID()
	m = press(m, "F")
	if m.refresh.running {
		t.Error("still running after the refresh finished")
	}
	if s := screen(m); !strings.Contains(s, "fetched 5 feeds · 4 new · 1 failed") {
		t.Errorf("no summary in the status line:\n%s", s)
	}
	if m.items.SelectedID() != want {
		t.Errorf("the refresh moved the cursor to %d, want %d", m.items.SelectedID(), want)
	}
	if c := m.items.Counts(); c.Total != 24 {
		t.Errorf("news total %d after 4 new items", c.Total)
	}
}

func TestRefreshUnavailable(t *testing.T) {
	m := start(t, testConfig(uitest.New()), 80, 24)
	m = press(m, "F")
	if !strings.Contains(screen(m), "refresh is unavailable") {
		t.Errorf("status:\n%s", screen(m))
	}
}

func TestErrorsAreShortOnTheStatusLine(t *testing.T) {
	src := uitest.New()
	m := start(t, testConfig(src), 120, 40)
	m = press(m, "3")
	src.SetErr(errors.New("database is locked\ngoroutine 1 [running]:\nmain.main()"))
	m = press(m, "r")
	s := screen(m)
	if !strings.Contains(s, "database is locked") || strings.Contains(s, "goroutine") {
		t.Errorf("status line:\n%s", s)
	}
	checkScreen(t, m, 120, 40)
}

var colourSGR = regexp.MustCompile(`\x1b\[[0-9;]*(38|48)[;:]`)

func TestNoColor(t *testing.T) {
	m := start(t, testConfig(uitest.New()), 120, 40)
	if !colourSGR.MatchString(m.View().Content) {
		t.Fatal("the colour theme has no colour; the test proves nothing")
	}
	m = send(m, tea.EnvMsg{"NO_COLOR=1"})
	if colourSGR.MatchString(m.View().Content) {
		t.Error("colour with NO_COLOR set")
	}
	if !strings.Contains(m.View().Content, "\x1b[1;7m") && !strings.Contains(m.View().Content, "\x1b[7") {
		t.Error("no reverse video for the cursor without colour")
	}
}

func TestFirmCardToggle(t *testing.T) {
	m := start(t, testConfig(uitest.New()), 200, 50)
	m = press(m, "j", "tab", "j", "tab")
	if m.reader.Mode() != reader.ModeItem {
		t.Fatalf("reader mode %v in the news", m.reader.Mode())
	}
	m = press(m, "i")
	if m.reader.FirmID() != "huawei" || !strings.Contains(screen(m), "Designations") {
		t.Errorf("i did not show the firm card:\n%s", screen(m))
	}
	m = press(m, "esc")
	if m.reader.Mode() != reader.ModeItem {
		t.Errorf("esc left the reader in mode %v", m.reader.Mode())
	}
}

func TestViews(t *testing.T) {
	src := uitest.New()
	m := start(t, testConfig(src), 160, 40)
	if !strings.Contains(screen(m), "4 sanction changes (c)") {
		t.Errorf("no hint of unseen changes:\n%s", screen(m))
	}
	m = press(m, "c")
	if s := screen(m); !strings.Contains(s, "What changed since 2025-01-01") || !strings.Contains(s, "SenseTime") {
		t.Errorf("changes view:\n%s", s)
	}
	if seen, _ := src.ChangesSeen(t.Context()); !seen.Equal(uitest.Now) {
		t.Errorf("ChangesSeen not recorded: %v", seen)
	}
	m = press(m, "esc", "f")
	if strings.Contains(screen(m), "sanction changes") {
		t.Error("the hint stays after looking")
	}
	if s := screen(m); !strings.Contains(s, "HTTP 503") || !strings.Contains(s, "2 failing") {
		t.Errorf("feeds view:\n%s", s)
	}
	m = press(m, "f", "?")
	if s := screen(m); !strings.Contains(s, "mark view read") || !strings.Contains(s, "BIS Entity List") || !strings.Contains(s, "contested") {
		t.Errorf("help:\n%s", s)
	}
	m = press(m, "x")
	if m.overlay != overlayNone {
		t.Error("a key did not close the help")
	}
}

func TestHelpFollowsTheLiveKeymap(t *testing.T) {
	cfg := testConfig(uitest.New())
	if err := cfg.Keys.Bind(keys.Global, "star", nil); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Keys.Bind(keys.Global, "refresh", []string{"ctrl+r"}); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Keys.Bind(keys.News, "down", []string{"n"}); err != nil {
		t.Fatal(err)
	}
	m := start(t, cfg, 200, 50)
	m = press(m, "3", "?")
	s := screen(m)
	if regexp.MustCompile(`(?m)\bs +star\b`).MatchString(s) {
		t.Errorf("help shows an unbound action:\n%s", s)
	}
	if !regexp.MustCompile(`ctrl\+r +fetch feeds`).MatchString(s) {
		t.Errorf("help does not show the changed binding:\n%s", s)
	}
	if !regexp.MustCompile(`(?m)\bn +down\b`).MatchString(s) {
		t.Errorf("help for the news pane does not show its own down key:\n%s", s)
	}
}

func TestTinyTerminals(t *testing.T) {
	m := start(t, testConfig(uitest.New()), 200, 50)
	m = press(m, "j", "tab", "j", "tab", "enter")
	for _, s := range [][2]int{{1, 1}, {2, 2}, {10, 3}, {30, 8}, {5, 40}, {100, 3}, {160, 4}, {99, 2}} {
		m = send(m, tea.WindowSizeMsg{Width: s[0], Height: s[1]})
		// Every view and the filter bar, with its error line, at this size.
		m = press(m, "?", "esc", "f", "esc", "c", "esc", "/")
		m = typeText(m, "firm:")
		checkScreen(t, m, s[0], s[1])
		m = press(m, "esc", "1", "2", "3", "4")
		checkScreen(t, m, s[0], s[1])
	}
}

func TestCountsReachEveryPane(t *testing.T) {
	src := uitest.New()
	m := start(t, testConfig(src), 200, 50)
	m = press(m, "j", "tab", "j") // Huawei
	ids := src.ItemIDs()
	if err := src.SetRead(t.Context(), ids, true); err != nil {
		t.Fatal(err)
	}
	m, _ = drivenLoop(m, m.reloadCounts())
	if c := m.items.Counts(); c.Unread != 0 {
		t.Errorf("news unread %d", c.Unread)
	}
	if c := m.firms.Counts("huawei"); c.Unread != 0 {
		t.Errorf("firm unread %d", c.Unread)
	}
	if c := m.alliances.Counts(uitest.ModelChip); c.Unread != 0 {
		t.Errorf("alliance unread %d", c.Unread)
	}
}

func TestViewFieldsAndBackground(t *testing.T) {
	m := start(t, testConfig(uitest.New()), 120, 40)
	v := m.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeCellMotion {
		t.Errorf("AltScreen %v, MouseMode %v", v.AltScreen, v.MouseMode)
	}
	if !m.theme.Dark {
		t.Fatal("the theme before the terminal answers should be dark")
	}
	dark := m.View().Content
	m = send(m, tea.BackgroundColorMsg{Color: color.White})
	if m.theme.Dark || m.View().Content == dark {
		t.Error("a light background did not switch to the light theme")
	}
}
