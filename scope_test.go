package docket_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/calendar"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// TestPortalSeesSharedPart: a client portal user reads their own case as
// the client knows it: no team, no restricted flag, no intake or conflict
// check, no party notes, no reasons in the stage history; and nothing
// else, whatever the role table grants the client role.
func TestPortalSeesSharedPart(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	admin, _ := access.ActorFrom(ctx)
	client, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Maria Garcia"})
	if err != nil {
		t.Fatal(err)
	}
	witness, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Will Witness"})
	in, err := f.Intake.Take(ctx, cases.Intake{Prospect: client.ID, Source: "referral", Facts: "the firm's notes on Maria"})
	if err != nil {
		t.Fatal(err)
	}
	chk, err := f.Conflicts.Run(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Conflicts.Decide(ctx, chk.ID, chk.Version, cases.Cleared, "", "no conflict"); err != nil {
		t.Fatal(err)
	}
	c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Garcia v. Acme", Client: client.ID, Intake: in.ID, Restricted: true,
		LeadAttorney: string(admin.ID), Team: []cases.TeamMember{{User: string(admin.ID), Role: "supervising partner"}}})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = f.Cases.Advance(ctx, c.ID, c.Version, "pleadings", "strategy: file before the insurer moves"); err != nil {
		t.Fatal(err)
	}
	party, err := f.Cases.AddParty(ctx, cases.Party{Case: c.ID, Contact: witness.ID, Role: cases.RoleWitness, Notes: "unreliable; do not call"})
	if err != nil {
		t.Fatal(err)
	}
	portal, err := f.Users.Create(ctx, access.User{Name: "Maria Garcia", Email: "maria@example.test", Roles: []access.Role{access.ClientUser}, Contact: string(client.ID)})
	if err != nil {
		t.Fatal(err)
	}
	pctx := access.WithActor(context.Background(), portal)

	got, err := f.Cases.Get(pctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := c.Shared()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the portal's case (-want +got):\n%s", diff)
	}
	if len(got.Team) != 0 || got.Intake != "" || got.ConflictCheck != "" || got.Restricted {
		t.Errorf("the portal sees internal fields: %+v", got)
	}
	page, err := f.Cases.List(pctx, docket.CaseFilter{}, nil)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("the portal lists %d cases (%v), want its one", len(page.Items), err)
	}
	if diff := cmp.Diff(want, page.Items[0]); diff != "" {
		t.Errorf("the portal's listed case (-want +got):\n%s", diff)
	}
	parties, err := f.Cases.Parties(pctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]cases.Party{party.Shared()}, parties); diff != "" || parties[0].Notes != "" {
		t.Errorf("the portal's parties (-want +got):\n%s", diff)
	}
	hist, err := f.Cases.History(pctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[1].To != "pleadings" || hist[1].Reason != "" || hist[1].By != "" {
		t.Errorf("the portal's history: %+v, want the stages without reasons or authors", hist)
	}
	// Staff see it all.
	full, err := f.Cases.Get(ctx, c.ID)
	if err != nil || len(full.Team) != 1 || full.Intake != in.ID {
		t.Errorf("staff read the case without its team or intake: %+v %v", full, err)
	}

	// A role table that grants the client role more does not widen it.
	table, err := f.Access.RoleTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	table.Grants[access.ClientUser] = append(table.Grants[access.ClientUser], access.AuditRead, access.IntakeRead, access.ContactRead, access.CaseWrite)
	if _, err := f.Access.SetRoleTable(ctx, table); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"Audit.List":   func() error { _, err := f.Audit.List(pctx, docket.AuditFilter{}, nil); return err },
		"Audit.Verify": func() error { _, err := f.Audit.Verify(pctx); return err },
		"Intake.List":  func() error { _, err := f.Intake.List(pctx, docket.IntakeFilter{}, nil); return err },
		"Intake.Get":   func() error { _, err := f.Intake.Get(pctx, in.ID); return err },
		"Contacts.Get": func() error { _, err := f.Contacts.Get(pctx, witness.ID); return err },
		"Cases.Update": func() error { _, err := f.Cases.Update(pctx, full); return err },
		"Conflicts.Get": func() error {
			_, err := f.Conflicts.Get(pctx, chk.ID)
			return err
		},
	} {
		if err := call(); !errors.Is(err, docket.ErrForbidden) {
			t.Errorf("the portal user calls %s under a generous role table: %v, want ErrForbidden", name, err)
		}
	}
}

