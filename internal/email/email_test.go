package email_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/contact/contacttest"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/email"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/mail"
	"github.com/foliocrm/folio/internal/mail/mailtest"
	"github.com/foliocrm/folio/internal/secret"
)

type fixture struct {
	t                        testing.TB
	d                        *db.DB
	cs                       *contact.Service
	s                        *email.Service
	act                      *activity.Service
	admin, advisor, limited  contact.Viewer
	reader                   contact.Viewer
	adminEmail, advisorEmail string
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	box, _ := secret.New(make([]byte, 32))
	cs := contact.New(d, box)
	f := &fixture{t: t, d: d, cs: cs, s: email.New(d, cs, "Acme Wealth <folio@acme.test>"), act: activity.New(d, cs)}
	f.act.RegisterKind(activity.KindEmail, f.s.Loader())
	user := func(name, role string, ownOnly bool) contact.Viewer {
		return contacttest.User(t, d, name, role, ownOnly, "acme.test")
	}
	f.admin = user("Ada Admin", "owner", false)
	f.advisor = user("Otto Advisor", "advisor", false)
	f.limited = user("Lim Ited", "advisor", true)
	f.reader = user("Rea Reader", "readonly", false)
	f.advisorEmail = "otto.advisor@acme.test"
	t.Cleanup(func() {
		if n, err := audit.Verify(context.Background(), d); err != nil {
			t.Errorf("activity log does not verify after %d rows: %v", n, err)
		}
	})
	return f
}

func ctxAs(v contact.Viewer) context.Context { return contacttest.Ctx(v) }

func (f *fixture) person(owner contact.Viewer, first, last string, emails ...string) int64 {
	f.t.Helper()
	c := &contact.Contact{Kind: contact.Person, FirstName: first, LastName: last, CategoryID: 1, OwnerID: owner.UserID}
	for i, e := range emails {
		c.Emails = append(c.Emails, contact.Email{Label: "work", Address: e, Primary: i == 0})
	}
	id, err := f.cs.Create(ctxAs(owner), owner, c)
	if err != nil {
		f.t.Fatal(err, errs.FieldsOf(err))
	}
	return id
}

