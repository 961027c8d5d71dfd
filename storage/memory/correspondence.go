package memory

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// correspondenceTables are the correspondence record and the feed's
// cursors.
type correspondenceTables struct {
	messages *table[correspondence.Message]
	cursors  *table[storage.FeedCursor]
	// byMessageID finds messages by their email Message-ID, for threads.
	byMessageID map[string][]correspondence.ID
	// messageText is each message's subject and text as search reads
	// them.
	messageText map[correspondence.ID]*entry
}

func newCorrespondenceTables() correspondenceTables {
	t := correspondenceTables{
		messages: newTable("message", func(m *correspondence.Message) string { return string(m.ID) }),
		cursors:  newTable("feed cursor", func(c *storage.FeedCursor) string { return c.Name }),

		byMessageID: map[string][]correspondence.ID{},
		messageText: map[correspondence.ID]*entry{},
	}
	t.messages.version = func(m *correspondence.Message) int64 { return m.Version }
	t.messages.unique = func(m *correspondence.Message) []string {
		if m.Key != "" {
			return []string{"key:" + m.Key}
		}
		return nil
	}
	t.cursors.version = func(c *storage.FeedCursor) int64 { return c.Version }
	return t
}

func (tx *txn) Messages() storage.Messages       { return messages{tx} }
func (tx *txn) FeedCursors() storage.FeedCursors { return feedCursors{tx} }

type messages struct{ tx *txn }

func (r messages) Get(ctx context.Context, id correspondence.ID) (correspondence.Message, error) {
	if err := ctx.Err(); err != nil {
		return correspondence.Message{}, err
	}
	return r.tx.s.messages.get(string(id))
}

func (r messages) ByKey(ctx context.Context, key string) (correspondence.Message, error) {
	if err := ctx.Err(); err != nil {
		return correspondence.Message{}, err
	}
	if key == "" {
		return correspondence.Message{}, fmt.Errorf("message with no dedupe key: %w", storage.ErrNotFound)
	}
	return r.tx.s.messages.lookup("key:" + key)
}

func (r messages) Threads(ctx context.Context, ids []string) (map[string]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, id := range ids {
		for _, k := range r.tx.s.byMessageID[id] {
			m, _ := r.tx.s.messages.peek(string(k))
			if t, ok := out[id]; !ok || m.Thread < t {
				out[id] = m.Thread
			}
		}
	}
	return out, nil
}

func (r messages) Create(ctx context.Context, m correspondence.Message) error {
	return r.tx.do(ctx, func() error {
		s := r.tx.s
		for _, h := range m.Content() {
			if _, ok := s.blobs[h]; !ok {
				return fmt.Errorf("message %s: content %s: %w", m.ID, h, storage.ErrNotFound)
			}
		}
		if err := s.messages.create(r.tx, m); err != nil {
			return err
		}
		s.indexMessageID(r.tx, m.MessageID, m.ID, true)
		s.indexMessageText(r.tx, m.ID, &m)
		return nil
	})
}

// indexMessageText sets (m) or removes (nil) a message's search entry,
// in tx.
func (s *Store) indexMessageText(tx *txn, id correspondence.ID, m *correspondence.Message) {
	old := s.messageText[id]
	if m == nil {
		delete(s.messageText, id)
	} else {
		s.messageText[id] = newEntry(&document.Document{Title: m.Subject}, document.SearchText(m.Text))
	}
	tx.undo = append(tx.undo, func() {
		if old == nil {
			delete(s.messageText, id)
		} else {
			s.messageText[id] = old
		}
	})
}

// matchesAll reports whether e holds every term in some field.
func matchesAll(e *entry, terms []queryTerm) bool {
	if e == nil {
		return false
	}
	for i := range terms {
		tf := terms[i].matches(e)
		if tf == [nFields]int{} {
			return false
		}
	}
	return true
}

