// Package cli is the folio command: sub-commands, their flags and help, and
// their exit codes. Every command prints a clear error and exits non-zero on
// failure.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/foliocrm/folio/internal/app"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/config"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/version"
)

// Env is what a command sees of the process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

type command struct {
	name, args, summary string
	run                 func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "[flags]", "run the web server and background workers (the default)", serve},
		{"migrate", "[flags]", "apply database migrations and exit", migrate},
		{"user", "create|list|reset-password|disable [flags]", "manage staff users", user},
		{"token", "create|list|revoke [flags]", "manage API tokens", token},
		{"audit", "verify [flags]", "check the activity log's hash chain", auditCmd},
		{"import", "FILE [--key email|external_id|tax_id|none] [--dry-run] [flags]", "import contacts from a CSV, XLSX or vCard file", importCmd},
		{"export", "--format csv|xlsx|vcard [--output FILE] [flags]", "export contacts to CSV, XLSX or vCard", exportCmd},
		{"demo", "[--contacts N] [--seed S] [flags]", "add realistic demo contacts (deterministic for a seed)", demoCmd},
		{"backup", "FILE [flags]", "write a consistent copy of the SQLite database while Folio runs", backup},
		{"version", "", "print the version", func(_ context.Context, env Env, _ []string) error {
			fmt.Fprintf(env.Stdout, "folio %s %s\n", version.Version, version.Commit())
			return nil
		}},
	}
}

// errUsage marks an error already explained by the flag package.
var errUsage = errors.New("usage")

// Main runs the command line and returns the exit code.
func Main(args []string, env Env) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" || name == "--help" || name == "-h" {
		usage(env.Stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == name {
			err := c.run(ctx, env, args)
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				return 2
			}
			fmt.Fprintf(env.Stderr, "folio %s: %s\n", name, errText(err))
			return 1
		}
	}
	fmt.Fprintf(env.Stderr, "folio: unknown command %q\n\n", name)
	usage(env.Stderr)
	return 2
}

func errText(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		if len(e.Fields) > 0 {
			keys := make([]string, 0, len(e.Fields))
			for k := range e.Fields {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var parts []string
			for _, k := range keys {
				parts = append(parts, k+": "+e.Fields[k])
			}
			return strings.Join(parts, "; ")
		}
		if e.Code != errs.Internal {
			return e.Message
		}
	}
	return err.Error()
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Folio — a self-hosted CRM and client-onboarding back office.")
	fmt.Fprintln(w, "\nUsage: folio COMMAND [flags]")
	fmt.Fprintln(w, "\nCommands:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s %s\t%s\n", c.name, c.args, c.summary)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nRun 'folio COMMAND --help' for a command's flags. Every flag can also be set with its FOLIO_* environment variable.")
}

// flags returns a flag set with the configuration flags and a usage text.
func flags(env Env, name, args, summary string) (*flag.FlagSet, *config.Flags) {
	fs := flag.NewFlagSet("folio "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	cf := config.Register(fs, env.Getenv)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: folio %s %s\n\n%s\n\nFlags:\n", name, args, summary)
		fs.PrintDefaults()
	}
	return fs, cf
}

func parse(fs *flag.FlagSet, cf *config.Flags, args []string) (*config.Config, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, errUsage
	}
	return cf.Config()
}

func serve(ctx context.Context, env Env, args []string) error {
	fs, cf := flags(env, "serve", "[flags]", "Runs the web server and the background workers until SIGINT or SIGTERM.")
	cfg, err := parse(fs, cf, args)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, app.Options{LogOutput: env.Stderr})
	if err != nil {
		return err
	}
	defer a.Close()
	if n, _ := a.Auth.OwnerCount(ctx); n == 0 {
		fmt.Fprintf(env.Stderr, "\nFolio is ready. Open %s to create the owner account.\n\n", cfg.BaseURL)
	}
	return a.Run(ctx)
}

// open connects and migrates for the maintenance commands; they log only
// warnings so their own output stays readable.
func open(ctx context.Context, env Env, cfg *config.Config) (*app.App, context.Context, error) {
	cfg.LogLevel = "warn"
	a, err := app.Open(ctx, cfg, app.Options{LogOutput: env.Stderr})
	if err != nil {
		return nil, ctx, err
	}
	host, _ := os.Hostname()
	actor := audit.Actor{Type: audit.ActorSystem, ID: "cli", Name: "command line on " + host, Channel: audit.ChannelSystem}
	return a, audit.WithActor(ctx, actor), nil
}

func migrate(ctx context.Context, env Env, args []string) error {
	fs, cf := flags(env, "migrate", "[flags]", "Applies the database migrations that are not applied yet.")
	cfg, err := parse(fs, cf, args)
	if err != nil {
		return err
	}
	a, _, err := open(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintf(env.Stdout, "database is up to date (%s)\n", a.DB.Dialect.Name())
	return nil
}

func backup(ctx context.Context, env Env, args []string) error {
	fs, cf := flags(env, "backup", "FILE [flags]", "Writes a consistent copy of the SQLite database to FILE, safe while Folio runs.\nOn PostgreSQL, use pg_dump instead.")
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	cfg, err := parse(fs, cf, args)
	if err != nil {
		return err
	}
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
	}
	if file == "" {
		fs.Usage()
		return errUsage
	}
	a, _, err := open(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.DB.Backup(ctx, file); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backup written to %s\n", file)
	return nil
}

func auditCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(env.Stdout, "Usage: folio audit verify [flags]\n\nWalks the activity log's hash chain and names the first row that does not match.")
			return nil
		}
		fmt.Fprintln(env.Stderr, "Usage: folio audit verify [flags]")
		return errUsage
	}
	fs, cf := flags(env, "audit verify", "[flags]", "Walks the activity log's hash chain and names the first row that does not match.")
	cfg, err := parse(fs, cf, args[1:])
	if err != nil {
		return err
	}
	a, _, err := open(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	n, err := audit.Verify(ctx, a.DB)
	if err != nil {
		return fmt.Errorf("%w (%d rows before it are intact)", err, n)
	}
	fmt.Fprintf(env.Stdout, "activity log intact: %d rows verified\n", n)
	return nil
}

