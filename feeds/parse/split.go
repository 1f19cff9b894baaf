package parse

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// A large XML document is parsed in parts so that gofeed, which reads a
// whole document at once, can run on several cores and hand out items
// while later ones are still being read. splitXML finds where the parts
// begin; a part's document is the bytes before the first item (the head:
// the root element, namespaces, xml:base, the DOCTYPE and the channel's
// metadata), a run of items, and the bytes after the last item (the
// tail: closing tags and trailing channel elements).

// maxSplitDepth is the deepest nesting splitXML follows; deeper documents
// are parsed whole.
const maxSplitDepth = 1024

// rootKind is the format a document's root element announces.
type rootKind uint8

const (
	rootNone rootKind = iota
	rootRSS           // <rss> or <rdf:RDF>: items are <item>
	rootAtom          // <feed>: items are <entry>
)

// splitXML finds the top-level items of an RSS, RDF or Atom document as
// gofeed reads it (after ToUTF8 and prepareXML) and cuts them into runs
// of per items. It returns the cuts: the start of the first item of each
// run, then the end of the last item; run k is doc[cuts[k]:cuts[k+1]].
// n is the number of top-level items.
//
// A top-level item is an element whose local name is "item" (in any case,
// as gofeed matches names) and whose parent is the root <rss> or
// <rdf:RDF>, or a <channel> directly under it; or an <entry> whose parent
// is the root <feed>. The scanner follows the nesting of elements with a
// stack of names, skipping comments, CDATA sections, processing
// instructions and a DOCTYPE before the root, and reads start tags
// attribute by attribute so that a ">" in a quoted value does not end
// them. It stops at the end of the root element: gofeed reads nothing
// after it.
//
// ok is false, and the document must be parsed whole, when a part could
// read differently from the same bytes in the whole document, or the
// scanner is unsure of the structure: a construct that does not end, an
// end tag that does not match its start tag, a DOCTYPE inside the root,
// other directives, an <?xml?> declaration (it would switch the charset
// for the rest of the document), attributes without a quoted value (which
// encoding/xml accepts outside strict mode), nesting deeper than
// maxSplitDepth, a root that is not a feed, no items, items under more
// than one parent, an element other than an item between two items (it
// may be channel metadata, which every part must see), or, in Atom, an
// entry that is not written <entry> or that sets the default namespace
// (scanAtom must count the same entries as gofeed in every part).
func splitXML(doc []byte, per int) (cuts []int, n int, ok bool) {
	if per < 1 {
		per = 1
	}
	var (
		stack     []openElem
		kind      rootKind
		parent    = -1 // start of the element that holds the items
		itemDepth int  // depth of the item being read, or 0
		lastEnd   int  // end of the last item read
		between   bool // an element other than an item after the first item
	)
	i := 0
	for i < len(doc) {
		lt := bytes.IndexByte(doc[i:], '<')
		if lt < 0 {
			break
		}
		i += lt
		if i+1 >= len(doc) {
			return nil, 0, false
		}
		switch c := doc[i+1]; {
		case c == '/':
			j := i + 2
			ns, ne := j, scanName(doc, j)
			if ne == ns || len(stack) == 0 {
				return nil, 0, false
			}
			j = skipSpace(doc, ne)
			if j >= len(doc) || doc[j] != '>' {
				return nil, 0, false
			}
			top := stack[len(stack)-1]
			if !bytes.Equal(doc[ns:ne], doc[top.nameStart:top.nameEnd]) {
				return nil, 0, false
			}
			i = j + 1
			if len(stack) == itemDepth {
				lastEnd, itemDepth = i, 0
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				// The end of the root: gofeed stops here.
				if n == 0 {
					return nil, 0, false
				}
				return append(cuts, lastEnd), n, true
			}
		case c == '?':
			j := i + 2
			ne := scanName(doc, j)
			if ne == j || bytes.EqualFold(doc[j:ne], []byte("xml")) {
				return nil, 0, false
			}
			end := bytes.Index(doc[ne:], []byte("?>"))
			if end < 0 {
				return nil, 0, false
			}
			i = ne + end + 2
		case c == '!':
			rest := doc[i+2:]
			switch {
			case bytes.HasPrefix(rest, []byte("--")):
				// encoding/xml ends a comment at the first "--", which
				// must be followed by ">".
				end := bytes.Index(rest[2:], []byte("--"))
				if end < 0 || i+4+end+2 >= len(doc) || doc[i+4+end+2] != '>' {
					return nil, 0, false
				}
				i += 4 + end + 3
			case bytes.HasPrefix(rest, []byte("[CDATA[")):
				end := bytes.Index(rest[7:], []byte("]]>"))
				if end < 0 {
					return nil, 0, false
				}
				i += 9 + end + 3
			case bytes.HasPrefix(rest, []byte("DOCTYPE")) && len(stack) == 0:
				end := skipDirective(doc, i+2+len("DOCTYPE"))
				if end < 0 {
					return nil, 0, false
				}
				i = end
			default:
				return nil, 0, false
			}
		default:
			ns, ne := i+1, scanName(doc, i+1)
			if ne == ns {
				return nil, 0, false
			}
			end, empty, xmlns, good := scanAttrs(doc, ne)
			if !good {
				return nil, 0, false
			}
			depth := len(stack) + 1
			name := doc[ns:ne]
			local := xmlLocal(name)
			switch {
			case depth == 1:
				switch {
				case lowerIs(local, "rss") || lowerIs(local, "rdf"):
					kind = rootRSS
				case lowerIs(local, "feed"):
					kind = rootAtom
				default:
					return nil, 0, false
				}
			case isItem(doc, kind, local, depth, stack):
				// gofeed would read it as an item if its namespace is
				// a native one; here any element of that name counts.
				p := stack[depth-2].start
				switch {
				case n == 0:
					parent = p
				case p != parent || between:
					return nil, 0, false
				}
				if kind == rootAtom && (string(name) != "entry" || xmlns) {
					return nil, 0, false
				}
				if n%per == 0 {
					cuts = append(cuts, i)
				}
				n++
				if empty {
					lastEnd = end
				} else {
					itemDepth = depth
				}
			case n > 0 && depth >= 2 && stack[depth-2].start == parent:
				between = true
			}
			if empty && depth == 1 {
				return nil, 0, false
			}
			if !empty {
				if depth > maxSplitDepth {
					return nil, 0, false
				}
				stack = append(stack, openElem{start: i, nameStart: ns, nameEnd: ne})
			}
			i = end
		}
	}
	// The root did not end.
	return nil, 0, false
}

