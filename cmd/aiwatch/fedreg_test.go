package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFederalRegisterFeed adds a Federal Register search of BIS
// documents served by a loopback server in two pages (the fixtures of
// feeds/parse), fetches it, and finds the Entity List rule tagged with
// the two firms its abstract names, flagged as sanctions news, linked to
// its html_url and dated by its publication_date.
func TestFederalRegisterFeed(t *testing.T) {
	var pages [2][]byte
	for i := range pages {
		b, err := os.ReadFile(filepath.Join("..", "..", "feeds", "parse", "testdata", "federalregister", fmt.Sprintf("page%d.json", i+1)))
		if err != nil {
			t.Fatal(err)
		}
		pages[i] = b
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := pages[0]
		if r.URL.Query().Get("page") == "2" {
			page = pages[1]
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte(strings.ReplaceAll(string(page), "{origin}", srv.URL)))
	}))
	defer srv.Close()

	db := ftStore(t)
	id, _, r := ftAdd(t, db, srv.URL+"/api/v1/documents.json?conditions[agencies][]=industry-and-security-bureau&order=newest")
	if strings.Contains(r.stderr, "could not check") || strings.Contains(r.stdout, "web page") {
		t.Errorf("feeds add did not recognise the search:\n%s%s", r.stdout, r.stderr)
	}
	// feeds add saves what it fetched, both pages of it; a fetch after
	// it finds nothing new.
	if items := ftItems(t, db, id); len(items) != 3 {
		t.Errorf("after feeds add: %d items, want the 3 documents of both pages", len(items))
	}
	if r := ftRun(t, db, 0, "fetch", "--feed", fmt.Sprint(id)); !strings.Contains(r.stdout, "0 new items") {
		t.Errorf("fetch: %s", r.stdout)
	}
	items := ftItems(t, db, id)
	if len(items) != 3 {
		t.Fatalf("%d items, want the 3 documents of both pages", len(items))
	}
	link := srv.URL + "/documents/2025/01/15/2099-00101/additions-to-the-entity-list"
	rule, ok := items[link]
	if !ok {
		t.Fatalf("no item links to the rule's html_url %s: %v", link, items)
	}
	if rule.Title != "Additions to the Entity List" || !slices.Equal(rule.Firms, []string{"biren", "moore-threads"}) ||
		!rule.Sanctions || !strings.HasPrefix(rule.Published, "2025-01-15") {
		t.Errorf("the rule: %+v; want tagged biren and moore-threads, sanctions news, published 2025-01-15", rule)
	}
	for _, it := range items {
		if strings.HasPrefix(it.Title, "Information Systems Technical Advisory Committee") && (it.Sanctions || len(it.Firms) > 0) {
			t.Errorf("the notice that names no firm: %+v; want no firms, not sanctions news", it)
		}
	}
}
