package match

// term is a fixed phrase the matcher looks for besides the aliases.
type term struct {
	text string
	cs   bool // case-sensitive
	// list marks a list taken up again ("the list also included", 该清单,
	// وشملت القائمة): it is blocked by a ranking word in its sentence
	// (rankingWords), since rankings are lists too.
	list bool
	// us marks a word that is a sanctions term only beside the US side
	// (许可, a licence): it counts when its sentence also has one of
	// usActors.
	us bool
}

// sanctionTerms flag text about designations or export controls. Chinese
// terms gain their traditional forms (實體清單, 黑名單…) like aliases do,
// and Arabic ones take proclitics (بالعقوبات).
var sanctionTerms = []term{
	// The BIS Entity List and the other US lists aiwatch tracks, by the
	// names news uses for them.
	{text: "Entity List"}, {text: "Entities list"}, {text: "Unverified List"}, {text: "UVL", cs: true},
	{text: "sanction"}, {text: "sanctions"}, {text: "sanctioned"}, {text: "sanctioning"},
	{text: "blacklist"}, {text: "blacklists"}, {text: "blacklisted"}, {text: "blacklisting"},
	{text: "export control"}, {text: "export controls"}, {text: "export-control"},
	{text: "export-controlled"}, {text: "export restrictions"}, {text: "export curbs"},
	{text: "trade restrictions"}, {text: "export ban"}, {text: "curbs"}, {text: "entity-listed"},
	{text: "license requirement"}, {text: "license requirements"}, {text: "licence requirement"},
	{text: "export license"}, {text: "export licenses"}, {text: "export licence"}, {text: "end-use check"},
	// Not bare "SDN": in tech news it is software-defined networking.
	{text: "SDN list"}, {text: "Specially Designated Nationals"},
	{text: "1260H"}, {text: "Chinese military companies"}, {text: "Chinese military company"},
	{text: "Chinese military"}, {text: "China's military"}, {text: "China’s military"},
	{text: "Chinese army"}, {text: "military-linked"}, {text: "designation"},
	{text: "added to the list"}, {text: "removed from the list"}, {text: "added to its list"},
	{text: "Non-SDN"}, {text: "NS-CMIC"}, {text: "Chinese Military-Industrial Complex"},
	{text: "Military End User"}, {text: "Military End-User"}, {text: "MEU list"},
	{text: "Covered List", cs: true}, {text: "UFLPA"},
	// Chinese: 实体清单 and its traditional 實體清單 come from the
	// variants; 列入清单, 黑名单, 管制 and 禁令 name the action.
	{text: "实体清单"}, {text: "实体名单"}, {text: "未经核实清单"}, {text: "列入清单"}, {text: "纳入清单"},
	{text: "管制名单"}, {text: "制裁"}, {text: "出口管制"}, {text: "管制"}, {text: "黑名单"}, {text: "禁令"},
	{text: "出口许可"}, {text: "许可证"}, {text: "放行"}, {text: "限制投资"}, {text: "出口中国"}, {text: "向中国出口"}, {text: "出口到中国"}, {text: "出口至中国"},
	{text: "中国军企"}, {text: "中国军方"}, {text: "军方企业"}, {text: "军事企业"}, {text: "涉军企业"}, {text: "军事最终用户"},
	{text: "特别指定国民"}, {text: "出口限制"}, {text: "限制出口"}, {text: "禁止出口"}, {text: "禁运"},
	{text: "贸易限制"}, {text: "限制清单"}, {text: "限制名单"}, {text: "军工企业"}, {text: "限芯令"},
	{text: "封杀"}, {text: "禁售"}, {text: "解禁"}, {text: "松绑"}, {text: "封锁"}, {text: "禁输"}, {text: "遭禁"},
	{text: "美方限制"}, {text: "美国限制"}, {text: "列入名单"}, {text: "纳入名单"}, {text: "移出名单"}, {text: "移出清单"},
	// Arabic: the Entity List, the trade blacklist, export controls and
	// bans; Arabic terms take proclitics (بالعقوبات، للقائمة).
	{text: "قائمة الكيانات"}, {text: "القائمة السوداء"}, {text: "قائمة سوداء"}, {text: "قائمتها السوداء"},
	{text: "العقوبات"}, {text: "عقوبات"}, {text: "الشركات المحظورة"}, {text: "قائمة الحظر"},
	{text: "حظر"}, {text: "الحظر"}, {text: "حظر التصدير"},
	{text: "ضوابط التصدير"}, {text: "ضوابط تصدير"}, {text: "ضوابط تصديرية"},
	{text: "الضوابط الأميركية"}, {text: "الضوابط الأمريكية"},
	{text: "القيود الأميركية"}, {text: "القيود الأمريكية"}, {text: "قيود على تصدير"}, {text: "قيودا على تصدير"},
	{text: "قيدت الولايات المتحدة"}, {text: "قيود التصدير"}, {text: "القيود على التصدير"}, {text: "قيود تصدير"},
	{text: "تراخيص التصدير"}, {text: "ترخيص تصدير"}, {text: "تراخيص تصدير"}, {text: "رخصة تصدير"},
	{text: "قائمة الشركات العسكرية"}, {text: "الجيش الصيني"},
	{text: "القائمة الاقتصادية السوداء"}, {text: "القائمة السوداء الاقتصادية"}, {text: "تشديد القيود"},
	{text: "نطاق القيود"}, {text: "قيود على"}, {text: "قيود إضافية"}, {text: "شروط الترخيص"}, {text: "شروط التراخيص"},
	{text: "مراقبة الصادرات"}, {text: "لتصدير"},
	// The verb of a ban as news writes it (وحظرت الإدارة بيع منتجات…),
	// restrictions in the accusative (فرضت قيودًا على), restrictions
	// imposed, and a firm cut off from American technology.
	{text: "حظرت"}, {text: "يحظر"}, {text: "تحظر"},
	{text: "قيودا على"}, {text: "فرض قيود"}, {text: "فرض قيودا"}, {text: "فرضت قيودا"}, {text: "القيود المفروضة"},
	{text: "القيود الجديدة المفروضة"}, {text: "القيود الجديده المفروضه"},
	{text: "قائمتها الاقتصادية السوداء"},
	{text: "من الوصول إلى التكنولوجيا الأمريكية"}, {text: "من الوصول إلى التكنولوجيا الأميركية"},
	// The trade blacklist with its adjectives in the other order, لائحة
	// (a list, in Levantine and Maghrebi usage), and "added to the list".
	{text: "القائمة التجارية السوداء"}, {text: "قائمتها التجارية السوداء"}, {text: "قائمة تجارية سوداء"},
	{text: "لائحة سوداء"}, {text: "اللائحة السوداء"}, {text: "لائحتها السوداء"}, {text: "لائحة الكيانات"},
	{text: "إلى القائمة"}, {text: "للقائمة"}, {text: "على القائمة"},
	// The American list, and the Chinese military companies of the 1260H
	// list, in either adjective order.
	{text: "قيود أمريكية"}, {text: "قيود أميركية"}, {text: "قيودا أمريكية"}, {text: "قيودا أميركية"},
	{text: "القائمة الأمريكية"}, {text: "القائمة الأميركية"}, {text: "قائمة أمريكية"}, {text: "قائمة أميركية"},
	{text: "الشركات العسكرية الصينية"}, {text: "الشركات الصينية العسكرية"}, {text: "شركات عسكرية صينية"},
	// Taiwan and Hong Kong papers write exports to the mainland (對中國大陸
	// 出口, 銷陸, 輸中) and restrictive measures (限制措施). Bare 輸中 and
	// 銷中 are left out: they sit inside 運輸中 and 傳輸中. So is 斷供
	// (supply cut off): 華為斷供 is Huawei ceasing to buy from a supplier.
	{text: "对中国大陆出口"}, {text: "向中国大陆出口"}, {text: "出口中国大陆"}, {text: "出口到中国大陆"}, {text: "出口至中国大陆"},
	// A list named in an earlier sentence and taken up again (該清單,
	// 這份名單): in news of Chinese firms, that list is a sanctions list.
	{text: "该清单", list: true}, {text: "该名单", list: true}, {text: "清单上", list: true}, {text: "名单上", list: true},
	{text: "增列"}, {text: "军工复合体"},
	{text: "这份清单", list: true}, {text: "这份名单", list: true}, {text: "此清单", list: true}, {text: "此名单", list: true},
	// The same in English and Arabic: a sentence that goes on with a list
	// named before it ("The list also included…", وشملت القائمة، تضم
	// القائمة) and names a tracked firm on it.
	{text: "the list also included", list: true}, {text: "the list also includes", list: true},
	{text: "the list also include", list: true}, {text: "the list included", list: true},
	{text: "the list includes", list: true}, {text: "the list include", list: true},
	{text: "included in the list", list: true}, {text: "included on the list", list: true},
	{text: "شملت القائمة", list: true}, {text: "تشمل القائمة", list: true}, {text: "تضم القائمة", list: true},
	{text: "ضمت القائمة", list: true}, {text: "القائمة تضم", list: true}, {text: "القائمة تشمل", list: true},
	{text: "القائمة شملت", list: true}, {text: "القائمة ضمت", list: true},
	// Hong Kong and Taiwan wording of the lists and of the pressure on a
	// firm: 未經驗證, 軍事終端用戶, 列管, 美國打壓 (not bare 打壓: firms
	// 打壓 their rivals and traders 打壓 a share price).
	{text: "未经验证"}, {text: "军事终端用户"}, {text: "列管"}, {text: "美国打压"}, {text: "美方打压"},
	{text: "禁止输中"}, {text: "禁止销中"}, {text: "禁止销陆"}, {text: "销陆禁令"}, {text: "限制措施"},
	// Sales to the mainland barred or licensed, split by the goods
	// (禁止H20晶片銷陸); the licence review of BIS (許可審查政策, 推定拒絕),
	// and a penalty by the US side (遭美方處罰). Bare 銷陸 also starts
	// 銷陸續 ("sold one after another"): see blockPhrases.
	{text: "销陆"}, {text: "许可审查"}, {text: "推定拒绝"}, {text: "美方处罚"},
	// Listed (被列名單), Taiwan's word for export control (輸出管制),
	// exports to China (對中國出口, 對華出口), and a licence (許可) when
	// the US side is in the sentence: 須先獲得商務部許可, 川普…將能獲得
	// 許可. A licence alone is not: Baidu's robotaxis get 许可 too.
	{text: "被列名单"}, {text: "被列清单"}, {text: "输出管制"}, {text: "对中国出口"}, {text: "对华出口"},
	{text: "许可", us: true},
	// A ban on using a firm's product (禁用DeepSeek, 禁止使用DeepSeek)
	// is sanctions news when the US side imposes it, not when a how-to
	// disables a setting; and the US pressure written with 的.
	{text: "禁用", us: true}, {text: "禁止使用", us: true}, {text: "美国的打压"}, {text: "美方的打压"},
	{text: "限制", us: true}, {text: "禁止", us: true}, {text: "允许", us: true}, {text: "核准", us: true},
}

