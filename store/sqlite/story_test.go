package sqlite_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// storyStore returns an empty store with feeds titled by names, and
// their ids.
func storyStore(t *testing.T, names ...string) (*sqlite.DB, []int64) {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "story.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var ids []int64
	for _, n := range names {
		id, err := db.AddFeed(ctx, store.Feed{URL: "https://" + n + ".example.org/feed", Title: n, Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return db, ids
}

var day0 = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)

func storyItem(key, url, title string, at time.Time, firms ...string) store.Item {
	return store.Item{Key: key, URL: url, Title: title, Summary: title + ".", Lang: "en", Published: at, Firms: firms}
}

func save(t *testing.T, db *sqlite.DB, feed int64, items ...store.Item) {
	t.Helper()
	if _, err := db.SaveItems(ctx, feed, items); err != nil {
		t.Fatal(err)
	}
}

// listed returns the titles Items lists for f, each with its also_in.
func listed(t *testing.T, db *sqlite.DB, f store.Filter) []string {
	t.Helper()
	items, err := db.Items(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		s := it.FeedTitle + ": " + it.Title
		if len(it.AlsoIn) > 0 {
			s += fmt.Sprintf(" %v", it.AlsoIn)
		}
		out = append(out, s)
	}
	return out
}

// checkCounts fails when the counters disagree with the rows.
func checkCounts(t *testing.T, db *sqlite.DB) {
	t.Helper()
	r, err := db.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !r.CountsOK {
		t.Fatal("the counters disagree with the rows")
	}
}

func TestOneStoryOnce(t *testing.T) {
	db, feeds := storyStore(t, "Alpha", "Beta", "Gamma")
	a, b, c := feeds[0], feeds[1], feeds[2]
	save(t, db, a, storyItem("a1", "https://news.example.com/2026/chip?utm_source=alpha", "Huawei ships a new accelerator", day0, "huawei"),
		storyItem("a2", "https://news.example.com/2026/other", "Something else entirely happened", day0.Add(time.Hour)))
	// The same link but for utm_source, a day later, from Beta; and an
	// earlier copy from Gamma, saved last.
	save(t, db, b, storyItem("b1", "https://www.news.example.com/2026/chip?utm_source=beta&utm_medium=rss", "Huawei ships new accelerator (Beta)", day0.Add(24*time.Hour), "huawei"))
	save(t, db, c, storyItem("c1", "http://news.example.com/2026/chip/", "Huawei’s accelerator", day0.Add(-2*time.Hour), "huawei"))

	got := listed(t, db, store.Filter{})
	want := []string{"Alpha: Something else entirely happened", "Gamma: Huawei’s accelerator [Alpha Beta]"}
	if !slices.Equal(got, want) {
		t.Errorf("listed %q, want %q", got, want)
	}
	if got := listed(t, db, store.Filter{AllCopies: true}); len(got) != 4 {
		t.Errorf("all copies: %q, want 4 items", got)
	}
	// A feed's filter shows that feed's own copy.
	if got := listed(t, db, store.Filter{Feeds: []string{"Beta"}}); !slices.Equal(got, []string{"Beta: Huawei ships new accelerator (Beta) [Gamma Alpha]"}) {
		t.Errorf("feed:Beta listed %q", got)
	}
	// Counts count stories.
	for _, f := range []store.Filter{{}, {Firms: []string{"huawei"}}, {Text: []string{"accelerator"}}, {Firms: []string{"huawei"}, Text: []string{"accelerator"}}} {
		n, err := db.CountItems(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		want := 1
		if len(f.Firms) == 0 && len(f.Text) == 0 {
			want = 2
		}
		if n.Total != want || n.Unread != want {
			t.Errorf("CountItems(%+v) = %+v, want %d stories unread", f, n, want)
		}
	}
	fc, err := db.FirmCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The weekly trend counts the story once too.
	if c := fc["huawei"]; c.Total != 1 || c.Unread != 1 || c.Trend.Sum() != 1 {
		t.Errorf("huawei counts %+v, want one unread story, once in the trend", c)
	}
	checkCounts(t, db)

	// Marking one copy read marks the story; the counters follow.
	ids := idsOf(t, db, "b1")
	if err := db.SetRead(ctx, ids, true); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT count(*) FROM items WHERE key IN ('a1', 'b1', 'c1') AND read = 1`); n != 3 {
		t.Errorf("%d copies read after marking one, want 3", n)
	}
	if fc, _ := db.FirmCounts(ctx); fc["huawei"].Total != 1 || fc["huawei"].Unread != 0 {
		t.Errorf("huawei counts %+v after reading, want one read story", fc["huawei"])
	}
	checkCounts(t, db)
	// Starring one stars all.
	if err := db.SetStarred(ctx, idsOf(t, db, "a1"), true); err != nil {
		t.Fatal(err)
	}
	if got := listed(t, db, store.Filter{Starred: store.Yes}); len(got) != 1 || got[0] != "Gamma: Huawei’s accelerator [Alpha Beta]" {
		t.Errorf("starred: %q", got)
	}
	// A copy that arrives later takes the story's marks.
	d := addFeed(t, db, "Delta")
	save(t, db, d, storyItem("d1", "https://news.example.com/2026/chip?fbclid=x", "Huawei accelerator news", day0.Add(30*time.Hour), "huawei"))
	if n := count(t, db, `SELECT count(*) FROM items WHERE key = 'd1' AND read = 1 AND starred = 1 AND copy = 1`); n != 1 {
		t.Error("a late copy of a read, starred story is not read, starred and hidden")
	}
	checkCounts(t, db)
	// Unread again: the whole story.
	if err := db.SetRead(ctx, idsOf(t, db, "d1"), false); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT count(*) FROM items WHERE story <> 0 AND read = 0`); n != 4 {
		t.Errorf("%d copies unread, want 4", n)
	}
	checkCounts(t, db)

	// The copy shown goes with its feed: the earliest left takes its place.
	if _, err := db.RemoveFeed(ctx, c); err != nil {
		t.Fatal(err)
	}
	if got := listed(t, db, store.Filter{Firms: []string{"huawei"}}); !slices.Equal(got, []string{"Alpha: Huawei ships a new accelerator [Beta Delta]"}) {
		t.Errorf("after removing Gamma: %q", got)
	}
	checkCounts(t, db)
	// Mark all read counts stories and marks every copy.
	n, err := db.MarkAllRead(ctx, store.Filter{Firms: []string{"huawei"}})
	if err != nil || n != 1 {
		t.Errorf("MarkAllRead = %d, %v; want 1 story", n, err)
	}
	if n := count(t, db, `SELECT count(*) FROM items WHERE story <> 0 AND read = 0`); n != 0 {
		t.Errorf("%d copies unread after marking all read", n)
	}
	checkCounts(t, db)
	// Pruning the shown copy promotes the next.
	if _, err := db.Prune(ctx, day0.Add(12*time.Hour), false); err != nil {
		t.Fatal(err)
	}
	if got := listed(t, db, store.Filter{Firms: []string{"huawei"}}); !slices.Equal(got, []string{"Beta: Huawei ships new accelerator (Beta) [Delta]"}) {
		t.Errorf("after pruning: %q", got)
	}
	checkCounts(t, db)
}

func addFeed(t *testing.T, db *sqlite.DB, name string) int64 {
	t.Helper()
	id, err := db.AddFeed(ctx, store.Feed{URL: "https://" + name + ".example.org/feed", Title: name, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func idsOf(t *testing.T, db *sqlite.DB, keys ...string) []int64 {
	t.Helper()
	var ids []int64
	for _, k := range keys {
		var id int64
		if err := db.SQL().QueryRow(`SELECT id FROM items WHERE key = ?`, k).Scan(&id); err != nil {
			t.Fatalf("item %s: %v", k, err)
		}
		ids = append(ids, id)
	}
	return ids
}

// TestStoryRuleOnSave saves pairs of items from two feeds and checks
// whether they are one story.
func TestStoryRuleOnSave(t *testing.T) {
	const title = "Huawei unveils Ascend 910C accelerator for data centres"
	tests := []struct {
		name       string
		a, b       store.Item
		sameFeed   bool
		wantStory  bool
		wantListed int
	}{
		{"same link but utm_source", storyItem("1", "https://x.example.com/a?utm_source=one", "First title here", day0),
			storyItem("2", "https://x.example.com/a?utm_source=two", "A second title", day0.Add(time.Hour)), false, true, 1},
		{"same link, months apart", storyItem("1", "https://x.example.com/a", "First title here", day0),
			storyItem("2", "https://x.example.com/a", "A second title", day0.AddDate(0, 3, 0)), false, true, 1},
		{"other links", storyItem("1", "https://x.example.com/a?id=1", "First title here", day0),
			storyItem("2", "https://x.example.com/a?id=2", "A second title", day0), false, false, 2},
		{"same title folded, two days apart", storyItem("1", "https://a.example.com/1", title, day0),
			storyItem("2", "https://b.example.com/2", "HUAWEI UNVEILS ASCEND 910C ACCELERATOR FOR DATA CENTRES!", day0.Add(48*time.Hour)), false, true, 1},
		{"same title, four days apart", storyItem("1", "https://a.example.com/1", title, day0),
			storyItem("2", "https://b.example.com/2", title, day0.Add(96*time.Hour)), false, false, 2},
		{"same title, one feed", storyItem("1", "https://a.example.com/1", title, day0),
			storyItem("2", "https://a.example.com/2", title, day0.Add(time.Hour)), true, false, 2},
		{"same short title", storyItem("1", "https://a.example.com/1", "Market wrap", day0),
			storyItem("2", "https://b.example.com/2", "Market wrap", day0), false, false, 2},
		{"similar short titles", storyItem("1", "https://a.example.com/1", "Huawei results", day0),
			storyItem("2", "https://b.example.com/2", "Huawei result", day0), false, false, 2},
		{"similar long titles", storyItem("1", "https://a.example.com/1", "US adds 12 Chinese firms to the Entity List", day0),
			storyItem("2", "https://b.example.com/2", "US adds 23 Chinese firms to the Entity List", day0), false, false, 2},
		{"English and Chinese headline of one event", storyItem("1", "https://a.example.com/1", title, day0),
			storyItem("2", "https://b.example.cn/2", "华为发布用于数据中心的昇腾910C加速器", day0), false, false, 2},
		{"traditional and simplified headline", storyItem("1", "https://a.example.com/1", "華為發布用於數據中心的昇騰910C加速器", day0),
			storyItem("2", "https://b.example.cn/2", "华为发布用于数据中心的昇腾910C加速器", day0.Add(time.Hour)), false, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, feeds := storyStore(t, "One", "Two")
			fb := feeds[1]
			if tt.sameFeed {
				fb = feeds[0]
			}
			save(t, db, feeds[0], tt.a)
			save(t, db, fb, tt.b)
			if got := count(t, db, `SELECT count(*) FROM items WHERE story <> 0`) == 2; got != tt.wantStory {
				t.Errorf("one story = %v, want %v", got, tt.wantStory)
			}
			if got := listed(t, db, store.Filter{}); len(got) != tt.wantListed {
				t.Errorf("listed %q, want %d", got, tt.wantListed)
			}
			checkCounts(t, db)
		})
	}
}

// TestStoryOncePerFeed: a story holds one copy of each feed, and an item
// joins at most one story.
func TestStoryOncePerFeed(t *testing.T) {
	db, feeds := storyStore(t, "One", "Two")
	const title = "Cambricon posts its first annual profit on AI chip demand"
	save(t, db, feeds[0], storyItem("1", "https://a.example.com/1", title, day0))
	// Two items of feed Two with the same title: only the first joins.
	save(t, db, feeds[1], storyItem("2", "https://b.example.com/2", title, day0.Add(time.Hour)),
		storyItem("3", "https://b.example.com/3", title, day0.Add(2*time.Hour)))
	if n := count(t, db, `SELECT count(*) FROM items WHERE story <> 0`); n != 2 {
		t.Errorf("%d items in a story, want 2", n)
	}
	if got := listed(t, db, store.Filter{}); len(got) != 2 {
		t.Errorf("listed %q, want the story and the second item of Two", got)
	}
	checkCounts(t, db)
}

// TestStoryMigration groups the items of a store from before stories
// when it is opened.
func TestStoryMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	if err := sqlite.CreateAtVersion(path, 12); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO feeds (id, url, title) VALUES (1, 'https://a.example.org/feed', 'Alpha'), (2, 'https://b.example.org/feed', 'Beta')`,
		`INSERT INTO items (id, feed_id, key, url, title, published, read) VALUES
			(1, 1, 'a1', 'https://n.example.com/x?utm_source=a', 'One title of a story that is long enough', 1764489600, 0),
			(2, 2, 'b1', 'https://n.example.com/x?utm_source=b', 'Another title of the same story here', 1764486000, 1),
			(3, 1, 'a2', 'https://n.example.com/y', 'A story told once and only once here', 1764489600, 0)`,
		`INSERT INTO item_tags (kind, entity, item_id, unread) VALUES ('firm', 'huawei', 1, 1), ('firm', 'huawei', 2, 0)`,
		`UPDATE tag_counts SET total = 3, unread = 2 WHERE kind = '' AND entity = ''`,
		`INSERT INTO tag_counts (kind, entity, total, unread) VALUES ('firm', 'huawei', 2, 1)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	defer sqlite.SetRegroupPage(2)() // three items: two pages
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := listed(t, db, store.Filter{})
	want := []string{"Alpha: A story told once and only once here", "Beta: Another title of the same story here [Alpha]"}
	if !slices.Equal(got, want) {
		t.Errorf("listed %q, want %q", got, want)
	}
	// One copy was read: the story is read.
	if n := count(t, db, `SELECT count(*) FROM items WHERE read = 1`); n != 2 {
		t.Errorf("%d items read, want both copies", n)
	}
	if fc, _ := db.FirmCounts(ctx); fc["huawei"] != (store.Counts{Total: 1}) {
		t.Errorf("huawei %+v, want one read story", fc["huawei"])
	}
	checkCounts(t, db)
	// New items find the old ones by their keys.
	save(t, db, addFeed(t, db, "Gamma"), storyItem("g1", "https://n.example.com/y#top", "Gamma's take", time.Unix(1764489600, 0)))
	if got := listed(t, db, store.Filter{}); len(got) != 2 {
		t.Errorf("after a new copy: %q", got)
	}
}

// TestStoryMigrationMatchesSave groups the same items twice: saved one
// feed's part at a time, and written as an older aiwatch would have
// written them, then upgraded. The upgrade decides as the write path
// does.
func TestStoryMigrationMatchesSave(t *testing.T) {
	titles := []string{
		"Huawei ships Ascend accelerators to new data centres", "HUAWEI SHIPS ASCEND ACCELERATORS TO NEW DATA CENTRES!",
		"摩尔线程发布新一代图形处理器芯片产品线", "摩爾線程發布新一代圖形處理器芯片產品線", "Market wrap", "Cambricon revenue rises again in the third quarter",
	}
	type row struct {
		feed      int64
		key, url  string
		title     string
		published int64
	}
	var rows []row
	db, feeds := storyStore(t, "F1", "F2", "F3", "F4", "F5")
	for round := range 6 {
		for fi, feed := range feeds {
			var items []store.Item
			for j := range 7 {
				n := round*100 + fi*10 + j
				at := day0.Add(time.Duration((n*7919)%(9*24*60)) * time.Minute)
				url := fmt.Sprintf("https://site%d.example.com/story/%d?utm_source=f%d", n%4, (n*31)%23, fi)
				it := storyItem(fmt.Sprintf("k%d", n), url, titles[(n*13)%len(titles)], at)
				items = append(items, it)
			}
			save(t, db, feed, items...)
		}
	}
	q, err := db.SQL().Query(`SELECT feed_id, key, url, title, published FROM items ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for q.Next() {
		var r row
		if err := q.Scan(&r.feed, &r.key, &r.url, &r.title, &r.published); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	q.Close()
	grouping := func(db *sqlite.DB) map[string]string {
		out := map[string]string{}
		rs, err := db.SQL().Query(`SELECT i.key, coalesce((SELECT s.key FROM items s WHERE s.id = i.story), ''), i.copy FROM items i`)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		for rs.Next() {
			var k, s string
			var c bool
			if err := rs.Scan(&k, &s, &c); err != nil {
				t.Fatal(err)
			}
			out[k] = fmt.Sprintf("story %q copy %v", s, c)
		}
		return out
	}
	saved := grouping(db)
	if n := count(t, db, `SELECT count(*) FROM items WHERE copy = 1`); n < 20 {
		t.Fatalf("only %d copies: the test says little", n)
	}

	path := filepath.Join(t.TempDir(), "old.db")
	if err := sqlite.CreateAtVersion(path, 12); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range feeds {
		if _, err := raw.Exec(`INSERT INTO feeds (id, url, title) VALUES (?, ?, ?)`, f, fmt.Sprintf("https://f%d.example.org/feed", i), fmt.Sprintf("F%d", i+1)); err != nil {
			t.Fatal(err)
		}
	}
	for i, r := range rows {
		if _, err := raw.Exec(`INSERT INTO items (id, feed_id, key, url, title, published) VALUES (?, ?, ?, ?, ?, ?)`, i+1, r.feed, r.key, r.url, r.title, r.published); err != nil {
			t.Fatal(err)
		}
	}
	raw.Exec(`UPDATE tag_counts SET total = (SELECT count(*) FROM items), unread = (SELECT count(*) FROM items) WHERE kind = '' AND entity = ''`)
	raw.Close()
	defer sqlite.SetRegroupPage(50)()
	up, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	upgraded := grouping(up)
	for k, want := range saved {
		if got := upgraded[k]; got != want {
			t.Errorf("item %s: saved as %s, upgraded as %s", k, want, got)
		}
	}
	checkCounts(t, up)
}
