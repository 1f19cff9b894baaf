package reader

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

func update(m Model, msg tea.Msg) (Model, tea.Cmd) { return m.Update(msg) }

func newReader(t *testing.T, src Source, w, h int) Model {
	t.Helper()
	m := New(src, keys.DefaultKeyMap(), theme.New(true, false), func() time.Time { return uitest.Now })
	m.SetSize(w, h)
	m.SetLists([]store.List{{ID: "entity-list", Name: "BIS Entity List", Badge: "EL"}, {ID: "1260h", Name: "DoD 1260H", Badge: "1260H"}})
	m, _ = drive.Loop(m, update, m.LoadDirectory())
	return m
}

// itemByTitle finds a fake item's ID by a piece of its title.
func itemByTitle(t *testing.T, src *uitest.Source, part string) int64 {
	t.Helper()
	for _, id := range src.ItemIDs() {
		it, _ := src.Item(t.Context(), id)
		if strings.Contains(it.Title, part) {
			return id
		}
	}
	t.Fatalf("no item titled %q", part)
	return 0
}

func TestItemCard(t *testing.T) {
	src := uitest.New()
	m := newReader(t, src, 70, 40)
	id := itemByTitle(t, src, "华为、壁仞科技")
	m, cmd := m.Show(ItemSubject(id))
	m, _ = drive.Loop(m, update, cmd)
	view := ansi.Strip(m.View())
	for _, want := range []string{
		"华为、壁仞科技和摩尔线程加入模芯生态创新联盟",                     // title
		"新浪科技 · 2026-06-17",                          // source and date
		"https://tech.sina.com.cn/",                  // link
		"Firms named", "Huawei", "EL CMIC 1260H FCC", // firms with designations
		"StepFun", "none found as of 2026-06-17",
		"Alliances named", "Model-Chip Ecosystem Innovation Alliance",
		"在世界人工智能大会期间", // summary
	} {
		if !strings.Contains(view, want) {
			t.Errorf("item card lacks %q:\n%s", want, view)
		}
	}
	th := theme.New(true, false)
	if !strings.Contains(m.View(), th.Mention.Render("摩尔线程")) {
		t.Error("the mention 摩尔线程 is not highlighted")
	}
	if it, ok := m.Item(); !ok || it.ID != id {
		t.Errorf("Item() = %d, %v", it.ID, ok)
	}
}

func TestArabicMentionsHighlighted(t *testing.T) {
	src := uitest.New()
	m := newReader(t, src, 60, 30)
	m, cmd := m.Show(ItemSubject(itemByTitle(t, src, "ويضم")))
	m, _ = drive.Loop(m, update, cmd)
	th := theme.New(true, false)
	for _, name := range []string{"هواوي", "بيرين", "مور ثريدز"} {
		if !strings.Contains(m.View(), th.Mention.Render(name)) {
			t.Errorf("mention %q not highlighted", name)
		}
	}
}

// hostile is a source whose one item carries escape sequences, bidi
// overrides and mention offsets that do not fit.
type hostile struct{ *uitest.Source }

func (h hostile) Item(ctx context.Context, id int64) (store.Item, error) {
	return store.Item{
		ID:    id,
		Title: "Evil \x1b[2J\x1b]0;owned\x07title \u202eesrever\u202c",
		Summary: "clear \x1b[H\x1b[2J screen; osc8 \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ \x9b31m Z" +
			strings.Repeat("\u0301", 40) + " Huawei",
		URL: "javascript:alert(1)",
		Mentions: []store.Mention{
			{Entity: "huawei", Field: store.FieldSummary, Start: 3, End: 500},
			{Entity: "huawei", Field: store.FieldSummary, Start: 9, End: 2},
			{Entity: "huawei", Field: store.FieldTitle, Start: -1, End: 3},
			{Entity: "huawei", Field: store.FieldTitle, Start: 0, End: 4},
		},
		Firms: []string{"huawei\x1b[31m"},
	}, nil
}

var sgr = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

func TestHostileTextIsNeutralised(t *testing.T) {
	src := hostile{uitest.New()}
	m := newReader(t, src, 50, 20)
	m, cmd := m.Show(ItemSubject(7))
	m, _ = drive.Loop(m, update, cmd)
	view := m.View()
	if rest := sgr.ReplaceAllString(view, ""); strings.ContainsAny(rest, "\x1b\x07\u202e\u202c\u009b") {
		t.Errorf("control characters reached the view: %q", rest)
	}
	if !strings.Contains(ansi.Strip(view), "Evil") {
		t.Errorf("title not shown:\n%s", ansi.Strip(view))
	}
}

func TestStaleItemDropped(t *testing.T) {
	src := uitest.New()
	m := newReader(t, src, 60, 20)
	ids := src.ItemIDs()
	m, old := m.Show(ItemSubject(ids[0]))
	m, cur := m.Show(ItemSubject(ids[1]))
	for _, msg := range append(drive.Msgs(cur), drive.Msgs(old)...) {
		m, _ = m.Update(msg)
	}
	if it, ok := m.Item(); !ok || it.ID != ids[1] {
		t.Errorf("shows item %d, want %d", it.ID, ids[1])
	}
}

