package storetest

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// countState is every counter the panes show.
type countState struct {
	all, starred store.Counts
	firms, allys map[string]store.Counts
}

func counters(t *testing.T, db store.Backend) countState {
	t.Helper()
	fc, err := db.FirmCounts(t.Context())
	if err != nil {
		t.Fatalf("FirmCounts: %v", err)
	}
	ac, err := db.AllianceCounts(t.Context())
	if err != nil {
		t.Fatalf("AllianceCounts: %v", err)
	}
	return countState{all: count(t, db, store.Filter{}), starred: count(t, db, store.Filter{Starred: store.Yes}), firms: fc, allys: ac}
}

// delta is a change of one entity's counts: total, unread, and the
// trend weeks (indexes into store.Trend) that gained an item.
type delta struct {
	total, unread int
	weeks         []int
}

func (d delta) add(c store.Counts) store.Counts {
	c.Total += d.total
	c.Unread += d.unread
	for _, w := range d.weeks {
		c.Trend[w]++
	}
	return c
}

// expectCounts checks the counters against base changed by the deltas:
// firms and allys name entities whose counts changed, every other entity
// keeps its base counts.
func expectCounts(t *testing.T, step string, db store.Backend, base countState, all, starred store.Counts, firms, allys map[string]delta) {
	t.Helper()
	got := counters(t, db)
	if got.all != all {
		t.Errorf("%s: CountItems = %+v, want %+v", step, got.all, all)
	}
	if got.starred != starred {
		t.Errorf("%s: starred = %+v, want %+v", step, got.starred, starred)
	}
	cmpMap := func(what string, got, base map[string]store.Counts, deltas map[string]delta) {
		t.Helper()
		want := maps.Clone(base)
		for id, d := range deltas {
			want[id] = d.add(want[id])
		}
		for _, id := range slices.Sorted(maps.Keys(want)) {
			if got[id] != want[id] && !(want[id] == (store.Counts{}) && !has(got, id)) {
				t.Errorf("%s: %s[%q] = %+v, want %+v", step, what, id, got[id], want[id])
			}
		}
		for id, c := range got {
			if _, ok := want[id]; !ok && c != (store.Counts{}) {
				t.Errorf("%s: %s has %q = %+v, want none", step, what, id, c)
			}
		}
	}
	cmpMap("FirmCounts", got.firms, base.firms, firms)
	cmpMap("AllianceCounts", got.allys, base.allys, allys)
}

func has(m map[string]store.Counts, k string) bool { _, ok := m[k]; return ok }

// trendWeek is the index in a Trend ending this week of an item published
// at p; the suite publishes inside the window.
func trendWeek(t *testing.T, p time.Time) int {
	t.Helper()
	w, ok := store.TrendWeek(time.Now(), p.Unix())
	if !ok {
		t.Fatalf("%v is outside the trend", p)
	}
	return w
}

