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

	"golang.org/x/sync/semaphore"

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
	// QueueBytes bounds the fetched documents that are being parsed,
	// tagged, or waiting for the store's writer at once, by their size:
	// a fetched document waits for room before it is parsed, and a
	// document larger than this goes alone. Default DefaultQueueBytes.
	QueueBytes int64
}

// DefaultQueueBytes is Options.QueueBytes's default: two documents at the
// fetch client's default cap (fetch.DefaultMaxBody). Their parsed, tagged
// and prepared items take about as much again, and the parse-ahead and
// the store's prepare-ahead are bounded by bytes too (parse.Open,
// store.Prepare).
const DefaultQueueBytes = 32 << 20

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
	queue  *semaphore.Weighted // Options.QueueBytes
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
	if o.QueueBytes <= 0 {
		o.QueueBytes = DefaultQueueBytes
	}
	return &Refresher{store: st, client: client, tagger: tagger, opts: o, queue: semaphore.NewWeighted(o.QueueBytes)}
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
	resp, err := r.client.Fetch(ctx, request(f))
	if err != nil {
		return r.fail(ctx, f, store.FetchResult{At: start}, err)
	}
	return r.SaveResponse(ctx, f, resp, start)
}

// SaveResponse parses, tags and saves resp, fetched for f at start, with
// its validators, so that the next fetch of f is conditional. "aiwatch
// feeds add" saves what it fetched to check the URL through it.
func (r *Refresher) SaveResponse(ctx context.Context, f store.Feed, resp *fetch.Response, start time.Time) FeedResult {
	rec := store.FetchResult{At: start, Status: resp.Status, ETag: resp.ETag, LastModified: resp.LastModified, NotModified: resp.NotModified}
	if resp.NotModified {
		rec.NextTry = start.Add(NextPoll(f, r.base(f), resp, nil, start))
		return r.record(ctx, f, rec, nil)
	}
	// The document waits for room in the queue before it is parsed, and
	// holds it until its items are saved.
	size := min(max(int64(len(resp.Body)), 1), r.opts.QueueBytes)
	if err := r.queue.Acquire(ctx, size); err != nil {
		return r.fail(ctx, f, rec, err)
	}
	defer r.queue.Release(size)
	doc, err := r.open(ctx, f, resp, start)
	if err != nil {
		return r.fail(ctx, f, rec, err)
	}
	defer doc.Close()
	rec.Title, rec.Lang = doc.Feed().Title, doc.Feed().Lang
	// The first part is tagged here, before the store's writer is waited
	// for; the rest as the writer asks.
	first, err := doc.Next()
	if err != nil {
		return r.fail(ctx, f, rec, err)
	}
	rec.NextTry = start.Add(NextPoll(f, r.base(f), resp, first, start))
	res := r.record(ctx, f, rec, r.batches(f, doc, r.tag(f, first)))
	if pe := (*partError)(nil); errors.As(res.Err, &pe) {
		// A later part did not parse, so nothing of the document was
		// saved: record why.
		return r.fail(ctx, f, rec, pe.err)
	}
	return res
}

// request is the fetch of f: conditional on what the last fetch saw.
func request(f store.Feed) fetch.Request {
	return fetch.Request{URL: f.URL, ETag: f.ETag, LastModified: f.LastModified, UserAgent: f.UserAgent,
		MaxBody: f.MaxBody, Timeout: f.Timeout}
}

// record saves rec and items and says how that went.
func (r *Refresher) record(ctx context.Context, f store.Feed, rec store.FetchResult, items store.Batches) FeedResult {
	res := FeedResult{Feed: f, Outcome: Updated}
	saved, err := r.store.RecordFetch(ctx, f.ID, rec, items)
	switch {
	case err != nil:
		res.Outcome, res.Err = Failed, fmt.Errorf("feeds: unable to save: %w", err)
	case rec.NotModified:
		res.Outcome = NotModified
	default:
		res.Saved = saved
	}
	res.Elapsed = r.opts.Now().Sub(rec.At)
	res.Slow = res.Elapsed > r.opts.SlowAfter
	return res
}

