package auth_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
)

// passwordStep signs in with the password of a TOTP user and returns the
// half-signed-in session.
func (s *testService) passwordStep(t *testing.T, email, password string) *auth.Session {
	t.Helper()
	res := s.signIn(t, email, password)
	if !res.NeedTOTP {
		t.Fatal("SignIn did not ask for the second factor")
	}
	ss := s.session(t, res.Token)
	if ss.MFAPassed {
		t.Fatal("session passed MFA with only a password")
	}
	return ss
}

func TestConfirmTOTP_turnsOnSecondFactorAndReturnsTenRecoveryCodes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)

		_, err := s.ConfirmTOTP(sysCtx, owner, "123456")
		wantCode(t, err, errs.Invalid) // no set-up started

		t0 := waitForFreshTOTPStep()
		e, err := s.BeginTOTP(sysCtx, owner)
		if err != nil {
			t.Fatal(err)
		}
		if e.Secret == "" || !strings.HasPrefix(e.URL, "otpauth://totp/Folio:") || !strings.Contains(e.URL, "issuer=Folio") || len(e.QRPNG) < 100 {
			t.Fatalf("enrolment = secret %q url %q png %d bytes", e.Secret, e.URL, len(e.QRPNG))
		}
		if string(e.QRPNG[1:4]) != "PNG" {
			t.Errorf("QR code is not a PNG")
		}
		// The secret is stored sealed.
		if n := s.count(t, "SELECT COUNT(*) FROM users WHERE totp_secret LIKE ?", "%"+e.Secret+"%"); n != 0 {
			t.Error("the TOTP secret is stored in clear")
		}
		pending, err := s.PendingTOTP(sysCtx, owner)
		if err != nil || pending.Secret != e.Secret {
			t.Fatalf("PendingTOTP = %+v, %v", pending, err)
		}
		if s.fresh(t, owner).TOTPEnabled {
			t.Fatal("TOTP on before confirmation")
		}

		_, err = s.ConfirmTOTP(sysCtx, owner, wrongCode(t, e.Secret, t0))
		wantField(t, err, "code")
		if s.fresh(t, owner).TOTPEnabled {
			t.Fatal("TOTP on after a wrong code")
		}

		codes, err := s.ConfirmTOTP(sysCtx, owner, code(t, e.Secret, t0))
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != 10 {
			t.Fatalf("%d recovery codes, want 10", len(codes))
		}
		format := regexp.MustCompile(`^[a-z2-7]{5}-[a-z2-7]{5}$`)
		seen := map[string]bool{}
		for _, c := range codes {
			if !format.MatchString(c) || seen[c] {
				t.Errorf("recovery code %q is malformed or repeated", c)
			}
			seen[c] = true
		}
		if n, err := s.RecoveryCodesLeft(sysCtx, owner); n != 10 || err != nil {
			t.Errorf("RecoveryCodesLeft = %d, %v", n, err)
		}
		if n := s.count(t, "SELECT COUNT(*) FROM recovery_codes WHERE code_hash = ? OR code_hash = ?", codes[0], strings.ReplaceAll(codes[0], "-", "")); n != 0 {
			t.Error("recovery codes are stored in clear")
		}
		fresh := s.fresh(t, owner)
		if !fresh.TOTPEnabled {
			t.Fatal("TOTP not on")
		}
		s.wantAudit(t, "user.totp_enable", 1)

		_, err = s.BeginTOTP(sysCtx, fresh)
		wantCode(t, err, errs.Conflict)
		_, err = s.ConfirmTOTP(sysCtx, owner, code(t, e.Secret, t0.Add(30*time.Second)))
		wantCode(t, err, errs.Conflict)
		_, err = s.PendingTOTP(sysCtx, owner)
		wantCode(t, err, errs.NotFound)
	})
}

