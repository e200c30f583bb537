package api

import (
	"context"
	"reflect"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/foliocrm/folio/internal/contact"
)

// Contact is a contact as the API shows and takes it. Read-only members are
// ignored on input, so a client may send back what it read; write-only ones
// (the numbers of identifiers and bank accounts) are never shown.
type Contact struct {
	ID   int64  `json:"id" readOnly:"true"`
	Kind string `json:"kind" required:"false" options:"kind" doc:"person, or the kind of entity. Required when creating. A joint account cannot become another kind, or the reverse."`
	Name string `json:"name" readOnly:"true" doc:"Display name, from the name fields"`

	Prefix     string `json:"prefix" required:"false" maxLength:"20" doc:"Persons: title such as Dr. or Ms."`
	FirstName  string `json:"first_name" required:"false" maxLength:"100" doc:"Persons: a first or a last name is required"`
	MiddleName string `json:"middle_name" required:"false" maxLength:"100"`
	LastName   string `json:"last_name" required:"false" maxLength:"100"`
	Suffix     string `json:"suffix" required:"false" maxLength:"20" doc:"Persons: e.g. Jr., III"`
	Nickname   string `json:"nickname" required:"false" maxLength:"100"`
	EntityName string `json:"entity_name" required:"false" maxLength:"200" doc:"Entities: the name of the household, company, trust, account or fund (required for entities)"`
	// JointHolderIDs are the two persons of a joint account.
	JointHolderIDs []int64 `json:"joint_holder_ids" required:"false" maxItems:"2" doc:"Joint accounts: the ids of the two different persons who hold it"`

	CategoryID int64  `json:"category_id" required:"false" doc:"See GET /api/v1/contact-categories. Required when creating."`
	Category   string `json:"category" readOnly:"true" doc:"The category's name"`
	Stage      string `json:"stage" required:"false" options:"stage" doc:"Onboarding stage; a new contact starts at not_invited"`
	OwnerID    int64  `json:"owner_id" required:"false" doc:"The staff user responsible for the contact; the caller when left out on create. Advisors limited to their own contacts can only own."`
	Owner      string `json:"owner" readOnly:"true" doc:"The owner's name"`
	ExternalID string `json:"external_id" required:"false" maxLength:"100" doc:"The contact's id in another system"`
	Language   string `json:"language" required:"false" maxLength:"35" doc:"BCP 47 language tag, e.g. en, de, pt-BR"`
	TimeZone   string `json:"time_zone" required:"false" maxLength:"64" doc:"IANA time zone, e.g. Europe/London"`

	BirthDate   string `json:"birth_date" required:"false" maxLength:"10" pattern:"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$" patternDescription:"a date like 1980-04-23" doc:"Persons: date of birth, YYYY-MM-DD; empty when not known"`
	Citizenship string `json:"citizenship" required:"false" maxLength:"60" doc:"ISO 3166-1 alpha-2 country code, e.g. DE"`

	Employment   string `json:"employment" required:"false" options:"employment"`
	Employer     string `json:"employer" required:"false" maxLength:"100"`
	Occupation   string `json:"occupation" required:"false" maxLength:"100"`
	IncomeSource string `json:"income_source" required:"false" options:"income_source"`
	AnnualIncome string `json:"annual_income" required:"false" options:"annual_income" doc:"A range, in the firm's currency"`
	NetWorth     string `json:"net_worth" required:"false" options:"net_worth" doc:"A range, in the firm's currency"`
	TaxResidency string `json:"tax_residency" required:"false" maxLength:"60" doc:"ISO 3166-1 alpha-2 country code"`

	MarketsTraded       []string `json:"markets_traded" required:"false" options:"markets" maxItems:"20" doc:"Markets the contact has traded"`
	ExperienceYears     string   `json:"experience_years" required:"false" options:"experience_years"`
	TradesPerYear       string   `json:"trades_per_year" required:"false" options:"trades_per_year"`
	Qualification       string   `json:"qualification" required:"false" options:"qualification"`
	RiskTolerance       string   `json:"risk_tolerance" required:"false" options:"risk_tolerance"`
	InvestmentObjective string   `json:"investment_objective" required:"false" options:"investment_objective"`
	TimeHorizon         string   `json:"time_horizon" required:"false" options:"time_horizon"`

	LinkedIn string `json:"linkedin" required:"false" maxLength:"2048" doc:"Profile URL or handle"`
	XURL     string `json:"x_url" required:"false" maxLength:"2048" doc:"X (Twitter) profile URL or handle"`
	Facebook string `json:"facebook" required:"false" maxLength:"2048" doc:"Profile URL or handle"`
	Website  string `json:"website" required:"false" maxLength:"2048" doc:"Web address; https:// is added when missing"`

	Invested Money `json:"invested" required:"false" doc:"What the contact has invested with the firm itself"`

	Emails       []ContactEmail   `json:"emails" required:"false" maxItems:"20" doc:"Exactly one is primary (the first, unless one is marked)"`
	Phones       []ContactPhone   `json:"phones" required:"false" maxItems:"20" doc:"Exactly one is primary"`
	Addresses    []ContactAddress `json:"addresses" required:"false" maxItems:"20" doc:"Exactly one is primary"`
	Identifiers  []Identifier     `json:"identifiers" required:"false" maxItems:"20" doc:"Tax IDs, national IDs, passports: encrypted; shown masked"`
	BankAccounts []BankAccount    `json:"bank_accounts" required:"false" maxItems:"20" doc:"IBANs and account numbers are encrypted; shown masked"`

	Tags              []string `json:"tags" readOnly:"true" doc:"Change with PUT /api/v1/contacts/{id}/tags"`
	Completeness      int      `json:"completeness" readOnly:"true" minimum:"0" maximum:"100" doc:"Profile completeness in percent"`
	Missing           []string `json:"missing" readOnly:"true" doc:"What profile completeness still lacks"`
	DirectInvestments Money    `json:"direct_investments" readOnly:"true" doc:"What the contact holds itself"`
	RelationshipValue Money    `json:"relationship_value" readOnly:"true" doc:"Direct investments plus those of every entity the person is linked to (joint accounts, trusts, companies…), each entity once, in the contact's currency"`
	// RelationshipValueOther holds the linked entities' money in other currencies.
	RelationshipValueOther []Money    `json:"relationship_value_other_currencies" readOnly:"true" doc:"What linked entities hold in currencies other than the contact's, one sum per currency; Folio converts no money"`
	Version                int        `json:"version" required:"false" doc:"Increases with every change; the ETag of GET. On PATCH: the version your change is based on (or send If-Match). Ignored on create."`
	CreatedAt              time.Time  `json:"created_at" readOnly:"true"`
	UpdatedAt              time.Time  `json:"updated_at" readOnly:"true"`
	LastActivityAt         time.Time  `json:"last_activity_at" readOnly:"true"`
	LastEmailedAt          *time.Time `json:"last_emailed_at" readOnly:"true"`
	DeletedAt              *time.Time `json:"deleted_at" readOnly:"true" doc:"Set while the contact is in the trash; restore it with POST /api/v1/contacts/{id}/restore"`
}

