package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/store/postgres/pgtest"
)

// runEnv runs aiwatch in-process with exactly the environment vars (and
// a HOME of its own unless vars names one).
func runEnv(t testing.TB, vars map[string]string, args ...string) result {
	t.Helper()
	return runEnvWith(t, vars, nil, args...)
}

// runEnvWith is runEnv with the env changed by adjust first, unless nil.
func runEnvWith(t testing.TB, vars map[string]string, adjust func(*env), args ...string) result {
	t.Helper()
	home := t.TempDir()
	var out, errb bytes.Buffer
	e := env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string {
			if v, ok := vars[k]; ok {
				return v
			}
			if k == "HOME" {
				return home
			}
			return ""
		},
		now:        func() time.Time { return testNow },
		isTerminal: func(io.Writer) bool { return false },
	}
	if adjust != nil {
		adjust(&e)
	}
	code := run(context.Background(), args, e)
	return result{code, out.String(), errb.String()}
}

func TestStoreLocation(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	const dsn = "postgres://alice@db.example.org/aiwatch"
	for _, tc := range []struct {
		name, flag, cfg string
		vars            map[string]string
		want            string
		isDSN           bool
	}{
		{"flag wins", "/tmp/a.db", dsn, map[string]string{"AIWATCH_DB": "/tmp/b.db"}, "/tmp/a.db", false},
		{"a DSN by flag", dsn, "", map[string]string{"AIWATCH_DB": "/tmp/b.db"}, dsn, true},
		{"env over config", "", dsn, map[string]string{"AIWATCH_DB": "/tmp/b.db"}, "/tmp/b.db", false},
		{"a DSN by env", "", "", map[string]string{"AIWATCH_DB": "postgresql://db/x"}, "postgresql://db/x", true},
		{"config", "", dsn, map[string]string{"HOME": "/home/alice"}, dsn, true},
		{"default file", "", "", map[string]string{"XDG_DATA_HOME": "/data"}, "/data/aiwatch/aiwatch.db", false},
		// Paths that look a little like addresses stay paths.
		{"colon path", "postgres:/x.db", "", nil, "postgres:/x.db", false},
		{"file named postgres", "./postgres://x.db", "", nil, "./postgres://x.db", false},
		{"key=value", "host=db dbname=x", "", nil, "host=db dbname=x", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := storeLocation(tc.flag, env(tc.vars), tc.cfg)
			if err != nil || got != tc.want || postgres.IsDSN(got) != tc.isDSN {
				t.Errorf("storeLocation = %q, %v (DSN %v); want %q (DSN %v)", got, err, postgres.IsDSN(got), tc.want, tc.isDSN)
			}
		})
	}
}

func TestUserName(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if got := userName("carol", env(map[string]string{"AIWATCH_USER": "bob"})); got != "carol" {
		t.Errorf("config user: %q", got)
	}
	if got := userName("", env(map[string]string{"AIWATCH_USER": " bob "})); got != "bob" {
		t.Errorf("$AIWATCH_USER: %q", got)
	}
	if got := userName("", env(nil)); got != postgres.DefaultUser() || got == "" {
		t.Errorf("login name: %q, want %q", got, postgres.DefaultUser())
	}
}

// schemaOf reads the schema version of the database at dsn, 0 if aiwatch
// never wrote it.
func schemaOf(t *testing.T, dsn string) int {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var v string
	if err := c.QueryRow(ctx, `SELECT coalesce((SELECT value FROM meta WHERE key = 'schema'), '0') WHERE to_regclass('meta') IS NOT NULL`).Scan(&v); err != nil {
		return 0
	}
	n, _ := strconv.Atoi(v)
	return n
}

