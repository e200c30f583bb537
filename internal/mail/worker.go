package mail

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"time"

	"github.com/foliocrm/folio/internal/db"
)

// Sender delivers one message; a *TempError return means "try again later".
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// TempError marks a delivery failure worth retrying (4xx replies, network).
type TempError struct{ Err error }

func (e *TempError) Error() string { return e.Err.Error() }
func (e *TempError) Unwrap() error { return e.Err }

const (
	claimLease  = 5 * time.Minute
	maxAttempts = 10
	batchSize   = 20
)

// Worker delivers the outbox. Without a Sender (no FOLIO_SMTP_URL) it does
// nothing and mail stays queued.
type Worker struct {
	DB     *db.DB
	Sender Sender
	Log    *slog.Logger
	// Poll is how often the outbox is checked when idle.
	Poll time.Duration
	wake chan struct{}
}

// NewWorker returns a worker; sender may be nil.
func NewWorker(d *db.DB, sender Sender, log *slog.Logger) *Worker {
	return &Worker{DB: d, Sender: sender, Log: log, Poll: 2 * time.Second, wake: make(chan struct{}, 1)}
}

// Wake asks the worker to look at the outbox now.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	if w.Sender == nil {
		w.Log.Info("outgoing mail is not configured (FOLIO_SMTP_URL); messages stay queued")
		<-ctx.Done()
		return
	}
	for {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.Log.Error("mail outbox", "err", err)
		}
		if n > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-time.After(w.Poll):
		}
	}
}

type claimed struct {
	id       int64
	msg      Message
	attempts int
}

// RunOnce claims and delivers one batch; it returns how many it handled.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	batch, err := w.claim(ctx)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	for _, c := range batch {
		if ctx.Err() != nil {
			return 0, ctx.Err() // claims expire and another worker resumes
		}
		sendErr := w.Sender.Send(ctx, c.msg)
		if err := w.finish(ctx, c, sendErr); err != nil {
			return 0, err
		}
	}
	return len(batch), nil
}

func (w *Worker) claim(ctx context.Context) ([]claimed, error) {
	var batch []claimed
	err := w.DB.InTx(ctx, func(tx *db.Tx) error {
		now := db.Now()
		rows, err := tx.QueryContext(ctx, `UPDATE mail_outbox SET status = 'sending', claimed_until = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM mail_outbox
				WHERE (status = 'queued' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_until < ?)
				ORDER BY id LIMIT ?`+tx.Dialect.SkipLocked()+`)
			RETURNING id, to_addr, to_name, subject, body_text, attempts`,
			now.Add(claimLease), now, now, batchSize)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c claimed
			if err := rows.Scan(&c.id, &c.msg.To, &c.msg.ToName, &c.msg.Subject, &c.msg.Body, &c.attempts); err != nil {
				return err
			}
			batch = append(batch, c)
		}
		return rows.Err()
	})
	return batch, err
}

func (w *Worker) finish(ctx context.Context, c claimed, sendErr error) error {
	now := db.Now()
	var temp *TempError
	switch {
	case sendErr == nil:
		_, err := w.DB.ExecContext(ctx, "UPDATE mail_outbox SET status = 'sent', sent_at = ?, last_error = '', claimed_until = NULL WHERE id = ?", now, c.id)
		return err
	case errors.As(sendErr, &temp) && c.attempts < maxAttempts:
		delay := time.Duration(math.Min(float64(time.Hour), float64(30*time.Second)*math.Pow(2, float64(c.attempts-1))))
		w.Log.Warn("mail delivery deferred", "mail_id", c.id, "attempt", c.attempts, "retry_in", delay, "err", sendErr)
		_, err := w.DB.ExecContext(ctx, "UPDATE mail_outbox SET status = 'queued', next_attempt_at = ?, last_error = ?, claimed_until = NULL WHERE id = ?",
			now.Add(delay), sendErr.Error(), c.id)
		return err
	default:
		w.Log.Error("mail delivery failed", "mail_id", c.id, "attempt", c.attempts, "err", sendErr)
		_, err := w.DB.ExecContext(ctx, "UPDATE mail_outbox SET status = 'failed', last_error = ?, claimed_until = NULL WHERE id = ?", sendErr.Error(), c.id)
		return err
	}
}
