package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/ui/keys"
)

// Template is the file `aiwatch config init` writes: every setting at its
// default, with comments. The keys are listed as comments, so that a later
// release's new defaults still reach a file written by this one.
func Template() string {
	d := Default()
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w(`# aiwatch configuration. Every setting is shown at its default; delete what
# you do not change. Check this file with: aiwatch config check
# Editors can validate it with docs/config.schema.json.

# keys: the dashboard's keys, per context. An action maps to a list of keys,
# which replace its defaults; [] unbinds it. Two actions on one key in one
# context is an error. Keys are single characters (n, G, ?), or names
# (enter, esc, tab, space, backspace, up, down, left, right, home, end,
# pgup, pgdown, f1...f12), optionally after ctrl+, alt+ or shift+.
# The global keys act everywhere but in the filter bar, before the focused
# pane's own. The defaults:
keys:
`)
	for _, c := range keys.Contexts() {
		km := d.Keys
		w("  # %s:\n", c)
		for _, a := range keys.Actions(c) {
			ks := km.Keys(c, a)
			q := make([]string, len(ks))
			for i, k := range ks {
				q[i] = yamlKey(k)
			}
			w("  #   %s: [%s]\n", a, strings.Join(q, ", "))
		}
	}
	w(`
# views: named queries in the filter language (see the README), listed in
# the Views group of the alliances pane with their unread counts, and by
# aiwatch items --view NAME. Views saved from the dashboard (ctrl+s in the
# filter bar) live in the store instead.
views: []
#  - name: Huawei unread
#    query: firm:huawei is:unread

# ignore: queries whose items are hidden everywhere (lists, panes, counts);
# nothing is deleted, and aiwatch items --include-ignored shows them.
ignore: []
#  - feed:"Some Feed"
#  - "crypto -firm:huawei"

# feeds: defaults for every feed. aiwatch feeds set ID --interval,
# --max-body, --timeout and --user-agent override them per feed.
feeds:
  # How often a feed is polled. Within %s to %s, the next poll follows
  # the feed's posting rate, its HTTP caching headers and <ttl> or
  # sy:updatePeriod (see the README).
  interval: %s
  # The largest response body, after decompression (KiB, MiB, GiB, or bytes).
  max_body: %s
  # Time allowed per request, body included.
  timeout: %s
  # Feeds fetched at once, and requests in flight to one host.
  concurrency: %d
  per_host: %d
  # Sent to every feed; empty means aiwatch/<version>.
  user_agent: ""

display:
  # auto follows the terminal's background; dark or light forces one.
  theme: %s
  # Colour overrides, by name (%s): #rrggbb, #rgb or an ANSI number.
  colors: {}
  # How dates are shown, as a Go layout of Mon Jan 2 15:04:05 2006.
  date_format: "%s"
  # Right-to-left text (Arabic): app reorders and shapes it for terminals
  # that do not; terminal leaves it to the terminal; auto picks.
  bidi: %s
  # The most frames a second the dashboard draws (1 to %d). It wakes
  # that often even when nothing changes: 60 is smoother and costs about
  # 0.9 %% of a core while idle, %d about 0.3 %%.
  fps: %d

sanctions:
  # A fetch updates the Consolidated Screening List when its last
  # successful update is older than this.
  max_age: %s
  # Where the list is downloaded from; empty means the official address.
  csl_url: ""

# alerts: how the alerts of the watch list (aiwatch watch add) reach you
# after a fetch. A delivery that fails is logged and tried again at the
# next fetch; it never fails the fetch.
alerts:
  # auto shows a desktop notification through notify-send when it is
  # installed; off never does.
  notify: %s
  # A program and its arguments, run without a shell, with the new alerts
  # as JSON on its standard input, e.g. [/usr/local/bin/page-me, --urgent].
  command: []
  # A URL the new alerts are POSTed to as JSON; empty posts nothing.
  webhook: ""

# store: a team store on a PostgreSQL server, shared by everyone who names
# it (see the README's "Team store"). --db and $AIWATCH_DB win over it;
# empty means the SQLite file ~/.local/share/aiwatch/aiwatch.db.
store:
  # e.g. postgres://alice@db.example.org/aiwatch; a password is better kept
  # in ~/.pgpass than here.
  dsn: ""

# user: whose read and starred marks, watch list, alerts and views these
# are in a team store; empty means $AIWATCH_USER, else the login name.
user: ""
`, FormatDuration(MinInterval), FormatDuration(MaxInterval), FormatDuration(d.Feeds.Interval), FormatSize(d.Feeds.MaxBody),
		FormatDuration(d.Feeds.Timeout), d.Feeds.Concurrency, d.Feeds.PerHost,
		d.Display.Theme, strings.Join(colorNames, ", "), d.Display.DateFormat, d.Display.Bidi, MaxFPS, DefaultFPS, d.Display.FPS, FormatDuration(d.Sanctions.MaxAge), d.Alerts.Notify)
	return b.String()
}

