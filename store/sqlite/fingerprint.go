// The write path's fingerprint: an item's hash, which tells an unchanged
// item from a changed one.

package sqlite

import (
	"strconv"

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

// itemHash fingerprints what saveItems writes of an item, so that a
// re-fetch of an unchanged item costs no write at all. The bytes hashed
// are fixed: stored fingerprints must stay comparable across versions.
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
