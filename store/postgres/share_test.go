package postgres_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

// shareState is universeState plus every user's watch list and views,
// and the ended memberships and hidden firms.
func shareState(t *testing.T, db *postgres.DB) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(universeState(t, db))
	for _, q := range []string{
		`SELECT string_agg(username || '|' || kind || '|' || value, ';' ORDER BY id) FROM watches`,
		`SELECT string_agg(username || '|' || name || '|' || query, ';' ORDER BY username, name) FROM views`,
		`SELECT string_agg(alliance_id || '|' || firm_id, ';' ORDER BY alliance_id, firm_id) FROM removed_memberships`,
		`SELECT string_agg(id, ';' ORDER BY id) FROM firms WHERE hidden`,
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

// buildUniverse gives db one of each thing a universe holds. The watch
// entries and the view are written as AddWatch and AddView write them,
// for db's user.
func buildUniverse(t *testing.T, db *postgres.DB) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.AddFirm(uctx, store.Firm{ID: "unitree", Name: "Unitree", NameZH: "宇树科技", Sector: "robots", Sources: []string{"https://www.unitree.com/about"},
		Aliases: []store.Alias{{Text: "Unitree Robotics", Lang: "en"}}}))
	must(db.AddFirm(uctx, store.Firm{ID: "agibot", Name: "AgiBot", NameZH: "智元机器人"}))
	must(db.AddAlias(uctx, store.Alias{Kind: store.KindFirm, Entity: "huawei", Text: "HW Tech", Lang: "en", Source: store.SourceUser}))
	must(db.AddAlliance(uctx, store.Alliance{ID: "robots", Name: "Robots Alliance", Launched: "2026-07", Convener: "unitree"}))
	must(db.JoinAlliance(uctx, "robots", []string{"agibot", "huawei"}, "https://example.org/join", "2026-08"))
	al, err := db.Alliance(uctx, "model-chip")
	must(err)
	must(db.LeaveAlliance(uctx, "model-chip", al.Members[len(al.Members)-1].Firm, "2026-09"))
	must(db.SetFirmHidden(uctx, "huawei", true))
	for _, w := range []store.Watch{{Kind: store.WatchFirm, Value: "unitree"}, {Kind: store.WatchQuery, Value: "alliance:robots is:unread"}} {
		_, err := db.Pool().Exec(uctx, `INSERT INTO watches (username, kind, value, created) VALUES ($1, $2, $3, 1796385600)`, db.User(), string(w.Kind), w.Value)
		must(err)
	}
	_, err = db.Pool().Exec(uctx, `INSERT INTO views (username, name, query, created) VALUES ($1, 'Robots', 'alliance:robots', 1796385600)`, db.User())
	must(err)
}

