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
)

// atomInfo holds what gofeed drops from an Atom document.
type atomInfo struct {
	title   textKind
	entries []atomEntryInfo
}

type atomEntryInfo struct {
	title, summary, content textKind
	lang                    string
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
				switch t.Name.Local {
				case "title":
					entry.title = atomKind(t)
				case "summary":
					entry.summary = atomKind(t)
				case "content":
					entry.content = atomKind(t)
				}
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

func attr(t xml.StartElement, space, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local && (a.Name.Space == space || (space == xmlNS && a.Name.Space == "xml")) {
			return a.Value
		}
	}
	return ""
}
