package memory

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// documentTables are the documents' records. Content is kept apart from
// the JSON-cloned tables, as immutable byte slices shared by reads.
type documentTables struct {
	documents *table[document.Document]
	versions  *table[document.Version]
	holds     *table[document.Hold]
	templates *table[document.Template]
	search    *textIndex
	blobs     map[string][]byte
	blobKeys  []string // sorted
	// adopted are contents kept by a BlobStore elsewhere: their sizes.
	adopted map[string]int64
}

func newDocumentTables() documentTables {
	t := documentTables{
		documents: newTable("document", func(d *document.Document) string { return string(d.ID) }),
		versions:  newTable("document version", func(v *document.Version) string { return versionKey(v.Document, v.Number) }),
		holds:     newTable("hold", func(h *document.Hold) string { return string(h.ID) }),
		templates: newTable("template", func(t *document.Template) string { return string(t.ID) }),
		blobs:     map[string][]byte{},
		adopted:   map[string]int64{},
		search:    newTextIndex(),
	}
	t.documents.version = func(d *document.Document) int64 { return d.Version }
	t.holds.version = func(h *document.Hold) int64 { return h.Version }
	t.templates.version = func(t *document.Template) int64 { return t.Version }
	return t
}

// versionKey orders a document's versions by number. NUL, which no ID
// may hold, ends the document's ID, so that one document's versions
// never run into another's ("m1" and "m1/a").
func versionKey(d document.ID, n int) string { return fmt.Sprintf("%s\x00%010d", d, n) }

func (tx *txn) Documents() storage.Documents { return documents{tx} }
func (tx *txn) Versions() storage.Versions   { return versions{tx} }
func (tx *txn) Blobs() storage.Blobs         { return blobs{tx} }
func (tx *txn) Holds() storage.Holds         { return holds{tx} }
func (tx *txn) Templates() storage.Templates { return templates{tx} }

type documents struct{ tx *txn }

func (r documents) Get(ctx context.Context, id document.ID) (document.Document, error) {
	if err := ctx.Err(); err != nil {
		return document.Document{}, err
	}
	return r.tx.s.documents.get(string(id))
}

func (r documents) GetForUpdate(ctx context.Context, id document.ID) (document.Document, error) {
	return r.Get(ctx, id)
}

func (r documents) Create(ctx context.Context, d document.Document) error {
	return r.tx.do(ctx, func() error {
		if err := r.tx.caseExists("document", string(d.ID), d.Case); err != nil {
			return err
		}
		if err := r.tx.s.documents.create(r.tx, d); err != nil {
			return err
		}
		r.tx.index(&d, nil)
		return nil
	})
}

func (r documents) Update(ctx context.Context, d document.Document) error {
	return r.tx.do(ctx, func() error {
		if err := r.tx.s.documents.update(r.tx, d); err != nil {
			return err
		}
		r.tx.index(&d, nil)
		return nil
	})
}

func (r documents) List(ctx context.Context, f storage.DocumentFilter, p storage.Page) ([]document.Document, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	keep := r.tx.s.documentFilter(f)
	return r.tx.s.documents.list(p, keep)
}

// documentFilter returns the predicate of a DocumentFilter.
func (s *Store) documentFilter(f storage.DocumentFilter) func(*document.Document) bool {
	sc := s.screenFor(f.Visible)
	return func(d *document.Document) bool {
		deleted := !d.Deleted.IsZero()
		switch {
		case f.Case != "" && d.Case != f.Case, f.Kind != "" && d.Kind != f.Kind, f.Status != "" && d.Status != f.Status,
			f.Tag != "" && !slices.Contains(d.Tags, f.Tag),
			f.Deleted == storage.LiveOnly && deleted, f.Deleted == storage.DeletedOnly && !deleted,
			!f.DeletedBefore.IsZero() && (!deleted || !d.Deleted.Before(f.DeletedBefore)),
			!f.UpdatedFrom.IsZero() && d.Updated.Before(f.UpdatedFrom), !f.UpdatedUntil.IsZero() && !d.Updated.Before(f.UpdatedUntil):
			return false
		}
		return s.visibleDocument(sc, d)
	}
}

