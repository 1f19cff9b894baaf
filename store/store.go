// Package store is aiwatch's vocabulary: firms, alliances, memberships,
// designations, feeds, items and mentions, the filter that selects items,
// and the one alias-folding rule. It holds no SQL and no driver; the
// SQLite implementation lives in store/sqlite.
package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Sentinel errors that callers branch on.
var (
	// ErrNotFound is returned when a firm, alliance, feed or item does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict is returned when a write would duplicate something unique.
	ErrConflict = errors.New("already exists")
)

// EntityKind says whether an alias or mention names a firm or an alliance.
type EntityKind string

// Entity kinds.
const (
	KindFirm     EntityKind = "firm"
	KindAlliance EntityKind = "alliance"
)

// Provenance values for aliases, designations and feeds.
const (
	SourceReference = "reference" // the embedded reference dataset
	SourceUser      = "user"      // added by the user
	SourceCSL       = "csl"       // a Consolidated Screening List import
)

// Alias is one spelling of a firm or an alliance.
type Alias struct {
	Entity string     // firm or alliance ID
	Kind   EntityKind // KindFirm or KindAlliance
	Text   string     // the spelling as written, e.g. "摩尔线程", "Moore Threads", "مور ثريدز"
	Lang   string     // "en", "zh", "zh-Hant", "ar" (BCP 47 primary tag, zh-Hant for traditional)
	// CaseSensitive marks aliases that are ordinary words in lower case
	// (MiniMax, Moonshot, Horizon, Quark, Ascend, Ant…): they match only as written.
	CaseSensitive bool
	Source        string // SourceReference or SourceUser
}

// Firm is a tracked company.
type Firm struct {
	ID           string
	Name         string // English legal or common name
	NameZH       string
	NameAR       string // Arabic name, when the user gave one
	Short        string // short display name, e.g. "Huawei", "Moore Threads"
	Sector       string
	HQ           string
	Notes        string
	Sources      []string
	Aliases      []Alias
	Alliances    []string // alliance IDs, sorted
	Designations []Designation
	// NoneFoundAsOf is the date of the reference dataset's check, used to
	// say "none found as of <date>" rather than "clean" for a firm with no
	// designation.
	NoneFoundAsOf string
	// Provenance says whose the fields are: SourceReference or SourceUser.
	Provenance string
	// Hidden firms are left out of panes and lists (aiwatch firms hide).
	Hidden bool
	// Added is the day (YYYY-MM-DD) the user added the firm; "" for a
	// reference firm.
	Added string
}

// Alliance is a group of firms, such as the Model-Chip Ecosystem Innovation Alliance.
type Alliance struct {
	ID          string
	Name        string
	NameZH      string
	NameStatus  string // note on how sure the names are, e.g. "unconfirmed"
	Launched    string // YYYY-MM-DD or YYYY-MM, as precise as the sources allow
	LaunchNote  string
	Venue       string
	Convener    string
	MembersNote string
	Members     []Membership
	Sources     []string
	Aliases     []Alias
	// Provenance says whose the fields are: SourceReference or SourceUser.
	Provenance string
	// Events are the joins and leaves the user recorded, oldest first.
	Events []MembershipEvent
}

// Membership links a firm to an alliance.
type Membership struct {
	Alliance string
	Firm     string
	Role     string // "member", "convener"…
	Source   string
	// Provenance is SourceReference or SourceUser.
	Provenance string
	Since      string // YYYY-MM-DD or "", as the user gave it
}

// MembershipEvent is one join or leave of an alliance, as logged.
type MembershipEvent struct {
	ID         int64
	At         time.Time // when it was recorded
	Alliance   string
	Firm       string
	Action     string // "joined" or "left"
	Date       string // the date the user gave, or ""
	Source     string
	Provenance string
}

// DesignationStatus says how far a designation can be trusted.
type DesignationStatus string

// Designation statuses.
const (
	StatusConfirmed DesignationStatus = "confirmed"
	// StatusContested is an action that was posted and withdrawn, or is
	// disputed: it is shown as contested, never as listed.
	StatusContested DesignationStatus = "contested"
)

