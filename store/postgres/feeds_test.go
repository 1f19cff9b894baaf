package postgres_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

// TestFeedsLifecycle: adding (a URL twice is a conflict), listing with
// each user's unread counts, enabling, removing (its items go, and the
// URL is remembered as removed), and clear errors for unknown feeds.
func TestFeedsLifecycle(t *testing.T) {
	db, dsn := open(t, "alice")
	rule := &store.HTMLRule{Item: "li.news", Title: "a"}
	html, err := db.AddFeed(wCtx, store.Feed{URL: "https://list.example.org/", Title: "List", Kind: store.KindHTML, HTML: rule, Enabled: true, Category: "cn/news"})
	if err != nil {
		t.Fatal(err)
	}
	plain := wFeed(t, db, "plain")
	if _, err := db.AddFeed(wCtx, store.Feed{URL: "https://plain.example.org/feed"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("the same URL again: %v, want ErrConflict", err)
	}
	wSave(t, db, plain, store.Item{Key: "1", Title: "One", Published: wDay}, store.Item{Key: "2", Title: "Two", Published: wDay}, store.Item{Key: "3", Title: "Three", Published: wDay})
	wMark(t, db, "alice", wID(t, db, plain, "1"), true, false)
	wMark(t, db, "alice", wID(t, db, plain, "2"), false, true)
	wMark(t, db, "bob", wID(t, db, plain, "3"), true, false)

	feeds, err := db.Feeds(wCtx)
	if err != nil || len(feeds) != 2 {
		t.Fatalf("Feeds = %v, %v", feeds, err)
	}
	h, p := feeds[0], feeds[1]
	if h.ID != html || h.Kind != store.KindHTML || h.HTML == nil || *h.HTML != *rule || h.Category != "cn/news" || h.Source != store.SourceUser ||
		h.Bodies != store.BodiesOnDemand || !h.Enabled {
		t.Errorf("html feed read back as %+v", h)
	}
	if p.ItemCount != 3 || p.UnreadCount != 2 {
		t.Errorf("alice's counts: %d items, %d unread; want 3, 2", p.ItemCount, p.UnreadCount)
	}
	bob, err := postgres.Open(wCtx, dsn, postgres.Options{User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	if fs, _ := bob.Feeds(wCtx); len(fs) != 2 || fs[1].UnreadCount != 2 {
		t.Errorf("bob's feeds: %+v", fs)
	}
	status, err := db.FeedStatus(wCtx)
	if err != nil || len(status) != 2 || status[1].ItemCount != 0 || status[1].URL != p.URL {
		t.Errorf("FeedStatus = %+v, %v", status, err)
	}

	if err := db.SetFeedEnabled(wCtx, plain, false); err != nil {
		t.Fatal(err)
	}
	if f, _ := db.Feed(wCtx, plain); f.Enabled {
		t.Error("still enabled")
	}
	if err := db.SetFeedEnabled(wCtx, 999, true); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("enable an unknown feed: %v", err)
	}
	if _, err := db.Feed(wCtx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown feed: %v", err)
	}

	n, err := db.RemoveFeed(wCtx, plain)
	if err != nil || n != 3 {
		t.Fatalf("RemoveFeed = %d, %v; want its 3 items", n, err)
	}
	if wCount(t, db, `SELECT count(*) FROM items`) != 0 || wCount(t, db, `SELECT count(*) FROM marks`) != 0 {
		t.Error("the removed feed's items or their marks stayed")
	}
	if wCount(t, db, `SELECT count(*) FROM removed_feeds WHERE url = 'https://plain.example.org/feed'`) != 1 {
		t.Error("the removed URL is not remembered")
	}
	if _, err := db.RemoveFeed(wCtx, plain); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("remove again: %v", err)
	}
	// Added again, it is no longer a removed feed.
	wFeed(t, db, "plain")
	if wCount(t, db, `SELECT count(*) FROM removed_feeds`) != 0 {
		t.Error("a feed added again stays in removed_feeds")
	}
}

// TestDueFeeds: enabled, fetchable feeds whose next try has come; named
// feeds whatever their state; unknown and built-in ones refused.
func TestDueFeeds(t *testing.T) {
	db, _ := open(t, "alice")
	now := wDay
	due, later, off := wFeed(t, db, "due"), wFeed(t, db, "later"), wFeed(t, db, "off")
	builtin, err := db.AddFeed(wCtx, store.Feed{URL: "builtin:snapshot", Kind: store.KindBuiltin, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	for id, next := range map[int64]time.Time{due: now.Add(-time.Minute), later: now.Add(time.Hour)} {
		if _, err := db.RecordFetch(wCtx, id, store.FetchResult{At: now.Add(-time.Hour), Status: 503, Err: "HTTP 503", NextTry: next}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetFeedEnabled(wCtx, off, false); err != nil {
		t.Fatal(err)
	}
	ids := func(fs []store.Feed, err error) []int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, f := range fs {
			out = append(out, f.ID)
		}
		return out
	}
	if got := ids(db.DueFeeds(wCtx, now, nil)); len(got) != 1 || got[0] != due {
		t.Errorf("due now: %v, want [%d]", got, due)
	}
	if got := ids(db.DueFeeds(wCtx, now.Add(2*time.Hour), nil)); len(got) != 2 || got[0] != due || got[1] != later {
		t.Errorf("due in two hours: %v, want [%d %d]", got, due, later)
	}
	if got := ids(db.DueFeeds(wCtx, now, []int64{off, later})); len(got) != 2 || got[0] != off || got[1] != later {
		t.Errorf("named: %v", got)
	}
	if _, err := db.DueFeeds(wCtx, now, []int64{404}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown: %v", err)
	}
	if _, err := db.DueFeeds(wCtx, now, []int64{builtin}); err == nil {
		t.Error("a built-in feed was offered for fetching")
	}
	// Enabling a feed makes it due at once.
	if err := db.SetFeedEnabled(wCtx, later, true); err != nil {
		t.Fatal(err)
	}
	if got := ids(db.DueFeeds(wCtx, now, nil)); len(got) != 2 {
		t.Errorf("after enabling: %v", got)
	}
}

// TestSetFeedSettings: all or none; a new interval moves a healthy
// feed's next check; a feed backing off keeps its wait.
func TestSetFeedSettings(t *testing.T) {
	db, _ := open(t, "alice")
	healthy, failing := wFeed(t, db, "healthy"), wFeed(t, db, "failing")
	if _, err := db.RecordFetch(wCtx, healthy, store.FetchResult{At: wDay, Status: 200, NextTry: wDay.Add(time.Hour)}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordFetch(wCtx, failing, store.FetchResult{At: wDay, Status: 500, Err: "HTTP 500", NextTry: wDay.Add(5 * time.Hour)}, nil); err != nil {
		t.Fatal(err)
	}
	iv, maxBody, timeout, ua, always := 30*time.Minute, int64(1<<20), 7*time.Second, "aiwatch-test", store.BodiesAlways
	s := store.FeedSettings{Interval: &iv, MaxBody: &maxBody, Timeout: &timeout, UserAgent: &ua, Bodies: &always}
	if err := db.SetFeedSettings(wCtx, []int64{healthy, 404}, s); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("with an unknown feed: %v", err)
	}
	if f, _ := db.Feed(wCtx, healthy); f.Interval != 0 || f.UserAgent != "" {
		t.Errorf("a refused change was half made: %+v", f)
	}
	if err := db.SetFeedSettings(wCtx, []int64{healthy, failing}, s); err != nil {
		t.Fatal(err)
	}
	h, _ := db.Feed(wCtx, healthy)
	f, _ := db.Feed(wCtx, failing)
	if h.Interval != iv || h.MaxBody != maxBody || h.Timeout != timeout || h.UserAgent != ua || h.Bodies != store.BodiesAlways {
		t.Errorf("settings read back as %+v", h)
	}
	if !h.NextTry.Equal(wDay.Add(iv)) || !f.NextTry.Equal(wDay.Add(5*time.Hour)) {
		t.Errorf("next tries: healthy %v, failing %v", h.NextTry, f.NextTry)
	}
	od := store.BodiesOnDemand
	if err := db.SetFeedSettings(wCtx, []int64{healthy}, store.FeedSettings{Bodies: &od}); err != nil {
		t.Fatal(err)
	}
	if h, _ := db.Feed(wCtx, healthy); h.Bodies != store.BodiesOnDemand {
		t.Errorf("bodies back to on-demand: %q", h.Bodies)
	}
}
