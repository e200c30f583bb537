package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/importer"
	"github.com/foliocrm/folio/internal/secret"
	"github.com/foliocrm/folio/internal/tabular"
)

// The staff UI of imports: upload a file, map its columns, preview, dry-run
// and import it in the background, and follow its progress. The importer
// package does the work; these handlers only show it.

const (
	// importBodyExtra is the room an upload request has beyond the largest
	// file: the other fields and the parts' headers.
	importBodyExtra = 1 << 20
	// importListLimit is how many past imports the import page lists at once.
	importListLimit = 20
	// importSampleRows is how many rows the mapping form reads to show
	// sample values beside each column.
	importSampleRows = 3
	// importPreviewRows is how many rows a preview shows.
	importPreviewRows = 10
	// importRejectionsShown is how many rejected rows a finished import
	// lists; the CSV download has them all.
	importRejectionsShown = 20
	// sampleChars is the longest sample value shown, in characters.
	sampleChars = 40
)

// encodingChoice is one choice of the character set select.
type encodingChoice struct{ Value, Label string }

var importEncodings = []encodingChoice{{"", "Detect automatically"}, {"utf-8", "UTF-8"}, {"utf-16", "UTF-16"},
	{"windows-1252", "Windows-1252 (Western European)"}}

// importView is an import with what its pages say about it.
type importView struct {
	*importer.Import
}

// N writes a count with thousands separators: 12,345.
func (importView) N(n int64) string { return thousands(n) }

// Size is the file's size as people say it.
func (im importView) Size() string { return fileSize(im.FileSize) }

// FormatLabel names the file's format.
func (im importView) FormatLabel() string {
	switch im.Format {
	case "xlsx":
		return "Excel workbook"
	case "vcard":
		return "vCard file"
	}
	return "CSV file"
}

// Ran reports whether the import read rows, so its counts mean something.
func (im importView) Ran() bool {
	return im.Status != importer.StatusUploaded && im.Status != importer.StatusQueued
}

// StatusLabel is the status in words.
func (im importView) StatusLabel() string {
	switch im.Status {
	case importer.StatusUploaded:
		return "Waiting for the mapping"
	case importer.StatusQueued:
		return "Queued"
	case importer.StatusRunning:
		if im.DryRun {
			return "Dry run running"
		}
		return "Importing"
	case importer.StatusDone:
		if im.DryRun {
			return "Dry run done"
		}
		return "Imported"
	case importer.StatusFailed:
		return "Failed"
	case importer.StatusCancelled:
		return "Cancelled"
	}
	return im.Status
}

// StatusBadge is the badge class of the status.
func (im importView) StatusBadge() string {
	switch im.Status {
	case importer.StatusQueued, importer.StatusRunning:
		return "badge-blue"
	case importer.StatusDone:
		if im.DryRun {
			return "badge-amber"
		}
		return "badge-green"
	case importer.StatusFailed:
		return "badge-red"
	}
	return "badge-gray"
}

// DryRunLine sums a dry run up in one sentence.
func (im importView) DryRunLine() string {
	return fmt.Sprintf("Dry run: would create %s, update %s, leave %s unchanged, reject %s.", thousands(im.Created),
		thousands(im.Updated), thousands(im.Unchanged), thousands(im.Rejected))
}

// Took is how long the import ran, "" when unknown.
func (im importView) Took() string {
	if im.StartedAt == nil || im.FinishedAt == nil {
		return ""
	}
	return duration(im.FinishedAt.Sub(*im.StartedAt))
}

