package docket

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// AccessService administers the firm's access policy: the role-permission
// table and ethical walls, which, with users' roles and cases' teams and
// scope, decide every operation of the Firm.
type AccessService struct{ f *Firm }

var roleTableRes = access.Resource{Kind: "role-table", ID: "firm"}

// RoleTable returns the firm's role-permission table: the stored one, or
// the built-in access.DefaultRoleTable (version 0 until first changed).
func (s *AccessService) RoleTable(ctx context.Context) (access.RoleTable, error) {
	var t access.RoleTable
	err := s.f.do(ctx, access.UserRead, roleTableRes, false, func(o *op, tx storage.Tx) (err error) {
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
// next. The audit entry lists, per role, the grants before and after.
//
// Managing access never by itself grants reading restricted cases, so a
// table is refused when it would take access.admin from the
// administrator role, give one role both access.admin and
// case.break-glass, or drop a role some user still holds; and nobody adds
// a permission to a role they hold themselves: another administrator
// must, as with their own roles.
func (s *AccessService) SetRoleTable(ctx context.Context, t access.RoleTable) (access.RoleTable, error) {
	f := s.f
	var next access.RoleTable
	err := f.do(ctx, access.AccessAdmin, roleTableRes, true, func(o *op, tx storage.Tx) error {
		if err := t.Validate(); err != nil {
			return &cases.FieldError{Record: "role table", Field: "Grants", Problem: err.Error(), Err: cases.ErrInvalid}
		}
		next = access.RoleTable{Version: t.Version + 1, Grants: map[access.Role][]access.Action{}}
		for role, actions := range t.Grants {
			a := slices.Clone(actions)
			slices.Sort(a)
			next.Grants[role] = slices.Compact(a)
		}
		old, err := roleTable(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkVersion("role table", old.Version, t.Version); err != nil {
			return err
		}
		me, err := tx.Users().Get(ctx, o.actor.ID)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		for _, r := range me.Roles {
			for _, a := range next.Grants[r] {
				if !slices.Contains(old.Grants[r], a) {
					return &cases.FieldError{Record: "role table", Field: "Grants[" + string(r) + "]", Problem: fmt.Sprintf("adds %s to role %s, which you hold: nobody widens their own permissions; another administrator must", a, r)}
				}
			}
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
		if err := o.policyChanged(ctx, tx); err != nil {
			return err
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

func wallRes(id string) access.Resource { return access.Resource{Kind: storage.KindWall, ID: id} }

// WallFilter narrows a wall list.
type WallFilter = storage.WallFilter

// ErectWall records an ethical wall that screens its users from its cases
// and from every case of its clients, with the reason and the partner or
// administrator who approved it (a user whose roles grant access.wall).
// There is no limit on how many users, cases or clients it names.
func (s *AccessService) ErectWall(ctx context.Context, w access.Wall) (access.Wall, error) {
	f := s.f
	err := f.do(ctx, access.WallAdmin, wallRes(w.ID), true, func(o *op, tx storage.Tx) error {
		if w.ID == "" {
			w.ID = f.newID()
		} else if err := cases.ValidateID("wall", "ID", w.ID); err != nil {
			return err
		}
		w.CreatedBy, w.Version, w.Created, w.Updated = o.actor.ID, 1, o.at, o.at
		w.Lifted, w.LiftedBy, w.LiftReason = time.Time{}, "", ""
		if err := validateWall(&w); err != nil {
			return err
		}
		if err := o.wallSight(ctx, tx, &w); err != nil {
			return err
		}
		if err := checkApprover(ctx, tx, w.ApprovedBy); err != nil {
			return err
		}
		if err := tx.Walls().Create(ctx, w); err != nil {
			if errors.Is(err, storage.ErrNotFound) {
				return &cases.FieldError{Record: "wall", Field: "Users", Problem: "names a user, case or client that does not exist", Err: cases.ErrInvalid}
			}
			return idTaken("wall", err)
		}
		if err := o.policyChanged(ctx, tx); err != nil {
			return err
		}
		return o.record(ctx, tx, "access.wall.erect", wallRes(w.ID), w.Reason, auditDiff(nil, w))
	})
	if err != nil {
		return access.Wall{}, err
	}
	return w, nil
}

// validateWall checks a wall's fields, naming the one at fault.
func validateWall(w *access.Wall) error {
	if len(w.Users) == 0 {
		return &cases.FieldError{Record: "wall", Field: "Users", Problem: "name at least one user to screen"}
	}
	if len(w.Cases)+len(w.Clients) == 0 {
		return &cases.FieldError{Record: "wall", Field: "Cases", Problem: "name at least one case or client to screen them from"}
	}
	lists := []struct {
		field string
		ids   []string
	}{{"Users", userStrings(w.Users)}, {"Cases", w.Cases}, {"Clients", w.Clients}}
	for _, l := range lists {
		seen := make(map[string]bool, len(l.ids))
		for i, id := range l.ids {
			field := fmt.Sprintf("%s[%d]", l.field, i)
			if err := cases.ValidateID("wall", field, id); err != nil {
				return err
			}
			if seen[id] {
				return &cases.FieldError{Record: "wall", Field: field, Problem: id + " is listed twice"}
			}
			seen[id] = true
		}
	}
	if err := cases.ValidateReason("wall", w.Reason); err != nil {
		return err
	}
	if w.ApprovedBy == "" {
		return &cases.FieldError{Record: "wall", Field: "ApprovedBy", Problem: "name the partner or administrator who approved the wall"}
	}
	return nil
}

func userStrings(us []access.UserID) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = string(u)
	}
	return out
}

// checkApprover requires the approver to be an active user whose roles
// grant access.wall.
func checkApprover(ctx context.Context, tx storage.Tx, id access.UserID) error {
	u, err := tx.Users().Get(ctx, id)
	if err != nil {
		return notFoundField("wall", "ApprovedBy", "user "+string(id), err)
	}
	t, err := roleTable(ctx, tx)
	if err != nil {
		return err
	}
	for _, r := range u.Roles {
		if slices.Contains(t.Grants[r], access.WallAdmin) && u.Active {
			return nil
		}
	}
	return &cases.FieldError{Record: "wall", Field: "ApprovedBy", Problem: fmt.Sprintf("user %s may not approve walls: no active role of theirs grants %s", id, access.WallAdmin)}
}

// screening looks a wall up for the actor: a wall that names them, that
// names a case or client they may not see, or that does not exist, is
// refused alike, so nobody learns what they are screened from, nor of a
// matter through the wall around it.
func (o *op) screening(ctx context.Context, tx storage.Tx, id string) (access.Wall, error) {
	w, err := tx.Walls().Get(ctx, id)
	if err != nil {
		return w, o.missing(ctx, tx, access.WallAdmin, wallRes(id), "wall "+printable(id), err)
	}
	if slices.Contains(w.Users, o.actor.ID) {
		return w, &denial{reason: unseen, detail: "the actor is screened by this wall"}
	}
	return w, o.wallSight(ctx, tx, &w)
}

// wallSight decides that the actor may read every case and client a wall
// names: only someone who sees a matter draws or lifts a wall around it.
// A case that does not exist is refused like a hidden one.
func (o *op) wallSight(ctx context.Context, tx storage.Tx, w *access.Wall) error {
	if o.f.authz != nil {
		return nil
	}
	var facts []*access.CaseFacts
	for _, id := range w.Cases {
		c, err := tx.Cases().Get(ctx, cases.ID(id))
		if err != nil {
			return o.missing(ctx, tx, access.WallAdmin, wallRes(w.ID), "case "+printable(id), err)
		}
		cf, err := caseFacts(ctx, tx, &c)
		if err != nil {
			return err
		}
		facts = append(facts, cf)
	}
	for _, k := range w.Clients {
		facts = append(facts, &access.CaseFacts{Client: k})
	}
	return o.seeAll(ctx, tx, facts)
}

// LiftWall lifts a wall, with the reason. version must be the wall's
// version as read. The wall stays on the record; it screens nobody. A
// wall that names the actor is refused to them like one that does not
// exist: nobody lifts their own screen.
func (s *AccessService) LiftWall(ctx context.Context, id string, version int64, reason string) (access.Wall, error) {
	f := s.f
	var w access.Wall
	err := f.do(ctx, access.WallAdmin, wallRes(id), true, func(o *op, tx storage.Tx) error {
		old, err := o.screening(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := cases.ValidateReason("wall lift", reason); err != nil {
			return err
		}
		if err := checkVersion("wall", old.Version, version); err != nil {
			return err
		}
		if !old.Active() {
			return &cases.FieldError{Record: "wall", Field: "Lifted", Problem: "the wall was lifted on " + old.Lifted.Format(time.RFC3339)}
		}
		w = old
		w.Lifted, w.LiftedBy, w.LiftReason, w.Version, w.Updated = o.at, o.actor.ID, reason, old.Version+1, o.at
		if err := tx.Walls().Update(ctx, w); err != nil {
			return stale("wall", err)
		}
		if err := o.policyChanged(ctx, tx); err != nil {
			return err
		}
		return o.record(ctx, tx, "access.wall.lift", wallRes(id), reason, auditDiff(old, w))
	})
	if err != nil {
		return access.Wall{}, err
	}
	return w, nil
}

// Wall returns a wall. A wall that screens the actor is denied to them
// like one that does not exist: nobody learns what they are screened from.
func (s *AccessService) Wall(ctx context.Context, id string) (access.Wall, error) {
	var w access.Wall
	err := s.f.do(ctx, access.WallAdmin, wallRes(id), false, func(o *op, tx storage.Tx) (err error) {
		w, err = o.screening(ctx, tx, id)
		return err
	})
	return w, err
}

// Walls returns one page of walls in ID order, leaving out, inside the
// storage query, the walls that name the actor or a case or client they
// may not see.
func (s *AccessService) Walls(ctx context.Context, filter WallFilter, opts *ListOptions) (Page[access.Wall], error) {
	var p Page[access.Wall]
	err := s.f.do(ctx, access.WallAdmin, wallRes(""), false, func(o *op, tx storage.Tx) error {
		vis, ok, err := o.visibility(ctx, tx)
		if err != nil || !ok {
			return err
		}
		if vis == nil { // a custom Authorizer: still hide the walls that name the actor
			vis = &storage.Visibility{User: o.actor.ID}
		}
		filter.Visible = vis
		p.Items, p.Next, err = tx.Walls().List(ctx, filter, pageOf(opts))
		return err
	})
	return p, err
}
