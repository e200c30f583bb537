package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/mail"
)

// listColumn is a column the home list can show; every one sorts.
type listColumn struct {
	Key, Label string
	Num        bool
}

var listColumns = func() []listColumn {
	out := make([]listColumn, len(contact.SortColumns))
	for i, c := range contact.SortColumns {
		out[i] = listColumn{Key: c.Key(), Label: c.Label(), Num: c.Key() == "completeness"}
	}
	return out
}()

var defaultCols = []string{"name", "category", "stage", "owner", "email", "phone", "completeness"}

// listState is the whole state of the home list, as the URL holds it.
type listState struct {
	Q, Stage, Tag, Sort, Cursor     string
	Category, Owner, Group, Segment int64
	Cols                            []string
	// Match and Conds are the advanced search (see contacts_search.go).
	Match string
	Conds []condRow
	// EditSegment is the segment whose conditions the advanced search
	// holds for editing.
	EditSegment int64
}

// parseListState reads the list's state from a query string; an error is
// a message for a 400 page.
func parseListState(q url.Values) (listState, error) {
	st := listState{Q: strings.TrimSpace(q.Get("q")), Stage: q.Get("stage"), Tag: strings.TrimSpace(q.Get("tag")),
		Sort: q.Get("sort"), Cursor: q.Get("cursor")}
	if len(st.Q) > 200 {
		return st, errs.E(errs.Invalid, "The search is too long: at most 200 characters.")
	}
	for _, f := range []struct {
		name  string
		label string
		p     *int64
	}{{"category", "category", &st.Category}, {"owner", "owner", &st.Owner}, {"group", "group", &st.Group},
		{"segment", "segment", &st.Segment}, {"edit_segment", "segment", &st.EditSegment}} {
		if v := q.Get(f.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return st, errs.E(errs.Invalid, "The %s filter %q is not one of the listed %ss. Choose one from the list.", f.label, v, f.label)
			}
			*f.p = n
		}
	}
	var chosen []string
	for _, v := range q["cols"] {
		for _, k := range strings.Split(v, ",") {
			if k = strings.TrimSpace(k); k == "" {
				continue
			}
			if !slices.ContainsFunc(listColumns, func(c listColumn) bool { return c.Key == k }) {
				keys := make([]string, len(listColumns))
				for i, c := range listColumns {
					keys[i] = c.Key
				}
				return st, errs.E(errs.Invalid, "Unknown column %q; choose from %s.", k, strings.Join(keys, ", "))
			}
			chosen = append(chosen, k)
		}
	}
	if len(chosen) == 0 {
		chosen = defaultCols
	}
	st.Match, st.Conds = parseConditions(q)
	// The name column is always there; the order is the list's own.
	for _, c := range listColumns {
		if c.Key == "name" || slices.Contains(chosen, c.Key) {
			st.Cols = append(st.Cols, c.Key)
		}
	}
	return st, nil
}

// query is the list's query without its conditions, which need their
// values translated first (listConditions).
func (st listState) query() contact.Query {
	return contact.Query{Q: st.Q, Category: st.Category, Stage: st.Stage, Owner: st.Owner, Group: st.Group, Tag: st.Tag,
		Segment: st.Segment, Match: st.Match, Sort: st.Sort, Cursor: st.Cursor}
}

// Filtered reports whether a search, a filter or a condition narrows the
// list.
func (st listState) Filtered() bool {
	return st.Q != "" || st.Category != 0 || st.Stage != "" || st.Owner != 0 || st.Group != 0 || st.Tag != "" ||
		st.Segment != 0 || len(st.Conds) > 0
}

func (st listState) values() url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	id := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	set("q", st.Q)
	set("category", id(st.Category))
	set("stage", st.Stage)
	set("owner", id(st.Owner))
	set("group", id(st.Group))
	set("tag", st.Tag)
	set("segment", id(st.Segment))
	set("edit_segment", id(st.EditSegment))
	set("sort", st.Sort)
	set("cursor", st.Cursor)
	if !slices.Equal(st.Cols, defaultCols) {
		set("cols", strings.Join(st.Cols, ","))
	}
	if len(st.Conds) > 0 {
		set("m", st.Match)
	}
	for _, c := range st.Conds {
		n := strconv.Itoa(c.N)
		set("f"+n, c.Field)
		set("o"+n, c.Op)
		set("v"+n, c.Value)
	}
	return v
}

