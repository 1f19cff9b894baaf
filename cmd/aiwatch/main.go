// Command aiwatch is a terminal dashboard and command line for following
// China's AI ecosystem: alliances, member firms and their US sanction
// status, and the news that names them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aiwatch/aiwatch/cmd/aiwatch/internal/config"
	"github.com/aiwatch/aiwatch/cmd/aiwatch/internal/noprobe"
	"github.com/aiwatch/aiwatch/feeds/match"
	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/store/query"
	"github.com/aiwatch/aiwatch/store/sqlite"
	"github.com/aiwatch/aiwatch/ui/bidi"
)

// version is set at build time by the Makefile.
var version = "dev"

func main() {
	noprobe.Restore()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv, now: time.Now, isTerminal: isTerminal,
		sanctions: defaultSanctions, spawnRetag: spawnRetag, lookPath: exec.LookPath,
		memoryLimit: debug.SetMemoryLimit,
	})
	stop()
	os.Exit(code)
}

// env is everything a command may touch outside the store, so tests can
// run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
	isTerminal     func(w io.Writer) bool
	// sanctions says when fetch updates the CSL on its own; the zero
	// value (as in tests) never does.
	sanctions sanctionsConfig
	// after is the timer of fetch --watch; nil means time.After.
	after func(time.Duration) <-chan time.Time
	// spawnRetag starts the background re-tag after a change of
	// spellings; nil (as in tests) re-tags in the command itself.
	spawnRetag func(a *app) error
	// lookPath finds notify-send for alert notifications; nil (as in
	// tests) finds nothing.
	lookPath func(string) (string, error)
	// retryWait replaces the pause before a webhook's retry when set.
	retryWait time.Duration
	// memoryLimit is debug.SetMemoryLimit: a command that knows its
	// memory's shape may set the process's soft limit; nil (as in tests,
	// where the process is the test binary's) leaves it alone.
	memoryLimit func(int64) int64
}

// app is one invocation.
type app struct {
	env
	ctx     context.Context
	dbFlag  string
	bidi    bidi.Mode // --bidi: who makes right-to-left text readable in the dashboard
	bidiSet bool      // --bidi was given: it wins over the config file's display.bidi
	db      store.Backend
	res     *query.MapResolver // names for the query language, built once
	open    sqlite.Options     // how store opens the store
	// dsn is the PostgreSQL address of the store in use, password and
	// all, or "" for a file. It is never printed: see redact.
	dsn string

	configFlag string
	cfg        config.Config
	// includeIgnored shows the items the config file's ignore rules hide.
	includeIgnored bool
	// fetchAll fetches every enabled feed, due or not.
	fetchAll bool
	// alertMu keeps the dashboard's alert checks (team store) and those
	// after its F apart.
	alertMu sync.Mutex
}

// exitCode makes run exit with code after printing nothing more, as
// fetch --alerts-exit does when there are new alerts.
type exitCode int

func (e exitCode) Error() string { return "exit " + strconv.Itoa(int(e)) }

