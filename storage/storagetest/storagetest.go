package storagetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// NewStore opens a fresh, empty store for one test. The suite closes it.
type NewStore func(t *testing.T) storage.Store

// Run runs the whole conformance suite against stores made by newStore.
func Run(t *testing.T, newStore NewStore) {
	t.Helper()
	open := func(t *testing.T) storage.Store {
		t.Helper()
		s := newStore(t)
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return s
	}
	tests := []struct {
		name string
		fn   func(*testing.T, storage.Store)
	}{
		{"Repositories", testRepositories},
		{"CaseReferenceUnique", testCaseReferenceUnique},
		{"Parties", testParties},
		{"Stages", testStages},
		{"Counters", testCounters},
		{"RoleTables", testRoleTables},
		{"Walls", testWalls},
		{"PolicyModel", testPolicyModel},
		{"PolicyLists", testPolicyLists},
		{"Visibility", testVisibility},
		{"Calendar", testCalendar},
		{"CalendarDeadlines", testCalendarDeadlines},
		{"CalendarDiary", testCalendarDiary},
		{"CalendarAlerts", testCalendarAlerts},
		{"CalendarICS", testCalendarICS},
		{"CalendarAmendedRules", testCalendarAmendedRules},
		{"CalendarSlowDispatch", testCalendarSlowDispatch},
		{"CalendarReplan", testCalendarReplan},
		{"CalendarFollowEvent", testCalendarFollowEvent},
		{"CalendarEscalationFallback", testCalendarEscalationFallback},
		{"Documents", testDocuments},
		{"DocumentVisibility", testDocumentVisibility},
		{"Messages", testMessages},
		{"MessageVisibility", testMessageVisibility},
		{"Leak", testLeak},
		{"Rollback", testRollback},
		{"ReadOnlyView", testReadOnlyView},
		{"AuditChain", testAuditChain},
		{"AuditFilters", testAuditFilters},
		{"Pagination", testPagination},
		{"Copies", testCopies},
		{"UnicodeAndLargeValues", testUnicodeAndLarge},
		{"Firm", testFirm},
		{"ConcurrentWriters", testConcurrentWriters},
		{"ConcurrentBootstrap", testConcurrentBootstrap},
	}
	for _, tc := range documentTests {
		tests = append(tests, struct {
			name string
			fn   func(*testing.T, storage.Store)
		}{tc.name, func(t *testing.T, s storage.Store) { tc.fn(t, s, nil) }})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

// base is the suite's fixed clock reading; stores keep microseconds in UTC.
var base = time.Date(2026, 3, 2, 9, 30, 0, 123456000, time.UTC)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func update(t *testing.T, s storage.Store, fn func(storage.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, s storage.Store, fn func(storage.Tx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: got error %v, want %v", what, err, target)
	}
}

// seedUser, seedContact and seedCase create the records others refer to.
func seedUser(t *testing.T, s storage.Store) access.User {
	t.Helper()
	u := access.User{ID: access.UserID(newID()), Name: "Alice Attorney", Email: "alice@firm.test", Active: true, Version: 1, Created: base, Updated: base}
	update(t, s, func(tx storage.Tx) error { return tx.Users().Create(context.Background(), u) })
	return u
}

func makeContact(i int) cases.Contact {
	return cases.Contact{
		ID: cases.ContactID(newID()), Kind: cases.Person, Name: fmt.Sprintf("Client %04d", i),
		Aliases: []string{fmt.Sprintf("C%d", i)}, Emails: []string{fmt.Sprintf("c%d@example.test", i)},
		PreferredLanguage: "es", InterpreterNeeded: i%2 == 0, DateOfBirth: cases.Date{Year: 1980, Month: 5, Day: 17},
		Version: 1, Created: base, Updated: base,
	}
}

func seedContact(t *testing.T, s storage.Store) cases.Contact {
	t.Helper()
	c := makeContact(0)
	update(t, s, func(tx storage.Tx) error { return tx.Contacts().Create(context.Background(), c) })
	return c
}

func makeCase(i int, client cases.ContactID) cases.Case {
	return cases.Case{
		ID: cases.ID(newID()), Reference: fmt.Sprintf("2026-CR-%04d", i), Title: fmt.Sprintf("United States v. Client %d", i),
		Type: "federal-criminal", PracticeArea: "criminal defense", Court: "S.D.N.Y.", Client: client,
		Status: cases.Open, Stage: "intake", OpenedOn: cases.Date{Year: 2026, Month: 3, Day: 2},
		LeadAttorney: "u1", Team: []cases.TeamMember{{User: "u2", Role: "second chair"}, {User: "u3", Role: "paralegal"}}, Version: 1, Created: base, Updated: base,
	}
}

func seedCase(t *testing.T, s storage.Store, client cases.ContactID) cases.Case {
	t.Helper()
	c := makeCase(1, client)
	update(t, s, func(tx storage.Tx) error { return tx.Cases().Create(context.Background(), c) })
	return c
}

// repo drives one repository generically: the suite checks every
// repository's create, get, update and list with the same steps.
type repo[T any] struct {
	make   func(i int) T
	id     func(T) string
	create func(context.Context, storage.Tx, T) error
	get    func(context.Context, storage.Tx, string) (T, error)
	update func(context.Context, storage.Tx, T) error // nil for records never updated
	list   func(context.Context, storage.Tx, storage.Page) ([]T, string, error)
	// change returns v edited, with its version bumped to version.
	change func(v T, version int64) T
}

func exercise[T any](t *testing.T, s storage.Store, r repo[T]) {
	ctx := context.Background()
	a, b := r.make(1), r.make(2)
	update(t, s, func(tx storage.Tx) error {
		if err := r.create(ctx, tx, a); err != nil {
			return err
		}
		return r.create(ctx, tx, b)
	})
	view(t, s, func(tx storage.Tx) error {
		got, err := r.get(ctx, tx, r.id(a))
		if err != nil {
			return err
		}
		if d := cmp.Diff(a, got); d != "" {
			t.Errorf("get after create (-want +got):\n%s", d)
		}
		_, err = r.get(ctx, tx, newID())
		wantErr(t, "get missing", err, storage.ErrNotFound)
		return nil
	})
	err := s.Update(ctx, func(tx storage.Tx) error { return r.create(ctx, tx, a) })
	wantErr(t, "create duplicate", err, storage.ErrExists)

	if r.update != nil {
		a2 := r.change(a, 2)
		update(t, s, func(tx storage.Tx) error { return r.update(ctx, tx, a2) })
		view(t, s, func(tx storage.Tx) error {
			got, err := r.get(ctx, tx, r.id(a))
			if err != nil {
				return err
			}
			if d := cmp.Diff(a2, got); d != "" {
				t.Errorf("get after update (-want +got):\n%s", d)
			}
			return nil
		})
		// A second writer that read version 1 must not overwrite version 2.
		err = s.Update(ctx, func(tx storage.Tx) error { return r.update(ctx, tx, r.change(a, 2)) })
		wantErr(t, "stale update", err, storage.ErrConflict)
		err = s.Update(ctx, func(tx storage.Tx) error { return r.update(ctx, tx, r.change(a2, 7)) })
		wantErr(t, "update skipping versions", err, storage.ErrConflict)
		err = s.Update(ctx, func(tx storage.Tx) error { return r.update(ctx, tx, r.change(r.make(3), 2)) })
		wantErr(t, "update missing", err, storage.ErrNotFound)
		view(t, s, func(tx storage.Tx) error {
			got, err := r.get(ctx, tx, r.id(a))
			if err != nil {
				return err
			}
			if d := cmp.Diff(a2, got); d != "" {
				t.Errorf("rejected updates changed the record (-want +got):\n%s", d)
			}
			return nil
		})
	}
	view(t, s, func(tx storage.Tx) error {
		items, next, err := r.list(ctx, tx, storage.Page{Limit: 10})
		if err != nil {
			return err
		}
		if len(items) < 2 || next != "" {
			t.Errorf("list: got %d items and cursor %q, want at least 2 and no further page", len(items), next)
		}
		return nil
	})
}

func testRepositories(t *testing.T, s storage.Store) {
	u := seedUser(t, s)
	client := seedContact(t, s)
	kase := seedCase(t, s, client.ID)
	t.Run("Users", func(t *testing.T) {
		exercise(t, s, repo[access.User]{
			make: func(i int) access.User {
				return access.User{ID: access.UserID(newID()), Name: fmt.Sprintf("User %d", i), Email: fmt.Sprintf("u%d@firm.test", i), Active: true,
					Roles: []access.Role{access.Attorney, access.Partner}, Version: 1, Created: base, Updated: base}
			},
			id:     func(u access.User) string { return string(u.ID) },
			create: func(ctx context.Context, tx storage.Tx, u access.User) error { return tx.Users().Create(ctx, u) },
			get: func(ctx context.Context, tx storage.Tx, id string) (access.User, error) {
				return tx.Users().Get(ctx, access.UserID(id))
			},
			update: func(ctx context.Context, tx storage.Tx, u access.User) error { return tx.Users().Update(ctx, u) },
			list: func(ctx context.Context, tx storage.Tx, p storage.Page) ([]access.User, string, error) {
				return tx.Users().List(ctx, p)
			},
			change: func(u access.User, v int64) access.User {
				u.Active, u.Name, u.Version, u.Updated = false, u.Name+" (left)", v, base.Add(time.Hour)
				u.Roles, u.Contact = []access.Role{access.ClientUser}, "contact-1"
				return u
			},
		})
	})
	t.Run("Contacts", func(t *testing.T) {
		exercise(t, s, repo[cases.Contact]{
			make:   makeContact,
			id:     func(c cases.Contact) string { return string(c.ID) },
			create: func(ctx context.Context, tx storage.Tx, c cases.Contact) error { return tx.Contacts().Create(ctx, c) },
			get: func(ctx context.Context, tx storage.Tx, id string) (cases.Contact, error) {
				return tx.Contacts().Get(ctx, cases.ContactID(id))
			},
			update: func(ctx context.Context, tx storage.Tx, c cases.Contact) error { return tx.Contacts().Update(ctx, c) },
			list: func(ctx context.Context, tx storage.Tx, p storage.Page) ([]cases.Contact, string, error) {
				return tx.Contacts().List(ctx, storage.ContactFilter{Kind: cases.Person}, p)
			},
			change: func(c cases.Contact, v int64) cases.Contact {
				c.Aliases = append(append([]string(nil), c.Aliases...), "Another Name")
				c.Related = []cases.Relation{{Contact: client.ID, Kind: cases.RelSpouse}}
				c.Accessibility, c.Version, c.Updated = "step-free access", v, base.Add(time.Hour)
				return c
			},
		})
	})
	t.Run("Cases", func(t *testing.T) {
		exercise(t, s, repo[cases.Case]{
			make:   func(i int) cases.Case { return makeCase(100+i, client.ID) },
			id:     func(c cases.Case) string { return string(c.ID) },
			create: func(ctx context.Context, tx storage.Tx, c cases.Case) error { return tx.Cases().Create(ctx, c) },
			get: func(ctx context.Context, tx storage.Tx, id string) (cases.Case, error) {
				return tx.Cases().Get(ctx, cases.ID(id))
			},
			update: func(ctx context.Context, tx storage.Tx, c cases.Case) error { return tx.Cases().Update(ctx, c) },
			list: func(ctx context.Context, tx storage.Tx, p storage.Page) ([]cases.Case, string, error) {
				return tx.Cases().List(ctx, storage.CaseFilter{Client: client.ID, Status: cases.Open}, p)
			},
			change: func(c cases.Case, v int64) cases.Case {
				c.Stage, c.Judge, c.Team, c.Version, c.Updated = "charging", "Hon. R. Roe", []cases.TeamMember{{User: "u9", Role: "associate"}}, v, base.Add(time.Hour)
				c.Restricted = true
				return c
			},
		})
	})
	t.Run("Intakes", func(t *testing.T) {
		exercise(t, s, repo[cases.Intake]{
			make: func(i int) cases.Intake {
				return cases.Intake{
					ID: cases.IntakeID(newID()), Prospect: client.ID, Source: "referral", Facts: fmt.Sprintf("facts %d", i),
					Questions: []cases.Question{{Question: "When?", Answer: "March"}},
					FollowUps: []cases.FollowUp{{What: "Get the indictment", Due: cases.Date{Year: 2026, Month: 3, Day: 9}}},
					Adverse:   []cases.AdverseParty{{Name: "Globex Corp", Kind: cases.Organization, Role: cases.RoleOpposingParty}},
					Status:    cases.IntakeOpen, TakenBy: string(u.ID), Version: 1, Created: base, Updated: base,
				}
			},
			id:     func(in cases.Intake) string { return string(in.ID) },
			create: func(ctx context.Context, tx storage.Tx, in cases.Intake) error { return tx.Intakes().Create(ctx, in) },
			get: func(ctx context.Context, tx storage.Tx, id string) (cases.Intake, error) {
				return tx.Intakes().Get(ctx, cases.IntakeID(id))
			},
			update: func(ctx context.Context, tx storage.Tx, in cases.Intake) error { return tx.Intakes().Update(ctx, in) },
			list: func(ctx context.Context, tx storage.Tx, p storage.Page) ([]cases.Intake, string, error) {
				return tx.Intakes().List(ctx, storage.IntakeFilter{Prospect: client.ID}, p)
			},
			change: func(in cases.Intake, v int64) cases.Intake {
				in.Status, in.Case, in.Version, in.Updated = cases.IntakeAccepted, kase.ID, v, base.Add(time.Hour)
				return in
			},
		})
	})
	t.Run("Meetings", func(t *testing.T) {
		exercise(t, s, repo[cases.Meeting]{
			make: func(i int) cases.Meeting {
				return cases.Meeting{
					ID: cases.MeetingID(newID()), Contact: client.ID, Case: kase.ID, At: base.Add(time.Duration(i) * time.Hour),
					Minutes: 45, Location: "Room 4", Attendees: []string{"Alice", "Interpreter"}, Notes: "first meeting",
					RecordedBy: string(u.ID), Created: base,
				}
			},
			id:     func(m cases.Meeting) string { return string(m.ID) },
			create: func(ctx context.Context, tx storage.Tx, m cases.Meeting) error { return tx.Meetings().Create(ctx, m) },
			get: func(ctx context.Context, tx storage.Tx, id string) (cases.Meeting, error) {
				return tx.Meetings().Get(ctx, cases.MeetingID(id))
			},
			list: func(ctx context.Context, tx storage.Tx, p storage.Page) ([]cases.Meeting, string, error) {
				return tx.Meetings().List(ctx, storage.MeetingFilter{Contact: client.ID, Case: kase.ID}, p)
			},
		})
	})
	t.Run("Checks", func(t *testing.T) {
		exercise(t, s, repo[cases.ConflictCheck]{
			make: func(i int) cases.ConflictCheck {
				return cases.ConflictCheck{
					ID:       cases.CheckID(newID()),
					Subjects: []cases.Subject{{Name: "María García", Kind: cases.Person, Role: cases.SubjectClient}},
					Hits: []cases.Hit{{Subject: "María García", SubjectRole: cases.SubjectClient, Contact: client.ID, ContactName: "Maria Garcia",
						MatchedName: "Maria Garcia", Match: cases.MatchExact, Score: 0.95, Case: kase.ID, Reference: kase.Reference, Role: cases.RoleOpposingParty, Rule: "1.7", Reason: "r"}},
					Clients: []cases.ContactID{client.ID}, Decision: cases.Pending, RanBy: string(u.ID), RanAt: base, Version: 1, Created: base, Updated: base,
				}
			},
			id: func(c cases.ConflictCheck) string { return string(c.ID) },
			create: func(ctx context.Context, tx storage.Tx, c cases.ConflictCheck) error {
				return tx.Checks().Create(ctx, c)
			},
			get: func(ctx context.Context, tx storage.Tx, id string) (cases.ConflictCheck, error) {
				return tx.Checks().Get(ctx, cases.CheckID(id))
			},
			update: func(ctx context.Context, tx storage.Tx, c cases.ConflictCheck) error {
				return tx.Checks().Update(ctx, c)
			},
			list: func(ctx context.Context, tx storage.Tx, p storage.Page) ([]cases.ConflictCheck, string, error) {
				return tx.Checks().List(ctx, storage.CheckFilter{}, p)
			},
			change: func(c cases.ConflictCheck, v int64) cases.ConflictCheck {
				c.Decision, c.ConsentRef, c.Reason, c.DecidedBy, c.DecidedAt = cases.Waived, "DOC-17", "consent on file", string(u.ID), base.Add(time.Hour)
				c.Version, c.Updated = v, base.Add(time.Hour)
				return c
			},
		})
	})
}

func testCaseReferenceUnique(t *testing.T, s storage.Store) {
	ctx := context.Background()
	client := seedContact(t, s)
	a := makeCase(1, client.ID)
	update(t, s, func(tx storage.Tx) error { return tx.Cases().Create(ctx, a) })
	dup := makeCase(1, client.ID)
	err := s.Update(ctx, func(tx storage.Tx) error { return tx.Cases().Create(ctx, dup) })
	wantErr(t, "duplicate reference on create", err, storage.ErrExists)

	// A duplicate is reported without spoiling the transaction: the caller
	// can try the next number, as reference generation does.
	b := makeCase(2, client.ID)
	update(t, s, func(tx storage.Tx) error {
		wantErr(t, "duplicate reference inside a transaction", tx.Cases().Create(ctx, makeCase(1, client.ID)), storage.ErrExists)
		return tx.Cases().Create(ctx, b)
	})
	orphan := makeCase(3, cases.ContactID(newID()))
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.Cases().Create(ctx, orphan) })
	wantErr(t, "case whose client does not exist", err, storage.ErrNotFound)
	b.Reference, b.Version = a.Reference, 2
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.Cases().Update(ctx, b) })
	wantErr(t, "duplicate reference on update", err, storage.ErrExists)

	view(t, s, func(tx storage.Tx) error {
		got, err := tx.Cases().GetByReference(ctx, a.Reference)
		if err != nil {
			return err
		}
		if got.ID != a.ID {
			t.Errorf("GetByReference(%s) = case %s, want %s", a.Reference, got.ID, a.ID)
		}
		_, err = tx.Cases().GetByReference(ctx, "2099-XX-0001")
		wantErr(t, "GetByReference missing", err, storage.ErrNotFound)
		return nil
	})
}

