package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// cslServer serves one CSL file at /consolidated.csv with an ETag and a
// Last-Modified, answering 304 to a request that names its ETag, as
// data.trade.gov does. It counts requests and remembers their validators.
type cslServer struct {
	*httptest.Server
	mu       sync.Mutex
	body     []byte
	etag     string
	modified time.Time
	status   int // when not 0, every request gets it
	requests []string
}

func newCSLServer(t *testing.T) *cslServer {
	s := &cslServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.requests = append(s.requests, r.Header.Get("If-None-Match"))
		switch {
		case s.status != 0:
			w.WriteHeader(s.status)
		case r.Header.Get("If-None-Match") == s.etag:
			w.WriteHeader(http.StatusNotModified)
		default:
			w.Header().Set("ETag", s.etag)
			w.Header().Set("Last-Modified", s.modified.UTC().Format(http.TimeFormat))
			w.Header().Set("Content-Type", "text/csv")
			w.Write(s.body)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *cslServer) URL() string { return s.Server.URL + "/consolidated.csv" }

// serve sets the file the server hands out.
func (s *cslServer) serve(body []byte, etag string, modified time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body, s.etag, s.modified, s.status = body, etag, modified, 0
}

func (s *cslServer) fail(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = status
}

// log returns the If-None-Match of each request so far.
func (s *cslServer) log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// cslCSV renders rows as consolidated.csv, with header as its header.
func cslCSV(t testing.TB, header []string, rows []cslRow) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(header)
	for _, r := range rows {
		w.Write(r.record())
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// statusJSON runs sanctions status --json and returns the CSL's source.
func statusJSON(t testing.TB, db string) sourceJSON {
	t.Helper()
	r := runOK(t, db, "sanctions", "status", "--json")
	var out []sourceJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("status --json: %v\n%s", err, r.stdout)
	}
	for _, s := range out {
		if s.Source == "csl" {
			return s
		}
	}
	t.Fatalf("status --json has no csl source: %s", r.stdout)
	return sourceJSON{}
}

// TestSanctionsUpdateDoneWhen is issue 14's done-when for the download:
// an update applies a new MEU listing for Biren, a second one gets a 304,
// a three-row file is refused and Biren keeps its listing, and status
// shows the last success and the refusal.
func TestSanctionsUpdateDoneWhen(t *testing.T) {
	db := newStore(t)
	srv := newCSLServer(t)
	modified := time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)
	rows := append(listedRows(t, db), birenMEU)
	body := cslCSV(t, cslHeader, rows)
	srv.serve(body, `"csl-v1"`, modified)

	r := runOK(t, db, "sanctions", "update", "--url", srv.URL())
	if got := changeLines(r.stdout); !slices.Equal(got, []string{"added biren meu"}) {
		t.Fatalf("changes %q, want only Biren's MEU listing\n%s", got, r.stdout)
	}
	ds := storedDesignations(t, db, "biren", "meu")
	if len(ds) != 1 || !ds[0].Active() || ds[0].Added != "2026-09-30" || !strings.HasPrefix(ds[0].Provenance, "csl:2026-11-27:") {
		t.Fatalf("biren's MEU designations %+v; want one in force, dated by Last-Modified in its provenance", ds)
	}
	first := statusJSON(t, db)
	if first.LastSuccess != testNow.Format(time.RFC3339) || first.FileDate != "2026-11-27" || first.URL != srv.URL() ||
		first.LastResult != "applied" || first.Counts["meu"] == 0 {
		t.Errorf("status after the update %+v", first)
	}

	// The second update sends the ETag and gets a 304: nothing is read.
	before := designationState(t, db)
	r = runOK(t, db, "sanctions", "update", "--url", srv.URL())
	if !strings.Contains(r.stdout, "unchanged since 2026-11-27") {
		t.Errorf("second update printed %q, want unchanged since 2026-11-27", r.stdout)
	}
	if log := srv.log(); len(log) != 2 || log[0] != "" || log[1] != `"csl-v1"` {
		t.Errorf("If-None-Match of the requests %q; want none, then the ETag", log)
	}
	if s := statusJSON(t, db); s.LastResult != "unchanged" || s.LastSuccess != first.LastSuccess {
		t.Errorf("status after the 304 %+v", s)
	}

	// A file cut to three rows is refused, naming the list and its counts.
	srv.serve(cslCSV(t, cslHeader, rows[:3]), `"csl-v2"`, modified.Add(time.Hour))
	r = runCLI(t, db, "", "sanctions", "update", "--url", srv.URL())
	if r.code != 1 || !strings.Contains(r.stderr, "refusing the import") || !strings.Contains(r.stderr, "now 0") ||
		!strings.Contains(r.stderr, "meu had 1 entries, now 0") || !strings.Contains(r.stderr, "nothing was changed") {
		t.Errorf("truncated update: exit %d, stderr %q", r.code, r.stderr)
	}
	if after := designationState(t, db); after != before {
		t.Errorf("the refused update changed the designations:\nbefore\n%s\nafter\n%s", before, after)
	}
	if ds := storedDesignations(t, db, "biren", "meu"); len(ds) != 1 || !ds[0].Active() {
		t.Errorf("biren's MEU listing after the refusal: %+v", ds)
	}
	s := statusJSON(t, db)
	if s.LastSuccess != first.LastSuccess || s.LastResult != "refused" || s.LastRefusal == "" ||
		!strings.Contains(s.RefusalReason, "meu had 1 entries, now 0") {
		t.Errorf("status after the refusal %+v", s)
	}
	// The refused file's ETag is not kept: the next update downloads it again.
	r = runCLI(t, db, "", "sanctions", "update", "--url", srv.URL())
	if log := srv.log(); r.code != 1 || log[len(log)-1] != `"csl-v1"` {
		t.Errorf("after a refusal the update sent %q (exit %d), want the applied file's ETag", log[len(log)-1], r.code)
	}
	// --force applies it.
	r = runOK(t, db, "sanctions", "update", "--url", srv.URL(), "--force")
	if !strings.Contains(r.stderr, "importing anyway (--force)") || !slices.Contains(changeLines(r.stdout), "removed biren meu") {
		t.Errorf("forced update: stdout %q stderr %q", r.stdout, r.stderr)
	}

	text := runOK(t, db, "sanctions", "status").stdout
	for _, want := range []string{"csl", "address", srv.URL(), "last success", "file date", "2026-11-27", "entries", "last refusal", "auto update   off"} {
		if !strings.Contains(text, want) {
			t.Errorf("status lacks %q:\n%s", want, text)
		}
	}
}

