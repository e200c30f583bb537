package importer

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/export"
)

// Export formats.
const (
	FormatCSV   = "csv"
	FormatXLSX  = "xlsx"
	FormatVCard = "vcard"
)

// ExportRequest says what to export and how.
type ExportRequest struct {
	Format string
	// Query is the list view (search, filters, sort); IDs, when set, is a
	// selection instead.
	Query contact.Query
	IDs   []int64
	// Sensitive adds the ID number columns in clear; it needs Sensitive
	// Data Access and is logged.
	Sensitive bool
}

// ContentType is the MIME type of a format.
func ContentType(format string) string {
	switch format {
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case FormatVCard:
		return "text/vcard; charset=utf-8"
	}
	return "text/csv; charset=utf-8"
}

// Extension is a format's file name extension.
func Extension(format string) string {
	if format == FormatVCard {
		return "vcf"
	}
	return format
}

// exportFields are the columns of a CSV or XLSX export: the template's,
// so an export imports back as it is. full_name is left out (the name parts
// are there) and the ID numbers come only with Sensitive.
func exportFields(sensitive bool) []*Field {
	var out []*Field
	for i := range Fields {
		f := &Fields[i]
		if f.Key == "full_name" || (f.Sensitive && !sensitive) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// names resolves category and owner ids for export.
type names struct {
	categories map[int64]string
	users      map[int64]string
}

func loadNames(ctx context.Context, q db.Queryer) (*names, error) {
	n := &names{categories: map[int64]string{}, users: map[int64]string{}}
	for _, t := range []struct {
		q string
		m map[int64]string
	}{{"SELECT id, name FROM contact_categories", n.categories}, {"SELECT id, email FROM users", n.users}} {
		rows, err := q.QueryContext(ctx, t.q)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var s string
			if err := rows.Scan(&id, &s); err != nil {
				rows.Close()
				return nil, err
			}
			t.m[id] = s
		}
		rows.Close()
	}
	return n, nil
}

// Export writes the contacts of req to w and logs the export (with its
// count and whether sensitive columns were in it) in the activity log. It
// needs the export grant; sensitive columns also need Sensitive Data
// Access. It returns how many contacts it wrote.
func (s *Service) Export(ctx context.Context, v contact.Viewer, w io.Writer, req ExportRequest) (int, error) {
	if !v.Export {
		return 0, errs.E(errs.Forbidden, "Exporting contacts needs the export grant; ask an admin.")
	}
	if req.Sensitive && !v.Sensitive {
		return 0, errs.E(errs.Forbidden, "Exporting ID numbers needs Sensitive Data Access.")
	}
	nm, err := loadNames(ctx, s.DB)
	if err != nil {
		return 0, err
	}
	req.IDs = uniqueIDs(req.IDs)
	var write func(c *contact.Contact) error
	var closeFn func() error
	switch req.Format {
	case FormatCSV, FormatXLSX:
		var t export.Table
		if req.Format == FormatCSV {
			t = export.NewCSV(w, export.CSVOptions{})
		} else if t, err = export.NewXLSX(w, "Contacts"); err != nil {
			return 0, err
		}
		fields := exportFields(req.Sensitive)
		head := make([]string, len(fields))
		for i, f := range fields {
			head[i] = f.Key
		}
		if err := t.Header(head); err != nil {
			return 0, err
		}
		cells := make([]string, len(fields))
		vals := map[string]string{}
		write = func(c *contact.Contact) error {
			clear(vals)
			exportValues(vals, c, nm)
			for i, f := range fields {
				cells[i] = vals[f.Key]
			}
			return t.Row(cells)
		}
		closeFn = t.Close
	case FormatVCard:
		vw := export.NewVCard(w)
		write = func(c *contact.Contact) error { return vw.Write(card(c)) }
		closeFn = vw.Close
	default:
		return 0, errs.FieldErrors(map[string]string{"format": "choose csv, xlsx or vcard"})
	}
	n, err := s.Contacts.Export(ctx, v, req.Query, req.IDs, req.Sensitive, write)
	if cerr := closeFn(); err == nil {
		err = cerr
	}
	scope := "view"
	if len(req.IDs) > 0 {
		scope = fmt.Sprintf("selection of %d", len(req.IDs))
	} else if req.Query.Q != "" {
		scope = "search " + req.Query.Q
	}
	changes := []audit.Change{{Field: "format", New: req.Format}, {Field: "contacts", New: fmt.Sprint(n)},
		{Field: "scope", New: scope}, {Field: "sensitive", New: fmt.Sprint(req.Sensitive)}}
	if err != nil {
		changes = append(changes, audit.Change{Field: "result", New: "incomplete"})
	}
	// The entry is written even when the client went away mid-download.
	lctx := context.WithoutCancel(ctx)
	lerr := s.DB.InTx(lctx, func(tx *db.Tx) error {
		return audit.Write(lctx, tx, audit.Entry{Entity: "contacts", Action: "contact.export", Changes: changes})
	})
	if err != nil {
		return n, err
	}
	return n, lerr
}

// exportValues puts a contact's values by field key in v (an empty map,
// reused from contact to contact).
func exportValues(v map[string]string, c *contact.Contact, nm *names) {
	for _, s := range [...]struct{ k, s string }{
		{"kind", string(c.Kind)}, {"external_id", c.ExternalID}, {"prefix", c.Prefix}, {"first_name", c.FirstName},
		{"middle_name", c.MiddleName}, {"last_name", c.LastName}, {"suffix", c.Suffix}, {"nickname", c.Nickname},
		{"entity_name", c.EntityName}, {"birth_date", c.BirthDate}, {"citizenship", c.Citizenship}, {"language", c.Language},
		{"time_zone", c.TimeZone}, {"category", nm.categories[c.CategoryID]}, {"stage", contact.LabelOf(contact.Stages, c.Stage)},
		{"owner", nm.users[c.OwnerID]}, {"tags", strings.Join(c.Tags, ", ")}, {"employer", c.Employer}, {"occupation", c.Occupation},
		{"employment", c.Employment}, {"annual_income", c.AnnualIncome}, {"net_worth", c.NetWorth},
		{"risk_tolerance", c.RiskTolerance}, {"investment_objective", c.InvestmentObjective}, {"time_horizon", c.TimeHorizon},
		{"tax_residency", c.TaxResidency}, {"currency", c.Currency}, {"website", c.Website}, {"linkedin", c.LinkedIn},
		{"x", c.XURL}, {"facebook", c.Facebook},
	} {
		v[s.k] = s.s
	}
	if c.InvestedMinor != 0 {
		v["invested"] = fmt.Sprintf("%d.%02d", c.InvestedMinor/100, c.InvestedMinor%100)
	}
	emails := []string{"email", "email_2", "email_3"}
	i := 0
	for _, primary := range []bool{true, false} {
		for _, e := range c.Emails {
			if e.Primary == primary && i < len(emails) {
				v[emails[i]] = e.Address
				i++
			}
		}
	}
	phoneCol := map[string]string{"mobile": "mobile_phone", "work": "work_phone", "home": "home_phone", "fax": "fax", "other": "phone"}
	for _, primary := range []bool{true, false} {
		for _, p := range c.Phones {
			if p.Primary != primary {
				continue
			}
			col := phoneCol[p.Label]
			if col == "" || v[col] != "" {
				col = "phone"
			}
			if v[col] == "" {
				v[col] = p.Number
			}
		}
	}
	for _, a := range c.Addresses {
		if a.Primary || len(c.Addresses) == 1 {
			v["address_line1"], v["address_line2"], v["city"], v["region"] = a.Line1, a.Line2, a.City, a.Region
			v["postal_code"], v["country"] = a.PostalCode, a.Country
			break
		}
	}
	for _, id := range c.Identifiers {
		if id.Number != "" && v[id.Kind] == "" {
			v[id.Kind] = id.Number
		}
	}
}

// card is a contact as a vCard.
func card(c *contact.Contact) export.Card {
	k := export.Card{UID: fmt.Sprintf("urn:folio:contact:%d", c.ID), Prefix: c.Prefix, First: c.FirstName,
		Middle: c.MiddleName, Last: c.LastName, Suffix: c.Suffix, Nickname: c.Nickname, Title: c.Occupation,
		Org: c.Employer, Birthday: c.BirthDate, Categories: c.Tags, Revision: c.UpdatedAt, FormattedName: c.Name()}
	if c.Kind.IsEntity() {
		k.Kind, k.Org = "org", c.EntityName
	}
	for _, primary := range []bool{true, false} {
		for _, e := range c.Emails {
			if e.Primary == primary {
				t := e.Label
				if t == "other" {
					t = ""
				}
				k.Emails = append(k.Emails, export.Typed{Type: t, Value: e.Address})
			}
		}
		for _, p := range c.Phones {
			if p.Primary == primary {
				t := map[string]string{"mobile": "cell", "work": "work", "home": "home", "fax": "fax"}[p.Label]
				k.Phones = append(k.Phones, export.Typed{Type: t, Value: p.Number})
			}
		}
		for _, a := range c.Addresses {
			if a.Primary == primary {
				t := a.Label
				if t != "home" && t != "work" {
					t = ""
				}
				k.Addresses = append(k.Addresses, export.Address{Type: t, Street1: a.Line1, Street2: a.Line2, City: a.City,
					Region: a.Region, PostalCode: a.PostalCode, Country: a.Country})
			}
		}
	}
	for _, u := range []string{c.Website, c.LinkedIn, c.XURL, c.Facebook} {
		if u != "" {
			k.URLs = append(k.URLs, u)
		}
	}
	return k
}

// uniqueIDs drops repeated ids, keeping the first of each.
func uniqueIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