func testParties(t *testing.T, s storage.Store) {
	ctx := context.Background()
	client := seedContact(t, s)
	kase := seedCase(t, s, client.ID)
	other := makeContact(2)
	update(t, s, func(tx storage.Tx) error { return tx.Contacts().Create(ctx, other) })
	mk := func(contact cases.ContactID, role cases.PartyRole) cases.Party {
		return cases.Party{ID: cases.PartyID(newID()), Case: kase.ID, Contact: contact, Role: role, Version: 1, Created: base, Updated: base}
	}
	p1, p2 := mk(client.ID, cases.RoleClient), mk(other.ID, cases.RoleOpposingParty)
	update(t, s, func(tx storage.Tx) error {
		if err := tx.Parties().Create(ctx, p1); err != nil {
			return err
		}
		return tx.Parties().Create(ctx, p2)
	})
	err := s.Update(ctx, func(tx storage.Tx) error { return tx.Parties().Create(ctx, mk(client.ID, cases.RoleClient)) })
	wantErr(t, "same contact, case and role twice", err, storage.ErrExists)
	missing := mk(cases.ContactID(newID()), cases.RoleWitness)
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.Parties().Create(ctx, missing) })
	wantErr(t, "party for a missing contact", err, storage.ErrNotFound)
	orphan := mk(client.ID, cases.RoleWitness)
	orphan.Case = cases.ID(newID())
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.Parties().Create(ctx, orphan) })
	wantErr(t, "party on a missing case", err, storage.ErrNotFound)

	p2.Notes, p2.Version, p2.Updated = "served 2026-03-02", 2, base.Add(time.Hour)
	update(t, s, func(tx storage.Tx) error { return tx.Parties().Update(ctx, p2) })
	stale := p2
	stale.Notes = "lost"
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.Parties().Update(ctx, stale) })
	wantErr(t, "stale party update", err, storage.ErrConflict)

	// The case's co-clients: contacts in the client role, and no others.
	view(t, s, func(tx storage.Tx) error {
		co, err := tx.Parties().CoClients(ctx, kase.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff([]cases.ContactID{client.ID}, co); diff != "" {
			t.Errorf("co-clients (-want +got):\n%s", diff)
		}
		none, err := tx.Parties().CoClients(ctx, cases.ID(newID()))
		if err != nil || len(none) != 0 {
			t.Errorf("co-clients of a case without parties: %v %v", none, err)
		}
		return nil
	})

	p3 := mk(other.ID, cases.RoleWitness)
	update(t, s, func(tx storage.Tx) error { return tx.Parties().Create(ctx, p3) })
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.Parties().Delete(ctx, p3.ID, 7) })
	wantErr(t, "deleting with a stale version", err, storage.ErrConflict)
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.Parties().Delete(ctx, cases.PartyID(newID()), 1) })
	wantErr(t, "deleting a missing party", err, storage.ErrNotFound)
	boom := errors.New("boom")
	err = s.Update(ctx, func(tx storage.Tx) error {
		if err := tx.Parties().Delete(ctx, p3.ID, 1); err != nil {
			return err
		}
		return boom
	})
	wantErr(t, "a rolled-back delete", err, boom)
	update(t, s, func(tx storage.Tx) error {
		if _, err := tx.Parties().Get(ctx, p3.ID); err != nil {
			t.Errorf("a rolled-back delete removed the party: %v", err)
		}
		return tx.Parties().Delete(ctx, p3.ID, 1)
	})
	// The role is free again once the party is gone.
	update(t, s, func(tx storage.Tx) error { return tx.Parties().Create(ctx, mk(other.ID, cases.RoleWitness)) })
	update(t, s, func(tx storage.Tx) error {
		_, err := tx.Parties().Get(ctx, p3.ID)
		wantErr(t, "a deleted party", err, storage.ErrNotFound)
		return nil
	})

	view(t, s, func(tx storage.Tx) error {
		got, _, err := tx.Parties().List(ctx, storage.PartyFilter{Case: kase.ID}, storage.Page{})
		if err != nil {
			return err
		}
		if len(got) != 3 || got[0].ID != p1.ID || got[1].ID != p2.ID || got[2].Role != cases.RoleWitness {
			t.Errorf("parties of the case: %+v, want the client, the opposing party and the re-added witness", got)
		}
		if d := cmp.Diff([]cases.Party{p1, p2}, got[:2]); d != "" {
			t.Errorf("parties of the case (-want +got):\n%s", d)
		}
		got, _, err = tx.Parties().List(ctx, storage.PartyFilter{Contact: other.ID}, storage.Page{})
		if err != nil {
			return err
		}
		if len(got) == 2 {
			got = got[:1]
		}
		if d := cmp.Diff([]cases.Party{p2}, got); d != "" {
			t.Errorf("parties of the contact (-want +got):\n%s", d)
		}
		return nil
	})
}

