// Package config owns Folio's settings: the FOLIO_* environment variables, the
// matching command-line flags, their defaults and their validation. There is
// no global configuration: the Config value is passed to whoever needs it.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is the validated configuration of one Folio process.
type Config struct {
	DataDir           string
	Addr              string
	DatabaseURL       string
	BaseURL           string
	SecretKey         string
	SMTPURL           string
	SMTPFrom          string
	LogFormat         string
	LogLevel          string
	SessionIdle       time.Duration
	SessionMaxAge     time.Duration
	SQLiteSynchronous string
	MaxBodyBytes      int64
	ImportMaxBytes    int64
	TrustProxy        bool
	// Inbound is BCC logging (FOLIO_INBOUND_*, inbound.go).
	Inbound Inbound
}

// Var describes one setting; the README's configuration table lists the same.
type Var struct {
	Env, Flag, Default, Help string
}

// Vars lists every setting in the order the README documents them.
var Vars = []Var{
	{"FOLIO_DATA_DIR", "data-dir", "./folio-data", "directory for the SQLite database, the secret key file and uploads"},
	{"FOLIO_ADDR", "addr", "127.0.0.1:8080", "host:port the web server listens on"},
	{"FOLIO_DATABASE_URL", "database-url", "", "empty for the SQLite file in the data directory, or postgres://user:pass@host:5432/db"},
	{"FOLIO_BASE_URL", "base-url", "", "public URL of this Folio, used in links and emails (default http://ADDR)"},
	{"FOLIO_SECRET_KEY", "secret-key", "", "64 hex characters (32 bytes) that encrypt sensitive fields; empty = a key file created in the data directory"},
	{"FOLIO_SMTP_URL", "smtp-url", "", "outgoing mail server: smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465; empty = mail stays queued"},
	{"FOLIO_SMTP_FROM", "smtp-from", "", "sender address of Folio's mail, e.g. \"Folio <folio@example.com>\" (default folio@HOST of the base URL)"},
	{"FOLIO_LOG_FORMAT", "log-format", "text", "text or json"},
	{"FOLIO_LOG_LEVEL", "log-level", "info", "debug, info, warn or error"},
	{"FOLIO_SESSION_IDLE_TIMEOUT", "session-idle-timeout", "30m", "a staff session ends after this long without a request"},
	{"FOLIO_SESSION_MAX_AGE", "session-max-age", "12h", "a staff session ends this long after sign-in, active or not"},
	{"FOLIO_SQLITE_SYNCHRONOUS", "sqlite-synchronous", "FULL", "FULL (every acknowledged write is on disk) or NORMAL (faster; the last writes may be lost on power failure)"},
	{"FOLIO_MAX_BODY_BYTES", "max-body-bytes", "1048576", "largest accepted request body for forms and the API, in bytes"},
	{"FOLIO_IMPORT_MAX_BYTES", "import-max-bytes", "536870912", "largest file accepted for an import, in bytes (default 512 MB)"},
	{"FOLIO_TRUST_PROXY", "trust-proxy", "false", "true when Folio runs behind a reverse proxy that sets X-Forwarded-For"},
}

// Register binds every setting to a flag of fs whose default comes from the
// environment (looked up with getenv) or the built-in default.
func Register(fs *flag.FlagSet, getenv func(string) string) *Flags {
	f := &Flags{values: map[string]*string{}}
	for _, v := range Vars {
		def := v.Default
		if e := getenv(v.Env); e != "" {
			def = e
		}
		f.values[v.Env] = fs.String(v.Flag, def, v.Help+" ("+v.Env+")")
	}
	return f
}

// Flags holds the raw values bound by Register until Config turns them into a
// validated Config.
type Flags struct {
	values map[string]*string
}

func (f *Flags) get(env string) string { return strings.TrimSpace(*f.values[env]) }

