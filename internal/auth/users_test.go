package auth_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
)

func TestSetupOwner_worksOnlyOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		if n, err := s.UserCount(sysCtx); n != 0 || err != nil {
			t.Fatalf("UserCount = %d, %v; want 0", n, err)
		}
		owner := s.setupOwner(t)
		if owner.Role != auth.RoleOwner {
			t.Errorf("role = %q, want owner", owner.Role)
		}
		all := auth.Grants{Sensitive: true, Export: true, ManageUsers: true, ViewAsInvestor: true}
		if owner.Grants != all {
			t.Errorf("grants = %+v, want all", owner.Grants)
		}
		_, err := s.SetupOwner(sysCtx, auth.NewUser{Email: "second@example.com", Name: "Second", Password: otherPassword})
		wantCode(t, err, errs.Conflict)
		if n, err := s.UserCount(sysCtx); n != 1 || err != nil {
			t.Fatalf("UserCount = %d, %v; want 1", n, err)
		}
		recs := s.wantAudit(t, "user.setup_owner", 1)
		if recs[0].EntityID != owner.IDString() || recs[0].Entity != "user" {
			t.Errorf("audit row names %s %s, want user %d", recs[0].Entity, recs[0].EntityID, owner.ID)
		}
	})
}

// TestSetupOwner_failsOnceAnOwnerExists: other users (demo staff) do not end
// the first run; an owner does.
func TestSetupOwner_failsOnceAnOwnerExists(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.addUser(t, "reader@example.com", auth.RoleReadOnly, auth.Grants{})
		if _, err := s.SetupOwner(sysCtx, auth.NewUser{Email: ownerEmail, Name: "Olive", Password: ownerPassword}); err != nil {
			t.Fatalf("setup with only a non-owner present: %v", err)
		}
		_, err := s.SetupOwner(sysCtx, auth.NewUser{Email: "second@example.com", Name: "Second", Password: ownerPassword})
		wantCode(t, err, errs.Conflict)
	})
}

func TestSetupOwner_appliesThePasswordPolicy(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		_, err := s.SetupOwner(sysCtx, auth.NewUser{Email: ownerEmail, Name: "Olive", Password: "Password2024!"})
		wantField(t, err, "password")
		_, err = s.SetupOwner(sysCtx, auth.NewUser{Email: ownerEmail, Name: "Olive", Password: "", Invite: true})
		wantField(t, err, "password") // the owner cannot be invited: no one could send the mail
		if n, _ := s.UserCount(sysCtx); n != 0 {
			t.Fatalf("UserCount = %d after refused set-ups", n)
		}
	})
}

// TestSetupOwner_concurrentCallsCreateOneOwner: on PostgreSQL two first-run
// set-ups racing must not both see an empty users table.
func TestSetupOwner_concurrentCallsCreateOneOwner(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		const n = 6
		warmPool(t, d, 2*n)
		results := make(chan error, n)
		var fns []func()
		for i := range n {
			fns = append(fns, func() {
				_, err := s.SetupOwner(sysCtx, auth.NewUser{Email: fmt.Sprintf("owner%d@example.com", i), Name: "Owner", Password: ownerPassword})
				results <- err
			})
		}
		race(fns...)
		close(results)
		ok := 0
		for err := range results {
			if err == nil {
				ok++
			} else if !errs.Is(err, errs.Conflict) {
				t.Errorf("unexpected error: %v", err)
			}
		}
		if users, _ := s.UserCount(sysCtx); ok != 1 || users != 1 {
			t.Fatalf("%d set-ups succeeded and %d users exist, want 1 and 1", ok, users)
		}
	})
}

