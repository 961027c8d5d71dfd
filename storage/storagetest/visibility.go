package storagetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// testVisibility: a Visibility follows records to what they belong to.
// Intakes, meetings, conflict checks and audit entries of a walled client
// are hidden whether or not they became a case; entries about a wall are
// hidden from those it names; a portal user sees only their own. Each
// list is compared, item by item, with the rule of storage.Visibility
// applied by hand to a small fixture.
func testVisibility(t *testing.T, s storage.Store) {
	ctx := context.Background()
	user := func(id string) access.User {
		return access.User{ID: access.UserID(id), Name: id, Email: id + "@firm.test", Active: true, Version: 1, Created: base, Updated: base}
	}
	contact := func(id string) cases.Contact {
		c := makeContact(0)
		c.ID = cases.ContactID(id)
		return c
	}
	kase := func(id string, client cases.ContactID, restricted bool, team ...string) cases.Case {
		c := makeCase(len(id), client)
		c.ID, c.Reference, c.Restricted, c.LeadAttorney, c.Team = cases.ID(id), "REF-"+id, restricted, "", nil
		for _, u := range team {
			c.Team = append(c.Team, cases.TeamMember{User: u, Role: "member"})
		}
		return c
	}
	intake := func(id string, prospect cases.ContactID, caseID cases.ID) cases.Intake {
		in := cases.Intake{ID: cases.IntakeID(id), Prospect: prospect, Source: "phone", Facts: "facts of " + id,
			Status: cases.IntakeOpen, Case: caseID, TakenBy: "lara", Version: 1, Created: base, Updated: base}
		if caseID != "" {
			in.Status = cases.IntakeAccepted
		}
		return in
	}
	meeting := func(id string, contact cases.ContactID, caseID cases.ID, in cases.IntakeID) cases.Meeting {
		return cases.Meeting{ID: cases.MeetingID(id), Contact: contact, Case: caseID, Intake: in, At: base, Minutes: 30,
			Notes: "notes of " + id, RecordedBy: "lara", Created: base}
	}
	check := func(id string, in cases.IntakeID) cases.ConflictCheck {
		return cases.ConflictCheck{ID: cases.CheckID(id), Intake: in, Subjects: []cases.Subject{{Name: "X", Kind: cases.Person, Role: cases.SubjectClient}},
			Decision: cases.Pending, RanBy: "lara", RanAt: base, Version: 1, Created: base, Updated: base}
	}
	wall := func(id string, users []access.UserID, cs, clients []string, lifted bool) access.Wall {
		w := access.Wall{ID: id, Users: users, Cases: cs, Clients: clients, Reason: "screen", ApprovedBy: "ada", CreatedBy: "ada",
			Version: 1, Created: base, Updated: base}
		if lifted {
			w.Lifted, w.LiftedBy, w.LiftReason = base.Add(time.Hour), "ada", "matter over"
		}
		return w
	}

	// Lara is screened from every case of Globex (k-globex) and, by a
	// lifted wall, once was from c-hooli. Tom is on c-hooli's team. Pat
	// is Hooli's portal user.
	ins := []cases.Intake{
		intake("i-globex-open", "k-globex", ""), // a walled client's intake that became no case
		intake("i-globex-case", "k-globex", "c-globex"),
		intake("i-hooli-case", "k-hooli", "c-hooli"), // became a restricted case
		intake("i-hooli-open", "k-hooli", ""),
		intake("i-acme", "k-acme", ""),
	}
	ms := []cases.Meeting{
		meeting("m-globex", "k-globex", "", ""),
		meeting("m-via-intake", "k-acme", "", "i-globex-open"), // tied to a walled client's intake
		meeting("m-hooli-case", "k-hooli", "c-hooli", ""),
		meeting("m-hooli", "k-hooli", "", ""),
		meeting("m-acme", "k-acme", "", "i-acme"),
	}
	chks := []cases.ConflictCheck{check("ch-globex", "i-globex-open"), check("ch-free", ""), check("ch-acme", "i-acme"), check("ch-hooli", "i-hooli-case"),
		check("ch-client", ""), check("ch-attached", "")}
	chks[4].Clients = []cases.ContactID{"k-acme", "k-globex"}               // run on names, jointly for Acme and the walled client
	chks[5].Clients, chks[5].Case = []cases.ContactID{"k-acme"}, "c-globex" // and one that opened the walled case
	walls := []access.Wall{
		wall("w-globex", []access.UserID{"lara"}, nil, []string{"k-globex"}, false),
		wall("w-old", []access.UserID{"lara"}, []string{"c-hooli"}, nil, true),
		wall("w-tom", []access.UserID{"tom"}, nil, []string{"k-nobody"}, false),
		wall("w-matter", []access.UserID{"ada"}, []string{"c-globex"}, nil, false), // around a matter Lara may not see
	}
	// Each entry, and whether Lara, Tom and Pat see it.
	type ent struct {
		typ, id, caseID string
		lara, tom, pat  bool
	}
	ents := []ent{
		{"user", "lara", "", true, true, false},
		{"case", "c-globex", "c-globex", false, true, false},
		{"case", "c-hooli", "c-hooli", false, true, true},
		{"case", "c-acme", "c-acme", true, true, false},
		{"case", "c-joint", "c-joint", false, true, false},      // Globex is a co-client
		{"case", "c-hooli-co", "c-hooli-co", true, true, true},  // Hooli is a co-client
		{"case", "c-missing", "c-missing", false, false, false}, // a denied attempt on a wrong key: no oracle
		{storage.KindIntake, "i-globex-open", "", false, true, false},
		{storage.KindIntake, "i-globex-case", "", false, true, false}, // taken before it became the walled case
		{storage.KindIntake, "i-hooli-case", "c-hooli", false, true, true},
		{storage.KindIntake, "i-hooli-open", "", true, true, false},
		{storage.KindIntake, "i-acme", "", true, true, false},
		{storage.KindIntake, "i-missing", "", false, false, false},
		{storage.KindMeeting, "m-globex", "", false, true, false},
		{storage.KindMeeting, "m-via-intake", "", false, true, false},
		{storage.KindMeeting, "m-hooli-case", "c-hooli", false, true, true},
		{storage.KindMeeting, "m-hooli", "", true, true, false},
		{storage.KindMeeting, "m-acme", "", true, true, false},
		{storage.KindCheck, "ch-globex", "", false, true, false},
		{storage.KindCheck, "ch-free", "", true, true, false},
		{storage.KindCheck, "ch-acme", "", true, true, false},
		{storage.KindCheck, "ch-hooli", "", false, true, false},
		{storage.KindCheck, "ch-client", "", false, true, false},
		{storage.KindCheck, "ch-attached", "", false, true, false},
		{storage.KindWall, "w-globex", "", false, true, false},
		{storage.KindWall, "w-old", "", false, true, false},
		{storage.KindWall, "w-tom", "", true, false, false},
		{storage.KindWall, "w-matter", "", false, true, false},
		{storage.KindReference, "REF-c-acme", "", true, true, false},
		{storage.KindReference, "REF-c-globex", "", false, true, false},
		{storage.KindReference, "REF-nope", "", false, false, false},
	}
	entriesOf := func(who func(ent) bool) []string {
		var out []string
		for _, e := range ents {
			if who(e) {
				out = append(out, e.typ+":"+e.id)
			}
		}
		return out
	}
	update(t, s, func(tx storage.Tx) error {
		for _, u := range []string{"ada", "lara", "tom", "pat"} {
			if err := tx.Users().Create(ctx, user(u)); err != nil {
				return err
			}
		}
		for _, k := range []string{"k-globex", "k-hooli", "k-acme", "k-nobody"} {
			if err := tx.Contacts().Create(ctx, contact(k)); err != nil {
				return err
			}
		}
		for _, c := range []cases.Case{kase("c-globex", "k-globex", false), kase("c-hooli", "k-hooli", true, "tom"), kase("c-acme", "k-acme", false),
			kase("c-joint", "k-acme", false), kase("c-hooli-co", "k-acme", false)} {
			if err := tx.Cases().Create(ctx, c); err != nil {
				return err
			}
		}
		// Two stage changes a case, an hour apart, the cases a minute
		// apart.
		for i, id := range []cases.ID{"c-globex", "c-hooli", "c-acme", "c-joint", "c-hooli-co"} {
			for seq := int64(1); seq <= 2; seq++ {
				at := base.Add(time.Duration(i)*time.Minute + time.Duration(seq-1)*time.Hour)
				if err := tx.Stages().Append(ctx, cases.StageChange{Case: id, Seq: seq, From: map[int64]string{2: "intake"}[seq], To: map[int64]string{1: "intake", 2: "pleadings"}[seq],
					Reason: "moved", By: "ada", At: at}); err != nil {
					return err
				}
			}
		}
		for _, p := range []cases.Party{
			{ID: "p-joint", Case: "c-joint", Contact: "k-globex", Role: cases.RoleClient, Version: 1, Created: base, Updated: base},
			{ID: "p-hooli-co", Case: "c-hooli-co", Contact: "k-hooli", Role: cases.RoleClient, Version: 1, Created: base, Updated: base},
			{ID: "p-witness", Case: "c-acme", Contact: "k-globex", Role: cases.RoleWitness, Version: 1, Created: base, Updated: base}, // not a client
		} {
			if err := tx.Parties().Create(ctx, p); err != nil {
				return err
			}
		}
		for _, in := range ins {
			if err := tx.Intakes().Create(ctx, in); err != nil {
				return err
			}
		}
		for _, m := range ms {
			if err := tx.Meetings().Create(ctx, m); err != nil {
				return err
			}
		}
		for _, c := range chks {
			if err := tx.Checks().Create(ctx, c); err != nil {
				return err
			}
		}
		for _, w := range walls {
			if err := tx.Walls().Create(ctx, w); err != nil {
				return err
			}
		}
		for i, e := range ents {
			if err := tx.Audit().Append(ctx, audit.Entry{At: base.Add(time.Duration(i) * time.Second), Actor: "ada", Action: e.typ + ".update",
				ResourceType: e.typ, ResourceID: e.id, CaseID: e.caseID}); err != nil {
				return err
			}
		}
		return nil
	})

	if all, in, after, before := checksRunIn(t, s, time.Time{}, time.Time{}), checksRunIn(t, s, base, base.Add(time.Second)),
		checksRunIn(t, s, base.Add(time.Second), time.Time{}), checksRunIn(t, s, time.Time{}, base); all != len(chks) || in != all || after != 0 || before != 0 {
		t.Errorf("checks run in a period: %d in all, %d at base, %d after, %d before; want %d, %d, 0, 0", all, in, after, before, len(chks), len(chks))
	}
	lara := &storage.Visibility{User: "lara"}
	tom := &storage.Visibility{User: "tom"}
	pat := &storage.Visibility{User: "pat", Contact: "k-hooli"}
	for _, tc := range []struct {
		name                     string
		v                        *storage.Visibility
		cases, intakes, meetings []string
		walls, entries           []string
	}{
		{
			name:     "walled user",
			v:        lara,
			cases:    []string{"c-acme", "c-hooli-co"},
			intakes:  []string{"i-acme", "i-hooli-open"},
			meetings: []string{"m-acme", "m-hooli"},
			walls:    []string{"w-tom"},
			entries:  entriesOf(func(e ent) bool { return e.lara }),
		},
		{
			name:     "team member",
			v:        tom,
			cases:    []string{"c-acme", "c-globex", "c-hooli", "c-hooli-co", "c-joint"},
			intakes:  []string{"i-acme", "i-globex-case", "i-globex-open", "i-hooli-case", "i-hooli-open"},
			meetings: []string{"m-acme", "m-globex", "m-hooli", "m-hooli-case", "m-via-intake"},
			walls:    []string{"w-globex", "w-matter", "w-old"},
			entries:  entriesOf(func(e ent) bool { return e.tom }),
		},
		{
			name:     "portal user",
			v:        pat,
			cases:    []string{"c-hooli", "c-hooli-co"},
			intakes:  []string{"i-hooli-case", "i-hooli-open"},
			meetings: []string{"m-hooli", "m-hooli-case"},
			walls:    []string{"w-old"},
			entries:  entriesOf(func(e ent) bool { return e.pat }),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var gotC, gotIn, gotM, gotW, gotE, gotK, gotS []string
			view(t, s, func(tx storage.Tx) error {
				return firstErr(
					eachItem(func(p storage.Page) (string, error) {
						items, next, err := tx.Cases().List(ctx, storage.CaseFilter{Visible: tc.v}, p)
						for _, c := range items {
							gotC = append(gotC, string(c.ID))
						}
						return next, err
					}),
					eachItem(func(p storage.Page) (string, error) {
						items, next, err := tx.Intakes().List(ctx, storage.IntakeFilter{Visible: tc.v}, p)
						for _, in := range items {
							gotIn = append(gotIn, string(in.ID))
						}
						return next, err
					}),
					eachItem(func(p storage.Page) (string, error) {
						items, next, err := tx.Meetings().List(ctx, storage.MeetingFilter{Visible: tc.v}, p)
						for _, m := range items {
							gotM = append(gotM, string(m.ID))
						}
						return next, err
					}),
					eachItem(func(p storage.Page) (string, error) {
						items, next, err := tx.Walls().List(ctx, storage.WallFilter{Visible: tc.v}, p)
						for _, w := range items {
							gotW = append(gotW, w.ID)
						}
						return next, err
					}),
					eachItem(func(p storage.Page) (string, error) {
						items, next, err := tx.Stages().Between(ctx, storage.StageFilter{From: base.Add(time.Hour), Visible: tc.v}, p)
						for _, c := range items {
							gotS = append(gotS, string(c.Case))
						}
						return next, err
					}),
					eachItem(func(p storage.Page) (string, error) {
						items, next, err := tx.Checks().List(ctx, storage.CheckFilter{Visible: tc.v}, p)
						for _, c := range items {
							gotK = append(gotK, storage.KindCheck+":"+string(c.ID))
						}
						return next, err
					}),
					eachItem(func(p storage.Page) (string, error) {
						items, next, err := tx.Audit().List(ctx, storage.AuditFilter{Visible: tc.v}, p)
						for _, e := range items {
							gotE = append(gotE, e.ResourceType+":"+e.ResourceID)
						}
						return next, err
					}),
				)
			})
			slices.Sort(gotC)
			slices.Sort(gotIn)
			slices.Sort(gotM)
			slices.Sort(gotW)
			for _, l := range []struct {
				what      string
				got, want []string
			}{{"cases", gotC, tc.cases}, {"intakes", gotIn, tc.intakes}, {"meetings", gotM, tc.meetings}, {"walls", gotW, tc.walls}, {"audit entries", gotE, tc.entries}} {
				if diff := cmp.Diff(l.want, l.got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", l.what, diff)
				}
			}
			// A case's stage changes show where it does, in time order: the
			// second change of each visible case, a minute apart in the
			// order the cases were made.
			var wantS []string
			for _, id := range []string{"c-globex", "c-hooli", "c-acme", "c-joint", "c-hooli-co"} {
				if slices.Contains(tc.cases, id) {
					wantS = append(wantS, id)
				}
			}
			if diff := cmp.Diff(wantS, gotS); diff != "" {
				t.Errorf("stage changes from an hour on (-want +got):\n%s", diff)
			}
			// A check shows where an entry about it does (a portal user
			// sees entries about their cases only, and reads no checks).
			if tc.v.Contact == "" {
				var wantK []string
				for _, e := range tc.entries {
					if strings.HasPrefix(e, storage.KindCheck+":") {
						wantK = append(wantK, e)
					}
				}
				slices.Sort(gotK)
				slices.Sort(wantK)
				if diff := cmp.Diff(wantK, gotK); diff != "" {
					t.Errorf("conflict checks (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// checksRunIn counts the checks run in [from, until).
func checksRunIn(t *testing.T, s storage.Store, from, until time.Time) int {
	t.Helper()
	n := 0
	view(t, s, func(tx storage.Tx) error {
		return eachItem(func(p storage.Page) (string, error) {
			items, next, err := tx.Checks().List(context.Background(), storage.CheckFilter{From: from, Until: until}, p)
			n += len(items)
			return next, err
		})
	})
	return n
}

// eachItem pages through a list two items at a time, so that the
// filters are exercised across cursors.
func eachItem(list func(storage.Page) (string, error)) error {
	p := storage.Page{Limit: 2}
	for {
		next, err := list(p)
		if err != nil || next == "" {
			return err
		}
		p.After = next
	}
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
