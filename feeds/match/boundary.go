package match

import (
	"unicode"
	"unicode/utf8"
)

// edge says what an alias needs at one of its ends.
type edge uint8

const (
	// edgeFree: the alias ends in Chinese or punctuation and matches as a
	// substring.
	edgeFree edge = iota
	// edgeWord: the alias ends in a Latin (or other alphabetic) letter or
	// a digit and must not continue a word there.
	edgeWord
	// edgeArabic: the alias ends in an Arabic letter; whole word, but
	// proclitics may be attached on the left.
	edgeArabic
)

func edgeOf(r rune) edge {
	switch {
	case isArabicLetter(r):
		return edgeArabic
	case isWordRune(r):
		return edgeWord
	}
	return edgeFree
}

// isWordRune reports whether r continues a word of an alphabetic script
// other than Arabic: letters, digits, marks and '_'. Chinese, Japanese and
// Korean characters are not word runes, so "在Huawei发布" still names
// Huawei.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	if isCommonNonWord(r) {
		return false // spares the Unicode tables the letters met most
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
		return false
	}
	return !unicode.In(r, unicode.Arabic, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

func isArabicLetter(r rune) bool {
	if r >= 0x0621 && r <= 0x064A && r != 0x0640 {
		return true // the Arabic alphabet, without a table search
	}
	return r >= 0x0600 && unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r)
}

// isCommonNonWord reports whether r is in one of the blocks next to which
// names are met most and that isWordRune rejects: the Arabic alphabet
// (U+0621–U+064A but the tatweel, which is of no script), the CJK
// unified ideographs (U+4E00–U+9FFF) and the commas and full stop of
// Arabic and Chinese.
// TestCommonNonWord checks it against the Unicode tables.
func isCommonNonWord(r rune) bool {
	return r >= 0x0621 && r <= 0x064A && r != 0x0640 || r >= 0x4E00 && r <= 0x9FFF ||
		r == 0x060C || r == 0x3001 || r == 0x3002 // ، 、 。
}

// proclitics are the prefixes an Arabic word can carry: a conjunction
// (و ف), a preposition (ب ل ك) and the article (ال), each optional, in
// that order; ل with ال is written لل. Stored in folded form.
var proclitics = func() map[string]bool {
	set := map[string]bool{}
	for _, conj := range []string{"", "و", "ف"} {
		for _, prep := range []string{"", "ب", "ل", "ك"} {
			for _, art := range []string{"", "ال"} {
				p := conj + prep + art
				if prep == "ل" && art == "ال" {
					p = conj + "لل"
				}
				if p != "" {
					set[p] = true
				}
			}
		}
	}
	return set
}()

// maxProclitic is the longest proclitic in runes (وبال).
const maxProclitic = 4

// leftOK reports whether a match starting at folded[start] may start a
// word there.
func leftOK(folded []byte, start int, e edge) bool {
	if start == 0 || e == edgeFree {
		return true
	}
	prev, _ := utf8.DecodeLastRune(folded[:start])
	switch e {
	case edgeWord:
		return !isWordRune(prev)
	case edgeArabic:
		k, n := start, 0
		for k > 0 {
			r, size := utf8.DecodeLastRune(folded[:k])
			if !isArabicLetter(r) {
				break
			}
			if n++; n > maxProclitic {
				return false
			}
			k -= size
		}
		if k > 0 {
			if r, _ := utf8.DecodeLastRune(folded[:k]); isWordRune(r) {
				return false
			}
		}
		return k == start || proclitics[string(folded[k:start])]
	}
	return true
}

// rightOK reports whether a match ending at folded[end] may end a word
// there. Possessives and hyphens ("Huawei's", "Huawei-backed") do.
func rightOK(folded []byte, end int, e edge) bool {
	if end == len(folded) || e == edgeFree {
		return true
	}
	next, _ := utf8.DecodeRune(folded[end:])
	switch e {
	case edgeWord:
		return !isWordRune(next)
	case edgeArabic:
		return !isArabicLetter(next) && !isWordRune(next)
	}
	return true
}

func firstRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }

func lastRune(s string) (rune, int) { return utf8.DecodeLastRuneInString(s) }

// inWebAddress reports whether folded[start:end], a Latin name, is part
// of a host name: www.baidu.com, baidu.com/s?wd=, https://baidu.com. A
// name followed by ".ai" is a brand (Zhipu.AI), not a host, and a name
// written with a capital after a dot starts a sentence whose space went
// missing ("sanctions.Unisoc"). first is the name's first byte in the
// original text.
func inWebAddress(folded []byte, start, end int, first byte) bool {
	if start > 0 && (first < 'A' || first > 'Z') {
		switch folded[start-1] {
		case '/', '@':
			return true
		case '.':
			if start > 1 && isWordRune(rune(folded[start-2])) {
				return true
			}
		}
	}
	if end < len(folded) && folded[end] == '.' {
		rest := folded[end+1:]
		for _, tld := range []string{"com", "cn", "net", "org", "hk", "tw"} {
			if len(rest) >= len(tld) && string(rest[:len(tld)]) == tld &&
				(len(rest) == len(tld) || !isWordRune(rune(rest[len(tld)]))) {
				return true
			}
		}
	}
	return false
}
