package storagetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/docketkit/docket"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/storage"
)

// OpenRaw opens a fresh store and a handle on its database that bypasses
// the store, as a tamperer with database access would.
type OpenRaw func(t *testing.T) (storage.Store, *sqlx.DB)

// Tamper checks that Verify catches edits made directly in the database:
// one byte changed in any audit column of any entry, a deleted entry, and
// the last entries deleted. dropGuards are the statements that remove the
// append-only triggers first, as a tamperer would.
func Tamper(t *testing.T, open OpenRaw, dropGuards []string) {
	columns := []string{"at", "actor", "action", "resource_type", "resource_id", "case_id", "reason", "changes", "prev_hash", "hash"}
	for _, col := range columns {
		for _, where := range []string{"first", "middle", "last"} {
			t.Run(col+"/"+where, func(t *testing.T) {
				f, ctx, db, target := tamperFixture(t, open, dropGuards)
				var v string
				if err := db.Get(&v, db.Rebind("SELECT "+col+" FROM audit_log WHERE seq = ?"), target); err != nil {
					t.Fatal(err)
				}
				if v == "" {
					t.Fatalf("entry %d has no %s to change", target, col)
				}
				i := map[string]int{"first": 0, "middle": len(v) / 2, "last": len(v) - 1}[where]
				b := []byte(v)
				b[i] = flip(b[i])
				exec(t, db, "UPDATE audit_log SET "+col+" = ? WHERE seq = ?", string(b), target)
				wantBroken(t, f, ctx, target, fmt.Sprintf("%s byte %d %q -> %q", col, i, v[i], b[i]))
			})
		}
	}
	t.Run("seq", func(t *testing.T) {
		f, ctx, db, target := tamperFixture(t, open, dropGuards)
		exec(t, db, "UPDATE audit_log SET seq = ? WHERE seq = ?", 100000, target)
		wantBroken(t, f, ctx, target, "renumbered entry")
	})
	t.Run("delete", func(t *testing.T) {
		f, ctx, db, target := tamperFixture(t, open, dropGuards)
		exec(t, db, "DELETE FROM audit_log WHERE seq = ?", target)
		wantBroken(t, f, ctx, target, "deleted entry")
	})
	t.Run("delete-last", func(t *testing.T) {
		f, ctx, db, _ := tamperFixture(t, open, dropGuards)
		var last int64
		if err := db.Get(&last, "SELECT MAX(seq) FROM audit_log"); err != nil {
			t.Fatal(err)
		}
		exec(t, db, "DELETE FROM audit_log WHERE seq = ?", last)
		wantBroken(t, f, ctx, last, "deleted last entry")
	})
	t.Run("guards", func(t *testing.T) {
		_, _, db, target := tamperFixtureGuarded(t, open)
		if _, err := db.Exec(db.Rebind("UPDATE audit_log SET actor = 'mallory' WHERE seq = ?"), target); err == nil {
			t.Error("the append-only trigger let an UPDATE of audit_log through")
		}
		if _, err := db.Exec(db.Rebind("DELETE FROM audit_log WHERE seq = ?"), target); err == nil {
			t.Error("the append-only trigger let a DELETE from audit_log through")
		}
	})
}

func flip(c byte) byte {
	switch {
	case c >= '0' && c <= '8', c >= 'a' && c <= 'y', c >= 'A' && c <= 'Y':
		return c + 1
	case c == '9':
		return '0'
	case c == 'z' || c == 'Z':
		return c - 1
	}
	return 'x'
}

func exec(t *testing.T, db *sqlx.DB, q string, args ...any) {
	t.Helper()
	res, err := db.Exec(db.Rebind(q), args...)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%s changed %d rows, want 1", q, n)
	}
}

// tamperFixture builds a small history through the Firm and returns the
// sequence number of an entry in the middle with every column filled.
func tamperFixture(t *testing.T, open OpenRaw, dropGuards []string) (*docket.Firm, context.Context, *sqlx.DB, int64) {
	t.Helper()
	f, ctx, db, target := tamperFixtureGuarded(t, open)
	for _, q := range dropGuards {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return f, ctx, db, target
}

func tamperFixtureGuarded(t *testing.T, open OpenRaw) (*docket.Firm, context.Context, *sqlx.DB, int64) {
	t.Helper()
	s, db := open(t)
	t.Cleanup(func() { _ = s.Close() })
	f, ctx, _ := NewFirm(t, s, nil)
	client, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Person, Name: "Maria Garcia"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Cases.Open(ctx, cases.Draft{Type: "federal-criminal", Title: "United States v. Garcia", Client: client.ID})
	if err != nil {
		t.Fatal(err)
	}
	c, err = f.Cases.Exit(ctx, c.ID, c.Version, "withdrawn", "client retained other counsel")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := f.Contacts.Create(ctx, cases.Contact{Kind: cases.Organization, Name: fmt.Sprintf("Witness Corp %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	var target int64
	if err := db.Get(&target, db.Rebind("SELECT seq FROM audit_log WHERE action = ?"), "case.exit"); err != nil {
		t.Fatal(err)
	}
	if r, err := f.Audit.Verify(ctx); err != nil || !r.OK {
		t.Fatalf("Verify before tampering: %v %v", r, err)
	}
	return f, ctx, db, target
}

func wantBroken(t *testing.T, f *docket.Firm, ctx context.Context, seq int64, what string) {
	t.Helper()
	r, err := f.Audit.Verify(ctx)
	if err != nil {
		t.Fatalf("Verify after %s: %v", what, err)
	}
	if r.OK || r.FirstBad != seq {
		t.Errorf("after %s at entry %d, Verify said: %v", what, seq, r)
	}
}
