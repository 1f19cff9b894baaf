package main

// Hostile feeds (product issue 7, point 3). Each case is served on
// 127.0.0.1 and fetched by its own aiwatch process together with a
// well-behaved control feed: the case must end as a clear per-feed error
// or a safe result, within its timeout and with bounded memory, and the
// control feed must be saved as usual. Then everything the store holds
// about the case is checked for what must never be stored: escape
// sequences and controls, bidi overrides, unbounded text, openable links
// other than http(s), and the content of local files.

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/feeds/parse"
)

// hostileTimeout is the --timeout of every hostile fetch.
const hostileTimeout = 3 * time.Second

// hostileMaxRSS bounds the peak RSS of a fetch of one hostile feed. The
// body cap is 16 MiB; a Go process with SQLite and the matcher starts at
// about 30 MiB.
const hostileMaxRSS = (384 << 20) * rssFactor

// hostileOutcome is what a hostile case may end as.
type hostileOutcome int

const (
	wantError  hostileOutcome = iota // a per-feed error naming the problem
	wantSafe                         // items saved, all of them safe
	wantEither                       // either; what happened is logged
)

// Markers that are payloads of escape sequences or local files: none may
// reach the store, not even in its file's free pages.
var (
	osc52Payload = base64.StdEncoding.EncodeToString([]byte("aiwatch clipboard hijack"))
	neverStored  = []string{
		osc52Payload,
		"osc8.evil.example",
		"OSC-TITLE-PAYLOAD",
		"DCS-PAYLOAD",
		"APC-PAYLOAD",
		"PM-PAYLOAD",
		"SOS-PAYLOAD",
	}
	// secretMarker is the content of a local file that external entities
	// point at.
	secretMarker = "AIWATCH-LOCAL-SECRET-5d0c9a"
)

// hostileEscapes is a string with one of every kind of escape sequence and
// control a feed might use against a terminal: CSI (clear, cursor moves,
// colours, blink, the alternate screen, status reports that make the
// terminal answer), OSC 52 clipboard writes, OSC 8 links, OSC 0/2 titles,
// DCS/APC/PM/SOS strings, 8-bit C1 forms of CSI and OSC, bidi overrides
// and isolates, BEL, BS, DEL and NUL.
var hostileEscapes = strings.Join([]string{
	"\x1b[2J\x1b[H\x1b[10;10H",
	"\x1b[38;2;13;37;42m\x1b[5m\x1b[8m",
	"\x1b]52;c;" + osc52Payload + "\x07",
	"\x1b]52;p;" + osc52Payload + "\x1b\\",
	"\x1b]8;;http://osc8.evil.example/\x1b\\click\x1b]8;;\x1b\\",
	"\x1b]0;OSC-TITLE-PAYLOAD\x07\x1b]2;OSC-TITLE-PAYLOAD\x1b\\",
	"\x1bPDCS-PAYLOAD\x1b\\\x1b_APC-PAYLOAD\x1b\\\x1b^PM-PAYLOAD\x1b\\\x1bXSOS-PAYLOAD\x1b\\",
	"\u009b31m\u009d52;c;" + osc52Payload + "\u009c\u009dOSC-TITLE-PAYLOAD\u0007",
	"\x1b[?1049h\x1b[6n\x1b[21t\x1b[?1000h\x1bc\x1b7\x1b8",
	"\u202eRTL\u202c \u2066iso\u2069 \u202aLRE\u202c",
	"\a\b\x7f\x00\x0e\x0f",
}, "")

// escapeLeftovers are what a half-stripped sequence would leave behind.
var escapeLeftovers = []string{"[2J", "[10;10H", "[38;2;", "]52;", "]8;;", "]0;", "[?1049", "[6n", "[21t"}

// hostileCase is one hostile feed.
type hostileCase struct {
	name    string
	handler http.HandlerFunc
	want    hostileOutcome
	errLike string // with wantError: part of the feed's error
	// items checks the saved items of a wantSafe or wantEither case.
	items func(t *testing.T, items []storedItem)
}

// storedItem is an item as the store holds it.
type storedItem struct {
	id                                              int64
	key, url, title, summary, content, author, lang string
}

