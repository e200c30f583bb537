package email

import (
	"html"
	"html/template"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
)

// received is the allow-list for HTML that came from outside (inbound mail):
// text formatting, lists, tables and http(s)/mailto links; no script,
// style, form, frame or image (remote images would tell the sender the mail
// was opened).
var received = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "div", "span", "strong", "b", "em", "i", "u", "s", "del", "small", "sub", "sup", "code", "pre",
		"blockquote", "ul", "ol", "li", "dl", "dt", "dd", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
		"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption")
	p.AllowAttrs("colspan", "rowspan").Matching(bluemonday.Integer).OnElements("th", "td")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
})

var strict = sync.OnceValue(bluemonday.StrictPolicy)

// sanitiseHTML makes HTML from outside safe to show inside a Folio page.
func sanitiseHTML(src string) template.HTML {
	return template.HTML(received().Sanitize(src))
}

// excerpt is up to n characters of an email's text, as one line: the text
// part, or the HTML part's text when there is none.
func excerpt(text, htmlPart string, n int) string {
	if strings.TrimSpace(text) == "" && htmlPart != "" {
		text = html.UnescapeString(strict().Sanitize(strings.NewReplacer("<br", " <br", "</p>", " </p>", "</div>", " </div>").Replace(htmlPart)))
	}
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	r := []rune(text)
	return strings.TrimSpace(string(r[:n])) + "…"
}
