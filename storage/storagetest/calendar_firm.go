package storagetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// recorder is a Notifier that remembers every alert it was handed.
type recorder struct {
	mu   sync.Mutex
	sent []calendar.Alert
	fail error
}

func (r *recorder) Notify(_ context.Context, a calendar.Alert) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.sent = append(r.sent, a)
	return nil
}

func (r *recorder) ids() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, a := range r.sent {
		out = append(out, string(a.ID))
	}
	return out
}

// calendarFirm is a firm with a court, a case and its staff.
type calendarFirm struct {
	f            *docket.Firm
	clock        *Clock
	ctx          context.Context // the administrator, a partner, lead attorney of the case
	admin, alice access.User     // alice is the case manager
	c            cases.Case
}

func newCalendarFirm(t *testing.T, s storage.Store) *calendarFirm {
	t.Helper()
	clock := NewClock(time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC))
	f, ctx, admin := NewFirm(t, s, &docket.Options{Clock: clock.Now})
	alice, err := f.Users.Create(ctx, access.User{Name: "Alice Manager", Email: "alice@firm.test", Roles: []access.Role{access.CaseManager}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Calendar.PutCourt(ctx, calendar.Court{ID: "nysd", Name: "S.D.N.Y.", TimeZone: "America/New_York", Holidays: []string{"us-federal"},
		StateHolidays: nil, Cutoff: calendar.Midnight}); err != nil {
		t.Fatal(err)
	}
	client, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex Corporation"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Initech v. Globex", Client: client.ID, Court: "S.D.N.Y.",
		LeadAttorney: string(admin.ID), CaseManager: string(alice.ID)})
	if err != nil {
		t.Fatal(err)
	}
	return &calendarFirm{f: f, clock: clock, ctx: ctx, admin: admin, alice: alice, c: c}
}

