package match_test

import (
	"github.com/aiwatch/aiwatch/feeds/match"
	"slices"
	"strings"
	"testing"
)

// TestBothSenses pins each name that is also an ordinary word in both
// senses: the firm, with the context that lets it count, and the word.
// Most sentences are from the real-text set (testdata/realtext).
func TestBothSenses(t *testing.T) {
	tests := []struct {
		name, text string
		firm       string // "" when the name must not count
		why        string // part of Match.Context, or of Blocked.Reason
	}{
		{"地平线 the firm, by its product", "推出征程系列芯片与HSD系统,地平线或改写中国智驾竞争规则", "horizon-robotics", "clue"},
		{"地平线 the firm, qualified", "地平线技术生态大会在北京举行。", "horizon-robotics", "qualifier 技术"},
		{"地平线 the horizon", "当太阳位于地平线以下时,我们就说太阳落下了。", "", "ordinary word"},
		{"地平線 the horizon, traditional", "在很多地方,真地平線會被樹木、建築物、山脈等所掩蓋。", "", "ordinary word"},
		{"寒武纪 the firm, stock code", "寒武纪(688256.SH)今日公布年报。", "cambricon", "stock code"},
		{"寒武纪 the firm, 中科 before it", "中科寒武纪将于6月2日科创板首发。", "cambricon", "qualifier 中科"},
		{"寒武纪 the period", "统治寒武纪海洋的是奇虾。", "", "phrase"},
		{"寒武紀 the firm, qualified beside a veto word", "民營企業「中科寒武紀科技」近期上演一場「寒武紀大爆發」戲碼。", "cambricon", "qualifier"},
		{"寒武紀 the firm, by an analyst's rating", "高盛將寒武紀維持「買進」評級。", "cambricon", "clue"},
		{"寒武纪 the period, by its fossils", "寒武纪的化石群除了伯吉斯页岩化石群,还有中国的澄江动物化石群等。", "", "veto"},
		{"寒武紀 the period, traditional", "它們生活在遠古的海洋中,主要出現在寒武紀,到寒武紀晚期時發展到頂點。", "", ""},
		{"商汤 the firm", "被上海沃土滋养,商汤于去年12月在港交所挂牌上市。", "sensetime", "clue"},
		{"商湯 the firm, stock code", "本港獨角獸商湯(020)早前遭美國政府列入黑名單。", "sensetime", "stock code"},
		{"商汤 the king", "“商汤伐桀”与“武王伐纣”同为中国古代历史上替天行道吊民伐罪的伟大革命。", "", ""},
		{"商湯 the king, traditional", "商湯繼主癸作諸侯時,正是夏桀暴虐無道、殘害人民、侵奪諸侯、天怒人怨的時候。", "", "veto"},
		{"月之暗面 the firm", "月之暗面正與IDG資本、騰訊等投資方洽談新一輪約6億美元新融資。", "moonshot", ""},
		{"月之暗面 the album", "而月之暗面正是我聽的第一張專輯,它顛覆了我對人類創作音樂的價值觀。", "", "veto"},
		{"蚂蚁 the firm, 蚂蚁AI", "但螞蟻AI的C端應用對用戶來說難言「存在感」。", "ant-group", "qualifier ai"},
		{"蚂蚁 the insects", "蚂蚁能预感空气湿度,当它感觉湿度过大时就知道要下雨了。", "", "ordinary word"},
		{"浪潮 the firm, qualified", "浪潮信息发布新一代AI服务器。", "inspur", ""},
		{"浪潮 the firm, in Taiwan usage", "浪潮伺服器出貨量居全球前三。", "inspur", "qualifier 伺服器"},
		{"浪潮 the wave, beside a firm", "自2016年前后兴起的人工智能新一波浪潮中,旷视科技成为其中最知名的公司之一。", "", "qualifier or a stock code"},
		{"曙光 the firm", "海光处理器与曙光服务器深度适配。", "sugon", "qualifier 服务器"},
		{"曙光 the dawn", "2000年1月1日,在中国大地上,新世纪的第一缕曙光照射在浙江省温岭市一个叫石塘的临海小镇上。", "", "ordinary word"},
		{"海光 the firm", "海光CPU的出货量继续增长。", "hygon", "qualifier cpu"},
		{"海光 the light, inside 上海光源", "上海光源是一台第三代同步辐射光源。", "", "phrase"},
		{"字节 the firm, beside others", "字节、阿里、腾讯AI应用大战深度解析", "bytedance", "firm"},
		{"字節 the firm, traditional", "遠落後於字節豆包的千萬級日活。", "bytedance", "qualifier"},
		{"字节 the byte", "计算机数据存储是以“字节”(Byte)为单位。", "", "veto"},
		{"位元組 the byte, in Taiwan usage", "1位元組等於8位元。", "", "veto"},
		{"阿里 the firm", "2025 年,阿里內部悄然推行一個代號:“通雲哥”。", "alibaba", "qualifier"},
		{"阿里 the mountain, Alishan", "阿里山小火車,又稱阿里山森林鐵路,是台灣著名的觀光鐵路之一。", "", "phrase"},
		{"علي بابا the firm, quoted", "ولم ترد “علي بابا” و”ميراي أسيت” على طلبات التعليق.", "alibaba", "qualifier"},
		{"علي بابا the firm, مجموعة", "أشار مسؤولون من مجموعة علي بابا سابقًا إلى أن الحملة شهدت استخدامًا واسع النطاق للذكاء الاصطناعي.", "alibaba", ""},
		{"علي بابا the woodcutter", "في بلدة صغيرة من بلاد الشرق القديم، كان يعيش رجل فقير يُدعى علي بابا، يعمل في جمع الحطب.", "", "veto"},
		{"علي بابا the firm, in a success story", "كانت هناك قصة نجاح جديدة بينما تهيمن «علي بابا» على التجارة.", "alibaba", "qualifier"},
		{"علي بابا the tale, quoted", "قصة «علي بابا» من أشهر حكايات ألف ليلة وليلة.", "", "veto"},
		{"علي بابا the firm, after a feminine verb", "وأعلنت علي بابا أرباحاً قياسية هذا الربع.", "alibaba", "qualifier"},
		{"علي بابا the firm, before a feminine verb", "علي بابا تطلق تطبيقاً جديداً للهواتف.", "alibaba", "qualifier"},
		{"علي بابا the man, after a masculine verb", "قال علي بابا لزوجته إن الكنز كبير.", "", "ordinary word"},
		{"تشيبو the firm, quoted after شركة", "أضافت الولايات المتحدة شركة \"تشيبو\" الناشئة إلى القائمة السوداء.", "zhipu", "qualifier"},
		{"زيبو the firm, by its model", "وأطلقت زيبو نموذج GLM الجديد.", "zhipu", "clue"},
		{"زيبو the city", "تقع مدينة زيبو في مقاطعة شاندونغ شرقي الصين.", "", "veto"},
		{"زيبو the place, no context", "زار الوفد مصنعا في زيبو الأسبوع الماضي.", "", "ordinary word"},
		{"تشيبو the coffee chain", "افتتحت تشيبو متجرا جديدا للقهوة في برلين.", "", "veto"},
		{"علي بابا the tale", "تحكي هذه القصة عن رجل فقير يُدعى علي بابا، يدخل مغارة سحرية ويكشف سر كنزٍ مخفيٍّ وراء كلمةٍ بسيطة: افتح يا سمسم.", "", "veto"},
		{"Minimax the firm", "截至發稿,MINIMAX-WP(00100.HK)漲15.98%。", "minimax", ""},
		{"Minimax the algorithm", "Minimax is a decision rule used in game theory.", "", "ordinary word"},
		{"旷世 a misspelling of 旷视", "旷世上市的光环与暗影:阿里投资以及52亿巨亏", "megvii", "clue 上市"},
		{"算能 the firm, beside 华为", "算能与华为的关系引发关注。", "sophgo", "firm huawei"},
		{"算能 the firm, by TSMC", "算能从台积电订购的一款芯片。", "sophgo", "clue"},
		{"算能 in computing power", "华为昇腾芯片的计算能力大幅提升。", "", ""},
		{"算能 in even if it can", "就算能买到芯片，价格也太高。", "", ""},
		{"算能 with no context", "这样算能省下不少钱。", "", "ordinary word"},
		{"旷世 the word unrivalled", "他是一位旷世奇才。", "", "veto"},
	}
	m := curated()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Explain(tt.text)
			checkInvariants(t, tt.text, got)
			if tt.firm != "" {
				i := slices.IndexFunc(got.Matches, func(x matchT) bool { return x.Entity == tt.firm })
				if i < 0 {
					t.Fatalf("%s not tagged: %+v, blocked %+v", tt.firm, got.Matches, got.Blocked)
				}
				if !strings.Contains(got.Matches[i].Context, tt.why) {
					t.Errorf("context %q, want it to mention %q", got.Matches[i].Context, tt.why)
				}
				return
			}
			if slices.ContainsFunc(got.Matches, func(x matchT) bool { return strings.HasPrefix(tt.text[x.Start:], nameOf(tt.name)) }) {
				t.Fatalf("tagged %v: %+v", got.Firms, got.Matches)
			}
			if tt.why != "" && !slices.ContainsFunc(got.Blocked, func(b blockedT) bool { return strings.Contains(b.Reason, tt.why) }) {
				t.Errorf("blocked %+v, want a reason mentioning %q", got.Blocked, tt.why)
			}
		})
	}
}

