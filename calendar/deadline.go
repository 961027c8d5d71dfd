package calendar

import (
	"fmt"
	"time"

	cases "github.com/docketkit/docket/case"
)

// DeadlineID identifies a deadline on a case.
type DeadlineID string

// DeadlineStatus is where a deadline stands.
type DeadlineStatus string

// Deadline statuses.
const (
	Open DeadlineStatus = "open"
	Done DeadlineStatus = "done"
	// VacatedDeadline is a deadline the court struck or that no longer
	// applies.
	VacatedDeadline DeadlineStatus = "vacated"
)

// Deadline is a date by which something must be done on a case: computed
// from a trigger by a rule (with its explanation), or set by hand (a
// date in a scheduling order).
type Deadline struct {
	ID   DeadlineID
	Case cases.ID
	// Trigger and Rule say where a computed deadline came from; both are
	// empty for one set by hand.
	Trigger  TriggerID
	RuleSet  string
	Rule     string
	Title    string
	Citation string
	Court    string
	// Due is the last day in the court's zone; DueAt the instant the
	// period ends (the court's or judge's cutoff on Due).
	Due         Date
	DueAt       time.Time
	Explanation Explanation
	Status      DeadlineStatus
	// ResolvedBy, ResolvedAt and Reason record who marked the deadline
	// done or vacated it, when, and why.
	ResolvedBy string
	ResolvedAt time.Time
	Reason     string
	// Escalated is when an overdue deadline was escalated to the lead
	// attorney; zero until then.
	Escalated time.Time
	Sequence  int
	Version   int64
	Created   time.Time
	Updated   time.Time
}

// Validate checks the deadline's fields and names the one at fault.
func (d *Deadline) Validate() error {
	const rec = "deadline"
	if d.Case == "" {
		return invalid(rec, "Case", "is required")
	}
	if err := text(rec, "Title", d.Title, 200, true); err != nil {
		return err
	}
	if d.Due.IsZero() || !d.Due.Valid() {
		return invalid(rec, "Due", "is required")
	}
	if d.DueAt.IsZero() {
		return invalid(rec, "DueAt", "is required")
	}
	switch d.Status {
	case Open, Done, VacatedDeadline:
	default:
		return invalid(rec, "Status", fmt.Sprintf("%q is not open, done or vacated", d.Status))
	}
	if d.Status != Open {
		if err := text(rec, "Reason", d.Reason, 2000, true); err != nil {
			return err
		}
	}
	for _, f := range []struct{ name, v string }{{"Citation", d.Citation}, {"Court", d.Court}, {"RuleSet", d.RuleSet}, {"Rule", d.Rule}} {
		if err := text(rec, f.name, f.v, 200, false); err != nil {
			return err
		}
	}
	return nil
}
