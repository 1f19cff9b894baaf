// Package feeds is aiwatch's refresh pipeline, readable top to bottom in
// RefreshFeed: due feeds → fetch → parse → clean → match → save. The
// parts live in the sub-packages: fetch (HTTP), parse (feeds), html (list
// pages), match (tagging), opml and csl.
package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/feeds/html"
	"github.com/aiwatch/aiwatch/feeds/parse"
	"github.com/aiwatch/aiwatch/store"
)

// Store is what the pipeline needs from the store.
type Store interface {
	DueFeeds(ctx context.Context, now time.Time, ids []int64) ([]store.Feed, error)
	RecordFetch(ctx context.Context, feedID int64, r store.FetchResult, items store.Batches) (store.SaveStats, error)
}

// Tagger derives an item's tags from its text (feeds/match.Matcher).
type Tagger interface {
	Tag(title, summary, content string) (firms, alliances []string, sanctions bool, mentions []store.Mention)
}

// Options tune a refresh.
type Options struct {
	Concurrency int           // feeds fetched at once; default 8
	SlowAfter   time.Duration // a feed slower than this is reported; default 10s
	Now         func() time.Time
	// Interval is the base polling interval of a feed that has none of
	// its own; default DefaultInterval. See NextPoll.
	Interval time.Duration
	// All refreshes every enabled feed, due or not.
	All bool
}

// Outcome says how one feed's refresh went.
type Outcome string

// Outcomes.
const (
	Updated     Outcome = "updated"
	NotModified Outcome = "not modified"
	Failed      Outcome = "failed"
)

// FeedResult is the result of refreshing one feed.
type FeedResult struct {
	Feed    store.Feed
	Outcome Outcome
	Err     error
	Saved   store.SaveStats
	Elapsed time.Duration
	Slow    bool
}

// Summary adds up a refresh run.
type Summary struct {
	Feeds, Updated, NotModified, Failed, NewItems int
	Results                                       []FeedResult
}

// String reads like "42 feeds: 30 updated, 9 not modified, 3 failed; 318 new items".
func (s Summary) String() string {
	return fmt.Sprintf("%d feeds: %d updated, %d not modified, %d failed; %d new items",
		s.Feeds, s.Updated, s.NotModified, s.Failed, s.NewItems)
}

// Refresher brings feeds up to date.
type Refresher struct {
	store  Store
	client *fetch.Client
	tagger Tagger
	opts   Options
}

