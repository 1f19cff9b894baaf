// Package storetest is the contract suite of store.Backend: one set of
// behaviours that every backend (store/sqlite, store/postgres) must show,
// driven through the interface alone. Each backend's contract_test.go runs
// it with Run. The cases come from store/sqlite's tests, which pinned the
// behaviour first: seeding, reopening with user state kept, saves whole or
// not at all, marks kept on re-fetch, counters, search, the sanctions
// history, views, the watch list and its alerts, and, where the backend
// keeps them per user, each user's own marks, views, watches and alerts.
package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/query"
)

// Opener opens handles onto one store, made for one case.
type Opener interface {
	// Open opens a new handle onto the store as its default user. Every
	// call opens anew, as a second run of aiwatch would; t's cleanup
	// closes the handle, and a test may close it sooner.
	Open(t *testing.T) store.Backend
	// OpenAs opens a new handle onto the same store as user. A backend
	// without users (Options.Users false) opens its one implicit user's.
	OpenAs(t *testing.T, user string) store.Backend
}

// Options describe the backend under test.
type Options struct {
	// Users says the backend keeps marks, views, the watch list, alerts
	// and the changes-seen mark per user. The two-user assertions run only
	// then; otherwise the Users case checks that two handles share them,
	// as the one implicit user's.
	Users bool
	// Outdate makes the store behave as if seeded from an older reference
	// dataset, so that the next SeedReference seeds again, as after an
	// upgrade of aiwatch: DatasetVersion must then read "older". Without
	// it the reseed cases are skipped.
	Outdate func(t *testing.T, b store.Backend)
}

// Run runs the contract suite, each case as a parallel subtest on a store
// of its own that newStore makes empty (not migrated, not seeded).
func Run(t *testing.T, newStore func(t *testing.T) Opener, o Options) {
	s := &suite{newStore: newStore, o: o}
	for _, c := range []struct {
		name string
		run  func(t *testing.T)
	}{
		{"Seed", s.seed},
		{"Reseed", s.reseed},
		{"Reopen", s.reopen},
		{"SaveWhole", s.saveWhole},
		{"RecordFetchWhole", s.recordFetchWhole},
		{"RecordFetchConcurrent", s.recordFetchConcurrent},
		{"MarksKept", s.marksKept},
		{"ConcurrentMarks", s.concurrentMarks},
		{"Counters", s.counters},
		{"CountUpTo", s.countUpTo},
		{"StoryCopies", s.storyCopies},
		{"Ignore", s.ignore},
		{"Search", s.search},
		{"SearchShortTerms", s.searchShort},
		{"CSLHistory", s.cslHistory},
		{"Views", s.views},
		{"Alerts", s.alerts},
		{"AlertsDesignations", s.alertsDesignations},
		{"Users", s.users},
	} {
		t.Run(c.name, func(t *testing.T) {
			// Cases have stores of their own; on a server, most of a
			// case's time is the server's, making its database.
			t.Parallel()
			c.run(t)
		})
	}
}

type suite struct {
	newStore func(t *testing.T) Opener
	o        Options
}

// seeded opens a new store and seeds it with the reference dataset,
// tagged with Tagger.
func (s *suite) seeded(t *testing.T) (Opener, store.Backend) {
	t.Helper()
	st := s.newStore(t)
	db := st.Open(t)
	if err := db.SeedReference(t.Context(), Tagger); err != nil {
		t.Fatalf("SeedReference: %v", err)
	}
	return st, db
}

// Tagger is the suite's stand-in for feeds/match (which store may not
// import): it names a firm or alliance when its text holds one of the
// entity's aliases, in any case unless the alias is case-sensitive.
func Tagger(aliases []store.Alias) store.TagFunc {
	type entry struct {
		kind   store.EntityKind
		entity string
		text   string
		cs     bool
	}
	var es []entry
	for _, a := range aliases {
		if a.Text == "" {
			continue
		}
		text := a.Text
		if !a.CaseSensitive {
			text = strings.ToLower(text)
		}
		es = append(es, entry{a.Kind, a.Entity, text, a.CaseSensitive})
	}
	return func(feedURL, title, summary, content string) ([]string, []string, bool, []store.Mention) {
		raw := title + "\n" + summary + "\n" + content
		lower := strings.ToLower(raw)
		var firms, alliances []string
		for _, e := range es {
			in := lower
			if e.cs {
				in = raw
			}
			if !strings.Contains(in, e.text) {
				continue
			}
			if e.kind == store.KindAlliance {
				alliances = append(alliances, e.entity)
			} else {
				firms = append(firms, e.entity)
			}
		}
		slices.Sort(firms)
		slices.Sort(alliances)
		return slices.Compact(firms), slices.Compact(alliances), false, nil
	}
}

