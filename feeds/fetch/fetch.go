// Package fetch is aiwatch's one HTTP client. Every request has a total
// timeout, a cap on the decompressed body, a redirect limit and an
// http(s)-only rule; it sends conditional GETs, reads Retry-After, and
// limits how many requests run at once against one host.
package fetch

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Defaults for the zero Options.
const (
	DefaultTimeout        = 20 * time.Second
	DefaultConnectTimeout = 5 * time.Second
	DefaultMaxBody        = 16 << 20 // 16 MiB: a 20,000-item feed of 15 MB fits
	DefaultMaxRedirects   = 5
	DefaultPerHost        = 2
	// MaxRetryAfter bounds a server's Retry-After, so a hostile or broken
	// server cannot stop a feed from ever being checked again.
	MaxRetryAfter = 7 * 24 * time.Hour
)

// Sentinel errors that callers branch on. Fetch wraps them with detail,
// so compare with errors.Is.
var (
	// ErrTooLarge means the body, after decompression, exceeded MaxBody.
	ErrTooLarge = errors.New("body too large")
	// ErrTooManyRedirects means the redirect limit was reached or a
	// redirect loop was found.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrScheme means the URL, or a redirect, is not http or https.
	ErrScheme = errors.New("unsupported URL scheme")
	// ErrTimeout means the request did not finish within its timeout.
	ErrTimeout = errors.New("timeout")
)

// Options configure a Client. Zero fields take the defaults above.
type Options struct {
	Timeout        time.Duration // whole request, body included
	ConnectTimeout time.Duration // TCP connect; the TLS handshake gets twice this
	MaxBody        int64         // bytes after decompression
	MaxRedirects   int
	PerHost        int    // requests in flight per host
	Version        string // aiwatch version for the default User-Agent "aiwatch/<Version>"
	UserAgent      string // replaces the default User-Agent when set
	// Transport replaces the default transport (tests). The connect and
	// TLS timeouts apply only to the default one.
	Transport http.RoundTripper
}

// Request is one fetch. ETag and LastModified are the validators saved
// from the last response; when set, the request is conditional.
type Request struct {
	URL          string
	ETag         string
	LastModified string
	UserAgent    string // overrides the client's User-Agent when set
	// Progress, when set, is called as the body arrives with the bytes
	// read so far (after decompression) and the body's length, or -1
	// when the server does not say it or the body is compressed.
	Progress func(read, total int64)
	// MaxBody and Timeout override the client's for this request when
	// positive (per-feed settings).
	MaxBody int64
	Timeout time.Duration
	// Method is GET when empty. A POST sends Body with ContentType (an
	// alert webhook); its answer is read like any other, under the caps.
	Method      string
	Body        []byte
	ContentType string
}

// Response is a successful fetch: a 2xx with its body, or a 304.
type Response struct {
	URL          string // final URL, after redirects
	Status       int
	NotModified  bool // 304: Body is empty, keep what you have
	Body         []byte
	ContentType  string
	ETag         string // the new validators, or the request's on a 304 that sends none
	LastModified string
	Header       http.Header
	Elapsed      time.Duration
}

// StatusError is the error for a response that is neither 2xx nor 304.
type StatusError struct {
	Code int
	// RetryAfter is the server's Retry-After for 429 and 503, zero when
	// absent or for other codes.
	RetryAfter time.Duration
}

// Error says e.g. "HTTP 503 Service Unavailable (retry after 2m0s)".
func (e *StatusError) Error() string {
	msg := "HTTP " + strconv.Itoa(e.Code)
	if text := http.StatusText(e.Code); text != "" {
		msg += " " + text
	}
	if e.RetryAfter > 0 {
		msg += " (retry after " + e.RetryAfter.String() + ")"
	}
	return msg
}

// Client fetches URLs. It is safe for concurrent use.
type Client struct {
	http         *http.Client
	timeout      time.Duration
	maxBody      int64
	maxRedirects int
	perHost      int
	userAgent    string

	mu    sync.Mutex
	hosts map[string]*hostSlots
}

// hostSlots is the semaphore of one host; users counts holders and
// waiters so the entry can be dropped when nobody needs it.
type hostSlots struct {
	ch    chan struct{}
	users int
}

