package storagetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/docketkit/docket/access"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
)

func hashOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// pattern is n bytes that differ from chunk to chunk, seeded by seed.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	x := uint32(seed) + 1
	for i := range b {
		x = x*1664525 + 1013904223
		b[i] = byte(x >> 24)
	}
	return b
}

func makeDocument(c cases.ID, title string) document.Document {
	return document.Document{ID: document.ID(newID()), Case: c, Title: title, Kind: document.Motion, Status: document.Draft,
		Tags: []string{"urgent", "12b6"}, Author: "u1", Version: 1, Created: base, Updated: base}
}

// writeVersion stores content and the version n of d that holds it.
func writeVersion(ctx context.Context, tx storage.Tx, d document.ID, n int, author string, content []byte) (document.Version, error) {
	b, err := tx.Blobs().Write(ctx, bytes.NewReader(content))
	if err != nil {
		return document.Version{}, err
	}
	v := document.Version{Document: d, Number: n, Hash: b.Hash, Size: b.Size, MediaType: "text/plain", Author: author,
		Comment: fmt.Sprintf("version %d", n), BasedOn: n - 1, Created: base.Add(time.Duration(n) * time.Minute)}
	return v, tx.Versions().Create(ctx, v)
}

// testDocuments: documents, versions, content, holds and templates
// round-trip; content is kept once and read back whole across chunks;
// versions never change; nothing a hold covers is purged.
func testDocuments(t *testing.T, s storage.Store) {
	ctx := context.Background()
	client := seedContact(t, s)
	kase := seedCase(t, s, client.ID)
	other := makeCase(2, client.ID)
	update(t, s, func(tx storage.Tx) error { return tx.Cases().Create(ctx, other) })

	t.Run("Documents", func(t *testing.T) {
		d := makeDocument(kase.ID, "Motion to suppress")
		update(t, s, func(tx storage.Tx) error { return tx.Documents().Create(ctx, d) })
		wantErr(t, "a document twice", s.Update(ctx, func(tx storage.Tx) error { return tx.Documents().Create(ctx, d) }), storage.ErrExists)
		orphan := makeDocument("no-such-case", "Orphan")
		wantErr(t, "a document of a missing case", s.Update(ctx, func(tx storage.Tx) error { return tx.Documents().Create(ctx, orphan) }), storage.ErrNotFound)
		d2 := d
		d2.Tags, d2.Status, d2.Privileged, d2.Shared, d2.Current = []string{"filed"}, document.Filed, true, true, 3
		d2.CheckedOutBy, d2.CheckedOutUntil = "u2", base.Add(time.Hour)
		d2.Version, d2.Updated = 2, base.Add(time.Minute)
		update(t, s, func(tx storage.Tx) error { return tx.Documents().Update(ctx, d2) })
		wantErr(t, "a stale document", s.Update(ctx, func(tx storage.Tx) error { return tx.Documents().Update(ctx, d2) }), storage.ErrConflict)
		view(t, s, func(tx storage.Tx) error {
			got, err := tx.Documents().Get(ctx, d.ID)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(d2, got); diff != "" {
				t.Errorf("document (-want +got):\n%s", diff)
			}
			for _, tc := range []struct {
				name string
				f    storage.DocumentFilter
				want int
			}{
				{"by case", storage.DocumentFilter{Case: kase.ID}, 1},
				{"other case", storage.DocumentFilter{Case: other.ID}, 0},
				{"new tag", storage.DocumentFilter{Tag: "filed"}, 1},
				{"old tag", storage.DocumentFilter{Tag: "urgent"}, 0},
				{"kind", storage.DocumentFilter{Kind: document.Motion}, 1},
				{"kind, other", storage.DocumentFilter{Kind: document.Brief}, 0},
				{"status", storage.DocumentFilter{Status: document.Filed}, 1},
				{"deleted only", storage.DocumentFilter{Deleted: storage.DeletedOnly}, 0},
				{"updated in range", storage.DocumentFilter{UpdatedFrom: base, UpdatedUntil: base.Add(2 * time.Minute)}, 1},
				{"updated before", storage.DocumentFilter{UpdatedUntil: base.Add(time.Minute)}, 0},
			} {
				list, _, err := tx.Documents().List(ctx, tc.f, storage.Page{})
				if err != nil {
					return err
				}
				if len(list) != tc.want {
					t.Errorf("%s: %d documents, want %d", tc.name, len(list), tc.want)
				}
			}
			return nil
		})
	})

	t.Run("Content", func(t *testing.T) {
		sizes := []int{0, 1, 1000, 1 << 20, 1<<20 + 1, 2*(1<<20) + 12345}
		var stored []storage.Blob
		for i, n := range sizes {
			content := pattern(n, byte(i))
			var b storage.Blob
			update(t, s, func(tx storage.Tx) error {
				var err error
				b, err = tx.Blobs().Write(ctx, bytes.NewReader(content))
				return err
			})
			if b.Hash != hashOf(content) || b.Size != int64(n) {
				t.Fatalf("Write(%d bytes) = %+v, want hash %s", n, b, hashOf(content))
			}
			stored = append(stored, b)
			view(t, s, func(tx storage.Tx) error {
				var out bytes.Buffer
				m, err := tx.Blobs().Read(ctx, b.Hash, &out)
				if err != nil {
					return err
				}
				if m != int64(n) || !bytes.Equal(out.Bytes(), content) {
					t.Errorf("Read(%d bytes) gave %d bytes, equal %v", n, m, bytes.Equal(out.Bytes(), content))
				}
				st, err := tx.Blobs().Stat(ctx, b.Hash)
				if err != nil || st != b {
					t.Errorf("Stat = %+v, %v", st, err)
				}
				return nil
			})
		}
		// The same content again, through a reader that gives it a byte
		// at a time, is stored once.
		again := pattern(sizes[3], 3)
		update(t, s, func(tx storage.Tx) error {
			b, err := tx.Blobs().Write(ctx, io.LimitReader(&oneByte{r: bytes.NewReader(again)}, int64(len(again))))
			if err == nil && b != stored[3] {
				t.Errorf("rewrite = %+v, want %+v", b, stored[3])
			}
			return err
		})
		view(t, s, func(tx storage.Tx) error {
			var all []storage.Blob
			p := storage.Page{Limit: 2}
			for {
				list, next, err := tx.Blobs().List(ctx, p)
				if err != nil {
					return err
				}
				all = append(all, list...)
				if next == "" {
					break
				}
				p.After = next
			}
			want := slices.Clone(stored)
			slices.SortFunc(want, func(a, b storage.Blob) int { return strings.Compare(a.Hash, b.Hash) })
			if diff := cmp.Diff(want, all); diff != "" {
				t.Errorf("blobs (-want +got):\n%s", diff)
			}
			_, err := tx.Blobs().Read(ctx, strings.Repeat("0", 64), io.Discard)
			wantErr(t, "reading missing content", err, storage.ErrNotFound)
			return nil
		})
		// A failed read of the source stores nothing.
		err := s.Update(ctx, func(tx storage.Tx) error {
			_, err := tx.Blobs().Write(ctx, io.MultiReader(bytes.NewReader(pattern(3<<20, 9)), failing{}))
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "source broke") {
			t.Errorf("a broken source: %v", err)
		}
		view(t, s, func(tx storage.Tx) error {
			_, err := tx.Blobs().Stat(ctx, hashOf(pattern(3<<20, 9)))
			wantErr(t, "content of a broken source", err, storage.ErrNotFound)
			return nil
		})
		// Content nobody uses is deleted; the deletion rolls back with its
		// transaction.
		wantErr(t, "deleting in a rolled-back transaction", s.Update(ctx, func(tx storage.Tx) error {
			if ok, err := tx.Blobs().Delete(ctx, stored[2].Hash); !ok || err != nil {
				t.Errorf("Delete unused = %v, %v", ok, err)
			}
			return storage.ErrConflict
		}), storage.ErrConflict)
		update(t, s, func(tx storage.Tx) error {
			_, err := tx.Blobs().Stat(ctx, stored[2].Hash)
			if err != nil {
				t.Errorf("content deleted in a rolled-back transaction: %v", err)
			}
			ok, err := tx.Blobs().Delete(ctx, stored[2].Hash)
			if !ok || err != nil {
				t.Errorf("Delete unused = %v, %v", ok, err)
			}
			_, err = tx.Blobs().Stat(ctx, stored[2].Hash)
			wantErr(t, "deleted content", err, storage.ErrNotFound)
			return nil
		})
	})

	t.Run("Versions", func(t *testing.T) {
		d := makeDocument(kase.ID, "Brief")
		update(t, s, func(tx storage.Tx) error { return tx.Documents().Create(ctx, d) })
		var want []document.Version
		for n := 1; n <= 5; n++ {
			author := []string{"u1", "u2"}[n%2]
			update(t, s, func(tx storage.Tx) error {
				v, err := writeVersion(ctx, tx, d.ID, n, author, []byte(fmt.Sprintf("draft %d", n)))
				want = append(want, v)
				return err
			})
		}
		err := s.Update(ctx, func(tx storage.Tx) error {
			_, err := writeVersion(ctx, tx, d.ID, 3, "u3", []byte("a racing draft"))
			return err
		})
		wantErr(t, "a version number twice", err, storage.ErrExists)
		err = s.Update(ctx, func(tx storage.Tx) error {
			_, err := writeVersion(ctx, tx, "no-such-document", 1, "u3", []byte("x"))
			return err
		})
		wantErr(t, "a version of a missing document", err, storage.ErrNotFound)
		err = s.Update(ctx, func(tx storage.Tx) error {
			return tx.Versions().Create(ctx, document.Version{Document: d.ID, Number: 6, Hash: strings.Repeat("1", 64), MediaType: "text/plain", Created: base})
		})
		wantErr(t, "a version of missing content", err, storage.ErrNotFound)
		view(t, s, func(tx storage.Tx) error {
			var got []document.Version
			p := storage.Page{Limit: 2}
			for {
				list, next, err := tx.Versions().List(ctx, d.ID, p)
				if err != nil {
					return err
				}
				got = append(got, list...)
				if next == "" {
					break
				}
				p.After = next
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("versions (-want +got):\n%s", diff)
			}
			v3, err := tx.Versions().Get(ctx, d.ID, 3)
			if err != nil || v3 != want[2] {
				t.Errorf("Get(3) = %+v, %v", v3, err)
			}
			_, err = tx.Versions().Get(ctx, d.ID, 9)
			wantErr(t, "a missing version", err, storage.ErrNotFound)
			authors, err := tx.Versions().Authors(ctx, d.ID)
			if err != nil || !slices.Equal(authors, []string{"u1", "u2"}) {
				t.Errorf("Authors = %v, %v", authors, err)
			}
			// Content in use is kept.
			ok, err := tx.Blobs().Delete(ctx, want[0].Hash)
			if ok || err != nil && !strings.Contains(err.Error(), "read-only") {
				t.Errorf("Delete of content in use = %v, %v", ok, err)
			}
			return nil
		})
		update(t, s, func(tx storage.Tx) error {
			ok, err := tx.Blobs().Delete(ctx, want[0].Hash)
			if ok || err != nil {
				t.Errorf("Delete of content in use = %v, %v", ok, err)
			}
			return nil
		})
		// An ID that begins with another's names a document of its own.
		near := makeDocument(other.ID, "Exhibit A")
		near.ID = d.ID + "/exhibit-a"
		update(t, s, func(tx storage.Tx) error {
			if err := tx.Documents().Create(ctx, near); err != nil {
				return err
			}
			_, err := writeVersion(ctx, tx, near.ID, 1, "u1", []byte("exhibit A"))
			return err
		})
		view(t, s, func(tx storage.Tx) error {
			list, _, err := tx.Versions().List(ctx, d.ID, storage.Page{})
			if err != nil || len(list) != len(want) {
				t.Errorf("versions of %s: %d, %v (another document's counted?)", d.ID, len(list), err)
			}
			return nil
		})
		dd := d
		view(t, s, func(tx storage.Tx) (err error) { dd, err = tx.Documents().Get(ctx, d.ID); return err })
		update(t, s, func(tx storage.Tx) error { return tx.Documents().Purge(ctx, dd.ID, dd.Version) })
		view(t, s, func(tx storage.Tx) error {
			if _, err := tx.Versions().Get(ctx, near.ID, 1); err != nil {
				t.Errorf("purging %s took %s's version: %v", d.ID, near.ID, err)
			}
			return nil
		})
	})

	t.Run("Holds", func(t *testing.T) {
		mk := func(c cases.ID, author, versionAuthor string) document.Document {
			d := makeDocument(c, "Exhibit")
			d.Author = author
			update(t, s, func(tx storage.Tx) error {
				if err := tx.Documents().Create(ctx, d); err != nil {
					return err
				}
				_, err := writeVersion(ctx, tx, d.ID, 1, versionAuthor, []byte("exhibit "+string(d.ID)))
				return err
			})
			return d
		}
		onCase := mk(kase.ID, "u1", "u1")
		byCustodian := mk(other.ID, "carol", "u1")
		revisedByCustodian := mk(other.ID, "u1", "carol")
		free := mk(other.ID, "u1", "u1")
		holds := []document.Hold{
			{ID: document.HoldID(newID()), Case: kase.ID, Matter: "SEC inquiry", Reason: "subpoena", PlacedBy: "u9", Version: 1, Created: base, Updated: base},
			{ID: document.HoldID(newID()), Custodian: "carol", Matter: "Doe v. Firm", Reason: "litigation", PlacedBy: "u9", Version: 1, Created: base, Updated: base},
		}
		for _, h := range holds {
			update(t, s, func(tx storage.Tx) error { return tx.Holds().Create(ctx, h) })
		}
		for _, d := range []document.Document{onCase, byCustodian, revisedByCustodian} {
			err := s.Update(ctx, func(tx storage.Tx) error { return tx.Documents().Purge(ctx, d.ID, d.Version) })
			wantErr(t, "purging a held document", err, storage.ErrHeld)
		}
		view(t, s, func(tx storage.Tx) error {
			for _, d := range []document.Document{onCase, byCustodian, revisedByCustodian} {
				if _, err := tx.Versions().Get(ctx, d.ID, 1); err != nil {
					t.Errorf("a held document lost its version: %v", err)
				}
			}
			list, _, err := tx.Holds().List(ctx, storage.HoldFilter{Active: true, Custodian: "carol"}, storage.Page{})
			if err != nil || len(list) != 1 || list[0].ID != holds[1].ID {
				t.Errorf("active holds on carol = %v, %v", list, err)
			}
			return nil
		})
		update(t, s, func(tx storage.Tx) error { return tx.Documents().Purge(ctx, free.ID, free.Version) })
		// Released, the holds let go.
		for _, h := range holds {
			h.Released, h.ReleasedBy, h.ReleaseReason, h.Version, h.Updated = base.Add(time.Hour), "u9", "closed", 2, base.Add(time.Hour)
			update(t, s, func(tx storage.Tx) error { return tx.Holds().Update(ctx, h) })
		}
		// A release is for good.
		back := holds[0]
		back.Version, back.Updated = 3, base.Add(2*time.Hour)
		wantErr(t, "taking a release back", s.Update(ctx, func(tx storage.Tx) error { return tx.Holds().Update(ctx, back) }), storage.ErrHeld)
		wantErr(t, "a stale purge", s.Update(ctx, func(tx storage.Tx) error { return tx.Documents().Purge(ctx, onCase.ID, onCase.Version+1) }), storage.ErrConflict)
		update(t, s, func(tx storage.Tx) error { return tx.Documents().Purge(ctx, onCase.ID, onCase.Version) })
		view(t, s, func(tx storage.Tx) error {
			_, err := tx.Documents().Get(ctx, onCase.ID)
			wantErr(t, "a purged document", err, storage.ErrNotFound)
			_, err = tx.Versions().Get(ctx, onCase.ID, 1)
			wantErr(t, "a purged document's version", err, storage.ErrNotFound)
			list, _, err := tx.Holds().List(ctx, storage.HoldFilter{Active: true}, storage.Page{})
			if err != nil || len(list) != 0 {
				t.Errorf("active holds after release = %v, %v", list, err)
			}
			return nil
		})
	})

	t.Run("Templates", func(t *testing.T) {
		for i, tm := range document.Builtin() {
			tm.Version, tm.Created, tm.Updated = 1, base, base
			update(t, s, func(tx storage.Tx) error { return tx.Templates().Create(ctx, tm) })
			wantErr(t, "a template twice", s.Update(ctx, func(tx storage.Tx) error { return tx.Templates().Create(ctx, tm) }), storage.ErrExists)
			tm.Body += "\n"
			tm.Version, tm.Updated = 2, base.Add(time.Duration(i)*time.Second)
			update(t, s, func(tx storage.Tx) error { return tx.Templates().Update(ctx, tm) })
			view(t, s, func(tx storage.Tx) error {
				got, err := tx.Templates().Get(ctx, tm.ID)
				if diff := cmp.Diff(tm, got); err != nil || diff != "" {
					t.Errorf("template %s (-want +got):\n%s%v", tm.ID, diff, err)
				}
				return nil
			})
		}
	})
}

// testDocumentVisibility: lists of documents follow their case's
// visibility, privileged documents show to the team and to those allowed
// them, and a portal user sees shared documents of their own cases only,
// and none deleted.
func testDocumentVisibility(t *testing.T, s storage.Store) {
	ctx := context.Background()
	client, otherClient, open, restricted, walled := seedScreened(t, s, false)
	type flags struct{ privileged, shared, deleted bool }
	var docs []document.Document
	for _, c := range []cases.Case{open, restricted, walled} {
		for _, f := range []flags{{false, false, false}, {true, false, false}, {false, true, false}, {true, true, false}, {false, true, true}} {
			d := makeDocument(c.ID, fmt.Sprintf("%s %v", c.Reference, f))
			d.Privileged, d.Shared = f.privileged, f.shared
			if f.deleted {
				d.Deleted, d.DeletedBy, d.DeleteReason = base, "u1", "withdrawn"
			}
			docs = append(docs, d)
			update(t, s, func(tx storage.Tx) error { return tx.Documents().Create(ctx, d) })
		}
	}
	cs := map[cases.ID]cases.Case{open.ID: open, restricted.ID: restricted, walled.ID: walled}
	for _, v := range []storage.Visibility{
		{User: "outsider"}, {User: "outsider", Privileged: true}, {User: "u1"}, {User: "u2"}, {User: "u2", Privileged: true},
		{User: "portal", Contact: string(client.ID)}, {User: "portal2", Contact: string(otherClient.ID)},
	} {
		var want []document.ID
		for _, d := range docs {
			c := cs[d.Case]
			u := string(v.User)
			team := c.LeadAttorney == u || c.CaseManager == u || slices.ContainsFunc(c.Team, func(m cases.TeamMember) bool { return m.User == u })
			walledOff := c.ID == walled.ID && (u == "outsider" || u == "u2")
			var ok bool
			switch {
			case walledOff:
			case v.Contact != "":
				ok = string(c.Client) == v.Contact && d.Shared && d.Deleted.IsZero()
			default:
				ok = (!c.Restricted || team) && (!d.Privileged || v.Privileged || team)
			}
			if ok {
				want = append(want, d.ID)
			}
		}
		slices.Sort(want)
		view(t, s, func(tx storage.Tx) error {
			list, _, err := tx.Documents().List(ctx, storage.DocumentFilter{Visible: &v, Deleted: storage.AnyDeleted}, storage.Page{})
			if err != nil {
				return err
			}
			var got []document.ID
			for _, d := range list {
				got = append(got, d.ID)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%+v (-want +got):\n%s", v, diff)
			}
			return nil
		})
	}
}

// seedScreened creates the cases visibility tests look through: open
// and restricted cases of one client, and a case of another client that
// a wall screens users outsider and u2 from (the wall names the client
// too when wallClient is set).
func seedScreened(t *testing.T, s storage.Store, wallClient bool) (client, otherClient cases.Contact, open, restricted, walled cases.Case) {
	t.Helper()
	ctx := context.Background()
	client = seedContact(t, s)
	open = makeCase(1, client.ID)
	restricted = makeCase(2, client.ID)
	restricted.Restricted = true
	otherClient = makeContact(2)
	walled = makeCase(3, otherClient.ID)
	update(t, s, func(tx storage.Tx) error {
		if err := tx.Contacts().Create(ctx, otherClient); err != nil {
			return err
		}
		for _, u := range []access.UserID{"outsider", "u2", "p1"} {
			if err := tx.Users().Create(ctx, access.User{ID: u, Name: string(u), Active: true, Version: 1, Created: base, Updated: base}); err != nil {
				return err
			}
		}
		for _, c := range []cases.Case{open, restricted, walled} {
			if err := tx.Cases().Create(ctx, c); err != nil {
				return err
			}
		}
		w := access.Wall{ID: newID(), Users: []access.UserID{"outsider", "u2"}, Cases: []string{string(walled.ID)}, Reason: "lateral hire",
			ApprovedBy: "p1", Version: 1, Created: base, Updated: base}
		if wallClient {
			w.Clients = []string{string(otherClient.ID)}
		}
		return tx.Walls().Create(ctx, w)
	})
	return client, otherClient, open, restricted, walled
}

// oneByte reads a byte at a time.
type oneByte struct{ r io.Reader }

func (o *oneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

// failing is a source that breaks.
type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, fmt.Errorf("source broke") }