// TestManagingAccessIsNotReading: no role may both manage access and
// break glass, and nobody widens a role they hold; another administrator
// can.
func TestManagingAccessIsNotReading(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	first, _ := access.ActorFrom(ctx)
	second, err := f.Users.Create(ctx, access.User{Name: "Sam Second", Email: "sam@firm.test", Roles: []access.Role{access.Administrator}})
	if err != nil {
		t.Fatal(err)
	}
	sctx := access.WithActor(context.Background(), second)
	field := func(err error) string {
		var fe *cases.FieldError
		if errors.As(err, &fe) {
			return fe.Field
		}
		return ""
	}
	table, err := f.Access.RoleTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(*access.RoleTable){
		"administrators break glass": func(t *access.RoleTable) {
			t.Grants[access.Administrator] = append(t.Grants[access.Administrator], access.CaseBreakGlass)
		},
		"partners manage access": func(t *access.RoleTable) {
			t.Grants[access.Partner] = append(t.Grants[access.Partner], access.AccessAdmin)
		},
	} {
		bad := cloneTable(table)
		mod(&bad)
		for _, actx := range []context.Context{ctx, sctx} {
			if _, err := f.Access.SetRoleTable(actx, bad); !errors.Is(err, docket.ErrInvalid) || field(err) != "Grants" {
				t.Errorf("%s: %v, want ErrInvalid naming Grants", name, err)
			}
		}
	}

	// A firm role, given to the first administrator by the second.
	table.Grants["docketing-clerk"] = []access.Action{access.CaseRead}
	if table, err = f.Access.SetRoleTable(ctx, table); err != nil {
		t.Fatal(err)
	}
	me, err := f.Users.Get(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	me.Roles = append(me.Roles, "docketing-clerk")
	if _, err := f.Users.Update(sctx, me); err != nil {
		t.Fatal(err)
	}
	wider := cloneTable(table)
	wider.Grants["docketing-clerk"] = append(wider.Grants["docketing-clerk"], access.CaseAdvance)
	if _, err := f.Access.SetRoleTable(ctx, wider); !errors.Is(err, docket.ErrInvalid) || field(err) != "Grants[docketing-clerk]" {
		t.Errorf("widening a role one holds: %v, want ErrInvalid naming Grants[docketing-clerk]", err)
	}
	if table, err = f.Access.SetRoleTable(sctx, wider); err != nil {
		t.Fatalf("another administrator widens the role: %v", err)
	}
	// Narrowing a role one holds is fine.
	narrow := cloneTable(table)
	narrow.Grants["docketing-clerk"] = []access.Action{access.CaseRead}
	if _, err := f.Access.SetRoleTable(ctx, narrow); err != nil {
		t.Errorf("narrowing a role one holds: %v", err)
	}
}

func cloneTable(t access.RoleTable) access.RoleTable {
	out := access.RoleTable{Version: t.Version, Grants: map[access.Role][]access.Action{}}
	for r, a := range t.Grants {
		out.Grants[r] = append([]access.Action(nil), a...)
	}
	return out
}

// TestMissingLikeWalled: every operation on a record the actor is
// screened from answers exactly as it does for a record that does not
// exist, so no answer tells them it exists; and a party of a walled case
// named through a visible case is simply not found there.
func TestMissingLikeWalled(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	admin, _ := access.ActorFrom(ctx)
	lara, err := f.Users.Create(ctx, access.User{Name: "Lara Lateral", Email: "lara@firm.test", Roles: []access.Role{access.Attorney, access.Auditor}})
	if err != nil {
		t.Fatal(err)
	}
	lctx := access.WithActor(context.Background(), lara)
	globex, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex Corporation"})
	hooli, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Hooli Inc"})
	in, err := f.Intake.Take(ctx, cases.Intake{Prospect: globex.ID, Source: "phone"})
	if err != nil {
		t.Fatal(err)
	}
	chk, err := f.Conflicts.Run(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	walledCase, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: globex.ID})
	if err != nil {
		t.Fatal(err)
	}
	walledParty, err := f.Cases.AddParty(ctx, cases.Party{Case: walledCase.ID, Contact: hooli.ID, Role: cases.RoleWitness})
	if err != nil {
		t.Fatal(err)
	}
	visible, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Hooli v. Pied Piper", Client: hooli.ID})
	if err != nil {
		t.Fatal(err)
	}
	wall, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{lara.ID}, Clients: []string{string(globex.ID)}, Reason: "lateral hire", ApprovedBy: admin.ID})
	if err != nil {
		t.Fatal(err)
	}
	_ = wall

	const missing = "missing-0000"
	calls := map[string]func(id string) error{
		"Intake.Get": func(id string) error { _, err := f.Intake.Get(lctx, cases.IntakeID(id)); return err },
		"Intake.Update": func(id string) error {
			u := in
			u.ID = cases.IntakeID(id)
			_, err := f.Intake.Update(lctx, u)
			return err
		},
		"Conflicts.Run": func(id string) error { _, err := f.Conflicts.Run(lctx, cases.IntakeID(id)); return err },
		"Cases.Get":     func(id string) error { _, err := f.Cases.Get(lctx, cases.ID(id)); return err },
		"Cases.History": func(id string) error { _, err := f.Cases.History(lctx, cases.ID(id)); return err },
		"Cases.Parties": func(id string) error { _, err := f.Cases.Parties(lctx, cases.ID(id)); return err },
		"Cases.Update": func(id string) error {
			c := walledCase
			c.ID = cases.ID(id)
			_, err := f.Cases.Update(lctx, c)
			return err
		},
		"Cases.Advance": func(id string) error { _, err := f.Cases.Advance(lctx, cases.ID(id), 1, "pleadings", "r"); return err },
		"Cases.AddParty": func(id string) error {
			_, err := f.Cases.AddParty(lctx, cases.Party{Case: cases.ID(id), Contact: hooli.ID, Role: cases.RoleWitness})
			return err
		},
		"Cases.RemoveParty": func(id string) error {
			return f.Cases.RemoveParty(lctx, cases.ID(id), walledParty.ID, walledParty.Version, "r")
		},
	}
	ids := map[string]string{
		"Intake.Get": string(in.ID), "Intake.Update": string(in.ID), "Conflicts.Run": string(in.ID),
	}
	for name, call := range calls {
		id, ok := ids[name]
		if !ok {
			id = string(walledCase.ID)
		}
		errWalled, errMissing := call(id), call(missing)
		if !errors.Is(errWalled, docket.ErrForbidden) || !errors.Is(errMissing, docket.ErrForbidden) || errWalled.Error() != errMissing.Error() {
			t.Errorf("%s: walled %v; missing %v; want the same ErrForbidden", name, errWalled, errMissing)
		}
	}
	for name, call := range map[string]func(id cases.CheckID) error{
		"Conflicts.Get": func(id cases.CheckID) error { _, err := f.Conflicts.Get(lctx, id); return err },
		"Conflicts.Decide": func(id cases.CheckID) error {
			_, err := f.Conflicts.Decide(lctx, id, 1, cases.Cleared, "", "r")
			return err
		},
	} {
		errWalled, errMissing := call(chk.ID), call(missing)
		if !errors.Is(errWalled, docket.ErrForbidden) || errWalled.Error() != errMissing.Error() {
			t.Errorf("%s: walled %v; missing %v; want the same ErrForbidden", name, errWalled, errMissing)
		}
	}

	// Through a case Lara may work on, the walled case's party is not
	// found, exactly like a party that does not exist.
	p := walledParty
	p.Case = visible.ID
	_, errOther := f.Cases.UpdateParty(lctx, p)
	p.ID = missing
	_, errNone := f.Cases.UpdateParty(lctx, p)
	if !errors.Is(errOther, storage.ErrNotFound) || !errors.Is(errNone, storage.ErrNotFound) || errOther.Error() != strings.ReplaceAll(errNone.Error(), missing, string(walledParty.ID)) {
		t.Errorf("another case's party: %v; a missing party: %v; want the same ErrNotFound", errOther, errNone)
	}
	errOther = f.Cases.RemoveParty(lctx, visible.ID, walledParty.ID, walledParty.Version, "r")
	if !errors.Is(errOther, storage.ErrNotFound) {
		t.Errorf("removing another case's party through a visible case: %v, want ErrNotFound", errOther)
	}
	if ps, err := f.Cases.Parties(ctx, walledCase.ID); err != nil || len(ps) != 1 {
		t.Errorf("the walled case's parties changed: %+v %v", ps, err)
	}
}

