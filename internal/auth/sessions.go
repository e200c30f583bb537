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
)

// Session is a signed-in browser.
type Session struct {
	ID         int64
	User       *User
	MFAPassed  bool
	IP         string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// Client describes where a request comes from.
type Client struct {
	IP        string
	UserAgent string
}

// startSession creates a session with a fresh token inside tx.
func (s *Service) startSession(ctx context.Context, tx *db.Tx, u *User, mfaPassed bool, c Client) (string, error) {
	token, hash := newToken(16) // 128 bits
	now := db.Now()
	ua := c.UserAgent
	if len(ua) > 300 {
		ua = ua[:300]
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, mfa_passed, ip, user_agent, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, hash, u.ID, mfaPassed, c.IP, ua, now, now, now.Add(s.MaxAge))
	return token, err
}

// touchEvery limits how often last_seen_at is written.
const touchEvery = time.Minute

// SessionByToken returns the live session for a cookie token. An unknown,
// expired or idle session, or one whose user is disabled, is Unauthorized.
func (s *Service) SessionByToken(ctx context.Context, token string) (*Session, error) {
	if token == "" || len(token) > 100 {
		return nil, errs.E(errs.Unauthorized, "Please sign in.")
	}
	row := s.DB.QueryRowContext(ctx, `SELECT s.id, s.mfa_passed, s.ip, s.user_agent, s.created_at, s.last_seen_at, s.expires_at, `+
		prefixed("u.", userColumns)+` FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, hashToken(token))
	var ss Session
	var dest = []any{&ss.ID, &ss.MFAPassed, &ss.IP, &ss.UserAgent, &ss.CreatedAt, &ss.LastSeenAt, &ss.ExpiresAt}
	u, err := scanUser(prefixScanner{row, dest})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.Unauthorized, "Your session has ended. Please sign in again.")
	}
	if err != nil {
		return nil, err
	}
	ss.User = u
	now := db.Now()
	if u.DisabledAt != nil || now.After(ss.ExpiresAt) || now.Sub(ss.LastSeenAt) > s.IdleTimeout {
		_, _ = s.DB.ExecContext(ctx, "DELETE FROM sessions WHERE id = ?", ss.ID)
		return nil, errs.E(errs.Unauthorized, "Your session has ended. Please sign in again.")
	}
	if now.Sub(ss.LastSeenAt) > touchEvery {
		if _, err := s.DB.ExecContext(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", now, ss.ID); err != nil {
			return nil, err
		}
		ss.LastSeenAt = now
	}
	return &ss, nil
}

// Sessions lists u's live sessions, most recently used first.
func (s *Service) Sessions(ctx context.Context, u *User) ([]Session, error) {
	now := db.Now()
	rows, err := s.DB.QueryContext(ctx, `SELECT id, mfa_passed, ip, user_agent, created_at, last_seen_at, expires_at FROM sessions
		WHERE user_id = ? AND expires_at > ? AND last_seen_at > ? ORDER BY last_seen_at DESC`, u.ID, now, now.Add(-s.IdleTimeout))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		ss := Session{User: u}
		if err := rows.Scan(&ss.ID, &ss.MFAPassed, &ss.IP, &ss.UserAgent, &ss.CreatedAt, &ss.LastSeenAt, &ss.ExpiresAt); err != nil {
			return nil, err
		}
		out = append(out, ss)
	}
	return out, rows.Err()
}

// RevokeSession ends one of u's sessions.
func (s *Service) RevokeSession(ctx context.Context, u *User, id int64) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE id = ? AND user_id = ?", id, u.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "That session has already ended.")
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "session", EntityID: strconv.FormatInt(id, 10), Action: "session.revoke"})
	})
}

// SignOut ends the session of token.
func (s *Service) SignOut(ctx context.Context, ss *Session) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE id = ?", ss.ID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: ss.User.IDString(), Action: "auth.signout"})
	})
}

// PurgeExpired deletes ended sessions, old sign-in attempts and used reset
// links; run periodically.
func (s *Service) PurgeExpired(ctx context.Context) error {
	now := db.Now()
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?", now, now.Add(-s.IdleTimeout)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sign_in_attempts WHERE at < ?", now.Add(-24*time.Hour)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM password_resets WHERE expires_at < ?", now.Add(-24*time.Hour))
		return err
	})
}

// prefixScanner scans dest first, then hands the rest to the user scanner.
type prefixScanner struct {
	row  *sql.Row
	dest []any
}

func (p prefixScanner) Scan(rest ...any) error { return p.row.Scan(append(p.dest, rest...)...) }

func prefixed(prefix, cols string) string {
	out := []byte{}
	start := true
	for i := 0; i < len(cols); i++ {
		c := cols[i]
		if start && c != ' ' && c != '\t' && c != '\n' {
			out = append(out, prefix...)
			start = false
		}
		out = append(out, c)
		if c == ',' {
			start = true
		}
	}
	return string(out)
}
