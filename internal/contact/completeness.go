package contact

import (
	"context"

	"github.com/foliocrm/folio/internal/db"
)

// Profile completeness is the share of these items that are filled. The
// list is the firm's KYC minimum and is documented in docs/contacts.md;
// keep the two in step.
//
// Persons: first name, last name, email, phone, address (street, city and
// country), date of birth, citizenship, tax ID, national ID or passport
// number, employment, annual income, net worth, tax residency, risk
// tolerance, investment objective, time horizon, years of experience, a bank
// account, an approved identity document (passport or national ID) and an
// approved proof of address.
//
// Entities: name, email, phone, address, tax ID, tax residency, a bank
// account, a linked person, and an approved document.
type requirement struct {
	label string
	met   func(c *Contact, f *facts) bool
}

// facts are what completeness needs beyond the contact's own row.
type facts struct {
	idDocApproved, addressDocApproved, anyDocApproved bool
	linkedPersons                                     int
}

func has(s string) bool { return s != "" }

func hasIdentifier(c *Contact, kinds ...string) bool {
	for _, i := range c.Identifiers {
		for _, k := range kinds {
			if i.Kind == k {
				return true
			}
		}
	}
	return false
}

func hasFullAddress(c *Contact) bool {
	for _, a := range c.Addresses {
		if a.Line1 != "" && a.City != "" && a.Country != "" {
			return true
		}
	}
	return false
}

var personRequirements = []requirement{
	{"First name", func(c *Contact, _ *facts) bool { return has(c.FirstName) }},
	{"Last name", func(c *Contact, _ *facts) bool { return has(c.LastName) }},
	{"Email address", func(c *Contact, _ *facts) bool { return len(c.Emails) > 0 }},
	{"Phone number", func(c *Contact, _ *facts) bool { return len(c.Phones) > 0 }},
	{"Address with street, city and country", func(c *Contact, _ *facts) bool { return hasFullAddress(c) }},
	{"Date of birth", func(c *Contact, _ *facts) bool { return has(c.BirthDate) }},
	{"Citizenship", func(c *Contact, _ *facts) bool { return has(c.Citizenship) }},
	{"Tax ID", func(c *Contact, _ *facts) bool { return hasIdentifier(c, "tax_id") }},
	{"National ID or passport number", func(c *Contact, _ *facts) bool { return hasIdentifier(c, "national_id", "passport") }},
	{"Employment", func(c *Contact, _ *facts) bool { return has(c.Employment) }},
	{"Annual income", func(c *Contact, _ *facts) bool { return has(c.AnnualIncome) }},
	{"Net worth", func(c *Contact, _ *facts) bool { return has(c.NetWorth) }},
	{"Tax residency", func(c *Contact, _ *facts) bool { return has(c.TaxResidency) }},
	{"Risk tolerance", func(c *Contact, _ *facts) bool { return has(c.RiskTolerance) }},
	{"Investment objective", func(c *Contact, _ *facts) bool { return has(c.InvestmentObjective) }},
	{"Time horizon", func(c *Contact, _ *facts) bool { return has(c.TimeHorizon) }},
	{"Years of investment experience", func(c *Contact, _ *facts) bool { return has(c.ExperienceYears) }},
	{"Bank account", func(c *Contact, _ *facts) bool { return len(c.BankAccounts) > 0 }},
	{"Approved passport or national ID document", func(_ *Contact, f *facts) bool { return f.idDocApproved }},
	{"Approved proof of address", func(_ *Contact, f *facts) bool { return f.addressDocApproved }},
}

var entityRequirements = []requirement{
	{"Name", func(c *Contact, _ *facts) bool { return has(c.EntityName) }},
	{"Email address", func(c *Contact, _ *facts) bool { return len(c.Emails) > 0 }},
	{"Phone number", func(c *Contact, _ *facts) bool { return len(c.Phones) > 0 }},
	{"Address with street, city and country", func(c *Contact, _ *facts) bool { return hasFullAddress(c) }},
	{"Tax ID", func(c *Contact, _ *facts) bool { return hasIdentifier(c, "tax_id") }},
	{"Tax residency", func(c *Contact, _ *facts) bool { return has(c.TaxResidency) }},
	{"Bank account", func(c *Contact, _ *facts) bool { return len(c.BankAccounts) > 0 }},
	{"A linked person", func(_ *Contact, f *facts) bool { return f.linkedPersons > 0 }},
	{"An approved document", func(_ *Contact, f *facts) bool { return f.anyDocApproved }},
}

// Requirements lists the labels completeness is computed from, for a kind.
func Requirements(k Kind) []string {
	reqs := personRequirements
	if k.IsEntity() {
		reqs = entityRequirements
	}
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.label
	}
	return out
}

// score computes the percentage and what is missing.
func score(c *Contact, f *facts) (int, []string) {
	reqs := personRequirements
	if c.Kind.IsEntity() {
		reqs = entityRequirements
	}
	var missing []string
	for _, r := range reqs {
		if !r.met(c, f) {
			missing = append(missing, r.label)
		}
	}
	return (len(reqs) - len(missing)) * 100 / len(reqs), missing
}

// completeness reads the facts of a loaded contact and scores it.
func (s *Service) completeness(ctx context.Context, q db.Queryer, c *Contact) (int, []string) {
	var f facts
	rows, err := q.QueryContext(ctx, "SELECT DISTINCT kind FROM contact_documents WHERE contact_id = ? AND status = 'approved'", c.ID)
	if err == nil {
		for rows.Next() {
			var k string
			if rows.Scan(&k) == nil {
				f.anyDocApproved = true
				switch k {
				case "passport", "national_id":
					f.idDocApproved = true
				case "proof_of_address":
					f.addressDocApproved = true
				}
			}
		}
		rows.Close()
	}
	if c.Kind.IsEntity() {
		if c.Kind == Joint {
			f.linkedPersons = 2
		} else {
			_ = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM relationships r JOIN contacts p ON p.id = r.b_id
				WHERE r.a_id = ? AND p.kind = 'person' AND p.deleted_at IS NULL`, c.ID).Scan(&f.linkedPersons)
		}
	}
	return score(c, &f)
}

// refreshCompleteness recomputes and stores a contact's completeness.
func (s *Service) refreshCompleteness(ctx context.Context, tx *db.Tx, id int64) error {
	c, err := s.load(ctx, tx, Viewer{Admin: true}, id)
	if err != nil {
		return err
	}
	score, _ := s.completeness(ctx, tx, c)
	return storeCompleteness(ctx, tx, id, score)
}

func storeCompleteness(ctx context.Context, tx *db.Tx, id int64, score int) error {
	_, err := tx.ExecContext(ctx, "UPDATE contacts SET completeness = ? WHERE id = ?", score, id)
	return err
}
