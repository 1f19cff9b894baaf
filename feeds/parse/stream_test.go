package parse

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

var streamNow = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)

const streamURL = "https://feeds.example/feed.xml"

// genFeed writes a feed of n items as RSS 2.0 ("rss"), RSS 1.0 ("rdf") or
// Atom ("atom"), with what could mislead a splitter: a DOCTYPE with an
// internal subset, "<item>" in comments, CDATA and processing
// instructions, ">" in attribute values, xml:base, namespaced extensions,
// relative links, items without keys and keys repeated far apart.
func genFeed(format string, n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="/style.xsl?a=1&amp;b=>2"?>
<!DOCTYPE feed [
  <!ENTITY brand "Ascend">
  <!-- a comment in the subset: <item> <entry> ' " > -->
  <!ATTLIST item note CDATA "a > b">
]>
<!-- before the root: <item><entry> -->
`)
	switch format {
	case "rss":
		b.WriteString(`<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" xml:base="https://base.example/news/">
<channel>
<title>Split &amp; test &brand; &lt;b&gt;</title>
<link>https://site.example/home/</link>
<description>The &brand; feed</description>
<atom:link href="https://site.example/feed" rel="self" type="application/rss+xml"/>
<image><url>https://site.example/logo.png</url><title>logo</title><link>https://site.example/</link></image>
<!-- <item><title>commented out</title><guid>c</guid></item> -->
`)
	case "rdf":
		b.WriteString(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel rdf:about="https://site.example/">
<title>RDF split</title><link>https://site.example/</link><description>d</description>
<items><rdf:Seq><rdf:li rdf:resource="https://site.example/a/0"/><rdf:li rdf:resource="https://site.example/a/1"/></rdf:Seq></items>
</channel>
<image rdf:about="https://site.example/logo.png"><title>logo</title><url>https://site.example/logo.png</url><link>https://site.example/</link></image>
`)
	case "atom":
		b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xml:base="https://base.example/atom/">
<title type="html">Atom &lt;i&gt;split&lt;/i&gt; &amp;amp;</title>
<link href="https://site.example/" rel="alternate"/>
<id>urn:feed</id><updated>2025-03-01T00:00:00Z</updated>
<author><name>Feed Author</name></author>
<!-- <entry><title>commented out</title></entry> -->
`)
	}
	zones := []string{"+08:00", "+08:00", "+08:00", "+08:00", "+08:00", "+08:00", "Z", "Z", "", "CST"}
	date := func(i int, rfc822 bool) string {
		t := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		zone := zones[i%len(zones)]
		switch {
		case zone == "":
			return t.Format("2006-01-02 15:04:05")
		case zone == "CST":
			return t.Format("Mon, 02 Jan 2006 15:04:05") + " CST"
		case rfc822 && zone == "Z":
			return t.Format("Mon, 02 Jan 2006 15:04:05") + " GMT"
		case rfc822:
			return t.Format("Mon, 02 Jan 2006 15:04:05 -0700")[:26] + strings.ReplaceAll(zone, ":", "")
		}
		return t.Format("2006-01-02T15:04:05") + zone
	}
	for i := range n {
		key := fmt.Sprintf("g-%d", i)
		if i%997 == 996 {
			key = fmt.Sprintf("g-%d", i-700) // a repeat from an earlier part
		}
		noKey := i%50 == 49
		switch i % 7 {
		case 0:
			b.WriteString("<!-- between items: <item><entry> -->\n")
		case 3:
			b.WriteString("<?between items <item>?>\n")
		}
		switch format {
		case "rss":
			b.WriteString("<item>\n")
			fmt.Fprintf(&b, "<title>Item %d: &lt;b&gt;bold&lt;/b&gt; &brand; 华为 %s</title>\n", i, strings.Repeat("word ", i%4))
			if !noKey {
				fmt.Fprintf(&b, "<link>/a/%d.html?x=1&amp;y=2</link>\n<guid isPermaLink=\"false\">%s</guid>\n", i, key)
			}
			fmt.Fprintf(&b, "<description><![CDATA[<p>CDATA with <item> and </item> ]] > %d</p>]]></description>\n", i)
			fmt.Fprintf(&b, "<content:encoded><![CDATA[<div>Full <b>content</b> <item><title>fake</title></item> %d</div>]]></content:encoded>\n", i)
			fmt.Fprintf(&b, "<dc:creator>Writer %d</dc:creator>\n", i%5)
			if i%3 == 0 {
				fmt.Fprintf(&b, "<dc:date>%s</dc:date>\n", date(i, false))
			} else {
				fmt.Fprintf(&b, "<pubDate>%s</pubDate>\n", date(i, true))
			}
			fmt.Fprintf(&b, "<category domain=\"https://x.example/?a=1&amp;b=>2\">cat > %d</category>\n", i%9)
			fmt.Fprintf(&b, "<enclosure url='https://x.example/a.mp3?x=1>2' length=\"%d\" type=\"audio/mpeg\"/>\n", i)
			b.WriteString("<!-- in an item: <item> --><?pi in an item?>\n</item>\n")
		case "rdf":
			about := fmt.Sprintf("https://site.example/a/%d", i)
			if i%997 == 996 {
				about = fmt.Sprintf("https://site.example/a/%d", i-700)
			}
			fmt.Fprintf(&b, "<item rdf:about=\"%s\">\n<title>RDF item %d &brand; 昇腾</title>\n<link>%s</link>\n", about, i, about)
			fmt.Fprintf(&b, "<description>&lt;p&gt;Summary %d with &lt;a href=\"/x\"&gt;a link&lt;/a&gt;&lt;/p&gt;</description>\n", i)
			fmt.Fprintf(&b, "<dc:date>%s</dc:date>\n<dc:creator>Desk %d</dc:creator>\n", date(i, false), i%3)
			fmt.Fprintf(&b, "<content:encoded><![CDATA[<p>Body <item>%d</item></p>]]></content:encoded>\n</item>\n", i)
		case "atom":
			if i%4 == 1 {
				b.WriteString("<entry xml:lang=\"zh-CN\">\n")
			} else {
				b.WriteString("<entry>\n")
			}
			switch i % 3 {
			case 0:
				fmt.Fprintf(&b, "<title type=\"text\">Entry %d &lt;MUSA&gt; &amp;amp;</title>\n", i)
			case 1:
				fmt.Fprintf(&b, "<title type=\"html\">Entry %d &lt;b&gt;html&lt;/b&gt;</title>\n", i)
			default:
				fmt.Fprintf(&b, "<title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">Entry %d <b>xhtml</b> &amp;amp;</div></title>\n", i)
			}
			if !noKey {
				fmt.Fprintf(&b, "<id>urn:e:%s</id>\n", key)
			}
			fmt.Fprintf(&b, "<link href=\"e/%d?a=1&amp;b=2\" rel=\"alternate\"/>\n", i)
			if i%2 == 0 {
				fmt.Fprintf(&b, "<published>%s</published>\n", date(i, false))
			}
			fmt.Fprintf(&b, "<updated>%s</updated>\n", date(i+5, false))
			fmt.Fprintf(&b, "<summary type=\"html\">&lt;p&gt;Summary %d&lt;/p&gt;&lt;p&gt;two&lt;/p&gt;</summary>\n", i)
			fmt.Fprintf(&b, "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>xhtml <b>content</b> &lt;entry&gt; %d</p></div></content>\n", i)
			if i%3 != 0 {
				fmt.Fprintf(&b, "<author><name>Author %d</name></author>\n", i%3)
			}
			b.WriteString("<dc:subject>chips</dc:subject>\n</entry>\n")
		}
	}
	switch format {
	case "rss":
		b.WriteString("<ttl>60</ttl>\n<language>zh-cn</language>\n</channel>\n</rss>\n<!-- after the root -->\n")
	case "rdf":
		b.WriteString(`<textinput rdf:about="https://site.example/search"><title>Search</title><description>d</description><name>q</name><link>https://site.example/search</link></textinput>
