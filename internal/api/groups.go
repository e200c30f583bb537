package api

import (
	"context"
	"time"

	"github.com/foliocrm/folio/internal/contact"
)

// Group is a hand-picked list of contacts; list its members with
// GET /contacts?group=ID.
type Group struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Members     int       `json:"members" doc:"How many of its contacts you can see (not counting the trash)"`
	CreatedAt   time.Time `json:"created_at"`
}

func groupOut(g contact.Group) Group {
	return Group{ID: g.ID, Name: g.Name, Description: g.Description, Members: g.Members, CreatedAt: g.CreatedAt.UTC()}
}

// group finds one group as the caller sees it.
func (x *API) group(ctx context.Context, id int64) (Group, error) {
	g, err := x.Contacts.Group(ctx, viewer(ctx), id)
	if err != nil {
		return Group{}, err
	}
	return groupOut(g), nil
}

type groupListOutput struct {
	Body struct {
		Items      []Group `json:"items"`
		NextCursor string  `json:"next_cursor" doc:"Always empty: the groups come on one page, by name"`
	}
}

func (x *API) listGroups(ctx context.Context, _ *struct{}) (*groupListOutput, error) {
	gs, err := x.Contacts.Groups(ctx, viewer(ctx))
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &groupListOutput{}
	out.Body.Items = listOf(gs, groupOut)
	return out, nil
}

type groupIDInput struct {
	ID int64 `path:"id" doc:"Group id"`
}

type groupOutput struct {
	Body Group
}

func (x *API) getGroup(ctx context.Context, in *groupIDInput) (*groupOutput, error) {
	g, err := x.group(ctx, in.ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return &groupOutput{Body: g}, nil
}

type createGroupInput struct {
	Body struct {
		Name        string `json:"name" minLength:"1" maxLength:"100" doc:"Unique"`
		Description string `json:"description,omitempty" maxLength:"500"`
	}
}

type createdGroupOutput struct {
	Location string `header:"Location" doc:"The new group's URL"`
	Body     Group
}

func (x *API) createGroup(ctx context.Context, in *createGroupInput) (*createdGroupOutput, error) {
	id, err := x.Contacts.SaveGroup(ctx, viewer(ctx), 0, in.Body.Name, in.Body.Description)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	g, err := x.group(ctx, id)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return &createdGroupOutput{Location: Prefix + "/groups/" + itoa(id), Body: g}, nil
}

type updateGroupInput struct {
	ID   int64 `path:"id" doc:"Group id"`
	Body struct {
		Name        *string `json:"name,omitempty" minLength:"1" maxLength:"100"`
		Description *string `json:"description,omitempty" maxLength:"500"`
	}
}

func (x *API) updateGroup(ctx context.Context, in *updateGroupInput) (*groupOutput, error) {
	g, err := x.group(ctx, in.ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	if in.Body.Name != nil {
		g.Name = *in.Body.Name
	}
	if in.Body.Description != nil {
		g.Description = *in.Body.Description
	}
	if _, err := x.Contacts.SaveGroup(ctx, viewer(ctx), g.ID, g.Name, g.Description); err != nil {
		return nil, x.problem(ctx, err)
	}
	return x.getGroup(ctx, &groupIDInput{ID: g.ID})
}

func (x *API) deleteGroup(ctx context.Context, in *groupIDInput) (*struct{}, error) {
	if err := x.Contacts.DeleteGroup(ctx, viewer(ctx), in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}

type addMembersInput struct {
	ID   int64 `path:"id" doc:"Group id"`
	Body struct {
		ContactIDs []int64 `json:"contact_ids" minItems:"1" maxItems:"10000" doc:"Contacts already in the group, or not visible to you, are skipped"`
	}
}

func (x *API) addMembers(ctx context.Context, in *addMembersInput) (*changedOutput, error) {
	if _, err := x.group(ctx, in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	n, err := x.Contacts.AddToGroup(ctx, viewer(ctx), in.ID, in.Body.ContactIDs...)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &changedOutput{}
	out.Body.Changed = n
	return out, nil
}

type removeMemberInput struct {
	ID        int64 `path:"id" doc:"Group id"`
	ContactID int64 `path:"contact_id" doc:"Contact id"`
}

func (x *API) removeMember(ctx context.Context, in *removeMemberInput) (*struct{}, error) {
	if _, err := x.group(ctx, in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	if err := x.Contacts.RemoveFromGroup(ctx, viewer(ctx), in.ID, in.ContactID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}
