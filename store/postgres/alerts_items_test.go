package postgres_test

import (
	"errors"
	"testing"

	"github.com/aiwatch/aiwatch/store"
)

// The item check matches through Items, the one reading of a Filter, so
// these tests skip (loudly) until Items is written for PostgreSQL.

func TestAlertsOnePerItemPerWatch(t *testing.T) {
	ctx := t.Context()
	db, _ := open(t, "alice")
	needItems(t, db)
	feed := fixtureFeed(t, db, "https://example.org/a.xml", "A")
	// Stored before the watch: never an alert.
	fixtureItem(t, db, feed, "old", "Biren old news", alertDay, "biren")

	w, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	if err != nil || w.ID == 0 {
		t.Fatalf("add watch: %+v %v", w, err)
	}
	if _, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchQuery, Value: "chip"}); err != nil {
		t.Fatal(err)
	}
	if as := checkAlerts(t, db); len(as) != 0 {
		t.Fatalf("alerts for items stored before the watch: %+v", as)
	}
	fixtureItem(t, db, feed, "1", "Biren ships a chip", alertDay, "biren")
	fixtureItem(t, db, feed, "2", "Biren raises money", alertDay, "biren")
	fixtureItem(t, db, feed, "3", "Huawei news", alertDay, "huawei")
	as := checkAlerts(t, db)
	// biren: items 1 and 2; "chip": item 1.
	if len(as) != 3 {
		t.Fatalf("first check: %d alerts, want 3: %+v", len(as), as)
	}
	for _, a := range as {
		if a.Kind != store.AlertItem || a.ItemID == 0 || a.Title == "" || a.Firm != "biren" || a.Detail != "A · 2026-12-01" {
			t.Errorf("alert %+v", a)
		}
	}
	if again := checkAlerts(t, db); len(again) != 0 {
		t.Errorf("a second check with nothing new gave %d alerts", len(again))
	}
	// A check that looks at everything again (as a re-tag or a second
	// process that read the old marks would) adds nothing.
	fixtureExec(t, db, `UPDATE user_meta SET value = '0' WHERE key = 'alerts_item_mark'`)
	if again := checkAlerts(t, db); len(again) != 0 {
		t.Errorf("a repeated look gave %d more alerts", len(again))
	}
	fixtureItem(t, db, feed, "4", "Biren again", alertDay, "biren")
	if more := checkAlerts(t, db); len(more) != 1 {
		t.Errorf("third item: %d alerts", len(more))
	}
	all, _ := db.Alerts(ctx, false)
	if len(all) != 4 || all[0].ID < all[1].ID {
		t.Fatalf("alerts = %+v (want 4, newest first)", all)
	}
	// Removing the entry removes its alerts.
	if err := db.RemoveWatch(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	if every, _ := db.Alerts(ctx, true); len(every) != 1 || every[0].Watch != "chip" {
		t.Errorf("after rm: %+v", every)
	}
}

func TestAlertsNewIDsAfterDeletion(t *testing.T) {
	ctx := t.Context()
	db, _ := open(t, "alice")
	needItems(t, db)
	a := fixtureFeed(t, db, "https://example.org/a.xml", "")
	b := fixtureFeed(t, db, "https://example.org/b.xml", "")
	db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "huawei"})
	fixtureItem(t, db, a, "a1", "Huawei a", alertDay, "huawei")
	fixtureItem(t, db, b, "b1", "Huawei b", alertDay, "huawei")
	if as := checkAlerts(t, db); len(as) != 2 {
		t.Fatalf("%d alerts", len(as))
	}
	// The newest items go with their feed; the next new item must not
	// take a looked-at id.
	fixtureExec(t, db, `DELETE FROM feeds WHERE id = $1`, b)
	fixtureItem(t, db, a, "a2", "Huawei a2", alertDay, "huawei")
	as := checkAlerts(t, db)
	if len(as) != 1 || as[0].Title != "Huawei a2" {
		t.Errorf("after deleting the newest items: %+v", as)
	}
	// An alert goes with its item.
	if every, _ := db.Alerts(ctx, true); len(every) != 2 {
		t.Errorf("alerts after the deletion: %+v", every)
	}
}

