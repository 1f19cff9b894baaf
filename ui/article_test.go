package ui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/reader"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

// fakeArticles is an ArticleSource with an article or an error per item.
type fakeArticles struct {
	mu    sync.Mutex
	err   error // for every item without an article
	arts  map[int64]store.Article
	calls []int64
}

func (f *fakeArticles) Article(_ context.Context, id int64) (store.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, id)
	if a, ok := f.arts[id]; ok {
		return a, nil
	}
	return store.Article{}, f.err
}

func TestArticleKey(t *testing.T) {
	src := uitest.New()
	arts := &fakeArticles{err: errors.New("article: unable to fetch the page: fetch: HTTP 404 Not Found"), arts: map[int64]store.Article{}}
	cfg := testConfig(src)
	cfg.Articles = arts
	m := start(t, cfg, 200, 120)
	m = press(m, "3") // the news, its first item in the reader
	it, ok := m.reader.Item()
	if !ok {
		t.Fatal("no item in the reader")
	}
	arts.arts[it.ID] = store.Article{ItemID: it.ID, Byline: "Jane Doe",
		Text:  "# The whole story\n\nFirst paragraph of the whole article, glorpwidget.\n\nSecond paragraph.",
		Links: []store.Link{{Text: "the report", URL: "https://example.com/report"}}}

	m = press(m, "b")
	if m.focus != paneReader {
		t.Errorf("b left the focus on pane %d, want the reader", m.focus)
	}
	s := screen(m)
	for _, want := range []string{"Article", "by Jane Doe", "# The whole story", "First paragraph of the whole article, glorpwidget.", "Second paragraph.", "[1] the report", "https://example.com/report"} {
		if !strings.Contains(s, want) {
			t.Errorf("the reader lacks %q:\n%s", want, s)
		}
	}
	if len(arts.calls) != 1 || arts.calls[0] != it.ID {
		t.Errorf("calls %v, want one for item %d", arts.calls, it.ID)
	}
	checkScreen(t, m, 200, 120)

	// Another item whose page fails: one line says why, the summary stays.
	m = press(m, "3", "j")
	other, ok := m.reader.Item()
	if !ok || other.ID == it.ID {
		t.Fatalf("no other item in the reader (%v)", ok)
	}
	m = press(m, "b")
	s = screen(m)
	if !strings.Contains(s, "! article unavailable: unable to fetch the page:") || !strings.Contains(s, "404 Not Found") {
		t.Errorf("no reason for the failed page:\n%s", s)
	}
	if sum := strings.Fields(other.Summary); len(sum) > 2 && !strings.Contains(s, strings.Join(sum[:3], " ")) {
		t.Errorf("the summary %q is gone:\n%s", other.Summary, s)
	}
	if strings.Contains(s, "glorpwidget") {
		t.Errorf("the first item's article shows on another item:\n%s", s)
	}
}

func TestArticleKeyElsewhere(t *testing.T) {
	src := uitest.New()
	cfg := testConfig(src)
	m := start(t, cfg, 120, 40)
	m = press(m, "3", "b")
	if !strings.Contains(screen(m), "articles are unavailable here") {
		t.Errorf("no note without an article source:\n%s", screen(m))
	}
	arts := &fakeArticles{arts: map[int64]store.Article{}}
	cfg.Articles = arts
	m = start(t, cfg, 120, 40)
	m = press(m, "b") // the alliances pane has the keyboard
	if len(arts.calls) != 0 || !strings.Contains(screen(m), "select a news item") {
		t.Errorf("b in the alliances pane: calls %v\n%s", arts.calls, screen(m))
	}
}

// TestArticleStale drops an article that arrives after the reader moved on.
func TestArticleStale(t *testing.T) {
	src := uitest.New()
	cfg := testConfig(src)
	m := start(t, cfg, 200, 120)
	m = press(m, "3")
	it, _ := m.reader.Item()
	arts := &fakeArticles{arts: map[int64]store.Article{it.ID: {ItemID: it.ID, Text: "A stale glorpwidget article text."}}}
	r, load := m.reader.LoadArticle(arts)
	m.reader = r
	msg := load()     // the answer, held back
	m = press(m, "j") // the reader moves on before it comes
	if _, ok := msg.(reader.ArticleLoadedMsg); !ok {
		t.Fatalf("LoadArticle's command returned %T", msg)
	}
	m = send(m, msg)
	if strings.Contains(screen(m), "glorpwidget") {
		t.Errorf("a stale article is shown:\n%s", screen(m))
	}
}
