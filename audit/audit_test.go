package audit_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket/audit"
)

var t0 = time.Date(2026, time.March, 2, 9, 30, 0, 0, time.UTC)

// sample is an entry with every field set.
func sample() audit.Entry {
	return audit.Entry{
		Seq:          7,
		At:           t0.Add(123456 * time.Microsecond),
		Actor:        "u1",
		Action:       "case.advance",
		ResourceType: "case",
		ResourceID:   "c1",
		CaseID:       "c1",
		Reason:       "arraignment held",
		Changes: []audit.Change{
			{Field: "Stage", Before: `"charging"`, After: `"arraignment"`},
			{Field: "Judge", Before: "", After: `"Hon. A. Núñez"`},
			{Field: "Version", Before: "3", After: "4"},
		},
	}
}

// chain returns n sealed entries.
func chain(n int) []audit.Entry {
	out := make([]audit.Entry, n)
	var prev audit.Hash
	for i := range out {
		e := audit.Entry{
			At:           t0.Add(time.Duration(i) * time.Minute),
			Actor:        fmt.Sprintf("u%d", i%3+1),
			Action:       "case.update",
			ResourceType: "case",
			ResourceID:   fmt.Sprintf("c%d", i%7),
			CaseID:       fmt.Sprintf("c%d", i%7),
			Changes:      []audit.Change{{Field: "Title", Before: fmt.Sprintf(`"title %d"`, i), After: fmt.Sprintf(`"title %d"`, i+1)}},
		}
		audit.Seal(&e, int64(i), prev)
		prev = e.Hash
		out[i] = e
	}
	return out
}

// verify feeds entries to a new Verifier and returns its Result; with
// expect set, it checks the chain ends at entry headSeq with hash head.
func verify(entries []audit.Entry, expect bool, headSeq int64, head audit.Hash) audit.Result {
	v := audit.NewVerifier(0, audit.Hash{})
	for i := range entries {
		v.Add(&entries[i])
	}
	if expect {
		v.Expect(headSeq, head)
	}
	return v.Result()
}

