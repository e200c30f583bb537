package norm

import (
	"strings"
	"testing"
)

func TestText_keepsLinesAndTabs(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"only white space", " \r\n\t ", ""},
		{"trims", "  Met at the conference.\n", "Met at the conference."},
		{"CRLF from a textarea", "line one\r\nline two\r\n\r\nline four", "line one\nline two\n\nline four"},
		{"lone CR", "a\rb", "a\nb"},
		{"Unicode line separators", "a\u2028b\u2029c\u0085d", "a\nb\nc\nd"},
		{"tabs kept", "Name:\tJo", "Name:\tJo"},
		{"markup is text", "<script>alert(1)</script>", "<script>alert(1)</script>"},
		{"NFC", "Jose\u0301", "José"},
		{"format characters kept", "\u05e9\u05dc\u05d5\u05dd\u200f!", "\u05e9\u05dc\u05d5\u05dd\u200f!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := Text("Notes", tt.in, 100); err != nil || got != tt.want {
				t.Errorf("Text(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestLine_isOneTrimmedLine(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"trims, including a pasted newline", "  Anne-Marie\r\n", "Anne-Marie"},
		{"inner spaces kept", "van  der Berg", "van  der Berg"},
		{"markup is text", `<b onmouseover="x">Jo</b>`, `<b onmouseover="x">Jo</b>`},
		{"non-Latin", "王小明", "王小明"},
		{"NFC", "Mu\u0308ller", "Müller"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := Line("Last name", tt.in, 100); err != nil || got != tt.want {
				t.Errorf("Line(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestTextAndLine_refuseWithASpecificMessage(t *testing.T) {
	tests := []struct {
		name      string
		multiline bool
		in        string
		max       int
		want      string
	}{
		{"NUL", true, "a\x00b", 0, "Field contains an invisible control character (U+0000); remove it"},
		{"NUL in a line", false, "a\x00b", 0, "Field contains an invisible control character (U+0000); remove it"},
		{"escape", true, "a\x1b[31mb", 0, "Field contains an invisible control character (U+001B); remove it"},
		{"DEL", false, "a\x7fb", 0, "Field contains an invisible control character (U+007F); remove it"},
		{"C1 control", false, "a\u009bb", 0, "Field contains an invisible control character (U+009B); remove it"},
		{"vertical tab", true, "a\vb", 0, "Field contains an invisible control character (U+000B); remove it"},
		{"invalid UTF-8", true, "caf\xe9", 0, "Field contains characters that are not valid text; type it again or paste it as plain text"},
		{"invalid UTF-8 in a line", false, "\xc3\x28", 0, "Field contains characters that are not valid text; type it again or paste it as plain text"},
		{"newline in a line", false, "Anne\nMarie", 0, "Field must be a single line"},
		{"CR in a line", false, "Anne\rMarie", 0, "Field must be a single line"},
		{"line separator in a line", false, "Anne\u2028Marie", 0, "Field must be a single line"},
		{"tab in a line", false, "Anne\tMarie", 0, "Field cannot contain tabs; use spaces"},
		{"too long", true, strings.Repeat("é", 11), 10, "Field is too long: at most 10 characters (this one has 11)"},
		{"too long line", false, strings.Repeat("王", 101), 100, "Field is too long: at most 100 characters (this one has 101)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			validate := Line
			if tt.multiline {
				validate = Text
			}
			got, err := validate("Field", tt.in, tt.max)
			if err == nil || err.Error() != tt.want || got != "" {
				t.Errorf("got %q, %v; want error %q", got, err, tt.want)
			}
		})
	}
}

func TestText_countsCharactersAfterNormalising(t *testing.T) {
	// Ten decomposed é are twenty runes as typed and ten once composed;
	// trailing white space does not count either.
	s := strings.Repeat("e\u0301", 10) + "   "
	got, err := Text("Notes", s, 10)
	if err != nil || got != strings.Repeat("é", 10) {
		t.Errorf("Text = %q, %v; want ten é", got, err)
	}
	if _, err := Line("Name", strings.Repeat("x", 1000), 0); err != nil {
		t.Errorf("Line with max 0 = %v; want no limit", err)
	}
}
