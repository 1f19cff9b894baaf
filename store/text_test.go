package store

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCleanLine(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"empty", "", 0, ""},
		{"plain", "Huawei Ascend 910C", 0, "Huawei Ascend 910C"},
		{"chinese", "华为昇腾社区发布开发者训练营日程", 0, "华为昇腾社区发布开发者训练营日程"},
		{"arabic with marks kept", "هواوي \u200fتعلن\u200e", 0, "هواوي \u200fتعلن\u200e"},
		{"trim and collapse", "  a \t\n\r\n b\u00a0\u3000c  ", 0, "a b c"},
		{"line and paragraph separators", "a\u2028b\u2029c\u0085d", 0, "a b c d"},
		{"NUL and C0", "a\x00b\x01c\x7fd\x08", 0, "abcd"},
		{"C1 controls", "a\u0080b\u0091c", 0, "abc"},
		{"CSI colour", "\x1b[31mred\x1b[0m text", 0, "red text"},
		{"CSI private mode", "a\x1b[?1049hb\x1b[2J", 0, "ab"},
		{"CSI cursor save restore", "a\x1b7b\x1b8c", 0, "abc"},
		{"CSI with intermediates", "a\x1b[1 qb", 0, "ab"},
		{"C1 CSI", "a\u009b31mb", 0, "ab"},
		{"OSC 52 clipboard BEL", "x\x1b]52;c;cm0gLXJmIH4=\x07y", 0, "xy"},
		{"OSC 52 clipboard ST", "x\x1b]52;c;cm0gLXJmIH4=\x1b\\y", 0, "xy"},
		{"OSC 8 hyperlink", "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", 0, "click"},
		{"OSC title C1 introduced C1 ended", "a\u009d0;pwned\u009cb", 0, "ab"},
		{"OSC title C1 introduced BEL ended", "a\u009d2;pwned\x07b", 0, "ab"},
		{"DCS", "a\x1bPq#0;2;0;0;0\x1b\\b", 0, "ab"},
		{"C1 DCS", "a\u0090payload\u009cb", 0, "ab"},
		{"APC", "a\x1b_Gf=100;AAAA\x1b\\b", 0, "ab"},
		{"PM and SOS", "a\x1b^pm\x1b\\b\x1bXsos\x1b\\c", 0, "abc"},
		{"unterminated OSC eats the rest", "a\x1b]0;title never ends", 0, "a"},
		{"OSC ended by a new escape", "a\x1b]0;t\x1b[31mb", 0, "ab"},
		{"charset designation", "a\x1b(0qqq\x1b(Bb", 0, "aqqqb"},
		{"lone ESC at end", "abc\x1b", 0, "abc"},
		{"bidi override", "\u202eevil\u202c.txt", 0, "evil.txt"},
		{"bidi embeddings and isolates", "\u202aa\u202bb\u202dc\u2066d\u2067e\u2068f\u2069", 0, "abcdef"},
		{"BOM and zero width space", "\ufeffa\u200bb", 0, "ab"},
		{"zero width joiner kept in emoji", "👩\u200d💻", 0, "👩\u200d💻"},
		{"invalid UTF-8", "a\xffb\xc3", 0, "a\ufffdb\ufffd"},
		{"encoded surrogate", "a\xed\xa0\x80b", 0, "a\ufffd\ufffd\ufffdb"},
		{"noncharacters", "a\ufffeb\uffffc\U0010FFFFd", 0, "abcd"},
		{"tag characters dropped", "a\U000E0041\U000E0042b", 0, "ab"},
		{"subdivision flag kept", "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", 0, "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F"},
		{"entities not decoded", "A &amp; B <b>", 0, "A &amp; B <b>"},
		{"zalgo bounded", "Z" + strings.Repeat("\u0301", 50) + "a", 0, "Z" + strings.Repeat("\u0301", 8) + "a"},
		{"bound ASCII", "abcdef", 4, "abcd"},
		{"bound keeps UTF-8 whole", "华为昇腾", 7, "华为"},
		{"bound keeps grapheme whole", "ab" + "e\u0301" + "cd", 4, "ab"},
		{"bound keeps emoji ZWJ sequence whole", "a👩\u200d💻", 8, "a"},
		{"bound trims trailing space", "ab cd", 3, "ab"},
		{"bound smaller than first cluster", "e\u0301\u0301", 2, "e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CleanLine(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("CleanLine(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			assertClean(t, got, false)
			if again := CleanLine(got, tt.max); again != got {
				t.Errorf("CleanLine is not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestCleanBody(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"plain", "one line", 0, "one line"},
		{"keeps newlines and tabs", "a\n\tb\nc", 0, "a\n\tb\nc"},
		{"CRLF and CR", "a\r\nb\rc", 0, "a\nb\nc"},
		{"vertical tab and form feed", "a\vb\fc", 0, "a\nb\nc"},
		{"separators", "a\u2028b\u2029c\u0085d", 0, "a\nb\nc\nd"},
		{"blank lines collapse", "a\n\n\n\n\nb\n\nc", 0, "a\n\nb\n\nc"},
		{"whitespace-only lines are blank", "a\n \t \n\t\n  \nb", 0, "a\n\nb"},
		{"trailing spaces per line", "a  \nb\t\nc", 0, "a\nb\nc"},
		{"trim ends", "\n\n  a\nb  \n\n", 0, "a\nb"},
		{"keeps indentation", "a\n    b", 0, "a\n    b"},
		{"escapes removed", "a\x1b[2J\x1b]52;c;AAAA\x07\nb\x1b[0m", 0, "a\nb"},
		{"bidi removed", "a\u202e\nb\u2067", 0, "a\nb"},
		{"NUL removed", "a\x00\nb", 0, "a\nb"},
		{"invalid UTF-8", "a\n\xfe", 0, "a\n\ufffd"},
		{"zalgo", "a" + strings.Repeat("\u0489", 30), 0, "a" + strings.Repeat("\u0489", 8)},
		{"bound trims the cut", "abc\n\ndef", 5, "abc"},
		{"bound trims Unicode space", "0\u2001\xa6", 4, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CleanBody(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("CleanBody(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			assertClean(t, got, true)
			if again := CleanBody(got, tt.max); again != got {
				t.Errorf("CleanBody is not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestCleanLineBounds(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		max    int
		minLen int // the cut must not lose more than needed
	}{
		{"1 MB title", strings.Repeat("华为 Ascend ", 90000), 1024, 1000},
		{"thousands of combining marks", strings.Repeat("a"+strings.Repeat("\u0300", 3000), 20), 512, 17 * 20},
		{"only marks", strings.Repeat("\u0300", 5000), 64, 16},
		{"escape flood", strings.Repeat("\x1b[31m\x1b]52;c;AA\x07x", 10000), 100, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CleanLine(tt.in, tt.max)
			if len(got) > tt.max {
				t.Errorf("len = %d, want <= %d", len(got), tt.max)
			}
			if len(got) < tt.minLen {
				t.Errorf("len = %d, want >= %d", len(got), tt.minLen)
			}
			assertClean(t, got, false)
		})
	}
}

// assertClean checks the invariants every cleaned string must hold.
func assertClean(t *testing.T, s string, body bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%q is not valid UTF-8", s)
	}
	marks := 0
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			if !body {
				t.Errorf("%q: line holds %U", s, r)
			}
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			t.Errorf("%q: holds control %U", s, r)
		case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0xfeff:
			t.Errorf("%q: holds format character %U", s, r)
		}
		if unicode.Is(unicode.M, r) {
			marks++
			if marks > maxMarks {
				t.Errorf("%q: more than %d combining marks in a row", s, maxMarks)
				return
			}
		} else {
			marks = 0
		}
	}
	if strings.TrimSpace(s) != s {
		t.Errorf("%q: not trimmed", s)
	}
}

func BenchmarkCleanLine(b *testing.B) {
	inputs := []string{
		"Huawei updates CANN toolkit for Ascend developers",
		"华为昇腾社区发布开发者训练营日程",
		"  Alibaba’s Qwen\tteam \x1b[1mposts\x1b[0m new checkpoints\n",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range inputs {
			CleanLine(s, 1024)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{
		"plain", "华为昇腾", "\x1b[31mred\x1b]52;c;AA\x07", "a\u202eb\u2066c", "e\u0301\u0301",
		"\xff\xfe", "a\r\n\r\n\r\nb", "\u009d0;t\u009c", "\U0001F3F4\U000E0067\U000E007F",
	} {
		f.Add(s, 16)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max %= 4096
		line := CleanLine(s, max)
		body := CleanBody(s, max)
		assertClean(t, line, false)
		assertClean(t, body, true)
		if max > 0 && (len(line) > max || len(body) > max) {
			t.Errorf("over %d bytes: %d, %d", max, len(line), len(body))
		}
		if CleanLine(line, max) != line || CleanBody(body, max) != body {
			t.Errorf("not idempotent on %q", s)
		}
	})
}
