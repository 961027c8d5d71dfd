package docket_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/memory"
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

// TestWalls: erecting and lifting walls, with their approver, audited.
func TestWalls(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	partner, err := f.Users.Create(ctx, access.User{Name: "Pat Partner", Email: "pat@firm.test", Roles: []access.Role{access.Partner}})
	if err != nil {
		t.Fatal(err)
	}
	clerk, err := f.Users.Create(ctx, access.User{Name: "Lateral Hire", Email: "lat@firm.test", Roles: []access.Role{access.Attorney}})
	if err != nil {
		t.Fatal(err)
	}
	globex, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex Corporation"})
	c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: globex.ID})
	if err != nil {
		t.Fatal(err)
	}
	fieldIs := func(what string, err error, field string) {
		t.Helper()
		var fe *cases.FieldError
		if !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: %v, want an error naming %s", what, err, field)
		}
	}
	good := access.Wall{Users: []access.UserID{clerk.ID}, Cases: []string{string(c.ID)}, Clients: []string{string(globex.ID)},
		Reason: "joined from Initech's counsel", ApprovedBy: partner.ID}
	noApprover := good
	noApprover.ApprovedBy = clerk.ID
	_, err = f.Access.ErectWall(ctx, noApprover)
	fieldIs("an approver who may not approve walls", err, "ApprovedBy")
	noReason := good
	noReason.Reason = ""
	_, err = f.Access.ErectWall(ctx, noReason)
	fieldIs("a wall without a reason", err, "Reason")
	twice := good
	twice.Users = []access.UserID{clerk.ID, clerk.ID}
	_, err = f.Access.ErectWall(ctx, twice)
	fieldIs("a user listed twice", err, "Users[1]")
	ghost := good
	ghost.Cases = []string{"no-such-case"}
	_, err = f.Access.ErectWall(ctx, ghost)
	// Refused like a case the actor may not see: a wall is no way to
	// probe which cases exist.
	if !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a wall naming a missing case: %v, want ErrForbidden", err)
	}

	w, err := f.Access.ErectWall(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	page, err := f.Access.Walls(ctx, docket.WallFilter{User: clerk.ID, Active: true}, nil)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("walls screening the lateral hire: %+v %v", page.Items, err)
	}
	if _, err := f.Access.LiftWall(ctx, w.ID, w.Version, ""); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("lifting without a reason: %v", err)
	}
	lifted, err := f.Access.LiftWall(ctx, w.ID, w.Version, "matter concluded")
	if err != nil {
		t.Fatal(err)
	}
	if lifted.Active() || lifted.LiftReason != "matter concluded" {
		t.Errorf("lifted wall: %+v", lifted)
	}
	_, err = f.Access.LiftWall(ctx, w.ID, lifted.Version, "again")
	fieldIs("lifting a lifted wall", err, "Lifted")
	trail, err := f.Audit.List(ctx, docket.AuditFilter{ResourceType: "wall", ResourceID: w.ID}, nil)
	if err != nil || len(trail.Items) != 2 || trail.Items[0].Action != "access.wall.erect" || trail.Items[1].Action != "access.wall.lift" {
		t.Errorf("wall trail: %+v %v", trail.Items, err)
	}
}

