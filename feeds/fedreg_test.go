package feeds_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/feeds"
	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/feeds/match"
	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
)

// bisSearch is the path and query of a Federal Register search of BIS
// documents, as the default feed asks for it.
const bisSearch = "/api/v1/documents.json?conditions%5Bagencies%5D%5B%5D=industry-and-security-bureau&order=newest"

// frServer serves the two fixture pages of a Federal Register search at
// /api/v1/documents.json (page 2 when ?page=2) and /other/documents.json,
// and counts the requests for them.
func frServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var pages [2][]byte
	for i := range pages {
		b, err := os.ReadFile(filepath.Join("parse", "testdata", "federalregister", fmt.Sprintf("page%d.json", i+1)))
		if err != nil {
			t.Fatal(err)
		}
		pages[i] = b
	}
	var requests atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		page := pages[0]
		if r.URL.Query().Get("page") == "2" {
			page = pages[1]
		}
		body := strings.ReplaceAll(string(page), "{origin}", srv.URL)
		if r.URL.Path == "/other/documents.json" {
			body = strings.ReplaceAll(body, srv.URL+"/api/v1/documents.json", srv.URL+"/other/documents.json")
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("ETag", `"p1"`)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &requests
}

// referenceMatcher is the tagger built from the bundled aliases.
func referenceMatcher(t *testing.T) *match.Matcher {
	t.Helper()
	ds, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	var aliases []store.Alias
	for _, f := range ds.Firms {
		aliases = append(aliases, f.Aliases...)
	}
	for _, a := range ds.Alliances {
		aliases = append(aliases, a.Aliases...)
	}
	return match.New(aliases)
}

func TestFederalRegisterSearch(t *testing.T) {
	srv, requests := frServer(t)
	st := newMemStore(store.Feed{URL: srv.URL + bisSearch})
	r := feeds.NewRefresher(st, fetch.New(fetch.Options{}), referenceMatcher(t), feeds.Options{Now: func() time.Time { return now }})
	res := r.RefreshFeed(context.Background(), st.feed(1))
	if res.Outcome != feeds.Updated || res.Saved.New != 3 {
		t.Fatalf("refresh: %s, %v, %+v; want 3 new items from two pages", res.Outcome, res.Err, res.Saved)
	}
	if n := requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2 (two pages)", n)
	}
	if f := st.feed(1); f.Title != "Documents from Industry and Security Bureau" || f.ETag != `"p1"` {
		t.Errorf("feed title %q, etag %q", f.Title, f.ETag)
	}
	items := st.calls[0].items
	byTitle := map[string]store.Item{}
	for _, it := range items {
		byTitle[it.Title] = it
	}

	rule := byTitle["Additions to the Entity List"]
	if !slices.Equal(rule.Firms, []string{"biren", "moore-threads"}) || !rule.Sanctions {
		t.Errorf("the Entity List rule: firms %v, sanctions %v; want biren and moore-threads, sanctions news", rule.Firms, rule.Sanctions)
	}
	if want := srv.URL + "/documents/2025/01/15/2099-00101/additions-to-the-entity-list"; rule.URL != want {
		t.Errorf("the Entity List rule links to %q, want its html_url %q", rule.URL, want)
	}
	if y, m, d := rule.Published.In(time.FixedZone("EST", -5*3600)).Date(); y != 2025 || m != time.January || d != 15 {
		t.Errorf("the Entity List rule is dated %v, want its publication_date 2025-01-15", rule.Published)
	}
	if !strings.Contains(rule.Content, "Type: Rule") || !strings.Contains(rule.Content, "Agencies: Commerce Department; Industry and Security Bureau") {
		t.Errorf("the reader would not show the type and agencies: %q", rule.Content)
	}

	notice := byTitle["Information Systems Technical Advisory Committee; Notice of Partially Closed Meeting"]
	if len(notice.Firms) != 0 || notice.Sanctions {
		t.Errorf("a notice that names no firm: firms %v, sanctions %v; want neither", notice.Firms, notice.Sanctions)
	}
	// Page 2: names a firm and no sanctions term; it is sanctions news
	// because BIS published it.
	proposed := byTitle["Revisions to License Exception Eligibility for Encryption Items"]
	if !slices.Equal(proposed.Firms, []string{"cambricon"}) || !proposed.Sanctions {
		t.Errorf("page 2's proposed rule: firms %v, sanctions %v; want cambricon, sanctions news", proposed.Firms, proposed.Sanctions)
	}

	// The same documents from a search that is not of BIS or OFAC are
	// news, not sanctions news, unless their text says so.
	other := newMemStore(store.Feed{URL: srv.URL + "/other/documents.json?order=newest"})
	r = feeds.NewRefresher(other, fetch.New(fetch.Options{}), referenceMatcher(t), feeds.Options{Now: func() time.Time { return now }})
	if res := r.RefreshFeed(context.Background(), other.feed(1)); res.Outcome != feeds.Updated || res.Saved.New != 3 {
		t.Fatalf("other search: %s, %v, %+v", res.Outcome, res.Err, res.Saved)
	}
	for _, it := range other.calls[0].items {
		if want := it.Title == "Additions to the Entity List"; it.Sanctions != want {
			t.Errorf("other search: %q sanctions %v, want %v (its text's own terms only)", it.Title, it.Sanctions, want)
		}
	}
}