func TestSignIn_withTOTPNeedsTheSecondFactor(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		secretText, _, t0, _ := s.enableTOTP(t, owner)

		res := s.signIn(t, ownerEmail, ownerPassword)
		if !res.NeedTOTP {
			t.Fatal("SignIn did not ask for the second factor")
		}
		half := s.session(t, res.Token)
		if half.MFAPassed {
			t.Fatal("session passed MFA with only a password")
		}
		s.wantAudit(t, "auth.signin_password", 1)
		s.wantAudit(t, "auth.signin", 0)

		token, err := s.CompleteSecondFactor(sysCtx, half, code(t, secretText, t0), client, audit.ChannelUI)
		if err != nil {
			t.Fatal(err)
		}
		full := s.session(t, token)
		if !full.MFAPassed || full.User.ID != owner.ID {
			t.Fatalf("session after the second factor = %+v", full)
		}
		// The half session is replaced, not upgraded.
		_, err = s.SessionByToken(sysCtx, res.Token)
		wantCode(t, err, errs.Unauthorized)
		if n := s.count(t, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", owner.ID); n != 1 {
			t.Errorf("%d sessions, want only the new one", n)
		}
		r := s.wantAudit(t, "auth.signin", 1)[0]
		if len(r.Changes) != 1 || r.Changes[0] != (audit.Change{Field: "second_factor", New: "totp"}) {
			t.Errorf("audit changes = %+v", r.Changes)
		}
	})
}

func TestCompleteSecondFactor_sameCodeCannotBeUsedTwice(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		secretText, _, t0, _ := s.enableTOTP(t, owner)
		c := code(t, secretText, t0)

		if _, err := s.CompleteSecondFactor(sysCtx, s.passwordStep(t, ownerEmail, ownerPassword), c, client, audit.ChannelUI); err != nil {
			t.Fatal(err)
		}
		half := s.passwordStep(t, ownerEmail, ownerPassword)
		_, err := s.CompleteSecondFactor(sysCtx, half, c, client, audit.ChannelUI)
		if msg := wantField(t, err, "code"); !strings.Contains(msg, "already been used") {
			t.Fatalf("message %q, want it to say the code has already been used", msg)
		}
		// So is the code used to confirm the set-up, one step earlier.
		_, err = s.CompleteSecondFactor(sysCtx, half, code(t, secretText, t0.Add(-30*time.Second)), client, audit.ChannelUI)
		wantField(t, err, "code")
		s.wantAudit(t, "auth.totp_failed", 2)

		// The next step's code (one step of drift) still works.
		token, err := s.CompleteSecondFactor(sysCtx, half, code(t, secretText, t0.Add(30*time.Second)), client, audit.ChannelUI)
		if err != nil {
			t.Fatalf("next code: %v", err)
		}
		if !s.session(t, token).MFAPassed {
			t.Fatal("not signed in fully")
		}
	})
}

// TestCompleteSecondFactor_sameCodeConcurrentlyIsAcceptedOnce: two browsers
// racing with one code must not both get in.
func TestCompleteSecondFactor_sameCodeConcurrentlyIsAcceptedOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		secretText, _, t0, _ := s.enableTOTP(t, owner)
		c := code(t, secretText, t0)
		const n = 6
		halves := make([]*auth.Session, n)
		for i := range halves {
			halves[i] = s.passwordStep(t, ownerEmail, ownerPassword)
		}
		warmPool(t, d, 2*n)
		errsCh := make(chan error, n)
		var fns []func()
		for _, h := range halves {
			fns = append(fns, func() {
				_, err := s.CompleteSecondFactor(sysCtx, h, c, client, audit.ChannelUI)
				errsCh <- err
			})
		}
		race(fns...)
		close(errsCh)
		ok := 0
		for err := range errsCh {
			switch {
			case err == nil:
				ok++
			case !errs.Is(err, errs.Invalid):
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d of %d concurrent uses of one code succeeded, want 1", ok, n)
		}
	})
}

func TestCompleteSecondFactor_recoveryCodeWorksExactlyOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		_, codes, _, _ := s.enableTOTP(t, owner)

		token, err := s.CompleteSecondFactor(sysCtx, s.passwordStep(t, ownerEmail, ownerPassword), codes[0], client, audit.ChannelUI)
		if err != nil {
			t.Fatal(err)
		}
		if !s.session(t, token).MFAPassed {
			t.Fatal("not fully signed in")
		}
		if n, _ := s.RecoveryCodesLeft(sysCtx, owner); n != 9 {
			t.Errorf("RecoveryCodesLeft = %d, want 9", n)
		}
		r := s.wantAudit(t, "auth.signin", 1)[0]
		if r.Changes[0].New != "recovery_code" {
			t.Errorf("second factor recorded as %q", r.Changes[0].New)
		}

		half := s.passwordStep(t, ownerEmail, ownerPassword)
		_, err = s.CompleteSecondFactor(sysCtx, half, codes[0], client, audit.ChannelUI)
		wantField(t, err, "code")

		// Typed in upper case, with spaces instead of the dash.
		typed := " " + strings.ToUpper(strings.Replace(codes[1], "-", " ", 1)) + " "
		if _, err := s.CompleteSecondFactor(sysCtx, half, typed, client, audit.ChannelUI); err != nil {
			t.Fatalf("recovery code typed as %q: %v", typed, err)
		}
		if n, _ := s.RecoveryCodesLeft(sysCtx, owner); n != 8 {
			t.Errorf("RecoveryCodesLeft = %d, want 8", n)
		}
	})
}

