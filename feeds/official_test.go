package feeds

import (
	"slices"
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store"
)

// wordTagger tags an item with the firm "biren" when its text says Biren,
// and flags sanctions only when it says "sanctions".
type wordTagger struct{}

func (wordTagger) Tag(title, summary, content string) ([]string, []string, bool, []store.Mention) {
	text := title + " " + summary + " " + content
	var firms []string
	if strings.Contains(text, "Biren") {
		firms = []string{"biren"}
	}
	return firms, nil, strings.Contains(text, "sanctions"), nil
}

func TestOfficialFeed(t *testing.T) {
	tests := []struct {
		name, url string
		want      bool
	}{
		{"federal register", "https://www.federalregister.gov/api/v1/documents.rss?conditions[agencies][]=industry-and-security-bureau", true},
		{"federal register apex", "https://federalregister.gov/documents.rss", true},
		{"treasury press", "https://home.treasury.gov/news/press-releases/rss", true},
		{"ofac", "https://ofac.treasury.gov/recent-actions/rss.xml", true},
		{"upper case host", "https://OFAC.Treasury.GOV/rss.xml", true},
		{"trailing dot", "https://home.treasury.gov./rss", true},
		{"look-alike host", "https://nottreasury.gov/rss", false},
		{"official name as a subdomain", "https://federalregister.gov.example.com/rss", false},
		{"official host in the path", "https://example.com/federalregister.gov/rss", false},
		{"news site", "https://www.reuters.com/technology/rss", false},
		{"not http", "ftp://ofac.treasury.gov/rss", false},
		{"garbage", "%%%", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := OfficialFeed(tt.url); got != tt.want {
				t.Errorf("OfficialFeed(%q) = %v, want %v", tt.url, got, tt.want)
			}
		})
	}
}

func TestTagFlagsOfficialNewsThatNamesAFirm(t *testing.T) {
	items := func() []store.Item {
		return []store.Item{
			{Title: "Additions to the Entity List", Summary: "This rule adds Biren Technology Co., Ltd. to the MEU list."},
			{Title: "Biren ships a new GPU"},
			{Title: "Sunshine Act meeting notice"},
			{Title: "Treasury sanctions a network", Summary: "no tracked firm here"},
		}
	}
	tests := []struct {
		name string
		feed string
		want []bool // Sanctions of each item above
	}{
		{"federal register", "https://www.federalregister.gov/api/v1/documents.rss", []bool{true, true, false, true}},
		{"ofac", "https://ofac.treasury.gov/recent-actions/rss.xml", []bool{true, true, false, true}},
		{"news site", "https://www.example.com/rss", []bool{false, false, false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRefresher(nil, nil, wordTagger{}, Options{})
			var got []bool
			for _, it := range r.tag(store.Feed{URL: tt.feed}, items()) {
				got = append(got, it.Sanctions)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("sanctions flags = %v, want %v", got, tt.want)
			}
		})
	}
}
