package postgres_test

import (
	"time"

	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/store/postgres/pgtest"
)

// BenchmarkRead reads a store of 100,000 items (see FillItems) as a
// dashboard does: a firm's first page, its count, the per-firm and
// per-alliance counts, and searches. The counts are measured both as
// queries (the cost after a write with ignore rules set), from the
// counters (after a write with none) and from the cache (a refresh with
// no write since).
func BenchmarkRead(b *testing.B) {
	db, err := postgres.Open(bg, pgtest.DSN(b), postgres.Options{User: "alice"})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := postgres.FillItems(bg, db, 100_000, monday, "alice"); err != nil {
		b.Fatal(err)
	}
	db.Now = func() time.Time { return monday }
	// The panes count before they list: the counts choose a query's tag.
	if _, err := db.FirmCounts(bg); err != nil {
		b.Fatal(err)
	}
	page := func(f store.Filter) func(b *testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				items, err := db.Items(bg, f)
				if err != nil || len(items) == 0 {
					b.Fatal(len(items), err)
				}
			}
		}
	}
	b.Run("Items/firm-half", page(store.Filter{Firms: []string{"huawei"}, Limit: 50}))
	b.Run("Items/firm-fortieth", page(store.Filter{Firms: []string{"sensetime"}, Limit: 50}))
	b.Run("Items/firm-unread", page(store.Filter{Firms: []string{"biren"}, Unread: store.Yes, Limit: 50}))
	b.Run("Items/two-firms-common-first", page(store.Filter{Firms: []string{"huawei", "f4"}, Limit: 50}))
	b.Run("Items/two-firms-rare-first", page(store.Filter{Firms: []string{"f4", "huawei"}, Limit: 50}))
	b.Run("Items/all", page(store.Filter{Limit: 50}))
	b.Run("Items/unread", page(store.Filter{Unread: store.Yes, Limit: 50}))
	b.Run("Items/starred", page(store.Filter{Starred: store.Yes, Limit: 50}))
	b.Run("Items/search-short-word", page(store.Filter{Text: []string{"ai"}, Limit: 50}))
	b.Run("Items/search-rare", page(store.Filter{Text: []string{"摩尔线程"}, Limit: 50}))
	b.Run("Items/search-common", page(store.Filter{Text: []string{"华为"}, Limit: 50}))
	b.Run("CountItems/firm-cached", func(b *testing.B) {
		for b.Loop() {
			if c, err := db.CountItems(bg, store.Filter{Firms: []string{"huawei"}}); err != nil || c.Total == 0 {
				b.Fatal(c, err)
			}
		}
	})
	b.Run("CountItems/firm-and-language", func(b *testing.B) {
		for b.Loop() {
			if c, err := db.CountItems(bg, store.Filter{Firms: []string{"huawei"}, Langs: []string{"zh"}}); err != nil || c.Total == 0 {
				b.Fatal(c, err)
			}
		}
	})
	b.Run("FirmCounts/query", func(b *testing.B) {
		for b.Loop() {
			if c, err := postgres.TagCounts(bg, db, "firm"); err != nil || len(c) != 33 {
				b.Fatal(len(c), err)
			}
		}
	})
	b.Run("AllianceCounts/query", func(b *testing.B) {
		for b.Loop() {
			if c, err := postgres.TagCounts(bg, db, "ally"); err != nil || len(c) != 1 {
				b.Fatal(len(c), err)
			}
		}
	})
	b.Run("FirmCounts/counters", func(b *testing.B) {
		for b.Loop() {
			if c, err := postgres.CounterCounts(bg, db, "firm"); err != nil || len(c) != 33 {
				b.Fatal(len(c), err)
			}
		}
	})
	b.Run("AllianceCounts/counters", func(b *testing.B) {
		for b.Loop() {
			if c, err := postgres.CounterCounts(bg, db, "ally"); err != nil || len(c) != 1 {
				b.Fatal(len(c), err)
			}
		}
	})
	b.Run("FirmCounts/cached", func(b *testing.B) {
		for b.Loop() {
			if c, err := db.FirmCounts(bg); err != nil || len(c) != 33 {
				b.Fatal(len(c), err)
			}
		}
	})
	b.Run("AllianceCounts/cached", func(b *testing.B) {
		for b.Loop() {
			if c, err := db.AllianceCounts(bg); err != nil || len(c) != 2 {
				b.Fatal(len(c), err)
			}
		}
	})
}
