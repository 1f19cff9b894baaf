package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
)

// seed: SeedReference fills a new store with the reference dataset, tags
// the bundled snapshot with the tagger built from the seeded aliases, and
// does nothing the second time. (sqlite: TestSeedReference,
// TestSeedPopulates.)
func (s *suite) seed(t *testing.T) {
	ctx := t.Context()
	db := s.newStore(t).Open(t)
	if have, want, err := db.SchemaVersion(ctx); err != nil || have != want || want < 1 {
		t.Fatalf("SchemaVersion of a new store = %d of %d, %v", have, want, err)
	}
	if v, err := db.DatasetVersion(ctx); err != nil || v != "" {
		t.Fatalf("DatasetVersion before seeding = %q, %v; want none", v, err)
	}
	builds, tagged := 0, 0
	newTag := func(aliases []store.Alias) store.TagFunc {
		builds++
		if len(aliases) < 100 {
			t.Errorf("the tagger was built from %d aliases", len(aliases))
		}
		tag := Tagger(aliases)
		return func(feedURL, title, summary, content string) ([]string, []string, bool, []store.Mention) {
			tagged++
			if feedURL != reference.SnapshotFeedURL {
				t.Errorf("retagged an item of %s", feedURL)
			}
			return tag(feedURL, title, summary, content)
		}
	}
	start := time.Now().Truncate(time.Second)
	if err := db.SeedReference(ctx, newTag); err != nil {
		t.Fatal(err)
	}
	// Nothing is new to a new user: the what-changed view starts at the
	// first seed.
	if seen, err := db.ChangesSeen(ctx); err != nil || seen.Before(start) || seen.After(time.Now()) {
		t.Errorf("ChangesSeen after the first seed = %v, %v; want the seed's time, from %v", seen, err, start)
	}
	ds, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	if v, err := db.DatasetVersion(ctx); err != nil || v != ds.Version {
		t.Errorf("DatasetVersion = %q, %v; want %q", v, err, ds.Version)
	}

	firms, err := db.Firms(ctx, store.FirmQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(firms) != 35 {
		t.Errorf("firms = %d, want 35", len(firms))
	}
	st, err := db.Firm(ctx, "sensetime")
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]store.Designation{}
	for _, d := range st.Designations {
		lists[d.List] = d
	}
	for list, added := range map[string]string{"entity-list": "2019-10-09", "ns-cmic": "2021-12-10", "1260h": "2025-01-06"} {
		d, ok := lists[list]
		if !ok || d.Added != added || d.Source == "" || d.Status != store.StatusConfirmed || d.Provenance != store.SourceReference || !d.Active() {
			t.Errorf("sensetime %s = %+v, want added %s, confirmed, with a source", list, d, added)
		}
	}
	al, err := db.Firm(ctx, "alibaba")
	if err != nil {
		t.Fatal(err)
	}
	contested := false
	for _, d := range al.Designations {
		if d.List == "1260h" && d.Status == store.StatusContested {
			contested = true
		}
		if d.Active() {
			t.Errorf("alibaba has an active designation %+v; the withdrawn 1260H update is not a listing", d)
		}
	}
	if !contested {
		t.Errorf("alibaba's designations %+v lack the contested 1260H entry", al.Designations)
	}
	if _, err := db.Firm(ctx, "no-such-firm"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Firm of an unknown ID: %v, want ErrNotFound", err)
	}
	mc, err := db.Alliance(ctx, "model-chip")
	if err != nil {
		t.Fatal(err)
	}
	if len(mc.Members) != 10 || len(mc.Sources) == 0 {
		t.Errorf("model-chip has %d members and %d sources, want 10 and some", len(mc.Members), len(mc.Sources))
	}

	// The snapshot was tagged by the tagger: every item once, and the
	// alliance's news is there in all three languages.
	snap := snapshotFeed(t, db)
	all := items(t, db, inFeed(t, db, snap.ID))
	if builds != 1 || tagged != len(all) || tagged == 0 {
		t.Errorf("%d taggers built, %d items tagged; want 1 and the snapshot's %d", builds, tagged, len(all))
	}
	langs := map[string]bool{}
	for _, it := range items(t, db, store.Filter{Alliances: []string{"model-chip"}}) {
		langs[it.Lang] = true
	}
	for _, l := range []string{"ar", "zh", "en"} {
		if !langs[l] {
			t.Errorf("no %s item names model-chip", l)
		}
	}

	// A second seed of the same dataset builds no tagger and adds nothing.
	before := inventory(t, db)
	if err := db.SeedReference(ctx, newTag); err != nil || builds != 1 {
		t.Errorf("a second SeedReference built %d taggers (err %v)", builds, err)
	}
	if after := inventory(t, db); after != before {
		t.Errorf("a second SeedReference changed the store:\n%s\nwas\n%s", after, before)
	}
	if evs, err := db.DesignationChanges(ctx, time.Time{}); err != nil || len(evs) != 0 {
		t.Errorf("DesignationChanges after seeding = %+v, %v; the seed's own history is not a change", evs, err)
	}
}

