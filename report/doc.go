// Package report writes the weekly and monthly reports a case manager
// owes the line manager and the partners, on Docket's public API.
//
// # Periods
//
// A report covers a Period: a week or a calendar month of whole days in
// the firm's time zone (Calendar). LastWeek and LastMonth give the last
// whole period before a given instant. A period's boundaries are the
// first instants of its days, so a week in which the clocks change is
// 167 or 169 hours long, a day on which midnight was skipped begins when
// the clocks jumped, and months end where the calendar says (28, 29, 30
// or 31 days, the year turning with December).
package report
