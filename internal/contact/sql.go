package contact

import (
	"context"

	"github.com/foliocrm/folio/internal/db"
)

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// queryAll runs a query and scans each of its rows with scan.
func queryAll[T any](ctx context.Context, q db.Queryer, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// scanOne scans a row of one column.
func scanOne[T any](row scanner) (T, error) {
	var x T
	err := row.Scan(&x)
	return x, err
}