func TestHostileFeeds(t *testing.T) {
	srv := newFeedServer(t)
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte(secretMarker+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	probe := srv.handle("/xxe-probe", serveBytes("text/plain", []byte(secretMarker)))
	cases := hostileCases(secret, probe)
	gzipBomb() // built before the clock of any fetch starts
	deflateBomb()

	var control atomic.Int64
	controlURL := srv.handle("/control", func(w http.ResponseWriter, r *http.Request) {
		n := control.Add(1)
		serveBytes("application/rss+xml", rssDoc("control", []relItem{{
			guid: fmt.Sprintf("control-%d", n), title: "control item " + strconv.FormatInt(n, 10) + " " + relText[0],
			link: fmt.Sprintf("http://127.0.0.1/control/%d", n), summary: relText[1], published: time.Now().Add(-time.Hour),
		}}))(w, r)
	})
	urls := []string{controlURL}
	for _, c := range cases {
		urls = append(urls, srv.handle("/hostile/"+strings.ReplaceAll(c.name, " ", "-"), c.handler))
	}
	// One store with every feed; each case fetches into its own copy, so
	// the cases can run two at a time.
	base, ids := newTestStore(t, urls...)
	controlID := ids[0]

	t.Run("case", func(t *testing.T) {
		for i, c := range cases {
			id := ids[i+1]
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				path := copyStore(t, base, t.TempDir())
				checkHostileFetch(t, c, path, id, controlID)
			})
		}
	})
	if n := srv.hitCount("/xxe-probe"); n != 0 {
		t.Errorf("an external entity was fetched from the network %d times", n)
	}
}

// checkHostileFetch fetches one hostile feed and the control feed into
// the store at path and checks the outcome.
func checkHostileFetch(t *testing.T, c hostileCase, path string, id, controlID int64) {
	r := runCmd(t, measuredCmd(t, path, fetchArgs([]int64{id, controlID}, "--timeout", hostileTimeout.String())...))
	t.Logf("%s: %v, peak RSS %.1f MiB", c.name, r.elapsed.Round(time.Millisecond), float64(r.maxRSS)/(1<<20))
	if r.code != 0 {
		t.Fatalf("fetch: %s", r)
	}
	// The timeout bounds each request; generous slack for parsing,
	// saving and a loaded machine.
	if limit := hostileTimeout + 30*time.Second; r.elapsed > limit {
		t.Errorf("fetch took %v, more than %v", r.elapsed, limit)
	}
	if r.maxRSS > hostileMaxRSS {
		t.Errorf("peak RSS %d MiB, more than %d MiB", r.maxRSS>>20, hostileMaxRSS>>20)
	}
	assertTerminalSafe(t, "fetch output", r.stdout+r.stderr, false)

	db := openStore(t, path)
	defer db.Close()
	var lastErr, feedTitle string
	db.SQL().QueryRow(`SELECT last_error, title FROM feeds WHERE id = ?`, id).Scan(&lastErr, &feedTitle)
	items := storedItems(t, db.SQL(), id)
	switch {
	case c.want == wantError && lastErr == "":
		t.Errorf("no error recorded; %d items saved", len(items))
	case c.want == wantError && !strings.Contains(lastErr, c.errLike):
		t.Errorf("error %q does not say %q", lastErr, c.errLike)
	case c.want == wantSafe && lastErr != "":
		t.Errorf("failed with %q; want a safe result", lastErr)
	}
	if lastErr != "" {
		if !strings.Contains(r.stdout, fmt.Sprintf("failed  %-4d", id)) {
			t.Errorf("the failure is not reported on the command line: %s", r.stdout)
		}
		if len(items) > 0 {
			t.Errorf("a failed fetch saved %d items", len(items))
		}
		t.Logf("error: %s", lastErr)
	} else {
		t.Logf("safe result: %d items", len(items))
		if c.items != nil {
			c.items(t, items)
		}
	}
	assertTerminalSafe(t, "feed title", feedTitle, true)
	assertTerminalSafe(t, "feed error", lastErr, true)
	for _, it := range items {
		assertItemSafe(t, it)
	}

	// The control feed was fetched in the same run, unaffected.
	var ctlErr string
	db.SQL().QueryRow(`SELECT last_error FROM feeds WHERE id = ?`, controlID).Scan(&ctlErr)
	if n := queryInt(t, db.SQL(), `SELECT count(*) FROM items WHERE feed_id = ?`, controlID); ctlErr != "" || n != 1 {
		t.Errorf("the control feed was affected: error %q, %d items saved, want 1", ctlErr, n)
	}
	db.Close()
	checkStore(t, path)

	// Nothing that must never be stored is in any file of the store.
	raw := storeBytes(t, path)
	for _, m := range append([]string{secretMarker}, neverStored...) {
		if bytes.Contains(raw, []byte(m)) {
			t.Errorf("the store's files contain %q", m)
		}
	}
	// What the command line shows of these items is safe too.
	if len(items) > 0 && len(items) < 1000 {
		out := mustAiwatch(t, path, "items", "--limit", "0")
		assertTerminalSafe(t, "aiwatch items", out.stdout, false)
	}
}

