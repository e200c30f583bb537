package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/contact"
)

// Tickets about contacts over HTTP, in the staff UI and the API, on every
// database kind.

const evilMarkdown = "Hello <script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1))"

// handlerAttr finds an on… attribute inside a tag.
var handlerAttr = regexp.MustCompile(`<[^>]*\son[a-z]+\s*=`)

// inert checks that a page or an HTML field carries none of evilMarkdown's
// active parts (its text, escaped, may be there: in a textarea to edit).
func inert(t *testing.T, what, body string) {
	t.Helper()
	for _, bad := range []string{"<script>alert", "<img", `href="javascript:`} {
		if strings.Contains(body, bad) {
			t.Errorf("%s contains %q", what, bad)
		}
	}
	if m := handlerAttr.FindString(body); m != "" {
		t.Errorf("%s has an event handler: %s", what, m)
	}
}

func lastTicketID(t *testing.T, s *apptest.Server) int64 {
	t.Helper()
	var id int64
	if err := s.DB.QueryRowContext(context.Background(), "SELECT MAX(id) FROM tickets").Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestTicketsWeb_openCommentChangeAndDeleteThroughThePages(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, advisor := seeded(t, s)
		cid := addContact(t, s, owner, person("Ana", "Silva", "ana@example.com"))
		adv := signedIn(t, s, advEmail, advPass)
		own := signedIn(t, s, ownerEmail, ownerPass)

		page := s.Get(t, adv, "/tickets")
		if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "No tickets yet") || !strings.Contains(page.Body, `<a href="/tickets" aria-current="page">Tickets</a>`) {
			t.Fatalf("empty list = %d\n%s", page.StatusCode, page.Body)
		}
		// The contact's record links to a new ticket with the contact preset.
		if rec := s.Get(t, adv, "/contacts/"+id(cid)); !strings.Contains(rec.Body, `href="/tickets/new?contact=`+id(cid)+`"`) {
			t.Errorf("record lacks the new-ticket link")
		}
		form := s.Get(t, adv, "/tickets/new?contact="+id(cid))
		if !strings.Contains(form.Body, `name="contact_id" type="text" inputmode="numeric" autocomplete="off" class="picker-number" value="`+id(cid)+`"`) ||
			!strings.Contains(form.Body, "Ana Silva") || !strings.Contains(form.Body, `<option value="normal" selected>Normal</option>`) {
			t.Fatalf("new ticket form:\n%s", form.Body)
		}

		// Bad input comes back with each field's message and what was typed.
		bad := s.PostForm(t, adv, "/tickets/new", url.Values{"contact_id": {id(cid)}, "title": {""}, "description": {"kept text"},
			"priority": {"asap"}, "status": {"open"}, "assignee_id": {""}})
		if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `id="title-error">Give the ticket a title.</p>`) ||
			!strings.Contains(bad.Body, `id="priority-error">Unknown priority`) || !strings.Contains(bad.Body, "kept text</textarea>") {
			t.Fatalf("bad input = %d\n%s", bad.StatusCode, bad.Body)
		}

		res := s.PostForm(t, adv, "/tickets/new", url.Values{"contact_id": {id(cid)}, "title": {"Change of address"}, "description": {evilMarkdown},
			"priority": {"high"}, "status": {"open"}, "assignee_id": {id(owner.ID)}})
		tid := lastTicketID(t, s)
		turl := "/tickets/" + id(tid)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != turl {
			t.Fatalf("create = %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = ? AND subject LIKE 'Ticket #% assigned to you: Change of address'", ownerEmail); n != 1 {
			t.Errorf("assignment mails to the owner: %d", n)
		}
		page = s.Get(t, adv, turl)
		for _, want := range []string{"<h1>Change of address</h1>", "High priority", "Olivia Owner", `href="/contacts/` + id(cid) + `">Ana Silva</a>`, "No comments yet."} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("ticket page lacks %q", want)
			}
		}
		inert(t, "ticket page", page.Body)

		// Comments: rendered inert, the assignee mailed, only the author edits.
		res = s.PostForm(t, adv, turl+"/comments", url.Values{"body": {evilMarkdown + " **done**"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("comment = %d\n%s", res.StatusCode, res.Body)
		}
		var cmt int64
		if err := s.DB.QueryRowContext(context.Background(), "SELECT MAX(id) FROM ticket_comments").Scan(&cmt); err != nil {
			t.Fatal(err)
		}
		page = s.Get(t, adv, turl)
		if !strings.Contains(page.Body, "<strong>done</strong>") || !strings.Contains(page.Body, `action="`+turl+`/comments/`+id(cmt)+`/edit"`) {
			t.Errorf("comment not shown with its edit form:\n%s", page.Body)
		}
		inert(t, "ticket page with a comment", page.Body)
		if n := count(t, s, "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = ? AND subject LIKE 'New comment on ticket #%'", ownerEmail); n != 1 {
			t.Errorf("comment mails to the owner: %d", n)
		}
		if strings.Contains(s.Get(t, own, turl).Body, `/comments/`+id(cmt)+`/edit"`) {
			t.Errorf("the owner is offered to edit the advisor's comment")
		}
		if res := s.PostForm(t, own, turl+"/comments/"+id(cmt)+"/edit", url.Values{"comment_body": {"hijacked"}, "version": {"1"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("owner edits the advisor's comment: %d", res.StatusCode)
		}
		if res := s.PostForm(t, adv, turl+"/comments/"+id(cmt)+"/edit", url.Values{"comment_body": {""}, "version": {"1"}}); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(res.Body, "Write the comment first.") {
			t.Errorf("empty comment edit = %d", res.StatusCode)
		}
		if res := s.PostForm(t, adv, turl+"/comments/"+id(cmt)+"/edit", url.Values{"comment_body": {"Done, revised"}, "version": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("own comment edit = %d\n%s", res.StatusCode, res.Body)
		}

		// Status from the page; then an edit made on the old version is a
		// conflict that keeps what was typed.
		if res := s.PostForm(t, adv, turl+"/status", url.Values{"status": {"closed"}, "version": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("close = %d\n%s", res.StatusCode, res.Body)
		}
		res = s.PostForm(t, own, turl+"/edit", url.Values{"contact_id": {id(cid)}, "title": {"My late title"}, "description": {""},
			"priority": {"low"}, "status": {"open"}, "assignee_id": {""}, "version": {"1"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "Someone changed this ticket") || !strings.Contains(res.Body, `value="My late title"`) {
			t.Fatalf("stale edit = %d\n%s", res.StatusCode, res.Body)
		}
		res = s.PostForm(t, own, turl+"/edit", url.Values{"contact_id": {id(cid)}, "title": {"My late title"}, "description": {""},
			"priority": {"low"}, "status": {"open"}, "assignee_id": {id(advisor.ID)}, "version": {"2"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit = %d\n%s", res.StatusCode, res.Body)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = ? AND subject LIKE 'Ticket #% assigned to you: My late title'", advEmail); n != 1 {
			t.Errorf("reassignment mails to the advisor: %d", n)
		}

		// The ticket is on the contact's timeline.
		tl, err := s.Activity.Timeline(context.Background(), contact.ViewerFor(advisor), cid, activity.TimelineQuery{})
		if err != nil || len(tl.Items) != 1 || tl.Items[0].Kind != activity.KindTicket || tl.Items[0].Entry.URL != turl {
			t.Errorf("timeline = %+v, %v", tl.Items, err)
		}

		// The list: search, filters, the remembered columns and sorting.
		s.PostForm(t, adv, "/tickets/new", url.Values{"contact_id": {id(cid)}, "title": {"Beneficiary form"}, "priority": {"urgent"}, "status": {"on_hold"}})
		list := s.Get(t, adv, "/tickets?q=revised")
		if !strings.Contains(list.Body, "My late title") || strings.Contains(list.Body, "Beneficiary form") {
			t.Errorf("search by a comment's words:\n%s", list.Body)
		}
		list = s.Get(t, adv, "/tickets?priority=urgent&status=on_hold")
		if strings.Contains(list.Body, "My late title") || !strings.Contains(list.Body, "Beneficiary form") {
			t.Errorf("filters:\n%s", list.Body)
		}
		if list := s.Get(t, adv, "/tickets?sort=secret"); list.StatusCode != http.StatusBadRequest || !strings.Contains(list.Body, "Cannot sort by") {
			t.Errorf("unknown sort = %d", list.StatusCode)
		}
		if list := s.Get(t, adv, "/tickets?q=nothing+like+this"); !strings.Contains(list.Body, "No tickets match “nothing like this”") {
			t.Errorf("no match:\n%s", list.Body)
		}
		res = s.PostForm(t, adv, "/tickets/columns", url.Values{"cols": {"id", "comments"}, "return": {"/tickets?sort=-comments"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/tickets?sort=-comments" {
			t.Fatalf("columns = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		list = s.Get(t, adv, "/tickets?sort=-comments")
		if !strings.Contains(list.Body, `aria-sort="descending" class="col-comments num"`) || strings.Contains(list.Body, `class="col-assignee"`) ||
			strings.Index(list.Body, "My late title") > strings.Index(list.Body, "Beneficiary form") {
			t.Errorf("chosen columns and sort:\n%s", list.Body)
		}
		if list := s.Get(t, own, "/tickets"); !strings.Contains(list.Body, `class="col-assignee"`) {
			t.Errorf("another user's columns changed")
		}

		// The comment report.
		rep := s.Get(t, adv, "/tickets/comments?q=revised")
		if !strings.Contains(rep.Body, `href="`+turl+`#comment-`+id(cmt)+`">#`+id(tid)+` My late title</a>`) || !strings.Contains(rep.Body, "Adam Advisor") {
			t.Errorf("report:\n%s", rep.Body)
		}

		// Deleting is for admins, after a confirmation page.
		if res := s.Get(t, adv, turl+"/comments/"+id(cmt)+"/delete"); res.StatusCode != http.StatusForbidden {
			t.Errorf("advisor's comment delete page = %d", res.StatusCode)
		}
		if res := s.PostForm(t, adv, turl+"/delete", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("advisor deletes = %d", res.StatusCode)
		}
		if res := s.Get(t, own, turl+"/comments/"+id(cmt)+"/delete"); !strings.Contains(res.Body, "Delete Adam Advisor's comment?") {
			t.Errorf("comment delete page:\n%s", res.Body)
		}
		if res := s.PostForm(t, own, turl+"/comments/"+id(cmt)+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("comment delete = %d", res.StatusCode)
		}
		if res := s.Get(t, own, turl+"/delete"); !strings.Contains(res.Body, "Delete ticket #"+id(tid)) || !strings.Contains(res.Body, `action="`+turl+`/delete"`) {
			t.Errorf("delete page:\n%s", res.Body)
		}
		if res := s.PostForm(t, own, turl+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete = %d", res.StatusCode)
		}
		if res := s.Get(t, own, turl); res.StatusCode != http.StatusNotFound {
			t.Errorf("deleted ticket = %d", res.StatusCode)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'contact.ticket%'"); n < 8 {
			t.Errorf("%d ticket rows in the activity log", n)
		}
	})
}

func TestTicketsAPI_crudCommentsReportAndPermissions(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, advisor := seeded(t, s)
		cid := addContact(t, s, owner, person("Ana", "Silva", ""))
		adv, own := token(t, s, advisor), token(t, s, owner)
		decode := func(res apptest.Response, status int, into any) {
			t.Helper()
			if res.StatusCode != status {
				t.Fatalf("status = %d, want %d\n%s", res.StatusCode, status, res.Body)
			}
			if into != nil {
				if err := json.Unmarshal([]byte(res.Body), into); err != nil {
					t.Fatal(err)
				}
			}
		}

		p := problemOf(t, s.API(t, adv, "POST", "/api/v1/tickets", `{"contact_id": `+id(cid)+`, "title": "two\nlines", "priority": "normal"}`), http.StatusUnprocessableEntity)
		if !strings.Contains(p["detail"].(string), "body.title: The title must be a single line") {
			t.Errorf("problem = %v", p)
		}
		problemOf(t, s.API(t, adv, "POST", "/api/v1/tickets", `{"contact_id": 999999, "title": "x"}`), http.StatusUnprocessableEntity)

		var tk map[string]any
		decode(s.API(t, adv, "POST", "/api/v1/tickets", `{"contact_id": `+id(cid)+`, "title": "Transfer", "description": `+jsonString(evilMarkdown)+`, "priority": "urgent", "assignee_id": `+id(owner.ID)+`}`), http.StatusCreated, &tk)
		tid := int64(tk["id"].(float64))
		if tk["status"] != "open" || tk["assignee"] != "Olivia Owner" || tk["contact_name"] != "Ana Silva" || tk["version"] != float64(1) || tk["comment_count"] != float64(0) {
			t.Errorf("created %v", tk)
		}
		inert(t, "description_html", tk["description_html"].(string))
		if n := count(t, s, "SELECT COUNT(*) FROM mail_outbox WHERE to_addr = ?", ownerEmail); n != 1 {
			t.Errorf("assignment mail: %d", n)
		}
		turl := "/api/v1/tickets/" + id(tid)

		decode(s.API(t, adv, "PATCH", turl, `{"version": 1, "status": "in_progress"}`), http.StatusOK, &tk)
		if tk["status"] != "in_progress" || tk["version"] != float64(2) {
			t.Errorf("patched %v", tk)
		}
		problemOf(t, s.API(t, own, "PATCH", turl, `{"version": 1, "title": "stale"}`), http.StatusConflict)
		problemOf(t, s.API(t, own, "PATCH", turl, `{"title": "no version"}`), http.StatusUnprocessableEntity)
		decode(s.API(t, own, "PATCH", turl, `{"version": 2, "status": "closed", "assignee_id": 0}`), http.StatusOK, &tk)
		if tk["closed_at"] == nil || tk["assignee_id"] != float64(0) {
			t.Errorf("closed and unassigned: %v", tk)
		}

		// Comments.
		var c map[string]any
		decode(s.API(t, adv, "POST", turl+"/comments", `{"body": `+jsonString(evilMarkdown)+`}`), http.StatusCreated, &c)
		cmt := int64(c["id"].(float64))
		inert(t, "body_html", c["body_html"].(string))
		curl := turl + "/comments/" + id(cmt)
		problemOf(t, s.API(t, own, "PATCH", curl, `{"body": "not mine", "version": 1}`), http.StatusForbidden)
		decode(s.API(t, adv, "PATCH", curl, `{"body": "Wire sent", "version": 1}`), http.StatusOK, &c)
		if c["body"] != "Wire sent" || c["edited"] != true {
			t.Errorf("edited comment %v", c)
		}
		problemOf(t, s.API(t, adv, "PATCH", curl, `{"body": "again", "version": 1}`), http.StatusConflict)
		problemOf(t, s.API(t, adv, "PATCH", "/api/v1/tickets/999999/comments/"+id(cmt), `{"body": "x", "version": 2}`), http.StatusNotFound)
		var list struct {
			Items      []map[string]any `json:"items"`
			NextCursor string           `json:"next_cursor"`
		}
		decode(s.API(t, adv, "GET", turl+"/comments", ""), http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0]["author"] != "Adam Advisor" {
			t.Errorf("comments %v", list.Items)
		}
		decode(s.API(t, adv, "GET", "/api/v1/ticket-comments?q=wire", ""), http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0]["ticket_title"] != "Transfer" {
			t.Errorf("report %v", list.Items)
		}

		// Lists: search, filters, sort, pages, a contact's tickets.
		decode(s.API(t, adv, "POST", "/api/v1/tickets", `{"contact_id": `+id(cid)+`, "title": "Address", "priority": "low"}`), http.StatusCreated, nil)
		decode(s.API(t, adv, "GET", "/api/v1/tickets?q=wire", ""), http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0]["title"] != "Transfer" {
			t.Errorf("search %v", list.Items)
		}
		decode(s.API(t, adv, "GET", "/api/v1/tickets?status=active", ""), http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0]["title"] != "Address" {
			t.Errorf("active %v", list.Items)
		}
		decode(s.API(t, adv, "GET", "/api/v1/tickets?sort=-priority&limit=1", ""), http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0]["title"] != "Transfer" || list.NextCursor == "" {
			t.Fatalf("sorted page 1 %+v", list)
		}
		decode(s.API(t, adv, "GET", "/api/v1/tickets?sort=-priority&limit=1&cursor="+list.NextCursor, ""), http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0]["title"] != "Address" || list.NextCursor != "" {
			t.Errorf("sorted page 2 %+v", list)
		}
		problemOf(t, s.API(t, adv, "GET", "/api/v1/tickets?sort=password", ""), http.StatusBadRequest)
		problemOf(t, s.API(t, adv, "GET", "/api/v1/tickets?assignee=bob", ""), http.StatusBadRequest)
		decode(s.API(t, adv, "GET", "/api/v1/contacts/"+id(cid)+"/tickets?sort=title", ""), http.StatusOK, &list)
		if len(list.Items) != 2 || list.Items[0]["title"] != "Address" {
			t.Errorf("contact's tickets %v", list.Items)
		}
		problemOf(t, s.API(t, adv, "GET", "/api/v1/contacts/999999/tickets", ""), http.StatusNotFound)

		// Deleting is for admins.
		problemOf(t, s.API(t, adv, "DELETE", curl, ""), http.StatusForbidden)
		decode(s.API(t, own, "DELETE", curl, ""), http.StatusNoContent, nil)
		problemOf(t, s.API(t, adv, "DELETE", turl, ""), http.StatusForbidden)
		decode(s.API(t, own, "DELETE", turl, ""), http.StatusNoContent, nil)
		problemOf(t, s.API(t, adv, "GET", turl, ""), http.StatusNotFound)
		problemOf(t, s.API(t, "", "GET", "/api/v1/tickets", ""), http.StatusUnauthorized)
	})
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