// List is a US government list a firm can be on.
type List struct {
	ID          string // entity-list, meu, sdn, ns-cmic, 1260h, fcc-covered, uflpa, or a CSL source id
	Name        string // "BIS Entity List"
	Badge       string // compact badge: EL, MEU, SDN, CMIC, 1260H, FCC, UFLPA
	Description string
	// AsOf is the date (YYYY-MM-DD) of the last imported file that spoke
	// for the list (a CSL file, an OpenSanctions export), or "" when none
	// did; see NoneFound.
	AsOf string
}

// Designation is one listing of a firm on a list. Removed is set when the
// firm is no longer listed; the row is kept as history.
type Designation struct {
	ID         int64
	Firm       string
	List       string // List.ID
	Program    string
	Added      string // YYYY-MM-DD or YYYY-MM or ""
	Removed    string // YYYY-MM-DD or ""
	Citation   string // e.g. "88 FR 71991"
	Source     string // source URL(s), "; "-separated
	Status     DesignationStatus
	Affiliate  bool   // the listing names a subsidiary or affiliate, not the firm itself
	Provenance string // SourceReference, SourceUser, or "csl:<file date>:<sha256 prefix>"
	Note       string
}

// Active reports whether the designation is in force and confirmed.
func (d Designation) Active() bool { return d.Removed == "" && d.Status == StatusConfirmed }

// DesignationEvent is one entry in the sanctions history log.
type DesignationEvent struct {
	ID         int64
	At         time.Time
	Firm       string
	List       string
	Action     string // "added", "removed", "changed", "contested"
	Detail     string
	Provenance string
}

// Feed is a source of items.
type Feed struct {
	ID       int64
	URL      string
	Title    string
	Lang     string
	Category string // OPML category path, "/"-separated
	Kind     FeedKind
	Enabled  bool
	Source   string // SourceReference or SourceUser
	// UserAgent overrides the default User-Agent when set.
	UserAgent string
	// HTML holds the scrape rule when Kind is KindHTML.
	HTML *HTMLRule

	// Fetch state.
	ETag         string
	LastModified string
	LastCheck    time.Time
	LastSuccess  time.Time
	LastStatus   int
	LastError    string
	Failures     int       // consecutive failures
	NextTry      time.Time // back-off or Retry-After; zero means now

	// Schedule and limits set with `aiwatch feeds set`; zero means the
	// config file's default.
	Interval time.Duration
	MaxBody  int64
	Timeout  time.Duration
	// Bodies says when the articles of the feed's items are fetched.
	Bodies Bodies

	// Counts, filled by listing queries. Ignored items are counted in
	// IgnoredCount only.
	ItemCount    int
	UnreadCount  int
	IgnoredCount int
}

// FeedSettings changes a feed's schedule and limits; nil fields are left
// as they are, and a zero value returns a field to the default.
type FeedSettings struct {
	Interval  *time.Duration
	MaxBody   *int64
	Timeout   *time.Duration
	UserAgent *string
	Bodies    *Bodies
}

// Bodies says when the articles (the web pages' main text) of a feed's
// items are fetched.
type Bodies string

// The Bodies settings.
const (
	// BodiesOnDemand: when asked for, with b or aiwatch article (the
	// default).
	BodiesOnDemand Bodies = "on-demand"
	// BodiesAlways: also during fetch, for new items, politely bounded.
	BodiesAlways Bodies = "always"
	// BodiesNever: never; b and aiwatch article refuse.
	BodiesNever Bodies = "never"
)

// ParseBodies reads a Bodies setting; "" is BodiesOnDemand.
func ParseBodies(s string) (Bodies, error) {
	switch b := Bodies(s); b {
	case "":
		return BodiesOnDemand, nil
	case BodiesOnDemand, BodiesAlways, BodiesNever:
		return b, nil
	}
	return "", fmt.Errorf("store: unknown bodies setting %q (want always, on-demand or never)", s)
}

// View is a named query. Source is "file" for the config file's views,
// which the store does not hold, and "store" for the others.
type View struct {
	Name   string
	Query  string
	Source string
}

