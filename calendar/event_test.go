package calendar_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
)

func TestEventValidate(t *testing.T) {
	start := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	good := func() calendar.Event {
		return calendar.Event{ID: "e1", Case: "c1", Kind: calendar.Arraignment, Title: "Arraignment", Start: start, End: start.Add(time.Hour),
			TimeZone: "America/New_York", Status: calendar.Scheduled, Attendees: []calendar.Attendee{{Kind: calendar.AttendeeUser, ID: "u1"}, {Kind: calendar.AttendeeRoom, ID: "4b"}}}
	}
	e := good()
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		field string
		mod   func(*calendar.Event)
	}{
		{"Case", func(e *calendar.Event) { e.Case = "" }},
		{"Kind", func(e *calendar.Event) { e.Kind = "duel" }},
		{"Title", func(e *calendar.Event) { e.Title = " " }},
		{"End", func(e *calendar.Event) { e.End = e.Start }},
		{"TimeZone", func(e *calendar.Event) { e.TimeZone = "Local" }},
		{"Status", func(e *calendar.Event) { e.Status = "maybe" }},
		{"Notes", func(e *calendar.Event) { e.Notes = "\xff" }},
		{"Attendees[1].Kind", func(e *calendar.Event) { e.Attendees[1].Kind = "dog" }},
		{"Attendees[1]", func(e *calendar.Event) { e.Attendees[1] = e.Attendees[0] }},
		{"Attendees[0].ID", func(e *calendar.Event) { e.Attendees[0].ID = "" }},
	} {
		e := good()
		tt.mod(&e)
		err := e.Validate()
		var fe *cases.FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("%s: %v", tt.field, err)
		}
	}
	if !calendar.Sentencing.Hearing() || calendar.Deposition.Hearing() {
		t.Error("sentencing is a hearing; a deposition is not")
	}
}

func TestDeadlineValidate(t *testing.T) {
	due := cases.MustDate("2026-03-23")
	good := calendar.Deadline{ID: "d1", Case: "c1", Title: "Answer", Due: due, DueAt: due.Time(time.UTC), Status: calendar.Open}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	done := good
	done.Status = calendar.Done
	if err := done.Validate(); err == nil || !strings.Contains(err.Error(), "Reason") {
		t.Errorf("done without a reason: %v", err)
	}
	bad := good
	bad.Due = cases.Date{}
	if err := bad.Validate(); !errors.Is(err, cases.ErrInvalid) {
		t.Errorf("no due date: %v", err)
	}
}