// TransformSchema lists the domain's answers as enums.
func (Contact) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return withOptions[Contact](s)
}

// Money is an amount in minor units (cents) of a currency.
type Money struct {
	AmountMinor int64  `json:"amount_minor" required:"false" minimum:"0" doc:"Amount in minor units, e.g. 125050 for 1,250.50"`
	Currency    string `json:"currency" required:"false" maxLength:"3" doc:"ISO 4217 code; USD when left out"`
}

// ContactEmail is one email address.
type ContactEmail struct {
	Label   string `json:"label" required:"false" options:"email_label" doc:"other when left out"`
	Address string `json:"address" maxLength:"254" format:"email"`
	Primary bool   `json:"primary" required:"false"`
}

// TransformSchema lists the labels as an enum.
func (ContactEmail) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return withOptions[ContactEmail](s)
}

// ContactPhone is one phone number.
type ContactPhone struct {
	Label   string `json:"label" required:"false" options:"phone_label" doc:"mobile when left out"`
	Number  string `json:"number" maxLength:"50" doc:"Stored in E.164 (+4930123456); national numbers are read in the country of the first address"`
	Primary bool   `json:"primary" required:"false"`
}

// TransformSchema lists the labels as an enum.
func (ContactPhone) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return withOptions[ContactPhone](s)
}

