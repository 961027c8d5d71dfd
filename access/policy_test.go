package access_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/access/accesstest"
)

// TestPolicyAgainstModel decides random questions on 10,000 random firms
// with both the Policy and the reference model: zero disagreements.
func TestPolicyAgainstModel(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	const fixtures = 10000
	disagreements := 0
	for i := range fixtures {
		f := accesstest.Random(rng, "", true)
		p, err := access.NewPolicy(f.Table, f.Users, f.Walls)
		if err != nil {
			t.Fatalf("fixture %d: %v", i, err)
		}
		for q := range 20 {
			question := f.Question
			if q%4 == 3 {
				question = f.ClientQuestion
			}
			actor, action, c := question(rng)
			got := p.Decide(actor, action, c)
			wantOK, wantRule := f.Decide(actor, action, c)
			if c != nil && !p.ClientBound(actor) {
				// For an actor not bound by clients, the co-clients may be
				// left out of the facts without changing the decision.
				bare := *c
				bare.CoClients = nil
				if d := p.Decide(actor, action, &bare); d != got {
					t.Errorf("fixture %d: %s is not client-bound, but dropping the co-clients changes %+v to %+v", i, actor, got, d)
				}
			}
			if got.Allowed != wantOK || got.Rule != wantRule {
				disagreements++
				if disagreements <= 5 {
					t.Errorf("fixture %d: %s %s on %+v: policy %v (%s: %s), model %v (%s)", i, actor, action, c, got.Allowed, got.Rule, got.Reason, wantOK, wantRule)
				}
			}
		}
	}
	if disagreements > 0 {
		t.Errorf("%d disagreements in %d fixtures", disagreements, fixtures)
	}
}

// TestPolicyRules walks the rules one by one on a small firm.
func TestPolicyRules(t *testing.T) {
	users := []access.Member{
		{ID: "admin", Active: true, Roles: []access.Role{access.Administrator}},
		{ID: "partner", Active: true, Roles: []access.Role{access.Partner}},
		{ID: "alice", Active: true, Roles: []access.Role{access.Attorney}},
		{ID: "gone", Active: false, Roles: []access.Role{access.Attorney}},
		{ID: "sec", Active: true, Roles: []access.Role{access.LegalSecretary}},
		{ID: "aud", Active: true, Roles: []access.Role{access.Auditor}},
		{ID: "maria", Active: true, Roles: []access.Role{access.ClientUser}, Contact: "k-maria"},
	}
	walls := []access.Wall{
		{ID: "w1", Users: []access.UserID{"partner"}, Cases: []string{"open-case"}, Reason: "former opposing counsel", ApprovedBy: "admin"},
		{ID: "w2", Users: []access.UserID{"alice"}, Clients: []string{"k-globex"}, Reason: "lateral hire from Globex's firm", ApprovedBy: "partner"},
	}
	p, err := access.NewPolicy(access.DefaultRoleTable(), users, walls)
	if err != nil {
		t.Fatal(err)
	}
	open := &access.CaseFacts{ID: "open-case", Client: "k-maria"}
	secret := &access.CaseFacts{ID: "secret", Client: "k-x", Restricted: true, Team: map[access.UserID]string{"alice": "lead attorney"}}
	globex := &access.CaseFacts{ID: "globex-case", Client: "k-globex", Team: map[access.UserID]string{"alice": "lead attorney"}}
	tests := []struct {
		actor  access.UserID
		action access.Action
		facts  *access.CaseFacts
		allow  bool
		rule   string
	}{
		{"alice", access.CaseRead, open, true, "role"},
		{"alice", access.CaseAdvance, open, true, "role"},
		{"partner", access.CaseRead, open, false, "wall"},       // a wall beats a partner
		{"partner", access.CaseBreakGlass, open, false, "wall"}, // and break-glass
		{"alice", access.CaseRead, globex, false, "wall"},       // a wall on the client covers its cases, team or not
		{"alice", access.CaseRead, secret, true, "team"},        // restricted, on the team
		{"sec", access.CaseRead, secret, false, "restricted"},   // restricted, not on the team
		{"admin", access.CaseRead, secret, false, "restricted"}, // managing access is not reading
		{"admin", access.CaseBreakGlass, secret, false, "no-role"},
		{"partner", access.CaseBreakGlass, secret, true, "role"}, // the audited way in
		{"admin", access.AccessAdmin, nil, true, "role"},
		{"alice", access.AccessAdmin, nil, false, "no-role"},
		{"aud", access.AuditRead, nil, true, "role"},
		{"aud", access.CaseWrite, open, false, "no-role"},
		{"sec", access.ConflictDecide, nil, false, "no-role"},
		{"gone", access.CaseRead, open, false, "inactive"},
		{"nobody", access.CaseRead, open, false, "inactive"},
		{"maria", access.CaseRead, open, true, "client-own-cases"},
		{"maria", access.CaseRead, globex, false, "client-own-cases"},
		{"maria", access.CaseWrite, open, false, "no-role"},
		{"maria", access.CaseRead, nil, true, "client-own-cases"}, // her list, filtered to her cases
		// A client's records outside any case (an intake, a meeting) carry
		// only the client: a wall on the client covers them too.
		{"alice", access.IntakeRead, &access.CaseFacts{Client: "k-globex"}, false, "wall"},
		{"alice", access.IntakeRead, &access.CaseFacts{Client: "k-maria"}, true, "role"},
	}
	// A role table that grants the client role more changes nothing: a
	// portal user only ever reads their own cases.
	generous := access.DefaultRoleTable()
	generous.Grants[access.ClientUser] = append(generous.Grants[access.ClientUser], access.AuditRead, access.IntakeRead, access.CaseWrite)
	gp, err := access.NewPolicy(generous, users, walls)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []access.Action{access.AuditRead, access.IntakeRead, access.CaseWrite} {
		for _, facts := range []*access.CaseFacts{nil, open} {
			if d := gp.Decide("maria", a, facts); d.Allowed || d.Rule != "client-own-cases" {
				t.Errorf("maria %s on %+v under a generous table: %v by %q, want denied by client-own-cases", a, facts, d.Allowed, d.Rule)
			}
		}
	}
	for _, tt := range tests {
		d := p.Decide(tt.actor, tt.action, tt.facts)
		if d.Allowed != tt.allow || d.Rule != tt.rule || d.Reason == "" {
			t.Errorf("%s %s: %v by %q (%s), want %v by %q", tt.actor, tt.action, d.Allowed, d.Rule, d.Reason, tt.allow, tt.rule)
		}
	}
}

