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

// Headline-sized items, as bench/newsboat.sh serves them to aiwatch and
// newsboat: a title naming a firm or not, one sentence, dates in GMT.
var (
	headlineTitles = []string{
		"Huawei ships Ascend accelerators to %d data centres",
		"摩尔线程发布第%d代图形处理器",
		"Cambricon revenue rises for the %dth quarter",
		"Local weather: %d mm of rain expected",
		"寒武纪与百度在第%d届大会上签约",
		"هواوي تطلق %d منتجات جديدة",
		"SMIC expands capacity by %d per cent",
		"City council approves %d new parks",
	}
	headlineSummaries = []string{
		"The company said demand from model developers kept growing, and export rules were not expected to change shipments.",
		"公司表示，来自大模型企业的需求持续增长，出口管制规则预计不会影响出货。",
		"Analysts expect the results to be confirmed at the annual meeting next month.",
		"قالت الشركة إن الطلب على الرقائق مستمر في النمو هذا العام.",
	}
)

// genHeadlines writes an RSS 2.0 document of n headline-sized items
// (324 bytes each), like bench/newsboat.sh.
func genHeadlines(feed, n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench feed %d</title><link>https://bench.example/%d/</link>`, feed, feed)
	base := time.Date(2025, 10, 29, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		k := feed*7919 + i
		fmt.Fprintf(&b, `<item><guid isPermaLink="false">b%d-%d</guid><title>%s</title><link>https://bench.example/%d/%d</link><description>%s</description><pubDate>%s</pubDate></item>`,
			feed, i, fmt.Sprintf(headlineTitles[k%len(headlineTitles)], i+1), feed, i, headlineSummaries[k%len(headlineSummaries)],
			base.Add(time.Duration(i)*time.Minute+time.Duration(feed)*time.Second).Format(http.TimeFormat))
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// serveBenchFeeds serves feedsN generated feeds of itemsN items each
// from loopback and returns their URLs.
func serveBenchFeeds(feedsN, itemsN int, gen func(feed, n int) []byte) (urls []string, stop func()) {
	docs := make([][]byte, feedsN)
	for i := range docs {
		docs[i] = gen(i, itemsN)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		fmt.Sscanf(r.URL.Path, "/feed/%d", &i)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(docs[i])
	}))
	for i := 0; i < feedsN; i++ {
		urls = append(urls, fmt.Sprintf("%s/feed/%d", srv.URL, i))
	}
	return urls, srv.Close
}

func benchIngest(b *testing.B, feedsN, itemsN int, gen func(feed, n int) []byte) {
	urls, stop := serveBenchFeeds(feedsN, itemsN, gen)
	defer stop()
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
// Its items are heavy: a title and about 400 characters of mixed English,
// Chinese and Arabic (944 bytes of RSS), naming 4.4 firms and alliances.
func BenchmarkIngest20k(b *testing.B) { benchIngest(b, 1, 20000, genRSS) }

// BenchmarkIngest50x200 measures the same for 50 feeds of 200 heavy items.
func BenchmarkIngest50x200(b *testing.B) { benchIngest(b, 50, 200, genRSS) }

// BenchmarkIngestHeadlines20k is BenchmarkIngest20k with headline-sized
// items, the feeds bench/newsboat.sh compares with newsboat.
func BenchmarkIngestHeadlines20k(b *testing.B) { benchIngest(b, 1, 20000, genHeadlines) }

// BenchmarkIngestHeadlines50x200 is BenchmarkIngest50x200 with
// headline-sized items.
func BenchmarkIngestHeadlines50x200(b *testing.B) { benchIngest(b, 50, 200, genHeadlines) }

// retagStore is a store of 100,000 items in one feed, for the re-tag
// benchmarks.
func retagStore(b *testing.B) (*sqlite.DB, *match.Matcher) {
	db, m := benchStore(b, []string{"https://example.org/retag"})
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
	return db, m
}

// BenchmarkRetag100k measures aiwatch retag over 100,000 stored items.
func BenchmarkRetag100k(b *testing.B) {
	db, m := retagStore(b)
	defer db.Close()
	ctx := context.Background()
	b.ResetTimer()
	cpu := cpuTime()
	for n := 0; n < b.N; n++ {
		if _, err := db.Retag(ctx, func(feedURL, title, summary, content string) ([]string, []string, bool, []store.Mention) {
			return feeds.TagItem(m, feedURL, title, summary, content)
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/retag")
	if d := cpuTime() - cpu; cpu > 0 {
		// CPU seconds, all threads: a busy machine inflates s/retag, not this.
		b.ReportMetric(d.Seconds()/float64(b.N), "cpu-s/retag")
	}
}

// BenchmarkFirmsAddRetag100k measures what firms add costs over 100,000
// stored items: the add itself (what the command waits for) and the
// background re-tag that follows (RetagIfStale, one transaction).
func BenchmarkFirmsAddRetag100k(b *testing.B) {
	db, _ := retagStore(b)
	defer db.Close()
	ctx := context.Background()
	newTag := func(aliases []store.Alias) sqlite.TagFunc { return tagFunc(match.New(aliases)) }
	if _, _, err := db.RetagIfStale(ctx, newTag); err != nil {
		b.Fatal(err)
	}
	var add, retag time.Duration
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		start := time.Now()
		if err := db.AddFirm(ctx, store.Firm{ID: fmt.Sprintf("bench-%d", n), Name: fmt.Sprintf("Benchfirm %d", n), NameZH: "宇树科技" + strings.Repeat("甲", n)}); err != nil {
			b.Fatal(err)
		}
		add += time.Since(start)
		start = time.Now()
		if ran, _, err := db.RetagIfStale(ctx, newTag); err != nil || !ran {
			b.Fatal(ran, err)
		}
		retag += time.Since(start)
	}
	b.ReportMetric(add.Seconds()*1000/float64(b.N), "ms/add")
	b.ReportMetric(retag.Seconds()/float64(b.N), "s/retag")
}
