package mail

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/foliocrm/folio/internal/db"
)

// Sender delivers one message; a *TempError return means "try again later".
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// BatchSender delivers several messages over one connection and returns
// each one's outcome in order; the worker uses it when its Sender has it.
type BatchSender interface {
	SendBatch(ctx context.Context, ms []Message) []error
}

// TempError marks a delivery failure worth retrying (4xx replies, network).
type TempError struct{ Err error }

func (e *TempError) Error() string { return e.Err.Error() }
func (e *TempError) Unwrap() error { return e.Err }

const (
	claimLease  = 5 * time.Minute
	maxAttempts = 10
	// batchSize messages are claimed at once and sent over one connection.
	batchSize = 50
	// concurrency is how many batches one worker sends at the same time.
	concurrency = 4
)

// Worker delivers the outbox. Without a Sender (no FOLIO_SMTP_URL) it does
// nothing and mail stays queued.
type Worker struct {
	DB     *db.DB
	Sender Sender
	Log    *slog.Logger
	// Poll is how often the outbox is checked when idle.
	Poll time.Duration
	// Concurrency is how many batches are sent at once (each on its own
	// connection); claims keep each message to one of them.
	Concurrency int
	wake        chan struct{}
}

// NewWorker returns a worker; sender may be nil.
func NewWorker(d *db.DB, sender Sender, log *slog.Logger) *Worker {
	return &Worker{DB: d, Sender: sender, Log: log, Poll: 2 * time.Second, Concurrency: concurrency, wake: make(chan struct{}, 1)}
}

// Wake asks the worker to look at the outbox now.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Configured reports whether the worker can send (FOLIO_SMTP_URL is set).
func (w *Worker) Configured() bool { return w.Sender != nil }

// Run delivers until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	if w.Sender == nil {
		w.Log.Info("outgoing mail is not configured (FOLIO_SMTP_URL); messages stay queued")
		<-ctx.Done()
		return
	}
	for {
		w.drain(ctx)
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-time.After(w.Poll):
		}
	}
}

// drain sends batches on Concurrency goroutines until the due outbox is
// empty.
func (w *Worker) drain(ctx context.Context) {
	var wg sync.WaitGroup
	for range max(w.Concurrency, 1) {
		wg.Go(func() {
			for ctx.Err() == nil {
				n, err := w.RunOnce(ctx)
				if err != nil && ctx.Err() == nil {
					w.Log.Error("mail outbox", "err", err)
					return
				}
				if n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
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
	var results []error
	if bs, ok := w.Sender.(BatchSender); ok {
		msgs := make([]Message, len(batch))
		for i, c := range batch {
			msgs[i] = c.msg
		}
		results = bs.SendBatch(ctx, msgs)
	} else {
		for _, c := range batch {
			if ctx.Err() != nil {
				break
			}
			results = append(results, w.Sender.Send(ctx, c.msg))
		}
	}
	if ctx.Err() != nil && len(results) < len(batch) {
		batch = batch[:len(results)] // the rest's claims expire and a worker resumes them
	}
	var sent []int64
	for i, c := range batch {
		if results[i] == nil {
			sent = append(sent, c.id)
			continue
		}
		if err := w.finish(context.WithoutCancel(ctx), c, results[i]); err != nil {
			return 0, err
		}
	}
	if err := w.markSent(context.WithoutCancel(ctx), sent); err != nil {
		return 0, err
	}
	return len(batch), nil
}

// markSent records delivered messages, a chunk of ids per statement.
func (w *Worker) markSent(ctx context.Context, ids []int64) error {
	now := db.Now()
	return db.InChunks(ids, func(in string, args []any) error {
		_, err := w.DB.ExecContext(ctx, "UPDATE mail_outbox SET status = 'sent', sent_at = ?, last_error = '', claimed_until = NULL WHERE id IN ("+in+")",
			append([]any{now}, args...)...)
		return err
	})
}

func (w *Worker) claim(ctx context.Context) ([]claimed, error) {
	var batch []claimed
	err := w.DB.InTx(ctx, func(tx *db.Tx) error {
		now := db.Now()
		rows, err := tx.QueryContext(ctx, `UPDATE mail_outbox SET status = 'sending', claimed_until = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM mail_outbox
				WHERE (status = 'queued' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_until < ?)
				ORDER BY id LIMIT ?`+tx.Dialect.SkipLocked()+`)
			RETURNING id, `+messageColumns+`, attempts`,
			now.Add(claimLease), now, now, batchSize)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c claimed
			if err := rows.Scan(append(append([]any{&c.id}, c.msg.fields()...), &c.attempts)...); err != nil {
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
		return w.markSent(ctx, []int64{c.id})
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
