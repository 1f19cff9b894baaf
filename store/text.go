package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// maxMarks bounds a run of combining marks after one base character, so
// "Zalgo" text cannot grow a line to many rows in the terminal.
const maxMarks = 8

// CleanLine makes hostile text safe to show on one terminal line: a title,
// an author, a feed name. It drops ANSI escape sequences whole (CSI, and
// OSC/DCS/APC/PM/SOS strings such as OSC 52 clipboard writes and OSC 8
// links, introduced by ESC or by a C1 control and ended by BEL or ST),
// C0 and C1 controls, NUL, bidi embedding, override and isolate controls
// (U+202A–U+202E, U+2066–U+2069; the marks U+200E and U+200F stay) and
// invisible format characters such as U+FEFF and U+200B. Invalid UTF-8
// becomes U+FFFD. Runs of whitespace, including newlines, tabs and
// U+2028/U+2029, become one space; the result is trimmed. Runs of more
// than 8 combining marks are cut to 8. If max > 0 the result is at most
// max bytes long, cut at a grapheme cluster boundary. Nothing is decoded:
// entities and markup are left as they are.
func CleanLine(s string, max int) string {
	return clean(s, max, false)
}

// CleanBody is CleanLine for multi-line text such as a summary or an
// article body. It keeps newlines and tabs, turns \r\n, \r, \v, \f, U+0085,
// U+2028 and U+2029 into \n, drops whitespace at the end of each line,
// collapses runs of blank lines to a single blank line and trims blank
// lines at both ends.
func CleanBody(s string, max int) string {
	return clean(s, max, true)
}

func clean(s string, max int, body bool) string {
	if isClean(s, body) {
		return truncate(s, max)
	}
	c := cleaner{body: body}
	c.out.Grow(len(s))
	c.run(s)
	return truncate(c.out.String(), max)
}

// isClean reports whether clean would return s unchanged (before the
// length bound). It accepts only the common case cheaply and says false
// whenever in doubt.
func isClean(s string, body bool) bool {
	if s == "" {
		return true
	}
	if isSpaceByte(s[0]) || isSpaceByte(s[len(s)-1]) {
		return false
	}
	marks := 0
	prevSpace := false
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			switch {
			case b == ' ':
				if prevSpace || (body && i+1 < len(s) && s[i+1] == '\n') {
					return false
				}
				prevSpace = !body
			case b == '\n' && body:
				// Reject blank lines and spaces before the newline; one
				// newline between text lines is clean.
				if i+1 < len(s) && (s[i+1] == '\n' || s[i+1] == ' ' || s[i+1] == '\t') {
					return false
				}
				prevSpace = false
			case b == '\t' && body:
				if i+1 < len(s) && s[i+1] == '\n' {
					return false
				}
				prevSpace = false
			case b < 0x20 || b == 0x7f:
				return false
			default:
				prevSpace = false
			}
			marks = 0
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		switch {
		case isHan(r):
			marks = 0
		case isMark(r):
			marks++
			if marks > maxMarks {
				return false
			}
		default:
			marks = 0
			if r <= 0x9f || unicode.IsSpace(r) || dropped(r) {
				return false
			}
		}
		prevSpace = false
		i += size
	}
	return true
}

// isHan is a fast path for the common CJK ideographs, which are none of
// the things clean looks for.
func isHan(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF }

func isMark(r rune) bool {
	return r >= 0x300 && !isHan(r) && unicode.Is(unicode.M, r)
}

func isSpaceByte(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f'
}

// dropped reports whether r is an invisible or direction-changing format
// character that clean removes. Tag characters are handled by the caller.
func dropped(r rune) bool {
	switch {
	case r == 0x200B, // zero width space
		r >= 0x202A && r <= 0x202E,   // bidi embeddings and overrides
		r >= 0x2060 && r <= 0x2064,   // word joiner, invisible operators
		r >= 0x2066 && r <= 0x206F,   // bidi isolates, deprecated format controls
		r == 0xFEFF,                  // byte order mark
		r >= 0xFFF9 && r <= 0xFFFB,   // interlinear annotations
		r >= 0xFDD0 && r <= 0xFDEF,   // noncharacters
		r&0xFFFE == 0xFFFE,           // noncharacters U+xxFFFE, U+xxFFFF
		r >= 0xE0000 && r <= 0xE007F: // tags
		return true
	}
	return false
}