// TestScopeNeedsItsOwnRight: changing who may see a case (its restricted
// flag, staff or team) needs case.scope; editing its details does not.
func TestScopeNeedsItsOwnRight(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	mk := func(name string, role access.Role) (access.User, context.Context) {
		u, err := f.Users.Create(ctx, access.User{Name: name, Email: "x@firm.test", Roles: []access.Role{role}})
		if err != nil {
			t.Fatal(err)
		}
		return u, access.WithActor(context.Background(), u)
	}
	manager, managerCtx := mk("Paul Paralegal", access.CaseManager)
	lead, leadCtx := mk("Alice Attorney", access.Attorney)
	client, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Jane Roe"})
	c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-criminal", Title: "United States v. Roe", Client: client.ID,
		LeadAttorney: string(lead.ID), CaseManager: string(manager.ID), Restricted: true})
	if err != nil {
		t.Fatal(err)
	}
	open := c
	open.Restricted = false
	if _, err := f.Cases.Update(managerCtx, open); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the case manager opens a restricted case to the firm: %v, want ErrForbidden", err)
	}
	retitled := c
	retitled.Title = "United States v. Roe (superseding)"
	if c, err = f.Cases.Update(managerCtx, retitled); err != nil {
		t.Fatalf("the case manager edits the title: %v", err)
	}
	open = c
	open.Restricted = false
	if _, err := f.Cases.Update(leadCtx, open); err != nil {
		t.Errorf("the lead attorney opens the case to the firm: %v", err)
	}
}

