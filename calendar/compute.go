package calendar

import (
	"fmt"
	"strings"
	"time"

	cases "github.com/docketkit/docket/case"
)

// TriggerID identifies a trigger recorded on a case.
type TriggerID string

// Trigger is an event a period runs from: its kind, its date in the
// court's zone (and its instant, for periods in hours), how the paper
// was served, and facts that select rules ("us-party"). Recorded on a
// case, it also names the court and rule sets its deadlines come from.
type Trigger struct {
	ID   TriggerID
	Case cases.ID
	// Event is the kind of event: "summons-served", "judgment-entered".
	Event   string
	Date    Date
	At      time.Time // for periods in hours; Date is then At's date in the court's zone
	Service Service
	Facts   []string
	// Judge selects a judge's own filing cutoff.
	Judge string
	// On is the event on the case the trigger is, if any (a hearing the
	// periods count back from): its start gives the trigger's date and
	// instant, and moving the event moves the trigger and its deadlines.
	On EventID
	// Court and RuleSets say where and under which rules the trigger's
	// deadlines are computed.
	Court    string
	RuleSets []string
	Note     string
	// RecordedBy is the user who recorded it.
	RecordedBy string
	Version    int64
	Created    time.Time
	Updated    time.Time
}

// Roll is one move of a period's last day past a day that cannot be it.
type Roll struct {
	From   Date   `json:"from"`
	To     Date   `json:"to"`
	Reason string `json:"reason"`
}

// Explanation is how a deadline was computed, step by step, so that a
// reader can check it against the rule without trusting the code.
type Explanation struct {
	RuleSet  string `json:"rule_set"`
	Version  string `json:"version"`
	Rule     string `json:"rule"`
	Title    string `json:"title"`
	Citation string `json:"citation"`
	Trigger  string `json:"trigger"`
	// TriggerDate is the trigger's date; TriggerAt its instant for a
	// period in hours.
	TriggerDate Date      `json:"trigger_date"`
	TriggerAt   time.Time `json:"trigger_at,omitzero"`
	Service     Service   `json:"service,omitempty"`
	// Count says how the period was counted and where it ended.
	Count string `json:"count"`
	// Extension says what the service method added, under which rule,
	// or why it added nothing.
	Extension string `json:"extension,omitempty"`
	// Rolls are the moves of the last day, in order, each with its reason.
	Rolls []Roll `json:"rolls,omitempty"`
	// Cutoff says when on the due date the period ends.
	Cutoff string `json:"cutoff"`
	Note   string `json:"note,omitempty"`
}

// String writes the explanation as a reader checks it, one step a line.
func (e *Explanation) String() string {
	var b strings.Builder
	if e.RuleSet != "" {
		fmt.Fprintf(&b, "%s: %s (%s; rule set %s, version %s)\n", e.Rule, e.Title, e.Citation, e.RuleSet, e.Version)
	} else if e.Citation != "" {
		fmt.Fprintf(&b, "%s (%s)\n", e.Title, e.Citation)
	} else if e.Title != "" {
		b.WriteString(e.Title + "\n")
	}
	if e.Trigger != "" {
		if !e.TriggerAt.IsZero() {
			fmt.Fprintf(&b, "trigger: %s at %s", e.Trigger, e.TriggerAt.Format("2006-01-02 15:04 MST"))
		} else {
			fmt.Fprintf(&b, "trigger: %s on %s", e.Trigger, e.TriggerDate)
		}
		if e.Service != "" {
			fmt.Fprintf(&b, ", served by %s", e.Service)
		}
		b.WriteString("\n")
	}
	if e.Count != "" {
		b.WriteString("count: " + e.Count + "\n")
	}
	if e.Extension != "" {
		b.WriteString("service: " + e.Extension + "\n")
	}
	for _, r := range e.Rolls {
		fmt.Fprintf(&b, "roll: %s to %s: %s\n", r.From, r.To, r.Reason)
	}
	if e.Cutoff != "" {
		b.WriteString("due: " + e.Cutoff + "\n")
	}
	if e.Note != "" {
		b.WriteString("note: " + e.Note + "\n")
	}
	return b.String()
}

// Computed is a due date computed by a rule, and how it was reached.
type Computed struct {
	Rule string
	// Due is the last day, in the court's zone; DueAt the instant the
	// period ends (the court's or judge's cutoff on Due, or the exact
	// hour of a period in hours).
	Due         Date
	DueAt       time.Time
	Explanation Explanation
}

