package audit

import "fmt"

// Verifier checks a stream of entries, in sequence order, against the hash
// chain. Feed it with Add; Result says whether the chain held and, if not,
// names the first entry that broke it.
type Verifier struct {
	res     Result
	prevSeq int64
	prev    Hash
	done    bool
}

// NewVerifier starts a verification after the entry with sequence prevSeq
// and hash prev; NewVerifier(0, Hash{}) checks from the first entry.
func NewVerifier(prevSeq int64, prev Hash) *Verifier {
	return &Verifier{prevSeq: prevSeq, prev: prev, res: Result{OK: true, From: prevSeq + 1}}
}

// Result is what a verification found.
type Result struct {
	// OK is true when every entry checked matched the chain.
	OK bool
	// From and To are the sequence numbers checked (To < From when the
	// range was empty).
	From, To int64
	// Checked counts the entries checked.
	Checked int64
	// Head is the hash of the last entry checked: record it elsewhere
	// (a ticket, an email to the partners) to anchor the log, so that
	// even a rewrite of the whole chain would be caught.
	Head Hash
	// FirstBad is the sequence number of the first entry that failed,
	// and Problem says how. Zero and empty when OK.
	FirstBad int64
	Problem  string
}

// String summarises the result in one line.
func (r Result) String() string {
	if r.OK {
		return fmt.Sprintf("audit chain intact: %d entries (%d to %d), head %s", r.Checked, r.From, r.To, r.Head)
	}
	return fmt.Sprintf("audit chain broken at entry %d: %s", r.FirstBad, r.Problem)
}

// Add checks the next entry. It returns false once the chain has failed;
// later entries are not checked.
func (v *Verifier) Add(e *Entry) bool {
	r := e.Record()
	return v.AddRecord(&r)
}

// AddRecord checks the next entry in its stored, textual form, byte for
// byte: stores verify without decoding what they read.
func (v *Verifier) AddRecord(r *Record) bool {
	if v.done {
		return false
	}
	switch {
	case r.Seq != v.prevSeq+1:
		v.fail(v.prevSeq+1, fmt.Sprintf("entry %d is missing (the next entry found is %d)", v.prevSeq+1, r.Seq))
		return false
	case r.PrevHash != v.prev.String():
		v.fail(r.Seq, fmt.Sprintf("its previous hash %.64q does not match entry %d's hash %s", r.PrevHash, v.prevSeq, v.prev))
		return false
	}
	h := r.Compute(v.prev)
	if r.Hash != h.String() {
		v.fail(r.Seq, "its contents do not match its hash: a field was changed after it was written")
		return false
	}
	v.prevSeq, v.prev = r.Seq, h
	v.res.To, v.res.Head = r.Seq, h
	v.res.Checked++
	return true
}

// Fail records that entry seq could not even be read back (a value that no
// longer decodes); the chain is broken there.
func (v *Verifier) Fail(seq int64, problem string) {
	if !v.done {
		v.fail(seq, problem)
	}
}

// Expect checks, after the last Add, that the chain ends where the store's
// head record says it does: a deleted last entry shows up here.
func (v *Verifier) Expect(headSeq int64, head Hash) {
	if v.done {
		return
	}
	switch {
	case headSeq > v.prevSeq:
		v.fail(v.prevSeq+1, fmt.Sprintf("entries %d to %d are missing: the log's head is entry %d", v.prevSeq+1, headSeq, headSeq))
	case headSeq == v.prevSeq && head != v.prev:
		v.fail(headSeq, fmt.Sprintf("the log's recorded head hash %s does not match entry %d's hash %s", head, headSeq, v.prev))
	case headSeq < v.prevSeq:
		v.fail(headSeq+1, fmt.Sprintf("entries %d to %d lie past the log's recorded head (entry %d): they were not appended through the log", headSeq+1, v.prevSeq, headSeq))
	}
}

// Result returns the outcome so far.
func (v *Verifier) Result() Result {
	r := v.res
	if r.Checked == 0 {
		r.To = r.From - 1
	}
	return r
}

func (v *Verifier) fail(seq int64, problem string) {
	v.done = true
	v.res.OK = false
	v.res.FirstBad = seq
	v.res.Problem = problem
}
