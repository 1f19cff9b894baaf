package match

import "strings"

// Arabic outlets spell Latin acronyms out letter by letter, in the names
// of the letters: SMIC is إس إم آي سي, YMTC واي إم تي سي, CXMT سي إكس إم تي.
// arabicLetters is the one rule that generates those spellings for every
// acronym among the aliases. Seen in print: واي إم تي سي at
// https://argaam.com/ar/switch-view?mobile=true&returnUrl=https%3A%2F%2Fwww.argaam.com%2Far%2Farticle%2Farticledetail%2Fid%2F1592963
// (أم and إم, written both ways, fold alike).
var arabicLetterNames = [26]string{
	"إيه", "بي", "سي", "دي", "إي", "إف", "جي", "إتش", "آي", "جيه", "كيه", "إل", "إم",
	"إن", "أو", "بي", "كيو", "آر", "إس", "تي", "يو", "في", "دبليو", "إكس", "واي", "زد",
}

// spokenAsWords are capitalised aliases that are read as words, not
// spelt out: CUDA is كودا in Arabic.
var spokenAsWords = map[string]bool{"CUDA": true, "KUAE": true}

// isAcronym reports whether an alias is a Latin acronym: two to five
// capital letters.
func isAcronym(s string) bool {
	if len(s) < 2 || len(s) > 5 || spokenAsWords[s] {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// arabicLetters returns the letter-by-letter Arabic spelling of an
// acronym, or nil when s is not an acronym.
func arabicLetters(s string) []string {
	if !isAcronym(s) {
		return nil
	}
	names := make([]string, len(s))
	for i := 0; i < len(s); i++ {
		names[i] = arabicLetterNames[s[i]-'A']
	}
	return []string{strings.Join(names, " ")}
}
