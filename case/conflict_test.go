package cases

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func knownPerson(id ContactID, name string, aliases ...string) Contact {
	return Contact{ID: id, Kind: Person, Name: name, Aliases: aliases}
}

func knownOrg(id ContactID, name string, aliases ...string) Contact {
	return Contact{ID: id, Kind: Organization, Name: name, Aliases: aliases}
}

// currentClient is a role on an open case for which an adverse subject
// engages Rule 1.7 with weight 1, so that the hit's score is the name
// match's score.
var currentClient = KnownRole{Case: "c3", Reference: "2026-CV-0003", Title: "Smith v. Jones", Role: RoleClient, Open: true}

func TestCheckConflictsNameMatching(t *testing.T) {
	tests := []struct {
		name      string
		subject   Subject
		known     Contact
		wantMatch MatchKind // "" for no hit
		wantScore float64
		wantInWhy string
	}{
		{"exact", Subject{Name: "John Smith", Kind: Person}, knownPerson("p", "John Smith"), MatchExact, 1, "the same name"},
		{"exact last-first", Subject{Name: "Smith, John", Kind: Person}, knownPerson("p", "John Smith"), MatchExact, 1, "the same name"},
		{"exact accents and honorific", Subject{Name: "Dr. José García", Kind: Person}, knownPerson("p", "Jose Garcia"), MatchExact, 1, "the same name"},
		{"middle name", Subject{Name: "John Q. Smith", Kind: Person}, knownPerson("p", "John Smith"), MatchExact, 0.9, "the middle name differs"},
		{"middle initial", Subject{Name: "John Q. Smith", Kind: Person}, knownPerson("p", "John Quincy Smith"), MatchExact, 0.9, "the middle name differs"},
		{"nickname, alias unused", Subject{Name: "Bob Jones", Kind: Person}, knownPerson("p", "Robert Jones", "Bobby J"), MatchNickname, 0.85, "Bob is a nickname of Robert"},
		{"known alias exact", Subject{Name: "Jane Doe", Kind: Person}, knownPerson("p", "Jane Roe", "Jane Doe"), MatchAlias, 0.95, `"Jane Doe" is an alias of Jane Roe`},
		{"subject alias", Subject{Name: "Jane Roe", Aliases: []string{"Jane Doe"}, Kind: Person}, knownPerson("p", "Jane Doe"), MatchAlias, 0.95, `"Jane Doe" is an alias of Jane Roe`},
		{"org alias", Subject{Name: "Initech", Kind: Organization}, knownOrg("o", "Initrode Holdings", "Initech LLC"), MatchAlias, 0.95, `"Initech LLC" is an alias of Initrode Holdings`},
		{"company suffix", Subject{Name: "Globex Corp", Kind: Organization}, knownOrg("o", "Globex Corporation"), MatchCompany, 0.95, "corporate suffix"},
		{"company inc", Subject{Name: "Globex, Inc.", Kind: Organization}, knownOrg("o", "Globex Corporation"), MatchCompany, 0.95, "corporate suffix"},
		{"company the", Subject{Name: "The Globex Corporation", Kind: Organization}, knownOrg("o", "Globex Corporation"), MatchCompany, 0.95, "corporate suffix"},
		{"company case only", Subject{Name: "GLOBEX CORPORATION", Kind: Organization}, knownOrg("o", "Globex Corporation"), MatchExact, 1, "the same name"},
		{"company dot", Subject{Name: "Globex Corp.", Kind: Organization}, knownOrg("o", "Globex Corp"), MatchExact, 1, "the same name"},
		{"nickname", Subject{Name: "Bill Smith", Kind: Person}, knownPerson("p", "William Smith"), MatchNickname, 0.85, "Bill is a nickname of William"},
		{"nickname reversed", Subject{Name: "William Smith", Kind: Person}, knownPerson("p", "Bill Smith"), MatchNickname, 0.85, "Bill is a nickname of William"},
		{"nickname shared", Subject{Name: "Liz Taylor", Kind: Person}, knownPerson("p", "Beth Taylor"), MatchNickname, 0.85, "Liz and Beth are both short for Elizabeth"},
		{"nickname peggy", Subject{Name: "Peggy Olson", Kind: Person}, knownPerson("p", "Margaret Olson"), MatchNickname, 0.85, "Peggy is a nickname of Margaret"},
		{"nickname with middle", Subject{Name: "Jack F. Kennedy", Kind: Person}, knownPerson("p", "John Fitzgerald Kennedy"), MatchNickname, 0.85, "Jack is a nickname of John"},
		{"phonetic surname", Subject{Name: "Smyth", Kind: Person}, knownPerson("p", "Smith"), MatchPhonetic, 0.7, "Smyth sounds like Smith"},
		{"phonetic full", Subject{Name: "Jon Smythe", Kind: Person}, knownPerson("p", "John Smith"), MatchPhonetic, 0.7, "Jon sounds like John, Smythe sounds like Smith"},
		{"phonetic ann lee", Subject{Name: "Ann Lee", Kind: Person}, knownPerson("p", "Anne Leigh"), MatchPhonetic, 0.7, "Leigh"},
		{"phonetic with nickname", Subject{Name: "Bill Smyth", Kind: Person}, knownPerson("p", "William Smith"), MatchPhonetic, 0.7, "Bill is a nickname of William, Smyth sounds like Smith"},
		{"initial given name", Subject{Name: "J. Smith", Kind: Person}, knownPerson("p", "John Smith"), MatchPhonetic, 0.7, "J is the initial of John"},
		{"no: different people", Subject{Name: "Maria Garcia", Kind: Person}, knownPerson("p", "Mario Gomez"), "", 0, ""},
		{"no: different given names", Subject{Name: "Bill Smith", Kind: Person}, knownPerson("p", "Robert Smith"), "", 0, ""},
		{"no: different middle initials", Subject{Name: "John Q Smith", Kind: Person}, knownPerson("p", "John R Smith"), "", 0, ""},
		{"no: different initials", Subject{Name: "J Smith", Kind: Person}, knownPerson("p", "K Smith"), "", 0, ""},
		{"no: initial surname", Subject{Name: "John S.", Kind: Person}, knownPerson("p", "John Smith"), "", 0, ""},
		{"no: initials alone", Subject{Name: "J S", Kind: Person}, knownPerson("p", "John Smith"), "", 0, ""},
		{"no: surname alone", Subject{Name: "Smith", Kind: Person}, knownPerson("p", "John Smith"), "", 0, ""},
		{"no: different company", Subject{Name: "Globex Holdings", Kind: Organization}, knownOrg("o", "Globex Corporation"), "", 0, ""},
		{"no: person vs org", Subject{Name: "Globex", Kind: Person}, knownOrg("o", "Globex"), "", 0, ""},
		{"no: org vs person", Subject{Name: "John Smith", Kind: Organization}, knownPerson("p", "John Smith"), "", 0, ""},
		{"no kind: person", Subject{Name: "John Smith"}, knownPerson("p", "John Smith"), MatchExact, 1, "the same name"},
		{"no kind: org", Subject{Name: "Globex Corp"}, knownOrg("o", "Globex Corporation"), MatchCompany, 0.95, "corporate suffix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.subject.Role = SubjectAdverse
			hits := CheckConflicts([]Subject{tt.subject}, []Known{{Contact: tt.known, Roles: []KnownRole{currentClient}}})
			if tt.wantMatch == "" {
				if len(hits) != 0 {
					t.Fatalf("want no hit, got %+v", hits)
				}
				return
			}
			if len(hits) != 1 {
				t.Fatalf("want 1 hit, got %d: %+v", len(hits), hits)
			}
			h := hits[0]
			if h.Match != tt.wantMatch || h.Score != tt.wantScore {
				t.Errorf("got %s %.2f, want %s %.2f (%s)", h.Match, h.Score, tt.wantMatch, tt.wantScore, h.Reason)
			}
			if !strings.Contains(h.Reason, tt.wantInWhy) {
				t.Errorf("reason %q does not say %q", h.Reason, tt.wantInWhy)
			}
			if h.Rule != "1.7" || h.Contact != tt.known.ID || h.ContactName != tt.known.Name {
				t.Errorf("hit %+v lacks the contact or rule", h)
			}
		})
	}
}

