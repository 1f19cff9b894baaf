package main

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/feeds/csl"
	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/store"
)

// sanctionsConfig says when and from where aiwatch keeps the CSL current
// on its own (the config file's sanctions: {max_age, csl_url}).
type sanctionsConfig struct {
	// MaxAge is how old the last successful update may get before fetch
	// runs another; 0 turns the automatic update off.
	MaxAge time.Duration
	// CSLURL is the CSL's address; "" means csl.DefaultURL.
	CSLURL string
}

// defaultSanctions is what a user who configured nothing gets.
var defaultSanctions = sanctionsConfig{MaxAge: 24 * time.Hour, CSLURL: csl.DefaultURL}

// cslDownloadTimeout bounds a whole CSL download: 17 MB on a slow line.
const cslDownloadTimeout = 5 * time.Minute

func sanctionsUpdate(a *app, args []string) error {
	fs := a.flags("sanctions update")
	url := fs.String("url", cmp.Or(a.sanctions.CSLURL, csl.DefaultURL), "download the CSL from `URL` (consolidated.csv or .json)")
	dry := fs.Bool("dry-run", false, "print the changes and write nothing")
	force := fs.Bool("force", false, "import even if a list's entry count dropped by more than half")
	pos, err := a.parse(fs, "sanctions update", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"sanctions update takes no arguments; use --url URL for another address"}
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	_, err = updateSanctions(a, db, *url, *dry, *force, a.isTerminal(a.stderr), a.stdout)
	return err
}

// updateSanctions downloads the CSL from url, conditionally on the
// validators of the last applied download from the same address, and
// imports it as sanctions import does, reporting to w. A 304 records only
// the check. A failed download or a refused file is recorded (not under
// dry) and returned as an error. It returns the import, nil when nothing
// was read.
func updateSanctions(a *app, db store.Backend, url string, dry, force, progress bool, w io.Writer) (*csl.Import, error) {
	src, err := db.SanctionSource(a.ctx, store.SourceCSL)
	if err != nil {
		return nil, err
	}
	record := func(result, reason string) error {
		if dry {
			return nil
		}
		return db.RecordSanctionCheck(a.ctx, store.SourceCSL, result, reason)
	}
	req := fetch.Request{URL: url}
	if src.URL == url {
		req.ETag, req.LastModified = src.ETag, src.LastModified
	}
	if progress {
		req.Progress = downloadProgress(a.stderr)
	}
	client := fetch.New(fetch.Options{Timeout: cslDownloadTimeout, MaxBody: csl.DownloadMax, Version: version})
	resp, err := client.Fetch(a.ctx, req)
	if progress {
		fmt.Fprint(a.stderr, "\r\x1b[K")
	}
	if err != nil {
		err = fmt.Errorf("unable to download the CSL from %s: %w", url, err)
		if rerr := record(store.ResultFailed, err.Error()); rerr != nil {
			return nil, rerr
		}
		return nil, err
	}
	if resp.NotModified {
		if err := record(store.ResultUnchanged, ""); err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "%s: unchanged since %s (not downloaded again).\n", url, cmp.Or(src.FileDate, httpDate(resp.LastModified), "the last download"))
		return nil, nil
	}
	file, err := csl.ReadBytes(resp.Body)
	if err != nil {
		err = fmt.Errorf("%s: %w (nothing was changed)", url, err)
		if rerr := record(store.ResultRefused, err.Error()); rerr != nil {
			return nil, rerr
		}
		return nil, err
	}
	// The CSV does not carry its date: the server's Last-Modified says it
	// best, else the day of the download.
	date := cmp.Or(file.Date, httpDate(resp.LastModified), a.now().UTC().Format("2006-01-02"))
	return importSanctions(a, db, sanctionsFile{file: file, date: date, from: url, etag: resp.ETag, lastModified: resp.LastModified}, dry, force, w)
}

