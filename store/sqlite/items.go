package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aiwatch/aiwatch/store"
)

// ftsString quotes s as an FTS5 string.
func ftsString(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// trigramQuery returns an FTS5 query for the rows that hold every
// trigram of term, in the trigram tokenizer's case folding.
func trigramQuery(term string) string {
	r := []rune(strings.ToLower(term))
	seen := map[string]bool{}
	var parts []string
	for i := 0; i+3 <= len(r); i++ {
		t := string(r[i : i+3])
		if !seen[t] {
			seen[t] = true
			parts = append(parts, ftsString(t))
		}
	}
	return strings.Join(parts, " AND ")
}

// wordsQuery returns an FTS5 query for the rows of items_words that hold
// every token of term: its words, and each of its CJK characters.
func wordsQuery(term string) string {
	var parts []string
	for _, f := range strings.Fields(spaceCJK(term)) {
		parts = append(parts, ftsString(f))
	}
	return strings.Join(parts, " AND ")
}

// containsSQL confirms in the row itself that a field holds the term, as
// the indexes keep no positions. Case is folded for ASCII, as lower() does.
const containsSQL = `(instr(lower(i.title), ?) > 0 OR instr(lower(i.summary), ?) > 0 OR instr(lower(i.content), ?) > 0)`

// containsCaselessSQL is containsSQL for a term without ASCII letters,
// where folding the fields would change nothing but cost a copy of each.
const containsCaselessSQL = `(instr(i.title, ?) > 0 OR instr(i.summary, ?) > 0 OR instr(i.content, ?) > 0)`

// contains returns the condition that a field holds term, as containsSQL
// decides it, and its arguments.
func contains(term string) (string, []any) {
	lt := strings.ToLower(term)
	if strings.IndexFunc(lt, func(r rune) bool { return r >= 'a' && r <= 'z' }) < 0 {
		return containsCaselessSQL, []any{lt, lt, lt}
	}
	return containsSQL, []any{lt, lt, lt}
}

// allCJK reports whether every rune of s is a CJK character.
func allCJK(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return !isCJK(r) }) < 0
}

// textCond returns the condition that an item contains term, in its
// feed text (feedTextCond) or in its article. bodies says whether any
// item has an article: only then does the term's driving index take the
// articles' matches in too, so a store without articles keeps its plans.
func textCond(term string, bodies bool) cond {
	c := feedTextCond(term)
	if c.drive == nil {
		return c // nothing to search for
	}
	am, aarg := articleMatch(term)
	c.set = `(` + c.set + ` OR ` + am + `)`
	c.setArgs = append(append([]any{}, c.setArgs...), aarg)
	c.probe = `(` + c.probe + ` OR ` + am + `)`
	c.probeArgs = append(append([]any{}, c.probeArgs...), aarg)
	if bodies {
		// Drive from the items whose article matches, then those whose
		// feed text's index does and whose article does not: a union
		// without duplicates that SQLite streams, with no set of all the
		// matches to build (articles are few; feed-text matches may be
		// most of the store). The check, if any, was for feed text; an
		// article match passes without it. tagCount cannot count from
		// two indexes, so it leaves the count to the plan.
		d := *c.drive
		ftsTable := d.table
		index := am[len(`i.id IN (`) : len(am)-1]
		d.from = `(` + strings.Replace(index, "SELECT rowid", "SELECT rowid AS id", 1) +
			` UNION ALL SELECT rowid FROM ` + ftsTable + ` WHERE ` + strings.Replace(d.on, "w."+ftsTable, ftsTable, 1) +
			` AND rowid NOT IN (` + index + `)) w CROSS JOIN items i ON i.id = w.id`
		d.args = append(append([]any{aarg}, d.args...), aarg)
		d.on = `1`
		if d.check != "" {
			d.check = `(` + d.check + ` OR ` + am + `)`
			d.checkArgs = append(append([]any{}, d.checkArgs...), aarg)
		}
		d.table = ""
		c.drive = &d
	}
	return c
}

