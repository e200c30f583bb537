package db

import (
	"context"
	"strconv"
	"strings"
)

// Dialect holds what SQLite and PostgreSQL do differently. Everything else is
// shared SQL.
type Dialect interface {
	// Name is "sqlite" or "postgres"; it also names the migrations folder.
	Name() string
	// Rebind turns ? placeholders into the driver's style.
	Rebind(q string) string
	// Serialize takes a transaction-scoped lock named by key, so that
	// transactions that must not interleave (the audit chain, migrations,
	// queue claims) run one after another across Folio instances. SQLite
	// already serialises every write transaction.
	Serialize(ctx context.Context, tx *Tx, key int64) error
	// SkipLocked is the suffix that lets several workers claim different
	// rows of a queue ("" on SQLite).
	SkipLocked() string
	// IndexedBy names the index a query on a table must walk (" INDEXED BY
	// name" on SQLite, whose planner otherwise prefers an equality filter's
	// index and sorts every match; "" on PostgreSQL, whose planner weighs
	// LIMIT with an ordered index itself).
	IndexedBy(index string) string
	// NextIDs reserves n new ids of table's integer primary key "id" inside
	// tx, for rows inserted with explicit ids (bulk loads beside live
	// writers).
	NextIDs(ctx context.Context, tx *Tx, table string, n int) ([]int64, error)
}

// Lock keys for Serialize.
const (
	LockMigrations int64 = 0x466f6c696f01 // "Folio" 01
	LockAuditChain int64 = 0x466f6c696f02
)

type sqliteDialect struct{}

func (sqliteDialect) Name() string                                { return "sqlite" }
func (sqliteDialect) Rebind(q string) string                      { return q }
func (sqliteDialect) Serialize(context.Context, *Tx, int64) error { return nil }
func (sqliteDialect) SkipLocked() string                          { return "" }
func (sqliteDialect) IndexedBy(index string) string               { return " INDEXED BY " + index }

// NextIDs continues after the largest id: the write transaction holds
// SQLite's only write lock until the rows are in.
func (sqliteDialect) NextIDs(ctx context.Context, tx *Tx, table string, n int) ([]int64, error) {
	var max int64
	if err := tx.tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM "+table).Scan(&max); err != nil {
		return nil, err
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = max + int64(i) + 1
	}
	return ids, nil
}

type postgres struct{}

// NextIDs draws from the table's identity sequence, which other
// transactions share safely.
func (postgres) NextIDs(ctx context.Context, tx *Tx, table string, n int) ([]int64, error) {
	rows, err := tx.tx.QueryContext(ctx, "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)", table, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (postgres) Name() string { return "postgres" }

func (postgres) Serialize(ctx context.Context, tx *Tx, key int64) error {
	_, err := tx.tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", key)
	return err
}

func (postgres) SkipLocked() string { return " FOR UPDATE SKIP LOCKED" }

func (postgres) IndexedBy(string) string { return "" }

// Rebind replaces each ? outside string literals and quoted identifiers with
// $1, $2, ….
func (postgres) Rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