// counters: FirmCounts, AllianceCounts (with the alliance roll-up and
// "" for all items) and CountItems follow saves, reads, stars and a
// feed's removal exactly. (sqlite: TestCountersStayRight, TestTrends.)
func (s *suite) counters(t *testing.T) {
	ctx := t.Context()
	_, db := s.seeded(t)
	base := counters(t, db)
	if base.all.Total == 0 || base.all.Total != base.allys[""].Total {
		t.Fatalf("the seeded store counts %+v items, AllianceCounts[\"\"] %+v", base.all, base.allys[""])
	}
	now := time.Now()
	d1, d2, d3, old := now.Add(-24*time.Hour), now.Add(-15*24*time.Hour), now.Add(-30*24*time.Hour), now.Add(-400*24*time.Hour)
	w1, w2, w3 := trendWeek(t, d1), trendWeek(t, d2), trendWeek(t, d3)
	feed := addFeed(t, db, "https://example.org/counts.xml", "Counts")
	save(t, db, feed,
		store.Item{Key: "1", Title: "Huawei news", Firms: []string{"huawei"}, Published: d1},
		store.Item{Key: "2", Title: "Biren and SenseTime", Firms: []string{"biren", "sensetime"}, Published: d2},
		store.Item{Key: "3", Title: "the alliance", Alliances: []string{"model-chip"}, Published: d3},
		store.Item{Key: "4", Title: "nothing named, long ago", Published: old})
	// model-chip's members include huawei and biren; shanghai-gcc-ai's
	// include sensetime: an item counts once for an alliance.
	plus := func(n, unread int) store.Counts {
		return store.Counts{Total: base.all.Total + n, Unread: base.all.Unread + unread}
	}
	expectCounts(t, "save", db, base, plus(4, 4), base.starred,
		map[string]delta{"huawei": {1, 1, []int{w1}}, "biren": {1, 1, []int{w2}}, "sensetime": {1, 1, []int{w2}}},
		map[string]delta{"model-chip": {3, 3, []int{w1, w2, w3}}, "shanghai-gcc-ai": {1, 1, []int{w2}}, "": {4, 4, nil}})
	inCounts := func(f store.Filter) store.Filter {
		g := inFeed(t, db, feed)
		f.Feeds = g.Feeds
		return f
	}
	for f, want := range map[string]int{"huawei": 1, "biren": 1} {
		if c := count(t, db, inCounts(store.Filter{Firms: []string{f}})); c.Total != want {
			t.Errorf("CountItems firm:%s in the feed = %+v, want %d", f, c, want)
		}
	}
	if c := count(t, db, inCounts(store.Filter{Alliances: []string{"model-chip"}})); c != (store.Counts{Total: 3, Unread: 3}) {
		t.Errorf("CountItems alliance:model-chip in the feed = %+v, want 3 unread", c)
	}

	one, two, three := byKey(t, db, feed, "1").ID, byKey(t, db, feed, "2").ID, byKey(t, db, feed, "3").ID
	if err := db.SetRead(ctx, []int64{one, two}, true); err != nil {
		t.Fatal(err)
	}
	expectCounts(t, "read", db, base, plus(4, 2), base.starred,
		map[string]delta{"huawei": {1, 0, []int{w1}}, "biren": {1, 0, []int{w2}}, "sensetime": {1, 0, []int{w2}}},
		map[string]delta{"model-chip": {3, 1, []int{w1, w2, w3}}, "shanghai-gcc-ai": {1, 0, []int{w2}}, "": {4, 2, nil}})

	if err := db.SetStarred(ctx, []int64{three}, true); err != nil {
		t.Fatal(err)
	}
	starred := store.Counts{Total: base.starred.Total + 1, Unread: base.starred.Unread + 1}
	expectCounts(t, "star", db, base, plus(4, 2), starred,
		map[string]delta{"huawei": {1, 0, []int{w1}}, "biren": {1, 0, []int{w2}}, "sensetime": {1, 0, []int{w2}}},
		map[string]delta{"model-chip": {3, 1, []int{w1, w2, w3}}, "shanghai-gcc-ai": {1, 0, []int{w2}}, "": {4, 2, nil}})
	if c := count(t, db, inCounts(store.Filter{Alliances: []string{"model-chip"}, Unread: store.Yes})); c.Total != 1 {
		t.Errorf("unread model-chip items of the feed: %+v, want 1", c)
	}

	if err := db.SetRead(ctx, []int64{two}, false); err != nil {
		t.Fatal(err)
	}
	expectCounts(t, "unread again", db, base, plus(4, 3), starred,
		map[string]delta{"huawei": {1, 0, []int{w1}}, "biren": {1, 1, []int{w2}}, "sensetime": {1, 1, []int{w2}}},
		map[string]delta{"model-chip": {3, 2, []int{w1, w2, w3}}, "shanghai-gcc-ai": {1, 1, []int{w2}}, "": {4, 3, nil}})

	// A re-tag by a re-fetch moves the counts with it.
	if st := save(t, db, feed, store.Item{Key: "2", Title: "Biren alone", Firms: []string{"biren"}, Published: d2}); st != (store.SaveStats{Updated: 1}) {
		t.Fatalf("resave: %+v", st)
	}
	expectCounts(t, "re-tag", db, base, plus(4, 3), starred,
		map[string]delta{"huawei": {1, 0, []int{w1}}, "biren": {1, 1, []int{w2}}},
		map[string]delta{"model-chip": {3, 2, []int{w1, w2, w3}}, "": {4, 3, nil}})

	n, err := db.RemoveFeed(ctx, feed)
	if err != nil || n != 4 {
		t.Fatalf("RemoveFeed = %d, %v; want its 4 items", n, err)
	}
	expectCounts(t, "remove feed", db, base, base.all, base.starred, nil, nil)
}

