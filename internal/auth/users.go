package auth

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// User is a staff member.
type User struct {
	ID              int64
	Email           string
	Name            string
	Role            Role
	Grants          Grants
	OwnContactsOnly bool
	TOTPEnabled     bool
	// TimeZone is the IANA zone the user works in (default UTC).
	TimeZone   string
	DisabledAt *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time

	passwordHash string
	totpSecret   string
	totpLastStep int64
}

// IDString is the user's id as text, as the activity log stores it.
func (u *User) IDString() string { return strconv.FormatInt(u.ID, 10) }

// Initials are shown in the avatar.
func (u *User) Initials() string {
	var out []rune
	for _, f := range strings.Fields(u.Name) {
		out = append(out, []rune(strings.ToUpper(f))[0])
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// Actor is the user as the actor of a change on channel ch.
func (u *User) Actor(ch audit.Channel, ip string) audit.Actor {
	return audit.Actor{Type: audit.ActorUser, ID: u.IDString(), Name: u.Name + " <" + u.Email + ">", Channel: ch, IP: ip}
}

const userColumns = `id, email, name, role, grant_sensitive, grant_export, grant_manage_users, grant_view_as_investor,
	own_contacts_only, password_hash, totp_secret, totp_enabled, totp_last_step, disabled_at, created_at, updated_at, time_zone`

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	var u User
	var role string
	var disabled sql.NullTime
	err := row.Scan(&u.ID, &u.Email, &u.Name, &role, &u.Grants.Sensitive, &u.Grants.Export, &u.Grants.ManageUsers,
		&u.Grants.ViewAsInvestor, &u.OwnContactsOnly, &u.passwordHash, &u.totpSecret, &u.TOTPEnabled, &u.totpLastStep,
		&disabled, &u.CreatedAt, &u.UpdatedAt, &u.TimeZone)
	if err != nil {
		return nil, err
	}
	u.Role = Role(role)
	if disabled.Valid {
		t := disabled.Time.UTC()
		u.DisabledAt = &t
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

// NormalizeEmail trims and lower-cases an address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s, "@") && len(s) <= 254
}

// UserCount returns how many users exist (0 means first run).
func (s *Service) UserCount(ctx context.Context) (int, error) {
	var n int
	err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// OwnerCount returns how many owners exist; with none, Folio shows the
// first-run page (demo staff created by folio demo do not count).
func (s *Service) OwnerCount(ctx context.Context) (int, error) {
	var n int
	err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE role = 'owner'").Scan(&n)
	return n, err
}

// UserByID returns a user or a NotFound error.
func (s *Service) UserByID(ctx context.Context, id int64) (*User, error) {
	return s.userWhere(ctx, s.DB, "id = ?", id)
}

// UserByEmail returns a user or a NotFound error.
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	return s.userWhere(ctx, s.DB, "email = ?", NormalizeEmail(email))
}

func (s *Service) userWhere(ctx context.Context, q db.Queryer, where string, args ...any) (*User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE "+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "No such user.")
	}
	return u, err
}

// Users lists every user, active first, by name.
func (s *Service) Users(ctx context.Context) ([]*User, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT "+userColumns+" FROM users ORDER BY disabled_at IS NOT NULL, name, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// NewUser is the input to CreateUser.
type NewUser struct {
	Email           string
	Name            string
	Role            Role
	Password        string // empty: the user sets one through an emailed link
	Grants          Grants
	OwnContactsOnly bool
	// Invite sends the new user an email with a link to set a password.
	Invite bool
}

func (n *NewUser) validate() error {
	c := errs.Collector{}
	n.Email = NormalizeEmail(n.Email)
	n.Name = strings.TrimSpace(n.Name)
	if n.Email == "" {
		c.Add("email", "Enter an email address.")
	} else if !validEmail(n.Email) {
		c.Add("email", "Enter a valid email address, like name@example.com.")
	}
	if n.Name == "" {
		c.Add("name", "Enter the person's name.")
	} else if len(n.Name) > 200 || strings.ContainsAny(n.Name, "\r\n<>") {
		c.Add("name", "Use at most 200 characters, without line breaks or angle brackets.")
	}
	if !n.Role.Valid() {
		c.Add("role", "Choose an access level.")
	}
	if n.Password != "" || !n.Invite {
		if err := CheckPassword(n.Password, n.Email, n.Name); err != nil {
			c.Add("password", errs.MessageOf(err))
		}
	}
	return c.Err()
}

// SetupOwner creates the first user, the owner. It fails once any user exists.
func (s *Service) SetupOwner(ctx context.Context, n NewUser) (*User, error) {
	n.Role = RoleOwner
	n.Grants = Grants{Sensitive: true, Export: true, ManageUsers: true, ViewAsInvestor: true}
	n.Invite = false
	return s.createUser(ctx, n, true)
}

// CreateUser adds a user on behalf of by (nil for the command line).
func (s *Service) CreateUser(ctx context.Context, by *User, n NewUser) (*User, error) {
	if by != nil {
		if !by.Can(PermUsersAdmin) {
			return nil, errs.E(errs.Forbidden, "You may not manage users.")
		}
		if n.Role == RoleOwner && by.Role != RoleOwner {
			return nil, errs.FieldErrors(map[string]string{"role": "Only an owner can create another owner."})
		}
	}
	return s.createUser(ctx, n, false)
}

func (s *Service) createUser(ctx context.Context, n NewUser, firstOnly bool) (*User, error) {
	if err := n.validate(); err != nil {
		return nil, err
	}
	hash := "!" // no password yet: matches nothing until the invite is used
	if n.Password != "" {
		var err error
		if hash, err = s.Hasher.Hash(ctx, n.Password); err != nil {
			return nil, err
		}
	}
	var id int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if firstOnly {
			// Serialise concurrent set-ups (PostgreSQL) so only one sees no
			// owner; the audit write below takes the same lock anyway.
			if err := tx.Dialect.Serialize(ctx, tx, db.LockAuditChain); err != nil {
				return err
			}
			var count int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE role = 'owner'").Scan(&count); err != nil {
				return err
			}
			if count > 0 {
				return errs.E(errs.Conflict, "Folio is already set up; sign in instead.")
			}
		}
		now := db.Now()
		err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, role, grant_sensitive, grant_export, grant_manage_users,
			grant_view_as_investor, own_contacts_only, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			n.Email, n.Name, string(n.Role), n.Grants.Sensitive, n.Grants.Export, n.Grants.ManageUsers, n.Grants.ViewAsInvestor,
			n.OwnContactsOnly, hash, now, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errs.FieldErrors(map[string]string{"email": "A user with this email address already exists."})
		}
		if err != nil {
			return err
		}
		action := "user.create"
		if firstOnly {
			action = "user.setup_owner"
		}
		changes := []audit.Change{{Field: "email", New: n.Email}, {Field: "name", New: n.Name}, {Field: "role", New: string(n.Role)}}
		changes = append(changes, grantChanges(Grants{}, n.Grants)...)
		if n.OwnContactsOnly {
			changes = append(changes, audit.Change{Field: "own_contacts_only", Old: "false", New: "true"})
		}
		if err := audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: strconv.FormatInt(id, 10), Action: action, Changes: changes}); err != nil {
			return err
		}
		if n.Invite {
			return s.queueReset(ctx, tx, id, n.Email, n.Name, true)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if n.Invite {
		s.MailQueued()
	}
	return s.UserByID(ctx, id)
}

