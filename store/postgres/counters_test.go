package postgres_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

// wCountersMatch fails unless tag_weeks holds what a full recount of
// item_tags and items gives, and FirmCounts and AllianceCounts (read from
// it) match a full count of totals and the user's unread.
func wCountersMatch(t *testing.T, db *postgres.DB, step string) {
	t.Helper()
	recount := `SELECT kind, entity, (published - 345600) / 604800 AS week, count(*) AS n FROM item_tags WHERE copy = 0 GROUP BY 1, 2, 3
		UNION ALL SELECT '', '', (published - 345600) / 604800, count(*) FROM items WHERE copy = 0 GROUP BY 3`
	kept := `SELECT kind, entity, week, n FROM tag_weeks WHERE n <> 0`
	if n := wCount(t, db, `SELECT count(*) FROM (((`+recount+`) EXCEPT (`+kept+`)) UNION ALL ((`+kept+`) EXCEPT (`+recount+`))) d`); n != 0 {
		t.Errorf("%s: tag_weeks differs from a recount in %d rows", step, n)
	}
	if wCount(t, db, `SELECT count(*) FROM tag_weeks WHERE n < 0`) != 0 {
		t.Errorf("%s: tag_weeks holds a negative count", step)
	}
	reads := `SELECT m.username, t.kind, t.entity, count(*) AS n FROM marks m JOIN item_tags t ON t.item_id = m.item_id AND t.copy = 0 WHERE m.read GROUP BY 1, 2, 3
		UNION ALL SELECT m.username, '', '', count(*) FROM marks m JOIN items i ON i.id = m.item_id AND i.copy = 0 WHERE m.read GROUP BY 1
		UNION ALL SELECT m.username, 'feed', i.feed_id::text, count(*) FROM marks m JOIN items i ON i.id = m.item_id WHERE m.read GROUP BY 1, 3`
	keptReads := `SELECT username, kind, entity, n FROM read_counts WHERE n <> 0`
	if n := wCount(t, db, `SELECT count(*) FROM (((`+reads+`) EXCEPT (`+keptReads+`)) UNION ALL ((`+keptReads+`) EXCEPT (`+reads+`))) d`); n != 0 {
		t.Errorf("%s: read_counts differs from a recount in %d rows", step, n)
	}
	feeds := `SELECT feed_id, count(*) AS n FROM items GROUP BY 1`
	keptFeeds := `SELECT feed_id, n FROM feed_items WHERE n <> 0`
	if n := wCount(t, db, `SELECT count(*) FROM (((`+feeds+`) EXCEPT (`+keptFeeds+`)) UNION ALL ((`+keptFeeds+`) EXCEPT (`+feeds+`))) d`); n != 0 {
		t.Errorf("%s: feed_items differs from a recount in %d rows", step, n)
	}
	if wCount(t, db, `SELECT count(*) FROM read_counts WHERE n < 0`)+wCount(t, db, `SELECT count(*) FROM feed_items WHERE n < 0`) != 0 {
		t.Errorf("%s: read_counts or feed_items holds a negative count", step)
	}
	if rep, err := db.Check(wCtx); err != nil || !rep.CountsOK {
		t.Errorf("%s: Check = CountsOK %v, %v", step, rep.CountsOK, err)
	}
	fs, err := db.Feeds(wCtx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		var total, unread int
		if err := db.Pool().QueryRow(wCtx, `SELECT count(*), count(*) FILTER (WHERE m.item_id IS NULL) FROM items i
			LEFT JOIN marks m ON m.username = 'alice' AND m.item_id = i.id AND m.read WHERE i.feed_id = $1`, f.ID).Scan(&total, &unread); err != nil {
			t.Fatal(err)
		}
		if f.ItemCount != total || f.UnreadCount != unread || f.IgnoredCount != 0 {
			t.Errorf("%s: feed %d counts %d/%d/%d, want %d items, %d unread, none ignored", step, f.ID, f.ItemCount, f.UnreadCount, f.IgnoredCount, total, unread)
		}
	}
	for _, kind := range []string{"firm", "ally"} {
		var got map[string]store.Counts
		var err error
		if kind == "firm" {
			got, err = db.FirmCounts(wCtx)
		} else {
			got, err = db.AllianceCounts(wCtx)
		}
		if err != nil {
			t.Fatal(err)
		}
		rows, err := db.Pool().Query(wCtx, `SELECT t.entity, count(*), count(*) FILTER (WHERE m.item_id IS NULL) FROM item_tags t
			LEFT JOIN marks m ON m.username = 'alice' AND m.item_id = t.item_id AND m.read
			WHERE t.kind = $1 AND t.copy = 0 GROUP BY t.entity`, kind)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][2]int{}
		for rows.Next() {
			var e string
			var total, unread int
			if err := rows.Scan(&e, &total, &unread); err != nil {
				t.Fatal(err)
			}
			want[e] = [2]int{total, unread}
		}
		rows.Close()
		if kind == "ally" {
			var total, unread int
			if err := db.Pool().QueryRow(wCtx, `SELECT count(*), count(*) FILTER (WHERE m.item_id IS NULL) FROM items i
				LEFT JOIN marks m ON m.username = 'alice' AND m.item_id = i.id AND m.read WHERE i.copy = 0`).Scan(&total, &unread); err != nil {
				t.Fatal(err)
			}
			want[""] = [2]int{total, unread}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %s counts %v, want %v", step, kind, got, want)
		}
		for e, w := range want {
			if c := got[e]; c.Total != w[0] || c.Unread != w[1] {
				t.Errorf("%s: %s %q counts %+v, want total %d unread %d", step, kind, e, c, w[0], w[1])
			}
		}
	}
}

