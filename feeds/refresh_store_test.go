//go:build cgo

// This test writes into a real SQLite store, which needs cgo; the rest of
// the package tests without it (docs/design.md).

package feeds_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/feeds"
	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/feeds/match"
	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// TestLargeFeedIntoStore fetches a feed large enough to be parsed and
// written in parts, alongside small feeds that share the writer, into a
// real store: every item lands once (a GUID repeated in a later part
// too), tagged and searchable, the counters agree, and a second fetch
// changes nothing.
func TestLargeFeedIntoStore(t *testing.T) {
	ctx := context.Background()
	const n = 2500
	var big strings.Builder
	big.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>big</title><language>en</language>`)
	for i := 0; i < n; i++ {
		guid := fmt.Sprint("g", i)
		if i == 1800 {
			guid = "g5" // the same item again, in a later part
		}
		fmt.Fprintf(&big, "<item><title>Item %d: Huawei and 摩尔线程</title><guid>%s</guid><pubDate>Mon, 28 Jul 2025 10:00:00 +0000</pubDate><description>Note %d</description></item>", i, guid, i)
	}
	big.WriteString(`</channel></rss>`)
	small := `<?xml version="1.0"?><rss version="2.0"><channel><title>small</title>` +
		`<item><title>Biren ships</title><guid>s1</guid></item><item><title>SenseTime</title><guid>s2</guid></item></channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		if r.URL.Path == "/big" {
			w.Write([]byte(big.String()))
			return
		}
		w.Write([]byte(small))
	}))
	defer srv.Close()

	db, err := sqlite.Open(filepath.Join(t.TempDir(), "aiwatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ds, _ := reference.Load()
	if _, err := db.Seed(ctx, ds); err != nil {
		t.Fatal(err)
	}
	db.SQL().Exec(`UPDATE feeds SET enabled = 0`)
	var ids []int64
	for _, u := range []string{srv.URL + "/big", srv.URL + "/s1", srv.URL + "/s2", srv.URL + "/s3"} {
		id, err := db.AddFeed(ctx, store.Feed{URL: u, Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	aliases, _ := db.Aliases(ctx)
	// The small feeds' items have no date, so they are dated when first
	// fetched; the clock moves on an hour before the second refresh, which
	// must neither count them as changed nor move their dates.
	fetched := time.Date(2025, 7, 29, 8, 0, 0, 0, time.UTC)
	var clock atomic.Int64
	clock.Store(fetched.Unix())
	now := func() time.Time { return time.Unix(clock.Load(), 0).UTC() }
	r := feeds.NewRefresher(db, fetch.New(fetch.Options{}), match.New(aliases), feeds.Options{Now: now})
	sum, err := r.Refresh(ctx, ids, nil)
	if err != nil || sum.Failed != 0 {
		t.Fatalf("refresh: %v, %s", err, sum)
	}
	if want := n - 1 + 3*2; sum.NewItems != want {
		t.Fatalf("%d new items, want %d", sum.NewItems, want)
	}
	for term, want := range map[string]int{"摩尔线程": n - 1, "Item 2499": 1, "Note 1800": 0, "Biren": 3} {
		c, err := db.CountItems(ctx, store.Filter{Text: []string{term}, Feeds: []string{"127.0.0.1"}})
		if err != nil || c.Total != want {
			t.Errorf("search %q: %d items (%v), want %d", term, c.Total, err, want)
		}
	}
	c, err := db.CountItems(ctx, store.Filter{Firms: []string{"moore-threads"}, Feeds: []string{"127.0.0.1"}})
	if err != nil || c.Total != n-1 || c.Unread != n-1 {
		t.Errorf("items naming Moore Threads: %+v (%v), want %d unread", c, err, n-1)
	}
	rep, err := db.Check(ctx)
	if err != nil || !rep.OK() || !rep.CountsOK {
		t.Fatalf("check: %+v %v", rep, err)
	}
	clock.Add(3600)
	again, err := r.Refresh(ctx, ids, nil)
	if err != nil || again.NewItems != 0 || again.Updated != 4 {
		t.Fatalf("second refresh: %v, %s", err, again)
	}
	for _, res := range again.Results {
		if res.Saved.New != 0 || res.Saved.Updated != 0 {
			t.Errorf("second refresh of %s saved %+v; want all unchanged", res.Feed.URL, res.Saved)
		}
	}
	undated, err := db.Items(ctx, store.Filter{Text: []string{"Biren ships"}})
	if err != nil || len(undated) != 3 {
		t.Fatalf("undated items: %d (%v), want 3", len(undated), err)
	}
	for _, it := range undated {
		if !it.Published.Equal(fetched) {
			t.Errorf("undated item %d is dated %v, want its first fetch %v", it.ID, it.Published, fetched)
		}
	}
}