func grantChanges(old, new Grants) []audit.Change {
	var out []audit.Change
	add := func(name string, o, n bool) {
		if o != n {
			out = append(out, audit.Change{Field: "grant." + name, Old: strconv.FormatBool(o), New: strconv.FormatBool(n)})
		}
	}
	add("sensitive_data_access", old.Sensitive, new.Sensitive)
	add("export", old.Export, new.Export)
	add("manage_users", old.ManageUsers, new.ManageUsers)
	add("view_as_investor", old.ViewAsInvestor, new.ViewAsInvestor)
	return out
}

// AccessChange is the input to UpdateAccess.
type AccessChange struct {
	Name            string
	Role            Role
	Grants          Grants
	OwnContactsOnly bool
}

// UpdateAccess changes another user's name, access level and grants.
func (s *Service) UpdateAccess(ctx context.Context, by *User, id int64, ch AccessChange) (*User, error) {
	ch.Name = strings.TrimSpace(ch.Name)
	c := errs.Collector{}
	if ch.Name == "" || len(ch.Name) > 200 || strings.ContainsAny(ch.Name, "\r\n<>") {
		c.Add("name", "Enter a name of at most 200 characters, without line breaks or angle brackets.")
	}
	if !ch.Role.Valid() {
		c.Add("role", "Choose an access level.")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		u, err := s.userWhere(ctx, tx, "id = ?", id)
		if err != nil {
			return err
		}
		if err := s.mayManage(ctx, tx, by, u); err != nil {
			return err
		}
		if by != nil && u.ID == by.ID && (ch.Role != u.Role || ch.Grants != u.Grants) {
			return errs.E(errs.Forbidden, "You cannot change your own access level or grants; ask another admin.")
		}
		if ch.Role == RoleOwner && by != nil && by.Role != RoleOwner {
			return errs.FieldErrors(map[string]string{"role": "Only an owner can make someone an owner."})
		}
		if u.Role == RoleOwner && ch.Role != RoleOwner {
			if err := s.keepAnOwner(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		var changes []audit.Change
		if u.Name != ch.Name {
			changes = append(changes, audit.Change{Field: "name", Old: u.Name, New: ch.Name})
		}
		if u.Role != ch.Role {
			changes = append(changes, audit.Change{Field: "role", Old: string(u.Role), New: string(ch.Role)})
		}
		changes = append(changes, grantChanges(u.Grants, ch.Grants)...)
		if u.OwnContactsOnly != ch.OwnContactsOnly {
			changes = append(changes, audit.Change{Field: "own_contacts_only", Old: strconv.FormatBool(u.OwnContactsOnly), New: strconv.FormatBool(ch.OwnContactsOnly)})
		}
		if len(changes) == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET name = ?, role = ?, grant_sensitive = ?, grant_export = ?, grant_manage_users = ?,
			grant_view_as_investor = ?, own_contacts_only = ?, updated_at = ? WHERE id = ?`,
			ch.Name, string(ch.Role), ch.Grants.Sensitive, ch.Grants.Export, ch.Grants.ManageUsers, ch.Grants.ViewAsInvestor,
			ch.OwnContactsOnly, db.Now(), id)
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: u.IDString(), Action: "user.update_access", Changes: changes})
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, id)
}

// mayManage checks that by may change target: managers only, and owners are
// changed only by owners.
func (s *Service) mayManage(ctx context.Context, tx *db.Tx, by, target *User) error {
	if by == nil {
		return nil // the command line acts as the system
	}
	if !by.Can(PermUsersAdmin) {
		return errs.E(errs.Forbidden, "You may not manage users.")
	}
	if target.Role == RoleOwner && by.Role != RoleOwner {
		return errs.E(errs.Forbidden, "Only an owner can change an owner's account.")
	}
	return nil
}

func (s *Service) keepAnOwner(ctx context.Context, tx *db.Tx, leaving int64) error {
	// Serialise (PostgreSQL) so that two owners demoting or disabling each
	// other at once cannot both see the other as the remaining owner.
	if err := tx.Dialect.Serialize(ctx, tx, db.LockAuditChain); err != nil {
		return err
	}
	var n int
	err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE role = 'owner' AND disabled_at IS NULL AND id <> ?", leaving).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return errs.E(errs.Conflict, "Folio needs at least one active owner; make someone else an owner first.")
	}
	return nil
}

// SetDisabled disables or re-enables a user. Disabling ends their sessions
// and revokes nothing else: their API tokens stop working while disabled.
func (s *Service) SetDisabled(ctx context.Context, by *User, id int64, disabled bool) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		u, err := s.userWhere(ctx, tx, "id = ?", id)
		if err != nil {
			return err
		}
		if err := s.mayManage(ctx, tx, by, u); err != nil {
			return err
		}
		if by != nil && by.ID == u.ID {
			return errs.E(errs.Forbidden, "You cannot disable your own account.")
		}
		if disabled == (u.DisabledAt != nil) {
			return nil
		}
		var at any
		action := "user.enable"
		if disabled {
			if u.Role == RoleOwner {
				if err := s.keepAnOwner(ctx, tx, u.ID); err != nil {
					return err
				}
			}
			at, action = db.Now(), "user.disable"
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ?", at, db.Now(), id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: u.IDString(), Action: action,
			Changes: []audit.Change{{Field: "disabled", Old: strconv.FormatBool(!disabled), New: strconv.FormatBool(disabled)}}})
	})
}

// ChangePassword sets u's password after checking the current one, and ends
// u's other sessions.
func (s *Service) ChangePassword(ctx context.Context, u *User, current, next string, keepSession int64) error {
	if err := s.checkCurrent(ctx, u, current); err != nil {
		return err
	}
	if err := CheckPassword(next, u.Email, u.Name); err != nil {
		return errs.FieldErrors(map[string]string{"new_password": errs.MessageOf(err)})
	}
	hash, err := s.Hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, db.Now(), u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", u.ID, keepSession); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: u.IDString(), Action: "user.change_password",
			Changes: []audit.Change{{Field: "password", Old: "••••", New: "••••"}}})
	})
}

// ChangeName sets u's own display name.
func (s *Service) ChangeName(ctx context.Context, u *User, name string) error {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 || strings.ContainsAny(name, "\r\n<>") {
		return errs.FieldErrors(map[string]string{"name": "Enter a name of at most 200 characters, without line breaks or angle brackets."})
	}
	if name == u.Name {
		return nil
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET name = ?, updated_at = ? WHERE id = ?", name, db.Now(), u.ID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: u.IDString(), Action: "user.change_name",
			Changes: []audit.Change{{Field: "name", Old: u.Name, New: name}}})
	})
}

// Location is the user's time zone (UTC when it is unknown to this
// machine's zone database).
func (u *User) Location() *time.Location {
	if loc, err := time.LoadLocation(u.TimeZone); err == nil && u.TimeZone != "" {
		return loc
	}
	return time.UTC
}

// ChangeTimeZone sets the IANA time zone u works in.
func (s *Service) ChangeTimeZone(ctx context.Context, u *User, tz string) error {
	tz = strings.TrimSpace(tz)
	if _, err := time.LoadLocation(tz); err != nil || tz == "" || strings.EqualFold(tz, "local") {
		return errs.FieldErrors(map[string]string{"time_zone": "Choose a time zone from the list, like Europe/London or America/New_York."})
	}
	if tz == u.TimeZone {
		return nil
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET time_zone = ?, updated_at = ? WHERE id = ?", tz, db.Now(), u.ID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: u.IDString(), Action: "user.change_time_zone",
			Changes: []audit.Change{{Field: "time_zone", Old: u.TimeZone, New: tz}}})
	})
}

// ChangeEmail sets u's email after checking the current password.
func (s *Service) ChangeEmail(ctx context.Context, u *User, current, email string) error {
	email = NormalizeEmail(email)
	if !validEmail(email) {
		return errs.FieldErrors(map[string]string{"email": "Enter a valid email address, like name@example.com."})
	}
	if err := s.checkCurrent(ctx, u, current); err != nil {
		return err
	}
	if email == u.Email {
		return nil
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE users SET email = ?, updated_at = ? WHERE id = ?", email, db.Now(), u.ID)
		if db.IsUniqueViolation(err) {
			return errs.FieldErrors(map[string]string{"email": "Another user already has this email address."})
		}
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: u.IDString(), Action: "user.change_email",
			Changes: []audit.Change{{Field: "email", Old: u.Email, New: email}}})
	})
}

func (s *Service) checkCurrent(ctx context.Context, u *User, current string) error {
	ok, err := s.Hasher.Verify(ctx, current, u.passwordHash)
	if err != nil && !errors.Is(err, errBadHash) {
		return err
	}
	if !ok {
		return errs.FieldErrors(map[string]string{"current_password": "This is not your current password."})
	}
	return nil
}

// SetPassword replaces a user's password without the current one; for the
// command line (folio user reset-password). It ends the user's sessions.
func (s *Service) SetPassword(ctx context.Context, id int64, password string) error {
	u, err := s.UserByID(ctx, id)
	if err != nil {
		return err
	}
	if err := CheckPassword(password, u.Email, u.Name); err != nil {
		return err
	}
	hash, err := s.Hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, db.Now(), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "user", EntityID: u.IDString(), Action: "user.set_password",
			Changes: []audit.Change{{Field: "password", Old: "••••", New: "••••"}}})
	})
}

// Setting keys.
const settingRequireTOTP = "require_totp"

// RequireTOTP reports whether the owner requires a second factor for everyone.
func (s *Service) RequireTOTP(ctx context.Context) (bool, error) {
	var v string
	err := s.DB.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", settingRequireTOTP).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return v == "true", err
}

// SetRequireTOTP turns the firm-wide second-factor requirement on or off.
func (s *Service) SetRequireTOTP(ctx context.Context, by *User, on bool) error {
	if !by.Can(PermSettings) {
		return errs.E(errs.Forbidden, "Only an owner can change firm settings.")
	}
	if on && !by.TOTPEnabled {
		return errs.E(errs.Invalid, "Set up two-factor authentication for your own account before requiring it for everyone.")
	}
	old, err := s.RequireTOTP(ctx)
	if err != nil || old == on {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, settingRequireTOTP, strconv.FormatBool(on))
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "settings", EntityID: settingRequireTOTP, Action: "settings.update",
			Changes: []audit.Change{{Field: settingRequireTOTP, Old: strconv.FormatBool(old), New: strconv.FormatBool(on)}}})
	})
}

// UsersPage lists users by id after the cursor; next is 0 on the last page.
func (s *Service) UsersPage(ctx context.Context, after int64, limit int) ([]*User, int64, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT "+userColumns+" FROM users WHERE id > ? ORDER BY id LIMIT ?", after, limit+1)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[len(out)-1].ID
	}
	return out, next, nil
}
