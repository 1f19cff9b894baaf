package postgres_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

func TestFirmAndAllianceCounts(t *testing.T) {
	alice, dsn := open(t, "alice")
	bob := openUser(t, dsn, "bob")
	now := monday.Add(3*24*time.Hour + time.Hour) // Thursday of monday's week
	alice.Now = func() time.Time { return now }
	fd := newFeed(t, alice, "News")
	tagged := func(key string, at time.Time, firms []string, ally ...string) postgres.TestItem {
		it := newItem(key, "Item "+key, at, firms...)
		it.Ally = ally
		return it
	}
	week := 7 * 24 * time.Hour
	ids := insertItems(t, alice, fd,
		tagged("h1", now.Add(-time.Hour), []string{"huawei"}, "model-chip"),
		tagged("h2", now.Add(-week), []string{"huawei", "biren"}, "model-chip"),
		tagged("h3", now.Add(-2*week), []string{"huawei"}, "model-chip"),
		tagged("h4", now.Add(-11*week), []string{"huawei"}, "model-chip"), // the trend's first week
		tagged("h5", now.Add(-12*week), []string{"huawei"}, "model-chip"), // before it
		tagged("b1", now.Add(-week-time.Hour), []string{"biren"}, "model-chip", "other-ally"),
		tagged("n1", now.Add(-time.Minute), nil),
	)
	// A copy of h1's story in another feed counts nowhere.
	cp := tagged("h1-copy", now, []string{"huawei"}, "model-chip")
	cp.Story, cp.Copy = 1, 1
	insertItems(t, alice, newFeed(t, alice, "Other"), cp)

	if err := alice.SetRead(bg, []int64{ids["h1"], ids["b1"]}, true); err != nil {
		t.Fatal(err)
	}
	fc, err := alice.FirmCounts(bg)
	if err != nil {
		t.Fatal(err)
	}
	var trend store.Trend
	trend[11], trend[10], trend[9], trend[0] = 1, 1, 1, 1
	if c := fc["huawei"]; c.Total != 5 || c.Unread != 4 || c.Trend != trend {
		t.Errorf("huawei %+v, want 5 total, 4 unread, trend %v", c, trend)
	}
	trend = store.Trend{}
	trend[10] = 2
	if c := fc["biren"]; c.Total != 2 || c.Unread != 1 || c.Trend != trend {
		t.Errorf("biren %+v, want 2 total, 1 unread, trend %v", c, trend)
	}
	if len(fc) != 2 {
		t.Errorf("firm counts %v, want huawei and biren only", fc)
	}
	bc, _ := bob.FirmCounts(bg)
	if bc["huawei"].Unread != 5 || bc["biren"].Unread != 2 {
		t.Errorf("bob's firm counts %v", bc)
	}
	ac, err := alice.AllianceCounts(bg)
	if err != nil {
		t.Fatal(err)
	}
	if c := ac["model-chip"]; c.Total != 6 || c.Unread != 4 {
		t.Errorf("model-chip %+v", c)
	}
	if c := ac["other-ally"]; c.Total != 1 || c.Unread != 0 {
		t.Errorf("other-ally %+v", c)
	}
	if c := ac[""]; c.Total != 7 || c.Unread != 5 {
		t.Errorf("all items %+v, want 7 stories, 5 unread", c)
	}
	// CountItems agrees with the per-tag counts.
	for firm, want := range fc {
		if c := countsOf(t, alice, store.Filter{Firms: []string{firm}}); c.Total != want.Total || c.Unread != want.Unread {
			t.Errorf("CountItems(%s) = %+v, FirmCounts %+v", firm, c, want)
		}
	}
	if c := countsOf(t, alice, store.Filter{Firms: []string{"huawei", "biren"}}); c.Total != 1 || c.Unread != 1 {
		t.Errorf("huawei and biren: %+v", c)
	}
	if c := countsOf(t, alice, store.Filter{Firms: []string{"huawei"}, NotFirms: []string{"biren"}, Unread: store.Yes}); c.Total != 3 || c.Unread != 3 {
		t.Errorf("huawei not biren, unread: %+v", c)
	}
}

