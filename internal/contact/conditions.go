package contact

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/errs"
)

// Condition is one line of an advanced search: field, operator, value.
type Condition struct {
	Field string `json:"field"`
	Op    string `json:"op"`
	Value string `json:"value,omitempty"`
}

// MaxConditions is how many conditions an advanced search combines.
const MaxConditions = 5

// Operators of advanced search.
var Operators = []Option{
	{"equals", "equals"}, {"not_equals", "does not equal"}, {"contains", "contains"},
	{"starts_with", "starts with"}, {"before", "is before"}, {"after", "is after"},
	{"greater", "is greater than"}, {"less", "is less than"}, {"is_empty", "is empty"},
	{"is_not_empty", "is not empty"},
}

// searchField is a field advanced search may use.
type searchField struct {
	Key   string
	Label string
	Type  string // text, enum, date, number, time
	expr  string // SQL over contacts c; for "exists" fields, a subquery with %s for the comparison
	sub   string // when set: EXISTS (sub AND <cmp over column x>)
}

// SearchFields is the allow-list of advanced search.
var SearchFields = []searchField{
	{Key: "first_name", Label: "First name", Type: "text", expr: "c.first_name"},
	{Key: "last_name", Label: "Last name", Type: "text", expr: "c.last_name"},
	{Key: "name", Label: "Name", Type: "text", expr: "c.display_name"},
	{Key: "email", Label: "Any email", Type: "text", sub: "SELECT 1 FROM contact_emails x WHERE x.contact_id = c.id", expr: "x.address"},
	{Key: "phone", Label: "Any phone", Type: "text", sub: "SELECT 1 FROM contact_phones x WHERE x.contact_id = c.id", expr: "x.number"},
	{Key: "city", Label: "City (primary address)", Type: "text", expr: "c.city"},
	{Key: "country", Label: "Country (any address)", Type: "text", sub: "SELECT 1 FROM contact_addresses x WHERE x.contact_id = c.id", expr: "x.country"},
	{Key: "postal_code", Label: "Postal code (any address)", Type: "text", sub: "SELECT 1 FROM contact_addresses x WHERE x.contact_id = c.id", expr: "x.postal_code"},
	{Key: "tag", Label: "Tag", Type: "text", sub: "SELECT 1 FROM contact_tags ct JOIN tags x ON x.id = ct.tag_id WHERE ct.contact_id = c.id", expr: "x.name"},
	{Key: "kind", Label: "Kind", Type: "enum", expr: "c.kind"},
	{Key: "category", Label: "Category", Type: "number", expr: "c.category_id"},
	{Key: "stage", Label: "Stage", Type: "enum", expr: "c.stage"},
	{Key: "owner", Label: "Owner", Type: "number", expr: "c.owner_id"},
	{Key: "external_id", Label: "External ID", Type: "text", expr: "c.external_id"},
	{Key: "birth_date", Label: "Date of birth", Type: "date", expr: "c.birth_date"},
	{Key: "citizenship", Label: "Citizenship", Type: "enum", expr: "c.citizenship"},
	{Key: "tax_residency", Label: "Tax residency", Type: "enum", expr: "c.tax_residency"},
	{Key: "employment", Label: "Employment", Type: "enum", expr: "c.employment"},
	{Key: "employer", Label: "Employer", Type: "text", expr: "c.employer"},
	{Key: "occupation", Label: "Occupation", Type: "text", expr: "c.occupation"},
	{Key: "annual_income", Label: "Annual income", Type: "enum", expr: "c.annual_income"},
	{Key: "net_worth", Label: "Net worth", Type: "enum", expr: "c.net_worth"},
	{Key: "risk_tolerance", Label: "Risk tolerance", Type: "enum", expr: "c.risk_tolerance"},
	{Key: "investment_objective", Label: "Investment objective", Type: "enum", expr: "c.investment_objective"},
	{Key: "time_horizon", Label: "Time horizon", Type: "enum", expr: "c.time_horizon"},
	{Key: "completeness", Label: "Completeness (%)", Type: "number", expr: "c.completeness"},
	{Key: "invested", Label: "Invested amount", Type: "money", expr: "c.invested_minor"},
	{Key: "created", Label: "Created", Type: "time", expr: "c.created_at"},
	{Key: "last_activity", Label: "Last activity", Type: "time", expr: "c.last_activity_at"},
}

func findField(key string) (searchField, bool) {
	for _, f := range SearchFields {
		if f.Key == key {
			return f, true
		}
	}
	return searchField{}, false
}

// opsFor lists the operators a field type allows.
func opsFor(typ string) []string {
	switch typ {
	case "text":
		return []string{"equals", "not_equals", "contains", "starts_with", "is_empty", "is_not_empty"}
	case "enum":
		return []string{"equals", "not_equals", "is_empty", "is_not_empty"}
	case "date", "time":
		return []string{"equals", "before", "after", "is_empty", "is_not_empty"}
	case "number", "money":
		return []string{"equals", "not_equals", "greater", "less"}
	}
	return nil
}

