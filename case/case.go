package cases

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ID identifies a case.
type ID string

// Status is whether a case is open or closed.
type Status string

// Case statuses.
const (
	Open   Status = "open"
	Closed Status = "closed"
)

// Case is a matter the firm handles for a client.
type Case struct {
	ID ID
	// Reference is the firm's number for the case, unique in the firm,
	// such as 2026-CR-0001 (see ReferencePattern).
	Reference    string
	Title        string
	Type         string // the workflow's type, such as "federal-criminal"
	PracticeArea string
	Court        string
	DocketNumber string
	Judge        string
	Client       ContactID
	Status       Status
	// Stage is the current stage of the case type's workflow.
	Stage string
	// Outcome is the exit that closed the case (settled, dismissed, plea,
	// withdrawn), empty while open or when closed in the normal course.
	Outcome      string
	OpenedOn     Date
	ClosedOn     Date
	LeadAttorney string // user ID
	CaseManager  string // user ID
	// Team lists further members with their role on this case.
	Team []TeamMember
	// Restricted cases are visible only to their team: the lead attorney,
	// the case manager and the Team. Others see firm-visible cases as
	// their roles allow.
	Restricted bool
	// Intake is the intake the case was opened from, if any.
	Intake IntakeID
	// ConflictCheck is the check whose decision lets the case leave intake.
	ConflictCheck CheckID
	Version       int64
	Created       time.Time
	Updated       time.Time
}

// TeamMember is a user on a case's team, in a role on that case ("second
// chair", "associate", "paralegal").
type TeamMember struct {
	User string `json:"user"`
	Role string `json:"role"`
}

// Team roles of the two named staff of every case.
const (
	TeamLeadAttorney = "lead attorney"
	TeamCaseManager  = "case manager"
)

// Shared returns what a client sees of their own case through a portal:
// the matter as the court and the client know it (reference, title, type,
// court, docket number, judge, status, stage, outcome, dates, and their
// lead attorney and case manager). The firm's internal arrangements stay
// out: the team and its per-case roles, the restricted flag, and the intake
// and conflict check it was opened through.
func (c *Case) Shared() Case {
	s := *c
	s.Team, s.Restricted, s.Intake, s.ConflictCheck = nil, false, "", ""
	return s
}

// Members returns everyone on the case's team and their role on it: the
// lead attorney, the case manager and the Team.
func (c *Case) Members() map[string]string {
	out := make(map[string]string, len(c.Team)+2)
	for _, m := range c.Team {
		out[m.User] = m.Role
	}
	if c.CaseManager != "" {
		out[c.CaseManager] = TeamCaseManager
	}
	if c.LeadAttorney != "" {
		out[c.LeadAttorney] = TeamLeadAttorney
	}
	return out
}

// Draft is what it takes to open a case.
type Draft struct {
	// Reference is normally left empty and generated from the firm's
	// pattern; set it to import a case that already has a number.
	Reference     string
	Title         string
	Type          string
	PracticeArea  string
	Court         string
	DocketNumber  string
	Judge         string
	Client        ContactID
	OpenedOn      Date // defaults to today
	LeadAttorney  string
	CaseManager   string
	Team          []TeamMember
	Restricted    bool
	Intake        IntakeID
	ConflictCheck CheckID
}

// Validate checks the parts of a case that need no lookup. Whether the
// client exists and the type has a workflow is checked by the caller.
func (c *Case) Validate() error {
	const rec = "case"
	if err := checkReference(c.Reference); err != nil {
		return err
	}
	if err := checkName(rec, "Title", c.Title); err != nil {
		return err
	}
	if strings.TrimSpace(c.Type) == "" {
		return invalid(rec, "Type", "is required")
	}
	if c.Client == "" {
		return invalid(rec, "Client", "is required")
	}
	for _, f := range []struct{ name, v string }{
		{"PracticeArea", c.PracticeArea}, {"Court", c.Court}, {"DocketNumber", c.DocketNumber},
		{"Judge", c.Judge}, {"LeadAttorney", c.LeadAttorney}, {"CaseManager", c.CaseManager},
	} {
		if f.v != "" {
			if err := checkName(rec, f.name, f.v); err != nil {
				return err
			}
		}
	}
	for i, m := range c.Team {
		f := indexed("Team", i)
		if err := checkName(rec, f+".User", m.User); err != nil {
			return err
		}
		if err := checkName(rec, f+".Role", m.Role); err != nil {
			return err
		}
		if slices.ContainsFunc(c.Team[:i], func(o TeamMember) bool { return o.User == m.User }) {
			return invalid(rec, f+".User", "%s is listed twice", m.User)
		}
	}
	switch c.Status {
	case Open, Closed:
	default:
		return invalid(rec, "Status", "%q is not open or closed", c.Status)
	}
	if !c.OpenedOn.Valid() {
		return invalid(rec, "OpenedOn", "is not a calendar date")
	}
	if c.OpenedOn.IsZero() {
		return invalid(rec, "OpenedOn", "is required")
	}
	if !c.ClosedOn.Valid() {
		return invalid(rec, "ClosedOn", "is not a calendar date")
	}
	if !c.ClosedOn.IsZero() && c.ClosedOn.Before(c.OpenedOn) {
		return invalid(rec, "ClosedOn", "%s is before the opening date %s", c.ClosedOn, c.OpenedOn)
	}
	return nil
}

