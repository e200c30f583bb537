package ticket

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// Columns are the columns the ticket list can show, in their order; each
// also sorts the list.
var Columns = []contact.Option{
	{Key: "id", Label: "#"}, {Key: "title", Label: "Title"}, {Key: "contact", Label: "Contact"}, {Key: "status", Label: "Status"},
	{Key: "priority", Label: "Priority"}, {Key: "assignee", Label: "Assignee"}, {Key: "comments", Label: "Comments"},
	{Key: "created", Label: "Created"}, {Key: "updated", Label: "Updated"},
}

// DefaultColumns are shown until a user chooses theirs.
var DefaultColumns = []string{"id", "title", "contact", "status", "priority", "assignee", "updated"}

// ColumnKeys are the keys of Columns.
func ColumnKeys() []string {
	keys := make([]string, len(Columns))
	for i, c := range Columns {
		keys[i] = c.Key
	}
	return keys
}

// cleanColumns puts chosen columns in the list's order, the title always
// among them; an unknown key is an Invalid error.
func cleanColumns(chosen []string) ([]string, error) {
	for _, k := range chosen {
		if !slices.Contains(ColumnKeys(), k) {
			return nil, errs.FieldErrors(map[string]string{"columns": fmt.Sprintf("Unknown column %q; choose among %s.", k, strings.Join(ColumnKeys(), ", "))})
		}
	}
	var out []string
	for _, k := range ColumnKeys() {
		if k == "title" || slices.Contains(chosen, k) {
			out = append(out, k)
		}
	}
	return out, nil
}

// ColumnsOf are the columns user chose for the ticket list, or the
// default ones.
func (s *Service) ColumnsOf(ctx context.Context, user int64) ([]string, error) {
	var cols string
	err := s.DB.QueryRowContext(ctx, "SELECT columns FROM ticket_list_columns WHERE user_id = ?", user).Scan(&cols)
	if errors.Is(err, sql.ErrNoRows) {
		return slices.Clone(DefaultColumns), nil
	}
	if err != nil {
		return nil, err
	}
	// A column Folio no longer has is dropped rather than refused.
	var kept []string
	for _, k := range strings.Split(cols, ",") {
		if slices.Contains(ColumnKeys(), k) {
			kept = append(kept, k)
		}
	}
	out, _ := cleanColumns(kept)
	return out, nil
}

// SaveColumns remembers the columns user chose for the ticket list.
func (s *Service) SaveColumns(ctx context.Context, user int64, chosen []string) ([]string, error) {
	cols, err := cleanColumns(chosen)
	if err != nil {
		return nil, err
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO ticket_list_columns (user_id, columns, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET columns = excluded.columns, updated_at = excluded.updated_at`,
			user, strings.Join(cols, ","), db.Now())
		return err
	})
	return cols, err
}
