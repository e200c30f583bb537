// Package contact owns Folio's contacts: persons and entities (households,
// companies, trusts, joint, retirement and fund accounts), their emails,
// phones and addresses, KYC profile, encrypted identifiers and bank
// accounts, documents, tags, groups, segments and relationships; the edit
// lease and version check that keep two editors from losing each other's
// work; the search index behind search-as-you-type; duplicates and merge;
// trash, restore and erasure.
package contact

import (
	"slices"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/auth"
)

// Kind is what a contact is: a person or one of the entity kinds.
type Kind string

const (
	Person     Kind = "person"
	Household  Kind = "household"
	Company    Kind = "company"
	Trust      Kind = "trust"
	Joint      Kind = "joint"
	Retirement Kind = "retirement"
	Fund       Kind = "fund"
)

// Kinds lists every kind, persons first.
var Kinds = []Kind{Person, Household, Company, Trust, Joint, Retirement, Fund}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// IsEntity reports whether k is not a person.
func (k Kind) IsEntity() bool { return k != Person }

// Label is the kind's name shown to users.
func (k Kind) Label() string {
	switch k {
	case Person:
		return "Person"
	case Household:
		return "Household"
	case Company:
		return "Company"
	case Trust:
		return "Trust"
	case Joint:
		return "Joint account"
	case Retirement:
		return "Retirement account"
	case Fund:
		return "Fund / investment vehicle"
	}
	return string(k)
}

// Stage is the onboarding stage. Its transitions come with the portal;
// contacts start "Not Invited".
type Stage string

// Stages in onboarding order.
var Stages = []Option{
	{"not_invited", "Not Invited"},
	{"invited", "Invited"},
	{"registered", "Registered"},
	{"application_started", "Application Started"},
	{"application_submitted", "Application Submitted"},
	{"approved", "Approved"},
	{"rejected", "Rejected"},
	{"funded", "Funded"},
}

// DefaultStage is where every new contact starts.
const DefaultStage = "not_invited"

// Option is one answer of a fixed list: the stored key and its label.
type Option struct {
	Key   string
	Label string
}

// Options are the fixed answer lists of the profile sections.
var (
	EmailLabels     = []Option{{"work", "Work"}, {"home", "Home"}, {"other", "Other"}}
	PhoneLabels     = []Option{{"mobile", "Mobile"}, {"work", "Work"}, {"home", "Home"}, {"fax", "Fax"}, {"other", "Other"}}
	AddressLabels   = []Option{{"home", "Home"}, {"work", "Work"}, {"mailing", "Mailing"}, {"other", "Other"}}
	Employments     = []Option{{"employed", "Employed"}, {"self_employed", "Self-employed"}, {"retired", "Retired"}, {"student", "Student"}, {"unemployed", "Not employed"}}
	IncomeSources   = []Option{{"salary", "Salary"}, {"business", "Business income"}, {"investments", "Investments"}, {"pension", "Pension"}, {"inheritance", "Inheritance"}, {"other", "Other"}}
	IncomeRanges    = []Option{{"0-50k", "Under 50,000"}, {"50-100k", "50,000 – 100,000"}, {"100-250k", "100,000 – 250,000"}, {"250k-1m", "250,000 – 1 million"}, {"1m+", "Over 1 million"}}
	NetWorthRanges  = []Option{{"0-100k", "Under 100,000"}, {"100k-500k", "100,000 – 500,000"}, {"500k-1m", "500,000 – 1 million"}, {"1m-5m", "1 – 5 million"}, {"5m+", "Over 5 million"}}
	Markets         = []Option{{"equities", "Equities"}, {"bonds", "Bonds"}, {"funds", "Funds / ETFs"}, {"options", "Options"}, {"futures", "Futures"}, {"forex", "Forex"}, {"crypto", "Crypto-assets"}, {"cfds", "CFDs"}}
	ExperienceYears = []Option{{"none", "None"}, {"1-2", "1–2 years"}, {"3-5", "3–5 years"}, {"5+", "More than 5 years"}}
	TradesPerYear   = []Option{{"0", "None"}, {"1-10", "1–10"}, {"11-50", "11–50"}, {"50+", "More than 50"}}
	Qualifications  = []Option{{"none", "None"}, {"relevant_degree", "Relevant degree"}, {"professional_cert", "Professional certification"}, {"industry_experience", "Work experience in finance"}}
	RiskTolerances  = []Option{{"low", "Low"}, {"medium", "Medium"}, {"high", "High"}}
	Objectives      = []Option{{"preservation", "Capital preservation"}, {"income", "Income"}, {"growth", "Growth"}, {"speculation", "Speculation"}}
	TimeHorizons    = []Option{{"short", "Under 3 years"}, {"medium", "3–10 years"}, {"long", "Over 10 years"}}
	IdentifierKinds = []Option{{"tax_id", "Tax ID"}, {"national_id", "National ID"}, {"passport", "Passport"}, {"drivers_licence", "Driver's licence"}, {"other", "Other ID"}}
	DocumentKinds   = []Option{{"passport", "Passport"}, {"national_id", "National ID"}, {"proof_of_address", "Proof of address"}, {"other", "Other"}}
)

// LabelOf returns the label of key in opts, or key itself.
func LabelOf(opts []Option, key string) string {
	for _, o := range opts {
		if o.Key == key {
			return o.Label
		}
	}
	return key
}

