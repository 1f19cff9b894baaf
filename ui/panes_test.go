package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/ui/uitest"
)

// TestWheelReachesEveryPane scrolls each pane under the pointer in turn,
// through the root's one loop over the pane contract, and checks that the
// pane under the pointer moved and the focus did not.
func TestWheelReachesEveryPane(t *testing.T) {
	m := start(t, testConfig(uitest.New()), 200, 16)
	// Pin Huawei's card in the reader: it is longer than the pane.
	m = press(m, "2", "j", "i")
	tests := []struct {
		pane paneID
		at   func(Model) any
	}{
		// The alliances come last: a new alliance reloads the firms.
		{paneReader, func(m Model) any { return m.reader.ScrollOffset() }},
		{paneItems, func(m Model) any { c, _ := m.items.Cursor(); return c }},
		{paneFirms, func(m Model) any { return m.firms.SelectedID() }},
		{paneAlliances, func(m Model) any { return m.alliances.Selected() }},
	}
	for _, tt := range tests {
		l := computeLayout(m.width, m.height, m.filter.Height(), m.focus)
		r := l.panes[tt.pane]
		before := tt.at(m)
		m = send(m, tea.MouseWheelMsg{X: r.x + 1, Y: r.y + 2, Button: tea.MouseWheelDown})
		if after := tt.at(m); after == before {
			t.Errorf("the wheel over pane %d left it at %v", tt.pane, after)
		}
		if m.focus != paneFirms {
			t.Fatalf("the wheel over pane %d moved the focus to %d", tt.pane, m.focus)
		}
	}
}

// TestClickFocusesEveryPane clicks each pane and checks that it takes the
// keyboard, alone.
func TestClickFocusesEveryPane(t *testing.T) {
	m := start(t, testConfig(uitest.New()), 200, 50)
	for _, p := range []paneID{paneReader, paneItems, paneFirms, paneAlliances} {
		r := computeLayout(200, 50, 0, m.focus).panes[p]
		m = send(m, tea.MouseClickMsg{X: r.x + 1, Y: r.y + 1, Button: tea.MouseLeft})
		if m.focus != p {
			t.Errorf("clicking pane %d focused %d", p, m.focus)
		}
		for q, pn := range m.panes() {
			if pn.Focused() != (paneID(q) == p) {
				t.Errorf("after clicking pane %d, pane %d focused = %v", p, q, pn.Focused())
			}
		}
	}
}

// TestWheelScrollsTheOpenView scrolls the "what changed" view, which is
// not a pane of the layout but keeps the same contract.
func TestWheelScrollsTheOpenView(t *testing.T) {
	m := start(t, testConfig(uitest.New()), 200, 6)
	m = press(m, "c")
	before := screen(m)
	m = send(m, tea.MouseWheelMsg{X: 10, Y: 3, Button: tea.MouseWheelDown})
	if screen(m) == before {
		t.Errorf("the wheel did not scroll the changes view:\n%s", before)
	}
	if m.overlay != overlayChanges {
		t.Errorf("the wheel closed the view")
	}
}
