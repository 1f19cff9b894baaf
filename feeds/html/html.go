// Package html reads news items from HTML list pages by per-feed CSS
// selector rules (store.HTMLRule), and discovers the feeds a page links
// to. Pages are decoded like feeds (parse.ToUTF8) and items are normalised
// by parse.Normalize, so they come out as clean as parsed feed items.
package html

import (
	"bytes"
	"errors"
	"fmt"
	stdhtml "html"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	xhtml "golang.org/x/net/html"

	"github.com/aiwatch/aiwatch/feeds/parse"
	"github.com/aiwatch/aiwatch/store"
)

// Sentinel errors that callers branch on.
var (
	// ErrRule means a scrape rule has no item selector or a selector
	// that does not compile.
	ErrRule = errors.New("invalid scrape rule")
	// ErrNoItems means the rule matched no item on the page: the page has
	// probably changed its layout.
	ErrNoItems = errors.New("no items matched")
	// ErrDate means the rule's date selector found dates and none of them
	// could be read: without a layout by the date reader feeds use, or
	// with the rule's layout.
	ErrDate = errors.New("unreadable dates")
)

// rule is a store.HTMLRule with its selectors compiled; nil means empty.
type rule struct {
	item, title, link, date, summary cascadia.Selector
	layout                           string
}

// CheckRule compiles the selectors of r and reports the first problem.
func CheckRule(r store.HTMLRule) error {
	_, err := compile(r)
	return err
}

func compile(r store.HTMLRule) (*rule, error) {
	if strings.TrimSpace(r.Item) == "" {
		return nil, fmt.Errorf("html: %w: no item selector", ErrRule)
	}
	c := &rule{layout: r.DateLayout}
	for _, f := range []struct {
		name string
		sel  string
		dst  *cascadia.Selector
	}{
		{"item", r.Item, &c.item},
		{"title", r.Title, &c.title},
		{"link", r.Link, &c.link},
		{"date", r.Date, &c.date},
		{"summary", r.Summary, &c.summary},
	} {
		if strings.TrimSpace(f.sel) == "" {
			continue
		}
		s, err := cascadia.Compile(f.sel)
		if err != nil {
			return nil, fmt.Errorf("html: %w: %s selector %q: %v", ErrRule, f.name, f.sel, err)
		}
		*f.dst = s
	}
	return c, nil
}

// Scrape reads the items that rule selects from an HTML page served from
// pageURL with the given Content-Type. For each item element: the title is
// the text of rule.Title (else of the item's first <a>, else of the item),
// or its title attribute when the text is empty; the link is the href of
// rule.Link (else of the item if it is a link, else of its first <a
// href>), resolved against <base href> or pageURL; the date is the
// datetime attribute or else the text of rule.Date, read with
// rule.DateLayout and then parse.ParseDate, with China Standard Time for
// dates that carry no zone (the pages aiwatch scrapes are Chinese);
// the summary is rule.Summary's content. Items with neither title nor
// link are skipped. The <html lang> attribute is the feed's language.
// Scrape returns ErrRule for a bad rule, ErrNoItems when nothing matched
// and ErrDate, naming the text, when the date selector found dates and
// not one of them could be read.
func Scrape(body []byte, contentType, pageURL string, r store.HTMLRule, now time.Time) (*parse.Feed, error) {
	c, err := compile(r)
	if err != nil {
		return nil, err
	}
	doc, base, err := load(body, contentType, pageURL)
	if err != nil {
		return nil, err
	}
	f := &parse.Feed{
		Title:  store.CleanLine(doc.Find("head title").First().Text(), parse.MaxTitle),
		Lang:   parse.CanonicalLang(doc.Find("html").AttrOr("lang", "")),
		Format: parse.FormatHTML,
	}
	if u, err := url.Parse(pageURL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		f.SiteURL = u.String()
	}

	var items []store.Item
	nDates, badDate := 0, "" // how many dates were read; the first that was not
	doc.FindMatcher(c.item).Each(func(_ int, s *goquery.Selection) {
		it := store.Item{
			Title: stdhtml.EscapeString(c.titleOf(s)),
			URL:   c.linkOf(s),
		}
		if it.Title == "" && it.URL == "" {
			return
		}
		if c.date != nil {
			raw := dateText(s.FindMatcher(c.date).First())
			it.Published = c.readDate(raw, now)
			switch {
			case !it.Published.IsZero():
				nDates++
			case raw != "" && badDate == "":
				badDate = raw
			}
		}
		if c.summary != nil {
			it.Summary, _ = s.FindMatcher(c.summary).First().Html()
		}
		items = append(items, it)
	})
	f.Entries = len(items)
	if len(items) == 0 {
		return nil, fmt.Errorf("html: %w selector %q", ErrNoItems, r.Item)
	}
	if nDates == 0 && badDate != "" {
		if c.layout == "" {
			return nil, fmt.Errorf("html: %w: no date format fits %q (the text of %q); give its Go layout, e.g. --date-layout 2006-01-02",
				ErrDate, store.CleanLine(badDate, 64), r.Date)
		}
		return nil, fmt.Errorf("html: %w: neither layout %q nor a usual date format fits %q (the text of %q)",
			ErrDate, c.layout, store.CleanLine(badDate, 64), r.Date)
	}
	f.Items = parse.Normalize(items, f.Lang, base, now)
	if f.Lang == "" {
		var text strings.Builder
		for _, it := range f.Items {
			text.WriteString(it.Title)
			text.WriteByte(' ')
		}
		f.Lang = parse.DetectLang(text.String())
	}
	return f, nil
}

