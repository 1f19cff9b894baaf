package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Backend is a whole aiwatch store: store/sqlite for one person's file,
// store/postgres for a team's server. Every command and the dashboard use
// a store only through it, and the contract suite (store/storetest) holds
// both backends to the same behaviour. Marks, watch entries, alert
// acknowledgements, views and the changes-seen mark belong to the
// backend's user (one implicit user on SQLite).
type Backend interface {
	// Path is the store's file, or "" for a store on a server.
	Path() string
	// Location names the store for people: the file, or the server's
	// address with any password hidden.
	Location() string
	// SetIgnore sets the config file's ignore rules, which hide items
	// from lists and counts.
	SetIgnore(rules []Filter)
	Watches(ctx context.Context) ([]Watch, error)
	AddWatch(ctx context.Context, w Watch) (Watch, error)
	RemoveWatch(ctx context.Context, id int64) error
	CheckAlerts(ctx context.Context, ws []WatchMatch) ([]Alert, error)
	Alerts(ctx context.Context, all bool) ([]Alert, error)
	CountAlerts(ctx context.Context) (int, error)
	AckAlerts(ctx context.Context, ids []int64) (int, error)
	AckAllAlerts(ctx context.Context) (int, error)
	PendingAlerts(ctx context.Context, channel string, since time.Time, limit int) ([]Alert, error)
	MarkDelivered(ctx context.Context, channel string, ids []int64) error
	DesignationChanges(ctx context.Context, since time.Time) ([]DesignationEvent, error)
	SaveArticle(ctx context.Context, a Article, tags Item) error
	Article(ctx context.Context, itemID int64) (Article, error)
	ItemsWithoutArticle(ctx context.Context, feedID int64, since time.Time, limit int) ([]int64, error)
	SchemaVersion(ctx context.Context) (have, want int, err error)
	Close() error
	Feeds(ctx context.Context) ([]Feed, error)
	Feed(ctx context.Context, id int64) (Feed, error)
	AddFeed(ctx context.Context, f Feed) (int64, error)
	RemoveFeed(ctx context.Context, id int64) (int, error)
	SetFeedEnabled(ctx context.Context, id int64, enabled bool) error
	DueFeeds(ctx context.Context, now time.Time, ids []int64) ([]Feed, error)
	FeedStatus(ctx context.Context) ([]Feed, error)
	Firms(ctx context.Context, q FirmQuery) ([]Firm, error)
	Designations(ctx context.Context, firm string) ([]Designation, error)
	Firm(ctx context.Context, id string) (Firm, error)
	Alliances(ctx context.Context) ([]Alliance, error)
	Alliance(ctx context.Context, id string) (Alliance, error)
	Lists(ctx context.Context) ([]List, error)
	Aliases(ctx context.Context) ([]Alias, error)
	AliasVersion(ctx context.Context) (string, error)
	AddAlias(ctx context.Context, a Alias) error
	RemoveAlias(ctx context.Context, kind EntityKind, entity, text string) error
	FirmIDs(ctx context.Context) ([]string, error)
	Items(ctx context.Context, f Filter) ([]Item, error)
	CountItems(ctx context.Context, f Filter) (Counts, error)
	Item(ctx context.Context, id int64) (Item, error)
	SetRead(ctx context.Context, ids []int64, read bool) error
	SetStarred(ctx context.Context, ids []int64, starred bool) error
	MarkAllRead(ctx context.Context, f Filter) (int, error)
	FirmCounts(ctx context.Context) (map[string]Counts, error)
	AllianceCounts(ctx context.Context) (map[string]Counts, error)
	DataVersion(ctx context.Context) (int64, error)
	Check(ctx context.Context) (CheckReport, error)
	RepairCounts(ctx context.Context) error
	Backup(ctx context.Context, path string) error
	Prune(ctx context.Context, cutoff time.Time, keepStarred bool) (int, error)
	DesignationEvents(ctx context.Context, firm string, since time.Time) ([]DesignationEvent, error)
	ChangesSeen(ctx context.Context) (time.Time, error)
	SetChangesSeen(ctx context.Context, t time.Time) error
	LastCSLCounts(ctx context.Context) (map[string]int, string, error)
	ApplyDesignations(ctx context.Context, changes []DesignationChange, imp *CSLImport, prov string) error
	ConfirmCSLName(ctx context.Context, name, firm string, affiliate bool) error
	CSLConfirmations(ctx context.Context) ([]Confirmation, error)
	SaveItems(ctx context.Context, feedID int64, items []Item) (SaveStats, error)
	SeedReference(ctx context.Context, newTag func(aliases []Alias) TagFunc) error
	DatasetVersion(ctx context.Context) (string, error)
	UserUniverse(ctx context.Context) (Universe, error)
	ImportUniverse(ctx context.Context, u Universe, dryRun bool) (ImportResult, error)
	SanctionSources(ctx context.Context) ([]SanctionSource, error)
	SanctionSource(ctx context.Context, id string) (SanctionSource, error)
	RecordSanctionCheck(ctx context.Context, id, result, reason string) error
	ApplyImport(ctx context.Context, changes []DesignationChange, imports []SourceImport) error
	Retag(ctx context.Context, tag TagFunc) (int, error)
	RetagFeed(ctx context.Context, feedURL string, tag TagFunc) (int, error)
	AddFirm(ctx context.Context, f Firm) error
	EditFirm(ctx context.Context, id string, e FirmEdit) error
	RemoveFirm(ctx context.Context, id string) error
	SetFirmHidden(ctx context.Context, id string, hidden bool) error
	AddAlliance(ctx context.Context, a Alliance) error
	RemoveAlliance(ctx context.Context, id string) error
	JoinAlliance(ctx context.Context, alliance string, firms []string, source, since string) error
	LeaveAlliance(ctx context.Context, alliance, firm, date string) error
	MembershipEvents(ctx context.Context, alliance string) ([]MembershipEvent, error)
	RetagIfStale(ctx context.Context, newTag func([]Alias) TagFunc) (bool, int, error)
	Views(ctx context.Context) ([]View, error)
	AddView(ctx context.Context, v View) error
	RemoveView(ctx context.Context, name string) error
	SetFeedSettings(ctx context.Context, ids []int64, s FeedSettings) error
	RecordFetch(ctx context.Context, feedID int64, r FetchResult, next Batches) (SaveStats, error)
}

