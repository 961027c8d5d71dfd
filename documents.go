package docket

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"slices"
	"strings"
	"time"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// DocumentService keeps a case's documents: their details, their
// immutable versions and content, check-out, assembly from templates,
// legal holds and retention.
type DocumentService struct{ f *Firm }

// DocumentFilter narrows a document list: by case, kind, status, tag,
// deleted or not, and when last changed.
type DocumentFilter = storage.DocumentFilter

// The choices of DocumentFilter.Deleted: live documents (the default),
// deleted ones, or both.
const (
	LiveOnly    = storage.LiveOnly
	DeletedOnly = storage.DeletedOnly
	AnyDeleted  = storage.AnyDeleted
)

// HoldFilter narrows a list of legal holds.
type HoldFilter = storage.HoldFilter

// Content is the content of a new version: read once, streamed into the
// store, never held in memory whole.
type Content struct {
	// Body yields the content.
	Body io.Reader
	// MediaType is what the content is, such as text/plain, text/markdown,
	// text/html or application/pdf; parameters such as charset are
	// dropped.
	MediaType string
	// Comment says what changed.
	Comment string
}

// Defaults of the document settings in Options.
const (
	DefaultMaxVersionSize    = 2 << 30
	DefaultCheckOut          = 8 * time.Hour
	MaxCheckOut              = 7 * 24 * time.Hour
	DefaultDocumentRetention = 90 * 24 * time.Hour
)

// ConflictError is a change to a document that would lose someone's work:
// a version based on one that is no longer current, or a change while
// another user has the document checked out. It matches
// storage.ErrConflict; nothing was written.
type ConflictError struct {
	Document document.ID
	// Current is the document's current version; BasedOn the version the
	// refused change was based on.
	Current, BasedOn int
	// CheckedOutBy and CheckedOutUntil name the lock that refused the
	// change, if a lock did.
	CheckedOutBy    string
	CheckedOutUntil time.Time
}

