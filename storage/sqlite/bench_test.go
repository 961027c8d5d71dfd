package sqlite_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/docketkit/docket/access"
	"github.com/docketkit/docket/audit"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/sqlite"
	"github.com/docketkit/docket/storage/storagetest"
)

// Each benchmark runs the Docket operation and the bare operation it wraps
// alternately in one loop, on the same database, and reports both and
// their ratio ("x-bare"), so the ratio comes from one run on one machine
// state. The database uses the durable defaults (WAL, synchronous=FULL).

func openBench(b *testing.B) *sqlite.Store {
	b.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

func report(b *testing.B, docket, bare time.Duration, unit string) {
	n := float64(b.N)
	b.ReportMetric(float64(docket.Nanoseconds())/n, "ns/"+unit)
	b.ReportMetric(float64(bare.Nanoseconds())/n, "ns/bare")
	b.ReportMetric(float64(docket)/float64(bare), "x-bare")
}

// BenchmarkCasesOpen: Firm.Cases.Open (authorize, validate, reference
// counter, case row with its client checked by foreign key, first stage
// entry, the audit entry sealed into the chain and the chain's head moved)
// against a bare sqlx INSERT of the same case row plus one audit row in one
// transaction.
func BenchmarkCasesOpen(b *testing.B) {
	s := openBench(b)
	f, ctx, _ := storagetest.NewFirm(b, s, nil)
	client, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "María García"})
	if err != nil {
		b.Fatal(err)
	}
	db := s.Writer()
	insertCase := db.Rebind(`INSERT INTO cases (id, reference, title, type, practice_area, court, docket_number, judge, client, status, stage, outcome,
		opened_on, closed_on, lead_attorney, case_manager, team, intake, conflict_check, version, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	insertAudit := db.Rebind(`INSERT INTO audit_log (seq, at, actor, action, resource_type, resource_id, case_id, reason, changes, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	draft := cases.Draft{Type: "federal-criminal", Title: "United States v. García", Client: client.ID, Court: "S.D.N.Y."}
	var docketT, bareT time.Duration
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		if _, err := f.Cases.Open(ctx, draft); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		id := uuid.Must(uuid.NewV7()).String()
		now := t1.UTC().Format("2006-01-02T15:04:05.000000Z")
		tx, err := db.Beginx()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(insertCase, id, fmt.Sprintf("BARE-%d", i), draft.Title, draft.Type, "criminal defense", draft.Court, "", "",
			string(client.ID), "open", "intake", "", "2026-03-02", "", "", "", "[]", "", "", 1, now, now); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(insertAudit, int64(1e12)+int64(i), now, "u1", "case.open", "case", id, id, "",
			`[{"field":"Title","after":"\"United States v. García\""}]`, audit.Hash{}.String(), audit.Hash{}.String()); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		docketT += t1.Sub(t0)
		bareT += time.Since(t1)
	}
	report(b, docketT, bareT, "open")
}

// BenchmarkCasesGet: Firm.Cases.Get (authorize, a read transaction, the
// prepared SELECT, row conversion) against a bare QueryRow and Scan of the
// same row on the same read pool.
func BenchmarkCasesGet(b *testing.B) {
	s := openBench(b)
	f, ctx, _ := storagetest.NewFirm(b, s, nil)
	client, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "María García"})
	if err != nil {
		b.Fatal(err)
	}
	c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-criminal", Title: "United States v. García", Client: client.ID})
	if err != nil {
		b.Fatal(err)
	}
	db := s.Reader()
	query := db.Rebind(`SELECT id, reference, title, type, practice_area, court, docket_number, judge, client, status, stage, outcome,
		opened_on, closed_on, lead_attorney, case_manager, team, intake, conflict_check, version, created, updated FROM cases WHERE id = ?`)
	var docketT, bareT time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		got, err := f.Cases.Get(ctx, c.ID)
		if err != nil || got.ID != c.ID {
			b.Fatal(err)
		}
		t1 := time.Now()
		var r [22]string
		var version int64
		dest := []any{&r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[6], &r[7], &r[8], &r[9], &r[10], &r[11], &r[12], &r[13], &r[14], &r[15], &r[16], &r[17], &r[18], &version, &r[20], &r[21]}
		if err := db.QueryRow(query, string(c.ID)).Scan(dest...); err != nil {
			b.Fatal(err)
		}
		docketT += t1.Sub(t0)
		bareT += time.Since(t1)
	}
	report(b, docketT, bareT, "get")
}

