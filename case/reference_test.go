package cases_test

import (
	"errors"
	"strings"
	"testing"

	cases "github.com/docketkit/docket/case"
)

func TestReferencePatternFormat(t *testing.T) {
	tests := []struct {
		p    cases.ReferencePattern
		year int
		code string
		seq  int64
		want string
	}{
		{cases.DefaultReferencePattern, 2026, "CR", 1, "2026-CR-0001"},
		{cases.DefaultReferencePattern, 2026, "CR", 42, "2026-CR-0042"},
		{cases.DefaultReferencePattern, 2026, "CR", 9999, "2026-CR-9999"},
		{cases.DefaultReferencePattern, 2026, "CR", 12345, "2026-CR-12345"}, // wider than the padding: not cut
		{cases.DefaultReferencePattern, 2027, "CV", 7, "2027-CV-0007"},
		{cases.DefaultReferencePattern, 999, "CV", 1, "0999-CV-0001"},
		{"{yy}-{code}-{seq:3}", 2026, "CV", 7, "26-CV-007"},
		{"{yy}-{code}-{seq:3}", 2005, "CV", 7, "05-CV-007"},
		{"{yy}-{code}-{seq:3}", 2000, "CV", 7, "00-CV-007"},
		{"{code}/{yyyy}/{seq}", 2026, "FL", 1, "FL/2026/1"},
		{"{code}/{yyyy}/{seq}", 2026, "FL", 123456, "FL/2026/123456"},
		{"{seq}", 2026, "CR", 5, "5"},
		{"{seq:1}", 2026, "CR", 5, "5"},
		{"{seq:9}", 2026, "CR", 5, "000000005"},
		{"DK.{yyyy}.{code}_{seq:5}", 2026, "CR", 12, "DK.2026.CR_00012"},
		{"{yyyy}{code}.{seq:4}", 2026, "CR", 3, "2026CR.0003"},
		{"{code}-{seq:4}-{yy}", 2026, "CR", 3, "CR-0003-26"},
	}
	for _, tt := range tests {
		got, err := tt.p.Format(tt.year, tt.code, tt.seq)
		if err != nil {
			t.Errorf("%q.Format(%d, %q, %d): %v", tt.p, tt.year, tt.code, tt.seq, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%q.Format(%d, %q, %d) = %q, want %q", tt.p, tt.year, tt.code, tt.seq, got, tt.want)
		}
		if err := tt.p.Validate(); err != nil {
			t.Errorf("%q.Validate(): %v", tt.p, err)
		}
		// A formatted reference is a valid case reference.
		c := validCase()
		c.Reference = got
		checkFieldError(t, c.Validate(), "case", "")
	}
}

func TestReferencePatternFormatSeq(t *testing.T) {
	for _, seq := range []int64{0, -1, -9999} {
		got, err := cases.DefaultReferencePattern.Format(2026, "CR", seq)
		if err == nil {
			t.Errorf("Format(2026, CR, %d) = %q, want an error", seq, got)
			continue
		}
		if !errors.Is(err, cases.ErrInvalid) {
			t.Errorf("Format(2026, CR, %d) error %v does not wrap ErrInvalid", seq, err)
		}
		if got != "" {
			t.Errorf("Format(2026, CR, %d) returned %q with its error", seq, got)
		}
	}
}

func TestReferencePatternCounter(t *testing.T) {
	p := cases.DefaultReferencePattern
	counter := func(year int, code string) string {
		t.Helper()
		c, err := p.Counter(year, code)
		if err != nil {
			t.Fatalf("Counter(%d, %q): %v", year, code, err)
		}
		return c
	}
	if got, want := counter(2026, "CR"), "2026-CR-{seq}"; got != want {
		t.Errorf("Counter(2026, CR) = %q, want %q", got, want)
	}
	if first, again := counter(2026, "CR"), counter(2026, "CR"); first != again {
		t.Errorf("Counter is not stable: %q, then %q", first, again)
	}
	seen := map[string]string{}
	for _, year := range []int{2025, 2026, 2027} {
		for _, code := range []string{"CR", "CV", "FL"} {
			c := counter(year, code)
			if prev, ok := seen[c]; ok {
				t.Errorf("Counter(%d, %q) = %q, the same as for %s", year, code, c, prev)
			}
			seen[c] = code
		}
	}
	// Without {code} in the pattern, every code shares a year's counter.
	p = "{yyyy}-{seq:4}"
	if a, b := counter(2026, "CR"), counter(2026, "CV"); a != b || a != "2026-{seq}" {
		t.Errorf("Counter(2026, CR), Counter(2026, CV) = %q, %q, want both 2026-{seq}", a, b)
	}
	if a, b := counter(2026, "CR"), counter(2027, "CR"); a == b {
		t.Errorf("Counter(2026, CR) = Counter(2027, CR) = %q", a)
	}
	// {yy}: the counter follows the two-digit rendering.
	p = "{yy}/{code}/{seq}"
	if got, want := counter(2026, "CR"), "26/CR/{seq}"; got != want {
		t.Errorf("Counter(2026, CR) = %q, want %q", got, want)
	}
}

func TestReferencePatternInvalid(t *testing.T) {
	longLiteral := cases.ReferencePattern(strings.Repeat("A", 65) + "{seq}")
	tests := []struct {
		p   cases.ReferencePattern
		msg string
	}{
		{"", "exactly once"},
		{"{yyyy}-{code}", "exactly once"},        // no {seq}
		{"{yyyy}-{code}-0001", "exactly once"},   // no {seq}
		{"{seq}-{seq}", "exactly once"},          // two {seq}
		{"{yyyy}-{seq:4}-{seq}", "exactly once"}, // two {seq}
		{"{yyyy}-{code}-{seq:0}", "1 to 9"},      // width 0
		{"{yyyy}-{code}-{seq:10}", "1 to 9"},     // width 10
		{"{yyyy}-{code}-{seq:-1}", "1 to 9"},     // negative width
		{"{yyyy}-{code}-{seq:four}", "1 to 9"},   // not a number
		{"{yyyy}-{code}-{seq:}", "1 to 9"},       // empty width
		{"{yyyy}-{foo}-{seq}", "{foo}"},          // unknown token
		{"{YYYY}-{seq}", "{YYYY}"},               // tokens are lower case
		{"{}-{seq}", "{}"},                       // empty token
		{"{yyyy:4}-{seq}", "takes no width"},     // width on a non-seq token
		{"{code:2}-{seq}", "takes no width"},     // width on a non-seq token
		{"{yyyy}-{code}-{seq", "unclosed"},       // unclosed brace
		{"{yyyy-{seq}", "{yyyy-{seq}"},           // a brace inside a token
		{"{yyyy} {code} {seq}", "literal"},       // a space
		{"{yyyy}-{code}-{seq}}", "literal"},      // stray closing brace
		{"Case #{seq}", "literal"},               // space and #
		{"{yyyy}{code}{seq:4}", "separator"},     // "A1"+"0001" = "A"+"10001"
		{"{seq}{code}", "separator"},             // the same the other way round
		{"{yyyy}-{code}-" + cases.ReferencePattern(strings.Repeat("X", 50)) + "-{seq:9}", "the most is 64"},
		{"{yyyy}–{seq}", "literal"},          // en dash
		{"{yyyy}-{code}-{seq}\n", "literal"}, // newline
		{longLiteral, "literal"},             // literal longer than a reference may be
	}
	for _, tt := range tests {
		t.Run(string(tt.p), func(t *testing.T) {
			err := tt.p.Validate()
			checkFieldError(t, err, "options", "ReferencePattern")
			if err != nil && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Validate() error %q does not mention %q", err, tt.msg)
			}
			got, err := tt.p.Format(2026, "CR", 1)
			checkFieldError(t, err, "options", "ReferencePattern")
			if got != "" {
				t.Errorf("Format returned %q with its error", got)
			}
			got, err = tt.p.Counter(2026, "CR")
			checkFieldError(t, err, "options", "ReferencePattern")
			if got != "" {
				t.Errorf("Counter returned %q with its error", got)
			}
		})
	}
}