// feedTextCond returns the condition that an item's feed text contains term. Terms of
// three or more characters use the trigram index; shorter ones the word
// index, where a CJK character is a token. Neither index keeps positions,
// so the row confirms the substring. For terms of three or more
// characters, and for CJK ones, that confirmation alone decides, since
// any row holding the substring holds every token the index asks for:
// the probe form, for testing rows one at a time, is then the
// confirmation alone.
func feedTextCond(term string) cond {
	if utf8.RuneCountInString(term) >= 3 {
		check, cargs := contains(term)
		q := trigramQuery(term)
		return cond{
			set:     `(i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?) AND ` + check + `)`,
			setArgs: append([]any{q}, cargs...),
			probe:   check, probeArgs: cargs,
			drive: &driver{from: `items_fts w CROSS JOIN items i ON i.id = w.rowid`, on: `w.items_fts MATCH ?`, args: []any{q},
				check: check, checkArgs: cargs, table: "items_fts", runes: utf8.RuneCountInString(term)},
		}
	}
	q := wordsQuery(term)
	if q == "" {
		return cond{set: "1 = 1", probe: "1 = 1"}
	}
	c := cond{set: `i.id IN (SELECT rowid FROM items_words WHERE items_words MATCH ?)`, setArgs: []any{q},
		drive: &driver{from: `items_words w CROSS JOIN items i ON i.id = w.rowid`, on: `w.items_words MATCH ?`, args: []any{q},
			table: "items_words", runes: utf8.RuneCountInString(term)}}
	c.probe, c.probeArgs = c.set, c.setArgs
	if strings.IndexFunc(term, isCJK) >= 0 {
		// 华为 must be one run, not 华 … 为.
		check, cargs := contains(term)
		c.set = `(` + c.set + ` AND ` + check + `)`
		c.setArgs = append(c.setArgs, cargs...)
		c.probe, c.probeArgs = c.set, c.setArgs
		if allCJK(term) {
			c.probe, c.probeArgs = check, cargs
		}
		if utf8.RuneCountInString(term) > 1 {
			c.drive.check, c.drive.checkArgs = check, cargs
		}
	}
	return c
}

// cond is one condition of a filter in two forms: set, which lets SQLite
// drive the query from an index or a set of IDs built once, and probe,
// cheap to test on one row of items i at a time.
type cond struct {
	set, probe         string
	setArgs, probeArgs []any
	// drive says how the condition can produce its items by itself, for
	// positive tags and text; nil otherwise.
	drive *driver
	ids   bool // the condition is Filter.IDs
	story bool // the condition is storyCond's
}

// storyCond returns the condition that an item is the copy its story is
// listed as (its earliest), unless f lists every copy: AllCopies, or a
// filter naming the feeds or the items to show, which are listed as they
// are. ok is false when there is no such condition.
func storyCond(f store.Filter) (c cond, ok bool) {
	if f.AllCopies || len(f.Feeds) > 0 || f.IDs != nil {
		return cond{}, false
	}
	return cond{set: `i.copy = 0`, probe: `i.copy = 0`, story: true}, true
}

// withStory returns cs with f's storyCond, if any.
func withStory(cs []cond, f store.Filter) []cond {
	if c, ok := storyCond(f); ok {
		return append(cs, c)
	}
	return cs
}

// driver is a row source that yields the items meeting one condition,
// joined as i, and what remains to check on each of them.
type driver struct {
	from      string // a FROM clause joining items i
	on        string // the condition on the driving table
	args      []any
	check     string // what remains to test on each row, or ""
	checkArgs []any
	// kind and entity are the tag_counts key of a tag; table is the
	// full-text index of a text term, and runes its length.
	kind, entity string
	table        string
	runes        int
}

