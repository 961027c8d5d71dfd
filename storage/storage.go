package storage

import (
	"context"
	"errors"
	"time"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
)

// Sentinel errors every Store returns, wrapped with detail; test them with
// errors.Is.
var (
	// ErrNotFound: no record has that key.
	ErrNotFound = errors.New("not found")
	// ErrExists: a record with that key, or that unique value, exists.
	ErrExists = errors.New("already exists")
	// ErrConflict: the record changed since the version the caller read.
	ErrConflict = errors.New("version conflict")
)

// Store runs transactions over the firm's records.
type Store interface {
	// Update runs fn in a read-write transaction. If fn returns an error,
	// or the commit fails, nothing fn wrote is kept, audit entries
	// included, and the error is returned.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction over a consistent snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	// Close releases the store's resources.
	Close() error
}

// Tx is one transaction; it hands out one repository per aggregate. A Tx
// and its repositories must not be used after fn returns.
type Tx interface {
	Users() Users
	Contacts() Contacts
	Cases() Cases
	Parties() Parties
	Stages() Stages
	Intakes() Intakes
	Meetings() Meetings
	Checks() Checks
	Counters() Counters
	RoleTables() RoleTables
	Walls() Walls
	Courts() Courts
	Events() Events
	Triggers() Triggers
	Deadlines() Deadlines
	Alerts() Alerts
	Reminders() Reminders
	Documents() Documents
	Versions() Versions
	Blobs() Blobs
	Holds() Holds
	Templates() Templates
	Messages() Messages
	FeedCursors() FeedCursors
	Audit() AuditLog
}

// Walls persists ethical walls with every user, case and client they name,
// however many.
type Walls interface {
	Get(ctx context.Context, id string) (access.Wall, error)
	Create(ctx context.Context, w access.Wall) error
	// Update replaces a wall (to lift it, or to widen it) with the usual
	// version check.
	Update(ctx context.Context, w access.Wall) error
	// List returns walls in ID order, and the cursor of the next page.
	List(ctx context.Context, f WallFilter, p Page) ([]access.Wall, string, error)
}

// WallFilter narrows a wall list; zero fields match everything.
type WallFilter struct {
	// User keeps the walls that screen this user.
	User access.UserID
	// Active keeps the walls not lifted.
	Active bool
	// Visible, when set, leaves out every wall (lifted or not) that names
	// Visible.User, or a case or client hidden from them: nobody learns
	// what they are screened from, or of a matter through its wall.
	Visible *Visibility
}

// RoleTables persists the firm's role-permission table, one versioned
// record.
type RoleTables interface {
	// Get returns the stored table, or ErrNotFound if none was ever stored
	// (the built-in table applies).
	Get(ctx context.Context) (access.RoleTable, error)
	// Put stores t if its Version is one more than the stored table's (1
	// when none is stored); ErrConflict otherwise.
	Put(ctx context.Context, t access.RoleTable) error
}

// Page asks for one page of a list: up to Limit records after the cursor
// After ("" for the first page). A Limit of 0 means DefaultLimit; more than
// MaxLimit is cut to MaxLimit.
type Page struct {
	After string
	Limit int
}

// Page sizes.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Size returns the number of records the page may hold.
func (p Page) Size() int {
	switch {
	case p.Limit <= 0:
		return DefaultLimit
	case p.Limit > MaxLimit:
		return MaxLimit
	}
	return p.Limit
}

// Users persists the firm's users.
type Users interface {
	Get(ctx context.Context, id access.UserID) (access.User, error)
	Create(ctx context.Context, u access.User) error
	Update(ctx context.Context, u access.User) error
	// List returns users in ID order and the cursor of the next page, ""
	// after the last.
	List(ctx context.Context, p Page) ([]access.User, string, error)
}

// Contacts persists contacts.
type Contacts interface {
	Get(ctx context.Context, id cases.ContactID) (cases.Contact, error)
	Create(ctx context.Context, c cases.Contact) error
	Update(ctx context.Context, c cases.Contact) error
	List(ctx context.Context, f ContactFilter, p Page) ([]cases.Contact, string, error)
}

// ContactFilter narrows a contact list; zero fields match everything.
type ContactFilter struct {
	Kind cases.ContactKind
	// Email keeps contacts with this email address, compared without
	// case.
	Email string
}

// Cases persists cases. The reference number is unique: Create and Update
// fail with ErrExists on a duplicate, and a failed Create leaves the
// transaction usable. Create fails with ErrNotFound when the client is not
// a stored contact.
type Cases interface {
	Get(ctx context.Context, id cases.ID) (cases.Case, error)
	GetByReference(ctx context.Context, ref string) (cases.Case, error)
	Create(ctx context.Context, c cases.Case) error
	Update(ctx context.Context, c cases.Case) error
	List(ctx context.Context, f CaseFilter, p Page) ([]cases.Case, string, error)
	// Count returns how many cases match f, visibility included.
	Count(ctx context.Context, f CaseFilter) (int, error)
}

