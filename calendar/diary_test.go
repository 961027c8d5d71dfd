package calendar_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket/calendar"
)

func ev(id string, start time.Time, minutes int, loc string, who ...string) calendar.Event {
	e := calendar.Event{ID: calendar.EventID(id), Start: start, End: start.Add(time.Duration(minutes) * time.Minute), Status: calendar.Scheduled, Location: loc}
	for _, w := range who {
		kind, id := calendar.AttendeeUser, w
		if w[0] == '#' {
			kind, id = calendar.AttendeeRoom, w[1:]
		}
		e.Attendees = append(e.Attendees, calendar.Attendee{Kind: kind, ID: id})
	}
	return e
}

func TestDoubleBookings(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 3, 2, h, m, 0, 0, time.UTC) }
	events := []calendar.Event{
		ev("hearing", at(9, 0), 60, "courthouse", "alice", "#4b"),
		ev("deposition", at(9, 30), 120, "office", "alice", "bob"),
		ev("meeting", at(10, 0), 30, "office", "bob", "#4b"),
		ev("back-to-back", at(11, 30), 30, "office", "bob"), // starts as the deposition ends
		ev("vacated", at(9, 0), 600, "office", "alice"),
	}
	events[4].Status = calendar.Vacated
	got := calendar.DoubleBookings(events)
	want := []calendar.DoubleBooking{
		{Resource: "user:alice", First: "hearing", Second: "deposition", Start: at(9, 30), End: at(10, 0)},
		{Resource: "user:bob", First: "deposition", Second: "meeting", Start: at(10, 0), End: at(10, 30)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("double bookings (-want +got):\n%s", diff)
	}
}

// TestDoubleBookingsAgainstBruteForce compares the sweep with checking
// every pair, on random diaries.
func TestDoubleBookingsAgainstBruteForce(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 3))
	base := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	people := []string{"a", "b", "c", "d", "#r1", "#r2"}
	for round := range 200 {
		var events []calendar.Event
		for i := range rng.IntN(40) {
			var who []string
			for _, p := range people {
				if rng.IntN(3) == 0 {
					who = append(who, p)
				}
			}
			e := ev(fmt.Sprintf("e%02d", i), base.Add(time.Duration(rng.IntN(48))*15*time.Minute), 15*(1+rng.IntN(12)), "x", who...)
			if rng.IntN(8) == 0 {
				e.Status = calendar.Vacated
			}
			events = append(events, e)
		}
		type pair struct{ key, a, b string }
		want := map[pair]bool{}
		for i := range events {
			for j := range events {
				x, y := &events[i], &events[j]
				if i >= j || !x.Busy() || !y.Busy() || !x.Start.Before(y.End) || !y.Start.Before(x.End) {
					continue
				}
				for _, ax := range x.Attendees {
					for _, ay := range y.Attendees {
						if ax.Key() == ay.Key() {
							a, b := string(x.ID), string(y.ID)
							if b < a {
								a, b = b, a
							}
							want[pair{ax.Key(), a, b}] = true
						}
					}
				}
			}
		}
		got := map[pair]bool{}
		for _, db := range calendar.DoubleBookings(events) {
			a, b := string(db.First), string(db.Second)
			if b < a {
				a, b = b, a
			}
			if got[pair{db.Resource, a, b}] {
				t.Fatalf("round %d: %v reported twice", round, db)
			}
			got[pair{db.Resource, a, b}] = true
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("round %d: sweep vs every pair (-want +got):\n%s", round, diff)
		}
	}
}

