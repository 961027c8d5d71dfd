// Package cases models a law firm's matters: cases and their court stages,
// clients and other contacts, parties on a case, client intake and the
// conflict-of-interest check that must be decided before a case leaves
// intake.
//
// The folder is named case, as the design card lays it out, but case is a Go
// keyword, so the package is named cases. Import it with its name spelled
// out:
//
//	import cases "github.com/docketkit/docket/case"
//
// # Pure domain
//
// Everything here is plain data and pure logic: no I/O, no clock, no
// storage. The root package docket persists these values through the
// storage interfaces and records every change in the audit log.
//
// # Validation
//
// Validate methods return a *FieldError that names the field and the rule it
// broke; errors.Is(err, ErrInvalid) reports any validation failure.
//
// # Workflows
//
// A case type's stages are data: a Workflow lists its stages, the steps each
// stage may take next, and the exits (settled, dismissed, plea, withdrawn)
// that close a case from any stage. FederalCivil and FederalCriminal are
// built in; ParseWorkflow reads a firm's own from JSON.
//
// # Conflict checks
//
// CheckConflicts compares a prospective client and the adverse parties with
// every known contact and party, through aliases, nicknames, a phonetic code
// and company-suffix normalisation, and explains each hit. A check ends in a
// recorded Decision: cleared, waived (with the written-consent reference) or
// declined.
package cases