func TestCompleteSecondFactor_wrongCodeIsInvalid(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		other := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		secretText, _, t0, _ := s.enableTOTP(t, owner)
		_, otherCodes, _, _ := s.enableTOTP(t, other)
		half := s.passwordStep(t, ownerEmail, ownerPassword)
		for _, c := range []struct{ name, code string }{
			{"wrong six digits", wrongCode(t, secretText, t0)},
			{"code two steps ahead", code(t, secretText, t0.Add(90*time.Second))},
			{"empty", ""},
			{"garbage", "not-a-code"},
			{"another user's recovery code", otherCodes[0]},
		} {
			_, err := s.CompleteSecondFactor(sysCtx, half, c.code, client, audit.ChannelUI)
			if !errs.Is(err, errs.Invalid) || errs.FieldsOf(err)["code"] == "" {
				t.Errorf("%s: err = %v, want Invalid on code", c.name, err)
			}
		}
		s.wantAudit(t, "auth.totp_failed", 5)
		// The half session survives wrong codes, still short of MFA.
		if n := s.count(t, "SELECT COUNT(*) FROM sessions WHERE id = ? AND mfa_passed = ?", half.ID, false); n != 1 {
			t.Fatal("the password-only session did not survive wrong codes unchanged")
		}
		if _, err := s.CompleteSecondFactor(sysCtx, half, code(t, secretText, t0), client, audit.ChannelUI); err != nil {
			t.Fatalf("right code after wrong ones: %v", err)
		}
	})
}

func TestCompleteSecondFactor_throttlesAfterTenWrongCodes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		secretText, _, t0, _ := s.enableTOTP(t, owner)
		half := s.passwordStep(t, ownerEmail, ownerPassword)
		bad := wrongCode(t, secretText, t0)
		for i := range 10 {
			_, err := s.CompleteSecondFactor(sysCtx, half, bad, auth.Client{IP: "203.0.113." + string(rune('1'+i%9))}, audit.ChannelUI)
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("try %d: err = %v, want Invalid", i+1, err)
			}
		}
		_, err := s.CompleteSecondFactor(sysCtx, half, code(t, secretText, t0), client, audit.ChannelUI)
		wantCode(t, err, errs.TooMany)
		s.wantAudit(t, "auth.signin_throttled", 1)
	})
}

func TestDisableTOTP_needsThePassword(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		_, _, _, fresh := s.enableTOTP(t, owner)
		wantField(t, s.DisableTOTP(sysCtx, fresh, otherPassword), "current_password")
		if !s.fresh(t, owner).TOTPEnabled {
			t.Fatal("TOTP turned off with a wrong password")
		}
		if err := s.DisableTOTP(sysCtx, fresh, ownerPassword); err != nil {
			t.Fatal(err)
		}
		if s.fresh(t, owner).TOTPEnabled {
			t.Fatal("TOTP still on")
		}
		if n, _ := s.RecoveryCodesLeft(sysCtx, owner); n != 0 {
			t.Errorf("%d recovery codes left after disabling", n)
		}
		s.wantAudit(t, "user.totp_disable", 1)
		res := s.signIn(t, ownerEmail, ownerPassword)
		if res.NeedTOTP || !s.session(t, res.Token).MFAPassed {
			t.Fatal("sign-in still needs a second factor")
		}
	})
}