// FeedKind says how a feed's documents are read.
type FeedKind string

// Feed kinds.
const (
	KindFeed    FeedKind = "feed"    // RSS, Atom, RDF or JSON Feed
	KindHTML    FeedKind = "html"    // an HTML list page, read by its HTMLRule
	KindBuiltin FeedKind = "builtin" // the bundled news snapshot: never fetched
)

// Mark names a user mark on an item.
type Mark string

// Item marks.
const (
	MarkRead    Mark = "read"
	MarkStarred Mark = "starred"
)

// HTMLRule says how to read items from an HTML list page.
type HTMLRule struct {
	Item       string `json:"item"`
	Title      string `json:"title,omitempty"`
	Link       string `json:"link,omitempty"`
	Date       string `json:"date,omitempty"`
	DateLayout string `json:"date_layout,omitempty"`
	Summary    string `json:"summary,omitempty"`
}

// Item is one news item.
type Item struct {
	ID        int64
	FeedID    int64
	FeedTitle string
	// Key is the item's identity within its feed: the GUID, else the
	// canonical URL, else a hash of title and date.
	Key       string
	URL       string // absolute http(s) URL or ""
	Title     string
	Summary   string
	Content   string
	Author    string
	Lang      string
	Published time.Time
	Updated   time.Time
	Fetched   time.Time
	// Undated says the feed gave the item no date, so Published is the
	// time it was fetched. A later fetch keeps the first such date, and
	// the fingerprint leaves it out, so an undated item does not count as
	// changed each time it is fetched.
	Undated bool

	Read      bool
	Starred   bool
	Sanctions bool // the item is about designations or export controls

	Firms     []string // sorted firm IDs
	Alliances []string // sorted alliance IDs
	Mentions  []Mention

	// AlsoIn are the titles of the other feeds that carry the item's
	// story (see StoryLink), earliest copy first; nil when none do.
	AlsoIn []string
}

// Field names a part of an item that a mention is found in.
type Field string

// Item fields.
const (
	FieldTitle   Field = "title"
	FieldSummary Field = "summary"
	FieldContent Field = "content"
	// FieldBody is the article text fetched from the item's page
	// (aiwatch article), not from its feed.
	FieldBody Field = "body"
)

// Mention is one match of an alias in an item's text. Start and End are
// byte offsets into the named field.
type Mention struct {
	Entity string
	Kind   EntityKind
	Alias  string // the alias that matched, as written in the dataset
	Field  Field
	Start  int
	End    int
}

// Article is the main text of an item's web page, as extracted from it.
type Article struct {
	ItemID    int64
	URL       string // the page's URL, after redirects
	Title     string
	Byline    string
	Lang      string
	Published time.Time
	// Text is the main text: paragraphs separated by a blank line, a
	// heading's line starting with one '#' per level, as in Markdown.
	Text    string
	Links   []Link // the links in the main text, in order, each once
	Fetched time.Time
	// BodyOnly are the firms and alliances ("firm:ID", "alliance:ID")
	// that the item names only in Text, not in its feed's text.
	BodyOnly []string
}

// Link is one link in an article's text.
type Link struct {
	Text string
	URL  string
}

// Tristate is a filter condition that is on, off (negated) or absent.
type Tristate int8

// Tristate values.
const (
	Any Tristate = iota
	Yes
	No
)

// Filter selects items. All conditions are joined with AND. Each slice
// means "all of these" for the positive forms and "none of these" for
// the Not forms.
type Filter struct {
	Text         []string // free text, matched through the full-text index
	NotText      []string
	Firms        []string // firm IDs: the item names the firm
	NotFirms     []string
	Alliances    []string // alliance IDs: the item names the alliance or any of its members
	NotAlliances []string
	Lists        []string // list IDs: the item names a firm actively on the list
	NotLists     []string
	Langs        []string
	NotLangs     []string
	Feeds        []string // feed title (case-insensitive substring), host, or numeric ID
	NotFeeds     []string
	Since        time.Time // published at or after
	Until        time.Time // published before
	Unread       Tristate
	Starred      Tristate
	Sanctions    Tristate
	IDs          []int64 // restrict to these item IDs, when non-nil
	// AllCopies lists every copy of a story. Without it a list shows
	// each story once, as its earliest copy, unless Feeds or IDs name
	// the items to show.
	AllCopies bool

	Limit  int // 0 means no limit
	Offset int
	// CountUpTo lets CountItems stop once it has counted this many
	// matches (0 counts them all): a common search term under a firm can
	// match a million items, and a screen needs no exact figure for
	// them. Counts read from the counters are exact whatever it says.
	CountUpTo int
}

