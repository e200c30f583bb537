package mail_test

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/mail"
	"github.com/foliocrm/folio/internal/mail/mailtest"
)

func enqueue(t *testing.T, d *db.DB, m mail.Message) int64 {
	t.Helper()
	var id int64
	err := d.InTx(context.Background(), func(tx *db.Tx) error {
		var err error
		id, err = mail.Enqueue(context.Background(), tx, m)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func worker(t *testing.T, d *db.DB, srv *mailtest.Server) *mail.Worker {
	t.Helper()
	sender, err := mail.NewSMTPSender(srv.URL(), "Folio <folio@firm.test>")
	if err != nil {
		t.Fatal(err)
	}
	return mail.NewWorker(d, sender, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func TestOutbox_deliversThroughSMTP(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t)
		id := enqueue(t, d, mail.Message{To: "ada@client.test", ToName: "Ada Client", Subject: "Hello Ada", Body: "Line one\nLine two"})
		if n, err := worker(t, d, srv).RunOnce(context.Background()); err != nil || n != 1 {
			t.Fatalf("RunOnce = %d, %v", n, err)
		}
		msgs := srv.Messages()
		if len(msgs) != 1 || msgs[0].To[0] != "ada@client.test" || msgs[0].From != "folio@firm.test" ||
			!strings.Contains(msgs[0].Data, "Subject: Hello Ada") || !strings.Contains(msgs[0].Data, "Line two") {
			t.Fatalf("received %+v", msgs)
		}
		it, err := mail.Get(context.Background(), d, id)
		if err != nil || it.Status != mail.Sent || it.SentAt == nil {
			t.Errorf("outbox row %+v, %v", it, err)
		}
	})
}

func TestOutbox_temporaryFailureIsRetriedThenSent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t)
		srv.Reply = func(n int, _ mailtest.Message) error {
			if n == 1 {
				return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
			}
			return nil
		}
		id := enqueue(t, d, mail.Message{To: "ada@client.test", Subject: "Retry me", Body: "x"})
		w := worker(t, d, srv)
		ctx := context.Background()
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		it, _ := mail.Get(ctx, d, id)
		if it.Status != mail.Queued || !strings.Contains(it.LastError, "451") || it.Attempts != 1 {
			t.Fatalf("after a 451: %+v", it)
		}
		// The retry waits for its backoff; make it due now.
		if _, err := d.ExecContext(ctx, "UPDATE mail_outbox SET next_attempt_at = ? WHERE id = ?", db.Now(), id); err != nil {
			t.Fatal(err)
		}
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		it, _ = mail.Get(ctx, d, id)
		if it.Status != mail.Sent || it.Attempts != 2 || len(srv.Messages()) != 1 {
			t.Errorf("after the retry: %+v, delivered %d", it, len(srv.Messages()))
		}
	})
}

func TestOutbox_permanentFailureFailsTheMessageWithTheServersReply(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t)
		srv.Reply = func(int, mailtest.Message) error {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
		}
		id := enqueue(t, d, mail.Message{To: "gone@client.test", Subject: "Bounce", Body: "x"})
		if _, err := worker(t, d, srv).RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		it, _ := mail.Get(context.Background(), d, id)
		if it.Status != mail.Failed || !strings.Contains(it.LastError, "no such mailbox") {
			t.Errorf("after a 550: %+v", it)
		}
	})
}

func TestOutbox_twoWorkersNeverSendTheSameMessageTwice(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t)
		const n = 60
		for i := range n {
			enqueue(t, d, mail.Message{To: "c" + itoa(i) + "@client.test", Subject: "Message " + itoa(i), Body: "x"})
		}
		ctx := context.Background()
		var wg sync.WaitGroup
		for range 2 {
			w := worker(t, d, srv)
			wg.Go(func() {
				for {
					k, err := w.RunOnce(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if k == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		seen := map[string]int{}
		for _, m := range srv.Messages() {
			seen[m.To[0]]++
		}
		if len(seen) != n || srv.Attempts() != n {
			t.Errorf("%d distinct recipients, %d deliveries, want %d each", len(seen), srv.Attempts(), n)
		}
	})
}

func TestOutbox_withoutSMTPMailStaysQueued(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		id := enqueue(t, d, mail.Message{To: "ada@client.test", Subject: "Waiting", Body: "x"})
		w := mail.NewWorker(d, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		w.Run(ctx)
		it, _ := mail.Get(context.Background(), d, id)
		if it.Status != mail.Queued {
			t.Errorf("status %s", it.Status)
		}
		if n, _ := mail.CountQueued(context.Background(), d); n != 1 {
			t.Errorf("queued = %d", n)
		}
	})
}

func TestEnqueue_refusesHeaderInjection(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		for _, m := range []mail.Message{
			{To: "ada@client.test", Subject: "Hi\r\nBcc: all@evil.test", Body: "x"},
			{To: "ada@client.test\r\nBcc: all@evil.test", Subject: "Hi", Body: "x"},
			{To: "ada@client.test", ToName: "Ada\nBcc: x", Subject: "Hi", Body: "x"},
			{To: "not an address", Subject: "Hi", Body: "x"},
		} {
			err := d.InTx(context.Background(), func(tx *db.Tx) error {
				_, err := mail.Enqueue(context.Background(), tx, m)
				return err
			})
			if !errs.Is(err, errs.Invalid) {
				t.Errorf("Enqueue(%q, %q) = %v", m.To, m.Subject, err)
			}
		}
	})
}

func itoa(i int) string { return strconv.Itoa(i) }
