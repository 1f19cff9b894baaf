package main

// The team store's figures (product issue 17), beside SQLite's: with
// $AIWATCH_BENCH_PG naming a PostgreSQL server (a postgres:// URL of a
// user who may create databases), BenchmarkIngestPG* and the pg-
// sub-benchmarks of BenchmarkFirstFrame and BenchmarkFilterKeystroke run
// on it. Their stores are databases named aiwatch_bench_N_vV, filled once
// by aiwatch migrate from the SQLite bench store of the same size and
// kept on the server, as the SQLite ones are kept in the temporary
// folder. bench/team.sh starts a throwaway server and runs them all.

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/feeds"
	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/feeds/match"
	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/store/postgres/pgtest"
	"github.com/aiwatch/aiwatch/store/reference"
)

// benchPGEnv names the PostgreSQL server of the team store's benchmarks.
const benchPGEnv = "AIWATCH_BENCH_PG"

// benchBackend is where a dashboard benchmark's store lives: name prefixes
// the sub-benchmark ("" for SQLite, whose names stay as they were), and
// store returns the --db value of a store of n items.
type benchBackend struct {
	name  string
	store func(b *testing.B, n int) string
}

// benchBackends is SQLite, and PostgreSQL when $AIWATCH_BENCH_PG is set.
func benchBackends() []benchBackend {
	out := []benchBackend{{"", benchDB}}
	if os.Getenv(benchPGEnv) != "" {
		out = append(out, benchBackend{"pg-", benchPGDB})
	}
	return out
}

// adminExec runs statements on the bench server's maintenance database.
func adminExec(b *testing.B, stmts ...string) {
	b.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, os.Getenv(benchPGEnv))
	if err != nil {
		b.Fatalf("bench server: %v", err)
	}
	defer c.Close(ctx)
	for _, s := range stmts {
		if _, err := c.Exec(ctx, s); err != nil {
			b.Fatalf("%s: %v", s, err)
		}
	}
}

// benchPGDB returns the DSN of a team store holding the n generated items
// of benchDB, migrating them once; a store whose migration did not finish
// is built again.
func benchPGDB(b *testing.B, n int) string {
	b.Helper()
	name := fmt.Sprintf("aiwatch_bench_%d_v%d", n, benchDBVersion)
	dsn := pgtest.WithDatabase(b, os.Getenv(benchPGEnv), name)
	ctx := context.Background()
	if c, err := pgx.Connect(ctx, dsn); err == nil {
		var done bool
		err := c.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'bench_complete')`).Scan(&done)
		c.Close(ctx)
		if err == nil && done {
			return dsn
		}
	}
	src := benchDB(b, n)
	b.Logf("building %s from %s; later runs reuse it", name, src)
	adminExec(b, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8'`)
	start := time.Now()
	if r := benchRun(b, "migrate", "--from", src, "--to", dsn); r.code != 0 {
		b.Fatalf("migrate: %s%s", r.stdout, r.stderr)
	}
	b.Logf("migrated %d items in %v", n, time.Since(start).Round(time.Second))
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Exec(ctx, `INSERT INTO meta (key, value) VALUES ('bench_complete', $1)`, time.Now().UTC().Format(time.RFC3339)); err != nil {
		b.Fatal(err)
	}
	return dsn
}

// benchRun runs aiwatch in-process with the real clock and no
// environment but a HOME of its own.
func benchRun(b *testing.B, args ...string) result {
	home := b.TempDir()
	var out, errb strings.Builder
	e := env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string {
			if k == "HOME" {
				return home
			}
			return ""
		},
		now:        time.Now,
		isTerminal: func(io.Writer) bool { return false },
	}
	code := run(context.Background(), args, e)
	return result{code, out.String(), errb.String()}
}

// benchPGStore opens a fresh seeded team store with only the given feeds
// enabled, for the ingest benchmarks.
func benchPGStore(b *testing.B, urls []string) (*postgres.DB, *match.Matcher) {
	b.Helper()
	name := fmt.Sprintf("aiwatch_bench_ingest_%d", os.Getpid())
	adminExec(b, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8'`)
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.WithDatabase(b, os.Getenv(benchPGEnv), name), postgres.Options{User: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	ds, _ := reference.Load()
	if _, err := db.Seed(ctx, ds); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `UPDATE feeds SET enabled = false`); err != nil {
		b.Fatal(err)
	}
	for _, u := range urls {
		if _, err := db.AddFeed(ctx, store.Feed{URL: u, Enabled: true}); err != nil {
			b.Fatal(err)
		}
	}
	aliases, _ := db.Aliases(ctx)
	return db, match.New(aliases)
}

// BenchmarkIngestPG20k is BenchmarkIngest20k into a team store.
func BenchmarkIngestPG20k(b *testing.B) { benchIngestPG(b, 1, 20000) }

// BenchmarkIngestPG50x200 is BenchmarkIngest50x200 into a team store.
func BenchmarkIngestPG50x200(b *testing.B) { benchIngestPG(b, 50, 200) }

func benchIngestPG(b *testing.B, feedsN, itemsN int) {
	if os.Getenv(benchPGEnv) == "" {
		b.Skipf("SKIPPED: $%s names no PostgreSQL server (bench/team.sh starts one)", benchPGEnv)
	}
	urls, stop := serveBenchFeeds(feedsN, itemsN, genRSS)
	defer stop()
	var total time.Duration
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		db, m := benchPGStore(b, urls)
		r := feeds.NewRefresher(db, fetch.New(fetch.Options{Version: "bench", MaxBody: 64 << 20}), m, feeds.Options{})
		b.StartTimer()
		start := time.Now()
		sum, err := r.Refresh(context.Background(), nil, nil)
		total += time.Since(start)
		if err != nil || sum.Failed > 0 || sum.NewItems != feedsN*itemsN {
			b.Fatalf("refresh: %v, %s", err, sum)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(feedsN*itemsN*b.N)/total.Seconds(), "items/s")
}
