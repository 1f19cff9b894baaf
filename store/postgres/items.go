package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// itemColumns are the columns Items reads, from items i joined with feeds
// fd and the user's marks m.
const itemColumns = `i.id, i.feed_id, fd.title, i.key, i.url, i.title, i.summary, i.author, i.lang, i.published, i.updated, i.fetched,
	coalesce(m.read, false), coalesce(m.starred, false), i.sanctions,
	ARRAY(SELECT t.kind || ':' || t.entity FROM item_tags t WHERE t.item_id = i.id AND t.kind IN ('firm', 'alliance')),
	` + alsoInSQL

// alsoInSQL is the titles of the feeds of an item's other copies,
// earliest first; NULL for an item alone.
const alsoInSQL = `CASE WHEN i.story <> 0 THEN ARRAY(
		SELECT CASE WHEN f2.title <> '' THEN f2.title ELSE f2.url END FROM items j JOIN feeds f2 ON f2.id = j.feed_id
		WHERE j.story = i.story AND j.story <> 0 AND j.id <> i.id ORDER BY j.published, j.id) END`

// Items returns the items that match f and no ignore rule, newest first,
// with their firm and alliance tags and the user's marks. Summary is
// included; content and mentions are not (use Item for the full text).
func (db *DB) Items(ctx context.Context, f store.Filter) ([]store.Item, error) {
	return db.items(ctx, f, true)
}

// items is Items, with the ignore rules applied or not.
func (db *DB) items(ctx context.Context, f store.Filter, ignore bool) ([]store.Item, error) {
	sql, args, err := db.itemsSQL(ctx, f, ignore)
	if err != nil {
		return nil, db.wrap("list items", err)
	}
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, db.wrap("list items", err)
	}
	defer rows.Close()
	var out []store.Item
	for rows.Next() {
		var it store.Item
		var pub, upd, fet int64
		var tags []string
		if err := rows.Scan(&it.ID, &it.FeedID, &it.FeedTitle, &it.Key, &it.URL, &it.Title, &it.Summary, &it.Author, &it.Lang,
			&pub, &upd, &fet, &it.Read, &it.Starred, &it.Sanctions, &tags, &it.AlsoIn); err != nil {
			return nil, db.wrap("list items", err)
		}
		if len(it.AlsoIn) == 0 {
			it.AlsoIn = nil
		}
		it.Published, it.Updated, it.Fetched = unixTime(pub), unixTime(upd), unixTime(fet)
		it.Firms, it.Alliances = splitItemTags(tags)
		out = append(out, it)
	}
	return out, db.wrap("list items", rows.Err())
}

// itemsSQL returns the query of Items and its arguments.
func (db *DB) itemsSQL(ctx context.Context, f store.Filter, ignore bool) (string, []any, error) {
	var q argList
	user := q.arg(db.user)
	s, err := db.selectItems(ctx, &q, f, ignore)
	if err != nil {
		return "", nil, err
	}
	page := ""
	if f.Limit > 0 {
		page = " LIMIT " + q.arg(f.Limit)
	}
	if f.Offset > 0 {
		page += " OFFSET " + q.arg(f.Offset)
	}
	return `SELECT ` + itemColumns + ` FROM ` + s.from + ` JOIN feeds fd ON fd.id = i.feed_id
		LEFT JOIN marks m ON m.username = ` + user + ` AND m.item_id = i.id` + s.where() + ` ORDER BY ` + s.order + page, q.args, nil
}

