package storage

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/document"
)

// ErrHeld: a legal hold covers the record, which therefore cannot be
// deleted or purged. Every store refuses to remove held content and
// records itself (Purge, Blobs.Delete, and in SQL a trigger), whatever the
// caller checked. Marking a held document deleted (Documents.Update with
// Deleted set) removes nothing, and the store allows it; the Firm refuses
// it.
var ErrHeld = errors.New("under legal hold")

// ErrCorrupt: stored content no longer matches the SHA-256 it was stored
// under.
var ErrCorrupt = errors.New("content does not match its hash")

// Documents persists documents' metadata.
type Documents interface {
	Get(ctx context.Context, id document.ID) (document.Document, error)
	// GetForUpdate is Get in a transaction about to change the document:
	// it waits for, and then reads the result of, any other transaction
	// changing it (a row lock in PostgreSQL; SQLite and memory have one
	// writer), so that concurrent changes queue instead of deadlocking or
	// failing on a version read before the other committed.
	GetForUpdate(ctx context.Context, id document.ID) (document.Document, error)
	Create(ctx context.Context, d document.Document) error
	Update(ctx context.Context, d document.Document) error
	// List returns documents in ID order.
	List(ctx context.Context, f DocumentFilter, p Page) ([]document.Document, string, error)
	// SetText stores the text search reads of the document's current
	// version (at most document.MaxText bytes); the title and tags are
	// indexed from the document itself whenever it is created or changed.
	SetText(ctx context.Context, id document.ID, text string) error
	// Search returns the documents that match every term of q and pass f
	// (as for List), best first (ties in ID order), one page at a time;
	// the cursor counts the hits before it. A title match outranks a tag
	// match, and a tag match one in the text.
	Search(ctx context.Context, q document.Query, f DocumentFilter, p Page) ([]SearchHit, string, error)
	// Held reports whether an active legal hold covers the document: on
	// its case, or on a custodian who wrote it or one of its versions.
	Held(ctx context.Context, id document.ID) (bool, error)
	// Purge removes a document, all its versions and its search text, if
	// its stored version is version and no active hold covers it
	// (ErrHeld otherwise). The content its versions referred to is left
	// to Blobs.Delete, which keeps what other versions still use.
	Purge(ctx context.Context, id document.ID, version int64) error
}

// SearchHit is a document a search found, with its score: higher is
// better; scores compare only within one search on one store.
type SearchHit struct {
	Document document.Document
	Score    float64
}

// MaxSearchOffset is how deep search pages go: a search ranks every hit
// before its page, so pages past the first 10,000 hits are refused;
// narrow the search instead.
const MaxSearchOffset = 10000

// SearchOffset reads a search page's cursor: how many hits come before
// the page (0 for the first). A cursor that is not one, or lies past
// MaxSearchOffset, is ErrNotFound.
func SearchOffset(p Page) (int, error) {
	if p.After == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(p.After)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("search cursor %q: %w", p.After, ErrNotFound)
	}
	if n > MaxSearchOffset {
		return 0, fmt.Errorf("search cursor %d: pages past the first %d hits are not served, narrow the search: %w", n, MaxSearchOffset, ErrNotFound)
	}
	return n, nil
}

// Deleted chooses documents by whether they are soft-deleted.
type Deleted int

// The choices of DocumentFilter.Deleted.
const (
	// LiveOnly keeps documents that are not deleted (the default).
	LiveOnly Deleted = iota
	// DeletedOnly keeps deleted documents.
	DeletedOnly
	// AnyDeleted keeps both.
	AnyDeleted
)

// DocumentFilter narrows a document list; zero fields match everything.
type DocumentFilter struct {
	Case   cases.ID
	Kind   document.Kind
	Status document.Status
	// Tag keeps documents with this tag.
	Tag string
	// Deleted chooses live or deleted documents; DeletedBefore keeps those
	// deleted before it (for retention).
	Deleted       Deleted
	DeletedBefore time.Time
	// UpdatedFrom and UpdatedUntil keep documents last changed in
	// [UpdatedFrom, UpdatedUntil).
	UpdatedFrom, UpdatedUntil time.Time
	// Visible, when set, keeps documents on cases visible under it, and
	// privileged documents only where it allows them (see Visibility).
	Visible *Visibility
}

