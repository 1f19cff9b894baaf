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
