package docket

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// ConflictService runs conflict-of-interest checks against every contact
// and party the firm knows, and records the decision taken on each.
type ConflictService struct{ f *Firm }

func checkRes(id cases.CheckID) access.Resource {
	return access.Resource{Kind: storage.KindCheck, ID: string(id)}
}

// Run checks an intake's prospective client and adverse parties, records
// the check (pending a decision) on the intake, and returns it with its
// hits, strongest first. The firm's contacts, cases and intakes are read
// from one consistent snapshot, outside the write, so a large firm's search
// does not hold up other writers; if the intake changes meanwhile, Run
// fails with storage.ErrConflict and can be run again.
func (s *ConflictService) Run(ctx context.Context, intake cases.IntakeID) (cases.ConflictCheck, error) {
	f := s.f
	var (
		in       cases.Intake
		subjects []cases.Subject
		known    []cases.Known
	)
	res := intakeRes(intake)
	err := f.run(ctx, access.ConflictRun, &res, false, func(o *op, tx storage.Tx) error {
		var err error
		if in, err = o.intakeFor(ctx, tx, access.ConflictRun, &res, intake); err != nil {
			return err
		}
		if in.Status != cases.IntakeOpen {
			return &cases.FieldError{Record: "intake", Field: "Status", Problem: fmt.Sprintf("is %s: a conflict check runs on an open intake", in.Status)}
		}
		prospect, err := tx.Contacts().Get(ctx, in.Prospect)
		if err != nil {
			return err
		}
		subjects = []cases.Subject{{Name: prospect.Name, Aliases: prospect.Aliases, Kind: prospect.Kind, Role: cases.SubjectClient, Contact: prospect.ID}}
		for _, a := range in.Adverse {
			subjects = append(subjects, cases.Subject{Name: a.Name, Aliases: a.Aliases, Kind: a.Kind, Role: cases.SubjectAdverse, Contact: a.Contact})
		}
		known, err = loadKnown(ctx, tx, intake)
		return err
	})
	if err != nil {
		return cases.ConflictCheck{}, err
	}
	var chk cases.ConflictCheck
	err = f.run(ctx, access.ConflictRun, &res, true, func(o *op, tx storage.Tx) error {
		cur, err := o.intakeFor(ctx, tx, access.ConflictRun, &res, intake)
		if err != nil {
			return err
		}
		if err := checkVersion("intake", cur.Version, in.Version); err != nil {
			return err
		}
		chk = f.newCheck(o, intake, subjects, known)
		chk.Clients = []cases.ContactID{cur.Prospect}
		if err := f.recordCheck(ctx, tx, o, chk); err != nil {
			return err
		}
		before := cur
		cur.ConflictCheck, cur.Version, cur.Updated = chk.ID, cur.Version+1, o.at
		if err := tx.Intakes().Update(ctx, cur); err != nil {
			return stale("intake", err)
		}
		if err := o.record(ctx, tx, "intake.update", intakeRes(cur.ID), "conflict check run", auditDiff(before, cur)); err != nil {
			return err
		}
		return o.redact(ctx, tx, &chk)
	})
	if err != nil {
		return cases.ConflictCheck{}, err
	}
	return chk, nil
}

// Check runs a conflict check on names that have no intake (a lateral
// hire's former clients, a new party joining a case) and records it. A
// check with a client subject naming a contact can later be attached to
// that client's case.
func (s *ConflictService) Check(ctx context.Context, subjects []cases.Subject) (cases.ConflictCheck, error) {
	f := s.f
	var known []cases.Known
	err := f.do(ctx, access.ConflictRun, checkRes(""), false, func(o *op, tx storage.Tx) (err error) {
		if len(subjects) == 0 {
			return &cases.FieldError{Record: "conflict check", Field: "Subjects", Problem: "name at least one person or organisation to check"}
		}
		for i, sub := range subjects {
			if err := validateSubject(i, sub); err != nil {
				return err
			}
		}
		known, err = loadKnown(ctx, tx, "")
		return err
	})
	if err != nil {
		return cases.ConflictCheck{}, err
	}
	var chk cases.ConflictCheck
	err = f.do(ctx, access.ConflictRun, checkRes(""), true, func(o *op, tx storage.Tx) error {
		chk = f.newCheck(o, "", subjects, known)
		for _, sub := range subjects {
			if sub.Role == cases.SubjectClient && sub.Contact != "" && !slices.Contains(chk.Clients, sub.Contact) {
				chk.Clients = append(chk.Clients, sub.Contact)
			}
		}
		// Run for clients, it is part of each one's record: one screened
		// from any of them may not run it.
		for _, k := range chk.Clients {
			res := checkRes(chk.ID)
			if err := o.decideOn(ctx, tx, access.ConflictRun, &res, "", k); err != nil {
				return err
			}
		}
		if err := f.recordCheck(ctx, tx, o, chk); err != nil {
			return err
		}
		return o.redact(ctx, tx, &chk)
	})
	if err != nil {
		return cases.ConflictCheck{}, err
	}
	return chk, nil
}

