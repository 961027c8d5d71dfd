package audit_test

import (
	"fmt"
	"time"

	"github.com/docketkit/docket/audit"
)

// ExampleVerifier seals a three-entry chain, verifies it, then edits one
// entry after the fact and verifies again.
func ExampleVerifier() {
	at := time.Date(2026, time.March, 2, 9, 30, 0, 0, time.UTC)
	log := []audit.Entry{
		{At: at, Actor: "u1", Action: "case.open", ResourceType: "case", ResourceID: "c1", CaseID: "c1",
			Changes: []audit.Change{{Field: "Title", After: `"United States v. Ortiz"`}}},
		{At: at.Add(time.Hour), Actor: "u2", Action: "case.advance", ResourceType: "case", ResourceID: "c1", CaseID: "c1",
			Changes: []audit.Change{{Field: "Stage", Before: `"intake"`, After: `"charging"`}}},
		{At: at.Add(2 * time.Hour), Actor: "u1", Action: "document.create", ResourceType: "document", ResourceID: "d1", CaseID: "c1"},
	}
	var prev audit.Hash
	for i := range log {
		audit.Seal(&log[i], int64(i), prev)
		prev = log[i].Hash
	}
	headSeq, head := log[2].Seq, log[2].Hash // recorded apart from the log

	verify := func() audit.Result {
		v := audit.NewVerifier(0, audit.Hash{})
		for i := range log {
			v.Add(&log[i])
		}
		v.Expect(headSeq, head)
		return v.Result()
	}

	r := verify()
	fmt.Println(r.OK, r.Checked, r.From, r.To, r.Head == head)

	// Someone rewrites who advanced the case.
	log[1].Actor = "u3"
	fmt.Println(verify())
	// Output:
	// true 3 1 3 true
	// audit chain broken at entry 2: its contents do not match its hash: a field was changed after it was written
}

func ExampleDiff() {
	type Case struct {
		Title   string
		Stage   string
		Team    []string
		Judge   string
		Version int64
	}
	before := Case{Title: "Smith v. Jones", Stage: "pleadings", Team: []string{"u1"}, Version: 3}
	after := Case{Title: "Smith v. Jones", Stage: "discovery", Team: []string{"u1", "u2"}, Judge: "Hon. A. Núñez", Version: 4}

	for _, c := range audit.Diff(before, after, "Version") {
		fmt.Printf("%s: %s -> %s\n", c.Field, c.Before, c.After)
	}
	fmt.Println("created:")
	for _, c := range audit.Diff(nil, &before, "Version") {
		fmt.Printf("%s: %s\n", c.Field, c.After)
	}
	// Output:
	// Judge:  -> "Hon. A. Núñez"
	// Stage: "pleadings" -> "discovery"
	// Team: ["u1"] -> ["u1","u2"]
	// created:
	// Stage: "pleadings"
	// Team: ["u1"]
	// Title: "Smith v. Jones"
}