// conditions returns f's conditions; they are all joined with AND.
func conditions(f store.Filter, bodies bool) []cond {
	var cs []cond
	same := func(c string, a ...any) {
		cs = append(cs, cond{set: c, probe: c, setArgs: a, probeArgs: a})
	}
	not := func(c cond) cond {
		return cond{set: "NOT " + c.set, probe: "NOT " + c.probe, setArgs: c.setArgs, probeArgs: c.probeArgs}
	}
	for _, t := range f.Text {
		if t = strings.TrimSpace(t); t != "" {
			cs = append(cs, textCond(t, bodies))
		}
	}
	for _, t := range f.NotText {
		if t = strings.TrimSpace(t); t != "" {
			cs = append(cs, not(textCond(t, bodies)))
		}
	}
	tag := func(kind, id string) cond {
		return cond{
			set:   `i.id IN (SELECT item_id FROM item_tags WHERE kind = ? AND entity = ?)`,
			probe: `EXISTS (SELECT 1 FROM item_tags t INDEXED BY item_tags_item WHERE t.item_id = i.id AND t.kind = ? AND t.entity = ?)`,
			drive: &driver{from: `item_tags d CROSS JOIN items i ON i.id = d.item_id`, on: `d.kind = ? AND d.entity = ?`,
				args: []any{kind, id}, kind: kind, entity: id},
			setArgs: []any{kind, id}, probeArgs: []any{kind, id},
		}
	}
	for _, id := range f.Firms {
		cs = append(cs, tag(string(store.KindFirm), id))
	}
	for _, id := range f.NotFirms {
		cs = append(cs, not(tag(string(store.KindFirm), id)))
	}
	for _, id := range f.Alliances {
		cs = append(cs, tag("ally", id))
	}
	for _, id := range f.NotAlliances {
		cs = append(cs, not(tag("ally", id)))
	}
	onList := func(id string) cond {
		return cond{
			set: `i.id IN (SELECT t.item_id FROM item_tags t JOIN designations d ON d.firm_id = t.entity
		WHERE t.kind = 'firm' AND d.list_id = ? AND d.removed = '' AND d.status = 'confirmed')`,
			probe: `EXISTS (SELECT 1 FROM item_tags t JOIN designations d ON d.firm_id = t.entity
		WHERE t.item_id = i.id AND t.kind = 'firm' AND d.list_id = ? AND d.removed = '' AND d.status = 'confirmed')`,
			setArgs: []any{id}, probeArgs: []any{id},
		}
	}
	for _, id := range f.Lists {
		cs = append(cs, onList(id))
	}
	for _, id := range f.NotLists {
		cs = append(cs, not(onList(id)))
	}
	const lang = `(i.lang = ? OR i.lang LIKE ? || '-%')`
	for _, l := range f.Langs {
		same(lang, strings.ToLower(l), strings.ToLower(l))
	}
	for _, l := range f.NotLangs {
		same("NOT "+lang, strings.ToLower(l), strings.ToLower(l))
	}
	const feed = `i.feed_id IN (SELECT id FROM feeds WHERE CAST(id AS TEXT) = ? OR instr(lower(title), lower(?)) > 0 OR instr(lower(url), lower(?)) > 0)`
	for _, name := range f.Feeds {
		same(feed, name, name, name)
	}
	for _, name := range f.NotFeeds {
		same("NOT "+feed, name, name, name)
	}
	if !f.Since.IsZero() {
		same(`i.published >= ?`, f.Since.Unix())
	}
	if !f.Until.IsZero() {
		same(`i.published < ?`, f.Until.Unix())
	}
	tri := func(col string, t store.Tristate, yes string) {
		switch t {
		case store.Yes:
			same(col + " = " + yes)
		case store.No:
			same(col + " <> " + yes)
		}
	}
	tri("i.read", f.Unread, "0")
	tri("i.starred", f.Starred, "1")
	tri("i.sanctions", f.Sanctions, "1")
	if f.IDs != nil {
		b, _ := json.Marshal(f.IDs)
		same(`i.id IN (SELECT value FROM json_each(?))`, string(b))
		cs[len(cs)-1].ids = true
	}
	return cs
}