// Summary is the progress line: rows read, speed and time left.
func (im importView) Summary(now time.Time) string {
	if im.Status == importer.StatusQueued {
		if im.RowsDone > 0 {
			return fmt.Sprintf("%s read so far. Waiting for the importer to go on.", plural64(im.RowsDone, "row", "rows"))
		}
		return "Waiting for the importer to start; this takes a few seconds."
	}
	if im.RowsDone == 0 {
		return "Reading the first batch of rows."
	}
	parts := []string{plural64(im.RowsDone, "row", "rows") + " read"}
	if rps := im.RowsPerSecond(now); rps >= 1 {
		parts = append(parts, thousands(int64(rps+0.5))+" rows a second")
	}
	if left := im.TimeLeft(now); left > 0 {
		parts = append(parts, "about "+duration(left)+" left")
	}
	return strings.Join(parts, ", ") + "."
}

// thousands writes n with comma thousands separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func plural64(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// duration is a span as people say it: "45 s", "3 min 20 s", "2 h 5 min".
func duration(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Second:
		return "less than a second"
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		m, s := int(d.Minutes()), int(d.Seconds())%60
		if s == 0 {
			return fmt.Sprintf("%d min", m)
		}
		return fmt.Sprintf("%d min %d s", m, s)
	}
	h, m := int(d.Hours()), int(d.Minutes())%60
	if m == 0 {
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}

func importURL(id int64) string { return "/imports/" + strconv.FormatInt(id, 10) }

// --- The import page: upload and past imports --------------------------

type importsData struct {
	Imports     []importView
	Next        string // the older imports' page
	Paged       bool   // not the first page
	CanWrite    bool
	MaxUpload   string // the limit in words
	MaxBytes    int64
	TooLarge    string
	Encodings   []encodingChoice
	OptionsOpen bool
}

// importsPage offers the upload form and lists the past imports.
func (s *Server) importsPage(w http.ResponseWriter, r *http.Request) {
	s.renderImports(w, r, http.StatusOK, &Form{Values: url.Values{}, Errors: map[string]string{}})
}

// renderImports shows the import page with f's values and errors (a
// refused upload).
func (s *Server) renderImports(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	var before int64
	if b := r.URL.Query().Get("before"); b != "" && r.Method == http.MethodGet {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n <= 0 {
			s.renderErrorText(w, r, http.StatusBadRequest, "That page of past imports does not exist. Open the import page from the contacts list.")
			return
		}
		before = n
	}
	list, err := s.Imports.List(ctx, v, before, importListLimit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := importsData{CanWrite: !v.ReadOnly, MaxUpload: fileSize(s.Imports.MaxUpload), MaxBytes: s.Imports.MaxUpload,
		TooLarge: errs.MessageOf(s.Imports.TooLarge()), Encodings: importEncodings, Paged: before > 0,
		OptionsOpen: f.Get("encoding") != "" || f.Get("sheet") != ""}
	for _, im := range list {
		d.Imports = append(d.Imports, importView{im})
	}
	if len(list) == importListLimit {
		d.Next = "/imports?before=" + strconv.FormatInt(list[len(list)-1].ID, 10)
	}
	s.render(w, r, status, "app/imports", &Page{Title: "Import contacts", Form: f, Data: d})
}

// importUpload streams the uploaded file into the importer: the parts are
// read in order (the options come before the file in the form), and the
// file part goes straight to Upload without being buffered here.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	raw := r.Body
	limit := s.Imports.MaxUpload + importBodyExtra
	r.Body = http.MaxBytesReader(w, raw, limit)
	f := &Form{Values: url.Values{}, Errors: map[string]string{}}
	tooLargeMsg := errs.MessageOf(s.Imports.TooLarge())
	refuse := func(status int, msg string) {
		f.Errors["file"] = msg
		s.renderImports(w, r, status, f)
	}
	tooLarge := func() {
		// A browser still sending shows a connection error instead of the
		// page when the server stops reading: read on, up to a point.
		if r.ContentLength <= drainLimit {
			_, _ = io.CopyN(io.Discard, raw, drainLimit)
		}
		refuse(http.StatusRequestEntityTooLarge, tooLargeMsg)
	}
	if r.ContentLength > limit {
		tooLarge()
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		s.renderErrorText(w, r, http.StatusBadRequest, "The upload could not be read. Go back and choose the file again.")
		return
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) || errors.Is(err, multipart.ErrMessageTooLarge) {
				tooLarge()
				return
			}
			s.renderErrorText(w, r, http.StatusBadRequest, "The upload could not be read. Go back and choose the file again.")
			return
		}
		switch name := part.FormName(); name {
		case "encoding", "sheet":
			b, err := io.ReadAll(io.LimitReader(part, 256))
			if err != nil {
				s.renderErrorText(w, r, http.StatusBadRequest, "The upload could not be read. Go back and choose the file again.")
				return
			}
			f.Values.Set(name, strings.TrimSpace(string(b)))
		case "file":
			if part.FileName() == "" {
				continue // the browser sends an empty part when no file is chosen
			}
			opts := tabular.Options{Encoding: f.Get("encoding"), Sheet: f.Get("sheet")}
			im, err := s.Imports.Upload(ctx, v, part.FileName(), part, opts)
			if err != nil {
				var tooBig *http.MaxBytesError
				switch {
				case errors.As(err, &tooBig) || (errs.Is(err, errs.Invalid) && errs.MessageOf(err) == tooLargeMsg):
					tooLarge()
				case errs.Is(err, errs.Invalid):
					refuse(http.StatusUnprocessableEntity, sentence(fieldMessage(err)))
				default:
					s.fail(w, r, err)
				}
				return
			}
			s.setFlash(w, "success", fmt.Sprintf("Uploaded “%s” with %s. Check what each column becomes, then preview, dry-run or import it.",
				im.FileName, plural(len(im.Header), "column", "columns")))
			http.Redirect(w, r, importURL(im.ID), http.StatusSeeOther)
			return
		}
	}
	refuse(http.StatusUnprocessableEntity, "Choose the file to import: a CSV, Excel (.xlsx) or vCard (.vcf) file.")
}