func TestCanonicalDeterministic(t *testing.T) {
	e := sample()
	a, b := e.Canonical(), e.Canonical()
	if !bytes.Equal(a, b) {
		t.Fatal("Canonical differs between two calls")
	}
	if len(a) == 0 {
		t.Fatal("Canonical is empty")
	}
	// Changes in any order encode the same.
	perms := [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
	for _, p := range perms {
		f := sample()
		f.Changes = []audit.Change{e.Changes[p[0]], e.Changes[p[1]], e.Changes[p[2]]}
		if !bytes.Equal(f.Canonical(), a) {
			t.Errorf("Canonical depends on the order of Changes %v", p)
		}
		if f.Compute(audit.Hash{}) != e.Compute(audit.Hash{}) {
			t.Errorf("Compute depends on the order of Changes %v", p)
		}
	}
	// Canonical does not reorder the caller's slice.
	f := sample()
	f.Changes = []audit.Change{e.Changes[2], e.Changes[0], e.Changes[1]}
	want := slices.Clone(f.Changes)
	f.Canonical()
	if d := cmp.Diff(want, f.Changes); d != "" {
		t.Errorf("Canonical changed Changes (-before +after):\n%s", d)
	}
	// The same instant in another zone, or with a monotonic reading,
	// encodes the same.
	f = sample()
	f.At = e.At.In(time.FixedZone("EST", -5*3600))
	if !bytes.Equal(f.Canonical(), a) {
		t.Error("Canonical depends on At's location")
	}
	// Hash and PrevHash are not part of the encoding.
	f = sample()
	f.Hash[0], f.PrevHash[0] = 1, 2
	if !bytes.Equal(f.Canonical(), a) {
		t.Error("Canonical depends on Hash or PrevHash")
	}
	// Nil and empty Changes are the same.
	f, g := sample(), sample()
	f.Changes, g.Changes = nil, []audit.Change{}
	if !bytes.Equal(f.Canonical(), g.Canonical()) {
		t.Error("nil and empty Changes encode differently")
	}
}

func TestComputeCoversEveryField(t *testing.T) {
	base := sample()
	prev := audit.Hash{0xab}
	want := base.Compute(prev)
	if want.IsZero() {
		t.Fatal("Compute returned the zero hash")
	}
	if base.Compute(prev) != want {
		t.Fatal("Compute is not deterministic")
	}
	tests := []struct {
		name string
		mod  func(e *audit.Entry)
	}{
		{"Seq", func(e *audit.Entry) { e.Seq++ }},
		{"At by a microsecond", func(e *audit.Entry) { e.At = e.At.Add(time.Microsecond) }},
		{"At zero", func(e *audit.Entry) { e.At = time.Time{} }},
		{"Actor", func(e *audit.Entry) { e.Actor = "u2" }},
		{"Actor empty", func(e *audit.Entry) { e.Actor = "" }},
		{"Action", func(e *audit.Entry) { e.Action = "case.advance.denied" }},
		{"ResourceType", func(e *audit.Entry) { e.ResourceType = "contact" }},
		{"ResourceID", func(e *audit.Entry) { e.ResourceID = "c2" }},
		{"CaseID", func(e *audit.Entry) { e.CaseID = "" }},
		{"Reason", func(e *audit.Entry) { e.Reason = "arraignment held." }},
		{"Change Field", func(e *audit.Entry) { e.Changes[0].Field = "Status" }},
		{"Change Before", func(e *audit.Entry) { e.Changes[0].Before = `"intake"` }},
		{"Change After", func(e *audit.Entry) { e.Changes[1].After = `"Hon. A. Nunez"` }},
		{"Change Before and After swapped", func(e *audit.Entry) {
			e.Changes[2].Before, e.Changes[2].After = e.Changes[2].After, e.Changes[2].Before
		}},
		{"Change removed", func(e *audit.Entry) { e.Changes = e.Changes[:2] }},
		{"Change added", func(e *audit.Entry) { e.Changes = append(e.Changes, audit.Change{Field: "Court"}) }},
		{"Changes removed", func(e *audit.Entry) { e.Changes = nil }},
	}
	seen := map[audit.Hash]string{want: "base"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := sample()
			e.Changes = slices.Clone(e.Changes)
			tt.mod(&e)
			got := e.Compute(prev)
			if got == want {
				t.Errorf("changing %s does not change the hash", tt.name)
			}
			if other, ok := seen[got]; ok {
				t.Errorf("changing %s gives the same hash as changing %s", tt.name, other)
			}
			seen[got] = tt.name
		})
	}
	// The previous hash is part of the hash too.
	if base.Compute(audit.Hash{0xac}) == want {
		t.Error("Compute does not depend on prev")
	}
}

func TestCanonicalLengthPrefixed(t *testing.T) {
	tests := []struct {
		name string
		a, b func(e *audit.Entry)
	}{
		{"Actor and Action",
			func(e *audit.Entry) { e.Actor, e.Action = "ab", "c" },
			func(e *audit.Entry) { e.Actor, e.Action = "a", "bc" }},
		{"ResourceType and ResourceID",
			func(e *audit.Entry) { e.ResourceType, e.ResourceID = "case", "1" },
			func(e *audit.Entry) { e.ResourceType, e.ResourceID = "cas", "e1" }},
		{"CaseID and Reason",
			func(e *audit.Entry) { e.CaseID, e.Reason = "c1", "" },
			func(e *audit.Entry) { e.CaseID, e.Reason = "", "c1" }},
		{"Change Before and After",
			func(e *audit.Entry) { e.Changes = []audit.Change{{Field: "F", Before: "ab", After: "c"}} },
			func(e *audit.Entry) { e.Changes = []audit.Change{{Field: "F", Before: "a", After: "bc"}} }},
		{"Change Field and Before",
			func(e *audit.Entry) { e.Changes = []audit.Change{{Field: "Title", Before: "x"}} },
			func(e *audit.Entry) { e.Changes = []audit.Change{{Field: "Titl", Before: "ex"}} }},
		{"one change or two",
			func(e *audit.Entry) { e.Changes = []audit.Change{{Field: "A", Before: "", After: ""}, {Field: "B"}} },
			func(e *audit.Entry) { e.Changes = []audit.Change{{Field: "A", Before: "\x01B", After: ""}} }},
		{"Reason holding what looks like a change",
			func(e *audit.Entry) { e.Reason, e.Changes = "x\x01\x01F\x00\x00", nil },
			func(e *audit.Entry) { e.Reason, e.Changes = "x", []audit.Change{{Field: "F"}} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := sample(), sample()
			tt.a(&a)
			tt.b(&b)
			if bytes.Equal(a.Canonical(), b.Canonical()) {
				t.Error("the two entries have the same canonical encoding")
			}
			if a.Compute(audit.Hash{}) == b.Compute(audit.Hash{}) {
				t.Error("the two entries have the same hash")
			}
		})
	}
}