func (f *fixture) worker(srv *mailtest.Server) *mail.Worker {
	sender, err := mail.NewSMTPSender(srv.URL(), f.s.From)
	if err != nil {
		f.t.Fatal(err)
	}
	return mail.NewWorker(f.d, sender, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func drain(t testing.TB, w *mail.Worker) {
	t.Helper()
	for {
		n, err := w.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func TestSend_mergesFieldsAndDeliversTextAndHTMLFromTheFirmWithReplyToTheSender(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		srv := mailtest.Start(t)
		cid := f.person(f.admin, "Grace", "Hopper", "grace@client.test", "grace.home@client.test")
		id, err := f.s.Send(ctxAs(f.advisor), f.advisor, email.Draft{ContactID: cid, To: "grace.home@client.test",
			Subject: "Hello {{first_name}}", Body: "Dear {{ full_name }},\n\n**Your** review with {{sender_name}} of {{firm_name}}.\nOwner: {{owner_name}}"})
		if err != nil {
			t.Fatal(err, errs.FieldsOf(err))
		}
		drain(t, f.worker(srv))
		msgs := srv.Messages()
		if len(msgs) != 1 {
			t.Fatalf("%d messages", len(msgs))
		}
		m := msgs[0]
		for _, want := range []string{"Subject: Hello Grace", "Reply-To: <otto.advisor@acme.test>", "folio@acme.test",
			"Otto Advisor (Acme Wealth)", "Dear Grace Hopper,", "Owner: Ada Admin", "text/plain", "text/html", "<strong>Your</strong>"} {
			if !strings.Contains(m.Data, want) {
				t.Errorf("message lacks %q:\n%s", want, m.Data)
			}
		}
		if len(m.To) != 1 || m.To[0] != "grace.home@client.test" || m.From != "folio@acme.test" {
			t.Errorf("envelope from %s to %v", m.From, m.To)
		}
		e, err := f.s.Get(context.Background(), f.advisor, id)
		if err != nil || e.Status != "sent" || e.Direction != email.Out || e.ContactID != cid || e.Subject != "Hello Grace" {
			t.Fatalf("email %+v, %v", e, err)
		}
		if !strings.Contains(m.Data, "Message-Id: <"+e.MessageID+">") && !strings.Contains(m.Data, "Message-ID: <"+e.MessageID+">") {
			t.Errorf("message id %q not in\n%s", e.MessageID, m.Data)
		}
		c, _ := f.cs.Get(context.Background(), f.admin, cid)
		if c.LastEmailedAt == nil {
			t.Error("last emailed not set")
		}
		page, err := f.act.Timeline(context.Background(), f.advisor, cid, activity.TimelineQuery{Kind: activity.KindEmail})
		if err != nil || len(page.Items) != 1 || page.Items[0].Entry == nil || page.Items[0].Entry.Status != "sent" ||
			!strings.Contains(page.Items[0].Entry.Title, "Hello Grace") {
			t.Errorf("timeline %+v, %v", page.Items, err)
		}
	})
}

func TestSend_unknownMergeFieldsAreRefusedByName(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cid := f.person(f.admin, "Grace", "Hopper", "grace@client.test")
		_, err := f.s.Send(ctxAs(f.advisor), f.advisor, email.Draft{ContactID: cid, Subject: "Hi {{frist_name}}", Body: "{{balance}} and {{ first_name }}"})
		fields := errs.FieldsOf(err)
		if !strings.Contains(fields["subject"], "{{frist_name}}") || !strings.Contains(fields["body"], "{{balance}}") ||
			strings.Contains(fields["body"], "unknown merge fields {{balance}}, {{first_name}}") {
			t.Errorf("errors %v", fields)
		}
		_, err = f.s.CreateTemplate(ctxAs(f.advisor), f.advisor, email.TemplateInput{Name: "x", Subject: "s", Body: "{{nope}}"})
		if !strings.Contains(errs.FieldsOf(err)["body"], "{{nope}}") {
			t.Errorf("template: %v", err)
		}
	})
}

func TestSend_lineBreaksInSubjectNamesAndAddressesAreRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cid := f.person(f.admin, "Grace", "Hopper", "grace@client.test")
		for _, dr := range []email.Draft{
			{ContactID: cid, Subject: "Hi\r\nBcc: all@evil.test", Body: "x"},
			{ContactID: cid, Subject: "Hi\nBcc: all@evil.test", Body: "x"},
			{ContactID: cid, To: "grace@client.test\r\nBcc: all@evil.test", Subject: "Hi", Body: "x"},
		} {
			if _, err := f.s.Send(ctxAs(f.advisor), f.advisor, dr); !errs.Is(err, errs.Invalid) {
				t.Errorf("Send(%q, %q) = %v", dr.To, dr.Subject, err)
			}
		}
		// A name that somehow holds a line break (stored before validation
		// existed) never reaches a header.
		if _, err := d.ExecContext(context.Background(), "UPDATE contacts SET first_name = ?, display_name = ? WHERE id = ?",
			"Grace\r\nBcc: all@evil.test", "Grace\r\nBcc: all@evil.test Hopper", cid); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.Send(ctxAs(f.advisor), f.advisor, email.Draft{ContactID: cid, Subject: "Hello {{first_name}}", Body: "x"})
		if !errs.Is(err, errs.Invalid) {
			t.Errorf("a name with a line break: %v", err)
		}
		if n, _ := mail.CountQueued(context.Background(), d); n != 0 {
			t.Errorf("%d queued", n)
		}
	})
}

