// Package cell makes feed text safe for the terminal and fits it into a
// number of terminal cells. Every string that came from a feed passes
// through Line or Body before it is drawn, even though the store cleaned
// it already: the dashboard does not trust what it reads.
//
// Widths are terminal cells as lipgloss measures them: a Chinese character
// is two cells, an Arabic letter one, a combining mark none.
package cell

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"

	"github.com/aiwatch/aiwatch/store"
)

// Ellipsis ends text that was cut to fit.
const Ellipsis = "…"

// Line returns s as one safe line. It runs the store's sanitiser,
// store.CleanLine, then a stricter pass of its own: control characters,
// escape sequences and all bidi controls, marks included, are removed, and
// any run of white space (newlines included) becomes one space.
func Line(s string) string {
	return clean(store.CleanLine(s, 0), false)
}

// Body returns s as safe multi-line text: store.CleanBody, then like Line
// but newlines are kept (at most one blank line in a row).
func Body(s string) string {
	return clean(store.CleanBody(s, 0), true)
}

// LineMap is Line that also returns where each byte of s went: pos[i] is
// the offset in the result of the text that began at byte i of s, and
// pos[len(s)] is the length of the result. Mentions found at byte offsets
// of the raw text are highlighted through it. When the store's sanitiser
// would still change the result, the map cannot be trusted: LineMap then
// returns Line(s) and a nil map, and the caller draws no highlights.
func LineMap(s string) (string, []int) {
	out, pos := cleanMap(s, false, true)
	if store.CleanLine(out, 0) != out {
		return Line(s), nil
	}
	return out, pos
}

// BodyMap is Body with the byte map of LineMap.
func BodyMap(s string) (string, []int) {
	out, pos := cleanMap(s, true, true)
	if store.CleanBody(out, 0) != out {
		return Body(s), nil
	}
	return out, pos
}

func clean(s string, keepNewlines bool) string {
	out, _ := cleanMap(s, keepNewlines, false)
	return out
}

func cleanMap(s string, keepNewlines, mapped bool) (string, []int) {
	var pos []int
	if isPlain(s) {
		if mapped {
			pos = make([]int, len(s)+1)
			for i := range pos {
				pos[i] = i
			}
		}
		return s, pos
	}
	if mapped {
		pos = make([]int, len(s)+1)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending
	newlines := 0  // newlines pending
	wrote := false // something visible was written
	filled := 0    // pos is set below this raw offset
	for i := 0; i < len(s); {
		at := i
		if mapped {
			for ; filled < at; filled++ {
				pos[filled] = b.Len()
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			r = '\uFFFD'
		case r == 0x1b:
			// Drop the escape and, for CSI and OSC, its whole sequence,
			// so nothing of it is left to be printed as text.
			i = skipEscape(s, i)
			continue
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i)
			continue
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // C1 DCS, SOS, OSC, PM, APC
			i = skipString(s, i)
			continue
		case r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85 || r == '\u2028' || r == '\u2029':
			if keepNewlines {
				if r == '\r' && i < len(s) && s[i] == '\n' {
					i++
				}
				newlines++
				space = false
			} else {
				space = true
			}
			continue
		case r == '\t' || unicode.IsSpace(r) && r != '\u3000':
			space = true
			continue
		case isInvisible(r):
			continue
		}
		if wrote {
			switch {
			case newlines > 0:
				b.WriteString(strings.Repeat("\n", min(newlines, 2)))
			case space:
				b.WriteByte(' ')
			}
		}
		newlines, space = 0, false
		if mapped {
			for ; filled < at+size; filled++ {
				pos[filled] = b.Len()
			}
		}
		b.WriteRune(r)
		wrote = true
	}
	if mapped {
		for ; filled <= len(s); filled++ {
			pos[filled] = b.Len()
		}
	}
	return b.String(), pos
}

// isPlain reports whether s is printable ASCII with single spaces, which
// needs no cleaning: the common case, checked without allocating.
func isPlain(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
		if c == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}

// skipEscape returns the index after the escape sequence whose ESC ended at i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[': // CSI
		return skipCSI(s, i+1)
	case ']', 'P', '_', '^', 'X': // OSC, DCS, APC, PM, SOS
		return skipString(s, i+1)
	default: // a two-byte escape
		_, size := utf8.DecodeRuneInString(s[i:])
		return i + size
	}
}

// skipCSI skips a control sequence's parameters and intermediates and
// its final byte (0x40–0x7e), from i.
func skipCSI(s string, i int) int {
	for ; i < len(s); i++ {
		if s[i] >= 0x40 && s[i] <= 0x7e {
			return i + 1
		}
	}
	return i
}

// skipString skips a control string (OSC, DCS, APC, PM, SOS) from i up to
// and including its terminator: BEL, ESC \ or the C1 string terminator.
func skipString(s string, i int) int {
	for i < len(s) {
		if s[i] == 0x07 {
			return i + 1
		}
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
			return i + 2
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0x9c {
			return i + size
		}
		i += size
	}
	return i
}

// isInvisible reports whether r must not reach the terminal: C0 and C1
// controls, DEL, bidi embeddings, overrides, isolates and marks (a feed
// must not reorder the dashboard), and other format characters except the
// joiners that emoji and Indic and Arabic scripts need.
func isInvisible(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == '\u200c' || r == '\u200d': // ZWNJ, ZWJ: needed by Arabic and emoji
		return false
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069',
		r == '\u200e', r == '\u200f', r == '\u061c':
		return true
	case r == '\ufeff' || r == '\u00ad':
		return true
	case unicode.Is(unicode.Cf, r):
		return true
	case unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r):
		return true
	case r >= 0xFDD0 && r <= 0xFDEF, r&0xFFFE == 0xFFFE: // noncharacters, as store's cleaning drops them
		return true
	}
	return false
}