func TestFederalRegisterPagesBounded(t *testing.T) {
	tests := []struct {
		name     string
		next     func(origin string, page int) string // the next_page_url of page
		status   func(page int) int
		requests int32
		outcome  feeds.Outcome
		items    int
	}{
		{"endless pages stop at MaxPages", func(o string, p int) string { return fmt.Sprintf("%s/api/v1/documents.json?page=%d", o, p+1) },
			nil, feeds.MaxPages, feeds.Updated, feeds.MaxPages},
		{"a page that points at itself", func(o string, p int) string { return fmt.Sprintf("%s/api/v1/documents.json?page=%d", o, max(p, 2)) },
			nil, 2, feeds.Updated, 2},
		{"another host is not followed", func(string, int) string { return "http://other.example/api/v1/documents.json?page=2" },
			nil, 1, feeds.Updated, 1},
		{"not http", func(string, int) string { return "file:///etc/passwd" }, nil, 1, feeds.Updated, 1},
		{"a failed page fails the feed", func(o string, p int) string { return fmt.Sprintf("%s/api/v1/documents.json?page=%d", o, p+1) },
			func(p int) int {
				if p == 3 {
					return http.StatusInternalServerError
				}
				return http.StatusOK
			}, 3, feeds.Failed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			var srv *httptest.Server
			srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				page := 1
				fmt.Sscan(r.URL.Query().Get("page"), &page)
				if tt.status != nil && tt.status(page) != http.StatusOK {
					w.WriteHeader(tt.status(page))
					return
				}
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"count": 1000, "next_page_url": %q, "results": [{"title": "Document %d", "html_url": "%s/d/%d", "publication_date": "2025-01-02"}]}`,
					tt.next(srv.URL, page), page, srv.URL, page)
			}))
			defer srv.Close()
			st := newMemStore(store.Feed{URL: srv.URL + bisSearch})
			r := feeds.NewRefresher(st, fetch.New(fetch.Options{}), referenceMatcher(t), feeds.Options{Now: func() time.Time { return now }})
			res := r.RefreshFeed(context.Background(), st.feed(1))
			if res.Outcome != tt.outcome || res.Saved.New != tt.items || requests.Load() != tt.requests {
				t.Errorf("%s (%v), %d new items, %d requests; want %s, %d, %d",
					res.Outcome, res.Err, res.Saved.New, requests.Load(), tt.outcome, tt.items, tt.requests)
			}
			if tt.outcome == feeds.Failed && (res.Err == nil || !strings.Contains(res.Err.Error(), "page 3")) {
				t.Errorf("error %v does not name the page", res.Err)
			}
		})
	}
}

func TestOfficialSearch(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"http://127.0.0.1:8080/api/v1/documents.json?conditions[agencies][]=industry-and-security-bureau&order=newest", true},
		{"http://127.0.0.1:8080/api/v1/documents.json?conditions%5Bagencies%5D%5B%5D=foreign-assets-control-office", true},
		{"http://127.0.0.1:8080/api/v1/documents.json?conditions[agencies][]=industry-and-security-bureau&conditions[agencies][]=foreign-assets-control-office", true},
		{"http://127.0.0.1:8080/api/v1/documents.rss?conditions[agencies][]=industry-and-security-bureau", true},
		{"http://127.0.0.1:8080/api/v1/documents.json?conditions[agencies][]=industry-and-security-bureau&conditions[agencies][]=food-and-drug-administration", false},
		{"http://127.0.0.1:8080/api/v1/documents.json?order=newest", false},
		{"http://127.0.0.1:8080/search?conditions[agencies][]=industry-and-security-bureau", false},
	}
	for _, tt := range tests {
		if got := feeds.OfficialFeed(tt.url); got != tt.want {
			t.Errorf("OfficialFeed(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}
