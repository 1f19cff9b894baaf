package cell

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

func TestLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Huawei joins alliance", "Huawei joins alliance"},
		{"collapses space and newlines", "  Huawei\n\tjoins \r\n alliance  ", "Huawei joins alliance"},
		{"drops CSI", "red \x1b[31mtext\x1b[0m", "red text"},
		{"drops OSC up to BEL", "a\x1b]0;pwned\x07b", "ab"},
		{"drops OSC up to ST", "a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"},
		{"drops DEL", "a\x7fc", "ac"},
		{"drops a C1 CSI sequence", "a\u009b31mb", "ab"},
		{"drops a C1 OSC 52 up to BEL", "a\u009d52;c;cGF5bG9hZA==\u0007b", "ab"},
		{"drops a C1 OSC up to C1 ST", "a\u009d8;;http://x\u009clink\u009d8;;\u009cb", "alinkb"},
		{"drops a C1 DCS", "a\u0090qpayload\u009cb", "ab"},
		{"drops bidi override", "abc\u202edef\u202c", "abcdef"},
		{"drops bidi isolates and marks", "\u2067عربي\u2069\u200f", "عربي"},
		{"keeps ZWJ emoji", "👩\u200d💻", "👩\u200d💻"},
		{"keeps Chinese and Arabic", "华为 هواوي", "华为 هواوي"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
		{"ideographic space is a space", "华为\u3000壁仞", "华为 壁仞"},
		{"drops LRM and RLM too", "a\u200eb\u200fc", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestBody(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"keeps paragraphs", "one\ntwo", "one\ntwo"},
		{"at most one blank line", "one\n\n\n\ntwo", "one\n\ntwo"},
		{"CRLF", "one\r\ntwo", "one\ntwo"},
		{"trims ends", "\n  one  \n", "one"},
		{"drops escapes", "one\x1b[2Jtwo", "onetwo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Body(tt.in); got != tt.want {
				t.Errorf("Body(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLineMap(t *testing.T) {
	raw := "  a\x1b[31m华为\x1b[0m and\n\n壁仞"
	out, pos := LineMap(raw)
	if out != "a华为 and 壁仞" {
		t.Fatalf("LineMap text = %q", out)
	}
	if len(pos) != len(raw)+1 {
		t.Fatalf("len(pos) = %d, want %d", len(pos), len(raw)+1)
	}
	start := strings.Index(raw, "华为")
	if got := out[pos[start]:pos[start+len("华为")]]; got != "华为" {
		t.Errorf("mapped 华为 = %q", got)
	}
	start = strings.Index(raw, "壁仞")
	if got := out[pos[start]:pos[start+len("壁仞")]]; got != "壁仞" {
		t.Errorf("mapped 壁仞 = %q", got)
	}
	for i := 1; i < len(pos); i++ {
		if pos[i] < pos[i-1] {
			t.Fatalf("pos is not monotonic at %d: %v", i, pos)
		}
	}
}

func TestTruncateAndFit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		w    int
		want string
	}{
		{"fits", "Huawei", 10, "Huawei"},
		{"cut with ellipsis", "Moore Threads", 8, "Moore T…"},
		{"chinese never mid-character", "华为壁仞摩尔线程", 6, "华为…"},
		{"chinese odd width", "华为壁仞摩尔线程", 7, "华为壁…"},
		{"arabic", "ويضم هذا التحالف", 5, "ويضم…"},
		{"zero", "abc", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Truncate(tt.in, tt.w)
			if got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Truncate cut inside a character: %q", got)
			}
			if f := Fit(tt.in, tt.w); ansi.StringWidth(f) != tt.w {
				t.Errorf("Fit(%q, %d) is %d cells wide", tt.in, tt.w, ansi.StringWidth(f))
			}
		})
	}
}

