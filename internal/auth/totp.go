package auth

import (
	"bytes"
	"context"
	"crypto/subtle"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

const totpPeriod = 30

func normalizeCode(code string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(code)))
}

// matchTOTP returns the time step whose code equals code, allowing one step
// of clock drift either way.
func matchTOTP(secretText, code string, now time.Time) (int64, bool) {
	for _, skew := range []int64{0, -1, 1} {
		t := now.Add(time.Duration(skew*totpPeriod) * time.Second)
		want, err := totp.GenerateCodeCustom(secretText, t, totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return t.Unix() / totpPeriod, true
		}
	}
	return 0, false
}

// Enrolment is what the user scans to add Folio to an authenticator app.
type Enrolment struct {
	Secret string
	URL    string
	QRPNG  []byte
}

// BeginTOTP creates a new secret for u (not active until ConfirmTOTP).
func (s *Service) BeginTOTP(ctx context.Context, u *User) (*Enrolment, error) {
	if u.TOTPEnabled {
		return nil, errs.E(errs.Conflict, "Two-factor authentication is already on for your account.")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Folio", AccountName: u.Email, Period: totpPeriod})
	if err != nil {
		return nil, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	if _, err := s.DB.ExecContext(ctx, "UPDATE users SET totp_secret = ?, updated_at = ? WHERE id = ? AND totp_enabled = FALSE",
		s.Box.Seal(key.Secret()), db.Now(), u.ID); err != nil {
		return nil, err
	}
	return &Enrolment{Secret: key.Secret(), URL: key.URL(), QRPNG: buf.Bytes()}, nil
}

// PendingTOTP returns the enrolment started by BeginTOTP, to show it again.
func (s *Service) PendingTOTP(ctx context.Context, u *User) (*Enrolment, error) {
	fresh, err := s.UserByID(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if fresh.TOTPEnabled || fresh.totpSecret == "" {
		return nil, errs.E(errs.NotFound, "No set-up in progress.")
	}
	secretText, err := s.Box.Open(fresh.totpSecret)
	if err != nil {
		return nil, err
	}
	key, err := otp.NewKeyFromURL("otpauth://totp/Folio:" + u.Email + "?secret=" + secretText + "&issuer=Folio&period=30")
	if err != nil {
		return nil, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return &Enrolment{Secret: secretText, URL: key.URL(), QRPNG: buf.Bytes()}, nil
}

// ConfirmTOTP turns the second factor on once the user proves their app
// produces the right code; it returns ten one-time recovery codes.
func (s *Service) ConfirmTOTP(ctx context.Context, u *User, code string) ([]string, error) {
	var codes []string
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		fresh, err := s.userWhere(ctx, tx, "id = ?", u.ID)
		if err != nil {
			return err
		}
		if fresh.TOTPEnabled {
			return errs.E(errs.Conflict, "Two-factor authentication is already on for your account.")
		}
		if fresh.totpSecret == "" {
			return errs.E(errs.Invalid, "Start the set-up again: no secret was created.")
		}
		secretText, err := s.Box.Open(fresh.totpSecret)
		if err != nil {
			return err
		}
		step, ok := matchTOTP(secretText, normalizeCode(code), db.Now())
		if !ok {
			return errs.FieldErrors(map[string]string{"code": "This code does not match. Enter the 6-digit code your app shows now."})
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET totp_enabled = TRUE, totp_last_step = ?, updated_at = ? WHERE id = ?", step, db.Now(), u.ID); err != nil {
			return err
		}
		if codes, err = replaceRecoveryCodes(ctx, tx, u.ID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: u.IDString(), Action: "user.totp_enable",
			Changes: []audit.Change{{Field: "totp", Old: "off", New: "on"}}})
	})
	return codes, err
}

func replaceRecoveryCodes(ctx context.Context, tx *db.Tx, userID int64) ([]string, error) {
	if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", userID); err != nil {
		return nil, err
	}
	codes := make([]string, 10)
	for i := range codes {
		raw, _ := newToken(7) // 56 bits: 12 characters
		raw = raw[:10]
		codes[i] = raw[:5] + "-" + raw[5:]
		if _, err := tx.ExecContext(ctx, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)", userID, hashToken(raw)); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// RegenerateRecoveryCodes replaces u's recovery codes after checking the
// current password.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, u *User, password string) ([]string, error) {
	if !u.TOTPEnabled {
		return nil, errs.E(errs.Invalid, "Turn on two-factor authentication first.")
	}
	if err := s.checkCurrent(ctx, u, password); err != nil {
		return nil, err
	}
	var codes []string
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if codes, err = replaceRecoveryCodes(ctx, tx, u.ID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: u.IDString(), Action: "user.recovery_codes_regenerate"})
	})
	return codes, err
}

// RecoveryCodesLeft counts u's unused recovery codes.
func (s *Service) RecoveryCodesLeft(ctx context.Context, u *User) (int, error) {
	var n int
	err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", u.ID).Scan(&n)
	return n, err
}

// DisableTOTP turns u's second factor off after checking the password; not
// allowed while the owner requires it for everyone.
func (s *Service) DisableTOTP(ctx context.Context, u *User, password string) error {
	req, err := s.RequireTOTP(ctx)
	if err != nil {
		return err
	}
	if req {
		return errs.E(errs.Forbidden, "Your firm requires two-factor authentication, so it cannot be turned off.")
	}
	if err := s.checkCurrent(ctx, u, password); err != nil {
		return err
	}
	return s.clearTOTP(ctx, u.ID, "user.totp_disable")
}

// ResetTOTP clears another user's second factor (lost phone); they set it
// up again at their next sign-in if the firm requires it.
func (s *Service) ResetTOTP(ctx context.Context, by *User, id int64) error {
	u, err := s.UserByID(ctx, id)
	if err != nil {
		return err
	}
	if by.ID == id {
		return errs.E(errs.Forbidden, "Use your own account page to change your two-factor authentication.")
	}
	if !by.Can(PermUsersAdmin) || (u.Role == RoleOwner && by.Role != RoleOwner) {
		return errs.E(errs.Forbidden, "You may not change this user's two-factor authentication.")
	}
	return s.clearTOTP(ctx, id, "user.totp_reset")
}

func (s *Service) clearTOTP(ctx context.Context, id int64, action string) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET totp_enabled = FALSE, totp_secret = '', updated_at = ? WHERE id = ?", db.Now(), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: auditUserID(id), Action: action,
			Changes: []audit.Change{{Field: "totp", Old: "on", New: "off"}}})
	})
}
