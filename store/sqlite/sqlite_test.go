package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

var ctx = context.Background()

// mustOpen opens a seeded store in its own file under t.TempDir().
func mustOpen(t testing.TB) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "aiwatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ds, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Seed(ctx, ds); err != nil {
		t.Fatal(err)
	}
	return db
}

func count(t testing.TB, db *sqlite.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestSeedPopulates(t *testing.T) {
	db := mustOpen(t)
	firms, err := db.Firms(ctx, sqlite.FirmQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(firms) != 35 {
		t.Fatalf("firms = %d, want 35", len(firms))
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
		if !ok || d.Added != added || d.Source == "" || d.Status != store.StatusConfirmed {
			t.Errorf("sensetime %s = %+v, want added %s with a source", list, d, added)
		}
	}
	al, err := db.Firm(ctx, "alibaba")
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
	mc, err := db.Alliance(ctx, "model-chip")
	if err != nil {
		t.Fatal(err)
	}
	if len(mc.Members) != 10 || len(mc.Sources) == 0 {
		t.Errorf("model-chip has %d members and %d sources", len(mc.Members), len(mc.Sources))
	}
	items, err := db.Items(ctx, store.Filter{Alliances: []string{"model-chip"}})
	if err != nil {
		t.Fatal(err)
	}
	langs := map[string]bool{}
	for _, it := range items {
		langs[it.Lang] = true
	}
	for _, l := range []string{"ar", "zh", "en"} {
		if !langs[l] {
			t.Errorf("no %s item names model-chip", l)
		}
	}
}

func TestSeedTwiceNoDuplicates(t *testing.T) {
	db := mustOpen(t)
	tables := []string{"firms", "alliances", "aliases", "memberships", "designations", "feeds", "items", "item_tags", "designation_events"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = count(t, db, "SELECT count(*) FROM "+tb)
	}
	ds, _ := reference.Load()
	ds.Version = "force-a-reseed"
	wrote, err := db.Seed(ctx, ds)
	if err != nil || !wrote {
		t.Fatalf("reseed: wrote=%v err=%v", wrote, err)
	}
	for _, tb := range tables {
		if got := count(t, db, "SELECT count(*) FROM "+tb); got != before[tb] {
			t.Errorf("%s: %d rows after reseed, %d before", tb, got, before[tb])
		}
	}
	if wrote, _ := db.Seed(ctx, ds); wrote {
		t.Error("seeding the same version again wrote")
	}
}

func TestUserStateSurvivesReseed(t *testing.T) {
	db := mustOpen(t)
	items, err := db.Items(ctx, store.Filter{Limit: 3})
	if err != nil || len(items) < 3 {
		t.Fatalf("items: %v %d", err, len(items))
	}
	if err := db.SetRead(ctx, []int64{items[0].ID}, true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetStarred(ctx, []int64{items[1].ID}, true); err != nil {
		t.Fatal(err)
	}
	feeds, _ := db.Feeds(ctx)
	var removed store.Feed
	for _, f := range feeds {
		if f.Kind == "feed" {
			removed = f
			break
		}
	}
	if _, err := db.RemoveFeed(ctx, removed.ID); err != nil {
		t.Fatal(err)
	}
	mine, err := db.AddFeed(ctx, store.Feed{URL: "https://example.org/mine.xml", Title: "mine", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddAlias(ctx, store.Alias{Kind: store.KindFirm, Entity: "huawei", Text: "Huawei Cloud", Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	ds, _ := reference.Load()
	ds.Version = "next"
	if _, err := db.Seed(ctx, ds); err != nil {
		t.Fatal(err)
	}
	got, _ := db.Items(ctx, store.Filter{IDs: []int64{items[0].ID, items[1].ID}})
	for _, it := range got {
		if it.ID == items[0].ID && !it.Read {
			t.Error("read mark lost on reseed")
		}
		if it.ID == items[1].ID && !it.Starred {
			t.Error("star lost on reseed")
		}
	}
	if n := count(t, db, "SELECT count(*) FROM feeds WHERE url = ?", removed.URL); n != 0 {
		t.Error("a feed the user removed came back on reseed")
	}
	if _, err := db.Feed(ctx, mine); err != nil {
		t.Errorf("the user's feed is gone: %v", err)
	}
	if n := count(t, db, "SELECT count(*) FROM aliases WHERE text = 'Huawei Cloud' AND source = 'user'"); n != 1 {
		t.Error("the user's alias is gone after reseed")
	}
}

func TestFullTextChinese(t *testing.T) {
	db := mustOpen(t)
	feed, err := db.AddFeed(ctx, store.Feed{URL: "https://example.org/zh.xml", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC)
	_, err = db.SaveItems(ctx, feed, []store.Item{
		{Key: "a", Title: "国产GPU厂商摩尔线程发布新一代芯片", Published: now, Lang: "zh"},
		{Key: "b", Title: "华为昇腾生态大会在上海召开", Published: now, Lang: "zh"},
		{Key: "c", Title: "An unrelated English headline", Summary: "AI chips from Moore Threads", Published: now, Lang: "en"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		term string
		want []string
	}{
		{"摩尔线程", []string{"a"}},
		{"华为", []string{"b"}},
		{"华", []string{"b"}},
		{"AI", []string{"c"}},
		{"unrelated", []string{"c"}},
		{"UNRELATED", []string{"c"}},
		{"不存在的词", nil},
		{"为华", nil},
		{"Thread", []string{"c"}},
		{"moore threads", []string{"c"}},
		{`he"ad`, nil},
		{"线程发布", []string{"a"}},
	} {
		t.Run(tc.term, func(t *testing.T) {
			items, err := db.Items(ctx, store.Filter{Text: []string{tc.term}, Feeds: []string{"zh.xml"}})
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, it := range items {
				keys = append(keys, it.Key)
			}
			if len(keys) != len(tc.want) || (len(keys) > 0 && keys[0] != tc.want[0]) {
				t.Errorf("search %q = %v, want %v", tc.term, keys, tc.want)
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	dir := t.TempDir()
	t.Run("not sqlite", func(t *testing.T) {
		p := filepath.Join(dir, "notes.txt")
		os.WriteFile(p, []byte("these are my notes, not a database"), 0o644)
		_, err := sqlite.Open(p)
		if !errors.Is(err, sqlite.ErrNotDatabase) {
			t.Fatalf("err = %v, want ErrNotDatabase", err)
		}
		b, _ := os.ReadFile(p)
		if string(b) != "these are my notes, not a database" {
			t.Error("the file was changed")
		}
	})
	t.Run("newer schema", func(t *testing.T) {
		p := filepath.Join(dir, "newer.db")
		db, err := sqlite.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		db.SQL().Exec("PRAGMA user_version = 999")
		db.Close()
		_, err = sqlite.Open(p)
		if !errors.Is(err, sqlite.ErrNewerSchema) {
			t.Fatalf("err = %v, want ErrNewerSchema", err)
		}
	})
	t.Run("corrupt", func(t *testing.T) {
		p := filepath.Join(dir, "corrupt.db")
		db, err := sqlite.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		db.SQL().Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		db.Close()
		b, _ := os.ReadFile(p)
		for i := 100; i < len(b); i++ {
			b[i] ^= 0x5a
		}
		os.WriteFile(p, b, 0o644)
		_, err = sqlite.Open(p)
		if err == nil {
			t.Fatal("opened a corrupt store")
		}
	})
}

func TestMigrationsFromEmpty(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	have, want, err := db.SchemaVersion(ctx)
	if err != nil || have != want || want < 1 {
		t.Fatalf("schema %d of %d, %v", have, want, err)
	}
}

func TestCountersStayRight(t *testing.T) {
	db := mustOpen(t)
	check := func(step string) {
		t.Helper()
		r, err := db.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !r.CountsOK || !r.OK() {
			t.Fatalf("after %s: counters drifted or check failed: %+v", step, r)
		}
	}
	check("seed")
	feed, _ := db.AddFeed(ctx, store.Feed{URL: "https://example.org/c.xml", Enabled: true})
	now := time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC)
	items := []store.Item{
		{Key: "1", Title: "Huawei", Firms: []string{"huawei"}, Published: now},
		{Key: "2", Title: "Biren and SenseTime", Firms: []string{"biren", "sensetime"}, Published: now},
		{Key: "3", Title: "the alliance", Alliances: []string{"model-chip"}, Published: now},
	}
	if _, err := db.SaveItems(ctx, feed, items); err != nil {
		t.Fatal(err)
	}
	check("save")
	saved, _ := db.Items(ctx, store.Filter{Feeds: []string{"c.xml"}})
	db.SetRead(ctx, []int64{saved[0].ID, saved[1].ID}, true)
	check("read")
	items[1].Firms = []string{"biren"}
	items[1].Title = "Biren alone"
	st, err := db.SaveItems(ctx, feed, items)
	if err != nil || st.Updated != 1 || st.Unchanged != 2 {
		t.Fatalf("resave: %+v %v", st, err)
	}
	check("update")
	counts, _ := db.AllianceCounts(ctx)
	if _, err := db.Retag(ctx, func(feedURL, title, summary, content string) ([]string, []string, bool, []store.Mention) {
		return []string{"huawei"}, nil, false, nil
	}); err != nil {
		t.Fatal(err)
	}
	check("retag")
	after, _ := db.AllianceCounts(ctx)
	if after[""] != counts[""] {
		t.Errorf("retag changed the item total: %v → %v", counts[""], after[""])
	}
	if _, err := db.RemoveFeed(ctx, feed); err != nil {
		t.Fatal(err)
	}
	check("remove feed")
	if n, err := db.Prune(ctx, time.Now(), true); err != nil || n != 0 {
		t.Fatalf("prune of bundled items: %d %v", n, err)
	}
	check("prune")
}

// TestMigrationsFromEveryVersion opens stores left at each earlier schema
// version, with user state in them where the schema allows, and checks
// that they migrate to the current version keeping that state.
func TestMigrationsFromEveryVersion(t *testing.T) {
	for v := 0; v < sqlite.MigrationCount(); v++ {
		t.Run(fmt.Sprintf("from %d", v), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "old.db")
			if err := sqlite.CreateAtVersion(path, v); err != nil {
				t.Fatal(err)
			}
			var readID int64
			if v >= 1 {
				// Version 1 has feeds and items: leave a read, starred item.
				raw, err := sql.Open("sqlite3", path)
				if err != nil {
					t.Fatal(err)
				}
				res, err := raw.Exec(`INSERT INTO feeds (url, title) VALUES ('https://example.org/f', 'f')`)
				if err != nil {
					t.Fatal(err)
				}
				fid, _ := res.LastInsertId()
				res, err = raw.Exec(`INSERT INTO items (feed_id, key, title, published, read, starred) VALUES (?, 'k', 'kept', 1700000000, 1, 1)`, fid)
				if err != nil {
					t.Fatal(err)
				}
				readID, _ = res.LastInsertId()
				raw.Close()
			}
			db, err := sqlite.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			have, want, err := db.SchemaVersion(ctx)
			if err != nil || have != want {
				t.Fatalf("schema %d of %d after migrating: %v", have, want, err)
			}
			if readID != 0 {
				var read, starred bool
				if err := db.SQL().QueryRow(`SELECT read, starred FROM items WHERE id = ?`, readID).Scan(&read, &starred); err != nil || !read || !starred {
					t.Errorf("user state lost in migration: read=%v starred=%v err=%v", read, starred, err)
				}
			}
			ds, _ := reference.Load()
			if _, err := db.Seed(ctx, ds); err != nil {
				t.Fatalf("seed after migrating: %v", err)
			}
		})
	}
}

func TestShortTokens(t *testing.T) {
	db := mustOpen(t)
	feed, _ := db.AddFeed(ctx, store.Feed{URL: "https://example.org/short.xml", Enabled: true})
	now := time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC)
	if _, err := db.SaveItems(ctx, feed, []store.Item{
		{Key: "1", Title: "AI chips: 5G and Huawei's 华为云", Published: now},
		{Key: "2", Title: "Said the chairman", Summary: "في شنغهاي", Published: now},
	}); err != nil {
		t.Fatal(err)
	}
	for term, want := range map[string]int{"AI": 1, "ai": 1, "5G": 1, "华为": 1, "云": 1, "في": 1, "id": 0, "s": 1, "th": 0} {
		items, err := db.Items(ctx, store.Filter{Text: []string{term}, Feeds: []string{"short.xml"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != want {
			t.Errorf("search %q: %d items, want %d", term, len(items), want)
		}
	}
}
