package cases

import (
	"embed"
	"fmt"
)

//go:embed workflows/*.json
var builtinFS embed.FS

// FederalCivil is the built-in workflow for federal civil litigation:
// intake, pleadings, case management, discovery, dispositive motions,
// pretrial, trial, judgment and post-trial motions, appeal, closed.
var FederalCivil = mustBuiltin("federal-civil")

// FederalCriminal is the built-in workflow for federal criminal defence:
// intake, investigation, charging, initial appearance, detention and
// preliminary hearings, arraignment, discovery, pretrial motions, plea,
// trial, post-trial motions, presentence report, sentencing, appeal, closed.
// The Speedy Trial clock is a timer, not a stage, and is not modelled here.
var FederalCriminal = mustBuiltin("federal-criminal")

// Builtin returns copies of the built-in workflows, which the caller may
// change freely.
func Builtin() []Workflow { return []Workflow{FederalCivil.Clone(), FederalCriminal.Clone()} }

func mustBuiltin(name string) Workflow {
	data, err := builtinFS.ReadFile("workflows/" + name + ".json")
	if err != nil {
		panic(fmt.Sprintf("cases: built-in workflow %s: %v", name, err))
	}
	w, err := ParseWorkflow(data)
	if err != nil {
		panic(fmt.Sprintf("cases: built-in workflow %s: %v", name, err))
	}
	return w
}
