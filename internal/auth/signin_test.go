package auth_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
)

func TestSignIn_rightPasswordStartsAFullSession(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		res := s.signIn(t, " Olive.Owner@EXAMPLE.com ", ownerPassword)
		if res.NeedTOTP || res.User.ID != owner.ID {
			t.Fatalf("result = %+v, want owner without second factor", res)
		}
		ss := s.session(t, res.Token)
		if ss.User.ID != owner.ID || !ss.MFAPassed || ss.IP != client.IP || ss.UserAgent != client.UserAgent {
			t.Fatalf("session = %+v", ss)
		}
		if d := ss.ExpiresAt.Sub(ss.CreatedAt); d != s.MaxAge {
			t.Errorf("session lifetime = %v, want %v", d, s.MaxAge)
		}
		// The token is not stored in clear.
		if n := s.count(t, "SELECT COUNT(*) FROM sessions WHERE token_hash = ?", res.Token); n != 0 {
			t.Error("the session token is stored in clear")
		}
		r := s.wantAudit(t, "auth.signin", 1)[0]
		if r.ActorType != audit.ActorUser || r.ActorID != owner.IDString() || r.IP != client.IP || r.Channel != audit.ChannelUI {
			t.Errorf("audit actor = %s:%s %s %s", r.ActorType, r.ActorID, r.Channel, r.IP)
		}
		// Each sign-in gets its own token.
		if again := s.signIn(t, ownerEmail, ownerPassword); again.Token == res.Token {
			t.Error("two sign-ins share a token")
		}
	})
}

func TestSignIn_wrongPasswordAndUnknownUserGiveTheSameError(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		cases := []struct {
			name, email, password string
			entityID              string // of the audit row
		}{
			{"wrong password", ownerEmail, otherPassword, owner.IDString()},
			{"password of another case", ownerEmail, "VIOLET HARBOR LANTERN 42", owner.IDString()},
			{"empty password", ownerEmail, "", owner.IDString()},
			{"unknown user", "nobody@example.com", ownerPassword, ""},
			{"unknown user, empty password", "nobody@example.com", "", ""},
			{"empty email", "", ownerPassword, ""},
		}
		for i, c := range cases {
			res, err := s.SignIn(sysCtx, c.email, c.password, client, audit.ChannelUI)
			if res != nil {
				t.Errorf("%s: got a result %+v", c.name, res)
			}
			if !errors.Is(err, auth.ErrBadCredentials) {
				t.Errorf("%s: err = %v, want ErrBadCredentials", c.name, err)
				continue
			}
			wantCode(t, err, errs.Unauthorized)
			if msg := errs.MessageOf(err); msg != "The email or password is incorrect." {
				t.Errorf("%s: message %q", c.name, msg)
			}
			recs := s.audited(t, "auth.signin_failed")
			if len(recs) != i+1 {
				t.Fatalf("%s: %d auth.signin_failed rows, want %d", c.name, len(recs), i+1)
			}
			if r := recs[0]; r.EntityID != c.entityID || r.IP != client.IP || len(r.Changes) != 1 || r.Changes[0].New != auth.NormalizeEmail(c.email) {
				t.Errorf("%s: audit row = %+v", c.name, r)
			}
		}
		s.wantAudit(t, "auth.signin", 0)
		if n := s.count(t, "SELECT COUNT(*) FROM sessions"); n != 0 {
			t.Fatalf("%d sessions after failed sign-ins", n)
		}
	})
}

func TestSignIn_throttlesAfterTenFailuresPerAccount(t *testing.T) {
	var messages []string
	cases := []struct {
		name     string
		email    string
		password string // tried after the failures
	}{
		{"existing account, right password", ownerEmail, ownerPassword},
		{"non-existent account", "ghost@example.com", ownerPassword},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, d *db.DB) {
				s := newService(t, d)
				s.setupOwner(t)
				s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
				for i := range 10 {
					// From a different address each time: the limit is per account.
					ip := fmt.Sprintf("203.0.113.%d", i+1)
					_, err := s.SignIn(sysCtx, c.email, otherPassword, auth.Client{IP: ip}, audit.ChannelUI)
					if !errors.Is(err, auth.ErrBadCredentials) {
						t.Fatalf("failure %d: err = %v, want ErrBadCredentials", i+1, err)
					}
				}
				_, err := s.SignIn(sysCtx, c.email, c.password, auth.Client{IP: "203.0.113.200"}, audit.ChannelUI)
				wantCode(t, err, errs.TooMany)
				if !errors.Is(err, auth.ErrThrottled) {
					t.Fatalf("err = %v, want ErrThrottled", err)
				}
				messages = append(messages, err.Error())
				// Other spellings of the address are the same account.
				_, err = s.SignIn(sysCtx, " "+c.email+" ", c.password, auth.Client{IP: "203.0.113.201"}, audit.ChannelUI)
				wantCode(t, err, errs.TooMany)

				s.wantAudit(t, "auth.signin_failed", 10)
				recs := s.wantAudit(t, "auth.signin_throttled", 2)
				if recs[0].IP != "203.0.113.201" || recs[0].Changes[0].New != c.email {
					t.Errorf("throttled audit row = %+v", recs[0])
				}
				s.wantAudit(t, "auth.signin", 0)
				// Another account, even from the same address, still works.
				s.signIn(t, "ava@example.com", userPassword)
			})
		})
	}
	for _, m := range messages[1:] {
		if m != messages[0] {
			t.Errorf("throttled messages differ between an existing and a non-existent account: %q vs %q", messages[0], m)
		}
	}
}

