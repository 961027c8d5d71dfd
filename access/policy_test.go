package access_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/docketkit/docket/access"
)

// model is a brute-force reference of the policy, written apart from the
// indexed Policy: it scans every wall, user and role for each decision.
type model struct {
	table access.RoleTable
	users []access.Member
	walls []access.Wall
}

func (m *model) decide(actor access.UserID, action access.Action, c *access.CaseFacts) (bool, string) {
	if c != nil {
		for _, w := range m.walls {
			if !slices.Contains(w.Users, actor) {
				continue
			}
			if slices.Contains(w.Cases, c.ID) || (c.Client != "" && slices.Contains(w.Clients, c.Client)) {
				return false, "wall"
			}
		}
	}
	var u *access.Member
	for i := range m.users {
		if m.users[i].ID == actor {
			u = &m.users[i]
		}
	}
	if u == nil || !u.Active {
		return false, "inactive"
	}
	granted := false
	for _, r := range u.Roles {
		if slices.Contains(m.table.Grants[r], action) {
			granted = true
		}
	}
	if !granted {
		return false, "no-role"
	}
	if c == nil {
		return true, "role"
	}
	clientOnly := len(u.Roles) > 0
	for _, r := range u.Roles {
		if r != access.ClientUser {
			clientOnly = false
		}
	}
	if clientOnly {
		return action == access.CaseRead && u.Contact != "" && u.Contact == c.Client, "client-own-cases"
	}
	if c.Restricted && action != access.CaseBreakGlass {
		if _, ok := c.Team[actor]; ok {
			return true, "team"
		}
		return false, "restricted"
	}
	return true, "role"
}

// TestPolicyAgainstModel decides random questions on 10,000 random firms
// with both the Policy and the reference model: zero disagreements.
func TestPolicyAgainstModel(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	roles := access.DefaultRoleTable().Roles()
	const fixtures = 10000
	disagreements := 0
	for f := range fixtures {
		m := randomFirm(rng, roles)
		p, err := access.NewPolicy(m.table, m.users, m.walls)
		if err != nil {
			t.Fatalf("fixture %d: %v", f, err)
		}
		cs := randomCases(rng, m.users)
		for range 20 {
			actor := access.UserID(fmt.Sprintf("u%d", rng.IntN(len(m.users)+2))) // now and then an unknown user
			action := access.Actions[rng.IntN(len(access.Actions))]
			var c *access.CaseFacts
			if rng.IntN(5) > 0 {
				c = &cs[rng.IntN(len(cs))]
			}
			got := p.Decide(actor, action, c)
			wantOK, wantRule := m.decide(actor, action, c)
			if got.Allowed != wantOK || got.Rule != wantRule {
				disagreements++
				if disagreements <= 5 {
					t.Errorf("fixture %d: %s %s on %+v: policy %v (%s: %s), model %v (%s)", f, actor, action, c, got.Allowed, got.Rule, got.Reason, wantOK, wantRule)
				}
			}
		}
	}
	if disagreements > 0 {
		t.Errorf("%d disagreements in %d fixtures", disagreements, fixtures)
	}
}

func randomFirm(rng *rand.Rand, roles []access.Role) *model {
	m := &model{table: access.DefaultRoleTable()}
	// Now and then the firm has changed its table.
	if rng.IntN(4) == 0 {
		r := roles[rng.IntN(len(roles))]
		a := access.Actions[rng.IntN(len(access.Actions))]
		if !slices.Contains(m.table.Grants[r], a) {
			m.table.Grants[r] = append(m.table.Grants[r], a)
		}
	}
	n := 1 + rng.IntN(8)
	for i := range n {
		u := access.Member{ID: access.UserID(fmt.Sprintf("u%d", i)), Active: rng.IntN(8) > 0}
		for _, r := range roles {
			if rng.IntN(len(roles)) == 0 {
				u.Roles = append(u.Roles, r)
			}
		}
		if rng.IntN(3) == 0 {
			u.Contact = fmt.Sprintf("k%d", rng.IntN(4))
		}
		m.users = append(m.users, u)
	}
	for w := range rng.IntN(4) {
		wall := access.Wall{ID: fmt.Sprintf("w%d", w), Reason: "lateral hire", ApprovedBy: "u0"}
		for range 1 + rng.IntN(3) {
			wall.Users = append(wall.Users, access.UserID(fmt.Sprintf("u%d", rng.IntN(n+1))))
		}
		for range rng.IntN(3) {
			wall.Cases = append(wall.Cases, fmt.Sprintf("c%d", rng.IntN(6)))
		}
		if len(wall.Cases) == 0 || rng.IntN(2) == 0 {
			wall.Clients = append(wall.Clients, fmt.Sprintf("k%d", rng.IntN(4)))
		}
		m.walls = append(m.walls, wall)
	}
	return m
}

func randomCases(rng *rand.Rand, users []access.Member) []access.CaseFacts {
	var cs []access.CaseFacts
	for i := range 6 {
		c := access.CaseFacts{ID: fmt.Sprintf("c%d", i), Client: fmt.Sprintf("k%d", rng.IntN(4)), Restricted: rng.IntN(2) == 0, Team: map[access.UserID]string{}}
		for _, u := range users {
			if rng.IntN(3) == 0 {
				c.Team[u.ID] = "member"
			}
		}
		cs = append(cs, c)
	}
	return cs
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
			cs = append(cs, access.CaseFacts{ID: fmt.Sprintf("c%d", i*(n/1000)+1), Client: fmt.Sprintf("k%d", i), Restricted: i%2 == 0, Team: team})
		}
		p, err := access.NewPolicy(access.DefaultRoleTable(), users, walls)
		if err != nil {
			b.Fatal(err)
		}
		return p, cs
	}
	small, smallCases := build(100)
	large, largeCases := build(100_000)
	var smallT, largeT time.Duration
	allowed := 0
	for i := range b.N {
		actor := access.UserID(fmt.Sprintf("u%d", i%100))
		t0 := time.Now()
		d1 := small.Decide(actor, access.CaseRead, &smallCases[i%len(smallCases)])
		t1 := time.Now()
		d2 := large.Decide(actor, access.CaseRead, &largeCases[i%len(largeCases)])
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
