package csl

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store"
)

func alias(text string) store.Alias { return store.Alias{Text: text, Kind: store.KindFirm} }

func caseAlias(text string) store.Alias {
	return store.Alias{Text: text, Kind: store.KindFirm, CaseSensitive: true}
}

// testFirms are tracked firms in the shape of the reference dataset.
func testFirms() []store.Firm {
	return []store.Firm{
		{ID: "biren", Name: "Biren Technology", NameZH: "壁仞科技", Short: "Biren", Aliases: []store.Alias{alias("BR100")}},
		{ID: "huawei", Name: "Huawei Technologies Co., Ltd.", NameZH: "华为技术有限公司", Short: "Huawei",
			Aliases: []store.Alias{alias("华为"), alias("華為"), alias("هواوي"), caseAlias("Ascend")}},
		{ID: "inspur", Name: "Inspur Group", NameZH: "浪潮集团", Short: "Inspur", Aliases: []store.Alias{alias("浪潮")}},
		{ID: "moonshot", Name: "Moonshot AI", NameZH: "月之暗面", Short: "Moonshot",
			Aliases: []store.Alias{caseAlias("Moonshot"), caseAlias("Kimi")}},
		{ID: "moore-threads", Name: "Moore Threads Intelligent Technology", NameZH: "摩尔线程智能科技(北京)股份有限公司",
			Short: "Moore Threads", Aliases: []store.Alias{alias("摩尔线程"), alias("MTT")}},
		{ID: "sensetime", Name: "SenseTime Group Inc.", NameZH: "商汤科技", Short: "SenseTime", Aliases: []store.Alias{alias("商汤")}},
		{ID: "smic", Name: "Semiconductor Manufacturing International Corporation", NameZH: "中芯国际", Short: "SMIC"},
		{ID: "sugon", Name: "Dawning Information Industry Co., Ltd.", NameZH: "曙光信息产业股份有限公司", Short: "Sugon",
			Aliases: []store.Alias{alias("中科曙光"), alias("Dawning")}},
	}
}

// describe writes a match compactly for comparisons.
func describe(m Match) string {
	kind := "near"
	switch {
	case m.Exact:
		kind = "exact"
	case m.Affiliate:
		kind = "affiliate"
	}
	return fmt.Sprintf("%s %s %s: %s", m.Firm, m.Entry.List, kind, m.Entry.Name)
}

func describeAll(ms []Match) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, describe(m))
	}
	return out
}

