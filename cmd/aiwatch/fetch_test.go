package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store/reference"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// ftSite is a loopback web server for the fetch tests. It serves pages by
// path with an ETag, answers a matching If-None-Match with 304, and counts
// requests and body bytes.
type ftSite struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]ftPage
	hits  map[string]int
	bytes int64
}

type ftPage struct {
	contentType string
	body        []byte
	status      int // 0: 200 with body
}

func newFTSite(t *testing.T) *ftSite {
	t.Helper()
	s := &ftSite{pages: map[string]ftPage{}, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *ftSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.pages[r.URL.Path]
	s.hits[r.URL.Path]++
	s.mu.Unlock()
	switch {
	case !ok:
		http.NotFound(w, r)
		return
	case p.status != 0:
		http.Error(w, http.StatusText(p.status), p.status)
		return
	}
	sum := sha256.Sum256(p.body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", p.contentType)
	n, _ := w.Write(p.body)
	s.mu.Lock()
	s.bytes += int64(n)
	s.mu.Unlock()
}

// set serves body at path and returns its URL.
func (s *ftSite) set(path, contentType string, body []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = ftPage{contentType: contentType, body: body}
	return s.URL + path
}

// fail makes path answer with status and returns its URL.
func (s *ftSite) fail(path string, status int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = ftPage{status: status}
	return s.URL + path
}

// counts returns the requests made for path and the body bytes served in all.
func (s *ftSite) counts(path string) (hits int, bytes int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path], s.bytes
}

func ftFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "fetch", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ftRun runs aiwatch in-process and fails the test unless it exits with code.
func ftRun(t *testing.T, db string, code int, args ...string) result {
	t.Helper()
	r := runCLI(t, db, "", args...)
	if r.code != code {
		t.Fatalf("aiwatch %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, code, r.stdout, r.stderr)
	}
	return r
}

// ftStore returns a new seeded store whose reference feeds are all
// disabled, so that nothing reaches past the loopback server.
func ftStore(t *testing.T) string {
	t.Helper()
	db := newStore(t)
	for _, f := range ftFeeds(t, db) {
		if f.Enabled && f.Kind != "builtin" {
			ftRun(t, db, 0, "feeds", "disable", strconv.FormatInt(f.ID, 10))
		}
	}
	for _, f := range ftFeeds(t, db) {
		if f.Enabled && f.Kind != "builtin" {
			t.Fatalf("feed %d (%s) is still enabled", f.ID, f.URL)
		}
	}
	return db
}

// ftFeeds is feeds list --json.
func ftFeeds(t *testing.T, db string) []feedJSON {
	t.Helper()
	var out []feedJSON
	if err := json.Unmarshal([]byte(ftRun(t, db, 0, "feeds", "list", "--json").stdout), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// ftFeed returns the feed with the given URL from feeds list --json.
func ftFeed(t *testing.T, db, url string) feedJSON {
	t.Helper()
	for _, f := range ftFeeds(t, db) {
		if f.URL == url {
			return f
		}
	}
	t.Fatalf("no feed %s in feeds list --json", url)
	return feedJSON{}
}

// ftItems is items --json for one feed, keyed by URL.
func ftItems(t *testing.T, db string, feedID int64) map[string]itemJSON {
	t.Helper()
	var all []itemJSON
	if err := json.Unmarshal([]byte(ftRun(t, db, 0, "items", "--json", "--limit", "0").stdout), &all); err != nil {
		t.Fatal(err)
	}
	out := map[string]itemJSON{}
	for _, it := range all {
		if it.FeedID == feedID {
			out[it.URL] = it
		}
	}
	return out
}

var addedRE = regexp.MustCompile(`(?m)^Added feed (\d+): (\S+)$`)

// ftAdd runs feeds add and returns the new feed's ID and URL.
func ftAdd(t *testing.T, db string, args ...string) (int64, string, result) {
	t.Helper()
	r := ftRun(t, db, 0, append([]string{"feeds", "add"}, args...)...)
	m := addedRE.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("feeds add printed no \"Added feed N: URL\":\n%s", r.stdout)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id, m[2], r
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestFetchAddedFeed adds a feed, fetches it, reads its tagged items, and
// fetches again to find it not modified with no body sent.
func TestFetchAddedFeed(t *testing.T) {
	site := newFTSite(t)
	url := site.set("/news.xml", "application/rss+xml", ftFixture(t, "news-v1.rss"))
	db := ftStore(t)

	id, added, r := ftAdd(t, db, url)
	if added != url || strings.Contains(r.stdout, "web page") {
		t.Errorf("feeds add of a feed added %s:\n%s", added, r.stdout)
	}
	// feeds add keeps what it fetched: the items show at once.
	if !strings.Contains(r.stdout, "Saved 3 new items") {
		t.Errorf("feeds add does not say it saved the feed's items:\n%s", r.stdout)
	}
	if hits, _ := site.counts("/news.xml"); hits != 1 {
		t.Errorf("feeds add fetched the feed %d times, want 1", hits)
	}

	items := ftItems(t, db, id)
	want := map[string][]string{
		"https://chipwire.example/news/1": {"huawei"},
		"https://chipwire.example/news/2": {"moore-threads"},
		"https://chipwire.example/news/3": {},
	}
	if len(items) != len(want) {
		t.Fatalf("items --json has %d items of feed %d, want %d: %v", len(items), id, len(want), items)
	}
	for u, firms := range want {
		it, ok := items[u]
		if !ok {
			t.Errorf("no item %s", u)
			continue
		}
		if !slices.Equal(it.Firms, firms) {
			t.Errorf("%s firms %v, want %v", u, it.Firms, firms)
		}
		if it.Feed != "Chip Wire" || it.Lang != "en" || it.Read || it.Starred {
			t.Errorf("%s: feed %q lang %q read %v starred %v", u, it.Feed, it.Lang, it.Read, it.Starred)
		}
	}
	// Huawei is in the model-chip alliance: the roll-up tag is written at insert.
	var inAlliance []itemJSON
	if err := json.Unmarshal([]byte(ftRun(t, db, 0, "items", "--alliance", "model-chip", "--json", "--limit", "0").stdout), &inAlliance); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range inAlliance {
		if it.FeedID == id {
			found = found || it.URL == "https://chipwire.example/news/1"
			if it.URL == "https://chipwire.example/news/3" {
				t.Errorf("the weather item is listed under the model-chip alliance")
			}
		}
	}
	if !found {
		t.Errorf("the Huawei item is not listed under its alliance model-chip")
	}

	// and stored the validators: the first fetch after it is a 304.
	hits, before := site.counts("/news.xml")
	// Fetched a moment ago, the feed is not due: fetch leaves it alone,
	// and --all fetches it.
	r = ftRun(t, db, 0, "fetch")
	if got, want := lastLine(r.stdout), "0 feeds: 0 updated, 0 not modified, 0 failed; 0 new items"; got != want {
		t.Errorf("fetch of a feed not due: %q, want %q", got, want)
	}
	if h, _ := site.counts("/news.xml"); h != hits {
		t.Errorf("fetch requested a feed that is not due")
	}
	r = ftRun(t, db, 0, "fetch", "--all")
	if got, want := lastLine(r.stdout), "1 feeds: 0 updated, 1 not modified, 0 failed; 0 new items"; got != want {
		t.Errorf("fetch summary after feeds add %q, want %q", got, want)
	}
	hits2, after := site.counts("/news.xml")
	if hits2 != hits+1 {
		t.Errorf("fetch made %d requests, want 1", hits2-hits)
	}
	if after != before {
		t.Errorf("fetch transferred %d body bytes, want 0", after-before)
	}
	if f := ftFeed(t, db, url); f.Status != "ok" || f.LastStatus != http.StatusNotModified || f.Items != 3 || f.Unread != 3 {
		t.Errorf("feed after the 304: %+v", f)
	}
}

// TestRefetchKeepsMarks changes a feed between fetches: text is updated,
// read and starred marks stay.
func TestRefetchKeepsMarks(t *testing.T) {
	site := newFTSite(t)
	url := site.set("/news.xml", "application/rss+xml", ftFixture(t, "news-v1.rss"))
	db := ftStore(t)
	id, _, _ := ftAdd(t, db, url)
	ftRun(t, db, 0, "fetch")

	items := ftItems(t, db, id)
	one, two := items["https://chipwire.example/news/1"], items["https://chipwire.example/news/2"]
	ftRun(t, db, 0, "read", strconv.FormatInt(one.ID, 10))
	ftRun(t, db, 0, "star", strconv.FormatInt(two.ID, 10))

	site.set("/news.xml", "application/rss+xml", ftFixture(t, "news-v2.rss"))
	r := ftRun(t, db, 0, "fetch", "--all")
	if got, want := lastLine(r.stdout), "1 feeds: 1 updated, 0 not modified, 0 failed; 1 new items"; got != want {
		t.Errorf("fetch summary %q, want %q", got, want)
	}

	items = ftItems(t, db, id)
	for _, tc := range []struct {
		url            string
		id             int64 // 0: a new item
		title, summary string
		read, starred  bool
		firms          []string
	}{
		{"https://chipwire.example/news/1", one.ID, "Huawei ships new Ascend accelerators (updated)", "The firm said volumes would double next year.", true, false, []string{"huawei"}},
		{"https://chipwire.example/news/2", two.ID, "Moore Threads raises new funds", "The GPU maker closed a larger round than first reported.", false, true, []string{"moore-threads"}},
		{"https://chipwire.example/news/3", items["https://chipwire.example/news/3"].ID, "Weather turns cold in Shanghai", "Nothing about chips here.", false, false, []string{}},
		{"https://chipwire.example/news/4", 0, "Cambricon posts record revenue", "Sales of its accelerators grew.", false, false, []string{"cambricon"}},
	} {
		it, ok := items[tc.url]
		if !ok {
			t.Errorf("no item %s after the re-fetch", tc.url)
			continue
		}
		if tc.id != 0 && it.ID != tc.id {
			t.Errorf("%s changed ID from %d to %d", tc.url, tc.id, it.ID)
		}
		if it.Title != tc.title || it.Summary != tc.summary {
			t.Errorf("%s: title %q summary %q; want %q %q", tc.url, it.Title, it.Summary, tc.title, tc.summary)
		}
		if it.Read != tc.read || it.Starred != tc.starred {
			t.Errorf("%s: read %v starred %v; want %v %v", tc.url, it.Read, it.Starred, tc.read, tc.starred)
		}
		if !slices.Equal(it.Firms, tc.firms) {
			t.Errorf("%s: firms %v, want %v", tc.url, it.Firms, tc.firms)
		}
	}
	if len(items) != 4 {
		t.Errorf("feed has %d items, want 4", len(items))
	}
}

// TestFeedsAdd checks feed discovery and the checks feeds add makes.
func TestFeedsAdd(t *testing.T) {
	site := newFTSite(t)
	feedURL := site.set("/feed.xml", "application/rss+xml", ftFixture(t, "news-v1.rss"))
	pageURL := site.set("/page.html", "text/html; charset=utf-8", ftFixture(t, "page.html"))
	plainURL := site.set("/plain.html", "text/html; charset=utf-8", ftFixture(t, "plain.html"))
	db := ftStore(t)

	// A web page that links to a feed adds the feed.
	_, added, r := ftAdd(t, db, pageURL)
	if added != feedURL {
		t.Errorf("added %s for a page linking to %s", added, feedURL)
	}
	if want := pageURL + " is a web page; adding its feed " + feedURL; !strings.Contains(r.stdout, want) {
		t.Errorf("feeds add did not say %q:\n%s", want, r.stdout)
	}
	for _, f := range ftFeeds(t, db) {
		if f.URL == pageURL {
			t.Errorf("the page itself was added as feed %d", f.ID)
		}
	}

	// Adding it again, by either URL, is refused.
	for _, u := range []string{feedURL, pageURL} {
		r = ftRun(t, db, 1, "feeds", "add", u)
		if !strings.Contains(r.stderr, "already") {
			t.Errorf("feeds add %s twice: %q, want it to say the feed is already there", u, r.stderr)
		}
	}

	// A page that links to no feed is added as given, with a note.
	_, added, r = ftAdd(t, db, plainURL)
	if added != plainURL || !strings.Contains(r.stderr, "adding it as given") || !strings.Contains(r.stderr, "--html") {
		t.Errorf("feeds add of a page without a feed added %s, stderr %q", added, r.stderr)
	}

	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no URL", []string{}, 2, "feeds add takes one URL"},
		{"two URLs", []string{feedURL, pageURL}, 2, "feeds add takes one URL"},
		{"not http", []string{"ftp://example.com/feed"}, 1, `"ftp://example.com/feed" is not an http(s) URL`},
		{"no host", []string{"http:///feed"}, 1, "is not an http(s) URL"},
		{"html without item", []string{site.URL + "/x.html", "--html"}, 2, "--html needs --item"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ftRun(t, db, tc.code, append([]string{"feeds", "add"}, tc.args...)...)
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr %q, want it to contain %q", r.stderr, tc.stderr)
			}
		})
	}
}

// TestFetchHTMLFeed scrapes an HTML list page added with selectors.
func TestFetchHTMLFeed(t *testing.T) {
	site := newFTSite(t)
	url := site.set("/zh/list.html", "text/html; charset=utf-8", ftFixture(t, "list.html"))
	db := ftStore(t)
	// The dates (2026-02-20) need no --date-layout: the date reader feeds
	// use reads them, in China's zone.
	id, added, r := ftAdd(t, db, url, "--html", "--item", "ul.news li", "--title-sel", "a", "--link", "a",
		"--date", "span.date", "--category", "Chips")
	if added != url {
		t.Errorf("an HTML feed was added as %s, want %s", added, url)
	}
	if hits, _ := site.counts("/zh/list.html"); hits != 1 || !strings.Contains(r.stdout, "Saved 3 new items") {
		t.Errorf("feeds add --html fetched the page %d times, want once to check the rule and save its items:\n%s", hits, r.stdout)
	}

	r = ftRun(t, db, 0, "fetch", "--all")
	if got, want := lastLine(r.stdout), "1 feeds: 0 updated, 1 not modified, 0 failed; 0 new items"; got != want {
		t.Errorf("fetch summary %q, want %q", got, want)
	}
	items := ftItems(t, db, id)
	for _, tc := range []struct {
		url, title, published string
		firms                 []string
	}{
		{site.URL + "/news/101.html", "华为发布新款昇腾芯片", "2026-02-19T16:00:00Z", []string{"huawei"}},
		{site.URL + "/zh/news/102.html", "摩尔线程完成新一轮融资", "2026-02-20T16:00:00Z", []string{"moore-threads"}},
		{"https://other.example/103", "上海举办人工智能大会", "2026-02-21T16:00:00Z", []string{}},
	} {
		it, ok := items[tc.url]
		if !ok {
			t.Errorf("no item %s; have %v", tc.url, items)
			continue
		}
		if it.Title != tc.title || it.Published != tc.published || it.Lang != "zh" {
			t.Errorf("%s: %q %s %s; want %q %s zh", tc.url, it.Title, it.Published, it.Lang, tc.title, tc.published)
		}
		if !slices.Equal(it.Firms, tc.firms) {
			t.Errorf("%s: firms %v, want %v", tc.url, it.Firms, tc.firms)
		}
	}
	if f := ftFeed(t, db, url); f.Kind != "html" || f.Title != "芯片新闻" || f.Category != "Chips" {
		t.Errorf("feed %+v, want kind html, the page's title and category Chips", f)
	}
}

// TestFeedsAddHTMLRuleChecked checks a list page's rule on the page when
// it is added: dates that no format fits are refused, naming the text, and
// nothing is added; a layout that fits is then accepted.
func TestFeedsAddHTMLRuleChecked(t *testing.T) {
	site := newFTSite(t)
	page := regexp.MustCompile(`2026-02-(\d\d)`).ReplaceAllString(string(ftFixture(t, "list.html")), "Feb~$1~2026")
	url := site.set("/zh/odd.html", "text/html; charset=utf-8", []byte(page))
	db := ftStore(t)
	before := len(ftFeeds(t, db))
	args := []string{"feeds", "add", url, "--html", "--item", "ul.news li", "--date", "span.date"}
	r := ftRun(t, db, 1, args...)
	if want := `no date format fits "Feb~20~2026" (the text of "span.date"); give its Go layout`; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q, want it to contain %q", r.stderr, want)
	}
	if n := len(ftFeeds(t, db)); n != before {
		t.Errorf("a refused page was added: %d feeds, had %d", n, before)
	}
	r = ftRun(t, db, 1, append(args, "--item", "ol.none li")...)
	if !strings.Contains(r.stderr, `no items matched selector "ol.none li"`) {
		t.Errorf("stderr %q", r.stderr)
	}
	id, _, r := ftAdd(t, db, append(args[2:], "--date-layout", "Jan~02~2006")...)
	if !strings.Contains(r.stdout, "Saved 3 new items") {
		t.Errorf("with a layout that fits:\n%s", r.stdout)
	}
	if it := ftItems(t, db, id)["https://other.example/103"]; it.Published != "2026-02-21T16:00:00Z" {
		t.Errorf("published %s, want 2026-02-21T16:00:00Z", it.Published)
	}
}

// TestFetchFailingFeed checks how a failing feed is reported by fetch and
// feeds list, and that it backs off.
func TestFetchFailingFeed(t *testing.T) {
	site := newFTSite(t)
	okURL := site.set("/ok.xml", "application/rss+xml", ftFixture(t, "news-v1.rss"))
	badURL := site.fail("/bad.xml", http.StatusInternalServerError)
	db := ftStore(t)
	okID, _, _ := ftAdd(t, db, okURL)
	badID, _, _ := ftAdd(t, db, badURL, "--no-discover", "--title", "Broken Wire")

	r := ftRun(t, db, 0, "fetch", "--all")
	var failed []string
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(l, "failed") {
			failed = append(failed, l)
		}
	}
	wantLine := regexp.MustCompile(`^failed +` + strconv.FormatInt(badID, 10) + ` +Broken Wire: .*HTTP 500 Internal Server Error$`)
	if len(failed) != 1 || !wantLine.MatchString(failed[0]) {
		t.Errorf("fetch printed failure lines %q, want one matching %s", failed, wantLine)
	}
	// feeds add saved the good feed's items: it is not modified since.
	if got, want := lastLine(r.stdout), "2 feeds: 0 updated, 1 not modified, 1 failed; 0 new items"; got != want {
		t.Errorf("fetch summary %q, want %q", got, want)
	}

	r = ftRun(t, db, 0, "feeds", "list")
	var row string
	for _, l := range strings.Split(r.stdout, "\n") {
		if f := strings.Fields(l); len(f) > 2 && f[0] == strconv.FormatInt(badID, 10) && f[1] != "feeds," {
			row = l
			break
		}
	}
	if !strings.Contains(row, "failing×1") || !strings.Contains(row, "HTTP 500") || !strings.Contains(row, "never") {
		t.Errorf("feeds list row for the failing feed: %q", row)
	}
	if !strings.Contains(r.stdout, ", 1 failing.") {
		t.Errorf("feeds list footer does not count the failing feed:\n%s", lastLine(r.stdout))
	}

	check := func(failures int, wait time.Duration) {
		t.Helper()
		bad := ftFeed(t, db, badURL)
		if bad.Status != "failing" || bad.Failures != failures || bad.LastStatus != http.StatusInternalServerError ||
			!strings.Contains(bad.LastError, "HTTP 500") || bad.LastSuccess != "" {
			t.Errorf("failing feed in feeds list --json: %+v", bad)
		}
		if want := testNow.Add(wait).UTC().Format(time.RFC3339); bad.NextTry != want {
			t.Errorf("failing feed next_try %s, want %s", bad.NextTry, want)
		}
		if ok := ftFeed(t, db, okURL); ok.Status != "ok" || ok.Failures != 0 || ok.LastError != "" || ok.ID != okID {
			t.Errorf("working feed in feeds list --json: %+v", ok)
		}
	}
	check(1, time.Minute)

	// Backing off, the failing feed is not due on the next run…
	before, _ := site.counts("/bad.xml")
	r = ftRun(t, db, 0, "fetch")
	// (the working feed, fetched a moment ago, is not due either)
	if got, want := lastLine(r.stdout), "0 feeds: 0 updated, 0 not modified, 0 failed; 0 new items"; got != want {
		t.Errorf("fetch while backing off: %q, want %q", got, want)
	}
	if after, _ := site.counts("/bad.xml"); after != before {
		t.Errorf("a feed backing off was fetched")
	}
	// …but --feed fetches it anyway, and the wait doubles.
	r = ftRun(t, db, 0, "fetch", "--feed", strconv.FormatInt(badID, 10))
	if got, want := lastLine(r.stdout), "1 feeds: 0 updated, 0 not modified, 1 failed; 0 new items"; got != want {
		t.Errorf("fetch --feed: %q, want %q", got, want)
	}
	check(2, 2*time.Minute)
}

