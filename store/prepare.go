package store

// Chunk is a run of prepared items, or the error that ended the batches.
type Chunk[T any] struct {
	Items []*T
	Err   error
}

// Prepare reads next's batches on a goroutine of its own and sends them
// on a chunk at a time, each item turned by prep into what a store's
// writer needs (fingerprint, tag rows…), so that the items of one chunk
// are prepared while the writer writes the chunk before. A chunk holds at
// most size items and, unless it is one item, at most maxBytes of their
// text (ItemBytes): what is prepared ahead of the writer is bounded by
// bytes as well as by items, as a feed of full articles holds a hundred
// times the text of a feed of headlines. At most ahead chunks wait. stop
// ends it early and waits for it.
func Prepare[T any](next Batches, size, maxBytes, ahead int, prep func(*Item) T) (chunks <-chan Chunk[T], stop func()) {
	out := make(chan Chunk[T], ahead)
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(out)
		send := func(c Chunk[T]) bool {
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
				send(Chunk[T]{Err: err})
				return
			}
			if batch == nil {
				return
			}
			for lo := 0; lo < len(batch); {
				hi, n := lo+1, ItemBytes(&batch[lo])
				for hi < len(batch) && hi-lo < size {
					m := ItemBytes(&batch[hi])
					if n+m > maxBytes {
						break
					}
					n += m
					hi++
				}
				part := batch[lo:hi]
				ps := make([]T, len(part))
				c := Chunk[T]{Items: make([]*T, len(part))}
				for i := range part {
					ps[i] = prep(&part[i])
					c.Items[i] = &ps[i]
				}
				if !send(c) {
					return
				}
				lo = hi
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

// ItemBytes is the size of an item's text, what most of its memory and
// of what is derived from it (index text, tag rows) comes to.
func ItemBytes(it *Item) int {
	return len(it.Key) + len(it.URL) + len(it.Title) + len(it.Summary) + len(it.Content) + len(it.Author)
}
