package parse

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// prescanLen is how far into a document the XML declaration and an HTML
// <meta> charset are looked for, as in the WHATWG prescan.
const prescanLen = 1024

var xmlEncoding = regexp.MustCompile(`^<\?xml[^>]*?\sencoding\s*=\s*["']\s*([A-Za-z0-9._:-]+)\s*["']`)

// ToUTF8 decodes body to UTF-8. The encoding comes from, in order: a byte
// order mark, the charset parameter of contentType (the HTTP header wins
// over the document, RFC 7303), the encoding in the XML declaration, and an
// HTML <meta> charset in the first 1024 bytes; else UTF-8. Labels follow
// the WHATWG Encoding Standard, so gb2312 decodes as GBK and ISO-8859-1 as
// windows-1252. Bytes invalid in the encoding become U+FFFD and the BOM is
// dropped. The result may share memory with body.
func ToUTF8(body []byte, contentType string) []byte {
	enc, bomLen := detect(body, contentType)
	body = body[bomLen:]
	if enc != nil {
		if out, _, err := transform.Bytes(enc.NewDecoder(), body); err == nil {
			body = out
		}
	}
	if !utf8.Valid(body) {
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	return body
}

// detect returns the encoding of body, nil for UTF-8, and the length of
// its byte order mark.
func detect(body []byte, contentType string) (encoding.Encoding, int) {
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return nil, 3
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), 2
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), 2
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if enc, ok := lookup(params["charset"]); ok {
			return enc, 0
		}
	}
	head := body[:min(len(body), prescanLen)]
	head = bytes.TrimLeft(head, " \t\r\n")
	if m := xmlEncoding.FindSubmatch(head); m != nil {
		if enc, ok := lookup(string(m[1])); ok {
			return enc, 0
		}
	}
	if label := metaCharset(head); label != "" {
		if enc, ok := lookup(label); ok {
			return enc, 0
		}
	}
	return nil, 0
}

// lookup finds the encoding for a label; UTF-8 is (nil, true). A UTF-16
// label without a BOM is taken as UTF-8, as WHATWG does for <meta>: the
// document could not have been read that far otherwise.
func lookup(label string) (encoding.Encoding, bool) {
	if label == "" {
		return nil, false
	}
	enc, name := charset.Lookup(label)
	if enc == nil {
		return nil, false
	}
	if name == "utf-8" || strings.HasPrefix(name, "utf-16") {
		return nil, true
	}
	return enc, true
}

// metaCharset finds <meta charset> or <meta http-equiv="Content-Type"
// content="...; charset=..."> in head.
func metaCharset(head []byte) string {
	if !bytes.Contains(bytes.ToLower(head), []byte("<meta")) {
		return ""
	}
	z := html.NewTokenizer(bytes.NewReader(head))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "meta" || !hasAttr {
				continue
			}
			var cs, content string
			var httpEquiv bool
			for {
				k, v, more := z.TagAttr()
				switch string(k) {
				case "charset":
					cs = string(v)
				case "http-equiv":
					httpEquiv = strings.EqualFold(string(v), "content-type")
				case "content":
					content = string(v)
				}
				if !more {
					break
				}
			}
			if cs != "" {
				return cs
			}
			if httpEquiv {
				if _, params, err := mime.ParseMediaType(content); err == nil && params["charset"] != "" {
					return params["charset"]
				}
			}
		}
	}
}
