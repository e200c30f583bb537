package importer

import (
	"context"
	"errors"
	"io"
	"os"
	"slices"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/secret"
	"github.com/foliocrm/folio/internal/tabular"
)

// PreviewRow is one row of the file as it would be stored.
type PreviewRow struct {
	Line int
	// Outcome is "create", "update", "unchanged" or "reject".
	Outcome string
	Reason  string
	// Values are the stored values by field key (for a rejected row, the
	// file's own values by field key).
	Values map[string]string
}

// Samples returns the first n rows of an uploaded file as read, for the
// mapping form to show next to each column.
func (s *Service) Samples(ctx context.Context, v contact.Viewer, id int64, n int) ([][]string, error) {
	im, err := s.Get(ctx, v, id)
	if err != nil {
		return nil, err
	}
	var out [][]string
	err = s.head(ctx, im, n, func(rec tabular.Record) {
		if !isDescriptionRow(rec.Fields) {
			out = append(out, maskSensitive(v, im.Mapping, rec.Fields))
		}
	})
	return out, err
}

// maskSensitive masks the values of sensitive columns for users without
// Sensitive Data Access.
func maskSensitive(v contact.Viewer, mapping, fields []string) []string {
	if v.Sensitive {
		return fields
	}
	out := slices.Clone(fields)
	for i, m := range mapping {
		if f := FieldByKey(m); f != nil && f.Sensitive && i < len(out) {
			out[i] = secret.Mask(out[i])
		}
	}
	return out
}

// head reads the first n records of an import's file.
func (s *Service) head(ctx context.Context, im *Import, n int, fn func(tabular.Record)) error {
	path, err := s.fileHead(ctx, im)
	if err != nil {
		return err
	}
	defer os.Remove(path)
	src, err := tabular.Open(path, im.FileName, im.Options)
	if err != nil {
		return userError(err)
	}
	defer src.Close()
	for i := 0; i < n; i++ {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return userError(err)
		}
		fn(rec)
	}
	return nil
}

// fileHead writes enough of the stored upload to read its first rows: the
// first chunk of a text file, all of a workbook (a zip is read from its end).
func (s *Service) fileHead(ctx context.Context, im *Import) (string, error) {
	if im.Format == "xlsx" {
		return s.file(ctx, im.ID)
	}
	var data []byte
	err := s.DB.QueryRowContext(ctx, "SELECT data FROM import_chunks WHERE import_id = ? AND seq = 0", im.ID).Scan(&data)
	if err != nil {
		return "", errs.E(errs.Invalid, "The uploaded file is no longer stored; upload it again.")
	}
	f, err := os.CreateTemp(s.TempDir, "folio-preview-*")
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// Preview shows the first n rows of an import as they would be stored with
// st's mapping and key, writing nothing.
func (s *Service) Preview(ctx context.Context, v contact.Viewer, id int64, st Settings, n int) ([]PreviewRow, error) {
	im, err := s.Get(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if im.CreatedBy != v.UserID && !v.Admin {
		return nil, errs.E(errs.Forbidden, "Only the user who uploaded the file can preview this import.")
	}
	if err := checkMapping(im.Header, st.Mapping); err != nil {
		return nil, err
	}
	if !st.Key.Valid() {
		return nil, errs.FieldErrors(map[string]string{"key": "choose how rows find the contact they update"})
	}
	rf, err := loadRefs(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	var recs []tabular.Record
	if err := s.head(ctx, im, n, func(r tabular.Record) {
		if !isDescriptionRow(r.Fields) {
			recs = append(recs, r)
		}
	}); err != nil {
		return nil, err
	}
	rows := make([]*contact.ImportRow, len(recs))
	for i, rec := range recs {
		rows[i] = importRow(im.Header, st.Mapping, rec, rf)
	}
	b := &contact.ImportBatch{ImportID: -1, Key: st.Key, DefaultCategory: defaultCategory(rf), DefaultOwner: v.UserID, Rows: rows}
	if err := s.Contacts.ImportRows(ctx, s.DB, nil, v, b); err != nil {
		return nil, err
	}
	nm, err := loadNames(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	out := make([]PreviewRow, len(rows))
	for i, r := range rows {
		p := PreviewRow{Line: r.Line, Reason: r.Reason, Outcome: outcomeName[r.Outcome]}
		if r.Outcome == contact.Rejected || r.Values == nil {
			p.Values = map[string]string{}
			fields := maskSensitive(v, st.Mapping, recs[i].Fields)
			for j, key := range st.Mapping {
				if key != "" && j < len(fields) {
					p.Values[key] = fields[j]
				}
			}
		} else {
			p.Values = map[string]string{}
			exportValues(p.Values, r.Values, nm)
			p.Values["full_name"] = r.Values.Name()
			for _, id := range r.Values.Identifiers {
				if id.Number != "" {
					p.Values[id.Kind] = id.Number
					if !v.Sensitive {
						p.Values[id.Kind] = secret.Mask(id.Number)
					}
				}
			}
		}
		out[i] = p
	}
	return out, nil
}

var outcomeName = map[contact.Outcome]string{contact.Created: "create", contact.Updated: "update",
	contact.Unchanged: "unchanged", contact.Rejected: "reject", contact.Pending: "create"}

func defaultCategory(rf *refs) int64 {
	if id := rf.categories[headerKey("client")]; id != 0 {
		return id
	}
	return rf.other
}
