// Package demoload stores generated demo data: the demo staff users and the
// contacts of internal/demo, through the contact bulk loader. folio demo and
// the benchmarks use it, so both measure the same data.
package demoload

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/demo"
	"github.com/foliocrm/folio/internal/errs"
)

// Staff are the staff users demo contacts are spread over. Their passwords
// are random and never shown: an admin sends them a reset link to use them.
var Staff = []auth.NewUser{
	{Email: "ana.ortega@demo.example", Name: "Ana Ortega", Role: auth.RoleAdvisor},
	{Email: "ben.okafor@demo.example", Name: "Ben Okafor", Role: auth.RoleAdvisor},
	{Email: "chloe.martin@demo.example", Name: "Chloé Martin", Role: auth.RoleAdvisor, OwnContactsOnly: true},
	{Email: "daniel.kim@demo.example", Name: "Daniel Kim", Role: auth.RoleAdvisor},
	{Email: "eva.nowak@demo.example", Name: "Eva Nowak", Role: auth.RoleAssistant},
	{Email: "farid.haddad@demo.example", Name: "Farid Haddad", Role: auth.RoleAdvisor},
}

// Result says what LoadDemo added.
type Result struct {
	Added           int
	FirstID, LastID int64
}

// Load adds n generated contacts (the benchmarks use it too). progress,
// when set, is called every 50,000 contacts.
func Load(ctx context.Context, as *auth.Service, cs *contact.Service, n int, seed int64, progress func(done int)) (Result, error) {
	var res Result
	owners := make([]int64, 0, len(Staff))
	for _, u := range Staff {
		got, err := as.UserByEmail(ctx, u.Email)
		if errs.Is(err, errs.NotFound) {
			// A random password nobody knows: an admin sends a reset link to
			// use the account.
			u.Password = rand.Text()
			got, err = as.CreateUser(ctx, nil, u)
		}
		if err != nil {
			return res, fmt.Errorf("demo staff %s: %w", u.Email, err)
		}
		owners = append(owners, got.ID)
	}
	cats, err := cs.Categories(ctx)
	if err != nil {
		return res, err
	}
	catID := map[string]int64{}
	for _, c := range cats {
		catID[c.Key] = c.ID
	}
	l, err := cs.NewLoader(ctx)
	if err != nil {
		return res, err
	}
	g := demo.New(seed)
	g.SetOwners(len(owners))
	ids := make([]int64, 0, n)
	now := db.Now()
	for i := range n {
		dc := g.Next()
		c, links := demoContact(dc, catID, owners, ids)
		// Created over the last five years, deterministically.
		created := now.Add(-time.Duration((uint64(i)*2654435761)%(5*365*24*3600)) * time.Second)
		linked := 0
		for _, lk := range links {
			if lk.entityRole {
				linked++
			}
		}
		id, err := l.Add(c, linked, created)
		if err != nil {
			return res, fmt.Errorf("demo contact %d: %w", i, err)
		}
		ids = append(ids, id)
		for _, lk := range links {
			a, b := lk.a, lk.b
			if a < 0 {
				a = id
			}
			if b < 0 {
				b = id
			}
			if err := l.Relate(a, b, lk.kind); err != nil {
				return res, err
			}
		}
		if progress != nil && (i+1)%50000 == 0 {
			progress(i + 1)
		}
	}
	if err := l.Finish(); err != nil {
		return res, err
	}
	if len(ids) > 0 {
		res.FirstID, res.LastID = ids[0], ids[len(ids)-1]
	}
	res.Added = len(ids)
	err = cs.DB.InTx(ctx, func(tx *db.Tx) error {
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: "", Action: "demo.generate",
			Changes: []audit.Change{{Field: "contacts", New: fmt.Sprintf("%d (ids %d–%d, seed %d)", res.Added, res.FirstID, res.LastID, seed)}}})
	})
	return res, err
}

// demoLink is a relationship to add once the contact has its id; -1 stands
// for the new contact.
type demoLink struct {
	a, b       int64
	kind       string
	entityRole bool
}

