package demo_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // time zones must load wherever the tests run

	"github.com/foliocrm/folio/internal/demo"
)

// The checks here are written independently of the generator's, so that a
// mistake in one is not mirrored in the other.

var (
	emailRe    = regexp.MustCompile(`^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$`)
	phoneRe    = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)
	swiftRe    = regexp.MustCompile(`^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$`)
	languageRe = regexp.MustCompile(`^[a-z]{2,3}(-[A-Z]{2})?$`)
	currencyRe = regexp.MustCompile(`^[A-Z]{3}$`)
)

var countries = set("US", "CA", "MX", "AR", "CO", "BR", "GB", "IE", "ES", "PT", "FR", "DE", "AT", "CH", "NL", "IT",
	"PL", "SE", "NO", "DK", "TR", "GR", "RU", "AU", "VN", "NG", "IN", "CN", "HK", "SG", "JP", "KR", "AE", "SA", "EG")

// ibanLengths are the IBAN lengths of the SWIFT IBAN registry.
var ibanLengths = map[string]int{
	"GB": 22, "IE": 22, "ES": 24, "PT": 25, "FR": 27, "DE": 22, "AT": 20, "CH": 21, "NL": 18, "IT": 27, "PL": 28,
	"SE": 24, "NO": 15, "DK": 18, "TR": 26, "GR": 27, "BR": 29, "AE": 23, "SA": 24, "EG": 29,
}

var (
	kinds = set(demo.KindPerson, demo.KindHousehold, demo.KindCompany, demo.KindTrust, demo.KindJoint,
		demo.KindRetirement, demo.KindFund)
	categories = set(demo.CategoryClient, demo.CategoryProspect, demo.CategoryFormerClient, demo.CategoryPersonal,
		demo.CategoryProfessional, demo.CategoryOther)
	personLinks = set(demo.LinkSpouse, demo.LinkParent, demo.LinkChild, demo.LinkEmployer, demo.LinkReferredBy)
	entityLinks = map[string]map[string]bool{
		demo.KindHousehold:  set(demo.LinkHouseholdMember),
		demo.KindJoint:      set(demo.LinkJointHolder),
		demo.KindTrust:      set(demo.LinkTrustee, demo.LinkBeneficiary),
		demo.KindCompany:    set(demo.LinkOwner, demo.LinkAuthorisedSigner, demo.LinkMember),
		demo.KindRetirement: set(demo.LinkOwner, demo.LinkBeneficiary),
		demo.KindFund:       set(demo.LinkAuthorisedSigner, demo.LinkMember),
	}
	enums = map[string]map[string]bool{
		"Employment":          set("employed", "self_employed", "retired", "student", "unemployed"),
		"IncomeSource":        set("salary", "business", "investments", "pension", "inheritance", "other"),
		"AnnualIncome":        set("0-50k", "50-100k", "100-250k", "250k-1m", "1m+"),
		"NetWorth":            set("0-100k", "100k-500k", "500k-1m", "1m-5m", "5m+"),
		"ExperienceYears":     set("none", "1-2", "3-5", "5+"),
		"TradesPerYear":       set("0", "1-10", "11-50", "50+"),
		"Qualification":       set("none", "relevant_degree", "professional_cert", "industry_experience"),
		"RiskTolerance":       set("low", "medium", "high"),
		"InvestmentObjective": set("preservation", "income", "growth", "speculation"),
		"TimeHorizon":         set("short", "medium", "long"),
	}
	marketSet     = set("equities", "bonds", "funds", "options", "futures", "forex", "crypto", "cfds")
	emailLabels   = set("work", "home", "other")
	phoneLabels   = set("mobile", "work", "home")
	addressLabels = set("home", "work", "mailing")
)

func set(xs ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func TestGenerator_contactsAreValid(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 20_000
	}
	contacts := generate(11, n)
	externalIDs := map[string]int{}
	for _, c := range contacts {
		errs := checkContact(c, contacts, externalIDs)
		for _, e := range errs {
			t.Errorf("contact %d (%s %q%q): %s", c.Seq(), c.Kind, c.First+" "+c.Last, c.EntityName, e)
		}
		if t.Failed() && len(errs) > 0 {
			return
		}
	}
}

// problems collects what is wrong with a contact.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

// checkContact returns what is wrong with c.
func checkContact(c demo.Contact, all []demo.Contact, externalIDs map[string]int) []string {
	var errs problems
	checkIdentity(&errs, c, externalIDs)
	checkProfile(&errs, c)
	checkReach(&errs, c)
	for _, b := range c.BankAccounts {
		errs = append(errs, checkBank(b)...)
	}
	errs = append(errs, checkLinks(c, all)...)
	if c.TaxID != "" && c.Kind == demo.KindPerson {
		if err := checkTaxID(c.TaxResidency, c.TaxID); err != "" {
			errs.add("tax ID %q of %s: %s", c.TaxID, c.TaxResidency, err)
		}
	}
	return errs
}

