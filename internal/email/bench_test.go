package email_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/demoload"
	"github.com/foliocrm/folio/internal/email"
	"github.com/foliocrm/folio/internal/mail"
	"github.com/foliocrm/folio/internal/mail/mailtest"
	"github.com/foliocrm/folio/internal/secret"
)

// bulkBench is a database with 10,000 demo contacts and a user who may
// email all of them.
func bulkBench(b *testing.B, k dbtest.Kind) (*fixture, []int64) {
	b.Helper()
	d := dbtest.Open(b, k.New(b))
	f := newFixture(b, d)
	box, _ := secret.New(make([]byte, 32))
	ctx := audit.WithActor(context.Background(), audit.System)
	res, err := demoload.Load(ctx, auth.NewService(d, box, "http://folio.test"), f.cs, 10_000, 1, nil)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, 0, res.Added)
	for id := res.FirstID; id <= res.LastID; id++ {
		ids = append(ids, id)
	}
	return f, ids
}

// BenchmarkSendBulk_10000 queues one bulk email to 10,000 contacts:
// rendering each recipient's message, the outbox rows, the emails, the
// timeline rows and the contacts' last-emailed time, in one transaction.
func BenchmarkSendBulk_10000(b *testing.B) {
	for _, k := range dbtest.Kinds() {
		b.Run(k.Name, func(b *testing.B) {
			f, ids := bulkBench(b, k)
			draft := email.BulkDraft{ContactIDs: ids, Subject: "Your {{today}} review, {{first_name}}",
				Body: "Dear {{full_name}},\n\nYour adviser **{{owner_name}}** will call you this week.\n\n— {{sender_name}}, {{firm_name}}"}
			b.ResetTimer()
			var queued int
			for b.Loop() {
				res, err := f.s.SendBulk(ctxAs(f.advisor), f.advisor, draft)
				if err != nil {
					b.Fatal(err)
				}
				queued = res.Queued
			}
			b.ReportMetric(float64(queued), "emails/op")
		})
	}
}

// BenchmarkDeliver_toLocalSMTP delivers a queued bulk email to a local
// SMTP server (mailtest) with one worker (its default concurrency, one
// connection per batch) and reports messages per second.
func BenchmarkDeliver_toLocalSMTP(b *testing.B) {
	for _, k := range dbtest.Kinds() {
		b.Run(k.Name, func(b *testing.B) {
			f, ids := bulkBench(b, k)
			ids = ids[:2000]
			srv := mailtest.Start(b)
			w := f.worker(srv)
			draft := email.BulkDraft{ContactIDs: ids, Subject: "Hello {{first_name}}", Body: "Dear {{full_name}},\n\nA short note."}
			var total int
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				res, err := f.s.SendBulk(ctxAs(f.advisor), f.advisor, draft)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				runWorker(b, w)
				elapsed += time.Since(start)
				total += res.Queued
			}
			if n, _ := mail.CountQueued(context.Background(), f.d); n != 0 {
				b.Fatalf("%d left in the queue", n)
			}
			b.ReportMetric(float64(total)/elapsed.Seconds(), "msgs/s")
		})
	}
}

// runWorker drains the outbox as Worker.Run does: Concurrency loops of
// RunOnce.
func runWorker(tb testing.TB, w *mail.Worker) {
	var wg sync.WaitGroup
	for range w.Concurrency {
		wg.Go(func() {
			for {
				n, err := w.RunOnce(context.Background())
				if err != nil {
					tb.Error(err)
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

func TestDeliver_twoWorkersRacingForABulkEmailSendEachMessageOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		srv := mailtest.Start(t)
		var ids []int64
		for i := range 150 {
			ids = append(ids, f.person(f.admin, "P"+itoa(i), "Race", "p"+itoa(i)+"@client.test"))
		}
		res, err := f.s.SendBulk(ctxAs(f.advisor), f.advisor, email.BulkDraft{ContactIDs: ids, Subject: "Race {{first_name}}", Body: "x"})
		if err != nil || res.Queued != len(ids) {
			t.Fatalf("%+v %v", res, err)
		}
		var wg sync.WaitGroup
		for range 2 {
			w := f.worker(srv)
			wg.Go(func() { runWorker(t, w) })
		}
		wg.Wait()
		seen := map[string]int{}
		for _, m := range srv.Messages() {
			seen[m.To[0]]++
		}
		if len(seen) != len(ids) || srv.Attempts() != len(ids) {
			t.Errorf("%d distinct recipients, %d deliveries, want %d each", len(seen), srv.Attempts(), len(ids))
		}
		for to, n := range seen {
			if n != 1 {
				t.Errorf("%s got %d copies", to, n)
			}
		}
		var sent int
		_ = d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent'").Scan(&sent)
		if sent != len(ids) {
			t.Errorf("%d sent rows", sent)
		}
	})
}

func itoa(i int) string { return strconv.Itoa(i) }
