package postgres

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// Test helpers of the read path: items written as the schema has them,
// until SaveItems is there, and plans.

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
	err := db.tx(ctx, func(tx pgx.Tx) error { // moving the data version, as SaveItems does
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
	return db.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO articles (item_id, title, text, search) VALUES ($1, $2, $3, $4)`,
			itemID, title, []byte(text), searchText(title, text))
		return err
	})
}

// ExplainItems returns PostgreSQL's plan of Items(f).
func ExplainItems(ctx context.Context, db *DB, f store.Filter) (string, error) {
	sql, args, err := db.itemsSQL(ctx, f, true)
	if err != nil {
		return "", err
	}
	rows, err := db.pool.Query(ctx, `EXPLAIN `+sql, args...)
	if err != nil {
		return "", err
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return strings.Join(lines, "\n"), err
}

// FillItems writes n items over two feeds in a few statements, for
// benchmarks and plan checks, newest first from newest, one a minute.
// Every fifth title names 华为, 摩尔线程 once in 1,000; one in 20 items
// is a later copy of the item before it. Tags: huawei on half the items,
// biren on a tenth, sensetime on one in forty, and each item one of 30
// other firms (f0…f29); model-chip rolls up huawei and biren. user has
// read one item in three and starred one in fifty. It leaves the tables analysed and vacuumed.
func FillItems(ctx context.Context, db *DB, n int, newest time.Time, user string) error {
	for _, q := range []string{
		`INSERT INTO feeds (url, title) VALUES ('https://fill-a.example.org/', 'Fill A'), ('https://fill-b.example.org/', 'Fill B')`,
		`INSERT INTO items (feed_id, key, title, summary, published, fetched, story, copy, sanctions, lang)
			SELECT (SELECT min(id) FROM feeds WHERE url LIKE 'https://fill-%') + g % 2, g::text,
				'Item ' || g || ' on ' || (ARRAY['华为 chips', 'Ascend compute', 'a market note', 'AI lab news', 'export controls'])[g % 5 + 1]
					|| CASE WHEN g % 1000 = 7 THEN ' 摩尔线程' ELSE '' END || CASE WHEN g % 1000 = 9 THEN ' q7 deal' ELSE '' END,
				'summary of item ' || g, $1 - g * 60, $1, CASE WHEN g % 20 IN (0, 1) THEN g / 20 + 1 ELSE 0 END,
				CASE WHEN g % 20 = 1 THEN 1 ELSE 0 END, g % 9 = 0, (ARRAY['en', 'zh', 'zh-CN', 'ar'])[g % 4 + 1]
			FROM generate_series(1, $2) g`,
		`UPDATE items SET search = lower(title || E'\n' || summary || E'\n' || content) WHERE key ~ '^[0-9]+$'`,
		`INSERT INTO item_tags (kind, entity, item_id, copy, published)
			SELECT 'firm', 'huawei', id, copy, published FROM items WHERE key::bigint % 2 = 0
			UNION ALL SELECT 'firm', 'biren', id, copy, published FROM items WHERE key::bigint % 10 = 3
			UNION ALL SELECT 'firm', 'sensetime', id, copy, published FROM items WHERE key::bigint % 40 = 5
			UNION ALL SELECT 'firm', 'f' || (key::bigint % 30), id, copy, published FROM items
			UNION ALL SELECT 'ally', 'model-chip', id, copy, published FROM items WHERE key::bigint % 2 = 0 OR key::bigint % 10 = 3`,
		`INSERT INTO marks (username, item_id, read, starred) SELECT $3, id, id % 3 = 0, id % 50 = 0 FROM items WHERE id % 3 = 0 OR id % 50 = 0`,
	} {
		var args []any
		switch {
		case strings.Contains(q, "$3"):
			args = []any{user}
			q = strings.ReplaceAll(q, "$3", "$1")
		case strings.Contains(q, "$2"):
			args = []any{newest.Unix(), n}
		}
		if _, err := db.pool.Exec(ctx, q, args...); err != nil {
			return err
		}
	}
	_, err := db.pool.Exec(ctx, `VACUUM ANALYZE`)
	return err
}

// TagCounts is FirmCounts (kind "firm") or AllianceCounts ("ally")
// without the cache: what a refresh after a write costs.
func TagCounts(ctx context.Context, db *DB, kind string) (map[string]store.Counts, error) {
	return db.tagCounts(ctx, kind)
}

// CounterCounts is FirmCounts (kind "firm"), AllianceCounts ("ally") or
// the count of all items ("") read from the counters, without the cache.
func CounterCounts(ctx context.Context, db *DB, kind string) (map[string]store.Counts, error) {
	return db.counterCounts(ctx, kind)
}
