package docket

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// AccessService administers the firm's access policy: the role-permission
// table. (Ethical walls and case teams arrive with the rest of the access
// issue.)
type AccessService struct{ f *Firm }

var roleTableRes = access.Resource{Kind: "role-table", ID: "firm"}

// RoleTable returns the firm's role-permission table: the stored one, or
// the built-in access.DefaultRoleTable (version 0 until first changed).
func (s *AccessService) RoleTable(ctx context.Context) (access.RoleTable, error) {
	if _, err := s.f.authorize(ctx, access.UserRead, roleTableRes); err != nil {
		return access.RoleTable{}, err
	}
	var t access.RoleTable
	err := s.f.store.View(ctx, func(tx storage.Tx) (err error) {
		t, err = roleTable(ctx, tx)
		return err
	})
	return t, err
}

// roleTable reads the stored table or the built-in one.
func roleTable(ctx context.Context, tx storage.Tx) (access.RoleTable, error) {
	t, err := tx.RoleTables().Get(ctx)
	if errors.Is(err, storage.ErrNotFound) {
		t = access.DefaultRoleTable()
		t.Version = 0
		return t, nil
	}
	return t, err
}

// SetRoleTable replaces the role-permission table. t.Version must be the
// version read (0 for the built-in table); the returned table has the
// next. The audit entry lists, per role, the grants before and after. A
// table that would take access.admin from the administrator role, or that
// drops a role some user still holds, is refused.
func (s *AccessService) SetRoleTable(ctx context.Context, t access.RoleTable) (access.RoleTable, error) {
	f := s.f
	o, err := f.authorize(ctx, access.AccessAdmin, roleTableRes)
	if err != nil {
		return access.RoleTable{}, err
	}
	if err := t.Validate(); err != nil {
		return access.RoleTable{}, &cases.FieldError{Record: "role table", Field: "Grants", Problem: err.Error(), Err: cases.ErrInvalid}
	}
	next := access.RoleTable{Version: t.Version + 1, Grants: map[access.Role][]access.Action{}}
	for role, actions := range t.Grants {
		a := slices.Clone(actions)
		slices.Sort(a)
		next.Grants[role] = slices.Compact(a)
	}
	err = f.store.Update(ctx, func(tx storage.Tx) error {
		old, err := roleTable(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkVersion("role table", old.Version, t.Version); err != nil {
			return err
		}
		if err := eachPage(func(p storage.Page) (string, error) {
			users, cursor, err := tx.Users().List(ctx, p)
			for _, u := range users {
				for _, r := range u.Roles {
					if _, ok := next.Grants[r]; !ok {
						return "", &cases.FieldError{Record: "role table", Field: "Grants", Problem: fmt.Sprintf("role %s is still held by user %s", r, u.ID)}
					}
				}
			}
			return cursor, err
		}); err != nil {
			return err
		}
		if err := tx.RoleTables().Put(ctx, next); err != nil {
			return stale("role table", err)
		}
		return o.record(ctx, tx, "access.roles", roleTableRes, "", roleChanges(old, next))
	})
	if err != nil {
		return access.RoleTable{}, err
	}
	return next, nil
}

// roleChanges lists each role whose grants changed, as JSON before and
// after.
func roleChanges(old, next access.RoleTable) []audit.Change {
	roles := slices.Sorted(maps.Keys(old.Grants))
	for r := range next.Grants {
		if _, ok := old.Grants[r]; !ok {
			roles = append(roles, r)
		}
	}
	slices.Sort(roles)
	var out []audit.Change
	for _, r := range roles {
		before, after := grantsJSON(old.Grants, r), grantsJSON(next.Grants, r)
		if before != after {
			out = append(out, audit.Change{Field: "Grants[" + string(r) + "]", Before: before, After: after})
		}
	}
	return out
}

func grantsJSON(g map[access.Role][]access.Action, r access.Role) string {
	actions, ok := g[r]
	if !ok {
		return ""
	}
	a := slices.Clone(actions)
	slices.Sort(a)
	b, err := json.Marshal(a)
	if err != nil {
		panic(fmt.Sprintf("docket: encoding grants: %v", err)) // strings always encode
	}
	return string(b)
}

// checkRoles requires each of a user's roles to be in the role table.
func checkRoles(ctx context.Context, tx storage.Tx, u *access.User) error {
	if len(u.Roles) == 0 {
		return nil
	}
	t, err := roleTable(ctx, tx)
	if err != nil {
		return err
	}
	for i, r := range u.Roles {
		if _, ok := t.Grants[r]; !ok {
			return &cases.FieldError{Record: "user", Field: fmt.Sprintf("Roles[%d]", i), Problem: fmt.Sprintf("%q is not a role of the firm's role table (%v)", r, t.Roles())}
		}
		if slices.Contains(u.Roles[:i], r) {
			return &cases.FieldError{Record: "user", Field: fmt.Sprintf("Roles[%d]", i), Problem: fmt.Sprintf("%s is listed twice", r)}
		}
	}
	return nil
}
