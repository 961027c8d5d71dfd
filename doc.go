// Package docket is an embeddable SDK for legal case management: cases and
// their court stages, clients and parties, intake and conflict checks, and a
// tamper-evident audit trail, over storage that is in memory, in SQLite (the
// embedded default) or in PostgreSQL.
//
// # The shape
//
//	store, err := sqlite.Open(ctx, "firm.db", nil) // or memory.New(), postgres.Open(ctx, url, nil)
//	firm, err := docket.New(store, nil)
//	ctx = access.WithActor(ctx, alice)
//	maria, err := firm.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "María García"})
//	in, err := firm.Intake.Take(ctx, cases.Intake{Prospect: maria.ID, Source: "referral"})
//	chk, err := firm.Conflicts.Run(ctx, in.ID)
//	chk, err = firm.Conflicts.Decide(ctx, chk.ID, chk.Version, cases.Cleared, "", "no conflicts")
//	c, err := firm.Cases.Open(ctx, cases.Draft{Type: "federal-criminal", Title: "United States v. García", Client: maria.ID, Intake: in.ID})
//	c, err = firm.Cases.Advance(ctx, c.ID, c.Version, "charging", "indictment returned")
//	trail, err := firm.Audit.ForCase(ctx, c.ID, nil)
//	result, err := firm.Audit.Verify(ctx)
//
// A case cannot leave intake until its conflict check is cleared or
// waived; Example shows the whole flow running.
//
// One Firm, one service per area (Users, Contacts, Intake, Conflicts,
// Cases, Audit), the actor in the context, a version on every update.
//
// # Every operation takes the same path
//
//  1. The actor comes from the context (access.WithActor); without one the
//     operation fails with ErrUnauthenticated and touches nothing.
//  2. The firm's access policy decides (roles, case teams and scope, ethical
//     walls; see package access and Firm.Access). A denial is audited in
//     its own transaction and returned as ErrForbidden, the same whether or
//     not the resource exists.
//  3. The input is validated. A *cases.FieldError names the field and the
//     rule; errors.Is(err, ErrInvalid) reports any validation failure.
//  4. One storage transaction writes the change and its audit entry; if
//     anything fails, neither is kept.
//
// # No lost updates
//
// Every mutable record carries a Version. Updates name the version they
// read; if another writer got there first the update fails with an error
// that matches storage.ErrConflict and names the Version field. Nothing is
// overwritten silently.
//
// # Audit
//
// The audit log is append-only and hash-chained (package audit). Verify
// recomputes the chain and names the first entry that does not match.
package docket
