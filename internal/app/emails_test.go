package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/config"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/mail/mailtest"
)

// Email out over HTTP, with real SMTP: each server sends through its own
// in-process mail server.

// eachWithSMTP runs fn on every database with Folio sending to a mailtest
// server.
func eachWithSMTP(t *testing.T, fn func(t *testing.T, s *apptest.Server, mx *mailtest.Server)) {
	for _, k := range dbtest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			t.Parallel()
			mx := mailtest.Start(t)
			s := apptest.Start(t, k, func(c *config.Config) {
				c.SMTPURL, c.SMTPFrom = mx.URL(), "Acme Wealth <folio@acme.test>"
			})
			fn(t, s, mx)
		})
	}
}

// emailIDFrom is the id of /emails/{id}.
func emailIDFrom(t *testing.T, loc string) string {
	t.Helper()
	id, ok := strings.CutPrefix(loc, "/emails/")
	if !ok || id == "" || strings.Contains(id, "/") {
		t.Fatalf("redirect to %q, want /emails/{id}", loc)
	}
	return id
}

// waitStatus waits until email id's outbox row has status want.
func waitStatus(t *testing.T, s *apptest.Server, id, want string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		var got string
		_ = s.DB.QueryRowContext(context.Background(), "SELECT o.status FROM emails e JOIN mail_outbox o ON o.id = e.outbox_id WHERE e.id = ?", id).Scan(&got)
		if got == want {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("email %s never became %s", id, want)
}

func TestEmailWeb_composeSendsThroughSMTPAndTheEmailIsOnTheTimelineAndRecord(t *testing.T) {
	eachWithSMTP(t, func(t *testing.T, s *apptest.Server, mx *mailtest.Server) {
		owner, _ := seeded(t, s)
		cid := addContact(t, s, owner, person("Grace", "Hopper", "grace@client.test"))
		c := signedIn(t, s, ownerEmail, ownerPass)
		page := s.Get(t, c, "/contacts/"+id(cid)+"/email")
		if page.StatusCode != 200 || !strings.Contains(page.Body, "grace@client.test (primary)") || strings.Contains(page.Body, "not configured") {
			t.Fatalf("compose page %d:\n%s", page.StatusCode, page.Body)
		}
		if rec := s.Get(t, c, "/contacts/"+id(cid)); !strings.Contains(rec.Body, "Never emailed") || !strings.Contains(rec.Body, "/contacts/"+id(cid)+"/email") {
			t.Errorf("record before: %s", rec.Body)
		}
		form := url.Values{"to": {"grace@client.test"}, "subject": {"Hello {{first_name}}"}, "body": {"See you, {{full_name}}."}}
		form.Set("action", "preview")
		prev := s.PostForm(t, c, "/contacts/"+id(cid)+"/email", form)
		if prev.StatusCode != 200 || !strings.Contains(prev.Body, "Hello Grace") || !strings.Contains(prev.Body, "See you, Grace Hopper.") {
			t.Fatalf("preview %d:\n%s", prev.StatusCode, prev.Body)
		}
		if len(mx.Messages()) != 0 {
			t.Fatal("a preview sent mail")
		}
		form.Set("action", "send")
		res := s.PostForm(t, c, "/contacts/"+id(cid)+"/email", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("send = %d\n%s", res.StatusCode, res.Body)
		}
		eid := emailIDFrom(t, res.Header.Get("Location"))
		msgs := mx.Wait(t, 1, 15*time.Second)
		if msgs[0].To[0] != "grace@client.test" || !strings.Contains(msgs[0].Data, "Subject: Hello Grace") ||
			!strings.Contains(msgs[0].Data, "Reply-To: <"+ownerEmail+">") {
			t.Errorf("delivered %+v", msgs[0])
		}
		waitStatus(t, s, eid, "sent")
		ep := s.Get(t, c, "/emails/"+eid)
		if ep.StatusCode != 200 || !strings.Contains(ep.Body, "Sent") || !strings.Contains(ep.Body, "Hello Grace") {
			t.Errorf("email page %d:\n%s", ep.StatusCode, ep.Body)
		}
		if rec := s.Get(t, c, "/contacts/"+id(cid)); !strings.Contains(rec.Body, "Last emailed") {
			t.Errorf("record does not say when last emailed")
		}
		if n := count(t, s, "SELECT COUNT(*) FROM timeline WHERE contact_id = ? AND kind = 'email'", cid); n != 1 {
			t.Errorf("%d timeline rows", n)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.email_send' AND entity_id = ?", id(cid)); n != 1 {
			t.Errorf("%d activity-log rows", n)
		}
	})
}

func TestEmailWeb_withoutSMTPMailStaysQueuedAndTheUISaysSo(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		cid := addContact(t, s, owner, person("Quin", "Queue", "quin@client.test"))
		c := signedIn(t, s, ownerEmail, ownerPass)
		if page := s.Get(t, c, "/contacts/"+id(cid)+"/email"); !strings.Contains(page.Body, "Outgoing mail is not configured") {
			t.Errorf("compose page does not say mail is not configured")
		}
		res := s.PostForm(t, c, "/contacts/"+id(cid)+"/email", url.Values{"subject": {"Waiting"}, "body": {"x"}, "action": {"send"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("send = %d\n%s", res.StatusCode, res.Body)
		}
		ep := follow(t, s, c, res)
		if !strings.Contains(ep.Body, "stays in the queue") || !strings.Contains(ep.Body, "outgoing mail is not configured") || !strings.Contains(ep.Body, "Queued") {
			t.Errorf("email page:\n%s", ep.Body)
		}
		time.Sleep(200 * time.Millisecond)
		if n := count(t, s, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'queued' AND subject = 'Waiting'"); n != 1 {
			t.Errorf("%d queued", n)
		}
		api := callerFor(t, s, owner)
		got := api.ok(201, "POST", "/api/v1/contacts/"+id(cid)+"/emails", `{"subject":"Also waiting","body":"y"}`)
		if got["status"] != "queued" || got["smtp_configured"] != false {
			t.Errorf("API answer %v", got)
		}
	})
}

func TestEmailWeb_5xxFailsTheMessageWithTheServersReplyShown(t *testing.T) {
	eachWithSMTP(t, func(t *testing.T, s *apptest.Server, mx *mailtest.Server) {
		mx.Reply = func(int, mailtest.Message) error {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable <gone>"}
		}
		owner, _ := seeded(t, s)
		cid := addContact(t, s, owner, person("Gone", "Away", "gone@client.test"))
		c := signedIn(t, s, ownerEmail, ownerPass)
		res := s.PostForm(t, c, "/contacts/"+id(cid)+"/email", url.Values{"subject": {"Bounce"}, "body": {"x"}, "action": {"send"}})
		eid := emailIDFrom(t, res.Header.Get("Location"))
		waitStatus(t, s, eid, "failed")
		ep := s.Get(t, c, "/emails/"+eid)
		if !strings.Contains(ep.Body, "Failed") || !strings.Contains(ep.Body, "Server's reply") || !strings.Contains(ep.Body, "mailbox unavailable &lt;gone&gt;") {
			t.Errorf("email page:\n%s", ep.Body)
		}
		got := callerFor(t, s, owner).ok(200, "GET", "/api/v1/emails/"+eid, "")
		if got["status"] != "failed" || !strings.Contains(got["last_error"].(string), "550") {
			t.Errorf("API %v", got)
		}
	})
}

func TestEmailWeb_4xxIsRetriedThenSent(t *testing.T) {
	eachWithSMTP(t, func(t *testing.T, s *apptest.Server, mx *mailtest.Server) {
		mx.Reply = func(n int, _ mailtest.Message) error {
			if n == 1 {
				return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "greylisted, try later"}
			}
			return nil
		}
		owner, _ := seeded(t, s)
		cid := addContact(t, s, owner, person("Grey", "List", "grey@client.test"))
		c := signedIn(t, s, ownerEmail, ownerPass)
		res := s.PostForm(t, c, "/contacts/"+id(cid)+"/email", url.Values{"subject": {"Retry"}, "body": {"x"}, "action": {"send"}})
		eid := emailIDFrom(t, res.Header.Get("Location"))
		deadline := time.Now().Add(15 * time.Second)
		for mx.Attempts() < 1 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		waitStatus(t, s, eid, "queued")
		if ep := s.Get(t, c, "/emails/"+eid); !strings.Contains(ep.Body, "greylisted, try later") || !strings.Contains(ep.Body, "tries again") {
			t.Errorf("email page after the 451:\n%s", ep.Body)
		}
		// The retry waits for its backoff; make it due and wake the worker.
		if _, err := s.DB.ExecContext(context.Background(), "UPDATE mail_outbox SET next_attempt_at = ? WHERE id = (SELECT outbox_id FROM emails WHERE id = ?)", db.Now(), eid); err != nil {
			t.Fatal(err)
		}
		s.Mail.Wake()
		waitStatus(t, s, eid, "sent")
		if len(mx.Messages()) != 1 || mx.Attempts() != 2 {
			t.Errorf("%d delivered in %d attempts", len(mx.Messages()), mx.Attempts())
		}
	})
}

