package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/authz"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/importer"
)

// exportContactsInput is the query string of GET /contacts/export: the
// list's search, filters and sort, without paging.
type exportContactsInput struct {
	Format    string `query:"format" enum:"csv,xlsx,vcard" default:"csv" doc:"csv and xlsx have the columns of the import template, so a file imports back as it is; vcard is vCard 4.0"`
	Sensitive bool   `query:"sensitive" doc:"Add the ID number columns (tax ID, national ID, passport, driver's licence) in clear. Needs Sensitive Data Access; csv and xlsx only."`
	Q         string `query:"q" maxLength:"200" doc:"As q of GET /api/v1/contacts"`
	Category  int64  `query:"category" minimum:"1" doc:"Only this category (an id from GET /api/v1/contact-categories)"`
	Stage     string `query:"stage" maxLength:"50" doc:"Only this onboarding stage"`
	Owner     int64  `query:"owner" minimum:"1" doc:"Only contacts owned by this user id"`
	Group     int64  `query:"group" minimum:"1" doc:"Only members of this group id"`
	Tag       string `query:"tag" maxLength:"50" doc:"Only contacts with this tag"`
	Segment   int64  `query:"segment" minimum:"1" doc:"Only contacts matching this segment id"`
	Sort      string `query:"sort" maxLength:"50" doc:"As sort of GET /api/v1/contacts: the order of the rows. Without sort and q, contacts come in the order they were added, the fastest way to export a whole book"`
}

// ExportRequest is the body of POST /contacts/export: a selection.
type ExportRequest struct {
	Format    string  `json:"format,omitempty" enum:"csv,xlsx,vcard" default:"csv" doc:"As format of GET /api/v1/contacts/export"`
	IDs       []int64 `json:"ids" minItems:"1" maxItems:"10000" doc:"The contacts to export, in this order; ids you cannot see, or in the trash, are left out, and a repeated id is exported once"`
	Sensitive bool    `json:"sensitive,omitempty" doc:"As sensitive of GET /api/v1/contacts/export"`
}

type exportSelectionInput struct {
	Body ExportRequest
}

type exportOutput struct {
	ContentType        string `header:"Content-Type" doc:"The format's type: text/csv, the XLSX type or text/vcard"`
	ContentDisposition string `header:"Content-Disposition" doc:"attachment; filename=\"contacts-YYYY-MM-DD.csv\" (.xlsx, .vcf)"`
	NoSniff            string `header:"X-Content-Type-Options" doc:"nosniff"`
	CacheControl       string `header:"Cache-Control" doc:"no-store"`
	Body               func(huma.Context)
}

// exportResponse documents the streamed file of every format.
func exportResponse() map[string]*huma.Response {
	content := map[string]*huma.MediaType{}
	for _, f := range []string{importer.FormatCSV, importer.FormatXLSX, importer.FormatVCard} {
		content[importer.ContentType(f)] = &huma.MediaType{}
	}
	return map[string]*huma.Response{"200": {Description: "The file, streamed as it is written", Content: content}}
}

// exportContacts exports the list the query string selects. Everything
// that can be wrong with the request is checked before the first byte.
func (x *API) exportContacts(ctx context.Context, in *exportContactsInput) (*exportOutput, error) {
	q := contact.Query{Q: in.Q, Category: in.Category, Stage: in.Stage, Owner: in.Owner, Group: in.Group, Tag: in.Tag,
		Segment: in.Segment, Sort: in.Sort}
	if err := x.checkExport(ctx, in.Format, in.Sensitive, inQuery); err != nil {
		return nil, err
	}
	if err := x.checkFilterIDs(ctx, q); err != nil {
		return nil, x.problemAt(ctx, err, inQuery)
	}
	// The list reads the sort, the segment and the filters as the export
	// will: a bad one is refused here, not halfway through the file.
	probe := q
	probe.Limit = 1
	if _, err := x.Contacts.List(ctx, viewer(ctx), probe); err != nil {
		return nil, x.problemAt(ctx, err, inQuery)
	}
	return x.export(ctx, importer.ExportRequest{Format: in.Format, Query: q, Sensitive: in.Sensitive}), nil
}

