// Package apptest boots the whole Folio server from internal/app on
// 127.0.0.1:0 with a temporary database, for HTTP and browser tests.
package apptest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/app"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/config"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

// FastArgon2 keeps tests quick; the production parameters are tested in
// package auth.
var FastArgon2 = auth.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}

// Server is a running Folio.
type Server struct {
	*app.App
	URL  string
	Logs *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Start boots Folio on kind with cfg changed by edit (may be nil).
func Start(t testing.TB, kind dbtest.Kind, edit func(*config.Config)) *Server {
	t.Helper()
	tg := kind.New(t)
	cfg := config.Default()
	cfg.DataDir, cfg.DatabaseURL, cfg.Addr = tg.DataDir, tg.URL, "127.0.0.1:0"
	cfg.BaseURL = "http://folio.test"
	if edit != nil {
		edit(cfg)
	}
	logs := &syncBuffer{}
	a, err := app.New(context.Background(), cfg, app.Options{LogOutput: logs, Argon2: &FastArgon2})
	if err != nil {
		t.Fatalf("start folio: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("folio run: %v", err)
			}
		case <-time.After(35 * time.Second):
			t.Error("folio did not shut down")
		}
		a.Close()
		if t.Failed() {
			t.Logf("server logs:\n%s", logs.String())
		}
	})
	return &Server{App: a, URL: a.URL(), Logs: logs}
}

// CreateUser adds a user directly through the service.
func (s *Server) CreateUser(t testing.TB, email, name string, role auth.Role, password string, g auth.Grants) *auth.User {
	t.Helper()
	ctx := audit.WithActor(context.Background(), audit.System)
	var u *auth.User
	var err error
	if n, _ := s.Auth.UserCount(ctx); n == 0 && role == auth.RoleOwner {
		u, err = s.Auth.SetupOwner(ctx, auth.NewUser{Email: email, Name: name, Password: password})
	} else {
		u, err = s.Auth.CreateUser(ctx, nil, auth.NewUser{Email: email, Name: name, Role: role, Password: password, Grants: g})
	}
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// Client is a browser-like HTTP client with cookies that does not follow
// redirects, so tests see them.
func (s *Server) Client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// Response is a read response.
type Response struct {
	*http.Response
	Body string
}

// Do sends a request and reads the whole response.
func Do(t testing.TB, c *http.Client, req *http.Request) Response {
	t.Helper()
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{Response: res, Body: string(b)}
}

// Get fetches path.
func (s *Server) Get(t testing.TB, c *http.Client, path string) Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	return Do(t, c, req)
}

// PostForm posts a form to path.
func (s *Server) PostForm(t testing.TB, c *http.Client, path string, form url.Values) Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return Do(t, c, req)
}

// SignIn signs c in with a password and fails the test unless it works.
func (s *Server) SignIn(t testing.TB, c *http.Client, email, password string) {
	t.Helper()
	res := s.PostForm(t, c, "/signin", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("sign in %s: %d %s\n%s", email, res.StatusCode, res.Header.Get("Location"), res.Body)
	}
}

// API sends a JSON request with a bearer token.
func (s *Server) API(t testing.TB, token, method, path, body string) Response {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, s.URL+path, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return Do(t, http.DefaultClient, req)
}
