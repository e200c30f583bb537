package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

// Advanced search keeps its conditions in the list's URL as numbered
// triples — f1 the field, o1 the operator, v1 the value, up to
// contact.MaxConditions — with m=all or m=any: the names a plain GET form
// submits, so sort links, pages, saved views and bulk actions carry the
// conditions unchanged, with or without JavaScript. A value may be what
// people see (a category's or owner's name, a stage's label); it becomes the
// key the domain compares just before the query.

// condRow is one filled condition row of the form; N is its row number.
type condRow struct {
	N                int
	Field, Op, Value string
}

// needsValue reports whether an operator compares with a value.
func needsValue(op string) bool { return op != "is_empty" && op != "is_not_empty" }

// parseConditions reads the filled rows, in row order; a row without a
// field is empty and left out.
func parseConditions(q url.Values) (match string, rows []condRow) {
	for n := 1; n <= contact.MaxConditions; n++ {
		k := strconv.Itoa(n)
		f := strings.TrimSpace(q.Get("f" + k))
		if f == "" {
			continue
		}
		row := condRow{N: n, Field: f, Op: strings.TrimSpace(q.Get("o" + k)), Value: strings.TrimSpace(q.Get("v" + k))}
		if !needsValue(row.Op) {
			row.Value = ""
		}
		rows = append(rows, row)
	}
	if len(rows) > 0 {
		if match = q.Get("m"); match == "" {
			match = "all"
		}
	}
	return match, rows
}

// condField is a field of the advanced search as the form offers it.
type condField struct {
	Key, Label, Type string
	// Ops are the operators its type allows, for the script that narrows
	// the operator list.
	Ops string
	// List is the id of the datalist of its values, if it has one.
	List string
}

var condFields = func() []condField {
	out := make([]condField, len(contact.SearchFields))
	for i, f := range contact.SearchFields {
		out[i] = condField{Key: f.Key, Label: f.Label, Type: f.Type, Ops: strings.Join(contact.OpsFor(f.Type), " ")}
		if listedField(f.Key) {
			out[i].List = "cond-list-" + listName(f.Key)
		}
	}
	return out
}()

func findCondField(key string) (condField, bool) {
	i := slices.IndexFunc(condFields, func(f condField) bool { return f.Key == key })
	if i < 0 {
		return condField{}, false
	}
	return condFields[i], true
}

// condOptions are the fields compared with a key of one of the contact's
// fixed lists.
var condOptions = map[string][]contact.Option{
	"stage": contact.Stages, "employment": contact.Employments, "annual_income": contact.IncomeRanges,
	"net_worth": contact.NetWorthRanges, "risk_tolerance": contact.RiskTolerances,
	"investment_objective": contact.Objectives, "time_horizon": contact.TimeHorizons,
}

func listedField(key string) bool {
	switch key {
	case "category", "owner", "kind", "citizenship", "tax_residency", "tag":
		return true
	}
	_, ok := condOptions[key]
	return ok
}

// listName names a field's value list; both country fields share one.
func listName(key string) string {
	if key == "citizenship" || key == "tax_residency" {
		return "country"
	}
	return key
}

// condValues translates between the values people see and type and the
// keys the domain compares.
type condValues struct {
	categories []contact.Category
	users      []*auth.User
	tags       []string
}

// choices are a listed field's keys with their labels.
func (cv condValues) choices(field string) []choice {
	switch field {
	case "category":
		out := make([]choice, len(cv.categories))
		for i, c := range cv.categories {
			out[i] = choice{strconv.FormatInt(c.ID, 10), c.Name}
		}
		return out
	case "owner":
		out := make([]choice, len(cv.users))
		for i, u := range cv.users {
			out[i] = choice{u.IDString(), u.Name}
		}
		return out
	case "kind":
		out := make([]choice, len(contact.Kinds))
		for i, k := range contact.Kinds {
			out[i] = choice{string(k), k.Label()}
		}
		return out
	case "citizenship", "tax_residency":
		return normChoices(norm.Countries())
	case "tag":
		out := make([]choice, len(cv.tags))
		for i, t := range cv.tags {
			out[i] = choice{t, t}
		}
		return out
	}
	return optionChoices(condOptions[field])
}

