package feeds_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/feeds"
	"github.com/aiwatch/aiwatch/feeds/extract"
	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/feeds/match"
	"github.com/aiwatch/aiwatch/store"
)

// articleStore is an in-memory feeds.ArticleStore.
type articleStore struct {
	mu       sync.Mutex
	items    map[int64]store.Item
	feeds    map[int64]store.Feed
	articles map[int64]store.Article
	tags     map[int64]store.Item
}

func (s *articleStore) Item(_ context.Context, id int64) (store.Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[id]
	if !ok {
		return it, fmt.Errorf("item %d: %w", id, store.ErrNotFound)
	}
	return it, nil
}

func (s *articleStore) Feed(_ context.Context, id int64) (store.Feed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.feeds[id], nil
}

func (s *articleStore) Article(_ context.Context, id int64) (store.Article, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.articles[id]
	if !ok {
		return a, store.ErrNotFound
	}
	return a, nil
}

func (s *articleStore) SaveArticle(_ context.Context, a store.Article, tags store.Item) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.articles[a.ItemID] = a
	s.tags[a.ItemID] = tags
	return nil
}

var ctx = context.Background()

const articlePage = `<!doctype html><html lang="en"><head><title>Moore Threads ships a GPU</title>
<meta name="author" content="Jane Doe"></head><body><nav><a href="/">Home</a></nav><article>
<h1>Moore Threads ships a GPU</h1>
<p>The Beijing chip designer 摩尔线程 said on Monday that its new accelerator is in volume production, with cloud providers as first customers.</p>
<p>Analysts said <a href="/analysis">the launch</a> shows how far domestic suppliers have come under export controls, and expect more news from Biren soon.</p>
</article><footer>Copyright Example News</footer></body></html>`

func articleServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/gpu", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, articlePage)
	})
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		fmt.Fprint(w, "%PDF-1.7 ...")
	})
	mux.HandleFunc("/paywall", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><body><h1>Subscribe</h1><p>Subscribe to read on.</p></body></html>`)
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><p>"+strings.Repeat("word ", 100_000)+"</p></body></html>")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &hits
}

func newArticles(t *testing.T, srv *httptest.Server, maxBody int64) (*feeds.Articles, *articleStore) {
	st := &articleStore{items: map[int64]store.Item{}, feeds: map[int64]store.Feed{1: {ID: 1, URL: "https://news.example/feed.xml"}},
		articles: map[int64]store.Article{}, tags: map[int64]store.Item{}}
	for i, path := range []string{"/gpu", "/missing", "/pdf", "/paywall", "/huge"} {
		st.items[int64(i+1)] = store.Item{ID: int64(i + 1), FeedID: 1, URL: srv.URL + path, Title: "Chip news", Summary: "Huawei rivals ship."}
	}
	st.items[9] = store.Item{ID: 9, FeedID: 1, Title: "No link"}
	m := match.New([]store.Alias{
		{Entity: "huawei", Kind: store.KindFirm, Text: "Huawei", Lang: "en"},
		{Entity: "moore-threads", Kind: store.KindFirm, Text: "摩尔线程", Lang: "zh"},
		{Entity: "moore-threads", Kind: store.KindFirm, Text: "Moore Threads", Lang: "en"},
		{Entity: "biren", Kind: store.KindFirm, Text: "Biren", Lang: "en"},
	})
	client := fetch.New(fetch.Options{MaxBody: maxBody})
	return feeds.NewArticles(st, client, m, func() time.Time { return now }), st
}

func TestArticleFetchKeepTag(t *testing.T) {
	srv, hits := articleServer(t)
	arts, st := newArticles(t, srv, 0)
	a, err := arts.Article(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "volume production") || strings.Contains(a.Text, "Copyright") || a.Byline != "Jane Doe" || !a.Fetched.Equal(now) {
		t.Errorf("article = %+v", a)
	}
	if len(a.Links) != 1 || a.Links[0].URL != srv.URL+"/analysis" {
		t.Errorf("links = %+v", a.Links)
	}
	tags := st.tags[1]
	if strings.Join(tags.Firms, ",") != "biren,huawei,moore-threads" {
		t.Errorf("firms = %v", tags.Firms)
	}
	if strings.Join(a.BodyOnly, ",") != "firm:biren,firm:moore-threads" {
		t.Errorf("body only = %v", a.BodyOnly)
	}
	fields := map[string]store.Field{}
	for _, m := range tags.Mentions {
		fields[m.Entity] = m.Field
		if m.Field == store.FieldBody && !strings.Contains(a.Text[m.Start:m.End], "摩尔线程") && a.Text[m.Start:m.End] != "Moore Threads" && a.Text[m.Start:m.End] != "Biren" {
			t.Errorf("body mention %+v points at %q", m, a.Text[m.Start:m.End])
		}
	}
	if fields["huawei"] != store.FieldSummary || fields["biren"] != store.FieldBody {
		t.Errorf("mention fields = %v", fields)
	}

	// Kept: the second read needs no server.
	srv.Close()
	again, err := arts.Article(ctx, 1)
	if err != nil || again.Text != a.Text || hits.Load() != 1 {
		t.Errorf("second read: %v, %d fetches", err, hits.Load())
	}
}

func TestArticleFailures(t *testing.T) {
	srv, _ := articleServer(t)
	arts, st := newArticles(t, srv, 64<<10)
	for _, tc := range []struct {
		name string
		id   int64
		want error
		text string
	}{
		{"404", 2, nil, "HTTP 404 Not Found"},
		{"not HTML", 3, extract.ErrNotHTML, "application/pdf"},
		{"paywall", 4, extract.ErrNoText, "paywall"},
		{"over the cap", 5, fetch.ErrTooLarge, "larger than 64 KiB"},
		{"no link", 9, feeds.ErrNoLink, "no web link"},
		{"no item", 99, store.ErrNotFound, "not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := arts.Article(ctx, tc.id)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("err = %v, want %v with %q", err, tc.want, tc.text)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("reason is not one line: %q", err)
			}
			if _, kept := st.articles[tc.id]; kept {
				t.Errorf("a failed page was kept")
			}
		})
	}
}

func TestArticleFetchManyIsPolite(t *testing.T) {
	srv, hits := articleServer(t)
	arts, st := newArticles(t, srv, 0)
	for id := int64(10); id < 20; id++ {
		st.items[id] = store.Item{ID: id, FeedID: 1, URL: srv.URL + "/gpu"}
	}
	ids := []int64{10, 11, 12, 13, 14, 15, 16, 17, 18, 19}
	done, errs := arts.FetchMany(ctx, ids, feeds.FetchOptions{Max: 5, PerHost: 3})
	if len(done) != 3 || len(errs) != 0 || hits.Load() != 3 {
		t.Errorf("per host 3: done %v errs %v hits %d", done, errs, hits.Load())
	}
	done, errs = arts.FetchMany(ctx, ids, feeds.FetchOptions{Max: 2})
	if len(done) != 2 || len(errs) != 0 || hits.Load() != 5 {
		t.Errorf("max 2, kept ones skipped: done %v errs %v hits %d", done, errs, hits.Load())
	}
	if done[0] != 13 || done[1] != 14 {
		t.Errorf("done %v, want the first two without an article", done)
	}
}
