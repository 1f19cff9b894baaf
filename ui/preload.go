package ui

import (
	"reflect"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Preload runs the dashboard's start-up loads before the program starts,
// for at most budget, so that the first frame the terminal shows already
// holds the alliances, firms and news instead of an empty frame followed
// by the data a frame or two later. The loads run at once, as Bubble Tea
// would run them; what they answer within the budget is applied, and so
// are the loads those answers start. A load still running at the end of
// the budget is handed to the program, which receives its answer when it
// comes: nothing is run twice and nothing is lost.
//
// Only the dashboard's own messages are applied here. A message of
// Bubble Tea's own (a batch is taken apart; anything else, such as a
// request to the terminal) is passed to the program unchanged.
func Preload(m Model, budget time.Duration) Model {
	type answer struct {
		id  int
		msg tea.Msg
	}
	answers := make(chan answer, 64)
	running := map[int]chan tea.Msg{}
	var handoff []tea.Cmd
	next := 0
	var start func(cmd tea.Cmd)
	start = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		id := next
		next++
		own := make(chan tea.Msg, 1)
		running[id] = own
		go func() {
			msg := cmd()
			own <- msg
			// The preload may have ended; answers is then read by
			// nobody, and the handed-off command reads own instead.
			select {
			case answers <- answer{id, msg}:
			default:
			}
		}()
	}
	for _, cmd := range m.initCmds {
		start(cmd)
	}
	m.initCmds = nil
	// The change signal waits for another process's write: not a load.
	handoff = append(handoff, waitChange(m.cfg.Changes))
	deadline := time.NewTimer(budget)
	defer deadline.Stop()
	for len(running) > 0 && !m.firstScreen() {
		var a answer
		select {
		case a = <-answers:
		case <-deadline.C:
			goto out
		}
		own, ok := running[a.id]
		if !ok {
			continue
		}
		delete(running, a.id)
		<-own // the copy sent for a handoff that will not happen
		switch msg := a.msg.(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				start(c)
			}
		default:
			if !ours(msg) {
				handoff = append(handoff, func() tea.Msg { return msg })
				continue
			}
			nm, cmd := m.Update(msg)
			m = nm.(Model)
			start(cmd)
		}
	}
out:
	// Answers that came after the deadline wait in their own channel.
	for _, own := range running {
		handoff = append(handoff, func() tea.Msg { return <-own })
	}
	m.initCmds = handoff
	m.preloaded = true
	return m
}

// firstScreen reports whether what the first frame shows has arrived:
// the alliances, the firms and the first window of news.
func (m Model) firstScreen() bool {
	return m.alliances.Loaded() && m.firms.Loaded() && m.items.Loaded()
}

// ours reports whether msg is one of the dashboard's own messages, which
// Update understands without the program.
func ours(msg tea.Msg) bool {
	t := reflect.TypeOf(msg)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return strings.HasPrefix(t.PkgPath(), "github.com/aiwatch/aiwatch/")
}