// BenchmarkVerify: Firm.Audit.Verify over 20,000 entries (stream the stored
// records, hash each one's canonical encoding onto the chain, compare the
// stored hashes, check the head) against selecting the same rows and
// hashing each row's columns chained to the previous hash.
func BenchmarkVerify(b *testing.B) {
	const entries = 20000
	s := openBench(b)
	f, ctx, _ := storagetest.NewFirm(b, s, nil)
	for batch := 0; batch < entries; batch += 1000 {
		err := s.Update(context.Background(), func(tx storage.Tx) error {
			for i := range 1000 {
				if err := tx.Audit().Append(context.Background(), audit.Entry{
					At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(batch+i) * time.Second), Actor: "u-alice",
					Action: "case.update", ResourceType: "case", ResourceID: "case-1", CaseID: "case-1", Reason: "hearing moved",
					Changes: []audit.Change{{Field: "Judge", Before: `"Hon. R. Roe"`, After: fmt.Sprintf(`"Hon. J. Doe %d"`, i)}},
				}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	db := s.Reader()
	var docketT, bareT time.Duration
	var checked int64
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		r, err := f.Audit.Verify(ctx)
		if err != nil || !r.OK {
			b.Fatal(r, err)
		}
		checked = r.Checked
		t1 := time.Now()
		rows, err := db.Query(`SELECT seq, at, actor, action, resource_type, resource_id, case_id, reason, changes, prev_hash, hash FROM audit_log ORDER BY seq`)
		if err != nil {
			b.Fatal(err)
		}
		var prev [32]byte
		n := 0
		for rows.Next() {
			var seq int64
			var c [10]string
			if err := rows.Scan(&seq, &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], &c[7], &c[8], &c[9]); err != nil {
				b.Fatal(err)
			}
			h := sha256.New()
			h.Write(prev[:])
			fmt.Fprint(h, seq)
			for _, v := range c[:8] {
				h.Write([]byte(v))
			}
			h.Sum(prev[:0])
			n++
		}
		if err := rows.Close(); err != nil || int64(n) != checked {
			b.Fatal(err, n, checked)
		}
		docketT += t1.Sub(t0)
		bareT += time.Since(t1)
	}
	report(b, docketT, bareT, "verify")
	b.ReportMetric(float64(checked)*float64(b.N)/docketT.Seconds(), "entries/s")
}

// BenchmarkPolicyReload: the first Firm.Cases.Get after the access policy
// changed, which reloads the whole policy (role table, 20,000 users,
// 20,000 walls with their members) before it decides, against reading the
// same rows bare: every user and every wall with its members.
func BenchmarkPolicyReload(b *testing.B) {
	const n = 20000
	s := openBench(b)
	f, ctx, admin := storagetest.NewFirm(b, s, nil)
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for batch := 0; batch < n; batch += 1000 {
		err := s.Update(context.Background(), func(tx storage.Tx) error {
			for i := batch; i < batch+1000; i++ {
				u := access.User{ID: access.UserID(fmt.Sprintf("u%05d", i)), Name: "U", Email: "u@firm.test", Active: true, Roles: []access.Role{access.Attorney},
					Version: 1, Created: base, Updated: base}
				if err := tx.Users().Create(context.Background(), u); err != nil {
					return err
				}
				k := cases.Contact{ID: cases.ContactID(fmt.Sprintf("k%05d", i)), Kind: cases.Organization, Name: "K", Version: 1, Created: base, Updated: base}
				if err := tx.Contacts().Create(context.Background(), k); err != nil {
					return err
				}
				w := access.Wall{ID: fmt.Sprintf("w%05d", i), Users: []access.UserID{u.ID}, Clients: []string{string(k.ID)}, Reason: "screened",
					ApprovedBy: admin.ID, CreatedBy: admin.ID, Version: 1, Created: base, Updated: base}
				if err := tx.Walls().Create(context.Background(), w); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	client, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "María García"})
	if err != nil {
		b.Fatal(err)
	}
	c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-criminal", Title: "United States v. García", Client: client.ID})
	if err != nil {
		b.Fatal(err)
	}
	db := s.Reader()
	var docketT, bareT time.Duration
	b.ResetTimer()
	for range b.N {
		// A change to the policy: the next operation reloads it.
		u, err := f.Users.Get(ctx, "u00000")
		if err != nil {
			b.Fatal(err)
		}
		u.Name += "x"
		if _, err := f.Users.Update(ctx, u); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if _, err := f.Cases.Get(ctx, c.ID); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		rows := 0
		for _, q := range []string{"SELECT id, roles, contact, active FROM users", "SELECT id, reason, approved_by, lifted FROM walls",
			"SELECT wall_id, user_id FROM wall_users", "SELECT wall_id, case_id FROM wall_cases", "SELECT wall_id, contact_id FROM wall_clients"} {
			r, err := db.Query(q)
			if err != nil {
				b.Fatal(err)
			}
			for r.Next() {
				var a, b2, c2, d any
				cols, _ := r.Columns()
				dest := []any{&a, &b2, &c2, &d}[:len(cols)]
				if err := r.Scan(dest...); err != nil {
					b.Fatal(err)
				}
				rows++
			}
			r.Close()
		}
		bareT += time.Since(t1)
		docketT += t1.Sub(t0)
		if rows < 2*n {
			b.Fatalf("the bare read saw %d rows", rows)
		}
	}
	report(b, docketT, bareT, "reload")
}
