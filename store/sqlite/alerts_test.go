package sqlite_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// watchMatches is what cmd builds for the alert check: firm and alliance
// entries by their IDs, members for an alliance's designation changes.
func watchMatches(t *testing.T, db *sqlite.DB) []store.WatchMatch {
	t.Helper()
	ws, err := db.Watches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.WatchMatch
	for _, w := range ws {
		m := store.WatchMatch{Watch: w}
		switch w.Kind {
		case store.WatchFirm:
			m.Filter.Firms, m.Firms = []string{w.Value}, []string{w.Value}
		case store.WatchAlliance:
			m.Filter.Alliances = []string{w.Value}
		case store.WatchQuery:
			m.Filter.Text = []string{w.Value}
		}
		out = append(out, m)
	}
	return out
}

func check(t *testing.T, db *sqlite.DB) []store.Alert {
	t.Helper()
	as, err := db.CheckAlerts(ctx, watchMatches(t, db))
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func TestAlertsOnePerItemPerWatch(t *testing.T) {
	db := mustOpen(t)
	feed, _ := db.AddFeed(ctx, store.Feed{URL: "https://example.org/a.xml", Title: "A", Enabled: true})
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	// Stored before the watch: never an alert.
	db.SaveItems(ctx, feed, []store.Item{{Key: "old", Title: "Biren old news", Firms: []string{"biren"}, Published: now}})

	w, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	if err != nil || w.ID == 0 {
		t.Fatalf("add watch: %+v %v", w, err)
	}
	if _, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("the same entry twice: %v", err)
	}
	if _, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchQuery, Value: "chip"}); err != nil {
		t.Fatal(err)
	}
	if as := check(t, db); len(as) != 0 {
		t.Fatalf("alerts for items stored before the watch: %+v", as)
	}

	db.SaveItems(ctx, feed, []store.Item{
		{Key: "1", Title: "Biren ships a chip", Firms: []string{"biren"}, Published: now},
		{Key: "2", Title: "Biren raises money", Firms: []string{"biren"}, Published: now},
		{Key: "3", Title: "Huawei news", Firms: []string{"huawei"}, Published: now},
	})
	as := check(t, db)
	// biren: items 1 and 2; "chip": item 1.
	if len(as) != 3 {
		t.Fatalf("first check: %d alerts, want 3: %+v", len(as), as)
	}
	for _, a := range as {
		if a.Kind != store.AlertItem || a.ItemID == 0 || a.Title == "" || a.Firm != "biren" || a.Detail != "A · 2026-12-01" {
			t.Errorf("alert %+v", a)
		}
	}
	if again := check(t, db); len(again) != 0 {
		t.Errorf("a second check with nothing new gave %d alerts", len(again))
	}
	// A check that looks at everything again (as a re-tag or a second
	// process that read the old marks would) adds nothing.
	db.SQL().Exec(`UPDATE meta SET value = '0' WHERE key = 'alerts_item_mark'`)
	if again := check(t, db); len(again) != 0 {
		t.Errorf("a repeated look gave %d more alerts", len(again))
	}
	db.SaveItems(ctx, feed, []store.Item{{Key: "4", Title: "Biren again", Firms: []string{"biren"}, Published: now}})
	if more := check(t, db); len(more) != 1 {
		t.Errorf("third item: %d alerts", len(more))
	}
	all, _ := db.Alerts(ctx, false)
	if len(all) != 4 || all[0].ID < all[1].ID {
		t.Fatalf("alerts = %+v (want 4, newest first)", all)
	}
	if n, _ := db.CountAlerts(ctx); n != 4 {
		t.Errorf("count = %d", n)
	}

	// Acknowledging: an unknown ID changes nothing.
	if _, err := db.AckAlerts(ctx, []int64{all[0].ID, 99999}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ack of an unknown ID: %v", err)
	}
	if n, _ := db.CountAlerts(ctx); n != 4 {
		t.Errorf("a refused ack acknowledged %d", 4-n)
	}
	if n, err := db.AckAlerts(ctx, []int64{all[0].ID}); n != 1 || err != nil {
		t.Errorf("ack: %d %v", n, err)
	}
	if open, _ := db.Alerts(ctx, false); len(open) != 3 {
		t.Errorf("%d open after one ack", len(open))
	}
	if every, _ := db.Alerts(ctx, true); len(every) != 4 || !every[0].Acked {
		t.Errorf("--all: %+v", every)
	}
	if n, _ := db.AckAllAlerts(ctx); n != 3 {
		t.Errorf("ack all: %d", n)
	}

	// Removing the entry removes its alerts.
	if err := db.RemoveWatch(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveWatch(ctx, w.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
	if every, _ := db.Alerts(ctx, true); len(every) != 1 || every[0].Watch != "chip" {
		t.Errorf("after rm: %+v", every)
	}
}

func TestAlertsNewIDsAfterDeletion(t *testing.T) {
	db := mustOpen(t)
	a, _ := db.AddFeed(ctx, store.Feed{URL: "https://example.org/a.xml", Enabled: true})
	b, _ := db.AddFeed(ctx, store.Feed{URL: "https://example.org/b.xml", Enabled: true})
	db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "huawei"})
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	db.SaveItems(ctx, a, []store.Item{{Key: "a1", Title: "Huawei a", Firms: []string{"huawei"}, Published: now}})
	db.SaveItems(ctx, b, []store.Item{{Key: "b1", Title: "Huawei b", Firms: []string{"huawei"}, Published: now}})
	if as := check(t, db); len(as) != 2 {
		t.Fatalf("%d alerts", len(as))
	}
	// The newest items go with their feed; the next new item must not
	// take a looked-at id.
	if _, err := db.RemoveFeed(ctx, b); err != nil {
		t.Fatal(err)
	}
	db.SaveItems(ctx, a, []store.Item{{Key: "a2", Title: "Huawei a2", Firms: []string{"huawei"}, Published: now}})
	as := check(t, db)
	if len(as) != 1 || as[0].Title != "Huawei a2" {
		t.Errorf("after deleting the newest items: %+v", as)
	}
	if every, _ := db.Alerts(ctx, true); len(every) != 2 {
		t.Errorf("alerts of deleted items stay: %+v", every)
	}
}

