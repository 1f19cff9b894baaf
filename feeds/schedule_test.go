package feeds_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/feeds"
	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/store"
)

func TestNextPoll(t *testing.T) {
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	base := 30 * time.Minute
	every := func(gap time.Duration, n int) []store.Item {
		var out []store.Item
		for i := 0; i < n; i++ {
			out = append(out, store.Item{Published: at.Add(-time.Duration(i) * gap)})
		}
		return out
	}
	rss := func(channel string) *fetch.Response {
		return &fetch.Response{Status: 200, Body: []byte(`<rss><channel><title>x</title>` + channel + `<item><ttl>9999</ttl></item></channel></rss>`)}
	}
	hdr := func(k, v string) *fetch.Response {
		return &fetch.Response{Status: 200, Header: http.Header{k: {v}}}
	}
	tests := []struct {
		name  string
		feed  store.Feed
		resp  *fetch.Response
		items []store.Item
		want  time.Duration
	}{
		{"no dates: the base", store.Feed{}, rss(""), []store.Item{{}}, base},
		{"an item an hour: half the gap", store.Feed{}, rss(""), every(time.Hour, 10), 30 * time.Minute},
		{"an item every 4h", store.Feed{}, rss(""), every(4*time.Hour, 10), 2 * time.Hour},
		{"busy: no faster than base/2", store.Feed{}, rss(""), every(time.Minute, 50), 15 * time.Minute},
		{"slow: no slower than 4×base", store.Feed{}, rss(""), every(3*24*time.Hour, 5), 2 * time.Hour},
		{"quiet: nothing in 30 days", store.Feed{}, rss(""), []store.Item{{Published: at.AddDate(0, -3, 0)}}, 2 * time.Hour},
		{"the feed's own interval", store.Feed{Interval: 6 * time.Hour}, rss(""), []store.Item{{}}, 6 * time.Hour},
		{"ttl in minutes is a floor", store.Feed{}, rss("<ttl>180</ttl>"), every(time.Hour, 10), 3 * time.Hour},
		{"ttl inside an item is not the channel's", store.Feed{}, rss(""), every(time.Hour, 10), 30 * time.Minute},
		{"sy:updatePeriod", store.Feed{}, rss("<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>"), every(time.Hour, 10), 6 * time.Hour},
		{"a hint is honoured up to a day", store.Feed{}, rss("<sy:updatePeriod>weekly</sy:updatePeriod>"), every(time.Hour, 10), 24 * time.Hour},
		{"Cache-Control max-age", store.Feed{}, hdr("Cache-Control", "public, max-age=7200"), every(time.Hour, 10), 2 * time.Hour},
		{"no-cache asks for nothing", store.Feed{}, hdr("Cache-Control", "no-cache, max-age=7200"), every(time.Hour, 10), 30 * time.Minute},
		{"Expires against Date", store.Feed{}, &fetch.Response{Header: http.Header{
			"Expires": {at.Add(90 * time.Minute).Format(http.TimeFormat)}, "Date": {at.Format(http.TimeFormat)}}}, every(time.Hour, 10), 90 * time.Minute},
		{"a 304 keeps the gap", store.Feed{LastCheck: at.Add(-2 * time.Hour), NextTry: at.Add(-45 * time.Minute)}, &fetch.Response{Status: 304, NotModified: true}, nil, 75 * time.Minute},
		{"a 304 after a failure: the base", store.Feed{Failures: 1, LastCheck: at.Add(-2 * time.Hour), NextTry: at}, &fetch.Response{Status: 304, NotModified: true}, nil, base},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := base
			if tt.feed.Interval > 0 {
				b = tt.feed.Interval
			}
			if got := feeds.NextPoll(tt.feed, b, tt.resp, tt.items, at); got != tt.want {
				t.Errorf("NextPoll = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRefreshOnlyDue: a fetched feed is not due again until its interval
// has passed, and All fetches it anyway.
func TestRefreshOnlyDue(t *testing.T) {
	hits := 0
	body := fixture(t, "news.rss")
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(body)
	}))
	st := newMemStore(store.Feed{URL: srv.URL + "/feed", Interval: 6 * time.Hour})
	r := newRefresher(st, nil, 1)
	refresh(t, r)
	if hits != 1 {
		t.Fatalf("first refresh: %d requests", hits)
	}
	if next := st.feed(1).NextTry; next.Sub(now) < 3*time.Hour {
		t.Errorf("a 6h feed is due again %v after its fetch", next.Sub(now))
	}
	if sum := refresh(t, r); sum.Feeds != 0 || hits != 1 {
		t.Errorf("a feed fetched a moment ago was fetched again: %+v", sum)
	}
	if sum := refresh(t, newRefresherAll(st)); sum.Feeds != 1 || hits != 2 {
		t.Errorf("All did not fetch it: %+v", sum)
	}
}