func readPassword(env Env) (string, error) {
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password on standard input")
	}
	return pw, nil
}

func user(ctx context.Context, env Env, args []string) error {
	const help = "Usage:\n  folio user create --email E --name N --role R [--password-stdin]\n  folio user list\n  folio user reset-password --email E [--password-stdin]\n  folio user disable --email E\n"
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, help)
		return errUsage
	}
	if args[0] == "--help" || args[0] == "-h" {
		fmt.Fprint(env.Stdout, help)
		return nil
	}
	sub := args[0]
	fs, cf := flags(env, "user "+sub, "[flags]", "Manages staff users.")
	email := fs.String("email", "", "the user's email address")
	name := fs.String("name", "", "the user's name (create)")
	role := fs.String("role", "advisor", "access level (create): owner, admin, advisor, assistant or readonly")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input; without it, create emails an invitation and reset-password emails a reset link")
	cfg, err := parse(fs, cf, args[1:])
	if err != nil {
		return err
	}
	a, ctx, err := open(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	switch sub {
	case "create":
		n := auth.NewUser{Email: *email, Name: *name, Role: auth.Role(*role), Invite: !*pwStdin}
		if *pwStdin {
			if n.Password, err = readPassword(env); err != nil {
				return err
			}
		}
		if !n.Role.Valid() {
			return fmt.Errorf("--role %q is not one of owner, admin, advisor, assistant, readonly", *role)
		}
		u, err := a.Auth.CreateUser(ctx, nil, n)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "created user %d: %s <%s> (%s)\n", u.ID, u.Name, u.Email, u.Role)
		if n.Invite {
			fmt.Fprintln(env.Stdout, "an invitation to choose a password has been queued for email")
		}
		return nil
	case "list":
		users, err := a.Auth.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tTOTP\tSTATUS")
		for _, u := range users {
			status := "active"
			if u.DisabledAt != nil {
				status = "disabled"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%t\t%s\n", u.ID, u.Email, u.Name, u.Role, u.TOTPEnabled, status)
		}
		return tw.Flush()
	case "reset-password", "disable":
		if *email == "" {
			return errors.New("--email is required")
		}
		u, err := a.Auth.UserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("no user with email %s", *email)
		}
		if sub == "disable" {
			if err := a.Auth.SetDisabled(ctx, nil, u.ID, true); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "disabled %s; their sessions have ended\n", u.Email)
			return nil
		}
		if !*pwStdin {
			if err := a.Auth.RequestPasswordReset(ctx, u.Email); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "a reset link for %s has been queued for email\n", u.Email)
			return nil
		}
		pw, err := readPassword(env)
		if err != nil {
			return err
		}
		if err := a.Auth.SetPassword(ctx, u.ID, pw); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "password of %s changed; their sessions have ended\n", u.Email)
		return nil
	}
	fmt.Fprint(env.Stderr, help)
	return errUsage
}

func token(ctx context.Context, env Env, args []string) error {
	const help = "Usage:\n  folio token create --user E --name N\n  folio token list --user E\n  folio token revoke --id N\n"
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, help)
		return errUsage
	}
	if args[0] == "--help" || args[0] == "-h" {
		fmt.Fprint(env.Stdout, help)
		return nil
	}
	sub := args[0]
	fs, cf := flags(env, "token "+sub, "[flags]", "Manages API tokens.")
	email := fs.String("user", "", "email of the user the token acts as")
	name := fs.String("name", "", "what the token is for (create)")
	id := fs.String("id", "", "token id (revoke)")
	cfg, err := parse(fs, cf, args[1:])
	if err != nil {
		return err
	}
	a, ctx, err := open(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	lookup := func() (*auth.User, error) {
		if *email == "" {
			return nil, errors.New("--user is required")
		}
		u, err := a.Auth.UserByEmail(ctx, *email)
		if err != nil {
			return nil, fmt.Errorf("no user with email %s", *email)
		}
		return u, nil
	}
	switch sub {
	case "create":
		u, err := lookup()
		if err != nil {
			return err
		}
		_, secret, err := a.Auth.CreateToken(ctx, u, *name)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, secret)
		return nil
	case "list":
		u, err := lookup()
		if err != nil {
			return err
		}
		toks, err := a.Auth.Tokens(ctx, u)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tPREFIX\tCREATED\tLAST USED\tSTATUS")
		for _, t := range toks {
			last, status := "never", "active"
			if t.LastUsedAt != nil {
				last = t.LastUsedAt.Format("2006-01-02 15:04")
			}
			if t.RevokedAt != nil {
				status = "revoked"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s…\t%s\t%s\t%s\n", t.ID, t.Name, t.Prefix, t.CreatedAt.Format("2006-01-02 15:04"), last, status)
		}
		return tw.Flush()
	case "revoke":
		n, err := strconv.ParseInt(*id, 10, 64)
		if err != nil {
			return errors.New("--id must be the number shown by folio token list")
		}
		if err := a.Auth.RevokeToken(ctx, nil, n); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "token %d revoked\n", n)
		return nil
	}
	fmt.Fprint(env.Stderr, help)
	return errUsage
}
