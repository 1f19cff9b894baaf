package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// metaTaggedWith is the alias version the stored items were last
// re-tagged with by RetagIfStale.
const metaTaggedWith = "tagged_alias_version"

// Retag re-derives the tags, mentions and sanctions flag of every item
// with tag, in one transaction, keeping marks. It returns how many items'
// tags changed.
func (db *DB) Retag(ctx context.Context, tag store.TagFunc) (int, error) {
	n, _, err := db.retagWith(ctx, tag, "", "")
	return n, err
}

// RetagFeed is Retag for the items of the feed at feedURL only.
func (db *DB) RetagFeed(ctx context.Context, feedURL string, tag store.TagFunc) (int, error) {
	n, _, err := db.retagWith(ctx, tag, feedURL, "")
	return n, err
}

// RetagIfStale re-tags every stored item (one transaction, marks kept),
// as Retag does, unless they were last re-tagged with the aliases the
// store holds now. newTag builds the tagger from those aliases. It
// reports whether it re-tagged and how many items' tags changed. Several
// processes may call it at once: the second finds the work done.
func (db *DB) RetagIfStale(ctx context.Context, newTag func([]store.Alias) store.TagFunc) (bool, int, error) {
	version, err := db.AliasVersion(ctx)
	if err != nil {
		return false, 0, err
	}
	var have string
	err = db.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = $1`, metaTaggedWith).Scan(&have)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return false, 0, db.wrap("read the tagging version", err)
	}
	if have == version {
		return false, 0, nil
	}
	aliases, err := db.Aliases(ctx)
	if err != nil {
		return false, 0, err
	}
	// The aliases may change between the version and the list: then the
	// next call finds the version moved and re-tags again.
	n, ran, err := db.retagWith(ctx, newTag(aliases), "", version)
	return ran, n, err
}

// retagWith re-tags the items of the feed at feedURL ("": all). With
// aliasVersion set, it first takes the meta row of the version the items
// were tagged with, and does nothing if it holds aliasVersion already
// (another process re-tagged while this one waited); else it records it.
func (db *DB) retagWith(ctx context.Context, tag store.TagFunc, feedURL, aliasVersion string) (int, bool, error) {
	changed, ran := 0, false
	err := db.retryTx(ctx, func(tx pgx.Tx) error {
		changed, ran = 0, false
		if aliasVersion != "" {
			if _, err := tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ($1, '') ON CONFLICT (key) DO NOTHING`, metaTaggedWith); err != nil {
				return err
			}
			var have string
			if err := tx.QueryRow(ctx, `SELECT value FROM meta WHERE key = $1 FOR UPDATE`, metaTaggedWith).Scan(&have); err != nil {
				return err
			}
			if have == aliasVersion {
				return nil
			}
			if _, err := tx.Exec(ctx, `UPDATE meta SET value = $2 WHERE key = $1`, metaTaggedWith, aliasVersion); err != nil {
				return err
			}
		}
		ran = true
		if err := lockSaves(ctx, tx); err != nil {
			return err
		}
		var feedID *int64
		if feedURL != "" {
			var id int64
			err := tx.QueryRow(ctx, `SELECT id FROM feeds WHERE url = $1`, feedURL).Scan(&id)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil // no such feed: no items to re-tag, as on SQLite
			}
			if err != nil {
				return err
			}
			feedID = &id
		}
		members, err := memberships(ctx, tx)
		if err != nil {
			return err
		}
		const chunk = 5000
		var last int64
		for {
			n, err := retagChunk(ctx, tx, tag, members, feedID, &last, chunk)
			if err != nil {
				return err
			}
			if n < 0 {
				return nil
			}
			changed += n
		}
	})
	return changed, ran, db.wrap("retag items", err)
}

