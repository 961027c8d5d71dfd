package docket

import (
	"context"

	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// ContactService keeps the firm's contacts: clients, prospective clients,
// opposing parties and counsel, witnesses, experts, judges.
type ContactService struct{ f *Firm }

func contactRes(id cases.ContactID) access.Resource {
	return access.Resource{Kind: storage.KindContact, ID: string(id)}
}

// ContactFilter narrows a contact list.
type ContactFilter = storage.ContactFilter

// Create adds a contact. ID is generated when empty. Related contacts must
// exist.
func (s *ContactService) Create(ctx context.Context, c cases.Contact) (cases.Contact, error) {
	f := s.f
	err := f.do(ctx, access.ContactWrite, contactRes(c.ID), true, func(o *op, tx storage.Tx) error {
		if c.ID == "" {
			c.ID = cases.ContactID(f.newID())
		} else if err := cases.ValidateID("contact", "ID", string(c.ID)); err != nil {
			return err
		}
		c.Version, c.Created, c.Updated = 1, o.at, o.at
		if err := c.Validate(f.today()); err != nil {
			return err
		}
		if err := checkRelated(ctx, tx, &c); err != nil {
			return err
		}
		if err := tx.Contacts().Create(ctx, c); err != nil {
			return idTaken("contact", err)
		}
		return o.record(ctx, tx, "contact.create", contactRes(c.ID), "", auditDiff(nil, c))
	})
	if err != nil {
		return cases.Contact{}, err
	}
	return c, nil
}

func checkRelated(ctx context.Context, tx storage.Tx, c *cases.Contact) error {
	for i, r := range c.Related {
		if _, err := tx.Contacts().Get(ctx, r.Contact); err != nil {
			return notFoundField("contact", "Related["+itoa(i)+"].Contact", "contact "+string(r.Contact), err)
		}
	}
	return nil
}

// Get returns a contact.
func (s *ContactService) Get(ctx context.Context, id cases.ContactID) (cases.Contact, error) {
	var c cases.Contact
	err := s.f.do(ctx, access.ContactRead, contactRes(id), false, func(o *op, tx storage.Tx) (err error) {
		c, err = tx.Contacts().Get(ctx, id)
		return err
	})
	return c, err
}

// Update replaces a contact's details. c.Version must be the version read;
// the returned contact has the next.
func (s *ContactService) Update(ctx context.Context, c cases.Contact) (cases.Contact, error) {
	f := s.f
	err := f.do(ctx, access.ContactWrite, contactRes(c.ID), true, func(o *op, tx storage.Tx) error {
		if err := c.Validate(f.today()); err != nil {
			return err
		}
		old, err := tx.Contacts().Get(ctx, c.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("contact", old.Version, c.Version); err != nil {
			return err
		}
		if err := checkRelated(ctx, tx, &c); err != nil {
			return err
		}
		c.Created, c.Updated, c.Version = old.Created, o.at, old.Version+1
		if err := tx.Contacts().Update(ctx, c); err != nil {
			return stale("contact", err)
		}
		return o.record(ctx, tx, "contact.update", contactRes(c.ID), "", auditDiff(old, c))
	})
	if err != nil {
		return cases.Contact{}, err
	}
	return c, nil
}

// List returns one page of contacts in ID (creation) order. Contacts are
// the firm's address book, shared by all who may read it: an ethical
// wall screens its users from a client's cases and everything of them,
// not from the client's name and address.
func (s *ContactService) List(ctx context.Context, filter ContactFilter, opts *ListOptions) (Page[cases.Contact], error) {
	var p Page[cases.Contact]
	err := s.f.do(ctx, access.ContactRead, access.Resource{Kind: "contact"}, false, func(o *op, tx storage.Tx) (err error) {
		p.Items, p.Next, err = tx.Contacts().List(ctx, filter, pageOf(opts))
		return err
	})
	return p, err
}
