package sqlite

import (
	"context"
	"testing"
)

func TestFeedStatusIsFeedsWithoutCounts(t *testing.T) {
	db, _ := planStore(t)
	ctx := context.Background()
	if _, err := db.SQL().Exec(`UPDATE feeds SET last_error = 'HTTP 503', failures = 2 WHERE url LIKE 'https://plan1.%'`); err != nil {
		t.Fatal(err)
	}
	full, err := db.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	status, err := db.FeedStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(status) != len(full) || len(full) < 3 {
		t.Fatalf("FeedStatus lists %d feeds, Feeds %d", len(status), len(full))
	}
	counted := 0
	for i, f := range full {
		counted += f.ItemCount
		g := f
		g.ItemCount, g.UnreadCount = 0, 0
		if s := status[i]; s.ID != g.ID || s.URL != g.URL || s.LastError != g.LastError || s.Failures != g.Failures ||
			s.Enabled != g.Enabled || !s.LastCheck.Equal(g.LastCheck) || s.ItemCount != 0 || s.UnreadCount != 0 {
			t.Errorf("feed %d: FeedStatus %+v, Feeds %+v", f.ID, s, f)
		}
	}
	if counted < 1600 {
		t.Errorf("Feeds counted %d items, want at least the 1,600 saved", counted)
	}
}