func TestCreateUser_normalisesEmailToLowerCase(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		u, err := s.CreateUser(sysCtx, nil, auth.NewUser{Email: "  Bob.Smith@Example.COM ", Name: "  Bob Smith ", Role: auth.RoleAdvisor, Password: userPassword})
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "bob.smith@example.com" || u.Name != "Bob Smith" {
			t.Fatalf("stored %q %q, want lower-case trimmed email and trimmed name", u.Email, u.Name)
		}
		for _, e := range []string{"bob.smith@example.com", "BOB.SMITH@EXAMPLE.COM", " Bob.Smith@example.com "} {
			got, err := s.UserByEmail(sysCtx, e)
			if err != nil || got.ID != u.ID {
				t.Errorf("UserByEmail(%q) = %v, %v", e, got, err)
			}
			s.signIn(t, e, userPassword)
		}
	})
}

func TestCreateUser_duplicateEmailIsInvalidOnEmailField(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.addUser(t, "bob@example.com", auth.RoleAdvisor, auth.Grants{})
		for _, e := range []string{"bob@example.com", "BOB@example.com", " Bob@Example.com"} {
			_, err := s.CreateUser(sysCtx, nil, auth.NewUser{Email: e, Name: "Other Bob", Role: auth.RoleAssistant, Password: otherPassword})
			if msg := wantField(t, err, "email"); !strings.Contains(msg, "already exists") {
				t.Errorf("%q: email message %q", e, msg)
			}
		}
		if n, _ := s.UserCount(sysCtx); n != 1 {
			t.Fatalf("UserCount = %d, want 1", n)
		}
		s.wantAudit(t, "user.create", 1)
	})
}

func TestCreateUser_validatesEachField(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		ok := auth.NewUser{Email: "carol@example.com", Name: "Carol", Role: auth.RoleAdvisor, Password: userPassword}
		cases := []struct {
			name  string
			edit  func(n *auth.NewUser)
			field string
		}{
			{"no email", func(n *auth.NewUser) { n.Email = "" }, "email"},
			{"not an email", func(n *auth.NewUser) { n.Email = "carol" }, "email"},
			{"email with display name", func(n *auth.NewUser) { n.Email = "Carol <carol@example.com>" }, "email"},
			{"no name", func(n *auth.NewUser) { n.Name = "   " }, "name"},
			{"name with angle brackets", func(n *auth.NewUser) { n.Name = "<script>" }, "name"},
			{"name with line break", func(n *auth.NewUser) { n.Name = "Carol\nX" }, "name"},
			{"name too long", func(n *auth.NewUser) { n.Name = strings.Repeat("c", 201) }, "name"},
			{"unknown role", func(n *auth.NewUser) { n.Role = "superuser" }, "role"},
			{"weak password", func(n *auth.NewUser) { n.Password = "abcdabcdabcd" }, "password"},
			{"no password without invite", func(n *auth.NewUser) { n.Password = "" }, "password"},
			{"password with own email", func(n *auth.NewUser) { n.Password = "carol-is-the-best-1" }, "password"},
		}
		for _, c := range cases {
			n := ok
			c.edit(&n)
			_, err := s.CreateUser(sysCtx, nil, n)
			if !errs.Is(err, errs.Invalid) {
				t.Errorf("%s: err = %v, want Invalid", c.name, err)
				continue
			}
			if _, ok := errs.FieldsOf(err)[c.field]; !ok {
				t.Errorf("%s: fields %v, want %q", c.name, errs.FieldsOf(err), c.field)
			}
		}
		if n, _ := s.UserCount(sysCtx); n != 0 {
			t.Fatalf("UserCount = %d after invalid input", n)
		}
		if _, err := s.CreateUser(sysCtx, nil, ok); err != nil {
			t.Fatalf("valid user refused: %v", err)
		}
	})
}

