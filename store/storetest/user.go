package storetest

import (
	"cmp"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// views: saved views are added, listed and removed by a name compared
// without regard to case. (sqlite: TestViews.)
func (s *suite) views(t *testing.T) {
	ctx := t.Context()
	db := s.newStore(t).Open(t)
	if vs, err := db.Views(ctx); err != nil || len(vs) != 0 {
		t.Fatalf("views of a new store: %+v, %v", vs, err)
	}
	if err := db.AddView(ctx, store.View{Name: "Huawei unread", Query: "firm:huawei is:unread"}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddView(ctx, store.View{Name: "huawei UNREAD", Query: "x"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a name clash in another case: %v, want ErrConflict", err)
	}
	if err := db.AddView(ctx, store.View{Name: " ", Query: "x"}); err == nil {
		t.Error("a view without a name was stored")
	}
	if err := db.AddView(ctx, store.View{Name: "Chips", Query: "chip"}); err != nil {
		t.Fatal(err)
	}
	vs, err := db.Views(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.View{{Name: "Chips", Query: "chip", Source: "store"}, {Name: "Huawei unread", Query: "firm:huawei is:unread", Source: "store"}}
	slices.SortFunc(vs, func(a, b store.View) int { return cmp.Compare(a.Name, b.Name) })
	if !slices.Equal(vs, want) {
		t.Fatalf("views = %+v, want %+v", vs, want)
	}
	if err := db.RemoveView(ctx, "HUAWEI unread"); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveView(ctx, "Huawei unread"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing a removed view: %v, want ErrNotFound", err)
	}
	if vs, err := db.Views(ctx); err != nil || !slices.Equal(vs, want[:1]) {
		t.Errorf("views after the removal: %+v, %v", vs, err)
	}
}

// alerts: a watch entry alerts once per new item it matches, never for
// items stored before it; alerts are listed newest first, acknowledged
// by ID (an unknown ID refuses the whole ack) or all at once, and go
// with their entry. (sqlite: TestAlertsOnePerItemPerWatch.)
func (s *suite) alerts(t *testing.T) {
	ctx := t.Context()
	_, db := s.seeded(t)
	feed := addFeed(t, db, "https://example.org/a.xml", "A")
	// Stored before the watch: never an alert.
	save(t, db, feed, store.Item{Key: "old", Title: "Biren old news", Firms: []string{"biren"}, Published: day})

	w, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	if err != nil || w.ID == 0 || w.Kind != store.WatchFirm || w.Value != "biren" {
		t.Fatalf("AddWatch: %+v, %v", w, err)
	}
	if _, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("the same entry twice: %v, want ErrConflict", err)
	}
	q, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchQuery, Value: "chip"})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := db.Watches(ctx)
	if err != nil || len(ws) != 2 || ws[0].ID != w.ID || ws[1].ID != q.ID || ws[1].Value != "chip" {
		t.Fatalf("Watches = %+v, %v", ws, err)
	}
	if as := checkAlerts(t, db); len(as) != 0 {
		t.Fatalf("alerts for items stored before the watch: %+v", as)
	}

	save(t, db, feed,
		store.Item{Key: "1", Title: "Biren ships a chip", Firms: []string{"biren"}, Published: day},
		store.Item{Key: "2", Title: "Biren raises money", Firms: []string{"biren"}, Published: day},
		store.Item{Key: "3", Title: "Huawei news", Firms: []string{"huawei"}, Published: day})
	as := checkAlerts(t, db)
	// biren: items 1 and 2; "chip": item 1.
	type al struct {
		watch, title string
	}
	var got []al
	for _, a := range as {
		got = append(got, al{a.Watch, a.Title})
		if a.Kind != store.AlertItem || a.ItemID == 0 || a.Firm != "biren" || a.Detail != "A · 2026-12-01" || a.Acked || a.ID == 0 {
			t.Errorf("alert %+v", a)
		}
	}
	slices.SortFunc(got, func(a, b al) int { return cmp.Compare(a.watch+a.title, b.watch+b.title) })
	if want := []al{{"chip", "Biren ships a chip"}, {"firm:biren", "Biren raises money"}, {"firm:biren", "Biren ships a chip"}}; !slices.Equal(got, want) {
		t.Fatalf("first check: %+v, want %+v", got, want)
	}
	if again := checkAlerts(t, db); len(again) != 0 {
		t.Errorf("a second check with nothing new gave %d alerts", len(again))
	}
	save(t, db, feed, store.Item{Key: "4", Title: "Biren again", Firms: []string{"biren"}, Published: day})
	if more := checkAlerts(t, db); len(more) != 1 || more[0].Title != "Biren again" || more[0].WatchID != w.ID {
		t.Errorf("third item: %+v", more)
	}
	all, err := db.Alerts(ctx, false)
	if err != nil || len(all) != 4 {
		t.Fatalf("Alerts = %+v, %v; want 4", all, err)
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].ID < all[i].ID {
			t.Errorf("alerts not newest first: %d before %d", all[i-1].ID, all[i].ID)
		}
	}
	if n, err := db.CountAlerts(ctx); err != nil || n != 4 {
		t.Errorf("CountAlerts = %d, %v", n, err)
	}

	// Acknowledging: an unknown ID changes nothing.
	if _, err := db.AckAlerts(ctx, []int64{all[0].ID, 1 << 40}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ack of an unknown ID: %v, want ErrNotFound", err)
	}
	if n, _ := db.CountAlerts(ctx); n != 4 {
		t.Errorf("a refused ack acknowledged %d", 4-n)
	}
	if n, err := db.AckAlerts(ctx, []int64{all[0].ID}); n != 1 || err != nil {
		t.Errorf("ack: %d %v", n, err)
	}
	if open, _ := db.Alerts(ctx, false); len(open) != 3 || slices.ContainsFunc(open, func(a store.Alert) bool { return a.ID == all[0].ID }) {
		t.Errorf("%d open after one ack: %+v", len(open), open)
	}
	if every, _ := db.Alerts(ctx, true); len(every) != 4 || every[0].ID != all[0].ID || !every[0].Acked || every[1].Acked {
		t.Errorf("all alerts: %+v", every)
	}
	if n, err := db.AckAllAlerts(ctx); n != 3 || err != nil {
		t.Errorf("AckAllAlerts = %d, %v; want 3", n, err)
	}
	if n, _ := db.CountAlerts(ctx); n != 0 {
		t.Errorf("%d open after acknowledging all", n)
	}

	// Removing the entry removes its alerts.
	if err := db.RemoveWatch(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveWatch(ctx, w.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing twice: %v, want ErrNotFound", err)
	}
	if every, _ := db.Alerts(ctx, true); len(every) != 1 || every[0].Watch != "chip" || every[0].WatchID != q.ID {
		t.Errorf("after removing the entry: %+v", every)
	}
	if ws, _ := db.Watches(ctx); len(ws) != 1 || ws[0].ID != q.ID {
		t.Errorf("watches after removing one: %+v", ws)
	}
}

// alertsDesignations: a watched firm's designation change alerts once;
// an unwatched firm's does not; an alliance entry alerts for its
// members' news. (sqlite: TestAlertsDesignations.)
func (s *suite) alertsDesignations(t *testing.T) {
	ctx := t.Context()
	_, db := s.seeded(t)
	if _, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"}); err != nil {
		t.Fatal(err)
	}
	gcc, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchAlliance, Value: "shanghai-gcc-ai"})
	if err != nil {
		t.Fatal(err)
	}
	change := func(firm string) {
		t.Helper()
		if err := db.ApplyDesignations(ctx, []store.DesignationChange{{Kind: "added", Designation: store.Designation{
			Firm: firm, List: "sdn", Status: store.StatusConfirmed, Added: "2026-12-01", Source: "https://example.org"}}}, nil, store.SourceUser); err != nil {
			t.Fatal(err)
		}
	}
	change("biren")
	change("huawei")
	as := checkAlerts(t, db)
	if len(as) != 1 || as[0].Kind != store.AlertDesignation || as[0].Firm != "biren" || as[0].EventID == 0 ||
		as[0].Title != "Biren: added to OFAC SDN" || as[0].Watch != "firm:biren" {
		t.Fatalf("designation alerts: %+v", as)
	}
	if as := checkAlerts(t, db); len(as) != 0 {
		t.Errorf("again: %+v", as)
	}
	// sensetime is a member of shanghai-gcc-ai: its change and its news
	// alert the alliance's entry.
	change("sensetime")
	feed := addFeed(t, db, "https://example.org/gcc.xml", "GCC")
	save(t, db, feed, store.Item{Key: "1", Title: "SenseTime news", Firms: []string{"sensetime"}, Published: day},
		store.Item{Key: "2", Title: "Baidu news", Firms: []string{"baidu"}, Published: day})
	as = checkAlerts(t, db)
	kinds := map[string]int{}
	for _, a := range as {
		kinds[a.Kind]++
		if a.WatchID != gcc.ID || a.Firm != "sensetime" {
			t.Errorf("alliance alert %+v", a)
		}
	}
	if len(as) != 2 || kinds[store.AlertDesignation] != 1 || kinds[store.AlertItem] != 1 {
		t.Errorf("alliance alerts: %+v, want one designation and one item", as)
	}
}

