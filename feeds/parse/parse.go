// Package parse reads RSS 0.9x, 2.0 and 1.0 (RDF), Atom 1.0 and JSON
// Feed 1.x documents into store items, with gofeed underneath, as well as
// pages of the Federal Register's document search API (fedreg.go), and
// normalises items from any source (Normalize) into bounded plain text
// with absolute http(s) links, dates, languages and keys.
//
// Documents are hostile. The charset comes from a BOM, the HTTP header,
// the XML declaration or an HTML <meta>, in that order (ToUTF8), and
// invalid bytes become U+FFFD rather than errors. External entities and
// DTDs are never fetched or expanded: encoding/xml does not read DTDs, so
// an entity it does not know stays as literal text.
package parse

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"
	gojson "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"

	"github.com/aiwatch/aiwatch/store"
)

// MaxItems is the most items aiwatch reads from one document. A larger
// one is refused before it is parsed: parsing costs memory per item, and
// no news feed needs more.
const MaxItems = 25000

// ErrTooManyItems is returned for a document with more than MaxItems items.
var ErrTooManyItems = errors.New("too many items")

// countItems estimates a document's items without parsing it: RSS and
// RDF <item>, Atom <entry>, JSON Feed "id" keys. It may overcount, never
// by much for a real feed.
func countItems(doc []byte) int {
	n := 0
	for _, tag := range [][]byte{[]byte("<item"), []byte("<entry"), []byte(`"id"`)} {
		for rest := doc; ; {
			i := bytes.Index(rest, tag)
			if i < 0 {
				break
			}
			rest = rest[i+len(tag):]
			if len(rest) > 0 && (tag[0] == '"' || rest[0] == '>' || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r' || rest[0] == '/') {
				n++
			}
		}
	}
	return n
}

// ErrUnknownFormat is returned for a document that is not a feed, such as
// an HTML page (try feeds/html.Discover on it) or an empty body.
var ErrUnknownFormat = errors.New("not a feed")

// Formats of Feed.Format.
const (
	FormatRSS  = "rss"
	FormatAtom = "atom"
	FormatJSON = "json"
	FormatHTML = "html"
)

// Feed is a parsed document.
type Feed struct {
	Title   string // clean, one line
	Lang    string // as declared, else guessed from the titles
	SiteURL string // the site's home page, absolute http(s) or ""
	Format  string // FormatRSS, FormatAtom, FormatJSON, FormatFederalRegister or FormatHTML
	// NextPage is the next page of a paged API search (a Federal
	// Register next_page_url), absolute http(s), or "".
	NextPage string
	// Entries counts the items in the document, before deduplication.
	Entries int
	// Items are normalised and deduplicated, in document order.
	Items []store.Item
}

// draft is an item before Normalize, with its dates as written.
type draft struct {
	item                 store.Item
	published, updated   string
	pubParsed, updParsed *time.Time // gofeed's reading, in case ours fails
}

// Parse reads a feed document. contentType is the HTTP Content-Type (for
// its charset) and feedURL the document's URL, against which relative
// links are resolved; now is the fetch time. It returns ErrUnknownFormat
// when body is not a feed.
//
// Parse reads the document as Open does and gathers every batch of Next:
// a large document is read in parts on several cores (see Open).
func Parse(body []byte, contentType, feedURL string, now time.Time) (*Feed, error) {
	s, err := Open(body, contentType, feedURL, now)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	items, err := store.Collect(s.Next)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []store.Item{}
	}
	f := s.Feed()
	f.Items = items
	return f, nil
}

// prepare decodes body to UTF-8 and makes it ready for gofeed, and tells
// whether it is XML and how many items countItems finds in it. It refuses
// an empty document, one with more than MaxItems items and one that is
// neither XML nor JSON.
func prepare(body []byte, contentType string) (doc []byte, isXML bool, count int, err error) {
	doc = bytes.TrimLeft(ToUTF8(body, contentType), " \t\r\n")
	if len(doc) == 0 {
		return nil, false, 0, fmt.Errorf("parse: empty document: %w", ErrUnknownFormat)
	}
	if count = countItems(doc); count > MaxItems {
		return nil, false, 0, fmt.Errorf("parse: the document has about %d items, more than the %d aiwatch reads from one feed: %w", count, MaxItems, ErrTooManyItems)
	}
	isXML = doc[0] == '<'
	if isXML {
		doc = quickGMT(prepareXML(closeLastTag(doc)))
	} else if doc[0] != '{' {
		return nil, false, 0, fmt.Errorf("parse: %w", ErrUnknownFormat)
	}
	return doc, isXML, count, nil
}