// key is the key of what was typed for a listed field: a key or a label,
// in any case. ok is false when it is neither.
func (cv condValues) key(field, typed string) (string, bool) {
	if !listedField(field) || field == "tag" {
		return typed, true
	}
	for _, c := range cv.choices(field) {
		if strings.EqualFold(c.Value, typed) || strings.EqualFold(c.Label, typed) {
			return c.Value, true
		}
	}
	return "", false
}

// label is how a stored key reads in the form and in summaries.
func (cv condValues) label(field, key string) string {
	if listedField(field) {
		for _, c := range cv.choices(field) {
			if c.Value == key {
				return c.Label
			}
		}
	}
	return key
}

// needsLookups reports whether translating rows needs the categories or
// users.
func needsLookups(rows []condRow) bool {
	return slices.ContainsFunc(rows, func(r condRow) bool { return r.Field == "category" || r.Field == "owner" })
}

// conditionValues loads what translating rows needs.
func (s *Server) conditionValues(ctx context.Context, rows []condRow) (condValues, error) {
	var cv condValues
	if !needsLookups(rows) {
		return cv, nil
	}
	var err error
	if cv.categories, err = s.Contacts.Categories(ctx); err != nil {
		return cv, err
	}
	cv.users, err = s.Auth.Users(ctx)
	return cv, err
}

// listConditions turns the state's rows into the domain's conditions. It
// returns the row number of each condition, to put the domain's messages
// ("conditions.1") on the rows typed; its own refusals have the same form.
func (s *Server) listConditions(ctx context.Context, st listState) ([]contact.Condition, []int, error) {
	cv, err := s.conditionValues(ctx, st.Conds)
	if err != nil {
		return nil, nil, err
	}
	return conditionsOf(st.Conds, cv)
}

func conditionsOf(rows []condRow, cv condValues) ([]contact.Condition, []int, error) {
	out := make([]contact.Condition, 0, len(rows))
	nums := make([]int, 0, len(rows))
	bad := errs.Collector{}
	for i, r := range rows {
		name := fmt.Sprintf("conditions.%d", i)
		f, ok := findCondField(r.Field)
		if !ok {
			bad.Add(name, fmt.Sprintf("there is no field %q to search by; choose one from the list", r.Field))
		}
		c := contact.Condition{Field: r.Field, Op: r.Op, Value: r.Value}
		if ok && needsValue(r.Op) && r.Value != "" {
			key, known := cv.key(r.Field, r.Value)
			if !known {
				bad.Add(name, fmt.Sprintf("%q is not one of the listed values of %s; choose one from the list", r.Value, strings.ToLower(f.Label)))
			}
			c.Value = key
		}
		out = append(out, c)
		nums = append(nums, r.N)
	}
	return out, nums, bad.Err()
}

// conditionErrors puts the messages of a refused search on its rows:
// cond3 is row 3, m the all/any choice, conditions the whole block.
func conditionErrors(f *Form, err error, nums []int) {
	for k, m := range errs.FieldsOf(err) {
		switch {
		case k == "match":
			f.Errors["m"] = sentence(m)
		case k == "conditions":
			f.Errors["conditions"] = sentence(m)
		case strings.HasPrefix(k, "conditions."):
			if i, err := strconv.Atoi(strings.TrimPrefix(k, "conditions.")); err == nil && i < len(nums) {
				f.Errors["cond"+strconv.Itoa(nums[i])] = sentence(m)
			}
		}
	}
}

// conditionRefused reports whether f carries a message that keeps the
// conditions from running: on a row, or on the all/any choice.
func conditionRefused(f *Form) bool {
	if f == nil {
		return false
	}
	for k := range f.Errors {
		if k == "m" || (strings.HasPrefix(k, "cond") && k != "conditions") {
			return true
		}
	}
	return false
}

