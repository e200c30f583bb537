// Package db owns the connection to Folio's database — an embedded SQLite
// file or PostgreSQL — its migrations, its transactions and the small dialect
// type that holds everything the two SQL dialects do differently.
//
// SQL in Folio is written once, with ? placeholders; Rebind turns them into
// $n for PostgreSQL in one place.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Options select and tune the database.
type Options struct {
	// URL is empty for SQLite or a postgres:// URL.
	URL string
	// DataDir holds folio.db when URL is empty.
	DataDir string
	// Synchronous is FULL (default) or NORMAL for SQLite.
	Synchronous string
}

// DB is Folio's database handle. On SQLite, writes go through one connection
// (so writers queue instead of failing with "database is locked") and reads
// through a pool; on PostgreSQL both use the same pool.
type DB struct {
	read    *sql.DB
	write   *sql.DB
	Dialect Dialect
	path    string // SQLite file, empty on PostgreSQL
	sync    string // SQLite's synchronous setting: FULL or NORMAL

	foreground atomic.Int64 // interactive work running (Foreground, Yield)
	yielded    atomic.Int64 // when bulk work last stopped waiting in Yield, Unix ns
}

// Queryer is what both *DB and *Tx offer for running SQL.
type Queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Open connects to the database described by o. It does not migrate.
func Open(ctx context.Context, o Options) (*DB, error) {
	if o.URL != "" {
		return openPostgres(ctx, o.URL)
	}
	return openSQLite(ctx, o)
}

func openPostgres(ctx context.Context, raw string) (*DB, error) {
	cfg, err := pgx.ParseConfig(raw)
	if err != nil {
		return nil, fmt.Errorf("FOLIO_DATABASE_URL %s: %w", redact(raw), err)
	}
	// Folio's queries are short and interactive: starting parallel workers
	// and JIT-compiling a plan cost more than they save (20–130 ms each on a
	// small machine, for queries that take a few ms), so both are off unless
	// the URL asks for them.
	for k, v := range map[string]string{"max_parallel_workers_per_gather": "0", "jit": "off"} {
		if _, ok := cfg.RuntimeParams[k]; !ok {
			cfg.RuntimeParams[k] = v
		}
	}
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(10)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.PingContext(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to PostgreSQL at %s: %w (check FOLIO_DATABASE_URL and that the server is running)", redact(raw), err)
	}
	return &DB{read: pool, write: pool, Dialect: postgres{}}, nil
}

func openSQLite(ctx context.Context, o Options) (*DB, error) {
	if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", o.DataDir, err)
	}
	path := filepath.Join(o.DataDir, "folio.db")
	sync := o.Synchronous
	if sync == "" {
		sync = "FULL"
	}
	if sync != "FULL" && sync != "NORMAL" {
		return nil, fmt.Errorf("SQLite synchronous %q is not FULL or NORMAL", sync)
	}
	// busy_timeout comes first so that the pragmas after it wait rather than
	// fail when another process holds the file.
	// A page cache of 64 MiB per connection and temporary structures in
	// memory keep large transactions (bulk loads) and list queries off the
	// disk; the memory map serves reads from the OS page cache.
	common := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(" + sync + ")" +
		"&_pragma=cache_size(-65536)&_pragma=temp_store(2)&_pragma=mmap_size(1073741824)"
	write, err := sql.Open("sqlite", "file:"+path+"?"+common+"&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", "file:"+path+"?"+common+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	return &DB{read: read, write: write, Dialect: sqliteDialect{}, path: path, sync: sync}, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Path is the SQLite file, or "" on PostgreSQL.
func (db *DB) Path() string { return db.path }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// ExecContext runs a statement outside a transaction, through the writer.
func (db *DB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := retryBusy(ctx, func() error {
		var err error
		res, err = db.write.ExecContext(ctx, db.Dialect.Rebind(q), args...)
		return err
	})
	return res, err
}

// QueryContext runs a read-only query through the read pool.
func (db *DB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.read.QueryContext(ctx, db.Dialect.Rebind(q), args...)
}

// QueryRowContext runs a read-only single-row query through the read pool.
func (db *DB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, db.Dialect.Rebind(q), args...)
}

// Tx is a write transaction.
type Tx struct {
	tx      *sql.Tx
	Dialect Dialect
	bulk    *Bulk // set by InBulkTx
}

func (t *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.Dialect.Rebind(q), args...)
}

func (t *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.Dialect.Rebind(q), args...)
}

func (t *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.Dialect.Rebind(q), args...)
}

// InTx runs fn in a write transaction, committing when fn returns nil and
// rolling back otherwise. On SQLite the transaction starts with BEGIN
// IMMEDIATE on the single writer connection, and a busy database (another
// process writing) is retried rather than reported.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	return retryBusy(ctx, func() error {
		stx, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := fn(&Tx{tx: stx, Dialect: db.Dialect}); err != nil {
			_ = stx.Rollback()
			return err
		}
		return stx.Commit()
	})
}

// retryBusy repeats fn while SQLite reports the database busy or locked,
// which only happens when another process holds the write lock longer than
// busy_timeout.
func retryBusy(ctx context.Context, fn func() error) error {
	for attempt := 0; ; attempt++ {
		err := fn()
		if err == nil || attempt >= 20 || !isBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 25 * time.Millisecond):
		}
	}
}

func isBusy(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code() & 0xff
		return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
	}
	return false
}

// IsUniqueViolation reports whether err is a unique-constraint violation on
// either database.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return strings.Contains(err.Error(), "SQLSTATE 23505")
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

// Backup writes a consistent copy of the SQLite database to path while the
// database stays in use.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.path == "" {
		return errors.New("backup: this Folio uses PostgreSQL; back it up with pg_dump, e.g. pg_dump --format=custom --file=folio.dump \"$FOLIO_DATABASE_URL\"")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file name", abs)
	}
	_, err = db.write.ExecContext(ctx, "VACUUM INTO ?", abs)
	if err != nil {
		return fmt.Errorf("backup to %s: %w", abs, err)
	}
	return nil
}

// Now is the database-independent current time: UTC, truncated to the
// microsecond that PostgreSQL keeps, so what is written reads back equal.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
