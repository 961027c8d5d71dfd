package docket_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/memory"
)

// exampleFirm returns a Firm over a memory store with a fixed clock and
// numbered IDs, so that examples print the same every time.
func exampleFirm() *docket.Firm {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	n := 0
	firm, err := docket.New(memory.New(), &docket.Options{
		Clock: func() time.Time { now = now.Add(time.Second); return now },
		NewID: func() string { n++; return fmt.Sprintf("id-%03d", n) },
		// What templates merge as {{.Firm.Name}} and {{.Firm.Address}}.
		Profile: document.FirmFields{Name: "Moreno & Chen LLP", Address: "1 Main Street, Springfield"},
		// Mail to cases+<reference>@firm.test is filed on that case.
		FilingAddress: "cases+{ref}@firm.test",
	})
	if err != nil {
		panic(err)
	}
	return firm
}

// The main flow: a client through intake and a conflict check, a case
// opened and advanced, its trail read back and the chain verified.
func Example() {
	ctx := context.Background()
	firm := exampleFirm()
	alice, err := firm.Users.Bootstrap(ctx, access.User{Name: "Alice Moreno", Email: "alice@firm.test", Roles: []access.Role{access.Partner}})
	if err != nil {
		panic(err)
	}
	ctx = access.WithActor(ctx, alice)

	maria, _ := firm.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "María García", PreferredLanguage: "es"})
	in, _ := firm.Intake.Take(ctx, cases.Intake{Prospect: maria.ID, Source: "referral", Facts: "Agents searched my shop."})
	chk, _ := firm.Conflicts.Run(ctx, in.ID)
	chk, _ = firm.Conflicts.Decide(ctx, chk.ID, chk.Version, cases.Cleared, "", "no conflicts found")
	c, err := firm.Cases.Open(ctx, cases.Draft{Type: "federal-criminal", Title: "United States v. García", Client: maria.ID, Intake: in.ID})
	if err != nil {
		panic(err)
	}
	c, err = firm.Cases.Advance(ctx, c.ID, c.Version, "charging", "indictment returned")
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Reference, c.Stage, "version", c.Version)

	trail, _ := firm.Audit.ForCase(ctx, c.ID, nil)
	for _, e := range trail.Items {
		fmt.Println(e.Seq, e.Action)
	}
	result, _ := firm.Audit.Verify(ctx)
	fmt.Println(result.OK, result.Checked)
	// Output:
	// 2026-CR-0001 charging version 2
	// 7 case.open
	// 8 intake.accept
	// 9 conflict.attach
	// 10 case.advance
	// true 10
}

// A stale version is refused, naming the field; nothing is overwritten.
func ExampleCaseService_Update() {
	ctx := context.Background()
	firm := exampleFirm()
	alice, _ := firm.Users.Bootstrap(ctx, access.User{Name: "Alice Moreno", Email: "alice@firm.test", Roles: []access.Role{access.Partner}})
	ctx = access.WithActor(ctx, alice)
	client, _ := firm.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex Corporation"})
	c, _ := firm.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: client.ID})

	first, second := c, c // two editors read version 1
	first.Judge = "Hon. Ruth Roe"
	if _, err := firm.Cases.Update(ctx, first); err != nil {
		panic(err)
	}
	second.Judge = "Hon. John Doe"
	_, err := firm.Cases.Update(ctx, second)
	fmt.Println(errors.Is(err, storage.ErrConflict))
	fmt.Println(err)
	// Output:
	// true
	// case Version: is 1 but the current version is 2: the record changed since it was read
}

// A case cannot leave intake until its conflict check is cleared or waived.
func ExampleCaseService_Advance() {
	ctx := context.Background()
	firm := exampleFirm()
	alice, _ := firm.Users.Bootstrap(ctx, access.User{Name: "Alice Moreno", Email: "alice@firm.test", Roles: []access.Role{access.Partner}})
	ctx = access.WithActor(ctx, alice)
	client, _ := firm.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Bill Turner"})
	c, _ := firm.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Turner v. Acme", Client: client.ID})

	_, err := firm.Cases.Advance(ctx, c.ID, c.Version, "pleadings", "complaint drafted")
	var fe *cases.FieldError
	if errors.As(err, &fe) {
		fmt.Println(fe.Field)
	}
	fmt.Println(err)
	// Output:
	// ConflictCheck
	// case ConflictCheck: a case cannot leave "intake" until its conflict check is cleared or waived (decision: none recorded)
}

// A conflict check finds a former client under a nickname and explains why
// it matters; the decision is recorded with the written consent.
func ExampleConflictService_Run() {
	ctx := context.Background()
	firm := exampleFirm()
	alice, _ := firm.Users.Bootstrap(ctx, access.User{Name: "Alice Moreno", Email: "alice@firm.test", Roles: []access.Role{access.Partner}})
	ctx = access.WithActor(ctx, alice)
	bill, _ := firm.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Bill Turner"})
	old, _ := firm.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Turner v. Acme", Client: bill.ID})
	if _, err := firm.Cases.Exit(ctx, old.ID, old.Version, "settled", "settled at mediation"); err != nil {
		panic(err)
	}

	maria, _ := firm.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "María García"})
	in, _ := firm.Intake.Take(ctx, cases.Intake{Prospect: maria.ID, Source: "phone",
		Adverse: []cases.AdverseParty{{Name: "William Turner", Kind: cases.Person, Role: cases.RoleOpposingParty}}})
	chk, _ := firm.Conflicts.Run(ctx, in.ID)
	for _, h := range chk.Hits {
		fmt.Printf("%.2f rule %s: %s\n", h.Score, h.Rule, h.Reason)
	}
	_, err := firm.Conflicts.Decide(ctx, chk.ID, chk.Version, cases.Waived, "", "")
	fmt.Println(err)
	chk, _ = firm.Conflicts.Decide(ctx, chk.ID, chk.Version, cases.Waived, "CL-2026-031", "unrelated matter; consent in writing")
	fmt.Println(chk.Decision, chk.ConsentRef)
	// Output:
	// 0.85 rule 1.9: "William Turner" matches "Bill Turner" (Bill is a nickname of William); Bill Turner is a former client on closed case 2026-CV-0001 (Turner v. Acme): acting against a former client in the same or a substantially related matter engages ABA Model Rule 1.9
	// conflict check ConsentRef: a waiver needs the reference of the written consent
	// waived CL-2026-031
}
