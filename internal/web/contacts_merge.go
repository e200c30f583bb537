package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

// The merge page is its own confirmation: both contacts side by side, one
// row per single-valued field with a choice of the value to keep, what is
// kept from both, and one button. The contact of the path survives; the
// other one's address leads to it afterwards.

// mergeRow is one field of the merge: each side's value as people read it.
type mergeRow struct {
	Field, Label    string
	Survivor, Other string
	// Same: both hold the same value; there is nothing to choose.
	Same bool
	// TakeOther is the choice shown: the other's value, by default when
	// the survivor's is empty and the other's is not.
	TakeOther bool
}

// mergeKept is one list that the merge keeps whole from both contacts.
type mergeKept struct {
	Label           string
	Survivor, Other []string
}

type mergeData struct {
	C, Other *contact.Contact
	Rows     []mergeRow
	Kept     []mergeKept
	// Error is why the merge was refused, if it was.
	Error string
}

// mergePair loads the contact of the path (the survivor) and {other}. A
// merged-away other goes on to the contact it was merged into.
func (s *Server) mergePair(w http.ResponseWriter, r *http.Request) (*contact.Contact, *contact.Contact, bool) {
	c, ok := s.loadContact(w, r)
	if !ok {
		return nil, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("other"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound)
		return nil, nil, false
	}
	if id == c.ID {
		s.renderErrorText(w, r, http.StatusBadRequest, "Choose two different contacts to merge.")
		return nil, nil, false
	}
	o, err := s.Contacts.Get(r.Context(), contact.ViewerFor(userFrom(r.Context())), id)
	var moved *contact.MovedError
	switch {
	case errors.As(err, &moved) && moved.To == c.ID:
		s.setFlash(w, "info", fmt.Sprintf("Contact #%d has already been merged into this one.", id))
		http.Redirect(w, r, recordURL(c.ID), http.StatusSeeOther)
		return nil, nil, false
	case errors.As(err, &moved) && r.Method == http.MethodGet:
		http.Redirect(w, r, fmt.Sprintf("/contacts/%d/merge/%d", c.ID, moved.To), http.StatusSeeOther)
		return nil, nil, false
	case err != nil:
		s.fail(w, r, err)
		return nil, nil, false
	}
	return c, o, true
}

func (s *Server) mergeForm(w http.ResponseWriter, r *http.Request) {
	c, o, ok := s.mergePair(w, r)
	if !ok {
		return
	}
	s.renderMerge(w, r, http.StatusOK, c, o, nil, "")
}

