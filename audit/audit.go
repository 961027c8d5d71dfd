package audit

import (
	"cmp"
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Entry is one line of the audit log.
type Entry struct {
	// Seq numbers entries from 1 without gaps.
	Seq int64
	// At is when the change was made, in UTC, to the microsecond.
	At time.Time
	// Actor is the user ID of who made it.
	Actor string
	// Action names what was done, such as "case.open" or "case.advance";
	// denied attempts end in ".denied".
	Action string
	// ResourceType and ResourceID name the record changed.
	ResourceType string
	ResourceID   string
	// CaseID is the case the record belongs to, if any, so that a case's
	// whole trail can be read back.
	CaseID string
	// Reason is the why the actor gave, if any.
	Reason string
	// Changes are the field-level before and after values.
	Changes []Change
	// PrevHash and Hash chain the entry to the one before it; Seal sets
	// them.
	PrevHash Hash
	Hash     Hash
}

// Change is one field's value before and after, each encoded as JSON
// ("" when the field had no value on that side: created or deleted).
type Change struct {
	Field  string `json:"field"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// Hash is a SHA-256 digest.
type Hash [sha256.Size]byte

// String returns the hash in lower-case hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// IsZero reports whether h is all zero bytes (the hash before the first
// entry).
func (h Hash) IsZero() bool { return h == Hash{} }

// ParseHash reads a hash written in hex.
func ParseHash(s string) (Hash, error) {
	var h Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("audit: %q is not a SHA-256 hash in hex", s)
	}
	copy(h[:], b)
	return h, nil
}

// Timestamp is the precision audit times are kept at: microseconds.
const Timestamp = time.Microsecond

// TimeLayout is the one textual form of an entry's time: UTC, fixed width,
// to the microsecond, so that it sorts as text and reads back exactly.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// Record is an entry in its canonical textual form: every field as the
// text that is hashed, and that stores keep. Because the hash covers these
// exact texts, changing any byte of a stored record breaks the chain, with
// no decoding in between that could forgive an edit.
type Record struct {
	Seq          int64
	At           string // TimeLayout
	Actor        string
	Action       string
	ResourceType string
	ResourceID   string
	CaseID       string
	Reason       string
	// Changes is the JSON array of the changes, sorted by field; "[]"
	// when there are none.
	Changes  string
	PrevHash string // lower-case hex
	Hash     string // lower-case hex
}

// Record returns the entry's canonical textual form.
func (e *Entry) Record() Record {
	changes := slices.Clone(e.Changes)
	slices.SortFunc(changes, func(a, b Change) int {
		return cmp.Or(strings.Compare(a.Field, b.Field), strings.Compare(a.Before, b.Before), strings.Compare(a.After, b.After))
	})
	js := []byte("[]")
	if len(changes) > 0 {
		var err error
		if js, err = json.Marshal(changes); err != nil {
			panic(fmt.Sprintf("audit: encoding changes: %v", err)) // strings always encode
		}
	}
	return Record{
		Seq: e.Seq, At: e.At.UTC().Format(TimeLayout), Actor: e.Actor, Action: e.Action,
		ResourceType: e.ResourceType, ResourceID: e.ResourceID, CaseID: e.CaseID, Reason: e.Reason,
		Changes: string(js), PrevHash: e.PrevHash.String(), Hash: e.Hash.String(),
	}
}

// Entry decodes a record. It fails on a record whose fields no longer
// parse; Verify does not need to decode, so it names such a record by its
// hash instead.
func (r *Record) Entry() (Entry, error) {
	e := Entry{Seq: r.Seq, Actor: r.Actor, Action: r.Action, ResourceType: r.ResourceType,
		ResourceID: r.ResourceID, CaseID: r.CaseID, Reason: r.Reason}
	var err error
	if e.At, err = time.Parse(TimeLayout, r.At); err != nil {
		return e, fmt.Errorf("audit entry %d: time %q: %w", r.Seq, r.At, err)
	}
	if r.Changes != "[]" {
		if err := json.Unmarshal([]byte(r.Changes), &e.Changes); err != nil {
			return e, fmt.Errorf("audit entry %d: changes: %w", r.Seq, err)
		}
	}
	if e.PrevHash, err = ParseHash(r.PrevHash); err != nil {
		return e, fmt.Errorf("audit entry %d: previous hash: %w", r.Seq, err)
	}
	if e.Hash, err = ParseHash(r.Hash); err != nil {
		return e, fmt.Errorf("audit entry %d: hash: %w", r.Seq, err)
	}
	return e, nil
}

// Canonical returns the record's canonical encoding: a version byte, then
// every field but the hashes in a fixed order, each as a length-prefixed
// byte string, so that no two different records encode alike.
func (r *Record) Canonical() []byte {
	b := make([]byte, 0, 128+len(r.Reason)+len(r.Changes))
	b = append(b, 2) // encoding version
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(r.Seq))
	for _, s := range []string{r.At, r.Actor, r.Action, r.ResourceType, r.ResourceID, r.CaseID, r.Reason, r.Changes} {
		str(s)
	}
	return b
}

// Compute returns the hash the record must have after an entry with hash
// prev.
func (r *Record) Compute(prev Hash) Hash {
	h := sha256.New()
	h.Write(prev[:])
	h.Write(r.Canonical())
	var out Hash
	h.Sum(out[:0])
	return out
}

// Canonical returns the canonical encoding of the entry's Record.
func (e *Entry) Canonical() []byte {
	r := e.Record()
	return r.Canonical()
}

// Compute returns the hash an entry must have after an entry with hash prev.
func (e *Entry) Compute(prev Hash) Hash {
	r := e.Record()
	return r.Compute(prev)
}

// Seal numbers e as the entry after the one with sequence prevSeq and hash
// prev, truncates its time to Timestamp in UTC, and sets PrevHash and Hash.
func Seal(e *Entry, prevSeq int64, prev Hash) {
	e.Seq = prevSeq + 1
	e.At = e.At.UTC().Truncate(Timestamp)
	e.PrevHash = prev
	e.Hash = e.Compute(prev)
}

// Diff returns the field-level changes between two values of the same
// struct type, each side encoded as JSON. A nil before means the record was
// created (every non-empty field appears with only an After); a nil after
// means it was deleted. Fields named in skip (such as "Version", "Updated")
// are left out. Values that encode to the same JSON are unchanged.
func Diff(before, after any, skip ...string) []Change {
	b, a := fields(before, skip), fields(after, skip)
	var out []Change
	for _, name := range unionKeys(b, a) {
		if b[name] != a[name] {
			out = append(out, Change{Field: name, Before: b[name], After: a[name]})
		}
	}
	return out
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// fields encodes each exported field of a struct as JSON, leaving out zero
// values so that a created record lists only what was set.
func fields(v any, skip []string) map[string]string {
	out := map[string]string{}
	if v == nil {
		return out
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return out
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		enc, _ := json.Marshal(rv.Interface())
		out["value"] = string(enc)
		return out
	}
	rt := rv.Type()
	for i := range rt.NumField() {
		f := rt.Field(i)
		if !f.IsExported() || slices.Contains(skip, f.Name) {
			continue
		}
		fv := rv.Field(i)
		if fv.IsZero() || (fv.Kind() == reflect.Slice || fv.Kind() == reflect.Map) && fv.Len() == 0 {
			continue
		}
		out[f.Name] = encodeJSON(fv)
	}
	return out
}

// encodeJSON encodes a field as encoding/json would, with fast paths for
// the plain strings, numbers and booleans most fields are.
func encodeJSON(fv reflect.Value) string {
	t := fv.Type()
	if !t.Implements(jsonMarshaler) && !t.Implements(textMarshaler) {
		switch fv.Kind() {
		case reflect.String:
			return string(appendJSONString(nil, fv.String()))
		case reflect.Bool:
			return strconv.FormatBool(fv.Bool())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return strconv.FormatInt(fv.Int(), 10)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			return strconv.FormatUint(fv.Uint(), 10)
		}
	}
	enc, err := json.Marshal(fv.Interface())
	if err != nil {
		return string(appendJSONString(nil, fmt.Sprint(fv.Interface())))
	}
	return string(enc)
}

// appendJSONString appends s as a JSON string exactly as encoding/json
// writes it: HTML-safe, invalid UTF-8 replaced, U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func unionKeys(a, b map[string]string) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}
