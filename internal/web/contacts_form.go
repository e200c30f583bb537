package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

// The contact form posts repeated rows as "emails.0.address",
// "phones.1.number" and so on, with the primary row of a list named by
// "emails_primary". Row numbers are the form's own: JavaScript may remove a
// row and leave a gap, so rows are read by the numbers present and the
// domain's errors ("emails.1", counted in the list it was given) are mapped
// back to them.

// maxFormRows bounds the row numbers read, so a crafted form cannot make a
// huge list; the domain's own limit (20 per list) is lower and explained.
const maxFormRows = 100

// rowLists are the repeated lists of the contact form.
var rowLists = []string{"emails", "phones", "addresses", "identifiers", "bank_accounts"}

// formRows lists the row numbers of list present in the form, in order.
func formRows(vals url.Values, list string) []int {
	var out []int
	for k := range vals {
		rest, ok := strings.CutPrefix(k, list+".")
		if !ok {
			continue
		}
		n, _, ok := strings.Cut(rest, ".")
		i, err := strconv.Atoi(n)
		if !ok || err != nil || i < 0 || i > maxFormRows || slices.Contains(out, i) {
			continue
		}
		out = append(out, i)
	}
	slices.Sort(out)
	return out
}

// rowMap maps a position in a list handed to the domain to its form row.
type rowMap map[string][]int

// contactFromForm reads a contact from the new or edit form. bad holds the
// errors found before the domain sees it (amounts, contact numbers).
func contactFromForm(f *Form) (*contact.Contact, rowMap, map[string]string) {
	g := f.Get
	c := &contact.Contact{
		Kind: contact.Kind(g("kind")), Prefix: g("prefix"), FirstName: g("first_name"), MiddleName: g("middle_name"),
		LastName: g("last_name"), Suffix: g("suffix"), Nickname: g("nickname"), EntityName: g("entity_name"),
		ExternalID: g("external_id"), Language: g("language"), TimeZone: g("time_zone"), BirthDate: g("birth_date"),
		Citizenship: g("citizenship"), Employment: g("employment"), Employer: g("employer"), Occupation: g("occupation"),
		IncomeSource: g("income_source"), AnnualIncome: g("annual_income"), NetWorth: g("net_worth"),
		TaxResidency: g("tax_residency"), MarketsTraded: f.Values["markets_traded"], ExperienceYears: g("experience_years"),
		TradesPerYear: g("trades_per_year"), Qualification: g("qualification"), RiskTolerance: g("risk_tolerance"),
		InvestmentObjective: g("investment_objective"), TimeHorizon: g("time_horizon"), LinkedIn: g("linkedin"),
		XURL: g("x_url"), Facebook: g("facebook"), Website: g("website"), Currency: g("currency"),
	}
	bad := map[string]string{}
	c.CategoryID, _ = strconv.ParseInt(g("category_id"), 10, 64)
	c.OwnerID, _ = strconv.ParseInt(g("owner_id"), 10, 64)
	if c.Kind == contact.Joint {
		for _, k := range []struct {
			name string
			p    *int64
		}{{"joint_a", &c.JointA}, {"joint_b", &c.JointB}} {
			v := strings.TrimPrefix(strings.TrimSpace(g(k.name)), "#")
			if v == "" {
				continue
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				bad["joint"] = fmt.Sprintf("“%s” is not a contact number; pick each holder from the search or type their number, like 42.", g(k.name))
				continue
			}
			*k.p = n
		}
	}
	if m, err := contact.ParseMoney(g("invested")); err != nil {
		bad["invested"] = sentence(err.Error())
	} else {
		c.InvestedMinor = m
	}

	rows := rowMap{}
	at := func(list string, i int, field string) string { return g(fmt.Sprintf("%s.%d.%s", list, i, field)) }
	primary := func(list string, i int) bool { return g(list+"_primary") == strconv.Itoa(i) }
	for _, i := range formRows(f.Values, "emails") {
		c.Emails = append(c.Emails, contact.Email{Label: at("emails", i, "label"), Address: at("emails", i, "address"), Primary: primary("emails", i)})
		rows["emails"] = append(rows["emails"], i)
	}
	for _, i := range formRows(f.Values, "phones") {
		c.Phones = append(c.Phones, contact.Phone{Label: at("phones", i, "label"), Number: at("phones", i, "number"), Primary: primary("phones", i)})
		rows["phones"] = append(rows["phones"], i)
	}
	for _, i := range formRows(f.Values, "addresses") {
		c.Addresses = append(c.Addresses, contact.Address{Label: at("addresses", i, "label"), Line1: at("addresses", i, "line1"),
			Line2: at("addresses", i, "line2"), City: at("addresses", i, "city"), Region: at("addresses", i, "region"),
			PostalCode: at("addresses", i, "postal_code"), Country: at("addresses", i, "country"), Primary: primary("addresses", i)})
		rows["addresses"] = append(rows["addresses"], i)
	}
	for _, i := range formRows(f.Values, "identifiers") {
		id, _ := strconv.ParseInt(at("identifiers", i, "id"), 10, 64)
		if id != 0 && at("identifiers", i, "remove") == "on" {
			continue
		}
		c.Identifiers = append(c.Identifiers, contact.Identifier{ID: id, Kind: at("identifiers", i, "kind"),
			Country: at("identifiers", i, "country"), Number: at("identifiers", i, "number"), ExpiresOn: at("identifiers", i, "expires_on")})
		rows["identifiers"] = append(rows["identifiers"], i)
	}
	for _, i := range formRows(f.Values, "bank_accounts") {
		id, _ := strconv.ParseInt(at("bank_accounts", i, "id"), 10, 64)
		if id != 0 && at("bank_accounts", i, "remove") == "on" {
			continue
		}
		c.BankAccounts = append(c.BankAccounts, contact.BankAccount{ID: id, BankName: at("bank_accounts", i, "bank_name"),
			Holder: at("bank_accounts", i, "holder"), IBAN: at("bank_accounts", i, "iban"),
			AccountNumber: at("bank_accounts", i, "account_number"), RoutingNumber: at("bank_accounts", i, "routing_number"),
			BIC: at("bank_accounts", i, "bic"), Currency: at("bank_accounts", i, "currency")})
		rows["bank_accounts"] = append(rows["bank_accounts"], i)
	}
	return c, rows, bad
}

