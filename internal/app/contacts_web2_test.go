package app_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/norm"
)

// The staff UI of compliance documents, duplicates and merging, advanced
// search with segments and saved views, and the category list, over HTTP
// on every database kind.

// uploadForm posts a document to a contact's record as the browser's form
// does.
func uploadForm(t *testing.T, s *apptest.Server, c *http.Client, contactID int64, kind, expires, filename string, content []byte, hdr ...string) apptest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("doc_kind", kind)
	_ = mw.WriteField("doc_expires_on", expires)
	fw, err := mw.CreateFormFile("doc_file", filename)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/contacts/%d/documents", s.URL, contactID), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return apptest.Do(t, c, req)
}

func pdf(text string) []byte { return []byte("%PDF-1.4\n% " + text + "\n%%EOF\n") }

// docIDs are the ids of a contact's documents, newest first.
func docIDs(t *testing.T, s *apptest.Server, contactID int64) []int64 {
	t.Helper()
	rows, err := s.DB.QueryContext(context.Background(), "SELECT id FROM contact_documents WHERE contact_id = ? ORDER BY id DESC", contactID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

func completeness(t *testing.T, s *apptest.Server, u *auth.User, id int64) int {
	t.Helper()
	c, err := s.Contacts.Get(context.Background(), contact.ViewerFor(u), id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Completeness
}

func TestContactsWeb2_documentsAreSniffedLimitedDownloadedReviewedAndDeleted(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		s.CreateUser(t, readEmail, "Rita Reader", auth.RoleReadOnly, readPass, auth.Grants{})
		cid := addContact(t, s, owner, person("Ana", "Silva", "ana@example.com"))
		c := signedIn(t, s, ownerEmail, ownerPass)
		rec := "/contacts/" + id(cid)

		page := s.Get(t, c, rec)
		for _, want := range []string{"Compliance documents", "No documents yet", `enctype="multipart/form-data"`,
			`accept=".pdf,.jpg,.jpeg,.png"`, `name="doc_kind"`, `value="proof_of_address"`, `name="doc_expires_on"`} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("record lacks %s", want)
			}
		}

		// A PDF is stored and listed, waiting for review.
		content := pdf("passport scan")
		res := uploadForm(t, s, c, cid, "passport", "2020-01-31", "passport.pdf", content)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != rec+"#documents" {
			t.Fatalf("upload = %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		page = s.Get(t, c, rec)
		for _, want := range []string{"Uploaded “passport.pdf”", ">passport.pdf</a>", "Pending review", "Expires 2020-01-31", ">Expired</span>"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("record after upload lacks %q", want)
			}
		}
		docs := docIDs(t, s, cid)
		if len(docs) != 1 {
			t.Fatalf("%d documents stored", len(docs))
		}
		doc := docs[0]

		// A Windows program named like a PDF is refused by its bytes, with
		// the domain's message next to the file field and the input kept.
		res = uploadForm(t, s, c, cid, "national_id", "2031-05-01", "passport.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00%PDF-1.4"))
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("disguised program = %d, want 422", res.StatusCode)
		}
		for _, want := range []string{`<p class="field-error" id="doc_file-error">This file is a Windows program, not a PDF, JPEG or PNG.</p>`,
			`value="2031-05-01"`, `<option value="national_id" selected>`, "Choose the file again"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("refused upload lacks %s", want)
			}
		}
		// Over the limit: refused before the domain, the limit named.
		res = uploadForm(t, s, c, cid, "passport", "", "big.pdf", append(pdf("big"), make([]byte, norm.MaxDocumentSize)...))
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(res.Body, "The file is too large: at most 10 MB.") ||
			!strings.Contains(res.Body, `id="doc_file-error"`) {
			t.Errorf("oversized upload = %d", res.StatusCode)
		}
		// An upload from another site is refused like any other form.
		if res := uploadForm(t, s, c, cid, "passport", "", "p.pdf", pdf("x"), "Sec-Fetch-Site", "cross-site"); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site upload = %d", res.StatusCode)
		}
		if res := uploadForm(t, s, c, cid, "passport", "", "p.pdf", pdf("x"), "Origin", "https://evil.example"); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin upload = %d", res.StatusCode)
		}
		// A form without a file names the field.
		res = uploadForm(t, s, c, cid, "", "", "", nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Choose the file to upload.") {
			t.Errorf("upload without a file = %d", res.StatusCode)
		}
		if n := len(docIDs(t, s, cid)); n != 1 {
			t.Fatalf("refused uploads stored documents: %d", n)
		}

		// The download is the exact bytes, as an attachment never sniffed.
		dl := s.Get(t, c, fmt.Sprintf("%s/documents/%d", rec, doc))
		if dl.StatusCode != 200 || dl.Body != string(content) {
			t.Fatalf("download = %d %q", dl.StatusCode, dl.Body)
		}
		for h, want := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff",
			"Cache-Control": "no-store", "Content-Disposition": `attachment; filename=passport.pdf`} {
			if got := dl.Header.Get(h); got != want {
				t.Errorf("download %s = %q, want %q", h, got, want)
			}
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.document_view' AND entity_id = ?", id(cid)); n != 1 {
			t.Errorf("download logged %d times", n)
		}
		if res := s.Get(t, c, fmt.Sprintf("%s/documents/%d", rec, doc+100)); res.StatusCode != http.StatusNotFound {
			t.Errorf("missing document = %d", res.StatusCode)
		}

		// A name that is not plain ASCII is sent the RFC 5987 way; a name
		// that does not end like its type gets the type's ending; markup in
		// a name is shown as text.
		uploadForm(t, s, c, cid, "proof_of_address", "", "Fatura Março.pdf", pdf("bill"))
		uploadForm(t, s, c, cid, "other", "", `<b onmouseover=alert(1)>x<script>.html`, pdf("evil"))
		docs = docIDs(t, s, cid)
		if got := s.Get(t, c, fmt.Sprintf("%s/documents/%d", rec, docs[1])).Header.Get("Content-Disposition"); got != `attachment; filename*=utf-8''Fatura%20Mar%C3%A7o.pdf` {
			t.Errorf("non-ASCII Content-Disposition = %q", got)
		}
		if got := s.Get(t, c, fmt.Sprintf("%s/documents/%d", rec, docs[0])).Header.Get("Content-Disposition"); !strings.HasSuffix(got, `.html.pdf"`) {
			t.Errorf("misnamed download Content-Disposition = %q", got)
		}
		page = s.Get(t, c, rec)
		if strings.Contains(page.Body, "<b onmouseover") || strings.Contains(page.Body, "<script>.html") ||
			!strings.Contains(page.Body, "&lt;b onmouseover=alert(1)&gt;x&lt;script&gt;.html") {
			t.Error("a document's file name is not escaped")
		}

		// Review: a rejection needs a reason; approving the passport raises
		// completeness.
		review := fmt.Sprintf("%s/documents/%d/review", rec, doc)
		res = s.PostForm(t, c, review, url.Values{"status": {"rejected"}, "doc_reason": {"  "}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, fmt.Sprintf(`id="doc_reason-%d-error">Say why the document is rejected`, doc)) {
			t.Errorf("rejection without a reason = %d", res.StatusCode)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM contact_documents WHERE status <> 'pending'"); n != 0 {
			t.Error("a refused review changed the status")
		}
		before := completeness(t, s, owner, cid)
		follow(t, s, c, s.PostForm(t, c, review, url.Values{"status": {"approved"}}))
		after := completeness(t, s, owner, cid)
		if after <= before {
			t.Errorf("completeness %d%% → %d%% after approving the passport", before, after)
		}
		page = s.Get(t, c, rec)
		if !strings.Contains(page.Body, fmt.Sprintf(`<span class="completeness-pct">%d%%</span>`, after)) ||
			!strings.Contains(page.Body, "Approved</span>") || !strings.Contains(page.Body, "by Olivia Owner") {
			t.Error("record does not show the approval and the new completeness")
		}
		page = follow(t, s, c, s.PostForm(t, c, fmt.Sprintf("%s/documents/%d/review", rec, docs[1]), url.Values{"status": {"rejected"}, "doc_reason": {"Older than 3 months"}}))
		if !strings.Contains(page.Body, "Rejected</span>") || !strings.Contains(page.Body, "Older than 3 months") {
			t.Error("the rejection and its reason are not shown")
		}

		// Read-only users see the documents but cannot upload or review.
		rc := signedIn(t, s, readEmail, readPass)
		if p := s.Get(t, rc, rec); !strings.Contains(p.Body, ">passport.pdf</a>") || strings.Contains(p.Body, "Upload a document") || strings.Contains(p.Body, "Reject…") {
			t.Error("read-only record is wrong")
		}
		if res := uploadForm(t, s, rc, cid, "passport", "", "p.pdf", pdf("x")); res.StatusCode != http.StatusForbidden {
			t.Errorf("read-only upload = %d", res.StatusCode)
		}

		// Delete asks first, then removes for good.
		del := fmt.Sprintf("%s/documents/%d/delete", rec, doc)
		if res := s.Get(t, c, del); res.StatusCode != 200 || !strings.Contains(res.Body, "Delete the document passport.pdf?") {
			t.Errorf("delete confirmation = %d", res.StatusCode)
		}
		follow(t, s, c, s.PostForm(t, c, del, nil))
		if n := len(docIDs(t, s, cid)); n != 2 {
			t.Errorf("%d documents after deleting one of 3", n)
		}
		if completeness(t, s, owner, cid) != before {
			t.Error("completeness did not drop with the approved passport deleted")
		}
	})
}

