package api

import (
	"context"
	"errors"
	"fmt"

	"github.com/danielgtaylor/huma/v2"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

type revealInput struct {
	ID   int64 `path:"id" doc:"Contact id"`
	Body struct {
		Field string `json:"field" enum:"identifier,iban,account" doc:"identifier: the number of an entry of identifiers; iban or account: the IBAN or account number of an entry of bank_accounts"`
		ID    int64  `json:"id" minimum:"1" doc:"The id of the identifier or bank account"`
	}
}

type revealOutput struct {
	CacheControl string `header:"Cache-Control" doc:"no-store: the value must not be kept by caches"`
	Body         struct {
		Value string `json:"value" doc:"The clear value"`
	}
}

// reveal returns one encrypted value in clear. The domain records who saw
// what in the activity log.
func (x *API) reveal(ctx context.Context, in *revealInput) (*revealOutput, error) {
	val, err := x.Contacts.Reveal(ctx, viewer(ctx), in.ID, in.Body.Field, in.Body.ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &revealOutput{CacheControl: "no-store"}
	out.Body.Value = val
	return out, nil
}

type tagsInput struct {
	ID   int64 `path:"id" doc:"Contact id"`
	Body struct {
		Tags []string `json:"tags" maxItems:"20" maxLength:"50" doc:"The contact's tags, replacing the ones it has. Stored in lower case; no commas."`
	}
}

type tagsOutput struct {
	Body struct {
		Tags []string `json:"tags" doc:"The contact's tags now, sorted"`
	}
}

func (x *API) setTags(ctx context.Context, in *tagsInput) (*tagsOutput, error) {
	v := viewer(ctx)
	if err := x.Contacts.SetTags(ctx, v, in.ID, in.Body.Tags); err != nil {
		return nil, x.problem(ctx, err)
	}
	c, err := x.loadContact(ctx, v, in.ID, false, "")
	if err != nil {
		return nil, err
	}
	out := &tagsOutput{}
	out.Body.Tags = nonNil(c.Tags)
	return out, nil
}

// Relationship is a link between two contacts, seen from one of them.
type Relationship struct {
	ID        int64  `json:"id" doc:"0 for a joint account holding, which changes with the joint account itself"`
	Kind      string `json:"kind" doc:"A kind of POST, or joint_holder"`
	Label     string `json:"label" doc:"How this contact relates to the other, e.g. Trustee of, Spouse"`
	OtherID   int64  `json:"other_id"`
	OtherName string `json:"other_name"`
	OtherKind string `json:"other_kind" options:"kind"`
}

// TransformSchema lists the contact kinds as an enum.
func (Relationship) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return withOptions[Relationship](s)
}

type relationshipListOutput struct {
	Body struct {
		Items      []Relationship `json:"items"`
		NextCursor string         `json:"next_cursor" doc:"Always empty: a contact's relationships come on one page"`
	}
}

func (x *API) listRelationships(ctx context.Context, in *contactIDInput) (*relationshipListOutput, error) {
	v := viewer(ctx)
	if _, err := x.loadContact(ctx, v, in.ID, true, "/relationships"); err != nil {
		return nil, err
	}
	rels, err := x.relationships(ctx, v, in.ID)
	if err != nil {
		return nil, err
	}
	out := &relationshipListOutput{}
	out.Body.Items = rels
	return out, nil
}

// relationships lists a contact's relationships as v may see them (the
// domain leaves out the contacts an advisor limited to their own contacts
// may not see).
func (x *API) relationships(ctx context.Context, v contact.Viewer, id int64) ([]Relationship, error) {
	rels, err := x.Contacts.Relationships(ctx, v, id)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return listOf(rels, func(r contact.Relationship) Relationship {
		return Relationship{ID: r.ID, Kind: r.Kind, Label: r.Label, OtherID: r.OtherID, OtherName: r.OtherName,
			OtherKind: string(r.OtherKind)}
	}), nil
}

// otherContact reads the contact other_id names: one that was merged
// (merged says what to do then), erased or not visible is an error of
// that field.
func (x *API) otherContact(ctx context.Context, v contact.Viewer, id int64, merged string) (*contact.Contact, error) {
	c, err := x.Contacts.Get(ctx, v, id)
	var moved *contact.MovedError
	switch {
	case errors.As(err, &moved):
		err = errs.FieldErrors(map[string]string{"other_id": fmt.Sprintf("contact %d was merged into contact %d%s", id, moved.To, merged)})
	case err == nil && c.ErasedAt != nil, errs.Is(err, errs.NotFound):
		err = errs.FieldErrors(map[string]string{"other_id": fmt.Sprintf("there is no contact %d, or it is not one of yours", id)})
	}
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return c, nil
}

// RelationshipRequest links a contact to another.
type RelationshipRequest struct {
	Kind         string `json:"kind" options:"relation_kind" doc:"spouse; parent (this contact is the other's parent); employer (this contact employs the other); referred (this contact referred the other); household_member (this contact is the other's household); the entity roles owner, trustee, beneficiary, authorised_signer and member link an entity and a person, given in either order; custom takes label and reverse_label"`
	OtherID      int64  `json:"other_id" minimum:"1" doc:"The contact to link to"`
	Label        string `json:"label,omitempty" maxLength:"50" doc:"custom only: how this contact relates to the other"`
	ReverseLabel string `json:"reverse_label,omitempty" maxLength:"50" doc:"custom only: how the other contact relates to this one"`
}

// TransformSchema lists the kinds as an enum.
func (RelationshipRequest) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return withOptions[RelationshipRequest](s)
}

