// Package filterbar is the `/` filter bar. It takes the shared query
// language (firm:huawei since:7d -is:read 华为), parses it a moment after
// the last keystroke, and emits ChangedMsg with the parsed filter; the root
// joins it (AND) with the pane selection. A malformed query shows an
// inline error pointing at the offending part and leaves the list alone.
package filterbar

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/query"
	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/internal/pane"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// DefaultDebounce is how long the bar waits after a keystroke before it
// parses the query.
const DefaultDebounce = 80 * time.Millisecond

// ParseFunc parses a query into a filter.
type ParseFunc func(q string) (store.Filter, error)

// DebounceMsg fires Debounce after a keystroke; only the latest counts.
type DebounceMsg struct{ Seq int }

// ParsedMsg carries the result of parsing the query typed so far.
type ParsedMsg struct {
	Seq    int
	Query  string
	Filter store.Filter
	Err    error
}

// SaveViewMsg asks the root to save Query as a view named Name (ctrl+s,
// then a name and enter).
type SaveViewMsg struct {
	Name  string
	Query string
}

// ChangedMsg says the query in force changed.
type ChangedMsg struct {
	Query  string
	Filter store.Filter
}

// Model is the filter bar.
type Model struct {
	input    textinput.Model
	parse    ParseFunc
	keys     keys.KeyMap
	theme    *theme.Theme
	debounce time.Duration
	seq      int
	query    string // the query in force
	err      error  // the error of the query typed, if malformed
	errQuery string // the query err is about
	counts   store.Counts
	counted  bool
	width    int
	// naming is set while the bar asks for a view's name; saving holds
	// the query to save.
	naming bool
	saving string
}

// New returns a closed bar. parse may be nil: the words typed are then
// matched as free text.
func New(parse ParseFunc, km keys.KeyMap, th theme.Theme) Model {
	if parse == nil {
		parse = freeText
	}
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "firm:huawei since:7d -is:read 华为"
	m := Model{input: in, parse: parse, keys: km, debounce: DefaultDebounce}
	m.SetTheme(&th)
	return m
}

func freeText(q string) (store.Filter, error) {
	return store.Filter{Text: strings.Fields(q)}, nil
}

// SetDebounce changes the wait after a keystroke; 0 parses at once.
func (m *Model) SetDebounce(d time.Duration) { m.debounce = d }

// SetTheme changes the styles.
func (m *Model) SetTheme(t *theme.Theme) {
	m.theme = t
	s := textinput.DefaultStyles(t.Dark)
	s.Focused.Prompt = t.Prompt
	s.Blurred.Prompt = t.Label
	s.Focused.Placeholder = t.Dim
	s.Blurred.Placeholder = t.Dim
	s.Cursor.Blink = false
	m.input.SetStyles(s)
}

// Open focuses the bar for typing.
func (m *Model) Open() tea.Cmd { return m.input.Focus() }

// Active reports whether the bar has the keyboard.
func (m Model) Active() bool { return m.input.Focused() }

// Visible reports whether the bar is on screen: while typing or while a
// query is in force.
func (m Model) Visible() bool { return m.input.Focused() || m.query != "" || m.input.Value() != "" }

// Height is the number of lines the bar takes: one, and one more under it
// for an error.
func (m Model) Height() int {
	switch {
	case !m.Visible():
		return 0
	case m.err != nil:
		return 2
	}
	return 1
}

// Query returns the query in force.
func (m Model) Query() string { return m.query }

// Err returns the error of the query as typed, if it is malformed.
func (m Model) Err() error { return m.err }

// Value returns the text typed.
func (m Model) Value() string { return m.input.Value() }

// SetCounts sets the number of items the filter matches, for the bar.
func (m *Model) SetCounts(c store.Counts) { m.counts, m.counted = c, true }

// SetWidth sets the bar's width in cells.
func (m *Model) SetWidth(w int) {
	m.width = w
	m.input.SetWidth(max(w-cell.Width(m.input.Prompt)-24, 10))
}

// Clear empties the bar, closes it and, when a query was in force,
// returns the command announcing that there is none.
func (m Model) Clear() (Model, tea.Cmd) {
	if m.naming {
		m = m.endNaming()
	}
	m.input.Reset()
	m.input.Blur()
	m.seq++
	m.err = nil
	if m.query == "" {
		return m, nil
	}
	m.query = ""
	return m, func() tea.Msg { return ChangedMsg{} }
}