// yamlKey quotes a key name that YAML would read as something else.
func yamlKey(k string) string {
	if strings.ContainsAny(k[:1], "?/!&*#|>@`'\"%{}[],:-~0123456789") || k == "y" || k == "n" || k == "Y" || k == "N" {
		return strconv.Quote(k)
	}
	return k
}

// Show writes the effective settings as YAML that Parse reads back.
func Show(c Config) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	if c.Path != "" {
		w("# from %s\n", c.Path)
	} else {
		w("# no config file: the defaults\n")
	}
	w("keys:\n")
	for _, ctx := range keys.Contexts() {
		w("  %s:\n", ctx)
		for _, a := range keys.Actions(ctx) {
			ks := c.Keys.Keys(ctx, a)
			q := make([]string, len(ks))
			for i, k := range ks {
				q[i] = yamlKey(k)
			}
			w("    %s: [%s]\n", a, strings.Join(q, ", "))
		}
	}
	if len(c.Views) == 0 {
		w("views: []\n")
	} else {
		w("views:\n")
		for _, v := range c.Views {
			w("  - name: %s\n    query: %s\n", strconv.Quote(v.Name), strconv.Quote(v.Query))
		}
	}
	if len(c.Ignore) == 0 {
		w("ignore: []\n")
	} else {
		w("ignore:\n")
		for _, r := range c.Ignore {
			w("  - %s\n", strconv.Quote(r.Query))
		}
	}
	f := c.Feeds
	w("feeds:\n  interval: %s\n  max_body: %s\n  timeout: %s\n  concurrency: %d\n  per_host: %d\n  user_agent: %s\n",
		FormatDuration(f.Interval), FormatSize(f.MaxBody), FormatDuration(f.Timeout), f.Concurrency, f.PerHost, strconv.Quote(f.UserAgent))
	d := c.Display
	w("display:\n  theme: %s\n", d.Theme)
	if len(d.Colors) == 0 {
		w("  colors: {}\n")
	} else {
		w("  colors:\n")
		for _, name := range colorNames {
			if v, ok := d.Colors[name]; ok {
				w("    %s: %s\n", name, strconv.Quote(v))
			}
		}
	}
	w("  date_format: %s\n  bidi: %s\n  fps: %d\n", strconv.Quote(d.DateFormat), d.Bidi, d.FPS)
	w("sanctions:\n  max_age: %s\n  csl_url: %s\n", FormatDuration(c.Sanctions.MaxAge), strconv.Quote(c.Sanctions.CSLURL))
	cmd := make([]string, len(c.Alerts.Command))
	for i, a := range c.Alerts.Command {
		cmd[i] = strconv.Quote(a)
	}
	w("alerts:\n  notify: %s\n  command: [%s]\n  webhook: %s\n", c.Alerts.Notify, strings.Join(cmd, ", "), strconv.Quote(c.Alerts.Webhook))
	// The address without its password: config show is pasted into bug
	// reports.
	w("store:\n  dsn: %s\n", strconv.Quote(redactDSN(c.Store.DSN)))
	w("user: %s\n", strconv.Quote(c.User))
	return b.String()
}

// redactDSN is dsn with its password hidden, or "" for "".
func redactDSN(dsn string) string {
	if dsn == "" {
		return ""
	}
	return postgres.Redact(dsn)
}

// KeyPaths lists every key the loader reads, as dotted paths with [] for
// list items: keys.news.down, views[].name, feeds.interval. The schema
// test holds docs/config.schema.json to exactly these.
func KeyPaths() []string {
	var out []string
	add := func(prefix string, ks []string) {
		for _, k := range ks {
			out = append(out, prefix+k)
		}
	}
	add("", topKeys)
	for _, c := range keys.Contexts() {
		out = append(out, "keys."+string(c))
		add("keys."+string(c)+".", keys.Actions(c))
	}
	add("views[].", viewKeys)
	add("feeds.", feedKeys)
	add("display.", displayKeys)
	add("display.colors.", colorNames)
	add("sanctions.", sanctionsKeys)
	add("alerts.", alertsKeys)
	add("store.", storeKeys)
	slices.Sort(out)
	return out
}