// New returns a Client configured by o.
func New(o Options) *Client {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.PerHost <= 0 {
		o.PerHost = DefaultPerHost
	}
	if o.UserAgent == "" {
		v := o.Version
		if v == "" {
			v = "dev"
		}
		o.UserAgent = "aiwatch/" + v
	}
	tr := o.Transport
	if tr == nil {
		tr = &http.Transport{
			Proxy: http.ProxyFromEnvironment,
			DialContext: (&net.Dialer{
				Timeout:   o.ConnectTimeout,
				KeepAlive: 30 * time.Second,
			}).DialContext,
			TLSHandshakeTimeout:   2 * o.ConnectTimeout,
			ResponseHeaderTimeout: o.Timeout,
			ExpectContinueTimeout: time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConns:          64,
			MaxIdleConnsPerHost:   o.PerHost,
			ForceAttemptHTTP2:     true,
			// Bodies are decompressed here, under the size cap, and deflate
			// is accepted too.
			DisableCompression: true,
		}
	}
	c := &Client{
		timeout:      o.Timeout,
		maxBody:      o.MaxBody,
		maxRedirects: o.MaxRedirects,
		perHost:      o.PerHost,
		userAgent:    o.UserAgent,
		hosts:        make(map[string]*hostSlots),
	}
	c.http = &http.Client{Transport: tr, CheckRedirect: c.checkRedirect}
	return c
}

// Fetch gets r.URL. It returns a *StatusError for a status other than 2xx
// or 304, and errors wrapping ErrScheme, ErrTooManyRedirects, ErrTooLarge
// or ErrTimeout. Waiting for a free per-host slot does not count toward the
// timeout; ctx bounds both.
func (c *Client) Fetch(ctx context.Context, r Request) (*Response, error) {
	u, err := checkURL(r.URL)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	release, err := c.acquire(ctx, strings.ToLower(u.Host))
	if err != nil {
		return nil, fmt.Errorf("fetch: unable to wait for %s: %w", u.Host, err)
	}
	defer release()

	start := time.Now()
	timeout := c.timeout
	if r.Timeout > 0 {
		timeout = r.Timeout
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, err := c.do(tctx, u, r)
	if err != nil {
		return nil, c.describe(ctx, tctx, err, timeout)
	}
	resp.Elapsed = time.Since(start)
	return resp, nil
}

func (c *Client) do(ctx context.Context, u *url.URL, r Request) (*Response, error) {
	method := cmp.Or(r.Method, http.MethodGet)
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, err
	}
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	ua := c.userAgent
	if r.UserAgent != "" {
		ua = r.UserAgent
	}
	req.Header.Set("User-Agent", ua)
	if method == http.MethodGet {
		req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5")
	} else {
		req.Header.Set("Accept", "*/*")
	}
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}

	hr, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer hr.Body.Close()

	resp := &Response{
		URL:          hr.Request.URL.String(),
		Status:       hr.StatusCode,
		ContentType:  hr.Header.Get("Content-Type"),
		ETag:         hr.Header.Get("ETag"),
		LastModified: hr.Header.Get("Last-Modified"),
		Header:       hr.Header,
	}
	switch {
	case hr.StatusCode == http.StatusNotModified:
		resp.NotModified = true
		if resp.ETag == "" {
			resp.ETag = r.ETag
		}
		if resp.LastModified == "" {
			resp.LastModified = r.LastModified
		}
		return resp, nil
	case hr.StatusCode < 200 || hr.StatusCode > 299:
		serr := &StatusError{Code: hr.StatusCode}
		if hr.StatusCode == http.StatusTooManyRequests || hr.StatusCode == http.StatusServiceUnavailable {
			serr.RetryAfter = RetryAfter(hr.Header.Get("Retry-After"), time.Now())
		}
		return nil, serr
	}
	maxBody := c.maxBody
	if r.MaxBody > 0 {
		maxBody = r.MaxBody
	}
	if hr.ContentLength > maxBody && !encoded(hr.Header) {
		return nil, tooLarge(maxBody)
	}
	resp.Body, err = readBody(hr, maxBody, r.Progress)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func encoded(h http.Header) bool {
	e := strings.TrimSpace(h.Get("Content-Encoding"))
	return e != "" && !strings.EqualFold(e, "identity")
}