func validateSubject(i int, s cases.Subject) error {
	field := "Subjects[" + itoa(i) + "]"
	probe := cases.Contact{Kind: s.Kind, Name: s.Name, Aliases: s.Aliases}
	if err := probe.Validate(cases.Date{}); err != nil {
		if fe, ok := err.(*cases.FieldError); ok {
			fe.Record, fe.Field = "conflict check", field+"."+fe.Field
		}
		return err
	}
	if s.Role != cases.SubjectClient && s.Role != cases.SubjectAdverse {
		return &cases.FieldError{Record: "conflict check", Field: field + ".Role", Problem: fmt.Sprintf("%q is not %s or %s", s.Role, cases.SubjectClient, cases.SubjectAdverse)}
	}
	return nil
}

// newCheck searches the known contacts for the subjects.
func (f *Firm) newCheck(o *op, intake cases.IntakeID, subjects []cases.Subject, known []cases.Known) cases.ConflictCheck {
	return cases.ConflictCheck{
		ID: cases.CheckID(f.newID()), Intake: intake, Subjects: subjects,
		Hits: cases.CheckConflicts(subjects, known), Decision: cases.Pending,
		RanBy: string(o.actor.ID), RanAt: o.at, Version: 1, Created: o.at, Updated: o.at,
	}
}

// recordCheck stores a check with its audit entry.
func (f *Firm) recordCheck(ctx context.Context, tx storage.Tx, o *op, chk cases.ConflictCheck) error {
	if err := tx.Checks().Create(ctx, chk); err != nil {
		return err
	}
	// The hits stay in the check record, which keeps them unchanged. The
	// audit entry neither lists nor counts them: a count would tell a
	// screened reader of hits redacted from their copy.
	return o.record(ctx, tx, "conflict.run", checkRes(chk.ID), "", audit.Diff(nil, chk, "Version", "Created", "Updated", "Hits"))
}

// checkForClient reads conflict check id for use as a case's gate,
// decided on like any use of it, and requires it to have been run for
// client: through the intake whose prospect the client is, or with the
// client among its subjects. Otherwise anyone's cleared check could open
// the gate.
func (o *op) checkForClient(ctx context.Context, tx storage.Tx, action access.Action, id cases.CheckID, client cases.ContactID) (cases.ConflictCheck, error) {
	res := checkRes(id)
	chk, err := o.checkOn(ctx, tx, action, &res, id)
	if err != nil {
		return chk, err
	}
	ok := false
	if chk.Intake != "" {
		in, err := tx.Intakes().Get(ctx, chk.Intake)
		if err != nil {
			return chk, err
		}
		if in.Prospect == client && in.ConflictCheck != id {
			return chk, &cases.FieldError{Record: "case", Field: "ConflictCheck", Problem: fmt.Sprintf("conflict check %s is no longer its intake's current check: the intake changed after it ran", id)}
		}
		ok = in.Prospect == client
	}
	for _, s := range chk.Subjects {
		ok = ok || s.Role == cases.SubjectClient && s.Contact == client
	}
	if !ok {
		return chk, &cases.FieldError{Record: "case", Field: "ConflictCheck", Problem: fmt.Sprintf("conflict check %s was not run for this case's client %s", id, client)}
	}
	return chk, nil
}

