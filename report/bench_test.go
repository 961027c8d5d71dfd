package report_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/report"
	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/sqlite"
	"github.com/docketkit/docket/storage/storagetest"
)

// seedFirm fills s, through the stores' own transactions (ten thousand
// records each, as an import would), with a firm of nCases cases of 50
// staff and 5,000 clients over the thirteen months to December 2026: their stage
// histories, nEvents hearings and other events, three deadlines and a
// message per case, a document of two versions and a conflict check per
// five cases. It returns the firm and its partner's context.
func seedFirm(b *testing.B, s storage.Store, nCases, nEvents int) (*docket.Firm, context.Context) {
	ctx := context.Background()
	ny, _ := time.LoadLocation("America/New_York")
	f, actx, admin := storagetest.NewFirm(b, s, &docket.Options{Location: ny})
	r := rand.New(rand.NewPCG(11, 13))
	var staff []string
	for i := range 50 {
		role := access.CaseManager
		if i%2 == 1 {
			role = access.Attorney
		}
		u, err := f.Users.Create(actx, access.User{Name: fmt.Sprintf("Staff %02d", i), Email: fmt.Sprintf("s%02d@firm.test", i), Roles: []access.Role{role}})
		if err != nil {
			b.Fatal(err)
		}
		staff = append(staff, string(u.ID))
	}
	start := time.Date(2025, 12, 1, 0, 0, 0, 0, ny)
	year := time.Date(2027, 1, 1, 0, 0, 0, 0, ny).Sub(start)
	at := func() time.Time { return start.Add(time.Duration(r.Int64N(int64(year)))).UTC().Truncate(time.Second) }
	batch := func(n int, fn func(tx storage.Tx, i int) error) {
		for lo := 0; lo < n; lo += 10000 {
			err := s.Update(ctx, func(tx storage.Tx) error {
				for i := lo; i < min(n, lo+10000); i++ {
					if err := fn(tx, i); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	batch(5000, func(tx storage.Tx, i int) error {
		return tx.Contacts().Create(ctx, cases.Contact{ID: cases.ContactID(fmt.Sprintf("k%05d", i)), Kind: cases.Person, Name: fmt.Sprintf("Client %05d", i),
			Version: 1, Created: now, Updated: now})
	})
	stages := []string{"pleadings", "case-management", "discovery", "dispositive-motions", "pretrial", "trial"}
	ids := make([]cases.ID, nCases)
	batch(nCases, func(tx storage.Tx, i int) error {
		opened := at()
		c := cases.Case{ID: cases.ID(fmt.Sprintf("c%06d", i)), Reference: fmt.Sprintf("2026-CV-%06d", i), Title: fmt.Sprintf("Client %d v. Globex", i),
			Type: "federal-civil", Client: cases.ContactID(fmt.Sprintf("k%05d", r.IntN(5000))), Status: cases.Open, Stage: stages[r.IntN(len(stages))],
			OpenedOn: cases.DateOf(opened.In(ny)), LeadAttorney: staff[1+2*r.IntN(25)], CaseManager: staff[2*r.IntN(25)], Version: 1, Created: opened, Updated: opened}
		if r.IntN(10) == 0 {
			c.Status, c.Stage, c.ClosedOn = cases.Closed, "closed", cases.DateOf(opened.Add(time.Duration(r.IntN(60))*24*time.Hour).In(ny))
		}
		ids[i] = c.ID
		if err := tx.Cases().Create(ctx, c); err != nil {
			return err
		}
		if err := tx.Stages().Append(ctx, cases.StageChange{Case: c.ID, Seq: 1, To: "intake", Reason: "opened", By: c.CaseManager, At: opened}); err != nil {
			return err
		}
		return tx.Stages().Append(ctx, cases.StageChange{Case: c.ID, Seq: 2, From: "intake", To: c.Stage, Reason: "moved on", By: c.LeadAttorney, At: opened.Add(time.Duration(r.IntN(90)) * 24 * time.Hour)})
	})
	kinds := []calendar.EventKind{calendar.StatusConference, calendar.MotionHearing, calendar.Deposition, calendar.Trial, calendar.ClientMeeting}
	batch(nEvents, func(tx storage.Tx, i int) error {
		st := at()
		return tx.Events().Create(ctx, calendar.Event{ID: calendar.EventID(fmt.Sprintf("e%07d", i)), Case: ids[r.IntN(nCases)], Kind: kinds[r.IntN(len(kinds))],
			Title: "Hearing", Start: st, End: st.Add(time.Hour), TimeZone: "America/New_York", Court: "nysd", Status: calendar.Scheduled,
			Version: 1, Created: st, Updated: st})
	})
	batch(3*nCases, func(tx storage.Tx, i int) error {
		due := at()
		d := calendar.Deadline{ID: calendar.DeadlineID(fmt.Sprintf("d%07d", i)), Case: ids[i%nCases], Title: "Respond", Citation: "Scheduling order",
			Court: "nysd", Due: cases.DateOf(due.In(ny)), DueAt: due, Status: calendar.Open, Version: 1, Created: due, Updated: due}
		if r.IntN(3) > 0 {
			d.Status, d.ResolvedBy, d.ResolvedAt = calendar.Done, staff[0], due.Add(-time.Duration(r.IntN(72))*time.Hour)
		}
		return tx.Deadlines().Create(ctx, d)
	})
	batch(nCases, func(tx storage.Tx, i int) error {
		when := at()
		return tx.Messages().Create(ctx, correspondence.Message{ID: correspondence.ID(fmt.Sprintf("m%06d", i)), Channel: correspondence.Channels[r.IntN(4)],
			Direction: correspondence.Inbound, At: when, Subject: "Update", Text: "An update on the case.", Case: ids[i],
			Participants: []correspondence.Participant{{Role: correspondence.From, Name: "Client"}}, Thread: fmt.Sprintf("m%06d", i),
			RecordedBy: staff[0], Filed: when, FiledBy: staff[0], Version: 1, Created: when, Updated: when})
	})
	var blob storage.Blob
	if err := s.Update(ctx, func(tx storage.Tx) (err error) {
		blob, err = tx.Blobs().Write(ctx, strings.NewReader("A pleading."))
		return err
	}); err != nil {
		b.Fatal(err)
	}
	batch(nCases/5, func(tx storage.Tx, i int) error {
		created := at()
		d := document.Document{ID: document.ID(fmt.Sprintf("doc%06d", i)), Case: ids[r.IntN(nCases)], Title: "Motion", Kind: document.Motion,
			Status: document.Draft, Author: staff[0], Current: 2, Version: 1, Created: created, Updated: created.Add(time.Duration(r.IntN(30*24)) * time.Hour)}
		if err := tx.Documents().Create(ctx, d); err != nil {
			return err
		}
		for n, when := range []time.Time{created, d.Updated} {
			v := document.Version{Document: d.ID, Number: n + 1, BasedOn: n, Hash: blob.Hash, Size: blob.Size, MediaType: "text/plain", Author: staff[0], Created: when}
			if err := tx.Versions().Create(ctx, v); err != nil {
				return err
			}
		}
		return nil
	})
	batch(nCases/5, func(tx storage.Tx, i int) error {
		ran := at()
		client := cases.ContactID(fmt.Sprintf("k%05d", r.IntN(5000)))
		return tx.Checks().Create(ctx, cases.ConflictCheck{ID: cases.CheckID(fmt.Sprintf("chk%06d", i)), Clients: []cases.ContactID{client},
			Subjects: []cases.Subject{{Name: "Client", Kind: cases.Person, Role: cases.SubjectClient, Contact: client}}, Decision: cases.Cleared,
			RanBy: staff[0], RanAt: ran, DecidedBy: staff[1], DecidedAt: ran, Version: 1, Created: ran, Updated: ran})
	})
	_ = admin
	return f, actx
}

// queries makes the calls a monthly firm report makes, through the same
// public API, and nothing else: the bare work the report wraps.
func queries(ctx context.Context, f *docket.Firm, p report.Period) error {
	next := p.Next()
	opts := func() *docket.ListOptions { return &docket.ListOptions{Limit: 1000} }
	for o := opts(); ; {
		page, err := f.Cases.List(ctx, docket.CaseFilter{}, o)
		if err != nil {
			return err
		}
		if o.After = page.Next; o.After == "" {
			break
		}
	}
	for o := opts(); ; {
		page, err := f.Cases.StageChanges(ctx, docket.StageFilter{From: p.Start}, o)
		if err != nil {
			return err
		}
		if o.After = page.Next; o.After == "" {
			break
		}
	}
	for o := opts(); ; {
		page, err := f.Calendar.Deadlines(ctx, docket.DeadlineFilter{DueFrom: p.Start, DueBefore: next.End}, o)
		if err != nil {
			return err
		}
		if o.After = page.Next; o.After == "" {
			break
		}
	}
	for o := opts(); ; {
		page, err := f.Calendar.Events(ctx, docket.EventFilter{From: p.Start, Until: next.End, Busy: true}, o)
		if err != nil {
			return err
		}
		if o.After = page.Next; o.After == "" {
			break
		}
	}
	for o := opts(); ; {
		page, err := f.Correspondence.List(ctx, docket.MessageFilter{From: p.Start, Until: p.End, Filed: true}, o)
		if err != nil {
			return err
		}
		if o.After = page.Next; o.After == "" {
			break
		}
	}
	for o := opts(); ; {
		page, err := f.Documents.List(ctx, docket.DocumentFilter{UpdatedFrom: p.Start, UpdatedUntil: next.End, Deleted: storage.AnyDeleted}, o)
		if err != nil {
			return err
		}
		for _, d := range page.Items {
			if _, err := f.Documents.Versions(ctx, d.ID, nil); err != nil {
				return err
			}
		}
		if o.After = page.Next; o.After == "" {
			break
		}
	}
	for o := opts(); ; {
		page, err := f.Conflicts.List(ctx, docket.CheckFilter{From: p.Start, Until: p.End}, o)
		if err != nil {
			return err
		}
		if o.After = page.Next; o.After == "" {
			break
		}
	}
	return nil
}

// BenchmarkMonthlyReport: November 2026's firm report over 100,000 cases
// and 1,000,000 events in SQLite, against the queries it makes alone, in
// the same run.
//
//	go test ./report -run '^$' -bench MonthlyReport -benchtime 3x -timeout 1h
func BenchmarkMonthlyReport(b *testing.B) {
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "firm.db"), &sqlite.Options{Synchronous: "NORMAL"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	t0 := time.Now()
	nCases, nEvents := 100_000, 1_000_000
	if testing.Short() {
		nCases, nEvents = 10_000, 100_000
	}
	f, ctx := seedFirm(b, s, nCases, nEvents)
	b.Logf("seeded %d cases and %d events in %s", nCases, nEvents, time.Since(t0).Round(time.Second))
	ny, _ := time.LoadLocation("America/New_York")
	month := report.Calendar{Location: ny}.MonthOf(time.Date(2026, 11, 15, 12, 0, 0, 0, ny))
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	var reportTime, queryTime time.Duration
	var r *report.Report
	i := 0
	for b.Loop() {
		// Each goes first in turn, so that neither has the other's warm
		// cache to itself.
		steps := []func(){
			func() {
				t0 := time.Now()
				if err := queries(ctx, f, month); err != nil {
					b.Fatal(err)
				}
				queryTime += time.Since(t0)
			},
			func() {
				t0 := time.Now()
				if r, err = report.Build(ctx, f, month, report.Firm, now); err != nil {
					b.Fatal(err)
				}
				reportTime += time.Since(t0)
			},
		}
		steps[i%2]()
		steps[1-i%2]()
		i++
	}
	n := float64(b.N)
	b.ReportMetric(reportTime.Seconds()/n, "s/report")
	b.ReportMetric(queryTime.Seconds()/n, "s/queries")
	b.ReportMetric(reportTime.Seconds()/queryTime.Seconds(), "x-queries")
	b.ReportMetric(0, "ns/op")
	b.Logf("%d open by type and stage, %d opened, %d stage changes, %d met, %d missed, %d due, %d held, %d coming",
		len(r.OpenCases), len(r.Opened), len(r.StageChanges), len(r.DeadlinesMet), len(r.DeadlinesMissed), len(r.DeadlinesDue), len(r.HearingsHeld), len(r.HearingsComing))
}
