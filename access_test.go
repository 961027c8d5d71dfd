package docket_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// TestRoleTable: the role-permission table is data, changed by an
// administrator, versioned and audited; users' roles must be in it.
func TestRoleTable(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	admin, _ := access.ActorFrom(ctx)
	u, err := f.Users.Get(ctx, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(u.Roles, access.Administrator) {
		t.Errorf("the bootstrapped user's roles are %v, want administrator among them", u.Roles)
	}
	table, err := f.Access.RoleTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if table.Version != 0 || !slices.Contains(table.Grants[access.Partner], access.CaseBreakGlass) {
		t.Fatalf("built-in table: version %d, partner grants %v", table.Version, table.Grants[access.Partner])
	}

	// A firm role: "docketing-clerk" may advance cases.
	table.Grants["docketing-clerk"] = []access.Action{access.CaseRead, access.CaseAdvance, access.CaseRead}
	next, err := f.Access.SetRoleTable(ctx, table)
	if err != nil {
		t.Fatal(err)
	}
	if next.Version != 1 || len(next.Grants["docketing-clerk"]) != 2 {
		t.Errorf("stored table: version %d, clerk grants %v (want version 1, duplicates folded)", next.Version, next.Grants["docketing-clerk"])
	}
	if _, err := f.Access.SetRoleTable(ctx, table); !errors.Is(err, storage.ErrConflict) {
		t.Errorf("a stale table: %v, want ErrConflict", err)
	}
	trail, err := f.Audit.List(ctx, docket.AuditFilter{ResourceType: "role-table"}, nil)
	if err != nil || len(trail.Items) != 1 {
		t.Fatalf("role table trail: %+v %v", trail.Items, err)
	}
	if ch := trail.Items[0].Changes; len(ch) != 1 || ch[0].Field != "Grants[docketing-clerk]" || ch[0].Before != "" || ch[0].After != `["case.advance","case.read"]` {
		t.Errorf("audited changes: %+v", ch)
	}

	clerk, err := f.Users.Create(ctx, access.User{Name: "Dee Clerk", Email: "dee@firm.test", Roles: []access.Role{"docketing-clerk"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, roles := range [][]access.Role{{"wizard"}, {access.Attorney, access.Attorney}} {
		_, err := f.Users.Create(ctx, access.User{Name: "X", Email: "x@firm.test", Roles: roles})
		var fe *cases.FieldError
		if !errors.As(err, &fe) || fe.Field != "Roles[0]" && fe.Field != "Roles[1]" {
			t.Errorf("roles %v: %v, want an error naming Roles", roles, err)
		}
	}

	// A role still held cannot be dropped; the administrator keeps access.admin.
	drop := next
	drop.Grants = map[access.Role][]access.Action{}
	for r, a := range next.Grants {
		if r != "docketing-clerk" {
			drop.Grants[r] = a
		}
	}
	if _, err := f.Access.SetRoleTable(ctx, drop); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("dropping a held role: %v, want ErrInvalid", err)
	}
	lock := next
	lock.Grants = map[access.Role][]access.Action{access.Administrator: {access.CaseRead}, "docketing-clerk": {access.CaseRead}}
	if _, err := f.Access.SetRoleTable(ctx, lock); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("locking the administrator out: %v, want ErrInvalid", err)
	}
	_ = clerk
}
