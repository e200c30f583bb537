package importer

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/export"
)

// Field is one importable column of Folio's template.
type Field struct {
	Key         string
	Label       string
	Description string
	Example     string
	// Sensitive fields are encrypted when stored and never kept in clear in
	// the import's own records.
	Sensitive bool
	// Synonyms are other names of the column, best first: other CRMs'
	// export headers among them. Matching ignores case, spaces and
	// punctuation.
	Synonyms []string
	set      func(r *rowBuilder, v string) error
}

// Fields lists every importable field in template order.
var Fields = []Field{
	{Key: "kind", Label: "Kind", Description: "person, household, company, trust, joint, retirement or fund; empty means person",
		Example: "person", Synonyms: []string{"type", "contact kind", "record type", "entity type", "client type"},
		set: func(r *rowBuilder, v string) error {
			k, ok := kindOf(v)
			if !ok {
				return fmt.Errorf("%q is not a kind of contact; use person, household, company, trust, retirement or fund", v)
			}
			r.c.Kind = k
			return nil
		}},
	{Key: "external_id", Label: "External ID", Description: "the contact's id in the system the file comes from",
		Example: "WB-10442", Synonyms: []string{"external unique id", "id", "record id", "contact id", "client id",
			"hs object id", "customer id", "account number"},
		set: func(r *rowBuilder, v string) error { r.c.ExternalID = v; return nil }},
	{Key: "prefix", Label: "Prefix", Description: "Mr, Ms, Dr…", Example: "Dr",
		Synonyms: []string{"salutation", "title prefix", "name prefix"}, set: str(func(c *contact.Contact) *string { return &c.Prefix })},
	{Key: "first_name", Label: "First name", Example: "Ada",
		Synonyms: []string{"firstname", "given name", "first", "forename"}, set: str(func(c *contact.Contact) *string { return &c.FirstName })},
	{Key: "middle_name", Label: "Middle name", Example: "King",
		Synonyms: []string{"middlename", "middle", "middle initial"}, set: str(func(c *contact.Contact) *string { return &c.MiddleName })},
	{Key: "last_name", Label: "Last name", Example: "Lovelace",
		Synonyms: []string{"lastname", "surname", "family name", "last"}, set: str(func(c *contact.Contact) *string { return &c.LastName })},
	{Key: "suffix", Label: "Suffix", Description: "Jr, III, CFA…", Example: "",
		Synonyms: []string{"name suffix", "designation"}, set: str(func(c *contact.Contact) *string { return &c.Suffix })},
	{Key: "nickname", Label: "Nickname", Example: "", Synonyms: []string{"nick name", "preferred name", "goes by"},
		set: str(func(c *contact.Contact) *string { return &c.Nickname })},
	{Key: "full_name", Label: "Full name", Description: "used when first and last name are empty: split into first, middle and last for persons; the name of an entity",
		Example: "", Synonyms: []string{"name", "contact name", "display name", "fn"},
		set: func(r *rowBuilder, v string) error { r.fullName = v; return nil }},
	{Key: "entity_name", Label: "Entity name", Description: "the name of a household, company, trust or fund",
		Example: "", Synonyms: []string{"household name", "organization name", "organisation name", "trust name", "entity"},
		set: func(r *rowBuilder, v string) error { r.c.EntityName = v; return nil }},
	{Key: "email", Label: "Email", Description: "the primary email address", Example: "ada@example.com",
		Synonyms: []string{"primary email", "email address", "e-mail", "e-mail address", "email 1", "personal email",
			"primary email address", "email address 1"},
		set: email("")},
	{Key: "email_2", Label: "Email 2", Example: "", Synonyms: []string{"secondary email", "other email", "work email",
		"business email", "email 2", "email address 2", "alternate email"}, set: email("")},
	{Key: "email_3", Label: "Email 3", Example: "", Synonyms: []string{"email 3", "email address 3"}, set: email("")},
	{Key: "phone", Label: "Phone", Description: "the primary phone number", Example: "+1 212 555 0100",
		Synonyms: []string{"primary phone", "phone number", "telephone", "phone 1", "main phone", "primary phone number",
			"business phone", "other phone"},
		set: phone("other")},
	{Key: "mobile_phone", Label: "Mobile phone", Example: "", Synonyms: []string{"mobile", "cell", "cell phone",
		"mobilephone", "mobile phone number", "mobile number", "cellphone"}, set: phone("mobile")},
	{Key: "work_phone", Label: "Work phone", Example: "", Synonyms: []string{"business phone number", "office phone",
		"work phone number", "work"}, set: phone("work")},
	{Key: "home_phone", Label: "Home phone", Example: "", Synonyms: []string{"homephone", "home phone number", "home"}, set: phone("home")},
	{Key: "fax", Label: "Fax", Example: "", Synonyms: []string{"fax number", "business fax"}, set: phone("fax")},
	{Key: "address_line1", Label: "Street", Description: "first line of the postal address", Example: "12 St James's Square",
		Synonyms: []string{"street", "street address", "address", "address 1", "address line 1", "street line 1",
			"mailing address street", "mailing street", "street 1", "home street", "mailing address line 1"},
		set: addr(func(a *contact.Address) *string { return &a.Line1 })},
	{Key: "address_line2", Label: "Street line 2", Example: "", Synonyms: []string{"address 2", "address line 2",
		"street line 2", "mailing address street 2", "street 2", "mailing address line 2", "suite", "apartment"},
		set: addr(func(a *contact.Address) *string { return &a.Line2 })},
	{Key: "city", Label: "City", Example: "London", Synonyms: []string{"mailing address city", "mailing city", "town",
		"home city", "locality"}, set: addr(func(a *contact.Address) *string { return &a.City })},
	{Key: "region", Label: "State / region", Example: "", Synonyms: []string{"state", "province", "county",
		"mailing address state", "mailing state", "mailing state province", "state region", "state province", "home state"},
		set: addr(func(a *contact.Address) *string { return &a.Region })},
	{Key: "postal_code", Label: "Postal code", Example: "SW1Y 4LE", Synonyms: []string{"zip", "zip code", "postcode",
		"mailing address zip code", "mailing zip", "mailing zip postal code", "mailing postal code", "postal",
		"zip postal code", "home zip"}, set: addr(func(a *contact.Address) *string { return &a.PostalCode })},
	{Key: "country", Label: "Country", Description: "a country name or ISO code", Example: "GB",
		Synonyms: []string{"mailing address country", "mailing country", "country region", "nation", "home country"},
		set:      addr(func(a *contact.Address) *string { return &a.Country })},
	{Key: "birth_date", Label: "Date of birth", Description: "YYYY-MM-DD; also MM/DD/YYYY, DD.MM.YYYY and 7 March 1985",
		Example: "1985-03-07", Synonyms: []string{"birthdate", "birthday", "dob", "date of birth", "birth date", "bday"},
		set: func(r *rowBuilder, v string) error {
			d, err := parseDate(v)
			if err != nil {
				return err
			}
			r.c.BirthDate = d
			return nil
		}},
	{Key: "citizenship", Label: "Citizenship", Description: "ISO country code or name", Example: "GB",
		Synonyms: []string{"nationality", "citizenship country"}, set: str(func(c *contact.Contact) *string { return &c.Citizenship })},
	{Key: "language", Label: "Language", Description: "a language code like en or pt-BR", Example: "en",
		Synonyms: []string{"preferred language"}, set: str(func(c *contact.Contact) *string { return &c.Language })},
	{Key: "time_zone", Label: "Time zone", Description: "like Europe/London", Example: "Europe/London",
		Synonyms: []string{"timezone", "tz"}, set: str(func(c *contact.Contact) *string { return &c.TimeZone })},
	{Key: "category", Label: "Category", Description: "Client, Prospect, Former client, Personal, Professional or Other; empty means the default",
		Example: "Client", Synonyms: []string{"contact type", "client category", "status category", "client status",
			"lifecycle stage", "relationship type"},
		set: func(r *rowBuilder, v string) error { return r.category(v) }},
	{Key: "stage", Label: "Onboarding stage", Example: "", Synonyms: []string{"onboarding stage", "onboarding status"},
		set: func(r *rowBuilder, v string) error {
			k, ok := option(contact.Stages, v)
			if !ok {
				return fmt.Errorf("%q is not an onboarding stage", v)
			}
			r.c.Stage = k
			return nil
		}},
	{Key: "owner", Label: "Owner", Description: "the email or name of the Folio user who owns the contact; empty means you",
		Example: "", Synonyms: []string{"assigned to", "contact owner", "advisor", "servicing advisor", "owner email",
			"account owner", "hubspot owner", "primary advisor"},
		set: func(r *rowBuilder, v string) error { return r.owner(v) }},
	{Key: "tags", Label: "Tags", Description: "separated by commas or semicolons", Example: "vip, newsletter",
		Synonyms: []string{"tag", "labels", "categories", "keywords", "groups"},
		set: func(r *rowBuilder, v string) error {
			for _, t := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
				if t = strings.TrimSpace(t); t != "" {
					r.c.Tags = append(r.c.Tags, t)
				}
			}
			return nil
		}},
	{Key: "employer", Label: "Employer", Example: "Analytical Engines Ltd", Synonyms: []string{"company", "company name",
		"organization", "organisation", "account name", "business name", "employer name"},
		set: str(func(c *contact.Contact) *string { return &c.Employer })},
	{Key: "occupation", Label: "Occupation", Example: "Mathematician", Synonyms: []string{"job title", "title",
		"position", "role", "jobtitle", "profession"}, set: str(func(c *contact.Contact) *string { return &c.Occupation })},
	{Key: "employment", Label: "Employment status", Description: "Employed, Self-employed, Retired, Student or Not employed",
		Example: "", Synonyms: []string{"employment status"}, set: opt(contact.Employments, func(c *contact.Contact) *string { return &c.Employment })},
	{Key: "annual_income", Label: "Annual income", Description: "a range: Under 50,000 … Over 1 million", Example: "",
		Synonyms: []string{"income", "income range"}, set: opt(contact.IncomeRanges, func(c *contact.Contact) *string { return &c.AnnualIncome })},
	{Key: "net_worth", Label: "Net worth", Description: "a range: Under 100,000 … Over 5 million", Example: "",
		Synonyms: []string{"net worth range"}, set: opt(contact.NetWorthRanges, func(c *contact.Contact) *string { return &c.NetWorth })},
	{Key: "risk_tolerance", Label: "Risk tolerance", Description: "Low, Medium or High", Example: "",
		Synonyms: []string{"risk", "risk profile"}, set: opt(contact.RiskTolerances, func(c *contact.Contact) *string { return &c.RiskTolerance })},
	{Key: "investment_objective", Label: "Investment objective", Example: "", Synonyms: []string{"objective", "investment goal"},
		set: opt(contact.Objectives, func(c *contact.Contact) *string { return &c.InvestmentObjective })},
	{Key: "time_horizon", Label: "Time horizon", Example: "", Synonyms: []string{"investment horizon"},
		set: opt(contact.TimeHorizons, func(c *contact.Contact) *string { return &c.TimeHorizon })},
	{Key: "tax_residency", Label: "Tax residency", Description: "ISO country code", Example: "",
		Synonyms: []string{"tax country", "country of tax residence"}, set: str(func(c *contact.Contact) *string { return &c.TaxResidency })},
	{Key: "invested", Label: "Invested amount", Description: "like 250000.00", Example: "",
		Synonyms: []string{"invested amount", "aum", "assets under management", "total assets"},
		set: func(r *rowBuilder, v string) error {
			n, err := contact.ParseMoney(strings.TrimLeft(strings.TrimSpace(v), "$€£"))
			if err != nil {
				return err
			}
			r.c.InvestedMinor = n
			return nil
		}},
	{Key: "currency", Label: "Currency", Description: "ISO 4217 code of the invested amount", Example: "USD",
		Synonyms: []string{"currency code"}, set: str(func(c *contact.Contact) *string { return &c.Currency })},
	{Key: "website", Label: "Website", Example: "", Synonyms: []string{"web site", "url", "website url", "homepage", "web"},
		set: str(func(c *contact.Contact) *string { return &c.Website })},
	{Key: "linkedin", Label: "LinkedIn", Example: "", Synonyms: []string{"linkedin url", "linkedin profile", "linked in"},
		set: str(func(c *contact.Contact) *string { return &c.LinkedIn })},
	{Key: "x", Label: "X (Twitter)", Example: "", Synonyms: []string{"twitter", "twitter handle", "x url", "twitter username"},
		set: str(func(c *contact.Contact) *string { return &c.XURL })},
	{Key: "facebook", Label: "Facebook", Example: "", Synonyms: []string{"facebook url"},
		set: str(func(c *contact.Contact) *string { return &c.Facebook })},
	{Key: "tax_id", Label: "Tax ID", Description: "SSN, TIN or national tax number; stored encrypted", Example: "",
		Sensitive: true, Synonyms: []string{"ssn", "ssn tin", "tin", "social security number", "tax id number",
			"taxpayer id", "tax identification number", "social security", "ssn/tax id", "tax number"}, set: ident("tax_id")},
	{Key: "national_id", Label: "National ID", Description: "stored encrypted", Example: "", Sensitive: true,
		Synonyms: []string{"national id number", "national insurance number", "id number", "nin"}, set: ident("national_id")},
	{Key: "passport", Label: "Passport number", Description: "stored encrypted", Example: "", Sensitive: true,
		Synonyms: []string{"passport number", "passport no"}, set: ident("passport")},
	{Key: "drivers_licence", Label: "Driver's licence", Description: "stored encrypted", Example: "", Sensitive: true,
		Synonyms: []string{"drivers license", "driver license", "drivers license number", "driving licence",
			"dl number", "driver's license number"}, set: ident("drivers_licence")},
}

