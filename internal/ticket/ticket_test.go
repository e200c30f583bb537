package ticket_test

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/contact/contacttest"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/secret"
	"github.com/foliocrm/folio/internal/ticket"
)

type fixture struct {
	t                              *testing.T
	d                              *db.DB
	cs                             *contact.Service
	s                              *ticket.Service
	act                            *activity.Service
	woken                          atomic.Int32
	admin, advisor, limited, other contact.Viewer
	reader                         contact.Viewer
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	box, _ := secret.New(make([]byte, 32))
	cs := contact.New(d, box)
	f := &fixture{t: t, d: d, cs: cs, s: ticket.New(d, cs, "https://folio.example/"), act: activity.New(d, cs)}
	f.s.MailQueued = func() { f.woken.Add(1) }
	f.act.RegisterKind(activity.KindTicket, f.s.Loader)
	user := func(name, role string, ownOnly bool) contact.Viewer {
		return contacttest.User(t, d, name, role, ownOnly, "example.com")
	}
	f.admin = user("Ada Admin", "owner", false)
	f.advisor = user("Otto Advisor", "advisor", false)
	f.limited = user("Lim Ited", "advisor", true)
	f.other = user("Olga Other", "advisor", false)
	f.reader = user("Rea Reader", "readonly", false)
	t.Cleanup(func() {
		if n, err := audit.Verify(context.Background(), d); err != nil {
			t.Errorf("activity log does not verify after %d rows: %v", n, err)
		}
	})
	return f
}

func ctxAs(v contact.Viewer) context.Context { return contacttest.Ctx(v) }

func (f *fixture) contact(owner contact.Viewer, first string) int64 {
	f.t.Helper()
	id, err := f.cs.Create(ctxAs(owner), owner, &contact.Contact{Kind: contact.Person, FirstName: first, LastName: "Client", CategoryID: 1, OwnerID: owner.UserID})
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) ticket(v contact.Viewer, in ticket.Input) int64 {
	f.t.Helper()
	id, err := f.s.Create(ctxAs(v), v, in)
	if err != nil {
		f.t.Fatalf("Create: %v %v", err, errs.FieldsOf(err))
	}
	return id
}

func (f *fixture) get(v contact.Viewer, id int64) *ticket.Ticket {
	f.t.Helper()
	t, err := f.s.Get(context.Background(), v, id)
	if err != nil {
		f.t.Fatalf("Get: %v", err)
	}
	return t
}

