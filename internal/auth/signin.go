package auth

import (
	"context"
	"errors"
	"strconv"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// Messages that never reveal whether an account exists.
var (
	ErrBadCredentials = errs.E(errs.Unauthorized, "The email or password is incorrect.")
	ErrThrottled      = errs.E(errs.TooMany, "Too many failed sign-in attempts. Wait 15 minutes and try again, or reset your password.")
)

// SignInResult says what the browser must do next.
type SignInResult struct {
	Token string
	User  *User
	// NeedTOTP: the session may only complete the second factor.
	NeedTOTP bool
}

// SignIn checks a password and starts a session. Failures are throttled per
// account and per IP address and written to the activity log.
func (s *Service) SignIn(ctx context.Context, email, password string, c Client, ch audit.Channel) (*SignInResult, error) {
	email = NormalizeEmail(email)
	if len(email) > 254 {
		email = email[:254]
	}
	anon := audit.Actor{Type: audit.ActorUser, Name: email, Channel: ch, IP: c.IP}
	if err := s.checkThrottle(ctx, email, c.IP); err != nil {
		s.logAttempt(ctx, anon, "", "auth.signin_throttled", email, c.IP, false, false)
		return nil, err
	}
	u, err := s.UserByEmail(ctx, email)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	if u == nil {
		_, _ = s.Hasher.Verify(ctx, password, s.Hasher.dummy(ctx))
		s.logAttempt(ctx, anon, "", "auth.signin_failed", email, c.IP, true, false)
		return nil, ErrBadCredentials
	}
	ok, err := s.Hasher.Verify(ctx, password, u.passwordHash)
	if err != nil && !errors.Is(err, errBadHash) {
		return nil, err
	}
	actor := u.Actor(ch, c.IP)
	if !ok {
		s.logAttempt(ctx, actor, u.IDString(), "auth.signin_failed", email, c.IP, true, false)
		return nil, ErrBadCredentials
	}
	if u.DisabledAt != nil {
		s.logAttempt(ctx, actor, u.IDString(), "auth.signin_disabled", email, c.IP, true, false)
		return nil, errs.E(errs.Forbidden, "This account is disabled. Ask an administrator of your firm to enable it.")
	}
	res := &SignInResult{User: u, NeedTOTP: u.TOTPEnabled}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := recordAttempt(ctx, tx, email, c.IP, true); err != nil {
			return err
		}
		var err error
		if res.Token, err = s.startSession(ctx, tx, u, !u.TOTPEnabled, c); err != nil {
			return err
		}
		action := "auth.signin"
		if u.TOTPEnabled {
			action = "auth.signin_password" // completed by auth.signin after the second factor
		}
		return audit.WriteAs(ctx, tx, actor, audit.Entry{Entity: "user", EntityID: u.IDString(), Action: action})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// logAttempt records a refused sign-in in the activity log and, when count
// is set, in the throttling table.
func (s *Service) logAttempt(ctx context.Context, actor audit.Actor, userID, action, email, ip string, count, success bool) {
	_ = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if count {
			if err := recordAttempt(ctx, tx, email, ip, success); err != nil {
				return err
			}
		}
		return audit.WriteAs(ctx, tx, actor, audit.Entry{Entity: "user", EntityID: userID, Action: action,
			Changes: []audit.Change{{Field: "email", New: email}}})
	})
}

func recordAttempt(ctx context.Context, tx *db.Tx, email, ip string, success bool) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO sign_in_attempts (email, ip, success, at) VALUES (?, ?, ?, ?)", email, ip, success, db.Now())
	return err
}

// checkThrottle refuses when the account has Throttle.Account failures since
// its last success within the window, or the IP has Throttle.IP failures.
func (s *Service) checkThrottle(ctx context.Context, email, ip string) error {
	since := db.Now().Add(-s.Throttle.Window)
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM sign_in_attempts WHERE email = ? AND success = FALSE AND at > ?
		AND at > COALESCE((SELECT MAX(at) FROM sign_in_attempts WHERE email = ? AND success = TRUE), ?)`,
		email, since, email, since).Scan(&n)
	if err != nil {
		return err
	}
	if n >= s.Throttle.Account {
		return ErrThrottled
	}
	if ip == "" {
		return nil
	}
	if err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM sign_in_attempts WHERE ip = ? AND success = FALSE AND at > ?", ip, since).Scan(&n); err != nil {
		return err
	}
	if n >= s.Throttle.IP {
		return ErrThrottled
	}
	return nil
}

// CompleteSecondFactor checks a TOTP or recovery code for a session that
// passed the password step, and replaces it with a fully signed-in session.
func (s *Service) CompleteSecondFactor(ctx context.Context, ss *Session, code string, c Client, ch audit.Channel) (string, error) {
	u := ss.User
	actor := u.Actor(ch, c.IP)
	if err := s.checkThrottle(ctx, u.Email, c.IP); err != nil {
		s.logAttempt(ctx, actor, u.IDString(), "auth.signin_throttled", u.Email, c.IP, false, false)
		return "", err
	}
	var token string
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		fresh, err := s.userWhere(ctx, tx, "id = ?", u.ID)
		if err != nil {
			return err
		}
		factor, err := s.checkSecondFactor(ctx, tx, fresh, code)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE id = ?", ss.ID); err != nil {
			return err
		}
		if err := recordAttempt(ctx, tx, u.Email, c.IP, true); err != nil {
			return err
		}
		if token, err = s.startSession(ctx, tx, fresh, true, c); err != nil {
			return err
		}
		return audit.WriteAs(ctx, tx, actor, audit.Entry{Entity: "user", EntityID: u.IDString(), Action: "auth.signin",
			Changes: []audit.Change{{Field: "second_factor", New: factor}}})
	})
	if errs.Is(err, errs.Invalid) {
		s.logAttempt(ctx, actor, u.IDString(), "auth.totp_failed", u.Email, c.IP, true, false)
	}
	return token, err
}

// checkSecondFactor accepts a current TOTP code (once) or an unused
// recovery code, and says which it was.
func (s *Service) checkSecondFactor(ctx context.Context, tx *db.Tx, u *User, code string) (string, error) {
	code = normalizeCode(code)
	if len(code) == 6 {
		secretText, err := s.Box.Open(u.totpSecret)
		if err != nil {
			return "", err
		}
		step, ok := matchTOTP(secretText, code, db.Now())
		if !ok {
			return "", errs.FieldErrors(map[string]string{"code": "This code is not valid. Check your authenticator app's clock and try the current code."})
		}
		if step <= u.totpLastStep {
			return "", errs.FieldErrors(map[string]string{"code": "This code has already been used. Wait for the next code and enter that."})
		}
		// The condition makes the check atomic: of two transactions racing
		// with one code, the second finds the step already taken.
		res, err := tx.ExecContext(ctx, "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", step, u.ID, step)
		if err != nil {
			return "", err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return "", errs.FieldErrors(map[string]string{"code": "This code has already been used. Wait for the next code and enter that."})
		}
		return "totp", nil
	}
	res, err := tx.ExecContext(ctx, "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
		db.Now(), u.ID, hashToken(code))
	if err != nil {
		return "", err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return "", errs.FieldErrors(map[string]string{"code": "Enter the 6-digit code from your authenticator app, or one of your unused recovery codes."})
	}
	return "recovery_code", nil
}

// auditUserID is the entity id of a user in the activity log.
func auditUserID(id int64) string { return strconv.FormatInt(id, 10) }
