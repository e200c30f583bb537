package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"
)

// DeferIndexes drops the non-unique secondary indexes of tables, recording
// them in deferred_indexes so RestoreIndexes (at the end of a bulk load, or
// at the next start if the load was interrupted) builds them again. Building
// an index once over sorted data is far faster than keeping it up to date
// row by row during a load into empty tables.
//
// Indexes named in keep stay: ones whose key grows with each new row (a
// contact_id index during a load that assigns increasing ids) cost little
// to maintain and much to rebuild.
//
// On PostgreSQL the foreign keys of tables are deferred too: each checks
// every inserted row with a lookup of its own, which is most of the cost of
// a COPY. The loader checks its own references; RestoreIndexes adds the
// keys back, and adding one checks every row in a single join.
func (db *DB) DeferIndexes(ctx context.Context, keep []string, tables ...string) error {
	if len(tables) == 0 {
		return nil
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(tables)), ", ") + ")"
	args := make([]any, len(tables))
	for i, t := range tables {
		args[i] = t
	}
	// Each query lists (name, definition, table) of what to defer.
	var indexes, keys string
	switch db.Dialect.Name() {
	case "postgres":
		indexes = `SELECT indexname, indexdef, tablename FROM pg_indexes WHERE schemaname = current_schema()
			AND tablename IN ` + in + ` AND indexdef NOT LIKE 'CREATE UNIQUE%'`
		keys = `SELECT c.conname, 'ALTER TABLE ' || quote_ident(t.relname) || ' ADD CONSTRAINT ' || quote_ident(c.conname) ||
			' ' || pg_get_constraintdef(c.oid), t.relname
			FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
			WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace AND t.relname IN ` + in
	default:
		indexes = `SELECT name, sql, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
			AND tbl_name IN ` + in + ` AND sql NOT LIKE 'CREATE UNIQUE%'`
	}
	return db.InTx(ctx, func(tx *Tx) error {
		idx, err := deferrable(tx.QueryContext(ctx, indexes, args...))
		if err != nil {
			return err
		}
		for _, d := range idx {
			if slices.Contains(keep, d.name) {
				continue
			}
			if err := d.record(ctx, tx, d.name); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "DROP INDEX "+quoteIdent(d.name)); err != nil {
				return fmt.Errorf("defer index %s: %w", d.name, err)
			}
		}
		if keys == "" {
			return nil
		}
		fks, err := deferrable(tx.QueryContext(ctx, keys, args...))
		if err != nil {
			return err
		}
		for _, d := range fks {
			// Key names are unique per table only.
			if err := d.record(ctx, tx, d.table+"."+d.name); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "ALTER TABLE "+quoteIdent(d.table)+" DROP CONSTRAINT "+quoteIdent(d.name)); err != nil {
				return fmt.Errorf("defer foreign key %s: %w", d.name, err)
			}
		}
		return nil
	})
}

// deferred is an index or key DeferIndexes drops and RestoreIndexes
// creates again.
type deferred struct{ name, def, table string }

func (d deferred) record(ctx context.Context, tx *Tx, key string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO deferred_indexes (name, sql, table_name) VALUES (?, ?, ?)", key, d.def, d.table)
	return err
}

// deferrable reads (name, definition, table) rows, all of them before the
// caller runs anything else on the connection.
func deferrable(rows *sql.Rows, err error) ([]deferred, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []deferred
	for rows.Next() {
		var d deferred
		if err := rows.Scan(&d.name, &d.def, &d.table); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RestoreIndexes builds the indexes DeferIndexes dropped, one transaction
// each, then adds back the foreign keys it dropped, and refreshes the
// planner's statistics of the tables concerned. PostgreSQL builds two
// indexes at a time.
func (db *DB) RestoreIndexes(ctx context.Context) error {
	todo, err := deferrable(db.QueryContext(ctx, "SELECT name, sql, table_name FROM deferred_indexes ORDER BY name"))
	if err != nil {
		if strings.Contains(err.Error(), "deferred_indexes") || strings.Contains(err.Error(), "table_name") {
			return nil // before the migrations that add them
		}
		return err
	}
	if len(todo) == 0 {
		return nil
	}
	pg := db.Dialect.Name() == "postgres"
	restore := func(d deferred) error {
		return db.InTx(ctx, func(tx *Tx) error {
			if pg {
				// Sort for an index build in memory rather than in runs on
				// disk; for this transaction only.
				if _, err := tx.ExecContext(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
					return err
				}
			}
			def := strings.Replace(d.def, "CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
			if _, err := tx.ExecContext(ctx, def); err != nil {
				return fmt.Errorf("rebuild %s: %w", d.name, err)
			}
			_, err := tx.ExecContext(ctx, "DELETE FROM deferred_indexes WHERE name = ?", d.name)
			return err
		})
	}
	var indexes, keys []deferred
	var tables []string
	for _, d := range todo {
		if strings.HasPrefix(d.def, "ALTER TABLE ") {
			keys = append(keys, d)
		} else {
			indexes = append(indexes, d)
		}
		if !slices.Contains(tables, d.table) {
			tables = append(tables, d.table)
		}
	}
	if !pg {
		// Let SQLite's sorter use a second thread for the index builds.
		if _, err := db.ExecContext(ctx, "PRAGMA threads = 2"); err != nil {
			return err
		}
		for _, d := range todo {
			if err := restore(d); err != nil {
				return err
			}
		}
		return db.Analyze(ctx)
	}
	// Indexes first, two at a time, then the keys one by one (adding one
	// locks both its tables).
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	for _, d := range indexes {
		g.Go(func() error {
			if gctx.Err() != nil {
				return gctx.Err()
			}
			return restore(d)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, d := range keys {
		if err := restore(d); err != nil {
			return err
		}
	}
	if slices.Contains(tables, "") {
		return db.Analyze(ctx) // deferred before tables were recorded
	}
	// Rows COPY just wrote are not yet marked visible to all in the
	// visibility map, so an index-only scan would still read the table for
	// each of them (a covering-index query goes from milliseconds to a
	// second) until autovacuum comes by: vacuum the loaded tables now.
	for i, t := range tables {
		tables[i] = quoteIdent(t)
	}
	if _, err := db.ExecContext(ctx, "VACUUM (ANALYZE) "+strings.Join(tables, ", ")); err != nil {
		return fmt.Errorf("vacuum after a bulk load: %w", err)
	}
	return nil
}

// Analyze refreshes the query planner's statistics. On SQLite it samples
// (analysis_limit) so it takes a moment even on a million contacts.
func (db *DB) Analyze(ctx context.Context) error {
	if db.Dialect.Name() == "sqlite" {
		if _, err := db.ExecContext(ctx, "PRAGMA analysis_limit = 1000"); err != nil {
			return err
		}
	}
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// AnalyzeTables refreshes the planner's statistics of tables on
// PostgreSQL, whose plans for a table that grew from nearly empty to many
// rows (during an import) would otherwise stay those of an empty one.
// SQLite plans well without statistics; there it does nothing.
func (db *DB) AnalyzeTables(ctx context.Context, tables ...string) error {
	if db.Dialect.Name() != "postgres" || len(tables) == 0 {
		return nil
	}
	q := make([]string, len(tables))
	for i, t := range tables {
		q[i] = quoteIdent(t)
	}
	if _, err := db.ExecContext(ctx, "ANALYZE "+strings.Join(q, ", ")); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}