var fieldByKey = func() map[string]*Field {
	m := map[string]*Field{}
	for i := range Fields {
		m[Fields[i].Key] = &Fields[i]
	}
	return m
}()

// FieldByKey returns the field named key, or nil.
func FieldByKey(key string) *Field { return fieldByKey[key] }

// rowBuilder turns one row's values into a contact.
type rowBuilder struct {
	c        *contact.Contact
	fullName string
	addr     contact.Address
	refs     *refs
}

func str(p func(*contact.Contact) *string) func(*rowBuilder, string) error {
	return func(r *rowBuilder, v string) error { *p(r.c) = v; return nil }
}

func addr(p func(*contact.Address) *string) func(*rowBuilder, string) error {
	return func(r *rowBuilder, v string) error { *p(&r.addr) = v; return nil }
}

func email(label string) func(*rowBuilder, string) error {
	return func(r *rowBuilder, v string) error {
		r.c.Emails = append(r.c.Emails, contact.Email{Label: label, Address: v, Primary: len(r.c.Emails) == 0})
		return nil
	}
}

func phone(label string) func(*rowBuilder, string) error {
	return func(r *rowBuilder, v string) error {
		r.c.Phones = append(r.c.Phones, contact.Phone{Label: label, Number: v})
		return nil
	}
}