// storyCopies: copies of one story from several feeds are listed and
// counted once, marked together, and a late copy takes the story's
// marks. (sqlite: TestOneStoryOnce.)
func (s *suite) storyCopies(t *testing.T) {
	ctx := t.Context()
	db := s.newStore(t).Open(t)
	feeds := map[string]int64{}
	for _, n := range []string{"Alpha", "Beta", "Gamma", "Delta"} {
		feeds[n] = addFeed(t, db, "https://"+n+".example.org/feed", n)
	}
	day0 := time.Now().UTC().Truncate(time.Hour).Add(-72 * time.Hour)
	item := func(key, url, title string, at time.Time, firms ...string) store.Item {
		return store.Item{Key: key, URL: url, Title: title, Summary: title + ".", Lang: "en", Published: at, Firms: firms}
	}
	save(t, db, feeds["Alpha"], item("a1", "https://news.example.com/2026/chip?utm_source=alpha", "Huawei ships a new accelerator", day0, "huawei"),
		item("a2", "https://news.example.com/2026/other", "Something else entirely happened", day0.Add(time.Hour)))
	// The same link but for utm_source, a day later, from Beta; and an
	// earlier copy from Gamma, saved last.
	save(t, db, feeds["Beta"], item("b1", "https://www.news.example.com/2026/chip?utm_source=beta&utm_medium=rss", "Huawei ships new accelerator (Beta)", day0.Add(24*time.Hour), "huawei"))
	save(t, db, feeds["Gamma"], item("c1", "http://news.example.com/2026/chip/", "Huawei’s accelerator", day0.Add(-2*time.Hour), "huawei"))

	listed := func(f store.Filter) []string {
		t.Helper()
		var out []string
		for _, it := range items(t, db, f) {
			s := it.FeedTitle + ": " + it.Title
			if len(it.AlsoIn) > 0 {
				s += fmt.Sprintf(" %v", it.AlsoIn)
			}
			out = append(out, s)
		}
		return out
	}
	if got, want := listed(store.Filter{}), []string{"Alpha: Something else entirely happened", "Gamma: Huawei’s accelerator [Alpha Beta]"}; !slices.Equal(got, want) {
		t.Errorf("listed %q, want %q", got, want)
	}
	if got := listed(store.Filter{AllCopies: true}); len(got) != 4 {
		t.Errorf("all copies: %q, want 4 items", got)
	}
	if got, want := listed(store.Filter{Feeds: []string{"Beta"}}), []string{"Beta: Huawei ships new accelerator (Beta) [Gamma Alpha]"}; !slices.Equal(got, want) {
		t.Errorf("feed:Beta listed %q, want %q", got, want)
	}
	for _, f := range []store.Filter{{}, {Firms: []string{"huawei"}}, {Text: []string{"accelerator"}}, {Firms: []string{"huawei"}, Text: []string{"accelerator"}}} {
		want := 1
		if len(f.Firms) == 0 && len(f.Text) == 0 {
			want = 2
		}
		if c := count(t, db, f); c.Total != want || c.Unread != want {
			t.Errorf("CountItems(%+v) = %+v, want %d stories unread", f, c, want)
		}
	}
	fc, err := db.FirmCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var trend store.Trend
	trend[trendWeek(t, day0.Add(-2*time.Hour))] = 1 // the story is as old as its earliest copy
	if c := fc["huawei"]; c != (store.Counts{Total: 1, Unread: 1, Trend: trend}) {
		t.Errorf("huawei counts %+v, want one unread story, once in the trend", c)
	}

	copies := func(read, starred bool, keys ...string) {
		t.Helper()
		for _, k := range keys {
			feed := feeds[map[byte]string{'a': "Alpha", 'b': "Beta", 'c': "Gamma", 'd': "Delta"}[k[0]]]
			if it := byKey(t, db, feed, k); it.Read != read || it.Starred != starred {
				t.Errorf("copy %s: read %v starred %v, want %v %v", k, it.Read, it.Starred, read, starred)
			}
		}
	}
	// Marking one copy read marks the story.
	if err := db.SetRead(ctx, []int64{byKey(t, db, feeds["Beta"], "b1").ID}, true); err != nil {
		t.Fatal(err)
	}
	copies(true, false, "a1", "b1", "c1")
	copies(false, false, "a2")
	if fc, _ := db.FirmCounts(ctx); fc["huawei"].Total != 1 || fc["huawei"].Unread != 0 {
		t.Errorf("huawei counts %+v after reading, want one read story", fc["huawei"])
	}
	if c := count(t, db, store.Filter{}); c != (store.Counts{Total: 2, Unread: 1}) {
		t.Errorf("CountItems after reading the story: %+v", c)
	}
	// Starring one stars all.
	if err := db.SetStarred(ctx, []int64{byKey(t, db, feeds["Alpha"], "a1").ID}, true); err != nil {
		t.Fatal(err)
	}
	copies(true, true, "a1", "b1", "c1")
	if got := listed(store.Filter{Starred: store.Yes}); !slices.Equal(got, []string{"Gamma: Huawei’s accelerator [Alpha Beta]"}) {
		t.Errorf("starred: %q", got)
	}
	// A copy that arrives later takes the story's marks, and stays hidden.
	save(t, db, feeds["Delta"], item("d1", "https://news.example.com/2026/chip?fbclid=x", "Huawei accelerator news", day0.Add(30*time.Hour), "huawei"))
	copies(true, true, "d1")
	if got := listed(store.Filter{Firms: []string{"huawei"}}); !slices.Equal(got, []string{"Gamma: Huawei’s accelerator [Alpha Beta Delta]"}) {
		t.Errorf("after a late copy: %q", got)
	}
	if c := count(t, db, store.Filter{}); c != (store.Counts{Total: 2, Unread: 1}) {
		t.Errorf("CountItems after a late copy: %+v", c)
	}
	// Unread again: the whole story.
	if err := db.SetRead(ctx, []int64{byKey(t, db, feeds["Delta"], "d1").ID}, false); err != nil {
		t.Fatal(err)
	}
	copies(false, true, "a1", "b1", "c1", "d1")
	// The copy shown goes with its feed: the earliest left takes its place.
	if _, err := db.RemoveFeed(ctx, feeds["Gamma"]); err != nil {
		t.Fatal(err)
	}
	if got := listed(store.Filter{Firms: []string{"huawei"}}); !slices.Equal(got, []string{"Alpha: Huawei ships a new accelerator [Beta Delta]"}) {
		t.Errorf("after removing Gamma: %q", got)
	}
	// Mark all read counts stories and marks every copy.
	if n, err := db.MarkAllRead(ctx, store.Filter{Firms: []string{"huawei"}}); err != nil || n != 1 {
		t.Errorf("MarkAllRead = %d, %v; want 1 story", n, err)
	}
	copies(true, true, "a1", "b1", "d1")
	if c := count(t, db, store.Filter{}); c != (store.Counts{Total: 2, Unread: 1}) {
		t.Errorf("CountItems at the end: %+v", c)
	}
}

