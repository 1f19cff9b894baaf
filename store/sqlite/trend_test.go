package sqlite_test

import (
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
)

// TestTrends checks the weekly counters under FirmCounts and
// AllianceCounts through saves, a changed date, ignore rules, a feed's
// removal and Check.
func TestTrends(t *testing.T) {
	db := mustOpen(t)
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC) // a Friday
	db.Now = func() time.Time { return now }
	const huaweiWeeks = `SELECT coalesce(sum(total), 0) FROM tag_weeks WHERE kind = 'firm' AND entity = 'huawei'`
	bundled := count(t, db, huaweiWeeks) // the reference's news snapshot
	feed, err := db.AddFeed(ctx, store.Feed{URL: "https://example.org/trend.xml", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	week := func(n int) time.Time { return now.AddDate(0, 0, -7*n) }
	items := []store.Item{
		{Key: "1", Title: "Huawei one", Firms: []string{"huawei"}, Published: week(0)},
		{Key: "2", Title: "Huawei two", Firms: []string{"huawei"}, Published: week(0).Add(-time.Hour)},
		{Key: "3", Title: "Huawei and Biren", Firms: []string{"huawei", "biren"}, Published: week(3)},
		{Key: "4", Title: "Huawei long ago", Firms: []string{"huawei"}, Published: week(20)},
		{Key: "5", Title: "The alliance", Alliances: []string{"model-chip"}, Published: week(11)},
	}
	if _, err := db.SaveItems(ctx, feed, items); err != nil {
		t.Fatal(err)
	}
	want := func(step, kind, id string, trend store.Trend) {
		t.Helper()
		counts := db.FirmCounts
		if kind == "ally" {
			counts = db.AllianceCounts
		}
		got, err := counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got[id].Trend != trend {
			t.Errorf("after %s: trend of %s = %v, want %v", step, id, got[id].Trend, trend)
		}
		r, err := db.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !r.CountsOK {
			t.Errorf("after %s: the counters drifted", step)
		}
	}
	want("save", "firm", "huawei", store.Trend{8: 1, 11: 2})
	want("save", "firm", "biren", store.Trend{8: 1})
	// The roll-up: Huawei is a member, and an item counts once.
	want("save", "ally", "model-chip", store.Trend{0: 1, 8: 1, 11: 2})

	// The feed moves an item's date to another week: its tags go along.
	items[0].Published = week(5)
	if st, err := db.SaveItems(ctx, feed, items); err != nil || st.Updated != 1 {
		t.Fatalf("resave: %+v %v", st, err)
	}
	want("a changed date", "firm", "huawei", store.Trend{6: 1, 8: 1, 11: 1})

	// An ignored item is left out of the trend as out of the counts.
	db.SetIgnore([]store.Filter{{Text: []string{"Biren"}}})
	want("an ignore rule", "firm", "huawei", store.Trend{6: 1, 11: 1})
	want("an ignore rule", "firm", "biren", store.Trend{})
	db.SetIgnore(nil)

	// A new dataset that changes the memberships rebuilds the roll-up,
	// and its weekly counters with it; one that does not leaves both.
	ds, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`DELETE FROM memberships WHERE alliance_id = 'model-chip' AND firm_id = 'huawei'`,
		`UPDATE meta SET value = 'older' WHERE key = 'dataset_version'`,
	} {
		if _, err := db.SQL().Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Seed(ctx, ds); err != nil {
		t.Fatal(err)
	}
	want("a reseed", "ally", "model-chip", store.Trend{0: 1, 6: 1, 8: 1, 11: 1})
	if n := count(t, db, `SELECT count(*) FROM meta WHERE key = 'tag_weeks_paused'`); n != 0 {
		t.Error("the rebuild left the weekly counters paused")
	}
	if _, err := db.SQL().Exec(`UPDATE meta SET value = 'older' WHERE key = 'dataset_version'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Seed(ctx, ds); err != nil {
		t.Fatal(err)
	}
	want("a reseed with the same memberships", "ally", "model-chip", store.Trend{0: 1, 6: 1, 8: 1, 11: 1})

	// A drifted weekly counter is found by Check and rebuilt by
	// RepairCounts.
	if _, err := db.SQL().Exec(`UPDATE tag_weeks SET total = total + 5 WHERE kind = 'firm' AND entity = 'huawei'`); err != nil {
		t.Fatal(err)
	}
	if r, err := db.Check(ctx); err != nil || r.CountsOK {
		t.Errorf("Check missed a drifted weekly counter (%v)", err)
	}
	if err := db.RepairCounts(ctx); err != nil {
		t.Fatal(err)
	}
	want("a repair", "firm", "huawei", store.Trend{6: 1, 8: 1, 11: 1})

	// Next week, everything moves one to the left.
	now = now.AddDate(0, 0, 7)
	want("a week later", "firm", "huawei", store.Trend{5: 1, 7: 1, 10: 1})

	if _, err := db.RemoveFeed(ctx, feed); err != nil {
		t.Fatal(err)
	}
	want("removing the feed", "firm", "huawei", store.Trend{})
	if n := count(t, db, huaweiWeeks); n != bundled {
		t.Errorf("tag_weeks holds %d huawei items after the feed went, want the %d bundled", n, bundled)
	}
}
