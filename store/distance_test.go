package store

import "testing"

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"", "", 3, 0},
		{"sensetime", "sensetime", 3, 0},
		{"sensetme", "sensetime", 3, 1},
		{"kitten", "sitting", 5, 3},
		{"华为", "華為", 3, 2},
		{"huawei", "baidu", 2, 3}, // over max: max+1
		{"a", "abcdefgh", 3, 4},   // length gap alone exceeds max
		{"moonshot", "moonshot ai", 3, 3},
	}
	for _, tt := range tests {
		if got := EditDistance([]rune(tt.a), []rune(tt.b), tt.max, nil); got != tt.want {
			t.Errorf("EditDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
		scratch := make([]int, 64)
		if got := EditDistance([]rune(tt.a), []rune(tt.b), tt.max, scratch); got != tt.want {
			t.Errorf("with scratch: EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
