package auth

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/mail"
)

// ResetLinkTTL is how long a password-reset link works.
const ResetLinkTTL = time.Hour

// maxOpenResets bounds unused links per user per hour, so the public form
// cannot be used to flood someone's mailbox.
const maxOpenResets = 3

// RequestPasswordReset emails a single-use reset link to the user with this
// address, if there is one and it is active. It says nothing either way.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	u, err := s.UserByEmail(ctx, email)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if u.DisabledAt != nil {
		return nil
	}
	return s.sendReset(ctx, u, false)
}

// SendPasswordReset is an administrator sending a reset link to a user.
func (s *Service) SendPasswordReset(ctx context.Context, by *User, id int64) error {
	u, err := s.UserByID(ctx, id)
	if err != nil {
		return err
	}
	if !by.Can(PermUsersAdmin) || (u.Role == RoleOwner && by.Role != RoleOwner) {
		return errs.E(errs.Forbidden, "You may not reset this user's password.")
	}
	if u.DisabledAt != nil {
		return errs.E(errs.Invalid, "This user is disabled; enable the account before sending a reset link.")
	}
	return s.sendReset(ctx, u, true)
}

func (s *Service) sendReset(ctx context.Context, u *User, byAdmin bool) error {
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var open int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM password_resets WHERE user_id = ? AND used_at IS NULL AND created_at > ?",
			u.ID, db.Now().Add(-ResetLinkTTL)).Scan(&open); err != nil {
			return err
		}
		if open >= maxOpenResets && !byAdmin {
			return nil // quietly: the user already has working links
		}
		if err := s.queueReset(ctx, tx, u.ID, u.Email, u.Name, false); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: u.IDString(), Action: "user.password_reset_sent"})
	})
	if err == nil {
		s.MailQueued()
	}
	return err
}

// queueReset stores a new reset link and queues its email inside tx. The
// link is built from BaseURL, never from the request.
func (s *Service) queueReset(ctx context.Context, tx *db.Tx, userID int64, email, name string, invite bool) error {
	token, hash := newToken(32)
	now := db.Now()
	ttl := ResetLinkTTL
	if invite {
		ttl = 7 * 24 * time.Hour
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		hash, userID, now, now.Add(ttl)); err != nil {
		return err
	}
	link := s.BaseURL + "/password/reset/" + token
	m := mail.Message{To: email, ToName: name, Subject: "Reset your Folio password",
		Body: "Hello " + name + ",\n\nSomeone asked to reset the password of your Folio account (" + email + ").\n" +
			"Choose a new password here within the next hour:\n\n" + link + "\n\n" +
			"The link works once. If you did not ask for this, ignore this email: your password stays as it is.\n"}
	if invite {
		m.Subject = "You have been invited to Folio"
		m.Body = "Hello " + name + ",\n\nAn account has been created for you in your firm's Folio (" + email + ").\n" +
			"Choose your password here within the next 7 days:\n\n" + link + "\n\nThe link works once.\n"
	}
	_, err := mail.Enqueue(ctx, tx, m)
	return err
}

var errResetLink = errs.E(errs.NotFound, "This password reset link is not valid. It may have expired or been used already; ask for a new one.")

// CheckResetToken reports whether a reset link still works, and for whom.
func (s *Service) CheckResetToken(ctx context.Context, token string) (*User, error) {
	var userID int64
	var expires time.Time
	var used sql.NullTime
	err := s.DB.QueryRowContext(ctx, "SELECT user_id, expires_at, used_at FROM password_resets WHERE token_hash = ?", hashToken(token)).
		Scan(&userID, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (used.Valid || db.Now().After(expires))) {
		return nil, errResetLink
	}
	if err != nil {
		return nil, err
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil || u.DisabledAt != nil {
		return nil, errResetLink
	}
	return u, nil
}

// ResetPassword sets a new password through a reset link, uses the link up
// and ends every session of the user.
func (s *Service) ResetPassword(ctx context.Context, token, password string, c Client) (*User, error) {
	u, err := s.CheckResetToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := CheckPassword(password, u.Email, u.Name); err != nil {
		return nil, errs.FieldErrors(map[string]string{"password": errs.MessageOf(err)})
	}
	hash, err := s.Hasher.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", db.Now(), hashToken(token))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errResetLink // used concurrently
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, db.Now(), u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
			return err
		}
		return audit.WriteAs(ctx, tx, u.Actor(audit.ChannelUI, c.IP), audit.Entry{Entity: "user", EntityID: strconv.FormatInt(u.ID, 10),
			Action: "user.password_reset", Changes: []audit.Change{{Field: "password", Old: "••••", New: "••••"}}})
	})
	return u, err
}
