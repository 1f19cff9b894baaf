package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/aiwatch/aiwatch/store"
)

// exportBatch is how many items ExportItems hands over at a time.
const exportBatch = 500

// ExportItems calls fn with every feed and its items, a batch of at most
// exportBatch at a time, oldest first: each item whole (text, read and
// starred marks, firms, alliances and mentions), for aiwatch migrate to
// copy the store into another. A feed without items is handed over once
// with none. It stops at fn's first error and returns it.
func (db *DB) ExportItems(ctx context.Context, fn func(feed store.Feed, items []store.Item) error) error {
	rows, err := db.db.QueryContext(ctx, `SELECT `+feedColumns+` FROM feeds f ORDER BY f.id`)
	if err != nil {
		return db.wrap("read feeds", err)
	}
	var fs []store.Feed
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			rows.Close()
			return db.wrap("read feeds", err)
		}
		fs = append(fs, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return db.wrap("read feeds", err)
	}
	for _, f := range fs {
		var after int64
		for first := true; ; first = false {
			items, err := db.exportBatch(ctx, f, after)
			if err != nil {
				return err
			}
			if len(items) == 0 && !first {
				break
			}
			if err := fn(f, items); err != nil {
				return err
			}
			if len(items) < exportBatch {
				break
			}
			after = items[len(items)-1].ID
		}
	}
	return nil
}

// exportBatch reads the items of f after the ID after, with their tags.
func (db *DB) exportBatch(ctx context.Context, f store.Feed, after int64) ([]store.Item, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, key, url, title, summary, content, author, lang,
		published, updated, fetched, read, starred, sanctions
		FROM items WHERE feed_id = ? AND id > ? ORDER BY id LIMIT ?`, f.ID, after, exportBatch)
	if err != nil {
		return nil, db.wrap("read items", err)
	}
	var items []store.Item
	at := map[int64]int{}
	for rows.Next() {
		it := store.Item{FeedID: f.ID, FeedTitle: f.Title}
		var published, updated, fetched int64
		if err := rows.Scan(&it.ID, &it.Key, &it.URL, &it.Title, &it.Summary, &it.Content, &it.Author, &it.Lang,
			&published, &updated, &fetched, &it.Read, &it.Starred, &it.Sanctions); err != nil {
			rows.Close()
			return nil, db.wrap("read items", err)
		}
		it.Published, it.Updated, it.Fetched = fromUnix(published), fromUnix(updated), fromUnix(fetched)
		at[it.ID] = len(items)
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.wrap("read items", err)
	}
	if len(items) == 0 {
		return nil, nil
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = fmt.Sprint(it.ID)
	}
	b, _ := json.Marshal(ids)
	tags, err := db.db.QueryContext(ctx, `SELECT item_id, kind, entity, mentions FROM item_tags
		WHERE item_id IN (SELECT value FROM json_each(?)) AND kind IN ('firm', 'alliance')`, string(b))
	if err != nil {
		return nil, db.wrap("read tags", err)
	}
	defer tags.Close()
	for tags.Next() {
		var id int64
		var kind, entity, js string
		if err := tags.Scan(&id, &kind, &entity, &js); err != nil {
			return nil, db.wrap("read tags", err)
		}
		it := &items[at[id]]
		switch store.EntityKind(kind) {
		case store.KindFirm:
			it.Firms = append(it.Firms, entity)
		case store.KindAlliance:
			it.Alliances = append(it.Alliances, entity)
		}
		if js == "" {
			continue
		}
		var ms []store.MentionJSON
		if err := json.Unmarshal([]byte(js), &ms); err != nil {
			return nil, fmt.Errorf("sqlite: item %d: unreadable mentions: %w", id, err)
		}
		for _, m := range ms {
			it.Mentions = append(it.Mentions, store.Mention{Entity: entity, Kind: store.EntityKind(kind), Alias: m.Alias,
				Field: store.Field(m.Field), Start: m.Start, End: m.End})
		}
	}
	if err := tags.Err(); err != nil {
		return nil, db.wrap("read tags", err)
	}
	for i := range items {
		sort.Strings(items[i].Firms)
		sort.Strings(items[i].Alliances)
		sort.SliceStable(items[i].Mentions, func(a, b int) bool {
			x, y := items[i].Mentions[a], items[i].Mentions[b]
			if x.Field != y.Field {
				return strings.Compare(string(x.Field), string(y.Field)) > 0
			}
			return x.Start < y.Start
		})
	}
	return items, nil
}
