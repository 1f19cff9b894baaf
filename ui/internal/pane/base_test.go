package pane

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// counter is a pane in Bubble Tea's value form that counts its messages.
type counter struct {
	Base
	n int
}

func (c counter) Update(msg tea.Msg) (counter, tea.Cmd) {
	c.n++
	if c.n == 2 {
		return c, tea.Quit
	}
	return c, nil
}

func TestUpdateKeepsThePaneReturned(t *testing.T) {
	var c counter
	if cmd := Update(&c, nil); cmd != nil || c.n != 1 {
		t.Errorf("after one message: n = %d, cmd %v", c.n, cmd)
	}
	if cmd := Update(&c, nil); cmd == nil || c.n != 2 {
		t.Errorf("after two messages: n = %d; the second command was lost: %v", c.n, cmd == nil)
	}
}

func TestBase(t *testing.T) {
	b := NewBase(keys.DefaultKeyMap(), theme.New(true, false), nil)
	if b.Now == nil || time.Since(b.Now()) > time.Minute {
		t.Error("a nil clock is not time.Now")
	}
	fixed := time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC)
	if got := NewBase(keys.DefaultKeyMap(), theme.New(true, false), func() time.Time { return fixed }).Now(); !got.Equal(fixed) {
		t.Errorf("clock = %v, want the one given", got)
	}
	if b.Sized() {
		t.Error("an unsized pane says it has room")
	}
	b.SetSize(40, 0)
	if b.Sized() {
		t.Error("a pane with no lines says it has room")
	}
	b.SetSize(40, 10)
	if !b.Sized() || b.Width != 40 || b.Height != 10 {
		t.Errorf("size = %d×%d, shown %v", b.Width, b.Height, b.Sized())
	}
	b.Focus()
	if !b.Focused() {
		t.Error("Focus did not focus")
	}
	b.Blur()
	if b.Focused() {
		t.Error("Blur did not blur")
	}
}