// TestFetchBadStore checks that fetch exits 1 only when the store cannot
// be used.
func TestFetchBadStore(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte("these are my notes, not a database\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, db, stderr string
	}{
		{"not an SQLite file", notDB, "not an SQLite database"},
		{"a directory", dir, dir},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, "", "", "--db", tc.db, "fetch")
			if r.code != 1 {
				t.Fatalf("fetch exit %d, want 1\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
			}
			if !strings.HasPrefix(r.stderr, "aiwatch: ") || !strings.Contains(r.stderr, tc.stderr) || r.stdout != "" {
				t.Errorf("stdout %q, stderr %q; want only an error naming %q", r.stdout, r.stderr, tc.stderr)
			}
		})
	}
	if b, err := os.ReadFile(notDB); err != nil || !strings.HasPrefix(string(b), "these are my notes") {
		t.Errorf("the non-SQLite file was changed: %q, %v", b, err)
	}
}

// TestFeedsByIDErrors checks rm, enable and disable with bad IDs.
func TestFeedsByIDErrors(t *testing.T) {
	db := newStore(t)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"rm no ID", []string{"rm"}, 2, "feeds rm takes one or more feed IDs"},
		{"rm a missing one of two", []string{"rm", "1", "99999"}, 1, "feed 99999: not found"},
		{"rm word", []string{"rm", "abc"}, 2, `"abc" is not a feed ID`},
		{"rm zero", []string{"rm", "0"}, 2, `"0" is not a feed ID`},
		{"rm missing", []string{"rm", "99999"}, 1, "feed 99999: not found"},
		{"enable missing", []string{"enable", "99999"}, 1, "feed 99999: not found"},
		{"enable word", []string{"enable", "one"}, 2, `"one" is not a feed ID`},
		{"disable missing", []string{"disable", "424242"}, 1, "feed 424242: not found"},
		{"disable no ID", []string{"disable"}, 2, "feeds disable takes one or more feed IDs"},
		{"unknown subcommand", []string{"frob"}, 2, `unknown feeds subcommand "frob"`},
		{"no subcommand", []string{}, 2, "feeds needs a subcommand"},
		{"fetch bad feed ID", nil, 2, `"x" is not a feed ID`},
		{"fetch missing feed", nil, 1, "feed 99999: not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"feeds"}, tc.args...)
			switch tc.name {
			case "fetch bad feed ID":
				args = []string{"fetch", "--feed", "x"}
			case "fetch missing feed":
				args = []string{"fetch", "--feed", "99999"}
			}
			r := ftRun(t, db, tc.code, args...)
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr %q, want it to contain %q", r.stderr, tc.stderr)
			}
		})
	}
}

