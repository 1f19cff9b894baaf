package parse

import "github.com/aiwatch/aiwatch/store"

// FromFeed returns a Stream over a document already read whole, such as a
// list page read by feeds/html: Next yields its items as one batch.
func FromFeed(f *Feed) *Stream {
	meta := *f
	meta.Items = nil
	items := f.Items
	if items == nil {
		items = []store.Item{}
	}
	return &Stream{feed: &meta, pending: items}
}
