package main

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/feeds/csl"
	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

func cmdSanctions(a *app, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		w := a.stdout
		if len(args) == 0 {
			w = a.stderr
		}
		fmt.Fprint(w, `Usage:
  aiwatch sanctions import FILE|URL [--dry-run] [--force] [--date YYYY-MM-DD]
      Read the US Consolidated Screening List (consolidated.csv or .json),
      show what changed for tracked firms, and apply it (not with --dry-run).
  aiwatch sanctions confirm FIRM "ENTRY NAME" [--affiliate]
      Accept a near match listed by import as naming FIRM.
  aiwatch sanctions set FIRM LIST --added DATE --source URL [--contested] [--affiliate]
                        [--removed DATE] [--citation TEXT] [--note TEXT]
      Record a designation by hand, e.g. for the DoD 1260H list (not in the CSL).
  aiwatch sanctions history [FIRM] [--json]
      Print the log of listings, removals and changes, with provenance.
`)
		if len(args) == 0 {
			return usageError{"sanctions needs a subcommand"}
		}
		return nil
	}
	switch args[0] {
	case "import":
		return sanctionsImport(a, args[1:])
	case "confirm":
		return sanctionsConfirm(a, args[1:])
	case "set":
		return sanctionsSet(a, args[1:])
	case "history":
		return sanctionsHistory(a, args[1:])
	}
	return usageError{fmt.Sprintf("unknown sanctions subcommand %q (import, confirm, set, history)", args[0])}
}

// readCSL reads a CSL file or URL, returning its bytes and a default date:
// the file's modification date, or today for a download.
func readCSL(a *app, src string) ([]byte, string, error) {
	if u, err := url.Parse(src); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		c := fetch.New(fetch.Options{Timeout: 5 * time.Minute, MaxBody: csl.MaxSize, Version: version})
		resp, err := c.Fetch(a.ctx, fetch.Request{URL: src})
		if err != nil {
			return nil, "", fmt.Errorf("unable to download %s: %w", src, err)
		}
		return resp.Body, a.now().UTC().Format("2006-01-02"), nil
	}
	var r io.Reader = a.stdin
	date := a.now().UTC().Format("2006-01-02")
	if src != "-" {
		f, err := os.Open(src)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil {
			date = fi.ModTime().UTC().Format("2006-01-02")
		}
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, csl.MaxSize+1))
	return b, date, err
}

