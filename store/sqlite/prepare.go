// The write path, off the writer: a goroutine per fetch reads the batches
// and works out what the writer needs of each item (fingerprint,
// word-index text, tag rows).

package sqlite

import (
	"github.com/aiwatch/aiwatch/store"
)

// chunk is a run of prepared items, or the error that ended the batches.
type chunk = store.Chunk[prepared]

// prepare prepares the batches' items on a goroutine of its own, a chunk
// at a time (store.Prepare). stop ends it early and waits for it.
func prepare(next store.Batches) (<-chan chunk, func()) {
	return store.Prepare(next, prepChunk, prepBytes, prepAhead, prepareItem)
}

// prepareItem works out what the writer needs of it.
func prepareItem(it *store.Item) prepared {
	if it.Content == it.Summary {
		it.Content = "" // the same text once is enough, in the index too
	}
	return prepared{
		it:    it,
		hash:  store.ItemHash(it),
		words: shortTokens(it.Title, it.Summary, it.Content),
		tags:  itemTags(it),
		link:  store.LinkKey(it.URL),
		title: store.TitleKey(it.Title),
	}
}
