package calendar_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
)

// interop is the folder of iCalendar files written by others.
const interop = "../../shared/testdata/interop/ics"

func sampleExport(t *testing.T) calendar.Export {
	t.Helper()
	ny, _ := time.LoadLocation("America/New_York")
	la, _ := time.LoadLocation("America/Los_Angeles")
	due := cases.MustDate("2026-03-23")
	return calendar.Export{
		Name:  "Initech v. Globex",
		Stamp: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC),
		Events: []calendar.Event{
			{ID: "ev-1", Case: "c1", Kind: calendar.MotionHearing, Title: "Motion to dismiss", Start: time.Date(2026, 3, 6, 10, 0, 0, 0, ny).UTC(),
				End: time.Date(2026, 3, 6, 11, 0, 0, 0, ny).UTC(), TimeZone: "America/New_York", Location: "500 Pearl St", Courtroom: "11A", Status: calendar.Moved, Sequence: 2,
				Notes: "privileged strategy: must not be exported"},
			// After the clocks change: the zone's offset differs.
			{ID: "ev-2", Case: "c1", Kind: calendar.Deposition, Title: "Deposition, Müller", Start: time.Date(2026, 3, 9, 9, 0, 0, 0, ny).UTC(),
				End: time.Date(2026, 3, 9, 12, 30, 0, 0, ny).UTC(), TimeZone: "America/New_York", Status: calendar.Scheduled},
			{ID: "ev-3", Case: "c1", Kind: calendar.StatusConference, Title: "Status conference", Start: time.Date(2026, 7, 1, 9, 0, 0, 0, la).UTC(),
				End: time.Date(2026, 7, 1, 9, 30, 0, 0, la).UTC(), TimeZone: "America/Los_Angeles", Status: calendar.Vacated, Sequence: 1},
		},
		Deadlines: []calendar.Deadline{
			{ID: "dl-1", Case: "c1", Title: "Answer", Citation: "Fed. R. Civ. P. 12(a)(1)(A)(i)", Due: due, DueAt: time.Date(2026, 3, 24, 0, 0, 0, 0, ny).UTC(), Status: calendar.Open,
				Explanation: calendar.Explanation{Rule: "answer", Title: "Answer", Citation: "Fed. R. Civ. P. 12(a)(1)(A)(i)", RuleSet: "frcp", Version: "2016-12-01", Count: "21 days after 2026-03-02"}},
			{ID: "dl-2", Case: "c1", Title: "Reply", Due: due.AddDays(7), DueAt: time.Date(2026, 3, 31, 0, 0, 0, 0, ny).UTC(), Status: calendar.VacatedDeadline, Sequence: 3},
		},
		References:     map[cases.ID]string{"c1": "2026-CV-0001"},
		EventAlarms:    []time.Duration{24 * time.Hour, time.Hour},
		DeadlineAlarms: []time.Duration{7 * 24 * time.Hour},
	}
}

// TestICSRoundTrip: what WriteICS writes, ParseICS reads back: the same
// instants, statuses and sequences; notes stay out.
func TestICSRoundTrip(t *testing.T) {
	x := sampleExport(t)
	var buf bytes.Buffer
	if err := calendar.WriteICS(&buf, x); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "privileged") {
		t.Error("an event's notes were exported")
	}
	for _, want := range []string{"BEGIN:VTIMEZONE", "TZID:America/New_York", "UID:ev-1@docket", "SEQUENCE:2", "STATUS:CANCELLED", "DTSTART;VALUE=DATE:20260323", "BEGIN:VALARM", "TRIGGER:-P1D", "TRIGGER;VALUE=DATE-TIME:20260317T040000Z"} {
		if !strings.Contains(out, want) {
			t.Errorf("the export lacks %q", want)
		}
	}
	got, err := calendar.ParseICS(strings.NewReader(out), calendar.ImportOptions{Case: "c2", TimeZone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("%d events read back, want 5", len(got))
	}
	for i, e := range x.Events {
		g := got[i]
		if !g.Start.Equal(e.Start) || !g.End.Equal(e.End) || g.Sequence != e.Sequence || (g.Status == calendar.Vacated) != (e.Status == calendar.Vacated) || g.TimeZone != e.TimeZone {
			t.Errorf("event %s read back as %+v", e.ID, g)
		}
	}
	// Importing the same file again gives the same IDs.
	again, _ := calendar.ParseICS(strings.NewReader(out), calendar.ImportOptions{Case: "c2", TimeZone: "UTC"})
	if again[0].ID != got[0].ID || !strings.HasPrefix(string(got[0].ID), "ics-") {
		t.Errorf("IDs from UIDs: %s then %s", got[0].ID, again[0].ID)
	}
}

