package calendar

import (
	"fmt"
	"slices"
	"strings"
	"time"

	cases "github.com/docketkit/docket/case"
)

// HolidayCalendar is a named set of holiday rules: the federal legal
// holidays, the Washington DC area's Inauguration Day, a state's judicial
// holidays. Calendars are data (JSON); the built-in ones are embedded.
type HolidayCalendar struct {
	Name  string        `json:"name"`
	Title string        `json:"title"`
	Rules []HolidayRule `json:"rules"`
}

// Validate checks every rule, naming the one at fault.
func (c *HolidayCalendar) Validate() error {
	if !validName(c.Name) {
		return invalid("holiday calendar", "Name", fmt.Sprintf("%q must be lower-case letters, digits and hyphens", c.Name))
	}
	for i := range c.Rules {
		if err := c.Rules[i].Validate(); err != nil {
			return fmt.Errorf("holiday calendar %s, Rules[%d]: %w", c.Name, i, err)
		}
	}
	return nil
}

// Holiday reports whether d is a day this calendar sets aside, and which:
// "Independence Day, observed" for the Friday before a Saturday 4 July.
func (c *HolidayCalendar) Holiday(d Date) (string, bool) {
	for i := range c.Rules {
		r := &c.Rules[i]
		// An observed day may fall in the year before its holiday (New
		// Year's Day on a Saturday) or, for rules with an offset, after.
		for _, y := range [3]int{d.Year, d.Year + 1, d.Year - 1} {
			if day, note, ok := r.observed(y); ok && day == d {
				if note != "" {
					return r.Name + ", " + note, true
				}
				return r.Name, true
			}
		}
	}
	return "", false
}

// ClosureKind says what a closure of a court means for deadlines.
type ClosureKind string

// Closure kinds.
const (
	// ClosureDeclared is a day declared a holiday by the President or
	// Congress, or treated as a legal holiday by the court's order
	// (FRCP 6(a)(6)(B)): a legal holiday, with its recorded source.
	ClosureDeclared ClosureKind = "declared"
	// ClosureInaccessible is a day the clerk's office was inaccessible
	// (weather, an outage of electronic filing): a period whose last day
	// it is runs to the first accessible day (FRCP 6(a)(3)), but it is not
	// a legal holiday for counting.
	ClosureInaccessible ClosureKind = "inaccessible"
	// ClosureAdministrative is a court's administrative closure (staff
	// leave, a training day) that is not a legal holiday: deadlines are
	// computed as if it were open; only hearings cannot be set on it.
	ClosureAdministrative ClosureKind = "administrative"
)

// Closure is a day a court was or will be closed, and why.
type Closure struct {
	Date Date        `json:"date"`
	Kind ClosureKind `json:"kind"`
	// Reason says what the day is: "National Day of Mourning for
	// President Carter".
	Reason string `json:"reason"`
	// Source records where the closure was declared: the executive
	// order, the court's general order. Required.
	Source string `json:"source"`
}

// Court is where deadlines are computed: its time zone, its holidays and
// closures, and the time of day its filing day ends.
type Court struct {
	// ID names the court: "nysd", "ca-superior-la".
	ID   string `json:"id"`
	Name string `json:"name"`
	// TimeZone is an IANA zone name: "America/New_York".
	TimeZone string `json:"time_zone"`
	// Holidays are the calendars of legal holidays that apply to every
	// period: "us-federal" for a federal court, "us-ca-judicial" for a
	// California court.
	Holidays []string `json:"holidays"`
	// StateHolidays apply to forward-counted periods only: a federal
	// court's state's holidays (FRCP 6(a)(6)(C)).
	StateHolidays []string `json:"state_holidays,omitempty"`
	// Closures are declared holidays and closures with their sources.
	Closures []Closure `json:"closures,omitempty"`
	// Cutoff is when the last day of a period ends, as hours and minutes
	// after midnight in the court's zone: "24:00" (midnight, FRCP
	// 6(a)(4)(A) for electronic filing) unless a local rule sets an
	// earlier time, such as "17:00".
	Cutoff Clock `json:"cutoff"`
	// JudgeCutoffs override Cutoff for a judge's cases, by the judge's
	// name as the case records it.
	JudgeCutoffs map[string]Clock `json:"judge_cutoffs,omitempty"`
	// WorkingHours bound when hearings and meetings are set: "09:00" to
	// "17:00" by default.
	OpensAt  Clock `json:"opens_at"`
	ClosesAt Clock `json:"closes_at"`
	// Version, Created and Updated are kept by the store that holds the
	// court.
	Version int64     `json:"version"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`

	loc       *time.Location
	calendars []*HolidayCalendar
	state     []*HolidayCalendar
}