// TestSanctionsUpdateRefusesBadFiles checks that a file with a renamed
// required column, and a failed download, exit 1, change nothing, and are
// recorded for status.
func TestSanctionsUpdateRefusesBadFiles(t *testing.T) {
	db := newStore(t)
	srv := newCSLServer(t)
	renamed := slices.Clone(cslHeader)
	renamed[slices.Index(renamed, "name")] = "entity_name"
	srv.serve(cslCSV(t, renamed, append(listedRows(t, db), birenMEU)), `"x"`, testNow)
	before := designationState(t, db)

	r := runCLI(t, db, "", "sanctions", "update", "--url", srv.URL())
	if r.code != 1 || !strings.Contains(r.stderr, "lacks the required column name ") || !strings.Contains(r.stderr, "nothing was changed") {
		t.Errorf("renamed column: exit %d, stderr %q", r.code, r.stderr)
	}
	if s := statusJSON(t, db); s.LastResult != "refused" || !strings.Contains(s.RefusalReason, "required column name") || s.LastSuccess != "" {
		t.Errorf("status after the renamed column %+v", s)
	}

	srv.fail(http.StatusServiceUnavailable)
	r = runCLI(t, db, "", "sanctions", "update", "--url", srv.URL())
	if r.code != 1 || !strings.Contains(r.stderr, "unable to download the CSL") || !strings.Contains(r.stderr, "503") {
		t.Errorf("failed download: exit %d, stderr %q", r.code, r.stderr)
	}
	if s := statusJSON(t, db); s.LastResult != "failed" || !strings.Contains(s.LastError, "503") {
		t.Errorf("status after the failure %+v", s)
	}
	if after := designationState(t, db); after != before {
		t.Errorf("a refused or failed update changed the designations")
	}

	// --dry-run writes nothing, not even the check.
	db2 := newStore(t)
	srv.serve(cslCSV(t, cslHeader, append(listedRows(t, db2), birenMEU)), `"y"`, testNow)
	r = runOK(t, db2, "sanctions", "update", "--url", srv.URL(), "--dry-run")
	if !slices.Equal(changeLines(r.stdout), []string{"added biren meu"}) || !strings.Contains(r.stdout, "Dry run: nothing was written.") {
		t.Errorf("dry run printed %q", r.stdout)
	}
	if s := statusJSON(t, db2); s.LastCheck != "" || len(storedDesignations(t, db2, "biren", "meu")) != 0 {
		t.Errorf("the dry run wrote: %+v", s)
	}
}

