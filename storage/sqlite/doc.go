// Package sqlite is Docket's embedded default store: one SQLite file,
// through github.com/mattn/go-sqlite3 (the only package of Docket that
// needs cgo).
//
// # Durable by default
//
// Open sets WAL journaling, synchronous=FULL (a committed transaction
// survives power loss), foreign keys on, and a busy timeout. All writes go
// through one connection with BEGIN IMMEDIATE transactions, so writers
// queue instead of failing with SQLITE_BUSY; reads use a pool of
// query-only connections that see a consistent snapshot while a write is
// in progress.
//
// # Schema
//
// The schema is a set of numbered migration files embedded in the binary
// and applied on Open; storage/postgres has the same numbers.
package sqlite
