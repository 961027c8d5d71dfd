package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
)

// Scope is whose work a report covers: the whole firm, or the cases of
// a team or one person (a case is theirs when one of them is its lead
// attorney or case manager).
type Scope struct {
	// Name says whose report it is: "Firm", "Litigation team",
	// "Paul Chen".
	Name string
	// Users are the team; none means the whole firm.
	Users []access.UserID
}

// Firm is the scope of the whole firm.
var Firm = Scope{Name: "Firm"}

func (s Scope) covers(c *cases.Case) bool {
	if len(s.Users) == 0 {
		return true
	}
	return slices.Contains(s.Users, access.UserID(c.LeadAttorney)) || slices.Contains(s.Users, access.UserID(c.CaseManager))
}

// Report is one period's report, holding only what its reader may read:
// a case the reader may not see (walled, restricted) is absent from every
// table, count and total, not blanked.
type Report struct {
	Period Period
	// Next is the period after, for what is coming.
	Next      Period
	Scope     Scope
	Reader    string
	Generated time.Time

	// OpenCases counts the cases open at the end of the period by type
	// and the stage they stood in then.
	OpenCases []StageCount
	// Opened and Closed are the cases opened and closed in the period.
	Opened, Closed []CaseRow
	// StageChanges are the moves between stages in the period.
	StageChanges []StageRow
	// DeadlinesMet and DeadlinesMissed are the deadlines that fell due in
	// the period, done by then or not; DeadlinesDue those still open that
	// fall due before the end of the next period. For a period not yet
	// over, what falls due after the report is made is due, not missed.
	DeadlinesMet, DeadlinesMissed, DeadlinesDue []DeadlineRow
	// HearingsHeld are the court events of the period that were not
	// vacated; HearingsComing those from the end of the period (or from
	// when the report is made, if sooner) to the end of the next.
	HearingsHeld, HearingsComing []EventRow
	// Correspondence counts the period's messages by channel and
	// direction.
	Correspondence []ChannelCount
	// DocumentsCreated and DocumentsRevised are the documents created in
	// the period and those given new versions in it.
	DocumentsCreated, DocumentsRevised []DocumentRow
	// ConflictChecks are the conflict checks run in the period, and
	// Decisions counts them by decision.
	ConflictChecks []CheckRow
	Decisions      []DecisionCount
	// People breaks the work down per case manager and per attorney.
	People []PersonRow
	// Omitted names the parts the reader's roles do not let them read
	// (a legal secretary reads no conflict checks): they are left out,
	// and the report says so.
	Omitted []string
}

// CheckRow is a conflict check run in the period.
type CheckRow struct {
	Ran time.Time
	// Subjects are the names of the clients it was run for; Reference
	// the case it opened, if one was opened with it.
	Subjects, Reference string
	Hits                int
	Decision, DecidedBy string
}

// DecisionCount counts the period's checks with one decision.
type DecisionCount struct {
	Decision string
	Checks   int
}

// StageCount is how many open cases of a type are in a stage.
type StageCount struct {
	Type, Stage string
	Cases       int
}

// CaseRow is a case in a report.
type CaseRow struct {
	Reference, Title, Type, Stage, Status string
	// On is the day it was opened (in Opened) or closed (in Closed).
	On                        cases.Date
	LeadAttorney, CaseManager string
}

// StageRow is a move of a case between stages.
type StageRow struct {
	Reference, From, To string
	At                  time.Time
	By, Reason          string
}

// DeadlineRow is a deadline in a report.
type DeadlineRow struct {
	Reference, Title, Citation string
	Due                        calendar.Date
	DueAt                      time.Time
	Status                     string
	// ResolvedAt is when it was marked done, if it was.
	ResolvedAt time.Time
}

// EventRow is a hearing or other court event.
type EventRow struct {
	Reference, Kind, Title, Court string
	Start                         time.Time
	Status                        string
}

// ChannelCount counts a channel's messages by direction.
type ChannelCount struct {
	Channel                     string
	Inbound, Outbound, Internal int
}

// DocumentRow is a document created or revised in the period.
type DocumentRow struct {
	Reference, Title, Kind string
	// Versions counts the versions added in the period.
	Versions int
}

