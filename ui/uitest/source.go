// Package uitest is an in-memory store for the dashboard's tests, goldens,
// benchmarks and demos: the two WAIC 2025 alliances, their member firms
// with designations, and news in English, Chinese and Arabic with the
// mentions a matcher would find. It honours the store.Filter fields the
// dashboard uses, records every call, and is safe for concurrent use.
package uitest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// Call is one recorded call to the store.
type Call struct {
	Method string
	Filter store.Filter // for Items, CountItems and MarkAllRead
	Arg    string       // firm or alliance argument, or item IDs
}

// Source is the fake store.
type Source struct {
	mu        sync.Mutex
	alliances []store.Alliance
	firms     []store.Firm
	feeds     []store.Feed
	items     []store.Item // newest first
	byID      map[int64]int
	events    []store.DesignationEvent
	seen      time.Time
	version   int64
	calls     []Call
	// Delay, when set, is slept at the start of every call, to make
	// stale results observable in tests. Set it with SetDelay.
	Delay time.Duration
	// Err, when set, is returned by every call. Set it with SetErr.
	Err error

	members map[string][]string // alliance → member firm IDs
	counts  *countCache
}

type countCache struct {
	version   int64
	alliances map[string]store.Counts
	firms     map[string]store.Counts
	feeds     map[int64]store.Counts
}

// New returns the fake store with its hand-written news.
func New() *Source {
	s := newEmpty()
	for i, st := range stories {
		s.items = append(s.items, s.makeItem(int64(len(stories)-i), st, Now.Add(-time.Duration(st.daysAgo*24*float64(time.Hour)))))
	}
	// A few items are already read or starred.
	for i := range s.items {
		switch i % 5 {
		case 3:
			s.items[i].Read = true
		case 4:
			s.items[i].Read, s.items[i].Starred = true, i%2 == 0
		}
	}
	s.reindex()
	return s
}

// NewLarge returns a fake store with n items made by repeating the
// hand-written news back in time, one item every few minutes.
func NewLarge(n int) *Source {
	s := newEmpty()
	s.items = make([]store.Item, 0, n)
	templates := make([]store.Item, len(stories))
	for i, st := range stories {
		templates[i] = s.makeItem(0, st, Now)
	}
	for i := range n {
		it := templates[i%len(templates)]
		it.ID = int64(n - i)
		it.Key = strconv.Itoa(n - i)
		it.Published = Now.Add(-time.Duration(i) * 7 * time.Minute)
		it.Fetched = it.Published
		it.Read = i%3 != 0
		s.items = append(s.items, it)
	}
	s.reindex()
	return s
}

func newEmpty() *Source {
	s := &Source{
		alliances: alliances(),
		firms:     firms(),
		feeds:     feeds(),
		seen:      time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		version:   1,
		members:   map[string][]string{},
	}
	s.events = designationEvents(s.firms)
	for _, a := range s.alliances {
		for _, m := range a.Members {
			s.members[a.ID] = append(s.members[a.ID], m.Firm)
		}
	}
	return s
}

// makeItem builds an item and finds the mentions of every alias in its
// title and summary, as the matcher would.
func (s *Source) makeItem(id int64, st story, published time.Time) store.Item {
	it := store.Item{
		ID: id, FeedID: st.feed, Key: st.url, URL: st.url, Title: st.title, Summary: st.summary,
		Lang: st.lang, Published: published, Fetched: published, Sanctions: st.sanctions,
	}
	for _, f := range s.feeds {
		if f.ID == st.feed {
			it.FeedTitle = f.Title
		}
	}
	var aliases []store.Alias
	for _, f := range s.firms {
		aliases = append(aliases, f.Aliases...)
	}
	for _, a := range s.alliances {
		aliases = append(aliases, a.Aliases...)
	}
	for _, field := range []struct {
		name store.Field
		text string
	}{{store.FieldTitle, it.Title}, {store.FieldSummary, it.Summary}} {
		taken := make([]bool, len(field.text))
		// Longest aliases first, so "壁仞科技" wins over "壁仞".
		slices.SortStableFunc(aliases, func(a, b store.Alias) int { return len(b.Text) - len(a.Text) })
		for _, al := range aliases {
			for from := 0; ; {
				i := strings.Index(field.text[from:], al.Text)
				if i < 0 {
					break
				}
				start, end := from+i, from+i+len(al.Text)
				from = end
				if slices.Contains(taken[start:end], true) {
					continue
				}
				for k := start; k < end; k++ {
					taken[k] = true
				}
				it.Mentions = append(it.Mentions, store.Mention{Entity: al.Entity, Kind: al.Kind, Alias: al.Text,
					Field: field.name, Start: start, End: end})
				switch al.Kind {
				case store.KindFirm:
					if !slices.Contains(it.Firms, al.Entity) {
						it.Firms = append(it.Firms, al.Entity)
					}
				case store.KindAlliance:
					if !slices.Contains(it.Alliances, al.Entity) {
						it.Alliances = append(it.Alliances, al.Entity)
					}
				}
			}
		}
	}
	sort.Slice(it.Mentions, func(i, j int) bool {
		if it.Mentions[i].Field != it.Mentions[j].Field {
			return it.Mentions[i].Field > it.Mentions[j].Field // title before summary
		}
		return it.Mentions[i].Start < it.Mentions[j].Start
	})
	slices.Sort(it.Firms)
	slices.Sort(it.Alliances)
	return it
}

