package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/progress"

	"github.com/aiwatch/aiwatch/cmd/aiwatch/internal/config"
	"github.com/aiwatch/aiwatch/feeds"
	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/feeds/match"
	"github.com/aiwatch/aiwatch/feeds/opml"
	"github.com/aiwatch/aiwatch/store"
)

// matcher builds the entity matcher from the store's aliases.
func (a *app) matcher() (*match.Matcher, error) {
	db, err := a.store()
	if err != nil {
		return nil, err
	}
	aliases, err := db.Aliases(a.ctx)
	if err != nil {
		return nil, err
	}
	return match.New(aliases), nil
}

// refresher wires the pipeline to the store.
func (a *app) refresher(concurrency int, timeout time.Duration) (*feeds.Refresher, error) {
	db, err := a.store()
	if err != nil {
		return nil, err
	}
	m, err := a.matcher()
	if err != nil {
		return nil, err
	}
	fc := a.cfg.Feeds
	return feeds.NewRefresher(db, a.httpClient(timeout), m, feeds.Options{Concurrency: concurrency, Now: a.now, Interval: fc.Interval, All: a.fetchAll}), nil
}

// httpClient is the one HTTP client, with the config file's limits.
func (a *app) httpClient(timeout time.Duration) *fetch.Client {
	fc := a.cfg.Feeds
	return fetch.New(fetch.Options{Timeout: timeout, Version: version, MaxBody: fc.MaxBody, PerHost: fc.PerHost, UserAgent: fc.UserAgent})
}

// idList collects repeated --feed flags.
type idList []int64

func (l *idList) String() string { return fmt.Sprint(*l) }

func (l *idList) Set(s string) error {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("%q is not a feed ID (see aiwatch feeds list)", s)
	}
	*l = append(*l, id)
	return nil
}

// A fetch's memory: what SQLite may cache beyond the pages a write needs,
// and the Go heap's soft limit. Measured on a cold fetch of one feed of
// 20,000 heavy items (15 MB), peak RSS 110–118 MB → 91 MB, in the same
// time; below 48 MiB the collector costs more time than it saves memory
// (32 MiB: 77–80 MB, 60 % slower). Feeds of ordinary size stay far
// below both (README, "Speed and memory").
const (
	fetchSQLiteLimit = 8 << 20
	fetchGoLimit     = 48 << 20
)

// limitFetchMemory sets both limits for this process, unless $GOMEMLIMIT
// already set the Go one.
func limitFetchMemory(a *app) {
	a.open.SoftHeapLimit = fetchSQLiteLimit
	if a.memoryLimit != nil && a.getenv("GOMEMLIMIT") == "" && a.memoryLimit(-1) == math.MaxInt64 {
		a.memoryLimit(fetchGoLimit)
	}
}