// testCalendarDeadlines: a trigger recorded on a case generates its
// deadlines, each explaining itself; moving the trigger recomputes the
// open ones, returns old and new dates and leaves done ones alone, all
// audited.
func testCalendarDeadlines(t *testing.T, s storage.Store) {
	cf := newCalendarFirm(t, s)
	f, ctx := cf.f, cf.ctx
	// "Complaint served 2026-03-02 by mail": the answer runs 21 days from
	// service of the summons, which Rule 6(d) does not extend.
	tr, dls, err := f.Calendar.RecordTrigger(ctx, calendar.Trigger{Case: cf.c.ID, Event: "summons-served", Date: cases.MustDate("2026-03-02"),
		Service: calendar.ServiceMail, Court: "nysd", RuleSets: []string{"frcp"}})
	if err != nil {
		t.Fatal(err)
	}
	var answer calendar.Deadline
	for _, d := range dls {
		if d.Rule == "answer" {
			answer = d
		}
	}
	if answer.Due.String() != "2026-03-23" || answer.Citation != "Fed. R. Civ. P. 12(a)(1)(A)(i)" {
		t.Fatalf("answer: %s %s of %+v", answer.Due, answer.Citation, dls)
	}
	e := answer.Explanation
	if e.RuleSet != "frcp" || e.Version != "2016-12-01" || e.TriggerDate.String() != "2026-03-02" || e.Service != calendar.ServiceMail ||
		!strings.Contains(e.Count, "21 days after 2026-03-02") || !strings.Contains(e.Extension, "does not run from service") {
		t.Errorf("explanation: %+v", e)
	}
	if got := answer.DueAt.In(time.UTC).Format(time.RFC3339); got != "2026-03-24T04:00:00Z" {
		t.Errorf("due at %s, want midnight in New York", got)
	}

	// Interrogatories served by mail: 30 days and Rule 6(d)'s 3.
	tr2, dls2, err := f.Calendar.RecordTrigger(ctx, calendar.Trigger{Case: cf.c.ID, Event: "interrogatories-served", Date: cases.MustDate("2026-06-03"),
		Service: calendar.ServiceMail, Court: "nysd", RuleSets: []string{"frcp"}})
	if err != nil || len(dls2) != 1 {
		t.Fatalf("interrogatories: %v %+v", err, dls2)
	}
	// 30 days after Wed 3 Jun 2026 is Fri 3 Jul, Independence Day
	// observed: rolls to Mon 6 Jul; +3 = Thu 9 Jul.
	if got := dls2[0]; got.Due.String() != "2026-07-09" || len(got.Explanation.Rolls) != 3 || got.Explanation.Rolls[0].Reason != "2026-07-03 is Independence Day, observed" {
		t.Errorf("interrogatory answers: %s %+v", got.Due, got.Explanation)
	}

	// The clerk's office turns out to have been closed by a storm on 9 July:
	// recording it moves the open deadline due that day, and says so.
	court, err := f.Calendar.Court(ctx, "nysd")
	if err != nil {
		t.Fatal(err)
	}
	court.Closures = append(court.Closures, calendar.Closure{Date: cases.MustDate("2026-07-09"), Kind: calendar.ClosureInaccessible, Reason: "storm", Source: "Clerk's notice 26-7"})
	_, moves, err := f.Calendar.PutCourt(ctx, court)
	if err != nil {
		t.Fatal(err)
	}
	if len(moves) != 1 || moves[0].Deadline.ID != dls2[0].ID || moves[0].NewDue.String() != "2026-07-10" {
		t.Errorf("after the closure: %+v", moves)
	}
	// The answer is filed; then the summons turns out to have been served
	// a week later. Done deadlines stay; open ones move.
	if answer, err = f.Calendar.ResolveDeadline(ctx, answer.ID, answer.Version, calendar.Done, "answer filed, ECF 12"); err != nil {
		t.Fatal(err)
	}
	moved, changes, err := f.Calendar.MoveTrigger(ctx, tr.ID, tr.Version, cases.MustDate("2026-03-09"), time.Time{}, "proof of service shows 9 March")
	if err != nil {
		t.Fatal(err)
	}
	if moved.Date.String() != "2026-03-09" || moved.Version != 2 {
		t.Errorf("moved trigger: %+v", moved)
	}
	for _, ch := range changes {
		if ch.Deadline.ID == answer.ID {
			t.Errorf("the answer, done, was recomputed: %+v", ch)
		}
		if !ch.NewDue.After(ch.OldDue) || ch.NewDue != ch.OldDue.AddDays(7) && ch.NewDue.Weekday() != time.Monday {
			t.Errorf("%s: %s -> %s", ch.Deadline.Rule, ch.OldDue, ch.NewDue)
		}
	}
	if len(changes) != len(dls)-1 {
		t.Errorf("%d deadlines recomputed, want %d (all open ones)", len(changes), len(dls)-1)
	}
	still, err := f.Calendar.Deadline(ctx, answer.ID)
	if err != nil || still.Due.String() != "2026-03-23" || still.Status != calendar.Done {
		t.Errorf("the done answer after the move: %+v %v", still, err)
	}
	trail, err := f.Audit.List(ctx, docket.AuditFilter{Case: string(cf.c.ID)}, &docket.ListOptions{Limit: storage.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var recomputed, movedEntries int
	for _, e := range trail.Items {
		switch e.Action {
		case "deadline.recompute":
			recomputed++
		case "trigger.move":
			movedEntries++
		}
	}
	if recomputed != len(changes)+len(moves) || movedEntries != 1 {
		t.Errorf("audit: %d recomputations and %d moves, want %d and 1", recomputed, movedEntries, len(changes)+len(moves))
	}
	// A trigger naming an unknown rule set or court is refused, naming it.
	_, _, err = f.Calendar.RecordTrigger(ctx, calendar.Trigger{Case: cf.c.ID, Event: "judgment-entered", Date: cases.MustDate("2026-09-01"), Court: "nysd", RuleSets: []string{"frcp", "klingon"}})
	assertField(t, "an unknown rule set", err, "RuleSets[1]", docket.ErrInvalid)
	_, _, err = f.Calendar.RecordTrigger(ctx, calendar.Trigger{Case: cf.c.ID, Event: "judgment-entered", Date: cases.MustDate("2026-09-01"), Court: "atlantis", RuleSets: []string{"frcp"}})
	assertField(t, "an unknown court", err, "Court", docket.ErrInvalid)
	_ = tr2
}

// testCalendarDiary: double bookings are reported when an event is
// scheduled, a clash with a walled matter as secured; the earliest slot is
// found and applied, audited, and the attendees told.
func testCalendarDiary(t *testing.T, s storage.Store) {
	cf := newCalendarFirm(t, s)
	f, ctx := cf.f, cf.ctx
	// A second case, walled from Alice, where the partner is also busy.
	other, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Hooli"})
	if err != nil {
		t.Fatal(err)
	}
	walled, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Hooli v. Pied Piper", Client: other.ID, LeadAttorney: string(cf.admin.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{cf.alice.ID}, Cases: []string{string(walled.ID)}, Reason: "former employer", ApprovedBy: cf.admin.ID}); err != nil {
		t.Fatal(err)
	}
	ny, _ := time.LoadLocation("America/New_York")
	at := func(day, h int) time.Time { return time.Date(2026, 3, day, h, 0, 0, 0, ny) }
	partner := calendar.Attendee{Kind: calendar.AttendeeUser, ID: string(cf.admin.ID)}
	manager := calendar.Attendee{Kind: calendar.AttendeeUser, ID: string(cf.alice.ID)}
	hidden, _, err := f.Calendar.Schedule(ctx, calendar.Event{Case: walled.ID, Kind: calendar.Deposition, Title: "Deposition of the CEO", Start: at(10, 9), End: at(10, 13),
		TimeZone: "America/New_York", Location: "Hooli HQ", Attendees: []calendar.Attendee{partner}})
	if err != nil {
		t.Fatal(err)
	}
	actx := access.WithActor(context.Background(), cf.alice)
	hearing, clashes, err := f.Calendar.Schedule(actx, calendar.Event{Case: cf.c.ID, Kind: calendar.MotionHearing, Title: "Motion to dismiss", Start: at(10, 10), End: at(10, 11),
		TimeZone: "America/New_York", Court: "nysd", Courtroom: "11A", Attendees: []calendar.Attendee{partner, manager}})
	if err != nil {
		t.Fatal(err)
	}
	want := []calendar.DoubleBooking{{Resource: "user:" + string(cf.admin.ID), First: hearing.ID, Second: "", Start: at(10, 10).UTC(), End: at(10, 11).UTC(), Secured: true}}
	if d := cmp.Diff(want, clashes); d != "" {
		t.Errorf("the manager's view of the clash (-want +got):\n%s", d)
	}
	for _, c := range clashes {
		if c.First == hidden.ID || c.Second == hidden.ID {
			t.Errorf("the walled event's ID reached the walled user: %+v", c)
		}
	}
	all, err := f.Calendar.DoubleBookings(ctx, at(9, 0), at(12, 0))
	if err != nil || len(all) != 1 || all[0].Secured {
		t.Errorf("the partner sees the clash whole: %+v %v", all, err)
	}

	// The earliest slot for the hearing: the partner is at the deposition
	// until 13:00 (elsewhere, with a half-hour travel buffer).
	slot, ok, err := f.Calendar.FindSlot(actx, hearing.ID, docket.SlotOptions{Earliest: at(10, 8), Travel: 30 * time.Minute})
	if err != nil || !ok || !slot.Equal(at(10, 9)) {
		// 09:00-10:00 ends as the deposition starts? No: the deposition
		// runs 09:00-13:00, so the first free hour is 13:30-14:30.
		if !slot.Equal(at(10, 13).Add(30 * time.Minute)) {
			t.Errorf("slot %s %v %v, want 13:30", slot.In(ny), ok, err)
		}
	}
	// A new event is placed the same way, before it is scheduled.
	fresh := calendar.Event{Case: cf.c.ID, Kind: calendar.StatusConference, Title: "Status conference", Start: at(10, 10), End: at(10, 11),
		TimeZone: "America/New_York", Court: "nysd", Attendees: []calendar.Attendee{partner, manager}}
	if first, ok, err := f.Calendar.FindSlotFor(actx, fresh, docket.SlotOptions{Earliest: at(10, 8), Travel: 30 * time.Minute}); err != nil || !ok || !first.Equal(at(10, 13).Add(30*time.Minute)) {
		t.Errorf("a slot for a new event: %s %v %v", first.In(ny), ok, err)
	}
	got, err := f.Calendar.RescheduleEarliest(actx, hearing.ID, hearing.Version, docket.SlotOptions{Earliest: at(10, 8), Travel: 30 * time.Minute}, "the partner is at a deposition")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Start.Equal(at(10, 13).Add(30*time.Minute)) || got.Status != calendar.Moved || got.Sequence != hearing.Sequence+1 {
		t.Errorf("rescheduled: %s %s seq %d", got.Start.In(ny), got.Status, got.Sequence)
	}
	// Moving it back onto the deposition is refused, naming the busy
	// attendee but not the walled matter.
	_, err = f.Calendar.Reschedule(actx, got.ID, got.Version, at(10, 10), "try the morning")
	if !errors.Is(err, docket.ErrInvalid) || !strings.Contains(err.Error(), "a secured matter") || strings.Contains(err.Error(), string(hidden.ID)) {
		t.Errorf("rescheduling onto a hidden booking: %v", err)
	}
	// The attendees were told it moved.
	view(t, s, func(tx storage.Tx) error {
		items, _, err := tx.Alerts().List(context.Background(), storage.AlertFilter{Event: got.ID}, storage.Page{Limit: storage.MaxLimit})
		told := map[string]bool{}
		for _, a := range items {
			if a.Kind == calendar.Rescheduled {
				told[a.Recipient] = true
			}
		}
		if !told[string(cf.admin.ID)] || !told[string(cf.alice.ID)] {
			t.Errorf("rescheduled alerts: %+v", items)
		}
		return err
	})
	// A clash over a contact on a hidden matter is not reported at all:
	// it would tell when an outsider meets on matters the actor may not see.
	witness := calendar.Attendee{Kind: calendar.AttendeeContact, ID: string(other.ID)}
	if _, _, err := f.Calendar.Schedule(ctx, calendar.Event{Case: walled.ID, Kind: calendar.Mediation, Title: "Mediation", Start: at(12, 9), End: at(12, 12),
		TimeZone: "America/New_York", Location: "JAMS", Attendees: []calendar.Attendee{witness}}); err != nil {
		t.Fatal(err)
	}
	_, clashes, err = f.Calendar.Schedule(actx, calendar.Event{Case: cf.c.ID, Kind: calendar.ClientMeeting, Title: "Prep with Hooli's witness", Start: at(12, 10), End: at(12, 11),
		TimeZone: "America/New_York", Location: "office", Attendees: []calendar.Attendee{witness}})
	if err != nil || len(clashes) != 0 {
		t.Errorf("a clash over a contact on a hidden matter: %+v %v", clashes, err)
	}
	// The walled user lists no trace of the hidden deposition.
	page, err := f.Calendar.Events(actx, docket.EventFilter{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range page.Items {
		if e.ID == hidden.ID || e.Case == walled.ID {
			t.Errorf("the walled user lists %+v", e)
		}
	}
	if _, err := f.Calendar.Event(actx, hidden.ID); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the walled user reads the hidden event: %v", err)
	}
}

// testCalendarAlerts: reminders go out once, to the right people, with two
// dispatchers running at once and across a restart; an overdue deadline
// escalates to the lead attorney; a walled recipient gets nothing.
func testCalendarAlerts(t *testing.T, s storage.Store) {
	cf := newCalendarFirm(t, s)
	f, ctx := cf.f, cf.ctx
	// Alice wants one reminder, a day before; the firm's defaults serve
	// the partner (7 days, 2 days and 8 hours before).
	actx := access.WithActor(context.Background(), cf.alice)
	if _, err := f.Calendar.SetReminders(actx, calendar.Reminders{Scope: "user:" + string(cf.alice.ID), Deadlines: []time.Duration{24 * time.Hour}}); err != nil {
		t.Fatal(err)
	}
	_, dls, err := f.Calendar.RecordTrigger(ctx, calendar.Trigger{Case: cf.c.ID, Event: "interrogatories-served", Date: cases.MustDate("2026-03-02"),
		Service: calendar.ServiceElectronic, Court: "nysd", RuleSets: []string{"frcp"}})
	if err != nil || len(dls) != 1 {
		t.Fatalf("%v %+v", err, dls)
	}
	dl := dls[0] // due Wed 1 April 2026, midnight New York
	// A system user runs the dispatchers.
	sys, err := f.Users.Create(ctx, access.User{Name: "Dispatcher", Email: "dispatch@firm.test", Roles: []access.Role{access.Dispatcher}})
	if err != nil {
		t.Fatal(err)
	}
	sctx := access.WithActor(context.Background(), sys)
	rec := &recorder{}
	dispatchAll := func() {
		t.Helper()
		var wg sync.WaitGroup
		for _, w := range []string{"one", "two"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := f.Calendar.Dispatch(sctx, rec, &docket.DispatchOptions{Worker: w, Batch: 2}); err != nil {
					t.Errorf("dispatcher %s: %v", w, err)
				}
			}()
		}
		wg.Wait()
	}
	// Nothing is due yet.
	dispatchAll()
	if len(rec.ids()) != 0 {
		t.Fatalf("sent before anything was due: %v", rec.ids())
	}
	// Nine days before the deadline: the partner's 7-day reminder.
	cf.clock.Advance(dl.DueAt.Sub(cf.clock.Now()) - 6*24*time.Hour - time.Hour)
	dispatchAll()
	if got := rec.ids(); len(got) != 1 || rec.sent[0].Recipient != string(cf.admin.ID) || rec.sent[0].Offset != 7*24*time.Hour {
		t.Fatalf("seven days before: %+v", rec.sent)
	}
	// A dispatcher claims the next batch and dies: after the lease
	// another delivers them, once.
	cf.clock.Advance(6*24*time.Hour - time.Hour) // 2 h before the end: all but nothing else due
	update(t, s, func(tx storage.Tx) error {
		_, err := tx.Alerts().Claim(context.Background(), cf.clock.Now(), "crashed", cf.clock.Now().Add(5*time.Minute), 100)
		return err
	})
	dispatchAll()
	if n := len(rec.ids()); n != 1 {
		t.Fatalf("alerts held by a crashed dispatcher were sent before its lease lapsed: %d", n)
	}
	cf.clock.Advance(10 * time.Minute)
	for range 3 {
		dispatchAll()
	}
	byRecipient := map[string][]time.Duration{}
	seen := map[string]bool{}
	for _, a := range rec.sent {
		if seen[string(a.ID)] {
			t.Errorf("alert %s delivered twice", a.ID)
		}
		seen[string(a.ID)] = true
		byRecipient[a.Recipient] = append(byRecipient[a.Recipient], a.Offset)
	}
	for _, offs := range byRecipient {
		slices.Sort(offs)
	}
	wantOffsets := map[string][]time.Duration{
		string(cf.admin.ID): {8 * time.Hour, 2 * 24 * time.Hour, 7 * 24 * time.Hour},
		string(cf.alice.ID): {24 * time.Hour},
	}
	if d := cmp.Diff(wantOffsets, byRecipient); d != "" {
		t.Errorf("reminders delivered (-want +got):\n%s", d)
	}

	// The deadline passes undone: the next pass escalates it to the lead
	// attorney, once.
	cf.clock.Advance(3 * time.Hour)
	dispatchAll()
	dispatchAll()
	escalations := 0
	for _, a := range rec.sent {
		if a.Kind == calendar.Escalation {
			escalations++
			if a.Recipient != string(cf.admin.ID) || a.Deadline != dl.ID {
				t.Errorf("escalation: %+v", a)
			}
		}
	}
	if escalations != 1 {
		t.Errorf("%d escalations, want 1", escalations)
	}

	// A reminder for someone walled from the case since is cancelled, not
	// sent.
	ny, _ := time.LoadLocation("America/New_York")
	start := time.Date(2026, 4, 20, 10, 0, 0, 0, ny)
	if _, _, err := f.Calendar.Schedule(ctx, calendar.Event{Case: cf.c.ID, Kind: calendar.StatusConference, Title: "Status conference", Start: start, End: start.Add(time.Hour),
		TimeZone: "America/New_York", Court: "nysd", Attendees: []calendar.Attendee{{Kind: calendar.AttendeeUser, ID: string(cf.alice.ID)}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{cf.alice.ID}, Cases: []string{string(cf.c.ID)}, Reason: "conflict found late", ApprovedBy: cf.admin.ID}); err != nil {
		t.Fatal(err)
	}
	before := len(rec.ids())
	cf.clock.Advance(start.Sub(cf.clock.Now()))
	rep, err := f.Calendar.Dispatch(sctx, rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range rec.sent[before:] {
		if a.Recipient == string(cf.alice.ID) {
			t.Errorf("the walled user was sent %+v", a)
		}
	}
	if rep.Cancelled == 0 {
		t.Errorf("report %+v: the walled user's reminders should be cancelled", rep)
	}
	// A failing notifier leaves the alert pending, retried later.
	rec.fail = fmt.Errorf("smtp: 451 try again")
	if _, _, err := f.Calendar.Schedule(ctx, calendar.Event{Case: cf.c.ID, Kind: calendar.StatusConference, Title: "Second conference", Start: start.Add(48 * time.Hour), End: start.Add(49 * time.Hour),
		TimeZone: "America/New_York", Court: "nysd", Attendees: []calendar.Attendee{{Kind: calendar.AttendeeUser, ID: string(cf.admin.ID)}}}); err != nil {
		t.Fatal(err)
	}
	cf.clock.Advance(48 * time.Hour)
	rep, err = f.Calendar.Dispatch(sctx, rec, nil)
	if err != nil || rep.Failed == 0 {
		t.Errorf("a failing notifier: %+v %v", rep, err)
	}
	rec.fail = nil
	cf.clock.Advance(10 * time.Minute)
	rep, err = f.Calendar.Dispatch(sctx, rec, nil)
	if err != nil || rep.Delivered == 0 {
		t.Errorf("the retry: %+v %v", rep, err)
	}
}

// testCalendarICS: a case's calendar and a user's diary export as
// iCalendar with nothing from matters the reader may not see; a file
// imports into events once, however often it is imported; a bad file
// imports nothing.
func testCalendarICS(t *testing.T, s storage.Store) {
	cf := newCalendarFirm(t, s)
	f, ctx := cf.f, cf.ctx
	ny, _ := time.LoadLocation("America/New_York")
	start := time.Date(2026, 4, 6, 10, 0, 0, 0, ny)
	alice := calendar.Attendee{Kind: calendar.AttendeeUser, ID: string(cf.alice.ID)}
	hearing, _, err := f.Calendar.Schedule(ctx, calendar.Event{Case: cf.c.ID, Kind: calendar.MotionHearing, Title: "Motion to dismiss", Start: start, End: start.Add(time.Hour),
		TimeZone: "America/New_York", Court: "nysd", Attendees: []calendar.Attendee{alice}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Calendar.RecordTrigger(ctx, calendar.Trigger{Case: cf.c.ID, Event: "summons-served", Date: cases.MustDate("2026-03-02"), Court: "nysd", RuleSets: []string{"frcp"}}); err != nil {
		t.Fatal(err)
	}
	// A hidden matter Alice also attends, then is walled from.
	other, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Hooli"})
	walled, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Hooli v. Pied Piper", Client: other.ID, CaseManager: string(cf.alice.ID)})
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := f.Calendar.Schedule(ctx, calendar.Event{Case: walled.ID, Kind: calendar.Deposition, Title: "Deposition of the CEO", Start: start.Add(48 * time.Hour), End: start.Add(50 * time.Hour),
		TimeZone: "America/New_York", Attendees: []calendar.Attendee{alice}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{cf.alice.ID}, Cases: []string{string(walled.ID)}, Reason: "conflict found", ApprovedBy: cf.admin.ID}); err != nil {
		t.Fatal(err)
	}
	actx := access.WithActor(context.Background(), cf.alice)
	diary, err := f.Calendar.ExportUser(actx, cf.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	text := string(diary)
	if !strings.Contains(text, "UID:"+string(hearing.ID)+"@docket") || strings.Contains(text, string(secret.ID)) || strings.Contains(text, "Deposition of the CEO") || strings.Contains(text, walled.Reference) {
		t.Errorf("Alice's diary:\n%s", text)
	}
	if !strings.Contains(text, "Due: Answer") {
		t.Errorf("Alice's diary lacks the deadlines of the case she manages:\n%s", text)
	}
	if _, err := f.Calendar.ExportUser(actx, cf.admin.ID); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("Alice exports the partner's diary: %v", err)
	}
	if _, err := f.Calendar.ExportCase(actx, walled.ID); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("Alice exports the walled case: %v", err)
	}
	exported, err := f.Calendar.ExportCase(ctx, cf.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Into a second case: once, however often.
	second, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Initech v. Globex II", Client: cf.c.Client})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := f.Calendar.ImportICS(ctx, second.ID, strings.NewReader(string(exported)), calendar.ImportOptions{TimeZone: "America/New_York"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Imported) < 2 || len(rep.Skipped) != 0 {
		t.Fatalf("first import: %d imported, %d skipped", len(rep.Imported), len(rep.Skipped))
	}
	if got := rep.Imported[0]; !got.Start.Equal(hearing.Start) || !got.End.Equal(hearing.End) || got.Case != second.ID {
		t.Errorf("the hearing came back as %+v", got)
	}
	again, err := f.Calendar.ImportICS(ctx, second.ID, strings.NewReader(string(exported)), calendar.ImportOptions{TimeZone: "America/New_York"})
	if err != nil || len(again.Imported) != 0 || len(again.Skipped) != len(rep.Imported) {
		t.Errorf("second import: %+v %v", again, err)
	}
	before := auditCount(t, s)
	bad := strings.Replace(string(exported), "DTSTART;TZID=America/New_York:20260406T100000", "DTSTART;TZID=America/New_York:2026-04-06", 1)
	if _, err := f.Calendar.ImportICS(ctx, second.ID, strings.NewReader(bad), calendar.ImportOptions{TimeZone: "America/New_York"}); !errors.Is(err, docket.ErrInvalid) || !strings.Contains(err.Error(), "DTSTART") {
		t.Errorf("a bad file: %v", err)
	}
	if after := auditCount(t, s); after != before {
		t.Errorf("a refused import wrote %d audit entries", after-before)
	}
}

// testCalendarAmendedRules: moving a trigger across a rule's amendment
// vacates the deadlines of the rules that no longer govern it and creates
// those of the rules that now do (CCP 437c: 75/14/5 days before 2025,
// 81/20/11 from 2025).
func testCalendarAmendedRules(t *testing.T, s storage.Store) {
	cf := newCalendarFirm(t, s)
	f, ctx := cf.f, cf.ctx
	if _, _, err := f.Calendar.PutCourt(ctx, calendar.Court{ID: "ca-la", Name: "Los Angeles Superior Court", TimeZone: "America/Los_Angeles", Holidays: []string{"us-ca-judicial"}}); err != nil {
		t.Fatal(err)
	}
	tr, dls, err := f.Calendar.RecordTrigger(ctx, calendar.Trigger{Case: cf.c.ID, Event: "summary-judgment-hearing", Date: cases.MustDate("2025-03-10"), Court: "ca-la", RuleSets: []string{"ccp"}})
	if err != nil {
		t.Fatal(err)
	}
	rules := func(ds []calendar.Deadline) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Rule)
		}
		slices.Sort(out)
		return out
	}
	if d := cmp.Diff([]string{"summary-judgment-notice", "summary-judgment-opposition", "summary-judgment-reply"}, rules(dls)); d != "" {
		t.Fatalf("rules for a 2025 hearing (-want +got):\n%s", d)
	}
	_, changes, err := f.Calendar.MoveTrigger(ctx, tr.ID, tr.Version, cases.MustDate("2024-12-16"), time.Time{}, "the hearing was in fact set for 16 December 2024")
	if err != nil {
		t.Fatal(err)
	}
	var vacated, created []string
	for _, ch := range changes {
		switch {
		case ch.NewDue.IsZero():
			vacated = append(vacated, ch.Deadline.Rule)
			if ch.Deadline.Status != calendar.VacatedDeadline || !strings.Contains(ch.Deadline.Reason, "does not apply") {
				t.Errorf("vacated %+v", ch.Deadline)
			}
		case ch.OldDue.IsZero():
			created = append(created, ch.Deadline.Rule)
		default:
			t.Errorf("a deadline recomputed under a rule not in force: %+v", ch)
		}
	}
	slices.Sort(vacated)
	slices.Sort(created)
	if d := cmp.Diff([]string{"summary-judgment-notice", "summary-judgment-opposition", "summary-judgment-reply"}, vacated); d != "" {
		t.Errorf("vacated (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"summary-judgment-notice-75", "summary-judgment-opposition-14", "summary-judgment-reply-5"}, created); d != "" {
		t.Errorf("created (-want +got):\n%s", d)
	}
	// 75 days before Monday 16 December 2024 is Wednesday 2 October.
	for _, ch := range changes {
		if ch.Deadline.Rule == "summary-judgment-notice-75" && ch.NewDue.String() != "2024-10-02" {
			t.Errorf("notice under the old rule: %s, want 2024-10-02", ch.NewDue)
		}
	}
}

// slowNotifier takes step of the clock for each send (within the lease
// it was given), and runs during on its second send.
type slowNotifier struct {
	rec    *recorder
	clock  *Clock
	step   time.Duration
	during func()
	sends  int
}

func (n *slowNotifier) Notify(ctx context.Context, a calendar.Alert) error {
	n.sends++
	n.clock.Advance(n.step)
	if n.sends == 2 && n.during != nil {
		n.during()
	}
	return n.rec.Notify(ctx, a)
}

// testCalendarSlowDispatch: a dispatcher whose leases lapse while it sends
// loses the alerts it has not sent yet to another, which sends each once;
// an alert cancelled while claimed is not sent.
func testCalendarSlowDispatch(t *testing.T, s storage.Store) {
	cf := newCalendarFirm(t, s)
	f, ctx := cf.f, cf.ctx
	sys, err := f.Users.Create(ctx, access.User{Name: "Dispatcher", Email: "dispatch@firm.test", Roles: []access.Role{access.Dispatcher}})
	if err != nil {
		t.Fatal(err)
	}
	sctx := access.WithActor(context.Background(), sys)
	ny, _ := time.LoadLocation("America/New_York")
	for i := range 3 {
		start := time.Date(2026, 3, 10+i, 10, 0, 0, 0, ny)
		if _, _, err := f.Calendar.Schedule(ctx, calendar.Event{Case: cf.c.ID, Kind: calendar.StatusConference, Title: fmt.Sprintf("Conference %d", i), Start: start, End: start.Add(time.Hour),
			TimeZone: "America/New_York", Court: "nysd", Attendees: []calendar.Attendee{{Kind: calendar.AttendeeUser, ID: string(cf.admin.ID)}}}); err != nil {
			t.Fatal(err)
		}
	}
	cf.clock.Advance(12 * 24 * time.Hour) // every reminder is due
	rec := &recorder{}
	var second DispatchTally
	// Each send takes 4 minutes of a 5-minute lease: by the second send
	// the claims on the rest of the first dispatcher's batch have lapsed,
	// and a second dispatcher takes them over.
	slow := &slowNotifier{rec: rec, clock: cf.clock, step: 4 * time.Minute, during: func() {
		rep, err := f.Calendar.Dispatch(sctx, rec, &docket.DispatchOptions{Worker: "second", Lease: 5 * time.Minute})
		if err != nil {
			t.Errorf("the second dispatcher: %v", err)
		}
		second = DispatchTally(rep)
	}}
	first, err := f.Calendar.Dispatch(sctx, slow, &docket.DispatchOptions{Worker: "first", Lease: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, id := range rec.ids() {
		seen[id]++
		if seen[id] > 1 {
			t.Errorf("alert %s sent twice", id)
		}
	}
	if first.Delivered+second.Delivered != len(seen) || first.Lost == 0 || len(seen) != 6 {
		t.Errorf("first %+v, second %+v, %d alerts sent; want 6 sent once each, some lost by the first", first, second, len(seen))
	}

	// A deadline resolved while its reminders are claimed: none is sent.
	_, dls, err := f.Calendar.RecordTrigger(ctx, calendar.Trigger{Case: cf.c.ID, Event: "interrogatories-served", Date: calendar.DateOf(cf.clock.Now()), Court: "nysd", RuleSets: []string{"frcp"}})
	if err != nil || len(dls) != 1 {
		t.Fatalf("%v %+v", err, dls)
	}
	cf.clock.Advance(dls[0].DueAt.Sub(cf.clock.Now()) - time.Hour) // all of them due
	before := len(rec.ids())
	resolve := &slowNotifier{rec: rec, clock: cf.clock, during: func() {
		if _, err := f.Calendar.ResolveDeadline(ctx, dls[0].ID, dls[0].Version, calendar.Done, "answered early"); err != nil {
			t.Errorf("resolving: %v", err)
		}
	}}
	if _, err := f.Calendar.Dispatch(sctx, resolve, &docket.DispatchOptions{Worker: "third"}); err != nil {
		t.Fatal(err)
	}
	// Six reminders were due (three offsets each for the partner and the
	// case manager); the deadline was resolved during the second send.
	if sent := len(rec.ids()) - before; sent != 2 {
		t.Errorf("%d reminders sent for a deadline resolved while they were claimed, want the 2 sent or being sent before", sent)
	}
}

// DispatchTally is a DispatchReport, kept by a test.
type DispatchTally docket.DispatchReport

// testCalendarReplan: reminders follow the people: a new lead attorney is
// reminded of the case's open deadlines instead of the old, and an event's
// reminders follow its attendees.
func testCalendarReplan(t *testing.T, s storage.Store) {
	cf := newCalendarFirm(t, s)
	f, ctx := cf.f, cf.ctx
	bob, err := f.Users.Create(ctx, access.User{Name: "Bob Attorney", Email: "bob@firm.test", Roles: []access.Role{access.Attorney}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Calendar.RecordTrigger(ctx, calendar.Trigger{Case: cf.c.ID, Event: "interrogatories-served", Date: cases.MustDate("2026-03-02"), Court: "nysd", RuleSets: []string{"frcp"}}); err != nil {
		t.Fatal(err)
	}
	pendingFor := func(filter storage.AlertFilter) map[string]int {
		out := map[string]int{}
		view(t, s, func(tx storage.Tx) error {
			filter.Status = calendar.Pending
			items, _, err := tx.Alerts().List(context.Background(), filter, storage.Page{Limit: storage.MaxLimit})
			for _, a := range items {
				out[a.Recipient]++
			}
			return err
		})
		return out
	}
	before := pendingFor(storage.AlertFilter{Case: cf.c.ID})
	if before[string(cf.admin.ID)] == 0 || before[string(bob.ID)] != 0 {
		t.Fatalf("reminders before the change: %v", before)
	}
	c, err := f.Cases.Get(ctx, cf.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.LeadAttorney = string(bob.ID)
	if _, err := f.Cases.Update(ctx, c); err != nil {
		t.Fatal(err)
	}
	after := pendingFor(storage.AlertFilter{Case: cf.c.ID})
	if after[string(cf.admin.ID)] != 0 || after[string(bob.ID)] != before[string(cf.admin.ID)] || after[string(cf.alice.ID)] != before[string(cf.alice.ID)] {
		t.Errorf("reminders after the lead changed: %v (before %v)", after, before)
	}
	// A new judge with an earlier filing cutoff: the open deadlines end at it.
	court, err := f.Calendar.Court(ctx, "nysd")
	if err != nil {
		t.Fatal(err)
	}
	court.JudgeCutoffs = map[string]calendar.Clock{"Hon. Early": 12 * 60}
	if _, _, err := f.Calendar.PutCourt(ctx, court); err != nil {
		t.Fatal(err)
	}
	if c, err = f.Cases.Get(ctx, cf.c.ID); err != nil {
		t.Fatal(err)
	}
	c.Judge = "Hon. Early"
	if _, err := f.Cases.Update(ctx, c); err != nil {
		t.Fatal(err)
	}
	page, err := f.Calendar.Deadlines(ctx, docket.DeadlineFilter{Case: cf.c.ID, Status: calendar.Open}, nil)
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("%v %d", err, len(page.Items))
	}
	ny, _ := time.LoadLocation("America/New_York")
	for _, d := range page.Items {
		if h := d.DueAt.In(ny).Hour(); h != 12 {
			t.Errorf("%s ends at %s, want the new judge's noon cutoff", d.Rule, d.DueAt.In(ny))
		}
	}
	start := time.Date(2026, 4, 20, 10, 0, 0, 0, ny)
	e, _, err := f.Calendar.Schedule(ctx, calendar.Event{Case: cf.c.ID, Kind: calendar.StatusConference, Title: "Status conference", Start: start, End: start.Add(time.Hour),
		TimeZone: "America/New_York", Court: "nysd", Attendees: []calendar.Attendee{{Kind: calendar.AttendeeUser, ID: string(cf.alice.ID)}}})
	if err != nil {
		t.Fatal(err)
	}
	e.Attendees = []calendar.Attendee{{Kind: calendar.AttendeeUser, ID: string(bob.ID)}}
	if _, _, err := f.Calendar.UpdateEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	if got := pendingFor(storage.AlertFilter{Event: e.ID}); got[string(cf.alice.ID)] != 0 || got[string(bob.ID)] == 0 {
		t.Errorf("event reminders after the attendees changed: %v", got)
	}
}

// testCalendarFollowEvent: a trigger that is a hearing moves with it:
// rescheduling the sentencing moves the presentence-report deadlines
// counted back from it (FRCrP 32(e)(2), 32(g)).
func testCalendarFollowEvent(t *testing.T, s storage.Store) {
	cf := newCalendarFirm(t, s)
	f, ctx := cf.f, cf.ctx
	ny, _ := time.LoadLocation("America/New_York")
	start := time.Date(2026, 6, 10, 10, 0, 0, 0, ny) // a Wednesday
	sentencing, _, err := f.Calendar.Schedule(ctx, calendar.Event{Case: cf.c.ID, Kind: calendar.Sentencing, Title: "Sentencing", Start: start, End: start.Add(time.Hour),
		TimeZone: "America/New_York", Court: "nysd", Attendees: []calendar.Attendee{{Kind: calendar.AttendeeUser, ID: string(cf.admin.ID)}}})
	if err != nil {
		t.Fatal(err)
	}
	tr, dls, err := f.Calendar.RecordTrigger(ctx, calendar.Trigger{Case: cf.c.ID, Event: "sentencing", On: sentencing.ID, Court: "nysd", RuleSets: []string{"frcrp"}})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Date.String() != "2026-06-10" || len(dls) != 2 {
		t.Fatalf("trigger %s, deadlines %+v", tr.Date, dls)
	}
	due := map[string]string{}
	for _, d := range dls {
		due[d.Rule] = d.Due.String()
	}
	// 35 days before Wed 10 June is Wed 6 May; 7 days before is Wed 3 June.
	if due["presentence-report-disclosure"] != "2026-05-06" || due["presentence-report-addendum"] != "2026-06-03" {
		t.Errorf("before the move: %v", due)
	}
	if _, err := f.Calendar.Reschedule(ctx, sentencing.ID, sentencing.Version, start.Add(14*24*time.Hour), "defence counsel's trial conflict"); err != nil {
		t.Fatal(err)
	}
	page, err := f.Calendar.Deadlines(ctx, docket.DeadlineFilter{Trigger: tr.ID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range page.Items {
		due[d.Rule] = d.Due.String()
	}
	if due["presentence-report-disclosure"] != "2026-05-20" || due["presentence-report-addendum"] != "2026-06-17" {
		t.Errorf("after the sentencing moved two weeks: %v", due)
	}
	moved, err := f.Calendar.Deadline(ctx, page.Items[0].ID)
	if err != nil || moved.Sequence == 0 || !strings.Contains(moved.Explanation.TriggerDate.String(), "2026-06-24") {
		t.Errorf("moved deadline: %+v %v", moved.Explanation, err)
	}
	_, _, err = f.Calendar.RecordTrigger(ctx, calendar.Trigger{Case: cf.c.ID, Event: "sentencing", On: "no-such-event", Court: "nysd", RuleSets: []string{"frcrp"}})
	assertField(t, "a trigger on a missing event", err, "On", docket.ErrInvalid)
}

// testCalendarEscalationFallback: an overdue deadline whose lead attorney
// may no longer see the case escalates to its case manager; an alert
// that keeps failing is given up after docket.MaxAttempts tries.
func testCalendarEscalationFallback(t *testing.T, s storage.Store) {
	cf := newCalendarFirm(t, s)
	f, ctx := cf.f, cf.ctx
	lead, err := f.Users.Create(ctx, access.User{Name: "Lee Lead", Email: "lee@firm.test", Roles: []access.Role{access.Attorney}})
	if err != nil {
		t.Fatal(err)
	}
	sys, err := f.Users.Create(ctx, access.User{Name: "Dispatcher", Email: "d@firm.test", Roles: []access.Role{access.Dispatcher}})
	if err != nil {
		t.Fatal(err)
	}
	sctx := access.WithActor(context.Background(), sys)
	c, err := f.Cases.Get(ctx, cf.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.LeadAttorney = string(lead.ID)
	if _, err := f.Cases.Update(ctx, c); err != nil {
		t.Fatal(err)
	}
	d, err := f.Calendar.AddDeadline(ctx, calendar.Deadline{Case: c.ID, Title: "Joint status letter", Citation: "Order, ECF 9", Court: "nysd", Due: cases.MustDate("2026-03-05")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{lead.ID}, Cases: []string{string(c.ID)}, Reason: "conflict found", ApprovedBy: cf.admin.ID}); err != nil {
		t.Fatal(err)
	}
	cf.clock.Advance(d.DueAt.Sub(cf.clock.Now()) + time.Hour)
	rec := &recorder{}
	if _, err := f.Calendar.Dispatch(sctx, rec, nil); err != nil {
		t.Fatal(err)
	}
	var esc []calendar.Alert
	for _, a := range rec.sent {
		if a.Kind == calendar.Escalation {
			esc = append(esc, a)
		}
		if a.Recipient == string(lead.ID) {
			t.Errorf("the walled lead was sent %+v", a)
		}
	}
	if len(esc) != 1 || esc[0].Recipient != string(cf.alice.ID) {
		t.Errorf("escalations: %+v, want one to the case manager", esc)
	}
	// A notifier that always fails: the alert is tried MaxAttempts times.
	failing := &recorder{fail: fmt.Errorf("gateway down")}
	start := cf.clock.Now().Add(48 * time.Hour)
	if _, _, err := f.Calendar.Schedule(ctx, calendar.Event{Case: c.ID, Kind: calendar.StatusConference, Title: "Conference", Start: start, End: start.Add(time.Hour),
		TimeZone: "America/New_York", Court: "nysd", Attendees: []calendar.Attendee{{Kind: calendar.AttendeeUser, ID: string(cf.alice.ID)}}}); err != nil {
		t.Fatal(err)
	}
	cf.clock.Advance(24*time.Hour + time.Minute)
	cancelled := 0
	for range docket.MaxAttempts + 2 {
		rep, err := f.Calendar.Dispatch(sctx, failing, &docket.DispatchOptions{Retry: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		cancelled += rep.Cancelled
		cf.clock.Advance(2 * time.Minute)
	}
	if cancelled != 1 {
		t.Errorf("%d alerts given up, want the one that kept failing", cancelled)
	}
}