// day is the suite's fixed publication date for items whose week does
// not matter.
var day = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// addFeed adds a user feed and returns its ID.
func addFeed(t *testing.T, db store.Backend, url, title string) int64 {
	t.Helper()
	id, err := db.AddFeed(t.Context(), store.Feed{URL: url, Title: title, Enabled: true})
	if err != nil {
		t.Fatalf("AddFeed %s: %v", url, err)
	}
	return id
}

// save saves items into feed, failing t on an error.
func save(t *testing.T, db store.Backend, feed int64, items ...store.Item) store.SaveStats {
	t.Helper()
	st, err := db.SaveItems(t.Context(), feed, items)
	if err != nil {
		t.Fatalf("SaveItems: %v", err)
	}
	return st
}

// inFeed is a filter for the items of one feed, every copy. It names the
// feed by its URL: the suite's feed URLs are never part of another's, and
// a filter by ID would also match feeds whose title or URL holds the
// digits.
func inFeed(t *testing.T, db store.Backend, feed int64) store.Filter {
	t.Helper()
	f, err := db.Feed(t.Context(), feed)
	if err != nil {
		t.Fatalf("Feed(%d): %v", feed, err)
	}
	return store.Filter{Feeds: []string{f.URL}}
}

// items lists f, failing t on an error.
func items(t *testing.T, db store.Backend, f store.Filter) []store.Item {
	t.Helper()
	its, err := db.Items(t.Context(), f)
	if err != nil {
		t.Fatalf("Items(%+v): %v", f, err)
	}
	return its
}

// keys returns the sorted keys of the items f lists.
func keys(t *testing.T, db store.Backend, f store.Filter) []string {
	t.Helper()
	var out []string
	for _, it := range items(t, db, f) {
		out = append(out, it.Key)
	}
	slices.Sort(out)
	return out
}

// byKey returns the item of feed with key.
func byKey(t *testing.T, db store.Backend, feed int64, key string) store.Item {
	t.Helper()
	for _, it := range items(t, db, inFeed(t, db, feed)) {
		if it.Key == key {
			return it
		}
	}
	t.Fatalf("feed %d has no item %q", feed, key)
	return store.Item{}
}

// count counts f, failing t on an error.
func count(t *testing.T, db store.Backend, f store.Filter) store.Counts {
	t.Helper()
	c, err := db.CountItems(t.Context(), f)
	if err != nil {
		t.Fatalf("CountItems(%+v): %v", f, err)
	}
	return c
}

// watchMatches builds what the alert check needs of each entry, as
// cmd/aiwatch does: a firm by its ID, an alliance by its ID with its
// members' designation changes, a query through the filter language.
func watchMatches(t *testing.T, db store.Backend) []store.WatchMatch {
	t.Helper()
	ctx := t.Context()
	ws, err := db.Watches(ctx)
	if err != nil {
		t.Fatalf("Watches: %v", err)
	}
	firms, err := db.Firms(ctx, store.FirmQuery{Hidden: store.HiddenToo})
	if err != nil {
		t.Fatal(err)
	}
	alliances, err := db.Alliances(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lists, err := db.Lists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res := query.NewMapResolver(firms, alliances, lists)
	var out []store.WatchMatch
	for _, w := range ws {
		m := store.WatchMatch{Watch: w}
		switch w.Kind {
		case store.WatchFirm:
			m.Filter.Firms, m.Firms = []string{w.Value}, []string{w.Value}
		case store.WatchAlliance:
			for _, al := range alliances {
				if al.ID == w.Value {
					for _, mem := range al.Members {
						m.Firms = append(m.Firms, mem.Firm)
					}
				}
			}
			m.Filter.Alliances = []string{w.Value}
		case store.WatchQuery:
			f, err := query.Parse(w.Value, res, time.Now())
			if err != nil {
				t.Fatalf("watch %q: %v", w.Value, err)
			}
			m.Filter = f
		}
		out = append(out, m)
	}
	return out
}

// checkAlerts runs the alert check with db's own watch list.
func checkAlerts(t *testing.T, db store.Backend) []store.Alert {
	t.Helper()
	as, err := db.CheckAlerts(t.Context(), watchMatches(t, db))
	if err != nil {
		t.Fatalf("CheckAlerts: %v", err)
	}
	return as
}