// Error says which version is current, or who holds the lock.
func (e *ConflictError) Error() string {
	if e.CheckedOutBy != "" {
		return fmt.Sprintf("document %s is checked out by %s until %s: ask them to check it in, or have the lead attorney break the lock",
			e.Document, e.CheckedOutBy, e.CheckedOutUntil.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("document %s: the new version is based on version %d, but version %d is current: read version %d, merge your changes into it and add them based on it",
		e.Document, e.BasedOn, e.Current, e.Current)
}

// Unwrap makes errors.Is(err, storage.ErrConflict) hold.
func (e *ConflictError) Unwrap() error { return storage.ErrConflict }

func docRes(d *document.Document) access.Resource {
	return access.Resource{Kind: storage.KindDocument, ID: string(d.ID), Case: string(d.Case)}
}

// lockedBy returns who holds the document's check-out at instant at, or "".
func lockedBy(d *document.Document, at time.Time) string {
	if d.CheckedOutBy != "" && at.Before(d.CheckedOutUntil) {
		return d.CheckedOutBy
	}
	return ""
}

// documentFor reads a document and decides action on it: on its case
// (walls, team and scope), then on the document itself (privileged
// documents, portal sharing). res.Case is set to its case.
func (o *op) documentFor(ctx context.Context, tx storage.Tx, action access.Action, res *access.Resource, id document.ID) (document.Document, cases.Case, error) {
	get := tx.Documents().Get
	if action != access.DocumentRead {
		// A change: wait for, and read, any other change in flight.
		get = tx.Documents().GetForUpdate
	}
	d, err := get(ctx, id)
	if err != nil {
		return d, cases.Case{}, o.missing(ctx, tx, action, *res, "document "+printable(string(id)), err)
	}
	res.Case = string(d.Case)
	c, err := o.caseFor(ctx, tx, action, *res, d.Case, "Case")
	if err != nil {
		return d, c, err
	}
	return d, c, o.mayOpen(ctx, tx, &d, &c)
}

// mayOpen decides on the document itself, once its case allows the
// action: a portal user opens only documents shared with the client; a
// privileged document opens only to the case's team and to roles that
// grant document.privileged.
func (o *op) mayOpen(ctx context.Context, tx storage.Tx, d *document.Document, c *cases.Case) error {
	if o.f.authz != nil {
		return nil
	}
	p, err := o.f.policy(ctx, tx)
	if err != nil {
		return err
	}
	if dec, ok := openRule(p, o.actor.ID, d, c); !ok {
		return &denial{reason: unseen, detail: dec.Reason}
	}
	return nil
}

// openRule decides, once the case allows a user an action on a document,
// the document's own rule: a portal user opens only what is shared with
// the client and live; a privileged document opens only to the case's
// team and to roles granted document.privileged. ok is false when the
// rule refuses, and the decision says why.
func openRule(p *access.Policy, user access.UserID, d *document.Document, c *cases.Case) (dec access.Decision, ok bool) {
	if _, portal := p.PortalContact(user); portal {
		if !d.Shared || !d.Deleted.IsZero() {
			return access.Decision{Rule: "not-shared", Reason: "the document is not shared with the client"}, false
		}
		return access.Decision{Allowed: true, Rule: "shared", Reason: "the document is shared with the client"}, true
	}
	if !d.Privileged {
		return access.Decision{}, true
	}
	if r, ok := c.Members()[string(user)]; ok {
		return access.Decision{Allowed: true, Rule: "team", Reason: fmt.Sprintf("the document is privileged, and %s is on the case's team as %s", user, r)}, true
	}
	if p.Decide(user, access.DocumentPrivileged, nil).Allowed {
		return access.Decision{Allowed: true, Rule: "privileged", Reason: fmt.Sprintf("the document is privileged, and a role of %s grants %s", user, access.DocumentPrivileged)}, true
	}
	return access.Decision{Rule: "privileged", Reason: fmt.Sprintf("the document is privileged, and %s is neither on the case's team nor granted %s", user, access.DocumentPrivileged)}, false
}

// mayDisclose decides the disclosure a new document (before nil) or a
// change makes: sharing with the client, or ceasing to, needs
// document.share; clearing the privileged flag needs
// document.privileged; and the actor must still be able to open what
// they made of it.
func (o *op) mayDisclose(ctx context.Context, tx storage.Tx, before, after *document.Document, c *cases.Case, res access.Resource) error {
	wasShared, wasPrivileged := false, false
	if before != nil {
		wasShared, wasPrivileged = before.Shared, before.Privileged
	}
	if after.Shared != wasShared {
		if err := o.decideCase(ctx, tx, access.DocumentShare, res, c); err != nil {
			return err
		}
	}
	if wasPrivileged && !after.Privileged {
		if err := o.decideCase(ctx, tx, access.DocumentPrivileged, res, c); err != nil {
			return err
		}
	}
	return o.mayOpen(ctx, tx, after, c)
}

// walledFrom reports whether an ethical wall keeps the actor from action
// on the case, whatever else would decide (its restricted scope does not
// count here).
func (o *op) walledFrom(ctx context.Context, tx storage.Tx, action access.Action, id cases.ID) (bool, error) {
	if o.f.authz != nil {
		return false, nil
	}
	p, err := o.f.policy(ctx, tx)
	if err != nil {
		return false, err
	}
	c, err := tx.Cases().Get(ctx, id)
	if err != nil {
		return false, err
	}
	facts, err := caseFactsFor(ctx, tx, &c, p.ClientBound(o.actor.ID))
	if err != nil {
		return false, err
	}
	facts.Restricted = false
	return p.Decide(o.actor.ID, action, facts).Rule == "wall", nil
}

// portal reports whether the actor is a client portal user.
func (o *op) portal(ctx context.Context, tx storage.Tx) (bool, error) {
	if o.f.authz != nil {
		return false, nil
	}
	p, err := o.f.policy(ctx, tx)
	if err != nil {
		return false, err
	}
	_, portal := p.PortalContact(o.actor.ID)
	return portal, nil
}

// seesDocument reports, without recording anything, whether the actor
// may read the document.
func (o *op) seesDocument(ctx context.Context, tx storage.Tx, d *document.Document) (bool, error) {
	c, ok, err := o.seesCase(ctx, tx, access.DocumentRead, d.Case)
	if err != nil || !ok {
		return false, err
	}
	var den *denial
	if err := o.mayOpen(ctx, tx, d, &c); errors.As(err, &den) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, nil
}

// writeVersion streams c into the store and records the next version of
// d, based on basedOn and, if from is set, assembled from that template.
func (o *op) writeVersion(ctx context.Context, tx storage.Tx, d *document.Document, c Content, basedOn int, from *document.Template) (document.Version, error) {
	f := o.f
	if c.Body == nil {
		return document.Version{}, &cases.FieldError{Record: "version", Field: "Content.Body", Problem: "is required"}
	}
	mt := strings.TrimSpace(c.MediaType)
	if parsed, _, err := mime.ParseMediaType(mt); err == nil {
		mt = parsed
	}
	v := document.Version{Document: d.ID, Number: d.Current + 1, BasedOn: basedOn, MediaType: mt, Author: string(o.actor.ID),
		Comment: c.Comment, Created: o.at, Hash: strings.Repeat("0", 64)}
	if from != nil {
		v.Template, v.TemplateVersion = string(from.ID), from.Version
	}
	if err := v.Validate(); err != nil {
		return v, err
	}
	limited := &limitReader{r: c.Body, left: f.maxVersionSize}
	blob, text, err := f.storeContent(ctx, tx, limited, mt)
	if limited.over {
		return v, &cases.FieldError{Record: "version", Field: "Content.Body", Problem: fmt.Sprintf("is larger than %d bytes, the firm's limit", f.maxVersionSize)}
	}
	if err != nil {
		return v, err
	}
	v.Hash, v.Size = blob.Hash, blob.Size
	if err := tx.Versions().Create(ctx, v); err != nil {
		if errors.Is(err, storage.ErrExists) {
			// Another writer added this number first.
			return v, &ConflictError{Document: d.ID, Current: v.Number, BasedOn: basedOn}
		}
		return v, err
	}
	// Search reads the current version's text from now on (none, for
	// content no extractor reads).
	return v, tx.Documents().SetText(ctx, d.ID, text)
}

// blobs is where content goes: the BlobStore of the options, or the
// store's own tables.
func (f *Firm) blobs(tx storage.Tx) storage.Blobs {
	if f.blobStore != nil {
		return f.blobStore.Blobs(tx)
	}
	return tx.Blobs()
}

// storeContent streams r into the store and, where an extractor reads
// the media type, into it at the same time: the content is read once,
// and the extracted text (at most document.MaxText) returned for the
// search index. Content an extractor fails on is stored all the same,
// and found by its metadata.
func (f *Firm) storeContent(ctx context.Context, tx storage.Tx, r io.Reader, mediaType string) (b storage.Blob, text string, err error) {
	text, err = f.extract(ctx, mediaType, "a version", func(w io.Writer) (err error) {
		src := r
		if w != nil {
			src = io.TeeReader(r, w)
		}
		b, err = f.blobs(tx).Write(ctx, src)
		return err
	})
	return b, text, err
}

// extract runs the extractor for mediaType, if any, over the bytes feed
// writes to w (nil when no extractor reads the type), while feed runs:
// the content is read once. It returns the text search indexes (see
// document.IndexText) and feed's error. An extractor that fails or panics
// gives no text, and a warning naming what (a version, an attachment):
// the content is found by its metadata only.
func (f *Firm) extract(ctx context.Context, mediaType, what string, feed func(w io.Writer) error) (string, error) {
	ex, ok := f.extractors[mediaType]
	if !ok {
		return "", feed(nil)
	}
	pr, pw := io.Pipe()
	var text string
	var exErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if p := recover(); p != nil {
				exErr = fmt.Errorf("the extractor panicked: %v", p)
			}
			// Whatever the extractor left, feed still writes: drain it.
			_, _ = io.Copy(io.Discard, pr)
		}()
		text, exErr = ex.Extract(pr)
	}()
	err := feed(pw)
	pw.CloseWithError(err)
	<-done
	if err != nil {
		return "", err
	}
	if exErr != nil {
		f.log.WarnContext(ctx, "docket: extracting "+what+"'s text failed; it is found by its metadata only", "media_type", mediaType, "err", exErr)
		return "", nil
	}
	return document.IndexText(text), nil
}

