package reader

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/bidi"
	"github.com/aiwatch/aiwatch/ui/internal/badge"
	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// highlighted cleans raw text, wraps it to w cells and styles it: base for
// the text, hl for the names the mentions of field point at. Mention
// offsets are bytes of the raw text; cleaning maps them to the clean text.
// Lines break in logical order; each is then drawn by cell.Draw, and in
// bidi.App mode a right-to-left paragraph is aligned to the right.
func (m Model) highlighted(raw string, ms []store.Mention, field store.Field, body bool, w int, base, hl lipgloss.Style) []string {
	var text string
	var pos []int
	if body {
		text, pos = cell.BodyMap(raw)
	} else {
		text, pos = cell.LineMap(raw)
	}
	var ranges []cell.Span
	for _, m := range ms {
		if pos == nil {
			break // the text could not be mapped safely: no highlights
		}
		if m.Field != field || m.Start < 0 || m.End > len(raw) || m.Start >= m.End {
			continue // an offset that does not fit this text is ignored, not trusted
		}
		if r := (cell.Span{Start: pos[m.Start], End: pos[m.End]}); r.Start < r.End {
			ranges = append(ranges, r)
		}
	}
	slices.SortFunc(ranges, func(a, b cell.Span) int { return cmp.Compare(a.Start, b.Start) })
	mode := m.Theme.Bidi
	var lines []string
	paraStart, rtl := -1, false
	for _, sp := range cell.WrapSpansMode(mode, text, w) {
		if mode == bidi.App {
			if start := strings.LastIndexByte(text[:sp.Start], '\n') + 1; start != paraStart {
				end := strings.IndexByte(text[start:], '\n')
				if end < 0 {
					end = len(text) - start
				}
				paraStart, rtl = start, bidi.RightToLeft(text[start:start+end])
			}
		}
		var runs []cell.Run
		at := sp.Start
		for _, r := range ranges {
			if r.End <= at || r.Start >= sp.End {
				continue
			}
			from, to := max(r.Start, at), min(r.End, sp.End)
			if from > at {
				runs = append(runs, cell.Run{End: from - sp.Start, Style: base.Render})
			}
			runs = append(runs, cell.Run{End: to - sp.Start, Style: hl.Render})
			at = to
		}
		if at < sp.End {
			runs = append(runs, cell.Run{End: sp.End - sp.Start, Style: base.Render})
		}
		line := cell.Draw(mode, text[sp.Start:sp.End], w, runs)
		if rtl {
			line = strings.Repeat(" ", max(w-cell.Width(line), 0)) + line
		}
		lines = append(lines, line)
	}
	return lines
}

// wrapped wraps clean text to w cells after a label, indenting the lines
// that follow to the label's width.
func (m Model) wrapped(label, text string, w int, labelStyle, textStyle lipgloss.Style) []string {
	lw := cell.Width(label)
	tw := max(w-lw, 8)
	spans := cell.WrapSpansMode(m.Theme.Bidi, text, tw)
	lines := make([]string, 0, len(spans))
	for i, sp := range spans {
		prefix := strings.Repeat(" ", lw)
		if i == 0 {
			prefix = labelStyle.Render(label)
		}
		lines = append(lines, prefix+cell.Draw(m.Theme.Bidi, text[sp.Start:sp.End], tw,
			[]cell.Run{{End: sp.End - sp.Start, Style: textStyle.Render}}))
	}
	return lines
}

// titleLines wraps the clean name of a card to w cells in the title style.
func (m Model) titleLines(name string, w int) []string {
	var lines []string
	for _, sp := range cell.WrapSpansMode(m.Theme.Bidi, name, w) {
		lines = append(lines, cell.Draw(m.Theme.Bidi, name[sp.Start:sp.End], w,
			[]cell.Run{{End: sp.End - sp.Start, Style: m.Theme.ItemTitle.Render}}))
	}
	return lines
}

func (m Model) date(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.In(m.Now().Location()).Format(layout)
}

