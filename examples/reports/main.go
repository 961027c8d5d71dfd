// Command reports writes a firm's weekly and monthly reports, as a case
// manager owes them to the line manager and the partners, from a Docket
// SQLite database (the quickstart's, by default) into a folder: each as
// Markdown, as one self-contained HTML file with charts, and as CSV files,
// one per table.
//
//	go run ./examples/quickstart          # makes ./docket-quickstart.db
//	go run ./examples/reports             # writes ./reports/
//	go run ./examples/reports -last       # last week's and last month's instead
//	go run ./examples/reports -as u-alice -tz America/New_York -out /tmp/r
//
// Without -last, the reports cover the week and the month so far, which
// is where a freshly made quickstart database has its work. A report
// holds what its reader (-as) may read.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/report"
	"github.com/docketkit/docket/storage/sqlite"
)

func main() {
	db := flag.String("db", "docket-quickstart.db", "the Docket SQLite database")
	out := flag.String("out", "reports", "the folder to write the reports into (created if missing)")
	as := flag.String("as", "u-paul", "the user the reports are prepared for (the quickstart's case manager)")
	tz := flag.String("tz", "America/New_York", "the firm's time zone")
	last := flag.Bool("last", false, "report on last week and last month instead of the week and the month so far")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *db, *out, access.UserID(*as), *tz, *last, time.Now()); err != nil {
		fmt.Fprintln(os.Stderr, "reports:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, db, out string, as access.UserID, tz string, last bool, now time.Time) error {
	if _, err := os.Stat(db); err != nil {
		return fmt.Errorf("%w (run go run ./examples/quickstart first, or pass -db)", err)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return fmt.Errorf("-tz: %w", err)
	}
	store, err := sqlite.Open(ctx, db, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	firm, err := docket.New(store, &docket.Options{Location: loc})
	if err != nil {
		return err
	}
	// The reader's own account decides what the reports hold.
	reader, err := firm.Users.Get(access.WithActor(ctx, access.User{ID: as}), as)
	if err != nil {
		return fmt.Errorf("-as %s: %w", as, err)
	}
	ctx = access.WithActor(ctx, reader)
	cal := report.Calendar{Location: loc}
	week, month := cal.WeekOf(now), cal.MonthOf(now)
	if last {
		week, month = cal.LastWeek(now), cal.LastMonth(now)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, p := range []struct {
		name   string
		period report.Period
	}{{"weekly", week}, {"monthly", month}} {
		r, err := report.Build(ctx, firm, p.period, report.Firm, now)
		if err != nil {
			return err
		}
		if err := write(out, p.name, r); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %s.md, %s.html and %s-csv/ (%d open, %d opened, %d stage changes, %d deadlines due, %d messages)\n",
			r.Title(), p.name, p.name, p.name, count(r.OpenCases), len(r.Opened), len(r.StageChanges), len(r.DeadlinesDue), messages(r))
	}
	fmt.Fprintf(w, "Written to %s for %s.\n", out, reader.Name)
	return nil
}

// write puts one report's files in the folder.
func write(out, name string, r *report.Report) error {
	create := func(path string, fill func(io.Writer) error) (err error) {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, f.Close()) }()
		return fill(f)
	}
	if err := create(filepath.Join(out, name+".md"), r.WriteMarkdown); err != nil {
		return err
	}
	if err := create(filepath.Join(out, name+".html"), r.WriteHTML); err != nil {
		return err
	}
	files, err := r.CSVFiles()
	if err != nil {
		return err
	}
	dir := filepath.Join(out, name+"-csv")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for file, data := range files {
		if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func count(cs []report.StageCount) int {
	n := 0
	for _, c := range cs {
		n += c.Cases
	}
	return n
}

func messages(r *report.Report) int {
	n := 0
	for _, c := range r.Correspondence {
		n += c.Inbound + c.Outbound + c.Internal
	}
	return n
}
