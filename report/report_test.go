package report_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/report"
	"github.com/docketkit/docket/storage/memory"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixture is a firm with a fortnight of work on two cases, one of them
// Globex's, from which Carl is walled.
type fixture struct {
	firm                   *docket.Firm
	alice, paul, bob, carl access.User
	ny                     *time.Location
	now                    time.Time
}

func (fx *fixture) as(u access.User) context.Context {
	return access.WithActor(context.Background(), u)
}

// at sets the clock to a time in New York on a day of November 2026.
func (fx *fixture) at(day, hour, min int) { fx.now = time.Date(2026, 11, day, hour, min, 0, 0, fx.ny) }

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	fx := &fixture{ny: ny}
	fx.at(9, 9, 0)
	n := 0
	fx.firm, err = docket.New(memory.New(), &docket.Options{
		Clock:    func() time.Time { fx.now = fx.now.Add(time.Second); return fx.now },
		NewID:    func() string { n++; return fmt.Sprintf("id-%03d", n) },
		Location: ny,
	})
	if err != nil {
		t.Fatal(err)
	}
	f := fx.firm
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	fx.alice, err = f.Users.Bootstrap(context.Background(), access.User{Name: "Alice Moreno", Email: "alice@firm.test", Roles: []access.Role{access.Partner}})
	must(err)
	actx := fx.as(fx.alice)
	mk := func(name string, role access.Role) access.User {
		u, err := f.Users.Create(actx, access.User{Name: name, Email: strings.ToLower(strings.Fields(name)[0]) + "@firm.test", Roles: []access.Role{role}})
		must(err)
		return u
	}
	fx.paul, fx.bob, fx.carl = mk("Paul Chen", access.CaseManager), mk("Bob Stein", access.Attorney), mk("Carl Ortiz", access.CaseManager)
	_, _, err = f.Calendar.PutCourt(actx, calendar.Court{ID: "nysd", Name: "S.D.N.Y.", TimeZone: "America/New_York", Holidays: []string{"us-federal"}})
	must(err)
	garcia, err := f.Contacts.Create(actx, cases.Contact{Kind: cases.Person, Name: "María García"})
	must(err)
	globex, err := f.Contacts.Create(actx, cases.Contact{Kind: cases.Organization, Name: "Globex Corporation"})
	must(err)
	open := func(client cases.ContactID, title string, lead, cm access.User) cases.Case {
		in, err := f.Intake.Take(actx, cases.Intake{Prospect: client, Source: "referral"})
		must(err)
		chk, err := f.Conflicts.Run(actx, in.ID)
		must(err)
		_, err = f.Conflicts.Decide(actx, chk.ID, chk.Version, cases.Cleared, "", "no conflict")
		must(err)
		c, err := f.Cases.Open(actx, cases.Draft{Type: "federal-civil", Title: title, Client: client, Court: "nysd", Intake: in.ID,
			LeadAttorney: string(lead.ID), CaseManager: string(cm.ID)})
		must(err)
		return c
	}
	// The week before: a case opened and a draft written.
	a := open(garcia.ID, "García v. Initech", fx.alice, fx.paul)
	draft, _, err := f.Documents.Create(actx, document.Document{Case: a.ID, Title: "Complaint", Kind: document.Pleading},
		docket.Content{Body: strings.NewReader("COMPLAINT, first draft"), MediaType: "text/plain"})
	must(err)

	// The week of 16 November.
	fx.at(16, 9, 0)
	g := open(globex.ID, "Globex v. Umbrella", fx.bob, fx.paul)
	_, err = f.Access.ErectWall(actx, access.Wall{Users: []access.UserID{fx.carl.ID}, Clients: []string{string(globex.ID)}, Reason: "lateral hire from Umbrella's counsel", ApprovedBy: fx.alice.ID})
	must(err)
	fx.at(16, 11, 0)
	a, err = f.Cases.Advance(actx, a.ID, a.Version, "pleadings", "complaint ready to file")
	must(err)
	g, err = f.Cases.Advance(actx, g.ID, g.Version, "pleadings", "demand letter unanswered")
	must(err)
	fx.at(17, 10, 0)
	_, _, err = f.Documents.Create(actx, document.Document{Case: a.ID, Title: "Civil cover sheet", Kind: document.Form},
		docket.Content{Body: strings.NewReader("JS 44"), MediaType: "text/plain"})
	must(err)
	_, err = f.Documents.AddVersion(actx, draft.ID, 1, docket.Content{Body: strings.NewReader("COMPLAINT, as filed"), MediaType: "text/plain", Comment: "as filed"})
	must(err)
	_, _, err = f.Documents.Create(actx, document.Document{Case: g.ID, Title: "Umbrella demand letter", Kind: document.Letter},
		docket.Content{Body: strings.NewReader("Dear Sirs"), MediaType: "text/plain"})
	must(err)
	deadline := func(c cases.Case, title string, due string) calendar.Deadline {
		d, err := f.Calendar.AddDeadline(actx, calendar.Deadline{Case: c.ID, Title: title, Citation: "Scheduling order", Court: "nysd", Due: cases.MustDate(due)})
		must(err)
		return d
	}
	met := deadline(a, "Serve the summons", "2026-11-18")
	deadline(a, "Initial disclosures", "2026-11-19")
	deadline(a, "Rule 26(f) report", "2026-11-25")
	deadline(g, "Reply to Umbrella", "2026-11-20")
	fx.at(17, 15, 0)
	_, err = f.Calendar.ResolveDeadline(actx, met.ID, met.Version, calendar.Done, "served by the marshal")
	must(err)
	hearing := func(c cases.Case, kind calendar.EventKind, title string, day int) {
		start := time.Date(2026, 11, day, 10, 0, 0, 0, fx.ny)
		_, _, err := f.Calendar.Schedule(actx, calendar.Event{Case: c.ID, Kind: kind, Title: title, Start: start, End: start.Add(time.Hour),
			TimeZone: "America/New_York", Court: "nysd", Attendees: []calendar.Attendee{{Kind: calendar.AttendeeUser, ID: string(fx.alice.ID)}}})
		must(err)
	}
	hearing(a, calendar.StatusConference, "Status conference", 19)
	hearing(a, calendar.MotionHearing, "Motion to dismiss", 24)
	hearing(g, calendar.StatusConference, "Globex status conference", 20)
	hearing(a, calendar.ClientMeeting, "Client meeting", 20)
	record := func(c cases.Case, ch correspondence.Channel, dir correspondence.Direction, subject string, day int) {
		_, err := f.Correspondence.Record(actx, correspondence.Message{Case: c.ID, Channel: ch, Direction: dir, At: time.Date(2026, 11, day, 12, 0, 0, 0, fx.ny),
			Subject: subject, Participants: []correspondence.Participant{{Role: correspondence.From, Name: "Someone"}}})
		must(err)
	}
	record(a, correspondence.Email, correspondence.Inbound, "Photos", 17)
	record(a, correspondence.Call, correspondence.Outbound, "Call with the client", 18)
	record(a, correspondence.Email, correspondence.Internal, "Filing plan", 18)
	record(g, correspondence.Letter, correspondence.Inbound, "Umbrella's answer", 19)
	record(a, correspondence.Email, correspondence.Inbound, "Next week", 24) // outside the week
	fx.at(25, 8, 30)
	return fx
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
	}
}

