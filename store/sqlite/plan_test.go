package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
)

// planStore returns a store of 1,600 items over two feeds, besides the
// bundled news, and how many items name each firm: huawei is
// named by half of them, biren by a tenth and sensetime by one in forty,
// so that every kind of plan is taken; titles mix English (in varied
// case), Chinese and Arabic; about a third are read. The two feeds share
// titles, so some items are copies of one story; the counts returned
// are of stories (the copies lists show), as the counters keep them.
func planStore(t *testing.T) (*DB, map[string]int) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ds, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Seed(ctx, ds); err != nil {
		t.Fatal(err)
	}
	titles := []struct{ lang, text string }{
		{"en", "HUAWEI ships Ascend chips, says AI lab"},
		{"en", "Huawei and partners on ai compute"},
		{"zh", "华为发布新芯片"},
		{"zh", "中华 为 人民"}, // 华 and 为, but not 华为
		{"ar", "هواوي تكشف عن رقائق جديدة"},
		{"en", "A market note naming nobody"},
		{"zh-CN", "华为云 AI 大会"},
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for f := range 2 {
		id, err := db.AddFeed(ctx, store.Feed{URL: fmt.Sprintf("https://plan%d.example.org/feed", f), Title: fmt.Sprintf("Plan feed %d", f), Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		var items []store.Item
		for i := range 800 {
			n := f*800 + i
			tt := titles[n%len(titles)]
			it := store.Item{Key: fmt.Sprint(n), Title: tt.text, Summary: fmt.Sprintf("item %d summary", n), Lang: tt.lang,
				Published: base.Add(time.Duration((n*7919)%100000) * time.Minute), Sanctions: n%9 == 0}
			if n%2 == 0 {
				it.Firms = append(it.Firms, "huawei")
			}
			if n%10 == 3 {
				it.Firms = append(it.Firms, "biren")
			}
			if n%40 == 5 {
				it.Firms = append(it.Firms, "sensetime")
			}
			items = append(items, it)
		}
		if _, err := db.SaveItems(ctx, id, items); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`UPDATE items SET read = 1 WHERE id % 3 = 0`,
		`UPDATE items SET starred = 1 WHERE id % 11 = 0`,
		`UPDATE items SET published = (SELECT published FROM items WHERE id = 1) WHERE id % 97 = 0`, // ties
	} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	tagged := map[string]int{}
	rows, err := db.SQL().Query(`SELECT t.entity, count(*) FROM item_tags t JOIN items i ON i.id = t.item_id
		WHERE t.kind = 'firm' AND i.copy = 0 GROUP BY t.entity`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var fm string
		var n int
		if err := rows.Scan(&fm, &n); err != nil {
			t.Fatal(err)
		}
		tagged[fm] = n
	}
	var copies int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM items WHERE copy = 1`).Scan(&copies); err != nil || copies == 0 {
		t.Fatalf("the plan store has %d copies of a story (%v)", copies, err)
	}
	return db, tagged
}

// plainWhere is where(f) with f's story condition.
func plainWhere(f store.Filter) (string, []any) {
	w, args := where(f)
	if c, ok := storyCond(f); ok {
		if w == "" {
			return " WHERE " + c.set, args
		}
		w += " AND " + c.set
	}
	return w, args
}

// plainItems and plainCount answer as SQLite plans the filter's WHERE
// clause by itself: the reference the planned queries must agree with.
func plainItems(t *testing.T, db *DB, f store.Filter) []int64 {
	t.Helper()
	w, args := plainWhere(f)
	q := `SELECT i.id FROM items i` + w + newestFirst
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, f.Offset)
	}
	rows, err := db.SQL().Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func plainCount(t *testing.T, db *DB, f store.Filter) store.Counts {
	t.Helper()
	w, args := plainWhere(f)
	var c store.Counts
	var unread *int
	if err := db.SQL().QueryRow(`SELECT count(*), sum(i.read = 0) FROM items i`+w, args...).Scan(&c.Total, &unread); err != nil {
		t.Fatal(err)
	}
	if unread != nil {
		c.Unread = *unread
	}
	return c
}

func TestPlannedQueriesAgreeWithPlainOnes(t *testing.T) {
	db, tagged := planStore(t)
	ctx := context.Background()
	// The counters, which some counts come from, agree with the rows.
	if c, _ := db.CountItems(ctx, store.Filter{Firms: []string{"sensetime"}}); c.Total != tagged["sensetime"] {
		t.Fatalf("sensetime counted %d, tagged %d", c.Total, tagged["sensetime"])
	}
	since := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		f    store.Filter
	}{
		{"everything", store.Filter{}},
		{"every copy", store.Filter{AllCopies: true}},
		{"every copy of a firm's stories", store.Filter{Firms: []string{"huawei"}, AllCopies: true}},
		{"every copy, unread, a term", store.Filter{Text: []string{"ascend"}, Unread: store.Yes, AllCopies: true}},
		{"a firm named by half", store.Filter{Firms: []string{"huawei"}}},
		{"a firm named by a tenth", store.Filter{Firms: []string{"biren"}}},
		{"a rare firm", store.Filter{Firms: []string{"sensetime"}}},
		{"a firm named by nothing", store.Filter{Firms: []string{"nvidia"}}},
		{"two firms", store.Filter{Firms: []string{"huawei", "biren"}}},
		{"a firm but not another", store.Filter{Firms: []string{"huawei"}, NotFirms: []string{"biren"}}},
		{"an alliance", store.Filter{Alliances: []string{"model-chip"}}},
		{"unread", store.Filter{Unread: store.Yes}},
		{"read", store.Filter{Unread: store.No}},
		{"a firm, unread", store.Filter{Firms: []string{"huawei"}, Unread: store.Yes}},
		{"a rare firm, read", store.Filter{Firms: []string{"sensetime"}, Unread: store.No}},
		{"an alliance, unread", store.Filter{Alliances: []string{"model-chip"}, Unread: store.Yes}},
		{"a long term in another case", store.Filter{Text: []string{"huawei"}}},
		{"a long term, rare", store.Filter{Text: []string{"market note"}}},
		{"a term found nowhere", store.Filter{Text: []string{"zzzz"}}},
		{"a Chinese pair", store.Filter{Text: []string{"华为"}}},
		{"one Chinese character", store.Filter{Text: []string{"华"}}},
		{"a short word", store.Filter{Text: []string{"ai"}}},
		{"a short mixed term", store.Filter{Text: []string{"云A"}}},
		{"an Arabic term", store.Filter{Text: []string{"هواوي"}}},
		{"two terms", store.Filter{Text: []string{"华为", "ai"}}},
		{"a firm and a Chinese pair", store.Filter{Firms: []string{"huawei"}, Text: []string{"华为"}}},
		{"a firm and one Chinese character", store.Filter{Firms: []string{"huawei"}, Text: []string{"华"}}},
		{"two firms and a short word", store.Filter{Firms: []string{"huawei", "biren"}, Text: []string{"ai"}}},
		{"a rare firm and a short word", store.Filter{Firms: []string{"sensetime"}, Text: []string{"ai"}}},
		{"a firm, unread, and a short word", store.Filter{Firms: []string{"huawei"}, Text: []string{"ai"}, Unread: store.Yes}},
		{"a rare firm and a term", store.Filter{Firms: []string{"sensetime"}, Text: []string{"summary"}}},
		{"not a term", store.Filter{NotText: []string{"华为"}}},
		{"a firm, not a short word", store.Filter{Firms: []string{"huawei"}, NotText: []string{"ai"}}},
		{"on a list", store.Filter{Lists: []string{"entity-list"}}},
		{"not on a list", store.Filter{NotLists: []string{"entity-list"}}},
		{"a language", store.Filter{Langs: []string{"zh"}}},
		{"a feed", store.Filter{Feeds: []string{"plan feed 1"}}},
		{"since a date", store.Filter{Since: since}},
		{"a firm since a date", store.Filter{Firms: []string{"biren"}, Since: since, Until: since.AddDate(0, 1, 0)}},
		{"starred, about sanctions", store.Filter{Starred: store.Yes, Sanctions: store.Yes}},
		{"some IDs", store.Filter{IDs: []int64{5, 7, 400, 1201, 99999}}},
		{"some IDs of a firm", store.Filter{IDs: []int64{4, 5, 7, 400}, Firms: []string{"huawei"}}},
		{"no IDs", store.Filter{IDs: []int64{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.CountItems(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if want := plainCount(t, db, tc.f); got != want {
				t.Errorf("CountItems = %+v, want %+v", got, want)
			}
			for _, win := range []struct{ limit, offset int }{{0, 0}, {5, 0}, {5, 12}, {40, 0}, {141, 0}, {30, 500}} {
				f := tc.f
				f.Limit, f.Offset = win.limit, win.offset
				items, err := db.Items(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				var ids []int64
				for _, it := range items {
					ids = append(ids, it.ID)
				}
				if want := plainItems(t, db, f); !slices.Equal(ids, want) {
					t.Errorf("Items(limit %d, offset %d) = %v, want %v", win.limit, win.offset, ids, want)
				}
			}
		})
	}
}