func unixTime(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// splitItemTags sorts "kind:entity" tags into firms and alliances.
func splitItemTags(tags []string) (firms, alliances []string) {
	for _, t := range tags {
		kind, id, _ := strings.Cut(t, ":")
		switch store.EntityKind(kind) {
		case store.KindFirm:
			firms = append(firms, id)
		case store.KindAlliance:
			alliances = append(alliances, id)
		}
	}
	sort.Strings(firms)
	sort.Strings(alliances)
	return firms, alliances
}

// CountItems counts the items that match f and no ignore rule, and how
// many of them the user has not read. Limit and Offset are ignored. Like
// lists, counts count each story once, unless f asks for every copy. The
// counts of all items, or of one firm or alliance, unread or not, are
// those of FirmCounts and AllianceCounts.
func (db *DB) CountItems(ctx context.Context, f store.Filter) (store.Counts, error) {
	f.Limit, f.Offset = 0, 0
	if kind, entity, ok := counted(f); ok {
		m, err := db.cachedCounts(ctx, kind)
		if err != nil {
			return store.Counts{}, db.wrap("count items", err)
		}
		c := store.Counts{Total: m[entity].Total, Unread: m[entity].Unread} // a tag never counted names no item
		if f.Unread == store.Yes {
			c.Total = c.Unread
		}
		return c, nil
	}
	c, err := db.countItems(ctx, f)
	return c, db.wrap("count items", err)
}

// countItems counts the items of f by a query.
func (db *DB) countItems(ctx context.Context, f store.Filter) (store.Counts, error) {
	var q argList
	user := q.arg(db.user)
	s, err := db.selectItems(ctx, &q, f, true)
	if err != nil {
		return store.Counts{}, err
	}
	var c store.Counts
	if f.CountUpTo <= 0 {
		err = db.pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE m.item_id IS NULL) FROM `+s.from+
			` LEFT JOIN marks m ON m.username = `+user+` AND m.item_id = `+s.item+` AND m.read`+s.where(), q.args...).Scan(&c.Total, &c.Unread)
		return c, err
	}
	// Count one past the cap, to tell "exactly the cap" from "more".
	err = db.pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE m.item_id IS NULL) FROM (SELECT `+s.item+` AS id FROM `+s.from+s.where()+
		` LIMIT `+q.arg(f.CountUpTo+1)+`) x LEFT JOIN marks m ON m.username = `+user+` AND m.item_id = x.id AND m.read`, q.args...).Scan(&c.Total, &c.Unread)
	return c.UpTo(f.CountUpTo), err
}

// counted is store.Filter.CounterKey, with the counters' kind names
// ("" for all items, "firm", "ally").
func counted(f store.Filter) (kind, entity string, ok bool) {
	k, entity, ok := f.CounterKey()
	if k == store.KindAlliance {
		return "ally", entity, ok // the counters' own name for alliances
	}
	return string(k), entity, ok
}

// storedMention is one mention as item_tags.mentions holds it, a JSON array
// per tag row, as on SQLite.
type storedMention struct {
	Alias string `json:"alias"`
	Field string `json:"field"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Item returns one item with its full text and mentions, ignored or not.
func (db *DB) Item(ctx context.Context, id int64) (store.Item, error) {
	items, err := db.items(ctx, store.Filter{IDs: []int64{id}}, false)
	if err != nil {
		return store.Item{}, err
	}
	if len(items) == 0 {
		return store.Item{}, fmt.Errorf("postgres: item %d: %w", id, store.ErrNotFound)
	}
	it := items[0]
	if err := db.pool.QueryRow(ctx, `SELECT content FROM items WHERE id = $1`, id).Scan(&it.Content); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return store.Item{}, fmt.Errorf("postgres: item %d: %w", id, store.ErrNotFound)
		}
		return it, db.wrap("read item", err)
	}
	rows, err := db.pool.Query(ctx, `SELECT kind, entity, mentions FROM item_tags WHERE item_id = $1 AND mentions <> ''`, id)
	if err != nil {
		return it, db.wrap("read mentions", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, entity, js string
		if err := rows.Scan(&kind, &entity, &js); err != nil {
			return it, db.wrap("read mentions", err)
		}
		var ms []storedMention
		if err := json.Unmarshal([]byte(js), &ms); err != nil {
			return it, fmt.Errorf("postgres: item %d: unreadable mentions: %w", id, err)
		}
		for _, m := range ms {
			it.Mentions = append(it.Mentions, store.Mention{Entity: entity, Kind: store.EntityKind(kind), Alias: m.Alias,
				Field: store.Field(m.Field), Start: m.Start, End: m.End})
		}
	}
	if err := rows.Err(); err != nil {
		return it, db.wrap("read mentions", err)
	}
	sort.Slice(it.Mentions, func(i, j int) bool {
		a, b := it.Mentions[i], it.Mentions[j]
		if a.Field != b.Field {
			return a.Field > b.Field // title, then summary, then content
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.Entity < b.Entity
	})
	return it, nil
}
