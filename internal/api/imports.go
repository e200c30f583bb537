package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/importer"
	"github.com/foliocrm/folio/internal/tabular"
)

func init() {
	optionLists["match_key"] = optionList{keys: keysOf(contact.MatchKeys)}
}

// Import is an import job as the API shows it.
type Import struct {
	ID       int64  `json:"id"`
	FileName string `json:"file_name" doc:"The uploaded file's name, without any path"`
	FileSize int64  `json:"file_size" doc:"In bytes"`
	Format   string `json:"format" enum:"csv,xlsx,vcard" doc:"As read from the file's bytes"`
	Status   string `json:"status" enum:"uploaded,queued,running,done,failed,cancelled" doc:"uploaded: stored, waiting to be started; queued: waiting for the background worker; running: being imported; done, failed (see error) or cancelled: finished"`
	DryRun   bool   `json:"dry_run" doc:"A dry run stores no contact: it only counts what the import would do and collects the rows it would reject"`
	Key      string `json:"key" options:"match_key" doc:"How a row finds the contact it updates: by email address, external ID or tax ID; none creates contacts only"`
	// CancelRequested is set while a running import finishes its batch.
	CancelRequested bool           `json:"cancel_requested" doc:"A cancel was asked for; a running import stops after the batch it is storing"`
	Columns         []ImportColumn `json:"columns" doc:"The file's columns in order, each with the field it is imported into"`
	Counts          ImportCounts   `json:"counts"`
	Progress        ImportProgress `json:"progress"`
	Error           string         `json:"error" doc:"Why a failed import stopped; the rows stored before stay"`
	Rejections      []Rejection    `json:"rejections" doc:"GET /api/v1/imports/{id} only (empty in lists): the first rejected rows; all of them are in errors.csv"`
	CreatedByID     int64          `json:"created_by_id" doc:"The user who uploaded the file; the import acts with their access"`
	CreatedBy       string         `json:"created_by" doc:"Their name"`
	CreatedAt       time.Time      `json:"created_at"`
	StartedAt       *time.Time     `json:"started_at"`
	FinishedAt      *time.Time     `json:"finished_at"`
	Links           ImportLinks    `json:"links"`
}

// TransformSchema lists the match keys as an enum.
func (Import) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return withOptions[Import](s)
}

// ImportColumn is one column of an imported file.
type ImportColumn struct {
	Header string `json:"header" doc:"The column's name in the file's header row"`
	Field  string `json:"field" doc:"The field key it is imported into (see GET /api/v1/imports/fields); empty: ignored"`
}

// ImportCounts are what an import did with the rows so far.
type ImportCounts struct {
	RowsDone  int64 `json:"rows_done" doc:"Rows read so far"`
	Created   int64 `json:"created" doc:"New contacts (for a dry run: that would be created)"`
	Updated   int64 `json:"updated" doc:"Existing contacts changed"`
	Unchanged int64 `json:"unchanged" doc:"Rows matching a contact that already holds what they say"`
	Rejected  int64 `json:"rejected" doc:"Rows not imported; their reasons are in errors.csv"`
}

// ImportProgress is how far a running import got.
type ImportProgress struct {
	Percent       int     `json:"percent" minimum:"0" maximum:"100"`
	RowsPerSecond float64 `json:"rows_per_second" doc:"Speed so far"`
	SecondsLeft   int64   `json:"seconds_left" doc:"Estimate; 0 when finished or not known yet"`
}

// Rejection is one rejected row.
type Rejection struct {
	Line   int    `json:"line" doc:"Where the row is in the file: the line where a CSV row starts, the row number of a workbook, the BEGIN:VCARD line of a vCard"`
	Reason string `json:"reason"`
}

// ImportLinks are the import's own URLs.
type ImportLinks struct {
	Self   string `json:"self"`
	Errors string `json:"errors" doc:"The rejected rows as CSV, each with its line and reason"`
}

// importPath is the URL of an import.
func importPath(id int64) string { return Prefix + "/imports/" + itoa(id) }