func TestSeal(t *testing.T) {
	ny := time.FixedZone("EST", -5*3600)
	at := time.Date(2026, time.March, 2, 4, 30, 0, 123456789, ny)
	prev := audit.Hash{1, 2, 3}
	e := sample()
	e.Seq = 99 // Seal overrides whatever was there
	audit.Seal(&e, 41, prev)
	if e.Seq != 42 {
		t.Errorf("Seq = %d, want 42", e.Seq)
	}
	e2 := sample()
	e2.At = at
	audit.Seal(&e2, 0, audit.Hash{})
	wantAt := time.Date(2026, time.March, 2, 9, 30, 0, 123456000, time.UTC)
	if !e2.At.Equal(wantAt) || e2.At.Location() != time.UTC || e2.At.Nanosecond() != 123456000 {
		t.Errorf("At = %v (%s), want %v in UTC", e2.At, e2.At.Location(), wantAt)
	}
	if e2.Seq != 1 || !e2.PrevHash.IsZero() {
		t.Errorf("first entry: Seq = %d, PrevHash = %s", e2.Seq, e2.PrevHash)
	}
	if e.PrevHash != prev {
		t.Errorf("PrevHash = %s, want %s", e.PrevHash, prev)
	}
	if e.Hash != e.Compute(prev) || e.Hash.IsZero() {
		t.Errorf("Hash = %s, want Compute(prev) = %s", e.Hash, e.Compute(prev))
	}
	// The sealed time survives a round trip at microsecond precision, so a
	// store that keeps microseconds gives back an entry that still verifies.
	stored := e2
	stored.At = time.UnixMicro(e2.At.UnixMicro()).In(ny)
	if stored.Compute(stored.PrevHash) != e2.Hash {
		t.Error("an entry read back at microsecond precision in another zone no longer matches its hash")
	}
	// Sealing twice gives the same hash.
	e3 := sample()
	e3.At = at
	audit.Seal(&e3, 0, audit.Hash{})
	if e3.Hash != e2.Hash {
		t.Error("Seal is not deterministic")
	}
}

func TestVerifyChain(t *testing.T) {
	entries := chain(100)
	v := audit.NewVerifier(0, audit.Hash{})
	for i := range entries {
		if !v.Add(&entries[i]) {
			t.Fatalf("Add(entry %d) = false: %v", entries[i].Seq, v.Result())
		}
	}
	v.Expect(100, entries[99].Hash)
	want := audit.Result{OK: true, From: 1, To: 100, Checked: 100, Head: entries[99].Hash}
	if d := cmp.Diff(want, v.Result()); d != "" {
		t.Errorf("Result (-want +got):\n%s", d)
	}
	for i := range entries {
		if entries[i].Seq != int64(i+1) {
			t.Errorf("entry %d has Seq %d", i+1, entries[i].Seq)
		}
		if i > 0 && entries[i].PrevHash != entries[i-1].Hash {
			t.Errorf("entry %d is not linked to entry %d", i+1, i)
		}
	}
}