// TestPortalAccountsStandAlone: the client role is not combined with
// staff roles, and only portal users are contacts.
func TestPortalAccountsStandAlone(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	client, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Jane Roe"})
	for _, tt := range []struct {
		u     access.User
		field string
	}{
		{access.User{Name: "Jane Roe", Email: "jane@example.test", Roles: []access.Role{access.ClientUser, access.Attorney}, Contact: string(client.ID)}, "Roles"},
		{access.User{Name: "Al Attorney", Email: "al@firm.test", Roles: []access.Role{access.Attorney}, Contact: string(client.ID)}, "Contact"},
	} {
		_, err := f.Users.Create(ctx, tt.u)
		var fe *cases.FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("user %v: %v, want an error naming %s", tt.u.Roles, err, tt.field)
		}
	}
}

// TestExplainFollowsRecords: Explain decides on what a record belongs to,
// as the operation does, and refuses kinds it does not know.
func TestExplainFollowsRecords(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	admin, _ := access.ActorFrom(ctx)
	lara, err := f.Users.Create(ctx, access.User{Name: "Lara Lateral", Email: "lara@firm.test", Roles: []access.Role{access.Attorney}})
	if err != nil {
		t.Fatal(err)
	}
	globex, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex"})
	in, err := f.Intake.Take(ctx, cases.Intake{Prospect: globex.ID, Source: "phone"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{lara.ID}, Clients: []string{string(globex.ID)}, Reason: "lateral hire", ApprovedBy: admin.ID}); err != nil {
		t.Fatal(err)
	}
	d, err := f.Access.Explain(ctx, lara.ID, access.IntakeRead, access.Resource{Kind: "intake", ID: string(in.ID)})
	if err != nil || d.Allowed || d.Rule != "wall" {
		t.Errorf("explaining Lara's read of the walled client's intake: %+v %v, want denied by the wall", d, err)
	}
	_, getErr := f.Intake.Get(access.WithActor(context.Background(), lara), in.ID)
	if !errors.Is(getErr, docket.ErrForbidden) {
		t.Errorf("and Intake.Get agrees: %v", getErr)
	}
	if _, err := f.Access.Explain(ctx, lara.ID, access.IntakeRead, access.Resource{Kind: "intke", ID: string(in.ID)}); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("an unknown kind: %v, want ErrInvalid", err)
	}
}