// Config validates the raw values. The error lists every problem, each with
// the variable name and how to fix it.
func (f *Flags) Config() (*Config, error) {
	var problems []string
	bad := func(env, format string, args ...any) {
		var flagName string
		for _, v := range Vars {
			if v.Env == env {
				flagName = v.Flag
			}
		}
		problems = append(problems, fmt.Sprintf("%s (--%s): %s", env, flagName, fmt.Sprintf(format, args...)))
	}
	c := &Config{
		DataDir:           f.get("FOLIO_DATA_DIR"),
		Addr:              f.get("FOLIO_ADDR"),
		DatabaseURL:       f.get("FOLIO_DATABASE_URL"),
		BaseURL:           strings.TrimRight(f.get("FOLIO_BASE_URL"), "/"),
		SecretKey:         f.get("FOLIO_SECRET_KEY"),
		SMTPURL:           f.get("FOLIO_SMTP_URL"),
		SMTPFrom:          f.get("FOLIO_SMTP_FROM"),
		LogFormat:         strings.ToLower(f.get("FOLIO_LOG_FORMAT")),
		LogLevel:          strings.ToLower(f.get("FOLIO_LOG_LEVEL")),
		SQLiteSynchronous: strings.ToUpper(f.get("FOLIO_SQLITE_SYNCHRONOUS")),
	}
	if c.DataDir == "" {
		bad("FOLIO_DATA_DIR", "must not be empty; use a directory path such as ./folio-data")
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		bad("FOLIO_ADDR", "%q is not host:port; use e.g. 127.0.0.1:8080 or :8080", c.Addr)
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			bad("FOLIO_DATABASE_URL", "must be empty (SQLite) or a postgres:// URL such as postgres://folio@localhost:5432/folio")
		}
	}
	if c.BaseURL == "" {
		host, port, _ := net.SplitHostPort(c.Addr)
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		c.BaseURL = "http://" + net.JoinHostPort(host, port)
	} else if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		bad("FOLIO_BASE_URL", "%q must be an absolute http:// or https:// URL without query, e.g. https://crm.example.com", c.BaseURL)
	}
	if c.SecretKey != "" {
		if len(c.SecretKey) != 64 || strings.Trim(strings.ToLower(c.SecretKey), "0123456789abcdef") != "" {
			bad("FOLIO_SECRET_KEY", "must be exactly 64 hex characters (generate one with: openssl rand -hex 32)")
		}
	}
	if c.SMTPURL != "" {
		u, err := url.Parse(c.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			bad("FOLIO_SMTP_URL", "must be smtp://user:pass@host:587 or smtps://user:pass@host:465")
		}
	}
	if c.SMTPFrom == "" {
		if u, err := url.Parse(c.BaseURL); err == nil {
			c.SMTPFrom = "Folio <folio@" + u.Hostname() + ">"
		}
	} else if strings.ContainsAny(c.SMTPFrom, "\r\n") || !strings.Contains(c.SMTPFrom, "@") {
		bad("FOLIO_SMTP_FROM", "must be an email address such as \"Folio <folio@example.com>\"")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("FOLIO_LOG_FORMAT", "%q is not text or json", c.LogFormat)
	}
	if _, err := ParseLevel(c.LogLevel); err != nil {
		bad("FOLIO_LOG_LEVEL", "%q is not debug, info, warn or error", c.LogLevel)
	}
	dur := func(env string, min time.Duration) time.Duration {
		d, err := time.ParseDuration(f.get(env))
		if err != nil || d < min {
			bad(env, "%q must be a duration of at least %s, e.g. 30m or 12h", f.get(env), min)
		}
		return d
	}
	c.SessionIdle = dur("FOLIO_SESSION_IDLE_TIMEOUT", time.Minute)
	c.SessionMaxAge = dur("FOLIO_SESSION_MAX_AGE", time.Minute)
	if c.SessionIdle > c.SessionMaxAge && c.SessionMaxAge > 0 {
		bad("FOLIO_SESSION_IDLE_TIMEOUT", "(%s) must not be longer than FOLIO_SESSION_MAX_AGE (%s)", c.SessionIdle, c.SessionMaxAge)
	}
	if c.SQLiteSynchronous != "FULL" && c.SQLiteSynchronous != "NORMAL" {
		bad("FOLIO_SQLITE_SYNCHRONOUS", "%q is not FULL or NORMAL", c.SQLiteSynchronous)
	}
	n, err := strconv.ParseInt(f.get("FOLIO_MAX_BODY_BYTES"), 10, 64)
	if err != nil || n < 1024 {
		bad("FOLIO_MAX_BODY_BYTES", "%q must be a whole number of bytes, at least 1024", f.get("FOLIO_MAX_BODY_BYTES"))
	}
	c.MaxBodyBytes = n
	im, err := strconv.ParseInt(f.get("FOLIO_IMPORT_MAX_BYTES"), 10, 64)
	if err != nil || im < 1024 {
		bad("FOLIO_IMPORT_MAX_BYTES", "%q must be a whole number of bytes, at least 1024", f.get("FOLIO_IMPORT_MAX_BYTES"))
	}
	c.ImportMaxBytes = im
	tp, err := strconv.ParseBool(f.get("FOLIO_TRUST_PROXY"))
	if err != nil {
		bad("FOLIO_TRUST_PROXY", "%q is not true or false", f.get("FOLIO_TRUST_PROXY"))
	}
	c.TrustProxy = tp
	c.Inbound = f.inbound(c.BaseURL, bad) // BCC logging
	if len(problems) > 0 {
		return nil, errors.New("invalid configuration:\n  " + strings.Join(problems, "\n  "))
	}
	return c, nil
}

// ParseLevel turns a FOLIO_LOG_LEVEL value into a slog level.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	err := l.UnmarshalText([]byte(s))
	return l, err
}

// Postgres reports whether the configuration selects PostgreSQL.
func (c *Config) Postgres() bool { return c.DatabaseURL != "" }

// SecureCookies reports whether cookies must carry the Secure attribute.
func (c *Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// Default returns a valid configuration with every default, for tests and
// tools; fields can be changed afterwards.
func Default() *Config {
	fs := flag.NewFlagSet("default", flag.ContinueOnError)
	c, err := Register(fs, func(string) string { return "" }).Config()
	if err != nil {
		panic(err) // the built-in defaults are valid by construction
	}
	return c
}