func TestRoleTableValidate(t *testing.T) {
	good := access.DefaultRoleTable()
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(*access.RoleTable){
		"unknown action":           func(r *access.RoleTable) { r.Grants[access.Attorney] = append(r.Grants[access.Attorney], "case.fly") },
		"bad role name":            func(r *access.RoleTable) { r.Grants["Senior Partner"] = nil },
		"administrator locked out": func(r *access.RoleTable) { r.Grants[access.Administrator] = []access.Action{access.CaseRead} },
		"administrator breaks glass": func(r *access.RoleTable) {
			r.Grants[access.Administrator] = append(r.Grants[access.Administrator], access.CaseBreakGlass)
		},
		"partner manages access": func(r *access.RoleTable) {
			r.Grants[access.Partner] = append(r.Grants[access.Partner], access.AccessAdmin)
		},
	} {
		r := access.DefaultRoleTable()
		mod(&r)
		if err := r.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := access.NewPolicy(access.DefaultRoleTable(), []access.Member{{ID: "u", Roles: []access.Role{"wizard"}}}, nil); err == nil {
		t.Error("a user with an undefined role was accepted")
	}
}

// BenchmarkDecide: one check against a policy with 100 and with 100,000
// users, team grants and walls, reported side by side with their ratio.
// Each case has a co-client, so the wall lookups cover both.
func BenchmarkDecide(b *testing.B) {
	build := func(n int) (*access.Policy, []access.CaseFacts) {
		var users []access.Member
		var walls []access.Wall
		cs := make([]access.CaseFacts, 0, 1000)
		for i := range n {
			users = append(users, access.Member{ID: access.UserID(fmt.Sprintf("u%d", i)), Active: true, Roles: []access.Role{access.Attorney}})
			walls = append(walls, access.Wall{ID: fmt.Sprintf("w%d", i), Users: []access.UserID{access.UserID(fmt.Sprintf("u%d", (i*7)%n))},
				Cases: []string{fmt.Sprintf("c%d", i)}, Clients: []string{fmt.Sprintf("k%d", i)}})
		}
		for i := range 1000 {
			team := map[access.UserID]string{}
			for j := range n / 1000 {
				team[access.UserID(fmt.Sprintf("u%d", (i+j*1000)%n))] = "member"
			}
			cs = append(cs, access.CaseFacts{ID: fmt.Sprintf("c%d", i*(n/1000)+1), Client: fmt.Sprintf("k%d", i), Restricted: i%2 == 0, Team: team,
				CoClients: []string{fmt.Sprintf("k%d", (i*31)%n)}})
		}
		p, err := access.NewPolicy(access.DefaultRoleTable(), users, walls)
		if err != nil {
			b.Fatal(err)
		}
		return p, cs
	}
	small, smallCases := build(100)
	large, largeCases := build(100_000)
	// Actors are drawn from the whole population, so the large policy's
	// lookups do not stay in a warm corner of its maps.
	actors := func(n int) []access.UserID {
		out := make([]access.UserID, 4096)
		for i := range out {
			out[i] = access.UserID(fmt.Sprintf("u%d", (i*7919)%n))
		}
		return out
	}
	smallActors, largeActors := actors(100), actors(100_000)
	var smallT, largeT time.Duration
	allowed := 0
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		d1 := small.Decide(smallActors[i%len(smallActors)], access.CaseRead, &smallCases[(i*13)%len(smallCases)])
		t1 := time.Now()
		d2 := large.Decide(largeActors[i%len(largeActors)], access.CaseRead, &largeCases[(i*13)%len(largeCases)])
		t2 := time.Now()
		smallT += t1.Sub(t0)
		largeT += t2.Sub(t1)
		if d1.Allowed {
			allowed++
		}
		if d2.Allowed {
			allowed++
		}
	}
	b.ReportMetric(float64(smallT.Nanoseconds())/float64(b.N), "ns/check-100")
	b.ReportMetric(float64(largeT.Nanoseconds())/float64(b.N), "ns/check-100k")
	b.ReportMetric(float64(largeT)/float64(smallT), "x-large/small")
	_ = allowed
}

