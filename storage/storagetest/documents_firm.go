package storagetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// documentFirm is a firm with a case, its team and outsiders, for the
// document tests.
type documentFirm struct {
	f     *docket.Firm
	clock *Clock
	ctx   context.Context // the administrator, a partner, lead attorney of c
	admin access.User
	// alice manages c; bob is an attorney off its team; carl a case
	// manager off its team; maria the client's portal account; sysadmin
	// an administrator.
	alice, bob, carl, maria, sysadmin access.User
	c                                 cases.Case
	client                            cases.Contact
}

func (df *documentFirm) as(u access.User) context.Context {
	return access.WithActor(context.Background(), u)
}

func newDocumentFirm(t *testing.T, s storage.Store, opts *docket.Options) *documentFirm {
	t.Helper()
	var o docket.Options
	if opts != nil {
		o = *opts
	}
	clock := NewClock(time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC))
	o.Clock = clock.Now
	o.Location, _ = time.LoadLocation("America/New_York")
	o.Profile = document.FirmFields{Name: "Avery & Brook LLP", Address: "1 Main Street, New York, NY 10001", Phone: "+1 212 555 0100"}
	f, ctx, admin := NewFirm(t, s, &o)
	df := &documentFirm{f: f, clock: clock, ctx: ctx, admin: admin}
	mk := func(name string, role access.Role) access.User {
		u, err := f.Users.Create(ctx, access.User{Name: name, Email: strings.ToLower(strings.Fields(name)[0]) + "@firm.test", Roles: []access.Role{role}})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	df.alice = mk("Alice Manager", access.CaseManager)
	df.bob = mk("Bob Attorney", access.Attorney)
	df.carl = mk("Carl Manager", access.CaseManager)
	df.sysadmin = mk("Sam Sysadmin", access.Administrator)
	var err error
	if df.client, err = f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Ada Byron", Addresses: []string{"12 St James's Square, New York, NY 10002"},
		Emails: []string{"ada@example.test"}}); err != nil {
		t.Fatal(err)
	}
	if df.maria, err = f.Users.Create(ctx, access.User{Name: "Ada Byron", Email: "ada@example.test", Roles: []access.Role{access.ClientUser}, Contact: string(df.client.ID)}); err != nil {
		t.Fatal(err)
	}
	globex, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex Corporation"})
	if err != nil {
		t.Fatal(err)
	}
	if df.c, err = f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Byron v. Globex Corporation", Client: df.client.ID, Court: "S.D.N.Y.",
		Judge: "Hon. Jane Roe", LeadAttorney: string(admin.ID), CaseManager: string(df.alice.ID)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Cases.AddParty(ctx, cases.Party{Case: df.c.ID, Contact: globex.ID, Role: cases.RoleOpposingParty}); err != nil {
		t.Fatal(err)
	}
	return df
}

func text(s string) docket.Content {
	return docket.Content{Body: strings.NewReader(s), MediaType: "text/plain", Comment: "edit"}
}

func contentOf(t *testing.T, f *docket.Firm, ctx context.Context, id document.ID, n int) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := f.Documents.Content(ctx, id, n, &b); err != nil {
		t.Fatalf("Content(%s, %d): %v", id, n, err)
	}
	return b.String()
}

// documentTests are the Firm-level document tests, which RunDocuments
// also runs with content outside the database.
var documentTests = []struct {
	name string
	fn   func(*testing.T, storage.Store, *docket.Options)
}{
	{"DocumentEditing", testDocumentEditing},
	{"DocumentRace", testDocumentRace},
	{"DocumentHolds", testDocumentHolds},
	{"DocumentAccess", testDocumentAccess},
	{"DocumentAssembly", testDocumentAssembly},
	{"DocumentSearch", testDocumentSearch},
	{"CorrespondenceImport", testCorrespondenceImport},
	{"CorrespondenceRecord", testCorrespondenceRecord},
	{"CorrespondenceAccess", testCorrespondenceAccess},
	{"CorrespondenceRetention", testCorrespondenceRetention},
	{"CorrespondenceInterrupted", testCorrespondenceInterrupted},
	{"Feed", testFeed},
}

// RunDocuments runs the Firm-level document tests on stores made by
// newStore, with the options opts gives each test (such as Blobs, for
// content kept in a directory).
func RunDocuments(t *testing.T, newStore NewStore, opts func(t *testing.T) *docket.Options) {
	for _, tc := range documentTests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			defer s.Close()
			tc.fn(t, s, opts(t))
		})
	}
}

