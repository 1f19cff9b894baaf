package match

// term is a fixed phrase the matcher looks for besides the aliases.
type term struct {
	text string
	cs   bool // case-sensitive
}

// sanctionTerms flag text about designations or export controls. Chinese
// terms gain their traditional forms (實體清單, 黑名單…) like aliases do,
// and Arabic ones take proclitics (بالعقوبات).
var sanctionTerms = []term{
	{text: "Entity List", cs: true},
	{text: "sanction"}, {text: "sanctions"}, {text: "sanctioned"}, {text: "sanctioning"},
	{text: "blacklist"}, {text: "blacklists"}, {text: "blacklisted"}, {text: "blacklisting"},
	{text: "export control"}, {text: "export controls"}, {text: "export-control"},
	{text: "export-controlled"},
	// Not bare "SDN": in tech news it is software-defined networking.
	{text: "SDN list"}, {text: "Specially Designated Nationals"},
	{text: "1260H"},
	// The other US lists aiwatch tracks, by the names news uses for them.
	{text: "Non-SDN"}, {text: "NS-CMIC"}, {text: "Chinese Military-Industrial Complex"},
	{text: "Military End User"}, {text: "Military End-User"}, {text: "MEU list"},
	{text: "Covered List", cs: true}, {text: "UFLPA"},
	{text: "实体清单"}, {text: "制裁"}, {text: "出口管制"}, {text: "黑名单"},
	{text: "قائمة الكيانات"}, {text: "العقوبات"}, {text: "عقوبات"},
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
}