// openElem is an element splitXML has read the start tag of: the offset
// of its "<" and of its name.
type openElem struct{ start, nameStart, nameEnd int }

// isItem reports whether an element whose local name is local, at depth
// (the root is 1) under the open elements in stack, is a top-level item.
func isItem(doc []byte, kind rootKind, local []byte, depth int, stack []openElem) bool {
	switch kind {
	case rootRSS:
		if !lowerIs(local, "item") {
			return false
		}
		if depth == 2 {
			return true
		}
		if depth == 3 {
			ch := stack[1]
			return lowerIs(xmlLocal(doc[ch.nameStart:ch.nameEnd]), "channel")
		}
	case rootAtom:
		return depth == 2 && lowerIs(local, "entry")
	}
	return false
}

// scanName returns the end of the XML name that starts at i, or i when
// there is none. Like encoding/xml, it takes ASCII letters, digits, "_",
// ":", "." and "-", and every non-ASCII byte.
func scanName(doc []byte, i int) int {
	for i < len(doc) {
		c := doc[i]
		if c < utf8.RuneSelf && !isNameByte(c) {
			break
		}
		i++
	}
	return i
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

func skipSpace(doc []byte, i int) int {
	for i < len(doc) && (doc[i] == ' ' || doc[i] == '\t' || doc[i] == '\n' || doc[i] == '\r') {
		i++
	}
	return i
}

// scanAttrs reads the attributes of a start tag from i, just after its
// name, to the ">" that ends it. It returns the offset after that ">",
// whether the tag ends "/>", and whether an attribute sets the default
// namespace. ok is false for anything but name="value" or name='value'
// pairs separated by optional white space.
func scanAttrs(doc []byte, i int) (end int, empty, xmlns, ok bool) {
	for {
		i = skipSpace(doc, i)
		if i >= len(doc) {
			return 0, false, false, false
		}
		switch doc[i] {
		case '>':
			return i + 1, false, xmlns, true
		case '/':
			if i+1 < len(doc) && doc[i+1] == '>' {
				return i + 2, true, xmlns, true
			}
			return 0, false, false, false
		}
		ne := scanName(doc, i)
		if ne == i {
			return 0, false, false, false
		}
		if string(doc[i:ne]) == "xmlns" {
			xmlns = true
		}
		i = skipSpace(doc, ne)
		if i >= len(doc) || doc[i] != '=' {
			return 0, false, false, false
		}
		i = skipSpace(doc, i+1)
		if i >= len(doc) || (doc[i] != '"' && doc[i] != '\'') {
			return 0, false, false, false
		}
		q := bytes.IndexByte(doc[i+1:], doc[i])
		if q < 0 {
			return 0, false, false, false
		}
		i += 1 + q + 1
	}
}

// skipDirective returns the offset after the ">" that ends the directive
// (such as a DOCTYPE) whose body starts at i, or -1. It follows
// encoding/xml: the directive ends at the first ">" outside quotes that
// closes no "<" of its own, and comments inside it are skipped.
func skipDirective(doc []byte, i int) int {
	var quote byte
	depth := 0
	for i < len(doc) {
		b := doc[i]
		i++
		if quote == 0 && b == '>' && depth == 0 {
			return i
		}
		for again := true; again; {
			again = false
			switch {
			case b == quote:
				quote = 0
			case quote != 0:
			case b == '\'' || b == '"':
				quote = b
			case b == '>':
				depth--
			case b == '<':
				// "<!--" starts a comment; any other "<" nests, and the
				// byte that broke the match is read again.
				for _, want := range []byte("!--") {
					if i >= len(doc) {
						return -1
					}
					b = doc[i]
					i++
					if b != want {
						depth++
						again = true
						break
					}
				}
				if !again {
					end := bytes.Index(doc[i:], []byte("-->"))
					if end < 0 {
						return -1
					}
					i += end + 3
				}
			}
		}
	}
	return -1
}

// xmlLocal returns name without its prefix, as encoding/xml splits it:
// at a colon with text on both sides, when there is only one.
func xmlLocal(name []byte) []byte {
	c := bytes.IndexByte(name, ':')
	if c <= 0 || c == len(name)-1 || bytes.IndexByte(name[c+1:], ':') >= 0 {
		return name
	}
	return name[c+1:]
}

// lowerIs reports whether strings.ToLower(name) is want, as gofeed
// compares element names; want is lower-case ASCII.
func lowerIs(name []byte, want string) bool {
	if len(name) != len(want) {
		// A non-ASCII letter may lower to an ASCII one (U+0130 to "i").
		for _, c := range name {
			if c >= utf8.RuneSelf {
				return strings.ToLower(string(name)) == want
			}
		}
		return false
	}
	for i, c := range name {
		if c >= utf8.RuneSelf {
			return strings.ToLower(string(name)) == want
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != want[i] {
			return false
		}
	}
	return true
}
