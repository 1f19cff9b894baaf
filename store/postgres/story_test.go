package postgres_test

import (
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

func wStoryItem(key, url, title string, at time.Time, firms ...string) store.Item {
	return store.Item{Key: key, URL: url, Title: title, Summary: title + ".", Lang: "en", Published: at, Firms: firms}
}

// wStories returns each item's "key story-of-key copy", story-of-key
// being the key of the item whose id is the story ("-" when alone,
// "gone" when that item is no more), in key order.
func wStories(t *testing.T, db *postgres.DB) []string {
	t.Helper()
	rows, err := db.Pool().Query(wCtx, `SELECT i.key || ' ' || CASE WHEN i.story = 0 THEN '-' ELSE coalesce((SELECT s.key FROM items s WHERE s.id = i.story), 'gone') END || ' ' || i.copy
		FROM items i ORDER BY i.key`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

func wEqual(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %q, want %q", what, got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: %q, want %q", what, got, want)
			return
		}
	}
}

// TestOneStoryOnce: copies of one story from several feeds group as on
// SQLite; a late copy takes each user's marks on the story; the copy
// shown goes with its feed or a prune, and the earliest left takes its
// place; tag rows mirror the copy flag throughout.
func TestOneStoryOnce(t *testing.T) {
	db, _ := open(t, "alice")
	a, b, c := wFeed(t, db, "Alpha"), wFeed(t, db, "Beta"), wFeed(t, db, "Gamma")
	wSave(t, db, a, wStoryItem("a1", "https://news.example.com/2026/chip?utm_source=alpha", "Huawei ships a new accelerator", wDay, "huawei"),
		wStoryItem("a2", "https://news.example.com/2026/other", "Something else entirely happened", wDay.Add(time.Hour)))
	wSave(t, db, b, wStoryItem("b1", "https://www.news.example.com/2026/chip?utm_source=beta&utm_medium=rss", "Huawei ships new accelerator (Beta)", wDay.Add(24*time.Hour), "huawei"))
	wEqual(t, "after Beta", wStories(t, db), "a1 a1 0", "a2 - 0", "b1 a1 1")
	// An earlier copy from Gamma becomes the copy shown.
	wSave(t, db, c, wStoryItem("c1", "http://news.example.com/2026/chip/", "Huawei’s accelerator", wDay.Add(-2*time.Hour), "huawei"))
	wEqual(t, "after Gamma", wStories(t, db), "a1 a1 1", "a2 - 0", "b1 a1 1", "c1 a1 0")
	wCheck(t, db)
	if n := wCount(t, db, `SELECT count(*) FROM item_tags WHERE kind = 'firm' AND entity = 'huawei' AND copy = 0`); n != 1 {
		t.Errorf("%d huawei tag rows shown, want the one story's", n)
	}

	// alice read and starred the story (every copy, as marking does);
	// bob starred one copy only; carol has a row with nothing set.
	for _, k := range []struct {
		feed int64
		key  string
	}{{a, "a1"}, {b, "b1"}, {c, "c1"}} {
		wMark(t, db, "alice", wID(t, db, k.feed, k.key), true, true)
	}
	wMark(t, db, "bob", wID(t, db, b, "b1"), false, true)
	wMark(t, db, "carol", wID(t, db, a, "a1"), false, false)
	d := wFeed(t, db, "Delta")
	wSave(t, db, d, wStoryItem("d1", "https://news.example.com/2026/chip?fbclid=x", "Huawei accelerator news", wDay.Add(30*time.Hour), "huawei"))
	d1 := wID(t, db, d, "d1")
	if n := wCount(t, db, `SELECT count(*) FROM items WHERE id = $1 AND copy = 1`, d1); n != 1 {
		t.Error("the late copy is shown")
	}
	if n := wCount(t, db, `SELECT count(*) FROM marks WHERE item_id = $1 AND username = 'alice' AND read AND starred`, d1); n != 1 {
		t.Error("a late copy of alice's read, starred story is not read and starred for her")
	}
	if n := wCount(t, db, `SELECT count(*) FROM marks WHERE item_id = $1 AND username = 'bob' AND NOT read AND starred`, d1); n != 1 {
		t.Error("a late copy of bob's starred story is not starred (and only starred) for him")
	}
	if n := wCount(t, db, `SELECT count(*) FROM marks WHERE item_id = $1 AND username = 'carol'`, d1); n != 0 {
		t.Error("carol's empty mark was copied")
	}

	// The copy shown goes with its feed: the earliest left takes its place.
	if n, err := db.RemoveFeed(wCtx, c); err != nil || n != 1 {
		t.Fatalf("RemoveFeed = %d, %v", n, err)
	}
	wEqual(t, "after removing Gamma", wStories(t, db), "a1 a1 0", "a2 - 0", "b1 a1 1", "d1 a1 1")
	wCheck(t, db)
	// Pruning the shown copy promotes the next.
	if n, err := db.Prune(wCtx, wDay.Add(12*time.Hour), false); err != nil || n != 2 {
		t.Fatalf("Prune = %d, %v; want a1 and a2", n, err)
	}
	wEqual(t, "after pruning", wStories(t, db), "b1 gone 0", "d1 gone 1")
	wCheck(t, db)
	if n := wCount(t, db, `SELECT count(*) FROM item_tags WHERE copy = 0 AND kind = 'firm'`); n != 1 {
		t.Errorf("%d firm tag rows shown after pruning, want b1's", n)
	}
}