// runAt runs aiwatch in-process at the given time, with cfg as the
// sanctions settings.
func runAt(t testing.TB, db string, now time.Time, cfg sanctionsConfig, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string {
			if k == "AIWATCH_DB" {
				return db
			}
			return ""
		},
		now:        func() time.Time { return now },
		isTerminal: func(io.Writer) bool { return false },
		sanctions:  cfg,
	}
	code := run(context.Background(), args, e)
	return result{code, out.String(), errb.String()}
}

// TestFetchUpdatesStaleSanctions checks that fetch downloads the CSL when
// its last success is older than max age, not when it is fresh, and that
// a failed update never fails the fetch.
func TestFetchUpdatesStaleSanctions(t *testing.T) {
	db := ftStore(t) // every feed disabled: nothing leaves the loopback
	srv := newCSLServer(t)
	srv.serve(cslCSV(t, cslHeader, append(listedRows(t, db), birenMEU)), `"v1"`, testNow)
	cfg := sanctionsConfig{MaxAge: 24 * time.Hour, CSLURL: srv.URL()}
	t0 := testNow

	steps := []struct {
		name     string
		at       time.Time
		requests int    // the server's count after the step
		out      string // in fetch's output
	}{
		{"never updated: stale", t0, 1, "sanctions: CSL of 2026-11-28 applied: 1 added, 0 removed, 0 changed"},
		{"an hour later: fresh", t0.Add(time.Hour), 1, ""},
		{"a day later: stale, 304", t0.Add(25 * time.Hour), 2, "sanctions: the CSL is unchanged since 2026-11-28."},
		{"an hour after the 304: fresh", t0.Add(26 * time.Hour), 2, ""},
	}
	for _, st := range steps {
		r := runAt(t, db, st.at, cfg, "fetch")
		if r.code != 0 {
			t.Fatalf("%s: fetch exit %d: %s", st.name, r.code, r.stderr)
		}
		if n := len(srv.log()); n != st.requests {
			t.Errorf("%s: %d requests to the CSL, want %d", st.name, n, st.requests)
		}
		if st.out != "" && !strings.Contains(r.stdout, st.out) {
			t.Errorf("%s: fetch printed %q, want %q", st.name, r.stdout, st.out)
		}
		if st.out == "" && strings.Contains(r.stdout, "sanctions") {
			t.Errorf("%s: fetch printed %q", st.name, r.stdout)
		}
	}
	if ds := storedDesignations(t, db, "biren", "meu"); len(ds) != 1 {
		t.Errorf("biren's MEU listing after the automatic update: %+v", ds)
	}

	// A failure is one warning line, and the fetch succeeds.
	srv.fail(http.StatusInternalServerError)
	r := runAt(t, db, t0.Add(50*time.Hour), cfg, "fetch")
	if r.code != 0 || strings.Count(r.stdout, "warning: sanctions: the CSL was not updated") != 1 || !strings.Contains(r.stdout, "500") {
		t.Errorf("failing update: exit %d, stdout %q", r.code, r.stdout)
	}
	// A failed source is not asked again within the hour.
	n := len(srv.log())
	runAt(t, db, t0.Add(50*time.Hour+30*time.Minute), cfg, "fetch")
	if len(srv.log()) != n {
		t.Errorf("the failed source was asked again within the hour")
	}
	// Max age 0 turns it off.
	runAt(t, db, t0.Add(100*time.Hour), sanctionsConfig{CSLURL: srv.URL()}, "fetch")
	if len(srv.log()) != n {
		t.Errorf("max age 0 still updated")
	}
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{t0.Add(50*time.Hour + 30*time.Minute), "auto update   when older than 24h, from " + srv.URL() + "\n"},
		{t0.Add(52 * time.Hour), "auto update   when older than 24h, from " + srv.URL() + " (due: the next fetch runs it)\n"},
	} {
		if out := runAt(t, db, tt.at, cfg, "sanctions", "status").stdout; !strings.Contains(out, tt.want) {
			t.Errorf("status at %v lacks %q:\n%s", tt.at, tt.want, out)
		}
	}
}

