package store

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestFoldAlias(t *testing.T) {
	tests := []struct {
		name string
		in   string
		cs   bool
		want string
	}{
		{"empty", "", false, ""},
		{"case", "Huawei", false, "huawei"},
		{"case-sensitive keeps case", "MiniMax", true, "MiniMax"},
		{"full width", "ＨＵＡＷＥＩ", false, "huawei"},
		{"full width case-sensitive", "ＭｉｎｉＭａｘ", true, "MiniMax"},
		{"ligature", "ﬁnance", false, "finance"},
		{"spaces collapse and trim", "  Moore \t\r\n Threads  ", false, "moore threads"},
		{"no-break and ideographic spaces", "Moore\u00a0Threads\u3000AI", false, "moore threads ai"},
		{"soft hyphen", "Hua\u00adwei", false, "huawei"},
		{"zero-width space", "Hua\u200bwei", false, "huawei"},
		{"bidi marks", "\u200fهواوي\u200e", false, "هواوي"},
		{"non-breaking hyphen", "Model\u2011Chip", false, "model-chip"},
		{"en dash", "Model\u2013Chip", false, "model-chip"},
		{"greek final sigma", "ΟΔΥΣΣΕΥΣ οδυσσευς", false, "οδυσσευσ οδυσσευσ"},
		{"latin accents stay", "Ilúvatar", false, "ilúvatar"},
		{"combining accent composes", "Ilu\u0301vatar", false, "ilúvatar"},
		{"alef with hamza above", "أبو", false, "ابو"},
		{"alef with hamza below", "إنفيديا", false, "انفيديا"},
		{"alef with madda", "آلة", false, "اله"},
		{"alef wasla", "ٱلعقوبات", false, "العقوبات"},
		{"decomposed hamza composes then folds", "\u0627\u0654نفيديا", false, "انفيديا"},
		{"alef maksura", "هواوى", false, "هواوي"},
		{"teh marbuta", "قائمة", false, "قائمه"},
		{"persian yeh and keheh", "هواوی کبير", false, "هواوي كبير"},
		{"tatweel", "هــواوي", false, "هواوي"},
		{"harakat", "هُوَاوِيّ", false, "هواوي"},
		{"presentation forms", "\ufeeb\ufeee\ufe8d\ufeed\ufef2", false, "هواوي"},
		{"traditional to simplified", "華為", false, "华为"},
		{"taiwan name for nvidia", "輝達", false, "辉达"},
		{"traditional phrase", "摩爾線程", false, "摩尔线程"},
		{"mixed scripts", "摩爾線程 Moore Threads", false, "摩尔线程 moore threads"},
		{"traditional phrase keeps a character", "畢昇", false, "毕昇"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FoldAlias(tt.in, tt.cs); got != tt.want {
				t.Errorf("FoldAlias(%q, %v) = %q, want %q", tt.in, tt.cs, got, tt.want)
			}
		})
	}
}

func TestFoldTextKeepsScript(t *testing.T) {
	if got := FoldText("華為 Huawei", false); got != "華為 huawei" {
		t.Errorf("FoldText = %q, want the traditional script kept", got)
	}
}

func TestAliasVariants(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string // must be among the variants
		notWant []string
	}{
		{"latin has none", "Huawei", []string{"Huawei"}, nil},
		{"simplified gains traditional", "华为", []string{"华为", "華爲", "華為"}, nil},
		{"traditional gains simplified", "輝達", []string{"輝達", "辉达"}, nil},
		{"simplified never simplified again", "昇腾", []string{"昇腾", "昇騰"}, []string{"升腾"}},
		{"sanctions term", "黑名单", []string{"黑名单", "黑名單"}, nil},
		{"same in both scripts", "百度", []string{"百度"}, nil},
		// Where one simplified character stands for several traditional
		// ones, the phrase dictionary decides.
		{"phrase picks 里 and 云", "阿里云", []string{"阿里云", "阿里雲"}, []string{"阿裏雲", "阿裡雲"}},
		{"phrase picks 崑崙", "昆仑芯", []string{"昆仑芯", "崑崙芯"}, []string{"昆侖芯"}},
		{"phrase keeps 征", "地平线征程", []string{"地平线征程", "地平線征程"}, []string{"地平線徵程"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AliasVariants(tt.in)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("AliasVariants(%q) = %q, missing %q", tt.in, got, w)
				}
			}
			for _, w := range tt.notWant {
				if slices.Contains(got, w) {
					t.Errorf("AliasVariants(%q) = %q, must not contain %q", tt.in, got, w)
				}
			}
			if got[0] != tt.in || len(slices.Compact(slices.Clone(got))) != len(got) {
				t.Errorf("AliasVariants(%q) = %q: want the text first and no duplicates", tt.in, got)
			}
			for _, v := range got {
				if FoldAlias(v, false) != FoldAlias(tt.in, false) {
					t.Errorf("variant %q folds to %q, %q to %q", v, FoldAlias(v, false), tt.in, FoldAlias(tt.in, false))
				}
			}
		})
	}
}

