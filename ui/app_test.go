package ui

import (
	"bytes"
	"slices"
	"strconv"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/aiwatch/aiwatch/ui/uitest"
)

// waitForCall waits until the fake store has seen a call that matches.
func waitForCall(t *testing.T, src *uitest.Source, what string, match func(uitest.Call) bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if slices.ContainsFunc(src.Calls(), match) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the store never saw %s", what)
}

func itemsFor(firms ...string) func(uitest.Call) bool {
	return func(c uitest.Call) bool {
		return c.Method == "Items" && c.Filter.Limit > 0 && slices.Equal(c.Filter.Firms, firms)
	}
}

func sendKeys(tm *teatest.TestModel, ks ...string) {
	for _, k := range ks {
		tm.Send(keyMsg(k))
	}
}

// TestProgram runs the whole dashboard as a program against the fake
// store: from an alliance to a firm to an item, marking it read, filtering
// through the bar by firm and by alliance, a malformed query, and a resize.
func TestProgram(t *testing.T) {
	src := uitest.New()
	tm := teatest.NewTestModel(t, New(testConfig(src)), teatest.WithInitialTermSize(120, 40))
	t.Cleanup(func() { _ = tm.Quit() })

	waitForCall(t, src, "the first news load", itemsFor())
	sendKeys(tm, "j")
	waitForCall(t, src, "the alliance's firms", func(c uitest.Call) bool { return c.Method == "Firms" && c.Arg == uitest.ModelChip })
	sendKeys(tm, "tab")
	waitForCall(t, src, "StepFun's news", itemsFor("stepfun"))
	sendKeys(tm, "j")
	waitForCall(t, src, "Huawei's news", itemsFor("huawei"))
	sendKeys(tm, "tab")
	waitForCall(t, src, "an item for the reader", func(c uitest.Call) bool { return c.Method == "Item" })
	sendKeys(tm, "enter")
	waitForCall(t, src, "the item marked read", func(c uitest.Call) bool { return c.Method == "SetRead" })

	// Filter by firm through the bar: joined with the selected firm.
	sendKeys(tm, "/")
	tm.Type("firm:biren")
	waitForCall(t, src, "news filtered by the bar", itemsFor("biren", "huawei"))
	sendKeys(tm, "esc", "1", "/")
	tm.Type("alliance:shanghai-gcc-ai")
	waitForCall(t, src, "news filtered by alliance", func(c uitest.Call) bool {
		return c.Method == "Items" && slices.Equal(c.Filter.Alliances, []string{uitest.ShanghaiGCC, uitest.ModelChip})
	})
	sendKeys(tm, "esc", "/")
	tm.Type("firm:")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("empty value")) },
		teatest.WithDuration(5*time.Second))
	sendKeys(tm, "esc")

	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("4 Reader")) },
		teatest.WithDuration(5*time.Second))
	sendKeys(tm, "q")

	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if fm.width != 80 || fm.height != 24 {
		t.Errorf("final size %dx%d", fm.width, fm.height)
	}
	if fm.alliances.Selected() != uitest.ModelChip || fm.firms.SelectedID() != "huawei" {
		t.Errorf("selection lost: alliance %q firm %q", fm.alliances.Selected(), fm.firms.SelectedID())
	}
	var read int64
	for _, c := range src.Calls() {
		if c.Method == "SetRead" {
			read, _ = strconv.ParseInt(c.Arg, 10, 64)
		}
	}
	if r, _, err := src.ItemState(read); err != nil || !r {
		t.Errorf("item %d not read in the store (%v)", read, err)
	}
	if fm.filter.Query() != "" || fm.filter.Visible() {
		t.Errorf("filter left behind: %q", fm.filter.Query())
	}
}

// TestProgramPollsForOtherWriters checks that a write by another process
// shows up through the data version poll without moving the cursor.
func TestProgramPollsForOtherWriters(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a poll")
	}
	src := uitest.New()
	m := New(testConfig(src))
	m.pollEvery = 50 * time.Millisecond
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	waitForCall(t, src, "the first news load", itemsFor())
	sendKeys(tm, "3", "j", "j")
	time.Sleep(100 * time.Millisecond)
	src.ResetCalls()
	src.AddItem(2, "en", "Polled in from another process", "Huawei", uitest.Now.Add(time.Minute))
	waitForCall(t, src, "a reload after the version changed", func(c uitest.Call) bool { return c.Method == "Items" })
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Polled in")) },
		teatest.WithDuration(5*time.Second))
	sendKeys(tm, "q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if c, _ := fm.items.Cursor(); c != 3 {
		t.Errorf("cursor at %d; the new item above should have moved it to 3 with the same item", c)
	}
}

// TestProgramFollowsChangeSignal checks that with a change signal the
// dashboard does not poll while nothing happens, and that a signal after
// another process's write brings the new item.
func TestProgramFollowsChangeSignal(t *testing.T) {
	src := uitest.New()
	changes := make(chan struct{}, 1)
	cfg := testConfig(src)
	cfg.Changes = changes
	m := New(cfg)
	if m.pollEvery != fallbackPoll {
		t.Fatalf("with a change signal the timer runs every %v, want %v", m.pollEvery, fallbackPoll)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	waitForCall(t, src, "the first news load", itemsFor())
	time.Sleep(100 * time.Millisecond)
	src.ResetCalls()
	time.Sleep(300 * time.Millisecond)
	for _, c := range src.Calls() {
		if c.Method == "DataVersion" {
			t.Errorf("the data version was read with no change signal: %+v", c)
		}
	}
	src.AddItem(2, "en", "Signalled in from another process", "Huawei", uitest.Now.Add(time.Minute))
	changes <- struct{}{}
	waitForCall(t, src, "a reload after the signal", func(c uitest.Call) bool { return c.Method == "Items" })
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Signalled in")) },
		teatest.WithDuration(5*time.Second))
	sendKeys(tm, "q")
	tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
}
