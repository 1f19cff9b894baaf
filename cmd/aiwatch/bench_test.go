package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/feeds"
	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/feeds/match"
	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// Sentences in the three scripts the product reads, naming firms.
var benchText = []string{
	"Huawei and Biren expand the Model-Chip Ecosystem Innovation Alliance as Moore Threads ships new GPUs.",
	"华为、壁仞科技和摩尔线程加入模芯生态创新联盟，商汤科技发布新模型。",
	"ويضم هذا التحالف شركات رائدة مثل هواوي، وبيرين، ومور ثريدز في شنغهاي.",
	"SenseTime and MiniMax join the Shanghai chamber's AI committee; StepFun shows Step-3.",
	"A market note on cloud spending with no firm named at all, for contrast.",
}

// filler is news prose that names no firm, in the three scripts.
var filler = []string{
	"Analysts expect demand for domestic accelerators to keep rising through next year, while supply of advanced packaging stays tight.",
	"业内人士表示，算力需求持续增长，国产芯片在推理场景中的部署正在加快。",
	"ويرى محللون أن الطلب على الرقائق المحلية سيواصل الارتفاع خلال العام المقبل.",
}

// genSummary returns about 400 characters of mixed-script news text
// whose first sentence names firms, as a news summary would.
func genSummary(i int) string {
	var b strings.Builder
	b.WriteString(benchText[i%len(benchText)])
	for j := 0; len([]rune(b.String())) < 400; j++ {
		b.WriteByte(' ')
		b.WriteString(filler[(i+j)%len(filler)])
	}
	return b.String()
}

// genRSS writes an RSS 2.0 document of n items.
func genRSS(feed, n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>bench</title><link>https://example.org/</link><language>en</language>`)
	base := time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<item><title>%d/%d %s</title><link>https://example.org/%d/%d</link><guid>bench-%d-%d</guid><pubDate>%s</pubDate><description>%s</description></item>`,
			feed, i, benchText[i%len(benchText)], feed, i, feed, i, base.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z), genSummary(i))
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// benchStore opens a fresh seeded store with the given feeds added.
func benchStore(b *testing.B, urls []string) (*sqlite.DB, *match.Matcher) {
	b.Helper()
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	ds, _ := reference.Load()
	if _, err := db.Seed(context.Background(), ds); err != nil {
		b.Fatal(err)
	}
	// Only the bench feeds are due.
	db.SQL().Exec(`UPDATE feeds SET enabled = 0`)
	for _, u := range urls {
		if _, err := db.AddFeed(context.Background(), store.Feed{URL: u, Enabled: true}); err != nil {
			b.Fatal(err)
		}
	}
	aliases, _ := db.Aliases(context.Background())
	return db, match.New(aliases)
}

func benchIngest(b *testing.B, feedsN, itemsN int) {
	docs := make([][]byte, feedsN)
	for i := range docs {
		docs[i] = genRSS(i, itemsN)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		fmt.Sscanf(r.URL.Path, "/feed/%d", &i)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(docs[i])
	}))
	defer srv.Close()
	var urls []string
	for i := 0; i < feedsN; i++ {
		urls = append(urls, fmt.Sprintf("%s/feed/%d", srv.URL, i))
	}
	b.ResetTimer()
	var total time.Duration
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		db, m := benchStore(b, urls)
		r := feeds.NewRefresher(db, fetch.New(fetch.Options{Version: "bench", MaxBody: 64 << 20}), m, feeds.Options{})
		b.StartTimer()
		start := time.Now()
		sum, err := r.Refresh(context.Background(), nil, nil)
		total += time.Since(start)
		if err != nil || sum.Failed > 0 || sum.NewItems != feedsN*itemsN {
			b.Fatalf("refresh: %v, %s", err, sum)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(feedsN*itemsN*b.N)/total.Seconds(), "items/s")
}

// BenchmarkIngest20k measures fetch, parse, normalise, tag and save of one
// 20,000-item feed from loopback, with the full-text index up to date.
func BenchmarkIngest20k(b *testing.B) { benchIngest(b, 1, 20000) }

// BenchmarkIngest50x200 measures the same for 50 feeds of 200 items.
func BenchmarkIngest50x200(b *testing.B) { benchIngest(b, 50, 200) }

// BenchmarkRetag100k measures aiwatch retag over 100,000 stored items.
func BenchmarkRetag100k(b *testing.B) {
	db, m := benchStore(b, []string{"https://example.org/retag"})
	defer db.Close()
	ctx := context.Background()
	all, _ := db.Feeds(ctx)
	var feedID int64
	for _, f := range all {
		if f.URL == "https://example.org/retag" {
			feedID = f.ID
		}
	}
	base := time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC)
	for chunk := 0; chunk < 10; chunk++ {
		items := make([]store.Item, 10000)
		for i := range items {
			n := chunk*10000 + i
			items[i] = store.Item{Key: fmt.Sprint(n), Title: benchText[n%len(benchText)], Summary: genSummary(n), Published: base.Add(-time.Duration(n) * time.Minute)}
		}
		if _, err := db.SaveItems(ctx, feedID, items); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		if _, err := db.Retag(ctx, func(feedURL, title, summary, content string) ([]string, []string, bool, []store.Mention) {
			return feeds.TagItem(m, feedURL, title, summary, content)
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/retag")
}
