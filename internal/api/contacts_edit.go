package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

type contactIDInput struct {
	ID int64 `path:"id" doc:"Contact id"`
}

type contactOutput struct {
	ETag string `header:"ETag" doc:"The contact's version, to send back as If-Match with a change"`
	Body Contact
}

type createContactInput struct {
	Body Contact
}

type createdContactOutput struct {
	Location string `header:"Location" doc:"The new contact's URL"`
	ETag     string `header:"ETag" doc:"The contact's version"`
	Body     Contact
}

type patchContactInput struct {
	ID      int64  `path:"id" doc:"Contact id"`
	IfMatch string `header:"If-Match" doc:"The ETag of the version your change is based on, e.g. \"3\". Required unless the body has version."`
	Body    Contact
	RawBody []byte
}

// etag is a contact version as an entity tag. It is strong so that it can be
// sent back in If-Match as it is.
func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// loadContact reads a contact the caller may see. A merged contact answers
// with a redirect to the survivor's sub resource when redirect is set, and
// with a 404 naming it otherwise.
func (x *API) loadContact(ctx context.Context, v contact.Viewer, id int64, redirect bool, sub string) (*contact.Contact, error) {
	c, err := x.Contacts.Get(ctx, v, id)
	if err != nil && redirect {
		return nil, x.readProblem(ctx, err, sub)
	}
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	if c.ErasedAt != nil {
		return nil, huma.Error404NotFound("No such contact, or it is not one of yours.")
	}
	return c, nil
}

// changedContact answers a change with the contact as it is now.
func (x *API) changedContact(ctx context.Context, v contact.Viewer, id int64) (*contactOutput, error) {
	c, err := x.loadContact(ctx, v, id, false, "")
	if err != nil {
		return nil, err
	}
	return &contactOutput{ETag: etag(c.Version), Body: contactOut(c)}, nil
}

func (x *API) getContact(ctx context.Context, in *contactIDInput) (*contactOutput, error) {
	c, err := x.loadContact(ctx, viewer(ctx), in.ID, true, "")
	if err != nil {
		return nil, err
	}
	return &contactOutput{ETag: etag(c.Version), Body: contactOut(c)}, nil
}

func (x *API) createContact(ctx context.Context, in *createContactInput) (*createdContactOutput, error) {
	v := viewer(ctx)
	d := in.Body.domain(0)
	if err := keepNumbers(&contact.Contact{}, d); err != nil {
		return nil, x.problemAt(ctx, err, contactFields)
	}
	id, err := x.Contacts.Create(ctx, v, d)
	if err != nil {
		return nil, x.problemAt(ctx, err, contactFields)
	}
	c, err := x.loadContact(ctx, v, id, false, "")
	if err != nil {
		return nil, err
	}
	return &createdContactOutput{Location: Prefix + "/contacts/" + itoa(id), ETag: etag(c.Version), Body: contactOut(c)}, nil
}

// updateContact applies a JSON merge patch (RFC 7386) to the contact as GET
// shows it: members left out stay, null clears, arrays replace the whole
// list. Identifiers and bank accounts sent back with their id and without a
// number keep the stored number.
func (x *API) updateContact(ctx context.Context, in *patchContactInput) (*contactOutput, error) {
	v := viewer(ctx)
	patch, err := decodeObject(in.RawBody)
	if err != nil {
		return nil, huma.Error400BadRequest("The body is not a JSON object: " + err.Error())
	}
	base, err := baseVersion(in.IfMatch, patch)
	if err != nil {
		return nil, err
	}
	cur, err := x.loadContact(ctx, v, in.ID, false, "")
	if err != nil {
		return nil, err
	}
	merged, err := mergeContact(contactOut(cur), patch)
	if err != nil {
		return nil, huma.Error422UnprocessableEntity("The patched contact does not fit the Contact schema: " + err.Error())
	}
	d := merged.domain(in.ID)
	if err := keepNumbers(cur, d); err != nil {
		return nil, x.problemAt(ctx, err, contactFields)
	}
	if err := x.Contacts.Update(ctx, v, d, base); err != nil {
		return nil, x.problemAt(ctx, err, contactFields)
	}
	return x.changedContact(ctx, v, in.ID)
}

// documentMergePatch describes the body of the PATCH at path as the JSON
// (merge patch) it is; huma lists the raw body the handler also reads as
// application/octet-stream.
func (x *API) documentMergePatch(path string) {
	op := x.h.OpenAPI().Paths[path].Patch
	body := op.RequestBody.Content["application/json"]
	delete(op.RequestBody.Content, "application/octet-stream")
	op.RequestBody.Content["application/merge-patch+json"] = body
}