// TestManyWallsPerMember: a user named in many walls (past the few kept
// in a short list) is screened from every case and client they name.
func TestManyWallsPerMember(t *testing.T) {
	users := []access.Member{{ID: "lara", Active: true, Roles: []access.Role{access.Partner}}}
	var walls []access.Wall
	for i := range 20 {
		walls = append(walls, access.Wall{ID: fmt.Sprintf("w%d", i), Users: []access.UserID{"lara"},
			Cases: []string{fmt.Sprintf("c%d", i)}, Clients: []string{fmt.Sprintf("k%d", i)}})
	}
	for _, n := range []int{1, 4, 20} { // few, at the limit, past it
		p, err := access.NewPolicy(access.DefaultRoleTable(), users, walls[:n])
		if err != nil {
			t.Fatal(err)
		}
		model := accesstest.Firm{Table: access.DefaultRoleTable(), Users: users, Walls: walls[:n]}
		for _, facts := range []access.CaseFacts{
			{ID: "c0", Client: "kx"}, {ID: fmt.Sprintf("c%d", n-1), Client: "kx"}, {ID: "c99", Client: "kx"},
			{ID: "cx", Client: fmt.Sprintf("k%d", n-1)}, {ID: "cx", Client: "kx", CoClients: []string{"ky", fmt.Sprintf("k%d", n/2)}},
			{ID: "cx", Client: "kx", CoClients: []string{"ky"}},
		} {
			got := p.Decide("lara", access.CaseRead, &facts)
			want, rule := model.Decide("lara", access.CaseRead, &facts)
			if got.Allowed != want || got.Rule != rule {
				t.Errorf("%d walls, %+v: %v (%s), model %v (%s)", n, facts, got.Allowed, got.Rule, want, rule)
			}
		}
	}
}
