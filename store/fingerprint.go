// Fingerprints every store writes the same way: an item's hash, which
// tells an unchanged item from a changed one, and the hashed story keys.
// The bytes hashed are fixed: stored fingerprints must stay comparable
// across versions and between the backends (aiwatch migrate moves items
// with theirs).

package store

import "strconv"

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

// ItemHash fingerprints what a store writes of an item, so that a
// re-fetch of an unchanged item costs no write at all. The bytes hashed
// are fixed: stored fingerprints must stay comparable across versions.
func ItemHash(it *Item) int64 {
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
	if it.Updated.IsZero() {
		h.int(0)
	} else {
		h.int(it.Updated.Unix())
	}
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

// storyKey hashes a story key (StoryLink, StoryTitle) for the stores'
// link and title key columns; "" hashes to 0, which means none. Two
// different keys share a hash with odds of about one in 2^64 a pair.
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

// LinkKey is the hashed story key of an item's link.
func LinkKey(link string) int64 { return storyKey('l', StoryLink(link)) }

// TitleKey is the hashed story key of an item's title.
func TitleKey(title string) int64 { return storyKey('t', StoryTitle(title)) }
