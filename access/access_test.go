package access_test

import (
	"context"
	"testing"

	"github.com/docketkit/docket/access"
)

func TestActorInContext(t *testing.T) {
	if _, ok := access.ActorFrom(context.Background()); ok {
		t.Error("a bare context carries an actor")
	}
	ctx := access.WithActor(context.Background(), access.User{ID: "u-alice", Name: "Alice"})
	a, ok := access.ActorFrom(ctx)
	if !ok || a.ID != "u-alice" {
		t.Errorf("ActorFrom = %v, %v; want u-alice", a, ok)
	}
	// A user without an ID is no actor: it cannot be audited.
	if _, ok := access.ActorFrom(access.WithActor(context.Background(), access.User{Name: "Nobody"})); ok {
		t.Error("a user without an ID counts as an actor")
	}
	// The innermost actor wins.
	inner := access.WithActor(ctx, access.User{ID: "u-paul"})
	if a, _ := access.ActorFrom(inner); a.ID != "u-paul" {
		t.Errorf("inner actor = %s, want u-paul", a.ID)
	}
}

func TestAllowAuthenticated(t *testing.T) {
	err := access.AllowAuthenticated{}.Authorize(context.Background(), access.Actor{ID: "u"}, access.CaseRead, access.Resource{Kind: "case", ID: "c1"})
	if err != nil {
		t.Errorf("AllowAuthenticated denied: %v", err)
	}
}