// TestHostileFeedsAtOnce fetches every hostile feed and two good ones in
// one process, eight at a time: it finishes, within the timeout plus
// slack, with bounded memory, and the good feeds are saved.
func TestHostileFeedsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("the cases run one by one in TestHostileFeeds")
	}
	srv := newFeedServer(t)
	secret := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(secret, []byte(secretMarker+"\n"), 0o644)
	probe := srv.handle("/xxe-probe", serveBytes("text/plain", []byte(secretMarker)))
	good := rssDoc("good", []relItem{{guid: "good-1", title: relText[0], link: "http://127.0.0.1/good/1", summary: relText[1], published: time.Now().Add(-time.Hour)}})
	urls := []string{srv.handle("/good1", serveBytes("application/rss+xml", good)), srv.handle("/good2", serveBytes("text/xml", good))}
	for _, c := range hostileCases(secret, probe) {
		urls = append(urls, srv.handle("/hostile/"+strings.ReplaceAll(c.name, " ", "-"), c.handler))
	}
	gzipBomb()
	deflateBomb()
	path, ids := newTestStore(t, urls...)
	r := runCmd(t, measuredCmd(t, path, "fetch", "--timeout", hostileTimeout.String()))
	t.Logf("%d feeds in one fetch: %v, peak RSS %.1f MiB", len(ids), r.elapsed.Round(time.Millisecond), float64(r.maxRSS)/(1<<20))
	if r.code != 0 {
		t.Fatalf("fetch: %s", r)
	}
	if r.maxRSS > 2*hostileMaxRSS {
		t.Errorf("peak RSS %d MiB", r.maxRSS>>20)
	}
	if !strings.Contains(r.stdout, fmt.Sprintf("%d feeds:", len(ids))) {
		t.Errorf("not every feed was tried: %s", r.stdout)
	}
	db := openStore(t, path)
	defer db.Close()
	for _, id := range ids[:2] {
		if n := queryInt(t, db.SQL(), `SELECT count(*) FROM items WHERE feed_id = ? AND key = 'good-1'`, id); n != 1 {
			t.Errorf("good feed %d was not saved among hostile ones", id)
		}
	}
	for _, id := range ids[2:] {
		for _, it := range storedItems(t, db.SQL(), id) {
			assertItemSafe(t, it)
		}
	}
	raw := storeBytes(t, path)
	for _, m := range append([]string{secretMarker}, neverStored...) {
		if bytes.Contains(raw, []byte(m)) {
			t.Errorf("the store's files contain %q", m)
		}
	}
	checkStore(t, path)
}