func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.d.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// actions are the activity-log actions on a contact, oldest first.
func (f *fixture) actions(contactID int64) []string {
	f.t.Helper()
	recs, _, err := audit.List(context.Background(), f.d, audit.Filter{Entity: "contact", EntityID: strconv.FormatInt(contactID, 10), Limit: 100})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for i := len(recs) - 1; i >= 0; i-- {
		out = append(out, recs[i].Action)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func TestTicket_validationNamesEachField(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cid := f.contact(f.advisor, "Ana")
		for _, tt := range []struct {
			name string
			in   ticket.Input
			want map[string]string
		}{
			{"empty", ticket.Input{}, map[string]string{"title": "Give the ticket a title.", "contact_id": "Choose the contact"}},
			{"two lines", ticket.Input{ContactID: cid, Title: "a\nb"}, map[string]string{"title": "single line"}},
			{"too long", ticket.Input{ContactID: cid, Title: strings.Repeat("x", 201)}, map[string]string{"title": "at most 200"}},
			{"control", ticket.Input{ContactID: cid, Title: "bell\a"}, map[string]string{"title": "control character"}},
			{"priority", ticket.Input{ContactID: cid, Title: "t", Priority: "asap"}, map[string]string{"priority": `Unknown priority "asap"`}},
			{"status", ticket.Input{ContactID: cid, Title: "t", Status: "done"}, map[string]string{"status": `Unknown status "done"`}},
			{"description", ticket.Input{ContactID: cid, Title: "t", Description: strings.Repeat("y", ticket.MaxDescription+1)}, map[string]string{"description": "too long"}},
			{"unknown contact", ticket.Input{ContactID: 999999, Title: "t"}, map[string]string{"contact_id": "no contact #999999"}},
			{"unknown assignee", ticket.Input{ContactID: cid, Title: "t", AssigneeID: 999999}, map[string]string{"assignee_id": "active staff user"}},
		} {
			_, err := f.s.Create(ctxAs(f.advisor), f.advisor, tt.in)
			fields := errs.FieldsOf(err)
			for k, want := range tt.want {
				if !strings.Contains(fields[k], want) {
					t.Errorf("%s: %s = %q, want %q (all: %v)", tt.name, k, fields[k], want, err)
				}
			}
		}
		// A disabled user cannot be given a ticket.
		if _, err := d.ExecContext(context.Background(), "UPDATE users SET disabled_at = ? WHERE id = ?", db.Now(), f.other.UserID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Create(ctxAs(f.advisor), f.advisor, ticket.Input{ContactID: cid, Title: "t", AssigneeID: f.other.UserID}); errs.FieldsOf(err)["assignee_id"] == "" {
			t.Errorf("assigning a disabled user: %v", err)
		}
		if n := f.count("SELECT COUNT(*) FROM tickets"); n != 0 {
			t.Errorf("%d tickets stored from bad input", n)
		}
	})
}

func TestTicket_createEditStatusAssignDeleteAreLogged(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cid := f.contact(f.advisor, "Ana")
		id := f.ticket(f.advisor, ticket.Input{ContactID: cid, Title: "  Address change  ", Description: "New **address**", Priority: "high"})
		tk := f.get(f.advisor, id)
		if tk.Title != "Address change" || tk.Status != "open" || tk.Priority != "high" || tk.AssigneeID != 0 || tk.Version != 1 ||
			tk.CreatedBy != "Otto Advisor" || tk.ContactName != "Ana Client" || !strings.Contains(string(tk.DescriptionHTML), "<strong>address</strong>") {
			t.Fatalf("created %+v", tk)
		}
		// Closing sets closed_at; reopening clears it.
		if err := f.s.Update(ctxAs(f.advisor), f.advisor, id, ticket.Edit{Status: ptr("closed"), Version: 1}); err != nil {
			t.Fatal(err)
		}
		if tk = f.get(f.advisor, id); tk.ClosedAt == nil || tk.Version != 2 {
			t.Fatalf("closed: %+v", tk)
		}
		if err := f.s.Update(ctxAs(f.advisor), f.advisor, id, ticket.Edit{Status: ptr("in_progress"), Version: 2}); err != nil {
			t.Fatal(err)
		}
		if tk = f.get(f.advisor, id); tk.ClosedAt != nil || tk.Status != "in_progress" {
			t.Fatalf("reopened: %+v", tk)
		}
		if err := f.s.Update(ctxAs(f.advisor), f.advisor, id, ticket.Edit{AssigneeID: ptr(f.other.UserID), Version: 3}); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Update(ctxAs(f.advisor), f.advisor, id, ticket.Edit{Title: ptr("Address change, urgent"), Priority: ptr("urgent"), Version: 4}); err != nil {
			t.Fatal(err)
		}
		// Nothing changed: no new version, no log row.
		if err := f.s.Update(ctxAs(f.advisor), f.advisor, id, ticket.Edit{Priority: ptr("urgent"), Version: 5}); err != nil {
			t.Fatal(err)
		}
		if tk = f.get(f.advisor, id); tk.Version != 5 || tk.Assignee != "Olga Other" || tk.Title != "Address change, urgent" {
			t.Fatalf("edited: %+v", tk)
		}
		// Only an admin deletes.
		if err := f.s.Delete(ctxAs(f.advisor), f.advisor, id); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("advisor delete: %v", err)
		}
		if err := f.s.Delete(ctxAs(f.admin), f.admin, id); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Get(context.Background(), f.admin, id); !errs.Is(err, errs.NotFound) {
			t.Fatalf("deleted ticket: %v", err)
		}
		if n := f.count("SELECT COUNT(*) FROM timeline WHERE kind = 'ticket'"); n != 0 {
			t.Errorf("%d timeline rows left", n)
		}
		want := []string{"contact.create", "contact.ticket_add", "contact.ticket_status", "contact.ticket_status", "contact.ticket_assign",
			"contact.ticket_edit", "contact.ticket_delete"}
		if got := f.actions(cid); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("activity log = %v\nwant %v", got, want)
		}
		recs, _, _ := audit.List(context.Background(), d, audit.Filter{Entity: "contact", Action: "contact.ticket_edit", Limit: 5})
		if len(recs) != 1 || len(recs[0].Changes) != 2 || recs[0].Changes[0].Old != "Address change" || recs[0].Changes[1].New != "Urgent" {
			t.Errorf("edit logged as %+v", recs)
		}
	})
}

