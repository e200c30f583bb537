package norm

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxEmailLength is the longest address that fits SMTP's path limit
// (RFC 5321 §4.5.3.1.3).
const MaxEmailLength = 254

var errEmail = errors.New("enter an email address like name@example.com")

// Email validates an email address and returns it trimmed, with its domain
// lower-cased. The local part keeps its case: servers may treat it as
// significant, and people recognise their address as they wrote it. Only a
// bare address is accepted — no display name, angle brackets, comments or
// quoted local parts — and its domain must contain a dot.
func Email(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", errEmail
	case !utf8.ValidString(s):
		return "", errors.New("this email address contains characters that are not valid text; type it again")
	case strings.ContainsAny(s, "<>()"):
		return "", errors.New("enter just the email address, like name@example.com, without a name or brackets")
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return "", errors.New("an email address cannot contain spaces or line breaks")
	case strings.ContainsRune(s, '"'):
		return "", errors.New("email addresses with quotation marks are not supported")
	case !strings.Contains(s, "@"):
		return "", errors.New("an email address needs an @, like name@example.com")
	case utf8.RuneCountInString(s) > MaxEmailLength:
		return "", fmt.Errorf("this email address is too long: at most %d characters (this one has %d)", MaxEmailLength, utf8.RuneCountInString(s))
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", errEmail
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], strings.ToLower(s[at+1:])
	if !isHostname(domain) {
		return "", errors.New("the part after the @ must be a domain like example.com")
	}
	return local + "@" + domain, nil
}

// EmailKey returns the form of an email address used to find duplicates:
// trimmed and entirely lower-cased, since in practice no two people's
// addresses differ only in case.
func EmailKey(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}
