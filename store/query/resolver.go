package query

import (
	"maps"

	"github.com/aiwatch/aiwatch/store"
)

// MapResolver is an in-memory Resolver and Suggester built from the
// dataset's firms, alliances and lists. It compares spellings folded by
// store.FoldAlias: case-insensitive, full-width letters read as ASCII,
// runs of white space read as one, traditional Chinese read as
// simplified. When two entities share a
// spelling, an ID beats a name, a name beats an alias, and otherwise the
// entity given first wins.
type MapResolver struct {
	keys map[Kind]map[string]string // folded spelling → ID
}

// NewMapResolver indexes the IDs, names and aliases of firms and alliances,
// and the IDs, badges and names of lists.
func NewMapResolver(firms []store.Firm, alliances []store.Alliance, lists []store.List) *MapResolver {
	m := &MapResolver{keys: map[Kind]map[string]string{
		KindFirm: {}, KindAlliance: {}, KindList: {},
	}}
	add := func(kind Kind, id string, spellings ...string) {
		for _, s := range spellings {
			if k := fold(s); k != "" {
				if _, taken := m.keys[kind][k]; !taken {
					m.keys[kind][k] = id
				}
			}
		}
	}
	// Tier by tier, so that an ID or a name is never shadowed by an alias.
	for _, f := range firms {
		add(KindFirm, f.ID, f.ID)
	}
	for _, f := range firms {
		add(KindFirm, f.ID, f.Name, f.NameZH, f.Short)
	}
	for _, f := range firms {
		for _, a := range f.Aliases {
			add(KindFirm, f.ID, a.Text)
		}
	}
	for _, a := range alliances {
		add(KindAlliance, a.ID, a.ID)
	}
	for _, a := range alliances {
		add(KindAlliance, a.ID, a.Name, a.NameZH)
	}
	for _, a := range alliances {
		for _, al := range a.Aliases {
			add(KindAlliance, a.ID, al.Text)
		}
	}
	for _, l := range lists {
		add(KindList, l.ID, l.ID)
	}
	for _, l := range lists {
		add(KindList, l.ID, l.Badge, l.Name)
	}
	return m
}

// Firm returns the ID of the firm with ID or alias s.
func (m *MapResolver) Firm(s string) (string, bool) { return m.lookup(KindFirm, s) }

// Alliance returns the ID of the alliance with ID or alias s.
func (m *MapResolver) Alliance(s string) (string, bool) { return m.lookup(KindAlliance, s) }

// List returns the ID of the list with ID, badge or name s.
func (m *MapResolver) List(s string) (string, bool) { return m.lookup(KindList, s) }

func (m *MapResolver) lookup(kind Kind, s string) (string, bool) {
	id, ok := m.keys[kind][fold(s)]
	return id, ok
}

// Suggest returns up to three IDs whose spellings are close to s, ranked
// by store.Suggest.
func (m *MapResolver) Suggest(kind Kind, s string) []string {
	return store.Suggest(s, 3, maps.All(m.keys[kind]))
}

// fold is the comparison form of a spelling: the store's alias-folding
// rule, so the filter bar and the tagger treat the same spellings as one
// (case, full-width forms, spaces, traditional and simplified Chinese).
func fold(s string) string { return store.FoldAlias(s, false) }