func TestVerifyTampered(t *testing.T) {
	orig := chain(100)
	head := orig[99].Hash
	tests := []struct {
		name     string
		tamper   func(es []audit.Entry) []audit.Entry
		expect   bool        // call Expect(100, head) after the last Add
		headHash *audit.Hash // the head hash to expect instead of the original
		firstBad int64
		checked  int64
		problem  string
	}{
		{name: "edit Actor", tamper: func(es []audit.Entry) []audit.Entry { es[36].Actor = "mallory"; return es },
			firstBad: 37, checked: 36, problem: "contents do not match its hash"},
		{name: "edit At", tamper: func(es []audit.Entry) []audit.Entry { es[0].At = es[0].At.Add(-time.Hour); return es },
			firstBad: 1, checked: 0, problem: "contents do not match"},
		{name: "edit Action", tamper: func(es []audit.Entry) []audit.Entry { es[49].Action = "case.read"; return es },
			firstBad: 50, checked: 49, problem: "contents do not match"},
		{name: "edit a change", tamper: func(es []audit.Entry) []audit.Entry { es[99].Changes[0].After = `"x"`; return es },
			firstBad: 100, checked: 99, problem: "contents do not match"},
		{name: "drop a change", tamper: func(es []audit.Entry) []audit.Entry { es[60].Changes = nil; return es },
			firstBad: 61, checked: 60, problem: "contents do not match"},
		{name: "edit Seq", tamper: func(es []audit.Entry) []audit.Entry { es[19].Seq = 200; return es },
			firstBad: 20, checked: 19, problem: "entry 20 is missing"},
		{name: "edit and re-seal one entry", tamper: func(es []audit.Entry) []audit.Entry {
			es[49].Reason = "rewritten"
			audit.Seal(&es[49], 49, es[48].Hash)
			return es
		}, firstBad: 51, checked: 50, problem: "previous hash"},
		{name: "delete a middle entry", tamper: func(es []audit.Entry) []audit.Entry { return slices.Delete(es, 49, 50) },
			firstBad: 50, checked: 49, problem: "entry 50 is missing (the next entry found is 51)"},
		{name: "delete the first entry", tamper: func(es []audit.Entry) []audit.Entry { return es[1:] },
			firstBad: 1, checked: 0, problem: "entry 1 is missing"},
		{name: "swap two entries", tamper: func(es []audit.Entry) []audit.Entry { es[19], es[20] = es[20], es[19]; return es },
			firstBad: 20, checked: 19, problem: "entry 20 is missing"},
		{name: "swap two entries and their numbers", tamper: func(es []audit.Entry) []audit.Entry {
			es[19], es[20] = es[20], es[19]
			es[19].Seq, es[20].Seq = 20, 21
			return es
		}, firstBad: 20, checked: 19, problem: "previous hash"},
		{name: "duplicate an entry", tamper: func(es []audit.Entry) []audit.Entry { return slices.Insert(es, 11, es[10]) },
			firstBad: 12, checked: 11, problem: "entry 12 is missing (the next entry found is 11)"},
		{name: "bad PrevHash", tamper: func(es []audit.Entry) []audit.Entry { es[29].PrevHash[0] ^= 0xff; return es },
			firstBad: 30, checked: 29, problem: "previous hash"},
		{name: "bad Hash", tamper: func(es []audit.Entry) []audit.Entry { es[29].Hash[31] ^= 1; return es },
			firstBad: 30, checked: 29, problem: "contents do not match"},
		{name: "delete the last entry", tamper: func(es []audit.Entry) []audit.Entry { return es[:99] }, expect: true,
			firstBad: 100, checked: 99, problem: "entries 100 to 100 are missing"},
		{name: "delete the last ten entries", tamper: func(es []audit.Entry) []audit.Entry { return es[:90] }, expect: true,
			firstBad: 91, checked: 90, problem: "entries 91 to 100 are missing"},
		{name: "rewrite the tail consistently", tamper: func(es []audit.Entry) []audit.Entry {
			// A forger who re-seals every entry from 60 on produces a chain
			// that holds; only the recorded head catches it.
			for i := 59; i < len(es); i++ {
				es[i].Actor = "mallory"
				audit.Seal(&es[i], int64(i), es[i-1].Hash)
			}
			return es
		}, expect: true, firstBad: 100, checked: 100, problem: "recorded head hash"},
		{name: "wrong recorded head", tamper: func(es []audit.Entry) []audit.Entry { return es }, expect: true, headHash: &audit.Hash{9},
			firstBad: 100, checked: 100, problem: "recorded head hash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := make([]audit.Entry, len(orig))
			for i, e := range orig {
				e.Changes = slices.Clone(e.Changes)
				es[i] = e
			}
			es = tt.tamper(es)
			h := head
			if tt.headHash != nil {
				h = *tt.headHash
			}
			got := verify(es, tt.expect, 100, h)
			if got.OK {
				t.Fatalf("tampered chain verified: %v", got)
			}
			if got.FirstBad != tt.firstBad {
				t.Errorf("FirstBad = %d, want %d (%s)", got.FirstBad, tt.firstBad, got.Problem)
			}
			if got.Checked != tt.checked {
				t.Errorf("Checked = %d, want %d", got.Checked, tt.checked)
			}
			if !strings.Contains(got.Problem, tt.problem) {
				t.Errorf("Problem = %q, want it to contain %q", got.Problem, tt.problem)
			}
			if got.From != 1 {
				t.Errorf("From = %d, want 1", got.From)
			}
			if got.Checked > 0 && got.To != got.Checked {
				t.Errorf("To = %d, want the last good entry %d", got.To, got.Checked)
			}
		})
	}
	// Without Expect, a deleted last entry goes unnoticed: that is why
	// the head is recorded.
	if got := verify(orig[:99], false, 0, audit.Hash{}); !got.OK || got.To != 99 {
		t.Errorf("truncated chain without Expect: %v", got)
	}
}