// cleaner is the state of one clean call.
type cleaner struct {
	out  strings.Builder
	body bool

	pendingSpace bool   // line mode: whitespace seen since the last output
	pendingNL    int    // body mode: newlines seen since the last output
	pendingWS    []byte // body mode: horizontal whitespace since the last output
	marks        int    // combining marks after the last base character
	last         rune   // last rune written
}

func (c *cleaner) run(s string) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case isHan(r):
			c.write(r)
		case r == 0x1b: // ESC
			i = skipEscape(s, i)
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i)
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // C1 DCS, SOS, OSC, PM, APC
			i = skipString(s, i)
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			c.newline()
		case r == '\n' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029:
			c.newline()
		case r == '\t':
			c.space('\t')
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			// other controls, NUL included: dropped
		case r >= 0xE0020 && r <= 0xE007F && (c.last == 0x1F3F4 || (c.last >= 0xE0020 && c.last <= 0xE007F)):
			// tag characters that spell a subdivision flag after U+1F3F4
			c.write(r)
		case dropped(r):
		case unicode.IsSpace(r):
			c.space(r)
		default:
			c.write(r)
		}
	}
}

func (c *cleaner) newline() {
	if !c.body {
		c.pendingSpace = true
		return
	}
	c.pendingNL++
	c.pendingWS = c.pendingWS[:0]
	c.marks = 0
}

func (c *cleaner) space(r rune) {
	c.marks = 0
	if !c.body {
		c.pendingSpace = true
		return
	}
	c.pendingWS = utf8.AppendRune(c.pendingWS, r)
}

func (c *cleaner) write(r rune) {
	if isMark(r) {
		c.marks++
		if c.marks > maxMarks {
			return
		}
	} else {
		c.marks = 0
	}
	if c.out.Len() > 0 {
		switch {
		case !c.body && c.pendingSpace:
			c.out.WriteByte(' ')
		case c.body:
			for n := min(c.pendingNL, 2); n > 0; n-- {
				c.out.WriteByte('\n')
			}
			c.out.Write(c.pendingWS)
		}
	}
	c.pendingSpace, c.pendingNL, c.pendingWS = false, 0, c.pendingWS[:0]
	c.out.WriteRune(r)
	c.last = r
}

// skipEscape skips an escape sequence whose ESC ended just before s[i] and
// returns the index after it.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch b := s[i]; {
	case b == '[':
		return skipCSI(s, i+1)
	case b == ']' || b == 'P' || b == 'X' || b == '^' || b == '_':
		return skipString(s, i+1)
	case b >= 0x20 && b <= 0x2f: // nF: intermediates, then a final byte
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
			i++
		}
		return i
	case b >= 0x30 && b <= 0x7e: // two-byte sequences such as ESC c, ESC 7
		return i + 1
	}
	return i
}

// skipCSI skips the parameters, intermediates and final byte of a control
// sequence. A byte that cannot be part of it ends the sequence and is kept.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x30 && s[i] <= 0x3f {
		i++
	}
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString skips the payload of an OSC, DCS, SOS, PM or APC string up to
// and including its terminator: BEL, ST (ESC \ or U+009C). An ESC that does
// not start ST ends the string and starts a new sequence. An unterminated
// string runs to the end of s, as it would in a terminal.
func skipString(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case 0x07:
			return i + 1
		case 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i
		case 0xc2:
			if i+1 < len(s) && s[i+1] == 0x9c {
				return i + 2
			}
		}
		i++
	}
	return i
}

// truncate bounds s to max bytes at a grapheme cluster boundary (a rune
// boundary if the first cluster alone is too long) and trims what the cut
// leaves at the end.
func truncate(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	cut := 0
	state := -1
	for rest := s; rest != ""; {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if cut+len(cluster) > max {
			break
		}
		cut += len(cluster)
	}
	if cut == 0 {
		cut = max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRightFunc(s[:cut], unicode.IsSpace)
}