func (s *Source) reindex() {
	sort.SliceStable(s.items, func(i, j int) bool {
		if !s.items[i].Published.Equal(s.items[j].Published) {
			return s.items[i].Published.After(s.items[j].Published)
		}
		return s.items[i].ID > s.items[j].ID
	})
	s.byID = make(map[int64]int, len(s.items))
	for i, it := range s.items {
		s.byID[it.ID] = i
	}
	s.counts = nil
}

// begin records a call and returns with the lock held.
func (s *Source) begin(ctx context.Context, c Call) error {
	s.mu.Lock()
	delay := s.Delay
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-ctx.Done():
		}
	}
	s.mu.Lock()
	s.calls = append(s.calls, c)
	if s.Err != nil {
		return s.Err
	}
	return ctx.Err()
}

// Calls returns the calls made so far.
func (s *Source) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// ResetCalls forgets the calls made so far.
func (s *Source) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}

// Lists returns the US lists.
func (s *Source) Lists(ctx context.Context) ([]store.List, error) {
	err := s.begin(ctx, Call{Method: "Lists"})
	defer s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return slices.Clone(lists), nil
}

// Alliances returns the alliances with their members.
func (s *Source) Alliances(ctx context.Context) ([]store.Alliance, error) {
	err := s.begin(ctx, Call{Method: "Alliances"})
	defer s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return slices.Clone(s.alliances), nil
}

// Firms returns the members of alliance, or every firm when alliance is "".
func (s *Source) Firms(ctx context.Context, alliance string) ([]store.Firm, error) {
	err := s.begin(ctx, Call{Method: "Firms", Arg: alliance})
	defer s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if alliance == "" {
		out := slices.Clone(s.firms)
		slices.SortFunc(out, func(a, b store.Firm) int { return strings.Compare(a.Short, b.Short) })
		return out, nil
	}
	ms, ok := s.members[alliance]
	if !ok {
		return nil, fmt.Errorf("uitest: alliance %q: %w", alliance, store.ErrNotFound)
	}
	var out []store.Firm
	for _, id := range ms {
		if f, ok := s.firm(id); ok {
			out = append(out, f)
		}
	}
	return out, nil
}

func (s *Source) firm(id string) (store.Firm, bool) {
	for _, f := range s.firms {
		if f.ID == id {
			return f, true
		}
	}
	return store.Firm{}, false
}

func (s *Source) cachedCounts() *countCache {
	if s.counts != nil && s.counts.version == s.version {
		return s.counts
	}
	c := &countCache{version: s.version, alliances: map[string]store.Counts{}, firms: map[string]store.Counts{},
		feeds: map[int64]store.Counts{}}
	add := func(m map[string]store.Counts, k string, it *store.Item) {
		n := m[k]
		n.Total++
		if !it.Read {
			n.Unread++
		}
		if w, ok := store.TrendWeek(Now, it.Published.Unix()); ok && k != "" {
			n.Trend[w]++
		}
		m[k] = n
	}
	for i := range s.items {
		it := &s.items[i]
		add(c.alliances, "", it)
		fc := c.feeds[it.FeedID]
		fc.Total++
		if !it.Read {
			fc.Unread++
		}
		c.feeds[it.FeedID] = fc
		for _, f := range it.Firms {
			add(c.firms, f, it)
		}
		for a, ms := range s.members {
			if slices.Contains(it.Alliances, a) || slices.ContainsFunc(it.Firms, func(f string) bool { return slices.Contains(ms, f) }) {
				add(c.alliances, a, it)
			}
		}
	}
	s.counts = c
	return c
}

// AllianceCounts returns item counts per alliance; "" counts all items.
func (s *Source) AllianceCounts(ctx context.Context) (map[string]store.Counts, error) {
	err := s.begin(ctx, Call{Method: "AllianceCounts"})
	defer s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	c := s.cachedCounts()
	out := make(map[string]store.Counts, len(c.alliances))
	for k, v := range c.alliances {
		out[k] = v
	}
	return out, nil
}