func TestCreateUser_onlyManagersCreateUsersAndOnlyOwnersCreateOwners(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		admin := s.addUser(t, "adam@example.com", auth.RoleAdmin, auth.Grants{})
		advisor := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		manager := s.addUser(t, "max@example.com", auth.RoleAdvisor, auth.Grants{ManageUsers: true})
		reader := s.addUser(t, "rita@example.com", auth.RoleReadOnly, auth.Grants{})
		cases := []struct {
			name  string
			by    *auth.User
			role  auth.Role
			code  errs.Code // "" for success
			field string
		}{
			{"owner creates owner", owner, auth.RoleOwner, "", ""},
			{"owner creates admin", owner, auth.RoleAdmin, "", ""},
			{"admin creates advisor", admin, auth.RoleAdvisor, "", ""},
			{"admin creates admin", admin, auth.RoleAdmin, "", ""},
			{"admin cannot create owner", admin, auth.RoleOwner, errs.Invalid, "role"},
			{"advisor with manage-users grant creates assistant", manager, auth.RoleAssistant, "", ""},
			{"advisor with manage-users grant cannot create owner", manager, auth.RoleOwner, errs.Invalid, "role"},
			{"advisor cannot create users", advisor, auth.RoleAssistant, errs.Forbidden, ""},
			{"read-only cannot create users", reader, auth.RoleReadOnly, errs.Forbidden, ""},
			{"command line creates owner", nil, auth.RoleOwner, "", ""},
		}
		for i, c := range cases {
			email := "new" + string(rune('a'+i)) + "@example.com"
			u, err := s.CreateUser(sysCtx, c.by, auth.NewUser{Email: email, Name: "New " + c.name, Role: c.role, Password: otherPassword})
			switch {
			case c.code == "" && err != nil:
				t.Errorf("%s: %v", c.name, err)
			case c.code == "" && u.Role != c.role:
				t.Errorf("%s: role %q, want %q", c.name, u.Role, c.role)
			case c.code != "" && !errs.Is(err, c.code):
				t.Errorf("%s: err = %v, want %s", c.name, err, c.code)
			case c.field != "" && errs.FieldsOf(err)[c.field] == "":
				t.Errorf("%s: fields %v, want %q", c.name, errs.FieldsOf(err), c.field)
			case c.code != "":
				if _, err := s.UserByEmail(sysCtx, email); !errs.Is(err, errs.NotFound) {
					t.Errorf("%s: refused user exists anyway (%v)", c.name, err)
				}
			}
		}
		// 4 fixture users, 6 created here.
		s.wantAudit(t, "user.create", 10)
	})
}

func TestCreateUser_writesAuditRowWithTheNewValues(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		ctx := audit.WithActor(sysCtx, owner.Actor(audit.ChannelUI, "203.0.113.5"))
		u, err := s.CreateUser(ctx, owner, auth.NewUser{Email: "Sam@Example.com", Name: "Sam", Role: auth.RoleAssistant,
			Password: userPassword, Grants: auth.Grants{Export: true}, OwnContactsOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		r := s.wantAudit(t, "user.create", 1)[0]
		if r.ActorType != audit.ActorUser || r.ActorID != owner.IDString() || r.IP != "203.0.113.5" || r.Channel != audit.ChannelUI {
			t.Errorf("actor = %s:%s %s %s, want the owner over ui from 203.0.113.5", r.ActorType, r.ActorID, r.Channel, r.IP)
		}
		if r.Entity != "user" || r.EntityID != u.IDString() {
			t.Errorf("entity = %s %s, want user %d", r.Entity, r.EntityID, u.ID)
		}
		got := map[string]audit.Change{}
		for _, c := range r.Changes {
			got[c.Field] = c
		}
		for field, want := range map[string]string{"email": "sam@example.com", "name": "Sam", "role": "assistant", "grant.export": "true", "own_contacts_only": "true"} {
			if got[field].New != want {
				t.Errorf("change %s = %+v, want new %q", field, got[field], want)
			}
		}
		for _, c := range r.Changes {
			if strings.Contains(c.New, userPassword) || strings.Contains(c.Old, userPassword) {
				t.Errorf("the audit row holds the password: %+v", c)
			}
		}
		if _, ok := got["grant.sensitive_data_access"]; ok {
			t.Errorf("unchanged grant recorded: %+v", r.Changes)
		}
	})
}

