package postgres_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/store/postgres/pgtest"
)

// wBenchItems returns n heavy items of feed f: a title and about 400
// bytes of mixed English, Chinese and Arabic summary, naming two firms
// with their mentions, each with its own link.
func wBenchItems(f, n int, round int) []store.Item {
	texts := []string{
		"Huawei unveils a new Ascend accelerator for data centres in Shenzhen",
		"华为发布用于数据中心的昇腾加速器，摩尔线程紧随其后",
		"قالت الشركة إن الطلب على الرقائق مستمر في النمو هذا العام",
		"Cambricon posts its first annual profit on AI chip demand",
	}
	out := make([]store.Item, n)
	for i := range out {
		title := fmt.Sprintf("%s (%d-%d)", texts[i%len(texts)], f, i)
		if round > 0 {
			title += fmt.Sprint(" r", round)
		}
		summary := strings.Repeat(texts[(i+1)%len(texts)]+" ", 3) + texts[(i+2)%len(texts)]
		out[i] = store.Item{Key: fmt.Sprintf("b%d-%d", f, i), URL: fmt.Sprintf("https://bench.example/%d/%d", f, i), Title: title, Summary: summary,
			Lang: "en", Published: wDay.Add(-time.Duration(i) * time.Minute), Firms: []string{"cambricon", "huawei"},
			Mentions: []store.Mention{
				{Entity: "huawei", Kind: store.KindFirm, Alias: "Huawei", Field: store.FieldTitle, Start: 0, End: 6},
				{Entity: "cambricon", Kind: store.KindFirm, Alias: "Cambricon", Field: store.FieldSummary, Start: 10, End: 19},
			}}
	}
	return out
}

func wBenchStore(b *testing.B) *postgres.DB {
	dsn := pgtest.DSN(b)
	db, err := postgres.Open(wCtx, dsn, postgres.Options{User: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	for _, q := range []string{
		`INSERT INTO firms (id, name) VALUES ('huawei', 'Huawei'), ('cambricon', 'Cambricon')`,
		`INSERT INTO alliances (id, name) VALUES ('a1', 'A1')`,
		`INSERT INTO memberships (alliance_id, firm_id) VALUES ('a1', 'huawei')`,
	} {
		if _, err := db.Pool().Exec(wCtx, q); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// BenchmarkSave20k measures RecordFetch of one 20,000-item feed: into a
// new feed (new), the same items again (unchanged: fingerprints only),
// and every item changed (changed: updated in place, tags rewritten).
func BenchmarkSave20k(b *testing.B) {
	const n = 20000
	db := wBenchStore(b)
	seq := 0
	feed := func() int64 {
		seq++
		id, err := db.AddFeed(wCtx, store.Feed{URL: fmt.Sprintf("https://bench%d.example/feed", seq), Enabled: true})
		if err != nil {
			b.Fatal(err)
		}
		return id
	}
	save := func(id int64, items []store.Item, want func(store.SaveStats) bool) {
		st, err := db.RecordFetch(wCtx, id, store.FetchResult{At: wDay, Status: 200}, store.OneBatch(items))
		if err != nil || !want(st) {
			b.Fatalf("save: %+v %v", st, err)
		}
	}
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			id, items := feed(), wBenchItems(seq, n, 0)
			b.StartTimer()
			save(id, items, func(st store.SaveStats) bool { return st.New == n })
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "items/s")
	})
	id := feed()
	save(id, wBenchItems(0, n, 0), func(st store.SaveStats) bool { return st.New == n })
	b.Run("unchanged", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			items := wBenchItems(0, n, 0)
			b.StartTimer()
			save(id, items, func(st store.SaveStats) bool { return st.Unchanged == n })
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "items/s")
	})
	round := 0
	b.Run("changed", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			round++
			items := wBenchItems(0, n, round)
			b.StartTimer()
			save(id, items, func(st store.SaveStats) bool { return st.Updated == n })
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "items/s")
	})
}

// BenchmarkSave50x200 measures RecordFetch of 50 new feeds of 200 items,
// one after another.
func BenchmarkSave50x200(b *testing.B) {
	db := wBenchStore(b)
	seq := 0
	for b.Loop() {
		b.StopTimer()
		ids := make([]int64, 50)
		batches := make([][]store.Item, 50)
		for i := range ids {
			seq++
			id, err := db.AddFeed(wCtx, store.Feed{URL: fmt.Sprintf("https://bench%d.example/feed", seq), Enabled: true})
			if err != nil {
				b.Fatal(err)
			}
			ids[i], batches[i] = id, wBenchItems(seq, 200, 0)
		}
		b.StartTimer()
		for i, id := range ids {
			if st, err := db.RecordFetch(wCtx, id, store.FetchResult{At: wDay, Status: 200}, store.OneBatch(batches[i])); err != nil || st.New != 200 {
				b.Fatalf("save: %+v %v", st, err)
			}
		}
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "items/s")
}