func TestContactsWeb2_duplicatesAreFlaggedDismissedAndMerged(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		c := signedIn(t, s, ownerEmail, ownerPass)
		if res := s.Get(t, c, "/contacts/duplicates"); res.StatusCode != 200 || !strings.Contains(res.Body, "No likely duplicates") {
			t.Errorf("empty duplicates page = %d", res.StatusCode)
		}
		keep := person("Max", "Mustermann", "max@example.com")
		keep.Phones = []contact.Phone{{Label: "mobile", Number: "+49 30 901820"}}
		keepID := addContact(t, s, owner, keep)
		gone := person("Maximilian", "Mustermann", "MAX@example.com")
		gone.Emails = append(gone.Emails, contact.Email{Label: "home", Address: "maxi@example.org"})
		gone.Occupation, gone.BirthDate = "Engineer", "1980-02-03"
		goneID := addContact(t, s, owner, gone)
		other := person("Max", "Musterman", "") // another Max, at the same office
		other.Phones = []contact.Phone{{Label: "work", Number: "+49 30 901820"}}
		wife := person("Erika", "Mustermann", "") // same phone, another name: not flagged
		wife.Phones = []contact.Phone{{Label: "home", Number: "+49 30 901820"}}
		addContact(t, s, owner, wife)
		otherID := addContact(t, s, owner, other)
		rec := "/contacts/" + id(keepID)

		page := s.Get(t, c, rec)
		if strings.Contains(page.Body, "Erika Mustermann") {
			t.Error("a contact sharing only a phone number, with another name, is flagged")
		}
		for _, want := range []string{"Possible duplicates", "Maximilian Mustermann", "same email max@example.com", "Max Musterman</a>",
			"same phone", fmt.Sprintf(`href="/contacts/%d/merge/%d"`, keepID, goneID), "Compare and merge", "Not a duplicate"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("record lacks %q", want)
			}
		}
		// The book's list is as of its last check (the first visit's, of an
		// empty book) until checked again.
		if list := s.Get(t, c, "/contacts/duplicates"); strings.Contains(list.Body, "Maximilian Mustermann") || !strings.Contains(list.Body, "Check again now") {
			t.Error("the duplicates page changed before a check, or offers none")
		}
		list := follow(t, s, c, s.PostForm(t, c, "/contacts/duplicates/scan", url.Values{}))
		for _, want := range []string{"Checked the whole book: 2 likely duplicate pairs.", "Maximilian Mustermann", "same email", "Max Musterman</a>"} {
			if !strings.Contains(list.Body, want) {
				t.Errorf("duplicates page after a check lacks %q", want)
			}
		}
		if strings.Contains(list.Body, "Erika") {
			t.Error("the duplicates page pairs Erika")
		}
		if !strings.Contains(s.Get(t, c, "/contacts").Body, `href="/contacts/duplicates"`) {
			t.Error("the contact list does not link to the duplicates")
		}

		// Erika is someone else.
		res := s.PostForm(t, c, fmt.Sprintf("%s/duplicates/%d/dismiss", rec, otherID), url.Values{"return": {rec}})
		if res.Header.Get("Location") != rec {
			t.Errorf("dismiss went to %q", res.Header.Get("Location"))
		}
		page = follow(t, s, c, res)
		if !strings.Contains(page.Body, "Marked as different people") || strings.Contains(page.Body, "Max Musterman</a>") {
			t.Error("the dismissed pair is still offered")
		}

		// The merge page: both side by side, the survivor's values chosen
		// unless empty, and one button.
		merge := fmt.Sprintf("%s/merge/%d", rec, goneID)
		form := s.Get(t, c, merge)
		for _, want := range []string{"Merge Maximilian Mustermann into Max Mustermann", "First name", `name="take.first_name" value="survivor" checked`,
			`name="take.occupation" value="other" checked`, "Engineer", "Kept from both", "maxi@example.org", "Merge into Max Mustermann",
			fmt.Sprintf(`href="/contacts/%d/merge/%d"`, goneID, keepID)} {
			if !strings.Contains(form.Body, want) {
				t.Errorf("merge page lacks %s", want)
			}
		}
		if strings.Contains(form.Body, `name="take.last_name"`) {
			t.Error("a field both have the same offers a choice")
		}
		if res := s.Get(t, c, fmt.Sprintf("%s/merge/%d", rec, keepID)); res.StatusCode != http.StatusBadRequest {
			t.Errorf("merge with itself = %d", res.StatusCode)
		}
		if !strings.Contains(form.Body, `name="other_version" value="1"`) {
			t.Error("the merge form does not carry the versions its choices are made on")
		}
		// Chosen on an older version of the other contact: refused, shown again.
		stale := s.PostForm(t, c, merge, url.Values{"version": {"1"}, "other_version": {"7"}, "take.first_name": {"other"}})
		if stale.StatusCode != http.StatusConflict || !strings.Contains(stale.Body, "Maximilian Mustermann was changed since you chose what to keep") {
			t.Fatalf("merge on a stale version = %d\n%s", stale.StatusCode, stale.Body)
		}
		res = s.PostForm(t, c, merge, url.Values{"take.first_name": {"other"}, "take.occupation": {"other"}, "take.birth_date": {"other"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != rec {
			t.Fatalf("merge = %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		page = follow(t, s, c, res)
		for _, want := range []string{"Merged Maximilian Mustermann", "<h1>Maximilian Mustermann</h1>", "max@example.com", "maxi@example.org", "Engineer", "1980-02-03"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("survivor lacks %q", want)
			}
		}
		old := s.Get(t, c, "/contacts/"+id(goneID))
		if old.StatusCode != http.StatusMovedPermanently || old.Header.Get("Location") != rec {
			t.Errorf("merged-away record = %d %s", old.StatusCode, old.Header.Get("Location"))
		}
		// Asking again for the same merge says it is done.
		if res := s.Get(t, c, merge); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != rec {
			t.Errorf("merge page after the merge = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
	})
}

func TestContactsWeb2_mergeRefusedShowsWhyAndKeepsTheChoices(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, adv := seeded(t, s)
		a := addContact(t, s, owner, person("Lena", "Lock", "lena@example.com"))
		b := addContact(t, s, owner, person("Lene", "Lock", "lena@example.com"))
		if _, err := s.Contacts.Acquire(asUser(adv), contact.ViewerFor(adv), b); err != nil {
			t.Fatal(err)
		}
		c := signedIn(t, s, ownerEmail, ownerPass)
		res := s.PostForm(t, c, fmt.Sprintf("/contacts/%d/merge/%d", a, b), url.Values{"take.first_name": {"other"}})
		if res.StatusCode != http.StatusLocked || !strings.Contains(res.Body, "The contacts were not merged.") ||
			!strings.Contains(res.Body, "Adam Advisor is editing this contact") || !strings.Contains(res.Body, `name="take.first_name" value="other" checked`) {
			t.Errorf("merge while locked = %d\n%s", res.StatusCode, res.Body)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM contacts WHERE merged_into_id IS NOT NULL"); n != 0 {
			t.Error("a refused merge merged")
		}
	})
}

func TestContactsWeb2_advancedSearchLivesInTheURL(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		for _, p := range []struct {
			first, last, city string
			cat               int64
		}{{"Ana", "Silva", "Lisbon", 1}, {"Rui", "Silva", "Porto", 2}, {"Carla", "Alves", "Lisbon", 2}, {"Bruno", "Costa", "", 1}} {
			c := person(p.first, p.last, "")
			c.CategoryID = p.cat
			if p.city != "" {
				c.Addresses = []contact.Address{{Label: "home", Line1: "1 Rua", City: p.city, Country: "PT"}}
			}
			addContact(t, s, owner, c)
		}
		c := signedIn(t, s, ownerEmail, ownerPass)
		cats, _ := s.Contacts.Categories(context.Background())
		rows := func(body string) []string {
			var out []string
			for _, m := range regexp.MustCompile(`<td class="col-name"><a href="/contacts/[0-9]+">([^<]+)</a>`).FindAllStringSubmatch(body, -1) {
				out = append(out, m[1])
			}
			return out
		}
		for _, tt := range []struct {
			query string
			want  string
		}{
			{"m=all&f1=last_name&o1=equals&v1=SILVA", "Ana Silva,Rui Silva"},
			{"m=all&f1=last_name&o1=equals&v1=silva&f2=city&o2=equals&v2=lisbon", "Ana Silva"},
			{"m=any&f1=last_name&o1=equals&v1=costa&f3=city&o3=starts_with&v3=Por", "Bruno Costa,Rui Silva"},
			{"f1=city&o1=is_empty&v1=ignored", "Bruno Costa"},
			{"f1=category&o1=equals&v1=" + url.QueryEscape(cats[1].Name), "Carla Alves,Rui Silva"}, // by its name
			{"f1=category&o1=equals&v1=" + fmt.Sprint(cats[0].ID), "Bruno Costa,Ana Silva"},
			{"q=silva&f1=city&o1=contains&v1=port", "Rui Silva"},
		} {
			res := s.Get(t, c, "/contacts?"+tt.query)
			if got := strings.Join(rows(res.Body), ","); res.StatusCode != 200 || got != tt.want {
				t.Errorf("%s = %d %q, want %q", tt.query, res.StatusCode, got, tt.want)
			}
		}
		// The conditions stay in the sort links, in the search-as-you-type
		// answer and in the bulk form's way back, and show in the form.
		res := s.Get(t, c, "/contacts?m=all&f1=last_name&o1=equals&v1=silva")
		for _, want := range []string{`href="/contacts?f1=last_name&amp;m=all&amp;o1=equals&amp;sort=-name&amp;v1=silva"`,
			`name="return" value="/contacts?f1=last_name&amp;m=all&amp;o1=equals&amp;v1=silva"`, `<details class="advanced" id="advanced" open>`,
			`<option value="last_name" data-ops="equals not_equals contains starts_with is_empty is_not_empty" data-type="text" selected>`,
			`id="v1" name="v1" class="cond-value" type="text" value="silva"`, "1 condition"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("list with a condition lacks %s", want)
			}
		}
		if part := s.Get(t, c, "/contacts?f1=last_name&o1=equals&v1=silva&partial=rows"); strings.Join(rows(part.Body), ",") != "Ana Silva,Rui Silva" {
			t.Errorf("partial with a condition: %q", rows(part.Body))
		}

		// Refusals: a 400 page with the message next to the row, the input
		// kept; never a 500.
		for _, tt := range []struct{ query, want string }{
			{"f1=shoe_size&o1=equals&v1=42", `id="cond1-error">There is no field &#34;shoe_size&#34; to search by; choose one from the list.`},
			{"f2=birth_date&o2=contains&v2=1980", `id="cond2-error">Date of birth cannot be compared with &#34;contains&#34;`},
			{"f1=birth_date&o1=before&v1=yesterday", `id="cond1-error">Use a date like 2024-01-31.`},
			{"f1=category&o1=equals&v1=Nonexistent", `is not one of the listed values of category`},
			{"m=some&f1=city&o1=is_empty", "Combine conditions with"},
		} {
			res := s.Get(t, c, "/contacts?"+tt.query)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, tt.want) || !strings.Contains(res.Body, "cannot be used as they are") {
				t.Errorf("%s = %d, want 400 with %s\n%s", tt.query, res.StatusCode, tt.want, res.Body)
			}
		}
		if res := s.Get(t, c, "/contacts?f1=shoe_size&o1=equals&v1=42&partial=rows"); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "There is no field") {
			t.Errorf("refused partial = %d", res.StatusCode)
		}
		if res := s.Get(t, c, "/contacts?segment=999"); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "No such segment") {
			t.Errorf("unknown segment = %d", res.StatusCode)
		}
	})
}