// Versions persists documents' immutable versions.
type Versions interface {
	Get(ctx context.Context, d document.ID, number int) (document.Version, error)
	// Create stores a new version: ErrExists if the document already has
	// one with that number (another writer got there first).
	Create(ctx context.Context, v document.Version) error
	// List returns a document's versions, oldest first; the cursor is the
	// version number.
	List(ctx context.Context, d document.ID, p Page) ([]document.Version, string, error)
	// Authors returns everyone who wrote a version of the document.
	Authors(ctx context.Context, d document.ID) ([]string, error)
}

// Blob is stored content: its SHA-256 in hex and its size.
type Blob struct {
	Hash string
	Size int64
}

// Blobs stores content by its SHA-256: identical content is kept once.
// Content streams in and out in chunks, so memory stays bounded whatever
// the size.
type Blobs interface {
	// Write stores everything r yields and returns its hash and size. If
	// that content is stored already, nothing more is kept.
	Write(ctx context.Context, r io.Reader) (Blob, error)
	// Read writes the content stored under hash to w. Content that no
	// longer matches its hash is written as stored and reported with
	// ErrCorrupt at the end.
	Read(ctx context.Context, hash string, w io.Writer) (int64, error)
	// Stat returns the stored blob, or ErrNotFound.
	Stat(ctx context.Context, hash string) (Blob, error)
	// Delete removes content no version refers to any more; content still
	// in use is kept, and Delete reports whether it removed anything.
	Delete(ctx context.Context, hash string) (bool, error)
	// List returns the stored blobs in hash order.
	List(ctx context.Context, p Page) ([]Blob, string, error)
	// Adopt records content a BlobStore keeps outside the database (b
	// as that store computed it), so that versions may refer to it; its
	// bytes are not here, and Read says so. Adopting what is recorded
	// already changes nothing.
	Adopt(ctx context.Context, b Blob) error
}

// ErrElsewhere: the content is recorded here but kept by a BlobStore
// outside the database; read it through that store.
var ErrElsewhere = errors.New("content is kept outside the database")

// CheckRead reports content that did not read back as stored: n bytes
// were read whose SHA-256 is sum, and size bytes hashing to hash were
// stored. The error matches ErrCorrupt.
func CheckRead(hash string, size, n int64, sum []byte) error {
	if n != size {
		return fmt.Errorf("content %s: %d bytes read, %d stored: %w", hash, n, size, ErrCorrupt)
	}
	if got := hex.EncodeToString(sum); got != hash {
		return fmt.Errorf("content %s: the stored bytes hash to %s: %w", hash, got, ErrCorrupt)
	}
	return nil
}

// BlobStore keeps content outside the database, such as in a directory
// (package storage/fsblob). A Firm given one (docket.Options.Blobs)
// writes and reads content through it and records each content in the
// database with Blobs.Adopt, in the same transaction as the version that
// uses it.
type BlobStore interface {
	// Blobs returns the content repository to use inside tx.
	Blobs(tx Tx) Blobs
}

// Holds persists legal holds. A hold is never deleted, and changes only
// by its release: any other Update is refused with ErrHeld.
type Holds interface {
	Get(ctx context.Context, id document.HoldID) (document.Hold, error)
	Create(ctx context.Context, h document.Hold) error
	Update(ctx context.Context, h document.Hold) error
	// List returns holds in ID order.
	List(ctx context.Context, f HoldFilter, p Page) ([]document.Hold, string, error)
}

// HoldFilter narrows a hold list; zero fields match everything.
type HoldFilter struct {
	Case      cases.ID
	Custodian string
	// Active keeps holds not released.
	Active bool
	// Visible, when set, keeps holds whose case (if any) is visible under
	// it.
	Visible *Visibility
}

// Templates persists the firm's document templates.
type Templates interface {
	Get(ctx context.Context, id document.TemplateID) (document.Template, error)
	Create(ctx context.Context, t document.Template) error
	Update(ctx context.Context, t document.Template) error
	List(ctx context.Context, p Page) ([]document.Template, string, error)
}