func TestSend_scriptRawHTMLAndJavascriptLinksAreInert(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		srv := mailtest.Start(t)
		cid := f.person(f.admin, "<b>Bob</b>", "Tables", "bob@client.test")
		body := "Hi {{first_name}}\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) <a href=\"javascript:alert(4)\">x</a>"
		id, err := f.s.Send(ctxAs(f.advisor), f.advisor, email.Draft{ContactID: cid, Subject: "Hi", Body: body})
		if err != nil {
			t.Fatal(err, errs.FieldsOf(err))
		}
		drain(t, f.worker(srv))
		e, _ := f.s.Get(context.Background(), f.advisor, id)
		html := strings.ToLower(e.BodyHTML + string(e.SafeHTML()))
		for _, bad := range []string{"<script", "onerror", "javascript:", "<img", "<b>bob"} {
			if strings.Contains(html, bad) {
				t.Errorf("stored HTML holds %q: %s", bad, html)
			}
		}
		data := strings.ToLower(srv.Messages()[0].Data)
		i := strings.Index(data, "text/html")
		if i < 0 {
			t.Fatalf("no html part:\n%s", data)
		}
		for _, bad := range []string{"<script", "onerror", "javascript:", "<img"} {
			if strings.Contains(data[i:], bad) {
				t.Errorf("sent HTML part holds %q:\n%s", bad, data[i:])
			}
		}
		if !strings.Contains(data[i:], "&lt;b&gt;bob&lt;/b&gt;") {
			t.Errorf("the merged name is not shown as text:\n%s", data[i:])
		}
	})
}

func TestSendBulk_oneMessagePerRecipientWithItsOwnToLineAndSkipsThoseWithoutAddress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		srv := mailtest.Start(t)
		a := f.person(f.admin, "Ann", "One", "ann@client.test")
		b := f.person(f.limited, "Ben", "Two", "ben@client.test")
		c := f.person(f.admin, "Cy", "Three")
		hidden := f.person(f.admin, "Hid", "Den", "hid@client.test")
		tid, err := f.s.CreateTemplate(ctxAs(f.advisor), f.advisor, email.TemplateInput{Name: "Review", Subject: "Review for {{full_name}}", Body: "Dear {{first_name}}, see you."})
		if err != nil {
			t.Fatal(err)
		}
		// The limited user reaches only the contacts they own.
		res, err := f.s.SendBulk(ctxAs(f.limited), f.limited, email.BulkDraft{ContactIDs: []int64{b, hidden}, TemplateID: tid})
		if err != nil || res.Queued != 1 || res.Unavailable != 1 {
			t.Fatalf("limited bulk: %+v, %v", res, err)
		}
		res, err = f.s.SendBulk(ctxAs(f.advisor), f.advisor, email.BulkDraft{ContactIDs: []int64{a, b, c, a}, TemplateID: tid})
		if err != nil {
			t.Fatal(err, errs.FieldsOf(err))
		}
		if res.Queued != 2 || len(res.Skipped) != 1 || res.Skipped[0].ContactID != c || res.BatchID == 0 {
			t.Fatalf("result %+v", res)
		}
		drain(t, f.worker(srv))
		msgs := srv.Messages()
		if len(msgs) != 3 {
			t.Fatalf("%d messages", len(msgs))
		}
		seen := map[string]bool{}
		for _, m := range msgs {
			if len(m.To) != 1 {
				t.Errorf("envelope to %v", m.To)
			}
			to := headerLine(m.Data, "To")
			if strings.Count(to, "@") != 1 || !strings.Contains(to, m.To[0]) {
				t.Errorf("To: line %q for %v", to, m.To)
			}
			seen[m.To[0]] = true
		}
		ann := findMessage(msgs, "ann@client.test")
		if !strings.Contains(ann, "Subject: Review for Ann One") || !strings.Contains(ann, "Dear Ann, see you.") {
			t.Errorf("Ann's message:\n%s", ann)
		}
		if !seen["ann@client.test"] || !seen["ben@client.test"] {
			t.Errorf("recipients %v", seen)
		}
		for _, id := range []int64{a, b} {
			es, err := f.s.ForContact(context.Background(), f.admin, id, 0, 10)
			if err != nil || len(es) == 0 || es[0].Status != "sent" {
				t.Errorf("contact %d emails %+v %v", id, es, err)
			}
		}
	})
}

