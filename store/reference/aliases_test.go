package reference

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/aiwatch/aiwatch/store"
)

var firmIDs = []string{
	"huawei", "biren", "moore-threads", "enflame", "metax", "iluvatar-corex", "stepfun",
	"minimax", "sensetime", "cambricon", "hygon", "sugon", "smic", "inspur", "iflytek",
	"megvii", "zhipu", "deepseek", "moonshot", "baidu", "tencent", "bytedance", "alibaba",
	"ant-group", "cloudwalk", "yitu", "sophgo", "kunlunxin", "horizon-robotics", "unisoc",
	"ymtc", "cxmt", "nvidia", "infinigence-ai", "siliconflow",
}

var allianceIDList = []string{"model-chip", "shanghai-gcc-ai"}

func TestAliasesCoverEveryEntity(t *testing.T) {
	langs := map[string]map[string]bool{} // kind:id → langs
	for _, a := range Aliases() {
		k := string(a.Kind) + ":" + a.Entity
		if langs[k] == nil {
			langs[k] = map[string]bool{}
		}
		langs[k][a.Lang] = true
	}
	for _, id := range firmIDs {
		l := langs["firm:"+id]
		if !l["en"] || !l["zh"] {
			t.Errorf("firm %q has aliases in %v, want at least en and zh", id, keys(l))
		}
	}
	for _, id := range allianceIDList {
		l := langs["alliance:"+id]
		if !l["en"] || !l["zh"] {
			t.Errorf("alliance %q has aliases in %v, want at least en and zh", id, keys(l))
		}
	}
	if !langs["alliance:model-chip"]["ar"] {
		t.Error("alliance model-chip has no Arabic alias")
	}
	if want := len(firmIDs) + len(allianceIDList); len(langs) != want {
		t.Errorf("aliases name %d entities, want %d: %v", len(langs), want, keys(langs))
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestAliasesAreWellFormed(t *testing.T) {
	valid := map[store.EntityKind][]string{store.KindFirm: firmIDs, store.KindAlliance: allianceIDList}
	for _, a := range Aliases() {
		if !slices.Contains(valid[a.Kind], a.Entity) {
			t.Errorf("alias %q: unknown %s %q", a.Text, a.Kind, a.Entity)
		}
		if a.Source != store.SourceReference {
			t.Errorf("alias %q: source %q", a.Text, a.Source)
		}
		if a.Text == "" || a.Text != strings.TrimSpace(a.Text) {
			t.Errorf("alias %q: empty or untrimmed", a.Text)
		}
		if !slices.Contains([]string{"en", "zh", "zh-Hant", "ar"}, a.Lang) {
			t.Errorf("alias %q: lang %q", a.Text, a.Lang)
		}
		if got := script(a.Text); got != a.Lang && !(a.Lang == "zh-Hant" && got == "zh") {
			t.Errorf("alias %q: lang %q but written in %q script", a.Text, a.Lang, got)
		}
		// Case sensitivity only means something for a name with capitals.
		if a.CaseSensitive && strings.ToLower(a.Text) == a.Text {
			t.Errorf("alias %q: case-sensitive but has no capitals", a.Text)
		}
	}
}

// script guesses the language tag an alias's letters call for.
func script(s string) string {
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			return "zh"
		case unicode.Is(unicode.Arabic, r):
			return "ar"
		}
	}
	return "en"
}

// TestAliasKeysAreUnique: the store keys aliases by their folded form, so
// no two aliases may fold alike, within an entity or across entities. The
// check uses the case-insensitive fold, which is stricter than the key.
func TestAliasKeysAreUnique(t *testing.T) {
	seen := map[string]store.Alias{}
	for _, a := range Aliases() {
		for _, v := range store.AliasVariants(a.Text) {
			key := store.FoldAlias(v, false)
			if key == "" {
				t.Errorf("alias %q folds to nothing", a.Text)
			}
			// Case-sensitive spellings of one firm (MiniMax, Minimax,
			// MINIMAX) are distinct keys in the store.
			sameFirmCase := ok0(seen, key) && seen[key].Entity == a.Entity && seen[key].CaseSensitive && a.CaseSensitive &&
				store.FoldAlias(seen[key].Text, true) != store.FoldAlias(a.Text, true)
			if o, ok := seen[key]; ok && !sameFirmCase && (o.Text != a.Text || o.Entity != a.Entity) {
				t.Errorf("alias %q (%s) and %q (%s) share the key %q", a.Text, a.Entity, o.Text, o.Entity, key)
			}
			seen[key] = a
		}
	}
}

// TestAliasesComeFromTheReference: an alias is either written in the
// reference data as it stands (ignoring case), or says how it was derived.
func TestAliasesComeFromTheReference(t *testing.T) {
	var raw any
	if err := json.Unmarshal(referenceJSON, &raw); err != nil {
		t.Fatal(err)
	}
	var texts []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			texts = append(texts, strings.ToLower(v))
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(raw)
	inReference := func(s string) bool {
		s = strings.ToLower(s)
		return slices.ContainsFunc(texts, func(t string) bool { return strings.Contains(t, s) })
	}
	for _, group := range [][]struct {
		id      string
		aliases []aliasEntry
	}{firmAliases, allianceAliases} {
		for _, e := range group {
			for _, a := range e.aliases {
				if a.from == "" && !inReference(a.text) {
					t.Errorf("%s: alias %q is not in the reference and says no derivation", e.id, a.text)
				}
			}
		}
	}
}

func ok0(m map[string]store.Alias, k string) bool { _, ok := m[k]; return ok }

// TestAmbiguousWordsAreGuarded pins the product issue's list of names
// that are ordinary words: each is either absent as a bare alias or kept
// case-sensitive. 地平线, 浪潮, 曙光, 海光, 字节, 阿里 and 蚂蚁 are bare aliases
// now, each guarded by a context rule in feeds/match, whose tests check
// that every such alias has one and pin both senses of each.
func TestAmbiguousWordsAreGuarded(t *testing.T) {
	bare := map[string]bool{}
	for _, a := range Aliases() {
		if !a.CaseSensitive {
			bare[strings.ToLower(a.Text)] = true
		}
	}
	for _, w := range []string{
		"minimax", "moonshot", "horizon", "quark", "ascend", "ant", "step",
		"apollo", "spark", "journey", "cann", "glm", "musa", "abab", "talkie", "wan", "h20",
		"kimi", "ernie", "dawning", "enflame", "wechat", "豆包", "夸克",
	} {
		if bare[w] {
			t.Errorf("%q is a case-insensitive alias; it is an ordinary word or another name", w)
		}
	}
}
