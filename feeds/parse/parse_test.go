package parse_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/aiwatch/aiwatch/feeds/parse"
)

var testNow = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)

// hostile is ESC sequences, C1 controls, bidi overrides and a NUL: what a
// feed could use to take over a terminal.
const hostile = "\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07\x1b]8;;https://evil.example/\x1b\\\u009b31m\u202e\u2066\x00"

func TestParseHostileFields(t *testing.T) {
	h := strings.ReplaceAll(hostile, "\x00", "") // raw NUL is tested below
	x := xmlEscape(h)
	tests := []struct {
		name, contentType, doc string
	}{
		{"rss", "application/rss+xml", `<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Feed` + x + `</title><link>https://site.example/</link><language>en` + x + `</language>
<item><title>Title` + x + `</title><link>https://site.example/a` + x + `</link><guid>g` + x + `</guid>
<description>Summary` + x + `</description><content:encoded><![CDATA[<p>Content` + h + `</p>]]></content:encoded>
<dc:creator>Author` + x + `</dc:creator><pubDate>Mon, 03 Mar 2025 09:00:00 +0800` + x + `</pubDate></item>
<item><title><![CDATA[Second` + h + `]]></title><link>javascript:alert(1)</link></item>
</channel></rss>`},
		{"atom", "application/atom+xml", `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">Feed` + x + `</title>
<entry><title type="text">Title` + x + `</title><id>id` + x + `</id><link href="data:text/html,x"/>
<summary type="html">&lt;b&gt;Summary` + x + `&lt;/b&gt;</summary><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Content` + x + `</div></content>
<author><name>Author` + x + `</name></author><updated>2025-03-03T09:00:00Z</updated></entry>
<entry xml:lang="zh` + x + `"><title>Second</title><link href="file:///etc/passwd"/></entry>
</feed>`},
		{"json", "application/feed+json", `{"version":"https://jsonfeed.org/version/1.1","title":"Feed` + jsonEscape(h) + `","language":"en` + jsonEscape(h) + `",
"items":[{"id":"id` + jsonEscape(h) + `","url":"https://site.example/a","title":"Title` + jsonEscape(h) + `","summary":"Summary` + jsonEscape(h) + `",
"content_html":"<p>Content` + jsonEscape(h) + `</p>","authors":[{"name":"Author` + jsonEscape(h) + `"}]},
{"id":"2","url":"  JavaScript:alert(1)","content_text":"Second` + jsonEscape(h) + `"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed, err := parse.Parse([]byte(tt.doc), tt.contentType, "https://site.example/feed", testNow)
			if err != nil {
				t.Fatal(err)
			}
			assertCleanFeed(t, feed)
			if len(feed.Items) != 2 {
				t.Fatalf("got %d items, want 2", len(feed.Items))
			}
			if it := feed.Items[0]; it.Title != "Title" || it.Author != "Author" || feed.Title != "Feed" {
				t.Errorf("escapes left behind: feed %q, title %q, author %q", feed.Title, it.Title, it.Author)
			}
			if it := feed.Items[1]; it.URL != "" {
				t.Errorf("second item link %q, want it dropped", it.URL)
			}
		})
	}
}

func TestParseHostileDocuments(t *testing.T) {
	rss := func(title, extra string) string {
		return `<?xml version="1.0"?>` + extra + `<rss version="2.0"><channel><title>t</title>
<item><title>` + title + `</title><link>https://site.example/1</link></item></channel></rss>`
	}
	billionLaughs := `<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>`
	xxe := `<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY % remote SYSTEM "http://127.0.0.1:1/evil.dtd"> %remote;]>`
	marks := "Zalgo" + strings.Repeat("\u0300\u0301\u0302", 3000)

	tests := []struct {
		name      string
		doc       string
		wantErr   error // nil: must parse
		wantTitle func(string) bool
	}{
		{"billion laughs", rss("&lol9;", billionLaughs), nil, func(s string) bool { return len(s) < 64 }},
		{"external entity", rss("&xxe;", xxe), nil, func(s string) bool { return !strings.Contains(s, "root:") }},
		{"raw NUL and controls", rss("a\x00b\x01c\x1b[1md\x07", ""), nil, func(s string) bool { return s == "abcd" }},
		{"invalid UTF-8", rss("caf\xe9 \xff\xfe", ""), nil, func(s string) bool { return s == "caf\ufffd \ufffd" }},
		{"noncharacters", rss("a\uffffb", ""), nil, func(s string) bool { return s == "ab" }},
		{"1 MB title", rss(strings.Repeat("华为 Ascend ", 70000), ""), nil, func(s string) bool { return len(s) <= parse.MaxTitle && len(s) > parse.MaxTitle-20 }},
		{"combining marks", rss(marks, ""), nil, func(s string) bool { return strings.HasPrefix(s, "Zalgo") && utf8.RuneCountInString(s) <= 5+8 }},
		{"script in title", rss("&lt;script&gt;alert(1)&lt;/script&gt;Safe", ""), nil, func(s string) bool { return s == "Safe" }},
		{"empty body", "", parse.ErrUnknownFormat, nil},
		{"whitespace body", " \n\t ", parse.ErrUnknownFormat, nil},
		{"HTML page", "<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>", parse.ErrUnknownFormat, nil},
		{"plain text", "hello", parse.ErrUnknownFormat, nil},
		{"JSON that is not a feed", `{"error": "not found"}`, parse.ErrUnknownFormat, nil},
		{"truncated XML", `<rss version="2.0"><channel><title>t</title><item><title>x`, errors.New("any"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			feed, err := parse.Parse([]byte(tt.doc), "application/rss+xml", "https://site.example/feed", testNow)
			runtime.ReadMemStats(&after)
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
				t.Errorf("allocated %d MiB", grew>>20)
			}
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("parsed %d items, want an error", len(feed.Items))
				}
				if errors.Is(tt.wantErr, parse.ErrUnknownFormat) && !errors.Is(err, parse.ErrUnknownFormat) {
					t.Errorf("err = %v, want ErrUnknownFormat", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			assertCleanFeed(t, feed)
			if len(feed.Items) != 1 {
				t.Fatalf("got %d items", len(feed.Items))
			}
			if title := feed.Items[0].Title; !tt.wantTitle(title) {
				t.Errorf("title = %.200q", title)
			}
		})
	}
}

func TestParseAtomTextTypes(t *testing.T) {
	doc := `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="urn:other">
<title>Feed &amp;amp; co</title>
<x:entry><x:title>not an entry</x:title></x:entry>
<entry><title type="text">A &lt;b&gt;literal&lt;/b&gt; &amp;amp;</title><id>1</id>
 <content type="text">line one
line two &lt;i&gt;</content></entry>
<entry><title type="html">An &lt;b&gt;html&lt;/b&gt; &amp;amp;amp;</title><id>2</id>
 <summary type="html">&lt;p&gt;para one&lt;/p&gt;&lt;p&gt;para two&lt;/p&gt;</summary></entry>
<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">An <b>xhtml</b> &amp;amp; title</div></title><id>3</id></entry>
<entry><title type="text/html">Atom 0.3 &lt;em&gt;html&lt;/em&gt;</title><id>4</id></entry>
</feed>`
	feed, err := parse.Parse([]byte(doc), "application/atom+xml", "https://site.example/atom", testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ title, content, summary string }{
		{"A <b>literal</b> &amp;", "line one\nline two <i>", ""},
		{"An html &amp;", "", "para one\n\npara two"},
		{"An xhtml &amp; title", "", ""},
		{"Atom 0.3 html", "", ""},
	}
	if feed.Title != "Feed &amp; co" {
		t.Errorf("feed title %q", feed.Title)
	}
	if len(feed.Items) != len(want) {
		t.Fatalf("got %d items", len(feed.Items))
	}
	for i, w := range want {
		it := feed.Items[i]
		if it.Title != w.title || it.Content != w.content || it.Summary != w.summary {
			t.Errorf("item %d: %q / %q / %q, want %q / %q / %q", i+1, it.Title, it.Content, it.Summary, w.title, w.content, w.summary)
		}
	}
}

func TestParseDedupe(t *testing.T) {
	doc := `<rss version="2.0"><channel><title>t</title><link>https://site.example/</link>
<item><title>A</title><link>https://site.example/a#top</link></item>
<item><title>A again</title><link>https://site.example/a#comments</link></item>
<item><title>B</title><guid>b</guid><link>https://site.example/b</link></item>
<item><title>B corrected</title><guid>b</guid></item>
<item><title>No link</title><pubDate>Mon, 03 Mar 2025 09:00:00 +0800</pubDate></item>
<item><title>No link</title><pubDate>Tue, 04 Mar 2025 09:00:00 +0800</pubDate></item>
<item><title>No link</title><pubDate>Tue, 04 Mar 2025 09:00:00 +0800</pubDate></item>
<item><description>untitled one</description></item>
<item><description>untitled two</description></item>
<item><title>Relative</title><link>/r?x=1&amp;y=2</link></item>
</channel></rss>`
	feed, err := parse.Parse([]byte(doc), "", "https://feeds.example.com/rss", testNow)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, it := range feed.Items {
		titles = append(titles, it.Title)
	}
	want := []string{"A", "B", "No link", "No link", "untitled one", "untitled two", "Relative"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("titles = %q, want %q", titles, want)
	}
	if feed.Entries != 10 {
		t.Errorf("Entries = %d, want 10", feed.Entries)
	}
	if got := feed.Items[len(feed.Items)-1].URL; got != "https://site.example/r?x=1&y=2" {
		t.Errorf("relative link resolved to %q, want against the channel link", got)
	}
	if got := feed.Items[0]; got.URL != "https://site.example/a#top" || got.Key != "https://site.example/a" {
		t.Errorf("first item URL %q key %q", got.URL, got.Key)
	}
}

func TestParseCharsetSources(t *testing.T) {
	dir := corpusDir(t)
	gbk, err := os.ReadFile(filepath.Join(dir, "rss20_zh_gb18030_http_only.xml"))
	if err != nil {
		t.Fatal(err)
	}
	// Without the header's charset the bytes are read as UTF-8: the parse
	// goes on with U+FFFD where GB18030 bytes were.
	feed, err := parse.Parse(gbk, "text/xml", "https://damoxing.example.com/rss", testNow)
	if err != nil {
		t.Fatal(err)
	}
	assertCleanFeed(t, feed)
	if !strings.Contains(feed.Items[0].Title, "\ufffd") {
		t.Errorf("title %q: expected replacement characters", feed.Items[0].Title)
	}
	feed, err = parse.Parse(gbk, "text/xml; charset=GB18030", "https://damoxing.example.com/rss", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if want := "阿里通义千问发布新版开源模型与模型卡"; feed.Items[0].Title != want {
		t.Errorf("title %q, want %q", feed.Items[0].Title, want)
	}
}

// assertCleanFeed checks the invariants of any parse result.
func assertCleanFeed(t testing.TB, feed *parse.Feed) {
	t.Helper()
	line := func(what, s string) {
		t.Helper()
		checkText(t, what, s, false)
	}
	line("feed title", feed.Title)
	line("feed lang", feed.Lang)
	checkLink(t, "feed site", feed.SiteURL)
	seen := map[string]bool{}
	for i, it := range feed.Items {
		what := fmt.Sprintf("item %d ", i+1)
		line(what+"title", it.Title)
		line(what+"author", it.Author)
		line(what+"lang", it.Lang)
		line(what+"key", it.Key)
		checkText(t, what+"summary", it.Summary, true)
		checkText(t, what+"content", it.Content, true)
		checkLink(t, what+"link", it.URL)
		if it.Key == "" {
			t.Errorf("%s: empty key", what)
		}
		if seen[it.Key] {
			t.Errorf("%s: duplicate key %q", what, it.Key)
		}
		seen[it.Key] = true
		if it.Lang == "" {
			t.Errorf("%s: no language", what)
		}
		if it.Published.IsZero() || it.Published.After(testNow.Add(parse.FutureSlack)) {
			t.Errorf("%s: published %v", what, it.Published)
		}
		if len(it.Title) > parse.MaxTitle || len(it.Summary) > parse.MaxSummary || len(it.Content) > parse.MaxContent || len(it.Key) > parse.MaxKey {
			t.Errorf("%s: field over its bound", what)
		}
	}
}

func checkText(t testing.TB, what, s string, body bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s: invalid UTF-8 %q", what, s)
		return
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			if !body {
				t.Errorf("%s: %U in a one-line field: %q", what, r, s)
				return
			}
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			t.Errorf("%s: control %U in %q", what, r, s)
			return
		case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0xfeff:
			t.Errorf("%s: format character %U in %q", what, r, s)
			return
		}
	}
	if strings.TrimFunc(s, unicode.IsSpace) != s {
		t.Errorf("%s: untrimmed %q", what, s)
	}
}

