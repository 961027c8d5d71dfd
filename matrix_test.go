package docket_test

import (
	"context"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/access/accesstest"
	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/memory"
	"github.com/docketkit/docket/storage/storagetest"
)

// countingStore counts the transactions run on a Store.
type countingStore struct {
	storage.Store
	n atomic.Int64
}

func (s *countingStore) Update(ctx context.Context, fn func(storage.Tx) error) error {
	s.n.Add(1)
	return s.Store.Update(ctx, fn)
}

func (s *countingStore) View(ctx context.Context, fn func(storage.Tx) error) error {
	s.n.Add(1)
	return s.Store.View(ctx, fn)
}

// matrixFixture is one firm: a restricted case T with a team, and for
// every role three users: on T's team (for the client role: T's client),
// not on it, and walled from T.
type matrixFixture struct {
	firm    *docket.Firm
	store   *countingStore
	t       cases.Case
	party   cases.Party
	intake  cases.Intake
	check   cases.ConflictCheck
	wall    access.Wall // a wall that names none of the matrix's users
	event   calendar.Event
	trigger calendar.Trigger
	dl      calendar.Deadline
	doc     document.Document      // on T, shared with the client
	hold    document.Hold          // on T
	msg     correspondence.Message // on T, inbound from its client
	users   map[string]access.User // "role/membership"
	model   accesstest.Firm
	facts   access.CaseFacts // T's
	client  access.CaseFacts // T's client's, for records of the client outside any case
	adminID access.UserID
}

// memberships: on T's team, off it, screened from T by a wall on the
// case, and screened by a wall on T's client (which covers every record
// of the client, T's intake included).
var memberships = []string{"member", "non-member", "walled", "client-walled"}

