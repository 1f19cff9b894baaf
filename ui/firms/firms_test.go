package firms

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

func update(m Model, msg tea.Msg) (Model, tea.Cmd) { return m.Update(msg) }

func newPane(t *testing.T, w int) (Model, *uitest.Source) {
	t.Helper()
	src := uitest.New()
	m := New(src, keys.DefaultKeyMap(), theme.New(true, false))
	m.SetSize(w, 14)
	m.Focus()
	return m, src
}

func lastSelected(msgs []tea.Msg) (string, bool) {
	id, ok := "", false
	for _, msg := range msgs {
		if s, is := msg.(SelectedMsg); is {
			id, ok = s.Firm, true
		}
	}
	return id, ok
}

func TestSetAllianceLoadsMembers(t *testing.T) {
	m, _ := newPane(t, 50)
	m, cmd := m.SetAlliance(uitest.ShanghaiGCC, "Shanghai GCC")
	m, msgs := drive.Loop(m, update, cmd)
	if id, ok := lastSelected(msgs); !ok || id != "sensetime" {
		t.Errorf("selected after load = %q, %v; want sensetime", id, ok)
	}
	view := ansi.Strip(m.View())
	for _, want := range []string{"SenseTime", "MiniMax", "StepFun", "MetaX", "Iluvatar CoreX"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "Huawei") {
		t.Errorf("Huawei is not a member:\n%s", view)
	}
}

func TestStaleLoadDropped(t *testing.T) {
	m, _ := newPane(t, 50)
	m, first := m.SetAlliance(uitest.ModelChip, "")
	m, second := m.SetAlliance(uitest.ShanghaiGCC, "")
	stale := drive.Msgs(first)
	fresh := drive.Msgs(second)
	// The fresh answer arrives first, then the stale one.
	for _, msg := range append(fresh, stale...) {
		m, _ = m.Update(msg)
	}
	if m.SelectedID() != "sensetime" {
		t.Errorf("selected %q: the stale answer won", m.SelectedID())
	}
	if strings.Contains(ansi.Strip(m.View()), "Huawei") {
		t.Error("the stale alliance's firms are shown")
	}
}

func TestReloadKeepsSelectedFirm(t *testing.T) {
	m, _ := newPane(t, 50)
	m, cmd := m.SetAlliance(uitest.ModelChip, "")
	m, _ = drive.Loop(m, update, cmd)
	for range 3 {
		m, cmd = m.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
		m, _ = drive.Loop(m, update, cmd)
	}
	want := m.SelectedID()
	m, cmd = m.Reload()
	m, _ = drive.Loop(m, update, cmd)
	if m.SelectedID() != want {
		t.Errorf("after reload selected %q, want %q", m.SelectedID(), want)
	}
	// A different alliance starts at the top.
	m, cmd = m.SetAlliance(uitest.ShanghaiGCC, "")
	m, _ = drive.Loop(m, update, cmd)
	if m.SelectedID() != "sensetime" {
		t.Errorf("new alliance selected %q, want the first member", m.SelectedID())
	}
}

func TestBadgesInRows(t *testing.T) {
	m, _ := newPane(t, 60)
	m, cmd := m.SetAlliance("", "All firms")
	m.SetSize(60, 30)
	m, _ = drive.Loop(m, update, cmd)
	rows := map[string]string{}
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n")[1:] {
		if f := strings.Fields(l); len(f) > 0 {
			rows[f[0]] = l
		}
	}
	tests := []struct {
		firm, want, notWant string
	}{
		{"Huawei", "EL CMIC 1260H FCC", ""},
		{"Alibaba", "1260H?", ""}, // contested
		{"Inspur", "EL*", ""},     // affiliate only
		{"Megvii", "EL", "1260H"}, // 1260H removed: no badge
		{"StepFun", "", "EL"},     // none found: nothing alarming
		{"Enflame", "", "?"},
	}
	for _, tt := range tests {
		row, ok := rows[tt.firm]
		if !ok {
			t.Errorf("no row for %s", tt.firm)
			continue
		}
		if tt.want != "" && !strings.Contains(row, tt.want) {
			t.Errorf("%s row %q lacks %q", tt.firm, row, tt.want)
		}
		if tt.notWant != "" && strings.Contains(row, tt.notWant) {
			t.Errorf("%s row %q shows %q", tt.firm, row, tt.notWant)
		}
	}
}

func TestContestedLooksDifferent(t *testing.T) {
	m, _ := newPane(t, 60)
	m, cmd := m.SetAlliance("", "")
	m.SetSize(60, 30)
	m, _ = drive.Loop(m, update, cmd)
	// The cursor row is drawn plain: move it off Alibaba, the first row.
	m, _ = m.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
	th := theme.New(true, false)
	view := m.View()
	if !strings.Contains(view, th.BadgeContested.Render("1260H?")) {
		t.Error("contested badge not drawn in the contested style")
	}
	if !strings.Contains(view, th.Badge("1260H").Render("1260H")) {
		t.Error("confirmed 1260H badge not drawn in its style")
	}
}

func TestRowsFitNarrowWidths(t *testing.T) {
	for _, w := range []int{22, 30, 44, 80} {
		m, _ := newPane(t, w)
		m, cmd := m.SetAlliance("", "All firms with a long alliance title")
		m, _ = drive.Loop(m, update, cmd)
		for _, l := range strings.Split(m.View(), "\n") {
			if got := ansi.StringWidth(l); got != w {
				t.Errorf("w=%d: line is %d cells: %q", w, got, ansi.Strip(l))
			}
		}
	}
}

func TestSlowSourceShowsLoading(t *testing.T) {
	m, src := newPane(t, 40)
	src.SetDelay(time.Millisecond)
	m, _ = m.SetAlliance(uitest.ModelChip, "")
	if !m.Loading() || !strings.Contains(ansi.Strip(m.View()), "loading") {
		t.Errorf("no loading state:\n%s", ansi.Strip(m.View()))
	}
}
