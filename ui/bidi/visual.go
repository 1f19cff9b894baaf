package bidi

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Piece is one grapheme cluster of a displayed line, as it is drawn.
type Piece struct {
	Text string // shaped, and mirrored when it reads right to left ("(" becomes ")")
	At   int    // byte offset, in the logical line, of the text it shows
}

// Layout shapes one displayed line and returns its grapheme clusters in
// visual order, left to right: what a terminal that does no bidi must be
// sent. The paragraph direction is the first strong letter's (rules P2
// and P3). Break lines before this, in logical order: Layout treats s as
// one line. Marks stay after their base letter (rule L3), and characters
// that rule X9 removes (zero-width controls) are dropped.
func Layout(s string) []Piece {
	rs := make([]rune, 0, len(s))
	at := make([]int, 0, len(s))
	for i, r := range s {
		rs = append(rs, r)
		at = append(at, i)
	}
	if hasArabic(s) {
		rs, at = shapeRunes(rs, at)
	}
	cls := make([]Class, len(rs))
	for i, r := range rs {
		cls[i] = ClassOf(r)
	}
	levels, para := levelsOf(rs, cls, dirAuto)
	lineLevels(cls, levels, para, 0, len(rs))

	// Clusters of the shaped line, each at the level of its first
	// character that X9 keeps.
	type cluster struct {
		text string // a slice of the shaped line
		from int    // index of its first rune
	}
	cs := make([]cluster, 0, len(rs))
	cl := make([]int8, 0, len(rs))
	add := func(c string, n, k int) {
		level := int8(-1)
		for i := n; i < n+k && level < 0; i++ {
			level = levels[i]
		}
		if level >= 0 {
			cs = append(cs, cluster{c, n})
			cl = append(cl, level)
		}
	}
	shaped := string(rs)
	if simpleClusters(rs) {
		// A letter and the marks after it; no need to ask uniseg.
		b := 0
		for n := 0; n < len(rs); {
			k, size := 1, utf8.RuneLen(rs[n])
			for n+k < len(rs) && isExtend(rs[n+k]) {
				size += utf8.RuneLen(rs[n+k])
				k++
			}
			add(shaped[b:b+size], n, k)
			n, b = n+k, b+size
		}
	} else {
		state := -1
		n := 0
		for rest := shaped; rest != ""; {
			var c string
			c, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
			k := utf8.RuneCountInString(c)
			add(c, n, k)
			n += k
		}
	}
	order := visualOrder(cl, 0, len(cl))
	out := make([]Piece, 0, len(order))
	for _, k := range order {
		text := cs[k].text
		if cl[k]&1 == 1 {
			text = mirrored(text)
		}
		out = append(out, Piece{Text: text, At: at[cs[k].from]})
	}
	return out
}

// simpleClusters reports whether every grapheme cluster of rs is one
// character and the marks after it: true for Latin, Greek, Cyrillic,
// Hebrew and Arabic text and their punctuation, without controls, ZWJ or
// the prefixed Arabic signs. Anything else is left to uniseg.
// TestSimpleClusters checks the two agree.
func simpleClusters(rs []rune) bool {
	for _, r := range rs {
		switch {
		case r < 0x20 || r >= 0x7F && r <= 0xA0 || r == 0xAD:
			return false // controls, soft hyphen
		case r >= 0x0600 && r <= 0x0605 || r == 0x06DD || r == 0x070F || r == 0x0890 || r == 0x0891 || r == 0x08E2:
			return false // prefixed signs, which join the next character
		case r == 0x061C:
			return false // the Arabic letter mark, a control
		case r < 0x0900:
		case r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205E, r == 0x200C:
		case r >= 0xFB1D && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFC:
		default:
			return false
		}
	}
	return true
}

// isExtend reports whether r joins the character before it in a simple
// cluster: a combining mark or ZWNJ.
func isExtend(r rune) bool {
	return r == 0x200C || r >= 0x0300 && unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc)
}

// mirrored returns s with each character that has a mirror image
// replaced by it (rule L4), without allocating when there is none.
func mirrored(s string) string {
	for i, r := range s {
		if Mirror(r) == r {
			continue
		}
		var b strings.Builder
		b.WriteString(s[:i])
		for _, r := range s[i:] {
			b.WriteRune(Mirror(r))
		}
		return b.String()
	}
	return s
}

// Visual returns one displayed line shaped and in visual order (see
// Layout). Text with nothing to shape or reorder comes back as it is, at
// no cost beyond a scan. Visual of its own result changes nothing more:
// presentation forms do not join again.
func Visual(s string) string {
	if !NeedsLayout(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, p := range Layout(s) {
		b.WriteString(p.Text)
	}
	return b.String()
}

// NeedsLayout reports whether s holds right-to-left text, Arabic numbers,
// explicit directional controls or Arabic letters to shape: anything
// Layout would change.
func NeedsLayout(s string) bool {
	for _, r := range s {
		if r < 0x0590 || r >= 0x0900 && r < 0x200F || r > 0x2069 && r < 0xFB1D {
			continue // no right-to-left, Arabic number or control here (TestNeedsLayoutSkips)
		}
		switch ClassOf(r) {
		case R, AL, AN, LRE, LRO, RLE, RLO, PDF, LRI, RLI, FSI, PDI:
			return true
		}
		if r <= 0x08FF {
			return true
		}
	}
	return false
}

// RightToLeft reports whether s is a right-to-left paragraph: whether its
// first strong letter, isolates skipped, is Hebrew, Arabic or another
// right-to-left script's (rules P2 and P3).
func RightToLeft(s string) bool {
	if !NeedsLayout(s) {
		return false
	}
	var cls []Class
	for _, r := range s {
		cls = append(cls, ClassOf(r))
	}
	return firstStrong(cls, matchIsolates(cls), 0, len(cls)) == 1
}
