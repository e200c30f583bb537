// Package email owns the emails on contacts' timelines: mail staff write to
// one contact or to a selection (one message per recipient, never a shared
// To: line), saved templates with merge fields, portal messages, and the
// emails of both directions as the timeline and the email page show them.
// Delivery is the durable outbox's (package mail): an email is queued in
// the same transaction as its row, its timeline entry and its activity-log
// entry, and the outbox row says whether it was sent.
//
// Inbound emails (BCC logging) are written by their own package into the
// same emails table; this package reads and shows them.
package email

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"html/template"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
)

// Service sends and reads emails.
type Service struct {
	DB       *db.DB
	Contacts *contact.Service
	// From is the firm's sender address (FOLIO_SMTP_FROM): every email
	// leaves from it; replies go to the staff user who wrote it.
	From string
	// Configured reports whether outgoing mail can be sent now; without
	// it emails stay queued, and the UI says so.
	Configured func() bool
	// Wake asks the outbox worker to look at the queue (may be nil).
	Wake func()
}

// New returns the email service.
func New(d *db.DB, contacts *contact.Service, from string) *Service {
	return &Service{DB: d, Contacts: contacts, From: from}
}

// SMTPConfigured reports whether queued mail is being delivered.
func (s *Service) SMTPConfigured() bool { return s.Configured != nil && s.Configured() }

func (s *Service) wake() {
	if s.Wake != nil {
		s.Wake()
	}
}

// Directions of an email.
const (
	Out = "out"
	In  = "in"
)

// Email is one email on the timelines, sent from Folio (Out) or received
// by the BCC listener (In).
type Email struct {
	ID        int64
	Direction string
	// UserID is the sender (Out) or whose BCC address received it (In);
	// User is their name.
	UserID int64
	User   string
	// ContactID is the recipient of an outgoing email (0 for In: an
	// inbound email is on the timelines of every contact it names).
	ContactID int64
	Contact   string
	FromAddr  string
	FromName  string
	To, Cc    string
	Subject   string
	BodyText  string
	// BodyHTML is as stored: for Out the sanitised rendering of the
	// Markdown body; for In the HTML part as received, never shown
	// without SafeHTML.
	BodyHTML   string
	TemplateID int64
	BatchID    int64
	// Portal marks a portal message: also shown in the contact's portal
	// inbox once the client portal exists.
	Portal      bool
	MessageID   string
	Filed       bool
	CreatedAt   time.Time
	Attachments []Attachment

	// Delivery of an outgoing email, from its outbox row.
	OutboxID  int64
	Status    string // queued, sending, sent, failed; "received" for In
	Attempts  int
	LastError string // the server's reply when it failed or was deferred
	SentAt    *time.Time
}

// Outgoing reports whether the email was sent from Folio.
func (e *Email) Outgoing() bool { return e.Direction == Out }

// SafeHTML is the email's body as HTML that is safe to show: an HTML part
// sanitised against an allow-list, or the text escaped.
func (e *Email) SafeHTML() template.HTML {
	if e.BodyHTML != "" {
		return sanitiseHTML(e.BodyHTML)
	}
	return template.HTML("<pre class=\"email-text\">" + template.HTMLEscapeString(e.BodyText) + "</pre>")
}

// Attachment is a file received with an inbound email.
type Attachment struct {
	ID          int64
	EmailID     int64
	Filename    string
	ContentType string
	Size        int64
}

// Recipient is a contact of a bulk email.
type Recipient struct {
	ContactID int64
	Name      string
	Email     string
}

// sender is the staff user who writes an email.
type sender struct {
	Name, Email string
}

func (s *Service) sender(ctx context.Context, q db.Queryer, userID int64) (sender, error) {
	var u sender
	err := q.QueryRowContext(ctx, "SELECT name, email FROM users WHERE id = ?", userID).Scan(&u.Name, &u.Email)
	if errors.Is(err, sql.ErrNoRows) {
		return u, nil
	}
	return u, err
}

// FirmName is the firm's name for the {{firm_name}} merge field: the
// firm_name setting, or the display name of the sender address.
func (s *Service) FirmName(ctx context.Context) string {
	var v string
	if err := s.DB.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = 'firm_name'").Scan(&v); err == nil && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	if a, err := mail.ParseAddress(s.From); err == nil {
		return a.Name
	}
	return ""
}

// fromAddress is the bare address of the firm's sender.
func (s *Service) fromAddress() string {
	if a, err := mail.ParseAddress(s.From); err == nil {
		return a.Address
	}
	return s.From
}

// newMessageID makes a Message-ID (without angle brackets) in the firm's
// domain.
func (s *Service) newMessageID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	domain := "folio.invalid"
	if _, d, ok := strings.Cut(s.fromAddress(), "@"); ok && d != "" {
		domain = d
	}
	return hex.EncodeToString(b) + "@" + domain
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }
