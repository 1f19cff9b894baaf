package reader

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/ui/bidi"
	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

// TestArabicItemAppMode shows the fixture's Arabic item with bidi.App: the
// mentions are still highlighted, now shaped and in visual order, and the
// right-to-left paragraphs are aligned to the right.
func TestArabicItemAppMode(t *testing.T) {
	src := uitest.New()
	th := theme.New(true, false)
	th.Bidi = bidi.App
	m := New(src, keys.DefaultKeyMap(), th, func() time.Time { return uitest.Now })
	const w = 60
	m.SetSize(w, 30)
	m, _ = drive.Loop(m, update, m.LoadDirectory())
	m, cmd := m.Show(ItemSubject(itemByTitle(t, src, "ويضم")))
	m, _ = drive.Loop(m, update, cmd)
	view := m.View()
	for _, name := range []string{"هواوي", "بيرين", "مور ثريدز"} {
		if !strings.Contains(view, th.Mention.Render(bidi.Visual(name))) {
			t.Errorf("mention %q not highlighted as %q", name, bidi.Visual(name))
		}
		if strings.Contains(ansi.Strip(view), name) {
			t.Errorf("mention %q drawn in logical order", name)
		}
	}
	rtl := 0
	for _, l := range strings.Split(ansi.Strip(view), "\n") {
		text := strings.Trim(l, " \u202d\u202c")
		if !bidi.RightToLeft(text) || strings.Contains(text, "·") {
			continue // not a right-to-left line, or the source line
		}
		rtl++
		// The pane is w cells: a one-cell margin, then the text flush right.
		if !strings.HasSuffix(strings.TrimRight(l, "\u202c"), text) || cell.Width(l) != w {
			t.Errorf("right-to-left line not flush right in %d cells: %q", w, l)
		}
	}
	if rtl < 2 {
		t.Errorf("%d right-to-left lines, want the title and the summary's", rtl)
	}
}
