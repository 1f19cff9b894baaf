package reference

import "github.com/aiwatch/aiwatch/store"

// aliasEntry is one curated spelling. from is empty when the text appears
// as written in shared/reference; otherwise it says how the spelling was
// derived from a name that does (a short form of a legal name, a brand
// qualified by its product line). The package test holds both to that.
type aliasEntry struct {
	text string
	lang string
	cs   bool
	from string
}

func en(text string) aliasEntry   { return aliasEntry{text: text, lang: "en"} }
func enCS(text string) aliasEntry { return aliasEntry{text: text, lang: "en", cs: true} }
func zh(text string) aliasEntry   { return aliasEntry{text: text, lang: "zh"} }
func ar(text string) aliasEntry   { return aliasEntry{text: text, lang: "ar"} }

// derived marks an entry whose text is not verbatim in the reference.
func (e aliasEntry) derived(from string) aliasEntry { e.from = from; return e }

// Curation rules, in short: every alias is a name the reference uses or a
// direct orthographic form of one. Traditional Chinese forms are not
// listed: the matcher derives them from the simplified text with OpenCC
// and FoldAlias folds them to the same key. Names that are ordinary words
// or other people's names are left out or kept only in a qualified or
// case-sensitive form, because a wrong tag costs more than a missed one:
//
//   - left out: Ascend, Apollo, Spark (星火), Journey (征程), CANN, GLM,
//     MUSA, ABAB, Talkie, Wan, H20, H200, Kimi, Ernie, 文心, Pangu (盘古),
//     Step-1V/Step-2/Step-3 (how-to steps), Yuewen (also China
//     Literature), Dawning, Shuguang, MLU, HMC, 海思 (inside 上海思…),
//     浪潮 and 曙光 (common words), 海光 (inside 上海光源), 讯飞 (inside
//     资讯飞速), 依图 (依图所示), 算能 (计算能力), 豆包 (a bun), 夸克
//     (physics), 混元 (Taoist term), 平头哥 (honey-badger meme), 云从.
//   - WeChat (微信) is left out on purpose: "follow our WeChat account"
//     closes countless Chinese pages and says nothing about Tencent.
//   - Kunlunxin (昆仑芯) is its own firm; it is not a Baidu alias, and
//     "Baidu Kunlun", its former name, tags kunlunxin alone.
//   - Arabic spellings that fold together are listed once: هواوى folds
//     to هواوي.
var firmAliases = []struct {
	id      string
	aliases []aliasEntry
}{
	{"huawei", []aliasEntry{
		en("Huawei"), zh("华为").derived("name_zh 华为技术有限公司, short form"),
		ar("هواوي"),
		en("HiSilicon"), en("MindSpore"), en("CloudMatrix 384"),
		enCS("Ascend 910C"), enCS("Ascend 910").derived("Ascend 910C, qualified form of Ascend named in the product brief"),
		zh("昇腾"),
	}},
	{"biren", []aliasEntry{
		en("Biren"), en("Biren Technology"), zh("壁仞").derived("name_zh 壁仞科技, short form"),
		ar("بيرين"), ar("بيرن"), enCS("BR100"),
	}},
	{"moore-threads", []aliasEntry{
		en("Moore Threads"), zh("摩尔线程"),
		ar("مور ثريدز"), ar("مور ثريدس"), ar("موور ثريدز"),
		enCS("KUAE"), en("MTT S5000"),
	}},
	{"enflame", []aliasEntry{
		enCS("Enflame"), en("Suiyuan Technology"), zh("燧原科技"),
		zh("燧原").derived("name_zh 燧原科技, short form"), ar("إنفليم"),
	}},
	{"metax", []aliasEntry{
		en("MetaX"), zh("沐曦"), ar("ميتاكس"),
	}},
	{"iluvatar-corex", []aliasEntry{
		en("Iluvatar CoreX"), zh("天数智芯"),
		ar("إيلوفاتار كور إكس"), ar("إيلوفاتر كور إكس"), en("Tiangai 100"),
	}},
	{"stepfun", []aliasEntry{
		en("StepFun"), zh("阶跃星辰"), ar("ستيب فن"), ar("ستيب فان"),
	}},
	{"minimax", []aliasEntry{
		enCS("MiniMax"), enCS("MiniMax-M1"), zh("稀宇科技"), ar("ميني ماكس"), enCS("Hailuo"),
	}},
	{"sensetime", []aliasEntry{
		en("SenseTime"), zh("商汤"), ar("سينس تايم"), ar("سنس تايم"),
	}},
	{"cambricon", []aliasEntry{
		en("Cambricon"), zh("寒武纪"),
	}},
	{"hygon", []aliasEntry{
		en("Hygon"), en("Higon"), enCS("THATIC"),
		en("Chengdu Haiguang Integrated Circuit"), en("Chengdu Haiguang Microelectronics Technology"),
		zh("海光信息").derived("name_zh 海光信息技术股份有限公司, short form"),
	}},
	{"sugon", []aliasEntry{
		en("Sugon"), en("Zhongke Shuguang"),
		en("Dawning Information Industry").derived("name_en Dawning Information Industry Co., Ltd., short form"),
		zh("中科曙光"), zh("曙光信息").derived("name_zh 曙光信息产业股份有限公司, short form"),
	}},
	{"smic", []aliasEntry{
		enCS("SMIC"), zh("中芯国际"),
		en("Semiconductor Manufacturing International").derived("name_en Semiconductor Manufacturing International Corporation, short form"),
	}},
	{"inspur", []aliasEntry{
		en("Inspur"), zh("浪潮集团"), zh("浪潮信息"),
	}},
	{"iflytek", []aliasEntry{
		en("iFlytek"), zh("科大讯飞"),
		en("iFlytek Spark").derived("Spark (星火), qualified by the firm's name"),
		zh("讯飞星火").derived("星火, qualified by 讯飞, short form of name_zh 科大讯飞"),
	}},
	{"megvii", []aliasEntry{
		en("Megvii"), en("Face++"), zh("旷视").derived("name_zh 旷视科技, short form"),
	}},
	{"zhipu", []aliasEntry{
		en("Zhipu"), zh("智谱"), en("ChatGLM"), en("GLM-4.5"),
	}},
	{"deepseek", []aliasEntry{
		en("DeepSeek"), en("DeepSeek-V3"), en("DeepSeek-R1"), zh("深度求索"), ar("ديب سيك"),
	}},
	{"moonshot", []aliasEntry{
		enCS("Moonshot AI"), zh("月之暗面"), en("Kimi K2"), en("Kimi K2.5"),
	}},
	{"baidu", []aliasEntry{
		en("Baidu"), zh("百度"), ar("بايدو"), en("Ernie Bot"), zh("文心一言"),
		en("Baidu Apollo").derived("Apollo, qualified by the firm's name"),
	}},
	{"tencent", []aliasEntry{
		en("Tencent"), zh("腾讯"), ar("تينسنت"), en("Tencent Cloud"),
		enCS("Hunyuan"), enCS("Hunyuan3D"),
	}},
	{"bytedance", []aliasEntry{
		en("ByteDance"), zh("字节跳动"), en("Doubao"), en("Volcano Engine"), zh("火山引擎"),
		en("Douyin"), en("TikTok"),
	}},
	{"alibaba", []aliasEntry{
		en("Alibaba"), zh("阿里巴巴"), ar("علي بابا"), en("Alibaba Cloud"), zh("阿里云"),
		en("Qwen"), en("Qwen3"), zh("通义千问"), enCS("Wan 2.2"), zh("通义万相"),
		enCS("Quark AI").derived("Quark (夸克) AI glasses, qualified form"), enCS("T-Head"),
	}},
	{"ant-group", []aliasEntry{
		enCS("Ant Group"), zh("蚂蚁集团"), en("Alipay"), zh("支付宝"),
	}},
	{"cloudwalk", []aliasEntry{
		en("CloudWalk"), zh("云从科技"), en("Yun Cong Technology"),
		en("Guangzhou Yunshang Information Technology"),
	}},
	{"yitu", []aliasEntry{
		en("Yitu").derived("name_en Yitu Technology, short form"), zh("依图科技"),
	}},
	{"sophgo", []aliasEntry{
		en("Sophgo"), enCS("SOPHON"), zh("算能科技"),
	}},
	{"kunlunxin", []aliasEntry{
		en("Kunlunxin"), zh("昆仑芯"), en("Kunlun chip"), en("Baidu Kunlun"),
	}},
	{"horizon-robotics", []aliasEntry{
		en("Horizon Robotics"),
		zh("地平线机器人").derived("name_zh 地平线 (alone it means 'horizon') qualified by 机器人, the Robotics of name_en"),
		en("Horizon Journey").derived("Journey (征程), qualified by the firm's name"),
		zh("地平线征程").derived("征程 (Journey), qualified by name_zh 地平线"),
	}},
	{"unisoc", []aliasEntry{
		en("Unisoc"), zh("紫光展锐"), en("Spreadtrum"), zh("展讯"),
	}},
	{"ymtc", []aliasEntry{
		enCS("YMTC"), zh("长江存储"), en("Xtacking"),
		en("Yangtze Memory").derived("name_en Yangtze Memory Technologies Co., Ltd., short form"),
	}},
	{"cxmt", []aliasEntry{
		enCS("CXMT"), zh("长鑫存储"),
		en("ChangXin Memory").derived("name_en ChangXin Memory Technologies, short form"),
	}},
	{"nvidia", []aliasEntry{
		en("Nvidia"), zh("英伟达"), ar("إنفيديا"), enCS("CUDA"), en("GB200 NVL72"),
		{text: "輝達", lang: "zh-Hant", from: "Taiwan's name for Nvidia, required by the product issue"},
	}},
	{"infinigence-ai", []aliasEntry{
		en("Infinigence").derived("name_en Infinigence AI, short form"), zh("无问芯穹"),
	}},
	{"siliconflow", []aliasEntry{
		en("SiliconFlow"), zh("硅基流动"),
	}},
}

