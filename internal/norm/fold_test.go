package norm

import (
	"slices"
	"testing"
)

func TestFold_matchesWhatPeopleType(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"lower-cases", "ANNE Marie", "anne marie"},
		{"drops accents", "José Müller-Lüdenscheidt", "jose muller-ludenscheidt"},
		{"French", "Françoise Lefèvre", "francoise lefevre"},
		{"Vietnamese stacked accents", "Nguyễn Thị Ánh", "nguyen thi anh"},
		{"eszett", "Straße", "strasse"},
		{"capital eszett", "STRAẞE", "strasse"},
		{"ae ligature", "Ærø", "aero"},
		{"o with stroke", "Søren Kierkegaard", "soren kierkegaard"},
		{"oe ligature", "Œuvre cœur", "oeuvre coeur"},
		{"Polish l", "Łódź Wałęsa", "lodz walesa"},
		{"d with stroke", "Đorđe", "dorde"},
		{"eth", "Guðrún", "gudrun"},
		{"dotless i", "Işıl", "isil"},
		{"dotted capital I", "İstanbul", "istanbul"},
		{"thorn", "Þórður", "thordur"},
		{"compatibility forms", "ﬁnance Ｆｕｌｌ №²", "finance full no2"},
		{"collapses white space", "  Anne \t\n  Marie\u00a0 Smith  ", "anne marie smith"},
		{"drops zero-width and soft hyphen", "Ma\u00adrie\u200b Curie", "marie curie"},
		{"control characters are spaces", "a\x00b", "a b"},
		{"Cyrillic lower-cased, breve dropped", "Пётр Йорданов", "петр иорданов"},
		{"Greek accents and final sigma", "ΣΩΚΡΆΤΗΣ Σωκράτης", "σωκρατησ σωκρατησ"},
		{"Arabic vowel points dropped", "مُحَمَّد", "محمد"},
		{"Hebrew points dropped", "שָׁלוֹם", "שלום"},
		{"Han kept", "王小明", "王小明"},
		{"kana voiced mark kept", "がっこう ガッコウ", "がっこう ガッコウ"},
		{"Hangul recomposed", "김민준", "김민준"},
		{"Devanagari marks kept", "प्रिया क़", "प्रिया क़"},
		{"Thai marks kept", "สมชาย ใจดี", "สมชาย ใจดี"},
		{"stray mark dropped", "\u0301abc", "abc"},
		{"punctuation kept", "O'Neil & Co.", "o'neil & co."},
		{"invalid UTF-8 does not panic", "a\xffb", "a\ufffdb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFold_isIdempotent(t *testing.T) {
	for _, s := range []string{"Ærø Straße", "ΣΩΚΡΆΤΗΣ", "がっこう", "प्रिया", "  x  y ", "İı"} {
		once := Fold(s)
		if twice := Fold(once); twice != once {
			t.Errorf("Fold(Fold(%q)) = %q, want %q", s, twice, once)
		}
	}
}

func TestFold_sortsAccentedNamesWithTheirLetter(t *testing.T) {
	names := []string{"Zoe", "Ångström", "Becker", "Älmhult", "adams", "Çelik"}
	slices.SortFunc(names, func(a, b string) int {
		switch fa, fb := Fold(a), Fold(b); {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	})
	want := []string{"adams", "Älmhult", "Ångström", "Becker", "Çelik", "Zoe"}
	if !slices.Equal(names, want) {
		t.Errorf("sorted = %q, want %q", names, want)
	}
}