// TestFeedsSeveralIDs disables, enables and removes several feeds at
// once, like read and star take several items; one unknown ID changes
// nothing.
func TestFeedsSeveralIDs(t *testing.T) {
	db := ftStore(t)
	var ids []string
	for _, f := range ftFeeds(t, db) {
		if f.Kind != "builtin" && len(ids) < 3 {
			ids = append(ids, strconv.FormatInt(f.ID, 10))
		}
	}
	state := func() map[string]bool {
		m := map[string]bool{}
		for _, f := range ftFeeds(t, db) {
			m[strconv.FormatInt(f.ID, 10)] = f.Enabled
		}
		return m
	}
	ftRun(t, db, 0, append([]string{"feeds", "enable"}, ids...)...)
	r := ftRun(t, db, 1, "feeds", "disable", ids[0], "99999", ids[1])
	if !strings.Contains(r.stderr, "feed 99999: not found") {
		t.Errorf("stderr %q", r.stderr)
	}
	if s := state(); !s[ids[0]] || !s[ids[1]] {
		t.Errorf("a refused disable changed feeds: %v", s)
	}
	r = ftRun(t, db, 0, append([]string{"feeds", "disable"}, ids...)...)
	s := state()
	for _, id := range ids {
		if s[id] || !strings.Contains(r.stdout, "Feed "+id+" disabled.") {
			t.Errorf("feed %s: enabled %v after disable:\n%s", id, s[id], r.stdout)
		}
	}
	ftRun(t, db, 0, "feeds", "rm", ids[0], ids[1], ids[0])
	s = state()
	if _, ok := s[ids[0]]; ok {
		t.Errorf("feed %s is still there", ids[0])
	}
	if _, ok := s[ids[1]]; ok {
		t.Errorf("feed %s is still there", ids[1])
	}
	if _, ok := s[ids[2]]; !ok {
		t.Errorf("feed %s was removed too", ids[2])
	}
}

