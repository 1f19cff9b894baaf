package feeds_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/feeds"
	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/feeds/html"
	"github.com/aiwatch/aiwatch/store"
)

// now is the fixed clock of every refresh here; the fixtures' dates lie
// before it.
var now = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// memStore is an in-memory feeds.Store that keeps feed state the way the
// SQLite store does and remembers every RecordFetch call.
type memStore struct {
	mu     sync.Mutex
	feeds  map[int64]*store.Feed
	items  map[int64]map[string]store.Item // feed ID → key → item
	calls  []recordCall
	dueErr error
}

// recordCall is one RecordFetch call.
type recordCall struct {
	feedID int64
	res    store.FetchResult
	items  []store.Item
}

func newMemStore(fs ...store.Feed) *memStore {
	s := &memStore{feeds: map[int64]*store.Feed{}, items: map[int64]map[string]store.Item{}}
	for i, f := range fs {
		if f.ID == 0 {
			f.ID = int64(i + 1)
		}
		if f.Kind == "" {
			f.Kind = "feed"
		}
		f.Enabled = true
		s.feeds[f.ID] = &f
	}
	return s
}

func (s *memStore) DueFeeds(_ context.Context, now time.Time, ids []int64) ([]store.Feed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dueErr != nil {
		return nil, s.dueErr
	}
	var out []store.Feed
	for _, f := range s.feeds {
		if len(ids) > 0 {
			if slices.Contains(ids, f.ID) {
				out = append(out, *f)
			}
			continue
		}
		if f.Enabled && !f.NextTry.After(now) {
			out = append(out, *f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *memStore) RecordFetch(_ context.Context, feedID int64, r store.FetchResult, next store.Batches) (store.SaveStats, error) {
	items, err := store.Collect(next)
	if err != nil {
		return store.SaveStats{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, recordCall{feedID, r, slices.Clone(items)})
	f := s.feeds[feedID]
	if f == nil {
		return store.SaveStats{}, fmt.Errorf("feed %d: %w", feedID, store.ErrNotFound)
	}
	f.LastCheck, f.LastStatus, f.NextTry = r.At, r.Status, r.NextTry
	if r.Err != "" {
		f.LastError = r.Err
		f.Failures++
		return store.SaveStats{}, nil
	}
	f.LastSuccess, f.LastError, f.Failures = r.At, "", 0
	if !r.NotModified {
		f.ETag, f.LastModified = r.ETag, r.LastModified
	}
	if f.Title == "" {
		f.Title = r.Title
	}
	var st store.SaveStats
	if r.NotModified {
		return st, nil
	}
	have := s.items[feedID]
	if have == nil {
		have = map[string]store.Item{}
		s.items[feedID] = have
	}
	for _, it := range items {
		old, ok := have[it.Key]
		switch {
		case !ok:
			st.New++
		case old.Title != it.Title || old.Summary != it.Summary || old.Content != it.Content:
			st.Updated++
		default:
			st.Unchanged++
		}
		have[it.Key] = it
	}
	return st, nil
}

// feed returns a copy of a feed's state.
func (s *memStore) feed(id int64) store.Feed {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.feeds[id]
}

// savesWithItems counts the RecordFetch calls that carried items.
func (s *memStore) savesWithItems() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if len(c.items) > 0 {
			n++
		}
	}
	return n
}

// lastCall returns the last RecordFetch call for a feed.
func (s *memStore) lastCall(t *testing.T, id int64) recordCall {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.calls) - 1; i >= 0; i-- {
		if s.calls[i].feedID == id {
			return s.calls[i]
		}
	}
	t.Fatalf("no RecordFetch call for feed %d", id)
	return recordCall{}
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// serveBytes answers every request with body.
func serveBytes(contentType string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}
}

func newRefresher(st feeds.Store, tagger feeds.Tagger, concurrency int) *feeds.Refresher {
	client := fetch.New(fetch.Options{Timeout: 10 * time.Second, PerHost: 64})
	return feeds.NewRefresher(st, client, tagger, feeds.Options{Concurrency: concurrency, Now: func() time.Time { return now }})
}

// newRefresherAll refreshes every enabled feed, due or not (fetch --all).
func newRefresherAll(st feeds.Store) *feeds.Refresher {
	client := fetch.New(fetch.Options{Timeout: 10 * time.Second, PerHost: 64})
	return feeds.NewRefresher(st, client, nil, feeds.Options{Concurrency: 4, Now: func() time.Time { return now }, All: true})
}

func refresh(t *testing.T, r *feeds.Refresher) feeds.Summary {
	t.Helper()
	sum, err := r.Refresh(context.Background(), nil, nil)
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	return sum
}

// TestConditionalGet checks that a second refresh sends the validators the
// first one stored, and that a 304 is recorded as not modified with no
// items saved.
func TestConditionalGet(t *testing.T) {
	const etag, lastMod = `"v1"`, "Fri, 20 Feb 2026 08:00:00 GMT"
	body := fixture(t, "news.rss")
	for _, tc := range []struct {
		name             string
		etag, lastMod    string // what the server sends
		wantINM, wantIMS string // what the second request must carry
	}{
		{"etag and last-modified", etag, lastMod, etag, lastMod},
		{"etag only", etag, "", etag, ""},
		{"last-modified only", "", lastMod, "", lastMod},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var got []http.Header
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				got = append(got, r.Header.Clone())
				mu.Unlock()
				if (tc.etag != "" && r.Header.Get("If-None-Match") == tc.etag) ||
					(tc.etag == "" && tc.lastMod != "" && r.Header.Get("If-Modified-Since") == tc.lastMod) {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				if tc.etag != "" {
					w.Header().Set("ETag", tc.etag)
				}
				if tc.lastMod != "" {
					w.Header().Set("Last-Modified", tc.lastMod)
				}
				w.Header().Set("Content-Type", "application/rss+xml")
				w.Write(body)
			}))
			st := newMemStore(store.Feed{URL: srv.URL + "/feed"})
			r := newRefresher(st, nil, 4)

			first := refresh(t, r)
			if first.Updated != 1 || first.NewItems != 3 {
				t.Fatalf("first refresh: %+v, want 1 updated and 3 new items", first)
			}
			if f := st.feed(1); f.ETag != tc.etag || f.LastModified != tc.lastMod {
				t.Fatalf("stored validators %q, %q; want %q, %q", f.ETag, f.LastModified, tc.etag, tc.lastMod)
			}
			if h := got[0]; h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" {
				t.Errorf("first request was conditional: %v", h)
			}

			// Not due for another half hour: fetch it all the same.
			second := refresh(t, newRefresherAll(st))
			if len(got) != 2 {
				t.Fatalf("server saw %d requests, want 2", len(got))
			}
			if h := got[1]; h.Get("If-None-Match") != tc.wantINM || h.Get("If-Modified-Since") != tc.wantIMS {
				t.Errorf("second request sent If-None-Match %q, If-Modified-Since %q; want %q, %q",
					h.Get("If-None-Match"), h.Get("If-Modified-Since"), tc.wantINM, tc.wantIMS)
			}
			if second.NotModified != 1 || second.Updated != 0 || second.NewItems != 0 {
				t.Errorf("second refresh: %+v, want 1 not modified, 0 updated, 0 new items", second)
			}
			if res := second.Results[0]; res.Outcome != feeds.NotModified || res.Err != nil {
				t.Errorf("second outcome %q (%v), want %q", res.Outcome, res.Err, feeds.NotModified)
			}
			call := st.lastCall(t, 1)
			if !call.res.NotModified || call.res.Status != http.StatusNotModified || call.res.Err != "" {
				t.Errorf("recorded %+v, want a 304 marked not modified", call.res)
			}
			if n := st.savesWithItems(); n != 1 {
				t.Errorf("%d RecordFetch calls carried items, want 1 (the first)", n)
			}
			if f := st.feed(1); f.ETag != tc.etag || f.LastModified != tc.lastMod {
				t.Errorf("validators after the 304: %q, %q; want them kept", f.ETag, f.LastModified)
			}
		})
	}
}

