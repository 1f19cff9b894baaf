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
	"net/url"
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
	if n > 1_000_000 && n%1_000_000 == 0 && n/1_000_000 <= benchPGCopies {
		buildPGCopies(b, name, benchPGDB(b, 1_000_000), n/1_000_000)
		return dsn
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

// benchPGCopies: stores of more than a million items are built on the
// server from the 1M store, not generated and migrated (at the migration's
// 500 items/s, 10M items would take five and a half hours).
const benchPGCopies = 10

// buildPGCopies builds database name as k copies of the 1M store at src:
// the store itself and k-1 more of every item, with its tags and every
// user's marks, under new IDs, keys, links and story keys, on the same
// dates (so the store is k times as dense, and each week's counts k
// times as large). Triggers are off while it copies (session
// replication role), so the counters are rebuilt after from the rows,
// as RepairCounts does, and the trigram index is built once at the end.
func buildPGCopies(b *testing.B, name, src string, k int) {
	b.Helper()
	srcName := strings.TrimPrefix(pgURLPath(b, src), "/")
	b.Logf("building %s as %d copies of %s; later runs reuse it", name, k, srcName)
	adminExec(b, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`,
		`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '`+srcName+`' AND pid <> pg_backend_pid()`,
		`CREATE DATABASE `+name+` TEMPLATE `+srcName)
	dsn := pgtest.WithDatabase(b, os.Getenv(benchPGEnv), name)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close(ctx)
	const stride = 100_000_000 // ID distance between copies
	steps := []string{
		`DELETE FROM meta WHERE key = 'bench_complete'`,
		`SET session_replication_role = replica`,
		`SET maintenance_work_mem = '1GB'`,
		`DROP INDEX items_search`,
		fmt.Sprintf(`INSERT INTO items (id, feed_id, key, url, title, summary, content, author, lang, published, updated, fetched,
			sanctions, hash, story, copy, link_key, title_key, search)
			SELECT id + g * %[1]d, feed_id, key || '~' || g, url || '#' || g, title, summary, content, author, lang, published, updated, fetched,
				sanctions, hash # g, CASE WHEN story <> 0 THEN story + g * %[1]d ELSE 0 END, copy,
				CASE WHEN link_key <> 0 THEN link_key # g ELSE 0 END, CASE WHEN title_key <> 0 THEN title_key # g ELSE 0 END, search
			FROM items CROSS JOIN generate_series(1, %[2]d) g WHERE id < %[1]d`, stride, k-1),
		fmt.Sprintf(`INSERT INTO item_tags (kind, entity, item_id, mentions, copy, published)
			SELECT kind, entity, item_id + g * %[1]d, mentions, copy, published
			FROM item_tags CROSS JOIN generate_series(1, %[2]d) g WHERE item_id < %[1]d`, stride, k-1),
		fmt.Sprintf(`INSERT INTO marks (username, item_id, read, starred)
			SELECT username, item_id + g * %[1]d, read, starred
			FROM marks CROSS JOIN generate_series(1, %[2]d) g WHERE item_id < %[1]d`, stride, k-1),
		`SELECT setval(pg_get_serial_sequence('items', 'id'), (SELECT max(id) FROM items))`,
		`SET session_replication_role = origin`,
		`CREATE INDEX items_search ON items USING gin (search gin_trgm_ops)`,
	}
	for _, s := range steps {
		start := time.Now()
		if _, err := c.Exec(ctx, s); err != nil {
			b.Fatalf("%s: %v", s, err)
		}
		b.Logf("%.60s: %v", strings.Join(strings.Fields(s), " "), time.Since(start).Round(time.Second))
	}
	// The counters, rebuilt from the rows, and the planner's statistics.
	db, err := postgres.Open(ctx, dsn, postgres.Options{User: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	err = db.RepairCounts(ctx)
	db.Close()
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("counters rebuilt: %v", time.Since(start).Round(time.Second))
	for _, s := range []string{`ANALYZE`, `INSERT INTO meta (key, value) VALUES ('bench_complete', '` + time.Now().UTC().Format(time.RFC3339) + `')`} {
		if _, err := c.Exec(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
}

// pgURLPath is the path of a postgres:// URL: the database's name.
func pgURLPath(b *testing.B, dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		b.Fatal(err)
	}
	return u.Path
}