// FirmCounts returns item counts per firm.
func (s *Source) FirmCounts(ctx context.Context) (map[string]store.Counts, error) {
	err := s.begin(ctx, Call{Method: "FirmCounts"})
	defer s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	c := s.cachedCounts()
	out := make(map[string]store.Counts, len(c.firms))
	for k, v := range c.firms {
		out[k] = v
	}
	return out, nil
}

// Items returns the items that match f, newest first, without Content.
func (s *Source) Items(ctx context.Context, f store.Filter) ([]store.Item, error) {
	err := s.begin(ctx, Call{Method: "Items", Filter: f})
	defer s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	var out []store.Item
	skipped := 0
	for i := range s.items {
		if !s.match(&s.items[i], f) {
			continue
		}
		if skipped < f.Offset {
			skipped++
			continue
		}
		it := s.items[i]
		it.Content = ""
		out = append(out, it)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out, nil
}

// CountItems counts the items that match f, ignoring Limit and Offset.
func (s *Source) CountItems(ctx context.Context, f store.Filter) (store.Counts, error) {
	err := s.begin(ctx, Call{Method: "CountItems", Filter: f})
	defer s.mu.Unlock()
	if err != nil {
		return store.Counts{}, err
	}
	// As the stores do, a count may stop past f.CountUpTo, unless it is
	// one that the stores' counters hold: all items, or one firm or
	// alliance, unread or not.
	upTo := f.CountUpTo
	if _, _, ok := f.CounterKey(); ok {
		upTo = 0
	}
	var c store.Counts
	for i := range s.items {
		if upTo > 0 && c.Total > upTo {
			break
		}
		if s.match(&s.items[i], f) {
			c.Total++
			if !s.items[i].Read {
				c.Unread++
			}
		}
	}
	return c.UpTo(upTo), nil
}

// Item returns one item in full.
func (s *Source) Item(ctx context.Context, id int64) (store.Item, error) {
	err := s.begin(ctx, Call{Method: "Item", Arg: strconv.FormatInt(id, 10)})
	defer s.mu.Unlock()
	if err != nil {
		return store.Item{}, err
	}
	i, ok := s.byID[id]
	if !ok {
		return store.Item{}, fmt.Errorf("uitest: item %d: %w", id, store.ErrNotFound)
	}
	return s.items[i], nil
}

// SetRead marks items read or unread.
func (s *Source) SetRead(ctx context.Context, ids []int64, read bool) error {
	return s.set(ctx, "SetRead", ids, func(it *store.Item) { it.Read = read })
}

// SetStarred stars or unstars items.
func (s *Source) SetStarred(ctx context.Context, ids []int64, starred bool) error {
	return s.set(ctx, "SetStarred", ids, func(it *store.Item) { it.Starred = starred })
}

func (s *Source) set(ctx context.Context, method string, ids []int64, fn func(*store.Item)) error {
	var arg []string
	for _, id := range ids {
		arg = append(arg, strconv.FormatInt(id, 10))
	}
	err := s.begin(ctx, Call{Method: method, Arg: strings.Join(arg, ",")})
	defer s.mu.Unlock()
	if err != nil {
		return err
	}
	for _, id := range ids {
		if i, ok := s.byID[id]; ok {
			fn(&s.items[i])
		}
	}
	s.version++
	return nil
}

// MarkAllRead marks every item that matches f read and returns how many
// were unread.
func (s *Source) MarkAllRead(ctx context.Context, f store.Filter) (int, error) {
	err := s.begin(ctx, Call{Method: "MarkAllRead", Filter: f})
	defer s.mu.Unlock()
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range s.items {
		if !s.items[i].Read && s.match(&s.items[i], f) {
			s.items[i].Read = true
			n++
		}
	}
	s.version++
	return n, nil
}

// Feeds returns the feeds with their status.
func (s *Source) Feeds(ctx context.Context) ([]store.Feed, error) {
	err := s.begin(ctx, Call{Method: "Feeds"})
	defer s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	out := slices.Clone(s.feeds)
	c := s.cachedCounts()
	for i := range out {
		out[i].ItemCount = c.feeds[out[i].ID].Total
		out[i].UnreadCount = c.feeds[out[i].ID].Unread
	}
	return out, nil
}

// DesignationEvents returns the events of firm (or all firms) at or after
// since, newest first.
func (s *Source) DesignationEvents(ctx context.Context, firm string, since time.Time) ([]store.DesignationEvent, error) {
	err := s.begin(ctx, Call{Method: "DesignationEvents", Arg: firm})
	defer s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	var out []store.DesignationEvent
	for _, e := range s.events {
		if (firm == "" || e.Firm == firm) && !e.At.Before(since) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b store.DesignationEvent) int { return b.At.Compare(a.At) })
	return out, nil
}

