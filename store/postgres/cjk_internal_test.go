package postgres

import (
	"strings"
	"testing"
)

// TestCJKGramsSpellsCJKClass: migration 0004's cjk_grams takes its runs
// by the same bracket as searchMatch's check, so that a term searchMatch
// sends to its index is one the index holds.
func TestCJKGramsSpellsCJKClass(t *testing.T) {
	b, err := migrationFS.ReadFile("migrations/0004_cjk_grams.sql")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "'"+cjkClass+"+'") {
		t.Errorf("migration 0004 does not spell cjkClass %q", cjkClass)
	}
	for _, r := range "华为摩尔线程ひカ한" {
		if !inCJKGrams(r) || !cjkRune(r) {
			t.Errorf("%q: inCJKGrams %v, cjkRune %v", r, inCJKGrams(r), cjkRune(r))
		}
	}
	for _, r := range "aé،1 " {
		if inCJKGrams(r) {
			t.Errorf("%q taken for CJK", r)
		}
	}
}
