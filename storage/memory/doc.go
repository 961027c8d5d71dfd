// Package memory is an in-memory storage.Store: maps under one mutex, for
// tests, demos and embedding Docket without a database.
//
// Values are copied in and out (through their JSON encoding, the same
// round trip the SQL stores make), so a caller never aliases stored state.
// Update holds the write lock for the whole transaction and undoes every
// write if fn fails; View holds the read lock, so it sees a consistent
// snapshot. Nothing survives the process.
package memory