// TestPolicyAcrossFirms: a change made through one Firm applies to its
// next check at once; another Firm on the same store (another server) sees
// it within its PolicyRecheck, or at once when it rechecks every time.
func TestPolicyAcrossFirms(t *testing.T) {
	store := memory.New()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	a, err := docket.New(store, &docket.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := a.Users.Bootstrap(context.Background(), access.User{Name: "Ada", Email: "ada@firm.test", Roles: []access.Role{access.Partner}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := access.WithActor(context.Background(), admin)
	lateral, _ := a.Users.Create(ctx, access.User{Name: "Lat", Email: "lat@firm.test", Roles: []access.Role{access.Attorney}})
	client, _ := a.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex"})
	c, err := a.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: client.ID})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := docket.New(store, &docket.Options{Clock: clock})
	strict, _ := docket.New(store, &docket.Options{Clock: clock, PolicyRecheck: -1})
	lat := access.WithActor(context.Background(), lateral)
	for name, f := range map[string]*docket.Firm{"a": a, "b": b, "strict": strict} {
		if _, err := f.Cases.Get(lat, c.ID); err != nil {
			t.Fatalf("firm %s before the wall: %v", name, err)
		}
	}
	if _, err := a.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{lateral.ID}, Cases: []string{string(c.ID)}, Reason: "came from Initech's counsel", ApprovedBy: admin.ID}); err != nil {
		t.Fatal(err)
	}
	check := func(f *docket.Firm, want error, when string) {
		t.Helper()
		if _, err := f.Cases.Get(lat, c.ID); !errors.Is(err, want) && !(want == nil && err == nil) {
			t.Errorf("%s: %v, want %v", when, err, want)
		}
	}
	check(a, docket.ErrForbidden, "the Firm that erected the wall")
	check(strict, docket.ErrForbidden, "a Firm that rechecks every time")
	check(b, nil, "another Firm within its recheck interval")
	now = now.Add(docket.DefaultPolicyRecheck)
	check(b, docket.ErrForbidden, "another Firm after its recheck interval")
}

// TestBreakGlass: a partner outside a restricted case's team reads it only
// by breaking glass with a reason, which the audit log keeps; an
// administrator cannot, and a wall stops even a partner.
func TestBreakGlass(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	mk := func(name string, role access.Role) (access.User, context.Context) {
		u, err := f.Users.Create(ctx, access.User{Name: name, Email: "x@firm.test", Roles: []access.Role{role}})
		if err != nil {
			t.Fatal(err)
		}
		return u, access.WithActor(context.Background(), u)
	}
	lead, leadCtx := mk("Lee Lead", access.Partner) // on the team, and may read its audit trail
	_, partnerCtx := mk("Pat Partner", access.Partner)
	walledPartner, walledCtx := mk("Wally Partner", access.Partner)
	_, adminCtx := mk("Ada Admin", access.Administrator)
	client, _ := f.Contacts.Create(leadCtx, cases.Contact{Kind: cases.Person, Name: "Jane Roe"})
	c, err := f.Cases.Open(leadCtx, cases.Draft{Type: "federal-criminal", Title: "United States v. Roe", Client: client.ID, LeadAttorney: string(lead.ID), Restricted: true})
	if err != nil {
		t.Fatal(err)
	}
	admin, _ := access.ActorFrom(ctx)
	// Only someone who sees the restricted case draws a wall around it:
	// the administrator may not, the lead partner may.
	wall := access.Wall{Users: []access.UserID{walledPartner.ID}, Cases: []string{string(c.ID)}, Reason: "family tie", ApprovedBy: admin.ID}
	if _, err := f.Access.ErectWall(ctx, wall); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("an administrator off the team walls the restricted case: %v, want ErrForbidden", err)
	}
	if _, err := f.Access.ErectWall(leadCtx, wall); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Cases.Get(partnerCtx, c.ID); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("a partner off the team reads a restricted case: %v", err)
	}
	if _, err := f.Cases.BreakGlass(partnerCtx, c.ID, ""); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("breaking glass without a reason: %v, want ErrInvalid", err)
	}
	got, err := f.Cases.BreakGlass(partnerCtx, c.ID, "client's emergency bail hearing; lead unreachable")
	if err != nil || got.ID != c.ID {
		t.Fatalf("break-glass read: %v", err)
	}
	for name, actx := range map[string]context.Context{"administrator": adminCtx, "walled partner": walledCtx} {
		if _, err := f.Cases.BreakGlass(actx, c.ID, "curious"); !errors.Is(err, docket.ErrForbidden) {
			t.Errorf("%s breaks glass: %v, want ErrForbidden", name, err)
		}
	}
	trail, err := f.Audit.ForCase(leadCtx, c.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	var glass []string
	for _, e := range trail.Items {
		if strings.HasPrefix(e.Action, "case.break-glass") {
			glass = append(glass, e.Action+": "+e.Reason)
		}
	}
	want := []string{"case.break-glass: client's emergency bail hearing; lead unreachable"}
	if len(glass) < 1 || glass[0] != want[0] {
		t.Errorf("break-glass entries in the case's trail: %v, want the read with its reason first", glass)
	}
}

