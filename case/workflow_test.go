package cases_test

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	cases "github.com/docketkit/docket/case"
)

func stageNames(w cases.Workflow) []string {
	var out []string
	for _, s := range w.Stages {
		out = append(out, s.Name)
	}
	return out
}

func TestBuiltinWorkflowsValidate(t *testing.T) {
	got := cases.Builtin()
	if len(got) != 2 {
		t.Fatalf("Builtin() returned %d workflows, want 2", len(got))
	}
	for _, w := range []cases.Workflow{cases.FederalCivil, cases.FederalCriminal} {
		t.Run(w.Type, func(t *testing.T) {
			if err := w.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if w.Initial() != "intake" {
				t.Errorf("Initial() = %q, want intake", w.Initial())
			}
			if w.Final() != "closed" {
				t.Errorf("Final() = %q, want closed", w.Final())
			}
			if !slices.ContainsFunc(got, func(b cases.Workflow) bool { return b.Type == w.Type }) {
				t.Errorf("Builtin() does not include %s", w.Type)
			}
			for _, s := range w.Stages {
				if strings.TrimSpace(s.Label) == "" {
					t.Errorf("stage %s has no label", s.Name)
				}
				st, ok := w.Stage(s.Name)
				if !ok || st.Name != s.Name {
					t.Errorf("Stage(%q) = %v, %v", s.Name, st, ok)
				}
			}
			if _, ok := w.Stage("no-such-stage"); ok {
				t.Error(`Stage("no-such-stage") found a stage`)
			}
		})
	}
}

// TestBuiltinWorkflowsGolden pins the built-in stage machines: a change to
// them changes every firm's cases, so it must be deliberate.
func TestBuiltinWorkflowsGolden(t *testing.T) {
	type summary struct {
		Type, Name, Code, PracticeArea string
		Stages                         []string
		Clearance                      []string // stages with RequiresClearance
		Exits                          []cases.Exit
	}
	sum := func(w cases.Workflow) summary {
		s := summary{Type: w.Type, Name: w.Name, Code: w.Code, PracticeArea: w.PracticeArea, Stages: stageNames(w), Exits: w.Exits}
		for _, st := range w.Stages {
			if st.RequiresClearance {
				s.Clearance = append(s.Clearance, st.Name)
			}
		}
		return s
	}
	want := []summary{
		{
			Type: "federal-civil", Name: "Federal civil", Code: "CV", PracticeArea: "civil litigation",
			Stages: []string{
				"intake", "pleadings", "case-management", "discovery", "dispositive-motions",
				"pretrial", "trial", "judgment", "appeal", "closed",
			},
			Clearance: []string{"intake"},
			Exits:     []cases.Exit{{Name: "settled"}, {Name: "dismissed"}, {Name: "withdrawn"}},
		},
		{
			Type: "federal-criminal", Name: "Federal criminal", Code: "CR", PracticeArea: "criminal defense",
			Stages: []string{
				"intake", "investigation", "charging", "initial-appearance", "detention-hearing",
				"preliminary-hearing", "arraignment", "discovery", "pretrial-motions", "plea-negotiation",
				"trial", "post-trial-motions", "presentence-report", "sentencing", "appeal", "closed",
			},
			Clearance: []string{"intake"},
			// A guilty plea is no exit: it leads through plea negotiation to
			// the presentence report and sentencing.
			Exits: []cases.Exit{{Name: "dismissed"}, {Name: "withdrawn"}, {Name: "acquitted", From: []string{"trial", "post-trial-motions"}}},
		},
	}
	var got []summary
	for _, w := range cases.Builtin() {
		got = append(got, sum(w))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("built-in workflows (-want +got):\n%s", d)
	}
}

// walk advances a case along path, each step with decision d.
func walk(t *testing.T, w cases.Workflow, d cases.Decision, path ...string) {
	t.Helper()
	for i := 1; i < len(path); i++ {
		if err := w.CheckAdvance(path[i-1], path[i], d); err != nil {
			t.Errorf("CheckAdvance(%q, %q, %q): %v", path[i-1], path[i], d, err)
		}
	}
}

