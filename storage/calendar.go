package storage

import (
	"context"
	"time"

	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
)

// Courts persists the firm's courts: time zone, holiday calendars,
// closures and cutoffs, versioned.
type Courts interface {
	Get(ctx context.Context, id string) (calendar.Court, error)
	Create(ctx context.Context, c calendar.Court) error
	Update(ctx context.Context, c calendar.Court) error
	List(ctx context.Context, p Page) ([]calendar.Court, string, error)
}

// Events persists hearings, depositions and meetings on cases, with
// their attendees.
type Events interface {
	Get(ctx context.Context, id calendar.EventID) (calendar.Event, error)
	Create(ctx context.Context, e calendar.Event) error
	Update(ctx context.Context, e calendar.Event) error
	// List returns events in ID order.
	List(ctx context.Context, f EventFilter, p Page) ([]calendar.Event, string, error)
}

// EventFilter narrows an event list; zero fields match everything.
type EventFilter struct {
	Case cases.ID
	// Attendee keeps events with this attendee ("user:alice").
	Attendee string
	// From and Until keep events that overlap [From, Until).
	From, Until time.Time
	// Busy keeps events that are not vacated.
	Busy bool
	// Visible, when set, keeps events on cases visible under it.
	Visible *Visibility
}

// Triggers persists the triggering events recorded on cases.
type Triggers interface {
	Get(ctx context.Context, id calendar.TriggerID) (calendar.Trigger, error)
	Create(ctx context.Context, t calendar.Trigger) error
	Update(ctx context.Context, t calendar.Trigger) error
	// List returns a case's triggers in ID order.
	List(ctx context.Context, c cases.ID, p Page) ([]calendar.Trigger, string, error)
}

// Deadlines persists deadlines on cases.
type Deadlines interface {
	Get(ctx context.Context, id calendar.DeadlineID) (calendar.Deadline, error)
	Create(ctx context.Context, d calendar.Deadline) error
	Update(ctx context.Context, d calendar.Deadline) error
	// List returns deadlines in ID order.
	List(ctx context.Context, f DeadlineFilter, p Page) ([]calendar.Deadline, string, error)
}

// DeadlineFilter narrows a deadline list; zero fields match everything.
type DeadlineFilter struct {
	Case    cases.ID
	Trigger calendar.TriggerID
	Court   string
	Status  calendar.DeadlineStatus
	// DueBefore keeps deadlines whose period ends before this instant;
	// DueFrom those ending at or after it.
	DueBefore, DueFrom time.Time
	// Unescalated keeps deadlines not yet escalated.
	Unescalated bool
	// Visible, when set, keeps deadlines on cases visible under it.
	Visible *Visibility
}

// Alerts persists reminders and escalations waiting to be delivered,
// and claims them for one dispatcher at a time.
type Alerts interface {
	Get(ctx context.Context, id calendar.AlertID) (calendar.Alert, error)
	Create(ctx context.Context, a calendar.Alert) error
	Update(ctx context.Context, a calendar.Alert) error
	// List returns alerts in ID order.
	List(ctx context.Context, f AlertFilter, p Page) ([]calendar.Alert, string, error)
	// Claim marks up to limit pending alerts due by now, unclaimed or
	// whose claim has lapsed, as claimed by worker until until, and
	// returns them, earliest due first, with their versions moved on. Two
	// dispatchers claiming at once never get the same alert.
	Claim(ctx context.Context, now time.Time, worker string, until time.Time, limit int) ([]calendar.Alert, error)
}

// AlertFilter narrows an alert list; zero fields match everything.
type AlertFilter struct {
	Case      cases.ID
	Deadline  calendar.DeadlineID
	Event     calendar.EventID
	Recipient string
	Status    calendar.AlertStatus
}

// Reminders persists reminder settings: the firm's defaults, and
// overrides per case and per user.
type Reminders interface {
	// Get returns the settings of a scope ("firm", "case:<id>",
	// "user:<id>"), or ErrNotFound.
	Get(ctx context.Context, scope string) (calendar.Reminders, error)
	// Put stores settings with the usual version check (version 1 for
	// new ones).
	Put(ctx context.Context, r calendar.Reminders) error
}
