package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/ui"

	"github.com/aiwatch/aiwatch/ui/bidi"
)

// doneWhenConfig is the "done when" file.
const doneWhenConfig = `keys:
  news: {down: [n]}
views:
  - name: Huawei unread
    query: firm:huawei is:unread
ignore:
  - feed:"Some Feed"
`

func writeConfig(t *testing.T, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConfigCheck(t *testing.T) {
	db := newStore(t)
	good := writeConfig(t, doneWhenConfig)
	r := ftRun(t, db, 0, "--config", good, "config", "check")
	if !strings.Contains(r.stdout, "is valid: 1 key bindings, 1 views, 1 ignore rules") {
		t.Errorf("config check: %q", r.stdout)
	}
	// A misspelt section: line, column and the suggestion, from config
	// check, from every command and from the dashboard alike.
	bad := writeConfig(t, "views: []\nkyes:\n  news: {down: [n]}\n")
	want := bad + `:2:1: unknown key "kyes" (did you mean "keys"?)`
	for _, args := range [][]string{
		{"config", "check", bad},
		{"--config", bad, "config", "check"},
		{"--config", bad, "items"},
		{"--config", bad, "fetch"},
		{"--config", bad},
	} {
		r := runCLI(t, db, "", args...)
		if r.code != 1 || strings.TrimSpace(r.stderr) != "aiwatch: "+want {
			t.Errorf("aiwatch %s: exit %d, stderr %q; want 1 and %q", strings.Join(args, " "), r.code, r.stderr, want)
		}
	}
	// A view naming a firm the store does not know, placed in the file.
	unknown := writeConfig(t, "views:\n  - name: x\n    query: firm:huawai\n")
	r = runCLI(t, db, "", "--config", unknown, "config", "check")
	if r.code != 1 || !strings.Contains(r.stderr, unknown+":3:17: views: x:") || !strings.Contains(r.stderr, "huawei") {
		t.Errorf("unknown firm in a view: exit %d, %q", r.code, r.stderr)
	}
	// A named file that is not there is an error; the default place
	// without a file is the defaults.
	r = runCLI(t, db, "", "--config", filepath.Join(t.TempDir(), "none.yml"), "items")
	if r.code != 1 || !strings.Contains(r.stderr, "no such config file") {
		t.Errorf("missing --config file: exit %d, %q", r.code, r.stderr)
	}
	ftRun(t, db, 0, "items")
}

func TestConfigInitAndShow(t *testing.T) {
	db := newStore(t)
	path := filepath.Join(t.TempDir(), "sub", "config.yml")
	r := ftRun(t, db, 0, "--config", path, "config", "init")
	if !strings.Contains(r.stdout, "Wrote "+path) {
		t.Errorf("config init: %q", r.stdout)
	}
	ftRun(t, db, 0, "--config", path, "config", "check")
	if err := os.WriteFile(path, []byte(doneWhenConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, db, "", "--config", path, "config", "init")
	if r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("config init over a file: exit %d, %q", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(path); string(b) != doneWhenConfig {
		t.Error("config init overwrote a file")
	}
	r = ftRun(t, db, 0, "--config", path, "config", "show")
	for _, want := range []string{"news:\n", "    down: [\"n\"]\n", `query: "firm:huawei is:unread"`, "max_body: 16MiB"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("config show lacks %q:\n%s", want, r.stdout)
		}
	}
	if r := ftRun(t, db, 0, "--config", path, "config", "path"); strings.TrimSpace(r.stdout) != path {
		t.Errorf("config path = %q", r.stdout)
	}
}

// someFeed is a feed titled "Some Feed" with one Huawei item.
const someFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Some Feed</title><link>https://some.example/</link>
<item><title>Huawei noise from Some Feed</title><link>https://some.example/1</link><guid>s1</guid><pubDate>Thu, 26 Nov 2026 10:00:00 GMT</pubDate></item>
</channel></rss>`

func TestViewsAndIgnore(t *testing.T) {
	site := newFTSite(t)
	url := site.set("/some.xml", "application/rss+xml", []byte(someFeed))
	db := ftStore(t)
	cfg := writeConfig(t, doneWhenConfig)
	ftAdd(t, db, url)
	ftRun(t, db, 0, "fetch")

	items := func(args ...string) []itemJSON {
		t.Helper()
		var out []itemJSON
		r := ftRun(t, db, 0, append([]string{"--config", cfg, "items", "--json", "--limit", "0"}, args...)...)
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	has := func(list []itemJSON, title string) bool {
		for _, it := range list {
			if it.Title == title {
				return true
			}
		}
		return false
	}
	const noise = "Huawei noise from Some Feed"
	if !has(items("--include-ignored"), noise) {
		t.Fatal("items --include-ignored does not show the ignored item")
	}
	if has(items(), noise) {
		t.Error("items shows an item of an ignored feed")
	}
	view := items("--view", "Huawei unread")
	query := items("--query", "firm:huawei is:unread")
	if len(view) == 0 || len(view) != len(query) {
		t.Fatalf("items --view lists %d items, the query %d", len(view), len(query))
	}
	for i := range view {
		if view[i].ID != query[i].ID {
			t.Errorf("item %d: view %d, query %d", i, view[i].ID, query[i].ID)
		}
	}
	if has(view, noise) {
		t.Error("the view shows an ignored item")
	}
	// In any case; other flags narrow it.
	if got := items("--view", "huawei UNREAD", "--query", "lang:zh"); len(got) == 0 || len(got) >= len(view) {
		t.Errorf("--view with --query: %d items of the view's %d", len(got), len(view))
	}
	r := runCLI(t, db, "", "--config", cfg, "items", "--view", "Huawei unred")
	if r.code != 1 || !strings.Contains(r.stderr, `no view "Huawei unred" (did you mean "Huawei unread"?)`) {
		t.Errorf("unknown view: %d %q", r.code, r.stderr)
	}

	// Counts leave ignored items out; the feed shows how many it had.
	var feeds []feedJSON
	json.Unmarshal([]byte(ftRun(t, db, 0, "--config", cfg, "feeds", "list", "--json").stdout), &feeds)
	for _, f := range feeds {
		if f.URL == url && (f.Ignored != 1 || f.Items != 0 || f.Unread != 0) {
			t.Errorf("ignored feed: %d items, %d unread, %d ignored; want 0, 0, 1", f.Items, f.Unread, f.Ignored)
		}
	}

	// Stored views: add, list with counts, clash, remove.
	ftRun(t, db, 0, "--config", cfg, "views", "add", "Chinese", "lang:zh")
	r = runCLI(t, db, "", "--config", cfg, "views", "add", "huawei unread", "firm:huawei")
	if r.code != 1 || !strings.Contains(r.stderr, `a view named "Huawei unread" is in `) {
		t.Errorf("a stored view with a file view's name: %d %q", r.code, r.stderr)
	}
	r = runCLI(t, db, "", "--config", cfg, "views", "add", "Chinese", "lang:ar")
	if r.code != 1 || !strings.Contains(r.stderr, "stored already") {
		t.Errorf("a stored view's name again: %d %q", r.code, r.stderr)
	}
	r = runCLI(t, db, "", "--config", cfg, "views", "add", "Bad", "firm:")
	if r.code != 1 {
		t.Errorf("a view with a bad query was stored: %q", r.stdout)
	}
	var vs []struct {
		Name, Source  string
		Total, Unread int
	}
	json.Unmarshal([]byte(ftRun(t, db, 0, "--config", cfg, "views", "list", "--json").stdout), &vs)
	if len(vs) != 2 || vs[0].Name != "Huawei unread" || vs[0].Source != "file" || vs[0].Unread != len(view) ||
		vs[1].Name != "Chinese" || vs[1].Source != "store" || vs[1].Total == 0 {
		t.Errorf("views list: %+v", vs)
	}
	r = runCLI(t, db, "", "--config", cfg, "views", "rm", "Huawei unread")
	if r.code != 1 || !strings.Contains(r.stderr, "remove it there") {
		t.Errorf("views rm of a file view: %d %q", r.code, r.stderr)
	}
	ftRun(t, db, 0, "--config", cfg, "views", "rm", "chinese")
	r = runCLI(t, db, "", "--config", cfg, "views", "rm", "chinese")
	if r.code != 1 {
		t.Errorf("views rm twice: %d", r.code)
	}
}

// TestFeedsSetInterval is the last "done when": a feed set to 6h
// and fetched a moment ago is not requested by fetch, and is by fetch --all.
func TestFeedsSetInterval(t *testing.T) {
	site := newFTSite(t)
	url := site.set("/some.xml", "application/rss+xml", []byte(someFeed))
	db := ftStore(t)
	id, _, _ := ftAdd(t, db, url)
	ids := strconv.FormatInt(id, 10)
	ftRun(t, db, 0, "feeds", "set", ids, "--interval", "6h", "--max-body", "2MiB", "--timeout", "5s", "--user-agent", "test/1")
	ftRun(t, db, 0, "fetch")
	f := ftFeed(t, db, url)
	if f.Interval != "6h" || f.MaxBody != 2<<20 || f.Timeout != "5s" {
		t.Errorf("feeds list --json: %+v", f)
	}
	if due, _ := time.Parse(time.RFC3339, f.NextDue); due.Sub(testNow) < 3*time.Hour {
		t.Errorf("next_due %s is less than 3h (6h/2) after the fetch", f.NextDue)
	}
	hits, _ := site.counts("/some.xml")
	if r := ftRun(t, db, 0, "fetch"); !strings.HasPrefix(lastLine(r.stdout), "0 feeds") {
		t.Errorf("fetch: %q", r.stdout)
	}
	if h, _ := site.counts("/some.xml"); h != hits {
		t.Error("fetch requested a feed that is not due")
	}
	ftRun(t, db, 0, "fetch", "--all")
	if h, _ := site.counts("/some.xml"); h != hits+1 {
		t.Error("fetch --all did not request it")
	}
	for _, bad := range [][]string{{"--interval", "5s"}, {"--max-body", "lots"}, {"--timeout", "1y"}, {}} {
		if r := runCLI(t, db, "", append([]string{"feeds", "set", ids}, bad...)...); r.code != 2 {
			t.Errorf("feeds set %v: exit %d", bad, r.code)
		}
	}
	if r := runCLI(t, db, "", "feeds", "set", "99999", "--interval", "1h"); r.code != 1 {
		t.Errorf("feeds set of an unknown feed: exit %d", r.code)
	}
	ftRun(t, db, 0, "feeds", "set", ids, "--interval", "default")
	if f := ftFeed(t, db, url); f.Interval != "30m" {
		t.Errorf("interval back to the default: %s", f.Interval)
	}
}

// bigFeed20k is a 20,000-item RSS feed of about 15 MB.
func bigFeed20k() []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>https://big.example/</link>`)
	pad := strings.Repeat("The chip maker's quarterly report named new fabs and a larger order book. ", 8)
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&b, "<item><title>Item %d about chips</title><link>https://big.example/%d</link><guid>big-%d</guid>"+
			"<pubDate>Thu, 26 Nov 2026 10:%02d:%02d GMT</pubDate><description>%s</description></item>\n", i, i, i, (i/60)%60, i%60, pad)
	}
	b.WriteString(`</channel></rss>`)
	return b.Bytes()
}