func TestTicket_staleVersionIsAConflict(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cid := f.contact(f.advisor, "Ana")
		id := f.ticket(f.advisor, ticket.Input{ContactID: cid, Title: "One"})
		if err := f.s.Update(ctxAs(f.other), f.other, id, ticket.Edit{Title: ptr("Two"), Version: 1}); err != nil {
			t.Fatal(err)
		}
		err := f.s.Update(ctxAs(f.advisor), f.advisor, id, ticket.Edit{Title: ptr("Three"), Version: 1})
		if !errs.Is(err, errs.Conflict) {
			t.Fatalf("stale edit: %v", err)
		}
		if tk := f.get(f.advisor, id); tk.Title != "Two" {
			t.Errorf("title = %q after a refused edit", tk.Title)
		}
	})
}

func TestTicket_invisibleContactsAndReadOnlyUsers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		theirs := f.contact(f.advisor, "Ana")
		mine := f.contact(f.limited, "Lia")
		id := f.ticket(f.advisor, ticket.Input{ContactID: theirs, Title: "Secret"})
		own := f.ticket(f.limited, ticket.Input{ContactID: mine, Title: "Mine"})
		if _, err := f.s.Get(context.Background(), f.limited, id); !errs.Is(err, errs.NotFound) {
			t.Errorf("limited user sees another's ticket: %v", err)
		}
		if err := f.s.Update(ctxAs(f.limited), f.limited, id, ticket.Edit{Title: ptr("x")}); !errs.Is(err, errs.NotFound) {
			t.Errorf("limited user edits another's ticket: %v", err)
		}
		if _, err := f.s.AddComment(ctxAs(f.limited), f.limited, id, "hi"); !errs.Is(err, errs.NotFound) {
			t.Errorf("limited user comments another's ticket: %v", err)
		}
		if _, err := f.s.Create(ctxAs(f.limited), f.limited, ticket.Input{ContactID: theirs, Title: "x"}); errs.FieldsOf(err)["contact_id"] == "" {
			t.Errorf("limited user opens a ticket on another's contact: %v", err)
		}
		if err := f.s.Update(ctxAs(f.limited), f.limited, own, ticket.Edit{ContactID: ptr(theirs)}); errs.FieldsOf(err)["contact_id"] == "" {
			t.Errorf("limited user moves a ticket to another's contact: %v", err)
		}
		p, err := f.s.List(context.Background(), f.limited, ticket.Query{})
		if err != nil || len(p.Items) != 1 || p.Items[0].ID != own {
			t.Errorf("limited list = %+v, %v", p.Items, err)
		}
		if _, err := f.s.Create(ctxAs(f.reader), f.reader, ticket.Input{ContactID: theirs, Title: "x"}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("read-only user creates: %v", err)
		}
		if _, err := f.s.AddComment(ctxAs(f.reader), f.reader, id, "x"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("read-only user comments: %v", err)
		}
		if _, err := f.s.ContactTickets(context.Background(), f.limited, theirs, ticket.Query{}); !errs.Is(err, errs.NotFound) {
			t.Errorf("limited user lists another contact's tickets: %v", err)
		}
	})
}

