package alliances

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/pane"
)

// viewPrefix starts the row ID of a saved view, which no alliance ID can:
// alliance IDs are slugs.
const viewPrefix = "view:"

// ViewID is the row ID of the view named name.
func ViewID(name string) string { return viewPrefix + name }

// IsView reports whether a row ID names a view.
func IsView(id string) bool { return strings.HasPrefix(id, viewPrefix) }

// ViewSource is what the Views group reads: the saved views, and the
// counts of the items each one lists.
type ViewSource interface {
	Views(ctx context.Context) ([]store.View, error)
	CountItems(ctx context.Context, f store.Filter) (store.Counts, error)
}

// ParseFunc parses a view's query.
type ParseFunc func(q string) (store.Filter, error)

// View is a saved view in the pane: its query parsed, or why not.
type View struct {
	store.View
	Filter store.Filter
	Err    error
}

// WithViews adds the Views group under the alliances: each view of src
// with its unread count. Selecting one announces its row ID (ViewID).
func (m Model) WithViews(src ViewSource, parse ParseFunc) Model {
	m.views, m.parse = src, parse
	return m
}

// SavedView returns the saved view of a row ID.
func (m Model) SavedView(id string) (View, bool) {
	for _, v := range m.viewList {
		if ViewID(v.Name) == id {
			return v, true
		}
	}
	return View{}, false
}

// loadViews reads the views and counts their items into counts.
func loadViews(src ViewSource, parse ParseFunc, counts map[string]store.Counts) ([]View, error) {
	if src == nil {
		return nil, nil
	}
	ctx := context.Background()
	vs, err := src.Views(ctx)
	if err != nil {
		return nil, fmt.Errorf("alliances: unable to load views: %w", err)
	}
	out := make([]View, 0, len(vs))
	for _, v := range vs {
		pv := View{View: v}
		if parse != nil {
			pv.Filter, pv.Err = parse(v.Query)
		}
		if pv.Err == nil && counts != nil {
			c, err := src.CountItems(ctx, countUpTo(pv.Filter))
			if err != nil {
				return out, fmt.Errorf("alliances: unable to count the items of view %q: %w", v.Name, err)
			}
			counts[ViewID(v.Name)] = c
		}
		out = append(out, pv)
	}
	return out, nil
}

// countUpTo lets a view's count stop where the news pane's does: the
// row shows "900+ unread".
func countUpTo(f store.Filter) store.Filter {
	f.CountUpTo = pane.CountUpTo
	return f
}

// viewRows are the rows of the views, after the alliances.
func viewRows(vs []View) []store.Alliance {
	out := make([]store.Alliance, len(vs))
	for i, v := range vs {
		out[i] = store.Alliance{ID: ViewID(v.Name), Name: v.Name}
	}
	return out
}

// countViews returns the command that reads the alliances' counts and
// the views' again.
func countViews(src Source, vsrc ViewSource, views []View) tea.Cmd {
	return func() tea.Msg {
		ctx := context.Background()
		counts, err := src.AllianceCounts(ctx)
		if err != nil {
			return CountsMsg{Err: fmt.Errorf("alliances: unable to count items: %w", err)}
		}
		for _, v := range views {
			if v.Err != nil {
				continue
			}
			c, err := vsrc.CountItems(ctx, countUpTo(v.Filter))
			if err != nil {
				return CountsMsg{Err: fmt.Errorf("alliances: unable to count the items of view %q: %w", v.Name, err)}
			}
			counts[ViewID(v.Name)] = c
		}
		return CountsMsg{Counts: counts}
	}
}
