package docket

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// policyCounter is the generation of the access policy: every change to
// users, the role table or walls draws from it in its own transaction, so
// a cached policy is known to be current by reading one counter.
const policyCounter = "docket.policy"

// policyChanged marks the policy changed, inside the change's
// transaction, and remembers the new generation for invalidatePolicy.
func (o *op) policyChanged(ctx context.Context, tx storage.Tx) error {
	gen, err := tx.Counters().Next(ctx, policyCounter)
	o.policyGen = gen
	return err
}

// policyCache holds the last policy built, the generation it is of, and
// when that generation was last confirmed against the store.
type policyCache struct {
	mu      sync.Mutex
	gen     int64
	p       *policyState
	checked time.Time
	// epoch counts invalidations, so that a load begun before a change
	// committed cannot install itself afterwards.
	epoch int64
	// minGen is the newest generation this Firm committed: a policy read
	// from an older snapshot may serve that snapshot's transaction but is
	// never cached.
	minGen int64
}

// invalidatePolicy drops the cached policy after this Firm committed a
// change to users, roles or walls (generation gen): the change applies to
// the very next check.
func (f *Firm) invalidatePolicy(gen int64) {
	f.pc.mu.Lock()
	f.pc.p = nil
	f.pc.epoch++
	f.pc.minGen = max(f.pc.minGen, gen)
	f.pc.mu.Unlock()
}

// DefaultPolicyRecheck is how long a policy read from the store is trusted
// before the store is asked again whether another process changed it.
const DefaultPolicyRecheck = time.Second

// policyState is what one generation of the policy holds: the policy,
// and the firm's staff by email address (lower case; client portal
// accounts left out, whether or not they have their contact yet; former
// staff kept, as their old mail is still theirs; the first user in ID
// order where two share one), to which the participants of recorded and
// imported correspondence are linked.
type policyState struct {
	policy *access.Policy
	staff  map[string]access.UserID
}

// policy returns the access policy as of tx. Changes made through this
// Firm apply at once (they invalidate the cache when they commit). Changes
// committed by another process (a second server on the same PostgreSQL)
// are seen within Options.PolicyRecheck, when the generation counter is
// read again; a negative PolicyRecheck reads it on every check.
func (f *Firm) policy(ctx context.Context, tx storage.Tx) (*access.Policy, error) {
	st, err := f.policyState(ctx, tx, false)
	if err != nil {
		return nil, err
	}
	return st.policy, nil
}

// staff returns the firm's staff by email address as of tx: cached with
// the policy, but always checked against the store's generation (not
// trusted for Options.PolicyRecheck), since a link it makes is stored for
// good.
func (f *Firm) staff(ctx context.Context, tx storage.Tx) (map[string]access.UserID, error) {
	st, err := f.policyState(ctx, tx, true)
	if err != nil {
		return nil, err
	}
	return st.staff, nil
}

// policyState returns the policy's generation as of tx, from the cache
// where it is current; fresh reads the generation counter even within
// the recheck interval.
func (f *Firm) policyState(ctx context.Context, tx storage.Tx, fresh bool) (*policyState, error) {
	now := f.clock()
	f.pc.mu.Lock()
	if !fresh && f.pc.p != nil && f.recheck > 0 && now.Sub(f.pc.checked) < f.recheck && !now.Before(f.pc.checked) {
		p := f.pc.p
		f.pc.mu.Unlock()
		return p, nil
	}
	epoch := f.pc.epoch
	f.pc.mu.Unlock()
	gen, err := tx.Counters().Current(ctx, policyCounter)
	if err != nil {
		return nil, err
	}
	f.pc.mu.Lock()
	if f.pc.p != nil && f.pc.gen == gen && f.pc.epoch == epoch {
		f.pc.checked = now
		p := f.pc.p
		f.pc.mu.Unlock()
		return p, nil
	}
	f.pc.mu.Unlock()
	p, err := loadPolicy(ctx, tx)
	if err != nil {
		return nil, err
	}
	f.pc.mu.Lock()
	if f.pc.epoch == epoch && gen >= f.pc.minGen && (f.pc.p == nil || gen >= f.pc.gen) {
		f.pc.gen, f.pc.p, f.pc.checked = gen, p, now
	}
	f.pc.mu.Unlock()
	return p, nil
}

