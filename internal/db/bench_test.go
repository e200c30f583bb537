package db_test

import (
	"context"
	"testing"

	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

// BenchmarkInTx_smallWrite is one durable write transaction (synchronous=FULL
// on SQLite), the unit of every change a user makes.
func BenchmarkInTx_smallWrite(b *testing.B) {
	for _, k := range dbtest.Kinds() {
		b.Run(k.Name, func(b *testing.B) {
			d := dbtest.Open(b, k.New(b))
			ctx := context.Background()
			if _, err := d.ExecContext(ctx, "CREATE TABLE bench (v TEXT NOT NULL)"); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				err := d.InTx(ctx, func(tx *db.Tx) error {
					_, err := tx.ExecContext(ctx, "INSERT INTO bench (v) VALUES (?)", "value")
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
