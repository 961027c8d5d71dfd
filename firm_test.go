package docket_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/memory"
	"github.com/docketkit/docket/storage/storagetest"
)

// denyCaseReads is a test policy: case.read is denied to everyone.
type denyCaseReads struct{}

func (denyCaseReads) Authorize(_ context.Context, _ access.Actor, a access.Action, _ access.Resource) error {
	if a == access.CaseRead {
		return fmt.Errorf("case.read is not granted: %w", access.ErrForbidden)
	}
	return nil
}

func newTestFirm(t *testing.T, opts *docket.Options) (*docket.Firm, context.Context) {
	t.Helper()
	f, ctx, _ := storagetest.NewFirm(t, memory.New(), opts)
	return f, ctx
}

// TestDenialsAudited: a denied operation returns ErrForbidden, the same
// whether or not the case exists, and leaves an audit entry of its own.
func TestDenialsAudited(t *testing.T) {
	f, ctx := newTestFirm(t, &docket.Options{Authorizer: denyCaseReads{}})
	client, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Bill Turner"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Turner v. Acme", Client: client.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, errExisting := f.Cases.Get(ctx, c.ID)
	_, errMissing := f.Cases.Get(ctx, "no-such-case")
	for _, err := range []error{errExisting, errMissing} {
		if !errors.Is(err, docket.ErrForbidden) {
			t.Fatalf("Get: %v, want ErrForbidden", err)
		}
	}
	if errExisting.Error() != errMissing.Error() {
		t.Errorf("denials differ, revealing existence: %q vs %q", errExisting, errMissing)
	}
	page, err := f.Audit.List(ctx, docket.AuditFilter{ResourceType: "case"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var denied []string
	for _, e := range page.Items {
		if strings.HasSuffix(e.Action, ".denied") {
			denied = append(denied, e.Action+" "+e.ResourceID)
		}
	}
	if d := cmp.Diff([]string{"case.read.denied " + string(c.ID), "case.read.denied no-such-case"}, denied); d != "" {
		t.Errorf("denials in the audit log (-want +got):\n%s", d)
	}
	if r, err := f.Audit.Verify(ctx); err != nil || !r.OK {
		t.Errorf("Verify: %v %v", r, err)
	}
}

// TestUnauthenticatedWritesNothing: without an actor every service fails
// with ErrUnauthenticated and the audit log does not move.
func TestUnauthenticatedWritesNothing(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	before, err := f.Audit.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	anon := context.Background()
	calls := map[string]func() error{
		"Users.Create": func() error {
			_, err := f.Users.Create(anon, access.User{Name: "X", Email: "x@firm.test"})
			return err
		},
		"Contacts.Create": func() error {
			_, err := f.Contacts.Create(anon, cases.Contact{Kind: cases.Person, Name: "X"})
			return err
		},
		"Cases.Open": func() error {
			_, err := f.Cases.Open(anon, cases.Draft{Type: "federal-civil", Title: "X", Client: "c"})
			return err
		},
		"Cases.List": func() error {
			_, err := f.Cases.List(anon, docket.CaseFilter{}, nil)
			return err
		},
		"Intake.Take": func() error {
			_, err := f.Intake.Take(anon, cases.Intake{Prospect: "c", Source: "web"})
			return err
		},
		"Conflicts.Check": func() error {
			_, err := f.Conflicts.Check(anon, []cases.Subject{{Name: "X", Kind: cases.Person, Role: cases.SubjectClient}})
			return err
		},
		"Audit.Verify": func() error {
			_, err := f.Audit.Verify(anon)
			return err
		},
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, docket.ErrUnauthenticated) {
			t.Errorf("%s without an actor: %v, want ErrUnauthenticated", name, err)
		}
	}
	after, err := f.Audit.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Checked != before.Checked {
		t.Errorf("the audit log grew from %d to %d entries", before.Checked, after.Checked)
	}
}

// TestFirmDefinedWorkflow: a firm's own case type, given as JSON, numbers
// its cases with its own code and enforces its own steps.
func TestFirmDefinedWorkflow(t *testing.T) {
	w, err := cases.ParseWorkflow([]byte(`{
		"type": "family", "name": "Family law", "code": "FAM",
		"stages": [
			{"name": "intake", "label": "Intake", "next": ["petition"], "requires_clearance": true},
			{"name": "petition", "label": "Petition filed", "next": ["mediation", "hearing"]},
			{"name": "mediation", "label": "Mediation", "next": ["hearing", "closed"]},
			{"name": "hearing", "label": "Hearing", "next": ["closed"]},
			{"name": "closed", "label": "Closed"}
		],
		"exits": ["settled", "withdrawn"]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	f, ctx := newTestFirm(t, &docket.Options{Workflows: []cases.Workflow{w}, ReferencePattern: "{code}/{yy}/{seq:3}"})
	client, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Ann Lee"})
	chk, err := f.Conflicts.Check(ctx, []cases.Subject{{Name: "Ann Lee", Kind: cases.Person, Role: cases.SubjectClient, Contact: client.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if chk, err = f.Conflicts.Decide(ctx, chk.ID, chk.Version, cases.Cleared, "", "no conflicts"); err != nil {
		t.Fatal(err)
	}
	c, err := f.Cases.Open(ctx, cases.Draft{Type: "family", Title: "In re Lee", Client: client.ID, ConflictCheck: chk.ID})
	if err != nil {
		t.Fatal(err)
	}
	if c.Reference != "FAM/26/001" || c.PracticeArea != "" && c.Stage != "intake" {
		t.Errorf("opened %s in %s", c.Reference, c.Stage)
	}
	if _, err := f.Cases.Advance(ctx, c.ID, c.Version, "hearing", "too early"); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("intake -> hearing: %v, want ErrInvalid", err)
	}
	for _, stage := range []string{"petition", "mediation", "closed"} {
		if c, err = f.Cases.Advance(ctx, c.ID, c.Version, stage, "next step"); err != nil {
			t.Fatalf("advance to %s: %v", stage, err)
		}
	}
	if c.Status != cases.Closed || c.ClosedOn.IsZero() {
		t.Errorf("after the last stage: %s, closed on %q", c.Status, c.ClosedOn)
	}
	if _, err := f.Cases.Exit(ctx, c.ID, c.Version, "settled", "late"); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("exit from a closed case: %v, want ErrInvalid", err)
	}

	_, err = docket.New(memory.New(), &docket.Options{ReferencePattern: "{yyyy}-{code}"})
	var fe *cases.FieldError
	if !errors.As(err, &fe) || fe.Field != "ReferencePattern" {
		t.Errorf("a pattern without {seq}: %v", err)
	}
	bad := w
	bad.Stages = bad.Stages[:1]
	_, err = docket.New(memory.New(), &docket.Options{Workflows: []cases.Workflow{bad}})
	if !errors.As(err, &fe) || !strings.HasPrefix(fe.Field, "Workflows[0].") {
		t.Errorf("an invalid workflow: %v", err)
	}
}

// TestVerifyRange checks a slice of the log and the edges of the range.
func TestVerifyRange(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	for i := range 10 {
		if _, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: fmt.Sprintf("Person %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := f.Audit.VerifyRange(ctx, 4, 8)
	if err != nil || !r.OK || r.From != 4 || r.To != 8 || r.Checked != 5 {
		t.Errorf("VerifyRange(4, 8) = %v (from %d to %d, %d checked), %v", r, r.From, r.To, r.Checked, err)
	}
	if _, err := f.Audit.VerifyRange(ctx, 0, 3); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("VerifyRange(0, 3): %v, want ErrInvalid", err)
	}
	if _, err := f.Audit.VerifyRange(ctx, 5, 2); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("VerifyRange(5, 2): %v, want ErrInvalid", err)
	}
	if r, err := f.Audit.VerifyRange(ctx, 50, 0); err != nil || r.OK {
		t.Errorf("VerifyRange past the end: %v %v, want a failure naming the missing entry", r, err)
	}
	_ = storage.ErrNotFound
}