func newMatrixFixture(t *testing.T) *matrixFixture {
	t.Helper()
	store := &countingStore{Store: memory.New()}
	f, ctx, admin := storagetest.NewFirm(t, store, &docket.Options{PolicyRecheck: -1})
	fx := &matrixFixture{firm: f, store: store, users: map[string]access.User{}, adminID: admin.ID}
	client, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex Corporation"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Hooli Inc"})
	table := access.DefaultRoleTable()
	for _, role := range table.Roles() {
		for _, m := range memberships {
			u := access.User{Name: string(role) + " " + m, Email: "u@firm.test", Roles: []access.Role{role}}
			if role == access.ClientUser {
				u.Contact = string(other.ID)
				if m != "non-member" {
					u.Contact = string(client.ID)
				}
			}
			if u, err = f.Users.Create(ctx, u); err != nil {
				t.Fatal(err)
			}
			fx.users[string(role)+"/"+m] = u
		}
	}
	team := []cases.TeamMember{{User: string(admin.ID), Role: "supervising partner"}}
	for _, role := range table.Roles() {
		team = append(team, cases.TeamMember{User: string(fx.users[string(role)+"/member"].ID), Role: "member"})
	}
	if fx.intake, err = f.Intake.Take(ctx, cases.Intake{Prospect: client.ID, Source: "referral"}); err != nil {
		t.Fatal(err)
	}
	if fx.check, err = f.Conflicts.Run(ctx, fx.intake.ID); err != nil {
		t.Fatal(err)
	}
	if fx.t, err = f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: client.ID, Restricted: true, Team: team, Intake: fx.intake.ID}); err != nil {
		t.Fatal(err)
	}
	if fx.party, err = f.Cases.AddParty(ctx, cases.Party{Case: fx.t.ID, Contact: other.ID, Role: cases.RoleWitness}); err != nil {
		t.Fatal(err)
	}
	var walled, clientWalled []access.UserID
	for _, role := range table.Roles() {
		walled = append(walled, fx.users[string(role)+"/walled"].ID)
		clientWalled = append(clientWalled, fx.users[string(role)+"/client-walled"].ID)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: walled, Cases: []string{string(fx.t.ID)}, Reason: "screened", ApprovedBy: admin.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: clientWalled, Clients: []string{string(client.ID)}, Reason: "lateral hires", ApprovedBy: admin.ID}); err != nil {
		t.Fatal(err)
	}
	// A wall around T that screens someone else: only those who may see T
	// may see it.
	bystander, err := f.Users.Create(ctx, access.User{Name: "Bea Bystander", Email: "bea@firm.test", Roles: []access.Role{access.Attorney}})
	if err != nil {
		t.Fatal(err)
	}
	if fx.wall, err = f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{bystander.ID}, Cases: []string{string(fx.t.ID)}, Reason: "screened", ApprovedBy: admin.ID}); err != nil {
		t.Fatal(err)
	}
	// T's calendar: a court, a hearing, a trigger and its deadlines.
	if _, _, err := f.Calendar.PutCourt(ctx, calendar.Court{ID: "nysd", Name: "S.D.N.Y.", TimeZone: "America/New_York", Holidays: []string{"us-federal"}}); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 4, 6, 14, 0, 0, 0, time.UTC)
	if fx.event, _, err = f.Calendar.Schedule(ctx, calendar.Event{Case: fx.t.ID, Kind: calendar.MotionHearing, Title: "Motion to dismiss", Start: start, End: start.Add(time.Hour),
		TimeZone: "America/New_York", Court: "nysd", Attendees: []calendar.Attendee{{Kind: calendar.AttendeeUser, ID: string(admin.ID)}}}); err != nil {
		t.Fatal(err)
	}
	var dls []calendar.Deadline
	if fx.trigger, dls, err = f.Calendar.RecordTrigger(ctx, calendar.Trigger{Case: fx.t.ID, Event: "summons-served", Date: cases.MustDate("2026-03-02"), Court: "nysd", RuleSets: []string{"frcp"}}); err != nil || len(dls) == 0 {
		t.Fatalf("trigger: %v, %d deadlines", err, len(dls))
	}
	fx.dl = dls[0]
	// T's documents: one shared with the client, and a hold on the case.
	partner := access.WithActor(context.Background(), fx.users["partner/member"])
	if fx.doc, _, err = f.Documents.Create(partner, document.Document{Case: fx.t.ID, Title: "Complaint", Kind: document.Pleading, Shared: true},
		docket.Content{Body: strings.NewReader("COMPLAINT"), MediaType: "text/plain"}); err != nil {
		t.Fatal(err)
	}
	if fx.hold, err = f.Documents.PlaceHold(partner, document.Hold{Case: fx.t.ID, Matter: "SEC inquiry", Reason: "subpoena"}); err != nil {
		t.Fatal(err)
	}
	if fx.msg, err = f.Correspondence.Record(partner, correspondence.Message{Case: fx.t.ID, Channel: correspondence.Call, Direction: correspondence.Inbound,
		At: time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC), Subject: "Settlement", Participants: []correspondence.Participant{{Role: correspondence.From, Contact: client.ID}}}); err != nil {
		t.Fatal(err)
	}
	// The reference model of the same firm decides every cell.
	fx.model = accesstest.Firm{Table: table}
	for _, u := range fx.users {
		fx.model.Users = append(fx.model.Users, u.Member())
	}
	fx.model.Walls = []access.Wall{{ID: "w", Users: walled, Cases: []string{string(fx.t.ID)}}, {ID: "wc", Users: clientWalled, Clients: []string{string(client.ID)}}}
	fx.client = access.CaseFacts{Client: string(client.ID)}
	fx.facts = access.CaseFacts{ID: string(fx.t.ID), Client: string(client.ID), Restricted: true, Team: map[access.UserID]string{}}
	for _, m := range team {
		fx.facts.Team[access.UserID(m.User)] = m.Role
	}
	return fx
}

// matrixRow calls one Firm method as an actor. Writes are given input that
// fails after authorization (a stale version, an invalid field), so every
// cell leaves the firm as it was.
type matrixRow struct {
	action access.Action // "" for a method that needs no actor
	on     scope         // what the row is decided on
	call   func(ctx context.Context, fx *matrixFixture) error
}

// scope is what a matrix row's call is decided on.
type scope int

