// The write path's tag rows: item_tags with their mentions JSON and the
// alliance roll-up ('ally'), written as store/sqlite writes them, with
// the item's published and copy beside them.

package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// tagRow is one row of item_tags.
type tagRow struct {
	kind, entity, mentions string
}

// itemTags returns an item's firm and alliance tag rows with their
// mentions.
func itemTags(it *store.Item) []tagRow {
	rows := make([]tagRow, 0, len(it.Firms)+len(it.Alliances)+2)
	for _, f := range it.Firms {
		rows = append(rows, tagRow{string(store.KindFirm), pgText(f), store.MentionsJSON(it.Mentions, store.KindFirm, f)})
	}
	for _, a := range it.Alliances {
		rows = append(rows, tagRow{string(store.KindAlliance), pgText(a), store.MentionsJSON(it.Mentions, store.KindAlliance, a)})
	}
	return rows
}

// withAlly returns an item's tag rows with the alliance roll-up: every
// alliance the item names, or names a member of. members maps a firm to
// its alliances.
func withAlly(it *store.Item, rows []tagRow, members map[string][]string) []tagRow {
	n := len(rows)
	seen := func(a string) bool {
		for _, r := range rows[n:] {
			if r.entity == a {
				return true
			}
		}
		return false
	}
	for _, f := range it.Firms {
		for _, a := range members[f] {
			if !seen(a) {
				rows = append(rows, tagRow{"ally", a, ""})
			}
		}
	}
	for _, a := range it.Alliances {
		if a = pgText(a); !seen(a) {
			rows = append(rows, tagRow{"ally", a, ""})
		}
	}
	return rows
}

// memberships maps each firm to the alliances it belongs to.
func memberships(ctx context.Context, tx pgx.Tx) (map[string][]string, error) {
	rows, err := tx.Query(ctx, `SELECT firm_id, alliance_id FROM memberships ORDER BY firm_id, alliance_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var f, a string
		if err := rows.Scan(&f, &a); err != nil {
			return nil, err
		}
		out[f] = append(out[f], a)
	}
	return out, rows.Err()
}

// tagBuf gathers tag rows, to be written a block at a time.
type tagBuf struct {
	rows [][]any
	seen map[tagKey]bool
}

// tagKey is item_tags' primary key.
type tagKey struct {
	kind, entity string
	item         int64
}

// add queues the rows of the item id, published at published (unix
// seconds). A row twice (a firm listed twice) is queued once, as SQLite's
// INSERT OR IGNORE has it.
func (b *tagBuf) add(id, published int64, copy bool, rows []tagRow) {
	c := int32(0)
	if copy {
		c = 1
	}
	if b.seen == nil {
		b.seen = map[tagKey]bool{}
	}
	for _, r := range rows {
		k := tagKey{r.kind, r.entity, id}
		if b.seen[k] {
			continue
		}
		b.seen[k] = true
		b.rows = append(b.rows, []any{r.kind, r.entity, id, r.mentions, c, published})
	}
}

// len is how many rows are queued.
func (b *tagBuf) len() int { return len(b.rows) }

// flush writes the queued rows with COPY. The caller has deleted any rows
// the items had.
func (b *tagBuf) flush(ctx context.Context, tx pgx.Tx) error {
	if len(b.rows) == 0 {
		return nil
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"item_tags"}, []string{"kind", "entity", "item_id", "mentions", "copy", "published"}, pgx.CopyFromRows(b.rows))
	*b = tagBuf{}
	return err
}
