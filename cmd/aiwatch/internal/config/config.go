// Package config reads aiwatch's one configuration file: keymaps, saved
// views, ignore rules, the feed schedule and fetch limits, display
// settings, the sanctions update and alert delivery. A file is applied whole or not at
// all: any unknown key, wrong type or bad value is an error of the form
// FILE:LINE:COL: message, and misspelt keys get a "did you mean".
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/aiwatch/aiwatch/ui/keys"
)

// Defaults of the settings that have one.
const (
	DefaultInterval    = 30 * time.Minute
	DefaultMaxBody     = 16 << 20 // 16 MiB
	DefaultTimeout     = 20 * time.Second
	DefaultConcurrency = 8
	DefaultPerHost     = 2
	DefaultMaxAge      = 24 * time.Hour
	DefaultDateFormat  = "2006-01-02"
	DefaultFPS         = 20
	MaxFPS             = 120 // Bubble Tea's own ceiling
)

// Bounds of the settings, checked when a file is read.
const (
	MinInterval    = time.Minute
	MaxInterval    = 7 * 24 * time.Hour
	MinMaxBody     = 64 << 10 // 64 KiB
	MaxMaxBody     = 1 << 30  // 1 GiB
	MinTimeout     = time.Second
	MaxTimeout     = 10 * time.Minute
	MaxConcurrency = 64
	MaxPerHost     = 16
)

// Config is the effective configuration: the file's settings over the
// defaults.
type Config struct {
	// Path is the file read, or "" when there was none.
	Path string

	// Keys is the keymap of every context, the defaults with the file's
	// bindings applied.
	Keys keys.Set
	// Bindings are the file's key bindings, in file order.
	Bindings []Binding

	Views     []View
	Ignore    []Rule
	Feeds     Feeds
	Display   Display
	Sanctions Sanctions
	Alerts    Alerts
	Store     Store
	// User owns the marks, watch list, alerts and views in a team store;
	// "" means $AIWATCH_USER, else the login name.
	User string
}

// Store names a team store on a PostgreSQL server. --db and $AIWATCH_DB
// win over it.
type Store struct {
	// DSN is a postgres:// or postgresql:// address, or "".
	DSN string
}

// Pos is a place in the file, for errors found after it was read, such
// as a view naming a firm the store does not know.
type Pos struct {
	File      string
	Line, Col int
	// How the value is written, for placing an offset into it.
	quoted, block bool
}

// Errorf returns an error at p.
func (p Pos) Errorf(format string, args ...any) error {
	return &Error{Pos: p, Msg: fmt.Sprintf(format, args...)}
}

// Binding is one action's keys as the file gives them.
type Binding struct {
	Context keys.Context
	Action  string
	Keys    []string
	Pos     Pos
}

// View is a saved query from the file.
type View struct {
	Name  string
	Query string
	Pos   Pos // of the query
}

// Rule is an ignore rule: items matching Query are hidden everywhere.
type Rule struct {
	Query string
	Pos   Pos
}

// Feeds holds the defaults of every feed; `aiwatch feeds set` overrides
// interval, max_body, timeout and user_agent per feed.
type Feeds struct {
	Interval    time.Duration // how often a feed is polled, before adapting to it
	MaxBody     int64         // bytes of a response body, after decompression
	Timeout     time.Duration // per request, body included
	Concurrency int           // feeds fetched at once
	PerHost     int           // requests in flight per host
	UserAgent   string        // "" means aiwatch/<version>
}

// Display holds how the dashboard draws.
type Display struct {
	Theme      string            // auto, dark or light
	Colors     map[string]string // colour overrides by name
	DateFormat string            // a Go time layout
	Bidi       string            // auto, app or terminal
	// FPS is the most frames a second the dashboard draws. Bubble Tea
	// wakes that often whether or not anything changed, so it is also
	// the dashboard's idle cost: about 0.9 % of a core at 60, 0.3 % at
	// the default 20 (README, "Speed and memory").
	FPS int
}

// Sanctions holds the settings of the Consolidated Screening List update.
type Sanctions struct {
	// MaxAge is how old the last successful update may be before a fetch
	// runs another.
	MaxAge time.Duration
	// CSLURL replaces the official address when set.
	CSLURL string
}

// Alerts says how new alerts are delivered after a fetch.
type Alerts struct {
	// Notify is "auto" (a desktop notification through notify-send, when
	// it is installed) or "off".
	Notify string
	// Command is a program and its arguments, run without a shell, with
	// the new alerts as JSON on its standard input; nil runs nothing.
	Command []string
	// Webhook is a URL the new alerts are POSTed to as JSON; "" posts
	// nothing.
	Webhook string
}

// Default returns the configuration used when there is no file.
func Default() Config {
	return Config{
		Keys: keys.DefaultSet(),
		Feeds: Feeds{
			Interval:    DefaultInterval,
			MaxBody:     DefaultMaxBody,
			Timeout:     DefaultTimeout,
			Concurrency: DefaultConcurrency,
			PerHost:     DefaultPerHost,
		},
		Display:   Display{Theme: "auto", DateFormat: DefaultDateFormat, Bidi: "auto", FPS: DefaultFPS},
		Sanctions: Sanctions{MaxAge: DefaultMaxAge},
		Alerts:    Alerts{Notify: "auto"},
	}
}

// Error is a problem at a place in the file.
type Error struct {
	Pos
	Msg string
}

func (e *Error) Error() string {
	if e.Col == 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Errors are every problem found in one file, in file order.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// ErrNoFile is returned by Load for a file named on the command line or
// in $AIWATCH_CONFIG that does not exist.
var ErrNoFile = errors.New("no such config file")

// Path resolves the file in use: flagValue (--config), else
// $AIWATCH_CONFIG, else $XDG_CONFIG_HOME/aiwatch/config.yml, else
// ~/.config/aiwatch/config.yml, else "" (no $HOME: the defaults). explicit says the user named it, so that
// its absence is an error rather than "use the defaults".
func Path(flagValue string, getenv func(string) string) (path string, explicit bool, err error) {
	if flagValue != "" {
		return flagValue, true, nil
	}
	if p := getenv("AIWATCH_CONFIG"); p != "" {
		return p, true, nil
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "aiwatch", "config.yml"), false, nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", false, nil // nowhere to look: the defaults
	}
	return filepath.Join(home, ".config", "aiwatch", "config.yml"), false, nil
}

// Load reads the file at path. A missing file gives the defaults unless
// explicit, when it is ErrNoFile.
func Load(path string, explicit bool) (Config, error) {
	if path == "" {
		return Default(), nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) || (!explicit && errors.Is(err, syscall.ENOTDIR)) {
		if explicit {
			return Config{}, fmt.Errorf("config: %s: %w", path, ErrNoFile)
		}
		return Default(), nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("config: unable to read %s: %w", path, err)
	}
	c, err := Parse(path, b)
	if err != nil {
		return Config{}, err
	}
	return c, nil
}