// testDocumentEditing: versions are immutable and based on the current
// one; check-out locks out other editors until check-in, cancel, lapse or
// a lead attorney's audited break.
func testDocumentEditing(t *testing.T, s storage.Store, o *docket.Options) {
	df := newDocumentFirm(t, s, o)
	f, ctx := df.f, df.ctx
	alice := df.as(df.alice)
	d, v1, err := f.Documents.Create(alice, document.Document{Case: df.c.ID, Title: "Motion to dismiss", Kind: document.Motion, Tags: []string{"12b6"}},
		text("first draft"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Current != 1 || v1.Number != 1 || v1.Author != string(df.alice.ID) || v1.Hash != hashOf([]byte("first draft")) || v1.Size != 11 {
		t.Fatalf("created %+v, %+v", d, v1)
	}
	v2, err := f.Documents.AddVersion(ctx, d.ID, 1, text("second draft"))
	if err != nil || v2.Number != 2 || v2.BasedOn != 1 {
		t.Fatalf("AddVersion: %+v, %v", v2, err)
	}
	// Alice's edit of version 1 would overwrite the partner's: refused,
	// naming the current version.
	_, err = f.Documents.AddVersion(alice, d.ID, 1, text("alice's edit of the first draft"))
	var ce *docket.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, storage.ErrConflict) || ce.Current != 2 || !strings.Contains(err.Error(), "version 2 is current") {
		t.Fatalf("a stale base: %v", err)
	}
	if got := contentOf(t, f, alice, d.ID, 0); got != "second draft" {
		t.Errorf("current content %q", got)
	}
	if got := contentOf(t, f, alice, d.ID, 1); got != "first draft" {
		t.Errorf("version 1 changed: %q", got)
	}

	// Check-out: the partner cannot add a version while Alice holds it.
	if d, err = f.Documents.CheckOut(alice, d.ID, time.Hour); err != nil || d.CheckedOutBy != string(df.alice.ID) {
		t.Fatalf("CheckOut: %+v, %v", d, err)
	}
	_, err = f.Documents.AddVersion(ctx, d.ID, 2, text("partner's edit"))
	if !errors.As(err, &ce) || ce.CheckedOutBy != string(df.alice.ID) || !strings.Contains(err.Error(), "checked out by") {
		t.Fatalf("a version while checked out by another: %v", err)
	}
	if _, err := f.Documents.CheckOut(ctx, d.ID, time.Hour); !errors.Is(err, storage.ErrConflict) {
		t.Errorf("checking out a checked-out document: %v", err)
	}
	if _, err := f.Documents.Delete(ctx, d.ID, d.Version, "duplicate"); !errors.Is(err, storage.ErrConflict) {
		t.Errorf("deleting a document another holds: %v", err)
	}
	d, v3, err := f.Documents.CheckIn(alice, d.ID, 2, text("third draft"))
	if err != nil || v3.Number != 3 || d.CheckedOutBy != "" || d.Current != 3 {
		t.Fatalf("CheckIn: %+v %+v %v", d, v3, err)
	}
	// A lapsed lock holds nobody.
	if d, err = f.Documents.CheckOut(alice, d.ID, time.Minute); err != nil {
		t.Fatal(err)
	}
	df.clock.Advance(2 * time.Minute)
	if _, err := f.Documents.AddVersion(ctx, d.ID, 3, text("fourth draft")); err != nil {
		t.Errorf("a version after the lock lapsed: %v", err)
	}
	// Breaking a lock: Bob, an attorney off the team, may not; Carl, a case
	// manager, may not; the lead attorney (the partner) may, with a reason;
	// so may an administrator.
	if d, err = f.Documents.CheckOut(alice, d.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	for _, u := range []access.User{df.bob, df.carl} {
		if _, err := f.Documents.BreakLock(df.as(u), d.ID, "urgent filing"); !errors.Is(err, docket.ErrForbidden) {
			t.Errorf("%s breaking the lock: %v", u.Name, err)
		}
	}
	if _, err := f.Documents.BreakLock(ctx, d.ID, ""); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("breaking without a reason: %v", err)
	}
	if d, err = f.Documents.BreakLock(ctx, d.ID, "Alice is out; the brief is due at 5pm"); err != nil || d.CheckedOutBy != "" {
		t.Fatalf("BreakLock: %+v %v", d, err)
	}
	if d, err = f.Documents.CheckOut(alice, d.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	if d, err = f.Documents.BreakLock(df.as(df.sysadmin), d.ID, "stuck lock"); err != nil {
		t.Fatalf("an administrator breaking the lock: %v", err)
	}
	if _, _, err := f.Documents.CheckIn(alice, d.ID, 4, text("late")); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("checking in after the lock was broken: %v", err)
	}
	// The lead attorney breaks a lock by being the lead attorney: Bob, a
	// plain attorney (no document.unlock), may on his own case.
	bobs, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Byron v. Initech", Client: df.client.ID, LeadAttorney: string(df.bob.ID), CaseManager: string(df.alice.ID)})
	if err != nil {
		t.Fatal(err)
	}
	bd, _, err := f.Documents.Create(alice, document.Document{Case: bobs.ID, Title: "Complaint", Kind: document.Pleading}, text("draft"))
	if err != nil {
		t.Fatal(err)
	}
	if bd, err = f.Documents.CheckOut(alice, bd.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Documents.BreakLock(df.as(df.carl), bd.ID, "urgent"); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a case manager off the team breaking the lock: %v", err)
	}
	if bd, err = f.Documents.BreakLock(df.as(df.bob), bd.ID, "Alice is on leave"); err != nil || bd.CheckedOutBy != "" {
		t.Errorf("the lead attorney, a plain attorney, breaking the lock: %+v %v", bd, err)
	}
	entries, err := f.Audit.ForCase(ctx, df.c.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	var broken int
	for _, e := range entries.Items {
		if e.Action == "document.lock-broken" && e.ResourceID == string(d.ID) && strings.Contains(e.Reason, "due at 5pm") ||
			e.Action == "document.lock-broken" && e.Reason == "stuck lock" {
			broken++
		}
	}
	if broken != 2 {
		t.Errorf("%d lock breaks audited, want 2", broken)
	}
	vs, err := f.Documents.Versions(alice, d.ID, nil)
	if err != nil || len(vs.Items) != 4 {
		t.Fatalf("versions: %d, %v", len(vs.Items), err)
	}
	for i, v := range vs.Items {
		if v.Number != i+1 || v.BasedOn != i {
			t.Errorf("version %d: %+v", i+1, v)
		}
	}

	// Bad input names the field and writes nothing.
	before := auditCount(t, s)
	for _, tc := range []struct {
		name, field string
		call        func() error
	}{
		{"no body", "Content.Body", func() error {
			_, _, err := f.Documents.Create(alice, document.Document{Case: df.c.ID, Title: "X", Kind: document.Note}, docket.Content{MediaType: "text/plain"})
			return err
		}},
		{"bad media type", "MediaType", func() error {
			_, _, err := f.Documents.Create(alice, document.Document{Case: df.c.ID, Title: "X", Kind: document.Note}, docket.Content{Body: strings.NewReader("x"), MediaType: "text"})
			return err
		}},
		{"bad kind", "Kind", func() error {
			_, _, err := f.Documents.Create(alice, document.Document{Case: df.c.ID, Title: "X", Kind: "memo"}, text("x"))
			return err
		}},
		{"too long a check-out", "CheckedOutUntil", func() error {
			_, err := f.Documents.CheckOut(alice, d.ID, 30*24*time.Hour)
			return err
		}},
	} {
		var fe *cases.FieldError
		if err := tc.call(); !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: %v, want a FieldError on %s", tc.name, err, tc.field)
		}
	}
	if after := auditCount(t, s); after != before {
		t.Errorf("bad input wrote %d audit entries", after-before)
	}
	// A size limit: content over it is refused and nothing is kept;
	// content of exactly the limit is taken.
	smallOpts := docket.Options{MaxVersionSize: 10, Clock: df.clock.Now}
	if o != nil {
		smallOpts.Blobs = o.Blobs
	}
	small, err := docket.New(s, &smallOpts)
	if err != nil {
		t.Fatal(err)
	}
	var fe *cases.FieldError
	if _, err := small.Documents.AddVersion(alice, d.ID, 4, text("eleven byte")); !errors.As(err, &fe) || fe.Field != "Content.Body" {
		t.Errorf("content over the limit: %v", err)
	}
	if _, err := small.Documents.AddVersion(alice, d.ID, 4, text("ten bytes!")); err != nil {
		t.Errorf("content of the limit: %v", err)
	}
	if after := auditCount(t, s); after != before+1 {
		t.Errorf("%d audit entries for one version", after-before)
	}
}

// testDocumentRace: editors racing to add a version to the same base:
// exactly one wins each round, the others get ErrConflict naming the
// winner's version, and every stored version is intact.
func testDocumentRace(t *testing.T, s storage.Store, o *docket.Options) {
	df := newDocumentFirm(t, s, o)
	f, ctx := df.f, df.ctx
	d, _, err := f.Documents.Create(ctx, document.Document{Case: df.c.ID, Title: "Brief", Kind: document.Brief}, text("v1"))
	if err != nil {
		t.Fatal(err)
	}
	editors := []access.User{df.admin, df.alice}
	for i := range 4 {
		u, err := f.Users.Create(ctx, access.User{Name: fmt.Sprintf("Editor %d", i), Email: "e@firm.test", Roles: []access.Role{access.Partner}})
		if err != nil {
			t.Fatal(err)
		}
		editors = append(editors, u)
	}
	const rounds = 15
	winners := map[int]string{1: "v1"}
	for round := range rounds {
		base := round + 1
		var wg sync.WaitGroup
		results := make([]error, len(editors))
		for i, u := range editors {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, results[i] = f.Documents.AddVersion(df.as(u), d.ID, base, text(fmt.Sprintf("round %d by editor %d", round, i)))
			}()
		}
		wg.Wait()
		won := -1
		for i, err := range results {
			var ce *docket.ConflictError
			switch {
			case err == nil:
				if won >= 0 {
					t.Fatalf("round %d: editors %d and %d both won", round, won, i)
				}
				won = i
			case errors.As(err, &ce) && errors.Is(err, storage.ErrConflict):
			default:
				t.Fatalf("round %d, editor %d: %v", round, i, err)
			}
		}
		if won < 0 {
			t.Fatalf("round %d: nobody won", round)
		}
		winners[base+1] = fmt.Sprintf("round %d by editor %d", round, won)
	}
	for n, want := range winners {
		if got := contentOf(t, f, ctx, d.ID, n); got != want {
			t.Errorf("version %d holds %q, want %q", n, got, want)
		}
	}
	got, err := f.Documents.Get(ctx, d.ID)
	if err != nil || got.Current != rounds+1 {
		t.Errorf("current %d, want %d (%v)", got.Current, rounds+1, err)
	}
}

