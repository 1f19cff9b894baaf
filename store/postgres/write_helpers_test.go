package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

// Helpers of the write path's tests, named w… so as not to meet other
// tests' helpers in this package.

var wCtx = context.Background()

var wDay = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)

// wCount runs a count query on the store.
func wCount(t *testing.T, db *postgres.DB, q string, args ...any) int {
	t.Helper()
	var n int64
	if err := db.Pool().QueryRow(wCtx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return int(n)
}

// wExec runs a statement on the store.
func wExec(t *testing.T, db *postgres.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Pool().Exec(wCtx, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// wFeed adds a feed named name.
func wFeed(t *testing.T, db *postgres.DB, name string) int64 {
	t.Helper()
	id, err := db.AddFeed(wCtx, store.Feed{URL: "https://" + name + ".example.org/feed", Title: name, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// wSave saves items into feed.
func wSave(t *testing.T, db *postgres.DB, feed int64, items ...store.Item) store.SaveStats {
	t.Helper()
	st, err := db.SaveItems(wCtx, feed, items)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// wID is the id of the item with key in feed.
func wID(t *testing.T, db *postgres.DB, feed int64, key string) int64 {
	t.Helper()
	var id int64
	if err := db.Pool().QueryRow(wCtx, `SELECT id FROM items WHERE feed_id = $1 AND key = $2`, feed, key).Scan(&id); err != nil {
		t.Fatalf("item %s of feed %d: %v", key, feed, err)
	}
	return id
}

// wMark sets user's marks on an item, as a dashboard would.
func wMark(t *testing.T, db *postgres.DB, user string, id int64, read, starred bool) {
	t.Helper()
	wExec(t, db, `INSERT INTO marks (username, item_id, read, starred) VALUES ($1, $2, $3, $4)
		ON CONFLICT (username, item_id) DO UPDATE SET read = excluded.read, starred = excluded.starred`, user, id, read, starred)
}

// wUniverse adds firms, alliances and memberships ("alliance:firm").
func wUniverse(t *testing.T, db *postgres.DB, firms, alliances, members []string) {
	t.Helper()
	for _, f := range firms {
		wExec(t, db, `INSERT INTO firms (id, name) VALUES ($1, $1)`, f)
	}
	for _, a := range alliances {
		wExec(t, db, `INSERT INTO alliances (id, name) VALUES ($1, $1)`, a)
	}
	for _, m := range members {
		a, f, _ := strings.Cut(m, ":")
		wExec(t, db, `INSERT INTO memberships (alliance_id, firm_id) VALUES ($1, $2)`, a, f)
	}
}

// wCheck fails unless Check finds the store sound.
func wCheck(t *testing.T, db *postgres.DB) {
	t.Helper()
	r, err := db.Check(wCtx)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Fatalf("check: integrity %v, fts %q", r.Integrity, r.FTS)
	}
}