// TestWallsHiddenFromTheScreened: a partner screened by a wall cannot read
// it, list it or lift it, and nobody changes their own roles.
func TestWallsHiddenFromTheScreened(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	admin, _ := access.ActorFrom(ctx)
	p, err := f.Users.Create(ctx, access.User{Name: "Pat Partner", Email: "pat@firm.test", Roles: []access.Role{access.Partner}})
	if err != nil {
		t.Fatal(err)
	}
	pctx := access.WithActor(context.Background(), p)
	client, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex"})
	c, _ := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: client.ID})
	w, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{p.ID}, Cases: []string{string(c.ID)}, Reason: "family tie", ApprovedBy: admin.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Access.Wall(pctx, w.ID); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the screened partner reads the wall: %v", err)
	}
	if page, err := f.Access.Walls(pctx, docket.WallFilter{}, nil); err != nil || len(page.Items) != 0 {
		t.Errorf("the screened partner lists %d walls (%v)", len(page.Items), err)
	}
	if _, err := f.Access.LiftWall(pctx, w.ID, w.Version, "no longer needed"); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("the screened partner lifts the wall: %v", err)
	}
	if _, err := f.Cases.Get(pctx, c.ID); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("after trying, the screened partner reads the case: %v", err)
	}
	me, _ := f.Users.Get(ctx, admin.ID)
	me.Roles = append(me.Roles, access.Auditor)
	if _, err := f.Users.Update(ctx, me); !errors.Is(err, docket.ErrInvalid) {
		t.Errorf("an administrator changes their own roles: %v", err)
	}
}

// TestExplainNeedsSight: an administrator explains decisions about a case
// only if they may read it themselves; a missing case is denied alike.
func TestExplainNeedsSight(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	admin, _ := access.ActorFrom(ctx)
	other, err := f.Users.Create(ctx, access.User{Name: "Ann Admin", Email: "ann@firm.test", Roles: []access.Role{access.Administrator, access.Partner}})
	if err != nil {
		t.Fatal(err)
	}
	octx := access.WithActor(context.Background(), other)
	client, _ := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: "Globex"})
	c, _ := f.Cases.Open(ctx, cases.Draft{Type: "federal-civil", Title: "Globex v. Initech", Client: client.ID})
	res := access.Resource{Kind: "case", ID: string(c.ID), Case: string(c.ID)}
	if d, err := f.Access.Explain(octx, admin.ID, access.CaseRead, res); err != nil || !d.Allowed {
		t.Fatalf("explaining a visible case: %+v %v", d, err)
	}
	if _, err := f.Access.ErectWall(ctx, access.Wall{Users: []access.UserID{other.ID}, Cases: []string{string(c.ID)}, Reason: "tie", ApprovedBy: admin.ID}); err != nil {
		t.Fatal(err)
	}
	_, errWalled := f.Access.Explain(octx, admin.ID, access.CaseRead, res)
	_, errMissing := f.Access.Explain(octx, admin.ID, access.CaseRead, access.Resource{Kind: "case", ID: "nope", Case: "nope"})
	if !errors.Is(errWalled, docket.ErrForbidden) || !errors.Is(errMissing, docket.ErrForbidden) || errWalled.Error() != errMissing.Error() {
		t.Errorf("explaining a walled case: %v; a missing one: %v; want the same ErrForbidden", errWalled, errMissing)
	}
}

// TestIntakeGetRevealsNothing: a missing intake is denied like one the
// actor may not see.
func TestIntakeGetRevealsNothing(t *testing.T) {
	f, ctx := newTestFirm(t, nil)
	if _, err := f.Intake.Get(ctx, "no-such-intake"); !errors.Is(err, docket.ErrForbidden) {
		t.Errorf("Get of a missing intake: %v, want ErrForbidden", err)
	}
}
