package cases

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Workflow is the stage machine of one case type. It is data: firms define
// their own (family, immigration, probate ...) in JSON and register them
// beside the built-in FederalCivil and FederalCriminal.
type Workflow struct {
	// Type is the case type this workflow governs, such as
	// "federal-criminal"; Case.Type names it.
	Type string `json:"type"`
	// Name is the human name of the type.
	Name string `json:"name"`
	// Code is the short code used in reference numbers ("CR" in
	// 2026-CR-0001).
	Code string `json:"code"`
	// PracticeArea is the default practice area for cases of this type.
	PracticeArea string `json:"practice_area,omitempty"`
	// Stages are in their usual order; the first is where a case starts and
	// the last is the closed stage, which every exit leads to.
	Stages []Stage `json:"stages"`
	// Exits end a case early: settled, dismissed, withdrawn, acquitted.
	Exits []Exit `json:"exits"`
}

// Exit is a way a case ends other than by running through its stages. In
// JSON an exit is either its name, allowed from every open stage, or an
// object naming the stages it may be taken from:
//
//	"exits": ["settled", {"name": "acquitted", "from": ["trial", "post-trial-motions"]}]
type Exit struct {
	Name string `json:"name"`
	// From lists the stages the exit may be taken from; empty means any
	// open stage.
	From []string `json:"from,omitempty"`
}

// UnmarshalJSON reads an exit written as a name or as an object.
func (e *Exit) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err == nil {
		*e = Exit{Name: name}
		return nil
	}
	type plain Exit
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p plain
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("an exit is a name or {\"name\": ..., \"from\": [...]}: %w", err)
	}
	*e = Exit(p)
	return nil
}

// Exit returns the named exit.
func (w *Workflow) Exit(name string) (Exit, bool) {
	for _, e := range w.Exits {
		if e.Name == name {
			return e, true
		}
	}
	return Exit{}, false
}

func (w *Workflow) exitNames() []string {
	out := make([]string, len(w.Exits))
	for i, e := range w.Exits {
		out[i] = e.Name
	}
	return out
}

// Stage is one stage of a workflow.
type Stage struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	// Next lists the stages a case may move to from here.
	Next []string `json:"next,omitempty"`
	// RequiresClearance blocks leaving the stage (by advancing; exits are
	// always allowed) until the case's conflict check is cleared or waived.
	RequiresClearance bool `json:"requires_clearance,omitempty"`
}

// ParseWorkflow reads a workflow from JSON and validates it. Unknown fields
// are an error, so that a misspelt key does not silently drop a guard.
func ParseWorkflow(data []byte) (Workflow, error) {
	var w Workflow
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Workflow{}, fmt.Errorf("workflow: %v: %w", err, ErrInvalid)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Workflow{}, fmt.Errorf("workflow: unexpected data after the workflow's JSON object: %w", ErrInvalid)
	}
	if err := w.Validate(); err != nil {
		return Workflow{}, err
	}
	return w, nil
}

// Validate checks that the workflow is a usable stage machine: named
// stages, no duplicates, every Next names a stage, every stage but the last
// can move on, and the last stage is final.
func (w *Workflow) Validate() error {
	const rec = "workflow"
	if !isSlug(w.Type) {
		return invalid(rec, "Type", "%q must be lower-case letters, digits and hyphens", w.Type)
	}
	if err := checkName(rec, "Name", w.Name); err != nil {
		return err
	}
	if w.Code == "" || len(w.Code) > maxCodeLen || !isAlnum(w.Code) {
		return invalid(rec, "Code", "%q must be 1 to %d letters or digits", w.Code, maxCodeLen)
	}
	if len(w.Stages) < 2 {
		return invalid(rec, "Stages", "a workflow needs at least an opening and a closed stage")
	}
	names := map[string]bool{}
	for i, s := range w.Stages {
		f := indexed("Stages", i)
		if !isSlug(s.Name) {
			return invalid(rec, f+".Name", "%q must be lower-case letters, digits and hyphens", s.Name)
		}
		if names[s.Name] {
			return invalid(rec, f+".Name", "stage %q is defined twice", s.Name)
		}
		names[s.Name] = true
		if err := checkName(rec, f+".Label", s.Label); err != nil {
			return err
		}
	}
	last := len(w.Stages) - 1
	for i, s := range w.Stages {
		f := indexed("Stages", i)
		for j, n := range s.Next {
			if !names[n] {
				return invalid(rec, f+"."+indexed("Next", j), "stage %q is not defined", n)
			}
			if n == s.Name {
				return invalid(rec, f+"."+indexed("Next", j), "a stage cannot move to itself")
			}
		}
		if i < last && len(s.Next) == 0 {
			return invalid(rec, f+".Next", "stage %q has no way forward", s.Name)
		}
		if i == last && len(s.Next) != 0 {
			return invalid(rec, f+".Next", "the last stage %q is the closed stage and cannot move on", s.Name)
		}
	}
	if !w.Stages[0].RequiresClearance {
		return invalid(rec, "Stages[0].RequiresClearance", "the first stage %q must require a cleared or waived conflict check before a case leaves it", w.Stages[0].Name)
	}
	if len(w.Exits) == 0 {
		return invalid(rec, "Exits", "name at least one exit (such as settled or withdrawn)")
	}
	for i, e := range w.Exits {
		if !isSlug(e.Name) {
			return invalid(rec, indexed("Exits", i)+".Name", "%q must be lower-case letters, digits and hyphens", e.Name)
		}
		if _, ok := w.Stage(e.Name); ok {
			return invalid(rec, indexed("Exits", i)+".Name", "%q is also a stage: an exit needs a name of its own", e.Name)
		}
		if slices.ContainsFunc(w.Exits[:i], func(x Exit) bool { return x.Name == e.Name }) {
			return invalid(rec, indexed("Exits", i)+".Name", "exit %q is listed twice", e.Name)
		}
		for j, from := range e.From {
			f := indexed("Exits", i) + "." + indexed("From", j)
			if _, ok := w.Stage(from); !ok {
				return invalid(rec, f, "stage %q is not defined", from)
			}
			if from == w.Stages[len(w.Stages)-1].Name {
				return invalid(rec, f, "no exit leaves the closed stage %q", from)
			}
		}
	}
	// Every stage must be reachable from the first, or it is a typo.
	reached := map[string]bool{w.Stages[0].Name: true}
	queue := []string{w.Stages[0].Name}
	for len(queue) > 0 {
		s, _ := w.Stage(queue[0])
		queue = queue[1:]
		for _, n := range s.Next {
			if !reached[n] {
				reached[n] = true
				queue = append(queue, n)
			}
		}
	}
	for i, s := range w.Stages {
		if !reached[s.Name] {
			return invalid(rec, indexed("Stages", i), "stage %q cannot be reached from %q", s.Name, w.Stages[0].Name)
		}
	}
	return nil
}

