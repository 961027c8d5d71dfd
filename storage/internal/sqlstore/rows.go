package sqlstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
)

// Instants are stored as fixed-width UTC text to the microsecond, the
// audit log's own layout, so that they sort as text and read the same in
// every engine; dates as YYYY-MM-DD, "" when unset.
const tsLayout = audit.TimeLayout

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(tsLayout)
}

func parseTS(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(tsLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

// js encodes a value for a JSON text column; nil slices become "[]".
func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sqlstore: encoding %T: %v", v, err))
	}
	if string(b) == "null" {
		return "[]"
	}
	return string(b)
}

// decoder collects the first error of a row's conversions.
type decoder struct{ err error }

func (d *decoder) time(s string) time.Time {
	t, err := parseTS(s)
	if err != nil && d.err == nil {
		d.err = err
	}
	return t
}

func (d *decoder) date(s string) cases.Date {
	v, err := cases.ParseDate(s)
	if err != nil && d.err == nil {
		d.err = fmt.Errorf("stored date: %w", err)
	}
	return v
}

// json decodes a JSON column into dest; "[]" leaves a nil slice nil.
func (d *decoder) json(s string, dest any) {
	if s == "" || s == "[]" {
		return
	}
	if err := json.Unmarshal([]byte(s), dest); err != nil && d.err == nil {
		d.err = fmt.Errorf("stored JSON %.40q: %w", s, err)
	}
}

type userRow struct {
	ID      string `db:"id"`
	Name    string `db:"name"`
	Email   string `db:"email"`
	Active  bool   `db:"active"`
	Roles   string `db:"roles"`
	Contact string `db:"contact"`
	Version int64  `db:"version"`
	Created string `db:"created"`
	Updated string `db:"updated"`
}

func userRowOf(u access.User) userRow {
	return userRow{string(u.ID), u.Name, u.Email, u.Active, js(u.Roles), u.Contact, u.Version, ts(u.Created), ts(u.Updated)}
}

func (r userRow) user() (access.User, error) {
	var d decoder
	u := access.User{ID: access.UserID(r.ID), Name: r.Name, Email: r.Email, Active: r.Active, Contact: r.Contact,
		Version: r.Version, Created: d.time(r.Created), Updated: d.time(r.Updated)}
	d.json(r.Roles, &u.Roles)
	return u, d.err
}

type contactRow struct {
	ID                string `db:"id"`
	Kind              string `db:"kind"`
	Name              string `db:"name"`
	Aliases           string `db:"aliases"`
	Emails            string `db:"emails"`
	Phones            string `db:"phones"`
	Addresses         string `db:"addresses"`
	PreferredLanguage string `db:"preferred_language"`
	InterpreterNeeded bool   `db:"interpreter_needed"`
	Accessibility     string `db:"accessibility"`
	CulturalNotes     string `db:"cultural_notes"`
	DateOfBirth       string `db:"date_of_birth"`
	Related           string `db:"related"`
	Notes             string `db:"notes"`
	Version           int64  `db:"version"`
	Created           string `db:"created"`
	Updated           string `db:"updated"`
}

func contactRowOf(c cases.Contact) contactRow {
	return contactRow{
		string(c.ID), string(c.Kind), c.Name, js(c.Aliases), js(c.Emails), js(c.Phones), js(c.Addresses),
		c.PreferredLanguage, c.InterpreterNeeded, c.Accessibility, c.CulturalNotes, c.DateOfBirth.String(),
		js(c.Related), c.Notes, c.Version, ts(c.Created), ts(c.Updated),
	}
}

