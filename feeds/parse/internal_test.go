package parse

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/aiwatch/aiwatch/store"
)

var (
	now      = time.Date(2025, 3, 8, 12, 0, 0, 0, time.UTC)
	usNY     = time.FixedZone("", -5*3600)
	plus0300 = time.FixedZone("", 3*3600)
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		loc  *time.Location
		want string // RFC 3339, "" for no date
	}{
		{"RFC 1123Z", "Wed, 05 Mar 2025 10:00:00 +0800", time.UTC, "2025-03-05T10:00:00+08:00"},
		{"one-digit day and hour", "Mon, 3 Mar 2025 9:05:00 +0800", time.UTC, "2025-03-03T09:05:00+08:00"},
		{"GMT", "Thu, 06 Mar 2025 07:00:00 GMT", ChinaTime, "2025-03-06T07:00:00Z"},
		{"CST in a China feed", "Sun, 02 Mar 2025 18:30:00 CST", ChinaTime, "2025-03-02T18:30:00+08:00"},
		{"CST elsewhere", "Sun, 02 Mar 2025 18:30:00 CST", usNY, "2025-03-02T18:30:00-06:00"},
		{"EST", "Sun, 02 Mar 2025 18:30:00 EST", ChinaTime, "2025-03-02T18:30:00-05:00"},
		{"GMT+8 means UTC+8", "Fri, 28 Feb 2025 10:00:00 GMT+8", time.UTC, "2025-02-28T10:00:00+08:00"},
		{"UTC-05:30", "Fri, 28 Feb 2025 10:00:00 UTC-05:30", time.UTC, "2025-02-28T10:00:00-05:30"},
		{"zone comment", "Mon Jan 02 2006 15:04:05 GMT-0700 (MST)", time.UTC, "2006-01-02T15:04:05-07:00"},
		{"SQL without zone", "2025-03-01 14:30:00", ChinaTime, "2025-03-01T14:30:00+08:00"},
		{"SQL without zone in UTC", "2025-03-01 14:30:00", time.UTC, "2025-03-01T14:30:00Z"},
		{"ISO millis +0800", "2025-02-27T16:20:00.000+0800", time.UTC, "2025-02-27T16:20:00+08:00"},
		{"RFC 3339 fraction", "2025-03-03T06:00:00.123Z", ChinaTime, "2025-03-03T06:00:00.123Z"},
		{"W3C-DTF minutes", "2025-03-01T10:00Z", ChinaTime, "2025-03-01T10:00:00Z"},
		{"W3C-DTF date", "2025-02-27", ChinaTime, "2025-02-27T00:00:00+08:00"},
		{"W3C-DTF month", "2025-02", time.UTC, "2025-02-01T00:00:00Z"},
		{"long English", "Thursday, February 27, 2025 8:00 AM", ChinaTime, "2025-02-27T08:00:00+08:00"},
		{"English date", "3 March 2025", ChinaTime, "2025-03-03T00:00:00+08:00"},
		{"English month first", "March 3, 2025", time.UTC, "2025-03-03T00:00:00Z"},
		{"Chinese", "2025年2月26日 09:00", ChinaTime, "2025-02-26T09:00:00+08:00"},
		{"Chinese with seconds", "2025年02月26日 09:00:30", ChinaTime, "2025-02-26T09:00:30+08:00"},
		{"Chinese date only", "2025年7月26日", ChinaTime, "2025-07-26T00:00:00+08:00"},
		{"Chinese without year", "3月1日 10:00", ChinaTime, "2025-03-01T10:00:00+08:00"},
		{"Chinese weekday", "2025年3月5日 星期三 08:00", ChinaTime, "2025-03-05T08:00:00+08:00"},
		{"Chinese bad month", "2025年13月1日", ChinaTime, ""},
		{"Chinese 30 February", "2025年2月30日", ChinaTime, ""},
		{"wrong weekday", "Wed, 25 Feb 2025 08:00:00 +0800", time.UTC, "2025-02-25T08:00:00+08:00"},
		{"out-of-range time", "Mon, 24 Feb 2025 25:61:00 +0800", time.UTC, ""},
		{"yearless", "03-03 14:00", ChinaTime, "2025-03-03T14:00:00+08:00"},
		{"yearless is last year when ahead", "12-30 14:00", ChinaTime, "2024-12-30T14:00:00+08:00"},
		{"hours ago", "3小时前", ChinaTime, "2025-03-08T09:00:00Z"},
		{"minutes ago", "15 分钟前", ChinaTime, "2025-03-08T11:45:00Z"},
		{"days ago English", "2 days ago", time.UTC, "2025-03-06T12:00:00Z"},
		{"yesterday", "昨天 08:30", ChinaTime, "2025-03-07T08:30:00+08:00"},
		{"just now", "刚刚", ChinaTime, "2025-03-08T12:00:00Z"},
		{"extra whitespace", "  Wed,\n 05  Mar 2025\t10:00:00 +0800 ", time.UTC, "2025-03-05T10:00:00+08:00"},
		{"empty", "", time.UTC, ""},
		{"garbage", "soon", time.UTC, ""},
		{"year 0001", "0001-01-01T00:00:00Z", time.UTC, ""},
		{"very long", strings.Repeat("1", 500), time.UTC, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseDate(tt.in, tt.loc, now)
			if tt.want == "" {
				if ok {
					t.Errorf("ParseDate(%q) = %v, want no date", tt.in, got)
				}
				return
			}
			want, err := time.Parse(time.RFC3339Nano, tt.want)
			if err != nil {
				t.Fatal(err)
			}
			if !ok || !got.Equal(want) {
				t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, ok, want)
			}
			if _, off := got.Zone(); ok && !strings.HasSuffix(tt.want, "Z") {
				if _, wantOff := want.Zone(); off != wantOff {
					t.Errorf("offset %d, want %d (the source's)", off, wantOff)
				}
			}
		})
	}
}

