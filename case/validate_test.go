package cases_test

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	cases "github.com/docketkit/docket/case"
)

// checkFieldError asserts err is a validation failure of record's field:
// errors.Is(err, ErrInvalid) and errors.As to a *FieldError naming field.
// An empty field means err must be nil.
func checkFieldError(t *testing.T, err error, record, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Errorf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Errorf("no error, want one on field %s", field)
		return
	}
	if !errors.Is(err, cases.ErrInvalid) {
		t.Errorf("error %v does not wrap ErrInvalid", err)
	}
	var fe *cases.FieldError
	if !errors.As(err, &fe) {
		t.Errorf("error %v (%T) is not a *FieldError", err, err)
		return
	}
	if fe.Field != field {
		t.Errorf("error names field %q, want %q (error: %v)", fe.Field, field, err)
	}
	if fe.Record != record {
		t.Errorf("error names record %q, want %q (error: %v)", fe.Record, record, err)
	}
	if fe.Problem == "" {
		t.Errorf("error on %s has no Problem", fe.Field)
	}
	if !strings.Contains(err.Error(), field) {
		t.Errorf("error text %q does not name the field %s", err, field)
	}
}

var (
	longName      = strings.Repeat("é", cases.MaxNameLen+1) // MaxNameLen+1 runes
	maxName       = strings.Repeat("é", cases.MaxNameLen)   // MaxNameLen runes, 2*MaxNameLen bytes
	longText      = strings.Repeat("a", cases.MaxTextLen+1)
	validToday    = cases.MustDate("2026-03-02")
	badUTF8       = "Ana \xff Smith"
	unicodeNames  = []string{"María Elena García", "Đặng Thị Ngọc Hân", "李小龍", "Ørsted A/S", "محمد بن سلمان", "Zoë O’Brien-Łukasiewicz", "Ｊｏｈｎ", "Иван Петров"}
	notSingleLine = []string{"Ana\nSmith", "Ana\rSmith", "Ana\r\nSmith", "Ana\x00Smith", "Ana Smith\n"}
)

func TestFieldError(t *testing.T) {
	fe := &cases.FieldError{Record: "case", Field: "Title", Problem: "is required"}
	if got, want := fe.Error(), "case Title: is required"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(fe, cases.ErrInvalid) {
		t.Error("a FieldError without Err does not unwrap to ErrInvalid")
	}
	fe = &cases.FieldError{Field: "Reference", Problem: "is taken", Err: fs.ErrExist}
	if got, want := fe.Error(), "Reference: is taken"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(fe, fs.ErrExist) || errors.Is(fe, cases.ErrInvalid) {
		t.Errorf("a FieldError with Err = fs.ErrExist unwraps to %v", errors.Unwrap(fe))
	}
}

func validContact() cases.Contact {
	return cases.Contact{
		ID:                "p1",
		Kind:              cases.Person,
		Name:              "María Elena García",
		Aliases:           []string{"María García", "Maria Garcia-Lopez"},
		Emails:            []string{"maria@example.com", "m.garcia@example.org"},
		Phones:            []string{"+1 212 555 0100", "(212) 555-0101"},
		Addresses:         []string{"1 Main St\nSpringfield"},
		PreferredLanguage: "es",
		InterpreterNeeded: true,
		Accessibility:     "step-free access",
		CulturalNotes:     "prefers morning meetings",
		DateOfBirth:       cases.MustDate("1980-06-15"),
		Related:           []cases.Relation{{Contact: "p2", Kind: cases.RelSpouse}, {Contact: "o1", Kind: cases.RelEmployer}},
		Notes:             "multi-line\nnotes are fine",
	}
}