// TestRemovedFeedStaysRemoved removes a reference feed and reseeds.
func TestRemovedFeedStaysRemoved(t *testing.T) {
	db := ftStore(t)
	var gone, kept feedJSON
	for _, f := range ftFeeds(t, db) {
		if f.Kind != "builtin" {
			if gone.ID == 0 {
				gone = f
			} else if kept.ID == 0 {
				kept = f
			}
		}
	}
	if gone.ID == 0 || kept.ID == 0 {
		t.Fatal("the store has fewer than two reference feeds")
	}
	r := ftRun(t, db, 0, "feeds", "rm", strconv.FormatInt(gone.ID, 10))
	if want := "Removed feed " + strconv.FormatInt(gone.ID, 10) + " and its 0 items."; strings.TrimSpace(r.stdout) != want {
		t.Errorf("feeds rm printed %q, want %q", r.stdout, want)
	}
	ftRun(t, db, 1, "feeds", "rm", strconv.FormatInt(gone.ID, 10))

	// Make the store look seeded by an older dataset, so the next command reseeds.
	sdb, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.SQL().Exec(`UPDATE meta SET value = 'older' WHERE key = 'dataset_version'`); err != nil {
		t.Fatal(err)
	}
	sdb.Close()

	feeds := ftFeeds(t, db)
	ds, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	sdb, err = sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	var v string
	err = sdb.SQL().QueryRow(`SELECT value FROM meta WHERE key = 'dataset_version'`).Scan(&v)
	sdb.Close()
	if err != nil || v != ds.Version {
		t.Fatalf("the store was not reseeded: dataset_version %q (%v), want %q", v, err, ds.Version)
	}
	for _, f := range feeds {
		if f.URL == gone.URL {
			t.Errorf("removed feed %s came back as feed %d after a reseed", gone.URL, f.ID)
		}
		if f.URL == kept.URL && (f.ID != kept.ID || f.Enabled) {
			t.Errorf("feed %s after a reseed: ID %d enabled %v; want ID %d, still disabled", f.URL, f.ID, f.Enabled, kept.ID)
		}
	}

	// Adding the URL by hand brings it back.
	id, _, _ := ftAdd(t, db, gone.URL, "--no-discover")
	if f := ftFeed(t, db, gone.URL); f.ID != id || !f.Enabled {
		t.Errorf("re-added feed: %+v", f)
	}
}

