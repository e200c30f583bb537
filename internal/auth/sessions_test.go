package auth_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
)

func TestSessionByToken_endsIdleAndExpiredSessions(t *testing.T) {
	cases := []struct {
		name  string
		age   func(s *testService, t *testing.T, id int64)
		alive bool
	}{
		{"fresh", func(*testService, *testing.T, int64) {}, true},
		{"idle 29 minutes", func(s *testService, t *testing.T, id int64) {
			s.exec(t, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", db.Now().Add(-29*time.Minute), id)
		}, true},
		{"idle 31 minutes", func(s *testService, t *testing.T, id int64) {
			s.exec(t, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", db.Now().Add(-31*time.Minute), id)
		}, false},
		{"past its absolute expiry though recently used", func(s *testService, t *testing.T, id int64) {
			s.exec(t, "UPDATE sessions SET expires_at = ? WHERE id = ?", db.Now().Add(-time.Second), id)
		}, false},
		{"created 13 hours ago and used all along", func(s *testService, t *testing.T, id int64) {
			created := db.Now().Add(-13 * time.Hour)
			s.exec(t, "UPDATE sessions SET created_at = ?, expires_at = ? WHERE id = ?", created, created.Add(s.MaxAge), id)
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, d *db.DB) {
				s := newService(t, d)
				s.setupOwner(t)
				res := s.signIn(t, ownerEmail, ownerPassword)
				id := s.session(t, res.Token).ID
				c.age(s, t, id)
				ss, err := s.SessionByToken(sysCtx, res.Token)
				if !c.alive {
					wantCode(t, err, errs.Unauthorized)
					if n := s.count(t, "SELECT COUNT(*) FROM sessions WHERE id = ?", id); n != 0 {
						t.Errorf("the ended session was not deleted")
					}
					// And it stays ended.
					_, err = s.SessionByToken(sysCtx, res.Token)
					wantCode(t, err, errs.Unauthorized)
					return
				}
				if err != nil {
					t.Fatalf("SessionByToken: %v", err)
				}
				if time.Since(ss.LastSeenAt) > time.Minute {
					t.Errorf("last seen %v ago after use, want it refreshed", time.Since(ss.LastSeenAt))
				}
				// The refresh is stored: a second look is also alive.
				s.session(t, res.Token)
			})
		})
	}
}

func TestSessionByToken_idleTimeoutIsConfigurable(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		s.IdleTimeout = 5 * time.Minute
		res := s.signIn(t, ownerEmail, ownerPassword)
		s.exec(t, "UPDATE sessions SET last_seen_at = ?", db.Now().Add(-6*time.Minute))
		_, err := s.SessionByToken(sysCtx, res.Token)
		wantCode(t, err, errs.Unauthorized)
	})
}

func TestSessionByToken_refusesUnknownAndMalformedTokens(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		res := s.signIn(t, ownerEmail, ownerPassword)
		for _, tok := range []string{"", "x", res.Token + "a", strings.ToUpper(res.Token), res.Token[:len(res.Token)-1], strings.Repeat("a", 101), "' OR 1=1 --"} {
			_, err := s.SessionByToken(sysCtx, tok)
			if !errs.Is(err, errs.Unauthorized) {
				t.Errorf("SessionByToken(%q) = %v, want Unauthorized", tok, err)
			}
		}
		s.session(t, res.Token)
	})
}

func TestSetDisabled_endsSessionsAndAPITokensAtOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		u := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		res := s.signIn(t, u.Email, userPassword)
		_, secret, err := s.CreateToken(sysCtx, u, "script")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Authenticate(sysCtx, secret); err != nil {
			t.Fatalf("Authenticate before: %v", err)
		}
		if err := s.SetDisabled(sysCtx, nil, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if n := s.count(t, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", u.ID); n != 0 {
			t.Fatalf("%d sessions left after disabling, want them deleted", n)
		}
		_, err = s.SessionByToken(sysCtx, res.Token)
		wantCode(t, err, errs.Unauthorized)
		_, _, err = s.Authenticate(sysCtx, secret)
		wantCode(t, err, errs.Unauthorized)
		s.wantAudit(t, "user.disable", 1)

		// Enabling brings the token back (it was not revoked) but not the session.
		if err := s.SetDisabled(sysCtx, nil, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Authenticate(sysCtx, secret); err != nil {
			t.Fatalf("Authenticate after enabling: %v", err)
		}
		_, err = s.SessionByToken(sysCtx, res.Token)
		wantCode(t, err, errs.Unauthorized)
	})
}

