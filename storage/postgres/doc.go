// Package postgres is Docket's PostgreSQL store, for firms that outgrow one
// machine. It talks to the server through github.com/jackc/pgx/v5's
// database/sql driver, so it builds without cgo.
//
// # Schema
//
// The schema is a set of numbered migration files embedded in the binary
// and applied on Open, with the same numbers as storage/sqlite. Open with
// Options.Schema to keep Docket's tables in a schema of their own (created
// if missing); tests use a fresh schema per run and drop it afterwards.
//
// # Concurrency
//
// Transactions run at READ COMMITTED. Version-checked updates compare the
// version in the UPDATE's WHERE clause, so of two writers racing on one
// record exactly one wins and the other gets storage.ErrConflict. Audit
// entries are sealed at commit under a row lock on the chain's head, which
// serialises only that last step.
package postgres
