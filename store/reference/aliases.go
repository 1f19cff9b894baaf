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

// seen marks a spelling that is not in the reference but was found in
// print, at the page url: the transliterations Arabic outlets use, short
// and informal forms. A spelling is a fact too, and this is its source.
func (e aliasEntry) seen(url string) aliasEntry { e.from = "seen at " + url; return e }

// ambiguous marks a name that is also an ordinary word (地平线 "horizon",
// 蚂蚁 "ants", علي بابا of the folk tale). feeds/match counts it only with
// context: a qualifier, a stock code, a clue word or another firm in the
// sentence (see feeds/match/context.go, which lists every such name).
func (e aliasEntry) ambiguous() aliasEntry { return e }

// Curation rules, in short: every alias is a name the reference uses, a
// direct orthographic form of one, or a spelling seen in print (seen(url)
// records the page). Traditional Chinese forms are not listed: the
// matcher derives them from the simplified text with OpenCC and FoldAlias
// folds them to the same key; it also generates the Taiwan-usage forms of
// machine conversion and the Arabic letter-by-letter spellings of
// acronyms. Names that are ordinary words or other people's names are
// left out, kept only in a qualified or case-sensitive form, or marked
// ambiguous(): feeds/match counts those only with context (a qualifier,
// a stock code, a clue or another firm in the sentence; see
// feeds/match/context.go). A wrong tag costs more than a missed one:
//
//   - 海思 is kept: feeds/match blocks it inside 上海思 (上海思源…).
//   - ambiguous, counted with context: 地平线, 寒武纪, 商汤, 月之暗面, 蚂蚁,
//     浪潮, 曙光, 海光, 字节, 阿里, 思元, 旷世, 算能, علي بابا, زيبو, تشيبو,
//     Minimax, MINIMAX. (算能 is blocked inside 计算能力 and 就算能.)
//   - left out: Ascend, Apollo, Spark (星火), Journey (征程), CANN, GLM,
//     MUSA, ABAB, Talkie, Wan, H20, H200, Kimi, Ernie, 文心, Pangu (盘古),
//     Step-1V/Step-2/Step-3 (how-to steps), Yuewen (also China
//     Literature), Dawning, Shuguang, MLU, HMC,
//     讯飞 (inside 资讯飞速), 依图 (依图所示), 豆包 (a bun),
//     夸克 (physics), 混元 (Taoist term), 平头哥 (honey-badger meme), 云从,
//     كوين for Qwen (also "coin": بيتكوين).
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
		ar("هاي سيليكون").seen("https://emasr.net/%d9%87%d9%88%d8%a7%d9%88%d9%8a-%d8%aa%d8%b3%d8%aa%d8%b9%d8%af-%d9%84%d9%85%d9%88%d8%a7%d8%ac%d9%87%d8%a9-%d8%a7%d9%84%d9%82%d9%8a%d9%88%d8%af-%d8%a7%d9%84%d8%a3%d9%85%d8%b1%d9%8a%d9%83%d9%8a%d8%a9"),
		en("Huawei"), zh("华为").derived("name_zh 华为技术有限公司, short form"),
		ar("هواوي"),
		en("HiSilicon"), zh("海思"), en("MindSpore"), en("CloudMatrix 384"),
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
		ar("ميتا إكس").seen("https://www.alborsaanews.com/2025/12/17/1936586"),
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
		enCS("Minimax").seen("https://hao.cnyes.com/hot/newest/Minimax").ambiguous(),
		enCS("MINIMAX").seen("https://hao.cnyes.com/hot/newest/Minimax").ambiguous(),
		enCS("MiniMax"), enCS("MiniMax-M1"), zh("稀宇科技"), ar("ميني ماكس"), enCS("Hailuo"),
		ar("مينيماكس").seen("https://www.binance.bh/sl/square/post/34951100871337"),
	}},
	{"sensetime", []aliasEntry{
		ar("سنس تايم جروب").seen("http://altnmiapress.net/news/56438/"),
		en("SenseTime"), zh("商汤").ambiguous(), ar("سينس تايم"), ar("سنس تايم"),
	}},
	{"cambricon", []aliasEntry{
		ar("كامبريكون").seen("https://www.vietnam.vn/ar/start-up-nay-khien-huawei-phai-de-chung"),
		ar("كامبريكون تكنولوجيز").seen("https://acforai.com/?p=8493"),
		en("Cambricon"), zh("寒武纪").ambiguous(),
		zh("思元").ambiguous(),
	}},
	{"hygon", []aliasEntry{
		zh("海光").seen("https://www.doit.com.cn/p/535915.html").ambiguous(),
		en("Hygon"), en("Higon"), enCS("THATIC"),
		en("Chengdu Haiguang Integrated Circuit"), en("Chengdu Haiguang Microelectronics Technology"),
		zh("海光信息").derived("name_zh 海光信息技术股份有限公司, short form"),
	}},
	{"sugon", []aliasEntry{
		zh("曙光").seen("https://www.doit.com.cn/p/535915.html").ambiguous(),
		en("Sugon"), en("Zhongke Shuguang"),
		en("Dawning Information Industry").derived("name_en Dawning Information Industry Co., Ltd., short form"),
		zh("中科曙光"), zh("曙光信息").derived("name_zh 曙光信息产业股份有限公司, short form"),
	}},
	{"smic", []aliasEntry{
		ar("سيميكوندكتور مانيفاكتشورينغ إنترناشونال").seen("https://acforai.com/?p=8493"),
		ar("الشركة الدولية لتصنيع أشباه الموصلات").seen("https://alyaum.com/articles/6346745/وول-ستريت/شركة-أشباه-الموصلات-الصينية-تعتزم-بناء-خط-إنتاج-بقيمة-887-مليار-دولار-في-شنغهاي"),
		ar("الشركة الدولية لصناعة أشباه الموصلات").seen("https://marefa.org/SMIC"),
		// Not سميك, also printed for SMIC: it is the adjective "thick".
		ar("الشركة الدولية لأشباه الموصلات").seen("https://www.alaraby.co.uk/economy/%22%D8%A7%D9%84%D9%82%D8%A7%D8%A6%D9%85%D8%A9-%D8%A7%D9%84%D8%B3%D9%88%D8%AF%D8%A7%D8%A1%22-%D9%81%D8%AE-%D8%A3%D9%85%D9%8A%D8%B1%D9%83%D9%8A-%D9%8A%D8%B5%D8%B7%D8%A7%D8%AF-%D8%A7%D9%84%D8%B4%D8%B1%D9%83%D8%A7%D8%AA-%D8%A7%D9%84%D8%B5%D9%8A%D9%86%D9%8A%D8%A9-%D9%88%D9%87%D8%B0%D9%87-%D8%B6%D8%AD%D8%A7%D9%8A%D8%A7%D9%87"),
		enCS("SMIC"), zh("中芯国际"),
		zh("中芯").seen("https://www.bastillepost.com/hongkong/article/14657828-%e8%8a%af%e7%89%87%e8%82%a1%e5%8d%88%e5%be%8c%e7%aa%81%e3%80%8c%e6%8f%92%e6%b0%b4%e3%80%8d-%e4%b8%ad%e8%8a%af%e3%80%81%e8%8f%af%e8%99%b9%e5%9d%87%e5%80%92%e8%b7%8c"),
		en("Semiconductor Manufacturing International").derived("name_en Semiconductor Manufacturing International Corporation, short form"),
	}},
	{"inspur", []aliasEntry{
		zh("浪潮").seen("https://www.scientific-computing.com/analysis-opinion/chinas-long-march-continues?news_id=2754").ambiguous(),
		ar("إنسبور").seen("https://akhbaar24.com/دوليات/قيود-تجارية-أمريكية-تطال-80-كيانا-84316"),
		en("Inspur"), zh("浪潮集团"), zh("浪潮信息"),
	}},
	{"iflytek", []aliasEntry{
		ar("آي فليتك").seen("https://ngsolutionteam.com/ar/%d9%87%d9%84-%d8%aa%d8%aa%d9%88%d8%b3%d8%b9-%d8%b4%d8%b1%d9%83%d8%a9-iflytek-%d9%81%d9%8a-%d8%aa%d8%b5%d9%85%d9%8a%d9%85-%d8%a3%d8%b4%d8%a8%d8%a7%d9%87-%d8%a7%d9%84%d9%85%d9%88%d8%b5%d9%84%d8%a7%d8%aa"),
		ar("آي فلاي تيك").seen("https://www.masress.com/shorouk/2055935"),
		en("iFlytek"), zh("科大讯飞"),
		en("iFlytek Spark").derived("Spark (星火), qualified by the firm's name"),
		zh("讯飞星火").derived("星火, qualified by 讯飞, short form of name_zh 科大讯飞"),
	}},
	{"megvii", []aliasEntry{
		ar("ميجفي").seen("http://altnmiapress.net/news/56438/"),
		en("Megvii"), en("Face++"), zh("旷视").derived("name_zh 旷视科技, short form"),
		zh("旷世").seen("http://www.easyfang.com/a/2021/1231/tt0RG422R2019_2.html").ambiguous(),
	}},
	{"zhipu", []aliasEntry{
		en("Zhipu"), zh("智谱"), en("ChatGLM"), en("GLM-4.5"),
		ar("زيبو AI").seen("https://techalarab.com/%d8%b1%d9%88%d8%a7%d8%af-%d8%a7%d9%84%d8%b0%d9%83%d8%a7%d8%a1-%d8%a7%d9%84%d8%a7%d8%b5%d8%b7%d9%86%d8%a7%d8%b9%d9%8a-%d8%a7%d9%84%d8%b5%d9%8a%d9%86%d9%8a%d9%88%d9%86-%d9%8a%d9%84%d9%81%d8%aa%d9%88"),
		ar("تشيبو إيه آي").seen("https://twaslnews.com/annahar/1260669"),
		// Bare زيبو (Zibo, a Chinese city) and تشيبو (Tchibo, a coffee
		// chain) are ordinary names too: feeds/match counts them only with
		// context.
		ar("زيبو").seen("https://techalarab.com/%d8%b1%d9%88%d8%a7%d8%af-%d8%a7%d9%84%d8%b0%d9%83%d8%a7%d8%a1-%d8%a7%d9%84%d8%a7%d8%b5%d8%b7%d9%86%d8%a7%d8%b9%d9%8a-%d8%a7%d9%84%d8%b5%d9%8a%d9%86%d9%8a%d9%88%d9%86-%d9%8a%d9%84%d9%81%d8%aa%d9%88").ambiguous(),
		ar("تشيبو").seen("https://asharqbusiness.com/economics/67004/%D8%A3%D9%85%D9%8A%D8%B1%D9%83%D8%A7-%D8%AA%D8%AF%D8%B1%D8%AC-%D8%B4%D8%B1%D9%83%D8%A9-%D8%B0%D9%83%D8%A7%D8%A1-%D8%A7%D8%B5%D8%B7%D9%86%D8%A7%D8%B9%D9%8A-%D9%85%D8%AF%D8%B9%D9%88%D9%85%D8%A9-%D9%85%D9%86-%D8%AA%D9%8A%D9%86%D8%B3%D9%86%D8%AA-%D8%A8%D9%82%D8%A7%D8%A6%D9%85%D8%A9-%D8%B3%D9%88%D8%AF%D8%A7%D8%A1").ambiguous(),
		ar("زيهبو").seen("https://www.binance.bh/sl/square/post/34951100871337"),
	}},
	{"deepseek", []aliasEntry{
		en("DeepSeek"), en("DeepSeek-V3"), en("DeepSeek-R1"), zh("深度求索"), ar("ديب سيك"),
		ar("ديبسيك").seen("https://wizznews24.com/article/7994"),
		ar("ديپسيك").seen("https://muhtawa.org/DeepSeek"),
	}},
	{"moonshot", []aliasEntry{
		ar("مون شوت إيه آي").seen("https://www.hgaza.live/article/%D9%86%D9%85%D8%A7%D8%B0%D8%AC-%D8%A7%D9%84%D8%B0%D9%83%D8%A7%D8%A1-%D8%A7%D9%84%D8%A7%D8%B5%D8%B7%D9%86%D8%A7%D8%B9%D9%8A-%D8%A7%D9%84%D8%B5%D9%8A%D9%86%D9%8A%D8%A9"),
		enCS("Moonshot AI"), zh("月之暗面").ambiguous(), en("Kimi K2"), en("Kimi K2.5"),
		ar("مونشوت إيه آي").seen("https://fintechgate.net/2024/02/27/%d9%85%d8%ac%d9%85%d9%88%d8%b9%d8%a9-%d8%b9%d9%84%d9%8a-%d8%a8%d8%a7%d8%a8%d8%a7-%d8%aa%d9%82%d9%88%d8%af-%d8%ac%d9%88%d9%84%d8%a9-%d8%aa%d9%85%d9%88%d9%8a%d9%84%d9%8a%d8%a9-%d8%a8%d9%82"),
	}},
	{"baidu", []aliasEntry{
		ar("إيرني بوت").seen("https://acforai.com/news/%d8%a7%d9%84%d8%b0%d9%83%d8%a7%d8%a1-%d8%a7%d9%84%d8%a7%d8%b5%d8%b7%d9%86%d8%a7%d8%b9%d9%8a-%d8%a7%d9%84%d8%b5%d9%8a%d9%86%d9%8a-%d9%8a%d9%81%d8%b1%d8%b6-%d8%aa%d8%ad%d8%af%d9%8a%d8%a7%d8%aa-%d8%ac"),
		en("Baidu"), zh("百度"), ar("بايدو"), en("Ernie Bot"), zh("文心一言"),
		en("Baidu Apollo").derived("Apollo, qualified by the firm's name"),
	}},
	{"tencent", []aliasEntry{
		ar("تينسينت").seen("https://ksa-tech.com/?p=26713"),
		ar("تنسنت").seen("https://www.eliktisad.com/news/show/313602/تنسنت-تطلق-تطبيقاً-إلكترونياً-يسمح-بالتصفيق-للرئيس"),
		en("Tencent"), zh("腾讯"), ar("تينسنت"), en("Tencent Cloud"),
		enCS("Hunyuan"), enCS("Hunyuan3D"),
	}},
	{"bytedance", []aliasEntry{
		ar("بايت دانس").seen("https://www.khaberni.com/news/764668-سباق-الانفاق-على-الذكاء-الاصطناعي-مالكة-تيك-توك-تضخ-23-مليار-دولار"),
		ar("بايتدانس").seen("https://www.alaraby.co.uk/entertainment_media/%D8%A7%D9%84%D8%B4%D8%B1%D9%83%D8%A9-%D8%A7%D9%84%D9%85%D8%A8%D8%AA%D9%83%D8%B1%D8%A9-%D9%84%D9%80%D8%AA%D9%8A%D9%83-%D8%AA%D9%88%D9%83-%D8%AA%D8%AF%D8%AE%D9%84-%D8%B3%D8%A8%D8%A7%D9%82-%D8%A7%D9%84%D8%B0%D9%83%D8%A7%D8%A1-%D8%A7%D9%84%D8%A7%D8%B5%D8%B7%D9%86%D8%A7%D8%B9%D9%8A"),
		ar("تيك توك").seen("https://www.alaraby.co.uk/entertainment_media/%D8%A7%D9%84%D8%B4%D8%B1%D9%83%D8%A9-%D8%A7%D9%84%D9%85%D8%A8%D8%AA%D9%83%D8%B1%D8%A9-%D9%84%D9%80%D8%AA%D9%8A%D9%83-%D8%AA%D9%88%D9%83-%D8%AA%D8%AF%D8%AE%D9%84-%D8%B3%D8%A8%D8%A7%D9%82-%D8%A7%D9%84%D8%B0%D9%83%D8%A7%D8%A1-%D8%A7%D9%84%D8%A7%D8%B5%D8%B7%D9%86%D8%A7%D8%B9%D9%8A"),
		zh("抖音").seen("https://user.guancha.cn/main/content?id=1564880"),
		zh("字节").seen("https://hao.cnyes.com/post/230855").ambiguous(),
		en("ByteDance"), zh("字节跳动"), en("Doubao"), en("Volcano Engine"), zh("火山引擎"),
		en("Douyin"), en("TikTok"),
		ar("باي دانس").seen("https://majalla.com/node/316171/%D8%B9%D9%84%D9%88%D9%85-%D9%88%D8%AA%D9%83%D9%86%D9%88%D9%84%D9%88%D8%AC%D9%8A%D8%A7/%D9%84%D9%85%D8%A7%D8%B0%D8%A7-%D9%8A%D8%AB%D9%8A%D8%B1-%D8%AA%D9%8A%D9%83-%D8%AA%D9%88%D9%83-%D8%A7%D9%84%D8%B5%D9%8A%D9%86%D9%8A-%D9%83%D9%84-%D9%87%D8%B0%D8%A7-%D8%A7%D9%84%D9%82%D9%84%D9%82-%D9%81%D9%8A-%D8%A3%D9%85%D9%8A%D8%B1%D9%83%D8%A7%D8%9F"),
		ar("دوباو").seen("https://www.alaraby.co.uk/entertainment_media/%D8%A7%D9%84%D8%B4%D8%B1%D9%83%D8%A9-%D8%A7%D9%84%D9%85%D8%A8%D8%AA%D9%83%D8%B1%D8%A9-%D9%84%D9%80%D8%AA%D9%8A%D9%83-%D8%AA%D9%88%D9%83-%D8%AA%D8%AF%D8%AE%D9%84-%D8%B3%D8%A8%D8%A7%D9%82-%D8%A7%D9%84%D8%B0%D9%83%D8%A7%D8%A1-%D8%A7%D9%84%D8%A7%D8%B5%D8%B7%D9%86%D8%A7%D8%B9%D9%8A"),
		ar("داو يين").seen("https://ksaplayers.com/Ksahome/NewsDetial/?nid=16697588"),
	}},
	{"alibaba", []aliasEntry{
		zh("阿里").seen("https://hao.cnyes.com/post/230855").ambiguous(),
		en("Alibaba"), zh("阿里巴巴"), ar("علي بابا").ambiguous(), en("Alibaba Cloud"), zh("阿里云"),
		en("Qwen"), en("Qwen3"), zh("通义千问"),
		ar("كيو وين").seen("https://www.binance.bh/sl/square/post/34951100871337"), enCS("Wan 2.2"), zh("通义万相"),
		enCS("Quark AI").derived("Quark (夸克) AI glasses, qualified form"), enCS("T-Head"),
	}},
	{"ant-group", []aliasEntry{
		zh("蚂蚁").seen("https://www.itiger.com/hant/news/2576855560").ambiguous(),
		enCS("Ant Group"), zh("蚂蚁集团"), en("Alipay"), zh("支付宝"),
		// أنت غروب folds to the same key; not bare آنت (أنت is "you").
		ar("آنت غروب").seen("https://news.siolla.com/ar/daily-news/%d8%a7%d9%84%d9%85%d9%84%d9%8a%d8%a7%d8%b1%d8%af%d9%8a%d8%b1-%d8%a7%d9%84%d8%b5%d9%8a%d9%86%d9%8a-%d8%ac%d8%a7%d9%83-%d9%85%d8%a7-%d9%8a%d8%aa%d8%ae%d9%84%d9%89-%d8%b9%d9%86-%d8%a7%d9%84%d8%b3%d9%8a"),
		ar("آنت جروب").seen("https://ksaplayers.com/Ksahome/NewsDetial/?nid=23511312"),
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
		zh("算能").seen("http://money.udn.com/money/story/5599/8493339?from=edn_hotestlist_storybottom").ambiguous(),
	}},
	{"kunlunxin", []aliasEntry{
		en("Kunlunxin"), zh("昆仑芯"), en("Kunlun chip"), en("Baidu Kunlun"),
	}},
	{"horizon-robotics", []aliasEntry{
		zh("地平线").seen("https://aikahao.xcar.com.cn/item/2410355.html").ambiguous(),
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
		ar("يانغتسي ميموري").seen("https://argaam.com/ar/switch-view?mobile=true&returnUrl=https%3A%2F%2Fwww.argaam.com%2Far%2Farticle%2Farticledetail%2Fid%2F1609458"),
		en("Yangtze Memory").derived("name_en Yangtze Memory Technologies Co., Ltd., short form"),
	}},
	{"cxmt", []aliasEntry{
		enCS("CXMT"), zh("长鑫存储"),
		en("ChangXin Memory").derived("name_en ChangXin Memory Technologies, short form"),
	}},
	{"nvidia", []aliasEntry{
		ar("نفيديا").seen("https://africa4press.com/art-الصين-تفتح-تحقيقا-حول-الشركة-الأمريكية-نفيديا-africa4press-23523-yep-2.html"),
		ar("إنيفيديا").seen("https://wizznews24.com/article/7994"),
		ar("نيفيديا").seen("https://iraqborsa.com/%d8%b4%d8%b1%d9%83%d8%a7%d8%aa-%d8%b1%d9%82%d8%a7%d9%82%d8%a7%d8%aa-%d8%b5%d9%8a%d9%86%d9%8a%d8%a9"),
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
		ar("تحالف الابتكار في منظومة النماذج والرقائق").seen("https://aljazayr.com/technologie/234038.html"),
		ar("تحالف ابتكار النظام البيئي للنماذج والرقائق").seen("https://blocktecs.com/%D8%AA%D8%AD%D8%A7%D9%84%D9%81-%D8%B4%D8%B1%D9%83%D8%A7%D8%AA-%D8%A7%D9%84%D8%B0%D9%83%D8%A7%D8%A1-%D8%A7%D9%84%D8%A7%D8%B5%D8%B7%D9%86%D8%A7%D8%B9%D9%8A-%D8%A7%D9%84%D8%B5%D9%8A%D9%86%D9%8A%D8%A9"),
		ar("تحالف الابتكار في نظام النموذج-الرقاقة").seen("https://ngsolutionteam.com/?p=3848"),
		// tendenzblick.net is one of the reference's sources for the alliance.
		en("Model-Chip Alliance").seen("https://tendenzblick.net/why-chinas-ai-model-chip-alliance-could-redefine-the-future-of-tech"),
		en("Model-Chips Ecosystem Innovation Alliance").seen("https://frominsideasia.com/chinese-semiconductor-ai-firms-form-pact-as-nvidia-faces-inquiry-on-h20-chip"),
	}},
	{"shanghai-gcc-ai", []aliasEntry{
		en("Shanghai General Chamber of Commerce AI Committee"),
		// Reports name the committee after the chamber; no other Chinese
		// name was found.
		en("Shanghai General Chamber of Commerce"),
		zh("上海市总商会"),
		// Arabic reports, like English ones, name the committee after the
		// chamber (both pages are sources of the reference).
		ar("غرفة تجارة شنغهاي").seen("https://eremnews-fe-app-production.azurewebsites.net/sciences-technology/l4k53a6"),
		ar("غرفة التجارة العامة في شنغهاي").seen("https://ngsolutionteam.com/?p=3848"),
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
