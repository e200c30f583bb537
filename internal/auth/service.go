package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"time"

	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/secret"
)

// Service is the auth domain over one database.
type Service struct {
	DB     *db.DB
	Box    *secret.Box
	Hasher *Hasher
	// BaseURL builds password-reset links; never the request's Host.
	BaseURL string
	// IdleTimeout and MaxAge bound sessions.
	IdleTimeout, MaxAge time.Duration
	// Throttle limits failed sign-ins.
	Throttle ThrottleRule
	// MailQueued is called after a transaction that queued mail commits.
	MailQueued func()
}

// ThrottleRule: after Account failures for one email or IP failures from
// one address within Window, sign-in is refused until they age out.
type ThrottleRule struct {
	Account, IP int
	Window      time.Duration
}

// DefaultThrottle is 10 per account or 50 per IP in 15 minutes.
var DefaultThrottle = ThrottleRule{Account: 10, IP: 50, Window: 15 * time.Minute}

// NewService returns a service with the default policies.
func NewService(d *db.DB, box *secret.Box, baseURL string) *Service {
	return &Service{
		DB: d, Box: box, Hasher: NewHasher(OWASP), BaseURL: baseURL,
		IdleTimeout: 30 * time.Minute, MaxAge: 12 * time.Hour, Throttle: DefaultThrottle,
		MailQueued: func() {},
	}
}

// newToken returns n random bytes as unpadded base32 (lower case) and the
// SHA-256 hash that is stored instead of the token.
func newToken(n int) (token, hash string) {
	b := make([]byte, n)
	rand.Read(b)
	token = lowerBase32.EncodeToString(b)
	return token, hashToken(token)
}

var lowerBase32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