// usageError makes run print usage and exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// command is one subcommand.
type command struct {
	name    string
	args    string // usage after the name
	summary string
	run     func(a *app, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"firms", "[--list ID] [--alliance ID] [--hidden] [--json] | add|edit ID --name NAME ... | rm|hide|show ID", "list tracked firms with their designation badges; add your own, hide reference ones", cmdFirms},
		{"firm", "ID [--json]", "show one firm: names, aliases, alliances, designations and sources", cmdFirm},
		{"alliances", "[--json] | add ID --name NAME [--name-zh Z] [--launched DATE] [--convener FIRM] [--source URL] | rm ID", "list alliances; add your own", cmdAlliances},
		{"alliance", "ID [--json] | join ALLIANCE FIRM... [--source URL] [--since DATE] | leave ALLIANCE FIRM [--date DATE]", "show one alliance: members, joins and leaves, sources; record a join or leave", cmdAlliance},
		{"items", "[--firm ID] [--alliance ID] [--unread] [--starred] [--query Q] [--view NAME] [--since 7d|2025-07-01] [--limit N] [--all-copies] [--include-ignored] [--json]", "list news items, newest first, each story once", cmdItems},
		{"views", "list|add|rm ...", "list, add and remove saved views", cmdViews},
		{"read", "ID...", "mark items read (every copy of their stories)", cmdMark("read", true)},
		{"unread", "ID...", "mark items unread (every copy of their stories)", cmdMark("read", false)},
		{"star", "ID...", "star items (every copy of their stories)", cmdMark("star", true)},
		{"unstar", "ID...", "unstar items (every copy of their stories)", cmdMark("star", false)},
		{"extract", "FILE|URL [--url BASE] [--json]", "print the main text of a web page: title, byline, date, language, paragraphs, links", cmdExtract},
		{"article", "ID [--json] [--refresh]", "fetch an item's web page and show its main text, kept for reading offline", cmdArticle},
		{"tag", "[--json]", "show which firms and alliances the text on stdin names, and why", cmdTag},
		{"retag", "[--if-stale] [--quiet]", "re-derive every item's tags after an alias change", cmdRetag},
		{"alias", "add|rm FIRM ALIAS [--lang xx] [--case-sensitive] [--alliance]", "teach aiwatch a new spelling, or forget one", cmdAlias},
		{"universe", "export [FILE] | import FILE [--dry-run]", "share your own firms, aliases, alliances, joins and leaves, watch list and views as one YAML file", cmdUniverse},
		{"fetch", "[--feed ID]... [--all] [--watch] [--alerts-exit] [--concurrency N] [--timeout DUR]", "fetch the feeds that are due", cmdFetch},
		{"watch", "add|list|rm ...", "the watch list: firms, alliances and queries whose news alerts you", cmdWatch},
		{"alerts", "[--json] [--all] | ack ID...|--all", "list the watch list's alerts, or acknowledge them", cmdAlerts},
		{"brief", "[--since 7d] [--watch] [--query Q] [--format md|html|json] [-o FILE]", "write a brief of the new items and designation changes to hand on", cmdBrief},
		{"feeds", "list|add|rm|enable|disable ...", "manage feeds", cmdFeeds},
		{"opml", "import FILE | export", "import or export feeds as OPML 2.0", cmdOPML},
		{"sanctions", "update|status|import|confirm|set|history ...", "keep sanction status current from the Consolidated Screening List", cmdSanctions},
		{"migrate", "--from FILE.db --to postgres://HOST/DB", "copy a personal SQLite store, marks and all, into a team store on PostgreSQL", cmdMigrate},
		{"check", "", "check the store's integrity and report counts", cmdCheck},
		{"backup", "FILE", "write a consistent copy of the store, even while others write", cmdBackup},
		{"prune", "[--older-than 180d] [--keep-starred]", "delete old items to bound the store's size", cmdPrune},
		{"config", "path|init|check|show", "the config file: where it is, a commented default, check it, the effective settings", cmdConfig},
		{"version", "", "print the version", cmdVersion},
		{"help", "[COMMAND]", "show help", nil},
	}
}

// parseGlobal reads the flags before the command: --db, --config, --bidi
// and --version. It returns the command and its arguments.
func (a *app) parseGlobal(args []string) (rest []string, showVersion bool, err error) {
	global := flag.NewFlagSet("aiwatch", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	global.StringVar(&a.dbFlag, "db", "", "the store: a file, or a postgres:// address")
	global.StringVar(&a.configFlag, "config", "", "path of the config file")
	global.Var(&a.bidi, "bidi", "who shapes and orders Arabic and Hebrew in the dashboard: auto, app or terminal")
	global.BoolVar(&showVersion, "version", false, "print the version")
	if err := global.Parse(args); err != nil {
		return nil, false, err
	}
	global.Visit(func(f *flag.Flag) { a.bidiSet = a.bidiSet || f.Name == "bidi" })
	return global.Args(), showVersion, nil
}

func run(ctx context.Context, args []string, e env) int {
	a := &app{env: e, ctx: ctx}
	rest, showVersion, err := a.parseGlobal(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.usage(a.stdout)
			return 0
		}
		fmt.Fprintf(a.stderr, "aiwatch: %v\n\n", err)
		a.usage(a.stderr)
		return 2
	}
	if showVersion {
		return a.finish(cmdVersion(a, nil))
	}
	a.cfg = config.Default()
	if len(rest) == 0 || (rest[0] != "config" && rest[0] != "help" && rest[0] != "version") {
		// Nothing runs on an invalid file; config check says why.
		if err := a.loadConfig(); err != nil {
			return a.finish(err)
		}
	}
	if len(rest) == 0 {
		return a.finish(cmdDashboard(a, nil))
	}
	name, cargs := rest[0], rest[1:]
	if name == "help" {
		if len(cargs) == 0 {
			a.usage(a.stdout)
			return 0
		}
		if c := findCommand(cargs[0]); c != nil {
			return a.finish(c.run(a, []string{"--help"}))
		}
		fmt.Fprintf(a.stderr, "aiwatch: unknown command %q\n\n", cargs[0])
		a.usage(a.stderr)
		return 2
	}
	c := findCommand(name)
	if c == nil {
		msg := fmt.Sprintf("unknown command %q", name)
		if s := suggestCommand(name); len(s) > 0 {
			msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(quoteAll(s), " or "))
		}
		fmt.Fprintf(a.stderr, "aiwatch: %s\n\n", msg)
		a.usage(a.stderr)
		return 2
	}
	defer func() {
		if a.db != nil {
			a.db.Close()
		}
	}()
	return a.finish(c.run(a, cargs))
}