func testStages(t *testing.T, s storage.Store) {
	ctx := context.Background()
	client := seedContact(t, s)
	a, b := makeCase(1, client.ID), makeCase(2, client.ID)
	update(t, s, func(tx storage.Tx) error {
		if err := tx.Cases().Create(ctx, a); err != nil {
			return err
		}
		return tx.Cases().Create(ctx, b)
	})
	want := []cases.StageChange{
		{Case: a.ID, Seq: 1, To: "intake", Reason: "opened", By: "u1", At: base},
		{Case: a.ID, Seq: 2, From: "intake", To: "charging", Reason: "indictment returned", By: "u1", At: base.Add(time.Hour)},
		{Case: a.ID, Seq: 3, From: "charging", To: "closed", Exit: "dismissed", Reason: "motion granted", By: "u2", At: base.Add(2 * time.Hour)},
	}
	update(t, s, func(tx storage.Tx) error {
		for _, c := range want {
			if err := tx.Stages().Append(ctx, c); err != nil {
				return err
			}
		}
		return tx.Stages().Append(ctx, cases.StageChange{Case: b.ID, Seq: 1, To: "intake", Reason: "opened", By: "u1", At: base})
	})
	err := s.Update(ctx, func(tx storage.Tx) error {
		return tx.Stages().Append(ctx, cases.StageChange{Case: a.ID, Seq: 3, To: "trial", Reason: "dup", By: "u1", At: base})
	})
	wantErr(t, "appending a taken sequence number", err, storage.ErrExists)
	err = s.Update(ctx, func(tx storage.Tx) error {
		return tx.Stages().Append(ctx, cases.StageChange{Case: b.ID, Seq: 1, To: "intake", Reason: "opened twice", By: "u1", At: base})
	})
	wantErr(t, "a second first entry", err, storage.ErrExists)
	err = s.Update(ctx, func(tx storage.Tx) error {
		return tx.Stages().Append(ctx, cases.StageChange{Case: b.ID, Seq: 3, To: "trial", Reason: "gap", By: "u1", At: base})
	})
	wantErr(t, "a gap in the sequence", err, storage.ErrExists)
	err = s.Update(ctx, func(tx storage.Tx) error {
		return tx.Stages().Append(ctx, cases.StageChange{Case: cases.ID(newID()), Seq: 1, To: "intake", Reason: "x", By: "u1", At: base})
	})
	wantErr(t, "history of a missing case", err, storage.ErrNotFound)
	view(t, s, func(tx storage.Tx) error {
		got, err := tx.Stages().List(ctx, a.ID)
		if err != nil {
			return err
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("stage history (-want +got):\n%s", d)
		}
		return nil
	})
}

