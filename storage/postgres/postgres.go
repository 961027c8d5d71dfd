package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"

	"github.com/docketkit/docket/storage/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations holds the embedded schema migrations, in the folder
// "migrations".
var Migrations = migrations

// Options tune the store. The zero value, or nil, gives the defaults.
type Options struct {
	// Schema is the PostgreSQL schema that holds Docket's tables; it is
	// created if missing. Empty means the connection's search_path (public
	// by default).
	Schema string
	// MaxConns bounds the connection pool; defaults to 10.
	MaxConns int
}

// Store is a PostgreSQL storage.Store.
type Store struct {
	*sqlstore.Store
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Open connects to the server at url (a postgres:// URL or a key=value
// connection string) and brings the schema up to date.
func Open(ctx context.Context, url string, opts *Options) (*Store, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.MaxConns <= 0 {
		o.MaxConns = 10
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if o.Schema != "" {
		if !schemaName.MatchString(o.Schema) {
			return nil, fmt.Errorf("postgres: Options.Schema %q must be lower-case letters, digits and _", o.Schema)
		}
		cfg.RuntimeParams["search_path"] = o.Schema
	}
	db := sqlx.NewDb(stdlib.OpenDB(*cfg), "pgx")
	db.SetMaxOpenConns(o.MaxConns)
	db.SetMaxIdleConns(o.MaxConns)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if o.Schema != "" {
		if _, err := db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+o.Schema); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("postgres: create schema %s: %w", o.Schema, err)
		}
	}
	if err := migrate(ctx, db); err != nil {
		_ = db.Close()
		return nil, err
	}
	st := sqlstore.New(db, db, dialect)
	if err := st.Prepare(ctx); err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := st.Reindex(ctx); err != nil {
		_ = st.Close()
		return nil, err
	}
	return &Store{st}, nil
}

// migrate applies the migrations under an advisory lock, so that two
// processes opening the same database at once do not both apply them.
func migrate(ctx context.Context, db *sqlx.DB) error {
	conn, err := db.Connx(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Close()
	const lockKey = 0x646f636b6574 // "docket"
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockKey) }()
	// The migrations run on the connection that holds the lock, so a pool
	// of one connection is enough.
	if err := sqlstore.Migrate(ctx, conn, migrations, "migrations"); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}

func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

var dialect = sqlstore.Dialect{
	Name:         "postgres",
	IsUnique:     func(err error) bool { return pgCode(err) == "23505" },
	IsForeignKey: func(err error) bool { return pgCode(err) == "23503" },
	// invalid byte sequence (NUL included), untranslatable character
	IsBadText: func(err error) bool { c := pgCode(err); return c == "22021" || c == "22P05" },
	LockHead:  "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
	// READ COMMITTED would give each statement its own snapshot.
	ViewOptions: &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	TeamHas: func(alias string) string {
		return alias + ".team::jsonb @> jsonb_build_array(jsonb_build_object('user', ?::text))"
	},
	SkipLocked: " FOR UPDATE SKIP LOCKED",
}
