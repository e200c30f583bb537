package inbound

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

// Email is a received email as its BCC owner sees it.
type Email struct {
	ID        int64
	UserID    int64
	FromAddr  string
	FromName  string
	To, Cc    string // addresses separated by ", "
	Subject   string
	Text      string
	HTML      string // as received; sanitise before showing
	MessageID string
	Filed     bool
	CreatedAt time.Time
	Files     []File
}

// From is the sender as people read it.
func (e *Email) From() string {
	if e.FromName != "" {
		return e.FromName + " <" + e.FromAddr + ">"
	}
	return e.FromAddr
}

// Snippet is the start of the text, on one line.
func (e *Email) Snippet() string { return oneLine(e.Text, 160) }

// File is an attachment kept with a received email, without its bytes.
type File struct {
	ID          int64
	Filename    string
	ContentType string
	Size        int64
}

// SizeText is the size the way people say it.
func (f File) SizeText() string { return size(f.Size) }

var errNoEmail = errs.E(errs.NotFound, "No such email in your received mail.")

const emailColumns = `id, COALESCE(user_id, 0), from_addr, from_name, to_addrs, cc_addrs, subject, body_text, body_html, message_id, filed, created_at`

func scanEmail(row interface{ Scan(...any) error }) (*Email, error) {
	var e Email
	if err := row.Scan(&e.ID, &e.UserID, &e.FromAddr, &e.FromName, &e.To, &e.Cc, &e.Subject, &e.Text, &e.HTML, &e.MessageID,
		&e.Filed, &e.CreatedAt); err != nil {
		return nil, err
	}
	e.CreatedAt = e.CreatedAt.UTC()
	return &e, nil
}

// Email is one message u received through their BCC address, with its
// attachments' names and sizes.
func (s *Service) Email(ctx context.Context, u *auth.User, id int64) (*Email, error) {
	e, err := loadEmail(ctx, s.DB, u, id)
	if err != nil {
		return nil, err
	}
	return e, s.withFiles(ctx, []*Email{e})
}

// withFiles reads the attachments of emails (names and sizes) at once.
func (s *Service) withFiles(ctx context.Context, emails []*Email) error {
	byID := make(map[int64]*Email, len(emails))
	ids := make([]int64, 0, len(emails))
	for _, e := range emails {
		byID[e.ID] = e
		ids = append(ids, e.ID)
	}
	return db.InChunks(ids, func(in string, args []any) error {
		rows, err := s.DB.QueryContext(ctx, "SELECT email_id, id, filename, content_type, size FROM email_attachments WHERE email_id IN ("+in+") ORDER BY id", args...)
		if err != nil {
			return fmt.Errorf("inbound: attachments: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var f File
			var emailID int64
			if err := rows.Scan(&emailID, &f.ID, &f.Filename, &f.ContentType, &f.Size); err != nil {
				return err
			}
			byID[emailID].Files = append(byID[emailID].Files, f)
		}
		return rows.Err()
	})
}

func loadEmail(ctx context.Context, q db.Queryer, u *auth.User, id int64) (*Email, error) {
	e, err := scanEmail(q.QueryRowContext(ctx, "SELECT "+emailColumns+" FROM emails WHERE id = ? AND direction = 'in' AND user_id = ?", id, u.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoEmail
	}
	return e, err
}

// UnfiledPage is a page of unfiled mail, newest first.
type UnfiledPage struct {
	Emails     []Email
	NextCursor string // "" on the last page
}

// Unfiled lists the mail u received that is on no contact's timeline,
// with its attachments' names and sizes, newest first, limit (default 50,
// at most 200) after cursor.
func (s *Service) Unfiled(ctx context.Context, u *auth.User, cursor string, limit int) (UnfiledPage, error) {
	if limit <= 0 {
		limit = 50
	}
	if limit > 200 {
		return UnfiledPage{}, errs.FieldErrors(map[string]string{"limit": "at most 200 emails per page"})
	}
	query := "SELECT " + emailColumns + " FROM emails WHERE direction = 'in' AND user_id = ? AND NOT filed"
	args := []any{u.ID}
	if cursor != "" {
		before, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || before <= 0 {
			return UnfiledPage{}, errs.FieldErrors(map[string]string{"cursor": "this cursor is not one Folio gave out; start from the first page"})
		}
		query += " AND id < ?"
		args = append(args, before)
	}
	rows, err := s.DB.QueryContext(ctx, query+" ORDER BY id DESC LIMIT ?", append(args, limit+1)...)
	if err != nil {
		return UnfiledPage{}, fmt.Errorf("inbound: unfiled: %w", err)
	}
	defer rows.Close()
	var p UnfiledPage
	for rows.Next() {
		e, err := scanEmail(rows)
		if err != nil {
			return UnfiledPage{}, err
		}
		if len(p.Emails) == limit {
			p.NextCursor = strconv.FormatInt(p.Emails[limit-1].ID, 10)
			break
		}
		p.Emails = append(p.Emails, *e)
	}
	if err := rows.Err(); err != nil {
		return UnfiledPage{}, err
	}
	rows.Close()
	ptrs := make([]*Email, len(p.Emails))
	for i := range p.Emails {
		ptrs[i] = &p.Emails[i]
	}
	return p, s.withFiles(ctx, ptrs)
}

// File puts an email u received on the timeline of a contact u may
// change (or of the contact it was merged into). Filing it where it
// already is changes nothing.
func (s *Service) File(ctx context.Context, u *auth.User, id, contactID int64) error {
	err := s.fileOn(ctx, u, id, contactID, "contact.bcc_email_file")
	var moved *contact.MovedError
	if errors.As(err, &moved) {
		return s.fileOn(ctx, u, id, moved.To, "contact.bcc_email_file")
	}
	return err
}

func (s *Service) fileOn(ctx context.Context, u *auth.User, id, contactID int64, action string) error {
	if _, err := loadEmail(ctx, s.DB, u, id); err != nil {
		return err
	}
	return s.Contacts.ChangeVisible(ctx, contact.ViewerFor(u), contactID, func(tx *db.Tx) error {
		e, err := loadEmail(ctx, tx, u, id) // deleted meanwhile?
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM timeline WHERE kind = ? AND ref_id = ? AND contact_id = ?",
			activity.KindEmail, id, contactID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if err := activity.AddToTimeline(ctx, tx, contactID, activity.KindEmail, id, u.ID, e.CreatedAt); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE emails SET filed = TRUE WHERE id = ?", id); err != nil {
			return err
		}
		changes := []audit.Change{{Field: emailField(id), New: e.Subject}}
		if !e.Filed {
			changes = append(changes, audit.Change{Field: emailField(id) + " filed", Old: "no", New: "yes"})
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(contactID), Action: action, Changes: changes})
	})
}