func TestContactValidate(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(c *cases.Contact)
		today cases.Date
		field string // "" means valid
	}{
		{name: "valid person", mod: func(c *cases.Contact) {}},
		{name: "minimal person", mod: func(c *cases.Contact) { *c = cases.Contact{Kind: cases.Person, Name: "Ana"} }},
		{name: "valid organization", mod: func(c *cases.Contact) {
			*c = cases.Contact{ID: "o1", Kind: cases.Organization, Name: "Globex Corporation", Aliases: []string{"Globex", "Globex Corp."},
				Related: []cases.Relation{{Contact: "o2", Kind: cases.RelSubsidiary}, {Contact: "o3", Kind: cases.RelParent}, {Contact: "o4", Kind: cases.RelAffiliate}}}
		}},
		{name: "name of MaxNameLen runes", mod: func(c *cases.Contact) { c.Name = maxName }},
		{name: "language pt-BR", mod: func(c *cases.Contact) { c.PreferredLanguage = "pt-BR" }},
		{name: "language zh-Hant-TW", mod: func(c *cases.Contact) { c.PreferredLanguage = "zh-Hant-TW" }},
		{name: "language es-419", mod: func(c *cases.Contact) { c.PreferredLanguage = "es-419" }},
		{name: "language three letters", mod: func(c *cases.Contact) { c.PreferredLanguage = "yue" }},
		{name: "date of birth today", mod: func(c *cases.Contact) { c.DateOfBirth = validToday }, today: validToday},
		{name: "future date of birth without today", mod: func(c *cases.Contact) { c.DateOfBirth = cases.MustDate("2099-01-01") }},
		{name: "related to itself when the ID is unset", mod: func(c *cases.Contact) {
			c.ID = ""
			c.Related = []cases.Relation{{Contact: "p2", Kind: cases.RelFamily}}
		}},
		{name: "every relation kind", mod: func(c *cases.Contact) {
			c.Related = nil
			for i, k := range []cases.RelationKind{cases.RelParent, cases.RelSubsidiary, cases.RelSpouse, cases.RelEmployer, cases.RelAffiliate, cases.RelFamily} {
				c.Related = append(c.Related, cases.Relation{Contact: cases.ContactID("r" + string(rune('a'+i))), Kind: k})
			}
		}},

		{name: "kind missing", mod: func(c *cases.Contact) { c.Kind = "" }, field: "Kind"},
		{name: "kind unknown", mod: func(c *cases.Contact) { c.Kind = "robot" }, field: "Kind"},
		{name: "kind wrong case", mod: func(c *cases.Contact) { c.Kind = "Person" }, field: "Kind"},
		{name: "name empty", mod: func(c *cases.Contact) { c.Name = "" }, field: "Name"},
		{name: "name blank", mod: func(c *cases.Contact) { c.Name = " \t " }, field: "Name"},
		{name: "name too long", mod: func(c *cases.Contact) { c.Name = longName }, field: "Name"},
		{name: "name invalid UTF-8", mod: func(c *cases.Contact) { c.Name = badUTF8 }, field: "Name"},
		{name: "alias blank", mod: func(c *cases.Contact) { c.Aliases = []string{"Ana", ""} }, field: "Aliases[1]"},
		{name: "alias with newline", mod: func(c *cases.Contact) { c.Aliases = []string{"Ana\nB"} }, field: "Aliases[0]"},
		{name: "alias too long", mod: func(c *cases.Contact) { c.Aliases = []string{"a", "b", longName} }, field: "Aliases[2]"},
		{name: "email not an address", mod: func(c *cases.Contact) { c.Emails = []string{"ok@example.com", "not an email"} }, field: "Emails[1]"},
		{name: "email with display name", mod: func(c *cases.Contact) { c.Emails = []string{"Maria <maria@example.com>"} }, field: "Emails[0]"},
		{name: "email list in one entry", mod: func(c *cases.Contact) { c.Emails = []string{"a@example.com, b@example.com"} }, field: "Emails[0]"},
		{name: "email empty", mod: func(c *cases.Contact) { c.Emails = []string{""} }, field: "Emails[0]"},
		{name: "email missing at", mod: func(c *cases.Contact) { c.Emails = []string{"a@b.c", "d@e.f", "example.com"} }, field: "Emails[2]"},
		{name: "phone empty", mod: func(c *cases.Contact) { c.Phones = []string{""} }, field: "Phones[0]"},
		{name: "phone blank", mod: func(c *cases.Contact) { c.Phones = []string{"555", "   "} }, field: "Phones[1]"},
		{name: "phone too long", mod: func(c *cases.Contact) { c.Phones = []string{strings.Repeat("1", 51)} }, field: "Phones[0]"},
		{name: "address blank", mod: func(c *cases.Contact) { c.Addresses = []string{"1 Main St", " "} }, field: "Addresses[1]"},
		{name: "address with NUL", mod: func(c *cases.Contact) { c.Addresses = []string{"1 Main\x00St"} }, field: "Addresses[0]"},
		{name: "address too long", mod: func(c *cases.Contact) { c.Addresses = []string{longText} }, field: "Addresses[0]"},
		{name: "language a word", mod: func(c *cases.Contact) { c.PreferredLanguage = "english" }, field: "PreferredLanguage"},
		{name: "language one letter", mod: func(c *cases.Contact) { c.PreferredLanguage = "e" }, field: "PreferredLanguage"},
		{name: "language underscore", mod: func(c *cases.Contact) { c.PreferredLanguage = "pt_BR" }, field: "PreferredLanguage"},
		{name: "language trailing hyphen", mod: func(c *cases.Contact) { c.PreferredLanguage = "es-" }, field: "PreferredLanguage"},
		{name: "language long subtag", mod: func(c *cases.Contact) { c.PreferredLanguage = "en-abcdefghi" }, field: "PreferredLanguage"},
		{name: "language digits", mod: func(c *cases.Contact) { c.PreferredLanguage = "12" }, field: "PreferredLanguage"},
		{name: "accessibility with NUL", mod: func(c *cases.Contact) { c.Accessibility = "\x00" }, field: "Accessibility"},
		{name: "cultural notes too long", mod: func(c *cases.Contact) { c.CulturalNotes = longText }, field: "CulturalNotes"},
		{name: "notes invalid UTF-8", mod: func(c *cases.Contact) { c.Notes = badUTF8 }, field: "Notes"},
		{name: "date of birth not a date", mod: func(c *cases.Contact) { c.DateOfBirth = cases.Date{Year: 1980, Month: time.February, Day: 30} }, field: "DateOfBirth"},
		{name: "date of birth year 0", mod: func(c *cases.Contact) { c.DateOfBirth = cases.Date{Year: 0, Month: time.January, Day: 1} }, field: "DateOfBirth"},
		{name: "future date of birth", mod: func(c *cases.Contact) { c.DateOfBirth = cases.MustDate("2026-03-03") }, today: validToday, field: "DateOfBirth"},
		{name: "date of birth on an organisation", mod: func(c *cases.Contact) {
			*c = cases.Contact{Kind: cases.Organization, Name: "Globex", DateOfBirth: cases.MustDate("1990-01-01")}
		}, field: "DateOfBirth"},
		{name: "related contact missing", mod: func(c *cases.Contact) { c.Related = []cases.Relation{{Kind: cases.RelSpouse}} }, field: "Related[0].Contact"},
		{name: "related to itself", mod: func(c *cases.Contact) {
			c.Related = []cases.Relation{{Contact: "p2", Kind: cases.RelSpouse}, {Contact: "p1", Kind: cases.RelFamily}}
		}, field: "Related[1].Contact"},
		{name: "relation kind unknown", mod: func(c *cases.Contact) { c.Related = []cases.Relation{{Contact: "p2", Kind: "cousin"}} }, field: "Related[0].Kind"},
		{name: "relation kind missing", mod: func(c *cases.Contact) { c.Related = []cases.Relation{{Contact: "p2"}} }, field: "Related[0].Kind"},
		{name: "related contact listed twice", mod: func(c *cases.Contact) {
			c.Related = []cases.Relation{{Contact: "p2", Kind: cases.RelSpouse}, {Contact: "o1", Kind: cases.RelEmployer}, {Contact: "p2", Kind: cases.RelSpouse}}
		}, field: "Related[2].Contact"},
		{name: "related contact twice with different kinds", mod: func(c *cases.Contact) {
			c.Related = []cases.Relation{{Contact: "o1", Kind: cases.RelEmployer}, {Contact: "o1", Kind: cases.RelAffiliate}}
		}, field: "Related[1].Contact"},
	}
	for _, n := range unicodeNames {
		tests = append(tests, struct {
			name  string
			mod   func(c *cases.Contact)
			today cases.Date
			field string
		}{name: "unicode name " + n, mod: func(c *cases.Contact) { c.Name = n; c.Aliases = []string{n} }})
	}
	for _, n := range notSingleLine {
		tests = append(tests, struct {
			name  string
			mod   func(c *cases.Contact)
			today cases.Date
			field string
		}{name: "multi-line name " + strings.ReplaceAll(n, "\n", `\n`), mod: func(c *cases.Contact) { c.Name = n }, field: "Name"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validContact()
			tt.mod(&c)
			checkFieldError(t, c.Validate(tt.today), "contact", tt.field)
		})
	}
}

