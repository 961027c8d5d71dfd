package calendar_test

import (
	"fmt"
	"time"

	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
)

// Interrogatories served by mail on Wednesday 3 June 2026: 30 days under
// FRCP 33(b)(2), rolled past Independence Day (observed on Friday 3 July)
// and the weekend, then Rule 6(d)'s 3 days for mail.
func ExampleRuleSet_Compute() {
	lib := calendar.Builtin()
	court := calendar.Court{ID: "nysd", Name: "S.D.N.Y.", TimeZone: "America/New_York", Holidays: []string{"us-federal"}}
	if err := court.Resolve(lib); err != nil {
		panic(err)
	}
	frcp := lib.RuleSets["frcp"]
	rule, _ := frcp.Rule("interrogatory-answers")
	due, err := frcp.Compute(rule, calendar.Trigger{Event: rule.Trigger, Date: cases.MustDate("2026-06-03"), Service: calendar.ServiceMail}, &court)
	if err != nil {
		panic(err)
	}
	fmt.Print(due.Explanation.String())
	// Output:
	// interrogatory-answers: Answers and objections to interrogatories (Fed. R. Civ. P. 33(b)(2); rule set frcp, version 2016-12-01)
	// trigger: interrogatories-served on 2026-06-03, served by mail
	// count: 30 days after 2026-06-03, that day excluded: 2026-07-03
	// service: service by mail adds 3 days after the period would otherwise end (Fed. R. Civ. P. 6(d), 5(b)(2)(C)): 2026-07-06 + 3 = 2026-07-09
	// roll: 2026-07-03 to 2026-07-04: 2026-07-03 is Independence Day, observed
	// roll: 2026-07-04 to 2026-07-05: 2026-07-04 is a Saturday
	// roll: 2026-07-05 to 2026-07-06: 2026-07-05 is a Sunday
	// due: 2026-07-09, until midnight America/New_York
}

// A hearing and a deposition both need Alice between 10:00 and 11:00.
func ExampleDoubleBookings() {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	alice := calendar.Attendee{Kind: calendar.AttendeeUser, ID: "alice"}
	events := []calendar.Event{
		{ID: "hearing", Start: day.Add(9 * time.Hour), End: day.Add(11 * time.Hour), Status: calendar.Scheduled, Attendees: []calendar.Attendee{alice}},
		{ID: "deposition", Start: day.Add(10 * time.Hour), End: day.Add(13 * time.Hour), Status: calendar.Scheduled, Attendees: []calendar.Attendee{alice}},
		{ID: "lunch", Start: day.Add(13 * time.Hour), End: day.Add(14 * time.Hour), Status: calendar.Scheduled, Attendees: []calendar.Attendee{alice}},
	}
	for _, db := range calendar.DoubleBookings(events) {
		fmt.Println(db.Resource, db.First, db.Second, db.Start.Format("15:04"), db.End.Format("15:04"))
	}
	// Output:
	// user:alice hearing deposition 10:00 11:00
}
