package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
)

// historyData is the contact's activity log, newest first.
type historyData struct {
	contactHead
	Records []audit.Record
	Older   string
	Names   valueNames
}

// valueNames shows the ids the log records (owner, category) by name.
type valueNames struct {
	Users      map[string]string
	Categories map[string]string
}

// Value is how a logged value of field reads.
func (n valueNames) Value(field, v string) string {
	switch field {
	case "owner_id":
		if name, ok := n.Users[v]; ok {
			return name
		}
	case "category_id":
		if name, ok := n.Categories[v]; ok {
			return name
		}
	case "stage":
		return contact.LabelOf(contact.Stages, v)
	case "kind":
		if v != "" {
			return contact.Kind(v).Label()
		}
	case "markets_traded":
		return marketLabels(strings.Split(v, ", "))
	}
	if opts, ok := optionFields[field]; ok {
		return contact.LabelOf(opts, v)
	}
	return v
}

// optionFields are the logged fields whose values are keys of a fixed list.
var optionFields = map[string][]contact.Option{
	"employment": contact.Employments, "income_source": contact.IncomeSources, "annual_income": contact.IncomeRanges,
	"net_worth": contact.NetWorthRanges, "experience_years": contact.ExperienceYears, "trades_per_year": contact.TradesPerYear,
	"qualification": contact.Qualifications, "risk_tolerance": contact.RiskTolerances,
	"investment_objective": contact.Objectives, "time_horizon": contact.TimeHorizons,
}

func (s *Server) valueNames(r *http.Request) valueNames {
	n := valueNames{Users: map[string]string{}, Categories: map[string]string{}}
	if users, err := s.Auth.Users(r.Context()); err == nil {
		for _, u := range users {
			n.Users[u.IDString()] = u.Name
		}
	}
	if cats, err := s.Contacts.Categories(r.Context()); err == nil {
		for _, c := range cats {
			n.Categories[strconv.FormatInt(c.ID, 10)] = c.Name
		}
	}
	return n
}

func (s *Server) contactHistory(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadContact(w, r)
	if !ok {
		return
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	// A merged contact's history continues on the contact it went into.
	ids, err := s.Contacts.HistoryIDs(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	recs, older, err := audit.List(r.Context(), s.DB, audit.Filter{Entity: "contact", EntityIDs: ids, Before: before, Limit: 50})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := historyData{contactHead: s.contactHead(r, c, "history"), Records: recs, Names: s.valueNames(r)}
	if older != "" {
		d.Older = recordURL(c.ID) + "/history?before=" + older
	}
	s.render(w, r, http.StatusOK, "app/contact_history", &Page{Title: "History of " + c.Name(), Data: d})
}

type trashData struct {
	Rows       []contact.TrashRow
	Next       string
	First      bool
	OwnerNames map[int64]string
	CanWrite   bool
	IsAdmin    bool
	TrashDays  int
}

// contactsTrash lists the deleted contacts the user may see, to restore
// them (or, for admins, erase them now).
func (s *Server) contactsTrash(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	rows, next, err := s.Contacts.Trash(ctx, v, after, 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := trashData{Rows: rows, First: after == 0, OwnerNames: map[int64]string{}, CanWrite: !v.ReadOnly, IsAdmin: v.Admin,
		TrashDays: contact.TrashDays}
	if next != 0 {
		d.Next = "/contacts/trash?after=" + strconv.FormatInt(next, 10)
	}
	if users, err := s.Auth.Users(ctx); err == nil {
		for _, u := range users {
			d.OwnerNames[u.ID] = u.Name
		}
	}
	s.render(w, r, http.StatusOK, "app/contacts_trash", &Page{Title: "Trash", Data: d})
}
