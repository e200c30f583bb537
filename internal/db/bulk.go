package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"strconv"
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
	db     *DB
	// SQLite: each table's columns, read once per transaction.
	tables map[string]*sqliteTable
}

// InBulkTx runs fn in one write transaction that offers both the ordinary
// statements of a Tx and Copy (COPY on PostgreSQL, multi-row INSERTs on
// SQLite), committing when fn returns nil. Imports use it to store a batch
// of rows and their own progress atomically. Like InBulk, SQLite checks
// no foreign keys in it (see below): fn must store only references it read
// or created in the transaction.
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
		tx := &Tx{tx: stx, Dialect: db.Dialect, bulk: &Bulk{ctx: ctx, pgConn: pc, db: db}}
		if err := fn(tx); err != nil {
			_ = stx.Rollback()
			return err
		}
		return stx.Commit()
	}
	// Foreign-key checks are off for the transaction: a multi-row INSERT
	// that checks keys needs a statement journal, a copy of every existing
	// page it changes, and on a large book (20 indexes on contacts) that
	// copying was a third of an import's time; worse, the driver frees
	// the copies under its process-wide allocator lock, stalling every
	// other query (searches during an import took 20–50 ms instead of
	// 2). Callers store only references they read or created inside the
	// transaction, which under SQLite's single writer nobody else can
	// remove before it commits; the tests check every key after imports
	// (PRAGMA foreign_key_check), and PostgreSQL keeps its checks.
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
		stx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		return runSQLiteBulk(ctx, db, stx, func(b *Bulk) error { return fn(&Tx{tx: stx, Dialect: db.Dialect, bulk: b}) })
	})
}