// Compute applies a rule of the set to a trigger in a court (resolved),
// and explains the result.
func (s *RuleSet) Compute(r *Rule, t Trigger, court *Court) (Computed, error) {
	if court.loc == nil {
		return Computed{}, fmt.Errorf("court %s: %w", court.ID, errUnresolved)
	}
	if r.Period.Unit == Hours {
		if t.At.IsZero() {
			return Computed{}, invalid("trigger", "At", "a period in hours runs from an instant: give the trigger's time")
		}
		t.Date = DateOf(t.At.In(court.loc))
	}
	if t.Date.IsZero() || !t.Date.Valid() {
		return Computed{}, invalid("trigger", "Date", "is required")
	}
	if !r.From.IsZero() && t.Date.Before(r.From) || !r.Until.IsZero() && t.Date.After(r.Until) {
		return Computed{}, invalid("trigger", "Date", fmt.Sprintf("%s: rule %s/%s applies to triggers from %s until %s", t.Date, s.Name, r.ID, orOpen(r.From), orOpen(r.Until)))
	}
	v, ok := s.At(t.Date)
	if !ok {
		return Computed{}, invalid("trigger", "Date", fmt.Sprintf("%s is before the first version of %s (%s)", t.Date, s.Name, s.Versions[0].Effective))
	}
	c := counter{set: s, court: court, forward: r.Period.Direction == After}
	e := Explanation{
		RuleSet: s.Name, Version: v.Version, Rule: r.ID, Title: r.Title, Citation: r.Citation,
		Trigger: t.Event, TriggerDate: t.Date, Service: t.Service, Note: r.Note,
	}
	d := Computed{Rule: r.ID}
	if r.Period.Unit == Hours {
		e.TriggerAt = t.At.In(court.loc)
		d.DueAt = c.hours(t.At.In(court.loc), r.Period.Count, &e)
		d.Due = DateOf(d.DueAt)
		e.Cutoff = fmt.Sprintf("%s, the hour the period ends (%s)", d.DueAt.Format("2006-01-02 15:04 MST"), court.TimeZone)
		d.Explanation = e
		return d, nil
	}
	ext, hasExt := Extension{}, false
	if r.Service && t.Service != "" {
		ext, hasExt = v.Service[t.Service]
		if own, ok := r.Extensions[t.Service]; ok {
			ext, hasExt = own, true
		}
	}
	switch {
	case !r.Service:
		if t.Service != "" {
			e.Extension = fmt.Sprintf("none: this period does not run from service under the rules %s's service extensions apply to", s.Name)
		}
	case t.Service == "":
		e.Extension = "none: no service method was given"
	case !hasExt:
		e.Extension = fmt.Sprintf("none: service by %s adds no time under %s version %s", t.Service, s.Name, v.Version)
	}
	due := c.count(t.Date, r.Period, hasExt, &e)
	if hasExt {
		due = c.extend(due, ext, t.Service, &e)
	}
	due = c.accessible(due, &e)
	cut := court.CutoffFor(t.Judge)
	d.Due, d.DueAt = due, cut.On(due, court.loc)
	e.Cutoff = fmt.Sprintf("%s at %s %s", due, cut, court.TimeZone)
	if cut == Midnight {
		e.Cutoff = fmt.Sprintf("%s, until midnight %s", due, court.TimeZone)
	}
	d.Explanation = e
	return d, nil
}

// counter counts one period in one court under one scheme.
type counter struct {
	set     *RuleSet
	court   *Court
	forward bool
}

// step is +1 or -1 day in the period's direction.
func (c *counter) step() int {
	if c.forward {
		return 1
	}
	return -1
}

// blocked says why d cannot be a period's last day, if it cannot.
func (c *counter) blocked(d Date) (string, bool) {
	if why, ok := weekend(d); ok {
		return why, true
	}
	// California's judicial holidays apply whichever way a period runs;
	// a federal court's state holidays only forward (FRCP 6(a)(6)(C)).
	if why, ok := c.court.LegalHoliday(d, c.forward || c.set.Counting == CountCalifornia); ok {
		return why, true
	}
	// CCP 12b: a day the court is closed for the whole day counts as a
	// holiday, whatever the reason. Federal rules treat an inaccessible
	// clerk's office apart (see accessible), and an administrative
	// closure not at all.
	if c.set.Counting == CountCalifornia {
		for _, cl := range c.court.Closures {
			if cl.Date == d {
				return fmt.Sprintf("a day the court was closed (%s; %s), a holiday under CCP 12b", cl.Reason, cl.Source), true
			}
		}
	}
	return "", false
}

