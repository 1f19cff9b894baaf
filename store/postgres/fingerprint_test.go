package postgres_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// TestFingerprintsMatchSQLite: the same items saved into both stores get
// the same fingerprint and story keys, so that items moved from a
// personal store are unchanged to the next fetch and join stories as
// they did.
func TestFingerprintsMatchSQLite(t *testing.T) {
	pg, _ := open(t, "alice")
	lite, err := sqlite.Open(filepath.Join(t.TempDir(), "fp.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	items := func() []store.Item {
		return []store.Item{
			{Key: "1", URL: "https://www.news.example.com/a?utm_source=x", Title: "Huawei ships a new accelerator — report", Summary: "S", Content: "S",
				Published: wDay, Firms: []string{"huawei"}, Alliances: []string{"ai"},
				Mentions: []store.Mention{{Entity: "huawei", Kind: store.KindFirm, Alias: `"Huawei"`, Field: store.FieldTitle, Start: 0, End: 6}}},
			{Key: "2", Title: "華為發布用於數據中心的昇騰910C加速器", Summary: "摘要", Author: "记者", Lang: "zh", Published: wDay, Updated: wDay.Add(time.Hour), Sanctions: true},
			{Key: "3", Title: "undated", Published: wDay, Undated: true},
		}
	}
	lid, err := lite.AddFeed(wCtx, store.Feed{URL: "https://fp.example.org/feed", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lite.SaveItems(wCtx, lid, items()); err != nil {
		t.Fatal(err)
	}
	pid := wFeed(t, pg, "fp")
	wSave(t, pg, pid, items()...)
	for _, key := range []string{"1", "2", "3"} {
		var lh, ll, lt, ph, pl, pt int64
		if err := lite.SQL().QueryRow(`SELECT hash, link_key, title_key FROM items WHERE feed_id = ? AND key = ?`, lid, key).Scan(&lh, &ll, &lt); err != nil {
			t.Fatal(err)
		}
		if err := pg.Pool().QueryRow(wCtx, `SELECT hash, link_key, title_key FROM items WHERE feed_id = $1 AND key = $2`, pid, key).Scan(&ph, &pl, &pt); err != nil {
			t.Fatal(err)
		}
		if lh != ph || ll != pl || lt != pt || lh == 0 {
			t.Errorf("item %s: sqlite hash %d link %d title %d; postgres %d %d %d", key, lh, ll, lt, ph, pl, pt)
		}
	}
}
