package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// Editing takes the contact's edit lease: one editor at a time. The form
// renews it with a heartbeat while it is open; saving or cancelling ends
// it, and so does its expiry when the browser simply goes away.

// conflictRow is one change another user saved while this one edited.
type conflictRow struct {
	Actor    string
	At       time.Time
	Field    string
	Old, New string
}

// conflictRows lists what others changed since the form was opened.
func conflictRows(st *contact.Stale, names valueNames) []conflictRow {
	var changes []conflictRow
	for _, rec := range st.Changes {
		for _, ch := range rec.Changes {
			if ch.Field == "version" {
				continue
			}
			changes = append(changes, conflictRow{Actor: rec.ActorName, At: rec.At, Field: historyFieldLabel(ch.Field),
				Old: names.Value(ch.Field, ch.Old), New: names.Value(ch.Field, ch.New)})
		}
	}
	return changes
}

// savedNow are the main values of the contact as saved now, for the
// conflict panel.
func savedNow(c *contact.Contact, names valueNames) []conflictRow {
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	var addr string
	for _, a := range c.Addresses {
		if a.Primary {
			addr = a.OneLine()
		}
	}
	return []conflictRow{
		{Field: "Name", New: c.Name()}, {Field: "Category", New: names.Value("category_id", id(c.CategoryID))},
		{Field: "Owner", New: names.Value("owner_id", id(c.OwnerID))}, {Field: "Email", New: c.PrimaryEmail},
		{Field: "Phone", New: c.PrimaryPhone}, {Field: "Address", New: addr},
	}
}

func (s *Server) contactEditForm(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadContact(w, r)
	if !ok {
		return
	}
	if c.DeletedAt != nil {
		s.setFlash(w, "warning", "This contact is in the trash. Restore it before editing.")
		http.Redirect(w, r, recordURL(c.ID), http.StatusSeeOther)
		return
	}
	lease, err := s.Contacts.Acquire(r.Context(), contact.ViewerFor(userFrom(r.Context())), c.ID)
	var held *contact.LeaseHeld
	if err != nil && !errors.As(err, &held) {
		s.fail(w, r, err)
		return
	}
	f := &Form{Values: contactValues(c), Errors: map[string]string{}}
	s.renderContactForm(w, r, http.StatusOK, f, c, func(d *contactFormData) {
		if held != nil {
			d.Locked, d.ReadOnly, d.Lease = true, true, held.Lease
		} else {
			d.Holding, d.Lease = true, lease
		}
	})
}

func (s *Server) contactUpdate(w http.ResponseWriter, r *http.Request) {
	stored, f, v, ok := s.postedContact(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	c, rows, bad := contactFromForm(f)
	c.ID, c.Stage = stored.ID, stored.Stage
	version, _ := strconv.Atoi(f.Get("version"))
	var err error
	if len(bad) > 0 {
		err = errs.FieldErrors(bad)
	} else {
		err = s.Contacts.Update(ctx, v, c, version)
	}
	if err == nil {
		s.setFlash(w, "success", "Your changes to "+c.Name()+" have been saved.")
		http.Redirect(w, r, recordURL(c.ID), http.StatusSeeOther)
		return
	}
	var held *contact.LeaseHeld
	var stale *contact.Stale
	switch {
	case errors.As(err, &held):
		// Nothing was written; the input stays in the form to save later.
		s.renderContactForm(w, r, http.StatusLocked, f, stored, func(d *contactFormData) {
			d.Locked, d.Lease = true, held.Lease
		})
	case errors.As(err, &stale):
		f.Values.Set("version", strconv.Itoa(stale.Current.Version))
		names := s.valueNames(r)
		changes := conflictRows(stale, names)
		s.renderContactForm(w, r, http.StatusConflict, f, stale.Current, func(d *contactFormData) {
			d.Holding, d.Stale, d.Conflict, d.ConflictNow = true, true, changes, savedNow(stale.Current, names)
		})
	case errs.Is(err, errs.Invalid), errs.Is(err, errs.Conflict), errs.Is(err, errs.Forbidden):
		contactErrors(f, err, rows)
		status := http.StatusUnprocessableEntity
		if errs.Is(err, errs.Conflict) {
			status = http.StatusConflict
		}
		s.renderContactForm(w, r, status, f, stored, func(d *contactFormData) { d.Holding = true })
	default:
		s.fail(w, r, err)
	}
}

// contactLeaseRenew is the edit form's heartbeat: 204 while this user holds
// the lease, 423 with who holds it otherwise.
func (s *Server) contactLeaseRenew(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "No such contact.", http.StatusNotFound)
		return
	}
	_, err = s.Contacts.Acquire(r.Context(), contact.ViewerFor(userFrom(r.Context())), id)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	switch {
	case err == nil:
		w.WriteHeader(http.StatusNoContent)
	case errs.Is(err, errs.Locked):
		var held *contact.LeaseHeld
		msg := errs.MessageOf(err)
		if errors.As(err, &held) {
			msg = held.Lease.UserName + " is editing this contact since " + friendlyTime(held.Lease.Since) +
				". You can no longer save; copy what you typed and try again later."
		}
		w.WriteHeader(http.StatusLocked)
		_, _ = w.Write([]byte(msg))
	case errs.Is(err, errs.NotFound):
		http.Error(w, errs.MessageOf(err), http.StatusNotFound)
	case errs.Is(err, errs.Forbidden):
		http.Error(w, errs.MessageOf(err), http.StatusForbidden)
	default:
		s.Log.ErrorContext(r.Context(), "lease renew", "err", err)
		http.Error(w, "Something went wrong.", http.StatusInternalServerError)
	}
}

// contactLeaseRelease is Cancel: the lease ends and the record shows.
func (s *Server) contactLeaseRelease(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if err := s.Contacts.Release(r.Context(), contact.ViewerFor(userFrom(r.Context())), id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, recordURL(id), http.StatusSeeOther)
}

// contactLeaseBreak lets an admin end another user's lease, then edit.
func (s *Server) contactLeaseBreak(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadContact(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	l, _ := s.Contacts.CurrentLease(ctx, c.ID)
	if err := s.Contacts.BreakLease(ctx, contact.ViewerFor(userFrom(ctx)), c.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if l.UserID != 0 {
		s.setFlash(w, "warning", "You broke "+l.UserName+"'s edit lock. Their unsaved changes cannot be saved now.")
	}
	http.Redirect(w, r, recordURL(c.ID)+"/edit", http.StatusSeeOther)
}
