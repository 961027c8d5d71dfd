package calendar

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	ical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"

	cases "github.com/docketkit/docket/case"
)

// prodID names Docket in the calendars it writes.
const prodID = "-//Docket//Docket court calendar//EN"

// uidDomain ends the UIDs of what Docket exports: stable across exports,
// so a subscriber updates an event rather than adding it again.
const uidDomain = "@docket"

// Export is what one iCalendar file holds: events and deadlines, with
// the reminders to attach to them.
type Export struct {
	// Name is the calendar's display name (X-WR-CALNAME).
	Name string
	// Stamp is the time of the export (DTSTAMP).
	Stamp     time.Time
	Events    []Event
	Deadlines []Deadline
	// References names each case, for the summaries: "2026-CV-0001".
	References map[cases.ID]string
	// EventAlarms and DeadlineAlarms are the reminder offsets written as
	// VALARMs: before an event's start, before a deadline's end.
	EventAlarms, DeadlineAlarms []time.Duration
}

// WriteICS writes x as an iCalendar file (RFC 5545): each event in its
// own time zone, with a VTIMEZONE for every zone used; each deadline as
// an all-day item on its due date; VALARM reminders; UIDs stable across
// exports; SEQUENCE as the record's; STATUS:CANCELLED for what was
// vacated. Notes stay out: a calendar file travels further than the
// case file.
func WriteICS(w io.Writer, x Export) error {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropProductID, prodID)
	setRaw(cal.Props, ical.PropVersion, "2.0")
	setRaw(cal.Props, ical.PropCalendarScale, "GREGORIAN")
	setRaw(cal.Props, ical.PropMethod, "PUBLISH")
	if x.Name != "" {
		cal.Props.Set(&ical.Prop{Name: "X-WR-CALNAME", Params: ical.Params{}, Value: escapeText(x.Name)})
	}
	stamp := x.Stamp.UTC().Truncate(time.Second)
	zones := map[string][2]int{} // zone name -> years spanned
	for _, e := range x.Events {
		loc, err := time.LoadLocation(e.TimeZone)
		if err != nil {
			return fmt.Errorf("event %s: TimeZone %q: %w", e.ID, e.TimeZone, err)
		}
		span, ok := zones[e.TimeZone]
		y0, y1 := e.Start.In(loc).Year(), e.End.In(loc).Year()
		if !ok {
			span = [2]int{y0, y1}
		}
		zones[e.TimeZone] = [2]int{max(min(span[0], y0), minYear), min(max(span[1], y1), maxYear)}
		cal.Children = append(cal.Children, eventComponent(&e, loc, stamp, x.References, x.EventAlarms))
	}
	for _, d := range x.Deadlines {
		cal.Children = append(cal.Children, deadlineComponent(&d, stamp, x.References, x.DeadlineAlarms))
	}
	names := make([]string, 0, len(zones))
	for n := range zones {
		names = append(names, n)
	}
	slices.Sort(names)
	var tzs []*ical.Component
	for _, n := range names {
		tz, err := vtimezone(n, zones[n][0], zones[n][1])
		if err != nil {
			return err
		}
		tzs = append(tzs, tz)
	}
	cal.Children = append(tzs, cal.Children...)
	return ical.NewEncoder(w).Encode(cal)
}

