package markdown

import (
	"regexp"
	"strings"
	"testing"
)

// handler finds an on… attribute inside a tag.
var handler = regexp.MustCompile(`<[^>]*\son[a-z]+\s*=`)

func TestRender_formatsMarkdown(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"**Call** her _Tuesday_", "<p><strong>Call</strong> her <em>Tuesday</em></p>"},
		{"- one\n- two", "<li>one</li>"},
		{"[site](https://example.com)", `<a href="https://example.com" rel="nofollow noreferrer noopener" target="_blank">site</a>`},
		{"mail me: <mailto:a@example.com>", `href="mailto:a@example.com"`},
		{"line one\nline two", "line one<br>"},
		{"| a | b |\n|---|---|\n| 1 | 2 |", "<td>1</td>"},
		{"~~old~~", "<del>old</del>"},
	} {
		if got := string(Render(tt.in)); !strings.Contains(got, tt.want) {
			t.Errorf("Render(%q) = %q, want it to contain %q", tt.in, got, tt.want)
		}
	}
}

// Script, raw HTML, event handlers and javascript: links never survive.
func TestRender_scriptRawHTMLAndJavascriptLinksAreInert(t *testing.T) {
	for _, in := range []string{
		"<script>alert(1)</script>",
		"hello <img src=x onerror=alert(1)>",
		"<a href=\"javascript:alert(1)\">x</a>",
		"[click](javascript:alert(1))",
		"[click](JaVaScRiPt:alert(1))",
		"[click](  javascript:alert(1))",
		"[click](vbscript:msgbox(1))",
		"[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		"![x](javascript:alert(1))",
		"<iframe src=https://evil.example></iframe>",
		"<style>body{display:none}</style>",
		"<div onclick=\"alert(1)\">x</div>",
		"[x](https://example.com \"title\" onmouseover=alert(1))",
		"<svg><script>alert(1)</script></svg>",
		"```html\n<script>alert(1)</script>\n```",
	} {
		got := strings.ToLower(string(Render(in)))
		for _, bad := range []string{"<script", "javascript:", "vbscript:", "data:text", "<iframe", "<style", "<img", "<svg", "<div"} {
			if strings.Contains(got, bad) {
				t.Errorf("Render(%q) = %q: contains %q", in, got, bad)
			}
		}
		if handler.MatchString(got) {
			t.Errorf("Render(%q) = %q: an element has an event handler", in, got)
		}
	}
	// Code is shown, escaped.
	if got := string(Render("`<b>`")); !strings.Contains(got, "<code>&lt;b&gt;</code>") {
		t.Errorf("inline code = %q", got)
	}
}

func TestRender_hugeTextIsEscapedPlainText(t *testing.T) {
	in := strings.Repeat("<b>x</b>", MaxSource/8+1)
	got := string(Render(in))
	if strings.Contains(got, "<b>") || !strings.HasPrefix(got, "<pre>") {
		t.Errorf("huge text rendered as %q…", got[:40])
	}
}
