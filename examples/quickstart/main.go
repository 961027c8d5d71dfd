// Command quickstart is Docket's main job, end to end, on an embedded
// SQLite file: it creates the firm's users, takes a prospective client
// through intake and a conflict check, opens a federal criminal case, moves
// it through charging, arraignment and plea negotiation, keeps its
// documents and correspondence, prints the case's timeline and audit
// trail, and verifies the audit chain.
//
//	go run ./examples/quickstart            # uses ./docket-quickstart.db
//	go run ./examples/quickstart -db firm.db
//	go run ./examples/quickstart -fresh     # deletes the file first
//
// A second run reuses the file: the users are already there, the new
// intake's conflict check finds the client and co-defendant from the first
// run, and the case gets the next reference number. The audit chain then
// covers both runs.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/sqlite"
)

func main() {
	path := flag.String("db", "docket-quickstart.db", "SQLite database file (created if missing)")
	fresh := flag.Bool("fresh", false, "delete the database file first and start afresh")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *path, *fresh); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// The quickstart's users have fixed IDs, as an embedding application's
// users would have IDs from its own login system.
var staff = []access.User{
	{ID: "u-ada", Name: "Ada Okafor (administrator)", Email: "ada@okafor-law.test", Roles: []access.Role{access.Administrator}},
	{ID: "u-alice", Name: "Alice Moreno (attorney)", Email: "alice@okafor-law.test", Roles: []access.Role{access.Attorney}},
	{ID: "u-paul", Name: "Paul Chen (case manager)", Email: "paul@okafor-law.test", Roles: []access.Role{access.CaseManager}},
}

// newYork is the firm's time zone.
var newYork = func() *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err) // the Go distribution's zone database has it
	}
	return loc
}()

