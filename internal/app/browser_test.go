package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Browser tests drive a real headless Chromium with chromedp. They skip when
// no browser is installed, unless FOLIO_E2E=1 demands them (CI), and they
// write full-page screenshots to the directory in FOLIO_SCREENSHOTS when it
// is set.

const (
	browserTimeout = 90 * time.Second // the whole test, browser included
	stepTimeout    = 20 * time.Second // one step: a navigation, a query
	desktopWidth   = 1280
	desktopHeight  = 800
)

// chromiumPath finds a Chromium-like browser in PATH.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("FOLIO_E2E") == "1" {
		t.Fatal("FOLIO_E2E=1 but no chromium, chromium-browser or google-chrome in PATH")
	}
	t.Skip("no chromium, chromium-browser or google-chrome in PATH; set FOLIO_E2E=1 to make this a failure")
	return ""
}

// pageWatcher collects what the page reports about itself: uncaught
// exceptions, console.error calls and browser log entries, among them
// Content-Security-Policy violations.
type pageWatcher struct {
	mu       sync.Mutex
	problems []string // fail the test: CSP violations, exceptions, console errors
	notes    []string // logged only, e.g. "Failed to load resource: 403"
}

// handle runs in chromedp's event loop: it must return fast and run no
// command.
func (w *pageWatcher) handle(ev any) {
	var problem, note string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		problem = fmt.Sprintf("JS exception at %s:%d: %s", d.URL, d.LineNumber+1, text)
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var args []string
		for _, a := range ev.Args {
			switch {
			case len(a.Value) > 0:
				args = append(args, string(a.Value))
			case a.Description != "":
				args = append(args, a.Description)
			default:
				args = append(args, string(a.Type))
			}
		}
		problem = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " "))
	case *log.EventEntryAdded:
		e := ev.Entry
		if e == nil {
			return
		}
		msg := fmt.Sprintf("browser log [%s/%s] %s (%s)", e.Source, e.Level, e.Text, e.URL)
		if isCSPViolation(e) {
			problem = "CSP violation: " + msg
		} else {
			note = msg
		}
	default:
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if problem != "" {
		w.problems = append(w.problems, problem)
	}
	if note != "" {
		w.notes = append(w.notes, note)
	}
}

func isCSPViolation(e *log.Entry) bool {
	text := strings.ToLower(e.Text)
	return strings.Contains(text, "content security policy") || strings.Contains(text, "content-security-policy") ||
		(e.Source == log.EntrySourceSecurity && e.Level == log.EntryLevelError)
}

// Problems returns what must fail the test.
func (w *pageWatcher) Problems() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.problems...)
}

// Notes returns the log entries that are not problems.
func (w *pageWatcher) Notes() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.notes...)
}

// browser is one headless Chromium with one tab, pointed at base.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string // screenshot directory, "" for none
	watch *pageWatcher

	checked bool // checkPage ran
}

// startBrowser launches Chromium for base (a server URL). The browser and
// its profile go away when the test ends; the whole browser lives at most
// browserTimeout.
func startBrowser(t *testing.T, base string) *browser {
	t.Helper()
	exe := chromiumPath(t)

	// A logger that goes quiet once the test is over, since chromedp's
	// goroutines can still report while the browser shuts down.
	var logMu sync.Mutex
	testDone := false
	logf := func(format string, args ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		if !testDone {
			t.Logf("chromedp: "+format, args...)
		}
	}
	profile, err := os.MkdirTemp("", "folio-e2e-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	output := &lockedBuffer{}
	t.Cleanup(func() { // runs last
		logMu.Lock()
		testDone = true
		logMu.Unlock()
		if t.Failed() {
			// Chromium's complaints about the missing D-Bus are noise.
			var lines []string
			for l := range strings.Lines(output.String()) {
				if !strings.Contains(l, "dbus") {
					lines = append(lines, l)
				}
			}
			if len(lines) > 0 {
				t.Logf("chromium output:\n%s", strings.Join(lines, ""))
			}
		}
		os.RemoveAll(profile)
	})

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(desktopWidth, desktopHeight),
		chromedp.CombinedOutput(output),
	)
	overall, cancelOverall := context.WithTimeout(context.Background(), browserTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(overall, opts...)
	w := &pageWatcher{}
	ctx, cancelTab := chromedp.NewContext(allocCtx,
		chromedp.WithListener(w.handle),
		chromedp.WithErrorf(logf),
		chromedp.WithLogf(logf),
	)
	var b *browser
	t.Cleanup(func() {
		if b != nil && !b.checked {
			b.checkPage()
		}
		cancelTab()
		cancelAlloc() // waits for the browser process to exit
		cancelOverall()
	})
	// The first run starts the browser and opens the tab.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(desktopWidth, desktopHeight)); err != nil {
		t.Fatalf("start chromium %s: %v\n%s", exe, err, output.String())
	}
	b = &browser{t: t, ctx: ctx, base: strings.TrimSuffix(base, "/"), watch: w}
	if dir := os.Getenv("FOLIO_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatalf("screenshot directory: %v", err)
		}
		b.shots = dir
	}
	return b
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// run runs one action with the step timeout and fails the test, naming the
// step and the page, when it does not succeed.
func run[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v (page %s)", what, err, b.location())
	}
	return v
}

