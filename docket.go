package docket

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// Errors a caller branches on. Validation errors are *cases.FieldError
// values that also match ErrInvalid; storage errors match the storage
// sentinels (storage.ErrNotFound, storage.ErrExists, storage.ErrConflict).
var (
	// ErrUnauthenticated: the context carries no actor (see
	// access.WithActor). Nothing was read or written.
	ErrUnauthenticated = errors.New("docket: no actor in the context")
	// ErrForbidden: the Authorizer denied the operation. The denial is
	// audited; the error does not reveal whether the resource exists.
	ErrForbidden = access.ErrForbidden
	// ErrInvalid: the input was rejected; the *cases.FieldError in the
	// chain names the field. Nothing was written.
	ErrInvalid = cases.ErrInvalid
)

// Options configure a Firm. The zero value, or nil, gives the defaults.
type Options struct {
	// Clock returns the current time; defaults to time.Now. Tests inject a
	// fixed or stepping clock.
	Clock func() time.Time
	// NewID returns a new unique record ID; defaults to UUIDv7 strings,
	// which sort by creation time.
	NewID func() string
	// Logger receives operational logs (denials, and failures to audit
	// them); defaults to slog.Default().
	Logger *slog.Logger
	// Authorizer, when set, decides every operation in place of the
	// firm's own policy (roles, case teams and scope, ethical walls, as
	// stored and administered through Firm.Access). Leave it nil in
	// production; access.AllowAuthenticated serves tests and demos.
	Authorizer access.Authorizer
	// PolicyRecheck is how long the access policy read from the store is
	// trusted before asking the store whether another process changed it.
	// Changes made through this Firm apply at once whatever the setting;
	// the setting matters only when several processes share a database
	// (PostgreSQL behind several servers), where it bounds how long a new
	// wall or a deactivated user takes to reach the others. Zero means
	// DefaultPolicyRecheck (1 s); negative means asking on every check.
	PolicyRecheck time.Duration
	// Location is the firm's time zone, which decides what "today" is
	// for dates such as a case's opening date; defaults to UTC.
	Location *time.Location
	// ReferencePattern numbers new cases; defaults to
	// cases.DefaultReferencePattern (2026-CR-0001).
	ReferencePattern cases.ReferencePattern
	// Workflows are the firm's own case types, in addition to the built-in
	// cases.FederalCivil and cases.FederalCriminal. A workflow with a
	// built-in's type replaces it.
	Workflows []cases.Workflow
	// Calendar holds the holiday calendars and court rule sets deadlines
	// are computed from; defaults to calendar.Builtin(). Add a firm's own
	// with its AddHolidays and AddRuleSet before passing it.
	Calendar *calendar.Library
	// MaxVersionSize bounds one document version's content, in bytes;
	// defaults to DefaultMaxVersionSize (2 GiB).
	MaxVersionSize int64
	// DocumentRetention is how long a deleted document stays restorable
	// before ApplyRetention purges it (unless a legal hold covers it);
	// defaults to DefaultDocumentRetention (90 days).
	DocumentRetention time.Duration
	// Profile is the firm's name and address as templates merge them
	// ({{.Firm.Name}}).
	Profile document.FirmFields
	// Extractors turn a version's content into the text search finds, by
	// media type; defaults to document.DefaultExtractors() (plain text,
	// Markdown, HTML). Add one for PDF or word-processor files to a copy
	// of the defaults.
	Extractors document.Extractors
	// Blobs keeps document content outside the database, such as in a
	// directory (storage/fsblob); nil keeps it in the store's own tables.
	// Attachments and original emails go there too.
	Blobs storage.BlobStore
	// FilingAddress is the pattern of the firm's per-case email
	// addresses, such as "cases+{ref}@firm.example": imported mail sent
	// or copied to one is filed on that case. Empty means none.
	FilingAddress correspondence.FilingAddress
	// CorrespondenceRetention is how long correspondence is kept before
	// CorrespondenceService.ApplyRetention purges it (unless a legal hold
	// covers it); zero keeps it for ever.
	CorrespondenceRetention time.Duration
}

