// Package pgtest gives tests a throwaway PostgreSQL database on the
// server that $AIWATCH_TEST_PG names (a postgres:// URL of a user who may
// create databases). make test starts such a server; without one the
// tests that need it are skipped, loudly, unless $AIWATCH_REQUIRE_PG is
// set, when they fail.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env is the variable naming the test server.
const Env = "AIWATCH_TEST_PG"

var seq atomic.Int64

// Server returns the test server's DSN, skipping t when there is none.
func Server(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(Env)
	if dsn == "" {
		if os.Getenv("AIWATCH_REQUIRE_PG") != "" {
			t.Fatalf("$%s is not set but $AIWATCH_REQUIRE_PG is: the PostgreSQL tests must run", Env)
		}
		t.Skipf("SKIPPED: no PostgreSQL test server ($%s is not set); make test starts one", Env)
	}
	return dsn
}

// DSN creates an empty database on the test server and returns its DSN.
// The database is dropped when t ends.
func DSN(t testing.TB) string {
	t.Helper()
	server := Server(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("pgtest: connect to the test server: %v", err)
	}
	defer admin.Close(context.Background())
	name := fmt.Sprintf("aiwatch_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, seq.Add(1))
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8'`); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Logf("pgtest: drop %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Logf("pgtest: drop %s: %v", name, err)
		}
	})
	return WithDatabase(t, server, name)
}

// WithDatabase returns server's DSN naming database name instead.
func WithDatabase(t testing.TB, server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("pgtest: $%s: %v", Env, err)
	}
	u.Path = "/" + strings.TrimPrefix(name, "/")
	return u.String()
}
