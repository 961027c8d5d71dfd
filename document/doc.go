// Package document models a case's documents: their metadata, their
// immutable versions, the templates documents are assembled from, and the
// text search reads out of their content.
//
// # Documents and versions
//
// A Document belongs to a case and has a title, a Kind (pleading, motion,
// brief, order, contract, evidence, letter, note ...), a Status (draft,
// final, filed, served), tags, an author and a privileged flag. Its
// content is a list of Version values that never change once written: a
// number, the SHA-256 of the content, its size and media type, who wrote
// it and why, and the version it was based on. A new version must be
// based on the current one; the root package refuses any other with
// storage.ErrConflict, so two people editing at once never overwrite each
// other. The Document's check-out fields hold an editing lock.
//
// # Templates
//
// A Template is text with merge fields in Go's text/template syntax:
//
//	Dear {{.Client.Name}},
//	Re: {{.Case.Title}} ({{.Case.Reference}})
//	{{range .Parties}}- {{.Name}} ({{.Role}})
//	{{end}}
//
// Compile checks every field against MergeData when a template is saved:
// {{.Case.Judge}} is refused with a *TemplateError naming the line and
// saying which fields Case has (the judge is .Court.Judge). Execute refuses,
// the same way, a printed field that has no value for the case at hand,
// unless the template guards it with {{if}}: an engagement letter with a
// blank where the client's name should be is never produced. Builtin
// returns the shipped templates: an engagement letter, a notice of
// appearance and a letter to a client.
//
// # Text for search
//
// Extractors turn content into plain text for the search index:
// text/plain, text/markdown (through goldmark's parser) and text/html
// (through golang.org/x/net/html) are built in; add an Extractor for other
// formats. Content with no extractor is still stored and found by its
// metadata.
//
// The package is pure: no I/O beyond the readers it is handed. It is
// persisted through package storage and used through docket.Firm.
package document
