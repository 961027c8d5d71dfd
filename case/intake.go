package cases

import (
	"slices"
	"time"
)

// IntakeID identifies an intake.
type IntakeID string

// IntakeStatus tracks an intake from first contact to a decision.
type IntakeStatus string

// Intake statuses.
const (
	IntakeOpen     IntakeStatus = "open"     // being taken, or awaiting the conflict check
	IntakeAccepted IntakeStatus = "accepted" // a case was opened from it
	IntakeDeclined IntakeStatus = "declined" // the firm will not act
)

// Intake records a prospective client's first contact with the firm: how
// they came, what happened in their own words, what was asked and answered,
// what must be followed up, and whom the matter is against.
type Intake struct {
	ID IntakeID
	// Prospect is the prospective client.
	Prospect ContactID
	// Source is how the client reached the firm: referral, website,
	// phone, walk-in, court appointment ...
	Source     string
	ReferredBy string
	// CaseType is the kind of case sought (a workflow type), if known.
	CaseType string
	// Facts are the client's account, in their own words.
	Facts     string
	Questions []Question
	FollowUps []FollowUp
	// Adverse are the parties the matter is against; they go into the
	// conflict check with the prospect.
	Adverse []AdverseParty
	Status  IntakeStatus
	// ConflictCheck is the latest check run for this intake.
	ConflictCheck CheckID
	// Case is the case opened from the intake, once accepted.
	Case    ID
	TakenBy string // user ID
	Version int64
	Created time.Time
	Updated time.Time
}

// Question is one question asked at intake and the answer given.
type Question struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// FollowUp is something to do after intake.
type FollowUp struct {
	What  string `json:"what"`
	Owner string `json:"owner,omitempty"` // user ID
	Due   Date   `json:"due,omitzero"`
	Done  bool   `json:"done,omitempty"`
}

// AdverseParty names someone the matter is against. Contact is set when the
// party is already a known contact.
type AdverseParty struct {
	Name    string      `json:"name"`
	Kind    ContactKind `json:"kind"`
	Aliases []string    `json:"aliases,omitempty"`
	Contact ContactID   `json:"contact,omitempty"`
	Role    PartyRole   `json:"role"`
}

// Validate checks an intake's fields.
func (in *Intake) Validate() error {
	const rec = "intake"
	if in.Prospect == "" {
		return invalid(rec, "Prospect", "is required")
	}
	if err := checkName(rec, "Source", in.Source); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"ReferredBy", in.ReferredBy}, {"CaseType", in.CaseType}} {
		if f.v != "" {
			if err := checkName(rec, f.name, f.v); err != nil {
				return err
			}
		}
	}
	if err := checkText(rec, "Facts", in.Facts, false); err != nil {
		return err
	}
	for i, q := range in.Questions {
		if err := checkText(rec, indexed("Questions", i)+".Question", q.Question, true); err != nil {
			return err
		}
		if err := checkText(rec, indexed("Questions", i)+".Answer", q.Answer, false); err != nil {
			return err
		}
	}
	for i, f := range in.FollowUps {
		if err := checkText(rec, indexed("FollowUps", i)+".What", f.What, true); err != nil {
			return err
		}
		if !f.Due.Valid() {
			return invalid(rec, indexed("FollowUps", i)+".Due", "is not a calendar date")
		}
	}
	for i, a := range in.Adverse {
		f := indexed("Adverse", i)
		if err := checkName(rec, f+".Name", a.Name); err != nil {
			return err
		}
		if a.Kind != Person && a.Kind != Organization {
			return invalid(rec, f+".Kind", "%q is not person or organization", a.Kind)
		}
		for j, al := range a.Aliases {
			if err := checkName(rec, f+"."+indexed("Aliases", j), al); err != nil {
				return err
			}
		}
		if !slices.Contains(PartyRoles, a.Role) || a.Role == RoleClient {
			return invalid(rec, f+".Role", "%q is not a role for an adverse or other party", a.Role)
		}
	}
	switch in.Status {
	case IntakeOpen, IntakeAccepted, IntakeDeclined:
	default:
		return invalid(rec, "Status", "%q is not open, accepted or declined", in.Status)
	}
	return nil
}

// MeetingID identifies a meeting.
type MeetingID string

// Meeting records a meeting held with a client or prospective client: who
// was there, when, where and what was said.
type Meeting struct {
	ID MeetingID
	// Contact is the client or prospect met.
	Contact ContactID
	// Case and Intake link the meeting to a matter; both are optional.
	Case   ID
	Intake IntakeID
	At     time.Time
	// Minutes is how long it lasted, if recorded.
	Minutes   int
	Location  string
	Attendees []string // names or user IDs of everyone present
	// Interpreter names the interpreter, if one attended.
	Interpreter string
	Notes       string
	RecordedBy  string // user ID
	Created     time.Time
}

// Validate checks a meeting's fields.
func (m *Meeting) Validate() error {
	const rec = "meeting"
	if m.Contact == "" {
		return invalid(rec, "Contact", "is required")
	}
	if m.At.IsZero() {
		return invalid(rec, "At", "is required")
	}
	if m.Minutes < 0 || m.Minutes > 24*60 {
		return invalid(rec, "Minutes", "%d is not between 0 and 1440", m.Minutes)
	}
	for _, f := range []struct{ name, v string }{{"Location", m.Location}, {"Interpreter", m.Interpreter}} {
		if f.v != "" {
			if err := checkName(rec, f.name, f.v); err != nil {
				return err
			}
		}
	}
	if len(m.Attendees) == 0 {
		return invalid(rec, "Attendees", "name at least one person present")
	}
	for i, a := range m.Attendees {
		if err := checkName(rec, indexed("Attendees", i), a); err != nil {
			return err
		}
	}
	return checkText(rec, "Notes", m.Notes, false)
}
