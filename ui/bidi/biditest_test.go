package bidi

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestBidiTest runs Unicode's other conformance file, BidiTest.txt, which
// gives bidi classes rather than characters (so it has no brackets). At
// 1.3 MB gzipped it is not vendored: the test runs where Debian's
// unicode-data package put it, and skips elsewhere.
func TestBidiTest(t *testing.T) {
	f, err := os.Open("/usr/share/unicode/BidiTest.txt")
	if err != nil {
		t.Skipf("BidiTest.txt is not here (apt-get install unicode-data): %v", err)
	}
	defer f.Close()
	names := map[string]Class{"L": L, "R": R, "AL": AL, "EN": EN, "ES": ES, "ET": ET, "AN": AN, "CS": CS, "NSM": NSM, "BN": BN, "B": B, "S": S, "WS": WS, "ON": ON, "LRE": LRE, "LRO": LRO, "RLE": RLE, "RLO": RLO, "PDF": PDF, "LRI": LRI, "RLI": RLI, "FSI": FSI, "PDI": PDI}
	var levels []int8
	var order []int
	total, pass := 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "@Levels:"); ok {
			levels = nil
			for _, l := range strings.Fields(rest) {
				if l == "x" {
					levels = append(levels, -1)
				} else {
					v, _ := strconv.Atoi(l)
					levels = append(levels, int8(v))
				}
			}
			continue
		}
		if rest, ok := strings.CutPrefix(line, "@Reorder:"); ok {
			order = nil
			for _, o := range strings.Fields(rest) {
				v, _ := strconv.Atoi(o)
				order = append(order, v)
			}
			continue
		}
		if line[0] == '@' {
			continue
		}
		a, b, _ := strings.Cut(line, ";")
		var cls []Class
		for _, n := range strings.Fields(a) {
			cls = append(cls, names[n])
		}
		bits, _ := strconv.Atoi(strings.TrimSpace(b))
		for i, d := range []direction{dirAuto, dirLTR, dirRTL} {
			if bits&(1<<i) == 0 {
				continue
			}
			total++
			text := make([]rune, len(cls))
			c2 := slices.Clone(cls)
			lv, para := levelsOf(text, c2, d)
			lineLevels(c2, lv, para, 0, len(c2))
			o := visualOrder(lv, 0, len(c2))
			if slices.Equal(lv, levels) && slices.Equal(o, order) {
				pass++
			} else if total-pass <= 10 {
				t.Errorf("%s dir %d: got %v %v want %v %v", a, d, lv, o, levels, order)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("BidiTest.txt: %d of %d cases passed", pass, total)
}