func TestTicket_movingToAnotherContactMovesItsTimelineRow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.contact(f.advisor, "Ana"), f.contact(f.advisor, "Bea")
		id := f.ticket(f.advisor, ticket.Input{ContactID: a, Title: "Wrong client"})
		if err := f.s.Update(ctxAs(f.advisor), f.advisor, id, ticket.Edit{ContactID: ptr(b), Version: 1}); err != nil {
			t.Fatal(err)
		}
		if n := f.count("SELECT COUNT(*) FROM timeline WHERE kind = 'ticket' AND ref_id = ? AND contact_id = ?", id, b); n != 1 {
			t.Errorf("timeline rows on the new contact: %d", n)
		}
		if n := f.count("SELECT COUNT(*) FROM timeline WHERE contact_id = ?", a); n != 0 {
			t.Errorf("timeline rows left on the old contact: %d", n)
		}
		if got := f.actions(a); got[len(got)-1] != "contact.ticket_move" {
			t.Errorf("old contact's log = %v", got)
		}
		if got := f.actions(b); got[len(got)-1] != "contact.ticket_edit" {
			t.Errorf("new contact's log = %v", got)
		}
	})
}

func TestTicketComments_editOwnOnlyDeleteAdminOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cid := f.contact(f.advisor, "Ana")
		id := f.ticket(f.advisor, ticket.Input{ContactID: cid, Title: "Question"})
		c1, err := f.s.AddComment(ctxAs(f.advisor), f.advisor, id, "First *thought*")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.AddComment(ctxAs(f.other), f.other, id, "  "); errs.FieldsOf(err)["body"] == "" {
			t.Errorf("empty comment: %v", err)
		}
		c2, err := f.s.AddComment(ctxAs(f.other), f.other, id, "Second")
		if err != nil {
			t.Fatal(err)
		}
		// Not even an admin edits someone else's words.
		for _, v := range []contact.Viewer{f.other, f.admin} {
			if err := f.s.EditComment(ctxAs(v), v, c1, "changed", 1); !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s edits another's comment: %v", v.Name, err)
			}
		}
		if err := f.s.EditComment(ctxAs(f.advisor), f.advisor, c1, "First thought, revised", 1); err != nil {
			t.Fatal(err)
		}
		if err := f.s.EditComment(ctxAs(f.advisor), f.advisor, c1, "stale", 1); !errs.Is(err, errs.Conflict) {
			t.Errorf("stale comment edit: %v", err)
		}
		if err := f.s.DeleteComment(ctxAs(f.other), f.other, c2); !errs.Is(err, errs.Forbidden) {
			t.Errorf("advisor deletes own comment: %v", err)
		}
		if err := f.s.DeleteComment(ctxAs(f.admin), f.admin, c2); err != nil {
			t.Fatal(err)
		}
		cs, err := f.s.Comments(context.Background(), f.advisor, id)
		if err != nil || len(cs) != 1 || cs[0].Body != "First thought, revised" || !cs[0].Edited() {
			t.Fatalf("comments = %+v, %v", cs, err)
		}
		if tk := f.get(f.advisor, id); tk.Comments != 1 {
			t.Errorf("comment count = %d", tk.Comments)
		}
		want := "contact.create contact.ticket_add contact.ticket_comment_add contact.ticket_comment_add contact.ticket_comment_edit contact.ticket_comment_delete"
		if got := strings.Join(f.actions(cid), " "); got != want {
			t.Errorf("log = %s", got)
		}
	})
}

