// Package storage defines how Docket persists its records: a Store runs
// transactions, a Tx hands out one small repository per aggregate, and the
// sentinel errors ErrNotFound, ErrExists and ErrConflict say what went
// wrong in terms every implementation shares.
//
// # Implementations
//
//   - storage/memory: maps under a mutex, for tests, demos and embedding
//     without a database.
//   - storage/sqlite: the embedded default, one file, durable settings.
//   - storage/postgres: for firms that outgrow one machine.
//
// All three pass one conformance suite, storage/storagetest.
//
// # Repositories hold no domain rules
//
// A repository gets, creates, updates with a version check, and lists with
// a filter and a cursor. Validation, authorization and audit entries are
// the root package's work; a repository stores what it is given.
//
// # Versions
//
// Every mutable record carries a Version. Create stores version 1. Update
// stores a record whose Version is one more than the stored one, and fails
// with ErrConflict when another writer got there first: nothing is ever
// overwritten silently.
//
// # Audit
//
// AuditLog.Append queues an entry; the store seals it into the hash chain
// (audit.Seal) and writes it when the transaction commits, so a rolled-back
// transaction leaves neither its records nor its audit entries.
package storage
