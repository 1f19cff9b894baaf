package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// MergeResult is what MergeItems did.
type MergeResult struct {
	// FeedID is the feed's ID in this store; FeedAdded says it was new.
	FeedID    int64
	FeedAdded bool
	// Added counts the items that were new; the others were here already
	// and are left as they are.
	Added int
	// IDs are the items' IDs in this store, in the order given.
	IDs []int64
}

// mergeMention is one match as item_tags.mentions holds it, in the JSON
// that store/sqlite writes.
type mergeMention struct {
	Alias string `json:"alias"`
	Field string `json:"field"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// MergeItems copies items of the feed f from another store into this one
// (aiwatch migrate), in one transaction that notifies like every write.
// The feed is found by its URL, or added with f's settings. An item is
// found by its identity in the feed (its key) and is never written twice:
// one that is here already keeps its text and tags, so that merging again
// changes nothing. A new item gets its text, search text, firm and
// alliance tags with their mentions, and the alliance roll-up through
// this store's memberships. The items' read and starred marks are added
// to this handle's user's (a mark here is kept: marks only add).
func (db *DB) MergeItems(ctx context.Context, f store.Feed, items []store.Item) (MergeResult, error) {
	var res MergeResult
	err := db.tx(ctx, func(tx pgx.Tx) error {
		res = MergeResult{}
		var err error
		res.FeedID, res.FeedAdded, err = mergeFeed(ctx, tx, f)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return nil
		}
		n := len(items)
		keys := make([]string, n)
		urls, titles, summaries, contents := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		authors, langs, searches := make([]string, n), make([]string, n), make([]string, n)
		published, updated, fetched := make([]int64, n), make([]int64, n), make([]int64, n)
		sanctions := make([]bool, n)
		for i, it := range items {
			keys[i] = noNUL(it.Key)
			urls[i], titles[i], summaries[i], contents[i] = noNUL(it.URL), noNUL(it.Title), noNUL(it.Summary), noNUL(it.Content)
			authors[i], langs[i] = noNUL(it.Author), noNUL(it.Lang)
			searches[i] = searchText(titles[i], summaries[i], contents[i])
			published[i], updated[i], fetched[i] = unixOr0(it.Published), unixOr0(it.Updated), unixOr0(it.Fetched)
			sanctions[i] = it.Sanctions
		}
		rows, err := tx.Query(ctx, `INSERT INTO items (feed_id, key, url, title, summary, content, author, lang,
				published, updated, fetched, sanctions, search)
			SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
				$9::bigint[], $10::bigint[], $11::bigint[], $12::boolean[], $13::text[])
			ON CONFLICT (feed_id, key) DO NOTHING
			RETURNING id, key`,
			res.FeedID, keys, urls, titles, summaries, contents, authors, langs, published, updated, fetched, sanctions, searches)
		if err != nil {
			return err
		}
		added := map[string]int64{}
		for rows.Next() {
			var id int64
			var key string
			if err := rows.Scan(&id, &key); err != nil {
				rows.Close()
				return err
			}
			added[key] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		res.Added = len(added)
		ids := map[string]int64{}
		rows, err = tx.Query(ctx, `SELECT id, key FROM items WHERE feed_id = $1 AND key = ANY($2)`, res.FeedID, keys)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var key string
			if err := rows.Scan(&id, &key); err != nil {
				rows.Close()
				return err
			}
			ids[key] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		res.IDs = make([]int64, n)
		var (
			tagKind, tagEntity, tagMentions []string
			tagItem, tagPublished           []int64
			newIDs                          []int64
			markItem                        []int64
			markRead, markStarred           []bool
		)
		for i, it := range items {
			id := ids[keys[i]]
			res.IDs[i] = id
			if it.Read || it.Starred {
				markItem, markRead, markStarred = append(markItem, id), append(markRead, it.Read), append(markStarred, it.Starred)
			}
			if added[keys[i]] != id {
				continue // here already: its tags stay as they are
			}
			newIDs = append(newIDs, id)
			for _, tag := range mergeTags(&it) {
				tagKind, tagEntity, tagMentions = append(tagKind, tag[0]), append(tagEntity, tag[1]), append(tagMentions, tag[2])
				tagItem, tagPublished = append(tagItem, id), append(tagPublished, published[i])
			}
		}
		if len(tagItem) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO item_tags (kind, entity, item_id, mentions, copy, published)
				SELECT k, e, i, m, 0, p FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[]) AS t (k, e, i, m, p)
				ON CONFLICT DO NOTHING`, tagKind, tagEntity, tagItem, tagMentions, tagPublished); err != nil {
				return err
			}
		}
		if len(newIDs) > 0 {
			// The alliance roll-up: every alliance an item names, or
			// names a member of, as this store's memberships have it.
			if _, err := tx.Exec(ctx, `INSERT INTO item_tags (kind, entity, item_id, copy, published)
				SELECT 'ally', m.alliance_id, t.item_id, t.copy, t.published
					FROM item_tags t JOIN memberships m ON m.firm_id = t.entity
					WHERE t.kind = 'firm' AND t.item_id = ANY($1)
				UNION
				SELECT 'ally', t.entity, t.item_id, t.copy, t.published
					FROM item_tags t WHERE t.kind = 'alliance' AND t.item_id = ANY($1)
				ON CONFLICT DO NOTHING`, newIDs); err != nil {
				return err
			}
		}
		if len(markItem) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO marks (username, item_id, read, starred)
				SELECT $1, i, r, s FROM unnest($2::bigint[], $3::boolean[], $4::boolean[]) AS t (i, r, s)
				ON CONFLICT (username, item_id) DO UPDATE
					SET read = marks.read OR excluded.read, starred = marks.starred OR excluded.starred`,
				db.user, markItem, markRead, markStarred); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return MergeResult{}, db.wrap("merge the items of "+store.CleanLine(f.URL, 200), err)
	}
	return res, nil
}

// mergeFeed finds the feed with f's URL, or adds it with f's settings.
func mergeFeed(ctx context.Context, tx pgx.Tx, f store.Feed) (id int64, added bool, err error) {
	if err := tx.QueryRow(ctx, `SELECT id FROM feeds WHERE url = $1`, f.URL).Scan(&id); err == nil {
		return id, false, nil
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return 0, false, err
	}
	var rule string
	if f.HTML != nil {
		b, err := json.Marshal(f.HTML)
		if err != nil {
			return 0, false, err
		}
		rule = string(b)
	}
	kind := string(f.Kind)
	if kind == "" {
		kind = string(store.KindFeed)
	}
	source := f.Source
	if source == "" {
		source = store.SourceUser
	}
	err = tx.QueryRow(ctx, `INSERT INTO feeds (url, title, lang, category, kind, enabled, source, user_agent, html_rule,
			poll_interval, max_body, timeout)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		noNUL(f.URL), noNUL(f.Title), noNUL(f.Lang), noNUL(f.Category), kind, f.Enabled, source, noNUL(f.UserAgent), rule,
		int64(f.Interval.Seconds()), f.MaxBody, f.Timeout.Milliseconds()).Scan(&id)
	if err != nil {
		return 0, false, err
	}
	if f.Bodies == "always" || f.Bodies == "never" {
		if _, err := tx.Exec(ctx, `INSERT INTO feed_bodies (feed_id, bodies) VALUES ($1, $2)`, id, f.Bodies); err != nil {
			return 0, false, err
		}
	}
	return id, true, nil
}

// mergeTags are an item's firm and alliance tag rows: kind, entity and
// the mentions' JSON ("" for none).
func mergeTags(it *store.Item) [][3]string {
	mentions := func(kind store.EntityKind, entity string) string {
		var ms []mergeMention
		for _, m := range it.Mentions {
			if m.Kind == kind && m.Entity == entity {
				ms = append(ms, mergeMention{m.Alias, string(m.Field), m.Start, m.End})
			}
		}
		if len(ms) == 0 {
			return ""
		}
		b, _ := json.Marshal(ms)
		return noNUL(string(b))
	}
	var out [][3]string
	for _, f := range it.Firms {
		out = append(out, [3]string{string(store.KindFirm), noNUL(f), mentions(store.KindFirm, f)})
	}
	for _, a := range it.Alliances {
		out = append(out, [3]string{string(store.KindAlliance), noNUL(a), mentions(store.KindAlliance, a)})
	}
	return out
}

// noNUL is s as PostgreSQL's text takes it: valid UTF-8 without NUL.
func noNUL(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// unixOr0 is t in unix seconds, 0 for the zero time.
func unixOr0(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