// allianceAliases are keyed by aiwatch's fixed alliance IDs.
var allianceAliases = []struct {
	id      string
	aliases []aliasEntry
}{
	{"model-chip", []aliasEntry{
		en("Model-Chip Ecosystem Innovation Alliance"),
		en("Model Chip Ecosystem Innovation Alliance").derived("name_en, written without the hyphen"),
		zh("模芯生态创新联盟"),
		// From the product brief (the Arabic article the reference was
		// seeded from), not from shared/reference itself.
		ar("تحالف ابتكار منظومة نماذج الرقائق").derived("the product brief's Arabic article"),
	}},
	{"shanghai-gcc-ai", []aliasEntry{
		en("Shanghai General Chamber of Commerce AI Committee"),
		// Reports name the committee after the chamber; no other Chinese
		// name was found.
		en("Shanghai General Chamber of Commerce"),
		zh("上海市总商会"),
	}},
}

// Aliases returns the curated aliases of every firm and alliance in the
// reference dataset, with Source set to store.SourceReference. Traditional
// Chinese forms are not listed separately (the matcher derives them);
// 輝達, Taiwan's own name for Nvidia, is.
func Aliases() []store.Alias {
	var out []store.Alias
	add := func(kind store.EntityKind, id string, entries []aliasEntry) {
		for _, e := range entries {
			out = append(out, store.Alias{
				Entity: id, Kind: kind, Text: e.text, Lang: e.lang,
				CaseSensitive: e.cs, Source: store.SourceReference,
			})
		}
	}
	for _, f := range firmAliases {
		add(store.KindFirm, f.id, f.aliases)
	}
	for _, a := range allianceAliases {
		add(store.KindAlliance, a.id, a.aliases)
	}
	return out
}
