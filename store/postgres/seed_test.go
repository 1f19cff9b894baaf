package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/store/reference"
)

var uctx = context.Background()

// dataset is the bundled reference dataset without its news snapshot:
// saving items is SaveItems' job, tested with it, and these tests are
// about the universe.
func refDataset(t testing.TB) *reference.Dataset {
	t.Helper()
	ds, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	ds.Snapshot = nil
	return ds
}

// seededStore opens a store of its own on the test server, seededStore with
// dataset, as user.
func seededStore(t *testing.T, user string) *postgres.DB {
	t.Helper()
	db, _ := open(t, user)
	if wrote, err := db.Seed(uctx, refDataset(t)); err != nil || !wrote {
		t.Fatalf("Seed = %v, %v", wrote, err)
	}
	return db
}

// seededStoreAt is seededStore with the store's clock at at, until the test sets
// another.
func seededStoreAt(t *testing.T, user string, at time.Time) *postgres.DB {
	t.Helper()
	db, _ := open(t, user)
	db.Now = func() time.Time { return at }
	if wrote, err := db.Seed(uctx, refDataset(t)); err != nil || !wrote {
		t.Fatalf("Seed = %v, %v", wrote, err)
	}
	return db
}

// num runs a count query.
func countRows(t testing.TB, db *postgres.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Pool().QueryRow(uctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestSeedPopulates(t *testing.T) {
	db := seededStore(t, "alice")
	firms, err := db.Firms(uctx, store.FirmQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(firms) != 35 {
		t.Fatalf("firms = %d, want 35", len(firms))
	}
	// Ordered by display name, lower-cased, as on SQLite: a firm whose ID
	// sorts last but whose name sorts first comes first.
	if err := db.AddFirm(uctx, store.Firm{ID: "zz-robots", Name: "aaa Robots"}); err != nil {
		t.Fatal(err)
	}
	if firms, err = db.Firms(uctx, store.FirmQuery{}); err != nil || firms[0].ID != "zz-robots" {
		t.Fatalf("Firms starts with %s (%v), want zz-robots, named aaa Robots", firms[0].ID, err)
	}
	firms = firms[1:]
	if !slices.IsSortedFunc(firms, func(a, b store.Firm) int { return strings.Compare(strings.ToLower(a.Short), strings.ToLower(b.Short)) }) {
		t.Errorf("firms are not in name order: %s, %s…", firms[0].Short, firms[1].Short)
	}
	st, err := db.Firm(uctx, "sensetime")
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]store.Designation{}
	for _, d := range st.Designations {
		lists[d.List] = d
	}
	for list, added := range map[string]string{"entity-list": "2019-10-09", "ns-cmic": "2021-12-10", "1260h": "2025-01-06"} {
		d, ok := lists[list]
		if !ok || d.Added != added || d.Source == "" || d.Status != store.StatusConfirmed {
			t.Errorf("sensetime %s = %+v, want added %s with a source", list, d, added)
		}
	}
	if len(st.Aliases) == 0 || len(st.Alliances) == 0 {
		t.Errorf("sensetime has %d aliases and alliances %q", len(st.Aliases), st.Alliances)
	}
	al, err := db.Firm(uctx, "alibaba")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range al.Designations {
		if d.List == "1260h" && d.Status != store.StatusContested {
			t.Errorf("alibaba 1260h status = %s, want contested", d.Status)
		}
		if d.Active() {
			t.Errorf("alibaba has an active designation %+v; the withdrawn 1260H update is not a listing", d)
		}
	}
	mc, err := db.Alliance(uctx, "model-chip")
	if err != nil {
		t.Fatal(err)
	}
	if len(mc.Members) != 10 || len(mc.Sources) == 0 || len(mc.Aliases) == 0 {
		t.Errorf("model-chip has %d members, %d sources, %d aliases", len(mc.Members), len(mc.Sources), len(mc.Aliases))
	}
	// Lists come in badge order, the reference's.
	ls, err := db.Lists(uctx)
	if err != nil {
		t.Fatal(err)
	}
	ds := refDataset(t)
	var got, want []string
	for _, l := range ls {
		got = append(got, l.Badge)
	}
	for _, l := range ds.Lists {
		want = append(want, l.Badge)
	}
	if !slices.Equal(got, want) {
		t.Errorf("lists = %q, want %q", got, want)
	}
	if v, err := db.DatasetVersion(uctx); err != nil || v != ds.Version {
		t.Errorf("DatasetVersion = %q, %v, want %q", v, err, ds.Version)
	}
	// The reference's feeds and the snapshot feed are there.
	if n := countRows(t, db, `SELECT count(*) FROM feeds WHERE source = 'reference'`); n != len(ds.Feeds)+1 {
		t.Errorf("%d reference feeds, want %d", n, len(ds.Feeds)+1)
	}
	// Filters: a list, an alliance, the hidden.
	el, err := db.Firms(uctx, store.FirmQuery{List: "entity-list"})
	if err != nil || len(el) == 0 || len(el) >= 35 {
		t.Fatalf("firms on the entity list: %d, %v", len(el), err)
	}
	for _, f := range el {
		if !slices.ContainsFunc(f.Designations, func(d store.Designation) bool { return d.List == "entity-list" && d.Active() }) {
			t.Errorf("%s is listed as on the entity list without an active listing", f.ID)
		}
	}
	members, err := db.Firms(uctx, store.FirmQuery{Alliance: "model-chip", List: "entity-list"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range members {
		if !slices.Contains(f.Alliances, "model-chip") {
			t.Errorf("%s is no member of model-chip", f.ID)
		}
	}
	ids, err := db.FirmIDs(uctx)
	if err != nil || len(ids) != 36 || ids[35] != "zz-robots" || !slices.IsSorted(ids) {
		t.Errorf("FirmIDs = %d ids, sorted %v, %v", len(ids), slices.IsSorted(ids), err)
	}
}

func TestSeedTwiceNoDuplicates(t *testing.T) {
	db := seededStore(t, "alice")
	tables := []string{"firms", "alliances", "aliases", "memberships", "designations", "feeds", "designation_events", "lists"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = countRows(t, db, "SELECT count(*) FROM "+tb)
	}
	ds := refDataset(t)
	ds.Version = "force-a-reseed"
	wrote, err := db.Seed(uctx, ds)
	if err != nil || !wrote {
		t.Fatalf("reseed: wrote=%v err=%v", wrote, err)
	}
	for _, tb := range tables {
		if got := countRows(t, db, "SELECT count(*) FROM "+tb); got != before[tb] {
			t.Errorf("%s: %d rows after reseed, %d before", tb, got, before[tb])
		}
	}
	if wrote, _ := db.Seed(uctx, ds); wrote {
		t.Error("seeding the same version again wrote")
	}
}

// TestSeedConcurrent: two processes opening a new store at once seed it
// once between them.
func TestSeedConcurrent(t *testing.T) {
	db, dsn := open(t, "alice")
	db2, err := postgres.Open(uctx, dsn, postgres.Options{User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	type result struct {
		wrote bool
		err   error
	}
	results := make(chan result, 2)
	for _, d := range []*postgres.DB{db, db2} {
		go func() {
			wrote, err := d.Seed(uctx, refDataset(t))
			results <- result{wrote, err}
		}()
	}
	wrote := 0
	for range 2 {
		r := <-results
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.wrote {
			wrote++
		}
	}
	if wrote != 1 {
		t.Errorf("%d of the two processes seededStore, want 1", wrote)
	}
	if n := countRows(t, db, `SELECT count(*) FROM firms`); n != 35 {
		t.Errorf("%d firms", n)
	}
	if n, want := countRows(t, db, `SELECT count(*) FROM designation_events`), countRows(t, db, `SELECT count(*) FROM designations`); n != want {
		t.Errorf("%d designation events for %d designations: the history was logged twice", n, want)
	}
}

// TestSeedReference seeds the bundled dataset, snapshot and all.
func TestSeedReference(t *testing.T) {
	db, _ := open(t, "alice")
	err := db.SeedReference(uctx, nil)
	if err != nil && strings.Contains(err.Error(), "SaveItems is not available") {
		t.Skipf("SKIPPED until SaveItems is written: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := reference.Load()
	if v, _ := db.DatasetVersion(uctx); v != ds.Version {
		t.Errorf("dataset version %q, want %q", v, ds.Version)
	}
	if n := countRows(t, db, `SELECT count(*) FROM items i JOIN feeds f ON f.id = i.feed_id WHERE f.url = $1`, reference.SnapshotFeedURL); n != len(ds.Snapshot) {
		t.Errorf("%d snapshot items, want %d", n, len(ds.Snapshot))
	}
	if err := db.SeedReference(uctx, nil); err != nil {
		t.Errorf("a second SeedReference: %v", err)
	}

	// With a tagger, the snapshot is re-tagged once, after the seed that
	// wrote it, with the seededStore aliases.
	db2, _ := open(t, "bob")
	calls, aliases := 0, 0
	newTag := func(as []store.Alias) store.TagFunc {
		calls, aliases = calls+1, len(as)
		return func(feedURL, title, summary, content string) ([]string, []string, bool, []store.Mention) {
			return nil, nil, false, nil
		}
	}
	err = db2.SeedReference(uctx, newTag)
	if err != nil && strings.Contains(err.Error(), "RetagFeed is not available") {
		t.Skipf("SKIPPED until RetagFeed is written: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := db2.SeedReference(uctx, newTag); err != nil {
		t.Fatal(err)
	}
	if want := countRows(t, db2, `SELECT count(*) FROM aliases`); calls != 1 || aliases != want {
		t.Errorf("newTag was called %d times with %d aliases, want once with %d", calls, aliases, want)
	}
}

// TestSeedKeepsUserState upgrades the reference dataset under a store that
// holds the user's aliases, removals, feeds, firms, alliances, joins,
// leaves and hides, with a release that takes an ID the user already took.
func TestSeedKeepsUserState(t *testing.T) {
	db := seededStore(t, "alice")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.AddAlias(uctx, store.Alias{Kind: store.KindFirm, Entity: "huawei", Text: "Huawei Cloud", Lang: "en"}))
	hw, err := db.Firm(uctx, "huawei")
	must(err)
	var refAlias string
	for _, a := range hw.Aliases {
		if a.Source == store.SourceReference {
			refAlias = a.Text
			break
		}
	}
	must(db.RemoveAlias(uctx, store.KindFirm, "huawei", refAlias))
	// A feed the user removed, one the user disabled, one the user added.
	ds := refDataset(t)
	gone, off := ds.Feeds[0].URL, ds.Feeds[1].URL
	for _, q := range []string{
		`DELETE FROM feeds WHERE url = '` + gone + `'`,
		`INSERT INTO removed_feeds (url) VALUES ('` + gone + `')`,
		`UPDATE feeds SET enabled = NOT enabled WHERE url = '` + off + `'`,
		`INSERT INTO feeds (url, title, source) VALUES ('https://example.org/mine.xml', 'mine', 'user')`,
	} {
		if _, err := db.Pool().Exec(uctx, q); err != nil {
			t.Fatal(err)
		}
	}
	enabled := countRows(t, db, `SELECT count(*) FROM feeds WHERE url = $1 AND enabled`, off)

	must(db.AddFirm(uctx, store.Firm{ID: "unitree", Name: "Unitree", Sector: "robots (mine)", Sources: []string{"https://example.org/mine"}}))
	must(db.AddFirm(uctx, store.Firm{ID: "agibot", Name: "AgiBot"}))
	must(db.AddAlliance(uctx, store.Alliance{ID: "robots", Name: "Robots Alliance"}))
	must(db.JoinAlliance(uctx, "robots", []string{"unitree", "huawei"}, "", ""))
	must(db.JoinAlliance(uctx, "model-chip", []string{"agibot"}, "https://example.org/j", ""))
	ref, err := db.Alliance(uctx, "model-chip")
	must(err)
	var left string
	for _, m := range ref.Members {
		if m.Provenance == store.SourceReference {
			left = m.Firm
			break
		}
	}
	must(db.LeaveAlliance(uctx, "model-chip", left, ""))
	must(db.SetFirmHidden(uctx, "sensetime", true))
	// An import took over a reference designation and lifted it.
	st, err := db.Firm(uctx, "sensetime")
	must(err)
	lifted := st.Designations[0]
	lifted.Removed = "2026-11-01"
	must(db.ApplyDesignations(uctx, []store.DesignationChange{{Kind: "removed", Designation: lifted}}, nil, "csl:2026-11-01:abc"))

	// The next release: the same data, and a firm "unitree" of its own.
	ds.Version += "-next"
	ds.Firms = append(ds.Firms, store.Firm{
		ID: "unitree", Name: "Unitree Robotics Co., Ltd.", NameZH: "宇树科技", Short: "Unitree Robotics", Sector: "robotics", HQ: "Hangzhou",
		Sources: []string{"https://example.org/reference"},
		Aliases: []store.Alias{{Entity: "unitree", Kind: store.KindFirm, Text: "宇树科技", Lang: "zh", Source: store.SourceReference}},
		Designations: []store.Designation{{Firm: "unitree", List: "entity-list", Added: "2099-01-01", Status: store.StatusConfirmed,
			Source: "https://example.org/fr"}},
	})
	wrote, err := db.Seed(uctx, ds)
	must(err)
	if !wrote {
		t.Fatal("the new release was not seededStore")
	}

	if n := countRows(t, db, `SELECT count(*) FROM aliases WHERE text = 'Huawei Cloud' AND source = 'user'`); n != 1 {
		t.Error("the user's alias is gone after reseed")
	}
	if n := countRows(t, db, `SELECT count(*) FROM aliases WHERE entity = 'huawei' AND text = $1`, refAlias); n != 0 {
		t.Errorf("the reference alias %q the user removed came back", refAlias)
	}
	if n := countRows(t, db, `SELECT count(*) FROM feeds WHERE url = $1`, gone); n != 0 {
		t.Error("a feed the user removed came back on reseed")
	}
	if n := countRows(t, db, `SELECT count(*) FROM feeds WHERE url = $1 AND enabled`, off); n != enabled {
		t.Error("the user's enable/disable choice was lost on reseed")
	}
	if n := countRows(t, db, `SELECT count(*) FROM feeds WHERE url = 'https://example.org/mine.xml'`); n != 1 {
		t.Error("the user's feed is gone")
	}
	st, err = db.Firm(uctx, "sensetime")
	must(err)
	for _, d := range st.Designations {
		if d.ID == lifted.ID && (d.Removed != "2026-11-01" || d.Provenance != "csl:2026-11-01:abc") {
			t.Errorf("the imported removal was undone by the reseed: %+v", d)
		}
	}

	u, err := db.Firm(uctx, "unitree")
	must(err)
	if u.Provenance != store.SourceUser || u.Name != "Unitree" || u.Sector != "robots (mine)" || !slices.Equal(u.Sources, []string{"https://example.org/mine"}) {
		t.Errorf("the user's fields were overwritten: %+v", u)
	}
	if u.NameZH != "宇树科技" || u.HQ != "Hangzhou" {
		t.Errorf("blank fields not filled from the reference: zh %q hq %q", u.NameZH, u.HQ)
	}
	if len(u.Designations) != 1 || u.Designations[0].Provenance != store.SourceReference {
		t.Errorf("the reference's designation was not added: %+v", u.Designations)
	}
	if !slices.ContainsFunc(u.Aliases, func(a store.Alias) bool { return a.Text == "宇树科技" && a.Source == store.SourceReference }) {
		t.Errorf("the reference's alias was not added: %+v", u.Aliases)
	}
	if err := db.RemoveFirm(uctx, "unitree"); err == nil || !strings.Contains(err.Error(), "reference dataset") {
		t.Errorf("a firm the reference now holds was removable: %v", err)
	}
	if _, err := db.Firm(uctx, "agibot"); err != nil {
		t.Errorf("the user's other firm is gone: %v", err)
	}
	r, err := db.Alliance(uctx, "robots")
	must(err)
	if len(r.Members) != 2 || r.Provenance != store.SourceUser {
		t.Errorf("the user's alliance = %+v, want 2 members", r)
	}
	mc, err := db.Alliance(uctx, "model-chip")
	must(err)
	has := func(id string) bool {
		return slices.ContainsFunc(mc.Members, func(m store.Membership) bool { return m.Firm == id })
	}
	if !has("agibot") || has(left) {
		t.Errorf("model-chip members after reseed: agibot %v (want true), %s %v (want false)", has("agibot"), left, has(left))
	}
	if fs, _ := db.Firms(uctx, store.FirmQuery{Hidden: store.HiddenOnly}); len(fs) != 1 || fs[0].ID != "sensetime" {
		t.Errorf("hidden after reseed = %+v", fs)
	}
	if n := countRows(t, db, `SELECT count(*) FROM membership_events`); n != 4 {
		t.Errorf("membership events after reseed = %d, want 4", n)
	}
}

// TestSeedStartsChangesAtFirstSeed: the first seed's history is not a
// change, and the seeding user's what-changed mark starts there.
func TestSeedStartsChangesAtFirstSeed(t *testing.T) {
	db, _ := open(t, "alice")
	at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return at }
	if _, err := db.Seed(uctx, refDataset(t)); err != nil {
		t.Fatal(err)
	}
	evs, err := db.DesignationEvents(uctx, "", time.Time{})
	if err != nil || len(evs) == 0 {
		t.Fatalf("DesignationEvents: %d, %v", len(evs), err)
	}
	if ch, err := db.DesignationChanges(uctx, time.Time{}); err != nil || len(ch) != 0 {
		t.Errorf("the first seed's history counts as %d changes (%v)", len(ch), err)
	}
	if n := countRows(t, db, `SELECT count(*) FROM user_meta WHERE username = 'alice' AND key = 'changes_seen' AND value = $1`, "1796385600"); n != 1 {
		t.Error("alice's changes_seen mark was not set at the first seed")
	}
}