func ident(kind string) func(*rowBuilder, string) error {
	return func(r *rowBuilder, v string) error {
		r.c.Identifiers = append(r.c.Identifiers, contact.Identifier{Kind: kind, Number: v})
		return nil
	}
}

func opt(opts []contact.Option, p func(*contact.Contact) *string) func(*rowBuilder, string) error {
	return func(r *rowBuilder, v string) error {
		k, ok := option(opts, v)
		if !ok {
			labels := make([]string, len(opts))
			for i, o := range opts {
				labels[i] = o.Label
			}
			return fmt.Errorf("%q is not one of %s", v, strings.Join(labels, ", "))
		}
		*p(r.c) = k
		return nil
	}
}

// option finds v among opts by key or label, ignoring case and punctuation.
func option(opts []contact.Option, v string) (string, bool) {
	k := headerKey(v)
	for _, o := range opts {
		if headerKey(o.Key) == k || headerKey(o.Label) == k {
			return o.Key, true
		}
	}
	return "", false
}

func kindOf(v string) (contact.Kind, bool) {
	switch headerKey(v) {
	case "person", "individual", "contact", "people", "client":
		return contact.Person, true
	case "household", "family":
		return contact.Household, true
	case "company", "organization", "organisation", "business", "corporation", "org", "firm":
		return contact.Company, true
	case "trust":
		return contact.Trust, true
	case "joint", "jointaccount":
		return contact.Joint, true
	case "retirement", "retirementaccount", "ira", "401k":
		return contact.Retirement, true
	case "fund", "investmentvehicle", "fundinvestmentvehicle":
		return contact.Fund, true
	}
	return "", false
}

