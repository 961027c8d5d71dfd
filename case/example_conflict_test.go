package cases_test

import (
	"fmt"

	cases "github.com/docketkit/docket/case"
)

func ExampleCheckConflicts() {
	globex := cases.Contact{ID: "o1", Kind: cases.Organization, Name: "Globex Corporation",
		Related: []cases.Relation{{Contact: "o2", Kind: cases.RelSubsidiary}}}
	known := []cases.Known{
		{Contact: cases.Contact{ID: "p1", Kind: cases.Person, Name: "William Smith"}, Roles: []cases.KnownRole{
			{Case: "c3", Reference: "2026-CV-0003", Title: "Smith v. Jones", Role: cases.RoleClient, Open: true},
		}},
		{Contact: cases.Contact{ID: "p2", Kind: cases.Person, Name: "Maria Garcia"}, Roles: []cases.KnownRole{
			{Case: "c1", Reference: "2024-CV-0001", Title: "Garcia v. Initech", Role: cases.RoleClient},
		}},
		{Contact: globex},
		{Contact: cases.Contact{ID: "o2", Kind: cases.Organization, Name: "Globex Subsidiary LLC"}, Roles: []cases.KnownRole{
			{Case: "c4", Reference: "2026-CV-0004", Title: "Globex Subsidiary v. Hooli", Role: cases.RoleOpposingParty, Open: true},
		}},
	}
	subjects := []cases.Subject{
		{Name: "Globex Corp", Kind: cases.Organization, Role: cases.SubjectClient},
		{Name: "Bill Smith", Kind: cases.Person, Role: cases.SubjectAdverse},
		{Name: "Mario Gomez", Kind: cases.Person, Role: cases.SubjectAdverse},
	}
	for _, h := range cases.CheckConflicts(subjects, known) {
		fmt.Printf("%.2f %-8s rule %-3s %s\n", h.Score, h.Match, h.Rule, h.Reason)
	}
	// Output:
	// 0.85 nickname rule 1.7 "Bill Smith" matches "William Smith" (Bill is a nickname of William); William Smith is a current client on 2026-CV-0003 (Smith v. Jones): acting against a current client engages ABA Model Rule 1.7
	// 0.76 related  rule 1.7 Globex Subsidiary LLC is a subsidiary of Globex Corporation, which matches "Globex Corp" (the same company once the corporate suffix is set aside); direct adversity: Globex Subsidiary LLC is an opposing party on 2026-CV-0004 (Globex Subsidiary v. Hooli), so acting for them would be adverse to a current client, which engages ABA Model Rule 1.7
	// 0.29 company  rule     "Globex Corp" matches "Globex Corporation" (the same company once the corporate suffix is set aside); Globex Corporation has no role on any case
}