// TestVerifierStopsAtFirstBad checks that once the chain has failed, later
// entries are not checked and the result stays on the first failure.
func TestVerifierStopsAtFirstBad(t *testing.T) {
	es := chain(10)
	es[3].Actor = "mallory"
	es[6].Actor = "mallory"
	v := audit.NewVerifier(0, audit.Hash{})
	var added []bool
	for i := range es {
		added = append(added, v.Add(&es[i]))
	}
	want := []bool{true, true, true, false, false, false, false, false, false, false}
	if d := cmp.Diff(want, added); d != "" {
		t.Errorf("Add results (-want +got):\n%s", d)
	}
	v.Expect(10, es[9].Hash)
	v.Fail(8, "unreadable")
	r := v.Result()
	if r.OK || r.FirstBad != 4 || r.Checked != 3 || r.To != 3 || r.Head != es[2].Hash {
		t.Errorf("Result = %+v, want the first failure at 4 after 3 good entries", r)
	}
}

func TestVerifierFail(t *testing.T) {
	es := chain(5)
	v := audit.NewVerifier(0, audit.Hash{})
	for i := range es[:3] {
		v.Add(&es[i])
	}
	v.Fail(4, "entry 4 does not decode: bad JSON in Changes")
	if v.Add(&es[3]) {
		t.Error("Add after Fail returned true")
	}
	v.Fail(5, "second failure")
	v.Expect(5, es[4].Hash)
	want := audit.Result{OK: false, From: 1, To: 3, Checked: 3, Head: es[2].Hash, FirstBad: 4, Problem: "entry 4 does not decode: bad JSON in Changes"}
	if d := cmp.Diff(want, v.Result()); d != "" {
		t.Errorf("Result (-want +got):\n%s", d)
	}
	if got, want := v.Result().String(), "audit chain broken at entry 4: entry 4 does not decode: bad JSON in Changes"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}

	// Failing before any entry was checked.
	v = audit.NewVerifier(0, audit.Hash{})
	v.Fail(1, "unreadable")
	want = audit.Result{From: 1, To: 0, FirstBad: 1, Problem: "unreadable"}
	if d := cmp.Diff(want, v.Result()); d != "" {
		t.Errorf("Result (-want +got):\n%s", d)
	}
}

func TestVerifyRange(t *testing.T) {
	es := chain(100)
	for _, k := range []int{1, 40, 99} {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			v := audit.NewVerifier(int64(k), es[k-1].Hash)
			for i := k; i < len(es); i++ {
				if !v.Add(&es[i]) {
					t.Fatalf("Add(entry %d) = false: %v", es[i].Seq, v.Result())
				}
			}
			v.Expect(100, es[99].Hash)
			want := audit.Result{OK: true, From: int64(k + 1), To: 100, Checked: int64(100 - k), Head: es[99].Hash}
			if d := cmp.Diff(want, v.Result()); d != "" {
				t.Errorf("Result (-want +got):\n%s", d)
			}
		})
	}
	// The range must rest on the right anchor.
	v := audit.NewVerifier(40, es[38].Hash)
	v.Add(&es[40])
	if r := v.Result(); r.OK || r.FirstBad != 41 || !strings.Contains(r.Problem, "previous hash") {
		t.Errorf("wrong anchor hash: %v", r)
	}
	v = audit.NewVerifier(40, es[39].Hash)
	v.Add(&es[41])
	if r := v.Result(); r.OK || r.FirstBad != 41 || !strings.Contains(r.Problem, "entry 41 is missing") {
		t.Errorf("range starting one entry late: %v", r)
	}
	// A range with nothing after the anchor checks nothing and is OK,
	// unless the head says more entries exist.
	v = audit.NewVerifier(100, es[99].Hash)
	v.Expect(100, es[99].Hash)
	if d := cmp.Diff(audit.Result{OK: true, From: 101, To: 100}, v.Result()); d != "" {
		t.Errorf("empty range (-want +got):\n%s", d)
	}
	v = audit.NewVerifier(90, es[89].Hash)
	v.Expect(100, es[99].Hash)
	if r := v.Result(); r.OK || r.FirstBad != 91 {
		t.Errorf("empty range with a later head: %v", r)
	}
}

