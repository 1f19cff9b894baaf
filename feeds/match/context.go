package match

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/aiwatch/aiwatch/store"
)

// Names that are also ordinary words.
//
// Some firms are called by a word of the language: 地平线 is "horizon",
// 寒武纪 the Cambrian period, 商汤 King Tang of Shang, 月之暗面 a Pink Floyd
// album, 蚂蚁 "ants", 浪潮 "a wave", 曙光 "dawn", 字节 "byte", 阿里 the
// start of 阿里山, and علي بابا is Ali Baba of the folk tale. Such a name
// counts only with context. The rule, for every name in contextRules:
//
//  1. A qualifier next to the name: one of the rule's words directly
//     after it (公司, 科技, 集团, 芯片, 机器人, 旗下, "AI"…) or directly before
//     it (شركة, مجموعة…), spaces allowed between.
//  2. A stock code right after the name: 寒武纪(688256.SH), 智谱(02513.HK).
//  3. A clue anywhere in the same sentence: the firm's products and people
//     (征程, 思元, 昇腾, 杨植麟, Kimi…) and the words of its trade (智驾,
//     大模型, 融资…), as listed per name.
//  4. Another firm named in the same sentence (字节、阿里、腾讯), unless the
//     rule says the name's ordinary sense keeps company with firms too:
//     浪潮 ("the wave of home-grown chips") and 曙光 ("the dawn of…") need
//     a qualifier or a stock code.
//
// A veto word in the sentence (化石, 三叶虫; حكاية, مغارة) blocks the name
// unless a qualifier that is a word stands right next to it: 中科寒武纪科技
// is the firm even in a sentence that plays on 寒武纪大爆发. Quotation
// marks, which qualify علي بابا, are not enough against a veto. A veto word
// inside one of the rule's notVetoes phrases (قصة نجاح, "a success story")
// does not count. The traditional forms of every word, as OpenCC
// writes them, count too. A sentence ends at 。！？!?؟, a newline, or a full
// stop followed by a space; not at a semicolon, which Chinese uses
// between the items of a list.

// contextRule is what lets one ambiguous name count.
type contextRule struct {
	after, before []string // qualifiers directly after or before the name
	clues         []string // words anywhere in the sentence
	vetoes        []string // words anywhere in the sentence that block it
	notVetoes     []string // phrases in which a veto word does not block (قصة نجاح, a success story)
	noFirmContext bool     // another firm in the sentence is not enough
	stockCodes    bool     // a stock code right after the name counts
}

// Qualifiers shared by the Chinese firm names.
var zhQualifiers = []string{
	"公司", "科技", "技术", "集团", "股份", "控股", "旗下", "系", "芯片", "晶片", "智能", "机器人",
	"创始人", "董事长", "总裁", "CEO", "CTO", "AI", "大模型", "模型", "上市", "港股", "美股", "股价",
	"市值", "营收", "融资", "估值", "发布", "推出", "宣布", "投资", "团队", "员工", "内部",
}

// zhTrade are words of a listed company's life: a Chinese name with one
// of them in its sentence is the firm.
var zhTrade = []string{
	"亏损", "盈利", "营收", "利润", "股价", "市值", "估值", "上市", "港股", "A股", "科创板", "港交所",
	"融资", "IPO", "招股书", "财报", "股东", "投资者", "独角兽",
	// An analyst's rating and a day's trading (高盛將寒武紀維持「買進」評級).
	"评级", "目标价", "买进", "买入", "涨停", "跌停", "收盘", "盘中", "涨幅", "跌幅", "股王",
}