// exportSelection exports the contacts of a list of ids.
func (x *API) exportSelection(ctx context.Context, in *exportSelectionInput) (*exportOutput, error) {
	b := in.Body
	if err := x.checkExport(ctx, b.Format, b.Sensitive, inBody); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(b.IDs))
	seen := make(map[int64]bool, len(b.IDs))
	for _, id := range b.IDs {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return x.export(ctx, importer.ExportRequest{Format: b.Format, IDs: ids, Sensitive: b.Sensitive}), nil
}

// checkExport refuses an export the caller may not make, as the domain
// would, but before anything is written. A refused sensitive export is
// recorded like any other denial.
func (x *API) checkExport(ctx context.Context, format string, sensitive bool, f fieldsIn) error {
	v := viewer(ctx)
	switch {
	case !v.Export:
		return huma.Error403Forbidden("Exporting contacts needs the export grant; ask an admin.")
	case sensitive && format == importer.FormatVCard:
		return f.invalid(errs.FieldErrors(map[string]string{"sensitive": "a vCard holds no ID numbers; choose csv or xlsx to export them"}))
	case sensitive && !v.Sensitive:
		denied := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: Prefix + "/contacts/export"}}
		if f.in == "body" {
			denied.Method = http.MethodPost
		}
		if err := authz.LogDenial(ctx, x.DB, denied, auth.PermSensitive); err != nil {
			x.Log.ErrorContext(ctx, "log denial", "err", err)
		}
		return huma.Error403Forbidden("Exporting ID numbers needs Sensitive Data Access (needs " + string(auth.PermSensitive) + "). This attempt has been recorded.")
	}
	return nil
}

// export is the streamed answer of an export: the domain writes the file
// (and its activity-log entry) straight to the client. It runs on after the
// client goes away, until a write fails, so that the entry is written for a
// download cut off too.
func (x *API) export(ctx context.Context, req importer.ExportRequest) *exportOutput {
	name := "contacts-" + time.Now().Format(time.DateOnly) + "." + importer.Extension(req.Format)
	v := viewer(ctx)
	return &exportOutput{ContentType: importer.ContentType(req.Format), ContentDisposition: attachment(name), NoSniff: "nosniff",
		CacheControl: "no-store", Body: func(hctx huma.Context) {
			x.stream(ctx, hctx, "export", func(w io.Writer) error {
				_, err := x.Imports.Export(context.WithoutCancel(ctx), v, w, req)
				return err
			})
		}}
}

// stream writes a download with write. The status and headers go out with
// the first bytes: an error before them is answered as a problem, one
// after them can only cut the response off, so that the client sees a
// broken transfer rather than a short file that looks whole.
func (x *API) stream(ctx context.Context, hctx huma.Context, what string, write func(io.Writer) error) {
	_, w := humago.Unwrap(hctx)
	sw := &streamWriter{hctx: hctx, rc: http.NewResponseController(w)}
	err := write(sw)
	switch {
	case err == nil && !sw.started:
		hctx.SetStatus(http.StatusOK)
		return
	case err == nil:
		return
	case !sw.started:
		var se huma.StatusError
		if !errors.As(x.problem(ctx, err), &se) {
			se = huma.Error500InternalServerError("internal error")
		}
		w.Header().Del("Content-Disposition")
		hctx.SetHeader("Content-Type", "application/problem+json")
		hctx.SetStatus(se.GetStatus())
		_ = x.h.Marshal(hctx.BodyWriter(), "application/problem+json", se)
		return
	case ctx.Err() != nil:
		x.Log.InfoContext(ctx, what+" stopped: the client went away", "err", err)
	default:
		x.Log.ErrorContext(ctx, what+" failed", "err", err)
	}
	panic(http.ErrAbortHandler)
}

// streamWriter sends the status with the first bytes, and moves the
// connection's write deadline on with every write, so that a long download
// that keeps moving is not cut off by the server's write timeout.
type streamWriter struct {
	hctx    huma.Context
	rc      *http.ResponseController
	started bool
}

func (s *streamWriter) Write(p []byte) (int, error) {
	if !s.started {
		s.started = true
		s.hctx.SetStatus(http.StatusOK)
	}
	_ = s.rc.SetWriteDeadline(time.Now().Add(time.Minute))
	return s.hctx.BodyWriter().Write(p)
}