func eventComponent(e *Event, loc *time.Location, stamp time.Time, refs map[cases.ID]string, alarms []time.Duration) *ical.Component {
	c := ical.NewComponent(ical.CompEvent)
	c.Props.SetText(ical.PropUID, string(e.ID)+uidDomain)
	c.Props.SetDateTime(ical.PropDateTimeStamp, stamp)
	c.Props.SetDateTime(ical.PropDateTimeStart, e.Start.In(loc).Truncate(time.Second))
	c.Props.SetDateTime(ical.PropDateTimeEnd, e.End.In(loc).Truncate(time.Second))
	summary := e.Title
	if ref := refs[e.Case]; ref != "" {
		summary = ref + ": " + e.Title
	}
	c.Props.SetText(ical.PropSummary, summary)
	where := strings.TrimSpace(strings.Join(slices.DeleteFunc([]string{e.Location, e.Courtroom}, func(s string) bool { return s == "" }), ", "))
	if where != "" {
		c.Props.SetText(ical.PropLocation, where)
	}
	c.Props.SetText(ical.PropCategories, string(e.Kind))
	setRaw(c.Props, ical.PropSequence, strconv.Itoa(e.Sequence))
	status := "CONFIRMED"
	if e.Status == Vacated {
		status = "CANCELLED"
	}
	setRaw(c.Props, ical.PropStatus, status)
	if e.Status != Vacated {
		for _, off := range alarms {
			c.Children = append(c.Children, alarm(summary, "-"+isoDuration(off), ""))
		}
	}
	return c
}

func deadlineComponent(d *Deadline, stamp time.Time, refs map[cases.ID]string, alarms []time.Duration) *ical.Component {
	c := ical.NewComponent(ical.CompEvent)
	c.Props.SetText(ical.PropUID, string(d.ID)+uidDomain)
	c.Props.SetDateTime(ical.PropDateTimeStamp, stamp)
	start := time.Date(d.Due.Year, d.Due.Month, d.Due.Day, 0, 0, 0, 0, time.UTC)
	c.Props.SetDate(ical.PropDateTimeStart, start)
	c.Props.SetDate(ical.PropDateTimeEnd, start.AddDate(0, 0, 1))
	summary := "Due: " + d.Title
	if d.Status == Done {
		summary = "Done: " + d.Title
	}
	if ref := refs[d.Case]; ref != "" {
		summary = ref + ": " + summary
	}
	c.Props.SetText(ical.PropSummary, summary)
	c.Props.SetText(ical.PropDescription, strings.TrimSpace(d.Explanation.String()))
	c.Props.SetText(ical.PropCategories, "deadline")
	setRaw(c.Props, ical.PropSequence, strconv.Itoa(d.Sequence))
	setRaw(c.Props, ical.PropTransparency, "TRANSPARENT")
	status := "CONFIRMED"
	if d.Status == VacatedDeadline {
		status = "CANCELLED"
	}
	setRaw(c.Props, ical.PropStatus, status)
	if d.Status == Open {
		for _, off := range alarms {
			at := d.DueAt.Add(-off).UTC().Truncate(time.Second)
			c.Children = append(c.Children, alarm(summary, "", at.Format("20060102T150405Z")))
		}
	}
	return c
}

// alarm is a VALARM that displays the summary, triggered by a duration
// before the start or at an absolute UTC time.
func alarm(summary, before, at string) *ical.Component {
	a := ical.NewComponent(ical.CompAlarm)
	setRaw(a.Props, ical.PropAction, "DISPLAY")
	a.Props.SetText(ical.PropDescription, summary)
	p := ical.NewProp(ical.PropTrigger)
	if at != "" {
		p.SetValueType(ical.ValueDateTime)
		p.Value = at
	} else {
		p.Value = before
	}
	a.Props.Set(p)
	return a
}

// isoDuration writes a positive duration as RFC 5545 dur-value: P1DT2H30M.
func isoDuration(d time.Duration) string {
	var b strings.Builder
	b.WriteString("P")
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	if days > 0 {
		fmt.Fprintf(&b, "%dD", days)
	}
	if d > 0 || days == 0 {
		b.WriteString("T")
		h, m, s := d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
		if h > 0 {
			fmt.Fprintf(&b, "%dH", h)
		}
		if m > 0 {
			fmt.Fprintf(&b, "%dM", m)
		}
		if s > 0 || h == 0 && m == 0 {
			fmt.Fprintf(&b, "%dS", s)
		}
	}
	return b.String()
}

