package cell

import (
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/ui/bidi"
)

func TestDraw(t *testing.T) {
	const headline = "ديب سيك تطلق" // "DeepSeek launches"
	tests := []struct {
		name string
		mode bidi.Mode
		in   string
		w    int
		want string
	}{
		{"terminal keeps logical order", bidi.Terminal, headline, 20, headline},
		{"auto unresolved draws as terminal", bidi.Auto, headline, 20, headline},
		{"app shapes and reverses", bidi.App, headline, 20, "ﻖﻠﻄﺗ ﻚﻴﺳ ﺐﻳﺩ"},
		{"app cut keeps the logical start, ellipsis at the logical end", bidi.App, headline, 8, "…\uFEDA\uFEF4\uFEB3 \uFE90\uFEF3\uFEA9"},
		{"app ligature is one cell", bidi.App, "لا لا", 3, "ﻻ ﻻ"},
		{"app latin untouched", bidi.App, "DeepSeek releases R1", 12, "DeepSeek re…"},
		{"app mixed", bidi.App, "DeepSeek: ديب سيك", 40, "DeepSeek: ﻚﻴﺳ ﺐﻳﺩ"},
		{"terminal cut", bidi.Terminal, "DeepSeek releases R1", 12, "DeepSeek re…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Draw(tt.mode, tt.in, tt.w, nil)
			if got != tt.want {
				t.Errorf("Draw = %q (%+q), want %q", got, got, tt.want)
			}
			if Width(got) > tt.w {
				t.Errorf("Draw is %d cells wide, more than %d", Width(got), tt.w)
			}
		})
	}
}

func TestDrawRuns(t *testing.T) {
	mark := func(s ...string) string { return "<" + strings.Join(s, "") + ">" }
	// "ديب سيك" is a mention at bytes 0..13 of the line.
	line := "ديب سيك تطلق"
	runs := []Run{{End: len("ديب سيك"), Style: mark}, {End: len(line)}}
	if got, want := Draw(bidi.App, line, 20, runs), "ﻖﻠﻄﺗ <ﻚﻴﺳ ﺐﻳﺩ>"; got != want {
		t.Errorf("app: %q, want %q", got, want)
	}
	if got, want := Draw(bidi.Terminal, line, 20, runs), "<ديب سيك> تطلق"; got != want {
		t.Errorf("terminal: %q, want %q", got, want)
	}
}

func TestEmit(t *testing.T) {
	tests := []struct {
		name string
		mode bidi.Mode
		in   string
		want string
	}{
		{"terminal isolates rtl", bidi.Terminal, "ديب", fsi + "ديب" + pdi},
		{"terminal leaves latin", bidi.Terminal, "DeepSeek", "DeepSeek"},
		{"app overrides a visual line", bidi.App, "ﺐﻳﺩ", lro + "ﺐﻳﺩ" + pdf},
		{"app leaves latin", bidi.App, "DeepSeek", "DeepSeek"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Emit(tt.mode, tt.in, 20); got != tt.want {
				t.Errorf("Emit = %+q, want %+q", got, tt.want)
			}
			if Width(Emit(tt.mode, tt.in, 20)) != Width(tt.in) {
				t.Errorf("the direction marks take cells")
			}
		})
	}
}

// FuzzDraw checks that a drawn line never takes more than its cells, in
// either mode, and that app mode keeps the line's visible characters
// (shaped) when it fits.
func FuzzDraw(f *testing.F) {
	for _, s := range []string{"", "DeepSeek", "ديب سيك تطلق نموذج R1", "华为 وبيرين (EL)", "לא ١٢٣ abc", "لا\u0651لا"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, w int) {
		s = Line(s)
		w = w%200 + 1
		if w < 1 {
			w += 200
		}
		for _, mode := range []bidi.Mode{bidi.Terminal, bidi.App} {
			got := Draw(mode, s, w, nil)
			if Width(got) > w {
				t.Fatalf("%v: Draw(%q, %d) = %q, %d cells", mode, s, w, got, Width(got))
			}
			if e := Emit(mode, got, w); Width(e) > w {
				t.Fatalf("%v: Emit is %d cells", mode, Width(e))
			}
		}
	})
}

func TestWrapSpansMode(t *testing.T) {
	// Each "لا" is two letters but one cell once shaped into a ligature.
	s := "لا لا لا لا"
	lines := func(mode bidi.Mode) []string {
		var out []string
		for _, sp := range WrapSpansMode(mode, s, 5) {
			out = append(out, s[sp.Start:sp.End])
		}
		return out
	}
	if got := lines(bidi.Terminal); len(got) != 2 || got[0] != "لا لا" {
		t.Errorf("terminal: %q, want two 2-cell words a line", got)
	}
	if got := lines(bidi.App); len(got) != 2 || got[0] != "لا لا لا" {
		t.Errorf("app: %q, want three ligatures on the first line", got)
	}
	for _, l := range lines(bidi.App) {
		if w := Width(Draw(bidi.App, l, 5, nil)); w > 5 {
			t.Errorf("%q draws %d cells wide", l, w)
		}
	}
}