// renderMerge shows the merge page; f holds the choices sent, if any.
func (s *Server) renderMerge(w http.ResponseWriter, r *http.Request, status int, c, o *contact.Contact, f *Form, refused string) {
	names := s.valueNames(r)
	a, b := contactValues(c), contactValues(o)
	a.Set("stage", c.Stage)
	b.Set("stage", o.Stage)
	d := mergeData{C: c, Other: o, Error: refused}
	for _, field := range contact.MergeFields {
		row := mergeRow{Field: field, Label: historyFieldLabel(field),
			Survivor: mergeValue(c, field, a.Get(field), names), Other: mergeValue(o, field, b.Get(field), names)}
		if row.Survivor == "" && row.Other == "" {
			continue
		}
		row.Same = row.Survivor == row.Other
		if f != nil {
			row.TakeOther = f.Get("take."+field) == "other"
		} else {
			row.TakeOther = row.Survivor == "" && row.Other != ""
		}
		d.Rows = append(d.Rows, row)
	}
	kept, err := s.mergeKept(r, c, o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Kept = kept
	s.render(w, r, status, "app/contact_merge", &Page{Title: "Merge " + o.Name() + " into " + c.Name(), Data: d})
}

// mergeValue is how one field of c reads; raw is its form value. The
// fields that are not a single form value read from c itself.
func mergeValue(c *contact.Contact, field, raw string, names valueNames) string {
	switch field {
	case "invested":
		return contact.FormatMoney(c.InvestedMinor, c.Currency)
	case "citizenship", "tax_residency":
		return countryName(raw)
	case "markets_traded":
		return marketLabels(c.MarketsTraded)
	}
	if raw == "" {
		return ""
	}
	return names.Value(field, raw)
}

// mergeKept lists, side by side, what the merge keeps from both.
func (s *Server) mergeKept(r *http.Request, c, o *contact.Contact) ([]mergeKept, error) {
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	each := func(x *contact.Contact) (map[string][]string, error) {
		m := map[string][]string{}
		for _, e := range x.Emails {
			m["Emails"] = append(m["Emails"], e.Address)
		}
		for _, p := range x.Phones {
			m["Phones"] = append(m["Phones"], norm.PhoneDisplay(p.Number))
		}
		for _, a := range x.Addresses {
			m["Addresses"] = append(m["Addresses"], a.OneLine())
		}
		for _, i := range x.Identifiers {
			m["ID numbers"] = append(m["ID numbers"], optLabel("identifier", i.Kind)+" "+i.Masked())
		}
		for _, b := range x.BankAccounts {
			m["Bank accounts"] = append(m["Bank accounts"], strings.TrimSpace(b.BankName+" "+b.MaskedIBAN()+b.MaskedAccount()))
		}
		m["Tags"] = x.Tags
		docs, err := s.Contacts.Documents(ctx, v, x.ID)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			m["Documents"] = append(m["Documents"], contact.LabelOf(contact.DocumentKinds, d.Kind)+": "+d.Filename)
		}
		groups, err := s.Contacts.GroupsOf(ctx, x.ID)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			m["Groups"] = append(m["Groups"], g.Name)
		}
		rels, err := s.Contacts.Relationships(ctx, v, x.ID)
		if err != nil {
			return nil, err
		}
		for _, rel := range rels {
			m["Relationships"] = append(m["Relationships"], rel.Label+" "+rel.OtherName)
		}
		return m, nil
	}
	a, err := each(c)
	if err != nil {
		return nil, err
	}
	b, err := each(o)
	if err != nil {
		return nil, err
	}
	var out []mergeKept
	for _, k := range []string{"Emails", "Phones", "Addresses", "ID numbers", "Bank accounts", "Documents", "Tags", "Groups", "Relationships"} {
		out = append(out, mergeKept{Label: k, Survivor: a[k], Other: b[k]})
	}
	return out, nil
}

// contactMerge merges {other} into the contact of the path with the
// values chosen, then shows the survivor.
func (s *Server) contactMerge(w http.ResponseWriter, r *http.Request) {
	c, o, ok := s.mergePair(w, r)
	if !ok {
		return
	}
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	take := map[string]string{}
	for _, field := range contact.MergeFields {
		if f.Get("take."+field) == "other" {
			take[field] = "other"
		}
	}
	// The versions the choices were made on; a form without them (an old
	// page) is checked against nothing.
	var base contact.MergeBase
	base.Survivor, _ = strconv.Atoi(f.Get("version"))
	base.Other, _ = strconv.Atoi(f.Get("other_version"))
	err := s.Contacts.Merge(r.Context(), contact.ViewerFor(userFrom(r.Context())), c.ID, o.ID, take, base)
	if err != nil {
		status := http.StatusUnprocessableEntity
		switch errs.CodeOf(err) {
		case errs.Invalid, errs.Forbidden:
		case errs.Conflict:
			status = http.StatusConflict
		case errs.Locked:
			status = http.StatusLocked
		default:
			s.fail(w, r, err)
			return
		}
		s.renderMerge(w, r, status, c, o, f, fieldMessage(err))
		return
	}
	s.setFlash(w, "success", fmt.Sprintf("Merged %s (#%d) into this contact. Everything both had is here, with both histories; #%d now leads here.",
		o.Name(), o.ID, o.ID))
	http.Redirect(w, r, recordURL(c.ID), http.StatusSeeOther)
}