// Errors every backend returns for the same causes.
var (
	// ErrNewerSchema is returned for a store written by a newer aiwatch.
	ErrNewerSchema = errors.New("the store was written by a newer version of aiwatch")
	// ErrReadOnly is returned when the store cannot be written.
	ErrReadOnly = errors.New("the store is read-only")
	// ErrDiskFull is returned when the disk holding the store is full.
	ErrDiskFull = errors.New("the disk holding the store is full")
)

// FirmQuery narrows Firms.
type FirmQuery struct {
	List     string // only firms actively on this list
	Alliance string // only members of this alliance
	// Hidden says which firms hidden with `firms hide` come back:
	// HiddenNo (the zero value) leaves them out, HiddenToo includes them,
	// HiddenOnly returns only them.
	Hidden HiddenFilter
}

// HiddenFilter says whether Firms returns hidden firms.
type HiddenFilter int

// HiddenFilter values.
const (
	HiddenNo HiddenFilter = iota
	HiddenToo
	HiddenOnly
)

// CheckReport is the result of Check.
type CheckReport struct {
	Integrity    []string // "ok", or the problems PRAGMA integrity_check found
	ForeignKeys  int      // rows that violate a foreign key
	FTS          string   // "ok" or the full-text index's error
	CountsOK     bool     // the trigger-kept counters match the rows
	SchemaHave   int
	SchemaWant   int
	Counts       map[string]int // firms, alliances, designations, feeds, items, unread, starred, mentions
	FileBytes    int64
	DatasetVer   string
	ItemsOldest  time.Time
	ItemsNewest  time.Time
	FailingFeeds int
}

// OK reports whether every check passed.
func (r CheckReport) OK() bool {
	return len(r.Integrity) == 1 && r.Integrity[0] == "ok" && r.ForeignKeys == 0 && strings.HasPrefix(r.FTS, "ok") && r.CountsOK
}

// CSLImport describes one Consolidated Screening List file being applied.
type CSLImport struct {
	FileDate string         // the file's date, YYYY-MM-DD
	SHA256   string         // hex digest of the file
	Counts   map[string]int // entries per list ID
}

// Provenance is the provenance string of designations from this import.
func (imp CSLImport) Provenance() string {
	h := imp.SHA256
	if len(h) > 12 {
		h = h[:12]
	}
	return fmt.Sprintf("%s:%s:%s", SourceCSL, imp.FileDate, h)
}

// Confirmation is a user's decision that a CSL entry name names a firm.
type Confirmation struct {
	Name      string // folded entry name
	Firm      string
	Affiliate bool
}

// Results of a check of a sanctions source.
const (
	ResultApplied   = "applied"   // a file was read and applied
	ResultUnchanged = "unchanged" // the server said 304 Not Modified
	ResultRefused   = "refused"   // a file was read and refused (drop guard, bad shape)
	ResultFailed    = "failed"    // no file could be read
)

// SanctionSource is the state of one sanctions source.
type SanctionSource struct {
	ID string
	// URL is where the last applied file came from (a URL or a path);
	// ETag and LastModified are its download's validators.
	URL, ETag, LastModified string
	LastCheck               time.Time // the last attempt, whatever its result
	LastResult              string    // one of the Result constants, "" before any
	LastError               string    // why the last check failed
	LastSuccess             time.Time // when a file was last applied
	FileDate                string    // the last applied file's date
	SHA256                  string
	Counts                  map[string]int // entries per list in the last applied file
	LastRefusal             time.Time
	RefusalReason           string
}

// SourceImport is what an applied file records for one source.
type SourceImport struct {
	ID                      string
	URL, ETag, LastModified string
	FileDate, SHA256        string
	Counts                  map[string]int
	// Lists are the lists the file speaks for: their AsOf becomes FileDate.
	Lists []string
}

// FirmEdit changes a firm the user added; nil fields are left as they are.
// Aliases are added to the firm's own; Sources, when not nil, replace them.
type FirmEdit struct {
	Name, NameZH, NameAR, Sector, HQ *string
	Aliases                          []Alias
	Sources                          []string
}

// ImportError is a refusal of one entry of an imported universe.
type ImportError struct {
	Section string // "firms", "aliases"…
	Index   int    // the entry's place in its section, from 0
	Msg     string
}

func (e *ImportError) Error() string { return fmt.Sprintf("%s[%d]: %s", e.Section, e.Index, e.Msg) }

// TagFunc derives the tags of an item of the feed at feedURL from its text.
type TagFunc func(feedURL, title, summary, content string) (firms, alliances []string, sanctions bool, mentions []Mention)