// TestWeeklyReport: last week's firm report as the partner reads it, in
// Markdown and CSV, against golden files.
func TestWeeklyReport(t *testing.T) {
	fx := newFixture(t)
	cal := report.Calendar{Location: fx.ny}
	week := cal.LastWeek(fx.now)
	r, err := report.Build(fx.as(fx.alice), fx.firm, week, report.Firm, fx.now)
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/weekly.md", md.Bytes())
	files, err := r.CSVFiles()
	if err != nil {
		t.Fatal(err)
	}
	var all bytes.Buffer
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for n := range files {
			if !yield(n) {
				return
			}
		}
	}) {
		fmt.Fprintf(&all, "== %s\n%s", name, files[name])
	}
	golden(t, "testdata/weekly-csv.txt", all.Bytes())
}

// TestWalledReader: a report holds only what its reader may read; the
// walled client's case is absent, not blanked.
func TestWalledReader(t *testing.T) {
	fx := newFixture(t)
	week := report.Calendar{Location: fx.ny}.LastWeek(fx.now)
	full, err := report.Build(fx.as(fx.alice), fx.firm, week, report.Firm, fx.now)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(fx.as(fx.carl), fx.firm, week, report.Firm, fx.now)
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	files, err := r.CSVFiles()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{md.String()}
	for _, b := range files {
		texts = append(texts, string(b))
	}
	for _, text := range texts {
		for _, secret := range []string{"Globex", "Umbrella", "2026-CV-0002"} {
			if strings.Contains(text, secret) {
				t.Errorf("the walled reader's report mentions %q", secret)
			}
		}
	}
	if len(r.Opened) != len(full.Opened)-1 || len(r.StageChanges) != len(full.StageChanges)-1 || len(r.HearingsHeld) != len(full.HearingsHeld)-1 {
		t.Errorf("walled: %d opened, %d stage changes, %d hearings; the partner's: %d, %d, %d",
			len(r.Opened), len(r.StageChanges), len(r.HearingsHeld), len(full.Opened), len(full.StageChanges), len(full.HearingsHeld))
	}
	for _, p := range r.People {
		if p.Name == "Bob Stein" {
			t.Errorf("Bob's row, whose only case is walled, shows: %+v", p)
		}
	}
	// A reader whose roles do not reach a part gets the rest, and is told.
	sue, err := fx.firm.Users.Create(fx.as(fx.alice), access.User{Name: "Sue Park", Email: "sue@firm.test", Roles: []access.Role{access.LegalSecretary}})
	if err != nil {
		t.Fatal(err)
	}
	sr, err := report.Build(fx.as(sue), fx.firm, week, report.Firm, fx.now)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"conflict checks"}, sr.Omitted); diff != "" || len(sr.Opened) != 1 {
		t.Errorf("a legal secretary's report: omitted (-want +got):\n%s; %d opened", diff, len(sr.Opened))
	}
	// A scope of one case manager.
	paul, err := report.Build(fx.as(fx.alice), fx.firm, week, report.Scope{Name: "Paul Chen", Users: []access.UserID{fx.paul.ID}}, fx.now)
	if err != nil {
		t.Fatal(err)
	}
	if len(paul.Opened) != 1 || paul.Opened[0].CaseManager != "Paul Chen" {
		t.Errorf("Paul's report: %+v", paul.Opened)
	}
}

