package postgres_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

// universeState is what the universe commands may change, as text, so
// that a refused command can be shown to have changed nothing.
func universeState(t *testing.T, db *postgres.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT string_agg(id || '|' || name || '|' || name_zh || '|' || provenance || '|' || hidden || '|' || sources, ';' ORDER BY id) FROM firms`,
		`SELECT string_agg(id || '|' || name || '|' || provenance, ';' ORDER BY id) FROM alliances`,
		`SELECT string_agg(kind || '|' || entity || '|' || fold || '|' || source, ';' ORDER BY id) FROM aliases`,
		`SELECT string_agg(alliance_id || '|' || firm_id || '|' || role || '|' || provenance, ';' ORDER BY alliance_id, firm_id) FROM memberships`,
		`SELECT count(*)::text FROM membership_events`,
		`SELECT string_agg(kind || '|' || entity || '|' || item_id, ';' ORDER BY kind, entity, item_id) FROM item_tags`,
		`SELECT string_agg(fold, ';' ORDER BY fold) FROM removed_aliases`,
	} {
		var s *string
		if err := db.Pool().QueryRow(uctx, q).Scan(&s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if s != nil {
			b.WriteString(*s)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// addItems stores items naming firms (tag rows written as SaveItems
// writes them) in a feed of their own, and returns their IDs.
func addTaggedItems(t *testing.T, db *postgres.DB, firms ...string) []int64 {
	t.Helper()
	var feed int64
	if err := db.Pool().QueryRow(uctx, `INSERT INTO feeds (url, title) VALUES ('https://example.org/universe.xml', 'u')
		ON CONFLICT (url) DO UPDATE SET title = excluded.title RETURNING id`).Scan(&feed); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, f := range firms {
		var id int64
		if err := db.Pool().QueryRow(uctx, `INSERT INTO items (feed_id, key, title, published) VALUES ($1, $2, $3, $4) RETURNING id`,
			feed, f+string(rune('a'+i)), f+" ships", 1796385600+int64(i)).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if f != "" {
			if _, err := db.Pool().Exec(uctx, `INSERT INTO item_tags (kind, entity, item_id, published) VALUES ('firm', $1, $2, $3)`, f, id, 1796385600+int64(i)); err != nil {
				t.Fatal(err)
			}
		}
		ids = append(ids, id)
	}
	return ids
}

// allyItems is how many items the alliance's roll-up holds.
func rollupItems(t *testing.T, db *postgres.DB, alliance string) int {
	return countRows(t, db, `SELECT count(*) FROM item_tags WHERE kind = 'ally' AND entity = $1`, alliance)
}

func TestAddFirmRefusals(t *testing.T) {
	db := seededStore(t, "alice")
	if err := db.AddFirm(uctx, store.Firm{ID: "unitree", Name: "Unitree", NameZH: "宇树科技", Sources: []string{"https://example.org/unitree"}}); err != nil {
		t.Fatal(err)
	}
	before := universeState(t, db)
	for _, tc := range []struct {
		name string
		firm store.Firm
		want string
	}{
		{"reference ID", store.Firm{ID: "huawei", Name: "Huawei again"}, `postgres: firm "huawei" (reference) already exists; choose another ID`},
		{"user ID", store.Firm{ID: "unitree", Name: "Unitree 2"}, `firm "unitree" (user) already exists`},
		{"bad ID", store.Firm{ID: "Uni Tree", Name: "Unitree"}, "not a lower-case slug"},
		{"empty ID", store.Firm{ID: "", Name: "Unitree"}, "postgres: an ID is needed"},
		{"empty name", store.Firm{ID: "agibot", Name: "  "}, `postgres: firm "agibot" needs a name (--name)`},
		{"name of another firm", store.Firm{ID: "hw2", Name: "Huawei"}, `already names firm "huawei"`},
		{"alias of another firm", store.Firm{ID: "agibot", Name: "AgiBot", Aliases: []store.Alias{{Text: "宇树科技"}}}, `postgres: alias "宇树科技" already names firm "unitree"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := db.AddFirm(uctx, tc.firm)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("AddFirm = %v, want an error with %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "unable to") {
				t.Errorf("a refusal reads as a store failure: %v", err)
			}
			if after := universeState(t, db); after != before {
				t.Errorf("a refused add changed the store:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	if err := db.AddFirm(uctx, store.Firm{ID: "huawei", Name: "x"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("an ID in use: %v, want ErrConflict", err)
	}
	f, err := db.Firm(uctx, "unitree")
	if err != nil {
		t.Fatal(err)
	}
	if f.Provenance != store.SourceUser || f.Short != "Unitree" || len(f.Aliases) != 2 || f.Added == "" {
		t.Errorf("firm = %+v, want provenance user, short Unitree, 2 aliases, a date added", f)
	}
	for _, a := range f.Aliases {
		if a.Source != store.SourceUser {
			t.Errorf("alias %q has source %q, want user", a.Text, a.Source)
		}
	}
	if _, err := db.Firm(uctx, "nosuch"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Firm(nosuch) = %v, want ErrNotFound", err)
	}
}

func TestAliasAddRemove(t *testing.T) {
	db := seededStore(t, "alice")
	v0, err := db.AliasVersion(uctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddAlias(uctx, store.Alias{Kind: store.KindFirm, Entity: "huawei", Text: " HW Tech ", Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	v1, _ := db.AliasVersion(uctx)
	if v1 == v0 {
		t.Error("AliasVersion did not move with an added alias")
	}
	for _, tc := range []struct {
		name string
		a    store.Alias
		want error
		msg  string
	}{
		{"taken", store.Alias{Kind: store.KindFirm, Entity: "sensetime", Text: "hw tech"}, store.ErrConflict, `alias "hw tech" already names firm "huawei"`},
		{"unknown firm", store.Alias{Kind: store.KindFirm, Entity: "nosuch", Text: "x"}, store.ErrNotFound, `firm "nosuch"`},
		{"unknown alliance", store.Alias{Kind: store.KindAlliance, Entity: "nosuch", Text: "x"}, store.ErrNotFound, `alliance "nosuch"`},
	} {
		err := db.AddAlias(uctx, tc.a)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %v with %q", tc.name, err, tc.want, tc.msg)
		}
	}
	if err := db.AddAlias(uctx, store.Alias{Kind: store.KindFirm, Entity: "huawei", Text: "  "}); err == nil {
		t.Error("an empty alias was added")
	}
	if err := db.RemoveAlias(uctx, store.KindFirm, "huawei", "hw tech"); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveAlias(uctx, store.KindFirm, "huawei", "hw tech"); !errors.Is(err, store.ErrNotFound) ||
		!strings.Contains(err.Error(), `firm "huawei" has no alias "hw tech"`) {
		t.Errorf("removing twice: %v", err)
	}
	if v2, _ := db.AliasVersion(uctx); v2 == v1 {
		t.Error("AliasVersion did not move with a removed alias")
	}
	// A removed spelling is remembered, and adding it again forgets that.
	if n := countRows(t, db, `SELECT count(*) FROM removed_aliases`); n != 1 {
		t.Errorf("%d removed aliases, want 1", n)
	}
	if err := db.AddAlias(uctx, store.Alias{Kind: store.KindFirm, Entity: "huawei", Text: "HW Tech"}); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db, `SELECT count(*) FROM removed_aliases`); n != 0 {
		t.Errorf("%d removed aliases after adding it back, want 0", n)
	}
	as, err := db.Aliases(uctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSortedFunc(as, func(a, b store.Alias) int {
		return strings.Compare(string(a.Kind)+"\x00"+a.Entity, string(b.Kind)+"\x00"+b.Entity)
	}) {
		t.Error("aliases are not ordered by kind and entity")
	}
}

func TestFirmEditRemoveHide(t *testing.T) {
	db := seededStore(t, "alice")
	if err := db.AddFirm(uctx, store.Firm{ID: "unitree", Name: "Unitree"}); err != nil {
		t.Fatal(err)
	}
	name, zh, sector := "Unitree Robotics", "宇树科技", "robotics"
	if err := db.EditFirm(uctx, "unitree", store.FirmEdit{Name: &name, NameZH: &zh, Sector: &sector, Sources: []string{"https://example.org/u"}}); err != nil {
		t.Fatal(err)
	}
	f, _ := db.Firm(uctx, "unitree")
	var texts []string
	for _, a := range f.Aliases {
		texts = append(texts, a.Text)
	}
	slices.Sort(texts)
	if f.Name != name || f.Short != name || f.Sector != sector || !slices.Equal(texts, []string{"Unitree Robotics", "宇树科技"}) || !slices.Equal(f.Sources, []string{"https://example.org/u"}) {
		t.Errorf("after edit: %+v, aliases %q", f, texts)
	}
	empty := " "
	if err := db.EditFirm(uctx, "unitree", store.FirmEdit{Name: &empty}); err == nil || !strings.Contains(err.Error(), "--name cannot be empty") {
		t.Errorf("an empty name: %v", err)
	}
	if err := db.EditFirm(uctx, "huawei", store.FirmEdit{Name: &name}); err == nil || !strings.Contains(err.Error(), "reference dataset and cannot be edited") {
		t.Errorf("editing a reference firm: %v", err)
	}
	if err := db.EditFirm(uctx, "nosuch", store.FirmEdit{Name: &name}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("editing an unknown firm: %v", err)
	}

	// Hide and show a reference firm.
	if err := db.SetFirmHidden(uctx, "huawei", true); err != nil {
		t.Fatal(err)
	}
	listed := func(q store.FirmQuery) bool {
		fs, err := db.Firms(uctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(fs, func(f store.Firm) bool { return f.ID == "huawei" })
	}
	if listed(store.FirmQuery{}) || !listed(store.FirmQuery{Hidden: store.HiddenOnly}) || !listed(store.FirmQuery{Hidden: store.HiddenToo}) {
		t.Error("a hidden firm is listed, or not found among the hidden")
	}
	als, _ := db.Alliances(uctx)
	for _, a := range als {
		if slices.ContainsFunc(a.Members, func(m store.Membership) bool { return m.Firm == "huawei" }) {
			t.Errorf("hidden huawei is still a member shown in %s", a.ID)
		}
	}
	if err := db.SetFirmHidden(uctx, "huawei", false); err != nil {
		t.Fatal(err)
	}
	if !listed(store.FirmQuery{}) {
		t.Error("a shown firm is not listed")
	}
	if err := db.SetFirmHidden(uctx, "nosuch", true); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("hiding an unknown firm: %v", err)
	}

	// Remove: the user's firm goes with its tags and roll-ups; a
	// reference firm is refused.
	if err := db.RemoveFirm(uctx, "huawei"); err == nil || !strings.Contains(err.Error(), "hide it with aiwatch firms hide huawei") {
		t.Errorf("removing a reference firm: %v", err)
	}
	addTaggedItems(t, db, "unitree")
	if err := db.JoinAlliance(uctx, "model-chip", []string{"unitree"}, "", ""); err != nil {
		t.Fatal(err)
	}
	if n := rollupItems(t, db, "model-chip"); n != 1 {
		t.Fatalf("model-chip rolls up %d items, want unitree's 1", n)
	}
	if err := db.RemoveFirm(uctx, "unitree"); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db, `SELECT count(*) FROM firms WHERE id = 'unitree'`) + countRows(t, db, `SELECT count(*) FROM aliases WHERE entity = 'unitree'`) +
		countRows(t, db, `SELECT count(*) FROM memberships WHERE firm_id = 'unitree'`) + countRows(t, db, `SELECT count(*) FROM item_tags WHERE entity = 'unitree'`); n != 0 {
		t.Errorf("%d rows of the removed firm remain", n)
	}
	if n := rollupItems(t, db, "model-chip"); n != 0 {
		t.Errorf("model-chip still rolls up %d items of the removed firm", n)
	}
	if n := countRows(t, db, `SELECT count(*) FROM membership_events WHERE firm_id = 'unitree' AND action = 'left'`); n != 1 {
		t.Errorf("the removal logged %d leaves, want 1", n)
	}
	if err := db.RemoveFirm(uctx, "unitree"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
}

func TestJoinLeave(t *testing.T) {
	db := seededStore(t, "alice")
	db.Now = func() time.Time { return time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC) }
	for _, f := range []store.Firm{{ID: "unitree", Name: "Unitree"}, {ID: "agibot", Name: "AgiBot"}} {
		if err := db.AddFirm(uctx, f); err != nil {
			t.Fatal(err)
		}
	}
	addTaggedItems(t, db, "huawei", "unitree", "agibot", "")
	if err := db.AddAlliance(uctx, store.Alliance{ID: "robots", Name: "Embodied AI Alliance", NameZH: "具身智能联盟", Launched: "2026-07", Convener: "huawei"}); err != nil {
		t.Fatal(err)
	}
	if got := rollupItems(t, db, "robots"); got != 1 {
		t.Errorf("alliance items with its convener = %d, want huawei's 1", got)
	}
	if err := db.JoinAlliance(uctx, "robots", []string{"unitree", "agibot"}, "https://example.org/join", "2026-08-01"); err != nil {
		t.Fatal(err)
	}
	if got := rollupItems(t, db, "robots"); got != 3 {
		t.Errorf("alliance items after two joins = %d, want 3", got)
	}
	before := universeState(t, db)
	for _, tc := range []struct {
		name     string
		alliance string
		firms    []string
		since    string
		want     string
	}{
		{"already a member", "robots", []string{"unitree"}, "", `postgres: firm "unitree" is already a member of alliance "robots" (member)`},
		{"one of two already a member", "robots", []string{"moore-threads", "agibot"}, "", `already a member`},
		{"unknown firm", "robots", []string{"nosuch"}, "", `firm "nosuch": not found`},
		{"unknown alliance", "nosuch", []string{"unitree"}, "", `alliance "nosuch": not found`},
		{"named twice", "model-chip", []string{"unitree", "unitree"}, "", `firm "unitree" is named twice`},
		{"bad date", "model-chip", []string{"unitree"}, "last week", `--since: date "last week": want YYYY-MM-DD, YYYY-MM or YYYY`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := db.JoinAlliance(uctx, tc.alliance, tc.firms, "", tc.since); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("JoinAlliance = %v, want %q", err, tc.want)
			}
			if after := universeState(t, db); after != before {
				t.Errorf("a refused join changed the store")
			}
		})
	}
	if err := db.LeaveAlliance(uctx, "robots", "moore-threads", ""); err == nil || !strings.Contains(err.Error(), `firm "moore-threads" is not a member of alliance "robots"`) {
		t.Errorf("leaving as a non-member: %v", err)
	}
	if err := db.LeaveAlliance(uctx, "robots", "agibot", "2026-11-30"); err != nil {
		t.Fatal(err)
	}
	if got := rollupItems(t, db, "robots"); got != 2 {
		t.Errorf("alliance items after a leave = %d, want 2", got)
	}
	a, err := db.Alliance(uctx, "robots")
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
	if a.Provenance != store.SourceUser || a.Convener != "Huawei" || a.Launched != "2026-07" || len(a.Aliases) != 2 {
		t.Errorf("alliance = %+v", a)
	}
	// The convener is listed first, then members by name.
	var members []string
	for _, m := range a.Members {
		members = append(members, m.Firm+"/"+m.Role)
	}
	if !slices.Equal(members, []string{"huawei/convener", "unitree/member"}) {
		t.Errorf("members = %q", members)
	}
	if _, err := db.Alliance(uctx, "nosuch"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Alliance(nosuch) = %v", err)
	}
	// Leaving a reference membership is remembered.
	mc, err := db.Alliance(uctx, "model-chip")
	if err != nil || mc.Members[0].Provenance != store.SourceReference {
		t.Fatalf("model-chip: %+v, %v", mc.Members, err)
	}
	if err := db.LeaveAlliance(uctx, "model-chip", mc.Members[0].Firm, ""); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db, `SELECT count(*) FROM removed_memberships WHERE alliance_id = 'model-chip' AND firm_id = $1`, mc.Members[0].Firm); n != 1 {
		t.Error("leaving a reference membership was not remembered")
	}
	if err := db.RemoveAlliance(uctx, "model-chip"); err == nil || !strings.Contains(err.Error(), `alliance "model-chip" is in the reference dataset and cannot be removed`) {
		t.Errorf("a reference alliance was removed: %v", err)
	}
	if err := db.RemoveAlliance(uctx, "robots"); err != nil {
		t.Fatal(err)
	}
	if n := rollupItems(t, db, "robots"); n != 0 {
		t.Errorf("a removed alliance still rolls up %d items", n)
	}
	if n := countRows(t, db, `SELECT count(*) FROM membership_events WHERE alliance_id = 'robots'`); n != 4 {
		t.Errorf("the removed alliance's history: %d events, want 4 kept", n)
	}
	if err := db.RemoveAlliance(uctx, "robots"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
	if err := db.AddAlliance(uctx, store.Alliance{ID: "robots2", Name: "R", Launched: "July"}); err == nil || !strings.Contains(err.Error(), "--launched: date") {
		t.Errorf("a bad launch date: %v", err)
	}
	if err := db.AddAlliance(uctx, store.Alliance{ID: "robots2", Name: "R", Convener: "nosuch"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown convener: %v", err)
	}
	if err := db.AddAlliance(uctx, store.Alliance{ID: "model-chip", Name: "R"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("an alliance ID in use: %v", err)
	}
}

// TestUniverseIsShared: what one user adds, another sees.
func TestUniverseIsShared(t *testing.T) {
	alice, dsn := open(t, "alice")
	if _, err := alice.Seed(uctx, refDataset(t)); err != nil {
		t.Fatal(err)
	}
	if err := alice.AddFirm(uctx, store.Firm{ID: "unitree", Name: "Unitree"}); err != nil {
		t.Fatal(err)
	}
	bob, err := postgres.Open(uctx, dsn, postgres.Options{User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	if wrote, err := bob.Seed(uctx, refDataset(t)); err != nil || wrote {
		t.Errorf("bob's open seededStore again: %v, %v", wrote, err)
	}
	if f, err := bob.Firm(uctx, "unitree"); err != nil || f.Name != "Unitree" {
		t.Errorf("bob does not see alice's firm: %+v, %v", f, err)
	}
}

// TestRacedAddIsAConflict: two users add the same firm and spelling at the
// same moment; the one whose write lands second is told it exists, as a
// moment later, not that the store failed.
func TestRacedAddIsAConflict(t *testing.T) {
	db := seededStore(t, "alice")
	for _, tc := range []struct {
		name  string
		other string // the other user's write, not yet committed
		add   func() error
	}{
		{"firm", `INSERT INTO firms (id, name, provenance, in_reference) VALUES ('unitree', 'Unitree', 'user', false)`,
			func() error { return db.AddFirm(uctx, store.Firm{ID: "unitree", Name: "Unitree"}) }},
		{"alias", `INSERT INTO aliases (kind, entity, text, fold, source) VALUES ('firm', 'huawei', 'HW Tech', 'hw tech', 'user')`,
			func() error {
				return db.AddAlias(uctx, store.Alias{Kind: store.KindFirm, Entity: "huawei", Text: "HW Tech"})
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			other, err := db.Pool().Begin(uctx)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Rollback(uctx)
			if _, err := other.Exec(uctx, tc.other); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- tc.add() }()
			// Wait until the add waits on the other's row, then commit it.
			for deadline := time.Now().Add(10 * time.Second); ; {
				if countRows(t, db, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`) > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the add never waited for the other write")
				}
				time.Sleep(10 * time.Millisecond)
			}
			if err := other.Commit(uctx); err != nil {
				t.Fatal(err)
			}
			err = <-done
			if !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "another user wrote the same a moment ago") {
				t.Errorf("the raced add: %v, want a conflict", err)
			}
		})
	}
}
