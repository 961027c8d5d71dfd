package storagetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// testLeak: a user screened by an ethical wall finds no trace of the
// walled case through any list, lookup, audit query or conflict result,
// while a colleague who is not screened sees it all.
func testLeak(t *testing.T, s storage.Store) {
	f, ctx, admin := NewFirm(t, s, nil)
	mk := func(name string, roles ...access.Role) access.User {
		u, err := f.Users.Create(ctx, access.User{Name: name, Email: strings.ToLower(strings.Fields(name)[0]) + "@firm.test", Roles: roles})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	lateral := mk("Lara Lateral", access.Partner) // a lateral partner: she may administer walls
	colleague := mk("Carl Colleague", access.Partner)

	globex, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex Corporation"})
	if err != nil {
		t.Fatal(err)
	}
	initech, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Initech LLC"})
	in, err := f.Intake.Take(ctx, cases.Intake{Prospect: globex.ID, Source: "referral", Facts: "Initech copied our designs.",
		Adverse: []cases.AdverseParty{{Name: "Initech LLC", Kind: cases.Organization, Contact: initech.ID, Role: cases.RoleOpposingParty}}})
	if err != nil {
		t.Fatal(err)
	}
	chk, err := f.Conflicts.Run(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Conflicts.Decide(ctx, chk.ID, chk.Version, cases.Cleared, "", "clear"); err != nil {
		t.Fatal(err)
	}
	walled, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: globex.ID, Intake: in.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Cases.AddParty(ctx, cases.Party{Case: walled.ID, Contact: initech.ID, Role: cases.RoleOpposingParty}); err != nil {
		t.Fatal(err)
	}
	if walled, err = f.Cases.Advance(ctx, walled.ID, walled.Version, "pleadings", "complaint filed"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Intake.RecordMeeting(ctx, cases.Meeting{Contact: globex.ID, Case: walled.ID, At: base, Attendees: []string{"Ada"}, Notes: "strategy"}); err != nil {
		t.Fatal(err)
	}
	open, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Hooli v. Pied Piper", Client: initech.ID})
	if err != nil {
		t.Fatal(err)
	}
	// A second matter for Globex is still at intake: no case yet, but its
	// facts, its adverse party, its meeting and its check are Globex's.
	umbrella, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Umbrella Pharmaceuticals"})
	if err != nil {
		t.Fatal(err)
	}
	pending, err := f.Intake.Take(ctx, cases.Intake{Prospect: globex.ID, Source: "phone", Facts: "Globex means to sue Umbrella over the patent pool.",
		Adverse: []cases.AdverseParty{{Name: "Umbrella Pharmaceuticals", Kind: cases.Organization, Contact: umbrella.ID, Role: cases.RoleOpposingParty}}})
	if err != nil {
		t.Fatal(err)
	}
	pendingCheck, err := f.Conflicts.Run(ctx, pending.ID)
	if err != nil {
		t.Fatal(err)
	}
	pendingMeeting, err := f.Intake.RecordMeeting(ctx, cases.Meeting{Contact: globex.ID, Intake: pending.ID, At: base, Attendees: []string{"Ada"}, Notes: "settlement posture for the Umbrella claim"})
	if err != nil {
		t.Fatal(err)
	}
	// A third matter: Globex's check run on names, which then opened a
	// case; and a fourth: a case for Hooli in which Globex is a co-client.
	named, err := f.Conflicts.Check(ctx, []cases.Subject{{Name: "Globex Corporation", Kind: cases.Organization, Role: cases.SubjectClient, Contact: globex.ID},
		{Name: "Soylent Corp", Kind: cases.Organization, Role: cases.SubjectAdverse}})
	if err != nil {
		t.Fatal(err)
	}
	if named, err = f.Conflicts.Decide(ctx, named.ID, named.Version, cases.Waived, "consent letter GX-7", "Soylent consented in writing"); err != nil {
		t.Fatal(err)
	}
	byNames, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Soylent", Client: globex.ID, ConflictCheck: named.ID})
	if err != nil {
		t.Fatal(err)
	}
	hooli, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Hooli Inc"})
	// A joint check, for Hooli and Globex together, run on names.
	jointCheck, err := f.Conflicts.Check(ctx, []cases.Subject{{Name: "Hooli Inc", Kind: cases.Organization, Role: cases.SubjectClient, Contact: hooli.ID},
		{Name: "Globex Corporation", Kind: cases.Organization, Role: cases.SubjectClient, Contact: globex.ID},
		{Name: "Massive Dynamic", Kind: cases.Organization, Role: cases.SubjectAdverse}})
	if err != nil {
		t.Fatal(err)
	}
	if jointCheck, err = f.Conflicts.Decide(ctx, jointCheck.ID, jointCheck.Version, cases.Waived, "GX-consent-9", "both consented"); err != nil {
		t.Fatal(err)
	}
	joint, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Hooli and Globex v. Massive Dynamic", Client: hooli.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Cases.AddParty(ctx, cases.Party{Case: joint.ID, Contact: globex.ID, Role: cases.RoleClient}); err != nil {
		t.Fatal(err)
	}
	wall, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{lateral.ID}, Clients: []string{string(globex.ID)},
		Reason: "joined from Initech's counsel", ApprovedBy: admin.ID})
	if err != nil {
		t.Fatal(err)
	}
	// Another wall around the walled matter, screening someone else: its
	// cases and reason are Globex's too.
	bystander, err := f.Users.Create(ctx, access.User{Name: "Bea Bystander", Email: "bea@firm.test", Roles: []access.Role{access.Attorney}})
	if err != nil {
		t.Fatal(err)
	}
	aside, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{bystander.ID}, Cases: []string{string(walled.ID)},
		Reason: "Bea's husband advises Initech on the design dispute", ApprovedBy: admin.ID})
	if err != nil {
		t.Fatal(err)
	}
	// The walled case's documents: a memo, and a legal hold on the case.
	memo, _, err := f.Documents.Create(ctx, document.Document{Case: walled.ID, Title: "Globex design memo", Kind: document.Note, Tags: []string{"zeta"}},
		docket.Content{Body: strings.NewReader("Project Zeta blueprints were shown to Initech in 2024."), MediaType: "text/plain"})
	if err != nil {
		t.Fatal(err)
	}
	hold, err := f.Documents.PlaceHold(ctx, document.Hold{Case: walled.ID, Matter: "Globex patent litigation hold", Reason: "anticipated suit"})
	if err != nil {
		t.Fatal(err)
	}
	// The walled case's correspondence: an email filed on it with an
	// attachment, and one from the walled client still unfiled.
	if _, err := f.Contacts.Update(ctx, func() cases.Contact {
		g := globex
		g.Emails = []string{"legal@globex.test"}
		g.Version = globex.Version
		return g
	}()); err != nil {
		t.Fatal(err)
	}
	zeta := Email([][2]string{{"From", "legal@globex.test"}, {"To", "colleague@firm.test"},
		{"Subject", "[" + walled.Reference + "] Zeta design files"}, {"Message-ID", "<zeta@globex.test>"}}, "Zeta files attached.",
		map[string][]byte{"zeta.txt": []byte("Zeta blueprints")})
	mail, err := f.Correspondence.ImportEmail(ctx, bytes.NewReader(zeta))
	if err != nil || mail.Message.Case != walled.ID {
		t.Fatalf("importing the walled case's email: %+v, %v", mail, err)
	}
	loose, err := f.Correspondence.ImportEmail(ctx, bytes.NewReader(Email([][2]string{{"From", "legal@globex.test"}, {"To", "colleague@firm.test"},
		{"Subject", "Zeta, again"}, {"Message-ID", "<zeta2@globex.test>"}}, "More on Zeta.", nil)))
	if err != nil || loose.Message.Case != "" {
		t.Fatalf("importing the walled client's unfiled email: %+v, %v", loose, err)
	}
	// A search's scores depend on each hit and the query alone: documents
	// the screened user may not see move neither score nor order.
	if _, _, err := f.Documents.Create(ctx, document.Document{Case: open.ID, Title: "Compression engine notes", Kind: document.Note},
		docket.Content{Body: strings.NewReader("The blueprints of the compression engine, and its middle-out blueprints."), MediaType: "text/plain"}); err != nil {
		t.Fatal(err)
	}
	lctx := access.WithActor(context.Background(), lateral)
	scores := func() []float64 {
		t.Helper()
		page, err := f.Documents.Search(lctx, "blueprints compression", docket.DocumentFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var out []float64
		for _, h := range page.Items {
			out = append(out, h.Score)
		}
		return out
	}
	before := scores()
	for i := range 3 {
		if _, _, err := f.Documents.Create(ctx, document.Document{Case: walled.ID, Title: fmt.Sprintf("Blueprints %d", i), Kind: document.Evidence},
			docket.Content{Body: strings.NewReader(strings.Repeat("blueprints compression ", 50)), MediaType: "text/plain"}); err != nil {
			t.Fatal(err)
		}
	}
	if after := scores(); len(before) != 1 || !slices.Equal(before, after) {
		t.Errorf("the screened user's scores moved with documents they may not see: %v, then %v", before, after)
	}
	// Everything that would tell the screened user about Globex's matters.
	secrets := []string{string(memo.ID), memo.Title, "Zeta blueprints", string(hold.ID), hold.Matter, string(walled.ID), walled.Reference, walled.Title, string(in.ID), in.Facts, string(chk.ID),
		string(pending.ID), pending.Facts, string(pendingCheck.ID), string(pendingMeeting.ID), pendingMeeting.Notes, wall.ID, wall.Reason,
		string(named.ID), "Soylent", named.ConsentRef, string(byNames.ID), byNames.Reference, string(joint.ID), joint.Title, joint.Reference,
		aside.ID, aside.Reason, string(jointCheck.ID), "Massive Dynamic", jointCheck.ConsentRef,
		string(mail.Message.ID), string(loose.Message.ID), "Zeta design files", "Zeta, again", "legal@globex.test", mail.Message.Source}

	traces := func(u access.User) []string {
		uctx := access.WithActor(context.Background(), u)
		var found []string
		trace := func(where string, texts ...string) {
			for _, s := range texts {
				for _, secret := range secrets {
					if strings.Contains(s, secret) {
						found = append(found, where)
						return
					}
				}
			}
		}
		if c, err := f.Cases.Get(uctx, walled.ID); err == nil {
			trace("Cases.Get", string(c.ID))
		}
		if c, err := f.Cases.GetByReference(uctx, walled.Reference); err == nil {
			trace("Cases.GetByReference", string(c.ID))
		}
		if h, err := f.Cases.History(uctx, walled.ID); err == nil && len(h) > 0 {
			trace("Cases.History", string(h[0].Case))
		}
		if ps, err := f.Cases.Parties(uctx, walled.ID); err == nil && len(ps) > 0 {
			trace("Cases.Parties", string(ps[0].Case))
		}
		if page, err := f.Cases.List(uctx, docket.CaseFilter{}, nil); err == nil {
			for _, c := range page.Items {
				trace("Cases.List", string(c.ID))
			}
		}
		for _, filter := range []docket.CaseFilter{{Client: globex.ID}, {Client: hooli.ID}} {
			if page, err := f.Cases.List(uctx, filter, nil); err == nil {
				for _, c := range page.Items {
					trace("Cases.List by client", string(c.ID))
				}
			}
		}
		for _, id := range []cases.ID{byNames.ID, joint.ID} {
			if c, err := f.Cases.Get(uctx, id); err == nil {
				trace("Cases.Get", string(c.ID))
			}
			if ps, err := f.Cases.Parties(uctx, id); err == nil && len(ps) > 0 {
				trace("Cases.Parties", string(ps[0].Case))
			}
		}
		for _, id := range []cases.CheckID{named.ID, jointCheck.ID} {
			if got, err := f.Conflicts.Get(uctx, id); err == nil {
				trace("Conflicts.Get", string(got.ID), got.ConsentRef)
			}
		}
		if got, err := f.Access.Wall(uctx, aside.ID); err == nil {
			trace("Access.Wall", got.ID, got.Reason)
		}
		for _, e := range []docket.AuditFilter{{ResourceType: "conflict-check"}} {
			if page, err := f.Audit.List(uctx, e, &docket.ListOptions{Limit: storage.MaxLimit}); err == nil {
				for _, e := range page.Items {
					if e.Action == "conflict.run" && strings.Contains(e.Reason, "hit") {
						found = append(found, "Audit.List counts a check's hits: "+e.Reason)
					}
				}
			}
		}
		if d, err := f.Documents.Get(uctx, memo.ID); err == nil {
			trace("Documents.Get", string(d.ID))
		}
		if vs, err := f.Documents.Versions(uctx, memo.ID, nil); err == nil && len(vs.Items) > 0 {
			trace("Documents.Versions", string(vs.Items[0].Document))
		}
		var content strings.Builder
		if _, err := f.Documents.Content(uctx, memo.ID, 0, &content); err == nil || content.Len() > 0 {
			trace("Documents.Content", content.String())
		}
		for _, filter := range []docket.DocumentFilter{{}, {Case: walled.ID}, {Tag: "zeta"}, {Deleted: storage.AnyDeleted}} {
			if page, err := f.Documents.List(uctx, filter, nil); err == nil {
				for _, d := range page.Items {
					trace("Documents.List", string(d.ID), d.Title)
				}
			}
		}
		for _, q := range []string{"blueprints", "Globex design", "zeta", "proj*"} {
			if page, err := f.Documents.Search(uctx, q, docket.DocumentFilter{}, nil); err == nil {
				for _, h := range page.Items {
					trace("Documents.Search", string(h.Document.ID), h.Document.Title)
				}
			}
		}
		for _, filter := range []docket.HoldFilter{{}, {Case: walled.ID}, {Active: true}} {
			if page, err := f.Documents.Holds(uctx, filter, nil); err == nil {
				for _, h := range page.Items {
					trace("Documents.Holds", string(h.ID), h.Matter)
				}
			}
		}
		for _, filter := range []docket.MessageFilter{{}, {Case: walled.ID}, {Unfiled: true}, {Client: globex.ID}, {Address: "legal@globex.test"}, {Thread: "zeta@globex.test"}} {
			if page, err := f.Correspondence.List(uctx, filter, nil); err == nil {
				for _, m := range page.Items {
					trace("Correspondence.List", string(m.ID), string(m.Case), m.Subject)
				}
			}
		}
		for _, q := range []string{"zeta", "zeta design", "files"} {
			if page, err := f.Correspondence.Search(uctx, q, docket.MessageFilter{}, nil); err == nil {
				for _, m := range page.Items {
					trace("Correspondence.Search", string(m.ID), m.Subject)
				}
			}
		}
		for _, id := range []correspondence.ID{mail.Message.ID, loose.Message.ID} {
			if m, err := f.Correspondence.Get(uctx, id); err == nil {
				trace("Correspondence.Get", string(m.ID), m.Subject)
			}
			var b bytes.Buffer
			if _, err := f.Correspondence.Content(uctx, id, mail.Message.Source, &b); err == nil || b.Len() > 0 {
				trace("Correspondence.Content", b.String())
			}
		}
		if h, err := f.Correspondence.History(uctx, globex.ID, docket.HistoryFilter{}); err == nil {
			for _, it := range h.Items {
				if it.Message != nil {
					trace("Correspondence.History", string(it.Message.ID), it.Message.Subject)
				}
			}
		}
		if r, err := f.Correspondence.ImportEmail(uctx, bytes.NewReader(zeta)); err == nil {
			trace("Correspondence.ImportEmail of a duplicate", string(r.Message.Case), r.Message.Subject, string(r.Message.Thread))
		}
		if n, err := f.Cases.Count(uctx, docket.CaseFilter{Client: globex.ID}); err == nil && n > 0 {
			found = append(found, "Cases.Count")
		}
		for _, filter := range []docket.AuditFilter{{}, {ResourceType: "case"}, {ResourceID: string(walled.ID)}, {Actor: string(admin.ID)},
			{ResourceType: "intake"}, {ResourceType: "meeting"}, {ResourceType: "conflict-check"}, {ResourceType: "wall"}, {ResourceID: string(pending.ID)},
			{ResourceType: storage.KindDocument}, {ResourceType: storage.KindHold}, {ResourceID: string(memo.ID)},
			{ResourceType: storage.KindMessage}, {ResourceID: string(mail.Message.ID)}, {ResourceID: string(loose.Message.ID)}} {
			if page, err := f.Audit.List(uctx, filter, &docket.ListOptions{Limit: storage.MaxLimit}); err == nil {
				for _, e := range page.Items {
					var texts []string
					for _, ch := range e.Changes {
						texts = append(texts, ch.Before, ch.After)
					}
					trace("Audit.List", append(texts, e.CaseID, e.ResourceID, e.Reason)...)
				}
			}
		}
		if page, err := f.Audit.ForCase(uctx, walled.ID, nil); err == nil && len(page.Items) > 0 {
			trace("Audit.ForCase", page.Items[0].CaseID)
		}
		for _, filter := range []docket.IntakeFilter{{}, {Prospect: globex.ID}} {
			if page, err := f.Intake.List(uctx, filter, nil); err == nil {
				for _, in := range page.Items {
					trace("Intake.List", string(in.ID), string(in.Case), in.Facts)
				}
			}
		}
		for _, id := range []cases.IntakeID{in.ID, pending.ID} {
			if got, err := f.Intake.Get(uctx, id); err == nil {
				trace("Intake.Get", string(got.ID))
			}
		}
		for _, filter := range []docket.MeetingFilter{{}, {Contact: globex.ID}, {Intake: pending.ID}} {
			if page, err := f.Intake.Meetings(uctx, filter, nil); err == nil {
				for _, m := range page.Items {
					trace("Intake.Meetings", string(m.ID), string(m.Case), m.Notes)
				}
			}
		}
		for _, id := range []cases.CheckID{chk.ID, pendingCheck.ID} {
			if got, err := f.Conflicts.Get(uctx, id); err == nil {
				trace("Conflicts.Get", string(got.ID))
			}
		}
		if got, err := f.Access.Wall(uctx, wall.ID); err == nil {
			trace("Access.Wall", got.ID)
		}
		if page, err := f.Access.Walls(uctx, docket.WallFilter{}, nil); err == nil {
			for _, w := range page.Items {
				trace("Access.Walls", w.ID)
			}
		}
		check, err := f.Conflicts.Check(uctx, []cases.Subject{{Name: "Globex Corp.", Kind: cases.Organization, Role: cases.SubjectAdverse},
			{Name: "Initech", Kind: cases.Organization, Role: cases.SubjectClient}, {Name: "Umbrella Pharmaceuticals", Kind: cases.Organization, Role: cases.SubjectClient}})
		if err != nil {
			t.Fatalf("%s's conflict check: %v", u.Name, err)
		}
		secured := false
		umbrellaFound := false
		for i, h := range check.Hits {
			if i > 0 && check.Hits[i-1].Reason == docket.SecuredMatter && h.Reason != docket.SecuredMatter {
				found = append(found, "Conflicts.Check places a secured line among the hits, by its score")
			}
			trace("Conflicts.Check", string(h.Case), string(h.Intake), h.Reference, h.Reason, h.ContactName, h.MatchedName, string(h.Contact))
			if strings.Contains(h.Reason, "Globex") && u.ID == lateral.ID {
				found = append(found, "Conflicts.Check names the walled client")
			}
			secured = secured || h.Reason == docket.SecuredMatter
			umbrellaFound = umbrellaFound || h.Subject == "Umbrella Pharmaceuticals"
		}
		if !umbrellaFound {
			t.Errorf("%s's conflict check does not find Umbrella, named adverse in Globex's intake: %+v", u.Name, check.Hits)
		}
		if len(check.Hits) == 0 {
			t.Errorf("%s's conflict check against Globex found nothing: the conflict must still be found", u.Name)
		}
		if u.ID == lateral.ID && !secured {
			t.Errorf("the walled user's conflict check does not report a secured matter: %+v", check.Hits)
		}
		return found
	}
	if got := traces(lateral); len(got) > 0 {
		t.Errorf("the walled user finds the walled case through %v", got)
	}
	seen := traces(colleague)
	for _, want := range []string{"Cases.Get", "Cases.Count", "Cases.History", "Cases.Parties", "Audit.List", "Audit.ForCase", "Intake.List", "Intake.Get",
		"Intake.Meetings", "Conflicts.Get", "Conflicts.Check", "Access.Wall", "Access.Walls", "Cases.List by client",
		"Documents.Get", "Documents.Versions", "Documents.Content", "Documents.List", "Documents.Search", "Documents.Holds",
		"Correspondence.List", "Correspondence.Search", "Correspondence.Get", "Correspondence.Content", "Correspondence.History", "Correspondence.ImportEmail of a duplicate"} {
		if !strings.Contains(strings.Join(seen, ","), want) {
			t.Errorf("the colleague does not find the case through %s (found through %v): the leak test would pass vacuously", want, seen)
		}
	}
	// Nor may the screened user start new work for the walled client:
	// refused like any screened access, and audited.
	if _, err := f.Cases.Open(lctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Umbrella", Client: globex.ID}); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the walled user opens a case for the walled client: %v", err)
	}
	if _, err := f.Intake.Take(lctx, cases.Intake{Prospect: globex.ID, Source: "phone"}); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the walled user takes an intake for the walled client: %v", err)
	}
	if _, err := f.Intake.RecordMeeting(lctx, cases.Meeting{Contact: globex.ID, At: base}); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the walled user records a meeting with the walled client: %v", err)
	}
	if _, err := f.Intake.RecordMeeting(lctx, cases.Meeting{Contact: umbrella.ID, Intake: pending.ID, At: base}); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the walled user records a meeting on the walled client's intake: %v", err)
	}
	if _, err := f.Conflicts.Check(lctx, []cases.Subject{{Name: "Hooli Inc", Kind: cases.Organization, Role: cases.SubjectClient, Contact: hooli.ID},
		{Name: "Globex Corporation", Kind: cases.Organization, Role: cases.SubjectClient, Contact: globex.ID}}); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the walled user runs a joint check for the walled client: %v", err)
	}
	if _, err := f.Cases.AddParty(lctx, cases.Party{Case: open.ID, Contact: globex.ID, Role: cases.RoleClient}); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the walled user makes the walled client a co-client of a case of theirs: %v", err)
	}
	if _, err := f.Conflicts.Decide(lctx, named.ID, named.Version, cases.Declined, "", "flip the gate"); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the walled user decides the walled case's check: %v", err)
	}
	if _, err := f.Access.LiftWall(lctx, aside.ID, aside.Version, "not needed"); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the walled user lifts another wall around the walled matter: %v", err)
	}
	if _, err := f.Access.ErectWall(lctx, access.Wall{Users: []access.UserID{admin.ID}, Cases: []string{string(walled.ID)}, Reason: "lock them out", ApprovedBy: lateral.ID}); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the walled user walls others off the walled case: %v", err)
	}
	upd := pending
	upd.Facts = "overwritten"
	if _, err := f.Intake.Update(lctx, upd); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the walled user updates the walled client's intake: %v", err)
	}
	if _, err := f.Conflicts.Run(lctx, pending.ID); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the walled user runs the walled client's intake check: %v", err)
	}
	// The open case stays visible to both.
	for _, u := range []access.User{lateral, colleague} {
		if _, err := f.Cases.Get(access.WithActor(context.Background(), u), open.ID); err != nil {
			t.Errorf("%s cannot read the unwalled case: %v", u.Name, err)
		}
	}
	// Denied attempts were audited, and only those who may see the case see them.
	page, err := f.Audit.List(ctx, docket.AuditFilter{Actor: string(lateral.ID)}, &docket.ListOptions{Limit: storage.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	denials := 0
	for _, e := range page.Items {
		if strings.HasSuffix(e.Action, ".denied") {
			denials++
		}
	}
	if denials == 0 {
		t.Error("the walled user's attempts left no denial in the audit log")
	}
	if _, err := f.Cases.Get(access.WithActor(context.Background(), lateral), walled.ID); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the walled user's Get: %v, want ErrForbidden", err)
	}
}
