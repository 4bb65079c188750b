package web

import (
	"os"
	"testing"

	"github.com/healthtech-toolkit/toolkit/internal/browsertest"
)

// TestMain stops the browser that the browser tests share once every test
// has run.
func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