</rdf:RDF>
`)
	case "atom":
		b.WriteString("<rights>© 2025</rights>\n</feed>\n")
	}
	return []byte(b.String())
}

// drained is a Stream read to its end.
type drained struct {
	feed    *Feed
	first   []store.Item // the first part's items
	batches int
	parts   int // 1 when the document was read whole
	vote    int
}

func drain(s *Stream, err error) (drained, error) {
	if err != nil {
		return drained{}, err
	}
	defer s.Close()
	d := drained{parts: 1, vote: s.vote, first: s.pending}
	if s.p != nil {
		d.parts = len(s.p.cuts) - 1
	}
	var items []store.Item
	for {
		batch, err := s.Next()
		if err != nil {
			return d, err
		}
		if batch == nil {
			break
		}
		if len(batch) == 0 {
			return d, errors.New("Next returned an empty batch")
		}
		d.batches++
		items = append(items, batch...)
	}
	d.feed = s.Feed()
	if d.feed.Items != nil {
		return d, errors.New("Feed().Items is not nil")
	}
	d.feed.Items = items
	return d, nil
}

// whole reads body in one piece, with the zone voted by the first vote
// items (all when negative).
func whole(body []byte, contentType string, vote int) (*Feed, error) {
	doc, _, _, err := prepare(body, contentType)
	if err != nil {
		return nil, err
	}
	return parseWhole(doc, streamURL, streamNow, vote)
}

// compareFeeds reports how a streamed read differs from a whole one.
func compareFeeds(t *testing.T, got drained, want *Feed) {
	t.Helper()
	g := got.feed
	if g.Title != want.Title || g.SiteURL != want.SiteURL || g.Format != want.Format || g.Entries != want.Entries {
		t.Errorf("feed: title %q site %q format %q entries %d, want %q %q %q %d",
			g.Title, g.SiteURL, g.Format, g.Entries, want.Title, want.SiteURL, want.Format, want.Entries)
	}
	// A guessed language comes from the first part's titles.
	if g.Lang != want.Lang && (g.Lang != titleLang(got.first) || want.Lang != titleLang(want.Items)) {
		t.Errorf("feed lang %q, want %q", g.Lang, want.Lang)
	}
	if len(g.Items) != len(want.Items) {
		t.Errorf("%d items, want %d", len(g.Items), len(want.Items))
	}
	for i := range min(len(g.Items), len(want.Items)) {
		if d := diffItem(g.Items[i], want.Items[i]); d != "" {
			t.Errorf("item %d: %s", i, d)
			return
		}
	}
}

func diffItem(a, b store.Item) string {
	sameTime := func(x, y time.Time) bool {
		xn, xo := x.Zone()
		yn, yo := y.Zone()
		return x.Equal(y) && xn == yn && xo == yo
	}
	for _, f := range []struct {
		name string
		x, y time.Time
	}{{"Published", a.Published, b.Published}, {"Updated", a.Updated, b.Updated}, {"Fetched", a.Fetched, b.Fetched}} {
		if !sameTime(f.x, f.y) {
			return fmt.Sprintf("%s %v, want %v", f.name, f.x, f.y)
		}
	}
	a.Published, a.Updated, a.Fetched = time.Time{}, time.Time{}, time.Time{}
	b.Published, b.Updated, b.Fetched = time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(a, b) {
		return fmt.Sprintf("\n got %+v\nwant %+v", a, b)
	}
	return ""
}

func TestStreamMatchesWhole(t *testing.T) {
	for _, format := range []string{"rss", "rdf", "atom"} {
		doc := genFeed(format, 2600)
		want, err := whole(doc, "", -1)
		if err != nil {
			t.Fatal(err)
		}
		if len(want.Items) < 2500 {
			t.Fatalf("%s: the whole document reads as %d items", format, len(want.Items))
		}
		for _, per := range []int{partItems, 97, 1} {
			t.Run(fmt.Sprintf("%s/%d", format, per), func(t *testing.T) {
				got, err := drain(open(doc, "", streamURL, streamNow, splitMin, per, nil))
				if err != nil {
					t.Fatal(err)
				}
				if wantParts := (2600 + per - 1) / per; got.parts != wantParts {
					t.Fatalf("read in %d parts, want %d", got.parts, wantParts)
				}
				// Two items repeat earlier keys: alone in a part, they
				// leave nothing for a batch.
				wantBatches := got.parts
				if per == 1 {
					wantBatches -= 2
				}
				if got.batches != wantBatches {
					t.Errorf("%d batches from %d parts", got.batches, got.parts)
				}
				compareFeeds(t, got, want)
				if got.feed.Lang != want.Lang {
					t.Errorf("feed lang %q, want %q", got.feed.Lang, want.Lang)
				}
			})
		}
	}
}

// TestStreamSmallIsWhole checks that a document at or under splitMin
// items is read as before, and that Parse returns what it did.
func TestStreamSmallIsWhole(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>t</title>`)
	for i := range splitMin {
		fmt.Fprintf(&b, "<item><title>Item %d</title><guid>%d</guid><pubDate>Sat, 01 Mar 2025 10:00:00 +0800</pubDate></item>\n", i, i)
	}
	b.WriteString(`</channel></rss>`)
	doc := []byte(b.String())
	got, err := drain(Open(doc, "", streamURL, streamNow))
	if err != nil {
		t.Fatal(err)
	}
	if got.parts != 1 || got.batches != 1 {
		t.Errorf("read in %d parts, %d batches", got.parts, got.batches)
	}
	want, err := whole(doc, "", -1)
	if err != nil {
		t.Fatal(err)
	}
	compareFeeds(t, got, want)

	parsed, err := Parse(doc, "", streamURL, streamNow)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(parsed, want) {
		t.Error("Parse differs from the whole-document read")
	}
}