// ContactAddress is one postal address.
type ContactAddress struct {
	Label      string `json:"label" required:"false" options:"address_label" doc:"home when left out"`
	Line1      string `json:"line1" required:"false" maxLength:"200" doc:"Street and number"`
	Line2      string `json:"line2" required:"false" maxLength:"200"`
	City       string `json:"city" required:"false" maxLength:"100"`
	Region     string `json:"region" required:"false" maxLength:"100" doc:"State, province or county"`
	PostalCode string `json:"postal_code" required:"false" maxLength:"20"`
	Country    string `json:"country" required:"false" maxLength:"60" doc:"ISO 3166-1 alpha-2 country code"`
	Primary    bool   `json:"primary" required:"false"`
}

// TransformSchema lists the labels as an enum.
func (ContactAddress) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return withOptions[ContactAddress](s)
}

// Identifier is a tax ID, national ID, passport or other number.
type Identifier struct {
	ID           int64  `json:"id" required:"false" doc:"Send the id back, without a number, to keep the stored number"`
	Kind         string `json:"kind" options:"identifier_kind"`
	Country      string `json:"country" required:"false" maxLength:"60" doc:"Issuing country, ISO 3166-1 alpha-2"`
	Number       string `json:"number,omitempty" writeOnly:"true" maxLength:"50" doc:"The number; required for a new identifier. Never shown: see number_masked and POST /api/v1/contacts/{id}/reveal"`
	NumberMasked string `json:"number_masked" readOnly:"true" doc:"The last four characters, e.g. ••••6789 (empty for numbers too short to show any)"`
	ExpiresOn    string `json:"expires_on" required:"false" maxLength:"10" pattern:"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$" patternDescription:"a date like 2031-12-31" doc:"YYYY-MM-DD, empty when it does not expire"`
}

// TransformSchema lists the kinds as an enum.
func (Identifier) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return withOptions[Identifier](s)
}

// BankAccount is an account for payments.
type BankAccount struct {
	ID                  int64  `json:"id" required:"false" doc:"Send the id back, without iban or account_number, to keep the stored numbers"`
	BankName            string `json:"bank_name" required:"false" maxLength:"100"`
	Holder              string `json:"holder" required:"false" maxLength:"100"`
	IBAN                string `json:"iban,omitempty" writeOnly:"true" maxLength:"50" doc:"Checked and stored compact; never shown (see iban_masked and reveal). A new account needs an IBAN or an account number."`
	IBANMasked          string `json:"iban_masked" readOnly:"true" doc:"e.g. ••••3000"`
	AccountNumber       string `json:"account_number,omitempty" writeOnly:"true" maxLength:"40" doc:"4 to 34 letters and digits; never shown (see account_number_masked and reveal)"`
	AccountNumberMasked string `json:"account_number_masked" readOnly:"true"`
	RoutingNumber       string `json:"routing_number" required:"false" maxLength:"9" doc:"US ABA routing number"`
	BIC                 string `json:"bic" required:"false" maxLength:"11" doc:"BIC (SWIFT code), 8 or 11 characters"`
	Currency            string `json:"currency" required:"false" maxLength:"3" doc:"ISO 4217 code"`
}

