package ticket

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/markdown"
)

// Comment is one entry of a ticket's comment timeline, in Markdown.
type Comment struct {
	ID          int64
	TicketID    int64
	TicketTitle string
	ContactID   int64
	ContactName string
	Body        string        // Markdown as written
	HTML        template.HTML // rendered and sanitised
	AuthorID    int64
	Author      string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Edited reports whether the comment changed after it was written.
func (c Comment) Edited() bool { return c.Version > 1 }

var errNoComment = errs.E(errs.NotFound, "No such comment, or it is on a ticket about a contact that is not one of yours.")

func commentField(ticket, id int64) string { return field(ticket, "comment #"+idStr(id)) }

// AddComment writes a comment on a ticket v may change. The assignee, when
// it is someone else and still active, is emailed.
func (s *Service) AddComment(ctx context.Context, v contact.Viewer, ticketID int64, body string) (int64, error) {
	body, err := cleanComment(body)
	if err != nil {
		return 0, err
	}
	var id int64
	mailed := false
	err = s.change(ctx, v, ticketID, func(tx *db.Tx, t *Ticket) error {
		now := db.Now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO ticket_comments (ticket_id, body, search_text, author_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, ticketID, body, fold(body), db.NullID(v.UserID), now, now).Scan(&id); err != nil {
			return fmt.Errorf("ticket: add comment: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE tickets SET comment_count = comment_count + 1, updated_at = ? WHERE id = ?", now, ticketID); err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(t.ContactID), Action: "contact.ticket_comment_add",
			Changes: []audit.Change{{Field: commentField(ticketID, id), New: body}}}); err != nil {
			return err
		}
		if t.AssigneeID == 0 || t.AssigneeID == v.UserID {
			return nil
		}
		u, err := loadStaff(ctx, tx, t.AssigneeID)
		if err != nil || u == nil || u.Disabled {
			return err
		}
		mailed = true
		return s.mailComment(ctx, tx, v, t, u, body)
	})
	if err != nil {
		return 0, err
	}
	if mailed {
		s.MailQueued()
	}
	return id, nil
}

// EditComment changes a comment's text; only its author may. A comment
// changed since version is refused (conflict; 0: no check).
func (s *Service) EditComment(ctx context.Context, v contact.Viewer, id int64, body string, version int) error {
	body, err := cleanComment(body)
	if err != nil {
		return err
	}
	return s.changeComment(ctx, v, id, func(tx *db.Tx, t *Ticket, c *Comment) error {
		if c.AuthorID != v.UserID || v.UserID == 0 {
			return errs.E(errs.Forbidden, "Only the comment's author can change it.")
		}
		if version != 0 && version != c.Version {
			return errs.E(errs.Conflict, "This comment changed while you were editing it; reload to see the new text.")
		}
		if body == c.Body {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE ticket_comments SET body = ?, search_text = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, body, fold(body), db.Now(), id, c.Version)
		if err != nil {
			return fmt.Errorf("ticket: edit comment: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.E(errs.Conflict, "This comment changed while you were editing it; reload to see the new text.")
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(t.ContactID), Action: "contact.ticket_comment_edit",
			Changes: []audit.Change{{Field: commentField(t.ID, id), Old: c.Body, New: body}}})
	})
}

// DeleteComment removes a comment; only an admin may. The activity log
// keeps its text.
func (s *Service) DeleteComment(ctx context.Context, v contact.Viewer, id int64) error {
	return s.changeComment(ctx, v, id, func(tx *db.Tx, t *Ticket, c *Comment) error {
		if !v.Admin {
			return errs.E(errs.Forbidden, "Only an admin can delete a comment.")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM ticket_comments WHERE id = ?", id); err != nil {
			return fmt.Errorf("ticket: delete comment: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE tickets SET comment_count = comment_count - 1 WHERE id = ?", t.ID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(t.ContactID), Action: "contact.ticket_comment_delete",
			Changes: []audit.Change{{Field: commentField(t.ID, id), Old: c.Body}}})
	})
}

func (s *Service) changeComment(ctx context.Context, v contact.Viewer, id int64, fn func(tx *db.Tx, t *Ticket, c *Comment) error) error {
	var ticketID int64
	err := s.DB.QueryRowContext(ctx, "SELECT ticket_id FROM ticket_comments WHERE id = ?", id).Scan(&ticketID)
	if errors.Is(err, sql.ErrNoRows) {
		return errNoComment
	} else if err != nil {
		return err
	}
	err = s.change(ctx, v, ticketID, func(tx *db.Tx, t *Ticket) error {
		cs, err := queryComments(ctx, tx, "cm.id = ?", id)
		if err != nil {
			return err
		}
		if len(cs) == 0 || cs[0].TicketID != ticketID {
			return errNoComment
		}
		return fn(tx, t, &cs[0])
	})
	if errors.Is(err, errNoTicket) {
		return errNoComment
	}
	return err
}

// Comments are a ticket's comments, oldest first.
func (s *Service) Comments(ctx context.Context, v contact.Viewer, ticketID int64) ([]Comment, error) {
	if _, err := s.Get(ctx, v, ticketID); err != nil {
		return nil, err
	}
	return queryComments(ctx, s.DB, "cm.ticket_id = ? ORDER BY cm.id", ticketID)
}

// Comment returns one comment on a ticket v sees.
func (s *Service) Comment(ctx context.Context, v contact.Viewer, id int64) (*Comment, error) {
	cs, err := queryComments(ctx, s.DB, "cm.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, errNoComment
	}
	if ok, err := sees(ctx, s.DB, v, cs[0].ContactID); err != nil {
		return nil, err
	} else if !ok {
		return nil, errNoComment
	}
	return &cs[0], nil
}

const commentColumns = `cm.id, cm.ticket_id, t.title, t.contact_id, c.display_name, cm.body, COALESCE(cm.author_id, 0),
	COALESCE(u.name, ''), cm.version, cm.created_at, cm.updated_at`

const commentFrom = ` FROM ticket_comments cm JOIN tickets t ON t.id = cm.ticket_id JOIN contacts c ON c.id = t.contact_id
	LEFT JOIN users u ON u.id = cm.author_id`

func queryComments(ctx context.Context, q db.Queryer, where string, args ...any) ([]Comment, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+commentColumns+commentFrom+" WHERE "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("ticket: comments: %w", err)
	}
	defer rows.Close()
	var out []Comment
	for rows.Next() {
		var c Comment
		if err := rows.Scan(&c.ID, &c.TicketID, &c.TicketTitle, &c.ContactID, &c.ContactName, &c.Body, &c.AuthorID, &c.Author,
			&c.Version, &c.CreatedAt, &c.UpdatedAt); err != nil {
			return nil, err
		}
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		c.HTML = markdown.Render(c.Body)
		out = append(out, c)
	}
	return out, rows.Err()
}
