// Package theme holds every style the dashboard draws with. A Theme is
// built once from the terminal's answer to "is your background dark?" and
// from NO_COLOR; panes receive it and never make styles of their own.
//
// Without colour the dashboard stays usable: the cursor row is reversed,
// unread rows are bold, contested badges are italic with a "?", and the
// markers (● ★ ⚑) carry the meaning colour would.
package theme

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"

	"github.com/aiwatch/aiwatch/ui/bidi"
)

// Markers drawn in rows. They carry meaning without colour.
const (
	MarkUnread    = "●"
	MarkStar      = "★"
	MarkWatched   = "◉" // a firm or alliance on the watch list
	MarkSanctions = "⚑"
	MarkCursor    = "▌"
)

// Theme is the set of styles for one terminal background.
type Theme struct {
	// Dark reports whether the styles are for a dark background.
	Dark bool
	// NoColor reports whether colour is off (NO_COLOR, or a terminal without colour).
	NoColor bool
	// Bidi says who makes right-to-left text readable: with bidi.App the
	// panes shape and reorder it (cell.Draw); otherwise the terminal does.
	// It travels with the styles because every pane that draws feed text
	// holds the theme.
	Bidi bidi.Mode

	Title        lipgloss.Style // pane title, pane not focused
	TitleFocused lipgloss.Style // pane title, pane focused
	Label        lipgloss.Style // column labels and field names
	Separator    lipgloss.Style // the rule between panes

	Selected        lipgloss.Style // the cursor row of the focused pane
	SelectedBlurred lipgloss.Style // the cursor row of another pane
	Unread          lipgloss.Style // an unread row
	Read            lipgloss.Style // a read row
	Dim             lipgloss.Style // secondary text: dates, sources, counts of zero
	UnreadCount     lipgloss.Style // a non-zero unread count
	UnreadMark      lipgloss.Style // the ● before an unread row
	Star            lipgloss.Style
	Sanctions       lipgloss.Style

	Tab       lipgloss.Style // a pane tab in the one-pane layout
	TabActive lipgloss.Style

	Heading   lipgloss.Style // a section heading in the reader
	ItemTitle lipgloss.Style // the title of the item in the reader
	Link      lipgloss.Style
	Mention   lipgloss.Style // a firm or alliance name matched in the text

	Status      lipgloss.Style // the status line
	StatusError lipgloss.Style
	StatusNote  lipgloss.Style
	Prompt      lipgloss.Style // the filter bar prompt
	Error       lipgloss.Style // an inline error
	OK          lipgloss.Style

	BadgeContested lipgloss.Style
	BadgeAffiliate lipgloss.Style

	Help help.Styles

	badges map[string]lipgloss.Style
	badge  lipgloss.Style
}

// New returns the theme for a dark or light background. With noColor the
// theme uses no colour at all, only bold, faint, italic, underline and
// reverse.
func New(dark, noColor bool) Theme { return NewWithColors(dark, noColor, nil) }

// ColorNames are the colours a user may replace (config display.colors).
var ColorNames = []string{"accent", "dim", "error", "unread", "star", "sanctions", "selected"}

