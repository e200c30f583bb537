package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// Problem is an RFC 9457 problem document with Folio's extension members,
// for the errors a client needs more than a message to recover from.
type Problem struct {
	huma.ErrorModel
	CurrentVersion int             `json:"current_version,omitempty" doc:"409 after a stale edit: the contact's version now. Review changes, then send your edit again with this version."`
	Changes        []ContactChange `json:"changes,omitempty" doc:"409 after a stale edit: what others changed since the version you sent, oldest first."`
	Editor         *Editor         `json:"editor,omitempty" doc:"423: who is editing the contact in the staff UI, and until when at the latest."`
	MergedInto     int64           `json:"merged_into,omitempty" doc:"The contact this one was merged into; use that id from now on."`
}

// ContactChange is one field changed by someone else, from the activity log.
type ContactChange struct {
	At      time.Time `json:"at"`
	Actor   string    `json:"actor" doc:"Who made the change, as the activity log names them"`
	Channel string    `json:"channel" enum:"ui,api,portal,import,system"`
	Action  string    `json:"action" doc:"e.g. contact.update"`
	Field   string    `json:"field"`
	Old     string    `json:"old" doc:"Sensitive values are masked"`
	New     string    `json:"new" doc:"Sensitive values are masked"`
}

// Editor is the holder of a contact's edit lease.
type Editor struct {
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	Since     time.Time `json:"since"`
	ExpiresAt time.Time `json:"expires_at" doc:"The lock ends then unless the editor's browser keeps renewing it"`
}

func init() {
	// Every huma validation failure is a 422. Folio answers 400 when the
	// request line is wrong (query string, path) and keeps 422 for a body
	// that parses but does not validate; malformed JSON is 400 already. The
	// detail names each problem instead of "validation failed".
	base := huma.NewErrorWithContext
	huma.NewErrorWithContext = func(hctx huma.Context, status int, msg string, errList ...error) huma.StatusError {
		se := base(hctx, status, msg, errList...)
		m, ok := se.(*huma.ErrorModel)
		if !ok || len(m.Errors) == 0 || status >= 500 {
			return se
		}
		line := true
		for _, d := range m.Errors {
			if d == nil {
				continue
			}
			if d.Message == "unknown query parameter" && hctx != nil {
				d.Message = "unknown query parameter; " + knownQuery(hctx.Operation())
			}
			line = line && (strings.HasPrefix(d.Location, "query.") || strings.HasPrefix(d.Location, "path."))
		}
		if status == http.StatusUnprocessableEntity && line {
			m.Status, m.Title = http.StatusBadRequest, http.StatusText(http.StatusBadRequest)
		}
		if msg == "validation failed" {
			m.Detail = summary(m.Errors)
		}
		return m
	}
	// A field spelt First_Name is an unknown field, not first_name.
	huma.ValidateStrictCasing = true
}

func knownQuery(op *huma.Operation) string {
	var names []string
	if op != nil {
		for _, p := range op.Parameters {
			if p != nil && p.In == "query" {
				names = append(names, p.Name)
			}
		}
	}
	if len(names) == 0 {
		return "this operation takes no query parameters"
	}
	return "this operation takes " + strings.Join(names, ", ")
}

// summary is a problem's detail that names each of its errors.
func summary(details []*huma.ErrorDetail) string {
	var parts []string
	for _, d := range details {
		if d == nil {
			continue
		}
		if d.Location != "" {
			parts = append(parts, d.Location+": "+d.Message)
		} else {
			parts = append(parts, d.Message)
		}
	}
	return "The request is not valid. " + strings.Join(parts, "; ") + "."
}

// fieldsIn says where the fields of a request are ("body" or "query") and
// what the API calls the domain's field keys where the names differ.
type fieldsIn struct {
	in     string
	rename map[string]string
}

var (
	inBody  = fieldsIn{in: "body"}
	inQuery = fieldsIn{in: "query"}
)

// location turns a domain field key (emails.1) into a huma-style location
// (body.emails[1]).
func (f fieldsIn) location(key string) string {
	parts := strings.Split(key, ".")
	if r, ok := f.rename[parts[0]]; ok {
		parts[0] = r
	}
	var b strings.Builder
	b.WriteString(f.in)
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
		} else {
			b.WriteString("." + p)
		}
	}
	return b.String()
}

