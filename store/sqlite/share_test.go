package sqlite_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// shareState is universeState plus the watch list, the views and the
// hidden firms.
func shareState(t *testing.T, db *sqlite.DB) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(universeState(t, db))
	for _, q := range []string{
		`SELECT group_concat(kind || '|' || value, ';') FROM (SELECT * FROM watches ORDER BY id)`,
		`SELECT group_concat(name || '|' || query, ';') FROM (SELECT * FROM views ORDER BY name)`,
		`SELECT group_concat(alliance_id || '|' || firm_id, ';') FROM (SELECT * FROM removed_memberships ORDER BY 1, 2)`,
		`SELECT group_concat(id, ';') FROM (SELECT id FROM firms WHERE hidden = 1 ORDER BY id)`,
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

// buildUniverse gives db one of each thing a universe holds.
func buildUniverse(t *testing.T, db *sqlite.DB) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.AddFirm(ctx, store.Firm{ID: "unitree", Name: "Unitree", NameZH: "宇树科技", Sector: "robots", Sources: []string{"https://www.unitree.com/about"},
		Aliases: []store.Alias{{Text: "Unitree Robotics", Lang: "en"}}}))
	must(db.AddFirm(ctx, store.Firm{ID: "agibot", Name: "AgiBot", NameZH: "智元机器人"}))
	must(db.AddAlias(ctx, store.Alias{Kind: store.KindFirm, Entity: "huawei", Text: "HW Tech", Lang: "en", Source: store.SourceUser}))
	must(db.AddAlliance(ctx, store.Alliance{ID: "robots", Name: "Robots Alliance", Launched: "2026-07", Convener: "unitree"}))
	must(db.JoinAlliance(ctx, "robots", []string{"agibot", "huawei"}, "https://example.org/join", "2026-08"))
	al, err := db.Alliance(ctx, "model-chip")
	must(err)
	must(db.LeaveAlliance(ctx, "model-chip", al.Members[len(al.Members)-1].Firm, "2026-09"))
	must(db.SetFirmHidden(ctx, "huawei", true))
	_, err = db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "unitree"})
	must(err)
	_, err = db.AddWatch(ctx, store.Watch{Kind: store.WatchQuery, Value: "alliance:robots is:unread"})
	must(err)
	must(db.AddView(ctx, store.View{Name: "Robots", Query: "alliance:robots"}))
}

// exported is UserUniverse without the IDs and times a store gives.
func exported(t *testing.T, db *sqlite.DB) store.Universe {
	t.Helper()
	u, err := db.UserUniverse(ctx)
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
	src := mustOpen(t)
	buildUniverse(t, src)
	u, err := src.UserUniverse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Firms) != 2 || len(u.Alliances) != 1 || len(u.Memberships) != 3 || len(u.Leaves) != 1 || len(u.Watches) != 2 || len(u.Views) != 1 {
		t.Fatalf("the universe: %+v", u)
	}
	// The names are not written again as aliases.
	var texts []string
	for _, a := range u.Aliases {
		texts = append(texts, a.Text)
	}
	if strings.Join(texts, ",") != "HW Tech,Unitree Robotics" {
		t.Errorf("aliases %q, want HW Tech and Unitree Robotics", texts)
	}

	dst := mustOpen(t)
	before := shareState(t, dst)
	dry, err := dst.ImportUniverse(ctx, u, true)
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
	res, err := dst.ImportUniverse(ctx, u, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res, dry) {
		t.Errorf("the import did other than the dry run said:\n%+v\n%+v", res, dry)
	}
	if a, b := exported(t, src), exported(t, dst); !reflect.DeepEqual(a, b) {
		t.Errorf("the round trip differs:\n%+v\n%+v", a, b)
	}
	al, err := dst.Alliance(ctx, "robots")
	if err != nil {
		t.Fatal(err)
	}
	if al.Convener != "Unitree" || len(al.Events) != 3 {
		t.Errorf("robots: convener %q, %d events", al.Convener, len(al.Events))
	}

	// The second time changes nothing.
	state := shareState(t, dst)
	again, err := dst.ImportUniverse(ctx, u, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changes) != 0 || again.Spellings || again.Unchanged != 13 {
		t.Errorf("second import: %+v", again)
	}
	if shareState(t, dst) != state {
		t.Error("the second import changed the store")
	}

	// A firm of the user's with other fields is changed, names and all.
	u.Firms[0].Name = "Zhiyuan Robotics"
	u.Views[0].Query = "alliance:robots since:7d"
	ch, err := dst.ImportUniverse(ctx, u, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Changes) != 2 || ch.Changes[0].Op != "change" || !strings.Contains(ch.Changes[0].Detail, `name: "AgiBot" → "Zhiyuan Robotics"`) || !ch.Spellings {
		t.Errorf("changes: %+v", ch)
	}
	f, err := dst.Firm(ctx, "agibot")
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

func TestImportUniverseRefusals(t *testing.T) {
	db := mustOpen(t)
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
		{"bad date", store.Universe{Memberships: []store.Membership{{Alliance: "model-chip", Firm: "unitree", Since: "last week"}}}, "memberships[0]: since: date"},
		{"unknown watched firm", store.Universe{Watches: []store.Watch{{Kind: store.WatchFirm, Value: "nosuch"}}}, `watches[0]: unknown firm "nosuch"`},
		{"unknown hidden firm", store.Universe{Hidden: []string{"nosuch"}}, `hidden[0]: unknown firm "nosuch"`},
		{"empty view", store.Universe{Views: []store.View{{Name: "x"}}}, "views[0]: a view needs a name and a query"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.ImportUniverse(ctx, tc.u, false)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
			var ie *sqlite.ImportError
			if !errors.As(err, &ie) || !strings.HasPrefix(tc.want, fmt.Sprintf("%s[%d]", ie.Section, ie.Index)) {
				t.Errorf("error %v names no entry of the universe, or the wrong one", err)
			}
			if shareState(t, db) != before {
				t.Error("a refused import changed the store")
			}
		})
	}
}