func TestCreateUser_inviteMailsASevenDayLinkToChooseAPassword(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		u, err := s.CreateUser(sysCtx, owner, auth.NewUser{Email: "ivy@example.com", Name: "Ivy", Role: auth.RoleAdvisor, Invite: true})
		if err != nil {
			t.Fatal(err)
		}
		if s.mailed.Load() != 1 {
			t.Errorf("MailQueued called %d times, want 1", s.mailed.Load())
		}
		mails := s.mails(t)
		if len(mails) != 1 || mails[0].To != "ivy@example.com" || !strings.Contains(mails[0].Subject, "invited") {
			t.Fatalf("mails = %+v, want one invitation to ivy", mails)
		}
		if n := s.count(t, "SELECT COUNT(*) FROM password_resets WHERE user_id = ? AND expires_at > ?", u.ID, db.Now().Add(6*24*time.Hour)); n != 1 {
			t.Errorf("invite links valid for 6+ days = %d, want 1", n)
		}
		// No password works until the link is used.
		for _, p := range []string{"", "!", userPassword} {
			_, err := s.SignIn(sysCtx, "ivy@example.com", p, client, audit.ChannelUI)
			wantCode(t, err, errs.Unauthorized)
		}
		if _, err := s.ResetPassword(sysCtx, resetToken(t, mails[0].Body), userPassword, client); err != nil {
			t.Fatalf("ResetPassword through the invitation: %v", err)
		}
		s.signIn(t, "ivy@example.com", userPassword)
	})
}

func TestUpdateAccess_cannotDemoteTheLastActiveOwner(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		demote := auth.AccessChange{Name: owner.Name, Role: auth.RoleAdmin, Grants: owner.Grants}
		// The command line (by == nil) acts as the system.
		_, err := s.UpdateAccess(sysCtx, nil, owner.ID, demote)
		wantCode(t, err, errs.Conflict)
		if s.fresh(t, owner).Role != auth.RoleOwner {
			t.Fatal("the last owner was demoted")
		}

		// A disabled owner does not count: once the second owner is
		// disabled, the first is the last active one again.
		second, err := s.CreateUser(sysCtx, owner, auth.NewUser{Email: "sid@example.com", Name: "Sid", Role: auth.RoleOwner, Password: otherPassword})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetDisabled(sysCtx, owner, second.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err = s.UpdateAccess(sysCtx, nil, owner.ID, demote)
		wantCode(t, err, errs.Conflict)

		// With a second active owner the demotion is allowed.
		if err := s.SetDisabled(sysCtx, owner, second.ID, false); err != nil {
			t.Fatal(err)
		}
		u, err := s.UpdateAccess(sysCtx, s.fresh(t, second), owner.ID, demote)
		if err != nil {
			t.Fatalf("demote with another owner: %v", err)
		}
		if u.Role != auth.RoleAdmin {
			t.Fatalf("role = %q, want admin", u.Role)
		}
		r := s.wantAudit(t, "user.update_access", 1)[0]
		if r.EntityID != owner.IDString() || len(r.Changes) != 1 || r.Changes[0] != (audit.Change{Field: "role", Old: "owner", New: "admin"}) {
			t.Errorf("audit row = %s %+v, want role owner→admin of %d", r.EntityID, r.Changes, owner.ID)
		}
		// And now the second owner is the last one.
		_, err = s.UpdateAccess(sysCtx, nil, second.ID, auth.AccessChange{Name: "Sid", Role: auth.RoleReadOnly})
		wantCode(t, err, errs.Conflict)
	})
}

