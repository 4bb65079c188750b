package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/healthtech-toolkit/toolkit/internal/auth"
	"github.com/healthtech-toolkit/toolkit/internal/config"
	"github.com/healthtech-toolkit/toolkit/internal/store"
)

func userAdd(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := config.FlagSet("user add --email EMAIL --role ROLE [flags]",
		"Creates a volunteer account and prints a one-time link with which its owner\n"+
			"chooses a password. Roles: admin, analyst, editor, moderator.",
		&cfg, "db", "base-url")
	email := fs.String("email", "", "the person's email address (required)")
	roleName := fs.String("role", "", "admin, analyst, editor or moderator (required)")
	name := fs.String("name", "", "the person's name, as other volunteers will see it")
	if _, err := parse(fs, &cfg, args, env, 0); err != nil {
		return err
	}
	u := auth.User{Email: auth.NormalizeEmail(*email), Name: *name}
	if msg := auth.CheckEmail(u.Email); msg != "" {
		return fmt.Errorf("--email %q: %s", *email, msg)
	}
	if msg := auth.CheckName(u.Name); msg != "" {
		return fmt.Errorf("--name: %s", msg)
	}
	role, err := auth.ParseRole(*roleName)
	if err != nil {
		return fmt.Errorf("--role: %w", err)
	}
	u.Role = role
	db, err := openMigrated(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	u, token, err := db.CreateUser(ctx, store.CommandLine, u)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Created a %s account for %s.\n"+
		"Send them this link to choose a password. It works once, for 7 days:\n\n    %s/password/%s\n\n",
		u.Role, u.Email, cfg.SiteURL(nil), token)
	return nil
}

func userList(ctx context.Context, args []string, env Env) error {
	cfg := config.Default()
	fs := config.FlagSet("user list [flags]", "Lists the volunteer accounts.", &cfg, "db")
	if _, err := parse(fs, &cfg, args, env, 0); err != nil {
		return err
	}
	db, err := openMigrated(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tSTATUS")
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Email, u.Name, u.Role, u.Status())
	}
	return tw.Flush()
}
