// Package pane is what every pane of the dashboard shares: the contract
// the root drives them through (Pane), the state they all hold (Base),
// and the parts they all draw (the title line, the cursor row, the
// placeholder and error lines), so that all panes behave and look alike.
//
// A new pane embeds Base, defines SetSize, Scroll, Click (or keeps Base's
// no-op), HandleKey and View with the signatures of Pane, and goes into
// the root's panes or views array; nothing else in the root changes.
package pane

import (
	"strconv"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// Title draws a pane's title line: the title on the left, a note (counts,
// column labels) on the right, exactly w cells.
func Title(t *theme.Theme, title, note string, w int, focused bool) string {
	st := t.Title
	if focused {
		st = t.TitleFocused
	}
	if note == "" {
		return st.Render(cell.Truncate(title, w)) + strings.Repeat(" ", max(w-cell.Width(cell.Truncate(title, w)), 0))
	}
	nw := cell.Width(note)
	if nw >= w-4 {
		return st.Render(cell.Fit(title, w))
	}
	left := cell.Truncate(title, w-nw-1)
	gap := w - cell.Width(left) - nw
	return st.Render(left) + strings.Repeat(" ", gap) + t.Label.Render(note)
}

// Row draws one list row of exactly w cells. plain is the row without
// styles, used for the cursor row, which is drawn in one style so that its
// background runs unbroken; styled is the row as drawn elsewhere.
func Row(t *theme.Theme, plain, styled string, w int, cursor, focused bool) string {
	if cursor {
		st := t.SelectedBlurred
		if focused {
			st = t.Selected
		}
		return st.Render(cell.Fit(plain, w))
	}
	return cell.Fit(styled, w)
}

// Note draws a dim line, such as "loading…" or "no items".
func Note(t *theme.Theme, text string, w int) string {
	return t.Dim.Render(cell.Fit(text, w))
}

// ErrorLines draws an error in place of a pane's rows, wrapped to at most
// three lines so that the cause at the end of the message shows.
func ErrorLines(t *theme.Theme, err error, w int) []string {
	msg, _, _ := strings.Cut(err.Error(), "\n") // a short message, never a trace
	msg = "! " + cell.Line(msg)
	var lines []string
	for i, sp := range cell.WrapSpans(msg, max(w-1, 1)) {
		if i == 3 {
			break
		}
		lines = append(lines, t.Error.Render(cell.Fit(" "+msg[sp.Start:sp.End], w)))
	}
	return lines
}

// Join stacks lines into a block of exactly h lines, each w cells.
func Join(lines []string, w, h int) string {
	return cell.Lines(lines, w, h)
}

// Ago says how long before now t was, briefly: "just now", "25m ago",
// "3h ago", "4d ago", or the date when it is older than a month.
func Ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h ago"
	case d < 30*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d ago"
	}
	return t.In(now.Location()).Format("2006-01-02")
}

// CountUpTo is where the panes stop counting the items a filter matches
// and show "1000+": a common word under a firm matches a million items
// in a team store, and counting them all costs seconds; counting the
// first thousand costs a few milliseconds (30 at 10,000).
const CountUpTo = 1_000

// Count writes a count, with a "+" when it is a lower bound
// (store.Counts.More): "1000+".
func Count(n int, more bool) string {
	s := strconv.Itoa(n)
	if more {
		s += "+"
	}
	return s
}
