package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/inbound"
)

// inboundRoutes are BCC logging's pages: the BCC address on the account
// page, and the unfiled mail to file, turn into a contact, or delete.
func (s *Server) inboundRoutes() {
	read, write := auth.PermContactsRead, auth.PermWrite
	s.handle("GET /emails/unfiled", read, s.unfiledPage)
	s.handle("GET /emails/{id}/file", read, s.unfiledFilePage)
	s.handle("POST /emails/{id}/file", write, s.unfiledFile)
	s.handle("POST /emails/{id}/create-contact", write, s.unfiledCreateContact)
	s.handle("GET /emails/{id}/delete", write, s.unfiledDeleteForm)
	s.handle("POST /emails/{id}/delete", write, s.unfiledDelete)
	s.handle("GET /account/bcc/reset", auth.PermSignedIn, s.bccResetForm)
	s.handle("POST /account/bcc/reset", auth.PermSignedIn, s.bccReset)
}

// bccCard is what the account page shows of BCC logging.
type bccCard struct {
	Address string
	// Problem is why there is no address to show ("" when there is).
	Problem string
	// Off is true when this Folio does not listen for mail.
	Off bool
}

// bccCardFor reads the user's BCC address for the account page.
func (s *Server) bccCardFor(r *http.Request) bccCard {
	if s.Inbound == nil {
		return bccCard{Off: true, Problem: "BCC logging is not set up."}
	}
	c := bccCard{Off: s.Cfg.Inbound.SMTPAddr == ""}
	addr, err := s.Inbound.Address(r.Context(), userFrom(r.Context()))
	if err != nil {
		if !errs.Is(err, errs.Forbidden) {
			s.Log.Error("read BCC address", "err", err)
		}
		c.Problem = errs.MessageOf(err)
		return c
	}
	c.Address = addr
	return c
}

func (s *Server) bccResetForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "app/inbound_reset", &Page{Title: "Reset your BCC address", Form: &Form{}})
}

func (s *Server) bccReset(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Inbound.ResetAddress(r.Context(), userFrom(r.Context())); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "Your BCC address has been reset. Mail to the old one is refused from now on: use the new one below.")
	http.Redirect(w, r, "/account#bcc", http.StatusSeeOther)
}

type unfiledData struct {
	Emails   []inbound.Email
	Next     string
	First    bool
	CanWrite bool
	Card     bccCard
}

func (s *Server) unfiledPage(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	cursor := r.URL.Query().Get("before")
	p, err := s.Inbound.Unfiled(r.Context(), u, cursor, 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := unfiledData{Emails: p.Emails, First: cursor == "", CanWrite: u.Can(auth.PermWrite), Card: s.bccCardFor(r)}
	if p.NextCursor != "" {
		d.Next = "/emails/unfiled?before=" + url.QueryEscape(p.NextCursor)
	}
	s.render(w, r, http.StatusOK, "app/unfiled", &Page{Title: "Unfiled email", Data: d})
}

// emailOf reads the request's {id} as one of the user's received emails.
func (s *Server) emailOf(w http.ResponseWriter, r *http.Request) (*inbound.Email, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound)
		return nil, false
	}
	e, err := s.Inbound.Email(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return e, true
}

type unfiledFileData struct {
	Email    *inbound.Email
	Q        string
	Searched bool
	Matches  []contact.Row
	CanWrite bool
}

// maxFileMatches is how many contacts the search on the file page lists.
const maxFileMatches = 20

// unfiledFilePage shows a received email with a search for the contact to
// file it on (by name or email), and its other actions.
func (s *Server) unfiledFilePage(w http.ResponseWriter, r *http.Request) {
	e, ok := s.emailOf(w, r)
	if !ok {
		return
	}
	s.renderFilePage(w, r, http.StatusOK, e, &Form{Values: url.Values{}, Errors: map[string]string{}})
}

func (s *Server) renderFilePage(w http.ResponseWriter, r *http.Request, status int, e *inbound.Email, f *Form) {
	u := userFrom(r.Context())
	d := unfiledFileData{Email: e, Q: strings.TrimSpace(r.URL.Query().Get("q")), CanWrite: u.Can(auth.PermWrite)}
	if d.Q != "" {
		d.Searched = true
		p, err := s.Contacts.List(r.Context(), contact.ViewerFor(u), contact.Query{Q: d.Q, Limit: maxFileMatches})
		if err != nil && !errs.Is(err, errs.Invalid) {
			s.fail(w, r, err)
			return
		}
		if err != nil {
			f.Errors["q"] = errs.MessageOf(err)
		}
		d.Matches = p.Rows
	}
	title := e.Subject
	if title == "" {
		title = "(no subject)"
	}
	s.render(w, r, status, "app/unfiled_file", &Page{Title: "File “" + title + "”", Form: f, Data: d})
}

func (s *Server) unfiledFile(w http.ResponseWriter, r *http.Request) {
	e, ok := s.emailOf(w, r)
	if !ok {
		return
	}
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	cid, err := strconv.ParseInt(strings.TrimSpace(f.Get("contact_id")), 10, 64)
	if err != nil || cid <= 0 {
		f.Errors["q"] = "Choose the contact to file the email on: search by name or email, then press “File here”."
		s.renderFilePage(w, r, http.StatusUnprocessableEntity, e, f)
		return
	}
	if err := s.Inbound.File(r.Context(), userFrom(r.Context()), e.ID, cid); err != nil {
		if errs.Is(err, errs.NotFound) {
			f.Errors["q"] = errs.MessageOf(err)
			s.renderFilePage(w, r, http.StatusUnprocessableEntity, e, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "The email is filed on the contact's timeline.")
	http.Redirect(w, r, recordURL(cid), http.StatusSeeOther)
}

func (s *Server) unfiledCreateContact(w http.ResponseWriter, r *http.Request) {
	e, ok := s.emailOf(w, r)
	if !ok {
		return
	}
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	cid, err := s.Inbound.CreateFromSender(r.Context(), userFrom(r.Context()), e.ID)
	if err != nil {
		if errs.Is(err, errs.Conflict) || errs.Is(err, errs.Invalid) {
			msg := errs.MessageOf(err)
			for _, m := range errs.FieldsOf(err) {
				msg = sentence(m)
			}
			f.Errors["create"] = msg
			s.renderFilePage(w, r, http.StatusUnprocessableEntity, e, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "Contact created from the sender, with the email on its timeline. Complete the contact's details when you can.")
	http.Redirect(w, r, recordURL(cid), http.StatusSeeOther)
}

func (s *Server) unfiledDeleteForm(w http.ResponseWriter, r *http.Request) {
	e, ok := s.emailOf(w, r)
	if !ok {
		return
	}
	if e.Filed {
		s.fail(w, r, errs.E(errs.Conflict, "This email is filed on a contact's timeline; only unfiled mail can be deleted here."))
		return
	}
	s.render(w, r, http.StatusOK, "app/unfiled_delete", &Page{Title: "Delete an unfiled email", Form: &Form{}, Data: e})
}

func (s *Server) unfiledDelete(w http.ResponseWriter, r *http.Request) {
	e, ok := s.emailOf(w, r)
	if !ok {
		return
	}
	if err := s.Inbound.Delete(r.Context(), userFrom(r.Context()), e.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "The email has been deleted.")
	http.Redirect(w, r, "/emails/unfiled", http.StatusSeeOther)
}