// httpDate returns the YYYY-MM-DD of an HTTP date, or "".
func httpDate(v string) string {
	t, err := http.ParseTime(v)
	if err != nil {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// downloadProgress returns a Progress function that shows the download
// on w, a terminal, at most once per half megabyte.
func downloadProgress(w io.Writer) func(read, total int64) {
	var shown int64 = -1
	return func(read, total int64) {
		if read/(512<<10) == shown {
			return
		}
		shown = read / (512 << 10)
		if total > 0 {
			fmt.Fprintf(w, "\r\x1b[Kdownloading the CSL: %.1f of %.1f MB", float64(read)/1e6, float64(total)/1e6)
		} else {
			fmt.Fprintf(w, "\r\x1b[Kdownloading the CSL: %.1f MB", float64(read)/1e6)
		}
	}
}

// sanctionsDue reports whether the CSL needs an automatic update at now:
// its last success (or the last check that found it unchanged) is older
// than maxAge, and, if the last check failed or was refused, that check
// is older than maxAge or an hour, whichever is less, so that a broken
// source is not asked on every fetch.
func sanctionsDue(s store.SanctionSource, now time.Time, maxAge time.Duration) bool {
	if maxAge <= 0 {
		return false
	}
	fresh := s.LastSuccess
	if s.LastResult == store.ResultUnchanged && s.LastCheck.After(fresh) {
		fresh = s.LastCheck
	}
	if now.Sub(fresh) < maxAge {
		return false
	}
	if s.LastResult == store.ResultFailed || s.LastResult == store.ResultRefused {
		return now.Sub(s.LastCheck) >= min(maxAge, time.Hour)
	}
	return true
}

// updateSanctionsIfStale brings the CSL up to date from url (""
// means csl.DefaultURL) when it is due (see sanctionsDue; maxAge 0 turns
// it off). aiwatch fetch and the dashboard's refresh call it. It writes
// one line to w when it ran, and never fails: a failed or refused update
// is a one-line warning, for a fetch must not fail because of it. It
// reports whether it ran.
func (a *app) updateSanctionsIfStale(maxAge time.Duration, url string, w io.Writer) bool {
	db, err := a.store()
	if err != nil {
		fmt.Fprintf(w, "warning: sanctions: %s\n", oneLine(userMessage(err)))
		return false
	}
	src, err := db.SanctionSource(a.ctx, store.SourceCSL)
	if err != nil {
		fmt.Fprintf(w, "warning: sanctions: %s\n", oneLine(userMessage(err)))
		return false
	}
	if !sanctionsDue(src, a.now(), maxAge) {
		return false
	}
	url = cmp.Or(url, csl.DefaultURL)
	var report bytes.Buffer
	im, err := updateSanctions(a, db, url, false, false, false, &report)
	switch {
	case err != nil:
		fmt.Fprintf(w, "warning: sanctions: the CSL was not updated: %s\n", oneLine(userMessage(err)))
	case im == nil:
		fmt.Fprintf(w, "sanctions: the CSL is unchanged since %s.\n", cmp.Or(src.FileDate, "the last download"))
	default:
		d := im.Diff
		fmt.Fprintf(w, "sanctions: CSL of %s applied: %d added, %d removed, %d changed for tracked firms (aiwatch sanctions history).\n",
			im.FileDate, len(d.Added), len(d.Removed), len(d.Changed))
	}
	return true
}

// sourceJSON is one source in sanctions status --json. Times are RFC 3339,
// "" when never.
type sourceJSON struct {
	Source        string         `json:"source"`
	URL           string         `json:"url"`
	LastCheck     string         `json:"last_check"`
	LastResult    string         `json:"last_result"`
	LastError     string         `json:"last_error"`
	LastSuccess   string         `json:"last_success"`
	FileDate      string         `json:"file_date"`
	Counts        map[string]int `json:"counts"`
	LastRefusal   string         `json:"last_refusal"`
	RefusalReason string         `json:"refusal_reason"`
}

func sanctionsStatus(a *app, args []string) error {
	fs := a.flags("sanctions status")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := a.parse(fs, "sanctions status", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"sanctions status takes no arguments"}
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	sources, err := db.SanctionSources(a.ctx)
	if err != nil {
		return err
	}
	if !hasSource(sources, store.SourceCSL) {
		sources = append([]store.SanctionSource{{ID: store.SourceCSL, Counts: map[string]int{}}}, sources...)
	}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	if *asJSON {
		out := make([]sourceJSON, 0, len(sources))
		for _, s := range sources {
			out = append(out, sourceJSON{Source: s.ID, URL: s.URL, LastCheck: stamp(s.LastCheck), LastResult: s.LastResult,
				LastError: s.LastError, LastSuccess: stamp(s.LastSuccess), FileDate: s.FileDate, Counts: s.Counts,
				LastRefusal: stamp(s.LastRefusal), RefusalReason: s.RefusalReason})
		}
		return writeJSON(a.stdout, out)
	}
	local := func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return t.Local().Format("2006-01-02 15:04")
	}
	w := a.stdout
	for i, s := range sources {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s\n", a.style(styleHeader, s.ID))
		t := table{}
		t.add("  address", store.CleanLine(cmp.Or(s.URL, "(none yet)"), 200))
		check := local(s.LastCheck)
		if s.LastResult != "" {
			check += " (" + s.LastResult + ")"
		}
		t.add("  last check", check)
		if s.LastError != "" {
			t.add("  error", store.CleanLine(s.LastError, 300))
		}
		t.add("  last success", local(s.LastSuccess))
		t.add("  file date", orDash(s.FileDate))
		if len(s.Counts) > 0 {
			t.add("  entries", countsLine(s.Counts))
		}
		if !s.LastRefusal.IsZero() {
			t.add("  last refusal", local(s.LastRefusal)+": "+store.CleanLine(s.RefusalReason, 300))
		}
		if s.ID == store.SourceCSL {
			auto := "off"
			if a.sanctions.MaxAge > 0 {
				auto = "when older than " + shortDuration(a.sanctions.MaxAge) + ", from " + cmp.Or(a.sanctions.CSLURL, csl.DefaultURL)
				if sanctionsDue(s, a.now(), a.sanctions.MaxAge) {
					auto += " (due: the next fetch runs it)"
				}
			}
			t.add("  auto update", auto)
		}
		t.write(a, w)
	}
	return nil
}

func hasSource(sources []store.SanctionSource, id string) bool {
	for _, s := range sources {
		if s.ID == id {
			return true
		}
	}
	return false
}

// shortDuration writes 24h rather than 24h0m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	for _, zero := range []string{"0s", "0m"} {
		if len(s) > len(zero) && strings.HasSuffix(s, zero) && (s[len(s)-len(zero)-1] < '0' || s[len(s)-len(zero)-1] > '9') {
			s = strings.TrimSuffix(s, zero)
		}
	}
	return s
}
