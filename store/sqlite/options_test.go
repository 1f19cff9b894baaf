package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// TestSoftHeapLimit checks that the open option sets SQLite's soft heap
// limit, and that a store opened without it leaves the limit alone.
func TestSoftHeapLimit(t *testing.T) {
	const limit = 48 << 20
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "a.db"), sqlite.Options{SoftHeapLimit: limit})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := count(t, db, `PRAGMA soft_heap_limit`); got != limit {
		t.Errorf("soft_heap_limit = %d, want %d", got, limit)
	}
	other, err := sqlite.Open(filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if got := count(t, other, `PRAGMA soft_heap_limit`); got != limit {
		t.Errorf("opening without the option changed the process-wide limit to %d", got)
	}
}

// TestSeedReference seeds a new store, retagging the bundled snapshot with
// the tagger built from the seeded aliases, and does nothing the second
// time.
func TestSeedReference(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	builds, tagged := 0, 0
	newTag := func(aliases []store.Alias) sqlite.TagFunc {
		builds++
		if len(aliases) < 100 {
			t.Errorf("the tagger was built from %d aliases", len(aliases))
		}
		return func(feedURL, title, summary, content string) ([]string, []string, bool, []store.Mention) {
			tagged++
			if feedURL != reference.SnapshotFeedURL {
				t.Errorf("retagged an item of %s", feedURL)
			}
			return nil, nil, false, nil
		}
	}
	if err := db.SeedReference(ctx, newTag); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT count(*) FROM firms`); n != 35 || builds != 1 || tagged == 0 {
		t.Errorf("after seeding: %d firms, %d taggers built, %d items tagged", n, builds, tagged)
	}
	if err := db.SeedReference(ctx, newTag); err != nil || builds != 1 {
		t.Errorf("a second SeedReference built %d taggers (err %v)", builds, err)
	}
}
