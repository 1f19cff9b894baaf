package uitest

import (
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// Now is the fake's clock: the day of the reference dataset's check.
var Now = time.Date(2026, 6, 17, 9, 0, 0, 0, time.UTC)

// AsOf is the date firms without designations are "none found as of".
const AsOf = "2026-06-17"

// Alliance IDs of the fake data.
const (
	ModelChip   = "model-chip"
	ShanghaiGCC = "shanghai-gcc-ai"
)

var lists = []store.List{
	{ID: "entity-list", Name: "BIS Entity List", Badge: "EL", Description: "US Commerce Dept export-control list (15 CFR 744 Supp. 4)."},
	{ID: "meu", Name: "BIS Military End-User List", Badge: "MEU"},
	{ID: "sdn", Name: "OFAC SDN", Badge: "SDN", Description: "US Treasury blocking sanctions list."},
	{ID: "ns-cmic", Name: "Treasury NS-CMIC", Badge: "CMIC"},
	{ID: "1260h", Name: "DoD 1260H", Badge: "1260H"},
	{ID: "fcc-covered", Name: "FCC Covered List", Badge: "FCC"},
	{ID: "uflpa", Name: "UFLPA Entity List", Badge: "UFLPA"},
}

func members(alliance string, ids ...string) []store.Membership {
	ms := make([]store.Membership, len(ids))
	for i, id := range ids {
		ms[i] = store.Membership{Alliance: alliance, Firm: id, Role: "member", Source: store.SourceReference}
	}
	if len(ms) > 0 && alliance == ModelChip {
		ms[0].Role = "convener"
	}
	return ms
}

func alliances() []store.Alliance {
	return []store.Alliance{
		{
			ID:          ModelChip,
			Name:        "Model-Chip Ecosystem Innovation Alliance",
			NameZH:      "模芯生态创新联盟",
			NameStatus:  "Chinese name unconfirmed",
			Launched:    "2025-07-25",
			LaunchNote:  "Reuters reported it on 28 Jul 2025",
			Venue:       "Shanghai, on the sidelines of WAIC 2025",
			Convener:    "StepFun (initiator)",
			MembersNote: "Five members are named in Reuters-based reports; the rest come from one secondary list.",
			Members: members(ModelChip, "stepfun", "huawei", "biren", "moore-threads", "enflame",
				"metax", "iluvatar-corex", "cambricon", "infinigence-ai", "siliconflow"),
			Sources: []string{"https://www.wionews.com/business-economy/chinese-ai-firms-join-forces-to-build-homegrown-ecosystem-as-us-curbs-bite-1753687171896"},
			Aliases: []store.Alias{
				{Entity: ModelChip, Kind: store.KindAlliance, Text: "Model-Chip Ecosystem Innovation Alliance", Lang: "en"},
				{Entity: ModelChip, Kind: store.KindAlliance, Text: "模芯生态创新联盟", Lang: "zh"},
			},
		},
		{
			ID:          ShanghaiGCC,
			Name:        "Shanghai General Chamber of Commerce AI Committee",
			NameStatus:  "no Chinese name found",
			Launched:    "2025-07",
			Venue:       "Shanghai, during WAIC 2025",
			Convener:    "Shanghai General Chamber of Commerce (上海市总商会)",
			MembersNote: "Members are the firms named in the reports; no full list found.",
			Members:     members(ShanghaiGCC, "sensetime", "minimax", "stepfun", "metax", "iluvatar-corex"),
			Aliases: []store.Alias{
				{Entity: ShanghaiGCC, Kind: store.KindAlliance, Text: "Shanghai General Chamber of Commerce AI Committee", Lang: "en"},
			},
		},
	}
}

func firmAliases(id string, texts ...string) []store.Alias {
	as := make([]store.Alias, 0, len(texts))
	for _, t := range texts {
		lang := "en"
		for _, r := range t {
			switch {
			case r >= 0x4e00 && r <= 0x9fff:
				lang = "zh"
			case r >= 0x0600 && r <= 0x06ff:
				lang = "ar"
			}
		}
		as = append(as, store.Alias{Entity: id, Kind: store.KindFirm, Text: t, Lang: lang, Source: store.SourceReference})
	}
	return as
}

func el(firm, added, citation string) store.Designation {
	return store.Designation{Firm: firm, List: "entity-list", Program: "Export Administration Regulations",
		Added: added, Citation: citation, Status: store.StatusConfirmed, Provenance: store.SourceReference,
		Source: "https://www.federalregister.gov/"}
}

func des(firm, list, added string) store.Designation {
	return store.Designation{Firm: firm, List: list, Added: added, Status: store.StatusConfirmed,
		Provenance: store.SourceReference, Source: "https://www.defense.gov/News/Releases/"}
}

func firms() []store.Firm {
	fs := []store.Firm{
		{ID: "stepfun", Name: "StepFun", NameZH: "阶跃星辰", Short: "StepFun", Sector: "models", HQ: "Shanghai",
			Aliases: firmAliases("stepfun", "StepFun", "阶跃星辰", "ستيب فان", "Step-3")},
		{ID: "huawei", Name: "Huawei Technologies Co., Ltd.", NameZH: "华为技术有限公司", Short: "Huawei",
			Sector: "chips / cloud / devices / models", HQ: "Shenzhen",
			Aliases: firmAliases("huawei", "Huawei", "华为", "هواوي", "Ascend", "CloudMatrix 384"),
			Designations: []store.Designation{
				el("huawei", "2019-05-16", "84 FR 22961"),
				func() store.Designation {
					d := des("huawei", "ns-cmic", "2021-06-03")
					d.Citation = "EO 14032 Annex"
					return d
				}(),
				des("huawei", "1260h", "2020-06-24"),
				des("huawei", "fcc-covered", "2021-03-12"),
			}},
		{ID: "biren", Name: "Biren Technology", NameZH: "壁仞科技", Short: "Biren", Sector: "chips (GPU)", HQ: "Shanghai",
			Aliases:      firmAliases("biren", "Biren", "壁仞科技", "壁仞", "بيرين"),
			Designations: []store.Designation{el("biren", "2023-10-17", "88 FR 71991")}},
		{ID: "moore-threads", Name: "Moore Threads Intelligent Technology (Beijing) Co., Ltd.", NameZH: "摩尔线程智能科技(北京)股份有限公司",
			Short: "Moore Threads", Sector: "chips (GPU)", HQ: "Beijing",
			Aliases:      firmAliases("moore-threads", "Moore Threads", "摩尔线程", "مور ثريدز"),
			Designations: []store.Designation{el("moore-threads", "2023-10-17", "88 FR 71991")}},
		{ID: "enflame", Name: "Enflame Technology", NameZH: "燧原科技", Short: "Enflame", Sector: "chips (AI accelerators)", HQ: "Shanghai",
			Aliases: firmAliases("enflame", "Enflame", "燧原科技", "إنفليم")},
		{ID: "metax", Name: "MetaX Integrated Circuits (Shanghai) Co., Ltd.", NameZH: "沐曦集成电路(上海)股份有限公司", Short: "MetaX",
			Sector: "chips (GPU)", HQ: "Shanghai", Aliases: firmAliases("metax", "MetaX", "沐曦", "ميتاكس")},
		{ID: "iluvatar-corex", Name: "Shanghai Iluvatar CoreX Semiconductor Co., Ltd.", NameZH: "上海天数智芯半导体有限公司",
			Short: "Iluvatar CoreX", Sector: "chips (GPGPU)", HQ: "Shanghai",
			Aliases: firmAliases("iluvatar-corex", "Iluvatar CoreX", "天数智芯")},
		{ID: "cambricon", Name: "Cambricon Technologies Corporation Limited", NameZH: "寒武纪", Short: "Cambricon",
			Sector: "chips (AI accelerators)", HQ: "Beijing", Aliases: firmAliases("cambricon", "Cambricon", "寒武纪"),
			Designations: []store.Designation{el("cambricon", "2022-12-16", "")}},
		{ID: "infinigence-ai", Name: "Infinigence AI", NameZH: "无问芯穹", Short: "Infinigence AI", Sector: "cloud (AI infrastructure software)",
			Aliases: firmAliases("infinigence-ai", "Infinigence AI", "Infinigence", "无问芯穹")},
		{ID: "siliconflow", Name: "SiliconFlow", NameZH: "硅基流动", Short: "SiliconFlow", Sector: "cloud (AI inference)",
			Aliases: firmAliases("siliconflow", "SiliconFlow", "硅基流动")},
		{ID: "sensetime", Name: "SenseTime Group Limited", NameZH: "商汤科技", Short: "SenseTime",
			Sector: "models / cloud, computer vision", HQ: "Shanghai / Hong Kong",
			Aliases: firmAliases("sensetime", "SenseTime", "商汤科技", "商汤", "سينس تايم"),
			Designations: []store.Designation{
				el("sensetime", "2019-10-09", "84 FR 54002"),
				des("sensetime", "ns-cmic", "2021-12-10"),
				des("sensetime", "1260h", "2025-01-06"),
			}},
		{ID: "minimax", Name: "MiniMax (Shanghai Xiyu Technology Co., Ltd.)", NameZH: "上海稀宇科技有限公司", Short: "MiniMax",
			Sector: "models", HQ: "Shanghai", Aliases: firmAliases("minimax", "MiniMax", "稀宇科技", "ميني ماكس")},
		{ID: "alibaba", Name: "Alibaba Group Holding Limited", NameZH: "阿里巴巴", Short: "Alibaba", Sector: "models / cloud / devices",
			HQ: "Hangzhou", Aliases: firmAliases("alibaba", "Alibaba", "阿里巴巴", "Qwen", "علي بابا"),
			Designations: []store.Designation{{Firm: "alibaba", List: "1260h", Added: "2026-02-13",
				Status: store.StatusContested, Provenance: store.SourceReference,
				Note: "Included in the 1260H update posted and withdrawn on 13 Feb 2026; Alibaba disputes it."}}},
		{ID: "megvii", Name: "Megvii Technology Limited", NameZH: "旷视科技", Short: "Megvii", Sector: "computer vision", HQ: "Beijing",
			Aliases: firmAliases("megvii", "Megvii", "旷视科技", "Face++"),
			Designations: []store.Designation{
				el("megvii", "2019-10-09", "84 FR 54002"),
				func() store.Designation {
					d := des("megvii", "1260h", "2024-01-31")
					d.Removed = "2025-01-06"
					d.Note = "Added 31 Jan 2024; removed in the January 2025 update."
					return d
				}(),
			}},
		{ID: "inspur", Name: "Inspur Group Co., Ltd.", NameZH: "浪潮集团", Short: "Inspur", Sector: "cloud / servers", HQ: "Jinan",
			Aliases: firmAliases("inspur", "Inspur", "浪潮"),
			Designations: []store.Designation{func() store.Designation {
				d := el("inspur", "2023-03", "")
				d.Affiliate = true
				d.Note = "Test fixture: an affiliate-only listing, drawn EL*."
				return d
			}()}},
		{ID: "tencent", Name: "Tencent Holdings Limited", NameZH: "腾讯", Short: "Tencent", Sector: "models / cloud", HQ: "Shenzhen",
			Aliases:      firmAliases("tencent", "Tencent", "腾讯", "Hunyuan"),
			Designations: []store.Designation{des("tencent", "1260h", "2025-01-06")}},
	}
	var id int64
	for i := range fs {
		if len(fs[i].Designations) == 0 {
			fs[i].NoneFoundAsOf = AsOf
		}
		for j := range fs[i].Designations {
			id++
			fs[i].Designations[j].ID = id
		}
	}
	return fs
}

func feeds() []store.Feed {
	ok := func(id int64, title, url, lang string) store.Feed {
		return store.Feed{ID: id, Title: title, URL: url, Lang: lang, Kind: "feed", Enabled: true,
			Source: store.SourceReference, LastCheck: Now.Add(-25 * time.Minute), LastSuccess: Now.Add(-25 * time.Minute), LastStatus: 200}
	}
	fs := []store.Feed{
		ok(1, "Reuters Technology", "https://www.reuters.com/technology/rss", "en"),
		ok(2, "WION Business", "https://www.wionews.com/feeds/business-economy/rss.xml", "en"),
		ok(3, "新浪科技", "https://tech.sina.com.cn/rss/roll.xml", "zh"),
		ok(4, "36氪", "https://36kr.com/feed", "zh"),
		ok(5, "الجزيرة نت — تكنولوجيا", "https://www.aljazeera.net/aljazeerarss/technology.xml", "ar"),
		ok(6, "Tom's Hardware", "https://www.tomshardware.com/feeds/all", "en"),
		ok(7, "Federal Register: Entity List", "https://www.federalregister.gov/api/v1/documents.rss?conditions%5Bterm%5D=entity+list", "en"),
		ok(8, "إرم نيوز", "https://www.eremnews.com/feed", "ar"),
	}
	fs[4].LastError, fs[4].LastStatus, fs[4].Failures = "HTTP 503 Service Unavailable", 503, 3
	fs[4].LastSuccess = Now.Add(-72 * time.Hour)
	fs[7].LastError, fs[7].LastStatus, fs[7].Failures = "tls: failed to verify certificate: x509: certificate has expired", 0, 12
	fs[7].LastSuccess = time.Time{}
	fs[5].Enabled = false
	return fs
}

// story is the text of one fake item; dates are days before Now.
type story struct {
	feed      int64
	lang      string
	daysAgo   float64
	title     string
	summary   string
	sanctions bool
	url       string
}

var stories = []story{
	{2, "en", 0.1, "Chinese AI firms join forces to build homegrown ecosystem as US curbs bite",
		"StepFun, Huawei, Biren, Moore Threads and Enflame formed the Model-Chip Ecosystem Innovation Alliance at WAIC in Shanghai, while SenseTime, MiniMax and MetaX joined the Shanghai General Chamber of Commerce AI Committee. Several members, including Huawei and Biren, are on the US Entity List.", true,
		"https://www.wionews.com/business-economy/chinese-ai-firms-join-forces-to-build-homegrown-ecosystem-as-us-curbs-bite-1753687171896"},
	{3, "zh", 0.2, "华为、壁仞科技和摩尔线程加入模芯生态创新联盟",
		"在世界人工智能大会期间，阶跃星辰联合华为、壁仞科技、摩尔线程、燧原科技、沐曦、天数智芯等近10家芯片企业成立模芯生态创新联盟，推动国产大模型与国产芯片适配。", false,
		"https://tech.sina.com.cn/it/2025-07-26/doc-model-chip.shtml"},
	{5, "ar", 0.3, "ويضم هذا التحالف شركات رائدة مثل هواوي، وبيرين، ومور ثريدز",
		"أعلنت شركات صينية للذكاء الاصطناعي عن تحالفين جديدين خلال المؤتمر العالمي للذكاء الاصطناعي في شنغهاي. ويضم هذا التحالف شركات رائدة مثل هواوي، وبيرين، ومور ثريدز، إلى جانب ستيب فان.", true,
		"https://www.aljazeera.net/tech/2025/7/28/china-ai-alliances"},
	{1, "en", 0.5, "Analysis: How China's model-chip alliances aim to knit domestic GPUs from Huawei, Biren, Moore Threads, Enflame, MetaX and Iluvatar CoreX into a single software stack that can rival CUDA — and why it will take years",
		"The alliances promise common interfaces between domestic accelerators and large models. Engineers at StepFun say Step-3 already runs on chips from Huawei, Enflame and MetaX; porting to Biren and Moore Threads parts is under way.", false,
		"https://www.reuters.com/technology/china-model-chip-alliances-analysis"},
	{7, "en", 1, "Commerce Department weighs adding more Chinese GPU makers to the Entity List",
		"Officials are reviewing MetaX and Iluvatar CoreX after reports that their accelerators are sold to military end users. Biren and Moore Threads were added in October 2023.", true,
		"https://www.federalregister.gov/documents/2026/06/16/entity-list-review"},
	{6, "en", 1.5, "Huawei's CloudMatrix 384 draws crowds at WAIC as Nvidia's H20 sales stall",
		"Huawei showed its CloudMatrix 384 system built on 384 Ascend chips; visitors compared it with Nvidia's GB200 NVL72.", false,
		"https://www.tomshardware.com/tech-industry/huawei-cloudmatrix-384-waic"},
	{4, "zh", 2, "沐曦集成电路科创板IPO获受理，拟募资39亿元",
		"沐曦此次募资将用于新一代GPU研发。公司是模芯生态创新联盟成员。", false, "https://36kr.com/p/metax-ipo"},
	{8, "ar", 2.5, "واشنطن تضيف سينس تايم إلى قائمة الشركات العسكرية الصينية",
		"أضافت وزارة الدفاع الأمريكية سينس تايم وتينسنت إلى قائمة 1260H للشركات العسكرية الصينية.", true,
		"https://www.eremnews.com/sciences-technology/sensetime-1260h"},
	{1, "en", 3, "Pentagon adds SenseTime and Tencent to 1260H list of Chinese military companies",
		"The update names 134 companies; Tencent called its inclusion a mistake. Megvii was removed.", true,
		"https://www.reuters.com/world/us/pentagon-1260h-update"},
	{3, "zh", 3.5, "寒武纪上半年营收大幅增长，国产AI芯片需求旺盛",
		"寒武纪表示，受益于大模型训练和推理需求，思元系列芯片出货量显著增加。", false, "https://tech.sina.com.cn/cambricon-h1"},
	{1, "en", 4, "MiniMax open-sources M1 reasoning model with one-million-token context",
		"MiniMax, a member of the Shanghai General Chamber of Commerce AI Committee, released the model under an open licence.", false,
		"https://www.reuters.com/technology/minimax-m1"},
	{4, "zh", 5, "硅基流动与无问芯穹合作，推动国产算力推理服务",
		"两家公司都是模芯生态创新联盟成员，将在国产加速卡上提供统一推理接口。", false, "https://36kr.com/p/siliconflow-infinigence"},
	{2, "en", 6, "Alibaba disputes report it was placed on Pentagon's 1260H list",
		"The February update naming Alibaba was posted and then withdrawn; the company says it is not a Chinese military company.", true,
		"https://www.wionews.com/business-economy/alibaba-1260h-dispute"},
	{6, "en", 7, "Iluvatar CoreX unveils new general-purpose GPU at WAIC",
		"Iluvatar CoreX, a member of both alliances, said its Tiangai chips support the alliance's common software layer.", false,
		"https://www.tomshardware.com/iluvatar-corex-gpu"},
	{3, "zh", 8, "商汤科技发布新一代日日新大模型",
		"商汤表示将与上海市总商会人工智能专委会成员加强合作。", false, "https://tech.sina.com.cn/sensetime-sensenova"},
	{1, "en", 9, "Enflame raises new funding round led by Tencent",
		"Enflame, an AI accelerator maker based in Shanghai, said the money will fund its next training chip.", false,
		"https://www.reuters.com/technology/enflame-funding"},
	{5, "ar", 10, "هواوي تكشف عن نظام CloudMatrix 384 في المؤتمر العالمي للذكاء الاصطناعي",
		"عرضت هواوي نظامها الجديد المكون من 384 شريحة Ascend.", false, "https://www.aljazeera.net/tech/huawei-cloudmatrix"},
	{4, "zh", 12, "摩尔线程登陆科创板，首日股价大涨",
		"摩尔线程于2023年10月被列入美国实体清单。", true, "https://36kr.com/p/moore-threads-ipo"},
	{1, "en", 14, "Megvii says removal from 1260H list vindicates its civilian focus",
		"Megvii remains on the Entity List.", true, "https://www.reuters.com/technology/megvii-1260h-removal"},
	{2, "en", 20, "Inspur affiliates face new export restrictions",
		"The rule names Inspur subsidiaries rather than the group itself.", true, "https://www.wionews.com/inspur-affiliates"},
}

func designationEvents(fs []store.Firm) []store.DesignationEvent {
	var evs []store.DesignationEvent
	var id int64
	at := func(date string) time.Time {
		for _, layout := range []string{"2006-01-02", "2006-01"} {
			if t, err := time.Parse(layout, date); err == nil {
				return t
			}
		}
		return time.Time{}
	}
	for _, f := range fs {
		for _, d := range f.Designations {
			id++
			action := "added"
			if d.Status == store.StatusContested {
				action = "contested"
			}
			evs = append(evs, store.DesignationEvent{ID: id, At: at(d.Added), Firm: f.ID, List: d.List,
				Action: action, Detail: d.Citation, Provenance: d.Provenance})
			if d.Removed != "" {
				id++
				evs = append(evs, store.DesignationEvent{ID: id, At: at(d.Removed), Firm: f.ID, List: d.List,
					Action: "removed", Detail: d.Note, Provenance: d.Provenance})
			}
		}
	}
	return evs
}