// users: where the backend keeps per-user state, alice's marks, views,
// watch list, alerts and changes-seen mark are hers alone, while feeds,
// items and designations are shared. Without users, two handles share
// everything. (Issue 17: "AIWATCH_USER=alice aiwatch read ID leaves the
// item unread for bob".)
func (s *suite) users(t *testing.T) {
	ctx := t.Context()
	st := s.newStore(t)
	alice := st.OpenAs(t, "alice")
	if err := alice.SeedReference(ctx, Tagger); err != nil {
		t.Fatal(err)
	}
	bob := st.OpenAs(t, "bob")
	if err := bob.SeedReference(ctx, Tagger); err != nil {
		t.Fatal(err)
	}
	feed := addFeed(t, alice, "https://example.org/team.xml", "Team")
	save(t, alice, feed,
		store.Item{Key: "1", Title: "Huawei one", Firms: []string{"huawei"}, Published: day},
		store.Item{Key: "2", Title: "Huawei two", Firms: []string{"huawei"}, Published: day},
		store.Item{Key: "3", Title: "Biren three", Firms: []string{"biren"}, Published: day})
	// Shared: bob sees alice's feed and items.
	if f, err := bob.Feed(ctx, feed); err != nil || f.URL != "https://example.org/team.xml" {
		t.Fatalf("bob's view of alice's feed: %+v, %v", f, err)
	}
	if got := keys(t, bob, inFeed(t, bob, feed)); !slices.Equal(got, []string{"1", "2", "3"}) {
		t.Fatalf("bob's items: %v", got)
	}
	one, two := byKey(t, alice, feed, "1").ID, byKey(t, alice, feed, "2").ID
	bobBase := counters(t, bob)

	if err := alice.SetRead(ctx, []int64{one}, true); err != nil {
		t.Fatal(err)
	}
	if err := alice.SetStarred(ctx, []int64{two}, true); err != nil {
		t.Fatal(err)
	}
	if err := alice.AddView(ctx, store.View{Name: "Mine", Query: "firm:huawei"}); err != nil {
		t.Fatal(err)
	}
	aw, err := alice.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	if err != nil {
		t.Fatal(err)
	}
	bobSeen, err := bob.ChangesSeen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	if err := alice.SetChangesSeen(ctx, seen); err != nil {
		t.Fatal(err)
	}
	if it, _ := alice.Item(ctx, one); !it.Read {
		t.Error("alice's read mark is not hers")
	}

	if !s.o.Users {
		// One implicit user: the second handle sees it all.
		if it, _ := bob.Item(ctx, one); !it.Read {
			t.Error("a second handle on a store without users does not see the read mark")
		}
		if vs, _ := bob.Views(ctx); len(vs) != 1 {
			t.Errorf("a second handle sees views %+v", vs)
		}
		if ws, _ := bob.Watches(ctx); len(ws) != 1 || ws[0].ID != aw.ID {
			t.Errorf("a second handle sees watches %+v", ws)
		}
		if got, _ := bob.ChangesSeen(ctx); !got.Equal(seen) {
			t.Errorf("a second handle sees ChangesSeen %v", got)
		}
		return
	}

	// Marks: alice's read and star leave bob's items as they were.
	for _, id := range []int64{one, two} {
		if it, err := bob.Item(ctx, id); err != nil || it.Read || it.Starred {
			t.Errorf("bob's item %d: read %v starred %v, %v", id, it.Read, it.Starred, err)
		}
	}
	if got := counters(t, bob); got.all != bobBase.all || got.starred != bobBase.starred || got.firms["huawei"] != bobBase.firms["huawei"] {
		t.Errorf("bob's counts moved with alice's marks: %+v → %+v", bobBase.all, got.all)
	}
	if c := count(t, alice, inFeed(t, alice, feed)); c != (store.Counts{Total: 3, Unread: 2}) {
		t.Errorf("alice's feed counts %+v", c)
	}
	if n, err := bob.MarkAllRead(ctx, inFeed(t, bob, feed)); err != nil || n != 3 {
		t.Errorf("bob's MarkAllRead = %d, %v; want his 3 unread", n, err)
	}
	if it, _ := alice.Item(ctx, two); it.Read || !it.Starred {
		t.Errorf("bob's mark-all-read reached alice: %+v", it)
	}
	if err := bob.SetRead(ctx, []int64{one}, false); err != nil {
		t.Fatal(err)
	}
	if it, _ := alice.Item(ctx, one); !it.Read {
		t.Error("bob's unread mark reached alice")
	}

	// Views: alice's are invisible to bob, who may use the same name.
	if vs, err := bob.Views(ctx); err != nil || len(vs) != 0 {
		t.Errorf("bob sees views %+v, %v", vs, err)
	}
	if err := bob.RemoveView(ctx, "Mine"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bob removed alice's view: %v", err)
	}
	if err := bob.AddView(ctx, store.View{Name: "mine", Query: "firm:biren"}); err != nil {
		t.Errorf("bob may not use alice's view name: %v", err)
	}
	if vs, _ := alice.Views(ctx); len(vs) != 1 || vs[0].Query != "firm:huawei" {
		t.Errorf("alice's views after bob's: %+v", vs)
	}

	// Watches and alerts: each has his own.
	if ws, err := bob.Watches(ctx); err != nil || len(ws) != 0 {
		t.Errorf("bob sees watches %+v, %v", ws, err)
	}
	if err := bob.RemoveWatch(ctx, aw.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bob removed alice's watch entry: %v", err)
	}
	bw, err := bob.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	if err != nil {
		t.Fatalf("bob may not watch what alice watches: %v", err)
	}
	if as := checkAlerts(t, alice); len(as) != 0 {
		t.Fatalf("alice's first check: %+v", as)
	}
	if as := checkAlerts(t, bob); len(as) != 0 {
		t.Fatalf("bob's first check: %+v", as)
	}
	save(t, alice, feed, store.Item{Key: "4", Title: "Biren four", Firms: []string{"biren"}, Published: day})
	aa, ba := checkAlerts(t, alice), checkAlerts(t, bob)
	if len(aa) != 1 || aa[0].WatchID != aw.ID || len(ba) != 1 || ba[0].WatchID != bw.ID || aa[0].ID == ba[0].ID {
		t.Fatalf("alerts: alice %+v, bob %+v; want one each, of their own entries", aa, ba)
	}
	if _, err := bob.AckAlerts(ctx, []int64{aa[0].ID}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bob acknowledged alice's alert: %v", err)
	}
	if n, err := alice.AckAllAlerts(ctx); err != nil || n != 1 {
		t.Errorf("alice's AckAllAlerts = %d, %v", n, err)
	}
	if n, _ := bob.CountAlerts(ctx); n != 1 {
		t.Errorf("bob has %d open alerts after alice acknowledged hers, want 1", n)
	}
	if all, _ := bob.Alerts(ctx, true); len(all) != 1 || all[0].ID != ba[0].ID || all[0].Acked {
		t.Errorf("bob's alerts: %+v", all)
	}
	if err := bob.RemoveWatch(ctx, bw.ID); err != nil {
		t.Fatal(err)
	}
	if all, _ := alice.Alerts(ctx, true); len(all) != 1 || all[0].ID != aa[0].ID {
		t.Errorf("alice's alerts after bob's entry went: %+v", all)
	}

	// The changes-seen mark is each user's: alice's look leaves bob's
	// where it was (where the store started, for a user who never looked).
	if got, err := bob.ChangesSeen(ctx); err != nil || !got.Equal(bobSeen) || got.Equal(seen) {
		t.Errorf("bob's ChangesSeen = %v, %v; want his own %v", got, err, bobSeen)
	}
	if got, _ := alice.ChangesSeen(ctx); !got.Equal(seen) {
		t.Errorf("alice's ChangesSeen = %v", got)
	}
}