// Clock is a time of day as minutes after midnight; 24:00 is the end of
// the day. Its text form is "HH:MM".
type Clock int

// Midnight is the end of the day: 24:00.
const Midnight Clock = 24 * 60

// ParseClock reads "HH:MM", from 00:00 to 24:00.
func ParseClock(s string) (Clock, error) {
	var h, m int
	if n, err := fmt.Sscanf(s, "%2d:%2d", &h, &m); err != nil || n != 2 || len(s) != 5 || h < 0 || h > 24 || m < 0 || m > 59 || h == 24 && m != 0 {
		return 0, fmt.Errorf("%q is not a time of day HH:MM from 00:00 to 24:00: %w", s, cases.ErrInvalid)
	}
	return Clock(h*60 + m), nil
}

// String writes HH:MM.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalText writes HH:MM.
func (c Clock) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads HH:MM.
func (c *Clock) UnmarshalText(b []byte) error {
	v, err := ParseClock(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// On returns the instant the clock shows on day d in loc. 24:00 is
// midnight at the start of the next day; on a day clocks change, a time
// that does not exist is moved as time.Date moves it.
func (c Clock) On(d Date, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, int(c)/60, int(c)%60, 0, 0, loc)
}

// Resolve checks the court and binds it to its time zone and to its
// holiday calendars, looked up in lib. A court must be resolved before it
// counts.
func (c *Court) Resolve(lib *Library) error {
	if !validName(c.ID) {
		return invalid("court", "ID", fmt.Sprintf("%q must be lower-case letters, digits and hyphens", c.ID))
	}
	if strings.TrimSpace(c.Name) == "" {
		return invalid("court "+c.ID, "Name", "is required")
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil || c.TimeZone == "" || c.TimeZone == "Local" {
		return invalid("court "+c.ID, "TimeZone", fmt.Sprintf("%q is not an IANA time zone such as America/New_York", c.TimeZone))
	}
	c.loc = loc
	if len(c.Holidays) == 0 {
		return invalid("court "+c.ID, "Holidays", "name the calendar of its legal holidays, such as us-federal")
	}
	resolve := func(field string, names []string) ([]*HolidayCalendar, error) {
		var out []*HolidayCalendar
		for i, n := range names {
			hc, ok := lib.Holidays[n]
			if !ok {
				return nil, invalid("court "+c.ID, fmt.Sprintf("%s[%d]", field, i), fmt.Sprintf("%q is not a known holiday calendar (%s)", n, strings.Join(lib.holidayNames(), ", ")))
			}
			out = append(out, hc)
		}
		return out, nil
	}
	if c.calendars, err = resolve("Holidays", c.Holidays); err != nil {
		return err
	}
	if c.state, err = resolve("StateHolidays", c.StateHolidays); err != nil {
		return err
	}
	for i, cl := range c.Closures {
		field := fmt.Sprintf("Closures[%d]", i)
		switch {
		case cl.Date.IsZero() || !cl.Date.Valid():
			return invalid("court "+c.ID, field+".Date", "is required")
		case cl.Kind != ClosureDeclared && cl.Kind != ClosureInaccessible && cl.Kind != ClosureAdministrative:
			return invalid("court "+c.ID, field+".Kind", fmt.Sprintf("%q is not %s, %s or %s", cl.Kind, ClosureDeclared, ClosureInaccessible, ClosureAdministrative))
		case strings.TrimSpace(cl.Reason) == "":
			return invalid("court "+c.ID, field+".Reason", "say what the day is")
		case strings.TrimSpace(cl.Source) == "":
			return invalid("court "+c.ID, field+".Source", "record where the closure was declared")
		}
	}
	if c.Cutoff == 0 {
		c.Cutoff = Midnight
	}
	if c.OpensAt == 0 && c.ClosesAt == 0 {
		c.OpensAt, c.ClosesAt = 9*60, 17*60
	}
	if c.Cutoff < 0 || c.Cutoff > Midnight {
		return invalid("court "+c.ID, "Cutoff", "must be from 00:01 to 24:00")
	}
	for judge, cut := range c.JudgeCutoffs {
		if cut <= 0 || cut > Midnight {
			return invalid("court "+c.ID, "JudgeCutoffs["+judge+"]", "must be from 00:01 to 24:00")
		}
	}
	if c.OpensAt >= c.ClosesAt || c.ClosesAt > Midnight {
		return invalid("court "+c.ID, "ClosesAt", "must be after OpensAt, by 24:00")
	}
	return nil
}

// Location returns the court's time zone (after Resolve).
func (c *Court) Location() *time.Location { return c.loc }

// CutoffFor returns when the filing day ends for a judge's case.
func (c *Court) CutoffFor(judge string) Clock {
	if cut, ok := c.JudgeCutoffs[judge]; ok && judge != "" {
		return cut
	}
	return c.Cutoff
}

// LegalHoliday reports whether d is a legal holiday of the court and why,
// naming every holiday that falls on it ("Martin Luther King Jr.'s
// Birthday and Inauguration Day"). State holidays count only for periods
// counted forward.
func (c *Court) LegalHoliday(d Date, forward bool) (string, bool) {
	var names []string
	for _, cl := range c.Closures {
		if cl.Date == d && cl.Kind == ClosureDeclared {
			names = append(names, cl.Reason+" (declared: "+cl.Source+")")
		}
	}
	for _, hc := range c.calendars {
		if name, ok := hc.Holiday(d); ok && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	if forward {
		for _, hc := range c.state {
			if name, ok := hc.Holiday(d); ok && !slices.Contains(names, name) {
				names = append(names, name+" (a state holiday, counted forward only)")
			}
		}
	}
	return strings.Join(names, " and "), len(names) > 0
}

// inaccessible reports a day the clerk's office was inaccessible.
func (c *Court) inaccessible(d Date) (Closure, bool) {
	for _, cl := range c.Closures {
		if cl.Date == d && cl.Kind == ClosureInaccessible {
			return cl, true
		}
	}
	return Closure{}, false
}

// Closed reports whether the court holds no hearings on d: a weekend, a
// legal holiday (state holidays included) or any closure.
func (c *Court) Closed(d Date) (string, bool) {
	if why, ok := weekend(d); ok {
		return why, true
	}
	if why, ok := c.LegalHoliday(d, true); ok {
		return why, true
	}
	for _, cl := range c.Closures {
		if cl.Date == d {
			return cl.Reason + " (" + string(cl.Kind) + " closure: " + cl.Source + ")", true
		}
	}
	return "", false
}

// CourtDay reports whether d is a court day: not a weekend, a legal
// holiday (state holidays included) or a closure of any kind but an
// administrative one. Court days count periods "in court days".
func (c *Court) CourtDay(d Date) bool {
	if _, ok := weekend(d); ok {
		return false
	}
	if _, ok := c.LegalHoliday(d, true); ok {
		return false
	}
	_, shut := c.inaccessible(d)
	return !shut
}

func weekend(d Date) (string, bool) {
	switch d.Weekday() {
	case time.Saturday:
		return "a Saturday", true
	case time.Sunday:
		return "a Sunday", true
	}
	return "", false
}

func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

var errUnresolved = fmt.Errorf("the court is not resolved: call Court.Resolve first: %w", cases.ErrInvalid)
