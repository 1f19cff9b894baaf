package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/query"
)

// The watch list (aiwatch watch) and its alerts (aiwatch alerts). Fetch
// checks for alerts after saving (checkAlerts) and delivers them
// (delivery.go).

func cmdWatch(a *app, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		w := a.stdout
		if len(args) == 0 {
			w = a.stderr
		}
		fmt.Fprint(w, `Usage:
  aiwatch watch add firm:ID | alliance:ID | QUERY   watch a firm, an alliance, or a query in the filter language
  aiwatch watch list [--json]                        the watch list, with each entry's open alerts
  aiwatch watch rm N...                              remove entries (and their alerts) by number

After each fetch, a new item that an entry matches, or a designation change
of a watched firm (or of a watched alliance's member), is an alert:
aiwatch alerts lists them. Items stored before an entry was added never
alert for it.
`)
		if len(args) == 0 {
			return usageError{"watch needs a subcommand"}
		}
		return nil
	}
	sub, pos, asJSON, err := a.listSubcommand("watch", args)
	if err != nil {
		return err
	}
	switch sub {
	case "add":
		return watchAdd(a, pos)
	case "list", "ls":
		if len(pos) > 0 {
			return usageError{"watch list takes no arguments"}
		}
		return watchList(a, asJSON)
	case "rm", "remove":
		ids, err := argIDs("watch rm", "watch entry", "aiwatch watch list", pos)
		if err != nil {
			return err
		}
		db, err := a.store()
		if err != nil {
			return err
		}
		ws, err := db.Watches(a.ctx)
		if err != nil {
			return err
		}
		byID := map[int64]store.Watch{}
		for _, w := range ws {
			byID[w.ID] = w
		}
		for _, id := range ids { // every number first: a wrong one removes nothing
			if _, ok := byID[id]; !ok {
				return fmt.Errorf("no watch entry %d (aiwatch watch list shows them)", id)
			}
		}
		for _, id := range ids {
			if err := db.RemoveWatch(a.ctx, id); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Removed watch entry %d: %s\n", id, store.CleanLine(byID[id].String(), 200))
		}
		return nil
	}
	return usageError{fmt.Sprintf("unknown watch subcommand %q (add, list, rm)", sub)}
}

// watchAdd adds one entry: firm:ID and alliance:ID alone name a firm or
// an alliance (by ID, name or alias); anything else is a query.
func watchAdd(a *app, pos []string) error {
	q := strings.TrimSpace(strings.Join(pos, " "))
	if q == "" {
		return usageError{`watch add takes firm:ID, alliance:ID or a QUERY, e.g. watch add firm:huawei, or watch add "list:EL chip"`}
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	w := store.Watch{Kind: store.WatchQuery, Value: q}
	// One term, firm:X or alliance:X (X may be quoted), names an entity.
	k, v, ok := strings.Cut(q, ":")
	quoted := len(v) >= 2 && v[0] == '"' && strings.IndexByte(v[1:], '"') == len(v)-2
	if ok && (quoted || !strings.ContainsAny(q, " \t")) {
		switch strings.ToLower(k) {
		case "firm":
			f, err := a.firm(strings.Trim(v, `"`))
			if err != nil {
				return err
			}
			w = store.Watch{Kind: store.WatchFirm, Value: f.ID}
		case "alliance":
			al, err := a.alliance(strings.Trim(v, `"`))
			if err != nil {
				return err
			}
			w = store.Watch{Kind: store.WatchAlliance, Value: al.ID}
		}
	}
	if w.Kind == store.WatchQuery {
		if store.CleanLine(q, 500) != q {
			return errors.New("a watched query is one line of printable text, at most 500 characters")
		}
		if _, err := a.parseQuery(q); err != nil {
			return caretError(q, err)
		}
	}
	w, err = db.AddWatch(a.ctx, w)
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("%s is on the watch list already (aiwatch watch list)", store.CleanLine(w.String(), 200))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Watching %s (entry %d). New items and changes alert from the next fetch on.\n", store.CleanLine(w.String(), 200), w.ID)
	return nil
}

// caretError shows where a query went wrong, as the filter bar does: the
// query, and a caret under the offending part.
func caretError(q string, err error) error {
	var qe *query.Error
	if !errors.As(err, &qe) {
		return fmt.Errorf("query: %w", err)
	}
	pos := min(max(qe.Pos, 0), len(q))
	end := min(max(qe.End, pos), len(q))
	col := ansi.StringWidth(q[:pos])
	span := max(ansi.StringWidth(q[pos:end]), 1)
	return fmt.Errorf("the query does not parse, so nothing was added:\n  %s\n  %s%s %s",
		q, strings.Repeat(" ", col), strings.Repeat("^", span), qe.Msg)
}

type watchJSON struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind"`
	Value   string `json:"value"`
	Watch   string `json:"watch"`
	Created string `json:"created"`
	Alerts  int    `json:"alerts"` // unacknowledged
}

