package app_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/app"
	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/config"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

// TestRun_shutdownLetsInFlightRequestsFinish: on SIGTERM/SIGINT (the
// context ending) Folio stops accepting connections, waits for a request
// that is still arriving, answers it, and only then returns.
func TestRun_shutdownLetsInFlightRequestsFinish(t *testing.T) {
	tg := dbtest.Kinds()[0].New(t)
	cfg := config.Default()
	cfg.DataDir, cfg.Addr, cfg.BaseURL = tg.DataDir, "127.0.0.1:0", "http://folio.test"
	a, err := app.New(context.Background(), cfg, app.Options{LogOutput: &strings.Builder{}, Argon2: &apptest.FastArgon2})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()

	conn, err := net.Dial("tcp", a.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "email=someone%40example.com"
	fmt.Fprintf(conn, "POST /password/forgot HTTP/1.1\r\nHost: folio.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:5])
	time.Sleep(200 * time.Millisecond) // the handler is now waiting for the rest of the body

	cancel()
	select {
	case err := <-done:
		t.Fatalf("Run returned (%v) while a request was in flight", err)
	case <-time.After(300 * time.Millisecond):
	}
	if _, err := net.DialTimeout("tcp", a.Addr(), time.Second); err == nil {
		t.Error("a new connection was accepted during shutdown")
	}

	fmt.Fprint(conn, body[5:])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request lost: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		t.Errorf("in-flight request answered %d", resp.StatusCode)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after the last request finished")
	}
}