// TestUpdateAccess_ownersRemovingEachOtherAtOnceLeaveAnOwner: one owner
// demotes the other while that one disables the first; on PostgreSQL both
// used to see the other as the remaining owner and leave none.
func TestUpdateAccess_ownersRemovingEachOtherAtOnceLeaveAnOwner(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		a := s.setupOwner(t)
		b, err := s.CreateUser(sysCtx, a, auth.NewUser{Email: "bea@example.com", Name: "Bea", Role: auth.RoleOwner, Password: otherPassword})
		if err != nil {
			t.Fatal(err)
		}
		warmPool(t, d, 8)
		var errA, errB error
		race(
			func() {
				_, errA = s.UpdateAccess(sysCtx, a, b.ID, auth.AccessChange{Name: "Bea", Role: auth.RoleAdmin, Grants: b.Grants})
			},
			func() { errB = s.SetDisabled(sysCtx, b, a.ID, true) },
		)
		owners := s.count(t, "SELECT COUNT(*) FROM users WHERE role = ? AND disabled_at IS NULL", "owner")
		if owners != 1 {
			t.Fatalf("%d active owners left (demote: %v, disable: %v), want 1", owners, errA, errB)
		}
		if (errA == nil) == (errB == nil) {
			t.Fatalf("demote: %v, disable: %v; want exactly one to succeed", errA, errB)
		}
		for _, err := range []error{errA, errB} {
			if err != nil && !errs.Is(err, errs.Conflict) {
				t.Errorf("refused with %v, want Conflict", err)
			}
		}
	})
}

func TestUpdateAccess_rules(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		admin := s.addUser(t, "adam@example.com", auth.RoleAdmin, auth.Grants{})
		manager := s.addUser(t, "max@example.com", auth.RoleAdvisor, auth.Grants{ManageUsers: true})
		advisor := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		target := s.addUser(t, "tom@example.com", auth.RoleAssistant, auth.Grants{})
		cases := []struct {
			name   string
			by     *auth.User
			target *auth.User
			ch     auth.AccessChange
			code   errs.Code // "" for success
			field  string
		}{
			{"admin cannot make someone owner", admin, target, auth.AccessChange{Name: "Tom", Role: auth.RoleOwner}, errs.Invalid, "role"},
			{"manager cannot make someone owner", manager, target, auth.AccessChange{Name: "Tom", Role: auth.RoleOwner}, errs.Invalid, "role"},
			{"admin cannot change an owner", admin, owner, auth.AccessChange{Name: owner.Name, Role: auth.RoleOwner, Grants: auth.Grants{}}, errs.Forbidden, ""},
			{"advisor cannot manage users", advisor, target, auth.AccessChange{Name: "Tom", Role: auth.RoleAdvisor}, errs.Forbidden, ""},
			{"user cannot change own role", admin, admin, auth.AccessChange{Name: admin.Name, Role: auth.RoleOwner}, errs.Forbidden, ""},
			{"user cannot lower own role", admin, admin, auth.AccessChange{Name: admin.Name, Role: auth.RoleAdvisor}, errs.Forbidden, ""},
			{"user cannot change own grants", manager, manager, auth.AccessChange{Name: manager.Name, Role: auth.RoleAdvisor, Grants: auth.Grants{ManageUsers: true, Sensitive: true}}, errs.Forbidden, ""},
			{"owner cannot change own role", owner, owner, auth.AccessChange{Name: owner.Name, Role: auth.RoleAdmin, Grants: owner.Grants}, errs.Forbidden, ""},
			{"unknown role", owner, target, auth.AccessChange{Name: "Tom", Role: "root"}, errs.Invalid, "role"},
			{"empty name", owner, target, auth.AccessChange{Name: " ", Role: auth.RoleAssistant}, errs.Invalid, "name"},
			{"unknown user", owner, &auth.User{ID: 999999}, auth.AccessChange{Name: "X", Role: auth.RoleAssistant}, errs.NotFound, ""},
			{"user may rename self", admin, admin, auth.AccessChange{Name: "Adam Renamed", Role: auth.RoleAdmin}, "", ""},
			{"manager raises assistant to advisor", manager, target, auth.AccessChange{Name: "Tom", Role: auth.RoleAdvisor, Grants: auth.Grants{Export: true}, OwnContactsOnly: true}, "", ""},
			{"owner makes admin an owner", owner, admin, auth.AccessChange{Name: "Adam Renamed", Role: auth.RoleOwner}, "", ""},
		}
		for _, c := range cases {
			before := len(s.audited(t, "user.update_access"))
			u, err := s.UpdateAccess(sysCtx, c.by, c.target.ID, c.ch)
			after := len(s.audited(t, "user.update_access"))
			if c.code != "" {
				if !errs.Is(err, c.code) {
					t.Errorf("%s: err = %v, want %s", c.name, err, c.code)
				} else if c.field != "" && errs.FieldsOf(err)[c.field] == "" {
					t.Errorf("%s: fields %v, want %q", c.name, errs.FieldsOf(err), c.field)
				}
				if after != before {
					t.Errorf("%s: a refused change was logged", c.name)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if u.Name != c.ch.Name || u.Role != c.ch.Role || u.Grants != c.ch.Grants || u.OwnContactsOnly != c.ch.OwnContactsOnly {
				t.Errorf("%s: user = %+v, want %+v", c.name, u, c.ch)
			}
			if after != before+1 {
				t.Errorf("%s: %d user.update_access rows written, want 1", c.name, after-before)
			}
		}
		if s.fresh(t, admin).Role != auth.RoleOwner || s.fresh(t, target).Role != auth.RoleAdvisor {
			t.Error("successful changes were not stored")
		}
	})
}