// where builds the WHERE clause and arguments for a filter, leaving the
// plan to SQLite.
func where(f store.Filter) (string, []any) {
	var conds []string
	var args []any
	for _, c := range conditions(f, false) {
		conds = append(conds, c.set)
		args = append(args, c.setArgs...)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// A plan is where a query over items i reads its rows from and what it
// tests on each.
//
// Left to itself, SQLite would build the whole set of items of every tag
// and search term in a filter, then read and sort every match to show
// the newest screenful: at a million items that is most of a second for
// a popular firm. A plan instead drives the query from one condition's
// own index (the rarest tag, else a search term, else a tag) and tests
// the others on each row it yields, by index probes rather than by
// building sets; and a window of the newest items is first looked for
// among the newest rows only (see Items).
type plan struct {
	from  string
	conds []string
	args  []any
	// sparse says the driving tag names few items, so that looking for
	// them among the newest rows is not worth it.
	sparse bool
	// drive is the index of the driving tag or search term, or -1: the
	// plan is then the filter's WHERE clause as where builds it, or a
	// list of IDs.
	drive int
}

func (p plan) where() string {
	if len(p.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(p.conds, " AND ")
}

// sparseShare: a tag naming at most 1/sparseShare of all items drives a
// window query by itself, since its items are then too far apart to
// find among the newest rows cheaply.
const sparseShare = 16

// plan chooses how to read the items that meet cs.
func (db *DB) plan(ctx context.Context, cs []cond) (plan, error) {
	var tags []int
	text, ids := -1, -1
	for i, c := range cs {
		switch {
		case c.ids:
			ids = i
		case c.drive == nil:
		case c.drive.kind != "":
			tags = append(tags, i)
		case text < 0 || c.drive.runes > cs[text].drive.runes:
			text = i // the longest term is likely the rarest
		}
	}
	p := plan{drive: -1}
	if ids >= 0 {
		// A handful of IDs beats any index.
		p.from = "items i"
		for i, c := range cs {
			if i == ids {
				p.conds, p.args = append(p.conds, c.set), append(p.args, c.setArgs...)
			} else {
				p.conds, p.args = append(p.conds, c.probe), append(p.args, c.probeArgs...)
			}
		}
		return p, nil
	}
	drive := text
	if len(tags) > 0 {
		sizes, total, err := db.tagSizes(ctx, cs, tags)
		if err != nil {
			return p, err
		}
		rarest := tags[0]
		for _, i := range tags[1:] {
			if sizes[i] < sizes[rarest] {
				rarest = i
			}
		}
		if sizes[rarest]*sparseShare <= total {
			drive, p.sparse = rarest, true
		} else if drive < 0 {
			drive = rarest
		}
	}
	if drive < 0 {
		p.from = "items i"
		for _, c := range cs {
			p.conds, p.args = append(p.conds, c.set), append(p.args, c.setArgs...)
		}
		return p, nil
	}
	d := cs[drive].drive
	p.from, p.drive = d.from, drive
	p.conds, p.args = []string{d.on}, append([]any{}, d.args...)
	if d.check != "" {
		p.conds, p.args = append(p.conds, d.check), append(p.args, d.checkArgs...)
	}
	for i, c := range cs {
		if i != drive {
			p.conds, p.args = append(p.conds, c.probe), append(p.args, c.probeArgs...)
		}
	}
	return p, nil
}

// tagSizes returns how many items each tag condition of cs names, by
// index in cs, and how many items there are, from the counters.
func (db *DB) tagSizes(ctx context.Context, cs []cond, tags []int) (map[int]int, int, error) {
	q := `SELECT kind, entity, total FROM tag_counts WHERE (kind = '' AND entity = '')`
	var args []any
	for _, i := range tags {
		q += ` OR (kind = ? AND entity = ?)`
		args = append(args, cs[i].drive.kind, cs[i].drive.entity)
	}
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	found := map[[2]string]int{}
	for rows.Next() {
		var kind, entity string
		var n int
		if err := rows.Scan(&kind, &entity, &n); err != nil {
			return nil, 0, err
		}
		found[[2]string{kind, entity}] = n
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	sizes := map[int]int{}
	for _, i := range tags {
		sizes[i] = found[[2]string{cs[i].drive.kind, cs[i].drive.entity}] // a tag never counted names no item
	}
	return sizes, found[[2]string{"", ""}], nil
}

// itemColumns are the columns Items reads, from items i joined with feeds fd.
const itemColumns = `i.id, i.feed_id, fd.title, i.key, i.url, i.title, i.summary, i.author, i.lang, i.published, i.updated, i.fetched,
		i.read, i.starred, i.sanctions,
		(SELECT group_concat(kind || ':' || entity, ',') FROM item_tags t WHERE t.item_id = i.id AND t.kind IN ('firm', 'alliance')),
		` + alsoInSQL

// alsoInSQL is the titles of the feeds of an item's other copies,
// earliest first, joined by the unit separator; NULL for an item alone.
const alsoInSQL = `CASE WHEN i.story <> 0 THEN (SELECT group_concat(t, char(31)) FROM (
			SELECT CASE WHEN f2.title <> '' THEN f2.title ELSE f2.url END AS t FROM items j JOIN feeds f2 ON f2.id = j.feed_id
			WHERE j.story = i.story AND j.story <> 0 AND j.id <> i.id ORDER BY j.published, j.id)) END`

// newestFirst orders items as every list shows them.
const newestFirst = ` ORDER BY i.published DESC, i.id DESC`

// scanShare: a window of n items that match a filter is first looked for
// among the newest scanShare×n rows, which finds it at once for any
// filter matching at least 1/scanShare of the items, and costs little
// otherwise.
const scanShare = 16

// Items returns the items that match f, newest first, with their firm and
// alliance tags. Summary is included; content and mentions are not (use
// Item for the full text).
func (db *DB) Items(ctx context.Context, f store.Filter) ([]store.Item, error) {
	return db.items(ctx, f, db.ignoreConds())
}

// items is Items with the ignore rules' conditions given.
func (db *DB) items(ctx context.Context, f store.Filter, ignore []cond) ([]store.Item, error) {
	bodies, err := db.searchesArticles(ctx, f)
	if err != nil {
		return nil, db.wrap("list items", err)
	}
	cs := append(withStory(conditions(f, bodies), f), ignore...)
	p, err := db.plan(ctx, cs)
	if err != nil {
		return nil, db.wrap("list items", err)
	}
	page := ""
	if f.Limit > 0 {
		page = " LIMIT " + strconv.Itoa(f.Limit)
		if f.Offset > 0 {
			page += " OFFSET " + strconv.Itoa(f.Offset)
		}
	}
	// The story condition alone holds for most rows: the newest rows
	// answer at once, without the window's bound.
	storyOnly := len(cs) == 1 && cs[0].story
	if len(cs) > 0 && f.Limit > 0 && !p.sparse && f.IDs == nil && !storyOnly {
		// Look among the newest rows first, walking the date index and
		// testing each row; stop at the scanShare×(offset+limit)-th row.
		var bound sql.NullInt64
		err := db.db.QueryRowContext(ctx, `SELECT published FROM items INDEXED BY items_published
			ORDER BY published DESC, id DESC LIMIT 1 OFFSET ?`, scanShare*(f.Offset+f.Limit)-1).Scan(&bound)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, db.wrap("list items", err)
		}
		var conds []string
		var args []any
		if bound.Valid {
			conds, args = append(conds, `i.published >= ?`), append(args, bound.Int64)
		}
		for _, c := range cs {
			// Tags are probed in their index row by row; a search term's
			// matches are read once from its index (a rare term costs
			// nothing, where testing each row's text would).
			if c.drive != nil && c.drive.kind == "" {
				conds, args = append(conds, c.set), append(args, c.setArgs...)
			} else {
				conds, args = append(conds, c.probe), append(args, c.probeArgs...)
			}
		}
		out, err := db.queryItems(ctx, `SELECT `+itemColumns+` FROM items i INDEXED BY items_published JOIN feeds fd ON fd.id = i.feed_id
			WHERE `+strings.Join(conds, " AND ")+newestFirst+page, args)
		// A full window, or every row looked at: the answer.
		if err != nil || len(out) == f.Limit || !bound.Valid {
			return out, err
		}
	}
	return db.queryItems(ctx, `SELECT `+itemColumns+` FROM `+p.from+` JOIN feeds fd ON fd.id = i.feed_id`+p.where()+newestFirst+page, p.args)
}

// queryItems runs a query of itemColumns.
func (db *DB) queryItems(ctx context.Context, q string, args []any) ([]store.Item, error) {
	return scanAll(ctx, db, "list items", q, args, func(rows *sql.Rows, it *store.Item) error {
		var pub, upd, fet int64
		var tags, also sql.NullString
		if err := rows.Scan(&it.ID, &it.FeedID, &it.FeedTitle, &it.Key, &it.URL, &it.Title, &it.Summary, &it.Author, &it.Lang,
			&pub, &upd, &fet, &it.Read, &it.Starred, &it.Sanctions, &tags, &also); err != nil {
			return err
		}
		if also.String != "" {
			it.AlsoIn = strings.Split(also.String, "\x1f")
		}
		it.Published, it.Updated, it.Fetched = fromUnix(pub), fromUnix(upd), fromUnix(fet)
		it.Firms, it.Alliances = splitTags(tags.String)
		return nil
	})
}

func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

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
	sort.Strings(firms)
	sort.Strings(alliances)
	return firms, alliances
}

// CountItems counts the items that match f, and how many are unread.
// Limit and Offset are ignored. A filter of at most one firm or alliance
// and "unread" costs one lookup in the counters; others are counted from
// the rows of their rarest condition (see plan).
func (db *DB) CountItems(ctx context.Context, f store.Filter) (store.Counts, error) {
	f.Limit, f.Offset = 0, 0
	var c store.Counts
	if kind, entity, ok := counted(f); ok {
		err := db.db.QueryRowContext(ctx, `SELECT total, unread FROM tag_counts WHERE kind = ? AND entity = ?`, kind, entity).Scan(&c.Total, &c.Unread)
		if errors.Is(err, sql.ErrNoRows) {
			err = nil // a tag never counted names no item
		}
		if err == nil && len(db.ignore) > 0 {
			var ig map[string]store.Counts
			ig, err = db.ignoredTagCounts(ctx, kind)
			c = minus(c, ig[entity])
		}
		if f.Unread == store.Yes {
			c.Total = c.Unread
		}
		return c, db.wrap("count items", err)
	}
	bodies, err := db.searchesArticles(ctx, f)
	if err != nil {
		return c, db.wrap("count items", err)
	}
	cs := append(withStory(conditions(f, bodies), f), db.ignoreConds()...)
	p, err := db.plan(ctx, cs)
	if err != nil {
		return c, db.wrap("count items", err)
	}
	unread, body, args := `i.read = 0`, `FROM `+p.from+p.where(), p.args
	if tu, tbody, targs, ok := tagCount(cs, p.drive); ok {
		unread, body, args = tu, tbody, targs
	}
	q := `SELECT count(*), sum(` + unread + `) ` + body
	if f.CountUpTo > 0 {
		// Count one past the cap, to tell "exactly the cap" from "more".
		q = `SELECT count(*), sum(u) FROM (SELECT ` + unread + ` AS u ` + body + ` LIMIT ?)`
		args = append(slices.Clip(args), f.CountUpTo+1)
	}
	var n sql.NullInt64
	err = db.db.QueryRowContext(ctx, q, args...).Scan(&c.Total, &n)
	c.Unread = int(n.Int64)
	return c.UpTo(f.CountUpTo), db.wrap("count items", err)
}

// tagCount returns a count of the items that meet cs read from indexes
// alone, item_tags and a full-text index, without reading any item: when
// cs are tags and at most one search term its index decides by itself
// (a word, a CJK character), and the term or a tag drives. It returns
// the expression that is 1 for an unread item, and the FROM and WHERE
// clauses with their arguments.
func tagCount(cs []cond, drive int) (unread, body string, args []any, ok bool) {
	if drive < 0 || cs[drive].drive == nil {
		return "", "", nil, false
	}
	var tags []*driver
	story := false
	for i, c := range cs {
		switch {
		case c.story:
			story = true // item_tags.copy says it
		case c.drive != nil && c.drive.kind != "":
			if i != drive {
				tags = append(tags, c.drive)
			}
		case i == drive && c.drive.check == "" && c.drive.table != "":
		default:
			return "", "", nil, false
		}
	}
	d := cs[drive].drive
	var q, id string
	if d.kind != "" {
		unread, q, id = `d.unread`, `FROM item_tags d WHERE d.kind = ? AND d.entity = ?`, "d.item_id"
		args = []any{d.kind, d.entity}
		if story {
			q += ` AND d.copy = 0`
		}
	} else {
		if len(tags) == 0 {
			return "", "", nil, false // the unread count needs the items
		}
		// The first tag's row says whether the item is unread.
		u := tags[0]
		tags = tags[1:]
		unread, q = `u.unread`, `FROM `+d.table+` w CROSS JOIN item_tags u INDEXED BY item_tags_item
			ON u.item_id = w.rowid AND u.kind = ? AND u.entity = ? WHERE `+d.on
		if story {
			q += ` AND u.copy = 0`
		}
		id, args = "w.rowid", append([]any{u.kind, u.entity}, d.args...)
	}
	for _, t := range tags {
		q += ` AND EXISTS (SELECT 1 FROM item_tags t INDEXED BY item_tags_item WHERE t.item_id = ` + id + ` AND t.kind = ? AND t.entity = ?)`
		args = append(args, t.kind, t.entity)
	}
	return unread, q, args, true
}

// counted is store.Filter.CounterKey, with the counters' kind names
// ("" for all items, "firm", "ally").
func counted(f store.Filter) (kind, entity string, ok bool) {
	k, entity, ok := f.CounterKey()
	if k == store.KindAlliance {
		return "ally", entity, ok // the counters' own name for alliances
	}
	return string(k), entity, ok
}

// Item returns one item with its full text and mentions.
func (db *DB) Item(ctx context.Context, id int64) (store.Item, error) {
	items, err := db.items(ctx, store.Filter{IDs: []int64{id}}, nil) // even an ignored one
	if err != nil {
		return store.Item{}, err
	}
	if len(items) == 0 {
		return store.Item{}, fmt.Errorf("sqlite: item %d: %w", id, store.ErrNotFound)
	}
	it := items[0]
	if err := db.db.QueryRowContext(ctx, `SELECT content FROM items WHERE id = ?`, id).Scan(&it.Content); err != nil {
		return it, db.wrap("read item", err)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT kind, entity, mentions FROM item_tags WHERE item_id = ? AND mentions <> ''`, id)
	if err != nil {
		return it, db.wrap("read mentions", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, entity, js string
		if err := rows.Scan(&kind, &entity, &js); err != nil {
			return it, db.wrap("read mentions", err)
		}
		var ms []store.MentionJSON
		if err := json.Unmarshal([]byte(js), &ms); err != nil {
			return it, fmt.Errorf("sqlite: item %d: unreadable mentions: %w", id, err)
		}
		for _, m := range ms {
			it.Mentions = append(it.Mentions, store.Mention{Entity: entity, Kind: store.EntityKind(kind), Alias: m.Alias,
				Field: store.Field(m.Field), Start: m.Start, End: m.End})
		}
	}
	if err := rows.Err(); err != nil {
		return it, db.wrap("read mentions", err)
	}
	sort.Slice(it.Mentions, func(i, j int) bool {
		a, b := it.Mentions[i], it.Mentions[j]
		if a.Field != b.Field {
			return a.Field > b.Field // title, then summary, then content
		}
		return a.Start < b.Start
	})
	return it, nil
}

// SetRead marks items read or unread. Unknown IDs are an error naming
// them, and nothing is changed.
func (db *DB) SetRead(ctx context.Context, ids []int64, read bool) error {
	return db.setFlag(ctx, store.MarkRead, ids, read)
}

// SetStarred stars or unstars items.
func (db *DB) SetStarred(ctx context.Context, ids []int64, starred bool) error {
	return db.setFlag(ctx, store.MarkStarred, ids, starred)
}

func (db *DB) setFlag(ctx context.Context, mark store.Mark, ids []int64, on bool) error {
	if len(ids) == 0 {
		return nil
	}
	b, _ := json.Marshal(ids)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM items)`, string(b))
		if err != nil {
			return err
		}
		var missing []string
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			missing = append(missing, strconv.FormatInt(id, 10))
		}
		rows.Close()
		if len(missing) > 0 {
			return fmt.Errorf("no item %s: %w", strings.Join(missing, ", "), store.ErrNotFound)
		}
		col := map[store.Mark]string{store.MarkRead: "read", store.MarkStarred: "starred"}[mark]
		if col == "" {
			return fmt.Errorf("unknown mark %q", mark)
		}
		_, err = tx.ExecContext(ctx, `UPDATE items SET `+col+` = ? WHERE id IN (SELECT value FROM json_each(?)) AND `+col+` <> ?`, on, string(b), on)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("sqlite: %w", err)
	}
	return db.wrap("mark items", err)
}

