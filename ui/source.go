package ui

import (
	"context"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/bidi"
	"github.com/aiwatch/aiwatch/ui/keys"
)

// Source is what the dashboard reads and writes. Implementations must be safe for concurrent use.
type Source interface {
	Alliances(ctx context.Context) ([]store.Alliance, error)                                               // with Members
	Firms(ctx context.Context, alliance string) ([]store.Firm, error)                                      // alliance "" = all firms; Designations filled
	Lists(ctx context.Context) ([]store.List, error)                                                       // for badge legend
	AllianceCounts(ctx context.Context) (map[string]store.Counts, error)                                   // items naming the alliance or any member; key "" = all items
	FirmCounts(ctx context.Context) (map[string]store.Counts, error)                                       // items naming each firm
	Items(ctx context.Context, f store.Filter) ([]store.Item, error)                                       // newest first; honours Limit/Offset; Firms/Alliances/Sanctions filled; Content and Mentions may be empty
	CountItems(ctx context.Context, f store.Filter) (store.Counts, error)                                  // ignores Limit/Offset
	Item(ctx context.Context, id int64) (store.Item, error)                                                // full item: Summary, Content, Mentions (byte offsets per field)
	SetRead(ctx context.Context, ids []int64, read bool) error                                             // marks items read or unread
	SetStarred(ctx context.Context, ids []int64, starred bool) error                                       // stars or unstars items
	MarkAllRead(ctx context.Context, f store.Filter) (int, error)                                          // returns how many were marked
	Feeds(ctx context.Context) ([]store.Feed, error)                                                       // with status, last error, counts
	DesignationEvents(ctx context.Context, firm string, since time.Time) ([]store.DesignationEvent, error) // firm "" = all firms
	ChangesSeen(ctx context.Context) (time.Time, error)                                                    // when the user last looked at "what changed"
	SetChangesSeen(ctx context.Context, t time.Time) error                                                 // records that the user looked
	DataVersion(ctx context.Context) (int64, error)                                                        // changes whenever any process commits to the store
}

// Refresher fetches all feeds (the F key). progress is called from the refresh goroutine.
type Refresher interface {
	Refresh(ctx context.Context, progress func(RefreshProgress)) (RefreshProgress, error)
}

// RefreshProgress is how far a refresh has got.
type RefreshProgress struct{ Done, Total, Failed, NewItems int }

// Config is what New needs.
type Config struct {
	Source     Source
	Refresher  Refresher                            // may be nil: F then says refresh is unavailable
	ParseQuery func(q string) (store.Filter, error) // the shared query language parser (store/query); errors may carry a byte position
	StorePath  string                               // for the status line
	OpenURL    func(url string) error               // may be nil: default runs $BROWSER or xdg-open WITHOUT a shell, only for http(s) URLs
	Now        func() time.Time                     // may be nil: time.Now
	// Keys is the keymap of every context; the zero Set is the defaults.
	Keys keys.Set
	// Views lists the saved views, the config file's marked Source
	// "file"; nil: no Views group.
	Views func(ctx context.Context) ([]store.View, error)
	// SaveView stores the filter bar's query as a view (ctrl+s); nil: it
	// says views cannot be saved. A name in use is an error that says so.
	SaveView func(ctx context.Context, name, query string) error
	// Theme forces "dark" or "light"; "" or "auto" follows the terminal.
	Theme string
	// Colors replaces colours of the theme by name (theme.ColorNames).
	Colors map[string]string
	// DataChanged may be nil. It runs in a command each time the store's
	// data version moves (another process wrote, or a fetch ended), beside
	// the reload of what is on screen, so that what the caller built from
	// the store, such as ParseQuery's names, is read again. Its error goes
	// to the status line.
	DataChanged func(ctx context.Context) error
	// Changes, when set, signals that the store's files changed, perhaps
	// by another process: the dashboard then checks the data version at
	// once, and otherwise only every minute, so that it costs nothing
	// while nothing happens. Signals may be merged; closing it falls
	// back to that timer. Without it the data version is polled every 2 s.
	Changes <-chan struct{}
	// Bidi is who makes right-to-left text readable: bidi.App or
	// bidi.Terminal, resolved by the caller (bidi.Mode.Resolve). An
	// unresolved bidi.Auto draws as bidi.Terminal does.
	Bidi bidi.Mode
	// Articles may be nil: b then says articles are unavailable. It
	// brings an item's article, the kept one or else fetched from the
	// item's page, for the reader (the b key).
	Articles ArticleSource
	// Alerts may be nil: a then says alerts are unavailable, and the
	// status line counts none.
	Alerts AlertSource
}

// AlertSource lists the watch list's alerts (the a key and the status
// line's count).
type AlertSource interface {
	// Alerts returns the alerts, newest first: the unacknowledged ones,
	// or all with all.
	Alerts(ctx context.Context, all bool) ([]store.Alert, error)
	// Watches returns the watch list, whose firms and alliances the
	// panes mark.
	Watches(ctx context.Context) ([]store.Watch, error)
}

// ArticleSource brings an item's article: the kept one, else fetched
// from its page, kept, and the item re-tagged. Its error is one line,
// shown in the reader under the summary.
type ArticleSource interface {
	Article(ctx context.Context, itemID int64) (store.Article, error)
}