func TestSanctionsDue(t *testing.T) {
	now := testNow
	h := time.Hour
	tests := []struct {
		name   string
		result string
		check  time.Duration // before now; 0: never
		succ   time.Duration
		maxAge time.Duration
		want   bool
	}{
		{"never checked", "", 0, 0, 24 * h, true},
		{"fresh success", "applied", 2 * h, 2 * h, 24 * h, false},
		{"old success", "applied", 25 * h, 25 * h, 24 * h, true},
		{"recent 304", "unchanged", 2 * h, 48 * h, 24 * h, false},
		{"old 304", "unchanged", 25 * h, 48 * h, 24 * h, true},
		{"failed just now", "failed", h / 2, 48 * h, 24 * h, false},
		{"failed an hour ago", "failed", h, 48 * h, 24 * h, true},
		{"refused just now", "refused", h / 2, 48 * h, 24 * h, false},
		{"short max age after a failure", "failed", 2 * time.Second, 48 * h, time.Second, true},
		{"off", "", 0, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sourceAt(now, tt.result, tt.check, tt.succ)
			if got := sanctionsDue(s, now, tt.maxAge); got != tt.want {
				t.Errorf("sanctionsDue = %v, want %v", got, tt.want)
			}
		})
	}
}

// ftmLine is one entity of a FollowTheMoney export.
func ftmLine(t testing.TB, id, schema string, props map[string][]string, target bool) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"id": id, "caption": id, "schema": schema, "properties": props,
		"datasets": []string{"us_dod_chinese_milcorps"}, "referents": []string{},
		"first_seen": "2024-03-07T10:00:00", "last_seen": "2026-11-26T03:00:00", "last_change": "2026-11-25T03:00:00",
		"target": target,
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ftmExport writes an export of the 1260H dataset holding every firm the
// store lists on 1260h now (so that importing them changes nothing), and
// the extra entries, as companies with a sanction each.
func ftmExport(t testing.TB, db string, extra ...[3]string) string {
	t.Helper()
	r := runCLI(t, db, "", "firms", "--json")
	var firms []firmJSON
	if err := json.Unmarshal([]byte(r.stdout), &firms); err != nil {
		t.Fatal(err)
	}
	var lines []string
	add := func(id, name, alias, notes, start string) {
		props := map[string][]string{"name": {name}}
		if alias != "" {
			props["alias"] = []string{alias}
		}
		if notes != "" {
			props["notes"] = []string{notes}
		}
		lines = append(lines, ftmLine(t, id, "Company", props, true))
		sp := map[string][]string{"entity": {id}, "program": {"US-DOD-1260H"}, "sourceUrl": {"https://www.example.org/1260h-list"}}
		if start != "" {
			sp["startDate"] = []string{start}
		}
		lines = append(lines, ftmLine(t, id+"-sanction", "Sanction", sp, false))
	}
	for _, f := range firms {
		for i, d := range f.Designations {
			if d.List != "1260h" || d.Removed != "" || d.Status != string(store.StatusConfirmed) {
				continue
			}
			id := fmt.Sprintf("us-dod-mil-%s-%d", f.ID, i)
			if d.Affiliate {
				add(id, "Northern Star Trading Co., Ltd.", "", "Linked To: "+f.Name, "")
			} else {
				add(id, f.Name, "", "", "")
			}
		}
	}
	if len(lines) < 10 {
		t.Fatalf("only %d 1260H lines from the seeded store", len(lines))
	}
	for i, e := range extra {
		add(fmt.Sprintf("us-dod-mil-extra-%d", i), e[0], e[1], "", e[2])
	}
	path := filepath.Join(t.TempDir(), "entities.ftm.json")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSanctionsImportFtM is issue 14's done-when for OpenSanctions: an
// export that lists DeepSeek (by its Chinese name, an alias in the
// export), an untracked company and a near match of Cambricon shows
// DeepSeek's 1260H listing under --dry-run, lists the near match, and
// applies the listing with OpenSanctions provenance. The export is a
// fixture, not a fact.
func TestSanctionsImportFtM(t *testing.T) {
	db := newStore(t)
	file := ftmExport(t, db,
		[3]string{"Hangzhou DeepSeek Artificial Intelligence Basic Technology Research Co., Ltd.", "深度求索", "2026-11-20"},
		[3]string{"Aerospace Example Drone Co., Ltd.", "", "2025-01-07"},
		[3]string{"Cambricom Corporation", "", "2025-01-07"},
	)
	before := designationState(t, db)
	r := runOK(t, db, "sanctions", "import", file, "--dry-run")
	if got := changeLines(r.stdout); !slices.Equal(got, []string{"added deepseek 1260h"}) {
		t.Errorf("dry run changes %q, want DeepSeek's 1260H listing only\n%s", got, r.stdout)
	}
	for _, want := range []string{"OpenSanctions export (us_dod_chinese_milcorps)", "file date 2026-11-26", "Near matches", "cambricon", "Cambricom Corporation", "Dry run"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, r.stdout)
		}
	}
	if designationState(t, db) != before {
		t.Fatal("the dry run wrote")
	}

	r = runOK(t, db, "sanctions", "import", file)
	ds := storedDesignations(t, db, "deepseek", "1260h")
	if len(ds) != 1 || !ds[0].Active() || ds[0].Provenance != "opensanctions:us_dod_chinese_milcorps:2026-11-26" ||
		ds[0].Added != "2026-11-20" || ds[0].Source != "https://www.example.org/1260h-list" {
		t.Fatalf("deepseek's 1260H designations %+v", ds)
	}
	if len(storedDesignations(t, db, "cambricon", "1260h")) != 0 {
		t.Error("the near match was applied")
	}
	// The CSL's lists are untouched, and its source is not recorded.
	for _, l := range []string{"entity-list", "meu", "sdn", "ns-cmic"} {
		for _, d := range storedDesignations(t, db, "", l) {
			if strings.HasPrefix(d.Provenance, "opensanctions:") {
				t.Errorf("the export touched %+v", d)
			}
		}
	}
	out := runOK(t, db, "sanctions", "status", "--json").stdout
	var srcs []sourceJSON
	json.Unmarshal([]byte(out), &srcs)
	i := slices.IndexFunc(srcs, func(s sourceJSON) bool { return s.Source == "opensanctions:us_dod_chinese_milcorps" })
	if i < 0 || srcs[i].FileDate != "2026-11-26" || srcs[i].Counts["1260h"] < 13 || srcs[i].LastSuccess == "" {
		t.Errorf("status after the export %s", out)
	}
	if srcs[0].Source != "csl" || srcs[0].LastSuccess != "" {
		t.Errorf("the export recorded the CSL: %+v", srcs[0])
	}

	// The firm now reads "none found as of" the export's date for 1260h
	// only; the CSL's lists keep the reference date.
	firm := runOK(t, db, "firm", "cambricon").stdout
	if !strings.Contains(firm, "none found as of 2026-11-26: DoD 1260H") {
		t.Errorf("firm cambricon:\n%s", firm)
	}
}

