package auth_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/errs"
)

func TestCheckPassword_policy(t *testing.T) {
	cases := []struct {
		name        string
		password    string
		email, user string
		wantMsg     string // "" means accepted
	}{
		// Length, counted in characters.
		{"11 characters refused", "k7#vQ2!mZp9", "", "", "at least 12"},
		{"12 characters accepted", "k7#vQ2!mZp9x", "", "", ""},
		{"128 characters accepted", strings.Repeat("k7#vQ2!mZp9x", 10) + "abcdefgh", "", "", ""},
		{"129 characters refused", strings.Repeat("k7#vQ2!mZp9x", 10) + "abcdefghi", "", "", "at most 128"},
		{"11 multibyte characters refused though 33 bytes", "日本語のパスワードです", "", "", "at least 12"},
		{"12 multibyte characters accepted", "日本語のパスワードですね", "", "", ""},
		{"invalid UTF-8 refused", strings.Repeat("\xff", 12), "", "", "invalid characters"},
		// Common passwords of 12 or more characters, as listed.
		{"common exact", "qwerty123456", "", "", "commonly used"},
		{"common exact 1qaz2wsx3edc", "1qaz2wsx3edc", "", "", "commonly used"},
		{"common exact letters only", "finalfantasy", "", "", "commonly used"},
		{"common any case", "FinalFantasy", "", "", "commonly used"},
		// A common word padded with digits and symbols.
		{"common word padded", "Password2024!", "", "", "commonly used"},
		{"common word padded both sides", "!!Sunshine2024", "", "", "commonly used"},
		{"common word padded with symbols", "football#12345", "", "", "commonly used"},
		// Repetitions.
		{"repeated pattern of four", "abcdabcdabcd", "", "", "commonly used"},
		{"repeated pattern of six", "k7#vQ2k7#vQ2", "", "", "commonly used"},
		{"repeated pattern of four, 16 characters", "Pa5$Pa5$Pa5$Pa5$", "", "", "commonly used"},
		{"one repeated character, 12 (caught as a repetition)", "aaaaaaaaaaaa", "", "", "commonly used"},
		{"one repeated character, 13", "zzzzzzzzzzzzz", "", "", "one repeated character"},
		{"one repeated symbol, 13", "!!!!!!!!!!!!!", "", "", "one repeated character"},
		// The user's own email and name.
		{"contains email local part", "jane.doe-rocks-2024", "jane.doe@example.com", "Jane Doe", "email address or name"},
		{"contains email local part, other case", "xxJANE.DOE2024!", "Jane.Doe@Example.com", "Jane Doe", "email address or name"},
		{"short local part may appear", "al-bright-river-77", "al@example.com", "Al", ""},
		{"is the name without spaces", "MaryAnnSmithers", "m@example.com", "Mary Ann Smithers", "email address or name"},
		{"is the name with other spacing", "mary annsmithers", "m@example.com", "Mary Ann Smithers", "email address or name"},
		// Strong passwords.
		{"passphrase", "correct horse battery staple", "jane.doe@example.com", "Jane Doe", ""},
		{"mixed", "Tr0ub4dor&3-violet-Harbor", "jane.doe@example.com", "Jane Doe", ""},
		{"uncommon word padded", "Zyxwvutsrqpo2024!", "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := auth.CheckPassword(c.password, c.email, c.user)
			if c.wantMsg == "" {
				if err != nil {
					t.Fatalf("CheckPassword(%q) = %v, want accepted", c.password, err)
				}
				return
			}
			wantCode(t, err, errs.Invalid)
			if msg := errs.MessageOf(err); !strings.Contains(msg, c.wantMsg) {
				t.Fatalf("CheckPassword(%q) message %q, want it to mention %q", c.password, msg, c.wantMsg)
			}
		})
	}
}

func TestCheckPassword_limitsAreTwelveAndOneHundredTwentyEight(t *testing.T) {
	if auth.MinPasswordLen != 12 || auth.MaxPasswordLen != 128 {
		t.Fatalf("limits = %d..%d, want 12..128", auth.MinPasswordLen, auth.MaxPasswordLen)
	}
}

// TestHasher_OWASPParametersProduceArgon2idHashes uses the real cost
// parameters; every other test uses cheap ones.
func TestHasher_OWASPParametersProduceArgon2idHashes(t *testing.T) {
	want := auth.Argon2Params{MemoryKiB: 19456, Time: 2, Threads: 1}
	if auth.OWASP != want {
		t.Fatalf("OWASP = %+v, want %+v", auth.OWASP, want)
	}
	ctx := context.Background()
	h := auth.NewHasher(auth.OWASP)
	hash, err := h.Hash(ctx, ownerPassword)
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "$argon2id$v=19$m=19456,t=2,p=1$"
	if !strings.HasPrefix(hash, prefix) {
		t.Fatalf("hash %q does not start with %q", hash, prefix)
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 {
		t.Fatalf("hash %q has %d $-separated parts, want 6", hash, len(parts))
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) != 16 || len(key) != 32 {
		t.Fatalf("salt %d bytes (%v), key %d bytes (%v); want 16 and 32", len(salt), err1, len(key), err2)
	}
	for _, c := range []struct {
		password string
		want     bool
	}{
		{ownerPassword, true},
		{ownerPassword + " ", false},
		{strings.ToUpper(ownerPassword), false},
		{"", false},
	} {
		ok, err := h.Verify(ctx, c.password, hash)
		if err != nil || ok != c.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", c.password, ok, err, c.want)
		}
	}
	again, err := h.Hash(ctx, ownerPassword)
	if err != nil {
		t.Fatal(err)
	}
	if again == hash {
		t.Error("hashing the same password twice gave the same hash: the salt is not random")
	}
}

func TestHasher_verifiesWithTheParametersStoredInTheHash(t *testing.T) {
	ctx := context.Background()
	cheap := auth.NewHasher(auth.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1})
	hash, err := cheap.Hash(ctx, userPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q does not record the parameters", hash)
	}
	// A hasher with other (raised) parameters still accepts the old hash.
	raised := auth.NewHasher(auth.Argon2Params{MemoryKiB: 128, Time: 2, Threads: 2})
	if ok, err := raised.Verify(ctx, userPassword, hash); !ok || err != nil {
		t.Fatalf("Verify with raised parameters = %v, %v; want true", ok, err)
	}
	if ok, err := raised.Verify(ctx, otherPassword, hash); ok || err != nil {
		t.Fatalf("Verify of a wrong password = %v, %v; want false, nil", ok, err)
	}
}

func TestHasher_rejectsMalformedHashes(t *testing.T) {
	ctx := context.Background()
	h := auth.NewHasher(auth.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1})
	good, err := h.Hash(ctx, userPassword)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	for _, c := range []struct{ name, hash string }{
		{"empty", ""},
		{"no password yet", "!"},
		{"argon2i", strings.Replace(good, "$argon2id$", "$argon2i$", 1)},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"bad parameters", strings.Join([]string{"", "argon2id", "v=19", "m=x,t=1,p=1", parts[4], parts[5]}, "$")},
		{"bad salt", strings.Join([]string{"", "argon2id", "v=19", parts[3], "!!!", parts[5]}, "$")},
		{"empty key", strings.Join([]string{"", "argon2id", "v=19", parts[3], parts[4], ""}, "$")},
		{"extra part", good + "$x"},
	} {
		ok, err := h.Verify(ctx, userPassword, c.hash)
		if ok || err == nil {
			t.Errorf("%s: Verify = %v, %v; want false and an error", c.name, ok, err)
		}
	}
}
