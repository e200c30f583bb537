package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

// Document is a compliance document as the API shows it; its bytes come
// from GET .../documents/{doc}/content.
type Document struct {
	ID          int64      `json:"id"`
	ContactID   int64      `json:"contact_id"`
	Kind        string     `json:"kind" options:"document_kind"`
	Filename    string     `json:"filename" doc:"The uploaded file's name, without any path"`
	ContentType string     `json:"content_type" doc:"application/pdf, image/jpeg or image/png, read from the file's bytes (never from its name)"`
	Size        int64      `json:"size" doc:"In bytes"`
	SHA256      string     `json:"sha256" doc:"Hex SHA-256 of the bytes"`
	Status      string     `json:"status" enum:"pending,approved,rejected"`
	Reason      string     `json:"reason" doc:"Why it was rejected"`
	ReviewerID  int64      `json:"reviewer_id" doc:"0 until reviewed"`
	Reviewer    string     `json:"reviewer"`
	ReviewedAt  *time.Time `json:"reviewed_at"`
	ExpiresOn   string     `json:"expires_on" doc:"YYYY-MM-DD, empty when it does not expire"`
	Expired     bool       `json:"expired" doc:"The expiry date has passed"`
	UploadedBy  string     `json:"uploaded_by" doc:"Who uploaded it, as the activity log names them"`
	CreatedAt   time.Time  `json:"created_at"`
}

// TransformSchema lists the kinds as an enum.
func (Document) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return withOptions[Document](s)
}

func documentOut(d contact.Document) Document {
	return Document{ID: d.ID, ContactID: d.ContactID, Kind: d.Kind, Filename: d.Filename, ContentType: d.ContentType,
		Size: d.Size, SHA256: d.SHA256, Status: d.Status, Reason: d.Reason, ReviewerID: d.ReviewerID, Reviewer: d.Reviewer,
		ReviewedAt: d.ReviewedAt, ExpiresOn: d.ExpiresOn, Expired: d.Expired(time.Now()), UploadedBy: d.UploadedBy,
		CreatedAt: d.CreatedAt}
}

// document finds one document of a contact.
func (x *API) document(ctx context.Context, contactID, docID int64, sub string) (Document, error) {
	docs, err := x.Contacts.Documents(ctx, viewer(ctx), contactID)
	if err != nil {
		return Document{}, x.readProblem(ctx, err, sub)
	}
	for _, d := range docs {
		if d.ID == docID {
			return documentOut(d), nil
		}
	}
	return Document{}, huma.Error404NotFound("No such document on this contact.")
}

type documentListOutput struct {
	Body struct {
		Items      []Document `json:"items"`
		NextCursor string     `json:"next_cursor" doc:"Always empty: a contact's documents come on one page, newest first"`
	}
}

func (x *API) listDocuments(ctx context.Context, in *contactIDInput) (*documentListOutput, error) {
	docs, err := x.Contacts.Documents(ctx, viewer(ctx), in.ID)
	if err != nil {
		return nil, x.readProblem(ctx, err, "/documents")
	}
	out := &documentListOutput{}
	out.Body.Items = listOf(docs, documentOut)
	return out, nil
}

type documentIDInput struct {
	ID    int64 `path:"id" doc:"Contact id"`
	DocID int64 `path:"doc" doc:"Document id"`
}

type documentOutput struct {
	Body Document
}

func (x *API) getDocument(ctx context.Context, in *documentIDInput) (*documentOutput, error) {
	d, err := x.document(ctx, in.ID, in.DocID, fmt.Sprintf("/documents/%d", in.DocID))
	if err != nil {
		return nil, err
	}
	return &documentOutput{Body: d}, nil
}

// documentBodyLimit is the largest upload body: the largest document plus
// room for the other fields and the parts' headers.
const documentBodyLimit = norm.MaxDocumentSize + 64<<10

// uploadFields are the parts of an upload form.
var uploadFields = []string{"kind", "expires_on", "file"}

