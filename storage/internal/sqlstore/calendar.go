package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

var (
	courtsT    = newTable[courtRow]("courts", "court")
	eventsT    = newTable[eventRow]("events", "event")
	triggersT  = newTable[triggerRow]("triggers", "trigger")
	deadlinesT = newTable[deadlineRow]("deadlines", "deadline")
	alertsT    = newTable[alertRow]("alerts", "alert")
	remindersT = newTable[reminderRow]("reminders", "reminders")

	insertAttendee  = static("INSERT INTO event_attendees (event_id, attendee) VALUES (?, ?)")
	deleteAttendees = static("DELETE FROM event_attendees WHERE event_id = ?")
)

func (t *txn) Courts() storage.Courts       { return courts{t} }
func (t *txn) Events() storage.Events       { return events{t} }
func (t *txn) Triggers() storage.Triggers   { return triggers{t} }
func (t *txn) Deadlines() storage.Deadlines { return deadlines{t} }
func (t *txn) Alerts() storage.Alerts       { return alerts{t} }
func (t *txn) Reminders() storage.Reminders { return reminders{t} }

type courtRow struct {
	ID      string `db:"id"`
	Doc     string `db:"doc"`
	Version int64  `db:"version"`
	Created string `db:"created"`
	Updated string `db:"updated"`
}

func courtRowOf(c calendar.Court) courtRow {
	b, err := json.Marshal(c)
	if err != nil {
		panic(fmt.Sprintf("sqlstore: encoding a court: %v", err))
	}
	return courtRow{c.ID, string(b), c.Version, ts(c.Created), ts(c.Updated)}
}

func (r courtRow) court() (calendar.Court, error) {
	var c calendar.Court
	if err := json.Unmarshal([]byte(r.Doc), &c); err != nil {
		return c, fmt.Errorf("stored court: %w", err)
	}
	var d decoder
	c.Version, c.Created, c.Updated = r.Version, d.time(r.Created), d.time(r.Updated)
	return c, d.err
}

type courts struct{ t *txn }

func (r courts) Get(ctx context.Context, id string) (calendar.Court, error) {
	return getAs(ctx, r.t, courtsT, "id", id, courtRow.court)
}
func (r courts) Create(ctx context.Context, c calendar.Court) error {
	return createNew(ctx, r.t, courtsT, c.ID, c.Version, courtRowOf(c))
}
func (r courts) Update(ctx context.Context, c calendar.Court) error {
	return courtsT.update(ctx, r.t, c.ID, c.Version, courtRowOf(c))
}
func (r courts) List(ctx context.Context, p storage.Page) ([]calendar.Court, string, error) {
	return listAs(ctx, r.t, courtsT, filter{}, p, courtRow.court, func(c calendar.Court) string { return c.ID })
}

type eventRow struct {
	ID           string `db:"id"`
	Case         string `db:"case_id"`
	Kind         string `db:"kind"`
	Stage        string `db:"stage"`
	Title        string `db:"title"`
	Start        string `db:"start_at"`
	End          string `db:"end_at"`
	TimeZone     string `db:"time_zone"`
	Court        string `db:"court"`
	Location     string `db:"location"`
	Courtroom    string `db:"courtroom"`
	Attendees    string `db:"attendees"`
	Status       string `db:"status"`
	StatusReason string `db:"status_reason"`
	StatusBy     string `db:"status_by"`
	Notes        string `db:"notes"`
	Sequence     int    `db:"sequence"`
	Version      int64  `db:"version"`
	Created      string `db:"created"`
	Updated      string `db:"updated"`
}

func eventRowOf(e calendar.Event) eventRow {
	return eventRow{string(e.ID), string(e.Case), string(e.Kind), e.Stage, e.Title, ts(e.Start), ts(e.End), e.TimeZone, e.Court,
		e.Location, e.Courtroom, js(e.Attendees), string(e.Status), e.StatusReason, e.StatusBy, e.Notes, e.Sequence, e.Version,
		ts(e.Created), ts(e.Updated)}
}