// TestStreamCorpus cuts every XML file of the corpus into parts of one to
// three items and compares the result with the whole document's.
func TestStreamCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "feeds")
	b, err := os.ReadFile(filepath.Join(dir, "MANIFEST.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Files []struct {
			Name        string `json:"name"`
			ContentType string `json:"content_type"`
		} `json:"files"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	split := 0
	for _, f := range m.Files {
		body, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		for per := 1; per <= 3; per++ {
			got, err := drain(open(body, f.ContentType, streamURL, streamNow, -1, per, nil))
			want, werr := whole(body, f.ContentType, got.vote)
			if (err == nil) != (werr == nil) {
				t.Fatalf("%s/%d: stream error %v, whole error %v", f.Name, per, err, werr)
			}
			if err != nil {
				continue
			}
			if got.parts > 1 {
				split++
			}
			t.Run(fmt.Sprintf("%s/%d", f.Name, per), func(t *testing.T) { compareFeeds(t, got, want) })
		}
	}
	if split == 0 {
		t.Error("no corpus file was split")
	}
}

func TestSplitXML(t *testing.T) {
	rss := func(items string) string {
		return `<rss><channel><title>t</title>` + items + `</channel></rss>`
	}
	three := `<item><title>1</title></item><item><title>2</title></item><item/>`
	good := []struct {
		name, doc string
		n         int
	}{
		{"rss", rss(three), 3},
		{"items under the root", `<rdf:RDF xmlns:rdf="r"><channel/><item>1</item><item>2</item><item>3</item></rdf:RDF>`, 3},
		{"atom", `<feed xmlns="http://www.w3.org/2005/Atom"><title/><entry><id>1</id></entry><entry/><entry><id>3</id></entry></feed>`, 3},
		{"upper case", `<RSS><CHANNEL><ITEM/><Item></Item><item/></CHANNEL></RSS>`, 3},
		{"prefixed", `<rss xmlns:r="x"><channel><r:item/><item/><r:item></r:item></channel></rss>`, 3},
		{"quoted >", rss(`<item a="<item>" b='>'><title x = "/>">t</title></item><item/><item/>`), 3},
		{"comment, cdata, pi", rss(`<item><!-- </item> --><![CDATA[</item><item>]]><?p </item>?></item><!----><item/><?x?><item/>`), 3},
		{"doctype", `<!DOCTYPE rss [<!ENTITY a "<item>"> <!-- > ' --> <!ATTLIST x y "]>">]><rss><channel>` + three + `</channel></rss>`, 3},
		{"nested items", rss(`<item><item/></item><item><items><item/></items></item><item/>`), 3},
		{"trailing metadata", rss(three + `<ttl>1</ttl><image/>`), 3},
		{"after the root", rss(three) + `<rss><channel><item/></channel></rss> <!-- unterminated`, 3},
	}
	for _, tt := range good {
		cuts, n, ok := splitXML([]byte(tt.doc), 1)
		if !ok || n != tt.n || len(cuts) != n+1 {
			t.Errorf("%s: cuts %v, n %d, ok %v; want %d items", tt.name, cuts, n, ok, tt.n)
			continue
		}
		for k, c := range cuts[:n] {
			if rest := tt.doc[c:]; !strings.HasPrefix(strings.ToLower(rest), "<item") &&
				!strings.HasPrefix(rest, "<entry") && !strings.HasPrefix(rest, "<r:item") {
				t.Errorf("%s: cut %d at %.20q", tt.name, k, rest)
			}
		}
		if end := tt.doc[:cuts[n]]; !strings.HasSuffix(end, "item>") && !strings.HasSuffix(end, "/>") && !strings.HasSuffix(end, "</entry>") {
			t.Errorf("%s: the last item ends at %q", tt.name, end[max(0, len(end)-20):])
		}
	}

	bad := []struct{ name, doc string }{
		{"mismatched end tag", rss(`<item><b>x</item><item/>`)},
		{"end tag in another case", rss(`<item><title>x</TITLE></item><item/>`)},
		{"unterminated comment", rss(`<item/><!-- <item/>`)},
		{"double dash in a comment", rss(`<item/><!-- a -- b --><item/>`)},
		{"unterminated cdata", rss(`<item><![CDATA[x</item><item/>`)},
		{"unterminated start tag", `<rss><channel><item title="x></item></channel></rss>`},
		{"unterminated processing instruction", rss(`<item/><?pi <item/>`)},
		{"xml declaration inside", rss(`<item/><?xml version="1.0" encoding="latin1"?><item/>`)},
		{"doctype inside the root", rss(`<item/><!DOCTYPE x><item/>`)},
		{"other directive", rss(`<item/><!ENTITY x "y"><item/>`)},
		{"unterminated doctype", `<!DOCTYPE rss [ <!ENTITY a "x"> <rss><channel><item/></channel></rss>`},
		{"unquoted attribute", rss(`<item a=b/><item/>`)},
		{"attribute without value", rss(`<item selected/><item/>`)},
		{"stray <", rss(`<item>a < b</item><item/>`)},
		{"unbalanced at EOF", `<rss><channel><item/><item/></channel>`},
		{"no items", rss(`<title>x</title>`)},
		{"not a feed", `<html><body><item/></body></html>`},
		{"empty root", `<rss/><rss><channel><item/></channel></rss>`},
		{"two parents", `<rss><channel><item/></channel><item/></rss>`},
		{"two channels", `<rss><channel><item/></channel><channel><item/></channel></rss>`},
		{"element between items", rss(`<item/><title>late</title><item/>`)},
		{"atom entry in another case", `<feed><entry/><Entry/></feed>`},
		{"atom entry with a prefix", `<feed xmlns:a="http://www.w3.org/2005/Atom"><entry/><a:entry/></feed>`},
		{"atom entry with its own namespace", `<feed><entry/><entry xmlns="urn:x"/></feed>`},
		{"too deep", rss(`<item/>` + strings.Repeat("<a>", maxSplitDepth) + strings.Repeat("</a>", maxSplitDepth))},
		{"truncated", rss(three)[:40]},
		{"ends in <", `<rss><channel><item/><item/><`},
	}
	for _, tt := range bad {
		if cuts, n, ok := splitXML([]byte(tt.doc), 1); ok {
			t.Errorf("%s: split at %v (%d items), want a refusal", tt.name, cuts, n)
		}
	}
}

