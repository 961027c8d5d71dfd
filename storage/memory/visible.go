package memory

import (
	"slices"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// screen applies a storage.Visibility: the walls that name its user, and
// every case's co-clients, are gathered once per list.
type screen struct {
	v         *storage.Visibility
	cases     map[string]bool
	clients   map[string]bool
	coClients map[cases.ID][]cases.ContactID
	// purgedDocs maps each purged document to its case, from the log's
	// purge entries; built when first needed.
	purgedDocs map[string]string
}

// purged returns the documents the log records a purge of, with their
// cases.
func (s *Store) purged(sc *screen) map[string]string {
	if sc.purgedDocs == nil {
		sc.purgedDocs = map[string]string{}
		for i := range s.audit {
			if e := &s.audit[i]; e.ResourceType == storage.KindDocument && e.Action == storage.DocumentPurged {
				sc.purgedDocs[e.ResourceID] = e.CaseID
			}
		}
	}
	return sc.purgedDocs
}

func (s *Store) screenFor(v *storage.Visibility) *screen {
	if v == nil {
		return nil
	}
	sc := &screen{v: v, cases: map[string]bool{}, clients: map[string]bool{}, coClients: map[cases.ID][]cases.ContactID{}}
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
	for _, k := range s.parties.keys {
		p, _ := s.parties.peek(k)
		if p.Role == cases.RoleClient {
			sc.coClients[p.Case] = append(sc.coClients[p.Case], p.Contact)
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
	co := sc.coClients[c.ID]
	if sc.cases[string(c.ID)] || sc.clients[string(c.Client)] || slices.ContainsFunc(co, func(k cases.ContactID) bool { return sc.clients[string(k)] }) {
		return false
	}
	if sc.v.Contact != "" {
		return string(c.Client) == sc.v.Contact || slices.Contains(co, cases.ContactID(sc.v.Contact))
	}
	if !c.Restricted {
		return true
	}
	return onTeam(c, string(sc.v.User))
}

// onTeam reports whether the user is the case's lead attorney, its case
// manager or on its team.
func onTeam(c *cases.Case, u string) bool {
	return c.LeadAttorney == u || c.CaseManager == u || slices.ContainsFunc(c.Team, func(m cases.TeamMember) bool { return m.User == u })
}

// visibleCase reports whether the case with that ID passes: no case
// passes; a case that does not exist does not (so that nothing tells a
// missing case from a hidden one).
func (s *Store) visibleCase(sc *screen, id string) bool {
	if sc == nil || id == "" {
		return true
	}
	c, ok := s.cases.peek(id)
	return ok && sc.visible(c)
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

// visibleIntakeRef reports whether the intake with that ID passes: no
// intake, or a visible one that exists.
func (s *Store) visibleIntakeRef(sc *screen, id cases.IntakeID) bool {
	if id == "" {
		return true
	}
	in, ok := s.intakes.peek(string(id))
	return ok && s.visibleIntake(sc, in)
}

// visibleMeeting reports whether the meeting passes: its contact, case and
// intake are visible.
func (s *Store) visibleMeeting(sc *screen, m *cases.Meeting) bool {
	return sc.visibleClient(m.Contact) && s.visibleCase(sc, string(m.Case)) && s.visibleIntakeRef(sc, m.Intake)
}

// visibleCheck reports whether the conflict check passes: its client, case
// and intake are visible.
func (s *Store) visibleCheck(sc *screen, c *cases.ConflictCheck) bool {
	for _, k := range c.Clients {
		if !sc.visibleClient(k) {
			return false
		}
	}
	return s.visibleCase(sc, string(c.Case)) && s.visibleIntakeRef(sc, c.Intake)
}

// visibleWall reports whether the wall passes: it names neither the user
// nor a case or client hidden from them.
func (s *Store) visibleWall(sc *screen, w *access.Wall) bool {
	if sc == nil {
		return true
	}
	if slices.Contains(w.Users, sc.v.User) {
		return false
	}
	for _, c := range w.Cases {
		if !s.visibleCase(sc, c) {
			return false
		}
	}
	for _, k := range w.Clients {
		if !sc.visibleClient(cases.ContactID(k)) {
			return false
		}
	}
	return true
}

// visibleEntry reports whether the audit entry passes: the case it names
// exists and is visible, and so does the intake, meeting, conflict check,
// wall or referenced case it is about.
func (s *Store) visibleEntry(sc *screen, e *audit.Entry) bool {
	if sc == nil {
		return true
	}
	if sc.v.Contact != "" && e.CaseID == "" || !s.visibleCase(sc, e.CaseID) {
		return false
	}
	switch e.ResourceType {
	case storage.KindIntake:
		in, ok := s.intakes.peek(e.ResourceID)
		return ok && s.visibleIntake(sc, in)
	case storage.KindMeeting:
		m, ok := s.meetings.peek(e.ResourceID)
		return ok && s.visibleMeeting(sc, m)
	case storage.KindCheck:
		c, ok := s.checks.peek(e.ResourceID)
		return ok && s.visibleCheck(sc, c)
	case storage.KindWall:
		w, ok := s.walls.peek(e.ResourceID)
		return ok && s.visibleWall(sc, w)
	case storage.KindEvent:
		x, ok := s.events.peek(e.ResourceID)
		return ok && s.visibleCase(sc, string(x.Case)) && x.Case != ""
	case storage.KindDeadline:
		x, ok := s.deadlines.peek(e.ResourceID)
		return ok && s.visibleCase(sc, string(x.Case)) && x.Case != ""
	case storage.KindTrigger:
		x, ok := s.triggers.peek(e.ResourceID)
		return ok && s.visibleCase(sc, string(x.Case)) && x.Case != ""
	case storage.KindAlert:
		x, ok := s.alerts.peek(e.ResourceID)
		return ok && s.visibleCase(sc, string(x.Case)) && x.Case != ""
	case storage.KindDocument:
		x, ok := s.documents.peek(e.ResourceID)
		if !ok {
			// Purged (its purge on record): its entries show where its
			// case does, to those who read every document on it (staff
			// allowed privileged material, and the case's team).
			c, ok := s.cases.peek(e.CaseID)
			return ok && sc.v.Contact == "" && s.purged(sc)[e.ResourceID] == e.CaseID &&
				(sc.v.Privileged || onTeam(c, string(sc.v.User)))
		}
		return s.visibleDocument(sc, x)
	case storage.KindHold:
		x, ok := s.holds.peek(e.ResourceID)
		return ok && s.visibleCase(sc, string(x.Case))
	case storage.KindContact:
		return !sc.clients[e.ResourceID]
	case storage.KindMessage:
		x, ok := s.messages.peek(e.ResourceID)
		return ok && s.visibleMessage(sc, x)
	case storage.KindReference:
		for _, k := range s.cases.keys {
			if c, _ := s.cases.peek(k); c.Reference == e.ResourceID {
				return sc.visible(c)
			}
		}
		return false
	}
	return true
}
