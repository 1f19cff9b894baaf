package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store/sqlite"
	"github.com/aiwatch/aiwatch/ui"
)

// TestBadgesAgree is issue 11's done-when for badges: after a CSL import
// that adds affiliate listings and a list aiwatch does not track, and with
// contested actions beside listings on the same lists, "aiwatch firms" and
// the dashboard's firms pane show the same badges for every firm, and no
// firm shows both X* and X? for one list.
func TestBadgesAgree(t *testing.T) {
	db := newStore(t)
	const entry = "GLOBAL INSPUR TRADING PARTNERS FZE"
	rows := append(listedRows(t, db), birenMEU,
		cslRow{ID: "near-1", List: "sdn", Type: "Entity", Name: entry, StartDate: "2026-10-01", InfoURL: "https://www.example.org/ofac/near-1"},
		cslRow{ID: "dpl-1", List: "dpl", Type: "Entity", Name: "Cambricon Technologies Corporation Limited",
			StartDate: "2026-10-05", InfoURL: "https://www.example.org/dpl/1"})
	file, _ := writeCSV(t, t.TempDir(), "consolidated.csv", rows)
	runOK(t, db, "sanctions", "confirm", "inspur", entry, "--affiliate")
	runOK(t, db, "sanctions", "import", file, "--date", "2026-11-02")
	set := func(firm, list string) {
		runOK(t, db, "sanctions", "set", firm, list, "--added", "2026-02-13", "--contested",
			"--source", "https://www.example.org/"+list)
	}
	set("inspur", "sdn")         // beside the affiliate listing: SDN*, not SDN* SDN?
	set("huawei", "entity-list") // beside a listing of the firm itself: EL
	set("biren", "1260h")        // alone: 1260H?

	cli := cliBadges(t, db)
	pane := paneBadges(t, db)
	if len(cli) < 30 {
		t.Fatalf("only %d firms in aiwatch firms", len(cli))
	}
	for id, want := range cli {
		if got, ok := pane[id]; !ok {
			t.Errorf("%s is not in the firms pane", id)
		} else if !slices.Equal(got, want) {
			t.Errorf("%s: pane shows %q, CLI %q", id, got, want)
		}
		for _, b := range want {
			if code, ok := strings.CutSuffix(b, "*"); ok && slices.Contains(want, code+"?") {
				t.Errorf("%s shows both %s and %s?", id, b, code)
			}
		}
	}
	for id, want := range map[string][]string{
		"inspur":    {"SDN*", "EL", "CMIC", "1260H"},
		"huawei":    {"EL", "CMIC", "1260H", "FCC"},
		"biren":     {"EL", "MEU", "1260H?"},
		"cambricon": {"EL", "DPL"},
	} {
		if got := cli[id]; !slices.Equal(got, want) {
			t.Errorf("%s's badges = %q, want %q", id, got, want)
		}
	}
}

// cliBadges returns each firm's badges in "aiwatch firms": the fields of
// the US LISTS column.
func cliBadges(t *testing.T, db string) map[string][]string {
	t.Helper()
	lines := strings.Split(runOK(t, db, "firms").stdout, "\n")
	col := ansi.StringWidth(lines[0][:strings.Index(lines[0], "US LISTS")])
	out := map[string][]string{}
	for _, line := range lines[1:] {
		if line == "" {
			break
		}
		bs := strings.Fields(ansi.Cut(line, col, 1<<20))
		if slices.Equal(bs, []string{"none", "found"}) {
			bs = nil
		}
		out[strings.Fields(line)[0]] = bs
	}
	return out
}

// paneBadges runs the dashboard on a screen tall enough for every firm
// and returns each firm's badges as its firms pane draws them.
func paneBadges(t *testing.T, path string) map[string][]string {
	t.Helper()
	r := runOK(t, path, "firms", "--json")
	var firms []firmJSON
	if err := json.Unmarshal([]byte(r.stdout), &firms); err != nil {
		t.Fatal(err)
	}
	_, screen := runDashboard(t, path, 240, 60)
	// The firms pane fills after the first frame: wait for every firm.
	deadline := time.Now().Add(10 * time.Second)
	for {
		out := firmsPane(screen.wait(t, "4 Reader"), firms)
		if len(out) == len(firms) {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("the firms pane shows %d of %d firms:\n%s", len(out), len(firms), screen.wait(t))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// firmsPane reads each firm's badges from the firms pane of a screen.
func firmsPane(screen string, firms []firmJSON) map[string][]string {
	out := map[string][]string{}
	for line := range strings.SplitSeq(screen, "\n") {
		cols := strings.Split(line, "│")
		if len(cols) < 2 {
			continue
		}
		row := strings.TrimSpace(cols[1])
		for _, f := range firms {
			rest, ok := strings.CutPrefix(row+" ", f.Short+" ")
			if !ok {
				continue
			}
			bs := strings.Fields(rest)
			if n := len(bs); n > 0 && strings.Trim(bs[n-1], "0123456789") == "" {
				bs = bs[:n-1] // the unread count
			}
			out[f.ID] = bs
		}
	}
	return out
}

// runDashboard runs the dashboard as a program on the store at path, with
// the real adapter, on a w×h screen, until the test ends. The program
// takes messages; the screen holds what it last drew.
func runDashboard(t *testing.T, path string, w, h int) (*tea.Program, *lastScreen) {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return testNow }
	a := &app{env: env{now: func() time.Time { return testNow }, getenv: func(string) string { return "" }}, ctx: t.Context(), db: db}
	cfg, err := dashboardConfig(a, db)
	if err != nil {
		t.Fatal(err)
	}
	cfg.OpenURL = func(string) error { return nil }
	m := ui.New(cfg)
	sm := recordingModel{m: m, screen: &lastScreen{}}
	p := tea.NewProgram(sm, tea.WithInput(&bytes.Buffer{}), tea.WithOutput(io.Discard), tea.WithoutSignals(),
		tea.WithWindowSize(w, h), tea.WithContext(context.WithoutCancel(t.Context())))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	t.Cleanup(func() {
		p.Quit()
		if err := <-done; err != nil {
			t.Errorf("dashboard: %v", err)
		}
		db.Close()
	})
	p.Send(tea.WindowSizeMsg{Width: w, Height: h})
	return p, sm.screen
}
