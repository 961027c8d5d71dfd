package storagetest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// testCalendar: courts, events with their attendees, triggers, deadlines,
// alerts and reminder settings round-trip, keep their versions, filter,
// and refuse records of a case that does not exist.
func testCalendar(t *testing.T, s storage.Store) {
	ctx := context.Background()
	client := seedContact(t, s)
	kase := seedCase(t, s, client.ID)
	other := makeCase(2, client.ID)
	update(t, s, func(tx storage.Tx) error { return tx.Cases().Create(ctx, other) })
	at := func(h int) time.Time { return base.Add(time.Duration(h) * time.Hour).Truncate(time.Microsecond) }

	t.Run("Courts", func(t *testing.T) {
		c := calendar.Court{ID: "nysd", Name: "S.D.N.Y.", TimeZone: "America/New_York", Holidays: []string{"us-federal"},
			StateHolidays: []string{"us-ny"}, Cutoff: 17 * 60, JudgeCutoffs: map[string]calendar.Clock{"Hon. A": 12 * 60},
			Closures: []calendar.Closure{{Date: cases.MustDate("2025-01-09"), Kind: calendar.ClosureDeclared, Reason: "mourning", Source: "EO"}},
			OpensAt:  9 * 60, ClosesAt: 17 * 60, Version: 1, Created: base, Updated: base}
		update(t, s, func(tx storage.Tx) error { return tx.Courts().Create(ctx, c) })
		err := s.Update(ctx, func(tx storage.Tx) error { return tx.Courts().Create(ctx, c) })
		wantErr(t, "a court twice", err, storage.ErrExists)
		c2 := c
		c2.Cutoff, c2.Version, c2.Updated = 16*60, 2, base.Add(time.Hour)
		update(t, s, func(tx storage.Tx) error { return tx.Courts().Update(ctx, c2) })
		err = s.Update(ctx, func(tx storage.Tx) error { return tx.Courts().Update(ctx, c2) })
		wantErr(t, "a stale court", err, storage.ErrConflict)
		view(t, s, func(tx storage.Tx) error {
			got, err := tx.Courts().Get(ctx, "nysd")
			if err != nil {
				return err
			}
			want, _ := json.Marshal(c2)
			have, _ := json.Marshal(got)
			if d := cmp.Diff(string(want), string(have)); d != "" {
				t.Errorf("court (-want +got):\n%s", d)
			}
			list, _, err := tx.Courts().List(ctx, storage.Page{})
			if err != nil || len(list) != 1 {
				t.Errorf("courts: %d, %v", len(list), err)
			}
			_, err = tx.Courts().Get(ctx, "nowhere")
			wantErr(t, "a missing court", err, storage.ErrNotFound)
			return nil
		})
	})

	ev := func(id string, c cases.ID, start, hours int, who ...string) calendar.Event {
		e := calendar.Event{ID: calendar.EventID(id), Case: c, Kind: calendar.MotionHearing, Title: "Hearing " + id, Start: at(start), End: at(start + hours),
			TimeZone: "America/New_York", Court: "nysd", Courtroom: "11A", Status: calendar.Scheduled, Notes: "bring exhibits", Version: 1, Created: base, Updated: base}
		for _, w := range who {
			e.Attendees = append(e.Attendees, calendar.Attendee{Kind: calendar.AttendeeUser, ID: w, Name: w})
		}
		return e
	}
	t.Run("Events", func(t *testing.T) {
		exercise(t, s, repo[calendar.Event]{
			make: func(i int) calendar.Event { return ev(newID(), kase.ID, i, 1, "alice") },
			id:   func(e calendar.Event) string { return string(e.ID) },
			create: func(ctx context.Context, tx storage.Tx, e calendar.Event) error {
				return tx.Events().Create(ctx, e)
			},
			get: func(ctx context.Context, tx storage.Tx, id string) (calendar.Event, error) {
				return tx.Events().Get(ctx, calendar.EventID(id))
			},
			update: func(ctx context.Context, tx storage.Tx, e calendar.Event) error { return tx.Events().Update(ctx, e) },
			list: func(ctx context.Context, tx storage.Tx, p storage.Page) ([]calendar.Event, string, error) {
				return tx.Events().List(ctx, storage.EventFilter{Case: kase.ID}, p)
			},
			change: func(e calendar.Event, v int64) calendar.Event {
				e.Start, e.End, e.Status, e.Sequence, e.Version = e.Start.Add(time.Hour), e.End.Add(time.Hour), calendar.Moved, e.Sequence+1, v
				e.Attendees = append(e.Attendees, calendar.Attendee{Kind: calendar.AttendeeRoom, ID: "4b"})
				return e
			},
		})
		orphan := ev(newID(), cases.ID(newID()), 1, 1)
		err := s.Update(ctx, func(tx storage.Tx) error { return tx.Events().Create(ctx, orphan) })
		wantErr(t, "an event on a missing case", err, storage.ErrNotFound)

		// A diary: who attends what, when, and what is off the calendar.
		diary := []calendar.Event{ev("d1", other.ID, 100, 2, "bob"), ev("d2", other.ID, 101, 2, "bob", "carol"), ev("d3", other.ID, 110, 1, "carol"),
			ev("d4", other.ID, 100, 8, "bob")}
		diary[3].Status = calendar.Vacated
		update(t, s, func(tx storage.Tx) error {
			for _, e := range diary {
				if err := tx.Events().Create(ctx, e); err != nil {
					return err
				}
			}
			return nil
		})
		// Bob leaves d2; Dave takes his place.
		moved := diary[1]
		moved.Attendees = []calendar.Attendee{{Kind: calendar.AttendeeUser, ID: "carol"}, {Kind: calendar.AttendeeUser, ID: "dave"}}
		moved.Version = 2
		update(t, s, func(tx storage.Tx) error { return tx.Events().Update(ctx, moved) })
		ids := func(f storage.EventFilter) []string {
			var out []string
			view(t, s, func(tx storage.Tx) error {
				return eachItem(func(p storage.Page) (string, error) {
					items, next, err := tx.Events().List(ctx, f, p)
					for _, e := range items {
						out = append(out, string(e.ID))
					}
					return next, err
				})
			})
			return out
		}
		for _, tc := range []struct {
			name string
			f    storage.EventFilter
			want []string
		}{
			{"bob's diary", storage.EventFilter{Attendee: "user:bob"}, []string{"d1", "d4"}},
			{"bob's busy diary", storage.EventFilter{Attendee: "user:bob", Busy: true}, []string{"d1"}},
			{"dave's", storage.EventFilter{Attendee: "user:dave"}, []string{"d2"}},
			{"overlapping 10:00-11:00 on day 5", storage.EventFilter{Case: other.ID, From: at(101), Until: at(102)}, []string{"d1", "d2", "d4"}},
			{"ending as the window opens", storage.EventFilter{Case: other.ID, From: at(102), Until: at(103)}, []string{"d2", "d4"}},
			{"a later window", storage.EventFilter{Case: other.ID, From: at(109), Until: at(200), Busy: true}, []string{"d3"}},
		} {
			if d := cmp.Diff(tc.want, ids(tc.f)); d != "" {
				t.Errorf("%s (-want +got):\n%s", tc.name, d)
			}
		}
	})

	t.Run("Triggers", func(t *testing.T) {
		exercise(t, s, repo[calendar.Trigger]{
			make: func(i int) calendar.Trigger {
				return calendar.Trigger{ID: calendar.TriggerID(newID()), Case: kase.ID, Event: "summons-served", Date: cases.Date{Year: 2026, Month: 3, Day: i},
					Service: calendar.ServiceMail, Facts: []string{"us-party"}, Court: "nysd", RuleSets: []string{"frcp"}, RecordedBy: "alice", On: "ev-sentencing",
					Version: 1, Created: base, Updated: base}
			},
			id: func(x calendar.Trigger) string { return string(x.ID) },
			create: func(ctx context.Context, tx storage.Tx, x calendar.Trigger) error {
				return tx.Triggers().Create(ctx, x)
			},
			get: func(ctx context.Context, tx storage.Tx, id string) (calendar.Trigger, error) {
				return tx.Triggers().Get(ctx, calendar.TriggerID(id))
			},
			update: func(ctx context.Context, tx storage.Tx, x calendar.Trigger) error {
				return tx.Triggers().Update(ctx, x)
			},
			list: func(ctx context.Context, tx storage.Tx, p storage.Page) ([]calendar.Trigger, string, error) {
				return tx.Triggers().List(ctx, kase.ID, p)
			},
			change: func(x calendar.Trigger, v int64) calendar.Trigger {
				x.Date, x.At, x.Version, x.Updated = x.Date.AddDays(3), at(5), v, base.Add(time.Hour)
				return x
			},
		})
	})

	dl := func(i int, status calendar.DeadlineStatus, trigger calendar.TriggerID, due time.Time) calendar.Deadline {
		return calendar.Deadline{ID: calendar.DeadlineID(fmt.Sprintf("dl-%02d", i)), Case: kase.ID, Trigger: trigger, RuleSet: "frcp", Rule: "answer",
			Title: "Answer", Citation: "Fed. R. Civ. P. 12(a)(1)(A)(i)", Court: "nysd", Due: calendar.DateOf(due), DueAt: due, Status: status,
			Explanation: calendar.Explanation{RuleSet: "frcp", Version: "2016-12-01", Rule: "answer", Count: "21 days", Rolls: []calendar.Roll{
				{From: cases.MustDate("2026-07-03"), To: cases.MustDate("2026-07-04"), Reason: "2026-07-03 is Independence Day, observed"}}},
			Version: 1, Created: base, Updated: base}
	}
	t.Run("Deadlines", func(t *testing.T) {
		exercise(t, s, repo[calendar.Deadline]{
			make: func(i int) calendar.Deadline {
				d := dl(0, calendar.Open, "t1", at(24*i))
				d.ID = calendar.DeadlineID(newID())
				return d
			},
			id: func(d calendar.Deadline) string { return string(d.ID) },
			create: func(ctx context.Context, tx storage.Tx, d calendar.Deadline) error {
				return tx.Deadlines().Create(ctx, d)
			},
			get: func(ctx context.Context, tx storage.Tx, id string) (calendar.Deadline, error) {
				return tx.Deadlines().Get(ctx, calendar.DeadlineID(id))
			},
			update: func(ctx context.Context, tx storage.Tx, d calendar.Deadline) error {
				return tx.Deadlines().Update(ctx, d)
			},
			list: func(ctx context.Context, tx storage.Tx, p storage.Page) ([]calendar.Deadline, string, error) {
				return tx.Deadlines().List(ctx, storage.DeadlineFilter{Case: kase.ID}, p)
			},
			change: func(d calendar.Deadline, v int64) calendar.Deadline {
				d.Status, d.ResolvedBy, d.ResolvedAt, d.Reason, d.Version = calendar.Done, "alice", at(3), "answer filed", v
				return d
			},
		})
		update(t, s, func(tx storage.Tx) error {
			for i, d := range []calendar.Deadline{dl(1, calendar.Open, "t2", at(10)), dl(2, calendar.Open, "t2", at(20)), dl(3, calendar.Done, "t3", at(5)), dl(4, calendar.Open, "t3", at(30))} {
				if i == 1 {
					d.Escalated = at(21)
				}
				if err := tx.Deadlines().Create(ctx, d); err != nil {
					return err
				}
			}
			return nil
		})
		ids := func(f storage.DeadlineFilter) []string {
			var out []string
			view(t, s, func(tx storage.Tx) error {
				return eachItem(func(p storage.Page) (string, error) {
					items, next, err := tx.Deadlines().List(ctx, f, p)
					for _, d := range items {
						if d.ID[0] == 'd' {
							out = append(out, string(d.ID))
						}
					}
					return next, err
				})
			})
			return out
		}
		for _, tc := range []struct {
			name string
			f    storage.DeadlineFilter
			want []string
		}{
			{"of a trigger", storage.DeadlineFilter{Trigger: "t2"}, []string{"dl-01", "dl-02"}},
			{"open and overdue at hour 25, not escalated", storage.DeadlineFilter{Status: calendar.Open, DueBefore: at(25), Unescalated: true}, []string{"dl-01"}},
			{"due from hour 20", storage.DeadlineFilter{Case: kase.ID, DueFrom: at(20), Trigger: "t3"}, []string{"dl-04"}},
		} {
			if d := cmp.Diff(tc.want, ids(tc.f)); d != "" {
				t.Errorf("%s (-want +got):\n%s", tc.name, d)
			}
		}
	})

	t.Run("Alerts", func(t *testing.T) { testAlerts(t, s, kase.ID) })

	t.Run("Reminders", func(t *testing.T) {
		r := calendar.Reminders{Scope: "case:" + string(kase.ID), Deadlines: []time.Duration{48 * time.Hour}, Events: []time.Duration{time.Hour}, Version: 1, Updated: base}
		view(t, s, func(tx storage.Tx) error {
			_, err := tx.Reminders().Get(ctx, r.Scope)
			wantErr(t, "settings never put", err, storage.ErrNotFound)
			return nil
		})
		update(t, s, func(tx storage.Tx) error { return tx.Reminders().Put(ctx, r) })
		err := s.Update(ctx, func(tx storage.Tx) error { return tx.Reminders().Put(ctx, r) })
		wantErr(t, "new settings twice", err, storage.ErrExists)
		r2 := r
		r2.Deadlines, r2.Version = []time.Duration{72 * time.Hour, 24 * time.Hour}, 2
		update(t, s, func(tx storage.Tx) error { return tx.Reminders().Put(ctx, r2) })
		err = s.Update(ctx, func(tx storage.Tx) error { return tx.Reminders().Put(ctx, r2) })
		wantErr(t, "stale settings", err, storage.ErrConflict)
		view(t, s, func(tx storage.Tx) error {
			got, err := tx.Reminders().Get(ctx, r.Scope)
			if d := cmp.Diff(r2, got); d != "" || err != nil {
				t.Errorf("settings (-want +got) %v:\n%s", err, d)
			}
			return nil
		})
	})
}