// retagChunk re-tags up to limit items with ids above *last, moving
// *last on; it returns how many items' tags changed, or -1 when there
// were no items left.
func retagChunk(ctx context.Context, tx pgx.Tx, tag store.TagFunc, members map[string][]string, feedID *int64, last *int64, limit int) (int, error) {
	rows, err := tx.Query(ctx, `SELECT i.id, f.url, i.title, i.summary, i.content, i.copy <> 0, i.sanctions, i.published,
		coalesce((SELECT string_agg(t.kind || ':' || t.entity, ',' ORDER BY t.kind, t.entity) FROM item_tags t
			WHERE t.item_id = i.id AND t.kind IN ('firm', 'alliance')), ''),
		(SELECT coalesce(sum(json_array_length(t.mentions::json)), 0) FROM item_tags t WHERE t.item_id = i.id AND t.mentions <> ''),
		a.text, a.body_only
		FROM items i JOIN feeds f ON f.id = i.feed_id LEFT JOIN articles a ON a.item_id = i.id
		WHERE i.id > $1 AND ($2::bigint IS NULL OR i.feed_id = $2) ORDER BY i.id LIMIT $3`, *last, feedID, limit)
	if err != nil {
		return 0, err
	}
	type row struct {
		id                            int64
		feed, title, summary, content string
		copy, sanctions               bool
		published                     int64
		tags                          string
		mentions                      int64
		article                       []byte // compressed article text, nil if none
		bodyOnly                      *string
	}
	var batch []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.feed, &r.title, &r.summary, &r.content, &r.copy, &r.sanctions, &r.published, &r.tags, &r.mentions, &r.article, &r.bodyOnly); err != nil {
			rows.Close()
			return 0, err
		}
		batch = append(batch, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(batch) == 0 {
		return -1, nil
	}
	changed := 0
	var setIDs []int64
	var setSanctions []bool
	var bodyIDs []int64
	var bodyOnly []string
	var tagIDs []int64
	var tags tagBuf
	for _, r := range batch {
		*last = r.id
		it := store.Item{}
		it.Firms, it.Alliances, it.Sanctions, it.Mentions = tag(r.feed, r.title, r.summary, r.content)
		if r.article != nil {
			bo, err := tagArticle(&it, tag, r.feed, r.article)
			if err != nil {
				return 0, fmt.Errorf("item %d: %w", r.id, err)
			}
			if r.bodyOnly == nil || bo != *r.bodyOnly {
				bodyIDs, bodyOnly = append(bodyIDs, r.id), append(bodyOnly, bo)
			}
		}
		oldFirms, oldAlliances := splitTags(r.tags)
		if slices.Equal(oldFirms, it.Firms) && slices.Equal(oldAlliances, it.Alliances) &&
			r.sanctions == it.Sanctions && r.mentions == int64(len(it.Mentions)) {
			continue
		}
		changed++
		tagIDs = append(tagIDs, r.id)
		tags.add(r.id, r.published, r.copy, withAlly(&it, itemTags(&it), members))
		if r.sanctions != it.Sanctions {
			setIDs, setSanctions = append(setIDs, r.id), append(setSanctions, it.Sanctions)
		}
	}
	if len(bodyIDs) > 0 {
		if _, err := tx.Exec(ctx, `UPDATE articles a SET body_only = u.body_only FROM unnest($1::bigint[], $2::text[]) AS u(id, body_only) WHERE a.item_id = u.id`,
			bodyIDs, bodyOnly); err != nil {
			return 0, err
		}
	}
	if len(tagIDs) > 0 {
		if err := lockItems(ctx, tx, tagIDs); err != nil {
			return 0, err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM item_tags WHERE item_id = ANY($1)`, tagIDs); err != nil {
			return 0, err
		}
		if err := tags.flush(ctx, tx); err != nil {
			return 0, err
		}
	}
	if len(setIDs) > 0 {
		if _, err := tx.Exec(ctx, `UPDATE items i SET sanctions = u.s FROM unnest($1::bigint[], $2::boolean[]) AS u(id, s) WHERE i.id = u.id`,
			setIDs, setSanctions); err != nil {
			return 0, err
		}
	}
	return changed, nil
}

// tagArticle adds to it the tags of its article, whose compressed text
// is z, as feeds.TagArticle does for a new article. It returns the JSON
// of the firms and alliances only the article names, as
// articles.body_only keeps it.
func tagArticle(it *store.Item, tag store.TagFunc, feedURL string, z []byte) (string, error) {
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

// splitTags reads "kind:entity,…" into sorted firm and alliance IDs.
func splitTags(s string) (firms, alliances []string) {
	if s == "" {
		return nil, nil
	}
	for _, t := range strings.Split(s, ",") {
		kind, id, _ := strings.Cut(t, ":")
		switch store.EntityKind(kind) {
		case store.KindFirm:
			firms = append(firms, id)
		case store.KindAlliance:
			alliances = append(alliances, id)
		}
	}
	slices.Sort(firms)
	slices.Sort(alliances)
	return firms, alliances
}