func TestCheckConflictsReason(t *testing.T) {
	hits := CheckConflicts(
		[]Subject{{Name: "Bill Smith", Kind: Person, Role: SubjectAdverse}},
		[]Known{{Contact: knownPerson("p1", "William Smith"), Roles: []KnownRole{currentClient}}},
	)
	want := []Hit{{
		Subject: "Bill Smith", SubjectRole: SubjectAdverse,
		Contact: "p1", ContactName: "William Smith", MatchedName: "William Smith",
		Match: MatchNickname, Score: 0.85,
		Case: "c3", Reference: "2026-CV-0003", Role: RoleClient, Rule: "1.7",
		Reason: `"Bill Smith" matches "William Smith" (Bill is a nickname of William); William Smith is a current client on 2026-CV-0003 (Smith v. Jones): acting against a current client engages ABA Model Rule 1.7`,
	}}
	if diff := cmp.Diff(want, hits); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
}

func TestCheckConflictsRoles(t *testing.T) {
	openCase := func(role PartyRole) KnownRole {
		return KnownRole{Case: "c1", Reference: "2026-CV-0001", Title: "Acme v. Initech", Role: role, Open: true}
	}
	closedCase := func(role PartyRole) KnownRole {
		return KnownRole{Case: "c0", Reference: "2019-CV-0042", Title: "Initech v. Acme", Role: role}
	}
	tests := []struct {
		name      string
		subject   SubjectRole
		roles     []KnownRole
		wantRule  string
		wantScore float64
		wantInWhy string
	}{
		{"prospect is adverse on open case", SubjectClient, []KnownRole{openCase(RoleOpposingParty)}, "1.7", 1, "direct adversity: Initech is an opposing party on 2026-CV-0001 (Acme v. Initech)"},
		// The old opponent was never a client: only the closed case's client
		// is protected (1.9), and only in a related matter. Review, no rule.
		{"prospect was adverse on closed case", SubjectClient, []KnownRole{closedCase(RoleOpposingParty)}, "", 0.5, "was an opposing party on closed case 2019-CV-0042"},
		{"prospect is a current client", SubjectClient, []KnownRole{openCase(RoleClient)}, "", 0.3, "already a current client"},
		{"prospect is a former client", SubjectClient, []KnownRole{closedCase(RoleClient)}, "", 0.3, "former client"},
		{"prospect is a co-defendant", SubjectClient, []KnownRole{openCase(RoleCoDefendant)}, "1.7", 0.8, "material limitation"},
		{"prospect was a co-defendant", SubjectClient, []KnownRole{closedCase(RoleCoDefendant)}, "", 0.5, "was a co-defendant"},
		{"prospect is a witness", SubjectClient, []KnownRole{openCase(RoleWitness)}, "", 0.5, "is a witness"},
		{"adverse party is a current client", SubjectAdverse, []KnownRole{openCase(RoleClient)}, "1.7", 1, "acting against a current client"},
		{"adverse party is a former client", SubjectAdverse, []KnownRole{closedCase(RoleClient)}, "1.9", 1, "Initech is a former client on closed case 2019-CV-0042 (Initech v. Acme)"},
		{"adverse party is adverse elsewhere", SubjectAdverse, []KnownRole{openCase(RoleOpposingParty)}, "", 0.3, "also an opposing party"},
		{"adverse party is opposing counsel", SubjectAdverse, []KnownRole{openCase(RoleOpposingCounsel)}, "", 0.5, "is opposing counsel"},
		{"adverse party is an expert", SubjectAdverse, []KnownRole{openCase(RoleExpert)}, "", 0.5, "is an expert"},
		{"adverse party is the insurer", SubjectAdverse, []KnownRole{openCase(RoleInsurer)}, "", 0.5, "is the insurer"},
		{"adverse party is the judge", SubjectAdverse, []KnownRole{openCase(RoleJudge)}, "", 0.5, "is the judge"},
		{"adverse party in another role", SubjectAdverse, []KnownRole{closedCase(RoleOther)}, "", 0.5, "was a participant"},
		{"adverse party is a co-defendant", SubjectAdverse, []KnownRole{openCase(RoleCoDefendant)}, "", 0.5, "is a co-defendant"},
		{"no role", SubjectAdverse, nil, "", 0.3, "has no role on any case"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := CheckConflicts(
				[]Subject{{Name: "Initech", Kind: Organization, Role: tt.subject}},
				[]Known{{Contact: knownOrg("o1", "Initech"), Roles: tt.roles}},
			)
			if len(hits) != 1 {
				t.Fatalf("want 1 hit, got %+v", hits)
			}
			h := hits[0]
			if h.Rule != tt.wantRule || h.Score != tt.wantScore {
				t.Errorf("got rule %q score %.2f, want %q %.2f (%s)", h.Rule, h.Score, tt.wantRule, tt.wantScore, h.Reason)
			}
			if !strings.Contains(h.Reason, tt.wantInWhy) {
				t.Errorf("reason %q does not say %q", h.Reason, tt.wantInWhy)
			}
			if len(tt.roles) == 0 {
				if h.Case != "" || h.Role != "" {
					t.Errorf("a contact without roles gave a hit on case %q as %q", h.Case, h.Role)
				}
			} else if h.Case != tt.roles[0].Case || h.Reference != tt.roles[0].Reference || h.Role != tt.roles[0].Role {
				t.Errorf("hit %+v does not name the case", h)
			}
		})
	}
}