// vtimezone describes an IANA zone for the years y0 to y1 as a VTIMEZONE:
// one STANDARD or DAYLIGHT observance per offset change, found by reading
// the zone's own rules hour by hour, so any reader gets the offsets Go
// uses without its own copy of the database.
func vtimezone(name string, y0, y1 int) (*ical.Component, error) {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, err)
	}
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.SetText(ical.PropTimezoneID, name)
	t := time.Date(y0-1, 12, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(y1+1, 1, 1, 0, 0, 0, 0, time.UTC)
	prevName, prevOff := t.In(loc).Zone()
	for t = t.Add(time.Hour); t.Before(end); t = t.Add(time.Hour) {
		zn, off := t.In(loc).Zone()
		if off == prevOff && zn == prevName {
			continue
		}
		// Find the transition to the second.
		lo, hi := t.Add(-time.Hour), t
		for hi.Sub(lo) > time.Second {
			mid := lo.Add(hi.Sub(lo) / 2)
			if _, o := mid.In(loc).Zone(); o == prevOff {
				lo = mid
			} else {
				hi = mid
			}
		}
		kind := ical.CompTimezoneStandard
		if off > prevOff {
			kind = ical.CompTimezoneDaylight
		}
		tz.Children = append(tz.Children, observance(kind, hi.In(time.FixedZone("", prevOff)), prevOff, off, zn))
		prevName, prevOff = zn, off
	}
	if len(tz.Children) == 0 {
		tz.Children = append(tz.Children, observance(ical.CompTimezoneStandard, time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), prevOff, prevOff, prevName))
	}
	return tz, nil
}

func observance(kind string, localStart time.Time, from, to int, name string) *ical.Component {
	o := ical.NewComponent(kind)
	p := ical.NewProp(ical.PropDateTimeStart)
	p.SetValueType(ical.ValueDateTime)
	p.Value = localStart.Format("20060102T150405")
	o.Props.Set(p)
	setRaw(o.Props, ical.PropTimezoneOffsetFrom, utcOffset(from))
	setRaw(o.Props, ical.PropTimezoneOffsetTo, utcOffset(to))
	if name != "" {
		o.Props.SetText(ical.PropTimezoneName, name)
	}
	return o
}

// setRaw sets a property to a value of its default type, written as is
// (SetText would mark a SEQUENCE or an offset as TEXT).
func setRaw(props ical.Props, name, value string) {
	props.Set(&ical.Prop{Name: name, Params: ical.Params{}, Value: value})
}

// escapeText escapes a TEXT value (RFC 5545 3.3.11).
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

func utcOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	return fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
}

// ICSError is an iCalendar file Docket could not read: which component
// and property, and why.
type ICSError struct {
	// Component is "VEVENT 3" (the third event of the file) or
	// "VCALENDAR" for the file as a whole.
	Component string
	UID       string
	Property  string
	Problem   string
}

// Error says which component and property failed, and why.
func (e *ICSError) Error() string {
	var b strings.Builder
	b.WriteString("iCalendar " + e.Component)
	if e.UID != "" {
		b.WriteString(" (UID " + strconv.Quote(e.UID) + ")")
	}
	if e.Property != "" {
		b.WriteString(" " + e.Property)
	}
	return b.String() + ": " + e.Problem
}

// Unwrap makes errors.Is(err, cases.ErrInvalid) report a bad file.
func (e *ICSError) Unwrap() error { return cases.ErrInvalid }

// The years an imported event may fall in.
const minYear, maxYear = 1900, 2200

// MaxICS bounds the size of a file ParseICS reads.
const MaxICS = 16 << 20

// ImportOptions say where parsed events go.
type ImportOptions struct {
	Case cases.ID
	// TimeZone is the zone for times given without one (floating times and
	// all-day items), and the zone events are kept in when theirs is not
	// an IANA zone; it must be an IANA name.
	TimeZone string
	// Kind is the kind given to the events; defaults to OtherEvent.
	Kind EventKind
}