// TestBigFeedUnderDefaultCap: the 15 MB feed that a 10 MiB cap refuses
// fetches under the 16 MiB default.
func TestBigFeedUnderDefaultCap(t *testing.T) {
	body := bigFeed20k()
	if len(body) < 15e6 || len(body) > 16e6 {
		t.Fatalf("the feed is %d bytes, want about 15 MB", len(body))
	}
	site := newFTSite(t)
	url := site.set("/big.xml", "application/rss+xml", body)
	db := ftStore(t)
	// feeds add fetches it under the default cap and saves it.
	id, _, r := ftAdd(t, db, url)
	if !strings.Contains(r.stdout, "Saved 20000 new items") {
		t.Errorf("feeds add under the default cap:\n%s", r.stdout)
	}
	// The feed changes (a new ETag); under a 10 MiB cap it is refused.
	site.set("/big.xml", "application/rss+xml", bytes.Replace(body, []byte("<item>"), []byte("<item><title>Item new</title><guid>big-new</guid></item><item>"), 1))
	ids := strconv.FormatInt(id, 10)
	ftRun(t, db, 0, "feeds", "set", ids, "--max-body", "10MiB")
	r = ftRun(t, db, 0, "fetch", "--all")
	if !strings.Contains(r.stdout, "body larger than 10 MiB") {
		t.Errorf("under a 10 MiB cap: %q", r.stdout)
	}
	ftRun(t, db, 0, "feeds", "set", ids, "--max-body", "default")
	r = ftRun(t, db, 0, "fetch", "--all")
	if got := lastLine(r.stdout); got != "1 feeds: 1 updated, 0 not modified, 0 failed; 1 new items" {
		t.Errorf("under the default cap: %q", r.stdout)
	}
}