// Width returns the width of s in cells, ignoring ANSI escape sequences.
func Width(s string) int { return ansi.StringWidth(s) }

// Truncate cuts s to at most w cells, ending with an ellipsis when it was
// cut. It never cuts inside a character or an escape sequence.
func Truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, Ellipsis)
}

// TruncateLeft cuts s to at most w cells by dropping its start, which it
// replaces with an ellipsis: for paths, whose end matters most.
func TruncateLeft(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	return ansi.TruncateLeft(s, sw-w+1, Ellipsis)
}

// Fit returns s cut or padded with spaces to exactly w cells.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, Ellipsis)
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// FitRight returns s cut or padded on the left to exactly w cells, for
// right-aligned numbers.
func FitRight(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, Ellipsis)
	}
	return strings.Repeat(" ", w-sw) + s
}

// Between returns left and right on one line of exactly w cells, with
// spaces between them. The left part is cut first when both do not fit.
func Between(left, right string, w int) string {
	rw := ansi.StringWidth(right)
	if rw >= w {
		return Fit(right, w)
	}
	lw := w - rw - 1
	if lw <= 0 {
		return Fit(right, w)
	}
	return Fit(left, lw) + " " + right
}

// Span is a byte range [Start, End) of a string.
type Span struct{ Start, End int }

// WrapSpans wraps plain text s (no escape sequences) into lines of at most
// w cells and returns each line as a byte range of s. Lines break at
// newlines and at the line-break opportunities of Unicode's line breaking
// algorithm (UAX #14, through uniseg): after spaces, and between Chinese
// characters, which have no spaces between words. A word wider than the
// line is cut between characters. Spaces at the end of a line belong to no
// line.
func WrapSpans(s string, w int) []Span {
	return wrapSpans(s, w, ansi.StringWidth)
}

func wrapSpans(s string, w int, measure func(string) int) []Span {
	if w <= 0 {
		return nil
	}
	var out []Span
	for start := 0; start <= len(s); {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		out = wrapParagraph(out, s, start, end, w, measure)
		start = end + 1
	}
	return out
}

func wrapParagraph(out []Span, s string, start, end, w int, measure func(string) int) []Span {
	if start == end {
		return append(out, Span{start, start})
	}
	lineStart := start
	lineEnd := start // end of the line's text, trailing spaces excluded
	width := 0       // cells from lineStart up to pos, trailing spaces included
	state := -1
	for pos := start; pos < end; {
		seg, _, _, next := uniseg.FirstLineSegmentInString(s[pos:end], state)
		state = next
		body := strings.TrimRight(seg, " ")
		bw := measure(body)
		if width+bw > w && lineEnd > lineStart {
			out = append(out, Span{lineStart, lineEnd})
			lineStart, lineEnd, width = pos, pos, 0
		}
		if bw > w {
			// A word wider than a line: cut it between clusters.
			for i := pos; i < pos+len(body); {
				cluster, cw := ansi.FirstGraphemeCluster(s[i:pos+len(body)], ansi.GraphemeWidth)
				if width+cw > w && lineEnd > lineStart {
					out = append(out, Span{lineStart, lineEnd})
					lineStart, width = i, 0
				}
				i += len(cluster)
				lineEnd = i
				width += cw
			}
		} else {
			lineEnd = pos + len(body)
			width += bw
		}
		width += len(seg) - len(body) // the trailing spaces
		pos += len(seg)
		if lineEnd == lineStart && len(body) == 0 {
			lineStart = pos // spaces at the start of a line belong to no line
			lineEnd, width = pos, 0
		}
	}
	return append(out, Span{lineStart, lineEnd})
}

// Lines returns exactly h lines of exactly w cells from lines: cut, padded,
// or filled with blank lines.
func Lines(lines []string, w, h int) string {
	if h <= 0 {
		return ""
	}
	var b strings.Builder
	blank := strings.Repeat(" ", max(w, 0))
	for i := range h {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(lines) {
			b.WriteString(Fit(lines[i], w))
		} else {
			b.WriteString(blank)
		}
	}
	return b.String()
}

// First strong isolate and pop directional isolate: see Isolate.
const (
	fsi = "\u2068"
	pdi = "\u2069"
)

// Isolate wraps text that holds right-to-left letters (Arabic, Hebrew…) in
// a first-strong isolate. In a terminal that applies the bidi algorithm,
// the isolate keeps an Arabic title from deciding the direction of the
// whole screen line, which would mirror the neighbouring panes; inside
// it, Arabic still reads right to left. The isolate characters take no
// cells, so widths do not change. Isolate after cutting text to width,
// never before, so that the closing mark is not cut off. Text must not
// start a screen line: the renderer drops zero-width marks in column 0.
func Isolate(s string) string {
	// Close isolates that cutting s to width left open.
	if open := strings.Count(s, fsi) - strings.Count(s, pdi); open > 0 {
		s += strings.Repeat(pdi, open)
	}
	if !hasRTL(s) {
		return s
	}
	return fsi + s + pdi
}

func hasRTL(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x0590:
		case r <= 0x08ff, // Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, Arabic Extended
			r >= 0xfb1d && r <= 0xfdff, // Hebrew and Arabic presentation forms A
			r >= 0xfe70 && r <= 0xfeff: // Arabic presentation forms B
			return true
		}
	}
	return false
}
