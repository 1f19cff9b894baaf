package store

// Chunk is a run of prepared items, or the error that ended the batches.
type Chunk[T any] struct {
	Items []*T
	Err   error
}

// Prepare reads next's batches on a goroutine of its own and sends them
// on a chunk of size items at a time, each item turned by prep into what
// a store's writer needs (fingerprint, tag rows…), so that the items of
// one chunk are prepared while the writer writes the chunk before. At
// most ahead chunks wait. stop ends it early and waits for it.
func Prepare[T any](next Batches, size, ahead int, prep func(*Item) T) (chunks <-chan Chunk[T], stop func()) {
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
			for lo := 0; lo < len(batch); lo += size {
				part := batch[lo:min(lo+size, len(batch))]
				ps := make([]T, len(part))
				c := Chunk[T]{Items: make([]*T, len(part))}
				for i := range part {
					ps[i] = prep(&part[i])
					c.Items[i] = &ps[i]
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
