package importer

import (
	"context"
	"fmt"
	"strings"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
)

// refs resolves the names a file uses for categories and owners.
type refs struct {
	categories map[string]int64 // by folded key and name
	other      int64            // the "Other" category, for names Folio lacks
	users      map[string]int64 // by lower-case email and folded name
}

// categoryAliases are other CRMs' words for Folio's categories.
var categoryAliases = map[string]string{
	"pastclient": "former_client", "exclient": "former_client", "inactiveclient": "former_client",
	"lead": "prospect", "opportunity": "prospect", "customer": "client", "activeclient": "client",
	"friend": "personal", "family": "personal", "vendor": "professional", "partner": "professional",
	"coi": "professional", "centerofinfluence": "professional",
}

func loadRefs(ctx context.Context, q db.Queryer) (*refs, error) {
	r := &refs{categories: map[string]int64{}, users: map[string]int64{}}
	rows, err := q.QueryContext(ctx, "SELECT id, key, name FROM contact_categories")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var key, name string
		if err := rows.Scan(&id, &key, &name); err != nil {
			rows.Close()
			return nil, err
		}
		r.categories[headerKey(key)], r.categories[headerKey(name)] = id, id
		if key == "other" {
			r.other = id
		}
	}
	rows.Close()
	for alias, key := range categoryAliases {
		if id, ok := r.categories[headerKey(key)]; ok {
			if _, taken := r.categories[alias]; !taken {
				r.categories[alias] = id
			}
		}
	}
	rows, err = q.QueryContext(ctx, "SELECT id, email, name FROM users WHERE disabled_at IS NULL")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var email, name string
		if err := rows.Scan(&id, &email, &name); err != nil {
			return nil, err
		}
		r.users[strings.ToLower(email)], r.users[headerKey(name)] = id, id
	}
	return r, rows.Err()
}

// category sets the row's category. A name Folio has no category for
// becomes the Other category plus a tag of that name, so nothing is lost.
func (r *rowBuilder) category(v string) error {
	if id, ok := r.refs.categories[headerKey(v)]; ok {
		r.c.CategoryID = id
		return nil
	}
	if r.refs.other == 0 {
		return fmt.Errorf("%q is not a category", v)
	}
	r.c.CategoryID = r.refs.other
	r.c.Tags = append(r.c.Tags, v)
	return nil
}

func (r *rowBuilder) owner(v string) error {
	if id, ok := r.refs.users[strings.ToLower(strings.TrimSpace(v))]; ok {
		r.c.OwnerID = id
		return nil
	}
	if id, ok := r.refs.users[headerKey(v)]; ok {
		r.c.OwnerID = id
		return nil
	}
	return fmt.Errorf("%q is not an active Folio user; add the user or ignore the owner column", v)
}

// build turns one record into a contact through the mapping. A value a
// field cannot take rejects the row with the column's name and the reason.
func build(header, mapping, fields []string, rf *refs) (*contact.Contact, string) {
	r := &rowBuilder{c: &contact.Contact{}, refs: rf}
	var problems []string
	for i, key := range mapping {
		if key == "" || i >= len(fields) {
			continue
		}
		v := strings.TrimSpace(restore(fields[i]))
		if v == "" {
			continue
		}
		f := FieldByKey(key)
		if err := f.set(r, v); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %s", header[i], err))
		}
	}
	if len(problems) > 0 {
		return nil, strings.Join(problems, "; ")
	}
	c := r.c
	entity := c.Kind != "" && c.Kind.IsEntity() // no kind: a person, or as stored
	if r.addr != (contact.Address{}) {
		r.addr.Primary = true
		if r.addr.Label == "" {
			r.addr.Label = "home"
			if entity {
				r.addr.Label = "work"
			}
		}
		c.Addresses = append(c.Addresses, r.addr)
	}
	if len(c.Phones) > 0 {
		c.Phones[0].Primary = true
	}
	if r.fullName != "" {
		if entity {
			if c.EntityName == "" {
				c.EntityName = r.fullName
			}
		} else if c.FirstName == "" && c.LastName == "" {
			c.FirstName, c.MiddleName, c.LastName = splitName(r.fullName)
		}
	}
	if entity && c.EntityName == "" && c.Employer != "" {
		c.EntityName, c.Employer = c.Employer, ""
	}
	for i := range c.Identifiers {
		if c.Identifiers[i].Country == "" {
			c.Identifiers[i].Country = c.Citizenship
		}
	}
	return c, ""
}

// splitName splits a person's full name: "Last, First Middle" or "First
// Middle Last".
func splitName(s string) (first, middle, last string) {
	if l, f, ok := strings.Cut(s, ","); ok {
		parts := strings.Fields(f)
		last = strings.TrimSpace(l)
		if len(parts) > 0 {
			first, middle = parts[0], strings.Join(parts[1:], " ")
		}
		return
	}
	parts := strings.Fields(s)
	switch len(parts) {
	case 0:
	case 1:
		last = parts[0]
	default:
		first, last = parts[0], parts[len(parts)-1]
		middle = strings.Join(parts[1:len(parts)-1], " ")
	}
	return
}
