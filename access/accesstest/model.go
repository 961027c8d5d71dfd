package accesstest

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/docketkit/docket/access"
)

// Firm is a random firm's access configuration.
type Firm struct {
	Table access.RoleTable
	Users []access.Member
	Walls []access.Wall
	Cases []access.CaseFacts
	// Clients are the contact IDs the cases' clients are drawn from.
	Clients []string
}

// Random returns a random firm whose IDs all start with prefix, so that
// many firms can share one store. With varyTable, one time in four the
// role table grants one role one more action.
func Random(rng *rand.Rand, prefix string, varyTable bool) Firm {
	f := Firm{Table: access.DefaultRoleTable()}
	roles := f.Table.Roles()
	if varyTable && rng.IntN(4) == 0 {
		r := roles[rng.IntN(len(roles))]
		a := access.Actions[rng.IntN(len(access.Actions))]
		if !slices.Contains(f.Table.Grants[r], a) {
			f.Table.Grants[r] = append(f.Table.Grants[r], a)
			if f.Table.Validate() != nil { // a grant no valid table holds
				f.Table.Grants[r] = f.Table.Grants[r][:len(f.Table.Grants[r])-1]
			}
		}
	}
	for i := range 4 {
		f.Clients = append(f.Clients, fmt.Sprintf("%sk%d", prefix, i))
	}
	n := 1 + rng.IntN(8)
	for i := range n {
		u := access.Member{ID: access.UserID(fmt.Sprintf("%su%d", prefix, i)), Active: rng.IntN(8) > 0}
		for _, r := range roles {
			if rng.IntN(len(roles)) == 0 {
				u.Roles = append(u.Roles, r)
			}
		}
		if rng.IntN(3) == 0 {
			u.Contact = f.Clients[rng.IntN(len(f.Clients))]
		}
		f.Users = append(f.Users, u)
	}
	for i := range 6 {
		c := access.CaseFacts{ID: fmt.Sprintf("%sc%d", prefix, i), Client: f.Clients[rng.IntN(len(f.Clients))],
			Restricted: rng.IntN(2) == 0, Team: map[access.UserID]string{}}
		for _, k := range f.Clients {
			if k != c.Client && rng.IntN(6) == 0 {
				c.CoClients = append(c.CoClients, k) // joint representation
			}
		}
		for _, u := range f.Users {
			if rng.IntN(3) == 0 {
				c.Team[u.ID] = "member"
			}
		}
		f.Cases = append(f.Cases, c)
	}
	for w := range rng.IntN(4) {
		wall := access.Wall{ID: fmt.Sprintf("%sw%d", prefix, w), Reason: "screened", ApprovedBy: f.Users[0].ID}
		for _, u := range f.Users {
			if rng.IntN(3) == 0 {
				wall.Users = append(wall.Users, u.ID)
			}
		}
		if len(wall.Users) == 0 {
			wall.Users = []access.UserID{f.Users[rng.IntN(n)].ID}
		}
		for _, c := range f.Cases {
			if rng.IntN(4) == 0 {
				wall.Cases = append(wall.Cases, c.ID)
			}
		}
		for _, k := range f.Clients {
			if rng.IntN(5) == 0 || len(wall.Cases) == 0 && len(wall.Clients) == 0 {
				wall.Clients = append(wall.Clients, k)
			}
		}
		f.Walls = append(f.Walls, wall)
	}
	return f
}

// Question returns a random question: an actor (now and then one who is
// not a user), an action, and a case (or none).
func (f *Firm) Question(rng *rand.Rand) (access.UserID, access.Action, *access.CaseFacts) {
	actor := access.UserID(fmt.Sprintf("nobody-%d", rng.IntN(1000)))
	if rng.IntN(10) > 0 {
		actor = f.Users[rng.IntN(len(f.Users))].ID
	}
	action := access.Actions[rng.IntN(len(access.Actions))]
	var c *access.CaseFacts
	if rng.IntN(5) > 0 {
		c = &f.Cases[rng.IntN(len(f.Cases))]
	}
	return actor, action, c
}

// ClientQuestion returns a random question about a record that belongs to
// a client but to no case (yet): an intake, a meeting. Its facts name only
// the client.
func (f *Firm) ClientQuestion(rng *rand.Rand) (access.UserID, access.Action, *access.CaseFacts) {
	actor, action, _ := f.Question(rng)
	return actor, action, &access.CaseFacts{Client: f.Clients[rng.IntN(len(f.Clients))]}
}

// Decide is the reference decision: it scans every wall, user and role,
// written apart from access.Policy's indexes. It returns whether the
// action is allowed and the rule that decided.
func (f *Firm) Decide(actor access.UserID, action access.Action, c *access.CaseFacts) (bool, string) {
	if c != nil {
		for _, w := range f.Walls {
			if !w.Active() || !slices.Contains(w.Users, actor) {
				continue
			}
			if slices.Contains(w.Cases, c.ID) || (c.Client != "" && slices.Contains(w.Clients, c.Client)) {
				return false, "wall"
			}
			for _, k := range c.CoClients {
				if slices.Contains(w.Clients, k) {
					return false, "wall"
				}
			}
		}
	}
	var u *access.Member
	for i := range f.Users {
		if f.Users[i].ID == actor {
			u = &f.Users[i]
		}
	}
	if u == nil || !u.Active {
		return false, "inactive"
	}
	granted := false
	for _, r := range u.Roles {
		if slices.Contains(f.Table.Grants[r], action) {
			granted = true
		}
	}
	if !granted {
		return false, "no-role"
	}
	clientOnly := len(u.Roles) > 0
	for _, r := range u.Roles {
		if r != access.ClientUser {
			clientOnly = false
		}
	}
	if clientOnly {
		return access.PortalAllows(action) && u.Contact != "" && (c == nil || u.Contact == c.Client || slices.Contains(c.CoClients, u.Contact)), "client-own-cases"
	}
	if c == nil {
		return true, "role"
	}
	if c.Restricted && action != access.CaseBreakGlass {
		if _, ok := c.Team[actor]; ok {
			return true, "team"
		}
		return false, "restricted"
	}
	return true, "role"
}
