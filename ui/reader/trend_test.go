package reader

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

// TestCardTrends checks the firm card's trend line and the alliance
// card's members, busiest first, each with its trend.
func TestCardTrends(t *testing.T) {
	src := uitest.New()
	m := newReader(t, src, 90, 60)
	counts := map[string]store.Counts{
		"biren":   {Total: 40, Trend: store.Trend{0: 2, 10: 4, 11: 8}},
		"huawei":  {Total: 90, Trend: store.Trend{11: 1}},
		"stepfun": {Total: 5, Trend: store.Trend{5: 20}},
	}
	m.SetFirmCounts(counts)

	m, cmd := m.Show(FirmSubject("biren"))
	m, _ = drive.Loop(m, update, cmd)
	view := ansi.Strip(m.View())
	if !strings.Contains(view, "Items: ▂         ▄█ 14 in 12 weeks · 40 in all") {
		t.Errorf("the firm card has no trend line:\n%s", view)
	}

	m, cmd = m.Show(AllianceSubject("model-chip", store.Counts{Total: 12, Trend: store.Trend{11: 12}}))
	m, _ = drive.Loop(m, update, cmd)
	view = ansi.Strip(m.View())
	if !strings.Contains(view, "Items:            █ 12 in 12 weeks · 12 in all") {
		t.Errorf("the alliance card has no trend line:\n%s", view)
	}
	if !strings.Contains(view, "busiest first") {
		t.Errorf("the alliance card does not say its members are ranked:\n%s", view)
	}
	stepfun, biren, huawei := strings.Index(view, "StepFun"), strings.Index(view, "Biren"), strings.Index(view, "Huawei")
	if stepfun < 0 || biren < 0 || huawei < 0 || !(stepfun < biren && biren < huawei) {
		t.Errorf("members not ranked by items in 12 weeks (StepFun 20, Biren 14, Huawei 1):\n%s", view)
	}
	if !strings.Contains(view, "StepFun             █         20 none found") {
		t.Errorf("StepFun's row has no sparkline:\n%s", view)
	}
}
