package access

import (
	"errors"
	"fmt"
	"hash/maphash"
	"maps"
	"slices"
	"strings"
	"time"
)

// Role is a set of permissions a user holds firm-wide.
type Role string

// The built-in roles.
const (
	Administrator  Role = "administrator"   // runs the system: users, roles, walls; not a reader of restricted cases
	Partner        Role = "partner"         // full practice rights, approves walls, may break glass
	Attorney       Role = "attorney"        // works cases, decides conflict checks
	CaseManager    Role = "case-manager"    // a paralegal who runs cases under an attorney
	LegalSecretary Role = "legal-secretary" // reads cases, keeps contacts and intake
	Auditor        Role = "auditor"         // reads everything they may see, the audit log included; changes nothing
	ClientUser     Role = "client"          // an external portal user: reads only their own cases
	Dispatcher     Role = "dispatcher"      // a service account that delivers alerts; nothing else
)

// Actions beyond the foundation's, for administering access.
const (
	// CaseBreakGlass reads a restricted case without being on its team,
	// with a stated reason that is audited. Walls still win.
	CaseBreakGlass Action = "case.break-glass"
	// WallAdmin erects and lifts ethical walls.
	WallAdmin Action = "access.wall"
	// ConflictRead reads conflict checks and their hits.
	ConflictRead Action = "conflict.read"
	// CaseScope changes who may see a case: its restricted flag, its lead
	// attorney, case manager and team. case.write alone does not.
	CaseScope Action = "case.scope"
	// CalendarRead reads a case's events and deadlines; CalendarWrite
	// schedules, moves and resolves them and records triggers.
	CalendarRead  Action = "calendar.read"
	CalendarWrite Action = "calendar.write"
	// CourtAdmin keeps the firm's courts: time zones, holiday calendars,
	// closures and filing cutoffs, and the firm's reminder defaults.
	CourtAdmin Action = "court.admin"
	// CalendarDispatch runs the alert dispatcher, which reads every due
	// alert of the firm, walled matters' included, and hands them to the
	// caller's Notifier: it belongs to a service account, never a person.
	CalendarDispatch Action = "calendar.dispatch"
	// DocumentRead reads a case's documents, their versions and content,
	// and finds them by search; DocumentWrite creates them, adds versions,
	// checks them out and in, assembles them from templates, edits their
	// details and deletes or restores them.
	DocumentRead  Action = "document.read"
	DocumentWrite Action = "document.write"
	// DocumentPrivileged reads privileged documents and correspondence on
	// every case the user may read; without it, only on cases whose team
	// the user is on.
	DocumentPrivileged Action = "document.privileged"
	// DocumentUnlock breaks another user's check-out, with a reason. A
	// case's lead attorney may break locks on the case's documents with
	// document.write alone.
	DocumentUnlock Action = "document.unlock"
	// DocumentHold places and releases legal holds.
	DocumentHold Action = "document.hold"
	// DocumentPurge applies the retention policy: it purges deleted
	// documents no hold covers once their period has passed, and checks
	// stored content against its hashes.
	DocumentPurge Action = "document.purge"
	// TemplateAdmin keeps the firm's document templates.
	TemplateAdmin Action = "template.admin"
	// DocumentShare shares a document with the client through the portal,
	// or stops sharing it: a disclosure decision, beyond document.write.
	// Clearing a document's privileged flag needs document.privileged.
	DocumentShare Action = "document.share"
	// CorrespondenceRead reads the correspondence record of the cases a
	// user may read: case timelines, threads, clients' contact histories,
	// attachments and originals. Privileged messages follow
	// document.privileged, as privileged documents do.
	CorrespondenceRead Action = "correspondence.read"
	// CorrespondenceWrite records messages (calls, letters, meetings ...),
	// imports email, amends what was recorded and flags it privileged or
	// confidential.
	CorrespondenceWrite Action = "correspondence.write"
	// CorrespondenceFile reads the unfiled queue (imported messages that
	// named no case) and files its messages on cases.
	CorrespondenceFile Action = "correspondence.file"
)