// ParseICS reads the events (VEVENT) of an iCalendar file into events on
// a case. Each event's ID is derived from its UID, so importing the same
// file twice finds the same IDs. Times in a zone the file defines itself
// (a VTIMEZONE that is not an IANA zone, as Outlook writes) are read from
// that definition; Windows zone names are mapped to IANA ones. Recurring
// events are imported as their first occurrence. A file that cannot be
// read fails with an *ICSError naming the component, property and
// problem; nothing is partly imported. ParseICS never panics.
func ParseICS(r io.Reader, opts ImportOptions) (events []Event, err error) {
	defer func() {
		if p := recover(); p != nil {
			events, err = nil, &ICSError{Component: "VCALENDAR", Problem: fmt.Sprintf("the file broke the iCalendar reader: %v", p)}
		}
	}()
	if opts.Case == "" {
		return nil, invalid("import", "Case", "is required")
	}
	def, err := time.LoadLocation(opts.TimeZone)
	if err != nil || opts.TimeZone == "" || opts.TimeZone == "Local" {
		return nil, invalid("import", "TimeZone", fmt.Sprintf("%q is not an IANA time zone", opts.TimeZone))
	}
	if opts.Kind == "" {
		opts.Kind = OtherEvent
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxICS+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxICS {
		return nil, &ICSError{Component: "VCALENDAR", Problem: fmt.Sprintf("the file is larger than %d bytes", MaxICS)}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return nil, &ICSError{Component: "VCALENDAR", Problem: "the file is not UTF-8 text"}
	}
	dec := ical.NewDecoder(bytes.NewReader(data))
	n := 0
	for {
		cal, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &ICSError{Component: "VCALENDAR", Problem: strings.TrimPrefix(err.Error(), "ical: ")}
		}
		zones := calendarZones(cal.Component)
		for _, child := range cal.Children {
			if child.Name != ical.CompEvent {
				continue
			}
			n++
			e, err := parseEvent(child, n, opts, def, zones)
			if err != nil {
				return nil, err
			}
			events = append(events, e)
		}
	}
	if n == 0 {
		return nil, &ICSError{Component: "VCALENDAR", Problem: "the file holds no event (VEVENT)"}
	}
	return events, nil
}

