package listnav

import (
	"errors"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/keys"
)

type row struct{ id, name string }

type pickedMsg struct{ id string }

func newPicker(ids ...string) Picker[row] {
	p := NewPicker(func(r row) string { return r.id }, func(id string) tea.Msg { return pickedMsg{id} })
	var rows []row
	for _, id := range ids {
		rows = append(rows, row{id: id})
	}
	p.SetRows(rows, "")
	p.Nav.SetHeight(3)
	return p
}

// announced returns the IDs cmd announces; nil for a nil command.
func announced(cmd tea.Cmd) []string {
	var out []string
	for _, msg := range drive.Msgs(cmd) {
		out = append(out, msg.(pickedMsg).id)
	}
	return out
}

func TestPickerAnnouncesOnlyMoves(t *testing.T) {
	km := keys.DefaultKeyMap()
	tests := []struct {
		name   string
		move   func(p *Picker[row]) tea.Cmd
		want   []string
		cursor int
	}{
		{"down", func(p *Picker[row]) tea.Cmd { return p.Update(km, true, tea.KeyPressMsg{Code: 'j', Text: "j"}) }, []string{"b"}, 1},
		{"down while blurred", func(p *Picker[row]) tea.Cmd { return p.Update(km, false, tea.KeyPressMsg{Code: 'j', Text: "j"}) }, nil, 0},
		{"up at the top says nothing", func(p *Picker[row]) tea.Cmd { return p.Update(km, true, tea.KeyPressMsg{Code: 'k', Text: "k"}) }, nil, 0},
		{"a key that is not a move", func(p *Picker[row]) tea.Cmd { return p.Update(km, true, tea.KeyPressMsg{Code: 'x', Text: "x"}) }, nil, 0},
		{"not a key", func(p *Picker[row]) tea.Cmd { return p.Update(km, true, pickedMsg{"d"}) }, nil, 0},
		{"click a row", func(p *Picker[row]) tea.Cmd { return p.Click(2) }, []string{"c"}, 2},
		{"click below the rows", func(p *Picker[row]) tea.Cmd { return p.Click(7) }, nil, 0},
		{"click the row under the cursor", func(p *Picker[row]) tea.Cmd { return p.Click(0) }, nil, 0},
		{"wheel", func(p *Picker[row]) tea.Cmd { return p.Scroll(3) }, []string{"d"}, 3},
		{"wheel past the end", func(p *Picker[row]) tea.Cmd { return p.Scroll(99) }, []string{"e"}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPicker("a", "b", "c", "d", "e")
			got := announced(tt.move(&p))
			if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
				t.Errorf("announced %q, want %q", got, tt.want)
			}
			if p.Nav.Cursor != tt.cursor {
				t.Errorf("cursor = %d, want %d", p.Nav.Cursor, tt.cursor)
			}
		})
	}
}

func TestPickerSetRowsKeepsTheRow(t *testing.T) {
	p := newPicker("a", "b", "c", "d")
	p.Nav.SetCursor(2)
	p.SetRows([]row{{id: "x"}, {id: "a"}, {id: "c"}}, p.SelectedID())
	if p.SelectedID() != "c" || p.Nav.Cursor != 2 || p.Nav.Len != 3 {
		t.Errorf("after SetRows: %q at %d of %d, want c at 2 of 3", p.SelectedID(), p.Nav.Cursor, p.Nav.Len)
	}
	p.SetRows([]row{{id: "x"}, {id: "y"}}, "gone")
	if p.SelectedID() != "x" {
		t.Errorf("a row that went leaves the cursor on %q, want the first row", p.SelectedID())
	}
	if got := announced(p.Moved("c")); len(got) != 1 || got[0] != "x" {
		t.Errorf("Moved(c) announced %q, want [x]", got)
	}
	if cmd := p.Moved("x"); cmd != nil {
		t.Errorf("Moved on the row still selected announced %q", announced(cmd))
	}
}

func TestPickerCounts(t *testing.T) {
	p := newPicker("a", "b")
	if err := p.SetCounts(map[string]store.Counts{"a": {Total: 3, Unread: 1}}, nil); err != nil {
		t.Fatal(err)
	}
	failed := errors.New("disk on fire")
	if err := p.SetCounts(nil, failed); err != failed {
		t.Errorf("SetCounts returned %v, want the read's error", err)
	}
	if c := p.Counts("a"); c != (store.Counts{Total: 3, Unread: 1}) {
		t.Errorf("a failed read replaced the counts: a = %+v", c)
	}
	if c := p.Counts("b"); c != (store.Counts{}) {
		t.Errorf("b = %+v, want none", c)
	}
}

func TestPickerEmpty(t *testing.T) {
	p := newPicker()
	if r, ok := p.Selected(); ok || r != (row{}) || p.SelectedID() != "" {
		t.Errorf("an empty picker selected %+v, %v", r, ok)
	}
	if got := announced(p.Announce()); len(got) != 1 || got[0] != "" {
		t.Errorf("an empty picker announced %q, want the empty ID", got)
	}
	if cmd := p.Scroll(1); cmd != nil {
		t.Errorf("scrolling an empty picker announced %q", announced(cmd))
	}
}
