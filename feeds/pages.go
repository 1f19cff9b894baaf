package feeds

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/feeds/parse"
	"github.com/aiwatch/aiwatch/store"
)

// MaxPages bounds the pages of a paged API search (the Federal Register's
// next_page_url) that one refresh reads, the first included. At the API's
// default of 20 documents a page that is the newest 100 documents: more
// than a busy month of BIS or OFAC documents, so a first fetch fills the
// feed and a later one, which only needs the first page, never falls
// behind. Each page is a request to the API, so the bound is also the
// most requests one refresh makes to it.
const MaxPages = 5

// readPages follows a paged document's next pages, up to MaxPages in all,
// and returns a stream of the items of every page in order, each key once.
// first is the stream of the first page, fetched from firstURL; it is
// returned as it is when the document has no next page. A next page is
// followed only on the first page's scheme and host, and never twice; a
// page that fails fails the whole read, so that a feed lands whole or not
// at all.
func (r *Refresher) readPages(ctx context.Context, f store.Feed, first *parse.Stream, firstURL string, now time.Time) (*parse.Stream, error) {
	next := first.Feed().NextPage
	if next == "" {
		return first, nil
	}
	meta := *first.Feed()
	items, err := store.Collect(first.Next)
	first.Close()
	if err != nil {
		return nil, err
	}
	origin, err := url.Parse(firstURL)
	if err != nil {
		return nil, fmt.Errorf("feeds: unable to read the first page's URL: %w", err)
	}
	seen := map[string]bool{firstURL: true}
	for page := 2; page <= MaxPages && next != "" && len(items) < parse.MaxItems; page++ {
		u, err := url.Parse(next)
		if err != nil || !strings.EqualFold(u.Scheme, origin.Scheme) || !strings.EqualFold(u.Host, origin.Host) || seen[next] {
			break
		}
		seen[next] = true
		resp, err := r.client.Fetch(ctx, fetch.Request{URL: next, UserAgent: f.UserAgent})
		if err != nil {
			return nil, fmt.Errorf("feeds: unable to read page %d: %w", page, err)
		}
		doc, err := parse.Parse(resp.Body, resp.ContentType, resp.URL, now)
		if err != nil {
			return nil, fmt.Errorf("feeds: unable to read page %d: %w", page, err)
		}
		if doc.Format != meta.Format {
			return nil, fmt.Errorf("feeds: page %d is %s, not %s like the first", page, doc.Format, meta.Format)
		}
		items = append(items, doc.Items...)
		meta.Entries += doc.Entries
		next = doc.NextPage
	}
	meta.Items = dedupe(items[:min(len(items), parse.MaxItems)])
	meta.NextPage = ""
	return parse.FromFeed(&meta), nil
}

// dedupe drops items whose key came before, in place.
func dedupe(items []store.Item) []store.Item {
	seen := make(map[string]bool, len(items))
	out := items[:0]
	for _, it := range items {
		if !seen[it.Key] {
			seen[it.Key] = true
			out = append(out, it)
		}
	}
	return out
}
