package memory

import (
	"slices"

	"github.com/docketkit/docket/audit"
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

// visibleClient reports whether the client passes: no wall screens the
// user from it and, for a portal user, it is their own.
func (sc *screen) visibleClient(client cases.ContactID) bool {
	if sc == nil {
		return true
	}
	if sc.clients[string(client)] {
		return false
	}
	return sc.v.Contact == "" || string(client) == sc.v.Contact
}

// visibleIntake reports whether the intake passes: its prospect is
// visible, and so is the case it became.
func (s *Store) visibleIntake(sc *screen, in *cases.Intake) bool {
	return sc.visibleClient(in.Prospect) && s.visibleCase(sc, string(in.Case))
}

// visibleMeeting reports whether the meeting passes: its contact, case and
// intake are visible.
func (s *Store) visibleMeeting(sc *screen, m *cases.Meeting) bool {
	if !sc.visibleClient(m.Contact) || !s.visibleCase(sc, string(m.Case)) {
		return false
	}
	if m.Intake == "" {
		return true
	}
	in, ok := s.intakes.peek(string(m.Intake))
	return ok && s.visibleIntake(sc, in)
}

// visibleEntry reports whether the audit entry passes: its case, and the
// intake, meeting, conflict check or wall it is about.
func (s *Store) visibleEntry(sc *screen, e *audit.Entry) bool {
	if sc == nil {
		return true
	}
	if sc.v.Contact != "" {
		c, ok := s.cases.peek(e.CaseID)
		if !ok || !sc.visible(c) {
			return false
		}
	} else if !s.visibleCase(sc, e.CaseID) {
		return false
	}
	switch e.ResourceType {
	case storage.KindIntake:
		in, ok := s.intakes.peek(e.ResourceID)
		return !ok || s.visibleIntake(sc, in)
	case storage.KindMeeting:
		m, ok := s.meetings.peek(e.ResourceID)
		return !ok || s.visibleMeeting(sc, m)
	case storage.KindCheck:
		chk, ok := s.checks.peek(e.ResourceID)
		if !ok || chk.Intake == "" {
			return true
		}
		in, ok := s.intakes.peek(string(chk.Intake))
		return !ok || s.visibleIntake(sc, in)
	case storage.KindWall:
		w, ok := s.walls.peek(e.ResourceID)
		return !ok || !slices.Contains(w.Users, sc.v.User)
	}
	return true
}