// fakeClock is now and after for fetch --watch: after moves the time on
// at once, and cancels the run after its rounds.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
	stopAt int
	cancel func()
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) after(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	ch := make(chan time.Time, 1)
	if len(c.sleeps) >= c.stopAt {
		c.cancel() // SIGINT while asleep
		return ch
	}
	ch <- c.t
	return ch
}

// TestFetchWatch runs fetch --watch on a fake clock: the due feed is
// fetched at once, the one not due is left alone until it is, one line
// is logged per round, and a cancel (SIGINT) ends it cleanly.
func TestFetchWatch(t *testing.T) {
	site := newFTSite(t)
	dueURL := site.set("/due.xml", "application/rss+xml", []byte(someFeed))
	laterURL := site.set("/later.xml", "application/rss+xml", []byte(strings.ReplaceAll(someFeed, "s1", "l1")))
	db := ftStore(t)
	// due comes in by OPML, so it has never been fetched: it is due.
	opmlFile := filepath.Join(t.TempDir(), "due.opml")
	if err := os.WriteFile(opmlFile, []byte(`<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>`+
		`<outline type="rss" text="Due" xmlUrl="`+dueURL+`"/></body></opml>`), 0o644); err != nil {
		t.Fatal(err)
	}
	ftRun(t, db, 0, "opml", "import", opmlFile)
	dueID := ftFeed(t, db, dueURL).ID
	laterID, _, _ := ftAdd(t, db, laterURL)
	// later was fetched a moment ago and is due in 6h.
	ftRun(t, db, 0, "feeds", "set", strconv.FormatInt(laterID, 10), "--interval", "6h")
	ftRun(t, db, 0, "fetch", "--feed", strconv.FormatInt(laterID, 10))
	ftRun(t, db, 0, "feeds", "set", strconv.FormatInt(dueID, 10), "--interval", "7d")
	laterDue, _ := time.Parse(time.RFC3339, ftFeed(t, db, laterURL).NextDue)

	dueHits, _ := site.counts("/due.xml")
	laterHits, _ := site.counts("/later.xml")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock := &fakeClock{t: testNow, stopAt: 100, cancel: cancel}
	var out, errb bytes.Buffer
	e := env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string {
			if k == "AIWATCH_DB" {
				return db
			}
			return ""
		},
		now: clock.now, after: clock.after, isTerminal: func(io.Writer) bool { return false },
	}
	// Stop once the clock has passed later's due time.
	clock.stopAt = 1 + int(laterDue.Sub(testNow)/watchRecheck) + 2
	code := run(ctx, []string{"fetch", "--watch"}, e)
	if code != 0 {
		t.Fatalf("fetch --watch: exit %d\n%s%s", code, out.String(), errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if !strings.Contains(lines[0], "watching") || !strings.HasSuffix(lines[len(lines)-1], "stopped") {
		t.Errorf("first and last lines: %q, %q", lines[0], lines[len(lines)-1])
	}
	rounds := lines[1 : len(lines)-1]
	if len(rounds) != 2 {
		t.Fatalf("%d rounds, want 2 (the due feed, then later when due):\n%s", len(rounds), out.String())
	}
	if !strings.Contains(rounds[0], testNow.UTC().Format(time.RFC3339)+" 1 feeds: 1 updated") {
		t.Errorf("first round: %q", rounds[0])
	}
	at, _ := time.Parse(time.RFC3339, strings.Fields(rounds[1])[0])
	if at.Before(laterDue) || at.After(laterDue.Add(time.Second)) || !strings.Contains(rounds[1], "1 feeds: 0 updated, 1 not modified") {
		t.Errorf("second round %q, want the later feed at %s", rounds[1], laterDue.Format(time.RFC3339))
	}
	for _, d := range clock.sleeps {
		if d > watchRecheck || d < time.Second {
			t.Errorf("slept %v, outside [1s, %v]", d, watchRecheck)
		}
	}
	if h, _ := site.counts("/due.xml"); h != dueHits+1 {
		t.Errorf("the watch requested the due feed %d times, want 1", h-dueHits)
	}
	if h, _ := site.counts("/later.xml"); h != laterHits+1 {
		t.Errorf("the watch requested the later feed %d times, want 1, when due", h-laterHits)
	}
}

// TestDashboardViewsAndIgnore runs the dashboard on a real store with the
// issue's config file: the view is on the first screen with its unread
// count, the ignored feed's item is nowhere, and 3 n enter opens the
// second news item.
func TestDashboardViewsAndIgnore(t *testing.T) {
	site := newFTSite(t)
	url := site.set("/some.xml", "application/rss+xml", []byte(someFeed))
	path := ftStore(t)
	ftAdd(t, path, url)
	ftRun(t, path, 0, "fetch")
	cfg := writeConfig(t, doneWhenConfig)
	var viewUnread []itemJSON
	json.Unmarshal([]byte(ftRun(t, path, 0, "--config", cfg, "items", "--view", "Huawei unread", "--json", "--limit", "0").stdout), &viewUnread)
	var news []itemJSON
	json.Unmarshal([]byte(ftRun(t, path, 0, "--config", cfg, "items", "--json", "--limit", "2").stdout), &news)

	a := &app{env: env{now: func() time.Time { return testNow }, getenv: func(string) string { return "" }, stderr: io.Discard},
		ctx: t.Context(), dbFlag: path, configFlag: cfg}
	if err := a.loadConfig(); err != nil {
		t.Fatal(err)
	}
	db, err := a.store()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m := ui.New(ui.Config{Source: source{db}, ParseQuery: a.parseQuery, StorePath: path, Keys: a.cfg.Keys,
		Views: a.dashboardViews, SaveView: a.saveView, Now: func() time.Time { return testNow }, OpenURL: func(string) error { return nil }})
	sm := recordingModel{m: m, screen: &lastScreen{}}
	p := tea.NewProgram(sm, tea.WithInput(&bytes.Buffer{}), tea.WithOutput(io.Discard), tea.WithoutSignals(),
		tea.WithWindowSize(120, 40), tea.WithContext(t.Context()))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	defer func() {
		p.Quit()
		if err := <-done; err != nil {
			t.Errorf("dashboard: %v", err)
		}
	}()
	p.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
	s := sm.screen.wait(t, "⌕ Huawei unread", fmt.Sprintf("config · %d unread", len(viewUnread)), news[0].Title[:20])
	if strings.Contains(s, "Huawei noise") {
		t.Errorf("the ignored item is on screen:\n%s", s)
	}
	for _, k := range []tea.KeyPressMsg{{Code: '3', Text: "3"}, {Code: 'n', Text: "n"}, {Code: tea.KeyEnter}} {
		p.Send(k)
	}
	sm.screen.wait(t, "4 Reader", news[1].Title[:20], "aiwatch snapshot ·")
}

func TestDateFormat(t *testing.T) {
	db := newStore(t)
	cfg := writeConfig(t, "display:\n  date_format: 02 Jan 2006\n")
	r := ftRun(t, db, 0, "--config", cfg, "items", "--limit", "1", "--query", "lang:en")
	var it []itemJSON
	json.Unmarshal([]byte(ftRun(t, db, 0, "items", "--limit", "1", "--query", "lang:en", "--json").stdout), &it)
	pub, _ := time.Parse(time.RFC3339, it[0].Published)
	if want := pub.Format("02 Jan 2006"); !strings.Contains(r.stdout, want) {
		t.Errorf("items with date_format %q does not show %q:\n%s", "02 Jan 2006", want, r.stdout)
	}
}

// TestBidiFromConfig: display.bidi applies when --bidi is not given, and
// --bidi wins over it.
func TestBidiFromConfig(t *testing.T) {
	cfgFile := filepath.Join(t.TempDir(), "config.yml")
	if err := os.WriteFile(cfgFile, []byte("display:\n  bidi: terminal\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mode := func(args ...string) bidi.Mode {
		t.Helper()
		var got bidi.Mode
		e := env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
			getenv: func(string) string { return "" }, now: time.Now, isTerminal: func(io.Writer) bool { return false }}
		a := &app{env: e, ctx: t.Context()}
		if _, _, err := a.parseGlobal(args); err != nil {
			t.Fatal(err)
		}
		if err := a.loadConfig(); err != nil {
			t.Fatal(err)
		}
		got = a.bidiMode()
		return got
	}
	if got := mode("--config", cfgFile); got != bidi.Terminal {
		t.Errorf("display.bidi: terminal gave %v", got)
	}
	if got := mode("--config", cfgFile, "--bidi", "app"); got != bidi.App {
		t.Errorf("--bidi app over display.bidi: terminal gave %v", got)
	}
	if got := mode(); got != bidi.App {
		t.Errorf("no file, no flag, plain terminal: %v, want app", got)
	}
}
