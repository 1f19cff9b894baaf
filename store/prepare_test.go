package store

import (
	"errors"
	"strings"
	"testing"
)

// TestPrepareChunks checks how Prepare cuts batches: at most size items
// and maxBytes of text a chunk, a larger item alone, every item once and
// in order, and the batches' error after their items.
func TestPrepareChunks(t *testing.T) {
	item := func(key string, text int) Item { return Item{Key: key, Summary: strings.Repeat("x", text)} }
	var first, second []Item
	for i := range 10 {
		first = append(first, item(string(rune('a'+i)), 90)) // 91 bytes each
	}
	second = []Item{item("big", 5000), item("k", 90), item("l", 90)}
	batches := [][]Item{first, second}
	boom := errors.New("part 3 did not parse")
	next := func() ([]Item, error) {
		if len(batches) == 0 {
			return nil, boom
		}
		b := batches[0]
		batches = batches[1:]
		return b, nil
	}
	sizes := map[string]int{}
	for _, it := range append(append([]Item{}, first...), second...) {
		sizes[it.Key] = ItemBytes(&it)
	}
	chunks, stop := Prepare(next, 4, 300, 2, func(it *Item) string { return it.Key })
	defer stop()
	var got []string
	var err error
	for c := range chunks {
		if c.Err != nil {
			err = c.Err
			continue
		}
		var ks []string
		size := 0
		for _, key := range c.Items {
			ks = append(ks, *key)
			size += sizes[*key]
		}
		if len(ks) > 4 || (len(ks) > 1 && size > 300) {
			t.Errorf("chunk %v: %d items, %d bytes; want at most 4 items and 300 bytes, or one item", ks, len(ks), size)
		}
		got = append(got, strings.Join(ks, ""))
	}
	// 91-byte items: three to a chunk (273 bytes), not four (364); the
	// chunks never span batches; the 5,001-byte item goes alone.
	want := []string{"abc", "def", "ghi", "j", "big", "kl"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("chunks %q, want %q", got, want)
	}
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want %v", err, boom)
	}
}