func TestAlertsDesignations(t *testing.T) {
	db := mustOpen(t)
	db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	change := func(firm string) {
		t.Helper()
		if err := db.ApplyDesignations(ctx, []store.DesignationChange{{Kind: "added", Designation: store.Designation{
			Firm: firm, List: "sdn", Status: store.StatusConfirmed, Added: "2026-12-01", Source: "https://example.org"}}}, nil, store.SourceUser); err != nil {
			t.Fatal(err)
		}
	}
	change("biren")
	change("huawei")
	as := check(t, db)
	if len(as) != 1 || as[0].Kind != store.AlertDesignation || as[0].Firm != "biren" || as[0].EventID == 0 || as[0].Title != "Biren: added to OFAC SDN" {
		t.Fatalf("designation alerts: %+v", as)
	}
	if as := check(t, db); len(as) != 0 {
		t.Errorf("again: %+v", as)
	}
}

func TestAlertsTwoProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.db")
	open := func() *sqlite.DB {
		db, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	one, two := open(), open()
	feed, _ := one.AddFeed(ctx, store.Feed{URL: "https://example.org/a.xml", Enabled: true})
	one.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "huawei"})
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	one.SaveItems(ctx, feed, []store.Item{{Key: "1", Firms: []string{"huawei"}, Title: "x", Published: now}})
	// Both read the same marks, then both record.
	m1, m2 := watchMatches(t, one), watchMatches(t, two)
	a1, err1 := one.CheckAlerts(ctx, m1)
	a2, err2 := two.CheckAlerts(ctx, m2)
	if err1 != nil || err2 != nil || len(a1)+len(a2) != 1 {
		t.Errorf("two processes: %d + %d alerts (%v, %v)", len(a1), len(a2), err1, err2)
	}
	two.SaveItems(ctx, feed, []store.Item{{Key: "2", Firms: []string{"huawei"}, Title: "y", Published: now}})
	a2, _ = two.CheckAlerts(ctx, m2)
	a1, _ = one.CheckAlerts(ctx, m1)
	if len(a1)+len(a2) != 1 {
		t.Errorf("in turn: %d + %d", len(a1), len(a2))
	}
	if all, _ := one.Alerts(ctx, true); len(all) != 2 {
		t.Errorf("%d alerts in all", len(all))
	}
}