// testDocumentHolds: no deletion path removes held content: soft delete
// keeps it, retention passes it by, the store refuses to purge it; once
// released, retention purges what is due and the content no other
// version uses.
func testDocumentHolds(t *testing.T, s storage.Store, o *docket.Options) {
	var opts docket.Options
	if o != nil {
		opts = *o
	}
	opts.DocumentRetention = 30 * 24 * time.Hour
	df := newDocumentFirm(t, s, &opts)
	f, ctx := df.f, df.ctx
	alice := df.as(df.alice)
	mk := func(ctx context.Context, title, body string) document.Document {
		d, _, err := f.Documents.Create(ctx, document.Document{Case: df.c.ID, Title: title, Kind: document.Evidence}, text(body))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	held := mk(ctx, "Email chain", "the smoking gun")
	custodial := mk(alice, "Alice's notes", "notes")
	free := mk(ctx, "Draft letter", "a draft nobody needs")
	sharing := mk(ctx, "Copy of the draft", "a draft nobody needs") // same content as free
	live := mk(ctx, "Board minutes", "minutes")
	// Deleted before any hold: restorable until retention purges them.
	for _, d := range []document.Document{held, custodial, free, sharing} {
		if _, err := f.Documents.Delete(ctx, d.ID, d.Version, "clean-up"); err != nil {
			t.Fatal(err)
		}
	}
	hold, err := f.Documents.PlaceHold(ctx, document.Hold{Case: df.c.ID, Matter: "SEC inquiry 26-114", Reason: "subpoena duces tecum"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Documents.PlaceHold(ctx, document.Hold{Custodian: "nobody", Matter: "x", Reason: "y"}); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("a hold on an unknown custodian: %v", err)
	}
	custodian, err := f.Documents.PlaceHold(ctx, document.Hold{Custodian: string(df.alice.ID), Matter: "Doe v. Firm", Reason: "employment claim"})
	if err != nil {
		t.Fatal(err)
	}
	// Held, a document is not deleted at all.
	if _, err := f.Documents.Delete(ctx, live.ID, live.Version, "clean-up"); !errors.Is(err, storage.ErrHeld) {
		t.Errorf("deleting a held document: %v", err)
	}
	// Not yet due: nothing purged.
	rep, err := f.Documents.ApplyRetention(df.as(df.sysadmin))
	if err != nil || rep.PurgedCount != 0 || rep.HeldCount != 0 {
		t.Fatalf("retention before the period: %+v %v", rep, err)
	}
	df.clock.Advance(31 * 24 * time.Hour)
	// The store itself refuses, whoever asks.
	err = s.Update(context.Background(), func(tx storage.Tx) error {
		d, err := tx.Documents().Get(context.Background(), held.ID)
		if err != nil {
			return err
		}
		return tx.Documents().Purge(context.Background(), held.ID, d.Version)
	})
	if !errors.Is(err, storage.ErrHeld) {
		t.Errorf("purging a held document in the store: %v", err)
	}
	rep, err = f.Documents.ApplyRetention(df.as(df.sysadmin))
	if err != nil {
		t.Fatal(err)
	}
	// Every document here is on the case, so the case hold keeps them all.
	if rep.PurgedCount != 0 || rep.HeldCount != 4 {
		t.Fatalf("retention under a case hold: %+v", rep)
	}
	if _, err := f.Documents.ReleaseHold(ctx, hold.ID, hold.Version, "inquiry closed"); err != nil {
		t.Fatal(err)
	}
	if _, err = f.Documents.ApplyRetention(alice); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a case manager applying retention: %v", err)
	}
	rep, err = f.Documents.ApplyRetention(df.as(df.sysadmin))
	if err != nil {
		t.Fatal(err)
	}
	if rep.PurgedCount != 3 || rep.HeldCount != 1 || rep.BlobsDeleted != 2 {
		t.Fatalf("retention after the case hold's release: %+v", rep)
	}
	if o != nil && o.Blobs != nil && rep.FilesRemoved != 2 {
		t.Errorf("retention removed %d files, want 2", rep.FilesRemoved)
	}
	// The administrator, who may not read the case's documents, is told
	// counts, not which.
	if len(rep.Purged) != 0 || len(rep.Held) != 0 {
		t.Errorf("the report names documents to an administrator: %+v", rep)
	}
	// The custodian's notes survive, content and all, and can be restored.
	d, err := f.Documents.Restore(alice, custodial.ID, custodial.Version+1, "needed after all")
	if err != nil {
		t.Fatal(err)
	}
	if got := contentOf(t, f, alice, d.ID, 0); got != "notes" {
		t.Errorf("held content %q", got)
	}
	for _, gone := range []document.Document{held, free, sharing} {
		if _, err := f.Documents.Get(ctx, gone.ID); !errors.Is(err, docket.ErrForbidden) {
			t.Errorf("a purged document: %v", err)
		}
	}
	// A purged document's audit trail stays readable where its case is,
	// to those who read every document on it (the lead partner, allowed
	// privileged material), and to nobody else (an administrator who was
	// shown the entries while the document was there).
	trail := func(ctx context.Context, id document.ID) []string {
		t.Helper()
		p, err := f.Audit.List(ctx, docket.AuditFilter{ResourceType: storage.KindDocument, ResourceID: string(id)}, &docket.ListOptions{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range p.Items {
			actions = append(actions, e.Action)
		}
		return actions
	}
	if diff := cmp.Diff([]string{"document.create", "document.delete", "document.purge"}, trail(ctx, held.ID)); diff != "" {
		t.Errorf("the lead partner's trail of a purged document (-want +got):\n%s", diff)
	}
	if got := trail(df.as(df.sysadmin), held.ID); len(got) != 0 {
		t.Errorf("an administrator reads the trail of a purged document: %v", got)
	}
	if got := trail(df.as(df.sysadmin), live.ID); len(got) == 0 {
		t.Error("an administrator reads no trail of a live document")
	}
	// An entry naming a document that never existed (a denied attempt
	// with an ID of the caller's choosing) shows to nobody.
	ghost := document.ID("ghost-settlement-offer")
	if _, _, err := f.Documents.Create(df.as(df.maria), document.Document{ID: ghost, Case: df.c.ID, Title: "Settlement offer", Kind: document.Letter}, text("2m")); !errors.Is(err, docket.ErrForbidden) {
		t.Fatalf("a portal user creating a document: %v", err)
	}
	if got := trail(ctx, ghost); len(got) != 0 {
		t.Errorf("the lead partner reads entries about a document that never existed: %v", got)
	}
	// The case's team reads every document on it too: a firm that lets
	// case managers read the audit log shows alice, its case manager, the
	// trail; a legal secretary off the team, not allowed privileged
	// material, not.
	table, err := f.Access.RoleTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []access.Role{access.CaseManager, access.LegalSecretary} {
		table.Grants[r] = append(table.Grants[r], access.AuditRead)
	}
	if _, err := f.Access.SetRoleTable(ctx, table); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"document.create", "document.delete", "document.purge"}, trail(alice, held.ID)); diff != "" {
		t.Errorf("the case manager's trail of a purged document (-want +got):\n%s", diff)
	}
	outsider, err := f.Users.Create(ctx, access.User{Name: "Olive Outsider", Email: "olive@firm.test", Roles: []access.Role{access.LegalSecretary}})
	if err != nil {
		t.Fatal(err)
	}
	if got := trail(df.as(outsider), held.ID); len(got) != 0 {
		t.Errorf("a secretary off the team reads the trail of a purged document: %v", got)
	}
	if got := trail(df.as(outsider), live.ID); len(got) == 0 {
		t.Error("a secretary off the team reads no trail of a live document")
	}
	if _, err := f.Documents.ReleaseHold(ctx, custodian.ID, custodian.Version, "settled"); err != nil {
		t.Fatal(err)
	}
	holds, err := f.Documents.Holds(ctx, docket.HoldFilter{Active: true}, nil)
	if err != nil || len(holds.Items) != 0 {
		t.Errorf("active holds: %+v %v", holds, err)
	}
	// No hold now: the live document may go; a retention run by an
	// administrator screened from the case neither purges nor counts it;
	// an unscreened one purges it.
	if live, err = f.Documents.Get(ctx, live.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Documents.Delete(ctx, live.ID, live.Version, "superseded"); err != nil {
		t.Fatal(err)
	}
	df.clock.Advance(31 * 24 * time.Hour)
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{df.sysadmin.ID}, Cases: []string{string(df.c.ID)}, Reason: "his brother is the opposing party", ApprovedBy: df.admin.ID}); err != nil {
		t.Fatal(err)
	}
	if rep, err = f.Documents.ApplyRetention(df.as(df.sysadmin)); err != nil || rep.PurgedCount != 0 || rep.HeldCount != 0 {
		t.Errorf("a screened administrator's retention run: %+v %v", rep, err)
	}
	if rep, err = f.Documents.ApplyRetention(ctx); err != nil || rep.PurgedCount != 1 || len(rep.Purged) != 1 || rep.Purged[0] != live.ID {
		t.Errorf("an unscreened retention run: %+v %v", rep, err)
	}
	v, err := f.Audit.Verify(ctx)
	if err != nil || !v.OK {
		t.Errorf("audit chain: %+v %v", v, err)
	}
}

