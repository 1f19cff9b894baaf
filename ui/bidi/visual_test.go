package bidi

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

func TestVisual(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"latin unchanged", "DeepSeek raises prices", "DeepSeek raises prices"},
		{"chinese unchanged", "华为发布 Ascend 芯片", "华为发布 Ascend 芯片"},
		{"hebrew reversed", "שלום עולם", "םלוע םולש"},
		{"arabic shaped and reversed", "باب", "\uFE8F\uFE8E\uFE91"},
		{"latin inside rtl keeps its order", "שלום AI עולם", "םלוע AI םולש"},
		{"rtl inside ltr", "CEO אבג said", "CEO גבא said"},
		{"european digits stay left to right", "שנת 2025", "2025 תנש"},
		{"brackets mirrored in rtl", "א(ב)", "(ב)א"},
		{"mark stays after its letter", "בָּא", "אבָּ"},
		{"ellipsis at the logical end goes left", "שלום…", "…םולש"},
		{"arabic number keeps its order", "عام ٢٠٢٥", "٢٠٢٥ \uFEE1\uFE8E\uFECB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Visual(tt.in); got != tt.want {
				t.Errorf("Visual(%q) = %q (%+q), want %q", tt.in, got, got, tt.want)
			}
		})
	}
}

func TestLayoutOffsets(t *testing.T) {
	s := "AI لا شيء"
	ps := Layout(s)
	// Every piece points at the logical text it shows.
	for _, p := range ps {
		if p.At < 0 || p.At >= len(s) {
			t.Fatalf("piece %q at %d, outside the line", p.Text, p.At)
		}
	}
	if ps[0].Text != "A" || ps[0].At != 0 || ps[1].Text != "I" || ps[1].At != 1 {
		t.Errorf("the latin start should come first, in order: %+v", ps[:2])
	}
	// The lam-alef ligature is one piece that points at the lam.
	for _, p := range ps {
		if p.Text == "\uFEFB" {
			if !strings.HasPrefix(s[p.At:], "لا") {
				t.Errorf("ligature points at %q", s[p.At:])
			}
			return
		}
	}
	t.Errorf("no lam-alef ligature in %+v", ps)
}

// TestNeedsLayoutSkips checks that the ranges NeedsLayout skips without a
// lookup hold nothing it must see.
func TestNeedsLayoutSkips(t *testing.T) {
	for r := rune(0); r < 0xFB1D; r++ {
		if r >= 0x0590 && r < 0x0900 || r >= 0x200F && r <= 0x2069 {
			continue
		}
		if NeedsLayout(string(r)) {
			continue
		}
		switch c := ClassOf(r); c {
		case R, AL, AN, LRE, LRO, RLE, RLO, PDF, LRI, RLI, FSI, PDI:
			t.Errorf("U+%04X is %d but NeedsLayout skips it", r, c)
		}
	}
}