func TestSignIn_throttlesAfterFiftyFailuresPerIP(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		attacker := auth.Client{IP: "192.0.2.66"}
		for i := range 50 {
			email := fmt.Sprintf("guess%d@example.com", i)
			_, err := s.SignIn(sysCtx, email, otherPassword, attacker, audit.ChannelUI)
			if !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("failure %d: err = %v, want ErrBadCredentials", i+1, err)
			}
		}
		// The owner's account has no failures, but the address is blocked.
		_, err := s.SignIn(sysCtx, ownerEmail, ownerPassword, attacker, audit.ChannelUI)
		wantCode(t, err, errs.TooMany)
		if !errors.Is(err, auth.ErrThrottled) {
			t.Fatalf("err = %v, want ErrThrottled", err)
		}
		s.wantAudit(t, "auth.signin_throttled", 1)
		// From another address the owner signs in.
		res, err := s.SignIn(sysCtx, ownerEmail, ownerPassword, auth.Client{IP: "192.0.2.67"}, audit.ChannelUI)
		if err != nil || res.Token == "" {
			t.Fatalf("from another IP: %v", err)
		}
	})
}

func TestSignIn_successResetsThePerAccountCount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		fail := func(n int) {
			t.Helper()
			for i := range n {
				_, err := s.SignIn(sysCtx, ownerEmail, otherPassword, client, audit.ChannelUI)
				if !errors.Is(err, auth.ErrBadCredentials) {
					t.Fatalf("failure %d: err = %v, want ErrBadCredentials", i+1, err)
				}
			}
		}
		fail(9)
		s.signIn(t, ownerEmail, ownerPassword)
		fail(9) // 18 failures in the window, but only 9 since the success
		s.signIn(t, ownerEmail, ownerPassword)
		fail(10)
		_, err := s.SignIn(sysCtx, ownerEmail, ownerPassword, client, audit.ChannelUI)
		wantCode(t, err, errs.TooMany)
	})
}

func TestSignIn_throttleEndsWhenFailuresLeaveTheWindow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		for range 10 {
			s.SignIn(sysCtx, ownerEmail, otherPassword, client, audit.ChannelUI)
		}
		_, err := s.SignIn(sysCtx, ownerEmail, ownerPassword, client, audit.ChannelUI)
		wantCode(t, err, errs.TooMany)
		if s.Throttle.Window != 15*time.Minute {
			t.Fatalf("window = %v, want 15m", s.Throttle.Window)
		}
		s.exec(t, "UPDATE sign_in_attempts SET at = ?", db.Now().Add(-16*time.Minute))
		s.signIn(t, ownerEmail, ownerPassword)
	})
}

func TestSignIn_defaultThrottleIsTenPerAccountAndFiftyPerIPIn15Minutes(t *testing.T) {
	want := auth.ThrottleRule{Account: 10, IP: 50, Window: 15 * time.Minute}
	if auth.DefaultThrottle != want {
		t.Fatalf("DefaultThrottle = %+v, want %+v", auth.DefaultThrottle, want)
	}
	if s := auth.NewService(nil, nil, ""); s.Throttle != want || s.IdleTimeout != 30*time.Minute || s.MaxAge != 12*time.Hour || s.Hasher.Params != auth.OWASP {
		t.Fatalf("NewService defaults = throttle %+v idle %v max %v params %+v", s.Throttle, s.IdleTimeout, s.MaxAge, s.Hasher.Params)
	}
}

func TestSignIn_disabledAccountIsRefusedOnlyAfterTheRightPassword(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		u := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		if err := s.SetDisabled(sysCtx, nil, u.ID, true); err != nil {
			t.Fatal(err)
		}
		// A wrong password says nothing about the account's state.
		_, err := s.SignIn(sysCtx, u.Email, otherPassword, client, audit.ChannelUI)
		if !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("wrong password: err = %v, want ErrBadCredentials", err)
		}
		_, err = s.SignIn(sysCtx, u.Email, userPassword, client, audit.ChannelUI)
		wantCode(t, err, errs.Forbidden)
		s.wantAudit(t, "auth.signin_disabled", 1)
		if n := s.count(t, "SELECT COUNT(*) FROM sessions"); n != 0 {
			t.Fatalf("%d sessions for a disabled user", n)
		}
	})
}