// sourceAt is a CSL source whose last check (with result) and last success
// were the given durations before now; 0 means never.
func sourceAt(now time.Time, result string, check, success time.Duration) sqlite.SanctionSource {
	s := sqlite.SanctionSource{ID: sqlite.SourceCSL, LastResult: result}
	if check > 0 {
		s.LastCheck = now.Add(-check)
	}
	if success > 0 {
		s.LastSuccess = now.Add(-success)
	}
	return s
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{24 * time.Hour: "24h", 90 * time.Minute: "1h30m", time.Second: "1s", 30 * time.Minute: "30m", 10 * time.Second: "10s", 100 * time.Minute: "1h40m"} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestDashboardRefreshUpdatesStaleSanctions checks that the dashboard's
// refresh (F) also brings a stale CSL up to date.
func TestDashboardRefreshUpdatesStaleSanctions(t *testing.T) {
	db := ftStore(t)
	srv := newCSLServer(t)
	srv.serve(cslCSV(t, cslHeader, append(listedRows(t, db), birenMEU)), `"v1"`, testNow)
	var out, errb bytes.Buffer
	a := &app{ctx: context.Background(), env: env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv:     func(k string) string { return map[string]string{"AIWATCH_DB": db}[k] },
		now:        func() time.Time { return testNow },
		isTerminal: func(io.Writer) bool { return false },
		sanctions:  sanctionsConfig{MaxAge: time.Hour, CSLURL: srv.URL()},
	}}
	if _, err := a.store(); err != nil {
		t.Fatal(err)
	}
	defer a.db.Close()
	var logged bytes.Buffer
	log.SetOutput(&logged)
	defer log.SetOutput(os.Stderr)
	if _, err := (refresher{a}).Refresh(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logged.String(), "sanctions: CSL of 2026-11-28 applied: 1 added") {
		t.Errorf("the log says %q", logged.String())
	}
	if len(srv.log()) != 1 || len(storedDesignations(t, db, "biren", "meu")) != 1 {
		t.Errorf("after F: %d CSL requests, biren's MEU %+v", len(srv.log()), storedDesignations(t, db, "biren", "meu"))
	}
	if out.Len() != 0 {
		t.Errorf("the dashboard's refresh printed %q; its report belongs in the log", out.String())
	}
}

