package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

// loadContact reads the contact of the request's {id}. A merged contact
// sends a GET on to the contact it was merged into.
func (s *Server) loadContact(w http.ResponseWriter, r *http.Request) (*contact.Contact, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound)
		return nil, false
	}
	c, err := s.Contacts.Get(r.Context(), contact.ViewerFor(userFrom(r.Context())), id)
	var moved *contact.MovedError
	if errors.As(err, &moved) {
		if r.Method == http.MethodGet {
			to := recordURL(moved.To)
			if rest := strings.TrimPrefix(r.URL.Path, "/contacts/"+r.PathValue("id")); rest != r.URL.Path {
				to += rest
			}
			http.Redirect(w, r, to, http.StatusMovedPermanently)
			return nil, false
		}
		s.renderErrorText(w, r, http.StatusConflict, fmt.Sprintf("This contact was merged into contact #%d. Open that one and try again.", moved.To))
		return nil, false
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if c.ErasedAt != nil {
		s.renderErrorText(w, r, http.StatusNotFound, "This contact's personal data has been erased. Only its masked activity log remains.")
		return nil, false
	}
	return c, true
}

// postedContact reads the contact of the request, then the form posted to
// it, and says who acts.
func (s *Server) postedContact(w http.ResponseWriter, r *http.Request) (*contact.Contact, *Form, contact.Viewer, bool) {
	c, ok := s.loadContact(w, r)
	if !ok {
		return nil, nil, contact.Viewer{}, false
	}
	f, ok := s.parseForm(w, r)
	if !ok {
		return nil, nil, contact.Viewer{}, false
	}
	return c, f, contact.ViewerFor(userFrom(r.Context())), true
}

// recordURL is the address of a contact's record page.
func recordURL(id int64) string { return "/contacts/" + strconv.FormatInt(id, 10) }

// contactHead is what the header of every contact page shows.
type contactHead struct {
	C        *contact.Contact
	Tab      string
	CanWrite bool
	IsAdmin  bool
	// Editor is who holds the edit lease now, if anyone.
	Editor    contact.Lease
	Me        int64
	TrashDays int
}

func (s *Server) contactHead(r *http.Request, c *contact.Contact, tab string) contactHead {
	v := contact.ViewerFor(userFrom(r.Context()))
	h := contactHead{C: c, Tab: tab, CanWrite: !v.ReadOnly, IsAdmin: v.Admin, Me: v.UserID, TrashDays: contact.TrashDays}
	if l, err := s.Contacts.CurrentLease(r.Context(), c.ID); err == nil && l.UserID != 0 {
		h.Editor = l
	}
	return h
}

// kv is one labelled value of a profile section.
type kv struct {
	Label, Value string
}

type recordData struct {
	contactHead
	CanReveal bool
	// Revealed holds the clear value shown in this one response:
	// "identifier:7" → the number.
	Revealed      map[string]string
	Relationships []contact.Relationship
	Groups        []contact.Group
	OtherGroups   []contact.Group // groups it could be added to
	RelKinds      []choice
	Financial     []kv
	Experience    []kv
	Joint         []contact.Relationship
	// Documents are the compliance documents, newest first.
	Documents []contact.Document
	DocKinds  []choice
	Now       time.Time
	// Duplicates are the likely duplicates of this contact: Other of
	// each is the other contact.
	Duplicates []duplicateOf
	// Reviewing is the document whose review came back with an error;
	// Uploading opens the upload form.
	Reviewing int64
	Uploading bool
	// MaxUpload, MaxBytes and TooLarge tell the upload form (and its
	// script) the size limit.
	MaxUpload, TooLarge string
	MaxBytes            int
}

// duplicateOf is a likely duplicate seen from one of the two contacts.
type duplicateOf struct {
	Other   contact.Row
	Reasons []string
}

