package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
	"github.com/aiwatch/aiwatch/store/storetest"
)

// sqliteStore is one store file; every handle onto it is its one
// implicit user's.
type sqliteStore struct{ path string }

func (s sqliteStore) Open(t *testing.T) store.Backend {
	t.Helper()
	db, err := sqlite.Open(s.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func (s sqliteStore) OpenAs(t *testing.T, user string) store.Backend { return s.Open(t) }

// TestContract holds SQLite to the contract suite.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		return sqliteStore{filepath.Join(t.TempDir(), "aiwatch.db")}
	}, storetest.Options{
		Outdate: func(t *testing.T, b store.Backend) {
			t.Helper()
			if _, err := b.(*sqlite.DB).SQL().Exec(`UPDATE meta SET value = 'older' WHERE key = 'dataset_version'`); err != nil {
				t.Fatal(err)
			}
		},
	})
}