// TestZhTables checks the generated tables against what the lookups
// assume: binary search needs them sorted, and only CJK characters are
// looked up.
func TestZhTables(t *testing.T) {
	for name, tab := range map[string]zhTable{"s2t": s2tChars, "t2s": t2sChars, "t2tw": t2twChars, "t2hk": t2hkChars} {
		if len(tab) == 0 {
			t.Errorf("%s: empty table", name)
		}
		for i, e := range tab {
			if e.from < 0x2E80 || e.from == e.to || i > 0 && e.from <= tab[i-1].from {
				t.Errorf("%s: entry %d %q → %q out of order, below U+2E80 or identity", name, i, e.from, e.to)
			}
		}
	}
	for name, p := range map[string]*phraseTable{"s2t": s2t.phrases, "t2s": t2s.phrases} {
		p.once.Do(p.index)
		if len(p.lines) < 100 || p.maxRunes < 2 {
			t.Fatalf("%s: %d phrases, longest %d characters", name, len(p.lines), p.maxRunes)
		}
		for i := range p.lines {
			ph, conv := p.phrase(i), p.conv(i)
			r, _ := utf8.DecodeRuneInString(ph)
			if r < 0x2E80 || utf8.RuneCountInString(ph) < 2 || conv == "" ||
				strings.ContainsAny(ph+conv, "\t\n") || i > 0 && ph <= p.phrase(i-1) {
				t.Errorf("%s: phrase %d %q → %q malformed or out of order", name, i, ph, conv)
			}
		}
	}
}