// CaseFilter narrows a case list; zero fields match everything.
type CaseFilter struct {
	Status cases.Status
	Type   string
	Stage  string
	Client cases.ContactID
	// Visible, when set, keeps only the cases that user may see. The
	// store applies it inside its query, so pages stay full.
	Visible *Visibility
}

// Visibility is the part of the access policy a store applies inside its
// queries, so that lists, counts and searches show only what one user may
// see and pages stay full. A case is visible to User when:
//
//   - no active wall names User together with the case, with the case's
//     client, or with one of its co-clients (parties in the client role);
//   - when Contact is set (a client portal user): the case's client or a
//     co-client is Contact, restricted or not;
//   - otherwise: the case is not restricted, or User is its lead
//     attorney, its case manager or on its Team.
//
// A client is visible when no active wall names User together with it
// and, for a portal user, when it is Contact. Records follow what they
// belong to:
//
//   - an intake: its prospect is visible, and so is the case it became;
//   - a meeting: its contact, its case and its intake are visible;
//   - a conflict check: its client, its case and its intake are visible;
//   - a wall: it names neither User nor a case or client not visible;
//   - an audit entry: the case it names, if any, exists and is visible,
//     and so does the record it is about when that is an intake
//     (KindIntake), a meeting (KindMeeting), a conflict check (KindCheck),
//     a wall (KindWall), a case by its reference (KindReference), or a
//     calendar record on a case (KindEvent, KindDeadline, KindTrigger,
//     KindAlert), a document (KindDocument: also its privileged and
//     shared flags, as for documents below), a hold (KindHold: its case,
//     if it names one), a message (KindMessage: as for messages below)
//     or a contact (KindContact: no wall names the user with it);
//   - a document: its case is visible; if privileged, Privileged is set or
//     User is on the case's team; for a portal user, it is shared and not
//     deleted;
//   - a message: its case is visible or, unfiled, Unfiled is set; every contact
//     among its participants (a walled client's mail stays hidden while
//     it is unfiled); if privileged, Privileged is set, or User is on
//     its case's team or, while it is unfiled, recorded it; for a portal
//     user, it is on one of their cases and neither privileged,
//     confidential nor internal.
//     An entry about a record that does not exist is hidden like one
//     about a hidden record, so the log is no oracle of what exists. A
//     portal user sees only entries about a visible case.
//
// Whether User's roles let them read such records at all is decided
// before the query; the store decides only which ones.
type Visibility struct {
	User    access.UserID
	Contact string
	// Privileged is set when User's roles let them read privileged
	// documents and correspondence on every case they see; otherwise a
	// privileged document or message shows only to its case's lead
	// attorney, case manager and team. A portal user (Contact set) sees
	// only documents shared with the client, privileged or not.
	Privileged bool
	// Unfiled is set when User may read the unfiled queue (messages on no
	// case, which need correspondence.file); otherwise such messages, and
	// what the audit log says of them, are hidden.
	Unfiled bool
}

// Resource types of audit entries (audit.Entry.ResourceType) whose
// records a Visibility follows.
const (
	KindIntake  = "intake"
	KindMeeting = "meeting"
	KindCheck   = "conflict-check"
	KindWall    = "wall"
	// KindReference is a case named by its reference number.
	KindReference = "case-reference"
	// The court calendar's records, each on a case.
	KindEvent    = "event"
	KindDeadline = "deadline"
	KindTrigger  = "trigger"
	KindAlert    = "alert"
	// KindDocument is a document on a case: its entries show where the
	// document does (see DocumentFilter.Visible). Once it is purged (its
	// record gone, an entry DocumentPurged on its case in the log) they
	// show where its case does to those who read every document on it:
	// staff allowed privileged material (Visibility.Privileged), and the
	// case's lead attorney, case manager and team. Entries naming a
	// document that never existed show to nobody.
	KindDocument = "document"
	// KindHold is a legal hold; an entry about one on a case shows where
	// the case does.
	KindHold = "hold"
	// KindContact is a contact: an entry about one shows where the contact
	// does as a client (no wall names the user with it).
	KindContact = "contact"
)

// DocumentPurged is the audit action of a document's purge: the record
// by which a purged document's entries stay visible (see KindDocument).
const DocumentPurged = "document.purge"

// Parties persists the parties on cases. A contact holds a role on a case
// at most once: a duplicate (case, contact, role) is ErrExists.
type Parties interface {
	Get(ctx context.Context, id cases.PartyID) (cases.Party, error)
	Create(ctx context.Context, p cases.Party) error
	Update(ctx context.Context, p cases.Party) error
	// Delete removes a party whose stored version is version; ErrConflict
	// if it changed since.
	Delete(ctx context.Context, id cases.PartyID, version int64) error
	List(ctx context.Context, f PartyFilter, p Page) ([]cases.Party, string, error)
	// CoClients returns the contacts in the client role on a case, in
	// order: what the access policy needs of its parties, on every
	// decision about the case.
	CoClients(ctx context.Context, c cases.ID) ([]cases.ContactID, error)
}