func TestFirmCard(t *testing.T) {
	tests := []struct {
		firm string
		want []string
	}{
		{"huawei", []string{"Huawei Technologies Co., Ltd.", "华为技术有限公司", "Designations", "BIS Entity List",
			"added 2019-05-16 · 84 FR 22961", "History", "Sanctions news", "Chinese AI firms join forces"}},
		{"stepfun", []string{"StepFun", "none found as of 2026-06-17", "no recorded changes"}},
		{"alibaba", []string{"1260H?", "contested", "Alibaba disputes it"}},
		{"megvii", []string{"removed 2025-01-06", "removed   1260H"}},
		{"inspur", []string{"EL*", "affiliate listing"}},
	}
	for _, tt := range tests {
		t.Run(tt.firm, func(t *testing.T) {
			m := newReader(t, uitest.New(), 80, 60)
			m, cmd := m.Show(FirmSubject(tt.firm))
			m, _ = drive.Loop(m, update, cmd)
			view := ansi.Strip(m.View())
			for _, want := range tt.want {
				if !strings.Contains(view, want) {
					t.Errorf("%s card lacks %q:\n%s", tt.firm, want, view)
				}
			}
			if m.FirmID() != tt.firm {
				t.Errorf("FirmID = %q", m.FirmID())
			}
		})
	}
}

func TestAllianceCard(t *testing.T) {
	m := newReader(t, uitest.New(), 70, 40)
	m, _ = m.Show(AllianceSubject(uitest.ModelChip, store.Counts{}))
	view := ansi.Strip(m.View())
	for _, want := range []string{"Model-Chip Ecosystem Innovation Alliance", "模芯生态创新联盟", "Launched: 2025-07-25",
		"Members (10)", "Huawei", "(convener)", "Moore Threads"} {
		if !strings.Contains(view, want) {
			t.Errorf("alliance card lacks %q:\n%s", want, view)
		}
	}
}

func TestScrollAndFit(t *testing.T) {
	m := newReader(t, uitest.New(), 40, 10)
	m, cmd := m.Show(FirmSubject("huawei"))
	m, _ = drive.Loop(m, update, cmd)
	m.Focus()
	for range 3 {
		m, _ = m.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
	}
	if m.ScrollOffset() != 3 {
		t.Errorf("scroll offset = %d, want 3", m.ScrollOffset())
	}
	m, _ = m.Update(tea.KeyPressMsg{Code: 'g', Text: "g"})
	if m.ScrollOffset() != 0 {
		t.Errorf("g: scroll offset = %d", m.ScrollOffset())
	}
	lines := strings.Split(m.View(), "\n")
	if len(lines) != 10 {
		t.Errorf("%d lines", len(lines))
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w != 40 {
			t.Errorf("line is %d cells: %q", w, ansi.Strip(l))
		}
	}
}

func TestShowLoadsOnlyANewSubject(t *testing.T) {
	src := uitest.New()
	m := newReader(t, src, 40, 10)
	m.Focus()
	m, cmd := m.Show(FirmSubject("huawei"))
	if cmd == nil || !m.loading {
		t.Fatal("a firm's card loaded nothing")
	}
	m, _ = drive.Loop(m, update, cmd)
	m, _ = m.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
	if m, cmd = m.Show(FirmSubject("huawei")); cmd != nil || m.ScrollOffset() != 1 {
		t.Errorf("showing the card shown loaded it again (%v) or scrolled it to %d", cmd != nil, m.ScrollOffset())
	}

	m, cmd = m.Show(AllianceSubject(uitest.ModelChip, store.Counts{Total: 5}))
	if cmd != nil || m.Mode() != ModeAlliance || m.FirmID() != "" {
		t.Fatalf("an alliance's card: command %v, mode %v, firm %q", cmd != nil, m.Mode(), m.FirmID())
	}
	m, _ = m.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
	m, _ = m.Show(AllianceSubject(uitest.ModelChip, store.Counts{Total: 6, Unread: 1}))
	if m.ScrollOffset() != 1 || m.Subject().Counts.Total != 6 {
		t.Errorf("new counts: scroll %d, subject %+v; want the same place and the new counts", m.ScrollOffset(), m.Subject())
	}

	for _, s := range []Subject{ItemSubject(0), FirmSubject("")} {
		if s != (Subject{}) {
			t.Errorf("%+v is not the empty subject", s)
		}
	}
	m, cmd = m.Show(ItemSubject(0))
	if cmd != nil || m.Mode() != ModeEmpty || !strings.Contains(ansi.Strip(m.View()), "Nothing selected") {
		t.Errorf("the empty subject: command %v, mode %v:\n%s", cmd != nil, m.Mode(), ansi.Strip(m.View()))
	}
}
