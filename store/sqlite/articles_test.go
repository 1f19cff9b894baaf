package sqlite_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

func TestArticleKeptAndSearched(t *testing.T) {
	db := mustOpen(t)
	feed, err := db.AddFeed(ctx, store.Feed{URL: "https://example.org/a.xml", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	_, err = db.SaveItems(ctx, feed, []store.Item{
		{Key: "a", Title: "Chip maker ships a GPU", Summary: "One sentence.", Published: now, Lang: "en",
			Firms: []string{"huawei"}, Mentions: []store.Mention{{Entity: "huawei", Kind: store.KindFirm, Alias: "Huawei", Field: store.FieldTitle, Start: 0, End: 6}}},
		{Key: "b", Title: "Another headline", Published: now.Add(-time.Hour), Lang: "en"},
	})
	if err != nil {
		t.Fatal(err)
	}
	items, err := db.Items(ctx, store.Filter{Feeds: []string{"a.xml"}})
	if err != nil || len(items) != 2 {
		t.Fatalf("items %v %v", items, err)
	}
	id := items[0].ID
	mine := []string{"a.xml"} // not the seeded snapshot's items
	search := func(term string) []string {
		t.Helper()
		var keys []string
		for _, f := range []store.Filter{{Text: []string{term}, Feeds: mine}, {Text: []string{term}, Feeds: mine, Limit: 1}, {Text: []string{term}, Feeds: mine, Firms: []string{"moore-threads"}}} {
			items, err := db.Items(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			c, err := db.CountItems(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if c.Total != len(items) {
				t.Errorf("search %q %+v: count %d, listed %d", term, f, c.Total, len(items))
			}
			if f.Firms == nil && f.Limit == 0 {
				for _, it := range items {
					keys = append(keys, it.Key)
				}
			}
		}
		return keys
	}
	if got := search("accelerator"); got != nil {
		t.Fatalf("found %v before any article", got)
	}

	text := "## Inside\n\nThe accelerator from 摩尔线程 (Moore Threads) is in volume production. AI demand is high."
	a := store.Article{ItemID: id, URL: "https://news.example/gpu", Title: "Chip maker ships a GPU", Byline: "Jane Doe", Lang: "en",
		Published: now, Fetched: now.Add(time.Minute), Text: text,
		Links: []store.Link{{Text: "report", URL: "https://other.example/r"}}, BodyOnly: []string{"firm:moore-threads"}}
	tags := store.Item{Firms: []string{"huawei", "moore-threads"}, Sanctions: true, Mentions: []store.Mention{
		{Entity: "huawei", Kind: store.KindFirm, Alias: "Huawei", Field: store.FieldTitle, Start: 0, End: 6},
		{Entity: "moore-threads", Kind: store.KindFirm, Alias: "摩尔线程", Field: store.FieldBody, Start: 30, End: 42},
	}}
	before := count(t, db, `SELECT coalesce((SELECT total FROM tag_counts WHERE kind = 'firm' AND entity = 'moore-threads'), 0)`)
	if err := db.SaveArticle(ctx, a, tags); err != nil {
		t.Fatal(err)
	}
	got, err := db.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != text || got.Byline != "Jane Doe" || !got.Published.Equal(now) || len(got.Links) != 1 || got.Links[0].URL != "https://other.example/r" ||
		len(got.BodyOnly) != 1 || got.BodyOnly[0] != "firm:moore-threads" {
		t.Errorf("article read back = %+v", got)
	}
	// Compressed: the stored blob is not the text.
	var stored []byte
	if err := db.SQL().QueryRow(`SELECT text FROM articles WHERE item_id = ?`, id).Scan(&stored); err != nil || strings.Contains(string(stored), "accelerator") {
		t.Errorf("stored text is not compressed (%v)", err)
	}

	for _, tc := range []struct {
		term string
		want []string
	}{
		{"accelerator", []string{"a"}}, // trigram, only in the article
		{"ACCELERATOR", []string{"a"}},
		{"volume production", []string{"a"}},
		{"production volume", nil}, // all its trigrams are there, not the substring
		{"摩尔线程", []string{"a"}},
		{"摩尔", []string{"a"}}, // word index, a run of CJK characters
		{"尔摩", nil},
		{"AI", []string{"a"}},
		{"headline", []string{"b"}}, // feed text still found
		{"ships", []string{"a"}},
	} {
		if got := search(tc.term); strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("search %q = %v, want %v", tc.term, got, tc.want)
		}
	}
	// NOT text excludes items by their article too.
	if items, err := db.Items(ctx, store.Filter{NotText: []string{"accelerator"}, Feeds: []string{"a.xml"}}); err != nil || len(items) != 1 || items[0].Key != "b" {
		t.Errorf("-accelerator = %v, %v", items, err)
	}

	// Re-tagged: the firm named only in the article is a tag, counted, with
	// its mention marked as the body's.
	it, err := db.Item(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(it.Firms, ",") != "huawei,moore-threads" || !it.Sanctions {
		t.Errorf("item after article: firms %v sanctions %v", it.Firms, it.Sanctions)
	}
	var body bool
	for _, m := range it.Mentions {
		body = body || (m.Entity == "moore-threads" && m.Field == store.FieldBody)
	}
	if !body {
		t.Errorf("mentions %+v lack the body's", it.Mentions)
	}
	after := count(t, db, `SELECT total FROM tag_counts WHERE kind = 'firm' AND entity = 'moore-threads'`)
	if after != before+1 {
		t.Errorf("tag count %d → %d, want one more", before, after)
	}
	if items, _ := db.Items(ctx, store.Filter{Firms: []string{"moore-threads"}, Feeds: mine}); len(items) != 1 || items[0].ID != id {
		t.Errorf("firm filter = %v", items)
	}

	// Saving again replaces the article and its index rows.
	a.Text = "Replaced text about something else entirely, with enough words."
	if err := db.SaveArticle(ctx, a, tags); err != nil {
		t.Fatal(err)
	}
	if got := search("accelerator"); got != nil {
		t.Errorf("old article text still found: %v", got)
	}
	if got := search("entirely"); strings.Join(got, ",") != "a" {
		t.Errorf("new article text: %v", got)
	}

	// Deleting the item deletes its article and index rows.
	if _, err := db.SQL().Exec(`DELETE FROM items WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Article(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("article of a deleted item: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '"entirely"'`); n != 0 {
		t.Errorf("%d index rows left", n)
	}
	if err := db.SaveArticle(ctx, a, tags); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("article of a missing item: %v", err)
	}
}
