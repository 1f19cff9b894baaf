package main

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// TestOneStoryFromTwoFeeds fetches two loopback feeds that carry one
// story under links differing only by utm_source: it is listed once, with
// also_in, every copy is listed with --all-copies, and reading one copy
// reads the story.
func TestOneStoryFromTwoFeeds(t *testing.T) {
	site := newFTSite(t)
	urlA := site.set("/wire-a.rss", "application/rss+xml", storyFixture(t, "wire-a.rss"))
	urlB := site.set("/wire-b.atom", "application/atom+xml", storyFixture(t, "wire-b.atom"))
	db := ftStore(t)
	idA, _, _ := ftAdd(t, db, urlA)
	idB, _, _ := ftAdd(t, db, urlB)
	ftRun(t, db, 0, "fetch")

	mine := func(args ...string) []itemJSON {
		var all []itemJSON
		if err := json.Unmarshal([]byte(ftRun(t, db, 0, append([]string{"items", "--json", "--limit", "0"}, args...)...).stdout), &all); err != nil {
			t.Fatal(err)
		}
		var out []itemJSON
		for _, it := range all {
			if it.FeedID == idA || it.FeedID == idB {
				out = append(out, it)
			}
		}
		return out
	}
	titles := func(items []itemJSON) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.Feed+": "+it.Title+" "+strings.Join(it.AlsoIn, "|"))
		}
		return out
	}
	got := titles(mine())
	want := []string{
		"Wire B: 华为向云客户交付新一代昇腾加速器 ",           // one event in Chinese: another story
		"Wire B: Moore Threads raises funds ", // a short title says nothing
		"Wire A: Moore Threads raises funds ",
		"Wire A: Huawei ships new Ascend accelerators to cloud customers Wire B",
	}
	if !slices.Equal(got, want) {
		t.Errorf("items --json:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	all := mine("--all-copies")
	if len(all) != 5 {
		t.Fatalf("items --all-copies lists %d items, want 5:\n%s", len(all), strings.Join(titles(all), "\n"))
	}
	var copyB int64
	for _, it := range all {
		if it.AlsoIn == nil {
			t.Errorf("item %d has also_in null, want a list", it.ID)
		}
		if strings.HasPrefix(it.Title, "Huawei ships Ascend") {
			copyB = it.ID
			if !slices.Equal(it.AlsoIn, []string{"Wire A"}) {
				t.Errorf("Wire B's copy is also in %q, want Wire A", it.AlsoIn)
			}
		}
	}

	// The text listing says it too, and reading Wire B's copy reads both.
	if out := ftRun(t, db, 0, "items").stdout; strings.Contains(out, "Huawei ships Ascend accelerators (report)") {
		t.Errorf("items lists Wire B's copy:\n%s", out)
	}
	ftRun(t, db, 0, "read", strconv.FormatInt(copyB, 10))
	for _, it := range mine("--all-copies") {
		if strings.HasPrefix(it.Title, "Huawei ships") && !it.Read {
			t.Errorf("%s's copy is unread after reading Wire B's", it.Feed)
		}
	}
	// A second fetch changes nothing.
	ftRun(t, db, 0, "fetch")
	if n := len(mine("--all-copies")); n != 5 {
		t.Errorf("after a second fetch, %d items", n)
	}

	// Counts count stories: huawei is named by two stories (the English and
	// the Chinese), one of them read.
	s, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n, err := s.CountItems(t.Context(), store.Filter{Firms: []string{"huawei"}, Since: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if err != nil || n.Total != 2 || n.Unread != 1 {
		t.Errorf("huawei's recent stories: %+v, %v; want 2, 1 unread", n, err)
	}
	r, err := s.Check(t.Context())
	if err != nil || !r.CountsOK {
		t.Errorf("check: counters OK = %v, %v", r.CountsOK, err)
	}
}

func storyFixture(t *testing.T, name string) []byte {
	t.Helper()
	return ftFixture(t, "../story/"+name)
}