// viewQuery is what a saved view keeps of the state: everything but the
// page and a segment being edited.
func (st listState) viewQuery() string {
	st.Cursor, st.EditSegment = "", 0
	return st.values().Encode()
}

// URL is the list's address for this state.
func (st listState) URL() string {
	if q := st.values().Encode(); q != "" {
		return "/contacts?" + q
	}
	return "/contacts"
}

// With is the list's address with one filter set and the paging reset.
func (st listState) With(key, value string) string {
	st.Cursor = ""
	switch key {
	case "tag":
		st.Tag = value
	case "stage":
		st.Stage = value
	}
	return st.URL()
}

// Clear is the list's address without search, filters and conditions
// (sort and columns stay).
func (st listState) Clear() string {
	return listState{Sort: st.Sort, Cols: st.Cols}.URL()
}

// ClearConditions is the list's address without the advanced search.
func (st listState) ClearConditions() string {
	st.Cursor, st.Match, st.Conds, st.EditSegment = "", "", nil, 0
	return st.URL()
}

type listHeader struct {
	listColumn
	URL  string
	Sort string // aria-sort: ascending, descending or ""
}

type columnChoice struct {
	listColumn
	On bool
}

type listData struct {
	State      listState
	Home       bool
	Headers    []listHeader
	Columns    []columnChoice
	DefaultCol string
	Rows       []contact.Row
	ColSpan    int
	NextURL    string
	FirstURL   string
	NoContacts bool
	CanWrite   bool
	TrashDays  int
	// CanExport is the export grant; CanExportSensitive adds the ID
	// numbers choice (Sensitive Data Access).
	CanExport, CanExportSensitive bool
	// Refused is why the conditions could not be used; the rows are empty.
	Refused string

	OwnerNames    map[int64]string
	CategoryNames map[int64]string
	Categories    []contact.Category
	Stages        []contact.Option
	Owners        []*auth.User // active users, for filters and bulk assign
	Groups        []contact.Group
	Tags          []string
	Segments      []contact.Segment

	// Advanced search and saved views (contacts_search.go, views.go).
	Search searchForm
	Views  viewsMenu

	// What the old home page said that still matters.
	TOTPNudge bool
	MailStuck int
}

// contactList is the CRM home, at / and /contacts. With partial=rows it answers only the
// results (table and pager) for search as you type; with partial=picker
// the few matches a contact picker offers.
func (s *Server) contactList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	q := r.URL.Query()
	partial := q.Get("partial")
	if partial == "picker" {
		s.contactPicker(w, r, v)
		return
	}
	st, err := parseListState(q)
	if err != nil {
		s.listError(w, r, partial, err)
		return
	}
	f := &Form{Values: q, Errors: map[string]string{}}
	page, err := s.listPage(ctx, v, st, f)
	status := http.StatusOK
	if err != nil {
		if !errs.Is(err, errs.Invalid) || len(f.Errors) == 0 || partial == "rows" {
			s.listError(w, r, partial, err)
			return
		}
		// A condition the domain refused: the page shows the message next
		// to its row, with the input kept.
		status = http.StatusBadRequest
	}
	s.renderList(w, r, status, st, page, f, partial == "rows")
}

// listError answers a list state that cannot be shown: a 400 page, or the
// message alone for search as you type.
func (s *Server) listError(w http.ResponseWriter, r *http.Request, partial string, err error) {
	if !errs.Is(err, errs.Invalid) {
		s.fail(w, r, err)
		return
	}
	msg := fieldMessage(err)
	if partial == "rows" {
		s.renderFragment(w, r, http.StatusBadRequest, "app/contacts", "contact-error", &Page{Data: msg})
		return
	}
	s.renderErrorText(w, r, http.StatusBadRequest, msg)
}

// listPage reads one page of the list; a refused condition's message goes
// on f, next to its row.
func (s *Server) listPage(ctx context.Context, v contact.Viewer, st listState, f *Form) (contact.Page, error) {
	q := st.query()
	conds, rows, err := s.listConditions(ctx, st)
	if err == nil {
		q.Conditions = conds
		var page contact.Page
		if page, err = s.Contacts.List(ctx, v, q); err == nil {
			return page, nil
		}
	}
	conditionErrors(f, err, rows)
	return contact.Page{}, err
}

