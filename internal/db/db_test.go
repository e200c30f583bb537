package db_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

// TestSQLite_sixteenWritersNeverSeeLocked: 16 goroutines write concurrently
// for several seconds, half in transactions and half in single statements,
// while readers read; no caller ever gets "database is locked" or busy.
func TestSQLite_sixteenWritersNeverSeeLocked(t *testing.T) {
	d := dbtest.Open(t, dbtest.Kinds()[0].New(t))
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, "CREATE TABLE w (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL, n INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	dur := 3 * time.Second
	if testing.Short() {
		dur = time.Second
	}
	deadline := time.Now().Add(dur)
	var wg sync.WaitGroup
	var writes, reads atomic.Int64
	errc := make(chan error, 64)
	for w := range 16 {
		wg.Go(func() {
			for n := 0; time.Now().Before(deadline); n++ {
				var err error
				if w%2 == 0 {
					err = d.InTx(ctx, func(tx *db.Tx) error {
						var c int
						if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM w WHERE writer = ?", w).Scan(&c); err != nil {
							return err
						}
						_, err := tx.ExecContext(ctx, "INSERT INTO w (writer, n) VALUES (?, ?)", w, c)
						return err
					})
				} else {
					_, err = d.ExecContext(ctx, "INSERT INTO w (writer, n) VALUES (?, ?)", w, n)
				}
				if err != nil {
					errc <- err
					return
				}
				writes.Add(1)
			}
		})
	}
	for range 4 {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				var c int
				if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM w").Scan(&c); err != nil {
					errc <- err
					return
				}
				reads.Add(1)
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Errorf("writer failed: %v", err)
	}
	var total int64
	if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM w").Scan(&total); err != nil {
		t.Fatal(err)
	}
	if total != writes.Load() {
		t.Errorf("rows = %d, acknowledged writes = %d", total, writes.Load())
	}
	if writes.Load() < 100 {
		t.Errorf("only %d writes in %s", writes.Load(), dur)
	}
	t.Logf("%d writes, %d reads in %s", writes.Load(), reads.Load(), dur)
}

func TestSQLite_pragmas(t *testing.T) {
	d := dbtest.Open(t, dbtest.Kinds()[0].New(t))
	ctx := context.Background()
	for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "synchronous": "2", "busy_timeout": "10000"} {
		var got string
		if err := d.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
	// Reads go through query_only connections.
	if _, err := d.QueryContext(ctx, "INSERT INTO settings (key, value) VALUES ('x', 'y')"); err == nil {
		t.Error("a write through the read pool succeeded")
	}
}

func TestMigrate_idempotentAndRecorded(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		applied, err := d.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second Migrate applied %v", applied)
		}
		n, err := d.Pending(ctx)
		if err != nil || n != 0 {
			t.Errorf("Pending = %d, %v", n, err)
		}
	})
}

func TestInTx_rollsBackOnError(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", "k", "v"); err != nil {
				return err
			}
			return context.Canceled
		})
		if err != context.Canceled {
			t.Fatalf("InTx = %v", err)
		}
		var n int
		if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM settings WHERE key = ?", "k").Scan(&n); err != nil || n != 0 {
			t.Errorf("row survived rollback: n=%d err=%v", n, err)
		}
	})
}

func TestIsUniqueViolation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ins := func() error {
			_, err := d.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", "dup", "v")
			return err
		}
		if err := ins(); err != nil {
			t.Fatal(err)
		}
		if err := ins(); !db.IsUniqueViolation(err) {
			t.Errorf("IsUniqueViolation(%v) = false", err)
		}
	})
}

func TestBackup_consistentCopyWhileOpen(t *testing.T) {
	d := dbtest.Open(t, dbtest.Kinds()[0].New(t))
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ('a', 'b')"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := d.Backup(ctx, dir+"/copy.db"); err != nil {
		t.Fatal(err)
	}
	if err := d.Backup(ctx, dir+"/copy.db"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second backup to the same file: %v", err)
	}
	cpDir := t.TempDir()
	if err := os.Rename(dir+"/copy.db", cpDir+"/folio.db"); err != nil {
		t.Fatal(err)
	}
	cp, err := db.Open(ctx, db.Options{DataDir: cpDir})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	var v string
	if err := cp.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = 'a'").Scan(&v); err != nil || v != "b" {
		t.Errorf("backup copy: %q, %v", v, err)
	}
}