func (m Model) itemLines(w int) []string {
	t, it := m.Theme, m.item
	lines := m.highlighted(it.Title, it.Mentions, store.FieldTitle, false, w, t.ItemTitle, t.Mention)
	var meta []string
	if src := cell.Line(it.FeedTitle); src != "" {
		// Its direction marked on its own, so that an Arabic feed name
		// does not turn the date and language after it right to left.
		meta = append(meta, cell.Text(t.Bidi, src, max(w/2, 8)))
	}
	if d := m.date(it.Published, "2006-01-02 15:04"); d != "" {
		meta = append(meta, d)
	}
	if lang := cell.Line(it.Lang); lang != "" {
		meta = append(meta, lang)
	}
	metaLine := t.Dim.Render(strings.Join(meta, " · "))
	if it.Starred {
		metaLine += " " + t.Star.Render(theme.MarkStar)
	}
	if it.Sanctions {
		metaLine += " " + t.Sanctions.Render(theme.MarkSanctions+" sanctions")
	}
	lines = append(lines, metaLine)
	if len(it.AlsoIn) > 0 {
		// The story's other copies, by feed (store.StoryLink).
		names := make([]string, 0, len(it.AlsoIn))
		for _, f := range it.AlsoIn {
			if f = cell.Line(f); f != "" {
				names = append(names, f)
			}
		}
		lines = append(lines, m.wrapped("also in: ", strings.Join(names, ", "), w, t.Dim, t.Dim)...)
	}
	if u := cell.Line(it.URL); u != "" {
		for _, sp := range cell.WrapSpansMode(t.Bidi, u, w) {
			lines = append(lines, cell.Draw(t.Bidi, u[sp.Start:sp.End], w, []cell.Run{{End: sp.End - sp.Start, Style: t.Link.Render}}))
		}
	}
	lines = append(lines, m.namedLines(it, w)...)
	if it.Summary != "" {
		lines = append(lines, "")
		lines = append(lines, m.highlighted(it.Summary, it.Mentions, store.FieldSummary, true, w, lipgloss.NewStyle(), t.Mention)...)
	}
	if it.Content != "" && strings.TrimSpace(it.Content) != strings.TrimSpace(it.Summary) {
		lines = append(lines, "")
		lines = append(lines, m.highlighted(it.Content, it.Mentions, store.FieldContent, true, w, lipgloss.NewStyle(), t.Mention)...)
	}
	return append(lines, m.articleLines(it, w)...)
}

// articleLines shows the item's article under its summary: the text
// with the names found in it highlighted, then its links; or, while it is
// fetched or when it cannot be, one line saying so.
func (m Model) articleLines(it store.Item, w int) []string {
	t, art := m.Theme, m.art
	if art.item != it.ID || art.item == 0 {
		return nil
	}
	switch {
	case art.loading:
		return []string{"", t.Dim.Render("fetching the article…")}
	case art.err != nil:
		reason := strings.TrimPrefix(cell.Line(art.err.Error()), "article: ")
		return append([]string{""}, m.wrapped("! ", "article unavailable: "+reason, w, t.Error, t.Error)...)
	}
	a := art.a
	lines := []string{"", t.Heading.Render("Article")}
	var meta []string
	if by := cell.Line(a.Byline); by != "" {
		meta = append(meta, "by "+by)
	}
	if d := m.date(a.Published, "2006-01-02"); d != "" {
		meta = append(meta, d)
	}
	if d := m.date(a.Fetched, "2006-01-02 15:04"); d != "" {
		meta = append(meta, "fetched "+d)
	}
	if len(meta) > 0 {
		lines = append(lines, t.Dim.Render(cell.Text(t.Bidi, strings.Join(meta, " · "), w)))
	}
	lines = append(lines, "")
	lines = append(lines, m.highlighted(a.Text, it.Mentions, store.FieldBody, true, w, lipgloss.NewStyle(), t.Mention)...)
	if len(a.Links) > 0 {
		lines = append(lines, "", t.Heading.Render("Links"))
		for i, l := range a.Links {
			text := cell.Line(l.Text)
			if text == "" {
				text = cell.Line(l.URL)
			}
			num := "[" + strconv.Itoa(i+1) + "] "
			lines = append(lines, num+cell.Text(t.Bidi, text, w-cell.Width(num)), "    "+t.Link.Render(cell.Truncate(cell.Line(l.URL), w-4)))
		}
	}
	return lines
}

