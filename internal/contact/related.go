package contact

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// Category is one entry of the firm's category list.
type Category struct {
	ID   int64
	Key  string
	Name string
}

// Categories lists the firm's categories in their order.
func (s *Service) Categories(ctx context.Context) ([]Category, error) {
	return queryAll(ctx, s.DB, func(r scanner) (c Category, err error) {
		err = r.Scan(&c.ID, &c.Key, &c.Name)
		return c, err
	}, "SELECT id, key, name FROM contact_categories ORDER BY position, id")
}

// SaveCategory renames a category (id set) or adds one (id zero).
func (s *Service) SaveCategory(ctx context.Context, v Viewer, id int64, name string) (int64, error) {
	if !v.Admin {
		return 0, errs.E(errs.Forbidden, "Only an admin can change the category list.")
	}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 50 {
		return 0, errs.FieldErrors(map[string]string{"name": "a category name has 1 to 50 characters"})
	}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if id == 0 {
			key := strings.ToLower(strings.Join(strings.Fields(name), "_"))
			if err := tx.QueryRowContext(ctx, `INSERT INTO contact_categories (key, name, position)
				VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM contact_categories)) RETURNING id`, key, name).Scan(&id); err != nil {
				if db.IsUniqueViolation(err) {
					return errs.FieldErrors(map[string]string{"name": "a category with this name already exists"})
				}
				return err
			}
			return audit.Write(ctx, tx, audit.Entry{Entity: "category", EntityID: idStr(id), Action: "category.create",
				Changes: []audit.Change{{Field: "name", New: name}}})
		}
		var old string
		if err := tx.QueryRowContext(ctx, "SELECT name FROM contact_categories WHERE id = ?", id).Scan(&old); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return errs.E(errs.NotFound, "No such category.")
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE contact_categories SET name = ? WHERE id = ?", name, id); err != nil {
			if db.IsUniqueViolation(err) {
				return errs.FieldErrors(map[string]string{"name": "a category with this name already exists"})
			}
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "category", EntityID: idStr(id), Action: "category.rename",
			Changes: []audit.Change{{Field: "name", Old: old, New: name}}})
	})
	return id, err
}

// normTag is a tag's stored form: trimmed, lower case, inner spaces as one.
func normTag(t string) (string, error) {
	t = strings.ToLower(strings.Join(strings.Fields(t), " "))
	if t == "" {
		return "", errs.FieldErrors(map[string]string{"tag": "enter a tag"})
	}
	if len([]rune(t)) > maxTagLength || strings.Contains(t, ",") {
		return "", errs.FieldErrors(map[string]string{"tag": fmt.Sprintf("a tag has at most %d characters and no commas", maxTagLength)})
	}
	return t, nil
}

func tagID(ctx context.Context, tx *db.Tx, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM tags WHERE name = ?", name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.QueryRowContext(ctx, "INSERT INTO tags (name) VALUES (?) RETURNING id", name).Scan(&id)
	}
	return id, err
}

// refreshTags rewrites the denormalised tag list of a contact.
func refreshTags(ctx context.Context, tx *db.Tx, id int64) (string, error) {
	names, err := queryAll(ctx, tx, scanOne[string],
		"SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = ? ORDER BY t.name", id)
	if err != nil {
		return "", err
	}
	text := strings.Join(names, ",")
	_, err = tx.ExecContext(ctx, "UPDATE contacts SET tags_text = ? WHERE id = ?", text, id)
	return text, err
}

// SetTags replaces a contact's tags.
func (s *Service) SetTags(ctx context.Context, v Viewer, id int64, tags []string) error {
	if err := v.canWrite(); err != nil {
		return err
	}
	var clean []string
	for _, t := range tags {
		if strings.TrimSpace(t) == "" {
			continue
		}
		n, err := normTag(t)
		if err != nil {
			return err
		}
		if !slices.Contains(clean, n) {
			clean = append(clean, n)
		}
	}
	if len(clean) > maxPerList {
		return errs.FieldErrors(map[string]string{"tags": fmt.Sprintf("at most %d tags", maxPerList)})
	}
	sort.Strings(clean)
	return s.changeVisible(ctx, v, id, func(tx *db.Tx) error {
		var old string
		if err := tx.QueryRowContext(ctx, "SELECT tags_text FROM contacts WHERE id = ?", id).Scan(&old); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM contact_tags WHERE contact_id = ?", id); err != nil {
			return err
		}
		for _, t := range clean {
			tid, err := tagID(ctx, tx, t)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO contact_tags (contact_id, tag_id) VALUES (?, ?)", id, tid); err != nil {
				return err
			}
		}
		text, err := refreshTags(ctx, tx, id)
		if err != nil || text == old {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(id), Action: "contact.tags",
			Changes: []audit.Change{{Field: "tags", Old: strings.ReplaceAll(old, ",", ", "), New: strings.ReplaceAll(text, ",", ", ")}}})
	})
}

// Tags lists every tag in use, for filters and suggestions.
func (s *Service) Tags(ctx context.Context) ([]string, error) {
	return queryAll(ctx, s.DB, scanOne[string],
		"SELECT name FROM tags t WHERE EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.tag_id = t.id) ORDER BY name LIMIT 1000")
}

// Bulk applies one action to many contacts, each change logged. Contacts v
// cannot see are skipped. It returns how many contacts changed.
type Bulk struct {
	IDs     []int64
	Action  string // "owner", "group", "tag", "delete"
	OwnerID int64
	GroupID int64
	Tag     string
}

// MaxBulk is how many contacts one bulk action may touch.
const MaxBulk = 10000

// ApplyBulk runs a bulk action.
func (s *Service) ApplyBulk(ctx context.Context, v Viewer, b Bulk) (int, error) {
	if err := v.canWrite(); err != nil {
		return 0, err
	}
	if len(b.IDs) == 0 {
		return 0, errs.E(errs.Invalid, "Select at least one contact.")
	}
	if len(b.IDs) > MaxBulk {
		return 0, errs.E(errs.Invalid, "Select at most %d contacts at once.", MaxBulk)
	}
	switch b.Action {
	case "delete":
		return s.Delete(ctx, v, b.IDs...)
	case "owner":
		return s.assignOwner(ctx, v, b.IDs, b.OwnerID)
	case "group":
		return s.AddToGroup(ctx, v, b.GroupID, b.IDs...)
	case "tag":
		tag, err := normTag(b.Tag)
		if err != nil {
			return 0, err
		}
		n := 0
		err = s.DB.InTx(ctx, func(tx *db.Tx) error {
			n = 0
			tid, err := tagID(ctx, tx, tag)
			if err != nil {
				return err
			}
			visible, err := s.visibleIDs(ctx, tx, v, b.IDs)
			if err != nil {
				return err
			}
			for _, id := range b.IDs {
				if !visible[id] {
					continue
				}
				res, err := tx.ExecContext(ctx, "INSERT INTO contact_tags (contact_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING", id, tid)
				if err != nil {
					return err
				}
				if k, _ := res.RowsAffected(); k == 0 {
					continue
				}
				n++
				if _, err := refreshTags(ctx, tx, id); err != nil {
					return err
				}
				if err := audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(id), Action: "contact.tags",
					Changes: []audit.Change{{Field: "tags", New: "+" + tag}}}); err != nil {
					return err
				}
			}
			return nil
		})
		return n, err
	}
	return 0, errs.E(errs.Invalid, "Unknown bulk action %q.", b.Action)
}

// AssignOwner gives one or more contacts to an owner, logged per contact.
func (s *Service) AssignOwner(ctx context.Context, v Viewer, owner int64, ids ...int64) (int, error) {
	if err := v.canWrite(); err != nil {
		return 0, err
	}
	return s.assignOwner(ctx, v, ids, owner)
}

