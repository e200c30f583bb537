package api

import (
	"context"
	"net/http"

	"github.com/foliocrm/folio/internal/contact"
)

// SavedView is one of the caller's named states of the contact list.
type SavedView struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Query string `json:"query" doc:"The contact list's URL query, e.g. stage=approved&sort=-created (the parameters of GET /api/v1/contacts); kept without cursor"`
}

type viewListOutput struct {
	Body struct {
		Items      []SavedView `json:"items"`
		NextCursor string      `json:"next_cursor" doc:"Always empty: your views come on one page, by name"`
	}
}

func (x *API) views(ctx context.Context, v contact.Viewer) ([]SavedView, error) {
	vs, err := x.Contacts.SavedViews(ctx, v)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return listOf(vs, func(sv contact.SavedView) SavedView {
		return SavedView{ID: sv.ID, Name: sv.Name, Query: sv.Query}
	}), nil
}

func (x *API) listViews(ctx context.Context, _ *struct{}) (*viewListOutput, error) {
	vs, err := x.views(ctx, viewer(ctx))
	if err != nil {
		return nil, err
	}
	out := &viewListOutput{}
	out.Body.Items = vs
	return out, nil
}

type saveViewInput struct {
	Body struct {
		Name  string `json:"name" minLength:"1" maxLength:"60" doc:"A view of the same name is replaced"`
		Query string `json:"query" maxLength:"4000"`
	}
}

type savedViewOutput struct {
	Status int
	Body   SavedView
}

// saveView stores a view: 201 when it is new, 200 when it replaced the
// caller's view of the same name.
func (x *API) saveView(ctx context.Context, in *saveViewInput) (*savedViewOutput, error) {
	v := viewer(ctx)
	before, err := x.views(ctx, v)
	if err != nil {
		return nil, err
	}
	id, err := x.Contacts.SaveView(ctx, v, in.Body.Name, in.Body.Query)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &savedViewOutput{Status: http.StatusCreated}
	for _, sv := range before {
		if sv.ID == id {
			out.Status = http.StatusOK
		}
	}
	after, err := x.views(ctx, v)
	if err != nil {
		return nil, err
	}
	for _, sv := range after {
		if sv.ID == id {
			out.Body = sv
		}
	}
	return out, nil
}

type viewIDInput struct {
	ID int64 `path:"id" doc:"Saved view id"`
}

func (x *API) deleteView(ctx context.Context, in *viewIDInput) (*struct{}, error) {
	if err := x.Contacts.DeleteView(ctx, viewer(ctx), in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}