// ContactSummary is one row of a contact list.
type ContactSummary struct {
	ID             int64     `json:"id"`
	Kind           string    `json:"kind" options:"kind"`
	Name           string    `json:"name"`
	CategoryID     int64     `json:"category_id"`
	Stage          string    `json:"stage" options:"stage"`
	OwnerID        int64     `json:"owner_id"`
	Email          string    `json:"email" doc:"The primary email address"`
	Phone          string    `json:"phone" doc:"The primary phone number, E.164"`
	City           string    `json:"city" doc:"City of the primary address"`
	Tags           []string  `json:"tags"`
	Completeness   int       `json:"completeness" minimum:"0" maximum:"100"`
	LastActivityAt time.Time `json:"last_activity_at"`
	CreatedAt      time.Time `json:"created_at"`
}

// TransformSchema lists kinds and stages as enums.
func (ContactSummary) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	return withOptions[ContactSummary](s)
}

// optionList is a fixed answer list of the domain; optional ones may also
// be left empty.
type optionList struct {
	keys     func() []string
	optional bool
}

func keysOf(opts []contact.Option) func() []string {
	return func() []string {
		out := make([]string, len(opts))
		for i, o := range opts {
			out[i] = o.Key
		}
		return out
	}
}

// optionLists are the lists fields name in their options tag.
var optionLists = map[string]optionList{
	"kind": {keys: func() []string {
		out := make([]string, len(contact.Kinds))
		for i, k := range contact.Kinds {
			out[i] = string(k)
		}
		return out
	}},
	"stage":                {keys: keysOf(contact.Stages)},
	"employment":           {keys: keysOf(contact.Employments), optional: true},
	"income_source":        {keys: keysOf(contact.IncomeSources), optional: true},
	"annual_income":        {keys: keysOf(contact.IncomeRanges), optional: true},
	"net_worth":            {keys: keysOf(contact.NetWorthRanges), optional: true},
	"markets":              {keys: keysOf(contact.Markets)},
	"experience_years":     {keys: keysOf(contact.ExperienceYears), optional: true},
	"trades_per_year":      {keys: keysOf(contact.TradesPerYear), optional: true},
	"qualification":        {keys: keysOf(contact.Qualifications), optional: true},
	"risk_tolerance":       {keys: keysOf(contact.RiskTolerances), optional: true},
	"investment_objective": {keys: keysOf(contact.Objectives), optional: true},
	"time_horizon":         {keys: keysOf(contact.TimeHorizons), optional: true},
	"email_label":          {keys: keysOf(contact.EmailLabels)},
	"phone_label":          {keys: keysOf(contact.PhoneLabels)},
	"address_label":        {keys: keysOf(contact.AddressLabels)},
	"identifier_kind":      {keys: keysOf(contact.IdentifierKinds)},
	"document_kind":        {keys: keysOf(contact.DocumentKinds)},
	"relation_kind": {keys: func() []string {
		out := make([]string, len(contact.RelationTypes))
		for i, t := range contact.RelationTypes {
			out[i] = t.Key
		}
		return out
	}},
	"search_field": {keys: func() []string {
		out := make([]string, len(contact.SearchFields))
		for i, f := range contact.SearchFields {
			out[i] = f.Key
		}
		return out
	}},
	"search_op": {keys: keysOf(contact.Operators)},
}

// withOptions sets the enum of every field of T tagged options:"NAME" from
// the domain's list of that name, so the documented answers are the ones
// the domain accepts and cannot drift from them.
func withOptions[T any](s *huma.Schema) *huma.Schema {
	t := reflect.TypeFor[T]()
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("options")
		if name == "" {
			continue
		}
		list, ok := optionLists[name]
		if !ok {
			panic("api: unknown option list " + name)
		}
		p := s.Properties[strings.Split(f.Tag.Get("json"), ",")[0]]
		if p == nil {
			continue
		}
		if p.Type == huma.TypeArray && p.Items != nil {
			p = p.Items
		}
		p.Enum = list.enum()
	}
	return s
}

