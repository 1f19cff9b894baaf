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
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/aiwatch/aiwatch/store/query"
	"github.com/aiwatch/aiwatch/store/reference"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// version is set at build time by the Makefile.
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv, now: time.Now, isTerminal: isTerminal,
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
}

// app is one invocation.
type app struct {
	env
	ctx    context.Context
	dbFlag string
	db     *sqlite.DB
	res    *query.MapResolver // names for the query language, built once
}

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
		{"firms", "[--list ID] [--alliance ID] [--json]", "list tracked firms with their designation badges", cmdFirms},
		{"firm", "ID [--json]", "show one firm: names, aliases, alliances, designations and sources", cmdFirm},
		{"alliances", "[--json]", "list alliances", cmdAlliances},
		{"alliance", "ID [--json]", "show one alliance: members and sources", cmdAlliance},
		{"items", "[--firm ID] [--alliance ID] [--unread] [--starred] [--query Q] [--since 7d|2025-07-01] [--limit N] [--json]", "list news items, newest first", cmdItems},
		{"read", "ID...", "mark items read", cmdMark("read", true)},
		{"unread", "ID...", "mark items unread", cmdMark("read", false)},
		{"star", "ID...", "star items", cmdMark("star", true)},
		{"unstar", "ID...", "unstar items", cmdMark("star", false)},
		{"extract", "FILE|URL [--url BASE] [--json]", "print the main text of a web page: title, byline, date, language, paragraphs, links", cmdExtract},
		{"article", "ID [--json] [--refresh]", "fetch an item's web page and show its main text, kept for reading offline", cmdArticle},
		{"tag", "[--json]", "show which firms and alliances the text on stdin names, and why", cmdTag},
		{"retag", "", "re-derive every item's tags after an alias change", cmdRetag},
		{"alias", "add|rm FIRM ALIAS [--lang xx] [--case-sensitive] [--alliance]", "teach aiwatch a new spelling, or forget one", cmdAlias},
		{"fetch", "[--feed ID]... [--concurrency N] [--timeout DUR]", "bring every enabled feed up to date", cmdFetch},
		{"feeds", "list|add|rm|enable|disable ...", "manage feeds", cmdFeeds},
		{"opml", "import FILE | export", "import or export feeds as OPML 2.0", cmdOPML},
		{"sanctions", "import|confirm|set|history ...", "keep sanction status current from the Consolidated Screening List", cmdSanctions},
		{"check", "", "check the store's integrity and report counts", cmdCheck},
		{"backup", "FILE", "write a consistent copy of the store, even while others write", cmdBackup},
		{"prune", "[--older-than 180d] [--keep-starred]", "delete old items to bound the store's size", cmdPrune},
		{"version", "", "print the version", cmdVersion},
		{"help", "[COMMAND]", "show help", nil},
	}
}

func run(ctx context.Context, args []string, e env) int {
	a := &app{env: e, ctx: ctx}
	global := flag.NewFlagSet("aiwatch", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	global.StringVar(&a.dbFlag, "db", "", "path of the store")
	showVersion := global.Bool("version", false, "print the version")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.usage(a.stdout)
			return 0
		}
		fmt.Fprintf(a.stderr, "aiwatch: %v\n\n", err)
		a.usage(a.stderr)
		return 2
	}
	if *showVersion {
		return a.finish(cmdVersion(a, nil))
	}
	rest := global.Args()
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
		fmt.Fprintf(a.stderr, "aiwatch: unknown command %q\n\n", name)
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
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(a.stderr, "aiwatch: %s\n", ue.msg)
		return 2
	}
	fmt.Fprintf(a.stderr, "aiwatch: %s\n", userMessage(err))
	return 1
}

// userMessage shortens an error chain for people: the store's clear
// errors already say what happened.
func userMessage(err error) string {
	msg := err.Error()
	msg = strings.ReplaceAll(msg, "sqlite: ", "")
	return msg
}

func (a *app) usage(w io.Writer) {
	fmt.Fprintf(w, `aiwatch follows China's AI ecosystem: alliances, member firms and their US
sanction status, and the news that names them.

Usage:
  aiwatch [--db PATH]              open the dashboard
  aiwatch [--db PATH] COMMAND ...  run a command

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

The store is --db PATH, else $AIWATCH_DB, else $XDG_DATA_HOME/aiwatch/aiwatch.db
(~/.local/share/aiwatch/aiwatch.db). It is created and seeded on first use.
`)
}

// flags returns a flag set for a command that prints the command's usage
// on --help and reports bad flags as usage errors.
func (a *app) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("aiwatch "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&a.dbFlag, "db", a.dbFlag, "path of the store")
	return fs
}

// parse parses a command's flags, allowing flags after positional
// arguments (aiwatch firm huawei --json).
func (a *app) parse(fs *flag.FlagSet, name string, args []string) ([]string, error) {
	for _, arg := range args {
		if len(arg) > 1 && arg[0] == '-' && strings.Trim(arg[1:], "0123456789") == "" {
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
			return nil, usageError{err.Error()}
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

// store opens (creating and seeding if needed) the store.
func (a *app) store() (*sqlite.DB, error) {
	if a.db != nil {
		return a.db, nil
	}
	path, err := storePath(a.dbFlag, a.getenv)
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(path)
	if err != nil {
		return nil, err
	}
	db.Now = a.now
	ds, err := reference.Load()
	if err != nil {
		db.Close()
		return nil, err
	}
	seeded, err := db.Seed(a.ctx, ds)
	if err != nil {
		db.Close()
		return nil, err
	}
	a.db = db
	if seeded {
		// The bundled items carry their tags; the matcher adds the
		// offsets of each match, so the reader can highlight them.
		m, err := a.matcher()
		if err != nil {
			return nil, err
		}
		if _, err := db.RetagFeed(a.ctx, reference.SnapshotFeedURL, tagFunc(m)); err != nil {
			return nil, err
		}
	}
	return db, nil
}

func cmdVersion(a *app, args []string) error {
	fs := a.flags("version")
	if _, err := a.parse(fs, "version", args); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "aiwatch %s\n", version)
	return nil
}

// notFound builds the "no firm "xyz"" error with close matches.
func notFound(kind, id string, candidates []string) error {
	msg := fmt.Sprintf("no %s %q", kind, id)
	if s := suggest(id, candidates); len(s) > 0 {
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