// attach makes a check the gate of a case: from then on it belongs to the
// case's record. A check clears the way for one case only.
func (o *op) attach(ctx context.Context, tx storage.Tx, chk cases.ConflictCheck, caseID cases.ID) error {
	switch chk.Case {
	case caseID:
		return nil
	case "":
	default:
		return &cases.FieldError{Record: "case", Field: "ConflictCheck", Problem: fmt.Sprintf("conflict check %s already cleared the way for another case: run a new check for this one", chk.ID)}
	}
	before := chk
	chk.Case, chk.Version, chk.Updated = caseID, chk.Version+1, o.at
	if err := tx.Checks().Update(ctx, chk); err != nil {
		return stale("conflict check", err)
	}
	return o.record(ctx, tx, "conflict.attach", access.Resource{Kind: storage.KindCheck, ID: string(chk.ID), Case: string(caseID)}, "", audit.Diff(before, chk, "Version", "Created", "Updated", "Hits"))
}

// intakeRole describes a role someone has in an intake.
func intakeRole(in cases.Intake, role cases.PartyRole, prospect string) cases.KnownRole {
	title := "intake of " + in.Created.Format("2006-01-02")
	if prospect != "" {
		title += " for " + prospect
	}
	if in.Status == cases.IntakeDeclined {
		title += ", declined"
	}
	// An accepted intake's roles belong to its case: the hit is redacted
	// for whoever may not see that case.
	return cases.KnownRole{Intake: in.ID, Case: in.Case, Title: title, Role: role, Open: in.Status != cases.IntakeDeclined}
}

// loadKnown gathers every contact with its roles on every case and in
// every intake but exclude (the one being checked).
func loadKnown(ctx context.Context, tx storage.Tx, exclude cases.IntakeID) ([]cases.Known, error) {
	byID := map[cases.ContactID]int{}
	var known []cases.Known
	err := eachPage(func(p storage.Page) (string, error) {
		items, next, err := tx.Contacts().List(ctx, storage.ContactFilter{}, p)
		for _, c := range items {
			byID[c.ID] = len(known)
			known = append(known, cases.Known{Contact: c})
		}
		return next, err
	})
	if err != nil {
		return nil, err
	}
	caseOf := map[cases.ID]cases.Case{}
	err = eachPage(func(p storage.Page) (string, error) {
		items, next, err := tx.Cases().List(ctx, storage.CaseFilter{}, p)
		for _, c := range items {
			caseOf[c.ID] = c
			if i, ok := byID[c.Client]; ok {
				known[i].Roles = append(known[i].Roles, cases.KnownRole{Case: c.ID, Reference: c.Reference, Title: c.Title, Role: cases.RoleClient, Open: c.Status == cases.Open})
			}
		}
		return next, err
	})
	if err != nil {
		return nil, err
	}
	err = eachPage(func(p storage.Page) (string, error) {
		items, next, err := tx.Intakes().List(ctx, storage.IntakeFilter{}, p)
		for _, in := range items {
			if in.ID == exclude {
				continue
			}
			if in.Status != cases.IntakeAccepted {
				if i, ok := byID[in.Prospect]; ok {
					known[i].Roles = append(known[i].Roles, intakeRole(in, cases.RoleProspect, ""))
				}
			}
			prospect := ""
			if i, ok := byID[in.Prospect]; ok {
				prospect = known[i].Contact.Name
			}
			for _, a := range in.Adverse {
				if i, ok := byID[a.Contact]; ok && a.Contact != "" {
					known[i].Roles = append(known[i].Roles, intakeRole(in, a.Role, prospect))
				}
			}
		}
		return next, err
	})
	if err != nil {
		return nil, err
	}
	err = eachPage(func(p storage.Page) (string, error) {
		items, next, err := tx.Parties().List(ctx, storage.PartyFilter{}, p)
		for _, pt := range items {
			i, ok := byID[pt.Contact]
			if !ok {
				continue
			}
			c := caseOf[pt.Case]
			known[i].Roles = append(known[i].Roles, cases.KnownRole{Case: c.ID, Reference: c.Reference, Title: c.Title, Role: pt.Role, Open: c.Status == cases.Open})
		}
		return next, err
	})
	return known, err
}