// checkReference allows letters, digits and the separators - / . _ only, so
// that a reference is safe in file names, subjects and URLs.
func checkReference(ref string) error {
	if ref == "" {
		return invalid("case", "Reference", "is required")
	}
	if len(ref) > maxReferenceLen {
		return invalid("case", "Reference", "is longer than %d characters", maxReferenceLen)
	}
	for _, r := range ref {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-/._", r)) {
			return invalid("case", "Reference", "%q may hold only letters, digits and - / . _", ref)
		}
	}
	return nil
}

// PartyID identifies a party on a case.
type PartyID string

// PartyRole is the part a contact plays in a case.
type PartyRole string

// Party roles.
const (
	RoleClient          PartyRole = "client"
	RoleOpposingParty   PartyRole = "opposing-party"
	RoleOpposingCounsel PartyRole = "opposing-counsel"
	RoleCoDefendant     PartyRole = "co-defendant"
	RoleWitness         PartyRole = "witness"
	RoleExpert          PartyRole = "expert"
	RoleJudge           PartyRole = "judge"
	RoleInsurer         PartyRole = "insurer"
	RoleOther           PartyRole = "other"
)

// PartyRoles lists every role in a stable order.
var PartyRoles = []PartyRole{RoleClient, RoleOpposingParty, RoleOpposingCounsel, RoleCoDefendant, RoleWitness, RoleExpert, RoleJudge, RoleInsurer, RoleOther}

// Adverse reports whether the role is on the other side of the client.
func (r PartyRole) Adverse() bool { return r == RoleOpposingParty || r == RoleOpposingCounsel }

// Party is a contact's role on a case.
type Party struct {
	ID      PartyID
	Case    ID
	Contact ContactID
	Role    PartyRole
	Notes   string
	Version int64
	Created time.Time
	Updated time.Time
}

// Shared returns what a client sees of a party on their own case: who it
// is and in what role, without the firm's notes.
func (p *Party) Shared() Party {
	s := *p
	s.Notes = ""
	return s
}

// Validate checks the party's fields.
func (p *Party) Validate() error {
	const rec = "party"
	if p.Case == "" {
		return invalid(rec, "Case", "is required")
	}
	if p.Contact == "" {
		return invalid(rec, "Contact", "is required")
	}
	if !slices.Contains(PartyRoles, p.Role) {
		return invalid(rec, "Role", "%q is not a party role (client, opposing-party, opposing-counsel, co-defendant, witness, expert, judge, insurer, other)", p.Role)
	}
	return checkText(rec, "Notes", p.Notes, false)
}

// Validate checks a stage change before it is recorded: the reason is
// required, as the history must say why.
func (c *StageChange) Validate() error {
	return ValidateReason("stage change", c.Reason)
}

// MaxReasonLen bounds the reason given for a change the audit trail must
// explain (a stage change, a removal).
const MaxReasonLen = 4000

// ValidateReason checks the reason given for a change: required, at most
// MaxReasonLen bytes of valid UTF-8 without NUL. record names the change.
func ValidateReason(record, reason string) error {
	if err := checkText(record, "Reason", reason, true); err != nil {
		return err
	}
	if len(reason) > MaxReasonLen {
		return invalid(record, "Reason", "is longer than %d bytes", MaxReasonLen)
	}
	return nil
}

// Shared returns what a client sees of a stage change on their own case:
// the stages and when, without the firm's reason or who made it.
func (c *StageChange) Shared() StageChange {
	s := *c
	s.Reason, s.By = "", ""
	return s
}

// StageChange is one entry of a case's stage history.
type StageChange struct {
	Case ID
	// Seq numbers the case's changes from 1.
	Seq  int64
	From string
	To   string
	// Exit is set when the change closed the case by an exit (settled,
	// dismissed, plea, withdrawn).
	Exit   string
	Reason string
	By     string // user ID
	At     time.Time
}

// ValidateText checks a free-text field of another domain's record:
// valid UTF-8 without NUL, at most max bytes, and not blank when
// required. The error is a *FieldError naming record and field.
func ValidateText(record, field, v string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(v) == "":
		return invalid(record, field, "is required")
	case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
		return invalid(record, field, "is not valid UTF-8 text")
	case len(v) > max:
		return invalid(record, field, "is longer than %d bytes", max)
	}
	return nil
}
