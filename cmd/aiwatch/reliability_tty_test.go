package main

// Terminal safety end to end (product issue 7, point 4): a feed whose
// every field carries escape sequences and control characters is fetched
// by aiwatch, then the dashboard runs in tmux and its screen is captured,
// with and without attributes. Nothing from the feed may act on the
// terminal: no clipboard write (tmux is set to turn OSC 52 into a paste
// buffer), no title change, no hyperlink, no colour or attribute, no
// cursor movement that would break the layout.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// tmuxServer drives one private tmux server.
type tmuxServer struct {
	t      *testing.T
	socket string
}

func (x *tmuxServer) run(args ...string) (string, error) {
	cmd := exec.Command("tmux", append([]string{"-S", x.socket, "-f", "/dev/null"}, args...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (x *tmuxServer) must(args ...string) string {
	x.t.Helper()
	out, err := x.run(args...)
	if err != nil {
		x.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// capture returns the pane's screen, with attributes as escape sequences
// when escapes is set.
func (x *tmuxServer) capture(escapes bool) string {
	x.t.Helper()
	args := []string{"capture-pane", "-p", "-t", "aiw"}
	if escapes {
		args = append(args, "-e")
	}
	return x.must(args...)
}

// keys types each key, pausing after each so that the program reads an
// Escape alone rather than as the start of an Alt sequence.
func (x *tmuxServer) keys(keys ...string) {
	x.t.Helper()
	for _, k := range keys {
		x.must("send-keys", "-t", "aiw", k)
		time.Sleep(200 * time.Millisecond)
	}
}

// waitFor polls the screen until it contains want.
func (x *tmuxServer) waitFor(want string) string {
	x.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := x.capture(false)
		if strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("the screen never showed %q:\n%s", want, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ttyFeed is an RSS feed whose every field carries escapes.
func ttyFeed() []byte {
	e := hostileEscapes
	now := time.Now().UTC()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Hostile ` + e + `Feed</title><link>http://127.0.0.1/` + e + `</link><description>` + e + `</description><language>en` + e + `</language>`)
	for i := 1; i <= 3; i++ {
		fmt.Fprintf(&b, `<item><guid isPermaLink="false">tty-%d%s</guid><title>Tty%s item %d%s Huawei</title>`+
			`<link>http://127.0.0.1/item%d%s</link><description>Summary %d %s line</description>`+
			`<content:encoded><![CDATA[<p>Body %d %s</p><p><a href="javascript:alert(1)">link%s</a></p>]]></content:encoded>`+
			`<dc:creator>Author %s</dc:creator><category>%s</category><pubDate>%s</pubDate></item>`,
			i, e, e, i, e, i, e, i, e, i, e, e, e, e, now.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func TestDashboardTerminalSafety(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (apt-get install tmux): the end-to-end terminal test needs it")
	}
	srv := newFeedServer(t)
	good := srv.handle("/tty", serveBytes("application/rss+xml", ttyFeed()))
	bad := srv.handle("/tty-page", serveBytes("application/rss+xml", []byte(`<html><head><title>`+hostileEscapes+`</title></head><body>`+hostileEscapes+`</body></html>`)))
	path, ids := newTestStore(t, good, bad)
	r := mustAiwatch(t, path, fetchArgs(ids)...)
	if !strings.Contains(r.stdout, "1 updated") || !strings.Contains(r.stdout, "1 failed") {
		t.Fatalf("fetch: %s", r)
	}

	// The store cleans what it saves, so the dashboard would never see
	// these escapes above. It must not trust the store either (a store
	// written by an older aiwatch or another tool): write raw hostileEscapes
	// into one item, the feed's title and the failing feed's error.
	//
	// KNOWN FAILURE (issue 7, point 4): the reader pane draws through
	// ui/internal/cell.LineMap and BodyMap, whose cleanMap drops an 8-bit
	// CSI or OSC introducer (U+009B, U+009D…) as a lone control but keeps
	// its parameters and payload as text: "31m52;c;<clipboard payload>".
	// Nothing reaches the terminal as a sequence, but the payload shows;
	// store.CleanLine skips these sequences whole. See the report.
	db := openStore(t, path)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE items SET title = ?, summary = ?, content = ?, author = ?, url = ? WHERE key LIKE 'tty-3%'`,
			[]any{"Raw" + hostileEscapes + " item 3", "Summary raw " + hostileEscapes, "Body 3 " + hostileEscapes + "\n\n" + hostileEscapes, "Author " + hostileEscapes,
				"http://127.0.0.1/\x1b]8;;http://osc8.evil.example/\x07x"}},
		{`UPDATE feeds SET title = ? WHERE id = ?`, []any{"Hostile " + hostileEscapes + "Feed", ids[0]}},
		{`UPDATE feeds SET last_error = ? WHERE id = ?`, []any{"error " + hostileEscapes, ids[1]}},
	} {
		if res, err := db.SQL().Exec(q.sql, q.args...); err != nil {
			t.Fatal(err)
		} else if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("%s: %d rows", q.sql, n)
		}
	}
	db.Close()

	x := &tmuxServer{t: t, socket: filepath.Join(t.TempDir(), "tmux.sock")}
	const width, height = 120, 40
	home := t.TempDir()
	status := filepath.Join(home, "status")
	cmdline := fmt.Sprintf("env %s=1 HOME=%s TERM=xterm-256color %s --db %s; echo $? > %s",
		runMainEnv, shellQuote(home), shellQuote(os.Args[0]), shellQuote(path), shellQuote(status))
	x.must("new-session", "-d", "-s", "aiw", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), cmdline)
	t.Cleanup(func() { x.run("kill-server") })
	// An OSC 52 that reaches tmux becomes a paste buffer.
	x.must("set-option", "-g", "set-clipboard", "on")

	screens := map[string]string{}
	screens["start"] = x.waitFor("? help")
	x.keys("3", "g")
	screens["news"] = x.waitFor("LRE item 1")
	x.keys("Enter")
	screens["reader"] = x.waitFor("Body 1")
	attrs := map[string]string{"reader": x.capture(true)}
	x.keys("Escape", "f")
	screens["feeds"] = x.waitFor("Feeds · ")
	attrs["feeds"] = x.capture(true)
	x.keys("f", "?")
	screens["help"] = x.waitFor("quit")
	x.keys("Escape", "3", "j")
	screens["second"] = x.waitFor("Body 2")
	attrs["second"] = x.capture(true)
	x.keys("j")
	screens["raw"] = x.waitFor("Body 3")
	attrs["raw"] = x.capture(true)
	x.keys("Enter")
	screens["raw reader"] = x.waitFor("Body 3")
	attrs["raw reader"] = x.capture(true)

	for name, s := range screens {
		t.Logf("%s screen:\n%s", name, s)
		checkLayout(t, name, s, width, height)
		for _, m := range append(neverStored, escapeLeftovers...) {
			if strings.Contains(s, m) {
				t.Errorf("%s screen shows %q, the payload of an escape sequence from the feed, as text", name, m)
			}
		}
	}
	for name, s := range attrs {
		checkAttributes(t, name, s)
	}

	if bufs := x.must("list-buffers", "-F", "#{buffer_name}"); strings.TrimSpace(bufs) != "" {
		for _, b := range strings.Fields(bufs) {
			t.Errorf("the clipboard was written (OSC 52): tmux buffer %s = %q", b, x.must("show-buffer", "-b", b))
		}
	}
	if title := strings.TrimSpace(x.must("display-message", "-p", "-t", "aiw", "#{pane_title}")); strings.Contains(title, "PAYLOAD") {
		t.Errorf("the feed set the terminal's title to %q", title)
	}

	x.keys("q")
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, err := os.ReadFile(status)
		if err == nil && strings.HasSuffix(string(b), "\n") {
			if code := strings.TrimSpace(string(b)); code != "0" {
				t.Errorf("the dashboard exited with status %s on q", code)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the dashboard did not quit on q:\n%s", x.capture(false))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkLayout checks that a plain screen has the pane's size, that no
// line is wider than the pane, and that the pane separators (│) stand in
// the same columns on every line that has them, as in the first line.
func checkLayout(t *testing.T, name, screen string, width, height int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(screen, "\n"), "\n")
	if len(lines) != height {
		t.Errorf("%s screen has %d lines, want %d", name, len(lines), height)
	}
	var want []int
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("%s screen line %d is %d cells wide, more than %d: %q", name, i+1, w, width, l)
		}
		var cols []int
		col := 0
		for _, r := range l {
			if r == '│' {
				cols = append(cols, col)
			}
			col += ansi.StringWidth(string(r))
		}
		if i == 0 {
			want = cols
			continue
		}
		if len(cols) > 0 && fmt.Sprint(cols) != fmt.Sprint(want) && !isOverlay(name) {
			t.Errorf("%s screen line %d has separators at %v, the first line at %v: the layout broke\n%s", name, i+1, cols, want, l)
		}
	}
}

func isOverlay(name string) bool { return name == "feeds" || name == "help" }

// checkAttributes checks the escape sequences in a capture with -e: tmux
// writes only SGR for the cells' attributes, so any other sequence came
// through from somewhere; and no cell may carry the feed's own colour
// (38;2;13;37;42), blink or concealment.
func checkAttributes(t *testing.T, name, s string) {
	t.Helper()
	for i := 0; i < len(s); i++ {
		if s[i] != 0x1b {
			continue
		}
		if i+1 >= len(s) || s[i+1] != '[' {
			t.Errorf("%s screen holds a non-CSI escape sequence: %q", name, s[i:min(len(s), i+24)])
			continue
		}
		j := i + 2
		for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
			j++
		}
		if j >= len(s) || s[j] != 'm' {
			t.Errorf("%s screen holds a CSI sequence that is not SGR: %q", name, s[i:min(len(s), j+1)])
			continue
		}
		params := strings.Split(s[i+2:j], ";")
		if strings.Contains(s[i+2:j], "13;37;42") {
			t.Errorf("%s screen shows the feed's colour: %q", name, s[i:j+1])
		}
		for k := 0; k < len(params); k++ {
			switch params[k] {
			case "38", "48", "58":
				if k+1 < len(params) && params[k+1] == "5" {
					k += 2
				} else if k+1 < len(params) && params[k+1] == "2" {
					k += 4
				}
			case "5", "6":
				t.Errorf("%s screen has blinking text: %q", name, s[i:j+1])
			case "8":
				t.Errorf("%s screen has concealed text: %q", name, s[i:j+1])
			}
		}
		i = j
	}
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
