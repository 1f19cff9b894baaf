// Package distiller stands in for github.com/markusmobius/go-domdistiller,
// which go-trafilatura imports as its second fallback extractor only.
// aiwatch never turns the fallback on (feeds/extract: it scored F1 0.957
// against 0.959 without, on the benchmark pages), but linking the real
// package adds its package initialisation, 2–19 ms measured with
// GODEBUG=inittrace=1 on a loaded machine, to the start of every aiwatch
// command and of the dashboard. Apply finds nothing.
package distiller

import (
	"errors"
	"net/url"

	"golang.org/x/net/html"
)

// ErrNotBuiltIn is what Apply returns: DOM Distiller is not part of aiwatch.
var ErrNotBuiltIn = errors.New("distiller: not built into aiwatch")

// Options holds the fields go-trafilatura sets.
type Options struct {
	OriginalURL    *url.URL
	SkipPagination bool
}

// Result is a distilled page.
type Result struct {
	Node *html.Node
}

// Apply distils nothing: it returns ErrNotBuiltIn.
func Apply(doc *html.Node, opts *Options) (*Result, error) {
	return nil, ErrNotBuiltIn
}
