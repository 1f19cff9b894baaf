// Package bidi makes right-to-left text readable in terminals that do not
// apply the Unicode Bidirectional Algorithm themselves. It shapes Arabic
// (contextual forms and the lam-alef ligatures, as presentation forms) and
// reorders a displayed line by the Unicode Bidirectional Algorithm (UAX #9),
// so that the line can be written to the terminal cell by cell, left to
// right. It also decides, from the environment, whether that is needed.
//
// The package is pure: no I/O. Its tables are generated from the Unicode
// Character Database files vendored in testdata (go generate runs gen.go),
// and the reordering passes the Unicode conformance test
// BidiCharacterTest.txt (see conformance_test.go).
package bidi

//go:generate go run gen.go

// Class is a Bidi_Class value (UAX #9, table 4).
type Class uint8

// The bidi classes.
const (
	L   Class = iota // left to right
	R                // right to left
	AL               // Arabic letter
	EN               // European number
	ES               // European separator
	ET               // European terminator
	AN               // Arabic number
	CS               // common separator
	NSM              // non-spacing mark
	BN               // boundary neutral
	B                // paragraph separator
	S                // segment separator
	WS               // white space
	ON               // other neutral
	LRE              // left-to-right embedding
	LRO              // left-to-right override
	RLE              // right-to-left embedding
	RLO              // right-to-left override
	PDF              // pop directional format
	LRI              // left-to-right isolate
	RLI              // right-to-left isolate
	FSI              // first strong isolate
	PDI              // pop directional isolate
)

type classRange struct {
	lo, hi rune
	class  Class
}

type bracket struct {
	r, pair rune
	open    bool
}

type joiningType uint8

// The joining types of ArabicShaping.txt; U, non-joining, is the zero value.
const (
	joinU joiningType = iota
	joinR             // joins the letter before it (logically)
	joinL             // joins the letter after it
	joinD             // joins both
	joinC             // causes joining on both sides, like tatweel and ZWJ
	joinT             // transparent: skipped when joining, like harakat
)

type joiningRange struct {
	lo, hi rune
	jt     joiningType
}

type letterForms struct {
	r     rune
	forms [4]rune // isolated, final, initial, medial
}

type ligature struct {
	alef  rune
	forms [2]rune // isolated, final
}

// ClassOf returns the bidi class of r.
func ClassOf(r rune) Class {
	if r >= 0 && r < 0x80 {
		return asciiClass[r]
	}
	lo, hi := 0, len(classRanges)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch e := &classRanges[m]; {
		case r < e.lo:
			hi = m
		case r > e.hi:
			lo = m + 1
		default:
			return e.class
		}
	}
	return L
}

func joiningOf(r rune) joiningType {
	lo, hi := 0, len(joiningRanges)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch e := &joiningRanges[m]; {
		case r < e.lo:
			hi = m
		case r > e.hi:
			lo = m + 1
		default:
			return e.jt
		}
	}
	return joinU
}

// pairOf returns the paired bracket of r and whether r opens a pair;
// ok is false when r is not a paired bracket.
func pairOf(r rune) (pair rune, open, ok bool) {
	lo, hi := 0, len(brackets)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch e := &brackets[m]; {
		case r < e.r:
			hi = m
		case r > e.r:
			lo = m + 1
		default:
			return e.pair, e.open, true
		}
	}
	return 0, false, false
}

// Mirror returns the Bidi_Mirroring_Glyph of r, or r when it has none.
func Mirror(r rune) rune {
	lo, hi := 0, len(mirrors)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch e := &mirrors[m]; {
		case r < e[0]:
			hi = m
		case r > e[0]:
			lo = m + 1
		default:
			return e[1]
		}
	}
	return r
}