// PersonRow is one person's share of the work in the period.
type PersonRow struct {
	Name string
	// Role is "case manager" or "attorney" (the lead attorney of cases).
	Role                                              string
	OpenCases, Opened, Closed                         int
	DeadlinesMet, DeadlinesMissed, DeadlinesDue       int
	HearingsHeld, HearingsComing, Messages, Documents int
}

// Build gathers the report of period for scope through firm's public API,
// as the actor in ctx: everything it holds is what that reader may read.
func Build(ctx context.Context, firm *docket.Firm, period Period, scope Scope, now time.Time) (*Report, error) {
	actor, ok := access.ActorFrom(ctx)
	if !ok {
		return nil, docket.ErrUnauthenticated
	}
	if scope.Name == "" {
		scope.Name = Firm.Name
		if len(scope.Users) > 0 {
			scope.Name = "Team"
		}
	}
	r := &Report{Period: period, Next: period.Next(), Scope: scope, Generated: now}
	b := &builder{ctx: ctx, firm: firm, r: r, names: map[string]string{}, people: map[personKey]*PersonRow{}}
	r.Reader = b.name(string(actor.ID))
	if err := b.cases(); err != nil {
		return nil, fmt.Errorf("report: cases: %w", err)
	}
	for _, step := range []struct {
		what string
		fn   func() error
	}{{"stage history", b.stages}, {"deadlines", b.deadlines}, {"hearings", b.hearings}, {"correspondence", b.correspondence},
		{"documents", b.documents}, {"conflict checks", b.checks}} {
		err := step.fn()
		if errors.Is(err, docket.ErrForbidden) {
			// The reader's roles do not reach this part at all.
			r.Omitted = append(r.Omitted, step.what)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("report: %s: %w", step.what, err)
		}
	}
	b.finish()
	return r, nil
}

type personKey struct{ user, role string }

type builder struct {
	ctx    context.Context
	firm   *docket.Firm
	r      *Report
	inRef  map[cases.ID]*cases.Case // the cases in scope the reader sees
	names  map[string]string
	people map[personKey]*PersonRow
}

// name returns a user's name, or their ID where the reader may not read
// users.
func (b *builder) name(id string) string {
	if id == "" {
		return ""
	}
	if n, ok := b.names[id]; ok {
		return n
	}
	n := id
	if u, err := b.firm.Users.Get(b.ctx, access.UserID(id)); err == nil {
		n = u.Name
	}
	b.names[id] = n
	return n
}

// credit adds to the rows of a case's case manager and lead attorney.
func (b *builder) credit(c *cases.Case, add func(p *PersonRow)) {
	for _, k := range []personKey{{c.CaseManager, "case manager"}, {c.LeadAttorney, "attorney"}} {
		if k.user == "" {
			continue
		}
		p := b.people[k]
		if p == nil {
			p = &PersonRow{Name: b.name(k.user), Role: k.role}
			b.people[k] = p
		}
		add(p)
	}
}

// each pages through a list.
func each[T any](list func(opts *docket.ListOptions) (docket.Page[T], error), fn func(T)) error {
	opts := &docket.ListOptions{Limit: 1000}
	for {
		p, err := list(opts)
		if err != nil {
			return err
		}
		for _, x := range p.Items {
			fn(x)
		}
		if p.Next == "" {
			return nil
		}
		opts.After = p.Next
	}
}

