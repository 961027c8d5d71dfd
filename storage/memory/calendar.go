package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// calendarTables are the court calendar's records.
type calendarTables struct {
	courts    *table[calendar.Court]
	events    *table[calendar.Event]
	triggers  *table[calendar.Trigger]
	deadlines *table[calendar.Deadline]
	alerts    *table[calendar.Alert]
	reminders *table[calendar.Reminders]
}

func newCalendarTables() calendarTables {
	t := calendarTables{
		courts:    newTable("court", func(c *calendar.Court) string { return c.ID }),
		events:    newTable("event", func(e *calendar.Event) string { return string(e.ID) }),
		triggers:  newTable("trigger", func(t *calendar.Trigger) string { return string(t.ID) }),
		deadlines: newTable("deadline", func(d *calendar.Deadline) string { return string(d.ID) }),
		alerts:    newTable("alert", func(a *calendar.Alert) string { return string(a.ID) }),
		reminders: newTable("reminders", func(r *calendar.Reminders) string { return r.Scope }),
	}
	t.courts.version = func(c *calendar.Court) int64 { return c.Version }
	t.events.version = func(e *calendar.Event) int64 { return e.Version }
	t.triggers.version = func(t *calendar.Trigger) int64 { return t.Version }
	t.deadlines.version = func(d *calendar.Deadline) int64 { return d.Version }
	t.alerts.version = func(a *calendar.Alert) int64 { return a.Version }
	t.reminders.version = func(r *calendar.Reminders) int64 { return r.Version }
	return t
}

func (tx *txn) Courts() storage.Courts       { return courts{tx} }
func (tx *txn) Events() storage.Events       { return events{tx} }
func (tx *txn) Triggers() storage.Triggers   { return triggers{tx} }
func (tx *txn) Deadlines() storage.Deadlines { return deadlines{tx} }
func (tx *txn) Alerts() storage.Alerts       { return alerts{tx} }
func (tx *txn) Reminders() storage.Reminders { return reminders{tx} }

type courts struct{ tx *txn }

func (r courts) Get(ctx context.Context, id string) (calendar.Court, error) {
	if err := ctx.Err(); err != nil {
		return calendar.Court{}, err
	}
	return r.tx.s.courts.get(id)
}
func (r courts) Create(ctx context.Context, c calendar.Court) error {
	return r.tx.do(ctx, func() error { return r.tx.s.courts.create(r.tx, c) })
}
func (r courts) Update(ctx context.Context, c calendar.Court) error {
	return r.tx.do(ctx, func() error { return r.tx.s.courts.update(r.tx, c) })
}
func (r courts) List(ctx context.Context, p storage.Page) ([]calendar.Court, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	return r.tx.s.courts.list(p, nil)
}

// caseExists is the foreign key of records that belong to a case.
func (tx *txn) caseExists(kind, id string, c cases.ID) error {
	if !tx.s.cases.has(string(c)) {
		return fmt.Errorf("%s %s: case %s: %w", kind, id, c, storage.ErrNotFound)
	}
	return nil
}

type events struct{ tx *txn }

func (r events) Get(ctx context.Context, id calendar.EventID) (calendar.Event, error) {
	if err := ctx.Err(); err != nil {
		return calendar.Event{}, err
	}
	return r.tx.s.events.get(string(id))
}
func (r events) Create(ctx context.Context, e calendar.Event) error {
	return r.tx.do(ctx, func() error {
		if err := r.tx.caseExists("event", string(e.ID), e.Case); err != nil {
			return err
		}
		return r.tx.s.events.create(r.tx, e)
	})
}
func (r events) Update(ctx context.Context, e calendar.Event) error {
	return r.tx.do(ctx, func() error { return r.tx.s.events.update(r.tx, e) })
}
func (r events) List(ctx context.Context, f storage.EventFilter, p storage.Page) ([]calendar.Event, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	sc := r.tx.s.screenFor(f.Visible)
	return r.tx.s.events.list(p, func(e *calendar.Event) bool {
		return (f.Case == "" || e.Case == f.Case) &&
			(f.Attendee == "" || slices.ContainsFunc(e.Attendees, func(a calendar.Attendee) bool { return a.Key() == f.Attendee })) &&
			(f.From.IsZero() || e.End.After(f.From)) && (f.Until.IsZero() || e.Start.Before(f.Until)) &&
			(!f.Busy || e.Busy()) && r.tx.s.visibleCase(sc, string(e.Case))
	})
}

type triggers struct{ tx *txn }

