package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// TestSaveNewUpdatedUnchanged: a re-fetch counts new, updated and
// unchanged items, updates in place (same id), keeps every user's marks,
// and keeps an undated item's first date.
func TestSaveNewUpdatedUnchanged(t *testing.T) {
	db, _ := open(t, "alice")
	feed := wFeed(t, db, "one")
	huawei := store.Mention{Entity: "huawei", Kind: store.KindFirm, Alias: "Huawei", Field: store.FieldTitle, Start: 0, End: 6}
	items := []store.Item{
		{Key: "a", URL: "https://x.example/a", Title: "Huawei ships a GPU", Summary: "Sum", Published: wDay, Firms: []string{"huawei"}, Mentions: []store.Mention{huawei}},
		{Key: "b", Title: "Second", Published: wDay.Add(-time.Hour)},
		{Key: "c", Title: "Undated", Published: wDay, Undated: true, Firms: []string{"huawei"}},
		{Key: "a", Title: "A duplicate key within one fetch is saved once", Published: wDay},
	}
	st := wSave(t, db, feed, items...)
	if st != (store.SaveStats{New: 3}) {
		t.Fatalf("first save %+v, want 3 new", st)
	}
	a, b := wID(t, db, feed, "a"), wID(t, db, feed, "b")
	wMark(t, db, "alice", a, true, true)
	wMark(t, db, "bob", a, false, true)
	wMark(t, db, "bob", b, true, false)

	items[0].Title = "Huawei ships a new GPU"     // changed
	items[2].Published = wDay.Add(48 * time.Hour) // undated: fetched later, and changed
	items[2].Title = "Undated, retitled"
	next := append(items[:3:3], store.Item{Key: "d", Title: "Fresh", Published: wDay})
	st = wSave(t, db, feed, next...)
	if st != (store.SaveStats{New: 1, Updated: 2, Unchanged: 1}) {
		t.Fatalf("re-save %+v, want 1 new, 2 updated, 1 unchanged", st)
	}
	if id := wID(t, db, feed, "a"); id != a {
		t.Errorf("the changed item has id %d, was %d: it was replaced, not updated", id, a)
	}
	if n := wCount(t, db, `SELECT count(*) FROM marks WHERE (username, item_id, read, starred) IN (('alice', $1, true, true), ('bob', $1, false, true), ('bob', $2, true, false))`, a, b); n != 3 {
		t.Errorf("%d of 3 marks kept after the re-fetch", n)
	}
	var title, search string
	if err := db.Pool().QueryRow(wCtx, `SELECT title, search FROM items WHERE id = $1`, a).Scan(&title, &search); err != nil {
		t.Fatal(err)
	}
	if title != "Huawei ships a new GPU" || search != "huawei ships a new gpu\nsum\n" {
		t.Errorf("updated row: title %q search %q", title, search)
	}
	if n := wCount(t, db, `SELECT count(*) FROM items WHERE key = 'c' AND title = 'Undated, retitled' AND published = $1`, wDay.Unix()); n != 1 {
		t.Error("the changed undated item lost the date of its first fetch")
	}
	// Its tag rows keep that date too.
	if n := wCount(t, db, `SELECT count(*) FROM item_tags t JOIN items i ON i.id = t.item_id WHERE t.published <> i.published`); n != 0 {
		t.Errorf("%d tag rows with another date than their item's", n)
	}
	// An undated item fetched again unchanged, at another time, is
	// unchanged, not updated.
	next[2].Published = wDay.Add(72 * time.Hour)
	if st := wSave(t, db, feed, next...); st != (store.SaveStats{Unchanged: 4}) {
		t.Errorf("third save %+v, want 4 unchanged", st)
	}
	wCheck(t, db)
}

// TestSaveTagRows: item_tags holds the firm and alliance rows with their
// mentions JSON and the 'ally' roll-up, as store/sqlite writes them, with
// the item's date and copy flag beside them; a change rewrites them.
func TestSaveTagRows(t *testing.T) {
	db, _ := open(t, "alice")
	wUniverse(t, db, []string{"huawei", "biren"}, []string{"ai-alliance", "chip-alliance"}, []string{"ai-alliance:huawei", "chip-alliance:huawei", "chip-alliance:biren"})
	feed := wFeed(t, db, "tags")
	it := store.Item{Key: "k", Title: `Huawei "and" Biren`, Published: wDay, Firms: []string{"biren", "huawei"}, Alliances: []string{"ai-alliance"},
		Mentions: []store.Mention{
			{Entity: "huawei", Kind: store.KindFirm, Alias: "Huawei", Field: store.FieldTitle, Start: 0, End: 6},
			{Entity: "biren", Kind: store.KindFirm, Alias: `"Biren"`, Field: store.FieldTitle, Start: 13, End: 18},
		}}
	wSave(t, db, feed, it)
	rows, err := db.Pool().Query(wCtx, `SELECT kind || ' ' || entity || ' ' || mentions || ' ' || copy || ' ' || (published = $1)
		FROM item_tags ORDER BY kind, entity`, wDay.Unix())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		got = append(got, s)
	}
	want := []string{
		"alliance ai-alliance  0 true",
		"ally ai-alliance  0 true",
		"ally chip-alliance  0 true",
		`firm biren [{"alias":"\"Biren\"","field":"title","start":13,"end":18}] 0 true`,
		`firm huawei [{"alias":"Huawei","field":"title","start":0,"end":6}] 0 true`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tag rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The feed drops Biren and the alliance, and dates the item later.
	it.Firms, it.Alliances, it.Mentions = []string{"huawei"}, nil, it.Mentions[:1]
	it.Published = wDay.Add(time.Hour)
	wSave(t, db, feed, it)
	if n := wCount(t, db, `SELECT count(*) FROM item_tags`); n != 3 {
		t.Errorf("%d tag rows after the change, want firm huawei and its two alliances", n)
	}
	if n := wCount(t, db, `SELECT count(*) FROM item_tags WHERE published <> $1`, wDay.Add(time.Hour).Unix()); n != 0 {
		t.Errorf("%d tag rows kept the old date", n)
	}
}

