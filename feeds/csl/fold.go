package csl

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aiwatch/aiwatch/store"
)

// englishSuffixes are stripped from the end of a folded name, longest
// first, as often as they occur.
var englishSuffixes = [][]string{
	{"science", "and", "technology"},
	{"joint", "stock", "company"},
	{"intelligent", "technology"},
	{"information", "technology"},
	{"co", "ltd"},
	{"company", "limited"},
	{"joint", "stock"},
	{"co"}, {"company"}, {"ltd"}, {"limited"}, {"corporation"}, {"corp"},
	{"inc"}, {"incorporated"}, {"llc"}, {"plc"}, {"jsc"},
	{"group"}, {"holding"}, {"holdings"},
	{"technology"}, {"technologies"}, {"tech"},
}

// chineseSuffixes are stripped from the end of a name's last Chinese
// run, longest first, as often as they occur.
var chineseSuffixes = []string{
	"股份有限公司", "有限责任公司", "有限責任公司",
	"智能科技", "信息技术", "資訊科技", "信息技術",
	"有限公司", "集团", "集團", "控股", "股份", "公司", "科技", "技术", "技術",
}

// englishPlaces are Chinese place names as they begin company names.
var englishPlaces = map[string]bool{
	"china": true, "zhongguo": true, "beijing": true, "shanghai": true,
	"shenzhen": true, "guangzhou": true, "hangzhou": true, "nanjing": true, "wuhan": true,
	"chengdu": true, "chongqing": true, "tianjin": true, "suzhou": true, "hefei": true,
	"xian": true, "changsha": true, "qingdao": true, "dongguan": true, "xiamen": true,
	"jinan": true, "zhengzhou": true, "shenyang": true, "dalian": true, "harbin": true,
	"kunming": true, "wuxi": true, "ningbo": true, "zhuhai": true, "foshan": true,
	"changchun": true, "taiyuan": true, "nanchang": true, "fuzhou": true, "guiyang": true,
	"nanning": true, "lanzhou": true, "urumqi": true, "hohhot": true, "shijiazhuang": true,
	"hongkong": true, "macau": true, "macao": true,
	"guangdong": true, "jiangsu": true, "zhejiang": true, "sichuan": true, "hubei": true,
	"hunan": true, "anhui": true, "shandong": true, "fujian": true, "hebei": true,
	"henan": true, "shaanxi": true, "shanxi": true, "liaoning": true, "jilin": true,
	"heilongjiang": true, "yunnan": true, "guizhou": true, "guangxi": true, "jiangxi": true,
	"hainan": true, "gansu": true, "xinjiang": true, "tibet": true, "ningxia": true, "qinghai": true,
}

// englishPlacePairs are two-word place names.
var englishPlacePairs = map[[2]string]bool{
	{"hong", "kong"}: true, {"xi", "an"}: true, {"inner", "mongolia"}: true,
}

// chinesePlaces are place names that begin Chinese company names.
var chinesePlaces = []string{
	"中国", "北京", "上海", "深圳", "广州", "廣州", "杭州", "南京", "武汉", "武漢", "成都", "重庆", "重慶",
	"天津", "苏州", "蘇州", "合肥", "西安", "长沙", "長沙", "青岛", "青島", "东莞", "東莞", "厦门", "廈門",
	"济南", "濟南", "郑州", "鄭州", "沈阳", "瀋陽", "大连", "大連", "无锡", "無錫", "宁波", "寧波", "珠海",
	"香港", "澳门", "澳門", "广东", "廣東", "江苏", "江蘇", "浙江", "四川", "湖北", "湖南", "安徽", "山东",
	"山東", "福建", "河北", "河南", "陕西", "陝西", "山西", "辽宁", "遼寧", "吉林", "云南", "雲南", "贵州",
	"貴州", "江西", "海南", "甘肃", "甘肅", "新疆",
}

