package postgres_test

import (
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

// TestPlansUseIndexes checks on 5,000 items that a search of three or
// more characters, or of a short word, is answered by pg_trgm's index,
// one of one or two Chinese characters by the stored grams' and a firm's
// page by item_tags' index, and that the answers are right.
func TestPlansUseIndexes(t *testing.T) {
	db, _ := open(t, "alice")
	newest := monday
	if err := postgres.FillItems(bg, db, 5000, newest, "alice"); err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, f store.Filter, index string, want int) {
		t.Helper()
		plan, err := postgres.ExplainItems(bg, db, f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, index) {
			t.Errorf("the plan does not use %s:\n%s", index, plan)
		}
		// A row is checked against its stored grams, never by calling
		// cjk_grams on it: 0.14 ms a row (migration 0005).
		if strings.Contains(plan, "cjk_grams(") {
			t.Errorf("the plan computes the grams of rows:\n%s", plan)
		}
		// Nothing reads a whole table per item, such as the story's
		// other copies for AlsoIn without items_story.
		if strings.Contains(plan, "Seq Scan on items") {
			t.Errorf("the plan reads all items:\n%s", plan)
		}
		items, err := db.Items(bg, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != want {
			t.Errorf("%d items, want %d", len(items), want)
		}
		for i, it := range items {
			if i > 0 && it.Published.After(items[i-1].Published) {
				t.Fatalf("not newest first at %d", i)
			}
		}
	}
	for _, tc := range []struct {
		name  string
		f     store.Filter
		index string
		want  int // items listed
	}{
		{"a rare Chinese term", store.Filter{Text: []string{"摩尔线程"}, Limit: 50}, "items_search", 5},
		{"a rare English term", store.Filter{Text: []string{"Item 4322 "}, Limit: 50}, "items_search", 1},
		{"a rare short word", store.Filter{Text: []string{"Q7"}, Limit: 50}, "items_search", 5},
		{"a rare two-character Chinese term", store.Filter{Text: []string{"线程"}, Limit: 50}, "items_cjk", 5},
		{"one rare Chinese character", store.Filter{Text: []string{"摩"}, Limit: 50}, "items_cjk", 5},
		{"two Chinese characters not side by side", store.Filter{Text: []string{"程摩"}, Limit: 50}, "items_cjk", 0},
		{"a short word that is only inside words", store.Filter{Text: []string{"ea"}, Limit: 50}, "items_search", 0},
		{"a rare firm's page", store.Filter{Firms: []string{"sensetime"}, Limit: 50}, "item_tags_entity_published", 50},
		{"a common firm's page", store.Filter{Firms: []string{"huawei"}, Limit: 50}, "item_tags_entity_published", 50},
		{"a common firm's page of a common Chinese term", store.Filter{Firms: []string{"huawei"}, Text: []string{"华为"}, Limit: 50}, "item_tags_entity_published", 50},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, tc.f, tc.index, tc.want) })
	}
	// Of two firms, the one the counts say is rarer drives the query.
	for _, firms := range [][]string{{"huawei", "f4"}, {"f4", "huawei"}} {
		if _, err := db.FirmCounts(bg); err != nil {
			t.Fatal(err)
		}
		f := store.Filter{Firms: firms, Limit: 50}
		plan, err := postgres.ExplainItems(bg, db, f)
		if err != nil {
			t.Fatal(err)
		}
		// The driving scan is of item_tags d; its Index Cond follows it.
		_, scan, _ := strings.Cut(plan, "on item_tags d ")
		if lines := strings.Split(scan, "\n"); len(lines) < 2 || !strings.Contains(lines[1], "(entity = 'f4'::text)") {
			t.Errorf("%v: f4 does not drive:\n%s", firms, plan)
		}
		check(t, f, "item_tags_entity_published", 50)
	}
	// With an article in the store, a search also looks into articles,
	// and items_search still answers the feed text's part.
	items, err := db.Items(bg, store.Filter{Firms: []string{"sensetime"}, Limit: 1})
	if err != nil || len(items) != 1 {
		t.Fatal(items, err)
	}
	if err := postgres.InsertArticle(bg, db, items[0].ID, "", "正文里的摩尔线程"); err != nil {
		t.Fatal(err)
	}
	t.Run("a rare term with articles", func(t *testing.T) {
		check(t, store.Filter{Text: []string{"摩尔线程"}, Limit: 50}, "items_search", 6)
	})
}