// importTemplate sends Folio's import template as a CSV file or a
// workbook.
func (s *Server) importTemplate(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		dw := newDownload(w, importer.ContentType(format), "folio-import-template."+importer.Extension(format))
		if err := importer.Template(dw, format); err != nil {
			s.downloadFailed(dw, r, err)
			return
		}
		dw.done()
	}
}

// --- One import: mapping, preview, progress, result ----------------------

// mapColumn is one column of the file on the mapping form.
type mapColumn struct {
	Index   int
	Header  string
	Field   string // chosen field key, "" = ignored
	Samples []string
	Error   string
}

type previewColumn struct{ Key, Label string }

type previewRow struct {
	Line                  int
	Outcome, Badge, Label string
	Reason                string
	Cells                 []string
}

type importPreview struct {
	Columns []previewColumn
	Rows    []previewRow
	Counts  string
}

type importPageData struct {
	Im         importView
	CanStart   bool // the uploader or an admin, with write access
	CanCancel  bool
	Running    bool // queued or running: the progress bar
	Imported   bool // imported for real: the result
	Mapping    bool // the mapping form
	Confirm    bool // the cancel confirmation
	Notice     string
	NoticeKind string // callout-danger, callout-warning
	Summary    string // the progress line
	Columns    []mapColumn
	Fields     []importer.Field
	Keys       []contact.Option
	Key        string
	// Error is why the mapping was refused.
	Error        string
	SamplesError string
	Preview      *importPreview
	PreviewRows  int
	Rejections   []importer.RejectedRow
}

// loadImport reads the import of the request's {id} as the user sees it.
func (s *Server) loadImport(w http.ResponseWriter, r *http.Request) (*importer.Import, contact.Viewer, bool) {
	v := contact.ViewerFor(userFrom(r.Context()))
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return nil, v, false
	}
	im, err := s.Imports.Get(r.Context(), v, id)
	if err != nil {
		s.fail(w, r, err)
		return nil, v, false
	}
	return im, v, true
}