// MarkAllRead marks every item that matches f read and returns how many
// changed.
func (db *DB) MarkAllRead(ctx context.Context, f store.Filter) (int, error) {
	f.Limit, f.Offset = 0, 0
	f.Unread = store.Yes
	w, args := where(f)
	for _, c := range withStory(db.ignoreConds(), f) {
		if w == "" {
			w = " WHERE " + c.set
		} else {
			w += " AND " + c.set
		}
		args = append(args, c.setArgs...)
	}
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE items SET read = 1 WHERE id IN (SELECT i.id FROM items i`+w+`)`, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), db.wrap("mark items read", err)
}

// TagCounts returns total and unread item counts per tag: kind "firm"
// for firms, "ally" for alliances (items naming the alliance or any
// member). Keys are entity IDs.
func (db *DB) tagCounts(ctx context.Context, kind string) (map[string]store.Counts, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT entity, total, unread FROM tag_counts WHERE kind = ?`, kind)
	if err != nil {
		return nil, db.wrap("count items", err)
	}
	defer rows.Close()
	out := map[string]store.Counts{}
	for rows.Next() {
		var id string
		var c store.Counts
		if err := rows.Scan(&id, &c.Total, &c.Unread); err != nil {
			return nil, db.wrap("count items", err)
		}
		out[id] = c
	}
	if err := rows.Err(); err != nil {
		return out, db.wrap("count items", err)
	}
	if err := db.addTrends(ctx, kind, out); err != nil || len(db.ignore) == 0 {
		return out, db.wrap("count items", err)
	}
	ig, err := db.ignoredTagCounts(ctx, kind)
	for id, c := range ig {
		out[id] = minus(out[id], c)
	}
	return out, db.wrap("count items", err)
}