// TestCountersMatchRecount: the counters the triggers keep match a full
// recount through saves, updates, reads, re-tagging, a story copy's
// promotion when its first copy's feed goes, and pruning.
func TestCountersMatchRecount(t *testing.T) {
	db, dsn := open(t, "alice")
	db.Now = func() time.Time { return wDay }
	wCountersMatch(t, db, "empty")
	wUniverse(t, db, []string{"huawei", "biren", "zhipu"}, []string{"ai-alliance"}, []string{"ai-alliance:biren", "ai-alliance:zhipu"})
	one, two := wFeed(t, db, "cone"), wFeed(t, db, "ctwo")
	week := 7 * 24 * time.Hour
	var items []store.Item
	for i := range 30 {
		it := store.Item{Key: "k" + string(rune('a'+i)), Title: "Story " + string(rune('a'+i)), Published: wDay.Add(-time.Duration(i) * week / 3),
			URL: "https://news.example.org/story/" + string(rune('a'+i))}
		switch i % 3 {
		case 0:
			it.Firms = []string{"huawei"}
		case 1:
			it.Firms = []string{"biren", "zhipu"}
		}
		items = append(items, it)
	}
	wSave(t, db, one, items...)
	wCountersMatch(t, db, "first save")
	// The same stories in another feed are copies; one more is new.
	wSave(t, db, two, items[0], items[1], items[4], store.Item{Key: "new", Title: "Zhipu alone", Published: wDay, Firms: []string{"zhipu"}})
	if wCount(t, db, `SELECT count(*) FROM item_tags WHERE copy <> 0`) == 0 {
		t.Fatal("no copies saved; the promotion below tests nothing")
	}
	wCountersMatch(t, db, "copies saved")
	// Saving again with a new date and firms updates in place.
	moved := items[3]
	moved.Published = wDay.Add(-20 * week)
	moved.Firms = []string{"zhipu"}
	wSave(t, db, one, moved)
	wCountersMatch(t, db, "updated")
	var read []int64
	for _, k := range []string{"ka", "kb", "kc", "kh"} {
		read = append(read, wID(t, db, one, k))
	}
	if err := db.SetRead(wCtx, read, true); err != nil {
		t.Fatal(err)
	}
	wCountersMatch(t, db, "read")
	// Bob reads other stories, one of them alice's; alice stars one she
	// has not read and takes back a read mark.
	bob, err := postgres.Open(wCtx, dsn, postgres.Options{User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	if err := bob.SetRead(wCtx, []int64{read[0], wID(t, db, one, "kd"), wID(t, db, one, "ke"), wID(t, db, two, "new")}, true); err != nil {
		t.Fatal(err)
	}
	wCountersMatch(t, db, "bob read")
	if err := db.SetStarred(wCtx, []int64{wID(t, db, one, "kf")}, true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRead(wCtx, read[3:], false); err != nil {
		t.Fatal(err)
	}
	wCountersMatch(t, db, "starred and unread")
	if _, err := db.MarkAllRead(wCtx, store.Filter{Firms: []string{"zhipu"}}); err != nil {
		t.Fatal(err)
	}
	wCountersMatch(t, db, "all of zhipu read")
	// Re-tagging: Huawei is now found in every title naming a vowel story.
	tag := func(feedURL, title, summary, content string) ([]string, []string, bool, []store.Mention) {
		var firms []string
		if strings.ContainsAny(title[len(title)-1:], "aeiou") {
			firms = append(firms, "huawei")
		}
		if strings.Contains(title, "Zhipu") || strings.HasSuffix(title, "b") {
			firms = append(firms, "zhipu")
		}
		return firms, nil, false, nil
	}
	if _, err := db.Retag(wCtx, tag); err != nil {
		t.Fatal(err)
	}
	wCountersMatch(t, db, "retagged")
	// Removing the first feed makes the other's copies stories.
	if _, err := db.RemoveFeed(wCtx, one); err != nil {
		t.Fatal(err)
	}
	wCountersMatch(t, db, "feed removed")
	wSave(t, db, one2(t, db), items[5:12]...)
	wCountersMatch(t, db, "saved again")
	if _, err := db.Prune(wCtx, wDay.Add(-week), false); err != nil {
		t.Fatal(err)
	}
	wCountersMatch(t, db, "pruned")
	if wCount(t, db, `SELECT count(*) FROM items`) == 0 {
		t.Fatal("prune took everything; the last steps test nothing")
	}
}

// one2 adds a third feed.
func one2(t *testing.T, db *postgres.DB) int64 { return wFeed(t, db, "cthree") }