func (s *Service) assignOwner(ctx context.Context, v Viewer, ids []int64, owner int64) (int, error) {
	if v.OwnOnly && !v.Admin && owner != v.UserID {
		return 0, errs.E(errs.Forbidden, "You can only assign contacts to yourself.")
	}
	n := 0
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		n = 0
		var ok int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE id = ? AND disabled_at IS NULL", owner).Scan(&ok); err != nil {
			return err
		}
		if ok == 0 {
			return errs.FieldErrors(map[string]string{"owner_id": "choose an active user as the owner"})
		}
		now := db.Now()
		cond, args := v.scope()
		for _, id := range ids {
			var old int64
			err := tx.QueryRowContext(ctx, "SELECT c.owner_id FROM contacts c WHERE c.id = ? AND c.deleted_at IS NULL"+cond,
				append([]any{id}, args...)...).Scan(&old)
			if errors.Is(err, sql.ErrNoRows) || old == owner {
				continue
			}
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE contacts SET owner_id = ?, version = version + 1, updated_at = ? WHERE id = ?", owner, now, id); err != nil {
				return err
			}
			n++
			if err := audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(id), Action: "contact.update_owner",
				Changes: []audit.Change{{Field: "owner_id", Old: idStr(old), New: idStr(owner)}}}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// Group is a hand-picked list of contacts.
type Group struct {
	ID          int64
	Name        string
	Description string
	Members     int
	CreatedAt   time.Time
}

// Groups lists the groups with their member counts (counting only the
// members v may see).
func (s *Service) Groups(ctx context.Context, v Viewer) ([]Group, error) {
	return s.groups(ctx, v, 0)
}

// Group reads one group with its member count as v sees it.
func (s *Service) Group(ctx context.Context, v Viewer, id int64) (Group, error) {
	gs, err := s.groups(ctx, v, id)
	if err != nil {
		return Group{}, err
	}
	if len(gs) == 0 {
		return Group{}, errs.E(errs.NotFound, "No such group.")
	}
	return gs[0], nil
}

// groups lists every group, or only group id when it is not zero.
func (s *Service) groups(ctx context.Context, v Viewer, id int64) ([]Group, error) {
	cond, args := v.scope()
	where := ""
	if id != 0 {
		where = " WHERE g.id = ?"
		args = append(args, id)
	}
	return queryAll(ctx, s.DB, func(r scanner) (g Group, err error) {
		err = r.Scan(&g.ID, &g.Name, &g.Description, &g.CreatedAt, &g.Members)
		return g, err
	}, `SELECT g.id, g.name, g.description, g.created_at,
		(SELECT COUNT(*) FROM group_members gm JOIN contacts c ON c.id = gm.contact_id
		 WHERE gm.group_id = g.id AND c.deleted_at IS NULL`+cond+`)
		FROM contact_groups g`+where+` ORDER BY g.name`, args...)
}

// SaveGroup creates (id zero) or renames a group.
func (s *Service) SaveGroup(ctx context.Context, v Viewer, id int64, name, description string) (int64, error) {
	if err := v.canWrite(); err != nil {
		return 0, err
	}
	fe := errs.Collector{}
	name = strings.TrimSpace(name)
	description = strings.TrimSpace(description)
	if name == "" || len([]rune(name)) > 100 {
		fe.Add("name", "a group name has 1 to 100 characters")
	}
	if len([]rune(description)) > 500 {
		fe.Add("description", "the description is too long: at most 500 characters")
	}
	if err := fe.Err(); err != nil {
		return 0, err
	}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if id == 0 {
			err = tx.QueryRowContext(ctx, "INSERT INTO contact_groups (name, description, created_by, created_at) VALUES (?, ?, ?, ?) RETURNING id",
				name, description, db.NullID(v.UserID), db.Now()).Scan(&id)
		} else {
			var res sql.Result
			res, err = tx.ExecContext(ctx, "UPDATE contact_groups SET name = ?, description = ? WHERE id = ?", name, description, id)
			if err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					return errs.E(errs.NotFound, "No such group.")
				}
			}
		}
		if db.IsUniqueViolation(err) {
			return errs.FieldErrors(map[string]string{"name": "a group with this name already exists"})
		}
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "group", EntityID: idStr(id), Action: "group.save",
			Changes: []audit.Change{{Field: "name", New: name}}})
	})
	return id, err
}

