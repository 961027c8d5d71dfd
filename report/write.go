package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// table is one table of a report: its name (the CSV file's), a heading,
// its columns and its rows as text.
type table struct {
	name, heading string
	columns       []string
	rows          [][]string
}

// at formats an instant in the period's time zone.
func (r *Report) at(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	loc := r.Period.Location
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

func itoa(n int) string { return strconv.Itoa(n) }

// tables lays the report out as tables, in the order every format uses.
func (r *Report) tables() []table {
	var ts []table
	open := table{name: "open-cases", heading: "Open cases by type and stage", columns: []string{"Type", "Stage", "Cases"}}
	for _, c := range r.OpenCases {
		open.rows = append(open.rows, []string{c.Type, c.Stage, itoa(c.Cases)})
	}
	ts = append(ts, open)
	for _, cs := range []struct {
		name, heading, on string
		rows              []CaseRow
	}{{"cases-opened", "Cases opened", "Opened", r.Opened}, {"cases-closed", "Cases closed", "Closed", r.Closed}} {
		t := table{name: cs.name, heading: cs.heading, columns: []string{"Reference", "Title", "Type", "Stage", cs.on, "Lead attorney", "Case manager"}}
		for _, c := range cs.rows {
			t.rows = append(t.rows, []string{c.Reference, c.Title, c.Type, c.Stage, c.On.String(), c.LeadAttorney, c.CaseManager})
		}
		ts = append(ts, t)
	}
	stages := table{name: "stage-changes", heading: "Stage changes", columns: []string{"Reference", "From", "To", "When", "By", "Why"}}
	for _, s := range r.StageChanges {
		stages.rows = append(stages.rows, []string{s.Reference, s.From, s.To, r.at(s.At), s.By, s.Reason})
	}
	ts = append(ts, stages)
	for _, ds := range []struct {
		name, heading string
		rows          []DeadlineRow
	}{{"deadlines-met", "Deadlines met", r.DeadlinesMet}, {"deadlines-missed", "Deadlines missed", r.DeadlinesMissed},
		{"deadlines-due", "Deadlines due by the end of " + r.nextName(), r.DeadlinesDue}} {
		t := table{name: ds.name, heading: ds.heading, columns: []string{"Reference", "Deadline", "Rule", "Due", "Status", "Done"}}
		for _, d := range ds.rows {
			t.rows = append(t.rows, []string{d.Reference, d.Title, d.Citation, d.Due.String(), d.Status, r.at(d.ResolvedAt)})
		}
		ts = append(ts, t)
	}
	for _, es := range []struct {
		name, heading string
		rows          []EventRow
	}{{"hearings-held", "Hearings held", r.HearingsHeld}, {"hearings-coming", "Hearings coming, to the end of " + r.nextName(), r.HearingsComing}} {
		t := table{name: es.name, heading: es.heading, columns: []string{"Reference", "Kind", "Title", "Court", "When", "Status"}}
		for _, e := range es.rows {
			t.rows = append(t.rows, []string{e.Reference, e.Kind, e.Title, e.Court, r.at(e.Start), e.Status})
		}
		ts = append(ts, t)
	}
	mail := table{name: "correspondence", heading: "Correspondence by channel", columns: []string{"Channel", "Inbound", "Outbound", "Internal"}}
	for _, c := range r.Correspondence {
		mail.rows = append(mail.rows, []string{c.Channel, itoa(c.Inbound), itoa(c.Outbound), itoa(c.Internal)})
	}
	ts = append(ts, mail)
	for _, ds := range []struct {
		name, heading string
		rows          []DocumentRow
	}{{"documents-created", "Documents created", r.DocumentsCreated}, {"documents-revised", "Documents revised", r.DocumentsRevised}} {
		t := table{name: ds.name, heading: ds.heading, columns: []string{"Reference", "Title", "Kind", "New versions"}}
		for _, d := range ds.rows {
			t.rows = append(t.rows, []string{d.Reference, d.Title, d.Kind, itoa(d.Versions)})
		}
		ts = append(ts, t)
	}
	checks := table{name: "conflict-checks", heading: "Conflict checks", columns: []string{"Run", "Names searched", "Hits", "Decision", "Decided by", "Case"}}
	for _, c := range r.ConflictChecks {
		checks.rows = append(checks.rows, []string{r.at(c.Ran), c.Subjects, itoa(c.Hits), c.Decision, c.DecidedBy, c.Reference})
	}
	decisions := table{name: "conflict-decisions", heading: "Conflict checks by decision", columns: []string{"Decision", "Checks"}}
	for _, d := range r.Decisions {
		decisions.rows = append(decisions.rows, []string{d.Decision, itoa(d.Checks)})
	}
	ts = append(ts, checks, decisions)
	people := table{name: "people", heading: "Per case manager and attorney", columns: []string{"Name", "Role", "Open cases", "Opened", "Closed",
		"Deadlines met", "Deadlines missed", "Deadlines due", "Hearings held", "Hearings coming", "Messages", "Documents"}}
	for _, p := range r.People {
		people.rows = append(people.rows, []string{p.Name, p.Role, itoa(p.OpenCases), itoa(p.Opened), itoa(p.Closed), itoa(p.DeadlinesMet),
			itoa(p.DeadlinesMissed), itoa(p.DeadlinesDue), itoa(p.HearingsHeld), itoa(p.HearingsComing), itoa(p.Messages), itoa(p.Documents)})
	}
	return append(ts, people)
}

// nextName names the next period in a sentence: "the week of 23 Nov
// 2026 (23-29 Nov 2026)", "December 2026".
func (r *Report) nextName() string {
	if r.Next.Span == Week {
		return "the " + r.Next.String()
	}
	return r.Next.String()
}

// Title names the report: "Weekly report, week of 16 Nov 2026 (16-22
// Nov 2026): Firm".
func (r *Report) Title() string {
	kind := "Weekly"
	if r.Period.Span == Month {
		kind = "Monthly"
	}
	return fmt.Sprintf("%s report, %s: %s", kind, r.Period, r.Scope.Name)
}

// summary says what the report covers and for whom, the reader's name
// escaped by esc for the format.
func (r *Report) summary(esc func(string) string) string {
	return fmt.Sprintf("%s to %s (%s). Prepared for %s on %s; it holds only what they may read.",
		longDate(r.Period.First()), longDate(r.Period.Last()), r.Period.Location, esc(r.Reader), r.at(r.Generated))
}

// WriteMarkdown writes the report as Markdown, which reads as plain text
// too: a heading, what it covers and for whom, then each table (an empty
// one says so).
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", mdEscape(r.Title()))
	b.WriteString(r.summary(mdEscape) + "\n")
	if len(r.Omitted) > 0 {
		fmt.Fprintf(&b, "\nLeft out, as the reader's roles do not reach them: %s.\n", mdEscape(strings.Join(r.Omitted, ", ")))
	}
	for _, t := range r.tables() {
		fmt.Fprintf(&b, "\n## %s\n\n", mdEscape(t.heading))
		if len(t.rows) == 0 {
			b.WriteString("None.\n")
			continue
		}
		cells := make([]string, len(t.columns))
		for i, c := range t.columns {
			cells[i] = mdEscape(c)
		}
		fmt.Fprintf(&b, "| %s |\n|%s\n", strings.Join(cells, " | "), strings.Repeat("---|", len(t.columns)))
		for _, row := range t.rows {
			for i, c := range row {
				cells[i] = mdEscape(c)
			}
			fmt.Fprintf(&b, "| %s |\n", strings.Join(cells, " | "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape keeps text from being read as Markdown or from breaking a
// table: pipes, backslashes, emphasis, strike-through, image and link
// characters are escaped, line breaks become spaces. (A bare address
// may still show as a link to itself, which hides nothing.)
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		case '|', '\\', '*', '_', '`', '[', ']', '<', '>', '#', '~', '!':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CSVFiles returns the report as CSV, one file per table, by file name
// ("open-cases.csv", ...): a header row, then the rows.
func (r *Report) CSVFiles() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, t := range r.tables() {
		var b strings.Builder
		w := csv.NewWriter(&b)
		if err := w.Write(t.columns); err != nil {
			return nil, err
		}
		for _, row := range t.rows {
			clean := make([]string, len(row))
			for i, c := range row {
				clean[i] = csvSafe(c)
			}
			if err := w.Write(clean); err != nil {
				return nil, err
			}
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return nil, err
		}
		out[t.name+".csv"] = []byte(b.String())
	}
	return out, nil
}

// csvSafe keeps a cell from being run as a formula by a spreadsheet
// (CSV injection): a cell that begins, after any blanks, with = + - @,
// or with a tab or carriage return, gets a leading apostrophe.
func csvSafe(s string) string {
	if t := strings.TrimLeft(s, " \t\r\n"); t != "" && strings.ContainsRune("=+-@\t\r", rune(t[0])) || s != "" && strings.ContainsRune("\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