// visibleDocument reports whether the document passes: its case is
// visible; privileged ones only to those allowed them or on the case's
// team; for a portal user, shared ones only.
func (s *Store) visibleDocument(sc *screen, d *document.Document) bool {
	if sc == nil {
		return true
	}
	c, ok := s.cases.peek(string(d.Case))
	if !ok || !sc.visible(c) {
		return false
	}
	if sc.v.Contact != "" {
		return d.Shared && d.Deleted.IsZero()
	}
	return !d.Privileged || sc.v.Privileged || onTeam(c, string(sc.v.User))
}

// held reports whether an active hold covers the document.
func (s *Store) held(d *document.Document) bool {
	var authors []string
	for _, k := range s.versionKeys(d.ID) {
		v, _ := s.versions.peek(k)
		if !slices.Contains(authors, v.Author) {
			authors = append(authors, v.Author)
		}
	}
	for _, k := range s.holds.keys {
		h, _ := s.holds.peek(k)
		if h.Covers(d, authors) {
			return true
		}
	}
	return false
}

// versionKeys returns the keys of a document's versions, in order.
func (s *Store) versionKeys(d document.ID) []string {
	prefix := string(d) + "\x00"
	i, _ := slices.BinarySearch(s.versions.keys, prefix)
	j := i
	for j < len(s.versions.keys) && len(s.versions.keys[j]) > len(prefix) && s.versions.keys[j][:len(prefix)] == prefix {
		j++
	}
	return s.versions.keys[i:j]
}

func (r documents) Held(ctx context.Context, id document.ID) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	d, ok := r.tx.s.documents.peek(string(id))
	if !ok {
		return false, fmt.Errorf("document %s: %w", id, storage.ErrNotFound)
	}
	return r.tx.s.held(d), nil
}

func (r documents) Purge(ctx context.Context, id document.ID, version int64) error {
	return r.tx.do(ctx, func() error {
		s := r.tx.s
		d, ok := s.documents.peek(string(id))
		if !ok {
			return fmt.Errorf("document %s: %w", id, storage.ErrNotFound)
		}
		if s.held(d) {
			return fmt.Errorf("document %s: %w", id, storage.ErrHeld)
		}
		if d.Version != version {
			return fmt.Errorf("document %s: stored version is %d, the purge names %d: %w", id, d.Version, version, storage.ErrConflict)
		}
		for _, k := range slices.Clone(s.versionKeys(id)) {
			if err := s.versions.removeAny(r.tx, k); err != nil {
				return err
			}
		}
		if err := s.documents.remove(r.tx, string(id), version); err != nil {
			return err
		}
		r.tx.unindex(id)
		return nil
	})
}

type versions struct{ tx *txn }

func (r versions) Get(ctx context.Context, d document.ID, number int) (document.Version, error) {
	if err := ctx.Err(); err != nil {
		return document.Version{}, err
	}
	return r.tx.s.versions.get(versionKey(d, number))
}

func (r versions) Create(ctx context.Context, v document.Version) error {
	return r.tx.do(ctx, func() error {
		s := r.tx.s
		if !s.documents.has(string(v.Document)) {
			return fmt.Errorf("document version %s/%d: document %s: %w", v.Document, v.Number, v.Document, storage.ErrNotFound)
		}
		if _, ok := s.blobs[v.Hash]; !ok {
			return fmt.Errorf("document version %s/%d: content %s: %w", v.Document, v.Number, v.Hash, storage.ErrNotFound)
		}
		return s.versions.create(r.tx, v)
	})
}

func (r versions) List(ctx context.Context, d document.ID, p storage.Page) ([]document.Version, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	if p.After != "" {
		n, err := strconv.Atoi(p.After)
		if err != nil {
			return nil, "", fmt.Errorf("version cursor %q: %w", p.After, storage.ErrNotFound)
		}
		p.After = versionKey(d, n)
	}
	out, next, err := r.tx.s.versions.listKeys(r.tx.s.versionKeys(d), p, nil)
	if next != "" {
		next = strconv.Itoa(out[len(out)-1].Number)
	}
	return out, next, err
}

