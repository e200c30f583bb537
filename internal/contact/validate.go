package contact

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
	"golang.org/x/text/language"
)

// Limits on list sizes and text lengths, named in the messages users see.
const (
	maxName      = 100
	maxEntity    = 200
	maxShort     = 100
	maxLine      = 200
	maxPerList   = 20
	maxExternal  = 100
	maxTagLength = 50
)

// normalise validates c and rewrites its values to their canonical forms
// (E.164 phones, compact IBANs, https URLs…). Field errors are keyed by the
// form field names.
func normalise(c *Contact, now time.Time) error {
	v := errs.Collector{}
	// On error the lists go back as submitted, so that error keys like
	// "emails.2" still point at the row the user typed and nothing is lost.
	origEmails, origPhones, origAddrs := slices.Clone(c.Emails), slices.Clone(c.Phones), slices.Clone(c.Addresses)
	origIDs, origBanks := slices.Clone(c.Identifiers), slices.Clone(c.BankAccounts)
	defer func() {
		if len(v) > 0 {
			c.Emails, c.Phones, c.Addresses, c.Identifiers, c.BankAccounts = origEmails, origPhones, origAddrs, origIDs, origBanks
		}
	}()
	line := func(field, label string, p *string, max int) {
		s, err := norm.Line(label, *p, max)
		if err != nil {
			v.Add(field, err.Error())
			return
		}
		*p = s
	}
	// canon rewrites a filled value to its canonical form, or records why
	// it has none.
	canon := func(field string, p *string, fn func(string) (string, error)) {
		if *p == "" {
			return
		}
		s, err := fn(*p)
		if err != nil {
			v.Add(field, err.Error())
			return
		}
		*p = s
	}
	option := func(field string, opts []Option, p *string) {
		*p = strings.TrimSpace(*p)
		if !validOption(opts, *p) {
			v.Add(field, fmt.Sprintf("choose one of the listed answers (%q is not one)", *p))
		}
	}
	if !c.Kind.Valid() {
		v.Add("kind", "choose whether this is a person or which kind of entity")
	}
	line("prefix", "Prefix", &c.Prefix, 20)
	line("first_name", "First name", &c.FirstName, maxName)
	line("middle_name", "Middle name", &c.MiddleName, maxName)
	line("last_name", "Last name", &c.LastName, maxName)
	line("suffix", "Suffix", &c.Suffix, 20)
	line("nickname", "Nickname", &c.Nickname, maxName)
	line("entity_name", "Name", &c.EntityName, maxEntity)
	if c.Kind == Person {
		c.EntityName = ""
		if c.FirstName == "" && c.LastName == "" {
			v.Add("last_name", "enter a first or last name")
		}
	} else if c.Kind.Valid() {
		c.Prefix, c.FirstName, c.MiddleName, c.LastName, c.Suffix, c.Nickname = "", "", "", "", "", ""
		if c.EntityName == "" {
			v.Add("entity_name", "enter the name of the "+strings.ToLower(c.Kind.Label()))
		}
	}
	if c.Kind == Joint {
		switch {
		case c.JointA == 0 || c.JointB == 0:
			v.Add("joint", "a joint account names exactly two persons: choose both")
		case c.JointA == c.JointB:
			v.Add("joint", "a joint account names two different persons: the same person cannot hold it twice")
		}
	} else {
		c.JointA, c.JointB = 0, 0
	}
	if c.Stage == "" {
		c.Stage = DefaultStage
	}
	option("stage", Stages, &c.Stage)
	line("external_id", "External ID", &c.ExternalID, maxExternal)
	c.Language = strings.TrimSpace(c.Language)
	if c.Language != "" {
		tag, err := language.Parse(c.Language)
		if err != nil || len(c.Language) > 35 {
			v.Add("language", "use a language code like en, de or pt-BR")
		} else {
			c.Language = tag.String()
		}
	}
	c.TimeZone = strings.TrimSpace(c.TimeZone)
	if c.TimeZone != "" {
		if _, err := time.LoadLocation(c.TimeZone); err != nil || strings.Contains(c.TimeZone, "..") {
			v.Add("time_zone", "use a time zone name like Europe/London or America/New_York")
		}
	}
	if c.BirthDate = strings.TrimSpace(c.BirthDate); c.BirthDate != "" {
		if c.Kind.IsEntity() {
			v.Add("birth_date", "only persons have a date of birth")
		} else if d, err := norm.BirthDate(c.BirthDate, now); err != nil {
			v.Add("birth_date", err.Error())
		} else {
			c.BirthDate = d
		}
	}
	country := func(field string, p *string) {
		*p = strings.TrimSpace(*p)
		canon(field, p, norm.Country)
	}
	country("citizenship", &c.Citizenship)
	country("tax_residency", &c.TaxResidency)
	option("employment", Employments, &c.Employment)
	line("employer", "Employer", &c.Employer, maxShort)
	line("occupation", "Occupation", &c.Occupation, maxShort)
	option("income_source", IncomeSources, &c.IncomeSource)
	option("annual_income", IncomeRanges, &c.AnnualIncome)
	option("net_worth", NetWorthRanges, &c.NetWorth)
	// Markets in the list's order, so an unchanged form logs no change.
	var markets []string
	for _, m := range c.MarketsTraded {
		if m = strings.TrimSpace(m); m != "" && !validOption(Markets, m) {
			v.Add("markets_traded", fmt.Sprintf("choose markets from the list (%q is not one)", m))
		}
	}
	for _, o := range Markets {
		for _, m := range c.MarketsTraded {
			if strings.TrimSpace(m) == o.Key {
				markets = append(markets, o.Key)
				break
			}
		}
	}
	c.MarketsTraded = markets
	option("experience_years", ExperienceYears, &c.ExperienceYears)
	option("trades_per_year", TradesPerYear, &c.TradesPerYear)
	option("qualification", Qualifications, &c.Qualification)
	option("risk_tolerance", RiskTolerances, &c.RiskTolerance)
	option("investment_objective", Objectives, &c.InvestmentObjective)
	option("time_horizon", TimeHorizons, &c.TimeHorizon)
	social := func(field, kind string, p *string) {
		*p = strings.TrimSpace(*p)
		canon(field, p, func(s string) (string, error) { return norm.SocialURL(kind, s) })
	}
	social("linkedin", "linkedin", &c.LinkedIn)
	social("x_url", "x", &c.XURL)
	social("facebook", "facebook", &c.Facebook)
	social("website", "website", &c.Website)
	if c.InvestedMinor < 0 {
		v.Add("invested", "the invested amount cannot be negative")
	}
	if c.Currency = strings.ToUpper(strings.TrimSpace(c.Currency)); c.Currency == "" {
		c.Currency = "USD"
	} else if cur, err := norm.Currency(c.Currency); err != nil {
		v.Add("currency", err.Error())
	} else {
		c.Currency = cur
	}

	// Emails, phones, addresses: drop blank rows, validate the rest, and
	// make exactly one of each primary.
	emails := c.Emails[:0:0]
	seen := map[string]bool{}
	for i, e := range c.Emails {
		if strings.TrimSpace(e.Address) == "" {
			continue
		}
		f := fmt.Sprintf("emails.%d", i)
		addr, err := norm.Email(e.Address)
		if err != nil {
			v.Add(f, err.Error())
			continue
		}
		if seen[norm.EmailKey(addr)] {
			v.Add(f, "this address is listed twice")
			continue
		}
		seen[norm.EmailKey(addr)] = true
		e.Address = addr
		if e.Label == "" {
			e.Label = "other"
		}
		if !validOption(EmailLabels, e.Label) {
			v.Add(f, "choose a label from the list")
		}
		emails = append(emails, e)
	}
	if len(emails) > maxPerList {
		v.Add("emails", fmt.Sprintf("at most %d email addresses", maxPerList))
	}
	c.Emails = emails
	onePrimary(len(c.Emails), func(i int) *bool { return &c.Emails[i].Primary })

	region := "US"
	for _, a := range c.Addresses {
		if code, err := norm.Country(a.Country); err == nil {
			region = code
			break
		}
	}
	phones := c.Phones[:0:0]
	seenPhone := map[string]bool{}
	for i, p := range c.Phones {
		if strings.TrimSpace(p.Number) == "" {
			continue
		}
		f := fmt.Sprintf("phones.%d", i)
		num, err := norm.Phone(p.Number, region)
		if err != nil {
			v.Add(f, err.Error())
			continue
		}
		if seenPhone[num] {
			v.Add(f, "this number is listed twice")
			continue
		}
		seenPhone[num] = true
		p.Number = num
		if p.Label == "" {
			p.Label = "mobile"
		}
		if !validOption(PhoneLabels, p.Label) {
			v.Add(f, "choose a label from the list")
		}
		phones = append(phones, p)
	}
	if len(phones) > maxPerList {
		v.Add("phones", fmt.Sprintf("at most %d phone numbers", maxPerList))
	}
	c.Phones = phones
	onePrimary(len(c.Phones), func(i int) *bool { return &c.Phones[i].Primary })

	addrs := c.Addresses[:0:0]
	for i, a := range c.Addresses {
		if strings.TrimSpace(a.Line1+a.Line2+a.City+a.Region+a.PostalCode+a.Country) == "" {
			continue
		}
		f := fmt.Sprintf("addresses.%d", i)
		for _, p := range []struct {
			label string
			v     *string
			max   int
		}{{"Street", &a.Line1, maxLine}, {"Street line 2", &a.Line2, maxLine}, {"City", &a.City, maxShort},
			{"Region", &a.Region, maxShort}, {"Postal code", &a.PostalCode, 20}} {
			s, err := norm.Line(p.label, *p.v, p.max)
			if err != nil {
				v.Add(f, err.Error())
				continue
			}
			*p.v = s
		}
		canon(f, &a.Country, norm.Country)
		if a.Label == "" {
			a.Label = "home"
		}
		if !validOption(AddressLabels, a.Label) {
			v.Add(f, "choose a label from the list")
		}
		addrs = append(addrs, a)
	}
	if len(addrs) > maxPerList {
		v.Add("addresses", fmt.Sprintf("at most %d addresses", maxPerList))
	}
	c.Addresses = addrs
	onePrimary(len(c.Addresses), func(i int) *bool { return &c.Addresses[i].Primary })

	ids := c.Identifiers[:0:0]
	for i, id := range c.Identifiers {
		f := fmt.Sprintf("identifiers.%d", i)
		if id.ID == 0 && strings.TrimSpace(id.Number) == "" {
			continue // a blank new row
		}
		if !validOption(IdentifierKinds, id.Kind) || id.Kind == "" {
			v.Add(f, "choose what kind of number this is")
		}
		if id.Number != "" || id.ID == 0 {
			if n, err := norm.Line("Number", id.Number, 50); err != nil {
				v.Add(f, err.Error())
			} else if identifierKey(n) == "" {
				v.Add(f, "enter the number")
			} else {
				id.Number = n
			}
		}
		canon(f, &id.Country, norm.Country)
		id.ExpiresOn = strings.TrimSpace(id.ExpiresOn)
		canon(f, &id.ExpiresOn, norm.Date)
		ids = append(ids, id)
	}
	c.Identifiers = ids

	banks := c.BankAccounts[:0:0]
	for i, b := range c.BankAccounts {
		f := fmt.Sprintf("bank_accounts.%d", i)
		if b.ID == 0 && strings.TrimSpace(b.BankName+b.Holder+b.IBAN+b.AccountNumber+b.RoutingNumber+b.BIC) == "" {
			continue
		}
		for _, p := range []struct {
			label string
			v     *string
		}{{"Bank", &b.BankName}, {"Holder", &b.Holder}} {
			if s, err := norm.Line(p.label, *p.v, maxShort); err != nil {
				v.Add(f, err.Error())
			} else {
				*p.v = s
			}
		}
		canon(f, &b.IBAN, norm.IBAN)
		if b.AccountNumber != "" {
			n := strings.ToUpper(strings.Join(strings.Fields(strings.ReplaceAll(b.AccountNumber, "-", " ")), ""))
			if len(n) < 4 || len(n) > 34 || strings.Trim(n, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
				v.Add(f, "an account number has 4 to 34 letters and digits")
			}
			b.AccountNumber = n
		}
		if b.ID == 0 && b.IBAN == "" && b.AccountNumber == "" {
			v.Add(f, "enter an IBAN or an account number")
		}
		if b.RoutingNumber = strings.TrimSpace(b.RoutingNumber); b.RoutingNumber != "" && !validRouting(b.RoutingNumber) {
			v.Add(f, "a routing (ABA) number has nine digits with a valid check digit")
		}
		canon(f, &b.BIC, norm.BIC)
		canon(f, &b.Currency, norm.Currency)
		banks = append(banks, b)
	}
	if len(banks) > maxPerList {
		v.Add("bank_accounts", fmt.Sprintf("at most %d bank accounts", maxPerList))
	}
	c.BankAccounts = banks
	return v.Err()
}

// onePrimary makes exactly one of n items primary: the first marked one, or
// the first.
func onePrimary(n int, at func(int) *bool) {
	found := false
	for i := range n {
		p := at(i)
		if *p && !found {
			found = true
			continue
		}
		*p = false
	}
	if !found && n > 0 {
		*at(0) = true
	}
}

// identifierKey is the normalised form of an ID number that its keyed hash
// is taken over: letters and digits only, upper case.
func identifierKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// validRouting checks a US ABA routing number's check digit.
func validRouting(s string) bool {
	if len(s) != 9 {
		return false
	}
	w := [9]int{3, 7, 1, 3, 7, 1, 3, 7, 1}
	sum := 0
	for i, r := range s {
		if r < '0' || r > '9' {
			return false
		}
		sum += int(r-'0') * w[i]
	}
	return sum%10 == 0
}
