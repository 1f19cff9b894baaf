package sqlite_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// TestChangedItemKeepsArticleTags: when the feed changes an item that has
// an article, the save keeps the tags only the article gives (design.md,
// "The article path"), and its list of body-only tags follows the feed.
func TestChangedItemKeepsArticleTags(t *testing.T) {
	db := mustOpen(t)
	feed, err := db.AddFeed(ctx, store.Feed{URL: "https://example.org/keep.xml", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	huawei := store.Mention{Entity: "huawei", Kind: store.KindFirm, Alias: "Huawei", Field: store.FieldTitle, Start: 0, End: 6}
	item := store.Item{Key: "k", Title: "Huawei ships a GPU", Published: now, Lang: "en", Firms: []string{"huawei"}, Mentions: []store.Mention{huawei}}
	if _, err := db.SaveItems(ctx, feed, []store.Item{item}); err != nil {
		t.Fatal(err)
	}
	items, err := db.Items(ctx, store.Filter{Feeds: []string{"keep.xml"}})
	if err != nil || len(items) != 1 {
		t.Fatalf("items %v %v", items, err)
	}
	id := items[0].ID

	// The article names Biren, which the feed text does not.
	tags := store.Item{Firms: []string{"huawei"}, Mentions: []store.Mention{huawei}}
	bodyOnly := store.AddArticleTags(&tags, []string{"biren"}, nil, true,
		[]store.Mention{{Entity: "biren", Kind: store.KindFirm, Alias: "Biren", Start: 10, End: 15}})
	if err := db.SaveArticle(ctx, store.Article{ItemID: id, Text: "Rival is Biren, said the firm.", BodyOnly: bodyOnly}, tags); err != nil {
		t.Fatal(err)
	}

	check := func(step string, firms, bodyOnly []string) {
		t.Helper()
		it, err := db.Item(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(it.Firms, firms) {
			t.Errorf("after %s: firms %v, want %v", step, it.Firms, firms)
		}
		if !it.Sanctions {
			t.Errorf("after %s: the article's sanctions flag was dropped", step)
		}
		body := 0
		for _, m := range it.Mentions {
			if m.Field == store.FieldBody && m.Entity == "biren" && m.Start == 10 && m.End == 15 {
				body++
			}
		}
		if body != 1 {
			t.Errorf("after %s: %d body mentions of Biren, want 1: %+v", step, body, it.Mentions)
		}
		a, err := db.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.BodyOnly, bodyOnly) {
			t.Errorf("after %s: body-only tags %v, want %v", step, a.BodyOnly, bodyOnly)
		}
		r, err := db.Check(ctx)
		if err != nil || !r.CountsOK {
			t.Errorf("after %s: counters drifted (%v)", step, err)
		}
		biren, _ := db.CountItems(ctx, store.Filter{Firms: []string{"biren"}, Feeds: []string{"keep.xml"}})
		if biren.Total != 1 {
			t.Errorf("after %s: firm:biren finds %d items, want 1", step, biren.Total)
		}
	}
	check("the article", []string{"biren", "huawei"}, []string{"firm:biren"})

	// The feed corrects its headline: still Huawei only.
	item.Title = "Huawei ships a new GPU"
	if st, err := db.SaveItems(ctx, feed, []store.Item{item}); err != nil || st.Updated != 1 {
		t.Fatalf("resave: %+v %v", st, err)
	}
	check("a changed headline", []string{"biren", "huawei"}, []string{"firm:biren"})

	// Now the feed names Biren too: it is no longer the article's alone.
	item.Title = "Huawei and Biren ship GPUs"
	item.Firms = []string{"biren", "huawei"}
	item.Mentions = append(item.Mentions, store.Mention{Entity: "biren", Kind: store.KindFirm, Alias: "Biren", Field: store.FieldTitle, Start: 11, End: 16})
	if st, err := db.SaveItems(ctx, feed, []store.Item{item}); err != nil || st.Updated != 1 {
		t.Fatalf("resave: %+v %v", st, err)
	}
	check("the feed naming Biren", []string{"biren", "huawei"}, []string{})
}
