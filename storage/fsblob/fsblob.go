package fsblob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/docketkit/docket/storage"
)

// DefaultGrace is how long Collect leaves a file nobody records, by
// default: longer than any transaction that may be about to record it.
const DefaultGrace = time.Hour

// Options tune a Store; nil gives the defaults.
type Options struct {
	// Grace is how long an unrecorded file is left before Collect removes
	// it; defaults to DefaultGrace. Zero is not allowed; tests that want
	// files collected at once set a nanosecond.
	Grace time.Duration
}

// Store is a storage.BlobStore over a directory.
type Store struct {
	dir   string
	grace time.Duration
}

var _ storage.BlobStore = (*Store)(nil)

// Open returns a Store over dir, creating it (and its tmp folder) if
// needed.
func Open(dir string, opts *Options) (*Store, error) {
	s := &Store{dir: dir, grace: DefaultGrace}
	if opts != nil && opts.Grace != 0 {
		if opts.Grace < 0 {
			return nil, fmt.Errorf("fsblob: Options.Grace is negative")
		}
		s.grace = opts.Grace
	}
	if dir == "" {
		return nil, errors.New("fsblob: the directory is empty")
	}
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("fsblob: %w", err)
	}
	return s, nil
}

// Path returns the file that holds the content with hash.
func (s *Store) Path(hash string) string {
	return filepath.Join(s.dir, hash[:2], hash)
}

// Blobs returns the content repository for tx: bytes in the directory,
// records in tx.
func (s *Store) Blobs(tx storage.Tx) storage.Blobs { return blobs{s: s, tx: tx} }

type blobs struct {
	s  *Store
	tx storage.Tx
}

func validHash(h string) bool {
	return len(h) == 64 && strings.Trim(h, "0123456789abcdef") == ""
}

// ctxReader fails a copy once its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func (b blobs) Write(ctx context.Context, r io.Reader) (storage.Blob, error) {
	tmp, err := os.CreateTemp(filepath.Join(b.s.dir, "tmp"), "upload-*")
	if err != nil {
		return storage.Blob{}, fmt.Errorf("fsblob: %w", err)
	}
	defer os.Remove(tmp.Name()) // gone once renamed into place
	h := sha256.New()
	n, err := io.CopyBuffer(io.MultiWriter(tmp, h), ctxReader{ctx, r}, make([]byte, 1<<20))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return storage.Blob{}, fmt.Errorf("fsblob: storing content: %w", err)
	}
	blob := storage.Blob{Hash: hex.EncodeToString(h.Sum(nil)), Size: n}
	final := b.s.Path(blob.Hash)
	dir := filepath.Dir(final)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return storage.Blob{}, fmt.Errorf("fsblob: %w", err)
		}
		if err := syncDir(b.s.dir); err != nil {
			return storage.Blob{}, err
		}
	}
	// The new file replaces any copy already there: a copy that rotted
	// on disk is mended, and Collect sees the content freshly written.
	if err := os.Rename(tmp.Name(), final); err != nil {
		return storage.Blob{}, fmt.Errorf("fsblob: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return storage.Blob{}, err
	}
	return blob, b.tx.Blobs().Adopt(ctx, blob)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("fsblob: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsblob: syncing %s: %w", dir, err)
	}
	return nil
}

