package storagetest

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/access/accesstest"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// PolicyFixtures is how many random firms testPolicyModel stores and
// questions; DOCKET_POLICY_FIXTURES overrides it.
const PolicyFixtures = 10000

// testPolicyModel stores 10,000 random firms (users with roles, cases with
// teams and scope, walls) side by side in one store, asks the Firm's
// policy, as loaded from the store, questions about each, and compares
// every answer with the brute-force reference model.
func testPolicyModel(t *testing.T, s storage.Store) {
	n := PolicyFixtures
	if v, err := strconv.Atoi(os.Getenv("DOCKET_POLICY_FIXTURES")); err == nil && v > 0 {
		n = v
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d, %d fixtures", seed, n)
	rng := rand.New(rand.NewPCG(seed, 11))
	// Asked on every check: the fixtures are written behind the Firm's back.
	f, ctx, admin := NewFirm(t, s, &docket.Options{PolicyRecheck: -1})
	firms := make([]accesstest.Firm, n)
	for i := range firms {
		firms[i] = accesstest.Random(rng, fmt.Sprintf("f%05d-", i), false)
	}
	const batch = 500
	for start := 0; start < n; start += batch {
		update(t, s, func(tx storage.Tx) error {
			for i := start; i < min(start+batch, n); i++ {
				if err := storeFirm(context.Background(), tx, &firms[i], admin.ID); err != nil {
					return fmt.Errorf("fixture %d: %w", i, err)
				}
			}
			return nil
		})
	}
	// The fixtures were written behind the Firm's back: tell its policy.
	update(t, s, func(tx storage.Tx) error {
		_, err := tx.Counters().Next(context.Background(), "docket.policy")
		return err
	})
	disagreements := 0
	for i := range firms {
		fx := &firms[i]
		for range 2 {
			actor, action, c := fx.Question(rng)
			res := access.Resource{Kind: "user"}
			if c != nil {
				res = access.Resource{Kind: "case", ID: c.ID, Case: c.ID}
			}
			got, err := f.Access.Explain(ctx, actor, action, res)
			if err != nil {
				t.Fatalf("fixture %d: Explain: %v", i, err)
			}
			wantOK, wantRule := fx.Decide(actor, action, c)
			if got.Allowed != wantOK || got.Rule != wantRule {
				disagreements++
				if disagreements <= 5 {
					t.Errorf("fixture %d: %s %s on %+v: store's policy %v (%s: %s), model %v (%s)", i, actor, action, c, got.Allowed, got.Rule, got.Reason, wantOK, wantRule)
				}
			}
		}
	}
	if disagreements > 0 {
		t.Errorf("%d disagreements over %d fixtures", disagreements, n)
	}
}

// testPolicyLists: lists filter inside the store's query. In a store of
// 300 random firms (teams with lead attorneys and case managers, joint
// clients, walls on cases and on clients), every user who may read cases
// at all lists and counts exactly the cases the reference model lets them
// read, client by client, and every user who may read the audit log sees
// the entries about exactly those cases.
func testPolicyLists(t *testing.T, s storage.Store) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 13))
	f, ctx, _ := NewFirm(t, s, &docket.Options{PolicyRecheck: -1})
	_ = ctx
	firms := make([]accesstest.Firm, 300)
	for i := range firms {
		firms[i] = accesstest.Random(rng, fmt.Sprintf("l%03d-", i), false)
	}
	update(t, s, func(tx storage.Tx) error {
		for i := range firms {
			if err := storeFirm(context.Background(), tx, &firms[i], ""); err != nil {
				return err
			}
			for _, c := range firms[i].Cases {
				if err := tx.Audit().Append(context.Background(), audit.Entry{At: base, Actor: fmt.Sprintf("fixture-%03d", i), Action: "case.update",
					ResourceType: "case", ResourceID: c.ID, CaseID: c.ID}); err != nil {
					return err
				}
			}
		}
		_, err := tx.Counters().Next(context.Background(), "docket.policy")
		return err
	})
	entriesSeen := 0
	for i := range firms {
		fx := &firms[i]
		for _, u := range fx.Users {
			if ok, _ := fx.Decide(u.ID, access.AuditRead, nil); !ok {
				continue
			}
			actx := access.WithActor(context.Background(), access.User{ID: u.ID})
			var got, want []string
			opts := &docket.ListOptions{Limit: storage.MaxLimit}
			for {
				page, err := f.Audit.List(actx, docket.AuditFilter{Actor: fmt.Sprintf("fixture-%03d", i)}, opts)
				if err != nil {
					t.Fatalf("fixture %d: %s lists the audit log: %v", i, u.ID, err)
				}
				for _, e := range page.Items {
					got = append(got, e.CaseID)
				}
				if page.Next == "" {
					break
				}
				opts.After = page.Next
			}
			for j := range fx.Cases {
				if ok, _ := fx.Decide(u.ID, access.CaseRead, &fx.Cases[j]); ok {
					want = append(want, fx.Cases[j].ID)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("fixture %d: %s sees audit entries about %v, the model allows %v", i, u.ID, got, want)
			}
			entriesSeen += len(got)
		}
	}
	t.Logf("%d audit entries seen as the model allows", entriesSeen)
	listed := 0
	for i := range firms {
		fx := &firms[i]
		for _, u := range fx.Users {
			if ok, _ := fx.Decide(u.ID, access.CaseRead, nil); !ok {
				continue
			}
			actx := access.WithActor(context.Background(), access.User{ID: u.ID})
			for _, k := range fx.Clients {
				page, err := f.Cases.List(actx, docket.CaseFilter{Client: cases.ContactID(k)}, nil)
				if err != nil {
					t.Fatalf("fixture %d: %s lists %s's cases: %v", i, u.ID, k, err)
				}
				var got, want []string
				for _, c := range page.Items {
					got = append(got, string(c.ID))
				}
				for j := range fx.Cases {
					c := &fx.Cases[j]
					if ok, _ := fx.Decide(u.ID, access.CaseRead, c); ok && c.Client == k {
						want = append(want, c.ID)
					}
				}
				slices.Sort(want)
				if n, err := f.Cases.Count(actx, docket.CaseFilter{Client: cases.ContactID(k)}); err != nil || n != len(want) {
					t.Errorf("fixture %d: %s counts %d cases of client %s (%v), the model allows %d", i, u.ID, n, k, err, len(want))
				}
				if !slices.Equal(got, want) {
					t.Errorf("fixture %d: %s lists %v of client %s, the model allows %v\nuser %+v\ncases %+v\nwalls %+v", i, u.ID, got, k, want, u, fx.Cases, fx.Walls)
				}
				listed++
			}
		}
	}
	t.Logf("%d lists compared", listed)
}

