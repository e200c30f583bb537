package norm

import (
	"strings"
	"testing"
)

func TestURL_acceptsWebAddresses(t *testing.T) {
	tests := []struct{ in, want string }{
		{"example.com", "https://example.com"},
		{"  www.example.com/about?x=1#team ", "https://www.example.com/about?x=1#team"},
		{"HTTP://Example.COM/Path", "http://example.com/Path"},
		{"https://example.com:8443/", "https://example.com:8443/"},
		{"example.com:8080/x", "https://example.com:8080/x"},
		{"//example.com/x", "https://example.com/x"},
		{"https://sub.example.co.uk/a%20b", "https://sub.example.co.uk/a%20b"},
		{"https://müller.de/", "https://müller.de/"},
		{"https://example.com/<script>", "https://example.com/%3Cscript%3E"},
	}
	for _, tt := range tests {
		if got, err := URL(tt.in); err != nil || got != tt.want {
			t.Errorf("URL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestURL_refusesWithASpecificMessage(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "enter a web address like https://example.com"},
		{"javascript", "javascript:alert(1)", "javascript: links are not allowed; enter a web address like https://example.com"},
		{"javascript mixed case", "JaVaScRiPt:alert(1)", "javascript: links are not allowed; enter a web address like https://example.com"},
		{"data", "data:text/html;base64,PHNjcmlwdD4=", "data: links are not allowed; enter a web address like https://example.com"},
		{"javascript with tab", "java\tscript:alert(1)", "a web address cannot contain spaces or line breaks"},
		{"mailto", "mailto:jo@example.com", "only web addresses starting with http:// or https:// are allowed"},
		{"ftp", "ftp://example.com/file", "only web addresses starting with http:// or https:// are allowed"},
		{"no slashes", "https:example.com", "enter a web address like https://example.com"},
		{"no host", "https://", "enter a web address like https://example.com"},
		{"no host but path", "https:///path", "enter a web address like https://example.com"},
		{"localhost", "http://localhost:8080", `"localhost" is not a domain name like example.com`},
		{"bare localhost", "localhost:8080", `"localhost" is not a domain name like example.com`},
		{"single label", "intranet", `"intranet" is not a domain name like example.com`},
		{"IPv4", "http://192.168.1.1/admin", "enter a domain name like example.com, not an IP address"},
		{"IPv6", "http://[::1]/", "enter a domain name like example.com, not an IP address"},
		{"credentials", "https://bank.com@evil.example/", "a web address cannot contain a user name or password"},
		{"bad label", "https://exa_mple.com", `"exa_mple.com" is not a domain name like example.com`},
		{"empty label", "https://example..com", `"example..com" is not a domain name like example.com`},
		{"space", "https://example.com/a b", "a web address cannot contain spaces or line breaks"},
		{"newline", "https://example.com/\nx", "a web address cannot contain spaces or line breaks"},
		{"NUL", "https://example.com/\x00", "a web address cannot contain spaces or line breaks"},
		{"DEL", "https://example.com/\x7f", "a web address cannot contain spaces or line breaks"},
		{"invalid UTF-8", "https://example.com/\xff", "this web address contains characters that are not valid text; type it again"},
		{"bad escape", "https://example.com/%zz", "enter a web address like https://example.com"},
		{"too long", "https://example.com/" + strings.Repeat("a", 2029), "this web address is too long: at most 2048 characters (this one has 2049)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := URL(tt.in)
			if err == nil || err.Error() != tt.want || got != "" {
				t.Errorf("URL(%q) = %q, %v; want error %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestURL_longestAcceptedIsMaxURLLength(t *testing.T) {
	s := "https://example.com/" + strings.Repeat("a", 2028)
	if got, err := URL(s); err != nil || got != s {
		t.Errorf("URL(%d characters) = %v; want accepted", len(s), err)
	}
}

func TestSocialURL_acceptsProfilesOnTheirNetwork(t *testing.T) {
	tests := []struct{ kind, in, want string }{
		{"linkedin", "linkedin.com/in/jo-smith", "https://linkedin.com/in/jo-smith"},
		{"linkedin", "https://www.LinkedIn.com/in/jo-smith/", "https://www.linkedin.com/in/jo-smith/"},
		{"linkedin", "https://uk.linkedin.com/in/jo", "https://uk.linkedin.com/in/jo"},
		{"x", "@jack", "https://x.com/jack"},
		{"x", " @Jo_Smith1 ", "https://x.com/Jo_Smith1"},
		{"x", "https://x.com/jack", "https://x.com/jack"},
		{"x", "twitter.com/jack", "https://twitter.com/jack"},
		{"x", "https://mobile.twitter.com/jack", "https://mobile.twitter.com/jack"},
		{"facebook", "https://www.facebook.com/jo.smith", "https://www.facebook.com/jo.smith"},
		{"facebook", "fb.com/jo.smith", "https://fb.com/jo.smith"},
		{"facebook", "https://m.facebook.com/profile.php?id=4", "https://m.facebook.com/profile.php?id=4"},
		{"website", "example.com", "https://example.com"},
	}
	for _, tt := range tests {
		if got, err := SocialURL(tt.kind, tt.in); err != nil || got != tt.want {
			t.Errorf("SocialURL(%q, %q) = %q, %v; want %q", tt.kind, tt.in, got, err, tt.want)
		}
	}
}

func TestSocialURL_refusesWithASpecificMessage(t *testing.T) {
	tests := []struct{ name, kind, in, want string }{
		{"linkedin lookalike", "linkedin", "https://linkedin.com.evil.example/in/jo", "enter a LinkedIn address like https://www.linkedin.com/in/name"},
		{"linkedin suffix", "linkedin", "https://notlinkedin.com/in/jo", "enter a LinkedIn address like https://www.linkedin.com/in/name"},
		{"linkedin home page", "linkedin", "https://www.linkedin.com/", "enter the address of the LinkedIn profile, like https://www.linkedin.com/in/name"},
		{"linkedin javascript", "linkedin", "javascript:alert(1)//linkedin.com/in/x", "javascript: links are not allowed; enter a web address like https://example.com"},
		{"x other site", "x", "https://mastodon.social/@jack", "enter an X (Twitter) address like https://x.com/name, or the handle like @name"},
		{"x home page", "x", "https://x.com", "enter the address of the X (Twitter) profile, like https://x.com/name, or the handle like @name"},
		{"x bad handle", "x", "@this_handle_is_far_too_long", "an X (Twitter) handle has 1 to 15 letters, digits or underscores after the @"},
		{"x empty handle", "x", "@", "an X (Twitter) handle has 1 to 15 letters, digits or underscores after the @"},
		{"x handle with path", "x", "@jack/status/1", "an X (Twitter) handle has 1 to 15 letters, digits or underscores after the @"},
		{"facebook other site", "facebook", "https://instagram.com/jo", "enter a Facebook address like https://www.facebook.com/name"},
		{"website javascript", "website", "javascript:alert(1)", "javascript: links are not allowed; enter a web address like https://example.com"},
		{"unknown kind", "myspace", "https://myspace.com/jo", `norm: unknown social link kind "myspace"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SocialURL(tt.kind, tt.in)
			if err == nil || err.Error() != tt.want || got != "" {
				t.Errorf("SocialURL(%q, %q) = %q, %v; want error %q", tt.kind, tt.in, got, err, tt.want)
			}
		})
	}
}
