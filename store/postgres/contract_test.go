package postgres_test

import (
	"context"
	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/store/postgres/pgtest"
	"github.com/aiwatch/aiwatch/store/storetest"
)

// pgStore is one throwaway database on the test server; each handle
// onto it is one user's.
type pgStore struct{ dsn string }

func (s pgStore) Open(t *testing.T) store.Backend { return s.OpenAs(t, "alice") }

func (s pgStore) OpenAs(t *testing.T, user string) store.Backend {
	t.Helper()
	db, err := postgres.Open(context.Background(), s.dsn, postgres.Options{User: user})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestContract holds PostgreSQL to the contract suite, on the server
// $AIWATCH_TEST_PG names (skipped loudly without one).
func TestContract(t *testing.T) {
	pgtest.Server(t)
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		return pgStore{pgtest.DSN(t)}
	}, storetest.Options{
		Users: true,
		Outdate: func(t *testing.T, b store.Backend) {
			t.Helper()
			// The dataset version is kept in meta, as on SQLite.
			if _, err := b.(*postgres.DB).Pool().Exec(t.Context(), `UPDATE meta SET value = 'older' WHERE key = 'dataset_version'`); err != nil {
				t.Fatal(err)
			}
		},
	})
}
