package cell

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/ui/bidi"
)

// Run gives a style to the bytes of a line from the end of the run before
// it up to End. Style is a lipgloss Style's Render, or nil for none.
type Run struct {
	End   int
	Style func(...string) string
}

// Draw readies one line of clean feed text for the screen: cut to at most
// w cells and painted by runs (byte ranges of s, in order; nil paints
// nothing). In bidi.App mode Arabic is shaped before it is measured, the
// cut keeps the logical start and puts the ellipsis at the logical end,
// and the line comes back in visual order, left to right, marks after
// their letters and brackets mirrored in right-to-left runs. In every
// other mode the line stays in logical order, for the terminal to order.
// Break lines before drawing them: a wrapped line is drawn on its own.
// Send the result through Emit.
func Draw(mode bidi.Mode, s string, w int, runs []Run) string {
	if w <= 0 {
		return ""
	}
	if mode != bidi.App || !bidi.NeedsLayout(s) {
		return paintLogical(Truncate(s, w), runs)
	}
	pieces := bidi.Layout(s)
	if width(pieces) > w {
		s = s[:cut(pieces, w-ansi.StringWidth(Ellipsis), len(s))] + Ellipsis
		pieces = bidi.Layout(s)
	}
	return paintVisual(pieces, runs)
}

// Emit is the last step of every line of feed text on its way to the
// screen: it cuts the line to w cells as a safeguard and marks its
// direction for the terminal. In bidi.App mode a line holding
// right-to-left text is already in visual order, so it is wrapped in a
// left-to-right override: a terminal that applies the bidi algorithm
// after all shows it as drawn. In other modes right-to-left text is
// isolated (see Isolate). Like Isolate's, the result must not start a
// screen line.
func Emit(mode bidi.Mode, line string, w int) string {
	line = Truncate(line, w)
	if mode != bidi.App {
		return Isolate(line)
	}
	if !hasRTL(line) {
		return line
	}
	return lro + line + pdf
}

// Text draws one field of clean feed text, cut to w cells, for the
// screen: Draw then Emit.
func Text(mode bidi.Mode, s string, w int) string {
	return Emit(mode, Draw(mode, s, w, nil), w)
}

// WrapSpansMode is WrapSpans for text that is drawn in mode: in bidi.App
// mode words are measured shaped, so that a lam-alef ligature counts one
// cell, as Draw will draw it. Lines still break in logical order.
func WrapSpansMode(mode bidi.Mode, s string, w int) []Span {
	if mode != bidi.App {
		return WrapSpans(s, w)
	}
	return wrapSpans(s, w, func(word string) int { return ansi.StringWidth(bidi.Shape(word)) })
}

// Left-to-right override and pop directional formatting: see Emit.
const (
	lro = "\u202d"
	pdf = "\u202c"
)

func width(ps []bidi.Piece) int {
	n := 0
	for _, p := range ps {
		n += ansi.StringWidth(p.Text)
	}
	return n
}

// cut returns the byte offset in the logical line up to which its pieces
// fit in w cells, taken in logical order.
func cut(ps []bidi.Piece, w, end int) int {
	logical := slices.Clone(ps)
	slices.SortFunc(logical, func(a, b bidi.Piece) int { return a.At - b.At })
	n := 0
	for _, p := range logical {
		pw := ansi.StringWidth(p.Text)
		if n+pw > w {
			return p.At
		}
		n += pw
	}
	return end
}

// runAt returns the index of the run holding byte at, or -1.
func runAt(runs []Run, at int) int {
	i, _ := slices.BinarySearchFunc(runs, at, func(r Run, at int) int {
		if r.End <= at {
			return -1
		}
		return 1
	})
	if i == len(runs) {
		return -1
	}
	return i
}

func paint(b *strings.Builder, runs []Run, i int, text string) {
	if i < 0 || runs[i].Style == nil {
		b.WriteString(text)
		return
	}
	b.WriteString(runs[i].Style(text))
}

func paintLogical(s string, runs []Run) string {
	if len(runs) == 0 {
		return s
	}
	var b strings.Builder
	from := 0
	for i, r := range runs {
		if from >= len(s) {
			break
		}
		to := min(r.End, len(s))
		if to > from {
			paint(&b, runs, i, s[from:to])
		}
		from = max(from, to)
	}
	if from < len(s) {
		b.WriteString(s[from:])
	}
	return b.String()
}

// paintVisual joins pieces in their order, painting each stretch of
// pieces that share a run in one go.
func paintVisual(ps []bidi.Piece, runs []Run) string {
	var b, group strings.Builder
	cur := -2
	for _, p := range ps {
		i := -1
		if len(runs) > 0 {
			i = runAt(runs, p.At)
		}
		if i != cur && group.Len() > 0 {
			paint(&b, runs, cur, group.String())
			group.Reset()
		}
		cur = i
		group.WriteString(p.Text)
	}
	if group.Len() > 0 {
		paint(&b, runs, cur, group.String())
	}
	return b.String()
}