// contextRules are keyed by the alias as written in the dataset.
var contextRules = map[string]*contextRule{
	"地平线": {
		after: zhQualifiers, stockCodes: true,
		clues: append([]string{"征程", "智驾", "自驾", "智能驾驶", "辅助驾驶", "自动驾驶", "晶片", "余凯", "HSD", "车型", "量产", "车企", "芯片", "算力", "NOA"}, zhTrade...),
	},
	"寒武纪": {
		after: zhQualifiers, stockCodes: true,
		before: []string{"中科"},
		clues:  append([]string{"思元", "玄思", "陈天石", "陈云霁", "寒王", "芯片", "晶片", "AI", "人工智能", "科创板", "涨停", "定增", "营收", "市值", "股价", "算力", "加速卡", "CTO", "Cambricon"}, zhTrade...),
		vetoes: []string{"化石", "三叶虫", "地质", "地层", "古生代", "生物", "动物", "海洋", "奥陶纪", "震旦纪", "显生宙", "大爆发", "生命"},
	},
	"商汤": {
		after: zhQualifiers, stockCodes: true,
		clues:  append([]string{"日日新", "徐立", "汤晓鸥", "AI", "人工智能", "大模型", "算力", "计算中心", "港交所", "上市", "SenseTime", "高管", "同事", "四小龙", "龙头企业"}, zhTrade...),
		vetoes: []string{"夏桀", "伊尹", "灭夏", "商朝", "成汤", "伐桀", "诸侯", "君主", "天乙", "仲虺", "王朝"},
	},
	"月之暗面": {
		after: zhQualifiers, stockCodes: true,
		clues: append([]string{"Kimi", "杨植麟", "大模型", "融资", "估值", "AI", "人工智能", "六小龙", "六小虎", "IPO", "Moonshot", "模型", "现金储备", "轮融资",
			"产品", "技术", "投放", "会议", "团队", "办公室", "总部", "设立"}, zhTrade...),
		vetoes: []string{"专辑", "平克", "Pink Floyd", "乐队", "唱片", "摇滚", "Dark Side"},
	},
	"蚂蚁": {
		after: append([]string{"金服", "数科", "百灵", "AI"}, zhQualifiers...), stockCodes: true,
		clues:  append([]string{"支付宝", "马云", "韩歆毅", "大模型", "AI", "人工智能", "金融科技", "蚂力", "支小宝", "IPO"}, zhTrade...),
		vetoes: []string{"搬家", "蚁群", "工蚁", "蚁后", "昆虫", "巢穴", "下雨", "蚁巢"},
	},
	"浪潮": {
		after:         []string{"信息", "集团", "云", "服务器", "电子", "软件", "通信", "数字", "存储", "科技", "公司", "股份", "控股"},
		stockCodes:    true,
		noFirmContext: true,
	},
	"曙光": {
		after:         []string{"信息", "数字", "服务器", "智算", "存储", "云", "超算", "股份", "公司", "总裁", "高管"},
		clues:         []string{"服务器", "整机", "超算", "超级计算机", "历军", "海光", "中科院", "计算所", "数据中心", "智算"},
		stockCodes:    true,
		noFirmContext: true,
	},
	// 旷世 ("unrivalled") for 旷视, Megvii: a misspelling seen in a
	// headline.
	"旷世": {
		clues:  append([]string{"人脸识别", "AI", "人工智能", "视觉", "印奇", "Face++", "四小龙", "商汤", "Megvii"}, zhTrade...),
		vetoes: []string{"奇才", "之作", "杰作", "名作", "巨作", "奇缘", "绝恋", "英雄", "天才"},
	},
	"思元": {
		after: []string{"2", "3", "5", "芯片", "系列"},
		clues: []string{"芯片", "晶片", "加速卡", "训练", "推理", "算力", "7nm", "AI"},
	},
	"海光": {
		after: []string{"信息", "CPU", "DCU", "芯片", "晶片", "处理器", "股份", "公司", "总经理", "强大"}, stockCodes: true,
		clues: []string{"中科曙光", "x86", "CPU", "DCU"},
	},
	"字节": {
		after:  []string{"跳动", "旗下", "系", "豆包", "AI", "大模型", "火山", "内部", "员工", "公司", "方面"},
		clues:  append([]string{"豆包", "抖音", "火山引擎", "TikTok", "张一鸣", "梁汝波", "Seedance", "大厂", "巨头", "大模型"}, zhTrade...),
		vetoes: []string{"比特", "Byte", "bit", "KB", "MB", "GB", "千字节", "编码", "二进制", "换算"},
	},
	"阿里": {
		after:  []string{"巴巴", "云", "系", "旗下", "达摩院", "通义", "千问", "AI", "集团", "大模型", "投资", "方面", "内部", "生态", "高管", "电商"},
		clues:  append([]string{"通义", "千问", "Qwen", "淘宝", "天猫", "马云", "吴泳铭", "蔡崇信", "平头哥", "大厂", "巨头", "电商", "领投", "投资"}, zhTrade...),
		vetoes: []string{"阿里山", "森林", "铁路", "嘉义", "阿里地区", "拳王", "拳击"},
	},
	// 算能, Sophgo, is also the end of 计算能力 ("computing power") and
	// of 就算能 ("even if it can"); blockPhrases hide those.
	"算能": {
		after: zhQualifiers,
		clues: append([]string{"台积电", "比特大陆", "芯片", "晶片", "SOPHON", "Sophgo", "TPU", "RISC-V", "昇腾", "实体清单", "黑名单", "制裁"}, zhTrade...),
	},
	"Minimax": {
		clues: []string{"AI", "Hailuo", "海螺", "港股", "IPO", "HK", "模型", "model", "Music", "Agent", "融资", "上市", "漲", "涨"},
	},
	"MINIMAX": {
		stockCodes: true,
		clues:      []string{"AI", "Hailuo", "海螺", "港股", "IPO", "HK", "模型", "model", "融资", "上市", "漲", "涨"},
	},
	// Zhipu in Arabic: bare زيبو is also Zibo, a city of Shandong, and
	// تشيبو is also Tchibo, the coffee chain.
	"زيبو":  zhipuArabic,
	"تشيبو": zhipuArabic,
	"علي بابا": {
		// Arabic news puts firm names in quotation marks; the folk tale's
		// quoted title is a blocking phrase, and its other sentences have
		// veto words.
		//
		// Ali Baba of the tale is a man (قال علي بابا); the firm is
		// feminine, like شركة: a feminine verb right before the name
		// (أعلنت علي بابا) or a feminine present right after it (علي بابا
		// تطلق) is the firm.
		after: []string{
			"كلاود", "القابضه", "الصينيه", "للتجاره", "جروب", "غروب", "”", "»", "\"",
			"تطلق", "تستثمر", "تعلن", "تكشف", "تتوقع", "تخطط", "تعتزم", "تسعى", "تقود", "تدخل", "تنافس",
			"تتصدر", "تواجه", "تراهن", "تستحوذ", "تبيع", "تشتري", "تضخ", "تسجل", "تحقق", "تطرح",
		},
		before: []string{
			"شركه", "مجموعه", "لشركه", "لمجموعه", "بشركه", "وشركه", "“", "«", "\"",
			"أعلنت", "قالت", "أطلقت", "كشفت", "استثمرت", "طرحت", "أكدت", "ذكرت", "أوضحت", "أضافت", "قادت",
			"دخلت", "حققت", "سجلت", "بدأت", "أصدرت", "نشرت", "وقعت", "استحوذت", "باعت", "اشترت", "ضخت",
			"رفعت", "خفضت", "أنفقت", "تعهدت", "حذرت", "تعتزم", "تخطط", "تسعى", "تستثمر", "تطلق", "تواجه",
		},
		clues: []string{
			"الذكاء الاصطناعي", "جاك ما", "كوين", "Qwen", "Alibaba", "السحابه", "السحابيه", "التجاره الالكترونيه",
			"اسهم", "سهم", "استثمار", "يستثمر", "الطرح", "اكتتاب", "نموذج", "الشركه", "شركه", "مجموعه", "التكنولوجيا",
		},
		vetoes: []string{
			"الاربعين", "الاربعون", "لصا", "لصوص", "اللصوص", "حرامي", "مغاره", "المغاره", "سمسم", "مرجانه", "قاسم",
			"حطاب", "الحطب", "ليله وليله", "حكايه", "قصه", "القصه", "الفيلم",
		},
		// "A success story" is business news, not the folk tale.
		notVetoes: []string{"قصه نجاح", "قصص نجاح", "قصه النجاح"},
	},
}

