package auth

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/foliocrm/folio/internal/errs"
)

// Argon2Params are the cost parameters of argon2id.
type Argon2Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// OWASP is the OWASP Password Storage Cheat Sheet's argon2id setting
// (m=19 MiB, t=2, p=1).
var OWASP = Argon2Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

const (
	MinPasswordLen = 12
	MaxPasswordLen = 128
)

// Hasher hashes and checks passwords with argon2id. Each hash takes ~19 MiB
// and tens of milliseconds, so a semaphore bounds how many run at once; a
// flood of sign-ins queues instead of exhausting memory.
type Hasher struct {
	Params Argon2Params
	sem    chan struct{}
}

// NewHasher returns a hasher that runs at most one hash per CPU at a time.
func NewHasher(p Argon2Params) *Hasher {
	return &Hasher{Params: p, sem: make(chan struct{}, max(1, runtime.NumCPU()))}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Hash returns an encoded argon2id hash in the PHC string format.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer func() { <-h.sem }()
	salt := make([]byte, 16)
	rand.Read(salt)
	p := h.Params
	key := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

var errBadHash = errors.New("auth: malformed password hash")

// Verify reports whether password matches encoded. The parameters stored in
// the hash are used, so raising Params later keeps old hashes valid.
func (h *Hasher) Verify(ctx context.Context, password, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false, errBadHash
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errBadHash
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer func() { <-h.sem }()
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against when the account does not exist, so that
// answering "wrong password" and "no such user" takes the same time.
var (
	dummyOnce sync.Once
	dummyHash string
)

func (h *Hasher) dummy(ctx context.Context) string {
	dummyOnce.Do(func() { dummyHash, _ = h.Hash(ctx, "folio-dummy-password-for-timing") })
	return dummyHash
}

//go:embed common-passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 50000)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		m[sc.Text()] = struct{}{}
	}
	return m
})

// CheckPassword applies the password policy: 12 to 128 characters, not a
// common password (nor one padded with digits and symbols), not one repeated
// character, and not the user's own email or name.
func CheckPassword(password, email, name string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		return errs.E(errs.Invalid, "Use at least %d characters.", MinPasswordLen)
	case n > MaxPasswordLen:
		return errs.E(errs.Invalid, "Use at most %d characters.", MaxPasswordLen)
	case !utf8.ValidString(password):
		return errs.E(errs.Invalid, "The password contains invalid characters.")
	}
	lower := strings.ToLower(password)
	if isCommon(lower) {
		return errs.E(errs.Invalid, "This password is on a list of commonly used passwords; choose another.")
	}
	if strings.Count(lower, string([]rune(lower)[0])) == n {
		return errs.E(errs.Invalid, "A password of one repeated character is too easy to guess.")
	}
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	if (len(local) >= 4 && strings.Contains(lower, local)) || strings.EqualFold(strings.ReplaceAll(password, " ", ""), strings.ReplaceAll(name, " ", "")) {
		return errs.E(errs.Invalid, "The password must not contain your email address or name.")
	}
	return nil
}

func isCommon(lower string) bool {
	list := commonPasswords()
	if _, ok := list[lower]; ok {
		return true
	}
	// Strip digits and symbols around a word ("Password2024!") and repetitions
	// ("qwertyqwerty") before looking again.
	core := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if _, ok := list[core]; ok && len(core) >= 4 {
		return true
	}
	for size := 4; size <= len(lower)/2; size++ {
		if len(lower)%size == 0 && strings.Repeat(lower[:size], len(lower)/size) == lower {
			return true
		}
	}
	return false
}