// TestHTML: the HTML report is one file that loads nothing, escapes what
// it quotes, and draws its three charts; a browser renders it without an
// error (headless Chromium, where installed).
func TestHTML(t *testing.T) {
	fx := newFixture(t)
	month := report.Calendar{Location: fx.ny}.MonthOf(time.Date(2026, 11, 20, 12, 0, 0, 0, fx.ny))
	r, err := report.Build(fx.as(fx.alice), fx.firm, month, report.Scope{Name: `Firm <script>alert("x")</script>`}, fx.now)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{"<svg", "Caseload by stage", "Deadlines per week", "Workload per person", "Content-Security-Policy", "&lt;script&gt;", "week of 23 Nov"} {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "http://", "https://", "src=", "@import", "url("} {
		if strings.Contains(strings.ReplaceAll(html, `xmlns="http://www.w3.org/2000/svg"`, ""), bad) {
			t.Errorf("the HTML holds %q: it must load nothing", bad)
		}
	}
	if strings.Count(html, "<svg") != 3 {
		t.Errorf("%d charts, want 3", strings.Count(html, "<svg"))
	}
	// Made on 25 November, the month's report counts what falls due
	// later in it as due, not missed, and the hearing of the 24th as held.
	titles := func(rows []report.DeadlineRow) (out []string) {
		for _, d := range rows {
			out = append(out, d.Title)
		}
		return out
	}
	if diff := cmp.Diff([]string{"Initial disclosures", "Reply to Umbrella"}, titles(r.DeadlinesMissed)); diff != "" {
		t.Errorf("missed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Rule 26(f) report"}, titles(r.DeadlinesDue)); diff != "" {
		t.Errorf("due (-want +got):\n%s", diff)
	}
	if len(r.HearingsHeld) != 3 || len(r.HearingsComing) != 0 {
		t.Errorf("%d hearings held, %d coming; want 3 and 0", len(r.HearingsHeld), len(r.HearingsComing))
	}
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	renderInChromium(t, path)
}