func importOut(im *importer.Import) Import {
	now := time.Now()
	out := Import{ID: im.ID, FileName: im.FileName, FileSize: im.FileSize, Format: im.Format, Status: im.Status,
		DryRun: im.DryRun, Key: string(im.Key), CancelRequested: im.CancelRequested, Columns: []ImportColumn{},
		Counts: ImportCounts{RowsDone: im.RowsDone, Created: im.Created, Updated: im.Updated, Unchanged: im.Unchanged, Rejected: im.Rejected},
		Progress: ImportProgress{Percent: im.Percent(), RowsPerSecond: math.Round(im.RowsPerSecond(now)*10) / 10,
			SecondsLeft: int64(im.TimeLeft(now) / time.Second)},
		Error: im.Error, Rejections: []Rejection{}, CreatedByID: im.CreatedBy, CreatedBy: im.CreatedByName,
		CreatedAt: im.CreatedAt, StartedAt: im.StartedAt, FinishedAt: im.FinishedAt,
		Links: ImportLinks{Self: importPath(im.ID), Errors: importPath(im.ID) + "/errors.csv"}}
	for _, c := range im.Mapped() {
		out.Columns = append(out.Columns, ImportColumn{Header: c.Header, Field: c.Field})
	}
	return out
}

// importMax is the largest file an import takes, in bytes.
func (x *API) importMax() int64 {
	switch {
	case x.Imports != nil:
		return x.Imports.MaxUpload
	case x.Cfg.ImportMaxBytes > 0:
		return x.Cfg.ImportMaxBytes
	}
	return importer.DefaultMaxUpload
}

// importBodyLimit is the largest import upload body: the largest file plus
// room for the other parts and the parts' headers.
func (x *API) importBodyLimit() int64 { return x.importMax() + 1<<20 }

// importPartLimit is the most a part other than the file may hold.
const importPartLimit = 256 << 10

// importParts are the parts of an import upload.
var importParts = []string{"file", "mapping", "key", "dry_run", "encoding", "sheet", "delimiter", "start"}

// documentImportUpload describes the upload at path in the OpenAPI
// document: its multipart form (added after registration, or huma would
// read the body itself; the handler reads it part by part, so the file
// streams into the import without being held in memory) and its 201.
func (x *API) documentImportUpload(path string) {
	op := x.h.OpenAPI().Paths[path].Post
	op.RequestBody = x.importUploadBody()
	if queued := op.Responses["202"]; queued != nil {
		stored := *queued
		stored.Description = "Stored, not started (start=false)"
		op.Responses["201"] = &stored
	}
}

// importUploadBody is the multipart form of an import upload.
func (x *API) importUploadBody() *huma.RequestBody {
	str := func(desc string) *huma.Schema { return &huma.Schema{Type: huma.TypeString, Description: desc} }
	key := str("How a row finds the contact it updates. Left out: the key last used for files with the same headers, else email.")
	key.Enum = optionLists["match_key"].enum()
	return &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{"multipart/form-data": {
		Schema: &huma.Schema{Type: huma.TypeObject, AdditionalProperties: false, Required: []string{"file"},
			Properties: map[string]*huma.Schema{
				"file": {Type: huma.TypeString, Format: "binary", ContentEncoding: "binary",
					Description: fmt.Sprintf("A CSV (any delimiter; UTF-8, UTF-16 or Windows-1252), XLSX or vCard file of at most %s, "+
						"its first row naming the columns. The format is read from the bytes. Send it last: the other parts are checked before the file is read (encoding, sheet and delimiter must come before it).", byteSize(x.importMax()))},
				"mapping": str(`A JSON object from the file's column headers to field keys (GET /api/v1/imports/fields), "" to ignore a column, ` +
					`e.g. {"E-mail address": "email", "Notes": ""}. Columns left out keep the proposed mapping (the last used for ` +
					`files with the same headers, else by the headers' names); a field you map is taken from the column it was proposed for.`),
				"key":     key,
				"dry_run": {Type: huma.TypeBoolean, Default: false, Description: "Count what the import would do and collect the rows it would reject, storing no contact"},
				"start": {Type: huma.TypeBoolean, Default: true, Description: "true queues the import at once (202). false only stores the file (201), " +
					"so you can GET the proposed mapping and start it with POST /api/v1/imports/{id}/start; mapping, key and dry_run go there then."},
				"encoding":  {Type: huma.TypeString, Enum: []any{"utf-8", "utf-16", "windows-1252"}, Description: "CSV and vCard: the character encoding; left out, it is detected. Send it before file."},
				"sheet":     str("XLSX: the worksheet to read; left out, the first visible one. Send it before file."),
				"delimiter": str(`CSV: the character between values (, ; | or "tab"); left out, it is detected. Send it before file.`),
			}},
		Encoding: map[string]*huma.Encoding{"mapping": {ContentType: "application/json"}},
	}}}
}

