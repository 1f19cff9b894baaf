package store

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The story rule: when two items from different feeds are one story.
//
// An item saved from feed F joins the story of an item already stored
// from another feed when either
//
//   - their links have the same StoryLink key (the canonical link with
//     tracking parameters dropped), at any distance in time; or
//   - their titles have the same StoryTitle key (the folded title's
//     letters and digits, long enough to tell stories apart), and both
//     it and the story's earliest copy are published within StoryWindow
//     of each other;
//
// and the story holds no copy from F yet (a feed's own items are never
// merged). The link rule is tried first. A story's copies never split,
// and two stories never merge: an item joins at most one.

// StoryWindow is how far apart in publication two copies of a story
// found by their titles may be.
const StoryWindow = 72 * time.Hour

// MinStoryTitle is the least weight of a StoryTitle key: a letter or
// digit weighs 1, a Chinese, Japanese or Korean character 2. Shorter
// titles ("Market wrap", "快讯") are too common to say two items are
// one story.
const MinStoryTitle = 24

// TrackingParams are the query parameters StoryLink drops besides any
// whose name starts with "utm_" (names compared without case): click
// identifiers (Google, Microsoft, Meta, Yandex, X, TikTok, LinkedIn,
// Instagram), mail and marketing campaign tags (Mailchimp, HubSpot,
// Marketo, Adobe, AT Internet, Openstat, Olytics, Vero, Microsoft
// Start), Google Analytics' linker, and the Chinese platforms' share and
// position tags (Alibaba's spm and scm, Bilibili's spm_id_from,
// vd_source and share_*).
var TrackingParams = []string{
	"fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
	"li_fat_id", "igshid", "igsh", "fb_action_ids", "fb_action_types", "fb_ref", "fb_source",
	"mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "sc_cid", "at_campaign", "at_medium", "xtor",
	"_openstat", "oly_anon_id", "oly_enc_id", "vero_id", "ocid", "cmpid", "_ga", "_gl",
	"spm", "scm", "spm_id_from", "vd_source", "share_source", "share_medium", "share_from", "share_token",
}

// StoryLink returns the canonical form of a link for the story rule, or
// "" for a link that cannot name a story: not http(s), no host, or a
// site's home page (no path and no query left).
//
// The canonical form is the host, lower-cased, without "www." and
// without the scheme's default port; the path as written, without a
// trailing "/"; and the query's parameters, tracking ones (utm_* and
// TrackingParams) dropped, sorted. The scheme (http or https) and the
// fragment do not count.
func StoryLink(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return ""
	}
	host := strings.ToLower(u.Host)
	if port := u.Port(); port == "80" || port == "443" || (port == "" && strings.HasSuffix(host, ":")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	host = strings.TrimPrefix(host, "www.")
	if host == "" { // "http://:", "http://www.": no host after all
		return ""
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	var kept []string
	for _, kv := range strings.Split(u.RawQuery, "&") {
		if kv == "" {
			continue
		}
		name, _, _ := strings.Cut(kv, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if isTracking(strings.ToLower(name)) {
			continue
		}
		kept = append(kept, kv)
	}
	if path == "" && len(kept) == 0 {
		return ""
	}
	slices.Sort(kept)
	key := host + path
	if len(kept) > 0 {
		key += "?" + strings.Join(kept, "&")
	}
	return key
}

func isTracking(name string) bool {
	return strings.HasPrefix(name, "utm_") || slices.Contains(TrackingParams, name)
}

// StoryTitle returns a title's key for the story rule, or "" when the
// title is too short to tell stories apart (see MinStoryTitle). The key
// is the title folded by the alias rule (FoldAlias: NFKC, case folding,
// Arabic letter folding, Chinese in simplified script), keeping only its
// letters and digits: spaces, punctuation, symbols and marks do not
// count, so "Huawei's new chip — report" and "HUAWEI'S NEW CHIP: REPORT"
// are one title, and so are 華為發布 and 华为发布. Nothing is translated:
// an English and a Chinese headline of one event are two stories.
func StoryTitle(title string) string {
	if len(title) < MinStoryTitle {
		return "" // no character weighs more than its bytes
	}
	folded := FoldAlias(title, false)
	var b strings.Builder
	b.Grow(len(folded))
	weight := 0
	for _, r := range folded {
		switch {
		case r < utf8.RuneSelf:
			// Folded: no upper case is left.
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
				continue
			}
			b.WriteByte(byte(r))
			weight++
			continue
		case !unicode.IsLetter(r) && !unicode.IsNumber(r):
			continue
		case r >= 0x1100 && wide(r):
			weight++
		}
		b.WriteRune(r)
		weight++
	}
	if weight < MinStoryTitle {
		return ""
	}
	return b.String()
}

// wide reports whether r is a Chinese, Japanese or Korean character,
// which carries about a word.
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}
