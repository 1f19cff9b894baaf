package reader

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

// copiesSource is the fake source with other feeds carrying one story.
type copiesSource struct {
	*uitest.Source
	story  int64
	alsoIn []string
}

func (s copiesSource) Item(ctx context.Context, id int64) (store.Item, error) {
	it, err := s.Source.Item(ctx, id)
	if id == s.story {
		it.AlsoIn = s.alsoIn
	}
	return it, err
}

func TestItemCardAlsoIn(t *testing.T) {
	src := uitest.New()
	id := itemByTitle(t, src, "华为、壁仞科技")
	cs := copiesSource{Source: src, story: id, alsoIn: []string{"Reuters China", "IT之家", "Evil\x1b[31m feed"}}
	m := newReader(t, cs, 70, 40)
	m, cmd := m.Show(ItemSubject(id))
	m, _ = drive.Loop(m, update, cmd)
	view := ansi.Strip(m.View())
	if !strings.Contains(view, "also in: Reuters China, IT之家, Evil feed") {
		t.Errorf("no also-in line:\n%s", view)
	}
	if strings.Contains(m.View(), "\x1b[31m feed") {
		t.Error("a feed title's escape sequence reached the screen")
	}
	// An item alone has no such line.
	other := src.ItemIDs()[0]
	if other == id {
		other = src.ItemIDs()[1]
	}
	m, cmd = m.Show(ItemSubject(other))
	m, _ = drive.Loop(m, update, cmd)
	if v := ansi.Strip(m.View()); strings.Contains(v, "also in:") {
		t.Errorf("an item alone says also in:\n%s", v)
	}
}