// mappable reports whether an import may be mapped and started (again).
func mappable(im *importer.Import) bool {
	switch im.Status {
	case importer.StatusUploaded, importer.StatusFailed, importer.StatusCancelled:
		return true
	case importer.StatusDone:
		return im.DryRun
	}
	return false
}

// importData gathers what the page of im shows. posted is the mapping a
// refused or previewed form sent, kept instead of the stored one.
func (s *Server) importData(r *http.Request, v contact.Viewer, im *importer.Import, posted *importer.Settings) (*importPageData, error) {
	ctx := r.Context()
	d := &importPageData{Im: importView{im}, Fields: importer.Fields, Keys: contact.MatchKeys, Key: string(im.Key),
		PreviewRows: importPreviewRows, CanStart: !v.ReadOnly && (im.CreatedBy == v.UserID || v.Admin)}
	d.CanCancel = d.CanStart
	switch {
	case im.Status == importer.StatusQueued || im.Status == importer.StatusRunning:
		d.Running = true
		d.Summary = d.Im.Summary(time.Now())
	case im.Status == importer.StatusDone && !im.DryRun:
		d.Imported = true
	default:
		d.Mapping = true
	}
	switch im.Status {
	case importer.StatusFailed:
		d.NoticeKind = "callout-danger"
		d.Notice = sentence(im.Error)
		if !im.DryRun && im.RowsDone > 0 {
			d.Notice += fmt.Sprintf(" The %s stored before it stopped stay.", plural64(im.RowsDone, "row", "rows"))
		}
	case importer.StatusCancelled:
		d.NoticeKind = "callout-warning"
		switch {
		case im.DryRun:
			d.Notice = "The dry run was cancelled; nothing was stored."
		case im.RowsDone > 0:
			d.Notice = fmt.Sprintf("The import was cancelled after %s: %s created, %s updated, %s unchanged and %s rejected. What was stored stays.",
				plural64(im.RowsDone, "row", "rows"), thousands(im.Created), thousands(im.Updated), thousands(im.Unchanged), thousands(im.Rejected))
		default:
			d.Notice = "The import was cancelled before it started; nothing was stored."
		}
	}
	if d.Imported || (im.Finished() && im.Rejected > 0) {
		rej, err := s.Imports.Rejections(ctx, v, im.ID, importRejectionsShown)
		if err != nil {
			return nil, err
		}
		d.Rejections = rej
	}
	if !d.Mapping {
		return d, nil
	}
	mapping := im.Mapping
	if posted != nil {
		mapping, d.Key = posted.Mapping, string(posted.Key)
	}
	samples, err := s.Imports.Samples(ctx, v, im.ID, importSampleRows)
	if err != nil {
		if !errs.Is(err, errs.Invalid) {
			return nil, err
		}
		d.SamplesError = sentence(errs.MessageOf(err)) + " Sample values cannot be shown."
	}
	for i, h := range im.Header {
		c := mapColumn{Index: i, Header: h}
		if i < len(mapping) {
			c.Field = mapping[i]
		}
		for _, row := range samples {
			if i < len(row) && strings.TrimSpace(row[i]) != "" {
				c.Samples = append(c.Samples, clip(masked(v, c.Field, strings.TrimSpace(row[i])), sampleChars))
			}
		}
		d.Columns = append(d.Columns, c)
	}
	return d, nil
}

// masked is a value of the field key as v may see it: the ID numbers only
// with Sensitive Data Access, as the rejected rows' download has them.
func masked(v contact.Viewer, key, value string) string {
	if f := importer.FieldByKey(key); f != nil && f.Sensitive && !v.Sensitive {
		return secret.Mask(value)
	}
	return value
}

