package main

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// TestFirmsTrend saves items naming Biren in recent weeks and checks that
// firms --trend draws them as a sparkline, and --json lists the counts.
func TestFirmsTrend(t *testing.T) {
	path := newStore(t)
	if r := runCLI(t, path, "", "firms"); r.code != 0 {
		t.Fatalf("seeding: %+v", r)
	}
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	feed, err := db.AddFeed(ctx, store.Feed{URL: "https://example.org/trend.xml", Title: "Trend", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	var items []store.Item
	add := func(weeksAgo, n int) {
		for range n {
			items = append(items, store.Item{Key: strings.Repeat("k", len(items)+1), Title: "Biren news", Firms: []string{"biren"},
				Published: testNow.AddDate(0, 0, -7*weeksAgo)})
		}
	}
	add(0, 8) // this week
	add(1, 4)
	add(5, 1)
	if _, err := db.SaveItems(ctx, feed, items); err != nil {
		t.Fatal(err)
	}
	db.Close()

	r := runCLI(t, path, "", "firms", "--trend")
	if r.code != 0 {
		t.Fatalf("firms --trend: %+v", r)
	}
	var line string
	for l := range strings.SplitSeq(r.stdout, "\n") {
		if strings.HasPrefix(l, "biren ") {
			line = l
		}
	}
	// Weeks 6 back to this one: 1, 0, 0, 0, 4, 8 of a busiest 8.
	if !strings.Contains(line, "[      ▁   ▄█]") || !strings.HasSuffix(strings.TrimSpace(line), " 13") {
		t.Errorf("biren's row has no sparkline of its 13 recent items:\n%s\n%s", line, r.stdout)
	}
	if !strings.Contains(r.stdout, "12 WEEKS") {
		t.Errorf("no 12 WEEKS column:\n%s", r.stdout)
	}

	r = runCLI(t, path, "", "firms", "--trend", "--json")
	var firms []struct {
		ID    string `json:"id"`
		Trend []int  `json:"trend"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &firms); err != nil {
		t.Fatalf("firms --trend --json: %v\n%s", err, r.stdout)
	}
	for _, f := range firms {
		if f.ID == "biren" {
			want := []int{0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 4, 8}
			if !slices.Equal(f.Trend, want) {
				t.Errorf("biren's trend = %v, want %v", f.Trend, want)
			}
		} else if len(f.Trend) != store.TrendWeeks {
			t.Errorf("%s's trend has %d weeks", f.ID, len(f.Trend))
		}
	}
	// Without --trend the JSON keeps its shape.
	if r := runCLI(t, path, "", "firms", "--json"); strings.Contains(r.stdout, `"trend"`) {
		t.Error("firms --json without --trend lists trends")
	}
}