func (s *Server) recordData(r *http.Request, c *contact.Contact, revealed map[string]string) (*recordData, error) {
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	d := &recordData{contactHead: s.contactHead(r, c, "overview"), CanReveal: v.Sensitive, Revealed: revealed}
	rels, err := s.Contacts.Relationships(ctx, v, c.ID)
	if err != nil {
		return nil, err
	}
	for _, rel := range rels {
		if rel.Kind == "joint_holder" {
			d.Joint = append(d.Joint, rel)
		} else {
			d.Relationships = append(d.Relationships, rel)
		}
	}
	if d.Groups, err = s.Contacts.GroupsOf(ctx, c.ID); err != nil {
		return nil, err
	}
	all, err := s.Contacts.Groups(ctx, v)
	if err != nil {
		return nil, err
	}
	for _, g := range all {
		if !slices.ContainsFunc(d.Groups, func(x contact.Group) bool { return x.ID == g.ID }) {
			d.OtherGroups = append(d.OtherGroups, g)
		}
	}
	d.RelKinds = relationKinds(c.Kind)
	if d.Documents, err = s.Contacts.Documents(ctx, v, c.ID); err != nil {
		return nil, err
	}
	d.DocKinds, d.Now = optionChoices(contact.DocumentKinds), time.Now()
	d.MaxUpload, d.MaxBytes, d.TooLarge = fileSize(norm.MaxDocumentSize), norm.MaxDocumentSize, tooLargeMessage
	if c.DeletedAt == nil {
		dups, err := s.Contacts.DuplicatesOf(ctx, v, c.ID)
		if err != nil {
			return nil, err
		}
		for _, x := range dups {
			other := x.B
			if other.ID == c.ID {
				other = x.A
			}
			d.Duplicates = append(d.Duplicates, duplicateOf{Other: other, Reasons: x.Reasons})
		}
	}
	lbl := contact.LabelOf
	d.Financial = []kv{
		{"Employment", lbl(contact.Employments, c.Employment)}, {"Employer", c.Employer}, {"Occupation", c.Occupation},
		{"Source of income", lbl(contact.IncomeSources, c.IncomeSource)}, {"Annual income", lbl(contact.IncomeRanges, c.AnnualIncome)},
		{"Net worth", lbl(contact.NetWorthRanges, c.NetWorth)}, {"Tax residency", countryName(c.TaxResidency)},
	}
	d.Experience = []kv{
		{"Markets traded", marketLabels(c.MarketsTraded)}, {"Years of experience", lbl(contact.ExperienceYears, c.ExperienceYears)},
		{"Trades per year", lbl(contact.TradesPerYear, c.TradesPerYear)}, {"Qualification", lbl(contact.Qualifications, c.Qualification)},
		{"Risk tolerance", lbl(contact.RiskTolerances, c.RiskTolerance)}, {"Investment objective", lbl(contact.Objectives, c.InvestmentObjective)},
		{"Time horizon", lbl(contact.TimeHorizons, c.TimeHorizon)},
	}
	return d, nil
}

// relationKinds are the relationships this contact can take part in, read
// from its side: "Child of" is the parent relationship the other way round.
func relationKinds(k contact.Kind) []choice {
	var out []choice
	for _, t := range contact.RelationTypes {
		switch {
		case t.Key == "custom":
		case t.EntityRole && k.IsEntity():
			out = append(out, choice{t.Key, t.Label})
		case t.EntityRole:
			out = append(out, choice{t.Key + ":reverse", t.Reverse})
		case t.Label == t.Reverse:
			out = append(out, choice{t.Key, t.Label})
		default:
			out = append(out, choice{t.Key, t.Label}, choice{t.Key + ":reverse", t.Reverse})
		}
	}
	return append(out, choice{"custom", "Other (type the labels)"})
}

func (s *Server) contactPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadContact(w, r)
	if !ok {
		return
	}
	s.renderRecord(w, r, http.StatusOK, c, nil, nil)
}

func (s *Server) renderRecord(w http.ResponseWriter, r *http.Request, status int, c *contact.Contact, revealed map[string]string, f *Form) {
	d, err := s.recordData(r, c, revealed)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f == nil {
		f = &Form{Values: map[string][]string{}, Errors: map[string]string{}}
	}
	if _, ok := f.Values["tags"]; !ok {
		f.Values.Set("tags", strings.Join(c.Tags, ", "))
	}
	d.Reviewing, _ = strconv.ParseInt(f.Get("doc"), 10, 64)
	d.Uploading = f.Get("upload") == "open"
	s.render(w, r, status, "app/contact", &Page{Title: c.Name(), Form: f, Data: d})
}

