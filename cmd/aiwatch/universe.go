package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"

	"github.com/aiwatch/aiwatch/feeds/match"
	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/query"
)

// The user's own universe: firms add|edit|rm|hide|show, alliances
// add|rm, alliance join|leave. A change to the spellings the tagger knows
// re-tags the stored items in the background (retagSoon).

// multiFlag is a flag that may be given more than once.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ", ") }

func (m *multiFlag) Set(s string) error {
	*m = append(*m, s)
	return nil
}

// firmFlags are the flags of firms add and firms edit.
type firmFlags struct {
	fs                            *flag.FlagSet
	name, nameZH, nameAR, sec, hq *string
	aliases, sources              multiFlag
}

func newFirmFlags(a *app, sub string) *firmFlags {
	ff := &firmFlags{fs: a.flags("firms " + sub)}
	ff.name = ff.fs.String("name", "", "the firm's English (or common) `name`")
	ff.nameZH = ff.fs.String("name-zh", "", "the firm's Chinese `name`")
	ff.nameAR = ff.fs.String("name-ar", "", "the firm's Arabic `name`")
	ff.sec = ff.fs.String("sector", "", "the firm's `sector`")
	ff.hq = ff.fs.String("hq", "", "where the firm has its headquarters (`city`)")
	ff.fs.Var(&ff.aliases, "alias", "another spelling, `TEXT[:LANG]` (LANG en, zh, zh-Hant, ar); may be repeated")
	ff.fs.Var(&ff.sources, "source", "a public `URL` that supports the facts; may be repeated")
	return ff
}

// set reports whether the flag called name was given.
func (ff *firmFlags) set(name string) bool {
	found := false
	ff.fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// parseAlias reads TEXT[:LANG]: a last colon followed by a language code
// gives the language; otherwise it comes from the script.
func parseAlias(s string) (store.Alias, error) {
	text, lang := s, ""
	if i := strings.LastIndex(s, ":"); i > 0 && langCode.MatchString(s[i+1:]) {
		text, lang = s[:i], s[i+1:]
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return store.Alias{}, usageError{fmt.Sprintf("--alias %q: the alias is empty", s)}
	}
	if lang == "" {
		lang = scriptLang(text)
	}
	return store.Alias{Text: text, Lang: lang, Source: store.SourceUser}, nil
}

// checkSources refuses a --source that is not an absolute http(s) URL.
func checkSources(srcs []string) error {
	for _, s := range srcs {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageError{fmt.Sprintf("--source %q: want an http(s) URL of a public page", store.CleanLine(s, 200))}
		}
	}
	return nil
}

func (ff *firmFlags) aliasList() ([]store.Alias, error) {
	var out []store.Alias
	for _, s := range ff.aliases {
		al, err := parseAlias(s)
		if err != nil {
			return nil, err
		}
		out = append(out, al)
	}
	return out, nil
}

const firmsUsage = "usage: aiwatch firms [add|edit|rm|hide|show] ... (aiwatch firms --help)"

// cmdFirmsEdit runs firms add|edit|rm|hide|show.
func cmdFirmsEdit(a *app, sub string, args []string) error {
	switch sub {
	case "add", "edit":
		return firmsAddEdit(a, sub, args)
	case "rm", "hide", "show":
		fs := a.flags("firms " + sub)
		pos, err := a.parse(fs, "firms "+sub, args)
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usageError{fmt.Sprintf("firms %s takes one firm ID, e.g. aiwatch firms %s unitree", sub, sub)}
		}
		db, err := a.store()
		if err != nil {
			return err
		}
		id := pos[0]
		if sub == "rm" {
			// rm takes the exact ID: a name that resolves is not enough
			// to delete a firm.
			if _, err := db.Firm(a.ctx, id); errors.Is(err, store.ErrNotFound) {
				r, rerr := a.resolver()
				if rerr != nil {
					return rerr
				}
				return notFound("firm", id, r.Suggest(query.KindFirm, id))
			}
			if err := db.RemoveFirm(a.ctx, id); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Removed firm %s, its aliases, memberships and tags.\n", id)
			return nil
		}
		f, err := a.firm(id)
		if err != nil {
			return err
		}
		if err := db.SetFirmHidden(a.ctx, f.ID, sub == "hide"); err != nil {
			return err
		}
		if sub == "hide" {
			fmt.Fprintf(a.stdout, "Hid firm %s from panes and lists; its items stay (aiwatch firms show %s brings it back).\n", f.ID, f.ID)
		} else {
			fmt.Fprintf(a.stdout, "Firm %s is shown again.\n", f.ID)
		}
		return nil
	}
	return usageError{firmsUsage}
}

