package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// saveWhole: SaveItems with a bad item (no identity key) saves nothing of
// its batch, neither the new items nor the changes to stored ones, and
// loses nothing saved before. (sqlite: save.go's identity-key refusal,
// TestRecordFetchGroupCommit.)
func (s *suite) saveWhole(t *testing.T) {
	ctx := t.Context()
	db := s.newStore(t).Open(t)
	feed := addFeed(t, db, "https://example.org/whole.xml", "Whole")
	if st := save(t, db, feed,
		store.Item{Key: "a", Title: "alpha original", Published: day},
		store.Item{Key: "b", Title: "bravo", Published: day}); st != (store.SaveStats{New: 2}) {
		t.Fatalf("first save: %+v, want 2 new", st)
	}
	_, err := db.SaveItems(ctx, feed, []store.Item{
		{Key: "a", Title: "alpha changed", Published: day},
		{Key: "c", Title: "charlie", Published: day},
		{Key: "", Title: "an item without identity", Published: day},
	})
	if err == nil {
		t.Fatal("a batch with an item without a key was saved")
	}
	if got := keys(t, db, inFeed(t, db, feed)); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("items after the refused batch: %v, want [a b]", got)
	}
	if it := byKey(t, db, feed, "a"); it.Title != "alpha original" {
		t.Errorf("item a after the refused batch: %q, want the original title", it.Title)
	}
	for _, term := range []string{"charlie", "changed", "identity"} {
		if c := count(t, db, store.Filter{Text: []string{term}}); c.Total != 0 {
			t.Errorf("search %q after the refused batch finds %d items", term, c.Total)
		}
	}
	if c := count(t, db, inFeed(t, db, feed)); c != (store.Counts{Total: 2, Unread: 2}) {
		t.Errorf("feed counts after the refused batch: %+v", c)
	}
	// The same batch without the bad item saves.
	if st := save(t, db, feed,
		store.Item{Key: "a", Title: "alpha changed", Published: day},
		store.Item{Key: "c", Title: "charlie", Published: day}); st != (store.SaveStats{New: 1, Updated: 1}) {
		t.Errorf("the batch without its bad item: %+v, want 1 new, 1 updated", st)
	}
	if got := keys(t, db, store.Filter{Text: []string{"changed"}}); !slices.Equal(got, []string{"a"}) {
		t.Errorf("search for the changed title: %v", got)
	}
}