func cmdFetch(a *app, args []string) error {
	fs := a.flags("fetch")
	var ids idList
	fs.Var(&ids, "feed", "fetch only this feed `ID` (repeatable); fetched even if disabled or backing off")
	concurrency := fs.Int("concurrency", max(a.cfg.Feeds.Concurrency, 1), "fetch `N` feeds at once (never more than feeds.per_host at a time from one host)")
	timeout := fs.Duration("timeout", max(a.cfg.Feeds.Timeout, time.Second), "total time allowed per request (a feed's own, from feeds set, wins)")
	fs.BoolVar(&a.fetchAll, "all", false, "fetch every enabled feed, due or not")
	watch := fs.Bool("watch", false, "keep running, fetching feeds as they come due; one log line per round; stop with SIGINT or SIGTERM")
	wait := fs.Bool("wait", false, "wait for another running fetch to finish instead of exiting")
	quiet := fs.Bool("quiet", false, "print only failures and the summary")
	maxArticles := fs.Int("articles", bodiesPerRun, "fetch at most `N` articles of new items this run, for feeds set to --bodies always ("+strconv.Itoa(bodiesPerHost)+" at most from one host; 0: none)")
	alertsExit := fs.Bool("alerts-exit", false, "exit 10 when the fetch brought new alerts (for cron)")
	pos, err := a.parse(fs, "fetch", args)
	if err != nil {
		return err
	}
	limitFetchMemory(a)
	if len(pos) > 0 {
		return usageError{"fetch takes no arguments; use --feed ID"}
	}
	if *concurrency < 1 || *concurrency > 64 {
		return usageError{"--concurrency must be between 1 and 64"}
	}
	if *timeout <= 0 {
		return usageError{"--timeout must be positive, e.g. 20s"}
	}
	if *maxArticles < 0 {
		return usageError{"--articles must be 0 or more"}
	}
	if *watch && (len(ids) > 0 || a.fetchAll) {
		return usageError{"--watch fetches feeds as they come due; it takes no --feed or --all"}
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	if *watch {
		r, err := a.refresher(*concurrency, *timeout)
		if err != nil {
			return err
		}
		return a.watch(r)
	}
	unlock, err := a.lockStore(db, *wait)
	if err != nil {
		return err
	}
	defer unlock()
	r, err := a.refresher(*concurrency, *timeout)
	if err != nil {
		return err
	}
	bar := a.isTerminal(a.stderr) && !*quiet
	pb := progress.New(progress.WithWidth(30), progress.WithoutPercentage())
	start := a.now()
	sum, err := r.Refresh(a.ctx, ids, func(res feeds.FeedResult, done, total int) {
		if bar {
			fmt.Fprintf(a.stderr, "\r\x1b[K%s %d/%d", pb.ViewAs(float64(done)/float64(max(total, 1))), done, total)
		}
		switch {
		case res.Outcome == feeds.Failed:
			if bar {
				fmt.Fprint(a.stderr, "\r\x1b[K")
			}
			fmt.Fprintf(a.stdout, "failed  %-4d %s: %s\n", res.Feed.ID, feedName(res.Feed), oneLine(res.Err.Error()))
		case res.Slow:
			if bar {
				fmt.Fprint(a.stderr, "\r\x1b[K")
			}
			fmt.Fprintf(a.stdout, "slow    %-4d %s: %s\n", res.Feed.ID, feedName(res.Feed), res.Elapsed.Round(time.Millisecond))
		}
	})
	if bar {
		fmt.Fprint(a.stderr, "\r\x1b[K")
	}
	if err != nil && !errors.Is(err, a.ctx.Err()) {
		return err
	}
	fmt.Fprintln(a.stdout, sum.String())
	if err == nil && *maxArticles > 0 {
		if line := a.fetchBodies(sum, start, *timeout, *maxArticles); line != "" {
			fmt.Fprintln(a.stdout, line)
		}
	}
	if err != nil {
		fmt.Fprintln(a.stdout, "interrupted: feeds not reached are due on the next run")
	} else if len(ids) == 0 {
		// A whole fetch also keeps the sanctions data current.
		a.updateSanctionsIfStale(a.sanctions.MaxAge, a.sanctions.CSLURL, a.stdout)
	}
	// What was saved alerts even when the run was cut short.
	newAlerts := a.afterFetch(a.stdout)
	if err := storeFailure(db.Location(), sum); err != nil {
		return err
	}
	if *alertsExit && newAlerts > 0 {
		return exitCode(10)
	}
	return nil
}

// A fetch run brings the articles of new items of feeds set to --bodies
// always, politely: at most bodiesPerRun pages a run (fetch --articles),
// bodiesPerHost from one host.
const (
	bodiesPerRun  = 50
	bodiesPerHost = 5
)

// fetchBodies brings the articles of the items a run that started at
// since saved for feeds set to --bodies always, at most max, and returns
// one line saying what it did, or "" when there was nothing to do.
func (a *app) fetchBodies(sum feeds.Summary, since time.Time, timeout time.Duration, max int) string {
	if !slices.ContainsFunc(sum.Results, func(r feeds.FeedResult) bool { return r.Feed.Bodies == store.BodiesAlways }) {
		return "" // no matcher to build
	}
	arts, err := a.articles(timeout)
	if err != nil {
		return "articles: " + oneLine(err.Error())
	}
	done, errs, err := arts.FetchBodies(a.ctx, a.db, sum, since, feeds.FetchOptions{Max: max, PerHost: bodiesPerHost})
	if err != nil {
		return "articles: " + oneLine(err.Error())
	}
	if len(done)+len(errs) == 0 {
		return ""
	}
	line := fmt.Sprintf("articles: %d kept, %d failed", len(done), len(errs))
	if len(errs) > 0 {
		ids := make([]int64, 0, len(errs))
		for id := range errs {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		line += fmt.Sprintf(" (item %d: %s)", ids[0], oneLine(userMessage(errs[ids[0]])))
	}
	return line
}

// storeFailure returns the error to exit with when feeds were fetched but
// could not be saved because the store is read-only or its disk is full:
// the per-feed lines say it too, but a script must see the run fail.
func storeFailure(path string, sum feeds.Summary) error {
	for _, res := range sum.Results {
		for _, cause := range []error{store.ErrReadOnly, store.ErrDiskFull} {
			if res.Outcome == feeds.Failed && errors.Is(res.Err, cause) {
				return fmt.Errorf("unable to save what was fetched to %s: %w", path, cause)
			}
		}
	}
	return nil
}

func feedName(f store.Feed) string {
	if f.Title != "" {
		return store.CleanLine(f.Title, 80)
	}
	return f.URL
}

func oneLine(s string) string {
	return store.CleanLine(s, 300)
}

func cmdFeeds(a *app, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		w := a.stdout
		if len(args) == 0 {
			w = a.stderr
		}
		fmt.Fprint(w, `Usage:
  aiwatch feeds list [--json]
  aiwatch feeds add URL [--title T] [--lang xx] [--category C]
                        [--html --item SEL [--title-sel SEL] [--link SEL] [--date SEL [--date-layout L]] [--summary SEL]]
  aiwatch feeds rm ID...
  aiwatch feeds enable ID...
  aiwatch feeds disable ID...
  aiwatch feeds set ID... [--interval DUR] [--max-body SIZE] [--user-agent UA] [--timeout DUR]
                        [--bodies always|on-demand|never]
                        (default, or 0, returns a setting to the config file's)

Adding a web page that links to a feed adds the feed instead.
`)
		if len(args) == 0 {
			return usageError{"feeds needs a subcommand"}
		}
		return nil
	}
	switch args[0] {
	case "list", "ls":
		return feedsList(a, args[1:])
	case "add":
		return feedsAdd(a, args[1:])
	case "rm", "remove":
		return feedsByID(a, "feeds rm", args[1:], func(id int64) (string, error) {
			n, err := a.db.RemoveFeed(a.ctx, id)
			return fmt.Sprintf("Removed feed %d and its %d items.", id, n), err
		})
	case "set":
		return feedsSet(a, args[1:])
	case "enable", "disable":
		on := args[0] == "enable"
		return feedsByID(a, "feeds "+args[0], args[1:], func(id int64) (string, error) {
			return fmt.Sprintf("Feed %d %sd.", id, args[0]), a.db.SetFeedEnabled(a.ctx, id, on)
		})
	}
	return usageError{fmt.Sprintf("unknown feeds subcommand %q (list, add, rm, enable, disable, set)", args[0])}
}

// feedsByID runs do for each feed ID in args. Every ID is checked first:
// an unknown one changes nothing.
func feedsByID(a *app, name string, args []string, do func(int64) (string, error)) error {
	fs := a.flags(name)
	pos, err := a.parse(fs, name, args)
	if err != nil {
		return err
	}
	ids, err := argIDs(name, "feed", "aiwatch feeds list", pos)
	if err != nil {
		return err
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := db.Feed(a.ctx, id); err != nil {
			return err
		}
	}
	for _, id := range ids {
		msg, err := do(id)
		if err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, msg)
	}
	return nil
}

