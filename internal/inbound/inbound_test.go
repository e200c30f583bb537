package inbound

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/secret"
)

type fixture struct {
	t                        *testing.T
	d                        *db.DB
	s                        *Service
	cs                       *contact.Service
	admin, advisor, limited  *auth.User
	reader                   *auth.User
	aliceAdv, bobLim, carlAd int64 // contacts and their owners: advisor, limited, admin
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	box, _ := secret.New(make([]byte, 32))
	as := auth.NewService(d, box, "http://folio.test")
	cs := contact.New(d, box)
	f := &fixture{t: t, d: d, cs: cs, s: New(d, box, cs, as, slog.New(slog.NewTextHandler(io.Discard, nil)), "in.folio.test")}
	user := func(name, role string, ownOnly bool) *auth.User {
		var id int64
		err := d.InTx(context.Background(), func(tx *db.Tx) error {
			return tx.QueryRowContext(context.Background(), `INSERT INTO users (email, name, role, own_contacts_only, password_hash,
				created_at, updated_at) VALUES (?, ?, ?, ?, 'x', ?, ?) RETURNING id`,
				strings.ToLower(strings.ReplaceAll(name, " ", "."))+"@firm.test", name, role, ownOnly, db.Now(), db.Now()).Scan(&id)
		})
		if err != nil {
			t.Fatal(err)
		}
		u, err := as.UserByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.admin = user("Ada Admin", "owner", false)
	f.advisor = user("Otto Advisor", "advisor", false)
	f.limited = user("Lim Ited", "advisor", true)
	f.reader = user("Rea Reader", "readonly", false)
	f.aliceAdv = f.contact(f.advisor, "Alice", "alice@client.test")
	f.bobLim = f.contact(f.limited, "Bob", "Bob@Client.test", "bob.private@home.test")
	f.carlAd = f.contact(f.admin, "Carl", "carl@client.test")
	t.Cleanup(func() {
		if n, err := audit.Verify(context.Background(), d); err != nil {
			t.Errorf("activity log does not verify after %d rows: %v", n, err)
		}
	})
	return f
}

func ctxAs(u *auth.User) context.Context {
	return audit.WithActor(context.Background(), u.Actor(audit.ChannelUI, "127.0.0.1"))
}

func (f *fixture) contact(owner *auth.User, first string, emails ...string) int64 {
	f.t.Helper()
	c := &contact.Contact{Kind: contact.Person, FirstName: first, LastName: "Client", CategoryID: 1, OwnerID: owner.ID}
	for i, e := range emails {
		c.Emails = append(c.Emails, contact.Email{Label: "work", Address: e, Primary: i == 0})
	}
	id, err := f.cs.Create(ctxAs(owner), contact.ViewerFor(owner), c)
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// timeline lists the contacts an email is on, by id.
func (f *fixture) timeline(emailID int64) []int64 {
	f.t.Helper()
	rows, err := f.d.QueryContext(context.Background(), "SELECT contact_id FROM timeline WHERE kind = 'email' AND ref_id = ? ORDER BY contact_id", emailID)
	if err != nil {
		f.t.Fatal(err)
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

func (f *fixture) count(query string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.d.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func (f *fixture) receive(u *auth.User, raw string) Delivery {
	f.t.Helper()
	m, err := Parse(crlf(raw), f.s.MaxAttachmentBytes)
	if err != nil {
		f.t.Fatal(err)
	}
	d, err := f.s.Receive(context.Background(), u, m, "192.0.2.1")
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

func ids(v ...int64) string {
	var s []string
	for _, x := range v {
		s = append(s, strconv.FormatInt(x, 10))
	}
	return strings.Join(s, ",")
}

func TestReceive_filedOnFromToAndCcContactsTheOwnerSees(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		msg := `
From: Alice Client <ALICE@client.test>
To: bob@client.test
Cc: carl@client.test, nobody@elsewhere.test
Subject: Meeting
Message-ID: <m1@client.test>

See you.
`
		// The advisor sees everyone's contacts: all three are matched.
		got := f.receive(f.advisor, msg)
		if ids(f.timeline(got.EmailID)...) != ids(f.aliceAdv, f.bobLim, f.carlAd) || ids(got.Contacts...) != ids(f.aliceAdv, f.bobLim, f.carlAd) {
			t.Errorf("advisor's copy on %v, want alice, bob, carl", f.timeline(got.EmailID))
		}
		var actor int64
		_ = d.QueryRowContext(context.Background(), "SELECT actor_id FROM timeline WHERE ref_id = ? AND contact_id = ?", got.EmailID, f.carlAd).Scan(&actor)
		if actor != f.advisor.ID {
			t.Errorf("attributed to %d, want the BCC owner %d", actor, f.advisor.ID)
		}
		// The own-contacts-only user's copy is filed on Bob only (matched
		// through his second address, case-insensitively).
		mine := f.receive(f.limited, strings.Replace(msg, "bob@client.test", "Bob.Private@HOME.test", 1))
		if ids(f.timeline(mine.EmailID)...) != ids(f.bobLim) {
			t.Errorf("limited user's copy on %v, want only bob %d", f.timeline(mine.EmailID), f.bobLim)
		}
		var filed bool
		var dir, to, from string
		_ = d.QueryRowContext(context.Background(), "SELECT filed, direction, to_addrs, from_addr FROM emails WHERE id = ?", mine.EmailID).Scan(&filed, &dir, &to, &from)
		if !filed || dir != "in" || to != "Bob.Private@home.test" || from != "ALICE@client.test" {
			t.Errorf("stored filed=%v dir=%s to=%q from=%q", filed, dir, to, from)
		}
		if n := f.count("SELECT COUNT(*) FROM audit_log WHERE action = 'contact.bcc_email_file' AND entity_id = ? AND actor_id = ? AND channel = 'email'",
			idStr(f.bobLim), f.limited.IDString()); n != 1 {
			t.Errorf("filing on bob logged %d times for the limited user", n)
		}
	})
}

func TestReceive_sameMessageIDIsStoredOncePerOwner(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		msg := "\nFrom: alice@client.test\nTo: x@elsewhere.test\nSubject: once\nMessage-ID: <dup@client.test>\n\nbody\n"
		first := f.receive(f.advisor, msg)
		again := f.receive(f.advisor, msg)
		if !again.Duplicate || again.EmailID != first.EmailID || first.Duplicate {
			t.Errorf("first %+v, again %+v", first, again)
		}
		other := f.receive(f.admin, msg)
		if other.Duplicate {
			t.Error("another user's copy is theirs, not a duplicate")
		}
		if n := f.count("SELECT COUNT(*) FROM emails WHERE message_id = 'dup@client.test'"); n != 2 {
			t.Errorf("%d emails stored, want 2", n)
		}
		if n := f.count("SELECT COUNT(*) FROM timeline WHERE ref_id = ?", first.EmailID); n != 1 {
			t.Errorf("timeline rows = %d", n)
		}
	})
}

func TestReceive_unmatchedMailIsUnfiledWithItsAttachments(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		got := f.receive(f.limited, `
From: "Stranger, Sam" <sam@prospect.test>
To: alice@client.test
Subject: Hello
Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain

Interested in your services.
--b
Content-Type: application/pdf
Content-Disposition: attachment; filename=cv.pdf

%PDF
--b--
`)
		if len(got.Contacts) != 0 {
			t.Fatalf("filed on %v: alice is not the limited user's", got.Contacts)
		}
		p, err := f.s.Unfiled(context.Background(), f.limited, "", 10)
		if err != nil || len(p.Emails) != 1 || p.Emails[0].Subject != "Hello" {
			t.Fatalf("unfiled = %+v, %v", p, err)
		}
		if p, _ := f.s.Unfiled(context.Background(), f.advisor, "", 10); len(p.Emails) != 0 {
			t.Errorf("another user's unfiled list shows %d emails", len(p.Emails))
		}
		e, err := f.s.Email(context.Background(), f.limited, got.EmailID)
		if err != nil || len(e.Files) != 1 || e.Files[0].Filename != "cv.pdf" || e.Files[0].Size != 4 {
			t.Fatalf("email = %+v, %v", e, err)
		}
		if _, err := f.s.Email(context.Background(), f.advisor, got.EmailID); !errs.Is(err, errs.NotFound) {
			t.Errorf("another user reads it: %v", err)
		}
	})
}