// Equal reports whether f and g select the same items in the same page.
// A nil slice and an empty one are the same condition, but for IDs, where
// nil means no restriction and empty means no item. Times are compared as
// instants, whatever their location.
func (f Filter) Equal(g Filter) bool {
	return slices.Equal(f.Text, g.Text) && slices.Equal(f.NotText, g.NotText) &&
		slices.Equal(f.Firms, g.Firms) && slices.Equal(f.NotFirms, g.NotFirms) &&
		slices.Equal(f.Alliances, g.Alliances) && slices.Equal(f.NotAlliances, g.NotAlliances) &&
		slices.Equal(f.Lists, g.Lists) && slices.Equal(f.NotLists, g.NotLists) &&
		slices.Equal(f.Langs, g.Langs) && slices.Equal(f.NotLangs, g.NotLangs) &&
		slices.Equal(f.Feeds, g.Feeds) && slices.Equal(f.NotFeeds, g.NotFeeds) &&
		f.Since.Equal(g.Since) && f.Until.Equal(g.Until) &&
		f.Unread == g.Unread && f.Starred == g.Starred && f.Sanctions == g.Sanctions &&
		(f.IDs == nil) == (g.IDs == nil) && slices.Equal(f.IDs, g.IDs) && f.AllCopies == g.AllCopies &&
		f.Limit == g.Limit && f.Offset == g.Offset && f.CountUpTo == g.CountUpTo
}

// CounterKey reports whether the stores' counters hold f's counts, and
// under which key: they do for all items (kind ""), or for the items of
// one firm or one alliance, unread or not. Limit, Offset and CountUpTo
// select nothing and are not looked at. Both backends answer such a
// count from their counters, exactly, whatever CountUpTo says.
func (f Filter) CounterKey() (kind EntityKind, entity string, ok bool) {
	g := f
	g.Unread, g.CountUpTo, g.Limit, g.Offset = Any, 0, 0, 0
	switch {
	case len(g.Firms) == 1 && len(g.Alliances) == 0:
		kind, entity, g.Firms = KindFirm, g.Firms[0], nil
	case len(g.Alliances) == 1 && len(g.Firms) == 0:
		kind, entity, g.Alliances = KindAlliance, g.Alliances[0], nil
	}
	return kind, entity, g.Equal(Filter{}) && f.Unread != No
}

// And joins two filters: an item must meet both. The later of the two
// Since and the earlier Until hold; of two contradicting tristates
// (is:read and is:unread), f's holds; g's IDs, when set, replace f's.
func (f Filter) And(g Filter) Filter {
	f.Text = append(slices.Clone(f.Text), g.Text...)
	f.NotText = append(slices.Clone(f.NotText), g.NotText...)
	f.Firms = append(slices.Clone(f.Firms), g.Firms...)
	f.NotFirms = append(slices.Clone(f.NotFirms), g.NotFirms...)
	f.Alliances = append(slices.Clone(f.Alliances), g.Alliances...)
	f.NotAlliances = append(slices.Clone(f.NotAlliances), g.NotAlliances...)
	f.Lists = append(slices.Clone(f.Lists), g.Lists...)
	f.NotLists = append(slices.Clone(f.NotLists), g.NotLists...)
	f.Langs = append(slices.Clone(f.Langs), g.Langs...)
	f.NotLangs = append(slices.Clone(f.NotLangs), g.NotLangs...)
	f.Feeds = append(slices.Clone(f.Feeds), g.Feeds...)
	f.NotFeeds = append(slices.Clone(f.NotFeeds), g.NotFeeds...)
	if g.Since.After(f.Since) {
		f.Since = g.Since
	}
	if !g.Until.IsZero() && (f.Until.IsZero() || g.Until.Before(f.Until)) {
		f.Until = g.Until
	}
	tri := func(a, b Tristate) Tristate {
		if a == Any {
			return b
		}
		return a
	}
	f.Unread, f.Starred, f.Sanctions = tri(f.Unread, g.Unread), tri(f.Starred, g.Starred), tri(f.Sanctions, g.Sanctions)
	if g.IDs != nil {
		f.IDs = g.IDs
	}
	return f
}

