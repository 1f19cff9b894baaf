// The write path, off the writer: a goroutine per fetch reads the batches
// and works out what the writer needs of each item (fingerprint,
// word-index text, tag rows).

package sqlite

import (
	"github.com/aiwatch/aiwatch/store"
)

// chunk is a run of prepared items, or the error that ended the batches.
type chunk struct {
	items []*prepared
	err   error
}

// prepare reads the batches on a goroutine of its own and sends them on,
// prepared, a chunk at a time. stop ends it early and waits for it.
func prepare(next store.Batches) (<-chan chunk, func()) {
	out := make(chan chunk, prepAhead)
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(out)
		send := func(c chunk) bool {
			select {
			case out <- c:
				return true
			case <-quit:
				return false
			}
		}
		for {
			batch, err := next()
			if err != nil {
				send(chunk{err: err})
				return
			}
			if batch == nil {
				return
			}
			for lo := 0; lo < len(batch); lo += prepChunk {
				part := batch[lo:min(lo+prepChunk, len(batch))]
				ps := make([]prepared, len(part))
				c := chunk{items: make([]*prepared, len(part))}
				for i := range part {
					ps[i] = prepareItem(&part[i])
					c.items[i] = &ps[i]
				}
				if !send(c) {
					return
				}
			}
		}
	}()
	return out, func() {
		close(quit)
		for range out { // let the goroutine finish a send
		}
		<-done
	}
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
