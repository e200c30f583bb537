package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

// documentBodyLimit is the largest upload request: the largest document
// plus room for the other fields and the parts' headers. The upload route
// reads its body under this limit instead of the global one.
const documentBodyLimit = norm.MaxDocumentSize + 64<<10

// drainLimit is how much of a refused upload is read to the end before the
// answer: a browser still sending shows a connection error instead of the
// page when the server stops reading.
const drainLimit = 64 << 20

var tooLargeMessage = fmt.Sprintf("The file is too large: at most %d MB.", norm.MaxDocumentSize>>20)

// The upload form's fields are named doc_… because the record page holds
// other forms (the relationship form has its own "kind").
var documentFields = map[string]string{"kind": "doc_kind", "expires_on": "doc_expires_on", "file": "doc_file", "reason": "doc_reason",
	"status": "doc_reason"}

func documentErrors(f *Form, err error) {
	fields := errs.FieldsOf(err)
	if len(fields) == 0 {
		f.Errors["doc_file"] = errs.MessageOf(err)
	}
	for k, m := range fields {
		if name, ok := documentFields[k]; ok {
			f.Errors[name] = sentence(m)
		}
	}
}

// documentUpload stores a compliance document sent from the record. The
// domain decides what the file is from its bytes.
func (s *Server) documentUpload(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadContact(w, r)
	if !ok {
		return
	}
	raw := r.Body
	r.Body = http.MaxBytesReader(w, raw, documentBodyLimit)
	f := &Form{Values: url.Values{}, Errors: map[string]string{}}
	refuse := func(status int) {
		f.Values.Set("upload", "open")
		s.renderRecord(w, r, status, c, nil, f)
	}
	tooLarge := func() {
		if r.ContentLength <= drainLimit {
			_, _ = io.CopyN(io.Discard, raw, drainLimit)
		}
		f.Errors["doc_file"] = tooLargeMessage
		refuse(http.StatusRequestEntityTooLarge)
	}
	if r.ContentLength > documentBodyLimit {
		tooLarge()
		return
	}
	err := r.ParseMultipartForm(1 << 20)
	if r.MultipartForm != nil {
		defer func() { _ = r.MultipartForm.RemoveAll() }()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig), errors.Is(err, multipart.ErrMessageTooLarge):
		tooLarge()
		return
	case err != nil:
		s.renderErrorText(w, r, http.StatusBadRequest, "The upload could not be read. Go back and try again.")
		return
	}
	for _, k := range []string{"doc_kind", "doc_expires_on"} {
		if vs := r.MultipartForm.Value[k]; len(vs) > 0 {
			f.Values.Set(k, vs[0])
		}
	}
	files := r.MultipartForm.File["doc_file"]
	if len(files) == 0 || files[0].Filename == "" {
		f.Errors["doc_file"] = "Choose the file to upload."
		refuse(http.StatusUnprocessableEntity)
		return
	}
	fh := files[0]
	if fh.Size > norm.MaxDocumentSize {
		f.Errors["doc_file"] = tooLargeMessage
		refuse(http.StatusRequestEntityTooLarge)
		return
	}
	file, err := fh.Open()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	content, err := io.ReadAll(io.LimitReader(file, norm.MaxDocumentSize+1))
	_ = file.Close()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := contact.ViewerFor(userFrom(r.Context()))
	if _, err := s.Contacts.Upload(r.Context(), v, c.ID, f.Get("doc_kind"), fh.Filename, content, f.Get("doc_expires_on")); err != nil {
		if !errs.Is(err, errs.Invalid) {
			s.fail(w, r, err)
			return
		}
		documentErrors(f, err)
		refuse(http.StatusUnprocessableEntity)
		return
	}
	s.setFlash(w, "success", "Uploaded “"+fh.Filename+"”. It waits for review.")
	http.Redirect(w, r, recordURL(c.ID)+"#documents", http.StatusSeeOther)
}

// docID reads the request's {doc}.
func docID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("doc"), 10, 64)
	return id, err == nil && id > 0
}

