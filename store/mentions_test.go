package store

import (
	"encoding/json"
	"testing"
)

// TestMentionsJSON checks the hand-written mentions JSON against
// encoding/json, escapes and all, and that it keeps one entity's.
func TestMentionsJSON(t *testing.T) {
	for _, alias := range []string{"Huawei", "华为", "هواوي", `a"b`, `back\slash`, "<b>&", "tab\there", "\u2028", "bad\xffutf8", ""} {
		m := Mention{Entity: "huawei", Kind: KindFirm, Alias: alias, Field: FieldSummary, Start: 3, End: 9}
		other := Mention{Entity: "biren", Kind: KindFirm, Alias: "Biren", Field: FieldTitle}
		want, _ := json.Marshal([]MentionJSON{{m.Alias, string(m.Field), m.Start, m.End}})
		if got := MentionsJSON([]Mention{other, m}, KindFirm, "huawei"); got != string(want) {
			t.Errorf("alias %q: got %s, want %s", alias, got, want)
		}
	}
	if got := MentionsJSON([]Mention{{Entity: "huawei", Kind: KindAlliance}}, KindFirm, "huawei"); got != "" {
		t.Errorf("no mentions of the firm: got %q", got)
	}
}