// Firm is Docket's one entry point: it ties a Store to the firm's policy
// and exposes one service per area. Every operation takes the actor from
// the context, asks the Authorizer, validates its input, and writes the
// change and its audit entry in one transaction.
type Firm struct {
	// Users administers the people who use the system.
	Users *UserService
	// Contacts keeps clients, opposing parties and everyone else.
	Contacts *ContactService
	// Intake records prospective clients' first contact and meetings.
	Intake *IntakeService
	// Conflicts runs and decides conflict-of-interest checks.
	Conflicts *ConflictService
	// Cases opens cases and moves them through their stages.
	Cases *CaseService
	// Audit reads and verifies the tamper-evident audit trail.
	Audit *AuditService
	// Access administers the access policy: the role-permission table.
	Access *AccessService
	// Calendar keeps courts, hearings and deadlines, and their reminders.
	Calendar *CalendarService
	// Documents keeps documents, their versions, templates and legal
	// holds.
	Documents *DocumentService
	// Correspondence keeps the record of email, letters, calls and
	// meetings, their threads and the unfiled queue.
	Correspondence *CorrespondenceService
	// Feed is the ordered feed of changes, for applications that react
	// to them.
	Feed *FeedService

	store     storage.Store
	pc        policyCache
	recheck   time.Duration
	clock     func() time.Time
	newID     func() string
	log       *slog.Logger
	authz     access.Authorizer
	loc       *time.Location
	pattern   cases.ReferencePattern
	workflows map[string]cases.Workflow
	lib       *calendar.Library
	// The document settings.
	maxVersionSize int64
	retention      time.Duration
	profile        document.FirmFields
	extractors     document.Extractors
	blobStore      storage.BlobStore
	// The correspondence settings.
	filingAddress correspondence.FilingAddress
	mailRetention time.Duration
}

