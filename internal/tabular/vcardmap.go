package tabular

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// mapCard maps a card's properties to the vCard columns. It returns the
// values and a problem (without the line prefix) when the card cannot be
// imported as it is.
func mapCard(c *card, maxCell int) ([]string, string) {
	f := make([]string, vcColumns)
	var (
		kind, xKind, showAs, fn, org string
		name                         []string
		nick, tags                   []string
		emails, tels, adrs           []*vprop
		title, role                  string
	)
	for i := range c.props {
		p := &c.props[i]
		switch p.name {
		case "KIND":
			kind = strings.ToLower(strings.TrimSpace(p.value))
		case "X-ADDRESSBOOKSERVER-KIND":
			xKind = strings.ToLower(strings.TrimSpace(p.value))
		case "X-ABSHOWAS":
			showAs = strings.ToUpper(strings.TrimSpace(p.value))
		case "FN":
			if fn == "" {
				fn = strings.TrimSpace(unescape(p.value))
			}
		case "N":
			if name == nil {
				name = splitEscaped(p.value, ';')
				for i, part := range name {
					name[i] = joinValues(part, " ")
				}
			}
		case "NICKNAME":
			for _, v := range splitEscaped(p.value, ',') {
				nick = appendUnique(nick, strings.TrimSpace(unescape(v)))
			}
		case "ORG":
			if org == "" {
				org = strings.TrimSpace(unescape(first(component(p.value, 0))))
			}
		case "TITLE":
			if title == "" {
				title = strings.TrimSpace(unescape(p.value))
			}
		case "ROLE":
			if role == "" {
				role = strings.TrimSpace(unescape(p.value))
			}
		case "EMAIL":
			emails = append(emails, p)
		case "TEL":
			tels = append(tels, p)
		case "ADR":
			adrs = append(adrs, p)
		case "BDAY":
			if f[vcBirthDate] == "" {
				f[vcBirthDate] = birthDate(p)
			}
		case "URL", "X-SOCIALPROFILE":
			u := strings.TrimSpace(unescape(p.value))
			switch {
			case u == "":
			case strings.Contains(strings.ToLower(u), "linkedin.com") || p.hasType("linkedin"):
				if f[vcLinkedIn] == "" {
					f[vcLinkedIn] = u
				}
			case p.name == "URL" && f[vcWebsite] == "":
				f[vcWebsite] = u
			}
		case "CATEGORIES":
			for _, v := range splitEscaped(p.value, ',') {
				tags = appendUnique(tags, strings.TrimSpace(unescape(v)))
			}
		case "UID":
			if f[vcExternalID] == "" {
				u := strings.TrimSpace(unescape(p.value))
				if len(u) >= 9 && strings.EqualFold(u[:9], "urn:uuid:") {
					u = u[9:]
				}
				f[vcExternalID] = u
			}
		}
	}

	var problem string
	switch {
	case kind == "group" || xKind == "group":
		problem = "the card is a contact group (KIND:group), not a person or a company"
	case kind == "location":
		problem = "the card is a place (KIND:location), not a person or a company"
	}

	personName := fn != "" && !strings.EqualFold(fn, org)
	for _, part := range name {
		if part != "" {
			personName = true
		}
	}
	company := kind == "org" || kind == "organization" || showAs == "COMPANY" || org != "" && !personName
	if company {
		f[vcKind] = "company"
		f[vcEntityName] = org
		if org == "" {
			f[vcEntityName] = fn
		}
	} else {
		f[vcKind] = "person"
		f[vcFullName] = fn
		for i, col := range []int{vcLastName, vcFirstName, vcMiddleName, vcPrefix, vcSuffix} {
			if i < len(name) {
				f[col] = name[i]
			}
		}
		f[vcEmployer] = org
	}
	f[vcNickname] = strings.Join(nick, ", ")
	f[vcOccupation] = title
	if title == "" {
		f[vcOccupation] = role
	}
	f[vcTags] = strings.Join(tags, ", ")

	mapEmails(f, emails)
	mapPhones(f, tels)
	mapAddress(f, adrs)

	if problem == "" {
		header := VCardHeader()
		for i, v := range f {
			if len(v) > maxCell {
				if n := utf8.RuneCountInString(v); n > maxCell {
					problem = "the card's " + header[i] + " holds " + formatInt(n) + " characters; a value may hold at most " + formatInt(maxCell)
					break
				}
			}
		}
	}
	return f, problem
}

// byPreference sorts properties most preferred first: PREF=1 (vCard 4.0)
// or TYPE=pref (3.0) before the rest, keeping the file's order otherwise.
func byPreference(props []*vprop) {
	slices.SortStableFunc(props, func(a, b *vprop) int { return preference(a) - preference(b) })
}

// preference ranks a property: 1 to 100 from PREF, 1 for TYPE=pref, 101
// otherwise.
func preference(p *vprop) int {
	for _, v := range p.param("PREF") {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 1 && n <= 100 {
			return n
		}
		return 1
	}
	if p.hasType("pref") {
		return 1
	}
	return 101
}

