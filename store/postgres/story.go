// The write path's stories: which story a new item joins, by the story
// rule of store/story.go as store/sqlite applies it (story.go there),
// found through the link_key and title_key indexes.

package postgres

import (
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// window is store.StoryWindow in seconds.
const window = int64(store.StoryWindow / time.Second)

func absDiff(a, b int64) int64 { return max(a-b, b-a) }

// storyRow is what the story rule needs of an item.
type storyRow struct {
	id, feed, story, published int64
	copy                       bool
}

// storyID is the id of the item's story: its own when it is alone. A
// story's id is the id of its first item, which never changes story.
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
func storyOf(x storyRow, byLink, byTitle []storyRow, members func(storyRow) []storyRow, taken func(int64) bool) []storyRow {
	try := func(cands []storyRow, title bool) []storyRow {
		for _, c := range cands {
			if c.feed == x.feed || (title && absDiff(c.published, x.published) > window) || taken(c.storyID()) {
				continue
			}
			ms := members(c)
			ok := true
			for _, m := range ms {
				if m.feed == x.feed || (title && !m.copy && absDiff(m.published, x.published) > window) {
					ok = false
					break
				}
			}
			if ok {
				return ms
			}
		}
		return nil
	}
	if ms := try(byLink, false); ms != nil {
		return ms
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

// group decides the story of each of a block of new items, to be
// inserted with ids, and writes what joining changes in the stored
// copies: a lone item's story id, and the copy flag (with its tag rows')
// of a story's shown copy when a new item is earlier still. It returns
// the (new item, story) pairs of the items that joined a story.
//
// The caller holds the save lock, so the candidates and copies read here
// are all that saves before committed, and no other save changes them
// until this one commits.
func (s *saver) group(ids []int64, ps []*prepared) ([][2]int64, error) {
	ctx, tx := s.ctx, s.tx
	var links, tkeys, lo, hi []int64
	for _, p := range ps {
		p.story, p.copy = 0, false
		if p.link != 0 {
			links = append(links, p.link)
		}
		if p.title != 0 {
			at := p.it.Published.Unix()
			tkeys, lo, hi = append(tkeys, p.title), append(lo, at-window), append(hi, at+window)
		}
	}
	byLink := map[int64][]storyRow{} // by link key
	byTitle := map[int64][]storyRow{}
	read := func(rows pgx.Rows, err error, into map[int64][]storyRow) error {
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r storyRow
			var k int64
			if err := rows.Scan(&r.id, &r.feed, &r.story, &r.published, &r.copy, &k); err != nil {
				return err
			}
			if l := into[k]; len(l) > 0 && l[len(l)-1].id == r.id {
				continue // two new items' windows both hold it
			}
			into[k] = append(into[k], r)
		}
		return rows.Err()
	}
	if len(links) > 0 {
		rows, err := tx.Query(ctx, `SELECT id, feed_id, story, published, copy <> 0, link_key FROM items
			WHERE link_key = ANY($1) AND link_key <> 0 AND feed_id <> $2 ORDER BY id`, links, s.feedID)
		if err := read(rows, err, byLink); err != nil {
			return nil, err
		}
	}
	if len(tkeys) > 0 {
		rows, err := tx.Query(ctx, `SELECT i.id, i.feed_id, i.story, i.published, i.copy <> 0, i.title_key
			FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS k(key, lo, hi)
			JOIN items i ON i.title_key = k.key AND i.published BETWEEN k.lo AND k.hi
			WHERE i.title_key <> 0 AND i.feed_id <> $4 ORDER BY i.id`, tkeys, lo, hi, s.feedID)
		if err := read(rows, err, byTitle); err != nil {
			return nil, err
		}
	}
	if len(byLink) == 0 && len(byTitle) == 0 {
		return nil, nil
	}
	var storyIDs []int64
	for _, m := range []map[int64][]storyRow{byLink, byTitle} {
		for _, rs := range m {
			for _, r := range rs {
				storyIDs = append(storyIDs, r.storyID())
			}
		}
	}
	slices.Sort(storyIDs)
	storyIDs = slices.Compact(storyIDs)
	// The candidates' stories' copies, the candidates among them.
	rows, err := tx.Query(ctx, `SELECT id, feed_id, story, published, copy <> 0 FROM items WHERE story = ANY($1) OR id = ANY($1) ORDER BY id`, storyIDs)
	if err != nil {
		return nil, err
	}
	fresh := map[int64]storyRow{}
	copies := map[int64][]storyRow{}
	for rows.Next() {
		var r storyRow
		if err := rows.Scan(&r.id, &r.feed, &r.story, &r.published, &r.copy); err != nil {
			rows.Close()
			return nil, err
		}
		fresh[r.id] = r
		copies[r.storyID()] = append(copies[r.storyID()], r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	now := func(rs []storyRow) []storyRow {
		out := make([]storyRow, 0, len(rs))
		for _, r := range rs {
			if f, ok := fresh[r.id]; ok { // gone if deleted meanwhile
				out = append(out, f)
			}
		}
		return out
	}
	members := func(c storyRow) []storyRow { return copies[c.storyID()] }
	taken := func(story int64) bool { return s.taken[story] }
	var joins [][2]int64
	var setStory, setCopy []int64
	for i, p := range ps {
		if p.link == 0 && p.title == 0 {
			continue
		}
		x := storyRow{id: ids[i], feed: s.feedID, published: p.it.Published.Unix()}
		var bl, bt []storyRow
		if p.link != 0 {
			bl = now(byLink[p.link])
		}
		if p.title != 0 {
			bt = now(byTitle[p.title])
		}
		ms := storyOf(x, bl, bt, members, taken)
		if ms == nil {
			continue
		}
		story := ms[0].storyID()
		s.taken[story] = true
		if ms[0].story == 0 {
			setStory = append(setStory, story)
		}
		head := headOf(ms)
		p.story = story
		if x.earlier(head) {
			setCopy = append(setCopy, head.id)
		} else {
			p.copy = true
		}
		joins = append(joins, [2]int64{x.id, story})
	}
	if len(setStory) > 0 {
		slices.Sort(setStory)
		if _, err := tx.Exec(ctx, `UPDATE items SET story = id WHERE id = ANY($1) AND story = 0`, setStory); err != nil {
			return nil, err
		}
	}
	if len(setCopy) > 0 {
		slices.Sort(setCopy)
		if err := setCopies(ctx, tx, setCopy, true); err != nil {
			return nil, err
		}
	}
	return joins, nil
}