// ChangesSeen returns when "what changed" was last looked at.
func (s *Source) ChangesSeen(ctx context.Context) (time.Time, error) {
	err := s.begin(ctx, Call{Method: "ChangesSeen"})
	defer s.mu.Unlock()
	return s.seen, err
}

// SetChangesSeen records when "what changed" was looked at.
func (s *Source) SetChangesSeen(ctx context.Context, t time.Time) error {
	err := s.begin(ctx, Call{Method: "SetChangesSeen", Arg: t.Format(time.RFC3339)})
	defer s.mu.Unlock()
	if err != nil {
		return err
	}
	s.seen = t
	s.version++
	return nil
}

// DataVersion changes whenever the fake is written to.
func (s *Source) DataVersion(ctx context.Context) (int64, error) {
	err := s.begin(ctx, Call{Method: "DataVersion"})
	defer s.mu.Unlock()
	return s.version, err
}

// AddItem adds an item as another process would: it gets the next ID, its
// mentions are found, and the data version changes. It returns the ID.
func (s *Source) AddItem(feed int64, lang, title, summary string, published time.Time) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var id int64
	for _, it := range s.items {
		id = max(id, it.ID)
	}
	id++
	it := s.makeItem(id, story{feed: feed, lang: lang, title: title, summary: summary,
		url: "https://example.com/item/" + strconv.FormatInt(id, 10)}, published)
	s.items = append(s.items, it)
	s.reindex()
	s.version++
	return id
}

// ItemState returns an item's read and starred state, for assertions.
func (s *Source) ItemState(id int64) (read, starred bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.byID[id]
	if !ok {
		return false, false, errors.New("uitest: no such item")
	}
	return s.items[i].Read, s.items[i].Starred, nil
}

// ItemIDs returns the IDs of all items, newest first.
func (s *Source) ItemIDs() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int64, len(s.items))
	for i, it := range s.items {
		ids[i] = it.ID
	}
	return ids
}

// match reports whether it passes f.
func (s *Source) match(it *store.Item, f store.Filter) bool {
	if f.IDs != nil && !slices.Contains(f.IDs, it.ID) {
		return false
	}
	if !tristate(f.Unread, !it.Read) || !tristate(f.Starred, it.Starred) || !tristate(f.Sanctions, it.Sanctions) {
		return false
	}
	if !f.Since.IsZero() && it.Published.Before(f.Since) {
		return false
	}
	if !f.Until.IsZero() && !it.Published.Before(f.Until) {
		return false
	}
	for _, id := range f.Firms {
		if !slices.Contains(it.Firms, id) {
			return false
		}
	}
	for _, id := range f.NotFirms {
		if slices.Contains(it.Firms, id) {
			return false
		}
	}
	for _, a := range f.Alliances {
		if !s.namesAlliance(it, a) {
			return false
		}
	}
	for _, a := range f.NotAlliances {
		if s.namesAlliance(it, a) {
			return false
		}
	}
	for _, l := range f.Lists {
		if !s.namesListed(it, l) {
			return false
		}
	}
	for _, l := range f.NotLists {
		if s.namesListed(it, l) {
			return false
		}
	}
	if len(f.Langs) > 0 && !slices.Contains(f.Langs, it.Lang) || slices.Contains(f.NotLangs, it.Lang) {
		return false
	}
	for _, fd := range f.Feeds {
		if !matchFeed(it, fd) {
			return false
		}
	}
	for _, fd := range f.NotFeeds {
		if matchFeed(it, fd) {
			return false
		}
	}
	for _, t := range f.Text {
		if !containsFold(it.Title, t) && !containsFold(it.Summary, t) {
			return false
		}
	}
	for _, t := range f.NotText {
		if containsFold(it.Title, t) || containsFold(it.Summary, t) {
			return false
		}
	}
	return true
}

func tristate(t store.Tristate, v bool) bool {
	switch t {
	case store.Yes:
		return v
	case store.No:
		return !v
	}
	return true
}

func (s *Source) namesAlliance(it *store.Item, a string) bool {
	if slices.Contains(it.Alliances, a) {
		return true
	}
	for _, f := range s.members[a] {
		if slices.Contains(it.Firms, f) {
			return true
		}
	}
	return false
}

func (s *Source) namesListed(it *store.Item, list string) bool {
	for _, id := range it.Firms {
		f, _ := s.firm(id)
		for _, d := range f.Designations {
			if d.List == list && d.Active() {
				return true
			}
		}
	}
	return false
}

func matchFeed(it *store.Item, fd string) bool {
	return strconv.FormatInt(it.FeedID, 10) == fd || containsFold(it.FeedTitle, fd)
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// SetDelay makes every later call sleep d first.
func (s *Source) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Delay = d
}

// SetErr makes every later call fail with err (nil to stop).
func (s *Source) SetErr(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Err = err
}
