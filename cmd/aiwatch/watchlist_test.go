package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func wlFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "watch", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wlSetup is a store with the loopback feed of GPU news added but not
// yet fetched, and biren on the watch list.
func wlSetup(t *testing.T) (db string, site *ftSite, feedID string) {
	t.Helper()
	site = newFTSite(t)
	url := site.set("/gpu.xml", "application/rss+xml", wlFixture(t, "gpu-v1.rss"))
	db = ftStore(t)
	ftRun(t, db, 0, "watch", "add", "firm:biren")
	id, _, _ := ftAdd(t, db, url, "--no-discover")
	return db, site, strconv.FormatInt(id, 10)
}

func alertsOf(t *testing.T, db string, args ...string) []alertJSON {
	t.Helper()
	var out []alertJSON
	r := ftRun(t, db, 0, append([]string{"alerts", "--json"}, args...)...)
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("alerts --json: %v\n%s", err, r.stdout)
	}
	return out
}

// TestWatchAlertsDoneWhen is the case: two matching items give
// exactly 2 alerts, one more gives 3, and listing again, fetching again,
// re-tagging and another process's fetch still give 3.
func TestWatchAlertsDoneWhen(t *testing.T) {
	db, site, feed := wlSetup(t)
	r := ftRun(t, db, 0, "fetch", "--feed", feed)
	if !strings.Contains(r.stdout, "2 new alerts") {
		t.Errorf("fetch output lacks the alert line:\n%s", r.stdout)
	}
	as := alertsOf(t, db)
	if len(as) != 2 {
		t.Fatalf("%d alerts after the first fetch, want 2: %+v", len(as), as)
	}
	for _, a := range as {
		if a.Kind != "item" || a.Watch != "firm:biren" || a.Firm != "biren" || a.ItemID == nil || a.Title == "" || !strings.HasPrefix(a.Detail, "GPU Desk · 2026-11-2") {
			t.Errorf("alert %+v", a)
		}
	}
	site.set("/gpu.xml", "application/rss+xml", wlFixture(t, "gpu-v2.rss"))
	r = ftRun(t, db, 0, "fetch", "--feed", feed)
	if !strings.Contains(r.stdout, "1 new alert ") {
		t.Errorf("second fetch:\n%s", r.stdout)
	}
	for i := 0; i < 2; i++ {
		if as := alertsOf(t, db); len(as) != 3 {
			t.Fatalf("listing %d: %d alerts, want 3", i, len(as))
		}
	}
	ftRun(t, db, 0, "fetch", "--feed", feed) // 304: nothing new
	ftRun(t, db, 0, "retag")
	ftRun(t, db, 0, "fetch", "--feed", feed)
	if as := alertsOf(t, db); len(as) != 3 {
		t.Fatalf("after fetch, retag, fetch: %d alerts, want 3", len(as))
	}

	// The text list, and acknowledging.
	r = ftRun(t, db, 0, "alerts")
	for _, want := range []string{"壁仞科技发布新一代通用GPU芯片", "Biren files for a Hong Kong listing", "firm:biren", "3 alerts."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("alerts lacks %q:\n%s", want, r.stdout)
		}
	}
	r = ftRun(t, db, 0, "watch", "list")
	if !strings.Contains(r.stdout, "firm:biren") || !strings.Contains(r.stdout, "3") {
		t.Errorf("watch list:\n%s", r.stdout)
	}
	ftRun(t, db, 0, "alerts", "ack", strconv.FormatInt(as[0].ID, 10))
	if open := alertsOf(t, db); len(open) != 2 {
		t.Errorf("%d open after one ack", len(open))
	}
	if all := alertsOf(t, db, "--all"); len(all) != 3 {
		t.Errorf("--all: %d", len(all))
	}
	r = ftRun(t, db, 0, "alerts", "ack", "--all")
	if !strings.Contains(r.stdout, "Acknowledged 2 alerts.") {
		t.Errorf("ack --all: %s", r.stdout)
	}
	if open := alertsOf(t, db); len(open) != 0 {
		t.Errorf("%d open after ack --all", len(open))
	}
}

func TestWatchAlertsExit(t *testing.T) {
	db, site, feed := wlSetup(t)
	ftRun(t, db, 10, "fetch", "--feed", feed, "--alerts-exit")
	ftRun(t, db, 0, "fetch", "--feed", feed, "--alerts-exit")
	site.set("/gpu.xml", "application/rss+xml", wlFixture(t, "gpu-v2.rss"))
	ftRun(t, db, 0, "fetch", "--feed", feed) // new alerts, but no --alerts-exit
	if as := alertsOf(t, db); len(as) != 3 {
		t.Errorf("%d alerts", len(as))
	}
}