// TestStreamRefusedIsWhole checks that a document the scanner refuses is
// read whole, as before: here end tags gofeed forgives.
func TestStreamRefusedIsWhole(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>t</title><link>https://site.example/</link>`)
	for i := range 40 {
		fmt.Fprintf(&b, "<item><title>Item %d</title><description><b>unclosed</description><guid>%d</guid></item>\n", i, i)
	}
	b.WriteString(`</channel></rss>`)
	doc := []byte(b.String())
	if _, _, ok := splitXML(doc, 1); ok {
		t.Fatal("the scanner split a document with mismatched end tags")
	}
	got, err := drain(open(doc, "", streamURL, streamNow, -1, 1, nil))
	if err != nil {
		t.Fatal(err)
	}
	if got.parts != 1 {
		t.Errorf("read in %d parts", got.parts)
	}
	want, err := whole(doc, "", -1)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Items) != 40 {
		t.Fatalf("the whole document reads as %d items", len(want.Items))
	}
	compareFeeds(t, got, want)
}

// TestStreamZoneFromFirstPart checks the one way items read differently
// in parts: the zone for dates without one is voted by the first part.
func TestStreamZoneFromFirstPart(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>t</title>`)
	for i := range 4000 {
		date := "Sat, 01 Mar 2025 10:00:00 +0800"
		switch {
		case i >= 1000 && i%3 != 0:
			date = "Sat, 01 Mar 2025 10:00:00 -0500"
		case i >= 1000:
			date = "2025-03-01 10:00:00"
		}
		fmt.Fprintf(&b, "<item><title>%d</title><guid>%d</guid><pubDate>%s</pubDate></item>\n", i, i, date)
	}
	b.WriteString(`</channel></rss>`)
	doc := []byte(b.String())
	got, err := drain(Open(doc, "", streamURL, streamNow))
	if err != nil {
		t.Fatal(err)
	}
	if got.parts < 2 || got.vote != partItems {
		t.Fatalf("read in %d parts, zone voted by %d items", got.parts, got.vote)
	}
	zoneless := got.feed.Items[1002].Published
	if _, off := zoneless.Zone(); off != 8*3600 || zoneless.Hour() != 10 {
		t.Errorf("a date without a zone reads as %v, want 10:00 in the first part's +08:00", zoneless)
	}
	same, err := whole(doc, "", got.vote)
	if err != nil {
		t.Fatal(err)
	}
	compareFeeds(t, got, same)
	all, err := whole(doc, "", -1)
	if err != nil {
		t.Fatal(err)
	}
	if _, off := all.Items[1002].Published.Zone(); off != -5*3600 {
		t.Errorf("the whole document's vote gives %v, want -05:00", all.Items[1002].Published)
	}
}

// TestStreamPartError checks that a part gofeed cannot read ends the
// stream with its error after the parts before it.
func TestStreamPartError(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>t</title>`)
	for i := range 2000 {
		enclosure := ""
		if i == 1200 {
			// A "<" in an attribute value: the scanner passes it, and
			// encoding/xml stops.
			enclosure = `<enclosure url="https://x.example/a<b" type="audio/mpeg"/>`
		}
		fmt.Fprintf(&b, "<item><title>%d</title><guid>%d</guid>%s</item>\n", i, i, enclosure)
	}
	b.WriteString(`</channel></rss>`)
	doc := []byte(b.String())
	if _, err := whole(doc, "", -1); err == nil {
		t.Fatal("the whole document reads without an error")
	}
	s, err := Open(doc, "", streamURL, streamNow)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	read := 0
	for {
		batch, err := s.Next()
		if err != nil {
			if !strings.Contains(err.Error(), "items 1025 to 1536 of 2000") {
				t.Errorf("error without the part: %v", err)
			}
			if _, again := s.Next(); again != err {
				t.Errorf("Next after the error: %v", again)
			}
			break
		}
		if batch == nil {
			t.Fatal("the stream ended without an error")
		}
		read += len(batch)
	}
	if read != 1024 {
		t.Errorf("%d items before the error, want 1024", read)
	}
	if _, err := Parse(doc, "", streamURL, streamNow); err == nil {
		t.Error("Parse read the document without an error")
	}
}