// Actions lists every action a role may be granted, in a stable order.
var Actions = []Action{
	CaseRead, CaseCreate, CaseWrite, CaseAdvance, CaseScope, CaseBreakGlass,
	ContactRead, ContactWrite, IntakeRead, IntakeWrite,
	ConflictRun, ConflictRead, ConflictDecide,
	CalendarRead, CalendarWrite, CourtAdmin, CalendarDispatch,
	DocumentRead, DocumentWrite, DocumentPrivileged, DocumentShare, DocumentUnlock, DocumentHold, DocumentPurge, TemplateAdmin,
	CorrespondenceRead, CorrespondenceWrite, CorrespondenceFile,
	UserRead, AccessAdmin, WallAdmin, AuditRead,
}

// RoleTable is the role–permission table. It is data: administrators
// change it through the Firm, and every change is a new version.
type RoleTable struct {
	Version int64
	Grants  map[Role][]Action
}

// DefaultRoleTable returns the built-in roles' permissions.
func DefaultRoleTable() RoleTable {
	practice := []Action{CaseRead, CaseCreate, CaseWrite, CaseAdvance, ContactRead, ContactWrite, IntakeRead, IntakeWrite, ConflictRun, ConflictRead,
		CalendarRead, CalendarWrite, DocumentRead, DocumentWrite, CorrespondenceRead, CorrespondenceWrite, UserRead}
	return RoleTable{Version: 1, Grants: map[Role][]Action{
		Administrator: {CaseRead, ContactRead, IntakeRead, ConflictRead, CalendarRead, UserRead, AccessAdmin, WallAdmin, CourtAdmin, AuditRead,
			DocumentUnlock, DocumentHold, DocumentPurge, TemplateAdmin},
		Partner: append(slices.Clone(practice), ConflictDecide, CaseScope, CaseBreakGlass, WallAdmin, CourtAdmin, AuditRead,
			DocumentPrivileged, DocumentShare, DocumentUnlock, DocumentHold, TemplateAdmin, CorrespondenceFile),
		Attorney:       append(slices.Clone(practice), ConflictDecide, CaseScope, DocumentPrivileged, DocumentShare, CorrespondenceFile),
		CaseManager:    append(slices.Clone(practice), CourtAdmin, TemplateAdmin, DocumentShare, CorrespondenceFile),
		LegalSecretary: {CaseRead, ContactRead, ContactWrite, IntakeRead, IntakeWrite, CalendarRead, CalendarWrite, DocumentRead, DocumentWrite, CorrespondenceRead, CorrespondenceWrite, UserRead},
		Auditor:        {CaseRead, ContactRead, IntakeRead, ConflictRead, CalendarRead, DocumentRead, CorrespondenceRead, UserRead, AuditRead},
		ClientUser:     {CaseRead, DocumentRead, CorrespondenceRead},
		Dispatcher:     {CalendarDispatch},
	}}
}

// ErrInvalidPolicy is wrapped by errors in a role table, wall or team.
var ErrInvalidPolicy = errors.New("invalid access policy")

// Validate checks that every role is named and grants only known actions.
func (t *RoleTable) Validate() error {
	for role, actions := range t.Grants {
		if !validName(string(role)) {
			return fmt.Errorf("role table: role %q must be lower-case letters, digits and hyphens: %w", role, ErrInvalidPolicy)
		}
		for _, a := range actions {
			if !slices.Contains(Actions, a) {
				return fmt.Errorf("role table: role %s grants unknown action %q: %w", role, a, ErrInvalidPolicy)
			}
		}
	}
	if _, ok := t.Grants[Administrator]; !ok || !slices.Contains(t.Grants[Administrator], AccessAdmin) {
		return fmt.Errorf("role table: the administrator role must keep %s, or nobody could change the table again: %w", AccessAdmin, ErrInvalidPolicy)
	}
	for _, role := range slices.Sorted(maps.Keys(t.Grants)) {
		if slices.Contains(t.Grants[role], AccessAdmin) && slices.Contains(t.Grants[role], CaseBreakGlass) {
			return fmt.Errorf("role table: role %s grants both %s and %s: whoever manages access must not thereby read restricted cases: %w", role, AccessAdmin, CaseBreakGlass, ErrInvalidPolicy)
		}
	}
	return nil
}

