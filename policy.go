package docket

import (
	"context"
	"sync"
	"time"

	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
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
	p       *access.Policy
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

// policy returns the access policy as of tx. Changes made through this
// Firm apply at once (they invalidate the cache when they commit). Changes
// committed by another process (a second server on the same PostgreSQL)
// are seen within Options.PolicyRecheck, when the generation counter is
// read again; a negative PolicyRecheck reads it on every check.
func (f *Firm) policy(ctx context.Context, tx storage.Tx) (*access.Policy, error) {
	now := f.clock()
	f.pc.mu.Lock()
	if f.pc.p != nil && f.recheck > 0 && now.Sub(f.pc.checked) < f.recheck && !now.Before(f.pc.checked) {
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

// loadPolicy builds the policy from the store.
func loadPolicy(ctx context.Context, tx storage.Tx) (*access.Policy, error) {
	table, err := roleTable(ctx, tx)
	if err != nil {
		return nil, err
	}
	var members []access.Member
	err = eachPage(func(p storage.Page) (string, error) {
		users, next, err := tx.Users().List(ctx, p)
		for i := range users {
			members = append(members, users[i].Member())
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
	return access.NewPolicy(table, members, walls)
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
	return &storage.Visibility{User: o.actor.ID, Contact: contact}, true, nil
}

// listVisible decides action on res and runs list, in one read
// transaction, with the visibility that shows the actor only what they
// may see. A portal user with no contact gets nothing.
func (f *Firm) listVisible(ctx context.Context, action access.Action, res access.Resource, list func(storage.Tx, *storage.Visibility) error) error {
	return f.do(ctx, action, res, false, func(o *op, tx storage.Tx) error {
		vis, ok, err := o.visibility(ctx, tx)
		if err != nil || !ok {
			return err
		}
		return list(tx, vis)
	})
}

// caseFacts is what the policy needs of a case.
func caseFacts(c *cases.Case) *access.CaseFacts {
	members := c.Members()
	team := make(map[access.UserID]string, len(members))
	for u, r := range members {
		team[access.UserID(u)] = r
	}
	return &access.CaseFacts{ID: string(c.ID), Client: string(c.Client), Restricted: c.Restricted, Team: team}
}

// Explain says whether user may perform action on res under the firm's
// stored policy (role table, users, walls, the case's team and scope),
// and which rule decides. Explaining needs access.admin, and about a case
// the caller must be able to read it themselves: the answer can reveal
// walls and teams. A case the caller may not read, or that does not
// exist, is denied alike.
func (s *AccessService) Explain(ctx context.Context, user access.UserID, action access.Action, res access.Resource) (access.Decision, error) {
	f := s.f
	var d access.Decision
	denied := access.Resource{Kind: "policy"}
	err := f.run(ctx, access.AccessAdmin, &denied, false, func(o *op, tx storage.Tx) error {
		if err := o.decide(ctx, tx, access.AccessAdmin, denied, nil); err != nil {
			return err
		}
		denied.Case = printable(res.Case)
		p, err := f.policy(ctx, tx)
		if err != nil {
			return err
		}
		var facts *access.CaseFacts
		if res.Case != "" {
			if err := o.decide(ctx, tx, access.CaseRead, access.Resource{Kind: "case", ID: res.Case, Case: res.Case}, nil); err != nil {
				return err
			}
			c, err := tx.Cases().Get(ctx, cases.ID(res.Case))
			if err != nil {
				return err
			}
			facts = caseFacts(&c)
		}
		d = p.Decide(user, action, facts)
		return nil
	})
	if err != nil {
		return access.Decision{}, err
	}
	return d, nil
}