func TestUnfiled_filedByHandCreatedFromSenderAndDeleted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		raw := "\nFrom: \"Stranger, Sam\" <sam@prospect.test>\nTo: someone@elsewhere.test\nSubject: S%d\nMessage-ID: <s%d@x>\n\nhi\n"
		var mails []int64
		for i := range 3 {
			mails = append(mails, f.receive(f.limited, strings.NewReplacer("%d", strconv.Itoa(i)).Replace(raw)).EmailID)
		}
		ctx := ctxAs(f.limited)
		// Filing on a contact the user cannot see is refused as not found.
		if err := f.s.File(ctx, f.limited, mails[0], f.aliceAdv); !errs.Is(err, errs.NotFound) {
			t.Errorf("file on an invisible contact: %v", err)
		}
		if err := f.s.File(ctx, f.limited, mails[0], f.bobLim); err != nil {
			t.Fatal(err)
		}
		if err := f.s.File(ctx, f.limited, mails[0], f.bobLim); err != nil {
			t.Fatalf("filing again changes nothing: %v", err)
		}
		if ids(f.timeline(mails[0])...) != ids(f.bobLim) {
			t.Errorf("on %v", f.timeline(mails[0]))
		}
		// Filing on a contact merged away files on the one it went into.
		gone := f.contact(f.limited, "Gone", "gone@client.test")
		if err := f.cs.Merge(ctxAs(f.limited), contact.ViewerFor(f.limited), f.bobLim, gone, nil, contact.MergeBase{}); err != nil {
			t.Fatal(err)
		}
		if err := f.s.File(ctx, f.limited, mails[0], gone); err != nil {
			t.Fatalf("file on a merged contact: %v", err)
		}
		if ids(f.timeline(mails[0])...) != ids(f.bobLim) {
			t.Errorf("after filing on the merged contact: on %v", f.timeline(mails[0]))
		}
		// Another user cannot file the limited user's mail.
		if err := f.s.File(ctxAs(f.admin), f.admin, mails[1], f.carlAd); !errs.Is(err, errs.NotFound) {
			t.Errorf("admin files someone else's mail: %v", err)
		}
		// Create from sender: "Stranger, Sam" becomes Sam Stranger, owned by the user, a prospect.
		cid, err := f.s.CreateFromSender(ctx, f.limited, mails[1])
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.cs.Get(context.Background(), contact.ViewerFor(f.limited), cid)
		if err != nil {
			t.Fatal(err)
		}
		if c.FirstName != "Sam" || c.LastName != "Stranger" || c.OwnerID != f.limited.ID || c.PrimaryEmail != "sam@prospect.test" || c.CategoryID != 2 {
			t.Errorf("created %q %q owner %d email %q category %d", c.FirstName, c.LastName, c.OwnerID, c.PrimaryEmail, c.CategoryID)
		}
		if ids(f.timeline(mails[1])...) != ids(cid) {
			t.Errorf("on %v, want the new contact", f.timeline(mails[1]))
		}
		// A second time the sender is a contact already: the conflict names it.
		if _, err := f.s.CreateFromSender(ctx, f.limited, mails[2]); !errs.Is(err, errs.Conflict) || !strings.Contains(errs.MessageOf(err), "Sam Stranger") {
			t.Errorf("second create: %v", err)
		}
		// Filed mail is not deleted here; unfiled mail is.
		if err := f.s.Delete(ctx, f.limited, mails[0]); !errs.Is(err, errs.Conflict) {
			t.Errorf("delete filed: %v", err)
		}
		if err := f.s.Delete(ctx, f.limited, mails[2]); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Email(ctx, f.limited, mails[2]); !errs.Is(err, errs.NotFound) {
			t.Errorf("deleted mail still there: %v", err)
		}
		if p, _ := f.s.Unfiled(ctx, f.limited, "", 10); len(p.Emails) != 0 {
			t.Errorf("unfiled left: %+v", p.Emails)
		}
		for action, want := range map[string]int{"contact.bcc_email_file": 1, "contact.bcc_create_contact": 1, "contact.create": 3, "email.bcc_delete": 1} { // contact.create: Bob in the fixture, Gone, and Sam
			q := "SELECT COUNT(*) FROM audit_log WHERE action = ? AND actor_id = ?"
			if n := f.count(q, action, f.limited.IDString()); n != want {
				t.Errorf("%s logged %d times, want %d", action, n, want)
			}
		}
		// Read-only users file, create and delete nothing.
		if err := f.s.Delete(ctxAs(f.reader), f.reader, mails[1]); !errs.Is(err, errs.Forbidden) {
			t.Errorf("reader deletes: %v", err)
		}
	})
}