func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// Member is what the policy knows of a user.
type Member struct {
	ID     UserID
	Active bool
	Roles  []Role
	// Contact is the contact a client portal user is: they read only the
	// cases whose client that contact is.
	Contact string
}

// Wall screens users from cases: named cases, and every case of named
// clients. It beats every grant, administrators' and partners' included.
// There is no limit on how many users, cases or clients one wall names.
type Wall struct {
	ID      string
	Users   []UserID
	Cases   []string // case IDs
	Clients []string // contact IDs: every case of these clients
	Reason  string
	// ApprovedBy is the partner or administrator who approved the wall.
	ApprovedBy UserID
	// CreatedBy is who recorded it.
	CreatedBy UserID
	// Lifted is when the wall was lifted, with who lifted it and why; a
	// lifted wall screens nobody but stays on the record.
	Lifted     time.Time
	LiftedBy   UserID
	LiftReason string
	Version    int64
	Created    time.Time
	Updated    time.Time
}

// Active reports whether the wall still screens its users.
func (w *Wall) Active() bool { return w.Lifted.IsZero() }

// CaseFacts is what the policy needs to know of a case.
type CaseFacts struct {
	ID     string
	Client string // contact ID
	// CoClients are the case's other clients (parties in the client
	// role): a wall on any of them covers the case, and their portal
	// users read it.
	CoClients []string
	// Restricted cases are visible only to their team.
	Restricted bool
	// Team maps each team member (lead attorney, case manager and members
	// added with a per-case role) to that role.
	Team map[UserID]string
}

// Decision is the outcome of an authorization check and the rule that
// made it.
type Decision struct {
	Allowed bool
	// Rule names the rule that decided: "wall", "inactive", "no-role",
	// "restricted", "client-own-cases", "role".
	Rule string
	// Reason explains the decision in words.
	Reason string
}

// Policy is a snapshot of the firm's access rules, indexed so that one
// decision costs a few map lookups however many users, grants and walls
// there are.
type Policy struct {
	roles   map[Role]map[Action]bool
	members map[UserID]*member
}

type member struct {
	Member
	// grants holds, per action (by its index in Actions), 1 + the index
	// in roles of one role granting it, or 0: no map to chase on the
	// hot path.
	grants [maxActions]uint8
	roles  []Role // sorted
	// screened holds what active walls screen the member from.
	screened screens
}

// screens is what walls screen one member from. A few entries are kept in
// a short slice of hashed IDs, so a decision compares integers in one
// cache line or two instead of chasing two maps; a member named in many
// walls gets maps, so a decision never scans a long list.
type screens struct {
	few            []screenEntry
	cases, clients map[string]string // set once few would pass fewMax
}

type screenEntry struct {
	h      uint64
	client bool
	id     string
	wall   string
}

const fewMax = 8

var seed = maphash.MakeSeed()

func hashID(id string) uint64 { return maphash.String(seed, id) }

func (s *screens) empty() bool { return len(s.few) == 0 && s.cases == nil }

func (s *screens) add(client bool, id, wall string) {
	if s.cases == nil && len(s.few) < fewMax {
		s.few = append(s.few, screenEntry{h: hashID(id), client: client, id: id, wall: wall})
		return
	}
	if s.cases == nil {
		s.cases, s.clients = map[string]string{}, map[string]string{}
		for _, e := range s.few {
			s.put(e.client, e.id, e.wall)
		}
		s.few = nil
	}
	s.put(client, id, wall)
}

func (s *screens) put(client bool, id, wall string) {
	if client {
		s.clients[id] = wall
	} else {
		s.cases[id] = wall
	}
}