// accessible applies FRCP 6(a)(3): a last day on which the clerk's office
// is inaccessible extends, whichever way the period was counted, to the
// first accessible day that is not a Saturday, Sunday or legal holiday.
func (c *counter) accessible(d Date, e *Explanation) Date {
	if c.set.Counting != CountFederal {
		return d
	}
	cl, ok := c.court.inaccessible(d)
	if !ok {
		return d
	}
	next := d.AddDays(1)
	e.Rolls = append(e.Rolls, Roll{From: d, To: next, Reason: fmt.Sprintf("%s is a day the clerk's office was inaccessible (%s; %s): the period runs to the first accessible day (FRCP 6(a)(3))", d, cl.Reason, cl.Source)})
	d = next
	for {
		why, blocked := weekend(d)
		if !blocked {
			why, blocked = c.court.LegalHoliday(d, true)
		}
		if !blocked {
			if cl, shut := c.court.inaccessible(d); shut {
				why, blocked = fmt.Sprintf("a day the clerk's office was inaccessible (%s; %s)", cl.Reason, cl.Source), true
			}
		}
		if !blocked {
			return d
		}
		next := d.AddDays(1)
		e.Rolls = append(e.Rolls, Roll{From: d, To: next, Reason: d.String() + " is " + why})
		d = next
	}
}

// roll moves d past every day that cannot be a last day, recording each.
func (c *counter) roll(d Date, e *Explanation) Date {
	for {
		why, ok := c.blocked(d)
		if !ok {
			return d
		}
		next := d.AddDays(c.step())
		e.Rolls = append(e.Rolls, Roll{From: d, To: next, Reason: d.String() + " is " + why})
		d = next
	}
}

// count counts the period from the trigger's date. Its end is rolled
// now unless an extension will be added under California's scheme, which
// extends the period itself and rolls only the extended end.
func (c *counter) count(from Date, p Period, extended bool, e *Explanation) Date {
	var end Date
	var skipped []string
	switch p.Unit {
	case CourtDays:
		end, skipped = c.courtDays(from, p.Count)
	default:
		end = from.AddDays(c.step() * p.Count)
	}
	e.Count = fmt.Sprintf("%s %s, that day excluded: %s", p, from, end)
	if len(skipped) > 0 {
		e.Count += " (not court days, so not counted: " + strings.Join(skipped, "; ") + ")"
	}
	if extended && c.set.Counting == CountCalifornia {
		return end
	}
	return c.roll(end, e)
}

// courtDays counts n court days from d in the period's direction and
// lists the days passed over.
func (c *counter) courtDays(d Date, n int) (Date, []string) {
	var skipped []string
	for n > 0 {
		d = d.AddDays(c.step())
		if c.court.CourtDay(d) {
			n--
			continue
		}
		why, _ := c.court.Closed(d)
		skipped = append(skipped, d.String()+" is "+why)
	}
	return d, skipped
}

// extend adds a service method's extension to a period's end.
func (c *counter) extend(end Date, ext Extension, m Service, e *Explanation) Date {
	unit := "days"
	if ext.Unit == CourtDays {
		unit = "court days"
	}
	if c.set.Counting == CountFederal {
		// FRCP 6(d): the days are added after the period would otherwise
		// expire under 6(a), rolled, and the result rolls again.
		after := end.AddDays(ext.Count)
		e.Extension = fmt.Sprintf("service by %s adds %d %s after the period would otherwise end (%s): %s + %d = %s", m, ext.Count, unit, ext.Citation, end, ext.Count, after)
		return c.roll(after, e)
	}
	// California: the period itself is extended, in its own direction,
	// and the extended period's last day rolls.
	var out Date
	if ext.Unit == CourtDays {
		out, _ = c.courtDays(end, ext.Count)
	} else {
		out = end.AddDays(c.step() * ext.Count)
	}
	e.Extension = fmt.Sprintf("service by %s extends the period by %d %s (%s): %s", m, ext.Count, unit, ext.Citation, out)
	return c.roll(out, e)
}

// hours counts a period in hours (FRCP 6(a)(2)): every hour counts; an
// end on a day that cannot be a last day runs to the same time on the
// next day that can.
func (c *counter) hours(at time.Time, n int, e *Explanation) time.Time {
	end := at.Add(time.Duration(n) * time.Hour)
	e.Count = fmt.Sprintf("%d hours from %s, every hour counted: %s", n, at.Format("2006-01-02 15:04 MST"), end.Format("2006-01-02 15:04 MST"))
	day := DateOf(end)
	for {
		why, ok := c.blocked(day)
		if !ok {
			break
		}
		next := day.AddDays(1)
		e.Rolls = append(e.Rolls, Roll{From: day, To: next, Reason: day.String() + " is " + why})
		day = next
	}
	if c.set.Counting == CountFederal {
		day = c.accessible(day, e)
	}
	if day == DateOf(end) {
		return end
	}
	return time.Date(day.Year, day.Month, day.Day, end.Hour(), end.Minute(), end.Second(), end.Nanosecond(), end.Location())
}

func orOpen(d Date) string {
	if d.IsZero() {
		return "(open)"
	}
	return d.String()
}

// DateOf returns the date of t in t's own location.
func DateOf(t time.Time) Date { return Date{Year: t.Year(), Month: t.Month(), Day: t.Day()} }