// isStaff reports whether u works for the firm: no client portal
// account, with a contact or without one yet.
func isStaff(u *access.User) bool {
	return u.Contact == "" && !slices.Contains(u.Roles, access.ClientUser)
}

// loadPolicy builds the policy, and the staff by email, from the store.
func loadPolicy(ctx context.Context, tx storage.Tx) (*policyState, error) {
	table, err := roleTable(ctx, tx)
	if err != nil {
		return nil, err
	}
	var members []access.Member
	staff := map[string]access.UserID{}
	err = eachPage(func(p storage.Page) (string, error) {
		users, next, err := tx.Users().List(ctx, p)
		for i := range users {
			members = append(members, users[i].Member())
			if e := strings.ToLower(strings.TrimSpace(users[i].Email)); e != "" && isStaff(&users[i]) {
				if _, ok := staff[e]; !ok {
					staff[e] = users[i].ID
				}
			}
		}
		return next, err
	})
	if err != nil {
		return nil, err
	}
	var walls []access.Wall
	err = eachPage(func(p storage.Page) (string, error) {
		ws, next, err := tx.Walls().List(ctx, storage.WallFilter{Active: true}, p)
		walls = append(walls, ws...)
		return next, err
	})
	if err != nil {
		return nil, err
	}
	p, err := access.NewPolicy(table, members, walls)
	if err != nil {
		return nil, err
	}
	return &policyState{policy: p, staff: staff}, nil
}

// visibility is the storage filter that shows the actor only the cases the
// policy lets them see, once their roles let them read cases at all; ok is
// false when no case can be visible (a portal user with no contact). With
// a custom Authorizer, lists are not filtered (nil).
func (o *op) visibility(ctx context.Context, tx storage.Tx) (v *storage.Visibility, ok bool, err error) {
	if o.f.authz != nil {
		return nil, true, nil
	}
	p, err := o.f.policy(ctx, tx)
	if err != nil {
		return nil, false, err
	}
	contact, portal := p.PortalContact(o.actor.ID)
	if portal && contact == "" {
		return nil, false, nil
	}
	// Privileged documents, and what the audit log says of them, show to
	// roles granted document.privileged as well as to case teams.
	privileged := !portal && p.Decide(o.actor.ID, access.DocumentPrivileged, nil).Allowed
	// The unfiled queue, and what the audit log says of it, shows to
	// those who file from it.
	unfiled := !portal && p.Decide(o.actor.ID, access.CorrespondenceFile, nil).Allowed
	return &storage.Visibility{User: o.actor.ID, Contact: contact, Privileged: privileged, Unfiled: unfiled}, true, nil
}

// listVisible decides action on res and runs list, in one read
// transaction, with the visibility that shows the actor only what they
// may see. A portal user with no contact gets nothing (list does not
// run).
func (f *Firm) listVisible(ctx context.Context, action access.Action, res access.Resource, list func(o *op, tx storage.Tx, vis *storage.Visibility) error) error {
	return f.do(ctx, action, res, false, func(o *op, tx storage.Tx) error {
		vis, ok, err := o.visibility(ctx, tx)
		if err != nil || !ok {
			return err
		}
		return list(o, tx, vis)
	})
}

