package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aiwatch/aiwatch/feeds/extract"
	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/store"
)

// ArticleStore is what Articles needs of the store.
type ArticleStore interface {
	Item(ctx context.Context, id int64) (store.Item, error)
	Feed(ctx context.Context, id int64) (store.Feed, error)
	Article(ctx context.Context, itemID int64) (store.Article, error)
	SaveArticle(ctx context.Context, a store.Article, tags store.Item) error
}

// ErrNoLink means an item has no http(s) link to fetch its article from.
var ErrNoLink = errors.New("the item has no web link")

// ErrBodiesNever means the item's feed is set never to fetch articles
// (feeds set --bodies never).
var ErrBodiesNever = errors.New("its feed is set never to fetch articles")

// Articles brings items' articles: it fetches an item's page through the
// one HTTP client, extracts the main text (feeds/extract), re-tags the
// item with it and keeps it in the store, where it is readable offline.
type Articles struct {
	st     ArticleStore
	client *fetch.Client
	tagger Tagger
	now    func() time.Time
}

// NewArticles returns Articles over st, fetching with client and tagging
// with tagger. now may be nil for time.Now.
func NewArticles(st ArticleStore, client *fetch.Client, tagger Tagger, now func() time.Time) *Articles {
	if now == nil {
		now = time.Now
	}
	return &Articles{st: st, client: client, tagger: tagger, now: now}
}

// Article returns an item's article: the kept one if there is one, else
// it fetches it (Fetch).
func (a *Articles) Article(ctx context.Context, itemID int64) (store.Article, error) {
	art, err := a.st.Article(ctx, itemID)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return art, err
	}
	return a.Fetch(ctx, itemID)
}

// Fetch fetches an item's page now, extracts its main text, tags the item
// with it and keeps it, over any article kept before. Its errors are one
// line, for the reader: "HTTP 404 Not Found", "not an HTML page (PDF)".
func (a *Articles) Fetch(ctx context.Context, itemID int64) (store.Article, error) {
	it, err := a.st.Item(ctx, itemID)
	if err != nil {
		return store.Article{}, err
	}
	if u, perr := url.Parse(it.URL); it.URL == "" || perr != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return store.Article{}, fmt.Errorf("article: item %d: %w", itemID, ErrNoLink)
	}
	feedURL := ""
	if f, err := a.st.Feed(ctx, it.FeedID); err == nil {
		feedURL = f.URL
		if f.Bodies == store.BodiesNever {
			return store.Article{}, fmt.Errorf("article: %w (aiwatch feeds set %d --bodies on-demand allows it)", ErrBodiesNever, f.ID)
		}
	}
	resp, err := a.client.Fetch(ctx, fetch.Request{URL: it.URL})
	if err != nil {
		// The item's link is on screen beside the reason; the reason is
		// kept short for the reader's one line.
		return store.Article{}, fmt.Errorf("article: unable to fetch the page: %w", err)
	}
	art, err := extract.Extract(resp.Body, resp.ContentType, resp.URL)
	if err != nil {
		switch {
		case errors.Is(err, extract.ErrNotHTML) && resp.ContentType != "":
			return store.Article{}, fmt.Errorf("article: the page is %s, %w", store.CleanLine(resp.ContentType, 80), extract.ErrNotHTML)
		case errors.Is(err, extract.ErrNotHTML), errors.Is(err, extract.ErrNoText):
			return store.Article{}, fmt.Errorf("article: %w", errors.Unwrap(err))
		}
		return store.Article{}, fmt.Errorf("article: unable to read the page: %w", err)
	}
	art.ItemID = itemID
	art.Fetched = a.now().UTC()
	var tags store.Item
	tags, art.BodyOnly = TagArticle(a.tagger, feedURL, it, art.Text)
	if err := a.st.SaveArticle(ctx, art, tags); err != nil {
		return art, err
	}
	return art, nil
}

