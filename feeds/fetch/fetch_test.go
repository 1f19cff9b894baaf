package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestFetchBody(t *testing.T) {
	const payload = "<rss><channel><title>x</title></channel></rss>"
	tests := []struct {
		name     string
		encoding string
		encode   func(t *testing.T, b []byte) []byte
		chunked  bool
	}{
		{"identity", "", func(_ *testing.T, b []byte) []byte { return b }, false},
		{"identity chunked", "", func(_ *testing.T, b []byte) []byte { return b }, true},
		{"gzip", "gzip", gzipBytes, false},
		{"deflate zlib", "deflate", func(t *testing.T, b []byte) []byte {
			var buf bytes.Buffer
			w := zlib.NewWriter(&buf)
			w.Write(b)
			w.Close()
			return buf.Bytes()
		}, false},
		{"deflate raw", "deflate", func(t *testing.T, b []byte) []byte {
			var buf bytes.Buffer
			w, _ := flate.NewWriter(&buf, flate.BestSpeed)
			w.Write(b)
			w.Close()
			return buf.Bytes()
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.encode(t, []byte(payload))
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if got := r.Header.Get("Accept-Encoding"); !strings.Contains(got, "gzip") {
					t.Errorf("Accept-Encoding = %q", got)
				}
				w.Header().Set("Content-Type", "application/rss+xml")
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				if !tt.chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				}
				w.Write(body)
			}))
			defer srv.Close()
			resp, err := New(Options{}).Fetch(context.Background(), Request{URL: srv.URL + "/feed"})
			if err != nil {
				t.Fatal(err)
			}
			if string(resp.Body) != payload {
				t.Errorf("body = %q, want %q", resp.Body, payload)
			}
			if resp.Status != 200 || resp.NotModified || resp.ContentType != "application/rss+xml" || resp.URL != srv.URL+"/feed" {
				t.Errorf("response = %+v", resp)
			}
		})
	}
}

func TestFetchConditional(t *testing.T) {
	const etag, lastMod = `"v1"`, "Wed, 05 Mar 2025 10:00:00 GMT"
	var seen []http.Header
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		io.WriteString(w, "body")
	}))
	defer srv.Close()
	c := New(Options{})

	first, err := c.Fetch(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || string(first.Body) != "body" || first.ETag != etag || first.LastModified != lastMod {
		t.Fatalf("first = %+v", first)
	}
	second, err := c.Fetch(context.Background(), Request{URL: srv.URL, ETag: first.ETag, LastModified: first.LastModified})
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || second.Status != 304 || len(second.Body) != 0 {
		t.Errorf("second = %+v, want 304 with no body", second)
	}
	if second.ETag != etag || second.LastModified != lastMod {
		t.Errorf("validators after 304 = %q %q, want the request's", second.ETag, second.LastModified)
	}
	if len(seen) != 2 {
		t.Fatalf("server saw %d requests", len(seen))
	}
	if seen[0].Get("If-None-Match") != "" || seen[0].Get("If-Modified-Since") != "" {
		t.Errorf("first request was conditional: %v", seen[0])
	}
	if seen[1].Get("If-None-Match") != etag || seen[1].Get("If-Modified-Since") != lastMod {
		t.Errorf("second request validators = %q %q", seen[1].Get("If-None-Match"), seen[1].Get("If-Modified-Since"))
	}
}