// TestOPMLRoundTrip exports one store's feeds and imports them into another.
func TestOPMLRoundTrip(t *testing.T) {
	src := ftStore(t)
	type feed struct{ title, category, kind string }
	mine := map[string]feed{
		"http://127.0.0.1:9/chips.xml":   {"Chip Wire", "Chips/GPU", "feed"},
		"http://127.0.0.1:9/policy.xml":  {"Policy Watch", "Policy", "feed"},
		"http://127.0.0.1:9/nocat.xml":   {"Loose Feed", "", "feed"},
		"http://127.0.0.1:9/zh/list.htm": {"芯片新闻", "Chips/中文", "html"},
	}
	for u, f := range mine {
		args := []string{u, "--no-discover", "--title", f.title}
		if f.category != "" {
			args = append(args, "--category", f.category)
		}
		if f.kind == "html" {
			args = append(args, "--html", "--item", "ul.news li", "--date", "span.date", "--date-layout", "2006-01-02")
		}
		ftAdd(t, src, args...)
	}
	disabled, _, _ := ftAdd(t, src, "http://127.0.0.1:9/off.xml", "--no-discover", "--title", "Switched Off", "--category", "Policy")
	ftRun(t, src, 0, "feeds", "disable", strconv.FormatInt(disabled, 10))
	mine["http://127.0.0.1:9/off.xml"] = feed{"Switched Off", "Policy", "feed"}

	export := ftRun(t, src, 0, "opml", "export").stdout
	opmlFile := filepath.Join(t.TempDir(), "feeds.opml")
	if err := os.WriteFile(opmlFile, []byte(export), 0o644); err != nil {
		t.Fatal(err)
	}

	dst := newStore(t)
	defaults := 0
	for _, f := range ftFeeds(t, dst) {
		if f.Kind != "builtin" {
			defaults++
		}
	}
	r := ftRun(t, dst, 0, "opml", "import", opmlFile)
	if want := "Imported " + strconv.Itoa(len(mine)) + " feeds (" + strconv.Itoa(defaults) + " already present)."; strings.TrimSpace(r.stdout) != want {
		t.Errorf("first import: %q, want %q", r.stdout, want)
	}
	got := map[string]feedJSON{}
	for _, f := range ftFeeds(t, dst) {
		got[f.URL] = f
	}
	for u, want := range mine {
		f, ok := got[u]
		if !ok {
			t.Errorf("feed %s was not imported", u)
			continue
		}
		if f.Title != want.title || f.Category != want.category || f.Kind != want.kind {
			t.Errorf("%s imported as %q %q %q, want %q %q %q", u, f.Title, f.Category, f.Kind, want.title, want.category, want.kind)
		}
		if wantOn := u != "http://127.0.0.1:9/off.xml"; f.Enabled != wantOn {
			t.Errorf("%s imported with enabled %v, want %v", u, f.Enabled, wantOn)
		}
	}

	r = ftRun(t, dst, 1, "opml", "import", "-")
	if !strings.Contains(r.stderr, "opml: not an OPML document: the file holds no XML element") {
		t.Errorf("import of an empty stdin: %q", r.stderr)
	}
	r = ftRun(t, dst, 0, "opml", "import", opmlFile)
	if want := "Imported 0 feeds (" + strconv.Itoa(len(mine)+defaults) + " already present)."; strings.TrimSpace(r.stdout) != want {
		t.Errorf("second import: %q, want %q", r.stdout, want)
	}
	if n := len(ftFeeds(t, dst)); n != len(got) {
		t.Errorf("the second import changed the number of feeds from %d to %d", len(got), n)
	}

	// The exported rule comes back intact.
	sdb, err := sqlite.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	f, err := sdb.Feed(context.Background(), got["http://127.0.0.1:9/zh/list.htm"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if f.HTML == nil || f.HTML.Item != "ul.news li" || f.HTML.Date != "span.date" || f.HTML.DateLayout != "2006-01-02" {
		t.Errorf("imported HTML rule %+v", f.HTML)
	}
}

// TestFetchLock checks that fetch refuses to run while another holds the
// lock, and that --wait waits for it.
func TestFetchLock(t *testing.T) {
	site := newFTSite(t)
	url := site.set("/news.xml", "application/rss+xml", ftFixture(t, "news-v1.rss"))
	db := ftStore(t)
	ftAdd(t, db, url)

	lock, err := lockFetch(db, false)
	if err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, db, "", "fetch")
	if r.code == 0 {
		t.Fatalf("fetch ran while the lock was held:\n%s", r.stdout)
	}
	if want := "(pid " + strconv.Itoa(os.Getpid()) + ")"; !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "--wait") {
		t.Errorf("stderr %q, want it to name the holder %s and suggest --wait", r.stderr, want)
	}
	if hits, _ := site.counts("/news.xml"); hits != 1 { // the one from feeds add
		t.Errorf("fetch made %d requests while locked out", hits-1)
	}

	done := make(chan result, 1)
	go func() { done <- runCLI(t, db, "", "fetch", "--all", "--wait") }()
	select {
	case r := <-done:
		t.Fatalf("fetch --wait did not wait for the lock: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	case <-time.After(200 * time.Millisecond):
	}
	lock.unlock()
	select {
	case r := <-done:
		if r.code != 0 || lastLine(r.stdout) != "1 feeds: 0 updated, 1 not modified, 0 failed; 0 new items" {
			t.Errorf("fetch --wait after the lock was freed: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("fetch --wait still waiting 30s after the lock was freed")
	}

	// Released by the fetch, the lock can be taken again.
	lock, err = lockFetch(db, false)
	if err != nil {
		t.Fatalf("the lock was not released after fetch: %v", err)
	}
	lock.unlock()
}

// TestFetchLimitsItsMemory: fetch sets the process's soft memory limit
// to fetchGoLimit, unless one is set already or $GOMEMLIMIT names one.
func TestFetchLimitsItsMemory(t *testing.T) {
	db := newStore(t)
	for _, tc := range []struct {
		name       string
		current    int64
		gomemlimit string
		want       []int64 // the calls that set a limit
	}{
		{"no limit yet", math.MaxInt64, "", []int64{fetchGoLimit}},
		{"a limit already", 1 << 30, "", nil},
		{"GOMEMLIMIT set", math.MaxInt64, "1GiB", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var set []int64
			vars := map[string]string{"AIWATCH_DB": db}
			if tc.gomemlimit != "" {
				vars["GOMEMLIMIT"] = tc.gomemlimit
			}
			// A fetch of a feed that is not there: the limit is set
			// before the store is asked anything.
			runEnvWith(t, vars, func(e *env) {
				e.memoryLimit = func(n int64) int64 {
					if n >= 0 {
						set = append(set, n)
					}
					return tc.current
				}
			}, "fetch", "--feed", "999999")
			if !slices.Equal(set, tc.want) {
				t.Errorf("limits set %v, want %v", set, tc.want)
			}
		})
	}
}
