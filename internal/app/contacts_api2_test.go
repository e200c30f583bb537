package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/norm"
)

// locations lists where a problem's errors are.
func locations(p map[string]any) []string {
	var out []string
	list, _ := p["errors"].([]any)
	for _, e := range list {
		out = append(out, fmt.Sprint(e.(map[string]any)["location"]))
	}
	return out
}

func wantLocation(t *testing.T, p map[string]any, loc string) {
	t.Helper()
	if !slices.Contains(locations(p), loc) {
		t.Errorf("error locations %v, want %s\n%v", locations(p), loc, p)
	}
}

func berliner(first, owner string) string {
	o := ""
	if owner != "" {
		o = `,"owner_id":` + owner
	}
	return `{"kind":"person","first_name":"` + first + `","last_name":"Berliner","category_id":1` + o + `,
		"addresses":[{"line1":"Alexanderplatz 1","city":"Berlin","country":"DE"}]}`
}

func TestSegmentsAPI_crudLiveCountsOnlyVisibleContactsAndFiltersTheList(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		lim := limitedAdvisor(t, s)
		o, l := callerFor(t, s, owner), callerFor(t, s, lim)
		berta := idOf(o.ok(201, "POST", "/api/v1/contacts", berliner("Berta", lim.IDString())))
		o.ok(201, "POST", "/api/v1/contacts", berliner("Carl", ""))
		o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Mona","last_name":"Munich","category_id":1,
			"addresses":[{"city":"München","country":"DE"}]}`)

		res := o.do("POST", "/api/v1/segments", `{"name":"Berlin","conditions":[{"field":"city","op":"equals","value":"berlin"}]}`)
		if res.StatusCode != 201 {
			t.Fatalf("create segment = %d %s", res.StatusCode, res.Body)
		}
		var seg map[string]any
		_ = json.Unmarshal([]byte(res.Body), &seg)
		id := idOf(seg)
		if loc := res.Header.Get("Location"); loc != "/api/v1/segments/"+id {
			t.Errorf("Location = %q", loc)
		}
		if seg["count"] != 2.0 || seg["match"] != "all" || seg["created_by"] != float64(owner.ID) {
			t.Errorf("created segment = %v", seg)
		}
		list := o.ok(200, "GET", "/api/v1/segments", "")
		if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["count"] != 2.0 || list["next_cursor"] != "" {
			t.Errorf("segments = %v", list)
		}

		// The count is live: a new matching contact counts at once.
		o.ok(201, "POST", "/api/v1/contacts", berliner("Dirk", ""))
		if got := o.ok(200, "GET", "/api/v1/segments/"+id, ""); got["count"] != 3.0 {
			t.Errorf("count after adding a Berliner = %v", got["count"])
		}
		// An advisor limited to their own contacts counts only theirs.
		if got := l.ok(200, "GET", "/api/v1/segments/"+id, ""); got["count"] != 1.0 {
			t.Errorf("limited advisor's count = %v", got["count"])
		}
		if got := l.ok(200, "GET", "/api/v1/segments", ""); got["items"].([]any)[0].(map[string]any)["count"] != 1.0 {
			t.Errorf("limited advisor's list = %v", got)
		}

		// The segment filters the list and the search.
		if got := o.ok(200, "GET", "/api/v1/contacts?segment="+id, ""); len(got["items"].([]any)) != 3 {
			t.Errorf("owner's segment members = %v", ids(got["items"]))
		}
		if got := l.ok(200, "GET", "/api/v1/contacts?segment="+id, ""); fmt.Sprint(ids(got["items"])) != "["+berta+"]" {
			t.Errorf("limited advisor's segment members = %v", ids(got["items"]))
		}
		got := o.ok(200, "POST", "/api/v1/contacts/search", `{"segment":`+id+`,"conditions":[{"field":"first_name","op":"starts_with","value":"c"}]}`)
		if items := got["items"].([]any); len(items) != 1 || items[0].(map[string]any)["name"] != "Carl Berliner" {
			t.Errorf("search in segment = %v", got)
		}

		// Replace; a taken name is refused.
		put := o.ok(200, "PUT", "/api/v1/segments/"+id, `{"name":"Berlin D","match":"any","conditions":[
			{"field":"first_name","op":"equals","value":"dirk"},{"field":"first_name","op":"equals","value":"zed"}]}`)
		if put["name"] != "Berlin D" || put["count"] != 1.0 || put["match"] != "any" || len(put["conditions"].([]any)) != 2 {
			t.Errorf("replaced segment = %v", put)
		}
		other := idOf(o.ok(201, "POST", "/api/v1/segments", `{"name":"Munich","conditions":[{"field":"city","op":"starts_with","value":"m"}]}`))
		wantLocation(t, problemOf(t, o.do("PUT", "/api/v1/segments/"+other, `{"name":"Berlin D","conditions":[{"field":"city","op":"is_empty"}]}`), 422), "body.name")
		wantLocation(t, problemOf(t, o.do("POST", "/api/v1/segments", `{"name":"Munich","conditions":[{"field":"city","op":"is_empty"}]}`), 422), "body.name")

		before := count(t, s, "SELECT COUNT(*) FROM segments")
		for name, tc := range map[string]struct{ body, location string }{
			"operator the field has not": {`{"name":"Bad","conditions":[{"field":"birth_date","op":"contains","value":"19"}]}`, "body.conditions[0]"},
			"bad date":                   {`{"name":"Bad","conditions":[{"field":"birth_date","op":"before","value":"soon"}]}`, "body.conditions[0]"},
			"unknown field":              {`{"name":"Bad","conditions":[{"field":"shoe_size","op":"equals","value":"9"}]}`, "body.conditions[0].field"},
			"no conditions":              {`{"name":"Bad","conditions":[]}`, "body.conditions"},
			"no name":                    {`{"name":"","conditions":[{"field":"city","op":"is_empty"}]}`, "body.name"},
			"unknown match":              {`{"name":"Bad","match":"most","conditions":[{"field":"city","op":"is_empty"}]}`, "body.match"},
		} {
			t.Run(name, func(t *testing.T) {
				wantLocation(t, problemOf(t, o.do("POST", "/api/v1/segments", tc.body), 422), tc.location)
			})
		}
		if n := count(t, s, "SELECT COUNT(*) FROM segments"); n != before {
			t.Errorf("bad segments stored: %d", n-before)
		}
		wantLocation(t, problemOf(t, o.do("GET", "/api/v1/contacts?segment=99999", ""), 400), "query.segment")
		wantLocation(t, problemOf(t, o.do("POST", "/api/v1/contacts/search", `{"segment":99999}`), 422), "body.segment")
		problemOf(t, o.do("GET", "/api/v1/segments/99999", ""), 404)
		problemOf(t, o.do("PUT", "/api/v1/segments/99999", `{"name":"X","conditions":[{"field":"city","op":"is_empty"}]}`), 404)

		ro := s.CreateUser(t, "reader@firm.test", "Rea Reader", auth.RoleReadOnly, advPass, auth.Grants{})
		r := callerFor(t, s, ro)
		r.ok(200, "GET", "/api/v1/segments/"+id, "")
		problemOf(t, r.do("POST", "/api/v1/segments", `{"name":"RO","conditions":[{"field":"city","op":"is_empty"}]}`), 403)
		problemOf(t, r.do("DELETE", "/api/v1/segments/"+id, ""), 403)

		if res := o.do("DELETE", "/api/v1/segments/"+id, ""); res.StatusCode != 204 {
			t.Errorf("delete segment = %d %s", res.StatusCode, res.Body)
		}
		problemOf(t, o.do("GET", "/api/v1/segments/"+id, ""), 404)
		problemOf(t, o.do("DELETE", "/api/v1/segments/"+id, ""), 404)
		problemOf(t, o.do("GET", "/api/v1/contacts?segment="+id, ""), 400)
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE entity = 'segment' AND channel = 'api'"); n != 4 {
			t.Errorf("segment changes logged = %d, want 4", n)
		}
	})
}

// upload is a multipart upload body and its content type; a file part is
// added when filename is set.
func upload(t *testing.T, fields map[string]string, filename string, content []byte) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if filename != "" {
		fw, err := w.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(content)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String(), w.FormDataContentType()
}

func (c caller) upload(contactID string, fields map[string]string, filename string, content []byte) apptest.Response {
	c.t.Helper()
	body, ctype := upload(c.t, fields, filename, content)
	return c.do("POST", "/api/v1/contacts/"+contactID+"/documents", body, "Content-Type", ctype)
}

func missing(c map[string]any) []string {
	var out []string
	for _, m := range c["missing"].([]any) {
		out = append(out, m.(string))
	}
	return out
}

func TestDocumentsAPI_uploadIsSniffedLimitedDownloadedReviewedAndDeleted(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		lim := limitedAdvisor(t, s)
		o, l := callerFor(t, s, owner), callerFor(t, s, lim)
		id := idOf(o.ok(201, "POST", "/api/v1/contacts", fullPerson("Paula", "Pass")))
		before := o.ok(200, "GET", "/api/v1/contacts/"+id, "")
		const idDoc = "Approved passport or national ID document"
		if !slices.Contains(missing(before), idDoc) {
			t.Fatalf("missing = %v", missing(before))
		}

		pdf := []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n\x00\xff binary tail")
		res := o.upload(id, map[string]string{"kind": "passport", "expires_on": "2031-01-31"}, "Pässe 2024.pdf", pdf)
		if res.StatusCode != 201 {
			t.Fatalf("upload = %d %s", res.StatusCode, res.Body)
		}
		var doc map[string]any
		_ = json.Unmarshal([]byte(res.Body), &doc)
		docID := idOf(doc)
		if loc := res.Header.Get("Location"); loc != "/api/v1/contacts/"+id+"/documents/"+docID {
			t.Errorf("Location = %q", loc)
		}
		if doc["content_type"] != "application/pdf" || doc["status"] != "pending" || doc["size"] != float64(len(pdf)) ||
			doc["filename"] != "Pässe 2024.pdf" || doc["expires_on"] != "2031-01-31" || doc["kind"] != "passport" ||
			len(doc["sha256"].(string)) != 64 || !strings.Contains(doc["uploaded_by"].(string), "Olivia Owner") {
			t.Errorf("uploaded document = %v", doc)
		}

		// An executable is refused whatever its name, and nothing is stored.
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 200)...)
		p := problemOf(t, o.upload(id, map[string]string{"kind": "passport"}, "passport.pdf", exe), 422)
		wantLocation(t, p, "body.file")
		if !strings.Contains(p["detail"].(string), "a Windows program") {
			t.Errorf("422 detail %q does not say what the file is", p["detail"])
		}
		// Over the limit: 413 naming it, whether the body or only the file
		// is too large.
		big := append([]byte("%PDF-"), make([]byte, norm.MaxDocumentSize-4)...)
		for name, content := range map[string][]byte{"file": big, "body": append(big, make([]byte, 1<<20)...)} {
			p := problemOf(t, o.upload(id, map[string]string{"kind": "passport"}, "big.pdf", content), 413)
			if !strings.Contains(p["detail"].(string), "10 MB") {
				t.Errorf("%s too large: detail %q does not name the limit", name, p["detail"])
			}
		}
		for name, tc := range map[string]struct {
			fields   map[string]string
			filename string
			status   int
			location string
		}{
			"unknown kind":  {map[string]string{"kind": "selfie"}, "a.pdf", 422, "body.kind"},
			"bad expiry":    {map[string]string{"kind": "passport", "expires_on": "someday"}, "a.pdf", 422, "body.expires_on"},
			"no file":       {map[string]string{"kind": "passport"}, "", 422, "body.file"},
			"unknown part":  {map[string]string{"kind": "passport", "colour": "red"}, "a.pdf", 422, "body.colour"},
			"file as value": {map[string]string{"kind": "passport", "file": "%PDF-"}, "", 422, "body.file"},
		} {
			t.Run(name, func(t *testing.T) {
				p := problemOf(t, o.upload(id, tc.fields, tc.filename, pdf), tc.status)
				wantLocation(t, p, tc.location)
			})
		}
		problemOf(t, o.do("POST", "/api/v1/contacts/"+id+"/documents", `{"kind":"passport"}`), 415)
		problemOf(t, o.upload("999999", map[string]string{"kind": "passport"}, "a.pdf", pdf), 404)
		if n := count(t, s, "SELECT COUNT(*) FROM contact_documents"); n != 1 {
			t.Errorf("%d documents stored, want 1", n)
		}

		list := o.ok(200, "GET", "/api/v1/contacts/"+id+"/documents", "")
		if items := list["items"].([]any); len(items) != 1 || idOf(items[0].(map[string]any)) != docID {
			t.Errorf("documents = %v", list)
		}
		if strings.Contains(fmt.Sprint(list), "%PDF") {
			t.Error("the list carries the bytes")
		}

		// The download is the exact bytes as an attachment of the sniffed type.
		res = o.do("GET", "/api/v1/contacts/"+id+"/documents/"+docID+"/content", "")
		if res.StatusCode != 200 || res.Body != string(pdf) {
			t.Fatalf("download = %d, %d bytes", res.StatusCode, len(res.Body))
		}
		for h, want := range map[string]string{
			"Content-Type":           "application/pdf",
			"X-Content-Type-Options": "nosniff",
			"Cache-Control":          "no-store",
			"Content-Disposition":    `attachment; filename="P_sse 2024.pdf"; filename*=UTF-8''P%C3%A4sse%202024.pdf`,
		} {
			if got := res.Header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.document_view' AND entity_id = ? AND channel = 'api'", id); n != 1 {
			t.Errorf("downloads logged = %d", n)
		}
		problemOf(t, o.do("GET", "/api/v1/contacts/"+id+"/documents/999999/content", ""), 404)

		// Someone else's contact does not exist for a limited advisor.
		problemOf(t, l.do("GET", "/api/v1/contacts/"+id+"/documents", ""), 404)
		problemOf(t, l.do("GET", "/api/v1/contacts/"+id+"/documents/"+docID+"/content", ""), 404)
		problemOf(t, l.upload(id, map[string]string{"kind": "passport"}, "a.pdf", pdf), 404)

		// Review: a rejection needs a reason; approval raises completeness.
		review := "/api/v1/contacts/" + id + "/documents/" + docID + "/review"
		wantLocation(t, problemOf(t, o.do("POST", review, `{"status":"rejected"}`), 422), "body.reason")
		wantLocation(t, problemOf(t, o.do("POST", review, `{"status":"lost"}`), 422), "body.status")
		if got := o.ok(200, "GET", "/api/v1/contacts/"+id+"/documents/"+docID, ""); got["status"] != "pending" {
			t.Errorf("refused review changed the status: %v", got)
		}
		rejected := o.ok(200, "POST", review, `{"status":"rejected","reason":"Photo page cut off"}`)
		if rejected["status"] != "rejected" || rejected["reason"] != "Photo page cut off" || rejected["reviewer"] != "Olivia Owner" || rejected["reviewed_at"] == nil {
			t.Errorf("rejected = %v", rejected)
		}
		approved := o.ok(200, "POST", review, `{"status":"approved"}`)
		if approved["status"] != "approved" {
			t.Errorf("approved = %v", approved)
		}
		after := o.ok(200, "GET", "/api/v1/contacts/"+id, "")
		if after["completeness"].(float64) <= before["completeness"].(float64) || slices.Contains(missing(after), idDoc) {
			t.Errorf("completeness %v → %v, missing %v", before["completeness"], after["completeness"], missing(after))
		}

		ro := s.CreateUser(t, "reader@firm.test", "Rea Reader", auth.RoleReadOnly, advPass, auth.Grants{})
		r := callerFor(t, s, ro)
		r.ok(200, "GET", "/api/v1/contacts/"+id+"/documents", "")
		problemOf(t, r.upload(id, map[string]string{"kind": "passport"}, "a.pdf", pdf), 403)
		problemOf(t, r.do("DELETE", "/api/v1/contacts/"+id+"/documents/"+docID, ""), 403)

		if res := o.do("DELETE", "/api/v1/contacts/"+id+"/documents/"+docID, ""); res.StatusCode != 204 {
			t.Errorf("delete = %d %s", res.StatusCode, res.Body)
		}
		problemOf(t, o.do("GET", "/api/v1/contacts/"+id+"/documents/"+docID, ""), 404)
		if got := o.ok(200, "GET", "/api/v1/contacts/"+id, ""); got["completeness"] != before["completeness"] {
			t.Errorf("completeness after delete = %v, want %v", got["completeness"], before["completeness"])
		}
		for _, action := range []string{"contact.document_upload", "contact.document_review", "contact.document_delete"} {
			if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = ? AND channel = 'api'", action); n == 0 {
				t.Errorf("%s not logged", action)
			}
		}
	})
}

func TestDuplicatesAPI_foundBySameEmailDismissedAndMergedWithHistory(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		lim := limitedAdvisor(t, s)
		o, l := callerFor(t, s, owner), callerFor(t, s, lim)
		dora := idOf(o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Dora","last_name":"Dupont","category_id":1,
			"emails":[{"address":"dora@example.com"}],"employer":"Acme"}`))
		dorothea := idOf(o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Dorothea","last_name":"Dupont","category_id":1,
			"emails":[{"address":"DORA@example.com"},{"label":"work","address":"dd@work.example"}],"employer":"Beta"}`))
		o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Ed","last_name":"Else","category_id":1,"emails":[{"address":"ed@example.com"}]}`)
		fay := idOf(o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Fay","last_name":"One","category_id":1,"phones":[{"number":"+4930555123"}]}`))
		gus := idOf(o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Faye","last_name":"One","category_id":1,"phones":[{"number":"+4930555123"}]}`))
		// Same landline, another name: a family, not a duplicate.
		o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Hal","last_name":"One","category_id":1,"phones":[{"number":"+4930555123"}]}`)

		of := o.ok(200, "GET", "/api/v1/contacts/"+dora+"/duplicates", "")
		items := of["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("duplicates of Dora = %v", of)
		}
		pair := items[0].(map[string]any)
		if idOf(pair["a"].(map[string]any)) != dora || idOf(pair["b"].(map[string]any)) != dorothea ||
			!slices.Contains(pair["reasons"].([]any), any("same email dora@example.com")) {
			t.Errorf("pair = %v", pair)
		}
		// The book's list is as of the last check (at start, of an empty
		// book, or none yet): check again.
		o.ok(200, "POST", "/api/v1/duplicates/scan", "")
		book := o.ok(200, "GET", "/api/v1/duplicates?limit=10", "")
		pairs := map[string][]any{}
		for _, it := range book["items"].([]any) {
			m := it.(map[string]any)
			pairs[idOf(m["a"].(map[string]any))+"-"+idOf(m["b"].(map[string]any))] = m["reasons"].([]any)
		}
		if len(pairs) != 2 || len(pairs[dora+"-"+dorothea]) == 0 || len(pairs[fay+"-"+gus]) == 0 {
			t.Errorf("book duplicates = %v", book)
		}
		if book["scanned_at"] == nil || book["next_cursor"] != "" {
			t.Errorf("book list: scanned_at %v, next_cursor %v", book["scanned_at"], book["next_cursor"])
		}
		first := o.ok(200, "GET", "/api/v1/duplicates?limit=1", "")
		if items := first["items"].([]any); len(items) != 1 || first["next_cursor"] == "" {
			t.Fatalf("first page of one = %v", first)
		}
		second := o.ok(200, "GET", "/api/v1/duplicates?limit=1&cursor="+first["next_cursor"].(string), "")
		if items := second["items"].([]any); len(items) != 1 || second["next_cursor"] != "" ||
			idOf(items[0].(map[string]any)["b"].(map[string]any)) != dorothea {
			t.Errorf("second page = %v", second)
		}
		wantLocation(t, problemOf(t, o.do("GET", "/api/v1/duplicates?cursor=abc", ""), 400), "query.cursor")
		// A contact added after the check is listed after the next one.
		o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Ed","last_name":"Elze","category_id":1,"emails":[{"address":"ed@example.com"}]}`)
		if got := o.ok(200, "GET", "/api/v1/duplicates", ""); len(got["items"].([]any)) != 2 {
			t.Errorf("before checking again = %v", got)
		}
		if scan := o.ok(200, "POST", "/api/v1/duplicates/scan", ""); scan["pairs"] != float64(3) || scan["scanned_at"] == nil {
			t.Errorf("scan = %v", scan)
		}
		if got := o.ok(200, "GET", "/api/v1/duplicates", ""); len(got["items"].([]any)) != 3 {
			t.Errorf("after checking again = %v", got)
		}
		problemOf(t, l.do("POST", "/api/v1/duplicates/scan", ""), 403)
		if got := l.ok(200, "GET", "/api/v1/duplicates", ""); len(got["items"].([]any)) != 0 {
			t.Errorf("limited advisor sees others' duplicates: %v", got)
		}
		problemOf(t, l.do("GET", "/api/v1/contacts/"+dora+"/duplicates", ""), 404)
		wantLocation(t, problemOf(t, o.do("GET", "/api/v1/duplicates?limit=0", ""), 400), "query.limit")

		// Dismissed pairs are not listed again.
		if res := o.do("POST", "/api/v1/duplicates/dismiss", `{"a":`+gus+`,"b":`+fay+`}`); res.StatusCode != 204 {
			t.Fatalf("dismiss = %d %s", res.StatusCode, res.Body)
		}
		if got := o.ok(200, "GET", "/api/v1/duplicates", ""); len(got["items"].([]any)) != 2 {
			t.Errorf("after dismissal = %v", got)
		}
		if got := o.ok(200, "GET", "/api/v1/contacts/"+fay+"/duplicates", ""); len(got["items"].([]any)) != 0 {
			t.Errorf("Fay's duplicates after dismissal = %v", got)
		}
		wantLocation(t, problemOf(t, o.do("POST", "/api/v1/duplicates/dismiss", `{"a":`+fay+`,"b":`+fay+`}`), 422), "body.b")
		problemOf(t, o.do("POST", "/api/v1/duplicates/dismiss", `{"a":`+fay+`,"b":999999}`), 404)

		// Merge: refused take keys and sides merge nothing.
		merge := "/api/v1/contacts/" + dora + "/merge"
		wantLocation(t, problemOf(t, o.do("POST", merge, `{"other_id":`+dorothea+`,"take":{"shoe_size":"other"}}`), 422), "body.take.shoe_size")
		wantLocation(t, problemOf(t, o.do("POST", merge, `{"other_id":`+dorothea+`,"take":{"first_name":"both"}}`), 422), "body.take.first_name")
		wantLocation(t, problemOf(t, o.do("POST", merge, `{"other_id":`+dora+`}`), 422), "body.other_id")
		wantLocation(t, problemOf(t, o.do("POST", merge, `{"other_id":999999}`), 422), "body.other_id")
		problemOf(t, l.do("POST", merge, `{"other_id":`+dorothea+`}`), 404)
		o.ok(200, "GET", "/api/v1/contacts/"+dorothea, "")

		// Choices made on older versions: 409, nothing merged.
		problemOf(t, o.do("POST", merge, `{"other_id":`+dorothea+`,"other_version":9,"take":{"first_name":"other"}}`), 409)
		problemOf(t, o.do("POST", merge, `{"other_id":`+dorothea+`,"take":{"first_name":"other"}}`, "If-Match", `"9"`), 409)
		wantLocation(t, problemOf(t, o.do("POST", merge, `{"other_id":`+dorothea+`}`, "If-Match", `soon`), 400), "header.If-Match")
		o.ok(200, "GET", "/api/v1/contacts/"+dorothea, "")

		merged := o.ok(200, "POST", merge, `{"other_id":`+dorothea+`,"version":1,"other_version":1,"take":{"first_name":"other","employer":"survivor"}}`)
		if merged["first_name"] != "Dorothea" || merged["employer"] != "Acme" || idOf(merged) != dora {
			t.Errorf("merged = %v", merged)
		}
		var emails []string
		for _, e := range merged["emails"].([]any) {
			emails = append(emails, e.(map[string]any)["address"].(string))
		}
		if fmt.Sprint(emails) != "[dora@example.com dd@work.example]" {
			t.Errorf("merged emails = %v", emails)
		}
		res := o.do("GET", "/api/v1/contacts/"+dorothea, "")
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/api/v1/contacts/"+dora {
			t.Errorf("GET merged-away = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		for _, sub := range []string{"/activity", "/documents", "/duplicates"} {
			res := o.do("GET", "/api/v1/contacts/"+dorothea+sub, "")
			if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/api/v1/contacts/"+dora+sub {
				t.Errorf("GET merged-away %s = %d %s", sub, res.StatusCode, res.Header.Get("Location"))
			}
		}
		wantLocation(t, problemOf(t, o.do("POST", merge, `{"other_id":`+dorothea+`}`), 422), "body.other_id")
		p := problemOf(t, o.do("POST", "/api/v1/contacts/"+dorothea+"/merge", `{"other_id":`+dora+`}`), 404)
		if p["merged_into"] != float64(mustAtoi(t, dora)) {
			t.Errorf("merge into a merged contact = %v", p)
		}
		if got := o.ok(200, "GET", "/api/v1/contacts/"+dora+"/duplicates", ""); len(got["items"].([]any)) != 0 {
			t.Errorf("duplicates after the merge = %v", got)
		}

		// The history shows the merge and continues the merged contact's.
		activity := o.ok(200, "GET", "/api/v1/contacts/"+dora+"/activity", "")
		byAction := map[string][]string{}
		for _, it := range activity["items"].([]any) {
			m := it.(map[string]any)
			byAction[m["action"].(string)] = append(byAction[m["action"].(string)], m["entity_id"].(string))
		}
		if fmt.Sprint(byAction["contact.merge"]) != "["+dora+"]" || fmt.Sprint(byAction["contact.merged_away"]) != "["+dorothea+"]" ||
			len(byAction["contact.create"]) != 2 {
			t.Errorf("history = %v", byAction)
		}
		var seen []string
		cursor := ""
		for range 20 {
			page := o.ok(200, "GET", "/api/v1/contacts/"+dora+"/activity?limit=1&cursor="+cursor, "")
			seen = append(seen, ids(page["items"])...)
			if cursor = page["next_cursor"].(string); cursor == "" {
				break
			}
		}
		if len(seen) != len(activity["items"].([]any)) || len(uniq(seen)) != len(seen) {
			t.Errorf("paged history %v, want %d rows", seen, len(activity["items"].([]any)))
		}
		wantLocation(t, problemOf(t, o.do("GET", "/api/v1/contacts/"+dora+"/activity?cursor=x", ""), 400), "query.cursor")
		problemOf(t, l.do("GET", "/api/v1/contacts/"+dora+"/activity", ""), 404)
		mine := idOf(l.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Lu","last_name":"Own","category_id":1}`))
		if got := l.ok(200, "GET", "/api/v1/contacts/"+mine+"/activity", ""); len(got["items"].([]any)) != 1 {
			t.Errorf("limited advisor's own history = %v", got)
		}
	})
}

