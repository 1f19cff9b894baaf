package parse_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/feeds/html"
	"github.com/aiwatch/aiwatch/feeds/parse"
	"github.com/aiwatch/aiwatch/store"
)

// corpusNow is the fetch time for corpus tests: after every date in it.
var corpusNow = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)

// manifest is MANIFEST.json of the feed corpus.
type manifest struct {
	Files []corpusFile `json:"files"`
}

type corpusFile struct {
	Name           string            `json:"name"`
	Format         string            `json:"format"`
	ContentType    string            `json:"content_type"`
	ItemCount      int               `json:"item_count"`
	DistinctItems  int               `json:"distinct_items"`
	FirstTitle     string            `json:"first_item_title"`
	FirstLink      string            `json:"first_item_link"`
	FirstDate      *string           `json:"first_item_date"`
	Language       string            `json:"language"`
	LanguageSource string            `json:"language_source"`
	Scrape         map[string]string `json:"scrape"`
	ExtraChecks    []check           `json:"extra_checks"`
}

type check struct {
	Item   int               `json:"item"`
	Feed   bool              `json:"feed"`
	Field  string            `json:"field"`
	Expect json.RawMessage   `json:"expect"`
	Accept []json.RawMessage `json:"accept"`
	Prefer json.RawMessage   `json:"prefer"`
	Note   string            `json:"note"`
}

// corpusDir is the feed corpus: shared/testdata/feeds, copied into the
// repository's testdata so that the tests need nothing outside it.
func corpusDir(t testing.TB) string {
	t.Helper()
	return filepath.Join("..", "..", "testdata", "feeds")
}

