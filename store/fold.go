package store

import (
	"cmp"
	_ "embed"
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
		// Runs of ASCII, the bulk of most text, without a call per byte.
		i = f.asciiRun(text, i, table)
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

// asciiRun folds the ASCII characters from text[i] on that are followed
// by another ASCII character, and returns where it stopped. It is
// f.ascii unrolled over a run, with the folder's fields held in locals,
// which the compiler keeps in registers.
func (f *folder) asciiRun(text string, i int, table *[utf8.RuneSelf]byte) int {
	if i+1 >= len(text) || text[i] >= utf8.RuneSelf || text[i+1] >= utf8.RuneSelf {
		return i
	}
	dst, offsets, lastSpace := f.dst, f.offsets, f.lastSpace
	for ; i+1 < len(text) && text[i] < utf8.RuneSelf && text[i+1] < utf8.RuneSelf; i++ {
		c := table[text[i]]
		if c == ' ' {
			if lastSpace {
				continue
			}
			lastSpace = true
		} else {
			lastSpace = false
		}
		dst = append(dst, c)
		if f.track {
			offsets = append(offsets, int32(i))
		}
	}
	f.dst, f.offsets, f.lastSpace = dst, offsets, lastSpace
	return i
}

// stableRun folds, from text[i] on, a run of characters that NFKC is
// known to leave (or map) alone whatever follows, which is the case for
// the scripts aiwatch reads most, and returns the run's length in bytes;
// it returns 0 when text[i] needs the general path. A character is folded
// here only when the next one does not combine with it. Each character is
// decoded once: it is looked at as the next one, then folded.
func (f *folder) stableRun(text string, i int, table *[utf8.RuneSelf]byte) int {
	start := i
	r, size := decodeStable(text, i)
	if r < 0 {
		return 0
	}
	for {
		j := i + size
		var next rune = -1
		var nsize int
		if j < len(text) {
			if next, nsize = decodeStable(text, j); next < 0 {
				// text[j] may combine with text[i]: leave both to the
				// general path.
				return i - start
			}
		}
		switch {
		case r < utf8.RuneSelf:
			f.ascii(table[r], i)
		case r >= 0x4E00 && r <= 0x9FFF:
			// Han: caseless, never dropped or mapped; copy its bytes.
			f.lastSpace = false
			f.dst = append(f.dst, text[i:j]...)
			if f.track {
				at := int32(i)
				f.offsets = append(f.offsets, at, at, at)
			}
		case r >= 0x0621 && r <= 0x064A:
			// Arabic letters: two bytes in, two bytes out, or none for
			// a tatweel.
			if a := foldArabic(r); a >= 0 {
				f.lastSpace = false
				f.dst = append(f.dst, byte(0xC0|a>>6), byte(0x80|a&0x3F))
				if f.track {
					at := int32(i)
					f.offsets = append(f.offsets, at, at)
				}
			}
		default:
			f.rune(r, i)
		}
		if next < 0 {
			return j - start
		}
		i, r, size = j, next, nsize
	}
}

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

// hasCase is false for the large caseless blocks (CJK, Hangul), to spare
// them the case tables.
func hasCase(r rune) bool {
	return !(r >= 0x2E80 && r < 0xA640 || r >= 0xAC00 && r < 0xD7B0)
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
