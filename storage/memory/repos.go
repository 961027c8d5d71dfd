package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

type users struct{ tx *txn }

func (r users) Get(ctx context.Context, id access.UserID) (access.User, error) {
	if err := ctx.Err(); err != nil {
		return access.User{}, err
	}
	return r.tx.s.users.get(string(id))
}

func (r users) Create(ctx context.Context, u access.User) error {
	return r.tx.do(ctx, func() error { return r.tx.s.users.create(r.tx, u) })
}

func (r users) Update(ctx context.Context, u access.User) error {
	return r.tx.do(ctx, func() error { return r.tx.s.users.update(r.tx, u) })
}

func (r users) List(ctx context.Context, p storage.Page) ([]access.User, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	return r.tx.s.users.list(p, nil)
}

type contacts struct{ tx *txn }

func (r contacts) Get(ctx context.Context, id cases.ContactID) (cases.Contact, error) {
	if err := ctx.Err(); err != nil {
		return cases.Contact{}, err
	}
	return r.tx.s.contacts.get(string(id))
}

func (r contacts) Create(ctx context.Context, c cases.Contact) error {
	return r.tx.do(ctx, func() error { return r.tx.s.contacts.create(r.tx, c) })
}

func (r contacts) Update(ctx context.Context, c cases.Contact) error {
	return r.tx.do(ctx, func() error { return r.tx.s.contacts.update(r.tx, c) })
}

func (r contacts) List(ctx context.Context, f storage.ContactFilter, p storage.Page) ([]cases.Contact, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	return r.tx.s.contacts.list(p, func(c *cases.Contact) bool {
		return (f.Kind == "" || c.Kind == f.Kind) &&
			(f.Email == "" || slices.ContainsFunc(c.Emails, func(e string) bool { return strings.EqualFold(e, f.Email) }))
	})
}

type caseRepo struct{ tx *txn }

func (r caseRepo) Get(ctx context.Context, id cases.ID) (cases.Case, error) {
	if err := ctx.Err(); err != nil {
		return cases.Case{}, err
	}
	return r.tx.s.cases.get(string(id))
}

func (r caseRepo) GetByReference(ctx context.Context, ref string) (cases.Case, error) {
	if err := ctx.Err(); err != nil {
		return cases.Case{}, err
	}
	return r.tx.s.cases.lookup("reference:" + ref)
}

func (r caseRepo) Create(ctx context.Context, c cases.Case) error {
	return r.tx.do(ctx, func() error {
		if !r.tx.s.contacts.has(string(c.Client)) {
			return fmt.Errorf("case %s: client %s: %w", c.ID, c.Client, storage.ErrNotFound)
		}
		return r.tx.s.cases.create(r.tx, c)
	})
}

func (r caseRepo) Update(ctx context.Context, c cases.Case) error {
	return r.tx.do(ctx, func() error { return r.tx.s.cases.update(r.tx, c) })
}

func (r caseRepo) List(ctx context.Context, f storage.CaseFilter, p storage.Page) ([]cases.Case, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	sc := r.tx.s.screenFor(f.Visible)
	return r.tx.s.cases.list(p, func(c *cases.Case) bool { return caseMatches(c, f) && sc.visible(c) })
}

type parties struct{ tx *txn }

func (r caseRepo) Count(ctx context.Context, f storage.CaseFilter) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	sc := r.tx.s.screenFor(f.Visible)
	for _, k := range r.tx.s.cases.keys {
		c, _ := r.tx.s.cases.peek(k)
		if caseMatches(c, f) && sc.visible(c) {
			n++
		}
	}
	return n, nil
}

func caseMatches(c *cases.Case, f storage.CaseFilter) bool {
	return (f.Status == "" || c.Status == f.Status) && (f.Type == "" || c.Type == f.Type) &&
		(f.Stage == "" || c.Stage == f.Stage) && (f.Client == "" || c.Client == f.Client)
}

func (r parties) Get(ctx context.Context, id cases.PartyID) (cases.Party, error) {
	if err := ctx.Err(); err != nil {
		return cases.Party{}, err
	}
	return r.tx.s.parties.get(string(id))
}

func (r parties) Create(ctx context.Context, p cases.Party) error {
	return r.tx.do(ctx, func() error {
		if !r.tx.s.cases.has(string(p.Case)) {
			return fmt.Errorf("party %s: case %s: %w", p.ID, p.Case, storage.ErrNotFound)
		}
		if !r.tx.s.contacts.has(string(p.Contact)) {
			return fmt.Errorf("party %s: contact %s: %w", p.ID, p.Contact, storage.ErrNotFound)
		}
		return r.tx.s.parties.create(r.tx, p)
	})
}

