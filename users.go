package docket

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// UserService administers the firm's users.
type UserService struct{ f *Firm }

func userRes(id access.UserID) access.Resource { return access.Resource{Kind: "user", ID: string(id)} }

// validateUser checks a user's fields and names the one at fault.
func validateUser(u *access.User) error {
	if u.ID != "" {
		if err := cases.ValidateID("user", "ID", string(u.ID)); err != nil {
			return err
		}
	}
	if strings.TrimSpace(u.Name) == "" || len(u.Name) > cases.MaxNameLen || !utf8.ValidString(u.Name) || strings.ContainsAny(u.Name, "\r\n\x00") {
		return &cases.FieldError{Record: "user", Field: "Name", Problem: fmt.Sprintf("must be a single line of 1 to %d characters", cases.MaxNameLen)}
	}
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		return &cases.FieldError{Record: "user", Field: "Email", Problem: fmt.Sprintf("%q is not an email address", u.Email)}
	}
	// A portal user is a client and nothing else: a staff role beside the
	// client role would lift the portal's limits without anyone meaning to.
	portal := slices.Contains(u.Roles, access.ClientUser)
	if portal && len(u.Roles) > 1 {
		return &cases.FieldError{Record: "user", Field: "Roles", Problem: "the client role is for portal users and is not combined with staff roles: give the person two accounts"}
	}
	if u.Contact != "" && !portal {
		return &cases.FieldError{Record: "user", Field: "Contact", Problem: "only a client portal user (role client) is a contact"}
	}
	return nil
}

// Bootstrap creates the firm's first user, an administrator (the role is
// added if u lacks it), who then acts to create the rest. It needs no actor, and fails with storage.ErrExists once any user
// exists. The audit entry names the new user as its own author.
func (s *UserService) Bootstrap(ctx context.Context, u access.User) (access.User, error) {
	f := s.f
	if u.ID == "" {
		u.ID = access.UserID(f.newID())
	}
	u.Active, u.Version = true, 1
	if !slices.Contains(u.Roles, access.Administrator) {
		u.Roles = append(slices.Clone(u.Roles), access.Administrator)
	}
	u.Created = f.now()
	u.Updated = u.Created
	if err := validateUser(&u); err != nil {
		return access.User{}, err
	}
	o := &op{f: f, actor: access.Actor{ID: u.ID}, at: u.Created}
	err := f.store.Update(ctx, func(tx storage.Tx) error {
		// The claim is a counter that only the first bootstrap draws as 1:
		// concurrent callers serialise on its row, where a check for "no
		// users yet" alone would let several through at READ COMMITTED.
		claim, err := tx.Counters().Next(ctx, "docket.bootstrap")
		if err != nil {
			return err
		}
		existing, _, err := tx.Users().List(ctx, storage.Page{Limit: 1})
		if err != nil {
			return err
		}
		if claim != 1 || len(existing) > 0 {
			return fmt.Errorf("bootstrap: the firm already has users: %w", storage.ErrExists)
		}
		if err := checkRoles(ctx, tx, &u); err != nil {
			return err
		}
		if err := tx.Users().Create(ctx, u); err != nil {
			return idTaken("user", err)
		}
		if err := o.policyChanged(ctx, tx); err != nil {
			return err
		}
		return o.record(ctx, tx, "user.bootstrap", userRes(u.ID), "first user", auditDiff(nil, u))
	})
	if err != nil {
		return access.User{}, err
	}
	f.invalidatePolicy(o.policyGen)
	return u, nil
}

// Create adds a user. ID is generated when empty; the user starts active.
func (s *UserService) Create(ctx context.Context, u access.User) (access.User, error) {
	f := s.f
	err := f.do(ctx, access.AccessAdmin, userRes(u.ID), true, func(o *op, tx storage.Tx) error {
		if u.ID == "" {
			u.ID = access.UserID(f.newID())
		}
		u.Active, u.Version, u.Created, u.Updated = true, 1, o.at, o.at
		if err := validateUser(&u); err != nil {
			return err
		}
		if err := checkRoles(ctx, tx, &u); err != nil {
			return err
		}
		reason, err := o.portalFor(ctx, tx, u.Contact)
		if err != nil {
			return err
		}
		if err := tx.Users().Create(ctx, u); err != nil {
			return idTaken("user", err)
		}
		if err := o.policyChanged(ctx, tx); err != nil {
			return err
		}
		return o.record(ctx, tx, "user.create", userRes(u.ID), reason, auditDiff(nil, u))
	})
	if err != nil {
		return access.User{}, err
	}
	return u, nil
}

// Get returns a user.
func (s *UserService) Get(ctx context.Context, id access.UserID) (access.User, error) {
	var u access.User
	err := s.f.do(ctx, access.UserRead, userRes(id), false, func(o *op, tx storage.Tx) (err error) {
		u, err = tx.Users().Get(ctx, id)
		return err
	})
	return u, err
}

// Update changes a user's name, email, roles, portal contact or active
// flag. u.Version must be the version read; the returned user has the
// next. Nobody changes their own roles: another administrator must.
func (s *UserService) Update(ctx context.Context, u access.User) (access.User, error) {
	f := s.f
	err := f.do(ctx, access.AccessAdmin, userRes(u.ID), true, func(o *op, tx storage.Tx) error {
		if err := validateUser(&u); err != nil {
			return err
		}
		old, err := tx.Users().Get(ctx, u.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("user", old.Version, u.Version); err != nil {
			return err
		}
		if u.ID == o.actor.ID && !slices.Equal(u.Roles, old.Roles) {
			return &cases.FieldError{Record: "user", Field: "Roles", Problem: "nobody changes their own roles: another administrator must"}
		}
		if err := checkRoles(ctx, tx, &u); err != nil {
			return err
		}
		reason := ""
		if u.Contact != old.Contact {
			if reason, err = o.portalFor(ctx, tx, u.Contact); err != nil {
				return err
			}
		}
		u.Created, u.Updated, u.Version = old.Created, o.at, old.Version+1
		if err := tx.Users().Update(ctx, u); err != nil {
			return stale("user", err)
		}
		if err := o.policyChanged(ctx, tx); err != nil {
			return err
		}
		return o.record(ctx, tx, "user.update", userRes(u.ID), reason, auditDiff(old, u))
	})
	if err != nil {
		return access.User{}, err
	}
	return u, nil
}

// portalFor decides giving a portal account a client's contact: the
// account will read the shared part of the client's cases, restricted
// ones included, so the administrator giving it must not be screened from
// the client; the audit entry says so in its reason.
func (o *op) portalFor(ctx context.Context, tx storage.Tx, contact string) (string, error) {
	if contact == "" {
		return "", nil
	}
	res := access.Resource{Kind: "user"}
	if err := o.decideOn(ctx, tx, access.AccessAdmin, &res, "", cases.ContactID(contact)); err != nil {
		return "", err
	}
	return "portal account for the client " + contact + ": it reads the shared part of that client's cases", nil
}

// List returns one page of users in ID order.
func (s *UserService) List(ctx context.Context, opts *ListOptions) (Page[access.User], error) {
	var p Page[access.User]
	err := s.f.do(ctx, access.UserRead, access.Resource{Kind: "user"}, false, func(o *op, tx storage.Tx) (err error) {
		p.Items, p.Next, err = tx.Users().List(ctx, pageOf(opts))
		return err
	})
	return p, err
}