func firmsAddEdit(a *app, sub string, args []string) error {
	ff := newFirmFlags(a, sub)
	pos, err := a.parse(ff.fs, "firms "+sub, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{fmt.Sprintf("firms %s takes one firm ID, e.g. aiwatch firms %s unitree --name Unitree", sub, sub)}
	}
	if err := checkSources(ff.sources); err != nil {
		return err
	}
	aliases, err := ff.aliasList()
	if err != nil {
		return err
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	id := pos[0]
	if sub == "add" {
		if !ff.set("name") {
			return usageError{fmt.Sprintf("firms add %s needs --name, e.g. --name Unitree", store.CleanLine(id, 80))}
		}
		err := db.AddFirm(a.ctx, store.Firm{ID: id, Name: *ff.name, NameZH: *ff.nameZH, NameAR: *ff.nameAR,
			Sector: *ff.sec, HQ: *ff.hq, Sources: ff.sources, Aliases: aliases})
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "Added firm %s (%s)%s.\n", id, store.CleanLine(*ff.name, 200), unsourcedNote(ff.sources))
		return a.retagSoon()
	}
	var e store.FirmEdit
	for name, p := range map[string]**string{"name": &e.Name, "name-zh": &e.NameZH, "name-ar": &e.NameAR, "sector": &e.Sector, "hq": &e.HQ} {
		if ff.set(name) {
			v := ff.fs.Lookup(name).Value.String()
			*p = &v
		}
	}
	e.Aliases = aliases
	if ff.set("source") {
		e.Sources = ff.sources
	}
	if err := db.EditFirm(a.ctx, id, e); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Changed firm %s.\n", id)
	if e.Name != nil || e.NameZH != nil || e.NameAR != nil || len(e.Aliases) > 0 {
		return a.retagSoon()
	}
	return nil
}

func unsourcedNote(srcs []string) string {
	if len(srcs) == 0 {
		return "; unsourced (add one with --source URL)"
	}
	return ""
}

// reservedAllianceIDs are the subcommands of aiwatch alliance.
var reservedAllianceIDs = []string{"join", "leave"}

// cmdAlliancesEdit runs alliances add|rm.
func cmdAlliancesEdit(a *app, sub string, args []string) error {
	fs := a.flags("alliances " + sub)
	var name, nameZH, launched, convener, source *string
	if sub == "add" {
		name = fs.String("name", "", "the alliance's English `name`")
		nameZH = fs.String("name-zh", "", "the alliance's Chinese `name`")
		launched = fs.String("launched", "", "when it was launched: `DATE` as YYYY-MM-DD, YYYY-MM or YYYY")
		convener = fs.String("convener", "", "the `FIRM` that convened it (becomes a member with role convener)")
		source = fs.String("source", "", "a public `URL` that supports the facts")
	}
	pos, err := a.parse(fs, "alliances "+sub, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{fmt.Sprintf("alliances %s takes one alliance ID, e.g. aiwatch alliances %s embodied-ai", sub, sub)}
	}
	id := pos[0]
	db, err := a.store()
	if err != nil {
		return err
	}
	if sub == "rm" {
		if err := db.RemoveAlliance(a.ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "Removed alliance %s, its aliases and memberships; its joins and leaves stay in the log.\n", id)
		return a.retagSoon()
	}
	for _, r := range reservedAllianceIDs {
		if id == r {
			return fmt.Errorf("alliance ID %q is taken by aiwatch alliance %s; choose another", id, r)
		}
	}
	var srcs []string
	if *source != "" {
		srcs = []string{*source}
	}
	if err := checkSources(srcs); err != nil {
		return err
	}
	al := store.Alliance{ID: id, Name: *name, NameZH: *nameZH, Launched: *launched, Sources: srcs}
	if *convener != "" {
		f, err := a.firm(*convener)
		if err != nil {
			return fmt.Errorf("--convener: %w", err)
		}
		al.Convener = f.ID
	}
	if err := db.AddAlliance(a.ctx, al); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Added alliance %s (%s)%s. Add members with aiwatch alliance join %s FIRM...\n", id, store.CleanLine(*name, 200), unsourcedNote(srcs), id)
	return a.retagSoon()
}