// find returns the wall screening a case (client false) or client, given
// the ID and its hash.
func (s *screens) find(client bool, id string, h uint64) (string, bool) {
	if s.cases != nil {
		w, ok := s.cases[id]
		if client {
			w, ok = s.clients[id]
		}
		return w, ok
	}
	for i := range s.few {
		if e := &s.few[i]; e.h == h && e.client == client && e.id == id {
			return e.wall, true
		}
	}
	return "", false
}

// maxActions bounds len(Actions), so that grants fit in the member.
const maxActions = 32

// actionIndex maps each action to its index in Actions.
var actionIndex = func() map[Action]int {
	if len(Actions) > maxActions {
		panic("access: more actions than maxActions")
	}
	m := make(map[Action]int, len(Actions))
	for i, a := range Actions {
		m[a] = i
	}
	return m
}()

// grant returns a role of m that grants action, if any.
func (m *member) grant(action Action) (Role, bool) {
	i, ok := actionIndex[action]
	if !ok || m.grants[i] == 0 {
		return "", false
	}
	return m.roles[m.grants[i]-1], true
}

// NewPolicy indexes a role table, the users and the walls.
func NewPolicy(table RoleTable, users []Member, walls []Wall) (*Policy, error) {
	if err := table.Validate(); err != nil {
		return nil, err
	}
	p := &Policy{roles: map[Role]map[Action]bool{}, members: make(map[UserID]*member, len(users))}
	for role, actions := range table.Grants {
		set := map[Action]bool{}
		for _, a := range actions {
			set[a] = true
		}
		p.roles[role] = set
	}
	for _, u := range users {
		if u.ID == "" {
			return nil, fmt.Errorf("policy: a user without an ID: %w", ErrInvalidPolicy)
		}
		if _, dup := p.members[u.ID]; dup {
			return nil, fmt.Errorf("policy: user %s is listed twice: %w", u.ID, ErrInvalidPolicy)
		}
		m := &member{Member: u}
		m.roles = slices.Clone(u.Roles)
		slices.Sort(m.roles)
		for ri, r := range m.roles {
			set, ok := p.roles[r]
			if !ok {
				return nil, fmt.Errorf("policy: user %s has role %q, which the role table does not define: %w", u.ID, r, ErrInvalidPolicy)
			}
			for ai, a := range Actions {
				if m.grants[ai] == 0 && set[a] {
					m.grants[ai] = uint8(ri + 1)
				}
			}
		}
		p.members[u.ID] = m
	}
	for _, w := range walls {
		if !w.Active() {
			continue
		}
		if w.ID == "" || len(w.Users) == 0 || len(w.Cases)+len(w.Clients) == 0 {
			return nil, fmt.Errorf("policy: wall %q must name its ID, users, and cases or clients: %w", w.ID, ErrInvalidPolicy)
		}
		for _, uid := range w.Users {
			m, ok := p.members[uid]
			if !ok {
				// The stores require a wall's users to exist (create a
				// lateral hire's account, inactive, before their first day
				// and screen it); a policy built by hand may still name
				// someone it does not list.
				m = &member{Member: Member{ID: uid}}
				p.members[uid] = m
			}
			for _, c := range w.Cases {
				m.screened.add(false, c, w.ID)
			}
			for _, c := range w.Clients {
				m.screened.add(true, c, w.ID)
			}
		}
	}
	return p, nil
}

