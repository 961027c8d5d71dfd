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
// # Document search
//
// Documents are searched through an FTS4 table over their title, tags and
// current text, with the Porter stemmer, in the default build of
// go-sqlite3 (no build tags). FTS4 has no ranking of its own: Open
// registers docket_rank, a BM25-style score computed in Go from matchinfo:
// each term's frequency saturated against the field's length, a title
// match weighing four times one in the text and a tag twice, and no
// statistics over other documents (which would let a score reveal
// documents the reader may not see). FTS5
// (the sqlite_fts5 tag) is not used: it would be a second index to keep
// right for a build few users make, and FTS4 ranks the same way with it.
// Porter keeps only the ends of a word with digits longer than six bytes,
// so such words (Bates and docket numbers) are indexed and searched as
// phrases of six-byte pieces.
// A search ranks every document that matches before it returns the best
// page, so a word in most documents costs more than a rare one
// (BENCHMARKS.md).
//
// # Content
//
// Document content is stored in 1 MiB chunks (blob_chunks) under a key of
// its own, and filed under its SHA-256 (blobs) once written; identical
// content is kept once.
//
// # Schema
//
// The schema is a set of numbered migration files embedded in the binary
// and applied on Open; storage/postgres has the same numbers.
package sqlite