// hostileCases returns the cases; secret is a local file's path and probe
// a URL on the test server, which external entities point at.
func hostileCases(secret, probe string) []hostileCase {
	rss := "application/rss+xml; charset=utf-8"
	itemsN := func(n int) func(t *testing.T, items []storedItem) {
		return func(t *testing.T, items []storedItem) {
			if len(items) != n {
				t.Errorf("%d items saved, want %d", len(items), n)
			}
		}
	}
	return []hostileCase{
		{name: "malformed XML truncated", want: wantEither, handler: serveBytes(rss, []byte(
			`<?xml version="1.0"?><rss version="2.0"><channel><title>cut</title><item><guid>a</guid><title>first</title></item><item><title>half`))},
		{name: "malformed XML crossed tags", want: wantEither, handler: serveBytes(rss, []byte(
			`<rss version="2.0"><channel><title>x</title><item><title>a<b></title></b></item><item><guid>g</guid><title>b</title></item></channel>`))},
		{name: "malformed XML garbage after root", want: wantEither, handler: serveBytes(rss, append(rssDoc("trailing", []relItem{{guid: "t1", title: "ok"}}), []byte("<<<>>>&&&\x00\xff")...))},

		{name: "billion laughs", want: wantEither, handler: serveBytes(rss, billionLaughs()),
			items: func(t *testing.T, items []storedItem) {
				for _, it := range items {
					if strings.Contains(it.title+it.summary, "lollollol") {
						t.Errorf("entities were expanded: %.80q", it.title)
					}
				}
			}},
		{name: "quadratic blowup", want: wantEither, handler: serveBytes(rss, quadraticBlowup())},
		{name: "external entity file", want: wantEither, handler: serveBytes(rss, []byte(fmt.Sprintf(
			`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://%s"><!ENTITY %% p SYSTEM "file://%s"> %%p;]>`+
				`<rss version="2.0"><channel><title>&xxe;</title><item><guid>x1</guid><title>local &xxe; file</title><description>&xxe;</description></item></channel></rss>`,
			secret, secret)))},
		{name: "external entity URL", want: wantEither, handler: serveBytes(rss, []byte(fmt.Sprintf(
			`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY net SYSTEM "%s">]>`+
				`<rss version="2.0"><channel><title>t</title><item><guid>x2</guid><title>net &net;</title><description>&net;</description></item></channel></rss>`,
			probe)))},
		{name: "xinclude of a local file", want: wantEither, handler: serveBytes("application/atom+xml", []byte(fmt.Sprintf(
			`<feed xmlns="http://www.w3.org/2005/Atom" xmlns:xi="http://www.w3.org/2001/XInclude"><title>xi</title>`+
				`<entry><id>xi1</id><title>xi</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><xi:include href="file://%s" parse="text"/></div></content></entry></feed>`,
			secret)))},

		{name: "body over the cap", want: wantError, errLike: "larger than", handler: func(w http.ResponseWriter, r *http.Request) {
			body := bigFeed(fetch.DefaultMaxBody + 1<<20)
			w.Header().Set("Content-Type", rss)
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write(body)
		}},
		{name: "body over the cap chunked", want: wantError, errLike: "larger than", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", rss)
			body := bigFeed(fetch.DefaultMaxBody + 1<<20)
			for len(body) > 0 {
				n := min(len(body), 64<<10)
				if _, err := w.Write(body[:n]); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				body = body[n:]
			}
		}},
		{name: "gzip bomb", want: wantError, errLike: "larger than", handler: bombHandler("gzip", gzipBomb)},
		{name: "deflate bomb", want: wantError, errLike: "larger than", handler: bombHandler("deflate", deflateBomb)},
		{name: "100k items", want: wantEither, handler: serveBytes(rss, manyItems(100_000))},

		{name: "stall after headers", want: wantError, errLike: "timeout", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", rss)
			w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>stall</title>`))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}},
		{name: "drip feed", want: wantError, errLike: "timeout", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", rss)
			w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>drip</title>`))
			for {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(50 * time.Millisecond):
				}
				if _, err := w.Write([]byte(" ")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		}},
		{name: "redirect loop", want: wantError, errLike: "redirect loop", handler: func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("b") == "" {
				http.Redirect(w, r, r.URL.Path+"?b=1", http.StatusFound)
				return
			}
			http.Redirect(w, r, r.URL.Path, http.StatusMovedPermanently)
		}},
		{name: "redirect chain", want: wantError, errLike: "too many redirects", handler: func(w http.ResponseWriter, r *http.Request) {
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			http.Redirect(w, r, fmt.Sprintf("%s?n=%d", r.URL.Path, n+1), http.StatusFound)
		}},
		{name: "redirect to a file", want: wantError, errLike: "unsupported URL scheme", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "file://"+secret, http.StatusFound)
		}},

		{name: "feed served as an image", want: wantEither, handler: serveBytes("image/png", rssDoc("png", []relItem{{guid: "p1", title: "served as png"}}))},
		{name: "web page served as a feed", want: wantError, errLike: "not a feed", handler: serveBytes(rss, []byte(
			`<!DOCTYPE html><html><head><title>page</title></head><body><p>`+hostileEscapes+`</p></body></html>`))},
		{name: "binary served as a feed", want: wantError, errLike: "", handler: serveBytes(rss, randomBytes(64<<10))},
		{name: "unknown charset", want: wantEither, handler: serveBytes("text/xml; charset=x-no-such-charset", rssDoc("cs", []relItem{{guid: "c1", title: "héllo wörld"}}))},
		{name: "empty body", want: wantError, errLike: "not a feed", handler: serveBytes(rss, nil)},
		{name: "whitespace body", want: wantError, errLike: "not a feed", handler: serveBytes(rss, []byte(" \r\n\t \n"))},
		{name: "invalid UTF-8 and NUL bytes", want: wantSafe, handler: serveBytes(rss, []byte(
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>bad\xff\xfe bytes\x00</title>"+
				"<item><guid>u1</guid><title>nul\x00in\x00title \xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80 end</title><description>\x00\xff\xfe body \xe2\x82</description><author>\x00a\xffb</author></item>"+
				"<item><guid>u2\x00</guid><title>\xef\xbf\xbe\xef\xbf\xbf nonchars</title></item></channel></rss>")),
			items: itemsN(2)},
		{name: "title of a megabyte", want: wantSafe, handler: serveBytes(rss, megabyteTitles()), items: func(t *testing.T, items []storedItem) {
			if len(items) != 3 {
				t.Errorf("%d items, want 3", len(items))
			}
			for _, it := range items {
				if it.title == "" {
					t.Errorf("item %s lost its title", it.key)
				}
			}
		}},
		{name: "thousands of combining marks", want: wantSafe, handler: serveBytes(rss, rssDoc("zalgo"+strings.Repeat("\u0301", 5000), []relItem{
			{guid: "z1", title: "Z" + strings.Repeat("\u0301\u0302\u0303\u0489", 2500) + " end", summary: "a" + strings.Repeat("\u0300", 10000)},
			{guid: "z2", title: strings.Repeat("e\u0301", 3000)},
		})), items: itemsN(2)},

		{name: "escapes in every RSS field", want: wantSafe, handler: serveBytes(rss, escapesRSS()), items: itemsN(3)},
		{name: "escapes in every Atom field", want: wantSafe, handler: serveBytes("application/atom+xml", escapesAtom()), items: itemsN(1)},
		{name: "escapes in every JSON Feed field", want: wantSafe, handler: serveBytes("application/feed+json", escapesJSON()), items: itemsN(1)},
		{name: "escapes as character references", want: wantEither, handler: serveBytes(rss, []byte(
			`<rss version="2.0"><channel><title>&#x1b;]2;OSC-TITLE-PAYLOAD&#x7;ref</title><item><guid>r1</guid>`+
				`<title>&#27;[2J&#x9b;31m&#x9d;52;c;`+osc52Payload+`&#x9c;refs&#x202e;</title>`+
				`<description>&amp;#27;]8;;http://osc8.evil.example/&amp;#7;double&lt;b&gt;&#x1b;[5m</description></item></channel></rss>`))},
		{name: "links with other schemes", want: wantSafe, handler: serveBytes(rss, hostileLinks()), items: func(t *testing.T, items []storedItem) {
			if len(items) != len(badLinks)+1 {
				t.Errorf("%d items, want %d", len(items), len(badLinks)+1)
			}
			for _, it := range items {
				if it.key == "ok-link" && it.url != "http://127.0.0.1/fine" {
					t.Errorf("the good link became %q", it.url)
				}
			}
		}},
		{name: "atom with a file base", want: wantEither, handler: serveBytes("application/atom+xml", []byte(
			`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="file:///etc/"><title>b</title><link href="javascript:alert(1)"/>`+
				`<entry><id>b1</id><title>based</title><link href="passwd"/></entry>`+
				`<entry xml:base="javascript:alert(1)//"><id>b2</id><title>js base</title><link href="x"/></entry></feed>`))},
		{name: "deeply nested elements", want: wantEither, handler: serveBytes(rss, deepNesting(200_000))},
	}
}