func testCounters(t *testing.T, s storage.Store) {
	ctx := context.Background()
	var got []int64
	update(t, s, func(tx storage.Tx) error {
		for _, name := range []string{"2026-CR-", "2026-CR-", "2026-CV-", "2026-CR-"} {
			n, err := tx.Counters().Next(ctx, name)
			if err != nil {
				return err
			}
			got = append(got, n)
		}
		return nil
	})
	if d := cmp.Diff([]int64{1, 2, 1, 3}, got); d != "" {
		t.Errorf("counter values (-want +got):\n%s", d)
	}
	view(t, s, func(tx storage.Tx) error {
		for name, want := range map[string]int64{"2026-CR-": 3, "2026-CV-": 1, "never-drawn": 0} {
			if n, err := tx.Counters().Current(ctx, name); err != nil || n != want {
				t.Errorf("Current(%s) = %d, %v; want %d", name, n, err, want)
			}
		}
		return nil
	})
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx storage.Tx) error {
		if _, err := tx.Counters().Next(ctx, "2026-CR-"); err != nil {
			return err
		}
		return boom
	})
	wantErr(t, "rolled-back counter", err, boom)
	update(t, s, func(tx storage.Tx) error {
		n, err := tx.Counters().Next(ctx, "2026-CR-")
		if n != 4 {
			t.Errorf("after a rollback the counter gave %d, want 4", n)
		}
		return err
	})
}

