package cases

import "time"

// CheckID identifies a conflict check.
type CheckID string

// Decision is the recorded outcome of a conflict check.
type Decision string

// Decisions. Only Cleared and Waived let a case leave intake.
const (
	Pending  Decision = "pending"
	Cleared  Decision = "cleared"  // no conflict, or none that matters
	Waived   Decision = "waived"   // a conflict the affected clients consented to in writing
	Declined Decision = "declined" // the firm will not act
)

// Permits reports whether the decision lets a case leave intake.
func (d Decision) Permits() bool { return d == Cleared || d == Waived }

// ConflictCheck is one run of the conflict search and the decision taken on
// it. The hits are kept as they were found, so the record shows what the
// decider saw.
type ConflictCheck struct {
	ID     CheckID
	Intake IntakeID
	// Clients are the contacts the check was run for: the intake's
	// prospect, or every client subject naming a contact. Case is the
	// case the check cleared the way for, once one was opened with it.
	// Both make the check part of those clients' and that case's record,
	// walls included.
	Clients  []ContactID
	Case     ID
	Subjects []Subject
	Hits     []Hit
	Decision Decision
	// ConsentRef points to the written consent for a waiver (ABA Model
	// Rule 1.7(b)(4)): a document ID, a file reference.
	ConsentRef string
	// Reason explains the decision.
	Reason    string
	RanBy     string // user ID
	RanAt     time.Time
	DecidedBy string // user ID
	DecidedAt time.Time
	Version   int64
	Created   time.Time
	Updated   time.Time
}

// ValidateDecision checks a decision before it is recorded on a check.
func ValidateDecision(d Decision, consentRef, reason string) error {
	const rec = "conflict check"
	switch d {
	case Cleared, Declined:
	case Waived:
		if err := checkName(rec, "ConsentRef", consentRef); err != nil {
			return invalid(rec, "ConsentRef", "a waiver needs the reference of the written consent")
		}
	case Pending, "":
		return invalid(rec, "Decision", "is required (cleared, waived or declined)")
	default:
		return invalid(rec, "Decision", "%q is not cleared, waived or declined", d)
	}
	return checkText(rec, "Reason", reason, d != Cleared)
}

// SubjectRole is the part a searched name plays in the prospective matter.
type SubjectRole string

// Subject roles.
const (
	SubjectClient  SubjectRole = "prospective-client"
	SubjectAdverse SubjectRole = "adverse-party"
)

// Subject is a name searched by a conflict check: the prospective client or
// an adverse party, with the names it is also known by.
type Subject struct {
	Name    string      `json:"name"`
	Aliases []string    `json:"aliases,omitempty"`
	Kind    ContactKind `json:"kind"`
	Role    SubjectRole `json:"role"`
	// Contact is set when the subject is already a known contact: the
	// check then matches that contact by identity (score 1), whatever the
	// spelling, so a new client who is an adverse party on another case is
	// always found.
	Contact ContactID `json:"contact,omitempty"`
}

// Known is a contact the firm knows, with every role it has on a case.
type Known struct {
	Contact Contact
	Roles   []KnownRole
}

// KnownRole is one role a known contact plays on a case, or in an intake
// that did not (yet) become a case.
type KnownRole struct {
	Case      ID
	Reference string
	Title     string
	Role      PartyRole
	// Open is false for a closed case: its client is a former client
	// (ABA Model Rule 1.9), not a current one (1.7). For an intake, it is
	// false once the intake was declined.
	Open bool
	// Intake is set when the role comes from an intake rather than a case:
	// its prospect (RoleProspect) or a party it named as adverse. The firm
	// may hold the prospect's confidential information (Rule 1.18).
	Intake IntakeID
}

// RoleProspect is the role of a prospective client in a KnownRole: someone
// who consulted the firm at intake. It is not a party role.
const RoleProspect PartyRole = "prospective-client"

// MatchKind says how a subject's name matched a known name.
type MatchKind string

// Match kinds, strongest first.
const (
	MatchExact    MatchKind = "exact"    // the same name after normalisation
	MatchAlias    MatchKind = "alias"    // a subject name matched a known alias, or the reverse
	MatchCompany  MatchKind = "company"  // the same organisation once suffixes (Corp, Inc, LLC) are normalised
	MatchNickname MatchKind = "nickname" // given names that are nicknames of each other (Bill, William)
	MatchPhonetic MatchKind = "phonetic" // names that sound alike (Smyth, Smith)
	MatchRelated  MatchKind = "related"  // a relation of a matched contact (parent, spouse ...)
)

// Hit is one potential conflict found by a check, with why it was found
// and how strongly.
type Hit struct {
	// Subject is the searched name that matched, and its role.
	Subject     string      `json:"subject"`
	SubjectRole SubjectRole `json:"subject_role"`
	// Contact is the known contact it matched, by the name MatchedName.
	Contact     ContactID `json:"contact"`
	ContactName string    `json:"contact_name"`
	MatchedName string    `json:"matched_name"`
	Match       MatchKind `json:"match"`
	// Score runs from 0 to 1: how likely the hit is a real conflict,
	// from the strength of the name match and the gravity of the role.
	Score float64 `json:"score"`
	// Case and Role say where the contact appears; empty when the contact
	// has no role on any case.
	Case      ID        `json:"case,omitempty"`
	Reference string    `json:"reference,omitempty"`
	Role      PartyRole `json:"role,omitempty"`
	// Intake is set when the contact's role comes from an intake that
	// became no case (see KnownRole.Intake).
	Intake IntakeID `json:"intake,omitempty"`
	// Rule is the ABA Model Rule the hit engages, such as "1.7" (current
	// client), "1.9" (former client); empty when none is engaged directly.
	Rule string `json:"rule,omitempty"`
	// Reason explains the hit in one sentence.
	Reason string `json:"reason"`
}