// mapEmails fills email, email_2 and email_3, preferred first.
func mapEmails(f []string, emails []*vprop) {
	byPreference(emails)
	cols := []int{vcEmail, vcEmail2, vcEmail3}
	var seen []string
	for _, p := range emails {
		e := strings.TrimSpace(unescape(p.value))
		if len(e) >= 7 && strings.EqualFold(e[:7], "mailto:") {
			e = strings.TrimSpace(e[7:])
		}
		if e == "" || slices.ContainsFunc(seen, func(s string) bool { return strings.EqualFold(s, e) }) {
			continue
		}
		seen = append(seen, e)
		if len(seen) > len(cols) {
			return
		}
		f[cols[len(seen)-1]] = e
	}
}

// mapPhones sorts telephone numbers into the phone columns by their types;
// a number whose column is taken goes to phone when that is free.
func mapPhones(f []string, tels []*vprop) {
	byPreference(tels)
	for _, p := range tels {
		num := telNumber(unescape(p.value))
		if num == "" {
			continue
		}
		col := vcPhone
		switch {
		case p.hasType("fax"):
			col = vcFax
		case p.hasType("cell", "mobile", "iphone"):
			col = vcMobilePhone
		case p.hasType("work"):
			col = vcWorkPhone
		case p.hasType("home"):
			col = vcHomePhone
		}
		switch {
		case f[col] == "":
			f[col] = num
		case f[vcPhone] == "":
			f[vcPhone] = num
		}
	}
}

// telNumber strips a tel: URI's scheme, keeping the number as written and
// an extension as " ext. 123".
func telNumber(v string) string {
	v = strings.TrimSpace(v)
	if len(v) < 4 || !strings.EqualFold(v[:4], "tel:") {
		return v
	}
	v = v[4:]
	num, params, _ := strings.Cut(v, ";")
	for _, p := range strings.Split(params, ";") {
		if k, ext, ok := strings.Cut(p, "="); ok && strings.EqualFold(k, "ext") && ext != "" {
			num += " ext. " + ext
		}
	}
	return strings.TrimSpace(num)
}

// mapAddress fills the address columns from the preferred (else first)
// address: ;ext;street;locality;region;code;country after the PO box. A
// street of several lines puts the first in address_line1 and the rest,
// with the extended address and PO box, in address_line2.
func mapAddress(f []string, adrs []*vprop) {
	if len(adrs) == 0 {
		return
	}
	byPreference(adrs)
	parts := splitEscaped(adrs[0].value, ';')
	get := func(i int) string {
		if i < len(parts) {
			return strings.TrimSpace(unescape(parts[i]))
		}
		return ""
	}
	var lines []string
	for _, l := range strings.Split(get(2), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > 0 {
		f[vcAddressLine1] = lines[0]
		lines = lines[1:]
	}
	for _, extra := range []string{get(1), get(0)} {
		if extra != "" {
			lines = append(lines, extra)
		}
	}
	f[vcAddressLine2] = strings.Join(lines, ", ")
	f[vcCity] = get(3)
	f[vcRegion] = get(4)
	f[vcPostalCode] = get(5)
	f[vcCountry] = get(6)
}

// birthDate returns a BDAY as "YYYY-MM-DD" from "1985-03-07", "19850307"
// or "1985-03-07T00:00:00Z"; a date without a year ("--0307", or Apple's
// X-APPLE-OMIT-YEAR) or free text gives "".
func birthDate(p *vprop) string {
	v := strings.TrimSpace(unescape(p.value))
	if strings.HasPrefix(v, "--") || len(v) < 8 {
		return ""
	}
	digits := make([]byte, 0, 8)
	for i := 0; i < len(v) && len(digits) < 8; i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == '-' && (len(digits) == 4 || len(digits) == 6):
		default:
			return ""
		}
	}
	if len(digits) < 8 {
		return ""
	}
	y, _ := strconv.Atoi(string(digits[:4]))
	m, _ := strconv.Atoi(string(digits[4:6]))
	d, _ := strconv.Atoi(string(digits[6:8]))
	if m < 1 || m > 12 || d < 1 || d > 31 || y == 0 {
		return ""
	}
	for _, omit := range p.param("X-APPLE-OMIT-YEAR") {
		if strings.TrimSpace(omit) == string(digits[:4]) {
			return ""
		}
	}
	return string(digits[:4]) + "-" + string(digits[4:6]) + "-" + string(digits[6:8])
}

// component returns structured value component i (split at unescaped
// semicolons).
func component(v string, i int) (string, bool) {
	parts := splitEscaped(v, ';')
	if i < len(parts) {
		return parts[i], true
	}
	return "", false
}

// joinValues unescapes a component that may hold several values separated
// by unescaped commas and joins them with sep.
func joinValues(v, sep string) string {
	var out []string
	for _, part := range splitEscaped(v, ',') {
		if part = strings.TrimSpace(unescape(part)); part != "" {
			out = append(out, part)
		}
	}
	return strings.Join(out, sep)
}

// appendUnique appends v to list unless it is blank or already there.
func appendUnique(list []string, v string) []string {
	if v == "" || slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// splitEscaped splits v at each sep not escaped by a backslash, leaving
// escapes in place.
func splitEscaped(v string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case sep:
			out = append(out, v[start:i])
			start = i + 1
		}
	}
	return append(out, v[start:])
}

// unescape removes vCard text escapes: \n and \N are line breaks, and \, \;
// \: and \\ stand for the character.
func unescape(v string) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' || i+1 == len(v) {
			b.WriteByte(c)
			continue
		}
		i++
		switch v[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		case ',', ';', ':', '\\':
			b.WriteByte(v[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(v[i])
		}
	}
	return b.String()
}
