// The write path's fingerprints: an item's hash, which tells an unchanged
// item from a changed one, and the story keys. The bytes hashed are
// store/sqlite's exactly (fingerprint.go, story.go there), so that items
// moved from a personal store keep comparable hashes and story keys.

package postgres

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aiwatch/aiwatch/store"
)

// fnv64 is FNV-1a, written out so that fingerprinting an item allocates
// nothing.
type fnv64 uint64

func newFNV() fnv64 { return 14695981039346656037 }

func (h *fnv64) str(s string) {
	x := *h
	for i := 0; i < len(s); i++ {
		x ^= fnv64(s[i])
		x *= 1099511628211
	}
	*h = x
}

func (h *fnv64) byte(c byte) {
	*h ^= fnv64(c)
	*h *= 1099511628211
}

func (h *fnv64) int(n int64) {
	var b [20]byte
	h.str(string(strconv.AppendInt(b[:0], n, 10)))
}

// itemHash fingerprints what the save writes of an item, so that a
// re-fetch of an unchanged item costs no write at all.
func itemHash(it *store.Item) int64 {
	h := newFNV()
	field := func(s string) {
		h.str(s)
		h.byte(0)
	}
	field(it.URL)
	field(it.Title)
	field(it.Summary)
	field(it.Content)
	field(it.Author)
	field(it.Lang)
	if it.Undated {
		h.int(0) // the fetch time: not part of what the feed says
	} else {
		h.int(it.Published.Unix())
	}
	h.byte(0)
	h.int(unixOrZero(it.Updated))
	h.byte(0)
	field(strconv.FormatBool(it.Sanctions))
	list := func(xs []string) {
		for i, x := range xs {
			if i > 0 {
				h.byte(',')
			}
			h.str(x)
		}
		h.byte(0)
	}
	list(it.Firms)
	list(it.Alliances)
	for _, m := range it.Mentions {
		h.str(m.Entity)
		h.byte('|')
		h.str(m.Alias)
		h.byte('|')
		h.str(string(m.Field))
		h.byte('|')
		h.int(int64(m.Start))
		h.byte('|')
		h.int(int64(m.End))
		h.byte(';')
	}
	return int64(h)
}

// storyKey hashes a story key (store.StoryLink, store.StoryTitle) for the
// link_key and title_key columns; "" hashes to 0, which means none.
func storyKey(kind byte, key string) int64 {
	if key == "" {
		return 0
	}
	h := newFNV()
	h.byte(kind)
	h.str(key)
	if h == 0 {
		h = 1
	}
	return int64(h)
}

func linkKey(link string) int64   { return storyKey('l', store.StoryLink(link)) }
func titleKey(title string) int64 { return storyKey('t', store.StoryTitle(title)) }

// unixOrZero is t in unix seconds, 0 for the zero time.
func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// timeOrZero is unixOrZero's inverse.
func timeOrZero(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// pgText returns s as PostgreSQL's TEXT takes it: valid UTF-8 without NUL
// bytes, which SQLite stores and PostgreSQL refuses. Feed text is hostile,
// and one such byte must not keep a whole feed out of the store.
func pgText(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}
