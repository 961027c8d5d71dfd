package calendar

import (
	"fmt"
	"slices"
	"strings"
	"time"

	cases "github.com/docketkit/docket/case"
)

// EventID identifies an event on a case.
type EventID string

// EventKind is what an event is: a hearing or appearance named for the
// stage it belongs to, a deposition, a meeting.
type EventKind string

// Event kinds.
const (
	InitialAppearance  EventKind = "initial-appearance"
	DetentionHearing   EventKind = "detention-hearing"
	PreliminaryHearing EventKind = "preliminary-hearing"
	Arraignment        EventKind = "arraignment"
	PleaHearing        EventKind = "plea-hearing"
	StatusConference   EventKind = "status-conference"
	SchedulingConf     EventKind = "scheduling-conference"
	MotionHearing      EventKind = "motion-hearing"
	Deposition         EventKind = "deposition"
	PretrialConference EventKind = "pretrial-conference"
	Trial              EventKind = "trial"
	Sentencing         EventKind = "sentencing"
	OralArgument       EventKind = "oral-argument"
	Mediation          EventKind = "mediation"
	ClientMeeting      EventKind = "meeting"
	OtherEvent         EventKind = "other"
)

// EventKinds lists every event kind, in the order a case meets them.
var EventKinds = []EventKind{InitialAppearance, DetentionHearing, PreliminaryHearing, Arraignment, PleaHearing, StatusConference,
	SchedulingConf, MotionHearing, Deposition, PretrialConference, Trial, Sentencing, OralArgument, Mediation, ClientMeeting, OtherEvent}

// Hearing reports whether the kind is held before a court (a hearing,
// conference, appearance or trial), as against a deposition, mediation
// or meeting.
func (k EventKind) Hearing() bool {
	switch k {
	case Deposition, Mediation, ClientMeeting, OtherEvent:
		return false
	}
	return true
}

// EventStatus is where an event stands.
type EventStatus string

// Event statuses.
const (
	Scheduled EventStatus = "scheduled"
	Moved     EventStatus = "moved" // rescheduled: it stands at its new time
	Held      EventStatus = "held"
	Vacated   EventStatus = "vacated" // taken off the calendar
)

// AttendeeKind says what an attendee is.
type AttendeeKind string

// Attendee kinds.
const (
	AttendeeUser    AttendeeKind = "user"
	AttendeeContact AttendeeKind = "contact"
	AttendeeRoom    AttendeeKind = "room" // a conference room, a courtroom the firm books
)

// Attendee is a person or room an event needs.
type Attendee struct {
	Kind AttendeeKind `json:"kind"`
	ID   string       `json:"id"`
	// Name is how the attendee is shown: the user's or contact's name, the
	// room's.
	Name string `json:"name,omitempty"`
	// Optional attendees are invited; only required ones block a slot.
	Optional bool `json:"optional,omitempty"`
}

// Key is the attendee's identity across events: "user:alice".
func (a Attendee) Key() string { return string(a.Kind) + ":" + a.ID }

// Event is a hearing, appearance, deposition or meeting on a case.
type Event struct {
	ID   EventID
	Case cases.ID
	Kind EventKind
	// Stage is the workflow stage the event belongs to, if any.
	Stage string
	Title string
	// Start and End are instants, stored in UTC; TimeZone is where the
	// event takes place and how it is shown (the court's zone for a
	// hearing).
	Start    time.Time
	End      time.Time
	TimeZone string
	// Court is the court's ID for a hearing; Location the address or
	// place; Courtroom the room or department.
	Court     string
	Location  string
	Courtroom string
	Attendees []Attendee
	Status    EventStatus
	// StatusReason says why it was moved or vacated, and StatusBy who
	// did it.
	StatusReason string
	StatusBy     string
	Notes        string
	// Sequence counts the changes calendar subscribers must see (the
	// iCalendar SEQUENCE): a new time, place or status.
	Sequence int
	Version  int64
	Created  time.Time
	Updated  time.Time
}

// Validate checks the event's fields and names the one at fault.
func (e *Event) Validate() error {
	const rec = "event"
	if e.Case == "" {
		return invalid(rec, "Case", "is required")
	}
	if !slices.Contains(EventKinds, e.Kind) {
		return invalid(rec, "Kind", fmt.Sprintf("%q is not an event kind (%s)", e.Kind, kindList()))
	}
	if err := text(rec, "Title", e.Title, 200, true); err != nil {
		return err
	}
	if e.Start.IsZero() {
		return invalid(rec, "Start", "is required")
	}
	if !e.End.After(e.Start) {
		return invalid(rec, "End", "must be after Start")
	}
	if e.End.Sub(e.Start) > 60*24*time.Hour {
		return invalid(rec, "End", "is more than 60 days after Start")
	}
	if _, err := time.LoadLocation(e.TimeZone); err != nil || e.TimeZone == "" || e.TimeZone == "Local" {
		return invalid(rec, "TimeZone", fmt.Sprintf("%q is not an IANA time zone such as America/New_York", e.TimeZone))
	}
	switch e.Status {
	case Scheduled, Moved, Held, Vacated:
	default:
		return invalid(rec, "Status", fmt.Sprintf("%q is not scheduled, moved, held or vacated", e.Status))
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"Stage", e.Stage, 64}, {"Court", e.Court, 64}, {"Location", e.Location, 500}, {"Courtroom", e.Courtroom, 100}, {"StatusReason", e.StatusReason, 2000}, {"Notes", e.Notes, 100_000}} {
		if err := text(rec, f.name, f.v, f.max, false); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for i, a := range e.Attendees {
		field := fmt.Sprintf("Attendees[%d]", i)
		if a.Kind != AttendeeUser && a.Kind != AttendeeContact && a.Kind != AttendeeRoom {
			return invalid(rec, field+".Kind", fmt.Sprintf("%q is not user, contact or room", a.Kind))
		}
		if err := cases.ValidateID(rec, field+".ID", a.ID); err != nil {
			return err
		}
		if err := text(rec, field+".Name", a.Name, 200, false); err != nil {
			return err
		}
		if seen[a.Key()] {
			return invalid(rec, field, a.Key()+" is listed twice")
		}
		seen[a.Key()] = true
	}
	return nil
}

func kindList() string {
	s := make([]string, len(EventKinds))
	for i, k := range EventKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// text checks a free-text field (cases.ValidateText).
var text = cases.ValidateText

// Busy reports whether the event occupies its attendees' time: every
// status but vacated.
func (e *Event) Busy() bool { return e.Status != Vacated }