// snapshotFeed returns the built-in feed of the bundled news snapshot.
func snapshotFeed(t *testing.T, db store.Backend) store.Feed {
	t.Helper()
	feeds, err := db.Feeds(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		if f.URL == reference.SnapshotFeedURL {
			if f.Kind != store.KindBuiltin {
				t.Errorf("snapshot feed kind %q", f.Kind)
			}
			return f
		}
	}
	t.Fatal("no snapshot feed after seeding")
	return store.Feed{}
}

// inventory sums up the shared content of the store: how many firms,
// alliances, memberships, aliases, lists, designations and their events,
// feeds and items, with a digest of the items' tags.
func inventory(t *testing.T, db store.Backend) string {
	t.Helper()
	ctx := t.Context()
	firms, err := db.Firms(ctx, store.FirmQuery{Hidden: store.HiddenToo})
	if err != nil {
		t.Fatal(err)
	}
	alliances, err := db.Alliances(ctx)
	if err != nil {
		t.Fatal(err)
	}
	members := 0
	for _, a := range alliances {
		members += len(a.Members)
	}
	aliases, err := db.Aliases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lists, err := db.Lists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := db.Designations(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	evs, err := db.DesignationEvents(ctx, "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	feeds, err := db.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, f := range feeds {
		urls = append(urls, f.URL)
	}
	slices.Sort(urls)
	its := items(t, db, store.Filter{AllCopies: true})
	tags := 0
	for _, it := range its {
		tags += len(it.Firms) + len(it.Alliances)
	}
	return fmt.Sprintf("firms %d, alliances %d, memberships %d, aliases %d, lists %d, designations %d, events %d, feeds %d %v, items %d, tags %d",
		len(firms), len(alliances), members, len(aliases), len(lists), len(ds), len(evs), len(feeds), urls, len(its), tags)
}

// reseed: a new dataset version seeds again, adds nothing twice, and
// keeps what the user did: marks, feeds added and removed, aliases,
// views and watch entries. (sqlite: TestSeedTwiceNoDuplicates,
// TestUserStateSurvivesReseed.)
func (s *suite) reseed(t *testing.T) {
	if s.o.Outdate == nil {
		t.Skip("the backend gives no way to outdate its seed")
	}
	ctx := t.Context()
	_, db := s.seeded(t)
	ds, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	reseed := func() {
		t.Helper()
		s.o.Outdate(t, db)
		if v, err := db.DatasetVersion(ctx); err != nil || v != "older" {
			t.Fatalf("after Outdate, DatasetVersion = %q, %v; want \"older\"", v, err)
		}
		if err := db.SeedReference(ctx, Tagger); err != nil {
			t.Fatalf("reseed: %v", err)
		}
		if v, err := db.DatasetVersion(ctx); err != nil || v != ds.Version {
			t.Fatalf("after the reseed, DatasetVersion = %q, %v; want %q", v, err, ds.Version)
		}
	}

	before := inventory(t, db)
	reseed()
	if after := inventory(t, db); after != before {
		t.Errorf("a reseed of the same facts changed the store:\n%s\nwas\n%s", after, before)
	}
	if evs, err := db.DesignationChanges(ctx, time.Time{}); err != nil || len(evs) != 0 {
		t.Errorf("a reseed of the same facts logged changes: %+v, %v", evs, err)
	}

	snap := snapshotFeed(t, db)
	its := items(t, db, store.Filter{Feeds: []string{snap.URL}, Limit: 3})
	if len(its) < 3 {
		t.Fatalf("the snapshot has %d items", len(its))
	}
	read, starred := its[0].ID, its[1].ID
	if err := db.SetRead(ctx, []int64{read}, true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetStarred(ctx, []int64{starred}, true); err != nil {
		t.Fatal(err)
	}
	feeds, err := db.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var removed store.Feed
	for _, f := range feeds {
		if f.Kind == store.KindFeed && f.Source == store.SourceReference {
			removed = f
			break
		}
	}
	if removed.ID == 0 {
		t.Fatal("the reference dataset has no feed to remove")
	}
	if _, err := db.RemoveFeed(ctx, removed.ID); err != nil {
		t.Fatal(err)
	}
	mine := addFeed(t, db, "https://example.org/mine.xml", "mine")
	alias := store.Alias{Kind: store.KindFirm, Entity: "huawei", Text: "Huawei Cloud", Lang: "en"}
	if err := db.AddAlias(ctx, alias); err != nil {
		t.Fatal(err)
	}
	if err := db.AddView(ctx, store.View{Name: "Huawei unread", Query: "firm:huawei is:unread"}); err != nil {
		t.Fatal(err)
	}
	w, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
	if err != nil {
		t.Fatal(err)
	}

	reseed()
	for _, it := range items(t, db, store.Filter{IDs: []int64{read, starred}}) {
		if it.ID == read && (!it.Read || it.Starred) {
			t.Errorf("read item after reseed: read %v starred %v", it.Read, it.Starred)
		}
		if it.ID == starred && (!it.Starred || it.Read) {
			t.Errorf("starred item after reseed: read %v starred %v", it.Read, it.Starred)
		}
	}
	feeds, err = db.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		if f.URL == removed.URL {
			t.Errorf("the feed the user removed, %s, came back on reseed", removed.URL)
		}
	}
	if f, err := db.Feed(ctx, mine); err != nil || f.URL != "https://example.org/mine.xml" || f.Source != store.SourceUser {
		t.Errorf("the user's feed after reseed: %+v, %v", f, err)
	}
	aliases, err := db.Aliases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(aliases, func(a store.Alias) bool {
		return a.Text == "Huawei Cloud" && a.Entity == "huawei" && a.Source == store.SourceUser
	}) {
		t.Error("the user's alias is gone after reseed")
	}
	if vs, err := db.Views(ctx); err != nil || len(vs) != 1 || vs[0].Name != "Huawei unread" {
		t.Errorf("views after reseed: %+v, %v", vs, err)
	}
	if ws, err := db.Watches(ctx); err != nil || len(ws) != 1 || ws[0].ID != w.ID || ws[0].Value != "biren" {
		t.Errorf("watches after reseed: %+v, %v", ws, err)
	}
	if n := len(mustFirms(t, db)); n != 35 {
		t.Errorf("%d firms after reseed", n)
	}
}

func mustFirms(t *testing.T, db store.Backend) []store.Firm {
	t.Helper()
	firms, err := db.Firms(t.Context(), store.FirmQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return firms
}

// reopen: a store opened again, by a new handle that migrates it (a no-op
// at the current schema) and seeds it (a no-op for the same dataset),
// keeps the user's marks, views, watch list, changes-seen mark and the
// items. (sqlite: TestMigrationsFromEveryVersion keeps marks through
// every migration.)
func (s *suite) reopen(t *testing.T) {
	ctx := t.Context()
	st, db := s.seeded(t)
	feed := addFeed(t, db, "https://example.org/reopen.xml", "Reopen")
	save(t, db, feed,
		store.Item{Key: "r", Title: "kept read", Published: day},
		store.Item{Key: "s", Title: "kept starred", Published: day},
		store.Item{Key: "u", Title: "kept unread", Published: day})
	r, sid := byKey(t, db, feed, "r").ID, byKey(t, db, feed, "s").ID
	if err := db.SetRead(ctx, []int64{r}, true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetStarred(ctx, []int64{sid}, true); err != nil {
		t.Fatal(err)
	}
	if err := db.AddView(ctx, store.View{Name: "Kept", Query: "firm:huawei"}); err != nil {
		t.Fatal(err)
	}
	w, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchQuery, Value: "chip"})
	if err != nil {
		t.Fatal(err)
	}
	seen := time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)
	if err := db.SetChangesSeen(ctx, seen); err != nil {
		t.Fatal(err)
	}
	before := inventory(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = st.Open(t)
	if have, want, err := db.SchemaVersion(ctx); err != nil || have != want {
		t.Fatalf("SchemaVersion after reopening = %d of %d, %v", have, want, err)
	}
	if err := db.SeedReference(ctx, Tagger); err != nil {
		t.Fatal(err)
	}
	if after := inventory(t, db); after != before {
		t.Errorf("reopening changed the store:\n%s\nwas\n%s", after, before)
	}
	for key, want := range map[string][2]bool{"r": {true, false}, "s": {false, true}, "u": {false, false}} {
		it := byKey(t, db, feed, key)
		if it.Read != want[0] || it.Starred != want[1] {
			t.Errorf("item %s after reopening: read %v starred %v, want %v", key, it.Read, it.Starred, want)
		}
	}
	if vs, err := db.Views(ctx); err != nil || len(vs) != 1 || vs[0].Name != "Kept" || vs[0].Query != "firm:huawei" {
		t.Errorf("views after reopening: %+v, %v", vs, err)
	}
	if ws, err := db.Watches(ctx); err != nil || len(ws) != 1 || ws[0].ID != w.ID || ws[0].Kind != store.WatchQuery || ws[0].Value != "chip" {
		t.Errorf("watches after reopening: %+v, %v", ws, err)
	}
	if got, err := db.ChangesSeen(ctx); err != nil || !got.Equal(seen) {
		t.Errorf("ChangesSeen after reopening = %v, %v; want %v", got, err, seen)
	}
}