func TestSavedViewsAPI_areTheCallersOwn(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, adv := seeded(t, s)
		o, a := callerFor(t, s, owner), callerFor(t, s, adv)
		v := o.ok(201, "POST", "/api/v1/me/views", `{"name":"Approved","query":"stage=approved&sort=-created&cursor=abc"}`)
		if v["name"] != "Approved" || strings.Contains(v["query"].(string), "cursor") || !strings.Contains(v["query"].(string), "stage=approved") {
			t.Errorf("saved view = %v", v)
		}
		again := o.ok(200, "POST", "/api/v1/me/views", `{"name":"Approved","query":"stage=approved"}`)
		if idOf(again) != idOf(v) || again["query"] != "stage=approved" {
			t.Errorf("replaced view = %v", again)
		}
		if got := o.ok(200, "GET", "/api/v1/me/views", ""); len(got["items"].([]any)) != 1 {
			t.Errorf("views = %v", got)
		}
		if got := a.ok(200, "GET", "/api/v1/me/views", ""); len(got["items"].([]any)) != 0 {
			t.Errorf("another user's views = %v", got)
		}
		problemOf(t, a.do("DELETE", "/api/v1/me/views/"+idOf(v), ""), 404)
		wantLocation(t, problemOf(t, o.do("POST", "/api/v1/me/views", `{"name":"","query":""}`), 422), "body.name")
		if res := o.do("DELETE", "/api/v1/me/views/"+idOf(v), ""); res.StatusCode != 204 {
			t.Errorf("delete view = %d %s", res.StatusCode, res.Body)
		}
		problemOf(t, o.do("DELETE", "/api/v1/me/views/"+idOf(v), ""), 404)
	})
}