func TestCriminalPath(t *testing.T) {
	path := []string{"intake", "charging", "arraignment", "plea-negotiation", "presentence-report", "sentencing", "closed"}
	walk(t, cases.FederalCriminal, cases.Cleared, path...)
	walk(t, cases.FederalCriminal, cases.Waived, path...)
	// The full road through trial and appeal.
	walk(t, cases.FederalCriminal, cases.Cleared, "intake", "investigation", "charging", "initial-appearance", "detention-hearing",
		"preliminary-hearing", "arraignment", "discovery", "pretrial-motions", "trial", "post-trial-motions", "appeal", "sentencing", "closed")
	// Once closed, nothing moves.
	checkFieldError(t, cases.FederalCriminal.CheckAdvance("closed", "appeal", cases.Cleared), "case", "Stage")
}

func TestCivilPath(t *testing.T) {
	walk(t, cases.FederalCivil, cases.Cleared, "intake", "pleadings", "case-management", "discovery", "dispositive-motions",
		"pretrial", "trial", "judgment", "appeal", "closed")
	// Dismissed on a Rule 12 motion: pleadings straight to judgment.
	walk(t, cases.FederalCivil, cases.Cleared, "intake", "pleadings", "judgment", "closed")
	// Remanded after appeal.
	walk(t, cases.FederalCivil, cases.Cleared, "judgment", "appeal", "trial", "judgment", "closed")
}

// TestCheckAdvanceEveryStep checks the stage graph both ways: every listed
// step is allowed and every unlisted one is refused, naming Stage.
func TestCheckAdvanceEveryStep(t *testing.T) {
	for _, w := range cases.Builtin() {
		for _, from := range w.Stages {
			for _, to := range w.Stages {
				err := w.CheckAdvance(from.Name, to.Name, cases.Cleared)
				if from.Name != w.Final() && slices.Contains(from.Next, to.Name) {
					if err != nil {
						t.Errorf("%s: CheckAdvance(%q, %q): %v", w.Type, from.Name, to.Name, err)
					}
					continue
				}
				if err == nil {
					t.Errorf("%s: CheckAdvance(%q, %q) allowed a step not in Next %v", w.Type, from.Name, to.Name, from.Next)
					continue
				}
				checkFieldError(t, err, "case", "Stage")
			}
		}
	}
}

func TestCheckAdvanceErrors(t *testing.T) {
	w := cases.FederalCriminal
	tests := []struct {
		name     string
		from, to string
		d        cases.Decision
		field    string
		msg      []string // substrings the error must contain
	}{
		{"unknown from stage", "bogus", "charging", cases.Cleared, "Stage", []string{`"bogus"`, "federal-criminal"}},
		{"empty from stage", "", "charging", cases.Cleared, "Stage", nil},
		{"unknown to stage", "charging", "nowhere", cases.Cleared, "Stage", []string{`"nowhere"`, "intake, investigation, charging"}},
		{"empty to stage", "charging", "", cases.Cleared, "Stage", nil},
		{"step not allowed", "intake", "sentencing", cases.Cleared, "Stage", []string{`"intake"`, `"sentencing"`, "allowed: investigation, charging, initial-appearance"}},
		{"step not allowed beats clearance", "intake", "sentencing", cases.Pending, "Stage", nil},
		{"backwards", "arraignment", "charging", cases.Cleared, "Stage", []string{"allowed: discovery, plea-negotiation"}},
		{"to itself", "charging", "charging", cases.Cleared, "Stage", nil},
		{"intake to closed", "intake", "closed", cases.Cleared, "Stage", nil},
		{"exit passed to Advance", "trial", "acquitted", cases.Cleared, "Stage", []string{`"acquitted" is an exit`, "Exit"}},
		{"exit passed to Advance from intake", "intake", "withdrawn", cases.Pending, "Stage", []string{"is an exit"}},
		{"advance a closed case", "closed", "appeal", cases.Cleared, "Stage", []string{"closed"}},
		{"advance a closed case to an unknown stage", "closed", "nowhere", cases.Cleared, "Stage", []string{"closed"}},
		{"leave intake pending", "intake", "charging", cases.Pending, "ConflictCheck", []string{`"intake"`, "decision: pending"}},
		{"leave intake declined", "intake", "charging", cases.Declined, "ConflictCheck", []string{"decision: declined"}},
		{"leave intake with no decision", "intake", "charging", "", "ConflictCheck", []string{"none recorded"}},
		{"leave intake with an unknown decision", "intake", "investigation", "approved", "ConflictCheck", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := w.CheckAdvance(tt.from, tt.to, tt.d)
			checkFieldError(t, err, "case", tt.field)
			if err == nil {
				return
			}
			for _, m := range tt.msg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not contain %q", err, m)
				}
			}
		})
	}
}