// NewRefresher returns a refresher that saves to st, fetches with client
// and tags with tagger.
func NewRefresher(st Store, client *fetch.Client, tagger Tagger, o Options) *Refresher {
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	if o.SlowAfter <= 0 {
		o.SlowAfter = 10 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	return &Refresher{store: st, client: client, tagger: tagger, opts: o}
}

// Refresh refreshes the due feeds (or exactly ids, when given) with a
// worker pool, calling progress after each feed from the caller's
// goroutine order of completion. It fails only when the store cannot be
// read; feed failures are in the summary.
func (r *Refresher) Refresh(ctx context.Context, ids []int64, progress func(res FeedResult, done, total int)) (Summary, error) {
	now := r.opts.Now()
	if r.opts.All {
		now = now.Add(100 * 365 * 24 * time.Hour) // every enabled feed is due by then
	}
	due, err := r.store.DueFeeds(ctx, now, ids)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Feeds: len(due)}
	jobs := make(chan store.Feed)
	results := make(chan FeedResult)
	var wg sync.WaitGroup
	for i := 0; i < min(r.opts.Concurrency, max(1, len(due))); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				results <- r.RefreshFeed(ctx, f)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, f := range due {
			select {
			case jobs <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	done := 0
	for res := range results {
		done++
		switch res.Outcome {
		case Updated:
			sum.Updated++
		case NotModified:
			sum.NotModified++
		case Failed:
			sum.Failed++
		}
		sum.NewItems += res.Saved.New
		sum.Results = append(sum.Results, res)
		if progress != nil {
			progress(res, done, len(due))
		}
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	return sum, nil
}

// RefreshFeed fetches, parses, cleans, tags and saves one feed. The
// feed's items land in one transaction or not at all, and read and
// starred marks are never touched. A large feed is parsed a part at a
// time (see parse.Open), and each part is tagged and handed to the store
// while later parts are parsed and earlier ones written.
func (r *Refresher) RefreshFeed(ctx context.Context, f store.Feed) FeedResult {
	start := r.opts.Now()
	res := FeedResult{Feed: f}
	rec := store.FetchResult{At: start}

	resp, err := r.client.Fetch(ctx, fetch.Request{URL: f.URL, ETag: f.ETag, LastModified: f.LastModified, UserAgent: f.UserAgent,
		MaxBody: f.MaxBody, Timeout: f.Timeout})
	var items store.Batches
	var partErr error // a later part of the document failed to parse
	if err == nil {
		rec.Status, rec.ETag, rec.LastModified, rec.NotModified = resp.Status, resp.ETag, resp.LastModified, resp.NotModified
		if resp.NotModified {
			rec.NextTry = start.Add(NextPoll(f, r.base(f), resp, nil, start))
		}
		if !resp.NotModified {
			var doc *parse.Stream
			doc, err = r.open(f, resp, start)
			if err == nil {
				defer doc.Close()
				rec.Title, rec.Lang = doc.Feed().Title, doc.Feed().Lang
				// The first part is tagged here, before the store's
				// writer is waited for; the rest as the writer asks.
				var first []store.Item
				if first, err = doc.Next(); err == nil {
					rec.NextTry = start.Add(NextPoll(f, r.base(f), resp, first, start))
					first = r.tag(f, first)
					items = r.batches(f, doc, first, &partErr)
				}
			}
		}
	}
	if err != nil {
		rec = r.failed(f, rec, err)
		res.Outcome, res.Err = Failed, err
	}
	saved, serr := r.store.RecordFetch(ctx, f.ID, rec, items)
	if serr != nil && partErr != nil {
		// Nothing of the document was saved; record why.
		err = partErr
		rec = r.failed(f, rec, err)
		res.Outcome, res.Err = Failed, err
		saved, serr = r.store.RecordFetch(ctx, f.ID, rec, nil)
	}
	switch {
	case serr != nil:
		res.Outcome, res.Err = Failed, fmt.Errorf("feeds: unable to save: %w", serr)
	case err == nil && rec.NotModified:
		res.Outcome = NotModified
	case err == nil:
		res.Outcome = Updated
	}
	if serr == nil {
		res.Saved = saved // a failed save saved nothing
	}
	res.Elapsed = r.opts.Now().Sub(start)
	res.Slow = res.Elapsed > r.opts.SlowAfter
	return res
}

// failed turns rec into the record of a failed fetch.
func (r *Refresher) failed(f store.Feed, rec store.FetchResult, err error) store.FetchResult {
	rec.Err = err.Error()
	rec.NextTry = rec.At.Add(backoff(f.Failures+1, err))
	var se *fetch.StatusError
	if errors.As(err, &se) {
		rec.Status = se.Code
	}
	return rec
}

// batches yields first, then the document's further parts, tagged. A
// part's error is kept in *partErr as well as returned to the store.
func (r *Refresher) batches(f store.Feed, doc *parse.Stream, first []store.Item, partErr *error) store.Batches {
	return func() ([]store.Item, error) {
		if b := first; b != nil {
			first = nil
			return b, nil
		}
		b, err := doc.Next() // nil, nil once the document has ended
		if err != nil {
			*partErr = err
			return nil, err
		}
		return r.tag(f, b), nil
	}
}

// open starts reading a fetched body: an HTML list page by its rule, else
// a feed.
func (r *Refresher) open(f store.Feed, resp *fetch.Response, now time.Time) (*parse.Stream, error) {
	if f.Kind == "html" {
		if f.HTML == nil {
			return nil, errors.New("feeds: HTML feed has no scrape rule")
		}
		doc, err := html.Scrape(resp.Body, resp.ContentType, resp.URL, *f.HTML, now)
		if err != nil {
			return nil, err
		}
		return parse.FromFeed(doc), nil
	}
	doc, err := parse.Open(resp.Body, resp.ContentType, resp.URL, now)
	if errors.Is(err, parse.ErrUnknownFormat) {
		if links := html.Discover(resp.Body, resp.ContentType, resp.URL); len(links) > 0 {
			return nil, fmt.Errorf("feeds: this is a web page, not a feed; its feed is %s (aiwatch feeds add %s)", links[0], links[0])
		}
	}
	return doc, err
}

// tag sets every item's firm and alliance tags, mentions and sanctions
// flag. An item of an official feed (see OfficialFeed) that names a
// tracked firm is sanctions news even without a sanctions term: what the
// Federal Register and the Treasury publish about a firm is a designation
// or an export rule.
func (r *Refresher) tag(f store.Feed, items []store.Item) []store.Item {
	if r.tagger == nil {
		return items
	}
	tagRange := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			it := &items[i]
			it.Firms, it.Alliances, it.Sanctions, it.Mentions = TagItem(r.tagger, f.URL, it.Title, it.Summary, it.Content)
		}
	}
	// A large feed is tagged on every core: the matcher is safe for
	// concurrent use and each item is its own.
	workers := min(runtime.GOMAXPROCS(0), len(items)/parallelTagMin)
	if workers < 2 {
		tagRange(0, len(items))
		return items
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := w*len(items)/workers, (w+1)*len(items)/workers
		wg.Add(1)
		go func() { defer wg.Done(); tagRange(lo, hi) }()
	}
	wg.Wait()
	return items
}

// parallelTagMin is the fewest items per goroutine worth tagging apart.
const parallelTagMin = 500

// TagItem tags one item of the feed at feedURL: the tagger's tags, with
// the sanctions flag also set for an official feed's item that names a
// firm. The pipeline and aiwatch retag both tag through it.
func TagItem(t Tagger, feedURL, title, summary, content string) (firms, alliances []string, sanctions bool, mentions []store.Mention) {
	firms, alliances, sanctions, mentions = t.Tag(title, summary, content)
	if len(firms) > 0 && OfficialFeed(feedURL) {
		sanctions = true
	}
	return firms, alliances, sanctions, mentions
}

// officialHosts are the hosts, with their subdomains, of the official
// sanctions sources in the default feed list.
var officialHosts = []string{"federalregister.gov", "treasury.gov"}

// OfficialFeed reports whether a feed's URL is on the Federal Register or
// the Treasury (www.federalregister.gov, home.treasury.gov,
// ofac.treasury.gov…), whose items that name a firm are sanctions news.
func OfficialFeed(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	for _, h := range officialHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return true
		}
	}
	return false
}

// backoff is the wait before retrying a feed after its n-th consecutive
// failure: the server's Retry-After when it gave one, else exponential
// from one minute, capped at a day.
func backoff(n int, err error) time.Duration {
	var se *fetch.StatusError
	if errors.As(err, &se) && se.RetryAfter > 0 {
		return se.RetryAfter
	}
	d := time.Minute
	for i := 1; i < n && d < 24*time.Hour; i++ {
		d *= 2
	}
	return min(d, 24*time.Hour)
}