// NewWithColors is New with some colours replaced, by name (ColorNames),
// with "#rrggbb", "#rgb" or an ANSI number. Without colour there is
// nothing to replace.
func NewWithColors(dark, noColor bool, colors map[string]string) Theme {
	if noColor {
		return plain(dark)
	}
	ld := lipgloss.LightDark(dark)
	c := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	user := func(name string, def color.Color) color.Color {
		if v, ok := colors[name]; ok && v != "" {
			return lipgloss.Color(v)
		}
		return def
	}

	var (
		fg        = c("#1f1f1f", "#e4e4e4")
		dim       = user("dim", c("#707070", "#8a8a8a"))
		faint     = c("#b8b8b8", "#4a4a4a")
		accent    = user("accent", c("#5a3fd0", "#a98bff"))
		selBg     = user("selected", c("#d9d2ff", "#3b2f7a"))
		selBlur   = c("#ececec", "#2c2c2c")
		unread    = user("unread", c("#0b6bcb", "#5fb3ff"))
		warn      = c("#b7410e", "#ff9e64")
		bad       = user("error", c("#c01c28", "#ff6b6b"))
		sanctions = user("sanctions", c("#c01c28", "#ff6b6b"))
		good      = c("#1a7f37", "#7ee787")
		star      = user("star", c("#b58900", "#f0c674"))
	)
	s := lipgloss.NewStyle
	t := Theme{
		Dark:         dark,
		Title:        s().Foreground(dim).Bold(true),
		TitleFocused: s().Foreground(accent).Bold(true).Underline(true),
		Label:        s().Foreground(dim),
		Separator:    s().Foreground(faint),

		Selected:        s().Background(selBg).Foreground(fg).Bold(true),
		SelectedBlurred: s().Background(selBlur).Foreground(fg),
		Unread:          s().Foreground(fg).Bold(true),
		Read:            s().Foreground(dim),
		Dim:             s().Foreground(dim),
		UnreadCount:     s().Foreground(unread).Bold(true),
		UnreadMark:      s().Foreground(unread),
		Star:            s().Foreground(star),
		Sanctions:       s().Foreground(sanctions).Bold(true),

		Tab:       s().Foreground(dim).Padding(0, 1),
		TabActive: s().Foreground(accent).Bold(true).Underline(true).Padding(0, 1),

		Heading:   s().Foreground(accent).Bold(true),
		ItemTitle: s().Foreground(fg).Bold(true),
		Link:      s().Foreground(unread).Underline(true),
		Mention:   s().Foreground(warn).Bold(true).Underline(true),

		Status:      s().Foreground(dim),
		StatusError: s().Foreground(bad).Bold(true),
		StatusNote:  s().Foreground(good),
		Prompt:      s().Foreground(accent).Bold(true),
		Error:       s().Foreground(bad),
		OK:          s().Foreground(good),

		BadgeContested: s().Foreground(dim).Italic(true).Faint(true),
		BadgeAffiliate: s().Foreground(dim),

		Help:  help.DefaultStyles(dark),
		badge: s().Foreground(warn).Bold(true),
		badges: map[string]lipgloss.Style{
			"EL":    s().Foreground(bad).Bold(true),
			"MEU":   s().Foreground(warn).Bold(true),
			"SDN":   s().Foreground(c("#a0005a", "#ff5fd2")).Bold(true),
			"CMIC":  s().Foreground(star).Bold(true),
			"1260H": s().Foreground(c("#6f2dbd", "#c49bff")).Bold(true),
			"FCC":   s().Foreground(c("#005f87", "#5fd7ff")).Bold(true),
			"UFLPA": s().Foreground(c("#8a5a00", "#d7af5f")).Bold(true),
		},
	}
	return t
}

// plain is the theme without colour.
func plain(dark bool) Theme {
	s := lipgloss.NewStyle
	return Theme{
		Dark:         dark,
		NoColor:      true,
		Title:        s().Bold(true),
		TitleFocused: s().Bold(true).Reverse(true),
		Label:        s().Faint(true),
		Separator:    s(),

		Selected:        s().Reverse(true).Bold(true),
		SelectedBlurred: s().Underline(true),
		Unread:          s().Bold(true),
		Read:            s(),
		Dim:             s().Faint(true),
		UnreadCount:     s().Bold(true),
		UnreadMark:      s().Bold(true),
		Star:            s().Bold(true),
		Sanctions:       s().Bold(true),

		Tab:       s().Padding(0, 1),
		TabActive: s().Reverse(true).Bold(true).Padding(0, 1),

		Heading:   s().Bold(true).Underline(true),
		ItemTitle: s().Bold(true),
		Link:      s().Underline(true),
		Mention:   s().Bold(true).Underline(true),

		Status:      s(),
		StatusError: s().Bold(true).Reverse(true),
		StatusNote:  s().Bold(true),
		Prompt:      s().Bold(true),
		Error:       s().Bold(true),
		OK:          s(),

		BadgeContested: s().Italic(true).Faint(true),
		BadgeAffiliate: s(),

		Help: help.Styles{
			Ellipsis:       s(),
			ShortKey:       s().Bold(true),
			ShortDesc:      s(),
			ShortSeparator: s(),
			FullKey:        s().Bold(true),
			FullDesc:       s(),
			FullSeparator:  s(),
		},
		badge: s().Bold(true),
	}
}

// Badge returns the style of a confirmed, direct listing shown with the
// given badge (EL, MEU, SDN, CMIC, 1260H, FCC, UFLPA or another).
func (t Theme) Badge(badge string) lipgloss.Style {
	if st, ok := t.badges[badge]; ok {
		return st
	}
	return t.badge
}
