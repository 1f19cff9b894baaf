package bidi

import (
	"testing"

	xbidi "golang.org/x/text/unicode/bidi"
)

// TestXTextConformance measures golang.org/x/text/unicode/bidi, the
// library this package would otherwise use, on the same conformance file:
// the share of cases in which it gets at least the direction of every
// character right (the parity of its level), which passing a case
// requires. It fails when that library passes them all: then it may do
// the work of this package, and should be considered.
func TestXTextConformance(t *testing.T) {
	cases := readBidiCharacterTest(t)
	right := 0
	for _, c := range cases {
		if xtextDirections(c) {
			right++
		}
	}
	t.Logf("golang.org/x/text/unicode/bidi gets every character's direction right in %d of %d cases (%.1f%%)",
		right, len(cases), 100*float64(right)/float64(len(cases)))
	if right == len(cases) {
		t.Errorf("golang.org/x/text/unicode/bidi now resolves every case's directions: check whether it passes the conformance test and could replace this package")
	}
}

// xtextDirections reports whether x/text resolves each character of c to
// the direction the file expects. It cannot force a paragraph direction:
// its DefaultDirection applies only to text without strong letters.
func xtextDirections(c bidiCase) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	var opts []xbidi.Option
	switch c.dir {
	case dirLTR:
		opts = append(opts, xbidi.DefaultDirection(xbidi.LeftToRight))
	case dirRTL:
		opts = append(opts, xbidi.DefaultDirection(xbidi.RightToLeft))
	}
	var p xbidi.Paragraph
	if _, err := p.SetString(string(c.text), opts...); err != nil {
		return false
	}
	o, err := p.Order()
	if err != nil {
		return false
	}
	var dirs []int8
	for k := range o.NumRuns() {
		r := o.Run(k)
		start, end := r.Pos() // runes, end included
		d := int8(0)
		if r.Direction() == xbidi.RightToLeft {
			d = 1
		}
		for range end - start + 1 {
			dirs = append(dirs, d)
		}
	}
	if len(dirs) != len(c.levels) {
		return false
	}
	for i, l := range c.levels {
		if l >= 0 && l&1 != dirs[i] {
			return false
		}
	}
	return true
}
