package docket

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// ExportCase writes a case's events and deadlines as an iCalendar file
// (see calendar.WriteICS), with the actor's reminder offsets as alarms.
func (s *CalendarService) ExportCase(ctx context.Context, id cases.ID) ([]byte, error) {
	f := s.f
	var out []byte
	res := caseRes(id)
	err := f.run(ctx, access.CalendarRead, &res, false, func(o *op, tx storage.Tx) error {
		c, err := o.caseFor(ctx, tx, access.CalendarRead, res, id, "ID")
		if err != nil {
			return err
		}
		x := calendar.Export{Name: c.Reference + " " + c.Title, Stamp: o.at, References: map[cases.ID]string{c.ID: c.Reference}}
		if err := eachPage(func(p storage.Page) (string, error) {
			items, next, err := tx.Events().List(ctx, storage.EventFilter{Case: id}, p)
			x.Events = append(x.Events, items...)
			return next, err
		}); err != nil {
			return err
		}
		if err := eachPage(func(p storage.Page) (string, error) {
			items, next, err := tx.Deadlines().List(ctx, storage.DeadlineFilter{Case: id}, p)
			x.Deadlines = append(x.Deadlines, items...)
			return next, err
		}); err != nil {
			return err
		}
		out, err = f.writeICS(ctx, tx, o, x, id)
		return err
	})
	return out, err
}

// ExportUser writes a user's diary as an iCalendar file: the events they
// attend and the open deadlines of the cases they lead or manage, among
// the cases the actor may see (walled and restricted ones are left out
// inside the storage query), with the actor's reminder offsets as alarms.
// Anyone may export their own diary; another's needs access.admin.
func (s *CalendarService) ExportUser(ctx context.Context, user access.UserID) ([]byte, error) {
	f := s.f
	var out []byte
	res := access.Resource{Kind: "user", ID: string(user)}
	err := f.run(ctx, access.CalendarRead, &res, false, func(o *op, tx storage.Tx) error {
		if err := o.decide(ctx, tx, access.CalendarRead, res, nil); err != nil {
			return err
		}
		if user != o.actor.ID {
			if err := o.decide(ctx, tx, access.AccessAdmin, res, nil); err != nil {
				return err
			}
		}
		vis, ok, err := o.visibility(ctx, tx)
		if err != nil || !ok {
			return err
		}
		x := calendar.Export{Name: "Diary of " + string(user), Stamp: o.at, References: map[cases.ID]string{}}
		if err := eachPage(func(p storage.Page) (string, error) {
			items, next, err := tx.Events().List(ctx, storage.EventFilter{Attendee: string(calendar.AttendeeUser) + ":" + string(user), Visible: vis}, p)
			x.Events = append(x.Events, items...)
			return next, err
		}); err != nil {
			return err
		}
		var led []cases.Case
		if err := eachPage(func(p storage.Page) (string, error) {
			items, next, err := tx.Cases().List(ctx, storage.CaseFilter{Status: cases.Open, Visible: vis}, p)
			for _, c := range items {
				if c.LeadAttorney == string(user) || c.CaseManager == string(user) {
					led = append(led, c)
				}
			}
			return next, err
		}); err != nil {
			return err
		}
		for _, c := range led {
			x.References[c.ID] = c.Reference
			if err := eachPage(func(p storage.Page) (string, error) {
				items, next, err := tx.Deadlines().List(ctx, storage.DeadlineFilter{Case: c.ID, Status: calendar.Open, Visible: vis}, p)
				x.Deadlines = append(x.Deadlines, items...)
				return next, err
			}); err != nil {
				return err
			}
		}
		for _, e := range x.Events {
			if _, ok := x.References[e.Case]; !ok {
				c, err := tx.Cases().Get(ctx, e.Case)
				if err != nil {
					return err
				}
				x.References[e.Case] = c.Reference
			}
		}
		out, err = f.writeICS(ctx, tx, o, x, "")
		return err
	})
	return out, err
}

// writeICS writes x with the actor's reminder offsets.
func (f *Firm) writeICS(ctx context.Context, tx storage.Tx, o *op, x calendar.Export, c cases.ID) ([]byte, error) {
	r, err := f.offsets(ctx, tx, string(o.actor.ID), c)
	if err != nil {
		return nil, err
	}
	x.EventAlarms, x.DeadlineAlarms = r.Events, r.Deadlines
	var buf bytes.Buffer
	if err := calendar.WriteICS(&buf, x); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ImportReport says what an import did.
type ImportReport struct {
	// Imported are the events created; Skipped the IDs of events already
	// on the case from an earlier import of the same UIDs.
	Imported []calendar.Event
	Skipped  []calendar.EventID
}

// ImportICS reads an iCalendar file into events on a case (see
// calendar.ParseICS), all in one transaction: a file that cannot be read
// imports nothing and fails with a *calendar.ICSError naming the problem.
// Events already imported (the same UID on the same case) are skipped,
// so importing a file twice stores its events once. Every event is
// audited; contacts and users are not matched from the file.
func (s *CalendarService) ImportICS(ctx context.Context, id cases.ID, r io.Reader, opts calendar.ImportOptions) (ImportReport, error) {
	f := s.f
	var rep ImportReport
	res := access.Resource{Kind: storage.KindEvent, Case: string(id)}
	err := f.run(ctx, access.CalendarWrite, &res, true, func(o *op, tx storage.Tx) error {
		c, err := o.caseFor(ctx, tx, access.CalendarWrite, res, id, "Case")
		if err != nil {
			return err
		}
		opts.Case = id
		if opts.TimeZone == "" {
			opts.TimeZone = "UTC"
		}
		events, err := calendar.ParseICS(r, opts)
		if err != nil {
			return err
		}
		for i := range events {
			e := &events[i]
			if _, err := tx.Events().Get(ctx, e.ID); err == nil {
				rep.Skipped = append(rep.Skipped, e.ID)
				continue
			} else if !errors.Is(err, storage.ErrNotFound) {
				return err
			}
			e.Version, e.Created, e.Updated = 1, o.at, o.at
			if err := tx.Events().Create(ctx, *e); err != nil {
				return fmt.Errorf("event %s: %w", e.ID, err)
			}
			if err := o.record(ctx, tx, "event.import", eventRes(e), "imported from iCalendar", auditDiff(nil, *e)); err != nil {
				return err
			}
			if err := f.remindEvent(ctx, tx, o, &c, e); err != nil {
				return err
			}
			rep.Imported = append(rep.Imported, *e)
		}
		return nil
	})
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}
