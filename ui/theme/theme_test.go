package theme

import (
	"regexp"
	"testing"
)

// colour matches SGR parameters that set a foreground or background colour.
var colour = regexp.MustCompile(`\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7]|10[0-7])[;m]`)

func TestNoColorHasNoColourButStillMarks(t *testing.T) {
	for _, dark := range []bool{true, false} {
		th := New(dark, true)
		for name, out := range map[string]string{
			"selected":  th.Selected.Render("row"),
			"unread":    th.Unread.Render("row"),
			"badge":     th.Badge("EL").Render("EL"),
			"contested": th.BadgeContested.Render("EL?"),
			"mention":   th.Mention.Render("华为"),
			"error":     th.StatusError.Render("boom"),
		} {
			if colour.MatchString(out) {
				t.Errorf("dark=%v %s: colour in %q", dark, name, out)
			}
			if out == "row" || out == "EL" || out == "EL?" || out == "华为" || out == "boom" {
				t.Errorf("dark=%v %s: no style at all without colour", dark, name)
			}
		}
	}
}

func TestLightAndDarkDiffer(t *testing.T) {
	if New(true, false).Selected.Render("x") == New(false, false).Selected.Render("x") {
		t.Error("light and dark cursor rows are drawn alike")
	}
}

func TestUserColors(t *testing.T) {
	def := New(true, false)
	th := NewWithColors(true, false, map[string]string{"accent": "#ff8800", "sanctions": "208"})
	if th.TitleFocused.GetForeground() == def.TitleFocused.GetForeground() {
		t.Error("the accent colour was not replaced")
	}
	r, g, b, _ := th.Heading.GetForeground().RGBA()
	if r>>8 != 0xff || g>>8 != 0x88 || b>>8 != 0 {
		t.Errorf("accent = %v, want #ff8800", th.Heading.GetForeground())
	}
	if th.Sanctions.GetForeground() == def.Sanctions.GetForeground() || th.Error.GetForeground() != def.Error.GetForeground() {
		t.Error("sanctions is not replaced alone")
	}
	if th.UnreadCount.GetForeground() != def.UnreadCount.GetForeground() {
		t.Error("a colour not named changed")
	}
	if plainTh := NewWithColors(true, true, map[string]string{"accent": "#ff8800"}); !plainTh.NoColor {
		t.Error("colours were added to a theme without colour")
	}
}
