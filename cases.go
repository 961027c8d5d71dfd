package docket

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// CaseService opens cases, keeps their details and parties, and moves them
// through their workflow's stages.
type CaseService struct{ f *Firm }

func caseRes(id cases.ID) access.Resource {
	return access.Resource{Kind: "case", ID: string(id), Case: string(id)}
}

// CaseFilter narrows a case list.
type CaseFilter = storage.CaseFilter

// maxReferenceTries bounds the search for a free generated reference when
// imported cases already hold some numbers of the sequence.
const maxReferenceTries = 1000

// Open opens a case for a client from a draft. The reference number is
// generated from the firm's pattern unless the draft sets one; the case
// starts in its workflow's first stage and the stage history gets its first
// entry. The client is the case's Client, kept once: Parties lists the
// other parties (add a co-client as a party with the client role).
// Opening from an intake marks the intake accepted and takes the intake's
// current conflict check; a case opened without one may name a check that
// was run for its client.
func (s *CaseService) Open(ctx context.Context, d cases.Draft) (cases.Case, error) {
	f := s.f
	var c cases.Case
	openRes := access.Resource{Kind: "case"}
	err := f.run(ctx, access.CaseCreate, &openRes, true, func(o *op, tx storage.Tx) error {
		// A wall on the client bars opening a case for them too.
		if err := o.decideOn(ctx, tx, access.CaseCreate, &openRes, "", d.Client); err != nil {
			return err
		}
		w, ok := f.workflows[d.Type]
		if !ok {
			return &cases.FieldError{Record: "case", Field: "Type", Problem: fmt.Sprintf("%q is not a known case type (%s)", d.Type, strings.Join(f.caseTypes(), ", "))}
		}
		c = cases.Case{
			ID: cases.ID(f.newID()), Reference: d.Reference, Title: d.Title, Type: d.Type,
			PracticeArea: d.PracticeArea, Court: d.Court, DocketNumber: d.DocketNumber, Judge: d.Judge,
			Client: d.Client, Status: cases.Open, Stage: w.Initial(), OpenedOn: d.OpenedOn,
			LeadAttorney: d.LeadAttorney, CaseManager: d.CaseManager, Team: slices.Clone(d.Team), Restricted: d.Restricted,
			Intake: d.Intake, ConflictCheck: d.ConflictCheck, Version: 1, Created: o.at, Updated: o.at,
		}
		if c.PracticeArea == "" {
			c.PracticeArea = w.PracticeArea
		}
		if c.OpenedOn.IsZero() && d.OpenedOn.Valid() {
			c.OpenedOn = f.today()
		}
		generate := c.Reference == ""
		if generate {
			c.Reference = "pending" // validated below; replaced before the insert
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if err := f.checkUsers(ctx, tx, &c); err != nil {
			return err
		}
		// The intake and the check are decided on, like any use of them,
		// before anything is written.
		in, err := f.intakeFor(ctx, tx, o, &c)
		if err != nil {
			return err
		}
		var chk cases.ConflictCheck
		if c.ConflictCheck != "" {
			if chk, err = o.checkForClient(ctx, tx, access.CaseCreate, c.ConflictCheck, c.Client); err != nil {
				return err
			}
		}
		// The store refuses a case whose client does not exist (a foreign
		// key), which saves a lookup on the hot path.
		if generate {
			if err := f.assignReference(ctx, tx, &c, w.Code); err != nil {
				return notFoundField("case", "Client", "contact "+string(c.Client), err)
			}
		} else if err := tx.Cases().Create(ctx, c); err != nil {
			if errors.Is(err, storage.ErrExists) {
				// Reference numbers are not secret (see the package
				// documentation): the one given is taken, by a case the
				// actor may not see or by another.
				return &cases.FieldError{Record: "case", Field: "Reference", Problem: fmt.Sprintf("%s is already used by another case", c.Reference), Err: err}
			}
			return notFoundField("case", "Client", "contact "+string(c.Client), err)
		}
		if err := tx.Stages().Append(ctx, cases.StageChange{Case: c.ID, Seq: 1, To: c.Stage, Reason: "case opened", By: string(o.actor.ID), At: o.at}); err != nil {
			return err
		}
		if err := o.record(ctx, tx, "case.open", caseRes(c.ID), "", auditDiff(nil, c)); err != nil {
			return err
		}
		if in.ID != "" {
			before := in
			in.Status, in.Case, in.Version, in.Updated = cases.IntakeAccepted, c.ID, in.Version+1, o.at
			if err := tx.Intakes().Update(ctx, in); err != nil {
				return stale("intake", err)
			}
			res := intakeRes(in.ID)
			res.Case = string(c.ID) // the intake is now part of the case's record
			if err := o.record(ctx, tx, "intake.accept", res, "case opened", auditDiff(before, in)); err != nil {
				return err
			}
		}
		if c.ConflictCheck != "" {
			return o.attach(ctx, tx, chk, c.ID)
		}
		return nil
	})
	if err != nil {
		return cases.Case{}, err
	}
	return c, nil
}

// assignReference draws numbers from the pattern's counter until one is
// free, and creates the case under it.
func (f *Firm) assignReference(ctx context.Context, tx storage.Tx, c *cases.Case, code string) error {
	counter, err := f.pattern.Counter(c.OpenedOn.Year, code)
	if err != nil {
		return err
	}
	for range maxReferenceTries {
		n, err := tx.Counters().Next(ctx, counter)
		if err != nil {
			return err
		}
		if c.Reference, err = f.pattern.Format(c.OpenedOn.Year, code, n); err != nil {
			return err
		}
		// A number already taken (by an imported case) is skipped: the
		// insert reports ErrExists without spoiling the transaction.
		if err := tx.Cases().Create(ctx, *c); !errors.Is(err, storage.ErrExists) {
			return err
		}
	}
	return fmt.Errorf("case Reference: no free number in %s after %d tries: %w", counter, maxReferenceTries, storage.ErrExists)
}

// intakeFor reads the open intake a case is opened from, decided on, and
// takes its conflict check; the zero Intake when there is none.
func (f *Firm) intakeFor(ctx context.Context, tx storage.Tx, o *op, c *cases.Case) (cases.Intake, error) {
	if c.Intake == "" {
		return cases.Intake{}, nil
	}
	// One screened from the intake, or a wrong key, is refused alike.
	ires := intakeRes(c.Intake)
	in, err := o.intakeFor(ctx, tx, access.CaseCreate, &ires, c.Intake)
	if err != nil {
		return in, err
	}
	if in.Status != cases.IntakeOpen {
		return in, &cases.FieldError{Record: "case", Field: "Intake", Problem: fmt.Sprintf("intake %s is %s, not open", in.ID, in.Status)}
	}
	if in.Prospect != c.Client {
		return in, &cases.FieldError{Record: "case", Field: "Client", Problem: fmt.Sprintf("the intake's prospective client is %s, not %s", in.Prospect, c.Client)}
	}
	switch {
	case c.ConflictCheck == "":
		c.ConflictCheck = in.ConflictCheck
	case c.ConflictCheck != in.ConflictCheck:
		return in, &cases.FieldError{Record: "case", Field: "ConflictCheck", Problem: fmt.Sprintf("a case opened from an intake takes the intake's own conflict check (%q), not another", in.ConflictCheck)}
	}
	return in, nil
}

// checkUsers requires the case's staff to be users of the firm.
func (f *Firm) checkUsers(ctx context.Context, tx storage.Tx, c *cases.Case) error {
	check := func(field, id string) error {
		if id == "" {
			return nil
		}
		if _, err := tx.Users().Get(ctx, access.UserID(id)); err != nil {
			return notFoundField("case", field, "user "+id, err)
		}
		return nil
	}
	if err := check("LeadAttorney", c.LeadAttorney); err != nil {
		return err
	}
	if err := check("CaseManager", c.CaseManager); err != nil {
		return err
	}
	for i, m := range c.Team {
		if err := check("Team["+itoa(i)+"].User", m.User); err != nil {
			return err
		}
	}
	return nil
}

func (f *Firm) caseTypes() []string {
	out := make([]string, 0, len(f.workflows))
	for t := range f.workflows {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// Get returns a case. The check and the read share one transaction. A
// client portal user gets the shared part of their own case (see
// cases.Case.Shared).
func (s *CaseService) Get(ctx context.Context, id cases.ID) (cases.Case, error) {
	return s.read(ctx, caseRes(id), "case "+printable(string(id)), func(tx storage.Tx) (cases.Case, error) {
		return tx.Cases().Get(ctx, id)
	})
}

// read looks a case up and decides case.read on the case found, in one
// transaction. A case that is not found is denied like one the actor may
// not see; missing names it for the audit log.
func (s *CaseService) read(ctx context.Context, res access.Resource, missing string, lookup func(storage.Tx) (cases.Case, error)) (cases.Case, error) {
	var c cases.Case
	err := s.f.run(ctx, access.CaseRead, &res, false, func(o *op, tx storage.Tx) error {
		var err error
		if c, err = lookup(tx); err != nil {
			return o.missing(ctx, tx, access.CaseRead, res, missing, err)
		}
		res.Case = string(c.ID)
		if err := o.decideCase(ctx, tx, access.CaseRead, res, &c); err != nil {
			return err
		}
		return o.share(ctx, tx, func() { c = c.Shared() })
	})
	if err != nil {
		return cases.Case{}, err
	}
	return c, nil
}

// share calls shared when the actor is a client portal user, who sees
// only the shared part of their own cases.
func (o *op) share(ctx context.Context, tx storage.Tx, shared func()) error {
	if o.f.authz != nil {
		return nil
	}
	p, err := o.f.policy(ctx, tx)
	if err != nil {
		return err
	}
	if _, portal := p.PortalContact(o.actor.ID); portal {
		shared()
	}
	return nil
}

// caseFor looks up the case an operation is about and decides action on
// it, in tx. A case that does not exist is refused like one the actor may
// not see; no case at all is decided on the actor's roles and then
// reported as a missing field (named field of res.Kind).
func (o *op) caseFor(ctx context.Context, tx storage.Tx, action access.Action, res access.Resource, id cases.ID, field string) (cases.Case, error) {
	if id == "" {
		if err := o.decide(ctx, tx, action, res, nil); err != nil {
			return cases.Case{}, err
		}
		return cases.Case{}, &cases.FieldError{Record: res.Kind, Field: field, Problem: "is required"}
	}
	c, err := tx.Cases().Get(ctx, id)
	if err != nil {
		return c, o.missing(ctx, tx, action, res, "case "+printable(string(id)), err)
	}
	return c, o.decideCase(ctx, tx, action, res, &c)
}

// BreakGlass reads a restricted case whose team the actor is not on, for
// a stated reason: allowed to roles that grant case.break-glass (partners,
// by default), never through an ethical wall, and recorded in the audit
// log with the reason, in the same transaction as the read. It is the only
// way an administrator or partner outside the team reads such a case.
func (s *CaseService) BreakGlass(ctx context.Context, id cases.ID, reason string) (cases.Case, error) {
	var c cases.Case
	res := caseRes(id)
	err := s.f.run(ctx, access.CaseBreakGlass, &res, true, func(o *op, tx storage.Tx) error {
		var err error
		if c, err = o.caseFor(ctx, tx, access.CaseBreakGlass, res, id, "ID"); err != nil {
			return err
		}
		if err := cases.ValidateReason("break-glass read", reason); err != nil {
			return err
		}
		return o.record(ctx, tx, "case.break-glass", res, reason, nil)
	})
	if err != nil {
		return cases.Case{}, err
	}
	return c, nil
}

// GetByReference returns the case with a reference number, decided on
// that case like Get.
func (s *CaseService) GetByReference(ctx context.Context, ref string) (cases.Case, error) {
	res := access.Resource{Kind: storage.KindReference, ID: printable(ref)}
	return s.read(ctx, res, "case with reference "+printable(ref), func(tx storage.Tx) (cases.Case, error) {
		return tx.Cases().GetByReference(ctx, ref)
	})
}

// List returns one page of the cases the actor may see, in ID (opening)
// order. Walled and restricted cases are filtered out inside the storage
// query, so a page is as full as the limit allows. A client portal user
// lists the shared part of their own cases.
func (s *CaseService) List(ctx context.Context, filter CaseFilter, opts *ListOptions) (Page[cases.Case], error) {
	var p Page[cases.Case]
	err := s.f.do(ctx, access.CaseRead, access.Resource{Kind: "case"}, false, func(o *op, tx storage.Tx) error {
		vis, ok, err := o.visibility(ctx, tx)
		if err != nil || !ok {
			return err
		}
		filter.Visible = vis
		if p.Items, p.Next, err = tx.Cases().List(ctx, filter, pageOf(opts)); err != nil {
			return err
		}
		return o.share(ctx, tx, func() {
			for i := range p.Items {
				p.Items[i] = p.Items[i].Shared()
			}
		})
	})
	return p, err
}

// Count returns how many cases match filter among those the actor may
// see, counted inside the storage query.
func (s *CaseService) Count(ctx context.Context, filter CaseFilter) (int, error) {
	var n int
	err := s.f.listVisible(ctx, access.CaseRead, access.Resource{Kind: "case"}, func(_ *op, tx storage.Tx, vis *storage.Visibility) (err error) {
		filter.Visible = vis
		n, err = tx.Cases().Count(ctx, filter)
		return err
	})
	return n, err
}

// Update changes a case's details: title, practice area, court, docket
// number, judge, staff, team, scope and conflict check. Changing the
// scope, the staff or the team needs case.scope as well as case.write. The reference, type,
// client, status, stage and dates change only through their own
// operations; a change to them here is an error naming the field.
// c.Version must be the version read; the returned case has the next.
func (s *CaseService) Update(ctx context.Context, c cases.Case) (cases.Case, error) {
	f := s.f
	res := caseRes(c.ID)
	err := f.run(ctx, access.CaseWrite, &res, true, func(o *op, tx storage.Tx) error {
		old, err := o.caseFor(ctx, tx, access.CaseWrite, res, c.ID, "ID")
		if err != nil {
			return err
		}
		// Who may see the case is a decision of its own (case.scope):
		// whoever may edit its details may not thereby open it to the
		// firm, or close it to its team.
		if old.Restricted != c.Restricted || old.LeadAttorney != c.LeadAttorney || old.CaseManager != c.CaseManager || !slices.Equal(old.Team, c.Team) {
			if err := o.decideCase(ctx, tx, access.CaseScope, res, &old); err != nil {
				return err
			}
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if err := checkVersion("case", old.Version, c.Version); err != nil {
			return err
		}
		for _, fixed := range []struct {
			field, how string
			same       bool
		}{
			{"Reference", "it is the case's permanent number", old.Reference == c.Reference},
			{"Type", "open a new case of the other type", old.Type == c.Type},
			{"Client", "add the new client as a party", old.Client == c.Client},
			{"Status", "use Advance or Exit", old.Status == c.Status},
			{"Stage", "use Advance or Exit", old.Stage == c.Stage},
			{"Outcome", "use Exit", old.Outcome == c.Outcome},
			{"OpenedOn", "it is fixed when the case is opened", old.OpenedOn == c.OpenedOn},
			{"ClosedOn", "it is set when the case closes", old.ClosedOn == c.ClosedOn},
			{"Intake", "it is fixed when the case is opened", old.Intake == c.Intake},
		} {
			if !fixed.same {
				return &cases.FieldError{Record: "case", Field: fixed.field, Problem: "cannot be changed by Update: " + fixed.how}
			}
		}
		if err := f.checkUsers(ctx, tx, &c); err != nil {
			return err
		}
		if c.ConflictCheck != old.ConflictCheck {
			w, ok := f.workflows[old.Type]
			if !ok || old.Stage != w.Initial() {
				return &cases.FieldError{Record: "case", Field: "ConflictCheck", Problem: "can change only while the case is in its first stage"}
			}
			if c.ConflictCheck != "" {
				chk, err := o.checkForClient(ctx, tx, access.CaseWrite, c.ConflictCheck, old.Client)
				if err != nil {
					return err
				}
				if err := o.attach(ctx, tx, chk, c.ID); err != nil {
					return err
				}
			}
		}
		c.Created, c.Updated, c.Version = old.Created, o.at, old.Version+1
		if err := tx.Cases().Update(ctx, c); err != nil {
			return stale("case", err)
		}
		if err := o.record(ctx, tx, "case.update", res, "", auditDiff(old, c)); err != nil {
			return err
		}
		if c.LeadAttorney != old.LeadAttorney || c.CaseManager != old.CaseManager {
			if err := f.replanDeadlines(ctx, tx, o, &c); err != nil {
				return err
			}
		}
		if c.Judge != old.Judge {
			return f.rejudge(ctx, tx, o, &c, old.Judge)
		}
		return nil
	})
	if err != nil {
		return cases.Case{}, err
	}
	return c, nil
}

// Advance moves a case to the next stage of its workflow. version must be
// the version read; reason says why, for the stage history. Leaving a stage
// that requires clearance needs the case's conflict check to be cleared or
// waived. Advancing to the workflow's last stage closes the case.
func (s *CaseService) Advance(ctx context.Context, id cases.ID, version int64, stage, reason string) (cases.Case, error) {
	return s.move(ctx, id, version, stage, "", reason)
}

// Exit closes a case from any open stage by one of its workflow's exits
// (settled, dismissed, plea, withdrawn ...), with the reason.
func (s *CaseService) Exit(ctx context.Context, id cases.ID, version int64, exit, reason string) (cases.Case, error) {
	return s.move(ctx, id, version, "", exit, reason)
}

func (s *CaseService) move(ctx context.Context, id cases.ID, version int64, stage, exit, reason string) (cases.Case, error) {
	f := s.f
	var c cases.Case
	res := caseRes(id)
	err := f.run(ctx, access.CaseAdvance, &res, true, func(o *op, tx storage.Tx) error {
		old, err := o.caseFor(ctx, tx, access.CaseAdvance, res, id, "ID")
		if err != nil {
			return err
		}
		probe := cases.StageChange{Reason: reason}
		if err := probe.Validate(); err != nil {
			return err
		}
		if err := checkVersion("case", old.Version, version); err != nil {
			return err
		}
		w, ok := f.workflows[old.Type]
		if !ok {
			return &cases.FieldError{Record: "case", Field: "Type", Problem: fmt.Sprintf("%q has no workflow registered with this Firm", old.Type)}
		}
		c = old
		c.Team = slices.Clone(old.Team)
		action := "case.advance"
		if exit != "" {
			if err := w.CheckExit(old.Stage, exit); err != nil {
				return err
			}
			c.Stage, c.Outcome = w.Final(), exit
			action = "case.exit"
		} else {
			decision := cases.Decision("")
			if old.ConflictCheck != "" {
				chk, err := tx.Checks().Get(ctx, old.ConflictCheck)
				if err != nil {
					return err
				}
				decision = chk.Decision
			}
			if err := w.CheckAdvance(old.Stage, stage, decision); err != nil {
				return err
			}
			c.Stage = stage
		}
		if c.Stage == w.Final() {
			c.Status, c.ClosedOn = cases.Closed, f.today()
			if c.ClosedOn.Before(c.OpenedOn) {
				c.ClosedOn = c.OpenedOn
			}
		}
		c.Version, c.Updated = old.Version+1, o.at
		if err := tx.Cases().Update(ctx, c); err != nil {
			return stale("case", err)
		}
		hist, err := tx.Stages().List(ctx, id)
		if err != nil {
			return err
		}
		change := cases.StageChange{Case: id, Seq: int64(len(hist)) + 1, From: old.Stage, To: c.Stage, Exit: exit, Reason: reason, By: string(o.actor.ID), At: o.at}
		if err := tx.Stages().Append(ctx, change); err != nil {
			return err
		}
		return o.record(ctx, tx, access.Action(action), res, reason, auditDiff(old, c))
	})
	if err != nil {
		return cases.Case{}, err
	}
	return c, nil
}

// History returns a case's stage history, oldest first. A client portal
// user sees the stages and dates of their own case, without the firm's
// reasons (see cases.StageChange.Shared).
func (s *CaseService) History(ctx context.Context, id cases.ID) ([]cases.StageChange, error) {
	var out []cases.StageChange
	res := caseRes(id)
	err := s.f.run(ctx, access.CaseRead, &res, false, func(o *op, tx storage.Tx) error {
		if _, err := o.caseFor(ctx, tx, access.CaseRead, res, id, "ID"); err != nil {
			return err
		}
		var err error
		if out, err = tx.Stages().List(ctx, id); err != nil {
			return err
		}
		return o.share(ctx, tx, func() {
			for i := range out {
				out[i] = out[i].Shared()
			}
		})
	})
	return out, err
}

// StageFilter narrows a listing of stage changes across cases to a time
// span.
type StageFilter = storage.StageFilter

// StageChanges returns one page of the stage changes, across every case
// the actor may see, made in [filter.From, filter.Until), in time order:
// what a period's report reads, in one query instead of one per case.
// Walled and restricted cases' changes are absent; a portal user gets
// the part of each that is the client's to see, as in History.
func (s *CaseService) StageChanges(ctx context.Context, filter StageFilter, opts *ListOptions) (Page[cases.StageChange], error) {
	var p Page[cases.StageChange]
	err := s.f.listVisible(ctx, access.CaseRead, access.Resource{Kind: "case"}, func(_ *op, tx storage.Tx, vis *storage.Visibility) (err error) {
		filter.Visible = vis
		p.Items, p.Next, err = tx.Stages().Between(ctx, filter, pageOf(opts))
		if err != nil || vis == nil || vis.Contact == "" {
			return err
		}
		for i := range p.Items {
			p.Items[i] = p.Items[i].Shared()
		}
		return nil
	})
	return p, err
}

func partyRes(p cases.Party) access.Resource {
	return access.Resource{Kind: "party", ID: string(p.ID), Case: string(p.Case)}
}

// AddParty adds a contact to a case in a role.
func (s *CaseService) AddParty(ctx context.Context, p cases.Party) (cases.Party, error) {
	f := s.f
	res := partyRes(p)
	err := f.run(ctx, access.CaseWrite, &res, true, func(o *op, tx storage.Tx) error {
		c, err := o.caseFor(ctx, tx, access.CaseWrite, res, p.Case, "Case")
		if err != nil {
			return err
		}
		if p.ID == "" {
			p.ID = cases.PartyID(f.newID())
		} else if err := cases.ValidateID("party", "ID", string(p.ID)); err != nil {
			return err
		}
		p.Version, p.Created, p.Updated = 1, o.at, o.at
		if err := p.Validate(); err != nil {
			return err
		}
		if _, err := tx.Contacts().Get(ctx, p.Contact); err != nil {
			return notFoundField("party", "Contact", "contact "+string(p.Contact), err)
		}
		if err := o.coClientChange(ctx, tx, res, &c, nil, &p); err != nil {
			return err
		}
		if _, err := tx.Parties().Get(ctx, p.ID); err == nil {
			return idTaken("party", storage.ErrExists)
		}
		if err := tx.Parties().Create(ctx, p); err != nil {
			if errors.Is(err, storage.ErrExists) {
				return &cases.FieldError{Record: "party", Field: "Role", Problem: fmt.Sprintf("contact %s is already %s on this case", p.Contact, p.Role), Err: err}
			}
			return err
		}
		return o.record(ctx, tx, "party.create", partyRes(p), "", auditDiff(nil, p))
	})
	if err != nil {
		return cases.Party{}, err
	}
	return p, nil
}

// coClientChange decides a change to a case's clients through its
// parties (a party added in, moved into or out of, or removed from the
// client role): it changes who may see the case, so it needs case.scope;
// a new co-client must not be one the actor is screened from; and a
// co-client an active wall names stays unless the actor may also lift
// walls (access.wall), since dropping it would lift the wall's screen
// from this case.
func (o *op) coClientChange(ctx context.Context, tx storage.Tx, res access.Resource, c *cases.Case, before, after *cases.Party) error {
	was := before != nil && before.Role == cases.RoleClient
	is := after != nil && after.Role == cases.RoleClient
	if was == is {
		return nil
	}
	if err := o.decideCase(ctx, tx, access.CaseScope, res, c); err != nil {
		return err
	}
	if is {
		r := res
		return o.decideOn(ctx, tx, access.CaseScope, &r, "", after.Contact)
	}
	walled, err := o.walledClient(ctx, tx, before.Contact)
	if err != nil || !walled {
		return err
	}
	return o.decide(ctx, tx, access.WallAdmin, res, nil)
}

// walledClient reports whether an active wall names the contact as a
// client.
func (o *op) walledClient(ctx context.Context, tx storage.Tx, k cases.ContactID) (bool, error) {
	found := false
	err := eachPage(func(p storage.Page) (string, error) {
		ws, next, err := tx.Walls().List(ctx, storage.WallFilter{Active: true}, p)
		for _, w := range ws {
			found = found || slices.Contains(w.Clients, string(k))
		}
		return next, err
	})
	return found, err
}

// partyOf returns a party of the case, or ErrNotFound when it is a party
// of another case: the actor learns nothing of other cases' parties.
func partyOf(ctx context.Context, tx storage.Tx, caseID cases.ID, id cases.PartyID) (cases.Party, error) {
	p, err := tx.Parties().Get(ctx, id)
	if errors.Is(err, storage.ErrNotFound) || err == nil && p.Case != caseID {
		return p, fmt.Errorf("party %s of case %s: %w", printable(string(id)), caseID, storage.ErrNotFound)
	}
	return p, err
}

// UpdateParty changes a party's role or notes. p.Version must be the
// version read; p.Case must be the party's case.
func (s *CaseService) UpdateParty(ctx context.Context, p cases.Party) (cases.Party, error) {
	f := s.f
	res := partyRes(p)
	err := f.run(ctx, access.CaseWrite, &res, true, func(o *op, tx storage.Tx) error {
		c, err := o.caseFor(ctx, tx, access.CaseWrite, res, p.Case, "Case")
		if err != nil {
			return err
		}
		if err := p.Validate(); err != nil {
			return err
		}
		old, err := partyOf(ctx, tx, p.Case, p.ID)
		if err != nil {
			return err
		}
		if old.Contact != p.Contact {
			return &cases.FieldError{Record: "party", Field: "Contact", Problem: "the case and contact of a party cannot change: add a new party"}
		}
		if err := o.coClientChange(ctx, tx, res, &c, &old, &p); err != nil {
			return err
		}
		if err := checkVersion("party", old.Version, p.Version); err != nil {
			return err
		}
		p.Created, p.Updated, p.Version = old.Created, o.at, old.Version+1
		if err := tx.Parties().Update(ctx, p); err != nil {
			return stale("party", err)
		}
		return o.record(ctx, tx, "party.update", partyRes(p), "", auditDiff(old, p))
	})
	if err != nil {
		return cases.Party{}, err
	}
	return p, nil
}

// RemoveParty removes a party from a case, added by mistake or no longer
// in it, with the reason. version must be the party's version as read. The
// audit entry keeps every field of the removed party.
func (s *CaseService) RemoveParty(ctx context.Context, caseID cases.ID, id cases.PartyID, version int64, reason string) error {
	res := partyRes(cases.Party{ID: id, Case: caseID})
	return s.f.run(ctx, access.CaseWrite, &res, true, func(o *op, tx storage.Tx) error {
		c, err := o.caseFor(ctx, tx, access.CaseWrite, res, caseID, "Case")
		if err != nil {
			return err
		}
		if err := cases.ValidateReason("party removal", reason); err != nil {
			return err
		}
		old, err := partyOf(ctx, tx, caseID, id)
		if err != nil {
			return err
		}
		if err := o.coClientChange(ctx, tx, res, &c, &old, nil); err != nil {
			return err
		}
		if err := checkVersion("party", old.Version, version); err != nil {
			return err
		}
		if err := tx.Parties().Delete(ctx, id, version); err != nil {
			return stale("party", err)
		}
		return o.record(ctx, tx, "party.delete", partyRes(old), reason, auditDiff(old, nil))
	})
}

// Parties returns the parties added to a case. The client is the case's
// Client field and is not repeated here. A client portal user sees who
// the parties are on their own case, without the firm's notes.
func (s *CaseService) Parties(ctx context.Context, id cases.ID) ([]cases.Party, error) {
	var out []cases.Party
	res := caseRes(id)
	err := s.f.run(ctx, access.CaseRead, &res, false, func(o *op, tx storage.Tx) error {
		if _, err := o.caseFor(ctx, tx, access.CaseRead, res, id, "ID"); err != nil {
			return err
		}
		err := eachPage(func(p storage.Page) (string, error) {
			items, next, err := tx.Parties().List(ctx, storage.PartyFilter{Case: id}, p)
			out = append(out, items...)
			return next, err
		})
		if err != nil {
			return err
		}
		return o.share(ctx, tx, func() {
			for i := range out {
				out[i] = out[i].Shared()
			}
		})
	})
	return out, err
}

// eachPage calls list with successive pages until the last.
func eachPage(list func(storage.Page) (string, error)) error {
	p := storage.Page{Limit: storage.MaxLimit}
	for {
		next, err := list(p)
		if err != nil || next == "" {
			return err
		}
		p.After = next
	}
}