func validCase() cases.Case {
	return cases.Case{
		ID:           "c1",
		Reference:    "2026-CR-0001",
		Title:        "United States v. Ortiz",
		Type:         "federal-criminal",
		PracticeArea: "criminal defense",
		Court:        "S.D.N.Y.",
		DocketNumber: "1:26-cr-00042",
		Judge:        "Hon. A. Núñez",
		Client:       "p1",
		Status:       cases.Open,
		Stage:        "intake",
		OpenedOn:     cases.MustDate("2026-03-02"),
		LeadAttorney: "u1",
		CaseManager:  "u2",
		Team:         []cases.TeamMember{{User: "u3", Role: "associate"}, {User: "u4", Role: "paralegal"}},
	}
}

func TestCaseValidate(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(c *cases.Case)
		field string
	}{
		{"valid", func(c *cases.Case) {}, ""},
		{"minimal", func(c *cases.Case) {
			*c = cases.Case{Reference: "1", Title: "T", Type: "x", Client: "p", Status: cases.Open, OpenedOn: cases.MustDate("2026-01-01")}
		}, ""},
		{"closed", func(c *cases.Case) { c.Status = cases.Closed; c.ClosedOn = cases.MustDate("2026-09-30") }, ""},
		{"closed the day it opened", func(c *cases.Case) { c.Status = cases.Closed; c.ClosedOn = c.OpenedOn }, ""},
		{"reference with every separator", func(c *cases.Case) { c.Reference = "2026/CR.0001_a-b" }, ""},
		{"reference of 64 characters", func(c *cases.Case) { c.Reference = strings.Repeat("A", 64) }, ""},
		{"unicode title", func(c *cases.Case) { c.Title = "García v. Ørsted A/S — 李" }, ""},
		{"title of MaxNameLen runes", func(c *cases.Case) { c.Title = maxName }, ""},

		{"reference missing", func(c *cases.Case) { c.Reference = "" }, "Reference"},
		{"reference too long", func(c *cases.Case) { c.Reference = strings.Repeat("A", 65) }, "Reference"},
		{"reference with a space", func(c *cases.Case) { c.Reference = "2026 CR 0001" }, "Reference"},
		{"reference with a non-ASCII letter", func(c *cases.Case) { c.Reference = "2026-ÇR-0001" }, "Reference"},
		{"reference with a brace", func(c *cases.Case) { c.Reference = "2026-CR-{seq}" }, "Reference"},
		{"title missing", func(c *cases.Case) { c.Title = "" }, "Title"},
		{"title too long", func(c *cases.Case) { c.Title = longName }, "Title"},
		{"title with newline", func(c *cases.Case) { c.Title = "United States\nv. Ortiz" }, "Title"},
		{"type missing", func(c *cases.Case) { c.Type = "" }, "Type"},
		{"type blank", func(c *cases.Case) { c.Type = "  " }, "Type"},
		{"client missing", func(c *cases.Case) { c.Client = "" }, "Client"},
		{"practice area with newline", func(c *cases.Case) { c.PracticeArea = "a\nb" }, "PracticeArea"},
		{"court blank", func(c *cases.Case) { c.Court = " " }, "Court"},
		{"docket number too long", func(c *cases.Case) { c.DocketNumber = longName }, "DocketNumber"},
		{"judge with NUL", func(c *cases.Case) { c.Judge = "Hon.\x00" }, "Judge"},
		{"lead attorney blank", func(c *cases.Case) { c.LeadAttorney = "\t" }, "LeadAttorney"},
		{"case manager with newline", func(c *cases.Case) { c.CaseManager = "u2\n" }, "CaseManager"},
		{"team member blank", func(c *cases.Case) { c.Team = []cases.TeamMember{{User: "u3", Role: "associate"}, {Role: "paralegal"}} }, "Team[1].User"},
		{"team role blank", func(c *cases.Case) { c.Team = []cases.TeamMember{{User: "u3"}} }, "Team[0].Role"},
		{"team member listed twice", func(c *cases.Case) {
			c.Team = []cases.TeamMember{{User: "u3", Role: "a"}, {User: "u4", Role: "b"}, {User: "u3", Role: "c"}}
		}, "Team[2].User"},
		{"status missing", func(c *cases.Case) { c.Status = "" }, "Status"},
		{"status unknown", func(c *cases.Case) { c.Status = "pending" }, "Status"},
		{"opened on missing", func(c *cases.Case) { c.OpenedOn = cases.Date{} }, "OpenedOn"},
		{"opened on not a date", func(c *cases.Case) { c.OpenedOn = cases.Date{Year: 2026, Month: time.February, Day: 29} }, "OpenedOn"},
		{"closed on not a date", func(c *cases.Case) { c.ClosedOn = cases.Date{Year: 2026, Month: 13, Day: 1} }, "ClosedOn"},
		{"closed before opened", func(c *cases.Case) { c.ClosedOn = cases.MustDate("2026-03-01") }, "ClosedOn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCase()
			tt.mod(&c)
			checkFieldError(t, c.Validate(), "case", tt.field)
		})
	}
}

