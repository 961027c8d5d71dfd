package report_test

import (
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// renderInChromium loads the file in headless Chromium, with no network,
// and fails if the page logs an error or does not render its charts and
// tables. It skips, saying so, where Chromium is missing (.ci/run
// installs Debian's chromium package).
func renderInChromium(t *testing.T, path string) {
	t.Helper()
	var bin string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("headless Chromium is not installed (Debian's chromium package, which .ci/run installs): the HTML report was not rendered")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
		"--user-data-dir="+t.TempDir(), "--enable-logging=stderr", "--v=1", "--virtual-time-budget=5000", "--dump-dom", "file://"+path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, tail(stderr.String()))
	}
	dom := stdout.String()
	if n := strings.Count(dom, "<svg"); n != 3 || !strings.Contains(dom, "<table>") || !strings.Contains(dom, "</html>") {
		t.Fatalf("the rendered page has %d charts and no whole table:\n%s", n, tail(dom))
	}
	// Console messages from the page, and refusals by its content
	// security policy, are the page's errors.
	for _, line := range strings.Split(stderr.String(), "\n") {
		if consoleRE.MatchString(line) || strings.Contains(line, "Refused to") || strings.Contains(line, "Uncaught") {
			t.Errorf("the page logged: %s", line)
		}
	}
}

// consoleRE matches the lines Chromium logs for a page's console
// messages (file:// pages included).
var consoleRE = regexp.MustCompile(`CONSOLE\(\d+\)|:CONSOLE:|console.*file://`)

func tail(s string) string {
	if len(s) > 3000 {
		return "..." + s[len(s)-3000:]
	}
	return s
}