// recordFetchWhole: a fetch whose items fail part way (an error from the
// parser, an item without a key, a cancelled context) saves none of them
// and does not record the fetch as a success; a good fetch saves all and
// records its validators; a failed fetch counts a failure and keeps them.
// (sqlite: TestRecordFetchGroupCommit, TestRecordFetchCancelled.)
func (s *suite) recordFetchWhole(t *testing.T) {
	ctx := t.Context()
	db := s.newStore(t).Open(t)
	feed := addFeed(t, db, "https://example.org/fetch.xml", "Fetch")
	save(t, db, feed, store.Item{Key: "a", Title: "alpha original", Published: day},
		store.Item{Key: "b", Title: "bravo", Published: day})
	at := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	ok := store.FetchResult{At: at, Status: 200, ETag: `"v2"`, LastModified: "Fri, 04 Dec 2026 08:00:00 GMT", NextTry: at.Add(time.Hour)}
	boom := errors.New("the part after the first failed")
	unchanged := func(step string) {
		t.Helper()
		if got := keys(t, db, inFeed(t, db, feed)); !slices.Equal(got, []string{"a", "b"}) {
			t.Errorf("%s: items %v, want [a b]", step, got)
		}
		if it := byKey(t, db, feed, "a"); it.Title != "alpha original" {
			t.Errorf("%s: item a is %q", step, it.Title)
		}
		f, err := db.Feed(ctx, feed)
		if err != nil {
			t.Fatal(err)
		}
		if f.ETag != "" || f.LastModified != "" || !f.LastSuccess.IsZero() {
			t.Errorf("%s: the feed recorded a success: %+v", step, f)
		}
	}
	batches := func(bs ...[]store.Item) store.Batches {
		return func() ([]store.Item, error) {
			if len(bs) == 0 {
				return nil, nil
			}
			b := bs[0]
			bs = bs[1:]
			if b == nil {
				return nil, boom
			}
			return b, nil
		}
	}
	first := []store.Item{{Key: "a", Title: "alpha changed", Published: day}, {Key: "d", Title: "delta", Published: day}}

	_, err := db.RecordFetch(ctx, feed, ok, batches(first, nil))
	if !errors.Is(err, boom) {
		t.Errorf("a fetch whose second batch failed: %v, want its error", err)
	}
	unchanged("a failed batch")

	_, err = db.RecordFetch(ctx, feed, ok, batches(first, []store.Item{{Key: "", Title: "keyless", Published: day}}))
	if err == nil {
		t.Error("a fetch with an item without a key was saved")
	}
	unchanged("an item without a key")

	cctx, cancel := context.WithCancel(ctx)
	calls := 0
	_, err = db.RecordFetch(cctx, feed, ok, func() ([]store.Item, error) {
		calls++
		switch calls {
		case 1:
			return first, nil
		case 2:
			cancel() // the user pressed Ctrl-C half way through the feed
			return []store.Item{{Key: "e", Title: "echo", Published: day}}, nil
		}
		return nil, nil
	})
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled fetch: %v, want context.Canceled", err)
	}
	unchanged("a cancelled fetch")

	st, err := db.RecordFetch(ctx, feed, ok, batches(first, []store.Item{{Key: "b", Title: "bravo", Published: day}}))
	if err != nil || st != (store.SaveStats{New: 1, Updated: 1, Unchanged: 1}) {
		t.Fatalf("a good fetch: %+v, %v; want 1 new, 1 updated, 1 unchanged", st, err)
	}
	if got := keys(t, db, inFeed(t, db, feed)); !slices.Equal(got, []string{"a", "b", "d"}) {
		t.Errorf("items after a good fetch: %v", got)
	}
	f, err := db.Feed(ctx, feed)
	if err != nil {
		t.Fatal(err)
	}
	if f.ETag != ok.ETag || f.LastModified != ok.LastModified || !f.LastSuccess.Equal(at) || !f.LastCheck.Equal(at) ||
		f.LastStatus != 200 || f.LastError != "" || f.Failures != 0 || !f.NextTry.Equal(ok.NextTry) {
		t.Errorf("feed after a good fetch: %+v", f)
	}

	// The same items again change nothing.
	st, err = db.RecordFetch(ctx, feed, ok, batches(first, []store.Item{{Key: "b", Title: "bravo", Published: day}}))
	if err != nil || st != (store.SaveStats{Unchanged: 3}) {
		t.Errorf("a repeated fetch: %+v, %v; want 3 unchanged", st, err)
	}

	// A failed fetch counts a failure and keeps the validators and items.
	later := at.Add(2 * time.Hour)
	if _, err := db.RecordFetch(ctx, feed, store.FetchResult{At: later, Status: 503, Err: "HTTP 503", NextTry: later.Add(time.Hour)}, nil); err != nil {
		t.Fatal(err)
	}
	f, err = db.Feed(ctx, feed)
	if err != nil {
		t.Fatal(err)
	}
	if f.LastError != "HTTP 503" || f.Failures != 1 || f.LastStatus != 503 || !f.LastCheck.Equal(later) ||
		!f.LastSuccess.Equal(at) || f.ETag != ok.ETag {
		t.Errorf("feed after a failed fetch: %+v", f)
	}
	if got := keys(t, db, inFeed(t, db, feed)); !slices.Equal(got, []string{"a", "b", "d"}) {
		t.Errorf("items after a failed fetch: %v", got)
	}
}

