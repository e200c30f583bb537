package contact

import (
	"context"
	"strings"

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

// idsPerQuery is how many ids one IN list binds, well below the databases'
// limits on parameters.
const idsPerQuery = 500

// inChunks calls fn for each run of at most idsPerQuery ids with the
// placeholders of their IN list and the ids as arguments.
func inChunks(ids []int64, fn func(in string, args []any) error) error {
	for start := 0; start < len(ids); start += idsPerQuery {
		chunk := ids[start:min(start+idsPerQuery, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if err := fn(placeholders("?", len(chunk)), args); err != nil {
			return err
		}
	}
	return nil
}

// placeholders is n copies of group ("?" or "(?, ?)") separated by commas.
func placeholders(group string, n int) string {
	return strings.TrimSuffix(strings.Repeat(group+", ", n), ", ")
}