func (b blobs) Read(ctx context.Context, hash string, w io.Writer) (int64, error) {
	rec, err := b.tx.Blobs().Stat(ctx, hash)
	if err != nil {
		return 0, err
	}
	f, err := os.Open(b.s.Path(hash))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("fsblob: content %s: its file is missing: %w", hash, storage.ErrCorrupt)
	} else if err != nil {
		return 0, fmt.Errorf("fsblob: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(io.MultiWriter(w, h), ctxReader{ctx, f}, make([]byte, 1<<20))
	if err != nil {
		return n, err
	}
	if err := storage.CheckRead(hash, rec.Size, n, h.Sum(nil)); err != nil {
		return n, fmt.Errorf("fsblob: %w", err)
	}
	return n, nil
}

func (b blobs) Stat(ctx context.Context, hash string) (storage.Blob, error) {
	return b.tx.Blobs().Stat(ctx, hash)
}

// Delete drops the record of content no version uses; its file goes at
// the next Collect.
func (b blobs) Delete(ctx context.Context, hash string) (bool, error) {
	return b.tx.Blobs().Delete(ctx, hash)
}

func (b blobs) List(ctx context.Context, p storage.Page) ([]storage.Blob, string, error) {
	return b.tx.Blobs().List(ctx, p)
}

func (b blobs) Adopt(ctx context.Context, blob storage.Blob) error {
	return b.tx.Blobs().Adopt(ctx, blob)
}

// collect removes the file of hash if, moved aside where no writer finds
// it, it is still old and still unrecorded; otherwise it goes back. A
// writer replaces the file whole (its own is fresh, and survives), and a
// transaction that records it commits before, or is seen by, the check
// made after the move.
func (s *Store) collect(ctx context.Context, db storage.Store, hash string, cutoff time.Time) (int, error) {
	p := s.Path(hash)
	aside := filepath.Join(s.dir, "tmp", "collect-"+hash)
	if info, err := os.Stat(p); err != nil || info.ModTime().After(cutoff) {
		return 0, nil
	}
	if err := os.Rename(p, aside); errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("fsblob: %w", err)
	}
	restore := func() (int, error) {
		if _, err := os.Stat(p); err == nil {
			// A writer put a fresh copy in place meanwhile: keep that.
			return 0, os.Remove(aside)
		}
		if err := os.Rename(aside, p); err != nil {
			return 0, fmt.Errorf("fsblob: putting back %s: %w", hash, err)
		}
		return 0, nil
	}
	if info, err := os.Stat(aside); err != nil || info.ModTime().After(cutoff) {
		return restore()
	}
	recorded := false
	err := db.View(ctx, func(tx storage.Tx) error {
		_, err := tx.Blobs().Stat(ctx, hash)
		if errors.Is(err, storage.ErrNotFound) {
			return nil
		}
		recorded = err == nil
		return err
	})
	if err != nil || recorded {
		if _, rerr := restore(); rerr != nil {
			return 0, rerr
		}
		return 0, err
	}
	if err := os.Remove(aside); err != nil {
		return 0, fmt.Errorf("fsblob: %w", err)
	}
	return 1, nil
}

// Collect removes the files db no longer records (content of purged
// documents, leftovers of failed transactions) that nobody has written
// for the grace period, and temporary files as old; it returns how many
// it removed.
func (s *Store) Collect(ctx context.Context, db storage.Store) (int, error) {
	cutoff := time.Now().Add(-s.grace)
	var stale []string
	err := filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if h, ok := strings.CutPrefix(d.Name(), "collect-"); ok && validHash(h) {
			// A Collect stopped half way: put the file back, and let
			// this one decide again.
			if _, err := os.Stat(s.Path(h)); err == nil {
				return os.Remove(path)
			}
			return os.Rename(path, s.Path(h))
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.ModTime().After(cutoff) {
			return nil
		}
		if filepath.Base(filepath.Dir(path)) == "tmp" {
			return os.Remove(path)
		}
		if validHash(d.Name()) {
			stale = append(stale, d.Name())
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("fsblob: %w", err)
	}
	removed := 0
	for len(stale) > 0 {
		batch := stale[:min(len(stale), 500)]
		stale = stale[len(batch):]
		var gone []string
		err := db.View(ctx, func(tx storage.Tx) error {
			gone = gone[:0]
			for _, h := range batch {
				_, err := tx.Blobs().Stat(ctx, h)
				if errors.Is(err, storage.ErrNotFound) {
					gone = append(gone, h)
				} else if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return removed, err
		}
		for _, h := range gone {
			n, err := s.collect(ctx, db, h, cutoff)
			if err != nil {
				return removed, err
			}
			removed += n
		}
	}
	return removed, nil
}