func TestTicket_assigneeIsEmailedInTheOutbox(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cid := f.contact(f.advisor, "Ana")
		outbox := func() []string {
			rows, err := d.QueryContext(context.Background(), "SELECT to_addr, subject, body_text FROM mail_outbox ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var to, subject, body string
				if err := rows.Scan(&to, &subject, &body); err != nil {
					t.Fatal(err)
				}
				out = append(out, to+" | "+subject+" | "+body)
			}
			return out
		}
		// Assigning oneself sends nothing.
		id := f.ticket(f.advisor, ticket.Input{ContactID: cid, Title: "Mine", AssigneeID: f.advisor.UserID})
		if m := outbox(); len(m) != 0 || f.woken.Load() != 0 {
			t.Fatalf("self-assignment mailed %v", m)
		}
		if err := f.s.Update(ctxAs(f.advisor), f.advisor, id, ticket.Edit{AssigneeID: ptr(f.other.UserID), Version: 1}); err != nil {
			t.Fatal(err)
		}
		m := outbox()
		if len(m) != 1 || !strings.HasPrefix(m[0], "olga.other@example.com | Ticket #"+strconv.FormatInt(id, 10)+" assigned to you: Mine | Otto Advisor assigned") ||
			!strings.Contains(m[0], "https://folio.example/tickets/"+strconv.FormatInt(id, 10)) || !strings.Contains(m[0], "Contact:  Ana Client") {
			t.Fatalf("outbox = %q", m)
		}
		if f.woken.Load() != 1 {
			t.Errorf("mail worker woken %d times", f.woken.Load())
		}
		// The assignee's own comment sends nothing; another's does.
		if _, err := f.s.AddComment(ctxAs(f.other), f.other, id, "On it"); err != nil {
			t.Fatal(err)
		}
		if m := outbox(); len(m) != 1 {
			t.Fatalf("own comment mailed: %q", m[1:])
		}
		if _, err := f.s.AddComment(ctxAs(f.advisor), f.advisor, id, "Thanks!\nSecond line"); err != nil {
			t.Fatal(err)
		}
		m = outbox()
		if len(m) != 2 || !strings.Contains(m[1], "New comment on ticket #") || !strings.Contains(m[1], "> Thanks!\n> Second line") {
			t.Fatalf("comment mail = %q", m)
		}
		// A new ticket assigned to someone else mails them at once.
		f.ticket(f.advisor, ticket.Input{ContactID: cid, Title: "Theirs", AssigneeID: f.other.UserID})
		if m = outbox(); len(m) != 3 || f.woken.Load() != 3 {
			t.Fatalf("outbox after a new assigned ticket: %d messages, woken %d", len(m), f.woken.Load())
		}
	})
}

