package inbound

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode the charsets mail really uses (ISO-8859-*, Windows-125*, …)
	gomail "github.com/emersion/go-message/mail"

	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

// Limits on what one received message may hold, beyond its size.
const (
	maxSubject     = 998 // RFC 5322's line limit
	maxName        = 200
	maxMessageID   = 500
	maxAddresses   = 500 // From, To and Cc together
	maxAttachments = 100
	maxFilename    = 255
)

// Message is a received email as Folio keeps it: every header value
// decoded to UTF-8 on one line (CR, LF and other control characters
// replaced by spaces, so nothing read from it can start a new header),
// the first plain-text and HTML parts, and the attachments.
type Message struct {
	MessageID string
	FromAddr  string
	FromName  string
	To, Cc    []string // bare addresses
	Subject   string
	Text      string
	HTML      string // as received: sanitised whenever it is shown
	Files     []Attachment
	// Dropped are notes about attachments that were not kept.
	Dropped []string
}

// Attachment is a file that came with a message.
type Attachment struct {
	Filename    string
	ContentType string
	Data        []byte
}

// Addresses are every address the message names in From, To and Cc,
// lower-cased, each once.
func (m *Message) Addresses() []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range append(append([]string{m.FromAddr}, m.To...), m.Cc...) {
		k := norm.EmailKey(a)
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// errMalformed wraps what makes a message unreadable; the listener answers
// it with 554 5.6.0.
func errMalformed(format string, args ...any) error {
	return errs.E(errs.Invalid, "The message is not well-formed email: "+format, args...)
}

// Parse reads a whole RFC 5322 message. Mail that is not email (no header,
// no From address, a broken MIME structure, an unreadable address list) is
// refused with an Invalid error; odd but readable mail (unknown charsets or
// transfer encodings, no Message-ID) is kept as well as it can be.
// Attachments over maxAttachment bytes are dropped with a note.
func Parse(raw []byte, maxAttachment int64) (*Message, error) {
	src := raw
	if !bytes.Contains(raw, []byte("\n\n")) && !bytes.Contains(raw, []byte("\n\r\n")) {
		// A header without a body needs no blank line after it.
		src = append(bytes.Clone(raw), "\r\n"...)
	}
	r, err := gomail.CreateReader(bytes.NewReader(src))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, errMalformed("%s", oneLine(err.Error(), 200))
	}
	if r == nil {
		return nil, errMalformed("no header")
	}
	h := r.Header
	if h.Len() == 0 {
		return nil, errMalformed("no header")
	}
	m := &Message{}
	from, err := addressList(h, "From")
	if err != nil {
		return nil, err
	}
	if len(from) == 0 {
		return nil, errMalformed("it has no From address")
	}
	m.FromAddr, m.FromName = from[0].Address, oneLine(from[0].Name, maxName)
	for _, f := range []struct {
		key string
		to  *[]string
	}{{"To", &m.To}, {"Cc", &m.Cc}} {
		list, err := addressList(h, f.key)
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			*f.to = append(*f.to, a.Address)
		}
	}
	if n := 1 + len(m.To) + len(m.Cc); n > maxAddresses {
		return nil, errMalformed("it names %d addresses; Folio files mail naming at most %d", n, maxAddresses)
	}
	subject, err := h.Subject()
	if err != nil {
		subject = h.Get("Subject") // undecodable words are kept as written
	}
	m.Subject = oneLine(subject, maxSubject)
	if id, err := h.MessageID(); err == nil && id != "" {
		m.MessageID = oneLine(id, maxMessageID)
	} else if written := oneLine(strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>"), maxMessageID); written != "" {
		m.MessageID = written
	} else {
		// Without a Message-ID the same bytes delivered twice are still
		// one message.
		sum := sha256.Sum256(raw)
		m.MessageID = "sha256-" + hex.EncodeToString(sum[:16]) + "@folio.invalid"
	}
	if err := m.readParts(r, maxAttachment); err != nil {
		return nil, err
	}
	if m.Text == "" && m.HTML != "" {
		m.Text = htmlText(m.HTML)
	}
	if len(m.Dropped) > 0 {
		note := "[" + strings.Join(m.Dropped, "]\n[") + "]"
		if m.Text != "" {
			note = m.Text + "\n\n" + note
		}
		m.Text = note
	}
	return m, nil
}

