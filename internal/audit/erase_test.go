package audit_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

func TestErase_masksValuesAndTheChainStillVerifies(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		write(t, sysCtx, d, 3) // entity ids 0, 1, 2
		var n int
		err := d.InTx(sysCtx, func(tx *db.Tx) (err error) {
			n, err = audit.Erase(sysCtx, tx, "contact", "1")
			return err
		})
		if err != nil || n != 1 {
			t.Fatalf("Erase = %d, %v; want 1 row", n, err)
		}
		if checked, err := audit.Verify(sysCtx, d); checked != 3 || err != nil {
			t.Fatalf("Verify after erase = %d, %v; want 3, nil", checked, err)
		}
		recs, _, err := audit.List(sysCtx, d, audit.Filter{Entity: "contact"})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			c := r.Changes[0]
			if r.EntityID == "1" {
				if c.Old != audit.Erased || c.New != audit.Erased || r.Erased.IsZero() {
					t.Errorf("erased row reads %+v erased=%v", c, r.Erased)
				}
				if c.Field != "name" || r.Action != "contact.update" {
					t.Errorf("erase lost who-did-what: %+v %s", c, r.Action)
				}
			} else if strings.Contains(c.New, "erased") || !r.Erased.IsZero() {
				t.Errorf("row of contact %s was erased too: %+v", r.EntityID, c)
			}
		}
		// Erasing again masks nothing more.
		_ = d.InTx(sysCtx, func(tx *db.Tx) (err error) { n, err = audit.Erase(sysCtx, tx, "contact", "1"); return err })
		if n != 0 {
			t.Errorf("second Erase masked %d rows", n)
		}
	})
}

func TestAppendOnly_theDatabaseAllowsOnlyErasure(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ids := write(t, sysCtx, d, 2)
		refused := []string{
			"UPDATE audit_log SET action = 'x' WHERE id = ?",
			`UPDATE audit_log SET changes = '[]' WHERE id = ?`,
			`UPDATE audit_log SET changes = '[]', erased_at = at, action = 'x' WHERE id = ?`,
			`UPDATE audit_log SET changes = '[]', erased_at = at, changes_hash = 'sha256:00' WHERE id = ?`,
			"DELETE FROM audit_log WHERE id = ?",
		}
		for _, q := range refused {
			if _, err := d.ExecContext(sysCtx, q, ids[0]); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: err = %v, want the append-only refusal", q, err)
			}
		}
		if _, err := d.ExecContext(sysCtx, `UPDATE audit_log SET changes = '[]', erased_at = at WHERE id = ?`, ids[0]); err != nil {
			t.Fatalf("erasure refused: %v", err)
		}
		// Once erased, a row cannot be changed again.
		if _, err := d.ExecContext(sysCtx, `UPDATE audit_log SET changes = '[{"field":"x","old":"","new":"forged"}]' WHERE id = ?`, ids[0]); err == nil {
			t.Error("an erased row was changed again")
		}
	})
}

func TestVerify_detectsAForgedErasedRow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ids := write(t, sysCtx, d, 3)
		// The database allows the erasure update; a forger uses it to plant a value.
		_, err := d.ExecContext(sysCtx, `UPDATE audit_log SET changes = '[{"field":"name","old":"","new":"planted"}]', erased_at = at WHERE id = ?`, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		_, err = audit.Verify(sysCtx, d)
		var b *audit.Broken
		if !errors.As(err, &b) || b.ID != ids[1] {
			t.Fatalf("Verify = %v, want row %d named", err, ids[1])
		}
	})
}
