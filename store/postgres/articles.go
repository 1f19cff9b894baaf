package postgres

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// maxArticleText bounds an article's text read back from the store, so a
// corrupt or hostile row cannot inflate without end.
const maxArticleText = 8 << 20

// deflate compresses an article's text as store/sqlite does, so that
// articles move between the stores as they are.
func deflate(text string) ([]byte, error) {
	var z bytes.Buffer
	w, _ := flate.NewWriter(&z, flate.BestCompression)
	w.Write([]byte(text))
	if err := w.Close(); err != nil {
		return nil, err
	}
	return z.Bytes(), nil
}

// inflate returns the text of a compressed article.
func inflate(z []byte) (string, error) {
	text, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(z)), maxArticleText))
	return string(text), err
}

// SaveArticle keeps the article of item a.ItemID, over any it had: the
// text compressed, its search text in articles.search, and the item's
// tags, mentions and sanctions flag replaced by those of tags (derived
// from its feed text and the article together). Marks stay.
func (db *DB) SaveArticle(ctx context.Context, a store.Article, tags store.Item) error {
	a.Text = pgText(a.Text)
	z, err := deflate(a.Text)
	if err != nil {
		return fmt.Errorf("postgres: unable to compress article %d: %w", a.ItemID, err)
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
	err = db.retryTx(ctx, func(tx pgx.Tx) error {
		var copy bool
		var published int64
		err := tx.QueryRow(ctx, `SELECT copy <> 0, published FROM items WHERE id = $1 FOR NO KEY UPDATE`, a.ItemID).Scan(&copy, &published)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("item %d: %w", a.ItemID, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO articles (item_id, url, title, byline, lang, published, fetched, text, links, body_only, search)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (item_id) DO UPDATE SET url = excluded.url, title = excluded.title, byline = excluded.byline, lang = excluded.lang,
				published = excluded.published, fetched = excluded.fetched, text = excluded.text, links = excluded.links,
				body_only = excluded.body_only, search = excluded.search`,
			a.ItemID, pgText(a.URL), pgText(a.Title), pgText(a.Byline), pgText(a.Lang), unixOrZero(a.Published), unixOrZero(a.Fetched),
			z, pgText(string(lj)), pgText(string(bj)), searchText(a.Text)); err != nil {
			return err
		}
		members, err := memberships(ctx, tx)
		if err != nil {
			return err
		}
		if err := writeTags(ctx, tx, a.ItemID, published, copy, &tags, members); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE items SET sanctions = $1 WHERE id = $2 AND sanctions <> $1`, tags.Sanctions, a.ItemID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("postgres: %w", err)
	}
	return db.wrap("save the article", err)
}

// writeTags replaces an item's tag rows with those of it.
func writeTags(ctx context.Context, tx pgx.Tx, id, published int64, copy bool, it *store.Item, members map[string][]string) error {
	if err := lockItems(ctx, tx, []int64{id}); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM item_tags WHERE item_id = $1`, id); err != nil {
		return err
	}
	var b tagBuf
	b.add(id, published, copy, withAlly(it, itemTags(it), members))
	return b.flush(ctx, tx)
}

// Article returns the kept article of an item, or an error wrapping
// store.ErrNotFound when it has none.
func (db *DB) Article(ctx context.Context, itemID int64) (store.Article, error) {
	a := store.Article{ItemID: itemID}
	var pub, fetched int64
	var z []byte
	var lj, bj string
	err := db.pool.QueryRow(ctx, `SELECT url, title, byline, lang, published, fetched, text, links, body_only FROM articles WHERE item_id = $1`, itemID).
		Scan(&a.URL, &a.Title, &a.Byline, &a.Lang, &pub, &fetched, &z, &lj, &bj)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, fmt.Errorf("postgres: article of item %d: %w", itemID, store.ErrNotFound)
	}
	if err != nil {
		return a, db.wrap("read the article", err)
	}
	a.Published, a.Fetched = timeOrZero(pub), timeOrZero(fetched)
	text, err := inflate(z)
	if err != nil {
		return a, fmt.Errorf("postgres: article of item %d is unreadable: %w", itemID, err)
	}
	a.Text = text
	if err := json.Unmarshal([]byte(lj), &a.Links); err != nil {
		return a, fmt.Errorf("postgres: article of item %d has unreadable links: %w", itemID, err)
	}
	if err := json.Unmarshal([]byte(bj), &a.BodyOnly); err != nil {
		return a, fmt.Errorf("postgres: article of item %d has unreadable tags: %w", itemID, err)
	}
	return a, nil
}

// ItemsWithoutArticle returns the IDs of a feed's items fetched at or
// after since that have a web link and no kept article, newest first, at
// most limit.
func (db *DB) ItemsWithoutArticle(ctx context.Context, feedID int64, since time.Time, limit int) ([]int64, error) {
	rows, err := db.pool.Query(ctx, `SELECT i.id FROM items i WHERE i.feed_id = $1 AND i.fetched >= $2 AND i.url <> ''
		AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.item_id = i.id) ORDER BY i.published DESC, i.id DESC LIMIT $3`, feedID, since.Unix(), limit)
	if err != nil {
		return nil, db.wrap("list items without an article", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	return ids, db.wrap("list items without an article", err)
}