// exported is UserUniverse without the IDs and times a store gives.
func exportedUniverse(t *testing.T, db *postgres.DB) store.Universe {
	t.Helper()
	u, err := db.UserUniverse(uctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range u.Firms {
		u.Firms[i].Added = ""
	}
	for i := range u.Watches {
		u.Watches[i].ID, u.Watches[i].Created = 0, time.Time{}
	}
	return u
}

func TestImportUniverse(t *testing.T) {
	src := seededStore(t, "alice")
	buildUniverse(t, src)
	u, err := src.UserUniverse(uctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Firms) != 2 || len(u.Alliances) != 1 || len(u.Memberships) != 3 || len(u.Leaves) != 1 || len(u.Watches) != 2 || len(u.Views) != 1 ||
		len(u.Hidden) != 1 || u.Leaves[0].Date != "2026-09" {
		t.Fatalf("the universe: %+v", u)
	}
	if u.Firms[0].ID != "agibot" || u.Watches[0].Value != "unitree" || u.Views[0].Source != "store" {
		t.Errorf("the universe is not in its fixed order: %+v", u)
	}
	// The names are not written again as aliases.
	var texts []string
	for _, a := range u.Aliases {
		texts = append(texts, a.Text)
	}
	if strings.Join(texts, ",") != "HW Tech,Unitree Robotics" {
		t.Errorf("aliases %q, want HW Tech and Unitree Robotics", texts)
	}

	dst := seededStore(t, "carol")
	before := shareState(t, dst)
	dry, err := dst.ImportUniverse(uctx, u, true)
	if err != nil {
		t.Fatal(err)
	}
	if after := shareState(t, dst); after != before {
		t.Fatal("a dry run changed the store")
	}
	// 2 firms, 1 alliance, 2 aliases, 3 memberships, 1 leave, 1 hidden, 2 watches, 1 view.
	if len(dry.Changes) != 13 || !dry.Spellings {
		t.Errorf("dry run: %d changes, spellings %v: %+v", len(dry.Changes), dry.Spellings, dry.Changes)
	}
	res, err := dst.ImportUniverse(uctx, u, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res, dry) {
		t.Errorf("the import did other than the dry run said:\n%+v\n%+v", res, dry)
	}
	if a, b := exportedUniverse(t, src), exportedUniverse(t, dst); !reflect.DeepEqual(a, b) {
		t.Errorf("the round trip differs:\n%+v\n%+v", a, b)
	}
	al, err := dst.Alliance(uctx, "robots")
	if err != nil {
		t.Fatal(err)
	}
	if al.Convener != "Unitree" || len(al.Events) != 3 {
		t.Errorf("robots: convener %q, %d events", al.Convener, len(al.Events))
	}
	// The watch entries and the view are carol's.
	if n := countRows(t, dst, `SELECT count(*) FROM watches WHERE username = 'carol'`) + countRows(t, dst, `SELECT count(*) FROM views WHERE username = 'carol'`); n != 3 {
		t.Errorf("carol has %d watch entries and views, want 3", n)
	}
	if n := countRows(t, dst, `SELECT count(*) FROM watches WHERE username <> 'carol'`) + countRows(t, dst, `SELECT count(*) FROM views WHERE username <> 'carol'`); n != 0 {
		t.Errorf("%d watch entries and views belong to someone else", n)
	}

	// The second time changes nothing.
	state := shareState(t, dst)
	again, err := dst.ImportUniverse(uctx, u, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changes) != 0 || again.Spellings || again.Unchanged != 13 {
		t.Errorf("second import: %+v", again)
	}
	if shareState(t, dst) != state {
		t.Error("the second import changed the store")
	}

	// A firm of the user's with other fields is changed, names and all; a
	// view of another case of the same name is the same view.
	u.Firms[0].Name = "Zhiyuan Robotics"
	u.Views[0].Name, u.Views[0].Query = "ROBOTS", "alliance:robots since:7d"
	ch, err := dst.ImportUniverse(uctx, u, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Changes) != 2 || ch.Changes[0].Op != "change" || !strings.Contains(ch.Changes[0].Detail, `name: "AgiBot" → "Zhiyuan Robotics"`) || !ch.Spellings ||
		ch.Changes[1].What != "view Robots" {
		t.Errorf("changes: %+v", ch)
	}
	f, err := dst.Firm(uctx, "agibot")
	if err != nil {
		t.Fatal(err)
	}
	var spellings []string
	for _, a := range f.Aliases {
		spellings = append(spellings, a.Text)
	}
	if strings.Join(spellings, ",") != "智元机器人,Zhiyuan Robotics" && strings.Join(spellings, ",") != "Zhiyuan Robotics,智元机器人" {
		t.Errorf("agibot's spellings after the rename: %q", spellings)
	}

}

// TestUserUniverseIsPerUser: the shared parts of the universe are
// everyone's, the watch list and views only their owner's.
func TestUserUniverseIsPerUser(t *testing.T) {
	alice, dsn := open(t, "alice")
	if _, err := alice.Seed(uctx, refDataset(t)); err != nil {
		t.Fatal(err)
	}
	buildUniverse(t, alice)
	bob, err := postgres.Open(uctx, dsn, postgres.Options{User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	u, err := bob.UserUniverse(uctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Firms) != 2 || len(u.Watches) != 0 || len(u.Views) != 0 {
		t.Errorf("bob's universe: %d firms, %d watches, %d views; want alice's 2 firms and none of her watches or views", len(u.Firms), len(u.Watches), len(u.Views))
	}
	// bob imports alice's: only the watch entries and the view are new.
	ua, err := alice.UserUniverse(uctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err := bob.ImportUniverse(uctx, ua, false)
	if err != nil {
		t.Fatal(err)
	}
	var sections []string
	for _, c := range res.Changes {
		sections = append(sections, c.Section)
	}
	if strings.Join(sections, ",") != "watches,watches,views" || res.Spellings {
		t.Errorf("bob's import of alice's universe: %+v", res)
	}
	if n := countRows(t, bob, `SELECT count(*) FROM watches WHERE username = 'bob'`); n != 2 {
		t.Errorf("bob has %d watch entries, want 2", n)
	}
}

func TestImportUniverseRefusals(t *testing.T) {
	db := seededStore(t, "alice")
	buildUniverse(t, db)
	before := shareState(t, db)
	good := store.Firm{ID: "deeprobot", Name: "Deep Robot"}
	for _, tc := range []struct {
		name string
		u    store.Universe
		want string
	}{
		{"reference firm", store.Universe{Firms: []store.Firm{good, {ID: "huawei", Name: "Huawei"}}}, `firms[1]: firm "huawei" is in the reference dataset`},
		{"reference alliance", store.Universe{Alliances: []store.Alliance{{ID: "model-chip", Name: "X"}}}, `alliances[0]: alliance "model-chip" is in the reference dataset`},
		{"bad ID", store.Universe{Firms: []store.Firm{{ID: "Deep Robot", Name: "x"}}}, "firms[0]: ID"},
		{"no name", store.Universe{Firms: []store.Firm{{ID: "deeprobot"}}}, "firms[0]: firm \"deeprobot\" needs a name"},
		{"spelling of another firm", store.Universe{Firms: []store.Firm{good}, Aliases: []store.Alias{{Kind: store.KindFirm, Entity: "deeprobot", Text: "华为"}}}, `aliases[0]: alias "华为" already names firm "huawei"`},
		{"unknown membership firm", store.Universe{Firms: []store.Firm{good}, Memberships: []store.Membership{{Alliance: "robots", Firm: "deeprobot"}, {Alliance: "robots", Firm: "nosuch"}}}, `memberships[1]: unknown firm "nosuch"`},
		{"unknown alliance", store.Universe{Memberships: []store.Membership{{Alliance: "nosuch", Firm: "unitree"}}}, `memberships[0]: unknown alliance "nosuch"`},
		{"bad role", store.Universe{Memberships: []store.Membership{{Alliance: "model-chip", Firm: "unitree", Role: "boss"}}}, `memberships[0]: role "boss": want member or convener`},
		{"bad date", store.Universe{Memberships: []store.Membership{{Alliance: "model-chip", Firm: "unitree", Since: "last week"}}}, "memberships[0]: since: date"},
		{"bad leave date", store.Universe{Leaves: []store.MembershipEvent{{Alliance: "robots", Firm: "unitree", Date: "soon"}}}, "leaves[0]: date: date"},
		{"unknown watched firm", store.Universe{Watches: []store.Watch{{Kind: store.WatchFirm, Value: "nosuch"}}}, `watches[0]: unknown firm "nosuch"`},
		{"empty watch", store.Universe{Watches: []store.Watch{{Kind: store.WatchQuery, Value: " "}}}, `watches[0]: a watch entry needs a firm, an alliance or a query`},
		{"unknown hidden firm", store.Universe{Hidden: []string{"nosuch"}}, `hidden[0]: unknown firm "nosuch"`},
		{"empty view", store.Universe{Views: []store.View{{Name: "x"}}}, "views[0]: a view needs a name and a query"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.ImportUniverse(uctx, tc.u, false)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "postgres: ") {
				t.Errorf("error %v, want %q", err, tc.want)
			}
			var ie *store.ImportError
			if !errors.As(err, &ie) || !strings.HasPrefix(tc.want, fmt.Sprintf("%s[%d]", ie.Section, ie.Index)) {
				t.Errorf("error %v names no entry of the universe, or the wrong one", err)
			}
			if shareState(t, db) != before {
				t.Error("a refused import changed the store")
			}
		})
	}
}
