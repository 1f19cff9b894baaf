// The write path, off the transaction: a goroutine per save reads the
// batches and works out what the writer needs of each item (fingerprint,
// search text, tag rows, story keys).

package postgres

import (
	"github.com/aiwatch/aiwatch/store"
)

// How a save is cut up: items are prepared prepChunk at a time, or fewer
// when they hold more than prepBytes of text, at most prepAhead chunks
// ahead of the writer, and new items inserted insertRows at a time, each
// block in one statement of arrays (unnest), with its tag rows in another.
const (
	prepChunk  = 256
	prepBytes  = 512 << 10
	prepAhead  = 4
	insertRows = 1000
	updateRows = 500
)

// prepared is what the writer needs of an item, worked out beforehand.
type prepared struct {
	it     *store.Item
	hash   int64
	search string
	tags   []tagRow // without the alliance roll-up, which the writer adds
	// link and title are the item's story keys. The writer sets story
	// and copy of a new item (saver.group).
	link, title int64
	story       int64
	copy        bool
}

// chunk is a run of prepared items, or the error that ended the batches.
type chunk = store.Chunk[prepared]

// source is a save's prepared items: the chunks an earlier attempt of
// the transaction read, then those still to come, so that a retried
// transaction saves the same items.
type source struct {
	ch   <-chan chunk
	read []chunk
}

// each calls fn with every chunk in order, stopping at fn's first error.
func (s *source) each(fn func(chunk) error) error {
	for _, c := range s.read {
		if err := fn(c); err != nil {
			return err
		}
	}
	for c := range s.ch {
		s.read = append(s.read, c)
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// prepare prepares the batches' items on a goroutine of its own, a chunk
// at a time (store.Prepare). stop ends it early and waits for it.
func prepare(next store.Batches) (<-chan chunk, func()) {
	return store.Prepare(next, prepChunk, prepBytes, prepAhead, prepareItem)
}

// prepareItem works out what the writer needs of it.
func prepareItem(it *store.Item) prepared {
	for _, s := range []*string{&it.Key, &it.URL, &it.Title, &it.Summary, &it.Content, &it.Author, &it.Lang} {
		*s = pgText(*s)
	}
	if it.Content == it.Summary {
		it.Content = "" // the same text once is enough, in the index too
	}
	return prepared{
		it:     it,
		hash:   store.ItemHash(it),
		search: searchText(it.Title, it.Summary, it.Content),
		tags:   itemTags(it),
		link:   store.LinkKey(it.URL),
		title:  store.TitleKey(it.Title),
	}
}
