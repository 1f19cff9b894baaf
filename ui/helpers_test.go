package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

// step is Model.Update with the concrete type, for drive.Loop.
func step(m Model, msg tea.Msg) (Model, tea.Cmd) {
	nm, cmd := m.Update(msg)
	return nm.(Model), cmd
}

// testConfig is the configuration the tests run with: the fake store,
// its query parser and its clock.
func testConfig(src *uitest.Source) Config {
	return Config{
		Source:     src,
		ParseQuery: src.ParseQuery,
		StorePath:  "/home/user/.local/share/aiwatch/aiwatch.db",
		Now:        func() time.Time { return uitest.Now },
		OpenURL:    func(string) error { return nil },
	}
}

// start builds the dashboard, runs its start-up commands to the end and
// sizes it, with polling off and the filter bar parsing at once, so that
// everything runs synchronously.
func start(tb testing.TB, cfg Config, w, h int) Model {
	tb.Helper()
	m := New(cfg)
	m.pollEvery = 0
	m.filter.SetDebounce(0)
	m, _ = drive.Loop(m, step, m.Init())
	m, _ = drive.Loop(m, step, func() tea.Msg { return tea.WindowSizeMsg{Width: w, Height: h} })
	return m
}

// keyMsg turns a key name into a key press.
func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// press sends keys one after another, running every command they cause.
func press(m Model, keys ...string) Model {
	for _, k := range keys {
		msg := keyMsg(k)
		m, _ = drive.Loop(m, step, func() tea.Msg { return msg })
	}
	return m
}

// typeText types s into whatever has the keyboard.
func typeText(m Model, s string) Model {
	for _, r := range s {
		msg := tea.KeyPressMsg{Code: r, Text: string(r)}
		m, _ = drive.Loop(m, step, func() tea.Msg { return msg })
	}
	return m
}

// send delivers msg and runs what follows.
func send(m Model, msg tea.Msg) Model {
	m, _ = drive.Loop(m, step, func() tea.Msg { return msg })
	return m
}

// screen is the view without styles.
func screen(m Model) string { return ansi.Strip(m.View().Content) }

// checkScreen fails when the view is not exactly w×h cells.
func checkScreen(tb testing.TB, m Model, w, h int) {
	tb.Helper()
	lines := strings.Split(m.View().Content, "\n")
	if len(lines) != h {
		tb.Errorf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			tb.Errorf("line %d is %d cells wide, want %d: %q", i, got, w, ansi.Strip(l))
		}
	}
}

// checkIsolates fails when a screen line opens a bidi isolate it does not
// close, or starts with one (the renderer drops zero-width marks there).
func checkIsolates(tb testing.TB, m Model) {
	tb.Helper()
	for i, l := range strings.Split(ansi.Strip(m.View().Content), "\n") {
		if strings.Count(l, "\u2068") != strings.Count(l, "\u2069") {
			tb.Errorf("line %d leaves an isolate open: %q", i, l)
		}
		if strings.HasPrefix(l, "\u2068") {
			tb.Errorf("line %d starts with an isolate: %q", i, l)
		}
	}
}

// fakeRefresher adds items as it "fetches" feeds.
type fakeRefresher struct {
	src   *uitest.Source
	feeds int
}

func (r fakeRefresher) Refresh(ctx context.Context, progress func(RefreshProgress)) (RefreshProgress, error) {
	p := RefreshProgress{Total: r.feeds}
	for i := range r.feeds {
		if err := ctx.Err(); err != nil {
			return p, err
		}
		p.Done++
		if i == 1 {
			p.Failed++
		} else {
			r.src.AddItem(1, "en", "Fresh Huawei news", "Huawei said so.", uitest.Now.Add(time.Duration(i+1)*time.Minute))
			p.NewItems++
		}
		progress(p)
	}
	return p, nil
}

func drivenLoop(m Model, cmd tea.Cmd) (Model, []tea.Msg) { return drive.Loop(m, step, cmd) }

func drivenMsgs(cmd tea.Cmd) []tea.Msg { return drive.Msgs(cmd) }
