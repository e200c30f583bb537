package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// duplicatesLimit is how many pairs the duplicates page shows at once;
// merging or dismissing some brings the next ones.
const duplicatesLimit = 100

type duplicatesData struct {
	Pairs    []contact.Duplicate
	CanWrite bool
	Limit    int
}

// duplicatesPage lists the likely duplicate pairs of the whole book.
func (s *Server) duplicatesPage(w http.ResponseWriter, r *http.Request) {
	v := contact.ViewerFor(userFrom(r.Context()))
	pairs, err := s.Contacts.Duplicates(r.Context(), v, duplicatesLimit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "app/contacts_duplicates", &Page{Title: "Possible duplicates",
		Data: duplicatesData{Pairs: pairs, CanWrite: !v.ReadOnly, Limit: duplicatesLimit}})
}

// duplicateReturn is where a dismissal goes back to: the duplicates page
// or one of the two records.
func duplicateReturn(ret string, a, b int64) string {
	for _, ok := range []string{"/contacts/duplicates", recordURL(a), recordURL(b)} {
		if ret == ok {
			return ret
		}
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
