package docket

import (
	"context"
	"crypto/sha256"
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
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// CorrespondenceService keeps the record of the firm's correspondence:
// email imported from RFC 5322 files, and letters, calls, meetings and
// other messages recorded by hand; their threads, their filing on cases
// and the unfiled queue; amendments; and clients' contact histories.
type CorrespondenceService struct{ f *Firm }

// MessageFilter narrows a list of messages: by case, channel, participant
// (contact, user or address), thread, and when they happened.
type MessageFilter = storage.MessageFilter

// AttachmentContent is a file recorded with a message: read once and
// streamed into the store.
type AttachmentContent struct {
	Name      string
	MediaType string
	Body      io.Reader
}

func messageRes(m *correspondence.Message) access.Resource {
	return access.Resource{Kind: storage.KindMessage, ID: string(m.ID), Case: string(m.Case)}
}

// messageFor reads a message and decides action on it: on its case, or,
// while it is unfiled, as a reader of the unfiled queue; then on the
// message itself (walled participants, privilege, the portal's rules).
// res.Case is set to its case.
func (o *op) messageFor(ctx context.Context, tx storage.Tx, action access.Action, res *access.Resource, id correspondence.ID) (correspondence.Message, cases.Case, error) {
	m, err := tx.Messages().Get(ctx, id)
	if err != nil {
		return m, cases.Case{}, o.missing(ctx, tx, action, *res, "message "+printable(string(id)), err)
	}
	res.Case = string(m.Case)
	var c cases.Case
	if m.Case != "" {
		if c, err = o.caseFor(ctx, tx, action, *res, m.Case, "Case"); err != nil {
			return m, c, err
		}
	} else if err := o.decide(ctx, tx, access.CorrespondenceFile, *res, nil); err != nil {
		return m, c, err
	}
	return m, c, o.mayReadMessage(ctx, tx, &m, &c)
}

// mayReadMessage decides on the message itself, once its case (or the
// unfiled queue) allows the action: a wall on any contact among its
// participants hides it; a portal user reads only what is neither
// privileged, confidential nor internal; a privileged message shows to
// the case's team, to roles granted document.privileged and, while
// unfiled, to whoever recorded it.
func (o *op) mayReadMessage(ctx context.Context, tx storage.Tx, m *correspondence.Message, c *cases.Case) error {
	if o.f.authz != nil {
		return nil
	}
	p, err := o.f.policy(ctx, tx)
	if err != nil {
		return err
	}
	user := o.actor.ID
	if _, portal := p.PortalContact(user); portal {
		if m.Privileged || m.Confidential || m.Direction == correspondence.Internal {
			return &denial{reason: unseen, detail: "the message is privileged, confidential or internal"}
		}
	}
	if d, walled := contactWall(p, user, access.CorrespondenceRead, m); walled {
		return &denial{reason: unseen, detail: d.Reason}
	}
	if !m.Privileged || p.Decide(user, access.DocumentPrivileged, nil).Allowed {
		return nil
	}
	if _, ok := c.Members()[string(user)]; ok && m.Case != "" || m.Case == "" && m.RecordedBy == string(user) {
		return nil
	}
	return &denial{reason: unseen, detail: fmt.Sprintf("the message is privileged, and %s is neither on the case's team nor granted %s", user, access.DocumentPrivileged)}
}

// auditMessage is what the audit log records of a message: every field,
// the bodies by their SHA-256 and size (the bodies themselves are in the
// record, and the original's content by its hash).
func auditMessage(m correspondence.Message) correspondence.Message {
	digest := func(s string) string {
		if s == "" {
			return ""
		}
		sum := sha256.Sum256([]byte(s))
		return fmt.Sprintf("sha256:%x (%d bytes)", sum, len(s))
	}
	m.Text, m.HTML = digest(m.Text), digest(m.HTML)
	return m
}

// prepare completes and checks a message before it is recorded: who
// recorded it and when, its text from its HTML, and its thread. Its
// participants are linked first (link), by the caller, which may need
// the links before (an import's direction and filing).
func (o *op) prepare(ctx context.Context, tx storage.Tx, m *correspondence.Message) error {
	f := o.f
	if m.ID == "" {
		m.ID = correspondence.ID(f.newID())
	} else if err := cases.ValidateID("message", "ID", string(m.ID)); err != nil {
		return err
	}
	m.RecordedBy, m.Version, m.Created, m.Updated = string(o.actor.ID), 1, o.at, o.at
	m.Filed, m.FiledBy = time.Time{}, ""
	if m.Case != "" {
		m.Filed, m.FiledBy = o.at, string(o.actor.ID)
	}
	m.At = m.At.UTC().Truncate(audit.Timestamp)
	if m.Text == "" && m.HTML != "" {
		if ex, ok := f.extractors["text/html"]; ok {
			if t, err := ex.Extract(strings.NewReader(m.HTML)); err == nil {
				m.Text = t
			}
		}
	}
	if err := m.Validate(); err != nil {
		return err
	}
	return o.thread(ctx, tx, m)
}

// link fills in the user and contact of each participant known by
// address: a member of the firm's staff whose email it is (the first in ID
// order; portal accounts are not staff), else the first contact (in ID
// order) with that email.
func (o *op) link(ctx context.Context, tx storage.Tx, m *correspondence.Message) error {
	var staff map[string]access.UserID
	for i := range m.Participants {
		p := &m.Participants[i]
		addr := strings.ToLower(strings.TrimSpace(p.Address))
		if addr == "" || !strings.Contains(addr, "@") {
			continue
		}
		if p.User == "" {
			if staff == nil {
				var err error
				if staff, err = o.f.staff(ctx, tx); err != nil {
					return err
				}
			}
			p.User = string(staff[addr])
		}
		if p.Contact == "" && p.User == "" {
			cs, _, err := tx.Contacts().List(ctx, storage.ContactFilter{Email: addr}, storage.Page{Limit: 1})
			if err != nil {
				return err
			}
			if len(cs) == 1 {
				p.Contact = cs[0].ID
			}
		}
	}
	return nil
}

// thread sets a message's thread: that of a stored message it replies to
// or refers to (the oldest reference first), else the root its
// references name, else its own Message-ID or ID. A message recorded by
// hand in reply to another (InReplyTo names a message ID) joins that
// message's thread.
func (o *op) thread(ctx context.Context, tx storage.Tx, m *correspondence.Message) error {
	if m.MessageID == "" && len(m.InReplyTo) == 1 && len(m.References) == 0 {
		parent, err := tx.Messages().Get(ctx, correspondence.ID(m.InReplyTo[0]))
		if err == nil {
			// Only a message the recorder may read gives its thread:
			// another's is no oracle.
			if ok, err := o.seesMessage(ctx, tx, &parent); err != nil {
				return err
			} else if ok {
				m.Thread = parent.Thread
				return nil
			}
		} else if !errors.Is(err, storage.ErrNotFound) {
			return err
		}
	}
	refs := slices.Concat(m.References, m.InReplyTo)
	if len(refs) > 0 {
		known, err := tx.Messages().Threads(ctx, refs)
		if err != nil {
			return err
		}
		for _, r := range refs {
			if t, ok := known[r]; ok {
				m.Thread = t
				return nil
			}
		}
		m.Thread = refs[0]
		return nil
	}
	if m.MessageID != "" {
		m.Thread = m.MessageID
	} else {
		m.Thread = string(m.ID)
	}
	return nil
}

// store writes a prepared message, its attachments' documents if it is
// filed, and its audit entries.
func (o *op) store(ctx context.Context, tx storage.Tx, m *correspondence.Message, action access.Action, reason string, c *cases.Case) error {
	if m.Case != "" {
		if err := o.attachFiles(ctx, tx, m, c); err != nil {
			return err
		}
	}
	if err := tx.Messages().Create(ctx, *m); err != nil {
		if errors.Is(err, storage.ErrExists) && m.Key == "" {
			return idTaken("message", err)
		}
		return err
	}
	return o.record(ctx, tx, action, messageRes(m), reason, auditDiff(nil, auditMessage(*m)))
}

// attachFiles makes each attachment of a message filed on c a document on the
// case, whose first version is the attachment's content (already
// stored), with its text for search; each creation is audited.
func (o *op) attachFiles(ctx context.Context, tx storage.Tx, m *correspondence.Message, c *cases.Case) error {
	for i := range m.Attachments {
		a := &m.Attachments[i]
		if a.Document != "" {
			continue
		}
		title := a.Name
		if title == "" {
			title = fmt.Sprintf("Attachment %d", i+1)
		}
		title = strings.Map(func(r rune) rune {
			if r < ' ' || r == 0x7f {
				return ' '
			}
			return r
		}, title)
		if len(title) > 300 {
			title = strings.ToValidUTF8(title[:300], "")
		}
		d := document.Document{ID: document.ID(o.f.newID()), Case: c.ID, Title: title, Kind: document.Attachment, Status: document.Final,
			Tags: []string{"correspondence"}, Author: string(o.actor.ID), Privileged: m.Privileged, Current: 1, Version: 1, Created: o.at, Updated: o.at}
		if err := d.Validate(); err != nil {
			return fmt.Errorf("attachment %d: %w", i, err)
		}
		mt := a.MediaType
		if parsed, _, err := mime.ParseMediaType(mt); err == nil {
			mt = parsed
		}
		v := document.Version{Document: d.ID, Number: 1, Hash: a.Hash, Size: a.Size, MediaType: mt, Author: string(o.actor.ID),
			Comment: "attached to message " + string(m.ID), Created: o.at}
		if err := v.Validate(); err != nil {
			return fmt.Errorf("attachment %d: %w", i, err)
		}
		if err := tx.Documents().Create(ctx, d); err != nil {
			return err
		}
		if err := tx.Versions().Create(ctx, v); err != nil {
			return err
		}
		text, err := o.f.storedText(ctx, tx, a.Hash, mt)
		if err != nil {
			return err
		}
		if err := tx.Documents().SetText(ctx, d.ID, text); err != nil {
			return err
		}
		a.Document = string(d.ID)
		if err := o.record(ctx, tx, "document.create", docRes(&d), "attached to message "+string(m.ID), append(auditDiff(nil, d), versionChanges(&v)...)); err != nil {
			return err
		}
	}
	return nil
}

// storedText is the search text of stored content, where an extractor
// reads its media type: the content streams from the store into the
// extractor.
func (f *Firm) storedText(ctx context.Context, tx storage.Tx, hash, mediaType string) (string, error) {
	return f.extract(ctx, mediaType, "an attachment", func(w io.Writer) error {
		if w == nil {
			return nil // nothing reads it: no need to read the content
		}
		_, err := f.blobs(tx).Read(ctx, hash, w)
		return err
	})
}

// writeAttachments streams each attachment into the store and returns
// their records.
func (o *op) writeAttachments(ctx context.Context, tx storage.Tx, files []AttachmentContent) ([]correspondence.Attachment, error) {
	var out []correspondence.Attachment
	for i, a := range files {
		field := fmt.Sprintf("Attachments[%d]", i)
		if a.Body == nil {
			return nil, &cases.FieldError{Record: "message", Field: field + ".Body", Problem: "is required"}
		}
		mt := strings.TrimSpace(a.MediaType)
		if mt == "" {
			mt = "application/octet-stream"
		}
		limited := &limitReader{r: a.Body, left: o.f.maxVersionSize}
		b, err := o.f.blobs(tx).Write(ctx, limited)
		if limited.over {
			return nil, &cases.FieldError{Record: "message", Field: field + ".Body", Problem: fmt.Sprintf("is larger than %d bytes, the firm's limit", o.f.maxVersionSize)}
		}
		if err != nil {
			return nil, err
		}
		out = append(out, correspondence.Attachment{Name: a.Name, MediaType: mt, Hash: b.Hash, Size: b.Size})
	}
	return out, nil
}

// Record records a message made by hand: a letter, a phone or video
// call, a meeting, a fax, a text or portal message, or an email not
// imported from its file. m names its channel, direction, time,
// participants, subject, body, flags and, if known, its case (empty puts
// it in the unfiled queue, which needs correspondence.file); InReplyTo
// may name the ID of the message it answers. Attachments become
// documents on its case. The message never changes afterwards: correct it
// with Amend.
func (s *CorrespondenceService) Record(ctx context.Context, m correspondence.Message, attachments ...AttachmentContent) (correspondence.Message, error) {
	res := messageRes(&m)
	err := s.f.run(ctx, access.CorrespondenceWrite, &res, true, func(o *op, tx storage.Tx) error {
		c, err := o.messageCase(ctx, tx, access.CorrespondenceWrite, res, m.Case)
		if err != nil {
			return err
		}
		m.Amends, m.Reason, m.Source, m.MessageID, m.Key = "", "", "", "", ""
		if m.Attachments, err = o.writeAttachments(ctx, tx, attachments); err != nil {
			return err
		}
		if err := o.link(ctx, tx, &m); err != nil {
			return err
		}
		if err := o.prepare(ctx, tx, &m); err != nil {
			return err
		}
		if err := o.mayReadMessage(ctx, tx, &m, &c); err != nil {
			return err
		}
		return o.store(ctx, tx, &m, "message.record", "", &c)
	})
	if err != nil {
		return correspondence.Message{}, err
	}
	return m, nil
}

// messageCase decides action for a message on the case id, or, for one
// on no case, as a writer to the unfiled queue (correspondence.file).
func (o *op) messageCase(ctx context.Context, tx storage.Tx, action access.Action, res access.Resource, id cases.ID) (cases.Case, error) {
	if id == "" {
		if err := o.decide(ctx, tx, action, res, nil); err != nil {
			return cases.Case{}, err
		}
		return cases.Case{}, o.decide(ctx, tx, access.CorrespondenceFile, res, nil)
	}
	return o.caseFor(ctx, tx, action, res, id, "Case")
}

// Amend records a correction of a recorded message: corrected is the
// message as it should have been recorded (its case, thread and content
// come from it; its attachments are the original's), reason says what
// was wrong. The original stays as it was; the amendment points to it
// (Amends) and joins its thread.
func (s *CorrespondenceService) Amend(ctx context.Context, original correspondence.ID, corrected correspondence.Message, reason string) (correspondence.Message, error) {
	res := access.Resource{Kind: storage.KindMessage, ID: string(original)}
	var m correspondence.Message
	err := s.f.run(ctx, access.CorrespondenceWrite, &res, true, func(o *op, tx storage.Tx) error {
		orig, c, err := o.messageFor(ctx, tx, access.CorrespondenceWrite, &res, original)
		if err != nil {
			return err
		}
		if err := cases.ValidateReason("amendment", reason); err != nil {
			return err
		}
		m = corrected
		m.ID, m.Case, m.Thread, m.Amends, m.Reason = "", orig.Case, orig.Thread, orig.ID, reason
		m.MessageID, m.InReplyTo, m.References, m.Source, m.Key = "", nil, nil, "", ""
		// A correction never discloses more than the original: its flags
		// are the original's, or stricter (Classify lifts them, with
		// document.privileged for privilege).
		m.Privileged, m.Confidential = m.Privileged || orig.Privileged, m.Confidential || orig.Confidential
		m.Attachments = slices.Clone(orig.Attachments)
		for i := range m.Attachments {
			m.Attachments[i].Document = ""
		}
		if err := o.link(ctx, tx, &m); err != nil {
			return err
		}
		if err := o.prepare(ctx, tx, &m); err != nil {
			return err
		}
		m.Thread = orig.Thread
		if m.Case != "" {
			m.Filed, m.FiledBy = o.at, string(o.actor.ID)
			// The documents the original's attachments became serve the
			// amendment too.
			m.Attachments = slices.Clone(orig.Attachments)
		}
		if err := o.mayReadMessage(ctx, tx, &m, &c); err != nil {
			return err
		}
		return o.store(ctx, tx, &m, "message.amend", reason, &c)
	})
	if err != nil {
		return correspondence.Message{}, err
	}
	return m, nil
}

// File files an unfiled message on a case (correspondence.file on the
// queue and correspondence.write on the case): its attachments become
// documents there, and its amendments are filed with it. A message is
// filed once; version is the message's current version.
func (s *CorrespondenceService) File(ctx context.Context, id correspondence.ID, caseID cases.ID, version int64) (correspondence.Message, error) {
	res := access.Resource{Kind: storage.KindMessage, ID: string(id)}
	var m correspondence.Message
	err := s.f.run(ctx, access.CorrespondenceFile, &res, true, func(o *op, tx storage.Tx) error {
		var err error
		if m, _, err = o.messageFor(ctx, tx, access.CorrespondenceFile, &res, id); err != nil {
			return err
		}
		if m.Case != "" {
			return &cases.FieldError{Record: "message", Field: "Case", Problem: "the message is filed already; record an amendment to correct it"}
		}
		if err := checkVersion("message", m.Version, version); err != nil {
			return err
		}
		res.Case = string(caseID)
		c, err := o.caseFor(ctx, tx, access.CorrespondenceWrite, res, caseID, "Case")
		if err != nil {
			return err
		}
		before := m
		m.Case, m.Filed, m.FiledBy, m.Version, m.Updated = caseID, o.at, string(o.actor.ID), m.Version+1, o.at
		if err := o.mayReadMessage(ctx, tx, &m, &c); err != nil {
			return err
		}
		if err := o.attachFiles(ctx, tx, &m, &c); err != nil {
			return err
		}
		if err := tx.Messages().Update(ctx, m); err != nil {
			return stale("message", err)
		}
		if err := o.record(ctx, tx, "message.file", messageRes(&m), "", auditDiff(auditMessage(before), auditMessage(m))); err != nil {
			return err
		}
		return o.fileAmendments(ctx, tx, &m)
	})
	if err != nil {
		return correspondence.Message{}, err
	}
	return m, nil
}

// fileAmendments files the unfiled amendments of a message just filed
// with it: on its case, their attachments (the original's) the same
// documents.
func (o *op) fileAmendments(ctx context.Context, tx storage.Tx, m *correspondence.Message) error {
	var amendments []correspondence.Message
	err := eachPage(func(p storage.Page) (string, error) {
		page, next, err := tx.Messages().List(ctx, storage.MessageFilter{Amends: m.ID, Unfiled: true}, p)
		amendments = append(amendments, page...)
		return next, err
	})
	if err != nil {
		return err
	}
	for _, a := range amendments {
		before := a
		a.Case, a.Filed, a.FiledBy, a.Version, a.Updated = m.Case, o.at, string(o.actor.ID), a.Version+1, o.at
		a.Attachments = slices.Clone(m.Attachments)
		if err := tx.Messages().Update(ctx, a); err != nil {
			return stale("message", err)
		}
		if err := o.record(ctx, tx, "message.file", messageRes(&a), "filed with the message it amends, "+string(m.ID), auditDiff(auditMessage(before), auditMessage(a))); err != nil {
			return err
		}
		if err := o.fileAmendments(ctx, tx, &a); err != nil {
			return err
		}
	}
	return nil
}

// Classify sets a message's privileged and confidential flags, with a
// reason (correspondence.write; lifting privilege needs
// document.privileged). Marking a message privileged also marks the
// documents its attachments became.
func (s *CorrespondenceService) Classify(ctx context.Context, id correspondence.ID, version int64, privileged, confidential bool, reason string) (correspondence.Message, error) {
	res := access.Resource{Kind: storage.KindMessage, ID: string(id)}
	var m correspondence.Message
	err := s.f.run(ctx, access.CorrespondenceWrite, &res, true, func(o *op, tx storage.Tx) error {
		var c cases.Case
		var err error
		if m, c, err = o.messageFor(ctx, tx, access.CorrespondenceWrite, &res, id); err != nil {
			return err
		}
		if err := cases.ValidateReason("classification", reason); err != nil {
			return err
		}
		if err := checkVersion("message", m.Version, version); err != nil {
			return err
		}
		if m.Privileged && !privileged {
			if err := o.decide(ctx, tx, access.DocumentPrivileged, res, nil); err != nil {
				return err
			}
		}
		before := m
		m.Privileged, m.Confidential, m.Version, m.Updated = privileged, confidential, m.Version+1, o.at
		if err := o.mayReadMessage(ctx, tx, &m, &c); err != nil {
			return err
		}
		if err := tx.Messages().Update(ctx, m); err != nil {
			return stale("message", err)
		}
		if privileged && !before.Privileged {
			for _, a := range m.Attachments {
				if err := o.privilege(ctx, tx, document.ID(a.Document), m.ID); err != nil {
					return err
				}
			}
		}
		return o.record(ctx, tx, "message.classify", messageRes(&m), reason, auditDiff(auditMessage(before), auditMessage(m)))
	})
	if err != nil {
		return correspondence.Message{}, err
	}
	return m, nil
}

// privilege marks an attachment's document privileged, audited.
func (o *op) privilege(ctx context.Context, tx storage.Tx, id document.ID, msg correspondence.ID) error {
	if id == "" {
		return nil
	}
	d, err := tx.Documents().GetForUpdate(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	} else if err != nil || d.Privileged {
		return err
	}
	before := d
	d.Privileged, d.Version, d.Updated = true, d.Version+1, o.at
	if err := tx.Documents().Update(ctx, d); err != nil {
		return stale("document", err)
	}
	return o.record(ctx, tx, "document.update", docRes(&d), "its message "+string(msg)+" is privileged", auditDiff(before, d))
}

// Get returns a message.
func (s *CorrespondenceService) Get(ctx context.Context, id correspondence.ID) (correspondence.Message, error) {
	return readOne(ctx, s.f, access.CorrespondenceRead, access.Resource{Kind: storage.KindMessage, ID: string(id)}, func(o *op, tx storage.Tx, res *access.Resource) (correspondence.Message, error) {
		m, _, err := o.messageFor(ctx, tx, access.CorrespondenceRead, res, id)
		return m, err
	})
}

// List returns one page of the messages the actor may see, in time
// order, filtered inside the storage query: walled matters and
// participants, restricted cases, privileged messages off the actor's
// teams (without document.privileged) and, for a portal user,
// privileged, confidential and internal ones are absent. filter.Case
// gives a case's timeline; filter.Unfiled the unfiled queue (which needs
// correspondence.file).
func (s *CorrespondenceService) List(ctx context.Context, filter MessageFilter, opts *ListOptions) (Page[correspondence.Message], error) {
	var p Page[correspondence.Message]
	res := access.Resource{Kind: storage.KindMessage, Case: string(filter.Case)}
	err := s.f.listVisible(ctx, access.CorrespondenceRead, res, func(o *op, tx storage.Tx, vis *storage.Visibility) error {
		return o.listMessages(ctx, tx, res, vis, filter, opts, &p)
	})
	return p, err
}

// listMessages lists, for List and Search, once the actor may read
// correspondence: the unfiled queue only for those who file from it.
func (o *op) listMessages(ctx context.Context, tx storage.Tx, res access.Resource, vis *storage.Visibility, filter MessageFilter, opts *ListOptions, p *Page[correspondence.Message]) (err error) {
	if filter.Unfiled {
		if err := o.decide(ctx, tx, access.CorrespondenceFile, res, nil); err != nil {
			return err
		}
	}
	filter.Filed = filter.Filed || o.filedOnly(ctx, tx, vis)
	filter.Visible = vis
	p.Items, p.Next, err = tx.Messages().List(ctx, filter, pageOf(opts))
	return err
}

// Search is List over the messages whose subject or text (an HTML
// email's text included) hold every term of query: words, stemmed so
// that "motions" finds "motion", "quoted phrases" and prefixes ending in
// * (see document.ParseQuery). The result stays in time order and, as
// for List, only over what the actor may read. A query with no words is
// a *cases.FieldError on Query.
func (s *CorrespondenceService) Search(ctx context.Context, query string, filter MessageFilter, opts *ListOptions) (Page[correspondence.Message], error) {
	var p Page[correspondence.Message]
	res := access.Resource{Kind: storage.KindMessage, Case: string(filter.Case)}
	err := s.f.listVisible(ctx, access.CorrespondenceRead, res, func(o *op, tx storage.Tx, vis *storage.Visibility) error {
		q, err := document.ParseQuery(query)
		if err != nil {
			return err
		}
		filter.Query = &q
		return o.listMessages(ctx, tx, res, vis, filter, opts, &p)
	})
	return p, err
}

// filedOnly reports whether a message list under vis must leave the
// unfiled queue out itself: the store's visibility does (Unfiled), but a
// custom Authorizer, which gives none, decides by action alone.
func (o *op) filedOnly(ctx context.Context, tx storage.Tx, vis *storage.Visibility) bool {
	return vis == nil && !o.allowed(ctx, tx, access.CorrespondenceFile)
}

// Content writes the content of a message's attachment, or of its
// original (the hash of Source), to w.
func (s *CorrespondenceService) Content(ctx context.Context, id correspondence.ID, hash string, w io.Writer) (int64, error) {
	res := access.Resource{Kind: storage.KindMessage, ID: string(id)}
	var n int64
	err := s.f.run(ctx, access.CorrespondenceRead, &res, false, func(o *op, tx storage.Tx) error {
		m, _, err := o.messageFor(ctx, tx, access.CorrespondenceRead, &res, id)
		if err != nil {
			return err
		}
		if hash == "" || !slices.Contains(m.Content(), hash) {
			return &cases.FieldError{Record: "message", Field: "hash", Problem: fmt.Sprintf("%q is neither an attachment of the message nor its original", hash)}
		}
		n, err = s.f.blobs(tx).Read(ctx, hash, w)
		return err
	})
	return n, err
}

// HistoryItem is one contact with a client: a message, a meeting or an
// intake.
type HistoryItem struct {
	At time.Time
	// Exactly one of these is set.
	Message *correspondence.Message
	Meeting *cases.Meeting
	Intake  *cases.Intake
}

// History is a client's contact history: every message, meeting and
// intake with them, across all their cases, oldest first.
type History struct {
	Client cases.ContactID
	Items  []HistoryItem
	// Truncated is set when more than MaxHistory items of one kind fell
	// in the period: narrow it to see them all.
	Truncated bool
}

// MaxHistory bounds each kind of item in one History.
const MaxHistory = 5000

// HistoryFilter narrows a client's history to [From, Until) (zero means
// unbounded) and its messages to a channel.
type HistoryFilter struct {
	From, Until time.Time
	Channel     correspondence.Channel
}

// History returns a client's contact history across all their cases:
// messages with them or on a case where they are a client
// (correspondence.read), and their meetings and intakes (intake.read),
// each only as far as the actor may see it. A walled client is refused
// like a missing one; what the actor's roles do not let them read at all
// is left out.
func (s *CorrespondenceService) History(ctx context.Context, client cases.ContactID, filter HistoryFilter) (History, error) {
	h := History{Client: client}
	res := access.Resource{Kind: storage.KindContact, ID: string(client)}
	err := s.f.run(ctx, access.ContactRead, &res, false, func(o *op, tx storage.Tx) error {
		if _, err := tx.Contacts().Get(ctx, client); err != nil {
			return o.missing(ctx, tx, access.ContactRead, res, "contact "+printable(string(client)), err)
		}
		if err := o.decideOn(ctx, tx, access.ContactRead, &res, "", client); err != nil {
			return err
		}
		vis, ok, err := o.visibility(ctx, tx)
		if err != nil || !ok {
			return err
		}
		in := func(t time.Time) bool {
			return (filter.From.IsZero() || !t.Before(filter.From)) && (filter.Until.IsZero() || t.Before(filter.Until))
		}
		if o.allowed(ctx, tx, access.CorrespondenceRead) {
			f := MessageFilter{Client: client, Channel: filter.Channel, From: filter.From, Until: filter.Until, Filed: o.filedOnly(ctx, tx, vis), Visible: vis}
			n := 0
			err := eachPage(func(p storage.Page) (string, error) {
				ms, next, err := tx.Messages().List(ctx, f, p)
				for i := range ms {
					if n++; n > MaxHistory {
						h.Truncated = true
						return "", nil
					}
					h.Items = append(h.Items, HistoryItem{At: ms[i].At, Message: &ms[i]})
				}
				return next, err
			})
			if err != nil {
				return err
			}
		}
		if filter.Channel == "" && o.allowed(ctx, tx, access.IntakeRead) {
			n := 0
			err := eachPage(func(p storage.Page) (string, error) {
				ms, next, err := tx.Meetings().List(ctx, storage.MeetingFilter{Contact: client, Visible: vis}, p)
				for i := range ms {
					if !in(ms[i].At) {
						continue
					}
					if n++; n > MaxHistory {
						h.Truncated = true
						return "", nil
					}
					h.Items = append(h.Items, HistoryItem{At: ms[i].At, Meeting: &ms[i]})
				}
				return next, err
			})
			if err != nil {
				return err
			}
			n = 0
			err = eachPage(func(p storage.Page) (string, error) {
				ins, next, err := tx.Intakes().List(ctx, storage.IntakeFilter{Prospect: client, Visible: vis}, p)
				for i := range ins {
					if !in(ins[i].Created) {
						continue
					}
					if n++; n > MaxHistory {
						h.Truncated = true
						return "", nil
					}
					h.Items = append(h.Items, HistoryItem{At: ins[i].Created, Intake: &ins[i]})
				}
				return next, err
			})
			if err != nil {
				return err
			}
		}
		slices.SortStableFunc(h.Items, func(a, b HistoryItem) int { return a.At.Compare(b.At) })
		return nil
	})
	if err != nil {
		return History{}, err
	}
	return h, nil
}

// walledFromMessage reports whether an ethical wall keeps the actor from
// the message: on its case, or on a contact who took part in it.
func (o *op) walledFromMessage(ctx context.Context, tx storage.Tx, m *correspondence.Message) (bool, error) {
	if o.f.authz != nil {
		return false, nil
	}
	if m.Case != "" {
		if walled, err := o.walledFrom(ctx, tx, access.DocumentPurge, m.Case); err != nil || walled {
			return walled, err
		}
	}
	p, err := o.f.policy(ctx, tx)
	if err != nil {
		return false, err
	}
	_, walled := contactWall(p, o.actor.ID, access.DocumentPurge, m)
	return walled, nil
}

// contactWall reports whether an ethical wall screens user from a
// contact who took part in m, and the decision that says which.
func contactWall(p *access.Policy, user access.UserID, action access.Action, m *correspondence.Message) (access.Decision, bool) {
	for _, k := range m.Contacts() {
		if d := p.Decide(user, action, &access.CaseFacts{Client: string(k)}); d.Rule == "wall" {
			return d, true
		}
	}
	return access.Decision{}, false
}

// allowed reports, without recording anything, whether the actor's roles
// grant action at all.
func (o *op) allowed(ctx context.Context, tx storage.Tx, action access.Action) bool {
	if o.f.authz != nil {
		return o.f.authz.Authorize(ctx, o.actor, action, access.Resource{Kind: storage.KindMessage}) == nil
	}
	p, err := o.f.policy(ctx, tx)
	return err == nil && p.Decide(o.actor.ID, action, nil).Allowed
}

// CorrespondenceRetentionReport is what one retention run did.
type CorrespondenceRetentionReport struct {
	// PurgedCount messages were purged; HeldCount were past their period
	// but kept by a legal hold. Messages on matters an ethical wall
	// screens the actor from are neither purged nor counted.
	PurgedCount, HeldCount int
	// Purged and Held name those of them the actor may read.
	Purged, Held []correspondence.ID
	// BlobsDeleted counts stored contents (attachments, originals) that
	// nothing referred to any more.
	BlobsDeleted int
}

// ApplyRetention purges the messages recorded longer ago than the firm's
// correspondence retention period (Options.CorrespondenceRetention; with
// none set, nothing is ever purged; the time recorded, not the date an
// email claims, counts) and that no legal hold covers,
// with their content that nothing else refers to; the documents their
// attachments became stay, under the documents' own retention. Held
// messages are kept and listed. One transaction, audited per message;
// needs document.purge.
func (s *CorrespondenceService) ApplyRetention(ctx context.Context) (CorrespondenceRetentionReport, error) {
	var rep CorrespondenceRetentionReport
	f := s.f
	res := access.Resource{Kind: storage.KindMessage}
	err := f.do(ctx, access.DocumentPurge, res, true, func(o *op, tx storage.Tx) error {
		rep = CorrespondenceRetentionReport{}
		if f.mailRetention == 0 {
			return nil
		}
		before := o.at.Add(-f.mailRetention)
		var due []correspondence.Message
		err := eachPage(func(p storage.Page) (string, error) {
			ms, next, err := tx.Messages().List(ctx, storage.MessageFilter{RecordedBefore: before}, p)
			due = append(due, ms...)
			return next, err
		})
		if err != nil {
			return err
		}
		var orphans []string
		for i := range due {
			m := &due[i]
			walled, err := o.walledFromMessage(ctx, tx, m)
			if err != nil {
				return err
			}
			if walled {
				continue
			}
			seen, err := o.seesMessage(ctx, tx, m)
			if err != nil {
				return err
			}
			// The store refuses a held message before it changes anything.
			switch err := tx.Messages().Purge(ctx, m.ID, m.Version); {
			case errors.Is(err, storage.ErrHeld):
				rep.HeldCount++
				if seen {
					rep.Held = append(rep.Held, m.ID)
				}
				continue
			case err != nil:
				return err
			}
			rep.PurgedCount++
			if seen {
				rep.Purged = append(rep.Purged, m.ID)
			}
			orphans = append(orphans, m.Content()...)
			if err := o.record(ctx, tx, "message.purge", messageRes(m), fmt.Sprintf("retention: recorded more than %s ago", f.mailRetention), nil); err != nil {
				return err
			}
		}
		for _, h := range orphans {
			removed, err := f.blobs(tx).Delete(ctx, h)
			if err != nil {
				return err
			}
			if removed {
				rep.BlobsDeleted++
			}
		}
		return nil
	})
	if err != nil {
		return CorrespondenceRetentionReport{}, err
	}
	if c, ok := f.blobStore.(collector); ok && rep.BlobsDeleted > 0 {
		if _, err := c.Collect(ctx, f.store); err != nil {
			return rep, err
		}
	}
	return rep, nil
}