func FuzzReferencePattern(f *testing.F) {
	for _, p := range []string{string(cases.DefaultReferencePattern), "{yy}/{code}/{seq}", "{seq:9}", "{seq:10}", "{seq}{seq}", "{", "}", "{yyyy", "a b{seq}", ""} {
		f.Add(p, 2026, "CR", int64(1))
	}
	f.Fuzz(func(t *testing.T, pattern string, year int, code string, seq int64) {
		p := cases.ReferencePattern(pattern)
		verr := p.Validate()
		ref, err := p.Format(year, code, seq)
		if verr != nil {
			checkFieldError(t, verr, "options", "ReferencePattern")
			if err == nil {
				t.Errorf("Validate fails (%v) but Format(%d, %q, %d) = %q", verr, year, code, seq, ref)
			}
			return
		}
		counter, cerr := p.Counter(year, code)
		if cerr != nil {
			t.Fatalf("Validate passes but Counter fails: %v", cerr)
		}
		if strings.Count(counter, "{seq}") < 1 {
			t.Errorf("Counter(%d, %q) = %q has no {seq}", year, code, counter)
		}
		if seq < 1 {
			if err == nil {
				t.Errorf("Format with seq %d = %q, want an error", seq, ref)
			}
			return
		}
		if err != nil {
			t.Fatalf("Validate passes but Format(%d, %q, %d) fails: %v", year, code, seq, err)
		}
	})
}