// readBody reads and decompresses the body, stopping one byte past the cap
// so that a decompression bomb costs at most MaxBody bytes of memory.
func readBody(hr *http.Response, maxBody int64, progress func(read, total int64)) ([]byte, error) {
	var body io.Reader = hr.Body
	switch enc := strings.ToLower(strings.TrimSpace(hr.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(hr.Body)
		if err != nil {
			return nil, fmt.Errorf("unable to read gzip body: %w", err)
		}
		defer zr.Close()
		body = zr
	case "deflate":
		// "deflate" should be zlib-wrapped, but some servers send raw
		// DEFLATE: look at the header to tell.
		br := bufio.NewReader(hr.Body)
		if h, err := br.Peek(2); err == nil && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, fmt.Errorf("unable to read deflate body: %w", err)
			}
			defer zr.Close()
			body = zr
		} else {
			fr := flate.NewReader(br)
			defer fr.Close()
			body = fr
		}
	default:
		return nil, fmt.Errorf("unsupported content encoding %q", enc)
	}

	limit := maxBody + 1
	size := min(int64(4096), limit)
	if hr.ContentLength > 0 && !encoded(hr.Header) {
		size = min(hr.ContentLength+1, limit)
	}
	total := int64(-1)
	if hr.ContentLength >= 0 && !encoded(hr.Header) {
		total = hr.ContentLength
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			// Grow by doubling, but never past the cap plus the one byte
			// that proves the body is too large.
			grown := make([]byte, len(buf), min(2*int64(cap(buf)), limit))
			copy(grown, buf)
			buf = grown
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > maxBody {
			return nil, tooLarge(maxBody)
		}
		if progress != nil && n > 0 {
			progress(int64(len(buf)), total)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, fmt.Errorf("unable to read body: %w", err)
		}
	}
}

func tooLarge(maxBody int64) error {
	return &sentinelError{ErrTooLarge, "body larger than " + formatBytes(maxBody)}
}

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if _, err := checkURL(req.URL.String()); err != nil {
		return err
	}
	target := req.URL.String()
	for _, prev := range via {
		if prev.URL.String() == target {
			return &sentinelError{ErrTooManyRedirects, "redirect loop at " + target}
		}
	}
	if len(via) > c.maxRedirects {
		return &sentinelError{ErrTooManyRedirects, fmt.Sprintf("too many redirects (%d)", c.maxRedirects)}
	}
	return nil
}

// describe turns a transport error into a short message: the parent's
// cancellation stays itself, an expired deadline or a network timeout
// becomes ErrTimeout, and url.Error's "Get <url>:" prefix goes.
func (c *Client) describe(parent, ctx context.Context, err error, timeout time.Duration) error {
	var serr *StatusError
	if errors.As(err, &serr) {
		return fmt.Errorf("fetch: %w", serr)
	}
	if perr := parent.Err(); perr != nil {
		return fmt.Errorf("fetch: %w", perr)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("fetch: %w", &sentinelError{ErrTimeout, "timeout after " + timeout.String()})
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	// A connect or TLS handshake timeout, shorter than the request's.
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return fmt.Errorf("fetch: %w", &sentinelError{ErrTimeout, "timeout: " + err.Error()})
	}
	for _, s := range []error{ErrScheme, ErrTooManyRedirects, ErrTooLarge} {
		if errors.Is(err, s) {
			return fmt.Errorf("fetch: %w", err)
		}
	}
	// Say what a person can act on; the cause stays wrapped for logs.
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fmt.Errorf("fetch: cannot find host %s (offline, or a wrong address?): %w", dnsErr.Name, err)
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("fetch: the server refused the connection: %w", err)
	}
	return fmt.Errorf("fetch: unable to get page: %w", err)
}

// acquire takes one of the host's slots, waiting while PerHost requests
// are in flight, and returns the function that gives it back.
func (c *Client) acquire(ctx context.Context, host string) (func(), error) {
	c.mu.Lock()
	s := c.hosts[host]
	if s == nil {
		s = &hostSlots{ch: make(chan struct{}, c.perHost)}
		c.hosts[host] = s
	}
	s.users++
	c.mu.Unlock()

	leave := func() {
		c.mu.Lock()
		s.users--
		if s.users == 0 {
			delete(c.hosts, host)
		}
		c.mu.Unlock()
	}
	select {
	case s.ch <- struct{}{}:
		return func() { <-s.ch; leave() }, nil
	case <-ctx.Done():
		leave()
		return nil, ctx.Err()
	}
}

// checkURL parses raw and accepts only absolute http and https URLs.
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("unable to parse URL: %w", err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return nil, &sentinelError{ErrScheme, fmt.Sprintf("unsupported URL scheme %q (only http and https)", u.Scheme)}
	}
	if u.Host == "" {
		return nil, fmt.Errorf("URL %q has no host", raw)
	}
	return u, nil
}

// RetryAfter reads a Retry-After value, either delay-seconds or an HTTP
// date, as a duration from now. It returns zero for an absent, malformed
// or past value and bounds the result by MaxRetryAfter.
func RetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now).Round(time.Second)
	}
	return min(max(d, 0), MaxRetryAfter)
}

// sentinelError carries a short message for the user while matching its
// sentinel with errors.Is.
type sentinelError struct {
	sentinel error
	msg      string
}

func (e *sentinelError) Error() string { return e.msg }
func (e *sentinelError) Unwrap() error { return e.sentinel }

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