// indexMessageID adds a message to, or removes it from, byMessageID, in
// tx.
func (s *Store) indexMessageID(tx *txn, mid string, id correspondence.ID, add bool) {
	if mid == "" {
		return
	}
	old := s.byMessageID[mid]
	if add {
		s.byMessageID[mid] = append(slices.Clip(old), id)
	} else {
		s.byMessageID[mid] = slices.DeleteFunc(slices.Clone(old), func(x correspondence.ID) bool { return x == id })
	}
	tx.undo = append(tx.undo, func() { s.byMessageID[mid] = old })
}

// recordPart is what of a message never changes once it is recorded:
// everything but its filing and flags (and the bookkeeping fields), and
// of its attachments everything but the documents they became.
func recordPart(m correspondence.Message) []byte {
	m.Case, m.Filed, m.FiledBy = "", time.Time{}, ""
	m.Privileged, m.Confidential = false, false
	m.Version, m.Updated = 0, time.Time{}
	m.Attachments = slices.Clone(m.Attachments)
	for i := range m.Attachments {
		m.Attachments[i].Document = ""
	}
	return encode(m)
}

// filing is a message's filing, which is set once.
func filing(m *correspondence.Message) []byte {
	return encode([]any{m.Case, m.Filed, m.FiledBy, m.Attachments})
}

func (r messages) Update(ctx context.Context, m correspondence.Message) error {
	return r.tx.do(ctx, func() error {
		s := r.tx.s
		old, ok := s.messages.peek(string(m.ID))
		if !ok {
			return fmt.Errorf("message %s: %w", m.ID, storage.ErrNotFound)
		}
		if !bytes.Equal(recordPart(*old), recordPart(m)) || old.Case != "" && !bytes.Equal(filing(old), filing(&m)) {
			return fmt.Errorf("message %s: a message is a record: only its filing and its flags change", m.ID)
		}
		return s.messages.update(r.tx, m)
	})
}

func (r messages) List(ctx context.Context, f storage.MessageFilter, p storage.Page) ([]correspondence.Message, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	s := r.tx.s
	sc := s.screenFor(f.Visible)
	var clientCases map[cases.ID]bool
	if f.Client != "" {
		clientCases = map[cases.ID]bool{}
		for _, k := range s.cases.keys {
			if c, _ := s.cases.peek(k); c.Client == f.Client {
				clientCases[c.ID] = true
			}
		}
		for _, k := range s.parties.keys {
			if pt, _ := s.parties.peek(k); pt.Role == cases.RoleClient && pt.Contact == f.Client {
				clientCases[pt.Case] = true
			}
		}
	}
	address := strings.ToLower(f.Address)
	var afterAt, afterID string
	if p.After != "" {
		var ok bool
		if afterAt, afterID, ok = strings.Cut(p.After, "|"); !ok {
			return nil, "", fmt.Errorf("message cursor %q: %w", p.After, storage.ErrNotFound)
		}
	}
	var terms []queryTerm
	if f.Query != nil {
		terms = queryTerms(*f.Query)
	}
	var hits []*correspondence.Message
	for _, k := range s.messages.keys {
		m, _ := s.messages.peek(k)
		at := m.At.UTC().Format(audit.TimeLayout)
		switch {
		case f.Case != "" && m.Case != f.Case, f.Unfiled && m.Case != "", f.Filed && m.Case == "", f.Channel != "" && m.Channel != f.Channel,
			f.Thread != "" && m.Thread != f.Thread, f.Amends != "" && m.Amends != f.Amends,
			!f.From.IsZero() && m.At.Before(f.From), !f.Until.IsZero() && !m.At.Before(f.Until),
			!f.RecordedBefore.IsZero() && !m.Created.Before(f.RecordedBefore),
			p.After != "" && (at < afterAt || at == afterAt && string(m.ID) <= afterID):
			continue
		}
		if f.Contact != "" && !slices.ContainsFunc(m.Participants, func(x correspondence.Participant) bool { return x.Contact == f.Contact }) ||
			f.User != "" && !slices.ContainsFunc(m.Participants, func(x correspondence.Participant) bool { return x.User == f.User }) ||
			address != "" && !slices.ContainsFunc(m.Participants, func(x correspondence.Participant) bool { return strings.ToLower(x.Address) == address }) {
			continue
		}
		if f.Client != "" && !clientCases[m.Case] && !slices.ContainsFunc(m.Participants, func(x correspondence.Participant) bool { return x.Contact == f.Client }) {
			continue
		}
		if f.Query != nil && !matchesAll(s.messageText[m.ID], terms) {
			continue
		}
		if !s.visibleMessage(sc, m) {
			continue
		}
		hits = append(hits, m)
	}
	slices.SortFunc(hits, func(a, b *correspondence.Message) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(string(a.ID), string(b.ID))
	})
	n := p.Size()
	var next string
	if len(hits) > n {
		hits = hits[:n]
		last := hits[n-1]
		next = last.At.UTC().Format(audit.TimeLayout) + "|" + string(last.ID)
	}
	out := make([]correspondence.Message, len(hits))
	for i, m := range hits {
		out[i] = clone(*m)
	}
	return out, next, nil
}