// argIDs reads the positive IDs of a command that takes one or more,
// each once, or says which argument is not one.
func argIDs(command, what, list string, pos []string) ([]int64, error) {
	if len(pos) == 0 {
		return nil, usageError{fmt.Sprintf("%s takes one or more %s IDs (see %s)", command, what, list)}
	}
	var ids []int64
	for _, p := range pos {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			return nil, usageError{fmt.Sprintf("%q is not %s %s ID (see %s)", p, article(what), what, list)}
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func article(s string) string {
	if strings.ContainsRune("aeiou", rune(s[0])) {
		return "an"
	}
	return "a"
}

type feedJSON struct {
	ID          int64  `json:"id"`
	URL         string `json:"url"`
	Title       string `json:"title"`
	Lang        string `json:"lang"`
	Category    string `json:"category"`
	Kind        string `json:"kind"`
	Enabled     bool   `json:"enabled"`
	Status      string `json:"status"`
	LastStatus  int    `json:"last_status"`
	LastCheck   string `json:"last_check"`
	LastSuccess string `json:"last_success"`
	LastError   string `json:"last_error"`
	Failures    int    `json:"failures"`
	NextTry     string `json:"next_try"`
	Items       int    `json:"items"`
	Unread      int    `json:"unread"`
	// The schedule: the feed's own interval or the config file's, and
	// when it is next due (now when empty).
	Interval string `json:"interval"`
	NextDue  string `json:"next_due"`
	MaxBody  int64  `json:"max_body"`
	Timeout  string `json:"timeout"`
	Ignored  int    `json:"ignored"`
	// Bodies is when the items' articles are fetched: always,
	// on-demand or never.
	Bodies string `json:"bodies"`
}

func timeOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// feedStatus is a one-word state: ok, failing, disabled, new, built-in.
func feedStatus(f store.Feed) string {
	switch {
	case f.Kind == store.KindBuiltin:
		return "built-in"
	case !f.Enabled:
		return "disabled"
	case f.Failures > 0:
		return "failing"
	case f.LastCheck.IsZero():
		return "new"
	}
	return "ok"
}

func feedsList(a *app, args []string) error {
	fs := a.flags("feeds list")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := a.parse(fs, "feeds list", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"feeds list takes no arguments"}
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	all, err := db.Feeds(a.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]feedJSON, 0, len(all))
		for _, f := range all {
			out = append(out, feedJSON{ID: f.ID, URL: f.URL, Title: f.Title, Lang: f.Lang, Category: f.Category, Kind: string(f.Kind),
				Enabled: f.Enabled, Status: feedStatus(f), LastStatus: f.LastStatus, LastCheck: timeOrEmpty(f.LastCheck),
				LastSuccess: timeOrEmpty(f.LastSuccess), LastError: f.LastError, Failures: f.Failures,
				NextTry: timeOrEmpty(f.NextTry), Items: f.ItemCount, Unread: f.UnreadCount,
				Interval: config.FormatDuration(a.feedInterval(f)), NextDue: timeOrEmpty(f.NextTry),
				MaxBody: a.feedMaxBody(f), Timeout: config.FormatDuration(a.feedTimeout(f)), Ignored: f.IgnoredCount,
				Bodies: string(f.Bodies)})
		}
		return writeJSON(a.stdout, out)
	}
	t := table{header: []string{"ID", "STATUS", "LANG", "ITEMS", "UNREAD", "IGNORED", "EVERY", "BODIES", "NEXT", "LAST SUCCESS", "FEED", "LAST ERROR"}}
	failing := 0
	for _, f := range all {
		st := feedStatus(f)
		if st == "failing" {
			failing++
			st = a.style(styleBadge, fmt.Sprintf("failing×%d", f.Failures))
		}
		last := "never"
		if !f.LastSuccess.IsZero() {
			last = f.LastSuccess.Local().Format("2006-01-02 15:04")
		}
		next := "now"
		if f.Kind == "builtin" || !f.Enabled {
			next = "-"
		} else if f.NextTry.After(a.now()) {
			next = f.NextTry.Local().Format("01-02 15:04")
		}
		t.add(strconv.FormatInt(f.ID, 10), st, f.Lang, strconv.Itoa(f.ItemCount), strconv.Itoa(f.UnreadCount), strconv.Itoa(f.IgnoredCount),
			config.FormatDuration(a.feedInterval(f)), string(f.Bodies), next, last,
			feedLabel(f), truncateCells(oneLine(f.LastError), 60))
	}
	t.write(a, a.stdout)
	fmt.Fprintf(a.stdout, "\n%d feeds, %d failing.\n", len(all), failing)
	return nil
}