func TestSplitName_fromDisplayNameOrAddress(t *testing.T) {
	for _, c := range []struct{ name, addr, first, last string }{
		{"Jane Q. Doe", "j@x.test", "Jane Q.", "Doe"},
		{"Doe, Jane", "j@x.test", "Jane", "Doe"},
		{`"Cher"`, "cher@x.test", "Cher", ""},
		{"", "jean-luc.picard+crm@x.test", "Jean Luc", "Picard"},
		{"bob@x.test", "bob@x.test", "Bob", ""},
		{"", "12345@x.test", "12345", ""},
	} {
		if f, l := splitName(c.name, c.addr); f != c.first || l != c.last {
			t.Errorf("splitName(%q, %q) = %q %q, want %q %q", c.name, c.addr, f, l, c.first, c.last)
		}
	}
}

func TestAddress_resetRefusesTheOldTokenAndOnlyActiveWritersReceive(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := ctxAs(f.advisor)
		a1, err := f.s.Address(ctx, f.advisor)
		if err != nil || !strings.HasPrefix(a1, "bcc+") || !strings.HasSuffix(a1, "@in.folio.test") {
			t.Fatalf("address = %q, %v", a1, err)
		}
		if again, _ := f.s.Address(ctx, f.advisor); again != a1 {
			t.Errorf("address changed on reading: %q %q", a1, again)
		}
		if n := f.count("SELECT COUNT(*) FROM inbound_addresses WHERE token_sealed LIKE ?", "%"+strings.TrimPrefix(strings.Split(a1, "@")[0], "bcc+")+"%"); n != 0 {
			t.Error("the token is stored in clear")
		}
		u, err := f.s.Recipient(context.Background(), strings.ToUpper(a1))
		if err != nil || u.ID != f.advisor.ID {
			t.Fatalf("recipient = %v, %v", u, err)
		}
		a2, err := f.s.ResetAddress(ctx, f.advisor)
		if err != nil || a2 == a1 {
			t.Fatalf("reset = %q, %v", a2, err)
		}
		for _, bad := range []string{a1, "bcc+aaaaaaaaaaaaaaaaaaaaaaaaaa@in.folio.test", "postmaster@in.folio.test", "bcc+@x", "nonsense", ""} {
			if _, err := f.s.Recipient(context.Background(), bad); !errs.Is(err, errs.NotFound) {
				t.Errorf("recipient %q: %v", bad, err)
			}
		}
		if u, err := f.s.Recipient(context.Background(), a2); err != nil || u.ID != f.advisor.ID {
			t.Errorf("new address: %v %v", u, err)
		}
		if n := f.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('user.bcc_address_create', 'user.bcc_address_reset') AND entity_id = ?", f.advisor.IDString()); n != 2 {
			t.Errorf("address changes logged %d times", n)
		}
		// A disabled user's address is refused like an unknown one.
		if _, err := d.ExecContext(context.Background(), "UPDATE users SET disabled_at = ? WHERE id = ?", db.Now(), f.advisor.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Recipient(context.Background(), a2); !errs.Is(err, errs.NotFound) {
			t.Errorf("disabled user's address: %v", err)
		}
		if _, err := f.s.Address(ctxAs(f.reader), f.reader); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a read-only user gets an address: %v", err)
		}
	})
}
