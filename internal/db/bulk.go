package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Bulk loads many rows in one transaction: COPY on PostgreSQL, prepared
// multi-row INSERTs on SQLite. It is for set-based loads (demo data,
// imports); ordinary changes use InTx.
type Bulk struct {
	ctx    context.Context
	pg     pgx.Tx    // PostgreSQL
	pgConn *pgx.Conn // PostgreSQL, in InBulkTx: the connection of the open transaction
	tx     *sql.Tx   // SQLite
	stmts  map[string]*sql.Stmt
}

// InBulkTx runs fn in one write transaction that offers both the ordinary
// statements of a Tx and Copy (COPY on PostgreSQL, multi-row INSERTs on
// SQLite), committing when fn returns nil. Imports use it to store a batch
// of rows and their own progress atomically. Unlike InBulk, SQLite keeps
// foreign-key checks on: the database is live.
func (db *DB) InBulkTx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.Dialect.Name() == "postgres" {
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		var pc *pgx.Conn
		if err := conn.Raw(func(dc any) error { pc = dc.(*stdlib.Conn).Conn(); return nil }); err != nil {
			return err
		}
		stx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		// The pgx connection stays pinned to conn until it is closed, so
		// COPY through it runs inside stx.
		tx := &Tx{tx: stx, Dialect: db.Dialect, bulk: &Bulk{ctx: ctx, pgConn: pc}}
		if err := fn(tx); err != nil {
			_ = stx.Rollback()
			return err
		}
		return stx.Commit()
	}
	return retryBusy(ctx, func() error {
		stx, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		return runSQLiteBulk(ctx, stx, func(b *Bulk) error { return fn(&Tx{tx: stx, Dialect: db.Dialect, bulk: b}) })
	})
}

// runSQLiteBulk runs fn with a Bulk over SQLite transaction stx and
// commits when it returns nil, closing the statements it prepared.
func runSQLiteBulk(ctx context.Context, stx *sql.Tx, fn func(b *Bulk) error) error {
	b := &Bulk{ctx: ctx, tx: stx, stmts: map[string]*sql.Stmt{}}
	err := fn(b)
	for _, st := range b.stmts {
		st.Close()
	}
	if err != nil {
		_ = stx.Rollback()
		return err
	}
	return stx.Commit()
}

// Copy inserts rows into table inside a transaction begun by InBulkTx.
func (t *Tx) Copy(ctx context.Context, table string, cols []string, rows [][]any) error {
	if t.bulk == nil {
		return fmt.Errorf("copy into %s: not in a bulk transaction", table)
	}
	t.bulk.ctx = ctx
	return t.bulk.Copy(table, cols, rows)
}

// InBulk runs fn in one write transaction that offers Copy, committing when
// fn returns nil.
func (db *DB) InBulk(ctx context.Context, fn func(b *Bulk) error) error {
	if db.Dialect.Name() == "postgres" {
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		return conn.Raw(func(dc any) error {
			pc := dc.(*stdlib.Conn).Conn()
			tx, err := pc.Begin(ctx)
			if err != nil {
				return err
			}
			if err := fn(&Bulk{ctx: ctx, pg: tx}); err != nil {
				_ = tx.Rollback(ctx)
				return err
			}
			return tx.Commit(ctx)
		})
	}
	// The loader checks its own references; with foreign-key enforcement
	// off for the load, SQLite needs no statement journal per multi-row
	// INSERT, which is most of the cost of a bulk load.
	// A bulk transaction commits without waiting for the disk
	// (synchronous NORMAL: in WAL mode the file stays consistent and the
	// next checkpoint makes it durable); a load interrupted by a power cut
	// loses its last batches, which it has to resume anyway.
	return retryBusy(ctx, func() error {
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
		if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = NORMAL"); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA synchronous = "+db.sync)
		stx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		return runSQLiteBulk(ctx, stx, fn)
	})
}

// sqliteMaxVars is how many parameters one SQLite statement takes.
const sqliteMaxVars = 32766

// Copy inserts rows (each one value per column) into table.
func (b *Bulk) Copy(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if b.pg != nil || b.pgConn != nil {
		var err error
		if b.pg != nil {
			_, err = b.pg.CopyFrom(b.ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		} else {
			_, err = b.pgConn.CopyFrom(b.ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		}
		if err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
		return nil
	}
	per := min(sqliteMaxVars/len(cols), 500)
	args := make([]any, 0, per*len(cols))
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		st, err := b.insertStmt(table, cols, len(chunk))
		if err != nil {
			return err
		}
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		res, err := st.ExecContext(b.ctx, args...)
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		if n, _ := res.RowsAffected(); n != int64(len(chunk)) {
			return fmt.Errorf("insert into %s: %d of %d rows broke a constraint", table, int64(len(chunk))-n, len(chunk))
		}
	}
	return nil
}

func (b *Bulk) insertStmt(table string, cols []string, n int) (*sql.Stmt, error) {
	key := fmt.Sprintf("%s/%d/%d", table, len(cols), n)
	if st, ok := b.stmts[key]; ok {
		return st, nil
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	// OR IGNORE: a multi-row INSERT that can abort half-way needs a
	// statement journal, which costs more than the insert itself; rows that
	// break a constraint are skipped instead and Copy reports them, which
	// rolls the whole transaction back.
	q := "INSERT OR IGNORE INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
	st, err := b.tx.PrepareContext(b.ctx, q)
	if err != nil {
		return nil, err
	}
	b.stmts[key] = st
	return st, nil
}

// Exec runs one statement in the bulk transaction (placeholders as ?).
func (b *Bulk) Exec(q string, args ...any) error {
	if b.pg != nil {
		_, err := b.pg.Exec(b.ctx, postgres{}.Rebind(q), args...)
		return err
	}
	_, err := b.tx.ExecContext(b.ctx, q, args...)
	return err
}
