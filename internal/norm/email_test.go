package norm

import (
	"strings"
	"testing"
)

func TestEmail_acceptsBareAddressesAndLowerCasesTheDomain(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"jo@example.com", "jo@example.com"},
		{"  Jo.Smith@Example.COM \n", "Jo.Smith@example.com"},
		{"jo+crm@mail.example.co.uk", "jo+crm@mail.example.co.uk"},
		{"o'neil@example.ie", "o'neil@example.ie"},
		{"jörg@müller.de", "jörg@müller.de"},
		{"a@b-c.io", "a@b-c.io"},
		{strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 57) + ".com", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 57) + ".com"},
	}
	for _, tt := range tests {
		got, err := Email(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Email(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestEmail_refusesWithASpecificMessage(t *testing.T) {
	long := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 58) + ".com"
	tests := []struct {
		name, in, want string
	}{
		{"empty", "  ", "enter an email address like name@example.com"},
		{"no at", "jo.example.com", "an email address needs an @, like name@example.com"},
		{"display name", "Jo Smith <jo@example.com>", "enter just the email address, like name@example.com, without a name or brackets"},
		{"angle brackets", "<jo@example.com>", "enter just the email address, like name@example.com, without a name or brackets"},
		{"comment", "jo@example.com(work)", "enter just the email address, like name@example.com, without a name or brackets"},
		{"quoted local part", `"jo smith"@example.com`, "an email address cannot contain spaces or line breaks"},
		{"quoted local part without space", `"jo"@example.com`, "email addresses with quotation marks are not supported"},
		{"inner space", "jo @example.com", "an email address cannot contain spaces or line breaks"},
		{"header injection", "jo@example.com\r\nBcc: all@example.com", "an email address cannot contain spaces or line breaks"},
		{"NUL", "jo\x00@example.com", "an email address cannot contain spaces or line breaks"},
		{"invalid UTF-8", "jo\xff@example.com", "this email address contains characters that are not valid text; type it again"},
		{"no dot in domain", "jo@localhost", "the part after the @ must be a domain like example.com"},
		{"numeric top-level domain", "jo@10.0.0.1", "the part after the @ must be a domain like example.com"},
		{"domain literal", "jo@[10.0.0.1]", "the part after the @ must be a domain like example.com"},
		{"hyphen at label edge", "jo@-example.com", "the part after the @ must be a domain like example.com"},
		{"two ats", "jo@x@example.com", "enter an email address like name@example.com"},
		{"double dot", "jo..smith@example.com", "enter an email address like name@example.com"},
		{"trailing dot", "jo@example.com.", "enter an email address like name@example.com"},
		{"empty local part", "@example.com", "enter an email address like name@example.com"},
		{"too long", long, "this email address is too long: at most 254 characters (this one has 255)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Email(tt.in)
			if err == nil || err.Error() != tt.want || got != "" {
				t.Errorf("Email(%q) = %q, %v; want error %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestEmailKey_ignoresCase(t *testing.T) {
	if a, b := EmailKey("Jo.Smith@Example.com"), EmailKey(" jo.smith@example.COM"); a != b || a != "jo.smith@example.com" {
		t.Errorf("EmailKey = %q and %q, want both jo.smith@example.com", a, b)
	}
}