// documentUploadBody describes the multipart form for the OpenAPI document;
// the handler reads the form itself, to refuse unknown parts and to answer
// an oversized file with 413.
func documentUploadBody() *huma.RequestBody {
	return &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{"multipart/form-data": {
		Schema: &huma.Schema{Type: huma.TypeObject, AdditionalProperties: false, Required: []string{"kind", "file"},
			Properties: map[string]*huma.Schema{
				"kind": {Type: huma.TypeString, Enum: optionLists["document_kind"].enum(), Description: "What the document is"},
				"expires_on": {Type: huma.TypeString, Description: "YYYY-MM-DD; leave out when the document does not expire",
					Pattern: "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"},
				"file": {Type: huma.TypeString, Format: "binary", ContentEncoding: "binary",
					Description: fmt.Sprintf("A PDF, JPEG or PNG of at most %d MB. The type is read from the bytes; the name is kept but not trusted.", norm.MaxDocumentSize>>20)},
			}},
		Encoding: map[string]*huma.Encoding{"file": {ContentType: "application/pdf, image/jpeg, image/png"}},
	}}}
}

// tooLarge is the detail of the 413 of an upload.
var tooLarge = fmt.Sprintf("The document is too large: at most %d MB (%d bytes).", norm.MaxDocumentSize>>20, norm.MaxDocumentSize)

// readUploadForm is the upload operation's middleware: it reads the
// multipart form with the upload's own size limit before huma does, and
// answers 413, 415 or 400 when it cannot.
func (x *API) readUploadForm(ctx huma.Context, next func(huma.Context)) {
	r, w := humago.Unwrap(ctx)
	fail := func(status int, detail string) { _ = huma.WriteErr(x.h, ctx, status, detail) }
	if r.ContentLength > documentBodyLimit {
		fail(http.StatusRequestEntityTooLarge, tooLarge)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, documentBodyLimit)
	err := r.ParseMultipartForm(1 << 20)
	if r.MultipartForm != nil {
		// The server cleans up only the forms of the request it created.
		defer func() { _ = r.MultipartForm.RemoveAll() }()
	}
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		next(ctx)
	case errors.As(err, &tooBig), errors.Is(err, multipart.ErrMessageTooLarge):
		fail(http.StatusRequestEntityTooLarge, tooLarge)
	case errors.Is(err, http.ErrNotMultipart):
		fail(http.StatusUnsupportedMediaType, "Send the document as multipart/form-data with the parts kind, expires_on and file.")
	default:
		fail(http.StatusBadRequest, "The body is not a readable multipart/form-data message: "+err.Error()+".")
	}
}

type uploadInput struct {
	ID      int64 `path:"id" doc:"Contact id"`
	RawBody multipart.Form
}

type createdDocumentOutput struct {
	Location string `header:"Location" doc:"The new document's URL"`
	Body     Document
}

