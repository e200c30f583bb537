// Package markdown turns what staff write (notes, ticket comments, email
// bodies) into HTML that is safe to show: CommonMark with GitHub's tables,
// strikethrough and autolinks, where raw HTML is dropped, links may only
// point to http, https and mailto addresses and open without passing on
// the page they came from, and the result is sanitised once more against
// an allow-list of elements and attributes.
package markdown

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// MaxSource is the longest text Render formats; longer text is shown as
// escaped plain text, which is what a note of that size is anyway.
const MaxSource = 256 << 10

var (
	md = goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, extension.TaskList),
		// Without html.WithUnsafe, raw HTML becomes a comment and links
		// to javascript:, vbscript:, file: and data: are emptied.
		goldmark.WithRendererOptions(html.WithHardWraps()),
	)
	policy = sync.OnceValue(func() *bluemonday.Policy {
		p := bluemonday.NewPolicy()
		p.AllowElements("p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "hr",
			"h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td")
		p.AllowAttrs("align").Matching(bluemonday.SpaceSeparatedTokens).OnElements("th", "td")
		p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
		p.AllowAttrs("type").Matching(bluemonday.SpaceSeparatedTokens).OnElements("input")
		p.AllowAttrs("checked", "disabled").OnElements("input")
		p.AllowElements("input")
		p.AllowAttrs("href").OnElements("a")
		p.AllowURLSchemes("http", "https", "mailto")
		p.RequireParseableURLs(true)
		p.RequireNoFollowOnLinks(true)
		p.RequireNoReferrerOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(true)
		return p
	})
)

// Render returns src as sanitised HTML.
func Render(src string) template.HTML {
	if len(src) > MaxSource {
		return template.HTML("<pre>" + template.HTMLEscapeString(src) + "</pre>")
	}
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
	}
	return template.HTML(policy().SanitizeBytes(buf.Bytes()))
}
