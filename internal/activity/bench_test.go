package activity_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

// BenchmarkTimelineFirstPage reads the first page (50 items, every kind)
// of a contact whose timeline holds 10,000 items — notes and stage changes,
// half a day apart — among 100 contacts with 1,000 items each. It reports
// the p95 latency as p95-ms.
//
//	go test -run XXX -bench TimelineFirstPage ./internal/activity/
func BenchmarkTimelineFirstPage(b *testing.B) {
	for _, k := range dbtest.Kinds() {
		b.Run(k.Name, func(b *testing.B) {
			d := dbtest.Open(b, k.New(b))
			f := newFixture(b, d)
			ctx := context.Background()
			target := f.contact(f.advisor, "Tess")
			others := make([]int64, 100)
			for i := range others {
				others[i] = f.contact(f.advisor, fmt.Sprintf("Other%d", i))
			}
			start := time.Now().Add(-10_000 * 12 * time.Hour)
			fill := func(contactID int64, n int) {
				err := d.InTx(ctx, func(tx *db.Tx) error {
					for i := range n {
						at := start.Add(time.Duration(i) * 12 * time.Hour)
						kind, table := activity.KindNote, "notes"
						var ref int64
						var err error
						if i%10 == 9 {
							kind, table = activity.KindStage, "stage_changes"
							err = tx.QueryRowContext(ctx, `INSERT INTO stage_changes (contact_id, from_stage, to_stage, actor_id, channel, at)
								VALUES (?, 'invited', 'registered', ?, 'ui', ?) RETURNING id`, contactID, f.advisor.UserID, at).Scan(&ref)
						} else {
							err = tx.QueryRowContext(ctx, `INSERT INTO notes (contact_id, body, pinned, author_id, created_at, updated_at)
								VALUES (?, ?, FALSE, ?, ?, ?) RETURNING id`, contactID, fmt.Sprintf("Call %d: **reviewed** the portfolio and the ISA allowance.", i),
								f.advisor.UserID, at, at).Scan(&ref)
						}
						if err != nil {
							return fmt.Errorf("%s: %w", table, err)
						}
						if _, err := tx.ExecContext(ctx, "INSERT INTO timeline (contact_id, at, kind, ref_id, actor_id) VALUES (?, ?, ?, ?, ?)",
							contactID, at, kind, ref, f.advisor.UserID); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			fill(target, 10_000)
			for _, o := range others {
				fill(o, 1_000)
			}
			if err := d.Analyze(ctx); err != nil {
				b.Fatal(err)
			}
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for b.Loop() {
				t0 := time.Now()
				p, err := f.s.Timeline(ctxAs(f.advisor), f.advisor, target, activity.TimelineQuery{})
				if err != nil || len(p.Items) != 50 || p.NextCursor == "" {
					b.Fatalf("page = %d items, %v", len(p.Items), err)
				}
				lat = append(lat, time.Since(t0))
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}
