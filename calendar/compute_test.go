package calendar_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
)

// testLibrary is the built-in library with a small state calendar for a
// federal court in a made-up state, so the engine is tested apart from
// the shipped rule data.
func testLibrary(t *testing.T) *calendar.Library {
	t.Helper()
	lib := calendar.Builtin()
	if err := lib.AddHolidays(&calendar.HolidayCalendar{Name: "test-state", Title: "a state", Rules: []calendar.HolidayRule{
		{Name: "State Day", Month: 3, Day: 31, Observed: calendar.ObserveNone, Source: "State Code 1"},
	}}); err != nil {
		t.Fatal(err)
	}
	return lib
}

func court(t *testing.T, lib *calendar.Library, c calendar.Court) *calendar.Court {
	t.Helper()
	if c.ID == "" {
		c.ID, c.Name = "test-court", "Test Court"
	}
	if c.TimeZone == "" {
		c.TimeZone = "America/New_York"
	}
	if c.Holidays == nil {
		c.Holidays = []string{"us-federal"}
	}
	if err := c.Resolve(lib); err != nil {
		t.Fatal(err)
	}
	return &c
}

// federalSet counts like FRCP 6, with its 2009 and 2016 service tables.
var federalSet = calendar.RuleSet{
	Name: "fed-test", Title: "federal test rules", Counting: calendar.CountFederal,
	Versions: []calendar.Version{
		// The committee notes' examples are dated 2007: an early version
		// lets them run.
		{Version: "v2000", Effective: cases.MustDate("2000-01-01"), Service: map[calendar.Service]calendar.Extension{
			calendar.ServiceMail: {Count: 3, Unit: calendar.Days, Citation: "6(d)"},
		}},
		{Version: "v2009", Effective: cases.MustDate("2009-12-01"), Service: map[calendar.Service]calendar.Extension{
			calendar.ServiceMail:       {Count: 3, Unit: calendar.Days, Citation: "6(d)"},
			calendar.ServiceElectronic: {Count: 3, Unit: calendar.Days, Citation: "6(d) (2009)"},
		}},
		{Version: "v2016", Effective: cases.MustDate("2016-12-01"), Service: map[calendar.Service]calendar.Extension{
			calendar.ServiceMail: {Count: 3, Unit: calendar.Days, Citation: "6(d)"},
		}},
	},
	Rules: []calendar.Rule{
		{ID: "fourteen", Title: "14 days after service", Citation: "R. 14", Trigger: "paper-served", Period: calendar.Period{Count: 14, Unit: calendar.Days, Direction: calendar.After}, Service: true},
		{ID: "thirty", Title: "30 days after service", Citation: "R. 30", Trigger: "paper-served", Period: calendar.Period{Count: 30, Unit: calendar.Days, Direction: calendar.After}, Service: true},
		{ID: "ten-before", Title: "10 days before the hearing", Citation: "R. 10", Trigger: "hearing", Period: calendar.Period{Count: 10, Unit: calendar.Days, Direction: calendar.Before}},
		{ID: "answer", Title: "Answer", Citation: "R. 12", Trigger: "summons-served", Unless: []string{"us-party"}, Period: calendar.Period{Count: 21, Unit: calendar.Days, Direction: calendar.After}},
		{ID: "answer-us", Title: "Answer by the United States", Citation: "R. 12(a)(2)", Trigger: "summons-served", When: []string{"us-party"}, Period: calendar.Period{Count: 60, Unit: calendar.Days, Direction: calendar.After}},
		{ID: "tro", Title: "72 hours", Citation: "R. 72", Trigger: "order-entered", Period: calendar.Period{Count: 72, Unit: calendar.Hours, Direction: calendar.After}},
		{ID: "one-day", Title: "24 hours", Citation: "R. 24", Trigger: "order-entered", Period: calendar.Period{Count: 24, Unit: calendar.Hours, Direction: calendar.After}},
	},
}