// contactReveal shows one sensitive value in clear, in this response only;
// the page is never cached (no-store) and the view is logged by the domain.
func (s *Server) contactReveal(w http.ResponseWriter, r *http.Request) {
	c, f, v, ok := s.postedContact(w, r)
	if !ok {
		return
	}
	field := f.Get("field")
	row, _ := strconv.ParseInt(f.Get("row"), 10, 64)
	clear, err := s.Contacts.Reveal(r.Context(), v, c.ID, field, row)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderRecord(w, r, http.StatusOK, c, map[string]string{fmt.Sprintf("%s:%d", field, row): clear}, nil)
}

// contactAction runs a change on the contact of the request and goes back
// to its page with a message; validation errors come back as a message too.
func (s *Server) contactAction(w http.ResponseWriter, r *http.Request, do func(c *contact.Contact, f *Form, v contact.Viewer) (string, error)) {
	c, f, v, ok := s.postedContact(w, r)
	if !ok {
		return
	}
	msg, err := do(c, f, v)
	if err != nil {
		switch errs.CodeOf(err) {
		case errs.Invalid, errs.Conflict:
			s.setFlash(w, "error", fieldMessage(err))
		default:
			s.fail(w, r, err)
			return
		}
	} else if msg != "" {
		s.setFlash(w, "success", msg)
	}
	http.Redirect(w, r, recordURL(c.ID), http.StatusSeeOther)
}

func (s *Server) contactTags(w http.ResponseWriter, r *http.Request) {
	c, f, v, ok := s.postedContact(w, r)
	if !ok {
		return
	}
	err := s.Contacts.SetTags(r.Context(), v, c.ID, strings.Split(f.Get("tags"), ","))
	if err != nil {
		if errs.Is(err, errs.Invalid) {
			f.Errors["tags"] = fieldMessage(err)
			s.renderRecord(w, r, http.StatusUnprocessableEntity, c, nil, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "Tags saved.")
	http.Redirect(w, r, recordURL(c.ID), http.StatusSeeOther)
}

func (s *Server) contactGroupAdd(w http.ResponseWriter, r *http.Request) {
	s.contactAction(w, r, func(c *contact.Contact, f *Form, v contact.Viewer) (string, error) {
		gid, _ := strconv.ParseInt(f.Get("group_id"), 10, 64)
		if _, err := s.Contacts.AddToGroup(r.Context(), v, gid, c.ID); err != nil {
			return "", err
		}
		return "Added to the group.", nil
	})
}

func (s *Server) contactGroupRemove(w http.ResponseWriter, r *http.Request) {
	s.contactAction(w, r, func(c *contact.Contact, f *Form, v contact.Viewer) (string, error) {
		gid, err := strconv.ParseInt(r.PathValue("gid"), 10, 64)
		if err != nil {
			return "", errs.E(errs.NotFound, "No such group.")
		}
		return "Removed from the group.", s.Contacts.RemoveFromGroup(r.Context(), v, gid, c.ID)
	})
}

func (s *Server) contactRelate(w http.ResponseWriter, r *http.Request) {
	c, f, v, ok := s.postedContact(w, r)
	if !ok {
		return
	}
	other, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(f.Get("other_id")), "#"), 10, 64)
	if err != nil || other <= 0 {
		err = errs.FieldErrors(map[string]string{"other_id": "choose the other contact: search for it or type its number, like 42"})
	} else {
		kind, reverse := strings.CutSuffix(f.Get("kind"), ":reverse")
		if reverse {
			_, err = s.Contacts.Relate(r.Context(), v, other, c.ID, kind, "", "")
		} else {
			_, err = s.Contacts.Relate(r.Context(), v, c.ID, other, kind, f.Get("label"), f.Get("reverse"))
		}
	}
	if err != nil {
		switch errs.CodeOf(err) {
		case errs.Invalid:
			for k, m := range errs.FieldsOf(err) {
				f.Errors[k] = sentence(m)
			}
		case errs.NotFound:
			f.Errors["other_id"] = errs.MessageOf(err)
		default:
			s.fail(w, r, err)
			return
		}
		s.renderRecord(w, r, http.StatusUnprocessableEntity, c, nil, f)
		return
	}
	s.setFlash(w, "success", "Relationship added.")
	http.Redirect(w, r, recordURL(c.ID)+"#relationships", http.StatusSeeOther)
}

