package calendar

import (
	"fmt"
	"time"

	cases "github.com/docketkit/docket/case"
)

// Date is a court date: no time of day, in the court's own time zone.
type Date = cases.Date

// Observance says which day is set aside when a holiday falls on a
// weekend.
type Observance string

// Observances.
const (
	// ObserveNone keeps the holiday on its own date, weekend or not.
	ObserveNone Observance = "none"
	// ObserveFederal moves a Saturday holiday to the Friday before and a
	// Sunday holiday to the Monday after (5 U.S.C. 6103(b); Executive
	// Order 11582). The Friday may fall in the year before: New Year's
	// Day 2022, a Saturday, was observed on Friday 31 December 2021.
	ObserveFederal Observance = "federal"
	// ObserveSundayToMonday moves a Sunday holiday to the Monday after; a
	// Saturday holiday gets no substitute (Inauguration Day, 5 U.S.C.
	// 6103(c)). California's judicial holidays are observed like the
	// federal ones (Cal. Rules of Court, rule 1.11).
	ObserveSundayToMonday Observance = "sunday-to-monday"
)

// HolidayRule computes one holiday's date in any year: a fixed date
// (Month and Day) or the Nth Weekday of Month (Nth -1 for the last).
// It is a rule, never a list of dates typed in per year.
type HolidayRule struct {
	// Name is the holiday's name, as explanations give it.
	Name  string     `json:"name"`
	Month time.Month `json:"month"`
	// Day is the day of the month of a fixed-date holiday.
	Day int `json:"day,omitempty"`
	// Weekday and Nth give a floating holiday: the Nth Weekday of Month
	// (1 to 4), or the last one (-1).
	Weekday *time.Weekday `json:"weekday,omitempty"`
	Nth     int           `json:"nth,omitempty"`
	// Offset moves the day computed by Weekday and Nth by some days: the
	// day after Thanksgiving is the fourth Thursday of November, +1.
	Offset int `json:"offset,omitempty"`
	// EveryYears and YearMod make a holiday that falls only in some years:
	// those whose year modulo EveryYears is YearMod (Inauguration Day:
	// every 4 years, in years that leave 1).
	EveryYears int `json:"every_years,omitempty"`
	YearMod    int `json:"year_mod,omitempty"`
	// Observed says which day is set aside when the date falls on a
	// weekend.
	Observed Observance `json:"observed"`
	// From and Until bound the dates on which the holiday is observed
	// (inclusive; zero for no bound): Juneteenth from 17 June 2021.
	From  Date `json:"from"`
	Until Date `json:"until"`
	// Source cites the law that makes it a holiday.
	Source string `json:"source"`
}

// date returns the holiday's own date in year, and whether it falls in
// that year at all.
func (r *HolidayRule) date(year int) (Date, bool) {
	if r.EveryYears > 0 && year%r.EveryYears != r.YearMod {
		return Date{}, false
	}
	if r.Weekday == nil {
		return Date{Year: year, Month: r.Month, Day: r.Day}, true
	}
	var d Date
	if r.Nth > 0 {
		d = Date{Year: year, Month: r.Month, Day: 1}
		for d.Weekday() != *r.Weekday {
			d = d.AddDays(1)
		}
		d = d.AddDays(7 * (r.Nth - 1))
	} else {
		// The month's last day: AddDays normalises month 13 to January.
		d = Date{Year: year, Month: r.Month + 1, Day: 1}.AddDays(-1)
		for d.Weekday() != *r.Weekday {
			d = d.AddDays(-1)
		}
	}
	return d.AddDays(r.Offset), true
}

// observed returns the day set aside for the holiday of year, and
// whether there is one.
func (r *HolidayRule) observed(year int) (day Date, note string, ok bool) {
	d, ok := r.date(year)
	if !ok {
		return Date{}, "", false
	}
	switch wd := d.Weekday(); {
	case r.Observed == ObserveFederal && wd == time.Saturday:
		d, note = d.AddDays(-1), "observed"
	case (r.Observed == ObserveFederal || r.Observed == ObserveSundayToMonday) && wd == time.Sunday:
		d, note = d.AddDays(1), "observed"
	case r.Observed == ObserveSundayToMonday && wd == time.Saturday:
		return Date{}, "", false
	}
	if !r.From.IsZero() && d.Before(r.From) || !r.Until.IsZero() && d.After(r.Until) {
		return Date{}, "", false
	}
	return d, note, true
}

// Validate checks the rule, naming the field at fault.
func (r *HolidayRule) Validate() error {
	switch {
	case r.Name == "":
		return invalid("holiday", "Name", "is required")
	case r.Month < time.January || r.Month > time.December:
		return invalid("holiday "+r.Name, "Month", fmt.Sprintf("%d is not a month", r.Month))
	case r.Weekday == nil && (r.Day < 1 || !(Date{Year: 2024, Month: r.Month, Day: r.Day}).Valid()):
		return invalid("holiday "+r.Name, "Day", fmt.Sprintf("%d is not a day of %s", r.Day, r.Month))
	case r.Weekday != nil && (*r.Weekday < time.Sunday || *r.Weekday > time.Saturday):
		return invalid("holiday "+r.Name, "Weekday", "is not a day of the week")
	case r.Weekday != nil && (r.Nth == 0 || r.Nth < -1 || r.Nth > 4):
		return invalid("holiday "+r.Name, "Nth", fmt.Sprintf("%d: give 1 to 4, or -1 for the last", r.Nth))
	case r.Weekday != nil && r.Day != 0:
		return invalid("holiday "+r.Name, "Day", "is for fixed-date holidays; a floating one has Weekday and Nth")
	case r.EveryYears < 0 || r.EveryYears > 0 && (r.YearMod < 0 || r.YearMod >= r.EveryYears):
		return invalid("holiday "+r.Name, "YearMod", fmt.Sprintf("%d must be from 0 to EveryYears-1", r.YearMod))
	case r.Observed != ObserveNone && r.Observed != ObserveFederal && r.Observed != ObserveSundayToMonday:
		return invalid("holiday "+r.Name, "Observed", fmt.Sprintf("%q is not %s, %s or %s", r.Observed, ObserveNone, ObserveFederal, ObserveSundayToMonday))
	case r.Source == "":
		return invalid("holiday "+r.Name, "Source", "cite the law that makes it a holiday")
	case !r.From.Valid() || !r.Until.Valid():
		return invalid("holiday "+r.Name, "From", "is not a date")
	}
	return nil
}

func invalid(record, field, problem string) error {
	return &cases.FieldError{Record: record, Field: field, Problem: problem}
}
