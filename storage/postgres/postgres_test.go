package postgres_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/docketkit/docket"
	cases "github.com/docketkit/docket/case"
	"github.com/docketkit/docket/correspondence"
	"github.com/docketkit/docket/document"
	"github.com/docketkit/docket/storage"
	"github.com/docketkit/docket/storage/postgres"
	"github.com/docketkit/docket/storage/storagetest"
)

// serverURL returns the test server's URL or skips the test, saying how to
// enable it.
func serverURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("DOCKET_TEST_POSTGRES")
	if url == "" {
		t.Skip("PostgreSQL tests skipped: set DOCKET_TEST_POSTGRES=postgres://user@host:5432/db?sslmode=disable to run them")
	}
	return url
}

var schemaSeq int

// open returns a store in a schema of its own, dropped when the test ends.
func open(t testing.TB) *postgres.Store {
	t.Helper()
	url := serverURL(t)
	schemaSeq++
	schema := fmt.Sprintf("docket_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, schemaSeq)
	s, err := postgres.Open(context.Background(), url, &postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db, err := sqlx.Open("pgx", url)
		if err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	serverURL(t)
	storagetest.Run(t, func(t *testing.T) storage.Store { return open(t) })
}

// TestSQL: content corrupted behind the store's back, holds kept by its
// triggers, and a 200 MB version with the heap bounded.
func TestSQL(t *testing.T) {
	serverURL(t)
	storagetest.RunSQL(t, func(t *testing.T) *postgres.Store { return open(t) })
}

// TestOneConnection: a pool of one connection is enough, migrations
// included (they run on the connection that holds the advisory lock).
func TestOneConnection(t *testing.T) {
	url := serverURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	schema := fmt.Sprintf("docket_test_one_%d", time.Now().UnixNano()%1e9)
	s, err := postgres.Open(ctx, url, &postgres.Options{Schema: schema, MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = s.Close()
		db, err := sqlx.Open("pgx", url)
		if err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			_ = db.Close()
		}
	}()
	f, actx, _ := storagetest.NewFirm(t, s, nil)
	if _, err := f.Contacts.Create(actx, cases.Contact{Kind: cases.Person, Name: "Ann Lee"}); err != nil {
		t.Fatal(err)
	}
	if r, err := f.Audit.Verify(actx); err != nil || !r.OK {
		t.Fatalf("Verify: %v %v", r, err)
	}
}

// TestReindex: search entries made before migration 0010 (stop words
// dropped) are marked stale and indexed again, with every word, when the
// store next opens.
func TestReindex(t *testing.T) {
	url := serverURL(t)
	ctx := context.Background()
	schema := fmt.Sprintf("docket_test_reindex_%d", time.Now().UnixNano()%1e9)
	s, err := postgres.Open(ctx, url, &postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db, err := sqlx.Open("pgx", url)
		if err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			_ = db.Close()
		}
	})
	f, actx, admin := storagetest.NewFirm(t, s, nil)
	client, err := f.Contacts.Create(actx, cases.Contact{Kind: cases.Person, Name: "Ann Lee"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Cases.Open(actx, cases.Draft{Type: "federal-civil", Title: "In re Lee", Client: client.ID, LeadAttorney: string(admin.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Documents.Create(actx, document.Document{Case: c.ID, Title: "Estate papers", Kind: document.Evidence},
		docket.Content{Body: strings.NewReader("The will was signed in 2019."), MediaType: "text/plain"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Correspondence.Record(actx, correspondence.Message{Case: c.ID, Channel: correspondence.Call, Direction: correspondence.Inbound,
		At: time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC), Subject: "About the will", Text: "Where is the will?",
		Participants: []correspondence.Participant{{Role: correspondence.From, Contact: client.ID}}}); err != nil {
		t.Fatal(err)
	}
	db := s.Writer()
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.Get(&n, q); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const (
		docsWithWill = "SELECT COUNT(*) FROM document_text WHERE tsv @@ to_tsquery('docket_english', 'will')"
		msgsWithWill = "SELECT COUNT(*) FROM message_text WHERE tsv @@ to_tsquery('docket_english', 'will')"
	)
	if count(docsWithWill) != 1 || count(msgsWithWill) != 1 {
		t.Fatal("new entries do not hold every word")
	}
	// As the entries stood before the migration: English, no stop words.
	for _, q := range []string{
		"UPDATE document_text SET tsv = setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'C'), stale = true",
		"UPDATE message_text SET tsv = to_tsvector('english', 'about the will'), stale = true",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if count(docsWithWill) != 0 || count(msgsWithWill) != 0 {
		t.Fatal("the old entries hold stop words")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = postgres.Open(ctx, url, &postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db = s.Writer()
	if count(docsWithWill) != 1 || count(msgsWithWill) != 1 {
		t.Error("reopened, the entries are not indexed again with every word")
	}
	if n := count("SELECT (SELECT COUNT(*) FROM document_text WHERE stale) + (SELECT COUNT(*) FROM message_text WHERE stale)"); n != 0 {
		t.Errorf("%d entries still stale", n)
	}
	// The document's entry keeps its weights: the title outranks the text.
	if count("SELECT COUNT(*) FROM document_text WHERE tsv @@ to_tsquery('docket_english', 'estate') AND ts_rank(tsv, to_tsquery('docket_english', 'estate')) > ts_rank(tsv, to_tsquery('docket_english', 'signed'))") != 1 {
		t.Error("the reindexed entry lost its weights")
	}
}

func TestTamper(t *testing.T) {
	serverURL(t)
	storagetest.Tamper(t, func(t *testing.T) (storage.Store, *sqlx.DB) {
		s := open(t)
		return s, s.Writer()
	}, []string{"DROP TRIGGER audit_log_no_update ON audit_log"})
}

// BenchmarkImport: Firm.Correspondence.ImportEmail of the interop corpus
// and of a generated mailbox of 10,000 emails, in emails per second and
// as a ratio to parsing the same emails alone.
func BenchmarkImport(b *testing.B) {
	storagetest.BenchImport(b, func(b *testing.B) storage.Store { return open(b) }, 10_000)
}

// BenchmarkAddVersion1MB: Firm.Documents.AddVersion of 1 MiB against
// writing the same bytes into the same database directly: see
// storagetest.BenchAddVersion. CHECKPOINT, run untimed after each write,
// needs a superuser or the pg_checkpoint role.
func BenchmarkAddVersion1MB(b *testing.B) {
	storagetest.BenchAddVersion(b, func(b *testing.B) (storage.Store, *sqlx.DB, string) {
		s := open(b)
		return s, s.Writer(), "CHECKPOINT"
	})
}

// BenchmarkSearch100k: Firm.Documents.Search over 100,000 documents in
// PostgreSQL's weighted tsvector under GIN, ranked by ts_rank, first page
// of 20, for storagetest.SearchQueries: the median and 95th percentile
// latency.
func BenchmarkSearch100k(b *testing.B) {
	s := open(b)
	defer s.Close()
	f, ctx := storagetest.SearchCorpus(b, s, 100_000)
	storagetest.BenchSearch(b, f, ctx)
}

// TestHoldWaitsForPurge: while a transaction checks holds before purging
// (READ COMMITTED would let a hold committed after the check slip by), no
// other transaction can write a hold: it waits, here until its lock
// timeout, so the purge either sees the hold or commits before it exists.
func TestHoldWaitsForPurge(t *testing.T) {
	s := open(t)
	defer s.Close()
	ctx := context.Background()
	var c cases.Case
	err := s.Update(ctx, func(tx storage.Tx) error {
		k := cases.Contact{ID: "k1", Kind: cases.Person, Name: "Ann Lee", Version: 1, Created: time.Now(), Updated: time.Now()}
		if err := tx.Contacts().Create(ctx, k); err != nil {
			return err
		}
		c = cases.Case{ID: "c1", Reference: "2026-CV-0001", Title: "Lee v. Initech", Type: "federal-civil", Client: k.ID, Status: cases.Open,
			Stage: "intake", Version: 1, Created: time.Now(), Updated: time.Now()}
		return tx.Cases().Create(ctx, c)
	})
	if err != nil {
		t.Fatal(err)
	}
	checked, done := make(chan struct{}), make(chan error, 1)
	go func() {
		<-checked
		tx, err := s.Writer().Beginx()
		if err != nil {
			done <- err
			return
		}
		defer tx.Rollback()
		if _, err := tx.Exec("SET LOCAL lock_timeout = '200ms'"); err != nil {
			done <- err
			return
		}
		_, err = tx.Exec(`INSERT INTO holds (id, case_id, custodian, matter, reason, placed_by, released, released_by, release_reason, version, created, updated)
			VALUES ('h1', 'c1', '', 'SEC', 'subpoena', 'u1', '', '', '', 1, '', '')`)
		done <- err
	}()
	err = s.Update(ctx, func(tx storage.Tx) error {
		if _, err := tx.Documents().Held(ctx, "no-such-document"); err != nil {
			return err
		}
		close(checked)
		return <-done // the hold's writer gave up while this one ran
	})
	if err == nil || !strings.Contains(err.Error(), "lock timeout") {
		t.Fatalf("a hold written while a purge checked holds: %v", err)
	}
}
