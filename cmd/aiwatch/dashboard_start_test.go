package main

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/ui"
)

// TestStartupDrawsNothingThenHandsOver: until the dashboard is built the
// program's model draws nothing and keeps every message; the dashboard
// then takes them in order (the window's size, keys pressed early) and is
// the program's model from then on.
func TestStartupDrawsNothingThenHandsOver(t *testing.T) {
	s, _ := openDashboard(t, newStore(t), 120, 40)
	defer s.close()
	ready := make(chan startResult, 1)
	start := &startup{ready: ready}
	wait := start.Init()
	var m tea.Model = start
	for _, msg := range []tea.Msg{
		tea.WindowSizeMsg{Width: 100, Height: 30},
		tea.KeyPressMsg{Code: '/', Text: "/"}, // open the filter bar
		tea.KeyPressMsg{Code: 'h', Text: "h"},
		tea.KeyPressMsg{Code: 'u', Text: "u"},
	} {
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		if m != start || cmd != nil {
			t.Fatalf("before the dashboard is ready %T answered %T with %v", msg, m, cmd)
		}
		if v := start.View(); v.Content != "" || v.AltScreen {
			t.Fatalf("the start-up model draws %q (alternate screen %v)", v.Content, v.AltScreen)
		}
	}

	ready <- startResult{m: ui.New(s.cfg)}
	m, _ = m.Update(wait())
	d, ok := m.(ui.Model)
	if !ok {
		t.Fatalf("after the hand-over the model is %T, want ui.Model", m)
	}
	lines := strings.Split(ansi.Strip(d.View().Content), "\n")
	if len(lines) != 30 || ansi.StringWidth(lines[0]) != 100 {
		t.Fatalf("the dashboard did not take the queued window size: %d lines, first %q", len(lines), lines[0])
	}
	if bar := lines[len(lines)-2]; !strings.HasPrefix(strings.TrimSpace(bar), "/ hu") {
		t.Errorf("the keys pressed early were not taken in order: the filter bar reads %q, want \"/ hu\"", bar)
	}
}

// TestStartupQuitsWithTheError: a dashboard that cannot be built ends
// the program, before it drew anything, with the error for main to print.
func TestStartupQuitsWithTheError(t *testing.T) {
	ready := make(chan startResult, 1)
	start := &startup{ready: ready}
	wait := start.Init()
	want := errors.New("dashboard: unable to read the names of firms and alliances: disk on fire")
	ready <- startResult{err: want}
	m, cmd := start.Update(wait())
	if m != start || cmd == nil {
		t.Fatalf("the start-up model answered an error with %T, %v", m, cmd)
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("the start-up model does not quit on an error")
	}
	if !errors.Is(start.err, want) {
		t.Errorf("the error kept is %v, want %v", start.err, want)
	}
}

// TestStartupCtrlCLeavesAtOnce: ctrl+c before the dashboard is ready
// quits without waiting for it (a slow server must not hold the terminal).
func TestStartupCtrlCLeavesAtOnce(t *testing.T) {
	start := &startup{ready: make(chan startResult)}
	m, cmd := start.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	if m != start || cmd == nil || !start.left {
		t.Fatalf("ctrl+c before the dashboard was ready answered %T, %v (left %v)", m, cmd, start.left)
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("ctrl+c before the dashboard was ready does not quit")
	}
	if len(start.queued) != 0 {
		t.Errorf("ctrl+c was kept for the dashboard: %v", start.queued)
	}
}
