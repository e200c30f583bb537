package inbound

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/errs"
)

// crlf writes a message the way SMTP carries it.
func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(strings.TrimPrefix(s, "\n"), "\n", "\r\n"))
}

var richMessage = crlf(`
From: =?ISO-8859-1?Q?Ren=E9_M=FCller?= <Rene.Mueller@Example.COM>
To: "Jane Doe" <jane@client.test>, bob@client.test
Cc: =?UTF-8?B?w4Fsdm8=?= <alvo@client.test>
Subject: =?UTF-8?Q?Portfolio_review_=E2=80=93_Q3?=
Message-ID: <abc.123@mail.example.com>
Date: Tue, 01 Jul 2025 10:00:00 +0200
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Gr=FC=DFe, here is the review.
--inner
Content-Type: text/html; charset=utf-8

<p>Gr&uuml;&szlig;e, <b>here</b> is the review.</p><script>alert(1)</script>
--inner--
--outer
Content-Type: application/pdf
Content-Disposition: attachment; filename*=UTF-8''R%C3%A9sum%C3%A9%20Q3.pdf
Content-Transfer-Encoding: base64

` + base64.StdEncoding.EncodeToString([]byte("%PDF-1.4 tiny")) + `
--outer
Content-Type: text/csv; name="../../etc/passwd"
Content-Disposition: attachment; filename="..\..\holdings.csv"

isin,amount
--outer--
`)

func TestParse_textHTMLAttachmentsAndEncodedHeaders(t *testing.T) {
	m, err := Parse(richMessage, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"from addr", m.FromAddr, "Rene.Mueller@example.com"},
		{"from name", m.FromName, "René Müller"},
		{"to", strings.Join(m.To, ","), "jane@client.test,bob@client.test"},
		{"cc", strings.Join(m.Cc, ","), "alvo@client.test"},
		{"subject", m.Subject, "Portfolio review – Q3"},
		{"message id", m.MessageID, "abc.123@mail.example.com"},
		{"text", m.Text, "Grüße, here is the review."},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if !strings.Contains(m.HTML, "<b>here</b>") {
		t.Errorf("html = %q", m.HTML)
	}
	if len(m.Files) != 2 {
		t.Fatalf("files = %+v", m.Files)
	}
	if f := m.Files[0]; f.Filename != "Résumé Q3.pdf" || f.ContentType != "application/pdf" || string(f.Data) != "%PDF-1.4 tiny" {
		t.Errorf("pdf = %q %q %q", f.Filename, f.ContentType, f.Data)
	}
	if f := m.Files[1]; f.Filename != "holdings.csv" || !strings.HasPrefix(string(f.Data), "isin,amount") {
		t.Errorf("csv = %q %q (a sender's path must not survive)", f.Filename, f.Data)
	}
	if got := strings.Join(m.Addresses(), ","); got != "rene.mueller@example.com,jane@client.test,bob@client.test,alvo@client.test" {
		t.Errorf("addresses = %s", got)
	}
}

func TestParse_headerValuesCannotCarryLineBreaks(t *testing.T) {
	raw := crlf(`
From: =?UTF-8?Q?Eve=0D=0ABcc=3A_victim=40elsewhere.test?= <eve@evil.test>
To: jane@client.test
Subject: =?UTF-8?Q?Hello=0D=0ABcc:_all@firm.test=0A=0A<script>?=
Message-ID: <id=0D=0A@x>
Content-Type: text/plain; name="a"

hi
`)
	m, err := Parse(raw, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]string{"subject": m.Subject, "from name": m.FromName, "message id": m.MessageID} {
		if strings.ContainsAny(v, "\r\n\x00") {
			t.Errorf("%s keeps a line break: %q", name, v)
		}
	}
	if m.Subject != "Hello Bcc: all@firm.test <script>" {
		t.Errorf("subject = %q", m.Subject)
	}
	if m.FromName != "Eve Bcc: victim@elsewhere.test" || m.FromAddr != "eve@evil.test" {
		t.Errorf("from = %q <%s>", m.FromName, m.FromAddr)
	}
	for _, a := range m.Addresses() {
		if strings.Contains(a, "victim") || strings.Contains(a, "all@") {
			t.Errorf("an address came out of a header value: %v", m.Addresses())
		}
	}
	// A raw line break in an attachment's name is folded away too.
	if got := cleanFilename("evil\r\nContent-Type: text/html.txt", "text/plain", 1); strings.ContainsAny(got, "\r\n") {
		t.Errorf("filename = %q", got)
	}
}

func TestParse_bigAttachmentDroppedWithNote(t *testing.T) {
	big := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("x"), 3000))
	raw := crlf(`
From: a@example.com
To: b@example.com
Subject: files
Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain

See attached.
--b
Content-Type: application/octet-stream
Content-Disposition: attachment; filename=big.bin
Content-Transfer-Encoding: base64

` + big + `
--b
Content-Type: image/png
Content-Disposition: attachment; filename=small.png

png
--b--
`)
	m, err := Parse(raw, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != 1 || m.Files[0].Filename != "small.png" {
		t.Fatalf("files = %+v", m.Files)
	}
	if !strings.HasPrefix(m.Text, "See attached.") || !strings.Contains(m.Text, `Attachment "big.bin" (3 KB) was not kept: larger than the limit of 1000 bytes.`) {
		t.Errorf("text = %q", m.Text)
	}
}