// checkOn looks up the check an operation is about and decides action
// on everything it belongs to: the case it cleared the way for, the
// intake it was run for (and the case that became, or its prospect), and
// the client it was run for; walls and case scope cover it through each.
// A check that does not exist is refused alike.
func (o *op) checkOn(ctx context.Context, tx storage.Tx, action access.Action, res *access.Resource, id cases.CheckID) (cases.ConflictCheck, error) {
	chk, err := tx.Checks().Get(ctx, id)
	if err != nil {
		return chk, o.missing(ctx, tx, action, *res, "conflict check "+printable(string(id)), err)
	}
	decided := false
	if chk.Case != "" {
		if _, err := o.caseFor(ctx, tx, action, *res, chk.Case, "Case"); err != nil {
			return chk, err
		}
		res.Case, decided = string(chk.Case), true
	}
	if chk.Intake != "" {
		if _, err := o.intakeFor(ctx, tx, action, res, chk.Intake); err != nil {
			return chk, err
		}
		decided = true
	}
	for _, k := range chk.Clients {
		if err := o.decideOn(ctx, tx, action, res, "", k); err != nil {
			return chk, err
		}
		decided = true
	}
	if !decided {
		return chk, o.decide(ctx, tx, action, *res, nil)
	}
	return chk, nil
}

// Get returns a conflict check, its hits redacted for the actor.
func (s *ConflictService) Get(ctx context.Context, id cases.CheckID) (cases.ConflictCheck, error) {
	return readOne(ctx, s.f, access.ConflictRead, checkRes(id), func(o *op, tx storage.Tx, res *access.Resource) (cases.ConflictCheck, error) {
		c, err := o.checkOn(ctx, tx, access.ConflictRead, res, id)
		if err != nil {
			return c, err
		}
		return c, o.redact(ctx, tx, &c)
	})
}

// CheckFilter narrows a list of conflict checks: by intake, and when
// they were run.
type CheckFilter = storage.CheckFilter

// List returns one page of the conflict checks the actor may see, in ID
// order (by when they were run, for generated IDs), filtered inside the
// storage query: checks of walled clients, and of cases and intakes the
// actor may not see, are absent; hits on hidden matters are redacted as
// in Get.
func (s *ConflictService) List(ctx context.Context, filter CheckFilter, opts *ListOptions) (Page[cases.ConflictCheck], error) {
	var p Page[cases.ConflictCheck]
	err := s.f.listVisible(ctx, access.ConflictRead, access.Resource{Kind: storage.KindCheck}, func(o *op, tx storage.Tx, vis *storage.Visibility) (err error) {
		filter.Visible = vis
		if p.Items, p.Next, err = tx.Checks().List(ctx, filter, pageOf(opts)); err != nil {
			return err
		}
		seen := map[string]bool{}
		for i := range p.Items {
			if err := o.redactSeen(ctx, tx, &p.Items[i], seen); err != nil {
				return err
			}
		}
		return nil
	})
	return p, err
}

// SecuredMatter is all a hit on a case the actor may not see says of it.
const SecuredMatter = "conflict with a secured matter"

// redact blanks, in the copy returned to the actor, every hit on a case
// the actor may not see (walled, or restricted to a team they are not
// on) or from an intake of a client they are screened from: the conflict
// is still reported, once per subject, as a conflict with a secured
// matter, and nothing else (no rule, score, name or count). The stored
// check keeps every detail for those who may see them.
func (o *op) redact(ctx context.Context, tx storage.Tx, chk *cases.ConflictCheck) error {
	return o.redactSeen(ctx, tx, chk, map[string]bool{})
}