// TestICSWithPython: an independent parser (Debian's python3-icalendar)
// reads the export and finds the same events, instants and alarms. It
// skips, saying so, where the module is not installed (.ci/run installs
// it).
func TestICSWithPython(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import icalendar").Run(); err != nil {
		t.Skipf("python3-icalendar is not installed (apt-get install python3-icalendar): %v", err)
	}
	x := sampleExport(t)
	var buf bytes.Buffer
	if err := calendar.WriteICS(&buf, x); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "export.ics")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	script := `
import datetime, json, sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for ev in cal.walk('VEVENT'):
    def when(p):
        v = ev.decoded(p)
        if isinstance(v, datetime.datetime):
            return v.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
        return v.isoformat()
    alarms = []
    for a in ev.walk('VALARM'):
        tr = a.decoded('TRIGGER')
        if isinstance(tr, datetime.timedelta):
            alarms.append(str(int(tr.total_seconds())))
        else:
            alarms.append(tr.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))
    out.append({'uid': str(ev['UID']), 'summary': str(ev['SUMMARY']), 'start': when('DTSTART'), 'end': when('DTEND'),
                'status': str(ev.get('STATUS', '')), 'sequence': int(ev.get('SEQUENCE', 0)), 'alarms': alarms})
print(json.dumps(out))
`
	cmd := exec.Command(py, "-c", script, file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	type pyEvent struct {
		UID      string   `json:"uid"`
		Summary  string   `json:"summary"`
		Start    string   `json:"start"`
		End      string   `json:"end"`
		Status   string   `json:"status"`
		Sequence int      `json:"sequence"`
		Alarms   []string `json:"alarms"`
	}
	var got []pyEvent
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	want := []pyEvent{
		{"ev-1@docket", "2026-CV-0001: Motion to dismiss", "2026-03-06T15:00:00Z", "2026-03-06T16:00:00Z", "CONFIRMED", 2, []string{"-86400", "-3600"}},
		{"ev-2@docket", "2026-CV-0001: Deposition, Müller", "2026-03-09T13:00:00Z", "2026-03-09T16:30:00Z", "CONFIRMED", 0, []string{"-86400", "-3600"}},
		{"ev-3@docket", "2026-CV-0001: Status conference", "2026-07-01T16:00:00Z", "2026-07-01T16:30:00Z", "CANCELLED", 1, []string{}},
		{"dl-1@docket", "2026-CV-0001: Due: Answer", "2026-03-23", "2026-03-24", "CONFIRMED", 0, []string{"2026-03-17T04:00:00Z"}},
		{"dl-2@docket", "2026-CV-0001: Due: Reply", "2026-03-30", "2026-03-31", "CANCELLED", 3, []string{}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("python-icalendar reads (-want +got):\n%s\n%s", d, buf.String())
	}
}

// TestICSInterop: every iCalendar file written by others either imports
// or fails with an error naming the problem; none panics.
func TestICSInterop(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(interop, "*.ics"))
	if len(files) == 0 {
		t.Skipf("no interop files at %s (the shared test data is not checked out here)", interop)
	}
	imported, refused := 0, 0
	for _, fn := range files {
		data, err := os.ReadFile(fn)
		if err != nil {
			t.Fatal(err)
		}
		events, err := calendar.ParseICS(bytes.NewReader(data), calendar.ImportOptions{Case: "c1", TimeZone: "America/New_York"})
		var ie *calendar.ICSError
		switch {
		case err == nil:
			imported++
			for _, e := range events {
				if err := e.Validate(); err != nil {
					t.Errorf("%s: imported an invalid event: %v", filepath.Base(fn), err)
				}
			}
		case errors.As(err, &ie) && errors.Is(err, cases.ErrInvalid) && ie.Problem != "":
			refused++
			t.Logf("%s: %v", filepath.Base(fn), err)
		default:
			t.Errorf("%s: an error that does not name the problem: %v", filepath.Base(fn), err)
		}
	}
	t.Logf("%d files imported, %d refused with a reason", imported, refused)
	if imported < len(files)/2 {
		t.Errorf("only %d of %d files imported", imported, len(files))
	}
}