// TestRetryAfterAndBackoff checks NextTry after a failure: the server's
// Retry-After on 429 and 503, else one minute doubled per consecutive
// failure, capped at a day.
func TestRetryAfterAndBackoff(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	deadURL := closed.URL + "/feed"
	closed.Close()

	for _, tc := range []struct {
		name       string
		status     int    // 0: serve a non-feed 200 body
		retryAfter string // Retry-After header
		failures   int    // consecutive failures before this one
		dead       bool   // nothing listens
		want       time.Duration
	}{
		{"429 with Retry-After", 429, "120", 0, false, 2 * time.Minute},
		{"503 with Retry-After", 503, "3600", 0, false, time.Hour},
		{"Retry-After wins over failure count", 503, "90", 6, false, 90 * time.Second},
		{"Retry-After longer than the cap", 429, "172800", 0, false, 48 * time.Hour},
		{"429 without Retry-After", 429, "", 0, false, time.Minute},
		{"503 with bad Retry-After", 503, "soon", 1, false, 2 * time.Minute},
		{"500 ignores Retry-After", 500, "120", 0, false, time.Minute},
		{"first failure", 500, "", 0, false, time.Minute},
		{"second failure", 500, "", 1, false, 2 * time.Minute},
		{"third failure", 404, "", 2, false, 4 * time.Minute},
		{"sixth failure", 403, "", 5, false, 32 * time.Minute},
		{"eleventh failure", 500, "", 10, false, 1024 * time.Minute},
		{"twelfth failure is capped", 500, "", 11, false, 24 * time.Hour},
		{"many failures stay capped", 500, "", 200, false, 24 * time.Hour},
		{"not a feed", 0, "", 3, false, 8 * time.Minute},
		{"connection refused", 0, "", 1, true, 2 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := deadURL
			if !tc.dead {
				srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if tc.retryAfter != "" {
						w.Header().Set("Retry-After", tc.retryAfter)
					}
					if tc.status == 0 {
						w.Header().Set("Content-Type", "text/plain")
						w.Write([]byte("hello, this is not a feed"))
						return
					}
					w.WriteHeader(tc.status)
				}))
				url = srv.URL + "/feed"
			}
			st := newMemStore(store.Feed{URL: url, Failures: tc.failures})
			res := newRefresher(st, nil, 1).RefreshFeed(context.Background(), st.feed(1))

			if res.Outcome != feeds.Failed || res.Err == nil {
				t.Fatalf("outcome %q (%v), want failed", res.Outcome, res.Err)
			}
			call := st.lastCall(t, 1)
			if got := call.res.NextTry.Sub(now); got != tc.want {
				t.Errorf("NextTry = now + %v, want now + %v", got, tc.want)
			}
			if call.res.Err != res.Err.Error() {
				t.Errorf("recorded error %q, want %q", call.res.Err, res.Err.Error())
			}
			wantStatus := tc.status
			if tc.status == 0 && !tc.dead {
				wantStatus = http.StatusOK // the fetch worked; the parse failed
			}
			if call.res.Status != wantStatus {
				t.Errorf("recorded status %d, want %d", call.res.Status, wantStatus)
			}
			if len(call.items) != 0 {
				t.Errorf("a failed fetch saved %d items", len(call.items))
			}
			if f := st.feed(1); f.Failures != tc.failures+1 {
				t.Errorf("failures = %d, want %d", f.Failures, tc.failures+1)
			}
		})
	}
}