// parseWhole reads a prepared document in one piece. The zone for dates
// without one is voted by the dates of the first vote items, or of all
// items when vote is negative.
func parseWhole(doc []byte, feedURL string, now time.Time, vote int) (*Feed, error) {
	f, drafts, err := parseDrafts(doc, feedURL)
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	f.Entries = len(drafts)
	if len(drafts) > MaxItems {
		drafts = drafts[:MaxItems]
	}

	voters := drafts
	if vote >= 0 && vote < len(voters) {
		voters = voters[:vote]
	}
	dates := newDateReader(dateRaws(voters), f.Lang, now)
	items := make([]store.Item, len(drafts))
	for i, d := range drafts {
		d.item.Published = dates.read(d.published, d.pubParsed)
		d.item.Updated = dates.read(d.updated, d.updParsed)
		items[i] = d.item
	}

	f.Items = Normalize(items, f.Lang, itemBase(f, feedURL), now)
	if f.Lang == "" {
		f.Lang = titleLang(f.Items)
	}
	return f, nil
}

// dateRaws returns the dates of drafts as written, for newDateReader.
func dateRaws(drafts []draft) []string {
	raws := make([]string, 0, 2*len(drafts))
	for _, d := range drafts {
		raws = append(raws, d.published, d.updated)
	}
	return raws
}

// itemBase returns the URL that relative item links are resolved against.
func itemBase(f *Feed, feedURL string) string {
	if f.Format == FormatRSS && f.SiteURL != "" {
		// RSS has no xml:base by default; relative item links are
		// written against the site, which may not be where the feed is.
		return f.SiteURL
	}
	return feedURL
}

// titleLang guesses a feed's language from the titles of its first items.
func titleLang(items []store.Item) string {
	var text strings.Builder
	for _, it := range items {
		if text.Len() > 4096 {
			break
		}
		text.WriteString(it.Title)
		text.WriteByte(' ')
	}
	if text.Len() == 0 {
		return ""
	}
	return DetectLang(text.String())
}

// parseDrafts reads a prepared document with gofeed. Its errors do not
// start with "parse: ", for the caller to add context.
func parseDrafts(doc []byte, feedURL string) (*Feed, []draft, error) {
	if f, drafts, ok := federalRegisterPage(doc, feedURL); ok {
		return f, drafts, nil
	}
	p := gofeed.NewParser()
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	p.KeepOriginalFeed = true
	gf, err := p.Parse(bytes.NewReader(doc))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return nil, nil, ErrUnknownFormat
	}
	if err != nil {
		return nil, nil, fmt.Errorf("unable to read feed: %w", err)
	}

	f := &Feed{Lang: CanonicalLang(gf.Language)}
	f.SiteURL, _ = cleanURL(gf.Link, absURL(feedURL))
	var drafts []draft
	switch orig := gf.OriginalFeed().(type) {
	case *rss.Feed:
		f.Format = FormatRSS
		f.Title = store.CleanLine(inlineText(gf.Title), MaxTitle)
		drafts = rssDrafts(gf, orig)
	case *atom.Feed:
		f.Format = FormatAtom
		info := scanAtom(doc)
		f.Title = textLine(gf.Title, info.title)
		drafts = atomDrafts(gf, orig, info)
	case *gojson.Feed:
		if !strings.Contains(orig.Version, "jsonfeed.org/version/") {
			return nil, nil, fmt.Errorf("JSON without a JSON Feed version: %w", ErrUnknownFormat)
		}
		f.Format = FormatJSON
		f.Title = store.CleanLine(gf.Title, MaxTitle)
		drafts = jsonDrafts(gf, orig)
	default:
		return nil, nil, ErrUnknownFormat
	}
	return f, drafts, nil
}

// textLine cleans a feed-level text construct of the given kind.
func textLine(s string, kind textKind) string {
	if kind == kindHTML {
		s = inlineText(s)
	}
	return store.CleanLine(s, MaxTitle)
}

func absURL(s string) *url.URL {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || !u.IsAbs() {
		return nil
	}
	return u
}