func (b *builder) cases() error {
	r, p := b.r, b.r.Period
	b.inRef = map[cases.ID]*cases.Case{}
	err := each(func(o *docket.ListOptions) (docket.Page[cases.Case], error) {
		return b.firm.Cases.List(b.ctx, docket.CaseFilter{}, o)
	}, func(c cases.Case) {
		if !r.Scope.covers(&c) {
			return
		}
		b.inRef[c.ID] = &c
		row := CaseRow{Reference: c.Reference, Title: c.Title, Type: c.Type, Stage: c.Stage, Status: string(c.Status),
			LeadAttorney: b.name(c.LeadAttorney), CaseManager: b.name(c.CaseManager)}
		openedBy := !c.OpenedOn.IsZero() && p.ContainsDate(c.OpenedOn)
		closedIn := c.Status == cases.Closed && !c.ClosedOn.IsZero() && p.ContainsDate(c.ClosedOn)
		if openedBy {
			row.On = c.OpenedOn
			r.Opened = append(r.Opened, row)
		}
		if closedIn {
			row.On = c.ClosedOn
			r.Closed = append(r.Closed, row)
		}
		b.credit(&c, func(pr *PersonRow) {
			if openedBy {
				pr.Opened++
			}
			if closedIn {
				pr.Closed++
			}
		})
	})
	sortCases := func(rows []CaseRow) {
		slices.SortFunc(rows, func(a, b CaseRow) int {
			return cmp.Or(cmp.Compare(a.On.String(), b.On.String()), cmp.Compare(a.Reference, b.Reference))
		})
	}
	sortCases(r.Opened)
	sortCases(r.Closed)
	return err
}

func (b *builder) sortedCases() []*cases.Case {
	out := make([]*cases.Case, 0, len(b.inRef))
	for _, c := range b.inRef {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *cases.Case) int { return cmp.Compare(a.Reference, b.Reference) })
	return out
}

// stages reads the stage changes since the period began, across the
// cases, in one listing: the moves in the period, and, for each open
// case, the stage it stood in when the period ended (the stage a later
// change left, else its stage now).
func (b *builder) stages() error {
	r, p := b.r, b.r.Period
	atEnd := map[cases.ID]string{}
	err := each(func(o *docket.ListOptions) (docket.Page[cases.StageChange], error) {
		return b.firm.Cases.StageChanges(b.ctx, docket.StageFilter{From: p.Start}, o)
	}, func(h cases.StageChange) {
		c, ok := b.inRef[h.Case]
		if !ok {
			return
		}
		if !h.At.Before(p.End) {
			if _, seen := atEnd[h.Case]; !seen {
				atEnd[h.Case] = h.From // the first change after the end left it
			}
			return
		}
		if h.From != "" {
			r.StageChanges = append(r.StageChanges, StageRow{Reference: c.Reference, From: h.From, To: h.To, At: h.At, By: b.name(h.By), Reason: h.Reason})
		}
	})
	if err != nil {
		return err
	}
	open := map[[2]string]int{}
	for _, c := range b.sortedCases() {
		// Open when the period ended: opened by then, not closed by then.
		closedBy := c.Status == cases.Closed && !c.ClosedOn.IsZero() && !c.ClosedOn.After(p.Last())
		if c.OpenedOn.IsZero() || c.OpenedOn.After(p.Last()) || closedBy {
			continue
		}
		stage, later := atEnd[c.ID]
		if !later || stage == "" {
			stage = c.Stage
		}
		open[[2]string{c.Type, stage}]++
		b.credit(c, func(pr *PersonRow) { pr.OpenCases++ })
	}
	for k, n := range open {
		r.OpenCases = append(r.OpenCases, StageCount{Type: k[0], Stage: k[1], Cases: n})
	}
	slices.SortFunc(r.OpenCases, func(a, b StageCount) int { return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Stage, b.Stage)) })
	slices.SortFunc(r.StageChanges, func(a, b StageRow) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Reference, b.Reference)) })
	return nil
}

