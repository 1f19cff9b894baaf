package store

// Universe is the user's own part of the store, as `aiwatch universe
// export` writes it and `universe import` reads it back: the firms and
// alliances the user added, the spellings the user gave, the joins and
// leaves the user recorded, the hidden firms, the watch list and the
// stored views. Reference facts are not in it.
type Universe struct {
	// Firms the user added: ID, Name, NameZH, NameAR, Sector, HQ, Sources.
	Firms []Firm
	// Alliances the user added: ID, Name, NameZH, Launched, Sources.
	Alliances []Alliance
	// Aliases the user gave, to any firm or alliance: Kind, Entity, Text,
	// Lang, CaseSensitive.
	Aliases []Alias
	// Memberships the user recorded (joins): Alliance, Firm, Role,
	// Source, Since.
	Memberships []Membership
	// Leaves are reference memberships the user ended: Alliance, Firm,
	// Date.
	Leaves []MembershipEvent
	// Hidden are the IDs of the firms the user hid.
	Hidden []string
	// Watches is the watch list: Kind and Value.
	Watches []Watch
	// Views are the stored views (not the config file's): Name and Query.
	Views []View
}

// UniverseChange is one thing an import adds or changes.
type UniverseChange struct {
	Section string // "firms", "alliances", "aliases", "memberships", "leaves", "hidden", "watches", "views"
	Index   int    // the entry's place in its section, from 0
	Op      string // "add", "change", "leave" or "hide"
	What    string // the entry, e.g. `firm unitree (Unitree)`
	Detail  string // for a change: what differs
}

// ImportResult is what an import did or, on a dry run, would do.
type ImportResult struct {
	Changes   []UniverseChange
	Unchanged int  // entries the store already holds as they are
	Spellings bool // the spellings the tagger knows changed: re-tag
}
