package api

import (
	"testing"

	"github.com/foliocrm/folio/internal/contact"
)

func TestAttachment_savesUnderASafeNameInEveryClient(t *testing.T) {
	for _, tc := range []struct{ name, ctype, want string }{
		{"passport.pdf", "application/pdf", `attachment; filename="passport.pdf"`},
		{"Scan.PDF", "application/pdf", `attachment; filename="Scan.PDF"`},
		{"photo.jpeg", "image/jpeg", `attachment; filename="photo.jpeg"`},
		{"scan", "image/png", `attachment; filename="scan.png"`},
		{"page.html", "application/pdf", `attachment; filename="page.html.pdf"`},
		{".pdf", "application/pdf", `attachment; filename=".pdf.pdf"`},
		{"Pässe 2024.pdf", "application/pdf", `attachment; filename="P_sse 2024.pdf"; filename*=UTF-8''P%C3%A4sse%202024.pdf`},
		{"a\\b%c.pdf", "application/pdf", `attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%5Cb%25c.pdf`},
		{"日本.png", "image/png", `attachment; filename="__.png"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.png`},
	} {
		if got := attachment(contact.Document{Filename: tc.name, ContentType: tc.ctype}.DownloadName()); got != tc.want {
			t.Errorf("%q (%s) = %s, want %s", tc.name, tc.ctype, got, tc.want)
		}
	}
}
