package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

const storyPage = `<!doctype html><html lang="en"><head><title>Biren ships a new GPU</title>
<meta name="author" content="Jane Doe"></head><body><nav><a href="/">Home</a></nav><article>
<h1>Biren ships a new GPU</h1>
<p>The Shanghai chip designer said its accelerator is in volume production, and that 摩尔线程 and other rivals face the same export rules.</p>
<h2>Customers</h2>
<p>Cloud providers are the first customers, the company said, and the glorpwidget order book is full until next spring.</p>
</article><footer>Copyright Example</footer></body></html>`

// articleStore makes a store with one item per path on srv and returns the
// store's path and the items' IDs.
func articleStore(t *testing.T, srv *httptest.Server, paths ...string) (string, []int64) {
	t.Helper()
	path := newStore(t)
	if r := runCLI(t, path, "", "firms"); r.code != 0 {
		t.Fatalf("seeding: %+v", r)
	}
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	feed, err := db.AddFeed(ctx, store.Feed{URL: srv.URL + "/feed.xml", Title: "Loopback", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	var items []store.Item
	for i, p := range paths {
		items = append(items, store.Item{Key: p, URL: srv.URL + p, Title: fmt.Sprintf("Story %d", i), Summary: "The feed's one-sentence summary.", Published: testNow})
	}
	if _, err := db.SaveItems(ctx, feed, items); err != nil {
		t.Fatal(err)
	}
	got, err := db.Items(ctx, store.Filter{Feeds: []string{strconv.FormatInt(feed, 10)}})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(paths))
	for _, it := range got {
		for i, p := range paths {
			if it.Key == p {
				ids[i] = it.ID
			}
		}
	}
	return path, ids
}

func TestArticleCommand(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/story":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, storyPage)
		case "/paywall":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body><p>Subscribe to read.</p></body></html>")
		default:
			http.NotFound(w, r)
		}
	}))
	db, ids := articleStore(t, srv, "/story", "/gone", "/paywall")
	id := strconv.FormatInt(ids[0], 10)

	r := runCLI(t, db, "", "article", id)
	if r.code != 0 {
		t.Fatalf("article: %+v", r)
	}
	for _, want := range []string{"Biren ships a new GPU\n", "by Jane Doe", "# Biren ships a new GPU\n\nThe Shanghai chip designer", "## Customers", "glorpwidget"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("article output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "Copyright") || strings.Contains(r.stdout, "Home") {
		t.Errorf("boilerplate in the article:\n%s", r.stdout)
	}

	// The body is searchable, and its firms are tags marked as the body's.
	r = runCLI(t, db, "", "items", "--query", "glorpwidget", "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"id": `+id) {
		t.Errorf("search by a word only in the article: %+v", r)
	}
	r = runCLI(t, db, "", "article", id, "--json")
	var out articleJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 {
		t.Fatalf("article --json: %v %+v", err, r)
	}
	if out.ItemID != ids[0] || out.Paragraphs[0] != "# Biren ships a new GPU" || !strings.Contains(strings.Join(out.BodyOnly, ","), "firm:moore-threads") {
		t.Errorf("article --json = %+v", out)
	}

	// Re-tagging reads the article too: its tags stay, and an alias found
	// only in it tags the item.
	if r := runCLI(t, db, "", "alias", "add", "huawei", "glorpwidget"); r.code != 0 {
		t.Fatalf("alias add: %+v", r)
	}
	if r := runCLI(t, db, "", "retag"); r.code != 0 {
		t.Fatalf("retag: %+v", r)
	}
	for _, firm := range []string{"biren", "moore-threads", "huawei"} {
		r := runCLI(t, db, "", "items", "--firm", firm, "--json")
		if !strings.Contains(r.stdout, `"id": `+id+",") {
			t.Errorf("after retag, items --firm %s lacks the item: %s", firm, r.stdout)
		}
	}
	r = runCLI(t, db, "", "article", id, "--json")
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || !strings.Contains(strings.Join(out.BodyOnly, ","), "firm:huawei") {
		t.Errorf("body_only after retag = %v (%v)", out.BodyOnly, err)
	}

	// Offline: the server is gone and the article is still there.
	srv.Close()
	r = runCLI(t, db, "", "article", id)
	if r.code != 0 || !strings.Contains(r.stdout, "glorpwidget") {
		t.Errorf("article offline: %+v", r)
	}
	// A refresh that fails shows the kept article and says why.
	r = runCLI(t, db, "", "article", id, "--refresh")
	if r.code != 0 || !strings.Contains(r.stdout, "glorpwidget") || !strings.Contains(r.stderr, "kept from") {
		t.Errorf("article --refresh offline: %+v", r)
	}
}

func TestArticleCommandFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/paywall" {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body><p>Subscribe to read.</p></body></html>")
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	db, ids := articleStore(t, srv, "/gone", "/paywall")
	for _, tc := range []struct {
		name, id, reason string
	}{
		{"404", strconv.FormatInt(ids[0], 10), "HTTP 404 Not Found"},
		{"paywall", strconv.FormatInt(ids[1], 10), "paywall"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, db, "", "article", tc.id)
			if r.code != 1 || !strings.Contains(r.stderr, tc.reason) || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("stderr %q (code %d), want one line with %q", r.stderr, r.code, tc.reason)
			}
			if !strings.Contains(r.stdout, "Story ") || !strings.Contains(r.stdout, "The feed's one-sentence summary.") {
				t.Errorf("the summary does not stay:\n%s", r.stdout)
			}
		})
	}
	if r := runCLI(t, db, "", "article", "99999"); r.code != 1 || !strings.Contains(r.stderr, "no item 99999") {
		t.Errorf("missing item: %+v", r)
	}
	if r := runCLI(t, db, "", "article"); r.code != 2 {
		t.Errorf("no ID: %+v", r)
	}
}

func TestExtractCommand(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "page.html")
	if err := os.WriteFile(page, []byte(storyPage), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "", "extract", page, "--url", "https://news.example/tech/1", "--json")
	var out articleJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 {
		t.Fatalf("extract --json: %v %+v", err, r)
	}
	if out.Title != "Biren ships a new GPU" || out.Byline != "Jane Doe" || out.Lang != "en" || len(out.Paragraphs) != 4 || out.Paragraphs[2] != "## Customers" {
		t.Errorf("extract --json = %+v", out)
	}
	// A URL goes through the one client: its links resolve against the
	// page's own address, and a 404 is a one-line error.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/news/1" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, strings.Replace(storyPage, "the glorpwidget order book", `the <a href="/orders">glorpwidget order book</a>`, 1))
	}))
	defer srv.Close()
	r = runCLI(t, "", "", "extract", srv.URL+"/news/1")
	if r.code != 0 || !strings.Contains(r.stdout, "## Customers") || !strings.Contains(r.stdout, "[1] glorpwidget order book\n    "+srv.URL+"/orders") {
		t.Errorf("extract URL: %+v", r)
	}
	if r := runCLI(t, "", "", "extract", srv.URL+"/gone"); r.code != 1 || !strings.Contains(r.stderr, "404") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("extract of a 404: %+v", r)
	}
	bad := filepath.Join(dir, "x.pdf")
	os.WriteFile(bad, []byte("%PDF-1.7 binary"), 0o644)
	if r := runCLI(t, "", "", "extract", bad); r.code != 1 || !strings.Contains(r.stderr, "not an HTML page") {
		t.Errorf("extract of a PDF: %+v", r)
	}
	if r := runCLI(t, "", "", "extract", "ftp://example.com/x"); r.code != 1 {
		t.Errorf("extract of an ftp URL: %+v", r)
	}
}