// heldMessage reports whether an active hold covers the message: on its
// case, or on a custodian who recorded it or took part in it.
func (s *Store) heldMessage(m *correspondence.Message) bool {
	people := []string{m.RecordedBy}
	for _, p := range m.Participants {
		if p.User != "" {
			people = append(people, p.User)
		}
	}
	for _, k := range s.holds.keys {
		if h, _ := s.holds.peek(k); h.CoversRecord(m.Case, people...) {
			return true
		}
	}
	return false
}

func (r messages) Held(ctx context.Context, id correspondence.ID) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	m, ok := r.tx.s.messages.peek(string(id))
	if !ok {
		return false, fmt.Errorf("message %s: %w", id, storage.ErrNotFound)
	}
	return r.tx.s.heldMessage(m), nil
}

func (r messages) Purge(ctx context.Context, id correspondence.ID, version int64) error {
	return r.tx.do(ctx, func() error {
		s := r.tx.s
		m, ok := s.messages.peek(string(id))
		if !ok {
			return fmt.Errorf("message %s: %w", id, storage.ErrNotFound)
		}
		if s.heldMessage(m) {
			return fmt.Errorf("message %s: %w", id, storage.ErrHeld)
		}
		mid := m.MessageID
		if err := s.messages.remove(r.tx, string(id), version); err != nil {
			return err
		}
		s.indexMessageID(r.tx, mid, id, false)
		s.indexMessageText(r.tx, id, nil)
		return nil
	})
}

// visibleMessage reports whether the message passes: its case, if any,
// and every contact among its participants are visible; a privileged
// one only where Privileged allows it, to its case's team or, unfiled,
// to its recorder; for a portal user, only what is on their cases and
// neither privileged, confidential nor internal.
func (s *Store) visibleMessage(sc *screen, m *correspondence.Message) bool {
	if sc == nil {
		return true
	}
	for _, p := range m.Participants {
		if p.Contact != "" && sc.clients[string(p.Contact)] {
			return false
		}
	}
	if sc.v.Contact != "" {
		return m.Case != "" && s.visibleCase(sc, string(m.Case)) && !m.Privileged && !m.Confidential && m.Direction != correspondence.Internal
	}
	if !s.visibleCase(sc, string(m.Case)) || m.Case == "" && !sc.v.Unfiled {
		return false
	}
	if !m.Privileged || sc.v.Privileged {
		return true
	}
	u := string(sc.v.User)
	if m.Case == "" {
		return m.RecordedBy == u
	}
	c, _ := s.cases.peek(string(m.Case))
	return onTeam(c, u)
}

type feedCursors struct{ tx *txn }

func (r feedCursors) Get(ctx context.Context, name string) (storage.FeedCursor, error) {
	if err := ctx.Err(); err != nil {
		return storage.FeedCursor{}, err
	}
	return r.tx.s.cursors.get(name)
}

func (r feedCursors) Put(ctx context.Context, c storage.FeedCursor) error {
	return r.tx.do(ctx, func() error {
		if c.Version == 1 {
			return r.tx.s.cursors.create(r.tx, c)
		}
		return r.tx.s.cursors.update(r.tx, c)
	})
}
