package report

import (
	"fmt"
	"time"

	cases "github.com/docketkit/docket/case"
)

// Span is the length of a reporting period.
type Span string

// The spans a report covers.
const (
	Week  Span = "week"
	Month Span = "month"
)

// Period is a span of whole days in the firm's time zone: from the first
// instant of its first day (Start, inclusive) to the first instant of the
// day after its last (End, exclusive). A week in which the clocks change
// is 167 or 169 hours long, and a day may begin at 01:00 where midnight
// was skipped; the period is still its days.
type Period struct {
	Span Span
	// Start and End are instants, in Location.
	Start, End time.Time
	Location   *time.Location
	// WeekStart is the first day of a week (Monday, as ISO 8601 counts,
	// unless the firm counts from Sunday).
	WeekStart time.Weekday
}

// Calendar says how a firm counts its periods: its time zone and the day
// its weeks begin. The zero value counts in UTC from Monday.
type Calendar struct {
	Location *time.Location
	// SundayFirst starts weeks on Sunday instead of Monday.
	SundayFirst bool
}

func (c Calendar) loc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

func (c Calendar) weekStart() time.Weekday {
	if c.SundayFirst {
		return time.Sunday
	}
	return time.Monday
}

// WeekOf returns the week (in the firm's time zone) that contains the
// instant t.
func (c Calendar) WeekOf(t time.Time) Period { return c.weekOfDate(cases.DateOf(t.In(c.loc()))) }

// MonthOf returns the calendar month (in the firm's time zone) that
// contains the instant t.
func (c Calendar) MonthOf(t time.Time) Period { return c.monthOfDate(cases.DateOf(t.In(c.loc()))) }

// weekOfDate returns the week (as the firm counts weeks) that holds the
// date d.
func (c Calendar) weekOfDate(d cases.Date) Period {
	back := (int(d.Weekday()) - int(c.weekStart()) + 7) % 7
	first := d.AddDays(-back)
	return c.period(Week, first, first.AddDays(7))
}

// monthOfDate returns the calendar month that holds the date d.
func (c Calendar) monthOfDate(d cases.Date) Period {
	first := cases.Date{Year: d.Year, Month: d.Month, Day: 1}
	after := cases.Date{Year: d.Year, Month: d.Month + 1, Day: 1}
	if d.Month == time.December {
		after = cases.Date{Year: d.Year + 1, Month: time.January, Day: 1}
	}
	return c.period(Month, first, after)
}

// LastWeek returns the last whole week before the one now falls in.
func (c Calendar) LastWeek(now time.Time) Period { return c.WeekOf(now).Previous() }

// LastMonth returns the last whole month before the one now falls in.
func (c Calendar) LastMonth(now time.Time) Period { return c.MonthOf(now).Previous() }

// period builds a period from its first day and the day after its last.
func (c Calendar) period(span Span, first, after cases.Date) Period {
	loc := c.loc()
	return Period{Span: span, Start: startOfDay(first, loc), End: startOfDay(after, loc), Location: loc, WeekStart: c.weekStart()}
}

// startOfDay returns the first instant of the date d in loc. Where the
// clocks skip midnight (they went forward at 00:00), the day begins at the
// instant they jumped; where midnight comes twice (they went back an hour
// at 00:00), at the first.
func startOfDay(d cases.Date, loc *time.Location) time.Time {
	y, m, day := d.Year, d.Month, d.Day
	on := func(t time.Time) bool { return cases.DateOf(t.In(loc)) == d }
	// time.Date gives midnight, or an instant near it where midnight is
	// skipped or doubled: look, a minute at a time, from four hours
	// before it for the first minute on the day, then for its second.
	t := time.Date(y, m, day, 0, 0, 0, 0, loc)
	if on(t) && !on(t.Add(-time.Second)) && !on(t.Add(-2*time.Hour)) {
		return t // the common case: one midnight, the day before it
	}
	first := t.Add(-4 * time.Hour).Truncate(time.Minute)
	for !on(first) {
		first = first.Add(time.Minute)
	}
	lo, hi := first.Add(-time.Minute), first
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2)
		if on(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// calendar returns the Calendar the period was counted in.
func (p Period) calendar() Calendar {
	return Calendar{Location: p.Location, SundayFirst: p.WeekStart == time.Sunday}
}

// First returns the period's first day.
func (p Period) First() cases.Date { return cases.DateOf(p.Start.In(p.Location)) }

// Last returns the period's last day.
func (p Period) Last() cases.Date { return cases.DateOf(p.End.In(p.Location)).AddDays(-1) }

// Days returns how many days the period holds.
func (p Period) Days() int { return p.First().DaysUntil(p.Last()) + 1 }

// Previous returns the period of the same span just before p.
func (p Period) Previous() Period {
	c := p.calendar()
	if p.Span == Month {
		return c.monthOfDate(p.First().AddDays(-1))
	}
	return c.weekOfDate(p.First().AddDays(-7))
}

// Next returns the period of the same span just after p.
func (p Period) Next() Period {
	c := p.calendar()
	if p.Span == Month {
		return c.monthOfDate(p.Last().AddDays(1))
	}
	return c.weekOfDate(p.First().AddDays(7))
}

// Contains reports whether the instant t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// ContainsDate reports whether the date d falls in the period.
func (p Period) ContainsDate(d cases.Date) bool {
	return !d.Before(p.First()) && !d.After(p.Last())
}

// String names the period: "week of 16 Nov 2026 (16-22 Nov 2026)" or
// "November 2026".
func (p Period) String() string {
	first, last := p.First().Time(time.UTC), p.Last().Time(time.UTC)
	if p.Span == Month {
		return first.Format("January 2006")
	}
	switch {
	case first.Year() != last.Year():
		return fmt.Sprintf("week of %s (%s - %s)", first.Format("2 Jan 2006"), first.Format("2 Jan 2006"), last.Format("2 Jan 2006"))
	case first.Month() != last.Month():
		return fmt.Sprintf("week of %s (%s - %s)", first.Format("2 Jan 2006"), first.Format("2 Jan"), last.Format("2 Jan 2006"))
	}
	return fmt.Sprintf("week of %s (%d-%s)", first.Format("2 Jan 2006"), first.Day(), last.Format("2 Jan 2006"))
}

// longDate writes a date as the reports head it: "Monday 2 November 2026".
func longDate(d cases.Date) string { return d.Time(time.UTC).Format("Monday 2 January 2006") }
