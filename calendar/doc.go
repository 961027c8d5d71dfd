// Package calendar computes court deadlines in the open: courts with their
// time zones, holiday calendars, closures and filing cutoffs; rule sets of
// procedure as versioned data; and a counting engine that explains every
// deadline it gives.
//
// # Holidays are rules
//
// A HolidayCalendar is a list of HolidayRule values, each a fixed date or
// the Nth weekday of a month, with how a weekend date is observed. Nothing
// is typed in per year: New Year's Day 2022, a Saturday, is found to be
// observed on Friday 31 December 2021; Juneteenth counts from 17 June
// 2021; Inauguration Day is a holiday only in the Washington DC area's
// calendar, moved from a Sunday to Monday and dropped on a Saturday.
// Built in: us-federal, us-dc-inauguration and us-ca-judicial.
//
// A Court names the calendars of its legal holidays, the state calendar
// that applies to forward-counted periods only (FRCP 6(a)(6)(C)), and its
// closures: declared holidays with their recorded source, days the clerk's
// office was inaccessible (FRCP 6(a)(3)), and administrative closures,
// which are not legal holidays and move no deadline.
//
// # Rule sets are data
//
// A RuleSet (frcp, frap, frcrp and California's ccp are built in, from
// JSON files embedded in the package) has a counting scheme, versions with
// effective dates that carry the service extensions (FRCP 6(d) added 3 days
// for electronic service until 1 December 2016, and none since), and rules:
// a trigger event, a period in days, court days or hours counted after or
// before it, facts that choose between variants, and the citation.
//
// # Every deadline explains itself
//
// RuleSet.Compute returns the Computed due date with its Explanation: the rule, its
// citation, the rule set's version, the trigger and its date, the service
// method and what it added, the count, and each roll of the last day with
// its reason ("2026-07-03 is Independence Day, observed").
//
//	lib := calendar.Builtin()
//	court := calendar.Court{ID: "nysd", Name: "S.D.N.Y.", TimeZone: "America/New_York", Holidays: []string{"us-federal"}}
//	err := court.Resolve(lib)
//	frcp := lib.RuleSets["frcp"]
//	rule, _ := frcp.Rule("interrogatory-answers")
//	dl, err := frcp.Compute(rule, calendar.Trigger{Event: "interrogatories-served", Date: served, Service: calendar.ServiceMail}, &court)
//	fmt.Print(dl.Explanation.String())
//
// # Events, diaries and iCalendar
//
// Event is a hearing, appearance, deposition or meeting with attendees
// (users, contacts, rooms). DoubleBookings finds every double booking of
// an attendee or room by sorting once and sweeping; FindSlot finds the
// earliest time all required attendees are free inside a court's working
// hours on its court days, with travel buffers, before a latest day.
// WriteICS and ParseICS write and read RFC 5545 files.
package calendar
