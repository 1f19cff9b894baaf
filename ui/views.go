package ui

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/ui/filterbar"
)

// viewSavedMsg is the answer to saving a view.
type viewSavedMsg struct {
	name string
	err  error
}

// saveView stores the filter bar's query as a view, in a command.
func (m Model) saveView(msg filterbar.SaveViewMsg) tea.Cmd {
	save := m.cfg.SaveView
	return func() tea.Msg {
		if save == nil {
			return viewSavedMsg{msg.Name, errors.New("views cannot be saved here")}
		}
		return viewSavedMsg{msg.Name, save(context.Background(), msg.Name, msg.Query)}
	}
}

// viewSaved reports the outcome and shows the new view in its group.
func (m *Model) viewSaved(msg viewSavedMsg) tea.Cmd {
	if msg.err != nil {
		m.status = errorStatus(msg.err)
		return nil
	}
	m.status = noteStatus(fmt.Sprintf("saved view %q: it is in the alliances pane (1)", msg.name))
	return m.alliances.Load()
}
