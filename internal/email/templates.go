package email

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// Template is a saved email: a subject and a Markdown body with merge
// fields, shared by the firm.
type Template struct {
	ID        int64
	Name      string
	Subject   string
	Body      string
	CreatedBy int64
	Author    string
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// MaxTemplateName is the longest template name.
const MaxTemplateName = 100

var errNoTemplate = errs.E(errs.NotFound, "No such email template; it may have been deleted.")

// TemplateInput is a template as written.
type TemplateInput struct {
	Name, Subject, Body string
	// Version is the version the edit started from (0: do not check).
	Version int
}

func (in *TemplateInput) clean() error {
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.Subject, in.Body = cleanText(in.Subject, in.Body)
	bad := map[string]string{}
	switch {
	case in.Name == "":
		bad["name"] = "give the template a name"
	case utf8.RuneCountInString(in.Name) > MaxTemplateName:
		bad["name"] = fmt.Sprintf("a name holds at most %d characters", MaxTemplateName)
	}
	if err := checkDraft(in.Subject, in.Body); err != nil {
		for k, m := range errs.FieldsOf(err) {
			bad[k] = m
		}
	}
	if len(bad) > 0 {
		return errs.FieldErrors(bad)
	}
	return nil
}

// Templates lists the saved templates by name.
func (s *Service) Templates(ctx context.Context) ([]Template, error) {
	return s.queryTemplates(ctx, s.DB, "1 = 1 ORDER BY t.name")
}

// Template returns one saved template.
func (s *Service) Template(ctx context.Context, id int64) (Template, error) {
	ts, err := s.queryTemplates(ctx, s.DB, "t.id = ?", id)
	if err != nil {
		return Template{}, err
	}
	if len(ts) == 0 {
		return Template{}, errNoTemplate
	}
	return ts[0], nil
}

func (s *Service) queryTemplates(ctx context.Context, q db.Queryer, where string, args ...any) ([]Template, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.id, t.name, t.subject, t.body, COALESCE(t.created_by, 0), COALESCE(u.name, ''), t.version,
		t.created_at, t.updated_at FROM email_templates t LEFT JOIN users u ON u.id = t.created_by WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("email: templates: %w", err)
	}
	defer rows.Close()
	var out []Template
	for rows.Next() {
		var t Template
		if err := rows.Scan(&t.ID, &t.Name, &t.Subject, &t.Body, &t.CreatedBy, &t.Author, &t.Version, &t.CreatedAt, &t.UpdatedAt); err != nil {
			return nil, err
		}
		t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
		out = append(out, t)
	}
	return out, rows.Err()
}

var errTemplateName = errs.FieldErrors(map[string]string{"name": "another template has this name; choose another"})

// CreateTemplate saves a new template.
func (s *Service) CreateTemplate(ctx context.Context, v contact.Viewer, in TemplateInput) (int64, error) {
	if err := v.CanWrite(); err != nil {
		return 0, err
	}
	if err := in.clean(); err != nil {
		return 0, err
	}
	var id int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		now := db.Now()
		err := tx.QueryRowContext(ctx, `INSERT INTO email_templates (name, subject, body, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, in.Name, in.Subject, in.Body, db.NullID(v.UserID), now, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errTemplateName
		}
		if err != nil {
			return fmt.Errorf("email: create template: %w", err)
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "email_template", EntityID: idStr(id), Action: "email_template.create",
			Changes: []audit.Change{{Field: "name", New: in.Name}, {Field: "subject", New: in.Subject}, {Field: "body", New: in.Body}}})
	})
	return id, err
}

// UpdateTemplate changes a template; an edit made on an older version is
// refused (conflict) so no change is lost.
func (s *Service) UpdateTemplate(ctx context.Context, v contact.Viewer, id int64, in TemplateInput) error {
	if err := v.CanWrite(); err != nil {
		return err
	}
	if err := in.clean(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		ts, err := s.queryTemplates(ctx, tx, "t.id = ?", id)
		if err != nil {
			return err
		}
		if len(ts) == 0 {
			return errNoTemplate
		}
		old := ts[0]
		if in.Version != 0 && in.Version != old.Version {
			return errs.E(errs.Conflict, "Someone changed this template while you were editing it; reload to see their version.")
		}
		var changes []audit.Change
		for _, c := range []audit.Change{{Field: "name", Old: old.Name, New: in.Name}, {Field: "subject", Old: old.Subject, New: in.Subject},
			{Field: "body", Old: old.Body, New: in.Body}} {
			if c.Old != c.New {
				changes = append(changes, c)
			}
		}
		if len(changes) == 0 {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE email_templates SET name = ?, subject = ?, body = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, in.Name, in.Subject, in.Body, db.Now(), id, old.Version)
		if db.IsUniqueViolation(err) {
			return errTemplateName
		}
		if err != nil {
			return fmt.Errorf("email: update template: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.E(errs.Conflict, "Someone changed this template while you were editing it; reload to see their version.")
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "email_template", EntityID: idStr(id), Action: "email_template.update", Changes: changes})
	})
}

// DeleteTemplate removes a template; emails already sent with it keep
// their text.
func (s *Service) DeleteTemplate(ctx context.Context, v contact.Viewer, id int64) error {
	if err := v.CanWrite(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		ts, err := s.queryTemplates(ctx, tx, "t.id = ?", id)
		if err != nil {
			return err
		}
		if len(ts) == 0 {
			return errNoTemplate
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM email_templates WHERE id = ?", id); err != nil {
			return fmt.Errorf("email: delete template: %w", err)
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "email_template", EntityID: idStr(id), Action: "email_template.delete",
			Changes: []audit.Change{{Field: "name", Old: ts[0].Name}, {Field: "subject", Old: ts[0].Subject}, {Field: "body", Old: ts[0].Body}}})
	})
}
