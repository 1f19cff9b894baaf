// The write path's last hop: the full-text indexes (trigram items_fts and
// the short-word items_words), written after the savepoints.

package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

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
