package match

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// Sites that convert simplified Chinese to Taiwan usage by machine
// (OpenCC's s2twp and tools built on it) also swap in Taiwan vocabulary:
// 线程 "thread" becomes 執行緒, so 摩尔线程 is printed 摩爾執行緒, 字节跳动
// 位元組跳動 and 海光信息 海光資訊. The matcher adds these forms of every
// Chinese alias by applying OpenCC's Taiwan phrase table (zhdata) to the
// traditional forms store.AliasVariants gives, longest phrase first, as
// OpenCC does.

//go:embed zhdata/TWPhrases.txt
var twPhrasesData string

var (
	twOnce    sync.Once
	twPhrases map[string]string
	twFirst   map[rune]int // first rune of a phrase → longest phrase starting with it, in runes
)

func loadTWPhrases() {
	twPhrases, twFirst = map[string]string{}, map[rune]int{}
	for _, line := range strings.Split(twPhrasesData, "\n") {
		from, to, ok := strings.Cut(strings.TrimRight(line, "\r"), "\t")
		if !ok || from == "" {
			continue
		}
		// Several candidates: OpenCC takes the first.
		to, _, _ = strings.Cut(to, " ")
		twPhrases[from] = to
		first, _ := utf8.DecodeRuneInString(from)
		twFirst[first] = max(twFirst[first], utf8.RuneCountInString(from))
	}
}

// taiwanPhrases rewrites traditional text with the Taiwan phrase table
// and returns the result, or s itself when no phrase occurs.
func taiwanPhrases(s string) string {
	twOnce.Do(loadTWPhrases)
	runes := []rune(s)
	var b strings.Builder
	changed := false
	for i := 0; i < len(runes); {
		done := false
		for n := min(twFirst[runes[i]], len(runes)-i); n >= 1; n-- {
			if to, ok := twPhrases[string(runes[i:i+n])]; ok {
				b.WriteString(to)
				i += n
				changed, done = true, true
				break
			}
		}
		if !done {
			b.WriteRune(runes[i])
			i++
		}
	}
	if !changed {
		return s
	}
	return b.String()
}