func loadManifest(t testing.TB) (string, manifest) {
	dir := corpusDir(t)
	b, err := os.ReadFile(filepath.Join(dir, "MANIFEST.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Files) == 0 {
		t.Fatal("manifest lists no files")
	}
	return dir, m
}

// scrapeRules are the manifest's scrape hints as rules. The hints are
// prose; the selectors here are theirs, and the test checks that.
var scrapeRules = map[string]store.HTMLRule{
	// date: "time[datetime] (attribute), else time text"
	"html_list_utf8.html": {Item: "section.news-list article.news-item", Title: "h3.news-title a", Link: "h3.news-title a[href]", Date: "time"},
	// date: "span.time text, format 2006-01-02 15:04"
	"html_list_gbk.html": {Item: "div.list_box ul.list li", Title: "a", Link: "a[href]", Date: "span.time", DateLayout: "2006-01-02 15:04"},
}

// noteAllowances are results a check's note allows beyond its accept
// list, keyed by file, item and field.
var noteAllowances = map[string]func(store.Item) bool{
	// "relative date: null or fetch time minus 3h, never a parse crash"
	"html_list_gbk.html#5.date": func(it store.Item) bool {
		return it.Published.Equal(corpusNow.Add(-3 * time.Hour))
	},
}

// TestCorpus serves every corpus file from 127.0.0.1 exactly as the
// manifest says, fetches it with the fetch client, parses it (or scrapes
// it with the hints as rules) and checks every expectation.
func TestCorpus(t *testing.T) {
	dir, m := loadManifest(t)
	mux := http.NewServeMux()
	for _, f := range m.Files {
		body, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		mux.HandleFunc("/"+f.Name, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", f.ContentType)
			w.Write(body)
		})
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := fetch.New(fetch.Options{Version: "test", Timeout: 5 * time.Second})

	for _, f := range m.Files {
		t.Run(f.Name, func(t *testing.T) {
			resp, err := client.Fetch(context.Background(), fetch.Request{URL: srv.URL + "/" + f.Name})
			if err != nil {
				t.Fatal(err)
			}
			if resp.ContentType != f.ContentType {
				t.Fatalf("served as %q, manifest says %q", resp.ContentType, f.ContentType)
			}
			feed := readCorpusFile(t, f, resp.Body, resp.ContentType, resp.URL, corpusNow)
			c := checker{t: t, file: f, feed: feed, origin: srv.URL}
			c.run()

			// A second fetch, later, must find the same items.
			again := readCorpusFile(t, f, resp.Body, resp.ContentType, resp.URL, corpusNow.Add(time.Hour))
			if k1, k2 := keys(feed.Items), keys(again.Items); !slices.Equal(k1, k2) {
				t.Errorf("keys change between fetches:\n%v\n%v", k1, k2)
			}
		})
	}
}

func readCorpusFile(t *testing.T, f corpusFile, body []byte, contentType, url string, now time.Time) *parse.Feed {
	t.Helper()
	if f.Format != "html-list" {
		feed, err := parse.Parse(body, contentType, url, now)
		if err != nil {
			t.Fatal(err)
		}
		return feed
	}
	rule, ok := scrapeRules[f.Name]
	if !ok {
		t.Fatalf("no scrape rule for %s", f.Name)
	}
	for field, sel := range map[string]string{"item": rule.Item, "title": rule.Title, "link": rule.Link} {
		if hint := f.Scrape[field]; !strings.HasPrefix(hint, sel) {
			t.Errorf("rule %s %q does not follow the hint %q", field, sel, hint)
		}
	}
	if _, err := parse.Parse(body, contentType, url, now); !errors.Is(err, parse.ErrUnknownFormat) {
		t.Errorf("Parse of an HTML page: err = %v, want ErrUnknownFormat", err)
	}
	feed, err := html.Scrape(body, contentType, url, rule, now)
	if err != nil {
		t.Fatal(err)
	}
	return feed
}

func keys(items []store.Item) []string {
	var k []string
	for _, it := range items {
		k = append(k, it.Key)
	}
	return k
}

type checker struct {
	t      *testing.T
	file   corpusFile
	feed   *parse.Feed
	origin string
}

func (c *checker) run() {
	t, f, feed := c.t, c.file, c.feed
	if feed.Entries != f.ItemCount {
		t.Errorf("item_count: %d, want %d", feed.Entries, f.ItemCount)
	}
	if len(feed.Items) != f.DistinctItems {
		t.Fatalf("distinct_items: %d, want %d", len(feed.Items), f.DistinctItems)
	}
	first := feed.Items[0]
	if want := c.expand(f.FirstTitle); first.Title != want {
		t.Errorf("first_item_title: %q, want %q", first.Title, want)
	}
	if want := c.expand(f.FirstLink); first.URL != want {
		t.Errorf("first_item_link: %q, want %q", first.URL, want)
	}
	if f.FirstDate == nil {
		if !first.Published.Equal(corpusNow) {
			t.Errorf("first_item_date: %v, want none (the fetch time)", first.Published)
		}
	} else if want, _ := time.Parse(time.RFC3339, *f.FirstDate); !first.Published.Equal(want) {
		t.Errorf("first_item_date: %v, want %v", first.Published, want)
	}

	if strings.Contains(f.LanguageSource, "content") {
		if primary, _, _ := strings.Cut(f.Language, "-"); primary != strings.SplitN(feed.Lang, "-", 2)[0] {
			t.Errorf("language: %q, want %q (or its primary tag)", feed.Lang, f.Language)
		}
	} else if !strings.EqualFold(feed.Lang, f.Language) {
		t.Errorf("language: %q, want %q", feed.Lang, f.Language)
	}
	for _, it := range feed.Items {
		if it.Lang == "" {
			t.Errorf("item %q has no language", it.Title)
		}
	}

	for _, ck := range f.ExtraChecks {
		c.extra(ck)
	}
}

func (c *checker) extra(ck check) {
	t := c.t
	if ck.Field == "distinct_items" {
		var want int
		if err := json.Unmarshal(ck.Expect, &want); err != nil || len(c.feed.Items) != want {
			t.Errorf("distinct_items: %d, want %s", len(c.feed.Items), ck.Expect)
		}
		return
	}
	var it store.Item
	name := ck.Field
	switch {
	case ck.Feed:
		name = "feed " + ck.Field
	case c.file.ItemCount != c.file.DistinctItems:
		t.Fatalf("check on item %d of a file with duplicates: extend the test", ck.Item)
	case ck.Item < 1 || ck.Item > len(c.feed.Items):
		t.Fatalf("check on item %d of %d", ck.Item, len(c.feed.Items))
	default:
		it = c.feed.Items[ck.Item-1]
		name = "item " + strconv.Itoa(ck.Item) + " " + ck.Field
	}
	if ck.Field == "date" {
		if allow := noteAllowances[c.file.Name+"#"+strconv.Itoa(ck.Item)+".date"]; allow != nil && allow(it) {
			return
		}
	}

	switch {
	case ck.Expect != nil:
		if !c.match(ck, it, ck.Expect) {
			t.Errorf("%s: got %s, want %s", name, c.actual(ck, it), ck.Expect)
		}
	case ck.Prefer != nil:
		// Where the manifest names a preferred result, require it.
		if !c.match(ck, it, ck.Prefer) {
			t.Errorf("%s: got %s, want the preferred %s", name, c.actual(ck, it), ck.Prefer)
		}
	case ck.Accept != nil:
		if !slices.ContainsFunc(ck.Accept, func(want json.RawMessage) bool { return c.match(ck, it, want) }) {
			t.Errorf("%s: got %s, want one of %s", name, c.actual(ck, it), ck.Accept)
		}
	default:
		t.Fatalf("%s: check without expect, prefer or accept", name)
	}
}

// actual describes what the check's field holds, for messages.
func (c *checker) actual(ck check, it store.Item) string {
	switch ck.Field {
	case "date":
		return it.Published.Format(time.RFC3339Nano)
	case "content_contains":
		return strconvQuote(it.Content)
	}
	s, _ := c.value(ck, it)
	return strconvQuote(s)
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// value returns the check's field; ok is false for "no value".
func (c *checker) value(ck check, it store.Item) (string, bool) {
	var s string
	switch {
	case ck.Feed && ck.Field == "title":
		s = c.feed.Title
	case ck.Feed && ck.Field == "link":
		s = c.feed.SiteURL
	case ck.Field == "title":
		s = it.Title
	case ck.Field == "link":
		s = it.URL
	case ck.Field == "guid":
		s = it.Key
	case ck.Field == "author":
		s = it.Author
	default:
		c.t.Fatalf("unknown check field %q", ck.Field)
	}
	return s, s != ""
}

func (c *checker) match(ck check, it store.Item, raw json.RawMessage) bool {
	var want *string
	if err := json.Unmarshal(raw, &want); err != nil {
		c.t.Fatalf("check value %s: %v", raw, err)
	}
	switch ck.Field {
	case "date":
		if want == nil {
			return it.Published.Equal(corpusNow)
		}
		w, err := time.Parse(time.RFC3339Nano, *want)
		if err != nil {
			c.t.Fatalf("check date %q: %v", *want, err)
		}
		return it.Published.Equal(w)
	case "content_contains":
		return want != nil && strings.Contains(it.Content, *want)
	}
	got, ok := c.value(ck, it)
	if want == nil {
		return !ok
	}
	return got == c.expand(*want)
}

func (c *checker) expand(s string) string {
	return strings.ReplaceAll(s, "{origin}", c.origin)
}

// TestCorpusCopyIsCurrent checks that the repository's copy of the feed
// corpus is the shared one, byte for byte, where the shared one is at hand.
func TestCorpusCopyIsCurrent(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "testdata", "feeds")
	entries, err := os.ReadDir(shared)
	if err != nil {
		t.Skipf("no shared corpus beside the repository: %v", err)
	}
	for _, e := range entries {
		want, err := os.ReadFile(filepath.Join(shared, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(corpusDir(t), e.Name()))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("testdata/feeds/%s differs from the shared corpus (copy it again): %v", e.Name(), err)
		}
	}
}