// testAlerts: alerts are claimed when due, by one dispatcher at a time,
// earliest first; a lapsed claim may be taken over; delivered alerts are
// not claimed again. Two dispatchers claiming at once split the due
// alerts between them, none twice.
func testAlerts(t *testing.T, s storage.Store, c cases.ID) {
	ctx := context.Background()
	mk := func(i int, due time.Time) calendar.Alert {
		return calendar.Alert{ID: calendar.AlertID(fmt.Sprintf("a-%03d", i)), Case: c, Kind: calendar.Reminder, Deadline: "dl-x", Recipient: "alice",
			Due: due, Offset: 48 * time.Hour, Message: "Answer due", Status: calendar.Pending, Version: 1, Created: base, Updated: base}
	}
	update(t, s, func(tx storage.Tx) error {
		for i := range 5 {
			if err := tx.Alerts().Create(ctx, mk(i, base.Add(time.Duration(5-i)*time.Minute))); err != nil {
				return err
			}
		}
		return nil
	})
	claim := func(now time.Time, worker string, limit int) []string {
		t.Helper()
		var out []string
		update(t, s, func(tx storage.Tx) error {
			got, err := tx.Alerts().Claim(ctx, now, worker, now.Add(time.Minute), limit)
			for _, a := range got {
				if a.ClaimedBy != worker || a.Attempts < 1 {
					t.Errorf("claimed %+v", a)
				}
				out = append(out, string(a.ID))
			}
			return err
		})
		return out
	}
	// At base+3m alerts 2, 3 and 4 are due (due at +3m, +2m, +1m): the
	// earliest first, up to the limit.
	if d := cmp.Diff([]string{"a-004", "a-003"}, claim(base.Add(3*time.Minute), "w1", 2)); d != "" {
		t.Errorf("first claim (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"a-002"}, claim(base.Add(3*time.Minute), "w2", 10)); d != "" {
		t.Errorf("second claim while the first holds (-want +got):\n%s", d)
	}
	// w1 delivers a-004; its claim on a-003 lapses and w2 takes it over.
	update(t, s, func(tx storage.Tx) error {
		a, err := tx.Alerts().Get(ctx, "a-004")
		if err != nil {
			return err
		}
		a.Status, a.DeliveredAt, a.Version = calendar.Delivered, base.Add(3*time.Minute), a.Version+1
		return tx.Alerts().Update(ctx, a)
	})
	if d := cmp.Diff([]string{"a-003", "a-002", "a-001"}, claim(base.Add(10*time.Minute), "w2", 3)); d != "" {
		t.Errorf("after the claims lapsed (-want +got):\n%s", d)
	}

	// Two dispatchers at once over 200 due alerts.
	update(t, s, func(tx storage.Tx) error {
		for i := 100; i < 300; i++ {
			if err := tx.Alerts().Create(ctx, mk(i, base.Add(-time.Hour))); err != nil {
				return err
			}
		}
		return nil
	})
	now := base.Add(10*time.Minute + 30*time.Second) // a-000 and the 200 are due; w2 still holds 1 to 3
	var mu sync.Mutex
	seen := map[string]string{}
	var wg sync.WaitGroup
	for _, w := range []string{"left", "right"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				var got []calendar.Alert
				err := s.Update(ctx, func(tx storage.Tx) (err error) {
					got, err = tx.Alerts().Claim(ctx, now, w, now.Add(time.Hour), 7)
					return err
				})
				if err != nil {
					t.Errorf("%s: %v", w, err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, a := range got {
					if prev, dup := seen[string(a.ID)]; dup {
						t.Errorf("%s claimed %s, already claimed by %s", w, a.ID, prev)
					}
					seen[string(a.ID)] = w
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != 201 {
		ids := slices.Sorted(func(yield func(string) bool) {
			for k := range seen {
				if !yield(k) {
					return
				}
			}
		})
		t.Errorf("the two dispatchers claimed %d alerts, want 201: %v", len(seen), ids)
	}
	view(t, s, func(tx storage.Tx) error {
		items, _, err := tx.Alerts().List(ctx, storage.AlertFilter{Status: calendar.Delivered}, storage.Page{})
		if err != nil || len(items) != 1 || items[0].ID != "a-004" {
			t.Errorf("delivered alerts: %+v %v", items, err)
		}
		return nil
	})
}
