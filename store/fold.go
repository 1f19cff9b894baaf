package store

import (
	"cmp"
	_ "embed"
	"encoding/binary"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

//go:generate go run gen_fold_zh.go

// The alias-folding rule. Two spellings are the same alias when they fold
// to the same key, and the matcher folds text with the same rule before
// it looks for aliases, so what the store treats as one alias is exactly
// what the matcher finds. The rule, in order:
//
//   - Unicode NFKC (full-width Latin, ligatures, Arabic presentation forms);
//   - simple case folding, unless the alias is case-sensitive;
//   - Arabic: أ إ آ ٱ → ا, ى → ي, ة → ه, Persian ی ک → ي ك; tatweel and
//     harakat removed;
//   - Unicode dashes → "-", any run of white space → one space, and
//     invisible format characters (soft hyphen, zero-width and bidi
//     marks) removed;
//   - for the identity key only (FoldAlias): Chinese converted to
//     simplified script with OpenCC's dictionaries, so 華為 and 华为 are
//     one alias.
//
// Text is folded character by character (an NFKC segment is one
// character here), which is what lets AppendFold keep a map from every
// folded byte back to the original text.

// FoldAlias returns the identity key of an alias: the folded text (NFKC,
// case folding unless caseSensitive, Arabic folding, dashes and spaces
// normalised, Chinese in simplified script), trimmed of spaces.
func FoldAlias(text string, caseSensitive bool) string {
	key := strings.Trim(FoldText(text, caseSensitive), " ")
	if hasHan(key) {
		key = t2s.convert(key)
	}
	return key
}

// FoldText folds text by the alias rule without the Chinese script
// conversion: the matcher looks for every script variant of an alias (see
// AliasVariants) in text folded this way.
func FoldText(text string, caseSensitive bool) string {
	b, _ := appendFold(nil, nil, text, caseSensitive, false)
	return string(b)
}

// AppendFold appends FoldText(text, caseSensitive) to dst and, for every
// byte it appends, the byte offset in text of the character that produced
// it to offsets. A folded match dst[i:j] covers text[offsets[i]:k], where
// k is offsets[j], or len(text) when j is the end of the folded text; a
// match that starts or ends inside the output of one character (offsets
// equal on both sides of its edge) splits that character. Offsets are
// int32: texts must be under 2 GiB.
func AppendFold(dst []byte, offsets []int32, text string, caseSensitive bool) ([]byte, []int32) {
	return appendFold(dst, offsets, text, caseSensitive, true)
}

// AliasVariants returns the spellings of an alias that the rule treats as
// the same: the text itself and, when it contains Chinese, its simplified
// or traditional forms (standard, Taiwan and Hong Kong) as OpenCC's
// dictionaries write them. Simplified text only gains traditional forms:
// converting it to simplified again could turn a name into a common word
// (昇腾 → 升腾).
func AliasVariants(text string) []string {
	out := []string{text}
	if !hasHan(text) {
		return out
	}
	add := func(s string) {
		for _, v := range out {
			if v == s {
				return
			}
		}
		out = append(out, s)
	}
	trad := s2t.convert(text)
	if trad == text {
		// Already traditional (or the same in both scripts).
		add(t2s.convert(text))
	} else {
		add(trad)
	}
	add(t2tw.convert(trad))
	add(t2hk.convert(trad))
	return out
}

// Chinese script conversion follows OpenCC's s2t, t2s, t2tw and t2hk
// configurations with OpenCC's dictionaries (Apache License 2.0, see
// zhdata/LICENSE), generated into fold_zh_tables.go and zhdata/ by
// gen_fold_zh.go: at each character the longest phrase of the phrase
// dictionary, if one starts there, else the character table. Phrases
// matter for names: 阿里云 is 阿里雲, not 阿裏雲, and 昆仑 is 崑崙.
var (
	s2t  = zhConverter{phrases: &phraseTable{data: stPhrases}, chars: s2tChars}
	t2s  = zhConverter{phrases: &phraseTable{data: tsPhrases}, chars: t2sChars}
	t2tw = zhConverter{chars: t2twChars}
	t2hk = zhConverter{chars: t2hkChars}
)

//go:embed zhdata/STPhrases.txt
var stPhrases string

//go:embed zhdata/TSPhrases.txt
var tsPhrases string

// zhConverter is one script conversion: a phrase dictionary (or nil) and
// a character table.
type zhConverter struct {
	phrases *phraseTable
	chars   zhTable
}

// convert converts s, and returns s itself when nothing in it changes.
func (c zhConverter) convert(s string) string {
	var out []byte
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var to string
		switch n, phrase := c.phrases.longest(s[i:], r); {
		case n > 0:
			to, size = phrase, n
		case r >= 0x2E80:
			if t, ok := c.chars.lookup(r); ok {
				to = string(t)
			}
		}
		if to == "" || to == s[i:i+size] {
			if out != nil {
				out = append(out, s[i:i+size]...)
			}
		} else {
			if out == nil {
				out = append(make([]byte, 0, len(s)+utf8.UTFMax), s[:i]...)
			}
			out = append(out, to...)
		}
		i += size
	}
	if out == nil {
		return s
	}
	return string(out)
}

