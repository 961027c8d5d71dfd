package cases_test

import (
	"errors"
	"fmt"
	"strings"

	cases "github.com/docketkit/docket/case"
)

func ExampleParseDate() {
	d, err := cases.ParseDate("2024-02-29")
	if err != nil {
		panic(err)
	}
	fmt.Println(d, d.Year, d.Month, d.Day)
	fmt.Println(d.Before(cases.MustDate("2024-03-01")))

	_, err = cases.ParseDate("2026-02-29") // 2026 is not a leap year
	fmt.Println(err)
	fmt.Println(errors.Is(err, cases.ErrInvalid))
	// Output:
	// 2024-02-29 2024 February 29
	// true
	// "2026-02-29" is not a date in the form YYYY-MM-DD: invalid input
	// true
}

func ExampleParseWorkflow() {
	w, err := cases.ParseWorkflow([]byte(`{
		"type": "immigration",
		"name": "Immigration",
		"code": "IM",
		"stages": [
			{"name": "intake", "label": "Intake", "next": ["filing"], "requires_clearance": true},
			{"name": "filing", "label": "Petition filed", "next": ["interview", "decision"]},
			{"name": "interview", "label": "Interview", "next": ["decision"]},
			{"name": "decision", "label": "Decision", "next": ["closed"]},
			{"name": "closed", "label": "Closed"}
		],
		"exits": ["withdrawn", "denied"]
	}`))
	if err != nil {
		panic(err)
	}
	for _, s := range w.Stages {
		if len(s.Next) == 0 {
			fmt.Printf("%s (final)\n", s.Name)
			continue
		}
		fmt.Printf("%s -> %s\n", s.Name, strings.Join(s.Next, ", "))
	}
	for _, e := range w.Exits {
		fmt.Println("exit:", e.Name)
	}

	// A misspelt key is an error, not a silently dropped guard.
	_, err = cases.ParseWorkflow([]byte(`{"type": "x", "stages": [{"name": "intake", "requires_clearence": true}]}`))
	fmt.Println(err)
	// Output:
	// intake -> filing
	// filing -> interview, decision
	// interview -> decision
	// decision -> closed
	// closed (final)
	// exit: withdrawn
	// exit: denied
	// workflow: json: unknown field "requires_clearence": invalid input
}

func ExampleWorkflow_CheckAdvance() {
	w := cases.FederalCriminal

	err := w.CheckAdvance("intake", "charging", cases.Pending)
	fmt.Println(err)
	var fe *cases.FieldError
	if errors.As(err, &fe) {
		fmt.Println("field:", fe.Field)
	}

	fmt.Println(w.CheckAdvance("intake", "charging", cases.Cleared))
	fmt.Println(w.CheckAdvance("charging", "sentencing", cases.Cleared))
	// Output:
	// case ConflictCheck: a case cannot leave "intake" until its conflict check is cleared or waived (decision: pending)
	// field: ConflictCheck
	// <nil>
	// case Stage: a case cannot move from "charging" to "sentencing" (allowed: initial-appearance, arraignment)
}

func ExampleReferencePattern_Format() {
	ref, err := cases.DefaultReferencePattern.Format(2026, "CR", 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(ref)

	// Each year and code counts from 1; Counter names the sequence.
	counter, _ := cases.DefaultReferencePattern.Counter(2026, "CR")
	fmt.Println(counter)

	custom := cases.ReferencePattern("{code}/{yy}/{seq:3}")
	ref, _ = custom.Format(2026, "CV", 42)
	fmt.Println(ref)

	fmt.Println(cases.ReferencePattern("{yyyy}-{code}").Validate())
	// Output:
	// 2026-CR-0001
	// 2026-CR-{seq}
	// CV/26/042
	// options ReferencePattern: "{yyyy}-{code}" must contain {seq} exactly once
}