func testRoleTables(t *testing.T, s storage.Store) {
	ctx := context.Background()
	view(t, s, func(tx storage.Tx) error {
		_, err := tx.RoleTables().Get(ctx)
		wantErr(t, "a table never stored", err, storage.ErrNotFound)
		return nil
	})
	v1 := access.DefaultRoleTable()
	update(t, s, func(tx storage.Tx) error { return tx.RoleTables().Put(ctx, v1) })
	err := s.Update(ctx, func(tx storage.Tx) error { return tx.RoleTables().Put(ctx, v1) })
	wantErr(t, "storing version 1 twice", err, storage.ErrConflict)
	v3 := access.DefaultRoleTable()
	v3.Version = 3
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.RoleTables().Put(ctx, v3) })
	wantErr(t, "skipping a version", err, storage.ErrConflict)
	v2 := access.DefaultRoleTable()
	v2.Version = 2
	v2.Grants[access.LegalSecretary] = append(v2.Grants[access.LegalSecretary], access.CaseAdvance)
	boom := errors.New("boom")
	err = s.Update(ctx, func(tx storage.Tx) error {
		if err := tx.RoleTables().Put(ctx, v2); err != nil {
			return err
		}
		return boom
	})
	wantErr(t, "a rolled-back change", err, boom)
	view(t, s, func(tx storage.Tx) error {
		got, err := tx.RoleTables().Get(ctx)
		if err != nil {
			return err
		}
		if d := cmp.Diff(v1, got); d != "" {
			t.Errorf("after a rollback (-want +got):\n%s", d)
		}
		return nil
	})
	update(t, s, func(tx storage.Tx) error { return tx.RoleTables().Put(ctx, v2) })
	view(t, s, func(tx storage.Tx) error {
		got, err := tx.RoleTables().Get(ctx)
		if err != nil {
			return err
		}
		if d := cmp.Diff(v2, got); d != "" {
			t.Errorf("version 2 (-want +got):\n%s", d)
		}
		return nil
	})
}