func findCommand(name string) *command {
	for i := range commands {
		if commands[i].name == name && commands[i].run != nil {
			return &commands[i]
		}
	}
	return nil
}

// finish turns a command's error into output and an exit code.
func (a *app) finish(err error) int {
	var ue usageError
	var code exitCode
	switch {
	case err == nil:
		return 0
	case errors.As(err, &code):
		return int(code)
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(a.stderr, "aiwatch: %s\n", ue.msg)
		return 2
	}
	fmt.Fprintf(a.stderr, "aiwatch: %s\n", a.redact(userMessage(err)))
	return 1
}

// userMessage shortens an error chain for people: the store's clear
// errors already say what happened.
func userMessage(err error) string {
	msg := err.Error()
	msg = strings.ReplaceAll(msg, "sqlite: ", "")
	msg = strings.ReplaceAll(msg, "postgres: ", "")
	return msg
}

func (a *app) usage(w io.Writer) {
	fmt.Fprintf(w, `aiwatch follows China's AI ecosystem: alliances, member firms and their US
sanction status, and the news that names them.

Usage:
  aiwatch [--db PATH] [--config FILE] [--bidi MODE]  open the dashboard
  aiwatch [--db PATH] [--config FILE] COMMAND ...    run a command

Commands:
`)
	width := 0
	for _, c := range commands {
		if len(c.name) > width {
			width = len(c.name)
		}
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintf(w, `
Run "aiwatch COMMAND --help" for a command's flags.

The store is --db PATH, else $AIWATCH_DB, else the config file's store.dsn,
else $XDG_DATA_HOME/aiwatch/aiwatch.db (~/.local/share/aiwatch/aiwatch.db).
It is created and seeded on first use. A postgres:// address instead of a
path opens a team store on PostgreSQL, where marks, the watch list, alerts
and views are the user's own: user: in the config file, else $AIWATCH_USER,
else the login name.
The config file is --config FILE, else $AIWATCH_CONFIG, else
$XDG_CONFIG_HOME/aiwatch/config.yml (~/.config/aiwatch/config.yml).

--bidi auto|app|terminal (else the config file's display.bidi) says who
shapes Arabic and orders right-to-left text in the dashboard: aiwatch (app)
or the terminal. auto picks terminal only in VTE terminals, Konsole and mlterm
outside tmux and screen.
`)
}

// flags returns a flag set for a command that prints the command's usage
// on --help and reports bad flags as usage errors.
func (a *app) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("aiwatch "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&a.dbFlag, "db", a.dbFlag, "the store: a file, or a postgres:// address")
	return fs
}