func TestZhConvert(t *testing.T) {
	tests := []struct {
		name string
		c    zhConverter
		in   string
		want string
	}{
		{"empty", s2t, "", ""},
		{"no chinese", s2t, "Huawei 910C", "Huawei 910C"},
		{"characters", s2t, "华为", "華爲"},
		{"longest phrase wins", s2t, "阿里云计算", "阿里雲計算"},
		{"phrase at the end", s2t, "联合阿里云", "聯合阿里雲"},
		{"mixed with latin", s2t, "MiniMax发布长文本技术报告", "MiniMax發佈長文本技術報告"},
		{"traditional phrase", t2s, "瞭解畢昇", "了解毕昇"},
		{"taiwan variants", t2tw, "華爲", "華為"},
		{"hong kong variants", t2hk, "僞", "偽"},
		{"invalid utf-8 kept", s2t, "\xff华", "\xff華"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.convert(tt.in); got != tt.want {
				t.Errorf("convert(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// referenceConvert is zhConverter.convert written plainly, with a map
// for the phrases: at each character the longest phrase, else the
// character table.
func referenceConvert(c zhConverter, phrases map[string]string, longest int, s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); {
		n := 0
		for k := min(len(rs)-i, longest); k >= 2; k-- {
			if conv, ok := phrases[string(rs[i:i+k])]; ok {
				b.WriteString(conv)
				n = k
				break
			}
		}
		if n == 0 {
			r := rs[i]
			if to, ok := c.chars.lookup(r); ok {
				r = to
			}
			b.WriteRune(r)
			n = 1
		}
		i += n
	}
	return b.String()
}

// FuzzZhConvert checks the phrase search against a map, and that
// conversion never reaches across a character outside CJK.
func FuzzZhConvert(f *testing.F) {
	for _, s := range []string{"", "阿里云", "联合阿里云计算", "華爲昇騰 Ascend", "瞭解畢昇", "乾隆皇帝", "a阿b里c云", "发布长上下文技术报告"} {
		f.Add(s)
	}
	maps := map[*phraseTable]map[string]string{}
	longest := map[*phraseTable]int{} // in runes: no longer phrase need be tried
	for _, c := range []zhConverter{s2t, t2s} {
		c.phrases.once.Do(c.phrases.index)
		m := map[string]string{}
		for i := range c.phrases.lines {
			p := c.phrases.phrase(i)
			m[p] = c.phrases.conv(i)
			longest[c.phrases] = max(longest[c.phrases], utf8.RuneCountInString(p))
		}
		maps[c.phrases] = m
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range []zhConverter{s2t, t2s, t2tw, t2hk} {
			got := c.convert(s)
			if !utf8.ValidString(s) {
				continue
			}
			if want := referenceConvert(c, maps[c.phrases], longest[c.phrases], s); got != want {
				t.Fatalf("convert(%q) = %q, reference %q", s, got, want)
			}
			if a, b, ok := strings.Cut(s, ","); ok && got != c.convert(a)+","+c.convert(b) {
				t.Fatalf("convert(%q) = %q reaches across the comma", s, got)
			}
		}
	})
}

func TestAppendFoldOffsets(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		folded  string
		offsets []int32
	}{
		{"ascii", "Ab", "ab", []int32{0, 1}},
		{"space run", "a \t b", "a b", []int32{0, 1, 4}},
		{"full width", "ＡＢ", "ab", []int32{0, 3}},
		{"latin-1", "Aé", "aé", []int32{0, 1, 1}},
		{"composed segment maps to its start", "e\u0301x", "éx", []int32{0, 0, 3}},
		{"ligature", "ﬁ", "fi", []int32{0, 0}},
		{"dropped harakat", "هُو", "هو", []int32{0, 0, 4, 4}},
		{"dropped soft hyphen", "a\u00adb", "ab", []int32{0, 3}},
		{"chinese", "华为", "华为", []int32{0, 0, 0, 3, 3, 3}},
		{"invalid byte", "\xffA", "\ufffda", []int32{0, 0, 0, 1}},
		{"eight-byte words", "Huawei, ZTE and  SMIC\t", "huawei, zte and smic ", []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			folded, offsets := AppendFold(nil, nil, tt.in, false)
			if string(folded) != tt.folded || !slices.Equal(offsets, tt.offsets) {
				t.Errorf("AppendFold(%q) = %q %v, want %q %v", tt.in, folded, offsets, tt.folded, tt.offsets)
			}
		})
	}
	// Appending continues a space run across calls.
	folded, offsets := AppendFold([]byte("x "), []int32{0, 1}, " y", false)
	if string(folded) != "x y" || !slices.Equal(offsets, []int32{0, 1, 1}) {
		t.Errorf("appending: got %q %v", folded, offsets)
	}
}

// TestStable checks the fast path's table against the normalisation
// tables for every code point: what it says NFKC makes of a character
// must be what NFKC makes of it, and the character must never combine
// with one before it.
func TestStable(t *testing.T) {
	n := 0
	for r := rune(0); r <= utf8.MaxRune; r++ {
		nr := stable(r)
		if nr < 0 {
			continue
		}
		n++
		s := string(r)
		if got := norm.NFKC.String(s); got != string(nr) {
			t.Errorf("stable(%U) = %U, NFKC gives %q", r, nr, got)
		}
		if !norm.NFKC.PropertiesString(s).BoundaryBefore() {
			t.Errorf("stable(%U): it may combine with the character before it", r)
		}
	}
	if n < 20000 {
		t.Errorf("only %d stable code points; the CJK block alone has 20992", n)
	}
}

// TestHasCase checks that the blocks hasCase skips have no case.
func TestHasCase(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !hasCase(r) && unicode.ToLower(unicode.ToUpper(r)) != r {
			t.Errorf("%U has a case, but hasCase says not", r)
		}
	}
}