func TestUpdateAccess_withoutChangesWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		u := s.addUser(t, "tom@example.com", auth.RoleAssistant, auth.Grants{Export: true})
		if _, err := s.UpdateAccess(sysCtx, owner, u.ID, auth.AccessChange{Name: u.Name, Role: u.Role, Grants: u.Grants}); err != nil {
			t.Fatal(err)
		}
		s.wantAudit(t, "user.update_access", 0)
	})
}

func TestSetDisabled_rules(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		owner := s.setupOwner(t)
		admin := s.addUser(t, "adam@example.com", auth.RoleAdmin, auth.Grants{})
		advisor := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})

		wantCode(t, s.SetDisabled(sysCtx, nil, owner.ID, true), errs.Conflict)      // the last owner
		wantCode(t, s.SetDisabled(sysCtx, admin, admin.ID, true), errs.Forbidden)   // oneself
		wantCode(t, s.SetDisabled(sysCtx, admin, owner.ID, true), errs.Forbidden)   // an owner, by an admin
		wantCode(t, s.SetDisabled(sysCtx, advisor, admin.ID, true), errs.Forbidden) // not a manager
		wantCode(t, s.SetDisabled(sysCtx, admin, 999999, true), errs.NotFound)
		s.wantAudit(t, "user.disable", 0)

		if err := s.SetDisabled(sysCtx, admin, advisor.ID, true); err != nil {
			t.Fatal(err)
		}
		if s.fresh(t, advisor).DisabledAt == nil {
			t.Fatal("not disabled")
		}
		// Again: nothing to do, nothing logged.
		if err := s.SetDisabled(sysCtx, admin, advisor.ID, true); err != nil {
			t.Fatal(err)
		}
		r := s.wantAudit(t, "user.disable", 1)[0]
		if r.EntityID != advisor.IDString() || r.Changes[0] != (audit.Change{Field: "disabled", Old: "false", New: "true"}) {
			t.Errorf("audit row = %s %+v", r.EntityID, r.Changes)
		}
		_, err := s.SignIn(sysCtx, "ava@example.com", userPassword, client, audit.ChannelUI)
		wantCode(t, err, errs.Forbidden)

		if err := s.SetDisabled(sysCtx, admin, advisor.ID, false); err != nil {
			t.Fatal(err)
		}
		s.wantAudit(t, "user.enable", 1)
		if s.fresh(t, advisor).DisabledAt != nil {
			t.Fatal("not enabled again")
		}
		s.signIn(t, "ava@example.com", userPassword)
	})
}

