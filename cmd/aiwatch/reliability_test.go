package main

// Reliability tests (product issue 7). They run the real aiwatch: the
// test binary re-executes itself with AIWATCH_RUN_MAIN=1, which makes
// TestMain run main() instead of the tests, so every "aiwatch" here is a
// separate process with its own SQLite connections, killed and raced as a
// user's would be. Feeds come from an httptest server on 127.0.0.1; every
// reference feed is disabled first, so nothing leaves the machine.
//
// This file holds the harness, crash safety (point 1) and two processes
// on one store (point 2). The other points are in reliability_*_test.go.

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// runMainEnv makes the test binary behave as the aiwatch command.
const runMainEnv = "AIWATCH_RUN_MAIN"

// rssFileEnv makes the test binary a small launcher that runs aiwatch as
// its child and writes the child's peak RSS, in KiB, to the file it
// names. Linux carries a process's peak RSS across execve from the
// memory it had before, and Go starts children sharing the parent's
// memory until they exec; so a child of the big test process would
// report at least the test process's own peak. The launcher's peak, a
// few MiB, is far below any aiwatch process's.
const rssFileEnv = "AIWATCH_RSS_FILE"

func TestMain(m *testing.M) {
	if file := os.Getenv(rssFileEnv); file != "" {
		os.Exit(launch(file))
	}
	if os.Getenv(runMainEnv) == "1" {
		main() // exits
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// launch runs this binary as aiwatch with the same arguments, passes on
// its exit code, and records its peak RSS in file.
func launch(file string) int {
	cmd := exec.Command(os.Args[0], os.Args[1:]...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, rssFileEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		fmt.Fprintln(os.Stderr, "launcher:", err)
		return 125
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		os.WriteFile(file, []byte(strconv.FormatInt(ru.Maxrss, 10)), 0o644)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return cmd.ProcessState.ExitCode()
}

// measuredCmd is aiwatchCmd run through the launcher, so that runCmd
// reports the peak RSS of aiwatch itself.
func measuredCmd(t testing.TB, db string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := aiwatchCmd(t, db, args...)
	cmd.Env = append(cmd.Env, rssFileEnv+"="+filepath.Join(t.TempDir(), "rss"))
	return cmd
}

// procTimeout bounds any one aiwatch process a test starts; a process
// still running then is killed and the test fails.
const procTimeout = 90 * time.Second

// childEnv is the environment of an aiwatch process: the test's own,
// without anything that could point it at another store, plus extra.
func childEnv(home string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "AIWATCH_DB", "XDG_DATA_HOME", "HOME", runMainEnv:
			continue
		}
		env = append(env, kv)
	}
	env = append(env, runMainEnv+"=1")
	if home != "" {
		env = append(env, "HOME="+home)
	}
	return append(env, extra...)
}

// aiwatchCmd returns an aiwatch process for the store at db, not started.
func aiwatchCmd(t testing.TB, db string, args ...string) *exec.Cmd {
	t.Helper()
	if db != "" {
		args = append([]string{"--db", db}, args...)
	}
	home := filepath.Dir(db)
	if db == "" {
		home = t.TempDir()
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = childEnv(home)
	return cmd
}

// procResult is how an aiwatch process ended.
type procResult struct {
	code           int
	stdout, stderr string
	elapsed        time.Duration
	maxRSS         int64 // peak resident set in bytes, for a measuredCmd
}

func (r procResult) String() string {
	return fmt.Sprintf("exit %d after %v\nstdout: %s\nstderr: %s", r.code, r.elapsed.Round(time.Millisecond), r.stdout, r.stderr)
}

// runCmd runs cmd to completion (killing it after procTimeout) and
// reports its exit code, output, time and peak RSS.
func runCmd(t testing.TB, cmd *exec.Cmd) procResult {
	t.Helper()
	r, err := runProc(cmd)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// runProc is runCmd for goroutines other than the test's: it returns
// what runCmd would fail the test with.
func runProc(cmd *exec.Cmd) (procResult, error) {
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return procResult{}, fmt.Errorf("start aiwatch: %w", err)
	}
	timer := time.AfterFunc(procTimeout, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	timer.Stop()
	r := procResult{stdout: out.String(), stderr: errb.String(), elapsed: time.Since(start), code: cmd.ProcessState.ExitCode()}
	for _, kv := range cmd.Env {
		if file, ok := strings.CutPrefix(kv, rssFileEnv+"="); ok {
			b, _ := os.ReadFile(file)
			kib, _ := strconv.ParseInt(string(b), 10, 64)
			r.maxRSS = kib * 1024
		}
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return r, fmt.Errorf("aiwatch %v: %w", cmd.Args[1:], err)
	}
	if r.elapsed >= procTimeout {
		return r, fmt.Errorf("aiwatch %v was still running after %v and was killed", cmd.Args[1:], procTimeout)
	}
	return r, nil
}

// aiwatch runs aiwatch with args against db.
func runAiwatch(t testing.TB, db string, args ...string) procResult {
	t.Helper()
	return runCmd(t, aiwatchCmd(t, db, args...))
}

// mustAiwatch runs aiwatch and fails the test unless it exits 0.
func mustAiwatch(t testing.TB, db string, args ...string) procResult {
	t.Helper()
	r := runAiwatch(t, db, args...)
	if r.code != 0 {
		t.Fatalf("aiwatch %s: %s", strings.Join(args, " "), r)
	}
	return r
}

// fetchArgs is "fetch --feed ID ..." for ids, plus extra flags.
func fetchArgs(ids []int64, extra ...string) []string {
	args := []string{"fetch"}
	for _, id := range ids {
		args = append(args, "--feed", strconv.FormatInt(id, 10))
	}
	return append(args, extra...)
}

// newTestStore creates a seeded store at a new path with every reference
// feed disabled, adds one feed per URL and returns the path and the
// feeds' IDs in order.
func newTestStore(t testing.TB, urls ...string) (string, []int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "aiwatch.db")
	mustAiwatch(t, path, "check")
	db := openStore(t, path)
	defer db.Close()
	if _, err := db.SQL().Exec(`UPDATE feeds SET enabled = 0`); err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(urls))
	for i, u := range urls {
		id, err := db.AddFeed(context.Background(), store.Feed{URL: u, Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	return path, ids
}

// openStore opens the store in this process, as the dashboard would.
func openStore(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return db
}

// checkStore runs the store's own checks (integrity, foreign keys, FTS,
// counters) in this process and fails the test on any problem.
func checkStore(t testing.TB, path string) sqlite.CheckReport {
	t.Helper()
	db := openStore(t, path)
	defer db.Close()
	r, err := db.Check(context.Background())
	if err != nil {
		t.Fatalf("check %s: %v", path, err)
	}
	if !r.OK() {
		t.Fatalf("check %s: integrity %v, foreign keys %d, fts %q, counters ok %v", path, r.Integrity, r.ForeignKeys, r.FTS, r.CountsOK)
	}
	return r
}

// queryStrings runs q and returns its single text column.
func queryStrings(t testing.TB, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// queryInt runs q and returns its single integer.
func queryInt(t testing.TB, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// ---- the feed server ----

// feedServer serves the tests' feeds on 127.0.0.1.
type feedServer struct {
	*httptest.Server
	mu       sync.Mutex
	handlers map[string]http.HandlerFunc
	hits     map[string]int
}

func newFeedServer(t testing.TB) *feedServer {
	t.Helper()
	s := &feedServer{handlers: map[string]http.HandlerFunc{}, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		h := s.handlers[r.URL.Path]
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(func() {
		s.CloseClientConnections()
		s.Close()
	})
	return s
}

// handle serves path with h and returns its URL.
func (s *feedServer) handle(path string, h http.HandlerFunc) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[path] = h
	return s.URL + path
}

// hitCount returns how many requests path has had.
func (s *feedServer) hitCount(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// serveBytes answers with body and the content type.
func serveBytes(contentType string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}
}

// ---- generated feeds ----

// Sentences naming firms in the three scripts aiwatch reads, so that
// saving exercises tagging and both full-text indexes.
var relText = []string{
	"Huawei and Biren expand the Model-Chip Ecosystem Innovation Alliance as Moore Threads ships new GPUs.",
	"华为、壁仞科技和摩尔线程加入模芯生态创新联盟，商汤科技发布新模型。",
	"ويضم هذا التحالف شركات رائدة مثل هواوي، وبيرين، ومور ثريدز في شنغهاي.",
	"SenseTime and MiniMax join the Shanghai chamber's AI committee; StepFun shows Step-3.",
	"A market note on cloud spending with no firm named at all, for contrast.",
}

// relItem is one generated RSS item; fields are inserted as escaped text.
type relItem struct {
	guid, title, link, summary string
	published                  time.Time
}

// rssDoc writes an RSS 2.0 document.
func rssDoc(title string, items []relItem) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<rss version=\"2.0\"><channel><title>")
	xmlEscape(&b, title)
	b.WriteString("</title><link>http://127.0.0.1/</link><language>en</language>\n")
	for _, it := range items {
		b.WriteString("<item>")
		if it.guid != "" {
			b.WriteString(`<guid isPermaLink="false">`)
			xmlEscape(&b, it.guid)
			b.WriteString("</guid>")
		}
		b.WriteString("<title>")
		xmlEscape(&b, it.title)
		b.WriteString("</title>")
		if it.link != "" {
			b.WriteString("<link>")
			xmlEscape(&b, it.link)
			b.WriteString("</link>")
		}
		if !it.published.IsZero() {
			b.WriteString("<pubDate>" + it.published.UTC().Format(time.RFC1123Z) + "</pubDate>")
		}
		b.WriteString("<description>")
		xmlEscape(&b, it.summary)
		b.WriteString("</description></item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

func xmlEscape(b *bytes.Buffer, s string) {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	r.WriteString(b, s)
}

// relSummary is about n characters of mixed-script text.
func relSummary(seed, n int) string {
	var b strings.Builder
	for j := 0; b.Len() < n; j++ {
		b.WriteString(relText[(seed+j)%len(relText)])
		b.WriteByte(' ')
	}
	return b.String()
}

// genFeed serves, on every request, a new generation of one feed: perGen
// items whose GUIDs and titles carry the generation number, plus pinned
// items that are always the same (same GUIDs) but whose titles carry the
// generation too, so every request rewrites them. Its ETag names the
// generation. A batch saved whole therefore shows as: every item of each
// generation present, every pinned item at the newest generation, and
// the feed's ETag at that generation.
type genFeed struct {
	feed, perGen, pinned int
	gen                  atomic.Int64
	base                 time.Time
}

func (g *genFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(g.gen.Add(1))
	items := make([]relItem, 0, g.perGen+g.pinned)
	for j := 0; j < g.pinned; j++ {
		items = append(items, relItem{
			guid:      fmt.Sprintf("pin-%d-%d", g.feed, j),
			title:     fmt.Sprintf("pinned %d/%d rev %d %s", g.feed, j, n, relText[j%len(relText)]),
			link:      fmt.Sprintf("http://127.0.0.1/a/%d/pin/%d", g.feed, j),
			summary:   relSummary(j, 300),
			published: g.base.Add(-time.Duration(j) * time.Hour),
		})
	}
	for i := 0; i < g.perGen; i++ {
		items = append(items, relItem{
			guid:      fmt.Sprintf("gen-%d-%d-%d", g.feed, n, i),
			title:     fmt.Sprintf("gen %d/%d/%d %s", g.feed, n, i, relText[i%len(relText)]),
			link:      fmt.Sprintf("http://127.0.0.1/a/%d/%d/%d", g.feed, n, i),
			summary:   relSummary(i+n, 400),
			published: g.base.Add(time.Duration(n)*time.Hour + time.Duration(i)*time.Second),
		})
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Header().Set("ETag", fmt.Sprintf(`"g%d-%d"`, g.feed, n))
	w.Write(rssDoc(fmt.Sprintf("generated feed %d", g.feed), items))
}

// genFeeds adds n generated feeds to srv and returns them with their URLs.
func genFeeds(srv *feedServer, n, perGen, pinned int) ([]*genFeed, []string) {
	base := time.Now().Add(-30 * 24 * time.Hour).Truncate(time.Second)
	var gs []*genFeed
	var urls []string
	for f := 0; f < n; f++ {
		g := &genFeed{feed: f, perGen: perGen, pinned: pinned, base: base}
		gs = append(gs, g)
		urls = append(urls, srv.handle(fmt.Sprintf("/gen/%d", f), g.ServeHTTP))
	}
	return gs, urls
}

// batchState checks that every generated feed's batches were saved whole
// (see genFeed) and returns, per feed, the newest generation saved, and
// how many batches were saved in all.
func batchState(t testing.TB, db *sql.DB, gs []*genFeed, ids []int64) (newest []int, saved int) {
	t.Helper()
	newest = make([]int, len(gs))
	for fi, g := range gs {
		id := ids[fi]
		perGen := map[int]int{}
		for _, key := range queryStrings(t, db, `SELECT key FROM items WHERE feed_id = ? AND key LIKE 'gen-%'`, id) {
			var f, n, i int
			if _, err := fmt.Sscanf(key, "gen-%d-%d-%d", &f, &n, &i); err != nil || f != g.feed {
				t.Fatalf("feed %d: unexpected key %q", id, key)
			}
			perGen[n]++
		}
		maxGen := 0
		for n, c := range perGen {
			if c != g.perGen {
				t.Errorf("feed %d generation %d: %d of %d items saved: a half-saved batch", id, n, c, g.perGen)
			}
			maxGen = max(maxGen, n)
		}
		revs := map[int]int{}
		for _, title := range queryStrings(t, db, `SELECT title FROM items WHERE feed_id = ? AND key LIKE 'pin-%'`, id) {
			var f, j, rev int
			if _, err := fmt.Sscanf(title, "pinned %d/%d rev %d", &f, &j, &rev); err != nil {
				t.Fatalf("feed %d: unexpected pinned title %q", id, title)
			}
			revs[rev]++
		}
		if maxGen > 0 {
			if len(revs) != 1 || revs[maxGen] != g.pinned {
				t.Errorf("feed %d: pinned items at revisions %v, want all %d at %d (the newest batch)", id, revs, g.pinned, maxGen)
			}
			var etag string
			db.QueryRow(`SELECT etag FROM feeds WHERE id = ?`, id).Scan(&etag)
			if want := fmt.Sprintf(`"g%d-%d"`, g.feed, maxGen); etag != want {
				t.Errorf("feed %d: ETag %s, want %s (the newest batch's)", id, etag, want)
			}
		}
		newest[fi] = maxGen
		saved += len(perGen)
	}
	return newest, saved
}

// itemMarks is the read and starred state of one item.
type itemMarks struct{ read, starred bool }

// marksOf returns the marks of the items with the given IDs.
func marksOf(t testing.TB, db *sql.DB, ids []int64) map[int64]itemMarks {
	t.Helper()
	out := map[int64]itemMarks{}
	for _, id := range ids {
		var m itemMarks
		if err := db.QueryRow(`SELECT read, starred FROM items WHERE id = ?`, id).Scan(&m.read, &m.starred); err != nil {
			t.Fatalf("item %d: %v", id, err)
		}
		out[id] = m
	}
	return out
}

// pinnedIDs returns the IDs of the generated feeds' pinned items.
func pinnedIDs(t testing.TB, db *sql.DB) []int64 {
	t.Helper()
	var ids []int64
	for _, s := range queryStrings(t, db, `SELECT CAST(id AS TEXT) FROM items WHERE key LIKE 'pin-%' ORDER BY id`) {
		id, _ := strconv.ParseInt(s, 10, 64)
		ids = append(ids, id)
	}
	return ids
}

func idArgs(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}

// ---- 1. crash safety ----

// TestCrashSafetyKillLoop kills aiwatch fetch with SIGKILL at random
// moments, 50 times (10 with -short, $AIWATCH_KILLS when set), while it saves big feeds
// that rewrite marked items on every request. Afterwards the store passes
// integrity, foreign-key, FTS and counter checks, every feed's batches are
// whole, the read and starred marks set before the loop are all there,
// and a normal fetch still works.
func TestCrashSafetyKillLoop(t *testing.T) {
	kills := 50
	if testing.Short() {
		kills = 10
	}
	if n, err := strconv.Atoi(os.Getenv("AIWATCH_KILLS")); err == nil && n > 0 {
		kills = n // bench/soak.sh runs longer loops
	}
	srv := newFeedServer(t)
	gs, urls := genFeeds(srv, 4, 80, 20)
	path, ids := newTestStore(t, urls...)

	// A first, whole fetch to have items to mark; it also calibrates how
	// long a fetch takes on this machine.
	first := mustAiwatch(t, path, fetchArgs(ids)...)
	if !strings.Contains(first.stdout, "4 updated") {
		t.Fatalf("first fetch: %s", first)
	}
	full := first.elapsed
	t.Logf("one whole fetch of 4 feeds × %d items: %v", 80+20, full.Round(time.Millisecond))

	db := openStore(t, path)
	pins := pinnedIDs(t, db.SQL())
	var read, star []int64
	for i, id := range pins {
		if i%3 == 0 {
			read = append(read, id)
		}
		if i%4 == 0 {
			star = append(star, id)
		}
	}
	// Items of the first batch are marked too: they are not rewritten,
	// but later batches insert next to them.
	gen1 := queryStrings(t, db.SQL(), `SELECT CAST(id AS TEXT) FROM items WHERE key LIKE 'gen-%-1-1_' ORDER BY id`)
	db.Close()
	mustAiwatch(t, path, append([]string{"read"}, idArgs(read)...)...)
	mustAiwatch(t, path, append([]string{"star"}, idArgs(star)...)...)
	mustAiwatch(t, path, append([]string{"read"}, gen1...)...)
	mustAiwatch(t, path, append([]string{"star"}, gen1[:len(gen1)/2]...)...)
	db = openStore(t, path)
	markedIDs := append(slices.Clone(pins), parseIDs(t, gen1)...)
	before := marksOf(t, db.SQL(), markedIDs)
	db.Close()

	// A second whole fetch rewrites the pinned items as every later one
	// does: it sets the kill window.
	second := mustAiwatch(t, path, fetchArgs(ids)...)
	full = second.elapsed
	t.Logf("a whole fetch that also rewrites %d marked items: %v", len(pins), full.Round(time.Millisecond))

	rng := rand.New(rand.NewPCG(7, 1))
	window := full + full/4
	killed, finished, attempts, midway := 0, 0, 0, 0
	servedBefore := sumGens(servedGens(gs))
	for killed < kills {
		attempts++
		if attempts > 4*kills {
			t.Fatalf("only %d kills in %d attempts: fetches end before the kill", killed, attempts)
		}
		cmd := aiwatchCmd(t, path, fetchArgs(ids)...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.Int64N(int64(window)))
		time.Sleep(delay)
		err := cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
		now := sumGens(servedGens(gs))
		switch {
		case err == nil && ws.Signaled() && ws.Signal() == syscall.SIGKILL:
			killed++
			if now > servedBefore {
				midway++ // killed after at least one feed body arrived
			}
		case cmd.ProcessState.ExitCode() == 0:
			finished++
			if finished%5 == 0 {
				window -= window / 8 // fetches keep finishing first: kill earlier
			}
		default:
			t.Fatalf("fetch before the kill at %v: %v\n%s", delay, cmd.ProcessState, out.String())
		}
		servedBefore = now
	}
	t.Logf("%d fetches killed with SIGKILL (%d of them after a feed body had been served), %d finished before the kill (kill window %v)",
		killed, midway, finished, window.Round(time.Millisecond))

	// The fetch lock is released by the kernel; the store recovers.
	r := checkStore(t, path)
	db = openStore(t, path)
	newest, saved := batchState(t, db.SQL(), gs, ids)
	after := marksOf(t, db.SQL(), markedIDs)
	for _, id := range markedIDs {
		if before[id] != after[id] {
			t.Errorf("item %d: marks %+v before the kills, %+v after", id, before[id], after[id])
		}
	}
	lost := queryInt(t, db.SQL(), `SELECT count(*) FROM items WHERE key LIKE 'pin-%' AND read = 0 AND starred = 0 AND id IN (SELECT value FROM json_each(?))`, jsonIDs(append(read, star...)))
	if lost != 0 {
		t.Errorf("%d marked items lost both marks", lost)
	}
	db.Close()
	t.Logf("after the kills: %d items; %d batches saved whole of %d served; newest batch per feed %v (of %v served)",
		r.Counts["items"], saved, sumGens(servedGens(gs)), newest, servedGens(gs))

	// A whole fetch afterwards works and saves the next batch of every feed.
	last := mustAiwatch(t, path, fetchArgs(ids)...)
	if !strings.Contains(last.stdout, "4 updated") {
		t.Fatalf("fetch after the kills: %s", last)
	}
	mustAiwatch(t, path, "check")
	db = openStore(t, path)
	defer db.Close()
	newest, _ = batchState(t, db.SQL(), gs, ids)
	for i, n := range newest {
		if n != int(gs[i].gen.Load()) {
			t.Errorf("feed %d: newest batch %d after a whole fetch, want %d", ids[i], n, gs[i].gen.Load())
		}
	}
}

func servedGens(gs []*genFeed) []int64 {
	out := make([]int64, len(gs))
	for i, g := range gs {
		out[i] = g.gen.Load()
	}
	return out
}

func sumGens(s []int64) int64 {
	var n int64
	for _, v := range s {
		n += v
	}
	return n
}

func parseIDs(t testing.TB, s []string) []int64 {
	t.Helper()
	out := make([]int64, len(s))
	for i, v := range s {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = id
	}
	return out
}

func jsonIDs(ids []int64) string {
	return "[" + strings.Join(idArgs(ids), ",") + "]"
}

// ---- 2. two processes, one store ----

// TestMarksWhileFetching plays the dashboard marking items read and
// starred, in this process through the store (as the dashboard does) and
// in a second process through aiwatch read/unread/star/unstar, while
// aiwatch fetch saves big feeds in a third process that rewrites those
// very items. No "database is locked" reaches anyone, every mark call
// succeeds, and the last mark set on each item is the one the store holds.
func TestMarksWhileFetching(t *testing.T) {
	srv := newFeedServer(t)
	gs, urls := genFeeds(srv, 4, 300, 40)
	path, ids := newTestStore(t, urls...)
	mustAiwatch(t, path, fetchArgs(ids)...)

	dash := openStore(t, path)
	defer dash.Close()
	pins := pinnedIDs(t, dash.SQL())
	ctx := context.Background()

	// Both helper goroutines end, and their processes with them, before
	// the test's folders are removed, even when the test fails early.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var stopOnce sync.Once
	halt := func() { stopOnce.Do(func() { close(stop) }) }
	t.Cleanup(wg.Wait)
	defer halt()

	// The fetcher: two fetches back to back, each rewriting every pinned
	// item and inserting 1,200 more.
	fetchDone := make(chan []procResult, 1)
	fetchCmds := []*exec.Cmd{aiwatchCmd(t, path, fetchArgs(ids)...), aiwatchCmd(t, path, fetchArgs(ids)...)}
	wg.Add(1)
	go func() {
		defer wg.Done()
		var rs []procResult
		for _, cmd := range fetchCmds {
			r, err := runProc(cmd)
			if err != nil {
				t.Error(err)
			}
			rs = append(rs, r)
		}
		fetchDone <- rs
	}()

	var mu sync.Mutex
	want := map[int64]itemMarks{}
	for id, m := range marksOf(t, dash.SQL(), pins) {
		want[id] = m
	}
	set := func(id int64, read bool, v bool) {
		m := want[id]
		if read {
			m.read = v
		} else {
			m.starred = v
		}
		want[id] = m
	}

	// The second process: a CLI marking loop on its own share of the items.
	cliIDs, dashIDs := pins[:len(pins)/4], pins[len(pins)/4:]
	cliDone := make(chan error, 1)
	var cliCalls atomic.Int64
	cliCmd := func(verb string, id int64) *exec.Cmd { return aiwatchCmd(t, path, verb, strconv.FormatInt(id, 10)) }
	wg.Add(1)
	go func() {
		defer wg.Done()
		rng := rand.New(rand.NewPCG(2, 2))
		for {
			select {
			case <-stop:
				cliDone <- nil
				return
			default:
			}
			id := cliIDs[rng.IntN(len(cliIDs))]
			verb := []string{"read", "unread", "star", "unstar"}[rng.IntN(4)]
			r, err := runProc(cliCmd(verb, id))
			cliCalls.Add(1)
			if err != nil || r.code != 0 || strings.Contains(r.stdout+r.stderr, "locked") {
				cliDone <- fmt.Errorf("aiwatch %s %d: %v %s", verb, id, err, r)
				return
			}
			mu.Lock()
			set(id, verb == "read" || verb == "unread", verb == "read" || verb == "star")
			mu.Unlock()
		}
	}()

	// The dashboard: marks, counts and lists in a tight loop.
	rng := rand.New(rand.NewPCG(1, 1))
	var dashCalls int
	var fetches []procResult
	deadline := time.After(procTimeout)
loop:
	for {
		select {
		case fetches = <-fetchDone:
			break loop
		case <-deadline:
			t.Fatal("the fetches did not finish")
		default:
		}
		id := dashIDs[rng.IntN(len(dashIDs))]
		read, v := rng.IntN(2) == 0, rng.IntN(2) == 0
		var err error
		if read {
			err = dash.SetRead(ctx, []int64{id}, v)
		} else {
			err = dash.SetStarred(ctx, []int64{id}, v)
		}
		if err != nil {
			t.Fatalf("dashboard mark %d: %v", id, err)
		}
		mu.Lock()
		set(id, read, v)
		mu.Unlock()
		if _, err := dash.CountItems(ctx, store.Filter{Unread: store.Yes}); err != nil {
			t.Fatalf("dashboard count: %v", err)
		}
		if _, err := dash.Items(ctx, store.Filter{Limit: 50}); err != nil {
			t.Fatalf("dashboard list: %v", err)
		}
		dashCalls++
	}
	halt()
	if err := <-cliDone; err != nil {
		t.Fatal(err)
	}
	for i, r := range fetches {
		if r.code != 0 || strings.Contains(r.stdout+r.stderr, "locked") || !strings.Contains(r.stdout, "4 updated") {
			t.Fatalf("fetch %d during the marks: %s", i+1, r)
		}
	}
	t.Logf("%d dashboard marks and %d aiwatch mark processes during two fetches of 4 × %d items (%v, %v)",
		dashCalls, cliCalls.Load(), 340, fetches[0].elapsed.Round(time.Millisecond), fetches[1].elapsed.Round(time.Millisecond))
	if dashCalls < 10 || cliCalls.Load() < 2 {
		t.Errorf("too few marks overlapped the fetches to prove anything: %d, %d", dashCalls, cliCalls.Load())
	}

	got := marksOf(t, dash.SQL(), pins)
	lost := 0
	for _, id := range pins {
		if got[id] != want[id] {
			lost++
			t.Errorf("item %d: marks %+v, want %+v (the last set)", id, got[id], want[id])
		}
	}
	batchState(t, dash.SQL(), gs, ids)
	checkStore(t, path)
}

// TestTwoFetchesAtOnce starts a fetch that stalls on a slow feed while
// holding the fetch lock, then a second fetch: without --wait it exits 1
// at once with a message naming the first one's PID and fetches nothing;
// with --wait it waits for the first to finish, then fetches. No item is
// saved twice, whether keyed by GUID, by link, or by a hash of its text.
func TestTwoFetchesAtOnce(t *testing.T) {
	srv := newFeedServer(t)
	release := make(chan struct{})
	var once sync.Once
	unstall := func() { once.Do(func() { close(release) }) }
	defer unstall() // even when the test fails early, nothing stays stalled
	entered := make(chan struct{}, 8)
	base := time.Now().Add(-48 * time.Hour).Truncate(time.Second)
	doc := func(name string) []byte {
		return rssDoc(name, []relItem{
			{guid: name + "-guid", title: name + " by GUID " + relText[0], link: "http://127.0.0.1/x/" + name + "/1", summary: relText[1], published: base},
			{title: name + " by link " + relText[2], link: "http://127.0.0.1/x/" + name + "/2", summary: relText[3], published: base},
			{title: name + " by text alone " + relText[3], summary: relText[0]},
		})
	}
	slowURL := srv.handle("/slow", func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		serveBytes("application/rss+xml", doc("slow"))(w, r)
	})
	fastURL := srv.handle("/fast", serveBytes("application/rss+xml", doc("fast")))
	path, ids := newTestStore(t, slowURL, fastURL)
	args := fetchArgs(ids, "--timeout", "60s")

	first := aiwatchCmd(t, path, args...)
	var firstOut bytes.Buffer
	first.Stdout, first.Stderr = &firstOut, &firstOut
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer first.Process.Kill()
	select {
	case <-entered: // the first fetch holds the lock and waits on /slow
	case <-time.After(procTimeout):
		t.Fatal("the first fetch never asked for the slow feed")
	}

	second := runAiwatch(t, path, args...)
	if second.code != 1 {
		t.Errorf("a second fetch while one runs: %s; want exit 1", second)
	}
	wantMsg := fmt.Sprintf("another aiwatch fetch is running on this store (pid %d)", first.Process.Pid)
	if !strings.Contains(second.stderr, wantMsg) {
		t.Errorf("second fetch's message %q does not contain %q", second.stderr, wantMsg)
	}
	if n := srv.hitCount("/fast"); n != 1 {
		t.Errorf("the refused fetch fetched: /fast asked %d times, want 1 (the first fetch's)", n)
	}

	waiter := aiwatchCmd(t, path, append(args, "--wait")...)
	waitRes := make(chan procResult, 1)
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	wg.Add(1)
	go func() {
		defer wg.Done()
		r, err := runProc(waiter)
		if err != nil {
			t.Error(err)
		}
		waitRes <- r
	}()
	time.Sleep(time.Second)
	select {
	case r := <-waitRes:
		t.Fatalf("fetch --wait did not wait for the running fetch: %s", r)
	default:
	}
	if n := srv.hitCount("/fast"); n != 1 {
		t.Errorf("fetch --wait fetched before the first fetch finished: /fast asked %d times", n)
	}
	unstall()
	if err := first.Wait(); err != nil {
		t.Fatalf("first fetch: %v\n%s", err, firstOut.String())
	}
	var w procResult
	select {
	case w = <-waitRes:
	case <-time.After(procTimeout):
		t.Fatal("fetch --wait never finished")
	}
	if w.code != 0 || !strings.Contains(w.stdout, "2 feeds: 2 updated") {
		t.Fatalf("fetch --wait: %s", w)
	}
	if n := srv.hitCount("/slow"); n != 2 {
		t.Errorf("/slow asked %d times, want 2", n)
	}

	db := openStore(t, path)
	defer db.Close()
	if dup := queryStrings(t, db.SQL(), `SELECT feed_id || ' ' || key FROM items GROUP BY feed_id, key HAVING count(*) > 1`); len(dup) > 0 {
		t.Errorf("items saved twice: %v", dup)
	}
	for _, id := range ids {
		if n := queryInt(t, db.SQL(), `SELECT count(*) FROM items WHERE feed_id = ?`, id); n != 3 {
			t.Errorf("feed %d has %d items after two fetches of the same 3", id, n)
		}
		if n := queryInt(t, db.SQL(), `SELECT count(DISTINCT title) FROM items WHERE feed_id = ?`, id); n != 3 {
			t.Errorf("feed %d has %d distinct titles, want 3", id, n)
		}
	}
}
