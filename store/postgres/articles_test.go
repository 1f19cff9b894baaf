package postgres_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// TestArticleKept: an article is kept compressed, read back whole, its
// text searchable in articles.search, the item's tags replaced by the
// merged ones with marks kept; saving again replaces it; an item that
// is not there is refused.
func TestArticleKept(t *testing.T) {
	db, _ := open(t, "alice")
	feed := wFeed(t, db, "art")
	huawei := store.Mention{Entity: "huawei", Kind: store.KindFirm, Alias: "Huawei", Field: store.FieldTitle, Start: 0, End: 6}
	wSave(t, db, feed, store.Item{Key: "a", URL: "https://x.example/a", Title: "Huawei ships a GPU", Published: wDay, Firms: []string{"huawei"}, Mentions: []store.Mention{huawei}},
		store.Item{Key: "b", URL: "https://x.example/b", Title: "Another headline", Published: wDay.Add(-time.Hour)})
	id := wID(t, db, feed, "a")
	wMark(t, db, "alice", id, true, true)
	if got, err := db.ItemsWithoutArticle(wCtx, feed, time.Time{}, 10); err != nil || len(got) != 2 || got[0] != id {
		t.Fatalf("ItemsWithoutArticle = %v, %v; want both, a first", got, err)
	}

	text := "## Inside\n\nThe accelerator from 摩尔线程 (Moore Threads) is in volume production."
	a := store.Article{ItemID: id, URL: "https://news.example/gpu", Title: "Chip maker ships a GPU", Byline: "Jane Doe", Lang: "en",
		Published: wDay, Fetched: wDay.Add(time.Minute), Text: text,
		Links: []store.Link{{Text: "report", URL: "https://other.example/r"}}, BodyOnly: []string{"firm:moore-threads"}}
	tags := store.Item{Firms: []string{"huawei", "moore-threads"}, Sanctions: true, Mentions: []store.Mention{huawei,
		{Entity: "moore-threads", Kind: store.KindFirm, Alias: "摩尔线程", Field: store.FieldBody, Start: 30, End: 42}}}
	if err := db.SaveArticle(wCtx, a, tags); err != nil {
		t.Fatal(err)
	}
	got, err := db.Article(wCtx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != text || got.Byline != "Jane Doe" || !got.Published.Equal(wDay) || !got.Fetched.Equal(wDay.Add(time.Minute)) ||
		len(got.Links) != 1 || got.Links[0].URL != "https://other.example/r" || !slices.Equal(got.BodyOnly, []string{"firm:moore-threads"}) {
		t.Errorf("article read back = %+v", got)
	}
	var stored []byte
	if err := db.Pool().QueryRow(wCtx, `SELECT text FROM articles WHERE item_id = $1`, id).Scan(&stored); err != nil || strings.Contains(string(stored), "accelerator") {
		t.Errorf("stored text is not compressed (%v)", err)
	}
	if n := wCount(t, db, `SELECT count(*) FROM articles WHERE search LIKE '%volume production%' AND search LIKE '%摩尔线程%' AND search LIKE '%inside%'`); n != 1 {
		t.Error("the article's search text does not hold its words, lower-cased")
	}
	if n := wCount(t, db, `SELECT count(*) FROM item_tags WHERE item_id = $1 AND kind = 'firm' AND entity = 'moore-threads' AND mentions LIKE '%"field":"body"%'`, id); n != 1 {
		t.Error("the firm only the article names is not a tag with its body mention")
	}
	if n := wCount(t, db, `SELECT count(*) FROM items WHERE id = $1 AND sanctions`, id); n != 1 {
		t.Error("the article's sanctions flag is not the item's")
	}
	if n := wCount(t, db, `SELECT count(*) FROM marks WHERE item_id = $1 AND read AND starred`, id); n != 1 {
		t.Error("saving the article lost the marks")
	}
	if got, _ := db.ItemsWithoutArticle(wCtx, feed, time.Time{}, 10); len(got) != 1 {
		t.Errorf("ItemsWithoutArticle after one article = %v", got)
	}

	a.Text = "Replaced text about something else entirely."
	if err := db.SaveArticle(wCtx, a, tags); err != nil {
		t.Fatal(err)
	}
	if n := wCount(t, db, `SELECT count(*) FROM articles WHERE search LIKE '%accelerator%'`); n != 0 {
		t.Error("the old article text is still searched")
	}
	if got, _ := db.Article(wCtx, id); got.Text != a.Text {
		t.Errorf("replaced article reads %q", got.Text)
	}
	wExec(t, db, `DELETE FROM items WHERE id = $1`, id)
	if _, err := db.Article(wCtx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("article of a deleted item: %v", err)
	}
	if err := db.SaveArticle(wCtx, a, tags); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("article of a missing item: %v", err)
	}
}