func TestPartyValidate(t *testing.T) {
	base := cases.Party{ID: "pa1", Case: "c1", Contact: "p1", Role: cases.RoleWitness, Notes: "saw the accident"}
	tests := []struct {
		name  string
		mod   func(p *cases.Party)
		field string
	}{
		{"valid", func(p *cases.Party) {}, ""},
		{"no notes", func(p *cases.Party) { p.Notes = "" }, ""},
		{"unicode notes", func(p *cases.Party) { p.Notes = "testigo — habla español\ny portugués" }, ""},
		{"case missing", func(p *cases.Party) { p.Case = "" }, "Case"},
		{"contact missing", func(p *cases.Party) { p.Contact = "" }, "Contact"},
		{"role missing", func(p *cases.Party) { p.Role = "" }, "Role"},
		{"role unknown", func(p *cases.Party) { p.Role = "bystander" }, "Role"},
		{"role with a space", func(p *cases.Party) { p.Role = "judge " }, "Role"},
		{"notes with NUL", func(p *cases.Party) { p.Notes = "a\x00b" }, "Notes"},
		{"notes invalid UTF-8", func(p *cases.Party) { p.Notes = badUTF8 }, "Notes"},
		{"notes too long", func(p *cases.Party) { p.Notes = longText }, "Notes"},
	}
	for _, r := range cases.PartyRoles {
		tests = append(tests, struct {
			name  string
			mod   func(p *cases.Party)
			field string
		}{"role " + string(r), func(p *cases.Party) { p.Role = r }, ""})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base
			tt.mod(&p)
			checkFieldError(t, p.Validate(), "party", tt.field)
		})
	}
}