// TestNoOracleInOwnTrail: a screened user who probes a walled case and a
// missing one finds neither attempt in the audit log they may read, so
// their own trail does not tell the two apart.
func TestNoOracleInOwnTrail(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	admin, _ := access.ActorFrom(ctx)
	lara, err := f.Users.Create(ctx, access.User{Name: "Lara Lateral", Email: "lara@firm.test", Roles: []access.Role{access.Attorney, access.Auditor}})
	if err != nil {
		t.Fatal(err)
	}
	lctx := access.WithActor(context.Background(), lara)
	globex, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex"})
	c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: globex.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{lara.ID}, Cases: []string{string(c.ID)}, Reason: "lateral hire", ApprovedBy: admin.ID}); err != nil {
		t.Fatal(err)
	}
	for _, probe := range []func() error{
		func() error { _, err := f.Cases.Get(lctx, c.ID); return err },
		func() error { _, err := f.Cases.Get(lctx, "no-such-case"); return err },
		func() error { _, err := f.Cases.GetByReference(lctx, c.Reference); return err },
		func() error { _, err := f.Cases.GetByReference(lctx, "2026-CV-9999"); return err },
	} {
		if err := probe(); !errors.Is(err, docket.ErrForbidden) {
			t.Fatalf("probe: %v", err)
		}
	}
	page, err := f.Audit.List(lctx, docket.AuditFilter{Actor: string(lara.ID)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range page.Items {
		t.Errorf("Lara sees her own probe %s on %s %s", e.Action, e.ResourceType, e.ResourceID)
	}
	// The firm's administrator, who sees the case, sees the attempts on it.
	all, err := f.Audit.List(ctx, docket.AuditFilter{Actor: string(lara.ID)}, nil)
	if err != nil || len(all.Items) != 2 {
		t.Errorf("the administrator sees %d of Lara's attempts (%v), want the 2 on the real case", len(all.Items), err)
	}
}

// TestCheckFollowsItsCase: a conflict check run on names becomes part of
// the case it opens: restricted with it, out of sight of those off the
// team, its audit entries included.
func TestCheckFollowsItsCase(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	admin, _ := access.ActorFrom(ctx)
	other, err := f.Users.Create(ctx, access.User{Name: "Otto Outsider", Email: "otto@firm.test", Roles: []access.Role{access.Attorney, access.Auditor}})
	if err != nil {
		t.Fatal(err)
	}
	octx := access.WithActor(context.Background(), other)
	client, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Jane Roe"})
	chk, err := f.Conflicts.Check(ctx, []cases.Subject{{Name: "Jane Roe", Kind: cases.Person, Role: cases.SubjectClient, Contact: client.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Conflicts.Get(octx, chk.ID); err != nil {
		t.Fatalf("before it opens a case, a check on names is the firm's: %v", err)
	}
	if _, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-criminal", Title: "United States v. Roe", Client: client.ID, ConflictCheck: chk.ID,
		Restricted: true, LeadAttorney: string(admin.ID)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Conflicts.Get(octx, chk.ID); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the check of a restricted case, read off its team: %v, want ErrForbidden", err)
	}
	page, err := f.Audit.List(octx, docket.AuditFilter{ResourceID: string(chk.ID)}, nil)
	if err != nil || len(page.Items) != 0 {
		t.Errorf("off the team, the check's audit entries: %d (%v), want none", len(page.Items), err)
	}
	if _, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-criminal", Title: "United States v. Roe II", Client: client.ID, ConflictCheck: chk.ID}); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("one check opening a second case: %v, want ErrInvalid", err)
	}
}

// TestCoClientsAreScope: making a contact a client of a case, or ceasing
// to, changes who may see it: it needs case.scope, and a co-client an
// active wall names stays unless the actor may also lift walls.
func TestCoClientsAreScope(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	admin, _ := access.ActorFrom(ctx)
	mk := func(name string, roles ...access.Role) context.Context {
		u, err := f.Users.Create(ctx, access.User{Name: name, Email: "x@firm.test", Roles: roles})
		if err != nil {
			t.Fatal(err)
		}
		return access.WithActor(context.Background(), u)
	}
	casey := mk("Casey Manager", access.CaseManager)
	atty := mk("Al Attorney", access.Attorney)
	lara, err := f.Users.Create(ctx, access.User{Name: "Lara Lateral", Email: "lara@firm.test", Roles: []access.Role{access.Attorney}})
	if err != nil {
		t.Fatal(err)
	}
	hooli, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Hooli"})
	globex, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex"})
	c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Hooli and Globex v. Massive Dynamic", Client: hooli.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Cases.AddParty(casey, cases.Party{Case: c.ID, Contact: globex.ID, Role: cases.RoleClient}); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a case manager adds a co-client: %v, want ErrForbidden (case.scope)", err)
	}
	co, err := f.Cases.AddParty(atty, cases.Party{Case: c.ID, Contact: globex.ID, Role: cases.RoleClient})
	if err != nil {
		t.Fatalf("an attorney adds a co-client: %v", err)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{lara.ID}, Clients: []string{string(globex.ID)}, Reason: "lateral hire", ApprovedBy: admin.ID}); err != nil {
		t.Fatal(err)
	}
	demoted := co
	demoted.Role = cases.RoleOther
	if _, err := f.Cases.UpdateParty(casey, demoted); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a case manager demotes the walled co-client: %v, want ErrForbidden", err)
	}
	if _, err := f.Cases.UpdateParty(atty, demoted); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("an attorney (no access.wall) demotes the walled co-client, lifting the wall from the case: %v, want ErrForbidden", err)
	}
	if err := f.Cases.RemoveParty(atty, c.ID, co.ID, co.Version, "added by mistake"); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("an attorney removes the walled co-client: %v, want ErrForbidden", err)
	}
	if err := f.Cases.RemoveParty(ctx, c.ID, co.ID, co.Version, "added by mistake"); err != nil {
		t.Errorf("a partner who administers walls removes it: %v", err)
	}
}