// fail records that f's fetch failed with err. When even that cannot be
// saved, the result says so instead.
func (r *Refresher) fail(ctx context.Context, f store.Feed, rec store.FetchResult, err error) FeedResult {
	rec.Err = err.Error()
	rec.NextTry = rec.At.Add(backoff(f.Failures+1, err))
	var se *fetch.StatusError
	if errors.As(err, &se) {
		rec.Status = se.Code
	}
	res := r.record(ctx, f, rec, nil)
	if res.Err == nil {
		res.Outcome, res.Err = Failed, err
	}
	return res
}

// partError is a part of a document after the first that did not parse.
// The store ends the save with it and returns it, wrapped, from
// RecordFetch.
type partError struct{ err error }

func (e *partError) Error() string { return e.err.Error() }
func (e *partError) Unwrap() error { return e.err }

// batches yields first, then the document's further parts, tagged.
func (r *Refresher) batches(f store.Feed, doc *parse.Stream, first []store.Item) store.Batches {
	return func() ([]store.Item, error) {
		if b := first; b != nil {
			first = nil
			return b, nil
		}
		b, err := doc.Next() // nil, nil once the document has ended
		if err != nil {
			return nil, &partError{err}
		}
		return r.tag(f, b), nil
	}
}

// open starts reading a fetched body: an HTML list page by its rule, else
// a feed, with the further pages of a paged API search (readPages).
func (r *Refresher) open(ctx context.Context, f store.Feed, resp *fetch.Response, now time.Time) (*parse.Stream, error) {
	if f.Kind == store.KindHTML {
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
		if links := feedLinks(resp); len(links) > 0 {
			return nil, fmt.Errorf("feeds: this is a web page, not a feed; its feed is %s (aiwatch feeds add %s)", links[0], links[0])
		}
	}
	if err != nil {
		return nil, err
	}
	return r.readPages(ctx, f, doc, resp.URL, now)
}

// ErrNoFeed is returned by Discover for a page that is neither a feed nor
// links to one.
var ErrNoFeed = errors.New("feeds: neither a feed nor a web page that links to one; use --html with selectors to scrape it")

// Found is what Discover found at a URL.
type Found struct {
	// Response is the fetched feed, to be saved with SaveResponse; nil
	// when the URL is a web page.
	Response *fetch.Response
	// Links are the feeds a web page links to, best first.
	Links []string
}

// Discover fetches f's URL once and says whether it is a feed (Response)
// or a web page that links to feeds (Links). Anything else is ErrNoFeed.
// An HTML list page (KindHTML) is read by its rule instead, and the
// rule's error returned: a rule is checked on the page it is for.
// Errors of the fetch itself are *FetchError.
func (r *Refresher) Discover(ctx context.Context, f store.Feed) (Found, error) {
	resp, err := r.client.Fetch(ctx, fetch.Request{URL: f.URL, UserAgent: f.UserAgent})
	if err != nil {
		return Found{}, &FetchError{err}
	}
	if f.Kind == store.KindHTML {
		doc, err := r.open(ctx, f, resp, r.opts.Now())
		if err != nil {
			return Found{}, err
		}
		doc.Close()
		return Found{Response: resp}, nil
	}
	doc, perr := parse.Open(resp.Body, resp.ContentType, resp.URL, r.opts.Now())
	if perr == nil {
		doc.Close()
		return Found{Response: resp}, nil
	}
	if links := feedLinks(resp); len(links) > 0 {
		return Found{Links: links}, nil
	}
	if errors.Is(perr, parse.ErrUnknownFormat) {
		return Found{}, ErrNoFeed
	}
	return Found{}, perr
}

// FetchError is a URL that could not be fetched, as against one that was
// fetched and is not what it should be.
type FetchError struct{ Err error }

func (e *FetchError) Error() string { return e.Err.Error() }
func (e *FetchError) Unwrap() error { return e.Err }

// feedLinks are the feeds a fetched page announces: the one discovery
// rule, for Discover and for a feed whose URL turned out to be a page.
func feedLinks(resp *fetch.Response) []string {
	return html.Discover(resp.Body, resp.ContentType, resp.URL)
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
// ofac.treasury.gov…), or is a Federal Register API search of BIS or OFAC
// documents on any host (officialSearch), whose items that name a firm
// are sanctions news.
func OfficialFeed(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if officialSearch(u) {
		return true
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
