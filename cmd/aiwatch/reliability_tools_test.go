package main

// Tools for the user (product issue 7, point 6): aiwatch check, backup
// and prune, run as processes against stores that other processes write.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// checkLine returns the value of one "name: value" line of aiwatch check.
func checkLine(t *testing.T, out, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `:\s+(.*)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("aiwatch check printed no %q line:\n%s", name, out)
	}
	return m[1]
}

// checkCounts parses the counts line of aiwatch check.
func checkCounts(t *testing.T, out string) map[string]int64 {
	t.Helper()
	counts := map[string]int64{}
	for _, part := range strings.Split(checkLine(t, out, "counts"), ", ") {
		name, n, ok := strings.Cut(part, " ")
		v, err := strconv.ParseInt(n, 10, 64)
		if !ok || err != nil {
			t.Fatalf("bad count %q in %q", part, out)
		}
		counts[name] = v
	}
	return counts
}

// TestCheck runs aiwatch check on a store with fetched items: it reports
// every check ok and counts that match the rows. Then it damages the
// counters and the full-text index in turn: check reports each, exits 1,
// and check --repair mends the counters.
func TestCheck(t *testing.T) {
	srv := newFeedServer(t)
	_, urls := genFeeds(srv, 2, 50, 10)
	path, ids := newTestStore(t, urls...)
	mustAiwatch(t, path, fetchArgs(ids)...)
	db := openStore(t, path)
	mustAiwatch(t, path, "read", queryStrings(t, db.SQL(), `SELECT CAST(min(id) AS TEXT) FROM items WHERE feed_id = ?`, ids[0])[0])
	mustAiwatch(t, path, "star", queryStrings(t, db.SQL(), `SELECT CAST(max(id) AS TEXT) FROM items WHERE feed_id = ?`, ids[1])[0])

	r := mustAiwatch(t, path, "check")
	for name, want := range map[string]string{
		"integrity": "ok", "foreign keys": "0 violations", "full text": "ok", "counters": "ok", "failing feeds": "0",
	} {
		if got := checkLine(t, r.stdout, name); got != want {
			t.Errorf("check says %s: %q, want %q", name, got, want)
		}
	}
	counts := checkCounts(t, r.stdout)
	for name, q := range map[string]string{
		"items":   `SELECT count(*) FROM items`,
		"unread":  `SELECT count(*) FROM items WHERE read = 0`,
		"starred": `SELECT count(*) FROM items WHERE starred = 1`,
		"feeds":   `SELECT count(*) FROM feeds`,
		"firms":   `SELECT count(*) FROM firms`,
	} {
		if want := queryInt(t, db.SQL(), q); counts[name] != want {
			t.Errorf("check counts %s %d, the store holds %d", name, counts[name], want)
		}
	}
	if counts["items"] < 120 || counts["starred"] != 1 {
		t.Errorf("counts %v do not include the fetched and marked items", counts)
	}

	// Counters that drifted are reported, and repaired on request.
	if _, err := db.SQL().Exec(`UPDATE tag_counts SET unread = unread + 3 WHERE kind = '' AND entity = ''`); err != nil {
		t.Fatal(err)
	}
	r = runAiwatch(t, path, "check")
	if r.code != 1 || !strings.Contains(checkLine(t, r.stdout, "counters"), "drifted") {
		t.Errorf("check after the counters drifted: %s", r)
	}
	r = mustAiwatch(t, path, "check", "--repair")
	if got := checkLine(t, r.stdout, "counters"); got != "repaired" {
		t.Errorf("check --repair says counters: %q", got)
	}
	mustAiwatch(t, path, "check")

	// A full-text index out of step with the items is reported.
	if _, err := db.SQL().Exec(`INSERT INTO items_fts (items_fts, rowid, title, summary, content) VALUES ('delete', (SELECT max(id) FROM items), 'x', 'y', 'z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	r = runAiwatch(t, path, "check")
	if r.code != 1 || checkLine(t, r.stdout, "full text") == "ok" {
		t.Errorf("check after damaging the full-text index: %s", r)
	}
}

// TestBackupWhileFetching takes backups with aiwatch backup while
// another process fetches big feeds. Every backup passes every check and
// is one consistent snapshot: each feed's batches whole, the feed's ETag
// at its newest batch, the counters matching the rows. A backup never
// overwrites a file.
func TestBackupWhileFetching(t *testing.T) {
	srv := newFeedServer(t)
	gs, urls := genFeeds(srv, 4, 150, 20)
	path, ids := newTestStore(t, urls...)
	mustAiwatch(t, path, fetchArgs(ids)...)

	done := make(chan []procResult, 1)
	var cmds []*exec.Cmd
	for range 3 {
		cmds = append(cmds, aiwatchCmd(t, path, fetchArgs(ids)...))
	}
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait) // before the test's folders go
	wg.Add(1)
	go func() {
		defer wg.Done()
		var rs []procResult
		for _, cmd := range cmds {
			r, err := runProc(cmd)
			if err != nil {
				t.Error(err)
			}
			rs = append(rs, r)
		}
		done <- rs
	}()
	dir := t.TempDir()
	var backups []string
	var fetches []procResult
	for fetches == nil {
		b := filepath.Join(dir, fmt.Sprintf("backup-%d.db", len(backups)))
		r := runAiwatch(t, path, "backup", b)
		if r.code != 0 || strings.Contains(r.stderr, "locked") {
			t.Fatalf("backup during a fetch: %s", r)
		}
		backups = append(backups, b)
		select {
		case fetches = <-done:
		case <-time.After(150 * time.Millisecond):
		}
	}
	for i, r := range fetches {
		if r.code != 0 || !strings.Contains(r.stdout, "4 updated") {
			t.Fatalf("fetch %d: %s", i+1, r)
		}
	}
	t.Logf("%d backups taken during 3 fetches of 4 × 170 items", len(backups))
	if len(backups) < 2 {
		t.Errorf("only %d backups overlapped the fetches", len(backups))
	}
	distinct := map[int64]bool{}
	for _, b := range backups {
		rep := checkStore(t, b)
		db := openStore(t, b)
		batchState(t, db.SQL(), gs, ids)
		distinct[int64(rep.Counts["items"])] = true
		db.Close()
		if r := mustAiwatch(t, b, "check"); !strings.Contains(r.stdout, "integrity:    ok") {
			t.Errorf("aiwatch check on backup %s: %s", b, r)
		}
	}
	t.Logf("the backups hold %d different item counts", len(distinct))

	// A backup never overwrites a file.
	before, _ := os.ReadFile(backups[0])
	r := runAiwatch(t, path, "backup", backups[0])
	if r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("backup onto an existing file: %s", r)
	}
	if after, _ := os.ReadFile(backups[0]); string(after) != string(before) {
		t.Error("backup overwrote an existing file")
	}
}

