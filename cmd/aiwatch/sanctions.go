package main

import (
	"cmp"
	"errors"
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
)

func cmdSanctions(a *app, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		w := a.stdout
		if len(args) == 0 {
			w = a.stderr
		}
		fmt.Fprint(w, `Usage:
  aiwatch sanctions update [--url URL] [--dry-run] [--force]
      Download the US Consolidated Screening List from the ITA (only if it
      changed since the last download) and import it as below.
  aiwatch sanctions import FILE|URL [--dry-run] [--force] [--date YYYY-MM-DD]
      Read the US Consolidated Screening List (consolidated.csv or .json) or
      an OpenSanctions FollowTheMoney export (entities.ftm.json of the DoD
      1260H, FCC Covered List or UFLPA datasets), show what changed for
      tracked firms, and apply it (not with --dry-run).
  aiwatch sanctions status [--json]
      Show each source's address, last check, last success, file date,
      entries per list and last refusal.
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
	case "update":
		return sanctionsUpdate(a, args[1:])
	case "status":
		return sanctionsStatus(a, args[1:])
	case "import":
		return sanctionsImport(a, args[1:])
	case "confirm":
		return sanctionsConfirm(a, args[1:])
	case "set":
		return sanctionsSet(a, args[1:])
	case "history":
		return sanctionsHistory(a, args[1:])
	}
	return usageError{fmt.Sprintf("unknown sanctions subcommand %q (update, status, import, confirm, set, history)", args[0])}
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
	file, err := csl.ReadBytes(body)
	if err != nil {
		return fmt.Errorf("%s: %w (nothing was changed)", pos[0], err)
	}
	fileDate := cmp.Or(*date, file.Date, defDate)
	_, err = importSanctions(a, db, sanctionsFile{file: file, date: fileDate, from: pos[0]}, *dry, *force, a.stdout)
	return err
}

// sanctionsFile is a read sanctions file and where it came from.
type sanctionsFile struct {
	file *csl.File
	date string // the file's date, YYYY-MM-DD
	from string // its URL or path, as given
	// etag and lastModified are the download's validators.
	etag, lastModified string
}

// sanctionsState reads what an import of f needs from the store.
func sanctionsState(a *app, db store.Backend, f *csl.File) (csl.State, error) {
	var st csl.State
	var err error
	// Hidden firms too: hiding is for the eyes, and their status stays current.
	if st.Firms, err = db.Firms(a.ctx, store.FirmQuery{Hidden: store.HiddenToo}); err != nil {
		return st, err
	}
	confirmed, err := db.CSLConfirmations(a.ctx)
	if err != nil {
		return st, err
	}
	for _, c := range confirmed {
		st.Confirmed = append(st.Confirmed, csl.Confirmation{Name: c.Name, Firm: c.Firm, Affiliate: c.Affiliate})
	}
	if st.Designations, err = db.Designations(a.ctx, ""); err != nil {
		return st, err
	}
	if f.Origin != csl.OriginOpenSanctions {
		st.LastCounts, st.LastDate, err = db.LastCSLCounts(a.ctx)
		return st, err
	}
	st.LastCounts = map[string]int{}
	for _, src := range f.Sources() {
		s, err := db.SanctionSource(a.ctx, src.ID)
		if err != nil {
			return st, err
		}
		for _, l := range src.Lists {
			if n, ok := s.Counts[l]; ok {
				st.LastCounts[l] = n
			}
		}
		st.LastDate = max(st.LastDate, s.FileDate)
	}
	return st, nil
}

// errRefused marks an import that the drop guard refused.
var errRefused = errors.New("refusing the import")

// importSanctions prints to w what applying a read file would change and,
// unless dry, applies it. A file in which a list lost more than half its
// entries is refused, and the refusal recorded, unless force.
func importSanctions(a *app, db store.Backend, sf sanctionsFile, dry, force bool, w io.Writer) (*csl.Import, error) {
	file := sf.file
	st, err := sanctionsState(a, db, file)
	if err != nil {
		return nil, err
	}
	im, err := csl.Prepare(file, sf.date, st)
	if err != nil {
		return nil, err
	}
	if im.Refusal != nil {
		if !force {
			if !dry {
				for _, src := range file.Sources() {
					if err := db.RecordSanctionCheck(a.ctx, src.ID, store.ResultRefused, im.Refusal.Error()); err != nil {
						return nil, err
					}
				}
			}
			return nil, fmt.Errorf("%w: %w; nothing was changed. If the list really shrank, run again with --force (with --dry-run to see the changes first)", errRefused, im.Refusal)
		}
		fmt.Fprintf(a.stderr, "aiwatch: warning: %v; importing anyway (--force)\n", im.Refusal)
	}
	what := ""
	if file.Origin == csl.OriginOpenSanctions {
		what = " " + file.String() + ","
	}
	fmt.Fprintf(w, "%s:%s %d entries (%s), file date %s\n", sf.from, what, len(file.Entries), countsLine(file.Counts), im.FileDate)
	printChanges(a, w, "Added", im.Diff.Added)
	printChanges(a, w, "Removed", im.Diff.Removed)
	printChanges(a, w, "Changed", im.Diff.Changed)
	if im.Diff.Empty() {
		fmt.Fprintln(w, "No changes for tracked firms.")
	}
	if len(im.Candidates) > 0 {
		fmt.Fprintf(w, "\nNear matches, not applied (confirm with: aiwatch sanctions confirm FIRM \"ENTRY NAME\" [--affiliate]):\n")
		for _, c := range im.Candidates {
			fmt.Fprintf(w, "  %-16s %-12s %q — %s\n", c.Firm, c.Entry.List, store.CleanLine(c.Entry.Name, 200), store.CleanLine(c.Reason, 200))
		}
	}
	if dry {
		fmt.Fprintln(w, "\nDry run: nothing was written.")
		return im, nil
	}
	changes := im.Changes()
	var imports []store.SourceImport
	var provs []string
	for _, src := range file.Sources() {
		imports = append(imports, store.SourceImport{ID: src.ID, URL: sf.from, ETag: sf.etag, LastModified: sf.lastModified,
			FileDate: im.FileDate, SHA256: file.SHA256, Counts: src.Counts, Lists: src.Lists})
		for _, l := range src.Lists {
			if p := file.Provenance(l, im.FileDate); !slices.Contains(provs, p) {
				provs = append(provs, p)
			}
		}
	}
	if err := db.ApplyImport(a.ctx, changes, imports); err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "\nApplied %d changes (provenance %s).\n", len(changes), strings.Join(provs, ", "))
	return im, nil
}

func countsLine(c map[string]int) string {
	var parts []string
	for _, k := range sortedKeys(c) {
		parts = append(parts, fmt.Sprintf("%s %d", k, c[k]))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }

func printChanges(a *app, w io.Writer, title string, cs []csl.Change) {
	if len(cs) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s (%d):\n", a.style(styleHeader, title), len(cs))
	for _, c := range cs {
		aff := ""
		if c.New.Affiliate || c.Old.Affiliate {
			aff = " (affiliate)"
		}
		fmt.Fprintf(w, "  %-16s %-12s%s %s\n", c.Firm, c.List, aff, store.CleanLine(c.Detail, 300))
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