// TestStreamMaxItems checks that the cap on items counts across parts.
func TestStreamMaxItems(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 26,000 items")
	}
	// countItems does not see <rss:item>, so the document passes it;
	// gofeed reads them as items.
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>t</title>`)
	for i := range MaxItems + 1000 {
		tag := "rss:item"
		if i < 2000 {
			tag = "item"
		}
		fmt.Fprintf(&b, "<%s><title>%d</title><guid>%d</guid></%s>\n", tag, i, i, tag)
	}
	b.WriteString(`</channel></rss>`)
	doc := []byte(b.String())
	got, err := drain(Open(doc, "", streamURL, streamNow))
	if err != nil {
		t.Fatal(err)
	}
	if got.parts < 2 {
		t.Fatalf("read in %d parts", got.parts)
	}
	if got.feed.Entries != MaxItems+1000 || len(got.feed.Items) != MaxItems {
		t.Errorf("entries %d, items %d; want %d, %d", got.feed.Entries, len(got.feed.Items), MaxItems+1000, MaxItems)
	}
	want, err := whole(doc, "", got.vote)
	if err != nil {
		t.Fatal(err)
	}
	compareFeeds(t, got, want)
}

// TestStreamBounded checks that at most workers+1 parts are parsed ahead
// of Next.
func TestStreamBounded(t *testing.T) {
	doc := genFeed("rss", 4000)
	started := make(chan int, 100)
	s, err := open(doc, "", streamURL, streamNow, splitMin, 100, func(k, _, _ int) { started <- k })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	workers := runtime.GOMAXPROCS(0)
	ahead := workers + 1
	taken := 0 // parts Next has returned, after the first
	for {
		// Wait until the parts that may run ahead have been parsed:
		// the workers then wait for Next.
		want := min(taken+ahead, len(s.p.results)-1)
		for k := taken + 1; k <= want; k++ {
			for len(s.p.results[k]) == 0 {
				runtime.Gosched()
			}
		}
		for len(started) > 0 {
			if k := <-started; k > taken+ahead {
				t.Fatalf("part %d started with %d parts taken, %d workers", k, taken, workers)
			}
		}
		batch, err := s.Next()
		if err != nil {
			t.Fatal(err)
		}
		if batch == nil {
			break
		}
		if s.next > 1 {
			taken = s.next - 1
		}
	}
	if taken != len(s.p.results)-1 {
		t.Errorf("took %d parts of %d", taken, len(s.p.results)-1)
	}
}

// TestStreamBoundedBytes checks that the parts ahead of Next hold at most
// aheadBytes of the document, or are one part; that the bound still lets
// parts run ahead when they fit; and that the items read are those of the
// whole document, with a bound below one part's size too.
func TestStreamBoundedBytes(t *testing.T) {
	doc := genFeed("rss", 4000)
	defer func(n int) { aheadBytes = n }(aheadBytes)
	for _, tc := range []struct {
		name  string
		parts float64 // aheadBytes in parts of the document
	}{{"two and a half parts", 2.5}, {"less than a part", 0.5}} {
		t.Run(tc.name, func(t *testing.T) {
			part := len(doc) / 40 // 40 parts of 100 items, about equal
			aheadBytes = int(tc.parts * float64(part))
			var mu sync.Mutex
			most := 0
			s, err := open(doc, "", streamURL, streamNow, splitMin, 100, func(k, ahead, size int) {
				if ahead > 1 && size > aheadBytes {
					t.Errorf("part %d started with %d parts, %d bytes ahead; the bound is %d", k, ahead, size, aheadBytes)
				}
				mu.Lock()
				most = max(most, ahead)
				mu.Unlock()
			})
			if err != nil {
				t.Fatal(err)
			}
			if s.p == nil || len(s.p.results) < 30 {
				t.Fatal("the document was not split into parts of 100 items")
			}
			got, err := drain(s, nil)
			if err != nil {
				t.Fatal(err)
			}
			want, err := whole(doc, "", got.vote)
			if err != nil {
				t.Fatal(err)
			}
			compareFeeds(t, got, want)
			wantMost := 1
			if tc.parts >= 2 && runtime.GOMAXPROCS(0) > 1 {
				wantMost = 2
			}
			if most < wantMost || (tc.parts < 1 && most != 1) {
				t.Errorf("at most %d parts were ahead of Next; want %d", most, wantMost)
			}
		})
	}
}

func TestStreamClose(t *testing.T) {
	doc := genFeed("rss", 5000)
	before := runtime.NumGoroutine()
	// settled waits for the goroutines to be back to what they were:
	// Close waits for its own, but the runtime may start others.
	settled := func(what string) {
		t.Helper()
		for range 500 {
			runtime.GC()
			if runtime.NumGoroutine() <= before {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Errorf("%s: %d goroutines, %d before", what, runtime.NumGoroutine(), before)
	}
	open := func() *Stream {
		t.Helper()
		s, err := Open(doc, "", streamURL, streamNow)
		if err != nil {
			t.Fatal(err)
		}
		if s.p == nil {
			t.Fatal("the document was not split")
		}
		return s
	}

	s := open()
	if batch, err := s.Next(); err != nil || len(batch) == 0 {
		t.Fatalf("Next: %d items, %v", len(batch), err)
	}
	s.Close()
	settled("after Close")
	s.Close()
	if _, err := s.Next(); !errors.Is(err, errClosed) {
		t.Errorf("Next after Close: %v", err)
	}

	// Close before Next.
	open().Close()
	settled("after Close before Next")

	// Close from another goroutine while Next waits.
	s = open()
	var closed atomic.Bool
	done := make(chan struct{})
	go func(s *Stream) { closed.Store(true); s.Close(); close(done) }(s)
	for {
		batch, err := s.Next()
		if err != nil {
			if !closed.Load() || !errors.Is(err, errClosed) {
				t.Fatal(err)
			}
			break
		}
		if batch == nil {
			break // the stream ended before Close
		}
	}
	<-done
	settled("after Close during Next")

	// Close after the end.
	s = open()
	for {
		batch, err := s.Next()
		if err != nil {
			t.Fatal(err)
		}
		if batch == nil {
			break
		}
	}
	s.Close()
	s.Close()
	if batch, err := s.Next(); batch != nil || err != nil {
		t.Errorf("Next after the end and Close: %d items, %v", len(batch), err)
	}
	settled("after the end")

	// A stream dropped without Close stops once it is collected.
	s = open()
	if _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	s = nil
	settled("after a dropped stream was collected")
}

func FuzzSplit(f *testing.F) {
	dir := filepath.Join("..", "..", "testdata", "feeds")
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".html") {
			continue
		}
		body, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body, "", uint8(0))
	}
	for _, format := range []string{"rss", "rdf", "atom"} {
		f.Add(genFeed(format, 5), "application/xml", uint8(1))
	}
	f.Add([]byte(`<rss><channel><item><title>a</title></item><!-- x --><item><title>b</title></item><ttl>1</ttl></channel></rss>`), "", uint8(2))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="text">&lt;x&gt;</title></entry><entry><title>y</title></entry></feed>`), "", uint8(0))
	f.Add([]byte(`<rss><channel><İtem><title>a</title></İtem><item><title>b</title><pubDate>2025-03-01 10:00</pubDate></item>text<item><guid>c</guid><pubDate>Sat, 01 Mar 2025 10:00:00 CST</pubDate></item></channel><item><title>d</title></item></rss>`), "", uint8(0))
	f.Add([]byte(`<rdf:RDF xmlns:rdf="r" xmlns="http://purl.org/rss/1.0/"><channel><title>c</title></channel><item><title>a</title></item><item><title>b</title><dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">2025-03-01T10:00:00+05:00</dc:date></item><textinput/></rdf:RDF>`), "", uint8(1))
	f.Fuzz(func(t *testing.T, body []byte, contentType string, per uint8) {
		got, err := drain(open(body, contentType, streamURL, streamNow, -1, 1+int(per%4), nil))
		want, werr := whole(body, contentType, got.vote)
		if (err == nil) != (werr == nil) {
			t.Fatalf("stream error %v, whole error %v", err, werr)
		}
		if err != nil {
			return
		}
		compareFeeds(t, got, want)
	})
}

