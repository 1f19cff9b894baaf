package sqlite_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// universeState is what the universe commands may change, as text, so
// that a refused command can be shown to have changed nothing.
func universeState(t *testing.T, db *sqlite.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT group_concat(id || '|' || name || '|' || name_zh || '|' || provenance || '|' || hidden || '|' || sources, ';') FROM (SELECT * FROM firms ORDER BY id)`,
		`SELECT group_concat(id || '|' || name || '|' || provenance, ';') FROM (SELECT * FROM alliances ORDER BY id)`,
		`SELECT group_concat(kind || '|' || entity || '|' || fold || '|' || source, ';') FROM (SELECT * FROM aliases ORDER BY id)`,
		`SELECT group_concat(alliance_id || '|' || firm_id || '|' || role || '|' || provenance, ';') FROM (SELECT * FROM memberships ORDER BY 1, 2)`,
		`SELECT count(*) FROM membership_events`,
		`SELECT group_concat(kind || '|' || entity || '|' || total, ';') FROM (SELECT * FROM tag_counts ORDER BY 1, 2)`,
	} {
		var s *string
		if err := db.SQL().QueryRow(q).Scan(&s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if s != nil {
			b.WriteString(*s)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestAddFirmRefusals(t *testing.T) {
	db := mustOpen(t)
	if err := db.AddFirm(ctx, store.Firm{ID: "unitree", Name: "Unitree", NameZH: "宇树科技", Sources: []string{"https://example.org/unitree"}}); err != nil {
		t.Fatal(err)
	}
	before := universeState(t, db)
	for _, tc := range []struct {
		name string
		firm store.Firm
		want string
	}{
		{"reference ID", store.Firm{ID: "huawei", Name: "Huawei again"}, `firm "huawei" (reference) already exists`},
		{"user ID", store.Firm{ID: "unitree", Name: "Unitree 2"}, `firm "unitree" (user) already exists`},
		{"bad ID", store.Firm{ID: "Uni Tree", Name: "Unitree"}, "not a lower-case slug"},
		{"empty ID", store.Firm{ID: "", Name: "Unitree"}, "an ID is needed"},
		{"empty name", store.Firm{ID: "agibot", Name: "  "}, "needs a name"},
		{"name of another firm", store.Firm{ID: "hw2", Name: "Huawei"}, `already names firm "huawei"`},
		{"alias of another firm", store.Firm{ID: "agibot", Name: "AgiBot", Aliases: []store.Alias{{Text: "宇树科技"}}}, `already names firm "unitree"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := db.AddFirm(ctx, tc.firm)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("AddFirm = %v, want an error with %q", err, tc.want)
			}
			if after := universeState(t, db); after != before {
				t.Errorf("a refused add changed the store:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	f, err := db.Firm(ctx, "unitree")
	if err != nil {
		t.Fatal(err)
	}
	if f.Provenance != store.SourceUser || f.Short != "Unitree" || len(f.Aliases) != 2 {
		t.Errorf("firm = %+v, want provenance user, short Unitree, 2 aliases", f)
	}
	for _, a := range f.Aliases {
		if a.Source != store.SourceUser {
			t.Errorf("alias %q has source %q, want user", a.Text, a.Source)
		}
	}
}

func TestFirmEditRemoveHide(t *testing.T) {
	db := mustOpen(t)
	if err := db.AddFirm(ctx, store.Firm{ID: "unitree", Name: "Unitree"}); err != nil {
		t.Fatal(err)
	}
	name, zh, sector := "Unitree Robotics", "宇树科技", "robotics"
	if err := db.EditFirm(ctx, "unitree", sqlite.FirmEdit{Name: &name, NameZH: &zh, Sector: &sector, Sources: []string{"https://example.org/u"}}); err != nil {
		t.Fatal(err)
	}
	f, _ := db.Firm(ctx, "unitree")
	var texts []string
	for _, a := range f.Aliases {
		texts = append(texts, a.Text)
	}
	slices.Sort(texts)
	if f.Name != name || f.Sector != sector || !slices.Equal(texts, []string{"Unitree Robotics", "宇树科技"}) || !slices.Equal(f.Sources, []string{"https://example.org/u"}) {
		t.Errorf("after edit: %+v, aliases %q", f, texts)
	}
	if err := db.EditFirm(ctx, "huawei", sqlite.FirmEdit{Name: &name}); err == nil || !strings.Contains(err.Error(), "reference dataset") {
		t.Errorf("editing a reference firm: %v", err)
	}
	if err := db.EditFirm(ctx, "nosuch", sqlite.FirmEdit{Name: &name}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("editing an unknown firm: %v", err)
	}

	// Hide and show a reference firm.
	if err := db.SetFirmHidden(ctx, "huawei", true); err != nil {
		t.Fatal(err)
	}
	listed := func(q sqlite.FirmQuery) bool {
		fs, err := db.Firms(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(fs, func(f store.Firm) bool { return f.ID == "huawei" })
	}
	if listed(sqlite.FirmQuery{}) || !listed(sqlite.FirmQuery{Hidden: sqlite.HiddenOnly}) || !listed(sqlite.FirmQuery{Hidden: sqlite.HiddenToo}) {
		t.Error("a hidden firm is listed, or not found among the hidden")
	}
	als, _ := db.Alliances(ctx)
	for _, a := range als {
		if slices.ContainsFunc(a.Members, func(m store.Membership) bool { return m.Firm == "huawei" }) {
			t.Errorf("hidden huawei is still a member shown in %s", a.ID)
		}
	}
	if err := db.SetFirmHidden(ctx, "huawei", false); err != nil {
		t.Fatal(err)
	}
	if !listed(sqlite.FirmQuery{}) {
		t.Error("a shown firm is not listed")
	}

	// Remove: the user's firm goes; a reference firm is refused.
	if err := db.RemoveFirm(ctx, "huawei"); err == nil || !strings.Contains(err.Error(), "firms hide") {
		t.Errorf("removing a reference firm: %v", err)
	}
	if err := db.JoinAlliance(ctx, "model-chip", []string{"unitree"}, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveFirm(ctx, "unitree"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT count(*) FROM firms WHERE id = 'unitree'`) + count(t, db, `SELECT count(*) FROM aliases WHERE entity = 'unitree'`) +
		count(t, db, `SELECT count(*) FROM memberships WHERE firm_id = 'unitree'`); n != 0 {
		t.Errorf("%d rows of the removed firm remain", n)
	}
	if n := count(t, db, `SELECT count(*) FROM membership_events WHERE firm_id = 'unitree' AND action = 'left'`); n != 1 {
		t.Errorf("the removal logged %d leaves, want 1", n)
	}
}

func TestJoinLeave(t *testing.T) {
	db := mustOpen(t)
	db.Now = func() time.Time { return time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC) }
	for _, f := range []store.Firm{{ID: "unitree", Name: "Unitree"}, {ID: "agibot", Name: "AgiBot"}} {
		if err := db.AddFirm(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddAlliance(ctx, store.Alliance{ID: "robots", Name: "Embodied AI Alliance", NameZH: "具身智能联盟", Launched: "2026-07", Convener: "huawei"}); err != nil {
		t.Fatal(err)
	}
	feed := addUniverseFeed(t, db)
	if _, err := db.SaveItems(ctx, feed, []store.Item{
		{Key: "1", Title: "Unitree ships", Published: db.Now(), Firms: []string{"unitree"}},
		{Key: "2", Title: "AgiBot ships", Published: db.Now(), Firms: []string{"agibot"}},
		{Key: "3", Title: "Neither", Published: db.Now()},
	}); err != nil {
		t.Fatal(err)
	}
	allyCount := func() int {
		c, err := db.AllianceCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c["robots"].Total
	}
	base := allyCount() // the convener's items, if any
	if err := db.JoinAlliance(ctx, "robots", []string{"unitree", "agibot"}, "https://example.org/join", "2026-08-01"); err != nil {
		t.Fatal(err)
	}
	if got := allyCount(); got != base+2 {
		t.Errorf("alliance items after two joins = %d, want %d", got, base+2)
	}
	before := universeState(t, db)
	for _, tc := range []struct {
		name     string
		alliance string
		firms    []string
		want     string
	}{
		{"already a member", "robots", []string{"unitree"}, `already a member`},
		{"one of two already a member", "robots", []string{"moore-threads", "agibot"}, `already a member`},
		{"unknown firm", "robots", []string{"nosuch"}, `not found`},
		{"unknown alliance", "nosuch", []string{"unitree"}, `not found`},
		{"named twice", "model-chip", []string{"unitree", "unitree"}, `named twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := db.JoinAlliance(ctx, tc.alliance, tc.firms, "", ""); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("JoinAlliance = %v, want %q", err, tc.want)
			}
			if after := universeState(t, db); after != before {
				t.Errorf("a refused join changed the store")
			}
		})
	}
	if err := db.LeaveAlliance(ctx, "robots", "moore-threads", ""); err == nil || !strings.Contains(err.Error(), "not a member") {
		t.Errorf("leaving as a non-member: %v", err)
	}
	if err := db.LeaveAlliance(ctx, "robots", "agibot", "2026-11-30"); err != nil {
		t.Fatal(err)
	}
	if got := allyCount(); got != base+1 {
		t.Errorf("alliance items after a leave = %d, want %d", got, base+1)
	}
	a, err := db.Alliance(ctx, "robots")
	if err != nil {
		t.Fatal(err)
	}
	var evs []string
	for _, e := range a.Events {
		evs = append(evs, e.Firm+" "+e.Action+" "+e.Date)
	}
	want := []string{"huawei joined 2026-07", "unitree joined 2026-08-01", "agibot joined 2026-08-01", "agibot left 2026-11-30"}
	if !slices.Equal(evs, want) {
		t.Errorf("events = %q, want %q", evs, want)
	}
	if a.Provenance != store.SourceUser || a.Convener != "Huawei" {
		t.Errorf("alliance = %+v", a)
	}
	if err := db.RemoveAlliance(ctx, "model-chip"); err == nil {
		t.Error("a reference alliance was removed")
	}
	if err := db.RemoveAlliance(ctx, "robots"); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.AllianceCounts(ctx); c["robots"].Total != 0 {
		t.Errorf("a removed alliance still counts %d items", c["robots"].Total)
	}
}