// redactSeen is redact with what is known of which hit cases and intakes
// the actor sees (keyed by case ID, or "intake " and its ID), shared
// across a page of checks so that each is read once.
func (o *op) redactSeen(ctx context.Context, tx storage.Tx, chk *cases.ConflictCheck, seen map[string]bool) error {
	if o.f.authz != nil {
		return nil
	}
	p, err := o.f.policy(ctx, tx)
	if err != nil {
		return err
	}
	secured := map[string]bool{} // subjects already given a secured-matter hit
	var lines []cases.Hit
	kept := chk.Hits[:0]
	for i := range chk.Hits {
		h := chk.Hits[i]
		key := string(h.Case)
		if key == "" {
			key = "intake " + string(h.Intake)
		}
		if h.Case == "" && h.Intake == "" {
			kept = append(kept, h)
			continue
		}
		visible, ok := seen[key]
		if !ok {
			facts, err := hitFacts(ctx, tx, &h)
			if err != nil {
				return err
			}
			visible = p.Decide(o.actor.ID, access.CaseRead, facts).Allowed
			seen[key] = visible
		}
		if visible {
			kept = append(kept, h)
			continue
		}
		// No rule, score, match kind or count: one line per subject.
		if !secured[h.Subject] {
			secured[h.Subject] = true
			lines = append(lines, cases.Hit{Subject: h.Subject, SubjectRole: h.SubjectRole, Reason: SecuredMatter})
		}
	}
	// The secured lines go last, in subject order: where they would have
	// stood among hits sorted by score would say how strong they are.
	slices.SortFunc(lines, func(a, b cases.Hit) int { return strings.Compare(a.Subject, b.Subject) })
	chk.Hits = append(kept, lines...)
	return nil
}

// hitFacts is what decides whether the actor may see a hit: the case it
// is on, or the intake it comes from (the case that became, else its
// prospect).
func hitFacts(ctx context.Context, tx storage.Tx, h *cases.Hit) (*access.CaseFacts, error) {
	id := h.Case
	if id == "" {
		in, err := tx.Intakes().Get(ctx, h.Intake)
		if err != nil {
			return nil, err
		}
		if in.Case == "" {
			return &access.CaseFacts{Client: string(in.Prospect)}, nil
		}
		id = in.Case
	}
	c, err := tx.Cases().Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return caseFacts(ctx, tx, &c)
}

// Decide records the decision on a check: cleared, waived (with the
// reference of the clients' written consent) or declined, with the reason.
// version must be the check's version as read. Declining the check of an
// intake declines the intake. A decision can be revised by deciding again;
// the audit trail keeps every one.
func (s *ConflictService) Decide(ctx context.Context, id cases.CheckID, version int64, d cases.Decision, consentRef, reason string) (cases.ConflictCheck, error) {
	f := s.f
	var chk cases.ConflictCheck
	res := checkRes(id)
	err := f.run(ctx, access.ConflictDecide, &res, true, func(o *op, tx storage.Tx) error {
		old, err := o.checkOn(ctx, tx, access.ConflictDecide, &res, id)
		if err != nil {
			return err
		}
		if err := cases.ValidateDecision(d, consentRef, reason); err != nil {
			return err
		}
		if err := checkVersion("conflict check", old.Version, version); err != nil {
			return err
		}
		chk = old
		chk.Decision, chk.ConsentRef, chk.Reason = d, consentRef, reason
		chk.DecidedBy, chk.DecidedAt, chk.Updated, chk.Version = string(o.actor.ID), o.at, o.at, old.Version+1
		if err := tx.Checks().Update(ctx, chk); err != nil {
			return stale("conflict check", err)
		}
		if err := o.record(ctx, tx, "conflict.decide", checkRes(id), reason, audit.Diff(old, chk, "Version", "Created", "Updated", "Hits")); err != nil {
			return err
		}
		if err := declineIntake(ctx, tx, o, &chk, reason); err != nil {
			return err
		}
		return o.redact(ctx, tx, &chk)
	})
	if err != nil {
		return cases.ConflictCheck{}, err
	}
	return chk, nil
}

// declineIntake declines the open intake whose current check was declined.
func declineIntake(ctx context.Context, tx storage.Tx, o *op, chk *cases.ConflictCheck, reason string) error {
	if chk.Decision != cases.Declined || chk.Intake == "" {
		return nil
	}
	in, err := tx.Intakes().Get(ctx, chk.Intake)
	if err != nil || in.Status != cases.IntakeOpen || in.ConflictCheck != chk.ID {
		return err
	}
	before := in
	in.Status, in.Version, in.Updated = cases.IntakeDeclined, in.Version+1, o.at
	if err := tx.Intakes().Update(ctx, in); err != nil {
		return stale("intake", err)
	}
	return o.record(ctx, tx, "intake.decline", intakeRes(in.ID), reason, auditDiff(before, in))
}