func TestRightToLeft(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", false},
		{"DeepSeek", false},
		{"١٢٣", false}, // numbers are not strong
		{"ديب سيك DeepSeek", true},
		{"DeepSeek ديب سيك", false},
		{"2025: שלום", true},
	}
	for _, tt := range tests {
		if got := RightToLeft(tt.in); got != tt.want {
			t.Errorf("RightToLeft(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseMode(t *testing.T) {
	tests := []struct {
		in   string
		want Mode
		err  bool
	}{
		{"", Auto, false},
		{"auto", Auto, false},
		{" App ", App, false},
		{"terminal", Terminal, false},
		{"rtl", Auto, true},
	}
	for _, tt := range tests {
		got, err := ParseMode(tt.in)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("ParseMode(%q) = %v, %v", tt.in, got, err)
		}
		if err != nil && !errors.Is(err, ErrMode) {
			t.Errorf("ParseMode(%q): error %v is not ErrMode", tt.in, err)
		}
		if err == nil && got.String() != strings.ToLower(strings.TrimSpace(tt.in)) && tt.in != "" {
			t.Errorf("%v.String() does not read back as %q", got, tt.in)
		}
	}
}

func TestModeText(t *testing.T) {
	var m Mode
	if err := m.UnmarshalText([]byte("app")); err != nil || m != App {
		t.Errorf("UnmarshalText(app) = %v, %v", m, err)
	}
	if err := m.UnmarshalText([]byte("both")); !errors.Is(err, ErrMode) {
		t.Errorf("UnmarshalText(both): %v", err)
	}
	if b, _ := Terminal.MarshalText(); string(b) != "terminal" {
		t.Errorf("MarshalText = %q", b)
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name string
		mode Mode
		env  map[string]string
		want Mode
	}{
		{"plain xterm", Auto, map[string]string{"TERM": "xterm-256color"}, App},
		{"vte", Auto, map[string]string{"TERM": "xterm-256color", "VTE_VERSION": "7600"}, Terminal},
		{"konsole", Auto, map[string]string{"KONSOLE_VERSION": "230805"}, Terminal},
		{"mlterm", Auto, map[string]string{"MLTERM": "3.9.3"}, Terminal},
		{"vte inside tmux", Auto, map[string]string{"TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0", "VTE_VERSION": "7600"}, App},
		{"konsole inside screen", Auto, map[string]string{"TERM": "screen", "STY": "1.pts-0", "KONSOLE_VERSION": "230805"}, App},
		{"kitty", Auto, map[string]string{"TERM": "xterm-kitty"}, App},
		{"app forced in vte", App, map[string]string{"VTE_VERSION": "7600"}, App},
		{"terminal forced in tmux", Terminal, map[string]string{"TMUX": "x"}, Terminal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.mode.Resolve(func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("Resolve = %v, want %v", got, tt.want)
			}
		})
	}
}

// FuzzLayout checks that any line lays out without panicking, that each
// piece points into the line, and that nothing visible is lost: the
// pieces hold every character of the shaped line but the X9 controls,
// which go unless they are inside a grapheme cluster (a ZWJ in an emoji).
func FuzzLayout(f *testing.F) {
	for _, s := range []string{"", "abc", "ديب سيك تطلق نموذج R1", "א(ב)ג 12 [x]", "لا لأ لإ لآ", "\u202eevil\u202c", "\u2067א\u2069b", "a\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		ps := Layout(s)
		n := 0
		for _, p := range ps {
			if p.At < 0 || p.At >= len(s) {
				t.Fatalf("piece %q at %d of %d bytes", p.Text, p.At, len(s))
			}
			n += utf8.RuneCountInString(p.Text)
		}
		kept, total := 0, 0
		for _, r := range Shape(s) {
			total++
			if !removed(ClassOf(r)) {
				kept++
			}
		}
		if n < kept || n > total {
			t.Fatalf("%d characters out, want %d to %d", n, kept, total)
		}
	})
}

func BenchmarkVisual(b *testing.B) {
	for _, bc := range []struct{ name, s string }{
		{"latin", "DeepSeek releases R1, an open reasoning model that rivals o1"},
		{"chinese", "深度求索发布开源推理模型 DeepSeek-R1，性能比肩 o1"},
		{"arabic", "ديب سيك الصينية تطلق نموذج R1 للاستدلال مفتوح المصدر"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Visual(bc.s)
			}
		})
	}
}

// TestSimpleClusters checks the fast clustering of Layout against uniseg
// for every character it accepts: alone, before and after a letter, and
// with a mark after it.
func TestSimpleClusters(t *testing.T) {
	bad := 0
	for r := rune(0); r <= 0xFFFF; r++ {
		if !simpleClusters([]rune{r}) {
			continue
		}
		for _, s := range []string{string(r), "a" + string(r), string(r) + "a", string(r) + "\u064E", "\u0628" + string(r) + "\u0301b", string(r) + string(r)} {
			if got, want := fastClusters(s), unisegClusters(s); !slices.Equal(got, want) {
				if bad++; bad <= 10 {
					t.Errorf("%+q: fast %q, uniseg %q", s, got, want)
				}
			}
		}
	}
}

func fastClusters(s string) []string {
	rs := []rune(s)
	var out []string
	for n := 0; n < len(rs); {
		k := 1
		for n+k < len(rs) && isExtend(rs[n+k]) {
			k++
		}
		out = append(out, string(rs[n:n+k]))
		n += k
	}
	return out
}

func unisegClusters(s string) []string {
	var out []string
	state := -1
	for s != "" {
		var c string
		c, s, _, state = uniseg.FirstGraphemeClusterInString(s, state)
		out = append(out, c)
	}
	return out
}