func checkLink(t testing.TB, what, s string) {
	t.Helper()
	if s != "" && !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
		t.Errorf("%s: link %q is not http(s)", what, s)
	}
	checkText(t, what, s, false)
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '&':
			b.WriteString("&amp;")
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			// Not allowed in XML even as a reference; write it raw so the
			// parser's control filter meets it.
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func jsonEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r == '"' || r == '\\' || (r >= 0x7f && r <= 0x9f) {
			fmt.Fprintf(&b, `\u%04x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func FuzzParse(f *testing.F) {
	dir := corpusDir(f)
	_, m := loadManifest(f)
	for _, file := range m.Files {
		body, err := os.ReadFile(filepath.Join(dir, file.Name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body, file.ContentType)
	}
	f.Add([]byte(`<rss><channel><item><title>`+hostile+`</title><link>javascript:x</link></item></channel></rss>`), "")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[{"id":""},{"url":"//x"}]}`), "application/json")
	for _, name := range []string{"page1.json", "page2.json"} {
		body, err := os.ReadFile(filepath.Join("testdata", "federalregister", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body, "application/json")
	}
	f.Add([]byte(`{"count":1,"next_page_url":"javascript:x","results":[{"title":"`+hostile+`","html_url":"https://u:p@x/","agencies":[{}]}]}`), "application/json")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := parse.Parse(body, contentType, "https://fuzz.example/feed.xml", testNow)
		if err != nil {
			return
		}
		assertCleanFeed(t, feed)
		if feed.Entries < len(feed.Items) {
			t.Errorf("Entries %d < items %d", feed.Entries, len(feed.Items))
		}
	})
}