func TestVerifyEmpty(t *testing.T) {
	v := audit.NewVerifier(0, audit.Hash{})
	if d := cmp.Diff(audit.Result{OK: true, From: 1, To: 0}, v.Result()); d != "" {
		t.Errorf("empty log (-want +got):\n%s", d)
	}
	v.Expect(0, audit.Hash{})
	if r := v.Result(); !r.OK {
		t.Errorf("empty log with an empty head: %v", r)
	}
	v.Expect(3, audit.Hash{1})
	if r := v.Result(); r.OK || r.FirstBad != 1 || !strings.Contains(r.Problem, "entries 1 to 3 are missing") {
		t.Errorf("empty log with head 3: %v", r)
	}
	// The first entry must chain to the zero hash.
	es := chain(1)
	es[0].PrevHash = audit.Hash{1}
	es[0].Hash = es[0].Compute(es[0].PrevHash)
	if r := verify(es, false, 0, audit.Hash{}); r.OK || r.FirstBad != 1 {
		t.Errorf("first entry chained to a non-zero hash: %v", r)
	}
}

// TestVerifyEntriesAfterHead documents a gap: Expect does not notice
// entries beyond the recorded head.
func TestVerifyEntriesAfterHead(t *testing.T) {
	es := chain(100)
	if r := verify(es, true, 99, es[98].Hash); r.OK {
		t.Errorf("100 entries with the head recorded at 99: %v", r)
	}
}

func TestParseHash(t *testing.T) {
	h := chain(1)[0].Hash
	hex := h.String()
	if len(hex) != 64 || strings.ToLower(hex) != hex {
		t.Fatalf("String() = %q, want 64 lower-case hex digits", hex)
	}
	valid := []struct {
		in   string
		want audit.Hash
	}{
		{hex, h},
		{strings.ToUpper(hex), h},
		{strings.Repeat("0", 64), audit.Hash{}},
		{"ff" + strings.Repeat("0", 62), audit.Hash{0xff}},
	}
	for _, tt := range valid {
		got, err := audit.ParseHash(tt.in)
		if err != nil {
			t.Errorf("ParseHash(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseHash(%q) = %s, want %s", tt.in, got, tt.want)
		}
		if got.String() != strings.ToLower(tt.in) {
			t.Errorf("ParseHash(%q).String() = %q", tt.in, got.String())
		}
	}
	invalid := []string{
		"",
		"abc",
		hex[:63],
		hex[:62],
		hex + "00",
		"0x" + hex[:62],
		"zz" + hex[2:],
		" " + hex[1:],
		hex[:63] + "\n",
		strings.Repeat("0", 128),
	}
	for _, in := range invalid {
		got, err := audit.ParseHash(in)
		if err == nil {
			t.Errorf("ParseHash(%q) = %s, want an error", in, got)
			continue
		}
		if !strings.Contains(err.Error(), fmt.Sprintf("%q", in)) {
			t.Errorf("ParseHash(%q) error %q does not quote the input", in, err)
		}
	}
}

func TestHashStringRoundTrip(t *testing.T) {
	for _, e := range chain(20) {
		for _, h := range []audit.Hash{e.Hash, e.PrevHash} {
			back, err := audit.ParseHash(h.String())
			if err != nil {
				t.Fatalf("ParseHash(%s): %v", h, err)
			}
			if back != h {
				t.Errorf("ParseHash(%s) = %s", h, back)
			}
		}
	}
	var zero audit.Hash
	if !zero.IsZero() || zero.String() != strings.Repeat("0", 64) {
		t.Errorf("zero hash: IsZero = %v, String = %q", zero.IsZero(), zero.String())
	}
	if (audit.Hash{31: 1}).IsZero() {
		t.Error("a hash with a non-zero last byte IsZero")
	}
}