// Counts are unread and total item counts.
type Counts struct {
	Total  int
	Unread int
	// More says the count stopped at Filter.CountUpTo: more than Total
	// items match, and Unread counts only the unread among those counted,
	// so both are lower bounds.
	More bool
	// Trend is the weekly item counts of the last TrendWeeks weeks, when
	// counted per firm or alliance (FirmCounts, AllianceCounts); else zero.
	Trend Trend
}

// UpTo turns the counts of a count that read up to limit+1 matches
// (Filter.CountUpTo) into counts of at most limit, with More set when
// there were more. A limit of 0 or less leaves them as they are.
func (c Counts) UpTo(limit int) Counts {
	if limit > 0 && c.Total > limit {
		c.Total, c.Unread, c.More = limit, min(c.Unread, limit), true
	}
	return c
}

// TrendWeeks is how many weeks a Trend covers.
const TrendWeeks = 12

// Trend counts items per calendar week (Monday 00:00 UTC to Monday), by
// their published date, oldest first: the last is the week now under way.
type Trend [TrendWeeks]int

// Sum returns the items of the whole trend.
func (t Trend) Sum() int {
	n := 0
	for _, c := range t {
		n += c
	}
	return n
}

// The week rule: weeks since Monday 1970-01-05 00:00 UTC, by integer
// division that truncates as SQLite's does, so that the store's counters
// and this function agree on every date after 1970-01-05.
const (
	weekEpoch   = 4 * 24 * 3600
	weekSeconds = 7 * 24 * 3600
)

// Week returns the number of the calendar week that unix (seconds) falls
// in. The store keeps its weekly counters by it.
func Week(unix int64) int64 { return (unix - weekEpoch) / weekSeconds }

// WeekSQL is Week as an SQL expression of the column col.
func WeekSQL(col string) string { return "((" + col + " - 345600) / 604800)" }

// TrendWeek returns the index in a Trend ending in the week of now of an
// item published at unix (seconds), and false when it is outside it.
func TrendWeek(now time.Time, unix int64) (int, bool) {
	i := int(Week(unix) - Week(now.Unix()) + TrendWeeks - 1)
	return i, i >= 0 && i < TrendWeeks
}

// SaveStats counts what saving a batch of items did.
type SaveStats struct {
	New       int
	Updated   int
	Unchanged int
}

// Batches yields the items of one save in order, a batch at a time, and
// nil, nil at the end. The store calls it from a goroutine of its own
// while it writes the batches before, so that a pipeline can parse and tag
// one part of a large feed while another part is written. A batch belongs
// to the store once returned. An error ends the save, and nothing of it is
// written.
type Batches func() ([]Item, error)

// OneBatch returns Batches that yield items as one batch.
func OneBatch(items []Item) Batches {
	done := false
	return func() ([]Item, error) {
		if done || len(items) == 0 {
			return nil, nil
		}
		done = true
		return items, nil
	}
}

// Collect reads all of next's items.
func Collect(next Batches) ([]Item, error) {
	var all []Item
	for next != nil {
		b, err := next()
		if err != nil || b == nil {
			return all, err
		}
		if all == nil {
			all = b // a batch is the caller's once returned
			continue
		}
		all = append(all, b...)
	}
	return all, nil
}