// byteSize is a size for a description: "512 MB".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

type importFormKey struct{}

// streamImportForm is the upload operation's middleware: it checks the
// body's size and type and hands the handler a multipart reader, so the
// file is read as it arrives, with the import's own size limit.
func (x *API) streamImportForm(ctx huma.Context, next func(huma.Context)) {
	r, w := humago.Unwrap(ctx)
	fail := func(status int, detail string) { _ = huma.WriteErr(x.h, ctx, status, detail) }
	limit := x.importBodyLimit()
	if r.ContentLength > limit {
		fail(http.StatusRequestEntityTooLarge, errs.MessageOf(x.Imports.TooLarge()))
		return
	}
	// A large file takes longer than the server's read timeout: the body
	// has a minute for each read instead.
	r.Body = &deadlineReader{r: http.MaxBytesReader(w, r.Body, limit), rc: http.NewResponseController(w)}
	mr, err := r.MultipartReader()
	switch {
	case errors.Is(err, http.ErrNotMultipart):
		fail(http.StatusUnsupportedMediaType, "Send the file as multipart/form-data with the part file (and optionally mapping, key, dry_run, encoding, sheet, delimiter and start).")
		return
	case err != nil:
		fail(http.StatusBadRequest, "The body is not a readable multipart/form-data message: "+err.Error()+".")
		return
	}
	next(huma.WithValue(ctx, importFormKey{}, mr))
}

// deadlineReader moves the connection's read deadline on with every read
// (and the write deadline, for the answer after a long upload).
type deadlineReader struct {
	r  io.ReadCloser
	rc *http.ResponseController
}

func (d *deadlineReader) Read(p []byte) (int, error) {
	_ = d.rc.SetReadDeadline(time.Now().Add(time.Minute))
	_ = d.rc.SetWriteDeadline(time.Now().Add(10 * time.Minute))
	return d.r.Read(p)
}

func (d *deadlineReader) Close() error { return d.r.Close() }

// countingReader counts the bytes of the file part.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// importForm is what an upload's parts other than the file say.
type importForm struct {
	values  map[string]string
	mapping map[string]string
	key     contact.MatchKey
	dryRun  bool
	start   bool
	opts    tabular.Options
}

// check reads and checks the parts received so far into f; final is set
// once every part is in.
func (f *importForm) check(fe errs.Collector, final bool) {
	f.start, f.dryRun, f.key = true, false, ""
	boolean := func(name string, dst *bool) {
		if s, ok := f.values[name]; ok {
			b, err := strconv.ParseBool(strings.TrimSpace(s))
			if err != nil {
				fe.Add(name, "true or false")
				return
			}
			*dst = b
		}
	}
	boolean("start", &f.start)
	boolean("dry_run", &f.dryRun)
	if s, ok := f.values["key"]; ok {
		if f.key = contact.MatchKey(strings.TrimSpace(s)); !f.key.Valid() {
			fe.Add("key", "choose email, external_id, tax_id or none")
		}
	}
	if s, ok := f.values["mapping"]; ok {
		f.mapping = nil
		if err := json.Unmarshal([]byte(s), &f.mapping); err != nil || f.mapping == nil {
			fe.Add("mapping", `a JSON object from column headers to field keys, e.g. {"E-mail": "email", "Notes": ""}`)
		} else if msg := unknownFields(f.mapping); msg != "" {
			fe.Add("mapping", msg)
		}
	}
	if !f.start && final {
		for _, name := range []string{"mapping", "key", "dry_run"} {
			if _, ok := f.values[name]; ok {
				fe.Add(name, "with start=false nothing is started: send "+name+" to POST "+Prefix+"/imports/{id}/start instead")
			}
		}
	}
	f.opts = tabular.Options{Encoding: strings.TrimSpace(f.values["encoding"]), Sheet: f.values["sheet"]}
	if d, ok := f.values["delimiter"]; ok {
		switch {
		case strings.EqualFold(d, "tab"):
			f.opts.Delimiter = '\t'
		case utf8.RuneCountInString(d) == 1:
			f.opts.Delimiter, _ = utf8.DecodeRuneInString(d)
		default:
			fe.Add("delimiter", `one character, such as , or ; (or "tab")`)
		}
	}
}