// testWalls: a wall names any number of users, cases and clients, and
// comes back exactly; lifting it is a version-checked update.
func testWalls(t *testing.T, s storage.Store) {
	ctx := context.Background()
	const users, casesN, clients = 2500, 2500, 100
	approver := seedUser(t, s)
	w := access.Wall{ID: newID(), Reason: "lateral hire from opposing counsel's firm", ApprovedBy: approver.ID, CreatedBy: approver.ID,
		Version: 1, Created: base, Updated: base}
	update(t, s, func(tx storage.Tx) error {
		for i := range users {
			u := access.User{ID: access.UserID(fmt.Sprintf("user-%05d", i)), Name: "U", Email: "u@firm.test", Active: true, Version: 1, Created: base, Updated: base}
			if err := tx.Users().Create(ctx, u); err != nil {
				return err
			}
			w.Users = append(w.Users, u.ID)
		}
		for i := range clients {
			c := makeContact(i)
			c.ID = cases.ContactID(fmt.Sprintf("client-%05d", i))
			if err := tx.Contacts().Create(ctx, c); err != nil {
				return err
			}
			w.Clients = append(w.Clients, string(c.ID))
		}
		for i := range casesN {
			c := makeCase(i, cases.ContactID(w.Clients[i%clients]))
			c.ID = cases.ID(fmt.Sprintf("case-%05d", i))
			if err := tx.Cases().Create(ctx, c); err != nil {
				return err
			}
			w.Cases = append(w.Cases, string(c.ID))
		}
		return tx.Walls().Create(ctx, w)
	})
	other := access.Wall{ID: newID(), Users: []access.UserID{approver.ID}, Cases: []string{w.Cases[0]}, Reason: "r", ApprovedBy: approver.ID,
		CreatedBy: approver.ID, Version: 1, Created: base, Updated: base}
	update(t, s, func(tx storage.Tx) error { return tx.Walls().Create(ctx, other) })
	view(t, s, func(tx storage.Tx) error {
		got, err := tx.Walls().Get(ctx, w.ID)
		if err != nil {
			return err
		}
		if d := cmp.Diff(w, got); d != "" {
			t.Errorf("a wall of %d users, %d cases and %d clients (-want +got):\n%.3000s", users, casesN, clients, d)
		}
		mine, _, err := tx.Walls().List(ctx, storage.WallFilter{User: "user-00042"}, storage.Page{})
		if err != nil {
			return err
		}
		if len(mine) != 1 || mine[0].ID != w.ID {
			t.Errorf("walls screening user-00042: %d", len(mine))
		}
		return nil
	})
	err := s.Update(ctx, func(tx storage.Tx) error { return tx.Walls().Create(ctx, w) })
	wantErr(t, "a wall ID twice", err, storage.ErrExists)
	bad := other
	bad.ID, bad.Users = newID(), []access.UserID{"nobody"}
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.Walls().Create(ctx, bad) })
	wantErr(t, "a wall naming a missing user", err, storage.ErrNotFound)

	lifted := other
	lifted.Lifted, lifted.LiftedBy, lifted.LiftReason, lifted.Version = base.Add(time.Hour), approver.ID, "matter closed", 2
	lifted.Users = append(lifted.Users, "user-00001")
	update(t, s, func(tx storage.Tx) error { return tx.Walls().Update(ctx, lifted) })
	err = s.Update(ctx, func(tx storage.Tx) error { return tx.Walls().Update(ctx, lifted) })
	wantErr(t, "lifting a wall twice from the same version", err, storage.ErrConflict)
	view(t, s, func(tx storage.Tx) error {
		got, err := tx.Walls().Get(ctx, other.ID)
		if err != nil {
			return err
		}
		if d := cmp.Diff(lifted, got); d != "" {
			t.Errorf("the lifted wall (-want +got):\n%s", d)
		}
		active, _, err := tx.Walls().List(ctx, storage.WallFilter{Active: true}, storage.Page{})
		if err != nil {
			return err
		}
		if len(active) != 1 || active[0].ID != w.ID {
			t.Errorf("%d active walls, want only %s", len(active), w.ID)
		}
		return nil
	})
}