func (r eventRow) event() (calendar.Event, error) {
	var d decoder
	e := calendar.Event{ID: calendar.EventID(r.ID), Case: cases.ID(r.Case), Kind: calendar.EventKind(r.Kind), Stage: r.Stage, Title: r.Title,
		Start: d.time(r.Start), End: d.time(r.End), TimeZone: r.TimeZone, Court: r.Court, Location: r.Location, Courtroom: r.Courtroom,
		Status: calendar.EventStatus(r.Status), StatusReason: r.StatusReason, StatusBy: r.StatusBy, Notes: r.Notes, Sequence: r.Sequence,
		Version: r.Version, Created: d.time(r.Created), Updated: d.time(r.Updated)}
	d.json(r.Attendees, &e.Attendees)
	return e, d.err
}

type events struct{ t *txn }

func (r events) Get(ctx context.Context, id calendar.EventID) (calendar.Event, error) {
	return getAs(ctx, r.t, eventsT, "id", string(id), eventRow.event)
}

func (r events) Create(ctx context.Context, e calendar.Event) error {
	if err := createNew(ctx, r.t, eventsT, string(e.ID), e.Version, eventRowOf(e)); err != nil {
		return err
	}
	return r.writeAttendees(ctx, &e)
}

func (r events) Update(ctx context.Context, e calendar.Event) error {
	if err := eventsT.update(ctx, r.t, string(e.ID), e.Version, eventRowOf(e)); err != nil {
		return err
	}
	if _, err := r.t.exec(ctx, deleteAttendees, string(e.ID)); err != nil {
		return err
	}
	return r.writeAttendees(ctx, &e)
}

func (r events) writeAttendees(ctx context.Context, e *calendar.Event) error {
	for _, a := range e.Attendees {
		if _, err := r.t.exec(ctx, insertAttendee, string(e.ID), a.Key()); err != nil {
			return fmt.Errorf("event %s attendee %s: %w", e.ID, a.Key(), err)
		}
	}
	return nil
}

func (r events) List(ctx context.Context, f storage.EventFilter, p storage.Page) ([]calendar.Event, string, error) {
	var q filter
	q.eq("case_id", string(f.Case))
	if f.Attendee != "" {
		q.where = append(q.where, "EXISTS (SELECT 1 FROM event_attendees ea WHERE ea.event_id = events.id AND ea.attendee = ?)")
		q.args = append(q.args, f.Attendee)
	}
	q.time("end_at", ">", f.From)
	q.time("start_at", "<", f.Until)
	if f.Busy {
		q.where, q.args = append(q.where, "status <> ?"), append(q.args, string(calendar.Vacated))
	}
	if f.Visible != nil {
		cond, args := r.t.s.d.visibleRef("events.case_id", f.Visible)
		q.where, q.args = append(q.where, cond), append(q.args, args...)
	}
	return listAs(ctx, r.t, eventsT, q, p, eventRow.event, func(e calendar.Event) string { return string(e.ID) })
}

type triggerRow struct {
	ID         string `db:"id"`
	Case       string `db:"case_id"`
	Event      string `db:"event"`
	Date       string `db:"date"`
	At         string `db:"at"`
	Service    string `db:"service"`
	Facts      string `db:"facts"`
	Judge      string `db:"judge"`
	Court      string `db:"court"`
	RuleSets   string `db:"rule_sets"`
	Note       string `db:"note"`
	RecordedBy string `db:"recorded_by"`
	Version    int64  `db:"version"`
	Created    string `db:"created"`
	Updated    string `db:"updated"`
	On         string `db:"event_id"`
}