// BenchmarkSplitXML measures the scanner on a 20,000-item RSS feed full of
// comments, CDATA sections and attributes (too many "<item" for prepare,
// which is skipped).
func BenchmarkSplitXML(b *testing.B) {
	doc := prepareXML(genFeed("rss", 20000))
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, n, ok := splitXML(doc, partItems); !ok || n != 20000 {
			b.Fatalf("split %d items, ok %v", n, ok)
		}
	}
}

// TestStreamRandomDocs compares streamed and whole reads of documents
// built at random from the constructs the scanner must get right, some of
// them broken on purpose.
var randomSeed uint64 = 1

func TestStreamRandomDocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(randomSeed, 2))
	docs := 3000
	if testing.Short() {
		docs = 300
	}
	split := 0
	for d := range docs {
		doc := randomDoc(rng)
		per := 1 + rng.IntN(3)
		got, err := drain(open(doc, "", streamURL, streamNow, -1, per, nil))
		want, werr := whole(doc, "", got.vote)
		if (err == nil) != (werr == nil) {
			t.Fatalf("doc %d, parts of %d: stream error %v, whole error %v\n%s", d, per, err, werr, doc)
		}
		if err != nil {
			continue
		}
		if got.parts > 1 {
			split++
		}
		before := t.Failed()
		compareFeeds(t, got, want)
		if !before && t.Failed() {
			t.Fatalf("doc %d, parts of %d:\n%s", d, per, doc)
		}
	}
	t.Logf("%d of %d documents split", split, docs)
	if split < docs/4 {
		t.Errorf("only %d of %d documents split", split, docs)
	}
}