func TestContactsWeb2_segmentsAreSavedCountedEditedAndDeleted(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		s.CreateUser(t, readEmail, "Rita Reader", auth.RoleReadOnly, readPass, auth.Grants{})
		for _, n := range []string{"Ana Silva", "Rui Silva", "Carla Alves"} {
			first, last, _ := strings.Cut(n, " ")
			addContact(t, s, owner, person(first, last, ""))
		}
		c := signedIn(t, s, ownerEmail, ownerPass)
		if res := s.Get(t, c, "/segments"); res.StatusCode != 200 || !strings.Contains(res.Body, "No segments yet") {
			t.Errorf("empty segments page = %d", res.StatusCode)
		}
		// "Save as segment" posts the list's form: the filters ride along.
		list := url.Values{"q": {""}, "category": {""}, "m": {"all"}, "f1": {"last_name"}, "o1": {"equals"}, "v1": {"silva"},
			"f2": {""}, "o2": {"equals"}, "v2": {""}, "segment_name": {""}}
		res := s.PostForm(t, c, "/segments", list)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="segment_name-error">A segment name has 1 to 100 characters.`) ||
			!strings.Contains(res.Body, `value="silva"`) || !strings.Contains(res.Body, "Ana Silva") {
			t.Errorf("segment without a name = %d", res.StatusCode)
		}
		none := url.Values{"m": {"all"}, "f1": {""}, "o1": {"equals"}, "segment_name": {"Nothing"}}
		if res := s.PostForm(t, c, "/segments", none); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Add at least one condition.") {
			t.Errorf("segment without conditions = %d\n%s", res.StatusCode, res.Body)
		}
		list.Set("segment_name", "The <script>alert(1)</script> Silvas")
		res = s.PostForm(t, c, "/segments", list)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/segments" {
			t.Fatalf("save segment = %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		page := follow(t, s, c, res)
		var gid int64
		if err := s.DB.QueryRowContext(context.Background(), "SELECT id FROM segments").Scan(&gid); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"The &lt;script&gt;alert(1)&lt;/script&gt; Silvas", "Last name equals “silva”", `<span class="stack-label">Contacts now: </span><a class="quiet-link" href="/contacts?segment=` + id(gid) + `">2</a></td>`} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("segments page lacks %s", want)
			}
		}
		if strings.Contains(page.Body, "<script>alert(1)") {
			t.Error("the segment name was rendered live")
		}
		// The list filters by it, and offers it in the segment filter.
		res = s.Get(t, c, "/contacts?segment="+id(gid))
		if !strings.Contains(res.Body, "Showing 2 contacts") || !strings.Contains(res.Body, `<option value="`+id(gid)+`" selected>The &lt;script&gt;`) {
			t.Error("the segment filter is wrong")
		}
		// Edit: the conditions come back into the advanced search.
		edit := regexp.MustCompile(`href="([^"]*edit_segment=[^"]+)"`).FindStringSubmatch(page.Body)
		if edit == nil {
			t.Fatal("no edit link")
		}
		form := s.Get(t, c, html.UnescapeString(edit[1]))
		for _, want := range []string{`id="v1" name="v1" class="cond-value" type="text" value="silva"`, "Editing the segment", `formaction="/segments/` + id(gid) + `"`,
			`value="The &lt;script&gt;alert(1)&lt;/script&gt; Silvas"`} {
			if !strings.Contains(form.Body, want) {
				t.Errorf("edit form lacks %s", want)
			}
		}
		list.Set("v1", "alves")
		list.Set("segment_name", "Alves")
		follow(t, s, c, s.PostForm(t, c, "/segments/"+id(gid), list))
		if page := s.Get(t, c, "/segments"); !strings.Contains(page.Body, "Last name equals “alves”") || !strings.Contains(page.Body, `">1</a></td>`) {
			t.Error("the edited segment is not saved")
		}
		// Read-only users see segments but cannot save or delete them.
		rc := signedIn(t, s, readEmail, readPass)
		if res := s.Get(t, rc, "/segments"); res.StatusCode != 200 || strings.Contains(res.Body, "/delete") {
			t.Errorf("read-only segments page = %d", res.StatusCode)
		}
		if res := s.PostForm(t, rc, "/segments", list); res.StatusCode != http.StatusForbidden {
			t.Errorf("read-only save = %d", res.StatusCode)
		}
		// Delete asks first.
		if res := s.Get(t, c, "/segments/"+id(gid)+"/delete"); !strings.Contains(res.Body, "Delete the segment Alves?") {
			t.Errorf("no delete confirmation: %d", res.StatusCode)
		}
		follow(t, s, c, s.PostForm(t, c, "/segments/"+id(gid)+"/delete", nil))
		if n := count(t, s, "SELECT COUNT(*) FROM segments"); n != 0 {
			t.Error("segment not deleted")
		}
	})
}

