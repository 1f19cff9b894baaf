package sqlite_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

func TestViews(t *testing.T) {
	db := mustOpen(t)
	if err := db.AddView(ctx, store.View{Name: "Huawei unread", Query: "firm:huawei is:unread"}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddView(ctx, store.View{Name: "huawei UNREAD", Query: "x"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a name clash in another case: %v", err)
	}
	if err := db.AddView(ctx, store.View{Name: " ", Query: "x"}); err == nil {
		t.Error("a view without a name was stored")
	}
	vs, err := db.Views(ctx)
	if err != nil || len(vs) != 1 || vs[0].Name != "Huawei unread" || vs[0].Query != "firm:huawei is:unread" || vs[0].Source != "store" {
		t.Fatalf("views = %+v, %v", vs, err)
	}
	if err := db.RemoveView(ctx, "HUAWEI unread"); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveView(ctx, "Huawei unread"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing a removed view: %v", err)
	}
}

func TestFeedSettings(t *testing.T) {
	db := mustOpen(t)
	id, _ := db.AddFeed(ctx, store.Feed{URL: "https://example.org/s.xml", Enabled: true})
	fetched := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	if _, err := db.RecordFetch(ctx, id, store.FetchResult{At: fetched, Status: 200, NextTry: fetched.Add(30 * time.Minute)}, nil); err != nil {
		t.Fatal(err)
	}
	iv, mb, to, ua := 6*time.Hour, int64(20<<20), 45*time.Second, "test/1"
	if err := db.SetFeedSettings(ctx, []int64{id}, store.FeedSettings{Interval: &iv, MaxBody: &mb, Timeout: &to, UserAgent: &ua}); err != nil {
		t.Fatal(err)
	}
	f, err := db.Feed(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if f.Interval != iv || f.MaxBody != mb || f.Timeout != to || f.UserAgent != ua {
		t.Errorf("feed = %+v", f)
	}
	if !f.NextTry.Equal(fetched.Add(6 * time.Hour)) {
		t.Errorf("next try %v, want the last success plus the new interval", f.NextTry)
	}
	due, _ := db.DueFeeds(ctx, fetched.Add(time.Hour), nil)
	for _, d := range due {
		if d.ID == id {
			t.Error("a feed set to 6h, fetched an hour ago, is due")
		}
	}
	if err := db.SetFeedSettings(ctx, []int64{id, 99999}, store.FeedSettings{UserAgent: new(string)}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown feed: %v", err)
	}
	if f2, _ := db.Feed(ctx, id); f2.UserAgent != ua {
		t.Error("a refused change was half applied")
	}
}

func TestIgnore(t *testing.T) {
	db := mustOpen(t)
	noisy, _ := db.AddFeed(ctx, store.Feed{URL: "https://noise.example.org/feed.xml", Title: "Some Feed", Enabled: true})
	good, _ := db.AddFeed(ctx, store.Feed{URL: "https://good.example.org/feed.xml", Title: "Good Feed", Enabled: true})
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.SaveItems(ctx, noisy, []store.Item{
		{Key: "n1", Title: "Huawei noise", Firms: []string{"huawei"}, Published: now},
		{Key: "n2", Title: "more noise", Published: now},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveItems(ctx, good, []store.Item{
		{Key: "g1", Title: "Huawei news", Firms: []string{"huawei"}, Published: now},
	}); err != nil {
		t.Fatal(err)
	}
	before, _ := db.CountItems(ctx, store.Filter{})
	huaweiBefore, _ := db.CountItems(ctx, store.Filter{Firms: []string{"huawei"}})
	firmsBefore, _ := db.FirmCounts(ctx)

	db.SetIgnore([]store.Filter{{Feeds: []string{"Some Feed"}}})
	items, err := db.Items(ctx, store.Filter{Firms: []string{"huawei"}, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.FeedID == noisy {
			t.Errorf("ignored item %q listed", it.Title)
		}
	}
	all, _ := db.Items(ctx, store.Filter{Limit: 1000})
	for _, it := range all {
		if it.FeedID == noisy {
			t.Errorf("ignored item %q listed without a filter", it.Title)
		}
	}
	after, _ := db.CountItems(ctx, store.Filter{})
	if after.Total != before.Total-2 || after.Unread != before.Unread-2 {
		t.Errorf("all items: %+v → %+v, want 2 fewer", before, after)
	}
	huawei, _ := db.CountItems(ctx, store.Filter{Firms: []string{"huawei"}, Unread: store.Yes})
	if huawei.Total != huaweiBefore.Unread-1 {
		t.Errorf("huawei unread: %d → %d, want 1 fewer", huaweiBefore.Unread, huawei.Total)
	}
	text, _ := db.CountItems(ctx, store.Filter{Text: []string{"noise"}})
	if text.Total != 0 {
		t.Errorf("a search counts %d ignored items", text.Total)
	}
	firms, _ := db.FirmCounts(ctx)
	if firms["huawei"].Total != firmsBefore["huawei"].Total-1 {
		t.Errorf("firm count %d → %d, want 1 fewer", firmsBefore["huawei"].Total, firms["huawei"].Total)
	}
	feeds, _ := db.Feeds(ctx)
	for _, f := range feeds {
		if f.ID == noisy && (f.IgnoredCount != 2 || f.ItemCount != 0) {
			t.Errorf("noisy feed: %d items, %d ignored; want 0 and 2", f.ItemCount, f.IgnoredCount)
		}
		if f.ID == good && (f.IgnoredCount != 0 || f.ItemCount != 1) {
			t.Errorf("good feed: %d items, %d ignored", f.ItemCount, f.IgnoredCount)
		}
	}
	if n, err := db.MarkAllRead(ctx, store.Filter{Firms: []string{"huawei"}}); err != nil || n != huaweiBefore.Unread-1 {
		t.Errorf("mark all read marked %d (%v), want the %d shown", n, err, huaweiBefore.Unread-1)
	}
	// Never deleted: without the rules, the items are back, unread.
	db.SetIgnore(nil)
	back, _ := db.Items(ctx, store.Filter{Feeds: []string{"Some Feed"}, Limit: 10})
	if len(back) != 2 {
		t.Fatalf("ignored items after clearing the rules: %d, want 2", len(back))
	}
	for _, it := range back {
		if it.Read {
			t.Errorf("%q was marked read while ignored", it.Title)
		}
	}
	// An item is read by ID even while ignored.
	db.SetIgnore([]store.Filter{{Feeds: []string{"Some Feed"}}})
	if _, err := db.Item(ctx, back[0].ID); err != nil {
		t.Errorf("Item of an ignored item: %v", err)
	}
}
