package parse

import (
	"bytes"
	"encoding/xml"
	"strings"
)

// Atom text constructs say how to read them (type="text", "html" or
// "xhtml"), but gofeed's universal feed drops the type, and a title typed
// text may hold a literal "<MUSA>" that must not be taken for a tag. This
// file recovers the types, and each entry's xml:lang, with one pass of
// encoding/xml over the document.

const (
	atom10NS = "http://www.w3.org/2005/Atom"
	atom03NS = "http://purl.org/atom/ns#"
	xmlNS    = "http://www.w3.org/XML/1998/namespace"
)

// textKind is how a text field is written.
type textKind uint8

const (
	kindHTML textKind = iota // HTML, or text that readers treat as HTML (RSS)
	kindText                 // plain text: markup characters are literal
	// kindBase64HTML and kindBase64Text are Atom 0.3's mode="base64" of a
	// type that gofeed does not decode (text/html, text/plain, xhtml).
	kindBase64HTML
	kindBase64Text
)

// atomInfo holds what gofeed drops from an Atom document.
type atomInfo struct {
	title   textKind
	entries []atomEntryInfo
}

type atomEntryInfo struct {
	title, summary, content textKind
	lang                    string
	// textLink is the entry's alternate link written as the element's
	// text instead of its href (<link rel="alternate">http://…</link>).
	textLink string
}

// scanAtom reads the types of the feed title and of each entry's title,
// summary and content, in document order, counting entries as gofeed does.
// On a syntax error it returns what it has read.
func scanAtom(doc []byte) atomInfo {
	var info atomInfo
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	depth := 0
	var entry *atomEntryInfo
	for {
		tok, err := d.Token()
		if err != nil {
			return info
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			native := t.Name.Space == "" || t.Name.Space == atom10NS || t.Name.Space == atom03NS
			switch {
			case depth == 2 && native && t.Name.Local == "entry":
				info.entries = append(info.entries, atomEntryInfo{lang: attr(t, xmlNS, "lang")})
				entry = &info.entries[len(info.entries)-1]
			case depth == 2 && native && t.Name.Local == "title":
				info.title = atomKind(t)
			case depth == 3 && native && entry != nil:
				var err error
				switch t.Name.Local {
				case "title":
					entry.title, err = textConstruct(d, t)
				case "summary":
					entry.summary, err = textConstruct(d, t)
				case "content":
					entry.content, err = textConstruct(d, t)
				case "link":
					err = linkText(d, t, entry)
				default:
					err = d.Skip()
				}
				if err != nil {
					return info
				}
				depth--
				continue
			}
			if depth >= 3 {
				// Nothing deeper matters; skipping keeps xhtml content and
				// extensions from being walked token by token.
				if err := d.Skip(); err != nil {
					return info
				}
				depth--
			}
		case xml.EndElement:
			if depth == 2 {
				entry = nil
			}
			depth--
		}
	}
}

// atomKind reads an Atom text construct's type: "html", "xhtml" and the
// Atom 0.3 media types "text/html" and "application/xhtml+xml" are markup;
// "text", "text/plain", none and anything else are text.
func atomKind(t xml.StartElement) textKind {
	if strings.Contains(strings.ToLower(attr(t, "", "type")), "html") {
		return kindHTML
	}
	return kindText
}

// textConstruct reads an entry's text construct to its end and returns
// its kind. A text-typed one that holds elements, not escaped markup
// ("<title>Example <b>Atom</b></title>"), is markup, as feedparser and
// browsers read it: its tags are not shown.
func textConstruct(d *xml.Decoder, t xml.StartElement) (textKind, error) {
	kind := atomKind(t)
	typ := strings.ToLower(strings.TrimSpace(attr(t, "", "type")))
	if strings.EqualFold(strings.TrimSpace(attr(t, "", "mode")), "base64") &&
		(typ == "text" || typ == "html" || strings.HasPrefix(typ, "text/") || strings.Contains(typ, "xhtml")) {
		if kind == kindHTML {
			return kindBase64HTML, d.Skip()
		}
		return kindBase64Text, d.Skip()
	}
	for depth := 1; ; {
		tok, err := d.Token()
		if err != nil {
			return kind, err
		}
		switch tok.(type) {
		case xml.StartElement:
			kind = kindHTML
			depth++
		case xml.EndElement:
			if depth--; depth == 0 {
				return kind, nil
			}
		}
	}
}

// linkText reads an entry's <link> to its end and keeps, as the entry's
// textLink, the text of the first alternate link that has no href.
func linkText(d *xml.Decoder, t xml.StartElement, entry *atomEntryInfo) error {
	var text struct {
		Value string `xml:",chardata"`
	}
	if err := d.DecodeElement(&text, &t); err != nil {
		return err
	}
	rel := strings.ToLower(strings.TrimSpace(attr(t, "", "rel")))
	if entry.textLink == "" && attr(t, "", "href") == "" && (rel == "" || rel == "alternate") {
		entry.textLink = strings.TrimSpace(text.Value)
	}
	return nil
}

func attr(t xml.StartElement, space, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local && (a.Name.Space == space || (space == xmlNS && a.Name.Space == "xml")) {
			return a.Value
		}
	}
	return ""
}