// nameOf is the name a TestBothSenses case is about: its first word.
func nameOf(caseName string) string { n, _, _ := strings.Cut(caseName, " the "); return n }

// TestSpellings covers the spellings the product issue lists: short and
// informal forms, Arabic transliterations and letter-by-letter acronyms,
// machine-converted Taiwan forms, and alliances under other names.
func TestSpellings(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // entity
		form       string
	}{
		{"腾讯系", "腾讯系的投资版图继续扩大。", "tencent", ""},
		{"Zhipu.AI", "Zhipu.AI released a new model.", "zhipu", ""},
		{"Minimax spelt so", "Minimax and Zhipu listed in Hong Kong.", "minimax", ""},
		{"بايت دانس", "وتُعد بايت دانس من أكبر الشركات الصينية في مجال تطوير البنية التحتية للذكاء الاصطناعي.", "bytedance", ""},
		{"بايتدانس", "وفي السياق، عززت المقاطع حضور \"بايتدانس\" الدولي.", "bytedance", ""},
		{"ديبسيك, written as one word", "تطبيق “ديبسيك” الصيني يثير ضجة في عالم الذكاء الاصطناعي.", "deepseek", ""},
		{"نفيديا", "الصين تفتح تحقيقا حول الشركة الأمريكية نفيديا", "nvidia", ""},
		{"كامبريكون تكنولوجيز", "شهدت أسهم شركة “كامبريكون تكنولوجيز” الصينية ارتفاعاً.", "cambricon", ""},
		{"SMIC spelt out", "أضافت الإدارة المؤسسة (إس إم آي سي) إلى القائمة.", "smic", "arabic-letters"},
		{"YMTC spelt out", "وتأسست \"واي إم تي سي\" في عام 2016.", "ymtc", "arabic-letters"},
		{"YMTC spelt with أم", "وتنافس واي أم تي سي في رقائق الذاكرة.", "ymtc", "arabic-letters"},
		{"CXMT spelt out", "وتنافس سي إكس إم تي في رقائق الذاكرة.", "cxmt", "arabic-letters"},
		{"SMIC long form", "كما سجلت شركة “سيميكوندكتور مانيفاكتشورينغ إنترناشونال” ارتفاعاً.", "smic", ""},
		{"摩爾執行緒, converted by machine", "摩爾執行緒發布新一代GPU。", "moore-threads", "zh-tw-phrases"},
		{"位元組跳動, converted by machine", "位元組跳動旗下的豆包。", "bytedance", "zh-tw-phrases"},
		{"矽基流動, converted by machine", "矽基流動完成新一輪融資。", "siliconflow", "zh-tw-phrases"},
		{"Model-Chip Alliance", "StepFun convened the Model-Chip Alliance in Shanghai.", "model-chip", ""},
		{"Model-Chips Ecosystem Innovation Alliance", "Initial members of the Model-Chips Ecosystem Innovation Alliance include StepFun.", "model-chip", ""},
		{"the other alliance in Arabic", "أما التحالف الثاني، فقد أطلقته \"لجنة الذكاء الاصطناعي\" التابعة لغرفة تجارة شنغهاي.", "shanghai-gcc-ai", ""},
		{"دوباو for Doubao", "ويضع ذلك \"دوباو\" ضمن أكبر الجهات عالمياً.", "bytedance", ""},
		{"آي فلاي تيك", "زرنا شركة \"آي فلاي تيك\" الصينية.", "iflytek", ""},
		{"تشيبو إيه آي", "منصة تشيبو إيه آي الصينية تكتسب زخماً.", "zhipu", ""},
		{"SMIC's Arabic name with لصناعة", "الشركة الدولية لصناعة أشباه الموصلات هي الأكبر في الصين.", "smic", ""},
		{"باي دانس", "تأسست شركة \"باي دانس\" عام 2012.", "bytedance", ""},
		{"آنت جروب", "الجهود الصينية لقمع شركة \"آنت جروب\" مستمرة.", "ant-group", ""},
		{"the alliance in Arabic", "التحالف الأول الذي يحمل اسم “تحالف الابتكار في منظومة النماذج والرقائق” يجمع بين مطوري النماذج.", "model-chip", ""},
	}
	m := curated()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Explain(tt.text)
			checkInvariants(t, tt.text, got)
			i := slices.IndexFunc(got.Matches, func(x matchT) bool { return x.Entity == tt.want })
			if i < 0 {
				t.Fatalf("%s not found: %+v, blocked %+v", tt.want, got.Matches, got.Blocked)
			}
			if got.Matches[i].Form != tt.form {
				t.Errorf("form %q, want %q", got.Matches[i].Form, tt.form)
			}
		})
	}
	// CUDA is read as a word (كودا), so it is not spelt out.
	if got := m.Match("سي يو دي إيه"); len(got.Firms) != 0 {
		t.Errorf("CUDA spelt out was tagged: %+v", got.Matches)
	}
}

