package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/feeds"
	"github.com/aiwatch/aiwatch/feeds/extract"
	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/store"
)

// articleJSON is an article as extract --json and article --json print it.
type articleJSON struct {
	ItemID     int64        `json:"item_id,omitempty"`
	URL        string       `json:"url"`
	Title      string       `json:"title"`
	Byline     string       `json:"byline"`
	Published  string       `json:"published,omitempty"`
	Lang       string       `json:"lang"`
	Paragraphs []string     `json:"paragraphs"`
	Links      []store.Link `json:"links"`
	Fetched    string       `json:"fetched,omitempty"`
	BodyOnly   []string     `json:"body_only,omitempty"`
}

func toArticleJSON(a store.Article) articleJSON {
	out := articleJSON{ItemID: a.ItemID, URL: a.URL, Title: a.Title, Byline: a.Byline, Lang: a.Lang,
		Paragraphs: strings.Split(a.Text, "\n\n"), Links: a.Links, BodyOnly: a.BodyOnly}
	if a.Text == "" {
		out.Paragraphs = []string{}
	}
	if out.Links == nil {
		out.Links = []store.Link{}
	}
	if !a.Published.IsZero() {
		out.Published = a.Published.UTC().Format(time.RFC3339)
	}
	if !a.Fetched.IsZero() {
		out.Fetched = a.Fetched.UTC().Format(time.RFC3339)
	}
	return out
}

// writeArticle prints an article for people: a header of its metadata,
// the text as it is (paragraphs, headings marked with #), then the links
// numbered.
func (a *app) writeArticle(w io.Writer, art store.Article) {
	if art.Title != "" {
		fmt.Fprintln(w, a.style(styleHeader, art.Title))
	}
	var meta []string
	if art.Byline != "" {
		meta = append(meta, "by "+art.Byline)
	}
	if !art.Published.IsZero() {
		meta = append(meta, art.Published.UTC().Format("2006-01-02"))
	}
	if art.Lang != "" {
		meta = append(meta, art.Lang)
	}
	if art.URL != "" {
		meta = append(meta, art.URL)
	}
	if len(meta) > 0 {
		fmt.Fprintln(w, a.style(styleDim, strings.Join(meta, " · ")))
	}
	if len(art.BodyOnly) > 0 {
		fmt.Fprintln(w, a.style(styleDim, "named only in the article: "+strings.Join(art.BodyOnly, ", ")))
	}
	fmt.Fprintf(w, "\n%s\n", art.Text)
	if len(art.Links) > 0 {
		fmt.Fprintf(w, "\n%s\n", a.style(styleHeader, "Links"))
		for i, l := range art.Links {
			text := l.Text
			if text == "" {
				text = l.URL
			}
			fmt.Fprintf(w, "[%d] %s\n    %s\n", i+1, text, l.URL)
		}
	}
}

// maxExtractFile bounds a file given to extract, as the client bounds a page.
const maxExtractFile = fetch.DefaultMaxBody

func cmdExtract(a *app, args []string) error {
	fs := a.flags("extract")
	base := fs.String("url", "", "the page's address `BASE`, against which its links are resolved (a URL argument is its own)")
	asJSON := fs.Bool("json", false, "print JSON")
	timeout := fs.Duration("timeout", a.cfg.Feeds.Timeout, "total time allowed for fetching a URL")
	pos, err := a.parse(fs, "extract", args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"extract takes one FILE or http(s) URL, e.g. aiwatch extract page.html --url https://example.com/news/1"}
	}
	src := pos[0]
	var body []byte
	contentType, pageURL := "", *base
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		resp, err := a.httpClient(*timeout).Fetch(a.ctx, fetch.Request{URL: src})
		if err != nil {
			return err
		}
		body, contentType, pageURL = resp.Body, resp.ContentType, resp.URL
	} else {
		f, err := os.Open(src)
		if err != nil {
			return fmt.Errorf("unable to read %s: %w", src, errors.Unwrap(err))
		}
		body, err = io.ReadAll(io.LimitReader(f, maxExtractFile+1))
		f.Close()
		if err != nil {
			return fmt.Errorf("unable to read %s: %w", src, err)
		}
		if len(body) > maxExtractFile {
			return fmt.Errorf("%s is larger than %d MiB", src, maxExtractFile>>20)
		}
	}
	art, err := extract.Extract(body, contentType, pageURL)
	if err != nil {
		return fmt.Errorf("%s: %w", src, errors.Unwrap(err))
	}
	if *asJSON {
		return writeJSON(a.stdout, toArticleJSON(art))
	}
	a.writeArticle(a.stdout, art)
	return nil
}

// articles wires feeds.Articles to the store, the one client and the
// matcher.
func (a *app) articles(timeout time.Duration) (*feeds.Articles, error) {
	db, err := a.store()
	if err != nil {
		return nil, err
	}
	m, err := a.matcher()
	if err != nil {
		return nil, err
	}
	return feeds.NewArticles(db, a.httpClient(timeout), m, a.now), nil
}

func cmdArticle(a *app, args []string) error {
	fs := a.flags("article")
	asJSON := fs.Bool("json", false, "print JSON")
	refresh := fs.Bool("refresh", false, "fetch the page again even if its article is kept")
	timeout := fs.Duration("timeout", a.cfg.Feeds.Timeout, "total time allowed for fetching the page")
	pos, err := a.parse(fs, "article", args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"article takes one item ID (see aiwatch items)"}
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return usageError{fmt.Sprintf("%q is not an item ID", pos[0])}
	}
	arts, err := a.articles(*timeout)
	if err != nil {
		return err
	}
	var art store.Article
	if *refresh {
		art, err = arts.Fetch(a.ctx, id)
	} else {
		art, err = arts.Article(a.ctx, id)
	}
	if err != nil {
		return a.articleFailed(id, err, *asJSON)
	}
	if *asJSON {
		return writeJSON(a.stdout, toArticleJSON(art))
	}
	a.writeArticle(a.stdout, art)
	return nil
}

// articleFailed shows the item's title and summary, and returns the
// one-line reason: the summary stays when the page cannot be read. A kept article from before
// is shown instead of the summary when there is one.
func (a *app) articleFailed(id int64, reason error, asJSON bool) error {
	it, err := a.db.Item(a.ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no item %d (see aiwatch items)", id)
	}
	if err != nil {
		return err
	}
	line := store.CleanLine(userMessage(reason), 300)
	if kept, kerr := a.db.Article(a.ctx, id); kerr == nil {
		fmt.Fprintf(a.stderr, "aiwatch: %s (showing the article kept from %s)\n", line, kept.Fetched.Format("2006-01-02 15:04"))
		if asJSON {
			return writeJSON(a.stdout, toArticleJSON(kept))
		}
		a.writeArticle(a.stdout, kept)
		return nil
	}
	if asJSON {
		writeJSON(a.stdout, map[string]any{"item_id": id, "title": it.Title, "summary": it.Summary, "url": it.URL, "error": line})
	} else {
		// The reason goes to stderr, once, as every command's error does.
		fmt.Fprintln(a.stdout, a.style(styleHeader, store.CleanLine(it.Title, 500)))
		if it.Summary != "" {
			fmt.Fprintf(a.stdout, "\n%s\n", store.CleanBody(it.Summary, 0))
		}
	}
	return fmt.Errorf("%s", line)
}