// californiaSet counts like CCP 12, 12a and 12c, with CCP 1013 and 1010.6
// extensions.
var californiaSet = calendar.RuleSet{
	Name: "ca-test", Title: "california test rules", Counting: calendar.CountCalifornia,
	Versions: []calendar.Version{{Version: "v1", Effective: cases.MustDate("2000-01-01"), Service: map[calendar.Service]calendar.Extension{
		calendar.ServiceMail:       {Count: 5, Unit: calendar.Days, Citation: "CCP 1013(a)"},
		calendar.ServiceElectronic: {Count: 2, Unit: calendar.CourtDays, Citation: "CCP 1010.6"},
	}}},
	Rules: []calendar.Rule{
		{ID: "respond", Title: "30 days after service", Citation: "CCP 2030.260", Trigger: "paper-served", Period: calendar.Period{Count: 30, Unit: calendar.Days, Direction: calendar.After}, Service: true},
		{ID: "notice", Title: "16 court days before the hearing", Citation: "CCP 1005(b)", Trigger: "hearing", Period: calendar.Period{Count: 16, Unit: calendar.CourtDays, Direction: calendar.Before}, Service: true},
		{ID: "msj", Title: "75 days before the hearing", Citation: "CCP 437c(a)", Trigger: "hearing", Period: calendar.Period{Count: 75, Unit: calendar.Days, Direction: calendar.Before}, Service: true},
		{ID: "notice-own", Title: "16 court days before the hearing, its own extensions", Citation: "CCP 1005(b)", Trigger: "hearing",
			Period: calendar.Period{Count: 16, Unit: calendar.CourtDays, Direction: calendar.Before}, Service: true,
			Extensions: map[calendar.Service]calendar.Extension{calendar.ServiceElectronic: {Count: 2, Unit: calendar.Days, Citation: "CCP 1005(b), own"}}},
	},
}

func compute(t *testing.T, set *calendar.RuleSet, rule string, tr calendar.Trigger, c *calendar.Court) calendar.Computed {
	t.Helper()
	r, ok := set.Rule(rule)
	if !ok {
		t.Fatalf("no rule %s", rule)
	}
	dl, err := set.Compute(r, tr, c)
	if err != nil {
		t.Fatalf("%s: %v", rule, err)
	}
	return dl
}

