package parse

import (
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// Splitting pays only for large documents; these are variables so that
// tests can split small ones.
var (
	// splitMin is how many items (by countItems) a document must have
	// beyond which Open reads it in parts.
	splitMin = 1024
	// partItems is how many items a part holds.
	partItems = 512
	// aheadBytes bounds the parse-ahead by size: the parts being parsed,
	// or parsed and waiting for Next, hold at most this many bytes of the
	// document between them (their items take about as much again once
	// read). A part larger than this is parsed alone.
	aheadBytes = 4 << 20
)

// errClosed is returned by Next after Close.
var errClosed = errors.New("parse: the stream is closed")

// Stream is a feed document being parsed a part at a time.
//
// An XML document with more than about 1,024 items is cut into parts of
// about 512 items at item boundaries, and the parts are parsed on
// runtime.GOMAXPROCS(0) goroutines while the caller takes the items of
// earlier parts with Next. At most GOMAXPROCS+1 parts, and 4 MiB of the
// document (aheadBytes), are parsed ahead of Next, or a single part when
// it is larger. A smaller document, and one that cannot be cut
// safely, is parsed whole, as one part.
//
// Items read as they would from the whole document, with two exceptions.
// The zone for dates written without one, which also decides what "CST"
// means, is voted by the dates of the first part only, not of the whole
// document. And a feed that declares no language gets one guessed from
// the titles of the first part's items, where a document read whole has
// it guessed from its first 4 KB of titles: the two differ only when the
// first part's titles are shorter than that. A part gofeed cannot read
// fails the stream when Next reaches it, after the batches before it,
// where the whole document would fail at once.
type Stream struct {
	feed    *Feed
	pending []store.Item // the first batch, read by Open
	p       *pipeline    // nil when the document is one part
	next    int          // the next part for Next to take
	seen    map[string]struct{}
	taken   int // items counted against MaxItems
	vote    int // items whose dates voted the zone, -1 for all; for tests
	ended   bool
	err     error
	closed  atomic.Bool
}

// pipeline parses the parts of a document after the first. It holds no
// reference to its Stream, so that a Stream dropped without Close can be
// collected and stop it.
type pipeline struct {
	doc      []byte
	cuts     []int // see splitXML
	per      int
	items    int
	feedURL  string
	format   string
	feedLang string
	base     *url.URL
	now      time.Time
	// dates is shared by the workers: a dateReader is safe for
	// concurrent use, as read only reads what newDateReader set up.
	dates *dateReader

	results []chan partResult // one per part, buffered
	done    chan struct{}
	stop    sync.Once
	wg      sync.WaitGroup

	// The parse-ahead: parts are claimed in order, each once the parts
	// being parsed or waiting for Next leave room for it (claim), and
	// Next gives its room back when it takes the part (release).
	mu        sync.Mutex
	room      *sync.Cond
	nextPart  int // the next part to claim; part 0 is Open's
	ahead     int // parts claimed and not yet taken by Next
	aheadSize int // their bytes of the document
	maxAhead  int // the most parts ahead
	maxSize   int // the most bytes ahead, unless one part is larger
	halted    bool

	// testHook is called as a worker starts part k, with the parts and
	// bytes then ahead, k's included.
	testHook func(k, ahead, size int)
}

type partResult struct {
	items   []store.Item // normalised, one per gofeed item
	entries int
	err     error
}

// Open reads the document's metadata and first part (so errors such as
// ErrUnknownFormat or ErrTooManyItems come from Open), and starts parsing
// the rest in the background. Its arguments are those of Parse. The
// caller must call Close unless Next has returned nil, nil or an error.
func Open(body []byte, contentType, feedURL string, now time.Time) (*Stream, error) {
	return open(body, contentType, feedURL, now, splitMin, partItems, nil)
}

// open is Open with the split thresholds given, and a hook for tests.
func open(body []byte, contentType, feedURL string, now time.Time, least, per int, hook func(k, ahead, size int)) (*Stream, error) {
	doc, isXML, count, err := prepare(body, contentType)
	if err != nil {
		return nil, err
	}
	var cuts []int
	n := 0
	if isXML && count > least {
		var ok bool
		// Tests cut tiny parts to check that parts read as the whole does;
		// the cost guard is for parts of the real size.
		if cuts, n, ok = splitXML(doc, per); !ok || (per >= partItems && !worthSplitting(doc, cuts)) {
			cuts = nil
		}
	}
	if len(cuts) <= 2 {
		// One part: the document is read as it always was.
		f, err := parseWhole(doc, feedURL, now, -1)
		if err != nil {
			return nil, err
		}
		s := &Stream{feed: f, pending: f.Items, vote: -1}
		f.Items = nil
		return s, nil
	}

	p := &pipeline{doc: doc, cuts: cuts, per: per, items: n, feedURL: feedURL, now: now, testHook: hook, nextPart: 1, maxSize: aheadBytes}
	p.room = sync.NewCond(&p.mu)
	f, drafts, err := parseDrafts(p.partDoc(0), feedURL)
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	voters := drafts[:min(len(drafts), MaxItems)]
	// A huge document's zone is voted by its first part: the parts after
	// it are read while the caller takes the first.
	p.dates = newDateReader(dateRaws(voters), f.Lang, now)
	p.format = f.Format
	p.feedLang = CanonicalLang(f.Lang)
	p.base = absURL(itemBase(f, feedURL))

	s := &Stream{feed: f, p: p, next: 1, seen: make(map[string]struct{}, n), vote: len(voters)}
	s.pending = s.accept(p.read(drafts), len(drafts))
	if f.Lang == "" {
		f.Lang = titleLang(s.pending)
	}

	parts := len(cuts) - 1
	workers := min(runtime.GOMAXPROCS(0), parts-1)
	p.results = make([]chan partResult, parts)
	for k := 1; k < parts; k++ {
		p.results[k] = make(chan partResult, 1)
	}
	p.maxAhead = workers + 1
	p.done = make(chan struct{})
	p.wg.Add(workers)
	for range workers {
		go p.work()
	}
	runtime.AddCleanup(s, (*pipeline).halt, p)
	return s, nil
}

// worthSplitting reports whether parsing doc in the parts cuts makes
// (see splitXML) costs at most twice parsing it whole. Every part repeats
// the bytes before the first item and after the last, so a hostile
// document of a huge channel header and thousands of tiny items would
// otherwise cost one parse of the header per part.
func worthSplitting(doc []byte, cuts []int) bool {
	if len(cuts) < 2 {
		return false
	}
	repeated := cuts[0] + len(doc) - cuts[len(cuts)-1]
	return repeated*(len(cuts)-1) <= len(doc)
}

// Feed returns the document's metadata: Title, Lang, SiteURL, Format. Its
// Items are nil; Entries is complete only after Next has returned nil, nil.
func (s *Stream) Feed() *Feed {
	return s.feed
}

// Next returns the next batch of normalised items in document order, and
// nil, nil at the end. Items whose key came earlier in the document are
// left out, and items past the first MaxItems are dropped, as in Parse.
// A batch is never empty. A part of the document that gofeed cannot read
// ends the stream with its error, after the batches before it. Next is
// not safe for concurrent use.
func (s *Stream) Next() ([]store.Item, error) {
	if s.ended {
		return nil, nil
	}
	if s.err != nil {
		return nil, s.err
	}
	if s.closed.Load() {
		s.err = errClosed
		return nil, s.err
	}
	if batch := s.pending; batch != nil {
		s.pending = nil
		if len(batch) > 0 {
			return batch, nil
		}
	}
	for s.p != nil && s.next < len(s.p.results) {
		var r partResult
		select {
		case r = <-s.p.results[s.next]:
		case <-s.p.done:
			s.err = errClosed
			return nil, s.err
		}
		s.p.release(s.next)
		s.next++
		if r.err != nil {
			s.err = r.err
			s.Close()
			return nil, s.err
		}
		if batch := s.accept(r.items, r.entries); len(batch) > 0 {
			return batch, nil
		}
	}
	s.ended = true
	return nil, nil
}

// Close stops background parsing; safe to call at any time, more than
// once, and after the end. It returns once the background goroutines have
// stopped. Next returns an error after Close, unless it has already
// returned nil, nil.
func (s *Stream) Close() {
	s.closed.Store(true)
	if s.p != nil {
		s.p.halt()
		s.p.wg.Wait()
	}
}

// accept counts a part's items against MaxItems and drops those whose key
// came before.
func (s *Stream) accept(items []store.Item, entries int) []store.Item {
	s.feed.Entries += entries
	items = items[:max(0, min(len(items), MaxItems-s.taken))]
	s.taken += len(items)
	out := items[:0]
	for _, it := range items {
		if _, dup := s.seen[it.Key]; dup {
			continue
		}
		s.seen[it.Key] = struct{}{}
		out = append(out, it)
	}
	return out
}

// halt stops the workers: each finishes the part it is on, if any, and
// starts no other.
func (p *pipeline) halt() {
	p.stop.Do(func() {
		close(p.done)
		p.mu.Lock()
		p.halted = true
		p.room.Broadcast()
		p.mu.Unlock()
	})
}

// work parses parts in turn until there are none left or the pipeline is
// halted.
func (p *pipeline) work() {
	defer p.wg.Done()
	for {
		k, ahead, size, ok := p.claim()
		if !ok {
			return
		}
		if p.testHook != nil {
			p.testHook(k, ahead, size)
		}
		p.results[k] <- p.parse(k)
	}
}

// partSize is part k's bytes of the document, the items it reads.
func (p *pipeline) partSize(k int) int {
	return p.cuts[k+1] - p.cuts[k]
}

// claim waits until the next part fits beside the parts ahead of Next,
// or none is ahead, and claims it. Parts are claimed in document order,
// so a large part holds back the smaller ones after it rather than being
// overtaken: Next takes the parts in order, and could otherwise wait for
// a part that waits for room. ok is false when there are no parts left
// or the pipeline is halted.
func (p *pipeline) claim() (k, ahead, size int, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		if p.halted || p.nextPart >= len(p.results) {
			return 0, 0, 0, false
		}
		n := p.partSize(p.nextPart)
		if p.ahead == 0 || (p.ahead < p.maxAhead && p.aheadSize+n <= p.maxSize) {
			k = p.nextPart
			p.nextPart++
			p.ahead++
			p.aheadSize += n
			return k, p.ahead, p.aheadSize, true
		}
		p.room.Wait()
	}
}

