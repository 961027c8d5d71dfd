package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/google/uuid"

	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

// ChunkSize is how much content one blob_chunks row holds: what a write
// or a read keeps in memory at once.
const ChunkSize = 1 << 20

var (
	documentsT = newTable[documentRow]("documents", "document")
	versionsT  = newTable[versionRow]("document_versions", "document version")
	blobsT     = newTable[blobRow]("blobs", "blob")
	holdsT     = newTable[holdRow]("holds", "hold")
	templatesT = newTable[templateRow]("templates", "template")

	insertTag      = static("INSERT INTO document_tags (document_id, tag) VALUES (?, ?)")
	deleteTags     = static("DELETE FROM document_tags WHERE document_id = ?")
	insertChunk    = static("INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?, ?, ?)")
	selectChunk    = static("SELECT data FROM blob_chunks WHERE blob_id = ? AND seq = ?")
	deleteChunks   = static("DELETE FROM blob_chunks WHERE blob_id = ?")
	insertBlob     = static("INSERT INTO blobs (hash, id, size) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
	deleteBlob     = static("DELETE FROM blobs WHERE hash = ? AND NOT EXISTS (SELECT 1 FROM document_versions v WHERE v.hash = ?) AND NOT EXISTS (SELECT 1 FROM message_blobs mb WHERE mb.hash = ?)")
	deleteVersions = static("DELETE FROM document_versions WHERE document_id = ?")
	selectAuthors  = static("SELECT DISTINCT author FROM document_versions WHERE document_id = ? ORDER BY author")
	// documentHeld counts the active holds covering a document: on its
	// case, or on a custodian who wrote it or one of its versions.
	documentHeld = static(`SELECT COUNT(*) FROM holds h JOIN documents d ON d.id = ?
		WHERE h.released = '' AND (h.case_id = '' OR h.case_id = d.case_id)
		AND (h.custodian = '' OR h.custodian = d.author
			OR EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = d.id AND v.author = h.custodian))`)

	chunks = sync.Pool{New: func() any { b := make([]byte, ChunkSize); return &b }}
)

func (t *txn) Documents() storage.Documents { return documents{t} }
func (t *txn) Versions() storage.Versions   { return versions{t} }
func (t *txn) Blobs() storage.Blobs         { return blobs{t} }
func (t *txn) Holds() storage.Holds         { return holds{t} }
func (t *txn) Templates() storage.Templates { return templates{t} }

type documentRow struct {
	ID              string `db:"id"`
	Case            string `db:"case_id"`
	Title           string `db:"title"`
	Kind            string `db:"kind"`
	Status          string `db:"status"`
	Tags            string `db:"tags"`
	Author          string `db:"author"`
	Privileged      bool   `db:"privileged"`
	Shared          bool   `db:"shared"`
	Current         int    `db:"current"`
	CheckedOutBy    string `db:"checked_out_by"`
	CheckedOutUntil string `db:"checked_out_until"`
	Deleted         string `db:"deleted"`
	DeletedBy       string `db:"deleted_by"`
	DeleteReason    string `db:"delete_reason"`
	Version         int64  `db:"version"`
	Created         string `db:"created"`
	Updated         string `db:"updated"`
}

func documentRowOf(d document.Document) documentRow {
	return documentRow{string(d.ID), string(d.Case), d.Title, string(d.Kind), string(d.Status), js(d.Tags), d.Author, d.Privileged, d.Shared,
		d.Current, d.CheckedOutBy, ts(d.CheckedOutUntil), ts(d.Deleted), d.DeletedBy, d.DeleteReason, d.Version, ts(d.Created), ts(d.Updated)}
}

func (r documentRow) document() (document.Document, error) {
	var d decoder
	doc := document.Document{ID: document.ID(r.ID), Case: cases.ID(r.Case), Title: r.Title, Kind: document.Kind(r.Kind), Status: document.Status(r.Status),
		Author: r.Author, Privileged: r.Privileged, Shared: r.Shared, Current: r.Current, CheckedOutBy: r.CheckedOutBy,
		CheckedOutUntil: d.time(r.CheckedOutUntil), Deleted: d.time(r.Deleted), DeletedBy: r.DeletedBy, DeleteReason: r.DeleteReason,
		Version: r.Version, Created: d.time(r.Created), Updated: d.time(r.Updated)}
	d.json(r.Tags, &doc.Tags)
	return doc, d.err
}

type documents struct{ t *txn }

func (r documents) Get(ctx context.Context, id document.ID) (document.Document, error) {
	return getAs(ctx, r.t, documentsT, "id", string(id), documentRow.document)
}

var selectDocumentForUpdate = staticFor("postgres", documentsT.selectSQL+" WHERE id = ? FOR UPDATE")

func (r documents) GetForUpdate(ctx context.Context, id document.ID) (document.Document, error) {
	if r.t.s.d.sqlite() || !r.t.write {
		return r.Get(ctx, id)
	}
	var row documentRow
	if err := r.t.get(ctx, &row, selectDocumentForUpdate, string(id)); err != nil {
		return document.Document{}, fmt.Errorf("document %s: %w", id, err)
	}
	return row.document()
}

func (r documents) Create(ctx context.Context, d document.Document) error {
	if err := createNew(ctx, r.t, documentsT, string(d.ID), d.Version, documentRowOf(d)); err != nil {
		return err
	}
	if err := r.writeTags(ctx, &d); err != nil {
		return err
	}
	return r.index(ctx, &d, nil)
}

func (r documents) Update(ctx context.Context, d document.Document) error {
	if err := documentsT.update(ctx, r.t, string(d.ID), d.Version, documentRowOf(d)); err != nil {
		return err
	}
	if _, err := r.t.exec(ctx, deleteTags, string(d.ID)); err != nil {
		return err
	}
	if err := r.writeTags(ctx, &d); err != nil {
		return err
	}
	return r.index(ctx, &d, nil)
}

func (r documents) writeTags(ctx context.Context, d *document.Document) error {
	for _, tag := range d.Tags {
		if _, err := r.t.exec(ctx, insertTag, string(d.ID), tag); err != nil {
			return fmt.Errorf("document %s tag %q: %w", d.ID, tag, err)
		}
	}
	return nil
}

func (r documents) List(ctx context.Context, f storage.DocumentFilter, p storage.Page) ([]document.Document, string, error) {
	q := r.t.s.d.documentFilter("documents", f)
	return listAs(ctx, r.t, documentsT, q, p, documentRow.document, func(d document.Document) string { return string(d.ID) })
}

// documentFilter is the condition a DocumentFilter puts on the documents
// row named alias.
func (d *Dialect) documentFilter(alias string, f storage.DocumentFilter) filter {
	var q filter
	q.eq(alias+".case_id", string(f.Case))
	q.eq(alias+".kind", string(f.Kind))
	q.eq(alias+".status", string(f.Status))
	if f.Tag != "" {
		q.where = append(q.where, "EXISTS (SELECT 1 FROM document_tags dt WHERE dt.document_id = "+alias+".id AND dt.tag = ?)")
		q.args = append(q.args, f.Tag)
	}
	switch f.Deleted {
	case storage.LiveOnly:
		q.where = append(q.where, alias+".deleted = ''")
	case storage.DeletedOnly:
		q.where = append(q.where, alias+".deleted <> ''")
	}
	if !f.DeletedBefore.IsZero() {
		q.where, q.args = append(q.where, alias+".deleted <> '' AND "+alias+".deleted < ?"), append(q.args, ts(f.DeletedBefore))
	}
	if !f.UpdatedFrom.IsZero() {
		q.where, q.args = append(q.where, alias+".updated >= ?"), append(q.args, ts(f.UpdatedFrom))
	}
	if !f.UpdatedUntil.IsZero() {
		q.where, q.args = append(q.where, alias+".updated < ?"), append(q.args, ts(f.UpdatedUntil))
	}
	if f.Visible != nil {
		cond, args := d.visibleDocument(alias, f.Visible)
		q.where, q.args = append(q.where, cond), append(q.args, args...)
	}
	return q
}

func (r documents) Held(ctx context.Context, id document.ID) (bool, error) {
	if err := r.t.lockHolds(ctx); err != nil {
		return false, err
	}
	var held int
	if err := r.t.get(ctx, &held, documentHeld, string(id)); err != nil {
		return false, err
	}
	return held > 0, nil
}

// lockHolds makes a hold placed while this transaction runs seen before
// anything it covers goes: in PostgreSQL, SHARE mode waits for
// transactions that wrote holds and keeps others from writing them until
// this one ends. (SQLite has one writer; reads there see every commit.)
func (t *txn) lockHolds(ctx context.Context) error {
	if t.write && !t.s.d.sqlite() {
		_, err := t.exec(ctx, "LOCK TABLE holds IN SHARE MODE")
		return err
	}
	return nil
}

func (r documents) Purge(ctx context.Context, id document.ID, version int64) error {
	if held, err := r.Held(ctx, id); err != nil {
		return err
	} else if held {
		return fmt.Errorf("document %s: %w", id, storage.ErrHeld)
	}
	stored, err := r.Get(ctx, id)
	if err != nil {
		return err
	}
	if stored.Version != version {
		return fmt.Errorf("document %s: stored version is %d, the purge names %d: %w", id, stored.Version, version, storage.ErrConflict)
	}
	if err := r.unindex(ctx, id); err != nil {
		return fmt.Errorf("document %s: %w", id, err)
	}
	for _, q := range []string{deleteTags, deleteVersions} {
		if _, err := r.t.exec(ctx, q, string(id)); err != nil {
			return fmt.Errorf("document %s: %w", id, err)
		}
	}
	return documentsT.remove(ctx, r.t, string(id), version)
}

type versionRow struct {
	Document        string `db:"document_id"`
	Number          int    `db:"number"`
	Hash            string `db:"hash"`
	Size            int64  `db:"size"`
	MediaType       string `db:"media_type"`
	Author          string `db:"author"`
	Comment         string `db:"comment"`
	BasedOn         int    `db:"based_on"`
	Template        string `db:"template"`
	TemplateVersion int64  `db:"template_version"`
	Created         string `db:"created"`
}

func versionRowOf(v document.Version) versionRow {
	return versionRow{string(v.Document), v.Number, v.Hash, v.Size, v.MediaType, v.Author, v.Comment, v.BasedOn, v.Template, v.TemplateVersion, ts(v.Created)}
}

func (r versionRow) version() (document.Version, error) {
	var d decoder
	v := document.Version{Document: document.ID(r.Document), Number: r.Number, Hash: r.Hash, Size: r.Size, MediaType: r.MediaType, Author: r.Author,
		Comment: r.Comment, BasedOn: r.BasedOn, Template: r.Template, TemplateVersion: r.TemplateVersion, Created: d.time(r.Created)}
	return v, d.err
}

var (
	selectVersion  = static(versionsT.selectSQL + " WHERE document_id = ? AND number = ?")
	selectVersions = versionsT.selectSQL + " WHERE document_id = ? AND number > ? ORDER BY number LIMIT "
)

type versions struct{ t *txn }

func (r versions) Get(ctx context.Context, d document.ID, number int) (document.Version, error) {
	var row versionRow
	if err := r.t.get(ctx, &row, selectVersion, string(d), number); err != nil {
		return document.Version{}, fmt.Errorf("document %s version %d: %w", d, number, err)
	}
	return row.version()
}

func (r versions) Create(ctx context.Context, v document.Version) error {
	return versionsT.insert(ctx, r.t, fmt.Sprintf("%s version %d", v.Document, v.Number), versionRowOf(v))
}

func (r versions) List(ctx context.Context, d document.ID, p storage.Page) ([]document.Version, string, error) {
	after := 0
	if p.After != "" {
		n, err := strconv.Atoi(p.After)
		if err != nil {
			return nil, "", fmt.Errorf("version cursor %q: %w", p.After, storage.ErrNotFound)
		}
		after = n
	}
	var rows []versionRow
	if err := r.t.selectRows(ctx, &rows, selectVersions+strconv.Itoa(p.Size()+1), string(d), after); err != nil {
		return nil, "", fmt.Errorf("document %s versions: %w", d, err)
	}
	more := len(rows) > p.Size()
	if more {
		rows = rows[:p.Size()]
	}
	return page("document version", rows, more, versionRow.version, func(v document.Version) string { return strconv.Itoa(v.Number) })
}

func (r versions) Authors(ctx context.Context, d document.ID) ([]string, error) {
	var out []string
	if err := r.t.selectRows(ctx, &out, selectAuthors, string(d)); err != nil {
		return nil, fmt.Errorf("document %s authors: %w", d, err)
	}
	return out, nil
}

type blobRow struct {
	Hash string `db:"hash"`
	ID   string `db:"id"`
	Size int64  `db:"size"`
}

func (r blobRow) blob() (storage.Blob, error) { return storage.Blob{Hash: r.Hash, Size: r.Size}, nil }

type blobs struct{ t *txn }

// Write stores the content in chunks under a new key while hashing it,
// then files it under its hash; if the hash was stored already, the new
// chunks are dropped again.
func (r blobs) Write(ctx context.Context, src io.Reader) (storage.Blob, error) {
	if !r.t.write {
		return storage.Blob{}, errReadOnly
	}
	id := uuid.NewString()
	bp := chunks.Get().(*[]byte)
	defer chunks.Put(bp)
	buf := *bp
	h := sha256.New()
	var size int64
	hashed := make(chan struct{}, 1)
	for seq := 0; ; seq++ {
		n, err := io.ReadFull(src, buf)
		if n > 0 {
			// Hash the chunk while the database stores it: both only read
			// buf, and each takes about as long as the other.
			go func() { h.Write(buf[:n]); hashed <- struct{}{} }()
			_, xerr := r.t.exec(ctx, insertChunk, id, seq, buf[:n])
			<-hashed
			if xerr != nil {
				return storage.Blob{}, fmt.Errorf("storing content: %w", xerr)
			}
			size += int64(n)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return storage.Blob{}, fmt.Errorf("reading content: %w", err)
		}
	}
	b := storage.Blob{Hash: hex.EncodeToString(h.Sum(nil)), Size: size}
	res, err := r.t.exec(ctx, insertBlob, b.Hash, id, size)
	if err != nil {
		return storage.Blob{}, fmt.Errorf("blob %s: %w", b.Hash, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return storage.Blob{}, err
	} else if n == 0 {
		// Stored already: keep one copy.
		if _, err := r.t.exec(ctx, deleteChunks, id); err != nil {
			return storage.Blob{}, err
		}
	}
	return b, nil
}

// externalID marks, in blobs.id, content a BlobStore keeps elsewhere.
const externalID = "external:"

func (r blobs) Adopt(ctx context.Context, b storage.Blob) error {
	_, err := r.t.exec(ctx, insertBlob, b.Hash, externalID+b.Hash, b.Size)
	if err != nil {
		return fmt.Errorf("blob %s: %w", b.Hash, err)
	}
	return nil
}

func (r blobs) Read(ctx context.Context, hash string, w io.Writer) (int64, error) {
	row, err := blobsT.one(ctx, r.t, "hash", hash)
	if err != nil {
		return 0, err
	}
	if strings.HasPrefix(row.ID, externalID) {
		return 0, fmt.Errorf("blob %s: %w", hash, storage.ErrElsewhere)
	}
	h := sha256.New()
	var n int64
	for seq := 0; n < row.Size; seq++ {
		var data []byte
		if err := r.t.get(ctx, &data, selectChunk, row.ID, seq); errors.Is(err, storage.ErrNotFound) {
			return n, fmt.Errorf("blob %s: chunk %d is missing: %w", hash, seq, storage.ErrCorrupt)
		} else if err != nil {
			return n, fmt.Errorf("blob %s: %w", hash, err)
		}
		if len(data) == 0 {
			return n, fmt.Errorf("blob %s: chunk %d is empty: %w", hash, seq, storage.ErrCorrupt)
		}
		h.Write(data)
		m, err := w.Write(data)
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	return n, storage.CheckRead(hash, row.Size, n, h.Sum(nil))
}

func (r blobs) Stat(ctx context.Context, hash string) (storage.Blob, error) {
	return getAs(ctx, r.t, blobsT, "hash", hash, blobRow.blob)
}

func (r blobs) Delete(ctx context.Context, hash string) (bool, error) {
	row, err := blobsT.one(ctx, r.t, "hash", hash)
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	res, err := r.t.exec(ctx, deleteBlob, hash, hash, hash)
	if err != nil {
		return false, fmt.Errorf("blob %s: %w", hash, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if _, err := r.t.exec(ctx, deleteChunks, row.ID); err != nil {
		return false, fmt.Errorf("blob %s: %w", hash, err)
	}
	return true, nil
}

func (r blobs) List(ctx context.Context, p storage.Page) ([]storage.Blob, string, error) {
	return listAs(ctx, r.t, blobsT, filter{}, p, blobRow.blob, func(b storage.Blob) string { return b.Hash })
}

type holdRow struct {
	ID            string `db:"id"`
	Case          string `db:"case_id"`
	Custodian     string `db:"custodian"`
	Matter        string `db:"matter"`
	Reason        string `db:"reason"`
	PlacedBy      string `db:"placed_by"`
	Released      string `db:"released"`
	ReleasedBy    string `db:"released_by"`
	ReleaseReason string `db:"release_reason"`
	Version       int64  `db:"version"`
	Created       string `db:"created"`
	Updated       string `db:"updated"`
}

func holdRowOf(h document.Hold) holdRow {
	return holdRow{string(h.ID), string(h.Case), h.Custodian, h.Matter, h.Reason, h.PlacedBy, ts(h.Released), h.ReleasedBy, h.ReleaseReason,
		h.Version, ts(h.Created), ts(h.Updated)}
}

func (r holdRow) hold() (document.Hold, error) {
	var d decoder
	h := document.Hold{ID: document.HoldID(r.ID), Case: cases.ID(r.Case), Custodian: r.Custodian, Matter: r.Matter, Reason: r.Reason,
		PlacedBy: r.PlacedBy, Released: d.time(r.Released), ReleasedBy: r.ReleasedBy, ReleaseReason: r.ReleaseReason,
		Version: r.Version, Created: d.time(r.Created), Updated: d.time(r.Updated)}
	return h, d.err
}

type holds struct{ t *txn }

func (r holds) Get(ctx context.Context, id document.HoldID) (document.Hold, error) {
	return getAs(ctx, r.t, holdsT, "id", string(id), holdRow.hold)
}
func (r holds) Create(ctx context.Context, h document.Hold) error {
	return createNew(ctx, r.t, holdsT, string(h.ID), h.Version, holdRowOf(h))
}
func (r holds) Update(ctx context.Context, h document.Hold) error {
	return holdsT.update(ctx, r.t, string(h.ID), h.Version, holdRowOf(h))
}
func (r holds) List(ctx context.Context, f storage.HoldFilter, p storage.Page) ([]document.Hold, string, error) {
	var q filter
	q.eq("case_id", string(f.Case))
	q.eq("custodian", f.Custodian)
	if f.Active {
		q.where = append(q.where, "released = ''")
	}
	if f.Visible != nil {
		cond, args := r.t.s.d.visibleRef("holds.case_id", f.Visible)
		q.where, q.args = append(q.where, cond), append(q.args, args...)
	}
	return listAs(ctx, r.t, holdsT, q, p, holdRow.hold, func(h document.Hold) string { return string(h.ID) })
}

type templateRow struct {
	ID        string `db:"id"`
	Name      string `db:"name"`
	Kind      string `db:"kind"`
	Title     string `db:"title"`
	MediaType string `db:"media_type"`
	Body      string `db:"body"`
	Version   int64  `db:"version"`
	Created   string `db:"created"`
	Updated   string `db:"updated"`
}

func templateRowOf(t document.Template) templateRow {
	return templateRow{string(t.ID), t.Name, string(t.Kind), t.Title, t.MediaType, t.Body, t.Version, ts(t.Created), ts(t.Updated)}
}

func (r templateRow) template() (document.Template, error) {
	var d decoder
	t := document.Template{ID: document.TemplateID(r.ID), Name: r.Name, Kind: document.Kind(r.Kind), Title: r.Title, MediaType: r.MediaType,
		Body: r.Body, Version: r.Version, Created: d.time(r.Created), Updated: d.time(r.Updated)}
	return t, d.err
}

type templates struct{ t *txn }

func (r templates) Get(ctx context.Context, id document.TemplateID) (document.Template, error) {
	return getAs(ctx, r.t, templatesT, "id", string(id), templateRow.template)
}
func (r templates) Create(ctx context.Context, t document.Template) error {
	return createNew(ctx, r.t, templatesT, string(t.ID), t.Version, templateRowOf(t))
}
func (r templates) Update(ctx context.Context, t document.Template) error {
	return templatesT.update(ctx, r.t, string(t.ID), t.Version, templateRowOf(t))
}
func (r templates) List(ctx context.Context, p storage.Page) ([]document.Template, string, error) {
	return listAs(ctx, r.t, templatesT, filter{}, p, templateRow.template, func(t document.Template) string { return string(t.ID) })
}