// zhTable is a character table sorted by from (fold_zh_tables.go).
type zhTable []zhPair

// zhPair is one entry of a zhTable.
type zhPair struct{ from, to rune }

func (t zhTable) lookup(r rune) (rune, bool) {
	i, ok := slices.BinarySearchFunc(t, r, func(e zhPair, r rune) int {
		return cmp.Compare(e.from, r)
	})
	if !ok {
		return 0, false
	}
	return t[i].to, true
}

// phraseTable is a phrase dictionary: lines of a phrase of two characters
// or more, a tab and its conversion, sorted by phrase. It is indexed on
// first use; the index holds offsets, not strings, so that the garbage
// collector has nothing to scan in it.
type phraseTable struct {
	data     string
	once     sync.Once
	lines    []phraseLine
	maxRunes int // characters in the longest phrase
}

// phraseLine locates one line of a phraseTable: the phrase is
// data[start:tab] and its conversion data[tab+1:end].
type phraseLine struct{ start, tab, end int32 }

func (p *phraseTable) index() {
	p.lines = make([]phraseLine, 0, strings.Count(p.data, "\n"))
	start := 0
	for line := range strings.Lines(p.data) {
		text := strings.TrimSuffix(line, "\n")
		tab := max(strings.IndexByte(text, '\t'), 0)
		p.lines = append(p.lines, phraseLine{int32(start), int32(start + tab), int32(start + len(text))})
		p.maxRunes = max(p.maxRunes, utf8.RuneCountInString(text[:tab]))
		start += len(line)
	}
}

func (p *phraseTable) phrase(i int) string { l := p.lines[i]; return p.data[l.start:l.tab] }
func (p *phraseTable) conv(i int) string   { l := p.lines[i]; return p.data[l.tab+1 : l.end] }

// search returns the first line in [lo, hi) whose phrase is not below key,
// and whether it is key.
func (p *phraseTable) search(lo, hi int, key string) (int, bool) {
	i, found := slices.BinarySearchFunc(p.lines[lo:hi], key, func(l phraseLine, key string) int {
		return strings.Compare(p.data[l.start:l.tab], key)
	})
	return lo + i, found
}