// limitReader reads at most left bytes and notes whether there was more.
type limitReader struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more tells a body of exactly the limit from a longer
		// one.
		var b [1]byte
		n, err := l.r.Read(b[:])
		if n > 0 {
			l.over = true
			return 0, errors.New("content over the size limit")
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// Create adds a document to a case with its first version. d names the
// case, title, kind, tags and flags; its ID may be left empty. The
// status defaults to draft.
func (s *DocumentService) Create(ctx context.Context, d document.Document, c Content) (document.Document, document.Version, error) {
	f := s.f
	var v document.Version
	res := access.Resource{Kind: storage.KindDocument, ID: string(d.ID), Case: string(d.Case)}
	err := f.run(ctx, access.DocumentWrite, &res, true, func(o *op, tx storage.Tx) error {
		kase, err := o.caseFor(ctx, tx, access.DocumentWrite, res, d.Case, "Case")
		if err != nil {
			return err
		}
		if d.ID == "" {
			d.ID = document.ID(f.newID())
		} else if err := cases.ValidateID("document", "ID", string(d.ID)); err != nil {
			return err
		}
		if d.Status == "" {
			d.Status = document.Draft
		}
		d.Author, d.Current, d.CheckedOutBy, d.CheckedOutUntil = string(o.actor.ID), 0, "", time.Time{}
		d.Deleted, d.DeletedBy, d.DeleteReason = time.Time{}, "", ""
		d.Version, d.Created, d.Updated = 1, o.at, o.at
		if err := d.Validate(); err != nil {
			return err
		}
		if err := o.mayDisclose(ctx, tx, nil, &d, &kase, res); err != nil {
			return err
		}
		res.ID = string(d.ID)
		if err := tx.Documents().Create(ctx, d); err != nil {
			return idTaken("document", err)
		}
		if v, err = o.writeVersion(ctx, tx, &d, c, 0, nil); err != nil {
			return err
		}
		d.Current, d.Version = v.Number, 2
		if err := tx.Documents().Update(ctx, d); err != nil {
			return err
		}
		return o.record(ctx, tx, "document.create", docRes(&d), v.Comment, append(auditDiff(nil, d), versionChanges(&v)...))
	})
	if err != nil {
		return document.Document{}, document.Version{}, err
	}
	return d, v, nil
}

// AddVersion adds a version to a document. basedOn must be the document's
// current version: a version based on anything older is refused with a
// *ConflictError (storage.ErrConflict) that says which version is
// current, and so is a version while another user has the document
// checked out. Of two editors racing from the same version, exactly one
// wins; the other's content is not stored and they are told to merge.
func (s *DocumentService) AddVersion(ctx context.Context, id document.ID, basedOn int, c Content) (document.Version, error) {
	var v document.Version
	_, err := s.change(ctx, id, "document.version", func(o *op, tx storage.Tx, d *document.Document, _ *cases.Case, n *note) error {
		var err error
		v, err = o.newVersion(ctx, tx, d, basedOn, c)
		n.reason, n.extra = v.Comment, versionChanges(&v)
		return err
	})
	return v, err
}

// newVersion checks the lock and the base, then writes the version and
// moves the document's current version on.
func (o *op) newVersion(ctx context.Context, tx storage.Tx, d *document.Document, basedOn int, c Content) (document.Version, error) {
	if by := lockedBy(d, o.at); by != "" && by != string(o.actor.ID) {
		return document.Version{}, &ConflictError{Document: d.ID, Current: d.Current, BasedOn: basedOn, CheckedOutBy: by, CheckedOutUntil: d.CheckedOutUntil}
	}
	if !d.Deleted.IsZero() {
		return document.Version{}, &cases.FieldError{Record: "document", Field: "Deleted", Problem: "the document is deleted: restore it first"}
	}
	if basedOn != d.Current {
		return document.Version{}, &ConflictError{Document: d.ID, Current: d.Current, BasedOn: basedOn}
	}
	v, err := o.writeVersion(ctx, tx, d, c, basedOn, nil)
	if err != nil {
		return v, err
	}
	d.Current = v.Number
	return v, nil
}

// change runs one change to an existing document under document.write:
// fn edits d and returns the audit reason; the document is saved with
// its version moved on, and the change audited with its diff.
func (s *DocumentService) change(ctx context.Context, id document.ID, action access.Action, fn changeFunc) (document.Document, error) {
	return s.changeAs(ctx, id, access.DocumentWrite, action, fn)
}

// changeFunc edits a document in a change; it may note the audit reason
// and changes beyond the document's own fields (a new version).
type changeFunc func(o *op, tx storage.Tx, d *document.Document, c *cases.Case, n *note) error

// note is what a change adds to its audit entry.
type note struct {
	reason string
	extra  []audit.Change
}

func (s *DocumentService) changeAs(ctx context.Context, id document.ID, decideAs, action access.Action, fn changeFunc) (document.Document, error) {
	f := s.f
	var d document.Document
	res := access.Resource{Kind: storage.KindDocument, ID: string(id)}
	err := f.run(ctx, decideAs, &res, true, func(o *op, tx storage.Tx) error {
		old, c, err := o.documentFor(ctx, tx, decideAs, &res, id)
		if err != nil {
			return err
		}
		d = old
		var n note
		if err := fn(o, tx, &d, &c, &n); err != nil {
			return err
		}
		if err := d.Validate(); err != nil {
			return err
		}
		d.Version, d.Updated = old.Version+1, o.at
		if err := tx.Documents().Update(ctx, d); err != nil {
			if errors.Is(err, storage.ErrConflict) {
				// Another writer changed the document since it was read in
				// this transaction: only PostgreSQL gets here.
				return &ConflictError{Document: d.ID, Current: old.Current + 1, BasedOn: old.Current}
			}
			return err
		}
		return o.record(ctx, tx, action, docRes(&d), n.reason, append(auditDiff(old, d), n.extra...))
	})
	if err != nil {
		return document.Document{}, err
	}
	return d, nil
}

// versionChanges is what the audit log records of a new version.
func versionChanges(v *document.Version) []audit.Change {
	cs := auditDiff(nil, v)
	for i := range cs {
		cs[i].Field = "NewVersion." + cs[i].Field
	}
	return cs
}

// Update changes a document's details: title, kind, status, tags, the
// privileged and shared flags. d.Version must be the version read. Its
// versions, author, lock and deletion change only through their own
// methods.
func (s *DocumentService) Update(ctx context.Context, d document.Document) (document.Document, error) {
	return s.change(ctx, d.ID, "document.update", func(o *op, tx storage.Tx, cur *document.Document, c *cases.Case, n *note) error {
		if err := checkVersion("document", cur.Version, d.Version); err != nil {
			return err
		}
		before := *cur
		cur.Title, cur.Kind, cur.Status, cur.Tags, cur.Privileged, cur.Shared = d.Title, d.Kind, d.Status, d.Tags, d.Privileged, d.Shared
		return o.mayDisclose(ctx, tx, &before, cur, c, docRes(cur))
	})
}

// CheckOut locks a document for the actor for d (DefaultCheckOut when
// zero, at most MaxCheckOut): until they check it in, cancel, or the lock
// lapses, nobody else adds a version. Checking out a document one holds
// already renews the lock. A document another user holds is refused
// with a *ConflictError naming them.
func (s *DocumentService) CheckOut(ctx context.Context, id document.ID, d time.Duration) (document.Document, error) {
	return s.change(ctx, id, "document.check-out", func(o *op, tx storage.Tx, doc *document.Document, _ *cases.Case, n *note) error {
		switch {
		case d == 0:
			d = DefaultCheckOut
		case d < 0 || d > MaxCheckOut:
			return &cases.FieldError{Record: "document", Field: "CheckedOutUntil", Problem: fmt.Sprintf("a check-out lasts up to %s", MaxCheckOut)}
		}
		if by := lockedBy(doc, o.at); by != "" && by != string(o.actor.ID) {
			return &ConflictError{Document: doc.ID, Current: doc.Current, BasedOn: doc.Current, CheckedOutBy: by, CheckedOutUntil: doc.CheckedOutUntil}
		}
		if !doc.Deleted.IsZero() {
			return &cases.FieldError{Record: "document", Field: "Deleted", Problem: "the document is deleted: restore it first"}
		}
		doc.CheckedOutBy, doc.CheckedOutUntil = string(o.actor.ID), o.at.Add(d)
		return nil
	})
}

// CheckIn adds the actor's new version of a document they have checked
// out and releases the lock. basedOn must be the current version, as for
// AddVersion.
func (s *DocumentService) CheckIn(ctx context.Context, id document.ID, basedOn int, c Content) (document.Document, document.Version, error) {
	var v document.Version
	d, err := s.change(ctx, id, "document.check-in", func(o *op, tx storage.Tx, doc *document.Document, _ *cases.Case, n *note) error {
		if lockedBy(doc, o.at) != string(o.actor.ID) {
			return &cases.FieldError{Record: "document", Field: "CheckedOutBy", Problem: "the actor does not have the document checked out (the lock may have lapsed): add the version with AddVersion"}
		}
		var err error
		if v, err = o.newVersion(ctx, tx, doc, basedOn, c); err != nil {
			return err
		}
		doc.CheckedOutBy, doc.CheckedOutUntil = "", time.Time{}
		n.reason, n.extra = v.Comment, versionChanges(&v)
		return nil
	})
	return d, v, err
}

// CancelCheckOut releases the actor's own lock without a new version.
func (s *DocumentService) CancelCheckOut(ctx context.Context, id document.ID) (document.Document, error) {
	return s.change(ctx, id, "document.check-out-cancel", func(o *op, tx storage.Tx, doc *document.Document, _ *cases.Case, n *note) error {
		if lockedBy(doc, o.at) != string(o.actor.ID) {
			return &cases.FieldError{Record: "document", Field: "CheckedOutBy", Problem: "the actor does not have the document checked out"}
		}
		doc.CheckedOutBy, doc.CheckedOutUntil = "", time.Time{}
		return nil
	})
}

// BreakLock releases another user's check-out, for a stated reason that
// is audited: allowed to the case's lead attorney and to roles that grant
// document.unlock (administrators and partners, by default). Walls still
// win.
func (s *DocumentService) BreakLock(ctx context.Context, id document.ID, reason string) (document.Document, error) {
	f := s.f
	var d document.Document
	res := access.Resource{Kind: storage.KindDocument, ID: string(id)}
	err := f.run(ctx, access.DocumentUnlock, &res, true, func(o *op, tx storage.Tx) error {
		old, err := tx.Documents().GetForUpdate(ctx, id)
		if err != nil {
			return o.missing(ctx, tx, access.DocumentUnlock, res, "document "+printable(string(id)), err)
		}
		res.Case = string(old.Case)
		c, err := tx.Cases().Get(ctx, old.Case)
		if err != nil {
			return err
		}
		// The lead attorney may with document.write; others need
		// document.unlock.
		action := access.DocumentUnlock
		if c.LeadAttorney == string(o.actor.ID) {
			action = access.DocumentWrite
		}
		if err := o.decideCase(ctx, tx, action, res, &c); err != nil {
			return err
		}
		// Breaking a lock on a document one may not open would reveal it.
		if err := o.mayOpen(ctx, tx, &old, &c); err != nil {
			return err
		}
		if err := cases.ValidateReason("document", reason); err != nil {
			return err
		}
		if lockedBy(&old, o.at) == "" {
			return &cases.FieldError{Record: "document", Field: "CheckedOutBy", Problem: "the document is not checked out"}
		}
		d = old
		d.CheckedOutBy, d.CheckedOutUntil = "", time.Time{}
		d.Version, d.Updated = old.Version+1, o.at
		if err := tx.Documents().Update(ctx, d); err != nil {
			return stale("document", err)
		}
		return o.record(ctx, tx, "document.lock-broken", docRes(&d), reason, auditDiff(old, d))
	})
	if err != nil {
		return document.Document{}, err
	}
	return d, nil
}

// Delete soft-deletes a document, for a stated reason: it leaves lists
// and search, keeps every version, and can be restored until the
// retention policy purges it. version must be the version read. A
// document a legal hold covers is not deleted: the error matches
// storage.ErrHeld.
func (s *DocumentService) Delete(ctx context.Context, id document.ID, version int64, reason string) (document.Document, error) {
	return s.change(ctx, id, "document.delete", func(o *op, tx storage.Tx, d *document.Document, _ *cases.Case, n *note) error {
		if err := checkVersion("document", d.Version, version); err != nil {
			return err
		}
		if err := cases.ValidateReason("document", reason); err != nil {
			return err
		}
		if !d.Deleted.IsZero() {
			return &cases.FieldError{Record: "document", Field: "Deleted", Problem: "the document is deleted already"}
		}
		if held, err := tx.Documents().Held(ctx, d.ID); err != nil {
			return err
		} else if held {
			return &cases.FieldError{Record: "document", Field: "Deleted", Problem: "a legal hold covers the document: it stays until the hold is released", Err: storage.ErrHeld}
		}
		if by := lockedBy(d, o.at); by != "" && by != string(o.actor.ID) {
			return &ConflictError{Document: d.ID, Current: d.Current, BasedOn: d.Current, CheckedOutBy: by, CheckedOutUntil: d.CheckedOutUntil}
		}
		d.Deleted, d.DeletedBy, d.DeleteReason = o.at, string(o.actor.ID), reason
		d.CheckedOutBy, d.CheckedOutUntil = "", time.Time{}
		n.reason = reason
		return nil
	})
}

// Restore brings back a soft-deleted document that has not been purged.
func (s *DocumentService) Restore(ctx context.Context, id document.ID, version int64, reason string) (document.Document, error) {
	return s.change(ctx, id, "document.restore", func(o *op, tx storage.Tx, d *document.Document, _ *cases.Case, n *note) error {
		if err := checkVersion("document", d.Version, version); err != nil {
			return err
		}
		if err := cases.ValidateReason("document", reason); err != nil {
			return err
		}
		if d.Deleted.IsZero() {
			return &cases.FieldError{Record: "document", Field: "Deleted", Problem: "the document is not deleted"}
		}
		d.Deleted, d.DeletedBy, d.DeleteReason = time.Time{}, "", ""
		n.reason = reason
		return nil
	})
}

// Get returns a document's details.
func (s *DocumentService) Get(ctx context.Context, id document.ID) (document.Document, error) {
	return readOne(ctx, s.f, access.DocumentRead, access.Resource{Kind: storage.KindDocument, ID: string(id)}, func(o *op, tx storage.Tx, res *access.Resource) (document.Document, error) {
		d, _, err := o.documentFor(ctx, tx, access.DocumentRead, res, id)
		return d, err
	})
}

// List returns one page of the documents the actor may see, in ID order,
// filtered inside the storage query: walled and restricted cases'
// documents, privileged documents off the actor's teams (without
// document.privileged) and, for a portal user, documents not shared with
// the client are absent. A filter naming a kind or status that does not
// exist, or dates the wrong way round, is a *cases.FieldError naming the
// field.
func (s *DocumentService) List(ctx context.Context, filter DocumentFilter, opts *ListOptions) (Page[document.Document], error) {
	var p Page[document.Document]
	err := s.f.listVisible(ctx, access.DocumentRead, access.Resource{Kind: storage.KindDocument, Case: string(filter.Case)}, func(_ *op, tx storage.Tx, vis *storage.Visibility) (err error) {
		if err := checkDocumentFilter(&filter); err != nil {
			return err
		}
		filter.Visible = vis
		p.Items, p.Next, err = tx.Documents().List(ctx, filter, pageOf(opts))
		return err
	})
	return p, err
}

// checkDocumentFilter refuses a filter that could match nothing for a
// mistake (a kind or status that does not exist, dates the wrong way
// round) with a *cases.FieldError naming the field, rather than answer
// with an empty page.
func checkDocumentFilter(f *DocumentFilter) error {
	bad := func(field, problem string) error {
		return &cases.FieldError{Record: "document filter", Field: field, Problem: problem}
	}
	switch {
	case f.Kind != "" && !slices.Contains(document.Kinds, f.Kind):
		return bad("Kind", fmt.Sprintf("%q is not a document kind", f.Kind))
	case f.Status != "" && !slices.Contains(document.Statuses, f.Status):
		return bad("Status", fmt.Sprintf("%q is not draft, final, filed or served", f.Status))
	case f.Deleted < storage.LiveOnly || f.Deleted > storage.AnyDeleted:
		return bad("Deleted", fmt.Sprintf("%d is not LiveOnly, DeletedOnly or AnyDeleted", f.Deleted))
	case !f.UpdatedFrom.IsZero() && !f.UpdatedUntil.IsZero() && !f.UpdatedFrom.Before(f.UpdatedUntil):
		return bad("UpdatedUntil", "is not after UpdatedFrom")
	}
	return nil
}

// SearchHit is a document a search found, best first, with its score.
type SearchHit = storage.SearchHit

// Search finds documents by their title, tags and the text of their
// current version: query is words (all must match, stemmed, so "motions"
// finds "motion"), "quoted phrases" and prefixes ending in * (see
// document.ParseQuery). filter narrows by case, kind, status, tag and
// when the document last changed. Hits are ranked (a match in the title
// outranks one in the tags, which outranks one in the text) and only
// over what the actor may read, inside the storage query: walled and
// restricted cases' documents, privileged ones off the actor's teams and,
// for a portal user, unshared ones never appear, and pages stay full. A
// query with no words is a *cases.FieldError on Query, and a bad filter
// one on its field (see List).
func (s *DocumentService) Search(ctx context.Context, query string, filter DocumentFilter, opts *ListOptions) (Page[SearchHit], error) {
	var p Page[SearchHit]
	err := s.f.listVisible(ctx, access.DocumentRead, access.Resource{Kind: storage.KindDocument, Case: string(filter.Case)}, func(_ *op, tx storage.Tx, vis *storage.Visibility) error {
		q, err := document.ParseQuery(query)
		if err != nil {
			return err
		}
		if err := checkDocumentFilter(&filter); err != nil {
			return err
		}
		filter.Visible = vis
		p.Items, p.Next, err = tx.Documents().Search(ctx, q, filter, pageOf(opts))
		return err
	})
	return p, err
}

// Versions returns one page of a document's versions, oldest first; a
// client portal user gets the current version only.
func (s *DocumentService) Versions(ctx context.Context, id document.ID, opts *ListOptions) (Page[document.Version], error) {
	var p Page[document.Version]
	res := access.Resource{Kind: storage.KindDocument, ID: string(id)}
	err := s.f.run(ctx, access.DocumentRead, &res, false, func(o *op, tx storage.Tx) error {
		d, _, err := o.documentFor(ctx, tx, access.DocumentRead, &res, id)
		if err != nil {
			return err
		}
		if portal, err := o.portal(ctx, tx); err != nil {
			return err
		} else if portal {
			// The client sees the version shared with them, not the drafts.
			v, err := tx.Versions().Get(ctx, id, d.Current)
			p.Items, p.Next = []document.Version{v}, ""
			return err
		}
		p.Items, p.Next, err = tx.Versions().List(ctx, id, pageOf(opts))
		return err
	})
	return p, err
}

// Content writes version number of a document (0 for the current one) to
// w, streamed from the store, and returns the version. A client portal
// user reads the current version of a shared document, nothing older. Content that no
// longer matches its hash is reported with storage.ErrCorrupt once it has
// been written.
func (s *DocumentService) Content(ctx context.Context, id document.ID, number int, w io.Writer) (document.Version, error) {
	var v document.Version
	res := access.Resource{Kind: storage.KindDocument, ID: string(id)}
	err := s.f.run(ctx, access.DocumentRead, &res, false, func(o *op, tx storage.Tx) error {
		d, _, err := o.documentFor(ctx, tx, access.DocumentRead, &res, id)
		if err != nil {
			return err
		}
		if number == 0 {
			number = d.Current
		}
		if portal, err := o.portal(ctx, tx); err != nil {
			return err
		} else if portal && number != d.Current {
			return &denial{reason: unseen, detail: "a client reads the current version of a shared document only"}
		}
		if v, err = tx.Versions().Get(ctx, id, number); err != nil {
			return notFoundField("document", "Version", fmt.Sprintf("version %d", number), err)
		}
		n, err := s.f.blobs(tx).Read(ctx, v.Hash, w)
		if err == nil && n != v.Size {
			err = fmt.Errorf("document %s version %d: %d bytes read, %d recorded: %w", id, number, n, v.Size, storage.ErrCorrupt)
		}
		return err
	})
	return v, err
}

// PlaceHold places a legal hold on a case, a custodian, or a custodian's
// documents on a case: from now on no path deletes or purges what it
// covers. Needs document.hold (and, for a case, the right to see it).
func (s *DocumentService) PlaceHold(ctx context.Context, h document.Hold) (document.Hold, error) {
	f := s.f
	res := access.Resource{Kind: storage.KindHold, ID: string(h.ID), Case: string(h.Case)}
	err := f.run(ctx, access.DocumentHold, &res, true, func(o *op, tx storage.Tx) error {
		if h.Case != "" {
			if _, err := o.caseFor(ctx, tx, access.DocumentHold, res, h.Case, "Case"); err != nil {
				return err
			}
		} else if err := o.decide(ctx, tx, access.DocumentHold, res, nil); err != nil {
			return err
		}
		if h.ID == "" {
			h.ID = document.HoldID(f.newID())
		} else if err := cases.ValidateID("hold", "ID", string(h.ID)); err != nil {
			return err
		}
		if err := h.Validate(); err != nil {
			return err
		}
		if h.Custodian != "" {
			if _, err := tx.Users().Get(ctx, access.UserID(h.Custodian)); err != nil {
				return notFoundField("hold", "Custodian", "user "+printable(h.Custodian), err)
			}
		}
		h.PlacedBy, h.Released, h.ReleasedBy, h.ReleaseReason = string(o.actor.ID), time.Time{}, "", ""
		h.Version, h.Created, h.Updated = 1, o.at, o.at
		res.ID = string(h.ID)
		if err := tx.Holds().Create(ctx, h); err != nil {
			return idTaken("hold", err)
		}
		return o.record(ctx, tx, "hold.place", res, h.Reason, auditDiff(nil, h))
	})
	if err != nil {
		return document.Hold{}, err
	}
	return h, nil
}

// ReleaseHold lifts a legal hold, for a stated reason; it stays on the
// record. version must be the version read.
func (s *DocumentService) ReleaseHold(ctx context.Context, id document.HoldID, version int64, reason string) (document.Hold, error) {
	f := s.f
	var h document.Hold
	res := access.Resource{Kind: storage.KindHold, ID: string(id)}
	err := f.run(ctx, access.DocumentHold, &res, true, func(o *op, tx storage.Tx) error {
		old, err := o.holdFor(ctx, tx, &res, id)
		if err != nil {
			return err
		}
		if err := checkVersion("hold", old.Version, version); err != nil {
			return err
		}
		if err := cases.ValidateReason("hold", reason); err != nil {
			return err
		}
		if !old.Active() {
			return &cases.FieldError{Record: "hold", Field: "Released", Problem: "the hold was released already"}
		}
		h = old
		h.Released, h.ReleasedBy, h.ReleaseReason = o.at, string(o.actor.ID), reason
		h.Version, h.Updated = old.Version+1, o.at
		if err := tx.Holds().Update(ctx, h); err != nil {
			return stale("hold", err)
		}
		return o.record(ctx, tx, "hold.release", res, reason, auditDiff(old, h))
	})
	if err != nil {
		return document.Hold{}, err
	}
	return h, nil
}

// holdFor reads a hold and decides document.hold on it (on its case, if
// it names one).
func (o *op) holdFor(ctx context.Context, tx storage.Tx, res *access.Resource, id document.HoldID) (document.Hold, error) {
	h, err := tx.Holds().Get(ctx, id)
	if err != nil {
		return h, o.missing(ctx, tx, access.DocumentHold, *res, "hold "+printable(string(id)), err)
	}
	res.Case = string(h.Case)
	if h.Case == "" {
		return h, o.decide(ctx, tx, access.DocumentHold, *res, nil)
	}
	_, err = o.caseFor(ctx, tx, access.DocumentHold, *res, h.Case, "Case")
	return h, err
}

// Holds returns one page of legal holds, in ID order; holds on cases the
// actor may not see are absent.
func (s *DocumentService) Holds(ctx context.Context, filter HoldFilter, opts *ListOptions) (Page[document.Hold], error) {
	var p Page[document.Hold]
	err := s.f.listVisible(ctx, access.DocumentHold, access.Resource{Kind: storage.KindHold, Case: string(filter.Case)}, func(_ *op, tx storage.Tx, vis *storage.Visibility) (err error) {
		filter.Visible = vis
		p.Items, p.Next, err = tx.Holds().List(ctx, filter, pageOf(opts))
		return err
	})
	return p, err
}

// RetentionReport is what one retention run did.
type RetentionReport struct {
	// PurgedCount documents were purged, with every version; HeldCount
	// were past their period but kept by a legal hold. Documents on
	// matters an ethical wall screens the actor from are neither purged
	// nor counted: an unscreened colleague's run takes them.
	PurgedCount, HeldCount int
	// Purged and Held name those of them the actor may read: a walled
	// matter's documents are counted, never named.
	Purged []document.ID
	Held   []document.ID
	// BlobsDeleted counts stored contents no version used any more;
	// FilesRemoved the files a BlobStore outside the database removed
	// after the purge (see fsblob.Store.Collect).
	BlobsDeleted, FilesRemoved int
}

// collector is a BlobStore that removes content the database no longer
// records.
type collector interface {
	Collect(ctx context.Context, db storage.Store) (int, error)
}

// ApplyRetention purges every document deleted more than the firm's
// retention period ago (Options.DocumentRetention) that no legal hold
// covers: the document, all its versions, and content no other version
// uses. Held documents are listed and kept. One transaction, audited per
// document; needs document.purge. With content in a directory
// (Options.Blobs), the purged content's files are then removed
// (fsblob.Store.Collect).
func (s *DocumentService) ApplyRetention(ctx context.Context) (RetentionReport, error) {
	f := s.f
	var rep RetentionReport
	res := access.Resource{Kind: storage.KindDocument}
	err := f.do(ctx, access.DocumentPurge, res, true, func(o *op, tx storage.Tx) error {
		rep = RetentionReport{}
		cutoff := o.at.Add(-f.retention)
		var due []document.Document
		err := eachPage(func(p storage.Page) (string, error) {
			list, next, err := tx.Documents().List(ctx, storage.DocumentFilter{Deleted: storage.DeletedOnly, DeletedBefore: cutoff}, p)
			due = append(due, list...)
			return next, err
		})
		if err != nil {
			return err
		}
		for _, d := range due {
			// A wall beats this grant too: a screened operator leaves the
			// walled matter's documents to a colleague, and counts none.
			if walled, err := o.walledFrom(ctx, tx, access.DocumentPurge, d.Case); err != nil {
				return err
			} else if walled {
				continue
			}
			var hashes []string
			err := eachPage(func(p storage.Page) (string, error) {
				vs, next, err := tx.Versions().List(ctx, d.ID, p)
				for _, v := range vs {
					if !slices.Contains(hashes, v.Hash) {
						hashes = append(hashes, v.Hash)
					}
				}
				return next, err
			})
			if err != nil {
				return err
			}
			sees, err := o.seesDocument(ctx, tx, &d)
			if err != nil {
				return err
			}
			switch err := tx.Documents().Purge(ctx, d.ID, d.Version); {
			case errors.Is(err, storage.ErrHeld):
				rep.HeldCount++
				if sees {
					rep.Held = append(rep.Held, d.ID)
				}
				continue
			case err != nil:
				return err
			}
			rep.PurgedCount++
			if sees {
				rep.Purged = append(rep.Purged, d.ID)
			}
			for _, h := range hashes {
				gone, err := f.blobs(tx).Delete(ctx, h)
				if err != nil {
					return err
				}
				if gone {
					rep.BlobsDeleted++
				}
			}
			reason := fmt.Sprintf("deleted %s by %s (%s); retention period %s passed", d.Deleted.Format(time.RFC3339), d.DeletedBy, d.DeleteReason, f.retention)
			if err := o.record(ctx, tx, storage.DocumentPurged, docRes(&d), reason, []audit.Change{{Field: "Versions", Before: fmt.Sprint(d.Current), After: "0"}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	if c, ok := f.blobStore.(collector); ok && rep.BlobsDeleted > 0 {
		if rep.FilesRemoved, err = c.Collect(ctx, f.store); err != nil {
			return rep, fmt.Errorf("the purge is done; removing its files failed (Collect again later): %w", err)
		}
	}
	return rep, nil
}

// IntegrityReport lists stored content that no longer matches its hash.
type IntegrityReport struct {
	// Checked counts the contents read and hashed, Bytes their size.
	Checked int
	Bytes   int64
	// Corrupt are the hashes whose content does not match, each with
	// the problem.
	Corrupt []CorruptBlob
}

// CorruptBlob is content that failed its check.
type CorruptBlob struct {
	Hash    string
	Problem string
}

// VerifyContent reads every stored content through SHA-256 and reports
// what no longer matches its hash: bytes changed or lost on disk, or by a
// hand outside Docket. Needs document.purge (records management).
func (s *DocumentService) VerifyContent(ctx context.Context) (IntegrityReport, error) {
	var rep IntegrityReport
	err := s.f.do(ctx, access.DocumentPurge, access.Resource{Kind: "blob"}, false, func(o *op, tx storage.Tx) error {
		rep = IntegrityReport{}
		return eachPage(func(p storage.Page) (string, error) {
			list, next, err := s.f.blobs(tx).List(ctx, p)
			for _, b := range list {
				n, err := s.f.blobs(tx).Read(ctx, b.Hash, io.Discard)
				rep.Checked++
				rep.Bytes += n
				if errors.Is(err, storage.ErrCorrupt) {
					rep.Corrupt = append(rep.Corrupt, CorruptBlob{Hash: b.Hash, Problem: err.Error()})
				} else if err != nil {
					return "", err
				}
			}
			return next, err
		})
	})
	return rep, err
}