func TestAlertDelivery(t *testing.T) {
	db := mustOpen(t)
	feed, _ := db.AddFeed(ctx, store.Feed{URL: "https://example.org/a.xml", Enabled: true})
	db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "huawei"})
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	db.SaveItems(ctx, feed, []store.Item{{Key: "1", Firms: []string{"huawei"}, Title: "x", Published: now},
		{Key: "2", Firms: []string{"huawei"}, Title: "y", Published: now}})
	check(t, db)
	p, err := db.PendingAlerts(ctx, "webhook", time.Time{}, 100)
	if err != nil || len(p) != 2 {
		t.Fatalf("pending: %+v %v", p, err)
	}
	if err := db.MarkDelivered(ctx, "webhook", []int64{p[0].ID}); err != nil {
		t.Fatal(err)
	}
	db.MarkDelivered(ctx, "webhook", []int64{p[0].ID}) // twice is once
	if p2, _ := db.PendingAlerts(ctx, "webhook", time.Time{}, 100); len(p2) != 1 || p2[0].ID != p[1].ID {
		t.Errorf("webhook pending after one: %+v", p2)
	}
	if p3, _ := db.PendingAlerts(ctx, "notify", time.Time{}, 100); len(p3) != 2 {
		t.Errorf("another channel's pending: %+v", p3)
	}
	db.MarkDelivered(ctx, "notify", []int64{p[0].ID, p[1].ID})
	var delivered string
	db.SQL().QueryRow(`SELECT delivered FROM alerts WHERE id = ?`, p[0].ID).Scan(&delivered)
	if delivered != "webhook,notify" {
		t.Errorf("delivered = %q", delivered)
	}
	if p4, _ := db.PendingAlerts(ctx, "webhook", now.AddDate(1, 0, 0), 100); len(p4) != 0 {
		t.Errorf("old alerts pending: %+v", p4)
	}
	if !slices.ContainsFunc(p, func(a store.Alert) bool { return a.Watch == "firm:huawei" }) {
		t.Errorf("watch label: %+v", p)
	}
}

// BenchmarkCheckAlerts is the check after a fetch that saved 20,000 new
// items, with five entries on the watch list: three firms, an alliance
// and a text query.
func BenchmarkCheckAlerts(b *testing.B) {
	db := mustOpen(b)
	feed, _ := db.AddFeed(ctx, store.Feed{URL: "https://example.org/big.xml", Enabled: true})
	var ms []store.WatchMatch
	for _, w := range []store.Watch{{Kind: store.WatchFirm, Value: "huawei"}, {Kind: store.WatchFirm, Value: "biren"},
		{Kind: store.WatchFirm, Value: "sensetime"}, {Kind: store.WatchAlliance, Value: "model-chip"}, {Kind: store.WatchQuery, Value: "chip"}} {
		w, err := db.AddWatch(ctx, w)
		if err != nil {
			b.Fatal(err)
		}
		m := store.WatchMatch{Watch: w}
		switch w.Kind {
		case store.WatchFirm:
			m.Filter.Firms, m.Firms = []string{w.Value}, []string{w.Value}
		case store.WatchAlliance:
			m.Filter.Alliances = []string{w.Value}
		default:
			m.Filter.Text = []string{w.Value}
		}
		ms = append(ms, m)
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	firms := []string{"huawei", "biren", "sensetime", "alibaba", "tencent", "baidu", "stepfun", "megvii"}
	items := make([]store.Item, 20000)
	for i := range items {
		items[i] = store.Item{Key: fmt.Sprint(i), Title: fmt.Sprintf("Item %d about a chip", i), Published: now.Add(time.Duration(i) * time.Second),
			Firms: []string{firms[i%len(firms)]}}
	}
	if _, err := db.SaveItems(ctx, feed, items); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db.SQL().Exec(`DELETE FROM alerts`)
		db.SQL().Exec(`UPDATE meta SET value = '0' WHERE key = 'alerts_item_mark'`)
		b.StartTimer()
		as, err := db.CheckAlerts(ctx, ms)
		if err != nil || len(as) == 0 {
			b.Fatal(len(as), err)
		}
		b.ReportMetric(float64(len(as)), "alerts")
	}
}