// Decide says whether the actor may perform the action on a resource.
// facts describes the resource's case; nil for resources outside any case.
// The order is fixed: a wall, then an inactive or unknown user, then the
// roles, then the case's scope.
func (p *Policy) Decide(actor UserID, action Action, facts *CaseFacts) Decision {
	m := p.members[actor]
	if m != nil && facts != nil && !m.screened.empty() {
		if w, ok := m.screened.find(false, facts.ID, hashID(facts.ID)); ok && facts.ID != "" {
			return Decision{Rule: "wall", Reason: fmt.Sprintf("ethical wall %s screens %s from this case", w, actor)}
		}
		if w, ok := m.screened.find(true, facts.Client, hashID(facts.Client)); ok && facts.Client != "" {
			return Decision{Rule: "wall", Reason: fmt.Sprintf("ethical wall %s screens %s from every case of this client", w, actor)}
		}
		for _, k := range facts.CoClients {
			if w, ok := m.screened.find(true, k, hashID(k)); ok {
				return Decision{Rule: "wall", Reason: fmt.Sprintf("ethical wall %s screens %s from every case of the co-client %s", w, actor, k)}
			}
		}
	}
	if m == nil || !m.Active {
		return Decision{Rule: "inactive", Reason: fmt.Sprintf("%s is not an active user", actor)}
	}
	role, ok := m.grant(action)
	if !ok {
		return Decision{Rule: "no-role", Reason: fmt.Sprintf("none of %s's roles (%s) grants %s", actor, joinRoles(m.Roles), action)}
	}
	if onlyClient(m) {
		// Whatever the role table says, a portal user only ever reads
		// cases, and the documents and correspondence shared with them,
		// and only their own.
		if !PortalAllows(action) || m.Contact == "" || facts != nil && facts.Client != m.Contact && !slices.Contains(facts.CoClients, m.Contact) {
			return Decision{Rule: "client-own-cases", Reason: "a client portal user reads only their own cases"}
		}
		return Decision{Allowed: true, Rule: "client-own-cases", Reason: "a client portal user reads their own cases"}
	}
	if facts == nil {
		return Decision{Allowed: true, Rule: "role", Reason: fmt.Sprintf("role %s grants %s", role, action)}
	}
	if facts.Restricted && action != CaseBreakGlass {
		if r, ok := facts.Team[actor]; ok {
			return Decision{Allowed: true, Rule: "team", Reason: fmt.Sprintf("%s is on the restricted case's team as %s, and role %s grants %s", actor, r, role, action)}
		}
		return Decision{Rule: "restricted", Reason: fmt.Sprintf("the case is restricted to its team and %s is not on it (a break-glass read with a stated reason is the way in)", actor)}
	}
	return Decision{Allowed: true, Rule: "role", Reason: fmt.Sprintf("role %s grants %s", role, action)}
}

// ClientBound reports whether a decision for the actor can turn on a
// case's co-clients: a wall screens them from some client, or they are a
// client portal user. For everyone else CaseFacts.CoClients may be left
// empty, which saves reading a case's parties on every decision.
func (p *Policy) ClientBound(actor UserID) bool {
	m := p.members[actor]
	return m != nil && (len(m.screened.clients) > 0 || slices.ContainsFunc(m.screened.few, func(e screenEntry) bool { return e.client }) || onlyClient(m))
}

// PortalContact reports whether the actor is a client portal user (their
// only role is the client role) and, if so, the contact they are ("" when
// none is set: such a user sees no case).
func (p *Policy) PortalContact(actor UserID) (contact string, portal bool) {
	m := p.members[actor]
	if m == nil || !onlyClient(m) {
		return "", false
	}
	return m.Contact, true
}

// PortalAllows reports whether a client portal user may ever perform the
// action, whatever the role table grants: they read their own cases, the
// documents on them shared with the client and the correspondence with
// them that is neither privileged, confidential nor internal, and do
// nothing else.
func PortalAllows(a Action) bool {
	return a == CaseRead || a == DocumentRead || a == CorrespondenceRead
}

// onlyClient reports whether the user's only role is the client role.
func onlyClient(m *member) bool {
	return len(m.Roles) > 0 && !slices.ContainsFunc(m.Roles, func(r Role) bool { return r != ClientUser })
}

func joinRoles(rs []Role) string {
	if len(rs) == 0 {
		return "none"
	}
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// Roles returns the role table's roles in order.
func (t RoleTable) Roles() []Role {
	return slices.Sorted(maps.Keys(t.Grants))
}