// TestUserUniverseSurvivesReseed upgrades the reference dataset under a
// store that holds the user's firms, alliances, joins, leaves and hides,
// with a release that takes an ID the user already took.
func TestUserUniverseSurvivesReseed(t *testing.T) {
	db := mustOpen(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.AddFirm(ctx, store.Firm{ID: "unitree", Name: "Unitree", Sector: "robots (mine)", Sources: []string{"https://example.org/mine"}}))
	must(db.AddFirm(ctx, store.Firm{ID: "agibot", Name: "AgiBot"}))
	must(db.AddAlliance(ctx, store.Alliance{ID: "robots", Name: "Robots Alliance"}))
	must(db.JoinAlliance(ctx, "robots", []string{"unitree", "huawei"}, "", ""))
	must(db.JoinAlliance(ctx, "model-chip", []string{"agibot"}, "https://example.org/j", ""))
	ref, err := db.Alliance(ctx, "model-chip")
	must(err)
	var left string
	for _, m := range ref.Members {
		if m.Provenance == store.SourceReference {
			left = m.Firm
			break
		}
	}
	must(db.LeaveAlliance(ctx, "model-chip", left, ""))
	must(db.SetFirmHidden(ctx, "sensetime", true))

	// The next release: the same data, and a firm "unitree" of its own.
	ds, err := reference.Load()
	must(err)
	ds.Version += "-next"
	ds.Firms = append(ds.Firms, store.Firm{
		ID: "unitree", Name: "Unitree Robotics Co., Ltd.", NameZH: "宇树科技", Short: "Unitree Robotics", Sector: "robotics", HQ: "Hangzhou",
		Sources: []string{"https://example.org/reference"},
		Aliases: []store.Alias{{Entity: "unitree", Kind: store.KindFirm, Text: "宇树科技", Lang: "zh", Source: store.SourceReference}},
		Designations: []store.Designation{{Firm: "unitree", List: "entity-list", Added: "2099-01-01", Status: store.StatusConfirmed,
			Source: "https://example.org/fr"}},
	})
	seeded, err := db.Seed(ctx, ds)
	must(err)
	if !seeded {
		t.Fatal("the new release was not seeded")
	}

	u, err := db.Firm(ctx, "unitree")
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
	if err := db.RemoveFirm(ctx, "unitree"); err == nil || !strings.Contains(err.Error(), "reference dataset") {
		t.Errorf("a firm the reference now holds was removable: %v", err)
	}
	if _, err := db.Firm(ctx, "agibot"); err != nil {
		t.Errorf("the user's other firm is gone: %v", err)
	}
	r, err := db.Alliance(ctx, "robots")
	must(err)
	if len(r.Members) != 2 || r.Provenance != store.SourceUser {
		t.Errorf("the user's alliance = %+v, want 2 members", r)
	}
	mc, err := db.Alliance(ctx, "model-chip")
	must(err)
	has := func(id string) bool {
		return slices.ContainsFunc(mc.Members, func(m store.Membership) bool { return m.Firm == id })
	}
	if !has("agibot") || has(left) {
		t.Errorf("model-chip members after reseed: agibot %v (want true), %s %v (want false)", has("agibot"), left, has(left))
	}
	if fs, _ := db.Firms(ctx, sqlite.FirmQuery{Hidden: sqlite.HiddenOnly}); len(fs) != 1 || fs[0].ID != "sensetime" {
		t.Errorf("hidden after reseed = %+v", fs)
	}
	if n := count(t, db, `SELECT count(*) FROM membership_events`); n != 4 {
		t.Errorf("membership events after reseed = %d, want 4", n)
	}
}