// TestStableDoesNotGrow checks what the fast path's buffers rely on: a
// stable character never folds to more bytes than it has.
func TestStableDoesNotGrow(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if stable(r) < 0 {
			continue
		}
		for _, cs := range []bool{false, true} {
			if s := string(r); len(FoldText(s, cs)) > len(s) {
				t.Errorf("%U folds to %q, longer than itself", r, FoldText(s, cs))
			}
		}
	}
}

// referenceFold is the rule written plainly: NFKC over the whole text,
// then each rune folded and white space collapsed.
func referenceFold(s string, caseSensitive bool) string {
	var b strings.Builder
	last := false
	for _, r := range norm.NFKC.String(s) {
		r = foldRune(r, !caseSensitive)
		if r < 0 {
			continue
		}
		if r == ' ' && last {
			continue
		}
		last = r == ' '
		b.WriteRune(r)
	}
	return b.String()
}

var foldSeeds = []string{
	"", "Huawei's Ascend 910C", "华为、壁仞科技和摩尔线程，英伟达！", "ＨＵＡＷＥＩ　ｓ", "هُوَاوِي وبيرين ومور ثريدز",
	"\ufeeb\ufeee\ufe8d\ufeed\ufef2", "e\u0301\u0323x", "a\u0654\u0653 ا\u0654", "ﷺ ㍿ ﬁ Ⅻ ½", "Moore\r\n\tThreads",
	"Ａ\u0301", "华\u0301为", "한국어 텍스트", "ΟΔΥΣΣΕΥΣ", "İstanbul ß", "a\u200b\u00ad\u202eb",
	// Runs of ASCII long enough for the eight-byte path, with capitals at
	// both ends of the alphabet, '@' and '[' beside them, spaces, double
	// spaces, tabs and a run that ends next to a combining mark.
	"MOORE THREADS AZ@[az`{ Huawei  Ascend\tX\r\nYMTC   x", "ABCDEFGHIJKLMNOPQRSTUVWXYZe\u0301", "        ZZ",
	"华为ABCDEFGHIJ华为هواويABCDEFGHIJ، ABCDEFGHIJ",
}

func TestFoldMatchesReference(t *testing.T) {
	for _, s := range foldSeeds {
		for _, cs := range []bool{false, true} {
			if got, want := FoldText(s, cs), referenceFold(s, cs); got != want {
				t.Errorf("FoldText(%q, %v) = %q, reference %q", s, cs, got, want)
			}
		}
	}
}

// FuzzFold checks the folding against the plain reference and the offset
// map against the text.
func FuzzFold(f *testing.F) {
	for _, s := range foldSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded, offsets := AppendFold(nil, nil, s, false)
		if len(folded) != len(offsets) {
			t.Fatalf("%d bytes, %d offsets", len(folded), len(offsets))
		}
		for i, o := range offsets {
			if o < 0 || int(o) >= len(s) || i > 0 && o < offsets[i-1] {
				t.Fatalf("offset %d = %d out of order or bounds", i, o)
			}
		}
		if !utf8.ValidString(s) {
			return
		}
		if !utf8.Valid(folded) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		// Beyond 30 marks in a row NFKC inserts a grapheme joiner that
		// depends on the whole run; the rule does not promise that.
		if hasLongMarkRun(s) {
			return
		}
		if want := referenceFold(s, false); string(folded) != want {
			t.Fatalf("FoldText(%q) = %q, reference %q", s, folded, want)
		}
	})
}

func hasLongMarkRun(s string) bool {
	n := 0
	for _, r := range s {
		if norm.NFKC.PropertiesString(string(r)).CCC() != 0 || !norm.NFKC.PropertiesString(string(r)).BoundaryBefore() {
			if n++; n > 8 {
				return true
			}
		} else {
			n = 0
		}
	}
	return false
}

func BenchmarkFoldText(b *testing.B) {
	text := strings.Repeat("Huawei, Biren and Moore Threads. 华为、壁仞科技和摩尔线程。 هواوي، وبيرين، ومور ثريدز. ", 500)
	b.SetBytes(int64(len(text)))
	var dst []byte
	var offsets []int32
	for b.Loop() {
		dst, offsets = AppendFold(dst[:0], offsets[:0], text, false)
	}
}