func TestSetRequireTOTP_requiresOwnerWithTOTPAndBlocksDisabling(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		admin := s.addUser(t, "adam@example.com", auth.RoleAdmin, auth.Grants{})

		wantCode(t, s.SetRequireTOTP(sysCtx, owner, true), errs.Invalid) // owner has no TOTP yet
		wantCode(t, s.SetRequireTOTP(sysCtx, admin, true), errs.Forbidden)
		if on, err := s.RequireTOTP(sysCtx); on || err != nil {
			t.Fatalf("RequireTOTP = %v, %v", on, err)
		}

		_, _, _, owner = s.enableTOTP(t, owner)
		_, _, _, admin = s.enableTOTP(t, admin)
		wantCode(t, s.SetRequireTOTP(sysCtx, admin, true), errs.Forbidden) // settings are the owner's
		if err := s.SetRequireTOTP(sysCtx, owner, true); err != nil {
			t.Fatal(err)
		}
		if on, err := s.RequireTOTP(sysCtx); !on || err != nil {
			t.Fatalf("RequireTOTP = %v, %v", on, err)
		}
		r := s.wantAudit(t, "settings.update", 1)[0]
		if r.Changes[0] != (audit.Change{Field: "require_totp", Old: "false", New: "true"}) {
			t.Errorf("audit changes = %+v", r.Changes)
		}
		// Setting it again changes nothing.
		if err := s.SetRequireTOTP(sysCtx, owner, true); err != nil {
			t.Fatal(err)
		}
		s.wantAudit(t, "settings.update", 1)

		wantCode(t, s.DisableTOTP(sysCtx, owner, ownerPassword), errs.Forbidden)
		wantCode(t, s.DisableTOTP(sysCtx, admin, userPassword), errs.Forbidden)
		if !s.fresh(t, admin).TOTPEnabled {
			t.Fatal("TOTP turned off while required")
		}

		if err := s.SetRequireTOTP(sysCtx, owner, false); err != nil {
			t.Fatal(err)
		}
		s.wantAudit(t, "settings.update", 2)
		if err := s.DisableTOTP(sysCtx, admin, userPassword); err != nil {
			t.Fatalf("DisableTOTP once no longer required: %v", err)
		}
	})
}

func TestResetTOTP_adminClearsAnotherUsersSecondFactor(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		admin := s.addUser(t, "adam@example.com", auth.RoleAdmin, auth.Grants{})
		advisor := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		s.enableTOTP(t, owner)
		s.enableTOTP(t, advisor)

		wantCode(t, s.ResetTOTP(sysCtx, admin, owner.ID), errs.Forbidden)   // an owner, by an admin
		wantCode(t, s.ResetTOTP(sysCtx, advisor, admin.ID), errs.Forbidden) // not a manager
		wantCode(t, s.ResetTOTP(sysCtx, owner, owner.ID), errs.Forbidden)   // oneself
		wantCode(t, s.ResetTOTP(sysCtx, admin, 999999), errs.NotFound)      // nobody
		if err := s.ResetTOTP(sysCtx, admin, advisor.ID); err != nil {
			t.Fatal(err)
		}
		if s.fresh(t, advisor).TOTPEnabled || !s.fresh(t, owner).TOTPEnabled {
			t.Fatal("wrong user's TOTP changed")
		}
		if n, _ := s.RecoveryCodesLeft(sysCtx, advisor); n != 0 {
			t.Errorf("%d recovery codes left", n)
		}
		r := s.wantAudit(t, "user.totp_reset", 1)[0]
		if r.EntityID != advisor.IDString() {
			t.Errorf("audit entity = %s", r.EntityID)
		}
		if res := s.signIn(t, advisor.Email, userPassword); res.NeedTOTP {
			t.Fatal("still needs TOTP")
		}
	})
}

func TestRegenerateRecoveryCodes_replacesTheOldOnes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		_, err := s.RegenerateRecoveryCodes(sysCtx, owner, ownerPassword)
		wantCode(t, err, errs.Invalid) // TOTP is off
		_, old, _, fresh := s.enableTOTP(t, owner)
		_, err = s.RegenerateRecoveryCodes(sysCtx, fresh, otherPassword)
		wantField(t, err, "current_password")
		codes, err := s.RegenerateRecoveryCodes(sysCtx, fresh, ownerPassword)
		if err != nil || len(codes) != 10 {
			t.Fatalf("RegenerateRecoveryCodes = %d codes, %v", len(codes), err)
		}
		s.wantAudit(t, "user.recovery_codes_regenerate", 1)
		half := s.passwordStep(t, ownerEmail, ownerPassword)
		_, err = s.CompleteSecondFactor(sysCtx, half, old[0], client, audit.ChannelUI)
		wantField(t, err, "code")
		if _, err := s.CompleteSecondFactor(sysCtx, half, codes[0], client, audit.ChannelUI); err != nil {
			t.Fatalf("new recovery code: %v", err)
		}
	})
}