// cmdAllianceJoinLeave runs alliance join|leave.
func cmdAllianceJoinLeave(a *app, sub string, args []string) error {
	fs := a.flags("alliance " + sub)
	var source, since, date *string
	if sub == "join" {
		source = fs.String("source", "", "a public `URL` that reports the join")
		since = fs.String("since", "", "when the firms joined: `DATE` as YYYY-MM-DD, YYYY-MM or YYYY")
	} else {
		date = fs.String("date", "", "when the firm left: `DATE` as YYYY-MM-DD, YYYY-MM or YYYY")
	}
	pos, err := a.parse(fs, "alliance "+sub, args)
	if err != nil {
		return err
	}
	switch {
	case sub == "join" && len(pos) < 2:
		return usageError{"alliance join takes an alliance and one or more firms, e.g. aiwatch alliance join embodied-ai unitree agibot"}
	case sub == "leave" && len(pos) != 2:
		return usageError{"alliance leave takes an alliance and a firm, e.g. aiwatch alliance leave embodied-ai agibot"}
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	al, err := a.alliance(pos[0])
	if err != nil {
		return err
	}
	var firms []string
	for _, s := range pos[1:] {
		f, err := a.firm(s)
		if err != nil {
			return err
		}
		firms = append(firms, f.ID)
	}
	if sub == "leave" {
		if err := db.LeaveAlliance(a.ctx, al.ID, firms[0], *date); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "Recorded that %s left %s.\n", firms[0], al.ID)
		return nil
	}
	if *source != "" {
		if err := checkSources([]string{*source}); err != nil {
			return err
		}
	}
	if err := db.JoinAlliance(a.ctx, al.ID, firms, *source, *since); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Recorded that %s joined %s%s.\n", strings.Join(firms, ", "), al.ID, unsourcedNote(nonEmpty(*source)))
	return nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// retagSoon re-tags the stored items after the spellings changed: in a
// process of its own, detached, when the env can start one (the real
// binary), so that the command returns at once; else here and now. A
// running dashboard sees the new tags at its next data-version check.
func (a *app) retagSoon() error {
	a.res = nil // the names changed
	if a.env.spawnRetag != nil {
		if err := a.env.spawnRetag(a); err == nil {
			fmt.Fprintln(a.stdout, "Stored items are being re-tagged in the background.")
			return nil
		}
	}
	ran, n, err := a.db.RetagIfStale(a.ctx, func(aliases []store.Alias) store.TagFunc { return tagFunc(match.New(aliases)) })
	if err != nil {
		return fmt.Errorf("the change is saved, but re-tagging the stored items failed (run aiwatch retag): %w", err)
	}
	if ran {
		fmt.Fprintf(a.stdout, "Re-tagged the stored items; %d had their tags changed.\n", n)
	}
	return nil
}

// spawnRetag starts `aiwatch retag --if-stale` on the same store, in a
// session of its own so that it outlives this process and the terminal;
// its errors go to aiwatch.log beside the store.
func spawnRetag(a *app) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := retagCommand(a, exe)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var logf io.WriteCloser
	if f := openLog(a.db, a.getenv); f != nil {
		cmd.Stdout, cmd.Stderr, logf = f, f, f
	}
	err = cmd.Start()
	if logf != nil {
		logf.Close()
	}
	if err != nil {
		return err
	}
	return cmd.Process.Release()
}

// retagCommand is the command line of the background re-tag, run by exe.
func retagCommand(a *app, exe string) *exec.Cmd {
	var args []string
	if a.db.Path() != "" {
		args = append(args, "--db", a.db.Path())
	}
	if a.configFlag != "" {
		args = append(args, "--config", a.configFlag)
	}
	cmd := exec.Command(exe, append(args, "retag", "--if-stale", "--quiet")...)
	if a.dsn != "" {
		// The address goes by the environment, which other users cannot
		// read, never on the command line, which ps shows everyone.
		cmd.Env = append(os.Environ(), "AIWATCH_DB="+a.dsn)
	}
	return cmd
}