// invalid is the problem for a domain Invalid error: 400 when the fields
// are in the query string, 422 when they are in the body.
func (f fieldsIn) invalid(err error) error {
	status := http.StatusUnprocessableEntity
	if f.in == "query" {
		status = http.StatusBadRequest
	}
	fields := errs.FieldsOf(err)
	if len(fields) == 0 {
		return huma.NewError(status, errs.MessageOf(err))
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	details := make([]*huma.ErrorDetail, 0, len(keys))
	list := make([]error, 0, len(keys))
	for _, k := range keys {
		d := &huma.ErrorDetail{Location: f.location(k), Message: fields[k]}
		details = append(details, d)
		list = append(list, d)
	}
	return huma.NewError(status, summary(details), list...)
}

// problem turns a domain error into the API's error; unexpected errors are
// logged here and shown only as "internal error".
func (x *API) problem(ctx context.Context, err error) error {
	return x.problemAt(ctx, err, inBody)
}

// problemAt is problem for a request whose fields are where f says.
func (x *API) problemAt(ctx context.Context, err error, f fieldsIn) error {
	var moved *contact.MovedError
	if errors.As(err, &moved) {
		return movedProblem(moved, http.StatusNotFound, "")
	}
	msg := errs.MessageOf(err)
	switch errs.CodeOf(err) {
	case errs.Invalid:
		return f.invalid(err)
	case errs.NotFound:
		return huma.Error404NotFound(msg)
	case errs.Conflict:
		var stale *contact.Stale
		if errors.As(err, &stale) {
			return staleProblem(msg, stale)
		}
		return huma.Error409Conflict(msg)
	case errs.Forbidden:
		return huma.Error403Forbidden(msg)
	case errs.Unauthorized:
		return huma.Error401Unauthorized(msg)
	case errs.Locked:
		p := newProblem(http.StatusLocked, msg)
		var held *contact.LeaseHeld
		if errors.As(err, &held) {
			l := held.Lease
			p.Editor = &Editor{UserID: l.UserID, Name: l.UserName, Since: l.Since, ExpiresAt: l.Expires}
		}
		return p
	case errs.TooMany:
		return huma.Error429TooManyRequests(msg)
	}
	x.Log.ErrorContext(ctx, "api request failed", "err", err)
	return huma.Error500InternalServerError("Something went wrong on our side. The error has been logged.")
}

func newProblem(status int, detail string) *Problem {
	return &Problem{ErrorModel: huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: detail}}
}

// staleProblem is the 409 of an edit based on an old version: the version
// now and what changed since, field by field.
func staleProblem(msg string, st *contact.Stale) *Problem {
	p := newProblem(http.StatusConflict, msg)
	if st.Current != nil {
		p.CurrentVersion = st.Current.Version
	}
	p.Changes = []ContactChange{}
	for _, r := range st.Changes {
		for _, ch := range r.Changes {
			if ch.Field == "version" {
				continue
			}
			p.Changes = append(p.Changes, ContactChange{At: r.At, Actor: r.ActorName, Channel: string(r.Channel), Action: r.Action,
				Field: ch.Field, Old: ch.Old, New: ch.New})
		}
	}
	return p
}

// movedProblem answers for a contact that was merged into another: a
// redirect for reads (to the survivor's resource, sub is what follows its
// id), a 404 that names the survivor for changes, so that a change is
// never applied to another record without the client deciding so.
func movedProblem(m *contact.MovedError, status int, sub string) error {
	loc := Prefix + "/contacts/" + itoa(m.To) + sub
	p := newProblem(status, fmt.Sprintf("This contact was merged into contact %d; use %s.", m.To, loc))
	p.MergedInto = m.To
	if status == http.StatusNotFound {
		return p
	}
	return huma.ErrorWithHeaders(p, http.Header{"Location": {loc}})
}

// readProblem is problem for reading a contact or its sub resource: a
// merged contact redirects to the same resource of the survivor (sub
// follows the contact's id), which took over the merged contact's records
// (its documents keep their ids).
func (x *API) readProblem(ctx context.Context, err error, sub string) error {
	var moved *contact.MovedError
	if errors.As(err, &moved) {
		return movedProblem(moved, http.StatusMovedPermanently, sub)
	}
	return x.problem(ctx, err)
}

// problemResponses documents statuses whose problem documents carry
// Folio's extension members.
func (x *API) problemResponses(op *huma.Operation, statuses ...int) {
	if op.Responses == nil {
		op.Responses = map[string]*huma.Response{}
	}
	schema := x.h.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[Problem](), true, "Problem")
	for _, s := range statuses {
		op.Responses[strconv.Itoa(s)] = &huma.Response{Description: http.StatusText(s),
			Content: map[string]*huma.MediaType{"application/problem+json": {Schema: schema}}}
	}
}