func TestCheckAdvanceClearance(t *testing.T) {
	tests := []struct {
		d     cases.Decision
		field string
	}{
		{cases.Cleared, ""},
		{cases.Waived, ""},
		{cases.Pending, "ConflictCheck"},
		{cases.Declined, "ConflictCheck"},
		{"", "ConflictCheck"},
	}
	for _, w := range cases.Builtin() {
		next := w.Stages[0].Next[0]
		for _, tt := range tests {
			checkFieldError(t, w.CheckAdvance(w.Initial(), next, tt.d), "case", tt.field)
		}
		// Only intake is guarded: later steps do not look at the decision.
		second := w.Stages[1]
		if err := w.CheckAdvance(second.Name, second.Next[0], cases.Pending); err != nil {
			t.Errorf("%s: CheckAdvance(%q, %q, pending): %v", w.Type, second.Name, second.Next[0], err)
		}
	}
}

func TestCheckExit(t *testing.T) {
	for _, w := range cases.Builtin() {
		t.Run(w.Type, func(t *testing.T) {
			for _, s := range w.Stages {
				for _, e := range w.Exits {
					err := w.CheckExit(s.Name, e.Name)
					if s.Name == w.Final() {
						checkFieldError(t, err, "case", "Stage")
						continue
					}
					if len(e.From) > 0 && !slices.Contains(e.From, s.Name) {
						checkFieldError(t, err, "case", "Exit")
						continue
					}
					if err != nil {
						t.Errorf("CheckExit(%q, %q): %v", s.Name, e.Name, err)
					}
				}
			}
		})
	}
	tests := []struct {
		name       string
		from, exit string
		field      string
	}{
		{"a guilty plea is no exit", "plea-negotiation", "plea", "Exit"},
		{"withdrawn before a clearance", "intake", "withdrawn", ""},
		{"dismissed from intake", "intake", "dismissed", ""},
		{"acquitted from trial", "trial", "acquitted", ""},
		{"acquitted after post-trial motions", "post-trial-motions", "acquitted", ""},
		{"acquitted before any trial", "intake", "acquitted", "Exit"},
		{"acquitted at arraignment", "arraignment", "acquitted", "Exit"},
		{"civil exit on a criminal case", "trial", "settled", "Exit"},
		{"unknown exit", "trial", "pardoned", "Exit"},
		{"empty exit", "trial", "", "Exit"},
		{"stage name as exit", "trial", "sentencing", "Exit"},
		{"closed stage as exit", "trial", "closed", "Exit"},
		{"exit wrong case", "trial", "Plea", "Exit"},
		{"exit from closed", "closed", "plea", "Stage"},
		{"unknown exit from closed", "closed", "pardoned", "Stage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := cases.FederalCriminal.CheckExit(tt.from, tt.exit)
			checkFieldError(t, err, "case", tt.field)
			if tt.field == "Exit" && err != nil && !strings.Contains(err.Error(), "dismissed, withdrawn, acquitted") && !strings.Contains(err.Error(), "only from: trial, post-trial-motions") {
				t.Errorf("error %q lists neither the exits nor the stages the exit is allowed from", err)
			}
		})
	}
}