// parse parses a command's flags, allowing flags after positional
// arguments (aiwatch firm huawei --json).
func (a *app) parse(fs *flag.FlagSet, name string, args []string) ([]string, error) {
	// A negative number is a flag's value (--limit -5, which the command
	// then checks) or a mistyped ID (star -1), never a flag.
	for i, arg := range args {
		if len(arg) > 1 && arg[0] == '-' && strings.Trim(arg[1:], "0123456789") == "" && (i == 0 || !takesValue(fs, args[i-1])) {
			return nil, usageError{fmt.Sprintf("%q is not a valid ID: IDs are positive numbers", arg)}
		}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				a.commandUsage(a.stdout, fs, name)
				return nil, flag.ErrHelp
			}
			a.commandUsage(a.stderr, fs, name)
			return nil, usageError{flagError(fs, err)}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// badValue is how package flag words a value it cannot parse.
var badValue = regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:flag )?-([^:]+): `)

// flagError words a flag's error for a user: which flag, what it wants.
func flagError(fs *flag.FlagSet, err error) string {
	m := badValue.FindStringSubmatch(err.Error())
	if m == nil {
		return err.Error()
	}
	f := fs.Lookup(m[2])
	if f == nil {
		return err.Error()
	}
	var want string
	switch fmt.Sprintf("%T", f.Value) {
	case "*flag.intValue", "*flag.int64Value", "*flag.uintValue":
		want = "a whole number"
	case "*flag.durationValue":
		want = "a duration like 20s, 5m or 1h"
	case "*flag.boolValue":
		want = "true or false"
	}
	if want == "" { // a flag of ours, whose own error says what it wants
		return fmt.Sprintf("--%s: %s", m[2], strings.TrimPrefix(err.Error(), m[0]))
	}
	return fmt.Sprintf("--%s needs %s, not %s", m[2], want, m[1])
}

// takesValue reports whether arg is a flag of fs that takes the next
// argument as its value.
func takesValue(fs *flag.FlagSet, arg string) bool {
	name, ok := strings.CutPrefix(arg, "-")
	if !ok || strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimPrefix(name, "-"))
	if f == nil {
		return false
	}
	b, isBool := f.Value.(interface{ IsBoolFlag() bool })
	return !isBool || !b.IsBoolFlag()
}

func (a *app) commandUsage(w io.Writer, fs *flag.FlagSet, name string) {
	c := findCommand(strings.Fields(name)[0])
	if c != nil {
		fmt.Fprintf(w, "Usage: aiwatch %s %s\n\n%s.\n", c.name, c.args, capitalize(c.summary))
	} else {
		fmt.Fprintf(w, "Usage: aiwatch %s\n", name)
	}
	var lines []string
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		l := "  --" + f.Name
		if arg != "" {
			l += " " + arg
		}
		lines = append(lines, fmt.Sprintf("%-28s %s", l, usage))
	})
	sort.Strings(lines)
	if len(lines) > 0 {
		fmt.Fprintf(w, "\nFlags:\n%s\n", strings.Join(lines, "\n"))
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// store opens (creating and seeding if needed) the store: a SQLite file,
// or a team store on PostgreSQL when its location is a postgres:// address.
func (a *app) store() (store.Backend, error) {
	if a.db != nil {
		return a.db, nil
	}
	loc, err := storeLocation(a.dbFlag, a.getenv, a.cfg.Store.DSN)
	if err != nil {
		return nil, err
	}
	db, err := a.openStore(loc)
	if err != nil {
		return nil, err
	}
	if err := db.SeedReference(a.ctx, func(aliases []store.Alias) store.TagFunc { return tagFunc(match.New(aliases)) }); err != nil {
		db.Close()
		return nil, err
	}
	a.db = db
	if err := a.applyIgnore(); err != nil {
		return nil, err
	}
	return db, nil
}

// openStore opens the store at loc without seeding it.
func (a *app) openStore(loc string) (store.Backend, error) {
	if postgres.IsDSN(loc) {
		a.dsn = loc
		db, err := postgres.Open(a.ctx, loc, postgres.Options{User: userName(a.cfg.User, a.getenv), ReadOnly: a.open.ReadOnly,
			Migrating: func(have, want int) {
				fmt.Fprintf(a.stderr, "aiwatch: updating the team store from schema %d to %d; on a large store this takes minutes\n", have, want)
			}})
		if err != nil {
			return nil, err
		}
		db.Now = a.now
		return db, nil
	}
	db, err := sqlite.Open(loc, a.open)
	if err != nil {
		return nil, err
	}
	db.Now = a.now
	return db, nil
}

// redact hides the password of the PostgreSQL address in use, wherever
// it is in s.
func (a *app) redact(s string) string {
	if a.dsn == "" {
		return s
	}
	if u, err := url.Parse(a.dsn); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			s = strings.ReplaceAll(s, a.dsn, postgres.Redact(a.dsn))
			s = strings.ReplaceAll(s, p, "xxxxx")
			if e := url.QueryEscape(p); e != p {
				s = strings.ReplaceAll(s, e, "xxxxx")
			}
		}
	}
	if u, err := url.Parse(a.dsn); err == nil {
		if p := u.Query().Get("password"); p != "" {
			s = strings.ReplaceAll(s, p, "xxxxx")
		}
	}
	return s
}

// suggestCommand returns the commands close to name.
func suggestCommand(name string) []string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return store.SuggestID(name, 3, names)
}

func cmdVersion(a *app, args []string) error {
	fs := a.flags("version")
	pos, err := a.parse(fs, "version", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"version takes no arguments"}
	}
	fmt.Fprintf(a.stdout, "aiwatch %s\n", version)
	return nil
}

// notFound builds the "no firm "xyz"" error with the close matches that
// store.Suggest ranked.
func notFound(kind, id string, suggestions []string) error {
	msg := fmt.Sprintf("no %s %q", kind, id)
	if s := suggestions; len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(quoteAll(s), " or "))
	}
	return errors.New(msg)
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}