func checkIdentity(errs *problems, c demo.Contact, externalIDs map[string]int) {
	if !kinds[c.Kind] {
		errs.add("kind %q", c.Kind)
	}
	if !categories[c.Category] {
		errs.add("category %q", c.Category)
	}
	person := c.Kind == demo.KindPerson
	if person && (c.First == "" || c.Last == "" || c.EntityName != "") {
		errs.add("person named %q %q, entity name %q", c.First, c.Last, c.EntityName)
	}
	if !person && (c.EntityName == "" || c.First != "" || c.Last != "" || c.BirthDate != "") {
		errs.add("entity named %q, person fields %q %q %q", c.EntityName, c.First, c.Last, c.BirthDate)
	}
	if c.BirthDate != "" {
		d, err := time.Parse(time.DateOnly, c.BirthDate)
		if age := 2025 - d.Year(); err != nil || age < 18 || age > 95 {
			errs.add("birth date %q", c.BirthDate)
		}
	}
	if !languageRe.MatchString(c.Language) {
		errs.add("language %q", c.Language)
	}
	if !zoneLoads(c.TimeZone) {
		errs.add("time zone %q", c.TimeZone)
	}
	for _, code := range []string{c.Citizenship, c.TaxResidency} {
		if code != "" && !countries[code] {
			errs.add("country %q", code)
		}
	}
	if c.ExternalID != "" {
		if prev, ok := externalIDs[c.ExternalID]; ok {
			errs.add("external ID %q also on %d", c.ExternalID, prev)
		}
		externalIDs[c.ExternalID] = c.Seq()
	}
	for _, u := range []string{c.LinkedIn, c.Website} {
		if u != "" && (!strings.HasPrefix(u, "https://") || strings.ContainsAny(u, " @")) {
			errs.add("URL %q", u)
		}
	}
}

func checkProfile(errs *problems, c demo.Contact) {
	if !currencyRe.MatchString(c.Currency) || c.InvestedMinor < 0 {
		errs.add("money %d %q", c.InvestedMinor, c.Currency)
	}
	for field, allowed := range enums {
		if v := fieldValue(c, field); v != "" && !allowed[v] {
			errs.add("%s %q", field, v)
		}
	}
	if len(c.MarketsTraded) > len(marketSet) || hasDuplicates(c.MarketsTraded) {
		errs.add("markets %v", c.MarketsTraded)
	}
	for _, m := range c.MarketsTraded {
		if !marketSet[m] {
			errs.add("market %q", m)
		}
	}
	if len(c.Tags) > 3 || hasDuplicates(c.Tags) || slices.Contains(c.Tags, "") {
		errs.add("tags %v", c.Tags)
	}
}

func checkReach(errs *problems, c demo.Contact) {
	if len(c.Emails) > 3 || len(c.Phones) > 2 || len(c.Addresses) > 2 {
		errs.add("%d e-mail addresses, %d phones, %d addresses", len(c.Emails), len(c.Phones), len(c.Addresses))
	}
	var addrs, labels []string
	for i, e := range c.Emails {
		if strings.Count(e.Address, "@") != 1 || !emailRe.MatchString(e.Address) {
			errs.add("e-mail %q", e.Address)
		}
		if e.Primary != (i == 0) || !emailLabels[e.Label] {
			errs.add("e-mail %d labelled %q, primary %v", i, e.Label, e.Primary)
		}
		addrs = append(addrs, e.Address)
	}
	if hasDuplicates(addrs) {
		errs.add("repeated e-mail addresses %v", addrs)
	}
	for i, p := range c.Phones {
		if !phoneRe.MatchString(p.Number) {
			errs.add("phone %q", p.Number)
		}
		if p.Primary != (i == 0) || !phoneLabels[p.Label] {
			errs.add("phone %d labelled %q, primary %v", i, p.Label, p.Primary)
		}
		labels = append(labels, p.Label)
	}
	if hasDuplicates(labels) {
		errs.add("repeated phone labels %v", labels)
	}
	for i, a := range c.Addresses {
		if a.Line1 == "" || a.City == "" || !countries[a.Country] || a.Primary != (i == 0) || !addressLabels[a.Label] {
			errs.add("address %d %+v", i, a)
		}
	}
}

var zones = map[string]bool{}

// zoneLoads reports whether name is an IANA zone other than UTC; results are
// cached, as loading is slow.
func zoneLoads(name string) bool {
	ok, seen := zones[name]
	if !seen {
		_, err := time.LoadLocation(name)
		ok = err == nil && name != "" && name != "UTC" && name != "Local"
		zones[name] = ok
	}
	return ok
}

