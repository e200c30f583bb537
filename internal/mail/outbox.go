// Package mail owns Folio's outgoing mail: a durable outbox table written in
// the same transaction as the change that causes a message, and a worker that
// delivers queued messages through SMTP with retries. Several Folio instances
// may run workers on one database; each message is claimed by one of them.
package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// Message is one email to one recipient. It is always from the firm's
// address (FOLIO_SMTP_FROM); FromName may show who at the firm wrote it
// and ReplyTo sends answers to them.
type Message struct {
	To      string
	ToName  string
	Subject string
	Body    string // plain text
	// HTML is an optional text/html alternative of Body, already
	// sanitised by the caller.
	HTML string
	// FromName replaces the display name of the firm's From address.
	FromName string
	// ReplyTo is where replies go ("" for the From address).
	ReplyTo string
	// MessageID is the Message-ID without angle brackets; the sender
	// makes one up when it is empty.
	MessageID string
}

// Validate refuses header injection and unusable addresses.
func (m Message) Validate() error {
	if strings.ContainsAny(m.To+m.ToName+m.Subject+m.FromName+m.ReplyTo+m.MessageID, "\r\n") {
		return errs.E(errs.Invalid, "line breaks are not allowed in an email address, name or subject")
	}
	if _, err := mail.ParseAddress(m.To); err != nil || !strings.Contains(m.To, "@") {
		return errs.E(errs.Invalid, "%q is not a valid email address", m.To)
	}
	if m.ReplyTo != "" {
		if _, err := mail.ParseAddress(m.ReplyTo); err != nil {
			return errs.E(errs.Invalid, "%q is not a valid reply-to address", m.ReplyTo)
		}
	}
	if strings.TrimSpace(m.Subject) == "" {
		return errs.E(errs.Invalid, "the subject is empty")
	}
	return nil
}

// Enqueue stores m in the outbox inside tx; the worker sends it after commit.
func Enqueue(ctx context.Context, tx *db.Tx, m Message) (int64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	now := db.Now()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO mail_outbox (to_addr, to_name, subject, body_text, body_html, from_name, reply_to,
		message_id, status, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?) RETURNING id`,
		m.To, m.ToName, m.Subject, m.Body, m.HTML, m.FromName, m.ReplyTo, m.MessageID, now, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("enqueue mail: %w", err)
	}
	return id, nil
}

// EnqueueBulk stores many messages at once inside tx, a transaction begun
// with db.InBulkTx (COPY on PostgreSQL); it returns their ids in order.
// Nothing is stored when one of them is invalid.
func EnqueueBulk(ctx context.Context, tx *db.Tx, ms []Message) ([]int64, error) {
	for i, m := range ms {
		if err := m.Validate(); err != nil {
			return nil, fmt.Errorf("message %d: %w", i+1, err)
		}
	}
	ids, err := tx.Dialect.NextIDs(ctx, tx, "mail_outbox", len(ms))
	if err != nil {
		return nil, fmt.Errorf("enqueue mail: %w", err)
	}
	now := db.Now()
	rows := make([][]any, len(ms))
	for i, m := range ms {
		rows[i] = []any{ids[i], m.To, m.ToName, m.Subject, m.Body, m.HTML, m.FromName, m.ReplyTo, m.MessageID, "queued", now, now}
	}
	err = tx.Copy(ctx, "mail_outbox", []string{"id", "to_addr", "to_name", "subject", "body_text", "body_html", "from_name",
		"reply_to", "message_id", "status", "next_attempt_at", "created_at"}, rows)
	if err != nil {
		return nil, fmt.Errorf("enqueue mail: %w", err)
	}
	return ids, nil
}

// Status of an outbox row.
type Status string

const (
	Queued  Status = "queued"
	Sending Status = "sending"
	Sent    Status = "sent"
	Failed  Status = "failed"
)

// Item is an outbox row.
type Item struct {
	ID        int64
	Message   Message
	Status    Status
	Attempts  int
	LastError string
	CreatedAt time.Time
	SentAt    *time.Time
}

// Get returns one outbox row.
func Get(ctx context.Context, q db.Queryer, id int64) (Item, error) {
	var it Item
	var status string
	var sentAt sql.NullTime
	dest := append(append([]any{&it.ID}, it.Message.fields()...), &status, &it.Attempts, &it.LastError, &it.CreatedAt, &sentAt)
	err := q.QueryRowContext(ctx, `SELECT id, `+messageColumns+`, status, attempts, last_error, created_at, sent_at
		FROM mail_outbox WHERE id = ?`, id).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return it, errs.E(errs.NotFound, "no such message")
	}
	it.Status = Status(status)
	if sentAt.Valid {
		t := sentAt.Time.UTC()
		it.SentAt = &t
	}
	return it, err
}

// messageColumns are the columns of a Message, in the order of fields.
const messageColumns = "to_addr, to_name, subject, body_text, body_html, from_name, reply_to, message_id"

func (m *Message) fields() []any {
	return []any{&m.To, &m.ToName, &m.Subject, &m.Body, &m.HTML, &m.FromName, &m.ReplyTo, &m.MessageID}
}

// CountQueued returns how many messages wait to be sent.
func CountQueued(ctx context.Context, q db.Queryer) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM mail_outbox WHERE status IN ('queued', 'sending')").Scan(&n)
	return n, err
}
