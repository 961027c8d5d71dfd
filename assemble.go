package docket

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// BuiltinTemplatePrefix begins the IDs of the templates Docket ships
// (document.Builtin): "builtin/engagement-letter". A firm's own templates
// cannot use it, and a shipped template is version 1.
const BuiltinTemplatePrefix = "builtin/"

func builtinTemplate(id document.TemplateID) (document.Template, bool) {
	name, ok := strings.CutPrefix(string(id), BuiltinTemplatePrefix)
	if !ok {
		return document.Template{}, false
	}
	for _, t := range document.Builtin() {
		if string(t.ID) == name {
			t.ID, t.Version = id, 1
			return t, true
		}
	}
	return document.Template{}, false
}

// SaveTemplate stores one of the firm's templates: new when t.Version is
// 0, otherwise replacing version t.Version. It is checked against the
// merge data first: an unknown field, or a syntax error, is a
// *document.TemplateError naming the field and the line, and nothing is
// stored. Needs template.admin.
func (s *DocumentService) SaveTemplate(ctx context.Context, t document.Template) (document.Template, error) {
	f := s.f
	res := access.Resource{Kind: "template", ID: printable(string(t.ID))}
	err := f.do(ctx, access.TemplateAdmin, res, true, func(o *op, tx storage.Tx) error {
		if err := t.Validate(); err != nil {
			return err
		}
		if t.Version == 0 {
			t.Version, t.Created, t.Updated = 1, o.at, o.at
			if err := tx.Templates().Create(ctx, t); err != nil {
				return idTaken("template", err)
			}
			return o.record(ctx, tx, "template.create", res, "", auditDiff(nil, t))
		}
		old, err := tx.Templates().Get(ctx, t.ID)
		if err != nil {
			return notFoundField("template", "ID", "template "+string(t.ID), err)
		}
		if err := checkVersion("template", old.Version, t.Version); err != nil {
			return err
		}
		t.Version, t.Created, t.Updated = old.Version+1, old.Created, o.at
		if err := tx.Templates().Update(ctx, t); err != nil {
			return stale("template", err)
		}
		return o.record(ctx, tx, "template.update", res, "", auditDiff(old, t))
	})
	if err != nil {
		return document.Template{}, err
	}
	return t, nil
}

// Template returns a template: one of the firm's, or a shipped one by
// its BuiltinTemplatePrefix ID. Needs document.write, as assembling does.
func (s *DocumentService) Template(ctx context.Context, id document.TemplateID) (document.Template, error) {
	var t document.Template
	err := s.f.do(ctx, access.DocumentWrite, access.Resource{Kind: "template", ID: printable(string(id))}, false, func(o *op, tx storage.Tx) (err error) {
		t, err = templateFor(ctx, tx, id)
		return err
	})
	return t, err
}

func templateFor(ctx context.Context, tx storage.Tx, id document.TemplateID) (document.Template, error) {
	if t, ok := builtinTemplate(id); ok {
		return t, nil
	}
	t, err := tx.Templates().Get(ctx, id)
	return t, notFoundField("document", "Template", "template "+printable(string(id)), err)
}

// Templates returns one page of the firm's own templates in ID order; the
// shipped ones are document.Builtin, under BuiltinTemplatePrefix. Needs
// document.write, as assembling does.
func (s *DocumentService) Templates(ctx context.Context, opts *ListOptions) (Page[document.Template], error) {
	var p Page[document.Template]
	err := s.f.do(ctx, access.DocumentWrite, access.Resource{Kind: "template"}, false, func(o *op, tx storage.Tx) (err error) {
		p.Items, p.Next, err = tx.Templates().List(ctx, pageOf(opts))
		return err
	})
	return p, err
}

// Assembly asks for a document assembled from a template.
type Assembly struct {
	Case     cases.ID
	Template document.TemplateID
	// Title overrides the title the template gives; Tags, Privileged and
	// Shared are the new document's.
	Title      string
	Tags       []string
	Privileged bool
	Shared     bool
}

