package inbound

import (
	"context"
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

// listen starts f's listener on a free port until the test ends.
func (f *fixture) listen() *Listener {
	f.t.Helper()
	l, err := f.s.Listen("127.0.0.1:0")
	if err != nil {
		f.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { l.Serve(ctx); close(done) }()
	f.t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			f.t.Error("the listener did not stop")
		}
	})
	return l
}

func (f *fixture) bcc(u *auth.User) string {
	f.t.Helper()
	a, err := f.s.Address(ctxAs(u), u)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// send delivers raw to rcpts over SMTP and returns the first refusal.
func send(t *testing.T, addr string, rcpts []string, raw []byte) error {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("mail.firm.test"); err != nil {
		return err
	}
	if err := c.Mail("advisor@firm.test"); err != nil {
		return err
	}
	for _, r := range rcpts {
		if err := c.Rcpt(r); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// code is the SMTP reply code of err (0 for none).
func code(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

func TestListener_deliversToEachBCCAddressAndRefusesUnknownOnesAtRcpt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		l := f.listen()
		raw := crlf("\nFrom: Otto <otto.advisor@firm.test>\nTo: alice@client.test\nSubject: Your plan\nMessage-ID: <p1@firm.test>\n\nAttached.\n")
		if err := send(t, l.Addr(), []string{f.bcc(f.advisor), f.bcc(f.limited)}, raw); err != nil {
			t.Fatal(err)
		}
		if n := f.count("SELECT COUNT(*) FROM emails WHERE direction = 'in' AND message_id = 'p1@firm.test'"); n != 2 {
			t.Errorf("%d copies stored, want one per BCC owner", n)
		}
		if n := f.count("SELECT COUNT(*) FROM timeline t JOIN emails e ON e.id = t.ref_id WHERE t.kind = 'email' AND t.contact_id = ? AND e.user_id = ?",
			f.aliceAdv, f.advisor.ID); n != 1 {
			t.Errorf("alice's timeline has %d of the advisor's copy", n)
		}
		for _, bad := range []string{"bcc+aaaaaaaaaaaaaaaaaaaaaaaaaa@in.folio.test", "postmaster@in.folio.test", "someone@gmail.test"} {
			if err := send(t, l.Addr(), []string{bad}, raw); code(err) != 550 {
				t.Errorf("RCPT %s: %v, want 550", bad, err)
			}
		}
		old := f.bcc(f.advisor)
		if _, err := f.s.ResetAddress(ctxAs(f.advisor), f.advisor); err != nil {
			t.Fatal(err)
		}
		if err := send(t, l.Addr(), []string{old}, raw); code(err) != 550 {
			t.Errorf("RCPT to a reset address: %v, want 550", err)
		}
	})
}

func TestListener_oversizedMalformedAndFailedMailGetTheRightCodes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.s.MaxMessageBytes = 4096
		l := f.listen()
		to := []string{f.bcc(f.advisor)}
		big := crlf("\nFrom: a@example.com\nTo: alice@client.test\nSubject: big\n\n" + strings.Repeat("0123456789abcdef\n", 400))
		if err := send(t, l.Addr(), to, big); code(err) != 552 {
			t.Errorf("oversized: %v, want 552", err)
		}
		for name, raw := range malformed {
			if len(raw) == 0 {
				continue // SMTP cannot carry an empty message without a trailing line
			}
			if err := send(t, l.Addr(), to, raw); code(err) != 554 {
				t.Errorf("%s: %v, want 554", name, err)
			}
		}
		if n := f.count("SELECT COUNT(*) FROM emails"); n != 0 {
			t.Errorf("%d refused messages stored", n)
		}
		// Still serving after all that.
		ok := crlf("\nFrom: a@example.com\nTo: alice@client.test\nSubject: fine\n\nok\n")
		if err := send(t, l.Addr(), to, ok); err != nil {
			t.Fatalf("a good message after the bad ones: %v", err)
		}
	})
}

func TestListener_floodIsRateLimitedPerClientAndPerAddress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.s.RatePerMinute = 3
		l := f.listen()
		msg := func(i int) []byte {
			return crlf("\nFrom: a@example.com\nTo: z@example.com\nSubject: flood\nMessage-ID: <f" + string(rune('a'+i)) + "@x>\n\nx\n")
		}
		to := []string{f.bcc(f.advisor)}
		for i := range 3 {
			if err := send(t, l.Addr(), to, msg(i)); err != nil {
				t.Fatalf("message %d within the rate: %v", i, err)
			}
		}
		err := send(t, l.Addr(), to, msg(3))
		if c := code(err); c != 451 {
			t.Fatalf("fourth message from one client: %v, want 451", err)
		}
		// Another client is not held back by the first one's flood, but
		// the advisor's address, flooded, is.
		l.perIP.shift(time.Hour)
		if err := send(t, l.Addr(), []string{f.bcc(f.limited)}, msg(4)); err != nil {
			t.Fatalf("a different address after the client's rate refilled: %v", err)
		}
		if err := send(t, l.Addr(), to, msg(5)); code(err) != 450 {
			t.Fatalf("fourth message to one address: %v, want 450", err)
		}
		if n := f.count("SELECT COUNT(*) FROM emails"); n != 4 {
			t.Errorf("%d stored, want 4", n)
		}
		// Guessing tokens counts against the client's rate too.
		l.perIP.shift(2 * time.Hour)
		guesses := 0
		for range 10 {
			err := send(t, l.Addr(), []string{"bcc+aaaaaaaaaaaaaaaaaaaaaaaaaa@in.folio.test"}, msg(6))
			if code(err) == 451 {
				break
			}
			guesses++
		}
		if guesses > 2 {
			t.Errorf("%d wrong addresses tried before the client was held back", guesses)
		}
	})
}

// shift moves the limiter's clock forward by d, as if that much time had
// passed.
func (l *limiter) shift(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.now = func() time.Time { return time.Now().Add(d) }
}