func parseEvent(c *ical.Component, n int, opts ImportOptions, def *time.Location, zones map[string]*ical.Component) (Event, error) {
	fail := func(uid, prop, problem string) error {
		return &ICSError{Component: fmt.Sprintf("VEVENT %d", n), UID: uid, Property: prop, Problem: problem}
	}
	uid := ""
	if p := c.Props.Get(ical.PropUID); p != nil {
		uid = strings.TrimSpace(p.Value)
	}
	key := uid
	if key == "" {
		// RFC 5545 requires a UID; files without one are common. The
		// event's own start, end and summary stand in, so importing the
		// same file again still finds the same event.
		for _, name := range []string{ical.PropDateTimeStart, ical.PropDateTimeEnd, ical.PropDuration, ical.PropSummary} {
			if p := c.Props.Get(name); p != nil {
				key += "\x00" + p.Value
			}
		}
	}
	sum := sha256.Sum256([]byte(string(opts.Case) + "\x00" + key))
	e := Event{ID: EventID("ics-" + hex.EncodeToString(sum[:16])), Case: opts.Case, Kind: opts.Kind, TimeZone: opts.TimeZone, Status: Scheduled}
	text := func(name string) (string, error) {
		p := c.Props.Get(name)
		if p == nil {
			return "", nil
		}
		v, err := p.Text()
		if err != nil {
			// A stray backslash (\3 and the like) is common: keep the text
			// as written rather than lose the event.
			v = lenientText(p.Value)
		}
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			return "", fail(uid, name, "is not valid UTF-8 text")
		}
		return v, nil
	}
	var err error
	if e.Title, err = text(ical.PropSummary); err != nil {
		return e, err
	}
	if strings.TrimSpace(e.Title) == "" {
		e.Title = "(no title)"
	}
	if e.Location, err = text(ical.PropLocation); err != nil {
		return e, err
	}
	if e.Notes, err = text(ical.PropDescription); err != nil {
		return e, err
	}
	startP := c.Props.Get(ical.PropDateTimeStart)
	if startP == nil {
		return e, fail(uid, "DTSTART", "is missing")
	}
	start, allDay, zone, err := propTime(startP, def, zones)
	if err != nil {
		return e, fail(uid, "DTSTART", err.Error())
	}
	e.Start = start
	if zone != "" {
		e.TimeZone = zone
	}
	switch {
	case c.Props.Get(ical.PropDateTimeEnd) != nil:
		end, _, _, err := propTime(c.Props.Get(ical.PropDateTimeEnd), def, zones)
		if err != nil {
			return e, fail(uid, "DTEND", err.Error())
		}
		e.End = end
	case c.Props.Get(ical.PropDuration) != nil:
		d, err := c.Props.Get(ical.PropDuration).Duration()
		if err != nil {
			return e, fail(uid, "DURATION", err.Error())
		}
		e.End = e.Start.Add(d)
	case allDay:
		e.End = e.Start.AddDate(0, 0, 1)
	default:
		e.End = e.Start // RFC 5545 3.6.1: an instant; given a minute below
	}
	if !e.End.After(e.Start) {
		if e.End.Before(e.Start) {
			return e, fail(uid, "DTEND", "is before DTSTART")
		}
		e.End = e.Start.Add(time.Minute)
	}
	if p := c.Props.Get(ical.PropStatus); p != nil && strings.EqualFold(strings.TrimSpace(p.Value), "CANCELLED") {
		e.Status = Vacated
	}
	if p := c.Props.Get(ical.PropSequence); p != nil {
		if s, err := strconv.Atoi(strings.TrimSpace(p.Value)); err == nil && s >= 0 {
			e.Sequence = s
		}
	}
	if y := e.Start.Year(); y < minYear || y > maxYear {
		return e, fail(uid, "DTSTART", fmt.Sprintf("%d is outside the years %d to %d", y, minYear, maxYear))
	}
	if y := e.End.Year(); y < minYear || y > maxYear {
		return e, fail(uid, "DTEND", fmt.Sprintf("%d is outside the years %d to %d", y, minYear, maxYear))
	}
	e.Start, e.End = e.Start.UTC(), e.End.UTC()
	e.Title, e.Location = clip(oneLine(e.Title), 200), clip(oneLine(e.Location), 500)
	e.Notes = clip(e.Notes, 100_000)
	if err := e.Validate(); err != nil {
		var fe *cases.FieldError
		if errors.As(err, &fe) {
			return e, fail(uid, icsProperty(fe.Field), fe.Problem)
		}
		return e, fail(uid, "", err.Error())
	}
	return e, nil
}

// icsProperty names the property an event field came from.
func icsProperty(field string) string {
	switch field {
	case "Title":
		return "SUMMARY"
	case "Start":
		return "DTSTART"
	case "End":
		return "DTEND"
	case "Location":
		return "LOCATION"
	case "Notes":
		return "DESCRIPTION"
	}
	return field
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// lenientText unescapes a TEXT value, keeping any escape RFC 5545 does
// not define as written.
func lenientText(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' || i+1 == len(v) {
			b.WriteByte(v[i])
			continue
		}
		switch v[i+1] {
		case 'n', 'N':
			b.WriteByte('\n')
		case '\\', ';', ',':
			b.WriteByte(v[i+1])
		default:
			b.WriteByte('\\')
			b.WriteByte(v[i+1])
		}
		i++
	}
	return b.String()
}

// clip cuts s to at most n bytes, at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// calendarZones collects the time zones a calendar defines, by TZID.
func calendarZones(cal *ical.Component) map[string]*ical.Component {
	out := map[string]*ical.Component{}
	for _, c := range cal.Children {
		if c.Name != ical.CompTimezone {
			continue
		}
		if p := c.Props.Get(ical.PropTimezoneID); p != nil {
			out[p.Value] = c
		}
	}
	return out
}

