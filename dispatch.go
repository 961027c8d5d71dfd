package docket

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// Notifier delivers alerts: the embedding application supplies it (mail,
// SMS, a push service, a chat bot).
type Notifier interface {
	// Notify delivers one alert to its recipient. It must give up when
	// ctx ends: the dispatcher's hold on the alert ends then, and another
	// may send it. The alert's ID is the same on every attempt: a Notifier
	// that remembers the IDs it has sent delivers each alert exactly once
	// even when a dispatcher stops between sending it and recording that
	// it did (the alert is then claimed again once the claim lapses).
	Notify(ctx context.Context, a calendar.Alert) error
}

// DispatchOptions tune one pass of the dispatcher. The zero value gives
// the defaults.
type DispatchOptions struct {
	// Worker names this dispatcher in the claims it makes; defaults to a
	// random name per pass.
	Worker string
	// Lease is how long a claimed alert stays this dispatcher's before
	// another may take it over; defaults to 5 minutes.
	Lease time.Duration
	// Batch is how many alerts one pass claims; defaults to 100.
	Batch int
	// Retry is how long a failed delivery waits before it is tried
	// again; defaults to 5 minutes.
	Retry time.Duration
}

// MaxAttempts is how often an alert is tried before it is given up (and
// cancelled, with the last error).
const MaxAttempts = 10

// DispatchReport says what one pass did.
type DispatchReport struct {
	Escalated int // overdue deadlines escalated to their lead attorney
	Delivered int
	Failed    int // Notify returned an error; retried after Retry
	Cancelled int // the recipient may no longer see the case, or is inactive
	Lost      int // another dispatcher took the alert over meanwhile
}

// Dispatch runs one pass of the alert dispatcher; call it on a timer
// (every minute, say) from one or several processes. It escalates every
// open deadline whose period has ended to the case's lead attorney (or
// its case manager), then claims the alerts that are due, hands each to
// n, and records the outcome. An alert claimed by one dispatcher is not
// taken by another until its lease lapses, so two dispatchers at once, or
// one restarted, deliver each alert once (see Notifier for the one gap
// only the Notifier can close). An alert whose recipient may no longer
// see its case (a wall, a team change, a deactivated account) is cancelled,
// not sent. The actor needs calendar.dispatch (the built-in dispatcher
// role): the Notifier is handed every due alert of the firm, walled
// matters' included, so run it as a service account, never as a person.
// Every escalation and delivery is audited.
func (s *CalendarService) Dispatch(ctx context.Context, n Notifier, opts *DispatchOptions) (DispatchReport, error) {
	f := s.f
	var o DispatchOptions
	if opts != nil {
		o = *opts
	}
	if o.Worker == "" {
		o.Worker = "dispatcher-" + uuid.NewString()
	}
	if o.Lease <= 0 {
		o.Lease = 5 * time.Minute
	}
	if o.Batch <= 0 {
		o.Batch = 100
	}
	if o.Retry <= 0 {
		o.Retry = 5 * time.Minute
	}
	var rep DispatchReport
	res := access.Resource{Kind: "alert"}
	var claimed []calendar.Alert
	err := f.do(ctx, access.CalendarDispatch, res, true, func(op *op, tx storage.Tx) error {
		if n == nil {
			return &cases.FieldError{Record: "dispatch", Field: "Notifier", Problem: "is nil"}
		}
		esc, err := f.escalate(ctx, tx, op)
		if err != nil {
			return err
		}
		rep.Escalated = esc
		claimed, err = tx.Alerts().Claim(ctx, op.at, o.Worker, op.at.Add(o.Lease), o.Batch)
		return err
	})
	if err != nil {
		return rep, err
	}
	for _, a := range claimed {
		outcome, err := f.deliver(ctx, n, a, o)
		if err != nil {
			return rep, err
		}
		switch outcome {
		case calendar.Delivered:
			rep.Delivered++
		case calendar.Cancelled:
			rep.Cancelled++
		case calendar.Pending:
			rep.Failed++
		default:
			rep.Lost++
		}
	}
	return rep, nil
}

// escalate turns every open, overdue, unescalated deadline into an
// escalation alert to the case's lead attorney (or case manager).
func (f *Firm) escalate(ctx context.Context, tx storage.Tx, o *op) (int, error) {
	var overdue []calendar.Deadline
	err := eachPage(func(p storage.Page) (string, error) {
		items, next, err := tx.Deadlines().List(ctx, storage.DeadlineFilter{Status: calendar.Open, DueBefore: o.at, Unescalated: true}, p)
		overdue = append(overdue, items...)
		return next, err
	})
	if err != nil {
		return 0, err
	}
	escalated := 0
	for _, d := range overdue {
		c, err := tx.Cases().Get(ctx, d.Case)
		if err != nil {
			return 0, err
		}
		// The lead attorney, or if they may not see the case (walled since,
		// off a restricted team, inactive) the case manager.
		to := ""
		for _, u := range []string{c.LeadAttorney, c.CaseManager} {
			if u == "" {
				continue
			}
			probe := calendar.Alert{Case: d.Case, Recipient: u}
			ok, err := f.recipientSees(ctx, tx, &probe)
			if err != nil {
				return 0, err
			}
			if ok {
				to = u
				break
			}
		}
		before := d
		d.Escalated, d.Version, d.Updated = o.at, d.Version+1, o.at
		if err := tx.Deadlines().Update(ctx, d); errors.Is(err, storage.ErrConflict) {
			continue // another dispatcher escalated it, or someone resolved it, meanwhile
		} else if err != nil {
			return 0, err
		}
		escalated++
		reason := "overdue: escalated to " + to
		if to == "" {
			reason = "overdue: the case has no lead attorney or case manager who may see it to escalate to"
		} else {
			a := calendar.Alert{ID: calendar.AlertID(f.newID()), Case: d.Case, Kind: calendar.Escalation, Deadline: d.ID, Recipient: to, Due: o.at,
				Message: fmt.Sprintf("OVERDUE: %s (%s) was due %s (%s)", d.Title, c.Reference, d.Due, d.Citation), Status: calendar.Pending,
				Version: 1, Created: o.at, Updated: o.at}
			if err := tx.Alerts().Create(ctx, a); err != nil {
				return 0, err
			}
		}
		if err := o.record(ctx, tx, "deadline.escalate", deadlineRes(&d), reason, auditDiff(before, d)); err != nil {
			return 0, err
		}
	}
	return escalated, nil
}

