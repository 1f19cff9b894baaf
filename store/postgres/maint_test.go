package postgres_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

// TestPrune: old items go, except the built-in snapshot's and, when
// asked, those any user starred.
func TestPrune(t *testing.T) {
	db, _ := open(t, "alice")
	feed := wFeed(t, db, "prune")
	builtin, err := db.AddFeed(wCtx, store.Feed{URL: "builtin:snapshot", Kind: store.KindBuiltin})
	if err != nil {
		t.Fatal(err)
	}
	old := wDay.AddDate(0, -6, 0)
	wSave(t, db, feed, store.Item{Key: "old", Title: "Old", Published: old}, store.Item{Key: "starred", Title: "Starred by bob", Published: old},
		store.Item{Key: "new", Title: "New", Published: wDay})
	wSave(t, db, builtin, store.Item{Key: "snap", Title: "Snapshot", Published: old})
	wMark(t, db, "bob", wID(t, db, feed, "starred"), false, true)
	wMark(t, db, "alice", wID(t, db, feed, "old"), true, false)
	if n, err := db.Prune(wCtx, wDay.AddDate(0, -1, 0), true); err != nil || n != 1 {
		t.Fatalf("Prune keeping starred = %d, %v; want 1", n, err)
	}
	if wCount(t, db, `SELECT count(*) FROM items WHERE key IN ('starred', 'new', 'snap')`) != 3 || wCount(t, db, `SELECT count(*) FROM items`) != 3 {
		t.Error("prune took the wrong items")
	}
	if n, err := db.Prune(wCtx, wDay.AddDate(0, -1, 0), false); err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want the starred one", n, err)
	}
	if wCount(t, db, `SELECT count(*) FROM marks`) != 0 {
		t.Error("marks of pruned items stayed")
	}
}

