package docket

import (
	"context"
	"fmt"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// ConflictService runs conflict-of-interest checks against every contact
// and party the firm knows, and records the decision taken on each.
type ConflictService struct{ f *Firm }

func checkRes(id cases.CheckID) access.Resource {
	return access.Resource{Kind: "conflict-check", ID: string(id)}
}

// Run checks an intake's prospective client and adverse parties, records
// the check (pending a decision) on the intake, and returns it with its
// hits, strongest first. The firm's contacts, cases and intakes are read
// from one consistent snapshot, outside the write, so a large firm's search
// does not hold up other writers; if the intake changes meanwhile, Run
// fails with storage.ErrConflict and can be run again.
func (s *ConflictService) Run(ctx context.Context, intake cases.IntakeID) (cases.ConflictCheck, error) {
	f := s.f
	o, err := f.authorize(ctx, access.ConflictRun, intakeRes(intake))
	if err != nil {
		return cases.ConflictCheck{}, err
	}
	var (
		in       cases.Intake
		subjects []cases.Subject
		known    []cases.Known
	)
	err = f.store.View(ctx, func(tx storage.Tx) error {
		var err error
		if in, err = tx.Intakes().Get(ctx, intake); err != nil {
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
	chk := f.newCheck(o, intake, subjects, known)
	err = f.store.Update(ctx, func(tx storage.Tx) error {
		cur, err := tx.Intakes().Get(ctx, intake)
		if err != nil {
			return err
		}
		if err := checkVersion("intake", cur.Version, in.Version); err != nil {
			return err
		}
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
	o, err := f.authorize(ctx, access.ConflictRun, checkRes(""))
	if err != nil {
		return cases.ConflictCheck{}, err
	}
	if len(subjects) == 0 {
		return cases.ConflictCheck{}, &cases.FieldError{Record: "conflict check", Field: "Subjects", Problem: "name at least one person or organisation to check"}
	}
	for i, sub := range subjects {
		if err := validateSubject(i, sub); err != nil {
			return cases.ConflictCheck{}, err
		}
	}
	var known []cases.Known
	err = f.store.View(ctx, func(tx storage.Tx) (err error) {
		known, err = loadKnown(ctx, tx, "")
		return err
	})
	if err != nil {
		return cases.ConflictCheck{}, err
	}
	chk := f.newCheck(o, "", subjects, known)
	err = f.store.Update(ctx, func(tx storage.Tx) error {
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
	// The hits stay in the check record, which keeps them unchanged; the
	// audit entry, which readers see whatever cases they may read, counts
	// them.
	return o.record(ctx, tx, "conflict.run", checkRes(chk.ID), fmt.Sprintf("%d hits", len(chk.Hits)), audit.Diff(nil, chk, "Version", "Created", "Updated", "Hits"))
}

// checkFor requires that a conflict check was run for the client: through
// the intake whose prospect the client is, or with the client among its
// subjects. Otherwise anyone's cleared check could open the gate.
func checkFor(ctx context.Context, tx storage.Tx, id cases.CheckID, client cases.ContactID) error {
	chk, err := tx.Checks().Get(ctx, id)
	if err != nil {
		return notFoundField("case", "ConflictCheck", "conflict check "+string(id), err)
	}
	if chk.Intake != "" {
		in, err := tx.Intakes().Get(ctx, chk.Intake)
		if err != nil {
			return err
		}
		if in.Prospect == client && in.ConflictCheck == id {
			return nil
		}
		if in.Prospect == client {
			return &cases.FieldError{Record: "case", Field: "ConflictCheck", Problem: fmt.Sprintf("conflict check %s is no longer its intake's current check: the intake changed after it ran", id)}
		}
	}
	for _, s := range chk.Subjects {
		if s.Role == cases.SubjectClient && s.Contact == client {
			return nil
		}
	}
	return &cases.FieldError{Record: "case", Field: "ConflictCheck", Problem: fmt.Sprintf("conflict check %s was not run for this case's client %s", id, client)}
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

// Get returns a conflict check.
func (s *ConflictService) Get(ctx context.Context, id cases.CheckID) (cases.ConflictCheck, error) {
	o, err := s.f.authorize(ctx, access.ConflictRead, checkRes(id))
	if err != nil {
		return cases.ConflictCheck{}, err
	}
	var c cases.ConflictCheck
	err = s.f.store.View(ctx, func(tx storage.Tx) (err error) {
		if c, err = tx.Checks().Get(ctx, id); err != nil {
			return err
		}
		if err := o.decideOnCheck(ctx, tx, access.ConflictRead, &c); err != nil {
			return err
		}
		return o.redact(ctx, tx, &c)
	})
	if err != nil {
		return cases.ConflictCheck{}, s.f.denied(ctx, o, access.ConflictRead, checkRes(id), err)
	}
	return c, nil
}

// decideOnCheck decides action on the case the check's intake became, if
// any: a check is part of its case's record, walls included.
func (o *op) decideOnCheck(ctx context.Context, tx storage.Tx, action access.Action, chk *cases.ConflictCheck) error {
	if chk.Intake == "" {
		return nil
	}
	in, err := tx.Intakes().Get(ctx, chk.Intake)
	if err != nil || in.Case == "" {
		return err
	}
	return o.decide(ctx, tx, action, access.Resource{Kind: "conflict-check", ID: string(chk.ID), Case: string(in.Case)}, nil)
}

// SecuredMatter is all a hit on a case the actor may not see says of it.
const SecuredMatter = "conflict with a secured matter"

// redact blanks, in the copy returned to the actor, every hit on a case
// the actor may not see (walled, or restricted to a team they are not
// on): the conflict is still reported, with its score and rule, as a
// conflict with a secured matter, and nothing else. The stored check keeps
// every detail for those who may see them.
func (o *op) redact(ctx context.Context, tx storage.Tx, chk *cases.ConflictCheck) error {
	if o.f.authz != nil {
		return nil
	}
	p, err := o.f.policy(ctx, tx)
	if err != nil {
		return err
	}
	seen := map[cases.ID]bool{}
	secured := map[string]bool{} // subjects already given a secured-matter hit
	kept := chk.Hits[:0]
	for i := range chk.Hits {
		h := chk.Hits[i]
		if h.Case == "" {
			kept = append(kept, h)
			continue
		}
		visible, ok := seen[h.Case]
		if !ok {
			c, err := tx.Cases().Get(ctx, h.Case)
			if err != nil {
				return err
			}
			visible = p.Decide(o.actor.ID, access.CaseRead, caseFacts(&c)).Allowed
			seen[h.Case] = visible
		}
		if visible {
			kept = append(kept, h)
			continue
		}
		// No rule, score, match kind or count: one line per subject.
		if !secured[h.Subject] {
			secured[h.Subject] = true
			kept = append(kept, cases.Hit{Subject: h.Subject, SubjectRole: h.SubjectRole, Reason: SecuredMatter})
		}
	}
	chk.Hits = kept
	return nil
}

// Decide records the decision on a check: cleared, waived (with the
// reference of the clients' written consent) or declined, with the reason.
// version must be the check's version as read. Declining the check of an
// intake declines the intake. A decision can be revised by deciding again;
// the audit trail keeps every one.
func (s *ConflictService) Decide(ctx context.Context, id cases.CheckID, version int64, d cases.Decision, consentRef, reason string) (cases.ConflictCheck, error) {
	f := s.f
	o, err := f.authorize(ctx, access.ConflictDecide, checkRes(id))
	if err != nil {
		return cases.ConflictCheck{}, err
	}
	if err := cases.ValidateDecision(d, consentRef, reason); err != nil {
		return cases.ConflictCheck{}, err
	}
	var chk cases.ConflictCheck
	err = f.store.Update(ctx, func(tx storage.Tx) error {
		old, err := tx.Checks().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := o.decideOnCheck(ctx, tx, access.ConflictDecide, &old); err != nil {
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
		if d != cases.Declined || chk.Intake == "" {
			return nil
		}
		in, err := tx.Intakes().Get(ctx, chk.Intake)
		if err != nil || in.Status != cases.IntakeOpen || in.ConflictCheck != id {
			return err
		}
		before := in
		in.Status, in.Version, in.Updated = cases.IntakeDeclined, in.Version+1, o.at
		if err := tx.Intakes().Update(ctx, in); err != nil {
			return stale("intake", err)
		}
		return o.record(ctx, tx, "intake.decline", intakeRes(in.ID), reason, auditDiff(before, in))
	})
	if err == nil {
		err = f.store.View(ctx, func(tx storage.Tx) error { return o.redact(ctx, tx, &chk) })
	}
	if err != nil {
		return cases.ConflictCheck{}, f.denied(ctx, o, access.ConflictDecide, checkRes(id), err)
	}
	return chk, nil
}