func TestChangePassword_requiresCurrentPasswordAndEndsOtherSessions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		u := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		here := s.signIn(t, "ava@example.com", userPassword)
		other := s.signIn(t, "ava@example.com", userPassword)
		ownerSession := s.signIn(t, ownerEmail, ownerPassword)
		keep := s.session(t, here.Token)

		err := s.ChangePassword(sysCtx, keep.User, otherPassword, "a fresh long passphrase", keep.ID)
		wantField(t, err, "current_password")
		err = s.ChangePassword(sysCtx, keep.User, userPassword, "abcdabcdabcd", keep.ID)
		wantField(t, err, "new_password")
		err = s.ChangePassword(sysCtx, keep.User, userPassword, "ava-rocks-forever", keep.ID) // "ava" is too short a local part to be refused
		if err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		s.wantAudit(t, "user.change_password", 1)

		s.session(t, here.Token)
		_, err = s.SessionByToken(sysCtx, other.Token)
		wantCode(t, err, errs.Unauthorized)
		s.session(t, ownerSession.Token) // other users keep theirs

		_, err = s.SignIn(sysCtx, u.Email, userPassword, client, audit.ChannelUI)
		wantCode(t, err, errs.Unauthorized)
		s.signIn(t, u.Email, "ava-rocks-forever")
	})
}

func TestChangeEmail_requiresPasswordAndAFreeAddress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		u := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		wantField(t, s.ChangeEmail(sysCtx, u, otherPassword, "ava2@example.com"), "current_password")
		wantField(t, s.ChangeEmail(sysCtx, u, userPassword, "not an email"), "email")
		wantField(t, s.ChangeEmail(sysCtx, u, userPassword, ownerEmail), "email")
		if err := s.ChangeEmail(sysCtx, u, userPassword, " Ava.New@Example.com"); err != nil {
			t.Fatal(err)
		}
		if got := s.fresh(t, u).Email; got != "ava.new@example.com" {
			t.Fatalf("email = %q", got)
		}
		r := s.wantAudit(t, "user.change_email", 1)[0]
		if r.Changes[0] != (audit.Change{Field: "email", Old: "ava@example.com", New: "ava.new@example.com"}) {
			t.Errorf("audit changes = %+v", r.Changes)
		}
	})
}

func TestSetPassword_replacesPasswordAndEndsSessions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		u := s.addUser(t, "ava@example.com", auth.RoleAdvisor, auth.Grants{})
		res := s.signIn(t, u.Email, userPassword)
		wantCode(t, s.SetPassword(sysCtx, u.ID, "short"), errs.Invalid)
		if err := s.SetPassword(sysCtx, u.ID, otherPassword); err != nil {
			t.Fatal(err)
		}
		_, err := s.SessionByToken(sysCtx, res.Token)
		wantCode(t, err, errs.Unauthorized)
		s.signIn(t, u.Email, otherPassword)
		s.wantAudit(t, "user.set_password", 1)
	})
}

func TestUsersPage_pagesByID(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		s.setupOwner(t)
		for _, e := range []string{"a1@example.com", "a2@example.com", "a3@example.com", "a4@example.com"} {
			s.addUser(t, e, auth.RoleReadOnly, auth.Grants{})
		}
		var got []string
		var after int64
		pages := 0
		for {
			us, next, err := s.UsersPage(sysCtx, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, u := range us {
				got = append(got, u.Email)
			}
			if next == 0 {
				break
			}
			after = next
		}
		want := []string{ownerEmail, "a1@example.com", "a2@example.com", "a3@example.com", "a4@example.com"}
		if strings.Join(got, ",") != strings.Join(want, ",") || pages != 3 {
			t.Fatalf("pages %d: %v, want 3 pages of %v", pages, got, want)
		}
	})
}