func randomDoc(rng *rand.Rand) []byte {
	pick := func(s ...string) string { return s[rng.IntN(len(s))] }
	maybe := func(p float64, s string) string {
		if rng.Float64() < p {
			return s
		}
		return ""
	}
	date := func() string {
		return pick("Sat, 01 Mar 2025 10:00:00 +0800", "Sat, 01 Mar 2025 10:00:00 -0500", "2025-03-01T10:00:00Z",
			"2025-03-01 10:00:00", "Sat, 01 Mar 2025 10:00:00 CST", "Sat, 01 Mar 2025 10:00:00 GMT+8", "3月1日 10:00", "soon", "")
	}
	junk := func() string {
		return pick("", "", "", " ", "\n", "text", "<!-- <item> -->", "<?pi <item>?>", "<![CDATA[<item>]]>", "&amp;", "&brand;")
	}
	var b strings.Builder
	b.WriteString(maybe(0.5, `<?xml version="1.0" encoding="UTF-8"?>`))
	b.WriteString(maybe(0.3, `<!DOCTYPE x [<!ENTITY brand "A"> <!-- > --> <!ATTLIST item a "<>">]>`))
	b.WriteString(pick("", "\n", "<!-- <item> -->", "<?pi <item>?>"))
	kind := pick("rss", "rss", "rdf", "atom")
	n := 2 + rng.IntN(9)
	if rng.IntN(10) == 0 {
		n = rng.IntN(2)
	}
	var open, close, item string
	switch kind {
	case "rss":
		open = `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"` + maybe(0.1, ` xmlns="urn:bogus"`) +
			maybe(0.3, ` xml:base="https://base.example/b/"`) + `>` + junk() + `<channel>` +
			maybe(0.8, `<title>Chan &lt;b&gt;</title>`) + maybe(0.7, `<link>`+pick("https://site.example/", "/rel/", "")+`</link>`) +
			maybe(0.4, `<language>`+pick("en", "zh-cn", "x")+`</language>`) + maybe(0.2, `<dc:language>fr</dc:language>`)
		close = maybe(0.3, `<ttl>5</ttl>`) + maybe(0.2, `<title>Late</title>`) + maybe(0.2, `<language>ja</language>`) + `</channel>` + maybe(0.05, `<item><title>root</title></item>`) + maybe(0.05, `<channel><title>Second</title></channel>`) + `</rss>`
		item = "item"
	case "rdf":
		open = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
			`<channel><title>RDF</title><link>https://site.example/</link></channel>` + maybe(0.3, `<image><title>i</title></image>`)
		close = maybe(0.3, `<textinput><title>s</title></textinput>`) + `</rdf:RDF>`
		item = "item"
	case "atom":
		open = `<feed xmlns="` + pick("http://www.w3.org/2005/Atom", "http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#", "urn:x", "") + `"` + maybe(0.3, ` xml:base="https://base.example/a/"`) + maybe(0.3, ` xml:lang="de"`) + `>` +
			`<title type="` + pick("text", "html") + `">Feed &lt;i&gt;</title>` + maybe(0.5, `<link href="https://site.example/"/>`) + maybe(0.3, `<author><name>FA</name></author>`)
		close = maybe(0.3, `<rights>r</rights>`) + maybe(0.2, `<title>Late</title>`) + `</feed>`
		item = "entry"
	}
	b.WriteString(open)
	b.WriteString(junk())
	for i := range n {
		key := fmt.Sprint(rng.IntN(n + 2))
		name := item
		if rng.IntN(40) == 0 {
			name = pick("Item", "ITEM", "rss:item", "foo:item", "Entry", "İtem", "a:entry")
		}
		attrs := maybe(0.2, ` a="x > y"`) + maybe(0.1, ` b='&lt;item>'`) + maybe(0.01, ` c="<"`) + maybe(0.02, ` xmlns="urn:other"`) + maybe(0.1, ` xml:lang="zh"`) + maybe(0.05, ` xml:base="sub/"`)
		if rng.IntN(15) == 0 {
			fmt.Fprintf(&b, "<%s%s/>", name, attrs)
		} else {
			fmt.Fprintf(&b, "<%s%s>", name, attrs)
			switch kind {
			case "atom":
				b.WriteString(pick(`<title type="text">T`+fmt.Sprint(i)+` &lt;x&gt;</title>`, `<title type="html">T`+fmt.Sprint(i)+` &lt;b&gt;b&lt;/b&gt;</title>`,
					`<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">T<b>x</b></div></title>`, ""))
				b.WriteString(maybe(0.8, `<id>`+key+`</id>`) + maybe(0.6, `<link href="e/`+key+`"/>`))
				b.WriteString(maybe(0.6, `<published>`+date()+`</published>`) + maybe(0.6, `<updated>`+date()+`</updated>`))
				b.WriteString(maybe(0.4, `<summary>`+pick("plain & <b>", "s &lt;i&gt;")+`</summary>`) + maybe(0.3, `<content type="html">&lt;p&gt;c&lt;/p&gt;</content>`))
				b.WriteString(maybe(0.1, `<entry><title>nested</title></entry>`))
			default:
				b.WriteString(maybe(0.8, `<title>`+pick("T"+fmt.Sprint(i)+" &lt;b&gt;", "<![CDATA[T</item><item>]]>", "华为 "+fmt.Sprint(i), "مرحبا")+`</title>`))
				b.WriteString(maybe(0.7, `<link>`+pick("https://x.example/"+key, "/p/"+key, "p/"+key)+`</link>`) + maybe(0.5, `<guid>`+key+`</guid>`))
				b.WriteString(maybe(0.6, `<pubDate>`+date()+`</pubDate>`) + maybe(0.3, `<dc:date>`+date()+`</dc:date>`))
				b.WriteString(maybe(0.4, `<description>`+pick("d &lt;p&gt;x", "<![CDATA[<p></item><item>]]>", "")+`</description>`))
				b.WriteString(maybe(0.2, `<content:encoded><![CDATA[<div><item/></div>]]></content:encoded>`) + maybe(0.2, `<dc:language>ko</dc:language>`))
				b.WriteString(maybe(0.1, `<item><title>nested</title></item>`) + maybe(0.1, `<enclosure url="u>v" type="a/b"/>`))
			}
			b.WriteString(junk())
			fmt.Fprintf(&b, "</%s>", name)
		}
		b.WriteString(junk())
		b.WriteString(maybe(0.02, pick(`<ttl>1</ttl>`, `<title>Mid</title>`, `<link>https://mid.example/</link>`, `<?xml version="1.0" encoding="ISO-8859-1"?>`, `<!DOCTYPE y>`)))
	}
	b.WriteString(close)
	b.WriteString(maybe(0.2, pick("<!-- after -->", "<rss><channel><item/></channel></rss>", "<feed><entry/></feed>", "junk <")))
	doc := b.String()
	if rng.IntN(8) == 0 {
		// Break it somewhere.
		i := rng.IntN(len(doc) + 1)
		j := min(len(doc), i+rng.IntN(8))
		doc = doc[:i] + pick("", "<", ">", `"`, "</b>", "<b>", "]]>", "-->", "<!--") + doc[j:]
	}
	return []byte(doc)
}

// TestHugeHeaderNotSplit: a document of a huge channel header and many
// tiny items is parsed whole, not once per part; a normal large feed is
// still split.
func TestHugeHeaderNotSplit(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><description>`)
	b.WriteString(strings.Repeat("x", 1<<20))
	b.WriteString(`</description>`)
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, `<item><guid>%d</guid></item>`, i)
	}
	b.WriteString(`</channel></rss>`)
	s, err := Open([]byte(b.String()), "application/rss+xml", streamURL, streamNow)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.p != nil {
		t.Errorf("a 1 MiB header was split into %d parts, each repeating it", len(s.p.cuts)-1)
	}
	n := 0
	for {
		batch, err := s.Next()
		if err != nil {
			t.Fatal(err)
		}
		if batch == nil {
			break
		}
		n += len(batch)
	}
	if n != 3000 {
		t.Errorf("%d items, want 3000", n)
	}
	big, err := Open(genFeed("rss", 3000), "application/xml", streamURL, streamNow)
	if err != nil {
		t.Fatal(err)
	}
	defer big.Close()
	if big.p == nil {
		t.Error("a plain 3,000-item feed was not split")
	}
}