// unknownFields names the field keys of m that are not Folio fields; ""
// when there are none.
func unknownFields(m map[string]string) string {
	var bad []string
	for h, key := range m {
		if key != "" && importer.FieldByKey(key) == nil {
			bad = append(bad, fmt.Sprintf("%q (for column %q)", key, h))
		}
	}
	if len(bad) == 0 {
		return ""
	}
	slices.Sort(bad)
	verb := " is not a Folio field"
	if len(bad) > 1 {
		verb = " are not Folio fields"
	}
	return strings.Join(bad, ", ") + verb + "; see GET " + Prefix + "/imports/fields for the field keys"
}

// remap is the mapping of the columns of header after the changes m
// (header → field key or "") to base: columns m leaves out keep their base
// field unless m gives that field to another column.
func remap(header, base []string, m map[string]string) ([]string, error) {
	out := make([]string, len(header))
	copy(out, base)
	taken := map[string]bool{}
	for _, key := range m {
		taken[key] = key != ""
	}
	var missing []string
	for h := range m {
		if !slices.Contains(header, h) {
			missing = append(missing, strconv.Quote(h))
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		cols := make([]string, 0, len(header))
		for _, h := range header[:min(len(header), 30)] {
			cols = append(cols, strconv.Quote(h))
		}
		if len(header) > 30 {
			cols = append(cols, "…")
		}
		return nil, errs.FieldErrors(map[string]string{"mapping": fmt.Sprintf("the file has no column %s; its columns are %s",
			strings.Join(missing, ", "), strings.Join(cols, ", "))})
	}
	for i, h := range header {
		if key, ok := m[h]; ok {
			out[i] = key
		} else if taken[out[i]] {
			out[i] = ""
		}
	}
	return out, nil
}

type uploadImportOutput struct {
	Status   int
	Location string `header:"Location" doc:"The import's URL: poll it until status is done, failed or cancelled"`
	Body     Import
}

// uploadImport streams the file part into a new import and starts it
// unless asked not to.
func (x *API) uploadImport(ctx context.Context, _ *struct{}) (*uploadImportOutput, error) {
	mr, _ := ctx.Value(importFormKey{}).(*multipart.Reader)
	if mr == nil {
		return nil, huma.Error500InternalServerError("the upload form was not read")
	}
	v := viewer(ctx)
	form := &importForm{values: map[string]string{}}
	fe := errs.Collector{}
	unknown := "unknown part; an import upload has the parts " + strings.Join(importParts, ", ")
	var im *importer.Import
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, x.uploadReadProblem(ctx, err)
		}
		name := p.FormName()
		switch {
		case name == "file" && p.FileName() == "":
			fe.Add(name, "send the file as a file part (with a filename), not as a text value")
		case name == "file" && im != nil:
			fe.Add(name, "send one file per upload")
		case name == "file":
			// Everything that can be checked without the file is checked
			// before it is read.
			if form.check(fe, false); len(fe) > 0 {
				return nil, x.problem(ctx, fe.Err())
			}
			cr := &countingReader{r: p}
			im, err = x.Imports.Upload(ctx, v, p.FileName(), cr, form.opts)
			switch {
			case err != nil && cr.n > x.Imports.MaxUpload:
				return nil, huma.NewError(http.StatusRequestEntityTooLarge, errs.MessageOf(x.Imports.TooLarge()))
			case errs.CodeOf(err) == errs.Internal:
				// The body broke off or went over the limit while the file
				// was read.
				return nil, x.uploadReadProblem(ctx, err)
			case err != nil:
				return nil, x.problem(ctx, err)
			}
		case !slices.Contains(importParts, name):
			fe.Add(name, unknown)
		case hasKey(form.values, name):
			fe.Add(name, "send this part once")
		case im != nil && (name == "encoding" || name == "sheet" || name == "delimiter"):
			fe.Add(name, "send "+name+" before file: it says how to read the file")
		default:
			b, err := io.ReadAll(io.LimitReader(p, importPartLimit+1))
			if err != nil {
				return nil, x.uploadReadProblem(ctx, err)
			}
			if len(b) > importPartLimit {
				fe.Add(name, fmt.Sprintf("at most %d KB", importPartLimit>>10))
			}
			form.values[name] = string(b)
		}
		_ = p.Close()
	}
	if im == nil {
		fe.Add("file", "attach the file to import as the part file")
	}
	form.check(fe, true)
	if err := fe.Err(); err != nil {
		return nil, x.notStarted(ctx, im, err)
	}
	out := &uploadImportOutput{Status: http.StatusCreated, Location: importPath(im.ID)}
	if form.start {
		st := importer.Settings{Mapping: im.Mapping, Key: im.Key, DryRun: form.dryRun}
		if form.key != "" {
			st.Key = form.key
		}
		var err error
		if st.Mapping, err = remap(im.Header, im.Mapping, form.mapping); err != nil {
			return nil, x.notStarted(ctx, im, err)
		}
		started, err := x.Imports.Start(ctx, v, im.ID, st)
		if err != nil {
			return nil, x.notStarted(ctx, im, err)
		}
		im, out.Status = started, http.StatusAccepted
	}
	out.Body = importOut(im)
	return out, nil
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// uploadReadProblem is the problem of a body that could not be read: 413
// over the limit, 400 when it broke off or is not multipart; other errors
// are the server's.
func (x *API) uploadReadProblem(ctx context.Context, err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig), errors.Is(err, multipart.ErrMessageTooLarge):
		return huma.NewError(http.StatusRequestEntityTooLarge, errs.MessageOf(x.Imports.TooLarge()))
	case errors.Is(err, io.ErrUnexpectedEOF), strings.HasPrefix(err.Error(), "multipart: "):
		return huma.Error400BadRequest("The body ended before the file did, or is not a readable multipart/form-data message: " + err.Error() + ".")
	}
	return x.problem(ctx, err)
}

