package cli

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/healthtech-toolkit/toolkit/internal/config"
)

// version is set when building a release:
//
//	go build -ldflags "-X github.com/healthtech-toolkit/toolkit/internal/cli.version=v1.2.0" ./cmd/toolkit
var version = ""

// Version returns the program's version: the one set at build time, else
// the module version Go recorded, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func printVersion(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := config.FlagSet("version", "Prints the version, the Go release it was built with, and the platform.", &cfg)
	if _, err := parse(fs, &cfg, args, env, 0); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "toolkit %s (%s, %s/%s)\n", Version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
