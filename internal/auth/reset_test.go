package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
)

func TestRequestPasswordReset_unknownEmailQueuesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		for _, e := range []string{"nobody@example.com", "", "not an email"} {
			if err := s.RequestPasswordReset(sysCtx, e); err != nil {
				t.Fatalf("RequestPasswordReset(%q) = %v, want nil", e, err)
			}
		}
		if m := s.mails(t); len(m) != 0 {
			t.Fatalf("mails queued for unknown addresses: %+v", m)
		}
		if n := s.count(t, "SELECT COUNT(*) FROM password_resets"); n != 0 {
			t.Fatalf("%d reset links stored", n)
		}
		if s.mailed.Load() != 0 {
			t.Fatal("MailQueued called")
		}
	})
}

func TestRequestPasswordReset_knownEmailQueuesOneLinkBuiltFromBaseURL(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		if err := s.RequestPasswordReset(sysCtx, " OLIVE.owner@example.com"); err != nil {
			t.Fatal(err)
		}
		mails := s.mails(t)
		if len(mails) != 1 {
			t.Fatalf("%d mails queued, want 1", len(mails))
		}
		m := mails[0]
		if m.To != ownerEmail || !strings.Contains(m.Body, "https://folio.example/password/reset/") {
			t.Fatalf("mail = %+v", m)
		}
		token := resetToken(t, m.Body)
		if len(token) < 40 {
			t.Errorf("token %q is too short", token)
		}
		if s.mailed.Load() != 1 {
			t.Errorf("MailQueued called %d times, want 1", s.mailed.Load())
		}
		if n := s.count(t, "SELECT COUNT(*) FROM password_resets WHERE token_hash = ?", token); n != 0 {
			t.Error("the reset token is stored in clear")
		}
		u, err := s.CheckResetToken(sysCtx, token)
		if err != nil || u.ID != owner.ID {
			t.Fatalf("CheckResetToken = %v, %v", u, err)
		}
		s.wantAudit(t, "user.password_reset_sent", 1)
	})
}

func TestRequestPasswordReset_linkUsesBaseURLNotAnythingElse(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		s.BaseURL = "https://crm.firm.example"
		if err := s.RequestPasswordReset(sysCtx, ownerEmail); err != nil {
			t.Fatal(err)
		}
		body := s.mails(t)[0].Body
		if !strings.Contains(body, "https://crm.firm.example/password/reset/") || strings.Contains(body, "folio.example/") {
			t.Fatalf("body does not link to BaseURL:\n%s", body)
		}
	})
}

func TestRequestPasswordReset_atMostThreeOpenLinksPerHour(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		for range 5 {
			if err := s.RequestPasswordReset(sysCtx, ownerEmail); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(s.mails(t)); n != 3 {
			t.Fatalf("%d mails queued for 5 requests, want 3", n)
		}
		// Once the links are older than an hour, a new one is sent.
		s.exec(t, "UPDATE password_resets SET created_at = ?", db.Now().Add(-61*time.Minute))
		if err := s.RequestPasswordReset(sysCtx, ownerEmail); err != nil {
			t.Fatal(err)
		}
		if n := len(s.mails(t)); n != 4 {
			t.Fatalf("%d mails queued, want 4", n)
		}
	})
}

func TestResetPassword_linkWorksOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		if err := s.RequestPasswordReset(sysCtx, ownerEmail); err != nil {
			t.Fatal(err)
		}
		token := resetToken(t, s.mails(t)[0].Body)
		u, err := s.ResetPassword(sysCtx, token, otherPassword, client)
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != owner.ID {
			t.Fatalf("reset user %d, want %d", u.ID, owner.ID)
		}
		_, err = s.SignIn(sysCtx, ownerEmail, ownerPassword, client, audit.ChannelUI)
		wantCode(t, err, errs.Unauthorized)
		s.signIn(t, ownerEmail, otherPassword)

		_, err = s.ResetPassword(sysCtx, token, "yet another passphrase", client)
		wantCode(t, err, errs.NotFound)
		_, err = s.CheckResetToken(sysCtx, token)
		wantCode(t, err, errs.NotFound)
		s.signIn(t, ownerEmail, otherPassword)

		r := s.wantAudit(t, "user.password_reset", 1)[0]
		if r.ActorType != audit.ActorUser || r.ActorID != owner.IDString() || r.IP != client.IP {
			t.Errorf("audit actor = %s:%s from %s, want the user", r.ActorType, r.ActorID, r.IP)
		}
		for _, c := range r.Changes {
			if strings.Contains(c.New+c.Old, otherPassword) {
				t.Errorf("audit row holds the password: %+v", c)
			}
		}
	})
}

