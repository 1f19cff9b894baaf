package storetest_test

import (
	"slices"
	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/storetest"
)

// TestContractTagger checks the suite's stand-in tagger: aliases found in any
// field, in any case unless case-sensitive, each entity once, sorted.
func TestContractTagger(t *testing.T) {
	tag := storetest.Tagger([]store.Alias{
		{Kind: store.KindFirm, Entity: "huawei", Text: "Huawei"},
		{Kind: store.KindFirm, Entity: "huawei", Text: "华为"},
		{Kind: store.KindFirm, Entity: "biren", Text: "Biren"},
		{Kind: store.KindFirm, Entity: "moore-threads", Text: "MT", CaseSensitive: true},
		{Kind: store.KindAlliance, Entity: "model-chip", Text: "Model-Chip Alliance"},
		{Kind: store.KindAlliance, Entity: "model-chip", Text: "模芯生态创新联盟"},
		{Kind: store.KindFirm, Entity: "empty", Text: ""},
	})
	for _, tc := range []struct {
		name                    string
		title, summary, content string
		firms, alliances        []string
	}{
		{"none", "nothing here", "", "", nil, nil},
		{"case-insensitive", "HUAWEI and biren", "", "", []string{"biren", "huawei"}, nil},
		{"each once", "Huawei", "华为", "huawei", []string{"huawei"}, nil},
		{"case-sensitive alias", "MT ships", "", "", []string{"moore-threads"}, nil},
		{"case-sensitive alias in another case", "mt ships, smtp", "", "", nil, nil},
		{"alliance in the content", "", "", "the 模芯生态创新联盟 met", nil, []string{"model-chip"}},
		{"both", "model-chip alliance", "Biren", "", []string{"biren"}, []string{"model-chip"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			firms, alliances, sanctions, mentions := tag("https://example.org/feed", tc.title, tc.summary, tc.content)
			if !slices.Equal(firms, tc.firms) || !slices.Equal(alliances, tc.alliances) || sanctions || mentions != nil {
				t.Errorf("tag = %v %v %v %v, want %v %v", firms, alliances, sanctions, mentions, tc.firms, tc.alliances)
			}
		})
	}
}
