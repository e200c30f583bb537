package contact

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

// Document is an uploaded compliance document (its bytes are read with
// OpenDocument).
type Document struct {
	ID          int64
	ContactID   int64
	Kind        string
	Filename    string
	ContentType string
	Size        int64
	SHA256      string
	Status      string // pending, approved, rejected
	ReviewerID  int64
	Reviewer    string
	ReviewedAt  *time.Time
	Reason      string
	ExpiresOn   string
	UploadedBy  string
	CreatedAt   time.Time
}

// Expired reports whether the document's expiry date has passed.
func (d Document) Expired(now time.Time) bool {
	return d.ExpiresOn != "" && d.ExpiresOn < now.UTC().Format("2006-01-02")
}

// DocumentContentTypes are the types a document can have (norm.Sniff
// accepts these and nothing else).
var DocumentContentTypes = []string{"application/pdf", "image/jpeg", "image/png"}

// downloadExtensions are the name endings that fit each stored type; the
// first is added to names that end otherwise.
var downloadExtensions = map[string][]string{
	"application/pdf": {".pdf"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"image/png":       {".png"},
}

// DownloadName is the name a download is saved under: the stored name,
// ending in an extension of its real (sniffed) type, so that a PDF uploaded
// as page.html is not opened as a web page once saved.
func (d Document) DownloadName() string {
	exts := downloadExtensions[d.ContentType]
	lower := strings.ToLower(d.Filename)
	for _, e := range exts {
		if strings.HasSuffix(lower, e) && len(lower) > len(e) {
			return d.Filename
		}
	}
	if len(exts) == 0 {
		return d.Filename
	}
	return d.Filename + exts[0]
}

// cleanFilename keeps the base name of an upload, without path or control
// characters, at most 200 characters.
func cleanFilename(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 200 {
		name = string(r[len(r)-200:])
	}
	if name == "." || name == "/" || name == "" {
		name = "document"
	}
	return name
}

// Upload stores a compliance document after checking its size and its
// content type from its bytes (PDF, JPEG or PNG; the name is not trusted).
func (s *Service) Upload(ctx context.Context, v Viewer, contactID int64, kind, filename string, content []byte, expiresOn string) (int64, error) {
	if err := v.canWrite(); err != nil {
		return 0, err
	}
	fe := errs.Collector{}
	if kind == "" || !validOption(DocumentKinds, kind) {
		fe.Add("kind", "choose what kind of document this is")
	}
	ctype, err := norm.Sniff(content)
	if err != nil {
		fe.Add("file", err.Error())
	}
	if expiresOn = strings.TrimSpace(expiresOn); expiresOn != "" {
		d, err := norm.Date(expiresOn)
		if err != nil {
			fe.Add("expires_on", err.Error())
		}
		expiresOn = d
	}
	if err := fe.Err(); err != nil {
		return 0, err
	}
	sum := sha256.Sum256(content)
	name := cleanFilename(filename)
	by := audit.ActorFrom(ctx).Name
	var id int64
	err = s.changeVisible(ctx, v, contactID, func(tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO contact_documents (contact_id, kind, filename, content_type, size, sha256,
			content, expires_on, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			contactID, kind, name, ctype, len(content), hex.EncodeToString(sum[:]), content, expiresOn, by, db.Now()).Scan(&id)
		if err != nil {
			return fmt.Errorf("contact: store document: %w", err)
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(contactID), Action: "contact.document_upload",
			Changes: []audit.Change{{Field: fmt.Sprintf("document #%d", id), New: fmt.Sprintf("%s: %s (%s, %d bytes)", LabelOf(DocumentKinds, kind), name, ctype, len(content))}}})
	})
	return id, err
}

const documentColumns = `d.id, d.contact_id, d.kind, d.filename, d.content_type, d.size, d.sha256, d.status, d.reviewer_id,
	COALESCE(u.name, ''), d.reviewed_at, d.reason, d.expires_on, d.uploaded_by, d.created_at`