// TestSaveWholeOrNothing: an item that cannot be saved, or batches that
// end in an error, roll the whole save back: no new item, no change to a
// stored one, no change to the feed's fetch state.
func TestSaveWholeOrNothing(t *testing.T) {
	db, _ := open(t, "alice")
	feed := wFeed(t, db, "whole")
	wSave(t, db, feed, store.Item{Key: "old", Title: "Before", Published: wDay})
	many := func(prefix string, n int) []store.Item {
		out := make([]store.Item, n)
		for i := range out {
			out[i] = store.Item{Key: fmt.Sprint(prefix, i), Title: fmt.Sprint("Item ", i), Published: wDay}
		}
		return out
	}
	// An item without a key half way through the 2,500th.
	bad := append(many("x", 2500), store.Item{Title: "no key"})
	bad = append(bad, many("y", 10)...)
	bad = append(bad, store.Item{Key: "old", Title: "Changed", Published: wDay})
	if _, err := db.SaveItems(wCtx, feed, bad); err == nil || !strings.Contains(err.Error(), "no identity key") {
		t.Fatalf("save with a keyless item: %v", err)
	}
	if n := wCount(t, db, `SELECT count(*) FROM items`); n != 1 {
		t.Errorf("%d items after a failed save, want the 1 from before", n)
	}
	// Batches that fail after the first: RecordFetch saves nothing and
	// leaves the feed's state.
	boom := errors.New("the parser failed on the second part")
	first := true
	next := func() ([]store.Item, error) {
		if first {
			first = false
			return append(many("z", 1500), store.Item{Key: "old", Title: "Changed", Published: wDay}), nil
		}
		return nil, boom
	}
	_, err := db.RecordFetch(wCtx, feed, store.FetchResult{At: wDay, Status: 200, ETag: `"v2"`}, next)
	if !errors.Is(err, boom) {
		t.Fatalf("RecordFetch: %v, want the batches' error", err)
	}
	if n := wCount(t, db, `SELECT count(*) FROM items WHERE title = 'Before'`); n != 1 || wCount(t, db, `SELECT count(*) FROM items`) != 1 {
		t.Error("a failed fetch changed the items")
	}
	if n := wCount(t, db, `SELECT count(*) FROM feeds WHERE id = $1 AND etag = '' AND last_check = 0`, feed); n != 1 {
		t.Error("a failed fetch changed the feed's state")
	}
	// Into a feed that is not there: a clear error.
	if _, err := db.SaveItems(wCtx, feed+100, many("q", 1)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("save into no feed: %v", err)
	}
}

