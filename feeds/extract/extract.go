// Package extract finds the main text of a web page: its title, byline,
// date and language, the text as paragraphs with headings marked, and the
// links in that text. go-trafilatura finds the text; this package reads
// the page's bytes into it and renders what it found as plain text.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/aiwatch/aiwatch/feeds/parse"
	"github.com/aiwatch/aiwatch/store"
)

// Sentinel errors that callers branch on.
var (
	// ErrNotHTML means the page is not an HTML document.
	ErrNotHTML = errors.New("not an HTML page")
	// ErrNoText means no main text was found: a paywall, a page drawn by
	// script, or a page with no article on it.
	ErrNoText = errors.New("no article text on the page (paywall or script-only page?)")
)

// Limits on what an article keeps.
const (
	// MaxText bounds an article's text, in bytes.
	MaxText = 1 << 20
	// MaxLinks bounds how many links an article lists.
	MaxLinks = 500
	// maxElements and maxPageText bound what go-trafilatura is given:
	// its time grows with the square of a page's text (60,000 short
	// paragraphs, 6 MB, took 98 s and 1.9 GB). The benchmark's 181 real
	// pages have at most 1,587 elements and 102 KB of text; a page past
	// either bound is cut there, and its article ends with a note.
	maxElements = 10_000
	maxPageText = 256 << 10
	// minWords is how many words a page's main text needs to count as an
	// article; fewer is a teaser, a login wall or a cookie notice.
	minWords = 15
)

// Extract reads the main text of the HTML page body. contentType is the
// HTTP Content-Type ("" for a file: the bytes decide), and pageURL the
// page's address, against which relative links are resolved ("" if
// unknown). The text and every line of metadata are cleaned for the
// terminal. It returns errors wrapping ErrNotHTML and ErrNoText.
func Extract(body []byte, contentType, pageURL string) (store.Article, error) {
	if !isHTML(body, contentType) {
		return store.Article{}, fmt.Errorf("extract: unable to read the page: %w", ErrNotHTML)
	}
	doc, err := html.Parse(bytes.NewReader(parse.ToUTF8(body, contentType)))
	if err != nil {
		return store.Article{}, fmt.Errorf("extract: unable to parse the page: %w", err)
	}
	cut := trimDocument(doc, maxElements, maxPageText)
	opts := trafilatura.Options{
		// FavorRecall measured best on the benchmark pages (see
		// extract_test.go): a missed paragraph is worse in a reader than a
		// stray line.
		Focus:           trafilatura.FavorRecall,
		ExcludeComments: true,
		IncludeLinks:    true,
		HtmlDateMode:    trafilatura.Fast,
	}
	base, _ := url.Parse(pageURL)
	if base != nil && (base.Scheme == "http" || base.Scheme == "https") {
		opts.OriginalURL = base
	} else {
		base = nil
	}
	res, err := trafilatura.ExtractDocument(doc, opts)
	if err != nil || res == nil || res.ContentNode == nil {
		return store.Article{}, fmt.Errorf("extract: unable to find the main text: %w", ErrNoText)
	}
	r := renderer{base: base, seen: map[string]bool{}}
	r.block(res.ContentNode)
	r.flush()
	if cut {
		r.paras = append(r.paras, "[…] (the page goes on; aiwatch reads the first part of a very long page)")
	}
	text := store.CleanBody(strings.Join(r.paras, "\n\n"), MaxText)
	if words(text) < minWords {
		return store.Article{}, fmt.Errorf("extract: unable to find the main text: %w", ErrNoText)
	}
	m := res.Metadata
	a := store.Article{
		URL:    pageURL,
		Title:  store.CleanLine(m.Title, 1000),
		Byline: store.CleanLine(m.Author, 300),
		Lang:   store.CleanLine(m.Language, 20),
		Text:   text,
		Links:  r.links,
	}
	if a.Lang == "" {
		a.Lang = store.CleanLine(htmlLang(doc), 20)
	}
	if !m.Date.IsZero() {
		a.Published = m.Date.UTC()
	}
	return a, nil
}

// trimDocument cuts doc after its first maxElements elements or
// maxText bytes of text outside scripts and styles, whichever comes
// first, and reports whether it cut anything.
func trimDocument(doc *html.Node, maxElements, maxText int) bool {
	elements, text := 0, 0
	var cutAt *html.Node
	var walk func(n *html.Node, hidden bool) bool
	walk = func(n *html.Node, hidden bool) bool {
		switch n.Type {
		case html.ElementNode:
			elements++
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				hidden = true
			}
		case html.TextNode:
			if !hidden {
				text += len(n.Data)
			}
		}
		if elements > maxElements || text > maxText {
			cutAt = n
			return false
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c, hidden) {
				return false
			}
		}
		return true
	}
	if walk(doc, false) {
		return false
	}
	// Drop the node where the budget ran out and everything after it.
	for n := cutAt; n != nil && n.Parent != nil; n = n.Parent {
		for n.NextSibling != nil {
			n.Parent.RemoveChild(n.NextSibling)
		}
	}
	cutAt.Parent.RemoveChild(cutAt)
	return true
}