func (r versions) Authors(ctx context.Context, d document.ID) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []string
	for _, k := range r.tx.s.versionKeys(d) {
		v, _ := r.tx.s.versions.peek(k)
		if !slices.Contains(out, v.Author) {
			out = append(out, v.Author)
		}
	}
	slices.Sort(out)
	return out, nil
}

type blobs struct{ tx *txn }

func (r blobs) Write(ctx context.Context, src io.Reader) (storage.Blob, error) {
	var b storage.Blob
	err := r.tx.do(ctx, func() error {
		var buf bytes.Buffer
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(&buf, h), src)
		if err != nil {
			return fmt.Errorf("reading content: %w", err)
		}
		b = storage.Blob{Hash: hex.EncodeToString(h.Sum(nil)), Size: n}
		s := r.tx.s
		if _, ok := s.blobs[b.Hash]; ok {
			return nil
		}
		s.blobs[b.Hash] = buf.Bytes()
		i, _ := slices.BinarySearch(s.blobKeys, b.Hash)
		s.blobKeys = slices.Insert(s.blobKeys, i, b.Hash)
		r.tx.undo = append(r.tx.undo, func() { s.dropBlob(b.Hash) })
		return nil
	})
	return b, err
}

func (r blobs) Adopt(ctx context.Context, b storage.Blob) error {
	return r.tx.do(ctx, func() error {
		s := r.tx.s
		if _, ok := s.blobs[b.Hash]; ok {
			return nil
		}
		s.blobs[b.Hash] = nil
		s.adopted[b.Hash] = b.Size
		i, _ := slices.BinarySearch(s.blobKeys, b.Hash)
		s.blobKeys = slices.Insert(s.blobKeys, i, b.Hash)
		r.tx.undo = append(r.tx.undo, func() { s.dropBlob(b.Hash) })
		return nil
	})
}

// blobSize is the size of stored or adopted content.
func (s *Store) blobSize(hash string) int64 {
	if n, ok := s.adopted[hash]; ok {
		return n
	}
	return int64(len(s.blobs[hash]))
}

func (s *Store) dropBlob(hash string) {
	delete(s.blobs, hash)
	delete(s.adopted, hash)
	if i, ok := slices.BinarySearch(s.blobKeys, hash); ok {
		s.blobKeys = slices.Delete(s.blobKeys, i, i+1)
	}
}

func (r blobs) Read(ctx context.Context, hash string, w io.Writer) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	data, ok := r.tx.s.blobs[hash]
	if !ok {
		return 0, fmt.Errorf("blob %s: %w", hash, storage.ErrNotFound)
	}
	if _, ok := r.tx.s.adopted[hash]; ok {
		return 0, fmt.Errorf("blob %s: %w", hash, storage.ErrElsewhere)
	}
	n, err := w.Write(data)
	if err != nil {
		return int64(n), err
	}
	sum := sha256.Sum256(data)
	return int64(n), storage.CheckRead(hash, int64(len(data)), int64(n), sum[:])
}

func (r blobs) Stat(ctx context.Context, hash string) (storage.Blob, error) {
	if err := ctx.Err(); err != nil {
		return storage.Blob{}, err
	}
	if _, ok := r.tx.s.blobs[hash]; !ok {
		return storage.Blob{}, fmt.Errorf("blob %s: %w", hash, storage.ErrNotFound)
	}
	return storage.Blob{Hash: hash, Size: r.tx.s.blobSize(hash)}, nil
}

