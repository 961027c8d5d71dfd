package docket_test

import (
	"errors"
	"testing"

	"github.com/docketkit/docket"
	cases "github.com/docketkit/docket/case"
)

// TestConflictGate: only a check run for the case's own client, and still
// current, lets a case leave intake.
func TestConflictGate(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	globex, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex Corporation"})
	sam, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Sam Stranger"})
	samCheck, err := f.Conflicts.Check(ctx, []cases.Subject{{Name: sam.Name, Kind: cases.Person, Role: cases.SubjectClient, Contact: sam.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if samCheck, err = f.Conflicts.Decide(ctx, samCheck.ID, samCheck.Version, cases.Cleared, "", "clear"); err != nil {
		t.Fatal(err)
	}
	fieldIs := func(what string, err error, field string) {
		t.Helper()
		var fe *cases.FieldError
		if !errors.As(err, &fe) || fe.Field != field || !errors.Is(err, docket.ErrInvalid) {
			t.Errorf("%s: %v, want an invalid %s", what, err, field)
		}
	}

	// Someone else's cleared check does not open Globex's gate.
	_, err = f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: globex.ID, ConflictCheck: samCheck.ID})
	fieldIs("opening with another client's check", err, "ConflictCheck")
	c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: globex.ID})
	if err != nil {
		t.Fatal(err)
	}
	c.ConflictCheck = samCheck.ID
	_, err = f.Cases.Update(ctx, c)
	fieldIs("attaching another client's check", err, "ConflictCheck")

	// Changing the adverse parties after the check detaches it.
	in, _ := f.Intake.Take(ctx, cases.Intake{Prospect: globex.ID, Source: "referral",
		Adverse: []cases.AdverseParty{{Name: "Initech", Kind: cases.Organization, Role: cases.RoleOpposingParty}}})
	chk, err := f.Conflicts.Run(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err = f.Conflicts.Decide(ctx, chk.ID, chk.Version, cases.Cleared, "", "clear"); err != nil {
		t.Fatal(err)
	}
	in, _ = f.Intake.Get(ctx, in.ID)
	in.Adverse = append(in.Adverse, cases.AdverseParty{Name: "Sam Stranger", Kind: cases.Person, Role: cases.RoleOpposingParty})
	if in, err = f.Intake.Update(ctx, in); err != nil {
		t.Fatal(err)
	}
	if in.ConflictCheck != "" {
		t.Errorf("after the adverse parties changed the intake still points at check %s", in.ConflictCheck)
	}
	_, err = f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: globex.ID, Intake: in.ID, ConflictCheck: chk.ID})
	fieldIs("opening from the intake with its old check", err, "ConflictCheck")
	c2, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: globex.ID, Intake: in.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Cases.Advance(ctx, c2.ID, c2.Version, "pleadings", "complaint filed")
	fieldIs("leaving intake with the check detached", err, "ConflictCheck")

	// An accepted intake is a record: it is not edited.
	in, _ = f.Intake.Get(ctx, in.ID)
	in.Facts = "rewritten afterwards"
	_, err = f.Intake.Update(ctx, in)
	fieldIs("editing an accepted intake", err, "Status")

	// The check can change only in the first stage.
	own, err := f.Conflicts.Check(ctx, []cases.Subject{{Name: globex.Name, Kind: cases.Organization, Role: cases.SubjectClient, Contact: globex.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if own, err = f.Conflicts.Decide(ctx, own.ID, own.Version, cases.Cleared, "", "clear"); err != nil {
		t.Fatal(err)
	}
	c2.ConflictCheck = own.ID
	if c2, err = f.Cases.Update(ctx, c2); err != nil {
		t.Fatal(err)
	}
	if c2, err = f.Cases.Advance(ctx, c2.ID, c2.Version, "pleadings", "complaint filed"); err != nil {
		t.Fatal(err)
	}
	c2.ConflictCheck = ""
	_, err = f.Cases.Update(ctx, c2)
	fieldIs("detaching the check after intake", err, "ConflictCheck")
}
