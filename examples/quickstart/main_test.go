package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestQuickstartTwice runs the main job twice on one file: the second run
// reuses it, its conflict check finds the first run's client, the case gets
// the next number, and the audit chain covers both runs.
func TestQuickstartTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "firm.db")
	var first, second bytes.Buffer
	if err := run(context.Background(), &first, path, false); err != nil {
		t.Fatalf("first run: %v\n%s", err, first.String())
	}
	if err := run(context.Background(), &second, path, false); err != nil {
		t.Fatalf("second run: %v\n%s", err, second.String())
	}
	for _, want := range []string{"Created ", "Bill Turner\" (Bill is a nickname of William)", "Rule 1.9", "Decision: waived",
		"-CR-0001", "Refused as it should be", "arraignment      -> plea-negotiation", "audit chain intact",
		"Assembled \"Engagement letter: United States v. García\"", "is checked out by u-alice", "Alice checked in version 2 (fee terms agreed), based on version 1",
		"Search \"flat fee\" finds \"Engagement letter: United States v. García\"",
		"-CR-0001 by its address, with 1 attachment(s)", "phone-call outbound Plea offer explained", "email      inbound  Documentos"} {
		if !strings.Contains(first.String(), want) {
			t.Errorf("first run's output lacks %q:\n%s", want, first.String())
		}
	}
	for _, want := range []string{"Reusing ", "already a current client", "-CR-0002", "audit chain intact"} {
		if !strings.Contains(second.String(), want) {
			t.Errorf("second run's output lacks %q:\n%s", want, second.String())
		}
	}
	count := func(s string) int {
		m := regexp.MustCompile(`intact: (\d+) entries`).FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("no verification line in:\n%s", s)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	if a, b := count(first.String()), count(second.String()); b <= a {
		t.Errorf("the second run's chain (%d entries) does not extend the first's (%d)", b, a)
	}
	var fresh bytes.Buffer
	if err := run(context.Background(), &fresh, path, true); err != nil {
		t.Fatalf("fresh run: %v", err)
	}
	if !strings.Contains(fresh.String(), "Created ") || !strings.Contains(fresh.String(), "-CR-0001") {
		t.Errorf("-fresh did not start afresh:\n%s", fresh.String())
	}
}