// rankingWords block a list taken up again (a term with list set): "the
// list" of a sentence that also names a ranking, an award or a rich list
// is not a sanctions list. Chinese words gain their traditional forms.
var rankingWords = []string{
	"ranking", "rankings", "ranked", "richest", "unicorn", "unicorns", "Fortune", "Forbes", "Hurun",
	"most valuable", "most innovative", "top 10", "top 20", "top 50", "top 100", "Global 500", "award", "awards", "billionaires",
	"榜单", "排行", "排名", "富豪", "独角兽", "财富", "福布斯", "胡润", "最具", "最有价值", "百强", "入选", "评选", "获奖", "500强",
	"تصنيف", "ترتيب", "الأغنى", "أغنى", "فوربس", "فورتشن", "هورون", "الأكثر قيمة", "الأكثر ابتكارا", "يونيكورن", "جائزة", "جوائز",
}

// usActors are the US side of an export licence: a term with us set
// counts only in a sentence that has one of them.
//
// Not bare 美国: "美國晶片大廠輝達" names Nvidia's country, not an actor.
var usActors = []string{
	"美国政府", "美国总统", "美国将", "美国已", "美国对", "美国宣布", "美国要求", "美国正", "美方", "华府", "华盛顿", "白宫", "商务部", "工业与安全局", "工业和安全局", "工业暨安全局", "BIS",
	"川普", "特朗普", "拜登", "卢特尼克", "全美", "国会", "联邦", "五角大厦", "国防部",
}

