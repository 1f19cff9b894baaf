package sqlite_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// The two BIS searches of the reference, as RSS (before 0009) and as the
// API's JSON (after).
const (
	bisRSS      = "https://www.federalregister.gov/api/v1/documents.rss?conditions[agencies][]=industry-and-security-bureau"
	bisRulesRSS = "https://www.federalregister.gov/api/v1/documents.rss?conditions[agencies][]=industry-and-security-bureau&conditions[type][]=RULE&conditions[type][]=PRORULE&per_page=20"
	ofacAPI     = "https://www.federalregister.gov/api/v1/documents.json?conditions[agencies][]=foreign-assets-control-office&order=newest"
)

// TestFederalRegisterSwitch upgrades a store whose default BIS feeds are
// the RSS searches, one with read and starred items and one the user
// removed, and checks that migration 0009 and the reseed after it switch
// them to the API keeping the marks and the removal, and add the OFAC
// search.
func TestFederalRegisterSwitch(t *testing.T) {
	bisAPI, ok := reference.FederalRegisterAPI(bisRSS)
	bisRulesAPI, ok2 := reference.FederalRegisterAPI(bisRulesRSS)
	if !ok || !ok2 {
		t.Fatal("the reference's BIS searches have no API URL")
	}
	ds, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}

	// A store as an aiwatch before 0009 left it.
	path := filepath.Join(t.TempDir(), "aiwatch.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Seed(ctx, ds); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE feeds SET url = '` + bisRSS + `', title = title || ' (RSS)', etag = '"rss"', last_modified = 'Mon, 01 Dec 2025 00:00:00 GMT' WHERE url = '` + bisAPI + `'`,
		`UPDATE feeds SET url = '` + bisRulesRSS + `' WHERE url = '` + bisRulesAPI + `'`,
		`DELETE FROM feeds WHERE url = '` + ofacAPI + `'`,
		`UPDATE meta SET value = 'before-0009' WHERE key = 'dataset_version'`,
	} {
		if _, err := db.SQL().Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	bis := feedID(t, db, bisRSS)
	page := func(n string) string {
		return "https://www.federalregister.gov/documents/2025/01/15/" + n + "/additions-to-the-entity-list"
	}
	day := time.Date(2025, 1, 15, 5, 0, 0, 0, time.UTC)
	if _, err := db.SaveItems(ctx, bis, []store.Item{
		{Key: "rss-guid-1", URL: page("2099-00101"), Title: "Additions to the Entity List", Summary: "Biren", Published: day, Lang: "en", Firms: []string{"biren"}, Sanctions: true},
		{Key: page("2099-00102"), URL: page("2099-00102"), Title: "Another rule", Published: day, Lang: "en"},
	}); err != nil {
		t.Fatal(err)
	}
	ids := itemIDs(t, db, bis)
	if err := db.SetRead(ctx, ids[:1], true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetStarred(ctx, ids[:1], true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RemoveFeed(ctx, feedID(t, db, bisRulesRSS)); err != nil {
		t.Fatal(err)
	}
	undoAfter9(t, db)
	if _, err := db.SQL().Exec(`PRAGMA user_version = 8`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// The upgrade: open (migration 0009), then seed the new dataset.
	db, err = sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Seed(ctx, ds); err != nil {
		t.Fatal(err)
	}

	urls := map[string]int{}
	for _, u := range feedURLs(t, db) {
		if strings.Contains(u, "federalregister.gov") {
			urls[u]++
		}
	}
	want := map[string]int{bisAPI: 1, ofacAPI: 1}
	if len(urls) != len(want) || urls[bisAPI] != 1 || urls[ofacAPI] != 1 {
		t.Errorf("Federal Register feeds after the upgrade: %v, want %v (the removed rules search stays removed)", urls, want)
	}
	f, err := db.Feed(ctx, bis)
	if err != nil {
		t.Fatalf("the BIS feed lost its row: %v", err)
	}
	if f.URL != bisAPI || f.ETag != "" || f.LastModified != "" || strings.HasSuffix(f.Title, "(RSS)") {
		t.Errorf("BIS feed after the upgrade: url %q, etag %q, last-modified %q, title %q", f.URL, f.ETag, f.LastModified, f.Title)
	}
	var removed int
	db.SQL().QueryRow(`SELECT count(*) FROM removed_feeds WHERE url = ?`, bisRulesAPI).Scan(&removed)
	if removed != 1 {
		t.Errorf("the removal of the rules search was not carried to its API URL")
	}

	// The API brings the read, starred document again, keyed by its page:
	// it is the same item, still read and starred.
	st, err := db.SaveItems(ctx, bis, []store.Item{
		{Key: page("2099-00101"), URL: page("2099-00101"), Title: "Additions to the Entity List", Summary: "Biren",
			Content: "Type: Rule", Published: day, Lang: "en", Firms: []string{"biren"}, Sanctions: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.New != 0 {
		t.Errorf("the document came back as %d new items; want it to be the one already read", st.New)
	}
	it, err := db.Item(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if !it.Read || !it.Starred || it.Key != page("2099-00101") || it.Content != "Type: Rule" {
		t.Errorf("after the API's fetch: key %q, read %v, starred %v, content %q", it.Key, it.Read, it.Starred, it.Content)
	}
	if n := len(itemIDs(t, db, bis)); n != 2 {
		t.Errorf("the BIS feed has %d items, want 2", n)
	}
	rep, err := db.Check(ctx)
	if err != nil || !rep.OK() || !rep.CountsOK {
		t.Errorf("check after the upgrade: %+v %v", rep, err)
	}
}

func feedID(t *testing.T, db *sqlite.DB, url string) int64 {
	t.Helper()
	var id int64
	if err := db.SQL().QueryRow(`SELECT id FROM feeds WHERE url = ?`, url).Scan(&id); err != nil {
		t.Fatalf("feed %s: %v", url, err)
	}
	return id
}

func feedURLs(t *testing.T, db *sqlite.DB) []string {
	t.Helper()
	fs, err := db.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, f.URL)
	}
	return out
}

func itemIDs(t *testing.T, db *sqlite.DB, feed int64) []int64 {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT id FROM items WHERE feed_id = ? ORDER BY id`, feed)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	return ids
}
