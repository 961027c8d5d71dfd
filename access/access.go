package access

import (
	"context"
	"errors"
	"time"
)

// UserID identifies a user of the firm's system.
type UserID string

// User is a member of the firm's staff, or a client portal user.
type User struct {
	ID     UserID
	Name   string
	Email  string
	Active bool
	// Roles are the user's firm-wide roles, from the role table.
	Roles []Role
	// Contact is set for a client portal user: the contact they are.
	Contact string
	Version int64
	Created time.Time
	Updated time.Time
}

// Member returns what the policy needs to know of the user.
func (u *User) Member() Member {
	return Member{ID: u.ID, Active: u.Active, Roles: u.Roles, Contact: u.Contact}
}

// Actor is who performs an operation.
type Actor struct {
	ID UserID
}

type actorKey struct{}

// WithActor returns a context that carries u as the acting user.
func WithActor(ctx context.Context, u User) context.Context {
	return context.WithValue(ctx, actorKey{}, Actor{ID: u.ID})
}

// ActorFrom returns the acting user of ctx, if there is one.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok && a.ID != ""
}

// Action is something an actor may do to a kind of resource, written
// "kind.verb".
type Action string

// Actions of the foundation. Later areas add their own.
const (
	CaseRead       Action = "case.read"
	CaseCreate     Action = "case.create"
	CaseWrite      Action = "case.write"
	CaseAdvance    Action = "case.advance"
	ContactRead    Action = "contact.read"
	ContactWrite   Action = "contact.write"
	IntakeRead     Action = "intake.read"
	IntakeWrite    Action = "intake.write"
	ConflictRun    Action = "conflict.run"
	ConflictDecide Action = "conflict.decide"
	UserRead       Action = "user.read"
	AccessAdmin    Action = "access.admin"
	AuditRead      Action = "audit.read"
)

// Resource names what an action is done to. Case is set when the resource
// belongs to a case, so that case-level rules can apply.
type Resource struct {
	Kind string
	ID   string
	Case string
}

// Authorizer decides whether an actor may perform an action on a resource.
// It returns nil to allow, or an error wrapping ErrForbidden that says why.
type Authorizer interface {
	Authorize(ctx context.Context, actor Actor, action Action, res Resource) error
}

// ErrForbidden is wrapped by every denial.
var ErrForbidden = errors.New("forbidden")

// AllowAuthenticated allows every action to every authenticated actor.
type AllowAuthenticated struct{}

// Authorize allows the action.
func (AllowAuthenticated) Authorize(context.Context, Actor, Action, Resource) error { return nil }
