package inbound

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxHTMLText bounds the text taken out of an HTML-only message.
const maxHTMLText = 1 << 20

// htmlText is the readable text of an HTML-only message, so that every
// received email has a plain-text body to show in lists and to search:
// the text nodes, with line breaks for blocks, without scripts and styles.
// Nothing of it is ever interpreted as HTML again.
func htmlText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var b strings.Builder
	skip := 0
	for b.Len() < maxHTMLText {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return text([]byte(collapseBlankLines(b.String())))
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch a := atom.Lookup(name); a {
			case atom.Script, atom.Style, atom.Head, atom.Title:
				if tt == html.StartTagToken {
					skip++
				}
			case atom.Br, atom.P, atom.Div, atom.Tr, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.Blockquote, atom.Table:
				b.WriteByte('\n')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Script, atom.Style, atom.Head, atom.Title:
				if skip > 0 {
					skip--
				}
			case atom.P, atom.Div, atom.Tr, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.Blockquote, atom.Table:
				b.WriteByte('\n')
			}
		case html.TextToken:
			if skip == 0 {
				t := strings.Join(strings.Fields(string(z.Text())), " ")
				if t != "" {
					if s := b.String(); s != "" && !strings.HasSuffix(s, "\n") && !strings.HasSuffix(s, " ") {
						b.WriteByte(' ')
					}
					b.WriteString(t)
				}
			}
		}
	}
	return text([]byte(collapseBlankLines(b.String())))
}

// collapseBlankLines trims each line and keeps at most one empty line in a
// row.
func collapseBlankLines(s string) string {
	var out []string
	blank := 0
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