// TestGenericUses: a firm's name used for something else.
func TestGenericUses(t *testing.T) {
	for _, text := range []string{
		"打开浏览器,输入 www.baidu.com 回车。",
		"Run ping baidu.com to check the connection.",
		"ping baidu -t",
		"Baidu encyclopedia -ping (network diagnosis tool)",
		"来源:百度百科",
		"https://baike.baidu.com/item/ping",
		"سأل علي بابا الفتاة عن سبب بكاءها الشديد.",
		// Zibo, the city (淄博), is not Zhipu: only زيبو AI is an alias.
		"زار الوفد مدينة زيبو في مقاطعة شاندونغ.",
		// "You" and "thick" are not Ant Group and SMIC.
		"أنت تعرف أن الجدار سميك جداً.",
	} {
		if got := curated().Explain(text); len(got.Firms) != 0 {
			t.Errorf("%q tagged %v: %+v", text, got.Firms, got.Matches)
		}
	}
	// A brand with a capital after a dot is a sentence whose space went
	// missing, not a host name.
	if got := curated().Explain("struggle under US sanctions.Unisoc, a subsidiary"); !slices.Contains(got.Firms, "unisoc") {
		t.Errorf("Unisoc after a dot not tagged: %+v %+v", got.Matches, got.Blocked)
	}
}