// namedLines lists the firms an item names with their badges, and the
// alliances it names.
func (m Model) namedLines(it store.Item, w int) []string {
	t := m.Theme
	var lines []string
	if len(it.Firms) > 0 {
		lines = append(lines, "", t.Heading.Render("Firms named"))
		nameW := 0
		for _, id := range it.Firms {
			nameW = max(nameW, cell.Width(m.firmName(id)))
		}
		nameW = min(nameW, w/2)
		for _, id := range it.Firms {
			line := "  " + cell.Fit(m.firmName(id), nameW) + " "
			if articleOnly(it, store.KindFirm, id) {
				// Named only in the fetched article, not in the feed's text.
				line += t.Dim.Render("(article) ")
				line += m.designationSummary(id, w-nameW-13)
			} else {
				line += m.designationSummary(id, w-nameW-3)
			}
			lines = append(lines, line)
		}
	}
	if len(it.Alliances) > 0 {
		lines = append(lines, "", t.Heading.Render("Alliances named"))
		for _, id := range it.Alliances {
			line := "  " + cell.Truncate(m.allianceName(id), w-2)
			if articleOnly(it, store.KindAlliance, id) {
				line = "  " + cell.Truncate(m.allianceName(id), w-12) + " " + t.Dim.Render("(article)")
			}
			lines = append(lines, line)
		}
	}
	return lines
}

// articleOnly reports whether every mention of the entity is in the
// item's article: the feed's text does not name it.
func articleOnly(it store.Item, kind store.EntityKind, id string) bool {
	found := false
	for _, m := range it.Mentions {
		if m.Kind == kind && m.Entity == id {
			if m.Field != store.FieldBody {
				return false
			}
			found = true
		}
	}
	return found
}

// designationSummary is a firm's badges, or "none found as of <date>".
func (m Model) designationSummary(id string, w int) string {
	f, ok := m.firms[id]
	if !ok {
		return ""
	}
	bs := badge.For(f.Designations, m.codes)
	if len(bs) == 0 {
		return m.Theme.Dim.Render(cell.Truncate(m.noneFound(f, w), w))
	}
	return badge.Render(*m.Theme, bs, w, true)
}

// noneFound says as of when a firm was found on no list, in at most w
// cells: one date, or each date with the badges of the lists checked
// then, newest first ("none found as of 2026-12-01 (EL MEU SDN CMIC);
// 2026-06-17 (1260H FCC UFLPA)"), as store.NoneFound groups them. When
// that does not fit, the range of dates, which holds for every list.
func (m Model) noneFound(f store.Firm, w int) string {
	groups := store.NoneFound(f, m.listOrder)
	switch {
	case len(groups) == 0 && f.NoneFoundAsOf != "":
		return "none found as of " + cell.Line(f.NoneFoundAsOf)
	case len(groups) == 1 && groups[0].AsOf == "" && f.Added != "":
		return "not checked yet" // a firm the user added, before any list file

	case len(groups) == 0 || len(groups) == 1 && groups[0].AsOf == "":
		return "none found"
	case len(groups) == 1:
		return "none found as of " + cell.Line(groups[0].AsOf)
	}
	parts := make([]string, 0, len(groups))
	for _, g := range groups {
		parts = append(parts, cell.Line(cmp.Or(g.AsOf, "unknown"))+" ("+m.badgeCodes(g.Lists)+")")
	}
	full := "none found as of " + strings.Join(parts, "; ")
	if cell.Width(full) <= w {
		return full
	}
	oldest, newest := groups[len(groups)-1].AsOf, groups[0].AsOf
	return "none found as of " + cell.Line(cmp.Or(oldest, "unknown")) + "–" + cell.Line(newest)
}

// noneFoundLines is noneFound for the firm card: a line per date.
func (m Model) noneFoundLines(f store.Firm) []string {
	groups := store.NoneFound(f, m.listOrder)
	if len(groups) < 2 {
		return []string{m.noneFound(f, 1<<20)}
	}
	lines := make([]string, 0, len(groups))
	for _, g := range groups {
		lines = append(lines, "none found as of "+cell.Line(cmp.Or(g.AsOf, "unknown"))+": "+m.badgeCodes(g.Lists))
	}
	return lines
}

func (m Model) badgeCodes(lists []store.List) string {
	codes := make([]string, 0, len(lists))
	for _, l := range lists {
		codes = append(codes, m.codes.Code(l.ID))
	}
	return strings.Join(codes, " ")
}

func (m Model) firmName(id string) string {
	f, ok := m.firms[id]
	switch {
	case !ok:
		return cell.Line(id)
	case f.Short != "":
		return cell.Line(f.Short)
	}
	return cell.Line(f.Name)
}

