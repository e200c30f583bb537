// Package version holds the version of the folio binary, set at build time
// with -ldflags "-X github.com/foliocrm/folio/internal/version.Version=…".
package version

import "runtime/debug"

// Version is the release name, or "dev".
var Version = "dev"

// Commit returns the VCS revision the binary was built from, if known.
func Commit() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				return s.Value
			}
		}
	}
	return ""
}