// do runs actions that return nothing, like run.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	run(b, what, chromedp.Steps(steps...))
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	return run(b, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// location is the URL of the page, for messages.
func (b *browser) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "unknown: " + err.Error()
	}
	return loc
}

// path is the path of the current page ("/setup"), without the query.
func (b *browser) path() string {
	b.t.Helper()
	loc := run(b, "read location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatalf("location %q: %v", loc, err)
	}
	return u.Path
}

// open navigates to path and returns the HTTP status of the final document.
func (b *browser) open(path string) int64 {
	b.t.Helper()
	res := run(b, "open "+path, chromedp.NavigateResponse(b.base+path))
	if res == nil {
		b.t.Fatalf("open %s: no response", path)
	}
	return res.Status
}

// submit clicks the button matching sel, waits for the page that the
// form's response leads to (redirects followed) and returns its status.
func (b *browser) submit(sel string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("submit with %s: %v (page %s)", sel, err, b.location())
	}
	if res == nil {
		b.t.Fatalf("submit with %s: no response", sel)
	}
	return res.Status
}

// fill replaces the value of the input matching sel by typing value.
func (b *browser) fill(sel, value string) {
	b.t.Helper()
	// chromedp.SetValue(sel, "") cannot empty a field: chromedp v0.23.0
	// drops the empty string argument and the field gets "undefined".
	b.do("fill "+sel,
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%s).value = ""`, jsString(sel))),
		chromedp.SendKeys(chromedp.CSS(sel), value),
	)
	if got := run(b, "read "+sel, chromedp.Value(chromedp.CSS(sel))); got != value {
		b.t.Fatalf("%s holds %q after typing %q", sel, got, value)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// text is the visible text of the first element matching sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(run(b, "text of "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// exists reports whether an element matches sel now, without waiting.
func (b *browser) exists(sel string) bool {
	b.t.Helper()
	return eval[bool](b, fmt.Sprintf("document.querySelector(%s) !== null", jsString(sel)))
}

// viewport sets the size of the page's viewport in CSS pixels.
func (b *browser) viewport(w, h int64) {
	b.t.Helper()
	b.do(fmt.Sprintf("viewport %dx%d", w, h), chromedp.EmulateViewport(w, h))
}

// screenshot saves a full-page PNG as name.png when FOLIO_SCREENSHOTS is
// set. Taking it never fails the test's assertions, only reports problems.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	if b.shots == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	file := filepath.Join(b.shots, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	b.t.Logf("screenshot: %s", file)
}

// checkPage fails the test if the page reported a CSP violation, an
// uncaught exception or a console error so far.
// The test calls it at its end; should the test stop earlier, the cleanup
// of startBrowser calls it.
func (b *browser) checkPage() {
	b.t.Helper()
	b.checked = true
	for _, p := range b.watch.Problems() {
		b.t.Error(p)
	}
}

// TestBrowser_watcherCatchesCSPViolationsAndExceptions makes sure that the
// page checks of the other browser tests can fail: a page with an inline
// script under a strict CSP and a script that throws must be reported.
func TestBrowser_watcherCatchesCSPViolationsAndExceptions(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>t</title><script src="/throw.js"></script></head>`+
			`<body><p id="done">ok</p><script>document.title = "inline ran";</script></body></html>`)
	})
	mux.HandleFunc("GET /throw.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `throw new Error("boom from throw.js");`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	b := startBrowser(t, srv.URL)
	if status := b.open("/"); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if title := run(b, "title", chromedp.Title()); title == "inline ran" {
		t.Fatal("the inline script ran despite the CSP")
	}
	var csp, exc bool
	deadline := time.Now().Add(10 * time.Second)
	for !(csp && exc) && time.Now().Before(deadline) {
		for _, p := range b.watch.Problems() {
			csp = csp || strings.HasPrefix(p, "CSP violation")
			exc = exc || (strings.HasPrefix(p, "JS exception") && strings.Contains(p, "boom from throw.js"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !csp || !exc {
		t.Errorf("watcher missed something: csp=%v exception=%v; problems %q, notes %q",
			csp, exc, b.watch.Problems(), b.watch.Notes())
	}
	for _, p := range b.watch.Problems() {
		t.Logf("caught as expected: %s", p)
	}
	b.checked = true // the problems are what this test wants
}
