package api

import (
	"context"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// Segment is a saved advanced search. Its members are computed when it is
// used: list them with GET /contacts?segment=ID.
type Segment struct {
	ID         int64       `json:"id"`
	Name       string      `json:"name"`
	Match      string      `json:"match" enum:"all,any" doc:"Whether every condition must hold, or any one"`
	Conditions []Condition `json:"conditions"`
	Count      int         `json:"count" doc:"How many contacts you can see match it now (not counting the trash)"`
	CreatedBy  int64       `json:"created_by" doc:"The user who created it; 0 when not known"`
	CreatedAt  time.Time   `json:"created_at"`
	UpdatedAt  time.Time   `json:"updated_at"`
}

// SegmentRequest creates or replaces a segment.
type SegmentRequest struct {
	Name       string      `json:"name" minLength:"1" maxLength:"100" doc:"Unique"`
	Match      string      `json:"match,omitempty" enum:"all,any" default:"all" doc:"Whether every condition must hold, or any one"`
	Conditions []Condition `json:"conditions" minItems:"1" maxItems:"5" doc:"As the conditions of POST /api/v1/contacts/search"`
}

// segmentOut is a segment with its size as v sees it now.
func (x *API) segmentOut(ctx context.Context, v contact.Viewer, g *contact.Segment) (Segment, error) {
	n, err := x.Contacts.Count(ctx, v, contact.Query{Segment: g.ID}, 0)
	if err != nil {
		return Segment{}, err
	}
	return Segment{ID: g.ID, Name: g.Name, Match: g.Match, Conditions: listOf(g.Conditions, conditionOut), Count: n,
		CreatedBy: g.CreatedBy, CreatedAt: g.CreatedAt.UTC(), UpdatedAt: g.UpdatedAt.UTC()}, nil
}

type segmentListOutput struct {
	Body struct {
		Items      []Segment `json:"items"`
		NextCursor string    `json:"next_cursor" doc:"Always empty: the segments come on one page, by name"`
	}
}

func (x *API) listSegments(ctx context.Context, _ *struct{}) (*segmentListOutput, error) {
	v := viewer(ctx)
	gs, err := x.Contacts.Segments(ctx)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &segmentListOutput{}
	out.Body.Items = make([]Segment, 0, len(gs))
	for i := range gs {
		s, err := x.segmentOut(ctx, v, &gs[i])
		if err != nil {
			return nil, x.problem(ctx, err)
		}
		out.Body.Items = append(out.Body.Items, s)
	}
	return out, nil
}

type segmentIDInput struct {
	ID int64 `path:"id" doc:"Segment id"`
}

type segmentOutput struct {
	Body Segment
}

func (x *API) getSegment(ctx context.Context, in *segmentIDInput) (*segmentOutput, error) {
	g, err := x.Contacts.GetSegment(ctx, in.ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	s, err := x.segmentOut(ctx, viewer(ctx), g)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return &segmentOutput{Body: s}, nil
}

type createSegmentInput struct {
	Body SegmentRequest
}

type createdSegmentOutput struct {
	Location string `header:"Location" doc:"The new segment's URL"`
	Body     Segment
}

func (x *API) createSegment(ctx context.Context, in *createSegmentInput) (*createdSegmentOutput, error) {
	b := in.Body
	id, err := x.Contacts.SaveSegment(ctx, viewer(ctx), 0, b.Name, b.Match, domainConditions(b.Conditions))
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	got, err := x.getSegment(ctx, &segmentIDInput{ID: id})
	if err != nil {
		return nil, err
	}
	return &createdSegmentOutput{Location: Prefix + "/segments/" + itoa(id), Body: got.Body}, nil
}

type updateSegmentInput struct {
	ID   int64 `path:"id" doc:"Segment id"`
	Body SegmentRequest
}

func (x *API) updateSegment(ctx context.Context, in *updateSegmentInput) (*segmentOutput, error) {
	b := in.Body
	if _, err := x.Contacts.GetSegment(ctx, in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	// The domain's update cannot report a taken name (it fails on the
	// result of the refused UPDATE), so look first; the unique index still
	// guards against a race.
	gs, err := x.Contacts.Segments(ctx)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	for _, g := range gs {
		if g.ID != in.ID && g.Name == strings.TrimSpace(b.Name) {
			return nil, x.problem(ctx, errs.FieldErrors(map[string]string{"name": "a segment with this name already exists"}))
		}
	}
	if _, err := x.Contacts.SaveSegment(ctx, viewer(ctx), in.ID, b.Name, b.Match, domainConditions(b.Conditions)); err != nil {
		return nil, x.problem(ctx, err)
	}
	return x.getSegment(ctx, &segmentIDInput{ID: in.ID})
}

func (x *API) deleteSegment(ctx context.Context, in *segmentIDInput) (*struct{}, error) {
	if err := x.Contacts.DeleteSegment(ctx, viewer(ctx), in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}
