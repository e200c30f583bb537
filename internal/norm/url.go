package norm

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxURLLength is the longest web address accepted; longer ones do not
// survive every browser, proxy and mail client.
const MaxURLLength = 2048

var errURL = errors.New("enter a web address like https://example.com")

// URL validates a web address and returns it with its scheme and host
// lower-cased. An address without a scheme ("example.com/about") gets
// https://. Only http and https are accepted, so javascript:, data: and
// other links that run or embed code are refused. The host must be a domain
// name with a dot: not localhost, not an IP address. A user name or
// password in the address is refused as well, because
// "https://bank.com@evil.example" is a classic disguise.
func URL(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", errURL
	case !utf8.ValidString(s):
		return "", errors.New("this web address contains characters that are not valid text; type it again")
	case utf8.RuneCountInString(s) > MaxURLLength:
		return "", fmt.Errorf("this web address is too long: at most %d characters (this one has %d)", MaxURLLength, utf8.RuneCountInString(s))
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return "", errors.New("a web address cannot contain spaces or line breaks")
	}
	scheme, rest, hasScheme := cutScheme(s)
	switch {
	case !hasScheme && strings.HasPrefix(s, "//"):
		s = "https:" + s
	case !hasScheme:
		s = "https://" + s
	case scheme == "javascript" || scheme == "data" || scheme == "vbscript":
		return "", fmt.Errorf("%s: links are not allowed; enter a web address like https://example.com", scheme)
	case scheme != "http" && scheme != "https":
		return "", errors.New("only web addresses starting with http:// or https:// are allowed")
	case !strings.HasPrefix(rest, "//"):
		return "", errURL
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", errURL
	}
	if u.User != nil {
		return "", errors.New("a web address cannot contain a user name or password")
	}
	host := strings.ToLower(u.Hostname())
	if net.ParseIP(host) != nil {
		return "", errors.New("enter a domain name like example.com, not an IP address")
	}
	if !isHostname(host) {
		return "", fmt.Errorf("%q is not a domain name like example.com", host)
	}
	return webAddress(u, host), nil
}

// webAddress formats u like u.String with a lower-case scheme and host,
// except that the host keeps its non-ASCII letters ("müller.de") instead of
// having them percent-encoded.
func webAddress(u *url.URL, host string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(u.Scheme))
	b.WriteString("://")
	b.WriteString(host)
	if port := u.Port(); port != "" {
		b.WriteString(":" + port)
	}
	b.WriteString(u.EscapedPath())
	if u.ForceQuery || u.RawQuery != "" {
		b.WriteString("?" + u.RawQuery)
	}
	if u.Fragment != "" {
		b.WriteString("#" + u.EscapedFragment())
	}
	return b.String()
}

// cutScheme splits "scheme:rest". A colon followed by a digit is a port
// ("example.com:8080"), not the end of a scheme.
func cutScheme(s string) (scheme, rest string, ok bool) {
	i := strings.IndexByte(s, ':')
	if i < 1 {
		return "", s, false
	}
	for j := 0; j < i; j++ {
		c := s[j]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (j == 0 || (c < '0' || c > '9') && c != '+' && c != '-' && c != '.') {
			return "", s, false
		}
	}
	if rest = s[i+1:]; rest != "" && rest[0] >= '0' && rest[0] <= '9' {
		return "", s, false
	}
	return strings.ToLower(s[:i]), rest, true
}

// isHostname reports whether host (lower-case) is a domain name of at least
// two labels, each of 1 to 63 letters, digits or inner hyphens, ending in a
// top-level domain that is not all digits. Letters may be non-ASCII, for
// internationalised domain names typed as people read them.
func isHostname(host string) bool {
	labels := strings.Split(host, ".")
	if len(labels) < 2 || len(host) > 253 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return strings.IndexFunc(tld, func(r rune) bool { return r < '0' || r > '9' }) >= 0
}

// SocialURL validates the address of a contact's profile. kind is
// "linkedin", "x", "facebook" or "website": a website may be any web
// address URL accepts; the others must be on that network's domain (or a
// subdomain such as www.) and name a profile, not just the home page. For
// kind "x", a handle such as "@jack" is accepted and returned as
// https://x.com/jack.
func SocialURL(kind, s string) (string, error) {
	s = strings.TrimSpace(s)
	var (
		domains []string
		other   string // the message for an address on another site
		home    string // the message for the network's home page
	)
	switch kind {
	case "website":
		return URL(s)
	case "linkedin":
		domains = []string{"linkedin.com"}
		other = "enter a LinkedIn address like https://www.linkedin.com/in/name"
		home = "enter the address of the LinkedIn profile, like https://www.linkedin.com/in/name"
	case "x":
		if handle, ok := strings.CutPrefix(s, "@"); ok {
			if !isXHandle(handle) {
				return "", errors.New("an X (Twitter) handle has 1 to 15 letters, digits or underscores after the @")
			}
			return "https://x.com/" + handle, nil
		}
		domains = []string{"x.com", "twitter.com"}
		other = "enter an X (Twitter) address like https://x.com/name, or the handle like @name"
		home = "enter the address of the X (Twitter) profile, like https://x.com/name, or the handle like @name"
	case "facebook":
		domains = []string{"facebook.com", "fb.com"}
		other = "enter a Facebook address like https://www.facebook.com/name"
		home = "enter the address of the Facebook profile, like https://www.facebook.com/name"
	default:
		return "", fmt.Errorf("norm: unknown social link kind %q", kind)
	}
	u, err := URL(s)
	if err != nil {
		return "", err
	}
	p, _ := url.Parse(u) // URL returned it, so it parses
	if !hostIn(p.Hostname(), domains) {
		return "", errors.New(other)
	}
	if strings.Trim(p.Path, "/") == "" {
		return "", errors.New(home)
	}
	return u, nil
}

// hostIn reports whether host is one of domains or a subdomain of one.
func hostIn(host string, domains []string) bool {
	for _, d := range domains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

func isXHandle(h string) bool {
	if len(h) < 1 || len(h) > 15 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c != '_' && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
