package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/store"
)

// Delivery of alerts after a fetch: a desktop notification, a command,
// a webhook. Each channel takes the alerts it has not taken yet (the store
// remembers per alert), so a failure is tried again at the next fetch and
// a success is never repeated. Nothing here fails a fetch.

// Delivery channels, as the store records them.
const (
	channelNotify  = "notify"
	channelCommand = "command"
	channelWebhook = "webhook"
)

const (
	// deliverWindow is how old an alert may be and still be delivered:
	// a channel configured today does not replay last year's.
	deliverWindow = 7 * 24 * time.Hour
	// deliverMax is the most alerts one delivery carries.
	deliverMax = 100
	// commandTimeout bounds alerts.command and notify-send.
	commandTimeout = 30 * time.Second
	// webhookRetryWait is the pause before the one retry of a webhook.
	webhookRetryWait = 2 * time.Second
)

// afterFetch checks for alerts, reports them in one line to out, and
// delivers them. Problems are reported to out and never returned: a
// fetch stands whatever happens here. It returns how many alerts are new.
func (a *app) afterFetch(out io.Writer) int {
	if a.ctx.Err() != nil {
		return 0 // interrupted: the next fetch checks what this one saved
	}
	note := func(msg string) { fmt.Fprintf(out, "alerts: %s\n", msg) }
	added, err := a.checkAlerts(note)
	if err != nil {
		note("unable to check for alerts: " + oneLine(err.Error()))
		return 0
	}
	if len(added) > 0 {
		fmt.Fprintf(out, "%s (aiwatch alerts)\n", plural(len(added), "new alert", "new alerts"))
	}
	a.deliver(note)
	return len(added)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// deliver sends each configured channel the alerts it has not taken.
func (a *app) deliver(note func(string)) {
	if a.ctx.Err() != nil || a.db == nil {
		return
	}
	c := a.cfg.Alerts
	type channel struct {
		name string
		send func([]store.Alert) error
	}
	var chans []channel
	if c.Notify == "auto" && a.lookPath != nil {
		if path, err := a.lookPath("notify-send"); err == nil {
			chans = append(chans, channel{channelNotify, func(as []store.Alert) error { return a.notify(path, as) }})
		}
	}
	if len(c.Command) > 0 {
		chans = append(chans, channel{channelCommand, a.runAlertCommand})
	}
	if c.Webhook != "" {
		chans = append(chans, channel{channelWebhook, a.postWebhook})
	}
	since := a.now().Add(-deliverWindow)
	for _, ch := range chans {
		as, err := a.db.PendingAlerts(a.ctx, ch.name, since, deliverMax)
		if err != nil {
			note(fmt.Sprintf("unable to read the alerts for %s: %s", ch.name, oneLine(err.Error())))
			continue
		}
		if len(as) == 0 {
			continue
		}
		if err := ch.send(as); err != nil {
			note(fmt.Sprintf("%s delivery of %s failed: %s; it is tried again at the next fetch",
				ch.name, plural(len(as), "alert", "alerts"), oneLine(err.Error())))
			continue
		}
		ids := make([]int64, len(as))
		for i, al := range as {
			ids[i] = al.ID
		}
		if err := a.db.MarkDelivered(a.ctx, ch.name, ids); err != nil {
			note(fmt.Sprintf("delivered by %s, but unable to record it: %s", ch.name, oneLine(err.Error())))
		}
	}
}

// notifyText is the notification's summary and body: cleaned of control
// characters and markup, each line cut short.
func notifyText(as []store.Alert) (summary, body string) {
	summary = "aiwatch: " + plural(len(as), "new alert", "new alerts")
	var lines []string
	for i, al := range as {
		if i == 5 {
			lines = append(lines, fmt.Sprintf("… and %d more", len(as)-5))
			break
		}
		line := al.Title
		if al.Firm != "" && al.Kind == store.AlertItem {
			line = al.Firm + ": " + line
		}
		lines = append(lines, "• "+truncateCells(store.CleanLine(line, 300), 90))
	}
	// Notification servers read a little HTML in the body.
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	return summary, esc.Replace(strings.Join(lines, "\n"))
}

// notify shows the alerts through notify-send, run directly (no shell).
func (a *app) notify(path string, as []store.Alert) error {
	summary, body := notifyText(as)
	ctx, cancel := context.WithTimeout(a.ctx, commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "--app-name=aiwatch", "--", summary, body)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("notify-send: %w%s", err, outputTail(out))
	}
	return nil
}

// runAlertCommand runs alerts.command, without a shell, with the alerts
// as JSON on its standard input.
func (a *app) runAlertCommand(as []store.Alert) error {
	b, err := json.Marshal(alertsJSON(as))
	if err != nil {
		return err
	}
	argv := a.cfg.Alerts.Command
	ctx, cancel := context.WithTimeout(a.ctx, commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.CombinedOutput()
	if ctx.Err() == context.DeadlineExceeded {
		return fmt.Errorf("%s did not finish within %s", argv[0], commandTimeout)
	}
	if err != nil {
		return fmt.Errorf("%s: %w%s", argv[0], err, outputTail(out))
	}
	return nil
}

// outputTail is the end of a command's output, for its error.
func outputTail(out []byte) string {
	s := strings.TrimSpace(store.CleanLine(string(out), 2000))
	if s == "" {
		return ""
	}
	if len(s) > 200 {
		s = "…" + s[len(s)-200:]
	}
	return " (" + s + ")"
}

// postWebhook POSTs the alerts as JSON through the one HTTP client, and
// tries once more after a pause when the first attempt fails.
func (a *app) postWebhook(as []store.Alert) error {
	b, err := json.Marshal(alertsJSON(as))
	if err != nil {
		return err
	}
	c := a.httpClient(max(a.cfg.Feeds.Timeout, time.Second))
	req := fetch.Request{URL: a.cfg.Alerts.Webhook, Method: http.MethodPost, Body: b, ContentType: "application/json", MaxBody: 64 << 10}
	_, err = c.Fetch(a.ctx, req)
	if err == nil {
		return nil
	}
	var se *fetch.StatusError
	if errors.As(err, &se) && se.Code >= 400 && se.Code < 500 && se.Code != http.StatusTooManyRequests && se.Code != http.StatusRequestTimeout {
		return err // the server refused it: the same request will not fare better
	}
	select {
	case <-a.ctx.Done():
		return err
	case <-a.after(a.webhookWait()):
	}
	_, err2 := c.Fetch(a.ctx, req)
	if err2 != nil {
		return fmt.Errorf("%w (and again: %v)", err, err2)
	}
	return nil
}

// webhookWait is the pause before a webhook's retry; tests shorten it.
func (a *app) webhookWait() time.Duration {
	if a.retryWait > 0 {
		return a.retryWait
	}
	return webhookRetryWait
}