func TestWatchQueryAndAlliance(t *testing.T) {
	db, _, feed := wlSetup(t)
	ftRun(t, db, 0, "watch", "add", "Weather -firm:huawei")
	r := ftRun(t, db, 0, "watch", "add", "alliance:model-chip")
	if !strings.Contains(r.stdout, "Watching alliance:model-chip (entry 3)") {
		t.Errorf("watch add alliance: %s", r.stdout)
	}
	ftRun(t, db, 0, "fetch", "--feed", feed)
	by := map[string]int{}
	for _, a := range alertsOf(t, db) {
		by[a.Watch]++
	}
	// biren is in the Model-Chip alliance: its two items alert for both
	// entries; the weather item for the query.
	if by["firm:biren"] != 2 || by["Weather -firm:huawei"] != 1 || by["alliance:model-chip"] < 2 {
		t.Errorf("alerts by entry: %v", by)
	}
	var ws []watchJSON
	json.Unmarshal([]byte(ftRun(t, db, 0, "watch", "list", "--json").stdout), &ws)
	if len(ws) != 3 || ws[1].Kind != "query" || ws[1].Value != "Weather -firm:huawei" || ws[1].Alerts != 1 {
		t.Errorf("watch list --json: %+v", ws)
	}
	r = ftRun(t, db, 0, "watch", "rm", "2")
	if !strings.Contains(r.stdout, "Removed watch entry 2: Weather -firm:huawei") {
		t.Errorf("rm: %s", r.stdout)
	}
	for _, a := range alertsOf(t, db, "--all") {
		if a.Watch == "Weather -firm:huawei" {
			t.Errorf("an alert of a removed entry stays: %+v", a)
		}
	}
}

