package memory

import (
	"slices"

	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// screen applies a storage.Visibility: the walls that name its user are
// gathered once per list.
type screen struct {
	v       *storage.Visibility
	cases   map[string]bool
	clients map[string]bool
}

func (s *Store) screenFor(v *storage.Visibility) *screen {
	if v == nil {
		return nil
	}
	sc := &screen{v: v, cases: map[string]bool{}, clients: map[string]bool{}}
	for _, k := range s.walls.keys {
		w, _ := s.walls.peek(k)
		if !w.Active() || !slices.Contains(w.Users, v.User) {
			continue
		}
		for _, c := range w.Cases {
			sc.cases[c] = true
		}
		for _, c := range w.Clients {
			sc.clients[c] = true
		}
	}
	return sc
}

// visible reports whether the case passes the visibility; a nil screen
// passes everything.
func (sc *screen) visible(c *cases.Case) bool {
	if sc == nil {
		return true
	}
	if sc.cases[string(c.ID)] || sc.clients[string(c.Client)] {
		return false
	}
	if sc.v.Contact != "" {
		return string(c.Client) == sc.v.Contact
	}
	if !c.Restricted {
		return true
	}
	u := string(sc.v.User)
	return c.LeadAttorney == u || c.CaseManager == u || slices.ContainsFunc(c.Team, func(m cases.TeamMember) bool { return m.User == u })
}

// visibleCase reports whether the case with that ID passes: no case, or a
// case that does not exist, passes (nothing of a case can show).
func (s *Store) visibleCase(sc *screen, id string) bool {
	if sc == nil || id == "" {
		return true
	}
	c, ok := s.cases.peek(id)
	if !ok {
		return true
	}
	return sc.visible(c)
}