// condRowView is one row of the advanced search form.
type condRowView struct {
	N                int
	Field, Op, Value string
	Type, List       string
	Error            string
	// More marks the rows after the first empty one, which JavaScript
	// keeps hidden until "Add a condition".
	More bool
}

// valueList is the datalist of one listed field.
type valueList struct {
	ID     string
	Values []string
}

// searchForm is what the advanced search block shows.
type searchForm struct {
	Open      bool
	Rows      []condRowView
	Fields    []condField
	Operators []contact.Option
	Lists     []valueList
	Match     string
	// Editing is the segment being edited, if any.
	Editing     *contact.Segment
	SegmentName string
	Max         int
}

// advancedSearch builds the block from the submitted values, so what was typed
// stays as typed.
func (s *Server) advancedSearch(ctx context.Context, st listState, f *Form, cv condValues) (searchForm, error) {
	sf := searchForm{Fields: condFields, Operators: contact.Operators, Match: f.Get("m"), SegmentName: f.Get("segment_name"),
		Max: contact.MaxConditions}
	if sf.Match != "any" {
		sf.Match = "all"
	}
	last := 0
	for n := 1; n <= contact.MaxConditions; n++ {
		if strings.TrimSpace(f.Get("f"+strconv.Itoa(n))) != "" {
			last = n
		}
	}
	for n := 1; n <= contact.MaxConditions; n++ {
		k := strconv.Itoa(n)
		row := condRowView{N: n, Field: strings.TrimSpace(f.Get("f" + k)), Op: f.Get("o" + k), Value: f.Get("v" + k),
			Error: f.Error("cond" + k), More: n > last+1}
		if fd, ok := findCondField(row.Field); ok {
			row.Type, row.List = fd.Type, fd.List
		}
		sf.Rows = append(sf.Rows, row)
	}
	seen := map[string]bool{}
	for _, fd := range condFields {
		if fd.List == "" || seen[fd.List] {
			continue
		}
		seen[fd.List] = true
		l := valueList{ID: fd.List}
		for _, c := range cv.choices(fd.Key) {
			l.Values = append(l.Values, c.Label)
		}
		sf.Lists = append(sf.Lists, l)
	}
	if st.EditSegment != 0 {
		g, err := s.Contacts.GetSegment(ctx, st.EditSegment)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return sf, err
		}
		sf.Editing = g
		if g != nil && sf.SegmentName == "" && f.Error("segment_name") == "" {
			sf.SegmentName = g.Name
		}
	}
	sf.Open = len(st.Conds) > 0 || sf.Editing != nil || conditionRefused(f) || f.Error("conditions") != "" || f.Error("segment_name") != ""
	return sf, nil
}

// conditionSummary reads a segment's conditions as a sentence:
// "Last name equals “Silva” and City contains “lis”".
func conditionSummary(match string, conds []contact.Condition, cv condValues) string {
	join := " and "
	if match == "any" {
		join = " or "
	}
	parts := make([]string, 0, len(conds))
	for _, c := range conds {
		label := c.Field
		if f, ok := findCondField(c.Field); ok {
			label = f.Label
		}
		part := label + " " + contact.LabelOf(contact.Operators, c.Op)
		if needsValue(c.Op) {
			part += " “" + cv.label(c.Field, c.Value) + "”"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, join)
}

// segmentEditURL opens the list with a segment's conditions in the
// advanced search, to change and save them again.
func segmentEditURL(g contact.Segment, cv condValues) string {
	st := listState{EditSegment: g.ID, Match: g.Match, Cols: defaultCols}
	for i, c := range g.Conditions {
		row := condRow{N: i + 1, Field: c.Field, Op: c.Op}
		if needsValue(c.Op) {
			row.Value = cv.label(c.Field, c.Value)
		}
		st.Conds = append(st.Conds, row)
	}
	return st.URL()
}