func TestPartyRoleAdverse(t *testing.T) {
	for _, r := range cases.PartyRoles {
		want := r == cases.RoleOpposingParty || r == cases.RoleOpposingCounsel
		if got := r.Adverse(); got != want {
			t.Errorf("%s.Adverse() = %v, want %v", r, got, want)
		}
	}
}

func validIntake() cases.Intake {
	return cases.Intake{
		ID:         "i1",
		Prospect:   "p1",
		Source:     "referral",
		ReferredBy: "Jane Roe, Esq.",
		CaseType:   "federal-civil",
		Facts:      "El cliente dice que...\nSecond line.",
		Questions:  []cases.Question{{Question: "When did it happen?", Answer: "March 2025"}, {Question: "Any witnesses?", Answer: ""}},
		FollowUps:  []cases.FollowUp{{What: "Get the police report", Owner: "u2", Due: cases.MustDate("2026-03-09")}, {What: "Call back"}},
		Adverse: []cases.AdverseParty{
			{Name: "Globex Corporation", Kind: cases.Organization, Aliases: []string{"Globex"}, Role: cases.RoleOpposingParty},
			{Name: "Hank Scorpio", Kind: cases.Person, Contact: "p9", Role: cases.RoleOpposingCounsel},
		},
		Status:  cases.IntakeOpen,
		TakenBy: "u2",
	}
}

