package pane

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// Pane is the contract every pane and view of the dashboard keeps, so that
// the root lays them out, styles them, focuses them and hands them the
// mouse in loops rather than in a switch per pane.
//
// A pane is a value type M, as Bubble Tea's models are: its Update keeps
// the value form, func (M) Update(tea.Msg) (M, tea.Cmd), and returns the
// concrete type. The methods below have pointer receivers, so that *M is
// a Pane and the root can hold &m.alliances, &m.firms … in one array.
// Embedding Base gives a pane SetSize, SetTheme, Focus, Blur, Focused and
// a Click that does nothing; a pane that must do more on one of them (the
// reader lays its text out again on a new theme, a list moves its cursor
// to the row clicked) defines its own, calling Base's where there is more
// to do than Base does.
type Pane interface {
	// SetSize sets the pane's size in cells and returns the command that
	// loads what a larger pane shows, or nil.
	SetSize(w, h int) tea.Cmd
	// SetTheme changes the styles. The theme is shared by every pane and
	// never changed: a new theme is a new value.
	SetTheme(t *theme.Theme)
	// Focus gives the pane the keyboard; Blur takes it away.
	Focus()
	Blur()
	Focused() bool
	// Scroll moves the view by d rows (the cursor too, where there is
	// one), for the mouse wheel.
	Scroll(d int) tea.Cmd
	// Click acts on a left click on row y of the pane, where 0 is the
	// title line.
	Click(y int) tea.Cmd
	// HandleKey handles a key press while the pane has the keyboard. It
	// is the pane's Update, through the pointer; see Update.
	HandleKey(msg tea.KeyPressMsg) tea.Cmd
	// View draws the pane in exactly its size.
	View() string
}

// Base is what every pane holds alike: the keymap, the styles, the clock,
// its size and whether it has the keyboard. Embed it by value.
type Base struct {
	Keys    keys.KeyMap
	Theme   *theme.Theme     // shared, read only: a Theme is too large to copy with every Model
	Now     func() time.Time // for "3h ago" and dates in the local zone
	Width   int
	Height  int
	focused bool
}

// NewBase returns a Base with the keymap km, the styles th and the clock
// now (nil: time.Now), sized 0×0 and without the keyboard.
func NewBase(km keys.KeyMap, th theme.Theme, now func() time.Time) Base {
	if now == nil {
		now = time.Now
	}
	return Base{Keys: km, Theme: &th, Now: now}
}

// SetSize records the size. A pane whose layout depends on its size
// defines its own SetSize and calls this one.
func (b *Base) SetSize(w, h int) tea.Cmd {
	b.Width, b.Height = w, h
	return nil
}

// Sized reports whether the pane has room to draw anything: a pane not
// yet sized, or hidden by the layout, draws "".
func (b Base) Sized() bool { return b.Width > 0 && b.Height > 0 }

// SetTheme changes the styles.
func (b *Base) SetTheme(t *theme.Theme) { b.Theme = t }

// Focus gives the pane the keyboard.
func (b *Base) Focus() { b.focused = true }

// Blur takes the keyboard away.
func (b *Base) Blur() { b.focused = false }

// Focused reports whether the pane has the keyboard.
func (b Base) Focused() bool { return b.focused }

// Click does nothing: a pane whose rows a click picks defines its own.
// The root has given the pane the keyboard already.
func (b *Base) Click(y int) tea.Cmd { return nil }

// Update hands msg to the pane *p in Bubble Tea's value form and keeps the
// pane it returns. A pane's HandleKey is this, in one line:
//
//	func (m *Model) HandleKey(msg tea.KeyPressMsg) tea.Cmd { return pane.Update(m, msg) }
func Update[M interface{ Update(tea.Msg) (M, tea.Cmd) }](p *M, msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	*p, cmd = (*p).Update(msg)
	return cmd
}