// contactErrors puts a domain validation error on the form, each message
// as a sentence and each row's message on the row the user filled.
func contactErrors(f *Form, err error, rows rowMap) {
	fields := errs.FieldsOf(err)
	if len(fields) == 0 {
		f.Errors["form"] = errs.MessageOf(err)
		return
	}
	for k, msg := range fields {
		if list, n, ok := strings.Cut(k, "."); ok && slices.Contains(rowLists, list) {
			if i, err := strconv.Atoi(n); err == nil && i < len(rows[list]) {
				k = fmt.Sprintf("%s.%d", list, rows[list][i])
			}
		}
		f.Errors[k] = sentence(msg)
	}
}

// contactValues fills the form from a stored contact.
func contactValues(c *contact.Contact) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	id := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	set("kind", string(c.Kind))
	for k, val := range map[string]string{
		"prefix": c.Prefix, "first_name": c.FirstName, "middle_name": c.MiddleName, "last_name": c.LastName,
		"suffix": c.Suffix, "nickname": c.Nickname, "entity_name": c.EntityName, "joint_a": id(c.JointA),
		"joint_b": id(c.JointB), "category_id": id(c.CategoryID), "owner_id": id(c.OwnerID), "external_id": c.ExternalID,
		"language": c.Language, "time_zone": c.TimeZone, "birth_date": c.BirthDate, "citizenship": c.Citizenship,
		"employment": c.Employment, "employer": c.Employer, "occupation": c.Occupation, "income_source": c.IncomeSource,
		"annual_income": c.AnnualIncome, "net_worth": c.NetWorth, "tax_residency": c.TaxResidency,
		"experience_years": c.ExperienceYears, "trades_per_year": c.TradesPerYear, "qualification": c.Qualification,
		"risk_tolerance": c.RiskTolerance, "investment_objective": c.InvestmentObjective, "time_horizon": c.TimeHorizon,
		"linkedin": c.LinkedIn, "x_url": c.XURL, "facebook": c.Facebook, "website": c.Website,
		"invested": minorString(c.InvestedMinor), "currency": c.Currency, "version": strconv.Itoa(c.Version),
	} {
		set(k, val)
	}
	v["markets_traded"] = slices.Clone(c.MarketsTraded)
	row := func(list string, i int, field, val string) { set(fmt.Sprintf("%s.%d.%s", list, i, field), val) }
	for i, e := range c.Emails {
		row("emails", i, "label", e.Label)
		row("emails", i, "address", e.Address)
		if e.Primary {
			v.Set("emails_primary", strconv.Itoa(i))
		}
	}
	for i, p := range c.Phones {
		row("phones", i, "label", p.Label)
		row("phones", i, "number", norm.PhoneDisplay(p.Number))
		if p.Primary {
			v.Set("phones_primary", strconv.Itoa(i))
		}
	}
	for i, a := range c.Addresses {
		row("addresses", i, "label", a.Label)
		for f, val := range map[string]string{"line1": a.Line1, "line2": a.Line2, "city": a.City, "region": a.Region,
			"postal_code": a.PostalCode, "country": a.Country} {
			row("addresses", i, f, val)
		}
		if a.Primary {
			v.Set("addresses_primary", strconv.Itoa(i))
		}
	}
	for i, x := range c.Identifiers {
		row("identifiers", i, "id", id(x.ID))
		row("identifiers", i, "kind", x.Kind)
		row("identifiers", i, "country", x.Country)
		row("identifiers", i, "expires_on", x.ExpiresOn)
	}
	for i, b := range c.BankAccounts {
		row("bank_accounts", i, "id", id(b.ID))
		for f, val := range map[string]string{"bank_name": b.BankName, "holder": b.Holder, "routing_number": b.RoutingNumber,
			"bic": b.BIC, "currency": b.Currency} {
			row("bank_accounts", i, f, val)
		}
	}
	return v
}

