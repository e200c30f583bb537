// Package inbound owns BCC logging: each staff user's personal BCC address
// (a secret token, stored sealed with a keyed hash to find it), Folio's own
// SMTP listener that receives mail sent to those addresses, the parsing of
// what arrives (MIME text and HTML parts, attachments, encoded headers), and
// the filing of each message on the timeline of every contact it names —
// or, when it names none the owner may see, in the owner's unfiled list, to
// be filed by hand, turned into a new contact, or deleted.
//
// Received mail is stored in the emails table (direction 'in') that the
// outgoing mail module owns and shows.
package inbound

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/secret"
)

// Defaults of the limits (the FOLIO_INBOUND_* settings change them).
const (
	DefaultMaxMessageBytes    = 25 << 20
	DefaultMaxAttachmentBytes = 10 << 20
	DefaultRatePerMinute      = 30
)

// Service is BCC logging.
type Service struct {
	DB       *db.DB
	Box      *secret.Box
	Contacts *contact.Service
	Auth     *auth.Service
	Log      *slog.Logger
	// Domain is the part after the @ of every BCC address.
	Domain string
	// MaxMessageBytes is the largest message accepted (552 beyond).
	MaxMessageBytes int64
	// MaxAttachmentBytes is the largest attachment kept; bigger ones are
	// dropped with a note in the body.
	MaxAttachmentBytes int64
	// RatePerMinute is how many messages one client IP may send, and one
	// BCC address may receive, per minute (with a burst of as many).
	RatePerMinute int
}

// New returns the service with the default limits.
func New(d *db.DB, box *secret.Box, contacts *contact.Service, a *auth.Service, log *slog.Logger, domain string) *Service {
	return &Service{DB: d, Box: box, Contacts: contacts, Auth: a, Log: log, Domain: strings.ToLower(domain),
		MaxMessageBytes: DefaultMaxMessageBytes, MaxAttachmentBytes: DefaultMaxAttachmentBytes, RatePerMinute: DefaultRatePerMinute}
}

// localPrefix starts the local part of every BCC address.
const localPrefix = "bcc+"

var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return tokenEncoding.EncodeToString(b)
}

// tokenHash is what the database keeps to find a token.
func (s *Service) tokenHash(token string) string { return s.Box.Hash("inbound-bcc:" + token) }

func (s *Service) addressOf(token string) string { return localPrefix + token + "@" + s.Domain }

var errReadOnly = errs.E(errs.Forbidden, "Your access is read-only, so Folio does not file mail for you.")

// Address is u's BCC address, made on first use.
func (s *Service) Address(ctx context.Context, u *auth.User) (string, error) {
	if !u.Can(auth.PermWrite) {
		return "", errReadOnly
	}
	var sealed string
	err := s.DB.QueryRowContext(ctx, "SELECT token_sealed FROM inbound_addresses WHERE user_id = ?", u.ID).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return s.setAddress(ctx, u, false)
	}
	if err != nil {
		return "", fmt.Errorf("inbound: address: %w", err)
	}
	token, err := s.Box.Open(sealed)
	if err != nil {
		return "", fmt.Errorf("inbound: address: %w", err)
	}
	return s.addressOf(token), nil
}

// ResetAddress gives u a new BCC address; mail to the old one is refused
// from now on.
func (s *Service) ResetAddress(ctx context.Context, u *auth.User) (string, error) {
	if !u.Can(auth.PermWrite) {
		return "", errReadOnly
	}
	return s.setAddress(ctx, u, true)
}

// setAddress stores a new token for u: the first one, or, with reset, one
// that replaces the old. Either is in the activity log (never the token).
func (s *Service) setAddress(ctx context.Context, u *auth.User, reset bool) (string, error) {
	token := newToken()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var old string
		err := tx.QueryRowContext(ctx, "SELECT token_sealed FROM inbound_addresses WHERE user_id = ?", u.ID).Scan(&old)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case !reset: // made meanwhile by another request: keep it
			token, err = s.Box.Open(old)
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM inbound_addresses WHERE user_id = ?", u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO inbound_addresses (user_id, token_sealed, token_hash, created_at) VALUES (?, ?, ?, ?)",
			u.ID, s.Box.Seal(token), s.tokenHash(token), db.Now()); err != nil {
			return fmt.Errorf("inbound: set address: %w", err)
		}
		action := "user.bcc_address_create"
		if old != "" {
			action = "user.bcc_address_reset"
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: u.IDString(), Action: action,
			Changes: []audit.Change{{Field: "bcc address", Old: previous(old != ""), New: "a new secret address"}}})
	})
	if err != nil {
		return "", err
	}
	return s.addressOf(token), nil
}

// previous names the replaced address in the log without showing it.
func previous(had bool) string {
	if had {
		return "the previous secret address"
	}
	return ""
}

// errUnknownAddress is every refused recipient: the same answer whether
// the address is malformed, never existed, was reset, or belongs to a
// user who may not receive, so nothing can be learnt by trying.
var errUnknownAddress = errs.E(errs.NotFound, "No such BCC address.")

// Recipient finds the user whose BCC address rcpt is (any domain routed
// to the listener is accepted; the token decides). Unknown and reset
// tokens, disabled and read-only users are refused alike.
func (s *Service) Recipient(ctx context.Context, rcpt string) (*auth.User, error) {
	at := strings.LastIndexByte(rcpt, '@')
	if at < 0 {
		return nil, errUnknownAddress
	}
	local := strings.ToLower(rcpt[:at])
	token, ok := strings.CutPrefix(local, localPrefix)
	if !ok || len(token) != tokenEncoding.EncodedLen(16) {
		return nil, errUnknownAddress
	}
	var id int64
	err := s.DB.QueryRowContext(ctx, "SELECT user_id FROM inbound_addresses WHERE token_hash = ?", s.tokenHash(token)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUnknownAddress
	}
	if err != nil {
		return nil, fmt.Errorf("inbound: recipient: %w", err)
	}
	u, err := s.Auth.UserByID(ctx, id)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return nil, errUnknownAddress
		}
		return nil, err
	}
	if !u.Can(auth.PermWrite) {
		return nil, errUnknownAddress
	}
	return u, nil
}

// actor is u as the one who filed mail sent to their BCC address.
func actor(u *auth.User, ip string) audit.Actor { return u.Actor(audit.ChannelEmail, ip) }

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

func emailField(id int64) string { return "email #" + idStr(id) }
