package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// Touch commits an empty write.
func Touch(ctx context.Context, db *DB) error {
	return db.tx(ctx, func(pgx.Tx) error { return nil })
}

// InsertFeed adds a feed row, for tests written before AddFeed.
func InsertFeed(ctx context.Context, db *DB, url, title string) (int64, error) {
	var id int64
	err := db.pool.QueryRow(ctx, `INSERT INTO feeds (url, title) VALUES ($1, $2) RETURNING id`, url, title).Scan(&id)
	return id, err
}

// TestItem is an item as InsertItems writes it: the item with its firms
// (kind 'firm'), alliances (kind 'alliance') and mentions, plus the
// alliance roll-up tags (kind 'ally') and its story.
type TestItem struct {
	store.Item
	Ally  []string
	Story int64
	Copy  int
}

// InsertItems writes items and their item_tags rows as the schema has
// them (search folded by searchText; published and copy mirrored on the
// tags), for tests written before SaveItems. It returns their IDs.
func InsertItems(ctx context.Context, db *DB, feedID int64, items []TestItem) ([]int64, error) {
	var ids []int64
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		for _, it := range items {
			var id int64
			if err := tx.QueryRow(ctx, `INSERT INTO items (feed_id, key, url, title, summary, content, author, lang, published,
				updated, fetched, sanctions, story, copy, search) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
				RETURNING id`, feedID, it.Key, it.URL, it.Title, it.Summary, it.Content, it.Author, it.Lang, it.Published.Unix(),
				unixOrZero(it.Updated), unixOrZero(it.Fetched), it.Sanctions, it.Story, it.Copy,
				searchText(it.Title, it.Summary, it.Content)).Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
			mentions := map[[2]string][]storedMention{}
			for _, m := range it.Mentions {
				k := [2]string{string(m.Kind), m.Entity}
				mentions[k] = append(mentions[k], storedMention{Alias: m.Alias, Field: string(m.Field), Start: m.Start, End: m.End})
			}
			tag := func(kind, entity string) error {
				js := ""
				if ms := mentions[[2]string{kind, entity}]; len(ms) > 0 {
					b, _ := json.Marshal(ms)
					js = string(b)
				}
				_, err := tx.Exec(ctx, `INSERT INTO item_tags (kind, entity, item_id, mentions, copy, published) VALUES ($1, $2, $3, $4, $5, $6)`,
					kind, entity, id, js, it.Copy, it.Published.Unix())
				return err
			}
			for _, f := range it.Firms {
				if err := tag("firm", f); err != nil {
					return err
				}
			}
			for _, a := range it.Alliances {
				if err := tag("alliance", a); err != nil {
					return err
				}
			}
			for _, a := range it.Ally {
				if err := tag("ally", a); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return ids, err
}

// InsertArticle adds an item's article text, searchable as SaveArticle
// would make it.
func InsertArticle(ctx context.Context, db *DB, itemID int64, title, text string) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO articles (item_id, title, text, search) VALUES ($1, $2, $3, $4)`,
		itemID, title, []byte(text), searchText(title, text))
	return err
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