// longest returns the length of the longest phrase that s starts with and
// its conversion, or 0. r is the first character of s: phrases start with
// CJK characters, so the others are not looked up.
func (p *phraseTable) longest(s string, r rune) (int, string) {
	if p == nil || r < 0x2E80 {
		return 0, ""
	}
	p.once.Do(p.index)
	// ends[k] is the end of the first k+1 characters of s.
	var buf [16]int
	ends := buf[:0]
	for i := 0; i < len(s) && len(ends) < p.maxRunes; {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		ends = append(ends, i)
	}
	if len(ends) < 2 {
		return 0, ""
	}
	// The phrases that s can start with lie from the first that is not
	// below its first two characters to the last that is not above the
	// longest prefix of s that a phrase could be.
	n := len(p.lines)
	lo, _ := p.search(0, n, s[:ends[1]])
	hi := lo
	if lo < n && strings.HasPrefix(p.phrase(lo), s[:ends[1]]) {
		longest := s[:ends[len(ends)-1]]
		hi = lo + sort.Search(n-lo, func(j int) bool { return p.phrase(lo+j) > longest })
	}
	for k := len(ends) - 1; k >= 1 && lo < hi; k-- {
		i, found := p.search(lo, hi, s[:ends[k]])
		if found {
			return ends[k], p.conv(i)
		}
		hi = i
	}
	return 0, ""
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 && unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// asciiFold maps ASCII bytes for case-insensitive folding: upper case to
// lower case and white space to ' '. asciiKeep does the same without the
// case change.
var asciiFold, asciiKeep = func() (fold, keep [utf8.RuneSelf]byte) {
	for b := range utf8.RuneSelf {
		c := byte(b)
		keep[b] = c
		switch c {
		case '\t', '\n', '\v', '\f', '\r':
			keep[b] = ' '
		}
		fold[b] = keep[b]
		if 'A' <= c && c <= 'Z' {
			fold[b] = c + 'a' - 'A'
		}
	}
	return
}()

// folder appends folded text and, when track is set, the offset map.
type folder struct {
	dst       []byte
	offsets   []int32
	track     bool
	fold      bool
	lastSpace bool
}

func appendFold(dst []byte, offsets []int32, text string, caseSensitive, track bool) ([]byte, []int32) {
	f := folder{dst: dst, offsets: offsets, track: track, fold: !caseSensitive}
	if n := len(dst); n > 0 {
		f.lastSpace = dst[n-1] == ' '
	}
	table := &asciiFold
	if caseSensitive {
		table = &asciiKeep
	}
	var seg []byte
	for i := 0; i < len(text); {
		if n := f.stableRun(text, i, table); n > 0 {
			i += n
			continue
		}
		// Otherwise take one normalisation segment (a starter and the
		// marks that follow it). If NFKC changes it, all its output maps
		// to its start.
		n := norm.NFKC.NextBoundaryInString(text[i:], true)
		if n <= 0 {
			n = len(text) - i
		}
		if s := text[i : i+n]; norm.NFKC.QuickSpanString(s) == len(s) {
			for j := 0; j < len(s); {
				r, size := utf8.DecodeRuneInString(s[j:])
				if r < utf8.RuneSelf {
					f.ascii(table[r], i+j)
				} else {
					f.rune(r, i+j)
				}
				j += size
			}
		} else {
			seg = norm.NFKC.AppendString(seg[:0], s)
			for j := 0; j < len(seg); {
				r, size := utf8.DecodeRune(seg[j:])
				if r < utf8.RuneSelf {
					f.ascii(table[r], i)
				} else {
					f.rune(r, i)
				}
				j += size
			}
		}
		i += n
	}
	return f.dst, f.offsets
}

// stableRun folds, from text[i] on, a run of characters that NFKC is
// known to leave (or map) alone whatever follows, which is the case for
// the scripts aiwatch reads most, and returns the run's length in bytes;
// it returns 0 when text[i] needs the general path. A character is folded
// here only when the next one does not combine with it.
//
// ASCII, Han and Arabic letters, the bulk of what aiwatch reads, go
// through fastRun; stableRun takes the other stable characters one by
// one. The buffers are grown up front for fastRun, which writes into them
// by index: a stable character never folds to more bytes than it has
// (TestStableDoesNotGrow).
func (f *folder) stableRun(text string, i int, table *[utf8.RuneSelf]byte) int {
	start := i
	for i < len(text) {
		n := len(text) - i
		f.dst = slices.Grow(f.dst, n)
		d := f.dst[len(f.dst) : len(f.dst)+n]
		var o []int32
		if f.track {
			f.offsets = slices.Grow(f.offsets, n)
			o = f.offsets[len(f.offsets) : len(f.offsets)+n]
		}
		var k int
		i, k, f.lastSpace = fastRun(text, i, d, o, table, f.lastSpace)
		f.dst = f.dst[:len(f.dst)+k]
		if f.track {
			f.offsets = f.offsets[:len(f.offsets)+k]
		}
		if i == len(text) {
			break
		}
		// A character that fastRun leaves: fold it here if it is stable
		// and so is the next.
		r, size := decodeStable(text, i)
		if r < 0 {
			break
		}
		if j := i + size; j < len(text) {
			if next, _ := decodeStable(text, j); next < 0 {
				// text[j] may combine with text[i]: leave both to the
				// general path.
				break
			}
		}
		if r < utf8.RuneSelf {
			f.ascii(table[r], i)
		} else {
			f.rune(r, i)
		}
		i += size
	}
	return i - start
}

// fastRun folds ASCII, Han (U+4E00–U+9FFF), Chinese punctuation
// (isCJKPunct) and Arabic letters (U+0621–U+064A) from text[i] on, each
// when the character after it is one of those too or the text ends,
// into d[0:] and, when o is not empty, their offsets into o[0:]. It
// returns where it stopped, the number of bytes written and whether the
// last one written is a space. d (and o, if not empty) must have room for
// len(text)-i bytes.
//
// It is the loop where the matcher spends most of its folding time, and
// is written for that: characters are recognised from their bytes
// without decoding a rune, written by index rather than appended, and
// the loop makes no call, so that the compiler keeps every value in a
// register (Go saves none across a call, and a call anywhere in a loop
// spills its values on every turn).
func fastRun(text string, i int, d []byte, o []int32, table *[utf8.RuneSelf]byte, lastSpace bool) (int, int, bool) {
	k := 0
	// Each character's class (its length, or 0 for none of the three) is
	// found once, when it is the next one, and carried to its turn.
	size := fastSize(text, i)
	var toLower uint64 // the case bit of every byte, when folding case
	if table == &asciiFold {
		toLower = lanes(0x20)
	}
	for size > 0 {
		// Eight ASCII bytes at a time (SWAR, SIMD within a register):
		// English text is mostly runs of ASCII, and a word of eight
		// costs about what one byte costs below. The word is taken only
		// when folding it is a plain copy but for case: all eight bytes
		// and the one after them are ASCII, none is a control character
		// (white space that becomes ' ') and no space follows a space.
		if size == 1 && i+8 < len(text) && text[i+8] < utf8.RuneSelf {
			w := load64(text, i)
			spaces := bytesEqual(w, ' ')
			if w&lanes(0x80) == 0 && // all ASCII
				(w-lanes(0x20))&^w&lanes(0x80) == 0 && // no byte below ' '
				spaces&(spaces<<8) == 0 && // no two spaces in a row
				(!lastSpace || spaces&0x80 == 0) { // nor across the last word
				// The capitals: bytes >= 'A' and not >= 'Z'+1.
				upper := (w + lanes(0x80-'A')) &^ (w + lanes(0x80-'Z'-1)) & lanes(0x80)
				binary.LittleEndian.PutUint64(d[k:k+8], w|(upper>>2)&toLower)
				if k+7 < len(o) {
					at := int32(i)
					o[k], o[k+1], o[k+2], o[k+3] = at, at+1, at+2, at+3
					o[k+4], o[k+5], o[k+6], o[k+7] = at+4, at+5, at+6, at+7
				}
				lastSpace = spaces>>63 != 0
				i += 8
				k += 8
				continue
			}
		}
		// Runs of Han and of Arabic letters: every character but the
		// last of a run is followed by one of its kind, and is folded
		// here with no more tests.
		if size == 3 {
			for isHan3(text, i+3) {
				at := int32(i)
				_ = d[k+2]
				d[k], d[k+1], d[k+2] = text[i], text[i+1], text[i+2]
				if k+2 < len(o) {
					o[k], o[k+1], o[k+2] = at, at, at
				}
				i += 3
				k += 3
				lastSpace = false
			}
		} else if size == 2 {
			for isArabic2(text, i+2) {
				if a := arabicLetterFold[(rune(text[i]&0x1F)<<6|rune(text[i+1]&0x3F))-0x0621]; a != 0 {
					at := int32(i)
					_ = d[k+1]
					d[k], d[k+1] = byte(0xC0|a>>6), byte(0x80|a&0x3F)
					if k+1 < len(o) {
						o[k], o[k+1] = at, at
					}
					k += 2
					lastSpace = false
				}
				i += 2
			}
		}
		next := 0
		if j := i + size; j < len(text) {
			// fastSize, written out: a call here would cost more than
			// the work it does.
			switch {
			case text[j] < utf8.RuneSelf:
				next = 1
			case isHan3(text, j), isCJKPunct(text, j):
				next = 3
			case isArabic2(text, j):
				next = 2
			default:
				return i, k, lastSpace
			}
		}
		c := text[i]
		at := int32(i)
		switch size {
		case 1:
			c = table[c]
			if c == ' ' && lastSpace {
				break
			}
			lastSpace = c == ' '
			d[k] = c
			if k < len(o) {
				o[k] = at
			}
			k++
		case 3:
			// Han or Chinese punctuation: caseless, never dropped or
			// mapped; copy its bytes.
			_ = d[k+2]
			d[k], d[k+1], d[k+2] = c, text[i+1], text[i+2]
			if k+2 < len(o) {
				o[k], o[k+1], o[k+2] = at, at, at
			}
			k += 3
			lastSpace = false
		case 2:
			// Arabic letters: two bytes in, two bytes out, or none for
			// the tatweel.
			a := arabicLetterFold[(rune(c&0x1F)<<6|rune(text[i+1]&0x3F))-0x0621]
			if a == 0 {
				break
			}
			_ = d[k+1]
			d[k], d[k+1] = byte(0xC0|a>>6), byte(0x80|a&0x3F)
			if k+1 < len(o) {
				o[k], o[k+1] = at, at
			}
			k += 2
			lastSpace = false
		}
		i += size
		size = next
	}
	return i, k, lastSpace
}

// load64 returns text[i:i+8] as a little-endian word. The compiler
// makes the eight loads one.
func load64(text string, i int) uint64 {
	s := text[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// lanes returns b in each byte of a word.
func lanes(b byte) uint64 { return uint64(b) * 0x0101010101010101 }

// bytesEqual returns, for the ASCII bytes of w, a word with the top bit
// of each byte set where that byte is b and clear elsewhere.
func bytesEqual(w uint64, b byte) uint64 {
	x := w ^ lanes(b) // 0 where equal
	return ^((x&lanes(0x7F) + lanes(0x7F)) | x) & lanes(0x80)
}

// fastSize returns the length of the character at text[i] when fastRun
// folds it (ASCII, Han, Chinese punctuation or an Arabic letter), else 0.
func fastSize(text string, i int) int {
	switch {
	case text[i] < utf8.RuneSelf:
		return 1
	case isHan3(text, i), isCJKPunct(text, i):
		return 3
	case isArabic2(text, i):
		return 2
	}
	return 0
}

// isCJKPunct reports whether text[i:] starts with one of the Chinese
// punctuation marks 、。〈〉《》「」『』【】 (U+3001–U+3002, U+3008–U+3011:
// E3 80 81 to E3 80 91), which fold to themselves like Han: fastRun
// copies them as it copies Han, rather than stop at every full stop.
func isCJKPunct(text string, i int) bool {
	if i+2 >= len(text) || text[i] != 0xE3 || text[i+1] != 0x80 {
		return false
	}
	c2 := text[i+2]
	return c2-0x81 <= 0x82-0x81 || c2-0x88 <= 0x91-0x88
}

// isHan3 reports whether text[i:] starts with a character of U+4E00–
// U+9FFF, the CJK block that stable keeps: E4 B8 80 to E9 BF BF, every
// such sequence being valid UTF-8.
func isHan3(text string, i int) bool {
	if i+2 >= len(text) {
		return false
	}
	c, c1, c2 := text[i], text[i+1], text[i+2]
	return c-0xE4 <= 0xE9-0xE4 && c1&0xC0 == 0x80 && c2&0xC0 == 0x80 && (c != 0xE4 || c1 >= 0xB8)
}

// isArabic2 reports whether text[i:] starts with an Arabic letter or the
// tatweel, U+0621–U+064A: D8 A1 to D9 8A.
func isArabic2(text string, i int) bool {
	if i+1 >= len(text) {
		return false
	}
	c, c1 := text[i], text[i+1]
	return c == 0xD8 && c1-0xA1 <= 0xBF-0xA1 || c == 0xD9 && c1-0x80 <= 0x8A-0x80
}

// arabicLetterFold is foldArabic over U+0621–U+064A, 0 for the tatweel
// it drops: stableRun looks a letter up here rather than walk
// foldArabic's cases.
var arabicLetterFold = func() (t [0x064A - 0x0621 + 1]uint16) {
	for r := rune(0x0621); r <= 0x064A; r++ {
		if a := foldArabic(r); a > 0 {
			t[r-0x0621] = uint16(a)
		}
	}
	return
}()

// decodeStable decodes the character at text[i] and returns what NFKC
// makes of it (see stable) and its length, or -1 when it may need the
// general path. ASCII is stable but for what follows it, which the caller
// checks.
func decodeStable(text string, i int) (rune, int) {
	if c := text[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	return stable(r), size
}

// stable returns what NFKC makes of r when r is a character that never
// combines with the one before it, and -1 when that is not known here.
// It covers the scripts aiwatch reads most, so that they skip the general
// path; it only has to be right, not complete.
func stable(r rune) rune {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF, // CJK unified ideographs
		r >= 0x0621 && r <= 0x064A,            // Arabic letters and tatweel
		r >= 0x00C0 && r <= 0x00FF,            // Latin-1 letters
		r == 0x060C, r == 0x061B, r == 0x061F, // Arabic comma, semicolon, question mark
		r >= 0x3001 && r <= 0x3002, r >= 0x3008 && r <= 0x3011, // 、。《》「」【】
		r == 0x2013, r == 0x2014, r == 0x2018, r == 0x2019, r == 0x201C, r == 0x201D:
		return r
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII: ，：（）！？ and letters
		return r - 0xFEE0
	case r == 0x3000: // ideographic space
		return ' '
	}
	return -1
}

// ascii appends one folded ASCII byte found at offset at.
func (f *folder) ascii(c byte, at int) {
	if c == ' ' {
		if f.lastSpace {
			return
		}
		f.lastSpace = true
	} else {
		f.lastSpace = false
	}
	f.dst = append(f.dst, c)
	if f.track {
		f.offsets = append(f.offsets, int32(at))
	}
}

// rune folds one non-ASCII (or normalised) rune found at offset at.
func (f *folder) rune(r rune, at int) {
	r = foldRune(r, f.fold)
	switch {
	case r < 0:
		return
	case r == ' ':
		if f.lastSpace {
			return
		}
		f.lastSpace = true
	default:
		f.lastSpace = false
	}
	n := len(f.dst)
	f.dst = utf8.AppendRune(f.dst, r)
	if f.track {
		for range len(f.dst) - n {
			f.offsets = append(f.offsets, int32(at))
		}
	}
}

// foldRune folds one rune; it returns -1 for a rune that is dropped.
// Invalid UTF-8 arrives as utf8.RuneError and stays so.
func foldRune(r rune, fold bool) rune {
	if r < utf8.RuneSelf {
		if fold {
			return rune(asciiFold[r])
		}
		return rune(asciiKeep[r])
	}
	switch {
	case r >= 0x0610 && r <= 0x06FF:
		return foldArabic(r)
	case r == 0x00AD, r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E,
		r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069, r == 0xFEFF, r == 0x180E:
		return -1 // soft hyphen, zero-width, bidi and other invisible marks
	case r >= 0x2010 && r <= 0x2015, r == 0x2212, r == 0xFE58, r == 0xFE63, r == 0xFF0D:
		return '-'
	case unicode.IsSpace(r):
		return ' '
	case fold && hasCase(r):
		return unicode.ToLower(unicode.ToUpper(r))
	}
	return r
}

// hasCase is false for the large caseless blocks (Arabic, General
// Punctuation, CJK, Hangul), to spare them the case tables
// (TestHasCase).
func hasCase(r rune) bool {
	return !(r >= 0x0600 && r < 0x0700 || r >= 0x2000 && r < 0x2070 ||
		r >= 0x2E80 && r < 0xA640 || r >= 0xAC00 && r < 0xD7B0)
}

func foldArabic(r rune) rune {
	switch {
	case r == 0x0622, r == 0x0623, r == 0x0625, r == 0x0671, r == 0x0672, r == 0x0673:
		return 0x0627 // alef with madda or hamza, alef wasla → bare alef
	case r == 0x0649, r == 0x06CC:
		return 0x064A // alef maksura, Persian yeh → yeh
	case r == 0x0629:
		return 0x0647 // teh marbuta → heh
	case r == 0x06A9:
		return 0x0643 // Persian keheh → kaf
	case r == 0x0640, // tatweel
		r >= 0x0610 && r <= 0x061A, // honorific and Quranic signs
		r == 0x061C,                // Arabic letter mark
		r >= 0x064B && r <= 0x065F, // harakat: tanwin, fatha, damma, kasra, shadda, sukun…
		r == 0x0670,                // superscript alef
		r >= 0x06D6 && r <= 0x06DC, r >= 0x06DF && r <= 0x06E4,
		r >= 0x06E7 && r <= 0x06E8, r >= 0x06EA && r <= 0x06ED:
		return -1
	}
	return r
}