const (
	firmWide scope = iota // roles alone
	onCase                // case T
	onClient              // T's client, outside any case
)

func matrixRows() map[string]matrixRow {
	stale := int64(999)
	return map[string]matrixRow{
		"Users.Bootstrap": {"", firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Users.Bootstrap(ctx, access.User{Name: "X", Email: "x@firm.test"})
			return err
		}},
		"Users.Create": {access.AccessAdmin, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Users.Create(ctx, access.User{Name: "X", Email: "not an email"})
			return err
		}},
		"Users.Get": {access.UserRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Users.Get(ctx, fx.adminID)
			return err
		}},
		"Users.Update": {access.AccessAdmin, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Users.Update(ctx, access.User{ID: fx.adminID, Name: "X", Email: "x@firm.test", Version: stale})
			return err
		}},
		"Users.List": {access.UserRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Users.List(ctx, nil)
			return err
		}},
		"Contacts.Create": {access.ContactWrite, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Contacts.Create(ctx, cases.Contact{Kind: "robot", Name: "X"})
			return err
		}},
		"Contacts.Get": {access.ContactRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Contacts.Get(ctx, fx.t.Client)
			return err
		}},
		"Contacts.Update": {access.ContactWrite, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Contacts.Update(ctx, cases.Contact{ID: fx.t.Client, Kind: cases.Organization, Name: "X", Version: stale})
			return err
		}},
		"Contacts.List": {access.ContactRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Contacts.List(ctx, docket.ContactFilter{}, nil)
			return err
		}},
		"Intake.Take": {access.IntakeWrite, onClient, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Intake.Take(ctx, cases.Intake{Prospect: fx.t.Client})
			return err
		}},
		"Intake.Get": {access.IntakeRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Intake.Get(ctx, fx.intake.ID)
			return err
		}},
		// The intake became case T: it is part of its record.
		"Intake.Update": {access.IntakeWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			in := fx.intake
			in.Version = stale
			_, err := fx.firm.Intake.Update(ctx, in)
			return err
		}},
		"Intake.List": {access.IntakeRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Intake.List(ctx, docket.IntakeFilter{}, nil)
			return err
		}},
		"Intake.RecordMeeting": {access.IntakeWrite, onClient, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Intake.RecordMeeting(ctx, cases.Meeting{Contact: fx.t.Client})
			return err
		}},
		"Intake.Meetings": {access.IntakeRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Intake.Meetings(ctx, docket.MeetingFilter{}, nil)
			return err
		}},
		"Conflicts.Run": {access.ConflictRun, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Conflicts.Run(ctx, fx.intake.ID) // the intake is accepted: refused after the check
			return err
		}},
		"Conflicts.Check": {access.ConflictRun, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Conflicts.Check(ctx, nil)
			return err
		}},
		// The check's intake became case T: the check is part of its record.
		"Conflicts.Get": {access.ConflictRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Conflicts.Get(ctx, fx.check.ID)
			return err
		}},
		"Conflicts.Decide": {access.ConflictDecide, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Conflicts.Decide(ctx, fx.check.ID, stale, cases.Cleared, "", "clear")
			return err
		}},
		"Cases.Open": {access.CaseCreate, onClient, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Client: fx.t.Client})
			return err
		}},
		"Cases.Get": {access.CaseRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Cases.Get(ctx, fx.t.ID)
			return err
		}},
		"Cases.GetByReference": {access.CaseRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Cases.GetByReference(ctx, fx.t.Reference)
			return err
		}},
		"Cases.List": {access.CaseRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Cases.List(ctx, docket.CaseFilter{}, nil)
			return err
		}},
		"Cases.Update": {access.CaseWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			c := fx.t
			c.Version = stale
			_, err := fx.firm.Cases.Update(ctx, c)
			return err
		}},
		"Cases.Advance": {access.CaseAdvance, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Cases.Advance(ctx, fx.t.ID, stale, "pleadings", "r")
			return err
		}},
		"Cases.Exit": {access.CaseAdvance, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Cases.Exit(ctx, fx.t.ID, stale, "settled", "r")
			return err
		}},
		"Cases.History": {access.CaseRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Cases.History(ctx, fx.t.ID)
			return err
		}},
		"Cases.AddParty": {access.CaseWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Cases.AddParty(ctx, cases.Party{Case: fx.t.ID, Contact: fx.t.Client, Role: "stranger"})
			return err
		}},
		"Cases.UpdateParty": {access.CaseWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			p := fx.party
			p.Version = stale
			_, err := fx.firm.Cases.UpdateParty(ctx, p)
			return err
		}},
		"Cases.RemoveParty": {access.CaseWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			return fx.firm.Cases.RemoveParty(ctx, fx.t.ID, fx.party.ID, stale, "r")
		}},
		"Cases.BreakGlass": {access.CaseBreakGlass, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Cases.BreakGlass(ctx, fx.t.ID, "") // no reason: refused after the check
			return err
		}},
		"Cases.Count": {access.CaseRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Cases.Count(ctx, docket.CaseFilter{})
			return err
		}},
		"Cases.Parties": {access.CaseRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Cases.Parties(ctx, fx.t.ID)
			return err
		}},
		"Audit.List": {access.AuditRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Audit.List(ctx, docket.AuditFilter{}, nil)
			return err
		}},
		"Audit.ForCase": {access.AuditRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Audit.ForCase(ctx, fx.t.ID, nil)
			return err
		}},
		"Audit.Verify": {access.AuditRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Audit.Verify(ctx)
			return err
		}},
		"Audit.VerifyRange": {access.AuditRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Audit.VerifyRange(ctx, 1, 2)
			return err
		}},
		"Access.RoleTable": {access.UserRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Access.RoleTable(ctx)
			return err
		}},
		"Access.SetRoleTable": {access.AccessAdmin, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			t := access.DefaultRoleTable()
			t.Version = stale
			_, err := fx.firm.Access.SetRoleTable(ctx, t)
			return err
		}},
		"Access.ErectWall": {access.WallAdmin, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Access.ErectWall(ctx, access.Wall{})
			return err
		}},
		"Access.LiftWall": {access.WallAdmin, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Access.LiftWall(ctx, fx.wall.ID, stale, "r")
			return err
		}},
		"Access.Wall": {access.WallAdmin, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Access.Wall(ctx, fx.wall.ID)
			return err
		}},
		"Access.Walls": {access.WallAdmin, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Access.Walls(ctx, docket.WallFilter{}, nil)
			return err
		}},
		"Calendar.PutCourt": {access.CourtAdmin, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, _, err := fx.firm.Calendar.PutCourt(ctx, calendar.Court{ID: "Bad Court"})
			return err
		}},
		"Calendar.Court": {access.CalendarRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.Court(ctx, "nysd")
			return err
		}},
		"Calendar.Courts": {access.CalendarRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.Courts(ctx, nil)
			return err
		}},
		"Calendar.Schedule": {access.CalendarWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, _, err := fx.firm.Calendar.Schedule(ctx, calendar.Event{Case: fx.t.ID, Kind: "duel"})
			return err
		}},
		"Calendar.Event": {access.CalendarRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.Event(ctx, fx.event.ID)
			return err
		}},
		"Calendar.Events": {access.CalendarRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.Events(ctx, docket.EventFilter{}, nil)
			return err
		}},
		"Calendar.UpdateEvent": {access.CalendarWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			e := fx.event
			e.Version = stale
			_, _, err := fx.firm.Calendar.UpdateEvent(ctx, e)
			return err
		}},
		"Calendar.SetEventStatus": {access.CalendarWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.SetEventStatus(ctx, fx.event.ID, stale, calendar.Held, "r")
			return err
		}},
		"Calendar.DoubleBookings": {access.CalendarRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.DoubleBookings(ctx, fx.event.End, fx.event.Start) // backwards: refused after the check
			return err
		}},
		"Calendar.FindSlot": {access.CalendarRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, _, err := fx.firm.Calendar.FindSlot(ctx, fx.event.ID, docket.SlotOptions{Earliest: fx.event.Start})
			return err
		}},
		"Calendar.Reschedule": {access.CalendarWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.Reschedule(ctx, fx.event.ID, stale, fx.event.Start.Add(time.Hour), "r")
			return err
		}},
		"Calendar.RescheduleEarliest": {access.CalendarWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.RescheduleEarliest(ctx, fx.event.ID, stale, docket.SlotOptions{}, "r")
			return err
		}},
		"Calendar.RecordTrigger": {access.CalendarWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, _, err := fx.firm.Calendar.RecordTrigger(ctx, calendar.Trigger{Case: fx.t.ID})
			return err
		}},
		"Calendar.MoveTrigger": {access.CalendarWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, _, err := fx.firm.Calendar.MoveTrigger(ctx, fx.trigger.ID, stale, cases.MustDate("2026-03-03"), time.Time{}, "r")
			return err
		}},
		"Calendar.Deadline": {access.CalendarRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.Deadline(ctx, fx.dl.ID)
			return err
		}},
		"Calendar.Deadlines": {access.CalendarRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.Deadlines(ctx, docket.DeadlineFilter{}, nil)
			return err
		}},
		"Calendar.AddDeadline": {access.CalendarWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.AddDeadline(ctx, calendar.Deadline{Case: fx.t.ID})
			return err
		}},
		"Calendar.ResolveDeadline": {access.CalendarWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.ResolveDeadline(ctx, fx.dl.ID, stale, calendar.Done, "r")
			return err
		}},
		"Calendar.SetReminders": {access.CalendarWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.SetReminders(ctx, calendar.Reminders{Scope: "case:" + string(fx.t.ID), Deadlines: []time.Duration{-1}})
			return err
		}},
		"Calendar.Dispatch": {access.CalendarDispatch, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.Dispatch(ctx, nil, nil) // no notifier: refused after the check
			return err
		}},
		"Calendar.ExportCase": {access.CalendarRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.ExportCase(ctx, fx.t.ID)
			return err
		}},
		"Calendar.ExportUser": {access.CalendarRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			actor, _ := access.ActorFrom(ctx)
			_, err := fx.firm.Calendar.ExportUser(ctx, actor.ID) // their own diary
			return err
		}},
		"Calendar.ImportICS": {access.CalendarWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Calendar.ImportICS(ctx, fx.t.ID, strings.NewReader("not a calendar"), calendar.ImportOptions{})
			return err
		}},
		"Calendar.FindSlotFor": {access.CalendarRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			e := fx.event
			e.ID = ""
			_, _, err := fx.firm.Calendar.FindSlotFor(ctx, e, docket.SlotOptions{Earliest: fx.event.Start})
			return err
		}},
		"Documents.Create": {access.DocumentWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, _, err := fx.firm.Documents.Create(ctx, document.Document{Case: fx.t.ID, Title: "X", Kind: document.Note}, docket.Content{}) // no body
			return err
		}},
		"Documents.AddVersion": {access.DocumentWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.AddVersion(ctx, fx.doc.ID, 999, docket.Content{Body: strings.NewReader("x"), MediaType: "text/plain"})
			return err
		}},
		"Documents.CheckOut": {access.DocumentWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.CheckOut(ctx, fx.doc.ID, -time.Hour)
			return err
		}},
		"Documents.CheckIn": {access.DocumentWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, _, err := fx.firm.Documents.CheckIn(ctx, fx.doc.ID, 1, docket.Content{Body: strings.NewReader("x"), MediaType: "text/plain"}) // not checked out
			return err
		}},
		"Documents.CancelCheckOut": {access.DocumentWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.CancelCheckOut(ctx, fx.doc.ID)
			return err
		}},
		"Documents.BreakLock": {access.DocumentUnlock, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.BreakLock(ctx, fx.doc.ID, "") // no reason
			return err
		}},
		"Documents.Update": {access.DocumentWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			d := fx.doc
			d.Version = stale
			_, err := fx.firm.Documents.Update(ctx, d)
			return err
		}},
		"Documents.Delete": {access.DocumentWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.Delete(ctx, fx.doc.ID, stale, "r")
			return err
		}},
		"Documents.Restore": {access.DocumentWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.Restore(ctx, fx.doc.ID, stale, "r")
			return err
		}},
		"Documents.Get": {access.DocumentRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.Get(ctx, fx.doc.ID)
			return err
		}},
		"Documents.List": {access.DocumentRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.List(ctx, docket.DocumentFilter{}, nil)
			return err
		}},
		"Documents.Search": {access.DocumentRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.Search(ctx, "complaint", docket.DocumentFilter{}, nil)
			return err
		}},
		"Documents.Versions": {access.DocumentRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.Versions(ctx, fx.doc.ID, nil)
			return err
		}},
		"Documents.Content": {access.DocumentRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.Content(ctx, fx.doc.ID, 0, io.Discard)
			return err
		}},
		"Documents.Assemble": {access.DocumentWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, _, err := fx.firm.Documents.Assemble(ctx, docket.Assembly{Case: fx.t.ID, Template: "no-such-template"})
			return err
		}},
		"Documents.SaveTemplate": {access.TemplateAdmin, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.SaveTemplate(ctx, document.Template{ID: "Bad ID"})
			return err
		}},
		"Documents.Template": {access.DocumentWrite, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.Template(ctx, docket.BuiltinTemplatePrefix+"engagement-letter")
			return err
		}},
		"Documents.Templates": {access.DocumentWrite, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.Templates(ctx, nil)
			return err
		}},
		"Documents.PlaceHold": {access.DocumentHold, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.PlaceHold(ctx, document.Hold{Case: fx.t.ID}) // no matter or reason
			return err
		}},
		"Documents.ReleaseHold": {access.DocumentHold, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.ReleaseHold(ctx, fx.hold.ID, stale, "r")
			return err
		}},
		"Documents.Holds": {access.DocumentHold, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.Holds(ctx, docket.HoldFilter{}, nil)
			return err
		}},
		"Documents.ApplyRetention": {access.DocumentPurge, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.ApplyRetention(ctx) // nothing is due: nothing changes
			return err
		}},
		"Documents.VerifyContent": {access.DocumentPurge, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Documents.VerifyContent(ctx)
			return err
		}},
		"Correspondence.Record": {access.CorrespondenceWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Correspondence.Record(ctx, correspondence.Message{Case: fx.t.ID}) // no channel
			return err
		}},
		"Correspondence.Amend": {access.CorrespondenceWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Correspondence.Amend(ctx, fx.msg.ID, fx.msg, "") // no reason
			return err
		}},
		"Correspondence.File": {access.CorrespondenceFile, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Correspondence.File(ctx, fx.msg.ID, fx.t.ID, fx.msg.Version) // filed already
			return err
		}},
		"Correspondence.Classify": {access.CorrespondenceWrite, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Correspondence.Classify(ctx, fx.msg.ID, stale, true, false, "r")
			return err
		}},
		"Correspondence.Get": {access.CorrespondenceRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Correspondence.Get(ctx, fx.msg.ID)
			return err
		}},
		"Correspondence.List": {access.CorrespondenceRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Correspondence.List(ctx, docket.MessageFilter{}, nil)
			return err
		}},
		"Cases.StageChanges": {access.CaseRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Cases.StageChanges(ctx, docket.StageFilter{}, nil)
			return err
		}},
		"Conflicts.List": {access.ConflictRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Conflicts.List(ctx, docket.CheckFilter{}, nil)
			return err
		}},
		"Correspondence.Search": {access.CorrespondenceRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Correspondence.Search(ctx, "settlement", docket.MessageFilter{}, nil)
			return err
		}},
		"Correspondence.Content": {access.CorrespondenceRead, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Correspondence.Content(ctx, fx.msg.ID, "", io.Discard) // no such content
			return err
		}},
		"Correspondence.History": {access.ContactRead, onClient, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Correspondence.History(ctx, cases.ContactID(fx.client.Client), docket.HistoryFilter{})
			return err
		}},
		"Correspondence.ImportEmail": {access.CorrespondenceFile, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Correspondence.ImportEmail(ctx, strings.NewReader("no email")) // refused after the check
			return err
		}},
		"Correspondence.ImportFiles": {access.CorrespondenceFile, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Correspondence.ImportFiles(ctx, fstest.MapFS{"a.eml": {Data: []byte("no email")}}, "a.eml")
			return err
		}},
		"Correspondence.ApplyRetention": {access.DocumentPurge, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Correspondence.ApplyRetention(ctx) // no retention period: nothing changes
			return err
		}},
		"Feed.Read": {access.AuditRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Feed.Read(ctx, "crm", 10)
			return err
		}},
		"Feed.Cursor": {access.AuditRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Feed.Cursor(ctx, "crm")
			return err
		}},
		"Feed.Ack": {access.AuditRead, firmWide, func(ctx context.Context, fx *matrixFixture) error {
			return fx.firm.Feed.Ack(ctx, "crm", -1) // refused after the check
		}},
		"Access.Explain": {access.AccessAdmin, onCase, func(ctx context.Context, fx *matrixFixture) error {
			_, err := fx.firm.Access.Explain(ctx, fx.adminID, access.CaseRead, access.Resource{Kind: "case", ID: string(fx.t.ID)})
			return err
		}},
	}
}

