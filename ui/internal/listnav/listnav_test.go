package listnav

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/ui/keys"
)

func TestNav(t *testing.T) {
	km := keys.DefaultKeyMap()
	press := func(s string) tea.KeyPressMsg {
		switch s {
		case "pgdown":
			return tea.KeyPressMsg{Code: tea.KeyPgDown}
		case "pgup":
			return tea.KeyPressMsg{Code: tea.KeyPgUp}
		}
		return tea.KeyPressMsg{Code: rune(s[0]), Text: s}
	}
	tests := []struct {
		name               string
		keys               []string
		wantCursor, wantOf int
	}{
		{"down", []string{"j", "j"}, 2, 0},
		{"up stops at top", []string{"k"}, 0, 0},
		{"scrolls with the cursor", []string{"j", "j", "j", "j", "j"}, 5, 1},
		{"bottom", []string{"G"}, 99, 95},
		{"top after bottom", []string{"G", "g"}, 0, 0},
		{"page down", []string{"pgdown"}, 4, 4},
		{"page up after page down", []string{"pgdown", "pgdown", "pgup"}, 4, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := Nav{}
			n.SetHeight(5)
			n.SetLen(100)
			for _, k := range tt.keys {
				if !n.Update(km, press(k)) {
					t.Fatalf("key %q not handled", k)
				}
			}
			if n.Cursor != tt.wantCursor || n.Offset != tt.wantOf {
				t.Errorf("cursor, offset = %d, %d; want %d, %d", n.Cursor, n.Offset, tt.wantCursor, tt.wantOf)
			}
		})
	}
}

func TestNavShrinks(t *testing.T) {
	n := Nav{}
	n.SetHeight(5)
	n.SetLen(10)
	n.SetCursor(9)
	n.SetLen(3)
	if n.Cursor != 2 || n.Offset != 0 {
		t.Errorf("after shrinking: cursor, offset = %d, %d", n.Cursor, n.Offset)
	}
	if n.Click(4) {
		t.Error("Click below the last row selected something")
	}
	if !n.Click(1) || n.Cursor != 1 {
		t.Errorf("Click(1): cursor = %d", n.Cursor)
	}
	n.SetLen(0)
	if n.Cursor != 0 {
		t.Errorf("empty list: cursor = %d", n.Cursor)
	}
}
