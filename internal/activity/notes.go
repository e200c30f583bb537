package activity

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/markdown"
)

// MaxNote is the longest note, in characters.
const MaxNote = 50_000

// Note is a note on a contact, written in Markdown.
type Note struct {
	ID        int64
	ContactID int64
	Body      string        // Markdown as written
	HTML      template.HTML // Body rendered and sanitised
	Pinned    bool
	AuthorID  int64
	Author    string
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Edited reports whether the note changed after it was written.
func (n Note) Edited() bool { return n.Version > 1 }

var errNoNote = errs.E(errs.NotFound, "No such note, or it is on a contact that is not one of yours.")

func cleanNote(body string) (string, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	switch {
	case body == "":
		return "", errs.FieldErrors(map[string]string{"body": "write the note first"})
	case !utf8.ValidString(body) || strings.ContainsRune(body, 0):
		return "", errs.FieldErrors(map[string]string{"body": "the note holds characters that are not text"})
	case utf8.RuneCountInString(body) > MaxNote:
		return "", errs.FieldErrors(map[string]string{"body": fmt.Sprintf("a note holds at most %d characters; this one has %d",
			MaxNote, utf8.RuneCountInString(body))})
	}
	return body, nil
}

// AddNote writes a note on a contact v may change and puts it on the
// contact's timeline (or above it, pinned).
func (s *Service) AddNote(ctx context.Context, v contact.Viewer, contactID int64, body string, pinned bool) (int64, error) {
	body, err := cleanNote(body)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.Contacts.ChangeVisible(ctx, v, contactID, func(tx *db.Tx) error {
		now := db.Now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO notes (contact_id, body, pinned, author_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, contactID, body, pinned, db.NullID(v.UserID), now, now).Scan(&id); err != nil {
			return fmt.Errorf("activity: add note: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO timeline (contact_id, at, kind, ref_id, actor_id, pinned) VALUES (?, ?, ?, ?, ?, ?)`,
			contactID, now, KindNote, id, db.NullID(v.UserID), pinned); err != nil {
			return fmt.Errorf("activity: add note: %w", err)
		}
		changes := []audit.Change{{Field: noteField(id), New: body}}
		if pinned {
			changes = append(changes, audit.Change{Field: "pinned", New: "yes"})
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(contactID), Action: "contact.note_add", Changes: changes})
	})
	return id, err
}

// NoteEdit is a change to a note: its text, whether it is pinned, or both.
// Version is the version the change was made on.
type NoteEdit struct {
	Body    *string
	Pinned  *bool
	Version int
}

// EditNote changes a note. Its author or an admin may change the text;
// anyone who may change the contact may pin or unpin it. A note changed
// since Version is refused (conflict) so no edit is lost. Each change is
// in the activity log with the old and new text.
func (s *Service) EditNote(ctx context.Context, v contact.Viewer, id int64, e NoteEdit) error {
	if e.Body != nil {
		body, err := cleanNote(*e.Body)
		if err != nil {
			return err
		}
		e.Body = &body
	}
	return s.changeNote(ctx, v, id, func(tx *db.Tx, n *Note) error {
		if e.Version != 0 && e.Version != n.Version {
			return errs.E(errs.Conflict, "Someone changed this note while you were editing it; reload to see their version.")
		}
		var changes []audit.Change
		body, pinned := n.Body, n.Pinned
		if e.Body != nil && *e.Body != n.Body {
			if n.AuthorID != v.UserID && !v.Admin {
				return errs.E(errs.Forbidden, "Only the note's author or an admin can change its text.")
			}
			body = *e.Body
			changes = append(changes, audit.Change{Field: noteField(id), Old: n.Body, New: body})
		}
		if e.Pinned != nil && *e.Pinned != n.Pinned {
			pinned = *e.Pinned
			changes = append(changes, audit.Change{Field: noteField(id) + " pinned", Old: yesNo(n.Pinned), New: yesNo(pinned)})
		}
		if len(changes) == 0 {
			return nil
		}
		res, err := tx.ExecContext(ctx, "UPDATE notes SET body = ?, pinned = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
			body, pinned, db.Now(), id, n.Version)
		if err != nil {
			return fmt.Errorf("activity: edit note: %w", err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errs.E(errs.Conflict, "Someone changed this note while you were editing it; reload to see their version.")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE timeline SET pinned = ? WHERE kind = ? AND ref_id = ?", pinned, KindNote, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(n.ContactID), Action: "contact.note_edit", Changes: changes})
	})
}

// DeleteNote removes a note; its author or an admin may. The activity log
// keeps its text.
func (s *Service) DeleteNote(ctx context.Context, v contact.Viewer, id int64) error {
	return s.changeNote(ctx, v, id, func(tx *db.Tx, n *Note) error {
		if n.AuthorID != v.UserID && !v.Admin {
			return errs.E(errs.Forbidden, "Only the note's author or an admin can delete it.")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM notes WHERE id = ?", id); err != nil {
			return fmt.Errorf("activity: delete note: %w", err)
		}
		if err := RemoveFromTimeline(ctx, tx, KindNote, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(n.ContactID), Action: "contact.note_delete",
			Changes: []audit.Change{{Field: noteField(id), Old: n.Body}}})
	})
}

// changeNote runs fn on note id inside a transaction, once v may change
// the note's contact.
func (s *Service) changeNote(ctx context.Context, v contact.Viewer, id int64, fn func(tx *db.Tx, n *Note) error) error {
	if err := v.CanWrite(); err != nil {
		return err
	}
	var contactID int64
	if err := s.DB.QueryRowContext(ctx, "SELECT contact_id FROM notes WHERE id = ?", id).Scan(&contactID); errors.Is(err, sql.ErrNoRows) {
		return errNoNote
	} else if err != nil {
		return err
	}
	return s.Contacts.ChangeVisible(ctx, v, contactID, func(tx *db.Tx) error {
		n, err := loadNote(ctx, tx, id)
		if err != nil {
			return err
		}
		if n.ContactID != contactID { // moved by a merge meanwhile
			return errs.E(errs.Conflict, "This note moved to another contact; reload.")
		}
		return fn(tx, n)
	})
}

// Note returns a note on a contact v sees.
func (s *Service) Note(ctx context.Context, v contact.Viewer, id int64) (*Note, error) {
	n, err := loadNote(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if err := s.Contacts.CheckVisible(ctx, s.DB, v, n.ContactID); err != nil {
		if errs.Is(err, errs.NotFound) {
			return nil, errNoNote
		}
		return nil, err
	}
	return n, nil
}

// PinnedNotes are a contact's pinned notes, newest first.
func (s *Service) PinnedNotes(ctx context.Context, v contact.Viewer, contactID int64) ([]Note, error) {
	if err := s.Contacts.CheckVisible(ctx, s.DB, v, contactID); err != nil {
		return nil, err
	}
	return queryNotes(ctx, s.DB, "n.contact_id = ? AND n.pinned ORDER BY n.created_at DESC, n.id DESC", contactID)
}

const noteColumns = `n.id, n.contact_id, n.body, n.pinned, COALESCE(n.author_id, 0), COALESCE(u.name, ''), n.version, n.created_at, n.updated_at`

func queryNotes(ctx context.Context, q db.Queryer, where string, args ...any) ([]Note, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+noteColumns+" FROM notes n LEFT JOIN users u ON u.id = n.author_id WHERE "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("activity: notes: %w", err)
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		var n Note
		if err := rows.Scan(&n.ID, &n.ContactID, &n.Body, &n.Pinned, &n.AuthorID, &n.Author, &n.Version, &n.CreatedAt, &n.UpdatedAt); err != nil {
			return nil, err
		}
		n.CreatedAt, n.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()
		n.HTML = markdown.Render(n.Body)
		out = append(out, n)
	}
	return out, rows.Err()
}

func loadNote(ctx context.Context, q db.Queryer, id int64) (*Note, error) {
	ns, err := queryNotes(ctx, q, "n.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(ns) == 0 {
		return nil, errNoNote
	}
	return &ns[0], nil
}

func noteField(id int64) string { return "note #" + strconv.FormatInt(id, 10) }

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Notes lists a contact's notes a page at a time: pinned notes first, then
// the others, newest first in each part. cursor is the previous page's
// next cursor ("" for the first page); limit is at most 200.
func (s *Service) Notes(ctx context.Context, v contact.Viewer, contactID int64, cursor string, limit int) ([]Note, string, error) {
	if limit <= 0 {
		limit = 50
	}
	if limit > 200 {
		return nil, "", errs.FieldErrors(map[string]string{"limit": "at most 200 notes per page"})
	}
	if err := s.Contacts.CheckVisible(ctx, s.DB, v, contactID); err != nil {
		return nil, "", err
	}
	where := "n.contact_id = ?"
	args := []any{contactID}
	if cursor != "" {
		pinned, id, err := decodeNoteCursor(cursor)
		if err != nil {
			return nil, "", err
		}
		if pinned {
			where += " AND (NOT n.pinned OR n.id < ?)"
		} else {
			where += " AND NOT n.pinned AND n.id < ?"
		}
		args = append(args, id)
	}
	ns, err := queryNotes(ctx, s.DB, where+" ORDER BY n.pinned DESC, n.id DESC LIMIT ?", append(args, limit+1)...)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(ns) > limit {
		ns = ns[:limit]
		last := ns[limit-1]
		next = base64.RawURLEncoding.EncodeToString([]byte(yesNo(last.Pinned) + "|" + idStr(last.ID)))
	}
	return ns, next, nil
}

func decodeNoteCursor(c string) (pinned bool, id int64, err error) {
	bad := errs.FieldErrors(map[string]string{"cursor": "this cursor is not one Folio gave out; start from the first page"})
	raw, derr := base64.RawURLEncoding.DecodeString(c)
	p, n, ok := strings.Cut(string(raw), "|")
	if derr != nil || !ok || (p != "yes" && p != "no") {
		return false, 0, bad
	}
	id, perr := strconv.ParseInt(n, 10, 64)
	if perr != nil || id <= 0 {
		return false, 0, bad
	}
	return p == "yes", id, nil
}
