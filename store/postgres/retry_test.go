package postgres_test

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

// TestRetryTx: a transaction that PostgreSQL picked as a deadlock's
// victim, or could not serialise, runs again; any other error does not.
func TestRetryTx(t *testing.T) {
	db, _ := open(t, "alice")
	for _, tc := range []struct {
		code  string
		calls int
	}{{"40P01", 2}, {"40001", 2}, {"23505", 1}} {
		calls := 0
		err := postgres.RetryTx(wCtx, db, func(tx pgx.Tx) error {
			calls++
			if calls == 1 {
				return &pgconn.PgError{Code: tc.code, Message: "injected"}
			}
			return nil
		})
		if calls != tc.calls || (tc.calls == 2) != (err == nil) {
			t.Errorf("SQLSTATE %s: %d calls, err %v; want %d calls", tc.code, calls, err, tc.calls)
		}
	}
	// Always failing: it gives up, with the cause.
	calls := 0
	err := postgres.RetryTx(wCtx, db, func(pgx.Tx) error { calls++; return &pgconn.PgError{Code: "40P01"} })
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || calls < 2 || calls > 10 {
		t.Errorf("always deadlocked: %d calls, %v", calls, err)
	}
}

// TestSaveMovesDataVersion: a save is announced to the dashboards; a
// save that fails is not.
func TestSaveMovesDataVersion(t *testing.T) {
	db, _ := open(t, "alice")
	feed := wFeed(t, db, "dv")
	v1, _ := db.DataVersion(wCtx)
	wSave(t, db, feed, store.Item{Key: "1", Title: "One", Published: wDay})
	v2, _ := db.DataVersion(wCtx)
	if v2 == v1 {
		t.Error("a save did not move the data version")
	}
	if _, err := db.SaveItems(wCtx, feed, []store.Item{{Title: "keyless", Published: wDay}}); err == nil {
		t.Fatal("a keyless item saved")
	}
	if v3, _ := db.DataVersion(wCtx); v3 != v2 {
		t.Error("a failed save moved the data version")
	}
}

// TestRetagOncePerAliasVersion: RetagIfStale's step re-tags once per
// alias version, however many processes ask.
func TestRetagOncePerAliasVersion(t *testing.T) {
	db, _ := open(t, "alice")
	feed := wFeed(t, db, "rv")
	wSave(t, db, feed, store.Item{Key: "1", Title: "Huawei", Published: wDay})
	tag := func(_, title, _, _ string) ([]string, []string, bool, []store.Mention) {
		return []string{"huawei"}, nil, false, nil
	}
	for i, tc := range []struct {
		version string
		ran     bool
		n       int
	}{{"v1", true, 1}, {"v1", false, 0}, {"v2", true, 0}} {
		n, ran, err := postgres.RetagAt(wCtx, db, tag, tc.version)
		if err != nil || ran != tc.ran || n != tc.n {
			t.Errorf("call %d (%s): %d, %v, %v; want %d, %v", i, tc.version, n, ran, err, tc.n, tc.ran)
		}
	}
}