// clip shortens s to n characters with an ellipsis.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// mappingErrors puts a refused mapping's message on the page: a field's
// message next to it, and the columns mapped to the same field marked.
func mappingErrors(d *importPageData, f *Form, err error) {
	fields := errs.FieldsOf(err)
	for k, m := range fields {
		f.Errors[k] = sentence(m)
	}
	if len(fields) == 0 {
		d.Error = errs.MessageOf(err)
	}
	uses := map[string]int{}
	for _, c := range d.Columns {
		if c.Field != "" {
			uses[c.Field]++
		}
	}
	for i, c := range d.Columns {
		if uses[c.Field] > 1 {
			label := c.Field
			if fd := importer.FieldByKey(c.Field); fd != nil {
				label = fd.Label
			}
			d.Columns[i].Error = fmt.Sprintf("%s is chosen for another column too: keep it on one column only.", label)
		}
	}
}

// importPage shows an import as its status asks: the mapping form, the
// progress, or the result.
func (s *Server) importPage(w http.ResponseWriter, r *http.Request) {
	im, v, ok := s.loadImport(w, r)
	if !ok {
		return
	}
	d, err := s.importData(r, v, im, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "app/import", &Page{Title: "Import " + im.FileName, Form: &Form{Errors: map[string]string{}}, Data: d})
}

// settingsFrom reads the mapping form: map_0 … map_N, key and dry_run.
func settingsFrom(f *Form, im *importer.Import) importer.Settings {
	m := make([]string, len(im.Header))
	for i := range m {
		m[i] = strings.TrimSpace(f.Get("map_" + strconv.Itoa(i)))
	}
	return importer.Settings{Mapping: m, Key: contact.MatchKey(f.Get("key")), DryRun: f.Get("dry_run") == "1"}
}

// postedImport reads the form and the import of a POST to one import; an
// import that cannot be mapped now goes back to its page with a message.
func (s *Server) postedImport(w http.ResponseWriter, r *http.Request) (*importer.Import, contact.Viewer, *Form, bool) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return nil, contact.Viewer{}, nil, false
	}
	im, v, ok := s.loadImport(w, r)
	if !ok {
		return nil, v, nil, false
	}
	if im.CreatedBy != v.UserID && !v.Admin {
		s.fail(w, r, errs.E(errs.Forbidden, "Only %s, who uploaded the file, or an admin can preview and start this import.", im.CreatedByName))
		return nil, v, nil, false
	}
	if !mappable(im) {
		msg := "This import is running already; its progress is below."
		if im.Status == importer.StatusDone {
			msg = "This file was imported already. Upload it again to import it once more."
		}
		s.setFlash(w, "info", msg)
		http.Redirect(w, r, importURL(im.ID), http.StatusSeeOther)
		return nil, v, nil, false
	}
	return im, v, f, true
}

// importPreview shows the first rows as the posted mapping would store
// them, keeping the mapping on the form; nothing is written.
func (s *Server) importPreview(w http.ResponseWriter, r *http.Request) {
	im, v, f, ok := s.postedImport(w, r)
	if !ok {
		return
	}
	st := settingsFrom(f, im)
	rows, perr := s.Imports.Preview(r.Context(), v, im.ID, st, importPreviewRows)
	if perr != nil && !errs.Is(perr, errs.Invalid) {
		s.fail(w, r, perr)
		return
	}
	d, err := s.importData(r, v, im, &st)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := &Form{Values: f.Values, Errors: map[string]string{}}
	status := http.StatusOK
	if perr != nil {
		mappingErrors(d, form, perr)
		status = http.StatusUnprocessableEntity
	} else {
		d.Preview = previewOf(v, st.Mapping, rows)
	}
	s.render(w, r, status, "app/import", &Page{Title: "Preview " + im.FileName, Form: form, Data: d})
}

var outcomeBadges = map[string][2]string{"create": {"badge-green", "New contact"}, "update": {"badge-blue", "Update"},
	"unchanged": {"badge-gray", "Unchanged"}, "reject": {"badge-red", "Rejected"}}