// A session whose user was disabled behind the service's back (another
// instance, a manual UPDATE) is refused as well.
func TestSessionByToken_refusesSessionOfDisabledUser(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		u := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		res := s.signIn(t, u.Email, userPassword)
		s.exec(t, "UPDATE users SET disabled_at = ? WHERE id = ?", db.Now(), u.ID)
		_, err := s.SessionByToken(sysCtx, res.Token)
		wantCode(t, err, errs.Unauthorized)
	})
}

func TestRevokeSession_endsOnlyOwnSessions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		u := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		mine := s.signIn(t, ownerEmail, ownerPassword)
		mine2 := s.signIn(t, ownerEmail, ownerPassword)
		theirs := s.signIn(t, u.Email, userPassword)
		theirID := s.session(t, theirs.Token).ID
		mine2ID := s.session(t, mine2.Token).ID

		wantCode(t, s.RevokeSession(sysCtx, owner, theirID), errs.NotFound)
		s.session(t, theirs.Token)

		if err := s.RevokeSession(sysCtx, owner, mine2ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.SessionByToken(sysCtx, mine2.Token)
		wantCode(t, err, errs.Unauthorized)
		s.session(t, mine.Token)
		wantCode(t, s.RevokeSession(sysCtx, owner, mine2ID), errs.NotFound)

		r := s.wantAudit(t, "session.revoke", 1)[0]
		if r.Entity != "session" || r.EntityID != strconv.FormatInt(mine2ID, 10) {
			t.Errorf("audit row = %s %s", r.Entity, r.EntityID)
		}
	})
}

func TestSessions_listsLiveSessionsMostRecentFirst(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		a := s.session(t, s.signIn(t, ownerEmail, ownerPassword).Token)
		b := s.session(t, s.signIn(t, ownerEmail, ownerPassword).Token)
		c := s.session(t, s.signIn(t, ownerEmail, ownerPassword).Token)
		s.exec(t, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", db.Now().Add(-10*time.Minute), b.ID)
		s.exec(t, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", db.Now().Add(-5*time.Minute), c.ID)
		s.exec(t, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", db.Now().Add(-40*time.Minute), a.ID) // idle
		list, err := s.Sessions(sysCtx, owner)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != c.ID || list[1].ID != b.ID {
			t.Fatalf("Sessions = %+v, want [%d %d]", list, c.ID, b.ID)
		}
	})
}

func TestSignOut_endsTheSession(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		res := s.signIn(t, ownerEmail, ownerPassword)
		other := s.signIn(t, ownerEmail, ownerPassword)
		if err := s.SignOut(sysCtx, s.session(t, res.Token)); err != nil {
			t.Fatal(err)
		}
		_, err := s.SessionByToken(sysCtx, res.Token)
		wantCode(t, err, errs.Unauthorized)
		s.session(t, other.Token)
		s.wantAudit(t, "auth.signout", 1)
	})
}

func TestPurgeExpired_deletesEndedSessionsAndOldAttempts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		live := s.signIn(t, ownerEmail, ownerPassword)
		idle := s.session(t, s.signIn(t, ownerEmail, ownerPassword).Token)
		expired := s.session(t, s.signIn(t, ownerEmail, ownerPassword).Token)
		s.exec(t, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", db.Now().Add(-time.Hour), idle.ID)
		s.exec(t, "UPDATE sessions SET expires_at = ? WHERE id = ?", db.Now().Add(-time.Minute), expired.ID)
		s.SignIn(sysCtx, ownerEmail, otherPassword, client, audit.ChannelUI)
		s.exec(t, "UPDATE sign_in_attempts SET at = ? WHERE success = ?", db.Now().Add(-25*time.Hour), false)
		if err := s.PurgeExpired(sysCtx); err != nil {
			t.Fatal(err)
		}
		if n := s.count(t, "SELECT COUNT(*) FROM sessions"); n != 1 {
			t.Errorf("%d sessions left, want 1", n)
		}
		s.session(t, live.Token)
		if n := s.count(t, "SELECT COUNT(*) FROM sign_in_attempts WHERE success = ?", false); n != 0 {
			t.Errorf("%d old failed attempts left, want 0", n)
		}
		if n := s.count(t, "SELECT COUNT(*) FROM sign_in_attempts WHERE success = ?", true); n != 3 {
			t.Errorf("%d recent successful attempts left, want 3", n)
		}
	})
}
