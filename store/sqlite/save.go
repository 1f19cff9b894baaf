// The write path, on the writer: saveItems inserts new items a block at a
// time and updates changed ones, keeping read and starred marks.

package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// SaveItems saves one feed's items in one transaction: new items are
// inserted, changed ones have their text and tags updated, and read and
// starred marks are never touched. The full-text index is up to date when
// it returns.
func (db *DB) SaveItems(ctx context.Context, feedID int64, items []store.Item) (store.SaveStats, error) {
	var st store.SaveStats
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		st, err = db.saveSlice(ctx, tx, feedID, items)
		return err
	})
	return st, db.wrap("save items", err)
}

// saveSlice is saveItems of items, in the caller's transaction.
func (db *DB) saveSlice(ctx context.Context, tx *sql.Tx, feedID int64, items []store.Item) (store.SaveStats, error) {
	chunks, stop := prepare(store.OneBatch(items))
	defer stop()
	return db.saveItems(ctx, tx, feedID, chunks, nil)
}

// How a save is cut up. A goroutine reads the batches and prepares them
// (fingerprint, word-index text, tag rows) in chunks of prepChunk items,
// or fewer when they hold more than prepBytes of text, while the writer
// writes the chunk before; at most prepAhead chunks wait for it. The
// writer inserts new items insertRows at a time, and their tag rows
// tagRows at a time, each in one statement.
const (
	prepChunk  = 128
	prepBytes  = 256 << 10
	prepAhead  = 4
	insertRows = 32
	tagRows    = 64
)

// prepared is what the writer needs of an item, worked out beforehand.
type prepared struct {
	it    *store.Item
	hash  int64
	words string   // the item's text for items_words
	tags  []tagRow // without the alliance roll-up, which the writer adds
	// link and title are the item's story keys (story.go). The writer
	// sets story, copy and the marks of a new item (itemStmts.group).
	link, title         int64
	story               int64
	copy, read, starred bool
}

// tagRow is one row of item_tags.
type tagRow struct {
	kind, entity, mentions string
}

// existing is what saveItems needs to know of a stored item.
type existing struct {
	id   int64
	hash int64
	read bool
	copy bool
}

// saveItems saves the prepared items of chunks (see prepare), in the
// caller's transaction. New items get ids after the largest in use, so
// that a whole run of them is inserted, tagged and indexed a block at a
// time: one statement for many rows costs far less than one for each.
//
// The full-text index work is added to ix, for db.index to do: a
// savepoint makes FTS5 write out what it has gathered, so the group
// writer indexes its feeds together after their savepoints. With ix nil,
// saveItems indexes itself: the word index as it goes, and the trigram
// index in one statement at the end, which measured faster than
// statements of 1,024 or 4,096 items (21,800 against 18,600 and 20,000
// items/s saving a 20,000-item feed).
//
// ctx is checked between chunks; statements run without it, because
// SQLite rolls back the whole transaction when a statement is interrupted.
func (db *DB) saveItems(ctx context.Context, tx *sql.Tx, feedID int64, chunks <-chan chunk, ix *ftsWork) (store.SaveStats, error) {
	var st store.SaveStats
	jobCtx := ctx
	ctx = context.WithoutCancel(ctx)
	s, err := db.prepareItemStmts(ctx, tx)
	if err != nil {
		return st, err
	}
	s.inline = ix == nil
	if err := s.prepareStoryStmts(ctx); err != nil {
		return st, err
	}

	// One query for the feed's stored items beats one per item.
	have := map[string]existing{}
	rows, err := tx.QueryContext(ctx, `SELECT key, id, hash, read, copy FROM items WHERE feed_id = ?`, feedID)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var k string
		var e existing
		if err := rows.Scan(&k, &e.id, &e.hash, &e.read, &e.copy); err != nil {
			rows.Close()
			return st, err
		}
		have[k] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, err
	}
	var firstID int64
	// New ids go above the alert check's mark too (alerts.go), so that an
	// item saved after the newest ones were deleted is still new to it.
	if err := tx.QueryRowContext(ctx, `SELECT max(coalesce(max(id), 0),
		coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'alerts_item_mark'), 0)) + 1 FROM items`).Scan(&firstID); err != nil {
		return st, err
	}

	nextID := firstID
	var pending []*prepared // new items not yet inserted
	var work ftsWork        // this save's index work, added to ix on success
	seen := make(map[string]bool)
	for c := range chunks {
		if c.Err != nil {
			return st, c.Err
		}
		if err := jobCtx.Err(); err != nil {
			return st, err
		}
		for _, p := range c.Items {
			it := p.it
			if it.Key == "" {
				return st, fmt.Errorf("item %q has no identity key", it.Title)
			}
			if seen[it.Key] {
				continue
			}
			seen[it.Key] = true
			old, ok := have[it.Key]
			switch {
			case !ok:
				pending = append(pending, p)
				if len(pending) == insertRows {
					if err := s.insertNew(ctx, feedID, nextID, pending, &work); err != nil {
						return st, err
					}
					nextID += int64(len(pending))
					pending = pending[:0]
				}
				st.New++
			case old.hash == p.hash:
				st.Unchanged++
			default:
				if err := s.updateOne(ctx, old, p, &work); err != nil {
					return st, err
				}
				st.Updated++
			}
		}
	}
	if len(pending) > 0 {
		if err := s.insertNew(ctx, feedID, nextID, pending, &work); err != nil {
			return st, err
		}
		nextID += int64(len(pending))
	}
	if err := s.flushTags(ctx); err != nil {
		return st, err
	}
	if err := s.flushCounts(ctx); err != nil {
		return st, err
	}
	if nextID > firstID {
		work.ranges = append(work.ranges, [2]int64{firstID, nextID})
	}
	if ix == nil {
		return st, s.index(&work)
	}
	ix.add(&work)
	return st, nil
}