func sanctionsImport(a *app, args []string) error {
	fs := a.flags("sanctions import")
	dry := fs.Bool("dry-run", false, "print the changes and write nothing")
	force := fs.Bool("force", false, "import even if a list's entry count dropped by more than half")
	date := fs.String("date", "", "the file's `date` (YYYY-MM-DD), when the file does not say; default: its modification date")
	pos, err := a.parse(fs, "sanctions import", args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"sanctions import takes one FILE or URL (- for stdin)"}
	}
	if *date != "" {
		if _, err := time.Parse("2006-01-02", *date); err != nil {
			return usageError{fmt.Sprintf("--date %q is not a date like 2026-11-28", *date)}
		}
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	body, defDate, err := readCSL(a, pos[0])
	if err != nil {
		return err
	}
	file, err := csl.Read(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: %w (nothing was changed)", pos[0], err)
	}
	fileDate := *date
	if fileDate == "" {
		fileDate = file.Date
	}
	if fileDate == "" {
		fileDate = defDate
	}
	prev, prevDate, err := db.LastCSLCounts(a.ctx)
	if err != nil {
		return err
	}
	if err := csl.CheckCounts(prev, file.Counts); err != nil {
		if !*force {
			return fmt.Errorf("refusing the import: %w (against the import of %s); nothing was changed. If the list really shrank, run again with --force (with --dry-run to see the changes first)", err, prevDate)
		}
		fmt.Fprintf(a.stderr, "aiwatch: warning: %v; importing anyway (--force)\n", err)
	}
	firms, err := db.Firms(a.ctx, sqlite.FirmQuery{})
	if err != nil {
		return err
	}
	applied, candidates := csl.MatchFirms(file.Entries, firms)
	confirmed, err := db.CSLConfirmations(a.ctx)
	if err != nil {
		return err
	}
	applied, candidates = applyConfirmations(applied, candidates, confirmed)
	current, err := db.Designations(a.ctx, "")
	if err != nil {
		return err
	}
	diff, err := csl.Plan(file, applied, current, fileDate)
	if err != nil {
		return err
	}
	w := a.stdout
	fmt.Fprintf(w, "%s: %d entries (%s), file date %s\n", pos[0], len(file.Entries), countsLine(file.Counts), fileDate)
	printChanges(a, "Added", diff.Added)
	printChanges(a, "Removed", diff.Removed)
	printChanges(a, "Changed", diff.Changed)
	if diff.Empty() {
		fmt.Fprintln(w, "No changes for tracked firms.")
	}
	if len(candidates) > 0 {
		fmt.Fprintf(w, "\nNear matches, not applied (confirm with: aiwatch sanctions confirm FIRM \"ENTRY NAME\" [--affiliate]):\n")
		for _, c := range candidates {
			fmt.Fprintf(w, "  %-16s %-12s %q — %s\n", c.Firm, c.Entry.List, store.CleanLine(c.Entry.Name, 200), store.CleanLine(c.Reason, 200))
		}
	}
	if *dry {
		fmt.Fprintln(w, "\nDry run: nothing was written.")
		return nil
	}
	var changes []store.DesignationChange
	for _, group := range [][]csl.Change{diff.Added, diff.Removed, diff.Changed} {
		for _, c := range group {
			d := c.New
			if c.Kind != csl.KindAdded {
				d.ID = c.Old.ID
			}
			changes = append(changes, store.DesignationChange{Kind: c.Kind, Designation: d, Detail: c.Detail})
		}
	}
	imp := &sqlite.CSLImport{FileDate: fileDate, SHA256: file.SHA256, Counts: file.Counts}
	if err := db.ApplyDesignations(a.ctx, changes, imp, imp.Provenance()); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nApplied %d changes (provenance %s).\n", len(changes), imp.Provenance())
	return nil
}

// applyConfirmations moves the candidates whose entry name the user
// confirmed for that firm into applied.
func applyConfirmations(applied, candidates []csl.Match, confirmed []sqlite.Confirmation) ([]csl.Match, []csl.Match) {
	ok := map[string]sqlite.Confirmation{}
	for _, c := range confirmed {
		ok[c.Name+"\x00"+c.Firm] = c
	}
	var rest []csl.Match
	for _, m := range candidates {
		names := append([]string{m.Entry.Name}, m.Entry.AltNames...)
		done := false
		for _, n := range names {
			if c, found := ok[store.FoldAlias(n, false)+"\x00"+m.Firm]; found {
				m.Affiliate, m.Reason = c.Affiliate, "confirmed by you: "+n
				applied = append(applied, m)
				done = true
				break
			}
		}
		if !done {
			rest = append(rest, m)
		}
	}
	return applied, rest
}

func countsLine(c map[string]int) string {
	var parts []string
	for _, k := range sortedKeys(c) {
		parts = append(parts, fmt.Sprintf("%s %d", k, c[k]))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }

func printChanges(a *app, title string, cs []csl.Change) {
	if len(cs) == 0 {
		return
	}
	fmt.Fprintf(a.stdout, "\n%s (%d):\n", a.style(styleHeader, title), len(cs))
	for _, c := range cs {
		aff := ""
		if c.New.Affiliate || c.Old.Affiliate {
			aff = " (affiliate)"
		}
		fmt.Fprintf(a.stdout, "  %-16s %-12s%s %s\n", c.Firm, c.List, aff, store.CleanLine(c.Detail, 300))
	}
}

func sanctionsConfirm(a *app, args []string) error {
	fs := a.flags("sanctions confirm")
	aff := fs.Bool("affiliate", false, "the entry is a subsidiary or affiliate of the firm")
	pos, err := a.parse(fs, "sanctions confirm", args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError{`sanctions confirm takes FIRM and the entry's name, e.g. aiwatch sanctions confirm huawei "Huawei Device Co., Ltd." --affiliate`}
	}
	f, err := a.firm(pos[0])
	if err != nil {
		return err
	}
	if err := a.db.ConfirmCSLName(a.ctx, pos[1], f.ID, *aff); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Confirmed: CSL entries named %q are listings of %s%s. The next import applies them.\n",
		pos[1], f.ID, map[bool]string{true: " affiliates", false: ""}[*aff])
	return nil
}

