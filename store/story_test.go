package store

import "testing"

func TestStoryLink(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"utm_source differs", "https://example.com/2026/12/chip?utm_source=rss", "https://example.com/2026/12/chip?utm_source=twitter", true},
		{"utm_* and click ids dropped", "https://example.com/a?id=7&utm_medium=feed&utm_campaign=x&fbclid=AbC&gclid=1", "https://example.com/a?id=7", true},
		{"spm and scm dropped", "https://tech.example.cn/news/1.html?spm=a2c4g.11186623&scm=20140722", "https://tech.example.cn/news/1.html", true},
		{"tracking names without case", "https://example.com/a?UTM_Source=x&FBCLID=y", "https://example.com/a", true},
		{"escaped tracking name", "https://example.com/a?utm%5Fsource=x", "https://example.com/a", true},
		{"scheme, www, host case, default port", "http://WWW.Example.com:80/a", "https://example.com:443/a", true},
		{"trailing slash", "https://example.com/a/", "https://example.com/a", true},
		{"fragment", "https://example.com/a#comments", "https://example.com/a", true},
		{"parameter order", "https://example.com/a?x=1&y=2", "https://example.com/a?y=2&x=1", true},
		{"other parameters count", "https://example.com/article?id=1", "https://example.com/article?id=2", false},
		{"path case counts", "https://example.com/A", "https://example.com/a", false},
		{"other port", "https://example.com:8443/a", "https://example.com/a", false},
		{"other host", "https://example.com/a", "https://example.org/a", false},
		{"subdomain counts", "https://news.example.com/a", "https://example.com/a", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := StoryLink(tt.a), StoryLink(tt.b)
			if ka == "" || kb == "" {
				t.Fatalf("no key: %q → %q, %q → %q", tt.a, ka, tt.b, kb)
			}
			if (ka == kb) != tt.same {
				t.Errorf("StoryLink(%q) = %q, StoryLink(%q) = %q; same = %v, want %v", tt.a, ka, tt.b, kb, ka == kb, tt.same)
			}
		})
	}
	for _, link := range []string{"", "ftp://example.com/a", "mailto:a@example.com", "/relative/path", "https://example.com",
		"https://www.example.com/", "https://example.com/?utm_source=rss", "http://[::1", "javascript:alert(1)"} {
		if k := StoryLink(link); k != "" {
			t.Errorf("StoryLink(%q) = %q, want no key", link, k)
		}
	}
	if got, want := StoryLink("https://www.Example.com/news/1/?b=2&utm_source=x&a=1#top"), "example.com/news/1?a=1&b=2"; got != want {
		t.Errorf("StoryLink = %q, want %q", got, want)
	}
}

func TestStoryTitle(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"case, punctuation and spaces", "Huawei unveils Ascend 910C chip, report says", "HUAWEI UNVEILS ASCEND 910C CHIP — REPORT SAYS", true},
		{"full width and curly quotes", "Nvidia’s H20 sales resume in China", "Ｎｖｉｄｉａ's H20 sales resume in China!", true},
		{"traditional and simplified Chinese", "華為發布新一代昇騰人工智能芯片", "华为发布新一代昇腾人工智能芯片", true},
		{"Chinese punctuation", "商务部：将多家中国实体列入出口管制清单", "商务部将多家中国实体列入出口管制清单", true},
		{"Arabic letter variants", "هواوي تكشف عن رقاقة جديدة للذكاء الاصطناعي", "هواوى تكشف عن رقاقة جديدة للذكاء الإصطناعي", true},
		// Cross-language negatives: one event, two languages, two stories.
		{"English and Chinese headline of one event", "Huawei unveils new Ascend AI chip", "华为发布新一代昇腾人工智能芯片", false},
		{"English and Arabic headline of one event", "Huawei unveils new AI chip in Shenzhen", "هواوي تكشف عن رقاقة جديدة للذكاء الاصطناعي", false},
		// Different stories with similar titles.
		{"one word differs", "US adds 12 Chinese firms to the Entity List", "US adds 23 Chinese firms to the Entity List", false},
		{"opposite news", "Nvidia H20 sales resume in China this week", "Nvidia H20 sales halted in China this week", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := StoryTitle(tt.a), StoryTitle(tt.b)
			if ka == "" || kb == "" {
				t.Fatalf("no key: %q → %q, %q → %q", tt.a, ka, tt.b, kb)
			}
			if (ka == kb) != tt.same {
				t.Errorf("StoryTitle(%q) = %q, StoryTitle(%q) = %q; same = %v, want %v", tt.a, ka, tt.b, kb, ka == kb, tt.same)
			}
		})
	}
	// Short titles say nothing about the story: same or similar, no key.
	for _, title := range []string{"", "Market wrap", "Daily AI news roundup", "Huawei results", "Huawei result",
		"快讯", "华为发布新芯片", "--- !!! ---", "Briefing: 12/04"} {
		if k := StoryTitle(title); k != "" {
			t.Errorf("StoryTitle(%q) = %q, want no key (too short)", title, k)
		}
	}
	// Twelve Chinese characters weigh as much as 24 letters.
	if StoryTitle("华为发布新一代人工智能芯") == "" {
		t.Error("a 12-character Chinese title has no key")
	}
	if StoryTitle("华为发布新一代人工智能") != "" {
		t.Error("an 11-character Chinese title has a key")
	}
}

func FuzzStoryLink(f *testing.F) {
	for _, s := range []string{"https://example.com/a?utm_source=x", "http://[::1]:80/a?b", "https://例子.测试/新闻?spm=1", "%zz", "https://a/%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, link string) {
		k := StoryLink(link)
		if k != "" && StoryLink("https://"+k) != k {
			t.Errorf("the key of %q is %q, but the key of its key is %q", link, k, StoryLink("https://"+k))
		}
	})
}

func BenchmarkStoryTitle(b *testing.B) {
	titles := []string{"Huawei unveils Ascend 910C accelerator for data centres", "华为发布用于数据中心的昇腾910C加速器", "هواوي تكشف عن رقاقة جديدة للذكاء الاصطناعي"}
	for i := 0; b.Loop(); i++ {
		StoryTitle(titles[i%len(titles)])
	}
}

func BenchmarkStoryLink(b *testing.B) {
	for b.Loop() {
		StoryLink("https://www.example.com/news/2026/12/04/huawei-ascend.html?utm_source=rss&utm_medium=feed&id=42")
	}
}

func BenchmarkStoryTitleLang(b *testing.B) {
	for _, tt := range []struct{ name, title string }{{"en", "Huawei unveils Ascend 910C accelerator for data centres"}, {"zh", "华为发布用于数据中心的昇腾910C加速器"}, {"ar", "هواوي تكشف عن رقاقة جديدة للذكاء الاصطناعي"}} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				StoryTitle(tt.title)
			}
		})
		b.Run(tt.name+"/fold", func(b *testing.B) {
			for b.Loop() {
				FoldText(tt.title, false)
			}
		})
	}
}
