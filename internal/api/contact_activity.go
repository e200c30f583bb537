package api

import (
	"context"

	"github.com/foliocrm/folio/internal/audit"
)

func activityOut(r audit.Record) Activity {
	return Activity{ID: r.ID, At: r.At, ActorType: string(r.ActorType), ActorID: r.ActorID, Actor: r.ActorName,
		Channel: string(r.Channel), IP: r.IP, Entity: r.Entity, EntityID: r.EntityID, Action: r.Action, Changes: r.Changes, Hash: r.Hash}
}

type contactActivityInput struct {
	ID     int64  `path:"id" doc:"Contact id"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

// contactActivity is a contact's history, newest first: its own rows of
// the activity log and those of the contacts merged into it. It needs only
// the right to see the contact, not the whole log.
func (x *API) contactActivity(ctx context.Context, in *contactActivityInput) (*activityOutput, error) {
	if _, err := x.loadContact(ctx, viewer(ctx), in.ID, true, "/activity"); err != nil {
		return nil, err
	}
	f := audit.Filter{Entity: "contact", Limit: in.Limit}
	if err := beforeCursor(&f, in.Cursor); err != nil {
		return nil, err
	}
	var err error
	if f.EntityIDs, err = x.Contacts.HistoryIDs(ctx, in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return x.activityPage(ctx, f)
}