// DeleteGroup removes a group (not its contacts).
func (s *Service) DeleteGroup(ctx context.Context, v Viewer, id int64) error {
	if err := v.canWrite(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM contact_groups WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "No such group.")
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "group", EntityID: idStr(id), Action: "group.delete"})
	})
}

// AddToGroup adds contacts to a group; ones already in it are skipped.
func (s *Service) AddToGroup(ctx context.Context, v Viewer, group int64, ids ...int64) (int, error) {
	if err := v.canWrite(); err != nil {
		return 0, err
	}
	n := 0
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		n = 0
		var name string
		if err := tx.QueryRowContext(ctx, "SELECT name FROM contact_groups WHERE id = ?", group).Scan(&name); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return errs.FieldErrors(map[string]string{"group_id": "choose a group"})
			}
			return err
		}
		now := db.Now()
		visible, err := s.visibleIDs(ctx, tx, v, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if !visible[id] {
				continue
			}
			res, err := tx.ExecContext(ctx, "INSERT INTO group_members (group_id, contact_id, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", group, id, now)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			n++
			if err := audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(id), Action: "contact.group_add",
				Changes: []audit.Change{{Field: "groups", New: "+" + name}}}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// changeVisible runs fn in a write transaction once v may change contacts
// and contact id is one v sees.
func (s *Service) changeVisible(ctx context.Context, v Viewer, id int64, fn func(tx *db.Tx) error) error {
	if err := v.canWrite(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := s.visible(ctx, tx, v, id); err != nil {
			return err
		}
		return fn(tx)
	})
}

// RemoveFromGroup takes a contact out of a group.
func (s *Service) RemoveFromGroup(ctx context.Context, v Viewer, group, id int64) error {
	return s.changeVisible(ctx, v, id, func(tx *db.Tx) error {
		var name string
		_ = tx.QueryRowContext(ctx, "SELECT name FROM contact_groups WHERE id = ?", group).Scan(&name)
		res, err := tx.ExecContext(ctx, "DELETE FROM group_members WHERE group_id = ? AND contact_id = ?", group, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(id), Action: "contact.group_remove",
			Changes: []audit.Change{{Field: "groups", Old: name}}})
	})
}

// GroupsOf lists the groups a contact belongs to.
func (s *Service) GroupsOf(ctx context.Context, id int64) ([]Group, error) {
	return queryAll(ctx, s.DB, func(r scanner) (g Group, err error) {
		err = r.Scan(&g.ID, &g.Name, &g.Description, &g.CreatedAt)
		return g, err
	}, `SELECT g.id, g.name, g.description, g.created_at FROM contact_groups g
		JOIN group_members gm ON gm.group_id = g.id WHERE gm.contact_id = ? ORDER BY g.name`, id)
}

// RelationType is a kind of relationship with its two labels.
type RelationType struct {
	Key, Label, Reverse string
	// EntityRole: the a side must be an entity and the b side a person.
	EntityRole bool
}

// RelationTypes are the built-in relationship kinds; "custom" takes its
// labels from the user.
var RelationTypes = []RelationType{
	{"spouse", "Spouse", "Spouse", false},
	{"parent", "Parent of", "Child of", false},
	{"employer", "Employer of", "Employee of", false},
	{"referred", "Referred", "Referred by", false},
	{"household_member", "Household of", "Household member", false},
	{"owner", "Owned by", "Owner of", true},
	{"trustee", "Trustee is", "Trustee of", true},
	{"beneficiary", "Beneficiary is", "Beneficiary of", true},
	{"authorised_signer", "Authorised signer is", "Authorised signer of", true},
	{"member", "Member is", "Member of", true},
	{"custom", "", "", false},
}

func relationType(key string) (RelationType, bool) {
	for _, t := range RelationTypes {
		if t.Key == key {
			return t, true
		}
	}
	return RelationType{}, false
}

// Relationship is a link seen from one contact; it reads "this contact
// <Label> the other" ("Parent of Ana", "Trustee of the Lee Trust").
type Relationship struct {
	ID        int64
	Kind      string
	Label     string
	OtherID   int64
	OtherName string
	OtherKind Kind
}