// headerKey folds a header or value for matching: lower case, letters and
// digits only.
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var dateLayouts = []string{"2006-01-02", "2006/01/02", "2006-01-02 15:04:05", "2006-01-02T15:04:05Z07:00",
	"20060102", "2 January 2006", "2 Jan 2006", "January 2, 2006", "Jan 2, 2006", "January 2 2006", "Jan 2 2006",
	"02-Jan-2006", "2-Jan-2006", "02-Jan-06"}

// parseDate reads the date formats CRMs and spreadsheets write. Slashed
// dates are month first (US) unless the first number is above 12; dotted
// dates are day first.
func parseDate(v string) (string, error) {
	v = strings.TrimSpace(v)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.Format(time.DateOnly), nil
		}
	}
	if d, _, ok := strings.Cut(v, " "); ok && strings.Contains(d, "/") {
		v = d // 03/07/1985 00:00:00
	}
	for _, sep := range []string{"/", ".", "-"} {
		parts := strings.Split(v, sep)
		if len(parts) != 3 {
			continue
		}
		var n [3]int
		ok := true
		for i, p := range parts {
			if _, err := fmt.Sscanf(p, "%d", &n[i]); err != nil || len(p) > 4 {
				ok = false
			}
		}
		if !ok || len(parts[2]) != 4 {
			continue
		}
		m, d := n[0], n[1]
		if sep == "." || (sep != "." && n[0] > 12) {
			m, d = n[1], n[0]
		}
		t := time.Date(n[2], time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d || int(t.Month()) != m {
			return "", fmt.Errorf("%q is not a date in the calendar", v)
		}
		return t.Format(time.DateOnly), nil
	}
	return "", fmt.Errorf("%q is not a date; use a date like 1985-03-07", v)
}

// restore undoes the formula neutralisation of Folio's own exports, so an
// export re-imports to the same values.
func restore(v string) string { return export.Restore(v) }
