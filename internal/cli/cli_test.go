package cli

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/foliocrm/folio/internal/db/dbtest"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	return result{code, out.String(), errb.String()}
}

// targets gives the CLI the environment of each database kind.
func targets(t *testing.T, fn func(t *testing.T, env map[string]string)) {
	for _, k := range dbtest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			tg := k.New(t)
			fn(t, map[string]string{"FOLIO_DATA_DIR": tg.DataDir, "FOLIO_DATABASE_URL": tg.URL})
		})
	}
}

func TestCLI_userTokenAndAuditVerifyOnAUsedDatabase(t *testing.T) {
	targets(t, func(t *testing.T, env map[string]string) {
		if r := run(t, env, "quartz meadow lantern 55\n", "user", "create", "--email", "Owner@Firm.test", "--name", "Olivia", "--role", "owner", "--password-stdin"); r.code != 0 || !strings.Contains(r.stdout, "owner@firm.test") {
			t.Fatalf("user create = %+v", r)
		}
		if r := run(t, env, "", "user", "create", "--email", "adv@firm.test", "--name", "Adam", "--role", "advisor"); r.code != 0 || !strings.Contains(r.stdout, "invitation") {
			t.Fatalf("user create with invitation = %+v", r)
		}
		if r := run(t, env, "short\n", "user", "create", "--email", "x@firm.test", "--name", "X", "--password-stdin"); r.code != 1 || !strings.Contains(r.stderr, "at least 12 characters") {
			t.Errorf("weak password = %+v", r)
		}
		if r := run(t, env, "", "user", "create", "--email", "x@firm.test", "--name", "X", "--role", "king"); r.code != 1 || !strings.Contains(r.stderr, "--role") {
			t.Errorf("bad role = %+v", r)
		}
		r := run(t, env, "", "token", "create", "--user", "owner@firm.test", "--name", "script")
		if r.code != 0 || !strings.HasPrefix(r.stdout, "folio_") {
			t.Fatalf("token create = %+v", r)
		}
		if r := run(t, env, "", "token", "list", "--user", "owner@firm.test"); r.code != 0 || !strings.Contains(r.stdout, "script") {
			t.Errorf("token list = %+v", r)
		}
		if r := run(t, env, "", "token", "revoke", "--id", "1"); r.code != 0 {
			t.Errorf("token revoke = %+v", r)
		}
		if r := run(t, env, "", "user", "list"); r.code != 0 || !strings.Contains(r.stdout, "adv@firm.test") {
			t.Errorf("user list = %+v", r)
		}
		if r := run(t, env, "", "user", "disable", "--email", "adv@firm.test"); r.code != 0 {
			t.Errorf("user disable = %+v", r)
		}
		if r := run(t, env, "tundra velvet harbour 12\n", "user", "reset-password", "--email", "owner@firm.test", "--password-stdin"); r.code != 0 {
			t.Errorf("reset-password = %+v", r)
		}
		if r := run(t, env, "", "user", "disable", "--email", "nobody@firm.test"); r.code != 1 || !strings.Contains(r.stderr, "no user") {
			t.Errorf("disable unknown = %+v", r)
		}
		r = run(t, env, "", "audit", "verify")
		if r.code != 0 || !strings.Contains(r.stdout, "activity log intact") {
			t.Fatalf("audit verify = %+v", r)
		}
	})
}