// addTrends fills the Trend of the counts of a kind of tag from the weekly
// counters: one range of tag_weeks, some hundred rows at any store size.
func (db *DB) addTrends(ctx context.Context, kind string, out map[string]store.Counts) error {
	now := db.Now()
	last := store.Week(now.Unix())
	rows, err := db.db.QueryContext(ctx, `SELECT entity, week, total FROM tag_weeks WHERE kind = ? AND week BETWEEN ? AND ?`,
		kind, last-store.TrendWeeks+1, last)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var week int64
		var n int
		if err := rows.Scan(&id, &week, &n); err != nil {
			return err
		}
		c := out[id]
		c.Trend[week-last+store.TrendWeeks-1] = n
		out[id] = c
	}
	return rows.Err()
}

// FirmCounts returns item counts per firm.
func (db *DB) FirmCounts(ctx context.Context) (map[string]store.Counts, error) {
	return db.tagCounts(ctx, string(store.KindFirm))
}

// AllianceCounts returns item counts per alliance, counting items that
// name the alliance or any member; the key "" counts all items.
func (db *DB) AllianceCounts(ctx context.Context) (map[string]store.Counts, error) {
	out, err := db.tagCounts(ctx, "ally")
	if err != nil {
		return nil, err
	}
	all, err := db.CountItems(ctx, store.Filter{})
	out[""] = all
	return out, err
}

// DataVersion changes whenever any connection or process commits a
// change to the store. It reads PRAGMA data_version on one pinned
// connection, which sees every commit made by any other connection.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	db.verMu.Lock()
	defer db.verMu.Unlock()
	if db.verConn == nil {
		c, err := db.db.Conn(ctx)
		if err != nil {
			return 0, db.wrap("read the data version", err)
		}
		db.verConn = c
	}
	var v int64
	err := db.verConn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v)
	return v, db.wrap("read the data version", err)
}