// TestRecordFetchState: a fetch's outcome lands on the feed.
func TestRecordFetchState(t *testing.T) {
	db, _ := open(t, "alice")
	feed, err := db.AddFeed(wCtx, store.Feed{URL: "https://state.example.org/feed", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	items := []store.Item{{Key: "1", Title: "One", Published: wDay}}
	st, err := db.RecordFetch(wCtx, feed, store.FetchResult{At: wDay, Status: 200, ETag: `"e1"`, LastModified: "Mon", Title: "Doc title", Lang: "zh",
		NextTry: wDay.Add(time.Hour)}, store.OneBatch(items))
	if err != nil || st.New != 1 {
		t.Fatalf("RecordFetch = %+v, %v", st, err)
	}
	f, err := db.Feed(wCtx, feed)
	if err != nil {
		t.Fatal(err)
	}
	if f.ETag != `"e1"` || f.LastModified != "Mon" || f.Title != "Doc title" || f.Lang != "zh" || !f.LastSuccess.Equal(wDay) ||
		!f.NextTry.Equal(wDay.Add(time.Hour)) || f.LastStatus != 200 || f.Failures != 0 {
		t.Errorf("after a fetch: %+v", f)
	}
	// 304: the validators stay; nothing is read.
	called := false
	_, err = db.RecordFetch(wCtx, feed, store.FetchResult{At: wDay.Add(time.Hour), Status: 304, NotModified: true, Title: "Other"},
		func() ([]store.Item, error) { called = true; return nil, nil })
	if err != nil || called {
		t.Fatalf("not modified: %v, batches read %v", err, called)
	}
	// Two failures count up and back off; a success resets them.
	for i := range 2 {
		if _, err := db.RecordFetch(wCtx, feed, store.FetchResult{At: wDay.Add(2 * time.Hour), Status: 503, Err: "HTTP 503",
			NextTry: wDay.Add(time.Duration(3+i) * time.Hour)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	f, _ = db.Feed(wCtx, feed)
	if f.ETag != `"e1"` || f.Title != "Doc title" || f.Failures != 2 || f.LastError != "HTTP 503" || !f.NextTry.Equal(wDay.Add(4*time.Hour)) ||
		!f.LastSuccess.Equal(wDay.Add(time.Hour)) {
		t.Errorf("after failures: %+v", f)
	}
	if _, err := db.RecordFetch(wCtx, feed+99, store.FetchResult{At: wDay, Status: 200}, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("fetch of no feed: %v", err)
	}
}

// TestRecordFetchCancelled: a fetch whose context ends while its items
// still come saves nothing and says why.
func TestRecordFetchCancelled(t *testing.T) {
	db, _ := open(t, "alice")
	feed := wFeed(t, db, "cancel")
	cctx, cancel := context.WithCancel(wCtx)
	sent := 0
	slow := func() ([]store.Item, error) {
		if sent == 3 {
			cancel()
		}
		if sent == 6 {
			return nil, nil
		}
		sent++
		items := make([]store.Item, 600)
		for i := range items {
			items[i] = store.Item{Key: fmt.Sprint(sent, "-", i), Title: "Huawei", Published: wDay}
		}
		return items, nil
	}
	_, err := db.RecordFetch(cctx, feed, store.FetchResult{At: wDay, Status: 200}, slow)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled fetch: %v, want context.Canceled", err)
	}
	if n := wCount(t, db, `SELECT count(*) FROM items`); n != 0 {
		t.Errorf("a cancelled fetch saved %d items", n)
	}
}

// TestRecordFetchInParallel records many feeds' fetches at once, one of
// them failing half way: that feed alone saves nothing.
func TestRecordFetchInParallel(t *testing.T) {
	db, _ := open(t, "alice")
	const feeds, per, bad = 12, 300, 5
	ids := make([]int64, feeds)
	for i := range ids {
		ids[i] = wFeed(t, db, fmt.Sprint("par", i))
	}
	boom := errors.New("broken")
	var wg sync.WaitGroup
	errs := make([]error, feeds)
	stats := make([]store.SaveStats, feeds)
	for f := range feeds {
		wg.Go(func() {
			all := make([]store.Item, per)
			for i := range all {
				all[i] = store.Item{Key: fmt.Sprint(i), Title: fmt.Sprintf("feed %d item %d 华为", f, i), Firms: []string{"huawei"},
					Published: wDay.Add(-time.Duration(i) * time.Minute)}
			}
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
			stats[f], errs[f] = db.RecordFetch(wCtx, ids[f], store.FetchResult{At: wDay, Status: 200}, next)
		})
	}
	wg.Wait()
	for f := range feeds {
		n := wCount(t, db, `SELECT count(*) FROM items WHERE feed_id = $1`, ids[f])
		if f == bad {
			if !errors.Is(errs[f], boom) || n != 0 {
				t.Errorf("failing feed: %v, %d items saved", errs[f], n)
			}
			continue
		}
		if errs[f] != nil || stats[f].New != per || n != per {
			t.Errorf("feed %d: %+v %v, %d stored", f, stats[f], errs[f], n)
		}
	}
	if n := wCount(t, db, `SELECT count(*) FROM items WHERE search LIKE '%华为%'`); n != (feeds-1)*per {
		t.Errorf("search text finds %d items, want %d", n, (feeds-1)*per)
	}
	wCheck(t, db)
}

// TestSaveHostileText: a NUL byte or invalid UTF-8, which PostgreSQL's
// text refuses, does not keep a feed out of the store.
func TestSaveHostileText(t *testing.T) {
	db, _ := open(t, "alice")
	feed := wFeed(t, db, "hostile")
	st := wSave(t, db, feed, store.Item{Key: "k\x00", Title: "bad \x00 byte \xff here", Summary: "\xc3", Published: wDay, Firms: []string{"hua\x00wei"}})
	if st.New != 1 {
		t.Fatalf("%+v", st)
	}
	if n := wCount(t, db, `SELECT count(*) FROM items WHERE title = 'bad  byte `+"\uFFFD"+` here'`); n != 1 {
		t.Error("the hostile title was not stored cleaned")
	}
	// The same input again is the same item, unchanged.
	if st := wSave(t, db, feed, store.Item{Key: "k\x00", Title: "bad \x00 byte \xff here", Summary: "\xc3", Published: wDay, Firms: []string{"hua\x00wei"}}); st.Unchanged != 1 {
		t.Errorf("re-save %+v, want unchanged", st)
	}
}