// Relate links a to b. For entity roles a is the entity and b the person.
func (s *Service) Relate(ctx context.Context, v Viewer, a, b int64, kind, label, reverse string) (int64, error) {
	if err := v.canWrite(); err != nil {
		return 0, err
	}
	fe := errs.Collector{}
	t, ok := relationType(kind)
	if !ok {
		fe.Add("kind", "choose a kind of relationship")
	}
	if kind == "custom" {
		label, reverse = strings.TrimSpace(label), strings.TrimSpace(reverse)
		if label == "" || reverse == "" || len(label) > 50 || len(reverse) > 50 {
			fe.Add("label", "a custom relationship needs both labels, each at most 50 characters")
		}
	} else {
		label, reverse = t.Label, t.Reverse
	}
	if a == b {
		fe.Add("other_id", "a contact cannot be related to itself")
	}
	if err := fe.Err(); err != nil {
		return 0, err
	}
	var id int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		kinds := map[int64]string{}
		for _, x := range []int64{a, b} {
			if _, err := s.visible(ctx, tx, v, x); err != nil {
				return err
			}
			var k string
			if err := tx.QueryRowContext(ctx, "SELECT kind FROM contacts WHERE id = ? AND deleted_at IS NULL", x).Scan(&k); err != nil {
				return errs.FieldErrors(map[string]string{"other_id": "that contact is in the trash"})
			}
			kinds[x] = k
		}
		if t.EntityRole && (kinds[a] == string(Person) || kinds[b] != string(Person)) {
			return errs.FieldErrors(map[string]string{"kind": "this role links an entity to a person"})
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO relationships (a_id, b_id, kind, label, reverse_label, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, a, b, kind, label, reverse, db.Now()).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errs.FieldErrors(map[string]string{"kind": "these two contacts already have this relationship"})
		}
		if err != nil {
			return err
		}
		var nameA, nameB string
		_ = tx.QueryRowContext(ctx, "SELECT display_name FROM contacts WHERE id = ?", a).Scan(&nameA)
		_ = tx.QueryRowContext(ctx, "SELECT display_name FROM contacts WHERE id = ?", b).Scan(&nameB)
		return s.relationChanged(ctx, tx, "contact.relate", a, b,
			audit.Change{Field: "relationships", New: fmt.Sprintf("%s %s (#%d)", label, nameB, b)},
			audit.Change{Field: "relationships", New: fmt.Sprintf("%s %s (#%d)", reverse, nameA, a)})
	})
	return id, err
}

// relationChanged recomputes the completeness of both contacts of a
// relationship (an entity's depends on its linked persons) and logs action
// on each with its side's change.
func (s *Service) relationChanged(ctx context.Context, tx *db.Tx, action string, a, b int64, onA, onB audit.Change) error {
	for _, x := range []int64{a, b} {
		if err := s.refreshCompleteness(ctx, tx, x); err != nil {
			return err
		}
	}
	if err := audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(a), Action: action,
		Changes: []audit.Change{onA}}); err != nil {
		return err
	}
	return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(b), Action: action,
		Changes: []audit.Change{onB}})
}

// Unrelate removes a relationship seen from contact id.
func (s *Service) Unrelate(ctx context.Context, v Viewer, id, rel int64) error {
	return s.changeVisible(ctx, v, id, func(tx *db.Tx) error {
		var a, b int64
		var label, reverse string
		err := tx.QueryRowContext(ctx, "SELECT a_id, b_id, label, reverse_label FROM relationships WHERE id = ? AND (a_id = ? OR b_id = ?)",
			rel, id, id).Scan(&a, &b, &label, &reverse)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "No such relationship.")
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM relationships WHERE id = ?", rel); err != nil {
			return err
		}
		return s.relationChanged(ctx, tx, "contact.unrelate", a, b,
			audit.Change{Field: "relationships", Old: fmt.Sprintf("%s #%d", label, b)},
			audit.Change{Field: "relationships", Old: fmt.Sprintf("%s #%d", reverse, a)})
	})
}

