package calendar_test

import (
	"errors"
	"testing"
	"time"

	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
)

func d(s string) cases.Date { return cases.MustDate(s) }

// TestFederalHolidays: the built-in federal calendar, computed by rule,
// with observed days shifted across weekends and the year boundary.
func TestFederalHolidays(t *testing.T) {
	lib := calendar.Builtin()
	fed, dc := lib.Holidays["us-federal"], lib.Holidays["us-dc-inauguration"]
	tests := []struct {
		cal  *calendar.HolidayCalendar
		date string
		want string // "" for no holiday
	}{
		{fed, "2021-12-31", "New Year's Day, observed"}, // 1 Jan 2022 was a Saturday
		{fed, "2022-01-01", ""},
		{fed, "2023-01-02", "New Year's Day, observed"}, // 1 Jan 2023 was a Sunday
		{fed, "2026-01-01", "New Year's Day"},
		{fed, "2026-01-19", "Martin Luther King Jr.'s Birthday"}, // third Monday
		{fed, "2026-01-12", ""},
		{fed, "2026-02-16", "Washington's Birthday"},
		{fed, "2026-05-25", "Memorial Day"}, // last Monday
		{fed, "2026-05-18", ""},
		{fed, "2020-06-19", ""}, // before Juneteenth became a holiday
		{fed, "2021-06-18", "Juneteenth National Independence Day, observed"},
		{fed, "2022-06-20", "Juneteenth National Independence Day, observed"},
		{fed, "2026-06-19", "Juneteenth National Independence Day"},
		{fed, "2026-07-03", "Independence Day, observed"},
		{fed, "2026-09-07", "Labor Day"},
		{fed, "2026-10-12", "Columbus Day"},
		{fed, "2023-11-10", "Veterans Day, observed"},
		{fed, "1975-10-27", "Veterans Day"}, // the fourth Monday of October, 1971-1977
		{fed, "1975-11-11", ""},
		{fed, "2026-11-26", "Thanksgiving Day"},
		{fed, "2026-11-27", ""},
		{fed, "2022-12-26", "Christmas Day, observed"},
		{fed, "2025-01-20", "Martin Luther King Jr.'s Birthday"},
		{dc, "2025-01-20", "Inauguration Day"},
		{dc, "2013-01-21", "Inauguration Day, observed"}, // 20 Jan 2013 was a Sunday
		{dc, "2029-01-19", ""},                           // a Saturday inauguration gives no substitute
		{dc, "2029-01-22", ""},
		{dc, "2026-01-20", ""}, // not an inauguration year
		{dc, "2033-01-20", "Inauguration Day"},
	}
	for _, tt := range tests {
		got, ok := tt.cal.Holiday(d(tt.date))
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s %s: %q %v, want %q", tt.cal.Name, tt.date, got, ok, tt.want)
		}
	}
}

// TestHolidaysShareADay: a day two calendars set aside names both.
func TestHolidaysShareADay(t *testing.T) {
	lib := calendar.Builtin()
	dc := calendar.Court{ID: "dcd", Name: "D.D.C.", TimeZone: "America/New_York", Holidays: []string{"us-federal", "us-dc-inauguration"}}
	if err := dc.Resolve(lib); err != nil {
		t.Fatal(err)
	}
	if got, ok := dc.LegalHoliday(d("2025-01-20"), true); !ok || got != "Martin Luther King Jr.'s Birthday and Inauguration Day" {
		t.Errorf("20 January 2025 in Washington: %q", got)
	}
}

func TestHolidayRuleValidate(t *testing.T) {
	mon := time.Monday
	bad := time.Weekday(9)
	for name, r := range map[string]calendar.HolidayRule{
		"no name":          {Month: 1, Day: 1, Observed: calendar.ObserveNone, Source: "x"},
		"month 13":         {Name: "X", Month: 13, Day: 1, Observed: calendar.ObserveNone, Source: "x"},
		"31 February":      {Name: "X", Month: 2, Day: 31, Observed: calendar.ObserveNone, Source: "x"},
		"fifth Monday":     {Name: "X", Month: 1, Weekday: &mon, Nth: 5, Observed: calendar.ObserveNone, Source: "x"},
		"bad weekday":      {Name: "X", Month: 1, Weekday: &bad, Nth: 1, Observed: calendar.ObserveNone, Source: "x"},
		"both":             {Name: "X", Month: 1, Day: 3, Weekday: &mon, Nth: 1, Observed: calendar.ObserveNone, Source: "x"},
		"no source":        {Name: "X", Month: 1, Day: 1, Observed: calendar.ObserveNone},
		"bad observance":   {Name: "X", Month: 1, Day: 1, Observed: "sometimes", Source: "x"},
		"year mod too big": {Name: "X", Month: 1, Day: 20, EveryYears: 4, YearMod: 4, Observed: calendar.ObserveNone, Source: "x"},
	} {
		if err := r.Validate(); !errors.Is(err, cases.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}
