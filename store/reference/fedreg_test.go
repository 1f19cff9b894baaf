package reference

import (
	"strings"
	"testing"
)

func TestFederalRegisterAPI(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"https://www.federalregister.gov/api/v1/documents.rss?conditions[agencies][]=industry-and-security-bureau",
			"https://www.federalregister.gov/api/v1/documents.json?conditions[agencies][]=industry-and-security-bureau&order=newest", true},
		{"https://www.federalregister.gov/api/v1/documents.rss?conditions[agencies][]=x&order=oldest",
			"https://www.federalregister.gov/api/v1/documents.json?conditions[agencies][]=x&order=oldest", true},
		{"https://www.federalregister.gov/api/v1/documents.rss?", "", false},
		{"https://www.federalregister.gov/api/v1/documents.json?conditions[agencies][]=x", "", false},
		{"https://ofac.treasury.gov/recent-actions/rss.xml", "", false},
		{"http://www.federalregister.gov/api/v1/documents.rss?conditions[agencies][]=x", "", false},
	}
	for _, tt := range tests {
		got, ok := FederalRegisterAPI(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("FederalRegisterAPI(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestDefaultFeedsUseTheAPI checks that no default feed reads a Federal
// Register search as RSS, that the BIS and OFAC searches are there as the
// API's JSON, and that every default feed's URL is there once.
func TestDefaultFeedsUseTheAPI(t *testing.T) {
	ds, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var bis, ofac bool
	for _, f := range ds.Feeds {
		if seen[f.URL] {
			t.Errorf("default feed %s twice", f.URL)
		}
		seen[f.URL] = true
		if strings.HasPrefix(f.URL, frRSS) {
			t.Errorf("default feed %s reads the Federal Register as RSS", f.URL)
		}
		if strings.HasPrefix(f.URL, frAPI) && strings.HasSuffix(f.Title, "(RSS)") {
			t.Errorf("default feed %s is titled %q", f.URL, f.Title)
		}
		bis = bis || f.URL == frAPI+"conditions[agencies][]=industry-and-security-bureau&order=newest"
		ofac = ofac || f.URL == frAPI+"conditions[agencies][]=foreign-assets-control-office&order=newest"
	}
	if !bis || !ofac {
		t.Errorf("default feeds: BIS search %v, OFAC search %v; want both", bis, ofac)
	}
}