// Relationships lists a contact's relationships from its side, joint
// account holdings included (as kind "joint_holder", id 0). Contacts in the
// trash and, for a limited viewer, contacts that are not theirs are left out.
func (s *Service) Relationships(ctx context.Context, v Viewer, id int64) ([]Relationship, error) {
	if _, err := s.visible(ctx, s.DB, v, id); err != nil {
		return nil, err
	}
	// The links from either side, then the other contacts filtered once.
	cond, args := v.scope()
	q := `SELECT x.rel, x.kind, x.label, c.id, c.display_name, c.kind FROM (
			SELECT id AS rel, kind, label, b_id AS other FROM relationships WHERE a_id = ?
			UNION ALL SELECT id, kind, reverse_label, a_id FROM relationships WHERE b_id = ?
			UNION ALL SELECT 0, 'joint_holder', 'Joint account holder of', id FROM contacts WHERE joint_a_id = ? OR joint_b_id = ?
			UNION ALL SELECT 0, 'joint_holder', 'Joint account holder', p.id FROM contacts j JOIN contacts p
				ON p.id = j.joint_a_id OR p.id = j.joint_b_id WHERE j.id = ?
		) x JOIN contacts c ON c.id = x.other WHERE c.deleted_at IS NULL` + cond
	return queryAll(ctx, s.DB, func(row scanner) (r Relationship, err error) {
		var kind string
		err = row.Scan(&r.ID, &r.Kind, &r.Label, &r.OtherID, &r.OtherName, &kind)
		r.OtherKind = Kind(kind)
		return r, err
	}, q, append([]any{id, id, id, id, id}, args...)...)
}

// Reveal returns the clear value of one sensitive field of a contact —
// field "identifier", "iban" or "account" and the row's id — and logs that
// v saw it. Only users with Sensitive Data Access may.
func (s *Service) Reveal(ctx context.Context, v Viewer, contactID int64, field string, rowID int64) (string, error) {
	if !v.Sensitive {
		return "", errs.E(errs.Forbidden, "Revealing this needs Sensitive Data Access.")
	}
	var q, label string
	switch field {
	case "identifier":
		q, label = "SELECT number_sealed, kind FROM contact_identifiers WHERE id = ? AND contact_id = ?", "identifier"
	case "iban":
		q, label = "SELECT iban_sealed, 'iban' FROM contact_bank_accounts WHERE id = ? AND contact_id = ?", "IBAN"
	case "account":
		q, label = "SELECT account_sealed, 'account' FROM contact_bank_accounts WHERE id = ? AND contact_id = ?", "account number"
	default:
		return "", errs.E(errs.Invalid, "Unknown sensitive field %q.", field)
	}
	if _, err := s.visible(ctx, s.DB, v, contactID); err != nil {
		return "", err
	}
	var clear string
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var sealed, kind string
		err := tx.QueryRowContext(ctx, q, rowID, contactID).Scan(&sealed, &kind)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "No such %s on this contact.", label)
		}
		if err != nil {
			return err
		}
		clear, err = s.Box.Open(sealed)
		if err != nil {
			return err
		}
		if field == "identifier" {
			label = LabelOf(IdentifierKinds, kind)
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(contactID), Action: "contact.reveal",
			Changes: []audit.Change{{Field: fmt.Sprintf("%s #%d", label, rowID), Old: "", New: maskOf(clear)}}})
	})
	return clear, err
}

func maskOf(v string) string { return mask4(last4(v)) }

// ChangeVisible runs fn in a transaction once v may change contact id (it
// exists, v sees it, v may write), for the packages that hang records on
// contacts (notes, tasks, …).
func (s *Service) ChangeVisible(ctx context.Context, v Viewer, id int64, fn func(tx *db.Tx) error) error {
	return s.changeVisible(ctx, v, id, fn)
}

// CheckVisible returns nil when v sees contact id, a not-found error when
// it does not, and a *MovedError when it was merged into another.
func (s *Service) CheckVisible(ctx context.Context, q db.Queryer, v Viewer, id int64) error {
	_, err := s.visible(ctx, q, v, id)
	return err
}

// CanWrite refuses read-only viewers.
func (v Viewer) CanWrite() error { return v.canWrite() }