// itemStmts are the statements saving items needs in one transaction.
type itemStmts struct {
	*txStmts
	update, old, delTags, published *sql.Stmt
	// article and articleTags read what updateOne keeps of an article.
	article, articleTags, setBodyOnly *sql.Stmt
	// tagBuf holds tag rows of inserted items not yet written.
	tagBuf []tagArgs
	// counts gathers what inserted tags and items add to tag_counts.
	counts map[[2]string]store.Counts
	// weeks gathers what inserted tags add to tag_weeks.
	weeks map[weekKey]int
	// members maps a firm to the alliances it belongs to, for the 'ally'
	// roll-up tags.
	members map[string][]string
	// inline: index as the items are written (see saveItems).
	inline bool
	story  storyStmts // see story.go
}

// txStmts are one transaction's statements by query. Each is prepared once
// for the life of the store (DB.txStmt), and closes with the transaction.
type txStmts struct {
	db *DB
	tx *sql.Tx
	m  map[string]*sql.Stmt
}

func (db *DB) txStmts(tx *sql.Tx) *txStmts {
	return &txStmts{db: db, tx: tx, m: map[string]*sql.Stmt{}}
}

// get returns the statement of query.
func (c *txStmts) get(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := c.m[query]; st != nil {
		return st, nil
	}
	st, err := c.db.txStmt(ctx, c.tx, query)
	if err != nil {
		return nil, err
	}
	c.m[query] = st
	return st, nil
}

// rows returns the statement of head followed by n times row: an insert
// of n rows.
func (c *txStmts) rows(ctx context.Context, head, row string, n int) (*sql.Stmt, error) {
	return c.get(ctx, head+strings.TrimSuffix(strings.Repeat(row+", ", n), ", "))
}

// tagArgs is a tag row with its item.
type tagArgs struct {
	tagRow
	id           int64
	unread, copy bool
}

func (db *DB) prepareItemStmts(ctx context.Context, tx *sql.Tx) (*itemStmts, error) {
	s := itemStmts{txStmts: db.txStmts(tx), counts: map[[2]string]store.Counts{}, weeks: map[weekKey]int{}}
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = s.get(ctx, q)
		return st
	}
	s.update = prep(`UPDATE items SET url = ?, title = ?, summary = ?, content = ?, author = ?, lang = ?,
		published = CASE WHEN ? THEN published ELSE ? END, updated = ?, fetched = ?, sanctions = ?, hash = ?,
		link_key = ?, title_key = ? WHERE id = ?`)
	s.old = prep(`SELECT title, summary, content FROM items WHERE id = ?`)
	s.delTags = prep(`DELETE FROM item_tags WHERE item_id = ?`)
	s.published = prep(`SELECT published FROM items WHERE id = ?`)
	s.article = prep(`SELECT a.body_only, i.sanctions FROM articles a JOIN items i ON i.id = a.item_id WHERE a.item_id = ?`)
	s.articleTags = prep(`SELECT kind, entity, mentions FROM item_tags WHERE item_id = ? AND kind IN ('firm', 'alliance') AND mentions <> ''`)
	s.setBodyOnly = prep(`UPDATE articles SET body_only = ? WHERE item_id = ?`)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT firm_id, alliance_id FROM memberships`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	s.members = map[string][]string{}
	for rows.Next() {
		var f, a string
		if err := rows.Scan(&f, &a); err != nil {
			return nil, err
		}
		s.members[f] = append(s.members[f], a)
	}
	return &s, rows.Err()
}

// insertNew inserts new items with ids from id on, with their word-index
// rows, and queues their tag rows.
func (s *itemStmts) insertNew(ctx context.Context, feedID, id int64, ps []*prepared, work *ftsWork) error {
	if err := s.group(ctx, feedID, id, ps); err != nil {
		return err
	}
	ins, err := s.rows(ctx, `INSERT INTO items (id, feed_id, key, url, title, summary, content, author, lang, published, updated, fetched, sanctions, hash,
		story, copy, read, starred, link_key, title_key) VALUES `,
		`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, len(ps))
	if err != nil {
		return err
	}
	args := make([]any, 0, 20*len(ps))
	words := make([]wordRow, len(ps))
	for i, p := range ps {
		it := p.it
		args = append(args, id+int64(i), feedID, it.Key, it.URL, it.Title, it.Summary, it.Content, it.Author, it.Lang,
			it.Published.Unix(), unixOrZero(it.Updated), unixOrZero(it.Fetched), it.Sanctions, p.hash,
			p.story, p.copy, p.read, p.starred, p.link, p.title)
		words[i] = wordRow{id + int64(i), p.words}
		if !p.copy {
			s.count("", "", 1, b2i(!p.read)) // the story counters count the copy shown
		}
	}
	if _, err := ins.ExecContext(ctx, args...); err != nil {
		return err
	}
	if s.inline {
		// Indexing as it goes: the word index takes the new rows at once,
		// while their text is fresh in the caches. (A changed item's row
		// waits in work for its old row to go first.)
		if err := s.indexWords(words); err != nil {
			return err
		}
	} else {
		work.words = append(work.words, words...)
	}
	for i, p := range ps {
		if err := s.queueTags(ctx, id+int64(i), !p.read, p.copy, p.it.Published.Unix(), s.withAlly(p)); err != nil {
			return err
		}
	}
	return nil
}

