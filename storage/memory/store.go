package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// Store is an in-memory storage.Store. The zero value is not usable; call
// New.
type Store struct {
	mu       sync.RWMutex
	closed   bool
	users    *table[access.User]
	contacts *table[cases.Contact]
	cases    *table[cases.Case]
	parties  *table[cases.Party]
	// partiesByCase groups the parties by case.
	partiesByCase grouping
	stages        *table[cases.StageChange]
	intakes       *table[cases.Intake]
	meetings      *table[cases.Meeting]
	checks        *table[cases.ConflictCheck]
	walls         *table[access.Wall]
	calendarTables
	documentTables
	correspondenceTables
	counters map[string]int64
	roles    []byte // the role table as JSON; nil when none is stored
	audit    []audit.Entry
}

var _ storage.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	s := &Store{
		users:    newTable("user", func(u *access.User) string { return string(u.ID) }),
		contacts: newTable("contact", func(c *cases.Contact) string { return string(c.ID) }),
		cases:    newTable("case", func(c *cases.Case) string { return string(c.ID) }),
		parties:  newTable("party", func(p *cases.Party) string { return string(p.ID) }),
		stages: newTable("stage change", func(c *cases.StageChange) string {
			return string(c.Case) + "/" + fmt.Sprintf("%020d", c.Seq)
		}),
		intakes:  newTable("intake", func(in *cases.Intake) string { return string(in.ID) }),
		meetings: newTable("meeting", func(m *cases.Meeting) string { return string(m.ID) }),
		checks:   newTable("conflict check", func(c *cases.ConflictCheck) string { return string(c.ID) }),
		counters: map[string]int64{},

		calendarTables: newCalendarTables(),
		documentTables: newDocumentTables(),

		correspondenceTables: newCorrespondenceTables(),
	}
	s.users.version = func(u *access.User) int64 { return u.Version }
	s.contacts.version = func(c *cases.Contact) int64 { return c.Version }
	s.cases.version = func(c *cases.Case) int64 { return c.Version }
	s.cases.unique = func(c *cases.Case) []string { return []string{"reference:" + c.Reference} }
	s.parties.version = func(p *cases.Party) int64 { return p.Version }
	s.parties.unique = func(p *cases.Party) []string {
		return []string{string(p.Case) + "\x00" + string(p.Contact) + "\x00" + string(p.Role)}
	}
	s.intakes.version = func(in *cases.Intake) int64 { return in.Version }
	s.checks.version = func(c *cases.ConflictCheck) int64 { return c.Version }
	s.walls = newTable("wall", func(w *access.Wall) string { return w.ID })
	s.walls.version = func(w *access.Wall) int64 { return w.Version }
	return s
}

// errClosed is returned by a closed store.
var errClosed = fmt.Errorf("memory: store is closed")

// Update runs fn under the write lock and undoes its writes if it fails.
func (s *Store) Update(ctx context.Context, fn func(storage.Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	tx := &txn{s: s, write: true}
	defer func() {
		if p := recover(); p != nil {
			tx.rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		tx.rollback()
		return err
	}
	if err := ctx.Err(); err != nil {
		tx.rollback()
		return err
	}
	tx.commitAudit()
	return nil
}

// View runs fn under the read lock.
func (s *Store) View(ctx context.Context, fn func(storage.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed
	}
	return fn(&txn{s: s})
}

// Close makes the store refuse further transactions.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// txn is one transaction: the undo log of its writes and its queued audit
// entries.
type txn struct {
	s       *Store
	write   bool
	undo    []func()
	pending []audit.Entry
}

func (tx *txn) rollback() {
	for i := len(tx.undo) - 1; i >= 0; i-- {
		tx.undo[i]()
	}
	tx.undo, tx.pending = nil, nil
}

func (tx *txn) commitAudit() {
	for _, e := range tx.pending {
		seq, prev := int64(0), audit.Hash{}
		if n := len(tx.s.audit); n > 0 {
			seq, prev = tx.s.audit[n-1].Seq, tx.s.audit[n-1].Hash
		}
		audit.Seal(&e, seq, prev)
		tx.s.audit = append(tx.s.audit, clone(e))
	}
}

var errReadOnly = fmt.Errorf("memory: write in a read-only transaction")

func (tx *txn) writable() error {
	if !tx.write {
		return errReadOnly
	}
	return nil
}

func (tx *txn) Users() storage.Users           { return users{tx} }
func (tx *txn) Contacts() storage.Contacts     { return contacts{tx} }
func (tx *txn) Cases() storage.Cases           { return caseRepo{tx} }
func (tx *txn) Parties() storage.Parties       { return parties{tx} }
func (tx *txn) Stages() storage.Stages         { return stages{tx} }
func (tx *txn) Intakes() storage.Intakes       { return intakes{tx} }
func (tx *txn) Meetings() storage.Meetings     { return meetings{tx} }
func (tx *txn) Checks() storage.Checks         { return checks{tx} }
func (tx *txn) Counters() storage.Counters     { return counters{tx} }
func (tx *txn) Audit() storage.AuditLog        { return auditLog{tx} }
func (tx *txn) RoleTables() storage.RoleTables { return roleTables{tx} }
func (tx *txn) Walls() storage.Walls           { return walls{tx} }

// clone returns a deep copy of v through its JSON encoding.
func clone[T any](v T) T {
	var out T
	if err := json.Unmarshal(encode(v), &out); err != nil {
		panic(fmt.Sprintf("memory: decoding %T: %v", v, err))
	}
	return out
}

func seqCursor(seq int64) string { return strconv.FormatInt(seq, 10) }
