package listnav

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/keys"
)

// Picker is the selection code of the panes whose cursor picks what the
// panes after them show (alliances, firms): a Nav over rows with string
// IDs, and the item counts of each row. Each method that may move the
// cursor returns the command that announces the row now under it when
// that row changed, so that a pane cannot move its cursor without telling
// the root.
type Picker[T any] struct {
	// Nav is the cursor. Read it to draw; move it through the Picker.
	Nav      Nav
	rows     []T
	counts   map[string]store.Counts
	id       func(T) string
	announce func(id string) tea.Msg
}

// NewPicker returns an empty picker. id names a row; announce makes the
// pane's "selected" message for the ID under the cursor ("" for none).
func NewPicker[T any](id func(T) string, announce func(id string) tea.Msg) Picker[T] {
	return Picker[T]{id: id, announce: announce}
}

// Rows returns the rows.
func (p Picker[T]) Rows() []T { return p.rows }

// SetRows replaces the rows and puts the cursor on the row whose ID is
// keep, or on the first row when there is none. It announces nothing:
// the pane knows whether a load is news to the root.
func (p *Picker[T]) SetRows(rows []T, keep string) {
	p.rows = rows
	p.Nav.SetLen(len(rows))
	p.Nav.SetCursor(max(slices.IndexFunc(rows, func(r T) bool { return p.id(r) == keep }), 0))
}

// Counts returns the item counts of the row whose ID is id.
func (p Picker[T]) Counts(id string) store.Counts { return p.counts[id] }

// AllCounts returns the item counts of every row by ID; the map is the
// picker's own, to be read only.
func (p Picker[T]) AllCounts() map[string]store.Counts { return p.counts }

// SetCounts replaces the item counts by row ID and returns err: the
// counts of a failed read (err not nil) are not taken.
func (p *Picker[T]) SetCounts(counts map[string]store.Counts, err error) error {
	if err == nil {
		p.counts = counts
	}
	return err
}

// Selected returns the row under the cursor.
func (p Picker[T]) Selected() (T, bool) {
	if len(p.rows) == 0 {
		var zero T
		return zero, false
	}
	return p.rows[p.Nav.Cursor], true
}

// SelectedID returns the ID of the row under the cursor, or "".
func (p Picker[T]) SelectedID() string {
	r, ok := p.Selected()
	if !ok {
		return ""
	}
	return p.id(r)
}

// Announce returns the command that announces the row under the cursor.
func (p Picker[T]) Announce() tea.Cmd {
	msg := p.announce(p.SelectedID())
	return func() tea.Msg { return msg }
}

// Moved returns Announce when the row under the cursor is no longer the
// row whose ID is before, and nil when it still is.
func (p Picker[T]) Moved(before string) tea.Cmd {
	if p.SelectedID() == before {
		return nil
	}
	return p.Announce()
}

// Update moves the cursor for the navigation keys of km, when msg is one
// and the pane is focused; other messages leave it alone.
func (p *Picker[T]) Update(km keys.KeyMap, focused bool, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || !focused {
		return nil
	}
	before := p.SelectedID()
	p.Nav.Update(km, k)
	return p.Moved(before)
}

// Click moves the cursor to the row shown on screen row y (0 is the first
// row under the pane's title).
func (p *Picker[T]) Click(y int) tea.Cmd {
	before := p.SelectedID()
	p.Nav.Click(y)
	return p.Moved(before)
}

// Scroll moves the view and the cursor by d rows, for the mouse wheel.
func (p *Picker[T]) Scroll(d int) tea.Cmd {
	before := p.SelectedID()
	p.Nav.Scroll(d)
	return p.Moved(before)
}