func TestWrapSpans(t *testing.T) {
	tests := []struct {
		name string
		in   string
		w    int
		want []string
	}{
		{"words", "Huawei joins the alliance", 12, []string{"Huawei joins", "the alliance"}},
		{"long word hard-wrapped", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"chinese", "华为壁仞摩尔线程", 6, []string{"华为壁", "仞摩尔", "线程"}},
		{"chinese does not overflow at odd width", "华为壁仞", 5, []string{"华为", "壁仞"}},
		{"paragraphs", "one\n\ntwo", 10, []string{"one", "", "two"}},
		{"wide char after space break", "ab 华为华", 5, []string{"ab 华", "为华"}},
		{"chinese breaks between characters, not at a far space", "大会（WAIC 2025）场边阶跃星辰", 12, []string{"大会（WAIC", "2025）场边阶", "跃星辰"}},
		{"leading spaces dropped", "  abc", 10, []string{"abc"}},
		{"trailing spaces dropped", "abc   def", 4, []string{"abc", "def"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, sp := range WrapSpans(tt.in, tt.w) {
				line := tt.in[sp.Start:sp.End]
				if ansi.StringWidth(line) > tt.w {
					t.Errorf("line %q is wider than %d", line, tt.w)
				}
				got = append(got, line)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("WrapSpans(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
			}
		})
	}
}

func TestLines(t *testing.T) {
	got := Lines([]string{"华为壁仞摩尔线程", "a"}, 5, 3)
	lines := strings.Split(got, "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines", len(lines))
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w != 5 {
			t.Errorf("line %q is %d cells", l, w)
		}
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "plain", "a\x1b[31mb", "\x1b]8;;x\x07", "华为\u202eهواوي", "\xff\xfe", "a\r\n\tb"} {
		f.Add(s, 7)
	}
	f.Fuzz(func(t *testing.T, s string, w int) {
		w = w%80 + 1
		if w < 1 {
			w = -w + 1
		}
		for _, out := range []string{Line(s), Body(s)} {
			if strings.ContainsAny(out, "\x1b\x07\u202e\u2066\u009b") {
				t.Fatalf("unsafe rune left in %q", out)
			}
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 out of %q", s)
			}
		}
		line := Line(s)
		if got := ansi.StringWidth(Fit(line, w)); got != w {
			t.Fatalf("Fit(%q, %d) is %d cells", line, w, got)
		}
		_, pos := LineMap(s)
		if len(pos) != len(s)+1 {
			t.Fatalf("LineMap pos has %d entries for %d bytes", len(pos), len(s))
		}
		body := Body(s)
		for _, sp := range WrapSpans(body, w) {
			if ansi.StringWidth(body[sp.Start:sp.End]) > max(w, 2) {
				t.Fatalf("wrapped line wider than %d", w)
			}
		}
	})
}

func TestIsolateClosesCutIsolates(t *testing.T) {
	cut := Truncate(Isolate("هواوي وبيرين ومور ثريدز")+" tail", 6)
	got := Isolate(cut)
	if strings.Count(got, "\u2068") != strings.Count(got, "\u2069") {
		t.Errorf("Isolate(%q) = %q leaves an isolate open", cut, got)
	}
}

func TestIsolate(t *testing.T) {
	tests := []struct {
		name, in string
		isolated bool
	}{
		{"latin", "Huawei joins", false},
		{"chinese", "华为加入", false},
		{"arabic", "ويضم هذا التحالف", true},
		{"mixed", "Huawei هواوي", true},
		{"hebrew", "שלום", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Isolate(tt.in)
			if (got != tt.in) != tt.isolated {
				t.Errorf("Isolate(%q) = %q", tt.in, got)
			}
			if ansi.StringWidth(got) != ansi.StringWidth(tt.in) {
				t.Errorf("isolating changed the width from %d to %d", ansi.StringWidth(tt.in), ansi.StringWidth(got))
			}
			if tt.isolated && (!strings.HasPrefix(got, "\u2068") || !strings.HasSuffix(got, "\u2069")) {
				t.Errorf("not wrapped in FSI…PDI: %q", got)
			}
		})
	}
}
