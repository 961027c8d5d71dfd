package document

import (
	"slices"
	"time"

	cases "github.com/docketkit/docket/case"
)

// HoldID identifies a legal hold.
type HoldID string

// Hold is a legal hold: while it is active, the documents it covers and
// every version of them cannot be deleted or purged by any path. A hold
// names a case (every document on it), a custodian (every document the
// user wrote or revised, on any case), or both (the custodian's documents
// on that case).
type Hold struct {
	ID        HoldID
	Case      cases.ID
	Custodian string // a user ID
	// Matter names the litigation or investigation the hold preserves for.
	Matter   string
	Reason   string
	PlacedBy string
	// Released is when the hold was lifted (zero while it holds), by whom
	// and why.
	Released      time.Time
	ReleasedBy    string
	ReleaseReason string
	Version       int64
	Created       time.Time
	Updated       time.Time
}

// Active reports whether the hold still holds.
func (h *Hold) Active() bool { return h.Released.IsZero() }

// Covers reports whether an active hold covers the document d, whose
// versions were written by authors.
func (h *Hold) Covers(d *Document, authors []string) bool {
	return h.CoversRecord(d.Case, append([]string{d.Author}, authors...)...)
}

// CoversRecord reports whether the hold, while active, covers a record on
// caseID (empty for one on no case) that people (user IDs) wrote or took
// part in: a case hold covers what is on its case, a custodian hold what
// its custodian was among the people of, and a hold naming both, only
// what satisfies both. Messages are held by it as documents are.
func (h *Hold) CoversRecord(caseID cases.ID, people ...string) bool {
	if !h.Active() {
		return false
	}
	if h.Case != "" && h.Case != caseID {
		return false
	}
	return h.Custodian == "" || slices.Contains(people, h.Custodian)
}

// Validate checks the hold's fields and names the one at fault.
func (h *Hold) Validate() error {
	const rec = "hold"
	if h.Case == "" && h.Custodian == "" {
		return invalid(rec, "Case", "a hold names a case, a custodian, or both")
	}
	if err := text(rec, "Matter", h.Matter, 300, true); err != nil {
		return err
	}
	return text(rec, "Reason", h.Reason, 4000, true)
}