// TagArticle tags an item from its feed text and its article text
// together: the result holds the tags, mentions (the article's with Field
// store.FieldBody) and sanctions flag, and bodyOnly the firms and
// alliances ("firm:ID", "alliance:ID") that only the article names.
func TagArticle(t Tagger, feedURL string, it store.Item, text string) (tags store.Item, bodyOnly []string) {
	tags.Firms, tags.Alliances, tags.Sanctions, tags.Mentions = TagItem(t, feedURL, it.Title, it.Summary, it.Content)
	firms, alliances, sanctions, mentions := TagItem(t, feedURL, "", "", text)
	bodyOnly = store.AddArticleTags(&tags, firms, alliances, sanctions, mentions)
	return tags, bodyOnly
}

// FetchOptions bound a run of FetchMany.
type FetchOptions struct {
	Max        int // pages fetched at most in the run; 0 means no bound
	PerHost    int // pages fetched at most from one host in the run; 0 means no bound
	Concurrent int // pages in flight at once; default 4 (the client adds its per-host limit)
}

// FetchMany fetches the articles of items that have none, politely: at
// most o.Max pages in the run, at most o.PerHost from one host, and never
// more at once than the client allows a host. It returns each item's
// error; items skipped by a bound are not in it, nor in done.
func (a *Articles) FetchMany(ctx context.Context, ids []int64, o FetchOptions) (done []int64, errs map[int64]error) {
	if o.Concurrent <= 0 {
		o.Concurrent = 4
	}
	errs = map[int64]error{}
	hosts := map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, o.Concurrent)
	taken := 0
	for _, id := range ids {
		if ctx.Err() != nil || (o.Max > 0 && taken >= o.Max) {
			break
		}
		if _, err := a.st.Article(ctx, id); err == nil {
			continue // kept already
		}
		it, err := a.st.Item(ctx, id)
		if err != nil {
			errs[id] = err
			continue
		}
		host := ""
		if u, err := url.Parse(it.URL); err == nil {
			host = strings.ToLower(u.Hostname())
		}
		if o.PerHost > 0 && hosts[host] >= o.PerHost {
			continue
		}
		hosts[host]++
		taken++
		wg.Add(1)
		sem <- struct{}{}
		go func(id int64) {
			defer func() { <-sem; wg.Done() }()
			_, err := a.Fetch(ctx, id)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs[id] = err
			} else {
				done = append(done, id)
			}
		}(id)
	}
	wg.Wait()
	slices.Sort(done)
	return done, errs
}

// BodyStore lists the items whose articles a fetch run brings.
type BodyStore interface {
	// ItemsWithoutArticle returns the IDs of a feed's items saved
	// (fetched) at or after since that have a web link and no article,
	// newest first, at most limit.
	ItemsWithoutArticle(ctx context.Context, feedID int64, since time.Time, limit int) ([]int64, error)
}

// FetchBodies brings, after a fetch run that started at since and ended
// in sum, the articles of the items the run saved for feeds set to
// store.BodiesAlways, within o's bounds (see FetchMany). It returns the
// items whose articles it kept and the errors of the others; err is set
// only when the store could not be read.
func (a *Articles) FetchBodies(ctx context.Context, st BodyStore, sum Summary, since time.Time, o FetchOptions) (done []int64, errs map[int64]error, err error) {
	limit := o.Max
	if limit <= 0 {
		limit = 1000
	}
	var ids []int64
	for _, res := range sum.Results {
		if res.Feed.Bodies != store.BodiesAlways || res.Outcome != Updated || res.Saved.New+res.Saved.Updated == 0 {
			continue
		}
		got, err := st.ItemsWithoutArticle(ctx, res.Feed.ID, since, limit)
		if err != nil {
			return nil, nil, fmt.Errorf("feeds: unable to list items without an article: %w", err)
		}
		ids = append(ids, got...)
	}
	if len(ids) == 0 {
		return nil, map[int64]error{}, nil
	}
	done, errs = a.FetchMany(ctx, ids, o)
	return done, errs, nil
}