// CreateFromSender makes a person contact, owned by u, from the sender of
// an email u received (their name and address), and files the email on
// it. When u already sees a contact with that address, nothing is made:
// the conflict says which contact to file it on.
func (s *Service) CreateFromSender(ctx context.Context, u *auth.User, id int64) (int64, error) {
	e, err := loadEmail(ctx, s.DB, u, id)
	if err != nil {
		return 0, err
	}
	v := contact.ViewerFor(u)
	if err := v.CanWrite(); err != nil {
		return 0, err
	}
	addr, err := norm.Email(e.FromAddr)
	if err != nil {
		return 0, errs.FieldErrors(map[string]string{"from": "the sender's address cannot be a contact's: " + err.Error()})
	}
	existing, err := matchContacts(ctx, s.DB, v, []string{norm.EmailKey(addr)})
	if err != nil {
		return 0, err
	}
	if len(existing) > 0 {
		c, err := s.Contacts.Get(ctx, v, existing[0])
		if err != nil {
			return 0, err
		}
		return 0, errs.E(errs.Conflict, "%s is already the address of %s: file the email on that contact instead.", addr, c.Name())
	}
	category, err := senderCategory(ctx, s.DB)
	if err != nil {
		return 0, err
	}
	first, last := splitName(e.FromName, addr)
	c := &contact.Contact{Kind: contact.Person, FirstName: first, LastName: last, CategoryID: category, OwnerID: u.ID,
		Emails: []contact.Email{{Label: "work", Address: addr, Primary: true}}}
	cid, err := s.Contacts.Create(ctx, v, c)
	if err != nil {
		return 0, err
	}
	return cid, s.fileOn(ctx, u, id, cid, "contact.bcc_create_contact")
}

// senderCategory is where contacts made from a sender go: Prospect, or the
// firm's first category when it has none by that key.
func senderCategory(ctx context.Context, q db.Queryer) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM contact_categories ORDER BY CASE key WHEN 'prospect' THEN 0 WHEN 'other' THEN 1 ELSE 2 END,
		position, id LIMIT 1`).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("inbound: category: %w", err)
	}
	return id, nil
}

// maxNamePart is the longest first or last name taken from a sender.
const maxNamePart = 100

// splitName makes a first and a last name of a sender's display name
// ("Jane Doe", "Doe, Jane"), or of their address's local part
// ("jane.doe@") when they sent none.
func splitName(name, addr string) (first, last string) {
	name = strings.Trim(oneLine(name, maxName), `"' `)
	if strings.Contains(name, "@") {
		name = ""
	}
	if name == "" {
		local := addr[:max(strings.LastIndexByte(addr, '@'), 0)]
		if i := strings.IndexByte(local, '+'); i > 0 {
			local = local[:i]
		}
		words := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' || unicode.IsDigit(r) })
		for i, w := range words {
			r, n := utf8.DecodeRuneInString(w)
			words[i] = string(unicode.ToUpper(r)) + w[n:]
		}
		name = strings.Join(words, " ")
		if name == "" {
			name = local
		}
	}
	if l, f, ok := strings.Cut(name, ","); ok {
		first, last = strings.TrimSpace(f), strings.TrimSpace(l)
	} else if i := strings.LastIndexByte(name, ' '); i > 0 {
		first, last = name[:i], name[i+1:]
	} else {
		first = name
	}
	return cut(first, maxNamePart), cut(last, maxNamePart)
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		return strings.TrimSpace(string([]rune(s)[:n]))
	}
	return s
}

// Delete removes an unfiled email u received, with its attachments. Filed
// mail is on contacts' timelines and stays.
func (s *Service) Delete(ctx context.Context, u *auth.User, id int64) error {
	if !u.Can(auth.PermWrite) {
		return errReadOnly
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		e, err := loadEmail(ctx, tx, u, id)
		if err != nil {
			return err
		}
		if e.Filed {
			return errs.E(errs.Conflict, "This email is filed on a contact's timeline; only unfiled mail can be deleted here.")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM email_attachments WHERE email_id = ?", id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM emails WHERE id = ?", id); err != nil {
			return fmt.Errorf("inbound: delete email: %w", err)
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "email", EntityID: idStr(id), Action: "email.bcc_delete",
			Changes: []audit.Change{{Field: "from", Old: e.FromAddr}, {Field: "subject", Old: e.Subject}}})
	})
}
