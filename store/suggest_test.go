package store

import (
	"slices"
	"testing"
)

func TestSuggest(t *testing.T) {
	firms := []string{"huawei", "moore-threads", "sensetime", "biren", "baidu", "sdn", "meu", "model-chip"}
	tests := []struct {
		name string
		s    string
		want []string
	}{
		{"one edit", "hauwei", []string{"huawei"}},
		{"dropped letter", "sensetme", []string{"sensetime"}},
		{"prefix", "moore", []string{"moore-threads"}},
		{"inside", "threads", []string{"moore-threads"}},
		{"transposed short", "snd", []string{"sdn"}},
		{"case and width fold", "ＨＵＡＷＥＩ", []string{"huawei"}},
		{"closest first", "seu", []string{"meu", "sdn"}},
		{"nothing close", "xyz", nil},
		{"empty asks for nothing", "", nil},
		{"one letter is no prefix", "m", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SuggestID(tt.s, 3, firms); !slices.Equal(got, tt.want) {
				t.Errorf("SuggestID(%q) = %q, want %q", tt.s, got, tt.want)
			}
		})
	}
}

func TestSuggestSpellings(t *testing.T) {
	spellings := func(yield func(string, string) bool) {
		for _, p := range [][2]string{{"huawei", "huawei"}, {"华为", "huawei"}, {"Moore Threads", "moore-threads"}, {"摩尔线程", "moore-threads"}} {
			if !yield(p[0], p[1]) {
				return
			}
		}
	}
	if got := Suggest("摩尔线", 3, spellings); !slices.Equal(got, []string{"moore-threads"}) {
		t.Errorf("Suggest(摩尔线) = %q", got)
	}
	if got := Suggest("moore thread", 3, spellings); !slices.Equal(got, []string{"moore-threads"}) {
		t.Errorf("Suggest(moore thread) = %q", got)
	}
	if got := Suggest("huawei", 0, spellings); got != nil {
		t.Errorf("n = 0 gives %q", got)
	}
}
