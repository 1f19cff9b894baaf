package feeds_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/feeds"
	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/store"
)

// oneFeedStore serves one due feed and keeps what is saved.
type oneFeedStore struct {
	feed    store.Feed
	saved   []store.Item
	batches int
}

func (s *oneFeedStore) DueFeeds(context.Context, time.Time, []int64) ([]store.Feed, error) {
	return []store.Feed{s.feed}, nil
}

func (s *oneFeedStore) RecordFetch(_ context.Context, _ int64, _ store.FetchResult, next store.Batches) (store.SaveStats, error) {
	var items []store.Item
	for next != nil {
		b, err := next()
		if err != nil {
			return store.SaveStats{}, err
		}
		if b == nil {
			break
		}
		s.batches++
		items = append(items, b...)
	}
	s.saved = append(s.saved, items...)
	return store.SaveStats{New: len(items)}, nil
}

// titleTagger names the firm written in the title, so each item's tags
// show whether it was tagged from its own text.
type titleTagger struct{}

func (titleTagger) Tag(title, summary, content string) ([]string, []string, bool, []store.Mention) {
	return []string{title}, nil, false, nil
}

// TestLargeFeedTaggedInParallel checks that a feed big enough to be
// parsed in parts, and tagged apart, reaches the store in several batches
// in document order, every item with its own tags.
func TestLargeFeedTaggedInParallel(t *testing.T) {
	const n = 3000
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>big</title>`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<item><title>firm-%d</title><guid>g%d</guid><pubDate>Mon, 28 Jul 2025 10:00:00 +0000</pubDate></item>", i, i)
	}
	b.WriteString(`</channel></rss>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(b.String()))
	}))
	defer srv.Close()
	st := &oneFeedStore{feed: store.Feed{ID: 1, URL: srv.URL, Enabled: true}}
	r := feeds.NewRefresher(st, fetch.New(fetch.Options{}), titleTagger{}, feeds.Options{})
	if _, err := r.Refresh(context.Background(), nil, nil); err != nil {
		t.Fatal(err)
	}
	if len(st.saved) != n {
		t.Fatalf("saved %d items, want %d", len(st.saved), n)
	}
	for i, it := range st.saved {
		if it.Title != fmt.Sprintf("firm-%d", i) {
			t.Fatalf("item %d is %q: out of document order", i, it.Title)
		}
		if len(it.Firms) != 1 || it.Firms[0] != it.Title {
			t.Fatalf("item %q tagged %v", it.Title, it.Firms)
		}
	}
	if st.batches < 2 {
		t.Errorf("the store got %d batch(es); a feed of %d items should stream in parts", st.batches, n)
	}
}
