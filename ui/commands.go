package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/pane"
	"github.com/aiwatch/aiwatch/ui/reader"
)

// checkDataVersion reads the store's data version. A check started by
// the poll's timer (tick) schedules the next one; a check started by a
// change signal does not.
func checkDataVersion(src Source, tick bool) tea.Cmd {
	return func() tea.Msg {
		v, err := src.DataVersion(context.Background())
		if err != nil {
			err = fmt.Errorf("ui: unable to check for changes: %w", err)
		}
		return versionMsg{version: v, err: err, tick: tick}
	}
}

// waitChange waits for the next change signal.
func waitChange(ch <-chan struct{}) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		if _, ok := <-ch; !ok {
			return nil // the signal is gone; the poll's timer goes on
		}
		return changeMsg{}
	}
}

// dataChanged runs Config.DataChanged, and reports only its error.
func dataChanged(fn func(context.Context) error) tea.Cmd {
	return func() tea.Msg {
		if err := fn(context.Background()); err != nil {
			return statusMsg(errorStatus(fmt.Errorf("ui: unable to read the store's names again: %w", err)))
		}
		return nil
	}
}

// unseenMsg carries how many designation changes the user has not seen.
type unseenMsg struct {
	n   int
	err error
}

// countUnseenChanges counts the designation events since the user last
// looked at "what changed", for a hint on the status line.
func countUnseenChanges(src Source) tea.Cmd {
	return func() tea.Msg {
		ctx := context.Background()
		seen, err := src.ChangesSeen(ctx)
		if err != nil {
			return unseenMsg{err: fmt.Errorf("ui: unable to read when changes were last seen: %w", err)}
		}
		evs, err := src.DesignationEvents(ctx, "", seen)
		if err != nil {
			return unseenMsg{err: fmt.Errorf("ui: unable to count designation changes: %w", err)}
		}
		return unseenMsg{n: len(evs)}
	}
}

// refreshState is a background fetch of all feeds.
type refreshState struct {
	running    bool
	progress   RefreshProgress
	progressCh chan RefreshProgress
	done       chan refreshDoneMsg
	cancel     context.CancelFunc
}

// refreshProgressMsg reports how far the fetch has got.
type refreshProgressMsg struct{ progress RefreshProgress }

// refreshDoneMsg reports the end of the fetch.
type refreshDoneMsg struct {
	progress RefreshProgress
	err      error
}

// startRefresh starts fetching all feeds in the background.
func (m *Model) startRefresh() tea.Cmd {
	switch {
	case m.cfg.Refresher == nil:
		m.status = noteStatus("refresh is unavailable here")
		return nil
	case m.refresh.running:
		m.status = noteStatus("already fetching")
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.refresh = refreshState{
		running:    true,
		progressCh: make(chan RefreshProgress, 16),
		done:       make(chan refreshDoneMsg, 1),
		cancel:     cancel,
	}
	return tea.Batch(
		fetchFeeds(ctx, m.cfg.Refresher, m.refresh.progressCh, m.refresh.done),
		waitRefresh(m.refresh.progressCh, m.refresh.done),
	)
}

// fetchFeeds runs the refresh; progress goes to the progress channel
// (dropped when the dashboard is behind, since only the latest matters),
// and the result to done.
func fetchFeeds(ctx context.Context, r Refresher, progress chan RefreshProgress, done chan refreshDoneMsg) tea.Cmd {
	return func() tea.Msg {
		p, err := r.Refresh(ctx, func(p RefreshProgress) {
			select {
			case progress <- p:
			default:
			}
		})
		if err != nil {
			err = fmt.Errorf("ui: unable to fetch feeds: %w", err)
		}
		done <- refreshDoneMsg{progress: p, err: err}
		return nil
	}
}

// waitRefresh waits for the next progress report or the end of the fetch;
// it is re-armed after each report.
func waitRefresh(progress chan RefreshProgress, done chan refreshDoneMsg) tea.Cmd {
	return func() tea.Msg {
		select {
		case p := <-progress:
			return refreshProgressMsg{progress: p}
		case d := <-done:
			return d
		}
	}
}

// refreshed reports the end of a fetch and shows what it brought without
// moving any cursor.
func (m *Model) refreshed(msg refreshDoneMsg) tea.Cmd {
	m.refresh.running = false
	m.refresh.cancel()
	p := msg.progress
	if msg.err != nil && !errors.Is(msg.err, context.Canceled) {
		m.status = errorStatus(msg.err)
	} else {
		txt := "fetched " + strconv.Itoa(p.Done) + " feeds · " + strconv.Itoa(p.NewItems) + " new"
		if p.Failed > 0 {
			txt += " · " + strconv.Itoa(p.Failed) + " failed (f)"
		}
		m.status = noteStatus(txt)
	}
	return tea.Batch(m.reloadAll(), checkDataVersion(m.cfg.Source, false))
}

// confirmation is a yes/no question on the status line.
type confirmation struct {
	prompt string
	filter store.Filter
}

// markedAllMsg reports a "mark all read".
type markedAllMsg struct {
	n       int
	version int64
	err     error
}

// askMarkAll asks before marking every item in the news pane read.
func (m Model) askMarkAll() (Model, tea.Cmd) {
	c := m.items.Counts()
	if c.Unread == 0 {
		m.status = noteStatus("nothing unread here")
		return m, nil
	}
	noun := "items"
	if c.Unread == 1 {
		noun = "item"
	}
	m.confirm = &confirmation{
		prompt: "Mark " + pane.Count(c.Unread, c.More) + " " + noun + " in this view read?",
		filter: m.items.Filter(),
	}
	return m, nil
}

func (m Model) handleConfirm(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Confirm):
		f := m.confirm.filter
		m.confirm = nil
		return m, markAllRead(m.cfg.Source, f)
	case key.Matches(msg, m.keys.Cancel):
		m.confirm = nil
		m.status = noteStatus("nothing marked")
	}
	return m, nil
}

