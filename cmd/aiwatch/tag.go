package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/aiwatch/aiwatch/feeds"
	"github.com/aiwatch/aiwatch/feeds/match"
	"github.com/aiwatch/aiwatch/store"
)

// maxTagInput bounds what aiwatch tag reads from stdin.
const maxTagInput = 64 << 20

// tagJSON is the stable JSON shape of aiwatch tag (see README). Matches
// explain every tag (alias, offsets, and the context that let a name that
// is an ordinary word count); Blocked explains every name and term that
// was found and did not count.
type tagJSON struct {
	Firms     []string        `json:"firms"`
	Alliances []string        `json:"alliances"`
	Sanctions bool            `json:"sanctions"`
	Matches   []match.Match   `json:"matches"`
	Blocked   []match.Blocked `json:"blocked"`
}

func cmdTag(a *app, args []string) error {
	fs := a.flags("tag")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := a.parse(fs, "tag", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"tag reads the text from stdin, e.g. echo 'Huawei and Biren' | aiwatch tag"}
	}
	b, err := io.ReadAll(io.LimitReader(a.stdin, maxTagInput+1))
	if err != nil {
		return fmt.Errorf("unable to read stdin: %w", err)
	}
	if len(b) > maxTagInput {
		return fmt.Errorf("stdin is larger than %d MiB", maxTagInput>>20)
	}
	m, err := a.matcher()
	if err != nil {
		return err
	}
	text := string(b)
	res := m.Explain(text)
	if *asJSON {
		out := tagJSON{Firms: nonNil(res.Firms), Alliances: nonNil(res.Alliances), Sanctions: res.Sanctions, Matches: res.Matches, Blocked: res.Blocked}
		if out.Matches == nil {
			out.Matches = []match.Match{}
		}
		if out.Blocked == nil {
			out.Blocked = []match.Blocked{}
		}
		return writeJSON(a.stdout, out)
	}
	w := a.stdout
	fmt.Fprintf(w, "firms:     %s\n", orNone(res.Firms))
	fmt.Fprintf(w, "alliances: %s\n", orNone(res.Alliances))
	fmt.Fprintf(w, "sanctions: %v\n", res.Sanctions)
	if len(res.Matches) > 0 {
		fmt.Fprintln(w, "matches:")
		t := table{header: []string{"  BYTES", "KIND", "ENTITY", "ALIAS", "TEXT", "WHY"}}
		for _, mt := range res.Matches {
			why := mt.Context
			if mt.Form != "" {
				why = strings.TrimPrefix(why+"; "+mt.Form, "; ")
			}
			t.add(fmt.Sprintf("  %d-%d", mt.Start, mt.End), string(mt.Kind), mt.Entity, mt.Alias,
				store.CleanLine(text[mt.Start:mt.End], 200), store.CleanLine(why, 200))
		}
		t.write(a, w)
	}
	if len(res.Blocked) > 0 {
		fmt.Fprintln(w, "not counted:")
		t := table{header: []string{"  BYTES", "KIND", "ENTITY", "TEXT", "WHY"}}
		for _, b := range res.Blocked {
			t.add(fmt.Sprintf("  %d-%d", b.Start, b.End), string(b.Kind), b.Entity,
				store.CleanLine(text[b.Start:b.End], 200), store.CleanLine(b.Reason, 200))
		}
		t.write(a, w)
	}
	return nil
}

// tagFunc tags stored items as the fetch pipeline tags new ones.
func tagFunc(m *match.Matcher) store.TagFunc {
	return func(feedURL, title, summary, content string) ([]string, []string, bool, []store.Mention) {
		return feeds.TagItem(m, feedURL, title, summary, content)
	}
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	return strings.Join(s, ", ")
}

// langCode is the shape of a BCP 47 language tag: en, zh, zh-Hant, pt-BR.
var langCode = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)

func cmdRetag(a *app, args []string) error {
	fs := a.flags("retag")
	ifStale := fs.Bool("if-stale", false, "only when the spellings changed since the items were last re-tagged so")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	pos, err := a.parse(fs, "retag", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"retag takes no arguments"}
	}
	if *ifStale {
		db, err := a.store()
		if err != nil {
			return err
		}
		ran, n, err := db.RetagIfStale(a.ctx, func(aliases []store.Alias) store.TagFunc { return tagFunc(match.New(aliases)) })
		if err != nil {
			return err
		}
		if !*quiet {
			if ran {
				fmt.Fprintf(a.stdout, "Retagged; %d items had their tags changed.\n", n)
			} else {
				fmt.Fprintln(a.stdout, "The tags are current.")
			}
		}
		return nil
	}
	m, err := a.matcher()
	if err != nil {
		return err
	}
	n, err := a.db.Retag(a.ctx, tagFunc(m))
	if err != nil {
		return err
	}
	c, err := a.db.CountItems(a.ctx, store.Filter{})
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Retagged %d items; %d had their tags changed.\n", c.Total, n)
	return nil
}

func cmdAlias(a *app, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "rm" && args[0] != "--help" && args[0] != "-h") {
		return usageError{"usage: aiwatch alias add|rm FIRM ALIAS [--lang xx] [--case-sensitive] [--alliance]"}
	}
	sub := args[0]
	fs := a.flags("alias " + sub)
	lang := fs.String("lang", "", "the alias's language `code`: en, zh, zh-Hant, ar (default: from its script)")
	cs := fs.Bool("case-sensitive", false, "match only with exactly this capitalisation (for ordinary words)")
	isAlliance := fs.Bool("alliance", false, "the entity is an alliance, not a firm")
	if sub == "--help" || sub == "-h" {
		a.commandUsage(a.stdout, fs, "alias")
		return nil
	}
	pos, err := a.parse(fs, "alias "+sub, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError{fmt.Sprintf("alias %s takes an ID and an alias, e.g. aiwatch alias %s huawei 'Huawei Cloud'", sub, sub)}
	}
	kind, entity := store.KindFirm, pos[0]
	if *isAlliance {
		al, err := a.alliance(entity)
		if err != nil {
			return err
		}
		kind, entity = store.KindAlliance, al.ID
	} else {
		f, err := a.firm(entity)
		if err != nil {
			return err
		}
		entity = f.ID
	}
	if sub == "rm" {
		if err := a.db.RemoveAlias(a.ctx, kind, entity, pos[1]); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "Removed alias %q of %s.\n", pos[1], entity)
		return a.retagSoon()
	}
	if *lang != "" && !langCode.MatchString(*lang) {
		return usageError{fmt.Sprintf("--lang %q: want a language code such as en, zh, zh-Hant or ar", *lang)}
	}
	if *lang == "" {
		*lang = scriptLang(pos[1])
	}
	if err := a.db.AddAlias(a.ctx, store.Alias{Entity: entity, Kind: kind, Text: pos[1], Lang: *lang, CaseSensitive: *cs, Source: store.SourceUser}); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Added alias %q (%s) to %s.\n", pos[1], *lang, entity)
	return a.retagSoon()
}

// scriptLang guesses an alias's language from its script.
func scriptLang(s string) string {
	for _, r := range s {
		switch {
		case r >= 0x0600 && r <= 0x06FF:
			return "ar"
		case r >= 0x4E00 && r <= 0x9FFF:
			return "zh"
		}
	}
	return "en"
}
