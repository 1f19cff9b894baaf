package html

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/feeds/parse"
	"github.com/aiwatch/aiwatch/store"
)

var now = time.Date(2025, 3, 7, 12, 0, 0, 0, time.UTC)

// corpusDir is the feed corpus: shared/testdata/feeds, copied into the
// repository's testdata so that the tests need nothing outside it.
func corpusDir(t *testing.T) string {
	t.Helper()
	return filepath.Join("..", "..", "testdata", "feeds")
}

type row struct {
	Title, URL, Published string
}

func rows(items []store.Item) []row {
	var out []row
	for _, it := range items {
		out = append(out, row{it.Title, it.URL, it.Published.Format(time.RFC3339)})
	}
	return out
}

func TestScrapeCorpus(t *testing.T) {
	dir := corpusDir(t)
	const origin = "http://127.0.0.1:8080"
	tests := []struct {
		file, contentType string
		rule              store.HTMLRule
		lang              string
		want              []row
	}{
		{
			"html_list_utf8.html", "text/html; charset=utf-8",
			store.HTMLRule{Item: "section.news-list article.news-item", Title: "h3.news-title a", Link: "h3.news-title a[href]", Date: "time"},
			"en",
			[]row{
				{"Huawei releases a new CANN version for Ascend NPUs", origin + "/china-ai/2025/03/07/huawei-ascend-cann-release.html", "2025-03-07T11:20:00+08:00"},
				{"SenseTime & partners show SenseNova updates", "https://ledger-news.example.com/china-ai/2025/03/06/sensetime-sensenova.html", "2025-03-06T16:00:00+08:00"},
				{"MiniMax changes API quotas for new accounts", "http://ledger-news.example.com/china-ai/2025/03/05/minimax-api.html", "2025-03-05T09:45:00+08:00"},
				{"StepFun’s Step models get a new console", origin + "/2025/03/04/stepfun-step.html?src=list&page=1", "2025-03-04T20:30:00+08:00"},
				{"Qwen release notes, annotated", origin + "/china-ai/2025/03/03/qwen-release-notes.html", "2025-03-03T00:00:00+08:00"},
			},
		},
		{
			"html_list_gbk.html", "text/html",
			store.HTMLRule{Item: "div.list_box ul.list li", Title: "a", Link: "a[href]", Date: "span.time", DateLayout: "2006-01-02 15:04"},
			"zh",
			[]row{
				{"华为昇腾社区发布开发者训练营日程", "https://zhineng.example.net/news/2025/0305/2001.html", "2025-03-05T09:30:00+08:00"},
				{"阿里通义千问公布模型许可证常见问题", "https://zhineng.example.net/news/2025/0304/1996.html", "2025-03-04T17:05:00+08:00"},
				{"稀宇科技MiniMax发布长文本技术报告", "https://zhineng.example.net/news/2025/0304/1990.html", "2025-03-04T08:40:00+08:00"},
				{"天数智芯更新适配模型清单", "https://zhineng.example.net/news/2025/0303/1985.html", "2025-03-03T14:00:00+08:00"},
				{"沐曦举办开发者沙龙，镕、堃等工程师分享经验", "https://zhineng.example.net/news/2025/0303/1981.html", now.Add(-3 * time.Hour).Format(time.RFC3339)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			feed, err := Scrape(body, tt.contentType, origin+"/"+tt.file, tt.rule, now)
			if err != nil {
				t.Fatal(err)
			}
			if got := rows(feed.Items); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("items:\n got %q\nwant %q", got, tt.want)
			}
			if feed.Lang != tt.lang || feed.Format != parse.FormatHTML || feed.Entries != len(tt.want) {
				t.Errorf("feed lang %q format %q entries %d", feed.Lang, feed.Format, feed.Entries)
			}
			if feed.SiteURL != origin+"/"+tt.file {
				t.Errorf("SiteURL %q", feed.SiteURL)
			}
		})
	}
}

