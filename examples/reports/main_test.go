package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReports makes the quickstart's database, then writes its weekly and
// monthly reports into a folder, and checks they hold the case.
func TestReports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "firm.db")
	qs := quickstart(t, db)
	if !strings.Contains(qs, "-CR-0001") {
		t.Fatalf("the quickstart did not open its case:\n%s", qs)
	}
	out := filepath.Join(dir, "reports")
	var w bytes.Buffer
	if err := run(context.Background(), &w, db, out, "u-paul", "America/New_York", false, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"weekly.md", "weekly.html", "monthly.md", "monthly.html", "weekly-csv/cases-opened.csv", "monthly-csv/people.csv"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "-CR-0001") && !strings.Contains(name, "people") {
			t.Errorf("%s does not hold the quickstart's case:\n%s", name, b)
		}
	}
	if !strings.Contains(w.String(), "Written to") {
		t.Errorf("output:\n%s", w.String())
	}
	if err := run(context.Background(), &w, filepath.Join(dir, "none.db"), out, "u-paul", "UTC", false, time.Now()); err == nil || !strings.Contains(err.Error(), "quickstart") {
		t.Errorf("a missing database: %v", err)
	}
}

// quickstart runs the quickstart into db, as a user would.
func quickstart(t *testing.T, db string) string {
	t.Helper()
	out, err := exec.Command("go", "run", "../quickstart", "-db", db).CombinedOutput()
	if err != nil {
		t.Fatalf("go run ../quickstart: %v\n%s", err, out)
	}
	return string(out)
}