// Update handles typing while the bar is active and the bar's own messages.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if !m.input.Focused() {
			return m, nil
		}
		if m.naming {
			return m.updateName(msg)
		}
		switch {
		case key.Matches(msg, m.keys.SaveView):
			q := strings.TrimSpace(m.input.Value())
			if q == "" || m.err != nil {
				return m, nil // nothing, or nothing valid, to save
			}
			m.naming, m.saving = true, q
			m.input.SetValue("")
			m.input.Prompt = "view name: "
			m.input.Placeholder = "a name for " + q
			return m, nil
		case key.Matches(msg, m.keys.Clear):
			return m.Clear()
		case key.Matches(msg, m.keys.Apply):
			m.input.Blur()
			// Apply what is typed now rather than after the debounce.
			m.seq++
			return m, m.parseCmd(m.seq, m.input.Value())
		}
		before := m.input.Value()
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		if m.input.Value() == before {
			return m, cmd
		}
		m.seq++
		if m.debounce <= 0 {
			return m, tea.Batch(cmd, m.parseCmd(m.seq, m.input.Value()))
		}
		seq := m.seq
		return m, tea.Batch(cmd, tea.Tick(m.debounce, func(time.Time) tea.Msg { return DebounceMsg{Seq: seq} }))
	case tea.PasteMsg:
		if !m.input.Focused() {
			return m, nil
		}
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		m.seq++
		return m, tea.Batch(cmd, m.parseCmd(m.seq, m.input.Value()))
	case DebounceMsg:
		if msg.Seq != m.seq {
			return m, nil
		}
		return m, m.parseCmd(m.seq, m.input.Value())
	case ParsedMsg:
		if msg.Seq != m.seq {
			return m, nil
		}
		if msg.Err != nil {
			m.err, m.errQuery = msg.Err, msg.Query
			return m, nil
		}
		m.err = nil
		q := strings.TrimSpace(msg.Query)
		if q == m.query {
			return m, nil
		}
		m.query = q
		m.counted = false
		f := msg.Filter
		return m, func() tea.Msg { return ChangedMsg{Query: q, Filter: f} }
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

// Naming reports whether the bar is asking for a view's name.
func (m Model) Naming() bool { return m.naming }

// updateName handles a key while the bar asks for a view's name: enter
// saves, esc goes back to the query, anything else is typed.
func (m Model) updateName(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Clear):
		m = m.endNaming()
		return m, nil
	case key.Matches(msg, m.keys.Apply):
		name := strings.TrimSpace(m.input.Value())
		if name == "" {
			return m, nil
		}
		q := m.saving
		m = m.endNaming()
		// Saving applies the query too, as enter would.
		m.input.Blur()
		m.seq++
		return m, tea.Batch(m.parseCmd(m.seq, q), func() tea.Msg { return SaveViewMsg{Name: name, Query: q} })
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

// endNaming puts the query being saved back in the bar.
func (m Model) endNaming() Model {
	m.naming = false
	m.input.Prompt = "/ "
	m.input.Placeholder = "firm:huawei since:7d -is:read 华为"
	m.input.SetValue(m.saving)
	m.input.CursorEnd()
	m.saving = ""
	return m
}

// parseCmd parses q in a command; the parser may consult a resolver.
func (m Model) parseCmd(seq int, q string) tea.Cmd {
	parse := m.parse
	return func() tea.Msg {
		if strings.TrimSpace(q) == "" {
			return ParsedMsg{Seq: seq}
		}
		// The query is parsed as typed, so that error offsets point into
		// the text on screen.
		f, err := parse(q)
		return ParsedMsg{Seq: seq, Query: q, Filter: f, Err: err}
	}
}

// View draws the bar: the input and the match count, and under them the
// error with a caret at the offending part of the query.
func (m Model) View() string {
	if !m.Visible() || m.width <= 0 {
		return ""
	}
	t := m.theme
	right := ""
	switch {
	case m.err != nil:
		right = t.Error.Render("✗ invalid query")
	case m.counted:
		right = t.Dim.Render(plural(m.counts, "match", "matches"))
	}
	line := cell.Between(m.input.View(), right, m.width)
	if m.err == nil {
		return line
	}
	return line + "\n" + m.errorLine()
}

// errorLine is the parse error, with a caret under the offending part
// when the parser says where it is.
func (m Model) errorLine() string {
	t := m.theme
	msg := cell.Line(m.err.Error())
	var qe *query.Error
	if !errors.As(m.err, &qe) {
		return t.Error.Render(cell.Fit("  "+msg, m.width))
	}
	msg = cell.Line(qe.Msg)
	pos := min(max(qe.Pos, 0), len(m.errQuery))
	end := min(max(qe.End, pos), len(m.errQuery))
	col := cell.Width(m.input.Prompt) + cell.Width(m.errQuery[:pos])
	span := max(cell.Width(m.errQuery[pos:end]), 1)
	if col+span+2+cell.Width(msg) > m.width {
		return t.Error.Render(cell.Fit("  at "+strconv.Itoa(pos)+": "+msg, m.width))
	}
	return cell.Fit(strings.Repeat(" ", col)+t.Error.Render(strings.Repeat("^", span)+" "+msg), m.width)
}

func plural(c store.Counts, one, many string) string {
	if c.Total == 1 && !c.More {
		return "1 " + one
	}
	return pane.Count(c.Total, c.More) + " " + many
}
