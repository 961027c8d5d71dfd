package fsblob_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docketkit/docket"
	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/fsblob"
	"github.com/docketkit/docket/storage/memory"
	"github.com/docketkit/docket/storage/storagetest"
)

func files(t *testing.T) (*fsblob.Store, *docket.Options) {
	b, err := fsblob.Open(t.TempDir(), &fsblob.Options{Grace: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	return b, &docket.Options{Blobs: b}
}

// TestDocuments runs the document tests with content in a directory and
// the records in memory.
func TestDocuments(t *testing.T) {
	storagetest.RunDocuments(t, func(*testing.T) storage.Store { return memory.New() }, func(t *testing.T) *docket.Options {
		_, o := files(t)
		return o
	})
}

// TestCorruptContent changes a file's bytes, and removes another's.
func TestCorruptContent(t *testing.T) {
	b, o := files(t)
	storagetest.CorruptContent(t, func(*testing.T) storage.Store { return memory.New() }, o, func(t *testing.T, _ storage.Store, hash string) {
		p := b.Path(hash)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		data[len(data)/2] ^= 0x5a
		if err := os.WriteFile(p, data, 0o640); err != nil {
			t.Fatal(err)
		}
	})
	b, o = files(t)
	storagetest.CorruptContent(t, func(*testing.T) storage.Store { return memory.New() }, o, func(t *testing.T, _ storage.Store, hash string) {
		if err := os.Remove(b.Path(hash)); err != nil {
			t.Fatal(err)
		}
	})
}

// TestBigContent: with content on disk, even the memory store moves 200 MB
// with a bounded heap.
func TestBigContent(t *testing.T) {
	_, o := files(t)
	storagetest.BigContent(t, memory.New(), o, 200<<20)
}

// TestCollectLeavesRecentAndRecorded: Collect removes only files the
// database does not record and nobody wrote within the grace period.
func TestCollectLeavesRecentAndRecorded(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, err := fsblob.Open(dir, &fsblob.Options{Grace: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	db := memory.New()
	write := func(body string) storage.Blob {
		var blob storage.Blob
		err := db.Update(ctx, func(tx storage.Tx) error {
			var err error
			blob, err = b.Blobs(tx).Write(ctx, strings.NewReader(body))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return blob
	}
	recorded := write("recorded")
	// A transaction that fails leaves its file, unrecorded.
	var orphan storage.Blob
	_ = db.Update(ctx, func(tx storage.Tx) error {
		orphan, _ = b.Blobs(tx).Write(ctx, strings.NewReader("orphan"))
		return context.Canceled
	})
	fresh := write("fresh")
	_ = db.Update(ctx, func(tx storage.Tx) error {
		_, err := tx.Blobs().Delete(ctx, fresh.Hash)
		return err
	})
	old := time.Now().Add(-2 * time.Hour)
	for _, h := range []string{recorded.Hash, orphan.Hash} {
		if err := os.Chtimes(b.Path(h), old, old); err != nil {
			t.Fatal(err)
		}
	}
	stray := filepath.Join(dir, "tmp", "upload-crashed")
	if err := os.WriteFile(stray, []byte("half"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(stray, old, old); err != nil {
		t.Fatal(err)
	}
	// A Collect that stopped with the recorded content moved aside.
	if err := os.Rename(b.Path(recorded.Hash), filepath.Join(dir, "tmp", "collect-"+recorded.Hash)); err != nil {
		t.Fatal(err)
	}
	n, err := b.Collect(ctx, db)
	if err != nil || n != 1 {
		t.Fatalf("Collect = %d, %v; want the orphan only", n, err)
	}
	for h, want := range map[string]bool{recorded.Hash: true, orphan.Hash: false, fresh.Hash: true} {
		if _, err := os.Stat(b.Path(h)); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", h, err == nil, want)
		}
	}
	if _, err := os.Stat(stray); err == nil {
		t.Error("an old temporary file was left")
	}
}