// Clone returns a deep copy of the workflow.
func (w Workflow) Clone() Workflow {
	w.Stages = slices.Clone(w.Stages)
	for i := range w.Stages {
		w.Stages[i].Next = slices.Clone(w.Stages[i].Next)
	}
	w.Exits = slices.Clone(w.Exits)
	for i := range w.Exits {
		w.Exits[i].From = slices.Clone(w.Exits[i].From)
	}
	return w
}

// Initial is the stage a new case starts in.
func (w *Workflow) Initial() string { return w.Stages[0].Name }

// Final is the closed stage.
func (w *Workflow) Final() string { return w.Stages[len(w.Stages)-1].Name }

// Stage returns the named stage.
func (w *Workflow) Stage(name string) (Stage, bool) {
	for _, s := range w.Stages {
		if s.Name == name {
			return s, true
		}
	}
	return Stage{}, false
}

// CheckAdvance reports whether a case in stage from may advance to stage to,
// given the decision on its conflict check. The error names the field
// ("Stage") and says which steps are allowed.
func (w *Workflow) CheckAdvance(from, to string, decision Decision) error {
	const rec = "case"
	cur, ok := w.Stage(from)
	if !ok {
		return invalid(rec, "Stage", "the case is in stage %q, which workflow %s does not define", from, w.Type)
	}
	if from == w.Final() {
		return invalid(rec, "Stage", "the case is closed")
	}
	if _, ok := w.Stage(to); !ok {
		if _, ok := w.Exit(to); ok {
			return invalid(rec, "Stage", "%q is an exit: close the case with Exit, not Advance", to)
		}
		return invalid(rec, "Stage", "%q is not a stage of workflow %s (stages: %s)", to, w.Type, strings.Join(w.stageNames(), ", "))
	}
	if !slices.Contains(cur.Next, to) {
		return invalid(rec, "Stage", "a case cannot move from %q to %q (allowed: %s)", from, to, strings.Join(cur.Next, ", "))
	}
	if cur.RequiresClearance && !decision.Permits() {
		d := decision
		if d == "" {
			d = "none recorded"
		}
		return invalid(rec, "ConflictCheck", "a case cannot leave %q until its conflict check is cleared or waived (decision: %s)", from, d)
	}
	return nil
}

// CheckExit reports whether a case in stage from may close by the exit.
// Exits need no conflict clearance: a matter the firm drops at intake
// closes without one.
func (w *Workflow) CheckExit(from, exit string) error {
	if _, ok := w.Stage(from); !ok {
		return invalid("case", "Stage", "the case is in stage %q, which workflow %s does not define", from, w.Type)
	}
	if from == w.Final() {
		return invalid("case", "Stage", "the case is closed")
	}
	e, ok := w.Exit(exit)
	if !ok {
		return invalid("case", "Exit", "%q is not an exit of workflow %s (exits: %s)", exit, w.Type, strings.Join(w.exitNames(), ", "))
	}
	if len(e.From) > 0 && !slices.Contains(e.From, from) {
		return invalid("case", "Exit", "a case in stage %q cannot close as %q (only from: %s)", from, exit, strings.Join(e.From, ", "))
	}
	return nil
}

func (w *Workflow) stageNames() []string {
	out := make([]string, len(w.Stages))
	for i, s := range w.Stages {
		out[i] = s.Name
	}
	return out
}

func isSlug(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