// New returns a Firm over store. It fails only on invalid options (a
// malformed reference pattern or workflow), naming the field.
func New(store storage.Store, opts *Options) (*Firm, error) {
	if store == nil {
		return nil, &cases.FieldError{Record: "firm", Field: "store", Problem: "is nil"}
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	f := &Firm{store: store, clock: o.Clock, newID: o.NewID, log: o.Logger, authz: o.Authorizer, loc: o.Location, pattern: o.ReferencePattern}
	if f.clock == nil {
		f.clock = time.Now
	}
	if f.newID == nil {
		f.newID = newUUIDv7
	}
	if f.log == nil {
		f.log = slog.Default()
	}
	if f.loc == nil {
		f.loc = time.UTC
	}
	switch f.recheck = o.PolicyRecheck; {
	case f.recheck == 0:
		f.recheck = DefaultPolicyRecheck
	case f.recheck < 0:
		f.recheck = 0
	}
	if f.pattern == "" {
		f.pattern = cases.DefaultReferencePattern
	}
	if err := f.pattern.Validate(); err != nil {
		return nil, err
	}
	f.workflows = map[string]cases.Workflow{}
	for _, w := range cases.Builtin() {
		f.workflows[w.Type] = w
	}
	for i, w := range o.Workflows {
		if err := w.Validate(); err != nil {
			var fe *cases.FieldError
			if errors.As(err, &fe) {
				fe.Field = fmt.Sprintf("Workflows[%d].%s", i, fe.Field)
			}
			return nil, err
		}
		f.workflows[w.Type] = w
	}
	f.Users = &UserService{f}
	f.Contacts = &ContactService{f}
	f.Intake = &IntakeService{f}
	f.Conflicts = &ConflictService{f}
	f.Cases = &CaseService{f}
	f.Audit = &AuditService{f}
	f.Access = &AccessService{f}
	f.Calendar = &CalendarService{f}
	f.Documents = &DocumentService{f}
	f.Correspondence = &CorrespondenceService{f}
	f.Feed = &FeedService{f}
	if err := o.FilingAddress.Validate(); err != nil {
		return nil, err
	}
	if o.CorrespondenceRetention < 0 {
		return nil, &cases.FieldError{Record: "firm", Field: "CorrespondenceRetention", Problem: "is negative"}
	}
	f.filingAddress, f.mailRetention = o.FilingAddress, o.CorrespondenceRetention
	f.maxVersionSize, f.retention, f.profile, f.extractors = o.MaxVersionSize, o.DocumentRetention, o.Profile, o.Extractors
	f.blobStore = o.Blobs
	if f.extractors == nil {
		f.extractors = document.DefaultExtractors()
	}
	switch {
	case f.maxVersionSize == 0:
		f.maxVersionSize = DefaultMaxVersionSize
	case f.maxVersionSize < 0:
		return nil, &cases.FieldError{Record: "firm", Field: "MaxVersionSize", Problem: "is negative"}
	}
	switch {
	case f.retention == 0:
		f.retention = DefaultDocumentRetention
	case f.retention < 0:
		return nil, &cases.FieldError{Record: "firm", Field: "DocumentRetention", Problem: "is negative"}
	}
	f.lib = o.Calendar
	if f.lib == nil {
		f.lib = calendar.Builtin()
	}
	return f, nil
}

// Workflow returns the workflow of a case type.
func (f *Firm) Workflow(caseType string) (cases.Workflow, bool) {
	w, ok := f.workflows[caseType]
	return w, ok
}

func newUUIDv7() string {
	id, err := uuid.NewV7()
	if err != nil {
		// NewV7 fails only when the system's random source does.
		panic(fmt.Sprintf("docket: generating a UUIDv7: %v", err))
	}
	return id.String()
}

// now is the clock's time in UTC at the precision every store keeps.
func (f *Firm) now() time.Time { return f.clock().UTC().Truncate(audit.Timestamp) }

// today is the current date in the firm's time zone.
func (f *Firm) today() cases.Date { return cases.DateOf(f.clock().In(f.loc)) }

// op is one authorized operation in progress: who, when, and the audit
// entries it will append.
type op struct {
	f     *Firm
	actor access.Actor
	at    time.Time
	// decided is set once the operation was allowed: run refuses to
	// commit or return what an undecided operation read.
	decided bool
	// policyGen is the policy generation this operation committed, if it
	// changed users, roles or walls.
	policyGen int64
}

// run is one operation of the Firm: it reads the actor from ctx and runs
// fn in one transaction (a write when write is set). fn decides first
// (o.decide, o.decideOn), then validates and does the work, so the
// decision and the data it protects are one snapshot: a wall erected or a
// team changed meanwhile cannot slip between them. res is what a denial
// is recorded against; fn fills in its case once it has looked the record
// up. A denial is audited in its own transaction and returned as
// ErrForbidden; a change to the policy applies from the next check.
func (f *Firm) run(ctx context.Context, action access.Action, res *access.Resource, write bool, fn func(o *op, tx storage.Tx) error) error {
	o, err := f.begin(ctx, action)
	if err != nil {
		return err
	}
	txn := f.store.View
	if write {
		txn = f.store.Update
	}
	err = txn(ctx, func(tx storage.Tx) error {
		o.decided = false
		if err := fn(o, tx); err != nil {
			return err
		}
		if !o.decided {
			// A programming error: the operation never asked.
			return fmt.Errorf("docket: %s completed without an access decision: %w", action, ErrForbidden)
		}
		return nil
	})
	if err != nil {
		return f.denied(ctx, o, action, *res, err)
	}
	if o.policyGen != 0 {
		f.invalidatePolicy(o.policyGen)
	}
	return nil
}

// do is run for an operation decided on res as given, before fn.
func (f *Firm) do(ctx context.Context, action access.Action, res access.Resource, write bool, fn func(o *op, tx storage.Tx) error) error {
	return f.run(ctx, action, &res, write, func(o *op, tx storage.Tx) error {
		if err := o.decide(ctx, tx, action, res, nil); err != nil {
			return err
		}
		return fn(o, tx)
	})
}

// decideOn decides action on a record that belongs to a case or, before
// it has one, to a client: the case decides (walls, team and scope), else
// the client (walls on the client). res.Case is set to the case, for the
// denial record.
func (o *op) decideOn(ctx context.Context, tx storage.Tx, action access.Action, res *access.Resource, caseID cases.ID, client cases.ContactID) error {
	if caseID != "" {
		res.Case = string(caseID)
		return o.decide(ctx, tx, action, *res, nil)
	}
	var facts *access.CaseFacts
	if client != "" {
		facts = &access.CaseFacts{Client: string(client)}
	}
	return o.decide(ctx, tx, action, *res, facts)
}

// missing handles a failed lookup of the record an operation is about.
// A record that does not exist is refused like one the actor may not see,
// so the answer reveals nothing; what names it for the audit log. With a
// custom Authorizer, which cannot see records, the actor is asked about
// res and, if allowed, told the record is not found.
func (o *op) missing(ctx context.Context, tx storage.Tx, action access.Action, res access.Resource, what string, err error) error {
	if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	if o.f.authz == nil {
		return &denial{reason: unseen, detail: what + " does not exist"}
	}
	if derr := o.decide(ctx, tx, action, res, nil); derr != nil {
		return derr
	}
	return err
}

// begin reads the actor from ctx and starts an operation.
func (f *Firm) begin(ctx context.Context, action access.Action) (*op, error) {
	actor, ok := access.ActorFrom(ctx)
	if !ok {
		return nil, fmt.Errorf("%s: %w", action, ErrUnauthenticated)
	}
	return &op{f: f, actor: actor, at: f.now()}, nil
}

// printable returns s, or s quoted when it is not valid UTF-8 or holds a
// NUL: a denial of a garbage key must still be recorded.
func printable(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	return strconv.Quote(s)
}

// denial is a decision against the actor; the reason goes to the audit
// log, not to the caller. detail, when set, is the fuller reason, for the
// operational log only: the audit log may be read by the actor, so where
// the reason would tell a missing record from a hidden one, or a walled
// case from a restricted one, it says only unseen.
type denial struct{ reason, detail string }

// unseen is the audit log's reason for every denial that turns on the
// record itself (missing, walled, restricted, not the portal user's).
const unseen = "the actor may not see the record, or it does not exist"

func (d *denial) Error() string { return d.reason }
func (d *denial) Unwrap() error { return access.ErrForbidden }

// decide checks the action on res inside tx: by Options.Authorizer when
// one is set, else by the stored policy. facts may be passed by a caller
// that has read the case already; otherwise a case-scoped resource's case
// is read here. A case that does not exist is denied like a walled one, so
// the answer reveals nothing.
func (o *op) decide(ctx context.Context, tx storage.Tx, action access.Action, res access.Resource, facts *access.CaseFacts) error {
	f := o.f
	if f.authz != nil {
		if err := f.authz.Authorize(ctx, o.actor, action, res); err != nil {
			return &denial{reason: err.Error()}
		}
		o.decided = true
		return nil
	}
	p, err := f.policy(ctx, tx)
	if err != nil {
		return err
	}
	if facts == nil && res.Case != "" {
		c, err := tx.Cases().Get(ctx, cases.ID(res.Case))
		if errors.Is(err, storage.ErrNotFound) {
			return &denial{reason: "case " + res.Case + " does not exist"}
		}
		if err != nil {
			return err
		}
		if facts, err = caseFactsFor(ctx, tx, &c, p.ClientBound(o.actor.ID)); err != nil {
			return err
		}
	}
	if d := p.Decide(o.actor.ID, action, facts); !d.Allowed {
		switch {
		case facts != nil && (d.Rule == "wall" || d.Rule == "restricted" || d.Rule == "client-own-cases"):
			// Explain gives the rule to those who may see the record.
			return &denial{reason: unseen, detail: d.Reason}
		}
		return &denial{reason: d.Reason}
	}
	o.decided = true
	return nil
}

// decideCase decides action on a case already read in tx.
func (o *op) decideCase(ctx context.Context, tx storage.Tx, action access.Action, res access.Resource, c *cases.Case) error {
	if o.f.authz != nil {
		return o.decide(ctx, tx, action, res, nil)
	}
	p, err := o.f.policy(ctx, tx)
	if err != nil {
		return err
	}
	facts, err := caseFactsFor(ctx, tx, c, p.ClientBound(o.actor.ID))
	if err != nil {
		return err
	}
	return o.decide(ctx, tx, action, res, facts)
}

// denied audits a denial in its own transaction and returns ErrForbidden;
// any other error passes through.
func (f *Firm) denied(ctx context.Context, o *op, action access.Action, res access.Resource, err error) error {
	var d *denial
	if !errors.As(err, &d) {
		return err
	}
	entry := audit.Entry{
		At: o.at, Actor: string(o.actor.ID), Action: string(action) + ".denied",
		ResourceType: res.Kind, ResourceID: printable(res.ID), CaseID: printable(res.Case), Reason: printable(d.reason),
	}
	if aerr := f.store.Update(ctx, func(tx storage.Tx) error { return tx.Audit().Append(ctx, entry) }); aerr != nil {
		f.log.ErrorContext(ctx, "docket: recording a denial in the audit log failed", "action", action, "actor", o.actor.ID, "err", aerr)
	}
	detail := d.detail
	if detail == "" {
		detail = d.reason
	}
	f.log.InfoContext(ctx, "docket: denied", "action", action, "actor", o.actor.ID, "resource", res.Kind, "id", printable(res.ID), "case", printable(res.Case), "why", detail)
	return fmt.Errorf("%s: %w", action, ErrForbidden)
}

// record appends the audit entry of a change made in tx.
func (o *op) record(ctx context.Context, tx storage.Tx, action access.Action, res access.Resource, reason string, changes []audit.Change) error {
	return tx.Audit().Append(ctx, audit.Entry{
		At: o.at, Actor: string(o.actor.ID), Action: string(action),
		ResourceType: res.Kind, ResourceID: res.ID, CaseID: res.Case, Reason: reason, Changes: changes,
	})
}

// skipFields are bookkeeping fields left out of audit diffs: the version
// and timestamps are implied by the entry itself.
var skipFields = []string{"Version", "Created", "Updated"}

// stale turns a storage version conflict into an error naming the field.
func stale(record string, err error) error {
	if errors.Is(err, storage.ErrConflict) {
		return &cases.FieldError{Record: record, Field: "Version", Problem: "is stale: the record changed since it was read; read it again and retry", Err: err}
	}
	return err
}

// checkVersion reports a stale version before any write is attempted.
func checkVersion(record string, stored, given int64) error {
	if stored != given {
		return &cases.FieldError{Record: record, Field: "Version", Problem: fmt.Sprintf("is %d but the current version is %d: the record changed since it was read", given, stored), Err: storage.ErrConflict}
	}
	return nil
}

// ListOptions asks for one page of a list: up to Limit items after the
// cursor After, which is the Next of the page before ("" for the first).
type ListOptions = storage.Page

// Page is one page of a list and the cursor of the next ("" after the
// last).
type Page[T any] struct {
	Items []T
	Next  string
}

func pageOf(opts *ListOptions) storage.Page {
	if opts == nil {
		return storage.Page{}
	}
	return *opts
}

// auditDiff is audit.Diff without the bookkeeping fields. A nil before
// records a creation.
func auditDiff(before, after any) []audit.Change {
	return audit.Diff(before, after, skipFields...)
}

// notFoundField turns a failed lookup of a referenced record into an error
// naming the field that referenced it. Other errors pass through.
func notFoundField(record, field, what string, err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return &cases.FieldError{Record: record, Field: field, Problem: what + " does not exist"}
	}
	return err
}

func itoa(i int) string { return strconv.Itoa(i) }

// idTaken names the ID field when a new record's ID is already used.
func idTaken(record string, err error) error {
	if errors.Is(err, storage.ErrExists) {
		return &cases.FieldError{Record: record, Field: "ID", Problem: "is already used by another " + record, Err: err}
	}
	return err
}