func auditCount(t *testing.T, s storage.Store) int64 {
	t.Helper()
	var n int64
	view(t, s, func(tx storage.Tx) (err error) {
		n, _, err = tx.Audit().Head(context.Background())
		return err
	})
	return n
}

func testRollback(t *testing.T, s storage.Store) {
	ctx := context.Background()
	client := seedContact(t, s)
	before := auditCount(t, s)
	boom := errors.New("validation failed late")
	c := makeCase(1, client.ID)
	changed := client
	changed.Name, changed.Version = "Renamed", 2
	err := s.Update(ctx, func(tx storage.Tx) error {
		if err := tx.Cases().Create(ctx, c); err != nil {
			return err
		}
		if err := tx.Contacts().Update(ctx, changed); err != nil {
			return err
		}
		if err := tx.Audit().Append(ctx, audit.Entry{At: base, Actor: "u1", Action: "case.open", ResourceType: "case", ResourceID: string(c.ID)}); err != nil {
			return err
		}
		return boom
	})
	wantErr(t, "failed transaction", err, boom)
	view(t, s, func(tx storage.Tx) error {
		_, err := tx.Cases().Get(ctx, c.ID)
		wantErr(t, "case created in a rolled-back transaction", err, storage.ErrNotFound)
		got, err := tx.Contacts().Get(ctx, client.ID)
		if err != nil {
			return err
		}
		if d := cmp.Diff(client, got); d != "" {
			t.Errorf("contact changed by a rolled-back transaction (-want +got):\n%s", d)
		}
		return nil
	})
	if after := auditCount(t, s); after != before {
		t.Errorf("audit log grew from %d to %d entries in a rolled-back transaction", before, after)
	}
	// A panic rolls back too, and the store stays usable.
	func() {
		defer func() { _ = recover() }()
		_ = s.Update(ctx, func(tx storage.Tx) error {
			if err := tx.Cases().Create(ctx, c); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	view(t, s, func(tx storage.Tx) error {
		_, err := tx.Cases().Get(ctx, c.ID)
		wantErr(t, "case created before a panic", err, storage.ErrNotFound)
		return nil
	})
	update(t, s, func(tx storage.Tx) error { return tx.Cases().Create(ctx, c) })
}

func testReadOnlyView(t *testing.T, s storage.Store) {
	ctx := context.Background()
	err := s.View(ctx, func(tx storage.Tx) error { return tx.Contacts().Create(ctx, makeContact(1)) })
	if err == nil {
		t.Fatal("a write inside View succeeded")
	}
	view(t, s, func(tx storage.Tx) error {
		items, _, err := tx.Contacts().List(ctx, storage.ContactFilter{}, storage.Page{})
		if len(items) != 0 {
			t.Errorf("a write inside View left %d contacts", len(items))
		}
		return err
	})
}

func entry(i int, caseID string) audit.Entry {
	return audit.Entry{
		At: base.Add(time.Duration(i) * time.Minute), Actor: fmt.Sprintf("u%d", i%3), Action: "case.update",
		ResourceType: "case", ResourceID: caseID, CaseID: caseID, Reason: "because",
		Changes: []audit.Change{{Field: "Title", Before: `"old"`, After: fmt.Sprintf(`"new %d"`, i)}},
	}
}

func testAuditChain(t *testing.T, s storage.Store) {
	ctx := context.Background()
	// Several entries in one transaction and across transactions chain in
	// commit order.
	for tx := range 3 {
		update(t, s, func(stx storage.Tx) error {
			for i := range 4 {
				if err := stx.Audit().Append(ctx, entry(tx*4+i, "case-a")); err != nil {
					return err
				}
			}
			return nil
		})
	}
	var got []audit.Entry
	view(t, s, func(tx storage.Tx) error {
		return tx.Audit().Scan(ctx, 1, 0, func(r *audit.Record) error {
			e, err := r.Entry()
			if err != nil {
				t.Errorf("entry %d does not decode: %v", r.Seq, err)
			}
			got = append(got, e)
			return nil
		})
	})
	if len(got) != 12 {
		t.Fatalf("scanned %d entries, want 12", len(got))
	}
	v := audit.NewVerifier(0, audit.Hash{})
	for i := range got {
		want := entry(i, "case-a")
		want.Seq = int64(i + 1)
		if d := cmp.Diff(want, got[i], cmp.FilterPath(func(p cmp.Path) bool {
			return p.Last().String() == ".Hash" || p.Last().String() == ".PrevHash"
		}, cmp.Ignore())); d != "" {
			t.Errorf("entry %d (-want +got):\n%s", i+1, d)
		}
		v.Add(&got[i])
	}
	var headSeq int64
	var head audit.Hash
	view(t, s, func(tx storage.Tx) (err error) {
		headSeq, head, err = tx.Audit().Head(ctx)
		return err
	})
	v.Expect(headSeq, head)
	if r := v.Result(); !r.OK || r.Checked != 12 {
		t.Errorf("verification: %v", r)
	}
	var ranged []int64
	view(t, s, func(tx storage.Tx) error {
		return tx.Audit().Scan(ctx, 5, 7, func(r *audit.Record) error {
			ranged = append(ranged, r.Seq)
			return nil
		})
	})
	if d := cmp.Diff([]int64{5, 6, 7}, ranged); d != "" {
		t.Errorf("Scan(5, 7) (-want +got):\n%s", d)
	}
}

func testAuditFilters(t *testing.T, s storage.Store) {
	ctx := context.Background()
	update(t, s, func(tx storage.Tx) error {
		for i := range 30 {
			c := "case-a"
			if i%2 == 1 {
				c = "case-b"
			}
			if err := tx.Audit().Append(ctx, entry(i, c)); err != nil {
				return err
			}
		}
		return nil
	})
	count := func(f storage.AuditFilter) int {
		t.Helper()
		n := 0
		view(t, s, func(tx storage.Tx) error {
			p := storage.Page{Limit: 4}
			for {
				items, next, err := tx.Audit().List(ctx, f, p)
				if err != nil {
					return err
				}
				n += len(items)
				if next == "" {
					return nil
				}
				p.After = next
			}
		})
		return n
	}
	for _, tc := range []struct {
		name string
		f    storage.AuditFilter
		want int
	}{
		{"all", storage.AuditFilter{}, 30},
		{"case", storage.AuditFilter{Case: "case-a"}, 15},
		{"resource", storage.AuditFilter{ResourceType: "case", ResourceID: "case-b"}, 15},
		{"actor", storage.AuditFilter{Actor: "u0"}, 10},
		{"time range", storage.AuditFilter{Since: base.Add(10 * time.Minute), Until: base.Add(20 * time.Minute)}, 10},
		{"case and actor", storage.AuditFilter{Case: "case-a", Actor: "u0"}, 5},
		{"nothing", storage.AuditFilter{Case: "case-z"}, 0},
	} {
		if got := count(tc.f); got != tc.want {
			t.Errorf("%s: %d entries, want %d", tc.name, got, tc.want)
		}
	}
}

func testPagination(t *testing.T, s storage.Store) {
	ctx := context.Background()
	const n = 95
	var want []cases.ContactID
	update(t, s, func(tx storage.Tx) error {
		for i := range n {
			c := makeContact(i)
			want = append(want, c.ID)
			if err := tx.Contacts().Create(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	// Pages stay stable while records are added between them: every record
	// that existed at the start is seen exactly once.
	seen := map[cases.ContactID]int{}
	p := storage.Page{Limit: 7}
	pages := 0
	for {
		var items []cases.Contact
		var next string
		view(t, s, func(tx storage.Tx) (err error) {
			items, next, err = tx.Contacts().List(ctx, storage.ContactFilter{}, p)
			return err
		})
		pages++
		if len(items) > 7 {
			t.Fatalf("page of %d items, limit 7", len(items))
		}
		for _, c := range items {
			seen[c.ID]++
		}
		if next == "" {
			break
		}
		if len(items) != 7 {
			t.Errorf("a page before the last holds %d items, want 7", len(items))
		}
		update(t, s, func(tx storage.Tx) error { return tx.Contacts().Create(ctx, makeContact(1000+pages)) })
		p.After = next
	}
	for _, id := range want {
		if seen[id] != 1 {
			t.Errorf("contact %s seen %d times while paging", id, seen[id])
		}
	}
	// Limits are clamped.
	view(t, s, func(tx storage.Tx) error {
		items, _, err := tx.Contacts().List(ctx, storage.ContactFilter{}, storage.Page{Limit: -1})
		if len(items) != len(seen) && len(items) != storage.DefaultLimit {
			t.Errorf("Limit -1 gave %d items", len(items))
		}
		return err
	})
}

func testCopies(t *testing.T, s storage.Store) {
	ctx := context.Background()
	c := makeContact(1)
	c.Aliases = []string{"first", "second"}
	update(t, s, func(tx storage.Tx) error { return tx.Contacts().Create(ctx, c) })
	c.Aliases[0] = "changed by the caller after create"
	var got cases.Contact
	view(t, s, func(tx storage.Tx) (err error) {
		got, err = tx.Contacts().Get(ctx, c.ID)
		return err
	})
	if got.Aliases[0] != "first" {
		t.Errorf("stored alias is %q: the store aliases the caller's slice", got.Aliases[0])
	}
	got.Aliases[1] = "changed by the caller after get"
	view(t, s, func(tx storage.Tx) error {
		again, err := tx.Contacts().Get(ctx, c.ID)
		if err == nil && again.Aliases[1] != "second" {
			t.Errorf("stored alias is %q: the store hands out its own slice", again.Aliases[1])
		}
		return err
	})
}

func testUnicodeAndLarge(t *testing.T, s storage.Store) {
	ctx := context.Background()
	c := makeContact(1)
	c.Name = "María-José Ñúñez 王小明 محمد 👩‍⚖️"
	c.Aliases = []string{"Zoë O'Brien-Łukasiewicz", "Ａｌｉａｓ", "e\u0301 (combining)", `quote " backslash \ tab` + "\t"}
	c.CulturalNotes = strings.Repeat("Ünïcödé notes, ", 20000) // about 300 kB
	update(t, s, func(tx storage.Tx) error { return tx.Contacts().Create(ctx, c) })
	client := seedContact(t, s)
	in := cases.Intake{
		ID: cases.IntakeID(newID()), Prospect: client.ID, Source: "walk-in",
		Facts:  strings.Repeat("The client says: «I was not there.» ", 30000), // about 1 MB
		Status: cases.IntakeOpen, Version: 1, Created: base, Updated: base,
	}
	update(t, s, func(tx storage.Tx) error { return tx.Intakes().Create(ctx, in) })
	view(t, s, func(tx storage.Tx) error {
		got, err := tx.Contacts().Get(ctx, c.ID)
		if err != nil {
			return err
		}
		if d := cmp.Diff(c, got); d != "" {
			t.Errorf("unicode contact (-want +got):\n%.2000s", d)
		}
		gotIn, err := tx.Intakes().Get(ctx, in.ID)
		if err != nil {
			return err
		}
		if gotIn.Facts != in.Facts {
			t.Errorf("1 MB of facts came back as %d bytes", len(gotIn.Facts))
		}
		return nil
	})
}
