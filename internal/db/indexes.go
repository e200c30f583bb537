package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
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
func (db *DB) DeferIndexes(ctx context.Context, keep []string, tables ...string) error {
	if len(tables) == 0 {
		return nil
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(tables)), ", ") + ")"
	args := make([]any, len(tables))
	for i, t := range tables {
		args[i] = t
	}
	var q string
	switch db.Dialect.Name() {
	case "postgres":
		q = `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ` + in +
			` AND indexdef NOT LIKE 'CREATE UNIQUE%'`
	default:
		q = `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ` + in +
			` AND sql NOT LIKE 'CREATE UNIQUE%'`
	}
	return db.InTx(ctx, func(tx *Tx) error {
		names, defs, err := namedSQL(tx.QueryContext(ctx, q, args...))
		if err != nil {
			return err
		}
		for i, n := range names {
			if slices.Contains(keep, n) {
				continue
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO deferred_indexes (name, sql) VALUES (?, ?)", n, defs[i]); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "DROP INDEX "+quoteIdent(n)); err != nil {
				return fmt.Errorf("defer index %s: %w", n, err)
			}
		}
		return nil
	})
}

// RestoreIndexes builds the indexes DeferIndexes dropped, one transaction
// each, and refreshes the planner's statistics when it built any.
func (db *DB) RestoreIndexes(ctx context.Context) error {
	names, defs, err := namedSQL(db.QueryContext(ctx, "SELECT name, sql FROM deferred_indexes ORDER BY name"))
	if err != nil {
		if strings.Contains(err.Error(), "deferred_indexes") {
			return nil // before the migration that adds it
		}
		return err
	}
	if db.Dialect.Name() == "sqlite" && len(names) > 0 {
		// Let SQLite's sorter use a second thread for the index builds.
		if _, err := db.ExecContext(ctx, "PRAGMA threads = 2"); err != nil {
			return err
		}
	}
	for i, n := range names {
		err := db.InTx(ctx, func(tx *Tx) error {
			def := defs[i]
			def = strings.Replace(def, "CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
			if _, err := tx.ExecContext(ctx, def); err != nil {
				return fmt.Errorf("rebuild index %s: %w", n, err)
			}
			_, err := tx.ExecContext(ctx, "DELETE FROM deferred_indexes WHERE name = ?", n)
			return err
		})
		if err != nil {
			return err
		}
	}
	if len(names) > 0 {
		return db.Analyze(ctx)
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

// namedSQL reads rows of (name, sql) pairs.
func namedSQL(rows *sql.Rows, err error) (names, defs []string, _ error) {
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n, d string
		if err := rows.Scan(&n, &d); err != nil {
			return nil, nil, err
		}
		names, defs = append(names, n), append(defs, d)
	}
	return names, defs, rows.Err()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