func TestEmailWeb_bulkFromTheListConfirmsHowManyAndSendsOnePerRecipient(t *testing.T) {
	eachWithSMTP(t, func(t *testing.T, s *apptest.Server, mx *mailtest.Server) {
		owner, _ := seeded(t, s)
		a := addContact(t, s, owner, person("Ann", "One", "ann@client.test"))
		b := addContact(t, s, owner, person("Ben", "Two", "ben@client.test"))
		none := addContact(t, s, owner, person("Nora", "Noaddress", ""))
		c := signedIn(t, s, ownerEmail, ownerPass)
		if list := s.Get(t, c, "/contacts"); !strings.Contains(list.Body, `formaction="/emails/bulk"`) {
			t.Fatal("no Email action on the list")
		}
		form := url.Values{"id": {id(a), id(b), id(none)}, "return": {"/contacts"}}
		page := s.PostForm(t, c, "/emails/bulk", form)
		if page.StatusCode != 200 || !strings.Contains(page.Body, "Email 2 contacts") || !strings.Contains(page.Body, "1 without an email address will be skipped") ||
			!strings.Contains(page.Body, "Nora Noaddress") {
			t.Fatalf("bulk page %d:\n%s", page.StatusCode, page.Body)
		}
		form.Set("subject", "News for {{first_name}}")
		form.Set("body", "Dear {{full_name}}")
		form.Set("preview_id", id(b))
		form.Set("action", "preview")
		if p := s.PostForm(t, c, "/emails/bulk", form); !strings.Contains(p.Body, "News for Ben") || !strings.Contains(p.Body, "Dear Ben Two") {
			t.Errorf("preview for Ben:\n%s", p.Body)
		}
		form.Set("subject", "News for {{frist_name}}")
		if p := s.PostForm(t, c, "/emails/bulk", form); p.StatusCode != 422 || !strings.Contains(html.UnescapeString(p.Body), "unknown merge field {{frist_name}}") {
			t.Errorf("unknown field: %d", p.StatusCode)
		}
		form.Set("subject", "News for {{first_name}}")
		form.Set("action", "review")
		conf := s.PostForm(t, c, "/emails/bulk", form)
		if !strings.Contains(conf.Body, "Send 2 emails?") || !strings.Contains(conf.Body, "1 without an address are skipped") {
			t.Fatalf("confirmation:\n%s", conf.Body)
		}
		if len(mx.Messages()) != 0 {
			t.Fatal("sent before confirmation")
		}
		form.Set("action", "send")
		res := s.PostForm(t, c, "/emails/bulk", form)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/contacts" {
			t.Fatalf("send = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if list := follow(t, s, c, res); !strings.Contains(list.Body, "Queued 2 emails, one per recipient. Skipped 1 contact without an email address.") {
			t.Errorf("flash missing:\n%s", list.Body)
		}
		msgs := mx.Wait(t, 2, 15*time.Second)
		for _, m := range msgs {
			to := headerOf(m.Data, "To")
			if len(m.To) != 1 || strings.Count(to, "@") != 1 || !strings.Contains(to, m.To[0]) {
				t.Errorf("envelope %v with To: %q", m.To, to)
			}
			first := map[string]string{"ann@client.test": "Ann", "ben@client.test": "Ben"}[m.To[0]]
			if !strings.Contains(m.Data, "Subject: News for "+first) {
				t.Errorf("message to %s:\n%s", m.To[0], m.Data)
			}
		}
		if n := count(t, s, "SELECT COUNT(DISTINCT batch_id) FROM emails WHERE batch_id IS NOT NULL"); n != 1 {
			t.Errorf("%d batches", n)
		}
	})
}

