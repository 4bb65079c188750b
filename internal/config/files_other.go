//go:build !unix

package config

// openFilesLimit returns 0: this system does not say how many files the
// process may have open.
func openFilesLimit() int { return 0 }
