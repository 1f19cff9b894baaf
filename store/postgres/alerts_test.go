package postgres_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

// watchMatches is what cmd builds for the alert check: firm and alliance
// entries by their IDs, members for an alliance's designation changes.
func watchMatches(t *testing.T, db *postgres.DB) []store.WatchMatch {
	t.Helper()
	ws, err := db.Watches(t.Context())
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

func checkAlerts(t *testing.T, db *postgres.DB) []store.Alert {
	t.Helper()
	as, err := db.CheckAlerts(t.Context(), watchMatches(t, db))
	if err != nil {
		t.Fatal(err)
	}
	return as
}

// needItems skips t while Items, which the item check matches through,
// is not written for PostgreSQL yet.
func needItems(t *testing.T, db *postgres.DB) {
	t.Helper()
	if _, err := db.Items(t.Context(), store.Filter{Limit: 1}); err != nil && strings.Contains(err.Error(), "not available on PostgreSQL yet") {
		t.Skipf("SKIPPED: item alerts match through Items, not written yet: %v", err)
	}
}

var alertDay = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// designationFixture stores the firms and list that designation alerts
// name.
func designationFixture(t *testing.T, db *postgres.DB) {
	t.Helper()
	fixtureFirm(t, db, "biren", "Shanghai Biren Technology", "Biren")
	fixtureFirm(t, db, "huawei", "Huawei Technologies", "")
	fixtureList(t, db, "sdn", "OFAC SDN")
}

func TestWatches(t *testing.T) {
	ctx := t.Context()
	db, _ := open(t, "alice")
	db.Now = func() time.Time { return alertDay.Add(1500 * time.Millisecond) }
	w, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: " biren "})
	if err != nil || w.ID == 0 || w.Value != "biren" || !w.Created.Equal(alertDay.Add(time.Second)) {
		t.Fatalf("add watch: %+v %v", w, err)
	}
	if _, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("the same entry twice: %v", err)
	} else if want := "postgres: watch firm:biren: " + store.ErrConflict.Error(); err.Error() != want {
		t.Errorf("conflict message %q, want %q", err, want)
	}
	for _, bad := range []store.Watch{{Kind: store.WatchFirm, Value: " "}, {Kind: "person", Value: "x"}} {
		if _, err := db.AddWatch(ctx, bad); err == nil {
			t.Errorf("%+v was added", bad)
		}
	}
	q, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchQuery, Value: "chip -huawei"})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := db.Watches(ctx)
	if err != nil || len(ws) != 2 || ws[0] != w || ws[1] != q || ws[1].String() != "chip -huawei" || ws[0].String() != "firm:biren" {
		t.Fatalf("watches = %+v, %v", ws, err)
	}
	if err := db.RemoveWatch(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveWatch(ctx, w.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
	if ws, _ := db.Watches(ctx); len(ws) != 1 || ws[0].ID != q.ID {
		t.Errorf("after removal: %+v", ws)
	}
}

// TestWatchesPerUser: a watch entry is its user's alone; another user's
// IDs are not found.
func TestWatchesPerUser(t *testing.T) {
	ctx := t.Context()
	alice, dsn := open(t, "alice")
	bob := openUser(t, dsn, "bob")
	aw, err := alice.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	if err != nil {
		t.Fatal(err)
	}
	if ws, err := bob.Watches(ctx); err != nil || len(ws) != 0 {
		t.Fatalf("bob sees %+v, %v", ws, err)
	}
	bw, err := bob.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	if err != nil || bw.ID == aw.ID {
		t.Fatalf("bob's own entry for the same firm: %+v, %v", bw, err)
	}
	if err := bob.RemoveWatch(ctx, aw.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bob removed alice's entry: %v", err)
	}
	if ws, _ := alice.Watches(ctx); len(ws) != 1 || ws[0].ID != aw.ID {
		t.Errorf("alice's list: %+v", ws)
	}
}

func TestAlertsDesignations(t *testing.T) {
	ctx := t.Context()
	db, _ := open(t, "alice")
	designationFixture(t, db)
	// Logged before the watch: never an alert.
	fixtureEvent(t, db, alertDay, "biren", "entity", "added", "old news")
	if _, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"}); err != nil {
		t.Fatal(err)
	}
	ev := fixtureEvent(t, db, alertDay, "biren", "sdn", "added", "2026-12-01 · SDN")
	fixtureEvent(t, db, alertDay, "huawei", "sdn", "added", "2026-12-01")
	as := checkAlerts(t, db)
	if len(as) != 1 || as[0].Kind != store.AlertDesignation || as[0].Firm != "biren" || as[0].EventID != ev || as[0].ID == 0 ||
		as[0].Title != "Biren: added to OFAC SDN" || as[0].Detail != "2026-12-01 · SDN" || as[0].Watch != "firm:biren" {
		t.Fatalf("designation alerts: %+v", as)
	}
	if as := checkAlerts(t, db); len(as) != 0 {
		t.Errorf("again: %+v", as)
	}
	// A firm with neither short name nor stored row, and a list not
	// stored, are named by their IDs; a removal is "from".
	db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "newco"})
	fixtureEvent(t, db, alertDay, "huawei", "sdn", "removed", "")
	fixtureEvent(t, db, alertDay, "newco", "dpl", "contested", "")
	ms := watchMatches(t, db)
	ms[0].Firms = []string{"biren", "huawei"} // as an alliance entry would list its members
	as, err := db.CheckAlerts(ctx, ms)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, a := range as {
		titles = append(titles, a.Title)
	}
	if want := []string{"Huawei Technologies: removed from OFAC SDN", "newco: contested on dpl"}; !slices.Equal(titles, want) {
		t.Errorf("titles %q, want %q", titles, want)
	}
	// A repeated look (marks back to 0) adds nothing: one alert per
	// event per entry.
	fixtureExec(t, db, `UPDATE user_meta SET value = '0' WHERE key = 'alerts_event_mark'`)
	if as := checkAlerts(t, db); len(as) != 0 {
		t.Errorf("a repeated look gave %d more alerts", len(as))
	}
	if all, _ := db.Alerts(ctx, true); len(all) != 3 {
		t.Errorf("%d alerts in all, want 3", len(all))
	}
}

