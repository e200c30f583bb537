package email

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// Field is a merge field a subject or body may hold as {{name}}.
type Field struct {
	Name, Help string
}

// Fields lists the merge fields, in the order the UI shows them.
var Fields = []Field{
	{"first_name", "The contact's first name (an entity's name)"},
	{"last_name", "The contact's last name"},
	{"full_name", "The contact's full name as Folio shows it"},
	{"nickname", "The contact's nickname, or first name when none"},
	{"prefix", "The contact's title, such as Dr."},
	{"email", "The address the email goes to"},
	{"owner_name", "The name of the contact's owner"},
	{"sender_name", "Your name"},
	{"sender_email", "Your email address (where replies go)"},
	{"firm_name", "The firm's name"},
	{"today", "Today's date, such as 2 March 2026"},
}

// Limits of what staff write.
const (
	MaxSubject = 250
	MaxBody    = 100_000
	// MaxBulk is the most recipients one bulk email may have.
	MaxBulk = 50_000
)

var fieldPattern = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

func knownField(name string) bool {
	return slices.ContainsFunc(Fields, func(f Field) bool { return f.Name == name })
}

// unknownFields lists the {{…}} names in text that are not merge fields.
func unknownFields(text string) []string {
	var bad []string
	for _, m := range fieldPattern.FindAllStringSubmatch(text, -1) {
		if !knownField(m[1]) && !slices.Contains(bad, m[1]) {
			bad = append(bad, m[1])
		}
	}
	return bad
}

// usesFields reports whether text holds a merge field.
func usesFields(text string) bool { return fieldPattern.MatchString(text) }

// compiled is a text split into literal parts and merge fields, so that
// a bulk email is parsed once and merged for each recipient by
// concatenation.
type compiled struct {
	parts  []string // literal text; parts[i] comes before fields[i]
	fields []string
}

func compile(text string) compiled {
	var c compiled
	last := 0
	for _, m := range fieldPattern.FindAllStringSubmatchIndex(text, -1) {
		c.parts = append(c.parts, text[last:m[0]])
		c.fields = append(c.fields, text[m[2]:m[3]])
		last = m[1]
	}
	c.parts = append(c.parts, text[last:])
	return c
}

// merge replaces each merge field by its value; escape, when not nil, is
// applied to values first (Markdown for the HTML part).
func (c compiled) merge(values map[string]string, escape func(string) string) string {
	if len(c.fields) == 0 {
		return c.parts[0]
	}
	var b strings.Builder
	for i, f := range c.fields {
		b.WriteString(c.parts[i])
		v := values[f]
		if escape != nil {
			v = escape(v)
		}
		b.WriteString(v)
	}
	b.WriteString(c.parts[len(c.parts)-1])
	return b.String()
}

var markdownSpecial = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "{", `\{`, "}", `\}`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "(", `\(`, ")", `\)`, "#", `\#`, "+", `\+`, "-", `\-`, "!", `\!`, "|", `\|`, "~", `\~`, "&", `\&`)

// escapeMarkdown makes a merged value plain text in Markdown: a name such
// as "*Bob*" stays "*Bob*" instead of becoming emphasis or markup.
func escapeMarkdown(v string) string { return markdownSpecial.Replace(v) }

// checkDraft validates a subject and body as written (merge fields not yet
// replaced): required, limited, no line break in the subject, only known
// merge fields.
func checkDraft(subject, body string) error {
	bad := map[string]string{}
	subject = strings.TrimSpace(subject)
	switch {
	case subject == "":
		bad["subject"] = "write a subject"
	case strings.ContainsAny(subject, "\r\n"):
		bad["subject"] = "the subject must be one line: line breaks are not allowed"
	case !utf8.ValidString(subject) || strings.ContainsRune(subject, 0):
		bad["subject"] = "the subject holds characters that are not text"
	case utf8.RuneCountInString(subject) > MaxSubject:
		bad["subject"] = fmt.Sprintf("a subject holds at most %d characters; this one has %d", MaxSubject, utf8.RuneCountInString(subject))
	default:
		if u := unknownFields(subject); len(u) > 0 {
			bad["subject"] = unknownMessage(u)
		}
	}
	switch {
	case strings.TrimSpace(body) == "":
		bad["body"] = "write the message first"
	case !utf8.ValidString(body) || strings.ContainsRune(body, 0):
		bad["body"] = "the message holds characters that are not text"
	case utf8.RuneCountInString(body) > MaxBody:
		bad["body"] = fmt.Sprintf("a message holds at most %d characters; this one has %d", MaxBody, utf8.RuneCountInString(body))
	default:
		if u := unknownFields(body); len(u) > 0 {
			bad["body"] = unknownMessage(u)
		}
	}
	if len(bad) > 0 {
		return errs.FieldErrors(bad)
	}
	return nil
}

func unknownMessage(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "{{" + n + "}}"
	}
	known := make([]string, len(Fields))
	for i, f := range Fields {
		known[i] = "{{" + f.Name + "}}"
	}
	word := "merge field"
	if len(names) > 1 {
		word = "merge fields"
	}
	return fmt.Sprintf("unknown %s %s; the merge fields are %s", word, strings.Join(quoted, ", "), strings.Join(known, ", "))
}

// cleanText normalises line ends and trims the subject and body.
func cleanText(subject, body string) (string, string) {
	return strings.TrimSpace(subject), strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
}

// mergeValues are the merge fields' values for one recipient.
func mergeValues(c *contact.Contact, to, owner string, from sender, firm string, now time.Time) map[string]string {
	first := c.FirstName
	if c.Kind.IsEntity() || first == "" {
		first = c.Name()
	}
	nick := c.Nickname
	if nick == "" {
		nick = first
	}
	return map[string]string{
		"first_name": first, "last_name": c.LastName, "full_name": c.Name(), "nickname": nick, "prefix": c.Prefix,
		"email": to, "owner_name": owner, "sender_name": from.Name, "sender_email": from.Email, "firm_name": firm,
		"today": now.Format("2 January 2006"),
	}
}
