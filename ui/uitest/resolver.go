package uitest

import (
	"strings"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/query"
)

// Resolver resolves firm, alliance and list names of the fake data for
// the query parser.
type Resolver struct{ s *Source }

// Resolver returns a query.Resolver over the fake's firms, alliances and lists.
func (s *Source) Resolver() Resolver { return Resolver{s} }

// Firm returns the ID of the firm whose ID or alias is name.
func (r Resolver) Firm(name string) (string, bool) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	for _, f := range r.s.firms {
		if matchName(name, f.ID, f.Aliases) {
			return f.ID, true
		}
	}
	return "", false
}

// Alliance returns the ID of the alliance whose ID or alias is name.
func (r Resolver) Alliance(name string) (string, bool) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	for _, a := range r.s.alliances {
		if matchName(name, a.ID, a.Aliases) {
			return a.ID, true
		}
	}
	return "", false
}

// List returns the ID of the list whose ID, badge or name is name.
func (r Resolver) List(name string) (string, bool) {
	for _, l := range lists {
		if strings.EqualFold(name, l.ID) || strings.EqualFold(name, l.Badge) || strings.EqualFold(name, l.Name) {
			return l.ID, true
		}
	}
	return "", false
}

func matchName(name, id string, aliases []store.Alias) bool {
	if strings.EqualFold(name, id) {
		return true
	}
	for _, a := range aliases {
		if strings.EqualFold(name, a.Text) {
			return true
		}
	}
	return false
}

// ParseQuery parses q with the shared query language against the fake's
// names, relative to Now: what cmd/aiwatch wires into ui.Config.
func (s *Source) ParseQuery(q string) (store.Filter, error) {
	return query.Parse(q, s.Resolver(), Now)
}

// Compile-time check that Resolver is a query.Resolver.
var _ query.Resolver = Resolver{}