func TestEmailWeb_templatesCreateEditDeleteWithConfirmationAndUseInCompose(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		cid := addContact(t, s, owner, person("Tia", "Temple", "tia@client.test"))
		c := signedIn(t, s, ownerEmail, ownerPass)
		if p := s.Get(t, c, "/email-templates"); !strings.Contains(p.Body, "No templates yet") {
			t.Errorf("empty state missing")
		}
		bad := s.PostForm(t, c, "/email-templates", url.Values{"name": {"Review"}, "subject": {"Hi {{first_name}}"}, "body": {"{{balance}}"}})
		if bad.StatusCode != 422 || !strings.Contains(html.UnescapeString(bad.Body), "unknown merge field {{balance}}") {
			t.Errorf("unknown field = %d", bad.StatusCode)
		}
		inj := s.PostForm(t, c, "/email-templates", url.Values{"name": {"Inj"}, "subject": {"Hi\r\nBcc: x@evil.test"}, "body": {"x"}})
		if inj.StatusCode != 422 || !strings.Contains(inj.Body, "line breaks are not allowed") {
			t.Errorf("line break in subject = %d", inj.StatusCode)
		}
		res := s.PostForm(t, c, "/email-templates", url.Values{"name": {"Review"}, "subject": {"Review for {{first_name}}"}, "body": {"Dear {{first_name}}"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create = %d\n%s", res.StatusCode, res.Body)
		}
		var tid int64
		_ = s.DB.QueryRowContext(context.Background(), "SELECT id FROM email_templates WHERE name = 'Review'").Scan(&tid)
		edit := s.Get(t, c, "/email-templates/"+id(tid))
		if !strings.Contains(edit.Body, "Review for {{first_name}}") {
			t.Errorf("edit form:\n%s", edit.Body)
		}
		if res := s.PostForm(t, c, "/email-templates/"+id(tid), url.Values{"name": {"Review"}, "subject": {"Annual review, {{first_name}}"}, "body": {"Dear {{first_name}}"}, "version": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("update = %d\n%s", res.StatusCode, res.Body)
		}
		if res := s.PostForm(t, c, "/email-templates/"+id(tid), url.Values{"name": {"Review"}, "subject": {"Stale"}, "body": {"x"}, "version": {"1"}}); res.StatusCode != 422 || !strings.Contains(res.Body, "Someone changed this template") {
			t.Errorf("stale update = %d", res.StatusCode)
		}
		compose := s.Get(t, c, "/contacts/"+id(cid)+"/email?template="+id(tid))
		if !strings.Contains(compose.Body, "Annual review, {{first_name}}") {
			t.Errorf("template not applied:\n%s", compose.Body)
		}
		if conf := s.Get(t, c, "/email-templates/"+id(tid)+"/delete"); !strings.Contains(conf.Body, "Delete the template Review?") {
			t.Errorf("no confirmation page")
		}
		if n := count(t, s, "SELECT COUNT(*) FROM email_templates"); n != 1 {
			t.Errorf("the confirmation page deleted it")
		}
		if res := s.PostForm(t, c, "/email-templates/"+id(tid)+"/delete", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("delete = %d", res.StatusCode)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM email_templates"); n != 0 {
			t.Errorf("%d templates after delete", n)
		}
	})
}

func TestEmailWeb_scriptAndJavascriptLinksInBodiesAreInertOnEveryPage(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		cid := addContact(t, s, owner, person("Xss", "Tester", "xss@client.test"))
		c := signedIn(t, s, ownerEmail, ownerPass)
		body := "<script>alert(1)</script> [x](javascript:alert(2)) <a href=\"javascript:alert(3)\">y</a> <img src=x onerror=alert(4)>"
		prev := s.PostForm(t, c, "/contacts/"+id(cid)+"/email", url.Values{"subject": {"<script>alert(5)</script>"}, "body": {body}, "action": {"preview"}})
		res := s.PostForm(t, c, "/contacts/"+id(cid)+"/email", url.Values{"subject": {"<script>alert(5)</script>"}, "body": {body}, "action": {"send"}})
		ep := follow(t, s, c, res)
		// The form's textarea holds the text as typed (escaped); the
		// preview is what is rendered.
		i := strings.Index(prev.Body, `class="card email-preview"`)
		if i < 0 {
			t.Fatalf("no preview:\n%s", prev.Body)
		}
		preview := prev.Body[i:]
		preview = preview[:strings.Index(preview, "</section>")]
		for name, page := range map[string]string{"preview": preview, "email page": ep.Body} {
			for _, bad := range []string{"<script>alert", "javascript:", "onerror=", "<img"} {
				if strings.Contains(page, bad) {
					t.Errorf("%s holds %q", name, bad)
				}
			}
		}
		// An inbound email with hostile HTML (as the BCC listener stores it).
		var in int64
		err := s.DB.InTx(context.Background(), func(tx *db.Tx) error {
			if err := tx.QueryRowContext(context.Background(), `INSERT INTO emails (direction, user_id, from_addr, to_addrs, subject, body_html, created_at)
				VALUES ('in', ?, 'xss@client.test', 'olivia@firm.test', 'Hostile', ?, ?) RETURNING id`, owner.ID,
				`<p>Hi<script>alert(6)</script><a href="javascript:alert(7)">z</a><iframe src="https://evil.test"></iframe></p>`, db.Now()).Scan(&in); err != nil {
				return err
			}
			_, err := tx.ExecContext(context.Background(), "INSERT INTO timeline (contact_id, at, kind, ref_id) VALUES (?, ?, 'email', ?)", cid, db.Now(), in)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		page := s.Get(t, c, "/emails/"+id(in))
		if page.StatusCode != 200 || !strings.Contains(page.Body, "Hi") {
			t.Fatalf("inbound page %d", page.StatusCode)
		}
		for _, bad := range []string{"<script>alert", "javascript:", "<iframe"} {
			if strings.Contains(page.Body, bad) {
				t.Errorf("inbound email page holds %q", bad)
			}
		}
	})
}

func TestEmailAPI_sendListGetBulkTemplatesAndPreview(t *testing.T) {
	eachWithSMTP(t, func(t *testing.T, s *apptest.Server, mx *mailtest.Server) {
		owner, _ := seeded(t, s)
		lim := limitedAdvisor(t, s)
		a := addContact(t, s, owner, person("Ann", "Api", "ann@client.test"))
		b := addContact(t, s, owner, person("Bo", "Api", ""))
		api := callerFor(t, s, owner)
		sent := api.ok(201, "POST", "/api/v1/contacts/"+id(a)+"/emails", `{"subject":"Hi {{first_name}}","body":"**Hello**","portal":true}`)
		if sent["subject"] != "Hi Ann" || sent["portal"] != true || sent["smtp_configured"] != true || !strings.Contains(sent["body_html"].(string), "<strong>Hello</strong>") {
			t.Errorf("sent %v", sent)
		}
		for _, bad := range []string{`{"subject":"Hi\r\nBcc: x@evil.test","body":"x"}`, `{"to":"ann@client.test\r\nBcc: x@evil.test","subject":"Hi","body":"x"}`,
			`{"subject":"Hi {{nope}}","body":"x"}`, `{"to":"someone@else.test","subject":"Hi","body":"x"}`} {
			if res := api.do("POST", "/api/v1/contacts/"+id(a)+"/emails", bad); res.StatusCode != 422 {
				t.Errorf("%s = %d %s", bad, res.StatusCode, res.Body)
			}
		}
		if res := api.do("POST", "/api/v1/contacts/"+id(b)+"/emails", `{"subject":"Hi","body":"x"}`); res.StatusCode != 422 || !strings.Contains(res.Body, "no email address") {
			t.Errorf("no address = %d %s", res.StatusCode, res.Body)
		}
		if res := callerFor(t, s, lim).do("GET", "/api/v1/emails/"+idOf(sent), ""); res.StatusCode != 404 {
			t.Errorf("limited user reads another's email: %d", res.StatusCode)
		}
		list := api.ok(200, "GET", "/api/v1/contacts/"+id(a)+"/emails", "")
		if items := list["items"].([]any); len(items) != 1 {
			t.Errorf("list %v", list)
		}
		tpl := api.ok(201, "POST", "/api/v1/email-templates", `{"name":"Welcome","subject":"Welcome {{first_name}}","body":"From {{sender_name}} at {{firm_name}}"}`)
		prev := api.ok(200, "POST", "/api/v1/email-templates/"+idOf(tpl)+"/preview?contact_id="+id(a), "")
		if prev["subject"] != "Welcome Ann" || prev["text"] != "From Olivia Owner at Acme Wealth" || prev["to"] != "ann@client.test" {
			t.Errorf("preview %v", prev)
		}
		upd := api.ok(200, "PUT", "/api/v1/email-templates/"+idOf(tpl), `{"name":"Welcome","subject":"Welcome, {{first_name}}","body":"x","version":1}`)
		if upd["version"].(float64) != 2 {
			t.Errorf("update %v", upd)
		}
		if res := api.do("PUT", "/api/v1/email-templates/"+idOf(tpl), `{"name":"Welcome","subject":"S","body":"x","version":1}`); res.StatusCode != 409 {
			t.Errorf("stale update = %d", res.StatusCode)
		}
		bulk := api.ok(201, "POST", "/api/v1/emails/bulk", fmt.Sprintf(`{"contact_ids":[%d,%d,999999],"template_id":%s}`, a, b, idOf(tpl)))
		if bulk["queued"].(float64) != 1 || len(bulk["skipped"].([]any)) != 1 || bulk["unavailable"].(float64) != 1 {
			t.Errorf("bulk %v", bulk)
		}
		msgs := mx.Wait(t, 2, 15*time.Second)
		var subjects []string
		for _, m := range msgs {
			subjects = append(subjects, headerOf(m.Data, "Subject"))
		}
		if !strings.Contains(strings.Join(subjects, "|"), "Welcome, Ann") {
			t.Errorf("subjects %v", subjects)
		}
		api.ok(204, "DELETE", "/api/v1/email-templates/"+idOf(tpl), "")
		if res := api.do("GET", "/api/v1/email-templates/"+idOf(tpl), ""); res.StatusCode != 404 {
			t.Errorf("after delete = %d", res.StatusCode)
		}
		var c map[string]any
		_ = json.Unmarshal([]byte(api.do("GET", "/api/v1/contacts/"+id(a), "").Body), &c)
		if c["last_emailed_at"] == nil {
			t.Errorf("last_emailed_at missing: %v", c["last_emailed_at"])
		}
	})
}

func headerOf(data, name string) string {
	for _, l := range strings.Split(data, "\n") {
		if v, ok := strings.CutPrefix(l, name+": "); ok {
			return v
		}
	}
	return ""
}
