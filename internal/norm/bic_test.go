package norm

import "testing"

func TestBIC_acceptsCompactAndSpacedCodes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"DEUTDEFF", "DEUTDEFF"},
		{"deutdeff500", "DEUTDEFF500"},
		{" NWBK GB 2L ", "NWBKGB2L"},
		{"BOFAUS3NXXX", "BOFAUS3NXXX"},
		{"RBKOXKPR", "RBKOXKPR"},
	}
	for _, tt := range tests {
		if got, err := BIC(tt.in); err != nil || got != tt.want {
			t.Errorf("BIC(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestBIC_refusesWithASpecificMessage(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "enter a BIC (SWIFT code) like DEUTDEFF or DEUTDEFF500"},
		{"too short", "DEUTDEF", "a BIC (SWIFT code) has 8 or 11 letters and digits; this one has 7"},
		{"nine", "DEUTDEFF5", "a BIC (SWIFT code) has 8 or 11 letters and digits; this one has 9"},
		{"punctuation", "DEUT-DEFF", "a BIC (SWIFT code) has 8 or 11 letters and digits; this one has 9"},
		{"symbols", "DEUT#EFF", "a BIC (SWIFT code) has only letters and digits"},
		{"NUL", "DEUT\x00EFF", "a BIC (SWIFT code) has only letters and digits"},
		{"digit in bank code", "DEU1DEFF", "a BIC (SWIFT code) starts with four letters that identify the bank"},
		{"unknown country", "DEUTQQFF", `"QQ" in this BIC (SWIFT code) should be a country code, like DE in DEUTDEFF`},
		{"digits for country", "DEUT12FF", `"12" in this BIC (SWIFT code) should be a country code, like DE in DEUTDEFF`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := BIC(tt.in)
			if err == nil || err.Error() != tt.want || got != "" {
				t.Errorf("BIC(%q) = %q, %v; want error %q", tt.in, got, err, tt.want)
			}
		})
	}
}