// isHTML reports whether body is an HTML page: by its Content-Type when
// there is one, else by sniffing its first bytes.
func isHTML(body []byte, contentType string) bool {
	if contentType != "" {
		mt, _, err := mime.ParseMediaType(contentType)
		if err == nil {
			return mt == "text/html" || mt == "application/xhtml+xml"
		}
	}
	sniff := http.DetectContentType(body)
	if strings.HasPrefix(sniff, "text/html") {
		return true
	}
	// An XHTML page, or HTML after a long comment, sniffs as XML or text.
	head := bytes.ToLower(body[:min(len(body), 4096)])
	return (strings.HasPrefix(sniff, "text/") || strings.HasPrefix(sniff, "application/xml")) &&
		(bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<body")))
}

// htmlLang returns the lang attribute of the page's <html> element.
func htmlLang(doc *html.Node) string {
	for n := doc.FirstChild; n != nil; n = n.NextSibling {
		if n.Type == html.ElementNode && n.DataAtom == atom.Html {
			for _, a := range n.Attr {
				if strings.EqualFold(a.Key, "lang") {
					return a.Val
				}
			}
		}
	}
	return ""
}

// words counts the runs of letters and digits in s.
func words(s string) int {
	n, in := 0, false
	for _, r := range s {
		w := r == '_' || isWordRune(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// renderer turns the extracted tree into paragraphs of plain text and a
// list of links.
type renderer struct {
	base  *url.URL
	paras []string
	cur   strings.Builder
	pre   int // depth inside <pre>
	links []store.Link
	seen  map[string]bool
	size  int
}

// blockTags start and end a paragraph.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true, atom.Body: true,
	atom.Blockquote: true, atom.Pre: true, atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true,
	atom.Dt: true, atom.Dd: true, atom.Table: true, atom.Tr: true, atom.Figure: true, atom.Figcaption: true,
	atom.Details: true, atom.Summary: true, atom.Hr: true, atom.Header: true, atom.Footer: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
}

var headingLevel = map[atom.Atom]int{atom.H1: 1, atom.H2: 2, atom.H3: 3, atom.H4: 4, atom.H5: 5, atom.H6: 6}

func (r *renderer) block(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.node(c)
	}
}

func (r *renderer) node(n *html.Node) {
	if r.size > MaxText {
		return
	}
	switch n.Type {
	case html.TextNode:
		r.text(n.Data)
		return
	case html.ElementNode:
	default:
		return
	}
	// go-trafilatura builds some elements by name alone, without an atom.
	tag := n.DataAtom
	if tag == 0 {
		tag = atom.Lookup([]byte(strings.ToLower(n.Data)))
	}
	switch tag {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head:
		return
	case atom.Br:
		r.cur.WriteByte('\n')
		return
	case atom.Td, atom.Th:
		r.space()
		r.block(n)
		r.space()
		return
	case atom.A:
		start := r.cur.Len()
		r.block(n)
		r.link(n, strings.TrimSpace(r.cur.String()[start:]))
		return
	}
	if !blockTags[tag] {
		r.block(n)
		return
	}
	r.flush()
	if lvl := headingLevel[tag]; lvl > 0 {
		r.cur.WriteString(strings.Repeat("#", lvl) + " ")
	}
	if tag == atom.Li {
		r.cur.WriteString("- ")
	}
	if tag == atom.Pre {
		r.pre++
		defer func() { r.pre-- }()
	}
	r.block(n)
	r.flush()
}

// text appends a text node, its whitespace collapsed outside <pre>.
func (r *renderer) text(s string) {
	if r.pre > 0 {
		r.cur.WriteString(s)
		return
	}
	if s == "" {
		return
	}
	lead := isSpace(s[0])
	f := strings.Fields(s)
	if len(f) == 0 {
		r.space()
		return
	}
	if lead || r.gap(f[0]) {
		r.space()
	}
	r.cur.WriteString(strings.Join(f, " "))
	if isSpace(s[len(s)-1]) {
		r.space()
	}
}

// gap reports whether a space belongs between the paragraph so far and
// the next text, next. go-trafilatura trims the white space around the
// elements it keeps, so "said <a>Huawei</a> (the firm)" comes back as
// "said", "Huawei", "(the firm)". A space goes back between words, and
// after closing punctuation; none goes before a comma or an apostrophe,
// nor beside CJK text, which has no spaces.
func (r *renderer) gap(next string) bool {
	s := r.cur.String()
	if s == "" {
		return false
	}
	p, _ := utf8.DecodeLastRuneInString(s)
	q, _ := utf8.DecodeRuneInString(next)
	if isCJK(p) || isCJK(q) {
		return false
	}
	after := isWordRune(p) || strings.ContainsRune(".,;:!?)]\u201d\u2019\"", p)
	before := isWordRune(q) || strings.ContainsRune("([\u201c\u2018\"", q)
	return after && before
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' }

// space adds one space unless the paragraph is empty or already ends in
// white space.
func (r *renderer) space() {
	s := r.cur.String()
	if s == "" {
		return
	}
	if c := s[len(s)-1]; c != ' ' && c != '\n' {
		r.cur.WriteByte(' ')
	}
}

// flush ends the current paragraph.
func (r *renderer) flush() {
	p := strings.TrimSpace(r.cur.String())
	r.cur.Reset()
	if p == "" || p == "-" || strings.Trim(p, "#") == "" {
		return
	}
	if r.pre == 0 {
		// Lines of a paragraph broken by <br> lose their edge spaces.
		lines := strings.Split(p, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimSpace(l)
		}
		p = strings.Join(lines, "\n")
	}
	r.paras = append(r.paras, p)
	r.size += len(p) + 2
}

// link records an <a>'s target, made absolute, once.
func (r *renderer) link(n *html.Node, text string) {
	if len(r.links) >= MaxLinks {
		return
	}
	var href string
	for _, a := range n.Attr {
		if a.Key == "href" {
			href = strings.TrimSpace(a.Val)
		}
	}
	u, err := url.Parse(href)
	if href == "" || err != nil {
		return
	}
	if r.base != nil {
		u = r.base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return // javascript:, mailto:, and relative links without a base
	}
	s := u.String()
	if r.seen[s] || !utf8.ValidString(s) {
		return
	}
	r.seen[s] = true
	r.links = append(r.links, store.Link{Text: store.CleanLine(text, 300), URL: store.CleanLine(s, 2000)})
}