// foldName returns the comparison form of a company name: space-separated
// tokens, with Chinese runs kept whole. keepCase keeps the case of letters,
// for aliases that match only as written.
//
// It starts from store.FoldAlias, the rule the tagger uses (NFKC, case,
// spaces, Chinese in simplified script), and adds what company names
// need on top: qualifiers, parenthesised parts, punctuation and suffixes.
func foldName(s string, keepCase bool) string {
	s = store.FoldAlias(cutQualifiers(s), keepCase)
	var b strings.Builder
	b.Grow(len(s))
	depth := 0
	var prev rune // last rune written, 0 after a space
	space := func() {
		if prev != 0 {
			b.WriteByte(' ')
			prev = 0
		}
	}
	for _, r := range s {
		switch r {
		case '(', '[', '【', '〔', '（':
			depth++
			space()
			continue
		case ')', ']', '】', '〕', '）':
			if depth > 0 {
				depth--
			}
			space()
			continue
		}
		if depth > 0 {
			continue
		}
		if r == '\'' || r == '’' {
			continue // "Xi'an" reads as "xian"
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
			space()
			continue
		}
		if prev != 0 && isHan(prev) != isHan(r) {
			space()
		}
		if !keepCase {
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
		prev = r
	}
	tokens := strings.Fields(b.String())
	if len(tokens) > 1 && strings.EqualFold(tokens[0], "the") {
		tokens = tokens[1:]
	}
	tokens = stripSuffixes(tokens, keepCase)
	return strings.Join(tokens, " ")
}

// cutQualifiers drops what follows the first ";" or "a.k.a." of a name:
// "Sinobright Import and Export Company; and any successor…".
func cutQualifiers(s string) string {
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	lower := strings.ToLower(s)
	for _, q := range []string{"a.k.a.", "a.k.a ", "f.k.a."} {
		if i := strings.Index(lower, q); i > 0 {
			s, lower = s[:i], lower[:i]
		}
	}
	return s
}

func stripSuffixes(tokens []string, keepCase bool) []string {
	for changed := true; changed && len(tokens) > 0; {
		changed = false
		for _, suf := range englishSuffixes {
			if len(tokens) > len(suf) && hasSuffixTokens(tokens, suf, keepCase) {
				tokens = tokens[:len(tokens)-len(suf)]
				changed = true
				break
			}
		}
		last := tokens[len(tokens)-1]
		for _, suf := range chineseSuffixes {
			if strings.HasSuffix(last, suf) && (len(last) > len(suf) || len(tokens) > 1) {
				last = strings.TrimSuffix(last, suf)
				if last == "" {
					tokens = tokens[:len(tokens)-1]
				} else {
					tokens[len(tokens)-1] = last
				}
				changed = true
				break
			}
		}
	}
	return tokens
}

func hasSuffixTokens(tokens, suf []string, keepCase bool) bool {
	off := len(tokens) - len(suf)
	for i, s := range suf {
		t := tokens[off+i]
		if keepCase {
			if !strings.EqualFold(t, s) {
				return false
			}
		} else if t != s {
			return false
		}
	}
	return true
}

// stripPlaces removes place names from the start of a folded name. It
// returns the rest and whether anything was removed.
func stripPlaces(folded string) (string, bool) {
	rest, stripped := folded, false
	for rest != "" {
		tok, after, _ := strings.Cut(rest, " ")
		if englishPlaces[tok] {
			rest, stripped = after, true
			continue
		}
		if next, after2, ok := strings.Cut(after, " "); ok || next != "" {
			if englishPlacePairs[[2]string{tok, next}] {
				rest, stripped = after2, true
				continue
			}
		}
		if cut := chinesePlacePrefix(tok); cut > 0 {
			rest = strings.TrimPrefix(rest[cut:], " ")
			stripped = true
			continue
		}
		break
	}
	return rest, stripped
}

// chinesePlacePrefix returns the byte length of a place name (with an
// optional 市 or 省) at the start of a Chinese token, or 0.
func chinesePlacePrefix(tok string) int {
	for _, p := range chinesePlaces {
		if strings.HasPrefix(tok, p) {
			n := len(p)
			if r, size := utf8.DecodeRuneInString(tok[n:]); r == '市' || r == '省' {
				n += size
			}
			return n
		}
	}
	return 0
}

func isHan(r rune) bool { return r >= 0x2E80 && unicode.Is(unicode.Han, r) }

// distinctive reports whether a folded spelling is specific enough to be
// looked for inside longer names: four letters, or two Chinese characters.
func distinctive(folded string) bool {
	han, other := 0, 0
	for _, r := range folded {
		switch {
		case isHan(r):
			han++
		case r != ' ':
			other++
		}
	}
	if han >= 2 || other >= 4 {
		rest, _ := stripPlaces(folded)
		return rest != ""
	}
	return false
}

// boundaries returns the byte offsets in the folded name s where a token
// or a Chinese character starts, and where one ends, in increasing order.
func boundaries(s string) (starts, ends []int) {
	var prev rune = ' '
	for i, r := range s {
		switch {
		case r == ' ':
			if prev != ' ' {
				ends = append(ends, i)
			}
		case prev == ' ':
			starts = append(starts, i)
		case isHan(prev) && isHan(r):
			ends = append(ends, i)
			starts = append(starts, i)
		}
		prev = r
	}
	if prev != ' ' {
		ends = append(ends, len(s))
	}
	return starts, ends
}