func (r contactRow) contact() (cases.Contact, error) {
	var d decoder
	c := cases.Contact{
		ID: cases.ContactID(r.ID), Kind: cases.ContactKind(r.Kind), Name: r.Name,
		PreferredLanguage: r.PreferredLanguage, InterpreterNeeded: r.InterpreterNeeded,
		Accessibility: r.Accessibility, CulturalNotes: r.CulturalNotes, DateOfBirth: d.date(r.DateOfBirth),
		Notes: r.Notes, Version: r.Version, Created: d.time(r.Created), Updated: d.time(r.Updated),
	}
	d.json(r.Aliases, &c.Aliases)
	d.json(r.Emails, &c.Emails)
	d.json(r.Phones, &c.Phones)
	d.json(r.Addresses, &c.Addresses)
	d.json(r.Related, &c.Related)
	return c, d.err
}

type caseRow struct {
	ID            string `db:"id"`
	Reference     string `db:"reference"`
	Title         string `db:"title"`
	Type          string `db:"type"`
	PracticeArea  string `db:"practice_area"`
	Court         string `db:"court"`
	DocketNumber  string `db:"docket_number"`
	Judge         string `db:"judge"`
	Client        string `db:"client"`
	Status        string `db:"status"`
	Stage         string `db:"stage"`
	Outcome       string `db:"outcome"`
	OpenedOn      string `db:"opened_on"`
	ClosedOn      string `db:"closed_on"`
	LeadAttorney  string `db:"lead_attorney"`
	CaseManager   string `db:"case_manager"`
	Team          string `db:"team"`
	Restricted    bool   `db:"restricted"`
	Intake        string `db:"intake"`
	ConflictCheck string `db:"conflict_check"`
	Version       int64  `db:"version"`
	Created       string `db:"created"`
	Updated       string `db:"updated"`
}

func caseRowOf(c cases.Case) caseRow {
	return caseRow{
		string(c.ID), c.Reference, c.Title, c.Type, c.PracticeArea, c.Court, c.DocketNumber, c.Judge,
		string(c.Client), string(c.Status), c.Stage, c.Outcome, c.OpenedOn.String(), c.ClosedOn.String(),
		c.LeadAttorney, c.CaseManager, js(c.Team), c.Restricted, string(c.Intake), string(c.ConflictCheck),
		c.Version, ts(c.Created), ts(c.Updated),
	}
}

func (r caseRow) kase() (cases.Case, error) {
	var d decoder
	c := cases.Case{
		ID: cases.ID(r.ID), Reference: r.Reference, Title: r.Title, Type: r.Type, PracticeArea: r.PracticeArea,
		Court: r.Court, DocketNumber: r.DocketNumber, Judge: r.Judge, Client: cases.ContactID(r.Client),
		Status: cases.Status(r.Status), Stage: r.Stage, Outcome: r.Outcome, OpenedOn: d.date(r.OpenedOn),
		ClosedOn: d.date(r.ClosedOn), LeadAttorney: r.LeadAttorney, CaseManager: r.CaseManager, Restricted: r.Restricted,
		Intake: cases.IntakeID(r.Intake), ConflictCheck: cases.CheckID(r.ConflictCheck),
		Version: r.Version, Created: d.time(r.Created), Updated: d.time(r.Updated),
	}
	d.json(r.Team, &c.Team)
	return c, d.err
}

type partyRow struct {
	ID      string `db:"id"`
	Case    string `db:"case_id"`
	Contact string `db:"contact_id"`
	Role    string `db:"role"`
	Notes   string `db:"notes"`
	Version int64  `db:"version"`
	Created string `db:"created"`
	Updated string `db:"updated"`
}

func partyRowOf(p cases.Party) partyRow {
	return partyRow{string(p.ID), string(p.Case), string(p.Contact), string(p.Role), p.Notes, p.Version, ts(p.Created), ts(p.Updated)}
}

func (r partyRow) party() (cases.Party, error) {
	var d decoder
	p := cases.Party{ID: cases.PartyID(r.ID), Case: cases.ID(r.Case), Contact: cases.ContactID(r.Contact), Role: cases.PartyRole(r.Role),
		Notes: r.Notes, Version: r.Version, Created: d.time(r.Created), Updated: d.time(r.Updated)}
	return p, d.err
}