// ---- documents ----

func billionLaughs() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">`)
	prev := "lol"
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, `<!ENTITY lol%d "%s">`, i, strings.Repeat("&"+prev+";", 10))
		prev = "lol" + strconv.Itoa(i)
	}
	b.WriteString(`]><rss version="2.0"><channel><title>&lol9;</title><item><guid>l1</guid><title>laugh &lol9;</title><description>&lol9;&lol9;</description></item></channel></rss>`)
	return []byte(b.String())
}

func quadraticBlowup() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "` + strings.Repeat("a", 64<<10) + `">]><rss version="2.0"><channel><title>q</title><item><guid>q1</guid><title>q</title><description>`)
	b.WriteString(strings.Repeat("&a;", 20000))
	b.WriteString(`</description></item></channel></rss>`)
	return []byte(b.String())
}

// bigFeed is a valid feed of at least n bytes.
func bigFeed(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>big</title>`)
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, `<item><guid>big-%d</guid><title>big %d</title><description>%s</description></item>`, i, i, relSummary(i, 2000))
	}
	b.WriteString(`</channel></rss>`)
	return b.Bytes()
}

// gzipBomb is a gzip stream of a feed whose one description is 64 MiB
// of spaces, six times the body cap: about 64 KiB on the wire.
var gzipBomb = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	writeBomb(zw)
	return b.Bytes()
})