// formRowsPlusOne are the rows a list shows: the filled ones and one blank
// row to add another without JavaScript.
func formRowsPlusOne(vals url.Values, list string) []string {
	rows := formRows(vals, list)
	next := 0
	var out []string
	for _, i := range rows {
		out = append(out, strconv.Itoa(i))
		next = i + 1
	}
	return append(out, strconv.Itoa(next))
}

// formError is one line of the error summary, linking to its field.
type formError struct {
	Anchor, Message string
}

// fieldOrder is the order of the form, for the error summary.
var fieldOrder = []string{"form", "kind", "prefix", "first_name", "middle_name", "last_name", "suffix", "nickname", "entity_name",
	"joint", "category_id", "owner_id", "external_id", "language", "time_zone", "emails", "phones", "addresses",
	"birth_date", "citizenship", "identifiers", "employment", "employer", "occupation", "income_source", "annual_income",
	"net_worth", "tax_residency", "markets_traded", "experience_years", "trades_per_year", "qualification",
	"risk_tolerance", "investment_objective", "time_horizon", "invested", "currency", "bank_accounts", "linkedin",
	"x_url", "facebook", "website"}

func errorSummary(f *Form) []formError {
	keys := make([]string, 0, len(f.Errors))
	for k := range f.Errors {
		keys = append(keys, k)
	}
	pos := func(k string) int {
		base, _, _ := strings.Cut(k, ".")
		if i := slices.Index(fieldOrder, base); i >= 0 {
			return i
		}
		return len(fieldOrder)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if d := pos(a) - pos(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	out := make([]formError, 0, len(keys))
	for _, k := range keys {
		out = append(out, formError{Anchor: strings.ReplaceAll(k, ".", "-"), Message: f.Errors[k]})
	}
	return out
}

// contactFormData is what the new and edit forms show besides the values.
type contactFormData struct {
	Edit    bool
	Stored  *contact.Contact // the contact being edited
	Summary []formError

	Kinds, Categories, Owners, EmailLabels, PhoneLabels, AddressLabels, IdentifierKinds []choice
	Employments, IncomeSources, IncomeRanges, NetWorthRanges, Markets, ExperienceYears  []choice
	TradesPerYear, Qualifications, RiskTolerances, Objectives, TimeHorizons             []choice
	Countries, Currencies                                                               []choice
	TimeZones                                                                           []string

	EmailRows, PhoneRows, AddressRows, IdentifierRows, BankRows []string
	// JointNames names the chosen joint holders: "joint_a" → "Ana Silva".
	JointNames map[string]string
	// Masked shows stored sensitive numbers: "identifier:7" → "••••1234".
	Masked    map[string]string
	MarketsOn map[string]bool
	// Blank fills the rows that JavaScript clones.
	Blank *Form

	// The edit lease: Holding when this user may save; Locked when another
	// user holds it (Lease says who).
	Holding, Locked bool
	// ReadOnly shows the form disabled: another user holds the lease.
	ReadOnly bool
	Lease    contact.Lease
	IsAdmin  bool
	// Stale: someone saved the contact since the form was opened; Conflict
	// lists what they changed, ConflictNow what is saved now.
	Stale       bool
	Conflict    []conflictRow
	ConflictNow []conflictRow
}

var commonTimeZones = []string{"UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin",
	"Europe/Madrid", "Europe/Rome", "Europe/Amsterdam", "Europe/Zurich", "Europe/Vienna", "Europe/Warsaw", "Europe/Athens",
	"Europe/Istanbul", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Hong_Kong", "Asia/Tokyo", "Australia/Sydney",
	"Africa/Johannesburg", "America/Sao_Paulo", "America/New_York", "America/Chicago", "America/Denver",
	"America/Los_Angeles", "America/Toronto", "America/Mexico_City"}

func (s *Server) contactFormData(ctx context.Context, u *auth.User, f *Form, stored *contact.Contact) (*contactFormData, error) {
	v := contact.ViewerFor(u)
	d := &contactFormData{Edit: stored != nil, Stored: stored, IsAdmin: v.Admin,
		EmailLabels: optionChoices(contact.EmailLabels), PhoneLabels: optionChoices(contact.PhoneLabels),
		AddressLabels: optionChoices(contact.AddressLabels), IdentifierKinds: optionChoices(contact.IdentifierKinds),
		Employments: optionChoices(contact.Employments), IncomeSources: optionChoices(contact.IncomeSources),
		IncomeRanges: optionChoices(contact.IncomeRanges), NetWorthRanges: optionChoices(contact.NetWorthRanges),
		Markets: optionChoices(contact.Markets), ExperienceYears: optionChoices(contact.ExperienceYears),
		TradesPerYear: optionChoices(contact.TradesPerYear), Qualifications: optionChoices(contact.Qualifications),
		RiskTolerances: optionChoices(contact.RiskTolerances), Objectives: optionChoices(contact.Objectives),
		TimeHorizons: optionChoices(contact.TimeHorizons), Countries: normChoices(norm.Countries()),
		Currencies: normChoices(norm.Currencies()), TimeZones: commonTimeZones,
		JointNames: map[string]string{}, Masked: map[string]string{}, MarketsOn: map[string]bool{},
		Blank: &Form{Values: url.Values{}, Errors: map[string]string{}},
	}
	for _, m := range f.Values["markets_traded"] {
		d.MarketsOn[m] = true
	}
	for _, k := range contact.Kinds {
		d.Kinds = append(d.Kinds, choice{string(k), k.Label()})
	}
	cats, err := s.Contacts.Categories(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		d.Categories = append(d.Categories, choice{strconv.FormatInt(c.ID, 10), c.Name})
	}
	users, err := s.Auth.Users(ctx)
	if err != nil {
		return nil, err
	}
	cur := f.Get("owner_id")
	for _, x := range users {
		active := x.DisabledAt == nil && (!v.OwnOnly || x.ID == u.ID)
		if active || x.IDString() == cur {
			label := x.Name
			if x.DisabledAt != nil {
				label += " (disabled)"
			}
			d.Owners = append(d.Owners, choice{x.IDString(), label})
		}
	}
	d.EmailRows = formRowsPlusOne(f.Values, "emails")
	d.PhoneRows = formRowsPlusOne(f.Values, "phones")
	d.AddressRows = formRowsPlusOne(f.Values, "addresses")
	d.IdentifierRows = formRowsPlusOne(f.Values, "identifiers")
	d.BankRows = formRowsPlusOne(f.Values, "bank_accounts")
	if f.Get("kind") == string(contact.Joint) {
		for _, k := range []string{"joint_a", "joint_b"} {
			if id, err := strconv.ParseInt(strings.TrimPrefix(f.Get(k), "#"), 10, 64); err == nil && id > 0 {
				if c, err := s.Contacts.Get(ctx, v, id); err == nil {
					d.JointNames[k] = c.Name()
				}
			}
		}
	}
	if stored != nil {
		for _, x := range stored.Identifiers {
			d.Masked[fmt.Sprintf("identifier:%d", x.ID)] = x.Masked()
		}
		for _, b := range stored.BankAccounts {
			d.Masked[fmt.Sprintf("iban:%d", b.ID)] = b.MaskedIBAN()
			d.Masked[fmt.Sprintf("account:%d", b.ID)] = b.MaskedAccount()
		}
	}
	d.Summary = errorSummary(f)
	return d, nil
}

func (s *Server) contactNewForm(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	f := &Form{Values: url.Values{"kind": {"person"}, "owner_id": {u.IDString()}, "emails_primary": {"0"},
		"phones_primary": {"0"}, "addresses_primary": {"0"}, "currency": {"USD"}}, Errors: map[string]string{}}
	s.renderContactForm(w, r, http.StatusOK, f, nil, nil)
}

func (s *Server) renderContactForm(w http.ResponseWriter, r *http.Request, status int, f *Form, stored *contact.Contact, edit func(*contactFormData)) {
	d, err := s.contactFormData(r.Context(), userFrom(r.Context()), f, stored)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "New contact"
	if stored != nil {
		title = "Edit " + stored.Name()
	}
	if edit != nil {
		edit(d)
	}
	s.render(w, r, status, "app/contact_form", &Page{Title: title, Form: f, Data: d})
}

func (s *Server) contactCreate(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	c, rows, bad := contactFromForm(f)
	var err error
	var id int64
	if len(bad) > 0 {
		err = errs.FieldErrors(bad)
	} else {
		id, err = s.Contacts.Create(ctx, v, c)
	}
	if err != nil {
		switch errs.CodeOf(err) {
		case errs.Invalid, errs.Forbidden, errs.Conflict:
			contactErrors(f, err, rows)
			s.renderContactForm(w, r, http.StatusUnprocessableEntity, f, nil, nil)
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.setFlash(w, "success", c.Name()+" has been added.")
	http.Redirect(w, r, recordURL(id), http.StatusSeeOther)
}