// TestAlertsTwoProcesses: two handles of one user that read the same
// marks record each alert once.
func TestAlertsTwoProcesses(t *testing.T) {
	ctx := t.Context()
	one, dsn := open(t, "alice")
	needItems(t, one)
	two := openUser(t, dsn, "alice")
	feed := fixtureFeed(t, one, "https://example.org/a.xml", "")
	one.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "huawei"})
	fixtureItem(t, one, feed, "1", "x", alertDay, "huawei")
	m1, m2 := watchMatches(t, one), watchMatches(t, two)
	a1, err1 := one.CheckAlerts(ctx, m1)
	a2, err2 := two.CheckAlerts(ctx, m2)
	if err1 != nil || err2 != nil || len(a1)+len(a2) != 1 {
		t.Errorf("two processes: %d + %d alerts (%v, %v)", len(a1), len(a2), err1, err2)
	}
	fixtureItem(t, one, feed, "2", "y", alertDay, "huawei")
	a2, _ = two.CheckAlerts(ctx, m2)
	a1, _ = one.CheckAlerts(ctx, m1)
	if len(a1)+len(a2) != 1 {
		t.Errorf("in turn: %d + %d", len(a1), len(a2))
	}
	if all, _ := one.Alerts(ctx, true); len(all) != 2 {
		t.Errorf("%d alerts in all", len(all))
	}
}

// TestItemAlertsPerUser: the same item alerts each user who watches it,
// once each; one user's ack leaves the other's alert open.
func TestItemAlertsPerUser(t *testing.T) {
	ctx := t.Context()
	alice, dsn := open(t, "alice")
	needItems(t, alice)
	bob := openUser(t, dsn, "bob")
	feed := fixtureFeed(t, alice, "https://example.org/a.xml", "A")
	alice.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	// Bob's entry comes after the first item: only the second is his.
	first := fixtureItem(t, alice, feed, "1", "Biren one", alertDay, "biren")
	bob.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	second := fixtureItem(t, alice, feed, "2", "Biren two", alertDay, "biren")
	as := checkAlerts(t, alice)
	if len(as) != 2 || as[0].ItemID != first || as[1].ItemID != second {
		t.Fatalf("alice: %+v", as)
	}
	bs := checkAlerts(t, bob)
	if len(bs) != 1 || bs[0].ItemID != second {
		t.Fatalf("bob: %+v", bs)
	}
	if _, err := bob.AckAlerts(ctx, []int64{as[1].ID}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bob acknowledged alice's alert: %v", err)
	}
	alice.AckAllAlerts(ctx)
	if open, _ := bob.Alerts(ctx, false); len(open) != 1 || open[0].ItemID != second || open[0].Title != "Biren two" {
		t.Errorf("bob's open alerts after alice acknowledged hers: %+v", open)
	}
}

// TestAlertsIgnoredItems: an item the ignore rules hide never alerts.
func TestAlertsIgnoredItems(t *testing.T) {
	ctx := t.Context()
	db, _ := open(t, "alice")
	needItems(t, db)
	noisy := fixtureFeed(t, db, "https://noise.example.org/feed.xml", "Some Feed")
	good := fixtureFeed(t, db, "https://good.example.org/feed.xml", "Good Feed")
	db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "huawei"})
	fixtureItem(t, db, noisy, "n1", "Huawei noise", alertDay, "huawei")
	keep := fixtureItem(t, db, good, "g1", "Huawei news", alertDay, "huawei")
	db.SetIgnore([]store.Filter{{Feeds: []string{"Some Feed"}}})
	if as := checkAlerts(t, db); len(as) != 1 || as[0].ItemID != keep {
		t.Errorf("alerts with an ignored feed: %+v", as)
	}
}