// BenchmarkParseRSS measures parse and normalise throughput on a
// generated 20,000-item RSS 2.0 feed.
func BenchmarkParseRSS(b *testing.B) {
	doc := generateRSS(20000)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	items := 0
	cpu := cpuTime()
	for b.Loop() {
		feed, err := parse.Parse(doc, "application/rss+xml", "https://bench.example/feed", testNow)
		if err != nil {
			b.Fatal(err)
		}
		items += len(feed.Items)
	}
	reportItems(b, items, cpuTime()-cpu)
}

// BenchmarkStreamRSS measures the feed of BenchmarkParseRSS read with
// Open and Next, in parts on every core, to the last batch.
func BenchmarkStreamRSS(b *testing.B) {
	doc := generateRSS(20000)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	items := 0
	cpu := cpuTime()
	for b.Loop() {
		s, err := parse.Open(doc, "application/rss+xml", "https://bench.example/feed", testNow)
		if err != nil {
			b.Fatal(err)
		}
		for {
			batch, err := s.Next()
			if err != nil {
				b.Fatal(err)
			}
			if batch == nil {
				break
			}
			items += len(batch)
		}
		s.Close()
	}
	if items != 20000*b.N {
		b.Fatalf("read %d items in %d runs", items, b.N)
	}
	reportItems(b, items, cpuTime()-cpu)
}

