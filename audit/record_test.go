package audit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket/audit"
)

func sealedChain(n int) []audit.Entry {
	var out []audit.Entry
	var prev audit.Hash
	for i := range n {
		e := audit.Entry{
			At: time.Date(2026, 3, 2, 9, 0, i, 123456789, time.UTC), Actor: "u-alice", Action: "case.update",
			ResourceType: "case", ResourceID: "c1", CaseID: "c1", Reason: "moved",
			Changes: []audit.Change{{Field: "Title", Before: `"a"`, After: `"b"`}, {Field: "Judge", After: `"Roe"`}},
		}
		audit.Seal(&e, int64(i), prev)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func TestRecordRoundTrip(t *testing.T) {
	for _, e := range sealedChain(3) {
		r := e.Record()
		if !strings.HasPrefix(r.Changes, `[{"field":"Judge"`) {
			t.Errorf("changes are not sorted by field: %s", r.Changes)
		}
		back, err := r.Entry()
		if err != nil {
			t.Fatal(err)
		}
		want := e
		want.Changes = []audit.Change{e.Changes[1], e.Changes[0]}
		if d := cmp.Diff(want, back); d != "" {
			t.Errorf("Record.Entry round trip (-want +got):\n%s", d)
		}
	}
	var empty audit.Entry
	if r := empty.Record(); r.Changes != "[]" {
		t.Errorf("no changes encode as %q, want []", r.Changes)
	}
}

func TestRecordEntryErrors(t *testing.T) {
	good := sealedChain(1)[0].Record()
	for name, edit := range map[string]func(*audit.Record){
		"time":      func(r *audit.Record) { r.At = "2026-03-02 09:00:00" },
		"changes":   func(r *audit.Record) { r.Changes = `[{"field":` },
		"prev hash": func(r *audit.Record) { r.PrevHash = "zz" },
		"hash":      func(r *audit.Record) { r.Hash = r.Hash[:10] },
	} {
		r := good
		edit(&r)
		if _, err := r.Entry(); err == nil {
			t.Errorf("%s: a broken record decoded without error", name)
		}
	}
}

// TestAddRecordIsByteExact: edits that a decoder would forgive (hex case,
// JSON key case, spacing) still break the chain at that entry.
func TestAddRecordIsByteExact(t *testing.T) {
	for name, edit := range map[string]func(*audit.Record){
		"upper-case hash":      func(r *audit.Record) { r.Hash = strings.ToUpper(r.Hash) },
		"upper-case prev hash": func(r *audit.Record) { r.PrevHash = strings.ToUpper(r.PrevHash) },
		"JSON key case":        func(r *audit.Record) { r.Changes = strings.Replace(r.Changes, `"field"`, `"Field"`, 1) },
		"JSON spacing":         func(r *audit.Record) { r.Changes = strings.Replace(r.Changes, `,`, `, `, 1) },
		"time precision":       func(r *audit.Record) { r.At = strings.Replace(r.At, ".", ".0", 1)[:len(r.At)] },
	} {
		chain := sealedChain(5)
		v := audit.NewVerifier(0, audit.Hash{})
		for i := range chain {
			r := chain[i].Record()
			if i == 2 {
				edit(&r)
			}
			if !v.AddRecord(&r) {
				break
			}
		}
		if res := v.Result(); res.OK || res.FirstBad != 3 {
			t.Errorf("%s: %v, want a failure at entry 3", name, res)
		}
	}
}
