// The write path's stories: which story a new item joins, by the story
// rule of store/story.go, found through the link_key and title_key
// indexes; and the Go side of migration 0013, which groups the items
// already stored by the same rule.

package sqlite

import (
	"context"
	"database/sql"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// window is store.StoryWindow in seconds.
const window = int64(store.StoryWindow / time.Second)

func absDiff(a, b int64) int64 { return max(a-b, b-a) }

// storyRow is what the story rule needs of an item.
type storyRow struct {
	id, feed, story, published int64
	copy, read, starred        bool
}

// storyID is the id of the item's story: its own when it is alone.
func (r storyRow) storyID() int64 {
	if r.story != 0 {
		return r.story
	}
	return r.id
}

// earlier orders copies as lists show them first: by publication, then id.
func (r storyRow) earlier(o storyRow) bool {
	return r.published < o.published || (r.published == o.published && r.id < o.id)
}

// storyOf returns the copies of the story that the item x joins, or nil
// when it joins none: the story of the first candidate with the same
// link, else of the first with the same title, that is from another
// feed, within the window for titles, and whose story has no copy from
// x's feed yet. Candidates come in id order. members returns a story's
// copies; taken reports a story that an item of x's feed joined in this
// save already.
func storyOf(x storyRow, byLink, byTitle []storyRow, members func(storyRow) ([]storyRow, error), taken func(int64) bool) ([]storyRow, error) {
	try := func(cands []storyRow, title bool) ([]storyRow, error) {
		for _, c := range cands {
			if c.feed == x.feed || (title && absDiff(c.published, x.published) > window) || taken(c.storyID()) {
				continue
			}
			ms, err := members(c)
			if err != nil {
				return nil, err
			}
			ok := true
			for _, m := range ms {
				if m.feed == x.feed || (title && !m.copy && absDiff(m.published, x.published) > window) {
					ok = false
					break
				}
			}
			if ok {
				return ms, nil
			}
		}
		return nil, nil
	}
	ms, err := try(byLink, false)
	if ms != nil || err != nil {
		return ms, err
	}
	return try(byTitle, true)
}

// headOf returns the copy a story is shown as.
func headOf(ms []storyRow) storyRow {
	h := ms[0]
	for _, m := range ms[1:] {
		if !m.copy && (h.copy || m.earlier(h)) {
			h = m
		}
	}
	return h
}

// storyStmts are the statements the write path's story lookups use.
type storyStmts struct {
	byLink, byTitle, members, setStory, setCopy *sql.Stmt
	// taken holds the stories an item of the feed being saved joined.
	taken map[int64]bool
}

// candidateSQL finds the items of other feeds with one of insertRows keys.
// The candidates of a block of new items: the items of other feeds with
// one of their link keys, and those with one of their title keys
// published within the window of that item's date, each title key's
// range read along the index (title_key, published). The planner is
// told the indexes: left to itself, it may walk items_published over the
// whole window instead.
var (
	linkCandidates = `SELECT id, feed_id, story, published, copy, read, starred, link_key FROM items INDEXED BY items_link_key
	WHERE link_key IN (` + strings.TrimSuffix(strings.Repeat("?, ", insertRows), ", ") + `) AND link_key <> 0 AND feed_id <> ? ORDER BY id`
	titleCandidates = `WITH k (key, lo, hi) AS (VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", insertRows), ", ") + `)
	SELECT i.id, i.feed_id, i.story, i.published, i.copy, i.read, i.starred, i.title_key
	FROM k CROSS JOIN items i INDEXED BY items_title_key ON i.title_key = k.key AND i.published BETWEEN k.lo AND k.hi
	WHERE i.title_key <> 0 AND i.feed_id <> ? ORDER BY i.id`
)

func (s *itemStmts) prepareStoryStmts(ctx context.Context) error {
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = s.get(ctx, q)
		return st
	}
	s.story.byLink = prep(linkCandidates)
	s.story.byTitle = prep(titleCandidates)
	s.story.members = prep(`SELECT id, feed_id, story, published, copy, read, starred FROM items WHERE story = ? AND story <> 0`)
	s.story.setStory = prep(`UPDATE items SET story = ? WHERE id = ?`)
	s.story.setCopy = prep(`UPDATE items SET copy = ? WHERE id = ?`)
	s.story.taken = map[int64]bool{}
	return err
}

// candidates runs a candidate statement (linkCandidates or
// titleCandidates) and returns its items by key, in id order, each once.
func candidates(ctx context.Context, st *sql.Stmt, args []any) (map[int64][]storyRow, error) {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]storyRow{}
	for rows.Next() {
		var r storyRow
		var k int64
		if err := rows.Scan(&r.id, &r.feed, &r.story, &r.published, &r.copy, &r.read, &r.starred, &k); err != nil {
			return nil, err
		}
		if l := out[k]; len(l) > 0 && l[len(l)-1].id == r.id {
			continue // two new items' windows both hold it
		}
		out[k] = append(out[k], r)
	}
	return out, rows.Err()
}

// copiesOf returns the copies of c's story.
func (s *itemStmts) copiesOf(ctx context.Context, c storyRow) ([]storyRow, error) {
	if c.story == 0 {
		return []storyRow{c}, nil
	}
	rows, err := s.story.members.QueryContext(ctx, c.story)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storyRow
	for rows.Next() {
		var r storyRow
		if err := rows.Scan(&r.id, &r.feed, &r.story, &r.published, &r.copy, &r.read, &r.starred); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// group decides the story of each of a block of new items, to be
// inserted with ids from id on, and writes what joining changes in the
// stored copies: a lone item's story id, and the copy flag of a story's
// earliest copy when a new item is earlier still. A new copy takes its
// story's read and starred marks.
func (s *itemStmts) group(ctx context.Context, feedID, id int64, ps []*prepared) error {
	// Unused places hold key 0, which no item has.
	links := make([]any, insertRows, insertRows+1)
	titles := make([]any, 3*insertRows, 3*insertRows+1)
	for i := range links {
		links[i], titles[3*i], titles[3*i+1], titles[3*i+2] = 0, 0, 0, 0
	}
	nl, nt := 0, 0
	for _, p := range ps {
		p.story, p.copy, p.read, p.starred = 0, false, false, false
		if p.link != 0 {
			links[nl] = p.link
			nl++
		}
		if p.title != 0 {
			at := p.it.Published.Unix()
			titles[3*nt], titles[3*nt+1], titles[3*nt+2] = p.title, at-window, at+window
			nt++
		}
	}
	var byLink, byTitle map[int64][]storyRow
	var err error
	if nl > 0 {
		if byLink, err = candidates(ctx, s.story.byLink, append(links, feedID)); err != nil {
			return err
		}
	}
	if nt > 0 {
		if byTitle, err = candidates(ctx, s.story.byTitle, append(titles, feedID)); err != nil {
			return err
		}
	}
	if len(byLink) == 0 && len(byTitle) == 0 {
		return nil
	}
	members := func(c storyRow) ([]storyRow, error) { return s.copiesOf(ctx, c) }
	taken := func(story int64) bool { return s.story.taken[story] }
	for i, p := range ps {
		if p.link == 0 && p.title == 0 {
			continue
		}
		x := storyRow{id: id + int64(i), feed: feedID, published: p.it.Published.Unix()}
		ms, err := storyOf(x, byLink[p.link], byTitle[p.title], members, taken)
		if err != nil {
			return err
		}
		if ms == nil {
			continue
		}
		story := ms[0].storyID()
		s.story.taken[story] = true
		if ms[0].story == 0 {
			if _, err := s.story.setStory.ExecContext(ctx, story, story); err != nil {
				return err
			}
		}
		head := headOf(ms)
		p.story, p.read, p.starred = story, head.read, head.starred
		if x.earlier(head) {
			if _, err := s.story.setCopy.ExecContext(ctx, true, head.id); err != nil {
				return err
			}
		} else {
			p.copy = true
		}
	}
	return nil
}

// addStoryColumns adds migration 0013's columns, each unless it exists.
func addStoryColumns(ctx context.Context, tx *sql.Tx) error {
	for _, c := range [][2]string{{"items", "story"}, {"items", "copy"}, {"items", "link_key"}, {"items", "title_key"}, {"item_tags", "copy"}} {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, c[0], c[1]).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if _, err := tx.ExecContext(ctx, `ALTER TABLE `+c[0]+` ADD COLUMN `+c[1]+` INTEGER NOT NULL DEFAULT 0`); err != nil {
				return err
			}
		}
	}
	return nil
}

// regroupPage is how many items regroupAll reads at a time.
var regroupPage = 8192

// regroupAll is the Go side of migration 0013: it fills link_key and
// title_key for every stored item, groups the items by the story rule as
// if each were saved anew in id order, makes each story's marks one (read
// if any copy was read, starred if any was starred), and creates the key
// indexes. The triggers keep the counters through its updates.
func regroupAll(ctx context.Context, tx *sql.Tx) error {
	// Read a page of items at a time and keep only what the rule needs:
	// folding titles is the dear part, done on every core.
	page := regroupPage
	var items []storyRow
	var links, tkeys []int64
	last := int64(-1 << 63)
	for {
		rows, err := tx.QueryContext(ctx, `SELECT id, feed_id, url, title, published, read, starred FROM items WHERE id > ? ORDER BY id LIMIT ?`, last, page)
		if err != nil {
			return err
		}
		var urls, titles []string
		from := len(items)
		for rows.Next() {
			var r storyRow
			var u, t string
			if err := rows.Scan(&r.id, &r.feed, &u, &t, &r.published, &r.read, &r.starred); err != nil {
				rows.Close()
				return err
			}
			items, urls, titles = append(items, r), append(urls, u), append(titles, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		links = append(links, make([]int64, len(urls))...)
		tkeys = append(tkeys, make([]int64, len(urls))...)
		var wg sync.WaitGroup
		workers := runtime.GOMAXPROCS(0)
		for w := range workers {
			wg.Go(func() {
				for i := w; i < len(urls); i += workers {
					links[from+i], tkeys[from+i] = store.LinkKey(urls[i]), store.TitleKey(titles[i])
				}
			})
		}
		wg.Wait()
		if len(urls) < page {
			break
		}
		last = items[len(items)-1].id
	}

	byLink, byTitle := map[int64][]int{}, map[int64][]int{}
	copies := map[int64][]int{} // story → indexes of its items
	rowsOf := func(ix []int) []storyRow {
		out := make([]storyRow, len(ix))
		for i, j := range ix {
			out[i] = items[j]
		}
		return out
	}
	near := func(ix []int, at int64) []storyRow {
		var out []storyRow
		for _, j := range ix {
			if absDiff(items[j].published, at) <= window {
				out = append(out, items[j])
			}
		}
		return out
	}
	members := func(c storyRow) ([]storyRow, error) {
		if c.story == 0 {
			return []storyRow{c}, nil
		}
		return rowsOf(copies[c.story]), nil
	}
	never := func(int64) bool { return false }
	index := map[int64]int{} // id → index, for grouped items only
	for i := range items {
		x := &items[i]
		ms, _ := storyOf(*x, rowsOf(byLink[links[i]]), near(byTitle[tkeys[i]], x.published), members, never)
		if ms != nil {
			story := ms[0].storyID()
			if ms[0].story == 0 {
				j := index[ms[0].id]
				items[j].story = story
				copies[story] = []int{j}
			}
			head := headOf(ms)
			x.story = story
			if x.earlier(head) {
				items[index[head.id]].copy = true
			} else {
				x.copy = true
			}
			copies[story] = append(copies[story], i)
			index[x.id] = i
		}
		if links[i] != 0 {
			byLink[links[i]] = append(byLink[links[i]], i)
			index[x.id] = i
		}
		if tkeys[i] != 0 {
			byTitle[tkeys[i]] = append(byTitle[tkeys[i]], i)
			index[x.id] = i
		}
	}

	set, err := tx.PrepareContext(ctx, `UPDATE items SET link_key = ?, title_key = ?, story = ?, copy = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer set.Close()
	for i, r := range items {
		if links[i] == 0 && tkeys[i] == 0 && r.story == 0 {
			continue
		}
		if _, err := set.ExecContext(ctx, links[i], tkeys[i], r.story, r.copy, r.id); err != nil {
			return err
		}
	}
	for story, ix := range copies {
		var read, starred bool
		for _, j := range ix {
			read, starred = read || items[j].read, starred || items[j].starred
		}
		for col, on := range map[string]bool{"read": read, "starred": starred} {
			if on {
				if _, err := tx.ExecContext(ctx, `UPDATE items SET `+col+` = 1 WHERE story = ? AND story <> 0 AND `+col+` = 0`, story); err != nil {
					return err
				}
			}
		}
	}
	for _, q := range []string{
		`CREATE INDEX IF NOT EXISTS items_link_key ON items (link_key) WHERE link_key <> 0`,
		`CREATE INDEX IF NOT EXISTS items_title_key ON items (title_key, published) WHERE title_key <> 0`,
		// The weekly counters count stories from now on, as tag_counts do.
		`DELETE FROM tag_weeks`,
		`INSERT INTO tag_weeks (kind, entity, week, total) SELECT t.kind, t.entity, ` + store.WeekSQL("i.published") + `, count(*)
			FROM ` + weeksJoin + ` GROUP BY 1, 2, 3`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