// reportItems reports throughput in items per second of wall time and,
// where it can be measured, per second of CPU time.
func reportItems(b *testing.B, items int, cpu time.Duration) {
	b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "items/s")
	if cpu > 0 {
		b.ReportMetric(float64(items)/cpu.Seconds(), "items/cpu-s")
	}
}

// BenchmarkParseCorpus measures parse and normalise throughput over the
// feed files of the conformance corpus, one after another.
func BenchmarkParseCorpus(b *testing.B) {
	dir, m := loadManifest(b)
	type doc struct {
		body        []byte
		contentType string
	}
	var docs []doc
	size := 0
	for _, f := range m.Files {
		if f.Format == "html-list" {
			continue
		}
		body, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, doc{body, f.ContentType})
		size += len(body)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	items := 0
	cpu := cpuTime()
	for b.Loop() {
		for _, d := range docs {
			feed, err := parse.Parse(d.body, d.contentType, "https://bench.example/feed", testNow)
			if err != nil {
				b.Fatal(err)
			}
			items += len(feed.Items)
		}
	}
	reportItems(b, items, cpuTime()-cpu)
}

// BenchmarkGofeedRSS measures gofeed alone on the feed of
// BenchmarkParseRSS, to show what share of the cost is gofeed's.
func BenchmarkGofeedRSS(b *testing.B) {
	doc := generateRSS(20000)
	items := 0
	cpu := cpuTime()
	for b.Loop() {
		p := gofeed.NewParser()
		p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
		f, err := p.Parse(bytes.NewReader(doc))
		if err != nil {
			b.Fatal(err)
		}
		items += len(f.Items)
	}
	reportItems(b, items, cpuTime()-cpu)
}

