package cases_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	cases "github.com/docketkit/docket/case"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want cases.Date
	}{
		{"", cases.Date{}},
		{"2026-03-02", cases.Date{Year: 2026, Month: time.March, Day: 2}},
		{"2026-01-01", cases.Date{Year: 2026, Month: time.January, Day: 1}},
		{"2026-12-31", cases.Date{Year: 2026, Month: time.December, Day: 31}},
		{"2026-01-31", cases.Date{Year: 2026, Month: time.January, Day: 31}},
		{"2026-02-28", cases.Date{Year: 2026, Month: time.February, Day: 28}},
		{"2024-02-29", cases.Date{Year: 2024, Month: time.February, Day: 29}}, // leap year
		{"2000-02-29", cases.Date{Year: 2000, Month: time.February, Day: 29}}, // divisible by 400: leap
		{"0001-01-01", cases.Date{Year: 1, Month: time.January, Day: 1}},
		{"9999-12-31", cases.Date{Year: 9999, Month: time.December, Day: 31}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := cases.ParseDate(tt.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("ParseDate(%q) (-want +got):\n%s", tt.in, d)
			}
			if !got.Valid() {
				t.Errorf("ParseDate(%q) = %#v, which is not Valid", tt.in, got)
			}
			if got.String() != tt.in {
				t.Errorf("ParseDate(%q).String() = %q, want the input back", tt.in, got.String())
			}
		})
	}
}

func TestParseDateInvalid(t *testing.T) {
	tests := []string{
		"2026-13-01", // month 13
		"2026-00-10", // month 0
		"2026-02-30", // no 30 February
		"2026-02-29", // 2026 is not a leap year
		"1900-02-29", // divisible by 100 but not 400: not a leap year
		"2026-04-31", // April has 30 days
		"2026-01-00", // day 0
		"2026-01-32",
		"02/03/2026", // US style
		"03.02.2026", // European style
		"2026/03/02",
		"20260302",
		"2026-3-2", // unpadded
		"2026-03-2",
		"26-03-02", // two-digit year
		" 2026-03-02",
		"2026-03-02 ",
		"2026-03-02T00:00:00Z", // a time, not a date
		"+2026-03-02",
		"-2026-03-02",
		"99999-01-01",
		"２０２６-03-02", // full-width digits
		"today",
		"\x00",
		"2026-03-02\n",
	}
	for _, in := range tests {
		t.Run(in, func(t *testing.T) {
			got, err := cases.ParseDate(in)
			if err == nil {
				t.Fatalf("ParseDate(%q) = %#v, want an error", in, got)
			}
			if !errors.Is(err, cases.ErrInvalid) {
				t.Errorf("ParseDate(%q) error %v does not wrap ErrInvalid", in, err)
			}
			if !strings.Contains(err.Error(), "YYYY-MM-DD") {
				t.Errorf("ParseDate(%q) error %q does not name the expected form", in, err)
			}
			if !got.IsZero() {
				t.Errorf("ParseDate(%q) returned %#v with its error, want the zero Date", in, got)
			}
		})
	}
}

// TestParseDateYearZero documents a bug: ParseDate accepts year 0000, which
// Date.Valid (years 1 to 9999) rejects.
func TestParseDateYearZero(t *testing.T) {
	if d, err := cases.ParseDate("0000-01-01"); err == nil {
		t.Errorf("ParseDate(%q) = %#v (Valid = %v), want an error", "0000-01-01", d, d.Valid())
	}
}

func TestMustDate(t *testing.T) {
	if got, want := cases.MustDate("2026-03-02"), (cases.Date{Year: 2026, Month: time.March, Day: 2}); got != want {
		t.Errorf("MustDate = %#v, want %#v", got, want)
	}
	defer func() {
		if recover() == nil {
			t.Errorf("MustDate(%q) did not panic", "2026-02-30")
		}
	}()
	cases.MustDate("2026-02-30")
}

func TestDateValid(t *testing.T) {
	tests := []struct {
		d    cases.Date
		want bool
	}{
		{cases.Date{}, true}, // unset
		{cases.Date{Year: 2026, Month: time.March, Day: 2}, true},
		{cases.Date{Year: 2024, Month: time.February, Day: 29}, true},
		{cases.Date{Year: 1, Month: time.January, Day: 1}, true},
		{cases.Date{Year: 9999, Month: time.December, Day: 31}, true},
		{cases.Date{Year: 2026, Month: time.February, Day: 29}, false},
		{cases.Date{Year: 2026, Month: time.February, Day: 30}, false},
		{cases.Date{Year: 2026, Month: time.April, Day: 31}, false},
		{cases.Date{Year: 2026, Month: time.January, Day: 32}, false},
		{cases.Date{Year: 2026, Month: time.January, Day: 0}, false},
		{cases.Date{Year: 2026, Month: time.January, Day: -1}, false},
		{cases.Date{Year: 2026, Month: 0, Day: 1}, false},
		{cases.Date{Year: 2026, Month: 13, Day: 1}, false},
		{cases.Date{Year: 0, Month: time.January, Day: 1}, false},
		{cases.Date{Year: -5, Month: time.January, Day: 1}, false},
		{cases.Date{Year: 10000, Month: time.January, Day: 1}, false},
		{cases.Date{Day: 1}, false}, // partly set
		{cases.Date{Year: 2026}, false},
	}
	for _, tt := range tests {
		if got := tt.d.Valid(); got != tt.want {
			t.Errorf("%#v.Valid() = %v, want %v", tt.d, got, tt.want)
		}
	}
}