// deliver hands one claimed alert to the notifier and records the
// outcome. Just before sending it checks, in one transaction, that the
// alert is still pending and still this dispatcher's (not cancelled by a
// change, not taken over after a lapsed lease) and that its recipient may
// still see the case, and renews the lease; the Notifier's context ends
// with that lease, so no other dispatcher can take the alert over while it
// is being sent. It returns the alert's new status, or "" when the alert
// is no longer this dispatcher's.
func (f *Firm) deliver(ctx context.Context, n Notifier, a calendar.Alert, opts DispatchOptions) (calendar.AlertStatus, error) {
	o, err := f.begin(ctx, access.CalendarDispatch)
	if err != nil {
		return "", err
	}
	var status calendar.AlertStatus
	record := func(tx storage.Tx, before, cur calendar.Alert) error {
		cur.Version, cur.Updated = cur.Version+1, o.at
		if err := tx.Alerts().Update(ctx, cur); err != nil {
			return err
		}
		return o.record(ctx, tx, access.Action("alert."+string(cur.Status)), access.Resource{Kind: storage.KindAlert, ID: string(cur.ID), Case: string(cur.Case)},
			cur.LastError, auditDiff(before, cur))
	}
	// Before sending: still ours, still pending, still for someone who may
	// see the case; renew the lease.
	send := false
	err = f.store.Update(ctx, func(tx storage.Tx) error {
		cur, err := tx.Alerts().Get(ctx, a.ID)
		if err != nil {
			return err
		}
		if cur.Status != calendar.Pending || cur.ClaimedBy != opts.Worker || cur.Version != a.Version {
			status = ""
			return nil
		}
		allowed, err := f.recipientSees(ctx, tx, &cur)
		if err != nil {
			return err
		}
		if !allowed {
			before := cur
			cur.Status, cur.LastError = calendar.Cancelled, "the recipient may no longer see the case"
			status = calendar.Cancelled
			return record(tx, before, cur)
		}
		cur.ClaimedUntil, cur.Version, cur.Updated = o.at.Add(opts.Lease), cur.Version+1, o.at
		if err := tx.Alerts().Update(ctx, cur); err != nil {
			return err
		}
		a, send = cur, true
		return nil
	})
	if err != nil || !send {
		if errors.Is(err, storage.ErrConflict) {
			return "", nil
		}
		return status, err
	}
	sendCtx, cancel := context.WithTimeout(ctx, opts.Lease)
	sendErr := n.Notify(sendCtx, a)
	cancel()
	o.at = f.now()
	err = f.store.Update(ctx, func(tx storage.Tx) error {
		cur, err := tx.Alerts().Get(ctx, a.ID)
		if err != nil {
			return err
		}
		if cur.ClaimedBy != opts.Worker || cur.Version != a.Version {
			status = ""
			return nil
		}
		before := cur
		switch {
		case sendErr != nil && cur.Attempts >= MaxAttempts:
			status = calendar.Cancelled
			cur.Status, cur.LastError = calendar.Cancelled, fmt.Sprintf("given up after %d attempts: %v", cur.Attempts, sendErr)
		case sendErr != nil:
			status = calendar.Pending
			cur.LastError, cur.ClaimedUntil = sendErr.Error(), o.at.Add(opts.Retry)
		default:
			status = calendar.Delivered
			cur.Status, cur.DeliveredAt, cur.LastError = calendar.Delivered, o.at, ""
		}
		return record(tx, before, cur)
	})
	if errors.Is(err, storage.ErrConflict) {
		return "", nil
	}
	return status, err
}

// recipientSees decides whether an alert's recipient may still read its
// case's calendar.
func (f *Firm) recipientSees(ctx context.Context, tx storage.Tx, a *calendar.Alert) (bool, error) {
	c, err := tx.Cases().Get(ctx, a.Case)
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if f.authz != nil {
		return f.authz.Authorize(ctx, access.Actor{ID: access.UserID(a.Recipient)}, access.CalendarRead, caseRes(c.ID)) == nil, nil
	}
	p, err := f.policy(ctx, tx)
	if err != nil {
		return false, err
	}
	facts, err := caseFacts(ctx, tx, &c)
	if err != nil {
		return false, err
	}
	return p.Decide(access.UserID(a.Recipient), access.CalendarRead, facts).Allowed, nil
}
