// Package demo generates the demo contacts behind `folio demo --contacts N
// --seed S`: people from many cultures, scripts and countries, born into
// small families that share surnames and homes, and the households, joint
// accounts, trusts, companies, retirement accounts and funds built from
// them. Each contact carries as much as an advisory CRM would hold about it,
// from a bare name and one e-mail address to a complete know-your-customer
// profile, and its phone numbers, IBANs, routing numbers and tax identifiers
// pass their countries' checks.
//
// The package owns generation only. It imports no other folio package and
// returns plain Contact values for the caller to convert and store. The same
// seed always yields the same sequence, so a demo database can be rebuilt
// exactly and a bug report can name the seed that shows the bug.
package demo

// Contact kinds: a person, or one of the entities built from earlier persons.
const (
	KindPerson     = "person"
	KindHousehold  = "household"
	KindCompany    = "company"
	KindTrust      = "trust"
	KindJoint      = "joint"      // a joint account of exactly two persons
	KindRetirement = "retirement" // an IRA, SIPP, RRSP, super fund…
	KindFund       = "fund"
)

// Link kinds. A Link{To: i, Kind: k} on contact c reads "contact i is c's k":
// on a trust, {To: 7, Kind: LinkTrustee} says contact 7 is its trustee; on a
// person, {To: 3, Kind: LinkParent} says contact 3 is that person's parent.
const (
	LinkSpouse           = "spouse"
	LinkParent           = "parent"
	LinkChild            = "child"
	LinkHouseholdMember  = "household_member"
	LinkEmployer         = "employer"
	LinkReferredBy       = "referred_by"
	LinkJointHolder      = "joint_holder"
	LinkTrustee          = "trustee"
	LinkBeneficiary      = "beneficiary"
	LinkOwner            = "owner"
	LinkMember           = "member" // staff of a company, partner of a fund
	LinkAuthorisedSigner = "authorised_signer"
)

// Categories, with their share of generated contacts.
const (
	CategoryClient       = "client"        // 40%
	CategoryProspect     = "prospect"      // 30%
	CategoryFormerClient = "former_client" // 8%
	CategoryPersonal     = "personal"      // 5%
	CategoryProfessional = "professional"  // 12%: accountants, attorneys, brokers
	CategoryOther        = "other"         // 5%
)

// Contact is one generated contact. Person-only fields are empty on entities
// and EntityName is empty on persons. Enumerated fields hold one of the codes
// listed beside them, or "" where the demo leaves that part of the profile
// unfilled: completeness deliberately ranges from a name and an e-mail
// address to every field.
type Contact struct {
	seq int

	Kind string // KindPerson or an entity kind

	// Names of a person, in the script the person writes them in (Han,
	// Cyrillic, Arabic… for some; Latin for most).
	Prefix, First, Middle, Last, Suffix, Nickname string
	// EntityName names an entity: "The Okafor Household", "Smith Family
	// Trust", "Northbridge Growth Fund LP".
	EntityName string

	Emails    []Email   // 0–3, the first primary
	Phones    []Phone   // 0–2, the first primary
	Addresses []Address // 0–2, the first primary

	BirthDate   string // "YYYY-MM-DD", persons only; aged 18–95 at the end of 2025
	Language    string // BCP 47: "en-US", "de", "pt-BR"
	TimeZone    string // IANA, of the home city
	Citizenship string // ISO 3166-1 alpha-2

	Category   string   // Category…
	Tags       []string // 0–3: "vip", "retiree", "esg"…
	OwnerIndex int      // the advisor, 0 … owners-1, see Generator.SetOwners
	ExternalID string   // the contact's ID in the CRM it came from; unique
	TaxID      string   // tax or social-security number issued by TaxResidency
	NationalID string   // passport number issued by Citizenship

	Employment   string // employed, self_employed, retired, student, unemployed
	Employer     string
	Occupation   string
	IncomeSource string // salary, business, investments, pension, inheritance, other
	AnnualIncome string // 0-50k, 50-100k, 100-250k, 250k-1m, 1m+ (USD equivalent)
	NetWorth     string // 0-100k, 100k-500k, 500k-1m, 1m-5m, 5m+ (USD equivalent)
	TaxResidency string // ISO 3166-1 alpha-2

	MarketsTraded       []string // equities, bonds, funds, options, futures, forex, crypto, cfds
	ExperienceYears     string   // none, 1-2, 3-5, 5+
	TradesPerYear       string   // 0, 1-10, 11-50, 50+
	Qualification       string   // none, relevant_degree, professional_cert, industry_experience
	RiskTolerance       string   // low, medium, high
	InvestmentObjective string   // preservation, income, growth, speculation
	TimeHorizon         string   // short, medium, long

	BankAccounts  []BankAccount // 0–2
	InvestedMinor int64         // assets invested with the firm, in minor units of Currency
	Currency      string        // ISO 4217

	LinkedIn, Website string // absolute https URLs

	// Links tie the contact to earlier contacts only, so a caller storing
	// contacts in sequence always finds the other end already stored.
	Links []Link
}

// Seq is the contact's 0-based position in its generator's sequence; Link.To
// refers to it.
func (c Contact) Seq() int { return c.seq }

// Email is an e-mail address.
type Email struct {
	Label   string // work, home, other
	Address string
	Primary bool
}

// Phone is a phone number in E.164 form, valid under its country's
// numbering plan.
type Phone struct {
	Label   string // mobile, work, home
	Number  string
	Primary bool
}

// Address is a postal address in its country's conventions.
type Address struct {
	Label      string // home, work, mailing
	Line1      string
	Line2      string
	City       string
	Region     string // state, province, county… where the country uses one
	PostalCode string // "" in countries without postal codes
	Country    string // ISO 3166-1 alpha-2
	Primary    bool
}

// BankAccount is an account the contact pays from or is paid into. Where the
// country uses IBANs, IBAN is set (with valid check digits and the country's
// length) and AccountNumber is empty; elsewhere AccountNumber is the
// national number (a CLABE in Mexico, a CBU in Argentina, a NUBAN in
// Nigeria) and RoutingNumber the national clearing code where one is used:
// an ABA routing number in the US, a transit number in Canada, a BSB in
// Australia, an IFSC in India, a BIK in Russia, a bank-branch code in Japan.
type BankAccount struct {
	BankName      string
	Holder        string
	IBAN          string // electronic form, no spaces
	AccountNumber string
	RoutingNumber string
	SWIFT         string // BIC, 8 or 11 characters
	Currency      string // ISO 4217
}

// Link ties a contact to an earlier one; see the Link kinds.
type Link struct {
	To   int // Seq of the earlier contact
	Kind string
}