type stageRow struct {
	Case   string `db:"case_id"`
	Seq    int64  `db:"seq"`
	From   string `db:"from_stage"`
	To     string `db:"to_stage"`
	Exit   string `db:"exit_name"`
	Reason string `db:"reason"`
	By     string `db:"by_user"`
	At     string `db:"at"`
}

func (r stageRow) change() (cases.StageChange, error) {
	var d decoder
	c := cases.StageChange{Case: cases.ID(r.Case), Seq: r.Seq, From: r.From, To: r.To, Exit: r.Exit, Reason: r.Reason, By: r.By, At: d.time(r.At)}
	return c, d.err
}

type intakeRow struct {
	ID            string `db:"id"`
	Prospect      string `db:"prospect"`
	Source        string `db:"source"`
	ReferredBy    string `db:"referred_by"`
	CaseType      string `db:"case_type"`
	Facts         string `db:"facts"`
	Questions     string `db:"questions"`
	FollowUps     string `db:"follow_ups"`
	Adverse       string `db:"adverse"`
	Status        string `db:"status"`
	ConflictCheck string `db:"conflict_check"`
	Case          string `db:"case_id"`
	TakenBy       string `db:"taken_by"`
	Version       int64  `db:"version"`
	Created       string `db:"created"`
	Updated       string `db:"updated"`
}

func intakeRowOf(in cases.Intake) intakeRow {
	return intakeRow{
		string(in.ID), string(in.Prospect), in.Source, in.ReferredBy, in.CaseType, in.Facts,
		js(in.Questions), js(in.FollowUps), js(in.Adverse), string(in.Status), string(in.ConflictCheck),
		string(in.Case), in.TakenBy, in.Version, ts(in.Created), ts(in.Updated),
	}
}

func (r intakeRow) intake() (cases.Intake, error) {
	var d decoder
	in := cases.Intake{
		ID: cases.IntakeID(r.ID), Prospect: cases.ContactID(r.Prospect), Source: r.Source, ReferredBy: r.ReferredBy,
		CaseType: r.CaseType, Facts: r.Facts, Status: cases.IntakeStatus(r.Status), ConflictCheck: cases.CheckID(r.ConflictCheck),
		Case: cases.ID(r.Case), TakenBy: r.TakenBy, Version: r.Version, Created: d.time(r.Created), Updated: d.time(r.Updated),
	}
	d.json(r.Questions, &in.Questions)
	d.json(r.FollowUps, &in.FollowUps)
	d.json(r.Adverse, &in.Adverse)
	return in, d.err
}

type meetingRow struct {
	ID          string `db:"id"`
	Contact     string `db:"contact_id"`
	Case        string `db:"case_id"`
	Intake      string `db:"intake_id"`
	At          string `db:"at"`
	Minutes     int    `db:"minutes"`
	Location    string `db:"location"`
	Attendees   string `db:"attendees"`
	Interpreter string `db:"interpreter"`
	Notes       string `db:"notes"`
	RecordedBy  string `db:"recorded_by"`
	Created     string `db:"created"`
}

func meetingRowOf(m cases.Meeting) meetingRow {
	return meetingRow{string(m.ID), string(m.Contact), string(m.Case), string(m.Intake), ts(m.At), m.Minutes, m.Location,
		js(m.Attendees), m.Interpreter, m.Notes, m.RecordedBy, ts(m.Created)}
}

func (r meetingRow) meeting() (cases.Meeting, error) {
	var d decoder
	m := cases.Meeting{ID: cases.MeetingID(r.ID), Contact: cases.ContactID(r.Contact), Case: cases.ID(r.Case), Intake: cases.IntakeID(r.Intake),
		At: d.time(r.At), Minutes: r.Minutes, Location: r.Location, Interpreter: r.Interpreter, Notes: r.Notes,
		RecordedBy: r.RecordedBy, Created: d.time(r.Created)}
	d.json(r.Attendees, &m.Attendees)
	return m, d.err
}

