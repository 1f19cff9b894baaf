package match

import (
	"testing"
	"unicode"

	"github.com/aiwatch/aiwatch/store/reference"
)

// TestContextRulesNameAliases keeps the context rules and the curated
// aliases in step: every rule is about an alias aiwatch ships, and every
// shipped name that is an ordinary word has a rule.
func TestContextRulesNameAliases(t *testing.T) {
	shipped := map[string]bool{}
	for _, a := range reference.Aliases() {
		shipped[a.Text] = true
	}
	for name := range contextRules {
		if !shipped[name] {
			t.Errorf("context rule for %q, which is not a curated alias", name)
		}
	}
	for _, w := range []string{"地平线", "寒武纪", "商汤", "月之暗面", "蚂蚁", "浪潮", "曙光", "海光", "字节", "阿里", "علي بابا", "思元", "旷世", "算能", "زيبو", "تشيبو"} {
		if shipped[w] && contextRules[w] == nil {
			t.Errorf("%q is a curated alias and an ordinary word, but has no context rule", w)
		}
	}
}

func TestArabicLetters(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SMIC", "إس إم آي سي"},
		{"YMTC", "واي إم تي سي"},
		{"CXMT", "سي إكس إم تي"},
		{"CUDA", ""},   // read as a word
		{"SOPHON", ""}, // six letters: a word
		{"Huawei", ""},
		{"BR100", ""},
	}
	for _, tt := range tests {
		got := arabicLetters(tt.in)
		if tt.want == "" {
			if got != nil {
				t.Errorf("%s: %q, want none", tt.in, got)
			}
			continue
		}
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("%s: %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTaiwanPhrases checks the conversion against forms OpenCC's s2twp
// produces.
func TestTaiwanPhrases(t *testing.T) {
	for in, want := range map[string]string{
		"摩爾線程": "摩爾執行緒",
		"字節跳動": "位元組跳動",
		"硅基流動": "矽基流動",
		"海光信息": "海光資訊",
		"華為":   "華為",
	} {
		if got := taiwanPhrases(in); got != want {
			t.Errorf("taiwanPhrases(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCommonNonWord checks the fast paths of isWordRune and
// isArabicLetter against the Unicode tables they spare.
func TestCommonNonWord(t *testing.T) {
	for r := rune(0); r <= 0x10FFFF; r++ {
		want := r >= 0x0600 && unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r)
		if isArabicLetter(r) != want {
			t.Errorf("isArabicLetter(%U) = %v", r, !want)
		}
	}
	for r := rune(0x0621); r <= 0x9FFF; r++ {
		if (r <= 0x064A || r >= 0x4E00) && !unicode.IsLetter(r) {
			t.Errorf("letters counts %U, which is not a letter", r)
		}
		if r == 0x064A {
			r = 0x4E00 - 1
		}
	}
	for r := rune(0x80); r <= 0x10FFFF; r++ {
		if !isCommonNonWord(r) {
			continue
		}
		if (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)) &&
			!unicode.In(r, unicode.Arabic, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			t.Errorf("%U is a word rune, not common non-word", r)
		}
	}
}