// TestFederalCounting walks FRCP 6(a) and 6(d) through examples worked by
// hand, each roll with its reason.
func TestFederalCounting(t *testing.T) {
	lib := testLibrary(t)
	ny := court(t, lib, calendar.Court{})
	withState := court(t, lib, calendar.Court{StateHolidays: []string{"test-state"}})
	tests := []struct {
		name    string
		court   *calendar.Court
		rule    string
		trigger calendar.Trigger
		want    string
		rolls   []calendar.Roll
	}{
		{
			// DOMAIN.md: mail service Wed 11 Jun 2025, 14-day period ->
			// 6(a) end Wed 25 Jun -> +3 = Sat 28 Jun -> Mon 30 Jun 2025.
			name: "mail adds 3 days after the 6(a) end, then rolls", court: ny, rule: "fourteen",
			trigger: calendar.Trigger{Event: "paper-served", Date: d("2025-06-11"), Service: calendar.ServiceMail},
			want:    "2025-06-30",
			rolls: []calendar.Roll{
				{From: d("2025-06-28"), To: d("2025-06-29"), Reason: "2025-06-28 is a Saturday"},
				{From: d("2025-06-29"), To: d("2025-06-30"), Reason: "2025-06-29 is a Sunday"},
			},
		},
		{
			name: "Independence Day observed on the Friday before", court: ny, rule: "fourteen",
			trigger: calendar.Trigger{Event: "paper-served", Date: d("2026-06-19"), Service: calendar.ServicePersonal},
			want:    "2026-07-06",
			rolls: []calendar.Roll{
				{From: d("2026-07-03"), To: d("2026-07-04"), Reason: "2026-07-03 is Independence Day, observed"},
				{From: d("2026-07-04"), To: d("2026-07-05"), Reason: "2026-07-04 is a Saturday"},
				{From: d("2026-07-05"), To: d("2026-07-06"), Reason: "2026-07-05 is a Sunday"},
			},
		},
		{
			// FRCP 6(a)(5): a filing due 10 days before an event whose
			// 10th day back is Saturday 1 Sep 2007 is due Friday 31 Aug.
			name: "backward periods roll earlier", court: ny, rule: "ten-before",
			trigger: calendar.Trigger{Event: "hearing", Date: d("2007-09-11")},
			want:    "2007-08-31",
			rolls:   []calendar.Roll{{From: d("2007-09-01"), To: d("2007-08-31"), Reason: "2007-09-01 is a Saturday"}},
		},
		{
			name: "electronic service added 3 days before 1 December 2016", court: ny, rule: "thirty",
			trigger: calendar.Trigger{Event: "paper-served", Date: d("2016-11-10"), Service: calendar.ServiceElectronic},
			want:    "2016-12-15", // 10 Dec (Sat) -> 12 Dec (Mon), +3 = Thu 15 Dec
			rolls: []calendar.Roll{
				{From: d("2016-12-10"), To: d("2016-12-11"), Reason: "2016-12-10 is a Saturday"},
				{From: d("2016-12-11"), To: d("2016-12-12"), Reason: "2016-12-11 is a Sunday"},
			},
		},
		{
			name: "and none from then on", court: ny, rule: "thirty",
			trigger: calendar.Trigger{Event: "paper-served", Date: d("2017-11-10"), Service: calendar.ServiceElectronic},
			want:    "2017-12-11",
			rolls:   []calendar.Roll{{From: d("2017-12-10"), To: d("2017-12-11"), Reason: "2017-12-10 is a Sunday"}},
		},
		{
			name: "a state holiday rolls a forward period", court: withState, rule: "fourteen",
			trigger: calendar.Trigger{Event: "paper-served", Date: d("2026-03-17")},
			want:    "2026-04-01",
			rolls:   []calendar.Roll{{From: d("2026-03-31"), To: d("2026-04-01"), Reason: "2026-03-31 is State Day (a state holiday, counted forward only)"}},
		},
		{
			name: "but not a backward one", court: withState, rule: "ten-before",
			trigger: calendar.Trigger{Event: "hearing", Date: d("2026-04-10")},
			want:    "2026-03-31",
		},
		{
			name: "the year boundary", court: ny, rule: "fourteen",
			trigger: calendar.Trigger{Event: "paper-served", Date: d("2021-12-17")},
			want:    "2022-01-03",
			rolls: []calendar.Roll{
				{From: d("2021-12-31"), To: d("2022-01-01"), Reason: "2021-12-31 is New Year's Day, observed"},
				{From: d("2022-01-01"), To: d("2022-01-02"), Reason: "2022-01-01 is a Saturday"},
				{From: d("2022-01-02"), To: d("2022-01-03"), Reason: "2022-01-02 is a Sunday"},
			},
		},
		{
			name: "facts choose the variant", court: ny, rule: "answer-us",
			trigger: calendar.Trigger{Event: "summons-served", Date: d("2026-03-02"), Facts: []string{"us-party"}},
			want:    "2026-05-01",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dl := compute(t, &federalSet, tt.rule, tt.trigger, tt.court)
			if dl.Due.String() != tt.want {
				t.Errorf("due %s, want %s\n%s", dl.Due, tt.want, dl.Explanation.String())
			}
			if diff := cmp.Diff(tt.rolls, dl.Explanation.Rolls); diff != "" {
				t.Errorf("rolls (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExplanation: a deadline carries its rule, citation, rule-set
// version, trigger, service, count and rolls, and reads as a human checks it.
func TestExplanation(t *testing.T) {
	lib := testLibrary(t)
	ny := court(t, lib, calendar.Court{})
	dl := compute(t, &federalSet, "fourteen", calendar.Trigger{Event: "paper-served", Date: d("2025-06-11"), Service: calendar.ServiceMail}, ny)
	want := `fourteen: 14 days after service (R. 14; rule set fed-test, version v2016)
trigger: paper-served on 2025-06-11, served by mail
count: 14 days after 2025-06-11, that day excluded: 2025-06-25
service: service by mail adds 3 days after the period would otherwise end (6(d)): 2025-06-25 + 3 = 2025-06-28
roll: 2025-06-28 to 2025-06-29: 2025-06-28 is a Saturday
roll: 2025-06-29 to 2025-06-30: 2025-06-29 is a Sunday
due: 2025-06-30, until midnight America/New_York
`
	if diff := cmp.Diff(want, dl.Explanation.String()); diff != "" {
		t.Errorf("explanation (-want +got):\n%s", diff)
	}
	ny5 := court(t, lib, calendar.Court{Cutoff: 17 * 60, JudgeCutoffs: map[string]calendar.Clock{"Hon. Early": 12 * 60}})
	for judge, want := range map[string]string{"": "2025-06-30T17:00:00-04:00", "Hon. Early": "2025-06-30T12:00:00-04:00", "Hon. Other": "2025-06-30T17:00:00-04:00"} {
		dl := compute(t, &federalSet, "fourteen", calendar.Trigger{Event: "paper-served", Date: d("2025-06-11"), Service: calendar.ServiceMail, Judge: judge}, ny5)
		if got := dl.DueAt.Format(time.RFC3339); got != want {
			t.Errorf("judge %q: due at %s, want %s", judge, got, want)
		}
	}
	if got := dl.DueAt.Format(time.RFC3339); got != "2025-07-01T00:00:00-04:00" {
		t.Errorf("a midnight cutoff ends at %s, want the start of the next day", got)
	}
	// A rule that does not run from Rule 5 service says why mail adds nothing.
	ans := compute(t, &federalSet, "answer", calendar.Trigger{Event: "summons-served", Date: d("2026-03-02"), Service: calendar.ServiceMail}, ny)
	if ans.Due.String() != "2026-03-23" || !strings.Contains(ans.Explanation.Extension, "does not run from service") {
		t.Errorf("answer after mailed summons: %s, %q", ans.Due, ans.Explanation.Extension)
	}
}

// TestHours: FRCP 6(a)(2) counts every hour, daylight saving changes
// included, and an end on a weekend runs to the same time on Monday.
func TestHours(t *testing.T) {
	lib := testLibrary(t)
	ny := court(t, lib, calendar.Court{})
	loc := ny.Location()
	tests := []struct {
		rule string
		at   time.Time
		want string
	}{
		// The 2009 committee note's example: 72 hours from 10:23 a.m. on
		// Friday 2 November 2007 run to 9:23 a.m. on Monday 5 November,
		// clocks having gone back an hour.
		{"tro", time.Date(2007, 11, 2, 10, 23, 0, 0, loc), "2007-11-05T09:23:00-05:00"},
		// 24 hours from Friday 10:00 end on Saturday: run to Monday 10:00.
		{"one-day", time.Date(2026, 3, 13, 10, 0, 0, 0, loc), "2026-03-16T10:00:00-04:00"},
	}
	for _, tt := range tests {
		dl := compute(t, &federalSet, tt.rule, calendar.Trigger{Event: "order-entered", At: tt.at}, ny)
		if got := dl.DueAt.Format(time.RFC3339); got != tt.want {
			t.Errorf("%s from %s: %s, want %s\n%s", tt.rule, tt.at, got, tt.want, dl.Explanation.String())
		}
	}
	if _, err := federalSet.Compute(&federalSet.Rules[5], calendar.Trigger{Event: "order-entered", Date: d("2026-03-13")}, ny); !errors.Is(err, cases.ErrInvalid) {
		t.Errorf("an hours period without an instant: %v", err)
	}
}

// TestClosures: a declared closure is a legal holiday with its source; an
// inaccessible clerk's office extends a last day (FRCP 6(a)(3)); an
// administrative closure moves nothing.
func TestClosures(t *testing.T) {
	lib := testLibrary(t)
	c := court(t, lib, calendar.Court{Closures: []calendar.Closure{
		{Date: d("2025-01-09"), Kind: calendar.ClosureDeclared, Reason: "National Day of Mourning for President Carter", Source: "Executive Order of 30 December 2024; the federal courts closed"},
		{Date: d("2026-02-04"), Kind: calendar.ClosureInaccessible, Reason: "blizzard", Source: "Clerk's notice 2026-3"},
		{Date: d("2026-02-18"), Kind: calendar.ClosureAdministrative, Reason: "staff training", Source: "General Order 26-1"},
	}})
	tests := []struct {
		trigger, want, reason string
	}{
		{"2024-12-26", "2025-01-10", "2025-01-09 is National Day of Mourning for President Carter (declared: Executive Order of 30 December 2024; the federal courts closed)"},
		{"2026-01-21", "2026-02-05", "2026-02-04 is a day the clerk's office was inaccessible (blizzard; Clerk's notice 2026-3): the period runs to the first accessible day (FRCP 6(a)(3))"},
		{"2026-02-04", "2026-02-18", ""},
	}
	for _, tt := range tests {
		dl := compute(t, &federalSet, "fourteen", calendar.Trigger{Event: "paper-served", Date: d(tt.trigger)}, c)
		var reason string
		if len(dl.Explanation.Rolls) > 0 {
			reason = dl.Explanation.Rolls[0].Reason
		}
		if dl.Due.String() != tt.want || reason != tt.reason {
			t.Errorf("from %s: due %s (%q), want %s (%q)", tt.trigger, dl.Due, reason, tt.want, tt.reason)
		}
	}
	// The 2009 committee note: a filing due 10 days before an event whose
	// 10th day back is Saturday 1 September 2007 is due Friday 31 August;
	// if the clerk's office is inaccessible that Friday, the time runs
	// forward to the first accessible day that is no weekend or holiday,
	// Tuesday 4 September (3 September was Labor Day).
	c07 := court(t, lib, calendar.Court{Closures: []calendar.Closure{{Date: d("2007-08-31"), Kind: calendar.ClosureInaccessible, Reason: "power outage", Source: "Clerk's notice"}}})
	back := compute(t, &federalSet, "ten-before", calendar.Trigger{Event: "hearing", Date: d("2007-09-11")}, c07)
	if back.Due.String() != "2007-09-04" {
		t.Errorf("an inaccessible last day of a backward period: %s, want 2007-09-04\n%s", back.Due, back.Explanation.String())
	}
	// Under California's scheme any full-day closure is a holiday (CCP 12b).
	ca := court(t, lib, calendar.Court{TimeZone: "America/Los_Angeles", Closures: []calendar.Closure{{Date: d("2026-04-01"), Kind: calendar.ClosureAdministrative, Reason: "furlough day", Source: "General Order"}}})
	furlough := compute(t, &californiaSet, "respond", calendar.Trigger{Event: "paper-served", Date: d("2026-03-02")}, ca)
	if furlough.Due.String() != "2026-04-02" {
		t.Errorf("a California deadline on a furlough day: %s, want 2026-04-02\n%s", furlough.Due, furlough.Explanation.String())
	}
	if c.CourtDay(d("2026-02-04")) || !c.CourtDay(d("2026-02-18")) {
		t.Error("an inaccessible day is no court day; an administrative closure does not change court days")
	}
	if why, closed := c.Closed(d("2026-02-18")); !closed || !strings.Contains(why, "staff training") {
		t.Errorf("the administrative closure is not a day for hearings: %q %v", why, closed)
	}
}

// TestCaliforniaCounting: CCP 12a rolls Saturdays and judicial holidays;
// CCP 1013 extends the period itself by calendar days, CCP 1010.6 by
// court days; periods counted back from a hearing go back.
func TestCaliforniaCounting(t *testing.T) {
	lib := testLibrary(t)
	sup := court(t, lib, calendar.Court{TimeZone: "America/Los_Angeles", Holidays: []string{"us-federal"}})
	tests := []struct {
		name    string
		rule    string
		trigger calendar.Trigger
		want    string
	}{
		// 30 days from Mon 2 Mar 2026 = Wed 1 Apr; +5 for mail = Mon 6 Apr.
		{"mail extends by 5 calendar days", "respond", calendar.Trigger{Event: "paper-served", Date: d("2026-03-02"), Service: calendar.ServiceMail}, "2026-04-06"},
		// 30 days from Thu 5 Mar = Sat 4 Apr; +5 = Thu 9 Apr: no roll of
		// the unextended end.
		{"the extended end alone rolls", "respond", calendar.Trigger{Event: "paper-served", Date: d("2026-03-05"), Service: calendar.ServiceMail}, "2026-04-09"},
		// 30 days from Fri 6 Mar = Sun 5 Apr; +2 court days = Mon 6, Tue 7 Apr.
		{"electronic service extends by 2 court days", "respond", calendar.Trigger{Event: "paper-served", Date: d("2026-03-06"), Service: calendar.ServiceElectronic}, "2026-04-07"},
		// 16 court days before Fri 22 May 2026: back over weekends.
		{"court days back from a hearing", "notice", calendar.Trigger{Event: "hearing", Date: d("2026-05-22")}, "2026-04-30"},
		// Mailed: 5 more calendar days back, then to a court day.
		{"a mailed notice goes back 5 more days", "notice", calendar.Trigger{Event: "hearing", Date: d("2026-05-22"), Service: calendar.ServiceMail}, "2026-04-24"},
		// A rule's own extension replaces the rule set's: 2 calendar days
		// back from Thu 30 Apr is Tue 28 Apr (the set would give 2 court
		// days, the same here), and from Mon 4 May 2026 (hearing Wed 27
		// May) 2 calendar days back is Sat 2 May, rolled back to Fri 1 May
		// where 2 court days would give Thu 30 Apr.
		{"a rule's own extension", "notice-own", calendar.Trigger{Event: "hearing", Date: d("2026-05-27"), Service: calendar.ServiceElectronic}, "2026-05-01"},
		{"the set's extension for comparison", "notice", calendar.Trigger{Event: "hearing", Date: d("2026-05-27"), Service: calendar.ServiceElectronic}, "2026-04-30"},
		// 75 days before Mon 15 Jun 2026 = Wed 1 Apr.
		{"calendar days back", "msj", calendar.Trigger{Event: "hearing", Date: d("2026-06-15")}, "2026-04-01"},
		// 75 days before Thu 18 Jun 2026 = Sat 4 Apr -> back to Fri 3 Apr.
		{"a backward end on a Saturday goes back", "msj", calendar.Trigger{Event: "hearing", Date: d("2026-06-18")}, "2026-04-03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dl := compute(t, &californiaSet, tt.rule, tt.trigger, sup)
			if dl.Due.String() != tt.want {
				t.Errorf("due %s, want %s\n%s", dl.Due, tt.want, dl.Explanation.String())
			}
		})
	}
}

// TestTriggered: a trigger sets running the rules of its kind whose facts
// hold.
func TestTriggered(t *testing.T) {
	ids := func(rs []*calendar.Rule) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	if got := ids(federalSet.Triggered(calendar.Trigger{Event: "summons-served", Date: d("2026-03-02")})); !cmp.Equal(got, []string{"answer"}) {
		t.Errorf("summons served: %v", got)
	}
	if got := ids(federalSet.Triggered(calendar.Trigger{Event: "summons-served", Date: d("2026-03-02"), Facts: []string{"us-party"}})); !cmp.Equal(got, []string{"answer-us"}) {
		t.Errorf("summons served on the United States: %v", got)
	}
	if got := ids(federalSet.Triggered(calendar.Trigger{Event: "paper-served", Date: d("2026-03-02")})); !cmp.Equal(got, []string{"fourteen", "thirty"}) {
		t.Errorf("paper served: %v", got)
	}
}

// TestValidation: bad rule sets and courts are refused, naming the field.
func TestValidation(t *testing.T) {
	lib := testLibrary(t)
	field := func(err error) string {
		var fe *cases.FieldError
		if errors.As(err, &fe) {
			return fe.Field
		}
		return err.Error()
	}
	courts := []struct {
		c    calendar.Court
		want string
	}{
		{calendar.Court{ID: "x", Name: "X", TimeZone: "Mars/Olympus", Holidays: []string{"us-federal"}}, "TimeZone"},
		{calendar.Court{ID: "x", Name: "X", TimeZone: "UTC"}, "Holidays"},
		{calendar.Court{ID: "x", Name: "X", TimeZone: "UTC", Holidays: []string{"us-federal", "nowhere"}}, "Holidays[1]"},
		{calendar.Court{ID: "X Court", Name: "X", TimeZone: "UTC", Holidays: []string{"us-federal"}}, "ID"},
		{calendar.Court{ID: "x", Name: "X", TimeZone: "UTC", Holidays: []string{"us-federal"}, Closures: []calendar.Closure{{Date: d("2026-01-02"), Kind: calendar.ClosureDeclared, Reason: "storm"}}}, "Closures[0].Source"},
		{calendar.Court{ID: "x", Name: "X", TimeZone: "UTC", Holidays: []string{"us-federal"}, Closures: []calendar.Closure{{Date: d("2026-01-02"), Kind: "vacation", Reason: "r", Source: "s"}}}, "Closures[0].Kind"},
		{calendar.Court{ID: "x", Name: "X", TimeZone: "UTC", Holidays: []string{"us-federal"}, OpensAt: 17 * 60, ClosesAt: 9 * 60}, "ClosesAt"},
	}
	for _, tt := range courts {
		c := tt.c
		if err := c.Resolve(lib); !errors.Is(err, cases.ErrInvalid) || field(err) != tt.want {
			t.Errorf("court %+v: %v, want an error naming %s", tt.c, err, tt.want)
		}
	}
	sets := []struct {
		mod  func(*calendar.RuleSet)
		want string
	}{
		{func(s *calendar.RuleSet) { s.Counting = "roman" }, "Counting"},
		{func(s *calendar.RuleSet) { s.Versions = nil }, "Versions"},
		{func(s *calendar.RuleSet) { s.Rules[1].ID = s.Rules[0].ID }, "Rules[1].ID"},
		{func(s *calendar.RuleSet) { s.Rules[0].Citation = "" }, "Rules[0].Citation"},
		{func(s *calendar.RuleSet) { s.Rules[0].Period.Unit = "fortnights" }, "Rules[0].Period.Unit"},
		{func(s *calendar.RuleSet) { s.Rules[2].Service = true }, "Rules[2].Service"},                              // federal, counted back
		{func(s *calendar.RuleSet) { s.Rules[5].Period.Direction = calendar.Before }, "Rules[5].Period.Direction"}, // hours, counted back
		{func(s *calendar.RuleSet) {
			s.Versions[0].Service = map[calendar.Service]calendar.Extension{"pigeon": {Count: 1, Unit: calendar.Days, Citation: "x"}}
		}, "Versions[0].Service"},
	}
	for i, tt := range sets {
		s := federalSet
		s.Versions = append([]calendar.Version(nil), federalSet.Versions...)
		s.Rules = append([]calendar.Rule(nil), federalSet.Rules...)
		tt.mod(&s)
		if err := s.Validate(); !errors.Is(err, cases.ErrInvalid) || field(err) != tt.want {
			t.Errorf("rule set change %d: %v, want an error naming %s", i, err, tt.want)
		}
	}
	if err := federalSet.Validate(); err != nil {
		t.Errorf("the test rule set: %v", err)
	}
	// A rule computes only for triggers within its bounds.
	bounded := federalSet.Rules[0]
	bounded.Until = d("2025-12-31")
	if _, err := federalSet.Compute(&bounded, calendar.Trigger{Event: bounded.Trigger, Date: d("2026-03-02")}, court(t, lib, calendar.Court{})); !errors.Is(err, cases.ErrInvalid) {
		t.Errorf("a rule past its Until: %v", err)
	}
	if err := californiaSet.Validate(); err != nil {
		t.Errorf("the California test rule set: %v", err)
	}
}