func (m Model) allianceName(id string) string {
	if a, ok := m.alliances[id]; ok && a.Name != "" {
		return cell.Line(a.Name)
	}
	return cell.Line(id)
}

func (m Model) listName(id string) string {
	if l, ok := m.lists[id]; ok && l.Name != "" {
		return cell.Line(l.Name)
	}
	return cell.Line(id)
}

func (m Model) firmLines(w int) []string {
	t := m.Theme
	f, ok := m.firms[m.shown.Firm]
	if !ok {
		if m.loading {
			return []string{t.Dim.Render("loading…")}
		}
		return []string{t.Dim.Render("Unknown firm " + cell.Line(m.shown.Firm))}
	}
	var lines []string
	lines = append(lines, m.titleLines(cell.Line(f.Name), w)...)
	if zh := cell.Line(f.NameZH); zh != "" {
		lines = append(lines, cell.Truncate(zh, w))
	}
	if facts := joinNonEmpty(" · ", cell.Line(f.Sector), cell.Line(f.HQ)); facts != "" {
		lines = append(lines, t.Dim.Render(cell.Truncate(facts, w)))
	}
	if m.counts != nil { // a firm without items has no counts: zero
		lines = append(lines, m.trendLine(m.counts[f.ID], w))
	}
	var aliases []string
	for _, a := range f.Aliases {
		if s := cell.Line(a.Text); s != "" && !slices.Contains(aliases, s) {
			aliases = append(aliases, s)
		}
	}
	if len(aliases) > 0 {
		lines = append(lines, m.wrapped("Also: ", strings.Join(aliases, ", "), w, t.Label, lipgloss.NewStyle())...)
	}
	if len(f.Alliances) > 0 {
		var names []string
		for _, id := range f.Alliances {
			names = append(names, m.allianceName(id))
		}
		lines = append(lines, m.wrapped("Alliances: ", strings.Join(names, "; "), w, t.Label, lipgloss.NewStyle())...)
	}
	if notes := cell.Line(f.Notes); notes != "" {
		lines = append(lines, m.wrapped("", notes, w, t.Label, t.Dim)...)
	}
	if f.Provenance == store.SourceUser {
		lines = append(lines, m.userSourceLines(f.Sources, w)...)
	}

	lines = append(lines, "", t.Heading.Render("Designations"))
	lines = append(lines, m.designationLines(f, w)...)

	lines = append(lines, "", t.Heading.Render("History"))
	switch {
	case m.loading && m.events == nil:
		lines = append(lines, t.Dim.Render("  loading…"))
	case len(m.events) == 0:
		lines = append(lines, t.Dim.Render("  no recorded changes"))
	}
	for _, e := range m.events {
		head := "  " + m.date(e.At, "2006-01-02") + "  " + cell.Fit(cell.Line(e.Action), 9) + " " +
			cell.Fit(m.codes.Code(e.List), 5) + " "
		lines = append(lines, m.wrapped(head, cell.Line(e.Detail), w, t.Dim, lipgloss.NewStyle())...)
	}

	lines = append(lines, "", t.Heading.Render("Sanctions news"))
	switch {
	case m.loading && m.news == nil:
		lines = append(lines, t.Dim.Render("  loading…"))
	case len(m.news) == 0:
		lines = append(lines, t.Dim.Render("  none"))
	}
	for _, it := range m.news {
		head := "  " + theme.MarkSanctions + " " + m.date(it.Published, "2006-01-02") + " "
		lines = append(lines, t.Sanctions.Render(head[:len("  "+theme.MarkSanctions)])+t.Dim.Render(head[len("  "+theme.MarkSanctions):])+
			cell.Text(t.Bidi, cell.Line(it.Title), w-cell.Width(head)))
	}
	return lines
}