func (b *builder) deadlines() error {
	r := b.r
	err := each(func(o *docket.ListOptions) (docket.Page[calendar.Deadline], error) {
		// A deadline's instant is its court's cutoff on its day, midnight
		// at the end of it by default: a day more on each side catches
		// every deadline whose day is in the periods.
		return b.firm.Calendar.Deadlines(b.ctx, docket.DeadlineFilter{DueFrom: r.Period.Start.Add(-36 * time.Hour), DueBefore: r.Next.End.Add(36 * time.Hour)}, o)
	}, func(d calendar.Deadline) {
		c, ok := b.inRef[d.Case]
		if !ok || d.Status == calendar.VacatedDeadline {
			return
		}
		row := DeadlineRow{Reference: c.Reference, Title: d.Title, Citation: d.Citation, Due: d.Due, DueAt: d.DueAt, Status: string(d.Status), ResolvedAt: d.ResolvedAt}
		// A deadline belongs to the period its day (the court's date)
		// falls in; it is missed once its instant has passed undone.
		inPeriod := r.Period.ContainsDate(d.Due)
		passed := !d.DueAt.After(b.cutoff())
		switch {
		case inPeriod && d.Status == calendar.Done && !d.ResolvedAt.After(d.DueAt):
			r.DeadlinesMet = append(r.DeadlinesMet, row)
			b.credit(c, func(p *PersonRow) { p.DeadlinesMet++ })
		case inPeriod && passed:
			r.DeadlinesMissed = append(r.DeadlinesMissed, row)
			b.credit(c, func(p *PersonRow) { p.DeadlinesMissed++ })
		case !passed && !d.Due.After(r.Next.Last()) && !d.Due.Before(r.Period.First()) && d.Status == calendar.Open:
			r.DeadlinesDue = append(r.DeadlinesDue, row)
			b.credit(c, func(p *PersonRow) { p.DeadlinesDue++ })
		}
	})
	for _, rows := range [][]DeadlineRow{r.DeadlinesMet, r.DeadlinesMissed, r.DeadlinesDue} {
		slices.SortFunc(rows, func(a, b DeadlineRow) int {
			return cmp.Or(a.DueAt.Compare(b.DueAt), cmp.Compare(a.Reference, b.Reference), cmp.Compare(a.Title, b.Title))
		})
	}
	return err
}

// cutoff is where the report's past ends and what is coming begins: the
// end of the period or, for a period not yet over, the time the report
// is made.
func (b *builder) cutoff() time.Time {
	if b.r.Generated.Before(b.r.Period.End) {
		return b.r.Generated
	}
	return b.r.Period.End
}

// notHearings are the event kinds that are no court hearing.
var notHearings = []calendar.EventKind{calendar.ClientMeeting, calendar.OtherEvent, calendar.Deposition, calendar.Mediation}

func (b *builder) hearings() error {
	r := b.r
	err := each(func(o *docket.ListOptions) (docket.Page[calendar.Event], error) {
		return b.firm.Calendar.Events(b.ctx, docket.EventFilter{From: r.Period.Start, Until: r.Next.End, Busy: true}, o)
	}, func(e calendar.Event) {
		c, ok := b.inRef[e.Case]
		if !ok || slices.Contains(notHearings, e.Kind) {
			return
		}
		row := EventRow{Reference: c.Reference, Kind: string(e.Kind), Title: e.Title, Court: e.Court, Start: e.Start, Status: string(e.Status)}
		cut := b.cutoff()
		switch {
		case r.Period.Contains(e.Start) && e.Start.Before(cut):
			r.HearingsHeld = append(r.HearingsHeld, row)
			b.credit(c, func(p *PersonRow) { p.HearingsHeld++ })
		case !e.Start.Before(cut) && e.Start.Before(r.Next.End):
			r.HearingsComing = append(r.HearingsComing, row)
			b.credit(c, func(p *PersonRow) { p.HearingsComing++ })
		}
	})
	for _, rows := range [][]EventRow{r.HearingsHeld, r.HearingsComing} {
		slices.SortFunc(rows, func(a, b EventRow) int {
			return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Reference, b.Reference))
		})
	}
	return err
}

func (b *builder) correspondence() error {
	r := b.r
	counts := map[string]*ChannelCount{}
	err := each(func(o *docket.ListOptions) (docket.Page[correspondence.Message], error) {
		return b.firm.Correspondence.List(b.ctx, docket.MessageFilter{From: r.Period.Start, Until: r.Period.End, Filed: true}, o)
	}, func(m correspondence.Message) {
		c, ok := b.inRef[m.Case]
		if !ok {
			return
		}
		cc := counts[string(m.Channel)]
		if cc == nil {
			cc = &ChannelCount{Channel: string(m.Channel)}
			counts[string(m.Channel)] = cc
		}
		switch m.Direction {
		case correspondence.Inbound:
			cc.Inbound++
		case correspondence.Outbound:
			cc.Outbound++
		default:
			cc.Internal++
		}
		b.credit(c, func(p *PersonRow) { p.Messages++ })
	})
	for _, ch := range correspondence.Channels {
		if cc := counts[string(ch)]; cc != nil {
			r.Correspondence = append(r.Correspondence, *cc)
		}
	}
	return err
}

