package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/importer"
)

// maxExportIDs is the most selected contacts one export names.
const maxExportIDs = 10000

// contactsExport downloads contacts as CSV, XLSX or vCard: the ticked ones
// (id=…), or else the whole list its query describes, read the way the
// list reads it (search, filters, conditions and sort; every page). The
// route needs the export grant. Everything that can be refused is checked
// before the first byte, since a download cannot turn into a page later.
func (s *Server) contactsExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = importer.FormatCSV
	}
	switch format {
	case importer.FormatCSV, importer.FormatXLSX, importer.FormatVCard:
	default:
		s.renderErrorText(w, r, http.StatusBadRequest, "Folio cannot export to “"+format+"”. Choose CSV, Excel (XLSX) or vCard.")
		return
	}
	req := importer.ExportRequest{Format: format, Sensitive: q.Get("sensitive") == "1" || q.Get("sensitive") == "on"}
	if !v.Export {
		s.renderErrorText(w, r, http.StatusForbidden, "Exporting contacts needs the export grant. Ask an administrator of your firm for it.")
		return
	}
	if req.Sensitive && !v.Sensitive {
		s.renderErrorText(w, r, http.StatusForbidden, "Including ID numbers in an export needs Sensitive Data Access. Export without them, or ask an administrator for that access.")
		return
	}
	if raw := q["id"]; len(raw) > 0 {
		if len(raw) > maxExportIDs {
			s.renderErrorText(w, r, http.StatusBadRequest, "Too many contacts are ticked: export at most 10,000 at once, or export the whole list instead.")
			return
		}
		for _, x := range raw {
			id, err := strconv.ParseInt(x, 10, 64)
			if err != nil || id <= 0 {
				s.renderErrorText(w, r, http.StatusBadRequest, "The selection names “"+x+"”, which is not a contact number. Tick the contacts again and export.")
				return
			}
			if !slices.Contains(req.IDs, id) {
				req.IDs = append(req.IDs, id)
			}
		}
	} else {
		st, err := parseListState(q)
		if err != nil {
			s.listError(w, r, "", err)
			return
		}
		conds, _, err := s.listConditions(ctx, st)
		if err != nil {
			s.listError(w, r, "", err)
			return
		}
		query := st.query()
		query.Conditions, query.Cursor = conds, ""
		// The list refuses what the export would: ask it for one row first.
		probe := query
		probe.Limit = 1
		if _, err := s.Contacts.List(ctx, v, probe); err != nil {
			s.listError(w, r, "", err)
			return
		}
		req.Query = query
	}
	name := "contacts-" + time.Now().UTC().Format("2006-01-02") + "." + importer.Extension(format)
	dw := newDownload(w, importer.ContentType(format), name)
	if _, err := s.Imports.Export(ctx, v, dw, req); err != nil {
		s.downloadFailed(dw, r, err)
		return
	}
	dw.done()
}
