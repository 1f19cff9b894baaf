package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/aiwatch/aiwatch/store"
)

// oldItemHash is the fingerprint as first written, with hash/fnv and fmt.
// Stored fingerprints were made with it, so itemHash must agree, or every
// stored item would look changed on the next fetch.
func oldItemHash(it *store.Item) int64 {
	h := fnv.New64a()
	for _, s := range []string{it.URL, it.Title, it.Summary, it.Content, it.Author, it.Lang,
		strconv.FormatInt(it.Published.Unix(), 10), strconv.FormatInt(unixOrZero(it.Updated), 10),
		strconv.FormatBool(it.Sanctions), strings.Join(it.Firms, ","), strings.Join(it.Alliances, ",")} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	for _, m := range it.Mentions {
		fmt.Fprintf(h, "%s|%s|%s|%d|%d;", m.Entity, m.Alias, m.Field, m.Start, m.End)
	}
	return int64(h.Sum64())
}

func TestItemHashUnchanged(t *testing.T) {
	items := []store.Item{
		{},
		{URL: "https://example.org/a", Title: "华为 and Huawei", Summary: "s", Content: "c", Author: "a", Lang: "zh",
			Published: time.Unix(1753660800, 0), Updated: time.Unix(-5, 0), Sanctions: true,
			Firms: []string{"huawei", "biren"}, Alliances: []string{"model-chip"},
			Mentions: []store.Mention{{Entity: "huawei", Kind: store.KindFirm, Alias: "华为", Field: store.FieldTitle, Start: 0, End: 6},
				{Entity: "biren", Alias: "Biren|x", Field: store.FieldSummary, Start: 12, End: -3}}},
		{Title: "no dates", Published: time.Time{}},
	}
	for i := range items {
		if got, want := store.ItemHash(&items[i]), oldItemHash(&items[i]); got != want {
			t.Errorf("item %d: itemHash %x, want %x", i, got, want)
		}
	}
}

// TestIsCJKFastPath checks the quick ranges of isCJK against the tables,
// over the whole Basic Multilingual Plane and beyond.
func TestIsCJKFastPath(t *testing.T) {
	for r := rune(0); r < 0x30000; r++ {
		want := unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
		if got := isCJK(r); got != want {
			t.Fatalf("isCJK(%U) = %v, want %v", r, got, want)
		}
	}
}

// TestIndexWorkOfTwoSaves saves the same feed twice in one transaction,
// as the group writer may: an item new in the first save and changed in
// the second, and a stored item changed twice. The full-text index must
// end up holding exactly the last text of each.
func TestIndexWorkOfTwoSaves(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "aiwatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.db.Exec(`INSERT INTO feeds (url, title) VALUES ('https://example.org/f', 'f')`)
	if err != nil {
		t.Fatal(err)
	}
	feed, _ := res.LastInsertId()
	now := time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC)
	item := func(key, title string) store.Item { return store.Item{Key: key, Title: title, Published: now} }
	if _, err := db.SaveItems(ctx, feed, []store.Item{item("old", "alpha original")}); err != nil {
		t.Fatal(err)
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		var ix ftsWork
		for _, items := range [][]store.Item{
			{item("old", "bravo first change"), item("new", "charlie inserted")},
			{item("old", "delta second change"), item("new", "echo changed at once")},
		} {
			chunks, stop := prepare(store.OneBatch(items))
			_, err := db.saveItems(ctx, tx, feed, chunks, &ix)
			stop()
			if err != nil {
				return err
			}
		}
		return db.txStmts(tx).index(&ix)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec(`INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Fatalf("trigram index damaged: %v", err)
	}
	for term, want := range map[string]int{"alpha": 0, "bravo": 0, "charlie": 0, "delta": 1, "echo": 1} {
		c, err := db.CountItems(ctx, store.Filter{Text: []string{term}})
		if err != nil || c.Total != want {
			t.Errorf("search %q: %d (%v), want %d", term, c.Total, err, want)
		}
	}
	var words int
	db.db.QueryRow(`SELECT count(*) FROM items_words`).Scan(&words)
	if words != 2 {
		t.Errorf("word index has %d rows, want 2", words)
	}
}

// TestUpdateThenInsertInOneSave changes a stored item and adds new ones
// after it in the same save: the changed item's word-index row must be
// replaced after its old one is gone, not written beside it.
func TestUpdateThenInsertInOneSave(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "aiwatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.db.Exec(`INSERT INTO feeds (url, title) VALUES ('https://example.org/f', 'f')`)
	if err != nil {
		t.Fatal(err)
	}
	feed, _ := res.LastInsertId()
	now := time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC)
	if _, err := db.SaveItems(ctx, feed, []store.Item{{Key: "a", Title: "旧 old", Published: now}}); err != nil {
		t.Fatal(err)
	}
	items := []store.Item{{Key: "a", Title: "新 new", Published: now}}
	for i := range 40 { // more than one block of new rows
		items = append(items, store.Item{Key: fmt.Sprint("n", i), Title: fmt.Sprint("item ", i), Published: now})
	}
	st, err := db.SaveItems(ctx, feed, items)
	if err != nil || st.Updated != 1 || st.New != 40 {
		t.Fatalf("save: %+v %v", st, err)
	}
	for term, want := range map[string]int{"新": 1, "旧": 0, "new": 1, "old": 0} {
		c, err := db.CountItems(ctx, store.Filter{Text: []string{term}})
		if err != nil || c.Total != want {
			t.Errorf("search %q: %d (%v), want %d", term, c.Total, err, want)
		}
	}
	var words int
	db.db.QueryRow(`SELECT count(*) FROM items_words`).Scan(&words)
	if words != 41 {
		t.Errorf("word index has %d rows, want 41", words)
	}
}