// TestICSZonesDefinedByTheFile: a TZID the file defines with its own
// VTIMEZONE (as Outlook writes) is read from that definition, and Windows
// zone names map to IANA zones.
func TestICSZonesDefinedByTheFile(t *testing.T) {
	file := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" +
		"BEGIN:VTIMEZONE\r\nTZID:Western/Central Europe\r\n" +
		"BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n" +
		"BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n" +
		"END:VTIMEZONE\r\n" +
		"BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Summer\r\nDTSTART;TZID=Western/Central Europe:20260701T100000\r\nDTEND;TZID=Western/Central Europe:20260701T110000\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Winter\r\nDTSTART;TZID=Western/Central Europe:20260115T100000\r\nDURATION:PT2H\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:c\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Outlook\r\nDTSTART;TZID=Eastern Standard Time:20260706T090000\r\nDTEND;TZID=Eastern Standard Time:20260706T100000\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:d\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:All day\r\nDTSTART;VALUE=DATE:20260710\r\nEND:VEVENT\r\n" +
		"END:VCALENDAR\r\n"
	got, err := calendar.ParseICS(strings.NewReader("\ufeff"+file), calendar.ImportOptions{Case: "c1", TimeZone: "America/Chicago"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2026-07-01T08:00:00Z", "2026-01-15T09:00:00Z", "2026-07-06T13:00:00Z", "2026-07-10T05:00:00Z"}
	for i, w := range want {
		if got[i].Start.Format(time.RFC3339) != w {
			t.Errorf("%s starts %s, want %s", got[i].Title, got[i].Start.Format(time.RFC3339), w)
		}
	}
	if got[1].End.Sub(got[1].Start) != 2*time.Hour || got[3].End.Sub(got[3].Start) != 24*time.Hour || got[2].TimeZone != "America/New_York" {
		t.Errorf("durations or zones: %+v", got)
	}
}

// TestICSErrors: bad files are refused with the component, property and
// problem named.
func TestICSErrors(t *testing.T) {
	head := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
	for _, tt := range []struct {
		name, file, want string
	}{
		{"no events", head + "END:VCALENDAR\r\n", "holds no event"},
		{"no start", head + "BEGIN:VEVENT\r\nUID:x\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", `VEVENT 1 (UID "x") DTSTART: is missing`},
		{"bad start", head + "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:INVALID-DATE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", `VEVENT 1 (UID "x") DTSTART`},
		{"unknown zone", head + "BEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=Mars/Olympus:20260101T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "Mars/Olympus"},
		{"end before start", head + "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T100000Z\r\nDTEND:20260101T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "DTEND: is before DTSTART"},
		{"not a calendar", "hello\r\n", "VCALENDAR"},
		// A zone whose offset "changes" every second since 1900 would keep
		// a naive reader busy for hours (found by review; a fuzz seed now).
		{"secondly zone rule", head + "BEGIN:VTIMEZONE\r\nTZID:Tick\r\nBEGIN:STANDARD\r\nDTSTART:19000101T000000\r\nRRULE:FREQ=SECONDLY\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n" +
			"BEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=Tick:20260101T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "only a yearly rule"},
		{"year 9999", head + "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:99990101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "outside the years"},
	} {
		_, err := calendar.ParseICS(strings.NewReader(tt.file), calendar.ImportOptions{Case: "c1", TimeZone: "UTC"})
		if !errors.Is(err, cases.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error with %q", tt.name, err, tt.want)
		}
	}
}

// FuzzParseICS: no input makes ParseICS panic, and what it accepts is
// valid. Seeded with the interop files where they are present.
func FuzzParseICS(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(interop, "*.ics"))
	for _, fn := range files {
		if data, err := os.ReadFile(fn); err == nil {
			f.Add(data)
		}
	}
	var buf bytes.Buffer
	x := calendar.Export{Stamp: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Events: []calendar.Event{{ID: "e", Case: "c", Kind: calendar.Trial, Title: "Trial",
		Start: time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC), End: time.Date(2026, 5, 4, 22, 0, 0, 0, time.UTC), TimeZone: "America/New_York", Status: calendar.Scheduled}}}
	if err := calendar.WriteICS(&buf, x); err == nil {
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		events, err := calendar.ParseICS(bytes.NewReader(data), calendar.ImportOptions{Case: "c1", TimeZone: "UTC"})
		if err != nil {
			var ie *calendar.ICSError
			if !errors.As(err, &ie) {
				t.Fatalf("an error that is not an ICSError: %v", err)
			}
			return
		}
		for _, e := range events {
			if err := e.Validate(); err != nil {
				t.Fatalf("accepted an invalid event %+v: %v", e, err)
			}
		}
	})
}
