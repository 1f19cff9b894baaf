package bidi

import (
	"bufio"
	"compress/gzip"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// readJoiningTypes reads the joining types listed in the vendored
// ArabicShaping.txt, on its own, not through the generated tables.
func readJoiningTypes(t *testing.T) map[rune]joiningType {
	t.Helper()
	f, err := os.Open("testdata/ArabicShaping.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]joiningType{"U": joinU, "R": joinR, "L": joinL, "D": joinD, "C": joinC, "T": joinT}
	out := map[rune]joiningType{}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Split(line, ";")
		if len(fields) < 3 {
			continue
		}
		r, err := strconv.ParseUint(strings.TrimSpace(fields[0]), 16, 32)
		if err != nil {
			t.Fatal(err)
		}
		jt, ok := types[strings.TrimSpace(fields[2])]
		if !ok {
			t.Fatalf("U+%04X: joining type %q", r, fields[2])
		}
		out[rune(r)] = jt
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestJoiningTypes checks the generated table against ArabicShaping.txt
// for every code point: listed ones have the file's type, the others are
// T when their general category is Mn, Me or Cf (by Go's unicode tables,
// also Unicode 15.0.0), and U otherwise, as the file's header says.
func TestJoiningTypes(t *testing.T) {
	listed := readJoiningTypes(t)
	if len(listed) < 800 {
		t.Fatalf("read %d joining types, want the file's ~900", len(listed))
	}
	if unicode.Version != UnicodeVersion {
		t.Skipf("Go's unicode tables are %s, ours %s: the unlisted code points cannot be compared", unicode.Version, UnicodeVersion)
	}
	bad := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want, ok := listed[r]
		if !ok {
			want = joinU
			if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
				want = joinT
			}
		}
		if got := joiningOf(r); got != want {
			if bad++; bad <= 10 {
				t.Errorf("U+%04X: joining type %d, want %d", r, got, want)
			}
		}
	}
}

// TestJoinForms puts every character ArabicShaping.txt lists between two
// behs (dual-joining) and checks, from the file's joining type alone,
// which of the three join.
func TestJoinForms(t *testing.T) {
	const beh = 0x0628
	for r, jt := range readJoiningTypes(t) {
		fs := joinForms([]rune{beh, r, beh})
		back := jt == joinR || jt == joinD || jt == joinC
		fwd := jt == joinL || jt == joinD || jt == joinC
		if jt == joinT { // transparent: the behs join through it
			back, fwd = true, true
		}
		wantFirst, wantLast := isolated, isolated
		if back {
			wantFirst = initial
		}
		if fwd {
			wantLast = final
		}
		wantMid := map[[2]bool]uint8{{false, false}: isolated, {true, false}: final, {false, true}: initial, {true, true}: medial}[[2]bool{back, fwd}]
		if jt == joinT {
			wantMid = isolated
		}
		if fs[0] != uint8(wantFirst) || fs[1] != wantMid || fs[2] != uint8(wantLast) {
			t.Errorf("beh U+%04X (type %d) beh: forms %v, want [%d %d %d]", r, jt, fs, wantFirst, wantMid, wantLast)
		}
	}
}

func TestShape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Forms from the Unicode code charts, Arabic Presentation Forms-B.
		{"beh alone", "ب", "\uFE8F"},
		{"three behs", "ببب", "\uFE91\uFE92\uFE90"},
		{"alef does not join forward", "ابا", "\uFE8D\uFE91\uFE8E"},
		{"lam-alef isolated", "لا", "\uFEFB"},
		{"lam-alef final", "بلا", "\uFE91\uFEFC"},
		{"lam-alef with hamza above", "لأ", "\uFEF7"},
		{"lam then alef apart", "ل ا", "\uFEDD \uFE8D"},
		{"mark is transparent", "بَب", "\uFE91\u064E\uFE90"},
		{"tatweel causes joining", "بـ", "\uFE91\u0640"},
		{"hamza does not join", "بءب", "\uFE8F\uFE80\uFE8F"},
		{"ZWNJ breaks joining", "ب\u200cب", "\uFE8F\u200c\uFE8F"},
		{"ZWJ joins", "ب\u200d", "\uFE91\u200d"},
		{"Persian peh (Forms-A)", "پپ", "\uFB58\uFB57"},
		{"latin untouched", "DeepSeek", "DeepSeek"},
		{"chinese untouched", "深度求索", "深度求索"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Shape(tt.in); got != tt.want {
				t.Errorf("Shape(%q) = %+q, want %+q", tt.in, got, tt.want)
			}
		})
	}
}

// TestShapeEveryLetter shapes every letter that has presentation forms in
// each position and checks it takes the form its joining type allows.
func TestShapeEveryLetter(t *testing.T) {
	const beh = "\u0628"
	listed := readJoiningTypes(t)
	for _, f := range forms {
		jt := listed[f.r]
		l := string(f.r)
		want := func(form int) rune {
			if f.forms[form] == 0 {
				return f.r
			}
			return f.forms[form]
		}
		check := func(in string, at, form int) {
			t.Helper()
			got := []rune(Shape(in))
			if got[at] != want(form) {
				t.Errorf("U+%04X (type %d) in %+q: %U, want %U", f.r, jt, in, got[at], want(form))
			}
		}
		check(l, 0, isolated)
		if jt == joinR || jt == joinD {
			check(beh+l, 1, final)
		}
		if jt == joinD {
			check(l+beh, 0, initial)
			check(beh+l+beh, 1, medial)
		}
		if jt == joinR {
			check(l+beh, 0, isolated)
			check(beh+l+beh, 1, final)
		}
	}
}
