package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// bodiesFeed is an RSS feed of n items whose links are story pages on
// base.
func bodiesFeed(base string, n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Loopback news</title><link>` + base + `/</link>`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `<item><guid>story-%d</guid><title>Story %d</title><link>%s/story/%d</link><description>One sentence.</description><pubDate>Fri, 27 Nov 2026 0%d:00:00 GMT</pubDate></item>`,
			i, i, base, i, i)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// TestFeedBodies sets a loopback feed's bodies to always, never and back,
// and checks feeds list, that fetch brings new items' articles within
// its bounds, and that never makes aiwatch article refuse.
func TestFeedBodies(t *testing.T) {
	site := newFTSite(t)
	const n = 7
	for i := 1; i <= n; i++ {
		site.set("/story/"+strconv.Itoa(i), "text/html; charset=utf-8", []byte(storyPage))
	}
	feedURL := site.set("/feed.xml", "application/rss+xml", bodiesFeed(site.URL, n))
	db := ftStore(t)
	ftRun(t, db, 0, "feeds", "add", feedURL, "--no-discover")
	f := ftFeed(t, db, feedURL)
	if f.Bodies != "on-demand" {
		t.Errorf("a new feed's bodies = %q, want on-demand", f.Bodies)
	}
	id := strconv.FormatInt(f.ID, 10)

	// Bad values are refused, and nothing changes.
	for _, bad := range []string{"sometimes", "", "ALWAYS"} {
		r := runCLI(t, db, "", "feeds", "set", id, "--bodies", bad)
		if r.code != 2 || !strings.Contains(r.stderr, "--bodies must be always, on-demand or never") {
			t.Errorf("feeds set --bodies %q: exit %d, %s", bad, r.code, r.stderr)
		}
	}
	ftRun(t, db, 0, "feeds", "set", id, "--bodies", "always")
	if f := ftFeed(t, db, feedURL); f.Bodies != "always" {
		t.Fatalf("bodies = %q after feeds set --bodies always", f.Bodies)
	}
	if r := ftRun(t, db, 0, "feeds", "list"); !strings.Contains(r.stdout, "BODIES") || !strings.Contains(r.stdout, "always") {
		t.Errorf("feeds list shows no bodies column:\n%s", r.stdout)
	}

	// The fetch brings at most --articles pages, and 5 from one host.
	r := ftRun(t, db, 0, "fetch", "--feed", id, "--articles", "3")
	if !strings.Contains(r.stdout, "articles: 3 kept, 0 failed") {
		t.Errorf("fetch --articles 3 says:\n%s", r.stdout)
	}
	pages := func() int {
		total := 0
		for i := 1; i <= n; i++ {
			h, _ := site.counts("/story/" + strconv.Itoa(i))
			total += h
		}
		return total
	}
	if got := pages(); got != 3 {
		t.Errorf("%d story pages fetched, want 3", got)
	}
	if len(ftItems(t, db, f.ID)) != n {
		t.Fatalf("the fetch saved %d items, want %d", len(ftItems(t, db, f.ID)), n)
	}
	kept := 0
	for _, it := range ftItems(t, db, f.ID) {
		if r := runCLI(t, db, "", "article", strconv.FormatInt(it.ID, 10), "--json"); r.code == 0 {
			kept++
		}
	}
	// aiwatch article fetched the four others on demand.
	if kept != n || pages() != n {
		t.Errorf("%d of %d articles readable, %d pages fetched", kept, n, pages())
	}

	// A second feed state with new items: the per-host bound holds.
	site.set("/feed.xml", "application/rss+xml", bodiesFeed(site.URL, n+6))
	for i := n + 1; i <= n+6; i++ {
		site.set("/story/"+strconv.Itoa(i), "text/html; charset=utf-8", []byte(storyPage))
	}
	r = ftRun(t, db, 0, "fetch", "--feed", id)
	if !strings.Contains(r.stdout, "articles: 5 kept, 0 failed") {
		t.Errorf("fetch of 6 new items from one host says:\n%s", r.stdout)
	}

	// never: aiwatch article refuses, with the reason, and fetches nothing.
	ftRun(t, db, 0, "feeds", "set", id, "--bodies", "never")
	if f := ftFeed(t, db, feedURL); f.Bodies != "never" {
		t.Fatalf("bodies = %q after feeds set --bodies never", f.Bodies)
	}
	before := pages()
	var without int64
	for _, it := range ftItems(t, db, f.ID) {
		if _, err := articleKept(db, it.ID); err != nil {
			without = it.ID
			break
		}
	}
	if without == 0 {
		t.Fatal("every item has an article; the bound did not hold")
	}
	r = runCLI(t, db, "", "article", strconv.FormatInt(without, 10))
	if r.code != 1 || !strings.Contains(r.stderr, "its feed is set never to fetch articles (aiwatch feeds set "+id+" --bodies on-demand allows it)") ||
		strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("article of a never feed: exit %d, stderr %q", r.code, r.stderr)
	}
	if pages() != before {
		t.Errorf("a never feed's page was fetched")
	}
	// on-demand again ("default" says the same): the article comes.
	ftRun(t, db, 0, "feeds", "set", id, "--bodies", "default")
	ftRun(t, db, 0, "article", strconv.FormatInt(without, 10))
	if f := ftFeed(t, db, feedURL); f.Bodies != "on-demand" {
		t.Errorf("bodies = %q after feeds set --bodies on-demand", f.Bodies)
	}
}

// articleKept reads an item's kept article straight from the store, without
// fetching.
func articleKept(path string, id int64) (store.Article, error) {
	db, err := sqlite.Open(path)
	if err != nil {
		return store.Article{}, err
	}
	defer db.Close()
	return db.Article(context.Background(), id)
}