func TestIgnoreRules(t *testing.T) {
	db, dsn := open(t, "alice")
	fd := newFeed(t, db, "News")
	zh := postgres.TestItem{Item: store.Item{Key: "z", Title: "壁仞科技发布", Lang: "zh", Published: monday.Add(3 * time.Hour), Firms: []string{"biren"}}, Ally: []string{"model-chip"}}
	ids := insertItems(t, db, fd,
		newItem("a", "Huawei news", monday, "huawei"),
		newItem("s", "Sponsored: buy Huawei phones", monday.Add(time.Hour), "huawei"),
		newItem("b", "Biren in English", monday.Add(2*time.Hour), "biren"),
		zh,
	)
	db.SetIgnore([]store.Filter{{Text: []string{"sponsored"}}, {Firms: []string{"biren"}, Langs: []string{"zh"}}})
	if got := keysOf(t, db, store.Filter{}); !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("with ignore rules: %v", got)
	}
	if got := keysOf(t, db, store.Filter{Firms: []string{"huawei"}}); !slices.Equal(got, []string{"a"}) {
		t.Errorf("huawei with ignore rules: %v", got)
	}
	if c := countsOf(t, db, store.Filter{}); c.Total != 2 || c.Unread != 2 {
		t.Errorf("counts with ignore rules: %+v", c)
	}
	fc, err := db.FirmCounts(bg)
	if err != nil {
		t.Fatal(err)
	}
	if fc["huawei"].Total != 1 || fc["biren"].Total != 1 || fc["biren"].Trend.Sum() != 0 {
		t.Errorf("firm counts with ignore rules: %+v", fc)
	}
	ac, _ := db.AllianceCounts(bg)
	if ac["model-chip"].Total != 0 || ac[""].Total != 2 {
		t.Errorf("alliance counts with ignore rules: %+v", ac)
	}
	// Item reads an ignored item; MarkAllRead leaves ignored ones alone.
	if it, err := db.Item(bg, ids["s"]); err != nil || it.Key != "s" {
		t.Errorf("Item(ignored) = %+v, %v", it, err)
	}
	if n, err := db.MarkAllRead(bg, store.Filter{}); err != nil || n != 2 {
		t.Errorf("MarkAllRead = %d, %v; want 2", n, err)
	}
	// Another handle without rules sees everything, the ignored still unread.
	other := openUser(t, dsn, "alice")
	if got := keysOf(t, other, store.Filter{Unread: store.Yes}); !slices.Equal(got, []string{"z", "s"}) {
		t.Errorf("unread without ignore rules: %v", got)
	}
	db.SetIgnore(nil)
	if c := countsOf(t, db, store.Filter{}); c.Total != 4 || c.Unread != 2 {
		t.Errorf("counts after clearing the rules: %+v", c)
	}
}

// TestCountsFollowEveryChange checks that counts read again after a write
// by anyone, a change of ignore rules, or a new week, are the new ones.
func TestCountsFollowEveryChange(t *testing.T) {
	alice, dsn := open(t, "alice")
	bob := openUser(t, dsn, "bob")
	now := monday.Add(time.Hour)
	alice.Now = func() time.Time { return now }
	fd := newFeed(t, alice, "News")
	ids := insertItems(t, alice, fd, newItem("a", "One", monday, "huawei"))
	check := func(what string, total, unread, trend int) {
		t.Helper()
		fc, err := alice.FirmCounts(bg)
		if err != nil {
			t.Fatal(err)
		}
		c := countsOf(t, alice, store.Filter{Firms: []string{"huawei"}})
		ac, _ := alice.AllianceCounts(bg)
		if h := fc["huawei"]; h.Total != total || h.Unread != unread || h.Trend.Sum() != trend || c.Total != total || c.Unread != unread ||
			ac[""].Total != total || ac[""].Unread != unread {
			t.Errorf("%s: FirmCounts %+v, CountItems %+v, all %+v; want %d total, %d unread, %d in the trend", what, h, c, ac[""], total, unread, trend)
		}
	}
	check("at first", 1, 1, 1)
	insertItems(t, bob, fd, newItem("b", "Two", monday.Add(time.Minute), "huawei"))
	check("after bob's save", 2, 2, 2)
	if err := alice.SetRead(bg, []int64{ids["a"]}, true); err != nil {
		t.Fatal(err)
	}
	check("after alice read one", 2, 1, 2)
	if err := bob.SetRead(bg, []int64{ids["a"]}, false); err != nil {
		t.Fatal(err)
	}
	check("after bob unread it for himself", 2, 1, 2)
	alice.SetIgnore([]store.Filter{{Text: []string{"two"}}})
	check("with a rule", 1, 0, 1)
	alice.SetIgnore(nil)
	check("without", 2, 1, 2)
	now = now.Add(12 * 7 * 24 * time.Hour)
	check("twelve weeks on", 2, 1, 0)
}

// TestCountsAskedAtOnce: dashboards' panes ask for the same counts at the
// same moment; every caller gets the right counts, the same for all.
func TestCountsAskedAtOnce(t *testing.T) {
	db, _ := open(t, "alice")
	fd := newFeed(t, db, "news")
	now := time.Now()
	insertItems(t, db, fd, newItem("a", "Huawei one", now, "huawei"), newItem("b", "Huawei two", now.Add(-time.Hour), "huawei"), newItem("c", "Biren", now.Add(-2*time.Hour), "biren"))
	errs := make(chan error, 8)
	got := make(chan [2]int, 8)
	for range 8 {
		go func() {
			c, err := db.FirmCounts(bg)
			errs <- err
			got <- [2]int{c["huawei"].Total, c["biren"].Total}
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		if g := <-got; g != [2]int{2, 1} {
			t.Errorf("counts asked at once: huawei %d, biren %d; want 2 and 1", g[0], g[1])
		}
	}
}
