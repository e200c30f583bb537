package auth_test

import (
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/auth"
)

var allPerms = []auth.Permission{
	auth.PermPublic, auth.PermSignedIn, auth.PermUsersView, auth.PermUsersAdmin, auth.PermAuditView,
	auth.PermSettings, auth.PermSensitive, auth.PermExport, auth.PermViewAsInv, auth.PermWrite,
}

func TestUserCan_matrix(t *testing.T) {
	const (
		Y = true
		N = false
	)
	all := auth.Grants{Sensitive: true, Export: true, ManageUsers: true, ViewAsInvestor: true}
	disabledAt := time.Now()
	cases := []struct {
		name     string
		user     *auth.User
		public   bool
		signedIn bool
		usersV   bool
		usersA   bool
		audit    bool
		settings bool
		sens     bool
		export   bool
		viewAs   bool
		write    bool
	}{
		{"owner", &auth.User{Role: auth.RoleOwner}, Y, Y, Y, Y, Y, Y, N, N, N, Y},
		{"admin", &auth.User{Role: auth.RoleAdmin}, Y, Y, Y, Y, Y, N, N, N, N, Y},
		{"advisor", &auth.User{Role: auth.RoleAdvisor}, Y, Y, N, N, N, N, N, N, N, Y},
		{"assistant", &auth.User{Role: auth.RoleAssistant}, Y, Y, N, N, N, N, N, N, N, Y},
		{"readonly", &auth.User{Role: auth.RoleReadOnly}, Y, Y, N, N, N, N, N, N, N, N},
		{"owner with all grants", &auth.User{Role: auth.RoleOwner, Grants: all}, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y},
		{"admin with all grants", &auth.User{Role: auth.RoleAdmin, Grants: all}, Y, Y, Y, Y, Y, N, Y, Y, Y, Y},
		{"advisor with manage-users", &auth.User{Role: auth.RoleAdvisor, Grants: auth.Grants{ManageUsers: true}}, Y, Y, Y, Y, N, N, N, N, N, Y},
		{"advisor with all grants", &auth.User{Role: auth.RoleAdvisor, Grants: all}, Y, Y, Y, Y, N, N, Y, Y, Y, Y},
		{"assistant with export", &auth.User{Role: auth.RoleAssistant, Grants: auth.Grants{Export: true}}, Y, Y, N, N, N, N, N, Y, N, Y},
		{"assistant with view-as-investor", &auth.User{Role: auth.RoleAssistant, Grants: auth.Grants{ViewAsInvestor: true}}, Y, Y, N, N, N, N, N, N, Y, Y},
		{"readonly with sensitive", &auth.User{Role: auth.RoleReadOnly, Grants: auth.Grants{Sensitive: true}}, Y, Y, N, N, N, N, Y, N, N, N},
		{"readonly with all grants still cannot write", &auth.User{Role: auth.RoleReadOnly, Grants: all}, Y, Y, Y, Y, N, N, Y, Y, Y, N},
		{"disabled owner with all grants", &auth.User{Role: auth.RoleOwner, Grants: all, DisabledAt: &disabledAt}, N, N, N, N, N, N, N, N, N, N},
		{"disabled readonly", &auth.User{Role: auth.RoleReadOnly, DisabledAt: &disabledAt}, N, N, N, N, N, N, N, N, N, N},
		{"no user", nil, N, N, N, N, N, N, N, N, N, N},
		{"unknown role", &auth.User{Role: "superuser", Grants: all}, Y, Y, Y, Y, N, N, Y, Y, Y, Y},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := map[auth.Permission]bool{
				auth.PermPublic: c.public, auth.PermSignedIn: c.signedIn, auth.PermUsersView: c.usersV,
				auth.PermUsersAdmin: c.usersA, auth.PermAuditView: c.audit, auth.PermSettings: c.settings,
				auth.PermSensitive: c.sens, auth.PermExport: c.export, auth.PermViewAsInv: c.viewAs, auth.PermWrite: c.write,
			}
			for _, p := range allPerms {
				if got := c.user.Can(p); got != want[p] {
					t.Errorf("Can(%s) = %v, want %v", p, got, want[p])
				}
			}
			if c.user.Can("no.such.permission") {
				t.Error("Can(unknown permission) = true")
			}
		})
	}
}

func TestRole_validLabelAndDescription(t *testing.T) {
	want := []auth.Role{auth.RoleOwner, auth.RoleAdmin, auth.RoleAdvisor, auth.RoleAssistant, auth.RoleReadOnly}
	if len(auth.Roles) != len(want) {
		t.Fatalf("Roles = %v, want %v", auth.Roles, want)
	}
	labels := map[auth.Role]string{auth.RoleOwner: "Owner", auth.RoleAdmin: "Admin", auth.RoleAdvisor: "Advisor",
		auth.RoleAssistant: "Assistant", auth.RoleReadOnly: "Read-only"}
	for i, r := range want {
		if auth.Roles[i] != r {
			t.Errorf("Roles[%d] = %q, want %q (most to least powerful)", i, auth.Roles[i], r)
		}
		if !r.Valid() || r.Label() != labels[r] || r.Description() == "" {
			t.Errorf("%q: valid %v label %q description %q", r, r.Valid(), r.Label(), r.Description())
		}
	}
	for _, r := range []auth.Role{"", "Owner", "root", "read-only"} {
		if r.Valid() {
			t.Errorf("%q is valid", r)
		}
	}
}

func TestUser_initials(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"Olive Owner", "OO"},
		{"ada", "A"},
		{"Jean Luc Picard", "JL"},
		{"élodie durand", "ÉD"},
		{"   ", "?"},
	} {
		if got := (&auth.User{Name: c.name}).Initials(); got != c.want {
			t.Errorf("Initials(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}
