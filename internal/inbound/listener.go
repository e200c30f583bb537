package inbound

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/errs"
)

// Listener is Folio's SMTP server for BCC logging. It relays nothing: the
// only recipients it accepts are staff users' BCC addresses.
type Listener struct {
	s   *Service
	srv *smtp.Server
	ln  net.Listener
	// perIP limits what one client sends; perUser what one address gets.
	perIP, perUser *limiter
	ctx            context.Context
	cancel         context.CancelFunc
}

// maxRecipients is how many BCC addresses one message may go to.
const maxRecipients = 20

// Listen opens the SMTP listener on addr (host:port, port 0 for any);
// Serve answers on it.
func (s *Service) Listen(addr string) (*Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for inbound mail on %s: %w (set FOLIO_INBOUND_SMTP_ADDR, or leave it empty to turn BCC logging off)", addr, err)
	}
	l := &Listener{s: s, ln: ln, perIP: newLimiter(s.RatePerMinute), perUser: newLimiter(s.RatePerMinute)}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	srv := smtp.NewServer(smtp.BackendFunc(l.newSession))
	srv.Domain = s.Domain
	srv.MaxMessageBytes = s.MaxMessageBytes
	srv.MaxRecipients = maxRecipients
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	srv.ErrorLog = smtpLog{s.Log}
	l.srv = srv
	return l, nil
}

// Addr is the address the listener answers on.
func (l *Listener) Addr() string { return l.ln.Addr().String() }

// Serve answers SMTP until ctx ends, then lets the sessions under way
// finish for a few seconds and closes the rest.
func (l *Listener) Serve(ctx context.Context) {
	done := make(chan error, 1)
	go func() { done <- l.srv.Serve(l.ln) }()
	l.s.Log.Info("listening for BCC mail", "addr", l.Addr(), "domain", l.s.Domain)
	select {
	case err := <-done:
		if err != nil {
			l.s.Log.Error("inbound SMTP listener stopped", "err", err)
		}
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = l.srv.Shutdown(sctx)
		cancel()
		_ = l.srv.Close()
		<-done
	}
	l.cancel()
}

// Close stops the listener at once.
func (l *Listener) Close() error {
	l.cancel()
	if err := l.srv.Close(); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
		return err
	}
	return nil
}

func (l *Listener) newSession(c *smtp.Conn) (smtp.Session, error) {
	ip := ""
	if nc := c.Conn(); nc != nil {
		ip, _, _ = net.SplitHostPort(nc.RemoteAddr().String())
	}
	return &session{l: l, ip: ip}, nil
}

// The replies. Temporary refusals (4xx) tell a well-behaved sender to try
// again later; permanent ones (5xx) to give up.
var (
	replyIPFlood = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1},
		Message: "Too many messages from your address; try again later"}
	replyUserFlood = &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 7, 1},
		Message: "Too many messages for this address; try again later"}
	replyUnknown = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message: "No such BCC address here"}
	replyTooLarge = smtp.ErrDataTooLarge // 552 5.3.4
	replyFailed   = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "The message could not be stored; try again later"}
)

func replyMalformed(err error) *smtp.SMTPError {
	return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: errs.MessageOf(err)}
}

// session is one SMTP conversation.
type session struct {
	l     *Listener
	ip    string
	users []*auth.User
}

func (ss *session) Reset() { ss.users = nil }

func (ss *session) Logout() error { return nil }

// Mail starts a message; each counts against the client's rate.
func (ss *session) Mail(string, *smtp.MailOptions) error {
	ss.users = nil
	if !ss.l.perIP.allow(ss.ip) {
		ss.l.s.Log.Warn("inbound mail refused: too many from this client", "ip", ss.ip)
		return replyIPFlood
	}
	return nil
}

// Rcpt accepts only BCC addresses. A refused address counts against the
// client's rate too, so tokens cannot be guessed at speed.
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ctx, cancel := context.WithTimeout(ss.l.ctx, 30*time.Second)
	defer cancel()
	u, err := ss.l.s.Recipient(ctx, to)
	if errs.Is(err, errs.NotFound) {
		ss.l.perIP.allow(ss.ip)
		return replyUnknown
	}
	if err != nil {
		ss.l.s.Log.Error("inbound mail: find recipient", "err", err)
		return replyFailed
	}
	for _, x := range ss.users {
		if x.ID == u.ID {
			return nil
		}
	}
	if !ss.l.perUser.allow("user:" + strconv.FormatInt(u.ID, 10)) {
		ss.l.s.Log.Warn("inbound mail refused: too many for this BCC address", "user_id", u.ID, "ip", ss.ip)
		return replyUserFlood
	}
	ss.users = append(ss.users, u)
	return nil
}

// Data reads, parses and stores the message for each recipient. Size is
// enforced while reading (552); mail that cannot be parsed is refused
// (554 5.6.0); a storage failure asks the sender to retry (451), and the
// retry is not stored twice (Message-ID).
func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err // 552 when too large; the connection's own errors otherwise
	}
	if int64(len(raw)) > ss.l.s.MaxMessageBytes {
		return replyTooLarge
	}
	m, err := Parse(raw, ss.l.s.MaxAttachmentBytes)
	if err != nil {
		ss.l.s.Log.Info("inbound mail refused: malformed", "ip", ss.ip, "err", err)
		return replyMalformed(err)
	}
	ctx, cancel := context.WithTimeout(ss.l.ctx, 2*time.Minute)
	defer cancel()
	for _, u := range ss.users {
		d, err := ss.l.s.Receive(ctx, u, m, ss.ip)
		if err != nil {
			ss.l.s.Log.Error("inbound mail: store", "user_id", u.ID, "err", err)
			return replyFailed
		}
		ss.l.s.Log.Info("inbound mail received", "user_id", u.ID, "email_id", d.EmailID, "filed_on", len(d.Contacts),
			"duplicate", d.Duplicate, "bytes", len(raw), "attachments", len(m.Files), "ip", ss.ip)
	}
	return nil
}

// smtpLog hands go-smtp's connection errors to slog.
type smtpLog struct{ log *slog.Logger }

func (l smtpLog) Printf(format string, v ...any) {
	l.log.Warn("inbound SMTP: " + fmt.Sprintf(format, v...))
}

func (l smtpLog) Println(v ...any) { l.log.Warn("inbound SMTP: " + fmt.Sprintln(v...)) }