// FetchResult is what one fetch of a feed found, as recorded on the feed.
type FetchResult struct {
	At           time.Time
	Status       int    // HTTP status, 0 if none
	NotModified  bool   // 304: nothing parsed or saved
	Err          string // "" on success
	ETag         string
	LastModified string
	NextTry      time.Time // zero: due on the next run
	Title        string    // the document's own title, used when the feed has none
	Lang         string    // the document's language, used when the feed has none
}

// DesignationChange is one change to apply to the designations: Kind is
// "added", "removed" or "changed". For "removed" and "changed",
// Designation.ID names the row and the other fields hold its new state.
type DesignationChange struct {
	Kind        string
	Designation Designation
	Detail      string
}

// AddArticleTags adds to tags, an item's tags from its feed text, those
// found in its article text: the firms and alliances, the sanctions flag,
// and the mentions, which it marks FieldBody. It returns the firms and
// alliances ("firm:ID", "alliance:ID") that only the article names,
// sorted. The fetcher and the re-tagger both merge through it.
func AddArticleTags(tags *Item, firms, alliances []string, sanctions bool, mentions []Mention) (bodyOnly []string) {
	for _, m := range mentions {
		m.Field = FieldBody
		tags.Mentions = append(tags.Mentions, m)
	}
	tags.Sanctions = tags.Sanctions || sanctions
	add := func(have []string, kind EntityKind, found []string) []string {
		for _, id := range found {
			if !slices.Contains(have, id) {
				have = append(have, id)
				bodyOnly = append(bodyOnly, string(kind)+":"+id)
			}
		}
		slices.Sort(have)
		return have
	}
	tags.Firms = add(tags.Firms, KindFirm, firms)
	tags.Alliances = add(tags.Alliances, KindAlliance, alliances)
	slices.Sort(bodyOnly)
	return bodyOnly
}

// sparks are the eight bar heights of a sparkline.
var sparks = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws the trend as TrendWeeks cells, one a week, oldest
// first: a week with no items is a space, the busiest week is █, and
// every other week with items is at least ▁, scaled to the busiest. The
// dashboard and the command line both draw trends with it.
func (t Trend) Sparkline() string {
	top := 0
	for _, c := range t {
		top = max(top, c)
	}
	var b strings.Builder
	for _, c := range t {
		if c <= 0 {
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(sparks[(c*len(sparks)-1)/top])
	}
	return b.String()
}

// WatchKind says what a watch entry watches.
type WatchKind string

// Watch entry kinds.
const (
	WatchFirm     WatchKind = "firm"     // a firm: its news and its designation changes
	WatchAlliance WatchKind = "alliance" // an alliance: news naming it or a member, members' designation changes
	WatchQuery    WatchKind = "query"    // a query in the filter language: its news
)

// Watch is one entry of the watch list.
type Watch struct {
	ID      int64
	Kind    WatchKind
	Value   string // firm ID, alliance ID, or the query as typed
	Created time.Time
}

// String is the entry as the user writes it: firm:ID, alliance:ID, or
// the query.
func (w Watch) String() string {
	if w.Kind == WatchQuery {
		return w.Value
	}
	return string(w.Kind) + ":" + w.Value
}

// Alert kinds.
const (
	AlertItem        = "item"        // a new item matched a watch entry
	AlertDesignation = "designation" // a watched firm's designation changed
)

// Alert is a new item that matched a watch entry, or a designation change
// of a watched firm. There is at most one per item (or designation event)
// per watch entry.
type Alert struct {
	ID      int64
	At      time.Time
	Kind    string // AlertItem or AlertDesignation
	WatchID int64
	Watch   string // the entry as written (Watch.String)
	Firm    string // the firm concerned, "" when the item names none
	ItemID  int64  // AlertItem: the item
	EventID int64  // AlertDesignation: the designation event
	Title   string // the item's title, or the change in a line
	Detail  string // the item's source and date, or the change's detail
	Acked   bool
}

// WatchMatch is a watch entry with what it selects, for the alert check:
// the items its Filter matches, and designation changes of Firms.
type WatchMatch struct {
	Watch  Watch
	Filter Filter
	Firms  []string
}
