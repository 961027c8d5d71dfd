// Package audit is Docket's tamper-evident audit trail: the entries every
// change appends, their canonical encoding, and the SHA-256 hash chain that
// lets Verify prove the log has not been edited.
//
// # The chain
//
// Every entry commits to the previous entry's hash and to a canonical
// encoding of its own fields (sequence, time, actor, action, resource, case,
// reason and the field-level before/after of every change):
//
//	Hash(n) = SHA-256(Hash(n-1) || Canonical(entry n))
//
// The first entry's previous hash is 32 zero bytes. Editing any field of any
// entry, deleting an entry or reordering entries breaks the chain at that
// entry, and a Verifier names it. This is the audit-trail alternative to
// WORM storage that SEC Rule 17a-4(f) allows: every change and deletion,
// with time and author, and enough of the before and after to re-create the
// original.
//
// # Pure
//
// The package does no I/O. Stores seal entries with Seal as they append
// them; the root package's Audit service streams stored entries through a
// Verifier.
package audit
