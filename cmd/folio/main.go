// Command folio runs Folio and its maintenance tools; see folio help.
package main

import (
	"os"

	"github.com/foliocrm/folio/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}))
}