// addDesignationAlerts logs n events of biren and has db's user's
// biren entry alert on them; it returns the alerts.
func addDesignationAlerts(t *testing.T, db *postgres.DB, n int) []store.Alert {
	t.Helper()
	for i := range n {
		fixtureEvent(t, db, alertDay, "biren", "sdn", "added", fmt.Sprint("event ", i))
	}
	as := checkAlerts(t, db)
	if len(as) != n {
		t.Fatalf("%d alerts, want %d: %+v", len(as), n, as)
	}
	return as
}

func TestAlertsAcknowledge(t *testing.T) {
	ctx := t.Context()
	db, _ := open(t, "alice")
	designationFixture(t, db)
	db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	addDesignationAlerts(t, db, 4)
	all, err := db.Alerts(ctx, false)
	if err != nil || len(all) != 4 || all[0].ID < all[1].ID {
		t.Fatalf("alerts = %+v, %v (want 4, newest first)", all, err)
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
	if n, err := db.AckAlerts(ctx, []int64{all[0].ID, all[1].ID}); n != 1 || err != nil {
		t.Errorf("ack of one acknowledged and one not: %d %v", n, err)
	}
	if open, _ := db.Alerts(ctx, false); len(open) != 2 || open[0].ID != all[2].ID {
		t.Errorf("open after two acks: %+v", open)
	}
	if every, _ := db.Alerts(ctx, true); len(every) != 4 || !every[0].Acked || !every[1].Acked || every[2].Acked {
		t.Errorf("--all: %+v", every)
	}
	if n, _ := db.AckAllAlerts(ctx); n != 2 {
		t.Errorf("ack all: %d", n)
	}
	if n, _ := db.CountAlerts(ctx); n != 0 {
		t.Errorf("count after ack all = %d", n)
	}
	// Removing the entry removes its alerts.
	ws, _ := db.Watches(ctx)
	if err := db.RemoveWatch(ctx, ws[0].ID); err != nil {
		t.Fatal(err)
	}
	if every, _ := db.Alerts(ctx, true); len(every) != 0 {
		t.Errorf("after rm: %+v", every)
	}
}

// TestAlertsPerUser: each user's check records that user's alerts, moves
// that user's marks only, and one user's acks and deliveries never touch
// another's alerts.
func TestAlertsPerUser(t *testing.T) {
	ctx := t.Context()
	alice, dsn := open(t, "alice")
	bob := openUser(t, dsn, "bob")
	designationFixture(t, alice)
	aw, _ := alice.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	bob.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	as := addDesignationAlerts(t, alice, 2)
	if n, _ := bob.CountAlerts(ctx); n != 0 {
		t.Errorf("alice's check gave bob %d alerts", n)
	}
	// Alice's check looked past the events; bob's must still see them.
	bs := checkAlerts(t, bob)
	if len(bs) != 2 {
		t.Fatalf("bob's check after alice's: %+v", bs)
	}
	if bs[0].ID == as[0].ID || bs[0].EventID != as[0].EventID {
		t.Errorf("bob's alert %+v, alice's %+v", bs[0], as[0])
	}
	// A check with another user's entry records nothing for it.
	fixtureEvent(t, alice, alertDay, "biren", "sdn", "added", "third")
	if got, err := bob.CheckAlerts(ctx, []store.WatchMatch{{Watch: aw, Firms: []string{"biren"}}}); err != nil || len(got) != 0 {
		t.Errorf("bob checked alice's entry: %+v, %v", got, err)
	}
	if n, _ := alice.CountAlerts(ctx); n != 2 {
		t.Errorf("alice has %d alerts after bob checked her entry, want 2", n)
	}

	if _, err := bob.AckAlerts(ctx, []int64{as[0].ID}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bob acknowledged alice's alert: %v", err)
	}
	if n, err := alice.AckAlerts(ctx, []int64{as[0].ID}); n != 1 || err != nil {
		t.Fatalf("alice's ack: %d %v", n, err)
	}
	if n, _ := bob.CountAlerts(ctx); n != 2 {
		t.Errorf("alice's ack left bob %d open alerts, want 2", n)
	}
	if n, _ := bob.AckAllAlerts(ctx); n != 2 {
		t.Errorf("bob's ack all: %d, want 2", n)
	}
	if open, _ := alice.Alerts(ctx, false); len(open) != 1 || open[0].ID != as[1].ID {
		t.Errorf("bob's ack all touched alice's: %+v", open)
	}
	if every, _ := bob.Alerts(ctx, true); len(every) != 2 || every[0].ID != bs[1].ID {
		t.Errorf("bob's alerts: %+v", every)
	}
	// Delivery: bob's channel takes bob's alerts only, and marking
	// alice's alert delivered for bob changes nothing.
	if p, _ := bob.PendingAlerts(ctx, "webhook", time.Time{}, 100); len(p) != 0 {
		t.Errorf("bob pending (all acknowledged): %+v", p)
	}
	if err := bob.MarkDelivered(ctx, "webhook", []int64{as[1].ID}); err != nil {
		t.Fatal(err)
	}
	if p, _ := alice.PendingAlerts(ctx, "webhook", time.Time{}, 100); len(p) != 1 || p[0].ID != as[1].ID {
		t.Errorf("alice pending after bob marked hers: %+v", p)
	}
	// Bob removing his entry leaves alice's alerts.
	ws, _ := bob.Watches(ctx)
	bob.RemoveWatch(ctx, ws[0].ID)
	if every, _ := alice.Alerts(ctx, true); len(every) != 2 {
		t.Errorf("alice's alerts after bob's rm: %+v", every)
	}
}

func TestAlertDelivery(t *testing.T) {
	ctx := t.Context()
	db, _ := open(t, "alice")
	designationFixture(t, db)
	db.Now = func() time.Time { return alertDay }
	db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	addDesignationAlerts(t, db, 3)
	p, err := db.PendingAlerts(ctx, "webhook", time.Time{}, 100)
	if err != nil || len(p) != 3 || p[0].ID > p[1].ID || !p[0].At.Equal(alertDay) {
		t.Fatalf("pending: %+v %v", p, err)
	}
	if lim, _ := db.PendingAlerts(ctx, "webhook", time.Time{}, 2); len(lim) != 2 || lim[1].ID != p[1].ID {
		t.Errorf("pending, 2 at most: %+v", lim)
	}
	if err := db.MarkDelivered(ctx, "webhook", []int64{p[0].ID}); err != nil {
		t.Fatal(err)
	}
	db.MarkDelivered(ctx, "webhook", []int64{p[0].ID}) // twice is once
	if p2, _ := db.PendingAlerts(ctx, "webhook", time.Time{}, 100); len(p2) != 2 || p2[0].ID != p[1].ID {
		t.Errorf("webhook pending after one: %+v", p2)
	}
	if p3, _ := db.PendingAlerts(ctx, "notify", time.Time{}, 100); len(p3) != 3 {
		t.Errorf("another channel's pending: %+v", p3)
	}
	// A channel whose name is inside another's is still its own.
	if p4, _ := db.PendingAlerts(ctx, "hook", time.Time{}, 100); len(p4) != 3 {
		t.Errorf("channel hook pending: %+v", p4)
	}
	db.MarkDelivered(ctx, "notify", []int64{p[0].ID, p[1].ID})
	var delivered string
	db.Pool().QueryRow(ctx, `SELECT delivered FROM alerts WHERE id = $1`, p[0].ID).Scan(&delivered)
	if delivered != "webhook,notify" {
		t.Errorf("delivered = %q", delivered)
	}
	if p5, _ := db.PendingAlerts(ctx, "webhook", alertDay.Add(time.Second), 100); len(p5) != 0 {
		t.Errorf("old alerts pending: %+v", p5)
	}
	if err := db.MarkDelivered(ctx, "a,b", []int64{p[2].ID}); err == nil {
		t.Error("a channel with a comma was accepted")
	}
	db.AckAlerts(ctx, []int64{p[2].ID})
	if p6, _ := db.PendingAlerts(ctx, "notify", time.Time{}, 100); len(p6) != 0 {
		t.Errorf("acknowledged alerts pending: %+v", p6)
	}
	if !slices.ContainsFunc(p, func(a store.Alert) bool { return a.Watch == "firm:biren" }) {
		t.Errorf("watch label: %+v", p)
	}
}

// TestAlertCheckWaitsForInsertsInFlight: an event whose insert is not
// committed when the check runs still alerts once it is, though a later
// event was committed first.
func TestAlertCheckWaitsForInsertsInFlight(t *testing.T) {
	ctx := t.Context()
	db, _ := open(t, "alice")
	designationFixture(t, db)
	db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock_shared($1)`, int64(postgres.NewRowsLock)); err != nil {
		t.Fatal(err)
	}
	var early int64
	if err := tx.QueryRow(ctx, `INSERT INTO designation_events (at, firm_id, list_id, action) VALUES ($1, 'biren', 'sdn', 'added') RETURNING id`, alertDay.Unix()).Scan(&early); err != nil {
		t.Fatal(err)
	}
	late := fixtureEvent(t, db, alertDay, "biren", "sdn", "removed", "")
	if late <= early {
		t.Fatalf("event IDs %d, %d: the test needs the later one committed first", early, late)
	}
	type result struct {
		as  []store.Alert
		err error
	}
	done := make(chan result, 1)
	ms := watchMatches(t, db)
	go func() {
		as, err := db.CheckAlerts(ctx, ms)
		done <- result{as, err}
	}()
	var r result
	select {
	case r = <-done:
		t.Errorf("the check did not wait for the insert in flight: %+v, %v", r.as, r.err)
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	case <-time.After(300 * time.Millisecond):
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		r = <-done
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	got := append(r.as, checkAlerts(t, db)...)
	var events []int64
	for _, a := range got {
		events = append(events, a.EventID)
	}
	if !slices.Equal(events, []int64{early, late}) {
		t.Errorf("alerts for events %v, want %v", events, []int64{early, late})
	}
}

// TestAlertsStartPerEntry: each entry starts at the events stored when
// it was added, whoever's it is.
func TestAlertsStartPerEntry(t *testing.T) {
	ctx := t.Context()
	alice, dsn := open(t, "alice")
	bob := openUser(t, dsn, "bob")
	designationFixture(t, alice)
	alice.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	first := fixtureEvent(t, alice, alertDay, "biren", "sdn", "added", "")
	bob.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	second := fixtureEvent(t, alice, alertDay, "biren", "sdn", "removed", "")
	as, bs := checkAlerts(t, alice), checkAlerts(t, bob)
	if len(as) != 2 || as[0].EventID != first || as[1].EventID != second {
		t.Errorf("alice: %+v", as)
	}
	if len(bs) != 1 || bs[0].EventID != second || bs[0].Title != "Biren: removed from OFAC SDN" {
		t.Errorf("bob, whose entry came after the first event: %+v", bs)
	}
}

// TestAlertCheckMovesVersionOnlyForAlerts: a check that records no alert
// leaves the data version where it was, though it moves the user's marks:
// every open dashboard checks when the version moves, so a check that
// moved it each time would have each dashboard make all the others read
// the store again, over and over. A check that records one moves it.
func TestAlertCheckMovesVersionOnlyForAlerts(t *testing.T) {
	ctx := t.Context()
	alice, _ := open(t, "alice")
	designationFixture(t, alice)
	if _, err := alice.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"}); err != nil {
		t.Fatal(err)
	}
	// An event of a firm alice does not watch: her marks move, no alert.
	fixtureEvent(t, alice, alertDay, "huawei", "sdn", "added", "unwatched")
	before, err := alice.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if as := checkAlerts(t, alice); len(as) != 0 {
		t.Fatalf("alerts for an unwatched firm: %+v", as)
	}
	if after, _ := alice.DataVersion(ctx); after != before {
		t.Errorf("a check that recorded nothing moved the data version %d -> %d", before, after)
	}
	fixtureEvent(t, alice, alertDay, "biren", "sdn", "added", "watched")
	if as := checkAlerts(t, alice); len(as) != 1 {
		t.Fatalf("alerts for biren: %+v", as)
	}
	if after, _ := alice.DataVersion(ctx); after == before {
		t.Error("a check that recorded an alert left the data version")
	}
}