// contactDocument reads the contact of the request and its {doc}.
func (s *Server) contactDocument(w http.ResponseWriter, r *http.Request) (*contact.Contact, int64, bool) {
	c, ok := s.loadContact(w, r)
	if !ok {
		return nil, 0, false
	}
	id, ok := docID(r)
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return nil, 0, false
	}
	return c, id, true
}

// documentDownload sends a document's bytes as a download, with the type
// read from them at upload; the view is logged by the domain.
func (s *Server) documentDownload(w http.ResponseWriter, r *http.Request) {
	c, id, ok := s.contactDocument(w, r)
	if !ok {
		return
	}
	d, content, err := s.Contacts.OpenDocument(r.Context(), contact.ViewerFor(userFrom(r.Context())), c.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Disposition", attachment(d.DownloadName()))
	h.Set("Content-Length", strconv.Itoa(len(content)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	// Even opened in place, the file runs nothing and loads nothing.
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	_, _ = w.Write(content)
}

// attachment is the Content-Disposition of a download: a quoted name when
// it is plain ASCII, the RFC 5987 UTF-8 form (filename*) otherwise.
func attachment(name string) string {
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
		return v
	}
	return "attachment"
}

// documentReview approves or rejects a document from the record; a
// rejection needs a reason, shown next to that document's field.
func (s *Server) documentReview(w http.ResponseWriter, r *http.Request) {
	c, f, v, ok := s.postedContact(w, r)
	if !ok {
		return
	}
	id, ok := docID(r)
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	status := f.Get("status")
	err := s.Contacts.ReviewDocument(r.Context(), v, c.ID, id, status, f.Get("doc_reason"))
	if err != nil {
		if !errs.Is(err, errs.Invalid) {
			s.fail(w, r, err)
			return
		}
		f.Values.Set("doc", strconv.FormatInt(id, 10))
		documentErrors(f, err)
		s.renderRecord(w, r, http.StatusUnprocessableEntity, c, nil, f)
		return
	}
	msg := map[string]string{"approved": "Document approved.", "rejected": "Document rejected; the reason is kept with it.",
		"pending": "The document waits for review again."}[status]
	s.setFlash(w, "success", msg)
	http.Redirect(w, r, recordURL(c.ID)+"#documents", http.StatusSeeOther)
}

// document finds one document of the contact for the delete confirmation.
func (s *Server) document(r *http.Request, c *contact.Contact) (*contact.Document, error) {
	id, ok := docID(r)
	if ok {
		docs, err := s.Contacts.Documents(r.Context(), contact.ViewerFor(userFrom(r.Context())), c.ID)
		if err != nil {
			return nil, err
		}
		for i := range docs {
			if docs[i].ID == id {
				return &docs[i], nil
			}
		}
	}
	return nil, errs.E(errs.NotFound, "No such document on this contact.")
}

func (s *Server) documentDeleteForm(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadContact(w, r)
	if !ok {
		return
	}
	d, err := s.document(r, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "app/contact_confirm", &Page{Title: "Delete " + d.Filename, Form: &Form{},
		Data: confirmData{contactHead: s.contactHead(r, c, ""), Action: "document", Doc: d}})
}

func (s *Server) documentDelete(w http.ResponseWriter, r *http.Request) {
	c, id, ok := s.contactDocument(w, r)
	if !ok {
		return
	}
	if err := s.Contacts.DeleteDocument(r.Context(), contact.ViewerFor(userFrom(r.Context())), c.ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "The document has been deleted.")
	http.Redirect(w, r, recordURL(c.ID)+"#documents", http.StatusSeeOther)
}

// fileSize reads a size the way people say it: "820 KB", "2.4 MB".
func fileSize(n int64) string {
	switch {
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + " bytes"
	case n < 1<<20:
		return strconv.FormatInt((n+512)>>10, 10) + " KB"
	}
	return strings.TrimSuffix(strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64), ".0") + " MB"
}
