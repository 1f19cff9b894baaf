// Package listnav keeps a cursor and a scroll offset over a list of known
// length, for every list pane. Nav knows nothing of what the rows hold, so
// a pane can page through a million items while holding only a window.
// Picker adds the rows, for the short lists whose cursor picks what the
// next pane shows, and announces each move.
package listnav

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/ui/keys"
)

// Nav is a cursor over Len rows shown Height at a time, starting at Offset.
type Nav struct {
	Cursor int
	Offset int
	Height int
	Len    int
}

// SetLen changes the number of rows, keeping the cursor in range.
func (n *Nav) SetLen(l int) {
	n.Len = max(l, 0)
	n.clamp()
}

// SetHeight changes the number of visible rows, keeping the cursor visible.
func (n *Nav) SetHeight(h int) {
	n.Height = max(h, 0)
	n.clamp()
}

// SetCursor moves the cursor to row i and scrolls it into view.
func (n *Nav) SetCursor(i int) {
	n.Cursor = i
	n.clamp()
}

// Move moves the cursor by d rows.
func (n *Nav) Move(d int) { n.SetCursor(n.Cursor + d) }

// Scroll moves the view by d rows and takes the cursor along, as a mouse
// wheel does.
func (n *Nav) Scroll(d int) {
	n.Offset += d
	n.Cursor += d
	n.clamp()
}

// Click moves the cursor to the row shown on screen row y (0 is the first
// visible row). It reports false when y shows no row.
func (n *Nav) Click(y int) bool {
	if y < 0 || y >= n.Height || n.Offset+y >= n.Len {
		return false
	}
	n.Cursor = n.Offset + y
	return true
}

// Visible returns the range [from, to) of rows on screen.
func (n Nav) Visible() (from, to int) {
	return n.Offset, min(n.Offset+n.Height, n.Len)
}

// Update moves the cursor for the navigation keys of km and reports
// whether msg was one of them.
func (n *Nav) Update(km keys.KeyMap, msg tea.KeyPressMsg) bool {
	page := max(n.Height-1, 1)
	switch {
	case key.Matches(msg, km.Up):
		n.Move(-1)
	case key.Matches(msg, km.Down):
		n.Move(1)
	case key.Matches(msg, km.Top):
		n.SetCursor(0)
	case key.Matches(msg, km.Bottom):
		n.SetCursor(n.Len - 1)
	case key.Matches(msg, km.PageUp):
		n.Offset -= page
		n.Move(-page)
	case key.Matches(msg, km.PageDown):
		n.Offset += page
		n.Move(page)
	default:
		return false
	}
	return true
}

func (n *Nav) clamp() {
	if n.Len == 0 {
		n.Cursor, n.Offset = 0, 0
		return
	}
	n.Cursor = min(max(n.Cursor, 0), n.Len-1)
	if n.Height <= 0 {
		n.Offset = n.Cursor
		return
	}
	n.Offset = min(max(n.Offset, 0), max(n.Len-n.Height, 0))
	if n.Cursor < n.Offset {
		n.Offset = n.Cursor
	}
	if n.Cursor >= n.Offset+n.Height {
		n.Offset = n.Cursor - n.Height + 1
	}
}
