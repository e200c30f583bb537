package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/norm"
)

// choice is one option of a select box, whatever list it comes from.
type choice struct {
	Value, Label string
}

func optionChoices(opts []contact.Option) []choice {
	out := make([]choice, len(opts))
	for i, o := range opts {
		out[i] = choice{o.Key, o.Label}
	}
	return out
}

func normChoices(cs []norm.Choice) []choice {
	out := make([]choice, len(cs))
	for i, c := range cs {
		out[i] = choice{c.Code, c.Name}
	}
	return out
}

// contactFuncs are the template functions of the contact pages.
var contactFuncs = template.FuncMap{
	"money":        contact.FormatMoney,
	"labelOf":      contact.LabelOf,
	"opt":          optLabel,
	"stageLabel":   func(key string) string { return contact.LabelOf(contact.Stages, key) },
	"countryName":  countryName,
	"phone":        norm.PhoneDisplay,
	"iban":         norm.IBANDisplay,
	"since":        friendlyTime,
	"timelineKind": timelineKind,
	"actor":        actorName,
	"fieldLabel":   historyFieldLabel,
	"describe":     audit.Describe,
	"sentence":     sentence,
	"idOf":         func(key string) string { return strings.ReplaceAll(key, ".", "-") },
	"rowKey":       func(list, i, field string) string { return list + "." + i + "." + field },
	"rowErr":       func(list, i string) string { return list + "." + i },
	"itoa":         strconv.Itoa,
	"docKind":      func(key string) string { return contact.LabelOf(contact.DocumentKinds, key) },
	"fileSize":     fileSize,
}

// optLists are the contact's fixed lists of labels that templates name.
var optLists = map[string][]contact.Option{"email": contact.EmailLabels, "phone": contact.PhoneLabels,
	"address": contact.AddressLabels, "identifier": contact.IdentifierKinds}

// optLabel is the label of a key of one of the contact's fixed lists.
func optLabel(list, key string) string {
	return contact.LabelOf(optLists[list], key)
}

// marketLabels reads the keys of markets traded as one line of labels.
func marketLabels(keys []string) string {
	out := make([]string, len(keys))
	for i, m := range keys {
		out[i] = contact.LabelOf(contact.Markets, m)
	}
	return strings.Join(out, ", ")
}

// countryName is "Germany (DE)" for a code, or the code when unknown.
func countryName(code string) string {
	if code == "" {
		return ""
	}
	if n := norm.CountryName(code); n != "" {
		return n + " (" + code + ")"
	}
	return code
}

// sentence makes a domain message read as a sentence: capital first letter,
// full stop at the end.
func sentence(msg string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(msg)
	msg = string(unicode.ToUpper(r)) + msg[n:]
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") && !strings.HasSuffix(msg, "!") {
		msg += "."
	}
	return msg
}

// friendlyTime says when something happened the way people say it:
// "14:05 UTC (3 min ago)", "yesterday at 09:12 UTC", "3 March at 10:00 UTC".
func friendlyTime(t time.Time) string {
	t = t.UTC()
	now := time.Now().UTC()
	clock := t.Format("15:04") + " UTC"
	switch {
	case sameDay(t, now):
		return clock + " (" + ago(t) + ")"
	case sameDay(t, now.AddDate(0, 0, -1)):
		return "yesterday at " + clock
	case t.Year() == now.Year():
		return t.Format("2 January") + " at " + clock
	}
	return t.Format("2 January 2006") + " at " + clock
}

func sameDay(a, b time.Time) bool {
	y1, m1, d1 := a.Date()
	y2, m2, d2 := b.Date()
	return y1 == y2 && m1 == m2 && d1 == d2
}

// actorName is the name of an activity log actor without the email
// address the log keeps beside it ("Ana Silva <ana@firm.test>").
func actorName(s string) string {
	if i := strings.LastIndex(s, " <"); i > 0 && strings.HasSuffix(s, ">") {
		return s[:i]
	}
	return s
}

// historyFields are the readable names of the fields the activity log
// records for contacts.
var historyFields = map[string]string{
	"kind": "Kind", "prefix": "Prefix", "first_name": "First name", "middle_name": "Middle name",
	"last_name": "Last name", "suffix": "Suffix", "nickname": "Nickname", "entity_name": "Name",
	"joint_holders": "Joint holders", "category_id": "Category", "stage": "Stage", "owner_id": "Owner",
	"external_id": "External ID", "language": "Language", "time_zone": "Time zone", "birth_date": "Date of birth",
	"citizenship": "Citizenship", "employment": "Employment", "employer": "Employer", "occupation": "Occupation",
	"income_source": "Source of income", "annual_income": "Annual income", "net_worth": "Net worth",
	"tax_residency": "Tax residency", "markets_traded": "Markets traded", "experience_years": "Years of experience",
	"trades_per_year": "Trades per year", "qualification": "Qualification", "risk_tolerance": "Risk tolerance",
	"investment_objective": "Investment objective", "time_horizon": "Time horizon", "linkedin": "LinkedIn",
	"x_url": "X", "facebook": "Facebook", "website": "Website", "invested": "Invested amount",
	"emails": "Emails", "phones": "Phones", "addresses": "Addresses", "identifiers": "ID numbers",
	"bank_accounts": "Bank accounts", "tags": "Tags", "groups": "Groups", "relationships": "Relationships",
	"version": "Version", "editor": "Editor", "merged into": "Merged into",
}

func historyFieldLabel(f string) string {
	if l, ok := historyFields[f]; ok {
		return l
	}
	return f
}

// minorString prints minor units as a plain amount for an input: "1250.50".
func minorString(minor int64) string {
	if minor == 0 {
		return ""
	}
	return fmt.Sprintf("%d.%02d", minor/100, minor%100)
}

// timelineKind names one item of a timeline kind: "Note", "Stage change".
func timelineKind(kind string) string {
	switch kind {
	case "stage":
		return "Stage change"
	case "":
		return ""
	}
	return strings.ToUpper(kind[:1]) + kind[1:]
}