func TestParse_htmlOnlyMailGetsAPlainTextBody(t *testing.T) {
	raw := crlf(`
From: a@example.com
To: b@example.com
Subject: html
Content-Type: text/html; charset=utf-8

<html><head><title>T</title><style>p{color:red}</style></head><body><p>Dear Jane,</p><p>Your <i>statement</i>&nbsp;is ready.</p><script>steal()</script></body></html>
`)
	m, err := Parse(raw, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if m.Text != "Dear Jane,\n\nYour statement is ready." {
		t.Errorf("text = %q", m.Text)
	}
	if m.MessageID == "" {
		t.Error("mail without a Message-ID gets one derived from its bytes, so a second delivery is recognised")
	}
	again, _ := Parse(raw, 1000)
	if again.MessageID != m.MessageID {
		t.Errorf("derived ids differ: %q %q", m.MessageID, again.MessageID)
	}
}

func TestParse_headersOnlyMailIsAccepted(t *testing.T) {
	m, err := Parse([]byte("From: a@example.com\r\nTo: b@example.com\r\nSubject: no body\r\n"), 1000)
	if err != nil || m.Subject != "no body" || m.Text != "" {
		t.Fatalf("m = %+v, err = %v", m, err)
	}
}

// malformed are messages Folio refuses as not being email.
var malformed = map[string][]byte{
	"empty":               nil,
	"no header":           []byte("just some text\r\nand more\r\n"),
	"leading space":       []byte(" From: a@example.com\r\n\r\nx"),
	"bad header key":      []byte("Fr{om: a@example.com\r\n\r\nx"),
	"no from":             crlf("\nTo: b@example.com\nSubject: x\n\nbody\n"),
	"from not an address": crlf("\nFrom: not an address\nTo: b@example.com\n\nbody\n"),
	"to not addresses":    crlf("\nFrom: a@example.com\nTo: <<<>>>\n\nbody\n"),
	"broken multipart": crlf(`
From: a@example.com
Content-Type: multipart/mixed; boundary=zz

--zz
Content-Type: text/plain

never closed`),
	"bad base64": crlf(`
From: a@example.com
Content-Type: multipart/mixed; boundary=zz

--zz
Content-Type: application/pdf
Content-Disposition: attachment; filename=x.pdf
Content-Transfer-Encoding: base64

!!!! not base64 ****
--zz--
`),
}

func TestParse_malformedMailIsRefusedAsInvalid(t *testing.T) {
	for name, raw := range malformed {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(raw, 1000)
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("err = %v, want Invalid", err)
			}
		})
	}
}

// TestParse_mangledMailNeverPanics cuts, flips and splices a rich message
// thousands of ways: each result is a message or an Invalid error.
func TestParse_mangledMailNeverPanics(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 7))
	seeds := [][]byte{richMessage}
	for _, m := range malformed {
		seeds = append(seeds, m)
	}
	for i := 0; i < 3000; i++ {
		src := seeds[r.IntN(len(seeds))]
		b := bytes.Clone(src)
		switch r.IntN(4) {
		case 0:
			if len(b) > 0 {
				b = b[:r.IntN(len(b))]
			}
		case 1:
			for j := 0; j < 1+r.IntN(8) && len(b) > 0; j++ {
				b[r.IntN(len(b))] = byte(r.IntN(256))
			}
		case 2:
			if len(b) > 2 {
				at := r.IntN(len(b))
				b = append(b[:at], append([]byte("\r\n--outer\r\nContent-Type: multipart/mixed; boundary=\"\"\r\n\r\n=?x?q?"), b[at:]...)...)
			}
		case 3:
			if len(b) > 2 {
				at := r.IntN(len(b))
				b = append(b[:at], b[at+r.IntN(len(b)-at):]...)
			}
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("panic on %q: %v", b, p)
				}
			}()
			m, err := Parse(b, 64)
			if err != nil && !errs.Is(err, errs.Invalid) {
				t.Fatalf("err = %v on %q", err, b)
			}
			if err == nil {
				for _, v := range []string{m.Subject, m.FromName, m.FromAddr, m.MessageID} {
					if strings.ContainsAny(v, "\r\n") {
						t.Fatalf("line break kept in %q", v)
					}
				}
			}
		}()
	}
}

func FuzzParse(f *testing.F) {
	f.Add(richMessage)
	for _, m := range malformed {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw, 1000)
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("err = %v", err)
			}
			return
		}
		if strings.ContainsAny(m.Subject+m.FromName+m.FromAddr+m.MessageID, "\r\n") {
			t.Fatalf("line break kept: %+v", m)
		}
	})
}