// readOne runs a read of one record in one read transaction: fetch finds
// it and decides action on it (through the record's own ...For helper,
// which fills in res).
func readOne[T any](ctx context.Context, f *Firm, action access.Action, res access.Resource, fetch func(o *op, tx storage.Tx, res *access.Resource) (T, error)) (T, error) {
	var v T
	err := f.run(ctx, action, &res, false, func(o *op, tx storage.Tx) (err error) {
		v, err = fetch(o, tx, &res)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}

// caseFacts is what the policy needs of a case: its client and
// co-clients (parties in the client role), its scope and its team.
func caseFacts(ctx context.Context, tx storage.Tx, c *cases.Case) (*access.CaseFacts, error) {
	return caseFactsFor(ctx, tx, c, true)
}

// caseFactsFor is caseFacts, reading the co-clients only when they can
// matter (see access.Policy.ClientBound).
func caseFactsFor(ctx context.Context, tx storage.Tx, c *cases.Case, coClients bool) (*access.CaseFacts, error) {
	members := c.Members()
	team := make(map[access.UserID]string, len(members))
	for u, r := range members {
		team[access.UserID(u)] = r
	}
	facts := &access.CaseFacts{ID: string(c.ID), Client: string(c.Client), Restricted: c.Restricted, Team: team}
	if !coClients {
		return facts, nil
	}
	co, err := tx.Parties().CoClients(ctx, c.ID)
	for _, k := range co {
		facts.CoClients = append(facts.CoClients, string(k))
	}
	return facts, err
}

// Explain says whether user may perform action on res under the firm's
// stored policy (role table, users, walls, the case's team and scope),
// and which rule decides, the way the operation itself would decide: a
// resource is resolved to what it belongs to (an intake to the case it
// became or its prospect, a conflict check to its case, intake or client,
// a meeting to its case, intake and contact, a party to its case, a wall
// to whether it names the user, a document or a hold to its case). For a
// document, once its case allows, its own rule decides: privileged
// (team, or document.privileged) or shared with the client (for a portal
// user). Explaining needs access.admin, and the
// caller must be able to read what the resource belongs to themselves:
// the answer can reveal walls and teams. A resource the caller may not
// read, or that does not exist, is denied alike.
func (s *AccessService) Explain(ctx context.Context, user access.UserID, action access.Action, res access.Resource) (access.Decision, error) {
	f := s.f
	var d access.Decision
	denied := access.Resource{Kind: "policy"}
	err := f.run(ctx, access.AccessAdmin, &denied, false, func(o *op, tx storage.Tx) error {
		if err := o.decide(ctx, tx, access.AccessAdmin, denied, nil); err != nil {
			return err
		}
		denied.ID, denied.Case = printable(res.Kind+" "+res.ID), printable(res.Case)
		p, err := f.policy(ctx, tx)
		if err != nil {
			return err
		}
		subjects, screens, err := o.subjects(ctx, tx, res)
		if err != nil {
			return err
		}
		for _, facts := range subjects {
			// The caller must see it too: Explain is no way round a wall.
			if err := o.decide(ctx, tx, access.CaseRead, access.Resource{Kind: res.Kind, ID: res.ID, Case: facts.ID}, facts); err != nil {
				return err
			}
		}
		if slices.Contains(screens, user) {
			d = access.Decision{Rule: "wall", Reason: fmt.Sprintf("the wall names %s, who may not see or change it", user)}
			return nil
		}
		if len(subjects) == 0 {
			d = p.Decide(user, action, nil)
			return nil
		}
		for _, facts := range subjects {
			if d = p.Decide(user, action, facts); !d.Allowed {
				return nil
			}
		}
		if res.Kind == storage.KindDocument {
			// A document has a rule of its own once its case allows:
			// privileged, or shared with the client. The caller must be
			// able to open it too.
			doc, err := tx.Documents().Get(ctx, document.ID(res.ID))
			if err != nil {
				return err
			}
			c, err := tx.Cases().Get(ctx, doc.Case)
			if err != nil {
				return err
			}
			if err := o.mayOpen(ctx, tx, &doc, &c); err != nil {
				return err
			}
			if rule, ok := openRule(p, user, &doc, &c); !ok || rule.Rule != "" {
				d = rule
			}
		}
		return nil
	})
	if err != nil {
		return access.Decision{}, err
	}
	return d, nil
}

// firmKinds are the resource kinds that belong to no case or client.
var firmKinds = []string{"", "user", "contact", "role-table", "audit", "policy"}

// subjects resolves a resource to the cases and clients it belongs to,
// as facts for the policy; a wall resolves to the cases and clients it
// names and the users it screens. A record that does not exist is denied
// like one the actor may not see.
func (o *op) subjects(ctx context.Context, tx storage.Tx, res access.Resource) (facts []*access.CaseFacts, screens []access.UserID, err error) {
	missing := func(what string, err error) error {
		return o.missing(ctx, tx, access.AccessAdmin, access.Resource{Kind: "policy"}, what, err)
	}
	onCase := func(id cases.ID) error {
		c, err := tx.Cases().Get(ctx, id)
		if err != nil {
			return missing("case "+printable(string(id)), err)
		}
		cf, err := caseFacts(ctx, tx, &c)
		facts = append(facts, cf)
		return err
	}
	onClient := func(k cases.ContactID) {
		if k != "" {
			facts = append(facts, &access.CaseFacts{Client: string(k)})
		}
	}
	onIntake := func(id cases.IntakeID) error {
		in, err := tx.Intakes().Get(ctx, id)
		if err != nil {
			return missing("intake "+printable(string(id)), err)
		}
		if in.Case != "" {
			return onCase(in.Case)
		}
		onClient(in.Prospect)
		return nil
	}
	switch res.Kind {
	case "case":
		id := res.Case
		if id == "" {
			id = res.ID
		}
		err = onCase(cases.ID(id))
	case storage.KindReference:
		c, gerr := tx.Cases().GetByReference(ctx, res.ID)
		if gerr != nil {
			return nil, nil, missing("case with reference "+printable(res.ID), gerr)
		}
		err = onCase(c.ID)
	case storage.KindIntake:
		err = onIntake(cases.IntakeID(res.ID))
	case storage.KindCheck:
		chk, gerr := tx.Checks().Get(ctx, cases.CheckID(res.ID))
		if gerr != nil {
			return nil, nil, missing("conflict check "+printable(res.ID), gerr)
		}
		if chk.Case != "" {
			err = onCase(chk.Case)
		} else if chk.Intake != "" {
			err = onIntake(chk.Intake)
		}
		for _, k := range chk.Clients {
			onClient(k)
		}
	case storage.KindMeeting:
		m, gerr := tx.Meetings().Get(ctx, cases.MeetingID(res.ID))
		if gerr != nil {
			return nil, nil, missing("meeting "+printable(res.ID), gerr)
		}
		if m.Case != "" {
			err = onCase(m.Case)
		}
		if err == nil && m.Intake != "" {
			err = onIntake(m.Intake)
		}
		onClient(m.Contact)
	case "party":
		pt, gerr := tx.Parties().Get(ctx, cases.PartyID(res.ID))
		if gerr != nil {
			return nil, nil, missing("party "+printable(res.ID), gerr)
		}
		err = onCase(pt.Case)
	case storage.KindDocument:
		d, gerr := tx.Documents().Get(ctx, document.ID(res.ID))
		if gerr != nil {
			return nil, nil, missing("document "+printable(res.ID), gerr)
		}
		err = onCase(d.Case)
	case storage.KindHold:
		h, gerr := tx.Holds().Get(ctx, document.HoldID(res.ID))
		if gerr != nil {
			return nil, nil, missing("hold "+printable(res.ID), gerr)
		}
		if h.Case != "" {
			err = onCase(h.Case)
		}
	case storage.KindWall:
		w, gerr := tx.Walls().Get(ctx, res.ID)
		if gerr != nil {
			return nil, nil, missing("wall "+printable(res.ID), gerr)
		}
		if slices.Contains(w.Users, o.actor.ID) {
			return nil, nil, &denial{reason: unseen, detail: "the actor is screened by this wall"}
		}
		for _, c := range w.Cases {
			if err = onCase(cases.ID(c)); err != nil {
				break
			}
		}
		for _, k := range w.Clients {
			onClient(cases.ContactID(k))
		}
		screens = w.Users
		// A wall is decided on the actor's roles; its cases and clients
		// decide only whether the caller may see it.
		if err == nil {
			return nil, screens, o.seeAll(ctx, tx, facts)
		}
	default:
		if !slices.Contains(firmKinds, res.Kind) {
			return nil, nil, &cases.FieldError{Record: "resource", Field: "Kind", Problem: fmt.Sprintf("%q is not a kind of resource the policy decides on", res.Kind)}
		}
		if res.Case != "" {
			err = onCase(cases.ID(res.Case))
		}
	}
	return facts, screens, err
}

// seeAll decides that the actor may read every case and client of facts.
func (o *op) seeAll(ctx context.Context, tx storage.Tx, facts []*access.CaseFacts) error {
	for _, cf := range facts {
		if err := o.decide(ctx, tx, access.CaseRead, access.Resource{Kind: "case", ID: cf.ID, Case: cf.ID}, cf); err != nil {
			return err
		}
	}
	return nil
}
