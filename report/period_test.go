package report_test

import (
	"testing"
	"time"

	"github.com/docketkit/docket/report"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestPeriods(t *testing.T) {
	ny := zone(t, "America/New_York")
	tests := []struct {
		name string
		cal  report.Calendar
		now  string // RFC 3339
		get  func(report.Calendar, time.Time) report.Period
		// want: the period's first and last days, its length in hours and
		// its name.
		first, last string
		hours       float64
		label       string
	}{
		{"last week, plain", report.Calendar{Location: ny}, "2026-11-25T10:00:00-05:00", report.Calendar.LastWeek,
			"2026-11-16", "2026-11-22", 168, "week of 16 Nov 2026 (16-22 Nov 2026)"},
		{"last week, clocks forward", report.Calendar{Location: ny}, "2026-03-10T09:00:00-04:00", report.Calendar.LastWeek,
			"2026-03-02", "2026-03-08", 167, "week of 2 Mar 2026 (2-8 Mar 2026)"},
		{"last week, clocks back", report.Calendar{Location: ny}, "2026-11-04T09:00:00-05:00", report.Calendar.LastWeek,
			"2026-10-26", "2026-11-01", 169, "week of 26 Oct 2026 (26 Oct - 1 Nov 2026)"},
		{"last week across the new year", report.Calendar{Location: ny}, "2027-01-06T09:00:00-05:00", report.Calendar.LastWeek,
			"2026-12-28", "2027-01-03", 168, "week of 28 Dec 2026 (28 Dec 2026 - 3 Jan 2027)"},
		{"last week, Sunday first", report.Calendar{Location: ny, SundayFirst: true}, "2026-11-25T10:00:00-05:00", report.Calendar.LastWeek,
			"2026-11-15", "2026-11-21", 168, "week of 15 Nov 2026 (15-21 Nov 2026)"},
		{"on Monday just after midnight, last week is the week before", report.Calendar{Location: ny}, "2026-11-23T00:00:01-05:00", report.Calendar.LastWeek,
			"2026-11-16", "2026-11-22", 168, "week of 16 Nov 2026 (16-22 Nov 2026)"},
		{"on Sunday just before midnight, last week is the week before", report.Calendar{Location: ny}, "2026-11-22T23:59:59-05:00", report.Calendar.LastWeek,
			"2026-11-09", "2026-11-15", 168, "week of 9 Nov 2026 (9-15 Nov 2026)"},
		{"the instant's date is the firm's", report.Calendar{Location: ny}, "2026-11-23T03:00:00Z", report.Calendar.LastWeek,
			"2026-11-09", "2026-11-15", 168, "week of 9 Nov 2026 (9-15 Nov 2026)"}, // 22:00 on Sunday in New York
		{"last month, clocks back inside", report.Calendar{Location: ny}, "2026-12-01T08:00:00-05:00", report.Calendar.LastMonth,
			"2026-11-01", "2026-11-30", 30*24 + 1, "November 2026"},
		{"last month, clocks forward inside", report.Calendar{Location: ny}, "2026-04-15T08:00:00-04:00", report.Calendar.LastMonth,
			"2026-03-01", "2026-03-31", 31*24 - 1, "March 2026"},
		{"last month, February", report.Calendar{Location: ny}, "2026-03-01T00:00:00-05:00", report.Calendar.LastMonth,
			"2026-02-01", "2026-02-28", 28 * 24, "February 2026"},
		{"last month, February in a leap year", report.Calendar{}, "2028-03-31T23:00:00Z", report.Calendar.LastMonth,
			"2028-02-01", "2028-02-29", 29 * 24, "February 2028"},
		{"last month across the new year", report.Calendar{Location: ny}, "2027-01-15T08:00:00-05:00", report.Calendar.LastMonth,
			"2026-12-01", "2026-12-31", 31 * 24, "December 2026"},
		{"the month of the 31st asked on the 31st", report.Calendar{Location: ny}, "2026-05-31T12:00:00-04:00", report.Calendar.LastMonth,
			"2026-04-01", "2026-04-30", 30 * 24, "April 2026"},
		{"midnight skipped: the day begins at 01:00", report.Calendar{Location: zone(t, "America/Sao_Paulo")}, "2018-11-08T12:00:00-02:00", report.Calendar.WeekOf,
			"2018-11-05", "2018-11-11", 168, "week of 5 Nov 2018 (5-11 Nov 2018)"},
		{"a week that begins where midnight was skipped", report.Calendar{Location: zone(t, "America/Sao_Paulo"), SundayFirst: true}, "2018-11-08T12:00:00-02:00", report.Calendar.WeekOf,
			"2018-11-04", "2018-11-10", 167, "week of 4 Nov 2018 (4-10 Nov 2018)"},
		{"a zone fourteen hours ahead", report.Calendar{Location: zone(t, "Pacific/Kiritimati")}, "2026-11-29T11:00:00Z", report.Calendar.LastWeek,
			"2026-11-23", "2026-11-29", 168, "week of 23 Nov 2026 (23-29 Nov 2026)"}, // Monday 30 Nov, 01:00 there
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now, err := time.Parse(time.RFC3339, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			p := tt.get(tt.cal, now)
			if got := p.First().String(); got != tt.first {
				t.Errorf("first day %s, want %s", got, tt.first)
			}
			if got := p.Last().String(); got != tt.last {
				t.Errorf("last day %s, want %s", got, tt.last)
			}
			if got := p.End.Sub(p.Start).Hours(); got != tt.hours {
				t.Errorf("%v hours, want %v (%s to %s)", got, tt.hours, p.Start, p.End)
			}
			if got := p.String(); got != tt.label {
				t.Errorf("name %q, want %q", got, tt.label)
			}
			// The boundaries are the first instants of the first day and
			// of the day after the last: the instant before each is on the
			// day before.
			loc := p.Location
			for _, b := range []struct {
				at   time.Time
				date string
			}{{p.Start, tt.first}, {p.End, p.Last().AddDays(1).String()}} {
				if got := b.at.In(loc).Format("2006-01-02"); got != b.date {
					t.Errorf("boundary %s falls on %s, want %s", b.at, got, b.date)
				}
				if b.at.Add(-time.Second).In(loc).Format("2006-01-02") == b.date {
					t.Errorf("boundary %s is not the first instant of %s", b.at, b.date)
				}
			}
			if !p.Contains(p.Start) || p.Contains(p.End) || !p.Contains(p.End.Add(-time.Nanosecond)) {
				t.Error("Contains is not [Start, End)")
			}
			if p.Next().Previous() != p || p.Previous().Next() != p {
				t.Errorf("Next and Previous do not undo each other: %s, %s", p.Next().Previous(), p.Previous().Next())
			}
			if p.Previous().End != p.Start || p.End != p.Next().Start {
				t.Error("periods leave a gap or overlap")
			}
			if p.Days() != p.First().DaysUntil(p.Last())+1 || p.Span == report.Week && p.Days() != 7 {
				t.Errorf("%d days", p.Days())
			}
		})
	}
}

// TestPeriodsTile: a run of months or weeks covers every instant once,
// across years of clock changes.
func TestPeriodsTile(t *testing.T) {
	for _, name := range []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Sao_Paulo", "Asia/Kolkata"} {
		c := report.Calendar{Location: zone(t, name)}
		for _, span := range []report.Span{report.Week, report.Month} {
			p := c.WeekOf(time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC))
			if span == report.Month {
				p = c.MonthOf(time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC))
			}
			for range 120 {
				next := p.Next()
				if next.Start != p.End || !next.Start.After(p.Start) {
					t.Fatalf("%s %s: %s then %s", name, span, p, next)
				}
				if span == report.Week && (p.First().Weekday() != time.Monday || p.Days() != 7) {
					t.Fatalf("%s: %s does not run Monday to Sunday", name, p)
				}
				if span == report.Month && (p.First().Day != 1 || p.Last().AddDays(1).Day != 1) {
					t.Fatalf("%s: %s is not a calendar month", name, p)
				}
				p = next
			}
		}
	}
}