func TestScrapeRules(t *testing.T) {
	const page = "https://list.example.com/news/index.html"
	tests := []struct {
		name string
		doc  string
		rule store.HTMLRule
		want []row
	}{
		{
			"item is the link",
			`<ul class="n"><li><a class="i" href="a.html">A</a></li><li><a class="i" href="/b.html"> B </a></li></ul>`,
			store.HTMLRule{Item: "a.i"},
			[]row{{"A", "https://list.example.com/news/a.html", ""}, {"B", "https://list.example.com/b.html", ""}},
		},
		{
			"first link of the item",
			`<div class="i"><span>x</span><a href="1.html">One</a><a href="2.html">Two</a></div>`,
			store.HTMLRule{Item: "div.i"},
			[]row{{"One", "https://list.example.com/news/1.html", ""}},
		},
		{
			"title attribute when the text is empty",
			`<div class="i"><a href="1.html" title="From the attribute"><img src="x.png"></a></div>`,
			store.HTMLRule{Item: "div.i", Title: "a", Link: "a"},
			[]row{{"From the attribute", "https://list.example.com/news/1.html", ""}},
		},
		{
			"items with neither title nor link skipped",
			`<div class="i"></div><div class="i"><a href="1.html">One</a></div><div class="i"><span> </span></div>`,
			store.HTMLRule{Item: "div.i"},
			[]row{{"One", "https://list.example.com/news/1.html", ""}},
		},
		{
			"date layout and zone",
			`<p class="i"><a href="1">One</a><em>2025/03/05 08:00</em></p><p class="i"><a href="2">Two</a><em>2025-03-04T08:00:00Z</em></p>`,
			store.HTMLRule{Item: "p.i", Date: "em", DateLayout: "2006/01/02 15:04"},
			[]row{{"One", "https://list.example.com/news/1", "2025-03-05T08:00:00+08:00"}, {"Two", "https://list.example.com/news/2", "2025-03-04T08:00:00Z"}},
		},
		{
			"dates without a layout: datetime attribute, RFC 3339, RFC 1123, Chinese, local time in China's zone",
			`<p class="i"><a href="1">One</a><time datetime="2025-03-07T11:20:00+08:00">3月7日</time></p>` +
				`<p class="i"><a href="2">Two</a><time>2025-03-06T09:00:00Z</time></p>` +
				`<p class="i"><a href="3">Three</a><time>Wed, 05 Mar 2025 10:00:00 GMT</time></p>` +
				`<p class="i"><a href="4">Four</a><time>2025年3月4日</time></p>` +
				`<p class="i"><a href="5">Five</a><time>2025-03-03 11:20</time></p>`,
			store.HTMLRule{Item: "p.i", Date: "time"},
			[]row{
				{"One", "https://list.example.com/news/1", "2025-03-07T11:20:00+08:00"},
				{"Two", "https://list.example.com/news/2", "2025-03-06T09:00:00Z"},
				{"Three", "https://list.example.com/news/3", "2025-03-05T10:00:00Z"},
				{"Four", "https://list.example.com/news/4", "2025-03-04T00:00:00+08:00"},
				{"Five", "https://list.example.com/news/5", "2025-03-03T11:20:00+08:00"},
			},
		},
		{
			"an unreadable date among readable ones is the fetch time",
			`<p class="i"><a href="1">One</a><time>2025-03-07 11:20</time></p><p class="i"><a href="2">Two</a><time>刚刚更新</time></p>`,
			store.HTMLRule{Item: "p.i", Date: "time"},
			[]row{{"One", "https://list.example.com/news/1", "2025-03-07T11:20:00+08:00"}, {"Two", "https://list.example.com/news/2", ""}},
		},
		{
			"hostile text and links",
			`<div class="i"><a href="javascript:alert(1)">Evil` + "\x1b]52;c;AAAA\x07\u202e" + `</a></div><div class="i"><a href="data:text/html,x">Data</a></div>`,
			store.HTMLRule{Item: "div.i"},
			[]row{{"Evil", "", ""}, {"Data", "", ""}},
		},
		{
			"script text is not a title",
			`<div class="i"><h3><script>document.write("<a href='/x'>x</a>")</script>Real title</h3><a href="r">more</a></div>`,
			store.HTMLRule{Item: "div.i", Title: "h3"},
			[]row{{"Real title", "https://list.example.com/news/r", ""}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed, err := Scrape([]byte("<html><body>"+tt.doc+"</body></html>"), "text/html", page, tt.rule, now)
			if err != nil {
				t.Fatal(err)
			}
			got := rows(feed.Items)
			for i := range got {
				if i < len(tt.want) && tt.want[i].Published == "" {
					got[i].Published = "" // no date in the rule: the fetch time
					if !feed.Items[i].Published.Equal(now) {
						t.Errorf("item %d published %v, want the fetch time", i, feed.Items[i].Published)
					}
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestScrapeSummary(t *testing.T) {
	doc := `<html lang="zh-cn"><body><article><h2><a href="/a">标题</a></h2><div class="s"><p>第一段</p><p>第二段 &amp; <b>更多</b></p></div></article></body></html>`
	feed, err := Scrape([]byte(doc), "text/html; charset=utf-8", "https://x.example/", store.HTMLRule{Item: "article", Title: "h2", Summary: "div.s"}, now)
	if err != nil {
		t.Fatal(err)
	}
	it := feed.Items[0]
	if it.Summary != "第一段\n\n第二段 & 更多" || it.Lang != "zh-CN" || feed.Lang != "zh-CN" {
		t.Errorf("summary %q lang %q feed lang %q", it.Summary, it.Lang, feed.Lang)
	}
}

func TestScrapeErrors(t *testing.T) {
	doc := []byte(`<html><body><div class="i"><a href="/1">One</a><div class="d">发布于本周五</div></div></body></html>`)
	tests := []struct {
		name string
		rule store.HTMLRule
		want error
	}{
		{"no item selector", store.HTMLRule{Title: "a"}, ErrRule},
		{"bad item selector", store.HTMLRule{Item: "div[["}, ErrRule},
		{"bad date selector", store.HTMLRule{Item: "div.i", Date: "::nope("}, ErrRule},
		{"nothing matches", store.HTMLRule{Item: "article.news"}, ErrNoItems},
		{"no date fits", store.HTMLRule{Item: "div.i", Date: "div.d"}, ErrDate},
		{"the layout does not fit either", store.HTMLRule{Item: "div.i", Date: "div.d", DateLayout: "2006/01/02"}, ErrDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Scrape(doc, "text/html", "https://x.example/", tt.rule, now)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if tt.want == ErrDate && !strings.Contains(err.Error(), `"发布于本周五" (the text of "div.d")`) {
				t.Errorf("the error does not name the text that failed: %v", err)
			}
			if tt.want == ErrRule && !errors.Is(CheckRule(tt.rule), ErrRule) {
				t.Errorf("CheckRule accepted %+v", tt.rule)
			}
		})
	}
	if err := CheckRule(store.HTMLRule{Item: "ul li", Title: "a", Link: "a[href]", Date: "time[datetime]"}); err != nil {
		t.Errorf("CheckRule of a good rule: %v", err)
	}
}

func TestDiscover(t *testing.T) {
	tests := []struct {
		name, doc, contentType, page string
		want                         []string
	}{
		{
			"corpus page",
			"", "text/html; charset=utf-8", "http://127.0.0.1:8080/html_list_utf8.html",
			[]string{"http://127.0.0.1:8080/china-ai/feed.xml"},
		},
		{
			"every feed type, in order",
			`<html><head>
<link rel="stylesheet" href="/s.css">
<link rel="alternate" type="application/atom+xml" href="/atom.xml">
<link rel="Alternate" type="application/RSS+XML; charset=utf-8" href="rss.xml">
<link rel="alternate" hreflang="zh" type="text/html" href="/zh/">
<link rel="alternate" type="application/feed+json" href="https://feeds.example.org/f.json">
<link rel="alternate" type="application/json" href="/feed.json#frag">
<link rel="alternate" type="application/rdf+xml" href="/index.rdf">
<link rel="alternate" type="application/rss+xml" href="/atom.xml">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="application/rss+xml" href="ftp://x.example/rss">
<link rel="alternate" type="application/rss+xml">
<link rel="alternate stylesheet" type="text/css" href="/alt.css">
</head><body><a rel="alternate" type="application/rss+xml" href="/in-body-anchor.xml">a</a></body></html>`,
			"text/html", "https://site.example/blog/post.html",
			[]string{
				"https://site.example/atom.xml",
				"https://site.example/blog/rss.xml",
				"https://feeds.example.org/f.json",
				"https://site.example/feed.json",
				"https://site.example/index.rdf",
			},
		},
		{
			"base href",
			`<html><head><base href="https://other.example/root/"><link rel="alternate" type="application/rss+xml" href="feed"></head></html>`,
			"text/html", "https://site.example/",
			[]string{"https://other.example/root/feed"},
		},
		{"none", `<html><head><title>x</title></head></html>`, "text/html", "https://site.example/", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := []byte(tt.doc)
			if tt.doc == "" {
				var err error
				if doc, err = os.ReadFile(filepath.Join(corpusDir(t), "html_list_utf8.html")); err != nil {
					t.Fatal(err)
				}
			}
			if got := Discover(doc, tt.contentType, tt.page); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Discover = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestScrapeGBKCharsetFromMeta(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(corpusDir(t), "html_list_gbk.html"))
	if err != nil {
		t.Fatal(err)
	}
	feed, err := Scrape(body, "text/html", "https://zhineng.example.net/news/", store.HTMLRule{Item: "div.side ul.list_hot li"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(feed.Items) != 1 || feed.Items[0].Title != "热门：往期回顾" || !strings.HasPrefix(feed.Title, "智能芯闻") {
		t.Errorf("items %q title %q", rows(feed.Items), feed.Title)
	}
}