func checkBank(b demo.BankAccount) problems {
	var errs problems
	fail := errs.add
	if b.BankName == "" || b.Holder == "" || !currencyRe.MatchString(b.Currency) {
		fail("bank account %+v", b)
	}
	if !swiftRe.MatchString(b.SWIFT) {
		fail("SWIFT %q", b.SWIFT)
	}
	switch {
	case b.IBAN != "":
		cc := b.IBAN[:2]
		if want, ok := ibanLengths[cc]; !ok || len(b.IBAN) != want {
			fail("IBAN %q has length %d, want %d", b.IBAN, len(b.IBAN), ibanLengths[cc])
		}
		if !ibanValid(b.IBAN) {
			fail("IBAN %q fails mod 97", b.IBAN)
		}
		if b.SWIFT[4:6] != cc {
			fail("SWIFT %q for IBAN %q", b.SWIFT, b.IBAN)
		}
		if b.AccountNumber != "" {
			fail("IBAN %q with account number %q", b.IBAN, b.AccountNumber)
		}
	case b.AccountNumber == "":
		fail("bank account without number %+v", b)
	case b.SWIFT[4:6] == "US":
		if !abaValid(b.RoutingNumber) {
			fail("ABA routing number %q", b.RoutingNumber)
		}
	case b.SWIFT[4:6] == "MX":
		if !weightedMod10(b.AccountNumber, []int{3, 7, 1}) || len(b.AccountNumber) != 18 {
			fail("CLABE %q", b.AccountNumber)
		}
	case b.SWIFT[4:6] == "AR":
		if len(b.AccountNumber) != 22 || !weightedMod10(b.AccountNumber[:8], []int{7, 1, 3, 9, 7, 1, 3, 1}) ||
			!weightedMod10(b.AccountNumber[8:], []int{3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3, 1}) {
			fail("CBU %q", b.AccountNumber)
		}
	}
	return errs
}

// weightedMod10 reports whether the digits times the repeated weights, each
// product taken mod 10, sum to a multiple of ten.
func weightedMod10(s string, w []int) bool {
	sum := 0
	for i, c := range s {
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * w[i%len(w)] % 10
	}
	return sum%10 == 0
}

func ibanValid(s string) bool {
	r := 0
	for _, c := range s[4:] + s[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = (r*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			r = (r*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return r == 1
}

func abaValid(s string) bool {
	if len(s) != 9 {
		return false
	}
	d := make([]int, 9)
	for i, c := range s {
		if c < '0' || c > '9' {
			return false
		}
		d[i] = int(c - '0')
	}
	return (3*(d[0]+d[3]+d[6])+7*(d[1]+d[4]+d[7])+d[2]+d[5]+d[8])%10 == 0
}

func checkLinks(c demo.Contact, all []demo.Contact) problems {
	var errs problems
	fail := errs.add
	count := map[string]int{}
	var targets []int
	for _, l := range c.Links {
		if l.To < 0 || l.To >= c.Seq() {
			fail("link to %d, not an earlier contact", l.To)
			continue
		}
		to := all[l.To]
		allowed := personLinks
		if c.Kind != demo.KindPerson {
			allowed = entityLinks[c.Kind]
		}
		if !allowed[l.Kind] {
			fail("%s link on a %s", l.Kind, c.Kind)
		}
		wantKind := demo.KindPerson
		if l.Kind == demo.LinkEmployer {
			wantKind = demo.KindCompany
		}
		if to.Kind != wantKind {
			fail("%s link to %d, a %s", l.Kind, l.To, to.Kind)
		}
		count[l.Kind]++
		targets = append(targets, l.To)
	}
	slices.Sort(targets)
	if len(slices.Compact(targets)) != len(targets) {
		fail("links to the same contact twice: %v", c.Links)
	}
	switch c.Kind {
	case demo.KindJoint:
		if count[demo.LinkJointHolder] != 2 || len(c.Links) != 2 {
			fail("joint account links %v", c.Links)
		}
	case demo.KindHousehold:
		if n := count[demo.LinkHouseholdMember]; n < 2 || n > 4 {
			fail("household links %v", c.Links)
		}
	case demo.KindTrust:
		if count[demo.LinkTrustee] < 1 || count[demo.LinkBeneficiary] < 1 {
			fail("trust links %v", c.Links)
		}
	case demo.KindCompany, demo.KindRetirement:
		if count[demo.LinkOwner] != 1 {
			fail("%s links %v", c.Kind, c.Links)
		}
	case demo.KindFund:
		if count[demo.LinkAuthorisedSigner] != 1 {
			fail("fund links %v", c.Links)
		}
	case demo.KindPerson:
		if count[demo.LinkSpouse] > 1 || count[demo.LinkParent] > 2 || count[demo.LinkEmployer] > 1 {
			fail("person links %v", c.Links)
		}
	}
	return errs
}

func hasDuplicates(xs []string) bool {
	seen := map[string]bool{}
	for _, x := range xs {
		if seen[x] {
			return true
		}
		seen[x] = true
	}
	return false
}

func fieldValue(c demo.Contact, field string) string {
	switch field {
	case "Employment":
		return c.Employment
	case "IncomeSource":
		return c.IncomeSource
	case "AnnualIncome":
		return c.AnnualIncome
	case "NetWorth":
		return c.NetWorth
	case "ExperienceYears":
		return c.ExperienceYears
	case "TradesPerYear":
		return c.TradesPerYear
	case "Qualification":
		return c.Qualification
	case "RiskTolerance":
		return c.RiskTolerance
	case "InvestmentObjective":
		return c.InvestmentObjective
	case "TimeHorizon":
		return c.TimeHorizon
	}
	panic(field)
}
