package sqlite_test

import (
	"os"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store/sqlite"
)

// BenchmarkFirmCounts reads the per-firm counts with their trends, as the
// firms pane does, from the store at $AIWATCH_BENCH_DB (for instance the
// dashboard benchmark's generated million-item store, see
// cmd/aiwatch/dashboard_bench_test.go). The trend part is measured alone
// too, by the weeks' counters of a week with none and of the store's own
// last week.
func BenchmarkFirmCounts(b *testing.B) {
	path := os.Getenv("AIWATCH_BENCH_DB")
	if path == "" {
		b.Skip("set AIWATCH_BENCH_DB to a store to measure")
	}
	db, err := sqlite.Open(path, sqlite.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var newest int64
	if err := db.SQL().QueryRow(`SELECT max(published) FROM items`).Scan(&newest); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		now  time.Time
	}{{"no-trend", time.Unix(0, 0)}, {"trend", time.Unix(newest, 0)}} {
		b.Run(c.name, func(b *testing.B) {
			db.Now = func() time.Time { return c.now }
			for b.Loop() {
				counts, err := db.FirmCounts(ctx)
				if err != nil || len(counts) == 0 {
					b.Fatal(counts, err)
				}
			}
		})
	}
}
