package sqlite_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// TestExportItems hands over every item whole, marks and mentions
// included, feed by feed in batches, and a feed without items once.
func TestExportItems(t *testing.T) {
	db := mustOpen(t)
	now := time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC)
	news, err := db.AddFeed(ctx, store.Feed{URL: "https://example.org/news.xml", Title: "News", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	many, err := db.AddFeed(ctx, store.Feed{URL: "https://example.org/many.xml", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddFeed(ctx, store.Feed{URL: "https://example.org/empty.xml", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	_, err = db.SaveItems(ctx, news, []store.Item{
		{Key: "a", Title: "华为昇腾生态大会在上海召开", Content: "full text", Published: now, Lang: "zh", Firms: []string{"huawei"},
			Mentions: []store.Mention{{Entity: "huawei", Kind: store.KindFirm, Alias: "华为", Field: store.FieldTitle, Start: 0, End: 6}}},
		{Key: "b", Title: "Plain", Published: now.Add(time.Hour)},
	})
	if err != nil {
		t.Fatal(err)
	}
	var batch []store.Item
	for i := range 1234 {
		batch = append(batch, store.Item{Key: fmt.Sprint("k", i), Title: fmt.Sprint("item ", i), Published: now.Add(time.Duration(i) * time.Minute)})
	}
	if _, err := db.SaveItems(ctx, many, batch); err != nil {
		t.Fatal(err)
	}
	got, err := db.Items(ctx, store.Filter{Feeds: []string{"news.xml"}})
	if err != nil || len(got) != 2 {
		t.Fatalf("items = %v, %v", got, err)
	}
	idOf := map[string]int64{}
	for _, it := range got {
		idOf[it.Title] = it.ID
	}
	if err := db.SetStarred(ctx, []int64{idOf["Plain"]}, true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRead(ctx, []int64{idOf["华为昇腾生态大会在上海召开"]}, true); err != nil {
		t.Fatal(err)
	}

	perFeed := map[string][]store.Item{}
	calls := map[string]int{}
	err = db.ExportItems(ctx, func(f store.Feed, items []store.Item) error {
		calls[f.URL]++
		if len(items) > 500 {
			t.Errorf("a batch of %d items", len(items))
		}
		perFeed[f.URL] = append(perFeed[f.URL], items...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(perFeed["https://example.org/many.xml"]); n != 1234 || calls["https://example.org/many.xml"] != 3 {
		t.Errorf("many.xml: %d items in %d calls, want 1234 in 3", n, calls["https://example.org/many.xml"])
	}
	if c, ok := calls["https://example.org/empty.xml"]; !ok || c != 1 || len(perFeed["https://example.org/empty.xml"]) != 0 {
		t.Errorf("empty.xml handed over %d times", c)
	}
	items := perFeed["https://example.org/news.xml"]
	if len(items) != 2 {
		t.Fatalf("news.xml: %d items", len(items))
	}
	a, b := items[0], items[1]
	if a.Key != "a" || a.Content != "full text" || !a.Read || a.Starred || !slices.Equal(a.Firms, []string{"huawei"}) ||
		len(a.Mentions) != 1 || a.Mentions[0].Alias != "华为" || a.Mentions[0].End != 6 || !a.Published.Equal(now) || a.Lang != "zh" {
		t.Errorf("item a exported as %+v", a)
	}
	if b.Key != "b" || b.Read || !b.Starred || len(b.Firms) != 0 {
		t.Errorf("item b exported as %+v", b)
	}
	seen := map[string]bool{}
	for _, it := range perFeed["https://example.org/many.xml"] {
		if seen[it.Key] {
			t.Fatalf("item %s exported twice", it.Key)
		}
		seen[it.Key] = true
	}
}