func (b *builder) documents() error {
	r := b.r
	var changed []document.Document
	err := each(func(o *docket.ListOptions) (docket.Page[document.Document], error) {
		// A document last changed after the period may have been created
		// or revised in it: only those untouched since it began are out.
		return b.firm.Documents.List(b.ctx, docket.DocumentFilter{UpdatedFrom: r.Period.Start, Deleted: docket.AnyDeleted}, o)
	}, func(d document.Document) {
		if _, ok := b.inRef[d.Case]; ok {
			changed = append(changed, d)
		}
	})
	if err != nil {
		return err
	}
	for _, d := range changed {
		c := b.inRef[d.Case]
		added := 0
		err := each(func(o *docket.ListOptions) (docket.Page[document.Version], error) {
			return b.firm.Documents.Versions(b.ctx, d.ID, o)
		}, func(v document.Version) {
			if r.Period.Contains(v.Created) {
				added++
			}
		})
		if errors.Is(err, docket.ErrForbidden) {
			continue
		}
		if err != nil {
			return err
		}
		row := DocumentRow{Reference: c.Reference, Title: d.Title, Kind: string(d.Kind), Versions: added}
		switch {
		case r.Period.Contains(d.Created):
			r.DocumentsCreated = append(r.DocumentsCreated, row)
		case added > 0:
			r.DocumentsRevised = append(r.DocumentsRevised, row)
		default:
			continue
		}
		b.credit(c, func(p *PersonRow) { p.Documents++ })
	}
	for _, rows := range [][]DocumentRow{r.DocumentsCreated, r.DocumentsRevised} {
		slices.SortFunc(rows, func(a, b DocumentRow) int {
			return cmp.Or(cmp.Compare(a.Reference, b.Reference), cmp.Compare(a.Title, b.Title))
		})
	}
	return nil
}

func (b *builder) checks() error {
	r := b.r
	counts := map[cases.Decision]int{}
	err := each(func(o *docket.ListOptions) (docket.Page[cases.ConflictCheck], error) {
		return b.firm.Conflicts.List(b.ctx, docket.CheckFilter{From: r.Period.Start, Until: r.Period.End}, o)
	}, func(c cases.ConflictCheck) {
		kase, onCase := b.inRef[c.Case]
		if len(r.Scope.Users) > 0 && !onCase && !slices.Contains(r.Scope.Users, access.UserID(c.RanBy)) {
			return
		}
		// The names of the check's own clients; adverse names stay in
		// the check itself, for those who open it.
		var names []string
		for _, s := range c.Subjects {
			if s.Role == cases.SubjectClient {
				names = append(names, s.Name)
			}
		}
		row := CheckRow{Ran: c.RanAt, Subjects: strings.Join(names, "; "), Hits: len(c.Hits), Decision: string(c.Decision), DecidedBy: b.name(c.DecidedBy)}
		if onCase {
			row.Reference = kase.Reference
		}
		r.ConflictChecks = append(r.ConflictChecks, row)
		counts[c.Decision]++
	})
	for _, d := range []cases.Decision{cases.Cleared, cases.Waived, cases.Declined, cases.Pending} {
		if counts[d] > 0 {
			r.Decisions = append(r.Decisions, DecisionCount{Decision: string(d), Checks: counts[d]})
		}
	}
	slices.SortFunc(r.ConflictChecks, func(a, b CheckRow) int { return cmp.Or(a.Ran.Compare(b.Ran), cmp.Compare(a.Subjects, b.Subjects)) })
	return err
}

// finish orders the per-person rows: case managers, then attorneys, by
// name.
func (b *builder) finish() {
	for _, p := range b.people {
		if *p != (PersonRow{Name: p.Name, Role: p.Role}) {
			b.r.People = append(b.r.People, *p)
		}
	}
	slices.SortFunc(b.r.People, func(a, b PersonRow) int { return cmp.Or(cmp.Compare(a.Role, b.Role), cmp.Compare(a.Name, b.Name)) })
}