func TestFetchStatusError(t *testing.T) {
	later := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name       string
		code       int
		retryAfter string
		wantRetry  time.Duration // exact unless slack is set
		slack      time.Duration
		wantMsg    string
	}{
		{"503 seconds", 503, "120", 2 * time.Minute, 0, "fetch: HTTP 503 Service Unavailable (retry after 2m0s)"},
		{"429 date", 429, later, time.Hour, 5 * time.Second, ""},
		{"429 garbage", 429, "soon", 0, 0, "fetch: HTTP 429 Too Many Requests"},
		{"503 huge", 503, "999999999999", MaxRetryAfter, 0, ""},
		{"404 ignores Retry-After", 404, "120", 0, 0, "fetch: HTTP 404 Not Found"},
		{"500", 500, "", 0, 0, "fetch: HTTP 500 Internal Server Error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.code)
			}))
			defer srv.Close()
			_, err := New(Options{}).Fetch(context.Background(), Request{URL: srv.URL})
			var serr *StatusError
			if !errors.As(err, &serr) {
				t.Fatalf("err = %v, want *StatusError", err)
			}
			if serr.Code != tt.code {
				t.Errorf("Code = %d, want %d", serr.Code, tt.code)
			}
			if d := serr.RetryAfter - tt.wantRetry; d < -tt.slack || d > tt.slack {
				t.Errorf("RetryAfter = %v, want %v ± %v", serr.RetryAfter, tt.wantRetry, tt.slack)
			}
			if tt.wantMsg != "" && err.Error() != tt.wantMsg {
				t.Errorf("message = %q, want %q", err.Error(), tt.wantMsg)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 6, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-5", 0},
		{"90", 90 * time.Second},
		{" 3600 ", time.Hour},
		{"Thu, 06 Mar 2025 12:30:00 GMT", 30 * time.Minute},
		{"Thursday, 06-Mar-25 13:00:00 GMT", time.Hour},
		{"Thu Mar  6 12:00:10 2025", 10 * time.Second},
		{"Wed, 05 Mar 2025 12:00:00 GMT", 0},
		{"Fri, 06 Mar 2099 12:00:00 GMT", MaxRetryAfter},
		{"1.5", 0},
		{"tomorrow", 0},
	}
	for _, tt := range tests {
		if got := RetryAfter(tt.in, now); got != tt.want {
			t.Errorf("RetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFetchRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n == 0 {
			io.WriteString(w, "arrived")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusMovedPermanently) })
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusMovedPermanently) })
	mux.HandleFunc("/self", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/self", http.StatusFound) })
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "file:///etc/passwd")
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/to-ftp", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "ftp://127.0.0.1/feed.xml")
		w.WriteHeader(http.StatusMovedPermanently)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tests := []struct {
		name    string
		path    string
		wantErr error
		wantMsg string
	}{
		{"five hops", "/hop/5", nil, ""},
		{"six hops", "/hop/6", ErrTooManyRedirects, "too many redirects (5)"},
		{"loop", "/a", ErrTooManyRedirects, "redirect loop"},
		{"self loop", "/self", ErrTooManyRedirects, "redirect loop"},
		{"to file", "/to-file", ErrScheme, `unsupported URL scheme "file"`},
		{"to ftp", "/to-ftp", ErrScheme, `unsupported URL scheme "ftp"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := New(Options{}).Fetch(context.Background(), Request{URL: srv.URL + tt.path})
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if string(resp.Body) != "arrived" || resp.URL != srv.URL+"/hop/0" {
					t.Errorf("resp = %q at %s", resp.Body, resp.URL)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("message %q does not say %q", err, tt.wantMsg)
			}
		})
	}
}

func TestFetchScheme(t *testing.T) {
	for _, raw := range []string{"ftp://example.com/feed", "file:///etc/passwd", "javascript:alert(1)", "data:text/xml,<rss/>", "gopher://x", "/relative/path", ""} {
		_, err := New(Options{}).Fetch(context.Background(), Request{URL: raw})
		if raw == "" || strings.HasPrefix(raw, "/") {
			if err == nil {
				t.Errorf("Fetch(%q) succeeded", raw)
			}
			continue
		}
		if !errors.Is(err, ErrScheme) {
			t.Errorf("Fetch(%q) err = %v, want ErrScheme", raw, err)
		}
	}
}

func TestFetchTooLarge(t *testing.T) {
	const max = 1 << 10
	tests := []struct {
		name    string
		size    int
		chunked bool
		wantErr bool
	}{
		{"at cap", max, false, false},
		{"over cap with length", max + 1, false, true},
		{"over cap chunked", 4 * max, true, true},
		{"at cap chunked", max, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body := bytes.Repeat([]byte("x"), tt.size)
				if !tt.chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				}
				w.Write(body)
			}))
			defer srv.Close()
			resp, err := New(Options{MaxBody: max}).Fetch(context.Background(), Request{URL: srv.URL})
			if !tt.wantErr {
				if err != nil || len(resp.Body) != tt.size {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			if want := "fetch: body larger than 1 KiB"; err.Error() != want {
				t.Errorf("message = %q, want %q", err, want)
			}
		})
	}
}

func TestFetchGzipBomb(t *testing.T) {
	// 48 MiB of zeros compress to about 48 KiB.
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestSpeed)
	zeros := make([]byte, 1<<20)
	for range 48 {
		zw.Write(zeros)
	}
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb.Bytes())
	}))
	defer srv.Close()

	const max = 1 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := New(Options{MaxBody: max}).Fetch(context.Background(), Request{URL: srv.URL})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	// The server side and the test share the process, so allow for them,
	// but the 48 MiB the bomb expands to must never be allocated.
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16*max {
		t.Errorf("allocated %d MiB reading a bomb capped at 1 MiB", grew>>20)
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	mux := http.NewServeMux()
	mux.HandleFunc("/after-headers", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("<rss>"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/before-headers", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, path := range []string{"/after-headers", "/before-headers"} {
		t.Run(path, func(t *testing.T) {
			start := time.Now()
			_, err := New(Options{Timeout: 150 * time.Millisecond}).Fetch(context.Background(), Request{URL: srv.URL + path})
			if !errors.Is(err, ErrTimeout) {
				t.Fatalf("err = %v, want ErrTimeout", err)
			}
			if want := "fetch: timeout after 150ms"; err.Error() != want {
				t.Errorf("message = %q, want %q", err, want)
			}
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("took %v", el)
			}
		})
	}

	t.Run("parent cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, err := New(Options{Timeout: time.Minute}).Fetch(ctx, Request{URL: srv.URL + "/after-headers"})
		if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
}

func TestFetchUserAgent(t *testing.T) {
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.UserAgent())
	}))
	defer srv.Close()
	tests := []struct {
		name string
		opts Options
		req  string
		want string
	}{
		{"default", Options{}, "", "aiwatch/dev"},
		{"version", Options{Version: "1.2.3"}, "", "aiwatch/1.2.3"},
		{"client override", Options{Version: "1.2.3", UserAgent: "custom/1"}, "", "custom/1"},
		{"request override", Options{Version: "1.2.3"}, "Mozilla/5.0 (feed reader)", "Mozilla/5.0 (feed reader)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.opts).Fetch(context.Background(), Request{URL: srv.URL, UserAgent: tt.req}); err != nil {
				t.Fatal(err)
			}
			if got.Load() != tt.want {
				t.Errorf("User-Agent = %q, want %q", got.Load(), tt.want)
			}
		})
	}
}

func TestFetchPerHostLimit(t *testing.T) {
	var inFlight, peak atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-release
		inFlight.Add(-1)
	}))
	defer srv.Close()

	c := New(Options{PerHost: 2})
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for range 5 {
		wg.Go(func() {
			_, err := c.Fetch(context.Background(), Request{URL: srv.URL})
			errs <- err
		})
	}
	deadline := time.Now().Add(5 * time.Second)
	for inFlight.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // give a third request the chance to slip through
	if p := peak.Load(); p != 2 {
		t.Errorf("peak in flight = %d, want 2", p)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.hosts) != 0 {
		t.Errorf("%d host entries left after all requests ended", len(c.hosts))
	}
}

func TestStatusErrorMessage(t *testing.T) {
	tests := []struct {
		err  StatusError
		want string
	}{
		{StatusError{Code: 503, RetryAfter: 2 * time.Minute}, "HTTP 503 Service Unavailable (retry after 2m0s)"},
		{StatusError{Code: 410}, "HTTP 410 Gone"},
		{StatusError{Code: 599}, "HTTP 599"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func gzipBytes(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestFetchHandshakeTimeout(t *testing.T) {
	// A server that accepts connections and never speaks TLS.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	start := time.Now()
	_, err = New(Options{ConnectTimeout: 50 * time.Millisecond, Timeout: time.Minute}).Fetch(context.Background(), Request{URL: "https://" + ln.Addr().String() + "/"})
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if !strings.Contains(err.Error(), "TLS handshake timeout") {
		t.Errorf("message %q does not name the handshake", err)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("took %v: the connect timeout did not apply", el)
	}
}

func TestUnknownHostIsNamed(t *testing.T) {
	c := New(Options{Timeout: 5 * time.Second})
	_, err := c.Fetch(context.Background(), Request{URL: "http://no-such-host.invalid/feed"})
	if err == nil || !strings.Contains(err.Error(), "cannot find host no-such-host.invalid") {
		t.Fatalf("err = %v, want it to name the host it cannot find", err)
	}
}

// TestFetchProgress checks that Progress sees the body arrive, ending at
// its length, with the total when the server gives it and -1 when not.
func TestFetchProgress(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789"), 100_000) // 1 MB
	for _, tt := range []struct {
		name      string
		chunked   bool
		wantTotal int64
	}{
		{"with length", false, int64(len(body))},
		{"chunked", true, -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !tt.chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				}
				for i := 0; i < len(body); i += 64 << 10 {
					w.Write(body[i:min(i+64<<10, len(body))])
					if f, ok := w.(http.Flusher); ok && tt.chunked {
						f.Flush()
					}
				}
			}))
			defer srv.Close()
			var calls int
			var last, total int64
			resp, err := New(Options{}).Fetch(context.Background(), Request{URL: srv.URL, Progress: func(read, tot int64) {
				if read < last {
					t.Errorf("progress went back from %d to %d", last, read)
				}
				calls++
				last, total = read, tot
			}})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Body) != len(body) || last != int64(len(body)) || total != tt.wantTotal || calls < 2 {
				t.Errorf("body %d bytes; progress called %d times, last (%d, %d); want (%d, %d), several calls",
					len(resp.Body), calls, last, total, len(body), tt.wantTotal)
			}
		})
	}
}

func TestFetchPost(t *testing.T) {
	var got struct {
		method, ctype, body string
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got.method, got.ctype, got.body = r.Method, r.Header.Get("Content-Type"), string(b)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c := New(Options{})
	resp, err := c.Fetch(t.Context(), Request{URL: srv.URL, Method: http.MethodPost, Body: []byte(`[{"id":1}]`), ContentType: "application/json"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusNoContent || got.method != "POST" || got.ctype != "application/json" || got.body != `[{"id":1}]` {
		t.Errorf("status %d, server saw %+v", resp.Status, got)
	}
	// The caps hold for a POST: its answer is cut like a feed's.
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, 2<<20))
	}))
	defer big.Close()
	if _, err := c.Fetch(t.Context(), Request{URL: big.URL, Method: http.MethodPost, Body: []byte("{}"), MaxBody: 1 << 20}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a large answer to a POST: %v", err)
	}
}