// TestCheckExitUnknownStage documents a bug: CheckExit accepts any stage
// name, while CheckAdvance refuses one the workflow does not define.
func TestCheckExitUnknownStage(t *testing.T) {
	checkFieldError(t, cases.FederalCriminal.CheckExit("bogus", "plea"), "case", "Stage")
	checkFieldError(t, cases.FederalCriminal.CheckExit("", "plea"), "case", "Stage")
}

const familyJSON = `{
  "type": "family-law",
  "name": "Family law",
  "code": "FL",
  "practice_area": "family",
  "stages": [
    {"name": "intake", "label": "Intake", "next": ["petition"], "requires_clearance": true},
    {"name": "petition", "label": "Petition filed", "next": ["mediation", "closed"]},
    {"name": "mediation", "label": "Mediation (custody and support)", "next": ["petition", "closed"]},
    {"name": "closed", "label": "Closed"}
  ],
  "exits": ["settled", "withdrawn", {"name": "dismissed", "from": ["petition", "mediation"]}]
}`

func familyWorkflow() cases.Workflow {
	return cases.Workflow{
		Type:         "family-law",
		Name:         "Family law",
		Code:         "FL",
		PracticeArea: "family",
		Stages: []cases.Stage{
			{Name: "intake", Label: "Intake", Next: []string{"petition"}, RequiresClearance: true},
			{Name: "petition", Label: "Petition filed", Next: []string{"mediation", "closed"}},
			{Name: "mediation", Label: "Mediation (custody and support)", Next: []string{"petition", "closed"}},
			{Name: "closed", Label: "Closed"},
		},
		Exits: []cases.Exit{{Name: "settled"}, {Name: "withdrawn"}, {Name: "dismissed", From: []string{"petition", "mediation"}}},
	}
}

func TestParseWorkflow(t *testing.T) {
	w, err := cases.ParseWorkflow([]byte(familyJSON))
	if err != nil {
		t.Fatalf("ParseWorkflow: %v", err)
	}
	if d := cmp.Diff(familyWorkflow(), w); d != "" {
		t.Errorf("ParseWorkflow (-want +got):\n%s", d)
	}
	if w.Initial() != "intake" || w.Final() != "closed" {
		t.Errorf("Initial, Final = %q, %q", w.Initial(), w.Final())
	}
	walk(t, w, cases.Cleared, "intake", "petition", "mediation", "petition", "closed")
	checkFieldError(t, w.CheckAdvance("intake", "petition", cases.Pending), "case", "ConflictCheck")
	checkFieldError(t, w.CheckExit("mediation", "settled"), "case", "")
	checkFieldError(t, w.CheckExit("mediation", "plea"), "case", "Exit")
	if _, err := cases.ParseWorkflow([]byte(strings.Replace(familyJSON, `"from": [`, `"form": [`, 1))); err == nil {
		t.Error("an exit with a misspelt key parsed")
	}

	checkFieldError(t, w.CheckExit("intake", "dismissed"), "case", "Exit")

	// Optional fields may be left out; a minimal two-stage workflow is fine.
	min := `{"type":"x","name":"X","code":"X","stages":[{"name":"open","label":"Open","next":["closed"],"requires_clearance":true},{"name":"closed","label":"Closed"}],"exits":["withdrawn"]}`
	if _, err := cases.ParseWorkflow([]byte(min)); err != nil {
		t.Errorf("ParseWorkflow(minimal): %v", err)
	}
}

func TestParseWorkflowRoundTrip(t *testing.T) {
	for _, w := range append(cases.Builtin(), familyWorkflow()) {
		b, err := json.Marshal(w)
		if err != nil {
			t.Fatal(err)
		}
		back, err := cases.ParseWorkflow(b)
		if err != nil {
			t.Fatalf("%s: ParseWorkflow(Marshal(w)): %v", w.Type, err)
		}
		if d := cmp.Diff(w, back); d != "" {
			t.Errorf("%s: round trip (-want +got):\n%s", w.Type, d)
		}
	}
}