// testDocumentAccess: documents follow their case (walls, restricted
// cases); privileged ones show only to the team and to roles granted
// document.privileged; a portal user sees only what is shared with the
// client, and nothing through any list.
func testDocumentAccess(t *testing.T, s storage.Store, o *docket.Options) {
	df := newDocumentFirm(t, s, o)
	f, ctx := df.f, df.ctx
	mk := func(title string, privileged, shared bool) document.Document {
		d, _, err := f.Documents.Create(ctx, document.Document{Case: df.c.ID, Title: title, Kind: document.Letter, Privileged: privileged, Shared: shared}, text(title))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	plain := mk("Letter to opposing counsel", false, false)
	advice := mk("Advice to the client", true, true)
	memo := mk("Litigation strategy memo", true, false)
	shared := mk("Filed complaint", false, true)
	for _, tc := range []struct {
		who  access.User
		want []document.Document
	}{
		{df.alice, []document.Document{plain, advice, memo, shared}}, // on the team
		{df.bob, []document.Document{plain, advice, memo, shared}},   // an attorney: document.privileged
		{df.carl, []document.Document{plain, shared}},                // a case manager off the team
		{df.maria, []document.Document{advice, shared}},              // the client: shared only
	} {
		uctx := df.as(tc.who)
		list, err := f.Documents.List(uctx, docket.DocumentFilter{}, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.who.Name, err)
		}
		var got, want []document.ID
		for _, d := range list.Items {
			got = append(got, d.ID)
		}
		for _, d := range tc.want {
			want = append(want, d.ID)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s lists %v, want %v", tc.who.Name, got, want)
		}
		for _, d := range []document.Document{plain, advice, memo, shared} {
			_, err := f.Documents.Get(uctx, d.ID)
			var b bytes.Buffer
			_, cerr := f.Documents.Content(uctx, d.ID, 0, &b)
			if ok := slices.Contains(want, d.ID); ok != (err == nil) || ok != (cerr == nil) {
				t.Errorf("%s reading %q: %v / %v", tc.who.Name, d.Title, err, cerr)
			}
			if cerr != nil && b.Len() > 0 {
				t.Errorf("%s was shown %d bytes of %q", tc.who.Name, b.Len(), d.Title)
			}
		}
	}
	// Carl may not make the memo his own by editing it, nor create
	// privileged documents on a case whose team he is not on.
	if _, err := f.Documents.Update(df.as(df.carl), memo); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("Carl updating the memo: %v", err)
	}
	if _, _, err := f.Documents.Create(df.as(df.carl), document.Document{Case: df.c.ID, Title: "x", Kind: document.Note, Privileged: true}, text("x")); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("Carl creating a privileged document: %v", err)
	}
	// Disclosure is its own decision. Alice, on the team, may edit the
	// memo but not lift its privilege (document.privileged) nor share it;
	// a legal secretary may not share even a plain document; an
	// administrator may not break a lock on what he may not open.
	sec, err := f.Users.Create(ctx, access.User{Name: "Sue Secretary", Email: "sue@firm.test", Roles: []access.Role{access.LegalSecretary}})
	if err != nil {
		t.Fatal(err)
	}
	m := memo
	m.Privileged = false
	if _, err := f.Documents.Update(df.as(df.alice), m); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a case manager lifting privilege: %v", err)
	}
	p := plain
	p.Shared = true
	if _, err := f.Documents.Update(df.as(sec), p); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a legal secretary sharing a document with the client: %v", err)
	}
	if _, _, err := f.Documents.Create(df.as(sec), document.Document{Case: df.c.ID, Title: "x", Kind: document.Note, Shared: true}, text("x")); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a legal secretary creating a shared document: %v", err)
	}
	m.Privileged, m.Title = true, "Litigation strategy memo (rev.)"
	if memo, err = f.Documents.Update(df.as(df.alice), m); err != nil {
		t.Errorf("a case manager on the team editing the memo: %v", err)
	}
	if _, err := f.Documents.CheckOut(df.as(df.alice), memo.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Documents.BreakLock(df.as(df.sysadmin), memo.ID, "stuck"); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("an administrator breaking the lock on a privileged memo: %v", err)
	}
	if _, err := f.Documents.BreakLock(df.as(df.sysadmin), plain.ID, "stuck"); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("an administrator breaking no lock on a plain document: %v", err)
	}
	// The client reads the shared version, not the drafts before it, and
	// nothing deleted.
	if _, err := f.Documents.AddVersion(ctx, shared.ID, 1, text("Filed complaint, as filed")); err != nil {
		t.Fatal(err)
	}
	vs, err := f.Documents.Versions(df.as(df.maria), shared.ID, nil)
	if err != nil || len(vs.Items) != 1 || vs.Items[0].Number != 2 {
		t.Errorf("the client's versions of the shared document: %+v %v", vs.Items, err)
	}
	if _, err := f.Documents.Content(df.as(df.maria), shared.ID, 1, io.Discard); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the client reading a draft: %v", err)
	}
	if got := contentOf(t, f, df.as(df.maria), shared.ID, 0); got != "Filed complaint, as filed" {
		t.Errorf("the client reads %q", got)
	}
	// The portal user writes nothing.
	if _, err := f.Documents.AddVersion(df.as(df.maria), shared.ID, 1, text("x")); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the client adding a version: %v", err)
	}
	// Explain gives the document's own rule.
	for _, tc := range []struct {
		who     access.User
		allowed bool
		rule    string
	}{
		{df.carl, false, "privileged"}, {df.bob, true, "privileged"}, {df.alice, true, "team"}, {df.maria, false, "not-shared"},
	} {
		d, err := f.Access.Explain(ctx, tc.who.ID, access.DocumentRead, access.Resource{Kind: storage.KindDocument, ID: string(memo.ID)})
		if err != nil || d.Allowed != tc.allowed || d.Rule != tc.rule {
			t.Errorf("Explain(%s reading the memo) = %+v, %v; want allowed %v by %s", tc.who.Name, d, err, tc.allowed, tc.rule)
		}
	}
	// A wall hides the case's documents entirely, from partners too.
	pat, err := f.Users.Create(ctx, access.User{Name: "Pat Partner", Email: "pat@firm.test", Roles: []access.Role{access.Partner}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{df.bob.ID, pat.ID}, Cases: []string{string(df.c.ID)}, Reason: "lateral hire from Globex's firm", ApprovedBy: df.admin.ID}); err != nil {
		t.Fatal(err)
	}
	list, err := f.Documents.List(df.as(df.bob), docket.DocumentFilter{}, nil)
	if err != nil || len(list.Items) != 0 {
		t.Errorf("a walled attorney lists %d documents (%v)", len(list.Items), err)
	}
	if _, err := f.Documents.Get(df.as(df.bob), plain.ID); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a walled attorney reading a document: %v", err)
	}
	// A walled partner, who reads the audit log, finds no entry about the
	// case or its documents in it, but finds others.
	entries, err := f.Audit.List(df.as(pat), docket.AuditFilter{}, &docket.ListOptions{Limit: storage.MaxLimit})
	if err != nil || len(entries.Items) == 0 {
		t.Fatalf("a walled partner's audit log: %d entries, %v", len(entries.Items), err)
	}
	for _, e := range entries.Items {
		if e.CaseID == string(df.c.ID) || e.ResourceType == storage.KindDocument {
			t.Errorf("a walled partner sees audit entry %d (%s)", e.Seq, e.Action)
		}
	}
}