func TestDateReaderZone(t *testing.T) {
	tests := []struct {
		name string
		raws []string
		lang string
		want *time.Location
	}{
		{"mostly +0800", []string{"Mon, 3 Mar 2025 9:05:00 +0800", "2025-03-01 14:30:00", "Thu, 06 Mar 2025 07:00:00 +0000", "2025-02-27T16:20:00.000+0800"}, "en", ChinaTime},
		{"mostly +0300", []string{"Thu, 06 Mar 2025 12:00:00 +0300", "Wed, 05 Mar 2025 12:00:00 +0300"}, "ar", plus0300},
		{"no offsets, Chinese", []string{"2025-03-01 14:30"}, "zh-CN", ChinaTime},
		{"no offsets, English", []string{"2025-03-01 14:30"}, "en", time.UTC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newDateReader(tt.raws, tt.lang, now)
			probe := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
			if _, got := probe.In(r.loc).Zone(); got != offset(tt.want) {
				t.Errorf("zone offset %d, want %d", got, offset(tt.want))
			}
		})
	}
}

func offset(loc *time.Location) int {
	_, off := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).In(loc).Zone()
	return off
}

func TestToUTF8(t *testing.T) {
	gbk := func(s string) string {
		out, err := simplifiedchinese.GBK.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	gb18030 := func(s string) string {
		out, err := simplifiedchinese.GB18030.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	big5 := func(s string) string {
		out, err := traditionalchinese.Big5.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	utf16 := func(s string) string {
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	tests := []struct {
		name, body, contentType, want string
	}{
		{"plain UTF-8", "<rss>华为</rss>", "", "<rss>华为</rss>"},
		{"UTF-8 BOM dropped", "\ufeff<rss/>", "text/xml", "<rss/>"},
		{"UTF-16 BOM", utf16("<rss>华为</rss>"), "", "<rss>华为</rss>"},
		{"BOM beats header", "\ufeff<rss>华为</rss>", "text/xml; charset=gbk", "<rss>华为</rss>"},
		{"header charset", gb18030("<rss>AI芯片🤖</rss>"), "text/xml; charset=GB18030", "<rss>AI芯片🤖</rss>"},
		{"header beats prolog", gbk(`<?xml version="1.0" encoding="utf-8"?><rss>昇腾</rss>`), "text/xml; charset=gbk", `<?xml version="1.0" encoding="utf-8"?><rss>昇腾</rss>`},
		{"prolog gb2312 is GBK", gbk(`<?xml version="1.0" encoding="gb2312"?><t>昇堃喆</t>`), "application/rss+xml", `<?xml version="1.0" encoding="gb2312"?><t>昇堃喆</t>`},
		{"prolog after newline", "\n" + big5(`<?xml version='1.0' encoding='big5'?><t>功許</t>`), "", "\n" + `<?xml version='1.0' encoding='big5'?><t>功許</t>`},
		{"latin1 is windows-1252", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>\xb7\xa9\x93</t>", "", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>·©“</t>"},
		{"meta charset", gbk(`<html><head><meta charset="gb2312"></head><body>镕</body></html>`), "text/html", `<html><head><meta charset="gb2312"></head><body>镕</body></html>`},
		{"meta http-equiv", gbk(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head>镕</html>`), "text/html", `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head>镕</html>`},
		{"unknown label falls back to UTF-8", `<?xml version="1.0" encoding="x-klingon"?><t>é</t>`, "text/xml; charset=bogus", `<?xml version="1.0" encoding="x-klingon"?><t>é</t>`},
		{"utf-16 label without BOM is UTF-8", `<?xml version="1.0" encoding="utf-16"?><t>é</t>`, "", `<?xml version="1.0" encoding="utf-16"?><t>é</t>`},
		{"invalid UTF-8 replaced", "<t>caf\xe9\xff</t>", "", "<t>caf\ufffd</t>"},
		{"invalid GBK replaced", "<t>\x81</t>", "text/xml; charset=gbk", "<t>\ufffd</t>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(ToUTF8([]byte(tt.body), tt.contentType)); got != tt.want {
				t.Errorf("ToUTF8 = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestInlineText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"A &amp; B &quot;q&quot; &#8217; &mdash;", "A & B \"q\" ’ —"},
		{"<em>MiniMax</em> report", "MiniMax report"},
		{"Moore Threads <MUSA> SDK", "Moore Threads <MUSA> SDK"},
		{"3 < 4 > 2", "3 < 4 > 2"},
		{"a <b c", "a <b c"},
		{"<xhtml:div>阶跃<xhtml:i>多模态</xhtml:i></xhtml:div>", " 阶跃多模态 "},
		{"x<script>alert('<b>')</script>y", "xy"},
		{"x<style>b{}</style>y", "xy"},
		{"one<br>two<p>three</p>", "one two three "},
		{"<!-- comment -->text", "text"},
		{"&lt;b&gt;escaped&lt;/b&gt;", "<b>escaped</b>"},
	}
	for _, tt := range tests {
		if got := inlineText(tt.in); got != tt.want {
			t.Errorf("inlineText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBlockText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain keeps newlines", "line one\nline two &amp; more", "line one\nline two & more"},
		{"paragraphs", "<p>one</p><p>two</p>", "one\n\ntwo"},
		{"br and div", "a<br>b<div>c</div>d", "a\nb\nc\nd"},
		{"whitespace collapses", "<p>  lots \n of\tspace  </p>", "lots of space"},
		{"pre keeps whitespace", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"list", "<ul><li>one</li><li>two</li></ul>", "• one\n• two"},
		{"headings", "<h1>Title</h1>text", "Title\n\ntext"},
		{"script dropped", "<p>a</p><script>var x = '<p>no</p>';</script><p>b</p>", "a\n\nb"},
		{"entities", "<p>&lt;tag&gt; &amp; &#x534E;</p>", "<tag> & 华"},
		{"empty elements leave nothing", "<p></p><div> </div><p>x</p>", "x"},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr></table>", "a b"},
		{"xml prefix", "<xhtml:p>a</xhtml:p><xhtml:p>b</xhtml:p>", "a\n\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.CleanBody(blockText(tt.in), 0); got != tt.want {
				t.Errorf("blockText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCanonicalLang(t *testing.T) {
	tests := []struct{ in, want string }{
		{"en", "en"},
		{"EN-us", "en-US"},
		{"zh_cn", "zh-CN"},
		{"zh-hant-tw", "zh-Hant-TW"},
		{" ar ", "ar"},
		{"", ""},
		{"e", ""},
		{"engl", ""},
		{"en US", ""},
		{"zh-\u202e", ""},
		{strings.Repeat("a", 40), ""},
	}
	for _, tt := range tests {
		if got := CanonicalLang(tt.in); got != tt.want {
			t.Errorf("CanonicalLang(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDetectLang(t *testing.T) {
	tests := []struct{ in, want string }{
		{"华为昇腾社区发布开发者训练营日程", "zh"},
		{"AI芯片周报🤖：沐曦与壁仞新品盘点", "zh"},
		{"阿里巴巴通義千問團隊公布新一代開源模型", "zh"},
		{"هواوي تعلن تحديثات لمنصة Ascend للمطورين", "ar"},
		{"Huawei updates CANN toolkit for Ascend developers", "en"},
		{"Huawei 昇腾 update for developers worldwide", "en"},
		{"ファーウェイが新しいチップを発表", "ja"},
		{"화웨이 새로운 칩 발표", "ko"},
		{"2025", "en"},
	}
	for _, tt := range tests {
		if got := DetectLang(tt.in); got != tt.want {
			t.Errorf("DetectLang(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	base := "https://site.example/news/list.html"
	pub := time.Date(2025, 3, 5, 10, 0, 0, 0, ChinaTime)
	tests := []struct {
		name  string
		in    store.Item
		check func(t *testing.T, it store.Item)
	}{
		{"relative link", store.Item{Title: "t", URL: "../a/1.html?x=1&amp;y=2"}, func(t *testing.T, it store.Item) {
			if it.URL != "https://site.example/a/1.html?x=1&amp;y=2" {
				t.Errorf("URL %q", it.URL)
			}
		}},
		{"protocol-relative", store.Item{Title: "t", URL: "//cdn.example.org/x"}, func(t *testing.T, it store.Item) {
			if it.URL != "https://cdn.example.org/x" {
				t.Errorf("URL %q", it.URL)
			}
		}},
		{"javascript dropped", store.Item{Title: "t", URL: " JavaScript:alert(1)"}, func(t *testing.T, it store.Item) {
			if it.URL != "" {
				t.Errorf("URL %q", it.URL)
			}
		}},
		{"userinfo dropped", store.Item{Title: "t", URL: "https://user:secret@evil.example/x#top"}, func(t *testing.T, it store.Item) {
			if it.URL != "https://evil.example/x#top" || it.Key != "https://evil.example/x" {
				t.Errorf("URL %q, key %q", it.URL, it.Key)
			}
		}},
		{"bank name before the host dropped", store.Item{Title: "t", URL: "https://www.bank.com@evil.example/login"}, func(t *testing.T, it store.Item) {
			if it.URL != "https://evil.example/login" {
				t.Errorf("URL %q", it.URL)
			}
		}},
		{"relative link under a base with userinfo", store.Item{Title: "t", URL: "//u:p@cdn.example.org/x"}, func(t *testing.T, it store.Item) {
			if it.URL != "https://cdn.example.org/x" {
				t.Errorf("URL %q", it.URL)
			}
		}},
		{"@ in the path kept", store.Item{Title: "t", URL: "https://site.example/@handle/post"}, func(t *testing.T, it store.Item) {
			if it.URL != "https://site.example/@handle/post" {
				t.Errorf("URL %q", it.URL)
			}
		}},
		{"file dropped", store.Item{Title: "t", URL: "file:///etc/passwd"}, func(t *testing.T, it store.Item) {
			if it.URL != "" {
				t.Errorf("URL %q", it.URL)
			}
		}},
		{"data dropped", store.Item{Title: "t", URL: "data:text/html,<script>x</script>"}, func(t *testing.T, it store.Item) {
			if it.URL != "" {
				t.Errorf("URL %q", it.URL)
			}
		}},
		{"control in link dropped", store.Item{Title: "t", URL: "https://a.example/\x1b[31m"}, func(t *testing.T, it store.Item) {
			if it.URL != "" {
				t.Errorf("URL %q", it.URL)
			}
		}},
		{"bidi in host escaped", store.Item{Title: "t", URL: "https://evil\u202e.example/"}, func(t *testing.T, it store.Item) {
			if strings.ContainsRune(it.URL, 0x202e) {
				t.Errorf("URL %q holds a raw bidi override", it.URL)
			}
		}},
		{"bidi in path escaped", store.Item{Title: "t", URL: "https://a.example/\u202etxt.exe"}, func(t *testing.T, it store.Item) {
			if it.URL != "https://a.example/%E2%80%AEtxt.exe" {
				t.Errorf("URL %q", it.URL)
			}
		}},
		{"key from GUID", store.Item{Key: " guid-1 ", Title: "t", URL: "https://a.example/1"}, func(t *testing.T, it store.Item) {
			if it.Key != "guid-1" {
				t.Errorf("Key %q", it.Key)
			}
		}},
		{"key from URL without fragment", store.Item{Title: "t", URL: "https://a.example/1#c"}, func(t *testing.T, it store.Item) {
			if it.Key != "https://a.example/1" || it.URL != "https://a.example/1#c" {
				t.Errorf("Key %q URL %q", it.Key, it.URL)
			}
		}},
		{"long GUID hashed", store.Item{Key: strings.Repeat("g", 2000), Title: "t"}, func(t *testing.T, it store.Item) {
			if !strings.HasPrefix(it.Key, "sha256:") || len(it.Key) > MaxKey {
				t.Errorf("Key %q", it.Key)
			}
		}},
		{"key from title and date", store.Item{Title: "t", Published: pub}, func(t *testing.T, it store.Item) {
			want := Normalize([]store.Item{{Title: "t", Published: pub.UTC()}}, "", "", now.Add(time.Hour))[0].Key
			if !strings.HasPrefix(it.Key, "sha256:") || it.Key != want {
				t.Errorf("Key %q, want %q (stable across fetches and zones)", it.Key, want)
			}
		}},
		{"dates fall back to updated", store.Item{Title: "t", Updated: pub}, func(t *testing.T, it store.Item) {
			if !it.Published.Equal(pub) {
				t.Errorf("Published %v", it.Published)
			}
		}},
		{"no date is now", store.Item{Title: "t"}, func(t *testing.T, it store.Item) {
			if !it.Published.Equal(now) || !it.Fetched.Equal(now) {
				t.Errorf("Published %v Fetched %v", it.Published, it.Fetched)
			}
		}},
		{"future clamped", store.Item{Title: "t", Published: now.Add(48 * time.Hour), Updated: now.Add(time.Hour)}, func(t *testing.T, it store.Item) {
			if !it.Published.Equal(now) || !it.Updated.Equal(now) {
				t.Errorf("Published %v Updated %v", it.Published, it.Updated)
			}
		}},
		{"slightly ahead kept", store.Item{Title: "t", Published: now.Add(time.Minute)}, func(t *testing.T, it store.Item) {
			if !it.Published.Equal(now.Add(time.Minute)) {
				t.Errorf("Published %v", it.Published)
			}
		}},
		{"title from summary", store.Item{Summary: "<p>First line of text.</p><p>Second.</p>"}, func(t *testing.T, it store.Item) {
			if it.Title != "First line of text." {
				t.Errorf("Title %q", it.Title)
			}
		}},
		{"long derived title cut at a word", store.Item{Summary: strings.Repeat("word ", 100)}, func(t *testing.T, it store.Item) {
			if len(it.Title) > derivedTitleLen || !strings.HasSuffix(it.Title, "d…") {
				t.Errorf("Title %q (%d bytes)", it.Title, len(it.Title))
			}
		}},
		{"bounds", store.Item{Title: strings.Repeat("t", 5000), Summary: strings.Repeat("s", 50000), Content: strings.Repeat("c ", 400000), Author: strings.Repeat("a", 1000)}, func(t *testing.T, it store.Item) {
			if len(it.Title) != MaxTitle || len(it.Summary) != MaxSummary || len(it.Content) > MaxContent || len(it.Content) < MaxContent-2 || len(it.Author) != MaxAuthor {
				t.Errorf("lengths %d %d %d %d", len(it.Title), len(it.Summary), len(it.Content), len(it.Author))
			}
		}},
		{"lang from item", store.Item{Title: "华为", Lang: "zh-cn"}, func(t *testing.T, it store.Item) {
			if it.Lang != "zh-CN" {
				t.Errorf("Lang %q", it.Lang)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Normalize([]store.Item{tt.in}, "", base, now)
			if len(out) != 1 {
				t.Fatalf("got %d items", len(out))
			}
			tt.check(t, out[0])
		})
	}
}

func TestNormalizeLang(t *testing.T) {
	items := []store.Item{
		{Title: "English title", Lang: "en-gb"},
		{Title: "中文标题"},
	}
	out := Normalize(items, "", "", now)
	if out[0].Lang != "en-GB" || out[1].Lang != "zh" {
		t.Errorf("without a feed language: %q %q", out[0].Lang, out[1].Lang)
	}
	out = Normalize(items, "ar", "", now)
	if out[0].Lang != "en-GB" || out[1].Lang != "ar" {
		t.Errorf("with a feed language: %q %q", out[0].Lang, out[1].Lang)
	}
}

func TestQuickGMT(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"<pubDate>Sat, 29 Nov 2025 22:15:00 GMT</pubDate>", "<pubDate>Sat, 29 Nov 2025 22:15:00 -0000</pubDate>"},
		{"<a><pubDate>x GMT</pubDate><pubDate>y GMT</pubDate></a>", "<a><pubDate>x -0000</pubDate><pubDate>y -0000</pubDate></a>"},
		{"<d><![CDATA[x GMT</pubDate>]]></d>", "<d><![CDATA[x GMT</pubDate>]]></d>"},
		{"<pubDate>Sat, 29 Nov 2025 22:15:00 +0800</pubDate>", "<pubDate>Sat, 29 Nov 2025 22:15:00 +0800</pubDate>"},
		{" GMT</pubDate>", " GMT</pubDate>"},
	} {
		if got := string(quickGMT([]byte(c.in))); got != c.want {
			t.Errorf("quickGMT(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got, want := fromQuickGMT("Sat, 29 Nov 2025 22:15:00 -0000"), "Sat, 29 Nov 2025 22:15:00 GMT"; got != want {
		t.Errorf("fromQuickGMT: %q, want %q", got, want)
	}
}

func TestCloseLastTag(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"lost its >", "<rss><channel></channel></rss", "<rss><channel></channel></rss>"},
		{"lost its > before white space", "<rss></rss\r\n", "<rss></rss\r\n>"},
		{"prefixed name", "<rdf:RDF></rdf:RDF", "<rdf:RDF></rdf:RDF>"},
		{"whole", "<rss></rss>", "<rss></rss>"},
		{"whole with white space", "<rss></rss>\n", "<rss></rss>\n"},
		{"a start tag is not guessed at", "<rss><channel", "<rss><channel"},
		{"an end tag without a name", "<rss></", "<rss></"},
		{"text after the name", "<rss></rss junk", "<rss></rss junk"},
		{"no markup", "plain", "plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.in)
			if got := string(closeLastTag(in)); got != tt.want {
				t.Errorf("closeLastTag(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if string(in) != tt.in {
				t.Errorf("closeLastTag changed its input to %q", in)
			}
		})
	}
}
