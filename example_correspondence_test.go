package docket_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
)

// Correspondence on a case: an email filed by the reference in its
// subject, its attachment a document on the case, a reply that joins its
// thread, a call recorded by hand, and mail that named no case filed by
// hand from the unfiled queue.
func ExampleCorrespondenceService() {
	ctx := context.Background()
	firm := exampleFirm()
	alice, _ := firm.Users.Bootstrap(ctx, access.User{Name: "Alice Moreno", Email: "alice@firm.test", Roles: []access.Role{access.Partner}})
	ctx = access.WithActor(ctx, alice)
	maria, _ := firm.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "María García", Emails: []string{"maria@example.test"}})
	c, err := firm.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "García v. Globex", Client: maria.ID, LeadAttorney: string(alice.ID)})
	if err != nil {
		panic(err)
	}

	email := "From: María García <maria@example.test>\r\n" +
		"To: alice@firm.test\r\n" +
		"Subject: [" + c.Reference + "] Photos of the site\r\n" +
		"Date: Mon, 02 Mar 2026 08:15:00 -0500\r\n" +
		"Message-ID: <photos@example.test>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe photos you asked for.\r\n" +
		"--b\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=site.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n" +
		"--b--\r\n"
	r, err := firm.Correspondence.ImportEmail(ctx, strings.NewReader(email))
	if err != nil {
		panic(err)
	}
	m := r.Message
	fmt.Printf("%s %s from %s, filed by its %s on %s\n", m.Direction, m.Channel, m.Participants[0].Name, r.FiledFrom, c.Reference)
	d, _ := firm.Documents.Get(ctx, document.ID(m.Attachments[0].Document))
	fmt.Println("attachment:", d.Title, "is a", d.Kind, "on the case")

	// The same email again is stored once.
	again, _ := firm.Correspondence.ImportEmail(ctx, strings.NewReader(email))
	fmt.Println("duplicate:", again.Duplicate)

	// Alice's reply, sent from her own mail program and imported.
	reply := "From: alice@firm.test\r\nTo: maria@example.test\r\nSubject: Re: Photos of the site\r\n" +
		"Date: Mon, 02 Mar 2026 10:00:00 -0500\r\nMessage-ID: <reply@firm.test>\r\nIn-Reply-To: <photos@example.test>\r\n\r\nThank you.\r\n"
	rr, _ := firm.Correspondence.ImportEmail(ctx, strings.NewReader(reply))
	fmt.Println(rr.Message.Direction, "reply in the same thread:", rr.Message.Thread == m.Thread, "| unfiled:", rr.Message.Case == "")
	if _, err := firm.Correspondence.File(ctx, rr.Message.ID, c.ID, rr.Message.Version); err != nil {
		panic(err)
	}

	// A call, recorded by hand.
	if _, err := firm.Correspondence.Record(ctx, correspondence.Message{Case: c.ID, Channel: correspondence.Call, Direction: correspondence.Outbound,
		At: time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC), Subject: "Site visit", Text: "Agreed to visit on Friday.",
		Participants: []correspondence.Participant{{Role: correspondence.From, User: string(alice.ID)}, {Role: correspondence.To, Contact: maria.ID}}}); err != nil {
		panic(err)
	}

	timeline, _ := firm.Correspondence.List(ctx, docket.MessageFilter{Case: c.ID}, nil)
	for _, m := range timeline.Items {
		fmt.Println(m.At.Format("15:04"), m.Channel, m.Direction, m.Subject)
	}
	// Output:
	// inbound email from María García, filed by its subject on 2026-CV-0001
	// attachment: site.jpg is a attachment on the case
	// duplicate: true
	// outbound reply in the same thread: true | unfiled: true
	// 13:15 email inbound [2026-CV-0001] Photos of the site
	// 15:00 email outbound Re: Photos of the site
	// 16:00 phone-call outbound Site visit
}

// A consumer of the change feed: it reacts to each new message on a case
// (here by printing a line where it would notify the client or update a
// CRM), and its cursor survives restarts, so nothing is missed and only
// what it has not acknowledged comes again.
func ExampleFeedConsumer() {
	ctx := context.Background()
	firm := exampleFirm()
	alice, _ := firm.Users.Bootstrap(ctx, access.User{Name: "Alice Moreno", Email: "alice@firm.test", Roles: []access.Role{access.Partner}})
	ctx = access.WithActor(ctx, alice)
	maria, _ := firm.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "María García"})
	c, _ := firm.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "García v. Globex", Client: maria.ID, LeadAttorney: string(alice.ID)})

	notifier := &docket.FeedConsumer{Feed: firm.Feed, Name: "client-notifier"}
	handle := func(ctx context.Context, e audit.Entry) error {
		if e.Action == "message.record" || e.Action == "message.import" {
			fmt.Printf("entry %d: new correspondence on case %s\n", e.Seq, e.CaseID)
		}
		return nil
	}
	n, _ := notifier.Run(ctx, handle)
	fmt.Println("caught up with", n, "entries")

	for _, subject := range []string{"Call about the site visit", "Call about the invoice"} {
		if _, err := firm.Correspondence.Record(ctx, correspondence.Message{Case: c.ID, Channel: correspondence.Call, Direction: correspondence.Inbound,
			At: time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC), Subject: subject, Participants: []correspondence.Participant{{Role: correspondence.From, Contact: maria.ID}}}); err != nil {
			panic(err)
		}
	}
	n, _ = notifier.Run(ctx, handle)
	fmt.Println("then", n, "new entries")
	cursor, _ := firm.Feed.Cursor(ctx, "client-notifier")
	fmt.Println("cursor:", cursor)
	// Output:
	// caught up with 3 entries
	// entry 4: new correspondence on case id-003
	// entry 5: new correspondence on case id-003
	// then 2 new entries
	// cursor: 5
}
