// Package opml imports and exports feed lists as OPML 2.0. Nested
// outlines are categories: a feed inside "AI" inside "China" gets
// store.Feed.Category "China/AI". aiwatch's HTML list pages, which other
// readers cannot use, are written as type="link" outlines carrying the
// scrape rule in aiwatch: attributes, so an export reads back whole.
package opml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html/charset"

	"github.com/aiwatch/aiwatch/store"
)

// ErrNotOPML is returned by Read for a document whose root is not <opml>.
var ErrNotOPML = errors.New("not an OPML document")

// Namespace is the XML namespace of aiwatch's own outline attributes.
const Namespace = "https://github.com/aiwatch/aiwatch/opml"

const (
	// maxSize bounds an OPML document; real ones are a few hundred KiB.
	maxSize = 16 << 20
	// maxDepth bounds category nesting; deeper outlines join the
	// category at this depth.
	maxDepth = 16
	maxField = 1 << 10
)

// outline is one <outline> element, read with its attributes matched
// case-insensitively, because exporters disagree on "xmlUrl" / "xmlurl".
type outline struct {
	attrs    map[string]string // lower-case local name, or "aiwatch:" + local
	children []*outline
}

func (o *outline) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	o.attrs = make(map[string]string, len(start.Attr))
	for _, a := range start.Attr {
		key := strings.ToLower(a.Name.Local)
		if a.Name.Space == Namespace {
			key = "aiwatch:" + key
		} else if a.Name.Space != "" {
			continue
		}
		o.attrs[key] = a.Value
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "outline" {
				if err := d.Skip(); err != nil {
					return err
				}
				continue
			}
			child := &outline{}
			if err := child.UnmarshalXML(d, t); err != nil {
				return err
			}
			o.children = append(o.children, child)
		case xml.EndElement:
			return nil
		}
	}
}

type document struct {
	XMLName xml.Name
	Body    struct {
		Outlines []*outline `xml:"outline"`
	} `xml:"body"`
}

// Read imports the feeds of an OPML document, in document order. Outlines
// with an xmlUrl are feeds (Kind "feed"); type="link" outlines with an
// aiwatch:item rule are HTML list pages (Kind "html"); outlines without
// either that have children are categories. Feeds whose URL is not
// absolute http(s), and repeats of a URL, are skipped. Imported feeds are
// enabled and have Source store.SourceUser.
func Read(r io.Reader) ([]store.Feed, error) {
	d := xml.NewDecoder(io.LimitReader(r, maxSize))
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	var doc document
	if err := d.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			// No element at all: empty, or text that is not XML.
			return nil, fmt.Errorf("opml: %w: the file holds no XML element (want the .opml file a feed reader exports)", ErrNotOPML)
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			msg := se.Msg
			if msg == "unexpected EOF" {
				msg = "the document ends before its elements close"
			}
			return nil, fmt.Errorf("opml: %w: line %d: %s", ErrNotOPML, se.Line, msg)
		}
		return nil, fmt.Errorf("opml: unable to read document: %w", err)
	}
	if !strings.EqualFold(doc.XMLName.Local, "opml") {
		return nil, fmt.Errorf("opml: %w: its root is <%s>, not <opml>", ErrNotOPML, doc.XMLName.Local)
	}
	var feeds []store.Feed
	seen := map[string]bool{}
	var walk func(os []*outline, path []string)
	walk = func(os []*outline, path []string) {
		for _, o := range os {
			if f, ok := feedOf(o, path); ok {
				if !seen[f.URL] {
					seen[f.URL] = true
					feeds = append(feeds, f)
				}
				continue
			}
			if len(o.children) == 0 {
				continue
			}
			sub := path
			if name := categoryName(o); name != "" && len(path) < maxDepth {
				sub = append(path[:len(path):len(path)], name)
			}
			walk(o.children, sub)
		}
	}
	walk(doc.Body.Outlines, nil)
	return feeds, nil
}

func categoryName(o *outline) string {
	name := o.attrs["text"]
	if name == "" {
		name = o.attrs["title"]
	}
	return store.CleanLine(name, maxField)
}

func feedOf(o *outline, path []string) (store.Feed, bool) {
	f := store.Feed{Kind: store.KindFeed, Enabled: true, Source: store.SourceUser}
	raw := o.attrs["xmlurl"]
	if item := o.attrs["aiwatch:item"]; item != "" && strings.EqualFold(o.attrs["type"], "link") {
		f.Kind = store.KindHTML
		raw = o.attrs["url"]
		f.HTML = &store.HTMLRule{
			Item:       item,
			Title:      o.attrs["aiwatch:title"],
			Link:       o.attrs["aiwatch:link"],
			Date:       o.attrs["aiwatch:date"],
			DateLayout: o.attrs["aiwatch:datelayout"],
			Summary:    o.attrs["aiwatch:summary"],
		}
	}
	f.URL = httpURL(raw)
	if f.URL == "" {
		return store.Feed{}, false
	}
	f.Title = o.attrs["title"]
	if f.Title == "" {
		f.Title = o.attrs["text"]
	}
	f.Title = store.CleanLine(f.Title, maxField)
	f.Lang = store.CleanLine(o.attrs["language"], 35)
	f.UserAgent = store.CleanLine(o.attrs["aiwatch:useragent"], maxField)
	f.Enabled = !strings.EqualFold(o.attrs["aiwatch:enabled"], "false")
	f.Category = strings.Join(path, "/")
	if f.Category == "" {
		// OPML 2.0's category attribute: comma-separated "/A/B" paths.
		first, _, _ := strings.Cut(o.attrs["category"], ",")
		f.Category = store.CleanLine(strings.Trim(first, "/ "), maxField)
	}
	return f, true
}

func httpURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// Write exports feeds as OPML 2.0 with the given title. Categories become
// nested outlines, in the order they first appear; a category's feeds keep
// their order. Feeds with Kind "html" are written as type="link" outlines
// with their scrape rule; Read reads all of it back.
func Write(w io.Writer, title string, feeds []store.Feed) error {
	root := &node{}
	for i := range feeds {
		n := root
		if feeds[i].Category != "" {
			for _, name := range strings.Split(feeds[i].Category, "/") {
				n = n.child(name)
			}
		}
		n.entries = append(n.entries, entry{feed: &feeds[i]})
	}

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("opml: unable to write: %w", err)
	}
	e := xml.NewEncoder(w)
	e.Indent("", "  ")
	start := xml.StartElement{Name: xml.Name{Local: "opml"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "version"}, Value: "2.0"},
		{Name: xml.Name{Local: "xmlns:aiwatch"}, Value: Namespace},
	}}
	tokens := []xml.Token{
		start,
		xml.StartElement{Name: xml.Name{Local: "head"}},
		xml.StartElement{Name: xml.Name{Local: "title"}},
		xml.CharData(title),
		xml.EndElement{Name: xml.Name{Local: "title"}},
		xml.EndElement{Name: xml.Name{Local: "head"}},
		xml.StartElement{Name: xml.Name{Local: "body"}},
	}
	tokens = root.tokens(tokens)
	tokens = append(tokens, xml.EndElement{Name: xml.Name{Local: "body"}}, start.End())
	for _, t := range tokens {
		if err := e.EncodeToken(t); err != nil {
			return fmt.Errorf("opml: unable to write: %w", err)
		}
	}
	if err := e.Flush(); err != nil {
		return fmt.Errorf("opml: unable to write: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("opml: unable to write: %w", err)
	}
	return nil
}

// node is a category in the export tree; entries hold its feeds and
// subcategories in first-appearance order.
type node struct {
	name    string
	entries []entry
	index   map[string]*node
}

type entry struct {
	feed *store.Feed
	node *node
}

func (n *node) child(name string) *node {
	if c := n.index[name]; c != nil {
		return c
	}
	if n.index == nil {
		n.index = map[string]*node{}
	}
	c := &node{name: name}
	n.index[name] = c
	n.entries = append(n.entries, entry{node: c})
	return c
}

func (n *node) tokens(out []xml.Token) []xml.Token {
	for _, e := range n.entries {
		if e.node != nil {
			start := xml.StartElement{Name: xml.Name{Local: "outline"}, Attr: []xml.Attr{
				attr("text", e.node.name),
			}}
			out = append(out, start)
			out = e.node.tokens(out)
			out = append(out, start.End())
			continue
		}
		start := xml.StartElement{Name: xml.Name{Local: "outline"}, Attr: feedAttrs(e.feed)}
		out = append(out, start, start.End())
	}
	return out
}

func attr(name, value string) xml.Attr {
	return xml.Attr{Name: xml.Name{Local: name}, Value: value}
}

func feedAttrs(f *store.Feed) []xml.Attr {
	attrs := []xml.Attr{attr("text", f.Title)}
	if f.Title != "" {
		attrs = append(attrs, attr("title", f.Title))
	}
	if f.Kind == store.KindHTML && f.HTML != nil {
		attrs = append(attrs, attr("type", "link"), attr("url", f.URL))
		for _, a := range []struct{ name, value string }{
			{"item", f.HTML.Item},
			{"title", f.HTML.Title},
			{"link", f.HTML.Link},
			{"date", f.HTML.Date},
			{"dateLayout", f.HTML.DateLayout},
			{"summary", f.HTML.Summary},
		} {
			if a.value != "" {
				attrs = append(attrs, attr("aiwatch:"+a.name, a.value))
			}
		}
	} else {
		attrs = append(attrs, attr("type", "rss"), attr("xmlUrl", f.URL))
	}
	if f.Lang != "" {
		attrs = append(attrs, attr("language", f.Lang))
	}
	if f.UserAgent != "" {
		attrs = append(attrs, attr("aiwatch:userAgent", f.UserAgent))
	}
	if !f.Enabled {
		attrs = append(attrs, attr("aiwatch:enabled", "false"))
	}
	return attrs
}