// renderList shows the list for st with f's values and errors; the
// handlers that save a view or a segment come back to it on an error.
func (s *Server) renderList(w http.ResponseWriter, r *http.Request, status int, st listState, page contact.Page, f *Form, rowsOnly bool) {
	if r.URL.Path != "/" && r.URL.Path != "/contacts" {
		// A form posted to /views or /segments came back: it is the list
		// that shows, so the navigation says so.
		u := *r.URL
		u.Path = "/contacts"
		r = r.WithContext(r.Context())
		r.URL = &u
	}
	ctx := r.Context()
	u := userFrom(ctx)
	d, err := s.listData(ctx, u, st, page, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Home = r.URL.Path == "/"
	if conditionRefused(f) {
		d.Refused = "These conditions cannot be used as they are. Correct the ones marked in Advanced search."
		d.NoContacts = false
	}
	p := &Page{Title: "Contacts", Form: f, Data: d}
	if rowsOnly {
		s.renderFragment(w, r, status, "app/contacts", "contact-results", p)
		return
	}
	if d.Home && !u.TOTPEnabled {
		d.TOTPNudge = true
	}
	if u.Can(auth.PermSettings) && s.Cfg.SMTPURL == "" {
		d.MailStuck = s.mailQueued(ctx)
	}
	s.render(w, r, status, "app/contacts", p)
}

// fieldMessage is the message of a validation error as a sentence: the
// first field's message when it has fields.
func fieldMessage(err error) string {
	fields := errs.FieldsOf(err)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		return sentence(fields[k])
	}
	return errs.MessageOf(err)
}

func (s *Server) listData(ctx context.Context, u *auth.User, st listState, page contact.Page, f *Form) (*listData, error) {
	v := contact.ViewerFor(u)
	d := &listData{State: st, Rows: page.Rows, Stages: contact.Stages, CanWrite: !v.ReadOnly, TrashDays: contact.TrashDays,
		DefaultCol: strings.Join(defaultCols, ","), ColSpan: len(st.Cols) + 1, CanExport: v.Export, CanExportSensitive: v.Export && v.Sensitive}
	for _, c := range listColumns {
		if slices.Contains(st.Cols, c.Key) {
			h := listHeader{listColumn: c}
			next := st
			next.Cursor = ""
			cur := strings.TrimPrefix(st.Sort, "-")
			switch {
			case cur == c.Key && !strings.HasPrefix(st.Sort, "-"), c.Key == "name" && st.Sort == "" && st.Q == "":
				h.Sort = "ascending"
				next.Sort = "-" + c.Key
			case cur == c.Key:
				h.Sort = "descending"
				next.Sort = c.Key
			default:
				next.Sort = c.Key
			}
			h.URL = next.URL()
			d.Headers = append(d.Headers, h)
		}
		d.Columns = append(d.Columns, columnChoice{listColumn: c, On: slices.Contains(st.Cols, c.Key)})
	}
	if page.NextCursor != "" {
		next := st
		next.Cursor = page.NextCursor
		d.NextURL = next.URL()
	}
	if st.Cursor != "" {
		first := st
		first.Cursor = ""
		d.FirstURL = first.URL()
	}
	d.NoContacts = len(page.Rows) == 0 && !st.Filtered() && st.Cursor == ""
	var err error
	if d.Categories, err = s.Contacts.Categories(ctx); err != nil {
		return nil, err
	}
	d.CategoryNames = map[int64]string{}
	for _, c := range d.Categories {
		d.CategoryNames[c.ID] = c.Name
	}
	users, err := s.Auth.Users(ctx)
	if err != nil {
		return nil, err
	}
	d.OwnerNames = map[int64]string{}
	for _, x := range users {
		d.OwnerNames[x.ID] = x.Name
		if x.DisabledAt == nil && (!v.OwnOnly || x.ID == u.ID) {
			d.Owners = append(d.Owners, x)
		}
	}
	if d.Groups, err = s.Contacts.Groups(ctx, v); err != nil {
		return nil, err
	}
	if d.Tags, err = s.Contacts.Tags(ctx); err != nil {
		return nil, err
	}
	if d.Segments, err = s.Contacts.Segments(ctx); err != nil {
		return nil, err
	}
	if d.Search, err = s.advancedSearch(ctx, st, f, condValues{categories: d.Categories, users: users, tags: d.Tags}); err != nil {
		return nil, err
	}
	if d.Views, err = s.viewsMenu(ctx, v, st, f); err != nil {
		return nil, err
	}
	return d, nil
}