func generateRSS(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Bench</title><link>https://bench.example/</link><language>en</language>
`)
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&b, `<item><title>Huawei Ascend update %d &amp; 华为昇腾 notes</title>
<link>https://bench.example/news/%d.html</link><guid isPermaLink="false">bench-%d</guid>
<pubDate>%s</pubDate><dc:creator>Desk %d</dc:creator>
<description>&lt;p&gt;Summary of item %d with &lt;a href="/x"&gt;a link&lt;/a&gt; and some text about MiniMax, StepFun and Moore Threads.&lt;/p&gt;</description>
</item>
`, i, i, i, start.Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z), i%7, i)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

func TestTooManyItems(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>flood</title>`)
	for i := 0; i <= parse.MaxItems; i++ {
		fmt.Fprintf(&b, "<item><title>%d</title><guid>%d</guid></item>", i, i)
	}
	b.WriteString(`</channel></rss>`)
	_, err := parse.Parse([]byte(b.String()), "application/rss+xml", "https://example.org/f", time.Now())
	if !errors.Is(err, parse.ErrTooManyItems) {
		t.Fatalf("err = %v, want ErrTooManyItems", err)
	}
	if !strings.Contains(err.Error(), "25000") {
		t.Errorf("the message does not give the limit: %v", err)
	}
}

// TestGMTDates: RSS dates in GMT, which parse rewrites for gofeed's sake,
// read as the same instants, keep out of the zone vote as before, and
// the same bytes in a CDATA section are left alone.
func TestGMTDates(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><language>zh-cn</language>
<item><guid>1</guid><title>a</title><pubDate>Sat, 29 Nov 2025 22:15:00 GMT</pubDate></item>
<item><guid>2</guid><title>b</title><pubDate>  Fri, 28 Nov 2025 08:00:00 GMT</pubDate></item>
<item><guid>3</guid><title>c</title><pubDate>2025-11-27 10:00:00</pubDate><description><![CDATA[ends Mon, 1 Dec 2025 GMT</pubDate>]]></description></item>
</channel></rss>`
	f, err := parse.Parse([]byte(doc), "application/rss+xml", "https://example.org/feed", time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Time{
		time.Date(2025, 11, 29, 22, 15, 0, 0, time.UTC),
		time.Date(2025, 11, 28, 8, 0, 0, 0, time.UTC),
		// Zoneless, in a Chinese feed whose other dates are GMT: China time,
		// since GMT dates do not vote for a zone.
		time.Date(2025, 11, 27, 2, 0, 0, 0, time.UTC),
	}
	if len(f.Items) != len(want) {
		t.Fatalf("%d items, want %d", len(f.Items), len(want))
	}
	for i, it := range f.Items {
		if !it.Published.Equal(want[i]) {
			t.Errorf("item %d published %v, want %v", i, it.Published.UTC(), want[i])
		}
	}
	if got := f.Items[2].Summary; got != "ends Mon, 1 Dec 2025 GMT" {
		t.Errorf("summary lost its text: %q", got)
	}
}