// notStarted is the problem of an upload whose file was stored but which
// could not be started: the detail says where the import is.
func (x *API) notStarted(ctx context.Context, im *importer.Import, err error) error {
	p := x.problem(ctx, err)
	var m *huma.ErrorModel
	if im != nil && errors.As(p, &m) && m.Status < 500 {
		m.Detail += fmt.Sprintf(" The file is stored as import %d, not started: correct this and start it with POST %s/start (or upload it again).",
			im.ID, importPath(im.ID))
	}
	return p
}

type importListInput struct {
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Imports per page"`
}

type importListOutput struct {
	Body struct {
		Items      []Import `json:"items"`
		NextCursor string   `json:"next_cursor" doc:"Pass as cursor for the next page; empty on the last page"`
	}
}

func (x *API) listImports(ctx context.Context, in *importListInput) (*importListOutput, error) {
	before := int64(0)
	if in.Cursor != "" {
		var err error
		if before, err = strconv.ParseInt(in.Cursor, 10, 64); err != nil || before <= 0 {
			return nil, badCursor()
		}
	}
	ims, err := x.Imports.List(ctx, viewer(ctx), before, in.Limit+1)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &importListOutput{}
	if len(ims) > in.Limit {
		ims = ims[:in.Limit]
		out.Body.NextCursor = itoa(ims[len(ims)-1].ID)
	}
	out.Body.Items = listOf(ims, importOut)
	return out, nil
}

type importIDInput struct {
	ID int64 `path:"id" doc:"Import id"`
}

type importOutput struct {
	Body Import
}

// firstRejections is how many rejected rows GET of an import shows.
const firstRejections = 20

func (x *API) getImport(ctx context.Context, in *importIDInput) (*importOutput, error) {
	v := viewer(ctx)
	im, err := x.Imports.Get(ctx, v, in.ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &importOutput{Body: importOut(im)}
	if im.Rejected > 0 {
		rows, err := x.Imports.Rejections(ctx, v, in.ID, firstRejections)
		if err != nil {
			return nil, x.problem(ctx, err)
		}
		out.Body.Rejections = listOf(rows, func(r importer.RejectedRow) Rejection { return Rejection{Line: r.Line, Reason: r.Reason} })
	}
	return out, nil
}

// StartImportRequest is the body of POST /imports/{id}/start; all of it
// is optional.
type StartImportRequest struct {
	Mapping map[string]string `json:"mapping,omitempty" doc:"Changes to the mapping, from column headers to field keys (GET /api/v1/imports/fields), \"\" to ignore a column. Columns left out keep the import's mapping (as GET shows it), except that a field you map is taken from the column that had it."`
	Key     string            `json:"key,omitempty" options:"match_key" doc:"How a row finds the contact it updates; left out: the import's key (as GET shows it)"`
	DryRun  bool              `json:"dry_run,omitempty" doc:"Count and collect rejections only, storing no contact. Left out (false): the real import, e.g. after a dry run."`
}

// TransformSchema lists the match keys as an enum.
func (StartImportRequest) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return withOptions[StartImportRequest](s)
}