type checkRow struct {
	ID         string `db:"id"`
	Intake     string `db:"intake_id"`
	Subjects   string `db:"subjects"`
	Hits       string `db:"hits"`
	Decision   string `db:"decision"`
	ConsentRef string `db:"consent_ref"`
	Reason     string `db:"reason"`
	RanBy      string `db:"ran_by"`
	RanAt      string `db:"ran_at"`
	DecidedBy  string `db:"decided_by"`
	DecidedAt  string `db:"decided_at"`
	Version    int64  `db:"version"`
	Created    string `db:"created"`
	Updated    string `db:"updated"`
	Case       string `db:"case_id"`
}

func checkRowOf(c cases.ConflictCheck) checkRow {
	return checkRow{string(c.ID), string(c.Intake), js(c.Subjects), js(c.Hits), string(c.Decision), c.ConsentRef, c.Reason,
		c.RanBy, ts(c.RanAt), c.DecidedBy, ts(c.DecidedAt), c.Version, ts(c.Created), ts(c.Updated), string(c.Case)}
}

func (r checkRow) check() (cases.ConflictCheck, error) {
	var d decoder
	c := cases.ConflictCheck{ID: cases.CheckID(r.ID), Intake: cases.IntakeID(r.Intake), Case: cases.ID(r.Case), Decision: cases.Decision(r.Decision),
		ConsentRef: r.ConsentRef, Reason: r.Reason, RanBy: r.RanBy, RanAt: d.time(r.RanAt), DecidedBy: r.DecidedBy,
		DecidedAt: d.time(r.DecidedAt), Version: r.Version, Created: d.time(r.Created), Updated: d.time(r.Updated)}
	d.json(r.Subjects, &c.Subjects)
	d.json(r.Hits, &c.Hits)
	return c, d.err
}

type auditRow struct {
	Seq          int64  `db:"seq"`
	At           string `db:"at"`
	Actor        string `db:"actor"`
	Action       string `db:"action"`
	ResourceType string `db:"resource_type"`
	ResourceID   string `db:"resource_id"`
	CaseID       string `db:"case_id"`
	Reason       string `db:"reason"`
	Changes      string `db:"changes"`
	PrevHash     string `db:"prev_hash"`
	Hash         string `db:"hash"`
}

func auditRowOf(e *audit.Entry) auditRow {
	r := e.Record()
	return auditRow(r)
}

func (r auditRow) record() *audit.Record {
	rec := audit.Record(r)
	return &rec
}

func (r auditRow) entry() (audit.Entry, error) {
	return r.record().Entry()
}

type wallRow struct {
	ID         string `db:"id"`
	Reason     string `db:"reason"`
	ApprovedBy string `db:"approved_by"`
	CreatedBy  string `db:"created_by"`
	Lifted     string `db:"lifted"`
	LiftedBy   string `db:"lifted_by"`
	LiftReason string `db:"lift_reason"`
	Version    int64  `db:"version"`
	Created    string `db:"created"`
	Updated    string `db:"updated"`
}

func wallRowOf(w access.Wall) wallRow {
	return wallRow{w.ID, w.Reason, string(w.ApprovedBy), string(w.CreatedBy), ts(w.Lifted), string(w.LiftedBy), w.LiftReason, w.Version, ts(w.Created), ts(w.Updated)}
}

// wall converts the row; the members are read separately.
func (r wallRow) wall() (access.Wall, error) {
	var d decoder
	w := access.Wall{ID: r.ID, Reason: r.Reason, ApprovedBy: access.UserID(r.ApprovedBy), CreatedBy: access.UserID(r.CreatedBy),
		Lifted: d.time(r.Lifted), LiftedBy: access.UserID(r.LiftedBy), LiftReason: r.LiftReason, Version: r.Version,
		Created: d.time(r.Created), Updated: d.time(r.Updated)}
	return w, d.err
}
