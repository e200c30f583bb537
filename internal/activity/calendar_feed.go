package activity

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// A user's calendar feed URL holds a secret token. It is stored sealed, so
// the calendar page can show the URL again, and as a keyed hash, to find
// the user from a URL without decrypting every row. Resetting replaces it
// (the old URL stops working); turning the feed off deletes it.

var errNoFeed = errs.E(errs.NotFound, "No such calendar feed.")

// FeedToken is the secret of userID's feed URL, "" when the feed is off.
func (s *Service) FeedToken(ctx context.Context, userID int64) (string, error) {
	var sealed string
	err := s.DB.QueryRowContext(ctx, "SELECT token_sealed FROM calendar_feeds WHERE user_id = ?", userID).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("activity: calendar feed: %w", err)
	}
	return s.Contacts.Box.Open(sealed)
}

// ResetFeed gives userID's feed a new secret (turning it on) and returns
// it; the previous URL stops working at once.
func (s *Service) ResetFeed(ctx context.Context, userID int64) (string, error) {
	raw := make([]byte, 32)
	rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var had int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM calendar_feeds WHERE user_id = ?", userID).Scan(&had); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_feeds (user_id, token_sealed, token_hash, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET token_sealed = excluded.token_sealed, token_hash = excluded.token_hash, created_at = excluded.created_at`,
			userID, s.Contacts.Box.Seal(token), s.feedHash(token), db.Now()); err != nil {
			return fmt.Errorf("activity: reset calendar feed: %w", err)
		}
		old := "off"
		if had > 0 {
			old = "on (previous URL)"
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: idStr(userID), Action: "user.calendar_feed_reset",
			Changes: []audit.Change{{Field: "calendar feed", Old: old, New: "on (new URL)"}}})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// TurnOffFeed revokes userID's feed URL.
func (s *Service) TurnOffFeed(ctx context.Context, userID int64) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM calendar_feeds WHERE user_id = ?", userID)
		if err != nil {
			return fmt.Errorf("activity: turn off calendar feed: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: idStr(userID), Action: "user.calendar_feed_off",
			Changes: []audit.Change{{Field: "calendar feed", Old: "on", New: "off"}}})
	})
}

// feedUser is the user whose feed token is token, or not found.
func (s *Service) feedUser(ctx context.Context, token string) (int64, error) {
	if len(token) != 43 { // 32 bytes, base64url without padding
		return 0, errNoFeed
	}
	var id int64
	err := s.DB.QueryRowContext(ctx, "SELECT user_id FROM calendar_feeds WHERE token_hash = ?", s.feedHash(token)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errNoFeed
	}
	return id, err
}

func (s *Service) feedHash(token string) string { return s.Contacts.Box.Hash("calendar-feed:" + token) }
