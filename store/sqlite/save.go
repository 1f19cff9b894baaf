package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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
// while the writer writes the chunk before; the writer inserts new items
// insertRows at a time, and their tag rows tagRows at a time, each in one
// statement.
const (
	prepChunk  = 128
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

	// One query for the feed's stored items beats one per item.
	have := map[string]existing{}
	rows, err := tx.QueryContext(ctx, `SELECT key, id, hash, read FROM items WHERE feed_id = ?`, feedID)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var k string
		var e existing
		if err := rows.Scan(&k, &e.id, &e.hash, &e.read); err != nil {
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
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM items`).Scan(&firstID); err != nil {
		return st, err
	}

	nextID := firstID
	var pending []*prepared // new items not yet inserted
	var work ftsWork        // this save's index work, added to ix on success
	seen := make(map[string]bool)
	for c := range chunks {
		if c.err != nil {
			return st, c.err
		}
		if err := jobCtx.Err(); err != nil {
			return st, err
		}
		for _, p := range c.items {
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
	s.count("", "", st.New, st.New) // new items are unread
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

// chunk is a run of prepared items, or the error that ended the batches.
type chunk struct {
	items []*prepared
	err   error
}

// prepare reads the batches on a goroutine of its own and sends them on,
// prepared, a chunk at a time. stop ends it early and waits for it.
func prepare(next store.Batches) (<-chan chunk, func()) {
	out := make(chan chunk, prepAhead)
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(out)
		send := func(c chunk) bool {
			select {
			case out <- c:
				return true
			case <-quit:
				return false
			}
		}
		for {
			batch, err := next()
			if err != nil {
				send(chunk{err: err})
				return
			}
			if batch == nil {
				return
			}
			for lo := 0; lo < len(batch); lo += prepChunk {
				part := batch[lo:min(lo+prepChunk, len(batch))]
				ps := make([]prepared, len(part))
				c := chunk{items: make([]*prepared, len(part))}
				for i := range part {
					ps[i] = prepareItem(&part[i])
					c.items[i] = &ps[i]
				}
				if !send(c) {
					return
				}
			}
		}
	}()
	return out, func() {
		close(quit)
		for range out { // let the goroutine finish a send
		}
		<-done
	}
}

// prepareItem works out what the writer needs of it.
func prepareItem(it *store.Item) prepared {
	if it.Content == it.Summary {
		it.Content = "" // the same text once is enough, in the index too
	}
	return prepared{
		it:    it,
		hash:  itemHash(it),
		words: shortTokens(it.Title, it.Summary, it.Content),
		tags:  itemTags(it),
	}
}

// itemStmts are the statements saving items needs in one transaction.
type itemStmts struct {
	*txStmts
	update, old, delTags *sql.Stmt
	// tagBuf holds tag rows of inserted items not yet written.
	tagBuf []tagArgs
	// counts gathers what inserted tags and items add to tag_counts.
	counts map[[2]string]store.Counts
	// members maps a firm to the alliances it belongs to, for the 'ally'
	// roll-up tags.
	members map[string][]string
	// inline: index as the items are written (see saveItems).
	inline bool
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
	id     int64
	unread bool
}

func (db *DB) prepareItemStmts(ctx context.Context, tx *sql.Tx) (*itemStmts, error) {
	s := itemStmts{txStmts: db.txStmts(tx), counts: map[[2]string]store.Counts{}}
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = s.get(ctx, q)
		return st
	}
	s.update = prep(`UPDATE items SET url = ?, title = ?, summary = ?, content = ?, author = ?, lang = ?, published = ?, updated = ?, fetched = ?,
		sanctions = ?, hash = ? WHERE id = ?`)
	s.old = prep(`SELECT title, summary, content FROM items WHERE id = ?`)
	s.delTags = prep(`DELETE FROM item_tags WHERE item_id = ?`)
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
	ins, err := s.rows(ctx, `INSERT INTO items (id, feed_id, key, url, title, summary, content, author, lang, published, updated, fetched, sanctions, hash) VALUES `,
		`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, len(ps))
	if err != nil {
		return err
	}
	args := make([]any, 0, 14*len(ps))
	words := make([]wordRow, len(ps))
	for i, p := range ps {
		it := p.it
		args = append(args, id+int64(i), feedID, it.Key, it.URL, it.Title, it.Summary, it.Content, it.Author, it.Lang,
			it.Published.Unix(), unixOrZero(it.Updated), unixOrZero(it.Fetched), it.Sanctions, p.hash)
		words[i] = wordRow{id + int64(i), p.words}
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
		if err := s.queueTags(ctx, id+int64(i), true, s.withAlly(p)); err != nil {
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
	it := p.it
	if _, err := s.update.ExecContext(ctx, it.URL, it.Title, it.Summary, it.Content, it.Author, it.Lang,
		it.Published.Unix(), unixOrZero(it.Updated), unixOrZero(it.Fetched), it.Sanctions, p.hash, old.id); err != nil {
		return err
	}
	if _, err := s.delTags.ExecContext(ctx, old.id); err != nil {
		return err
	}
	return s.queueTags(ctx, old.id, !old.read, s.withAlly(p))
}

// withAlly returns a prepared item's tag rows with the alliance roll-up:
// every alliance the item names, or names a member of.
func (s *itemStmts) withAlly(p *prepared) []tagRow {
	rows := p.tags
	seen := func(a string) bool {
		for _, r := range rows[len(p.tags):] {
			if r.entity == a {
				return true
			}
		}
		return false
	}
	for _, f := range p.it.Firms {
		for _, a := range s.members[f] {
			if !seen(a) {
				rows = append(rows, tagRow{"ally", a, ""})
			}
		}
	}
	for _, a := range p.it.Alliances {
		if !seen(a) {
			rows = append(rows, tagRow{"ally", a, ""})
		}
	}
	return rows
}

// writeTags replaces an item's tags with those of it (aiwatch retag).
func (s *itemStmts) writeTags(ctx context.Context, id int64, it *store.Item, unread bool) error {
	if _, err := s.delTags.ExecContext(ctx, id); err != nil {
		return err
	}
	return s.queueTags(ctx, id, unread, s.withAlly(&prepared{it: it, tags: itemTags(it)}))
}

// queueTags queues an item's tag rows, writing them a block at a time,
// and notes what they add to the counters.
func (s *itemStmts) queueTags(ctx context.Context, id int64, unread bool, rows []tagRow) error {
	for _, r := range rows {
		s.tagBuf = append(s.tagBuf, tagArgs{r, id, unread})
		u := 0
		if unread {
			u = 1
		}
		s.count(r.kind, r.entity, 1, u)
	}
	if len(s.tagBuf) >= tagRows {
		return s.flushTags(ctx)
	}
	return nil
}

// flushTags writes the queued tag rows.
func (s *itemStmts) flushTags(ctx context.Context) error {
	for len(s.tagBuf) > 0 {
		n := min(len(s.tagBuf), tagRows)
		st, err := s.rows(ctx, `INSERT OR IGNORE INTO item_tags (kind, entity, item_id, unread, mentions) VALUES `, `(?, ?, ?, ?, ?)`, n)
		if err != nil {
			return err
		}
		args := make([]any, 0, 5*n)
		for _, r := range s.tagBuf[:n] {
			args = append(args, r.kind, r.entity, r.id, r.unread, r.mentions)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return err
		}
		s.tagBuf = s.tagBuf[n:]
	}
	s.tagBuf = nil
	return nil
}

// count adds to a counter, to be written by flushCounts.
func (s *itemStmts) count(kind, entity string, total, unread int) {
	k := [2]string{kind, entity}
	c := s.counts[k]
	c.Total += total
	c.Unread += unread
	s.counts[k] = c
}

// flushCounts adds the gathered counts to tag_counts.
func (s *itemStmts) flushCounts(ctx context.Context) error {
	for k, c := range s.counts {
		if c.Total == 0 && c.Unread == 0 {
			continue
		}
		if _, err := s.tx.ExecContext(ctx, `INSERT INTO tag_counts (kind, entity, total, unread) VALUES (?, ?, ?, ?)
			ON CONFLICT (kind, entity) DO UPDATE SET total = total + excluded.total, unread = unread + excluded.unread`,
			k[0], k[1], c.Total, c.Unread); err != nil {
			return err
		}
	}
	clear(s.counts)
	return nil
}

// ftsWork is full-text index work put off to the end of a transaction.
type ftsWork struct {
	ranges  [][2]int64 // ids of new items, first to end
	updated []int64    // ids of changed items
	deletes []oldText  // the changed items' old text
	words   []wordRow  // items_words rows of new and changed items
}

type oldText struct {
	id                      int64
	title, summary, content string
}

type wordRow struct {
	id   int64
	text string
}

func (w *ftsWork) add(o *ftsWork) {
	w.ranges = append(w.ranges, o.ranges...)
	w.updated = append(w.updated, o.updated...)
	w.deletes = append(w.deletes, o.deletes...)
	w.words = append(w.words, o.words...)
}

// tidy makes the work of several saves in one transaction that touched
// the same item right. Only text that is in the index can come out of it:
// the first old text of an item saved twice, and none of an item first
// inserted in this very work, which its id range indexes as it is now.
// Each item goes in once, with its last words.
func (w *ftsWork) tidy() {
	inserted := func(id int64) bool {
		for _, r := range w.ranges {
			if r[0] <= id && id < r[1] {
				return true
			}
		}
		return false
	}
	seen := map[int64]bool{}
	dels := w.deletes[:0]
	for _, o := range w.deletes {
		if !seen[o.id] && !inserted(o.id) {
			dels = append(dels, o)
		}
		seen[o.id] = true
	}
	w.deletes = dels
	clear(seen)
	upd := w.updated[:0]
	for _, id := range w.updated {
		if !seen[id] && !inserted(id) {
			upd = append(upd, id)
		}
		seen[id] = true
	}
	w.updated = upd
	// Saves one after another in a transaction take ids one after another:
	// their runs join into one, indexed in one statement.
	sort.Slice(w.ranges, func(i, j int) bool { return w.ranges[i][0] < w.ranges[j][0] })
	joined := w.ranges[:0]
	for _, r := range w.ranges {
		if n := len(joined); n > 0 && joined[n-1][1] == r[0] {
			joined[n-1][1] = r[1]
			continue
		}
		joined = append(joined, r)
	}
	w.ranges = joined
	last := map[int64]int{}
	for i, r := range w.words {
		last[r.id] = i
	}
	words := w.words[:0]
	for i, r := range w.words {
		if last[r.id] == i {
			words = append(words, r)
		}
	}
	w.words = words
}

// wordRows is how many items_words rows one statement inserts.
const wordRows = 32

// index does the full-text index work: the old text of changed items out,
// then the new and changed items in, the trigram index in one statement
// for a run of ids, far faster than a trigger per row.
func (c *txStmts) index(w *ftsWork) error {
	ctx := context.Background()
	tx := c.tx
	w.tidy()
	for _, o := range w.deletes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO items_fts (items_fts, rowid, title, summary, content) VALUES ('delete', ?, ?, ?, ?)`,
			o.id, o.title, o.summary, o.content); err != nil {
			return fmt.Errorf("index items: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM items_words WHERE rowid = ?`, o.id); err != nil {
			return fmt.Errorf("index items: %w", err)
		}
	}
	for _, r := range w.ranges {
		if _, err := tx.ExecContext(ctx, `INSERT INTO items_fts (rowid, title, summary, content)
			SELECT id, title, summary, content FROM items WHERE id >= ? AND id < ?`, r[0], r[1]); err != nil {
			return fmt.Errorf("index items: %w", err)
		}
	}
	if len(w.updated) > 0 {
		ids, err := json.Marshal(w.updated)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO items_fts (rowid, title, summary, content)
			SELECT id, title, summary, content FROM items WHERE id IN (SELECT value FROM json_each(?))`, string(ids)); err != nil {
			return fmt.Errorf("index items: %w", err)
		}
	}
	return c.indexWords(w.words)
}

// indexWords inserts items_words rows, wordRows at a time.
func (c *txStmts) indexWords(rows []wordRow) error {
	ctx := context.Background()
	for len(rows) > 0 {
		n := min(len(rows), wordRows)
		st, err := c.rows(ctx, `INSERT INTO items_words (rowid, text) VALUES `, `(?, ?)`, n)
		if err != nil {
			return err
		}
		args := make([]any, 0, 2*n)
		for _, r := range rows[:n] {
			args = append(args, r.id, r.text)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("index items: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

// fnv64 is FNV-1a, written out so that fingerprinting an item allocates
// nothing.
type fnv64 uint64

func newFNV() fnv64 { return 14695981039346656037 }

func (h *fnv64) str(s string) {
	x := *h
	for i := 0; i < len(s); i++ {
		x ^= fnv64(s[i])
		x *= 1099511628211
	}
	*h = x
}

func (h *fnv64) byte(c byte) {
	*h ^= fnv64(c)
	*h *= 1099511628211
}

func (h *fnv64) int(n int64) {
	var b [20]byte
	h.str(string(strconv.AppendInt(b[:0], n, 10)))
}

// itemHash fingerprints what saveItems writes of an item, so that a
// re-fetch of an unchanged item costs no write at all. The bytes hashed
// are fixed: stored fingerprints must stay comparable across versions.
func itemHash(it *store.Item) int64 {
	h := newFNV()
	field := func(s string) {
		h.str(s)
		h.byte(0)
	}
	field(it.URL)
	field(it.Title)
	field(it.Summary)
	field(it.Content)
	field(it.Author)
	field(it.Lang)
	h.int(it.Published.Unix())
	h.byte(0)
	h.int(unixOrZero(it.Updated))
	h.byte(0)
	field(strconv.FormatBool(it.Sanctions))
	list := func(xs []string) {
		for i, x := range xs {
			if i > 0 {
				h.byte(',')
			}
			h.str(x)
		}
		h.byte(0)
	}
	list(it.Firms)
	list(it.Alliances)
	for _, m := range it.Mentions {
		h.str(m.Entity)
		h.byte('|')
		h.str(m.Alias)
		h.byte('|')
		h.str(string(m.Field))
		h.byte('|')
		h.int(int64(m.Start))
		h.byte('|')
		h.int(int64(m.End))
		h.byte(';')
	}
	return int64(h)
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// mentionJSON is one match as stored in item_tags.mentions.
type mentionJSON struct {
	Alias string `json:"alias"`
	Field string `json:"field"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// itemTags returns an item's firm and alliance tag rows with their
// mentions.
func itemTags(it *store.Item) []tagRow {
	rows := make([]tagRow, 0, len(it.Firms)+len(it.Alliances)+2)
	mentions := func(kind store.EntityKind, entity string) string {
		var b []byte
		for _, m := range it.Mentions {
			if m.Kind != kind || m.Entity != entity {
				continue
			}
			if b == nil {
				b = append(b, '[')
			} else {
				b = append(b, ',')
			}
			b = appendMention(b, m)
		}
		if b == nil {
			return ""
		}
		return string(append(b, ']'))
	}
	for _, f := range it.Firms {
		rows = append(rows, tagRow{string(store.KindFirm), f, mentions(store.KindFirm, f)})
	}
	for _, a := range it.Alliances {
		rows = append(rows, tagRow{string(store.KindAlliance), a, mentions(store.KindAlliance, a)})
	}
	return rows
}

// appendMention appends m as the JSON of mentionJSON, as encoding/json
// would write it.
func appendMention(b []byte, m store.Mention) []byte {
	b = append(b, `{"alias":`...)
	b = appendJSONString(b, m.Alias)
	b = append(b, `,"field":`...)
	b = appendJSONString(b, string(m.Field))
	b = append(b, `,"start":`...)
	b = strconv.AppendInt(b, int64(m.Start), 10)
	b = append(b, `,"end":`...)
	b = strconv.AppendInt(b, int64(m.End), 10)
	return append(b, '}')
}

// appendJSONString appends s as a JSON string: as it is when nothing in
// it needs escaping, else through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	plain := utf8.ValidString(s) && !strings.ContainsAny(s, "\"\\<>&\u2028\u2029")
	for i := 0; plain && i < len(s); i++ {
		plain = s[i] >= 0x20
	}
	if !plain {
		js, _ := json.Marshal(s)
		return append(b, js...)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// isCJK reports whether r is written without spaces between words.
func isCJK(r rune) bool {
	switch {
	case r < 0x1100:
		return false // below Hangul Jamo, the first CJK block
	case 0x4E00 <= r && r <= 0x9FFF, 0x3400 <= r && r <= 0x4DBF, 0x3041 <= r && r <= 0x3096, 0x30A1 <= r && r <= 0x30FA, 0xAC00 <= r && r <= 0xD7A3:
		return true // the common blocks, without a table search
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// spaceCJK puts a space around every CJK character so that the unicode61
// tokenizer sees each one as a token; a phrase of such tokens then finds
// any CJK substring, whatever its length.
func spaceCJK(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for _, r := range s {
		if r >= 0x2E80 && isCJK(r) {
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// shortTokens returns what items_words needs of an item's text: every
// CJK character, and every other word of one or two characters. The
// index only answers terms shorter than three characters (the trigram
// index answers the rest), so longer words would be indexed for nothing.
func shortTokens(fields ...string) string {
	var b strings.Builder
	size := 0
	for _, s := range fields {
		size += len(s)
	}
	b.Grow(size / 2)
	for _, s := range fields {
		start, n := -1, 0 // the current word: byte start, runes
		flush := func(end int) {
			if start >= 0 && n <= 2 {
				b.WriteString(s[start:end])
				b.WriteByte(' ')
			}
			start, n = -1, 0
		}
		for i, r := range s {
			switch {
			case r < utf8.RuneSelf:
				if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
					if start < 0 {
						start = i
					}
					n++
				} else {
					flush(i)
				}
			case r >= 0x2E80 && isCJK(r):
				flush(i)
				b.WriteRune(r)
				b.WriteByte(' ')
			case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
				if start < 0 {
					start = i
				}
				n++
			default:
				flush(i)
			}
		}
		flush(len(s))
	}
	return b.String()
}
