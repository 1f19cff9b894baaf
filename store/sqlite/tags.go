package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aiwatch/aiwatch/store"
)

// Retag re-derives the tags, mentions and sanctions flag of every item
// with tag, in one transaction, keeping read and starred marks. It
// returns how many items' tags changed.
func (db *DB) Retag(ctx context.Context, tag TagFunc) (int, error) {
	return db.retag(ctx, tag, "")
}

// RetagFeed is Retag for the items of the feed at feedURL only.
func (db *DB) RetagFeed(ctx context.Context, feedURL string, tag TagFunc) (int, error) {
	return db.retag(ctx, tag, feedURL)
}

func (db *DB) retag(ctx context.Context, tag TagFunc, feedURL string) (int, error) {
	n, _, err := db.retagWith(ctx, tag, feedURL, "")
	return n, err
}

// retagAt is Retag of every item, unless the store records that its items
// were re-tagged at aliasVersion already (another process did it while
// this one waited for the write lock); it records aliasVersion after.
func (db *DB) retagAt(ctx context.Context, tag TagFunc, aliasVersion string) (int, bool, error) {
	return db.retagWith(ctx, tag, "", aliasVersion)
}

func (db *DB) retagWith(ctx context.Context, tag TagFunc, feedURL, aliasVersion string) (int, bool, error) {
	feedCond, feedArgs := "", []any{}
	if feedURL != "" {
		feedCond = ` AND i.feed_id = (SELECT id FROM feeds WHERE url = ?)`
		feedArgs = append(feedArgs, feedURL)
	}
	changed, ran := 0, false
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if aliasVersion != "" {
			var have string
			err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaTaggedWith).Scan(&have)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if have == aliasVersion {
				return nil
			}
			if err := setMeta(ctx, tx, metaTaggedWith, aliasVersion); err != nil {
				return err
			}
		}
		ran = true
		s, err := db.prepareItemStmts(ctx, tx)
		if err != nil {
			return err
		}
		setSanctions, err := tx.PrepareContext(ctx, `UPDATE items SET sanctions = ? WHERE id = ? AND sanctions <> ?`)
		if err != nil {
			return err
		}
		defer setSanctions.Close()
		setBodyOnly, err := tx.PrepareContext(ctx, `UPDATE articles SET body_only = ? WHERE item_id = ?`)
		if err != nil {
			return err
		}
		defer setBodyOnly.Close()
		const chunk = 5000
		var last int64
		for {
			rows, err := tx.QueryContext(ctx, `SELECT i.id, (SELECT url FROM feeds f WHERE f.id = i.feed_id), i.title, i.summary, i.content, i.read, i.copy, i.sanctions,
				(SELECT group_concat(kind || ':' || entity, ',') FROM item_tags t WHERE t.item_id = i.id AND t.kind IN ('firm', 'alliance')),
				(SELECT coalesce(sum(json_array_length(mentions)), 0) FROM item_tags t WHERE t.item_id = i.id AND t.mentions <> ''),
				a.text, a.body_only
				FROM items i LEFT JOIN articles a ON a.item_id = i.id WHERE i.id > ?`+feedCond+` ORDER BY i.id LIMIT ?`, append(append([]any{last}, feedArgs...), chunk)...)
			if err != nil {
				return err
			}
			type row struct {
				id                            int64
				feed, title, summary, content string
				read, copy, sanctions         bool
				tags                          sql.NullString
				mentions                      int
				article                       []byte // compressed article text, nil if none
				bodyOnly                      sql.NullString
			}
			var batch []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.feed, &r.title, &r.summary, &r.content, &r.read, &r.copy, &r.sanctions, &r.tags, &r.mentions, &r.article, &r.bodyOnly); err != nil {
					rows.Close()
					return err
				}
				batch = append(batch, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(batch) == 0 {
				if err := s.flushTags(ctx); err != nil {
					return err
				}
				return s.flushCounts(ctx)
			}
			for _, r := range batch {
				last = r.id
				it := store.Item{}
				it.Firms, it.Alliances, it.Sanctions, it.Mentions = tag(r.feed, r.title, r.summary, r.content)
				if r.article != nil {
					bodyOnly, err := tagArticle(&it, tag, r.feed, r.article)
					if err != nil {
						return fmt.Errorf("item %d: %w", r.id, err)
					}
					if bodyOnly != r.bodyOnly.String {
						if _, err := setBodyOnly.ExecContext(ctx, bodyOnly, r.id); err != nil {
							return err
						}
					}
				}
				oldFirms, oldAlliances := splitTags(r.tags.String)
				same := equalStrings(oldFirms, it.Firms) && equalStrings(oldAlliances, it.Alliances) &&
					r.sanctions == it.Sanctions && r.mentions == len(it.Mentions)
				if same {
					continue
				}
				changed++
				if err := s.writeTags(ctx, r.id, &it, !r.read, r.copy); err != nil {
					return err
				}
				if _, err := setSanctions.ExecContext(ctx, it.Sanctions, r.id, it.Sanctions); err != nil {
					return err
				}
			}
		}
	})
	return changed, ran, db.wrap("retag items", err)
}

// tagArticle adds to it the tags of its article, whose compressed text
// is z, as feeds.TagArticle does for a new article. It returns the JSON
// of the firms and alliances only the article names, as
// articles.body_only keeps it.
func tagArticle(it *store.Item, tag TagFunc, feedURL string, z []byte) (string, error) {
	text, err := inflate(z)
	if err != nil {
		return "", err
	}
	firms, alliances, sanctions, mentions := tag(feedURL, "", "", text)
	bodyOnly := store.AddArticleTags(it, firms, alliances, sanctions, mentions)
	if bodyOnly == nil {
		bodyOnly = []string{}
	}
	b, _ := json.Marshal(bodyOnly)
	return string(b), nil
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
