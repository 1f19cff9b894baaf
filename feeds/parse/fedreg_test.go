package parse_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/feeds/parse"
)

// frPage reads a Federal Register fixture with {origin} replaced.
func frPage(t *testing.T, name, origin string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "federalregister", name))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.ReplaceAll(string(b), "{origin}", origin))
}

func TestFederalRegisterPage(t *testing.T) {
	const origin = "https://www.federalregister.gov"
	feedURL := origin + "/api/v1/documents.json?conditions%5Bagencies%5D%5B%5D=industry-and-security-bureau&order=newest"
	f, err := parse.Parse(frPage(t, "page1.json", origin), "application/json; charset=utf-8", feedURL, corpusNow)
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != parse.FormatFederalRegister || f.Title != "Documents from Industry and Security Bureau" || f.Lang != "en" {
		t.Errorf("feed: format %q, title %q, lang %q", f.Format, f.Title, f.Lang)
	}
	if want := origin + "/api/v1/documents.json?conditions%5Bagencies%5D%5B%5D=industry-and-security-bureau&order=newest&page=2&per_page=2"; f.NextPage != want {
		t.Errorf("next page %q, want %q", f.NextPage, want)
	}
	if f.Entries != 2 || len(f.Items) != 2 {
		t.Fatalf("%d entries, %d items; want 2 and 2", f.Entries, len(f.Items))
	}

	rule := f.Items[0]
	link := origin + "/documents/2025/01/15/2099-00101/additions-to-the-entity-list"
	if rule.Title != "Additions to the Entity List" || rule.URL != link || rule.Key != link {
		t.Errorf("rule: title %q, link %q, key %q", rule.Title, rule.URL, rule.Key)
	}
	if want := time.Date(2025, 1, 15, 5, 0, 0, 0, time.UTC); !rule.Published.Equal(want) {
		t.Errorf("rule published %v, want %v (the day's edition, in Washington)", rule.Published, want)
	}
	if !strings.HasPrefix(rule.Summary, "In this final rule, the Bureau of Industry and Security (BIS)") ||
		!strings.Contains(rule.Summary, "Biren Technology and Moore Threads") {
		t.Errorf("rule summary %q, want the abstract", rule.Summary)
	}
	for _, line := range []string{
		"Type: Rule",
		"Agencies: Commerce Department; Industry and Security Bureau",
		"Document number: 2099-00101",
		"PDF: " + origin + "/content/pkg/FR-2025-01-15/pdf/2099-00101.pdf",
	} {
		if !strings.Contains(rule.Content, line+"\n") && !strings.HasSuffix(rule.Content, line) {
			t.Errorf("rule content %q lacks the line %q", rule.Content, line)
		}
	}
	if rule.Author != "Commerce Department, Industry and Security Bureau" {
		t.Errorf("rule author %q", rule.Author)
	}

	notice := f.Items[1]
	if notice.Summary != "" || !strings.HasPrefix(notice.Content, "Type: Notice\n") {
		t.Errorf("notice with a null abstract: summary %q, content %q", notice.Summary, notice.Content)
	}
	if want := time.Date(2025, 1, 14, 5, 0, 0, 0, time.UTC); !notice.Published.Equal(want) {
		t.Errorf("notice published %v, want %v", notice.Published, want)
	}

	last, err := parse.Parse(frPage(t, "page2.json", origin), "application/json", f.NextPage, corpusNow)
	if err != nil {
		t.Fatal(err)
	}
	if last.NextPage != "" || len(last.Items) != 1 || last.Items[0].Summary != "BIS proposes to revise license exception eligibility for certain encryption items & their technology, as requested in comments from Cambricon." {
		t.Errorf("last page: next %q, items %+v", last.NextPage, last.Items)
	}
}

func TestFederalRegisterShapes(t *testing.T) {
	const feedURL = "https://www.federalregister.gov/api/v1/documents.json"
	tests := []struct {
		name, doc string
		items     int   // when err is nil
		err       error // ErrUnknownFormat or nil
	}{
		{"no results", `{"count": 0, "description": "Documents", "total_pages": 0}`, 0, nil},
		{"null results", `{"count": 0, "results": null}`, 0, nil},
		{"minimal document", `{"count": 1, "results": [{"title": "T", "html_url": "https://www.federalregister.gov/d/1", "publication_date": "2025-01-02"}]}`, 1, nil},
		{"a document with neither link nor title", `{"count": 1, "results": [{"document_number": "2099-1", "abstract": "A."}]}`, 1, nil},
		{"count without results", `{"count": 3}`, 0, parse.ErrUnknownFormat},
		{"results not an array", `{"count": 1, "results": {"title": "T"}}`, 0, parse.ErrUnknownFormat},
		{"documents of the wrong type", `{"count": 1, "results": [{"title": 5}]}`, 0, parse.ErrUnknownFormat},
		{"results without count", `{"results": []}`, 0, parse.ErrUnknownFormat},
		{"another API's JSON", `{"data": [], "meta": {"totalElements": 0}}`, 0, parse.ErrUnknownFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parse.Parse([]byte(tt.doc), "application/json", feedURL, corpusNow)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.Format != parse.FormatFederalRegister || len(f.Items) != tt.items {
				t.Errorf("format %q, %d items; want %q, %d", f.Format, len(f.Items), parse.FormatFederalRegister, tt.items)
			}
		})
	}

	// A document without a page is keyed by its number, and titled by
	// its abstract.
	f, err := parse.Parse([]byte(tests[3].doc), "application/json", feedURL, corpusNow)
	if err != nil {
		t.Fatal(err)
	}
	if it := f.Items[0]; it.Key != "federalregister:2099-1" || it.URL != "" || it.Title != "A." || !it.Published.Equal(corpusNow) {
		t.Errorf("item without a page: %+v", it)
	}
}