var deflateBomb = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
	writeBomb(zw)
	return b.Bytes()
})

func writeBomb(zw io.WriteCloser) {
	zw.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>bomb</title><item><guid>b1</guid><title>boom</title><description>`))
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < 64; i++ {
		zw.Write(chunk)
	}
	zw.Write([]byte(`</description></item></channel></rss>`))
	zw.Close()
}

func bombHandler(encoding string, bomb func() []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body := bomb()
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", encoding)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}
}

// manyItems is a feed of n tiny items, under the body cap.
func manyItems(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<rss version="2.0"><channel><title>many</title>`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<item><guid>%d</guid><title>t%d</title></item>", i, i)
	}
	b.WriteString(`</channel></rss>`)
	return b.Bytes()
}

func randomBytes(n int) []byte {
	rng := rand.New(rand.NewPCG(9, 9))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func megabyteTitles() []byte {
	words := strings.Repeat("megabyte title ", (1<<20)/15)
	runes := strings.Repeat("x", 1<<20)
	cjk := strings.Repeat("华为", (1<<20)/6)
	return rssDoc(words, []relItem{
		{guid: "m1", title: words, summary: words},
		{guid: "m2", title: runes},
		{guid: "m3", title: cjk},
	})
}

func escapesRSS() []byte {
	e := hostileEscapes
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>feed ` + e + ` title</title><link>http://127.0.0.1/` + e + `</link><description>` + e + `</description><language>en` + e + `</language>
<item><guid isPermaLink="false">guid` + e + `</guid><title>title ` + e + ` end</title><link>http://127.0.0.1/item` + e + `</link>
<description>summary ` + e + ` end</description><content:encoded><![CDATA[<p>content ` + e + `</p><a href="javascript:alert(1)">` + e + `</a>]]></content:encoded>
<author>a@b.c (` + e + `)</author><dc:creator>creator ` + e + `</dc:creator><category>` + e + `</category><pubDate>` + e + `</pubDate></item>
<item><title>` + e + `</title><description>&lt;p&gt;html ` + e + `&lt;/p&gt;</description></item>
<item><guid>plain</guid><title>` + strings.Repeat(e, 50) + `</title></item>
</channel></rss>`)
}

func escapesAtom() []byte {
	e := hostileEscapes
	return []byte(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en` + e + `">
<title type="html">feed ` + e + `</title><subtitle>` + e + `</subtitle><link href="http://127.0.0.1/` + e + `"/>
<entry><id>urn:` + e + `</id><title type="text">title ` + e + `</title><link rel="alternate" href="http://127.0.0.1/e` + e + `"/>
<summary type="html">&lt;b&gt;summary ` + e + `&lt;/b&gt;</summary><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">content ` + e + `</div></content>
<author><name>name ` + e + `</name><uri>javascript:` + e + `</uri></author><updated>2025-01-01T00:00:00Z` + e + `</updated></entry></feed>`)
}