// Assemble merges a template with a case (its client and parties, its
// court and judge, today's date in the firm's time zone, the acting user
// and the firm's profile) into a new document whose first version
// records the template and its version. A field the template prints that
// the case lacks (a notice of appearance without a docket number) is a
// *document.TemplateError naming the field and the line; nothing is
// written. Needs document.write on the case.
func (s *DocumentService) Assemble(ctx context.Context, a Assembly) (document.Document, document.Version, error) {
	f := s.f
	var d document.Document
	var v document.Version
	res := access.Resource{Kind: storage.KindDocument, Case: string(a.Case)}
	err := f.run(ctx, access.DocumentWrite, &res, true, func(o *op, tx storage.Tx) error {
		c, err := o.caseFor(ctx, tx, access.DocumentWrite, res, a.Case, "Case")
		if err != nil {
			return err
		}
		t, err := templateFor(ctx, tx, a.Template)
		if err != nil {
			return err
		}
		compiled, err := document.Compile(&t)
		if err != nil {
			return err
		}
		data, err := f.mergeData(ctx, tx, o, &c)
		if err != nil {
			return err
		}
		title, body, err := compiled.Execute(data)
		if err != nil {
			return err
		}
		if a.Title != "" {
			title = a.Title
		}
		if title == "" {
			title = t.Name
		}
		d = document.Document{ID: document.ID(f.newID()), Case: c.ID, Title: title, Kind: t.Kind, Status: document.Draft, Tags: a.Tags,
			Author: string(o.actor.ID), Privileged: a.Privileged, Shared: a.Shared, Version: 1, Created: o.at, Updated: o.at}
		if err := d.Validate(); err != nil {
			return err
		}
		if err := o.mayDisclose(ctx, tx, nil, &d, &c, res); err != nil {
			return err
		}
		res.ID = string(d.ID)
		if err := tx.Documents().Create(ctx, d); err != nil {
			return err
		}
		if v, err = o.writeVersion(ctx, tx, &d, Content{Body: bytes.NewReader(body), MediaType: t.MediaType, Comment: "assembled from " + t.Name}, 0, &t); err != nil {
			return err
		}
		d.Current, d.Version = v.Number, 2
		if err := tx.Documents().Update(ctx, d); err != nil {
			return err
		}
		return o.record(ctx, tx, "document.assemble", docRes(&d), v.Comment, append(auditDiff(nil, d), versionChanges(&v)...))
	})
	if err != nil {
		return document.Document{}, document.Version{}, err
	}
	return d, v, nil
}

// mergeData gathers what templates merge for case c.
func (f *Firm) mergeData(ctx context.Context, tx storage.Tx, o *op, c *cases.Case) (document.MergeData, error) {
	data := document.MergeData{
		Case: document.CaseFields{Reference: c.Reference, Title: c.Title, Type: c.Type, PracticeArea: c.PracticeArea, DocketNumber: c.DocketNumber,
			Stage: c.Stage},
		Court: document.CourtFields{Name: c.Court, Judge: c.Judge},
		Today: longDate(cases.DateOf(o.at.In(f.loc))),
		Firm:  f.profile,
	}
	if !c.OpenedOn.IsZero() {
		data.Case.OpenedOn = longDate(c.OpenedOn)
	}
	if w, ok := f.Workflow(c.Type); ok {
		if st, ok := w.Stage(c.Stage); ok && st.Label != "" {
			data.Case.Stage = st.Label
		}
	}
	if c.Court != "" {
		if court, err := tx.Courts().Get(ctx, c.Court); err == nil && court.Name != "" {
			data.Court.Name = court.Name
		}
	}
	client, err := tx.Contacts().Get(ctx, c.Client)
	if err != nil {
		return data, err
	}
	data.Client = partyFields(&client, "client")
	err = eachPage(func(pg storage.Page) (string, error) {
		parties, next, err := tx.Parties().List(ctx, storage.PartyFilter{Case: c.ID}, pg)
		for _, p := range parties {
			if err != nil || p.Contact == c.Client {
				continue
			}
			var k cases.Contact
			if k, err = tx.Contacts().Get(ctx, p.Contact); err == nil {
				data.Parties = append(data.Parties, partyFields(&k, string(p.Role)))
			}
		}
		return next, err
	})
	if err != nil {
		return data, err
	}
	u, err := tx.Users().Get(ctx, o.actor.ID)
	if err == nil {
		data.User = document.UserFields{Name: u.Name, Email: u.Email}
	}
	return data, nil
}

func partyFields(k *cases.Contact, role string) document.PartyFields {
	p := document.PartyFields{Name: k.Name, Role: role}
	if len(k.Addresses) > 0 {
		p.Address = k.Addresses[0]
	}
	if len(k.Emails) > 0 {
		p.Email = k.Emails[0]
	}
	if len(k.Phones) > 0 {
		p.Phone = k.Phones[0]
	}
	return p
}

// longDate writes a date as letters and courts do: "2 March 2026".
func longDate(d cases.Date) string {
	return d.Time(time.UTC).Format("2 January 2006")
}