func (r parties) Update(ctx context.Context, p cases.Party) error {
	return r.tx.do(ctx, func() error { return r.tx.s.parties.update(r.tx, p) })
}

func (r parties) Delete(ctx context.Context, id cases.PartyID, version int64) error {
	return r.tx.do(ctx, func() error { return r.tx.s.parties.remove(r.tx, string(id), version) })
}

func (r parties) List(ctx context.Context, f storage.PartyFilter, p storage.Page) ([]cases.Party, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	keep := func(x *cases.Party) bool {
		return (f.Case == "" || x.Case == f.Case) && (f.Contact == "" || x.Contact == f.Contact) && (f.Role == "" || x.Role == f.Role)
	}
	if f.Case != "" { // a case's parties, without reading every party
		keys := r.tx.s.parties.grouped(&r.tx.s.partiesByCase, func(x *cases.Party) string { return string(x.Case) })[string(f.Case)]
		return r.tx.s.parties.listKeys(keys, p, keep)
	}
	return r.tx.s.parties.list(p, keep)
}

func (r parties) CoClients(ctx context.Context, c cases.ID) ([]cases.ContactID, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []cases.ContactID
	for _, k := range r.tx.s.parties.grouped(&r.tx.s.partiesByCase, func(x *cases.Party) string { return string(x.Case) })[string(c)] {
		if p, _ := r.tx.s.parties.peek(k); p.Role == cases.RoleClient {
			out = append(out, p.Contact)
		}
	}
	slices.Sort(out)
	return out, nil
}

type stages struct{ tx *txn }

func (r stages) Append(ctx context.Context, c cases.StageChange) error {
	return r.tx.do(ctx, func() error {
		if !r.tx.s.cases.has(string(c.Case)) {
			return fmt.Errorf("stage change: case %s: %w", c.Case, storage.ErrNotFound)
		}
		list, err := r.List(ctx, c.Case)
		if err != nil {
			return err
		}
		if c.Seq != int64(len(list))+1 {
			return fmt.Errorf("stage change %d of case %s: the next is %d: %w", c.Seq, c.Case, len(list)+1, storage.ErrExists)
		}
		return r.tx.s.stages.create(r.tx, c)
	})
}

func (r stages) List(ctx context.Context, id cases.ID) ([]cases.StageChange, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []cases.StageChange
	p := storage.Page{After: string(id) + "/", Limit: storage.MaxLimit}
	for {
		page, next, err := r.tx.s.stages.list(p, nil)
		if err != nil {
			return nil, err
		}
		for _, c := range page {
			if c.Case != id {
				return out, nil
			}
			out = append(out, c)
		}
		if next == "" {
			return out, nil
		}
		p.After = next
	}
}

func (r stages) Between(ctx context.Context, f storage.StageFilter, p storage.Page) ([]cases.StageChange, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	s := r.tx.s
	sc := s.screenFor(f.Visible)
	var hits []*cases.StageChange
	for _, k := range s.stages.keys {
		c, _ := s.stages.peek(k)
		if !f.From.IsZero() && c.At.Before(f.From) || !f.Until.IsZero() && !c.At.Before(f.Until) || !s.visibleCase(sc, string(c.Case)) {
			continue
		}
		if p.After != "" && stageCursor(c) <= p.After {
			continue
		}
		hits = append(hits, c)
	}
	slices.SortFunc(hits, func(a, b *cases.StageChange) int { return strings.Compare(stageCursor(a), stageCursor(b)) })
	var next string
	if len(hits) > p.Size() {
		hits = hits[:p.Size()]
		next = stageCursor(hits[len(hits)-1])
	}
	out := make([]cases.StageChange, len(hits))
	for i, c := range hits {
		out[i] = clone(*c)
	}
	return out, next, nil
}

// stageCursor is a stage change's place in time order, as text that
// sorts in that order.
func stageCursor(c *cases.StageChange) string {
	return c.At.UTC().Format(audit.TimeLayout) + "|" + string(c.Case) + "|" + fmt.Sprintf("%020d", c.Seq)
}

type intakes struct{ tx *txn }

func (r intakes) Get(ctx context.Context, id cases.IntakeID) (cases.Intake, error) {
	if err := ctx.Err(); err != nil {
		return cases.Intake{}, err
	}
	return r.tx.s.intakes.get(string(id))
}

func (r intakes) Create(ctx context.Context, in cases.Intake) error {
	return r.tx.do(ctx, func() error {
		if !r.tx.s.contacts.has(string(in.Prospect)) {
			return fmt.Errorf("intake %s: contact %s: %w", in.ID, in.Prospect, storage.ErrNotFound)
		}
		return r.tx.s.intakes.create(r.tx, in)
	})
}

