package sqlite

import (
	"bytes"
	"compress/flate"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// maxArticleText bounds an article's text read back from the store, so a
// corrupt or hostile row cannot inflate without end.
const maxArticleText = 8 << 20

// SaveArticle keeps the article of item a.ItemID, over any it had: the
// text compressed, indexed for search, and the item's tags, mentions and
// sanctions flag replaced by those of tags (derived from its feed text
// and the article together). Read and starred marks stay.
func (db *DB) SaveArticle(ctx context.Context, a store.Article, tags store.Item) error {
	var z bytes.Buffer
	w, _ := flate.NewWriter(&z, flate.BestCompression)
	w.Write([]byte(a.Text))
	if err := w.Close(); err != nil {
		return fmt.Errorf("sqlite: unable to compress article %d: %w", a.ItemID, err)
	}
	links := a.Links
	if links == nil {
		links = []store.Link{}
	}
	lj, _ := json.Marshal(links)
	bodyOnly := a.BodyOnly
	if bodyOnly == nil {
		bodyOnly = []string{}
	}
	bj, _ := json.Marshal(bodyOnly)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var read, copy bool
		err := tx.QueryRowContext(ctx, `SELECT read, copy FROM items WHERE id = ?`, a.ItemID).Scan(&read, &copy)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("item %d: %w", a.ItemID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO articles (item_id, url, title, byline, lang, published, fetched, text, links, body_only)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ItemID, a.URL, a.Title, a.Byline, a.Lang, unixOrZero(a.Published), unixOrZero(a.Fetched),
			z.Bytes(), string(lj), string(bj)); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM articles_fts WHERE rowid = ?`, `DELETE FROM articles_words WHERE rowid = ?`} {
			if _, err := tx.ExecContext(ctx, q, a.ItemID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO articles_fts (rowid, text) VALUES (?, ?)`, a.ItemID, a.Text); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO articles_words (rowid, text) VALUES (?, ?)`, a.ItemID, spaceCJK(a.Text)); err != nil {
			return err
		}
		s, err := db.prepareItemStmts(ctx, tx)
		if err != nil {
			return err
		}
		if err := s.writeTags(ctx, a.ItemID, &tags, !read, copy); err != nil {
			return err
		}
		if err := s.flushTags(ctx); err != nil {
			return err
		}
		if err := s.flushCounts(ctx); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE items SET sanctions = ? WHERE id = ? AND sanctions <> ?`, tags.Sanctions, a.ItemID, tags.Sanctions)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("sqlite: %w", err)
	}
	return db.wrap("save the article", err)
}

// Article returns the kept article of an item, or an error wrapping
// store.ErrNotFound when it has none.
func (db *DB) Article(ctx context.Context, itemID int64) (store.Article, error) {
	a := store.Article{ItemID: itemID}
	var pub, fetched int64
	var z []byte
	var lj, bj string
	err := db.db.QueryRowContext(ctx, `SELECT url, title, byline, lang, published, fetched, text, links, body_only FROM articles WHERE item_id = ?`, itemID).
		Scan(&a.URL, &a.Title, &a.Byline, &a.Lang, &pub, &fetched, &z, &lj, &bj)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("sqlite: article of item %d: %w", itemID, store.ErrNotFound)
	}
	if err != nil {
		return a, db.wrap("read the article", err)
	}
	a.Published, a.Fetched = fromUnix(pub), fromUnix(fetched)
	text, err := inflate(z)
	if err != nil {
		return a, fmt.Errorf("sqlite: article of item %d is unreadable: %w", itemID, err)
	}
	a.Text = text
	if err := json.Unmarshal([]byte(lj), &a.Links); err != nil {
		return a, fmt.Errorf("sqlite: article of item %d has unreadable links: %w", itemID, err)
	}
	if err := json.Unmarshal([]byte(bj), &a.BodyOnly); err != nil {
		return a, fmt.Errorf("sqlite: article of item %d has unreadable tags: %w", itemID, err)
	}
	return a, nil
}

// inflate returns the text of a compressed article.
func inflate(z []byte) (string, error) {
	text, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(z)), maxArticleText))
	return string(text), err
}

// searchesArticles reports whether f searches text and any item has an
// article, so that searches of a store without articles keep their plans
// as they were.
func (db *DB) searchesArticles(ctx context.Context, f store.Filter) (bool, error) {
	if len(f.Text) == 0 {
		return false, nil
	}
	var ok bool
	err := db.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM articles)`).Scan(&ok)
	return ok, err
}

// articleMatch returns the condition that item i's article holds term,
// and its argument. The article indexes keep positions, so a phrase
// query decides alone: a string of three or more characters matches as
// a substring in the trigram index; a shorter one as a run of words and
// CJK characters in the word index.
func articleMatch(term string) (string, any) {
	if len([]rune(term)) >= 3 {
		return `i.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)`, ftsString(term)
	}
	return `i.id IN (SELECT rowid FROM articles_words WHERE articles_words MATCH ?)`, ftsString(strings.Join(strings.Fields(spaceCJK(term)), " "))
}

// ItemsWithoutArticle returns the IDs of a feed's items fetched at or
// after since that have a web link and no kept article, newest first, at
// most limit: what a fetch run brings the articles of when the feed is
// set to store.BodiesAlways.
func (db *DB) ItemsWithoutArticle(ctx context.Context, feedID int64, since time.Time, limit int) ([]int64, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT i.id FROM items i WHERE i.feed_id = ? AND i.fetched >= ? AND i.url <> ''
		AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.item_id = i.id) ORDER BY i.published DESC, i.id DESC LIMIT ?`, feedID, since.Unix(), limit)
	if err != nil {
		return nil, db.wrap("list items without an article", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, db.wrap("list items without an article", err)
		}
		out = append(out, id)
	}
	return out, db.wrap("list items without an article", rows.Err())
}
