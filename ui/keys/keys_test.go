package keys

import (
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func TestFullHelpCoversEveryBinding(t *testing.T) {
	k := DefaultKeyMap()
	inHelp := map[string]bool{}
	for _, group := range k.FullHelp() {
		for _, b := range group {
			inHelp[b.Help().Desc] = true
		}
	}
	for _, b := range []key.Binding{k.NextPane, k.PrevPane, k.Pane1, k.Pane4, k.Up, k.Down, k.Top, k.Bottom,
		k.PageUp, k.PageDown, k.Open, k.OpenLink, k.CopyLink, k.ToggleRead, k.MarkAllRead, k.Star, k.UnreadOnly,
		k.Filter, k.Clear, k.FirmCard, k.Changes, k.Alerts, k.Feeds, k.Refresh, k.Help, k.Quit} {
		if !inHelp[b.Help().Desc] {
			t.Errorf("binding %q (%s) missing from the help", b.Help().Key, b.Help().Desc)
		}
	}
}

func TestBindings(t *testing.T) {
	k := DefaultKeyMap()
	tests := []struct {
		name string
		msg  tea.KeyPressMsg
		b    key.Binding
	}{
		{"tab", tea.KeyPressMsg{Code: tea.KeyTab}, k.NextPane},
		{"shift+tab", tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}, k.PrevPane},
		{"R is not r", tea.KeyPressMsg{Code: 'R', Text: "R"}, k.MarkAllRead},
		{"F is not f", tea.KeyPressMsg{Code: 'F', Text: "F"}, k.Refresh},
		{"pgdown", tea.KeyPressMsg{Code: tea.KeyPgDown}, k.PageDown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !key.Matches(tt.msg, tt.b) {
				t.Errorf("%s does not match %q", tt.msg, tt.b.Help().Key)
			}
		})
	}
	if key.Matches(tea.KeyPressMsg{Code: 'r', Text: "r"}, k.MarkAllRead) {
		t.Error("r marks everything read")
	}
}

func TestDefaultKeyMapIsFresh(t *testing.T) {
	a := DefaultKeyMap()
	a.Quit.SetEnabled(false)
	if !DefaultKeyMap().Quit.Enabled() {
		t.Error("DefaultKeyMap shares state between calls")
	}
}
