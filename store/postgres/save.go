// The write path in the transaction: saveItems inserts new items a block
// at a time and updates changed ones in place, so that every user's marks
// (table marks, keyed by item) stay with them.

package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// existing is what saveItems needs to know of a stored item.
type existing struct {
	id, hash int64
	copy     bool
}

// changedItem is a stored item whose feed text changed.
type changedItem struct {
	old existing
	p   *prepared
}

// saver saves one feed's items in one transaction.
type saver struct {
	ctx     context.Context
	tx      pgx.Tx
	feedID  int64
	members map[string][]string // firm → its alliances, for the 'ally' rows
	taken   map[int64]bool      // stories an item of this save joined
	tags    tagBuf
	locked  bool // the save lock is held
}

// lock takes the save lock before the save's first write.
func (s *saver) lock() error {
	if s.locked {
		return nil
	}
	s.locked = true
	return lockSaves(s.ctx, s.tx)
}

func errNoFeed(id int64) error { return fmt.Errorf("feed %d: %w", id, store.ErrNotFound) }

// saveItems saves the prepared items of src in the caller's transaction:
// new items are inserted, changed ones updated in place (an undated item
// keeps the date of its first fetch), unchanged ones (same fingerprint)
// not written at all. The feed's row is locked first, so that two saves
// of one feed queue instead of inserting the same items twice, and the
// save lock (lockSaves) before the first write.
func (db *DB) saveItems(ctx context.Context, tx pgx.Tx, feedID int64, src *source) (store.SaveStats, error) {
	var st store.SaveStats
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM feeds WHERE id = $1 FOR NO KEY UPDATE`, feedID).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, errNoFeed(feedID)
	}
	if err != nil {
		return st, err
	}
	s := &saver{ctx: ctx, tx: tx, feedID: feedID, taken: map[int64]bool{}}
	if s.members, err = memberships(ctx, tx); err != nil {
		return st, err
	}
	// One query for the feed's stored items beats one per item.
	have := map[string]existing{}
	rows, err := tx.Query(ctx, `SELECT key, id, hash, copy <> 0 FROM items WHERE feed_id = $1`, feedID)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var k string
		var e existing
		if err := rows.Scan(&k, &e.id, &e.hash, &e.copy); err != nil {
			rows.Close()
			return st, err
		}
		have[k] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, err
	}

	var pending []*prepared
	var changed []changedItem
	seen := map[string]bool{}
	err = src.each(func(c chunk) error {
		if c.Err != nil {
			return c.Err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, p := range c.Items {
			it := p.it
			if it.Key == "" {
				return fmt.Errorf("item %q has no identity key", it.Title)
			}
			if seen[it.Key] {
				continue
			}
			seen[it.Key] = true
			old, ok := have[it.Key]
			switch {
			case !ok:
				st.New++
				if pending = append(pending, p); len(pending) == insertRows {
					if err := s.insertNew(pending); err != nil {
						return err
					}
					pending = nil
				}
			case old.hash == p.hash:
				st.Unchanged++
			default:
				st.Updated++
				if changed = append(changed, changedItem{old, p}); len(changed) == updateRows {
					if err := s.updateChanged(changed); err != nil {
						return err
					}
					changed = nil
				}
			}
		}
		return nil
	})
	if err != nil {
		return store.SaveStats{}, err
	}
	if err := s.insertNew(pending); err != nil {
		return st, err
	}
	if err := s.updateChanged(changed); err != nil {
		return st, err
	}
	return st, s.tags.flush(ctx, tx)
}

// insertNew inserts a block of new items, with ids drawn from the
// sequence beforehand so that their stories can be decided first, and
// queues their tag rows. A new copy of a story takes every user's marks
// on the story.
func (s *saver) insertNew(ps []*prepared) error {
	if len(ps) == 0 {
		return nil
	}
	if err := s.lock(); err != nil {
		return err
	}
	ctx, tx := s.ctx, s.tx
	rows, err := tx.Query(ctx, `SELECT nextval(pg_get_serial_sequence('items', 'id')) FROM generate_series(1, $1)`, len(ps))
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	slices.Sort(ids)
	joins, err := s.group(ids, ps)
	if err != nil {
		return err
	}
	vals := make([][]any, len(ps))
	published := make([]int64, len(ps))
	for i, p := range ps {
		it := p.it
		c := int32(0)
		if p.copy {
			c = 1
		}
		published[i] = it.Published.Unix()
		vals[i] = []any{ids[i], s.feedID, it.Key, it.URL, it.Title, it.Summary, it.Content, it.Author, it.Lang, published[i],
			unixOrZero(it.Updated), unixOrZero(it.Fetched), it.Sanctions, p.hash, p.story, c, p.link, p.title, p.search}
	}
	// COPY: the ids are known, and the binary protocol beats INSERT's.
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"items"}, []string{"id", "feed_id", "key", "url", "title", "summary", "content", "author", "lang",
		"published", "updated", "fetched", "sanctions", "hash", "story", "copy", "link_key", "title_key", "search"}, pgx.CopyFromRows(vals)); err != nil {
		return err
	}
	for i, p := range ps {
		s.tags.add(ids[i], published[i], p.copy, withAlly(p.it, p.tags, s.members))
	}
	if len(joins) > 0 {
		var jid, jstory []int64
		for _, j := range joins {
			jid, jstory = append(jid, j[0]), append(jstory, j[1])
		}
		// A read or starred story stays so for each user who marked it.
		if _, err := tx.Exec(ctx, `INSERT INTO marks (username, item_id, read, starred)
			SELECT m.username, u.id, bool_or(m.read), bool_or(m.starred)
			FROM unnest($1::bigint[], $2::bigint[]) AS u(id, story)
			JOIN items i ON i.story = u.story AND i.id <> u.id
			JOIN marks m ON m.item_id = i.id
			GROUP BY m.username, u.id
			HAVING bool_or(m.read) OR bool_or(m.starred)
			ON CONFLICT (username, item_id) DO NOTHING`, jid, jstory); err != nil {
			return err
		}
	}
	if s.tags.len() >= 4*insertRows {
		return s.tags.flush(ctx, tx)
	}
	return nil
}

// updateChanged writes changed items' text and tags over their stored
// rows, leaving marks, story and copy as they are.
func (s *saver) updateChanged(cs []changedItem) error {
	if len(cs) == 0 {
		return nil
	}
	if err := s.lock(); err != nil {
		return err
	}
	ctx, tx := s.ctx, s.tx
	slices.SortFunc(cs, func(a, b changedItem) int { return cmp.Compare(a.old.id, b.old.id) }) // one lock order
	if err := s.keepArticleTags(cs); err != nil {
		return err
	}
	n := len(cs)
	var (
		ids, published, updated, fetched, hashes, links, tkeys    = make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		urls, titles, summaries, contents, authors, langs, search = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		sanctions, undated                                        = make([]bool, n), make([]bool, n)
	)
	for i, c := range cs {
		it, p := c.p.it, c.p
		ids[i], published[i], updated[i], fetched[i], hashes[i], links[i], tkeys[i] = c.old.id, it.Published.Unix(), unixOrZero(it.Updated), unixOrZero(it.Fetched), p.hash, p.link, p.title
		urls[i], titles[i], summaries[i], contents[i], authors[i], langs[i], search[i] = it.URL, it.Title, it.Summary, it.Content, it.Author, it.Lang, p.search
		sanctions[i], undated[i] = it.Sanctions, it.Undated
	}
	if err := lockItems(ctx, tx, ids); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `UPDATE items i SET url = u.url, title = u.title, summary = u.summary, content = u.content, author = u.author,
		lang = u.lang, published = CASE WHEN u.undated THEN i.published ELSE u.published END, updated = u.updated, fetched = u.fetched,
		sanctions = u.sanctions, hash = u.hash, link_key = u.link_key, title_key = u.title_key, search = u.search
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[], $9::bigint[],
			$10::bigint[], $11::bigint[], $12::boolean[], $13::bigint[], $14::bigint[], $15::bigint[], $16::text[])
			AS u(id, url, title, summary, content, author, lang, undated, published, updated, fetched, sanctions, hash, link_key, title_key, search)
		WHERE i.id = u.id RETURNING i.id, i.published`,
		ids, urls, titles, summaries, contents, authors, langs, undated, published, updated, fetched, sanctions, hashes, links, tkeys, search)
	if err != nil {
		return err
	}
	stored := map[int64]int64{} // id → the date stored, which an undated item keeps
	for rows.Next() {
		var id, at int64
		if err := rows.Scan(&id, &at); err != nil {
			rows.Close()
			return err
		}
		stored[id] = at
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM item_tags WHERE item_id = ANY($1)`, ids); err != nil {
		return err
	}
	for _, c := range cs {
		// An item pruned between the read of the feed's items and the
		// save lock is gone: it has no row to tag.
		if at, ok := stored[c.old.id]; ok {
			s.tags.add(c.old.id, at, c.old.copy, withAlly(c.p.it, c.p.tags, s.members))
		}
	}
	return nil
}

