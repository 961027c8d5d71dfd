package calendar

import (
	"fmt"
	"slices"
	"time"

	cases "github.com/docketkit/docket/case"
)

// AlertID identifies an alert.
type AlertID string

// AlertKind says why an alert is sent.
type AlertKind string

// Alert kinds.
const (
	// Reminder is sent at an offset before a deadline or event.
	Reminder AlertKind = "reminder"
	// Escalation tells the lead attorney a deadline passed undone.
	Escalation AlertKind = "escalation"
	// Rescheduled tells attendees an event moved.
	Rescheduled AlertKind = "rescheduled"
)

// AlertStatus is where an alert stands.
type AlertStatus string

// Alert statuses.
const (
	Pending   AlertStatus = "pending"
	Delivered AlertStatus = "delivered"
	// Cancelled alerts are not sent: their deadline or event changed, or
	// the recipient may no longer see the case.
	Cancelled AlertStatus = "cancelled"
)

// Alert is a message due to a user at a time: a reminder of a deadline or
// event, an escalation of an overdue deadline, a notice that an event
// moved. A dispatcher claims it in the store and hands it to the
// embedding application's Notifier.
type Alert struct {
	ID   AlertID
	Case cases.ID
	Kind AlertKind
	// Deadline or Event is what the alert is about.
	Deadline  DeadlineID
	Event     EventID
	Recipient string // user ID
	// Due is when the alert should go out.
	Due time.Time
	// Offset is how long before the deadline or event a reminder goes.
	Offset  time.Duration
	Message string
	Status  AlertStatus
	// ClaimedBy and ClaimedUntil record the dispatcher holding the alert
	// and until when: past it, another may claim it.
	ClaimedBy    string
	ClaimedUntil time.Time
	Attempts     int
	LastError    string
	DeliveredAt  time.Time
	Version      int64
	Created      time.Time
	Updated      time.Time
}

// Reminders are reminder offsets: how long before a deadline's end, and
// before an event's start, reminders go out. Scope says whose settings
// they are: "firm" (the defaults), "case:<id>" or "user:<id>"; a user's
// settings win over a case's, and a case's over the firm's.
type Reminders struct {
	Scope     string
	Deadlines []time.Duration
	Events    []time.Duration
	Version   int64
	Updated   time.Time
}

// DefaultReminders are the firm's defaults until it sets its own: a week,
// two days and the morning of a deadline's last day (the cutoff less 8
// hours); a day and an hour before an event.
func DefaultReminders() Reminders {
	return Reminders{Scope: "firm", Deadlines: []time.Duration{7 * 24 * time.Hour, 2 * 24 * time.Hour, 8 * time.Hour}, Events: []time.Duration{24 * time.Hour, time.Hour}}
}

// Validate checks the settings, naming the field at fault.
func (r *Reminders) Validate() error {
	const rec = "reminders"
	switch {
	case r.Scope == "firm":
	case len(r.Scope) > 5 && r.Scope[:5] == "case:":
	case len(r.Scope) > 5 && r.Scope[:5] == "user:":
	default:
		return invalid(rec, "Scope", fmt.Sprintf("%q is not firm, case:<id> or user:<id>", r.Scope))
	}
	for _, l := range []struct {
		field string
		ds    []time.Duration
	}{{"Deadlines", r.Deadlines}, {"Events", r.Events}} {
		if len(l.ds) > 10 {
			return invalid(rec, l.field, "give at most 10 offsets")
		}
		for i, d := range l.ds {
			if d <= 0 || d > 366*24*time.Hour {
				return invalid(rec, fmt.Sprintf("%s[%d]", l.field, i), "must be more than zero and at most a year")
			}
			if slices.Contains(l.ds[:i], d) {
				return invalid(rec, fmt.Sprintf("%s[%d]", l.field, i), d.String()+" is listed twice")
			}
		}
	}
	return nil
}