// TestDenialReasonsAlike: whatever refuses a probe (a missing record, a
// wall, a restricted case), the audit entry the prober may read gives the
// same reason, so their own trail does not tell them apart.
func TestDenialReasonsAlike(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	admin, _ := access.ActorFrom(ctx)
	lara, err := f.Users.Create(ctx, access.User{Name: "Lara Lateral", Email: "lara@firm.test", Roles: []access.Role{access.Partner}})
	if err != nil {
		t.Fatal(err)
	}
	lctx := access.WithActor(context.Background(), lara)
	globex, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex"})
	hooli, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Hooli"})
	walledIntake, err := f.Intake.Take(ctx, cases.Intake{Prospect: globex.ID, Source: "phone"})
	if err != nil {
		t.Fatal(err)
	}
	restricted, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Hooli v. Pied Piper", Client: hooli.ID, Restricted: true, LeadAttorney: string(admin.ID)})
	if err != nil {
		t.Fatal(err)
	}
	walled, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: globex.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{lara.ID}, Clients: []string{string(globex.ID)}, Reason: "lateral hire", ApprovedBy: admin.ID}); err != nil {
		t.Fatal(err)
	}
	probes := []func() error{
		func() error {
			_, err := f.Cases.Open(lctx, cases.Draft{Type: "federal-civil", Title: "X", Client: hooli.ID, Intake: walledIntake.ID})
			return err
		},
		func() error {
			_, err := f.Cases.Open(lctx, cases.Draft{Type: "federal-civil", Title: "X", Client: hooli.ID, Intake: "no-such-intake"})
			return err
		},
		func() error { _, err := f.Cases.Get(lctx, restricted.ID); return err },
		func() error { _, err := f.Cases.Get(lctx, walled.ID); return err },
		func() error { _, err := f.Cases.Get(lctx, "no-such-case"); return err },
		func() error {
			_, err := f.Access.ErectWall(lctx, access.Wall{Users: []access.UserID{admin.ID}, Cases: []string{string(restricted.ID)}, Reason: "r", ApprovedBy: lara.ID})
			return err
		},
		func() error {
			_, err := f.Access.ErectWall(lctx, access.Wall{Users: []access.UserID{admin.ID}, Cases: []string{"no-such-case"}, Reason: "r", ApprovedBy: lara.ID})
			return err
		},
	}
	for i, probe := range probes {
		if err := probe(); !errors.Is(err, docket.ErrForbidden) {
			t.Fatalf("probe %d: %v", i, err)
		}
	}
	// Lara is a partner: she reads the audit log. Every refusal she can
	// see there gives one reason.
	page, err := f.Audit.List(lctx, docket.AuditFilter{Actor: string(lara.ID)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]bool{}
	for _, e := range page.Items {
		if strings.HasSuffix(e.Action, ".denied") {
			reasons[e.Reason] = true
		}
	}
	if len(reasons) > 1 {
		t.Errorf("the prober's own trail gives %d different reasons: %v", len(reasons), reasons)
	}
}

// TestCalendarNoOracle: a screened user's probes of calendar records
// leave no trace they can list, whether the record is hidden or missing;
// and a walled client may not be put in their diary.
func TestCalendarNoOracle(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	admin, _ := access.ActorFrom(ctx)
	lara, err := f.Users.Create(ctx, access.User{Name: "Lara Lateral", Email: "lara@firm.test", Roles: []access.Role{access.Attorney, access.Auditor}})
	if err != nil {
		t.Fatal(err)
	}
	lctx := access.WithActor(context.Background(), lara)
	hooli, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Hooli"})
	acme, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Acme"})
	hidden, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Hooli v. Pied Piper", Client: hooli.ID})
	if err != nil {
		t.Fatal(err)
	}
	own, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Acme v. Roadrunner", Client: acme.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Calendar.PutCourt(ctx, calendar.Court{ID: "nysd", Name: "S.D.N.Y.", TimeZone: "America/New_York", Holidays: []string{"us-federal"}}); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 4, 14, 13, 30, 0, 0, time.UTC)
	ev, _, err := f.Calendar.Schedule(ctx, calendar.Event{Case: hidden.ID, Kind: calendar.Mediation, Title: "Mediation", Start: start, End: start.Add(2 * time.Hour), TimeZone: "America/New_York"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{lara.ID}, Clients: []string{string(hooli.ID)}, Reason: "lateral hire", ApprovedBy: admin.ID}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []calendar.EventID{ev.ID, "no-such-event"} {
		if _, err := f.Calendar.Event(lctx, id); !errors.Is(err, docket.ErrForbidden) {
			t.Errorf("Event(%s): %v", id, err)
		}
		if _, _, err := f.Calendar.FindSlot(lctx, id, docket.SlotOptions{}); !errors.Is(err, docket.ErrForbidden) {
			t.Errorf("FindSlot(%s): %v", id, err)
		}
	}
	page, err := f.Audit.List(lctx, docket.AuditFilter{Actor: string(lara.ID)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range page.Items {
		t.Errorf("Lara lists her probe %s on %s %s", e.Action, e.ResourceType, e.ResourceID)
	}
	_, _, err = f.Calendar.Schedule(lctx, calendar.Event{Case: own.ID, Kind: calendar.ClientMeeting, Title: "Placeholder", Start: start, End: start.Add(24 * time.Hour),
		TimeZone: "America/New_York", Attendees: []calendar.Attendee{{Kind: calendar.AttendeeContact, ID: string(hooli.ID)}}})
	if !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the walled user puts the walled client in a diary: %v", err)
	}
}