// TestInBulkTx_copyAndStatementsCommitOrRollBackTogether: rows copied and
// rows written by statements in one InBulkTx commit together, ids reserved
// by NextIDs continue the table's, and an error rolls all of it back.
func TestInBulkTx_copyAndStatementsCommitOrRollBackTogether(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ddl := "CREATE TABLE b (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"
		if d.Dialect.Name() == "postgres" {
			ddl = "CREATE TABLE b (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name TEXT NOT NULL)"
		}
		if _, err := d.ExecContext(ctx, ddl); err != nil {
			t.Fatal(err)
		}
		if _, err := d.ExecContext(ctx, "INSERT INTO b (name) VALUES ('first')"); err != nil {
			t.Fatal(err)
		}
		write := func(fail bool) error {
			return d.InBulkTx(ctx, func(tx *db.Tx) error {
				ids, err := tx.Dialect.NextIDs(ctx, tx, "b", 2)
				if err != nil {
					return err
				}
				if ids[0] <= 1 || ids[1] <= ids[0] {
					t.Errorf("NextIDs gave %v after id 1", ids)
				}
				if err := tx.Copy(ctx, "b", []string{"id", "name"}, [][]any{{ids[0], "copied"}, {ids[1], "copied"}}); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, "UPDATE b SET name = 'updated' WHERE name = 'first'"); err != nil {
					return err
				}
				if fail {
					return os.ErrClosed
				}
				return nil
			})
		}
		if err := write(true); err == nil {
			t.Fatal("the failing transaction reported no error")
		}
		var n int
		d.QueryRowContext(ctx, "SELECT COUNT(*) FROM b WHERE name <> 'first'").Scan(&n)
		if n != 0 {
			t.Fatalf("%d rows of a rolled-back bulk transaction stayed", n)
		}
		if err := write(false); err != nil {
			t.Fatal(err)
		}
		d.QueryRowContext(ctx, "SELECT COUNT(*) FROM b WHERE name IN ('copied', 'updated')").Scan(&n)
		if n != 3 {
			t.Errorf("%d rows committed, want 3", n)
		}
	})
}

// Copy on SQLite leaves out the columns a whole chunk leaves at their
// default; what is stored must be the same as if every value were bound.
func TestCopy_columnsAtTheirDefaultStoreTheSameValues(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.ExecContext(ctx, `CREATE TABLE c (id BIGINT PRIMARY KEY, name TEXT NOT NULL DEFAULT '',
			cur TEXT NOT NULL DEFAULT 'USD', quoted TEXT NOT NULL DEFAULT 'it''s', n INTEGER NOT NULL DEFAULT 0,
			flag BOOLEAN NOT NULL DEFAULT FALSE, ref BIGINT, note TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		cols := []string{"id", "name", "cur", "quoted", "n", "flag", "ref", "note"}
		rows := [][]any{
			// Every column at its default but the key and the one without a default.
			{int64(1), "", "USD", "it's", 0, false, nil, ""},
			{int64(2), "", "USD", "it's", int64(0), false, nil, "x"},
			// Values that differ from the default in type or text are kept.
			{int64(3), "b", "EUR", "its", 7, true, int64(9), "y"},
			{int64(4), " ", "usd", "it's", 0, false, nil, "z"},
		}
		if err := d.InBulkTx(ctx, func(tx *db.Tx) error {
			if err := tx.Copy(ctx, "c", cols, rows[:2]); err != nil {
				return err
			}
			return tx.Copy(ctx, "c", cols, rows[2:])
		}); err != nil {
			t.Fatal(err)
		}
		got, err := d.QueryContext(ctx, "SELECT id, name, cur, quoted, n, flag, COALESCE(ref, -1), note FROM c ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer got.Close()
		want := []string{"1||USD|it's|0|false|-1|", "2||USD|it's|0|false|-1|x", "3|b|EUR|its|7|true|9|y", "4| |usd|it's|0|false|-1|z"}
		i := 0
		for got.Next() {
			var id, n, ref int64
			var name, cur, quoted, note string
			var flag bool
			if err := got.Scan(&id, &name, &cur, &quoted, &n, &flag, &ref, &note); err != nil {
				t.Fatal(err)
			}
			if s := fmt.Sprintf("%d|%s|%s|%s|%d|%t|%d|%s", id, name, cur, quoted, n, flag, ref, note); i >= len(want) || s != want[i] {
				t.Errorf("row %d = %q, want %q", i, s, want[min(i, len(want)-1)])
			}
			i++
		}
		if i != len(want) {
			t.Fatalf("%d rows, want %d", i, len(want))
		}
	})
}
