package postgres_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	_ "github.com/jackc/pgx/v5/stdlib"

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

func TestTamper(t *testing.T) {
	serverURL(t)
	storagetest.Tamper(t, func(t *testing.T) (storage.Store, *sqlx.DB) {
		s := open(t)
		return s, s.Writer()
	}, []string{"DROP TRIGGER audit_log_no_update ON audit_log"})
}
