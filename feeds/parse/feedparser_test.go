package parse_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/feeds/parse"
)

// feedparserDir holds 189 cases from the Universal Feed Parser's own test
// corpus (BSD-2-Clause, see its LICENSE), copied from
// shared/testdata/feedparser.
var feedparserDir = filepath.Join("testdata", "feedparser")

// fpCase is one line of cases.jsonl.
type fpCase struct {
	ID        int               `json:"id"`
	File      string            `json:"file"`
	Format    string            `json:"format"`
	Kind      string            `json:"kind"` // title, link or date
	Expected  string            `json:"expected"`
	TitleType *string           `json:"title_type"`
	Headers   map[string]string `json:"headers"`
}

// feedparserExpectedFailures are the cases aiwatch reads differently from
// feedparser on purpose, or not yet, each with the reason. The test fails
// when one of them starts to pass (take it out of the table) as well as
// when any other case fails.
var feedparserExpectedFailures = map[string]string{
	"wellformed/base/http_entry_link_base_content_location.xml": contentLocation,
	"wellformed/base/http_item_link_base_content_location.xml":  contentLocation,
	"wellformed/sanitize/entry_title_crazy.xml": "feedparser's sanitizer keeps the text of the document's <head> " +
		"(its <title>) and of a <script> whose start tag spans lines; aiwatch, like a browser, shows neither",
}

// contentLocation is why a link is not resolved against Content-Location.
const contentLocation = "HTTP no longer makes Content-Location a base URI (RFC 7231 appendix B) and browsers " +
	"do not use it as one; aiwatch resolves against the URL it fetched, so a response cannot send relative " +
	"links to another host without a redirect"

// TestFeedparserCorpus serves every case file from 127.0.0.1 with the
// headers its test needs, reads it as the refresher does (the fetch client,
// then parse.Open and every batch of Next) and compares the first item's
// title, link or date as the corpus README says is fair for a reader that
// stores plain text.
func TestFeedparserCorpus(t *testing.T) {
	cases := loadFeedparserCases(t)
	mux := http.NewServeMux()
	for _, c := range cases {
		body, err := os.ReadFile(filepath.Join(feedparserDir, c.File))
		if err != nil {
			t.Fatal(err)
		}
		mux.HandleFunc("/"+c.File, func(w http.ResponseWriter, r *http.Request) {
			for k, v := range c.Headers {
				w.Header().Set(k, v)
			}
			if w.Header().Get("Content-Type") == "" {
				w.Header().Set("Content-Type", "application/xml")
			}
			w.Write(body)
		})
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := fetch.New(fetch.Options{Version: "test", Timeout: 5 * time.Second})

	passed := 0
	for _, c := range cases {
		name := strings.TrimPrefix(c.File, "tests/")
		ok := t.Run(name, func(t *testing.T) {
			got, want, err := readFeedparserCase(client, srv.URL, c)
			reason, expectFail := feedparserExpectedFailures[name]
			switch {
			case err == nil && got == want && expectFail:
				t.Errorf("%s: passes now (%q); take it out of feedparserExpectedFailures (%s)", c.Kind, got, reason)
			case err == nil && got == want:
			case expectFail:
				t.Logf("expected failure (%s): %s = %q (err %v), feedparser %q", reason, c.Kind, got, err, want)
			case err != nil:
				t.Errorf("%s: %v", c.Kind, err)
			default:
				t.Errorf("%s = %q, want %q", c.Kind, got, want)
			}
		})
		if ok {
			if _, expectFail := feedparserExpectedFailures[name]; !expectFail {
				passed++
			}
		}
	}
	t.Logf("%d of %d feedparser cases pass; %d fail as expected", passed, len(cases), len(feedparserExpectedFailures))
	for name := range feedparserExpectedFailures {
		if !hasCase(cases, name) {
			t.Errorf("feedparserExpectedFailures names %s, which is not a case", name)
		}
	}
}

func hasCase(cases []fpCase, name string) bool {
	for _, c := range cases {
		if strings.TrimPrefix(c.File, "tests/") == name {
			return true
		}
	}
	return false
}

func loadFeedparserCases(t *testing.T) []fpCase {
	t.Helper()
	f, err := os.Open(filepath.Join(feedparserDir, "cases.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []fpCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c fpCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("cases.jsonl: %v", err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cases) != 189 {
		t.Fatalf("cases.jsonl has %d cases, want 189", len(cases))
	}
	return cases
}

// readFeedparserCase fetches and parses one case and returns the first
// item's field as aiwatch stores it and feedparser's value made fair.
func readFeedparserCase(client *fetch.Client, origin string, c fpCase) (got, want string, err error) {
	feedURL := origin + "/" + c.File
	resp, err := client.Fetch(context.Background(), fetch.Request{URL: feedURL})
	if err != nil {
		return "", "", err
	}
	s, err := parse.Open(resp.Body, resp.ContentType, resp.URL, corpusNow)
	if err != nil {
		return "", "", err
	}
	defer s.Close()
	items, err := s.Next()
	if err != nil {
		return "", "", err
	}
	if len(items) == 0 {
		return "", "", errNoItems
	}
	it := items[0]
	switch c.Kind {
	case "title":
		return it.Title, fairTitle(c.Expected, c.TitleType), nil
	case "link":
		return it.URL, fairLink(c.Expected, origin, resp.URL), nil
	case "date":
		w, err := time.Parse(time.RFC3339, c.Expected)
		if err != nil {
			return "", "", err
		}
		return it.Published.UTC().Format(time.RFC3339), w.UTC().Format(time.RFC3339), nil
	}
	return "", "", errUnknownKind
}

type testError string

func (e testError) Error() string { return string(e) }

const (
	errNoItems     testError = "the document has no items"
	errUnknownKind testError = "unknown case kind"
)

// fairTitle is feedparser's title as plain text: markup stripped for HTML
// and XHTML titles, entities decoded, white space collapsed.
func fairTitle(s string, titleType *string) string {
	if titleType != nil && strings.Contains(*titleType, "html") {
		s = markupText(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// markupText is the text of an HTML fragment, with a space where a block
// element starts or ends.
func markupText(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "blockquote":
				b.WriteByte(' ')
			}
		}
	}
}

// feedparserOrigin is where feedparser's own tests serve the corpus;
// expectations relative to the document's URI name it.
const feedparserOrigin = "http://127.0.0.1:8097"

// fairLink is feedparser's link resolved against the feed's URL, with
// feedparser's test server replaced by ours, or "" for a link that is not
// http(s): aiwatch refuses those.
func fairLink(s, origin, feedURL string) string {
	if rest, ok := strings.CutPrefix(s, feedparserOrigin+"/"); ok {
		s = origin + "/" + rest
	}
	base, err := url.Parse(feedURL)
	if err != nil {
		return s
	}
	u, err := base.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.String()
}

// TestFeedparserCopyIsCurrent checks the repository's copy of the cases
// against the shared one, where that is at hand.
func TestFeedparserCopyIsCurrent(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "testdata", "feedparser")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("no shared corpus beside the repository: %v", err)
	}
	err := filepath.WalkDir(shared, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(shared, path)
		want, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		got, err := os.ReadFile(filepath.Join(feedparserDir, rel))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("testdata/feedparser/%s differs from the shared corpus (copy it again): %v", rel, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
