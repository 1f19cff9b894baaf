package postgres_test

import (
	"fmt"
	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/store/postgres/pgtest"
)

// benchStore is a seededStore store for benchmarks.
func benchSeeded(b *testing.B) *postgres.DB {
	b.Helper()
	db, err := postgres.Open(uctx, pgtest.DSN(b), postgres.Options{User: "alice"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Seed(uctx, refDataset(b)); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkReseed measures a seed of a new dataset version over a seededStore
// store (what an upgrade costs at the first Open), without the snapshot.
func BenchmarkReseed(b *testing.B) {
	db := benchSeeded(b)
	ds := refDataset(b)
	i := 0
	for b.Loop() {
		i++
		ds.Version = fmt.Sprint("bench-", i)
		if _, err := db.Seed(uctx, ds); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFirms measures the firms pane's read: every firm with its
// aliases, alliances and designations.
func BenchmarkFirms(b *testing.B) {
	db := benchSeeded(b)
	for b.Loop() {
		if fs, err := db.Firms(uctx, store.FirmQuery{}); err != nil || len(fs) != 35 {
			b.Fatal(len(fs), err)
		}
	}
}

// BenchmarkAlliances measures the alliances pane's read.
func BenchmarkAlliances(b *testing.B) {
	db := benchSeeded(b)
	for b.Loop() {
		if _, err := db.Alliances(uctx); err != nil {
			b.Fatal(err)
		}
	}
}
