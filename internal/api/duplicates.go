package api

import (
	"context"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// DuplicatePair is two contacts that look like the same person or entity.
type DuplicatePair struct {
	A       ContactSummary `json:"a" doc:"The contact with the lower id"`
	B       ContactSummary `json:"b"`
	Reasons []string       `json:"reasons" doc:"Why they look alike, e.g. \"same email ann@example.com\" or \"same ID number\""`
}

func duplicateOut(d contact.Duplicate) DuplicatePair {
	return DuplicatePair{A: summaryOut(d.A), B: summaryOut(d.B), Reasons: nonNil(d.Reasons)}
}

type duplicateListOutput struct {
	Body struct {
		Items      []DuplicatePair `json:"items"`
		NextCursor string          `json:"next_cursor" doc:"Empty: this is the last page (a contact's duplicates always come on one page)"`
		ScannedAt  *time.Time      `json:"scanned_at,omitempty" doc:"When the whole book was last checked (the book list only)"`
	}
}

func (x *API) contactDuplicates(ctx context.Context, in *contactIDInput) (*duplicateListOutput, error) {
	v := viewer(ctx)
	if _, err := x.loadContact(ctx, v, in.ID, true, "/duplicates"); err != nil {
		return nil, err
	}
	ds, err := x.Contacts.DuplicatesOf(ctx, v, in.ID)
	if err != nil {
		return nil, x.readProblem(ctx, err, "/duplicates")
	}
	out := &duplicateListOutput{}
	out.Body.Items = listOf(ds, duplicateOut)
	return out, nil
}

type duplicatesInput struct {
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"At most this many pairs"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
}

func (x *API) listDuplicates(ctx context.Context, in *duplicatesInput) (*duplicateListOutput, error) {
	if at, err := x.Contacts.DuplicatesScannedAt(ctx); err == nil && at.IsZero() {
		// Never checked: check once now, so the first answer is not empty.
		if _, err := x.Contacts.ScanDuplicates(ctx); err != nil {
			return nil, x.problem(ctx, err)
		}
	}
	page, err := x.Contacts.Duplicates(ctx, viewer(ctx), in.Cursor, in.Limit)
	if err != nil {
		return nil, x.problemAt(ctx, err, inQuery)
	}
	out := &duplicateListOutput{}
	out.Body.Items = listOf(page.Pairs, duplicateOut)
	out.Body.NextCursor = page.Next
	if !page.ScannedAt.IsZero() {
		out.Body.ScannedAt = &page.ScannedAt
	}
	return out, nil
}

type scanOutput struct {
	Body struct {
		Pairs     int       `json:"pairs" doc:"How many likely duplicate pairs the check found in the whole book, before dismissed pairs and contacts you cannot see are left out"`
		ScannedAt time.Time `json:"scanned_at"`
	}
}

func (x *API) scanDuplicates(ctx context.Context, _ *struct{}) (*scanOutput, error) {
	n, err := x.Contacts.ScanDuplicatesFor(ctx, viewer(ctx))
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &scanOutput{}
	out.Body.Pairs = n
	if out.Body.ScannedAt, err = x.Contacts.DuplicatesScannedAt(ctx); err != nil {
		return nil, x.problem(ctx, err)
	}
	return out, nil
}

type dismissInput struct {
	Body struct {
		A int64 `json:"a" minimum:"1" doc:"A contact id"`
		B int64 `json:"b" minimum:"1" doc:"The other contact's id"`
	}
}

func (x *API) dismissDuplicate(ctx context.Context, in *dismissInput) (*struct{}, error) {
	if in.Body.A == in.Body.B {
		return nil, x.problem(ctx, errs.FieldErrors(map[string]string{"b": "choose two different contacts"}))
	}
	if err := x.Contacts.DismissDuplicate(ctx, viewer(ctx), in.Body.A, in.Body.B); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}

// MergeTake says, field by field, whose value a merge keeps.
type MergeTake map[string]string

// Schema lists the fields a merge chooses between, from the domain, so
// that an unknown field or side is refused before anything is merged.
func (MergeTake) Schema(huma.Registry) *huma.Schema {
	props := map[string]*huma.Schema{}
	for _, f := range contact.MergeFields {
		props[f] = &huma.Schema{Type: huma.TypeString, Enum: []any{"survivor", "other"}}
	}
	s := &huma.Schema{Type: huma.TypeObject, Properties: props, AdditionalProperties: false,
		Description: "For each field, survivor (the default) keeps this contact's value, other takes the merged contact's. " +
			"Lists (emails, phones, addresses, identifiers, bank accounts, documents, tags, groups, relationships) always keep both."}
	s.PrecomputeMessages()
	return s
}

type mergeInput struct {
	ID   int64 `path:"id" doc:"The contact that stays"`
	Body struct {
		OtherID int64     `json:"other_id" minimum:"1" doc:"The contact merged into this one. Afterwards its id answers 301 with this contact's URL."`
		Take    MergeTake `json:"take,omitempty"`
		Version int       `json:"version,omitempty" minimum:"1" doc:"The version of this contact the choices in take were made on; a newer one answers 409. Or send If-Match."`
		// OtherVersion is checked like Version, for other_id.
		OtherVersion int `json:"other_version,omitempty" minimum:"1" doc:"The version of other_id the choices were made on; a newer one answers 409"`
	}
	IfMatch string `header:"If-Match" doc:"The ETag of this contact the choices were made on (instead of version)"`
}

// mergeFields names the domain's merge errors where the request has them.
var mergeFields = fieldsIn{in: "body", rename: map[string]string{"owner_id": "take.owner_id"}}

// mergeContacts folds other_id into the contact of the path and answers
// with the result.
func (x *API) mergeContacts(ctx context.Context, in *mergeInput) (*contactOutput, error) {
	v := viewer(ctx)
	otherID := in.Body.OtherID
	if _, err := x.loadContact(ctx, v, in.ID, false, ""); err != nil {
		return nil, err
	}
	if otherID == in.ID {
		return nil, x.problem(ctx, errs.FieldErrors(map[string]string{"other_id": "choose another contact than the one that stays"}))
	}
	if _, err := x.otherContact(ctx, v, otherID, " already"); err != nil {
		return nil, err
	}
	base := contact.MergeBase{Survivor: in.Body.Version, Other: in.Body.OtherVersion}
	if base.Survivor == 0 {
		var err error
		if base.Survivor, err = ifMatchVersion(in.IfMatch); err != nil {
			return nil, err
		}
	}
	if err := x.Contacts.Merge(ctx, v, in.ID, otherID, in.Body.Take, base); err != nil {
		return nil, x.problemAt(ctx, err, mergeFields)
	}
	return x.changedContact(ctx, v, in.ID)
}