func TestPreviewBulk_showsOneRecipientsMergedSubjectAndBody(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.person(f.admin, "Ann", "One", "ann@client.test")
		r, err := f.s.PreviewBulk(context.Background(), f.advisor, email.BulkDraft{Subject: "For {{last_name}}", Body: "Hi *{{first_name}}* ({{email}})"}, a)
		if err != nil {
			t.Fatal(err)
		}
		if r.Subject != "For One" || r.Text != "Hi *Ann* (ann@client.test)" || !strings.Contains(string(r.HTML), "<em>Ann</em>") || r.To != "ann@client.test" {
			t.Errorf("preview %+v", r)
		}
	})
}

func TestTemplates_editNeedsTheCurrentVersionAndNamesAreUnique(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := ctxAs(f.advisor)
		id, err := f.s.CreateTemplate(ctx, f.advisor, email.TemplateInput{Name: "Welcome", Subject: "Welcome {{first_name}}", Body: "Hello"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.CreateTemplate(ctx, f.advisor, email.TemplateInput{Name: "Welcome", Subject: "x", Body: "y"}); errs.FieldsOf(err)["name"] == "" {
			t.Errorf("duplicate name: %v", err)
		}
		if err := f.s.UpdateTemplate(ctx, f.advisor, id, email.TemplateInput{Name: "Welcome", Subject: "Hi", Body: "Hello", Version: 1}); err != nil {
			t.Fatal(err)
		}
		if err := f.s.UpdateTemplate(ctx, f.advisor, id, email.TemplateInput{Name: "Welcome", Subject: "Stale", Body: "Hello", Version: 1}); !errs.Is(err, errs.Conflict) {
			t.Errorf("stale edit: %v", err)
		}
		if _, err := f.s.CreateTemplate(ctxAs(f.reader), f.reader, email.TemplateInput{Name: "R", Subject: "x", Body: "y"}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("reader: %v", err)
		}
		if err := f.s.DeleteTemplate(ctx, f.advisor, id); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Template(context.Background(), id); !errs.Is(err, errs.NotFound) {
			t.Errorf("after delete: %v", err)
		}
	})
}

func TestGet_emailsOfContactsAUserMayNotSeeAreHidden(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cid := f.person(f.admin, "Priv", "Ate", "priv@client.test")
		id, err := f.s.Send(ctxAs(f.advisor), f.advisor, email.Draft{ContactID: cid, Subject: "Private", Body: "x", Portal: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Get(context.Background(), f.limited, id); !errs.Is(err, errs.NotFound) {
			t.Errorf("limited user: %v", err)
		}
		if _, err := f.s.Send(ctxAs(f.limited), f.limited, email.Draft{ContactID: cid, Subject: "Hi", Body: "x"}); !errs.Is(err, errs.NotFound) {
			t.Errorf("limited send: %v", err)
		}
		e, err := f.s.Get(context.Background(), f.admin, id)
		if err != nil || !e.Portal || e.Status != "queued" {
			t.Errorf("portal message %+v %v", e, err)
		}
	})
}

