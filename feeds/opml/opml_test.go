package opml

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store"
)

func sampleFeeds() []store.Feed {
	return []store.Feed{
		{URL: "https://chips.example.net/rss.xml", Title: "AI Chip Weekly", Lang: "en-US", Category: "China/Chips", Kind: "feed", Enabled: true, Source: store.SourceUser},
		{URL: "https://chips.example.net/notes/rss", Title: "Accelerator <Notes> & \"more\"", Category: "China/Chips", Kind: "feed", Enabled: true, Source: store.SourceUser},
		{URL: "https://xinzhi.example.org/atom.xml", Title: "新智观察", Lang: "zh-CN", Category: "China/模型", Kind: "feed", Enabled: false, Source: store.SourceUser},
		{URL: "https://zhineng.example.net/news/", Title: "智能芯闻", Lang: "zh-CN", Category: "China", Kind: "html", Enabled: true, Source: store.SourceUser,
			HTML: &store.HTMLRule{Item: "div.list_box ul.list li", Title: "a", Link: "a[href]", Date: "span.time", DateLayout: "2006-01-02 15:04"}},
		{URL: "https://arabic-ai.example.org/ar/rss", Title: "أخبار الذكاء الاصطناعي", Lang: "ar", Kind: "feed", Enabled: true, Source: store.SourceUser, UserAgent: "Mozilla/5.0 (compatible)"},
		{URL: "http://untitled.example.com/feed", Kind: "feed", Enabled: true, Source: store.SourceUser},
	}
}

func TestRoundTripFeeds(t *testing.T) {
	feeds := sampleFeeds()
	var buf bytes.Buffer
	if err := Write(&buf, "aiwatch feeds", feeds); err != nil {
		t.Fatal(err)
	}
	got, err := Read(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, feeds) {
		t.Errorf("import(export(feeds)) differs:\n got %+v\nwant %+v\n%s", got, feeds, buf.String())
	}
}

func TestRoundTripDocument(t *testing.T) {
	var first bytes.Buffer
	if err := Write(&first, "aiwatch feeds", sampleFeeds()); err != nil {
		t.Fatal(err)
	}
	feeds, err := Read(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	if err := Write(&second, "aiwatch feeds", feeds); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Errorf("export(import(x)) != x:\n%s\n---\n%s", first.String(), second.String())
	}
	for _, want := range []string{
		`<opml version="2.0" xmlns:aiwatch="` + Namespace + `">`,
		`<outline text="China">`,
		`<outline text="Chips">`,
		`type="rss" xmlUrl="https://chips.example.net/rss.xml" language="en-US"`,
		`type="link" url="https://zhineng.example.net/news/" aiwatch:item="div.list_box ul.list li"`,
		`aiwatch:enabled="false"`,
		`title="Accelerator &lt;Notes&gt; &amp; &#34;more&#34;"`,
	} {
		if !strings.Contains(first.String(), want) {
			t.Errorf("export lacks %s:\n%s", want, first.String())
		}
	}
}

func TestWriteGroupsCategories(t *testing.T) {
	feeds := []store.Feed{
		{URL: "https://a.example/1", Title: "1", Category: "A", Kind: "feed", Enabled: true, Source: store.SourceUser},
		{URL: "https://b.example/2", Title: "2", Category: "B", Kind: "feed", Enabled: true, Source: store.SourceUser},
		{URL: "https://a.example/3", Title: "3", Category: "A", Kind: "feed", Enabled: true, Source: store.SourceUser},
		{URL: "https://c.example/4", Title: "4", Kind: "feed", Enabled: true, Source: store.SourceUser},
	}
	var buf bytes.Buffer
	if err := Write(&buf, "t", feeds); err != nil {
		t.Fatal(err)
	}
	got, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Feed{feeds[0], feeds[2], feeds[1], feeds[3]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestReadForeign(t *testing.T) {
	f, err := os.Open("testdata/foreign.opml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ URL, Title, Lang, Category string }
	want := []row{
		{"https://chips.example.net/rss.xml", "AI Chip Weekly", "en-us", "China/Chips"},
		{"https://chips.example.net/notes/rss", "Accelerator Notes (mirror)", "", "China/Chips"},
		{"https://aiwire.example.com/models/feed", "Model & Notes", "", "China/Models"},
		{"http://flat.example.org/feed", "Flat", "", "Policy/US"},
		{"https://evil.example.com/feed", "Title with override", "", ""},
	}
	var rows []row
	for _, f := range got {
		rows = append(rows, row{f.URL, f.Title, f.Lang, f.Category})
		if f.Kind != "feed" || !f.Enabled || f.Source != store.SourceUser {
			t.Errorf("%s: Kind %q Enabled %v Source %q", f.URL, f.Kind, f.Enabled, f.Source)
		}
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got  %+v\nwant %+v", rows, want)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		wantErr error
	}{
		{"not OPML", `<rss version="2.0"><channel/></rss>`, ErrNotOPML},
		{"HTML", `<html><body><outline xmlUrl="https://x.example/"/></body></html>`, ErrNotOPML},
		{"empty", ``, ErrNotOPML},
		{"garbage", `{"json": true}`, ErrNotOPML},
		{"plain text", "hello\n", ErrNotOPML},
		{"broken XML", `<opml><body><outline text="a"></body>`, ErrNotOPML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feeds, err := Read(strings.NewReader(tt.doc))
			if err == nil {
				t.Fatalf("Read succeeded with %d feeds", len(feeds))
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "EOF") {
				t.Errorf("err = %v: EOF says nothing to a user", err)
			}
		})
	}
}

func TestReadEntityBomb(t *testing.T) {
	doc := `<?xml version="1.0"?>
<!DOCTYPE opml [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<opml version="2.0"><body><outline text="&c;&xxe;" xmlUrl="https://x.example/feed"/></body></opml>`
	feeds, err := Read(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 1 {
		t.Fatalf("got %d feeds", len(feeds))
	}
	if title := feeds[0].Title; len(title) > 64 || strings.Contains(title, "root:") {
		t.Errorf("entities expanded: title %q", title)
	}
}
