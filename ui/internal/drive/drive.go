// Package drive runs Bubble Tea commands synchronously, for tests and
// benchmarks: a command's messages are fed back into the model until no
// command is left. Commands must not block (no ticks).
package drive

import tea "charm.land/bubbletea/v2"

// Msgs runs cmd, and every command of a batch, and returns the messages
// they produce.
func Msgs(cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			out = append(out, msg)
		}
	}
	return out
}

// Loop runs cmd, feeds its messages to update, runs the commands update
// returns, and so on until none is left. It returns the final model and
// every message fed, in order.
func Loop[M any](m M, update func(M, tea.Msg) (M, tea.Cmd), cmd tea.Cmd) (M, []tea.Msg) {
	var seen []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for _, msg := range Msgs(c) {
			seen = append(seen, msg)
			var next tea.Cmd
			m, next = update(m, msg)
			queue = append(queue, next)
		}
	}
	return m, seen
}
