package config

import (
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Inbound is BCC logging: Folio's own SMTP listener for mail sent to the
// staff's personal BCC addresses (FOLIO_INBOUND_*).
type Inbound struct {
	// SMTPAddr is host:port of the listener; empty turns BCC logging off.
	SMTPAddr string
	// Domain follows the @ of every BCC address.
	Domain             string
	MaxMessageBytes    int64
	MaxAttachmentBytes int64
	RatePerMinute      int
}

// inboundVars are the FOLIO_INBOUND_* settings, listed in Vars.
var inboundVars = []Var{
	{"FOLIO_INBOUND_SMTP_ADDR", "inbound-smtp-addr", "", "host:port where Folio receives BCC mail over SMTP, e.g. :2525; empty = BCC logging off"},
	{"FOLIO_INBOUND_DOMAIN", "inbound-domain", "", "domain of the staff's BCC addresses (bcc+TOKEN@DOMAIN), whose mail reaches the listener (default the host of the base URL)"},
	{"FOLIO_INBOUND_MAX_MESSAGE_BYTES", "inbound-max-message-bytes", "26214400", "largest message the listener accepts, in bytes (larger: 552; default 25 MB)"},
	{"FOLIO_INBOUND_MAX_ATTACHMENT_BYTES", "inbound-max-attachment-bytes", "10485760", "largest attachment kept with received mail, in bytes (larger ones are dropped with a note; default 10 MB)"},
	{"FOLIO_INBOUND_RATE_PER_MINUTE", "inbound-rate-per-minute", "30", "messages per minute accepted from one client address, and for one BCC address (more get 4xx: try later)"},
}

// The FOLIO_INBOUND_* settings follow the others in Vars (and the README).
func init() { Vars = append(Vars, inboundVars...) }

// inbound validates the FOLIO_INBOUND_* values; baseURL is the validated
// FOLIO_BASE_URL.
func (f *Flags) inbound(baseURL string, bad func(env, format string, args ...any)) Inbound {
	in := Inbound{SMTPAddr: f.get("FOLIO_INBOUND_SMTP_ADDR"), Domain: strings.ToLower(f.get("FOLIO_INBOUND_DOMAIN"))}
	if in.SMTPAddr != "" {
		if _, port, err := net.SplitHostPort(in.SMTPAddr); err != nil || port == "" {
			bad("FOLIO_INBOUND_SMTP_ADDR", "%q is not host:port; use e.g. :2525 or 0.0.0.0:25, or leave it empty", in.SMTPAddr)
		}
	}
	if in.Domain == "" {
		if u, err := url.Parse(baseURL); err == nil {
			in.Domain = strings.ToLower(u.Hostname())
		}
	} else if strings.ContainsAny(in.Domain, "@ /\r\n\t") || !strings.Contains(in.Domain, ".") || len(in.Domain) > 253 {
		bad("FOLIO_INBOUND_DOMAIN", "%q is not a domain name such as crm.example.com", in.Domain)
	}
	size := func(env string, min int64) int64 {
		n, err := strconv.ParseInt(f.get(env), 10, 64)
		if err != nil || n < min {
			bad(env, "%q must be a whole number of bytes, at least %d", f.get(env), min)
		}
		return n
	}
	in.MaxMessageBytes = size("FOLIO_INBOUND_MAX_MESSAGE_BYTES", 1024)
	in.MaxAttachmentBytes = size("FOLIO_INBOUND_MAX_ATTACHMENT_BYTES", 0)
	rate, err := strconv.Atoi(f.get("FOLIO_INBOUND_RATE_PER_MINUTE"))
	if err != nil || rate < 1 {
		bad("FOLIO_INBOUND_RATE_PER_MINUTE", "%q must be a whole number, at least 1", f.get("FOLIO_INBOUND_RATE_PER_MINUTE"))
	}
	in.RatePerMinute = rate
	return in
}
