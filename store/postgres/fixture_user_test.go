package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store/postgres"
)

// These helpers fill the shared tables with plain INSERTs that follow
// migrations/0001_init.sql, so that the user part can be tested without
// the writers (SaveItems, ApplyDesignations) that other parts provide.

// fixtureExec runs a statement on db's server and fails t if it fails.
func fixtureExec(t *testing.T, db *postgres.DB, sql string, args ...any) {
	t.Helper()
	if _, err := db.Pool().Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// fixtureFeed stores a feed and returns its ID.
func fixtureFeed(t *testing.T, db *postgres.DB, url, title string) int64 {
	t.Helper()
	var id int64
	if err := db.Pool().QueryRow(context.Background(), `INSERT INTO feeds (url, title) VALUES ($1, $2) RETURNING id`, url, title).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// fixtureItem stores an item of feed naming firms and returns its ID.
func fixtureItem(t *testing.T, db *postgres.DB, feed int64, key, title string, published time.Time, firms ...string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := db.Pool().QueryRow(ctx, `INSERT INTO items (feed_id, key, title, published, fetched, search)
		VALUES ($1, $2, $3, $4, $4, $5) RETURNING id`, feed, key, title, published.Unix(), strings.ToLower(title)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	for _, f := range firms {
		fixtureExec(t, db, `INSERT INTO item_tags (kind, entity, item_id, published) VALUES ('firm', $1, $2, $3)`, f, id, published.Unix())
	}
	return id
}

// fixtureFirm stores a firm.
func fixtureFirm(t *testing.T, db *postgres.DB, id, name, short string) {
	t.Helper()
	fixtureExec(t, db, `INSERT INTO firms (id, name, short) VALUES ($1, $2, $3)`, id, name, short)
}

// fixtureList stores a sanctions list.
func fixtureList(t *testing.T, db *postgres.DB, id, name string) {
	t.Helper()
	fixtureExec(t, db, `INSERT INTO lists (id, name, badge) VALUES ($1, $2, $3)`, id, name, strings.ToUpper(id))
}

// fixtureEvent logs a designation event and returns its ID.
func fixtureEvent(t *testing.T, db *postgres.DB, at time.Time, firm, list, action, detail string) int64 {
	t.Helper()
	var id int64
	if err := db.Pool().QueryRow(context.Background(), `INSERT INTO designation_events (at, firm_id, list_id, action, detail, provenance)
		VALUES ($1, $2, $3, $4, $5, 'user') RETURNING id`, at.Unix(), firm, list, action, detail).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// openUser opens a second handle on the store at dsn, for user.
func openUser(t *testing.T, dsn, user string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn, postgres.Options{User: user})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