func TestResetPassword_refusesUnknownAndExpiredLinks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		for _, tok := range []string{"", "nope", strings.Repeat("a", 52)} {
			_, err := s.ResetPassword(sysCtx, tok, otherPassword, client)
			wantCode(t, err, errs.NotFound)
		}
		if err := s.RequestPasswordReset(sysCtx, ownerEmail); err != nil {
			t.Fatal(err)
		}
		token := resetToken(t, s.mails(t)[0].Body)
		if n := s.count(t, "SELECT COUNT(*) FROM password_resets WHERE expires_at > ? AND expires_at < ?",
			db.Now().Add(59*time.Minute), db.Now().Add(61*time.Minute)); n != 1 {
			t.Fatalf("link does not expire in an hour")
		}
		s.exec(t, "UPDATE password_resets SET expires_at = ?", db.Now().Add(-time.Second))
		_, err := s.CheckResetToken(sysCtx, token)
		wantCode(t, err, errs.NotFound)
		_, err = s.ResetPassword(sysCtx, token, otherPassword, client)
		wantCode(t, err, errs.NotFound)
		s.signIn(t, ownerEmail, ownerPassword)
		s.wantAudit(t, "user.password_reset", 0)
	})
}

func TestResetPassword_endsEverySessionOfTheUser(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		u := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		a := s.signIn(t, u.Email, userPassword)
		b := s.signIn(t, u.Email, userPassword)
		owner := s.signIn(t, ownerEmail, ownerPassword)
		if err := s.RequestPasswordReset(sysCtx, u.Email); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ResetPassword(sysCtx, resetToken(t, s.mails(t)[0].Body), otherPassword, client); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{a.Token, b.Token} {
			_, err := s.SessionByToken(sysCtx, tok)
			wantCode(t, err, errs.Unauthorized)
		}
		s.session(t, owner.Token)
	})
}

func TestResetPassword_weakPasswordKeepsTheLinkUsable(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		if err := s.RequestPasswordReset(sysCtx, ownerEmail); err != nil {
			t.Fatal(err)
		}
		token := resetToken(t, s.mails(t)[0].Body)
		_, err := s.ResetPassword(sysCtx, token, "Password2024!", client)
		wantField(t, err, "password")
		_, err = s.ResetPassword(sysCtx, token, "olive.owner-new-pass", client) // contains the email
		wantField(t, err, "password")
		if _, err := s.ResetPassword(sysCtx, token, otherPassword, client); err != nil {
			t.Fatalf("link unusable after a refused password: %v", err)
		}
	})
}

func TestRequestPasswordReset_disabledUserGetsNoMail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		u := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		if err := s.SetDisabled(sysCtx, nil, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := s.RequestPasswordReset(sysCtx, u.Email); err != nil {
			t.Fatalf("RequestPasswordReset = %v, want nil (it says nothing)", err)
		}
		if m := s.mails(t); len(m) != 0 {
			t.Fatalf("mail queued for a disabled user: %+v", m)
		}
		s.wantAudit(t, "user.password_reset_sent", 0)
	})
}

func TestResetPassword_linkStopsWorkingWhenTheUserIsDisabled(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		u := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		if err := s.RequestPasswordReset(sysCtx, u.Email); err != nil {
			t.Fatal(err)
		}
		token := resetToken(t, s.mails(t)[0].Body)
		if err := s.SetDisabled(sysCtx, nil, u.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err := s.ResetPassword(sysCtx, token, otherPassword, client)
		wantCode(t, err, errs.NotFound)
	})
}

func TestSendPasswordReset_adminRules(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		admin := s.addUser(t, "adam@example.com", auth.RoleAdmin, auth.Grants{})
		advisor := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		gone := s.addUser(t, "gus@example.com", auth.RoleAdvisor, auth.Grants{})
		if err := s.SetDisabled(sysCtx, nil, gone.ID, true); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.SendPasswordReset(sysCtx, advisor, admin.ID), errs.Forbidden)
		wantCode(t, s.SendPasswordReset(sysCtx, admin, owner.ID), errs.Forbidden)
		wantCode(t, s.SendPasswordReset(sysCtx, admin, gone.ID), errs.Invalid)
		wantCode(t, s.SendPasswordReset(sysCtx, admin, 999999), errs.NotFound)
		if n := len(s.mails(t)); n != 0 {
			t.Fatalf("%d mails after refused requests", n)
		}
		// An administrator is not limited to three open links.
		for range 4 {
			if err := s.SendPasswordReset(sysCtx, admin, advisor.ID); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(s.mails(t)); n != 4 {
			t.Fatalf("%d mails, want 4", n)
		}
		if err := s.SendPasswordReset(sysCtx, owner, admin.ID); err != nil {
			t.Fatal(err)
		}
		s.wantAudit(t, "user.password_reset_sent", 5)
	})
}
