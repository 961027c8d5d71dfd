package docket

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// CalendarService keeps the court calendar of every case: the firm's
// courts, hearings and other events with their attendees, the triggers
// deadlines run from and the deadlines computed by rule, reminders and
// escalations, double bookings and free slots.
type CalendarService struct{ f *Firm }

// EventFilter narrows an event list.
type EventFilter = storage.EventFilter

// DeadlineFilter narrows a deadline list.
type DeadlineFilter = storage.DeadlineFilter

func courtRes(id string) access.Resource { return access.Resource{Kind: "court", ID: id} }

// PutCourt creates a court (c.Version 0) or replaces one (c.Version the
// version read). Its time zone and holiday calendars are checked against
// the firm's calendar library; each closure needs its reason and source.
// Replacing a court recomputes every open deadline in it (a closure
// declared, a clerk's office found inaccessible, a new cutoff), audited,
// and returns the changes the actor may see.
func (s *CalendarService) PutCourt(ctx context.Context, c calendar.Court) (calendar.Court, []DeadlineChange, error) {
	f := s.f
	var changes []DeadlineChange
	err := f.do(ctx, access.CourtAdmin, courtRes(c.ID), true, func(o *op, tx storage.Tx) error {
		if err := c.Resolve(f.lib); err != nil {
			return err
		}
		if c.Version == 0 {
			c.Version, c.Created, c.Updated = 1, o.at, o.at
			if err := tx.Courts().Create(ctx, c); err != nil {
				return idTaken("court", err)
			}
			return o.record(ctx, tx, "court.create", courtRes(c.ID), "", auditDiff(nil, c))
		}
		old, err := tx.Courts().Get(ctx, c.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("court", old.Version, c.Version); err != nil {
			return err
		}
		c.Created, c.Updated, c.Version = old.Created, o.at, old.Version+1
		if err := tx.Courts().Update(ctx, c); err != nil {
			return stale("court", err)
		}
		if err := o.record(ctx, tx, "court.update", courtRes(c.ID), "", auditDiff(old, c)); err != nil {
			return err
		}
		changes, err = f.recourt(ctx, tx, o, &c)
		return err
	})
	if err != nil {
		return calendar.Court{}, nil, err
	}
	return c, changes, nil
}

// rejudge recomputes a case's deadlines after its judge changed: the
// triggers that took the old judge's cutoff take the new one's, and
// deadlines set by hand end at the new judge's cutoff.
func (f *Firm) rejudge(ctx context.Context, tx storage.Tx, o *op, c *cases.Case, oldJudge string) error {
	var trs []calendar.Trigger
	err := eachPage(func(p storage.Page) (string, error) {
		items, next, err := tx.Triggers().List(ctx, c.ID, p)
		for _, t := range items {
			if t.Judge == oldJudge {
				trs = append(trs, t)
			}
		}
		return next, err
	})
	if err != nil {
		return err
	}
	for _, t := range trs {
		t.Judge = c.Judge
		if _, _, err := f.moveTrigger(ctx, tx, o, c, t, t.Date, t.At, "the case's judge changed"); err != nil {
			return err
		}
	}
	var hand []calendar.Deadline
	err = eachPage(func(p storage.Page) (string, error) {
		items, next, err := tx.Deadlines().List(ctx, storage.DeadlineFilter{Case: c.ID, Status: calendar.Open}, p)
		for _, d := range items {
			if d.Trigger == "" {
				hand = append(hand, d)
			}
		}
		return next, err
	})
	if err != nil {
		return err
	}
	for _, d := range hand {
		court, err := f.court(ctx, tx, d.Court)
		if err != nil {
			return err
		}
		cut := court.CutoffFor(c.Judge)
		at := cut.On(d.Due, court.Location()).UTC()
		if at.Equal(d.DueAt) {
			continue
		}
		before := d
		d.DueAt, d.Explanation.Cutoff = at, fmt.Sprintf("%s at %s %s", d.Due, cut, court.TimeZone)
		d.Sequence, d.Version, d.Updated = before.Sequence+1, before.Version+1, o.at
		if err := tx.Deadlines().Update(ctx, d); err != nil {
			return stale("deadline", err)
		}
		if err := o.record(ctx, tx, "deadline.recompute", deadlineRes(&d), "the case's judge changed", auditDiff(before, d)); err != nil {
			return err
		}
		if err := f.cancelReminders(ctx, tx, o, storage.AlertFilter{Deadline: d.ID, Status: calendar.Pending}, "the judge changed"); err != nil {
			return err
		}
		if err := f.remindDeadline(ctx, tx, o, c, &d); err != nil {
			return err
		}
	}
	return nil
}

// recourt recomputes the open deadlines of a court after it changed, and
// returns the changes to those on cases the actor may see.
func (f *Firm) recourt(ctx context.Context, tx storage.Tx, o *op, court *calendar.Court) ([]DeadlineChange, error) {
	var open []calendar.Deadline
	err := eachPage(func(p storage.Page) (string, error) {
		items, next, err := tx.Deadlines().List(ctx, storage.DeadlineFilter{Court: court.ID, Status: calendar.Open}, p)
		open = append(open, items...)
		return next, err
	})
	if err != nil {
		return nil, err
	}
	var out []DeadlineChange
	for _, d := range open {
		c, err := tx.Cases().Get(ctx, d.Case)
		if err != nil {
			return nil, err
		}
		before := d
		if d.Trigger != "" {
			t, err := tx.Triggers().Get(ctx, d.Trigger)
			if err != nil {
				return nil, err
			}
			set, ok := f.lib.RuleSets[d.RuleSet]
			r, ok2 := (*calendar.Rule)(nil), false
			if ok {
				r, ok2 = set.Rule(d.Rule)
			}
			if !ok2 {
				continue // the rule left the library: left as it was
			}
			comp, err := set.Compute(r, t, court)
			if err != nil {
				return nil, err
			}
			d.Due, d.DueAt, d.Explanation = comp.Due, comp.DueAt.UTC(), comp.Explanation
		} else {
			cut := court.CutoffFor(c.Judge)
			d.DueAt = cut.On(d.Due, court.Location()).UTC()
			d.Explanation.Cutoff = fmt.Sprintf("%s at %s %s", d.Due, cut, court.TimeZone)
		}
		if d.Due == before.Due && d.DueAt.Equal(before.DueAt) {
			continue
		}
		d.Sequence, d.Escalated = before.Sequence+1, time.Time{}
		d.Version, d.Updated = before.Version+1, o.at
		if err := tx.Deadlines().Update(ctx, d); err != nil {
			return nil, stale("deadline", err)
		}
		if err := o.record(ctx, tx, "deadline.recompute", deadlineRes(&d), "the court "+court.ID+" changed", auditDiff(before, d)); err != nil {
			return nil, err
		}
		if err := f.cancelReminders(ctx, tx, o, storage.AlertFilter{Deadline: d.ID, Status: calendar.Pending}, "the court changed"); err != nil {
			return nil, err
		}
		if err := f.remindDeadline(ctx, tx, o, &c, &d); err != nil {
			return nil, err
		}
		if seen, err := o.sees(ctx, tx, access.CalendarRead, d.Case); err != nil {
			return nil, err
		} else if seen {
			out = append(out, DeadlineChange{Deadline: d, OldDue: before.Due, NewDue: d.Due})
		}
	}
	return out, nil
}

// Court returns a court, resolved against the firm's calendar library.
func (s *CalendarService) Court(ctx context.Context, id string) (calendar.Court, error) {
	var c calendar.Court
	err := s.f.do(ctx, access.CalendarRead, courtRes(id), false, func(o *op, tx storage.Tx) error {
		got, err := s.f.court(ctx, tx, id)
		if err == nil {
			c = *got
		}
		return err
	})
	return c, err
}

// Courts returns one page of the firm's courts in ID order.
func (s *CalendarService) Courts(ctx context.Context, opts *ListOptions) (Page[calendar.Court], error) {
	var p Page[calendar.Court]
	err := s.f.do(ctx, access.CalendarRead, courtRes(""), false, func(o *op, tx storage.Tx) (err error) {
		p.Items, p.Next, err = tx.Courts().List(ctx, pageOf(opts))
		return err
	})
	return p, err
}

// court reads a court and resolves it against the library.
func (f *Firm) court(ctx context.Context, tx storage.Tx, id string) (*calendar.Court, error) {
	c, err := tx.Courts().Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := c.Resolve(f.lib); err != nil {
		return nil, fmt.Errorf("stored court %s no longer resolves against the firm's calendar library: %w", id, err)
	}
	return &c, nil
}

func eventRes(e *calendar.Event) access.Resource {
	return access.Resource{Kind: "event", ID: string(e.ID), Case: string(e.Case)}
}

// Schedule puts an event on a case's calendar. Attendees that are users or
// contacts must exist, and a court, if named, must be one of the firm's.
// The event is scheduled whatever else its attendees have on; the double
// bookings it makes are returned, those with an event the actor may not
// see as a secured matter. Reminders go to its users at the offsets in
// their, the case's or the firm's reminder settings.
func (s *CalendarService) Schedule(ctx context.Context, e calendar.Event) (calendar.Event, []calendar.DoubleBooking, error) {
	f := s.f
	var clashes []calendar.DoubleBooking
	res := eventRes(&e)
	err := f.run(ctx, access.CalendarWrite, &res, true, func(o *op, tx storage.Tx) error {
		c, err := o.caseFor(ctx, tx, access.CalendarWrite, res, e.Case, "Case")
		if err != nil {
			return err
		}
		if e.ID == "" {
			e.ID = calendar.EventID(f.newID())
		} else if err := cases.ValidateID("event", "ID", string(e.ID)); err != nil {
			return err
		}
		e.Start, e.End = e.Start.UTC().Truncate(audit.Timestamp), e.End.UTC().Truncate(audit.Timestamp)
		e.Attendees = slices.Clone(e.Attendees)
		e.Status, e.StatusReason, e.StatusBy, e.Sequence = calendar.Scheduled, "", "", 0
		e.Version, e.Created, e.Updated = 1, o.at, o.at
		if err := f.checkEvent(ctx, tx, o, &e); err != nil {
			return err
		}
		if err := tx.Events().Create(ctx, e); err != nil {
			return idTaken("event", err)
		}
		if err := o.record(ctx, tx, "event.create", eventRes(&e), "", auditDiff(nil, e)); err != nil {
			return err
		}
		if clashes, err = o.clashes(ctx, tx, &e); err != nil {
			return err
		}
		return f.remindEvent(ctx, tx, o, &c, &e)
	})
	if err != nil {
		return calendar.Event{}, nil, err
	}
	return e, clashes, nil
}

// checkEvent validates an event and the records it names. A contact
// attendee is decided on like a client (as a meeting's contact is): one
// screened from a client may not put it in a diary, where clashes would
// tell them when it meets.
func (f *Firm) checkEvent(ctx context.Context, tx storage.Tx, o *op, e *calendar.Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if e.Court != "" {
		if _, err := f.court(ctx, tx, e.Court); err != nil {
			return notFoundField("event", "Court", "court "+e.Court, err)
		}
	}
	for i, a := range e.Attendees {
		field := fmt.Sprintf("Attendees[%d].ID", i)
		switch a.Kind {
		case calendar.AttendeeUser:
			if _, err := tx.Users().Get(ctx, access.UserID(a.ID)); err != nil {
				return notFoundField("event", field, "user "+a.ID, err)
			}
		case calendar.AttendeeContact:
			res := eventRes(e)
			if err := o.decideOn(ctx, tx, access.CalendarWrite, &res, "", cases.ContactID(a.ID)); err != nil {
				return err
			}
			if _, err := tx.Contacts().Get(ctx, cases.ContactID(a.ID)); err != nil {
				return notFoundField("event", field, "contact "+a.ID, err)
			}
		}
	}
	return nil
}

// clashes returns the double bookings e makes with every other busy event,
// each with an event the actor may not see reported as a secured matter.
func (o *op) clashes(ctx context.Context, tx storage.Tx, e *calendar.Event) ([]calendar.DoubleBooking, error) {
	if !e.Busy() || len(e.Attendees) == 0 {
		return nil, nil
	}
	diary := []calendar.Event{*e}
	seen := map[calendar.EventID]bool{e.ID: true}
	for _, a := range e.Attendees {
		err := eachPage(func(p storage.Page) (string, error) {
			items, next, err := tx.Events().List(ctx, storage.EventFilter{Attendee: a.Key(), From: e.Start, Until: e.End, Busy: true}, p)
			for _, x := range items {
				if !seen[x.ID] {
					seen[x.ID] = true
					diary = append(diary, x)
				}
			}
			return next, err
		})
		if err != nil {
			return nil, err
		}
	}
	var out []calendar.DoubleBooking
	for _, db := range calendar.DoubleBookings(diary) {
		if db.First != e.ID && db.Second != e.ID {
			continue
		}
		out = append(out, db)
	}
	return o.secure(ctx, tx, out, diary)
}

// secure withholds, in double bookings, the events on cases the actor may
// not see: a clash over a user or a room (whose busy time is the firm's
// own) is reported as a clash with a secured matter; a clash over a
// contact is left out, since it would tell when an outsider, perhaps a
// walled client, meets on matters the actor may not see. Bookings
// between two hidden events are left out.
func (o *op) secure(ctx context.Context, tx storage.Tx, dbs []calendar.DoubleBooking, events []calendar.Event) ([]calendar.DoubleBooking, error) {
	caseOf := map[calendar.EventID]cases.ID{}
	for _, e := range events {
		caseOf[e.ID] = e.Case
	}
	visible := map[cases.ID]bool{}
	sees := func(id calendar.EventID) (bool, error) {
		c := caseOf[id]
		v, ok := visible[c]
		if ok {
			return v, nil
		}
		v, err := o.sees(ctx, tx, access.CalendarRead, c)
		visible[c] = v
		return v, err
	}
	out := dbs[:0]
	for _, db := range dbs {
		a, err := sees(db.First)
		if err != nil {
			return nil, err
		}
		b, err := sees(db.Second)
		if err != nil {
			return nil, err
		}
		contact := strings.HasPrefix(db.Resource, string(calendar.AttendeeContact)+":")
		switch {
		case a && b:
		case contact:
			continue
		case a:
			db.Second, db.Secured = "", true
		case b:
			db.First, db.Second, db.Secured = db.Second, "", true
		default:
			continue
		}
		out = append(out, db)
	}
	return out, nil
}

// sees reports whether the actor may perform action on a case, without
// recording a denial: for filtering what is shown.
func (o *op) sees(ctx context.Context, tx storage.Tx, action access.Action, id cases.ID) (bool, error) {
	if o.f.authz != nil {
		return o.f.authz.Authorize(ctx, o.actor, action, access.Resource{Kind: "case", ID: string(id), Case: string(id)}) == nil, nil
	}
	_, ok, err := o.seesCase(ctx, tx, action, id)
	return ok, err
}

// seesCase is sees, also returning the case when the actor sees it.
func (o *op) seesCase(ctx context.Context, tx storage.Tx, action access.Action, id cases.ID) (cases.Case, bool, error) {
	if o.f.authz != nil {
		if o.f.authz.Authorize(ctx, o.actor, action, access.Resource{Kind: "case", ID: string(id), Case: string(id)}) != nil {
			return cases.Case{}, false, nil
		}
	}
	c, err := tx.Cases().Get(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return c, false, nil
	}
	if err != nil || o.f.authz != nil {
		return c, err == nil, err
	}
	p, err := o.f.policy(ctx, tx)
	if err != nil {
		return c, false, err
	}
	facts, err := caseFacts(ctx, tx, &c)
	if err != nil {
		return c, false, err
	}
	return c, p.Decide(o.actor.ID, action, facts).Allowed, nil
}

// eventFor reads an event and decides action on its case. An event that
// does not exist is refused like one on a case the actor may not see.
func (o *op) eventFor(ctx context.Context, tx storage.Tx, action access.Action, res *access.Resource, id calendar.EventID) (calendar.Event, cases.Case, error) {
	e, err := tx.Events().Get(ctx, id)
	if err != nil {
		return e, cases.Case{}, o.missing(ctx, tx, action, *res, "event "+printable(string(id)), err)
	}
	res.Case = string(e.Case)
	c, err := o.caseFor(ctx, tx, action, *res, e.Case, "Case")
	return e, c, err
}

// Event returns an event.
func (s *CalendarService) Event(ctx context.Context, id calendar.EventID) (calendar.Event, error) {
	return readOne(ctx, s.f, access.CalendarRead, access.Resource{Kind: "event", ID: string(id)}, func(o *op, tx storage.Tx, res *access.Resource) (calendar.Event, error) {
		e, _, err := o.eventFor(ctx, tx, access.CalendarRead, res, id)
		return e, err
	})
}

// Events returns one page of the events the actor may see, in ID order:
// a case's, an attendee's diary, a window of time. Events on walled and
// restricted cases are filtered out inside the storage query.
func (s *CalendarService) Events(ctx context.Context, filter EventFilter, opts *ListOptions) (Page[calendar.Event], error) {
	var p Page[calendar.Event]
	err := s.f.listVisible(ctx, access.CalendarRead, access.Resource{Kind: "event", Case: string(filter.Case)}, func(_ *op, tx storage.Tx, vis *storage.Visibility) (err error) {
		filter.Visible = vis
		p.Items, p.Next, err = tx.Events().List(ctx, filter, pageOf(opts))
		return err
	})
	return p, err
}

// UpdateEvent changes an event's details: title, kind, stage, time,
// place, attendees, notes. e.Version must be the version read. A new time
// or place marks it moved and bumps its Sequence (what calendar
// subscribers see); reminders are set again, and attendees are told it
// moved. The status changes only through SetEventStatus.
func (s *CalendarService) UpdateEvent(ctx context.Context, e calendar.Event) (calendar.Event, []calendar.DoubleBooking, error) {
	f := s.f
	var clashes []calendar.DoubleBooking
	res := eventRes(&e)
	err := f.run(ctx, access.CalendarWrite, &res, true, func(o *op, tx storage.Tx) error {
		old, c, err := o.eventFor(ctx, tx, access.CalendarWrite, &res, e.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("event", old.Version, e.Version); err != nil {
			return err
		}
		if e.Case != old.Case {
			return &cases.FieldError{Record: "event", Field: "Case", Problem: "an event stays on its case: vacate it and schedule one on the other"}
		}
		if e.Status != old.Status {
			return &cases.FieldError{Record: "event", Field: "Status", Problem: "changes through SetEventStatus"}
		}
		e.Start, e.End = e.Start.UTC().Truncate(audit.Timestamp), e.End.UTC().Truncate(audit.Timestamp)
		moved := !e.Start.Equal(old.Start) || !e.End.Equal(old.End) || e.Location != old.Location || e.Courtroom != old.Courtroom || e.Court != old.Court
		e.Sequence, e.StatusReason, e.StatusBy = old.Sequence, old.StatusReason, old.StatusBy
		if moved {
			e.Sequence++
			if e.Status == calendar.Scheduled {
				e.Status = calendar.Moved
			}
		}
		e.Created, e.Updated, e.Version = old.Created, o.at, old.Version+1
		if err := f.checkEvent(ctx, tx, o, &e); err != nil {
			return err
		}
		if err := tx.Events().Update(ctx, e); err != nil {
			return stale("event", err)
		}
		if err := o.record(ctx, tx, "event.update", eventRes(&e), "", auditDiff(old, e)); err != nil {
			return err
		}
		if clashes, err = o.clashes(ctx, tx, &e); err != nil {
			return err
		}
		if !moved {
			if slices.Equal(e.Attendees, old.Attendees) {
				return nil
			}
			// Attendees changed: reminders follow who now attends.
			if err := f.cancelReminders(ctx, tx, o, storage.AlertFilter{Event: e.ID, Status: calendar.Pending}, "the attendees changed"); err != nil {
				return err
			}
			return f.remindEvent(ctx, tx, o, &c, &e)
		}
		if err := f.followEvent(ctx, tx, o, &c, &e, "the event moved"); err != nil {
			return err
		}
		return f.eventMoved(ctx, tx, o, &c, &e, "moved to "+e.Start.Format(time.RFC3339))
	})
	if err != nil {
		return calendar.Event{}, nil, err
	}
	return e, clashes, nil
}

// followEvent moves the triggers that are an event, and their deadlines,
// to the event's new start.
func (f *Firm) followEvent(ctx context.Context, tx storage.Tx, o *op, c *cases.Case, e *calendar.Event, reason string) error {
	var on []calendar.Trigger
	err := eachPage(func(p storage.Page) (string, error) {
		items, next, err := tx.Triggers().List(ctx, c.ID, p)
		for _, t := range items {
			if t.On == e.ID && !t.At.Equal(e.Start) {
				on = append(on, t)
			}
		}
		return next, err
	})
	if err != nil {
		return err
	}
	for _, t := range on {
		if _, _, err := f.moveTrigger(ctx, tx, o, c, t, calendar.Date{}, e.Start, reason+": "+e.Title+" now starts "+e.Start.Format(time.RFC3339)); err != nil {
			return err
		}
	}
	return nil
}

// eventMoved sets an event's reminders again and tells its users, unless
// it is vacated or held already.
func (f *Firm) eventMoved(ctx context.Context, tx storage.Tx, o *op, c *cases.Case, e *calendar.Event, what string) error {
	if err := f.cancelAlerts(ctx, tx, o, storage.AlertFilter{Event: e.ID, Status: calendar.Pending}, "the event moved"); err != nil {
		return err
	}
	if !e.Busy() || e.Status == calendar.Held {
		return nil
	}
	if err := f.remindEvent(ctx, tx, o, c, e); err != nil {
		return err
	}
	for _, a := range e.Attendees {
		if a.Kind != calendar.AttendeeUser {
			continue
		}
		al := calendar.Alert{ID: calendar.AlertID(f.newID()), Case: e.Case, Kind: calendar.Rescheduled, Event: e.ID, Recipient: a.ID, Due: o.at,
			Message: fmt.Sprintf("%s (%s): %s", e.Title, c.Reference, what), Status: calendar.Pending, Version: 1, Created: o.at, Updated: o.at}
		if err := tx.Alerts().Create(ctx, al); err != nil {
			return err
		}
	}
	return nil
}

// SetEventStatus marks an event held or vacated (taken off the
// calendar), or scheduled again, with the reason. version must be the
// version read. Vacating cancels its reminders and bumps its Sequence.
func (s *CalendarService) SetEventStatus(ctx context.Context, id calendar.EventID, version int64, status calendar.EventStatus, reason string) (calendar.Event, error) {
	f := s.f
	var e calendar.Event
	res := access.Resource{Kind: "event", ID: string(id)}
	err := f.run(ctx, access.CalendarWrite, &res, true, func(o *op, tx storage.Tx) error {
		old, c, err := o.eventFor(ctx, tx, access.CalendarWrite, &res, id)
		if err != nil {
			return err
		}
		if status != calendar.Held && status != calendar.Vacated && status != calendar.Scheduled {
			return &cases.FieldError{Record: "event", Field: "Status", Problem: fmt.Sprintf("%q: set held, vacated or scheduled (moving an event marks it moved)", status)}
		}
		if err := cases.ValidateReason("event status", reason); err != nil {
			return err
		}
		if err := checkVersion("event", old.Version, version); err != nil {
			return err
		}
		e = old
		e.Attendees = slices.Clone(old.Attendees)
		e.Status, e.StatusReason, e.StatusBy, e.Version, e.Updated = status, reason, string(o.actor.ID), old.Version+1, o.at
		if status != old.Status {
			e.Sequence++
		}
		if err := tx.Events().Update(ctx, e); err != nil {
			return stale("event", err)
		}
		if err := o.record(ctx, tx, access.Action("event."+string(status)), eventRes(&e), reason, auditDiff(old, e)); err != nil {
			return err
		}
		switch status {
		case calendar.Vacated, calendar.Held:
			return f.cancelAlerts(ctx, tx, o, storage.AlertFilter{Event: e.ID, Status: calendar.Pending}, "the event was "+string(status))
		}
		return f.remindEvent(ctx, tx, o, &c, &e)
	})
	if err != nil {
		return calendar.Event{}, err
	}
	return e, nil
}

// DoubleBookings returns every double booking of an attendee or room
// between busy events overlapping [from, until): the firm's whole diary,
// so that no clash hides behind a wall, with each event the actor may not
// see reported as a secured matter (and clashes between two such events
// left out).
func (s *CalendarService) DoubleBookings(ctx context.Context, from, until time.Time) ([]calendar.DoubleBooking, error) {
	var out []calendar.DoubleBooking
	err := s.f.do(ctx, access.CalendarRead, access.Resource{Kind: "event"}, false, func(o *op, tx storage.Tx) error {
		if !until.After(from) {
			return &cases.FieldError{Record: "diary", Field: "until", Problem: "must be after from"}
		}
		var diary []calendar.Event
		err := eachPage(func(p storage.Page) (string, error) {
			items, next, err := tx.Events().List(ctx, storage.EventFilter{From: from, Until: until, Busy: true}, p)
			diary = append(diary, items...)
			return next, err
		})
		if err != nil {
			return err
		}
		out, err = o.secure(ctx, tx, calendar.DoubleBookings(diary), diary)
		return err
	})
	return out, err
}

// SlotOptions ask for the earliest slot for an event.
type SlotOptions struct {
	// Duration defaults to the event's own length.
	Duration time.Duration
	// Earliest defaults to now.
	Earliest time.Time
	// Latest is the last day the slot may fall on (a deadline); zero
	// searches a year ahead.
	Latest calendar.Date
	// Court gives the working hours and court days; defaults to the
	// event's court.
	Court string
	// Travel is the buffer kept around bookings elsewhere.
	Travel time.Duration
}

// FindSlot returns the earliest start at which every attendee of the
// event (but optional ones) and its room are free for its length, inside
// the court's working hours on a day it sits, within the options. Every
// booking counts, those on cases the actor may not see included; only the
// time is returned. ok is false when there is no such slot.
func (s *CalendarService) FindSlot(ctx context.Context, id calendar.EventID, opts SlotOptions) (start time.Time, ok bool, err error) {
	res := access.Resource{Kind: "event", ID: string(id)}
	err = s.f.run(ctx, access.CalendarRead, &res, false, func(o *op, tx storage.Tx) error {
		e, _, err := o.eventFor(ctx, tx, access.CalendarRead, &res, id)
		if err != nil {
			return err
		}
		start, ok, err = s.f.findSlot(ctx, tx, o, &e, opts)
		return err
	})
	return start, ok, err
}

// FindSlotFor is FindSlot for an event not yet scheduled: the earliest
// start at which its required attendees and room are free for its length
// (or opts.Duration), inside the court's working hours on a day it sits.
// Nothing is stored; schedule the event at the time returned.
func (s *CalendarService) FindSlotFor(ctx context.Context, e calendar.Event, opts SlotOptions) (start time.Time, ok bool, err error) {
	res := eventRes(&e)
	err = s.f.run(ctx, access.CalendarRead, &res, false, func(o *op, tx storage.Tx) error {
		if _, err := o.caseFor(ctx, tx, access.CalendarRead, res, e.Case, "Case"); err != nil {
			return err
		}
		if opts.Duration == 0 && !e.End.After(e.Start) {
			return &cases.FieldError{Record: "slot", Field: "Duration", Problem: "give the length, or the event's start and end"}
		}
		for i, a := range e.Attendees {
			if a.Kind == calendar.AttendeeContact {
				r := res
				if err := o.decideOn(ctx, tx, access.CalendarRead, &r, "", cases.ContactID(a.ID)); err != nil {
					return err
				}
			}
			if a.Kind != calendar.AttendeeUser && a.Kind != calendar.AttendeeContact && a.Kind != calendar.AttendeeRoom {
				return &cases.FieldError{Record: "slot", Field: fmt.Sprintf("Attendees[%d].Kind", i), Problem: fmt.Sprintf("%q is not user, contact or room", a.Kind)}
			}
		}
		e.ID = ""
		start, ok, err = s.f.findSlot(ctx, tx, o, &e, opts)
		return err
	})
	return start, ok, err
}

func (f *Firm) findSlot(ctx context.Context, tx storage.Tx, o *op, e *calendar.Event, opts SlotOptions) (time.Time, bool, error) {
	req := calendar.SlotRequest{Duration: opts.Duration, Earliest: opts.Earliest, Latest: opts.Latest, Location: e.Location, Travel: opts.Travel, Exclude: e.ID}
	if req.Duration == 0 {
		req.Duration = e.End.Sub(e.Start)
	}
	if req.Earliest.IsZero() {
		req.Earliest = o.at
	}
	courtID := opts.Court
	if courtID == "" {
		courtID = e.Court
	}
	if courtID == "" {
		return time.Time{}, false, &cases.FieldError{Record: "slot", Field: "Court", Problem: "name the court whose working hours and court days apply"}
	}
	c, err := f.court(ctx, tx, courtID)
	if err != nil {
		return time.Time{}, false, notFoundField("slot", "Court", "court "+courtID, err)
	}
	req.Court = c
	for _, a := range e.Attendees {
		if !a.Optional {
			req.Attendees = append(req.Attendees, a.Key())
		}
	}
	if len(req.Attendees) == 0 {
		return time.Time{}, false, &cases.FieldError{Record: "slot", Field: "Attendees", Problem: "the event has no required attendee or room"}
	}
	horizon := req.Latest
	if horizon.IsZero() {
		horizon = calendar.DateOf(req.Earliest).AddDays(367)
	}
	var diary []calendar.Event
	for _, k := range req.Attendees {
		err := eachPage(func(p storage.Page) (string, error) {
			items, next, err := tx.Events().List(ctx, storage.EventFilter{Attendee: k, From: req.Earliest.Add(-req.Travel), Until: horizon.AddDays(2).Time(time.UTC), Busy: true}, p)
			diary = append(diary, items...)
			return next, err
		})
		if err != nil {
			return time.Time{}, false, err
		}
	}
	return calendar.FindSlot(req, diary)
}

// Reschedule moves an event to start at a new time, keeping its length,
// with the reason: every required attendee and room must be free then
// (bookings the actor may not see included, which are named only as
// busy). It is marked moved, its Sequence bumped, its reminders set again,
// and its users told.
func (s *CalendarService) Reschedule(ctx context.Context, id calendar.EventID, version int64, start time.Time, reason string) (calendar.Event, error) {
	return s.reschedule(ctx, id, version, func(*op, storage.Tx, *calendar.Event) (time.Time, error) { return start, nil }, reason)
}

// RescheduleEarliest moves an event to the earliest slot FindSlot finds
// with opts, in the same transaction, with the reason. It fails with an
// error naming Latest when there is none.
func (s *CalendarService) RescheduleEarliest(ctx context.Context, id calendar.EventID, version int64, opts SlotOptions, reason string) (calendar.Event, error) {
	return s.reschedule(ctx, id, version, func(o *op, tx storage.Tx, e *calendar.Event) (time.Time, error) {
		start, ok, err := s.f.findSlot(ctx, tx, o, e, opts)
		if err == nil && !ok {
			err = &cases.FieldError{Record: "slot", Field: "Latest", Problem: "no slot where every required attendee is free by then"}
		}
		return start, err
	}, reason)
}

func (s *CalendarService) reschedule(ctx context.Context, id calendar.EventID, version int64, pick func(*op, storage.Tx, *calendar.Event) (time.Time, error), reason string) (calendar.Event, error) {
	f := s.f
	var e calendar.Event
	res := access.Resource{Kind: "event", ID: string(id)}
	err := f.run(ctx, access.CalendarWrite, &res, true, func(o *op, tx storage.Tx) error {
		old, c, err := o.eventFor(ctx, tx, access.CalendarWrite, &res, id)
		if err != nil {
			return err
		}
		if err := cases.ValidateReason("reschedule", reason); err != nil {
			return err
		}
		if err := checkVersion("event", old.Version, version); err != nil {
			return err
		}
		if !old.Busy() {
			return &cases.FieldError{Record: "event", Field: "Status", Problem: "a vacated event is not rescheduled: schedule it again first"}
		}
		start, err := pick(o, tx, &old)
		if err != nil {
			return err
		}
		e = old
		e.Attendees = slices.Clone(old.Attendees)
		length := old.End.Sub(old.Start)
		e.Start = start.UTC().Truncate(audit.Timestamp)
		e.End = e.Start.Add(length)
		e.Status, e.StatusReason, e.StatusBy, e.Sequence = calendar.Moved, reason, string(o.actor.ID), old.Sequence+1
		e.Version, e.Updated = old.Version+1, o.at
		clashes, err := o.clashes(ctx, tx, &e)
		if err != nil {
			return err
		}
		for _, db := range clashes {
			if !slices.ContainsFunc(e.Attendees, func(a calendar.Attendee) bool { return a.Key() == db.Resource && !a.Optional }) {
				continue
			}
			other := "another event"
			if db.Secured {
				other = "a secured matter"
			}
			return &cases.FieldError{Record: "event", Field: "Start", Problem: fmt.Sprintf("%s is booked for %s from %s to %s", db.Resource, other, db.Start.Format(time.RFC3339), db.End.Format(time.RFC3339))}
		}
		if err := tx.Events().Update(ctx, e); err != nil {
			return stale("event", err)
		}
		if err := o.record(ctx, tx, "event.reschedule", eventRes(&e), reason, auditDiff(old, e)); err != nil {
			return err
		}
		if err := f.followEvent(ctx, tx, o, &c, &e, reason); err != nil {
			return err
		}
		return f.eventMoved(ctx, tx, o, &c, &e, "moved to "+e.Start.Format(time.RFC3339)+": "+reason)
	})
	if err != nil {
		return calendar.Event{}, err
	}
	return e, nil
}

func triggerRes(t *calendar.Trigger) access.Resource {
	return access.Resource{Kind: "trigger", ID: string(t.ID), Case: string(t.Case)}
}

// RecordTrigger records a triggering event on a case ("complaint served
// 2026-03-02 by mail") and generates its deadlines: every rule of the
// named rule sets that the event sets running, computed in the court
// (with the case's judge's cutoff unless the trigger names another), each
// with its explanation, each with reminders.
func (s *CalendarService) RecordTrigger(ctx context.Context, t calendar.Trigger) (calendar.Trigger, []calendar.Deadline, error) {
	f := s.f
	var made []calendar.Deadline
	res := triggerRes(&t)
	err := f.run(ctx, access.CalendarWrite, &res, true, func(o *op, tx storage.Tx) error {
		c, err := o.caseFor(ctx, tx, access.CalendarWrite, res, t.Case, "Case")
		if err != nil {
			return err
		}
		if t.ID == "" {
			t.ID = calendar.TriggerID(f.newID())
		} else if err := cases.ValidateID("trigger", "ID", string(t.ID)); err != nil {
			return err
		}
		t.Facts, t.RuleSets = slices.Clone(t.Facts), slices.Clone(t.RuleSets)
		t.At = t.At.UTC().Truncate(audit.Timestamp)
		if t.Judge == "" {
			t.Judge = c.Judge // the judge's own filing cutoff, if the court sets one
		}
		if t.On != "" {
			ev, err := tx.Events().Get(ctx, t.On)
			if err != nil || ev.Case != t.Case {
				return &cases.FieldError{Record: "trigger", Field: "On", Problem: fmt.Sprintf("event %s is not on this case", printable(string(t.On)))}
			}
			t.At = ev.Start // checkTrigger takes the date in the court's zone
		}
		t.RecordedBy, t.Version, t.Created, t.Updated = string(o.actor.ID), 1, o.at, o.at
		court, err := f.checkTrigger(ctx, tx, &t)
		if err != nil {
			return err
		}
		if err := tx.Triggers().Create(ctx, t); err != nil {
			return idTaken("trigger", err)
		}
		if err := o.record(ctx, tx, "trigger.record", triggerRes(&t), "", auditDiff(nil, t)); err != nil {
			return err
		}
		made, err = f.computeDeadlines(ctx, tx, o, &c, &t, court)
		return err
	})
	if err != nil {
		return calendar.Trigger{}, nil, err
	}
	return t, made, nil
}

// checkTrigger validates a trigger and returns its court, resolved.
func (f *Firm) checkTrigger(ctx context.Context, tx storage.Tx, t *calendar.Trigger) (*calendar.Court, error) {
	const rec = "trigger"
	if strings.TrimSpace(t.Event) == "" {
		return nil, &cases.FieldError{Record: rec, Field: "Event", Problem: "name the kind of event, such as summons-served"}
	}
	if t.Court == "" {
		return nil, &cases.FieldError{Record: rec, Field: "Court", Problem: "name the court the deadlines run in"}
	}
	court, err := f.court(ctx, tx, t.Court)
	if err != nil {
		return nil, notFoundField(rec, "Court", "court "+t.Court, err)
	}
	if !t.At.IsZero() {
		t.Date = calendar.DateOf(t.At.In(court.Location()))
	}
	if t.Date.IsZero() || !t.Date.Valid() {
		return nil, &cases.FieldError{Record: rec, Field: "Date", Problem: "is required"}
	}
	if t.Service != "" && !slices.Contains(calendar.Services, t.Service) {
		return nil, &cases.FieldError{Record: rec, Field: "Service", Problem: fmt.Sprintf("%q is not a service method", t.Service)}
	}
	if len(t.RuleSets) == 0 {
		return nil, &cases.FieldError{Record: rec, Field: "RuleSets", Problem: "name the rule sets that apply, such as frcp"}
	}
	for i, name := range t.RuleSets {
		if _, ok := f.lib.RuleSets[name]; !ok {
			return nil, &cases.FieldError{Record: rec, Field: fmt.Sprintf("RuleSets[%d]", i), Problem: fmt.Sprintf("%q is not a rule set of the firm's calendar library", name)}
		}
	}
	if len(t.Note) > 2000 {
		return nil, &cases.FieldError{Record: rec, Field: "Note", Problem: "is longer than 2000 bytes"}
	}
	return court, nil
}

// computeDeadlines creates the deadlines a trigger sets running.
func (f *Firm) computeDeadlines(ctx context.Context, tx storage.Tx, o *op, c *cases.Case, t *calendar.Trigger, court *calendar.Court) ([]calendar.Deadline, error) {
	var made []calendar.Deadline
	for _, name := range t.RuleSets {
		set := f.lib.RuleSets[name]
		for _, r := range set.Triggered(*t) {
			d, err := f.deadlineFor(ctx, tx, o, c, t, court, set, r)
			if err != nil {
				return nil, err
			}
			made = append(made, d)
		}
	}
	return made, nil
}

// deadlineFor computes and creates one rule's deadline for a trigger,
// with its audit entry and reminders.
func (f *Firm) deadlineFor(ctx context.Context, tx storage.Tx, o *op, c *cases.Case, t *calendar.Trigger, court *calendar.Court, set *calendar.RuleSet, r *calendar.Rule) (calendar.Deadline, error) {
	if r.Period.Unit == calendar.Hours && t.At.IsZero() {
		return calendar.Deadline{}, &cases.FieldError{Record: "trigger", Field: "At", Problem: fmt.Sprintf("rule %s/%s counts hours: give the trigger's time", set.Name, r.ID)}
	}
	comp, err := set.Compute(r, *t, court)
	if err != nil {
		return calendar.Deadline{}, err
	}
	d := calendar.Deadline{ID: calendar.DeadlineID(f.newID()), Case: t.Case, Trigger: t.ID, RuleSet: set.Name, Rule: r.ID, Title: r.Title,
		Citation: r.Citation, Court: court.ID, Due: comp.Due, DueAt: comp.DueAt.UTC(), Explanation: comp.Explanation,
		Status: calendar.Open, Version: 1, Created: o.at, Updated: o.at}
	if err := tx.Deadlines().Create(ctx, d); err != nil {
		return d, err
	}
	if err := o.record(ctx, tx, "deadline.create", deadlineRes(&d), d.Explanation.Citation, auditDiff(nil, d)); err != nil {
		return d, err
	}
	return d, f.remindDeadline(ctx, tx, o, c, &d)
}

func deadlineRes(d *calendar.Deadline) access.Resource {
	return access.Resource{Kind: "deadline", ID: string(d.ID), Case: string(d.Case)}
}

// DeadlineChange is how moving a trigger moved one deadline: its old and
// new due dates. A deadline whose rule no longer governs the moved trigger
// is vacated (NewDue zero); one whose rule now does is created (OldDue
// zero).
type DeadlineChange struct {
	Deadline calendar.Deadline
	OldDue   calendar.Date
	NewDue   calendar.Date
}

// MoveTrigger changes a trigger's date (or instant, for periods in hours)
// and recomputes its open deadlines, with the reason; version must be the
// trigger's version as read. Deadlines already done or vacated stay as
// they are. A rule that does not govern the new date (amended since, or
// not yet in force) has its deadline vacated, and one that now does has
// its deadline created. It returns each change with the old and new date;
// every change is audited, and reminders are set again.
func (s *CalendarService) MoveTrigger(ctx context.Context, id calendar.TriggerID, version int64, date calendar.Date, at time.Time, reason string) (calendar.Trigger, []DeadlineChange, error) {
	f := s.f
	var t calendar.Trigger
	var changes []DeadlineChange
	res := access.Resource{Kind: "trigger", ID: string(id)}
	err := f.run(ctx, access.CalendarWrite, &res, true, func(o *op, tx storage.Tx) error {
		old, err := tx.Triggers().Get(ctx, id)
		if err != nil {
			return o.missing(ctx, tx, access.CalendarWrite, res, "trigger "+printable(string(id)), err)
		}
		res.Case = string(old.Case)
		c, err := o.caseFor(ctx, tx, access.CalendarWrite, res, old.Case, "Case")
		if err != nil {
			return err
		}
		if err := cases.ValidateReason("trigger move", reason); err != nil {
			return err
		}
		if err := checkVersion("trigger", old.Version, version); err != nil {
			return err
		}
		t, changes, err = f.moveTrigger(ctx, tx, o, &c, old, date, at, reason)
		return err
	})
	if err != nil {
		return calendar.Trigger{}, nil, err
	}
	return t, changes, nil
}

// moveTrigger moves a trigger (read in tx) to a new date or instant and
// recomputes its deadlines; see MoveTrigger.
func (f *Firm) moveTrigger(ctx context.Context, tx storage.Tx, o *op, c *cases.Case, old calendar.Trigger, date calendar.Date, at time.Time, reason string) (calendar.Trigger, []DeadlineChange, error) {
	var changes []DeadlineChange
	t := old
	t.Facts, t.RuleSets = slices.Clone(old.Facts), slices.Clone(old.RuleSets)
	t.Date, t.At = date, at.UTC().Truncate(audit.Timestamp)
	t.Version, t.Updated = old.Version+1, o.at
	err := func() error {
		court, err := f.checkTrigger(ctx, tx, &t)
		if err != nil {
			return err
		}
		if err := tx.Triggers().Update(ctx, t); err != nil {
			return stale("trigger", err)
		}
		if err := o.record(ctx, tx, "trigger.move", triggerRes(&t), reason, auditDiff(old, t)); err != nil {
			return err
		}
		var open []calendar.Deadline
		err = eachPage(func(p storage.Page) (string, error) {
			items, next, err := tx.Deadlines().List(ctx, storage.DeadlineFilter{Trigger: t.ID, Status: calendar.Open}, p)
			open = append(open, items...)
			return next, err
		})
		if err != nil {
			return err
		}
		// Every deadline the trigger ever had, so that a rule applying
		// again is not created twice.
		had := map[string]bool{}
		err = eachPage(func(p storage.Page) (string, error) {
			items, next, err := tx.Deadlines().List(ctx, storage.DeadlineFilter{Trigger: t.ID}, p)
			for _, d := range items {
				had[d.RuleSet+"/"+d.Rule] = true
			}
			return next, err
		})
		if err != nil {
			return err
		}
		applies := map[string]bool{}
		for _, name := range t.RuleSets {
			for _, r := range f.lib.RuleSets[name].Triggered(t) {
				applies[name+"/"+r.ID] = true
			}
		}
		for _, d := range open {
			set, ok := f.lib.RuleSets[d.RuleSet]
			if !ok {
				return fmt.Errorf("deadline %s: rule set %s is no longer in the firm's calendar library", d.ID, d.RuleSet)
			}
			r, ok := set.Rule(d.Rule)
			if !ok {
				return fmt.Errorf("deadline %s: rule %s/%s is no longer in its rule set", d.ID, d.RuleSet, d.Rule)
			}
			if !applies[d.RuleSet+"/"+d.Rule] {
				// The rule does not govern the moved trigger (it was amended,
				// or its facts no longer hold): the deadline is vacated.
				before := d
				d.Status, d.ResolvedBy, d.ResolvedAt = calendar.VacatedDeadline, string(o.actor.ID), o.at
				d.Reason = fmt.Sprintf("the trigger moved to %s, where rule %s/%s does not apply: %s", t.Date, d.RuleSet, d.Rule, reason)
				d.Version, d.Updated, d.Sequence = before.Version+1, o.at, before.Sequence+1
				if err := tx.Deadlines().Update(ctx, d); err != nil {
					return stale("deadline", err)
				}
				if err := o.record(ctx, tx, "deadline.vacated", deadlineRes(&d), d.Reason, auditDiff(before, d)); err != nil {
					return err
				}
				if err := f.cancelAlerts(ctx, tx, o, storage.AlertFilter{Deadline: d.ID, Status: calendar.Pending}, "the deadline was vacated"); err != nil {
					return err
				}
				changes = append(changes, DeadlineChange{Deadline: d, OldDue: before.Due})
				continue
			}
			comp, err := set.Compute(r, t, court)
			if err != nil {
				return err
			}
			before := d
			d.Due, d.DueAt, d.Explanation = comp.Due, comp.DueAt.UTC(), comp.Explanation
			if d.Due != before.Due || !d.DueAt.Equal(before.DueAt) {
				d.Sequence++
				d.Escalated = time.Time{}
			}
			d.Version, d.Updated = before.Version+1, o.at
			if err := tx.Deadlines().Update(ctx, d); err != nil {
				return stale("deadline", err)
			}
			if err := o.record(ctx, tx, "deadline.recompute", deadlineRes(&d), reason, auditDiff(before, d)); err != nil {
				return err
			}
			if err := f.cancelAlerts(ctx, tx, o, storage.AlertFilter{Deadline: d.ID, Status: calendar.Pending}, "the trigger moved"); err != nil {
				return err
			}
			if err := f.remindDeadline(ctx, tx, o, c, &d); err != nil {
				return err
			}
			changes = append(changes, DeadlineChange{Deadline: d, OldDue: before.Due, NewDue: d.Due})
		}
		// Rules the moved trigger sets running that it did not before.
		for _, name := range t.RuleSets {
			set := f.lib.RuleSets[name]
			for _, r := range set.Triggered(t) {
				if had[name+"/"+r.ID] {
					continue
				}
				made, err := f.deadlineFor(ctx, tx, o, c, &t, court, set, r)
				if err != nil {
					return err
				}
				changes = append(changes, DeadlineChange{Deadline: made, NewDue: made.Due})
			}
		}
		return nil
	}()
	return t, changes, err
}

// deadlineFor reads a deadline and decides action on its case.
func (o *op) deadlineFor(ctx context.Context, tx storage.Tx, action access.Action, res *access.Resource, id calendar.DeadlineID) (calendar.Deadline, cases.Case, error) {
	d, err := tx.Deadlines().Get(ctx, id)
	if err != nil {
		return d, cases.Case{}, o.missing(ctx, tx, action, *res, "deadline "+printable(string(id)), err)
	}
	res.Case = string(d.Case)
	c, err := o.caseFor(ctx, tx, action, *res, d.Case, "Case")
	return d, c, err
}

// Deadline returns a deadline with its explanation.
func (s *CalendarService) Deadline(ctx context.Context, id calendar.DeadlineID) (calendar.Deadline, error) {
	return readOne(ctx, s.f, access.CalendarRead, access.Resource{Kind: "deadline", ID: string(id)}, func(o *op, tx storage.Tx, res *access.Resource) (calendar.Deadline, error) {
		d, _, err := o.deadlineFor(ctx, tx, access.CalendarRead, res, id)
		return d, err
	})
}

// Deadlines returns one page of the deadlines the actor may see, in ID
// order, filtered inside the storage query.
func (s *CalendarService) Deadlines(ctx context.Context, filter DeadlineFilter, opts *ListOptions) (Page[calendar.Deadline], error) {
	var p Page[calendar.Deadline]
	err := s.f.listVisible(ctx, access.CalendarRead, access.Resource{Kind: "deadline", Case: string(filter.Case)}, func(_ *op, tx storage.Tx, vis *storage.Visibility) (err error) {
		filter.Visible = vis
		p.Items, p.Next, err = tx.Deadlines().List(ctx, filter, pageOf(opts))
		return err
	})
	return p, err
}

// AddDeadline puts a deadline set by hand on a case (a date in a
// scheduling order), due at the court's cutoff on d.Due. Its citation
// says where it comes from.
func (s *CalendarService) AddDeadline(ctx context.Context, d calendar.Deadline) (calendar.Deadline, error) {
	f := s.f
	res := deadlineRes(&d)
	err := f.run(ctx, access.CalendarWrite, &res, true, func(o *op, tx storage.Tx) error {
		c, err := o.caseFor(ctx, tx, access.CalendarWrite, res, d.Case, "Case")
		if err != nil {
			return err
		}
		if d.ID == "" {
			d.ID = calendar.DeadlineID(f.newID())
		} else if err := cases.ValidateID("deadline", "ID", string(d.ID)); err != nil {
			return err
		}
		if d.Court == "" {
			return &cases.FieldError{Record: "deadline", Field: "Court", Problem: "name the court whose cutoff ends the day"}
		}
		court, err := f.court(ctx, tx, d.Court)
		if err != nil {
			return notFoundField("deadline", "Court", "court "+d.Court, err)
		}
		if d.Due.IsZero() || !d.Due.Valid() {
			return &cases.FieldError{Record: "deadline", Field: "Due", Problem: "is required"}
		}
		cut := court.CutoffFor(c.Judge)
		d.DueAt = cut.On(d.Due, court.Location()).UTC()
		d.Trigger, d.RuleSet, d.Rule = "", "", ""
		d.Status, d.ResolvedBy, d.ResolvedAt, d.Reason, d.Escalated = calendar.Open, "", time.Time{}, "", time.Time{}
		d.Explanation = calendar.Explanation{Title: d.Title, Citation: d.Citation, Count: "set by hand", Cutoff: fmt.Sprintf("%s at %s %s", d.Due, cut, court.TimeZone)}
		d.Version, d.Created, d.Updated = 1, o.at, o.at
		if err := d.Validate(); err != nil {
			return err
		}
		if err := tx.Deadlines().Create(ctx, d); err != nil {
			return idTaken("deadline", err)
		}
		if err := o.record(ctx, tx, "deadline.create", deadlineRes(&d), d.Citation, auditDiff(nil, d)); err != nil {
			return err
		}
		return f.remindDeadline(ctx, tx, o, &c, &d)
	})
	if err != nil {
		return calendar.Deadline{}, err
	}
	return d, nil
}

// ResolveDeadline marks a deadline done or vacated, with the reason (the
// filing, the order that struck it). version must be the version read.
// Its pending reminders are cancelled.
func (s *CalendarService) ResolveDeadline(ctx context.Context, id calendar.DeadlineID, version int64, status calendar.DeadlineStatus, reason string) (calendar.Deadline, error) {
	f := s.f
	var d calendar.Deadline
	res := access.Resource{Kind: "deadline", ID: string(id)}
	err := f.run(ctx, access.CalendarWrite, &res, true, func(o *op, tx storage.Tx) error {
		old, _, err := o.deadlineFor(ctx, tx, access.CalendarWrite, &res, id)
		if err != nil {
			return err
		}
		if status != calendar.Done && status != calendar.VacatedDeadline {
			return &cases.FieldError{Record: "deadline", Field: "Status", Problem: fmt.Sprintf("%q: a deadline is resolved as done or vacated", status)}
		}
		if err := cases.ValidateReason("deadline", reason); err != nil {
			return err
		}
		if err := checkVersion("deadline", old.Version, version); err != nil {
			return err
		}
		if old.Status != calendar.Open {
			return &cases.FieldError{Record: "deadline", Field: "Status", Problem: fmt.Sprintf("the deadline is already %s", old.Status)}
		}
		d = old
		d.Status, d.ResolvedBy, d.ResolvedAt, d.Reason = status, string(o.actor.ID), o.at, reason
		d.Version, d.Updated, d.Sequence = old.Version+1, o.at, old.Sequence+1
		if err := tx.Deadlines().Update(ctx, d); err != nil {
			return stale("deadline", err)
		}
		if err := o.record(ctx, tx, access.Action("deadline."+string(status)), deadlineRes(&d), reason, auditDiff(old, d)); err != nil {
			return err
		}
		return f.cancelAlerts(ctx, tx, o, storage.AlertFilter{Deadline: d.ID, Status: calendar.Pending}, "the deadline was "+string(status))
	})
	if err != nil {
		return calendar.Deadline{}, err
	}
	return d, nil
}

// SetReminders stores reminder offsets for a scope: "firm" (the defaults,
// needing court.admin), "case:<id>" (calendar.write on the case) or
// "user:<id>" (the user themselves, or an administrator of access). A
// user's lists win over a case's and a case's over the firm's, list by
// list: a scope that leaves a list empty defers to the next for it.
// r.Version must be the version read (0 for none yet). Reminders already
// set keep their times; new ones follow the new settings.
func (s *CalendarService) SetReminders(ctx context.Context, r calendar.Reminders) (calendar.Reminders, error) {
	f := s.f
	res := access.Resource{Kind: "reminders", ID: printable(r.Scope)}
	err := f.run(ctx, access.CalendarWrite, &res, true, func(o *op, tx storage.Tx) error {
		switch {
		case r.Scope == "firm":
			if err := o.decide(ctx, tx, access.CourtAdmin, res, nil); err != nil {
				return err
			}
		case strings.HasPrefix(r.Scope, "case:"):
			res.Case = strings.TrimPrefix(r.Scope, "case:")
			if _, err := o.caseFor(ctx, tx, access.CalendarWrite, res, cases.ID(res.Case), "Scope"); err != nil {
				return err
			}
		case r.Scope == "user:"+string(o.actor.ID):
			if err := o.decide(ctx, tx, access.CalendarRead, res, nil); err != nil {
				return err
			}
		default:
			if err := o.decide(ctx, tx, access.AccessAdmin, res, nil); err != nil {
				return err
			}
		}
		if err := r.Validate(); err != nil {
			return err
		}
		old, err := tx.Reminders().Get(ctx, r.Scope)
		switch {
		case errors.Is(err, storage.ErrNotFound):
			old = calendar.Reminders{}
		case err != nil:
			return err
		}
		if err := checkVersion("reminders", old.Version, r.Version); err != nil {
			return err
		}
		r.Deadlines, r.Events = slices.Clone(r.Deadlines), slices.Clone(r.Events)
		r.Version, r.Updated = old.Version+1, o.at
		if err := tx.Reminders().Put(ctx, r); err != nil {
			return stale("reminders", err)
		}
		var before any
		if old.Version > 0 {
			before = old
		}
		return o.record(ctx, tx, "reminders.set", res, "", auditDiff(before, r))
	})
	if err != nil {
		return calendar.Reminders{}, err
	}
	return r, nil
}

// offsets returns the reminder offsets for a user on a case, list by
// list: the user's own, else the case's, else the firm's, else the
// defaults. Settings that leave a list empty defer to the next for it.
func (f *Firm) offsets(ctx context.Context, tx storage.Tx, user string, c cases.ID) (calendar.Reminders, error) {
	out := calendar.Reminders{Scope: "user:" + user}
	for _, scope := range []string{"user:" + user, "case:" + string(c), "firm"} {
		r, err := tx.Reminders().Get(ctx, scope)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return out, err
		}
		if out.Deadlines == nil {
			out.Deadlines = r.Deadlines
		}
		if out.Events == nil {
			out.Events = r.Events
		}
	}
	def := calendar.DefaultReminders()
	if out.Deadlines == nil {
		out.Deadlines = def.Deadlines
	}
	if out.Events == nil {
		out.Events = def.Events
	}
	return out, nil
}

// remindDeadline sets a deadline's reminders for the case's lead attorney
// and case manager: one at each offset before the period ends that is
// still ahead.
func (f *Firm) remindDeadline(ctx context.Context, tx storage.Tx, o *op, c *cases.Case, d *calendar.Deadline) error {
	if d.Status != calendar.Open {
		return nil
	}
	for _, u := range staff(c) {
		r, err := f.offsets(ctx, tx, u, c.ID)
		if err != nil {
			return err
		}
		for _, off := range r.Deadlines {
			due := d.DueAt.Add(-off)
			if due.Before(o.at) {
				continue
			}
			a := calendar.Alert{ID: calendar.AlertID(f.newID()), Case: c.ID, Kind: calendar.Reminder, Deadline: d.ID, Recipient: u, Due: due, Offset: off,
				Message: fmt.Sprintf("%s (%s) is due %s: %s", d.Title, c.Reference, d.Due, d.Citation), Status: calendar.Pending, Version: 1, Created: o.at, Updated: o.at}
			if err := tx.Alerts().Create(ctx, a); err != nil {
				return err
			}
		}
	}
	return nil
}

// remindEvent sets an event's reminders for its users.
func (f *Firm) remindEvent(ctx context.Context, tx storage.Tx, o *op, c *cases.Case, e *calendar.Event) error {
	if !e.Busy() || e.Status == calendar.Held {
		return nil
	}
	for _, a := range e.Attendees {
		if a.Kind != calendar.AttendeeUser {
			continue
		}
		r, err := f.offsets(ctx, tx, a.ID, c.ID)
		if err != nil {
			return err
		}
		for _, off := range r.Events {
			due := e.Start.Add(-off)
			if due.Before(o.at) {
				continue
			}
			al := calendar.Alert{ID: calendar.AlertID(f.newID()), Case: c.ID, Kind: calendar.Reminder, Event: e.ID, Recipient: a.ID, Due: due, Offset: off,
				Message: fmt.Sprintf("%s (%s) at %s", e.Title, c.Reference, e.Start.Format(time.RFC3339)), Status: calendar.Pending, Version: 1, Created: o.at, Updated: o.at}
			if err := tx.Alerts().Create(ctx, al); err != nil {
				return err
			}
		}
	}
	return nil
}

// staff returns a case's lead attorney and case manager, who are
// reminded of its deadlines.
func staff(c *cases.Case) []string {
	var out []string
	for _, u := range []string{c.LeadAttorney, c.CaseManager} {
		if u != "" && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// replanDeadlines sets the reminders of a case's open deadlines again,
// after its lead attorney or case manager changed: reminders go to whoever
// now holds the post (escalations already queued stay as they are).
func (f *Firm) replanDeadlines(ctx context.Context, tx storage.Tx, o *op, c *cases.Case) error {
	var open []calendar.Deadline
	err := eachPage(func(p storage.Page) (string, error) {
		items, next, err := tx.Deadlines().List(ctx, storage.DeadlineFilter{Case: c.ID, Status: calendar.Open}, p)
		open = append(open, items...)
		return next, err
	})
	if err != nil {
		return err
	}
	for i := range open {
		if err := f.cancelReminders(ctx, tx, o, storage.AlertFilter{Deadline: open[i].ID, Status: calendar.Pending}, "the case's staff changed"); err != nil {
			return err
		}
		if err := f.remindDeadline(ctx, tx, o, c, &open[i]); err != nil {
			return err
		}
	}
	return nil
}

// cancelReminders is cancelAlerts for reminders only.
func (f *Firm) cancelReminders(ctx context.Context, tx storage.Tx, o *op, filter storage.AlertFilter, reason string) error {
	return f.cancelWhere(ctx, tx, o, filter, reason, func(a *calendar.Alert) bool { return a.Kind == calendar.Reminder })
}

// cancelAlerts cancels the alerts matching filter, with the reason.
func (f *Firm) cancelAlerts(ctx context.Context, tx storage.Tx, o *op, filter storage.AlertFilter, reason string) error {
	return f.cancelWhere(ctx, tx, o, filter, reason, nil)
}

func (f *Firm) cancelWhere(ctx context.Context, tx storage.Tx, o *op, filter storage.AlertFilter, reason string, keep func(*calendar.Alert) bool) error {
	var pending []calendar.Alert
	err := eachPage(func(p storage.Page) (string, error) {
		items, next, err := tx.Alerts().List(ctx, filter, p)
		pending = append(pending, items...)
		return next, err
	})
	if err != nil {
		return err
	}
	for _, a := range pending {
		if keep != nil && !keep(&a) {
			continue
		}
		a.Status, a.LastError, a.Version, a.Updated = calendar.Cancelled, reason, a.Version+1, o.at
		if err := tx.Alerts().Update(ctx, a); err != nil {
			return stale("alert", err)
		}
	}
	return nil
}
