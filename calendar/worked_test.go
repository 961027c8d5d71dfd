package calendar_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
)

// workedExample is one deadline worked out by hand from the rule text,
// with how and where from (testdata/worked_examples.json).
type workedExample struct {
	Name    string   `json:"name"`
	RuleSet string   `json:"rule_set"`
	Rule    string   `json:"rule"`
	Court   string   `json:"court"`
	Trigger string   `json:"trigger_date"`
	Service string   `json:"service"`
	Facts   []string `json:"facts"`
	WantDue string   `json:"want_due"`
	Why     string   `json:"why"`
	Source  string   `json:"source"`
}

// TestWorkedExamples runs the built-in rule sets on deadlines counted by
// hand from the rules' text: every one must agree, and each rule the
// example names must be selected by its trigger and facts.
func TestWorkedExamples(t *testing.T) {
	b, err := os.ReadFile("testdata/worked_examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var examples []workedExample
	if err := json.Unmarshal(b, &examples); err != nil {
		t.Fatal(err)
	}
	lib := calendar.Builtin()
	courts := map[string]*calendar.Court{}
	for id, c := range map[string]calendar.Court{
		"federal-ny":  {TimeZone: "America/New_York", Holidays: []string{"us-federal"}},
		"federal-dc":  {TimeZone: "America/New_York", Holidays: []string{"us-federal", "us-dc-inauguration"}},
		"federal-ca":  {TimeZone: "America/Los_Angeles", Holidays: []string{"us-federal"}, StateHolidays: []string{"us-ca-judicial"}},
		"ca-superior": {TimeZone: "America/Los_Angeles", Holidays: []string{"us-ca-judicial"}},
	} {
		c.ID, c.Name = id, id
		if err := c.Resolve(lib); err != nil {
			t.Fatal(err)
		}
		courts[id] = &c
	}
	if len(examples) < 25 {
		t.Errorf("%d worked examples, want at least 25", len(examples))
	}
	for _, ex := range examples {
		t.Run(ex.Name, func(t *testing.T) {
			set, ok := lib.RuleSets[ex.RuleSet]
			if !ok {
				t.Fatalf("no rule set %s", ex.RuleSet)
			}
			r, ok := set.Rule(ex.Rule)
			if !ok {
				t.Fatalf("no rule %s in %s", ex.Rule, ex.RuleSet)
			}
			court, ok := courts[ex.Court]
			if !ok {
				t.Fatalf("no court %s", ex.Court)
			}
			tr := calendar.Trigger{Event: r.Trigger, Date: cases.MustDate(ex.Trigger), Service: calendar.Service(ex.Service), Facts: ex.Facts}
			selected := false
			for _, s := range set.Triggered(tr) {
				selected = selected || s.ID == r.ID
			}
			if !selected {
				t.Errorf("the trigger %s on %s with facts %v does not select rule %s", tr.Event, tr.Date, tr.Facts, r.ID)
			}
			got, err := set.Compute(r, tr, court)
			if err != nil {
				t.Fatal(err)
			}
			if got.Due.String() != ex.WantDue {
				t.Errorf("due %s, want %s: %s\n(source: %s)\n%s", got.Due, ex.WantDue, ex.Why, ex.Source, got.Explanation.String())
			}
		})
	}
}

// TestBuiltinRuleSets: the shipped data has at least 20 federal rules
// (FRCP, FRAP, FRCrP) and 8 California rules, each with its citation, and
// every holiday calendar and rule set validates.
func TestBuiltinRuleSets(t *testing.T) {
	lib := calendar.Builtin()
	federal := 0
	for _, name := range []string{"frcp", "frap", "frcrp"} {
		s, ok := lib.RuleSets[name]
		if !ok {
			t.Fatalf("no built-in rule set %s", name)
		}
		federal += len(s.Rules)
	}
	if federal < 20 {
		t.Errorf("%d federal rules, want at least 20", federal)
	}
	if ccp := lib.RuleSets["ccp"]; ccp == nil || len(ccp.Rules) < 8 {
		t.Errorf("California rules: %v, want at least 8", ccp)
	}
	for name, s := range lib.RuleSets {
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		for _, r := range s.Rules {
			if r.Citation == "" {
				t.Errorf("%s/%s has no citation", name, r.ID)
			}
		}
	}
	for _, name := range []string{"us-federal", "us-dc-inauguration", "us-ca-judicial"} {
		if _, ok := lib.Holidays[name]; !ok {
			t.Errorf("no built-in holiday calendar %s", name)
		}
	}
}
