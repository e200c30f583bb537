package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
)

// Notes on the Timeline tab: added with Markdown rendered inert, refused
// with the reason and the text kept, edited, pinned above the timeline,
// deleted after a confirmation; a reader sees them but has no forms.
func TestNotesWeb_addEditPinDeleteOnTheTimelineTab(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		s.CreateUser(t, readEmail, "Rita Reader", auth.RoleReadOnly, readPass, auth.Grants{})
		cid := addContact(t, s, owner, person("Ana", "Silva", "ana@example.com"))
		c := signedIn(t, s, ownerEmail, ownerPass)
		tl := "/contacts/" + id(cid) + "/timeline"

		page := s.Get(t, c, tl)
		for _, want := range []string{"Nothing on the timeline yet", `action="/contacts/` + id(cid) + `/notes"`, `<textarea id="body" name="body"`,
			`aria-current="page">Timeline</a>`} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("empty timeline lacks %s", want)
			}
		}

		// Refused: empty, and too long; the text typed is kept.
		res := s.PostForm(t, c, "/contacts/"+id(cid)+"/notes", url.Values{"body": {"   "}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "write the note first") {
			t.Errorf("empty note = %d", res.StatusCode)
		}
		long := strings.Repeat("x", 50_001)
		res = s.PostForm(t, c, "/contacts/"+id(cid)+"/notes", url.Values{"body": {long}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "at most 50000 characters; this one has 50001") ||
			!strings.Contains(res.Body, long) {
			t.Errorf("long note = %d", res.StatusCode)
		}

		// Markdown is rendered; script, raw HTML and javascript: links are inert.
		body := "**Called** about the *ISA*.\n\n<script>alert(1)</script> <img src=x onerror=alert(2)>\n\n[click](javascript:alert(3))"
		res = s.PostForm(t, c, "/contacts/"+id(cid)+"/notes", url.Values{"body": {body}})
		page = follow(t, s, c, res)
		if !strings.Contains(page.Body, "<strong>Called</strong> about the <em>ISA</em>.") || !strings.Contains(page.Body, "The note has been added.") {
			t.Errorf("timeline after a note lacks the rendered note")
		}
		for _, bad := range []string{"<script>alert", "onerror=", `href="javascript:`, "<img"} {
			if strings.Contains(page.Body, bad) {
				t.Errorf("timeline holds %s", bad)
			}
		}
		nid := count(t, s, "SELECT MAX(id) FROM notes")
		note := "/contacts/" + id(cid) + "/notes/" + itoa(int64(nid))

		// Edit with the version read; a stale version is refused with the
		// other person's text shown.
		edit := s.Get(t, c, note+"/edit")
		if !strings.Contains(edit.Body, `name="version" value="1"`) {
			t.Fatalf("edit form lacks the version: %d\n%s", edit.StatusCode, edit.Body)
		}
		res = s.PostForm(t, c, note+"/edit", url.Values{"body": {"Called about the ISA; sending forms."}, "version": {"1"}})
		follow(t, s, c, res)
		res = s.PostForm(t, c, note+"/edit", url.Values{"body": {"my stale text"}, "version": {"1"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Someone changed this note") ||
			!strings.Contains(res.Body, `name="version" value="2"`) {
			t.Errorf("stale edit = %d", res.StatusCode)
		}

		// Pinned notes are above the timeline, not in it.
		follow(t, s, c, s.PostForm(t, c, note+"/pin", nil))
		page = s.Get(t, c, tl)
		pinned, rest, _ := strings.Cut(page.Body, `id="timeline-title"`)
		if !strings.Contains(pinned, "Pinned notes") || !strings.Contains(pinned, "sending forms") || strings.Contains(rest, "sending forms") {
			t.Errorf("the pinned note is not above the timeline")
		}

		// A reader sees the note but no form or button.
		r := signedIn(t, s, readEmail, readPass)
		page = s.Get(t, r, tl)
		if !strings.Contains(page.Body, "sending forms") || strings.Contains(page.Body, "<textarea") || strings.Contains(page.Body, "/delete") {
			t.Errorf("reader's timeline: forms shown or note missing")
		}
		if res := s.PostForm(t, r, "/contacts/"+id(cid)+"/notes", url.Values{"body": {"hi"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("reader adds a note: %d, want 403", res.StatusCode)
		}

		// Delete asks first; the log keeps the text.
		confirm := s.Get(t, c, note+"/delete")
		if !strings.Contains(confirm.Body, "Delete this note?") || !strings.Contains(confirm.Body, "sending forms") {
			t.Errorf("no confirmation page")
		}
		page = follow(t, s, c, s.PostForm(t, c, note+"/delete", nil))
		if !strings.Contains(page.Body, "The note has been deleted.") || count(t, s, "SELECT COUNT(*) FROM notes") != 0 {
			t.Errorf("note not deleted")
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.note_delete'"); n != 1 {
			t.Errorf("%d delete entries in the log", n)
		}
		// A note id of another contact, or garbage, is a 404.
		other := addContact(t, s, owner, person("Bo", "Berg", ""))
		if res := s.Get(t, c, "/contacts/"+id(other)+"/notes/"+itoa(int64(nid))+"/edit"); res.StatusCode != http.StatusNotFound {
			t.Errorf("deleted note's edit page = %d, want 404", res.StatusCode)
		}
		if res := s.Get(t, c, tl+"?cursor=nonsense"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "here are the newest items") {
			t.Errorf("bad cursor = %d", res.StatusCode)
		}
	})
}

// The notes and timeline API: create, list pinned first, change with a
// version, only the author changes the text, delete; the timeline pages and
// filters by kind, with stage changes on it.
func TestNotesAPI_crudVersionsAuthorOnlyAndTimeline(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, adv := seeded(t, s)
		cid := addContact(t, s, owner, person("Ana", "Silva", "ana@example.com"))
		tok, advTok := token(t, s, owner), token(t, s, adv)
		base := "/api/v1/contacts/" + id(cid)

		res := s.API(t, tok, http.MethodPost, base+"/notes", `{"body":"First **call**. <script>x</script>"}`)
		if res.StatusCode != http.StatusCreated || !strings.HasPrefix(res.Header.Get("Location"), base+"/notes/") {
			t.Fatalf("create = %d %s", res.StatusCode, res.Body)
		}
		var n struct {
			ID       int64  `json:"id"`
			BodyHTML string `json:"body_html"`
			Version  int    `json:"version"`
			Author   string `json:"author"`
		}
		if err := json.Unmarshal([]byte(res.Body), &n); err != nil {
			t.Fatal(err)
		}
		if n.BodyHTML != "<p>First <strong>call</strong>. x</p>\n" || n.Author != "Olivia Owner" || n.Version != 1 {
			t.Errorf("created note = %+v", n)
		}
		problemOf(t, s.API(t, tok, http.MethodPost, base+"/notes", `{"body":""}`), http.StatusUnprocessableEntity)
		problemOf(t, s.API(t, tok, http.MethodPost, "/api/v1/contacts/999999/notes", `{"body":"x"}`), http.StatusNotFound)
		s.API(t, tok, http.MethodPost, base+"/notes", `{"body":"Standing instruction","pinned":true}`)

		var list struct {
			Items []struct {
				Body   string `json:"body"`
				Pinned bool   `json:"pinned"`
			} `json:"items"`
		}
		res = s.API(t, tok, http.MethodGet, base+"/notes", "")
		if err := json.Unmarshal([]byte(res.Body), &list); err != nil || len(list.Items) != 2 || !list.Items[0].Pinned {
			t.Errorf("notes = %s", res.Body)
		}

		note := base + "/notes/" + itoa(n.ID)
		// Another advisor may pin it but not change its text.
		problemOf(t, s.API(t, advTok, http.MethodPatch, note, `{"body":"rewritten","version":1}`), http.StatusForbidden)
		if res := s.API(t, advTok, http.MethodPatch, note, `{"pinned":true,"version":1}`); res.StatusCode != http.StatusOK {
			t.Errorf("pin by another advisor = %d %s", res.StatusCode, res.Body)
		}
		problemOf(t, s.API(t, tok, http.MethodPatch, note, `{"body":"late","version":1}`), http.StatusConflict)
		if res := s.API(t, tok, http.MethodPatch, note, `{"body":"First call, notes sent.","version":2}`); res.StatusCode != http.StatusOK ||
			!strings.Contains(res.Body, `"version":3`) {
			t.Errorf("edit = %d %s", res.StatusCode, res.Body)
		}

		// The timeline: a stage change and an unpinned note, filtered by kind.
		if res := s.API(t, tok, http.MethodPatch, note, `{"pinned":false,"version":3}`); res.StatusCode != http.StatusOK {
			t.Fatalf("unpin = %d %s", res.StatusCode, res.Body)
		}
		c, err := s.Contacts.Get(asUser(owner), contact.ViewerFor(owner), cid)
		if err != nil {
			t.Fatal(err)
		}
		c.Stage = "invited"
		if err := s.Contacts.Update(asUser(owner), contact.ViewerFor(owner), c, c.Version); err != nil {
			t.Fatal(err)
		}
		var tl struct {
			Items []struct {
				Kind  string `json:"kind"`
				Title string `json:"title"`
				Actor string `json:"actor"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		res = s.API(t, tok, http.MethodGet, base+"/timeline?limit=1", "")
		if err := json.Unmarshal([]byte(res.Body), &tl); err != nil || len(tl.Items) != 1 || tl.Items[0].Kind != "stage" ||
			tl.Items[0].Title != "Stage: Not Invited → Invited" || tl.NextCursor == "" {
			t.Fatalf("timeline page 1 = %s", res.Body)
		}
		res = s.API(t, tok, http.MethodGet, base+"/timeline?limit=1&cursor="+tl.NextCursor, "")
		if err := json.Unmarshal([]byte(res.Body), &tl); err != nil || len(tl.Items) != 1 || tl.Items[0].Kind != "note" {
			t.Errorf("timeline page 2 = %s", res.Body)
		}
		res = s.API(t, tok, http.MethodGet, base+"/timeline?kind=note", "")
		if err := json.Unmarshal([]byte(res.Body), &tl); err != nil || len(tl.Items) != 1 {
			t.Errorf("notes only = %s", res.Body)
		}
		problemOf(t, s.API(t, tok, http.MethodGet, base+"/timeline?kind=gossip", ""), http.StatusBadRequest)
		problemOf(t, s.API(t, tok, http.MethodGet, base+"/timeline?cursor=abc", ""), http.StatusUnprocessableEntity)

		problemOf(t, s.API(t, advTok, http.MethodDelete, note, ""), http.StatusForbidden)
		if res := s.API(t, tok, http.MethodDelete, note, ""); res.StatusCode != http.StatusNoContent {
			t.Errorf("delete = %d", res.StatusCode)
		}
		problemOf(t, s.API(t, tok, http.MethodGet, note, ""), http.StatusNotFound)
	})
}
