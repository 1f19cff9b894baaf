package feeds

import (
	"net/url"
	"strings"
)

// officialAgencies are the Federal Register's slugs of the offices whose
// documents that name a firm are sanctions news: BIS, which keeps the
// Entity List, and OFAC, which keeps the SDN list.
var officialAgencies = map[string]bool{
	"industry-and-security-bureau":  true,
	"foreign-assets-control-office": true,
}

// officialSearch reports whether u is a Federal Register API document
// search (…/api/v1/documents.json, or .rss) whose agency conditions name
// only BIS or OFAC: every document it returns is theirs, wherever it is
// served from (the API, a mirror, a test server).
func officialSearch(u *url.URL) bool {
	if !strings.HasSuffix(u.Path, "/api/v1/documents.json") && !strings.HasSuffix(u.Path, "/api/v1/documents.rss") {
		return false
	}
	agencies := u.Query()["conditions[agencies][]"]
	for _, a := range agencies {
		if !officialAgencies[a] {
			return false
		}
	}
	return len(agencies) > 0
}