// storeFirm writes one random firm through the repositories.
// explainer, if set, joins every case's team, so that it may explain
// decisions about restricted cases; no fixture user's decision changes.
func storeFirm(ctx context.Context, tx storage.Tx, fx *accesstest.Firm, explainer access.UserID) error {
	for _, m := range fx.Users {
		u := access.User{ID: m.ID, Name: string(m.ID), Email: "u@firm.test", Active: m.Active, Roles: m.Roles, Contact: m.Contact,
			Version: 1, Created: base, Updated: base}
		if err := tx.Users().Create(ctx, u); err != nil {
			return err
		}
	}
	for _, k := range fx.Clients {
		c := cases.Contact{ID: cases.ContactID(k), Kind: cases.Organization, Name: k, Version: 1, Created: base, Updated: base}
		if err := tx.Contacts().Create(ctx, c); err != nil {
			return err
		}
	}
	for i, cf := range fx.Cases {
		c := makeCase(i, cases.ContactID(cf.Client))
		c.ID, c.Reference, c.Restricted, c.LeadAttorney = cases.ID(cf.ID), cf.ID, cf.Restricted, ""
		c.Team = nil
		if explainer != "" {
			c.Team = append(c.Team, cases.TeamMember{User: string(explainer), Role: "explainer"})
		}
		// The team's first members (in a stable order) are the lead
		// attorney and the case manager, so that every way onto a team
		// is exercised.
		members := slices.Sorted(maps.Keys(cf.Team))
		for j, u := range members {
			switch j {
			case 0:
				c.LeadAttorney = string(u)
			case 1:
				c.CaseManager = string(u)
			default:
				c.Team = append(c.Team, cases.TeamMember{User: string(u), Role: cf.Team[u]})
			}
		}
		if err := tx.Cases().Create(ctx, c); err != nil {
			return err
		}
		for j, k := range cf.CoClients {
			p := cases.Party{ID: cases.PartyID(fmt.Sprintf("%s-co%d", cf.ID, j)), Case: c.ID, Contact: cases.ContactID(k), Role: cases.RoleClient,
				Version: 1, Created: base, Updated: base}
			if err := tx.Parties().Create(ctx, p); err != nil {
				return err
			}
		}
	}
	for _, w := range fx.Walls {
		w.CreatedBy, w.Version, w.Created, w.Updated = w.ApprovedBy, 1, base, base
		if err := tx.Walls().Create(ctx, w); err != nil {
			return err
		}
	}
	return nil
}