func (r intakes) Update(ctx context.Context, in cases.Intake) error {
	return r.tx.do(ctx, func() error { return r.tx.s.intakes.update(r.tx, in) })
}

func (r intakes) List(ctx context.Context, f storage.IntakeFilter, p storage.Page) ([]cases.Intake, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	sc := r.tx.s.screenFor(f.Visible)
	return r.tx.s.intakes.list(p, func(in *cases.Intake) bool {
		return (f.Prospect == "" || in.Prospect == f.Prospect) && (f.Status == "" || in.Status == f.Status) &&
			r.tx.s.visibleIntake(sc, in)
	})
}

type meetings struct{ tx *txn }

func (r meetings) Get(ctx context.Context, id cases.MeetingID) (cases.Meeting, error) {
	if err := ctx.Err(); err != nil {
		return cases.Meeting{}, err
	}
	return r.tx.s.meetings.get(string(id))
}

func (r meetings) Create(ctx context.Context, m cases.Meeting) error {
	return r.tx.do(ctx, func() error {
		if !r.tx.s.contacts.has(string(m.Contact)) {
			return fmt.Errorf("meeting %s: contact %s: %w", m.ID, m.Contact, storage.ErrNotFound)
		}
		return r.tx.s.meetings.create(r.tx, m)
	})
}

func (r meetings) List(ctx context.Context, f storage.MeetingFilter, p storage.Page) ([]cases.Meeting, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	sc := r.tx.s.screenFor(f.Visible)
	return r.tx.s.meetings.list(p, func(m *cases.Meeting) bool {
		return (f.Contact == "" || m.Contact == f.Contact) && (f.Case == "" || m.Case == f.Case) && (f.Intake == "" || m.Intake == f.Intake) &&
			r.tx.s.visibleMeeting(sc, m)
	})
}

type checks struct{ tx *txn }

func (r checks) Get(ctx context.Context, id cases.CheckID) (cases.ConflictCheck, error) {
	if err := ctx.Err(); err != nil {
		return cases.ConflictCheck{}, err
	}
	return r.tx.s.checks.get(string(id))
}

func (r checks) Create(ctx context.Context, c cases.ConflictCheck) error {
	return r.tx.do(ctx, func() error { return r.tx.s.checks.create(r.tx, c) })
}

func (r checks) Update(ctx context.Context, c cases.ConflictCheck) error {
	return r.tx.do(ctx, func() error { return r.tx.s.checks.update(r.tx, c) })
}

func (r checks) List(ctx context.Context, f storage.CheckFilter, p storage.Page) ([]cases.ConflictCheck, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	sc := r.tx.s.screenFor(f.Visible)
	return r.tx.s.checks.list(p, func(c *cases.ConflictCheck) bool {
		return (f.Intake == "" || c.Intake == f.Intake) && (f.From.IsZero() || !c.RanAt.Before(f.From)) &&
			(f.Until.IsZero() || c.RanAt.Before(f.Until)) && (sc == nil || r.tx.s.visibleCheck(sc, c))
	})
}

type counters struct{ tx *txn }

func (r counters) Current(ctx context.Context, name string) (int64, error) {
	return r.tx.s.counters[name], ctx.Err()
}

func (r counters) Next(ctx context.Context, name string) (int64, error) {
	var n int64
	err := r.tx.do(ctx, func() error {
		old, existed := r.tx.s.counters[name]
		n = old + 1
		r.tx.s.counters[name] = n
		r.tx.undo = append(r.tx.undo, func() {
			if existed {
				r.tx.s.counters[name] = old
			} else {
				delete(r.tx.s.counters, name)
			}
		})
		return nil
	})
	return n, err
}

type roleTables struct{ tx *txn }

func (r roleTables) Get(ctx context.Context) (access.RoleTable, error) {
	var t access.RoleTable
	if err := ctx.Err(); err != nil {
		return t, err
	}
	if r.tx.s.roles == nil {
		return t, fmt.Errorf("role table: %w", storage.ErrNotFound)
	}
	err := json.Unmarshal(r.tx.s.roles, &t)
	return t, err
}

func (r roleTables) Put(ctx context.Context, t access.RoleTable) error {
	return r.tx.do(ctx, func() error {
		var stored int64
		if cur, err := r.Get(ctx); err == nil {
			stored = cur.Version
		}
		if t.Version != stored+1 {
			return fmt.Errorf("role table: stored version is %d, the update replaces %d: %w", stored, t.Version-1, storage.ErrConflict)
		}
		old := r.tx.s.roles
		r.tx.s.roles = encode(t)
		r.tx.undo = append(r.tx.undo, func() { r.tx.s.roles = old })
		return nil
	})
}