func feedLabel(f store.Feed) string {
	name := feedName(f)
	if f.Title != "" && f.Kind != store.KindBuiltin {
		if u, err := url.Parse(f.URL); err == nil && u.Host != "" {
			name += " (" + u.Host + ")"
		}
	}
	return truncateCells(name, 60)
}

func feedsAdd(a *app, args []string) error {
	fs := a.flags("feeds add")
	title := fs.String("title", "", "the feed's `title` (default: its own)")
	lang := fs.String("lang", "", "the feed's language `code` (default: declared or detected)")
	category := fs.String("category", "", "a `category`, e.g. Chips/GPU")
	ua := fs.String("user-agent", "", "send this User-Agent `string` to this feed")
	isHTML := fs.Bool("html", false, "the URL is an HTML list page; give --item and the other selectors")
	var rule store.HTMLRule
	fs.StringVar(&rule.Item, "item", "", "CSS `selector` of each item (with --html)")
	fs.StringVar(&rule.Title, "title-sel", "", "CSS `selector` of the title inside an item (default: the first link)")
	fs.StringVar(&rule.Link, "link", "", "CSS `selector` of the link inside an item (default: the first a[href])")
	fs.StringVar(&rule.Date, "date", "", "CSS `selector` of the date inside an item")
	fs.StringVar(&rule.DateLayout, "date-layout", "", "Go time `layout` of the date, e.g. 2006-01-02, when the usual formats do not fit")
	fs.StringVar(&rule.Summary, "summary", "", "CSS `selector` of the summary inside an item")
	noDiscover := fs.Bool("no-discover", false, "add the URL as given, without fetching it to look for a feed or check the rule")
	pos, err := a.parse(fs, "feeds add", args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"feeds add takes one URL"}
	}
	raw := strings.TrimSpace(pos[0])
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	f := store.Feed{URL: u.String(), Title: *title, Lang: *lang, Category: *category, Kind: store.KindFeed, Enabled: true, UserAgent: *ua, Source: store.SourceUser}
	if *isHTML {
		if rule.Item == "" {
			return usageError{"--html needs --item SELECTOR"}
		}
		f.Kind, f.HTML = store.KindHTML, &rule
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	r, err := a.refresher(1, a.cfg.Feeds.Timeout)
	if err != nil {
		return err
	}
	// The URL is fetched once: to find its feed, and then to save what it
	// fetched, with its validators, so the next fetch is a 304.
	// A list page's rule is checked on the page: a rule that reads nothing
	// there is refused, with what failed.
	start := a.now()
	var resp *fetch.Response
	if !*noDiscover {
		found, err := r.Discover(a.ctx, f)
		if err == nil && len(found.Links) > 0 {
			fmt.Fprintf(a.stdout, "%s is a web page; adding its feed %s\n", f.URL, found.Links[0])
			f.URL = found.Links[0]
			found, err = r.Discover(a.ctx, f)
		}
		var fe *feeds.FetchError
		if err != nil && *isHTML && !errors.As(err, &fe) {
			return fmt.Errorf("%w (the page was not added; --no-discover adds it unchecked)", err)
		}
		if err != nil {
			fmt.Fprintf(a.stderr, "aiwatch: note: could not check %s now (%s); adding it as given\n", f.URL, oneLine(err.Error()))
		}
		resp = found.Response
	}
	id, err := db.AddFeed(a.ctx, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Added feed %d: %s\n", id, f.URL)
	if resp == nil {
		fmt.Fprintf(a.stdout, "Fetch it with: aiwatch fetch --feed %d\n", id)
		return nil
	}
	f.ID = id
	res := r.SaveResponse(a.ctx, f, resp, start)
	if res.Err != nil {
		fmt.Fprintf(a.stdout, "Its first fetch failed: %s\n", oneLine(res.Err.Error()))
		return nil
	}
	fmt.Fprintf(a.stdout, "Saved %d new items; aiwatch fetch checks it for more.\n", res.Saved.New)
	a.afterFetch(a.stdout)
	return nil
}

func cmdOPML(a *app, args []string) error {
	if len(args) == 0 {
		return usageError{"opml needs import FILE or export"}
	}
	switch args[0] {
	case "import":
		fs := a.flags("opml import")
		pos, err := a.parse(fs, "opml import", args[1:])
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usageError{"opml import takes one FILE (- for stdin)"}
		}
		var r io.Reader = a.stdin
		if pos[0] != "-" {
			f, err := os.Open(pos[0])
			if err != nil {
				return err
			}
			defer f.Close()
			r = f
		}
		list, err := opml.Read(r)
		if err != nil {
			return fmt.Errorf("%s: %w (nothing was imported)", pos[0], err)
		}
		db, err := a.store()
		if err != nil {
			return err
		}
		added, skipped := 0, 0
		for _, f := range list {
			// opml.Read keeps an exported feed's aiwatch:enabled="false".
			f.Source = store.SourceUser
			if _, err := db.AddFeed(a.ctx, f); err != nil {
				if errors.Is(err, store.ErrConflict) {
					skipped++
					continue
				}
				return err
			}
			added++
		}
		fmt.Fprintf(a.stdout, "Imported %d feeds (%d already present).\n", added, skipped)
		return nil
	case "export":
		fs := a.flags("opml export")
		pos, err := a.parse(fs, "opml export", args[1:])
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return usageError{"opml export takes no arguments; it writes to stdout (aiwatch opml export > feeds.opml)"}
		}
		db, err := a.store()
		if err != nil {
			return err
		}
		all, err := db.FeedStatus(a.ctx)
		if err != nil {
			return err
		}
		var out []store.Feed
		for _, f := range all {
			if f.Kind != store.KindBuiltin {
				out = append(out, f)
			}
		}
		return opml.Write(a.stdout, "aiwatch feeds", out)
	case "--help", "-h":
		fmt.Fprintln(a.stdout, "Usage: aiwatch opml import FILE | aiwatch opml export > feeds.opml")
		return nil
	}
	return usageError{fmt.Sprintf("unknown opml subcommand %q (import, export)", args[0])}
}