func triggerRowOf(t calendar.Trigger) triggerRow {
	return triggerRow{string(t.ID), string(t.Case), t.Event, t.Date.String(), ts(t.At), string(t.Service), js(t.Facts), t.Judge, t.Court,
		js(t.RuleSets), t.Note, t.RecordedBy, t.Version, ts(t.Created), ts(t.Updated), string(t.On)}
}

func (r triggerRow) trigger() (calendar.Trigger, error) {
	var d decoder
	t := calendar.Trigger{ID: calendar.TriggerID(r.ID), Case: cases.ID(r.Case), Event: r.Event, On: calendar.EventID(r.On), Date: d.date(r.Date), At: d.time(r.At),
		Service: calendar.Service(r.Service), Judge: r.Judge, Court: r.Court, Note: r.Note, RecordedBy: r.RecordedBy,
		Version: r.Version, Created: d.time(r.Created), Updated: d.time(r.Updated)}
	d.json(r.Facts, &t.Facts)
	d.json(r.RuleSets, &t.RuleSets)
	return t, d.err
}

type triggers struct{ t *txn }

func (r triggers) Get(ctx context.Context, id calendar.TriggerID) (calendar.Trigger, error) {
	return getAs(ctx, r.t, triggersT, "id", string(id), triggerRow.trigger)
}
func (r triggers) Create(ctx context.Context, t calendar.Trigger) error {
	return createNew(ctx, r.t, triggersT, string(t.ID), t.Version, triggerRowOf(t))
}
func (r triggers) Update(ctx context.Context, t calendar.Trigger) error {
	return triggersT.update(ctx, r.t, string(t.ID), t.Version, triggerRowOf(t))
}
func (r triggers) List(ctx context.Context, c cases.ID, p storage.Page) ([]calendar.Trigger, string, error) {
	var q filter
	q.eq("case_id", string(c))
	return listAs(ctx, r.t, triggersT, q, p, triggerRow.trigger, func(t calendar.Trigger) string { return string(t.ID) })
}

type deadlineRow struct {
	ID          string `db:"id"`
	Case        string `db:"case_id"`
	Trigger     string `db:"trigger_id"`
	RuleSet     string `db:"rule_set"`
	Rule        string `db:"rule"`
	Title       string `db:"title"`
	Citation    string `db:"citation"`
	Court       string `db:"court"`
	Due         string `db:"due"`
	DueAt       string `db:"due_at"`
	Explanation string `db:"explanation"`
	Status      string `db:"status"`
	ResolvedBy  string `db:"resolved_by"`
	ResolvedAt  string `db:"resolved_at"`
	Reason      string `db:"reason"`
	Escalated   string `db:"escalated"`
	Sequence    int    `db:"sequence"`
	Version     int64  `db:"version"`
	Created     string `db:"created"`
	Updated     string `db:"updated"`
}

func deadlineRowOf(d calendar.Deadline) deadlineRow {
	expl, err := json.Marshal(d.Explanation)
	if err != nil {
		panic(fmt.Sprintf("sqlstore: encoding an explanation: %v", err))
	}
	return deadlineRow{string(d.ID), string(d.Case), string(d.Trigger), d.RuleSet, d.Rule, d.Title, d.Citation, d.Court, d.Due.String(),
		ts(d.DueAt), string(expl), string(d.Status), d.ResolvedBy, ts(d.ResolvedAt), d.Reason, ts(d.Escalated), d.Sequence, d.Version,
		ts(d.Created), ts(d.Updated)}
}

func (r deadlineRow) deadline() (calendar.Deadline, error) {
	var d decoder
	dl := calendar.Deadline{ID: calendar.DeadlineID(r.ID), Case: cases.ID(r.Case), Trigger: calendar.TriggerID(r.Trigger), RuleSet: r.RuleSet,
		Rule: r.Rule, Title: r.Title, Citation: r.Citation, Court: r.Court, Due: d.date(r.Due), DueAt: d.time(r.DueAt),
		Status: calendar.DeadlineStatus(r.Status), ResolvedBy: r.ResolvedBy, ResolvedAt: d.time(r.ResolvedAt), Reason: r.Reason,
		Escalated: d.time(r.Escalated), Sequence: r.Sequence, Version: r.Version, Created: d.time(r.Created), Updated: d.time(r.Updated)}
	if err := json.Unmarshal([]byte(r.Explanation), &dl.Explanation); err != nil && d.err == nil {
		d.err = fmt.Errorf("stored explanation: %w", err)
	}
	return dl, d.err
}