// windowsZones maps the Windows zone names Outlook writes as TZIDs to
// IANA zones (the common ones; CLDR's windowsZones table is the source).
var windowsZones = map[string]string{
	"Eastern Standard Time": "America/New_York", "Central Standard Time": "America/Chicago",
	"Mountain Standard Time": "America/Denver", "US Mountain Standard Time": "America/Phoenix",
	"Pacific Standard Time": "America/Los_Angeles", "Alaskan Standard Time": "America/Anchorage",
	"Hawaiian Standard Time": "Pacific/Honolulu", "Atlantic Standard Time": "America/Halifax",
	"GMT Standard Time": "Europe/London", "Greenwich Standard Time": "Atlantic/Reykjavik",
	"W. Europe Standard Time": "Europe/Berlin", "Romance Standard Time": "Europe/Paris",
	"Central Europe Standard Time": "Europe/Budapest", "Central European Standard Time": "Europe/Warsaw",
	"E. Europe Standard Time": "Europe/Chisinau", "FLE Standard Time": "Europe/Kiev", "GTB Standard Time": "Europe/Bucharest",
	"Russian Standard Time": "Europe/Moscow", "India Standard Time": "Asia/Kolkata", "China Standard Time": "Asia/Shanghai",
	"Tokyo Standard Time": "Asia/Tokyo", "AUS Eastern Standard Time": "Australia/Sydney", "UTC": "UTC",
}

// propTime reads a DTSTART or DTEND: a UTC time, a time in a zone (IANA,
// Windows, or defined by the file), a floating time (in def), or a date
// (all day, from midnight in def). zone is the IANA zone the time was
// given in, if any.
func propTime(p *ical.Prop, def *time.Location, zones map[string]*ical.Component) (t time.Time, allDay bool, zone string, err error) {
	v := strings.TrimSpace(p.Value)
	if p.ValueType() == ical.ValueDate || len(v) == len("20060102") {
		d, err := time.ParseInLocation("20060102", v, def)
		if err != nil {
			return t, false, "", fmt.Errorf("%q is not a date YYYYMMDD", v)
		}
		return d, true, "", nil
	}
	if strings.HasSuffix(v, "Z") {
		t, err := time.ParseInLocation("20060102T150405Z", v, time.UTC)
		if err != nil {
			return t, false, "", fmt.Errorf("%q is not a UTC date-time YYYYMMDDTHHMMSSZ", v)
		}
		return t, false, "", nil
	}
	wall, err := time.ParseInLocation("20060102T150405", v, time.UTC)
	if err != nil {
		return t, false, "", fmt.Errorf("%q is not a date-time YYYYMMDDTHHMMSS", v)
	}
	tzid := strings.Trim(p.Params.Get(ical.PropTimezoneID), `"`)
	if tzid == "" {
		return rewall(wall, def), false, "", nil
	}
	name := tzid
	if w, ok := windowsZones[tzid]; ok {
		name = w
	}
	// A globally unique TZID ("/Europe/Stockholm",
	// "/freeassociation.sourceforge.net/Europe/Berlin") ends in an IANA
	// name.
	if strings.HasPrefix(name, "/") {
		parts := strings.Split(strings.Trim(name, "/"), "/")
		for i := range parts {
			tail := strings.Join(parts[i:], "/")
			if _, err := time.LoadLocation(tail); err == nil && strings.Contains(tail, "/") && !strings.Contains(tail, "..") {
				name = tail
				break
			}
		}
	}
	if !strings.Contains(name, "..") {
		if loc, err := time.LoadLocation(name); err == nil && name != "Local" {
			return rewall(wall, loc), false, name, nil
		}
	}
	if def, ok := zones[tzid]; ok {
		off, err := zoneOffset(def, wall)
		if err != nil {
			return t, false, "", fmt.Errorf("time zone %q: %v", tzid, err)
		}
		return wall.Add(-time.Duration(off) * time.Second), false, "", nil
	}
	return t, false, "", fmt.Errorf("time zone %q is neither an IANA or Windows zone nor defined by a VTIMEZONE in the file", tzid)
}