// ignore: the config file's ignore rules hide items from lists, counts,
// searches and mark-all-read, never delete or mark them, and an item is
// still read by its ID. (sqlite: TestIgnore.)
func (s *suite) ignore(t *testing.T) {
	ctx := t.Context()
	_, db := s.seeded(t)
	noisy := addFeed(t, db, "https://noise.example.org/feed.xml", "Some Feed")
	good := addFeed(t, db, "https://good.example.org/feed.xml", "Good Feed")
	save(t, db, noisy,
		store.Item{Key: "n1", Title: "Huawei noise", Firms: []string{"huawei"}, Published: day},
		store.Item{Key: "n2", Title: "more noise", Published: day})
	save(t, db, good, store.Item{Key: "g1", Title: "Huawei news", Firms: []string{"huawei"}, Published: day})
	before := count(t, db, store.Filter{})
	huaweiBefore := count(t, db, store.Filter{Firms: []string{"huawei"}})
	firmsBefore, err := db.FirmCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}

	db.SetIgnore([]store.Filter{{Feeds: []string{"Some Feed"}}})
	for _, f := range []store.Filter{{Firms: []string{"huawei"}, Limit: 50}, {}} {
		for _, it := range items(t, db, f) {
			if it.FeedID == noisy {
				t.Errorf("ignored item %q listed by %+v", it.Title, f)
			}
		}
	}
	if after := count(t, db, store.Filter{}); after != (store.Counts{Total: before.Total - 2, Unread: before.Unread - 2}) {
		t.Errorf("all items: %+v → %+v, want 2 fewer", before, after)
	}
	if c := count(t, db, store.Filter{Firms: []string{"huawei"}, Unread: store.Yes}); c.Total != huaweiBefore.Unread-1 {
		t.Errorf("huawei unread: %d → %d, want 1 fewer", huaweiBefore.Unread, c.Total)
	}
	if c := count(t, db, store.Filter{Text: []string{"noise"}}); c.Total != 0 {
		t.Errorf("a search counts %d ignored items", c.Total)
	}
	firms, err := db.FirmCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if firms["huawei"].Total != firmsBefore["huawei"].Total-1 || firms["huawei"].Unread != firmsBefore["huawei"].Unread-1 {
		t.Errorf("huawei's counts %+v → %+v, want 1 fewer", firmsBefore["huawei"], firms["huawei"])
	}
	feeds, err := db.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		if f.ID == noisy && (f.IgnoredCount != 2 || f.ItemCount != 0) {
			t.Errorf("noisy feed: %d items, %d ignored; want 0 and 2", f.ItemCount, f.IgnoredCount)
		}
		if f.ID == good && (f.IgnoredCount != 0 || f.ItemCount != 1) {
			t.Errorf("good feed: %d items, %d ignored; want 1 and 0", f.ItemCount, f.IgnoredCount)
		}
	}
	if n, err := db.MarkAllRead(ctx, store.Filter{Firms: []string{"huawei"}}); err != nil || n != huaweiBefore.Unread-1 {
		t.Errorf("MarkAllRead marked %d (%v), want the %d shown", n, err, huaweiBefore.Unread-1)
	}
	// Never deleted: without the rules the items are back, unread.
	db.SetIgnore(nil)
	back := items(t, db, store.Filter{Feeds: []string{"Some Feed"}, Limit: 10})
	if len(back) != 2 {
		t.Fatalf("ignored items after clearing the rules: %d, want 2", len(back))
	}
	for _, it := range back {
		if it.Read {
			t.Errorf("%q was marked read while ignored", it.Title)
		}
	}
	// An item is read by its ID even while ignored.
	db.SetIgnore([]store.Filter{{Feeds: []string{"Some Feed"}}})
	if it, err := db.Item(ctx, back[0].ID); err != nil || it.ID != back[0].ID {
		t.Errorf("Item of an ignored item: %+v, %v", it, err)
	}
}