// companyWords refer back to a firm named before ("the company", 该公司,
// الشركة). A sanctions term whose sentence names no tracked firm counts
// when its sentence has one of them and the sentence just before it, in
// the same text, names a tracked firm: "Huawei launched a phone. The
// company remains on the Entity List."
var companyWords = []string{
	"the company", "the firm", "the two companies", "both companies", "the two firms", "the chipmaker", "the startup",
	"该公司", "这家公司", "两家公司", "该企业", "该集团", "这家企业",
	"الشركة", "الشركتان", "الشركتين",
}

// blockPhrases are common phrases that contain an alias or a sanctions
// term but name no firm: a match that lies inside one is dropped. They
// cover the misreadings that the curated aliases cannot avoid by being
// case-sensitive or qualified.
var blockPhrases = []term{
	// N. Biren Singh, the Indian politician.
	{text: "Biren Singh"},
	// Ali Baba and the Forty Thieves.
	{text: "علي بابا والأربعين"}, {text: "علي بابا والاربعين"},
	// "Two big …" (كبيرين, ك + بيرين in form only) is not Biren.
	{text: "كبيرين"},
	// The penal code, not sanctions.
	{text: "قانون العقوبات"},
	// Temperatures and kilowatt-hours in the hundreds: 几百度, 五百度电.
	{text: "一百度"}, {text: "二百度"}, {text: "两百度"}, {text: "三百度"}, {text: "四百度"},
	{text: "五百度"}, {text: "六百度"}, {text: "七百度"}, {text: "八百度"}, {text: "九百度"},
	{text: "几百度"}, {text: "数百度"},
	// The Cambrian period, whose Chinese name Cambricon took.
	{text: "前寒武纪"}, {text: "早寒武纪"}, {text: "中寒武纪"}, {text: "晚寒武纪"},
	{text: "寒武纪大爆发"}, {text: "寒武纪生命大爆发"}, {text: "寒武纪时期"},
	{text: "寒武纪早期"}, {text: "寒武纪中期"}, {text: "寒武纪晚期"},
	{text: "寒武纪化石"}, {text: "寒武纪地层"}, {text: "寒武纪生物"}, {text: "寒武纪海洋"},
	// King Tang of Shang, the dynasty's founder.
	{text: "商汤灭夏"}, {text: "商汤王"},
	// Pink Floyd's album in its title marks.
	{text: "《月之暗面》"},
	// Citations of Baidu's encyclopedia and answers site, and pinging its
	// home page, say nothing about Baidu the firm.
	{text: "百度百科"}, {text: "百度知道"},
	{text: "Baidu encyclopedia"}, {text: "Baidu Baike"}, {text: "ping baidu"},
	// 上海光源, the Shanghai synchrotron, is not Hygon (海光), and 上海思源
	// is not HiSilicon (海思).
	{text: "上海光"}, {text: "上海思"},
	// Alishan in Taiwan; Muhammad Ali (·阿里).
	{text: "阿里山"}, {text: "·阿里"}, {text: "•阿里"},
	// 銷 followed by a word that starts with 陸: 陸續 (one after another),
	// 陸地, 陸路, 陸上, 陸軍, 陸家嘴.
	{text: "销陆续"}, {text: "销陆地"}, {text: "销陆路"}, {text: "销陆上"}, {text: "销陆军"}, {text: "销陆家"},
	// 算能 (Sophgo) inside computing power and "even if it can".
	{text: "算能力"}, {text: "就算能"}, {text: "打算能"}, {text: "还算能"}, {text: "也算能"}, {text: "总算能"}, {text: "算能否"},
	{text: "算能不能"}, {text: "算能够"},
	// Units of data: a kilobyte is not ByteDance.
	{text: "千字节"}, {text: "兆字节"}, {text: "吉字节"}, {text: "太字节"}, {text: "拍字节"},
	{text: "字节码"}, {text: "字节序"}, {text: "字节流"}, {text: "字节数"},
}
