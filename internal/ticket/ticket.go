// Package ticket owns tickets about a contact: a title, a Markdown
// description, a priority, an assignee and a status, with a timeline of
// comments. A ticket is on its contact's timeline (kind ticket); the
// assignee is emailed through the outbox when a ticket is assigned to them
// or someone else comments on it. Every change is in the activity log of
// the ticket's contact, so erasing the contact masks it too.
package ticket

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/markdown"
	"github.com/foliocrm/folio/internal/norm"
)

// Limits, in characters.
const (
	MaxTitle       = 200
	MaxDescription = 50_000
	MaxComment     = 20_000
)

// Service is the ticket service.
type Service struct {
	DB       *db.DB
	Contacts *contact.Service
	// BaseURL is Folio's public URL, for the links in emails.
	BaseURL string
	// MailQueued is called after a transaction that queued mail commits, to
	// wake the mail worker.
	MailQueued func()
}

// New returns the ticket service.
func New(d *db.DB, contacts *contact.Service, baseURL string) *Service {
	return &Service{DB: d, Contacts: contacts, BaseURL: strings.TrimSuffix(baseURL, "/"), MailQueued: func() {}}
}

// Statuses of a ticket, in their order.
var Statuses = []contact.Option{
	{Key: "open", Label: "Open"}, {Key: "in_progress", Label: "In progress"}, {Key: "on_hold", Label: "On hold"}, {Key: "closed", Label: "Closed"},
}

// Priorities of a ticket, lowest first.
var Priorities = []contact.Option{
	{Key: "low", Label: "Low"}, {Key: "normal", Label: "Normal"}, {Key: "high", Label: "High"}, {Key: "urgent", Label: "Urgent"},
}

// StatusClosed is the status that sets closed_at.
const StatusClosed = "closed"

// StatusLabel is the readable name of a status.
func StatusLabel(k string) string { return contact.LabelOf(Statuses, k) }

// PriorityLabel is the readable name of a priority.
func PriorityLabel(k string) string { return contact.LabelOf(Priorities, k) }

