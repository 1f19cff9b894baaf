package alliances

import (
	"errors"
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

func loaded(t *testing.T) (Model, []tea.Msg) {
	t.Helper()
	m := New(uitest.New(), keys.DefaultKeyMap(), theme.New(true, false))
	m.SetSize(40, 12)
	m.Focus()
	return drive.Loop(m, update, m.Load())
}

func selected(msgs []tea.Msg) []string {
	var out []string
	for _, msg := range msgs {
		if s, ok := msg.(SelectedMsg); ok {
			out = append(out, s.Alliance)
		}
	}
	return out
}

func TestLoadSelectsAllFirms(t *testing.T) {
	m, msgs := loaded(t)
	if got := selected(msgs); len(got) != 1 || got[0] != AllFirms {
		t.Errorf("selected after load = %q, want [AllFirms]", got)
	}
	if n := len(m.Alliances()); n != 2 {
		t.Errorf("loaded %d alliances", n)
	}
	if c := m.Counts(uitest.ModelChip); c.Total == 0 || c.Unread == 0 {
		t.Errorf("model-chip counts = %+v", c)
	}
}

func TestKeysMoveSelection(t *testing.T) {
	tests := []struct {
		name string
		keys []tea.KeyPressMsg
		want []string
	}{
		{"down", []tea.KeyPressMsg{{Code: 'j', Text: "j"}}, []string{uitest.ModelChip}},
		{"down twice", []tea.KeyPressMsg{{Code: 'j', Text: "j"}, {Code: tea.KeyDown}}, []string{uitest.ModelChip, uitest.ShanghaiGCC}},
		{"up at top says nothing", []tea.KeyPressMsg{{Code: 'k', Text: "k"}}, nil},
		{"end", []tea.KeyPressMsg{{Code: 'G', Text: "G"}}, []string{uitest.ShanghaiGCC}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := loaded(t)
			var got []string
			for _, k := range tt.keys {
				var msgs []tea.Msg
				m, msgs = drive.Loop(m, update, func() tea.Msg { return k })
				got = append(got, selected(msgs)...)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("selected = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBlurredIgnoresKeys(t *testing.T) {
	m, _ := loaded(t)
	m.Blur()
	m, msgs := drive.Loop(m, update, func() tea.Msg { return tea.KeyPressMsg{Code: 'j', Text: "j"} })
	if len(selected(msgs)) != 0 || m.Selected() != AllFirms {
		t.Errorf("a blurred pane moved: %q", m.Selected())
	}
}

func TestClickSelectsTwoLineRows(t *testing.T) {
	m, _ := loaded(t)
	// Row 0 is the title; each alliance takes two lines.
	for _, tt := range []struct {
		y    int
		want string
	}{{1, AllFirms}, {3, uitest.ModelChip}, {4, uitest.ModelChip}, {5, uitest.ShanghaiGCC}, {11, uitest.ShanghaiGCC}} {
		m.Click(tt.y)
		if m.Selected() != tt.want {
			t.Errorf("Click(%d) selected %q, want %q", tt.y, m.Selected(), tt.want)
		}
	}
}

func TestViewShowsCountsAndFits(t *testing.T) {
	m, _ := loaded(t)
	view := ansi.Strip(m.View())
	for _, want := range []string{"All firms", "Model-Chip Ecosystem", "10 firms", "5 firms", "unread"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	lines := strings.Split(m.View(), "\n")
	if len(lines) != 12 {
		t.Errorf("view has %d lines, want 12", len(lines))
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w != 40 {
			t.Errorf("line is %d cells, want 40: %q", w, ansi.Strip(l))
		}
	}
}

func TestLoadError(t *testing.T) {
	src := uitest.New()
	src.SetErr(errors.New("disk on fire"))
	m := New(src, keys.DefaultKeyMap(), theme.New(true, false))
	m.SetSize(40, 5)
	m, _ = drive.Loop(m, update, m.Load())
	if m.Err() == nil || !strings.Contains(ansi.Strip(m.View()), "disk on fire") {
		t.Errorf("error not shown: %v\n%s", m.Err(), ansi.Strip(m.View()))
	}
}

func TestCountsMsgReplacesCounts(t *testing.T) {
	m, _ := loaded(t)
	m, _ = m.Update(CountsMsg{Counts: map[string]store.Counts{uitest.ModelChip: {Total: 99, Unread: 42}}})
	if c := m.Counts(uitest.ModelChip); c.Unread != 42 {
		t.Errorf("counts = %+v", c)
	}
	if !strings.Contains(ansi.Strip(m.View()), "42 unread") {
		t.Errorf("view does not show the new count:\n%s", ansi.Strip(m.View()))
	}
}

func TestReloadKeepsTheAllianceOrFallsBackToAllFirms(t *testing.T) {
	m, _ := loaded(t)
	m, _ = drive.Loop(m, update, func() tea.Msg { return tea.KeyPressMsg{Code: 'G', Text: "G"} })
	all := m.Alliances()
	// The same alliances in another order: the cursor stays on its alliance.
	m, msgs := drive.Loop(m, update, func() tea.Msg { return LoadedMsg{Alliances: []store.Alliance{all[1], all[0]}} })
	if m.Selected() != uitest.ShanghaiGCC || len(selected(msgs)) != 0 {
		t.Errorf("after a reorder: selected %q, announced %q", m.Selected(), selected(msgs))
	}
	// Its alliance gone (another process removed it): back to All firms, said.
	m, msgs = drive.Loop(m, update, func() tea.Msg { return LoadedMsg{Alliances: []store.Alliance{all[0]}} })
	if got := selected(msgs); m.Selected() != AllFirms || len(got) != 1 || got[0] != AllFirms {
		t.Errorf("after its alliance went: selected %q, announced %q", m.Selected(), got)
	}
}