// previewOf lays preview rows out as a table: one column per mapped field
// in the file's order.
func previewOf(v contact.Viewer, mapping []string, rows []importer.PreviewRow) *importPreview {
	p := &importPreview{}
	for _, key := range mapping {
		if key == "" || slices.ContainsFunc(p.Columns, func(c previewColumn) bool { return c.Key == key }) {
			continue
		}
		label := key
		if f := importer.FieldByKey(key); f != nil {
			label = f.Label
		}
		p.Columns = append(p.Columns, previewColumn{Key: key, Label: label})
	}
	n := map[string]int{}
	for _, r := range rows {
		b := outcomeBadges[r.Outcome]
		if b[0] == "" {
			b = [2]string{"badge-gray", r.Outcome}
		}
		pr := previewRow{Line: r.Line, Outcome: r.Outcome, Badge: b[0], Label: b[1], Reason: r.Reason}
		for _, c := range p.Columns {
			pr.Cells = append(pr.Cells, clip(masked(v, c.Key, r.Values[c.Key]), 60))
		}
		p.Rows = append(p.Rows, pr)
		n[r.Outcome]++
	}
	var parts []string
	for _, o := range []struct{ key, one, many string }{{"create", "new contact", "new contacts"}, {"update", "update", "updates"},
		{"unchanged", "unchanged row", "unchanged rows"}, {"reject", "rejected row", "rejected rows"}} {
		if n[o.key] > 0 {
			parts = append(parts, plural(n[o.key], o.one, o.many))
		}
	}
	if len(parts) > 0 {
		p.Counts = "In these rows: " + strings.Join(parts, ", ") + "."
	}
	return p
}

// importStart queues the import (or a dry run) with the posted mapping.
func (s *Server) importStart(w http.ResponseWriter, r *http.Request) {
	im, v, f, ok := s.postedImport(w, r)
	if !ok {
		return
	}
	st := settingsFrom(f, im)
	_, err := s.Imports.Start(r.Context(), v, im.ID, st)
	if err != nil {
		switch errs.CodeOf(err) {
		case errs.Invalid:
			d, derr := s.importData(r, v, im, &st)
			if derr != nil {
				s.fail(w, r, derr)
				return
			}
			form := &Form{Values: f.Values, Errors: map[string]string{}}
			mappingErrors(d, form, err)
			what := "import"
			if st.DryRun {
				what = "dry run"
			}
			d.Error = strings.TrimSpace(fmt.Sprintf("The %s was not started. %s", what, d.Error))
			s.render(w, r, http.StatusUnprocessableEntity, "app/import", &Page{Title: "Import " + im.FileName, Form: form, Data: d})
		case errs.Conflict:
			s.setFlash(w, "error", errs.MessageOf(err))
			http.Redirect(w, r, importURL(im.ID), http.StatusSeeOther)
		default:
			s.fail(w, r, err)
		}
		return
	}
	msg := "The import has started. You can leave this page: it goes on in the background."
	if st.DryRun {
		msg = "The dry run has started: Folio reads the whole file and stores nothing."
	}
	s.setFlash(w, "success", msg)
	http.Redirect(w, r, importURL(im.ID), http.StatusSeeOther)
}

// importCancel stops a queued or running import; without confirm=yes it
// asks first on a page (the script asks in a dialog instead).
func (s *Server) importCancel(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	im, v, ok := s.loadImport(w, r)
	if !ok {
		return
	}
	if f.Get("confirm") != "yes" {
		d, err := s.importData(r, v, im, nil)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Confirm = true
		s.render(w, r, http.StatusOK, "app/import", &Page{Title: "Cancel the import of " + im.FileName, Form: &Form{}, Data: d})
		return
	}
	if err := s.Imports.Cancel(r.Context(), v, im.ID); err != nil {
		if errs.Is(err, errs.Conflict) {
			s.setFlash(w, "info", errs.MessageOf(err))
			http.Redirect(w, r, importURL(im.ID), http.StatusSeeOther)
			return
		}
		s.fail(w, r, err)
		return
	}
	msg := "The import was cancelled before it started; nothing was stored."
	if im.Status == importer.StatusRunning {
		msg = "The import stops after the batch it is storing now. The rows stored so far stay."
		if im.DryRun {
			msg = "The dry run stops after the batch it is reading now."
		}
	}
	s.setFlash(w, "success", msg)
	http.Redirect(w, r, importURL(im.ID), http.StatusSeeOther)
}

