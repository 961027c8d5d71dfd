// Package fsblob keeps document content as files in a directory, for
// firms that want their documents out of the database: each content once,
// named by its SHA-256, written to a temporary file, synced and renamed
// into place, and checked against its hash whenever it is read.
//
// # With a Store
//
// Pass a Store as docket.Options.Blobs. The database still records every
// content (storage.Blobs.Adopt) in the transaction of the version that
// uses it, so versions, holds and retention work as they do with content
// in the database: a held document's content is never recorded as unused.
//
// # Files are not transactional
//
// A file is written before its transaction commits, and stays if the
// transaction fails; content the database stops using (a purged
// document's) stays on disk until Collect removes it. Collect removes
// only files the database does not record and that nobody has written for
// the Store's grace period, so that content a transaction is about to
// record again is never taken from under it. docket's ApplyRetention
// calls Collect after it purges; call it yourself after a crash or a
// failed import to clear their leftovers.
package fsblob