// markAllRead marks every item that matches f read.
func markAllRead(src Source, f store.Filter) tea.Cmd {
	return func() tea.Msg {
		ctx := context.Background()
		n, err := src.MarkAllRead(ctx, f)
		if err != nil {
			return markedAllMsg{err: fmt.Errorf("ui: unable to mark items read: %w", err)}
		}
		v, _ := src.DataVersion(ctx)
		return markedAllMsg{n: n, version: v}
	}
}

func (m *Model) markedAll(msg markedAllMsg) tea.Cmd {
	if msg.err != nil {
		m.status = errorStatus(msg.err)
		return nil
	}
	if msg.version != 0 {
		m.version = msg.version
	}
	m.status = noteStatus("marked " + strconv.Itoa(msg.n) + " read")
	var cmd tea.Cmd
	m.items, cmd = m.items.Reload()
	return tea.Batch(cmd, m.reloadCounts())
}

// link returns the link of the item being read, or of the selected item.
func (m Model) link() (string, bool) {
	it, ok := m.reader.Item()
	if !ok || m.focus != paneReader {
		it, ok = m.items.Selected()
	}
	if !ok || it.URL == "" {
		return "", false
	}
	return it.URL, true
}

// webURL reports whether s is an absolute http or https URL without
// userinfo: the only links the dashboard opens or copies. A name before
// an "@" ("https://bank.com:x@evil.example/") is a phishing shape.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil &&
		!strings.ContainsAny(s, " \t\r\n\x1b")
}

// openLink opens the item's link with Config.OpenURL.
func (m *Model) openLink() tea.Cmd {
	u, ok := m.link()
	switch {
	case !ok:
		m.status = noteStatus("no link")
		return nil
	case !webURL(u):
		m.status = noteStatus("not a web link; not opened")
		return nil
	}
	m.status = noteStatus("opening link…")
	open := m.cfg.OpenURL
	return func() tea.Msg {
		if err := open(u); err != nil {
			return statusMsg(errorStatus(fmt.Errorf("ui: unable to open link: %w", err)))
		}
		return statusMsg(noteStatus("opened in browser"))
	}
}

// article brings the whole article of the item in the reader (b), from
// the news or the reader, and moves to the reader to read it.
func (m Model) article() (Model, tea.Cmd) {
	if m.cfg.Articles == nil {
		m.status = noteStatus("articles are unavailable here")
		return m, nil
	}
	if m.focus != paneItems && m.focus != paneReader {
		m.status = noteStatus("select a news item to read its article (3)")
		return m, nil
	}
	if m.reader.Mode() != reader.ModeItem {
		m.status = noteStatus("no item in the reader")
		return m, nil
	}
	cmd := m.setFocus(paneReader)
	var load tea.Cmd
	m.reader, load = m.reader.LoadArticle(m.cfg.Articles)
	return m, tea.Batch(cmd, load)
}

// copyLink copies the item's link to the clipboard through the terminal
// (OSC 52), which also works over SSH.
func (m Model) copyLink() (Model, tea.Cmd) {
	u, ok := m.link()
	switch {
	case !ok:
		m.status = noteStatus("no link")
		return m, nil
	case !webURL(u):
		m.status = noteStatus("not a web link; not copied")
		return m, nil
	}
	m.status = noteStatus("link copied")
	return m, tea.SetClipboard(u)
}

// openInBrowser opens an http(s) URL with $BROWSER or xdg-open, without a
// shell, and does not wait for the browser.
func openInBrowser(u string) error {
	if !webURL(u) {
		return errors.New("ui: refusing to open a link that is not http(s)")
	}
	name, args := "xdg-open", []string{u}
	if b := os.Getenv("BROWSER"); b != "" {
		// $BROWSER may list several commands separated by colons; each may
		// carry arguments. Take the first.
		fields := strings.Fields(strings.Split(b, ":")[0])
		if len(fields) > 0 {
			name, args = fields[0], append(fields[1:], u)
		}
	}
	cmd := exec.Command(name, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("ui: unable to start %s: %w", name, err)
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