func scanDocument(row scanner) (Document, error) {
	var d Document
	var reviewer sql.NullInt64
	var reviewed sql.NullTime
	err := row.Scan(&d.ID, &d.ContactID, &d.Kind, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &d.Status, &reviewer,
		&d.Reviewer, &reviewed, &d.Reason, &d.ExpiresOn, &d.UploadedBy, &d.CreatedAt)
	d.ReviewerID = reviewer.Int64
	d.ReviewedAt = nullTime(reviewed)
	d.CreatedAt = d.CreatedAt.UTC()
	return d, err
}

// Documents lists a contact's documents, newest first.
func (s *Service) Documents(ctx context.Context, v Viewer, contactID int64) ([]Document, error) {
	if _, err := s.visible(ctx, s.DB, v, contactID); err != nil {
		return nil, err
	}
	return queryAll(ctx, s.DB, scanDocument, "SELECT "+documentColumns+` FROM contact_documents d
		LEFT JOIN users u ON u.id = d.reviewer_id WHERE d.contact_id = ? ORDER BY d.id DESC`, contactID)
}

// OpenDocument returns a document and its bytes; the view is logged.
func (s *Service) OpenDocument(ctx context.Context, v Viewer, contactID, docID int64) (Document, []byte, error) {
	if _, err := s.visible(ctx, s.DB, v, contactID); err != nil {
		return Document{}, nil, err
	}
	var d Document
	var content []byte
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		row := tx.QueryRowContext(ctx, "SELECT "+documentColumns+`, d.content FROM contact_documents d
			LEFT JOIN users u ON u.id = d.reviewer_id WHERE d.id = ? AND d.contact_id = ?`, docID, contactID)
		var err error
		d, err = scanDocument(scanAppend{row, []any{&content}})
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "No such document on this contact.")
		}
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(contactID), Action: "contact.document_view",
			Changes: []audit.Change{{Field: fmt.Sprintf("document #%d", docID), New: d.Filename}}})
	})
	return d, content, err
}

// ReviewDocument approves or rejects a document (a rejection needs a
// reason); the reviewer is v.
func (s *Service) ReviewDocument(ctx context.Context, v Viewer, contactID, docID int64, status, reason string) error {
	if err := v.canWrite(); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	fe := errs.Collector{}
	if status != "approved" && status != "rejected" && status != "pending" {
		fe.Add("status", "choose approved, rejected or pending")
	}
	if status == "rejected" && reason == "" {
		fe.Add("reason", "say why the document is rejected; the reason is kept with it")
	}
	if len([]rune(reason)) > 500 {
		fe.Add("reason", "the reason is too long: at most 500 characters")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.changeVisible(ctx, v, contactID, func(tx *db.Tx) error {
		var old, name string
		err := tx.QueryRowContext(ctx, "SELECT status, filename FROM contact_documents WHERE id = ? AND contact_id = ?", docID, contactID).Scan(&old, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "No such document on this contact.")
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE contact_documents SET status = ?, reason = ?, reviewer_id = ?, reviewed_at = ? WHERE id = ?",
			status, reason, db.NullID(v.UserID), db.Now(), docID); err != nil {
			return err
		}
		if err := s.refreshCompleteness(ctx, tx, contactID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(contactID), Action: "contact.document_review",
			Changes: []audit.Change{{Field: fmt.Sprintf("document #%d status", docID), Old: old, New: status},
				{Field: fmt.Sprintf("document #%d reason", docID), New: reason}}})
	})
}

// DeleteDocument removes a document for good, logged.
func (s *Service) DeleteDocument(ctx context.Context, v Viewer, contactID, docID int64) error {
	return s.changeVisible(ctx, v, contactID, func(tx *db.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, "SELECT filename FROM contact_documents WHERE id = ? AND contact_id = ?", docID, contactID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "No such document on this contact.")
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM contact_documents WHERE id = ?", docID); err != nil {
			return err
		}
		if err := s.refreshCompleteness(ctx, tx, contactID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(contactID), Action: "contact.document_delete",
			Changes: []audit.Change{{Field: fmt.Sprintf("document #%d", docID), Old: name}}})
	})
}