// TestSanctionsFlag: a listing, removal or export-control action counts
// only when a tracked firm is named in the same sentence, under any of
// the names lists go by.
func TestSanctionsFlag(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"The US adds 23 Chinese entities to the Entity List.", false},
		{"The Commerce Department added SMIC to the Entity List.", true},
		{"The Commerce Department added 23 Chinese entities to the Entity List. SMIC reported higher revenue.", false},
		{"BIS added Yangtze Memory Technologies to its Unverified List.", true},
		{"Huawei was placed on the Military End-User List.", true},
		{"The Pentagon added Tencent to its 1260H list of Chinese military companies.", true},
		{"DOD Adds Tencent, CATL to List of Companies Linked to Chinese Military", true},
		{"美国商务部将长江存储列入实体清单。", true},
		{"美國商務部將長江存儲列入實體清單。", true},
		{"美国将23家中国实体列入实体清单。", false},
		{"华为被列入清单。", true},
		{"أضافت وزارة التجارة شركة هواوي إلى قائمة الكيانات.", true},
		{"أُدرجت شركة SMIC على القائمة السوداء التجارية الأمريكية.", true},
		{"أضافت الولايات المتحدة ست شركات صينية إلى قائمة الكيانات.", false},
		{"Huawei unveiled a new phone.", false},
		// A dot inside an abbreviation does not end the sentence.
		{"Huawei said U.S. sanctions cut its revenue.", true},
		{"شركات بينها بايدو و\"بي. واي. دي\"، يجب إدراجها في القائمة السوداء.", true},
		{"Huawei unveiled a phone. The U.S. added 23 entities to the Entity List.", false},
		// ل swallows the article's alef: للجيش الصيني.
		{"أوصت الوزارة بإدراج بايدو ضمن الشركات الداعمة للجيش الصيني.", true},
		{"وحظرت الإدارة بيع منتجات هواوي في السوق الأميركية.", true},
		{"حظرت الحكومة استيراد بعض السلع.", false},
		{"美國對輝達晶片實施新的限制措施。", true},
		{"高雄港的限制措施今日解除。", false},
		{"川普政府告訴輝達，禁止H20晶片銷陸。", true},
		{"新款手機在各地促銷陸續登場，華為也參與其中。", false},
		// A licence counts beside the US side, not alone.
		{"美國企業須先獲得商務部許可，才能向中芯國際出貨。", true},
		{"百度获得无人驾驶出行服务许可。", false},
		{"美國國會議員提案，政府全面禁用DeepSeek。", true},
		{"如何在電腦上禁用百度輸入法的自動更新。", false},
		{"川普政府允許輝達向中國出售H200晶片。", true},
		{"公司允許員工在家工作，華為也一樣。", false},
		// A list taken up again from an earlier sentence names a firm on
		// it; a ranking is a list too, and does not count.
		{"The list also included chipmaker SMIC and drone maker Autel Robotics.", true},
		{"The list also included Alibaba and ByteDance, the most valuable unicorns in Asia.", false},
		{"The list includes Huawei, according to the Hurun ranking.", false},
		{"وشملت القائمة شركة هواوي وكيانات أخرى.", true},
		{"وتضم القائمة شركة بايدو بين أغنى الشركات وفق تصنيف فوربس.", false},
		{"该名单包括华为和中芯国际。", true},
		{"胡润独角兽榜单上，该名单包括字节跳动。", false},
		// A sanctions term whose sentence names no firm counts when the
		// sentence refers back to a company ("the company", 该公司,
		// الشركة) and the sentence just before it names a tracked firm.
		{"Huawei launched a new phone. The company remains on the Entity List.", true},
		{"Huawei launched a new phone. The Entity List grew by 23 entities.", false},
		{"Huawei launched a new phone. Apple said the weather was fine. The company remains on the Entity List.", false},
		{"The company remains on the Entity List. Huawei launched a new phone.", false},
		{"华为发布了新手机。该公司仍在实体清单上。", true},
		{"華為發佈了新手機。該公司仍在實體清單上。", true},
		{"أطلقت هواوي هاتفا جديدا. وما زالت الشركة على قائمة الكيانات.", true},
		{"أطلقت هواوي هاتفا جديدا. وأضافت الولايات المتحدة ست شركات إلى قائمة الكيانات.", false},
	}
	m := curated()
	for _, tt := range tests {
		got := m.Explain(tt.text)
		checkInvariants(t, tt.text, got)
		if got.Sanctions != tt.want {
			t.Errorf("%q: sanctions = %v, want %v\nmatches %+v\nblocked %+v", tt.text, got.Sanctions, tt.want, got.Matches, got.Blocked)
		}
	}
}

type (
	matchT   = match.Match
	blockedT = match.Blocked
)