func TestCLI_auditVerifyFailsOnATamperedDatabase(t *testing.T) {
	env := map[string]string{"FOLIO_DATA_DIR": t.TempDir()}
	for _, e := range []string{"a@firm.test", "b@firm.test", "c@firm.test"} {
		if r := run(t, env, "", "user", "create", "--email", e, "--name", "N", "--role", "admin"); r.code != 0 {
			t.Fatal(r)
		}
	}
	raw, err := sql.Open("sqlite", filepath.Join(env["FOLIO_DATA_DIR"], "folio.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ctx := context.Background()
	for _, q := range []string{"DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET actor_name = 'someone else' WHERE id = 2"} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	r := run(t, env, "", "audit", "verify")
	if r.code == 0 || !strings.Contains(r.stderr, "row 2") {
		t.Errorf("audit verify on tampered log = %+v", r)
	}
}

func TestCLI_helpVersionAndErrors(t *testing.T) {
	env := map[string]string{"FOLIO_DATA_DIR": t.TempDir()}
	if r := run(t, env, "", "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "folio ") {
		t.Errorf("version = %+v", r)
	}
	if r := run(t, env, "", "help"); r.code != 0 || !strings.Contains(r.stdout, "audit verify") {
		t.Errorf("help = %+v", r)
	}
	for _, args := range [][]string{{"serve", "--help"}, {"migrate", "--help"}, {"backup", "--help"}, {"user", "--help"}, {"token", "--help"}, {"audit", "--help"}} {
		if r := run(t, env, "", args...); r.code != 0 || !strings.Contains(r.stdout+r.stderr, "Usage") {
			t.Errorf("%v = %+v", args, r)
		}
	}
	if r := run(t, env, "", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "unknown command") {
		t.Errorf("unknown command = %+v", r)
	}
	if r := run(t, env, "", "serve", "--no-such-flag"); r.code != 2 {
		t.Errorf("unknown flag = %+v", r)
	}
	bad := map[string]string{"FOLIO_DATA_DIR": t.TempDir(), "FOLIO_ADDR": "nonsense", "FOLIO_SECRET_KEY": "abc", "FOLIO_LOG_FORMAT": "xml"}
	r := run(t, bad, "", "migrate")
	if r.code != 1 {
		t.Errorf("bad config = %+v", r)
	}
	for _, want := range []string{"FOLIO_ADDR", "FOLIO_SECRET_KEY", "openssl rand -hex 32", "FOLIO_LOG_FORMAT"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("config error lacks %q:\n%s", want, r.stderr)
		}
	}
	if r := run(t, map[string]string{"FOLIO_DATABASE_URL": "postgres://nobody@127.0.0.1:1/x"}, "", "migrate"); r.code != 1 || !strings.Contains(r.stderr, "PostgreSQL") {
		t.Errorf("unreachable database = %+v", r)
	}
}

func TestCLI_migrateAndBackup(t *testing.T) {
	env := map[string]string{"FOLIO_DATA_DIR": t.TempDir()}
	if r := run(t, env, "", "migrate"); r.code != 0 || !strings.Contains(r.stdout, "up to date") {
		t.Fatalf("migrate = %+v", r)
	}
	if r := run(t, env, "", "user", "create", "--email", "a@firm.test", "--name", "A", "--role", "owner"); r.code != 0 {
		t.Fatal(r)
	}
	file := filepath.Join(t.TempDir(), "copy.db")
	if r := run(t, env, "", "backup", file); r.code != 0 {
		t.Fatalf("backup = %+v", r)
	}
	raw, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow("SELECT COUNT(*) FROM users").Scan(&n); err != nil || n != 1 {
		t.Errorf("backup holds %d users (%v)", n, err)
	}
	if r := run(t, env, "", "backup"); r.code != 2 {
		t.Errorf("backup without a file = %+v", r)
	}
	if r := run(t, env, "", "backup", file); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("backup over an existing file = %+v", r)
	}
	if pg := os.Getenv(dbtest.EnvPostgres); pg != "" {
		r := run(t, map[string]string{"FOLIO_DATA_DIR": t.TempDir(), "FOLIO_DATABASE_URL": dbtest.Schema(t, pg)}, "", "backup", file+"2")
		if r.code != 1 || !strings.Contains(r.stderr, "pg_dump") {
			t.Errorf("backup on PostgreSQL = %+v", r)
		}
	}
}

func TestCLI_demoAddsDeterministicContacts(t *testing.T) {
	targets(t, func(t *testing.T, env map[string]string) {
		r := run(t, env, "", "demo", "--contacts", "300", "--seed", "7")
		if r.code != 0 || !strings.Contains(r.stdout, "added 300 contacts (ids 1–300)") {
			t.Fatalf("demo = %+v", r)
		}
		if r := run(t, env, "", "demo", "--contacts", "50", "--seed", "7"); r.code != 0 || !strings.Contains(r.stdout, "(ids 301–350)") {
			t.Fatalf("second demo = %+v", r)
		}
		if r := run(t, env, "", "audit", "verify"); r.code != 0 {
			t.Errorf("audit verify after demo = %+v", r)
		}
		if r := run(t, env, "", "demo", "--contacts", "0"); r.code != 1 || !strings.Contains(r.stderr, "between 1 and") {
			t.Errorf("demo --contacts 0 = %+v", r)
		}
	})
}