// PartyFilter narrows a party list; zero fields match everything.
type PartyFilter struct {
	Case    cases.ID
	Contact cases.ContactID
	Role    cases.PartyRole
}

// Stages persists each case's stage history, which is append-only.
type Stages interface {
	// Append adds a change; its Seq must be the next for the case, or
	// ErrExists is returned.
	Append(ctx context.Context, c cases.StageChange) error
	// List returns a case's changes in Seq order.
	List(ctx context.Context, id cases.ID) ([]cases.StageChange, error)
	// Between returns the changes of every case made in [f.From,
	// f.Until) (zero means unbounded), in time order (then case and Seq),
	// one page at a time.
	Between(ctx context.Context, f StageFilter, p Page) ([]cases.StageChange, string, error)
}

// StageFilter narrows a listing of stage changes across cases.
type StageFilter struct {
	From, Until time.Time
	// Visible, when set, keeps the changes of cases visible under it.
	Visible *Visibility
}

// Intakes persists client intakes.
type Intakes interface {
	Get(ctx context.Context, id cases.IntakeID) (cases.Intake, error)
	Create(ctx context.Context, in cases.Intake) error
	Update(ctx context.Context, in cases.Intake) error
	List(ctx context.Context, f IntakeFilter, p Page) ([]cases.Intake, string, error)
}

// IntakeFilter narrows an intake list; zero fields match everything.
type IntakeFilter struct {
	Prospect cases.ContactID
	Status   cases.IntakeStatus
	// Visible, when set, keeps the intakes visible under it: of a
	// visible prospect, and become no case or a visible one.
	Visible *Visibility
}

// Meetings persists meeting records, which are not edited once made.
type Meetings interface {
	Get(ctx context.Context, id cases.MeetingID) (cases.Meeting, error)
	Create(ctx context.Context, m cases.Meeting) error
	List(ctx context.Context, f MeetingFilter, p Page) ([]cases.Meeting, string, error)
}

// MeetingFilter narrows a meeting list; zero fields match everything.
type MeetingFilter struct {
	Contact cases.ContactID
	Case    cases.ID
	Intake  cases.IntakeID
	// Visible, when set, keeps the meetings visible under it: with a
	// visible contact, and about no case or intake or visible ones.
	Visible *Visibility
}

// Checks persists conflict checks.
type Checks interface {
	Get(ctx context.Context, id cases.CheckID) (cases.ConflictCheck, error)
	Create(ctx context.Context, c cases.ConflictCheck) error
	Update(ctx context.Context, c cases.ConflictCheck) error
	List(ctx context.Context, f CheckFilter, p Page) ([]cases.ConflictCheck, string, error)
}

// CheckFilter narrows a conflict-check list; zero fields match everything.
type CheckFilter struct {
	Intake cases.IntakeID
	// From and Until keep checks run in [From, Until).
	From, Until time.Time
	// Visible, when set, keeps the checks visible under it: of visible
	// clients, about no case and intake or visible ones.
	Visible *Visibility
}

// Counters hands out named sequences, such as the next case number of a
// year.
type Counters interface {
	// Next returns the next value of the named counter, starting at 1.
	Next(ctx context.Context, name string) (int64, error)
	// Current returns the counter's value without moving it: 0 for a
	// counter never drawn.
	Current(ctx context.Context, name string) (int64, error)
}

// AuditLog is the append-only audit trail.
type AuditLog interface {
	// Append queues e to be sealed into the chain and written when the
	// transaction commits. Seq, PrevHash and Hash are set then.
	Append(ctx context.Context, e audit.Entry) error
	// List returns entries matching f in sequence order, and the cursor of
	// the next page.
	List(ctx context.Context, f AuditFilter, p Page) ([]audit.Entry, string, error)
	// Head returns the sequence number and hash of the last entry (0 and
	// the zero hash for an empty log), as recorded apart from the entries.
	Head(ctx context.Context) (int64, audit.Hash, error)
	// Scan calls fn with every entry from sequence from to to, inclusive,
	// in order (to <= 0 means to the end), in its stored textual form,
	// exactly as stored, so that Verify checks the bytes themselves. Scan
	// stops at fn's first error and returns it.
	Scan(ctx context.Context, from, to int64, fn func(r *audit.Record) error) error
}

// AuditFilter narrows an audit query; zero fields match everything. Since
// is inclusive and Until exclusive.
type AuditFilter struct {
	Case         string
	ResourceType string
	ResourceID   string
	Actor        string
	Since        time.Time
	Until        time.Time
	// Visible, when set, keeps only the entries visible under it: about
	// no case, about a case that does not exist (a denied attempt on a
	// wrong key), or about a visible case, and about a visible record
	// (see Visibility).
	Visible *Visibility
}
