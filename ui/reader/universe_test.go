package reader

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

// userUniverse is the fake store with a firm and an alliance the user
// added, and the alliance's joins and leaves.
type userUniverse struct{ *uitest.Source }

func (u userUniverse) Firms(ctx context.Context, alliance string) ([]store.Firm, error) {
	fs, err := u.Source.Firms(ctx, alliance)
	return append(fs, store.Firm{ID: "unitree", Name: "Unitree", Short: "Unitree", NameZH: "宇树科技", Provenance: store.SourceUser},
		store.Firm{ID: "agibot", Name: "AgiBot", Short: "AgiBot", Provenance: store.SourceUser, Sources: []string{"https://example.org/agibot"}}), err
}

func (u userUniverse) Alliances(ctx context.Context) ([]store.Alliance, error) {
	as, err := u.Source.Alliances(ctx)
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	return append(as, store.Alliance{ID: "robots", Name: "Embodied Robots Alliance", Provenance: store.SourceUser,
		Members: []store.Membership{{Alliance: "robots", Firm: "unitree", Role: "member", Provenance: store.SourceUser}},
		Events: []store.MembershipEvent{
			{At: at, Alliance: "robots", Firm: "unitree", Action: "joined", Date: "2026-08-01", Source: "https://example.org/join", Provenance: store.SourceUser},
			{At: at, Alliance: "robots", Firm: "agibot", Action: "joined", Provenance: store.SourceUser},
			{At: at.Add(time.Hour), Alliance: "robots", Firm: "agibot", Action: "left", Date: "2026-11-30", Provenance: store.SourceUser},
		}}), err
}

func TestUserCards(t *testing.T) {
	for _, tc := range []struct {
		name    string
		subject Subject
		want    []string
	}{
		{"alliance", AllianceSubject("robots", store.Counts{}), []string{"Embodied Robots Alliance", "Members (1)", "Unitree",
			"Joins and leaves", "2026-08-01  joined Unitree", "source https://example.org/join",
			"2026-12-01  joined AgiBot", "2026-11-30  left   AgiBot", "source unsourced", "Source: unsourced", "Added by you."}},
		{"unsourced firm", FirmSubject("unitree"), []string{"Unitree", "宇树科技", "Source: unsourced", "Added by you."}},
		{"sourced firm", FirmSubject("agibot"), []string{"AgiBot", "Source: https://example.org/agibot", "Added by you."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newReader(t, userUniverse{uitest.New()}, 80, 60)
			m, cmd := m.Show(tc.subject)
			m, _ = drive.Loop(m, update, cmd)
			view := ansi.Strip(m.View())
			for _, want := range tc.want {
				if !strings.Contains(view, want) {
					t.Errorf("card lacks %q:\n%s", want, view)
				}
			}
		})
	}
	// A reference card says nothing of the user.
	m := newReader(t, userUniverse{uitest.New()}, 80, 60)
	m, cmd := m.Show(FirmSubject("huawei"))
	m, _ = drive.Loop(m, update, cmd)
	if view := ansi.Strip(m.View()); strings.Contains(view, "Added by you") || strings.Contains(view, "unsourced") {
		t.Errorf("a reference firm's card speaks of the user:\n%s", view)
	}
}
