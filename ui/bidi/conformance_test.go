package bidi

import (
	"bufio"
	"compress/gzip"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// bidiCase is one line of BidiCharacterTest.txt.
type bidiCase struct {
	line   int
	text   []rune
	dir    direction
	para   int8
	levels []int8 // -1 for x, a character removed by X9
	order  []int
}

// readBidiCharacterTest reads the vendored copy of the Unicode conformance
// file BidiCharacterTest.txt (see testdata/LICENSE-UNICODE.txt).
func readBidiCharacterTest(t testing.TB) []bidiCase {
	t.Helper()
	f, err := os.Open("testdata/BidiCharacterTest.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var cases []bidiCase
	sc := bufio.NewScanner(zr)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Split(line, ";")
		if len(fields) != 5 {
			t.Fatalf("line %d: %d fields", n, len(fields))
		}
		c := bidiCase{line: n}
		for _, h := range strings.Fields(fields[0]) {
			r, err := strconv.ParseUint(h, 16, 32)
			if err != nil {
				t.Fatalf("line %d: %v", n, err)
			}
			c.text = append(c.text, rune(r))
		}
		d, _ := strconv.Atoi(fields[1])
		c.dir = []direction{dirLTR, dirRTL, dirAuto}[d]
		p, _ := strconv.Atoi(fields[2])
		c.para = int8(p)
		for _, l := range strings.Fields(fields[3]) {
			if l == "x" {
				c.levels = append(c.levels, -1)
				continue
			}
			v, _ := strconv.Atoi(l)
			c.levels = append(c.levels, int8(v))
		}
		for _, o := range strings.Fields(fields[4]) {
			v, _ := strconv.Atoi(o)
			c.order = append(c.order, v)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// resolveLine runs the whole algorithm on one line, as the conformance
// file expects it: levels after L1 and the visual order of L2.
func resolveLine(text []rune, dir direction) (levels []int8, para int8, order []int) {
	cls := make([]Class, len(text))
	for i, r := range text {
		cls[i] = ClassOf(r)
	}
	levels, para = levelsOf(text, cls, dir)
	lineLevels(cls, levels, para, 0, len(text))
	return levels, para, visualOrder(levels, 0, len(text))
}

// TestBidiCharacterTest runs every case of the Unicode conformance file
// and reports the share passed. All must pass.
func TestBidiCharacterTest(t *testing.T) {
	cases := readBidiCharacterTest(t)
	if len(cases) < 90000 {
		t.Fatalf("read %d cases, want the file's ~91,000", len(cases))
	}
	failed := 0
	for _, c := range cases {
		levels, para, order := resolveLine(c.text, c.dir)
		if para == c.para && slices.Equal(levels, c.levels) && slices.Equal(order, c.order) {
			continue
		}
		failed++
		if failed <= 10 {
			t.Errorf("line %d: %U dir %d:\n got para %d levels %v order %v\nwant para %d levels %v order %v",
				c.line, c.text, c.dir, para, levels, order, c.para, c.levels, c.order)
		}
	}
	passed := len(cases) - failed
	t.Logf("BidiCharacterTest.txt (Unicode %s): %d of %d cases passed (%.3f%%)",
		UnicodeVersion, passed, len(cases), 100*float64(passed)/float64(len(cases)))
}
