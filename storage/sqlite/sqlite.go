package sqlite

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"

	"github.com/docketkit/docket/storage/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations holds the embedded schema migrations, in the folder
// "migrations".
var Migrations = migrations

// Options tune the store. The zero value, or nil, gives the durable
// defaults.
type Options struct {
	// Synchronous is SQLite's synchronous setting: "FULL" (the default:
	// every commit is on disk before it returns) or "NORMAL" (faster; a
	// power loss may lose the last commits, never corrupt the file).
	Synchronous string
	// BusyTimeout is how long a connection waits for a lock before
	// failing; defaults to 10 seconds.
	BusyTimeout time.Duration
	// Readers is the size of the read pool; defaults to the number of
	// CPUs, at least 2.
	Readers int
}

// Store is a SQLite storage.Store.
type Store struct {
	*sqlstore.Store
}

// Open opens (creating if needed) the database file at path and brings its
// schema up to date.
func Open(ctx context.Context, path string, opts *Options) (*Store, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	switch o.Synchronous {
	case "":
		o.Synchronous = "FULL"
	case "FULL", "NORMAL":
	default:
		return nil, fmt.Errorf("sqlite: Options.Synchronous %q is not FULL or NORMAL", o.Synchronous)
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 10 * time.Second
	}
	if o.Readers <= 0 {
		o.Readers = max(2, runtime.NumCPU())
	}
	if path == "" {
		return nil, errors.New("sqlite: the database path is empty")
	}
	base := url.Values{}
	base.Set("_busy_timeout", strconv.FormatInt(o.BusyTimeout.Milliseconds(), 10))
	base.Set("_foreign_keys", "1")
	base.Set("_journal_mode", "WAL")
	base.Set("_synchronous", o.Synchronous)

	w := cloneValues(base)
	w.Set("_txlock", "immediate")
	writer, err := sqlx.Open(driverName, "file:"+path+"?"+w.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	if err := writer.PingContext(ctx); err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := sqlstore.Migrate(ctx, writer, migrations, "migrations"); err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}

	r := cloneValues(base)
	r.Set("_query_only", "1")
	reader, err := sqlx.Open(driverName, "file:"+path+"?"+r.Encode())
	if err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	reader.SetMaxOpenConns(o.Readers)
	reader.SetMaxIdleConns(o.Readers)
	reader.SetConnMaxLifetime(0)
	reader.SetConnMaxIdleTime(0)

	st := sqlstore.New(writer, reader, dialect)
	if err := st.Prepare(ctx); err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	return &Store{st}, nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

var dialect = sqlstore.Dialect{
	Name: "sqlite",
	IsUnique: func(err error) bool {
		var e sqlite3.Error
		return errors.As(err, &e) && (e.ExtendedCode == sqlite3.ErrConstraintUnique || e.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
	},
	IsForeignKey: func(err error) bool {
		var e sqlite3.Error
		return errors.As(err, &e) && e.ExtendedCode == sqlite3.ErrConstraintForeignKey
	},
	// The write transaction already holds SQLite's one write lock.
	LockHead: "SELECT seq, hash FROM audit_head WHERE id = 1",
	// A deferred BEGIN on a query-only connection reads one snapshot from
	// its first statement to its end (WAL).
	ViewOptions: nil,
	TeamHas: func(alias string) string {
		return "EXISTS (SELECT 1 FROM json_each(" + alias + ".team) t WHERE json_extract(t.value, '$.user') = ?)"
	},
}