// designationLines is the designation timeline of a firm: every listing,
// removed ones included, oldest first.
func (m Model) designationLines(f store.Firm, w int) []string {
	t := m.Theme
	if len(f.Designations) == 0 {
		var lines []string
		for _, l := range m.noneFoundLines(f) {
			lines = append(lines, "  "+t.Dim.Render(l))
		}
		return lines
	}
	ds := slices.Clone(f.Designations)
	slices.SortStableFunc(ds, func(a, b store.Designation) int { return strings.Compare(a.Added, b.Added) })
	var lines []string
	const indent = "         "
	for _, d := range ds {
		bs := badge.For([]store.Designation{d}, m.codes)
		code := t.Dim.Render(cell.Fit(m.codes.Code(d.List), 6))
		if len(bs) == 1 {
			code = badge.Style(*t, bs[0])(cell.Fit(bs[0].Text(), 6))
		}
		lines = append(lines, "  "+code+" "+cell.Truncate(m.listName(d.List), w-9))
		var when []string
		if d.Added != "" {
			when = append(when, "added "+cell.Line(d.Added))
		}
		if d.Removed != "" {
			when = append(when, "removed "+cell.Line(d.Removed))
		}
		if c := cell.Line(d.Citation); c != "" {
			when = append(when, c)
		}
		switch {
		case d.Status == store.StatusContested:
			when = append(when, "contested")
		case d.Status != store.StatusConfirmed && d.Status != "":
			when = append(when, cell.Line(string(d.Status)))
		}
		if d.Affiliate {
			when = append(when, "affiliate listing")
		}
		if len(when) > 0 {
			lines = append(lines, m.wrapped(indent, strings.Join(when, " · "), w, t.Dim, lipgloss.NewStyle())...)
		}
		if p := cell.Line(d.Program); p != "" {
			lines = append(lines, m.wrapped(indent, p, w, t.Dim, t.Dim)...)
		}
		for src := range strings.SplitSeq(d.Source, ";") {
			if src = cell.Line(src); src != "" {
				lines = append(lines, m.wrapped(indent+"source ", src, w, t.Dim, t.Link)...)
			}
		}
		if p := cell.Line(d.Provenance); p != "" {
			lines = append(lines, m.wrapped(indent+"from ", p, w, t.Dim, t.Dim)...)
		}
		if n := cell.Line(d.Note); n != "" {
			lines = append(lines, m.wrapped(indent, n, w, t.Dim, t.Dim)...)
		}
	}
	return lines
}

func (m Model) allianceLines(w int) []string {
	t := m.Theme
	if m.shown.Alliance == "" {
		return m.overviewLines(w)
	}
	a, ok := m.alliances[m.shown.Alliance]
	if !ok {
		return []string{t.Dim.Render("loading…")}
	}
	var lines []string
	lines = append(lines, m.titleLines(cell.Line(a.Name), w)...)
	if zh := cell.Line(a.NameZH); zh != "" {
		lines = append(lines, cell.Truncate(zh, w))
	}
	if st := cell.Line(a.NameStatus); st != "" {
		lines = append(lines, t.Dim.Render(cell.Truncate("("+st+")", w)))
	}
	lines = append(lines, "")
	for _, f := range []struct{ label, value string }{
		{"Launched: ", joinNonEmpty(" — ", cell.Line(a.Launched), cell.Line(a.LaunchNote))},
		{"Venue: ", cell.Line(a.Venue)},
		{"Convener: ", cell.Line(a.Convener)},
	} {
		if f.value != "" {
			lines = append(lines, m.wrapped(f.label, f.value, w, t.Label, lipgloss.NewStyle())...)
		}
	}
	if m.shown.Counts.Total > 0 {
		lines = append(lines, m.trendLine(m.shown.Counts, w))
	}
	members := a.Members
	heading := "Members (" + strconv.Itoa(len(a.Members)) + ")"
	if m.counts != nil {
		// Busiest first: items in the trend's weeks, then in all.
		members = slices.Clone(a.Members)
		slices.SortStableFunc(members, func(x, y store.Membership) int {
			cx, cy := m.counts[x.Firm], m.counts[y.Firm]
			if d := cy.Trend.Sum() - cx.Trend.Sum(); d != 0 {
				return d
			}
			return cy.Total - cx.Total
		})
		heading = "Members (" + strconv.Itoa(len(a.Members)) + ", busiest first)"
	}
	lines = append(lines, "", t.Heading.Render(heading))
	nameW := 0
	for _, ms := range members {
		nameW = max(nameW, cell.Width(m.firmName(ms.Firm)))
	}
	nameW = min(nameW, w/2)
	// The members' trends, when the line has room for them and a
	// designation summary.
	spark := m.counts != nil && w-nameW-3 >= store.TrendWeeks+6+12
	for _, ms := range members {
		line := "  " + cell.Fit(m.firmName(ms.Firm), nameW) + " "
		rest := w - nameW - 3
		if spark {
			tr := m.counts[ms.Firm].Trend
			line += t.Dim.Render(tr.Sparkline()) + cell.FitRight(strconv.Itoa(tr.Sum()), 5) + " "
			rest -= store.TrendWeeks + 6
		}
		line += m.designationSummary(ms.Firm, rest)
		if ms.Role != "" && ms.Role != "member" {
			line = cell.Truncate(line+t.Dim.Render(" ("+cell.Line(ms.Role)+")"), w)
		}
		lines = append(lines, line)
	}
	if note := cell.Line(a.MembersNote); note != "" {
		lines = append(lines, "")
		lines = append(lines, m.wrapped("", note, w, t.Dim, t.Dim)...)
	}
	if len(a.Events) > 0 {
		lines = append(lines, "", t.Heading.Render("Joins and leaves"))
		lines = append(lines, m.membershipEventLines(a.Events, w)...)
	}
	if a.Provenance == store.SourceUser {
		lines = append(lines, "")
		lines = append(lines, m.userSourceLines(a.Sources, w)...)
	} else if len(a.Sources) > 0 {
		lines = append(lines, "", t.Heading.Render("Sources"))
		for _, s := range a.Sources {
			lines = append(lines, m.wrapped("  ", cell.Line(s), w, t.Dim, t.Link)...)
		}
	}
	return lines
}