type walls struct{ tx *txn }

func (r walls) Get(ctx context.Context, id string) (access.Wall, error) {
	if err := ctx.Err(); err != nil {
		return access.Wall{}, err
	}
	return r.tx.s.walls.get(id)
}

// checkRefs requires every user, case and client a wall names to exist, as
// the SQL stores' foreign keys do.
func (r walls) checkRefs(w *access.Wall) error {
	for _, u := range w.Users {
		if !r.tx.s.users.has(string(u)) {
			return fmt.Errorf("wall %s: user %s: %w", w.ID, u, storage.ErrNotFound)
		}
	}
	for _, c := range w.Cases {
		if !r.tx.s.cases.has(c) {
			return fmt.Errorf("wall %s: case %s: %w", w.ID, c, storage.ErrNotFound)
		}
	}
	for _, c := range w.Clients {
		if !r.tx.s.contacts.has(c) {
			return fmt.Errorf("wall %s: contact %s: %w", w.ID, c, storage.ErrNotFound)
		}
	}
	return nil
}

func (r walls) Create(ctx context.Context, w access.Wall) error {
	return r.tx.do(ctx, func() error {
		if err := r.checkRefs(&w); err != nil {
			return err
		}
		return r.tx.s.walls.create(r.tx, w)
	})
}

func (r walls) Update(ctx context.Context, w access.Wall) error {
	return r.tx.do(ctx, func() error {
		if err := r.checkRefs(&w); err != nil {
			return err
		}
		return r.tx.s.walls.update(r.tx, w)
	})
}

func (r walls) List(ctx context.Context, f storage.WallFilter, p storage.Page) ([]access.Wall, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	sc := r.tx.s.screenFor(f.Visible)
	return r.tx.s.walls.list(p, func(w *access.Wall) bool {
		return (f.User == "" || slices.Contains(w.Users, f.User)) && (!f.Active || w.Active()) && r.tx.s.visibleWall(sc, w)
	})
}

type auditLog struct{ tx *txn }

func (r auditLog) Append(ctx context.Context, e audit.Entry) error {
	return r.tx.do(ctx, func() error {
		r.tx.pending = append(r.tx.pending, clone(e))
		return nil
	})
}

func (r auditLog) List(ctx context.Context, f storage.AuditFilter, p storage.Page) ([]audit.Entry, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	var after int64
	if p.After != "" {
		var err error
		if after, err = strconv.ParseInt(p.After, 10, 64); err != nil {
			return nil, "", fmt.Errorf("audit cursor %q: %w", p.After, storage.ErrNotFound)
		}
	}
	n := p.Size()
	sc := r.tx.s.screenFor(f.Visible)
	var out []audit.Entry
	for _, e := range r.tx.s.audit {
		if e.Seq <= after || !matchAudit(&e, f) || !r.tx.s.visibleEntry(sc, &e) {
			continue
		}
		if len(out) == n {
			return out, seqCursor(out[n-1].Seq), nil
		}
		out = append(out, clone(e))
	}
	return out, "", nil
}

// matchAudit applies a filter as the SQL stores do: times compare at the
// microsecond precision the log keeps.
func matchAudit(e *audit.Entry, f storage.AuditFilter) bool {
	f.Since, f.Until = f.Since.Truncate(audit.Timestamp), f.Until.Truncate(audit.Timestamp)
	return (f.Case == "" || e.CaseID == f.Case) && (f.ResourceType == "" || e.ResourceType == f.ResourceType) &&
		(f.ResourceID == "" || e.ResourceID == f.ResourceID) && (f.Actor == "" || e.Actor == f.Actor) &&
		(f.Since.IsZero() || !e.At.Before(f.Since)) && (f.Until.IsZero() || e.At.Before(f.Until))
}

func (r auditLog) Head(ctx context.Context) (int64, audit.Hash, error) {
	if err := ctx.Err(); err != nil {
		return 0, audit.Hash{}, err
	}
	if n := len(r.tx.s.audit); n > 0 {
		return r.tx.s.audit[n-1].Seq, r.tx.s.audit[n-1].Hash, nil
	}
	return 0, audit.Hash{}, nil
}

func (r auditLog) Scan(ctx context.Context, from, to int64, fn func(*audit.Record) error) error {
	for _, e := range r.tx.s.audit {
		if e.Seq < from || (to > 0 && e.Seq > to) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := e.Record()
		if err := fn(&rec); err != nil {
			return err
		}
	}
	return nil
}

// do runs a write after checking the context and that the tx may write.
func (tx *txn) do(ctx context.Context, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := tx.writable(); err != nil {
		return err
	}
	return fn()
}