func watchList(a *app, asJSON bool) error {
	db, err := a.store()
	if err != nil {
		return err
	}
	ws, err := db.Watches(a.ctx)
	if err != nil {
		return err
	}
	open, err := db.Alerts(a.ctx, false)
	if err != nil {
		return err
	}
	counts := map[int64]int{}
	for _, al := range open {
		counts[al.WatchID]++
	}
	out := make([]watchJSON, 0, len(ws))
	for _, w := range ws {
		out = append(out, watchJSON{ID: w.ID, Kind: string(w.Kind), Value: w.Value, Watch: w.String(),
			Created: w.Created.UTC().Format(time.RFC3339), Alerts: counts[w.ID]})
	}
	if asJSON {
		return writeJSON(a.stdout, out)
	}
	if len(out) == 0 {
		fmt.Fprintln(a.stdout, `The watch list is empty. Add to it with aiwatch watch add firm:ID, alliance:ID or "QUERY".`)
		return nil
	}
	t := table{header: []string{"N", "KIND", "WATCH", "ALERTS", "ADDED"}}
	for _, w := range out {
		t.add(strconv.FormatInt(w.ID, 10), w.Kind, store.CleanLine(w.Watch, 200), strconv.Itoa(w.Alerts), timeIn(a, w.Created))
	}
	t.write(a, a.stdout)
	return nil
}

// timeIn shows an RFC 3339 time as a local date.
func timeIn(a *app, rfc string) string {
	t, err := time.Parse(time.RFC3339, rfc)
	if err != nil {
		return rfc
	}
	return t.Local().Format(a.dateFormat())
}