type startImportInput struct {
	ID   int64               `path:"id" doc:"Import id"`
	Body *StartImportRequest `required:"false"`
}

func (x *API) startImport(ctx context.Context, in *startImportInput) (*importOutput, error) {
	v := viewer(ctx)
	im, err := x.Imports.Get(ctx, v, in.ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	st := importer.Settings{Mapping: im.Mapping, Key: im.Key}
	if b := in.Body; b != nil {
		if msg := unknownFields(b.Mapping); msg != "" {
			return nil, x.problem(ctx, errs.FieldErrors(map[string]string{"mapping": msg}))
		}
		if st.Mapping, err = remap(im.Header, im.Mapping, b.Mapping); err != nil {
			return nil, x.problem(ctx, err)
		}
		if b.Key != "" {
			st.Key = contact.MatchKey(b.Key)
		}
		st.DryRun = b.DryRun
	}
	if im, err = x.Imports.Start(ctx, v, in.ID, st); err != nil {
		return nil, x.problem(ctx, err)
	}
	return &importOutput{Body: importOut(im)}, nil
}

func (x *API) cancelImport(ctx context.Context, in *importIDInput) (*importOutput, error) {
	v := viewer(ctx)
	if err := x.Imports.Cancel(ctx, v, in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	im, err := x.Imports.Get(ctx, v, in.ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return &importOutput{Body: importOut(im)}, nil
}

type importErrorsOutput struct {
	ContentType        string `header:"Content-Type" doc:"text/csv; charset=utf-8"`
	ContentDisposition string `header:"Content-Disposition" doc:"attachment; filename=\"import-ID-errors.csv\""`
	NoSniff            string `header:"X-Content-Type-Options" doc:"nosniff"`
	CacheControl       string `header:"Cache-Control" doc:"no-store"`
	Body               func(huma.Context)
}

// importErrors streams an import's rejected rows; the import is looked up
// first, so that a wrong id is a 404 rather than a broken download.
func (x *API) importErrors(ctx context.Context, in *importIDInput) (*importErrorsOutput, error) {
	v := viewer(ctx)
	if _, err := x.Imports.Get(ctx, v, in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return &importErrorsOutput{ContentType: importer.ContentType(importer.FormatCSV),
		ContentDisposition: attachment(fmt.Sprintf("import-%d-errors.csv", in.ID)), NoSniff: "nosniff", CacheControl: "no-store",
		Body: func(hctx huma.Context) {
			x.stream(ctx, hctx, "import errors", func(w io.Writer) error { return x.Imports.WriteErrors(ctx, v, in.ID, w) })
		}}, nil
}

// ImportField is one field a column can be imported into.
type ImportField struct {
	Key         string `json:"key" doc:"What a mapping names"`
	Label       string `json:"label"`
	Description string `json:"description" doc:"What to write in the column"`
	Example     string `json:"example"`
	Sensitive   bool   `json:"sensitive" doc:"Stored encrypted; exported only with sensitive=true by users with Sensitive Data Access"`
}

type importFieldsOutput struct {
	Body struct {
		Items      []ImportField `json:"items"`
		NextCursor string        `json:"next_cursor" doc:"Always empty: every field comes on one page, in the template's order"`
	}
}

func (x *API) importFields(_ context.Context, _ *struct{}) (*importFieldsOutput, error) {
	out := &importFieldsOutput{}
	out.Body.Items = listOf(importer.Fields, func(f importer.Field) ImportField {
		return ImportField{Key: f.Key, Label: f.Label, Description: f.Description, Example: f.Example, Sensitive: f.Sensitive}
	})
	return out, nil
}

// importErrorsResponse documents the streamed CSV of rejected rows.
func importErrorsResponse() map[string]*huma.Response {
	return map[string]*huma.Response{"200": {Description: "The file's header plus Line and Error, then each rejected row as it was " +
		"in the file (values of sensitive columns masked unless you have Sensitive Data Access), by line",
		Content: map[string]*huma.MediaType{importer.ContentType(importer.FormatCSV): {}}}}
}