// TestRefreshMixed checks that failing feeds do not stop the others and
// that the summary adds up what happened.
func TestRefreshMixed(t *testing.T) {
	body := fixture(t, "news.rss")
	mux := http.NewServeMux()
	mux.Handle("/a", serveBytes("application/rss+xml", body))
	mux.Handle("/b", serveBytes("application/rss+xml", body))
	mux.HandleFunc("/same", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"x"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		t.Errorf("/same was fetched without its ETag")
	})
	mux.HandleFunc("/error", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.Handle("/text", serveBytes("text/plain", []byte("not a feed at all")))
	srv := serve(t, mux)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	st := newMemStore(
		store.Feed{URL: srv.URL + "/a"},
		store.Feed{URL: srv.URL + "/error"},
		store.Feed{URL: srv.URL + "/same", ETag: `"x"`},
		store.Feed{URL: closed.URL + "/gone"},
		store.Feed{URL: srv.URL + "/b"},
		store.Feed{URL: srv.URL + "/text"},
	)
	var calls []int
	sum, err := newRefresher(st, nil, 3).Refresh(context.Background(), nil, func(res feeds.FeedResult, done, total int) {
		if total != 6 {
			t.Errorf("progress total %d, want 6", total)
		}
		calls = append(calls, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := feeds.Summary{Feeds: 6, Updated: 2, NotModified: 1, Failed: 3, NewItems: 6}
	if sum.Feeds != want.Feeds || sum.Updated != want.Updated || sum.NotModified != want.NotModified ||
		sum.Failed != want.Failed || sum.NewItems != want.NewItems {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	if got, w := sum.String(), "6 feeds: 2 updated, 1 not modified, 3 failed; 6 new items"; got != w {
		t.Errorf("String() = %q, want %q", got, w)
	}
	if !reflect.DeepEqual(calls, []int{1, 2, 3, 4, 5, 6}) {
		t.Errorf("progress done counts %v, want 1…6", calls)
	}
	if len(sum.Results) != 6 {
		t.Fatalf("%d results, want 6", len(sum.Results))
	}
	outcomes := map[int64]feeds.Outcome{}
	for _, res := range sum.Results {
		outcomes[res.Feed.ID] = res.Outcome
		if (res.Outcome == feeds.Failed) != (res.Err != nil) {
			t.Errorf("feed %d: outcome %q with error %v", res.Feed.ID, res.Outcome, res.Err)
		}
	}
	wantOutcomes := map[int64]feeds.Outcome{1: feeds.Updated, 2: feeds.Failed, 3: feeds.NotModified, 4: feeds.Failed, 5: feeds.Updated, 6: feeds.Failed}
	if !reflect.DeepEqual(outcomes, wantOutcomes) {
		t.Errorf("outcomes %v, want %v", outcomes, wantOutcomes)
	}
	for id, sub := range map[int64]string{2: "HTTP 500", 4: "refused the connection", 6: "not a feed"} {
		if f := st.feed(id); f.Failures != 1 || !strings.Contains(f.LastError, sub) {
			t.Errorf("feed %d: failures %d, last error %q; want 1 and an error with %q", id, f.Failures, f.LastError, sub)
		}
	}
}

// TestRefreshStoreError checks that Refresh fails only when the store
// cannot list the due feeds.
func TestRefreshStoreError(t *testing.T) {
	st := newMemStore()
	st.dueErr = errors.New("disk on fire")
	_, err := newRefresher(st, nil, 1).Refresh(context.Background(), nil, nil)
	if !errors.Is(err, st.dueErr) {
		t.Fatalf("Refresh error %v, want %v", err, st.dueErr)
	}
}

// TestRefreshOnlyIDs checks that ids select exactly those feeds, due or not.
func TestRefreshOnlyIDs(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(fixture(t, "news.rss"))
	}))
	st := newMemStore(
		store.Feed{URL: srv.URL + "/1"},
		store.Feed{URL: srv.URL + "/2", NextTry: now.Add(time.Hour)},
		store.Feed{URL: srv.URL + "/3"},
	)
	sum, err := newRefresher(st, nil, 2).Refresh(context.Background(), []int64{2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Feeds != 1 || sum.Updated != 1 || hits.Load() != 1 || sum.Results[0].Feed.ID != 2 {
		t.Errorf("refreshing feed 2 only: %+v with %d requests", sum, hits.Load())
	}
}

func TestSummaryString(t *testing.T) {
	for _, tc := range []struct {
		name string
		sum  feeds.Summary
		want string
	}{
		{"typical", feeds.Summary{Feeds: 42, Updated: 30, NotModified: 9, Failed: 3, NewItems: 318},
			"42 feeds: 30 updated, 9 not modified, 3 failed; 318 new items"},
		{"nothing due", feeds.Summary{}, "0 feeds: 0 updated, 0 not modified, 0 failed; 0 new items"},
		{"one feed", feeds.Summary{Feeds: 1, Failed: 1}, "1 feeds: 0 updated, 0 not modified, 1 failed; 0 new items"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.sum.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestHTMLFeeds checks the HTML paths: a list page scraped by its rule,
// and a web page given as a feed.
func TestHTMLFeeds(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/list.html", serveBytes("text/html; charset=utf-8", fixture(t, "list.html")))
	mux.Handle("/page.html", serveBytes("text/html; charset=utf-8", fixture(t, "page.html")))
	srv := serve(t, mux)
	rule := &store.HTMLRule{Item: "ul.news li", Title: "a", Link: "a", Date: "span.date", DateLayout: "2006-01-02"}
	cst := time.FixedZone("CST", 8*3600)

	for _, tc := range []struct {
		name      string
		feed      store.Feed
		wantErr   string // substring of the error; "" for success
		wantIs    error
		wantItems []store.Item // URL, Title and Published
	}{
		{
			name: "list page scraped by rule",
			feed: store.Feed{URL: srv.URL + "/list.html", Kind: "html", HTML: rule},
			wantItems: []store.Item{
				{URL: srv.URL + "/news/101.html", Title: "华为发布新款昇腾芯片", Published: time.Date(2026, 2, 20, 0, 0, 0, 0, cst)},
				{URL: srv.URL + "/news/102.html", Title: "摩尔线程完成新一轮融资", Published: time.Date(2026, 2, 21, 0, 0, 0, 0, cst)},
				{URL: "https://other.example/103", Title: "上海举办人工智能大会", Published: time.Date(2026, 2, 22, 0, 0, 0, 0, cst)},
			},
		},
		{
			name:    "rule that matches nothing",
			feed:    store.Feed{URL: srv.URL + "/list.html", Kind: "html", HTML: &store.HTMLRule{Item: "div.nothing"}},
			wantErr: "no items matched",
			wantIs:  html.ErrNoItems,
		},
		{
			name:    "HTML feed without a rule",
			feed:    store.Feed{URL: srv.URL + "/list.html", Kind: "html"},
			wantErr: "no scrape rule",
		},
		{
			name:    "web page given as a feed",
			feed:    store.Feed{URL: srv.URL + "/page.html"},
			wantErr: "its feed is " + srv.URL + "/feed.xml",
		},
		{
			name:    "list page given as a feed",
			feed:    store.Feed{URL: srv.URL + "/list.html"},
			wantErr: "not a feed",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := newMemStore(tc.feed)
			res := newRefresher(st, nil, 1).RefreshFeed(context.Background(), st.feed(1))
			call := st.lastCall(t, 1)
			if tc.wantErr != "" {
				if res.Outcome != feeds.Failed || res.Err == nil || !strings.Contains(res.Err.Error(), tc.wantErr) {
					t.Fatalf("outcome %q, error %v; want failed with %q", res.Outcome, res.Err, tc.wantErr)
				}
				if tc.wantIs != nil && !errors.Is(res.Err, tc.wantIs) {
					t.Errorf("error %v is not %v", res.Err, tc.wantIs)
				}
				if call.res.Err != res.Err.Error() || len(call.items) != 0 {
					t.Errorf("recorded error %q with %d items", call.res.Err, len(call.items))
				}
				return
			}
			if res.Outcome != feeds.Updated || res.Err != nil {
				t.Fatalf("outcome %q, error %v; want updated", res.Outcome, res.Err)
			}
			if res.Saved.New != len(tc.wantItems) {
				t.Errorf("saved %+v, want %d new", res.Saved, len(tc.wantItems))
			}
			if len(call.items) != len(tc.wantItems) {
				t.Fatalf("saved %d items, want %d", len(call.items), len(tc.wantItems))
			}
			for i, want := range tc.wantItems {
				got := call.items[i]
				if got.URL != want.URL || got.Title != want.Title || !got.Published.Equal(want.Published) {
					t.Errorf("item %d = %q %q %v; want %q %q %v", i, got.URL, got.Title, got.Published, want.URL, want.Title, want.Published)
				}
				if got.Key == "" {
					t.Errorf("item %d has no key", i)
				}
			}
			if call.res.Title != "芯片新闻" || call.res.Lang != "zh" {
				t.Errorf("recorded title %q, lang %q; want the page's", call.res.Title, call.res.Lang)
			}
		})
	}
}

// stubTagger tags an item with the firm "huawei" when its text says
// Huawei, and remembers what it was given.
type stubTagger struct {
	mu   sync.Mutex
	seen []string
}

func (s *stubTagger) Tag(title, summary, content string) ([]string, []string, bool, []store.Mention) {
	s.mu.Lock()
	s.seen = append(s.seen, title)
	s.mu.Unlock()
	for _, f := range []struct {
		field store.Field
		text  string
	}{{store.FieldTitle, title}, {store.FieldSummary, summary}, {store.FieldContent, content}} {
		if i := strings.Index(f.text, "Huawei"); i >= 0 {
			m := store.Mention{Entity: "huawei", Kind: store.KindFirm, Alias: "Huawei", Field: f.field, Start: i, End: i + len("Huawei")}
			return []string{"huawei"}, []string{"model-chip"}, strings.Contains(summary, "licence"), []store.Mention{m}
		}
	}
	return nil, nil, false, nil
}

// TestTagAtInsert checks that items carry their tags when they are saved.
func TestTagAtInsert(t *testing.T) {
	srv := serve(t, serveBytes("application/rss+xml", fixture(t, "news.rss")))
	st := newMemStore(store.Feed{URL: srv.URL + "/feed"})
	tagger := &stubTagger{}
	refresh(t, newRefresher(st, tagger, 1))

	call := st.lastCall(t, 1)
	type tags struct {
		firms, alliances []string
		sanctions        bool
		field            store.Field
	}
	want := map[string]tags{
		"Huawei ships new Ascend accelerators": {[]string{"huawei"}, []string{"model-chip"}, false, store.FieldTitle},
		"Weather turns cold in Shanghai":       {},
		"Export rules tighten":                 {[]string{"huawei"}, []string{"model-chip"}, true, store.FieldSummary},
	}
	if len(call.items) != len(want) {
		t.Fatalf("saved %d items, want %d", len(call.items), len(want))
	}
	for _, it := range call.items {
		w, ok := want[it.Title]
		if !ok {
			t.Errorf("unexpected item %q", it.Title)
			continue
		}
		if !slices.Equal(it.Firms, w.firms) || !slices.Equal(it.Alliances, w.alliances) || it.Sanctions != w.sanctions {
			t.Errorf("%q tagged firms %v alliances %v sanctions %v; want %v %v %v", it.Title, it.Firms, it.Alliances, it.Sanctions, w.firms, w.alliances, w.sanctions)
		}
		if w.field != "" && (len(it.Mentions) != 1 || it.Mentions[0].Field != w.field) {
			t.Errorf("%q mentions %+v, want one in %s", it.Title, it.Mentions, w.field)
		}
	}
	if len(tagger.seen) != 3 {
		t.Errorf("tagger called %d times, want 3", len(tagger.seen))
	}

	// A nil tagger saves the items untagged.
	st2 := newMemStore(store.Feed{URL: srv.URL + "/feed"})
	refresh(t, newRefresher(st2, nil, 1))
	for _, it := range st2.lastCall(t, 1).items {
		if len(it.Firms) != 0 || len(it.Mentions) != 0 {
			t.Errorf("%q tagged without a tagger: %v", it.Title, it.Firms)
		}
	}
}

// TestConcurrencyBounded counts requests in flight at the server: never
// more than Options.Concurrency, and that many are used.
func TestConcurrencyBounded(t *testing.T) {
	body := fixture(t, "news.rss")
	for _, tc := range []struct {
		name        string
		concurrency int
		want        int
	}{
		{"one at a time", 1, 1},
		{"three", 3, 3},
		{"default is eight", 0, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var inflight, peak atomic.Int32
			reached := make(chan struct{})
			var once sync.Once
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := inflight.Add(1)
				defer inflight.Add(-1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				if int(n) >= tc.want {
					once.Do(func() { close(reached) })
				}
				// Hold the request until the pool is full, then a little
				// longer so that requests beyond the bound would show.
				select {
				case <-reached:
				case <-time.After(5 * time.Second):
				}
				time.Sleep(30 * time.Millisecond)
				w.Header().Set("Content-Type", "application/rss+xml")
				w.Write(body)
			}))
			var fs []store.Feed
			for i := range 12 {
				fs = append(fs, store.Feed{URL: fmt.Sprintf("%s/feed/%d", srv.URL, i)})
			}
			st := newMemStore(fs...)
			sum := refresh(t, newRefresher(st, nil, tc.concurrency))
			if sum.Updated != 12 {
				t.Fatalf("summary %v, want 12 updated", sum)
			}
			if got := int(peak.Load()); got != tc.want {
				t.Errorf("peak requests in flight %d, want %d", got, tc.want)
			}
		})
	}
}

// TestLaterPartFails checks that a feed whose later part does not parse
// saves nothing and records the part's error as the fetch's: the error
// comes back from the store's RecordFetch, not through shared state.
func TestLaterPartFails(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>t</title>`)
	for i := range 2000 {
		enclosure := ""
		if i == 1200 {
			enclosure = `<enclosure url="https://x.example/a<b" type="audio/mpeg"/>`
		}
		fmt.Fprintf(&b, "<item><title>%d</title><guid>%d</guid>%s</item>\n", i, i, enclosure)
	}
	b.WriteString(`</channel></rss>`)
	srv := serve(t, serveBytes("application/rss+xml", []byte(b.String())))
	st := newMemStore(store.Feed{URL: srv.URL})
	sum := refresh(t, newRefresher(st, nil, 1))
	if sum.Failed != 1 || sum.NewItems != 0 {
		t.Fatalf("summary: %s", sum)
	}
	if err := sum.Results[0].Err; err == nil || !strings.Contains(err.Error(), "items 1025 to 1536 of 2000") {
		t.Errorf("error: %v", err)
	}
	if c := st.lastCall(t, 1); c.res.Err == "" || len(c.items) != 0 || !strings.Contains(c.res.Err, "items 1025 to 1536") {
		t.Errorf("recorded %+v with %d items", c.res, len(c.items))
	}
	if n := st.savesWithItems(); n != 0 {
		t.Errorf("%d saves with items", n)
	}
}

// TestDiscover checks what Discover finds at a feed, at a page that links
// to one and at a page that does not, each with one request, and that a
// feed it found saves through SaveResponse with its validators, so the
// next refresh is a 304.
func TestDiscover(t *testing.T) {
	rss := fixture(t, "news.rss")
	hits := map[string]int{}
	var mu sync.Mutex
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		switch r.URL.Path {
		case "/feed":
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(rss)
		case "/page":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><head><link rel="alternate" type="application/rss+xml" href="/feed"></head><body>hi</body></html>`)
		default:
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body>no feed here</body></html>`)
		}
	}))
	st := newMemStore(store.Feed{URL: srv.URL + "/feed"})
	r := newRefresher(st, nil, 1)
	ctx := context.Background()

	page, err := r.Discover(ctx, store.Feed{URL: srv.URL + "/page"})
	if err != nil || page.Response != nil || !slices.Equal(page.Links, []string{srv.URL + "/feed"}) {
		t.Fatalf("page: %+v, %v", page, err)
	}
	if _, err := r.Discover(ctx, store.Feed{URL: srv.URL + "/plain"}); !errors.Is(err, feeds.ErrNoFeed) {
		t.Errorf("plain page: %v", err)
	}
	found, err := r.Discover(ctx, st.feed(1))
	if err != nil || found.Response == nil {
		t.Fatalf("feed: %+v, %v", found, err)
	}
	res := r.SaveResponse(ctx, st.feed(1), found.Response, now)
	if res.Outcome != feeds.Updated || res.Saved.New == 0 {
		t.Fatalf("SaveResponse: %+v", res)
	}
	if f := st.feed(1); f.ETag != `"v1"` {
		t.Errorf("ETag %q was not stored", f.ETag)
	}
	// The save set the next due time: the feed is not due at once, but a
	// refresh of it is conditional.
	if sum, err := r.Refresh(ctx, []int64{1}, nil); err != nil || sum.NotModified != 1 {
		t.Errorf("the next refresh: %s, %v", sum, err)
	}
	for path, want := range map[string]int{"/page": 1, "/plain": 1, "/feed": 2} {
		if hits[path] != want {
			t.Errorf("%s fetched %d times, want %d", path, hits[path], want)
		}
	}
}

// gatedStore counts the RecordFetch calls that carry items in progress
// at once. Each waits until expect are in progress (or 5 s), then a
// little longer, so that calls beyond a bound would show.
type gatedStore struct {
	*memStore
	expect         int32
	inflight, peak atomic.Int32
	reached        chan struct{}
	once           sync.Once
}

func (s *gatedStore) RecordFetch(ctx context.Context, feedID int64, r store.FetchResult, next store.Batches) (store.SaveStats, error) {
	if next != nil {
		n := s.inflight.Add(1)
		defer s.inflight.Add(-1)
		for p := s.peak.Load(); n > p && !s.peak.CompareAndSwap(p, n); p = s.peak.Load() {
		}
		if n >= s.expect {
			s.once.Do(func() { close(s.reached) })
		}
		select {
		case <-s.reached:
		case <-time.After(5 * time.Second):
		}
		time.Sleep(40 * time.Millisecond)
	}
	return s.memStore.RecordFetch(ctx, feedID, r, next)
}

// TestQueueBytesBounded checks that fetched documents wait for room in
// the queue (Options.QueueBytes) before they are parsed and saved: with
// room for two and a half documents, at most two are in the store at
// once; with room for less than one, one at a time, and each is still
// saved; the default leaves six small ones alone.
func TestQueueBytesBounded(t *testing.T) {
	body := fixture(t, "news.rss")
	srv := serve(t, serveBytes("application/rss+xml", body))
	for _, tc := range []struct {
		name  string
		bytes int64
		want  int32
	}{
		{"two and a half documents", int64(len(body)) * 5 / 2, 2},
		{"half a document", int64(len(body)) / 2, 1},
		{"the default", 0, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fs []store.Feed
			for i := range 6 {
				fs = append(fs, store.Feed{URL: fmt.Sprintf("%s/feed/%d", srv.URL, i)})
			}
			st := &gatedStore{memStore: newMemStore(fs...), expect: tc.want, reached: make(chan struct{})}
			client := fetch.New(fetch.Options{Timeout: 10 * time.Second, PerHost: 64})
			r := feeds.NewRefresher(st, client, nil, feeds.Options{Concurrency: 6, QueueBytes: tc.bytes, Now: func() time.Time { return now }})
			sum := refresh(t, r)
			if sum.Updated != 6 || st.savesWithItems() != 6 {
				t.Fatalf("summary %v, %d saves with items; want 6 updated and saved", sum, st.savesWithItems())
			}
			if got := st.peak.Load(); got != tc.want {
				t.Errorf("at most %d documents were in the store at once, want %d", got, tc.want)
			}
		})
	}
}
