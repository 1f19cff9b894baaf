package reader

import (
	"testing"

	"github.com/aiwatch/aiwatch/store"
)

// TestArticleOnlyMarked marks the firms that only an item's article names.
func TestArticleOnlyMarked(t *testing.T) {
	it := store.Item{Mentions: []store.Mention{
		{Entity: "huawei", Kind: store.KindFirm, Field: store.FieldTitle},
		{Entity: "huawei", Kind: store.KindFirm, Field: store.FieldBody},
		{Entity: "biren", Kind: store.KindFirm, Field: store.FieldBody},
		{Entity: "model-chip", Kind: store.KindAlliance, Field: store.FieldBody},
	}}
	for _, tc := range []struct {
		kind store.EntityKind
		id   string
		want bool
	}{
		{store.KindFirm, "huawei", false},
		{store.KindFirm, "biren", true},
		{store.KindFirm, "sensetime", false},
		{store.KindAlliance, "model-chip", true},
	} {
		if got := articleOnly(it, tc.kind, tc.id); got != tc.want {
			t.Errorf("articleOnly(%s %s) = %v, want %v", tc.kind, tc.id, got, tc.want)
		}
	}
}