// enum is the list as a schema's enum.
func (l optionList) enum() []any {
	var enum []any
	if l.optional {
		enum = append(enum, "")
	}
	for _, k := range l.keys() {
		enum = append(enum, k)
	}
	return enum
}

func viewer(ctx context.Context) contact.Viewer { return contact.ViewerFor(userFrom(ctx)) }

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// listOf is the API's list of a domain list: each element through out,
// and never nil, so that an empty list is [] rather than null.
func listOf[T, U any](in []T, out func(T) U) []U {
	items := make([]U, 0, len(in))
	for _, v := range in {
		items = append(items, out(v))
	}
	return items
}

// contactOut is the API's view of a loaded contact: numbers masked, never
// clear, even when the domain value happens to hold them.
func contactOut(c *contact.Contact) Contact {
	out := Contact{
		ID: c.ID, Kind: string(c.Kind), Name: c.Name(),
		Prefix: c.Prefix, FirstName: c.FirstName, MiddleName: c.MiddleName, LastName: c.LastName, Suffix: c.Suffix,
		Nickname: c.Nickname, EntityName: c.EntityName, JointHolderIDs: []int64{},
		CategoryID: c.CategoryID, Category: c.CategoryName, Stage: c.Stage, OwnerID: c.OwnerID, Owner: c.OwnerName,
		ExternalID: c.ExternalID, Language: c.Language, TimeZone: c.TimeZone, BirthDate: c.BirthDate, Citizenship: c.Citizenship,
		Employment: c.Employment, Employer: c.Employer, Occupation: c.Occupation, IncomeSource: c.IncomeSource,
		AnnualIncome: c.AnnualIncome, NetWorth: c.NetWorth, TaxResidency: c.TaxResidency,
		MarketsTraded: nonNil(c.MarketsTraded), ExperienceYears: c.ExperienceYears, TradesPerYear: c.TradesPerYear,
		Qualification: c.Qualification, RiskTolerance: c.RiskTolerance, InvestmentObjective: c.InvestmentObjective,
		TimeHorizon: c.TimeHorizon, LinkedIn: c.LinkedIn, XURL: c.XURL, Facebook: c.Facebook, Website: c.Website,
		Invested:     Money{AmountMinor: c.InvestedMinor, Currency: c.Currency},
		Emails:       []ContactEmail{},
		Phones:       []ContactPhone{},
		Addresses:    []ContactAddress{},
		Identifiers:  []Identifier{},
		BankAccounts: []BankAccount{},
		Tags:         nonNil(c.Tags), Completeness: c.Completeness, Missing: nonNil(c.Missing),
		DirectInvestments:      Money{AmountMinor: c.DirectInvested, Currency: c.Currency},
		RelationshipValue:      Money{AmountMinor: c.RelationshipValue, Currency: c.Currency},
		RelationshipValueOther: listOf(c.RelationshipValueOther, moneyOut),
		Version:                c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, LastActivityAt: c.LastActivityAt,
		LastEmailedAt: c.LastEmailedAt, DeletedAt: c.DeletedAt,
	}
	if c.Kind == contact.Joint {
		out.JointHolderIDs = []int64{c.JointA, c.JointB}
	}
	for _, e := range c.Emails {
		out.Emails = append(out.Emails, ContactEmail{Label: e.Label, Address: e.Address, Primary: e.Primary})
	}
	for _, p := range c.Phones {
		out.Phones = append(out.Phones, ContactPhone{Label: p.Label, Number: p.Number, Primary: p.Primary})
	}
	for _, a := range c.Addresses {
		out.Addresses = append(out.Addresses, ContactAddress{Label: a.Label, Line1: a.Line1, Line2: a.Line2, City: a.City,
			Region: a.Region, PostalCode: a.PostalCode, Country: a.Country, Primary: a.Primary})
	}
	for _, i := range c.Identifiers {
		out.Identifiers = append(out.Identifiers, Identifier{ID: i.ID, Kind: i.Kind, Country: i.Country, NumberMasked: i.Masked(),
			ExpiresOn: i.ExpiresOn})
	}
	for _, b := range c.BankAccounts {
		out.BankAccounts = append(out.BankAccounts, BankAccount{ID: b.ID, BankName: b.BankName, Holder: b.Holder,
			IBANMasked: b.MaskedIBAN(), AccountNumberMasked: b.MaskedAccount(), RoutingNumber: b.RoutingNumber, BIC: b.BIC,
			Currency: b.Currency})
	}
	return out
}