// TestCheck: a sound store checks ok and counts per user; a tag row whose
// copy flag drifted from its item's, and a story with two shown copies,
// are reported.
func TestCheck(t *testing.T) {
	db, dsn := open(t, "alice")
	a, b := wFeed(t, db, "ca"), wFeed(t, db, "cb")
	wSave(t, db, a, wStoryItem("1", "https://x.example/s", "Story one", wDay, "huawei"), wStoryItem("2", "https://x.example/t", "Other", wDay))
	wSave(t, db, b, wStoryItem("3", "https://x.example/s", "Story one again", wDay.Add(time.Hour), "huawei"))
	wMark(t, db, "alice", wID(t, db, a, "1"), true, true)
	if _, err := db.RecordFetch(wCtx, b, store.FetchResult{At: wDay, Err: "HTTP 500", Status: 500}, nil); err != nil {
		t.Fatal(err)
	}
	r, err := db.Check(wCtx)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || r.Counts["items"] != 3 || r.Counts["unread"] != 2 || r.Counts["starred"] != 1 || r.Counts["feeds"] != 2 || r.FailingFeeds != 1 ||
		r.SchemaHave != r.SchemaWant || r.FileBytes == 0 || !r.ItemsOldest.Equal(wDay) || !r.ItemsNewest.Equal(wDay.Add(time.Hour)) {
		t.Errorf("check of a sound store: %+v", r)
	}
	bob, err := postgres.Open(wCtx, dsn, postgres.Options{User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	if r, _ := bob.Check(wCtx); r.Counts["unread"] != 3 || r.Counts["starred"] != 0 {
		t.Errorf("bob's counts: %v", r.Counts)
	}
	wExec(t, db, `UPDATE item_tags SET copy = 1 - copy`)
	wExec(t, db, `UPDATE items SET copy = 0`)
	r, err = db.Check(wCtx)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || !strings.Contains(strings.Join(r.Integrity, ";"), "tag rows") || !strings.Contains(strings.Join(r.Integrity, ";"), "more than one copy") {
		t.Errorf("check of a drifted store: %v", r.Integrity)
	}
	// Counters knocked out of step (as by a trigger dropped by hand) are
	// found, and RepairCounts rebuilds them.
	wExec(t, db, `UPDATE tag_weeks SET n = n + 5`)
	if r, _ := db.Check(wCtx); r.CountsOK {
		t.Error("check missed counters out of step")
	}
	if err := db.RepairCounts(wCtx); err != nil {
		t.Errorf("RepairCounts: %v", err)
	}
	if r, _ := db.Check(wCtx); !r.CountsOK {
		t.Error("counters still out of step after RepairCounts")
	}
	if err := db.Backup(wCtx, t.TempDir()+"/x.db"); !errors.Is(err, postgres.ErrBackup) || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("Backup: %v", err)
	}
}

// TestRetag: re-tagging rewrites tags, ally rows and the sanctions flag
// of the items whose tags changed, keeps marks, merges an article's
// tags, and RetagFeed touches one feed only.
func TestRetag(t *testing.T) {
	db, _ := open(t, "alice")
	wUniverse(t, db, []string{"huawei", "biren"}, []string{"ai-alliance"}, []string{"ai-alliance:biren"})
	one, two := wFeed(t, db, "rone"), wFeed(t, db, "rtwo")
	wSave(t, db, one, store.Item{Key: "1", Title: "Biren and Huawei", Published: wDay, Firms: []string{"huawei"}},
		store.Item{Key: "2", Title: "Nothing here", Published: wDay})
	wSave(t, db, two, store.Item{Key: "1", Title: "Biren news", Published: wDay})
	id := wID(t, db, one, "1")
	wMark(t, db, "alice", id, true, true)
	if err := db.SaveArticle(wCtx, store.Article{ItemID: wID(t, db, one, "2"), Text: "The body names Huawei.", BodyOnly: []string{"firm:huawei"}},
		store.Item{Firms: []string{"huawei"}}); err != nil {
		t.Fatal(err)
	}
	tag := func(feedURL, title, summary, content string) ([]string, []string, bool, []store.Mention) {
		var firms []string
		var ms []store.Mention
		text := title + summary + content
		for _, f := range []struct{ id, alias string }{{"biren", "Biren"}, {"huawei", "Huawei"}} {
			if i := strings.Index(text, f.alias); i >= 0 {
				firms = append(firms, f.id)
				ms = append(ms, store.Mention{Entity: f.id, Kind: store.KindFirm, Alias: f.alias, Field: store.FieldTitle, Start: i, End: i + len(f.alias)})
			}
		}
		return firms, nil, strings.Contains(text, "sanction"), ms
	}
	n, err := db.RetagFeed(wCtx, "https://rone.example.org/feed", tag)
	if err != nil || n != 2 {
		t.Fatalf("RetagFeed = %d, %v; want 2 (new mentions, and the article's mention)", n, err)
	}
	if wCount(t, db, `SELECT count(*) FROM item_tags WHERE item_id = $1 AND ((kind = 'firm' AND entity IN ('biren', 'huawei')) OR (kind = 'ally' AND entity = 'ai-alliance'))`, id) != 3 {
		t.Error("retagged item lacks biren, huawei or the ai-alliance roll-up")
	}
	if wCount(t, db, `SELECT count(*) FROM item_tags WHERE item_id = $1 AND kind = 'firm' AND entity = 'biren'`, wID(t, db, two, "1")) != 0 {
		t.Error("RetagFeed touched another feed")
	}
	if wCount(t, db, `SELECT count(*) FROM marks WHERE item_id = $1 AND read AND starred`, id) != 1 {
		t.Error("retag lost the marks")
	}
	if n, err := db.Retag(wCtx, tag); err != nil || n != 1 {
		t.Errorf("Retag of all = %d, %v; want the other feed's one item", n, err)
	}
	if n, err := db.Retag(wCtx, tag); err != nil || n != 0 {
		t.Errorf("Retag again = %d, %v; want nothing changed", n, err)
	}
	if a, err := db.Article(wCtx, wID(t, db, one, "2")); err != nil || len(a.BodyOnly) != 1 || a.BodyOnly[0] != "firm:huawei" {
		t.Errorf("article after retag: %+v %v", a.BodyOnly, err)
	}
	wCheck(t, db)
}