func TestCheckConflictsOneHitPerRole(t *testing.T) {
	hits := CheckConflicts(
		[]Subject{{Name: "Jane Doe", Kind: Person, Role: SubjectClient}},
		[]Known{{Contact: knownPerson("p1", "Jane Doe"), Roles: []KnownRole{
			{Case: "c1", Reference: "2026-CV-0001", Role: RoleClient, Open: true},
			{Case: "c2", Reference: "2026-CV-0002", Role: RoleOpposingParty, Open: true},
			{Case: "c3", Reference: "2020-CV-0003", Role: RoleOpposingParty},
		}}},
	)
	type short struct {
		Reference, Rule string
		Score           float64
	}
	var got []short
	for _, h := range hits {
		got = append(got, short{h.Reference, h.Rule, h.Score})
	}
	want := []short{{"2026-CV-0002", "1.7", 1}, {"2020-CV-0003", "", 0.5}, {"2026-CV-0001", "", 0.3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
}

func TestCheckConflictsIdentity(t *testing.T) {
	// The new client is a known contact recorded under another spelling
	// and is an opposing party on an open case.
	hits := CheckConflicts(
		[]Subject{{Name: "Initech Software", Kind: Organization, Role: SubjectClient, Contact: "o1"}},
		[]Known{
			{Contact: knownOrg("o1", "Initrode"), Roles: []KnownRole{{Case: "c1", Reference: "2026-CV-0001", Role: RoleOpposingParty, Open: true}}},
			{Contact: knownOrg("o2", "Initech Systems")},
		},
	)
	if len(hits) != 1 {
		t.Fatalf("want 1 hit, got %+v", hits)
	}
	h := hits[0]
	if h.Contact != "o1" || h.Match != MatchExact || h.Score != 1 || h.Rule != "1.7" || !strings.Contains(h.Reason, "the same contact record") {
		t.Errorf("got %+v", h)
	}
}

func TestCheckConflictsRelated(t *testing.T) {
	sub := Known{
		Contact: knownOrg("o2", "Globex Subsidiary LLC"),
		Roles:   []KnownRole{{Case: "c7", Reference: "2026-CV-0007", Title: "Globex Subsidiary v. Hooli", Role: RoleClient, Open: true}},
	}
	parent := Known{Contact: knownOrg("o1", "Globex Corporation")}
	parent.Contact.Related = []Relation{{Contact: "o2", Kind: RelSubsidiary}}
	unrelated := Known{Contact: knownOrg("o3", "Hooli"), Roles: []KnownRole{{Case: "c7", Reference: "2026-CV-0007", Role: RoleOpposingParty, Open: true}}}

	hits := CheckConflicts([]Subject{{Name: "Globex Corp", Kind: Organization, Role: SubjectAdverse}}, []Known{unrelated, sub, parent})
	want := []Hit{
		{
			Subject: "Globex Corp", SubjectRole: SubjectAdverse,
			Contact: "o2", ContactName: "Globex Subsidiary LLC", MatchedName: "Globex Corporation",
			Match: MatchRelated, Score: 0.76,
			Case: "c7", Reference: "2026-CV-0007", Role: RoleClient, Rule: "1.7",
			Reason: `Globex Subsidiary LLC is a subsidiary of Globex Corporation, which matches "Globex Corp" (the same company once the corporate suffix is set aside); ` +
				`Globex Subsidiary LLC is a current client on 2026-CV-0007 (Globex Subsidiary v. Hooli): acting against a current client engages ABA Model Rule 1.7`,
		},
		{
			Subject: "Globex Corp", SubjectRole: SubjectAdverse,
			Contact: "o1", ContactName: "Globex Corporation", MatchedName: "Globex Corporation",
			Match: MatchCompany, Score: 0.29,
			Reason: `"Globex Corp" matches "Globex Corporation" (the same company once the corporate suffix is set aside); Globex Corporation has no role on any case`,
		},
	}
	if diff := cmp.Diff(want, hits); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
}

func TestCheckConflictsRelatedReverseAndSpouse(t *testing.T) {
	// The relations are recorded on the related contacts, pointing at the
	// matched one.
	matched := Known{Contact: knownPerson("p1", "William Smith")}
	wife := Known{
		Contact: knownPerson("p2", "Mary Smith"),
		Roles:   []KnownRole{{Case: "c1", Reference: "2026-FA-0001", Role: RoleClient, Open: true}},
	}
	wife.Contact.Related = []Relation{{Contact: "p1", Kind: RelSpouse}}
	employer := Known{
		Contact: knownOrg("o1", "Smith Plumbing Ltd"),
		Roles:   []KnownRole{{Case: "c2", Reference: "2024-CV-0002", Role: RoleClient}},
	}
	matched.Contact.Related = []Relation{{Contact: "o1", Kind: RelEmployer}}
	child := Known{
		Contact: knownPerson("p3", "Tom Smith"),
		Roles:   []KnownRole{{Case: "c3", Reference: "2026-CV-0003", Role: RoleWitness, Open: true}},
	}
	child.Contact.Related = []Relation{{Contact: "p1", Kind: RelFamily}, {Contact: "nobody", Kind: RelFamily}}

	hits := CheckConflicts([]Subject{{Name: "Bill Smith", Kind: Person, Role: SubjectAdverse}}, []Known{matched, wife, employer, child})
	type short struct {
		Contact ContactID
		Match   MatchKind
		Score   float64
		Rule    string
		Why     string
	}
	var got []short
	for _, h := range hits {
		why, _, _ := strings.Cut(h.Reason, ",")
		got = append(got, short{h.Contact, h.Match, h.Score, h.Rule, why})
	}
	want := []short{
		{"p2", MatchRelated, 0.68, "1.7", "Mary Smith is the spouse of William Smith"},
		{"o1", MatchRelated, 0.68, "1.9", "Smith Plumbing Ltd is the employer of William Smith"},
		{"p3", MatchRelated, 0.34, "", "Tom Smith is a family member of William Smith"},
		{"p1", MatchNickname, 0.26, "", `"Bill Smith" matches "William Smith" (Bill is a nickname of William); William Smith has no role on any case`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
}

func TestCheckConflictsRelatedNotRepeated(t *testing.T) {
	// A relation recorded on both sides yields one related hit, and a
	// related contact that matches directly is reported directly only.
	a := Known{Contact: knownOrg("o1", "Acme Holdings"), Roles: []KnownRole{{Case: "c1", Reference: "R1", Role: RoleClient, Open: true}}}
	b := Known{Contact: knownOrg("o2", "Acme Widgets"), Roles: []KnownRole{{Case: "c2", Reference: "R2", Role: RoleClient, Open: true}}}
	c := Known{Contact: knownOrg("o3", "Acme Tools"), Roles: []KnownRole{{Case: "c3", Reference: "R3", Role: RoleClient, Open: true}}}
	a.Contact.Related = []Relation{{Contact: "o2", Kind: RelSubsidiary}, {Contact: "o3", Kind: RelSubsidiary}}
	b.Contact.Related = []Relation{{Contact: "o1", Kind: RelParent}}
	c.Contact.Related = []Relation{{Contact: "o1", Kind: RelParent}}

	hits := CheckConflicts([]Subject{
		{Name: "Acme Holdings", Kind: Organization, Role: SubjectAdverse},
		{Name: "Acme Tools", Kind: Organization, Role: SubjectAdverse},
	}, []Known{a, b, c})
	type short struct {
		Subject string
		Contact ContactID
		Match   MatchKind
	}
	var got []short
	for _, h := range hits {
		got = append(got, short{h.Subject, h.Contact, h.Match})
	}
	want := []short{
		{"Acme Holdings", "o1", MatchExact},
		{"Acme Tools", "o3", MatchExact},
		{"Acme Holdings", "o3", MatchRelated},
		{"Acme Holdings", "o2", MatchRelated},
		{"Acme Tools", "o1", MatchRelated},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
}

func TestCheckConflictsDeterministic(t *testing.T) {
	subjects := []Subject{
		{Name: "Bill Smith", Kind: Person, Role: SubjectClient},
		{Name: "Globex Corp", Kind: Organization, Role: SubjectAdverse},
		{Name: "Jon Smythe", Kind: Person, Role: SubjectAdverse},
	}
	known := []Known{
		{Contact: knownPerson("p1", "William Smith"), Roles: []KnownRole{
			{Case: "c1", Reference: "2026-CV-0001", Role: RoleOpposingParty, Open: true},
			{Case: "c2", Reference: "2025-CV-0002", Role: RoleClient},
		}},
		{Contact: knownPerson("p2", "John Smith"), Roles: []KnownRole{{Case: "c3", Reference: "2026-CV-0003", Role: RoleClient, Open: true}}},
		{Contact: knownPerson("p3", "Will Smith")},
		{Contact: knownPerson("p4", "Bill Smith", "W. Smith")},
		{Contact: knownOrg("o1", "Globex Corporation"), Roles: []KnownRole{{Case: "c4", Reference: "2026-CV-0004", Role: RoleClient, Open: true}}},
		{Contact: knownOrg("o2", "The Globex Corporation"), Roles: []KnownRole{{Case: "c5", Reference: "2026-CV-0005", Role: RoleClient, Open: true}}},
	}
	want := CheckConflicts(subjects, known)
	if len(want) != 7 {
		t.Fatalf("want 7 hits, got %d", len(want))
	}
	if !slices.IsSortedFunc(want, func(a, b Hit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.Subject+"\x00"+a.ContactName+"\x00"+a.Reference, b.Subject+"\x00"+b.ContactName+"\x00"+b.Reference)
	}) {
		t.Errorf("hits are not in order: %+v", want)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20 {
		s, k := slices.Clone(subjects), slices.Clone(known)
		r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		r.Shuffle(len(k), func(i, j int) { k[i], k[j] = k[j], k[i] })
		if diff := cmp.Diff(want, CheckConflicts(s, k)); diff != "" {
			t.Fatalf("shuffle %d changed the hits (-want +got):\n%s", i, diff)
		}
	}
}

func TestCheckConflictsEmpty(t *testing.T) {
	known := []Known{{Contact: knownPerson("p1", "John Smith")}}
	if hits := CheckConflicts(nil, known); hits != nil {
		t.Errorf("no subjects: got %+v", hits)
	}
	if hits := CheckConflicts([]Subject{{Name: "John Smith", Kind: Person}}, nil); hits != nil {
		t.Errorf("no known contacts: got %+v", hits)
	}
	if hits := CheckConflicts([]Subject{{Name: " .,", Kind: Person}}, known); hits != nil {
		t.Errorf("blank subject: got %+v", hits)
	}
	blank := []Known{{Contact: knownPerson("p2", "")}, {Contact: knownPerson("p3", "Mr")}}
	if hits := CheckConflicts([]Subject{{Name: "Smith", Kind: Person}}, blank); hits != nil {
		t.Errorf("blank known names: got %+v", hits)
	}
}

// TestCheckConflictsManyKnown guards against quadratic work: 100,000 known
// contacts and a handful of subjects.
func TestCheckConflictsManyKnown(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	known := manyKnown(100_000)
	subjects := []Subject{
		{Name: "Bill Smith", Kind: Person, Role: SubjectClient},
		{Name: "Globex Corp", Kind: Organization, Role: SubjectAdverse},
		{Name: "Maria Garcia", Kind: Person, Role: SubjectAdverse},
	}
	hits := CheckConflicts(subjects, known)
	if len(hits) == 0 {
		t.Fatal("no hits")
	}
}

func BenchmarkCheckConflicts(b *testing.B) {
	known := manyKnown(100_000)
	subjects := []Subject{
		{Name: "Bill Smith", Kind: Person, Role: SubjectClient},
		{Name: "Globex Corp", Kind: Organization, Role: SubjectAdverse},
	}
	for b.Loop() {
		CheckConflicts(subjects, known)
	}
}

func manyKnown(n int) []Known {
	given := []string{"John", "Mary", "William", "Elizabeth", "Robert", "Maria", "José", "Ann", "Wei", "Fatima", "Olga", "Kwame"}
	family := []string{"Smith", "Garcia", "Jones", "Nguyen", "Müller", "Okafor", "Leigh", "Kowalski", "Brown", "Smyth", "Ivanova", "Chen", "Patel"}
	known := make([]Known, n)
	for i := range known {
		id := ContactID(fmt.Sprintf("k%d", i))
		if i%5 == 0 {
			known[i] = Known{Contact: knownOrg(id, fmt.Sprintf("%s %s Holdings Inc", family[i%len(family)], given[(i/7)%len(given)]))}
			continue
		}
		name := fmt.Sprintf("%s %c. %s", given[i%len(given)], 'A'+rune(i%26), family[(i/3)%len(family)])
		known[i] = Known{Contact: knownPerson(id, name), Roles: []KnownRole{{Case: ID(fmt.Sprintf("c%d", i)), Reference: fmt.Sprintf("R-%d", i), Role: RoleWitness, Open: i%2 == 0}}}
	}
	known = append(known, Known{Contact: knownOrg("globex", "Globex Corporation")})
	return known
}

// TestCheckConflictsProspects: what a prospective client told the firm is
// protected by Rule 1.18 though no case was opened, both when the old
// prospect is now the adverse party and when the new client was the party
// an old prospect named as adverse.
func TestCheckConflictsProspects(t *testing.T) {
	jane := Known{Contact: Contact{ID: "jane", Kind: Person, Name: "Jane Roe"},
		Roles: []KnownRole{{Intake: "in-1", Title: "intake of 2026-02-10, declined", Role: RoleProspect}}}
	john := Known{Contact: Contact{ID: "john", Kind: Person, Name: "John Roe"},
		Roles: []KnownRole{{Intake: "in-1", Title: "intake of 2026-02-10 for Jane Roe, declined", Role: RoleOpposingParty}}}
	tests := []struct {
		name    string
		subject Subject
		rule    string
		reason  string
	}{
		{"old prospect is now adverse", Subject{Name: "Jane Roe", Kind: Person, Role: SubjectAdverse}, "1.18",
			"Jane Roe consulted the firm as a prospective client (intake of 2026-02-10, declined)"},
		{"new client was named adverse by an old prospect", Subject{Name: "John Roe", Kind: Person, Role: SubjectClient}, "1.18",
			"John Roe was named as an adverse party by a prospective client (intake of 2026-02-10 for Jane Roe, declined)"},
		{"old prospect comes back as a client", Subject{Name: "Jane Roe", Kind: Person, Role: SubjectClient}, "",
			"Jane Roe already consulted the firm"},
	}
	for _, tt := range tests {
		// Jane and John share a Double Metaphone code, so each also finds
		// the other as a weak phonetic hit; the strongest is the real one.
		hits := CheckConflicts([]Subject{tt.subject}, []Known{jane, john})
		if len(hits) == 0 {
			t.Fatalf("%s: no hits", tt.name)
		}
		var h *Hit
		for i := range hits {
			if hits[i].ContactName == tt.subject.Name {
				h = &hits[i]
			}
		}
		if h == nil {
			t.Fatalf("%s: no hit on %s: %+v", tt.name, tt.subject.Name, hits)
		}
		if h.Rule != tt.rule || !strings.Contains(h.Reason, tt.reason) {
			t.Errorf("%s: rule %q, reason %q; want rule %q and a reason containing %q", tt.name, h.Rule, h.Reason, tt.rule, tt.reason)
		}
	}
}