// rewall reads a wall-clock time (parsed as UTC) in loc.
func rewall(wall time.Time, loc *time.Location) time.Time {
	return time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, loc)
}

// zoneOffset finds the UTC offset a VTIMEZONE gives a wall-clock time:
// that of the observance (STANDARD or DAYLIGHT) with the latest onset, by
// its DTSTART, RRULE and RDATEs, on or before it.
func zoneOffset(tz *ical.Component, wall time.Time) (int, error) {
	best, found, offset := time.Time{}, false, 0
	for _, o := range tz.Children {
		if o.Name != ical.CompTimezoneStandard && o.Name != ical.CompTimezoneDaylight {
			continue
		}
		toP := o.Props.Get(ical.PropTimezoneOffsetTo)
		if toP == nil {
			return 0, fmt.Errorf("%s has no TZOFFSETTO", o.Name)
		}
		to, err := parseOffset(toP.Value)
		if err != nil {
			return 0, fmt.Errorf("%s TZOFFSETTO: %v", o.Name, err)
		}
		startP := o.Props.Get(ical.PropDateTimeStart)
		if startP == nil {
			return 0, fmt.Errorf("%s has no DTSTART", o.Name)
		}
		sv := strings.TrimSpace(startP.Value)
		if len(sv) == len("20060102") {
			sv += "T000000"
		}
		start, err := time.ParseInLocation("20060102T150405", sv, time.UTC)
		if err != nil {
			return 0, fmt.Errorf("%s DTSTART %q is not a local date-time", o.Name, startP.Value)
		}
		onset := time.Time{}
		if !start.After(wall) {
			onset = start
		}
		if o.Props.Get(ical.PropRecurrenceRule) != nil {
			// Zones change their offsets at most a few times a year: only
			// yearly rules are read, so no rule can make the reader step
			// through every second since 1900.
			rule, err := o.Props.RecurrenceRule()
			if err != nil || rule == nil || rule.Freq != rrule.YEARLY || len(rule.Byhour) > 1 || len(rule.Byminute) > 1 || len(rule.Bysecond) > 1 || len(rule.Byyearday)+len(rule.Byweekno)+len(rule.Byeaster) > 0 ||
				len(rule.Bymonth) > 12 || len(rule.Bymonthday) > 7 || len(rule.Byweekday) > 7 {
				return 0, fmt.Errorf("%s RRULE: only a yearly rule by month and day is read in a time zone definition", o.Name)
			}
			set, err := o.RecurrenceSet(time.UTC)
			if err == nil && set != nil {
				if t := set.Before(wall, true); !t.IsZero() {
					onset = t
				}
			}
		}
		for _, rd := range o.Props.Values(ical.PropRecurrenceDates) {
			for _, v := range strings.Split(rd.Value, ",") {
				if t, err := time.ParseInLocation("20060102T150405", strings.TrimSpace(v), time.UTC); err == nil && !t.After(wall) && t.After(onset) {
					onset = t
				}
			}
		}
		if !onset.IsZero() && (!found || onset.After(best)) {
			best, found, offset = onset, true, to
		}
	}
	if !found {
		return 0, errors.New("defines no observance that has begun by then")
	}
	return offset, nil
}

func parseOffset(s string) (int, error) {
	s = strings.TrimSpace(s)
	if len(s) != 5 && len(s) != 7 || s[0] != '+' && s[0] != '-' {
		return 0, fmt.Errorf("%q is not an offset such as -0500", s)
	}
	h, err1 := strconv.Atoi(s[1:3])
	m, err2 := strconv.Atoi(s[3:5])
	sec := 0
	var err3 error
	if len(s) == 7 {
		sec, err3 = strconv.Atoi(s[5:7])
	}
	if err1 != nil || err2 != nil || err3 != nil || h > 23 || m > 59 || sec > 59 {
		return 0, fmt.Errorf("%q is not an offset such as -0500", s)
	}
	off := h*3600 + m*60 + sec
	if s[0] == '-' {
		off = -off
	}
	return off, nil
}
