package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/store/postgres/pgtest"
)

func TestMergeItems(t *testing.T) {
	ctx := context.Background()
	db, dsn := open(t, "alice")
	pool := db.Pool()
	// A membership, for the alliance roll-up.
	for _, q := range []string{
		`INSERT INTO firms (id, name) VALUES ('huawei', 'Huawei')`,
		`INSERT INTO alliances (id, name) VALUES ('aiia', 'AIIA'), ('other', 'Other')`,
		`INSERT INTO memberships (alliance_id, firm_id) VALUES ('aiia', 'huawei')`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC)
	feed := store.Feed{URL: "https://example.org/news.xml", Title: "News", Kind: store.KindFeed, Enabled: true, Source: store.SourceUser,
		Interval: 6 * time.Hour, Timeout: 5 * time.Second, Bodies: "always"}
	items := []store.Item{
		{Key: "a", Title: "华为昇腾生态大会在上海召开", Summary: "Summary A", Published: now, Lang: "zh", Firms: []string{"huawei"}, Read: true,
			Mentions: []store.Mention{{Entity: "huawei", Kind: store.KindFirm, Alias: "华为", Field: store.FieldTitle, Start: 0, End: 6}}},
		{Key: "b", Title: "Plain", Content: "Body B", Published: now.Add(time.Hour), Starred: true, Alliances: []string{"other"}},
		{Key: "c", Title: "Unmarked", Published: now.Add(2 * time.Hour)},
	}
	v0, _ := db.DataVersion(ctx)
	res, err := db.MergeItems(ctx, feed, items)
	if err != nil {
		t.Fatal(err)
	}
	if !res.FeedAdded || res.Added != 3 || len(res.IDs) != 3 || res.IDs[0] == 0 {
		t.Fatalf("first merge: %+v", res)
	}
	if v1, _ := db.DataVersion(ctx); v1 == v0 {
		t.Error("a merge did not move the data version")
	}
	var search string
	var interval, timeout int64
	if err := pool.QueryRow(ctx, `SELECT search FROM items WHERE id = $1`, res.IDs[0]).Scan(&search); err != nil || search != "华为昇腾生态大会在上海召开\nsummary a\n" {
		t.Errorf("search = %q, %v", search, err)
	}
	if err := pool.QueryRow(ctx, `SELECT poll_interval, timeout FROM feeds WHERE id = $1`, res.FeedID).Scan(&interval, &timeout); err != nil || interval != 6*3600 || timeout != 5000 {
		t.Errorf("feed settings %d s, %d ms, %v", interval, timeout, err)
	}
	tags := func() []string {
		rows, err := pool.Query(ctx, `SELECT t.kind || ':' || t.entity || ':' || i.key || ':' || (t.mentions <> '')::text || ':' || (t.published = i.published)::text
			FROM item_tags t JOIN items i ON i.id = t.item_id ORDER BY 1`)
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
	want := []string{"alliance:other:b:false:true", "ally:aiia:a:false:true", "ally:other:b:false:true", "firm:huawei:a:true:true"}
	if got := tags(); !slices.Equal(got, want) {
		t.Errorf("tags = %v, want %v", got, want)
	}
	marks := func(user string) []string {
		rows, err := pool.Query(ctx, `SELECT i.key || ':' || m.read::text || ':' || m.starred::text FROM marks m JOIN items i ON i.id = m.item_id
			WHERE m.username = $1 ORDER BY 1`, user)
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
	if got := marks("alice"); !slices.Equal(got, []string{"a:true:false", "b:false:true"}) {
		t.Errorf("alice's marks = %v", got)
	}

	// Again: nothing new, the same IDs, the same rows.
	items[2].Title = "Changed elsewhere"
	res2, err := db.MergeItems(ctx, feed, items)
	if err != nil {
		t.Fatal(err)
	}
	if res2.FeedAdded || res2.Added != 0 || !slices.Equal(res2.IDs, res.IDs) || res2.FeedID != res.FeedID {
		t.Errorf("second merge: %+v, first %+v", res2, res)
	}
	var n int
	pool.QueryRow(ctx, `SELECT count(*) FROM items`).Scan(&n)
	if n != 3 {
		t.Errorf("%d items after merging twice", n)
	}
	if got := tags(); !slices.Equal(got, want) {
		t.Errorf("tags after merging twice = %v", got)
	}

	// Bob's marks are his own; Alice's stay.
	bob, err := postgres.Open(ctx, dsn, postgres.Options{User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	items[0].Read, items[1].Starred, items[2].Starred = false, false, true
	if _, err := bob.MergeItems(ctx, feed, items); err != nil {
		t.Fatal(err)
	}
	if got := marks("bob"); !slices.Equal(got, []string{"c:false:true"}) {
		t.Errorf("bob's marks = %v", got)
	}
	if got := marks("alice"); !slices.Equal(got, []string{"a:true:false", "b:false:true"}) {
		t.Errorf("alice's marks after bob's merge = %v", got)
	}
	// An empty batch still adds the feed.
	res3, err := db.MergeItems(ctx, store.Feed{URL: "https://example.org/empty.xml", Enabled: true}, nil)
	if err != nil || !res3.FeedAdded || res3.FeedID == 0 {
		t.Errorf("empty feed: %+v, %v", res3, err)
	}
}

// BenchmarkMergeItems merges batches of 500 new items, each naming a
// firm with a mention and half of them marked, as aiwatch migrate does.
func BenchmarkMergeItems(b *testing.B) {
	ctx := context.Background()
	dsn := pgtest.DSN(b)
	db, err := postgres.Open(ctx, dsn, postgres.Options{User: "alice"})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	feed := store.Feed{URL: "https://example.org/bench.xml", Kind: store.KindFeed, Enabled: true}
	now := time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC)
	n := 0
	batch := make([]store.Item, 500)
	b.ResetTimer()
	for b.Loop() {
		for i := range batch {
			n++
			batch[i] = store.Item{Key: fmt.Sprint("k", n), URL: fmt.Sprint("https://example.org/a/", n), Title: fmt.Sprint("华为 item ", n),
				Summary: "A summary of some length that names Huawei once.", Published: now.Add(time.Duration(n) * time.Second),
				Firms: []string{"huawei"}, Read: n%2 == 0, Starred: n%10 == 0,
				Mentions: []store.Mention{{Entity: "huawei", Kind: store.KindFirm, Alias: "华为", Field: store.FieldTitle, End: 6}}}
		}
		if _, err := db.MergeItems(ctx, feed, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/item")
}

// TestMergeItemsGroupsStories: merged items go through the save path, so
// that a copy of a story in another feed joins the story (counted once)
// and takes the user's marks, as a fetched copy would.
func TestMergeItemsGroupsStories(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t, "alice")
	now := time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC)
	story := store.Item{Key: "x", URL: "https://news.example.org/2025/07/28/chips", Title: "Biren ships a new GPU", Published: now}
	a, err := db.MergeItems(ctx, store.Feed{URL: "https://a.example.org/feed.xml", Enabled: true}, []store.Item{story})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetRead(ctx, a.IDs, true); err != nil {
		t.Fatal(err)
	}
	copyOf := story
	copyOf.Key, copyOf.Published = "y", now.Add(time.Hour)
	b, err := db.MergeItems(ctx, store.Feed{URL: "https://b.example.org/feed.xml", Enabled: true}, []store.Item{copyOf})
	if err != nil || b.Added != 1 {
		t.Fatalf("second feed: %+v, %v", b, err)
	}
	c, err := db.CountItems(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Total != 1 || c.Unread != 0 {
		t.Errorf("one story in two feeds, read: counts %+v, want 1 story, 0 unread", c)
	}
	all, err := db.Items(ctx, store.Filter{AllCopies: true})
	if err != nil || len(all) != 2 {
		t.Fatalf("copies: %d, %v", len(all), err)
	}
	for _, it := range all {
		if !it.Read {
			t.Errorf("copy %q is unread: a late copy takes the story's marks", it.Key)
		}
	}
}
