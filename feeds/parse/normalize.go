package parse

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aiwatch/aiwatch/store"
)

// Bounds on item fields, in bytes, after cleaning.
const (
	MaxTitle   = 1 << 10
	MaxSummary = 16 << 10
	MaxContent = 256 << 10
	MaxAuthor  = 256
	MaxURL     = 4 << 10
	// MaxKey bounds a key; a longer GUID is replaced by its hash.
	MaxKey = 512
	// FutureSlack is how far past now a date may be before it is clamped
	// to now: clocks and zones are often a little off.
	FutureSlack = 10 * time.Minute

	// derivedTitleLen bounds a title taken from the summary.
	derivedTitleLen = 200
	// inputFactor bounds how much HTML is read for a field: markup is
	// usually far less than this many times the text.
	inputFactor = 8
)

// Normalize makes items from any source safe and uniform, in place of
// what each format gets wrong. It treats Title, Summary, Content and
// Author as HTML (callers holding plain text escape it with
// html.EscapeString) and turns them into plain text: titles and authors
// lose known tags and decode entities; summary and content keep paragraphs
// and line breaks. Every field goes through store.CleanLine or
// store.CleanBody and is bounded (MaxTitle, MaxSummary, MaxContent,
// MaxAuthor). A missing title is taken from the start of the summary or
// content. URLs are resolved against baseURL and kept only if http(s).
// Published falls back to Updated, then to now; dates more than
// FutureSlack ahead become now; Fetched is set to now when zero. Lang is
// the item's, else feedLang, else guessed from the script (DetectLang).
// Key is the item's own (a GUID), else the URL without its fragment, else
// "sha256:" and a hash of title, date and text. Items whose key was seen
// before in the slice are dropped: the first one wins.
//
// Normalize is meant to run once per item; it is not idempotent for text
// that still holds entities after the first pass.
func Normalize(items []store.Item, feedLang, baseURL string, now time.Time) []store.Item {
	base := absURL(baseURL)
	feedLang = CanonicalLang(feedLang)
	out := make([]store.Item, 0, len(items))
	seen := make(map[string]struct{}, len(items))
	for _, it := range items {
		it = normalizeItem(it, feedLang, base, now)
		if _, dup := seen[it.Key]; dup {
			continue
		}
		seen[it.Key] = struct{}{}
		out = append(out, it)
	}
	return out
}

func normalizeItem(it store.Item, feedLang string, base *url.URL, now time.Time) store.Item {
	it.Title = store.CleanLine(inlineText(head(it.Title, inputFactor*MaxTitle)), MaxTitle)
	it.Summary = store.CleanBody(blockText(head(it.Summary, inputFactor*MaxSummary)), MaxSummary)
	it.Content = store.CleanBody(blockText(head(it.Content, inputFactor*MaxContent)), MaxContent)
	it.Author = store.CleanLine(inlineText(head(it.Author, inputFactor*MaxAuthor)), MaxAuthor)
	if it.Title == "" {
		it.Title = deriveTitle(it.Summary, it.Content)
	}

	var canonical string
	it.URL, canonical = cleanURL(it.URL, base)

	if it.Lang = CanonicalLang(it.Lang); it.Lang == "" {
		it.Lang = feedLang
	}
	if it.Lang == "" {
		it.Lang = DetectLang(it.Title + " " + head(it.Summary, 2048))
	}

	it.Published = clamp(it.Published, now)
	it.Updated = clamp(it.Updated, now)
	dated := it.Published
	if dated.IsZero() {
		dated = it.Updated
	}

	it.Key = store.CleanLine(it.Key, 0)
	switch {
	case it.Key == "":
		it.Key = canonical
	case len(it.Key) > MaxKey:
		it.Key = hashKey(it.Key)
	}
	if it.Key == "" {
		it.Key = contentKey(it.Title, dated, it.Summary, it.Content)
	}

	if it.Published.IsZero() {
		it.Published = dated
	}
	if it.Published.IsZero() {
		it.Published, it.Undated = now, true
	}
	if it.Fetched.IsZero() {
		it.Fetched = now
	}
	return it
}

