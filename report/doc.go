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
//
// # Content
//
// Build gathers a period's report for a Scope (the firm, a team, one
// person) through the Firm's public API, as the actor in the context:
// open cases by type and stage, cases opened and closed, stage changes,
// deadlines met and missed in the period and due in the next, hearings
// held and coming, correspondence by channel and direction, documents
// created and revised, and the same per case manager and per attorney.
// Build makes one paged listing per kind of record (cases, stage changes
// since the period began, deadlines, events, messages, documents and
// their versions, conflict checks), whatever the number of cases. The
// reader's access decides everything in it: a case they may not see
// is absent from every table and count, not blanked, and a part their
// roles do not reach is left out and named (Report.Omitted). A deadline
// belongs to the period its court date falls in, and is missed once its
// instant (the court's cutoff on that day) has passed undone; open cases
// are counted in the stage they stood in when the period ended; for a
// period not yet over, what falls due after the report is made is due,
// not missed.
//
// # Formats
//
// WriteMarkdown writes Markdown that reads as plain text; CSVFiles gives
// one CSV file per table, with cells that a spreadsheet would take for a
// formula defused; WriteHTML writes one self-contained HTML file with the
// tables and three inline SVG charts (caseload by stage, deadlines per
// week, workload per person), which loads nothing from anywhere.
package report