// recordFetchConcurrent: several feeds' fetches recorded at once, one of
// which fails half way: that feed alone saves nothing. (sqlite:
// TestRecordFetchGroupCommit, smaller.)
func (s *suite) recordFetchConcurrent(t *testing.T) {
	ctx := t.Context()
	db := s.newStore(t).Open(t)
	const feeds, per, bad = 6, 40, 2
	ids := make([]int64, feeds)
	for i := range ids {
		ids[i] = addFeed(t, db, fmt.Sprintf("https://example.org/g%d.xml", i), fmt.Sprintf("G%d", i))
	}
	mk := func(f int) []store.Item {
		out := make([]store.Item, per)
		for i := range out {
			out[i] = store.Item{Key: fmt.Sprint(i), Title: fmt.Sprintf("feed %d item %d 华为 Huawei", f, i),
				Firms: []string{"huawei"}, Published: day.Add(-time.Duration(i) * time.Minute)}
		}
		return out
	}
	boom := errors.New("the part after the first failed")
	var wg sync.WaitGroup
	errs := make([]error, feeds)
	stats := make([]store.SaveStats, feeds)
	for f := range feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			all := mk(f)
			next := store.OneBatch(all)
			if f == bad {
				first := true
				next = func() ([]store.Item, error) {
					if first {
						first = false
						return all[:per/2], nil
					}
					return nil, boom
				}
			}
			stats[f], errs[f] = db.RecordFetch(ctx, ids[f], store.FetchResult{At: day, Status: 200}, next)
		}()
	}
	wg.Wait()
	for f := range feeds {
		n := count(t, db, inFeed(t, db, ids[f])).Total
		if f == bad {
			if !errors.Is(errs[f], boom) || n != 0 {
				t.Errorf("failing feed: err %v, %d items saved; want its error and none", errs[f], n)
			}
			continue
		}
		if errs[f] != nil || stats[f] != (store.SaveStats{New: per}) || n != per {
			t.Errorf("feed %d: %+v %v, %d items stored; want %d new", f, stats[f], errs[f], n, per)
		}
	}
	for term, want := range map[string]int{"Huawei": (feeds - 1) * per, "华为": (feeds - 1) * per, "item 29": feeds - 1} {
		if c := count(t, db, store.Filter{Text: []string{term}}); c.Total != want {
			t.Errorf("search %q finds %d items, want %d", term, c.Total, want)
		}
	}
	if c := count(t, db, store.Filter{Firms: []string{"huawei"}}); c.Total != (feeds-1)*per || c.Unread != (feeds-1)*per {
		t.Errorf("huawei's items: %+v, want %d", c, (feeds-1)*per)
	}
}

// marksKept: saving a feed again, changed or not, never touches read and
// starred marks; a new item comes unread. (sqlite: save.go's contract,
// TestCountersStayRight's resave.)
func (s *suite) marksKept(t *testing.T) {
	ctx := t.Context()
	db := s.newStore(t).Open(t)
	feed := addFeed(t, db, "https://example.org/marks.xml", "Marks")
	its := []store.Item{
		{Key: "1", Title: "Huawei one", Firms: []string{"huawei"}, Published: day},
		{Key: "2", Title: "Biren two", Firms: []string{"biren"}, Published: day},
		{Key: "3", Title: "three", Published: day},
	}
	save(t, db, feed, its...)
	one, two := byKey(t, db, feed, "1").ID, byKey(t, db, feed, "2").ID
	if err := db.SetRead(ctx, []int64{one}, true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetStarred(ctx, []int64{two}, true); err != nil {
		t.Fatal(err)
	}
	its[0].Title = "Huawei one, updated"
	its[1].Firms = []string{"biren", "sensetime"} // a re-tag changes the item too
	its[1].Title = "Biren two and SenseTime"
	its = append(its, store.Item{Key: "4", Title: "four", Published: day})
	if st := save(t, db, feed, its...); st != (store.SaveStats{New: 1, Updated: 2, Unchanged: 1}) {
		t.Fatalf("resave: %+v, want 1 new, 2 updated, 1 unchanged", st)
	}
	st, err := db.RecordFetch(ctx, feed, store.FetchResult{At: day, Status: 200}, store.OneBatch(its))
	if err != nil || st != (store.SaveStats{Unchanged: 4}) {
		t.Fatalf("re-fetch: %+v, %v; want 4 unchanged", st, err)
	}
	want := map[string][2]bool{"1": {true, false}, "2": {false, true}, "3": {false, false}, "4": {false, false}}
	for key, w := range want {
		it := byKey(t, db, feed, key)
		if it.Read != w[0] || it.Starred != w[1] {
			t.Errorf("item %s after re-fetch: read %v starred %v, want %v", key, it.Read, it.Starred, w)
		}
	}
	if it, err := db.Item(ctx, two); err != nil || it.Title != "Biren two and SenseTime" || !slices.Equal(it.Firms, []string{"biren", "sensetime"}) || !it.Starred {
		t.Errorf("Item(2) = %+v, %v", it, err)
	}
	if c := count(t, db, inFeed(t, db, feed)); c != (store.Counts{Total: 4, Unread: 3}) {
		t.Errorf("feed counts %+v, want 4 with 3 unread", c)
	}
	n, err := db.MarkAllRead(ctx, inFeed(t, db, feed))
	if err != nil || n != 3 {
		t.Errorf("MarkAllRead = %d, %v; want the 3 unread", n, err)
	}
	if c := count(t, db, inFeed(t, db, feed)); c != (store.Counts{Total: 4}) {
		t.Errorf("feed counts after marking all read: %+v", c)
	}
	if err := db.SetRead(ctx, []int64{one}, false); err != nil {
		t.Fatal(err)
	}
	save(t, db, feed, its...)
	if it := byKey(t, db, feed, "1"); it.Read {
		t.Error("an item marked unread again is read after a re-fetch")
	}
	if c := count(t, db, store.Filter{Starred: store.Yes}); c.Total != 1 {
		t.Errorf("%d starred items, want 1", c.Total)
	}
	if _, err := db.Item(ctx, 1<<40); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Item of an unknown ID: %v, want ErrNotFound", err)
	}
}

