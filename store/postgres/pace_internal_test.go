package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store/postgres/pgtest"
)

// TestPace: a quick count is never held back; a slow one spaces the next
// to three times its length, at most 30 s.
func TestPace(t *testing.T) {
	for took, want := range map[time.Duration]time.Duration{
		0:                      0,
		99 * time.Millisecond:  0,
		100 * time.Millisecond: 300 * time.Millisecond,
		2 * time.Second:        6 * time.Second,
		time.Minute:            30 * time.Second,
	} {
		if got := pace(took); got != want {
			t.Errorf("pace(%v) = %v, want %v", took, got, want)
		}
	}
}

// TestCounterReadsAreNotPaced: counts read from the counters are asked
// for again at once after a write, however long the last took (a busy
// server's), where a full count under ignore rules would be spaced.
func TestCounterReadsAreNotPaced(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, pgtest.DSN(t), Options{User: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.FirmCounts(ctx); err != nil {
		t.Fatal(err)
	}
	// The last count "took" ten seconds, and a write came after it.
	db.counts.mu.Lock()
	db.counts.last["firm"] = countRun{start: time.Now(), took: 10 * time.Second}
	db.counts.mu.Unlock()
	if _, err := db.pool.Exec(ctx, `UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'data_version'`); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := db.FirmCounts(short); err != nil {
		t.Fatalf("counter read held back: %v", err)
	}
}