// TestPeriodEdges: what lies on a period's edges goes where its date
// says, whenever the report is made: a deadline due on the month's last
// day (its instant is midnight after it), the stage a case stood in when
// the month ended, a document changed again since, a team without a name.
func TestPeriodEdges(t *testing.T) {
	fx := newFixture(t)
	f, actx := fx.firm, fx.as(fx.alice)
	page, err := f.Cases.List(actx, docket.CaseFilter{}, nil)
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("cases: %v", err)
	}
	a, g := page.Items[0], page.Items[1]
	for _, due := range []string{"2026-10-31", "2026-11-30", "2026-12-01"} {
		if _, err := f.Calendar.AddDeadline(actx, calendar.Deadline{Case: a.ID, Title: "Due " + due, Citation: "Order", Court: "nysd", Due: cases.MustDate(due)}); err != nil {
			t.Fatal(err)
		}
	}
	fx.at(30, 12, 0)
	done, err := f.Calendar.AddDeadline(actx, calendar.Deadline{Case: a.ID, Title: "Met on the last day", Citation: "Order", Court: "nysd", Due: cases.MustDate("2026-11-30")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Calendar.ResolveDeadline(actx, done.ID, done.Version, calendar.Done, "filed"); err != nil {
		t.Fatal(err)
	}
	fx.now = time.Date(2026, 12, 1, 10, 0, 0, 0, fx.ny)
	if _, err := f.Cases.Exit(actx, g.ID, g.Version, "settled", "settled on 1 December"); err != nil {
		t.Fatal(err)
	}
	fx.now = time.Date(2027, 1, 10, 10, 0, 0, 0, fx.ny)
	docs, err := f.Documents.List(actx, docket.DocumentFilter{Case: a.ID, Kind: document.Pleading}, nil)
	if err != nil || len(docs.Items) != 1 {
		t.Fatalf("the complaint: %v", err)
	}
	if _, err := f.Documents.AddVersion(actx, docs.Items[0].ID, docs.Items[0].Current, docket.Content{Body: strings.NewReader("COMPLAINT, amended"), MediaType: "text/plain"}); err != nil {
		t.Fatal(err)
	}
	fx.now = time.Date(2027, 1, 15, 9, 0, 0, 0, fx.ny)

	november := report.Calendar{Location: fx.ny}.MonthOf(time.Date(2026, 11, 15, 12, 0, 0, 0, fx.ny))
	r, err := report.Build(actx, f, november, report.Scope{}, fx.now)
	if err != nil {
		t.Fatal(err)
	}
	titles := func(rows []report.DeadlineRow) (out []string) {
		for _, d := range rows {
			out = append(out, d.Title)
		}
		return out
	}
	if diff := cmp.Diff([]string{"Serve the summons", "Met on the last day"}, titles(r.DeadlinesMet)); diff != "" {
		t.Errorf("met (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Initial disclosures", "Reply to Umbrella", "Rule 26(f) report", "Due 2026-11-30"}, titles(r.DeadlinesMissed)); diff != "" {
		t.Errorf("missed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]report.StageCount{{Type: "federal-civil", Stage: "pleadings", Cases: 2}}, r.OpenCases); diff != "" {
		t.Errorf("open at the end of November (-want +got):\n%s", diff)
	}
	var created []string
	for _, d := range r.DocumentsCreated {
		created = append(created, d.Title)
	}
	if diff := cmp.Diff([]string{"Civil cover sheet", "Complaint", "Umbrella demand letter"}, created); diff != "" {
		t.Errorf("created in November, whatever came after (-want +got):\n%s", diff)
	}
	if r.Scope.Name != "Firm" {
		t.Errorf("scope %q", r.Scope.Name)
	}
	december, err := report.Build(actx, f, november.Next(), report.Scope{Users: []access.UserID{fx.paul.ID}}, fx.now)
	if err != nil {
		t.Fatal(err)
	}
	if december.Scope.Name != "Team" || len(december.Closed) != 1 || !cmp.Equal(december.OpenCases, []report.StageCount{{Type: "federal-civil", Stage: "pleadings", Cases: 1}}) {
		t.Errorf("Paul's December without a name: %q, %d closed, %+v open", december.Scope.Name, len(december.Closed), december.OpenCases)
	}
	if got := titles(december.DeadlinesMissed); !slices.Contains(got, "Due 2026-12-01") || slices.Contains(got, "Due 2026-11-30") {
		t.Errorf("December's missed: %q", got)
	}
}

// TestDoubledMidnight: where the clocks went back an hour at midnight,
// midnight comes twice, and the day begins at the first.
func TestDoubledMidnight(t *testing.T) {
	for _, tc := range []struct {
		zone string
		day  time.Time
	}{
		{"Asia/Jerusalem", time.Date(2001, 9, 24, 12, 0, 0, 0, time.UTC)},
		{"Asia/Gaza", time.Date(2004, 10, 1, 12, 0, 0, 0, time.UTC)},
		{"America/Sao_Paulo", time.Date(2018, 11, 4, 12, 0, 0, 0, time.UTC)},
		{"America/Havana", time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)},
	} {
		loc := zone(t, tc.zone)
		for _, span := range []report.Span{report.Week, report.Month} {
			for _, c := range []report.Calendar{{Location: loc}, {Location: loc, SundayFirst: true}} {
				p := c.WeekOf(tc.day)
				if span == report.Month {
					p = c.MonthOf(tc.day)
				}
				for _, b := range []time.Time{p.Start, p.End} {
					if b.Add(-time.Second).In(loc).Day() == b.In(loc).Day() {
						t.Errorf("%s %s: %s is not the first instant of its day", tc.zone, p, b.In(loc))
					}
				}
			}
		}
	}
}

// TestEscaping: what users typed cannot become Markdown, a spreadsheet
// formula or HTML.
func TestEscaping(t *testing.T) {
	fx := newFixture(t)
	actx := fx.as(fx.alice)
	client, err := fx.firm.Contacts.Create(actx, cases.Contact{Kind: cases.Person, Name: "Mallory"})
	if err != nil {
		t.Fatal(err)
	}
	fx.at(27, 9, 0)
	hostile := `=HYPERLINK("http://x") | **bold** [a](http://evil) <img src=x onerror=alert(1)>`
	if _, err := fx.firm.Cases.Open(actx, cases.Draft{Type: "federal-civil", Title: hostile, Client: client.ID, LeadAttorney: string(fx.alice.ID), CaseManager: string(fx.paul.ID)}); err != nil {
		t.Fatal(err)
	}
	fx.at(30, 9, 0)
	r, err := report.Build(actx, fx.firm, report.Calendar{Location: fx.ny}.WeekOf(fx.now.AddDate(0, 0, -3)), report.Firm, fx.now)
	if err != nil {
		t.Fatal(err)
	}
	var md, html bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteHTML(&html); err != nil {
		t.Fatal(err)
	}
	files, err := r.CSVFiles()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), `=HYPERLINK("http://x") \| \*\*bold\*\* \[a\](http://evil) \<img src=x onerror=alert(1)\>`) {
		t.Errorf("Markdown:\n%s", md.String())
	}
	if !strings.Contains(string(files["cases-opened.csv"]), `'=HYPERLINK`) {
		t.Errorf("CSV:\n%s", files["cases-opened.csv"])
	}
	if strings.Contains(html.String(), "<img") || !strings.Contains(html.String(), "&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("the HTML does not escape a title")
	}
	path := filepath.Join(t.TempDir(), "hostile.html")
	if err := os.WriteFile(path, html.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	renderInChromium(t, path)
}