// concurrentMarks: two dashboards mark items while a fetcher saves the
// same feed again and again, changing every item: no handle gets an
// error and no mark is lost. (Issue 17: many dashboards and one fetcher
// at once, with no lock errors and no lost marks.)
func (s *suite) concurrentMarks(t *testing.T) {
	ctx := t.Context()
	st := s.newStore(t)
	fetcher := st.Open(t)
	feed := addFeed(t, fetcher, "https://example.org/busy.xml", "Busy")
	const n, rounds = 40, 6
	mk := func(round int) []store.Item {
		out := make([]store.Item, n)
		for i := range out {
			out[i] = store.Item{Key: fmt.Sprint(i), Title: fmt.Sprintf("item %d, version %d", i, round), Published: day.Add(time.Duration(i) * time.Minute)}
		}
		return out
	}
	save(t, fetcher, feed, mk(0)...)
	var ids []int64
	for i := range n {
		ids = append(ids, byKey(t, fetcher, feed, fmt.Sprint(i)).ID)
	}
	dash := []store.Backend{st.Open(t), st.Open(t)}
	var wg sync.WaitGroup
	errs := make(chan error, 3*n)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for r := 1; r <= rounds; r++ {
			if _, err := fetcher.RecordFetch(ctx, feed, store.FetchResult{At: day, Status: 200}, store.OneBatch(mk(r))); err != nil {
				errs <- fmt.Errorf("fetch %d: %w", r, err)
			}
		}
	}()
	// Dashboard 0 reads the even items, dashboard 1 stars the odd ones,
	// one at a time, as a user at the keyboard does.
	for d, db := range dash {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := d; i < n; i += 2 {
				var err error
				if d == 0 {
					err = db.SetRead(ctx, []int64{ids[i]}, true)
				} else {
					err = db.SetStarred(ctx, []int64{ids[i]}, true)
				}
				if err != nil {
					errs <- fmt.Errorf("dashboard %d, item %d: %w", d, i, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, it := range items(t, fetcher, inFeed(t, fetcher, feed)) {
		k, _ := strconv.Atoi(it.Key)
		if it.Read != (k%2 == 0) || it.Starred != (k%2 == 1) || it.Title != fmt.Sprintf("item %d, version %d", k, rounds) {
			t.Errorf("item %s: read %v starred %v %q", it.Key, it.Read, it.Starred, it.Title)
		}
	}
	if c := count(t, fetcher, inFeed(t, fetcher, feed)); c != (store.Counts{Total: n, Unread: n / 2}) {
		t.Errorf("feed counts %+v, want %d with %d unread", c, n, n/2)
	}
}