func TestLoader_showsInboundEmailsWithSenderExcerptAndAttachments(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cid := f.person(f.admin, "Ina", "Bound", "ina@client.test")
		ctx := context.Background()
		var id int64
		err := d.InTx(ctx, func(tx *db.Tx) error {
			now := db.Now()
			if err := tx.QueryRowContext(ctx, `INSERT INTO emails (direction, user_id, from_addr, from_name, to_addrs, cc_addrs, subject,
				body_text, body_html, message_id, filed, created_at) VALUES ('in', ?, 'ina@client.test', 'Ina Bound', 'otto.advisor@acme.test',
				'x@y.test', 'Question', '', ?, 'abc@client.test', TRUE, ?) RETURNING id`, f.advisor.UserID,
				`<p>Hello <script>alert(1)</script><a href="javascript:alert(2)">there</a><img src="https://track.test/p.gif"></p>`, now).Scan(&id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO email_attachments (email_id, filename, content_type, size, data) VALUES (?, 'a.pdf', 'application/pdf', 3, ?)`,
				id, []byte("pdf")); err != nil {
				return err
			}
			return activity.AddToTimeline(ctx, tx, cid, activity.KindEmail, id, f.advisor.UserID, now)
		})
		if err != nil {
			t.Fatal(err)
		}
		page, err := f.act.Timeline(ctx, f.admin, cid, activity.TimelineQuery{})
		if err != nil || len(page.Items) != 1 || page.Items[0].Entry == nil {
			t.Fatalf("timeline %+v %v", page, err)
		}
		sum := page.Items[0].Entry
		if !strings.Contains(sum.Detail, "Ina Bound <ina@client.test>") || !strings.Contains(sum.Detail, "1 attachment") ||
			!strings.Contains(string(sum.Body), "Hello") || strings.Contains(string(sum.Body), "<script") || sum.Status != "received" {
			t.Errorf("summary %+v", sum)
		}
		e, err := f.s.Get(ctx, f.advisor, id)
		if err != nil || len(e.Attachments) != 1 {
			t.Fatalf("email %+v %v", e, err)
		}
		safe := string(e.SafeHTML())
		for _, bad := range []string{"<script", "javascript:", "<img"} {
			if strings.Contains(safe, bad) {
				t.Errorf("shown HTML holds %q: %s", bad, safe)
			}
		}
		if _, data, err := f.s.OpenAttachment(ctx, f.admin, id, e.Attachments[0].ID); err != nil || string(data) != "pdf" {
			t.Errorf("attachment %q %v", data, err)
		}
		if _, err := f.s.Get(ctx, f.limited, id); !errs.Is(err, errs.NotFound) {
			t.Errorf("limited user sees an inbound email of someone else's contact: %v", err)
		}
	})
}

func headerLine(data, name string) string {
	for _, l := range strings.Split(data, "\n") {
		if strings.HasPrefix(l, name+": ") {
			return strings.TrimPrefix(l, name+": ")
		}
	}
	return ""
}

func findMessage(msgs []mailtest.Message, to string) string {
	for _, m := range msgs {
		if m.To[0] == to {
			return m.Data
		}
	}
	return ""
}

// Merging contacts moves the other's emails to the survivor; erasing a
// contact deletes its emails and strips the outbox rows of their address
// and words, so a queued one is never sent.
func TestEmail_followsMergeAndGoesWithErase(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.person(f.admin, "Ann", "Lee", "ann@client.test")
		b := f.person(f.admin, "Anne", "Lee", "anne@client.test")
		id, err := f.s.Send(ctxAs(f.admin), f.admin, email.Draft{ContactID: b, Subject: "Your review", Body: "See you on Monday."})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.cs.Merge(ctxAs(f.admin), f.admin, a, b, nil, contact.MergeBase{}); err != nil {
			t.Fatal(err)
		}
		if e, err := f.s.Get(context.Background(), f.admin, id); err != nil || e.ContactID != a {
			t.Errorf("email after the merge = %+v, %v; want it on the survivor %d", e, err, a)
		}
		if err := f.cs.Erase(ctxAs(f.admin), f.admin, a); err != nil {
			t.Fatal(err)
		}
		var emails, readable int
		_ = d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM emails").Scan(&emails)
		_ = d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM mail_outbox WHERE to_addr <> '' OR body_text <> '' OR status = 'queued'").Scan(&readable)
		if emails != 0 || readable != 0 {
			t.Errorf("after erasure: %d emails, %d outbox rows with an address, words or still queued", emails, readable)
		}
	})
}
