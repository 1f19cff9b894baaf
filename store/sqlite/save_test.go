package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// TestRecordFetchGroupCommit records many feeds' fetches at once, so that
// the writer commits them in groups, with one feed whose items fail half
// way: that feed alone saves nothing, and every other feed saves all.
func TestRecordFetchGroupCommit(t *testing.T) {
	db := mustOpen(t)
	now := time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC)
	const feeds, per = 24, 300
	ids := make([]int64, feeds)
	for i := range ids {
		id, err := db.AddFeed(ctx, store.Feed{URL: fmt.Sprintf("https://example.org/g%d.xml", i), Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	items := func(f int) []store.Item {
		out := make([]store.Item, per)
		for i := range out {
			out[i] = store.Item{Key: fmt.Sprint(i), Title: fmt.Sprintf("feed %d item %d 华为 Huawei", f, i),
				Firms: []string{"huawei"}, Published: now.Add(-time.Duration(i) * time.Minute)}
		}
		return out
	}
	const bad = 7
	boom := errors.New("the part after the first failed")
	var wg sync.WaitGroup
	errs := make([]error, feeds)
	stats := make([]store.SaveStats, feeds)
	for f := 0; f < feeds; f++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			all := items(f)
			next := store.OneBatch(all)
			if f == bad {
				// Two batches; the second is an error.
				first := true
				next = func() ([]store.Item, error) {
					if first {
						first = false
						return all[:per/2], nil
					}
					return nil, boom
				}
			}
			stats[f], errs[f] = db.RecordFetch(ctx, ids[f], store.FetchResult{At: now, Status: 200}, next)
		}()
	}
	wg.Wait()
	for f := 0; f < feeds; f++ {
		n := count(t, db, `SELECT count(*) FROM items WHERE feed_id = ?`, ids[f])
		if f == bad {
			if !errors.Is(errs[f], boom) || n != 0 {
				t.Errorf("failing feed: err %v, %d items saved; want its error and none", errs[f], n)
			}
			continue
		}
		if errs[f] != nil || stats[f].New != per || n != per {
			t.Errorf("feed %d: %+v %v, %d items stored; want %d new", f, stats[f], errs[f], n, per)
		}
	}
	// The full-text index holds every saved item, and the counters agree.
	for _, term := range []string{"Huawei", "华为", "item 29"} {
		c, err := db.CountItems(ctx, store.Filter{Text: []string{term}, Feeds: []string{"example.org"}})
		want := (feeds - 1) * per
		if term == "item 29" { // item 29 and items 290–299 of each feed
			want = (feeds - 1) * 11
		}
		if err != nil || c.Total != want {
			t.Errorf("search %q finds %d items (%v), want %d", term, c.Total, err, want)
		}
	}
	r, err := db.Check(ctx)
	if err != nil || !r.OK() || !r.CountsOK {
		t.Fatalf("check after group commit: %+v %v", r, err)
	}
	// A second fetch of the same items changes nothing.
	st, err := db.RecordFetch(ctx, ids[0], store.FetchResult{At: now, Status: 200}, store.OneBatch(items(0)))
	if err != nil || st.New != 0 || st.Unchanged != per {
		t.Errorf("re-fetch: %+v %v; want all %d unchanged", st, err, per)
	}
}

// TestRecordFetchAfterClose gets a clear error, not a hang.
func TestRecordFetchAfterClose(t *testing.T) {
	db := mustOpen(t)
	id, _ := db.AddFeed(ctx, store.Feed{URL: "https://example.org/c.xml", Enabled: true})
	if _, err := db.RecordFetch(ctx, id, store.FetchResult{At: time.Now(), Status: 200}, nil); err != nil {
		t.Fatal(err)
	}
	db.Close()
	done := make(chan error, 1)
	go func() {
		_, err := db.RecordFetch(ctx, id, store.FetchResult{At: time.Now(), Status: 200}, nil)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("RecordFetch on a closed store succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("RecordFetch on a closed store hangs")
	}
}

// TestRecordFetchCancelled: a fetch whose context is cancelled while its
// items are still coming saves nothing and says why, and a fetch recorded
// alongside it is not disturbed.
func TestRecordFetchCancelled(t *testing.T) {
	db := mustOpen(t)
	now := time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC)
	a, _ := db.AddFeed(ctx, store.Feed{URL: "https://example.org/a.xml", Enabled: true})
	b, _ := db.AddFeed(ctx, store.Feed{URL: "https://example.org/b.xml", Enabled: true})
	cctx, cancel := context.WithCancel(ctx)
	sent := 0
	slow := func() ([]store.Item, error) {
		if sent == 3 {
			cancel() // the user pressed Ctrl-C half way through the feed
		}
		if sent == 6 {
			return nil, nil
		}
		sent++
		items := make([]store.Item, 200)
		for i := range items {
			items[i] = store.Item{Key: fmt.Sprint(sent, "-", i), Title: "Huawei", Published: now}
		}
		return items, nil
	}
	var wg sync.WaitGroup
	var errA, errB error
	var stB store.SaveStats
	wg.Add(2)
	go func() {
		defer wg.Done()
		_, errA = db.RecordFetch(cctx, a, store.FetchResult{At: now, Status: 200}, slow)
	}()
	go func() {
		defer wg.Done()
		stB, errB = db.RecordFetch(ctx, b, store.FetchResult{At: now, Status: 200},
			store.OneBatch([]store.Item{{Key: "1", Title: "Biren", Published: now}}))
	}()
	wg.Wait()
	if !errors.Is(errA, context.Canceled) {
		t.Errorf("cancelled fetch: %v, want context.Canceled", errA)
	}
	if n := count(t, db, `SELECT count(*) FROM items WHERE feed_id = ?`, a); n != 0 {
		t.Errorf("cancelled fetch saved %d items", n)
	}
	if errB != nil || stB.New != 1 {
		t.Errorf("the other fetch: %+v %v", stB, errB)
	}
	if r, err := db.Check(ctx); err != nil || !r.OK() || !r.CountsOK {
		t.Fatalf("check: %+v %v", r, err)
	}
}