func run(ctx context.Context, out io.Writer, path string, fresh bool) error {
	if fresh {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	_, statErr := os.Stat(path)
	reuse := statErr == nil
	store, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	firm, err := docket.New(store, &docket.Options{
		// What document templates merge as {{.Firm.Name}} and so on.
		Profile: document.FirmFields{Name: "Moreno & Chen LLP", Address: "100 Centre Street, New York, NY 10013", Phone: "+1 212 555 0100"},
		// Mail sent or copied to cases+<reference>@okafor-law.test is
		// filed on that case.
		FilingAddress: "cases+{ref}@okafor-law.test",
		// The firm is in New York: its dates (a case's opening) are New
		// York's, as are its reports' weeks and months.
		Location: newYork,
	})
	if err != nil {
		return err
	}
	if reuse {
		fmt.Fprintf(out, "Reusing %s (run with -fresh to start afresh).\n\n", path)
	} else {
		fmt.Fprintf(out, "Created %s.\n\n", path)
	}

	// 1. Users. The first is bootstrapped; she then creates the others.
	admin := staff[0]
	if _, err := firm.Users.Bootstrap(ctx, admin); err != nil && !errors.Is(err, storage.ErrExists) {
		return fmt.Errorf("bootstrap: %w", err)
	}
	ctx = access.WithActor(ctx, admin)
	for _, u := range staff[1:] {
		if _, err := firm.Users.Get(ctx, u.ID); errors.Is(err, storage.ErrNotFound) {
			if _, err := firm.Users.Create(ctx, u); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
	}
	fmt.Fprintln(out, "Users: Ada (administrator), Alice (attorney), Paul (case manager).")

	// A former client from an earlier matter, so the conflict check has
	// something real to find: the firm once acted for "Bill Turner".
	if !reuse {
		if err := seedHistory(access.WithActor(ctx, staff[1]), firm); err != nil {
			return err
		}
	}

	// 2. Intake, taken by the case manager.
	paul := access.WithActor(ctx, staff[2])
	maria, err := findOrCreate(paul, firm, cases.Contact{
		Kind: cases.Person, Name: "María Elena García", Aliases: []string{"Maria Garcia"},
		Phones: []string{"+1 212 555 0143"}, PreferredLanguage: "es", InterpreterNeeded: true,
		CulturalNotes: "Prefers meetings in the morning; brings her daughter to help.",
	})
	if err != nil {
		return err
	}
	in, err := firm.Intake.Take(paul, cases.Intake{
		Prospect: maria.ID, Source: "referral", ReferredBy: "Legal Aid Society", CaseType: "federal-criminal",
		Facts: "Agents searched my shop on March 2. They say the invoices were false. I only kept the books.",
		Questions: []cases.Question{
			{Question: "Have you been charged?", Answer: "A grand jury subpoena came; my lawyer friend says an indictment is likely."},
			{Question: "Has anyone else been charged?", Answer: "William Turner, the owner of the supplier."},
		},
		FollowUps: []cases.FollowUp{{What: "Get a copy of the subpoena", Owner: "u-paul", Due: cases.DateOf(time.Now().AddDate(0, 0, 7))}},
		Adverse: []cases.AdverseParty{
			{Name: "United States of America", Kind: cases.Organization, Role: cases.RoleOpposingParty},
			{Name: "William Turner", Kind: cases.Person, Role: cases.RoleCoDefendant},
		},
	})
	if err != nil {
		return err
	}
	if _, err := firm.Intake.RecordMeeting(paul, cases.Meeting{
		Contact: maria.ID, Intake: in.ID, At: time.Now(), Minutes: 50, Location: "Office, room 2",
		Attendees: []string{"María Elena García", "Paul Chen", "Alice Moreno"}, Interpreter: "Lucía Vega (Spanish)",
		Notes: "Explained the process and fees; she will bring the shop's ledgers.",
	}); err != nil {
		return err
	}
	fmt.Fprintf(out, "Intake: %s, referred by %s; interpreter needed (%s).\n", maria.Name, in.ReferredBy, maria.PreferredLanguage)

	// 3. Conflict check, then the attorney's decision.
	chk, err := firm.Conflicts.Run(paul, in.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nConflict check: %d hit(s)\n", len(chk.Hits))
	for _, h := range chk.Hits {
		fmt.Fprintf(out, "  %.2f  %s\n", h.Score, h.Reason)
	}
	alice := access.WithActor(ctx, staff[1])
	// The attorney reviews the hits. Here the only rule engaged is 1.9: the
	// co-defendant is a former client, Bill Turner, whose 2023 civil matter
	// is unrelated to this prosecution, so 1.9(a) does not bar acting for
	// María; the firm still records both clients' written consent.
	decision, consent, reason := cases.Cleared, "", "reviewed every hit: none engages a conflict rule"
	for _, h := range chk.Hits {
		if h.Rule != "" {
			decision, consent = cases.Waived, "Consent letters of María García and Bill Turner, file CL-2026-031"
			reason = "the former client's 2023 civil matter is unrelated to this prosecution (Rule 1.9(a) does not bar it); informed consent confirmed in writing as a precaution"
			break
		}
	}
	if chk, err = firm.Conflicts.Decide(alice, chk.ID, chk.Version, decision, consent, reason); err != nil {
		return err
	}
	fmt.Fprintf(out, "Decision: %s by Alice (%s)\n", chk.Decision, chk.Reason)

	// 4. Open the case and move it through its stages.
	c, err := firm.Cases.Open(paul, cases.Draft{
		Type: "federal-criminal", Title: "United States v. García", Client: maria.ID, Intake: in.ID,
		Court: "U.S. District Court, S.D.N.Y.", LeadAttorney: "u-alice", CaseManager: "u-paul",
	})
	if err != nil {
		return err
	}
	usa, err := findOrCreate(paul, firm, cases.Contact{Kind: cases.Organization, Name: "United States of America"})
	if err != nil {
		return err
	}
	if _, err := firm.Cases.AddParty(paul, cases.Party{Case: c.ID, Contact: usa.ID, Role: cases.RoleOpposingParty}); err != nil {
		return err
	}
	turner, err := findOrCreate(paul, firm, cases.Contact{Kind: cases.Person, Name: "William Turner"})
	if err != nil {
		return err
	}
	if _, err := firm.Cases.AddParty(paul, cases.Party{Case: c.ID, Contact: turner.ID, Role: cases.RoleCoDefendant}); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nOpened %s %q in stage %s.\n", c.Reference, c.Title, c.Stage)

	// Trying to skip ahead is refused, with the rule that refused it.
	if _, err := firm.Cases.Advance(alice, c.ID, c.Version, "sentencing", "skip"); err != nil {
		fmt.Fprintf(out, "Refused as it should be: %v\n", err)
	}
	for _, step := range []struct{ stage, why string }{
		{"charging", "indictment returned by the grand jury"},
		{"arraignment", "arraignment set before the magistrate judge"},
		{"plea-negotiation", "not-guilty plea entered; government offered a plea agreement"},
	} {
		if c, err = firm.Cases.Advance(alice, c.ID, c.Version, step.stage, step.why); err != nil {
			return err
		}
	}

	// 5. Documents: the engagement letter from the shipped template,
	// revised by the attorney under a check-out, found again by search.
	letter, v1, err := firm.Documents.Assemble(paul, docket.Assembly{Case: c.ID, Template: docket.BuiltinTemplatePrefix + "engagement-letter", Privileged: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nAssembled %q (version %d, %d bytes, from %s).\n", letter.Title, v1.Number, v1.Size, v1.Template)
	if letter, err = firm.Documents.CheckOut(alice, letter.ID, time.Hour); err != nil {
		return err
	}
	var body strings.Builder
	if _, err := firm.Documents.Content(alice, letter.ID, 0, &body); err != nil {
		return err
	}
	revised := strings.Replace(body.String(), "## 4. Conflicts of interest",
		"Fees agreed: a flat fee of $25,000 through trial.\n\n## 4. Conflicts of interest", 1)
	if _, err := firm.Documents.AddVersion(paul, letter.ID, v1.Number, docket.Content{Body: strings.NewReader("Paul's edit"), MediaType: "text/markdown"}); err != nil {
		fmt.Fprintf(out, "Paul's edit while Alice has it checked out is refused: %v\n", err)
	}
	letter, v2, err := firm.Documents.CheckIn(alice, letter.ID, v1.Number, docket.Content{Body: strings.NewReader(revised), MediaType: "text/markdown", Comment: "fee terms agreed"})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Alice checked in version %d (%s), based on version %d.\n", v2.Number, v2.Comment, v2.BasedOn)
	hits, err := firm.Documents.Search(paul, "flat fee", docket.DocumentFilter{Case: c.ID}, nil)
	if err != nil {
		return err
	}
	for _, h := range hits.Items {
		fmt.Fprintf(out, "Search \"flat fee\" finds %q.\n", h.Document.Title)
	}

	// 6. Correspondence: María's email, copied to the case's filing
	// address, is filed on the case with its attachment; Paul records a
	// call by hand.
	if err := correspond(paul, out, firm, c, maria); err != nil {
		return err
	}

	// 7. The timeline and the audit trail.
	hist, err := firm.Cases.History(ctx, c.ID)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, u := range staff {
		names[string(u.ID)] = strings.SplitN(u.Name, " ", 2)[0]
	}
	fmt.Fprintf(out, "\nTimeline of %s:\n", c.Reference)
	for _, h := range hist {
		from := h.From
		if from == "" {
			from = "(opened)"
		}
		fmt.Fprintf(out, "  %s  %-16s -> %-16s %-6s %s\n", h.At.Local().Format("2006-01-02 15:04"), from, h.To, names[h.By], h.Reason)
	}
	trail, err := firm.Audit.ForCase(ctx, c.ID, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nAudit trail of %s:\n", c.Reference)
	for _, e := range trail.Items {
		fmt.Fprintf(out, "  #%-4d %s  %-6s %-13s %s\n", e.Seq, e.At.Local().Format("15:04:05"), names[e.Actor], e.Action, summarize(e))
	}

	res, err := firm.Audit.Verify(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%s\n", res)
	if !res.OK {
		return errors.New("the audit chain does not verify")
	}
	return nil
}

// correspond imports an email from the client and records a call, then
// prints the case's correspondence.
func correspond(ctx context.Context, out io.Writer, firm *docket.Firm, c cases.Case, client cases.Contact) error {
	email := "From: María Elena García <maria.garcia@example.test>\r\n" +
		"To: Paul Chen <paul@okafor-law.test>\r\n" +
		"Cc: cases+" + strings.ToLower(c.Reference) + "@okafor-law.test\r\n" +
		"Subject: Documentos / documents for my case\r\n" +
		"Date: " + time.Now().Format(time.RFC1123Z) + "\r\n" +
		"Message-ID: <documents-" + c.Reference + "@example.test>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAdjunto la carta del fiscal. The prosecutor's letter is attached.\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; filename=\"prosecutor-letter.txt\"\r\n\r\n" +
		"The government offers a plea to count two.\r\n--b--\r\n"
	r, err := firm.Correspondence.ImportEmail(ctx, strings.NewReader(email))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nImported an email from %s, filed on %s by its %s, with %d attachment(s) now documents on the case.\n",
		r.Message.Participants[0].Name, c.Reference, r.FiledFrom, len(r.Message.Attachments))
	if _, err := firm.Correspondence.Record(ctx, correspondence.Message{Case: c.ID, Channel: correspondence.Call, Direction: correspondence.Outbound,
		At: time.Now(), Subject: "Plea offer explained", Text: "Explained the offer through the interpreter; María will decide by Friday.",
		Participants: []correspondence.Participant{{Role: correspondence.From, User: "u-paul"}, {Role: correspondence.To, Contact: client.ID}}}); err != nil {
		return err
	}
	page, err := firm.Correspondence.List(ctx, docket.MessageFilter{Case: c.ID}, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Correspondence of %s:\n", c.Reference)
	for _, m := range page.Items {
		fmt.Fprintf(out, "  %s  %-10s %-8s %s\n", m.At.Local().Format("2006-01-02 15:04"), m.Channel, m.Direction, m.Subject)
	}
	return nil
}

// summarize lists the fields an entry changed, with the new stage if any.
func summarize(e audit.Entry) string {
	var fields []string
	for _, c := range e.Changes {
		if c.Field == "Stage" {
			fields = append(fields, "Stage "+c.Before+" -> "+c.After)
			continue
		}
		fields = append(fields, c.Field)
	}
	s := strings.Join(fields, ", ")
	if len(s) > 90 {
		s = s[:87] + "..."
	}
	return s
}

// findOrCreate returns the contact of that kind and name if the firm has
// one (a second run), or creates it.
func findOrCreate(ctx context.Context, firm *docket.Firm, c cases.Contact) (cases.Contact, error) {
	opts := &docket.ListOptions{}
	for {
		page, err := firm.Contacts.List(ctx, docket.ContactFilter{Kind: c.Kind}, opts)
		if err != nil {
			return cases.Contact{}, err
		}
		for _, known := range page.Items {
			if known.Name == c.Name {
				return known, nil
			}
		}
		if page.Next == "" {
			return firm.Contacts.Create(ctx, c)
		}
		opts.After = page.Next
	}
}

// seedHistory records a closed matter for a former client, Bill Turner.
func seedHistory(ctx context.Context, firm *docket.Firm) error {
	bill, err := firm.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Bill Turner"})
	if err != nil {
		return err
	}
	old, err := firm.Cases.Open(ctx, cases.Draft{
		Type: "federal-civil", Title: "Turner v. Acme Supply Co.", Client: bill.ID,
		OpenedOn: cases.MustDate("2023-04-03"), LeadAttorney: "u-alice",
	})
	if err != nil {
		return err
	}
	_, err = firm.Cases.Exit(ctx, old.ID, old.Version, "settled", "settled at mediation")
	return err
}
