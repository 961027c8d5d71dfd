package cases

import (
	"fmt"
	"time"
)

// Date is a calendar date with no time of day and no time zone, as courts
// use them: a filing is due on a date in the court's own zone. The zero Date
// means "not set".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// dateLayout is the only textual form of a Date: ISO 8601, 2026-03-02.
const dateLayout = "2006-01-02"

// ParseDate reads a date written as YYYY-MM-DD. The empty string gives the
// zero Date. Anything else that is not a real calendar date is an error.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD: %w", s, ErrInvalid)
	}
	d := DateOf(t)
	if !d.Valid() {
		return Date{}, fmt.Errorf("%q is outside the years 0001 to 9999: %w", s, ErrInvalid)
	}
	return d, nil
}

// MustDate is ParseDate for constants in examples and tests; it panics on a
// malformed date.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is unset or a real calendar date between the
// years 1 and 9999.
func (d Date) Valid() bool {
	if d.IsZero() {
		return true
	}
	if d.Year < 1 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	return DateOf(d.Time(time.UTC)) == d
}

// Time returns midnight at the start of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// String returns YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return e.Before(d) }

// AddDays returns the date n days after d (before it for negative n).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time(time.UTC).Weekday() }

// DaysUntil returns the number of days from d to e (negative when e is
// earlier).
func (d Date) DaysUntil(e Date) int {
	return int(e.Time(time.UTC).Sub(d.Time(time.UTC)).Hours() / 24)
}

// MarshalText writes YYYY-MM-DD (empty for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
