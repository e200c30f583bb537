package auth_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/secret"
)

// sysCtx carries the system actor, as the command line and background work do.
var sysCtx = audit.WithActor(context.Background(), audit.System)

const (
	ownerEmail    = "olive.owner@example.com"
	ownerPassword = "violet harbor lantern 42"
	userPassword  = "copper kettle meadow 7"
	otherPassword = "silver orchard thunder 9"
)

var client = auth.Client{IP: "198.51.100.7", UserAgent: "Mozilla/5.0 (test)"}

// testService is a service on d with a cheap hasher, counting queued mail.
type testService struct {
	*auth.Service
	d      *db.DB
	mailed atomic.Int32
}

func newService(t *testing.T, d *db.DB) *testService {
	t.Helper()
	box, err := secret.New(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	s := &testService{Service: auth.NewService(d, box, "https://folio.example"), d: d}
	s.Hasher = auth.NewHasher(auth.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1})
	s.MailQueued = func() { s.mailed.Add(1) }
	// Whatever a test did, the activity log it leaves must still verify.
	t.Cleanup(func() {
		if n, err := audit.Verify(context.Background(), d); err != nil {
			t.Errorf("activity log does not verify after %d rows: %v", n, err)
		}
	})
	return s
}

// setupOwner creates the first user, the owner.
func (s *testService) setupOwner(t *testing.T) *auth.User {
	t.Helper()
	u, err := s.SetupOwner(sysCtx, auth.NewUser{Email: ownerEmail, Name: "Olive Owner", Password: ownerPassword})
	if err != nil {
		t.Fatalf("SetupOwner: %v", err)
	}
	return u
}

// addUser creates a user with userPassword on behalf of the command line.
func (s *testService) addUser(t *testing.T, email string, role auth.Role, g auth.Grants) *auth.User {
	t.Helper()
	u, err := s.CreateUser(sysCtx, nil, auth.NewUser{Email: email, Name: "User " + strings.Split(email, "@")[0], Role: role, Password: userPassword, Grants: g})
	if err != nil {
		t.Fatalf("CreateUser %s: %v", email, err)
	}
	return u
}

// fresh reloads u.
func (s *testService) fresh(t *testing.T, u *auth.User) *auth.User {
	t.Helper()
	f, err := s.UserByID(sysCtx, u.ID)
	if err != nil {
		t.Fatalf("UserByID %d: %v", u.ID, err)
	}
	return f
}

// signIn signs in and fails the test on error.
func (s *testService) signIn(t *testing.T, email, password string) *auth.SignInResult {
	t.Helper()
	res, err := s.SignIn(sysCtx, email, password, client, audit.ChannelUI)
	if err != nil {
		t.Fatalf("SignIn %s: %v", email, err)
	}
	if res.Token == "" {
		t.Fatalf("SignIn %s: no token", email)
	}
	return res
}

// session looks a token up and fails the test on error.
func (s *testService) session(t *testing.T, token string) *auth.Session {
	t.Helper()
	ss, err := s.SessionByToken(sysCtx, token)
	if err != nil {
		t.Fatalf("SessionByToken: %v", err)
	}
	return ss
}

// count runs a COUNT(*) query.
func (s *testService) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.d.QueryRowContext(sysCtx, query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// exec runs a statement, e.g. to age a row.
func (s *testService) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := s.d.ExecContext(sysCtx, query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// audited returns the activity-log rows with action, newest first.
func (s *testService) audited(t *testing.T, action string) []audit.Record {
	t.Helper()
	recs, _, err := audit.List(sysCtx, s.d, audit.Filter{Action: action, Limit: 500})
	if err != nil {
		t.Fatalf("audit.List %s: %v", action, err)
	}
	return recs
}

// wantAudit checks that exactly n rows with action exist, and returns them.
func (s *testService) wantAudit(t *testing.T, action string, n int) []audit.Record {
	t.Helper()
	recs := s.audited(t, action)
	if len(recs) != n {
		t.Fatalf("activity log has %d %q rows, want %d", len(recs), action, n)
	}
	return recs
}

// mails returns the queued mails, oldest first.
func (s *testService) mails(t *testing.T) []mailRow {
	t.Helper()
	rows, err := s.d.QueryContext(sysCtx, "SELECT to_addr, subject, body_text FROM mail_outbox ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []mailRow
	for rows.Next() {
		var m mailRow
		if err := rows.Scan(&m.To, &m.Subject, &m.Body); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

type mailRow struct{ To, Subject, Body string }

var resetLink = regexp.MustCompile(`https://folio\.example/password/reset/([a-z2-7]+)`)

// resetToken extracts the token of the reset link in a mail body.
func resetToken(t *testing.T, body string) string {
	t.Helper()
	m := resetLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no reset link built from the base URL in mail body:\n%s", body)
	}
	return m[1]
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("err = %v (code %q), want code %q", err, errs.CodeOf(err), code)
	}
}

// wantField fails unless err is Invalid with a message for field.
func wantField(t *testing.T, err error, field string) string {
	t.Helper()
	wantCode(t, err, errs.Invalid)
	msg, ok := errs.FieldsOf(err)[field]
	if !ok || msg == "" {
		t.Fatalf("err = %v with fields %v, want a message for %q", err, errs.FieldsOf(err), field)
	}
	return msg
}

// waitForFreshTOTPStep returns once at least 10 seconds of the current
// 30-second TOTP step remain, so a test's codes do not straddle a step
// boundary unexpectedly.
func waitForFreshTOTPStep() time.Time {
	now := time.Now()
	if into := now.Unix() % 30; into > 20 {
		time.Sleep(time.Duration(30-into)*time.Second - time.Duration(now.Nanosecond()) + 50*time.Millisecond)
	}
	return time.Now()
}

func code(t *testing.T, secretText string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secretText, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enableTOTP turns on u's second factor with a code of the previous step
// (so the current and next steps' codes stay unused) and returns the
// secret, the recovery codes, the reference time and u reloaded.
func (s *testService) enableTOTP(t *testing.T, u *auth.User) (string, []string, time.Time, *auth.User) {
	t.Helper()
	t0 := waitForFreshTOTPStep()
	e, err := s.BeginTOTP(sysCtx, u)
	if err != nil {
		t.Fatalf("BeginTOTP: %v", err)
	}
	codes, err := s.ConfirmTOTP(sysCtx, u, code(t, e.Secret, t0.Add(-30*time.Second)))
	if err != nil {
		t.Fatalf("ConfirmTOTP: %v", err)
	}
	return e.Secret, codes, t0, s.fresh(t, u)
}

// wrongCode is a six-digit code that matches no step near t.
func wrongCode(t *testing.T, secretText string, at time.Time) string {
	t.Helper()
	near := map[string]bool{}
	for _, d := range []time.Duration{-60, -30, 0, 30, 60} {
		near[code(t, secretText, at.Add(d*time.Second))] = true
	}
	for _, c := range []string{"000000", "123456", "999999", "424242"} {
		if !near[c] {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

// warmPool opens n connections, so that goroutines racing in a test start
// their transactions together instead of one by one as connections open.
func warmPool(t *testing.T, d *db.DB, n int) {
	t.Helper()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_ = d.InTx(sysCtx, func(tx *db.Tx) error {
				_, err := tx.ExecContext(sysCtx, "SELECT COUNT(*) FROM users")
				time.Sleep(50 * time.Millisecond)
				return err
			})
		})
	}
	wg.Wait()
}

// race runs fns at the same moment and waits for all of them.
func race(fns ...func()) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, fn := range fns {
		wg.Go(func() {
			<-start
			fn()
		})
	}
	close(start)
	wg.Wait()
}
