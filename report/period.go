package report

import (
	"fmt"
	"time"
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
func (c Calendar) WeekOf(t time.Time) Period { return c.weekOfDate(dateOf(t.In(c.loc()))) }

// MonthOf returns the calendar month (in the firm's time zone) that
// contains the instant t.
func (c Calendar) MonthOf(t time.Time) Period { return c.monthOfDate(dateOf(t.In(c.loc()))) }

// Dates are held as noon UTC on the day: weekOfDate and monthOfDate take
// one.
func (c Calendar) weekOfDate(d time.Time) Period {
	back := (int(d.Weekday()) - int(c.weekStart()) + 7) % 7
	first := d.AddDate(0, 0, -back)
	return c.period(Week, first, first.AddDate(0, 0, 7))
}

func (c Calendar) monthOfDate(d time.Time) Period {
	first := time.Date(d.Year(), d.Month(), 1, 12, 0, 0, 0, time.UTC)
	return c.period(Month, first, first.AddDate(0, 1, 0))
}

// LastWeek returns the last whole week before the one now falls in.
func (c Calendar) LastWeek(now time.Time) Period { return c.WeekOf(now).Previous() }

// LastMonth returns the last whole month before the one now falls in.
func (c Calendar) LastMonth(now time.Time) Period { return c.MonthOf(now).Previous() }

// period builds a period from its first day and the day after its last,
// given as dates (noon UTC stands for the date).
func (c Calendar) period(span Span, first, after time.Time) Period {
	loc := c.loc()
	return Period{Span: span, Start: startOfDay(first, loc), End: startOfDay(after, loc), Location: loc, WeekStart: c.weekStart()}
}

// startOfDay returns the first instant of the date d (its year, month and
// day) in loc. Where the clocks skip midnight (they went forward at
// 00:00), the day begins at the instant they jumped; where midnight comes
// twice (they went back an hour at 00:00), at the first.
func startOfDay(d time.Time, loc *time.Location) time.Time {
	y, m, day := d.Date()
	on := func(t time.Time) bool {
		ty, tm, td := t.In(loc).Date()
		return ty == y && tm == m && td == day
	}
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

// First returns the period's first day, as a date (noon UTC on it).
func (p Period) First() time.Time { return dateOf(p.Start.In(p.Location)) }

// Last returns the period's last day, as a date (noon UTC on it).
func (p Period) Last() time.Time {
	return dateOf(p.End.In(p.Location)).AddDate(0, 0, -1)
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
}

// Days returns how many days the period holds.
func (p Period) Days() int {
	return int(p.Last().Sub(p.First()).Hours()/24) + 1
}

// Previous returns the period of the same span just before p.
func (p Period) Previous() Period {
	c := p.calendar()
	if p.Span == Month {
		return c.monthOfDate(p.First().AddDate(0, 0, -1))
	}
	return c.weekOfDate(p.First().AddDate(0, 0, -7))
}

// Next returns the period of the same span just after p.
func (p Period) Next() Period {
	c := p.calendar()
	if p.Span == Month {
		return c.monthOfDate(p.Last().AddDate(0, 0, 1))
	}
	return c.weekOfDate(p.First().AddDate(0, 0, 7))
}

// Contains reports whether the instant t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// ContainsDate reports whether the date (year, month, day) falls in the
// period, whatever the time of day of the value given.
func (p Period) ContainsDate(d time.Time) bool {
	d = dateOf(d)
	return !d.Before(p.First()) && !d.After(p.Last())
}

// String names the period: "week of 16 Nov 2026 (16-22 Nov 2026)" or
// "November 2026".
func (p Period) String() string {
	first, last := p.First(), p.Last()
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