func (r triggers) Get(ctx context.Context, id calendar.TriggerID) (calendar.Trigger, error) {
	if err := ctx.Err(); err != nil {
		return calendar.Trigger{}, err
	}
	return r.tx.s.triggers.get(string(id))
}
func (r triggers) Create(ctx context.Context, t calendar.Trigger) error {
	return r.tx.do(ctx, func() error {
		if err := r.tx.caseExists("trigger", string(t.ID), t.Case); err != nil {
			return err
		}
		return r.tx.s.triggers.create(r.tx, t)
	})
}
func (r triggers) Update(ctx context.Context, t calendar.Trigger) error {
	return r.tx.do(ctx, func() error { return r.tx.s.triggers.update(r.tx, t) })
}
func (r triggers) List(ctx context.Context, c cases.ID, p storage.Page) ([]calendar.Trigger, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	return r.tx.s.triggers.list(p, func(t *calendar.Trigger) bool { return t.Case == c })
}

type deadlines struct{ tx *txn }

func (r deadlines) Get(ctx context.Context, id calendar.DeadlineID) (calendar.Deadline, error) {
	if err := ctx.Err(); err != nil {
		return calendar.Deadline{}, err
	}
	return r.tx.s.deadlines.get(string(id))
}
func (r deadlines) Create(ctx context.Context, d calendar.Deadline) error {
	return r.tx.do(ctx, func() error {
		if err := r.tx.caseExists("deadline", string(d.ID), d.Case); err != nil {
			return err
		}
		return r.tx.s.deadlines.create(r.tx, d)
	})
}
func (r deadlines) Update(ctx context.Context, d calendar.Deadline) error {
	return r.tx.do(ctx, func() error { return r.tx.s.deadlines.update(r.tx, d) })
}
func (r deadlines) List(ctx context.Context, f storage.DeadlineFilter, p storage.Page) ([]calendar.Deadline, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	sc := r.tx.s.screenFor(f.Visible)
	return r.tx.s.deadlines.list(p, func(d *calendar.Deadline) bool {
		return (f.Case == "" || d.Case == f.Case) && (f.Trigger == "" || d.Trigger == f.Trigger) && (f.Court == "" || d.Court == f.Court) && (f.Status == "" || d.Status == f.Status) &&
			(f.DueBefore.IsZero() || d.DueAt.Before(f.DueBefore)) && (f.DueFrom.IsZero() || !d.DueAt.Before(f.DueFrom)) &&
			(!f.Unescalated || d.Escalated.IsZero()) && r.tx.s.visibleCase(sc, string(d.Case))
	})
}

type alerts struct{ tx *txn }

func (r alerts) Get(ctx context.Context, id calendar.AlertID) (calendar.Alert, error) {
	if err := ctx.Err(); err != nil {
		return calendar.Alert{}, err
	}
	return r.tx.s.alerts.get(string(id))
}
func (r alerts) Create(ctx context.Context, a calendar.Alert) error {
	return r.tx.do(ctx, func() error { return r.tx.s.alerts.create(r.tx, a) })
}
func (r alerts) Update(ctx context.Context, a calendar.Alert) error {
	return r.tx.do(ctx, func() error { return r.tx.s.alerts.update(r.tx, a) })
}
func (r alerts) List(ctx context.Context, f storage.AlertFilter, p storage.Page) ([]calendar.Alert, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	return r.tx.s.alerts.list(p, func(a *calendar.Alert) bool {
		return (f.Case == "" || a.Case == f.Case) && (f.Deadline == "" || a.Deadline == f.Deadline) && (f.Event == "" || a.Event == f.Event) &&
			(f.Recipient == "" || a.Recipient == f.Recipient) && (f.Status == "" || a.Status == f.Status)
	})
}

// Claim takes the write lock like every Update, so two claims never
// overlap.
func (r alerts) Claim(ctx context.Context, now time.Time, worker string, until time.Time, limit int) ([]calendar.Alert, error) {
	if limit <= 0 || limit > storage.MaxLimit {
		limit = storage.MaxLimit
	}
	var out []calendar.Alert
	err := r.tx.do(ctx, func() error {
		var due []*calendar.Alert
		for _, k := range r.tx.s.alerts.keys {
			a, _ := r.tx.s.alerts.peek(k)
			if a.Status == calendar.Pending && !a.Due.After(now) && (a.ClaimedBy == "" || !a.ClaimedUntil.After(now)) {
				due = append(due, a)
			}
		}
		slices.SortFunc(due, func(a, b *calendar.Alert) int { return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.ID, b.ID)) })
		for _, a := range due[:min(limit, len(due))] {
			c := clone(*a)
			c.ClaimedBy, c.ClaimedUntil, c.Attempts, c.Version, c.Updated = worker, until, c.Attempts+1, c.Version+1, now
			if err := r.tx.s.alerts.update(r.tx, c); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

type reminders struct{ tx *txn }

func (r reminders) Get(ctx context.Context, scope string) (calendar.Reminders, error) {
	if err := ctx.Err(); err != nil {
		return calendar.Reminders{}, err
	}
	return r.tx.s.reminders.get(scope)
}
func (r reminders) Put(ctx context.Context, rm calendar.Reminders) error {
	return r.tx.do(ctx, func() error {
		if rm.Version == 1 {
			return r.tx.s.reminders.create(r.tx, rm)
		}
		return r.tx.s.reminders.update(r.tx, rm)
	})
}
