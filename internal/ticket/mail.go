package ticket

import (
	"context"
	"fmt"
	"strings"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/mail"
)

// URL is the ticket's page in the staff UI, relative to Folio's root.
func URL(id int64) string { return "/tickets/" + idStr(id) }

// mailAssigned queues the email that tells u a ticket is now theirs, in
// tx with the assignment.
func (s *Service) mailAssigned(ctx context.Context, tx *db.Tx, by contact.Viewer, t *Ticket, u *staff) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s assigned ticket #%d to you.\n\n", actorName(by), t.ID)
	s.writeSummary(&b, t)
	_, err := mail.Enqueue(ctx, tx, mail.Message{To: u.Email, ToName: u.Name,
		Subject: fmt.Sprintf("Ticket #%d assigned to you: %s", t.ID, t.Title), Body: b.String()})
	return err
}

// mailComment queues the email that tells the assignee of t about a new
// comment, in tx with the comment.
func (s *Service) mailComment(ctx context.Context, tx *db.Tx, by contact.Viewer, t *Ticket, u *staff, body string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s commented on ticket #%d, which is assigned to you:\n\n", actorName(by), t.ID)
	for _, line := range strings.Split(body, "\n") {
		b.WriteString("> " + line + "\n")
	}
	b.WriteString("\n")
	s.writeSummary(&b, t)
	_, err := mail.Enqueue(ctx, tx, mail.Message{To: u.Email, ToName: u.Name,
		Subject: fmt.Sprintf("New comment on ticket #%d: %s", t.ID, t.Title), Body: b.String()})
	return err
}

func (s *Service) writeSummary(b *strings.Builder, t *Ticket) {
	fmt.Fprintf(b, "Title:    %s\nContact:  %s\nPriority: %s\nStatus:   %s\n\nOpen the ticket: %s%s\n",
		t.Title, t.ContactName, PriorityLabel(t.Priority), StatusLabel(t.Status), s.BaseURL, URL(t.ID))
}

func actorName(v contact.Viewer) string {
	if v.Name != "" {
		return v.Name
	}
	return "Someone"
}
