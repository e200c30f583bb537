package auth

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// TokenPrefix starts every API token, so leaked tokens are easy to spot.
const TokenPrefix = "folio_"

// APIToken is a bearer token of the JSON API. The secret is shown once, at
// creation; only its hash is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// CreateToken makes a token for u and returns it with its secret.
func (s *Service) CreateToken(ctx context.Context, u *User, name string) (*APIToken, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 || strings.ContainsAny(name, "\r\n") {
		return nil, "", errs.FieldErrors(map[string]string{"name": "Name the token (at most 100 characters), e.g. \"Zapier\" or \"reporting script\"."})
	}
	if u.DisabledAt != nil {
		return nil, "", errs.E(errs.Forbidden, "A disabled user cannot get API tokens.")
	}
	raw, _ := newToken(20)
	secret := TokenPrefix + raw
	t := &APIToken{UserID: u.ID, Name: name, Prefix: secret[:len(TokenPrefix)+6], CreatedAt: db.Now()}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			u.ID, t.Name, t.Prefix, hashToken(secret), t.CreatedAt).Scan(&t.ID)
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "api_token", EntityID: strconv.FormatInt(t.ID, 10), Action: "token.create",
			Changes: []audit.Change{{Field: "name", New: name}, {Field: "user", New: u.Email}}})
	})
	if err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

const tokenColumns = "id, user_id, name, prefix, created_at, last_used_at, revoked_at"

func scanToken(row interface{ Scan(...any) error }) (*APIToken, error) {
	var t APIToken
	var last, revoked sql.NullTime
	if err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &last, &revoked); err != nil {
		return nil, err
	}
	if last.Valid {
		v := last.Time.UTC()
		t.LastUsedAt = &v
	}
	if revoked.Valid {
		v := revoked.Time.UTC()
		t.RevokedAt = &v
	}
	return &t, nil
}

// Tokens lists u's tokens, newest first, revoked ones included.
func (s *Service) Tokens(ctx context.Context, u *User) ([]*APIToken, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE user_id = ? ORDER BY revoked_at IS NOT NULL, id DESC", u.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken ends one of u's tokens; by must be u or a user manager.
func (s *Service) RevokeToken(ctx context.Context, by *User, id int64) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		t, err := scanToken(tx.QueryRowContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && by != nil && t.UserID != by.ID && !by.Can(PermUsersAdmin)) {
			return errs.E(errs.NotFound, "No such token.")
		}
		if err != nil {
			return err
		}
		if t.RevokedAt != nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", db.Now(), id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "api_token", EntityID: strconv.FormatInt(id, 10), Action: "token.revoke",
			Changes: []audit.Change{{Field: "name", Old: t.Name}}})
	})
}

var errBadToken = errs.E(errs.Unauthorized, "The API token is missing, unknown or revoked. Send it as \"Authorization: Bearer folio_…\".")

// Authenticate returns the user and token behind a bearer secret.
func (s *Service) Authenticate(ctx context.Context, secret string) (*User, *APIToken, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 100 {
		return nil, nil, errBadToken
	}
	t, err := scanToken(s.DB.QueryRowContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE token_hash = ?", hashToken(secret)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errBadToken
	}
	if err != nil {
		return nil, nil, err
	}
	if t.RevokedAt != nil {
		return nil, nil, errBadToken
	}
	u, err := s.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.DisabledAt != nil {
		return nil, nil, errs.E(errs.Unauthorized, "The user who owns this API token is disabled.")
	}
	now := db.Now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if _, err := s.DB.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, t.ID); err != nil {
			return nil, nil, err
		}
		t.LastUsedAt = &now
	}
	return u, t, nil
}