func TestContactsWeb2_savedViewsAreEachUsersOwn(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		addContact(t, s, owner, person("Ana", "Silva", ""))
		addContact(t, s, owner, person("Rui", "Costa", ""))
		c := signedIn(t, s, ownerEmail, ownerPass)
		if res := s.Get(t, c, "/contacts"); !strings.Contains(res.Body, "None yet.") || !strings.Contains(res.Body, `formaction="/views"`) {
			t.Error("the Views menu is missing")
		}
		state := url.Values{"q": {"silva"}, "stage": {""}, "sort": {"-name"}, "cols": {"email", "city"}, "m": {"all"},
			"f1": {"last_name"}, "o1": {"starts_with"}, "v1": {"sil"}, "f2": {""}, "o2": {"equals"}, "segment_name": {""}}
		state.Set("view_name", "")
		if res := s.PostForm(t, c, "/views", state); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="view_name-error">A view name has 1 to 60 characters.`) {
			t.Errorf("view without a name = %d", res.StatusCode)
		}
		state.Set("view_name", "Silvas <em>first</em>")
		res := s.PostForm(t, c, "/views", state)
		want := "/contacts?cols=name%2Cemail%2Ccity&f1=last_name&m=all&o1=starts_with&q=silva&sort=-name&v1=sil"
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Fatalf("save view = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		page := follow(t, s, c, res)
		if !strings.Contains(page.Body, `href="`+html.EscapeString(want)+`" aria-current="true">Silvas &lt;em&gt;first&lt;/em&gt;</a>`) ||
			!strings.Contains(page.Body, "Showing 1 contact") {
			t.Errorf("the saved view is not offered as the current one\n%s", page.Body)
		}
		// Another user has their own views.
		ac := signedIn(t, s, advEmail, advPass)
		if res := s.Get(t, ac, "/contacts"); strings.Contains(res.Body, "Silvas") {
			t.Error("another user sees the view")
		}
		var vid int64
		if err := s.DB.QueryRowContext(context.Background(), "SELECT id FROM saved_views").Scan(&vid); err != nil {
			t.Fatal(err)
		}
		if res := s.PostForm(t, ac, "/views/"+id(vid)+"/delete", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("another user's delete = %d", res.StatusCode)
		}
		res = s.PostForm(t, c, "/views/"+id(vid)+"/delete", url.Values{"q": {"silva"}})
		if res.Header.Get("Location") != "/contacts?q=silva" {
			t.Errorf("delete went to %s", res.Header.Get("Location"))
		}
		if page := follow(t, s, c, res); !strings.Contains(page.Body, "The view “Silvas &lt;em&gt;first&lt;/em&gt;” has been deleted.") {
			t.Error("no delete message")
		}
		if n := count(t, s, "SELECT COUNT(*) FROM saved_views"); n != 0 {
			t.Error("view not deleted")
		}
	})
}

func TestContactsWeb2_adminsRenameAndAddCategories(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		s.CreateUser(t, "admin@firm.test", "Ada Admin", auth.RoleAdmin, ownerPass, auth.Grants{})
		s.CreateUser(t, "hr@firm.test", "Hugo Hiring", auth.RoleAssistant, ownerPass, auth.Grants{ManageUsers: true})
		addContact(t, s, owner, person("Ana", "Silva", ""))
		cats, _ := s.Contacts.Categories(context.Background())
		first := cats[0]

		ad := signedIn(t, s, "admin@firm.test", ownerPass)
		page := s.Get(t, ad, "/admin/categories")
		if page.StatusCode != 200 || !strings.Contains(page.Body, first.Name) || !strings.Contains(page.Body, `href="/admin/categories"`) {
			t.Fatalf("categories page = %d", page.StatusCode)
		}
		if res := s.PostForm(t, ad, "/admin/categories/"+id(first.ID), url.Values{"name": {" "}}); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(res.Body, fmt.Sprintf(`id="name-%d-error">A category name has 1 to 50 characters.`, first.ID)) {
			t.Errorf("empty rename = %d", res.StatusCode)
		}
		page = follow(t, s, ad, s.PostForm(t, ad, "/admin/categories/"+id(first.ID), url.Values{"name": {"Private <b>client</b>"}}))
		if !strings.Contains(page.Body, "Renamed the category to “Private &lt;b&gt;client&lt;/b&gt;”.") {
			t.Error("no rename message")
		}
		follow(t, s, ad, s.PostForm(t, ad, "/admin/categories", url.Values{"name": {"Family office"}}))
		if res := s.PostForm(t, ad, "/admin/categories", url.Values{"name": {"family office"}}); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(res.Body, "A category with this name already exists.") || !strings.Contains(res.Body, `value="family office"`) {
			t.Errorf("duplicate category = %d", res.StatusCode)
		}
		list := s.Get(t, ad, "/contacts")
		if !strings.Contains(list.Body, `<option value="`+id(first.ID)+`">Private &lt;b&gt;client&lt;/b&gt;</option>`) || !strings.Contains(list.Body, ">Family office</option>") {
			t.Error("the list's category filter does not show the new names")
		}
		// A user who manages users but is no admin, and an advisor, may not.
		hr := signedIn(t, s, "hr@firm.test", ownerPass)
		if res := s.Get(t, hr, "/admin/categories"); res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "Only an owner or an admin") {
			t.Errorf("manage-users grant = %d", res.StatusCode)
		}
		if res := s.PostForm(t, hr, "/admin/categories", url.Values{"name": {"Sneaky"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("manage-users grant add = %d", res.StatusCode)
		}
		if res := s.Get(t, signedIn(t, s, advEmail, advPass), "/admin/categories"); res.StatusCode != http.StatusForbidden {
			t.Errorf("advisor = %d", res.StatusCode)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM contact_categories WHERE name = 'Sneaky'"); n != 0 {
			t.Error("a refused user added a category")
		}
	})
}

// TestBrowser_documentsDuplicatesMergeAndAdvancedSearch walks the record's
// documents and duplicate notice, the merge page, advanced search with a
// segment and a saved view in a real browser, at desktop and phone widths,
// with no CSP violation or script error.
func TestBrowser_documentsDuplicatesMergeAndAdvancedSearch(t *testing.T) {
	chromiumPath(t)
	srv := apptest.Start(t, dbtest.Kinds()[0], nil)
	owner, adv := seeded(t, srv)
	ana := seedBook(t, srv, owner, adv)
	ctx, ov := asUser(owner), contact.ViewerFor(owner)
	for _, d := range []struct {
		kind, name, expires, status, reason string
	}{
		{"passport", "passport-ana-ribeiro.pdf", "2031-05-01", "approved", ""},
		{"proof_of_address", "electricity-bill-2024-01.pdf", "2024-04-30", "pending", ""},
		{"national_id", "cartao-cidadao.pdf", "", "rejected", "The back of the card is missing; ask for both sides."},
	} {
		doc, err := srv.Contacts.Upload(ctx, ov, ana, d.kind, d.name, pdf(d.name), d.expires)
		if err != nil {
			t.Fatal(err)
		}
		if d.status != "pending" {
			if err := srv.Contacts.ReviewDocument(ctx, ov, ana, doc, d.status, d.reason); err != nil {
				t.Fatal(err)
			}
		}
	}
	twin := person("Ana", "Ribeiro Santos", "ana.ribeiro@example.com")
	twin.Occupation, twin.BirthDate = "Architect", "1979-04-12"
	dup := addContact(t, srv, owner, twin)

	b := startBrowser(t, srv.URL)
	signIn(t, b, ownerEmail, ownerPass)
	rec := fmt.Sprintf("/contacts/%d", ana)
	if status := b.open(rec); status != http.StatusOK {
		t.Fatalf("GET %s: %d", rec, status)
	}
	if note := b.text(".dup-notice"); !strings.Contains(note, "Ana Ribeiro Santos") || !strings.Contains(note, "same email") {
		t.Errorf("duplicate notice %q", note)
	}
	if n := eval[int](b, `document.querySelectorAll("#documents .doc").length`); n != 3 {
		t.Errorf("%d documents listed", n)
	}
	// Rejecting opens a reason field; the upload form opens in place.
	b.do("open reject", chromedp.Click(chromedp.CSS(`#documents .doc-reject summary`)))
	if !eval[bool](b, `document.querySelector("#documents .doc-reject[open] input[name=doc_reason]") !== null`) {
		t.Error("no reason field after Reject…")
	}
	b.do("close reject", chromedp.Click(chromedp.CSS(`#documents .doc-reject summary`)))
	b.do("open upload", chromedp.Click(chromedp.CSS(`#documents .doc-upload summary`)))
	fullShot(b, desktopWidth, desktopHeight, "record-documents-duplicates-1280")

	// The merge page: the other's values where Ana has none; one click
	// keeps all of one side.
	if status := b.submit(fmt.Sprintf(`.dup-notice a[href="/contacts/%d/merge/%d"]`, ana, dup)); status != http.StatusOK {
		t.Fatalf("open merge: %d", status)
	}
	if h := b.text("h1"); h != "Merge Ana Ribeiro Santos into Ana Ribeiro" {
		t.Errorf("merge heading %q", h)
	}
	fullShot(b, desktopWidth, desktopHeight, "merge-1280")
	b.do("keep all of the other", chromedp.Click(chromedp.CSS(`[data-merge-all="other"]`)))
	if !eval[bool](b, `Array.from(document.querySelectorAll('input[type=radio][value=other]')).every(r => r.checked)`) {
		t.Error("Keep all did not choose every value of the other contact")
	}

	// Advanced search: operators fit the field, no value for "is empty",
	// one more row on request; applied, the conditions are in the address.
	if status := b.open("/contacts#advanced"); status != http.StatusOK {
		t.Fatalf("GET /contacts: %d", status)
	}
	if !eval[bool](b, `document.getElementById("advanced").open`) {
		t.Error("#advanced does not open the advanced search")
	}
	if eval[bool](b, `!document.querySelector('[data-cond-row]:nth-child(2)').hidden`) {
		t.Error("a second empty row shows before it is asked for")
	}
	b.do("choose a field", chromedp.SetValue(chromedp.CSS("#f1"), "city"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("f1").dispatchEvent(new Event("change"))`))
	b.fill("#v1", "Lisbon")
	b.do("add a row", chromedp.Click(chromedp.CSS("[data-cond-add]")))
	if got := eval[string](b, `document.querySelector('[data-cond-row]:nth-child(2)').hidden + " " + document.activeElement.id`); got != "false f2" {
		t.Errorf("Add a condition did not show and focus the next row: %s", got)
	}
	b.do("second field", chromedp.SetValue(chromedp.CSS("#f2"), "birth_date"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("f2").dispatchEvent(new Event("change"))`))
	if ops := eval[[]string](b, `Array.from(document.getElementById("o2").options, o => o.value)`); strings.Join(ops, " ") != "equals before after is_empty is_not_empty" {
		t.Errorf("date operators %q", ops)
	}
	if typ := eval[string](b, `document.getElementById("v2").type`); typ != "date" {
		t.Errorf("date value input type %q", typ)
	}
	b.do("is not empty", chromedp.SetValue(chromedp.CSS("#o2"), "is_not_empty"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("o2").dispatchEvent(new Event("change"))`))
	if !eval[bool](b, `document.getElementById("v2").hidden`) {
		t.Error("the value shows for is not empty")
	}
	if status := b.submit(`.advanced-actions button[type=submit]`); status != http.StatusOK {
		t.Fatalf("apply conditions: %d", status)
	}
	if loc := b.location(); !strings.Contains(loc, "f1=city") || !strings.Contains(loc, "o2=is_not_empty") || strings.Contains(loc, "v2=") {
		t.Errorf("conditions in the address: %s", loc)
	}
	if rows := b.text("table.contact-table tbody"); !strings.Contains(rows, "Ana Ribeiro") || strings.Contains(rows, "Bruno") {
		t.Errorf("advanced search rows %q", rows)
	}
	// Search as you type keeps the conditions.
	b.do("type a search", chromedp.SendKeys(chromedp.CSS("#q"), "ana"))
	waitFor(t, b, `location.search.indexOf("q=ana") >= 0`, "the search in the address")
	if loc := b.location(); !strings.Contains(loc, "f1=city") || strings.Contains(loc, "segment_name") || strings.Contains(loc, "o3=") {
		t.Errorf("live search address: %s", loc)
	}
	fullShot(b, desktopWidth, desktopHeight, "contacts-advanced-1280")

	// Save a view from the Views menu, then the conditions as a segment
	// with Enter in its name.
	b.do("open views", chromedp.Click(chromedp.CSS(".views-menu summary")))
	b.fill("#view_name", "Lisbon with birthdays")
	if status := b.submit("#view-save"); status != http.StatusOK {
		t.Fatalf("save view: %d", status)
	}
	if f := b.text(".flash-success"); !strings.Contains(f, "Saved the view") {
		t.Errorf("view flash %q", f)
	}
	b.fill("#segment_name", "Lisbon clients")
	if _, err := chromedp.RunResponse(b.ctx, chromedp.SendKeys(chromedp.CSS("#segment_name"), "\r")); err != nil {
		t.Fatalf("Enter in the segment name: %v", err)
	}
	if p := b.path(); p != "/segments" {
		t.Fatalf("after saving a segment on %s", p)
	}
	if row := b.text(".segments-table tbody"); !strings.Contains(row, "Lisbon clients") || !strings.Contains(row, "City (primary address) equals “Lisbon”") {
		t.Errorf("segments page %q", row)
	}
	fullShot(b, desktopWidth, desktopHeight, "segments-1280")
	if status := b.open("/contacts/duplicates"); status != http.StatusOK {
		t.Fatalf("GET /contacts/duplicates: %d", status)
	}
	// The list is as of the last check (the one at start, of an empty
	// book): check again.
	if status := b.submit("#dup-scan"); status != http.StatusOK {
		t.Fatalf("check again: %d", status)
	}
	if f := b.text(".flash-success"); !strings.Contains(f, "Checked the whole book") {
		t.Errorf("check flash %q", f)
	}
	if row := b.text(".dup-table tbody"); !strings.Contains(row, "Ana Ribeiro Santos") {
		t.Errorf("duplicates page %q", row)
	}
	fullShot(b, desktopWidth, desktopHeight, "duplicates-1280")

	b.viewport(390, 844)
	for _, pg := range []struct{ path, shot string }{
		{rec, "record-documents-duplicates-390"},
		{fmt.Sprintf("/contacts/%d/merge/%d", ana, dup), "merge-390"},
		{"/contacts?m=all&f1=city&o1=equals&v1=Lisbon&f2=birth_date&o2=is_not_empty", "contacts-advanced-390"},
		{"/segments", "segments-390"},
		{"/contacts/duplicates", "duplicates-390"},
	} {
		if status := b.open(pg.path); status != http.StatusOK {
			t.Fatalf("GET %s at 390px: %d", pg.path, status)
		}
		if w := eval[int](b, "document.documentElement.scrollWidth"); w > 390 {
			t.Errorf("%s is %dpx wide at a 390px viewport", pg.path, w)
		}
		fullShot(b, 390, 844, pg.shot)
	}
	// The Views menu opens within the phone's screen.
	if status := b.open("/contacts"); status != http.StatusOK {
		t.Fatalf("GET /contacts at 390px: %d", status)
	}
	b.do("open views", chromedp.Click(chromedp.CSS(".views-menu summary")))
	if box := eval[[]float64](b, `(r => [r.left, r.right])(document.querySelector(".views-panel").getBoundingClientRect())`); box[0] < 0 || box[1] > 390 {
		t.Errorf("the Views menu spans %v at 390px", box)
	}
	fullShot(b, 390, 844, "contacts-views-390")
	b.viewport(desktopWidth, desktopHeight)
	b.checkPage()
}