// OpsFor is opsFor for templates and the API documentation.
func OpsFor(typ string) []string { return opsFor(typ) }

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// conditionsSQL turns conditions into one SQL expression joined by AND
// (match "all") or OR ("any"). Every field and operator comes from the
// allow-list; values are always bound parameters.
func conditionsSQL(match string, conds []Condition) (string, []any, error) {
	fe := errs.Collector{}
	if len(conds) > MaxConditions {
		fe.Add("conditions", fmt.Sprintf("at most %d conditions", MaxConditions))
		return "", nil, fe.Err()
	}
	join := " AND "
	switch match {
	case "", "all":
	case "any":
		join = " OR "
	default:
		fe.Add("match", `combine conditions with "all" or "any"`)
	}
	var parts []string
	var args []any
	for i, c := range conds {
		name := fmt.Sprintf("conditions.%d", i)
		f, ok := findField(c.Field)
		if !ok {
			fe.Add(name, fmt.Sprintf("unknown field %q", c.Field))
			continue
		}
		allowed := opsFor(f.Type)
		if !slices.Contains(allowed, c.Op) {
			fe.Add(name, fmt.Sprintf("%s cannot be compared with %q; use one of %s", f.Label, c.Op, strings.Join(allowed, ", ")))
			continue
		}
		val := strings.TrimSpace(c.Value)
		var arg any
		needsValue := c.Op != "is_empty" && c.Op != "is_not_empty"
		if needsValue {
			switch f.Type {
			case "text", "enum":
				if val == "" {
					fe.Add(name, "enter a value to compare with")
					continue
				}
				if len(val) > 200 {
					fe.Add(name, "the value is too long: at most 200 characters")
					continue
				}
				arg = strings.ToLower(val)
			case "date":
				if _, err := time.Parse("2006-01-02", val); err != nil {
					fe.Add(name, "use a date like 2024-01-31")
					continue
				}
				arg = val
			case "time":
				t, err := time.Parse("2006-01-02", val)
				if err != nil {
					fe.Add(name, "use a date like 2024-01-31")
					continue
				}
				arg = t.UTC()
			case "number":
				n, err := strconv.ParseInt(val, 10, 64)
				if err != nil {
					fe.Add(name, "enter a whole number")
					continue
				}
				arg = n
			case "money":
				m, err := ParseMoney(val)
				if err != nil {
					fe.Add(name, err.Error())
					continue
				}
				arg = m
			}
		}
		// Enum columns hold canonical keys (lower case; country codes upper
		// case), so they compare as stored and the index can answer.
		lower := f.expr
		switch {
		case f.Type == "text":
			lower = "LOWER(" + f.expr + ")"
		case f.Type == "enum" && arg != nil && (f.Key == "citizenship" || f.Key == "tax_residency"):
			arg = strings.ToUpper(arg.(string))
		}
		var cmp string
		switch c.Op {
		case "equals":
			cmp = lower + " = ?"
			if f.Type == "time" {
				cmp = f.expr + " >= ? AND " + f.expr + " < ?"
				args = append(args, arg)
				arg = arg.(time.Time).Add(24 * time.Hour)
			}
		case "not_equals":
			cmp = lower + " <> ?"
		case "contains":
			cmp = lower + ` LIKE ? ESCAPE '\'`
			arg = "%" + likeEscape(arg.(string)) + "%"
		case "starts_with":
			cmp = lower + ` LIKE ? ESCAPE '\'`
			arg = likeEscape(arg.(string)) + "%"
		case "before", "less":
			cmp = f.expr + " < ?"
			if f.Type == "date" {
				cmp = f.expr + " <> '' AND " + cmp
			}
		case "after", "greater":
			cmp = f.expr + " > ?"
			if f.Type == "time" {
				arg = arg.(time.Time).Add(24 * time.Hour)
				cmp = f.expr + " >= ?"
			}
		case "is_empty":
			cmp = f.expr + " = ''"
			if f.Type == "time" {
				cmp = f.expr + " IS NULL"
			}
		case "is_not_empty":
			cmp = f.expr + " <> ''"
			if f.Type == "time" {
				cmp = f.expr + " IS NOT NULL"
			}
		}
		if needsValue {
			args = append(args, arg)
		}
		if f.sub != "" {
			if c.Op == "is_empty" {
				parts = append(parts, "NOT EXISTS ("+f.sub+")")
			} else if c.Op == "is_not_empty" {
				parts = append(parts, "EXISTS ("+f.sub+")")
			} else if c.Op == "not_equals" {
				parts = append(parts, "NOT EXISTS ("+f.sub+" AND "+lower+" = ?)")
			} else if f.Key == "email" && c.Op == "equals" {
				// An exact address is found through its index.
				parts = append(parts, "EXISTS ("+f.sub+" AND x.address_key = ?)")
			} else {
				// A scalar subquery rather than EXISTS: it stays a per-row
				// check on the ordered walk instead of becoming a join that
				// reads every match of the condition first.
				parts = append(parts, "("+f.sub+" AND "+cmp+" LIMIT 1) IS NOT NULL")
			}
			continue
		}
		parts = append(parts, "("+cmp+")")
	}
	if err := fe.Err(); err != nil {
		return "", nil, err
	}
	if len(parts) == 0 {
		return "1 = 1", nil, nil
	}
	return strings.Join(parts, join), args, nil
}

// ParseMoney reads an amount like "1,250.50" into minor units.
func ParseMoney(s string) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		return 0, nil
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, fmt.Errorf("use at most two decimals, like 1250.50")
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1e15 {
		return 0, fmt.Errorf("enter an amount like 1250.50")
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("enter an amount like 1250.50")
	}
	return w*100 + f, nil
}