// TestChangedItemKeepsArticleTags: when the feed changes an item that has
// an article, the save keeps the tags only the article gives, and its
// list of body-only tags follows the feed.
func TestChangedItemKeepsArticleTags(t *testing.T) {
	db, _ := open(t, "alice")
	feed := wFeed(t, db, "keep")
	huawei := store.Mention{Entity: "huawei", Kind: store.KindFirm, Alias: "Huawei", Field: store.FieldTitle, Start: 0, End: 6}
	item := store.Item{Key: "k", Title: "Huawei ships a GPU", Published: wDay, Lang: "en", Firms: []string{"huawei"}, Mentions: []store.Mention{huawei}}
	wSave(t, db, feed, item)
	id := wID(t, db, feed, "k")
	tags := store.Item{Firms: []string{"huawei"}, Mentions: []store.Mention{huawei}}
	bodyOnly := store.AddArticleTags(&tags, []string{"biren"}, nil, true,
		[]store.Mention{{Entity: "biren", Kind: store.KindFirm, Alias: "Biren", Start: 10, End: 15}})
	if err := db.SaveArticle(wCtx, store.Article{ItemID: id, Text: "Rival is Biren, said the firm.", BodyOnly: bodyOnly}, tags); err != nil {
		t.Fatal(err)
	}
	check := func(step string, bodyOnly []string) {
		t.Helper()
		if n := wCount(t, db, `SELECT count(*) FROM item_tags WHERE item_id = $1 AND kind = 'firm' AND entity IN ('biren', 'huawei')`, id); n != 2 {
			t.Errorf("after %s: %d of the firm tags biren and huawei", step, n)
		}
		if n := wCount(t, db, `SELECT count(*) FROM item_tags WHERE item_id = $1 AND entity = 'biren'
			AND mentions LIKE '%{"alias":"Biren","field":"body","start":10,"end":15}%'`, id); n != 1 {
			t.Errorf("after %s: Biren's body mention is gone", step)
		}
		if n := wCount(t, db, `SELECT count(*) FROM items WHERE id = $1 AND sanctions`, id); n != 1 {
			t.Errorf("after %s: the article's sanctions flag was dropped", step)
		}
		a, err := db.Article(wCtx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.BodyOnly, bodyOnly) {
			t.Errorf("after %s: body-only tags %v, want %v", step, a.BodyOnly, bodyOnly)
		}
	}
	check("the article", []string{"firm:biren"})
	item.Title = "Huawei ships a new GPU"
	if st := wSave(t, db, feed, item); st.Updated != 1 {
		t.Fatalf("resave: %+v", st)
	}
	check("a changed headline", []string{"firm:biren"})
	item.Title = "Huawei and Biren ship GPUs"
	item.Firms = []string{"biren", "huawei"}
	item.Mentions = append(item.Mentions, store.Mention{Entity: "biren", Kind: store.KindFirm, Alias: "Biren", Field: store.FieldTitle, Start: 11, End: 16})
	if st := wSave(t, db, feed, item); st.Updated != 1 {
		t.Fatalf("resave: %+v", st)
	}
	check("the feed naming Biren", []string{})
}
