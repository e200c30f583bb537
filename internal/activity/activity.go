// Package activity owns what staff record about a contact over time —
// notes now, tasks and calendar events next — and each contact's timeline,
// which shows them with the emails, tickets and stage changes of the other
// packages, newest first.
//
// Every item on a timeline has a row in the timeline table, written in the
// same transaction as the item itself; the packages that own emails and
// tickets add theirs with AddToTimeline.
package activity

import (
	"context"
	"fmt"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
)

// Service is the activity service.
type Service struct {
	DB       *db.DB
	Contacts *contact.Service
	// BaseURL is the public address (FOLIO_BASE_URL) the links in
	// reminder emails start with; without it they give the path only.
	BaseURL string
	loaders map[string]Loader
}

// New returns the activity service.
func New(d *db.DB, contacts *contact.Service) *Service {
	s := &Service{DB: d, Contacts: contacts}
	s.RegisterKind(KindStage, s.StageSummaries)
	return s
}

// Kinds of timeline items.
const (
	KindNote   = "note"
	KindTask   = "task"
	KindEvent  = "event"
	KindEmail  = "email"
	KindTicket = "ticket"
	KindStage  = "stage"
)

// Kinds lists the kinds a timeline can be filtered by, with labels.
var Kinds = []contact.Option{
	{Key: KindNote, Label: "Notes"}, {Key: KindTask, Label: "Tasks"}, {Key: KindEvent, Label: "Events"},
	{Key: KindEmail, Label: "Emails"}, {Key: KindTicket, Label: "Tickets"}, {Key: KindStage, Label: "Stage changes"},
}

// AddToTimeline puts item ref of kind on contact's timeline at the time
// given, inside tx (the transaction that stores the item).
func AddToTimeline(ctx context.Context, tx *db.Tx, contactID int64, kind string, ref int64, actor int64, at any) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO timeline (contact_id, at, kind, ref_id, actor_id) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, ref_id, contact_id) DO NOTHING`, contactID, at, kind, ref, db.NullID(actor))
	if err != nil {
		return fmt.Errorf("activity: add to timeline: %w", err)
	}
	return nil
}

// RemoveFromTimeline takes item ref of kind off every timeline.
func RemoveFromTimeline(ctx context.Context, tx *db.Tx, kind string, ref int64) error {
	_, err := tx.ExecContext(ctx, "DELETE FROM timeline WHERE kind = ? AND ref_id = ?", kind, ref)
	return err
}

// StageSummaries shows stage changes on the timeline: "Stage: Invited →
// Registered", and through which door it came.
func (s *Service) StageSummaries(ctx context.Context, ids []int64) (map[int64]Summary, error) {
	changes, err := s.Contacts.StageChanges(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Summary, len(changes))
	for id, c := range changes {
		out[id] = Summary{
			Title:  fmt.Sprintf("Stage: %s → %s", contact.LabelOf(contact.Stages, c.From), contact.LabelOf(contact.Stages, c.To)),
			Detail: channelDetail[c.Channel],
		}
	}
	return out, nil
}

var channelDetail = map[string]string{
	"ui": "Changed in Folio", "api": "Changed through the API", "import": "Changed by an import",
	"portal": "Changed in the client portal", "system": "Changed by Folio",
}
