package config

import (
	"flag"
	"os"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, env map[string]string, args ...string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	f := Register(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return f.Config()
}

func TestConfig_defaults(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "./folio-data" || c.Addr != "127.0.0.1:8080" || c.BaseURL != "http://127.0.0.1:8080" ||
		c.SessionIdle != 30*time.Minute || c.SessionMaxAge != 12*time.Hour || c.SQLiteSynchronous != "FULL" || c.Postgres() || c.SecureCookies() {
		t.Errorf("defaults: %+v", c)
	}
}

func TestConfig_flagBeatsEnvironment(t *testing.T) {
	c, err := load(t, map[string]string{"FOLIO_ADDR": "127.0.0.1:9000"}, "--addr", "127.0.0.1:9001")
	if err != nil || c.Addr != "127.0.0.1:9001" {
		t.Errorf("addr = %v, %v", c, err)
	}
	c, err = load(t, map[string]string{"FOLIO_BASE_URL": "https://crm.example.com/"})
	if err != nil || c.BaseURL != "https://crm.example.com" || !c.SecureCookies() {
		t.Errorf("base url = %v, %v", c, err)
	}
}

func TestConfig_everyBadValueIsNamedWithAFix(t *testing.T) {
	bad := map[string]string{
		"FOLIO_ADDR": "8080", "FOLIO_DATABASE_URL": "mysql://x", "FOLIO_BASE_URL": "crm.example.com",
		"FOLIO_SECRET_KEY": "xyz", "FOLIO_SMTP_URL": "http://mail", "FOLIO_LOG_FORMAT": "xml", "FOLIO_LOG_LEVEL": "loud",
		"FOLIO_SESSION_IDLE_TIMEOUT": "soon", "FOLIO_SESSION_MAX_AGE": "1s", "FOLIO_SQLITE_SYNCHRONOUS": "OFF",
		"FOLIO_MAX_BODY_BYTES": "ten", "FOLIO_TRUST_PROXY": "maybe", "FOLIO_SMTP_FROM": "nobody",
	}
	_, err := load(t, bad)
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for k := range bad {
		if !strings.Contains(err.Error(), k) {
			t.Errorf("error does not name %s:\n%v", k, err)
		}
	}
}

// TestREADME_documentsEveryVariable keeps the README's configuration table true.
func TestREADME_documentsEveryVariable(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Vars {
		if !strings.Contains(string(b), "| `"+v.Env+"` | `--"+v.Flag+"` |") {
			t.Errorf("README.md does not document %s (--%s)", v.Env, v.Flag)
		}
	}
}
