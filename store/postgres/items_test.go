package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

// bg is the read tests' context, and monday a date they build on.
var (
	bg     = context.Background()
	monday = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
)

// newFeed adds a feed named title.
func newFeed(t *testing.T, db *postgres.DB, title string) int64 {
	t.Helper()
	id, err := postgres.InsertFeed(bg, db, "https://"+strings.ToLower(strings.ReplaceAll(title, " ", "-"))+".example.org/feed.xml", title)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// insertItems writes items into a feed and returns their IDs by key.
func insertItems(t *testing.T, db *postgres.DB, feedID int64, items ...postgres.TestItem) map[string]int64 {
	t.Helper()
	ids, err := postgres.InsertItems(bg, db, feedID, items)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for i, it := range items {
		out[it.Key] = ids[i]
	}
	return out
}

// newItem is an item with a title, a date and firms.
func newItem(key, title string, published time.Time, firms ...string) postgres.TestItem {
	return postgres.TestItem{Item: store.Item{Key: key, Title: title, Published: published, Firms: firms}}
}

// keysOf lists the keys of the items f selects, in order.
func keysOf(t *testing.T, db *postgres.DB, f store.Filter) []string {
	t.Helper()
	items, err := db.Items(bg, f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		out = append(out, it.Key)
	}
	return out
}

// countsOf counts the items f selects.
func countsOf(t *testing.T, db *postgres.DB, f store.Filter) store.Counts {
	t.Helper()
	c, err := db.CountItems(bg, f)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFullTextChinese(t *testing.T) {
	db, _ := open(t, "alice")
	fd := newFeed(t, db, "ZH")
	other := newFeed(t, db, "Other")
	insertItems(t, db, fd,
		newItem("a", "国产GPU厂商摩尔线程发布新一代芯片", monday),
		newItem("b", "华为昇腾生态大会在上海召开", monday.Add(-time.Hour)),
		postgres.TestItem{Item: store.Item{Key: "c", Title: "An unrelated English headline", Summary: "AI chips from Moore Threads", Published: monday.Add(-2 * time.Hour)}},
		postgres.TestItem{Item: store.Item{Key: "d", Title: "Said the chairman", Summary: "في شنغهاي", Content: "100% of 5G_x\\y", Published: monday.Add(-3 * time.Hour)}},
		postgres.TestItem{Item: store.Item{Key: "e", Title: "Huawei's 华为云 ai", Published: monday.Add(-4 * time.Hour)}},
		newItem("f", "中华 为 人民", monday.Add(-5*time.Hour)),  // 华 and 为, but not 华为
		newItem("g", "华为云 A 计划", monday.Add(-6*time.Hour)), // 云 and the word a, but not 云a
	)
	insertItems(t, db, other, newItem("x", "华为 elsewhere", monday))
	for _, tc := range []struct {
		term string
		want []string
	}{
		{"摩尔线程", []string{"a"}},
		{"华为", []string{"b", "e", "g"}},
		{"华", []string{"b", "e", "f", "g"}},
		{"为华", nil},
		{"线程发布", []string{"a"}},
		{"不存在的词", nil},
		{"AI", []string{"c", "e"}},
		{"ai", []string{"c", "e"}},
		{"unrelated", []string{"c"}},
		{"UNRELATED", []string{"c"}},
		{"Thread", []string{"c"}},
		{"moore threads", []string{"c"}},
		{`he"ad`, nil},
		{"id", nil},          // in "Said", but not a word
		{"th", nil},          // likewise
		{"s", []string{"e"}}, // Huawei's
		{"في", []string{"d"}},
		{"云", []string{"e", "g"}},
		{"云 a", []string{"e", "g"}}, // three characters: a substring, "云 ai" too
		{"云A", nil},                 // 云 and ai, but not 云a
		{"ai云", nil},
		{"0%", nil}, // % is no wildcard: "100%" is a word 100
		{"100%", []string{"d"}},
		{"G_x", []string{"d"}},
		{"5G_", []string{"d"}},
		{"x\\y", []string{"d"}},
		{"_x\\", []string{"d"}},
		{"d_t", nil}, // _ is no wildcard: "said the"
		{"g%y", nil}, // % neither: "g_x\y"
		{"  华为  ", []string{"b", "e", "g"}},
	} {
		t.Run(tc.term, func(t *testing.T) {
			got := keysOf(t, db, store.Filter{Text: []string{tc.term}, Feeds: []string{"zh"}})
			if !slices.Equal(got, tc.want) {
				t.Errorf("search %q = %v, want %v", tc.term, got, tc.want)
			}
			if c := countsOf(t, db, store.Filter{Text: []string{tc.term}, Feeds: []string{"zh"}}); c.Total != len(tc.want) {
				t.Errorf("count %q = %+v, want %d", tc.term, c, len(tc.want))
			}
		})
	}
	// Not a term, and two terms at once.
	if got := keysOf(t, db, store.Filter{NotText: []string{"华为"}, Feeds: []string{"zh"}}); !slices.Equal(got, []string{"a", "c", "d", "f"}) {
		t.Errorf("-华为 = %v", got)
	}
	if got := keysOf(t, db, store.Filter{Text: []string{"华为", "ai"}}); !slices.Equal(got, []string{"e"}) {
		t.Errorf("华为 ai = %v", got)
	}
}

func TestSearchFindsArticles(t *testing.T) {
	db, _ := open(t, "alice")
	fd := newFeed(t, db, "News")
	ids := insertItems(t, db, fd, newItem("a", "A plain headline", monday), newItem("b", "Another headline", monday.Add(-time.Hour)))
	if got := keysOf(t, db, store.Filter{Text: []string{"寒武纪"}}); got != nil {
		t.Fatalf("before the article: %v", got)
	}
	if err := postgres.InsertArticle(bg, db, ids["b"], "Another headline", "正文提到寒武纪的新芯片。\n\nAI is everywhere"); err != nil {
		t.Fatal(err)
	}
	for term, want := range map[string][]string{"寒武纪": {"b"}, "headline": {"a", "b"}, "ai": {"b"}, "plain": {"a"}, "nowhere": nil} {
		if got := keysOf(t, db, store.Filter{Text: []string{term}}); !slices.Equal(got, want) {
			t.Errorf("search %q with an article = %v, want %v", term, got, want)
		}
	}
	if got := keysOf(t, db, store.Filter{NotText: []string{"寒武纪"}}); !slices.Equal(got, []string{"a"}) {
		t.Errorf("-寒武纪 = %v", got)
	}
}

func TestItemsOrderAndPages(t *testing.T) {
	db, _ := open(t, "alice")
	fd := newFeed(t, db, "News")
	var items []postgres.TestItem
	for i := range 10 {
		// Two items share each date: the higher ID comes first.
		items = append(items, newItem(fmt.Sprint(i), fmt.Sprintf("Item %d", i), monday.Add(time.Duration(i/2)*time.Hour), "huawei"))
	}
	insertItems(t, db, fd, items...)
	want := []string{"9", "8", "7", "6", "5", "4", "3", "2", "1", "0"}
	for _, f := range []store.Filter{{}, {Firms: []string{"huawei"}}} {
		if got := keysOf(t, db, f); !slices.Equal(got, want) {
			t.Errorf("%+v: %v, want %v", f, got, want)
		}
		for _, w := range []struct{ limit, offset int }{{3, 0}, {3, 3}, {4, 8}, {5, 20}, {0, 7}} {
			g := f
			g.Limit, g.Offset = w.limit, w.offset
			end := len(want)
			if w.limit > 0 {
				end = min(w.offset+w.limit, len(want))
			}
			wantPage := want[min(w.offset, len(want)):end]
			if len(wantPage) == 0 {
				wantPage = nil
			}
			if got := keysOf(t, db, g); !slices.Equal(got, wantPage) {
				t.Errorf("%+v limit %d offset %d: %v, want %v", f, w.limit, w.offset, got, wantPage)
			}
		}
	}
}

func TestItemReadsFullItem(t *testing.T) {
	db, _ := open(t, "alice")
	fd := newFeed(t, db, "News")
	it := postgres.TestItem{Item: store.Item{Key: "k", URL: "https://example.org/a", Title: "Huawei and Biren", Summary: "sum", Content: "full text",
		Author: "Li", Lang: "en", Published: monday, Updated: monday.Add(time.Hour), Fetched: monday.Add(2 * time.Hour), Sanctions: true,
		Firms: []string{"huawei", "biren"}, Alliances: []string{"model-chip"},
		Mentions: []store.Mention{ // stored by (kind, entity), read back in text order
			{Entity: "biren", Kind: store.KindFirm, Alias: "Biren", Field: store.FieldTitle, Start: 11, End: 16},
			{Entity: "huawei", Kind: store.KindFirm, Alias: "Huawei", Field: store.FieldTitle, Start: 0, End: 6},
			{Entity: "huawei", Kind: store.KindFirm, Alias: "Huawei", Field: store.FieldContent, Start: 0, End: 4},
		}}, Ally: []string{"model-chip"}, Story: 99} // a story of one: no AlsoIn
	ids := insertItems(t, db, fd, it)
	got, err := db.Item(bg, ids["k"])
	if err != nil {
		t.Fatal(err)
	}
	if got.Content != "full text" || got.Summary != "sum" || got.Author != "Li" || got.URL != it.URL || got.FeedTitle != "News" ||
		!got.Published.Equal(monday) || !got.Updated.Equal(monday.Add(time.Hour)) || !got.Fetched.Equal(monday.Add(2*time.Hour)) ||
		!got.Sanctions || got.Read || got.Starred || got.AlsoIn != nil {
		t.Errorf("Item = %+v", got)
	}
	if !slices.Equal(got.Firms, []string{"biren", "huawei"}) || !slices.Equal(got.Alliances, []string{"model-chip"}) {
		t.Errorf("tags %v %v", got.Firms, got.Alliances)
	}
	var ms []string
	for _, m := range got.Mentions {
		ms = append(ms, fmt.Sprintf("%s:%s@%s:%d-%d", m.Kind, m.Entity, m.Field, m.Start, m.End))
	}
	if want := []string{"firm:huawei@title:0-6", "firm:biren@title:11-16", "firm:huawei@content:0-4"}; !slices.Equal(ms, want) {
		t.Errorf("mentions %v, want %v", ms, want)
	}
	// Items leaves content and mentions out.
	list, _ := db.Items(bg, store.Filter{})
	if len(list) != 1 || list[0].Content != "" || list[0].Mentions != nil || list[0].Summary != "sum" {
		t.Errorf("Items = %+v", list)
	}
	if _, err := db.Item(bg, ids["k"]+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Item(unknown) err = %v", err)
	}
}