func TestIntakeValidate(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(in *cases.Intake)
		field string
	}{
		{"valid", func(in *cases.Intake) {}, ""},
		{"minimal", func(in *cases.Intake) {
			*in = cases.Intake{Prospect: "p1", Source: "website", Status: cases.IntakeOpen}
		}, ""},
		{"accepted", func(in *cases.Intake) { in.Status = cases.IntakeAccepted; in.Case = "c1" }, ""},
		{"declined", func(in *cases.Intake) { in.Status = cases.IntakeDeclined }, ""},
		{"unicode source and adverse", func(in *cases.Intake) {
			in.Source = "recomendación"
			in.Adverse = []cases.AdverseParty{{Name: "Đặng Thị Hân", Kind: cases.Person, Aliases: []string{"李小龍"}, Role: cases.RoleCoDefendant}}
		}, ""},
		{"adverse witness", func(in *cases.Intake) { in.Adverse[0].Role = cases.RoleWitness }, ""},

		{"prospect missing", func(in *cases.Intake) { in.Prospect = "" }, "Prospect"},
		{"source missing", func(in *cases.Intake) { in.Source = "" }, "Source"},
		{"source with newline", func(in *cases.Intake) { in.Source = "web\nsite" }, "Source"},
		{"source too long", func(in *cases.Intake) { in.Source = longName }, "Source"},
		{"referred by blank", func(in *cases.Intake) { in.ReferredBy = " " }, "ReferredBy"},
		{"case type with newline", func(in *cases.Intake) { in.CaseType = "family\n" }, "CaseType"},
		{"facts with NUL", func(in *cases.Intake) { in.Facts = "\x00" }, "Facts"},
		{"facts too long", func(in *cases.Intake) { in.Facts = longText }, "Facts"},
		{"question blank", func(in *cases.Intake) { in.Questions[1].Question = " " }, "Questions[1].Question"},
		{"answer invalid UTF-8", func(in *cases.Intake) { in.Questions[0].Answer = badUTF8 }, "Questions[0].Answer"},
		{"follow-up without what", func(in *cases.Intake) { in.FollowUps[1].What = "" }, "FollowUps[1].What"},
		{"follow-up due not a date", func(in *cases.Intake) { in.FollowUps[0].Due = cases.Date{Year: 2026, Month: time.April, Day: 31} }, "FollowUps[0].Due"},
		{"adverse name missing", func(in *cases.Intake) { in.Adverse[0].Name = "" }, "Adverse[0].Name"},
		{"adverse name multi-line", func(in *cases.Intake) { in.Adverse[1].Name = "Hank\nScorpio" }, "Adverse[1].Name"},
		{"adverse name too long", func(in *cases.Intake) { in.Adverse[1].Name = longName }, "Adverse[1].Name"},
		{"adverse kind missing", func(in *cases.Intake) { in.Adverse[1].Kind = "" }, "Adverse[1].Kind"},
		{"adverse kind unknown", func(in *cases.Intake) { in.Adverse[0].Kind = "company" }, "Adverse[0].Kind"},
		{"adverse alias blank", func(in *cases.Intake) { in.Adverse[0].Aliases = []string{"Globex", ""} }, "Adverse[0].Aliases[1]"},
		{"adverse alias multi-line", func(in *cases.Intake) { in.Adverse[1].Aliases = []string{"H.\nS."} }, "Adverse[1].Aliases[0]"},
		{"adverse role client", func(in *cases.Intake) { in.Adverse[0].Role = cases.RoleClient }, "Adverse[0].Role"},
		{"adverse role missing", func(in *cases.Intake) { in.Adverse[1].Role = "" }, "Adverse[1].Role"},
		{"adverse role unknown", func(in *cases.Intake) { in.Adverse[0].Role = "enemy" }, "Adverse[0].Role"},
		{"status missing", func(in *cases.Intake) { in.Status = "" }, "Status"},
		{"status unknown", func(in *cases.Intake) { in.Status = "closed" }, "Status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validIntake()
			tt.mod(&in)
			checkFieldError(t, in.Validate(), "intake", tt.field)
		})
	}
}