func TestRetagIfStale(t *testing.T) {
	db := mustOpen(t)
	feed := addUniverseFeed(t, db)
	if _, err := db.SaveItems(ctx, feed, []store.Item{
		{Key: "1", Title: "Unitree shows a robot", Published: time.Now()},
		{Key: "2", Title: "宇树科技发布", Published: time.Now()},
	}); err != nil {
		t.Fatal(err)
	}
	ids := itemIDs(t, db, feed)
	if err := db.SetStarred(ctx, ids[:1], true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRead(ctx, ids, true); err != nil {
		t.Fatal(err)
	}
	// A tagger that finds any alias as a substring: enough to see which
	// aliases the re-tag was built from.
	newTag := func(aliases []store.Alias) sqlite.TagFunc {
		return func(_, title, summary, content string) ([]string, []string, bool, []store.Mention) {
			var firms []string
			for _, a := range aliases {
				if a.Kind == store.KindFirm && strings.Contains(title, a.Text) && !slices.Contains(firms, a.Entity) {
					firms = append(firms, a.Entity)
				}
			}
			slices.Sort(firms)
			return firms, nil, false, nil
		}
	}
	if _, _, err := db.RetagIfStale(ctx, newTag); err != nil { // the first run records the version
		t.Fatal(err)
	}
	if err := db.AddFirm(ctx, store.Firm{ID: "unitree", Name: "Unitree", NameZH: "宇树科技"}); err != nil {
		t.Fatal(err)
	}
	ran, n, err := db.RetagIfStale(ctx, newTag)
	if err != nil || !ran || n != 2 {
		t.Fatalf("RetagIfStale = %v, %d, %v; want true, 2, nil", ran, n, err)
	}
	items, err := db.Items(ctx, store.Filter{Firms: []string{"unitree"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("items of unitree = %d, want 2", len(items))
	}
	for _, it := range items {
		if !it.Read || it.Starred != (it.ID == ids[0]) {
			t.Errorf("item %d lost its marks: read %v starred %v", it.ID, it.Read, it.Starred)
		}
	}
	if ran, _, err := db.RetagIfStale(ctx, newTag); err != nil || ran {
		t.Errorf("a second RetagIfStale ran again (%v, %v)", ran, err)
	}
}

func addUniverseFeed(t *testing.T, db *sqlite.DB) int64 {
	t.Helper()
	id, err := db.AddFeed(ctx, store.Feed{URL: "https://example.org/universe.xml", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
