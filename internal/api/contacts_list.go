package api

import (
	"context"
	"fmt"

	"github.com/danielgtaylor/huma/v2"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// listContactsInput is the query string of GET /contacts.
type listContactsInput struct {
	Q        string `query:"q" maxLength:"200" doc:"Search as you type: prefixes of names, email addresses, phone numbers or the external id"`
	Category int64  `query:"category" minimum:"1" doc:"Only this category (an id from GET /api/v1/contact-categories)"`
	Stage    string `query:"stage" maxLength:"50" doc:"Only this onboarding stage, e.g. approved (the stage values of the Contact schema)"`
	Owner    int64  `query:"owner" minimum:"1" doc:"Only contacts owned by this user id"`
	Group    int64  `query:"group" minimum:"1" doc:"Only members of this group id"`
	Tag      string `query:"tag" maxLength:"50" doc:"Only contacts with this tag"`
	Sort     string `query:"sort" maxLength:"50" doc:"Column to sort by: name, category, stage, owner, email, phone, completeness, tags, city, last_activity or created (field names such as last_name, created_at or last_activity_at work too); prefix - for descending, e.g. -created. Default: by name, or by best match when q is set."`
	Cursor   string `query:"cursor" maxLength:"2000" doc:"next_cursor of the previous page; keep the other parameters the same"`
	Limit    int    `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Contacts per page"`
	Segment  int64  `query:"segment" minimum:"1" doc:"Only contacts matching this segment id (see GET /api/v1/segments)"`
}

// Condition is one line of an advanced search.
type Condition struct {
	Field string `json:"field" options:"search_field" doc:"What to compare"`
	Op    string `json:"op" options:"search_op" doc:"Text fields: equals, not_equals, contains, starts_with, is_empty, is_not_empty; lists: equals, not_equals, is_empty, is_not_empty; dates: equals, before, after, is_empty, is_not_empty; numbers and amounts: equals, not_equals, greater, less"`
	Value string `json:"value,omitempty" maxLength:"200" doc:"Dates as YYYY-MM-DD, amounts like 1250.50; not needed for is_empty and is_not_empty"`
}

// TransformSchema lists fields and operators as enums.
func (Condition) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return withOptions[Condition](s)
}

// domainConditions are conditions as the domain takes them; nil for none.
func domainConditions(cs []Condition) []contact.Condition {
	var out []contact.Condition
	for _, c := range cs {
		out = append(out, contact.Condition{Field: c.Field, Op: c.Op, Value: c.Value})
	}
	return out
}

func conditionOut(c contact.Condition) Condition {
	return Condition{Field: c.Field, Op: c.Op, Value: c.Value}
}

// SearchRequest is the body of POST /contacts/search: the list's filters
// plus conditions.
type SearchRequest struct {
	Match      string      `json:"match,omitempty" enum:"all,any" default:"all" doc:"Whether every condition must hold, or any one"`
	Conditions []Condition `json:"conditions,omitempty" maxItems:"5"`
	Q          string      `json:"q,omitempty" maxLength:"200" doc:"As q of GET /api/v1/contacts"`
	Category   int64       `json:"category,omitempty" minimum:"1" doc:"Category id"`
	Stage      string      `json:"stage,omitempty" maxLength:"50" doc:"Onboarding stage"`
	Owner      int64       `json:"owner,omitempty" minimum:"1" doc:"Owner's user id"`
	Group      int64       `json:"group,omitempty" minimum:"1" doc:"Group id"`
	Tag        string      `json:"tag,omitempty" maxLength:"50"`
	Segment    int64       `json:"segment,omitempty" minimum:"1" doc:"Segment id: its conditions are combined with the others by all"`
	Sort       string      `json:"sort,omitempty" maxLength:"50" doc:"As sort of GET /api/v1/contacts"`
	Cursor     string      `json:"cursor,omitempty" maxLength:"2000" doc:"next_cursor of the previous page; keep the rest of the body the same"`
	Limit      int         `json:"limit,omitempty" minimum:"1" maximum:"200" default:"50"`
}

type searchInput struct {
	Body SearchRequest
}

type contactListOutput struct {
	Body struct {
		Items      []ContactSummary `json:"items"`
		NextCursor string           `json:"next_cursor" doc:"Pass as cursor for the next page; empty on the last page"`
	}
}

func (x *API) listContacts(ctx context.Context, in *listContactsInput) (*contactListOutput, error) {
	q := contact.Query{Q: in.Q, Category: in.Category, Stage: in.Stage, Owner: in.Owner, Group: in.Group, Tag: in.Tag,
		Segment: in.Segment, Sort: in.Sort, Cursor: in.Cursor, Limit: in.Limit}
	return x.contactPage(ctx, q, inQuery)
}

func (x *API) searchContacts(ctx context.Context, in *searchInput) (*contactListOutput, error) {
	b := in.Body
	q := contact.Query{Q: b.Q, Category: b.Category, Stage: b.Stage, Owner: b.Owner, Group: b.Group, Tag: b.Tag,
		Segment: b.Segment, Match: b.Match, Conditions: domainConditions(b.Conditions), Sort: b.Sort, Cursor: b.Cursor, Limit: b.Limit}
	return x.contactPage(ctx, q, inBody)
}

func (x *API) contactPage(ctx context.Context, q contact.Query, f fieldsIn) (*contactListOutput, error) {
	if err := x.checkFilterIDs(ctx, q); err != nil {
		return nil, x.problemAt(ctx, err, f)
	}
	page, err := x.Contacts.List(ctx, viewer(ctx), q)
	if err != nil {
		return nil, x.problemAt(ctx, err, f)
	}
	out := &contactListOutput{}
	out.Body.Items = listOf(page.Rows, summaryOut)
	out.Body.NextCursor = page.NextCursor
	return out, nil
}

func summaryOut(r contact.Row) ContactSummary {
	return ContactSummary{ID: r.ID, Kind: string(r.Kind), Name: r.Name, CategoryID: r.CategoryID, Stage: r.Stage, OwnerID: r.OwnerID,
		Email: r.Email, Phone: r.Phone, City: r.City, Tags: nonNil(r.Tags), Completeness: r.Completeness,
		LastActivityAt: r.LastActivity, CreatedAt: r.Created}
}

// checkFilterIDs refuses filters by a category, owner or group that does
// not exist: a typo must not look like an empty result.
func (x *API) checkFilterIDs(ctx context.Context, q contact.Query) error {
	fe := errs.Collector{}
	if q.Category != 0 {
		cats, err := x.Contacts.Categories(ctx)
		if err != nil {
			return err
		}
		found := false
		for _, c := range cats {
			found = found || c.ID == q.Category
		}
		if !found {
			fe.Add("category", fmt.Sprintf("there is no category %d; see GET %s/contact-categories", q.Category, Prefix))
		}
	}
	if q.Owner != 0 {
		if _, err := x.Auth.UserByID(ctx, q.Owner); errs.Is(err, errs.NotFound) {
			fe.Add("owner", fmt.Sprintf("there is no user %d", q.Owner))
		} else if err != nil {
			return err
		}
	}
	if q.Group != 0 {
		if _, err := x.group(ctx, q.Group); errs.Is(err, errs.NotFound) {
			fe.Add("group", fmt.Sprintf("there is no group %d; see GET %s/groups", q.Group, Prefix))
		} else if err != nil {
			return err
		}
	}
	return fe.Err()
}