// release gives back the room of part k, which Next has taken.
func (p *pipeline) release(k int) {
	p.mu.Lock()
	p.ahead--
	p.aheadSize -= p.partSize(k)
	p.room.Broadcast()
	p.mu.Unlock()
}

// parse reads part k, k > 0.
func (p *pipeline) parse(k int) partResult {
	f, drafts, err := parseDrafts(p.partDoc(k), p.feedURL)
	if err == nil && f.Format != p.format {
		err = fmt.Errorf("read as %s, not %s", f.Format, p.format)
	}
	if err != nil {
		first := k*p.per + 1
		last := min(first+p.per-1, p.items)
		return partResult{err: fmt.Errorf("parse: items %d to %d of %d (part %d of %d): %w", first, last, p.items, k+1, len(p.cuts)-1, err)}
	}
	return partResult{items: p.read(drafts), entries: len(drafts)}
}

// partDoc returns the document gofeed reads for part k: the head, the
// part's items and the tail.
func (p *pipeline) partDoc(k int) []byte {
	head := p.doc[:p.cuts[0]]
	body := p.doc[p.cuts[k]:p.cuts[k+1]]
	tail := p.doc[p.cuts[len(p.cuts)-1]:]
	doc := make([]byte, 0, len(head)+len(body)+len(tail))
	doc = append(doc, head...)
	doc = append(doc, body...)
	return append(doc, tail...)
}

// read reads the dates of drafts and normalises their items as Normalize
// does, one item per draft.
func (p *pipeline) read(drafts []draft) []store.Item {
	items := make([]store.Item, len(drafts))
	for i, d := range drafts {
		d.item.Published = p.dates.read(d.published, d.pubParsed)
		d.item.Updated = p.dates.read(d.updated, d.updParsed)
		items[i] = normalizeItem(d.item, p.feedLang, p.base, p.now)
	}
	return items
}
