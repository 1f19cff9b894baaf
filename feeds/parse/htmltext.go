package parse

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// knownTag reports whether name is an HTML element, also behind a
// namespace prefix ("xhtml:div"). Titles keep unknown "tags" as text:
// "Moore Threads <MUSA> SDK" is a title, not markup.
func knownTag(name []byte) bool {
	if atom.Lookup(name) != 0 {
		return true
	}
	for i, c := range name {
		if c == ':' {
			return atom.Lookup(name[i+1:]) != 0
		}
	}
	return false
}

// dropContent lists elements whose content is not text for a reader.
var dropContent = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "head": true,
	"svg": true, "math": true, "iframe": true, "select": true, "textarea": true,
}

// An <object>'s content is the fallback a browser shows in its place, and
// is kept: "safe<object …> description" reads "safe description".

// Block elements: the first group starts a paragraph, the second a line.
var (
	paragraphTags = map[string]bool{
		"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"blockquote": true, "pre": true, "ul": true, "ol": true, "dl": true, "table": true,
		"figure": true, "section": true, "article": true, "header": true, "footer": true,
		"aside": true, "nav": true, "main": true, "address": true, "details": true,
		"hr": true, "form": true, "fieldset": true,
	}
	lineTags = map[string]bool{
		"br": true, "div": true, "li": true, "dt": true, "dd": true, "tr": true,
		"figcaption": true, "summary": true, "caption": true, "center": true,
	}
)

// localName strips a namespace prefix from a tag name.
func localName(name []byte) string {
	for i, c := range name {
		if c == ':' {
			return string(name[i+1:])
		}
	}
	return string(name)
}

// inlineText turns an HTML fragment into one line of text: known tags go,
// unknown ones stay as written, script and style content goes, entities
// are decoded. Whitespace is left for CleanLine to collapse.
func inlineText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	if !strings.Contains(s, "<") {
		return html.UnescapeString(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	z := html.NewTokenizer(strings.NewReader(s))
	consumed := 0
	skip := ""
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		consumed += len(raw)
		switch tt {
		case html.TextToken:
			if skip == "" {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			if !knownTag(name) {
				if skip == "" {
					b.Write(raw)
				}
				continue
			}
			n := localName(name)
			switch {
			case tt == html.StartTagToken && dropContent[n] && skip == "":
				skip = n
			case tt == html.EndTagToken && n == skip:
				skip = ""
			case paragraphTags[n] || lineTags[n]:
				b.WriteByte(' ')
			}
		}
	}
	// The tokenizer drops a tag cut off by the end of input ("a <b c");
	// in a title that is text.
	if consumed < len(s) && skip == "" {
		b.WriteString(html.UnescapeString(s[consumed:]))
	}
	return b.String()
}

// hasMarkup reports whether s holds something that looks like a tag,
// comment or doctype.
func hasMarkup(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0 && i+1 < len(s); {
		c := s[i+1]
		if c == '/' || c == '!' || (c|0x20 >= 'a' && c|0x20 <= 'z') {
			return true
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// blockText turns HTML into readable plain text: paragraphs and headings
// are separated by a blank line, <br>, <div> and list items start a line,
// list items get a bullet, whitespace inside text collapses as a browser
// would (except in <pre>), script and style content goes and entities are
// decoded. Text without markup is only entity-decoded, so its newlines
// survive.
func blockText(s string) string {
	if !hasMarkup(s) {
		if strings.IndexByte(s, '&') < 0 {
			return s
		}
		return html.UnescapeString(s)
	}
	w := textWriter{}
	w.b.Grow(len(s))
	z := html.NewTokenizer(strings.NewReader(s))
	skip := ""
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return w.b.String()
		case html.TextToken:
			if skip == "" {
				w.text(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			n := localName(name)
			if skip != "" {
				if tt == html.EndTagToken && n == skip {
					skip = ""
				}
				continue
			}
			if tt == html.StartTagToken && dropContent[n] {
				skip = n
				continue
			}
			switch {
			case paragraphTags[n]:
				w.breakLines(2)
			case lineTags[n]:
				w.breakLines(1)
			case n == "td" || n == "th":
				w.space = true
			}
			switch {
			case n == "pre" && tt == html.StartTagToken:
				w.pre++
			case n == "pre" && tt == html.EndTagToken && w.pre > 0:
				w.pre--
			case n == "li" && tt == html.StartTagToken:
				w.prefix = "• "
			}
		}
	}
}

// textWriter collects text with lazily written separators, so that empty
// elements leave no blank lines behind.
type textWriter struct {
	b      strings.Builder
	nl     int    // newlines wanted before the next text
	space  bool   // a space wanted before the next text
	prefix string // written at the start of the next line of text
	pre    int    // depth of <pre>
}

func (w *textWriter) breakLines(n int) {
	w.nl = max(w.nl, n)
	w.space = false
}

func (w *textWriter) text(t []byte) {
	for _, c := range t {
		if w.pre == 0 && (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
			w.space = true
			continue
		}
		if w.nl > 0 {
			if w.b.Len() > 0 {
				for range w.nl {
					w.b.WriteByte('\n')
				}
			}
			w.nl, w.space = 0, false
		} else if w.space {
			if w.b.Len() > 0 {
				w.b.WriteByte(' ')
			}
			w.space = false
		}
		if w.prefix != "" {
			w.b.WriteString(w.prefix)
			w.prefix = ""
		}
		w.b.WriteByte(c)
	}
}