func TestMeetingValidate(t *testing.T) {
	base := func() cases.Meeting {
		return cases.Meeting{
			ID: "m1", Contact: "p1", Case: "c1",
			At:        time.Date(2026, time.March, 2, 15, 0, 0, 0, time.UTC),
			Minutes:   45,
			Location:  "Sala 3, Oficina de Nueva York",
			Attendees: []string{"María Elena García", "u1"},
			Notes:     "Discussed the plea offer.\nClient wants time to think.",
		}
	}
	tests := []struct {
		name  string
		mod   func(m *cases.Meeting)
		field string
	}{
		{"valid", func(m *cases.Meeting) {}, ""},
		{"minimal", func(m *cases.Meeting) {
			*m = cases.Meeting{Contact: "p1", At: time.Unix(1, 0), Attendees: []string{"u1"}}
		}, ""},
		{"zero minutes", func(m *cases.Meeting) { m.Minutes = 0 }, ""},
		{"a whole day", func(m *cases.Meeting) { m.Minutes = 24 * 60 }, ""},
		{"with interpreter", func(m *cases.Meeting) { m.Interpreter = "Ana Souza"; m.Intake = "i1" }, ""},

		{"contact missing", func(m *cases.Meeting) { m.Contact = "" }, "Contact"},
		{"time missing", func(m *cases.Meeting) { m.At = time.Time{} }, "At"},
		{"negative minutes", func(m *cases.Meeting) { m.Minutes = -1 }, "Minutes"},
		{"more than a day", func(m *cases.Meeting) { m.Minutes = 24*60 + 1 }, "Minutes"},
		{"location blank", func(m *cases.Meeting) { m.Location = " " }, "Location"},
		{"location multi-line", func(m *cases.Meeting) { m.Location = "Room 1\nFloor 2" }, "Location"},
		{"no attendees", func(m *cases.Meeting) { m.Attendees = nil }, "Attendees"},
		{"empty attendees", func(m *cases.Meeting) { m.Attendees = []string{} }, "Attendees"},
		{"attendee blank", func(m *cases.Meeting) { m.Attendees = []string{"u1", ""} }, "Attendees[1]"},
		{"attendee too long", func(m *cases.Meeting) { m.Attendees = []string{longName} }, "Attendees[0]"},
		{"notes with NUL", func(m *cases.Meeting) { m.Notes = "\x00" }, "Notes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := base()
			tt.mod(&m)
			checkFieldError(t, m.Validate(), "meeting", tt.field)
		})
	}
}

func TestValidateDecision(t *testing.T) {
	tests := []struct {
		name       string
		d          cases.Decision
		consentRef string
		reason     string
		field      string
	}{
		{"cleared", cases.Cleared, "", "", ""},
		{"cleared with reason", cases.Cleared, "", "no hits", ""},
		{"declined", cases.Declined, "", "adverse to a current client", ""},
		{"waived", cases.Waived, "DOC-0042", "both clients consented in writing", ""},
		{"waived with unicode consent", cases.Waived, "consentimiento-García.pdf", "consented", ""},

		{"pending", cases.Pending, "", "x", "Decision"},
		{"empty", "", "", "x", "Decision"},
		{"unknown", "maybe", "", "x", "Decision"},
		{"wrong case", "Cleared", "", "", "Decision"},
		{"waiver without consent", cases.Waived, "", "consented", "ConsentRef"},
		{"waiver with blank consent", cases.Waived, "  ", "consented", "ConsentRef"},
		{"waiver with multi-line consent", cases.Waived, "DOC\n1", "consented", "ConsentRef"},
		{"waiver without reason", cases.Waived, "DOC-0042", "", "Reason"},
		{"declined without reason", cases.Declined, "", "", "Reason"},
		{"declined with blank reason", cases.Declined, "", " \n ", "Reason"},
		{"cleared with NUL reason", cases.Cleared, "", "\x00", "Reason"},
		{"reason too long", cases.Declined, "", longText, "Reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFieldError(t, cases.ValidateDecision(tt.d, tt.consentRef, tt.reason), "conflict check", tt.field)
		})
	}
}

func TestDecisionPermits(t *testing.T) {
	tests := []struct {
		d    cases.Decision
		want bool
	}{
		{cases.Cleared, true},
		{cases.Waived, true},
		{cases.Pending, false},
		{cases.Declined, false},
		{"", false},
		{"CLEARED", false},
	}
	for _, tt := range tests {
		if got := tt.d.Permits(); got != tt.want {
			t.Errorf("Decision(%q).Permits() = %v, want %v", tt.d, got, tt.want)
		}
	}
}
