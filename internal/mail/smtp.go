package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPSender delivers through the server named by FOLIO_SMTP_URL:
// smtp://user:pass@host:587 uses STARTTLS when the server offers it (and
// requires it when credentials are given and the host is not local);
// smtps://user:pass@host:465 uses implicit TLS.
type SMTPSender struct {
	From    string
	options []gomail.Option
	host    string
}

// NewSMTPSender parses the URL; from is the sender address.
func NewSMTPSender(rawURL, from string) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("smtp url: %w", err)
	}
	host := u.Hostname()
	port := 587
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second)}
	switch u.Scheme {
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	case "smtp":
		policy := gomail.TLSOpportunistic
		if u.User != nil && !isLocal(host) {
			policy = gomail.TLSMandatory
		}
		opts = append(opts, gomail.WithTLSPolicy(policy))
	default:
		return nil, fmt.Errorf("smtp url: scheme must be smtp or smtps, not %q", u.Scheme)
	}
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("smtp url: bad port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	return &SMTPSender{From: from, options: opts, host: host}, nil
}

func isLocal(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send delivers m; a 4xx reply or a network failure comes back as *TempError.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	return s.SendBatch(ctx, []Message{m})[0]
}

// SendBatch delivers ms over one SMTP connection, one transaction (MAIL,
// RCPT, DATA) per message, and returns each message's outcome in order: a
// refused message does not stop the others. When the connection cannot be
// made every message gets the same *TempError.
func (s *SMTPSender) SendBatch(ctx context.Context, ms []Message) []error {
	out := make([]error, len(ms))
	msgs := make([]*gomail.Msg, len(ms))
	pending := 0
	for i, m := range ms {
		if msgs[i], out[i] = s.build(m); out[i] == nil {
			pending++
		}
	}
	if pending == 0 {
		return out
	}
	fail := func(err error) []error {
		for i := range out {
			if msgs[i] != nil && out[i] == nil {
				out[i] = &TempError{Err: err}
			}
		}
		return out
	}
	client, err := gomail.NewClient(s.host, s.options...)
	if err != nil {
		return fail(err)
	}
	// A connection, TLS or authentication failure is the server's or the
	// configuration's, never a message's: it is retried.
	conn, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fail(err)
	}
	defer func() { _ = client.CloseWithSMTPClient(conn) }()
	for i, msg := range msgs {
		if msg == nil {
			continue
		}
		if ctx.Err() != nil {
			out[i] = &TempError{Err: ctx.Err()}
			continue
		}
		out[i] = classify(msg, client.SendWithSMTPClient(conn, msg))
	}
	return out
}

// build turns m into a go-mail message from the firm's address.
func (s *SMTPSender) build(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return nil, fmt.Errorf("sender address %q: %w", s.From, err)
	}
	name := from.Name
	if m.FromName != "" {
		name = m.FromName
	}
	if err := msg.FromFormat(name, from.Address); err != nil {
		return nil, fmt.Errorf("sender address %q: %w", s.From, err)
	}
	if err := msg.AddToFormat(m.ToName, m.To); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", m.To, err)
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply-to %q: %w", m.ReplyTo, err)
		}
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	if m.MessageID != "" {
		msg.SetMessageIDWithValue(m.MessageID)
	} else {
		msg.SetMessageID()
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// classify marks what is worth retrying: 4xx replies and network failures.
func classify(msg *gomail.Msg, err error) error {
	if err == nil {
		return nil
	}
	var se *gomail.SendError
	if msg.SendErrorIsTemp() || (errors.As(err, &se) && se.IsTemp()) {
		return &TempError{Err: err}
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		return &TempError{Err: err}
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return &TempError{Err: err}
	}
	return err
}
