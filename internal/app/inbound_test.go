package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/config"
	"github.com/foliocrm/folio/internal/contact"
)

// bccOn turns the BCC listener on, on a free port, with small limits.
func bccOn(c *config.Config) {
	c.Inbound.SMTPAddr = "127.0.0.1:0"
	c.Inbound.Domain = "bcc.folio.test"
	c.Inbound.MaxMessageBytes = 8 << 10
	c.Inbound.MaxAttachmentBytes = 1 << 10
}

// bccContact makes a person owned by owner with the given addresses.
func bccContact(t *testing.T, s *apptest.Server, owner *auth.User, first string, emails ...string) int64 {
	t.Helper()
	c := &contact.Contact{Kind: contact.Person, FirstName: first, LastName: "Client", CategoryID: 1, OwnerID: owner.ID}
	for i, e := range emails {
		c.Emails = append(c.Emails, contact.Email{Label: "work", Address: e, Primary: i == 0})
	}
	id, err := s.Contacts.Create(audit.WithActor(context.Background(), audit.System), contact.ViewerFor(owner), c)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// bccAddress reads u's BCC address from GET /api/v1/me.
func bccAddress(t *testing.T, s *apptest.Server, tok string) string {
	t.Helper()
	res := s.API(t, tok, "GET", "/api/v1/me", "")
	var me struct {
		Email      string `json:"email"`
		BCCAddress string `json:"bcc_address"`
	}
	if res.StatusCode != 200 || json.Unmarshal([]byte(res.Body), &me) != nil || me.Email == "" {
		t.Fatalf("me = %d %s", res.StatusCode, res.Body)
	}
	if !strings.HasPrefix(me.BCCAddress, "bcc+") || !strings.HasSuffix(me.BCCAddress, "@bcc.folio.test") {
		t.Fatalf("bcc_address = %q", me.BCCAddress)
	}
	return me.BCCAddress
}

// bccSend delivers a message over SMTP to the running server's listener,
// as a mail program adding the BCC address would; it returns the first
// refusal.
func bccSend(t *testing.T, s *apptest.Server, rcpt string, lines ...string) error {
	t.Helper()
	c, err := smtp.Dial(s.InboundSMTP.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("advisor@firm.test"); err != nil {
		return err
	}
	if err := c.Rcpt(rcpt); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(strings.Join(lines, "\r\n") + "\r\n")); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

func smtpCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// onTimeline lists the contacts whose timeline holds received emails with
// this Message-ID, for the given BCC owner.
func onTimeline(t *testing.T, s *apptest.Server, owner *auth.User, messageID string) []int64 {
	t.Helper()
	rows, err := s.DB.QueryContext(context.Background(), `SELECT t.contact_id FROM timeline t JOIN emails e ON e.id = t.ref_id
		WHERE t.kind = 'email' AND e.direction = 'in' AND e.user_id = ? AND e.message_id = ? ORDER BY t.contact_id`, owner.ID, messageID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		_ = rows.Scan(&id)
		out = append(out, id)
	}
	return out
}

func idList(v ...int64) string {
	var s []string
	for _, x := range v {
		s = append(s, strconv.FormatInt(x, 10))
	}
	return strings.Join(s, ",")
}

func TestBCC_mailDeliveredOverSMTPLandsOnTheRightContactsTimelines(t *testing.T) {
	each(t, bccOn, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		lim := s.CreateUser(t, "lim@firm.test", "Lim Ited", auth.RoleAdvisor, advPass, auth.Grants{})
		if _, err := s.Auth.UpdateAccess(audit.WithActor(context.Background(), audit.System), owner, lim.ID,
			auth.AccessChange{Name: lim.Name, Role: lim.Role, OwnContactsOnly: true}); err != nil {
			t.Fatal(err)
		}
		lim, _ = s.Auth.UserByID(context.Background(), lim.ID)
		from := bccContact(t, s, lim, "Fran", "fran@client.test")
		to := bccContact(t, s, lim, "Toni", "toni@client.test")
		cc := bccContact(t, s, lim, "Cleo", "Cleo@Client.test")
		hidden := bccContact(t, s, owner, "Hugo", "hugo@client.test") // the limited user cannot see Hugo
		addr := bccAddress(t, s, token(t, s, lim))
		err := bccSend(t, s, addr,
			"From: Fran Client <fran@client.test>",
			"To: toni@client.test, Hugo <hugo@client.test>",
			"Cc: cleo@client.test",
			"Subject: Quarterly review",
			"Message-ID: <q3@client.test>",
			"",
			"See you Tuesday.")
		if err != nil {
			t.Fatal(err)
		}
		if got := onTimeline(t, s, lim, "q3@client.test"); idList(got...) != idList(from, to, cc) {
			t.Errorf("filed on %v, want From %d, To %d, Cc %d and not the invisible %d", got, from, to, cc, hidden)
		}
		// Delivered again (a retry): still once.
		if err := bccSend(t, s, addr, "From: fran@client.test", "To: toni@client.test", "Subject: Quarterly review",
			"Message-ID: <q3@client.test>", "", "See you Tuesday."); err != nil {
			t.Fatal(err)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM emails WHERE message_id = 'q3@client.test'"); n != 1 {
			t.Errorf("%d copies stored", n)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.bcc_email_file' AND actor_id = ?", lim.IDString()); n != 3 {
			t.Errorf("filing logged %d times, want 3", n)
		}
		// Encoded line breaks in header values come out as spaces: nothing
		// stored can start a header of its own when it is used again.
		if err := bccSend(t, s, addr,
			"From: =?UTF-8?Q?Fran=0D=0ABcc=3A_all=40firm.test?= <fran@client.test>",
			"To: toni@client.test",
			"Subject: =?UTF-8?Q?Re=3A_review=0D=0ABcc=3A_all=40firm.test=0D=0A=0D=0Abody?=",
			"Message-ID: <inj@client.test>",
			"", "x"); err != nil {
			t.Fatal(err)
		}
		var subject, name string
		_ = s.DB.QueryRowContext(context.Background(), "SELECT subject, from_name FROM emails WHERE message_id = 'inj@client.test'").Scan(&subject, &name)
		if subject != "Re: review Bcc: all@firm.test body" || name != "Fran Bcc: all@firm.test" {
			t.Errorf("stored subject %q, name %q", subject, name)
		}
	})
}

func TestBCC_listenerRefusesUnknownOversizedMalformedAndFloods(t *testing.T) {
	each(t, func(c *config.Config) { bccOn(c); c.Inbound.RatePerMinute = 5 }, func(t *testing.T, s *apptest.Server) {
		_, adv := seeded(t, s)
		addr := bccAddress(t, s, token(t, s, adv))
		if err := bccSend(t, s, "bcc+aaaaaaaaaaaaaaaaaaaaaaaaaa@bcc.folio.test", "From: a@example.com", "", "x"); smtpCode(err) != 550 {
			t.Errorf("unknown token: %v, want 550 at RCPT", err)
		}
		if err := bccSend(t, s, addr, "From: a@example.com", "Subject: big", "", strings.Repeat("0123456789abcdef0123456789abcdef\r\n", 300)); smtpCode(err) != 552 {
			t.Errorf("oversized: %v, want 552", err)
		}
		if err := bccSend(t, s, addr, "this is not a header", "", "body"); smtpCode(err) != 554 {
			t.Errorf("malformed: %v, want 554", err)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM emails"); n != 0 {
			t.Errorf("%d refused messages stored", n)
		}
		// Each MAIL counts against the client's rate of 5, and so does the
		// refused RCPT: this good message is the fifth, the next is refused.
		if err := bccSend(t, s, addr, "From: a@example.com", "Subject: ok", "", "fine"); err != nil {
			t.Fatalf("a good message: %v", err)
		}
		if err := bccSend(t, s, addr, "From: a@example.com", "Subject: flood", "", "again"); smtpCode(err)/100 != 4 {
			t.Errorf("flood: %v, want a 4xx", err)
		}
		if !strings.Contains(s.Logs.String(), "inbound mail refused: too many") {
			t.Error("the flood is not logged")
		}
	})
}

func TestBCC_unfiledMailFiledByHandOrMadeAContactOrDeletedInTheUI(t *testing.T) {
	each(t, bccOn, func(t *testing.T, s *apptest.Server) {
		_, adv := seeded(t, s)
		known := bccContact(t, s, adv, "Kira", "kira@client.test")
		c := s.Client()
		s.SignIn(t, c, advEmail, advPass)
		page := s.Get(t, c, "/account")
		addr := bccAddress(t, s, token(t, s, adv))
		if page.StatusCode != 200 || !strings.Contains(page.Body, strings.ReplaceAll(addr, "+", "&#43;")) || !strings.Contains(page.Body, "Reset address") {
			t.Fatalf("account page does not show the BCC address %s:\n%s", addr, page.Body)
		}
		for i, subject := range []string{"Intro <script>alert(1)</script>", "Second", "Third"} {
			if err := bccSend(t, s, addr, "From: \"Newman, Nora\" <nora@prospect.test>", "To: someone@elsewhere.test",
				"Subject: "+subject, "Message-ID: <u"+strconv.Itoa(i)+"@prospect.test>", "", "Hello from Nora."); err != nil {
				t.Fatal(err)
			}
		}
		list := s.Get(t, c, "/emails/unfiled")
		if list.StatusCode != 200 || strings.Count(list.Body, "File on contact…") != 3 || strings.Contains(list.Body, "<script>alert") ||
			!strings.Contains(list.Body, "Intro &lt;script&gt;") {
			t.Fatalf("unfiled page:\n%s", list.Body)
		}
		var ids []int64
		rows, _ := s.DB.QueryContext(context.Background(), "SELECT id FROM emails WHERE user_id = ? ORDER BY id", adv.ID)
		for rows.Next() {
			var id int64
			_ = rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		// File the first by hand: search by email, then "File here".
		found := s.Get(t, c, "/emails/"+itoa(ids[0])+"/file?q=kira%40client.test")
		if found.StatusCode != 200 || !strings.Contains(found.Body, `name="contact_id" value="`+itoa(known)+`"`) {
			t.Fatalf("search on the file page:\n%s", found.Body)
		}
		res := s.PostForm(t, c, "/emails/"+itoa(ids[0])+"/file", url.Values{"contact_id": {itoa(known)}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/contacts/"+itoa(known) {
			t.Fatalf("file = %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		if res := s.PostForm(t, c, "/emails/"+itoa(ids[1])+"/file", url.Values{"contact_id": {""}}); res.StatusCode != 422 ||
			!strings.Contains(res.Body, "Choose the contact") {
			t.Errorf("file without a contact = %d", res.StatusCode)
		}
		// Create a contact from the second's sender.
		res = s.PostForm(t, c, "/emails/"+itoa(ids[1])+"/create-contact", nil)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/contacts/") {
			t.Fatalf("create from sender = %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		nora, _ := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/contacts/"), 10, 64)
		got, err := s.Contacts.Get(context.Background(), contact.ViewerFor(adv), nora)
		if err != nil || got.Name() != "Nora Newman" || got.PrimaryEmail != "nora@prospect.test" || got.OwnerID != adv.ID {
			t.Fatalf("created %+v, %v", got, err)
		}
		if on := onTimeline(t, s, adv, "u1@prospect.test"); idList(on...) != idList(nora) {
			t.Errorf("second email on %v, want Nora %d", on, nora)
		}
		// The third: delete, after the confirmation page.
		if conf := s.Get(t, c, "/emails/"+itoa(ids[2])+"/delete"); conf.StatusCode != 200 || !strings.Contains(conf.Body, "Delete this email?") {
			t.Fatalf("confirmation = %d", conf.StatusCode)
		}
		if res := s.PostForm(t, c, "/emails/"+itoa(ids[2])+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete = %d", res.StatusCode)
		}
		if list := s.Get(t, c, "/emails/unfiled"); !strings.Contains(list.Body, "No unfiled email") {
			t.Errorf("unfiled list after all three:\n%s", list.Body)
		}
		// Someone else's mail is not found.
		other := s.Client()
		s.SignIn(t, other, ownerEmail, ownerPass)
		if res := s.Get(t, other, "/emails/"+itoa(ids[0])+"/file"); res.StatusCode != 404 {
			t.Errorf("owner opens the advisor's email: %d", res.StatusCode)
		}
		for action, want := range map[string]int{"contact.bcc_email_file": 1, "contact.bcc_create_contact": 1, "email.bcc_delete": 1, "email.bcc_receive": 3} {
			if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = ? AND actor_id = ?", action, adv.IDString()); n != want {
				t.Errorf("%s logged %d times, want %d", action, n, want)
			}
		}
	})
}

func TestBCC_resetAddressFromTheAccountPageRefusesTheOldOne(t *testing.T) {
	each(t, bccOn, func(t *testing.T, s *apptest.Server) {
		_, adv := seeded(t, s)
		tok := token(t, s, adv)
		old := bccAddress(t, s, tok)
		c := s.Client()
		s.SignIn(t, c, advEmail, advPass)
		if conf := s.Get(t, c, "/account/bcc/reset"); conf.StatusCode != 200 || !strings.Contains(conf.Body, "Reset your BCC address?") {
			t.Fatalf("confirmation = %d", conf.StatusCode)
		}
		if res := s.PostForm(t, c, "/account/bcc/reset", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset = %d", res.StatusCode)
		}
		now := bccAddress(t, s, tok)
		if now == old {
			t.Fatal("the address did not change")
		}
		if err := bccSend(t, s, old, "From: a@example.com", "", "x"); smtpCode(err) != 550 {
			t.Errorf("old address: %v, want 550", err)
		}
		if err := bccSend(t, s, now, "From: a@example.com", "", "x"); err != nil {
			t.Errorf("new address: %v", err)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.bcc_address_reset' AND entity_id = ?", adv.IDString()); n != 1 {
			t.Errorf("reset logged %d times", n)
		}
	})
}

func TestBCCAPI_unfiledListedFiledMadeAContactAndDeleted(t *testing.T) {
	each(t, bccOn, func(t *testing.T, s *apptest.Server) {
		owner, adv := seeded(t, s)
		tok := token(t, s, adv)
		addr := bccAddress(t, s, tok)
		known := bccContact(t, s, adv, "Kai", "kai@client.test")
		for i := range 3 {
			if err := bccSend(t, s, addr, "From: Pat Prospect <pat@prospect.test>", "To: x@elsewhere.test", "Subject: S"+strconv.Itoa(i),
				"Message-ID: <a"+strconv.Itoa(i)+"@p>", "Content-Type: multipart/mixed; boundary=b", "", "--b", "Content-Type: text/plain", "", "Hi",
				"--b", "Content-Type: application/pdf", "Content-Disposition: attachment; filename=small.pdf", "", "%PDF",
				"--b", "Content-Type: application/pdf", "Content-Disposition: attachment; filename=huge.pdf", "", strings.Repeat("0123456789abcdef0123456789abcdef\r\n", 64),
				"--b--"); err != nil {
				t.Fatal(err)
			}
		}
		res := s.API(t, tok, "GET", "/api/v1/emails/unfiled?limit=2", "")
		var page struct {
			Items []struct {
				ID          int64  `json:"id"`
				Subject     string `json:"subject"`
				BodyText    string `json:"body_text"`
				Attachments []struct {
					Filename string `json:"filename"`
				} `json:"attachments"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		if res.StatusCode != 200 || json.Unmarshal([]byte(res.Body), &page) != nil || len(page.Items) != 2 || page.NextCursor == "" {
			t.Fatalf("unfiled = %d %s", res.StatusCode, res.Body)
		}
		first := page.Items[0]
		if first.Subject != "S2" || len(first.Attachments) != 1 || first.Attachments[0].Filename != "small.pdf" ||
			!strings.Contains(first.BodyText, `"huge.pdf"`) {
			t.Errorf("newest = %+v", first)
		}
		if res := s.API(t, tok, "GET", "/api/v1/emails/unfiled?cursor="+page.NextCursor, ""); !strings.Contains(res.Body, `"S0"`) {
			t.Errorf("second page = %s", res.Body)
		}
		problemOf(t, s.API(t, tok, "GET", "/api/v1/emails/unfiled?cursor=zz", ""), 400)
		// File on a visible contact; an invisible one is a 422 on contact_id.
		if res := s.API(t, tok, "POST", "/api/v1/emails/"+itoa(first.ID)+"/file", `{"contact_id":`+itoa(known)+`}`); res.StatusCode != 200 ||
			!strings.Contains(res.Body, `"filed":true`) {
			t.Fatalf("file = %d %s", res.StatusCode, res.Body)
		}
		bad := problemOf(t, s.API(t, tok, "POST", "/api/v1/emails/"+itoa(page.Items[1].ID)+"/file", `{"contact_id":999999}`), 422)
		if !strings.Contains(fmt.Sprint(bad), "contact_id") {
			t.Errorf("unknown contact = %v", bad)
		}
		owned := s.API(t, token(t, s, owner), "POST", "/api/v1/emails/"+itoa(page.Items[1].ID)+"/file", `{"contact_id":`+itoa(known)+`}`)
		problemOf(t, owned, 404) // the owner has not received this email
		// Create from sender, then again: 409 naming the contact.
		res = s.API(t, tok, "POST", "/api/v1/emails/"+itoa(page.Items[1].ID)+"/create-contact", "")
		if res.StatusCode != 201 || !strings.HasPrefix(res.Header.Get("Location"), "/api/v1/contacts/") {
			t.Fatalf("create from sender = %d %s", res.StatusCode, res.Body)
		}
		p := problemOf(t, s.API(t, tok, "POST", "/api/v1/emails/"+itoa(page.Items[1].ID)+"/create-contact", ""), 409)
		if !strings.Contains(p["detail"].(string), "Pat Prospect") {
			t.Errorf("conflict = %v", p)
		}
		// Delete the oldest; a filed one is refused.
		var oldest int64
		_ = s.DB.QueryRowContext(context.Background(), "SELECT MIN(id) FROM emails WHERE user_id = ?", adv.ID).Scan(&oldest)
		problemOf(t, s.API(t, tok, "DELETE", "/api/v1/emails/unfiled/"+itoa(first.ID), ""), 409)
		if res := s.API(t, tok, "DELETE", "/api/v1/emails/unfiled/"+itoa(oldest), ""); res.StatusCode != 204 {
			t.Fatalf("delete = %d %s", res.StatusCode, res.Body)
		}
		if res := s.API(t, tok, "GET", "/api/v1/emails/unfiled", ""); !strings.Contains(res.Body, `"items":[]`) {
			t.Errorf("after all = %s", res.Body)
		}
	})
}