// runSQLiteBulk runs fn with a Bulk over SQLite transaction stx and
// commits when it returns nil, closing the statements it prepared.
func runSQLiteBulk(ctx context.Context, db *DB, stx *sql.Tx, fn func(b *Bulk) error) error {
	b := &Bulk{ctx: ctx, db: db, tx: stx, stmts: map[string]*sql.Stmt{}, tables: map[string]*sqliteTable{}}
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
			if err := fn(&Bulk{ctx: ctx, pg: tx, db: db}); err != nil {
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
		return runSQLiteBulk(ctx, db, stx, fn)
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
	info, err := b.tableInfo(table)
	if err != nil {
		return err
	}
	// Columns every row leaves at its default are left out of the
	// INSERT: binding a value costs more in SQLite than storing it, and
	// imported contacts leave most of their ~50 columns empty.
	keep := make([]int, 0, len(cols))
	for j, c := range cols {
		d, ok := info.defaults[c]
		if !ok || !allDefault(rows, j, d) {
			keep = append(keep, j)
		}
	}
	// Ids that continue the table's rowids are left to SQLite too: an
	// INSERT that gives the rowid may fail on its type half-way, so SQLite
	// keeps a statement journal for it (a copy of every existing page the
	// statement changes), which on a large book cost a third of storing a
	// batch, and its freeing stalled other queries. Each statement's last
	// rowid is checked against the ids the caller chose.
	implicitID := false
	if j := slices.Index(cols, info.rowid); j >= 0 && slices.Contains(keep, j) && len(keep) > 1 {
		if first, ok := consecutiveIDs(rows, j); ok {
			var max int64
			if err := b.tx.QueryRowContext(b.ctx, "SELECT COALESCE(MAX(rowid), 0) FROM "+quoteIdent(table)).Scan(&max); err != nil {
				return err
			}
			if first == max+1 {
				implicitID = true
				keep = slices.DeleteFunc(keep, func(k int) bool { return k == j })
			}
		}
	}
	if len(keep) == 0 {
		keep = append(keep, 0)
	}
	names := make([]string, len(keep))
	for i, j := range keep {
		names[i] = cols[j]
	}
	per := min(sqliteMaxVars/len(keep), 500)
	var args []any
	for start := 0; start < len(rows); start += per {
		b.db.Yield(b.ctx)
		chunk := rows[start:min(start+per, len(rows))]
		st, err := b.insertStmt(table, names, len(chunk))
		if err != nil {
			return err
		}
		args = args[:0]
		for _, r := range chunk {
			for _, j := range keep {
				args = append(args, r[j])
			}
		}
		res, err := st.ExecContext(b.ctx, args...)
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		if n, _ := res.RowsAffected(); n != int64(len(chunk)) {
			return fmt.Errorf("insert into %s: %d of %d rows broke a constraint", table, int64(len(chunk))-n, len(chunk))
		}
		if implicitID {
			j := slices.Index(cols, info.rowid)
			if last, err := res.LastInsertId(); err != nil || last != asInt64(chunk[len(chunk)-1][j]) {
				return fmt.Errorf("insert into %s: rows stored as id %d, not %v (%v)", table, last, chunk[len(chunk)-1][j], err)
			}
		}
	}
	return nil
}

// consecutiveIDs reports whether column j of rows holds increasing
// integers one apart, and the first.
func consecutiveIDs(rows [][]any, j int) (int64, bool) {
	first, ok := rows[0][j].(int64)
	if !ok {
		return 0, false
	}
	for i, r := range rows {
		if v, ok := r[j].(int64); !ok || v != first+int64(i) {
			return 0, false
		}
	}
	return first, true
}

func asInt64(v any) int64 {
	n, _ := v.(int64)
	return n
}

// columnDefault is a column's default as a value a row may hold: a
// string, an int64 or nil (NULL).
type columnDefault struct{ v any }

// sqliteTable is what Copy needs to know of a table's columns.
type sqliteTable struct {
	// The columns whose default is a constant (a string or integer
	// literal, or NULL for a nullable column without one).
	defaults map[string]columnDefault
	rowid    string // the INTEGER PRIMARY KEY column, if any
}

// tableInfo reads table's columns.
func (b *Bulk) tableInfo(table string) (*sqliteTable, error) {
	if t, ok := b.tables[table]; ok {
		return t, nil
	}
	rows, err := b.tx.QueryContext(b.ctx, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t := &sqliteTable{defaults: map[string]columnDefault{}}
	pks := 0
	var pk string
	for rows.Next() {
		var name, typ string
		var notNull bool
		var dflt sql.NullString
		var pkPos int
		if err := rows.Scan(&name, &typ, &notNull, &dflt, &pkPos); err != nil {
			return nil, err
		}
		if pkPos > 0 {
			pks++
			if strings.EqualFold(typ, "INTEGER") {
				pk = name
			}
		}
		if pkPos == 0 {
			if v, ok := literalDefault(dflt, notNull); ok {
				t.defaults[name] = columnDefault{v}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var withoutRowid bool
	if err := b.tx.QueryRowContext(b.ctx, "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE type = 'table' AND name = ?",
		table).Scan(&withoutRowid); err != nil {
		return nil, err
	}
	if pks == 1 && !withoutRowid {
		t.rowid = pk
	}
	b.tables[table] = t
	return t, nil
}

// literalDefault reads a column default as SQLite reports it ('text', 12,
// TRUE, or none).
func literalDefault(dflt sql.NullString, notNull bool) (any, bool) {
	if !dflt.Valid {
		return nil, !notNull
	}
	d := strings.TrimSpace(dflt.String)
	switch {
	case len(d) >= 2 && d[0] == '\'' && d[len(d)-1] == '\'':
		return strings.ReplaceAll(d[1:len(d)-1], "''", "'"), true
	case strings.EqualFold(d, "true"):
		return int64(1), true
	case strings.EqualFold(d, "false"):
		return int64(0), true
	case strings.EqualFold(d, "null"):
		return nil, true
	}
	if n, err := strconv.ParseInt(d, 10, 64); err == nil {
		return n, true
	}
	return nil, false
}

// allDefault reports whether column j of every row holds d's value.
func allDefault(rows [][]any, j int, d columnDefault) bool {
	for _, r := range rows {
		if !isValue(r[j], d.v) {
			return false
		}
	}
	return true
}

// isValue reports whether v, as it would be stored, equals want.
func isValue(v, want any) bool {
	if vr, ok := v.(driver.Valuer); ok {
		var err error
		if v, err = vr.Value(); err != nil {
			return false
		}
	}
	switch x := v.(type) {
	case nil:
		return want == nil
	case string:
		s, ok := want.(string)
		return ok && s == x
	case bool:
		n, ok := want.(int64)
		return ok && (n == 1) == x && (n == 0 || n == 1)
	case int:
		n, ok := want.(int64)
		return ok && n == int64(x)
	case int64:
		n, ok := want.(int64)
		return ok && n == x
	case int32:
		n, ok := want.(int64)
		return ok && n == int64(x)
	}
	return false
}

func (b *Bulk) insertStmt(table string, cols []string, n int) (*sql.Stmt, error) {
	key := table + "/" + strings.Join(cols, ",") + "/" + strconv.Itoa(n)
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