// testDocumentAssembly: documents assembled from the shipped templates
// merge the case, client, parties, court, date, user and firm, and record
// the template; a template that names an unknown field is refused when
// saved, naming the field and line; a case lacking a field the template
// prints is refused when assembling.
func testDocumentAssembly(t *testing.T, s storage.Store, o *docket.Options) {
	df := newDocumentFirm(t, s, o)
	f, ctx := df.f, df.ctx
	d, v, err := f.Documents.Assemble(ctx, docket.Assembly{Case: df.c.ID, Template: docket.BuiltinTemplatePrefix + "engagement-letter", Privileged: true})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Engagement letter: Byron v. Globex Corporation" || d.Kind != document.Letter || v.Template != "builtin/engagement-letter" || v.TemplateVersion != 1 ||
		v.MediaType != "text/markdown" {
		t.Errorf("assembled %+v %+v", d, v)
	}
	body := contentOf(t, f, ctx, d.ID, 0)
	for _, want := range []string{"Avery & Brook LLP", "2 March 2026", "Dear Ada Byron,", "12 St James's Square", "our reference " + df.c.Reference,
		"- Globex Corporation (opposing-party)", "Ada Admin will be responsible"} {
		if !strings.Contains(body, want) {
			t.Errorf("the engagement letter lacks %q:\n%s", want, body)
		}
	}
	// No docket number yet: no notice of appearance.
	_, _, err = f.Documents.Assemble(ctx, docket.Assembly{Case: df.c.ID, Template: docket.BuiltinTemplatePrefix + "notice-of-appearance"})
	var te *document.TemplateError
	if !errors.As(err, &te) || te.Field != ".Case.DocketNumber" || te.Line != 5 {
		t.Fatalf("a notice without a docket number: %v", err)
	}
	c := df.c
	c.DocketNumber = "1:26-cv-01234"
	if _, err := f.Cases.Update(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Documents.Assemble(ctx, docket.Assembly{Case: df.c.ID, Template: docket.BuiltinTemplatePrefix + "notice-of-appearance"}); err != nil {
		t.Errorf("a notice with a docket number: %v", err)
	}
	// A firm's own template, checked when saved.
	alice := df.as(df.alice)
	_, err = f.Documents.SaveTemplate(alice, document.Template{ID: "status-letter", Name: "Status letter", Kind: document.Letter, MediaType: "text/plain",
		Body: "Dear {{.Client.Name}},\n\nYour case {{.Case.Reference}} is before {{.Case.Judge}}.\n"})
	if !errors.As(err, &te) || te.Field != ".Case.Judge" || te.Line != 3 {
		t.Fatalf("a template with an unknown field: %v", err)
	}
	tm, err := f.Documents.SaveTemplate(alice, document.Template{ID: "status-letter", Name: "Status letter", Kind: document.Letter, MediaType: "text/plain",
		Title: "Status: {{.Case.Reference}}", Body: "Dear {{.Client.Name}},\n\nYour case {{.Case.Reference}} is before {{.Court.Judge}}.\n"})
	if err != nil {
		t.Fatal(err)
	}
	tm.Body += "\nYours,\n{{.User.Name}}\n"
	if tm, err = f.Documents.SaveTemplate(alice, tm); err != nil || tm.Version != 2 {
		t.Fatalf("template v2: %+v %v", tm, err)
	}
	d, v, err = f.Documents.Assemble(alice, docket.Assembly{Case: df.c.ID, Template: "status-letter", Tags: []string{"status"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "Dear Ada Byron,\n\nYour case " + df.c.Reference + " is before Hon. Jane Roe.\n\nYours,\nAlice Manager\n"
	if got := contentOf(t, f, alice, d.ID, 0); got != want || v.Template != "status-letter" || v.TemplateVersion != 2 || d.Title != "Status: "+df.c.Reference {
		t.Errorf("assembled %q (%s v%d, %q), want %q", got, v.Template, v.TemplateVersion, d.Title, want)
	}
	if _, err := f.Documents.SaveTemplate(df.as(df.bob), tm); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("an attorney saving a template: %v", err)
	}
}

// Corrupt changes stored content behind the store's back, for
// CorruptContent.
type Corrupt func(t *testing.T, s storage.Store, hash string)

// CorruptContent stores documents, changes one's stored bytes with
// corrupt, and checks that VerifyContent reports exactly that content and
// that reading it fails with storage.ErrCorrupt.
func CorruptContent(t *testing.T, newStore NewStore, opts *docket.Options, corrupt Corrupt) {
	s := newStore(t)
	defer s.Close()
	df := newDocumentFirm(t, s, opts)
	f, ctx := df.f, df.ctx
	big := pattern(3<<20+17, 7)
	good, _, err := f.Documents.Create(ctx, document.Document{Case: df.c.ID, Title: "Fine", Kind: document.Note}, text("fine"))
	if err != nil {
		t.Fatal(err)
	}
	bad, v, err := f.Documents.Create(ctx, document.Document{Case: df.c.ID, Title: "Scan", Kind: document.Evidence},
		docket.Content{Body: bytes.NewReader(big), MediaType: "application/octet-stream"})
	if err != nil {
		t.Fatal(err)
	}
	admin := df.as(df.sysadmin)
	rep, err := f.Documents.VerifyContent(admin)
	if err != nil || len(rep.Corrupt) != 0 || rep.Checked != 2 || rep.Bytes != int64(len(big))+4 {
		t.Fatalf("before: %+v %v", rep, err)
	}
	corrupt(t, s, v.Hash)
	rep, err = f.Documents.VerifyContent(admin)
	if err != nil || len(rep.Corrupt) != 1 || rep.Corrupt[0].Hash != v.Hash {
		t.Fatalf("after corrupting %s: %+v %v", v.Hash, rep, err)
	}
	if _, err := f.Documents.Content(ctx, bad.ID, 0, io.Discard); !errors.Is(err, storage.ErrCorrupt) {
		t.Errorf("reading corrupt content: %v", err)
	}
	if got := contentOf(t, f, ctx, good.ID, 0); got != "fine" {
		t.Errorf("other content %q", got)
	}
}

// BigContent stores a version of size bytes, generated as it is read,
// and reads it back through a hash, measuring the Go heap all the while:
// content streams through in chunks, so the heap never holds more than a
// few of them, whatever the size. It is for stores that keep content
// outside the Go heap (SQLite, PostgreSQL, a directory).
func BigContent(t *testing.T, s storage.Store, opts *docket.Options, size int64) {
	df := newDocumentFirm(t, s, opts)
	f, ctx := df.f, df.ctx
	runtime.GC()
	base := heapNow()
	peak := newHeapPeak()
	src := &generated{left: size}
	d, v, err := f.Documents.Create(ctx, document.Document{Case: df.c.ID, Title: "Deposition video", Kind: document.Evidence},
		docket.Content{Body: src, MediaType: "video/mp4"})
	if err != nil {
		t.Fatal(err)
	}
	check := &generated{left: size}
	gen := newHasher()
	if _, err := io.Copy(gen, check); err != nil {
		t.Fatal(err)
	}
	want := gen.sum()
	if v.Size != size || v.Hash != want {
		t.Fatalf("stored %d bytes hashing to %s, want %d and %s", v.Size, v.Hash, size, want)
	}
	h := newHasher()
	if _, err := f.Documents.Content(ctx, d.ID, 0, h); err != nil {
		t.Fatal(err)
	}
	if h.n != size || h.sum() != want {
		t.Fatalf("read back %d bytes hashing to %s", h.n, h.sum())
	}
	grew := peak.stop() - base
	t.Logf("%d MB stored and read back; the heap grew by at most %.1f MB", size>>20, float64(grew)/(1<<20))
	if limit := int64(64 << 20); grew > limit || grew > size/2 {
		t.Errorf("the heap grew by %d bytes moving %d: content is not streamed", grew, size)
	}
}

// testDocumentSearch: search finds documents by title, tags and the text
// of their current version (plain, Markdown, HTML), stemmed, by phrase and
// by prefix, ranked title over tags over text, filtered by case, kind,
// tag and date, and only among what the actor may read, with full pages.
func testDocumentSearch(t *testing.T, s storage.Store, o *docket.Options) {
	var opts docket.Options
	if o != nil {
		opts = *o
	}
	// An extractor that lets a NUL and bad UTF-8 through, as a careless
	// one might.
	opts.Extractors = document.DefaultExtractors()
	opts.Extractors["application/x-careless"] = document.ExtractorFunc(func(r io.Reader) (string, error) {
		b, err := io.ReadAll(r)
		return string(b) + " careless\x00output \xff\xfe", err
	})
	df := newDocumentFirm(t, s, &opts)
	f, ctx := df.f, df.ctx
	other, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Initech v. Byron", Client: df.client.ID, LeadAttorney: string(df.admin.ID)})
	if err != nil {
		t.Fatal(err)
	}
	type spec struct {
		c                  cases.ID
		title, mt, body    string
		kind               document.Kind
		tags               []string
		privileged, shared bool
	}
	specs := map[string]spec{
		"motion":   {df.c.ID, "Motion to suppress evidence", "text/plain", "The search of the vehicle violated the Fourth Amendment.", document.Motion, []string{"suppression"}, false, false},
		"subpoena": {df.c.ID, "Subpoena duces tecum", "text/markdown", "# Records\n\nProduce all [invoices](https://evil.example/secret-url) for 2024.\n\nServed on the custodian.", document.Order, nil, false, true},
		"brief":    {df.c.ID, "Opposition brief", "text/html", "<html><head><script>var hidden = 'zebracorn';</script></head><body><p>The <b>subpoena</b> is overbroad; quash the subpoena and its subpoena rider.</p></body></html>", document.Brief, []string{"discovery"}, false, false},
		"memo":     {df.c.ID, "Strategy memo", "text/plain", "Our theory: the dismissal motions should come first.", document.Note, []string{"strategy"}, true, false},
		"otherdoc": {other.ID, "Motion to dismiss", "text/plain", "Initech's complaint fails to state a claim.", document.Motion, nil, false, false},
		"scan":     {df.c.ID, "Scanned exhibit", "image/png", "\x89PNG not text", document.Evidence, []string{"exhibit"}, false, false},
		"zola":     {df.c.ID, "ÉMILE ZOLA’S LETTER", "text/html", "<p>“J’accuse…!”\u00a0—\u00a0the letter§12 of Émile Zola</p>", document.Letter, nil, false, false},
		"careless": {df.c.ID, "Careless", "application/x-careless", "plain words", document.Note, nil, false, false},
		"bates":    {other.ID, "Production volume", "text/plain", "Bates ACME0012345 to ACME0012399, PROD000012345678; docket 2026CR0001; call 12025550123.", document.Evidence, nil, false, false},
		"notes":    {df.c.ID, "Hearing notes", "text/plain", "The discovery schedule slipped again; the will was not produced.", document.Note, nil, false, false},
	}
	ids := map[string]document.ID{}
	names := map[document.ID]string{}
	created := df.clock.Now()
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range specs {
			if !yield(k) {
				return
			}
		}
	}) {
		sp := specs[name]
		d, _, err := f.Documents.Create(ctx, document.Document{Case: sp.c, Title: sp.title, Kind: sp.kind, Tags: sp.tags, Privileged: sp.privileged, Shared: sp.shared},
			docket.Content{Body: strings.NewReader(sp.body), MediaType: sp.mt})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ids[name], names[d.ID] = d.ID, name
	}
	search := func(ctx context.Context, q string, filter docket.DocumentFilter) []string {
		t.Helper()
		var out []string
		opts := &docket.ListOptions{Limit: 2}
		for {
			p, err := f.Documents.Search(ctx, q, filter, opts)
			if err != nil {
				t.Fatalf("Search(%q): %v", q, err)
			}
			if p.Next != "" && len(p.Items) != 2 {
				t.Errorf("Search(%q): a page of %d before the last", q, len(p.Items))
			}
			for i, h := range p.Items {
				if i > 0 && h.Score > p.Items[i-1].Score {
					t.Errorf("Search(%q): hits out of order", q)
				}
				out = append(out, names[h.Document.ID])
			}
			if p.Next == "" {
				return out
			}
			opts.After = p.Next
		}
	}
	sorted := func(xs []string) []string { return slices.Sorted(slices.Values(xs)) }
	// A day later the memo is retagged: it alone was changed since.
	df.clock.Advance(24 * time.Hour)
	memo, err := f.Documents.Get(ctx, ids["memo"])
	if err != nil {
		t.Fatal(err)
	}
	memo.Tags = append(memo.Tags, "revisited")
	if _, err := f.Documents.Update(ctx, memo); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q      string
		filter docket.DocumentFilter
		want   []string // in any order, unless ranked
		ranked bool
	}{
		{q: "motions", want: []string{"memo", "motion", "otherdoc"}},                               // stemmed, title and text
		{q: `"motion to dismiss"`, want: []string{"otherdoc"}},                                     // a phrase
		{q: "suppress*", want: []string{"motion"}},                                                 // a prefix: suppress, suppression
		{q: "fourth amendment vehicle", want: []string{"motion"}},                                  // every word
		{q: "fourth amendment zebra", want: nil},                                                   // every word, or nothing
		{q: "invoices custodian", want: []string{"subpoena"}},                                      // Markdown text
		{q: "secret", want: nil},                                                                   // not a link's target
		{q: "zebracorn", want: nil},                                                                // not a script
		{q: "quash", want: []string{"brief"}},                                                      // HTML text
		{q: "discovery", want: []string{"brief", "notes"}, ranked: true},                           // a tag outranks the text
		{q: "subpoena", want: []string{"subpoena", "brief"}, ranked: true},                         // the title outranks thrice in the text
		{q: "motion", filter: docket.DocumentFilter{Case: other.ID}, want: []string{"otherdoc"}},   // by case
		{q: "motion", filter: docket.DocumentFilter{Kind: document.Note}, want: []string{"memo"}},  // by kind
		{q: "motion", filter: docket.DocumentFilter{Tag: "suppression"}, want: []string{"motion"}}, // by tag
		{q: "exhibit", want: []string{"scan"}},                                                     // metadata of content with no text
		{q: "émile zola", want: []string{"zola"}},                                                  // accents and capitals, in the title and the text
		{q: "accuse letter", want: []string{"zola"}},                                               // words by curly quotes, nbsp, dashes, §
		{q: "careless output", want: []string{"careless"}},                                         // NUL and bad UTF-8 dropped
		{q: "acme0012345", want: []string{"bates"}},                                                // long words with digits, whole
		{q: "acme0099345", want: nil},                                                              // not another with the same ends
		{q: "2026cr0001", want: []string{"bates"}},
		{q: "acme00123*", want: []string{"bates"}},
		{q: "prod000012345678", want: []string{"bates"}},
		{q: "prod000999945678", want: nil}, // the same ends, another number
		{q: "12025950123", want: nil},
		{q: "12025550123", want: []string{"bates"}},
		{q: "prod000012345*", want: []string{"bates"}},
		{q: "prod0000123*", want: []string{"bates"}},
		{q: "acme00124*", want: nil},
		{q: "motion", filter: docket.DocumentFilter{UpdatedUntil: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}, // by date
		{q: "motion", filter: docket.DocumentFilter{UpdatedFrom: created}, want: []string{"memo", "motion", "otherdoc"}},
		{q: "motion", filter: docket.DocumentFilter{UpdatedFrom: created.Add(time.Hour)}, want: []string{"memo"}},
		{q: "motion", filter: docket.DocumentFilter{UpdatedFrom: created, UpdatedUntil: created.Add(time.Hour)}, want: []string{"motion", "otherdoc"}},
		// Common words are words like any other in every store (PostgreSQL's
		// English configuration would drop them): a will is found, the
		// otherdoc says no "the", and a phrase holds its small words.
		{q: "will", want: []string{"notes"}},
		{q: "initech the", want: nil},
		{q: `"the motion to dismiss"`, want: nil},
		{q: `"will was not produced"`, want: []string{"notes"}},
		{q: `"will was produced"`, want: nil},
	} {
		got := search(ctx, tc.q, tc.filter)
		if !tc.ranked {
			got = sorted(got)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Search(%q, %+v) = %v, want %v", tc.q, tc.filter, got, tc.want)
		}
	}
	// A filter that could match nothing for a mistake names the field.
	for field, bad := range map[string]docket.DocumentFilter{
		"Kind":         {Kind: "memo"},
		"Status":       {Status: "sent"},
		"Deleted":      {Deleted: storage.AnyDeleted + 1},
		"UpdatedUntil": {UpdatedFrom: created, UpdatedUntil: created.Add(-time.Hour)},
	} {
		var fe *cases.FieldError
		if _, err := f.Documents.Search(ctx, "motion", bad, nil); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("Search with a bad %s: %v", field, err)
		}
		if _, err := f.Documents.List(ctx, bad, nil); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("List with a bad %s: %v", field, err)
		}
	}
	// Only what the actor may read.
	if got := sorted(search(df.as(df.carl), "motion", docket.DocumentFilter{})); !slices.Equal(got, []string{"motion", "otherdoc"}) {
		t.Errorf("Carl (no privilege, off the team) finds %v", got)
	}
	if got := sorted(search(df.as(df.maria), "subpoena", docket.DocumentFilter{})); !slices.Equal(got, []string{"subpoena"}) {
		t.Errorf("the client finds %v", got)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{df.bob.ID}, Cases: []string{string(df.c.ID)}, Reason: "screened", ApprovedBy: df.admin.ID}); err != nil {
		t.Fatal(err)
	}
	if got := search(df.as(df.bob), "motion", docket.DocumentFilter{}); !slices.Equal(got, []string{"otherdoc"}) {
		t.Errorf("a walled attorney finds %v", got)
	}
	// A new version replaces the text search reads; a deleted document
	// leaves search, and comes back restored.
	if _, err := f.Documents.AddVersion(ctx, ids["motion"], 1, text("Withdrawn after the plea agreement.")); err != nil {
		t.Fatal(err)
	}
	if got := search(ctx, "amendment", docket.DocumentFilter{}); len(got) != 0 {
		t.Errorf("the old version's text is still found: %v", got)
	}
	if got := search(ctx, "plea agreement", docket.DocumentFilter{}); !slices.Equal(got, []string{"motion"}) {
		t.Errorf("the new version's text: %v", got)
	}
	d, err := f.Documents.Get(ctx, ids["brief"])
	if err != nil {
		t.Fatal(err)
	}
	if d, err = f.Documents.Delete(ctx, d.ID, d.Version, "superseded"); err != nil {
		t.Fatal(err)
	}
	if got := search(ctx, "quash", docket.DocumentFilter{}); len(got) != 0 {
		t.Errorf("a deleted document is found: %v", got)
	}
	if got := search(ctx, "quash", docket.DocumentFilter{Deleted: storage.AnyDeleted}); !slices.Equal(got, []string{"brief"}) {
		t.Errorf("asked for deleted ones too: %v", got)
	}
	d.Title = "Reply brief"
	if _, err = f.Documents.Restore(ctx, d.ID, d.Version, "needed"); err != nil {
		t.Fatal(err)
	}
	d, _ = f.Documents.Get(ctx, d.ID)
	d.Title, d.Tags = "Reply brief", []string{"reply"}
	if _, err := f.Documents.Update(ctx, d); err != nil {
		t.Fatal(err)
	}
	if got := search(ctx, "reply quash", docket.DocumentFilter{}); !slices.Equal(got, []string{"brief"}) {
		t.Errorf("a retitled document, by its new title and its text: %v", got)
	}
	if got := search(ctx, "opposition", docket.DocumentFilter{}); len(got) != 0 {
		t.Errorf("found by its old title: %v", got)
	}
	if _, err := f.Documents.Search(ctx, "motion", docket.DocumentFilter{}, &docket.ListOptions{After: "20000"}); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("a cursor past the deepest page: %v", err)
	}
	for _, q := range []string{"", `"unclosed`, "*** ---"} {
		var fe *cases.FieldError
		if _, err := f.Documents.Search(ctx, q, docket.DocumentFilter{}, nil); !errors.As(err, &fe) || fe.Field != "Query" {
			t.Errorf("Search(%q): %v, want a FieldError on Query", q, err)
		}
	}
}