func (s *Server) contactUnrelate(w http.ResponseWriter, r *http.Request) {
	s.contactAction(w, r, func(c *contact.Contact, f *Form, v contact.Viewer) (string, error) {
		rid, err := strconv.ParseInt(r.PathValue("rid"), 10, 64)
		if err != nil {
			return "", errs.E(errs.NotFound, "No such relationship.")
		}
		return "Relationship removed.", s.Contacts.Unrelate(r.Context(), v, c.ID, rid)
	})
}

func (s *Server) contactRestore(w http.ResponseWriter, r *http.Request) {
	s.contactAction(w, r, func(c *contact.Contact, f *Form, v contact.Viewer) (string, error) {
		if _, err := s.Contacts.Restore(r.Context(), v, c.ID); err != nil {
			return "", err
		}
		return c.Name() + " is back from the trash.", nil
	})
}

type confirmData struct {
	contactHead
	Action string // "delete", "erase", "document" or "note"
	// Doc is the document a "document" confirmation deletes.
	Doc *contact.Document
	// Note is the note a "note" confirmation deletes.
	Note *activity.Note
}

func (s *Server) contactDeleteForm(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadContact(w, r)
	if !ok {
		return
	}
	if c.DeletedAt != nil {
		http.Redirect(w, r, recordURL(c.ID), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "app/contact_confirm", &Page{Title: "Delete " + c.Name(), Form: &Form{},
		Data: confirmData{contactHead: s.contactHead(r, c, ""), Action: "delete"}})
}

func (s *Server) contactDelete(w http.ResponseWriter, r *http.Request) {
	s.contactAction(w, r, func(c *contact.Contact, f *Form, v contact.Viewer) (string, error) {
		if _, err := s.Contacts.Delete(r.Context(), v, c.ID); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s is in the trash. It can be restored for %d days.", c.Name(), contact.TrashDays), nil
	})
}

func (s *Server) contactEraseForm(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadContact(w, r)
	if !ok {
		return
	}
	if !contact.ViewerFor(userFrom(r.Context())).Admin {
		s.renderErrorText(w, r, http.StatusForbidden, "Only an admin can erase a contact.")
		return
	}
	s.renderErase(w, r, http.StatusOK, c, &Form{})
}

// renderErase shows the erase confirmation, with f's error if it came back.
func (s *Server) renderErase(w http.ResponseWriter, r *http.Request, status int, c *contact.Contact, f *Form) {
	s.render(w, r, status, "app/contact_confirm", &Page{Title: "Erase " + c.Name(), Form: f,
		Data: confirmData{contactHead: s.contactHead(r, c, ""), Action: "erase"}})
}

func (s *Server) contactErase(w http.ResponseWriter, r *http.Request) {
	c, f, v, ok := s.postedContact(w, r)
	if !ok {
		return
	}
	if !strings.EqualFold(strings.Join(strings.Fields(f.Get("confirm_name")), " "), strings.Join(strings.Fields(c.Name()), " ")) {
		f.Errors["confirm_name"] = "Type the contact's name exactly as shown to confirm."
		s.renderErase(w, r, http.StatusUnprocessableEntity, c, f)
		return
	}
	if err := s.Contacts.Erase(r.Context(), v, c.ID); err != nil {
		if errs.Is(err, errs.Conflict) {
			f.Errors["confirm_name"] = errs.MessageOf(err)
			s.renderErase(w, r, http.StatusConflict, c, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", fmt.Sprintf("The personal data of contact #%d has been erased for good.", c.ID))
	http.Redirect(w, r, "/contacts", http.StatusSeeOther)
}