func TestResultString(t *testing.T) {
	h := audit.Hash{0xde, 0xad, 0xbe, 0xef}
	tests := []struct {
		r    audit.Result
		want string
	}{
		{audit.Result{OK: true, From: 1, To: 100, Checked: 100, Head: h},
			"audit chain intact: 100 entries (1 to 100), head deadbeef" + strings.Repeat("0", 56)},
		{audit.Result{OK: true, From: 1, To: 0},
			"audit chain intact: 0 entries (1 to 0), head " + strings.Repeat("0", 64)},
		{audit.Result{From: 1, To: 49, Checked: 49, FirstBad: 50, Problem: "entry 50 is missing (the next entry found is 51)"},
			"audit chain broken at entry 50: entry 50 is missing (the next entry found is 51)"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	// The string of a real verification.
	es := chain(3)
	r := verify(es, true, 3, es[2].Hash)
	if got, want := r.String(), "audit chain intact: 3 entries (1 to 3), head "+es[2].Hash.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

type party struct {
	Name string
	Role string
}

type record struct {
	ID      string
	Title   string
	Count   int
	Open    bool
	Tags    []string
	Lead    party
	Others  []party
	Meta    map[string]string
	Opened  time.Time
	Version int64
	Updated time.Time
	secret  string
}

func fullRecord() record {
	return record{
		ID:      "c1",
		Title:   "Smith v. Jones",
		Count:   3,
		Open:    true,
		Tags:    []string{"urgent", "pro bono"},
		Lead:    party{Name: "Ann", Role: "client"},
		Others:  []party{{Name: "Bob", Role: "witness"}},
		Meta:    map[string]string{"z": "1", "a": "2"},
		Opened:  t0,
		Version: 4,
		Updated: t0.Add(time.Hour),
		secret:  "hidden",
	}
}

func TestDiff(t *testing.T) {
	full := fullRecord()
	created := []audit.Change{
		{Field: "Count", After: "3"},
		{Field: "ID", After: `"c1"`},
		{Field: "Lead", After: `{"Name":"Ann","Role":"client"}`},
		{Field: "Meta", After: `{"a":"2","z":"1"}`},
		{Field: "Open", After: "true"},
		{Field: "Opened", After: `"2026-03-02T09:30:00Z"`},
		{Field: "Others", After: `[{"Name":"Bob","Role":"witness"}]`},
		{Field: "Tags", After: `["urgent","pro bono"]`},
		{Field: "Title", After: `"Smith v. Jones"`},
		{Field: "Updated", After: `"2026-03-02T10:30:00Z"`},
		{Field: "Version", After: "4"},
	}
	deleted := make([]audit.Change, len(created))
	for i, c := range created {
		deleted[i] = audit.Change{Field: c.Field, Before: c.After}
	}
	changed := fullRecord()
	changed.Title = "Smith v. Jones et al."
	changed.Count = 0  // to a zero value: After is empty
	changed.Tags = nil // emptied
	changed.Others = []party{{Name: "Bob", Role: "witness"}, {Name: "Cy", Role: "expert"}}
	changed.Lead.Role = "co-defendant"
	changed.Version = 5
	changed.Updated = t0.Add(2 * time.Hour)
	changed.secret = "also hidden"
	sparse := record{ID: "c2", Tags: []string{}, Meta: map[string]string{}, Lead: party{Name: "Dee"}}

	tests := []struct {
		name          string
		before, after any
		skip          []string
		want          []audit.Change
	}{
		{"created from nil", nil, full, nil, created},
		{"created from a nil pointer", (*record)(nil), &full, nil, created},
		{"deleted to nil", full, nil, nil, deleted},
		{"deleted to a nil pointer", &full, (*record)(nil), nil, deleted},
		{"created with zero fields left out", nil, sparse, nil, []audit.Change{
			{Field: "ID", After: `"c2"`},
			{Field: "Lead", After: `{"Name":"Dee","Role":""}`},
		}},
		{"changed", full, changed, nil, []audit.Change{
			{Field: "Count", Before: "3"},
			{Field: "Lead", Before: `{"Name":"Ann","Role":"client"}`, After: `{"Name":"Ann","Role":"co-defendant"}`},
			{Field: "Others", Before: `[{"Name":"Bob","Role":"witness"}]`, After: `[{"Name":"Bob","Role":"witness"},{"Name":"Cy","Role":"expert"}]`},
			{Field: "Tags", Before: `["urgent","pro bono"]`},
			{Field: "Title", Before: `"Smith v. Jones"`, After: `"Smith v. Jones et al."`},
			{Field: "Updated", Before: `"2026-03-02T10:30:00Z"`, After: `"2026-03-02T11:30:00Z"`},
			{Field: "Version", Before: "4", After: "5"},
		}},
		{"changed with skip", full, changed, []string{"Version", "Updated", "Others"}, []audit.Change{
			{Field: "Count", Before: "3"},
			{Field: "Lead", Before: `{"Name":"Ann","Role":"client"}`, After: `{"Name":"Ann","Role":"co-defendant"}`},
			{Field: "Tags", Before: `["urgent","pro bono"]`},
			{Field: "Title", Before: `"Smith v. Jones"`, After: `"Smith v. Jones et al."`},
		}},
		{"changed through pointers", &full, &changed, []string{"Version", "Updated", "Others", "Lead", "Tags", "Count"}, []audit.Change{
			{Field: "Title", Before: `"Smith v. Jones"`, After: `"Smith v. Jones et al."`},
		}},
		{"pointer and value mixed", &full, changed, []string{"Version", "Updated", "Others", "Lead", "Tags", "Count"}, []audit.Change{
			{Field: "Title", Before: `"Smith v. Jones"`, After: `"Smith v. Jones et al."`},
		}},
		{"created with skip", nil, full, []string{"Version", "Updated", "Opened", "Meta", "Others", "Lead", "Tags", "Open", "Count"}, []audit.Change{
			{Field: "ID", After: `"c1"`},
			{Field: "Title", After: `"Smith v. Jones"`},
		}},
		{"unchanged", full, fullRecord(), nil, nil},
		{"only unexported fields changed", full, func() record { r := fullRecord(); r.secret = "other"; return r }(), nil, nil},
		{"only skipped fields changed", full, func() record { r := fullRecord(); r.Version = 9; return r }(), []string{"Version"}, nil},
		{"nil and empty slices and maps are the same", record{ID: "x", Tags: nil, Meta: nil}, record{ID: "x", Tags: []string{}, Meta: map[string]string{}}, nil, nil},
		{"map order does not matter", record{Meta: map[string]string{"a": "1", "b": "2"}}, record{Meta: map[string]string{"b": "2", "a": "1"}}, nil, nil},
		{"same instant in another zone", record{Opened: t0}, record{Opened: t0.In(time.FixedZone("EST", -5*3600))}, nil, []audit.Change{
			{Field: "Opened", Before: `"2026-03-02T09:30:00Z"`, After: `"2026-03-02T04:30:00-05:00"`},
		}},
		{"both nil", nil, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := audit.Diff(tt.before, tt.after, tt.skip...)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Diff (-want +got):\n%s", d)
			}
			if !slices.IsSortedFunc(got, func(a, b audit.Change) int { return strings.Compare(a.Field, b.Field) }) {
				t.Errorf("Diff is not sorted by field: %v", got)
			}
		})
	}
}

// TestDiffSealed checks a Diff goes into an entry that then verifies.
func TestDiffSealed(t *testing.T) {
	full, changed := fullRecord(), fullRecord()
	changed.Title = "Renamed"
	e := audit.Entry{At: t0, Actor: "u1", Action: "case.update", ResourceType: "case", ResourceID: "c1",
		Changes: audit.Diff(full, changed, "Version", "Updated")}
	audit.Seal(&e, 0, audit.Hash{})
	if r := verify([]audit.Entry{e}, true, 1, e.Hash); !r.OK {
		t.Errorf("verify: %v", r)
	}
	e.Changes[0].After = `"Other"`
	if r := verify([]audit.Entry{e}, true, 1, e.Hash); r.OK {
		t.Error("an edited diff still verifies")
	}
}

func FuzzParseHash(f *testing.F) {
	f.Add(strings.Repeat("0", 64))
	f.Add(strings.Repeat("aB", 32))
	f.Add("")
	f.Add("0x00")
	f.Add(strings.Repeat("g", 64))
	f.Fuzz(func(t *testing.T, s string) {
		h, err := audit.ParseHash(s)
		if err != nil {
			if !h.IsZero() {
				t.Errorf("ParseHash(%q) returned %s with its error", s, h)
			}
			return
		}
		if got := h.String(); got != strings.ToLower(s) {
			t.Errorf("ParseHash(%q).String() = %q", s, got)
		}
		back, err := audit.ParseHash(h.String())
		if err != nil || back != h {
			t.Errorf("ParseHash(%q) = %s, but its String parses to %s, %v", s, h, back, err)
		}
	})
}