func TestDateBefore(t *testing.T) {
	d := func(s string) cases.Date { return cases.MustDate(s) }
	tests := []struct {
		a, b cases.Date
		want bool
	}{
		{d("2026-03-02"), d("2026-03-03"), true},
		{d("2026-03-03"), d("2026-03-02"), false},
		{d("2026-03-02"), d("2026-03-02"), false}, // not strictly before itself
		{d("2026-02-28"), d("2026-03-01"), true},  // month decides
		{d("2026-03-01"), d("2026-02-28"), false},
		{d("2025-12-31"), d("2026-01-01"), true}, // year decides
		{d("2026-01-01"), d("2025-12-31"), false},
		{d("2025-12-31"), d("2026-01-31"), true},
		{cases.Date{}, d("0001-01-01"), true}, // the zero Date sorts first
		{d("0001-01-01"), cases.Date{}, false},
		{cases.Date{}, cases.Date{}, false},
	}
	for _, tt := range tests {
		if got := tt.a.Before(tt.b); got != tt.want {
			t.Errorf("%v.Before(%v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		// Before agrees with time.Time for real dates.
		if !tt.a.IsZero() && !tt.b.IsZero() {
			if tb := tt.a.Time(time.UTC).Before(tt.b.Time(time.UTC)); tb != tt.want {
				t.Errorf("%v.Before(%v) = %v, but time.Time says %v", tt.a, tt.b, tt.want, tb)
			}
		}
	}
}

func TestDateString(t *testing.T) {
	tests := []struct {
		d    cases.Date
		want string
	}{
		{cases.Date{}, ""},
		{cases.Date{Year: 2026, Month: time.March, Day: 2}, "2026-03-02"},
		{cases.Date{Year: 2026, Month: time.December, Day: 31}, "2026-12-31"},
		{cases.Date{Year: 1, Month: time.January, Day: 1}, "0001-01-01"},
		{cases.Date{Year: 987, Month: time.July, Day: 4}, "0987-07-04"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestDateOfAndTime(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	// 23:30 in New York on 2 March is already 3 March in UTC: DateOf uses
	// the time's own location.
	at := time.Date(2026, time.March, 2, 23, 30, 0, 0, ny)
	if got, want := cases.DateOf(at), cases.MustDate("2026-03-02"); got != want {
		t.Errorf("DateOf(%v) = %v, want %v", at, got, want)
	}
	if got, want := cases.DateOf(at.UTC()), cases.MustDate("2026-03-03"); got != want {
		t.Errorf("DateOf(%v) = %v, want %v", at.UTC(), got, want)
	}
	d := cases.MustDate("2026-03-02")
	if got, want := d.Time(ny), time.Date(2026, time.March, 2, 0, 0, 0, 0, ny); !got.Equal(want) || got.Location() != ny {
		t.Errorf("Time(ny) = %v, want %v", got, want)
	}
}

func TestDateJSON(t *testing.T) {
	type filing struct {
		Due   cases.Date  `json:"due"`
		Filed cases.Date  `json:"filed"`
		Opt   cases.Date  `json:"opt,omitzero"`
		Ptr   *cases.Date `json:"ptr,omitempty"`
	}
	ptr := cases.MustDate("2024-02-29")
	tests := []struct {
		name string
		in   filing
		want string
	}{
		{"set", filing{Due: cases.MustDate("2026-03-02"), Filed: cases.MustDate("2026-02-27")}, `{"due":"2026-03-02","filed":"2026-02-27"}`},
		{"zero", filing{}, `{"due":"","filed":""}`},
		{"omitzero and pointer", filing{Opt: cases.MustDate("2026-12-31"), Ptr: &ptr}, `{"due":"","filed":"","opt":"2026-12-31","ptr":"2024-02-29"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("Marshal = %s, want %s", b, tt.want)
			}
			var back filing
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("Unmarshal(%s): %v", b, err)
			}
			if d := cmp.Diff(tt.in, back); d != "" {
				t.Errorf("round trip (-want +got):\n%s", d)
			}
		})
	}
}

func TestDateTextRoundTrip(t *testing.T) {
	for _, s := range []string{"", "2026-03-02", "2024-02-29", "0001-01-01", "9999-12-31"} {
		d := cases.MustDate(s)
		b, err := d.MarshalText()
		if err != nil {
			t.Fatalf("%v.MarshalText: %v", d, err)
		}
		if string(b) != s {
			t.Errorf("%#v.MarshalText() = %q, want %q", d, b, s)
		}
		var back cases.Date
		if err := back.UnmarshalText(b); err != nil {
			t.Fatalf("UnmarshalText(%q): %v", b, err)
		}
		if back != d {
			t.Errorf("UnmarshalText(%q) = %#v, want %#v", b, back, d)
		}
	}
}

func TestDateUnmarshalInvalid(t *testing.T) {
	for _, in := range []string{`{"due":"2026-13-01"}`, `{"due":"2026-02-30"}`, `{"due":"02/03/2026"}`, `{"due":"2026-02-29"}`} {
		var v struct {
			Due cases.Date `json:"due"`
		}
		v.Due = cases.MustDate("2020-01-01")
		err := json.Unmarshal([]byte(in), &v)
		if err == nil {
			t.Errorf("Unmarshal(%s) = %v, want an error", in, v.Due)
			continue
		}
		if !errors.Is(err, cases.ErrInvalid) {
			t.Errorf("Unmarshal(%s) error %v does not wrap ErrInvalid", in, err)
		}
	}
	// A failed UnmarshalText leaves the receiver unchanged.
	d := cases.MustDate("2020-01-01")
	if err := d.UnmarshalText([]byte("2026-02-30")); err == nil {
		t.Fatal("UnmarshalText(2026-02-30) succeeded")
	}
	if d != cases.MustDate("2020-01-01") {
		t.Errorf("failed UnmarshalText changed the date to %v", d)
	}
	// A JSON number is not a date.
	var v struct {
		Due cases.Date `json:"due"`
	}
	if err := json.Unmarshal([]byte(`{"due":20260302}`), &v); err == nil {
		t.Errorf("Unmarshal of a number succeeded: %v", v.Due)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"", "2026-03-02", "2024-02-29", "2026-02-29", "2026-13-01", "2026-02-30",
		"02/03/2026", "0001-01-01", "9999-12-31", "0000-01-01", "2026-1-2", "2026-03-02T00:00:00Z", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := cases.ParseDate(s)
		if err != nil {
			if !errors.Is(err, cases.ErrInvalid) {
				t.Errorf("ParseDate(%q) error %v does not wrap ErrInvalid", s, err)
			}
			if !d.IsZero() {
				t.Errorf("ParseDate(%q) returned %#v with an error", s, d)
			}
			return
		}
		// Year 0 parses but is not Valid: see TestParseDateYearZero.
		if !d.Valid() && d.Year != 0 {
			t.Errorf("ParseDate(%q) = %#v, which is not Valid", s, d)
		}
		back, err := cases.ParseDate(d.String())
		if err != nil {
			t.Fatalf("ParseDate(%q) = %v, but ParseDate(%q) fails: %v", s, d, d.String(), err)
		}
		if back != d {
			t.Errorf("ParseDate(%q) = %#v, but its String %q parses to %#v", s, d, d.String(), back)
		}
		var u cases.Date
		if err := u.UnmarshalText([]byte(s)); err != nil || u != d {
			t.Errorf("UnmarshalText(%q) = %#v, %v; ParseDate gave %#v", s, u, err, d)
		}
	})
}

func TestDateArithmetic(t *testing.T) {
	tests := []struct {
		from    string
		n       int
		want    string
		weekday time.Weekday // of want
	}{
		{"2025-06-11", 14, "2025-06-25", time.Wednesday},
		{"2021-12-31", 1, "2022-01-01", time.Saturday}, // across the year
		{"2024-02-28", 1, "2024-02-29", time.Thursday}, // a leap day
		{"2024-03-01", -1, "2024-02-29", time.Thursday},
		{"2007-09-11", -10, "2007-09-01", time.Saturday},
		{"2026-03-08", 0, "2026-03-08", time.Sunday}, // the day US clocks spring forward
	}
	for _, tt := range tests {
		from := cases.MustDate(tt.from)
		got := from.AddDays(tt.n)
		if got.String() != tt.want || got.Weekday() != tt.weekday {
			t.Errorf("%s + %d = %s (%s), want %s (%s)", tt.from, tt.n, got, got.Weekday(), tt.want, tt.weekday)
		}
		if d := from.DaysUntil(got); d != tt.n {
			t.Errorf("%s until %s: %d days, want %d", tt.from, got, d, tt.n)
		}
		if tt.n > 0 && (!got.After(from) || got.Before(from)) {
			t.Errorf("%s should be after %s", got, from)
		}
	}
}