// prepareXML removes the XML declaration, whose encoding no longer holds
// after ToUTF8, and the characters XML forbids, which would stop
// encoding/xml: U+FFFE, U+FFFF and the C0 controls other than tab, LF and
// CR. A 7-bit escape sequence is rewritten with its C1 equivalent (ESC [
// as U+009B, BEL as ST…), which XML allows, so that store.CleanLine later
// drops the whole sequence instead of leaving "]52;c;…" behind.
func prepareXML(doc []byte) []byte {
	if bytes.HasPrefix(doc, []byte("<?xml")) {
		if end := bytes.Index(doc, []byte("?>")); end > 0 {
			doc = bytes.TrimLeft(doc[end+2:], " \t\r\n")
		}
	}
	clean := true
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c == 0xEF && i+2 < len(doc) && doc[i+1] == 0xBF && doc[i+2] >= 0xBE) {
			clean = false
			break
		}
	}
	if clean {
		return doc
	}
	out := make([]byte, 0, len(doc))
	for i := 0; i < len(doc); {
		c := doc[i]
		switch {
		case c == 0x1b:
			i++
			if i < len(doc) {
				if r, ok := c1Escapes[doc[i]]; ok {
					out = utf8.AppendRune(out, r)
					i++
					continue
				}
				for i < len(doc) && doc[i] >= 0x20 && doc[i] <= 0x2f { // nF intermediates
					i++
				}
				if i < len(doc) && doc[i] >= 0x30 && doc[i] <= 0x7e {
					i++
				}
			}
		case c == 0x07:
			out = utf8.AppendRune(out, 0x9c) // BEL ends a string like ST
			i++
		case c < utf8.RuneSelf:
			if c >= 0x20 || c == '\t' || c == '\n' || c == '\r' {
				out = append(out, c)
			}
			i++
		default:
			r, size := utf8.DecodeRune(doc[i:])
			if r != 0xFFFE && r != 0xFFFF {
				out = append(out, doc[i:i+size]...)
			}
			i += size
		}
	}
	return out
}

// closeLastTag adds the ">" that a document's last end tag lost
// ("…</channel></rss" at the end of a cut-off file), as browsers and
// feedparser read it; encoding/xml would refuse the whole document. Only
// an end tag, with nothing after its name but white space, is closed.
func closeLastTag(doc []byte) []byte {
	lt := bytes.LastIndexByte(doc, '<')
	if lt < 0 || lt+2 >= len(doc) || doc[lt+1] != '/' {
		return doc
	}
	name := bytes.TrimRight(doc[lt+2:], " \t\r\n")
	if len(name) == 0 {
		return doc
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '_' || c == ':' || c == '.' || c == '-' || c >= utf8.RuneSelf) {
			return doc
		}
	}
	// The full slice expression makes append copy: doc may share its
	// array with the caller's body.
	return append(doc[:len(doc):len(doc)], '>')
}

// gofeed reads every RSS <pubDate> against its list of layouts, and tries
// about 130 layouts with numeric zones before those with named ones, so
// the commonest RSS date of all, "Sat, 29 Nov 2025 22:15:00 GMT", costs it
// 13 µs an item, a sixth of a whole fetch of headline-sized items. gmtDate
// is the same instant written with the zone "-0000", which gofeed reads at
// its first layout; rssDrafts writes it back as "GMT" for our own date
// reader (which also reads "-0000", "zone not stated", that way).
var (
	gmtDate   = []byte(" GMT</pubDate>")
	quickDate = []byte(" -0000</pubDate>")
)

// quickGMT rewrites the text of <pubDate> elements that ends in GMT as
// gmtDate says, copying doc only when it has some. Text that merely looks
// like it, in a CDATA section say, is left alone: the rewrite is made only
// where the last markup before it is <pubDate>.
func quickGMT(doc []byte) []byte {
	var out []byte
	done := 0 // doc[:done] is in out
	for i := 0; ; {
		m := bytes.Index(doc[i:], gmtDate)
		if m < 0 {
			break
		}
		m += i
		i = m + len(gmtDate)
		lt := bytes.LastIndexByte(doc[:m], '<')
		if lt < 0 || !bytes.HasPrefix(doc[lt:], []byte("<pubDate>")) {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(doc)+len(doc)/64)
		}
		out = append(append(out, doc[done:m]...), quickDate...)
		done = i
	}
	if out == nil {
		return doc
	}
	return append(out, doc[done:]...)
}

// c1Escapes maps the byte after ESC to the C1 control it stands for.
var c1Escapes = map[byte]rune{
	'[': 0x9b, ']': 0x9d, 'P': 0x90, 'X': 0x98, '^': 0x9e, '_': 0x9f, '\\': 0x9c,
}

func person(ps []*gofeed.Person) string {
	for _, p := range ps {
		if p == nil {
			continue
		}
		if p.Name != "" {
			return p.Name
		}
		if p.Email != "" {
			return p.Email
		}
	}
	return ""
}

// fromQuickGMT undoes quickGMT on a date as gofeed read it.
func fromQuickGMT(s string) string {
	if t, ok := strings.CutSuffix(strings.TrimSpace(s), " -0000"); ok {
		return t + " GMT"
	}
	return s
}