// TestPrune fills a store with old and recent items, some starred or
// read, and prunes it: old items go, starred ones stay unless
// --keep-starred=false, recent and bundled items stay, and the counters
// and both full-text indexes stay in step (aiwatch check, searches).
func TestPrune(t *testing.T) {
	now := time.Now()
	var items []relItem
	for i := 0; i < 12; i++ {
		items = append(items, relItem{guid: fmt.Sprintf("old-%d", i), title: fmt.Sprintf("Ancient zqold%02d %s", i, relText[i%len(relText)]),
			link: fmt.Sprintf("http://127.0.0.1/old/%d", i), summary: relSummary(i, 200), published: now.AddDate(0, 0, -400-i)})
		items = append(items, relItem{guid: fmt.Sprintf("new-%d", i), title: fmt.Sprintf("Recent zqnew%02d %s", i, relText[i%len(relText)]),
			link: fmt.Sprintf("http://127.0.0.1/new/%d", i), summary: relSummary(i, 200), published: now.AddDate(0, 0, -10-i)})
	}
	srv := newFeedServer(t)
	path, ids := newTestStore(t, srv.handle("/prune", serveBytes("application/rss+xml", rssDoc("prune", items))))
	mustAiwatch(t, path, fetchArgs(ids)...)
	db := openStore(t, path)
	defer db.Close()
	idOf := func(key string) string {
		return queryStrings(t, db.SQL(), `SELECT CAST(id AS TEXT) FROM items WHERE key = ?`, key)[0]
	}
	mustAiwatch(t, path, "star", idOf("old-0"), idOf("old-1"), idOf("old-2"), idOf("new-0"))
	mustAiwatch(t, path, "read", idOf("old-3"), idOf("old-0"), idOf("new-1"))
	bundled := queryInt(t, db.SQL(), `SELECT count(*) FROM items WHERE feed_id IN (SELECT id FROM feeds WHERE kind = 'builtin')`)
	total := queryInt(t, db.SQL(), `SELECT count(*) FROM items`)

	search := func(word string) int {
		r := mustAiwatch(t, path, "items", "--query", word, "--limit", "0", "--json")
		return strings.Count(r.stdout, `"id":`)
	}
	if search("zqold05") != 1 || search("zqnew05") != 1 {
		t.Fatal("the items are not searchable before pruning")
	}

	r := mustAiwatch(t, path, "prune", "--older-than", "180d", "--dry-run")
	if !strings.Contains(r.stdout, "Would delete 9 items") {
		t.Errorf("prune --dry-run: %q; want it to count the 9 items prune deletes", r.stdout)
	}
	if n := queryInt(t, db.SQL(), `SELECT count(*) FROM items`); n != total {
		t.Fatalf("--dry-run deleted %d items", total-n)
	}

	r = mustAiwatch(t, path, "prune", "--older-than", "180d", "--keep-starred")
	if !strings.Contains(r.stdout, "Deleted 9 items") {
		t.Errorf("prune: %s; want 9 deleted (12 old, 3 of them starred)", r.stdout)
	}
	left := queryStrings(t, db.SQL(), `SELECT key FROM items WHERE feed_id = ? ORDER BY key`, ids[0])
	want := []string{"new-0", "new-1", "new-10", "new-11", "new-2", "new-3", "new-4", "new-5", "new-6", "new-7", "new-8", "new-9", "old-0", "old-1", "old-2"}
	if strings.Join(left, " ") != strings.Join(want, " ") {
		t.Errorf("after prune the feed holds %v, want %v", left, want)
	}
	if n := queryInt(t, db.SQL(), `SELECT count(*) FROM items WHERE feed_id IN (SELECT id FROM feeds WHERE kind = 'builtin')`); n != bundled {
		t.Errorf("prune deleted bundled items: %d of %d left", n, bundled)
	}
	if m := marksOf(t, db.SQL(), parseIDs(t, []string{idOf("old-0"), idOf("new-1")})); !m[mustID(t, idOf("old-0"))].read || !m[mustID(t, idOf("old-0"))].starred || !m[mustID(t, idOf("new-1"))].read {
		t.Errorf("marks of kept items changed: %v", m)
	}
	checkStore(t, path)
	mustAiwatch(t, path, "check")
	for word, n := range map[string]int{"zqold05": 0, "zqold03": 0, "zqold01": 1, "zqnew05": 1, "zqold": 3, "zqnew": 12} {
		if got := search(word); got != n {
			t.Errorf("search %q finds %d items after prune, want %d", word, got, n)
		}
	}

	r = mustAiwatch(t, path, "prune", "--older-than", "180d", "--keep-starred=false")
	if !strings.Contains(r.stdout, "Deleted 3 items") {
		t.Errorf("prune --keep-starred=false: %s; want the 3 old starred items deleted", r.stdout)
	}
	if n := queryInt(t, db.SQL(), `SELECT count(*) FROM items WHERE key LIKE 'old-%'`); n != 0 {
		t.Errorf("%d old items left", n)
	}
	checkStore(t, path)
	if got := search("zqold"); got != 0 {
		t.Errorf("search finds %d pruned items", got)
	}

	// Pruning bounds the store: the space of pruned items is reused.
	rep, err := db.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts["items"] != int(total)-12 {
		t.Errorf("%d items left, want %d", rep.Counts["items"], total-12)
	}
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
