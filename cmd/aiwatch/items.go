package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/query"
)

var zeroTime time.Time

// itemJSON is the stable JSON shape of an item (see README).
type itemJSON struct {
	ID        int64    `json:"id"`
	Feed      string   `json:"feed"`
	Title     string   `json:"title"`
	URL       string   `json:"url"`
	Published string   `json:"published"`
	Lang      string   `json:"lang"`
	Read      bool     `json:"read"`
	Starred   bool     `json:"starred"`
	Firms     []string `json:"firms"`
	Alliances []string `json:"alliances"`
	Sanctions bool     `json:"sanctions"`
	FeedID    int64    `json:"feed_id"`
	Summary   string   `json:"summary"`
	// AlsoIn are the other feeds that carry the item's story.
	AlsoIn []string `json:"also_in"`
}

// resolver returns the query language's names, read from the store once
// per command. It is for one goroutine: the dashboard, which parses on
// many, reads its names through liveNames instead.
func (a *app) resolver() (*query.MapResolver, error) {
	if a.res != nil {
		return a.res, nil
	}
	db, err := a.store()
	if err != nil {
		return nil, err
	}
	a.res, err = loadResolver(a.ctx, db)
	return a.res, err
}

// parseQuery parses the filter language against the store's names, for a
// command's flags. The dashboard parses with liveNames.Parse.
func (a *app) parseQuery(q string) (store.Filter, error) {
	r, err := a.resolver()
	if err != nil {
		return store.Filter{}, err
	}
	return query.Parse(q, r, a.now())
}

func cmdItems(a *app, args []string) error {
	fs := a.flags("items")
	firm := fs.String("firm", "", "only items naming this `firm` (ID or alias)")
	alliance := fs.String("alliance", "", "only items naming this `alliance` or any of its members")
	unread := fs.Bool("unread", false, "only unread items")
	starred := fs.Bool("starred", false, "only starred items")
	q := fs.String("query", "", "filter with the query `language` (see README), e.g. 'firm:huawei since:7d -is:read'")
	viewName := fs.String("view", "", "list the saved view `NAME` (aiwatch views list); other filters narrow it")
	fs.BoolVar(&a.includeIgnored, "include-ignored", false, "show the items the config file's ignore rules hide")
	since := fs.String("since", "", "only items published since `7d|2025-07-01`")
	limit := fs.Int("limit", 50, "show at most `N` items (0: all)")
	allCopies := fs.Bool("all-copies", false, "list every feed's copy of a story, not only its earliest")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := a.parse(fs, "items", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("items takes no arguments; to search, use --query %q", strings.Join(pos, " "))}
	}
	if *limit < 0 {
		return usageError{"--limit must be 0 or more"}
	}
	if err := blankFlag(fs, "firm", "alliance", "since"); err != nil {
		return err
	}
	// Open the store first, so that its errors are not taken for the
	// query's.
	if _, err := a.store(); err != nil {
		return err
	}
	f, err := a.parseQuery(*q)
	if err != nil {
		return fmt.Errorf("--query: %w", err)
	}
	if *viewName != "" {
		v, err := a.findView(*viewName)
		if err != nil {
			return err
		}
		vf, err := a.viewFilter(v)
		if err != nil {
			return err
		}
		if *q != "" {
			// Both hold: parse them as one query.
			if vf, err = a.parseQuery(v.Query + " " + *q); err != nil {
				return fmt.Errorf("--view with --query: %w", err)
			}
		}
		f = vf
	}
	if *since != "" {
		sf, err := a.parseQuery("since:" + *since)
		if err != nil {
			return fmt.Errorf("--since %q: expected a duration like 7d, 24h or 2w, or a date like 2025-07-01", *since)
		}
		f.Since = sf.Since
	}
	if *firm != "" {
		fm, err := a.firm(*firm)
		if err != nil {
			return err
		}
		f.Firms = append(f.Firms, fm.ID)
	}
	if *alliance != "" {
		al, err := a.alliance(*alliance)
		if err != nil {
			return err
		}
		f.Alliances = append(f.Alliances, al.ID)
	}
	if *unread {
		f.Unread = store.Yes
	}
	if *starred {
		f.Starred = store.Yes
	}
	f.Limit = *limit
	f.AllCopies = *allCopies
	items, err := a.db.Items(a.ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]itemJSON, 0, len(items))
		for _, it := range items {
			out = append(out, itemJSON{
				ID: it.ID, Feed: it.FeedTitle, Title: it.Title, URL: it.URL,
				Published: it.Published.UTC().Format(time.RFC3339), Lang: it.Lang,
				Read: it.Read, Starred: it.Starred, Firms: nonNil(it.Firms), Alliances: nonNil(it.Alliances),
				Sanctions: it.Sanctions, FeedID: it.FeedID, Summary: it.Summary, AlsoIn: nonNil(it.AlsoIn),
			})
		}
		return writeJSON(a.stdout, out)
	}
	if len(items) == 0 {
		fmt.Fprintln(a.stdout, "No items match.")
		return nil
	}
	width := 0
	if f, ok := a.stdout.(*os.File); ok && a.isTerminal(a.stdout) {
		if w, _, err := term.GetSize(f.Fd()); err == nil {
			width = w
		}
	}
	t := table{header: []string{"ID", "", "DATE", "LANG", "FEED", "TITLE"}}
	for _, it := range items {
		marks := ""
		if !it.Read {
			marks += "•"
		} else {
			marks += " "
		}
		if it.Starred {
			marks += "★"
		} else {
			marks += " "
		}
		if it.Sanctions {
			marks += "§"
		}
		t.add(strconv.FormatInt(it.ID, 10), marks, store.CleanLine(it.Published.Format(a.dateFormat()), 40), it.Lang,
			ansi.Truncate(store.CleanLine(it.FeedTitle, 200), 22, "…"), store.CleanLine(it.Title, 400))
	}
	if width > 0 {
		// Cut titles to the terminal, in cells.
		used := 0
		for i := 0; i < 5; i++ {
			w := ansi.StringWidth(t.header[i])
			for _, r := range t.rows {
				w = max(w, ansi.StringWidth(r[i]))
			}
			used += w + 2
		}
		for _, r := range t.rows {
			r[5] = ansi.Truncate(r[5], max(20, width-used), "…")
		}
	}
	t.write(a, a.stdout)
	fmt.Fprintf(a.stdout, "\n%d items (• unread, ★ starred, § sanctions news)\n", len(items))
	return nil
}

func cmdMark(what string, on bool) func(a *app, args []string) error {
	return func(a *app, args []string) error {
		name := what
		if !on {
			name = "un" + what
		}
		fs := a.flags(name)
		pos, err := a.parse(fs, name, args)
		if err != nil {
			return err
		}
		ids, err := argIDs(name, "item", "aiwatch items", pos)
		if err != nil {
			return err
		}
		db, err := a.store()
		if err != nil {
			return err
		}
		if what == "read" {
			err = db.SetRead(a.ctx, ids, on)
		} else {
			err = db.SetStarred(a.ctx, ids, on)
		}
		if err != nil {
			return err
		}
		verb := map[string]string{"read": "read", "unread": "unread", "star": "starred", "unstar": "unstarred"}[name]
		fmt.Fprintf(a.stdout, "Marked %d item(s) %s.\n", len(ids), verb)
		return nil
	}
}