// importProgressJSON is what the progress bar polls.
type importProgressJSON struct {
	Status        string  `json:"status"`
	Percent       int     `json:"percent"`
	RowsDone      int64   `json:"rows_done"`
	RowsPerSecond float64 `json:"rows_per_second"`
	SecondsLeft   int64   `json:"seconds_left"`
	Created       int64   `json:"created"`
	Updated       int64   `json:"updated"`
	Unchanged     int64   `json:"unchanged"`
	Rejected      int64   `json:"rejected"`
	Finished      bool    `json:"finished"`
	// Summary is the progress line in words, as the page writes it.
	Summary string `json:"summary"`
}

// importProgress answers the progress of an import as JSON.
func (s *Server) importProgress(w http.ResponseWriter, r *http.Request) {
	im, _, ok := s.loadImport(w, r)
	if !ok {
		return
	}
	now := time.Now()
	p := importProgressJSON{Status: im.Status, Percent: im.Percent(), RowsDone: im.RowsDone,
		RowsPerSecond: float64(int64(im.RowsPerSecond(now)*10)) / 10, SecondsLeft: int64(im.TimeLeft(now).Seconds()),
		Created: im.Created, Updated: im.Updated, Unchanged: im.Unchanged, Rejected: im.Rejected, Finished: im.Finished(),
		Summary: importView{im}.Summary(now)}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(p)
}

// importErrors sends the rejected rows of an import as CSV: the file's
// own columns, then the line and the reason.
func (s *Server) importErrors(w http.ResponseWriter, r *http.Request) {
	im, v, ok := s.loadImport(w, r)
	if !ok {
		return
	}
	base := strings.TrimSuffix(im.FileName, filepath.Ext(im.FileName))
	if base == "" {
		base = "import"
	}
	dw := newDownload(w, "text/csv; charset=utf-8", base+"-rejected.csv")
	if err := s.Imports.WriteErrors(r.Context(), v, im.ID, dw); err != nil {
		s.downloadFailed(dw, r, err)
		return
	}
	dw.done()
}

// download is a file response: its headers are set when the first byte is
// written, so an error before that can still be a page.
type download struct {
	w           http.ResponseWriter
	contentType string
	name        string
	wrote       bool
}

func newDownload(w http.ResponseWriter, contentType, name string) *download {
	return &download{w: w, contentType: contentType, name: name}
}

func (d *download) Write(p []byte) (int, error) {
	d.start()
	return d.w.Write(p)
}

// done ends a download that wrote nothing (an empty file) with its headers.
func (d *download) done() { d.start() }

func (d *download) start() {
	if !d.wrote {
		d.wrote = true
		h := d.w.Header()
		h.Set("Content-Type", d.contentType)
		h.Set("Content-Disposition", attachment(d.name))
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		d.w.WriteHeader(http.StatusOK)
	}
}

// downloadFailed answers an error of a download: the error page when
// nothing was sent yet; otherwise the connection is cut, so the browser
// reports a failed download rather than keeping half a file.
func (s *Server) downloadFailed(d *download, r *http.Request, err error) {
	if !d.wrote {
		s.fail(d.w, r, err)
		return
	}
	s.Log.ErrorContext(r.Context(), "download failed after it started", "file", d.name, "err", err)
	panic(http.ErrAbortHandler)
}