func escapesJSON() []byte {
	q := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == '"' || r == '\\' || r >= 0x2000 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
		return `"` + b.String() + `"`
	}
	e := hostileEscapes
	return []byte(`{"version": "https://jsonfeed.org/version/1.1", "title": ` + q("feed "+e) + `, "home_page_url": ` + q("http://127.0.0.1/"+e) +
		`, "language": ` + q("en"+e) + `, "items": [{"id": ` + q("id "+e) + `, "url": ` + q("http://127.0.0.1/j"+e) +
		`, "title": ` + q("title "+e) + `, "content_html": ` + q("<p>html "+e+"</p>") + `, "content_text": ` + q("text "+e) +
		`, "summary": ` + q("summary "+e) + `, "authors": [{"name": ` + q("author "+e) + `}], "date_published": ` + q("2025-01-01T00:00:00Z"+e) + `}]}`)
}

// badLinks are links that must never be stored as openable.
var badLinks = []string{
	"javascript:alert(1)",
	"JaVaScRiPt:alert(1)",
	" \t javascript:alert(1)",
	"java\tscript:alert(1)",
	"javascript&#58;alert(1)",
	"&#106;avascript:alert(1)",
	"file:///etc/passwd",
	"FILE://localhost/etc/passwd",
	"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
	"vbscript:msgbox(1)",
	"about:blank",
	"ftp://127.0.0.1/x",
	"mailto:a@b.c",
	"\x1b]8;;http://osc8.evil.example/\x07http://127.0.0.1/x",
	"http://127.0.0.1/\u202eexe.txt",
	"http:javascript:alert(1)",
	"//\x00javascript:alert(1)",
}

func hostileLinks() []byte {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>links</title><link>javascript:alert(1)</link>`)
	for i, l := range badLinks {
		// The link is written raw, entities and all, as a hostile feed would.
		fmt.Fprintf(&b, `<item><guid>bad-%d</guid><title>bad link %d</title><link>%s</link><comments>%s</comments><enclosure url="%s" type="text/html"/><source url="%s">s</source></item>`,
			i, i, l, l, strings.ReplaceAll(l, `"`, ""), strings.ReplaceAll(l, `"`, ""))
	}
	b.WriteString(`<item><guid>ok-link</guid><title>good link</title><link>http://127.0.0.1/fine</link></item></channel></rss>`)
	return []byte(b.String())
}

