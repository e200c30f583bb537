// Package secret owns Folio's secret key and what is derived from it: AES-256-GCM
// encryption of sensitive fields and keyed hashes that find equal values
// without decrypting them.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeyFile is the name of the key file created in the data directory when
// FOLIO_SECRET_KEY is not set.
const KeyFile = "secret.key"

// Box encrypts, decrypts and hashes with keys derived from the master key.
type Box struct {
	aead    cipher.AEAD
	hashKey []byte
}

// Load returns the Box for hexKey, or, when hexKey is empty, for the key in
// dataDir/secret.key, creating that file (mode 0600) on first run.
func Load(hexKey, dataDir string) (*Box, error) {
	if hexKey == "" {
		path := filepath.Join(dataDir, KeyFile)
		b, err := os.ReadFile(path)
		switch {
		case err == nil:
			hexKey = strings.TrimSpace(string(b))
		case errors.Is(err, os.ErrNotExist):
			raw := make([]byte, 32)
			rand.Read(raw)
			hexKey = hex.EncodeToString(raw)
			if err := os.MkdirAll(dataDir, 0o700); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
			if err := os.WriteFile(path, []byte(hexKey+"\n"), 0o600); err != nil {
				return nil, fmt.Errorf("write key file %s: %w", path, err)
			}
		default:
			return nil, fmt.Errorf("read key file %s: %w", path, err)
		}
	}
	master, err := hex.DecodeString(hexKey)
	if err != nil || len(master) != 32 {
		return nil, errors.New("secret key must be 64 hex characters (32 bytes)")
	}
	return New(master)
}

// New derives the Box from a 32-byte master key.
func New(master []byte) (*Box, error) {
	encKey, err := hkdf.Key(sha256.New, master, nil, "folio field encryption", 32)
	if err != nil {
		return nil, err
	}
	hashKey, err := hkdf.Key(sha256.New, master, nil, "folio keyed hash", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead, hashKey: hashKey}, nil
}

// Seal encrypts plaintext; the result is text safe to store. The empty string
// stays empty.
func (b *Box) Seal(plaintext string) string {
	if plaintext == "" {
		return ""
	}
	nonce := make([]byte, b.aead.NonceSize())
	rand.Read(nonce)
	out := b.aead.Seal(nonce, nonce, []byte(plaintext), nil)
	return "v1:" + base64.RawStdEncoding.EncodeToString(out)
}

// Open decrypts what Seal produced.
func (b *Box) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	raw, ok := strings.CutPrefix(sealed, "v1:")
	if !ok {
		return "", errors.New("secret: unknown ciphertext format")
	}
	data, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil || len(data) < b.aead.NonceSize() {
		return "", errors.New("secret: malformed ciphertext")
	}
	plain, err := b.aead.Open(nil, data[:b.aead.NonceSize()], data[b.aead.NonceSize():], nil)
	if err != nil {
		return "", errors.New("secret: ciphertext does not match the key (was FOLIO_SECRET_KEY changed?)")
	}
	return string(plain), nil
}

// Hash is a keyed hash (HMAC-SHA-256) of an already normalised value, for
// finding equal values without decrypting.
func (b *Box) Hash(normalised string) string {
	m := hmac.New(sha256.New, b.hashKey)
	m.Write([]byte(normalised))
	return hex.EncodeToString(m.Sum(nil))
}

// Mask shows only the last four characters of a sensitive value.
func Mask(v string) string {
	r := []rune(v)
	if len(r) <= 4 {
		return strings.Repeat("•", len(r))
	}
	return "••••" + string(r[len(r)-4:])
}