type relateInput struct {
	ID   int64 `path:"id" doc:"Contact id"`
	Body RelationshipRequest
}

type relationshipOutput struct {
	Body Relationship
}

func (x *API) relate(ctx context.Context, in *relateInput) (*relationshipOutput, error) {
	v := viewer(ctx)
	b := in.Body
	self, err := x.loadContact(ctx, v, in.ID, false, "")
	if err != nil {
		return nil, err
	}
	other, err := x.otherContact(ctx, v, b.OtherID, "; link to that one")
	if err != nil {
		return nil, err
	}
	// Entity roles are stored entity first; the caller may name the two in
	// either order.
	a, bID := self.ID, other.ID
	for _, t := range contact.RelationTypes {
		if t.Key == b.Kind && t.EntityRole && !self.Kind.IsEntity() && other.Kind.IsEntity() {
			a, bID = other.ID, self.ID
		}
	}
	label, reverse := b.Label, b.ReverseLabel
	if a != self.ID {
		label, reverse = reverse, label
	}
	rid, err := x.Contacts.Relate(ctx, v, a, bID, b.Kind, label, reverse)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	rels, err := x.relationships(ctx, v, in.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		if r.ID == rid {
			return &relationshipOutput{Body: r}, nil
		}
	}
	return nil, x.problem(ctx, fmt.Errorf("api: relationship %d not listed after creating it", rid))
}

type unrelateInput struct {
	ID             int64 `path:"id" doc:"Contact id"`
	RelationshipID int64 `path:"rid" doc:"Relationship id"`
}

func (x *API) unrelate(ctx context.Context, in *unrelateInput) (*struct{}, error) {
	if err := x.Contacts.Unrelate(ctx, viewer(ctx), in.ID, in.RelationshipID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}

type bulkInput struct {
	Body struct {
		Action     string  `json:"action" enum:"owner,group,tag,delete" doc:"owner: give the contacts to owner_id; group: add them to group_id; tag: add tag; delete: move them to the trash"`
		ContactIDs []int64 `json:"contact_ids" minItems:"1" maxItems:"10000" doc:"Contacts you cannot see are skipped"`
		OwnerID    int64   `json:"owner_id,omitempty" doc:"For owner"`
		GroupID    int64   `json:"group_id,omitempty" doc:"For group"`
		Tag        string  `json:"tag,omitempty" maxLength:"50" doc:"For tag"`
	}
}

type changedOutput struct {
	Body struct {
		Changed int `json:"changed" doc:"How many contacts changed; ones already as asked, or not visible to you, are not counted"`
	}
}

func (x *API) bulk(ctx context.Context, in *bulkInput) (*changedOutput, error) {
	b := in.Body
	n, err := x.Contacts.ApplyBulk(ctx, viewer(ctx), contact.Bulk{IDs: b.ContactIDs, Action: b.Action, OwnerID: b.OwnerID,
		GroupID: b.GroupID, Tag: b.Tag})
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &changedOutput{}
	out.Body.Changed = n
	return out, nil
}

// Category is one of the firm's contact categories.
type Category struct {
	ID   int64  `json:"id"`
	Key  string `json:"key" doc:"A stable name for scripts"`
	Name string `json:"name" doc:"The name shown to users; admins may rename it"`
}

type categoryListOutput struct {
	Body struct {
		Items      []Category `json:"items"`
		NextCursor string     `json:"next_cursor" doc:"Always empty: the categories come on one page"`
	}
}

func (x *API) listCategories(ctx context.Context, _ *struct{}) (*categoryListOutput, error) {
	cats, err := x.Contacts.Categories(ctx)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &categoryListOutput{}
	out.Body.Items = listOf(cats, func(c contact.Category) Category { return Category{ID: c.ID, Key: c.Key, Name: c.Name} })
	return out, nil
}