func (r blobs) Delete(ctx context.Context, hash string) (bool, error) {
	var done bool
	err := r.tx.do(ctx, func() error {
		s := r.tx.s
		data, ok := s.blobs[hash]
		if !ok {
			return nil
		}
		for _, k := range s.versions.keys {
			if v, _ := s.versions.peek(k); v.Hash == hash {
				return nil
			}
		}
		for _, k := range s.messages.keys {
			if m, _ := s.messages.peek(k); slices.Contains(m.Content(), hash) {
				return nil
			}
		}
		size, adopted := s.adopted[hash]
		s.dropBlob(hash)
		r.tx.undo = append(r.tx.undo, func() {
			s.blobs[hash] = data
			if adopted {
				s.adopted[hash] = size
			}
			i, _ := slices.BinarySearch(s.blobKeys, hash)
			s.blobKeys = slices.Insert(s.blobKeys, i, hash)
		})
		done = true
		return nil
	})
	return done, err
}

func (r blobs) List(ctx context.Context, p storage.Page) ([]storage.Blob, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	s := r.tx.s
	i := 0
	if p.After != "" {
		i, _ = slices.BinarySearch(s.blobKeys, p.After)
		if i < len(s.blobKeys) && s.blobKeys[i] == p.After {
			i++
		}
	}
	var out []storage.Blob
	for _, k := range s.blobKeys[i:] {
		if len(out) == p.Size() {
			return out, out[len(out)-1].Hash, nil
		}
		out = append(out, storage.Blob{Hash: k, Size: s.blobSize(k)})
	}
	return out, "", nil
}

// CorruptBlob flips a byte of stored content, for tests of the integrity
// check; it reports whether the content was there.
func (s *Store) CorruptBlob(hash string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, ok := s.blobs[hash]
	if !ok || len(data) == 0 {
		return false
	}
	c := bytes.Clone(data)
	c[len(c)/2] ^= 0xff
	s.blobs[hash] = c
	return true
}

type holds struct{ tx *txn }

func (r holds) Get(ctx context.Context, id document.HoldID) (document.Hold, error) {
	if err := ctx.Err(); err != nil {
		return document.Hold{}, err
	}
	return r.tx.s.holds.get(string(id))
}

func (r holds) Create(ctx context.Context, h document.Hold) error {
	return r.tx.do(ctx, func() error {
		if h.Case != "" {
			if err := r.tx.caseExists("hold", string(h.ID), h.Case); err != nil {
				return err
			}
		}
		return r.tx.s.holds.create(r.tx, h)
	})
}

// Update only releases a hold, as the SQL stores' triggers allow.
func (r holds) Update(ctx context.Context, h document.Hold) error {
	return r.tx.do(ctx, func() error {
		old, ok := r.tx.s.holds.peek(string(h.ID))
		if ok && (!old.Active() || h.Active() || h.Case != old.Case || h.Custodian != old.Custodian) {
			return fmt.Errorf("hold %s: a hold changes only by its release: %w", h.ID, storage.ErrHeld)
		}
		return r.tx.s.holds.update(r.tx, h)
	})
}

func (r holds) List(ctx context.Context, f storage.HoldFilter, p storage.Page) ([]document.Hold, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	sc := r.tx.s.screenFor(f.Visible)
	return r.tx.s.holds.list(p, func(h *document.Hold) bool {
		return (f.Case == "" || h.Case == f.Case) && (f.Custodian == "" || h.Custodian == f.Custodian) && (!f.Active || h.Active()) &&
			r.tx.s.visibleCase(sc, string(h.Case))
	})
}

type templates struct{ tx *txn }

func (r templates) Get(ctx context.Context, id document.TemplateID) (document.Template, error) {
	if err := ctx.Err(); err != nil {
		return document.Template{}, err
	}
	return r.tx.s.templates.get(string(id))
}
func (r templates) Create(ctx context.Context, t document.Template) error {
	return r.tx.do(ctx, func() error { return r.tx.s.templates.create(r.tx, t) })
}
func (r templates) Update(ctx context.Context, t document.Template) error {
	return r.tx.do(ctx, func() error { return r.tx.s.templates.update(r.tx, t) })
}
func (r templates) List(ctx context.Context, p storage.Page) ([]document.Template, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	return r.tx.s.templates.list(p, nil)
}