// countUpTo: a count may stop at Filter.CountUpTo. Below the cap it is
// exact; above it, Total is the cap, More is set, and Unread is a lower
// bound that the read items cannot push below. Counts the counters hold
// stay exact whatever the cap.
func (s *suite) countUpTo(t *testing.T) {
	ctx := t.Context()
	_, db := s.seeded(t)
	feed := addFeed(t, db, "https://example.org/capped.xml", "Capped")
	var its []store.Item
	for i := range 8 {
		its = append(its, store.Item{Key: "h" + strconv.Itoa(i), Title: "华为 capped story " + strconv.Itoa(i),
			Firms: []string{"huawei"}, Published: day.Add(time.Duration(i) * time.Hour)})
	}
	for i := range 4 {
		its = append(its, store.Item{Key: "o" + strconv.Itoa(i), Title: "capped other " + strconv.Itoa(i),
			Published: day.Add(time.Duration(i) * time.Minute)})
	}
	save(t, db, feed, its...)
	var read []int64
	for _, k := range []string{"h1", "h4", "h6", "o2"} {
		read = append(read, byKey(t, db, feed, k).ID)
	}
	if err := db.SetRead(ctx, read, true); err != nil {
		t.Fatal(err)
	}
	in := inFeed(t, db, feed)
	// Anchors: the exact counts of the feed's own items.
	for _, tc := range []struct {
		f         store.Filter
		total, un int
	}{
		{store.Filter{Text: []string{"capped"}, Feeds: in.Feeds}, 12, 8},
		{store.Filter{Text: []string{"华为"}, Feeds: in.Feeds}, 8, 5},
		{store.Filter{Text: []string{"capped"}, Feeds: in.Feeds, Unread: store.Yes}, 8, 8},
	} {
		for _, upTo := range []int{0, tc.total, tc.total + 5} {
			g := tc.f
			g.CountUpTo = upTo
			if c := count(t, db, g); c != (store.Counts{Total: tc.total, Unread: tc.un}) {
				t.Errorf("CountItems(%v up to %d) = %+v, want %d, %d unread, exact", tc.f.Text, upTo, c, tc.total, tc.un)
			}
		}
		g := tc.f
		g.CountUpTo = tc.total - 1
		if c := count(t, db, g); !c.More || c.Total != tc.total-1 {
			t.Errorf("CountItems(%v up to %d) = %+v, want %d and more", tc.f.Text, g.CountUpTo, c, g.CountUpTo)
		}
	}
	// The bounds, over the plans each backend picks: a search alone, one
	// under a firm or an alliance, with a word, and the counters' own.
	filters := []store.Filter{
		{Text: []string{"华为"}},
		{Text: []string{"capped"}},
		{Text: []string{"华为"}, Firms: []string{"huawei"}},
		{Text: []string{"capped"}, Firms: []string{"huawei"}},
		{Text: []string{"华"}, Alliances: []string{"model-chip"}},
		{Text: []string{"story"}, Unread: store.Yes},
		{Firms: []string{"huawei"}},
		{Alliances: []string{"model-chip"}},
		{},
	}
	for _, f := range filters {
		exact := count(t, db, f)
		_, _, fromCounters := f.CounterKey()
		for _, upTo := range []int{1, 3, exact.Total - 1, exact.Total, exact.Total + 1} {
			if upTo <= 0 {
				continue
			}
			g := f
			g.CountUpTo = upTo
			c := count(t, db, g)
			switch {
			case fromCounters || upTo >= exact.Total:
				if c != exact {
					t.Errorf("CountItems(%+v up to %d) = %+v, want the exact %+v", f, upTo, c, exact)
				}
			case !c.More || c.Total != upTo:
				t.Errorf("CountItems(%+v up to %d) = %+v, want %d and more (of %+v)", f, upTo, c, upTo, exact)
			case c.Unread > exact.Unread || c.Unread > upTo || c.Unread < upTo-(exact.Total-exact.Unread):
				t.Errorf("CountItems(%+v up to %d) counts %d unread, out of bounds for %+v", f, upTo, c.Unread, exact)
			}
		}
	}
}