func deepNesting(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<rss version="2.0"><channel><title>deep</title><item><guid>d1</guid><title>deep</title></item><x>`)
	b.Write(bytes.Repeat([]byte("<x>"), n))
	b.Write(bytes.Repeat([]byte("</x>"), n))
	b.WriteString(`</x></channel></rss>`)
	return b.Bytes()
}

// ---- checks ----

func storedItems(t testing.TB, db *sql.DB, feedID int64) []storedItem {
	t.Helper()
	rows, err := db.Query(`SELECT id, key, url, title, summary, content, author, lang FROM items WHERE feed_id = ? ORDER BY id`, feedID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []storedItem
	for rows.Next() {
		var it storedItem
		if err := rows.Scan(&it.id, &it.key, &it.url, &it.title, &it.summary, &it.content, &it.author, &it.lang); err != nil {
			t.Fatal(err)
		}
		out = append(out, it)
	}
	return out
}

// assertItemSafe checks every stored field of an item.
func assertItemSafe(t *testing.T, it storedItem) {
	t.Helper()
	name := fmt.Sprintf("item %d (%.40q)", it.id, it.key)
	for _, f := range []struct {
		field string
		text  string
		line  bool
		max   int
	}{
		{"title", it.title, true, parse.MaxTitle},
		{"author", it.author, true, parse.MaxAuthor},
		{"lang", it.lang, true, 35},
		{"url", it.url, true, parse.MaxURL},
		{"summary", it.summary, false, parse.MaxSummary},
		{"content", it.content, false, parse.MaxContent},
	} {
		if len(f.text) > f.max {
			t.Errorf("%s: %s is %d bytes, more than %d", name, f.field, len(f.text), f.max)
		}
		assertTerminalSafe(t, name+" "+f.field, f.text, f.line)
	}
	assertOpenable(t, name, it.url)
	for _, s := range []string{it.title, it.summary, it.content, it.author, it.url, it.key} {
		for _, m := range neverStored {
			if strings.Contains(s, m) {
				t.Errorf("%s holds the escape payload %q", name, m)
			}
		}
		if strings.Contains(s, secretMarker) {
			t.Errorf("%s holds the content of a local file", name)
		}
	}
}

// assertOpenable checks that a stored link is empty or an http(s) URL
// that opens what it shows.
func assertOpenable(t *testing.T, name, link string) {
	t.Helper()
	if link == "" {
		return
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		t.Errorf("%s: link %q is stored as openable", name, link)
	}
	if strings.ContainsFunc(link, func(r rune) bool { return r <= ' ' || r == 0x7f || unicode.Is(unicode.Cf, r) }) {
		t.Errorf("%s: link %q holds spaces, controls or format characters", name, link)
	}
}

// assertTerminalSafe checks that s is valid UTF-8 with no escape sequence,
// control character (but newline and tab in a body), bidi override or
// isolate, no leftover of a half-stripped sequence, and no run of more
// than eight combining marks.
func assertTerminalSafe(t *testing.T, name, s string, line bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s is not valid UTF-8: %.80q", name, s)
	}
	marks := 0
	for i, r := range s {
		bad := ""
		switch {
		case r == '\n' || r == '\t':
			if line {
				bad = "a line break or tab"
			}
		case r < 0x20 || r == 0x7f:
			bad = "a C0 control"
		case r >= 0x80 && r <= 0x9f:
			bad = "a C1 control"
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			bad = "a bidi override or isolate"
		}
		if bad != "" {
			t.Errorf("%s holds %s (%U) at byte %d: %.80q", name, bad, r, i, s)
			return
		}
		if unicode.Is(unicode.M, r) {
			if marks++; marks > 8 {
				t.Errorf("%s holds a run of more than 8 combining marks at byte %d", name, i)
				return
			}
		} else {
			marks = 0
		}
	}
	for _, l := range escapeLeftovers {
		if strings.Contains(s, l) {
			t.Errorf("%s holds %q, the rest of a half-removed escape sequence: %.120q", name, l, s)
		}
	}
}

// storeBytes returns the bytes of the store's files: the database, its
// WAL and shared memory.
func storeBytes(t testing.TB, path string) []byte {
	t.Helper()
	var all []byte
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// TestHostileItemFlood serves the most items a feed can hold under the
// 16 MiB body cap: about 530,000 empty ones. The fetch must stay within
// the same memory bound as every other hostile feed.
//
// KNOWN FAILURE (issue 7, point 3): nothing bounds the number of items in
// a feed but the body cap, so this fetch parses and saves all of them: on
// the 2-core test machine it took 13 s and peaked at about 600 MiB, and a
// fetch runs eight feeds at once. The proposed fix is a cap on items per
// document in feeds/parse (keep the first N in document order, N a few
// thousand), which bounds both the saving time and the memory after
// parsing; see the report.
func TestHostileItemFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("slow until the item cap exists")
	}
	var b bytes.Buffer
	b.WriteString(`<rss version="2.0"><channel><title>flood</title>`)
	n := 0
	for ; b.Len() < fetch.DefaultMaxBody-64; n++ {
		fmt.Fprintf(&b, "<item><guid>%d</guid></item>", n)
	}
	b.WriteString(`</channel></rss>`)
	srv := newFeedServer(t)
	path, ids := newTestStore(t, srv.handle("/flood", serveBytes("application/rss+xml", b.Bytes())))
	r := runCmd(t, measuredCmd(t, path, fetchArgs(ids, "--timeout", hostileTimeout.String())...))
	db := openStore(t, path)
	defer db.Close()
	saved := queryInt(t, db.SQL(), `SELECT count(*) FROM items WHERE feed_id = ?`, ids[0])
	t.Logf("a feed of %d items in %d bytes: %v, peak RSS %.1f MiB, %d items saved", n, b.Len(), r.elapsed.Round(time.Millisecond), float64(r.maxRSS)/(1<<20), saved)
	if r.code != 0 {
		t.Fatalf("fetch: %s", r)
	}
	if r.maxRSS > hostileMaxRSS {
		t.Errorf("peak RSS %d MiB, more than %d MiB: the number of items per feed needs a bound", r.maxRSS>>20, hostileMaxRSS>>20)
	}
}
