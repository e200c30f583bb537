package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// duplicatesLimit is how many pairs the duplicates page shows at once.
const duplicatesLimit = 50

type duplicatesData struct {
	Pairs     []contact.Duplicate
	CanWrite  bool
	CanScan   bool   // sees the whole book and may change it
	Next      string // cursor of the next page
	Paged     bool   // not the first page
	ScannedAt time.Time
	Return    string // this page, for forms to come back to
}

// duplicatesPage lists a page of the likely duplicate pairs of the whole
// book, as the last scan found them. The first visit ever scans.
func (s *Server) duplicatesPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	after := r.URL.Query().Get("after")
	if at, err := s.Contacts.DuplicatesScannedAt(ctx); err == nil && at.IsZero() {
		if _, err := s.Contacts.ScanDuplicates(ctx); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	page, err := s.Contacts.Duplicates(ctx, v, after, duplicatesLimit)
	if errs.Is(err, errs.Invalid) {
		s.setFlash(w, "error", "That page of the list no longer exists; here is the first one.")
		http.Redirect(w, r, "/contacts/duplicates", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ret := "/contacts/duplicates"
	if after != "" {
		ret += "?after=" + url.QueryEscape(after)
	}
	s.render(w, r, http.StatusOK, "app/contacts_duplicates", &Page{Title: "Possible duplicates",
		Data: duplicatesData{Pairs: page.Pairs, CanWrite: !v.ReadOnly, CanScan: !v.ReadOnly && (!v.OwnOnly || v.Admin), Next: page.Next, Paged: after != "",
			ScannedAt: page.ScannedAt, Return: ret}})
}

// duplicatesScan checks the whole book for duplicates again now.
func (s *Server) duplicatesScan(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.parseForm(w, r); !ok {
		return
	}
	n, err := s.Contacts.ScanDuplicatesFor(r.Context(), contact.ViewerFor(userFrom(r.Context())))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	msg := "Checked the whole book: no likely duplicates."
	switch {
	case n == 1:
		msg = "Checked the whole book: 1 likely duplicate pair."
	case n > 1:
		msg = fmt.Sprintf("Checked the whole book: %d likely duplicate pairs.", n)
	}
	s.setFlash(w, "success", msg+" Pairs you dismissed or cannot see are not listed.")
	http.Redirect(w, r, "/contacts/duplicates", http.StatusSeeOther)
}

// duplicateReturn is where a dismissal goes back to: the duplicates page
// or one of the two records.
func duplicateReturn(ret string, a, b int64) string {
	for _, ok := range []string{"/contacts/duplicates", recordURL(a), recordURL(b)} {
		if ret == ok {
			return ret
		}
	}
	if after, ok := strings.CutPrefix(ret, "/contacts/duplicates?after="); ok && strings.Trim(after, "0123456789.") == "" {
		return ret // a later page of the list
	}
	return recordURL(a)
}

// duplicateDismiss records that the contact of the path and {other} are
// different people, so neither list offers the pair again.
func (s *Server) duplicateDismiss(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	a, errA := strconv.ParseInt(r.PathValue("id"), 10, 64)
	b, errB := strconv.ParseInt(r.PathValue("other"), 10, 64)
	if errA != nil || errB != nil {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	ret := duplicateReturn(f.Get("return"), a, b)
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	var names []string
	for _, id := range []int64{a, b} {
		if c, err := s.Contacts.Get(ctx, v, id); err == nil {
			names = append(names, c.Name())
		}
	}
	if err := s.Contacts.DismissDuplicate(ctx, v, a, b); err != nil {
		if errs.Is(err, errs.Invalid) {
			s.setFlash(w, "error", fieldMessage(err))
			http.Redirect(w, r, ret, http.StatusSeeOther)
			return
		}
		s.fail(w, r, err)
		return
	}
	msg := "Marked as not duplicates. The pair will not be suggested again."
	if len(names) == 2 {
		msg = "Marked as different people: " + strings.Join(names, " and ") + " will not be suggested as duplicates again."
	}
	s.setFlash(w, "success", msg)
	http.Redirect(w, r, ret, http.StatusSeeOther)
}