// head returns at most n bytes of s, on a rune boundary.
func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func clamp(t, now time.Time) time.Time {
	if !t.IsZero() && t.After(now.Add(FutureSlack)) {
		return now
	}
	return t
}

// cleanURL resolves raw against base and returns it, without userinfo,
// if it is an absolute http(s) URL, with the same URL minus its fragment
// for use as a key.
func cleanURL(raw string, base *url.URL) (link, canonical string) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > MaxURL {
		return "", ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", ""
	}
	// "https://www.bank.com:x@evil.example/" goes to evil.example: a name
	// before the host is a phishing shape, and a password has no place in
	// a stored link. The link is kept without them.
	u.User = nil
	link = u.String()
	// A URL is shown and opened as is: anything CleanLine would change
	// (controls, bidi overrides in a host) makes it unusable.
	if len(link) > MaxURL || store.CleanLine(link, 0) != link {
		return "", ""
	}
	u.Fragment, u.RawFragment = "", ""
	return link, u.String()
}

func hashKey(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:16])
}

// contentKey identifies an item with neither key nor URL by its title and
// date as written in the document, never by the fetch time, so a second
// fetch finds the same key.
func contentKey(title string, date time.Time, summary, content string) string {
	var b strings.Builder
	b.WriteString(title)
	b.WriteByte('\n')
	if !date.IsZero() {
		b.WriteString(date.UTC().Format(time.RFC3339Nano))
	}
	if title == "" || date.IsZero() {
		b.WriteByte('\n')
		b.WriteString(summary)
		if summary == "" {
			b.WriteString(head(content, 4096))
		}
	}
	return hashKey(b.String())
}

// deriveTitle takes the first line of the summary (or the content) as a
// title, cut at a word where it is long.
func deriveTitle(summary, content string) string {
	text := summary
	if text == "" {
		text = content
	}
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	text = strings.TrimPrefix(text, "• ")
	if len(text) <= derivedTitleLen {
		return store.CleanLine(text, 0)
	}
	cut := store.CleanLine(text, derivedTitleLen-len("…"))
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)*3/5 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}

// CanonicalLang returns a BCP 47 language tag in its usual case
// ("zh-cn" → "zh-CN", "en_us" → "en-US", "zh-hant-tw" → "zh-Hant-TW"), or
// "" when s is not a plausible tag.
func CanonicalLang(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 35 {
		return ""
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' })
	for i, p := range parts {
		if len(p) > 8 || strings.IndexFunc(p, func(r rune) bool {
			return r >= utf8.RuneSelf || !(unicode.IsLetter(r) || unicode.IsDigit(r))
		}) >= 0 {
			return ""
		}
		switch {
		case i == 0:
			if len(p) < 2 || len(p) > 3 && len(p) < 5 {
				return ""
			}
			p = strings.ToLower(p)
		case len(p) == 2:
			p = strings.ToUpper(p)
		case len(p) == 4:
			p = strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
		default:
			p = strings.ToLower(p)
		}
		parts[i] = p
	}
	return strings.Join(parts, "-")
}

// DetectLang guesses a language from the script of s: Han is "zh", kana
// "ja", Hangul "ko", Arabic "ar", anything else "en". A Han character
// counts as much as three Latin letters, as it carries about a word.
func DetectLang(s string) string {
	var han, kana, hangul, arabic, latin int
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if r|0x20 >= 'a' && r|0x20 <= 'z' {
				latin++
			}
		case unicode.Is(unicode.Han, r):
			han += 3
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana += 3
		case unicode.Is(unicode.Hangul, r):
			hangul += 2
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.IsLetter(r):
			latin++
		}
	}
	switch {
	case kana > 0 && kana+han >= max(latin, arabic, hangul):
		return "ja"
	case han > 0 && han >= max(latin, arabic, hangul):
		return "zh"
	case hangul > 0 && hangul >= max(latin, arabic):
		return "ko"
	case arabic > 0 && arabic >= latin:
		return "ar"
	}
	return "en"
}

// escapeText makes plain text safe to hand to Normalize.
func escapeText(s string) string {
	return html.EscapeString(s)
}