func TestParseWorkflowInvalid(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(w *cases.Workflow)
		field string
	}{
		{"type missing", func(w *cases.Workflow) { w.Type = "" }, "Type"},
		{"type with capitals and a space", func(w *cases.Workflow) { w.Type = "Family Law" }, "Type"},
		{"type with a leading hyphen", func(w *cases.Workflow) { w.Type = "-family" }, "Type"},
		{"type with a trailing hyphen", func(w *cases.Workflow) { w.Type = "family-" }, "Type"},
		{"type too long", func(w *cases.Workflow) { w.Type = strings.Repeat("a", 65) }, "Type"},
		{"name missing", func(w *cases.Workflow) { w.Name = "" }, "Name"},
		{"name multi-line", func(w *cases.Workflow) { w.Name = "Family\nlaw" }, "Name"},
		{"code missing", func(w *cases.Workflow) { w.Code = "" }, "Code"},
		{"code with a hyphen", func(w *cases.Workflow) { w.Code = "F-L" }, "Code"},
		{"code too long", func(w *cases.Workflow) { w.Code = "FAMILYLAW" }, "Code"},
		{"code non-ASCII", func(w *cases.Workflow) { w.Code = "FÉ" }, "Code"},
		{"no stages", func(w *cases.Workflow) { w.Stages = nil }, "Stages"},
		{"one stage", func(w *cases.Workflow) { w.Stages = []cases.Stage{{Name: "closed", Label: "Closed"}} }, "Stages"},
		{"stage name missing", func(w *cases.Workflow) { w.Stages[1].Name = "" }, "Stages[1].Name"},
		{"stage name with capitals", func(w *cases.Workflow) { w.Stages[0].Name = "Intake" }, "Stages[0].Name"},
		{"duplicate stage", func(w *cases.Workflow) { w.Stages[2].Name = "petition" }, "Stages[2].Name"},
		{"stage label missing", func(w *cases.Workflow) { w.Stages[1].Label = "" }, "Stages[1].Label"},
		{"stage label multi-line", func(w *cases.Workflow) { w.Stages[3].Label = "Closed\n" }, "Stages[3].Label"},
		{"next names an undefined stage", func(w *cases.Workflow) { w.Stages[1].Next = []string{"mediation", "hearing"} }, "Stages[1].Next[1]"},
		{"next names itself", func(w *cases.Workflow) { w.Stages[2].Next = []string{"mediation"} }, "Stages[2].Next[0]"},
		{"unreachable stage", func(w *cases.Workflow) { w.Stages[1].Next = []string{"closed"} }, "Stages[2]"},
		{"last stage with next", func(w *cases.Workflow) { w.Stages[3].Next = []string{"intake"} }, "Stages[3].Next"},
		{"non-last stage without next", func(w *cases.Workflow) { w.Stages[2].Next = nil }, "Stages[2].Next"},
		{"first stage without next", func(w *cases.Workflow) { w.Stages[0].Next = nil }, "Stages[0].Next"},
		{"no exits", func(w *cases.Workflow) { w.Exits = nil }, "Exits"},
		{"empty exits", func(w *cases.Workflow) { w.Exits = []cases.Exit{} }, "Exits"},
		{"exit with capitals", func(w *cases.Workflow) { w.Exits[0].Name = "Settled" }, "Exits[0].Name"},
		{"exit empty", func(w *cases.Workflow) { w.Exits[1].Name = "" }, "Exits[1].Name"},
		{"duplicate exit", func(w *cases.Workflow) { w.Exits = append(w.Exits, cases.Exit{Name: "settled"}) }, "Exits[3].Name"},
		{"exit named like a stage", func(w *cases.Workflow) { w.Exits[0].Name = "mediation" }, "Exits[0].Name"},
		{"exit from an undefined stage", func(w *cases.Workflow) { w.Exits[2].From = []string{"hearing"} }, "Exits[2].From[0]"},
		{"exit from the closed stage", func(w *cases.Workflow) { w.Exits[2].From = []string{"closed"} }, "Exits[2].From[0]"},
		{"first stage without the conflict gate", func(w *cases.Workflow) { w.Stages[0].RequiresClearance = false }, "Stages[0].RequiresClearance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := familyWorkflow()
			tt.mod(&w)
			data, err := json.Marshal(w)
			if err != nil {
				t.Fatal(err)
			}
			got, err := cases.ParseWorkflow(data)
			checkFieldError(t, err, "workflow", tt.field)
			if err != nil && !cmp.Equal(got, cases.Workflow{}) {
				t.Errorf("ParseWorkflow returned %+v with its error, want the zero Workflow", got)
			}
			// Validate on the value agrees with ParseWorkflow.
			checkFieldError(t, w.Validate(), "workflow", tt.field)
		})
	}
}

func TestParseWorkflowBadJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		msg  string // a substring the error must contain
	}{
		{"unknown top-level key", strings.Replace(familyJSON, `"code"`, `"codes": "FL", "code"`, 1), `"codes"`},
		{"misspelt guard", strings.Replace(familyJSON, `"requires_clearance"`, `"requires_clearence"`, 1), `"requires_clearence"`},
		{"unknown stage key", strings.Replace(familyJSON, `"label": "Closed"`, `"label": "Closed", "final": true`, 1), `"final"`},
		{"empty input", "", ""},
		{"truncated", familyJSON[:40], ""},
		{"not an object", `[]`, ""},
		{"stages is a string", `{"type":"x","stages":"intake"}`, ""},
		{"requires_clearance is a string", strings.Replace(familyJSON, `"requires_clearance": true`, `"requires_clearance": "yes"`, 1), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cases.ParseWorkflow([]byte(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, cases.ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not mention %s", err, tt.msg)
			}
		})
	}
	// JSON null decodes to an empty workflow, which then fails validation.
	_, err := cases.ParseWorkflow([]byte("null"))
	checkFieldError(t, err, "workflow", "Type")
}

// TestParseWorkflowTrailingData documents a gap: ParseWorkflow decodes the
// first JSON value and ignores whatever follows.
func TestParseWorkflowTrailingData(t *testing.T) {
	for _, tail := range []string{`{"stages": []}`, `garbage`, `]`} {
		if _, err := cases.ParseWorkflow([]byte(familyJSON + tail)); err == nil {
			t.Errorf("ParseWorkflow(valid + %q) succeeded", tail)
		}
	}
}

func FuzzParseWorkflow(f *testing.F) {
	for _, name := range []string{"federal-civil", "federal-criminal"} {
		data, err := os.ReadFile("workflows/" + name + ".json")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(familyJSON))
	f.Add([]byte(`{"type":"x","name":"X","code":"X","stages":[{"name":"a","label":"A","next":["b"]},{"name":"b","label":"B"}],"exits":["e"]}`))
	f.Add([]byte(`{"type":"x","name":"X","code":"X","stages":[{"name":"a","label":"A","next":["a"]},{"name":"b","label":"B"}],"exits":["e"]}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"stages":[{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := cases.ParseWorkflow(data)
		if err != nil {
			if !errors.Is(err, cases.ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if err := w.Validate(); err != nil {
			t.Fatalf("parsed workflow does not validate: %v", err)
		}
		// Every stage machine ParseWorkflow accepts works: each listed step
		// is allowed, each exit closes from the first stage.
		for _, s := range w.Stages[:len(w.Stages)-1] {
			for _, n := range s.Next {
				if err := w.CheckAdvance(s.Name, n, cases.Cleared); err != nil {
					t.Errorf("CheckAdvance(%q, %q): %v", s.Name, n, err)
				}
			}
		}
		for _, e := range w.Exits {
			from := w.Initial()
			if len(e.From) > 0 {
				from = e.From[0]
			}
			if err := w.CheckExit(from, e.Name); err != nil {
				t.Errorf("CheckExit(%q, %q): %v", from, e.Name, err)
			}
		}
		b, err := json.Marshal(w)
		if err != nil {
			t.Fatal(err)
		}
		back, err := cases.ParseWorkflow(b)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", b, err)
		}
		if d := cmp.Diff(w, back, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("round trip (-want +got):\n%s", d)
		}
	})
}