// Ticket is a ticket about a contact.
type Ticket struct {
	ID              int64
	ContactID       int64
	ContactName     string
	Title           string
	Description     string        // Markdown as written
	DescriptionHTML template.HTML // rendered and sanitised
	Priority        string
	Status          string
	AssigneeID      int64 // 0: nobody
	Assignee        string
	CreatedByID     int64
	CreatedBy       string
	ClosedAt        *time.Time
	Comments        int
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// StatusLabel is the readable status.
func (t *Ticket) StatusLabel() string { return StatusLabel(t.Status) }

// PriorityLabel is the readable priority.
func (t *Ticket) PriorityLabel() string { return PriorityLabel(t.Priority) }

// Input is a new ticket. Priority and Status default to normal and open;
// AssigneeID 0 leaves it unassigned.
type Input struct {
	ContactID   int64
	Title       string
	Description string
	Priority    string
	Status      string
	AssigneeID  int64
}

// Edit is a change to a ticket: the fields that are not nil change.
// Version is the version the change was made on (0: no check).
type Edit struct {
	ContactID   *int64
	Title       *string
	Description *string
	Priority    *string
	Status      *string
	AssigneeID  *int64 // 0 unassigns
	Version     int
}

var errNoTicket = errs.E(errs.NotFound, "No such ticket, or it is about a contact that is not one of yours.")

func errStale() error {
	return errs.E(errs.Conflict, "Someone changed this ticket while you were editing it; reload to see their version.")
}

func cleanTitle(s string) (string, error) {
	t, err := norm.Line("The title", s, MaxTitle)
	if err != nil {
		return "", errs.FieldErrors(map[string]string{"title": err.Error()})
	}
	if t == "" {
		return "", errs.FieldErrors(map[string]string{"title": "Give the ticket a title."})
	}
	return t, nil
}

func cleanDescription(s string) (string, error) {
	d, err := norm.Text("The description", s, MaxDescription)
	if err != nil {
		return "", errs.FieldErrors(map[string]string{"description": err.Error()})
	}
	return d, nil
}

func cleanComment(s string) (string, error) {
	b, err := norm.Text("The comment", s, MaxComment)
	if err != nil {
		return "", errs.FieldErrors(map[string]string{"body": err.Error()})
	}
	if b == "" {
		return "", errs.FieldErrors(map[string]string{"body": "Write the comment first."})
	}
	return b, nil
}

func checkOption(field, what string, opts []contact.Option, key string) error {
	for _, o := range opts {
		if o.Key == key {
			return nil
		}
	}
	keys := make([]string, len(opts))
	for i, o := range opts {
		keys[i] = o.Key
	}
	return errs.FieldErrors(map[string]string{field: fmt.Sprintf("Unknown %s %q; choose %s.", what, key, strings.Join(keys, ", "))})
}

// staff is a user a ticket can be assigned to or who is emailed about it.
type staff struct {
	ID       int64
	Name     string
	Email    string
	Disabled bool
}

func loadStaff(ctx context.Context, q db.Queryer, id int64) (*staff, error) {
	u := staff{ID: id}
	var disabled sql.NullTime
	err := q.QueryRowContext(ctx, "SELECT name, email, disabled_at FROM users WHERE id = ?", id).Scan(&u.Name, &u.Email, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	u.Disabled = disabled.Valid
	return &u, nil
}

// assignable checks that id is an active staff user and returns them.
func assignable(ctx context.Context, q db.Queryer, id int64) (*staff, error) {
	u, err := loadStaff(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if u == nil || u.Disabled {
		return nil, errs.FieldErrors(map[string]string{"assignee_id": "Choose an active staff user, or nobody."})
	}
	return u, nil
}

// Person is a staff user as the assignee pickers list them.
type Person struct {
	ID   int64
	Name string
}

// Assignees are the active staff users, by name, for the assignee pickers.
func (s *Service) Assignees(ctx context.Context) ([]Person, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT id, name FROM users WHERE disabled_at IS NULL ORDER BY name, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		var p Person
		if err := rows.Scan(&p.ID, &p.Name); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

const ticketColumns = `t.id, t.contact_id, c.display_name, t.title, t.description, t.priority, t.status,
	COALESCE(t.assignee_id, 0), COALESCE(ua.name, ''), COALESCE(t.created_by, 0), COALESCE(uc.name, ''),
	t.closed_at, t.comment_count, t.version, t.created_at, t.updated_at`

const ticketFrom = ` FROM tickets t JOIN contacts c ON c.id = t.contact_id
	LEFT JOIN users ua ON ua.id = t.assignee_id LEFT JOIN users uc ON uc.id = t.created_by`

func scanTicket(rows *sql.Rows, withHTML bool) (Ticket, error) {
	var t Ticket
	var closed sql.NullTime
	err := rows.Scan(&t.ID, &t.ContactID, &t.ContactName, &t.Title, &t.Description, &t.Priority, &t.Status, &t.AssigneeID, &t.Assignee,
		&t.CreatedByID, &t.CreatedBy, &closed, &t.Comments, &t.Version, &t.CreatedAt, &t.UpdatedAt)
	if err != nil {
		return t, err
	}
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	if closed.Valid {
		c := closed.Time.UTC()
		t.ClosedAt = &c
	}
	if withHTML {
		t.DescriptionHTML = markdown.Render(t.Description)
	}
	return t, nil
}

// loadTicket reads ticket id whatever its contact; callers check that the
// viewer sees the contact.
func loadTicket(ctx context.Context, q db.Queryer, id int64) (*Ticket, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+ticketColumns+ticketFrom+" WHERE t.id = ?", id)
	if err != nil {
		return nil, fmt.Errorf("ticket: load: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, errNoTicket
	}
	t, err := scanTicket(rows, true)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// Get returns a ticket about a contact v sees.
func (s *Service) Get(ctx context.Context, v contact.Viewer, id int64) (*Ticket, error) {
	t, err := loadTicket(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if ok, err := sees(ctx, s.DB, v, t.ContactID); err != nil {
		return nil, err
	} else if !ok {
		return nil, errNoTicket
	}
	return t, nil
}

// sees reports whether v sees contact id: it is not erased and, for
// own-contacts-only users, theirs. A contact merged into another still
// shows the tickets left on it.
func sees(ctx context.Context, q db.Queryer, v contact.Viewer, id int64) (bool, error) {
	cond, args := v.ScopeOn("c.")
	var one int
	err := q.QueryRowContext(ctx, "SELECT 1 FROM contacts c WHERE c.id = ? AND c.erased_at IS NULL"+cond, append([]any{id}, args...)...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// forNew checks that v may put a ticket on contact id: v sees it and it
// was not merged away (the error names the survivor).
func (s *Service) forNew(ctx context.Context, q db.Queryer, v contact.Viewer, id int64) error {
	err := s.Contacts.CheckVisible(ctx, q, v, id)
	var moved *contact.MovedError
	switch {
	case errors.As(err, &moved):
		return errs.FieldErrors(map[string]string{"contact_id": fmt.Sprintf("Contact #%d was merged into #%d; choose that one.", id, moved.To)})
	case errs.Is(err, errs.NotFound):
		return errs.FieldErrors(map[string]string{"contact_id": fmt.Sprintf("There is no contact #%d you may see.", id)})
	}
	return err
}

func field(id int64, name string) string {
	f := "ticket #" + strconv.FormatInt(id, 10)
	if name != "" {
		f += " " + name
	}
	return f
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

// fold is the search key of text: folded words (norm.Fold).
func fold(parts ...string) string { return norm.Fold(strings.Join(parts, "\n")) }
