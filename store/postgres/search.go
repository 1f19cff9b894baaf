package postgres

import "strings"

// searchText is what items.search and articles.search hold: the text
// lower-cased, fields on lines of their own, so that a term found by
// LIKE '%term%' (which pg_trgm's GIN index answers) never spans two
// fields. Every writer of those columns and every search uses it.
func searchText(fields ...string) string {
	return strings.ToLower(strings.Join(fields, "\n"))
}