func (x *API) uploadDocument(ctx context.Context, in *uploadInput) (*createdDocumentOutput, error) {
	form := in.RawBody
	fe := errs.Collector{}
	value := func(name string) string {
		vs := form.Value[name]
		if len(vs) > 1 {
			fe.Add(name, "send this part once")
		}
		if len(vs) == 0 {
			return ""
		}
		return vs[0]
	}
	unknown := "unknown part; an upload has the parts " + strings.Join(uploadFields, ", ")
	for name := range form.Value {
		switch {
		case name == "file":
			fe.Add(name, "send the document as a file part (with a filename), not as a text value")
		case !slices.Contains(uploadFields, name):
			fe.Add(name, unknown)
		}
	}
	for name := range form.File {
		if name != "file" {
			fe.Add(name, unknown)
		}
	}
	kind, expires := value("kind"), value("expires_on")
	files := form.File["file"]
	switch {
	case len(files) == 0:
		fe.Add("file", "attach the document as the part file")
	case len(files) > 1:
		fe.Add("file", "send one file per upload")
	}
	if err := fe.Err(); err != nil {
		return nil, x.problem(ctx, err)
	}
	fh := files[0]
	if fh.Size > norm.MaxDocumentSize {
		return nil, huma.NewError(http.StatusRequestEntityTooLarge, tooLarge)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	content, err := io.ReadAll(io.LimitReader(f, norm.MaxDocumentSize+1))
	_ = f.Close()
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	id, err := x.Contacts.Upload(ctx, viewer(ctx), in.ID, kind, fh.Filename, content, expires)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	d, err := x.document(ctx, in.ID, id, "")
	if err != nil {
		return nil, err
	}
	return &createdDocumentOutput{Location: fmt.Sprintf("%s/contacts/%d/documents/%d", Prefix, in.ID, id), Body: d}, nil
}

type documentContentOutput struct {
	ContentType        string `header:"Content-Type" doc:"The type read from the bytes at upload"`
	ContentDisposition string `header:"Content-Disposition" doc:"attachment, with the file's name (filename* for names that are not plain ASCII)"`
	NoSniff            string `header:"X-Content-Type-Options" doc:"nosniff"`
	CacheControl       string `header:"Cache-Control" doc:"no-store"`
	Body               []byte
}

// documentContentResponse documents the bytes of the download (a media
// type without a schema: any bytes, OpenAPI 3.1).
func documentContentResponse() map[string]*huma.Response {
	content := map[string]*huma.MediaType{}
	for _, t := range contact.DocumentContentTypes {
		content[t] = &huma.MediaType{}
	}
	return map[string]*huma.Response{"200": {Description: "The document's bytes", Content: content}}
}

// downloadDocument answers with the bytes; the domain records the view.
func (x *API) downloadDocument(ctx context.Context, in *documentIDInput) (*documentContentOutput, error) {
	d, content, err := x.Contacts.OpenDocument(ctx, viewer(ctx), in.ID, in.DocID)
	if err != nil {
		return nil, x.readProblem(ctx, err, fmt.Sprintf("/documents/%d/content", in.DocID))
	}
	return &documentContentOutput{ContentType: d.ContentType, ContentDisposition: attachment(d.DownloadName()),
		NoSniff: "nosniff", CacheControl: "no-store", Body: content}, nil
}

// attachment is a Content-Disposition that saves the file under name
// (RFC 6266): a plain ASCII filename for every client and, when the name is
// not plain ASCII, filename* with its UTF-8 bytes (RFC 5987).
func attachment(name string) string {
	fallback := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || strings.ContainsRune(`"\%/`, r) {
			return '_'
		}
		return r
	}, name)
	v := `attachment; filename="` + fallback + `"`
	if fallback != name {
		v += "; filename*=UTF-8''" + encodeRFC5987(name)
	}
	return v
}

// encodeRFC5987 percent-encodes every byte of s but the attr-chars of RFC
// 5987.
func encodeRFC5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

type reviewInput struct {
	ID    int64 `path:"id" doc:"Contact id"`
	DocID int64 `path:"doc" doc:"Document id"`
	Body  struct {
		Status string `json:"status" enum:"approved,rejected,pending" doc:"pending takes a review back"`
		Reason string `json:"reason,omitempty" maxLength:"500" doc:"Required to reject; kept with the document"`
	}
}

func (x *API) reviewDocument(ctx context.Context, in *reviewInput) (*documentOutput, error) {
	if err := x.Contacts.ReviewDocument(ctx, viewer(ctx), in.ID, in.DocID, in.Body.Status, in.Body.Reason); err != nil {
		return nil, x.problem(ctx, err)
	}
	d, err := x.document(ctx, in.ID, in.DocID, "")
	if err != nil {
		return nil, err
	}
	return &documentOutput{Body: d}, nil
}

func (x *API) deleteDocument(ctx context.Context, in *documentIDInput) (*struct{}, error) {
	if err := x.Contacts.DeleteDocument(ctx, viewer(ctx), in.ID, in.DocID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}