func sanctionsSet(a *app, args []string) error {
	fs := a.flags("sanctions set")
	added := fs.String("added", "", "the listing's `date` (YYYY-MM-DD or YYYY-MM)")
	removed := fs.String("removed", "", "the `date` it was lifted, if it was")
	source := fs.String("source", "", "a public `URL` that supports it (required)")
	citation := fs.String("citation", "", "Federal Register or other `citation`")
	note := fs.String("note", "", "a short `note`")
	contested := fs.Bool("contested", false, "the action is disputed or was withdrawn: shown as contested, never as listed")
	affiliate := fs.Bool("affiliate", false, "the listing names a subsidiary or affiliate")
	pos, err := a.parse(fs, "sanctions set", args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError{"sanctions set takes FIRM and LIST, e.g. aiwatch sanctions set cxmt 1260h --added 2025-01-06 --source https://…"}
	}
	if !validDate(*added) {
		return usageError{"--added needs a date like 2025-01-06 or 2025-01"}
	}
	if *removed != "" && !validDate(*removed) {
		return usageError{"--removed needs a date like 2025-01-06"}
	}
	if u, err := url.Parse(*source); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageError{"--source needs the http(s) URL of a public source"}
	}
	f, err := a.firm(pos[0])
	if err != nil {
		return err
	}
	lists, err := a.db.Lists(a.ctx)
	if err != nil {
		return err
	}
	list, err := resolveList(pos[1], lists)
	if err != nil {
		return err
	}
	st := store.StatusConfirmed
	if *contested {
		st = store.StatusContested
	}
	d := store.Designation{Firm: f.ID, List: list, Added: *added, Removed: *removed, Citation: *citation, Source: *source,
		Status: st, Affiliate: *affiliate, Note: *note}
	if err := a.db.ApplyDesignations(a.ctx, []store.DesignationChange{{Kind: "added", Designation: d}}, nil, store.SourceUser); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Recorded %s on %s from %s (%s).\n", f.ID, list, *added, st)
	return nil
}

func validDate(s string) bool {
	for _, layout := range []string{"2006-01-02", "2006-01"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

type eventJSON struct {
	At         string `json:"at"`
	Firm       string `json:"firm"`
	List       string `json:"list"`
	Action     string `json:"action"`
	Detail     string `json:"detail"`
	Provenance string `json:"provenance"`
}

func sanctionsHistory(a *app, args []string) error {
	fs := a.flags("sanctions history")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := a.parse(fs, "sanctions history", args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageError{"sanctions history takes at most one FIRM"}
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	firm := ""
	if len(pos) == 1 {
		f, err := a.firm(pos[0])
		if err != nil {
			return err
		}
		firm = f.ID
	}
	events, err := db.DesignationEvents(a.ctx, firm, zeroTime)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]eventJSON, 0, len(events))
		for _, e := range events {
			out = append(out, eventJSON{At: e.At.Format(time.RFC3339), Firm: e.Firm, List: e.List, Action: e.Action, Detail: e.Detail, Provenance: e.Provenance})
		}
		return writeJSON(a.stdout, out)
	}
	if len(events) == 0 {
		fmt.Fprintln(a.stdout, "No designation history yet.")
		return nil
	}
	t := table{header: []string{"RECORDED", "FIRM", "LIST", "ACTION", "DETAIL", "PROVENANCE"}}
	for _, e := range events {
		t.add(e.At.Local().Format("2006-01-02 15:04"), e.Firm, e.List, e.Action, store.CleanLine(e.Detail, 120), e.Provenance)
	}
	t.write(a, a.stdout)
	return nil
}
