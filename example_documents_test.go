package docket_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// Documents on a case: assembled from a shipped template, edited by two
// people at once without losing either's work, found by search, and kept
// by a legal hold.
func ExampleDocumentService() {
	ctx := context.Background()
	firm := exampleFirm()
	alice, _ := firm.Users.Bootstrap(ctx, access.User{Name: "Alice Moreno", Email: "alice@firm.test", Roles: []access.Role{access.Partner}})
	ctx = access.WithActor(ctx, alice)
	bob, _ := firm.Users.Create(ctx, access.User{Name: "Bob Chen", Email: "bob@firm.test", Roles: []access.Role{access.CaseManager}})
	maria, _ := firm.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "María García", Addresses: []string{"12 Elm St, Springfield"}})
	c, err := firm.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "García v. Globex", Client: maria.ID,
		LeadAttorney: string(alice.ID), CaseManager: string(bob.ID)})
	if err != nil {
		panic(err)
	}

	// An engagement letter from the shipped template.
	letter, v1, err := firm.Documents.Assemble(ctx, docket.Assembly{Case: c.ID, Template: docket.BuiltinTemplatePrefix + "engagement-letter", Privileged: true})
	if err != nil {
		panic(err)
	}
	fmt.Println(letter.Title, "| version", v1.Number, "from", v1.Template)

	// Alice and Bob both edit version 1. Alice saves first; Bob is told
	// which version is current instead of overwriting hers.
	bobCtx := access.WithActor(context.Background(), bob)
	edit := func(s string) docket.Content {
		return docket.Content{Body: strings.NewReader(s), MediaType: "text/markdown", Comment: "fee schedule"}
	}
	if _, err := firm.Documents.AddVersion(ctx, letter.ID, 1, edit("Dear María, ... hourly rate $350 ...")); err != nil {
		panic(err)
	}
	_, err = firm.Documents.AddVersion(bobCtx, letter.ID, 1, edit("Dear María, ... flat fee ..."))
	fmt.Println(errors.Is(err, storage.ErrConflict), err)

	// Search finds it by its text; the hold keeps it from any deletion.
	hits, _ := firm.Documents.Search(ctx, "hourly rate", docket.DocumentFilter{Case: c.ID}, nil)
	for _, h := range hits.Items {
		fmt.Println("found:", h.Document.Title)
	}
	if _, err := firm.Documents.PlaceHold(ctx, document.Hold{Case: c.ID, Matter: "Globex arbitration", Reason: "notice of claim received"}); err != nil {
		panic(err)
	}
	d, _ := firm.Documents.Get(ctx, letter.ID)
	_, err = firm.Documents.Delete(ctx, d.ID, d.Version, "sent by mistake")
	fmt.Println("held, so not deleted:", errors.Is(err, storage.ErrHeld))
	// Output:
	// Engagement letter: García v. Globex | version 1 from builtin/engagement-letter
	// true document id-005: the new version is based on version 1, but version 2 is current: read version 2, merge your changes into it and add them based on it
	// found: Engagement letter: García v. Globex
	// held, so not deleted: true
}