// readParts takes the first text/plain and text/html parts as the body and
// keeps the other leaf parts as attachments.
func (m *Message) readParts(r *gomail.Reader, maxAttachment int64) error {
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
			return errMalformed("its MIME structure is broken (%s)", oneLine(err.Error(), 200))
		}
		if p == nil {
			return errMalformed("its MIME structure is broken")
		}
		ctype := "text/plain" // RFC 2045's default
		if v := p.Header.Get("Content-Type"); v != "" {
			if t, _, err := mime.ParseMediaType(v); err == nil {
				ctype = t
			} else {
				ctype = "application/octet-stream"
			}
		}
		_, inline := p.Header.(*gomail.InlineHeader)
		switch {
		case inline && ctype == "text/plain" && m.Text == "":
			b, err := readBody(p.Body)
			if err != nil {
				return err
			}
			m.Text = text(b)
			continue
		case inline && ctype == "text/html" && m.HTML == "":
			b, err := readBody(p.Body)
			if err != nil {
				return err
			}
			m.HTML = text(b)
			continue
		}
		name := ""
		if ah, ok := p.Header.(*gomail.AttachmentHeader); ok {
			name, _ = ah.Filename()
		} else if _, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition")); err == nil {
			name = params["filename"]
		}
		name = cleanFilename(name, ctype, len(m.Files)+len(m.Dropped)+1)
		if len(m.Files) >= maxAttachments {
			m.Dropped = append(m.Dropped, fmt.Sprintf("Attachment %q was not kept: Folio keeps at most %d attachments of one message.", name, maxAttachments))
			if _, err := io.Copy(io.Discard, p.Body); err != nil {
				return bodyError(err)
			}
			continue
		}
		data, err := io.ReadAll(io.LimitReader(p.Body, maxAttachment+1))
		if err != nil {
			return bodyError(err)
		}
		if int64(len(data)) > maxAttachment {
			n, err := io.Copy(io.Discard, p.Body)
			if err != nil {
				return bodyError(err)
			}
			m.Dropped = append(m.Dropped, fmt.Sprintf("Attachment %q (%s) was not kept: larger than the limit of %s.",
				name, size(int64(len(data))+n), size(maxAttachment)))
			continue
		}
		m.Files = append(m.Files, Attachment{Filename: name, ContentType: ctype, Data: data})
	}
}

func readBody(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, bodyError(err)
	}
	return b, nil
}

// bodyError is a part that cannot be decoded (bad base64, a truncated
// multipart): the message is malformed.
func bodyError(err error) error {
	return errMalformed("a part cannot be decoded (%s)", oneLine(err.Error(), 200))
}

// addressList reads an address header. Only the address parser's own
// errors make the message malformed.
func addressList(h gomail.Header, key string) ([]*gomail.Address, error) {
	list, err := h.AddressList(key)
	if err != nil {
		return nil, errMalformed("its %s header is not a list of addresses", key)
	}
	out := list[:0]
	for _, a := range list {
		addr, err := norm.Email(a.Address)
		if err != nil {
			return nil, errMalformed("its %s header holds an address Folio cannot read", key)
		}
		a.Address, a.Name = addr, oneLine(a.Name, maxName)
		out = append(out, a)
	}
	return out, nil
}

// oneLine makes a header value safe to store and to reuse in a header:
// valid UTF-8, every control character (CR and LF included) a space,
// spaces collapsed, at most max characters.
func oneLine(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max])
	}
	return s
}

// text makes a body storable: valid UTF-8 without NUL (which PostgreSQL's
// text refuses), line ends as \n.
func text(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimSpace(strings.ReplaceAll(s, "\r", "\n"))
}

// cleanFilename keeps the last path element of a sender's file name, on
// one line, and names unnamed parts after their type.
func cleanFilename(name, ctype string, n int) string {
	name = oneLine(name, maxFilename)
	name = strings.ReplaceAll(name, "\\", "/")
	name = strings.TrimSpace(path.Base(name))
	if name == "." || name == "/" || name == ".." {
		name = ""
	}
	if name == "" {
		ext := ""
		if exts, _ := mime.ExtensionsByType(ctype); len(exts) > 0 {
			ext = exts[0]
		}
		name = fmt.Sprintf("attachment-%d%s", n, ext)
	}
	return name
}

// size says a number of bytes the way people do.
func size(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%d KB", (n+512)>>10)
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<20)), ".0") + " MB"
}