// alertJSON is the stable JSON shape of an alert (see README); item_id is
// null for a designation change.
type alertJSON struct {
	ID     int64  `json:"id"`
	At     string `json:"at"`
	Kind   string `json:"kind"`
	Watch  string `json:"watch"`
	Firm   string `json:"firm"`
	ItemID *int64 `json:"item_id"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

func alertsJSON(as []store.Alert) []alertJSON {
	out := make([]alertJSON, 0, len(as))
	for _, al := range as {
		j := alertJSON{ID: al.ID, At: al.At.UTC().Format(time.RFC3339), Kind: al.Kind, Watch: al.Watch,
			Firm: al.Firm, Title: al.Title, Detail: al.Detail}
		if al.Kind == store.AlertItem {
			id := al.ItemID
			j.ItemID = &id
		}
		out = append(out, j)
	}
	return out
}

func cmdAlerts(a *app, args []string) error {
	if len(args) > 0 && args[0] == "ack" {
		return alertsAck(a, args[1:])
	}
	fs := a.flags("alerts")
	asJSON := fs.Bool("json", false, "print JSON")
	all := fs.Bool("all", false, "list the acknowledged alerts too")
	pos, err := a.parse(fs, "alerts", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("unknown alerts subcommand %q (ack); aiwatch alerts alone lists them", pos[0])}
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	if err := a.checkTeamAlerts(); err != nil {
		return err
	}
	as, err := db.Alerts(a.ctx, *all)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(a.stdout, alertsJSON(as))
	}
	if len(as) == 0 {
		ws, _ := db.Watches(a.ctx)
		if len(ws) == 0 {
			fmt.Fprintln(a.stdout, `No alerts: the watch list is empty (aiwatch watch add firm:ID, alliance:ID or "QUERY").`)
		} else {
			fmt.Fprintln(a.stdout, "No alerts.")
		}
		return nil
	}
	t := table{header: []string{"ID", "DATE", "KIND", "WATCH", "FIRM", "ITEM", "TITLE"}}
	for _, al := range as {
		item := ""
		if al.ItemID != 0 {
			item = strconv.FormatInt(al.ItemID, 10)
		}
		title := store.CleanLine(al.Title, 300)
		if al.Acked {
			title = "✓ " + title
		}
		t.add(strconv.FormatInt(al.ID, 10), al.At.Local().Format(a.dateFormat()), al.Kind,
			truncateCells(store.CleanLine(al.Watch, 200), 30), al.Firm, item, truncateCells(title, 80))
	}
	t.write(a, a.stdout)
	fmt.Fprintf(a.stdout, "\n%s. aiwatch alerts ack ID... (or --all) acknowledges them.\n", plural(len(as), "alert", "alerts"))
	return nil
}

func alertsAck(a *app, args []string) error {
	fs := a.flags("alerts ack")
	all := fs.Bool("all", false, "acknowledge every alert")
	pos, err := a.parse(fs, "alerts ack", args)
	if err != nil {
		return err
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	if *all {
		if len(pos) > 0 {
			return usageError{"alerts ack takes IDs or --all, not both"}
		}
		n, err := db.AckAllAlerts(a.ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "Acknowledged %d alerts.\n", n)
		return nil
	}
	ids, err := argIDs("alerts ack", "alert", "aiwatch alerts", pos)
	if err != nil {
		return err
	}
	n, err := db.AckAlerts(a.ctx, ids)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s; nothing was acknowledged (aiwatch alerts --all lists them)", strings.TrimPrefix(userMessage(err), "sqlite: "))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Acknowledged %d alerts.\n", n)
	return nil
}

// watchMatches builds what the alert check needs of each entry. An entry
// whose firm, alliance or query no longer resolves is skipped with a
// note, and checked again once it does.
func (a *app) watchMatches(note func(string)) ([]store.WatchMatch, error) {
	db, err := a.store()
	if err != nil {
		return nil, err
	}
	ws, err := db.Watches(a.ctx)
	if err != nil || len(ws) == 0 {
		return nil, err
	}
	// Names may have changed since the last round of fetch --watch or F:
	// they are read afresh, into a resolver of this call's own, since the
	// dashboard checks from its goroutines.
	var res *query.MapResolver
	var alliances []store.Alliance
	var out []store.WatchMatch
	for _, w := range ws {
		m := store.WatchMatch{Watch: w}
		switch w.Kind {
		case store.WatchFirm:
			m.Filter.Firms, m.Firms = []string{w.Value}, []string{w.Value}
		case store.WatchAlliance:
			if alliances == nil {
				if alliances, err = db.Alliances(a.ctx); err != nil {
					return nil, err
				}
			}
			found := false
			for _, al := range alliances {
				if al.ID == w.Value {
					found = true
					for _, mem := range al.Members {
						m.Firms = append(m.Firms, mem.Firm)
					}
				}
			}
			if !found {
				note(fmt.Sprintf("watch entry %d: no alliance %q now; it is skipped", w.ID, w.Value))
				continue
			}
			m.Filter.Alliances = []string{w.Value}
		case store.WatchQuery:
			if res == nil {
				if res, err = loadResolver(a.ctx, db); err != nil {
					return nil, err
				}
			}
			f, err := query.Parse(w.Value, res, a.now())
			if err != nil {
				note(fmt.Sprintf("watch entry %d: %s; it is skipped", w.ID, oneLine(err.Error())))
				continue
			}
			m.Filter = f
		}
		out = append(out, m)
	}
	return out, nil
}

// checkTeamAlerts records, on a team store, the alerts of what others
// fetched since this user last looked: the fetcher checks only its own
// user's watch list. A personal store is checked after every fetch.
func (a *app) checkTeamAlerts() error {
	if a.db == nil || a.db.Path() != "" {
		return nil
	}
	_, err := a.checkAlerts(func(string) {})
	return err
}

// checkAlerts records the alerts of what the last fetch saved and returns
// the new ones. Notes go to note.
func (a *app) checkAlerts(note func(string)) ([]store.Alert, error) {
	a.alertMu.Lock()
	defer a.alertMu.Unlock()
	ms, err := a.watchMatches(note)
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	return a.db.CheckAlerts(a.ctx, ms)
}