func validOption(opts []Option, key string) bool {
	if key == "" {
		return true
	}
	for _, o := range opts {
		if o.Key == key {
			return true
		}
	}
	return false
}

// Contact is one record with its general, personal, financial, experience
// and social sections and its emails, phones, addresses, identifiers and
// bank accounts. Relationships, documents, tags and groups are read with
// their own methods.
type Contact struct {
	ID   int64
	Kind Kind

	Prefix, FirstName, MiddleName, LastName, Suffix, Nickname string
	EntityName                                                string
	// JointA and JointB are the two persons of a joint account.
	JointA, JointB int64

	CategoryID int64
	Stage      string
	OwnerID    int64
	ExternalID string
	Language   string
	TimeZone   string

	BirthDate   string // YYYY-MM-DD
	Citizenship string // ISO 3166 alpha-2

	Employment, Employer, Occupation, IncomeSource, AnnualIncome, NetWorth, TaxResidency string

	MarketsTraded                                   []string
	ExperienceYears, TradesPerYear, Qualification   string
	RiskTolerance, InvestmentObjective, TimeHorizon string

	LinkedIn, XURL, Facebook, Website string

	// InvestedMinor is the invested amount in minor units of Currency; the
	// ledger replaces it as the source of direct investments later.
	InvestedMinor int64
	Currency      string

	Emails       []Email
	Phones       []Phone
	Addresses    []Address
	Identifiers  []Identifier
	BankAccounts []BankAccount
	Tags         []string // read-only here; changed with SetTags

	// Computed and stored by the store.
	DisplayName                      string
	PrimaryEmail, PrimaryPhone, City string
	Completeness                     int
	Version                          int
	CreatedAt, UpdatedAt             time.Time
	LastActivityAt                   time.Time
	LastEmailedAt                    *time.Time
	DeletedAt, ErasedAt              *time.Time
	MergedInto                       int64

	// Filled by Get for display.
	OwnerName, CategoryName string
	Missing                 []string // what profile completeness still lacks
	DirectInvested          int64    // what the contact holds itself
	RelationshipValue       int64    // direct plus linked entities', each once, in Currency
	// RelationshipValueOther is what linked entities hold in other
	// currencies, one sum per currency, by code: Folio converts no money.
	RelationshipValueOther []Amount
}

// Amount is a sum of money in minor units of an ISO 4217 currency.
type Amount struct {
	Currency string
	Minor    int64
}

// Email is one email address of a contact.
type Email struct {
	ID      int64
	Label   string
	Address string
	Primary bool
}

// Phone is one phone number in E.164.
type Phone struct {
	ID      int64
	Label   string
	Number  string
	Primary bool
}

// Address is one postal address.
type Address struct {
	ID                                     int64
	Label                                  string
	Line1, Line2, City, Region, PostalCode string
	Country                                string // ISO 3166 alpha-2
	Primary                                bool
}

// OneLine is the address on a single line.
func (a Address) OneLine() string {
	var parts []string
	for _, p := range []string{a.Line1, a.Line2, strings.TrimSpace(a.PostalCode + " " + a.City), a.Region, a.Country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// Identifier is a tax ID, national ID, passport or other number. Number is
// set only when it was revealed (or on input); Last4 always.
type Identifier struct {
	ID        int64
	Kind      string
	Country   string
	Number    string // clear text: input, or after Reveal
	Last4     string
	ExpiresOn string
}

// Masked is the number as everyone may see it.
func (i Identifier) Masked() string { return mask4(i.Last4) }

// BankAccount is one account for payments. IBAN and AccountNumber are clear
// only on input or after Reveal.
type BankAccount struct {
	ID            int64
	BankName      string
	Holder        string
	IBAN          string
	IBANLast4     string
	AccountNumber string
	AccountLast4  string
	RoutingNumber string
	BIC           string
	Currency      string
}

// MaskedIBAN is the IBAN as everyone may see it.
func (b BankAccount) MaskedIBAN() string { return mask4(b.IBANLast4) }

// MaskedAccount is the account number as everyone may see it.
func (b BankAccount) MaskedAccount() string { return mask4(b.AccountLast4) }

func mask4(last4 string) string {
	if last4 == "" {
		return ""
	}
	return "••••" + last4
}

func last4(v string) string {
	r := []rune(v)
	if len(r) <= 4 {
		return "" // too short to show any of it
	}
	return string(r[len(r)-4:])
}

// Name is the contact's display name.
func (c *Contact) Name() string {
	if c.DisplayName != "" {
		return c.DisplayName
	}
	return displayName(c)
}

func displayName(c *Contact) string {
	if c.Kind.IsEntity() {
		return c.EntityName
	}
	var parts []string
	for _, p := range []string{c.Prefix, c.FirstName, c.MiddleName, c.LastName, c.Suffix} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// ViewerFor is the viewer a staff user acts as.
func ViewerFor(u *auth.User) Viewer {
	admin := u.Role == auth.RoleOwner || u.Role == auth.RoleAdmin
	return Viewer{
		UserID: u.ID, Name: u.Name, Admin: admin, OwnOnly: u.OwnContactsOnly && !admin,
		Sensitive: u.Can(auth.PermSensitive), ReadOnly: !u.Can(auth.PermWrite), Export: u.Can(auth.PermExport),
	}
}
