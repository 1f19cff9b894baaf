package filterbar

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

func update(m Model, msg tea.Msg) (Model, tea.Cmd) { return m.Update(msg) }

func newBar() Model {
	m := New(uitest.New().ParseQuery, keys.DefaultKeyMap(), theme.New(true, false))
	m.SetDebounce(0)
	m.SetWidth(80)
	m.Open()
	return m
}

// typeText types s and returns the bar and the ChangedMsgs it emitted.
func typeText(m Model, s string) (Model, []ChangedMsg) {
	var changed []ChangedMsg
	for _, r := range s {
		var msgs []tea.Msg
		m, msgs = drive.Loop(m, update, func() tea.Msg { return tea.KeyPressMsg{Code: r, Text: string(r)} })
		for _, msg := range msgs {
			if c, ok := msg.(ChangedMsg); ok {
				changed = append(changed, c)
			}
		}
	}
	return m, changed
}

func TestTypingAppliesQuery(t *testing.T) {
	m, changed := typeText(newBar(), "firm:huawei -is:read 华为")
	if len(changed) == 0 {
		t.Fatal("no ChangedMsg")
	}
	last := changed[len(changed)-1]
	if !slices.Equal(last.Filter.Firms, []string{"huawei"}) || last.Filter.Unread != store.Yes ||
		!slices.Equal(last.Filter.Text, []string{"华为"}) {
		t.Errorf("filter = %+v", last.Filter)
	}
	if m.Query() != "firm:huawei -is:read 华为" || m.Err() != nil {
		t.Errorf("query %q, err %v", m.Query(), m.Err())
	}
}

func TestMalformedQueryShowsInlineError(t *testing.T) {
	m, changed := typeText(newBar(), "biren firm:")
	if m.Err() == nil {
		t.Fatal("no error for firm: without a value")
	}
	for _, c := range changed {
		if strings.Contains(c.Query, "firm:") {
			t.Errorf("a malformed query was applied: %q", c.Query)
		}
	}
	if m.Height() != 2 {
		t.Errorf("height = %d, want 2 (bar and error)", m.Height())
	}
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	if len(lines) != 2 {
		t.Fatalf("view:\n%s", ansi.Strip(m.View()))
	}
	// The caret points at the value after "firm:", which starts at byte 11
	// of the query, after the two-cell prompt.
	if caret := strings.Index(lines[1], "^"); caret != 2+len("biren firm:") {
		t.Errorf("caret at column %d:\n%s\n%s", caret, lines[0], lines[1])
	}
	if !strings.Contains(lines[1], "empty value") {
		t.Errorf("error line lacks the message: %q", lines[1])
	}
	// Fixing the query clears the error and applies it.
	m, changed = typeText(m, "biren")
	if m.Err() != nil || len(changed) == 0 || !slices.Equal(changed[len(changed)-1].Filter.Firms, []string{"biren"}) {
		t.Errorf("after fixing: err %v, changed %+v", m.Err(), changed)
	}
}

func TestStaleParseDropped(t *testing.T) {
	m := newBar()
	m, _ = typeText(m, "a")
	m, cmd := m.Update(ParsedMsg{Seq: -1, Query: "old", Filter: store.Filter{Text: []string{"old"}}})
	if cmd != nil || m.Query() == "old" {
		t.Error("a stale parse was applied")
	}
}

func TestDebounceWaitsForLatest(t *testing.T) {
	m := New(uitest.New().ParseQuery, keys.DefaultKeyMap(), theme.New(true, false))
	m.SetWidth(80)
	m.Open()
	m, _ = m.Update(tea.KeyPressMsg{Code: 'a', Text: "a"})
	first := m.seq
	m, _ = m.Update(tea.KeyPressMsg{Code: 'b', Text: "b"})
	if m2, cmd := m.Update(DebounceMsg{Seq: first}); cmd != nil || m2.Query() != "" {
		t.Error("an old debounce tick parsed the query")
	}
	m, cmd := m.Update(DebounceMsg{Seq: m.seq})
	m, _ = drive.Loop(m, update, cmd)
	if m.Query() != "ab" {
		t.Errorf("query = %q", m.Query())
	}
}

func TestEscClearsAndEnterKeeps(t *testing.T) {
	m, _ := typeText(newBar(), "biren")
	m, _ = drive.Loop(m, update, func() tea.Msg { return tea.KeyPressMsg{Code: tea.KeyEnter} })
	if m.Active() || m.Query() != "biren" || !m.Visible() {
		t.Errorf("enter: active %v query %q", m.Active(), m.Query())
	}
	m.Open()
	m, msgs := drive.Loop(m, update, func() tea.Msg { return tea.KeyPressMsg{Code: tea.KeyEscape} })
	if m.Active() || m.Query() != "" || m.Visible() {
		t.Errorf("esc: active %v query %q visible %v", m.Active(), m.Query(), m.Visible())
	}
	announced := 0
	for _, msg := range msgs {
		if c, ok := msg.(ChangedMsg); ok && c.Query == "" {
			announced++
		}
	}
	if announced != 1 {
		t.Errorf("esc announced the cleared filter %d times: %v", announced, msgs)
	}
}

func TestFreeTextWithoutParser(t *testing.T) {
	m := New(nil, keys.DefaultKeyMap(), theme.New(true, false))
	m.SetDebounce(0)
	m.SetWidth(40)
	m.Open()
	_, changed := typeText(m, "摩尔 线程")
	if len(changed) == 0 || !slices.Equal(changed[len(changed)-1].Filter.Text, []string{"摩尔", "线程"}) {
		t.Errorf("changed = %+v", changed)
	}
}