// trendLine is a card's line of items per week over the trend's weeks.
func (m Model) trendLine(c store.Counts, w int) string {
	t := m.Theme
	return t.Label.Render("Items: ") + c.Trend.Sparkline() + t.Dim.Render(cell.Truncate(
		" "+strconv.Itoa(c.Trend.Sum())+" in 12 weeks · "+strconv.Itoa(c.Total)+" in all", max(w-7-store.TrendWeeks, 0)))
}

// userSourceLines says that the user added a card's facts, and their
// sources, or that they have none.
func (m Model) userSourceLines(sources []string, w int) []string {
	t := m.Theme
	var lines []string
	for _, s := range sources {
		if s = cell.Line(s); s != "" {
			lines = append(lines, m.wrapped("Source: ", s, w, t.Label, t.Link)...)
		}
	}
	if len(lines) == 0 {
		lines = append(lines, m.wrapped("Source: ", "unsourced", w, t.Label, t.Dim)...)
	}
	return append(lines, t.Dim.Render(cell.Truncate("Added by you.", w)))
}

// membershipEventLines is an alliance's timeline of joins and leaves,
// oldest first, as the firm card's history shows designation changes:
// the date the user gave, else the day it was recorded.
func (m Model) membershipEventLines(evs []store.MembershipEvent, w int) []string {
	t := m.Theme
	var lines []string
	for _, e := range evs {
		date := cell.Line(e.Date)
		if date == "" {
			date = m.date(e.At, "2006-01-02")
		}
		head := "  " + cell.Fit(date, 10) + "  " + cell.Fit(cell.Line(e.Action), 6) + " "
		lines = append(lines, m.wrapped(head, m.firmName(e.Firm), w, t.Dim, lipgloss.NewStyle())...)
		src := cell.Line(e.Source)
		if src == "" {
			src = "unsourced"
		}
		lines = append(lines, m.wrapped("              source ", src, w, t.Dim, t.Dim)...)
	}
	return lines
}

// overviewLines is the card of the "All firms" row.
func (m Model) overviewLines(w int) []string {
	t := m.Theme
	c := m.shown.Counts
	lines := []string{
		t.ItemTitle.Render("All firms"),
		t.Dim.Render(cell.Truncate(strconv.Itoa(len(m.firms))+" firms · "+strconv.Itoa(c.Total)+" items · "+
			strconv.Itoa(c.Unread)+" unread", w)),
		"",
		t.Heading.Render("Alliances"),
	}
	as := make([]store.Alliance, 0, len(m.alliances))
	for _, a := range m.alliances {
		as = append(as, a)
	}
	slices.SortFunc(as, func(a, b store.Alliance) int { return strings.Compare(a.ID, b.ID) })
	for _, a := range as {
		lines = append(lines, m.wrapped("  ", cell.Line(a.Name)+" — "+strconv.Itoa(len(a.Members))+" firms", w,
			lipgloss.NewStyle(), lipgloss.NewStyle())...)
	}
	lines = append(lines, "")
	lines = append(lines, m.wrapped("", "Pick an alliance or a firm to narrow the news. "+
		"Press / to filter, ? for all keys.", w, t.Dim, t.Dim)...)
	return lines
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