// TestConfigDSNChoosesPostgres: store.dsn in the config file sends every
// command to the server, and --db or $AIWATCH_DB, a file, wins over it.
func TestConfigDSNChoosesPostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	home := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "config.yml")
	if err := os.WriteFile(cfg, []byte("store:\n  dsn: "+strconv.Quote(dsn)+"\nuser: carol\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runEnv(t, map[string]string{"AIWATCH_CONFIG": cfg, "HOME": home}, "firms")
	if schemaOf(t, dsn) < 1 {
		t.Fatal("store.dsn did not open the PostgreSQL store")
	}
	if _, err := os.Stat(filepath.Join(home, ".local", "share", "aiwatch", "aiwatch.db")); err == nil {
		t.Error("a SQLite store was created although store.dsn names a server")
	}
	file := filepath.Join(t.TempDir(), "mine.db")
	r := runEnv(t, map[string]string{"AIWATCH_CONFIG": cfg, "AIWATCH_DB": file}, "firms")
	if r.code != 0 {
		t.Fatalf("firms on a file: %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("$AIWATCH_DB did not win over store.dsn: %v", err)
	}
}

// withPassword is dsn with a password that the test server (trust
// authentication) ignores.
func withPassword(t *testing.T, dsn, pw string) string {
	t.Helper()
	i := strings.Index(dsn, "@")
	if !strings.HasPrefix(dsn, "postgres://") || i < 0 {
		t.Fatalf("unexpected test DSN %s", dsn)
	}
	return dsn[:i] + ":" + pw + dsn[i:]
}

// TestPasswordNeverPrinted runs commands on stores named with a password
// and looks for it in everything they print, fail or not.
func TestPasswordNeverPrinted(t *testing.T) {
	const pw = "Sekr1tPassw0rd"
	dsn := withPassword(t, pgtest.DSN(t), pw)
	bad := "postgres://alice:" + pw + "@/nodb?host=" + t.TempDir() // no server there
	backup := filepath.Join(t.TempDir(), "b.db")
	for _, tc := range []struct {
		db   string
		args []string
	}{
		{dsn, []string{"feeds", "list"}},
		{dsn, []string{"feeds", "list", "--json"}},
		{dsn, []string{"check"}},
		{dsn, []string{"backup", backup}},
		{dsn, []string{"fetch"}},
		{dsn, []string{"items", "--query", "华为"}},
		{bad, []string{"firms"}},
		{bad, []string{"feeds", "list"}},
		{"postgres://alice:" + pw + "@db.invalid:5432/x?connect_timeout=1", []string{"firms"}},
		{"postgres://alice:" + pw + "@[::1/x", []string{"firms"}}, // not a URL
	} {
		r := runEnv(t, map[string]string{"AIWATCH_DB": tc.db}, tc.args...)
		if strings.Contains(r.stdout+r.stderr, pw) {
			t.Errorf("aiwatch %s printed the password:\n%s%s", strings.Join(tc.args, " "), r.stdout, r.stderr)
		}
		if tc.db == bad && (r.code != 1 || !strings.Contains(r.stderr, "xxxxx")) {
			t.Errorf("aiwatch %s on no server: exit %d, %q", strings.Join(tc.args, " "), r.code, r.stderr)
		}
	}
	// Passed by --db, in the config file, by either name.
	cfg := filepath.Join(t.TempDir(), "config.yml")
	os.WriteFile(cfg, []byte("store:\n  dsn: "+strconv.Quote(bad)+"\n"), 0o644)
	for _, args := range [][]string{{"--db", bad, "firms"}, {"--config", cfg, "firms"}, {"--config", cfg, "config", "show"}} {
		r := runEnv(t, nil, args...)
		if strings.Contains(r.stdout+r.stderr, pw) {
			t.Errorf("aiwatch %s printed the password:\n%s%s", strings.Join(args, " "), r.stdout, r.stderr)
		}
	}

	// The log, and the background re-tag's command line.
	a := &app{dsn: dsn}
	var logb bytes.Buffer
	l := log.New(redactingWriter{a, &logb}, "", 0)
	l.Printf("dashboard: unable to reach %s: password %s refused", dsn, pw)
	if strings.Contains(logb.String(), pw) || !strings.Contains(logb.String(), "xxxxx") {
		t.Errorf("the log line %q", logb.String())
	}
	pg, err := postgres.Open(context.Background(), dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	a.db = pg
	cmd := retagCommand(a, "/bin/aiwatch")
	if strings.Contains(strings.Join(cmd.Args, " "), pw) || strings.Contains(strings.Join(cmd.Args, " "), "postgres") {
		t.Errorf("the re-tag's command line shows the address: %q", cmd.Args)
	}
	if cmd.Env == nil || cmd.Env[len(cmd.Env)-1] != "AIWATCH_DB="+dsn {
		t.Errorf("the re-tag does not get the address by its environment")
	}
}

// TestPostgresFetchLockNamesHolder: on a team store, fetch's lock is the
// server's, and a second fetcher is told who holds it.
func TestPostgresFetchLockNamesHolder(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	db1, err := postgres.Open(ctx, dsn, postgres.Options{User: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer db1.Close()
	db2, err := postgres.Open(ctx, dsn, postgres.Options{User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	a := &app{ctx: ctx}
	unlock, err := a.lockStore(db1, false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.lockStore(db2, false)
	if err == nil || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) || !strings.Contains(err.Error(), "--wait") {
		t.Fatalf("second fetcher: %v", err)
	}
	unlock()
	unlock2, err := a.lockStore(db2, false)
	if err != nil {
		t.Fatalf("after the first let go: %v", err)
	}
	unlock2()
	// No lock file appears anywhere: the store has no file.
	if db1.Path() != "" {
		t.Fatal("a PostgreSQL store with a path")
	}
}

// zhFeed is an RSS feed with a Chinese headline that names Huawei.
const zhFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>中文新闻</title><link>https://news.example.cn/</link>
<item><title>华为发布新一代昇腾芯片</title><link>https://news.example.cn/a/1</link><guid>zh-1</guid>
<pubDate>Thu, 26 Nov 2026 08:00:00 GMT</pubDate><description>深圳消息</description></item>
<item><title>Moore Threads raises new funds</title><link>https://news.example.cn/a/2</link><guid>zh-2</guid>
<pubDate>Wed, 25 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title>Weather turns cold in Shanghai</title><link>https://news.example.cn/a/3</link><guid>zh-3</guid>
<pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate></item>
</channel></rss>`

// itemsOf is items --json on the store db for user.
func itemsOf(t *testing.T, db, user string, args ...string) []itemJSON {
	t.Helper()
	r := runEnv(t, map[string]string{"AIWATCH_DB": db, "AIWATCH_USER": user}, append([]string{"items", "--json", "--limit", "0"}, args...)...)
	if r.code != 0 {
		t.Fatalf("items %v: exit %d\n%s", args, r.code, r.stderr)
	}
	var out []itemJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("items --json: %v\n%s", err, r.stdout)
	}
	return out
}

// TestPostgresDoneWhen is the "done when" on a PostgreSQL store,
// through the command line: the seeded firms, a fetch, Chinese search,
// and one user's marks that are not another's.
func TestPostgresDoneWhen(t *testing.T) {
	dsn := pgtest.DSN(t)
	site := newFTSite(t)
	url := site.set("/zh.xml", "application/rss+xml", []byte(zhFeed))
	pg := func(user string, args ...string) result {
		t.Helper()
		r := runEnv(t, map[string]string{"AIWATCH_DB": dsn, "AIWATCH_USER": user}, args...)
		if r.code != 0 {
			t.Fatalf("aiwatch %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
		return r
	}
	var firms []json.RawMessage
	if err := json.Unmarshal([]byte(pg("alice", "firms", "--json").stdout), &firms); err != nil || len(firms) != 35 {
		t.Fatalf("firms --json: %d firms, %v", len(firms), err)
	}
	// Only the test's feed is fetched: nothing past the loopback.
	var feeds []feedJSON
	json.Unmarshal([]byte(pg("alice", "feeds", "list", "--json").stdout), &feeds)
	for _, f := range feeds {
		if f.Enabled && f.Kind != "builtin" {
			pg("alice", "feeds", "disable", strconv.FormatInt(f.ID, 10))
		}
	}
	// feeds add saves the feed's first items; a fetch saves the next.
	first := strings.Replace(zhFeed, "<item><title>华为", "<!--<item><title>华为", 1)
	first = strings.Replace(first, "深圳消息</description></item>", "深圳消息</description></item>-->", 1)
	site.set("/zh.xml", "application/rss+xml", []byte(first))
	pg("alice", "feeds", "add", url)
	site.set("/zh.xml", "application/rss+xml", []byte(zhFeed))
	if r := pg("alice", "fetch", "--all"); !strings.Contains(r.stdout, "; 1 new items") {
		t.Errorf("fetch --all: %s", r.stdout)
	}
	ours := func(items []itemJSON) []itemJSON {
		var out []itemJSON
		for _, it := range items {
			if it.Feed == "中文新闻" {
				out = append(out, it)
			}
		}
		return out
	}
	found := ours(itemsOf(t, dsn, "alice", "--query", "华为"))
	if len(found) != 1 || found[0].Title != "华为发布新一代昇腾芯片" {
		t.Fatalf("items --query 华为 = %+v", found)
	}
	if got := itemsOf(t, dsn, "alice", "--query", "为华"); len(got) != 0 {
		t.Errorf("items --query 为华 = %+v, want none", got)
	}
	id := strconv.FormatInt(found[0].ID, 10)
	pg("alice", "read", id)
	pg("alice", "star", id)
	if got := ours(itemsOf(t, dsn, "alice", "--query", "华为")); !got[0].Read || !got[0].Starred {
		t.Errorf("alice's item after read and star: %+v", got[0])
	}
	if got := ours(itemsOf(t, dsn, "bob", "--query", "华为")); got[0].Read || got[0].Starred {
		t.Errorf("alice's marks show for bob: %+v", got[0])
	}
	// Another fetcher holds the server's lock: fetch names it, or waits.
	holder, err := postgres.Open(context.Background(), dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	unlock, err := holder.LockFetch(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	r := runEnv(t, map[string]string{"AIWATCH_DB": dsn}, "fetch", "--all")
	if r.code != 1 || !strings.Contains(r.stderr, "pid "+strconv.Itoa(os.Getpid())) || !strings.Contains(r.stderr, "--wait") {
		t.Errorf("fetch while another holds the lock: exit %d %q", r.code, r.stderr)
	}
	done := make(chan result, 1)
	go func() { done <- runEnv(t, map[string]string{"AIWATCH_DB": dsn}, "fetch", "--all", "--wait") }()
	select {
	case r := <-done:
		t.Fatalf("fetch --wait did not wait: exit %d %s%s", r.code, r.stdout, r.stderr)
	case <-time.After(300 * time.Millisecond):
	}
	unlock()
	select {
	case r := <-done:
		if r.code != 0 || !strings.Contains(r.stdout, "0 new items") {
			t.Errorf("fetch --wait once the lock was free: exit %d %s%s", r.code, r.stdout, r.stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("fetch --wait still waiting 30s after the lock was freed")
	}

	// backup says what to do instead.
	r = runEnv(t, map[string]string{"AIWATCH_DB": dsn}, "backup", filepath.Join(t.TempDir(), "b.db"))
	if r.code != 1 || !strings.Contains(r.stderr, "pg_dump") {
		t.Errorf("backup on PostgreSQL: exit %d %q", r.code, r.stderr)
	}
}

// TestMigrateToPostgres moves a SQLite store with starred and read items
// into a team store, twice, and finds everything there once.
func TestMigrateToPostgres(t *testing.T) {
	site := newFTSite(t)
	url := site.set("/news.xml", "application/rss+xml", ftFixture(t, "news-v1.rss"))
	file := ftStore(t)
	ftAdd(t, file, url)
	ftRun(t, file, 0, "fetch")
	mine := itemsOf(t, file, "")
	var starred, read []string
	for _, it := range mine {
		if it.URL == "" {
			continue
		}
		switch {
		case len(starred) == 0:
			starred = append(starred, it.URL)
			ftRun(t, file, 0, "star", strconv.FormatInt(it.ID, 10))
		case len(read) == 0:
			read = append(read, it.URL)
			ftRun(t, file, 0, "read", strconv.FormatInt(it.ID, 10))
		}
	}
	if len(starred) == 0 || len(read) == 0 {
		t.Fatalf("too few items to mark: %+v", mine)
	}
	ftRun(t, file, 0, "views", "add", "Mine", "firm:huawei")
	ftRun(t, file, 0, "firms", "add", "acme-ai", "--name", "Acme AI", "--alias", "AcmeAI")

	dsn := pgtest.DSN(t)
	runs := 0
	migrate := func() result {
		t.Helper()
		runs++
		r := runEnv(t, map[string]string{"AIWATCH_USER": "dana"}, "migrate", "--from", file, "--to", dsn)
		if runs == 2 { // the team store named by $AIWATCH_DB instead of --to
			r = runEnv(t, map[string]string{"AIWATCH_USER": "dana", "AIWATCH_DB": dsn}, "migrate", "--from", file)
		}
		if r.code != 0 {
			t.Fatalf("migrate: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		return r
	}
	r := migrate()
	if !strings.Contains(r.stdout, "kept for dana") || !strings.Contains(r.stdout, "1 starred") {
		t.Errorf("migrate said:\n%s", r.stdout)
	}
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := c.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	items := count(`SELECT count(*) FROM items i JOIN feeds f ON f.id = i.feed_id WHERE f.url = $1`, url)
	if items != 3 {
		t.Errorf("%d items of the feed in the team store, want 3", items)
	}
	if n := count(`SELECT count(*) FROM marks m JOIN items i ON i.id = m.item_id WHERE m.username = 'dana' AND m.starred AND i.url = $1`, starred[0]); n != 1 {
		t.Errorf("the starred item is starred for dana %d times", n)
	}
	if n := count(`SELECT count(*) FROM marks m JOIN items i ON i.id = m.item_id WHERE m.username = 'dana' AND m.read AND i.url = $1`, read[0]); n != 1 {
		t.Errorf("the read item is read for dana %d times", n)
	}
	if n := count(`SELECT count(*) FROM item_tags t JOIN items i ON i.id = t.item_id JOIN feeds f ON f.id = i.feed_id
		WHERE f.url = $1 AND i.title LIKE 'Huawei%' AND t.kind = 'firm' AND t.entity = 'huawei'`, url); n != 1 {
		t.Errorf("the Huawei item's firm tag: %d rows", n)
	}
	if n := count(`SELECT count(*) FROM views WHERE username = 'dana' AND name = 'Mine'`); n != 1 {
		t.Errorf("the view came over %d times", n)
	}
	if n := count(`SELECT count(*) FROM firms WHERE id = 'acme-ai'`); n != 1 {
		t.Errorf("the user's firm came over %d times", n)
	}
	total := count(`SELECT count(*) FROM items`)
	tags := count(`SELECT count(*) FROM item_tags`)

	// Again: nothing twice.
	r = migrate()
	if !strings.Contains(r.stdout, "(0 new,") {
		t.Errorf("the second migrate added items:\n%s", r.stdout)
	}
	if n := count(`SELECT count(*) FROM items`); n != total {
		t.Errorf("%d items after migrating twice, %d after once", n, total)
	}
	if n := count(`SELECT count(*) FROM item_tags`); n != tags {
		t.Errorf("%d tags after migrating twice, %d after once", n, tags)
	}
	if n := count(`SELECT count(*) FROM marks WHERE username = 'dana' AND starred`); n != 1 {
		t.Errorf("%d starred marks for dana after migrating twice", n)
	}
	// The team store lists it for dana, starred, and not for erin.
	for _, it := range itemsOf(t, dsn, "dana", "--starred") {
		if it.URL != starred[0] {
			t.Errorf("dana's starred items hold %s", it.URL)
		}
	}
	if got := itemsOf(t, dsn, "erin", "--starred"); len(got) != 0 {
		t.Errorf("erin sees dana's stars: %+v", got)
	}
}

func TestMigrateRefusals(t *testing.T) {
	file := filepath.Join(t.TempDir(), "missing.db")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"migrate", "--to", "postgres://db/x"}, 2, "needs --from"},
		{[]string{"migrate", "--from", "postgres://db/x", "--to", "postgres://db/y"}, 2, "not a server"},
		{[]string{"migrate", "--from", file}, 2, "needs --to postgres://"},
		{[]string{"migrate", "--from", file, "--to", "/tmp/other.db"}, 2, "needs --to postgres://"},
		{[]string{"migrate", "--from", file, "--to", "postgres://db.invalid/x"}, 1, "no store file there"},
	} {
		r := runEnv(t, nil, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d %q, want %d and %q", tc.args, r.code, r.stderr, tc.code, tc.want)
		}
	}
	if _, err := os.Stat(file); err == nil {
		t.Error("migrate created the store it was to copy")
	}
}

// TestMigrateArticles: an article kept in the file comes over once, is
// found by a word only in it, and is not copied again.
func TestMigrateArticles(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/story" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, storyPage)
	}))
	defer srv.Close()
	file, ids := articleStore(t, srv, "/story", "/other")
	if r := runCLI(t, file, "", "article", strconv.FormatInt(ids[0], 10)); r.code != 0 {
		t.Fatalf("article: %+v", r)
	}
	dsn := pgtest.DSN(t)
	migrate := func() string {
		t.Helper()
		r := runEnv(t, map[string]string{"AIWATCH_USER": "dana"}, "migrate", "--from", file, "--to", dsn)
		if r.code != 0 {
			t.Fatalf("migrate: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		return r.stdout
	}
	if out := migrate(); !strings.Contains(out, "articles:  1 copied") {
		t.Errorf("first migrate:\n%s", out)
	}
	found := itemsOf(t, dsn, "dana", "--query", "glorpwidget")
	if len(found) != 1 || found[0].Title != "Story 0" {
		t.Errorf("items --query glorpwidget on the team store = %+v", found)
	}
	if out := migrate(); !strings.Contains(out, "articles:  0 copied") {
		t.Errorf("second migrate:\n%s", out)
	}
}

// TestTeamAlertsWithoutFetching: on a team store one teammate runs the
// fetcher; the others' watch lists alert on what it saved when they
// list their alerts, though they never fetch themselves.
func TestTeamAlertsWithoutFetching(t *testing.T) {
	dsn := pgtest.DSN(t)
	site := newFTSite(t)
	url := site.set("/zh.xml", "application/rss+xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>中文新闻</title></channel></rss>`))
	pg := func(user string, args ...string) result {
		t.Helper()
		r := runEnv(t, map[string]string{"AIWATCH_DB": dsn, "AIWATCH_USER": user}, args...)
		if r.code != 0 {
			t.Fatalf("aiwatch %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
		return r
	}
	var feeds []feedJSON
	json.Unmarshal([]byte(pg("fetcher", "feeds", "list", "--json").stdout), &feeds)
	for _, f := range feeds {
		if f.Enabled && f.Kind != "builtin" {
			pg("fetcher", "feeds", "disable", strconv.FormatInt(f.ID, 10))
		}
	}
	pg("fetcher", "feeds", "add", url)
	pg("alice", "watch", "add", "firm:huawei")
	site.set("/zh.xml", "application/rss+xml", []byte(zhFeed))
	pg("fetcher", "fetch", "--all")
	if r := pg("alice", "alerts"); !strings.Contains(r.stdout, "华为发布新一代昇腾芯片") {
		t.Errorf("alice's alerts after the fetcher's fetch:\n%s", r.stdout)
	}
	if r := pg("bob", "alerts"); strings.Contains(r.stdout, "华为") {
		t.Errorf("bob, who watches nothing, has alice's alert:\n%s", r.stdout)
	}
}