func TestWatchBadInput(t *testing.T) {
	db := ftStore(t)
	ftRun(t, db, 0, "watch", "add", "firm:huawei")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr []string
	}{
		{"query that does not parse", []string{"watch", "add", "firm:huawei since:soon"}, 1,
			[]string{"the query does not parse, so nothing was added:\n  firm:huawei since:soon\n" + strings.Repeat(" ", 20) + "^^^^ bad since:soon"}},
		{"caret under Chinese", []string{"watch", "add", "华为 is:maybe"}, 1, []string{"\n  华为 is:maybe\n" + strings.Repeat(" ", 10) + "^^^^^ unknown is:maybe"}},
		{"unknown firm", []string{"watch", "add", "firm:hauwei"}, 1, []string{`no firm "hauwei" (did you mean "huawei"?)`}},
		{"unknown alliance", []string{"watch", "add", "alliance:nope"}, 1, []string{`no alliance "nope"`}},
		{"twice", []string{"watch", "add", "firm:Huawei"}, 1, []string{"firm:huawei is on the watch list already"}},
		{"twice, by a quoted alias", []string{"watch", "add", `firm:"CloudMatrix 384"`}, 1, []string{"firm:huawei is on the watch list already"}},
		{"nothing", []string{"watch", "add"}, 2, []string{"watch add takes firm:ID, alliance:ID or a QUERY"}},
		{"rm unknown", []string{"watch", "rm", "1", "99"}, 1, []string{"no watch entry 99"}},
		{"rm not a number", []string{"watch", "rm", "huawei"}, 2, []string{`"huawei" is not a watch entry ID`}},
		{"ack unknown", []string{"alerts", "ack", "5"}, 1, []string{"alert 5: not found; nothing was acknowledged"}},
		{"ack nothing", []string{"alerts", "ack"}, 2, []string{"alerts ack takes one or more alert IDs"}},
		{"unknown subcommand", []string{"watch", "show"}, 2, []string{`unknown watch subcommand "show"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, db, "", tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %s", r.code, tc.code, r.stderr)
			}
			for _, want := range tc.stderr {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
		})
	}
	var ws []watchJSON
	json.Unmarshal([]byte(ftRun(t, db, 0, "watch", "list", "--json").stdout), &ws)
	if len(ws) != 1 || ws[0].Watch != "firm:huawei" {
		t.Errorf("bad input changed the watch list: %+v", ws)
	}
}

// hook is a loopback webhook that records what it was sent.
type hook struct {
	*httptest.Server
	mu     sync.Mutex
	bodies [][]alertJSON
	fail   int // answer this many requests with 503 first
}

func newHook(t *testing.T) *hook {
	h := &hook{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.fail > 0 {
			h.fail--
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		var as []alertJSON
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&as) != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		h.bodies = append(h.bodies, as)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hook) got() [][]alertJSON {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.bodies
}

// runWith runs aiwatch with a config file and a notify-send finder.
func runWith(t *testing.T, db, config string, lookPath func(string) (string, error), args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string {
			switch k {
			case "AIWATCH_DB":
				return db
			case "AIWATCH_CONFIG":
				return config
			case "HOME":
				return t.TempDir()
			}
			return ""
		},
		now:        func() time.Time { return testNow },
		isTerminal: func(io.Writer) bool { return false },
		lookPath:   lookPath,
		retryWait:  10 * time.Millisecond,
	}
	code := run(context.Background(), args, e)
	return result{code, out.String(), errb.String()}
}

func alertConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// script writes an executable shell script that records its arguments
// and standard input under dir. It stands in for notify-send and for a
// user's alert command; aiwatch runs it directly, not through a shell.
func script(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	body := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n--\\n' \"$a\"; done >> \"" + p + ".args\"\ncat >> \"" + p + ".stdin\"\n"
	if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAlertDelivery(t *testing.T) {
	db, site, feed := wlSetup(t)
	dir := t.TempDir()
	notifier := script(t, dir, "notify-send")
	command := script(t, dir, "page-me")
	h := newHook(t)
	h.fail = 1 // the first attempt fails, the one retry succeeds
	cfg := alertConfig(t, "alerts:\n  notify: auto\n  command: ["+command+", --urgent, \"two words\"]\n  webhook: "+h.URL+"/hook\n")
	look := func(name string) (string, error) {
		if name != "notify-send" {
			t.Errorf("looked for %q", name)
		}
		return notifier, nil
	}
	r := runWith(t, db, cfg, look, "fetch", "--feed", feed)
	if r.code != 0 || strings.Contains(r.stdout, "delivery") {
		t.Fatalf("fetch: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// The webhook: both alerts in one POST, in the alerts --json shape.
	if got := h.got(); len(got) != 1 || len(got[0]) != 2 || got[0][0].Watch != "firm:biren" || got[0][0].ItemID == nil {
		t.Errorf("webhook got %+v", got)
	}
	// The command: its own arguments, and the same JSON on stdin.
	args, _ := os.ReadFile(command + ".args")
	if string(args) != "--urgent\n--\ntwo words\n--\n" {
		t.Errorf("command args %q", args)
	}
	stdin, _ := os.ReadFile(command + ".stdin")
	var onStdin []alertJSON
	if err := json.Unmarshal(stdin, &onStdin); err != nil || len(onStdin) != 2 {
		t.Errorf("command stdin %q: %v", stdin, err)
	}
	// notify-send: a summary and a short, clean body, after "--".
	nargs, _ := os.ReadFile(notifier + ".args")
	parts := strings.Split(strings.TrimSuffix(string(nargs), "\n--\n"), "\n--\n")
	if len(parts) != 4 || parts[0] != "--app-name=aiwatch" || parts[1] != "--" || parts[2] != "aiwatch: 2 new alerts" ||
		!strings.Contains(parts[3], "• biren: 壁仞科技发布新一代通用GPU芯片") {
		t.Errorf("notify-send args %q", parts)
	}

	// Nothing new: nothing sent again.
	runWith(t, db, cfg, look, "fetch", "--feed", feed)
	if got := h.got(); len(got) != 1 {
		t.Errorf("a fetch with no new alerts posted again: %d posts", len(got))
	}
	// One more: only it is sent, and its markup is escaped for notify-send.
	site.set("/gpu.xml", "application/rss+xml", wlFixture(t, "gpu-v2.rss"))
	runWith(t, db, cfg, look, "fetch", "--feed", feed)
	if got := h.got(); len(got) != 2 || len(got[1]) != 1 || !strings.Contains(got[1][0].Title, "Hong Kong") {
		t.Errorf("the third alert: %+v", got)
	}
	nargs, _ = os.ReadFile(notifier + ".args")
	if !strings.Contains(string(nargs), "&amp; names &lt;underwriters&gt;") || !strings.Contains(string(nargs), "aiwatch: 1 new alert\n") {
		t.Errorf("second notification %q", nargs)
	}
}

func TestAlertDeliveryFailsSoftly(t *testing.T) {
	db, _, feed := wlSetup(t)
	// A port nobody listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String() + "/hook"
	l.Close()
	missing := filepath.Join(t.TempDir(), "no-such-program")
	cfg := alertConfig(t, "alerts:\n  notify: \"off\"\n  command: ["+missing+"]\n  webhook: "+dead+"\n")
	r := runWith(t, db, cfg, nil, "fetch", "--feed", feed, "--alerts-exit")
	if r.code != 10 {
		t.Fatalf("a failed delivery changed the fetch's exit: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"alerts: webhook delivery of 2 alerts failed: fetch: ", "(and again: ", "; it is tried again at the next fetch",
		"alerts: command delivery of 2 alerts failed: " + missing,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("fetch output lacks %q:\n%s", want, r.stdout)
		}
	}
	if as := alertsOf(t, db); len(as) != 2 {
		t.Errorf("%d alerts kept", len(as))
	}
	if items := ftRun(t, db, 0, "items", "--json", "--firm", "biren").stdout; strings.Count(items, `"feed": "GPU Desk"`) != 2 {
		t.Errorf("the fetched items were not kept:\n%s", items)
	}
	// The webhook comes back: the next fetch delivers what failed.
	h := newHook(t)
	cfg = alertConfig(t, "alerts:\n  notify: \"off\"\n  webhook: "+h.URL+"\n")
	r = runWith(t, db, cfg, nil, "fetch", "--feed", feed)
	if got := h.got(); len(got) != 1 || len(got[0]) != 2 {
		t.Errorf("retry at the next fetch: %+v\n%s", got, r.stdout)
	}
}

func goldenFile(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from %s; run with -update and read the diff.\n--- got ---\n%s", name, path, got)
	}
}

// briefStore is a store with the GPU news fetched and a designation
// change made by the user, all in the week before testNow.
func briefStore(t *testing.T) string {
	t.Helper()
	db, site, feed := wlSetup(t)
	site.set("/gpu.xml", "application/rss+xml", wlFixture(t, "gpu-v2.rss"))
	ftRun(t, db, 0, "fetch", "--feed", feed)
	ftRun(t, db, 0, "sanctions", "set", "biren", "sdn", "--added", "2026-11-27", "--source", "https://example.org/notice", "--note", "test fixture, not a fact")
	return db
}

func TestBriefGolden(t *testing.T) {
	db := briefStore(t)
	for _, format := range []string{"md", "html", "json"} {
		t.Run(format, func(t *testing.T) {
			r := ftRun(t, db, 0, "brief", "--since", "7d", "--format", format)
			goldenFile(t, "brief."+format, r.stdout)
		})
	}
	t.Run("watch", func(t *testing.T) {
		r := ftRun(t, db, 0, "brief", "--watch", "--format", "md")
		goldenFile(t, "brief-watch.md", r.stdout)
	})
}

func TestBriefContent(t *testing.T) {
	db := briefStore(t)
	md := ftRun(t, db, 0, "brief", "--since", "7d", "--format", "md").stdout
	// Designation changes come first, then the news by alliance and firm.
	iChange, iNews := strings.Index(md, "## Designation changes"), strings.Index(md, "### Biren")
	if iChange < 0 || iNews < 0 || iChange > iNews {
		t.Errorf("changes do not come before the news:\n%s", md)
	}
	for _, want := range []string{
		"[壁仞科技发布新一代通用GPU芯片](https://gpudesk.example/news/2)",
		"GPU Desk, 2026-11-26",
		"Biren files for a Hong Kong listing &amp; names &lt;underwriters&gt;",
		"هواوي تعلن عن شريحة ذكاء اصطناعي جديدة",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
	if i := strings.Index(md, "## Other news"); i < strings.Index(md, "Huawei") || !strings.Contains(md[i:], "Weather turns cold") {
		t.Errorf("an item naming no tracked firm is not last, under Other news:\n%s", md)
	}

	out := filepath.Join(t.TempDir(), "brief.html")
	r := ftRun(t, db, 0, "brief", "--since", "7d", "--format", "html", "-o", out)
	if !strings.Contains(r.stderr, "Wrote "+out) {
		t.Errorf("stderr %q", r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{`<html lang="en">`, `<li lang="zh" dir="auto"><a href="https://gpudesk.example/news/2">壁仞科技发布新一代通用GPU芯片</a>`,
		`<li lang="ar" dir="auto">`, "&amp; names &lt;underwriters&gt;", `name="viewport"`, "default-src 'none'"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// Self-contained: no script, no stylesheet, image or font from elsewhere.
	for _, bad := range []string{"<script", "<link", "<img", "@import", "url(", "src="} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}

	var j brief
	if err := json.Unmarshal([]byte(ftRun(t, db, 0, "brief", "--format", "json").stdout), &j); err != nil {
		t.Fatal(err)
	}
	if j.Counts.Items != 5 || j.Counts.Changes != 1 || j.Changes[0].Firm != "biren" || len(j.Groups) == 0 {
		t.Errorf("json counts %+v changes %+v", j.Counts, j.Changes)
	}

	// Narrowed: a query, and the watch list.
	q := ftRun(t, db, 0, "brief", "--query", "firm:huawei", "--format", "json").stdout
	json.Unmarshal([]byte(q), &j)
	if j.Counts.Items != 1 || j.Counts.Changes != 0 {
		t.Errorf("--query firm:huawei: %+v", j.Counts)
	}
	w := ftRun(t, db, 0, "brief", "--watch", "--format", "json").stdout
	json.Unmarshal([]byte(w), &j)
	if j.Counts.Items != 3 || j.Counts.Changes != 1 || j.Scope != "the watch list" {
		t.Errorf("--watch: %+v %q", j.Counts, j.Scope)
	}
}

func TestBriefBadInput(t *testing.T) {
	db := ftStore(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"brief", "--format", "pdf"}, 2, `--format "pdf": use md, html or json`},
		{[]string{"brief", "--since", "soon"}, 2, `--since "soon": expected a duration`},
		{[]string{"brief", "--query", "is:maybe"}, 1, "--query: query: unknown is:maybe"},
		{[]string{"brief", "--watch"}, 1, "the watch list is empty"},
		{[]string{"brief", "-o", "/nonexistent/dir/brief.md"}, 1, "unable to write /nonexistent/dir/brief.md"},
	} {
		r := runCLI(t, db, "", tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", tc.args, r.code, r.stderr, tc.code, tc.want)
		}
	}
}

// TestFetchWatchDelivers runs fetch --watch: its round checks for alerts
// and delivers them, and logs the line with the time.
func TestFetchWatchDelivers(t *testing.T) {
	db, _, _ := wlSetup(t) // the feed is new, so due at once
	h := newHook(t)
	cfg := alertConfig(t, "alerts:\n  notify: \"off\"\n  webhook: "+h.URL+"\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock := &fakeClock{t: testNow, stopAt: 1, cancel: cancel}
	var out, errb bytes.Buffer
	e := env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string {
			switch k {
			case "AIWATCH_DB":
				return db
			case "AIWATCH_CONFIG":
				return cfg
			}
			return ""
		},
		now: clock.now, after: clock.after, isTerminal: func(io.Writer) bool { return false },
	}
	if code := run(ctx, []string{"fetch", "--watch"}, e); code != 0 {
		t.Fatalf("fetch --watch: exit %d\n%s%s", code, out.String(), errb.String())
	}
	if want := testNow.UTC().Format(time.RFC3339) + " 2 new alerts (aiwatch alerts)"; !strings.Contains(out.String(), want) {
		t.Errorf("the watch log lacks %q:\n%s", want, out.String())
	}
	if got := h.got(); len(got) != 1 || len(got[0]) != 2 {
		t.Errorf("webhook got %+v", got)
	}
}

// FuzzBriefFormats writes a brief of one hostile item in Markdown and
// HTML: no text of it may become markup in either.
func FuzzBriefFormats(f *testing.F) {
	f.Add("Biren files <script>alert(1)</script>", "GPU Desk", "https://example.org/a?x=(1)")
	f.Add("[click](javascript:alert(1)) | # ** _x_", "](x)", "https://example.org/a b")
	f.Add("壁仞科技 ‮evil‬ هواوي", "src\nline", "")
	f.Add("x", "y", "javascript:alert(1)")
	f.Fuzz(func(t *testing.T, title, source, url string) {
		b := brief{Since: "2026-11-21", Until: "2026-11-28", Scope: title, Counts: briefCounts{Items: 1},
			Changes: []briefChange{{Date: "2026-11-28", FirmName: title, Action: "added", ListName: source, Detail: title}},
			Groups: []briefGroup{{Name: title, Count: 1, Firms: []briefFirm{{Firm: "x", Name: source,
				Items: []briefItem{{ID: 1, Title: title, Source: source, Date: "2026-11-27", URL: url, Lang: "en", Also: []string{}}}}}}}}
		var md, page bytes.Buffer
		writeBriefMarkdown(&md, b)
		if strings.Contains(md.String(), "<") {
			t.Errorf("raw < in the Markdown:\n%s", md.String())
		}
		if err := writeBriefHTML(&page, b); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.ToLower(md.String()), "](javascript:") {
			t.Errorf("a javascript: link in the Markdown:\n%s", md.String())
		}
		for _, bad := range []string{"<script", "<img", "<iframe", `href="javascript:`} {
			if strings.Contains(strings.ToLower(page.String()), bad) {
				t.Errorf("%q in the page:\n%s", bad, page.String())
			}
		}
	})
}
