package storagetest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// Clock is a deterministic clock for tests: every reading is one
// millisecond after the last. It is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock whose first reading is start.
func NewClock(start time.Time) *Clock { return &Clock{now: start.Add(-time.Millisecond)} }

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Now advances the clock by a millisecond and returns it.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Millisecond)
	return c.now
}

// NewFirm returns a Firm over s with a bootstrapped administrator, and a
// context acting as that administrator. opts may be nil; a nil Clock is
// replaced by a test clock starting on 2 March 2026.
func NewFirm(t testing.TB, s storage.Store, opts *docket.Options) (*docket.Firm, context.Context, access.User) {
	t.Helper()
	var o docket.Options
	if opts != nil {
		o = *opts
	}
	if o.Clock == nil {
		o.Clock = NewClock(base).Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler) // denials are many in the access tests
	}
	f, err := docket.New(s, &o)
	if err != nil {
		t.Fatalf("docket.New: %v", err)
	}
	// An administrator who is also a partner may do everything the tests
	// drive, short of restricted and walled cases.
	admin, err := f.Users.Bootstrap(context.Background(), access.User{Name: "Ada Admin", Email: "ada@firm.test", Roles: []access.Role{access.Partner}})
	if err != nil {
		t.Fatalf("Bootstrap: %v", err)
	}
	return f, access.WithActor(context.Background(), admin), admin
}