// zhipuArabic is the rule of Zhipu's bare Arabic names.
var zhipuArabic = &contextRule{
	after:  []string{"AI", "إيه آي", "الصينيه", "الناشئه", "للذكاء", "”", "»", "\""},
	before: []string{"شركه", "لشركه", "بشركه", "وشركه", "منصه", "“", "«", "\""},
	clues: []string{
		"الذكاء الاصطناعي", "ذكاء اصطناعي", "نموذج", "نماذج", "GLM", "ChatGLM", "OpenAI", "أوبن إيه آي",
		"تشات جي بي تي", "ChatGPT", "روبوت محادثه", "قائمه الكيانات", "الشركه الناشئه", "Zhipu",
	},
	vetoes: []string{"مدينه", "مقاطعه", "شاندونغ", "شاندونج", "قهوه", "البن", "متاجر", "محمصه", "ألمانيا", "الألمانيه"},
}

// ruleIndex finds the rule of an alias, or -1.
func ruleIndex(names []string, alias string) int {
	for i, n := range names {
		if n == alias {
			return i
		}
	}
	return -1
}

// foldedForms returns the folded script variants of words, Taiwan usage
// included (服务器 is 伺服器 there, 芯片 晶片), for tests against folded
// text.
func foldedForms(words []string) []string {
	var out []string
	for _, w := range words {
		for _, v := range zhVariants(w) {
			f := strings.Trim(store.FoldText(v, false), " ")
			if f != "" && !contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// zhVariants returns store.AliasVariants of w and the Taiwan-usage forms
// of those.
func zhVariants(w string) []string {
	vs := store.AliasVariants(w)
	for _, v := range vs {
		if c := taiwanPhrases(v); c != v && !contains(vs, c) {
			vs = append(vs, c)
		}
	}
	return vs
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// compiledRule is a contextRule with its words folded.
type compiledRule struct {
	name          string
	after, before []string
	clues, vetoes wordSet
	notVetoes     wordSet
	noFirmContext bool
	stockCodes    bool
}

// sentences finds the sentence around a span of a folded text. It keeps
// the last sentence it found, so that the names of one sentence cost one
// scan of it.
type sentences struct {
	folded []byte
	lo, hi int // the last sentence found; lo < 0 when none
	// The bytes of folded[setLo:setHi], for wordSet.find: the sentence
	// of a name is searched for several sets of words in a row.
	set          byteSet
	setLo, setHi int // setHi == 0 when none
}

// bytesIn returns the set of the bytes in folded[lo:hi].
func (sc *sentences) bytesIn(lo, hi int) *byteSet {
	if sc.setHi == 0 || sc.setLo != lo || sc.setHi != hi {
		sc.set = byteSet{}
		for _, b := range sc.folded[lo:hi] {
			sc.set.add(b)
		}
		sc.setLo, sc.setHi = lo, hi
	}
	return &sc.set
}

// byteSet is a set of byte values.
type byteSet [4]uint64

func (s *byteSet) add(b byte) { s[b>>6] |= 1 << (b & 63) }

// covers reports whether every byte of t is in s.
func (s *byteSet) covers(t *byteSet) bool {
	return t[0]&^s[0]|t[1]&^s[1]|t[2]&^s[2]|t[3]&^s[3] == 0
}

// endsLeft and endsRight mark the bytes at which around's scans must
// look closer: the last bytes of 。!?؟, a line break or a full stop
// (scanning left), and their first bytes (scanning right). Every other
// byte costs the scans one table lookup.
var endsLeft, endsRight = func() (left, right [256]bool) {
	for _, b := range []byte{'!', '?', '\n', '\r', '.'} {
		left[b], right[b] = true, true
	}
	left[0x82], left[0x9F] = true, true // 。 is E3 80 82, ؟ D8 9F
	right[0xE3], right[0xD8] = true, true
	return
}()

// around returns the bounds of the sentence that holds folded[start:end]:
// a sentence ends at 。！？!?؟, a line break, or a full stop followed by a
// space or the end of the text. (Folding has made ！ and ？ ASCII.)
func (sc *sentences) around(start, end int) (int, int) {
	if sc.lo >= 0 && start >= sc.lo && end <= sc.hi {
		return sc.lo, sc.hi
	}
	f := sc.folded
	lo := start
scanLeft:
	for ; lo > 0; lo-- {
		if !endsLeft[f[lo-1]] {
			continue
		}
		switch f[lo-1] {
		case '!', '?', '\n', '\r':
			break scanLeft
		case '.':
			if (lo == len(f) || f[lo] == ' ') && !abbrevDot(f, lo-1) {
				break scanLeft
			}
		case 0x82: // 。 is E3 80 82
			if lo >= 3 && f[lo-2] == 0x80 && f[lo-3] == 0xE3 {
				break scanLeft
			}
		case 0x9F: // ؟ is D8 9F
			if lo >= 2 && f[lo-2] == 0xD8 {
				break scanLeft
			}
		}
	}
	hi := end
scanRight:
	for ; hi < len(f); hi++ {
		if !endsRight[f[hi]] {
			continue
		}
		switch f[hi] {
		case '!', '?', '\n', '\r':
			break scanRight
		case '.':
			if (hi+1 == len(f) || f[hi+1] == ' ') && !abbrevDot(f, hi) {
				break scanRight
			}
		case 0xE3:
			if hi+2 < len(f) && f[hi+1] == 0x80 && f[hi+2] == 0x82 {
				break scanRight
			}
		case 0xD8:
			if hi+1 < len(f) && f[hi+1] == 0x9F {
				break scanRight
			}
		}
	}
	sc.lo, sc.hi = lo, hi
	return lo, hi
}

// abbrevDot reports whether the full stop at f[i] ends an abbreviation
// rather than a sentence: a word with a dot inside (U.S., e.g.), a single
// Latin initial (N. Biren Singh), or one of a chain of short initials
// (B. Y. D., بي. واي. دي).
func abbrevDot(f []byte, i int) bool {
	start := i
	for start > 0 && f[start-1] != ' ' && i-start < 24 {
		start--
	}
	word := f[start:i]
	n := letters(word)
	switch {
	case n == 0 || n > 4:
		return false
	case bytes.IndexByte(word, '.') >= 0:
		return true
	case n == 1 && len(word) == 1:
		return true
	case n > 3:
		return false
	}
	// A chain of initials: a short word ending in a dot just before or
	// just after this one.
	if start >= 2 && f[start-1] == ' ' && f[start-2] == '.' {
		k := bytes.LastIndexByte(f[:start-1], ' ')
		if n := letters(f[k+1 : start-2]); n > 0 && n <= 3 {
			return true
		}
	}
	if j := i + 2; j < len(f) {
		end := j
		for end < len(f) && f[end] != ' ' && end-j < 24 {
			end++
		}
		if end > j && f[end-1] == '.' {
			if n := letters(f[j : end-1]); n > 0 && n <= 3 {
				return true
			}
		}
	}
	return false
}

// letters counts the letters in b.
func letters(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		// Han and the Arabic alphabet are letters; the test spares
		// them unicode's tables (TestCommonNonWord).
		if r >= 0x0621 && r <= 0x064A || r >= 0x4E00 && r <= 0x9FFF || unicode.IsLetter(r) {
			n++
		}
		b = b[size:]
	}
	return n
}

// wordSet is a set of folded words looked for in a sentence: clues or
// vetoes of a rule. Words that start or end with a Latin letter must stand
// as whole words ("AI" is not in "said").
type wordSet []setWord

type setWord struct {
	text        []byte
	left, right bool    // needs a word boundary there
	bytes       byteSet // the bytes of text
}

func newWordSet(words []string) wordSet {
	var out wordSet
	for _, w := range foldedForms(words) {
		first, _ := firstRune(w)
		last, _ := lastRune(w)
		sw := setWord{text: []byte(w), left: isWordRune(first), right: isWordRune(last)}
		for i := 0; i < len(w); i++ {
			sw.bytes.add(w[i])
		}
		out = append(out, sw)
	}
	return out
}

// find returns the first word of the set in folded[lo:hi] that does not
// overlap [skipStart, skipEnd), as folded offsets, or -1, -1. present is
// the set of the bytes in folded[lo:hi] (sentences.bytesIn): a word with
// a byte that is not there is not looked for, which spares most of a
// rule's words a search of the sentence.
func (ws wordSet) find(folded []byte, present *byteSet, lo, hi, skipStart, skipEnd int) (int, int) {
	for i := range ws {
		w := &ws[i]
		if !present.covers(&w.bytes) {
			continue
		}
		for from := lo; from < hi; {
			k := bytes.Index(folded[from:hi], w.text)
			if k < 0 {
				break
			}
			s, e := from+k, from+k+len(w.text)
			from = s + 1
			if s < skipEnd && e > skipStart {
				continue
			}
			if w.left && s > 0 {
				if r, _ := utf8.DecodeLastRune(folded[:s]); isWordRune(r) {
					continue
				}
			}
			if w.right && e < len(folded) {
				if r, _ := utf8.DecodeRune(folded[e:]); isWordRune(r) {
					continue
				}
			}
			return s, e
		}
	}
	return -1, -1
}

// qualified reports the qualifier right after or before folded[start:end],
// or "".
func (c *compiledRule) qualified(folded []byte, start, end int) string {
	rest := folded[end:]
	for len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	for _, q := range c.after {
		if len(rest) >= len(q) && string(rest[:len(q)]) == q {
			// A Latin qualifier must end a word ("AI", not "Aix").
			if r, _ := lastRune(q); isWordRune(r) {
				if n, _ := utf8.DecodeRune(rest[len(q):]); len(rest) > len(q) && isWordRune(n) {
					continue
				}
			}
			return q
		}
	}
	head := folded[:start]
	for len(head) > 0 && head[len(head)-1] == ' ' {
		head = head[:len(head)-1]
	}
	for _, q := range c.before {
		if len(head) >= len(q) && string(head[len(head)-len(q):]) == q {
			return q
		}
	}
	return ""
}

// stockCode returns a stock code right after folded[end:], as in
// 寒武纪(688256.SH), 智谱(02513.HK), 商汤(020) or 摩尔线程(沪:688795),
// or "".
func stockCode(folded []byte, end int) string {
	i := end
	for i < len(folded) && folded[i] == ' ' {
		i++
	}
	r, size := utf8.DecodeRune(folded[i:])
	if r != '(' && r != '（' && r != '[' && r != '【' && r != '-' {
		return ""
	}
	open := i
	i += size
	// An exchange prefix: letters or Han characters, then a colon or dot.
	for j := i; j < len(folded) && j < i+12; {
		r, size := utf8.DecodeRune(folded[j:])
		if r == ':' || r == '：' || r == '.' || r == '(' || r == '（' {
			i = j + size
			break
		}
		if r >= '0' && r <= '9' {
			break
		}
		j += size
	}
	digits := 0
	for i < len(folded) && folded[i] >= '0' && folded[i] <= '9' {
		i++
		digits++
	}
	if digits < 3 || digits > 6 {
		return ""
	}
	return string(folded[open:i])
}

// compileRules returns the context rules folded, in a fixed order, and
// their names. The rules are fixed, so they are folded once per process.
func compileRules() ([]compiledRule, []string) {
	rulesOnce.Do(func() { rulesCompiled, rulesNames = foldRules() })
	return rulesCompiled, rulesNames
}

var (
	rulesOnce     sync.Once
	rulesCompiled []compiledRule
	rulesNames    []string
)

func foldRules() ([]compiledRule, []string) {
	names := make([]string, 0, len(contextRules))
	for n := range contextRules {
		names = append(names, n)
	}
	slices.Sort(names)
	rules := make([]compiledRule, len(names))
	for i, n := range names {
		r := contextRules[n]
		rules[i] = compiledRule{
			name: n, after: foldedForms(r.after), before: foldedForms(r.before),
			clues: newWordSet(r.clues), vetoes: newWordSet(r.vetoes), notVetoes: newWordSet(r.notVetoes),
			noFirmContext: r.noFirmContext, stockCodes: r.stockCodes,
		}
	}
	return rules, names
}

// sanctionWords are rankingWords, companyWords and usActors, folded.
type sanctionWords struct {
	rankings, company, us wordSet
}

// compileSanctionWords folds the words once per process.
var compileSanctionWords = sync.OnceValue(func() *sanctionWords {
	return &sanctionWords{rankings: newWordSet(rankingWords), company: newWordSet(companyWords), us: newWordSet(usActors)}
})

// isWordQualifier reports whether a qualifier is a word (公司, شركة, AI)
// rather than a quotation mark: only a word outweighs a veto.
func isWordQualifier(q string) bool {
	for _, r := range q {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