// TestStoryRuleOnSave saves pairs of items from two feeds and checks
// whether they are one story.
func TestStoryRuleOnSave(t *testing.T) {
	const title = "Huawei unveils Ascend 910C accelerator for data centres"
	day0 := wDay
	tests := []struct {
		name      string
		a, b      store.Item
		sameFeed  bool
		wantStory bool
	}{
		{"same link but utm_source", wStoryItem("1", "https://x.example.com/a?utm_source=one", "First title here", day0),
			wStoryItem("2", "https://x.example.com/a?utm_source=two", "A second title", day0.Add(time.Hour)), false, true},
		{"same link, months apart", wStoryItem("1", "https://x.example.com/a", "First title here", day0),
			wStoryItem("2", "https://x.example.com/a", "A second title", day0.AddDate(0, 3, 0)), false, true},
		{"other links", wStoryItem("1", "https://x.example.com/a?id=1", "First title here", day0),
			wStoryItem("2", "https://x.example.com/a?id=2", "A second title", day0), false, false},
		{"same title folded, two days apart", wStoryItem("1", "https://a.example.com/1", title, day0),
			wStoryItem("2", "https://b.example.com/2", "HUAWEI UNVEILS ASCEND 910C ACCELERATOR FOR DATA CENTRES!", day0.Add(48*time.Hour)), false, true},
		{"same title, four days apart", wStoryItem("1", "https://a.example.com/1", title, day0),
			wStoryItem("2", "https://b.example.com/2", title, day0.Add(96*time.Hour)), false, false},
		{"same title, one feed", wStoryItem("1", "https://a.example.com/1", title, day0),
			wStoryItem("2", "https://a.example.com/2", title, day0.Add(time.Hour)), true, false},
		{"same short title", wStoryItem("1", "https://a.example.com/1", "Market wrap", day0),
			wStoryItem("2", "https://b.example.com/2", "Market wrap", day0), false, false},
		{"similar long titles", wStoryItem("1", "https://a.example.com/1", "US adds 12 Chinese firms to the Entity List", day0),
			wStoryItem("2", "https://b.example.com/2", "US adds 23 Chinese firms to the Entity List", day0), false, false},
		{"traditional and simplified headline", wStoryItem("1", "https://a.example.com/1", "華為發布用於數據中心的昇騰910C加速器", day0),
			wStoryItem("2", "https://b.example.cn/2", "华为发布用于数据中心的昇腾910C加速器", day0.Add(time.Hour)), false, true},
	}
	db, _ := open(t, "alice") // one database, two fresh feeds a case
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			one := wFeed(t, db, "one"+string(rune('a'+i)))
			two := one
			if !tt.sameFeed {
				two = wFeed(t, db, "two"+string(rune('a'+i)))
			}
			wSave(t, db, one, tt.a)
			wSave(t, db, two, tt.b)
			got := wCount(t, db, `SELECT count(*) FROM items WHERE story <> 0 AND feed_id IN ($1, $2)`, one, two) == 2
			if got != tt.wantStory {
				t.Errorf("one story = %v, want %v", got, tt.wantStory)
			}
			shown := wCount(t, db, `SELECT count(*) FROM items WHERE copy = 0 AND feed_id IN ($1, $2)`, one, two)
			if want := map[bool]int{true: 1, false: 2}[tt.wantStory]; shown != want {
				t.Errorf("%d shown, want %d", shown, want)
			}
			// Cases use the same links: take this case's items away.
			wExec(t, db, `DELETE FROM items WHERE feed_id IN ($1, $2)`, one, two)
		})
	}
}

// TestStoryOncePerFeed: a story holds one copy of each feed, and an item
// joins at most one story.
func TestStoryOncePerFeed(t *testing.T) {
	db, _ := open(t, "alice")
	one, two := wFeed(t, db, "One"), wFeed(t, db, "Two")
	const title = "Cambricon posts its first annual profit on AI chip demand"
	wSave(t, db, one, wStoryItem("1", "https://a.example.com/1", title, wDay))
	wSave(t, db, two, wStoryItem("2", "https://b.example.com/2", title, wDay.Add(time.Hour)),
		wStoryItem("3", "https://b.example.com/3", title, wDay.Add(2*time.Hour)))
	wEqual(t, "stories", wStories(t, db), "1 1 0", "2 1 1", "3 - 0")
	wCheck(t, db)
}