func TestContactsAPI_openAPIDescribesSegmentsDocumentsAndMergeFromTheDomain(t *testing.T) {
	s := apptest.Start(t, dbtest.Kinds()[0], nil)
	res := s.API(t, "", "GET", "/api/v1/openapi.json", "")
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if res.StatusCode != 200 || json.Unmarshal([]byte(res.Body), &doc) != nil {
		t.Fatalf("openapi = %d", res.StatusCode)
	}
	for path, methods := range map[string][]string{
		"/api/v1/segments": {"get", "post"}, "/api/v1/segments/{id}": {"get", "put", "delete"},
		"/api/v1/contacts/{id}/documents": {"get", "post"}, "/api/v1/contacts/{id}/documents/{doc}": {"get", "delete"},
		"/api/v1/contacts/{id}/documents/{doc}/content": {"get"}, "/api/v1/contacts/{id}/documents/{doc}/review": {"post"},
		"/api/v1/contacts/{id}/duplicates": {"get"}, "/api/v1/duplicates": {"get"}, "/api/v1/duplicates/dismiss": {"post"},
		"/api/v1/contacts/{id}/merge": {"post"}, "/api/v1/contacts/{id}/activity": {"get"},
		"/api/v1/me/views": {"get", "post"}, "/api/v1/me/views/{id}": {"delete"},
	} {
		for _, m := range methods {
			if _, ok := doc.Paths[path][m]; !ok {
				t.Errorf("%s %s is not described", m, path)
			}
		}
	}
	var upload struct {
		RequestBody struct {
			Content map[string]struct {
				Schema struct {
					Required   []string `json:"required"`
					Properties map[string]struct {
						Enum   []string `json:"enum"`
						Format string   `json:"format"`
					} `json:"properties"`
				} `json:"schema"`
			} `json:"content"`
		} `json:"requestBody"`
		Responses map[string]json.RawMessage `json:"responses"`
	}
	_ = json.Unmarshal(doc.Paths["/api/v1/contacts/{id}/documents"]["post"], &upload)
	form := upload.RequestBody.Content["multipart/form-data"].Schema
	if len(form.Properties["kind"].Enum) != len(contact.DocumentKinds) || form.Properties["file"].Format != "binary" ||
		!slices.Contains(form.Required, "file") {
		t.Errorf("upload form = %+v", form)
	}
	for _, status := range []string{"413", "415", "422"} {
		if upload.Responses[status] == nil {
			t.Errorf("upload does not document %s", status)
		}
	}
	download := string(doc.Paths["/api/v1/contacts/{id}/documents/{doc}/content"]["get"])
	for _, want := range []string{"application/pdf", "image/png", "Content-Disposition", "X-Content-Type-Options", `"301"`} {
		if !strings.Contains(download, want) {
			t.Errorf("download does not document %s", want)
		}
	}
	merge := string(doc.Paths["/api/v1/contacts/{id}/merge"]["post"]) + res.Body
	for _, f := range contact.MergeFields {
		if !strings.Contains(merge, strconv.Quote(f)) {
			t.Errorf("merge take does not list %s", f)
		}
	}
	seg := string(doc.Components.Schemas["SegmentRequest"])
	if !strings.Contains(seg, "Condition") {
		t.Errorf("SegmentRequest = %s", seg)
	}
	list := string(doc.Paths["/api/v1/contacts"]["get"])
	if !strings.Contains(list, `"segment"`) {
		t.Error("the contact list does not take segment")
	}
}