// domain is the contact c describes, with id; read-only members are
// ignored.
func (c *Contact) domain(id int64) *contact.Contact {
	d := &contact.Contact{
		ID: id, Kind: contact.Kind(c.Kind),
		Prefix: c.Prefix, FirstName: c.FirstName, MiddleName: c.MiddleName, LastName: c.LastName, Suffix: c.Suffix,
		Nickname: c.Nickname, EntityName: c.EntityName,
		CategoryID: c.CategoryID, Stage: c.Stage, OwnerID: c.OwnerID, ExternalID: c.ExternalID, Language: c.Language,
		TimeZone: c.TimeZone, BirthDate: c.BirthDate, Citizenship: c.Citizenship,
		Employment: c.Employment, Employer: c.Employer, Occupation: c.Occupation, IncomeSource: c.IncomeSource,
		AnnualIncome: c.AnnualIncome, NetWorth: c.NetWorth, TaxResidency: c.TaxResidency,
		MarketsTraded: c.MarketsTraded, ExperienceYears: c.ExperienceYears, TradesPerYear: c.TradesPerYear,
		Qualification: c.Qualification, RiskTolerance: c.RiskTolerance, InvestmentObjective: c.InvestmentObjective,
		TimeHorizon: c.TimeHorizon, LinkedIn: c.LinkedIn, XURL: c.XURL, Facebook: c.Facebook, Website: c.Website,
		InvestedMinor: c.Invested.AmountMinor, Currency: c.Invested.Currency,
	}
	if len(c.JointHolderIDs) > 0 {
		d.JointA = c.JointHolderIDs[0]
	}
	if len(c.JointHolderIDs) > 1 {
		d.JointB = c.JointHolderIDs[1]
	}
	for _, e := range c.Emails {
		d.Emails = append(d.Emails, contact.Email{Label: e.Label, Address: e.Address, Primary: e.Primary})
	}
	for _, p := range c.Phones {
		d.Phones = append(d.Phones, contact.Phone{Label: p.Label, Number: p.Number, Primary: p.Primary})
	}
	for _, a := range c.Addresses {
		d.Addresses = append(d.Addresses, contact.Address{Label: a.Label, Line1: a.Line1, Line2: a.Line2, City: a.City,
			Region: a.Region, PostalCode: a.PostalCode, Country: a.Country, Primary: a.Primary})
	}
	for _, i := range c.Identifiers {
		d.Identifiers = append(d.Identifiers, contact.Identifier{ID: i.ID, Kind: i.Kind, Country: i.Country, Number: i.Number,
			ExpiresOn: i.ExpiresOn})
	}
	for _, b := range c.BankAccounts {
		d.BankAccounts = append(d.BankAccounts, contact.BankAccount{ID: b.ID, BankName: b.BankName, Holder: b.Holder,
			IBAN: b.IBAN, AccountNumber: b.AccountNumber, RoutingNumber: b.RoutingNumber, BIC: b.BIC, Currency: b.Currency})
	}
	return d
}

// contactFields are the API's names for domain field keys that differ.
var contactFields = fieldsIn{in: "body", rename: map[string]string{
	"joint":    "joint_holder_ids",
	"invested": "invested.amount_minor",
	"currency": "invested.currency",
}}

func moneyOut(a contact.Amount) Money { return Money{AmountMinor: a.Minor, Currency: a.Currency} }