func (c *rule) titleOf(s *goquery.Selection) string {
	el := s
	switch {
	case c.title != nil:
		el = s.FindMatcher(c.title).First()
	case !s.Is("a"):
		if a := s.Find("a").First(); a.Length() > 0 {
			el = a
		}
	}
	if t := strings.TrimSpace(textOf(el)); t != "" {
		return t
	}
	return strings.TrimSpace(el.AttrOr("title", ""))
}

// textOf is the text of the first node of s, as Selection.Text is, but
// without what scripts and styles hold.
func textOf(s *goquery.Selection) string {
	if s.Length() == 0 {
		return ""
	}
	var b strings.Builder
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		switch {
		case n.Type == xhtml.TextNode:
			b.WriteString(n.Data)
		case n.Type == xhtml.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "noscript" || n.Data == "template"):
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(s.Nodes[0])
	return b.String()
}

func (c *rule) linkOf(s *goquery.Selection) string {
	el := s
	if c.link != nil {
		el = s.FindMatcher(c.link).First()
	}
	if href, ok := el.Attr("href"); ok {
		return href
	}
	return el.Find("a[href]").First().AttrOr("href", "")
}

// dateText is the date an element holds: its datetime attribute, else its
// text.
func dateText(el *goquery.Selection) string {
	if el.Length() == 0 {
		return ""
	}
	raw, ok := el.Attr("datetime")
	if !ok || strings.TrimSpace(raw) == "" {
		raw = textOf(el)
	}
	return strings.TrimSpace(raw)
}

// readDate reads raw with the rule's layout, else as feeds' dates are read
// (parse.ParseDate), in China Standard Time when it names no zone.
func (c *rule) readDate(raw string, now time.Time) time.Time {
	if raw == "" {
		return time.Time{}
	}
	if c.layout != "" {
		if t, err := time.ParseInLocation(c.layout, raw, parse.ChinaTime); err == nil && t.Year() >= 1970 {
			return t
		}
	}
	t, _ := parse.ParseDate(raw, parse.ChinaTime, now)
	return t
}

// load decodes and parses a page and returns it with the URL that its
// relative links resolve against: <base href> if present, else pageURL.
func load(body []byte, contentType, pageURL string) (*goquery.Document, string, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(parse.ToUTF8(body, contentType)))
	if err != nil {
		return nil, "", fmt.Errorf("html: unable to parse page: %w", err)
	}
	base := pageURL
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if p, err := url.Parse(pageURL); err == nil {
			if b, err := p.Parse(strings.TrimSpace(href)); err == nil && (b.Scheme == "http" || b.Scheme == "https") {
				base = b.String()
			}
		}
	}
	return doc, base, nil
}

// feedTypes are the link types that name a feed.
var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/json":      true,
	"application/rdf+xml":   true,
}

// Discover returns the feeds a page announces with <link rel="alternate"
// type="application/rss+xml"> (or atom+xml, feed+json, json, rdf+xml), as
// absolute http(s) URLs in document order, without duplicates.
func Discover(body []byte, contentType, pageURL string) []string {
	doc, base, err := load(body, contentType, pageURL)
	if err != nil {
		return nil
	}
	b, err := url.Parse(base)
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	doc.Find("link[href]").Each(func(_ int, s *goquery.Selection) {
		if !hasToken(s.AttrOr("rel", ""), "alternate") {
			return
		}
		mt, _, err := mime.ParseMediaType(s.AttrOr("type", ""))
		if err != nil || !feedTypes[mt] {
			return
		}
		u, err := b.Parse(strings.TrimSpace(s.AttrOr("href", "")))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return
		}
		u.Fragment, u.RawFragment = "", ""
		link := u.String()
		if store.CleanLine(link, 0) != link || seen[link] {
			return
		}
		seen[link] = true
		out = append(out, link)
	})
	return out
}

func hasToken(list, token string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, token) {
			return true
		}
	}
	return false
}
