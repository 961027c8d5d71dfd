package docket

import (
	"context"
	"fmt"
	"slices"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// IntakeService records prospective clients' first contact with the firm
// and the meetings held with clients.
type IntakeService struct{ f *Firm }

func intakeRes(id cases.IntakeID) access.Resource {
	return access.Resource{Kind: storage.KindIntake, ID: string(id)}
}

// IntakeFilter narrows an intake list.
type IntakeFilter = storage.IntakeFilter

// MeetingFilter narrows a meeting list.
type MeetingFilter = storage.MeetingFilter

// Take records a new intake for a prospective client who is already a
// contact. It starts open, taken by the actor. A user screened from the
// prospect by an ethical wall may not take it.
func (s *IntakeService) Take(ctx context.Context, in cases.Intake) (cases.Intake, error) {
	f := s.f
	res := intakeRes(in.ID)
	err := f.run(ctx, access.IntakeWrite, &res, true, func(o *op, tx storage.Tx) error {
		if err := o.decideOn(ctx, tx, access.IntakeWrite, &res, "", in.Prospect); err != nil {
			return err
		}
		if in.ID == "" {
			in.ID = cases.IntakeID(f.newID())
		} else if err := cases.ValidateID("intake", "ID", string(in.ID)); err != nil {
			return err
		}
		in.Status, in.Case, in.ConflictCheck = cases.IntakeOpen, "", ""
		in.TakenBy, in.Version, in.Created, in.Updated = string(o.actor.ID), 1, o.at, o.at
		if err := f.validateIntake(&in); err != nil {
			return err
		}
		if err := checkIntakeRefs(ctx, tx, &in); err != nil {
			return err
		}
		if err := tx.Intakes().Create(ctx, in); err != nil {
			return idTaken("intake", err)
		}
		return o.record(ctx, tx, "intake.create", intakeRes(in.ID), "", auditDiff(nil, in))
	})
	if err != nil {
		return cases.Intake{}, err
	}
	return in, nil
}

func (f *Firm) validateIntake(in *cases.Intake) error {
	if err := in.Validate(); err != nil {
		return err
	}
	if in.CaseType != "" {
		if _, ok := f.workflows[in.CaseType]; !ok {
			return &cases.FieldError{Record: "intake", Field: "CaseType", Problem: "\"" + in.CaseType + "\" is not a known case type"}
		}
	}
	return nil
}

func sameAdverse(a, b cases.AdverseParty) bool {
	return a.Name == b.Name && a.Kind == b.Kind && a.Contact == b.Contact && a.Role == b.Role && slices.Equal(a.Aliases, b.Aliases)
}

func checkIntakeRefs(ctx context.Context, tx storage.Tx, in *cases.Intake) error {
	if _, err := tx.Contacts().Get(ctx, in.Prospect); err != nil {
		return notFoundField("intake", "Prospect", "contact "+string(in.Prospect), err)
	}
	for i, a := range in.Adverse {
		if a.Contact != "" {
			if _, err := tx.Contacts().Get(ctx, a.Contact); err != nil {
				return notFoundField("intake", "Adverse["+itoa(i)+"].Contact", "contact "+string(a.Contact), err)
			}
		}
	}
	return nil
}

// intakeFor looks up the intake an operation is about and decides action
// on it: on the case it became, else on its prospect, so a wall on either
// covers it. An intake that does not exist is refused alike.
func (o *op) intakeFor(ctx context.Context, tx storage.Tx, action access.Action, res *access.Resource, id cases.IntakeID) (cases.Intake, error) {
	in, err := tx.Intakes().Get(ctx, id)
	if err != nil {
		return in, o.missing(ctx, tx, action, *res, "intake "+printable(string(id)), err)
	}
	return in, o.decideOn(ctx, tx, action, res, in.Case, in.Prospect)
}

// Get returns an intake. An intake is decided on the case it became, else
// on its prospect: one screened from either is denied it.
func (s *IntakeService) Get(ctx context.Context, id cases.IntakeID) (cases.Intake, error) {
	return readOne(ctx, s.f, access.IntakeRead, intakeRes(id), func(o *op, tx storage.Tx, res *access.Resource) (cases.Intake, error) {
		return o.intakeFor(ctx, tx, access.IntakeRead, res, id)
	})
}

// Update changes an open intake's answers, follow-ups and adverse parties.
// in.Version must be the version read. Status, case and conflict check
// change only through opening a case and deciding the check. An intake
// that was accepted or declined is a record and is not edited. Changing the
// adverse parties detaches the intake's conflict check, whose search no
// longer covers them: run a new one before opening the case.
func (s *IntakeService) Update(ctx context.Context, in cases.Intake) (cases.Intake, error) {
	f := s.f
	res := intakeRes(in.ID)
	err := f.run(ctx, access.IntakeWrite, &res, true, func(o *op, tx storage.Tx) error {
		old, err := o.intakeFor(ctx, tx, access.IntakeWrite, &res, in.ID)
		if err != nil {
			return err
		}
		if err := f.validateIntake(&in); err != nil {
			return err
		}
		if err := checkVersion("intake", old.Version, in.Version); err != nil {
			return err
		}
		switch {
		case old.Status != cases.IntakeOpen:
			return &cases.FieldError{Record: "intake", Field: "Status", Problem: fmt.Sprintf("the intake is %s and is kept as it was", old.Status)}
		case in.Status != old.Status:
			return &cases.FieldError{Record: "intake", Field: "Status", Problem: "changes when a case is opened from the intake or its conflict check is declined"}
		case in.Case != old.Case:
			return &cases.FieldError{Record: "intake", Field: "Case", Problem: "is set when a case is opened from the intake"}
		case in.ConflictCheck != old.ConflictCheck:
			return &cases.FieldError{Record: "intake", Field: "ConflictCheck", Problem: "is set when a conflict check is run"}
		case in.Prospect != old.Prospect:
			return &cases.FieldError{Record: "intake", Field: "Prospect", Problem: "cannot change: take a new intake"}
		}
		if err := checkIntakeRefs(ctx, tx, &in); err != nil {
			return err
		}
		reason := ""
		if !slices.EqualFunc(in.Adverse, old.Adverse, sameAdverse) && in.ConflictCheck != "" {
			in.ConflictCheck = ""
			reason = "adverse parties changed: the conflict check must be run again"
		}
		in.TakenBy, in.Created, in.Updated, in.Version = old.TakenBy, old.Created, o.at, old.Version+1
		if err := tx.Intakes().Update(ctx, in); err != nil {
			return stale("intake", err)
		}
		return o.record(ctx, tx, "intake.update", intakeRes(in.ID), reason, auditDiff(old, in))
	})
	if err != nil {
		return cases.Intake{}, err
	}
	return in, nil
}

// List returns one page of intakes in ID order, leaving out those that
// became cases the actor may not see.
func (s *IntakeService) List(ctx context.Context, filter IntakeFilter, opts *ListOptions) (Page[cases.Intake], error) {
	var p Page[cases.Intake]
	err := s.f.listVisible(ctx, access.IntakeRead, access.Resource{Kind: "intake"}, func(_ *op, tx storage.Tx, vis *storage.Visibility) (err error) {
		filter.Visible = vis
		p.Items, p.Next, err = tx.Intakes().List(ctx, filter, pageOf(opts))
		return err
	})
	return p, err
}

func meetingRes(m cases.Meeting) access.Resource {
	return access.Resource{Kind: storage.KindMeeting, ID: string(m.ID), Case: string(m.Case)}
}

// RecordMeeting records a meeting held with a client or prospect. A
// meeting record is not edited afterwards. It is decided on everything
// it belongs to: its case, its intake (and the case that became) and its
// contact; a wall on any of them bars it.
func (s *IntakeService) RecordMeeting(ctx context.Context, m cases.Meeting) (cases.Meeting, error) {
	f := s.f
	res := meetingRes(m)
	err := f.run(ctx, access.IntakeWrite, &res, true, func(o *op, tx storage.Tx) error {
		if m.Case != "" {
			if _, err := o.caseFor(ctx, tx, access.IntakeWrite, res, m.Case, "Case"); err != nil {
				return err
			}
		}
		if m.Intake != "" {
			if _, err := o.intakeFor(ctx, tx, access.IntakeWrite, &res, m.Intake); err != nil {
				return err
			}
		}
		if err := o.decideOn(ctx, tx, access.IntakeWrite, &res, "", m.Contact); err != nil {
			return err
		}
		if m.ID == "" {
			m.ID = cases.MeetingID(f.newID())
		} else if err := cases.ValidateID("meeting", "ID", string(m.ID)); err != nil {
			return err
		}
		m.At = m.At.UTC().Truncate(audit.Timestamp)
		m.Attendees = slices.Clone(m.Attendees)
		m.RecordedBy, m.Created = string(o.actor.ID), o.at
		if err := m.Validate(); err != nil {
			return err
		}
		if _, err := tx.Contacts().Get(ctx, m.Contact); err != nil {
			return notFoundField("meeting", "Contact", "contact "+string(m.Contact), err)
		}
		if err := tx.Meetings().Create(ctx, m); err != nil {
			return idTaken("meeting", err)
		}
		return o.record(ctx, tx, "meeting.create", meetingRes(m), "", auditDiff(nil, m))
	})
	if err != nil {
		return cases.Meeting{}, err
	}
	return m, nil
}

// Meetings returns one page of meetings in ID (recording) order, leaving
// out meetings about cases the actor may not see.
func (s *IntakeService) Meetings(ctx context.Context, filter MeetingFilter, opts *ListOptions) (Page[cases.Meeting], error) {
	var p Page[cases.Meeting]
	err := s.f.listVisible(ctx, access.IntakeRead, access.Resource{Kind: "meeting", Case: string(filter.Case)}, func(_ *op, tx storage.Tx, vis *storage.Visibility) (err error) {
		filter.Visible = vis
		p.Items, p.Next, err = tx.Meetings().List(ctx, filter, pageOf(opts))
		return err
	})
	return p, err
}
