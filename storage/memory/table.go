package memory

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/docketkit/docket/storage"
)

// table holds one kind of record by its string key, in key order, with
// optional unique indexes. Every write returns through the tx's undo log.
type table[T any] struct {
	kind    string
	key     func(*T) string
	version func(*T) int64    // nil for records without versions
	unique  func(*T) []string // unique index keys of a record, if any
	rows    map[string]*T     // the store's own copies; reads get clones
	keys    []string          // sorted
	index   map[string]string // unique index key -> record key
	// gen counts changes, so that groupings built from the rows know
	// when they are stale.
	gen uint64
}

// grouping caches the record keys of a table grouped by one field, for
// lists filtered by it; it is rebuilt when the table changed.
type grouping struct {
	mu    sync.Mutex
	gen   uint64
	built bool
	m     map[string][]string
}

// grouped returns the table's keys grouped by by, each group in key order.
func (t *table[T]) grouped(g *grouping, by func(*T) string) map[string][]string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.built || g.gen != t.gen {
		g.m = map[string][]string{}
		for _, k := range t.keys {
			v := by(t.rows[k])
			g.m[v] = append(g.m[v], k)
		}
		g.gen, g.built = t.gen, true
	}
	return g.m
}

// listKeys is list over a subset of the keys, in key order.
func (t *table[T]) listKeys(keys []string, p storage.Page, keep func(*T) bool) ([]T, string, error) {
	n := p.Size()
	start := 0
	if p.After != "" {
		start, _ = slices.BinarySearch(keys, p.After)
		if start < len(keys) && keys[start] == p.After {
			start++
		}
	}
	var out []T
	for _, k := range keys[start:] {
		v := t.rows[k]
		if keep != nil && !keep(v) {
			continue
		}
		if len(out) == n {
			return out, t.key(&out[n-1]), nil
		}
		out = append(out, clone(*v))
	}
	return out, "", nil
}

func newTable[T any](kind string, key func(*T) string) *table[T] {
	return &table[T]{kind: kind, key: key, rows: map[string]*T{}, index: map[string]string{}}
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("memory: encoding %T: %v", v, err))
	}
	return b
}

func (t *table[T]) get(key string) (T, error) {
	v, ok := t.rows[key]
	if !ok {
		var zero T
		return zero, fmt.Errorf("%s %s: %w", t.kind, key, storage.ErrNotFound)
	}
	return clone(*v), nil
}

// peek returns the stored value itself, for filters that only read it.
func (t *table[T]) peek(key string) (*T, bool) {
	v, ok := t.rows[key]
	return v, ok
}

// lookup returns the record holding a unique index key.
func (t *table[T]) lookup(ukey string) (T, error) {
	k, ok := t.index[ukey]
	if !ok {
		var zero T
		return zero, fmt.Errorf("%s %s: %w", t.kind, ukey, storage.ErrNotFound)
	}
	return t.get(k)
}

// create stores a new record.
func (t *table[T]) create(tx *txn, v T) error {
	key := t.key(&v)
	if _, ok := t.rows[key]; ok {
		return fmt.Errorf("%s %s: %w", t.kind, key, storage.ErrExists)
	}
	if t.version != nil && t.version(&v) != 1 {
		return fmt.Errorf("%s %s: a new record must have version 1, not %d: %w", t.kind, key, t.version(&v), storage.ErrConflict)
	}
	return t.write(tx, key, v, nil)
}

// update replaces a record whose stored version is one less than v's.
func (t *table[T]) update(tx *txn, v T) error {
	key := t.key(&v)
	old, err := t.get(key)
	if err != nil {
		return err
	}
	if have, want := t.version(&old), t.version(&v)-1; have != want {
		return fmt.Errorf("%s %s: stored version is %d, the update replaces %d: %w", t.kind, key, have, want, storage.ErrConflict)
	}
	return t.write(tx, key, v, &old)
}

func (t *table[T]) write(tx *txn, key string, v T, old *T) error {
	var oldU, newU []string
	if t.unique != nil {
		newU = t.unique(&v)
		if old != nil {
			oldU = t.unique(old)
		}
		for _, u := range newU {
			if k, ok := t.index[u]; ok && k != key {
				return fmt.Errorf("%s %s: %w", t.kind, u, storage.ErrExists)
			}
		}
	}
	prev, existed := t.rows[key]
	t.gen++
	stored := clone(v)
	t.rows[key] = &stored
	if !existed {
		i, _ := slices.BinarySearch(t.keys, key)
		t.keys = slices.Insert(t.keys, i, key)
	}
	for _, u := range oldU {
		delete(t.index, u)
	}
	for _, u := range newU {
		t.index[u] = key
	}
	tx.undo = append(tx.undo, func() {
		t.gen++
		for _, u := range newU {
			delete(t.index, u)
		}
		for _, u := range oldU {
			t.index[u] = key
		}
		if existed {
			t.rows[key] = prev
			return
		}
		delete(t.rows, key)
		if i, found := slices.BinarySearch(t.keys, key); found {
			t.keys = slices.Delete(t.keys, i, i+1)
		}
	})
	return nil
}

// list returns up to one page of the records after the cursor that match
// keep, in key order, and the next page's cursor ("" after the last).
func (t *table[T]) list(p storage.Page, keep func(*T) bool) ([]T, string, error) {
	return t.listKeys(t.keys, p, keep)
}

// remove deletes a record whose stored version is version.
func (t *table[T]) remove(tx *txn, key string, version int64) error {
	old, err := t.get(key)
	if err != nil {
		return err
	}
	if have := t.version(&old); have != version {
		return fmt.Errorf("%s %s: stored version is %d, the delete names %d: %w", t.kind, key, have, version, storage.ErrConflict)
	}
	prev := t.rows[key]
	t.gen++
	var uniq []string
	if t.unique != nil {
		uniq = t.unique(&old)
	}
	delete(t.rows, key)
	i, _ := slices.BinarySearch(t.keys, key)
	t.keys = slices.Delete(t.keys, i, i+1)
	for _, u := range uniq {
		delete(t.index, u)
	}
	tx.undo = append(tx.undo, func() {
		t.gen++
		t.rows[key] = prev
		j, _ := slices.BinarySearch(t.keys, key)
		t.keys = slices.Insert(t.keys, j, key)
		for _, u := range uniq {
			t.index[u] = key
		}
	})
	return nil
}

func (t *table[T]) has(key string) bool {
	_, ok := t.rows[key]
	return ok
}

// removeAny deletes a record whatever its version (for records without
// versions, such as a document's versions when the document is purged).
func (t *table[T]) removeAny(tx *txn, key string) error {
	if _, ok := t.rows[key]; !ok {
		return fmt.Errorf("%s %s: %w", t.kind, key, storage.ErrNotFound)
	}
	prev := t.rows[key]
	t.gen++
	delete(t.rows, key)
	i, _ := slices.BinarySearch(t.keys, key)
	t.keys = slices.Delete(t.keys, i, i+1)
	tx.undo = append(tx.undo, func() {
		t.gen++
		t.rows[key] = prev
		j, _ := slices.BinarySearch(t.keys, key)
		t.keys = slices.Insert(t.keys, j, key)
	})
	return nil
}