func TestTicketList_searchFiltersSortAndPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ana, bea := f.contact(f.advisor, "Ana"), f.contact(f.advisor, "Bea")
		a := f.ticket(f.advisor, ticket.Input{ContactID: ana, Title: "Wire transfer to Zürich", Priority: "urgent", AssigneeID: f.other.UserID})
		b := f.ticket(f.advisor, ticket.Input{ContactID: bea, Title: "Beneficiary form", Description: "Needs the 100% signed copy", Priority: "low"})
		c := f.ticket(f.advisor, ticket.Input{ContactID: ana, Title: "Address update", Status: "closed", AssigneeID: f.advisor.UserID})
		if _, err := f.s.AddComment(ctxAs(f.advisor), f.advisor, b, "Client mentioned the PASSPORT expiry"); err != nil {
			t.Fatal(err)
		}
		ids := func(q ticket.Query) []int64 {
			t.Helper()
			p, err := f.s.List(context.Background(), f.advisor, q)
			if err != nil {
				t.Fatalf("List(%+v): %v", q, err)
			}
			var out []int64
			for _, it := range p.Items {
				out = append(out, it.ID)
			}
			return out
		}
		same := func(name string, got []int64, want ...int64) {
			t.Helper()
			if len(got) != len(want) {
				t.Errorf("%s = %v, want %v", name, got, want)
				return
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s = %v, want %v", name, got, want)
					return
				}
			}
		}
		same("zurich folds", ids(ticket.Query{Q: "zurich", Sort: "id"}), a)
		same("words in a comment", ids(ticket.Query{Q: "passport", Sort: "id"}), b)
		same("in the description", ids(ticket.Query{Q: "100%", Sort: "id"}), b)
		same("percent is not a wildcard", ids(ticket.Query{Q: "%", Sort: "id"}), b)
		same("underscore is not a wildcard", ids(ticket.Query{Q: "_", Sort: "id"}))
		same("two words", ids(ticket.Query{Q: "form passport", Sort: "id"}), b)
		same("status", ids(ticket.Query{Status: "closed"}), c)
		same("active", ids(ticket.Query{Status: "active", Sort: "id"}), a, b)
		same("priority", ids(ticket.Query{Priority: "urgent"}), a)
		same("assignee", ids(ticket.Query{Assignee: strconv.FormatInt(f.other.UserID, 10)}), a)
		same("me", ids(ticket.Query{Assignee: "me"}), c)
		same("none", ids(ticket.Query{Assignee: "none"}), b)
		same("contact", ids(ticket.Query{ContactID: ana, Sort: "id"}), a, c)
		same("title", ids(ticket.Query{Sort: "title"}), c, b, a)
		same("-priority", ids(ticket.Query{Sort: "-priority"}), a, c, b)
		same("status asc", ids(ticket.Query{Sort: "status"}), a, b, c)
		same("contact", ids(ticket.Query{Sort: "contact"}), a, c, b)
		same("comments desc", ids(ticket.Query{Sort: "-comments"}), b, c, a)
		same("assignee asc", ids(ticket.Query{Sort: "assignee"}), b, a, c)
		same("newest change first", ids(ticket.Query{}), b, c, a)
		// Pages by cursor, for every sort, go through all without repeats.
		for _, sort := range ticket.ColumnKeys() {
			for _, s := range []string{sort, "-" + sort} {
				var got []int64
				q := ticket.Query{Sort: s, Limit: 1}
				for range 5 {
					p, err := f.s.List(context.Background(), f.advisor, q)
					if err != nil {
						t.Fatalf("%s: %v", s, err)
					}
					for _, it := range p.Items {
						got = append(got, it.ID)
					}
					if p.NextCursor == "" {
						break
					}
					q.Cursor = p.NextCursor
				}
				same("paged by "+s, got, ids(ticket.Query{Sort: s})...)
			}
		}
		for _, q := range []ticket.Query{{Sort: "secret"}, {Status: "done"}, {Priority: "x"}, {Assignee: "bob"}, {Cursor: "nope"}, {Limit: 201}} {
			if _, err := f.s.List(context.Background(), f.advisor, q); !errs.Is(err, errs.Invalid) {
				t.Errorf("List(%+v) = %v, want invalid", q, err)
			}
		}
		p, _ := f.s.List(context.Background(), f.advisor, ticket.Query{Sort: "title", Limit: 1})
		if _, err := f.s.List(context.Background(), f.advisor, ticket.Query{Sort: "id", Cursor: p.NextCursor}); !errs.Is(err, errs.Invalid) {
			t.Errorf("a cursor of another order: %v", err)
		}
		// The comment report: newest first, searchable.
		if _, err := f.s.AddComment(ctxAs(f.other), f.other, a, "Called the bank"); err != nil {
			t.Fatal(err)
		}
		rep, err := f.s.CommentReport(context.Background(), f.advisor, ticket.CommentQuery{})
		if err != nil || len(rep.Items) != 2 || rep.Items[0].Author != "Olga Other" || rep.Items[0].TicketTitle != "Wire transfer to Zürich" {
			t.Fatalf("report = %+v, %v", rep.Items, err)
		}
		rep, _ = f.s.CommentReport(context.Background(), f.advisor, ticket.CommentQuery{Q: "passport"})
		if len(rep.Items) != 1 || rep.Items[0].TicketID != b {
			t.Errorf("report search = %+v", rep.Items)
		}
		rep, _ = f.s.CommentReport(context.Background(), f.advisor, ticket.CommentQuery{Limit: 1})
		rep2, err := f.s.CommentReport(context.Background(), f.advisor, ticket.CommentQuery{Limit: 1, Cursor: rep.NextCursor})
		if err != nil || len(rep2.Items) != 1 || rep2.Items[0].TicketID != b || rep2.NextCursor != "" {
			t.Errorf("report page 2 = %+v, %v", rep2, err)
		}
		if rep, _ := f.s.CommentReport(context.Background(), f.limited, ticket.CommentQuery{}); len(rep.Items) != 0 {
			t.Errorf("limited user's report = %+v", rep.Items)
		}
	})
}

