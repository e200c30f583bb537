package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/export"
	"github.com/foliocrm/folio/internal/secret"
)

// RejectedRow is one row an import rejected.
type RejectedRow struct {
	Line   int
	Reason string
}

// Rejections lists the first rejected rows of an import with their reasons.
func (s *Service) Rejections(ctx context.Context, v contact.Viewer, id int64, limit int) ([]RejectedRow, error) {
	if _, err := s.Get(ctx, v, id); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT line, reason FROM import_errors WHERE import_id = ? ORDER BY line LIMIT ?", id, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RejectedRow
	for rows.Next() {
		var r RejectedRow
		if err := rows.Scan(&r.Line, &r.Reason); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// WriteErrors writes an import's rejected rows as CSV: the file's own
// columns with each row as it was, then the line number and the reason.
// Values of sensitive columns are in clear only for users with Sensitive
// Data Access; others see them masked.
func (s *Service) WriteErrors(ctx context.Context, v contact.Viewer, id int64, w io.Writer) error {
	im, err := s.Get(ctx, v, id)
	if err != nil {
		return err
	}
	sensitiveCol := make([]bool, len(im.Header))
	for i, m := range im.Mapping {
		if f := FieldByKey(m); f != nil && f.Sensitive && i < len(sensitiveCol) {
			sensitiveCol[i] = true
		}
	}
	t := export.NewCSV(w, export.CSVOptions{})
	head := append(append([]string{}, im.Header...), "Line", "Error")
	if err := t.Header(head); err != nil {
		return err
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT line, reason, row, sealed FROM import_errors WHERE import_id = ? ORDER BY line", id)
	if err != nil {
		return err
	}
	defer rows.Close()
	cells := make([]string, len(head))
	for rows.Next() {
		var line int
		var reason, row string
		var sealed bool
		if err := rows.Scan(&line, &reason, &row, &sealed); err != nil {
			return err
		}
		if sealed {
			if row, err = s.Box.Open(row); err != nil {
				return fmt.Errorf("import %d: open rejected row %d: %w", id, line, err)
			}
		}
		var fields []string
		_ = json.Unmarshal([]byte(row), &fields)
		for i := range im.Header {
			cells[i] = ""
			if i < len(fields) {
				cells[i] = fields[i]
				if sensitiveCol[i] && !v.Sensitive {
					cells[i] = secret.Mask(fields[i])
				}
			}
		}
		cells[len(im.Header)], cells[len(im.Header)+1] = fmt.Sprint(line), reason
		if err := t.Row(cells); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return t.Close()
}
