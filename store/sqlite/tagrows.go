// The write path's tag rows: item_tags with their mentions JSON, the
// alliance roll-up and the tag counters.

package sqlite

import (
	"context"

	"github.com/aiwatch/aiwatch/store"
)

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
func (s *itemStmts) writeTags(ctx context.Context, id int64, it *store.Item, unread, copy bool) error {
	if _, err := s.delTags.ExecContext(ctx, id); err != nil {
		return err
	}
	var published int64
	if err := s.published.QueryRowContext(ctx, id).Scan(&published); err != nil {
		return err
	}
	return s.queueTags(ctx, id, unread, copy, published, s.withAlly(&prepared{it: it, tags: itemTags(it)}))
}

// queueTags queues the tag rows of an item published at published (unix
// seconds), writing them a block at a time, and notes what they add to
// the counters and the weekly counters, which count only the copy of a
// story that lists show.
func (s *itemStmts) queueTags(ctx context.Context, id int64, unread, copy bool, published int64, rows []tagRow) error {
	week := store.Week(published)
	for _, r := range rows {
		s.tagBuf = append(s.tagBuf, tagArgs{r, id, unread, copy})
		if !copy {
			s.count(r.kind, r.entity, 1, b2i(unread))
			s.weeks[weekKey{r.kind, r.entity, week}]++
		}
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
		st, err := s.rows(ctx, `INSERT OR IGNORE INTO item_tags (kind, entity, item_id, unread, copy, mentions) VALUES `, `(?, ?, ?, ?, ?, ?)`, n)
		if err != nil {
			return err
		}
		args := make([]any, 0, 6*n)
		for _, r := range s.tagBuf[:n] {
			args = append(args, r.kind, r.entity, r.id, r.unread, r.copy, r.mentions)
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

// weekKey is a counter of tag_weeks.
type weekKey struct {
	kind, entity string
	week         int64
}

// flushCounts adds the gathered counts to tag_counts and tag_weeks.
func (s *itemStmts) flushCounts(ctx context.Context) error {
	for k, n := range s.weeks {
		if _, err := s.tx.ExecContext(ctx, `INSERT INTO tag_weeks (kind, entity, week, total) VALUES (?, ?, ?, ?)
			ON CONFLICT (kind, week, entity) DO UPDATE SET total = total + excluded.total`, k.kind, k.entity, k.week, n); err != nil {
			return err
		}
	}
	clear(s.weeks)
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

// itemTags returns an item's firm and alliance tag rows with their
// mentions.
func itemTags(it *store.Item) []tagRow {
	rows := make([]tagRow, 0, len(it.Firms)+len(it.Alliances)+2)
	for _, f := range it.Firms {
		rows = append(rows, tagRow{string(store.KindFirm), f, store.MentionsJSON(it.Mentions, store.KindFirm, f)})
	}
	for _, a := range it.Alliances {
		rows = append(rows, tagRow{string(store.KindAlliance), a, store.MentionsJSON(it.Mentions, store.KindAlliance, a)})
	}
	return rows
}