func TestTicket_markupInDescriptionsAndCommentsIsInert(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cid := f.contact(f.advisor, "Ana")
		evil := "<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) <a href=\"javascript:alert(2)\">x</a>"
		id := f.ticket(f.advisor, ticket.Input{ContactID: cid, Title: "<b>bold</b>", Description: evil})
		if _, err := f.s.AddComment(ctxAs(f.advisor), f.advisor, id, evil); err != nil {
			t.Fatal(err)
		}
		tk := f.get(f.advisor, id)
		cs, _ := f.s.Comments(context.Background(), f.advisor, id)
		for name, html := range map[string]string{"description": string(tk.DescriptionHTML), "comment": string(cs[0].HTML)} {
			low := strings.ToLower(html)
			for _, bad := range []string{"<script", "<img", "javascript:", "onerror", "<a href=\"javascript"} {
				if strings.Contains(low, bad) {
					t.Errorf("%s renders %q: %s", name, bad, html)
				}
			}
		}
		if tk.Title != "<b>bold</b>" || tk.Description != evil {
			t.Errorf("the text as written is kept: %q %q", tk.Title, tk.Description)
		}
	})
}

func TestTicket_onTheContactsTimeline(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cid := f.contact(f.advisor, "Ana")
		id := f.ticket(f.advisor, ticket.Input{ContactID: cid, Title: "Statement missing", Priority: "high", AssigneeID: f.other.UserID})
		if _, err := f.s.AddComment(ctxAs(f.advisor), f.advisor, id, "note"); err != nil {
			t.Fatal(err)
		}
		p, err := f.act.Timeline(context.Background(), f.advisor, cid, activity.TimelineQuery{Kind: activity.KindTicket})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 1 || p.Items[0].Entry == nil {
			t.Fatalf("timeline = %+v", p.Items)
		}
		e := p.Items[0].Entry
		url := "/tickets/" + strconv.FormatInt(id, 10)
		if e.Title != "Ticket #"+strconv.FormatInt(id, 10)+": Statement missing" || e.Status != "open" || e.URL != url ||
			e.Detail != "High priority · assigned to Olga Other · 1 comment" || p.Items[0].Actor != "Otto Advisor" {
			t.Errorf("timeline entry = %+v (actor %q)", e, p.Items[0].Actor)
		}
		if !p.Items[0].At.Equal(f.get(f.advisor, id).CreatedAt) {
			t.Errorf("timeline at %v, created %v", p.Items[0].At, f.get(f.advisor, id).CreatedAt)
		}
	})
}

func TestTicketColumns_rememberedPerUser(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		if cols, _ := f.s.ColumnsOf(ctx, f.advisor.UserID); strings.Join(cols, ",") != strings.Join(ticket.DefaultColumns, ",") {
			t.Errorf("default columns = %v", cols)
		}
		if _, err := f.s.SaveColumns(ctx, f.advisor.UserID, []string{"comments", "id"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.SaveColumns(ctx, f.advisor.UserID, []string{"id", "description; DROP TABLE tickets"}); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown column: %v", err)
		}
		if cols, _ := f.s.ColumnsOf(ctx, f.advisor.UserID); strings.Join(cols, ",") != "id,title,comments" {
			t.Errorf("saved columns = %v", cols)
		}
		if cols, _ := f.s.ColumnsOf(ctx, f.other.UserID); len(cols) != len(ticket.DefaultColumns) {
			t.Errorf("another user's columns = %v", cols)
		}
	})
}

// Merging contacts moves the other's tickets to the survivor; erasing a
// contact removes its tickets and their comments.
func TestTicket_followsMergeAndGoesWithErase(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.contact(f.admin, "Ann"), f.contact(f.admin, "Anne")
		id := f.ticket(f.admin, ticket.Input{ContactID: b, Title: "Address change", Priority: "normal"})
		if _, err := f.s.AddComment(ctxAs(f.admin), f.admin, id, "sent the form"); err != nil {
			t.Fatal(err)
		}
		if err := f.cs.Merge(ctxAs(f.admin), f.admin, a, b, nil, contact.MergeBase{}); err != nil {
			t.Fatal(err)
		}
		if got := f.get(f.admin, id).ContactID; got != a {
			t.Errorf("ticket on contact %d after the merge, want the survivor %d", got, a)
		}
		if err := f.cs.Erase(ctxAs(f.admin), f.admin, a); err != nil {
			t.Fatal(err)
		}
		if n := f.count("SELECT COUNT(*) FROM tickets") + f.count("SELECT COUNT(*) FROM ticket_comments"); n != 0 {
			t.Errorf("%d tickets and comments left after erasing their contact", n)
		}
	})
}