// keepArticleTags adds to each changed item that has a kept article the
// tags only the article gives (read back from its FieldBody mentions and
// merged by store.AddArticleTags, as SaveArticle's callers and Retag
// merge), and brings the article's body-only list up to date. The
// sanctions flag the item had stays set. It replaces the prepared items
// it changes with merged copies: the feed's items are not its to change.
func (s *saver) keepArticleTags(cs []changedItem) error {
	ctx, tx := s.ctx, s.tx
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.old.id
	}
	type article struct {
		bodyOnly  string
		sanctions bool
		firms     []string
		alliances []string
		mentions  []store.Mention
	}
	arts := map[int64]*article{}
	rows, err := tx.Query(ctx, `SELECT a.item_id, a.body_only, i.sanctions FROM articles a JOIN items i ON i.id = a.item_id WHERE a.item_id = ANY($1)`, ids)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		a := &article{}
		if err := rows.Scan(&id, &a.bodyOnly, &a.sanctions); err != nil {
			rows.Close()
			return err
		}
		arts[id] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(arts) == 0 {
		return err
	}
	rows, err = tx.Query(ctx, `SELECT item_id, kind, entity, mentions FROM item_tags
		WHERE item_id = ANY($1) AND kind IN ('firm', 'alliance') AND mentions <> '' ORDER BY item_id, kind, entity`, ids)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var kind, entity, js string
		if err := rows.Scan(&id, &kind, &entity, &js); err != nil {
			rows.Close()
			return err
		}
		a := arts[id]
		if a == nil {
			continue
		}
		var ms []store.MentionJSON
		if json.Unmarshal([]byte(js), &ms) != nil {
			continue // a damaged row keeps nothing, as Retag would find
		}
		named := false
		for _, m := range ms {
			if store.Field(m.Field) == store.FieldBody {
				named = true
				a.mentions = append(a.mentions, store.Mention{Entity: entity, Kind: store.EntityKind(kind), Alias: m.Alias,
					Field: store.FieldBody, Start: m.Start, End: m.End})
			}
		}
		switch {
		case !named:
		case kind == string(store.KindFirm):
			a.firms = append(a.firms, entity)
		case kind == string(store.KindAlliance):
			a.alliances = append(a.alliances, entity)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var setIDs []int64
	var setBodyOnly []string
	for i, c := range cs {
		a := arts[c.old.id]
		if a == nil {
			continue
		}
		merged := *c.p.it
		merged.Firms, merged.Alliances = slices.Clone(merged.Firms), slices.Clone(merged.Alliances)
		merged.Mentions = slices.Clone(merged.Mentions)
		bodyOnly := store.AddArticleTags(&merged, a.firms, a.alliances, a.sanctions, a.mentions)
		if bodyOnly == nil {
			bodyOnly = []string{}
		}
		if bj, _ := json.Marshal(bodyOnly); string(bj) != a.bodyOnly {
			setIDs, setBodyOnly = append(setIDs, c.old.id), append(setBodyOnly, string(bj))
		}
		p := *c.p
		p.it, p.tags = &merged, itemTags(&merged)
		cs[i].p = &p
	}
	if len(setIDs) == 0 {
		return nil
	}
	_, err = tx.Exec(ctx, `UPDATE articles a SET body_only = u.body_only FROM unnest($1::bigint[], $2::text[]) AS u(id, body_only) WHERE a.item_id = u.id`,
		setIDs, setBodyOnly)
	return err
}
