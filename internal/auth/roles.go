// Package auth owns Folio's staff users and how they prove who they are:
// passwords (argon2id), database sessions, sign-in throttling, TOTP second
// factor with recovery codes, password reset links, API tokens, and the
// access levels, grants and permissions that decide what each user may do.
package auth

// Role is a user's access level.
type Role string

const (
	RoleOwner     Role = "owner"
	RoleAdmin     Role = "admin"
	RoleAdvisor   Role = "advisor"
	RoleAssistant Role = "assistant"
	RoleReadOnly  Role = "readonly"
)

// Roles lists the access levels from most to least powerful.
var Roles = []Role{RoleOwner, RoleAdmin, RoleAdvisor, RoleAssistant, RoleReadOnly}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Label is the role's name shown to users.
func (r Role) Label() string {
	switch r {
	case RoleOwner:
		return "Owner"
	case RoleAdmin:
		return "Admin"
	case RoleAdvisor:
		return "Advisor"
	case RoleAssistant:
		return "Assistant"
	case RoleReadOnly:
		return "Read-only"
	}
	return string(r)
}

// Description explains what the role may do.
func (r Role) Description() string {
	switch r {
	case RoleOwner:
		return "Everything, including firm settings and other owners."
	case RoleAdmin:
		return "Everything except firm settings and owner accounts; manages users and reads the activity log."
	case RoleAdvisor:
		return "Works with contacts; can be limited to the contacts they own."
	case RoleAssistant:
		return "Works with contacts on behalf of advisors."
	case RoleReadOnly:
		return "Sees contacts and records but changes nothing."
	}
	return ""
}

// Grants are permissions given to a user independently of the role.
type Grants struct {
	Sensitive      bool // Sensitive Data Access: reveal tax IDs, national IDs, bank numbers
	Export         bool // export data
	ManageUsers    bool // create and change users
	ViewAsInvestor bool // view the client portal as a client
}

// Permission names something a route or action requires.
type Permission string

const (
	// Public routes need no user; only the short list in the web and api
	// packages may use it.
	PermPublic Permission = "public"
	// PermSignedIn is any active staff user (their own account pages).
	PermSignedIn   Permission = "signed_in"
	PermUsersView  Permission = "users.view"
	PermUsersAdmin Permission = "users.manage"
	PermAuditView  Permission = "audit.view"
	PermSettings   Permission = "settings.manage"
	PermSensitive  Permission = "sensitive.view"
	PermExport     Permission = "data.export"
	PermViewAsInv  Permission = "portal.view_as"
	PermWrite      Permission = "records.write"
	// PermContactsRead is seeing contacts at all; which ones is decided by
	// the contact package (advisors limited to their own).
	PermContactsRead Permission = "contacts.read"
)

// Can reports whether u holds p.
func (u *User) Can(p Permission) bool {
	if u == nil || u.DisabledAt != nil {
		return false
	}
	admin := u.Role == RoleOwner || u.Role == RoleAdmin
	switch p {
	case PermPublic, PermSignedIn:
		return true
	case PermUsersView, PermUsersAdmin:
		return admin || u.Grants.ManageUsers
	case PermAuditView:
		return admin
	case PermSettings:
		return u.Role == RoleOwner
	case PermSensitive:
		return u.Grants.Sensitive
	case PermExport:
		return u.Grants.Export
	case PermViewAsInv:
		return u.Grants.ViewAsInvestor
	case PermWrite:
		return u.Role != RoleReadOnly
	case PermContactsRead:
		return true
	}
	return false
}