func TestFoldName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Huawei Technologies Co., Ltd.", "huawei"},
		{"HUAWEI TECHNOLOGIES CO., LTD.", "huawei"},
		{"华为技术有限公司", "华为"},
		{"摩尔线程智能科技(北京)有限责任公司", "摩尔线程"},
		{"摩尔线程智能科技（北京）股份有限公司", "摩尔线程"},
		{"Moore Threads Intelligent Technology (Beijing) Co., Ltd.", "moore threads"},
		{"SenseTime Group Inc.", "sensetime"},
		{"商汤集团股份有限公司", "商汤"},
		{"Inspur Group Co., Ltd.", "inspur"},
		{"Semiconductor Manufacturing International Corporation", "semiconductor manufacturing international"},
		{"Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof", "sinobright import and export"},
		{"ＳＭＩＣ（上海）", "smic"},
		{"Xi'an Aerospace Co.", "xian aerospace"},
		{"BR100芯片", "br100 芯片"},
		{"華為技術有限公司", "华为"},
		{"The Group", "group"},
		{"Technology Co., Ltd.", "technology"},
		{"Example Co a.k.a. Something Else", "example"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := foldName(tt.in, false); got != tt.want {
			t.Errorf("foldName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMatchFirmsFixture(t *testing.T) {
	f := readFixture(t, "consolidated.csv")
	applied, candidates := MatchFirms(f.Entries, testFirms())
	wantApplied := []string{
		"biren entity-list exact: Biren Technology",
		"huawei entity-list exact: Huawei Technologies Co., Ltd.",
		"huawei entity-list affiliate: Beijing Huawei Digital Technologies Co., Ltd.",
		"huawei entity-list affiliate: Huawei Cloud Computing Technologies Co., Ltd.",
		"moore-threads entity-list exact: Moore Threads Intelligent Technology (Beijing) Co., Ltd.",
		"moore-threads entity-list exact: Moore Threads Intelligent Technology (Chengdu) Co., Ltd.",
		"sensetime ns-cmic exact: SENSETIME GROUP INC.",
		"sensetime sdn affiliate: TIANJIN BRIGHTVIEW IMAGING CO., LTD.",
		"smic uvl affiliate: SMIC Advanced Logistics Center",
		"sugon entity-list exact: Sugon",
	}
	wantCandidates := []string{
		"huawei entity-list near: Huawai Technologies Co., Ltd.",
		"inspur sdn near: GLOBAL INSPUR TRADING PARTNERS FZE",
	}
	if got := describeAll(applied); !reflect.DeepEqual(got, wantApplied) {
		t.Errorf("applied:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantApplied, "\n"))
	}
	if got := describeAll(candidates); !reflect.DeepEqual(got, wantCandidates) {
		t.Errorf("candidates:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantCandidates, "\n"))
	}
	reasons := map[string]string{}
	for _, m := range append(applied, candidates...) {
		reasons[m.Entry.Name] = m.Reason
	}
	for name, want := range map[string]string{
		"Huawei Technologies Co., Ltd.":                 `name "Huawei Technologies Co., Ltd." matches name "Huawei Technologies Co., Ltd."`,
		"Huawei Cloud Computing Technologies Co., Ltd.": `name "Huawei Cloud Computing Technologies Co., Ltd." starts with name "Huawei Technologies Co., Ltd."`,
		"Beijing Huawei Digital Technologies Co., Ltd.": `is name "Huawei Technologies Co., Ltd." after a place name`,
		"TIANJIN BRIGHTVIEW IMAGING CO., LTD.":          `remarks say "Linked To: SENSETIME GROUP INC."`,
		"Huawai Technologies Co., Ltd.":                 `name "Huawai Technologies Co., Ltd." is 1 edit(s) from name "Huawei Technologies Co., Ltd."`,
		"GLOBAL INSPUR TRADING PARTNERS FZE":            `name "GLOBAL INSPUR TRADING PARTNERS FZE" contains name "Inspur Group"`,
	} {
		if !strings.Contains(reasons[name], want) {
			t.Errorf("reason for %q = %q, want it to contain %q", name, reasons[name], want)
		}
	}
}

func TestMatchRules(t *testing.T) {
	entity := func(name string, alt ...string) Entry {
		return Entry{ID: name, Source: "EL", List: "entity-list", Name: name, AltNames: alt}
	}
	tests := []struct {
		name       string
		firms      []store.Firm
		entry      Entry
		applied    []string
		candidates []string
	}{
		{"exact by Chinese alt name", testFirms(), entity("Shanghai Example", "摩尔线程智能科技(北京)有限责任公司"),
			[]string{"moore-threads entity-list exact: Shanghai Example"}, nil},
		{"exact by traditional Chinese alt name", testFirms(), entity("SHANGTANG", "商湯集團股份有限公司"),
			[]string{"sensetime entity-list exact: SHANGTANG"}, nil},
		{"exact by alias", testFirms(), entity("MTT"), []string{"moore-threads entity-list exact: MTT"}, nil},
		{"Chinese name with more characters is an affiliate", testFirms(), entity("华为云计算技术有限公司"),
			[]string{"huawei entity-list affiliate: 华为云计算技术有限公司"}, nil},
		{"Chinese place then firm is an affiliate", testFirms(), entity("北京市华为数字技术有限公司"),
			[]string{"huawei entity-list affiliate: 北京市华为数字技术有限公司"}, nil},
		{"place then firm alone is an affiliate", testFirms(), entity("Shenzhen Huawei Co., Ltd."),
			[]string{"huawei entity-list affiliate: Shenzhen Huawei Co., Ltd."}, nil},
		{"subsidiary of in the name", testFirms(), entity("Northern Star Trading, a subsidiary of Inspur Group"),
			[]string{"inspur entity-list affiliate: Northern Star Trading, a subsidiary of Inspur Group"}, nil},
		{"case-sensitive alias matches as written", testFirms(), entity("Kimi"),
			[]string{"moonshot entity-list exact: Kimi"}, nil},
		{"case-sensitive alias ignores other case", testFirms(), entity("KIMI"), nil, nil},
		{"case-sensitive short name is no prefix", testFirms(), entity("Moonshot Trading LLC"), nil, nil},
		{"ordinary word inside a name is nothing", testFirms(), entity("Ascend Aviation Holdings"), nil, nil},
		{"short spelling is never a prefix", testFirms(), entity("MTT Logistics"), nil, nil},
		{"Chinese spelling inside a name is a candidate", testFirms(), entity("海思华为芯片设计"),
			nil, []string{"huawei entity-list near: 海思华为芯片设计"}},
		{"shared words are a candidate", testFirms(), entity("Threads Moore Partners"),
			nil, []string{"moore-threads entity-list near: Threads Moore Partners"}},
		{"typo is a candidate", testFirms(), entity("Sensetimme Group"),
			nil, []string{"sensetime entity-list near: Sensetimme Group"}},
		{"individuals are never matched", testFirms(), Entry{ID: "p", Source: "SDN", List: "sdn", Type: "Individual", Name: "HUAWEI"}, nil, nil},
		{"shared spelling is only a candidate",
			[]store.Firm{{ID: "a", Name: "Apex Robotics"}, {ID: "b", Name: "Zenith", Aliases: []store.Alias{alias("Apex Robotics")}}},
			entity("Apex Robotics Co., Ltd."), nil,
			[]string{"a entity-list near: Apex Robotics Co., Ltd.", "b entity-list near: Apex Robotics Co., Ltd."}},
		{"one entry, two firms", testFirms(), entity("Huawei Technologies Co., Ltd.", "SMIC"),
			[]string{"huawei entity-list exact: Huawei Technologies Co., Ltd.", "smic entity-list exact: Huawei Technologies Co., Ltd."}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			applied, candidates := MatchFirms([]Entry{tt.entry}, tt.firms)
			if got := describeAll(applied); !equalOrEmpty(got, tt.applied) {
				t.Errorf("applied = %q, want %q", got, tt.applied)
			}
			if got := describeAll(candidates); !equalOrEmpty(got, tt.candidates) {
				t.Errorf("candidates = %q, want %q", got, tt.candidates)
			}
		})
	}
}

func equalOrEmpty(a, b []string) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}