type deadlines struct{ t *txn }

func (r deadlines) Get(ctx context.Context, id calendar.DeadlineID) (calendar.Deadline, error) {
	return getAs(ctx, r.t, deadlinesT, "id", string(id), deadlineRow.deadline)
}
func (r deadlines) Create(ctx context.Context, d calendar.Deadline) error {
	return createNew(ctx, r.t, deadlinesT, string(d.ID), d.Version, deadlineRowOf(d))
}
func (r deadlines) Update(ctx context.Context, d calendar.Deadline) error {
	return deadlinesT.update(ctx, r.t, string(d.ID), d.Version, deadlineRowOf(d))
}
func (r deadlines) List(ctx context.Context, f storage.DeadlineFilter, p storage.Page) ([]calendar.Deadline, string, error) {
	var q filter
	q.eq("case_id", string(f.Case))
	q.eq("trigger_id", string(f.Trigger))
	q.eq("court", f.Court)
	q.eq("status", string(f.Status))
	q.time("due_at", "<", f.DueBefore)
	q.time("due_at", ">=", f.DueFrom)
	if f.Unescalated {
		q.where = append(q.where, "escalated = ''")
	}
	if f.Visible != nil {
		cond, args := r.t.s.d.visibleRef("deadlines.case_id", f.Visible)
		q.where, q.args = append(q.where, cond), append(q.args, args...)
	}
	return listAs(ctx, r.t, deadlinesT, q, p, deadlineRow.deadline, func(d calendar.Deadline) string { return string(d.ID) })
}

type alertRow struct {
	ID           string `db:"id"`
	Case         string `db:"case_id"`
	Kind         string `db:"kind"`
	Deadline     string `db:"deadline_id"`
	Event        string `db:"event_id"`
	Recipient    string `db:"recipient"`
	Due          string `db:"due"`
	Offset       int64  `db:"offset_ns"`
	Message      string `db:"message"`
	Status       string `db:"status"`
	ClaimedBy    string `db:"claimed_by"`
	ClaimedUntil string `db:"claimed_until"`
	Attempts     int    `db:"attempts"`
	LastError    string `db:"last_error"`
	DeliveredAt  string `db:"delivered_at"`
	Version      int64  `db:"version"`
	Created      string `db:"created"`
	Updated      string `db:"updated"`
}

func alertRowOf(a calendar.Alert) alertRow {
	return alertRow{string(a.ID), string(a.Case), string(a.Kind), string(a.Deadline), string(a.Event), a.Recipient, ts(a.Due),
		int64(a.Offset), a.Message, string(a.Status), a.ClaimedBy, ts(a.ClaimedUntil), a.Attempts, a.LastError, ts(a.DeliveredAt),
		a.Version, ts(a.Created), ts(a.Updated)}
}

func (r alertRow) alert() (calendar.Alert, error) {
	var d decoder
	a := calendar.Alert{ID: calendar.AlertID(r.ID), Case: cases.ID(r.Case), Kind: calendar.AlertKind(r.Kind), Deadline: calendar.DeadlineID(r.Deadline),
		Event: calendar.EventID(r.Event), Recipient: r.Recipient, Due: d.time(r.Due), Offset: time.Duration(r.Offset), Message: r.Message,
		Status: calendar.AlertStatus(r.Status), ClaimedBy: r.ClaimedBy, ClaimedUntil: d.time(r.ClaimedUntil), Attempts: r.Attempts,
		LastError: r.LastError, DeliveredAt: d.time(r.DeliveredAt), Version: r.Version, Created: d.time(r.Created), Updated: d.time(r.Updated)}
	return a, d.err
}