func rssDrafts(gf *gofeed.Feed, orig *rss.Feed) []draft {
	drafts := make([]draft, 0, len(gf.Items))
	for i, it := range gf.Items {
		d := draft{
			item: store.Item{
				Key:     it.GUID,
				URL:     it.Link,
				Title:   it.Title,
				Summary: it.Description,
				Content: it.Content,
				Author:  person(it.Authors),
			},
			published: fromQuickGMT(it.Published),
			pubParsed: it.PublishedParsed,
			updated:   it.Updated,
			updParsed: it.UpdatedParsed,
		}
		if it.DublinCoreExt != nil && len(it.DublinCoreExt.Language) > 0 {
			d.item.Lang = it.DublinCoreExt.Language[0]
		}
		// DCMI terms date an item where RSS and dc:date do not; gofeed
		// keeps them only as extensions. media:title names an item that
		// has no title of its own.
		if d.published == "" {
			d.published = extText(it.Extensions, "dcterms", "issued", "created", "date")
		}
		if d.updated == "" {
			d.updated = extText(it.Extensions, "dcterms", "modified")
		}
		if strings.TrimSpace(d.item.Title) == "" {
			d.item.Title = escapeText(extText(it.Extensions, "media", "title"))
		}
		// A permalink GUID is the item's URL when it has no <link>.
		if d.item.URL == "" && i < len(orig.Items) && orig.Items[i].GUID != nil &&
			!strings.EqualFold(strings.TrimSpace(orig.Items[i].GUID.IsPermalink), "false") {
			if u := absURL(it.GUID); u != nil && (u.Scheme == "http" || u.Scheme == "https") {
				d.item.URL = it.GUID
			}
		}
		drafts = append(drafts, d)
	}
	return drafts
}

// extText returns the text of the first of names in the extension
// namespace prefix (gofeed's canonical prefix) that has some.
func extText(exts ext.Extensions, prefix string, names ...string) string {
	for _, name := range names {
		for _, e := range exts[prefix][name] {
			if v := strings.TrimSpace(e.Value); v != "" {
				return v
			}
		}
	}
	return ""
}

func atomDrafts(gf *gofeed.Feed, orig *atom.Feed, info atomInfo) []draft {
	// The scan counts entries the way gofeed does; if it disagrees, it
	// is not trusted and every field is read as HTML, where titles still
	// keep unknown tags and "< 4 >" as text.
	if len(info.entries) != len(gf.Items) {
		info.entries = make([]atomEntryInfo, len(gf.Items))
	}
	drafts := make([]draft, 0, len(gf.Items))
	for i, it := range gf.Items {
		e := info.entries[i]
		link := it.Link
		if link == "" && len(it.Links) > 0 {
			link = it.Links[0]
		}
		if strings.TrimSpace(link) == "" {
			link = e.textLink
		}
		d := draft{
			item: store.Item{
				Key:     it.GUID,
				URL:     link,
				Title:   asHTML(it.Title, e.title),
				Summary: asHTML(it.Description, e.summary),
				Content: asHTML(it.Content, e.content),
				Author:  escapeText(person(it.Authors)),
				Lang:    e.lang,
			},
			updated:   it.Updated,
			updParsed: it.UpdatedParsed,
		}
		// gofeed copies <updated> into Published when <published> is
		// missing; read the entry itself so the fallback stays ours.
		if i < len(orig.Entries) && orig.Entries[i] != nil {
			d.published, d.pubParsed = orig.Entries[i].Published, orig.Entries[i].PublishedParsed
		}
		drafts = append(drafts, d)
	}
	return drafts
}

// asHTML makes an Atom text field of the given kind ready for Normalize.
func asHTML(s string, kind textKind) string {
	switch kind {
	case kindBase64HTML, kindBase64Text:
		if b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), "")); err == nil && utf8.Valid(b) {
			s = string(b)
		}
		if kind == kindBase64Text {
			return escapeText(s)
		}
	case kindText:
		return escapeText(s)
	}
	return s
}

func jsonDrafts(gf *gofeed.Feed, orig *gojson.Feed) []draft {
	drafts := make([]draft, 0, len(gf.Items))
	for i, it := range gf.Items {
		var ji gojson.Item
		if i < len(orig.Items) && orig.Items[i] != nil {
			ji = *orig.Items[i]
		}
		content := ji.ContentHTML
		if content == "" {
			content = escapeText(ji.ContentText)
		}
		link := ji.URL
		if link == "" {
			link = ji.ExternalURL
		}
		d := draft{
			item: store.Item{
				Key:     ji.ID,
				URL:     link,
				Title:   escapeText(ji.Title),
				Summary: escapeText(ji.Summary),
				Content: content,
				Author:  escapeText(person(it.Authors)),
				Lang:    ji.Language,
			},
			published: ji.DatePublished,
			pubParsed: it.PublishedParsed,
			updated:   ji.DateModified,
			updParsed: it.UpdatedParsed,
		}
		drafts = append(drafts, d)
	}
	return drafts
}