func testFirm(t *testing.T, s storage.Store) {
	f, ctx, admin := NewFirm(t, s, nil)
	maria, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "María García", PreferredLanguage: "es", InterpreterNeeded: true})
	if err != nil {
		t.Fatalf("create contact: %v", err)
	}
	auditLen := func() int64 {
		r, err := f.Audit.Verify(ctx)
		if err != nil || !r.OK {
			t.Fatalf("Verify: %v %v", r, err)
		}
		return r.To
	}
	good := cases.Draft{Type: "federal-criminal", Title: "United States v. García", Client: maria.ID, LeadAttorney: string(admin.ID)}
	c, err := f.Cases.Open(ctx, good)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	if c.Reference != "2026-CR-0001" || c.Stage != "intake" || c.Version != 1 {
		t.Errorf("opened case %s in stage %s at version %d", c.Reference, c.Stage, c.Version)
	}

	// Bad input: an error naming the field, nothing written, audit unchanged.
	n := auditLen()
	withType := func(d cases.Draft, typ string) cases.Draft { d.Type = typ; return d }
	withTitle := func(d cases.Draft, s string) cases.Draft { d.Title = s; return d }
	withClient := func(d cases.Draft, id cases.ContactID) cases.Draft { d.Client = id; return d }
	withRef := func(d cases.Draft, r string) cases.Draft { d.Reference = r; return d }
	withDate := func(d cases.Draft, dt cases.Date) cases.Draft { d.OpenedOn = dt; return d }
	for _, tc := range []struct {
		name   string
		draft  cases.Draft
		field  string
		target error
	}{
		{"empty title", withTitle(good, "  "), "Title", docket.ErrInvalid},
		{"unknown case type", withType(good, "federal-maritime"), "Type", docket.ErrInvalid},
		{"unknown client", withClient(good, "no-such-contact"), "Client", docket.ErrInvalid},
		{"duplicate reference", withRef(good, c.Reference), "Reference", storage.ErrExists},
		{"malformed reference", withRef(good, "2026 CR 1"), "Reference", docket.ErrInvalid},
		{"malformed date", withDate(good, cases.Date{Year: 2026, Month: 2, Day: 30}), "OpenedOn", docket.ErrInvalid},
	} {
		_, err := f.Cases.Open(ctx, tc.draft)
		assertField(t, tc.name, err, tc.field, tc.target)
	}
	_, err = f.Cases.Advance(ctx, c.ID, c.Version, "no-such-stage", "typo")
	assertField(t, "unknown stage", err, "Stage", docket.ErrInvalid)
	_, err = f.Cases.Advance(ctx, c.ID, c.Version, "sentencing", "skipping ahead")
	assertField(t, "step the workflow does not allow", err, "Stage", docket.ErrInvalid)
	_, err = f.Cases.Advance(ctx, c.ID, c.Version, "charging", "no conflict check yet")
	assertField(t, "leaving intake without a decision", err, "ConflictCheck", docket.ErrInvalid)
	_, err = f.Cases.Advance(ctx, c.ID, c.Version+1, "charging", "stale")
	assertField(t, "stale version", err, "Version", storage.ErrConflict)
	_, err = f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Kid", DateOfBirth: cases.Date{Year: 2099, Month: 1, Day: 1}})
	assertField(t, "birth in the future", err, "DateOfBirth", docket.ErrInvalid)
	_, err = f.Cases.Advance(ctx, c.ID, c.Version, "charging", "bad \xff byte")
	assertField(t, "a reason that is not UTF-8", err, "Reason", docket.ErrInvalid)
	_, err = f.Cases.Exit(ctx, c.ID, c.Version, "withdrawn", "NUL \x00 inside")
	assertField(t, "a reason with a NUL", err, "Reason", docket.ErrInvalid)
	_, err = f.Intake.RecordMeeting(ctx, cases.Meeting{Contact: maria.ID, At: base, Attendees: []string{"Alice"}, Interpreter: "Lucía\x00"})
	assertField(t, "an interpreter with a NUL", err, "Interpreter", docket.ErrInvalid)
	_, err = f.Contacts.Create(ctx, cases.Contact{ID: "has space", Kind: cases.Person, Name: "X"})
	assertField(t, "an ID with a space", err, "ID", docket.ErrInvalid)
	_, err = f.Contacts.Create(ctx, cases.Contact{ID: maria.ID, Kind: cases.Person, Name: "Someone else"})
	assertField(t, "an ID already used", err, "ID", storage.ErrExists)
	if got := auditLen(); got != n {
		t.Errorf("rejected operations changed the audit log from %d to %d entries", n, got)
	}
	// A case that does not exist is denied like one the actor may not see,
	// so the answer reveals nothing; the denial is audited, whatever bytes
	// the key held.
	for _, id := range []cases.ID{"\xff\xfe", "nul\x00id", "no-such-case"} {
		if _, err := f.Cases.Get(ctx, id); !errors.Is(err, docket.ErrForbidden) {
			t.Errorf("Get(%q): %v, want ErrForbidden", id, err)
		}
	}
	if got := auditLen(); got != n+3 {
		t.Errorf("three denials took the audit log from %d to %d entries", n, got)
	}
	page, err := f.Cases.List(ctx, docket.CaseFilter{}, nil)
	if err != nil || len(page.Items) != 1 {
		t.Errorf("after rejected opens there are %d cases (err %v), want 1", len(page.Items), err)
	}

	// No actor: nothing is read or written.
	if _, err := f.Cases.Get(context.Background(), c.ID); !errors.Is(err, docket.ErrUnauthenticated) {
		t.Errorf("Get without an actor: %v, want ErrUnauthenticated", err)
	}
	if _, err := f.Contacts.Create(context.Background(), cases.Contact{Kind: cases.Person, Name: "X"}); !errors.Is(err, docket.ErrUnauthenticated) {
		t.Errorf("Create without an actor: %v, want ErrUnauthenticated", err)
	}

	// A party added by mistake is removed; the audit keeps what it was.
	wit, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Wrong Witness"})
	if err != nil {
		t.Fatal(err)
	}
	party, err := f.Cases.AddParty(ctx, cases.Party{Case: c.ID, Contact: wit.ID, Role: cases.RoleWitness})
	if err != nil {
		t.Fatal(err)
	}
	err = f.Cases.RemoveParty(ctx, c.ID, party.ID, party.Version, "")
	assertField(t, "removing a party without a reason", err, "Reason", docket.ErrInvalid)
	if err := f.Cases.RemoveParty(ctx, c.ID, party.ID, party.Version+1, "x"); !errors.Is(err, storage.ErrConflict) {
		t.Errorf("removing with a stale version: %v", err)
	}
	if err := f.Cases.RemoveParty(ctx, "other-case", party.ID, party.Version, "x"); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("removing through another case: %v", err)
	}
	if err := f.Cases.RemoveParty(ctx, c.ID, party.ID, party.Version, "added to the wrong case"); err != nil {
		t.Fatal(err)
	}
	if ps, _ := f.Cases.Parties(ctx, c.ID); len(ps) != 0 {
		t.Errorf("after the removal the case has parties %+v", ps)
	}
	gone, err := f.Audit.List(ctx, docket.AuditFilter{ResourceType: "party", ResourceID: string(party.ID)}, nil)
	// The party was created and removed. The denied attempt through a
	// case that does not exist is in the log but not in lists: an entry
	// about a missing case is hidden like one about a hidden case.
	if err != nil || len(gone.Items) != 2 || gone.Items[1].Action != "party.delete" || gone.Items[1].Reason != "added to the wrong case" {
		t.Fatalf("party trail: %+v %v", gone.Items, err)
	}
	for _, ch := range gone.Items[1].Changes {
		if ch.After != "" || ch.Before == "" {
			t.Errorf("the removal's change %s is %q -> %q, want the old value and nothing after", ch.Field, ch.Before, ch.After)
		}
	}

	// Clear the conflict check, then the case moves on.
	in, err := f.Intake.Take(ctx, cases.Intake{Prospect: maria.ID, Source: "referral", Facts: "I was stopped at the border."})
	if err != nil {
		t.Fatalf("intake: %v", err)
	}
	chk, err := f.Conflicts.Run(ctx, in.ID)
	if err != nil {
		t.Fatalf("run check: %v", err)
	}
	chk, err = f.Conflicts.Decide(ctx, chk.ID, chk.Version, cases.Cleared, "", "no adverse parties")
	if err != nil {
		t.Fatalf("decide: %v", err)
	}
	c.ConflictCheck = chk.ID
	if c, err = f.Cases.Update(ctx, c); err != nil {
		t.Fatalf("attach check: %v", err)
	}
	if c, err = f.Cases.Advance(ctx, c.ID, c.Version, "charging", "indictment returned"); err != nil {
		t.Fatalf("advance: %v", err)
	}
	if c, err = f.Cases.Exit(ctx, c.ID, c.Version, "dismissed", "indictment dismissed"); err != nil {
		t.Fatalf("exit: %v", err)
	}
	if c.Status != cases.Closed || c.Outcome != "dismissed" || c.ClosedOn.IsZero() {
		t.Errorf("after exit: status %s, outcome %q, closed on %s", c.Status, c.Outcome, c.ClosedOn)
	}
	hist, err := f.Cases.History(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, h := range hist {
		steps = append(steps, fmt.Sprintf("%d %s>%s %s", h.Seq, h.From, h.To, h.Exit))
	}
	if d := cmp.Diff([]string{"1 >intake ", "2 intake>charging ", "3 charging>closed dismissed"}, steps); d != "" {
		t.Errorf("stage history (-want +got):\n%s", d)
	}
	trail, err := f.Audit.ForCase(ctx, c.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range trail.Items {
		actions = append(actions, e.Action)
	}
	if d := cmp.Diff([]string{"case.open", "party.create", "party.delete", "conflict.attach", "case.update", "case.advance", "case.exit"}, actions); d != "" {
		t.Errorf("case trail (-want +got):\n%s", d)
	}
}

// assertField checks that err names field and matches target.
func assertField(t *testing.T, what string, err error, field string, target error) {
	t.Helper()
	var fe *cases.FieldError
	switch {
	case err == nil:
		t.Errorf("%s: no error", what)
	case !errors.As(err, &fe):
		t.Errorf("%s: error %q is not a *cases.FieldError", what, err)
	case fe.Field != field:
		t.Errorf("%s: error names field %q, want %q (%v)", what, fe.Field, field, err)
	case !errors.Is(err, target):
		t.Errorf("%s: error %q does not match %v", what, err, target)
	}
}

// testConcurrentBootstrap: of 8 callers racing to create the first user,
// exactly one succeeds; the others get ErrExists.
func testConcurrentBootstrap(t *testing.T, s storage.Store) {
	f, err := docket.New(s, &docket.Options{Clock: NewClock(base).Now})
	if err != nil {
		t.Fatal(err)
	}
	const callers = 8
	errs := make(chan error, callers)
	for i := range callers {
		go func() {
			_, err := f.Users.Bootstrap(context.Background(), access.User{Name: fmt.Sprintf("Admin %d", i), Email: fmt.Sprintf("admin%d@firm.test", i)})
			errs <- err
		}()
	}
	ok := 0
	for range callers {
		switch err := <-errs; {
		case err == nil:
			ok++
		case !errors.Is(err, storage.ErrExists):
			t.Errorf("Bootstrap: %v, want success or ErrExists", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent bootstraps succeeded, want exactly 1", ok, callers)
	}
}

// testConcurrentWriters races 8 writers, 200 updates each, on one case:
// every attempt either succeeds or gets a version conflict, the audit log
// holds one entry per success, and no success is lost.
func testConcurrentWriters(t *testing.T, s storage.Store) {
	const writers, attempts = 8, 200
	f, ctx, _ := NewFirm(t, s, nil)
	client, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex Corporation"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: client.ID})
	if err != nil {
		t.Fatal(err)
	}
	var ok, conflicts, failures atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range attempts {
				cur, err := f.Cases.Get(ctx, c.ID)
				if err != nil {
					failures.Add(1)
					t.Errorf("get: %v", err)
					return
				}
				cur.Title = fmt.Sprintf("Globex v. Initech (writer %d, edit %d)", w, i)
				_, err = f.Cases.Update(ctx, cur)
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, storage.ErrConflict):
					conflicts.Add(1)
				default:
					failures.Add(1)
					t.Errorf("update: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if failures.Load() > 0 {
		t.FailNow()
	}
	if got := ok.Load() + conflicts.Load(); got != writers*attempts {
		t.Errorf("successes %d + conflicts %d = %d, want %d attempts", ok.Load(), conflicts.Load(), got, writers*attempts)
	}
	final, err := f.Cases.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if final.Version != 1+ok.Load() {
		t.Errorf("final version %d, want 1 + %d successes: an update was lost", final.Version, ok.Load())
	}
	updates := map[string]bool{}
	var last string
	p := &docket.ListOptions{Limit: 500}
	for {
		page, err := f.Audit.List(ctx, docket.AuditFilter{Case: string(c.ID)}, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Items {
			if e.Action != "case.update" {
				continue
			}
			for _, ch := range e.Changes {
				if ch.Field == "Title" {
					updates[ch.After] = true
					last = ch.After
				}
			}
		}
		if page.Next == "" {
			break
		}
		p.After = page.Next
	}
	if int64(len(updates)) != ok.Load() {
		t.Errorf("audit holds %d distinct title changes, want %d successes", len(updates), ok.Load())
	}
	if want := fmt.Sprintf("%q", final.Title); last != want {
		t.Errorf("the last audited title is %s, the stored one %s", last, want)
	}
	if r, err := f.Audit.Verify(ctx); err != nil || !r.OK {
		t.Errorf("Verify after the race: %v %v", r, err)
	}
	t.Logf("%d writers x %d attempts: %d succeeded, %d conflicted", writers, attempts, ok.Load(), conflicts.Load())
}