type alerts struct{ t *txn }

func (r alerts) Get(ctx context.Context, id calendar.AlertID) (calendar.Alert, error) {
	return getAs(ctx, r.t, alertsT, "id", string(id), alertRow.alert)
}
func (r alerts) Create(ctx context.Context, a calendar.Alert) error {
	return createNew(ctx, r.t, alertsT, string(a.ID), a.Version, alertRowOf(a))
}
func (r alerts) Update(ctx context.Context, a calendar.Alert) error {
	return alertsT.update(ctx, r.t, string(a.ID), a.Version, alertRowOf(a))
}
func (r alerts) List(ctx context.Context, f storage.AlertFilter, p storage.Page) ([]calendar.Alert, string, error) {
	var q filter
	q.eq("case_id", string(f.Case))
	q.eq("deadline_id", string(f.Deadline))
	q.eq("event_id", string(f.Event))
	q.eq("recipient", f.Recipient)
	q.eq("status", string(f.Status))
	return listAs(ctx, r.t, alertsT, q, p, alertRow.alert, func(a calendar.Alert) string { return string(a.ID) })
}

// Claim selects due alerts that nobody holds (in PostgreSQL skipping rows
// another transaction has locked) and marks them held, in one
// transaction, so two dispatchers never hold the same alert.
func (r alerts) Claim(ctx context.Context, now time.Time, worker string, until time.Time, limit int) ([]calendar.Alert, error) {
	if limit <= 0 || limit > storage.MaxLimit {
		limit = storage.MaxLimit
	}
	q := alertsT.selectSQL + fmt.Sprintf(" WHERE status = ? AND due <= ? AND (claimed_by = '' OR claimed_until <= ?) ORDER BY due, id LIMIT %d", limit) + r.t.s.d.SkipLocked
	var rows []alertRow
	if err := r.t.selectRows(ctx, &rows, q, string(calendar.Pending), ts(now), ts(now)); err != nil {
		return nil, fmt.Errorf("claiming alerts: %w", err)
	}
	out, err := convert("alert", rows, alertRow.alert)
	if err != nil {
		return nil, err
	}
	for i := range out {
		a := &out[i]
		a.ClaimedBy, a.ClaimedUntil, a.Attempts, a.Version, a.Updated = worker, until, a.Attempts+1, a.Version+1, now
		if err := alertsT.update(ctx, r.t, string(a.ID), a.Version, alertRowOf(*a)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type reminderRow struct {
	Scope     string `db:"scope"`
	Deadlines string `db:"deadlines"`
	Events    string `db:"events"`
	Version   int64  `db:"version"`
	Updated   string `db:"updated"`
}

func reminderRowOf(r calendar.Reminders) reminderRow {
	return reminderRow{r.Scope, js(r.Deadlines), js(r.Events), r.Version, ts(r.Updated)}
}

func (r reminderRow) reminders() (calendar.Reminders, error) {
	var d decoder
	out := calendar.Reminders{Scope: r.Scope, Version: r.Version, Updated: d.time(r.Updated)}
	d.json(r.Deadlines, &out.Deadlines)
	d.json(r.Events, &out.Events)
	return out, d.err
}

type reminders struct{ t *txn }

func (r reminders) Get(ctx context.Context, scope string) (calendar.Reminders, error) {
	return getAs(ctx, r.t, remindersT, "scope", scope, reminderRow.reminders)
}

func (r reminders) Put(ctx context.Context, rm calendar.Reminders) error {
	if rm.Version == 1 {
		return createNew(ctx, r.t, remindersT, rm.Scope, rm.Version, reminderRowOf(rm))
	}
	return remindersT.update(ctx, r.t, rm.Scope, rm.Version, reminderRowOf(rm))
}