// TestAccessMatrix calls every exported Firm method as every built-in
// role, on the team of a restricted case, off it, walled from it, and
// walled from its client, and
// asserts each cell is allowed or denied as the reference model decides.
// A method without a row fails the test. Every cell also counts the
// store's transactions: an allowed call decides and works in one, so no
// change can slip between the check and the data; a denied one adds the
// denial's own.
func TestAccessMatrix(t *testing.T) {
	rows := matrixRows()
	var missing []string
	fv := reflect.ValueOf(docket.Firm{})
	for i := range fv.NumField() {
		field := fv.Type().Field(i)
		if !field.IsExported() || field.Type.Kind() != reflect.Pointer {
			continue
		}
		for m := range field.Type.NumMethod() {
			name := field.Name + "." + field.Type.Method(m).Name
			if _, ok := rows[name]; !ok {
				missing = append(missing, name)
			}
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Fatalf("Firm methods without a row in the access matrix: %s", strings.Join(missing, ", "))
	}
	fx := newMatrixFixture(t)
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range rows {
			if !yield(n) {
				return
			}
		}
	})
	cells, allowed := 0, 0
	for _, name := range names {
		row := rows[name]
		for _, role := range access.DefaultRoleTable().Roles() {
			for _, m := range memberships {
				u := fx.users[string(role)+"/"+m]
				ctx := access.WithActor(context.Background(), u)
				before := fx.store.n.Load()
				err := row.call(ctx, fx)
				txs := fx.store.n.Load() - before
				want := true
				if row.action != "" {
					var facts *access.CaseFacts
					switch row.on {
					case onCase:
						facts = &fx.facts
					case onClient:
						facts = &fx.client
					}
					want, _ = fx.model.Decide(u.ID, row.action, facts)
				}
				got := !errors.Is(err, docket.ErrForbidden)
				if got != want {
					t.Errorf("%s as %s (%s): allowed %v, want %v (%v)", name, role, m, got, want, err)
				}
				if wantTxs := map[bool]int64{true: 1, false: 2}[got]; txs != wantTxs {
					t.Errorf("%s as %s (%s): %d transactions, want %d", name, role, m, txs, wantTxs)
				}
				cells++
				if want {
					allowed++
				}
			}
		}
	}
	t.Logf("%d methods x %d roles x %d memberships = %d cells, %d allowed", len(rows), len(access.DefaultRoleTable().Roles()), len(memberships), cells, allowed)
	if allowed == 0 || allowed == cells {
		t.Errorf("every cell decided alike (%d of %d allowed): the matrix tests nothing", allowed, cells)
	}
}
