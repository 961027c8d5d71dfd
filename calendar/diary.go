package calendar

import (
	"cmp"
	"container/heap"
	"fmt"
	"slices"
	"time"
)

// DoubleBooking is two events that need one attendee or room at once.
type DoubleBooking struct {
	// Resource is the attendee's key ("user:alice", "room:4b").
	Resource      string
	First, Second EventID
	// Start and End bound the overlap.
	Start, End time.Time
	// Secured is set when Second is on a matter the reader may not see:
	// the clash is reported, its event is not (Second is empty).
	Secured bool
}

type booking struct {
	key        string
	event      EventID
	start, end time.Time
}

// endHeap orders the bookings still running by when they end.
type endHeap []booking

func (h endHeap) Len() int           { return len(h) }
func (h endHeap) Less(i, j int) bool { return h[i].end.Before(h[j].end) }
func (h endHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *endHeap) Push(x any)        { *h = append(*h, x.(booking)) }
func (h *endHeap) Pop() any {
	old := *h
	b := old[len(old)-1]
	*h = old[:len(old)-1]
	return b
}

// DoubleBookings finds every pair of events that are not vacated and
// share an attendee or room at overlapping times (an event ending as the
// next begins is no overlap). It sorts the bookings once and sweeps them
// with a heap of the ones still running: O(n log n + k) for n bookings
// and k double bookings. The result is ordered by resource, then start.
func DoubleBookings(events []Event) []DoubleBooking {
	var bs []booking
	for i := range events {
		e := &events[i]
		if !e.Busy() {
			continue
		}
		for _, a := range e.Attendees {
			bs = append(bs, booking{key: a.Key(), event: e.ID, start: e.Start, end: e.End})
		}
	}
	slices.SortFunc(bs, func(a, b booking) int {
		return cmp.Or(cmp.Compare(a.key, b.key), a.start.Compare(b.start), a.end.Compare(b.end), cmp.Compare(a.event, b.event))
	})
	var out []DoubleBooking
	var running endHeap
	key := ""
	for _, b := range bs {
		if b.key != key {
			running, key = running[:0], b.key
		}
		for running.Len() > 0 && !running[0].end.After(b.start) {
			heap.Pop(&running)
		}
		for _, r := range running {
			first, second := r.event, b.event
			if first == second {
				continue
			}
			out = append(out, DoubleBooking{Resource: b.key, First: first, Second: second, Start: b.start, End: minTime(r.end, b.end)})
		}
		heap.Push(&running, b)
	}
	slices.SortStableFunc(out, func(a, b DoubleBooking) int {
		return cmp.Or(cmp.Compare(a.Resource, b.Resource), a.Start.Compare(b.Start), cmp.Compare(a.First, b.First), cmp.Compare(a.Second, b.Second))
	})
	return out
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// SlotRequest asks for the earliest time an event can be held.
type SlotRequest struct {
	// Duration is how long the event takes.
	Duration time.Duration
	// Attendees are the keys of everyone and every room that must be free
	// ("user:alice", "room:4b").
	Attendees []string
	// Earliest is the first instant the slot may start.
	Earliest time.Time
	// Latest is the last day the slot may fall on, in the court's zone,
	// such as a deadline; zero searches a year ahead.
	Latest Date
	// Court gives the working hours and the days the court sits; it must
	// be resolved.
	Court *Court
	// Location is where the event takes place; Travel is the buffer kept
	// around every booking elsewhere (or of unknown place), so nobody is
	// due in two buildings at once.
	Location string
	Travel   time.Duration
	// Exclude is the event being moved: its own booking does not block.
	Exclude EventID
}

// maxSearchDays bounds a search without a Latest day.
const maxSearchDays = 366

// FindSlot returns the earliest start at which every required attendee
// and room is free for the whole duration (travel buffers included),
// inside the court's working hours on a day it sits, no earlier than
// Earliest and on or before Latest. ok is false when there is none. The
// busy times are sorted and merged once: O(n log n) for n bookings, plus
// one step per day searched.
func FindSlot(req SlotRequest, events []Event) (start time.Time, ok bool, err error) {
	switch {
	case req.Duration <= 0:
		return time.Time{}, false, invalid("slot request", "Duration", "must be positive")
	case req.Court == nil || req.Court.loc == nil:
		return time.Time{}, false, invalid("slot request", "Court", "a resolved court is required")
	case req.Earliest.IsZero():
		return time.Time{}, false, invalid("slot request", "Earliest", "is required")
	case req.Travel < 0:
		return time.Time{}, false, invalid("slot request", "Travel", "must not be negative")
	case len(req.Attendees) == 0:
		return time.Time{}, false, invalid("slot request", "Attendees", "name who must attend")
	}
	if req.Duration > time.Duration(req.Court.ClosesAt-req.Court.OpensAt)*time.Minute {
		return time.Time{}, false, invalid("slot request", "Duration", fmt.Sprintf("%s is longer than the court's working day (%s to %s)", req.Duration, req.Court.OpensAt, req.Court.ClosesAt))
	}
	need := map[string]bool{}
	for _, k := range req.Attendees {
		need[k] = true
	}
	type span struct{ start, end time.Time }
	var busy []span
	for i := range events {
		e := &events[i]
		if !e.Busy() || e.ID == req.Exclude && e.ID != "" {
			continue
		}
		blocks := false
		for _, a := range e.Attendees {
			blocks = blocks || need[a.Key()]
		}
		if !blocks {
			continue
		}
		s := span{e.Start, e.End}
		if e.Location == "" || e.Location != req.Location {
			s.start, s.end = s.start.Add(-req.Travel), s.end.Add(req.Travel)
		}
		busy = append(busy, s)
	}
	slices.SortFunc(busy, func(a, b span) int { return a.start.Compare(b.start) })
	merged := busy[:0]
	for _, s := range busy {
		if n := len(merged); n > 0 && !s.start.After(merged[n-1].end) {
			if s.end.After(merged[n-1].end) {
				merged[n-1].end = s.end
			}
			continue
		}
		merged = append(merged, s)
	}
	c := req.Court
	day := DateOf(req.Earliest.In(c.loc))
	last := req.Latest
	if last.IsZero() {
		last = day.AddDays(maxSearchDays)
	}
	next := 0 // the first merged span that may still matter
	for ; !day.After(last); day = day.AddDays(1) {
		if _, closed := c.Closed(day); closed {
			continue
		}
		open, shut := c.OpensAt.On(day, c.loc), c.ClosesAt.On(day, c.loc)
		cand := open
		if req.Earliest.After(cand) {
			cand = req.Earliest
		}
		for {
			for next < len(merged) && !merged[next].end.After(cand) {
				next++
			}
			end := cand.Add(req.Duration)
			if end.After(shut) {
				break
			}
			if next == len(merged) || !merged[next].start.Before(end) {
				return cand, true, nil
			}
			cand = merged[next].end
		}
	}
	return time.Time{}, false, nil
}