// updateOne writes a changed item's text and tags over its stored row,
// leaving its marks, and notes its old text for the full-text indexes to
// forget.
func (s *itemStmts) updateOne(ctx context.Context, old existing, p *prepared, work *ftsWork) error {
	// External-content FTS5 needs the old values to remove a row.
	o := oldText{id: old.id}
	if err := s.old.QueryRowContext(ctx, old.id).Scan(&o.title, &o.summary, &o.content); err != nil {
		return err
	}
	work.deletes = append(work.deletes, o)
	work.updated = append(work.updated, old.id)
	work.words = append(work.words, wordRow{old.id, p.words})
	p, err := s.keepArticleTags(ctx, old.id, p)
	if err != nil {
		return err
	}
	it := p.it
	// An undated item keeps the date of its first fetch.
	if _, err := s.update.ExecContext(ctx, it.URL, it.Title, it.Summary, it.Content, it.Author, it.Lang,
		it.Undated, it.Published.Unix(), unixOrZero(it.Updated), unixOrZero(it.Fetched), it.Sanctions, p.hash, p.link, p.title, old.id); err != nil {
		return err
	}
	if _, err := s.delTags.ExecContext(ctx, old.id); err != nil {
		return err
	}
	published := it.Published.Unix()
	if it.Undated { // the date stored, not this fetch's time
		if err := s.published.QueryRowContext(ctx, old.id).Scan(&published); err != nil {
			return err
		}
	}
	return s.queueTags(ctx, old.id, !old.read, old.copy, published, s.withAlly(p))
}

// keepArticleTags returns p with the tags of item id's article added, when
// it has one: the feed text alone does not name what only the article
// does. The article's tags are read back from the item's tag rows (its
// mentions in FieldBody) and merged by store.AddArticleTags, the rule
// SaveArticle's callers and Retag use; the article's list of body-only
// tags is brought up to date. The sanctions flag the item had stays set,
// since the store does not keep the article's own flag apart.
func (s *itemStmts) keepArticleTags(ctx context.Context, id int64, p *prepared) (*prepared, error) {
	var oldBodyOnly string
	var sanctions bool
	err := s.article.QueryRowContext(ctx, id).Scan(&oldBodyOnly, &sanctions)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	rows, err := s.articleTags.QueryContext(ctx, id)
	if err != nil {
		return nil, err
	}
	var firms, alliances []string
	var mentions []store.Mention
	for rows.Next() {
		var kind, entity, js string
		if err := rows.Scan(&kind, &entity, &js); err != nil {
			rows.Close()
			return nil, err
		}
		var ms []store.MentionJSON
		if json.Unmarshal([]byte(js), &ms) != nil {
			continue // a damaged row keeps nothing, as Retag would find
		}
		named := false
		for _, m := range ms {
			if store.Field(m.Field) == store.FieldBody {
				named = true
				mentions = append(mentions, store.Mention{Entity: entity, Kind: store.EntityKind(kind), Alias: m.Alias,
					Field: store.FieldBody, Start: m.Start, End: m.End})
			}
		}
		switch {
		case !named:
		case kind == string(store.KindFirm):
			firms = append(firms, entity)
		case kind == string(store.KindAlliance):
			alliances = append(alliances, entity)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The feed's item is not ours to change: merge into a copy.
	merged := *p.it
	merged.Firms, merged.Alliances = slices.Clone(merged.Firms), slices.Clone(merged.Alliances)
	merged.Mentions = slices.Clone(merged.Mentions)
	bodyOnly := store.AddArticleTags(&merged, firms, alliances, sanctions, mentions)
	if bodyOnly == nil {
		bodyOnly = []string{}
	}
	if bj, _ := json.Marshal(bodyOnly); string(bj) != oldBodyOnly {
		if _, err := s.setBodyOnly.ExecContext(ctx, string(bj), id); err != nil {
			return nil, err
		}
	}
	return &prepared{it: &merged, hash: p.hash, words: p.words, tags: itemTags(&merged)}, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