// pickerData is what a contact picker offers for a search.
type pickerData struct {
	Q    string
	Rows []contact.Row
}

// contactPicker answers a picker's search: a few contacts, persons only
// with kind=person.
func (s *Server) contactPicker(w http.ResponseWriter, r *http.Request, v contact.Viewer) {
	q := r.URL.Query()
	d := pickerData{Q: strings.TrimSpace(q.Get("q"))}
	if d.Q != "" && len(d.Q) <= 200 {
		query := contact.Query{Q: d.Q, Limit: 8}
		if k := q.Get("kind"); k == string(contact.Person) {
			query.Conditions = []contact.Condition{{Field: "kind", Op: "equals", Value: k}}
		}
		page, err := s.Contacts.List(r.Context(), v, query)
		if err != nil {
			s.Log.ErrorContext(r.Context(), "contact picker", "err", err)
		}
		d.Rows = page.Rows
	}
	s.renderFragment(w, r, http.StatusOK, "app/contacts", "contact-picker", &Page{Data: d})
}

// listReturn is where a bulk action goes back to: a list address, never
// anywhere else.
func listReturn(ret string) string {
	if safeNext(ret) != ret {
		return "/contacts"
	}
	if ret == "/" || ret == "/contacts" || strings.HasPrefix(ret, "/contacts?") {
		return ret
	}
	return "/contacts"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

type bulkConfirmData struct {
	IDs       []int64
	Return    string
	TrashDays int
}

// contactsBulk runs a bulk action on the selected rows and goes back to the
// same list with a message.
func (s *Server) contactsBulk(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	ret := listReturn(f.Get("return"))
	var ids []int64
	for _, x := range f.Values["id"] {
		if id, err := strconv.ParseInt(x, 10, 64); err == nil && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	b := contact.Bulk{IDs: ids, Action: f.Get("action"), Tag: f.Get("tag")}
	b.OwnerID, _ = strconv.ParseInt(f.Get("owner_id"), 10, 64)
	b.GroupID, _ = strconv.ParseInt(f.Get("group_id"), 10, 64)
	if b.Action == "delete" && f.Get("confirm") != "yes" && len(ids) > 0 {
		s.render(w, r, http.StatusOK, "app/contacts_bulk_delete", &Page{Title: "Delete contacts", Data: bulkConfirmData{IDs: ids, Return: ret, TrashDays: contact.TrashDays}})
		return
	}
	n, err := s.Contacts.ApplyBulk(ctx, v, b)
	if err != nil {
		switch errs.CodeOf(err) {
		case errs.Invalid, errs.Forbidden, errs.Conflict:
			s.setFlash(w, "error", fieldMessage(err))
			http.Redirect(w, r, ret, http.StatusSeeOther)
		default:
			s.fail(w, r, err)
		}
		return
	}
	var msg string
	switch b.Action {
	case "owner":
		name := "the new owner"
		if o, err := s.Auth.UserByID(ctx, b.OwnerID); err == nil {
			name = o.Name
		}
		msg = fmt.Sprintf("Assigned %s to %s.", plural(n, "contact", "contacts"), name)
	case "group":
		msg = fmt.Sprintf("Added %s to the group.", plural(n, "contact", "contacts"))
		if gs, err := s.Contacts.Groups(ctx, v); err == nil {
			for _, g := range gs {
				if g.ID == b.GroupID {
					msg = fmt.Sprintf("Added %s to %s.", plural(n, "contact", "contacts"), g.Name)
				}
			}
		}
	case "tag":
		msg = fmt.Sprintf("Tagged %s “%s”.", plural(n, "contact", "contacts"), strings.ToLower(strings.Join(strings.Fields(b.Tag), " ")))
	case "delete":
		msg = fmt.Sprintf("Moved %s to the trash. You can restore them from their pages for %d days.", plural(n, "contact", "contacts"), contact.TrashDays)
	}
	if skipped := len(ids) - n; skipped > 0 {
		msg += fmt.Sprintf(" %s unchanged: already so, or not yours to change.", plural(skipped, "was", "were"))
	}
	s.setFlash(w, "success", msg)
	http.Redirect(w, r, ret, http.StatusSeeOther)
}

func (s *Server) mailQueued(ctx context.Context) int {
	n, _ := mail.CountQueued(ctx, s.DB)
	return n
}