// TestConfigSanctionsDrivesFetch: with sanctions.csl_url and max_age: 1s
// in the config file, aiwatch fetch refreshes the CSL from that address,
// and again once a second has passed.
func TestConfigSanctionsDrivesFetch(t *testing.T) {
	db := ftStore(t)
	srv := newCSLServer(t)
	srv.serve(cslCSV(t, cslHeader, append(listedRows(t, db), birenMEU)), `"v1"`, testNow)
	cfgFile := filepath.Join(t.TempDir(), "config.yml")
	if err := os.WriteFile(cfgFile, []byte("sanctions:\n  max_age: 1s\n  csl_url: "+srv.URL()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fetchAt := func(at time.Time) result {
		var out, errb bytes.Buffer
		e := env{
			stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
			getenv: func(k string) string {
				switch k {
				case "AIWATCH_DB":
					return db
				case "AIWATCH_CONFIG":
					return cfgFile
				}
				return ""
			},
			now:        func() time.Time { return at },
			isTerminal: func(io.Writer) bool { return false },
			// env.sanctions is zero, as in every test: only the file turns
			// the update on.
		}
		code := run(context.Background(), []string{"fetch"}, e)
		return result{code, out.String(), errb.String()}
	}
	r := fetchAt(testNow)
	if r.code != 0 || !strings.Contains(r.stdout, "sanctions: CSL of 2026-11-28 applied: 1 added") {
		t.Fatalf("fetch with the config's CSL address: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if ds := storedDesignations(t, db, "biren", "meu"); len(ds) != 1 {
		t.Errorf("biren's MEU listing after the update: %+v", ds)
	}
	if r := fetchAt(testNow.Add(2 * time.Second)); !strings.Contains(r.stdout, "sanctions: the CSL is unchanged since 2026-11-28.") {
		t.Errorf("two seconds later, max_age 1s: %q", r.stdout)
	}
	if n := len(srv.log()); n != 2 {
		t.Errorf("%d requests to the configured CSL address, want 2", n)
	}
}