func TestFindSlot(t *testing.T) {
	lib := testLibrary(t)
	c := court(t, lib, calendar.Court{})
	ny := c.Location()
	at := func(day, h, m int) time.Time { return time.Date(2026, 7, day, h, m, 0, 0, ny) }
	diary := []calendar.Event{
		ev("hearing", at(1, 9, 0), 120, "courthouse", "alice"),
		ev("depo", at(1, 13, 0), 240, "office", "bob"),
		ev("room-busy", at(1, 11, 0), 60, "office", "#4b"),
		ev("alice-pm", at(1, 14, 30), 150, "office", "alice"),
	}
	tests := []struct {
		name string
		req  calendar.SlotRequest
		want time.Time
		ok   bool
	}{
		{"first gap for both", calendar.SlotRequest{Duration: time.Hour, Attendees: []string{"user:alice", "user:bob"}, Earliest: at(1, 8, 0), Location: "office"},
			at(1, 11, 0), true},
		{"the travel buffer keeps alice from leaving court at once", calendar.SlotRequest{Duration: time.Hour, Attendees: []string{"user:alice", "user:bob"}, Earliest: at(1, 8, 0), Location: "office", Travel: 30 * time.Minute},
			at(1, 11, 30), true},
		{"the room too", calendar.SlotRequest{Duration: time.Hour, Attendees: []string{"user:alice", "user:bob", "room:4b"}, Earliest: at(1, 8, 0), Location: "office"},
			at(1, 12, 0), true},
		{"a long meeting goes to the next court day: 3 July is Independence Day observed, then a weekend", calendar.SlotRequest{Duration: 5 * time.Hour, Attendees: []string{"user:alice", "user:bob"}, Earliest: at(1, 8, 0), Location: "office"},
			at(2, 9, 0), true},
		{"after a given instant", calendar.SlotRequest{Duration: 8 * time.Hour, Attendees: []string{"user:alice"}, Earliest: at(2, 9, 1), Location: "office"},
			at(6, 9, 0), true},
		{"none before the deadline", calendar.SlotRequest{Duration: 8 * time.Hour, Attendees: []string{"user:alice"}, Earliest: at(2, 9, 1), Latest: d("2026-07-05"), Location: "office"},
			time.Time{}, false},
		{"moving an event ignores its own booking", calendar.SlotRequest{Duration: 2 * time.Hour, Attendees: []string{"user:alice"}, Earliest: at(1, 8, 0), Location: "courthouse", Exclude: "hearing"},
			at(1, 9, 0), true},
	}
	for _, tt := range tests {
		tt.req.Court = c
		got, ok, err := calendar.FindSlot(tt.req, diary)
		if err != nil || ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("%s: %v %v %v, want %v %v", tt.name, got, ok, err, tt.want, tt.ok)
		}
	}
}

// TestFindSlotAgainstBruteForce: on random diaries, the slot found is
// free, inside working hours on a court day, and no earlier quarter hour
// would do.
func TestFindSlotAgainstBruteForce(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 5))
	lib := testLibrary(t)
	c := court(t, lib, calendar.Court{})
	loc := c.Location()
	base := time.Date(2026, 11, 23, 9, 0, 0, 0, loc) // Thanksgiving week
	people := []string{"user:a", "user:b", "user:c", "room:r"}
	for round := range 100 {
		var diary []calendar.Event
		for i := range rng.IntN(30) {
			var who []string
			for _, p := range []string{"a", "b", "c", "#r"} {
				if rng.IntN(2) == 0 {
					who = append(who, p)
				}
			}
			place := []string{"court", "office"}[rng.IntN(2)]
			diary = append(diary, ev(fmt.Sprintf("e%d", i), base.Add(time.Duration(rng.IntN(7*24*4))*15*time.Minute), 15*(1+rng.IntN(16)), place, who...))
		}
		req := calendar.SlotRequest{Duration: time.Duration(1+rng.IntN(12)) * 15 * time.Minute, Attendees: people[:1+rng.IntN(len(people))],
			Earliest: base.Add(time.Duration(rng.IntN(3*24*4)) * 15 * time.Minute), Court: c, Location: "office", Travel: time.Duration(rng.IntN(3)) * 15 * time.Minute}
		got, ok, err := calendar.FindSlot(req, diary)
		if err != nil || !ok {
			t.Fatalf("round %d: %v %v", round, ok, err)
		}
		free := func(s time.Time) bool {
			e := s.Add(req.Duration)
			day := calendar.DateOf(s)
			if _, closed := c.Closed(day); closed || s.Before(c.OpensAt.On(day, loc)) || e.After(c.ClosesAt.On(day, loc)) || s.Before(req.Earliest) {
				return false
			}
			for _, ev := range diary {
				blocks := false
				for _, a := range ev.Attendees {
					blocks = blocks || slices.Contains(req.Attendees, a.Key())
				}
				buf := req.Travel
				if ev.Location == req.Location {
					buf = 0
				}
				if blocks && s.Before(ev.End.Add(buf)) && ev.Start.Add(-buf).Before(e) {
					return false
				}
			}
			return true
		}
		if !free(got) {
			t.Fatalf("round %d: the slot %s is not free", round, got)
		}
		for s := req.Earliest.Truncate(15 * time.Minute); s.Before(got); s = s.Add(15 * time.Minute) {
			if free(s) {
				t.Fatalf("round %d: %s is free and earlier than %s", round, s, got)
			}
		}
	}
}