// demoContact converts a generated contact. ids maps earlier sequence
// numbers to contact ids.
func demoContact(dc demo.Contact, catID map[string]int64, owners []int64, ids []int64) (*contact.Contact, []demoLink) {
	c := &contact.Contact{
		Kind: contact.Kind(dc.Kind), Prefix: dc.Prefix, FirstName: dc.First, MiddleName: dc.Middle, LastName: dc.Last,
		Suffix: dc.Suffix, Nickname: dc.Nickname, EntityName: dc.EntityName, CategoryID: catID[dc.Category],
		OwnerID: owners[dc.OwnerIndex%len(owners)], ExternalID: dc.ExternalID, Language: dc.Language, TimeZone: dc.TimeZone,
		BirthDate: dc.BirthDate, Citizenship: dc.Citizenship, Employment: dc.Employment, Employer: dc.Employer,
		Occupation: dc.Occupation, IncomeSource: dc.IncomeSource, AnnualIncome: dc.AnnualIncome, NetWorth: dc.NetWorth,
		TaxResidency: dc.TaxResidency, MarketsTraded: dc.MarketsTraded, ExperienceYears: dc.ExperienceYears,
		TradesPerYear: dc.TradesPerYear, Qualification: dc.Qualification, RiskTolerance: dc.RiskTolerance,
		InvestmentObjective: dc.InvestmentObjective, TimeHorizon: dc.TimeHorizon, LinkedIn: dc.LinkedIn,
		Website: dc.Website, InvestedMinor: dc.InvestedMinor, Currency: dc.Currency, Tags: dc.Tags,
	}
	if c.CategoryID == 0 {
		c.CategoryID = catID["other"]
	}
	for _, e := range dc.Emails {
		c.Emails = append(c.Emails, contact.Email{Label: e.Label, Address: e.Address, Primary: e.Primary})
	}
	for _, p := range dc.Phones {
		c.Phones = append(c.Phones, contact.Phone{Label: p.Label, Number: p.Number, Primary: p.Primary})
	}
	for _, a := range dc.Addresses {
		c.Addresses = append(c.Addresses, contact.Address{Label: a.Label, Line1: a.Line1, Line2: a.Line2, City: a.City,
			Region: a.Region, PostalCode: a.PostalCode, Country: a.Country, Primary: a.Primary})
	}
	if dc.TaxID != "" {
		c.Identifiers = append(c.Identifiers, contact.Identifier{Kind: "tax_id", Country: dc.TaxResidency, Number: dc.TaxID})
	}
	if dc.NationalID != "" {
		c.Identifiers = append(c.Identifiers, contact.Identifier{Kind: "passport", Country: dc.Citizenship, Number: dc.NationalID})
	}
	for _, b := range dc.BankAccounts {
		c.BankAccounts = append(c.BankAccounts, contact.BankAccount{BankName: b.BankName, Holder: b.Holder, IBAN: b.IBAN,
			AccountNumber: b.AccountNumber, RoutingNumber: b.RoutingNumber, BIC: b.SWIFT, Currency: b.Currency})
	}
	var links []demoLink
	const me = -1
	for _, lk := range dc.Links {
		if lk.To < 0 || lk.To >= len(ids) {
			continue
		}
		other := ids[lk.To]
		switch lk.Kind {
		case "joint_holder":
			if c.JointA == 0 {
				c.JointA = other
			} else if c.JointB == 0 && other != c.JointA {
				c.JointB = other
			}
		case "spouse", "household_member", "trustee", "beneficiary", "owner", "member", "authorised_signer":
			if c.Kind.IsEntity() {
				links = append(links, demoLink{a: me, b: other, kind: lk.Kind, entityRole: true})
			} else if lk.Kind == "spouse" || lk.Kind == "household_member" {
				links = append(links, demoLink{a: other, b: me, kind: lk.Kind})
			}
		case "parent": // the earlier contact is this one's parent
			links = append(links, demoLink{a: other, b: me, kind: "parent"})
		case "child": // the earlier contact is this one's child
			links = append(links, demoLink{a: me, b: other, kind: "parent"})
		case "employer":
			if c.Kind.IsEntity() {
				links = append(links, demoLink{a: me, b: other, kind: "employer"})
			} else {
				links = append(links, demoLink{a: other, b: me, kind: "employer"})
			}
		case "referred_by":
			links = append(links, demoLink{a: other, b: me, kind: "referred"})
		}
	}
	if c.Kind == contact.Joint && (c.JointA == 0 || c.JointB == 0) {
		// Not enough persons yet: keep the record as a household.
		c.Kind, c.JointA, c.JointB = contact.Household, 0, 0
	}
	return c, links
}
