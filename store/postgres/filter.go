// The read path's first hop: a store.Filter turned into SQL conditions
// on items i, every value bound as a $n argument.

package postgres

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aiwatch/aiwatch/store"
)

// argList is a statement's arguments, each bound by number.
type argList struct{ args []any }

// arg binds v and returns its placeholder.
func (q *argList) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// likeEscaper escapes LIKE's wildcards and its escape character.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// cjkRune reports whether r is written without spaces between words: such
// a character is a word by itself (store/sqlite's rule).
func cjkRune(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case 0x4E00 <= r && r <= 0x9FFF, 0x3400 <= r && r <= 0x4DBF, 0x3041 <= r && r <= 0x3096, 0x30A1 <= r && r <= 0x30FA, 0xAC00 <= r && r <= 0xD7A3:
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// cjkRanges are the CJK blocks, whose characters part words though the
// locale counts them as letters: cjkClass as a regular-expression
// bracket, and the runs that cjk_grams (migration 0004, which spells the
// same bracket) takes its characters and pairs from.
var cjkRanges = [][2]rune{
	{0x1100, 0x11FF}, {0x2E80, 0x2FDF}, {0x3005, 0x3007}, {0x3021, 0x3029}, {0x3041, 0x30FF}, {0x3131, 0x318F},
	{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0x20000, 0x3134F},
}

// cjkClass is cjkRanges as a bracket.
var cjkClass = func() string {
	var b strings.Builder
	b.WriteByte('[')
	for _, r := range cjkRanges {
		b.WriteRune(r[0])
		b.WriteByte('-')
		b.WriteRune(r[1])
	}
	b.WriteByte(']')
	return b.String()
}()

// inCJKGrams reports whether cjk_grams indexes r: whether r is in
// cjkRanges.
func inCJKGrams(r rune) bool {
	for _, g := range cjkRanges {
		if g[0] <= r && r <= g[1] {
			return true
		}
	}
	return false
}

// shortWords splits a short term into what store/sqlite's word index
// holds of it: runs of letters and digits, and each CJK character alone.
func shortWords(term string) (words []string, cjk bool) {
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for _, r := range term {
		switch {
		case cjkRune(r):
			flush()
			cjk = true
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return words, cjk
}

// gramsOf returns the column that holds the CJK grams of a search
// column: x.search's are x.cjk (items and articles both have them).
func gramsOf(col string) string { return strings.TrimSuffix(col, ".search") + ".cjk" }

// searchMatch returns the condition that col (lower-cased text, see
// searchText) holds term, as store/sqlite decides it. A term of three or
// more characters, or one all of CJK characters, matches as a substring:
// LIKE '%term%', which pg_trgm's GIN index answers from three
// characters. A shorter term matches as words (ai in "AI chips" but not
// in "said"); one with a CJK character must also be found as written
// (华为 is not 为华).
func searchMatch(q *argList, col, term string) string {
	lt := strings.ToLower(term)
	sub := func() string { return col + ` LIKE ` + q.arg("%"+likeEscaper.Replace(lt)+"%") }
	allCJK := strings.IndexFunc(lt, func(r rune) bool { return !cjkRune(r) }) < 0
	n := utf8.RuneCountInString(lt)
	if n <= 2 && lt != "" && strings.IndexFunc(lt, func(r rune) bool { return !inCJKGrams(r) }) < 0 {
		// One or two CJK characters hold no trigram: the cjk column
		// (cjk_grams, migrations 0004 and 0005) holds every character and
		// adjacent pair of the search text's CJK runs, which is exactly
		// where such a term can be found, so it decides alone (为华 is no
		// pair of 华为技术), from its index or row by row.
		return gramsOf(col) + ` @> ` + q.arg([]string{lt}) + `::text[]`
	}
	if n >= 3 || allCJK {
		return sub()
	}
	// A word is bounded by the text's ends or by a character that is no
	// letter or digit, in the database's LC_CTYPE (a UTF-8 locale counts
	// every script's letters), or that is CJK. Words hold only letters
	// and digits; QuoteMeta is a guard.
	words, cjk := shortWords(lt)
	var conds []string
	for _, w := range words {
		// The regular expression decides; the trigram index cannot answer
		// it for a word under three characters, so a word of letters and
		// digits alone is first looked up as pg_trgm's whole word (<<%,
		// with the threshold at 1 on every connection: all the trigrams
		// of "  w "), which every row holding the word as a word has.
		// A word with a combining mark is left to the regular expression
		// alone: pg_trgm may part words at the mark.
		if strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) < 0 {
			conds = append(conds, q.arg(w)+` <<% `+col)
		}
		conds = append(conds, `textregexeq(`+col+`, `+q.arg(`(^|[^[:alnum:]]|`+cjkClass+`)`+regexp.QuoteMeta(w)+`($|[^[:alnum:]]|`+cjkClass+`)`)+`)`)
	}
	if cjk {
		conds = append(conds, sub())
	}
	if len(conds) == 0 {
		return "TRUE" // nothing to search for, as on SQLite
	}
	return "(" + strings.Join(conds, " AND ") + ")"
}

// itemTextCond returns the condition that item i holds term in its feed
// text or, when any item has an article, in its article. The article
// form reads both trigram indexes and joins their matches, so that
// neither one hides the other's index.
func itemTextCond(q *argList, term string, articles bool) string {
	if !articles {
		return searchMatch(q, "i.search", term)
	}
	return `i.id IN (SELECT x.id FROM items x WHERE ` + searchMatch(q, "x.search", term) +
		` UNION SELECT a.item_id FROM articles a WHERE ` + searchMatch(q, "a.search", term) + `)`
}

// anyArticles reports whether a search must look into articles too:
// only when some item has one, so that a store without articles keeps
// the plain plans.
func (db *DB) anyArticles(ctx context.Context, f store.Filter) (bool, error) {
	if len(f.Text)+len(f.NotText) == 0 {
		return false, nil
	}
	var ok bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM articles)`).Scan(&ok)
	return ok, err
}

// markCond is the condition that the user has set mark (read or starred)
// on item i.
func (db *DB) markCond(q *argList, col string) string {
	return `EXISTS (SELECT 1 FROM marks k WHERE k.username = ` + q.arg(db.user) + ` AND k.item_id = i.id AND k.` + col + `)`
}

// itemTagCond is the condition that item i has a tag.
func itemTagCond(q *argList, kind, entity string) string {
	return `EXISTS (SELECT 1 FROM item_tags t WHERE t.kind = ` + q.arg(kind) + ` AND t.entity = ` + q.arg(entity) + ` AND t.item_id = i.id)`
}

// filterConds returns f's conditions on items i, all joined with AND;
// skip is the tag that drives the query ("kind\x00entity"), left out.
// The story condition is not among them (see storiesOnly).
func (db *DB) filterConds(q *argList, f store.Filter, articles bool, skip string) []string {
	var cs []string
	add := func(c string) { cs = append(cs, c) }
	for _, t := range f.Text {
		if t = strings.TrimSpace(t); t != "" {
			add(itemTextCond(q, t, articles))
		}
	}
	for _, t := range f.NotText {
		if t = strings.TrimSpace(t); t != "" {
			add("NOT " + itemTextCond(q, t, articles))
		}
	}
	tags := func(kind string, ids []string, not bool) {
		for _, id := range ids {
			if !not && kind+"\x00"+id == skip {
				skip = "" // once
				continue
			}
			c := itemTagCond(q, kind, id)
			if not {
				c = "NOT " + c
			}
			add(c)
		}
	}
	tags(string(store.KindFirm), f.Firms, false)
	tags(string(store.KindFirm), f.NotFirms, true)
	tags("ally", f.Alliances, false)
	tags("ally", f.NotAlliances, true)
	onList := func(id string) string {
		return `EXISTS (SELECT 1 FROM item_tags t JOIN designations d ON d.firm_id = t.entity
			WHERE t.item_id = i.id AND t.kind = 'firm' AND d.list_id = ` + q.arg(id) + ` AND d.removed = '' AND d.status = 'confirmed')`
	}
	for _, id := range f.Lists {
		add(onList(id))
	}
	for _, id := range f.NotLists {
		add("NOT " + onList(id))
	}
	lang := func(l string) string {
		l = strings.ToLower(l)
		// ILIKE, as SQLite's LIKE folds ASCII case: zh takes zh-CN.
		return `(i.lang = ` + q.arg(l) + ` OR i.lang ILIKE ` + q.arg(likeEscaper.Replace(l)+"-%") + `)`
	}
	for _, l := range f.Langs {
		add(lang(l))
	}
	for _, l := range f.NotLangs {
		add("NOT " + lang(l))
	}
	feed := func(name string) string {
		n := q.arg(strings.ToLower(name))
		return `i.feed_id IN (SELECT id FROM feeds WHERE id::text = ` + q.arg(name) +
			` OR strpos(lower(title), ` + n + `) > 0 OR strpos(lower(url), ` + n + `) > 0)`
	}
	for _, name := range f.Feeds {
		add(feed(name))
	}
	for _, name := range f.NotFeeds {
		add("NOT " + feed(name))
	}
	if !f.Since.IsZero() {
		add(`i.published >= ` + q.arg(f.Since.Unix()))
	}
	if !f.Until.IsZero() {
		add(`i.published < ` + q.arg(f.Until.Unix()))
	}
	switch f.Unread {
	case store.Yes:
		add("NOT " + db.markCond(q, "read"))
	case store.No:
		add(db.markCond(q, "read"))
	}
	switch f.Starred {
	case store.Yes:
		add(db.markCond(q, "starred"))
	case store.No:
		add("NOT " + db.markCond(q, "starred"))
	}
	switch f.Sanctions {
	case store.Yes:
		add(`i.sanctions`)
	case store.No:
		add(`NOT i.sanctions`)
	}
	if f.IDs != nil {
		add(`i.id = ANY(` + q.arg(f.IDs) + `)`)
	}
	return cs
}

// storiesOnly reports whether a list of f shows each story once, as its
// earliest copy (copy = 0): unless f asks for every copy, or names the
// feeds or the items to show, which are listed as they are.
func storiesOnly(f store.Filter) bool {
	return !f.AllCopies && len(f.Feeds) == 0 && f.IDs == nil
}

// ignoreConds returns one condition per ignore rule: that item i does
// not match it.
func (db *DB) ignoreConds(q *argList, rules []store.Filter, articles bool) []string {
	var out []string
	for _, r := range rules {
		if cs := db.filterConds(q, r, articles, ""); len(cs) > 0 {
			out = append(out, "NOT ("+strings.Join(cs, " AND ")+")")
		}
	}
	return out
}

// itemRows is a filter's rows: FROM items i (or a driving tag d joined
// to it) and the conditions on them.
type itemRows struct {
	from  string
	conds []string
	// order is the newest-first order in the driving table's columns,
	// which its index keeps.
	order string
	// item is the column of the item's ID in the driving table.
	item string
}

func (s itemRows) where() string {
	if len(s.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(s.conds, " AND ")
}

// selectItems returns the rows of the items that f selects and, unless
// ignore is false, no ignore rule hides. A filter naming a firm or an
// alliance is driven from that tag's rows in item_tags, which its index
// keeps newest first and whose copy column says which row is a story's,
// so that a page of a firm's news is one index range. items i is joined
// by LEFT JOIN, which the planner drops when nothing needs the item.
func (db *DB) selectItems(ctx context.Context, q *argList, f store.Filter, ignore bool) (itemRows, error) {
	var rules []store.Filter
	if ignore {
		rules = db.ignoreRules()
	}
	articles, err := db.anyArticles(ctx, f)
	if err != nil {
		return itemRows{}, err
	}
	s := itemRows{from: "items i", order: "i.published DESC, i.id DESC", item: "i.id"}
	kind, entity := db.driveTag(f)
	if kind != "" && f.IDs == nil {
		s = itemRows{from: "item_tags d LEFT JOIN items i ON i.id = d.item_id", order: "d.published DESC, d.item_id DESC", item: "d.item_id"}
		s.conds = append(s.conds, `d.kind = `+q.arg(kind)+` AND d.entity = `+q.arg(entity))
		if storiesOnly(f) {
			s.conds = append(s.conds, `d.copy = 0`)
		}
	} else {
		kind = ""
		if storiesOnly(f) {
			s.conds = append(s.conds, `i.copy = 0`)
		}
	}
	s.conds = append(s.conds, db.filterConds(q, f, articles, kind+"\x00"+entity)...)
	s.conds = append(s.conds, db.ignoreConds(q, rules, false)...) // the feed's text, as on SQLite
	return s, nil
}

// driveTag returns the firm or alliance tag of f to drive a query from:
// the one that the last per-tag counts read say names the fewest items,
// else the first. Counts read before a write are good enough to choose
// by, so none are read here.
func (db *DB) driveTag(f store.Filter) (kind, entity string) {
	type tag struct{ kind, entity string }
	var tags []tag
	for _, id := range f.Firms {
		tags = append(tags, tag{string(store.KindFirm), id})
	}
	for _, id := range f.Alliances {
		tags = append(tags, tag{"ally", id})
	}
	if len(tags) == 0 {
		return "", ""
	}
	best, fewest := tags[0], -1
	c := &db.counts
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range tags {
		if m, ok := c.kinds[t.kind]; ok {
			if n := m[t.entity].Total; fewest < 0 || n < fewest {
				best, fewest = t, n
			}
		}
	}
	return best.kind, best.entity
}
