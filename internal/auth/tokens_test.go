package auth_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
)

func TestCreateToken_returnsSecretStartingWithFolioPrefix(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		tok, secret, err := s.CreateToken(sysCtx, owner, "  Zapier  ")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, "folio_") || auth.TokenPrefix != "folio_" {
			t.Fatalf("secret %q does not start with folio_", secret)
		}
		if len(secret) < len("folio_")+32 {
			t.Errorf("secret %q is too short to be unguessable", secret)
		}
		if tok.Name != "Zapier" || tok.UserID != owner.ID || tok.Prefix != secret[:12] || tok.ID == 0 {
			t.Errorf("token = %+v", tok)
		}
		// Only a hash is stored.
		if n := s.count(t, "SELECT COUNT(*) FROM api_tokens WHERE token_hash = ? OR prefix = ?", secret, secret); n != 0 {
			t.Error("the secret is stored in clear")
		}
		_, secret2, err := s.CreateToken(sysCtx, owner, "Zapier")
		if err != nil || secret2 == secret {
			t.Fatalf("second token: %q, %v", secret2, err)
		}
		recs := s.wantAudit(t, "token.create", 2)
		if recs[1].Entity != "api_token" || recs[1].EntityID != strconv.FormatInt(tok.ID, 10) {
			t.Errorf("audit row = %s %s", recs[1].Entity, recs[1].EntityID)
		}
		for _, r := range recs {
			for _, c := range r.Changes {
				if strings.Contains(c.New, "folio_") {
					t.Errorf("audit row holds the secret: %+v", c)
				}
			}
		}
	})
}

func TestCreateToken_validatesNameAndUser(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		for _, name := range []string{"", "   ", strings.Repeat("n", 101), "a\nb"} {
			_, _, err := s.CreateToken(sysCtx, owner, name)
			wantField(t, err, "name")
		}
		u := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		if err := s.SetDisabled(sysCtx, owner, u.ID, true); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.CreateToken(sysCtx, s.fresh(t, u), "script")
		wantCode(t, err, errs.Forbidden)
		s.wantAudit(t, "token.create", 0)
	})
}

func TestAuthenticate_acceptsTheSecretAndRecordsLastUse(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		created, secret, err := s.CreateToken(sysCtx, owner, "Zapier")
		if err != nil {
			t.Fatal(err)
		}
		if created.LastUsedAt != nil {
			t.Fatal("new token already used")
		}
		u, tok, err := s.Authenticate(sysCtx, secret)
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != owner.ID || tok.ID != created.ID {
			t.Fatalf("Authenticate = user %d token %d", u.ID, tok.ID)
		}
		list, err := s.Tokens(sysCtx, owner)
		if err != nil || len(list) != 1 {
			t.Fatalf("Tokens = %v, %v", list, err)
		}
		if list[0].LastUsedAt == nil || time.Since(*list[0].LastUsedAt) > time.Minute {
			t.Fatalf("last_used_at = %v, want now", list[0].LastUsedAt)
		}
	})
}

func TestAuthenticate_refusesBadSecrets(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		_, secret, err := s.CreateToken(sysCtx, owner, "Zapier")
		if err != nil {
			t.Fatal(err)
		}
		// Replace the last character with one it is not: the secret ends in
		// any of its alphabet's characters, "x" included.
		last := "x"
		if strings.HasSuffix(secret, last) {
			last = "y"
		}
		for _, c := range []struct{ name, secret string }{
			{"empty", ""},
			{"without prefix", strings.TrimPrefix(secret, "folio_")},
			{"prefix only", "folio_"},
			{"unknown", "folio_" + strings.Repeat("a", 32)},
			{"one character off", secret[:len(secret)-1] + last},
			{"upper case", strings.ToUpper(secret)},
			{"too long", secret + strings.Repeat("a", 100)},
			{"session-style token", "abcdefghijklmnop"},
		} {
			_, _, err := s.Authenticate(sysCtx, c.secret)
			if !errs.Is(err, errs.Unauthorized) {
				t.Errorf("%s: err = %v, want Unauthorized", c.name, err)
			}
		}
	})
}

func TestRevokeToken_stopsAuthentication(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		tok, secret, err := s.CreateToken(sysCtx, owner, "Zapier")
		if err != nil {
			t.Fatal(err)
		}
		_, keep, err := s.CreateToken(sysCtx, owner, "Reporting")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeToken(sysCtx, owner, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.Authenticate(sysCtx, secret)
		wantCode(t, err, errs.Unauthorized)
		if _, _, err := s.Authenticate(sysCtx, keep); err != nil {
			t.Fatalf("the other token stopped working: %v", err)
		}
		// Revoking again is a no-op.
		if err := s.RevokeToken(sysCtx, owner, tok.ID); err != nil {
			t.Fatal(err)
		}
		s.wantAudit(t, "token.revoke", 1)
		list, err := s.Tokens(sysCtx, owner)
		if err != nil || len(list) != 2 {
			t.Fatalf("Tokens = %v, %v", list, err)
		}
		if list[0].RevokedAt != nil || list[1].RevokedAt == nil || list[1].ID != tok.ID {
			t.Errorf("Tokens does not list live tokens before revoked ones: %+v, %+v", list[0], list[1])
		}
		wantCode(t, s.RevokeToken(sysCtx, owner, 999999), errs.NotFound)
	})
}

func TestRevokeToken_anotherUsersTokenIsNotFoundForNonManagers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		ava := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		bob := s.addUser(t, "bob@example.com", auth.RoleAdvisor, auth.Grants{})
		admin := s.addUser(t, "adam@example.com", auth.RoleAdmin, auth.Grants{})
		manager := s.addUser(t, "max@example.com", auth.RoleAssistant, auth.Grants{ManageUsers: true})
		tok, secret, err := s.CreateToken(sysCtx, ava, "ava's script")
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.RevokeToken(sysCtx, bob, tok.ID), errs.NotFound)
		if _, _, err := s.Authenticate(sysCtx, secret); err != nil {
			t.Fatalf("token stopped working after a refused revoke: %v", err)
		}
		s.wantAudit(t, "token.revoke", 0)

		for _, by := range []*auth.User{admin, manager} {
			tok, secret, err := s.CreateToken(sysCtx, ava, "another")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.RevokeToken(sysCtx, by, tok.ID); err != nil {
				t.Fatalf("%s revoking: %v", by.Role, err)
			}
			_, _, err = s.Authenticate(sysCtx, secret)
			wantCode(t, err, errs.Unauthorized)
		}
		// The command line may revoke any token.
		if err := s.RevokeToken(sysCtx, nil, tok.ID); err != nil {
			t.Fatal(err)
		}
		s.wantAudit(t, "token.revoke", 3)
	})
}
