//go:build unix

package config

import "syscall"

// openFilesLimit returns how many files the process may have open (Go
// raises the soft limit to the hard one at start), or 0 if unknown.
func openFilesLimit() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0
	}
	return int(min(rl.Cur, 1<<30))
}
