package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/store/postgres/pgtest"
)

func open(t *testing.T, user string) (*postgres.DB, string) {
	t.Helper()
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(context.Background(), dsn, postgres.Options{User: user})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dsn
}

func TestOpenMigratesOnceAndRefusesNewer(t *testing.T) {
	ctx := context.Background()
	db, dsn := open(t, "alice")
	have, want, err := db.SchemaVersion(ctx)
	if err != nil || have != want || want < 1 {
		t.Fatalf("SchemaVersion = %d, %d, %v", have, want, err)
	}
	// A second open of a migrated store changes nothing.
	db2, err := postgres.Open(ctx, dsn, postgres.Options{User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	db2.Close()
	if _, err := db.Pool().Exec(ctx, `UPDATE meta SET value = '999' WHERE key = 'schema'`); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(ctx, dsn, postgres.Options{})
	if !errors.Is(err, store.ErrNewerSchema) {
		t.Fatalf("newer schema: err = %v", err)
	}
}

func TestDataVersionMovesOnWrite(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t, "alice")
	v1, err := db.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := postgres.Touch(ctx, db); err != nil {
		t.Fatal(err)
	}
	v2, _ := db.DataVersion(ctx)
	if v2 == v1 {
		t.Fatalf("data version did not move: %d", v1)
	}
}

func TestIsDSNAndRedact(t *testing.T) {
	for s, want := range map[string]bool{
		"postgres://u:p@h/db":    true,
		"POSTGRESQL://h/db":      true,
		"/tmp/postgres://x.db":   false,
		"aiwatch.db":             false,
		"host=h dbname=d":        false,
		"./postgres:/x.db":       false,
		"postgres:relative/x.db": false,
	} {
		if got := postgres.IsDSN(s); got != want {
			t.Errorf("IsDSN(%q) = %v", s, got)
		}
	}
	for _, dsn := range []string{"postgres://u:s3cret@h:5432/db", "postgres://u@h/db?password=s3cret&sslmode=disable"} {
		if r := postgres.Redact(dsn); strings.Contains(r, "s3cret") {
			t.Errorf("Redact(%q) = %q", dsn, r)
		}
	}
}

func TestOpenRefusesClearly(t *testing.T) {
	ctx := context.Background()
	server := pgtest.Server(t)
	// Nothing listens on this socket directory.
	_, err := postgres.Open(ctx, "postgres://x:s3cret@/db?host="+t.TempDir()+"&connect_timeout=2", postgres.Options{})
	if err == nil || !strings.Contains(err.Error(), "cannot reach") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("unreachable: %v", err)
	}
	// A database that does not exist.
	_, err = postgres.Open(ctx, pgtest.WithDatabase(t, server, "no_such_db_here"), postgres.Options{})
	if err == nil || !strings.Contains(err.Error(), "no_such_db_here") {
		t.Errorf("missing database: %v", err)
	}
}

// TestConnectErrorIsOneLine: pgx lists each address it tried on a line of
// its own; aiwatch prints one line, without the password.
func TestConnectErrorIsOneLine(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://bob:hunter2@127.0.0.1:1/db?connect_timeout=2", postgres.Options{})
	if err == nil {
		t.Fatal("port 1 answered")
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || strings.Contains(msg, "hunter2") || !strings.Contains(msg, "cannot reach") {
		t.Errorf("error = %q", msg)
	}
}

// TestOpenSaysItMigrates: opening a store an older aiwatch wrote says
// so once, before the migration, which keeps the items and their search:
// here migration 0005, from a store at schema 4 holding a Chinese item.
func TestOpenSaysItMigrates(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	var told [][2]int
	say := func(have, want int) { told = append(told, [2]int{have, want}) }
	db, err := postgres.Open(ctx, dsn, postgres.Options{User: "alice", Migrating: say})
	if err != nil {
		t.Fatal(err)
	}
	if len(told) != 0 {
		t.Errorf("creating a store was told as a migration: %v", told)
	}
	_, want, _ := db.SchemaVersion(ctx)
	feed, err := db.AddFeed(ctx, store.Feed{URL: "https://example.org/zh.xml", Title: "zh", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveItems(ctx, feed, []store.Item{{Key: "a", Title: "华为昇腾生态大会", Published: monday}}); err != nil {
		t.Fatal(err)
	}
	// Back to schema 4: the grams as 0004 indexed them, with no column.
	for _, s := range []string{
		`ALTER TABLE items DROP COLUMN cjk`, `ALTER TABLE articles DROP COLUMN cjk`,
		`CREATE INDEX items_cjk ON items USING gin (cjk_grams(search))`,
		`CREATE INDEX articles_cjk ON articles USING gin (cjk_grams(search))`,
		`UPDATE meta SET value = '4' WHERE key = 'schema'`,
	} {
		if _, err := db.Pool().Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	db.Close()

	db, err = postgres.Open(ctx, dsn, postgres.Options{User: "alice", Migrating: say})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if len(told) != 1 || told[0] != [2]int{4, want} {
		t.Errorf("told %v, want once, from 4 to %d", told, want)
	}
	for term, n := range map[string]int{"华为": 1, "昇": 1, "为华": 0} {
		if c, err := db.CountItems(ctx, store.Filter{Text: []string{term}}); err != nil || c.Total != n {
			t.Errorf("after the migration %s counts %+v, %v; want %d", term, c, err, n)
		}
	}
	db2, err := postgres.Open(ctx, dsn, postgres.Options{User: "bob", Migrating: say})
	if err != nil {
		t.Fatal(err)
	}
	db2.Close()
	if len(told) != 1 {
		t.Errorf("opening a migrated store was told as a migration: %v", told)
	}
}