// keepNumbers checks that the identifiers and bank accounts of d sent with
// an id are ones cur has, naming the offending array element (the domain
// keeps the stored number of those sent without one).
func keepNumbers(cur, d *contact.Contact) error {
	fe := errs.Collector{}
	identifierID := func(i contact.Identifier) int64 { return i.ID }
	bankAccountID := func(b contact.BankAccount) int64 { return b.ID }
	unknownIDs(fe, "identifiers", "identifier", cur.Identifiers, d.Identifiers, identifierID)
	unknownIDs(fe, "bank_accounts", "bank account", cur.BankAccounts, d.BankAccounts, bankAccountID)
	return fe.Err()
}

// unknownIDs adds an error for each element of sent (the array field key)
// whose id is set but is not the id of one of have.
func unknownIDs[T any](fe errs.Collector, key, what string, have, sent []T, id func(T) int64) {
	for n, s := range sent {
		if id(s) != 0 && !slices.ContainsFunc(have, func(h T) bool { return id(h) == id(s) }) {
			fe.Add(fmt.Sprintf("%s.%d", key, n), fmt.Sprintf("this contact has no %s %d; leave id out for a new one", what, id(s)))
		}
	}
}

// decodeObject reads a JSON object keeping numbers exact (ids and amounts
// are 64-bit).
func decodeObject(raw []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("null")
	}
	return m, nil
}

// ifMatchVersion is the contact version an If-Match header names; 0 if
// there is none.
func ifMatchVersion(ifMatch string) (int, error) {
	h := strings.TrimSpace(ifMatch)
	if h == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
	if err != nil || n < 1 {
		return 0, huma.Error400BadRequest(`If-Match must be one ETag of this contact as GET returned it, e.g. "3".`,
			&huma.ErrorDetail{Location: "header.If-Match", Message: "not a contact version", Value: h})
	}
	return n, nil
}

// baseVersion is the version a change is based on: If-Match or the body's
// version; one of them is required, and they must agree.
func baseVersion(ifMatch string, patch map[string]any) (int, error) {
	header, err := ifMatchVersion(ifMatch)
	if err != nil {
		return 0, err
	}
	body := 0
	if raw, ok := patch["version"]; ok && raw != nil {
		num, _ := raw.(json.Number)
		n, err := strconv.Atoi(string(num))
		if err != nil || n < 1 {
			return 0, huma.Error422UnprocessableEntity("version must be the version your change is based on.",
				&huma.ErrorDetail{Location: "body.version", Message: "not a contact version", Value: raw})
		}
		body = n
	}
	switch {
	case header == 0 && body == 0:
		return 0, huma.NewError(http.StatusPreconditionRequired, `Say which version your change is based on, so that nobody's `+
			`changes are overwritten unseen: send If-Match: "<version>" (the ETag of GET) or "version" in the body.`)
	case header != 0 && body != 0 && header != body:
		return 0, huma.Error400BadRequest("If-Match and the body's version name different versions; send one of them.")
	case header != 0:
		return header, nil
	}
	return body, nil
}

// mergeContact applies patch to c.
func mergeContact(c Contact, patch map[string]any) (*Contact, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	doc, err := decodeObject(b)
	if err != nil {
		return nil, err
	}
	mergePatch(doc, patch)
	if b, err = json.Marshal(doc); err != nil {
		return nil, err
	}
	var out Contact
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// mergePatch applies an RFC 7386 merge patch to doc.
func mergePatch(doc, patch map[string]any) {
	for k, pv := range patch {
		if pv == nil {
			delete(doc, k)
			continue
		}
		if pm, ok := pv.(map[string]any); ok {
			dm, ok := doc[k].(map[string]any)
			if !ok {
				dm = map[string]any{}
			}
			mergePatch(dm, pm)
			doc[k] = dm
			continue
		}
		doc[k] = pv
	}
}

func (x *API) deleteContact(ctx context.Context, in *contactIDInput) (*struct{}, error) {
	v := viewer(ctx)
	c, err := x.loadContact(ctx, v, in.ID, false, "")
	if err != nil {
		return nil, err
	}
	if c.DeletedAt != nil {
		return nil, nil // already in the trash
	}
	if _, err := x.Contacts.Delete(ctx, v, in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}

func (x *API) restoreContact(ctx context.Context, in *contactIDInput) (*contactOutput, error) {
	v := viewer(ctx)
	c, err := x.loadContact(ctx, v, in.ID, false, "")
	if err != nil {
		return nil, err
	}
	if c.DeletedAt == nil {
		return &contactOutput{ETag: etag(c.Version), Body: contactOut(c)}, nil // not in the trash
	}
	if _, err := x.Contacts.Restore(ctx, v, in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return x.changedContact(ctx, v, in.ID)
}
